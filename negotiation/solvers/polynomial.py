"""Every isolated Nash equilibrium of an n-player game: support enumeration with polynomial systems.

Method (McKelvey & McLennan, "Computation of equilibria in finite games",
Handbook of Computational Economics I, 1996, §6; Porter, Nudelman & Shoham,
"Simple search methods for finding a Nash equilibrium", Games and Economic
Behavior 63, 2008): a profile with supports ``S_1, …, S_N`` is an equilibrium
iff, for every player ``i``,

* each strategy in ``S_i`` earns the same payoff against the others' mix,
* the probabilities of ``S_i`` are positive and sum to one, and
* no strategy outside ``S_i`` earns more.

With ``x_j`` player ``j``'s probabilities on ``S_j`` (the first one eliminated
through ``sum = 1``), the indifference conditions are ``sum(|S_i| - 1)``
polynomial equations in as many unknowns, multilinear in the other players'
probabilities (linear for two players). Support profiles are enumerated
smallest and most balanced first; a profile is skipped when one of its
strategies is strictly dominated given the others' supports (the conditional
dominance test of Porter, Nudelman & Shoham, decided for every profile at once
in :mod:`negotiation.solvers.support_pruning`). Systems with 6 or more unknowns
first go through a branch-and-bound over the product of the supports' simplices
that may prove that no point satisfies the indifference and no-deviation
conditions (each condition is multilinear, so its range on a product of
sub-simplices is spanned by its vertex values; a float test with a margin far
above rounding, used only to skip systems); smaller systems solve exactly
faster than that test runs.

Each system is solved exactly over the rationals. A linear one (two players
mixing) by Gauss–Jordan elimination in Fractions. Otherwise by multiplication
matrices (:mod:`negotiation.solvers.multiplication_matrices`): a Gröbner basis in
degree-reverse-lexicographic order (FLINT), which shows at once whether the
system has no solution, finitely many, or a continuum; the exact characteristic
polynomial ``f`` of the multiplication matrix of a coordinate (or a linear form)
``t`` counts every complex solution with multiplicity, and when it is square-free
the shape basis ``x_j = g_j(t), f(t) = 0`` follows by one exact linear solve.
Completeness rests on this exact count alone, never on floating point. When no
square-free ``f`` is found (a multiple solution) the sympy path takes over: a
Gröbner basis, FGLM to the lexicographic shape basis, the radical taken first by
adding the square-free parts of the coordinates' eliminants (Seidenberg's lemma);
``engine="sympy"`` runs that path alone. Every real root of every irreducible
factor of ``f`` (isolated by FLINT's certified ``complex_roots``) gives one
candidate whose coordinates lie in the field ``Q(alpha)``; positivity and the
no-deviation conditions are first read off rigorous ``arb`` ball enclosures
(a candidate whose ball is certainly negative, or certainly gains by deviating,
is dropped at once), and otherwise decided by exact sign evaluation in that
field (an element is zero iff its reduced polynomial is; otherwise its sign is
read off an isolating interval of ``alpha``, refined by bisection until interval
arithmetic excludes zero). Rational equilibria are returned as Fractions (and
checked once more exactly on the game's own payoffs); irrational ones as floats
with their closed forms (square roots, cube roots, or ``CRootOf``) in
``details["closed_forms"]``. A system with a continuum of solutions is reported
as a non-isolated component unless exactly one player mixes and exact
Fourier–Motzkin elimination shows its segment holds no equilibrium, or the
branch-and-bound above excludes it.

Float payoffs are converted exactly to their binary rational values, solved
the same way, and reported as floats (``exact=False``).
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from fractions import Fraction

import numpy as np

from negotiation.core.errors import NegotiationError, SolverLimitError
from negotiation.core.progress import progress_bar
from negotiation.models.profile import MixedProfile
from negotiation.results.game import Equilibrium, SolveResult
from negotiation.solvers.methods import game_method
from negotiation.solvers.polynomial_systems import (
    RealAlgebraicField,
    solve_square_system,
)
from negotiation.solvers.support_pruning import (
    conditionally_dominated,
    profile_table,
    segment_is_empty,
)
from negotiation.solvers.verify import (
    VerificationError,
    scaled_floats,
    verified_equilibrium,
)

__all__ = ["SupportEnumerationError", "support_enumeration_polynomial", "support_profiles", "MAX_SUPPORT_PROFILES"]

METHOD = "support_enumeration_polynomial"
#: Seconds of enumeration before a progress bar appears (on a terminal; never with --quiet).
PROGRESS_DELAY = 1.0
#: Work budget: support profiles (the product over players of 2^strategies - 1) a game may have. 150 admits
#: 2×3×3 (147; at most 1.1 s for random games, benchmarks/results/nplayer.md), 2×2×2×2 (81) and 4×4
#: bimatrix games (225 is refused: 3×3×3 = 343 takes 3 to 6 s); ``max_work=`` raises it.
MAX_SUPPORT_PROFILES = 150
#: The float exclusion test (:func:`_excluded_by_subdivision`) runs before solving only on systems with at least
#: this many unknowns (4 bisection rounds; smaller systems solve exactly faster than it runs), and with
#: ``SUBDIVISION_ROUNDS`` rounds on a system whose solutions form a continuum (none of them may be an equilibrium).
SUBDIVISION_UNKNOWNS = 6
SUBDIVISION_ROUNDS = 12


class SupportEnumerationError(NegotiationError):
    """An option of :func:`support_enumeration_polynomial` is invalid."""


# ---------------------------------------------------------------------- entry point
@game_method("support_enumeration_polynomial")
def support_enumeration_polynomial(game, *, max_supports=None, timeout=None,
                                   max_work: int = MAX_SUPPORT_PROFILES, engine: str = "flint") -> SolveResult:
    """All isolated Nash equilibria of a game with any number of players, exactly.

    Parameters
    ----------
    game : Game
        A numeric game (exact or float payoffs). Aimed at 3–4 players with up
        to 4 strategies each; two-player games work too.
    max_supports : int, optional
        Solve at most this many support profiles (after pruning); the result is
        then ``complete=False`` if any were left.
    timeout : float, optional
        Stop starting new support profiles after this many seconds (a system
        already being solved is finished); ``complete=False`` then.
    max_work : int
        A game with more support profiles than this (default :data:`MAX_SUPPORT_PROFILES`) is refused
        before any is examined, with a :class:`~negotiation.core.errors.SolverLimitError`.
    engine : {"flint", "sympy"}
        How each support's system is solved exactly: ``"flint"`` (default) by multiplication matrices
        (:mod:`negotiation.solvers.multiplication_matrices`; the sympy path for a system with a multiple
        solution), ``"sympy"`` by sympy's Gröbner bases and FGLM alone — a second, independent exact
        implementation, slower.

    Returns
    -------
    SolveResult
        ``method="support_enumeration_polynomial"``. ``exact`` is ``True`` when
        the game is exact and every equilibrium is rational. Irrational
        equilibria are floats, each with its closed form in
        ``details["closed_forms"]``; their signs were certified exactly.
        ``complete`` is ``True`` when every support profile was solved and no
        system had a continuum of solutions (then every equilibrium is listed:
        all are isolated). A continuum is reported in ``messages`` as
        "non-isolated component on support …", with ``complete=False`` and
        ``degenerate=True``.

    Raises
    ------
    SupportEnumerationError
        For a symbolic game or an invalid option.

    Examples
    --------
    Three-player matching pennies (Jordan 1993): 1 matches 2, 2 matches 3, 3
    mismatches 1. The unique equilibrium has everyone mix half and half:

    >>> from negotiation import Game
    >>> import numpy as np
    >>> s = np.array([1, -1])
    >>> u1 = np.array([[[a * b for c in s] for b in s] for a in s])
    >>> u2 = np.array([[[b * c for c in s] for b in s] for a in s])
    >>> u3 = np.array([[[-a * c for c in s] for b in s] for a in s])
    >>> result = support_enumeration_polynomial(Game.from_arrays(u1, u2, u3))
    >>> [e.profile.describe() for e in result]
    ['Player 1: 1/2 1 + 1/2 2; Player 2: 1/2 1 + 1/2 2; Player 3: 1/2 1 + 1/2 2']
    >>> result.exact, result.complete
    (True, True)

    The three-player volunteer's dilemma with benefit 2 and cost 1 has a
    symmetric equilibrium with an irrational probability, ``1 - sqrt(2)/2``:

    >>> def volunteer(own, others):
    ...     return 1 if own == 0 else (2 if 0 in others else 0)
    >>> u = [np.array([[[volunteer((a, b, c)[i], [x for k, x in enumerate((a, b, c)) if k != i])
    ...                  for c in (0, 1)] for b in (0, 1)] for a in (0, 1)]) for i in range(3)]
    >>> result = support_enumeration_polynomial(Game.from_arrays(*u))
    >>> len(result), result.exact
    (7, False)
    >>> result.details["closed_forms"][0]["profile"]["Player 1"]
    {'1': '1 - sqrt(2)/2', '2': 'sqrt(2)/2'}
    """
    if game.is_symbolic:
        raise SupportEnumerationError("substitute parameter values before solving (game.substitute(...))")
    if max_supports is not None and (isinstance(max_supports, bool) or not isinstance(max_supports, int)
                                     or max_supports < 1):
        raise SupportEnumerationError(f"max_supports must be a positive integer, got {max_supports!r}")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not timeout > 0 or not math.isfinite(timeout)):
        raise SupportEnumerationError(f"timeout must be a positive number of seconds, got {timeout!r}")
    _check_work(game.shape, max_work)

    if engine not in ("flint", "sympy"):
        raise SupportEnumerationError(f"engine must be 'flint' or 'sympy', got {engine!r}")

    start = time.perf_counter()
    payoffs, units = zip(*(_integer_payoffs(game.payoff_array(i)) for i in range(game.n_players)))
    screens = [_screening_array(u) for u in payoffs]
    floats = [_unit_floats(u, screen) for u, screen in zip(payoffs, screens)]  # divided by a power of two
    profiles = _profiles(tuple(game.shape))
    dominated = conditionally_dominated(screens, game.shape, profile_table(tuple(game.shape), profiles))
    points = []             # (supports, probabilities per player, field) of each equilibrium found
    continua, unsolved = [], []
    pruned = excluded = solved = emptied = 0   # emptied: solved, a continuum, then shown to hold no equilibrium
    stopped = None
    # a bar on a terminal once the enumeration has run a second (--max-work lets it run for minutes)
    with progress_bar(len(profiles), "support enumeration", unit="support profiles", delay=PROGRESS_DELAY) as bar:
        for supports, is_dominated in zip(profiles, dominated.tolist()):
            bar.advance()
            if is_dominated:
                pruned += 1
                continue
            # systems with fewer unknowns solve faster than the float test runs (benchmarks/bench_nplayer.py)
            unknowns = sum(len(support) - 1 for support in supports)
            if unknowns >= SUBDIVISION_UNKNOWNS and _excluded_by_subdivision(floats, supports, max_rounds=4):
                excluded += 1
                continue
            if max_supports is not None and solved >= max_supports:
                stopped = f"stopped after max_supports={max_supports} support profiles"
                break
            if timeout is not None and time.perf_counter() - start > timeout:
                stopped = f"stopped by the timeout of {timeout:g} s"
                break
            solved += 1
            status, candidates = _solve_support(payoffs, game.shape, supports, engine)
            if status == "continuum" and (segment_is_empty(payoffs, supports)
                                          or _excluded_by_subdivision(floats, supports, max_rounds=SUBDIVISION_ROUNDS)):
                status = "ok"  # a continuum of solutions, none of them an equilibrium
                emptied += 1
            if status == "continuum":
                continua.append(supports)
            elif status == "unsolved":
                unsolved.append(supports)
            points.extend((supports, probabilities, field) for probabilities, field in candidates)
    remaining = len(profiles) - pruned - excluded - solved if stopped else 0
    return _assemble(game, (payoffs, units), points, continua, unsolved, stopped, remaining,
                     counts={"support_profiles": len(profiles), "pruned": pruned, "excluded": excluded + emptied,
                             "solved": solved},
                     seconds=time.perf_counter() - start)


@functools.lru_cache(maxsize=32)
def _profiles(shape):
    return tuple(support_profiles(shape))


def _check_work(shape, max_work) -> None:
    """Refuse a game with more than ``max_work`` support profiles before they are listed."""
    if sum(shape) > 100:  # 2^100 and more: the digits alone would be work
        count_text = f"about 10^{int(sum(shape) * math.log10(2))}"
    else:
        count = math.prod(2 ** n - 1 for n in shape)
        if count <= max_work:
            return
        count_text = f"{count:,}" if count < 10 ** 15 else f"about 10^{len(str(count)) - 1}"
    size = "×".join(map(str, shape))
    raise SolverLimitError(
        f"{METHOD}: the {size} game has {count_text} support profiles (more than {max_work:,}, the limit); "
        "use method='enumerate_pure' (pure equilibria) or 'lemke_howson' (two players, one equilibrium), "
        "or max_work= to raise the limit")


def support_profiles(shape) -> list[tuple[tuple[int, ...], ...]]:
    """Every support profile of a game, smallest total size and most balanced first.

    Examples
    --------
    >>> support_profiles((2, 2))[:5]
    [((0,), (0,)), ((0,), (1,)), ((1,), (0,)), ((1,), (1,)), ((0,), (0, 1))]
    >>> len(support_profiles((2, 2, 3)))
    63
    """
    per_player = [
        [c for size in range(1, n + 1) for c in itertools.combinations(range(n), size)] for n in shape
    ]
    profiles = list(itertools.product(*per_player))
    profiles.sort(key=lambda p: (sum(map(len, p)), max(map(len, p)) - min(map(len, p)),
                                 tuple(map(len, p)), p))
    return profiles


# ---------------------------------------------------------------------- payoffs and pruning
def _integer_payoffs(array) -> tuple[np.ndarray, int]:
    """One player's payoffs scaled by the common denominator: an object array of Python ints, and that
    denominator.

    Scaling one player's payoffs by a positive constant changes neither its best
    responses nor its indifference equations. Floats are taken at their exact
    binary value.
    """
    flat = array.ravel().tolist()
    if all(type(v) is int or (isinstance(v, Fraction) and v.denominator == 1) for v in flat):
        return np.array([int(v) for v in flat], dtype=object).reshape(array.shape), 1
    exact = np.empty(array.shape, dtype=object)
    for position, value in np.ndenumerate(array):
        exact[position] = Fraction(value) if not isinstance(value, Fraction) else value
    denominator = 1
    for value in exact.flat:
        denominator = math.lcm(denominator, value.denominator)
    out = np.empty(array.shape, dtype=object)
    for position, value in np.ndenumerate(exact):
        out[position] = int(value * denominator)
    return out, denominator


def _unit_floats(integers, screen):
    """:func:`~negotiation.solvers.verify.scaled_floats` of an integer array, directly when it is int64."""
    if screen.dtype != np.int64:
        return scaled_floats(integers)[0]
    largest = int(np.max(np.abs(screen))) if screen.size else 0
    if largest == 0:
        return screen.astype(float)
    return np.ldexp(screen.astype(float), -largest.bit_length())  # the largest into [0.5, 1)


def _screening_array(integers):
    """The same integers as int64 when they fit (fast comparisons), else the object array."""
    if all(-(2**62) < v < 2**62 for v in integers.flat):
        return integers.astype(np.int64)
    return integers


def _excluded_by_subdivision(floats, supports, *, max_rounds=12, max_regions=1024) -> bool:
    """Whether the support profile provably holds no equilibrium (a sound float pre-filter).

    Each player's mixed strategies on its support form a simplex; a candidate
    lies in their product. On a product of sub-simplices, each indifference
    function ``u_i(s) - u_i(ref)`` and each deviation gain ``u_i(t) - u_i(ref)``
    (``t`` outside the support) is affine in every player's mix, so its range
    is spanned by its values at the vertex combinations. A region is discarded
    when an indifference function keeps one strict sign on it or a deviation
    gain is positive throughout (beyond a margin of 1e-9 times the player's payoff
    scale, far above float rounding: ``floats`` holds each player's payoffs divided
    by a power of two that brings the largest into ``[0.5, 1)``); the others are bisected along their longest
    edge, one player at a time. ``True`` only when every region is discarded;
    otherwise the exact solver decides.
    """
    n_players = len(supports)
    mixing = [j for j in range(n_players) if len(supports[j]) > 1]
    if not mixing or n_players == 1:
        return False
    tensors, margins = [], []
    for i, u in enumerate(floats):
        index = np.ix_(*[range(u.shape[j]) if j == i else supports[j] for j in range(n_players)])
        tensor = np.moveaxis(u[index], i, 0)
        tensors.append(tensor)
        margins.append(1e-9 * (float(np.max(np.abs(tensor))) + 1.0))
    letters = "abcdefghijklmnopq"
    vertices = [np.eye(len(s))[None] for s in supports]  # (regions, vertex, coordinate)
    for round_ in range(max_rounds + 1):
        keep = np.ones(vertices[0].shape[0], dtype=bool)
        for i in range(n_players):
            others = [j for j in range(n_players) if j != i]
            spec = "s" + "".join(letters[k] for k in range(len(others)))
            spec += "," + ",".join(f"r{letters[k + 8]}{letters[k]}" for k in range(len(others)))
            spec += "->rs" + "".join(letters[k + 8] for k in range(len(others)))
            values = np.einsum(spec, tensors[i], *[vertices[j] for j in others])
            values = values.reshape(values.shape[0], values.shape[1], -1)
            reference = values[:, supports[i][0]]
            for s in range(values.shape[1]):
                if s == supports[i][0]:
                    continue
                gain = values[:, s] - reference
                low, high = gain.min(axis=1), gain.max(axis=1)
                if s in supports[i]:
                    keep &= (low <= margins[i]) & (high >= -margins[i])
                else:
                    keep &= low <= margins[i]
        if not keep.any():
            return True
        if round_ == max_rounds or keep.sum() * 2 > max_regions:
            return False
        vertices = [v[keep] for v in vertices]
        player = mixing[round_ % len(mixing)]
        v = vertices[player]
        distances = np.sum((v[:, :, None, :] - v[:, None, :, :]) ** 2, axis=-1)
        flat_index = distances.reshape(len(v), -1).argmax(axis=1)
        a, b = np.divmod(flat_index, v.shape[1])
        rows = np.arange(len(v))
        middle = (v[rows, a] + v[rows, b]) / 2
        first, second = v.copy(), v.copy()
        first[rows, b] = middle
        second[rows, a] = middle
        vertices = [np.concatenate([w, w]) if j != player else np.concatenate([first, second])
                    for j, w in enumerate(vertices)]
    return False


def _expected_payoffs(u, i, probabilities, supports, zero):
    """Player ``i``'s payoff of each own strategy against the others' mix.

    ``probabilities[j][a]`` is any number-like (int, PolyElement, field element);
    only the others' support strategies are visited.
    """
    n_players = u.ndim
    others = [j for j in range(n_players) if j != i]
    values = []
    for s in range(u.shape[i]):
        total = zero
        for actions in itertools.product(*(supports[j] for j in others)):
            position = list(actions)
            position.insert(i, s)
            coefficient = u[tuple(position)]
            if coefficient == 0:
                continue
            weight = coefficient
            for j, a in zip(others, actions):
                weight = probabilities[j][a] * weight
            total = total + weight
        values.append(total)
    return values


# ---------------------------------------------------------------------- one support profile
def _solve_support(payoffs, shape, supports, engine="flint"):
    """Solve one support profile.

    Returns ``(status, candidates)``: status ``"ok"``, ``"continuum"`` or
    ``"unsolved"``; candidates are ``(probabilities, field)`` pairs that passed
    every check, probabilities as field elements per player and strategy.
    """
    n_vars = sum(len(s) - 1 for s in supports)
    if n_vars == 0:
        field = RealAlgebraicField.rational(Fraction(0))
        probabilities = _probabilities_in_field(field, shape, supports, [])
        return "ok", ([(probabilities, field)] if _is_equilibrium(payoffs, probabilities, supports) else [])
    equations = indifference_equations(payoffs, supports)
    if equations is None:
        return "ok", []  # a nonzero constant equation: no solution
    status, solutions = solve_square_system(equations, n_vars, engine=engine,
                                           screen=lambda balls: _ball_verdict(payoffs, shape, supports, balls))
    candidates = []
    for field, coordinates in solutions:
        point = _probabilities_in_field(field, shape, supports, coordinates)
        if _is_equilibrium(payoffs, point, supports):
            candidates.append((point, field))
    return status, candidates


def indifference_equations(payoffs, supports):
    """The indifference equations of a support profile, as dicts ``{exponent tuple: int}``.

    Player ``j``'s unknowns are the probabilities of ``supports[j][1:]`` (in player order); the
    first support strategy has ``1 - sum``. Player ``i``'s equation for ``s`` in ``supports[i][1:]``
    is ``u_i(s) - u_i(supports[i][0]) = 0`` against the others' mix, expanded in those unknowns.
    Zero equations are dropped; ``None`` when one is a nonzero constant (no solution).
    """
    n_players = len(supports)
    offsets, k = [], 0
    for support in supports:
        offsets.append(k)
        k += len(support) - 1
    n_vars = k
    # each player's probability of a support strategy as terms (variable index or None, coefficient)
    terms_of = []
    for j, support in enumerate(supports):
        first = [(None, 1)] + [(offsets[j] + b, -1) for b in range(len(support) - 1)]
        terms_of.append({a: (first if b == 0 else [(offsets[j] + b - 1, 1)]) for b, a in enumerate(support)})
    equations = []
    for i, u in enumerate(payoffs):
        others = [j for j in range(n_players) if j != i]
        expansions = []   # (others' support actions, monomial, coefficient) of the product of probabilities
        for actions in itertools.product(*(supports[j] for j in others)):
            for combination in itertools.product(*(terms_of[j][a] for j, a in zip(others, actions))):
                exponent = [0] * n_vars
                coefficient = 1
                for variable, value in combination:
                    coefficient *= value
                    if variable is not None:
                        exponent[variable] = 1
                expansions.append((actions, tuple(exponent), coefficient))
        reference = supports[i][0]
        for s in supports[i][1:]:
            terms = {}
            for actions, exponent, coefficient in expansions:
                position = list(actions)
                position.insert(i, s)
                difference = u[tuple(position)]
                position[i] = reference
                difference -= u[tuple(position)]
                if difference:
                    terms[exponent] = terms.get(exponent, 0) + int(difference) * coefficient
            terms = {m: c for m, c in terms.items() if c}
            if not terms:
                continue
            if len(terms) == 1 and not any(next(iter(terms))):
                return None
            equations.append(terms)
    return equations


def _probabilities_in_field(field, shape, supports, coordinates):
    vectors, k = [], 0
    for n, support in zip(shape, supports):
        vector = [field.zero] * n
        rest = coordinates[k:k + len(support) - 1]
        k += len(support) - 1
        total = field.zero
        for value in rest:
            total = total + value
        vector[support[0]] = field.one - total
        for strategy, value in zip(support[1:], rest):
            vector[strategy] = value
        vectors.append(vector)
    return vectors


def _is_equilibrium(payoffs, probabilities, supports) -> bool:
    """Exact check: positive probabilities on the supports, no profitable deviation outside.

    In an irrational field the signs are first read off rigorous ball enclosures (FLINT's ``arb``,
    from the certified root of the minimal polynomial); only a ball containing 0 sends the candidate
    to exact arithmetic in the field (as a degenerate game's exact tie would).
    """
    decided = _decided_by_balls(payoffs, probabilities, supports)
    if decided is not None:
        return decided
    if probabilities[0][0].field.is_rational:  # plain Fractions: the same test without field elements
        probabilities = [[p.values[0] for p in vector] for vector in probabilities]
        for vector, support in zip(probabilities, supports):
            if any(vector[s] <= 0 for s in support):
                return False
        for i, u in enumerate(payoffs):
            values = _expected_payoffs(u, i, probabilities, supports, Fraction(0))
            reference = values[supports[i][0]]
            if any(values[s] > reference for s in range(u.shape[i]) if s not in supports[i]):
                return False
        return True
    for vector, support in zip(probabilities, supports):
        if any(vector[s].sign() <= 0 for s in support):
            return False
    for i, u in enumerate(payoffs):
        field = probabilities[0][0].field
        values = _expected_payoffs(u, i, probabilities, supports, field.zero)
        reference = values[supports[i][0]]
        for s in range(u.shape[i]):
            if s not in supports[i] and (values[s] - reference).sign() > 0:
                return False
    return True


def _ball_verdict(payoffs, shape, supports, coordinates):
    """:func:`_is_equilibrium` on ``arb`` balls of a solution's unknowns: ``True``/``False`` when decided."""
    import flint

    balls, k = [], 0
    for n, support in zip(shape, supports):
        vector = [flint.arb(0)] * n
        rest = coordinates[k:k + len(support) - 1]
        k += len(support) - 1
        vector[support[0]] = 1 - sum(rest, flint.arb(0))
        for strategy, value in zip(support[1:], rest):
            vector[strategy] = value
        balls.append(vector)
    return _signs_decided(payoffs, balls, supports)


def _decided_by_balls(payoffs, probabilities, supports):
    """``True``/``False`` when ball arithmetic decides every sign of :func:`_is_equilibrium`, else ``None``."""
    field = probabilities[0][0].field
    if field.is_rational or field.ball is None:
        return None
    balls = [[field.ball_value(p.values) for p in vector] for vector in probabilities]
    return _signs_decided(payoffs, balls, supports)


def _signs_decided(payoffs, balls, supports):
    """``False`` if some condition certainly fails on the balls, ``True`` if all certainly hold, else ``None``."""
    import flint

    undecided = False
    for vector, support in zip(balls, supports):
        for s in support:
            if vector[s] < 0:
                return False
            undecided = undecided or not vector[s] > 0
    for i, u in enumerate(payoffs):
        values = _expected_payoffs(u, i, balls, supports, flint.arb(0))
        reference = values[supports[i][0]]
        for s in range(u.shape[i]):
            if s in supports[i]:
                continue
            gain = values[s] - reference
            if gain > 0:
                return False
            undecided = undecided or not gain < 0
    return None if undecided else True


# ---------------------------------------------------------------------- the result
def _assemble(game, integers, points, continua, unsolved, stopped, remaining, counts, seconds):
    equilibria, closed_forms, seen = [], [], []
    for supports, probabilities, field in points:
        vectors = tuple(tuple(p.value() for p in vector) for vector in probabilities)
        if game.is_exact and field.is_rational:
            profile = MixedProfile.from_vectors(game, vectors)
        else:
            vectors = tuple(tuple(float(v) for v in vector) for vector in vectors)
            profile = MixedProfile.from_vectors(game, vectors)
        flat = [float(v) for vector in vectors for v in vector]
        if any(max(abs(a - b) for a, b in zip(flat, other)) <= 1e-12 for other in seen):
            continue  # the same equilibrium found twice (cannot happen with strict supports)
        seen.append(flat)
        if not field.is_rational:
            closed_forms.append({
                "equilibrium": len(equilibria),
                "profile": {
                    player: {label: field.closed_form_text(p.values) for label, p in zip(labels, vector)}
                    for player, labels, vector in zip(game.players, game.strategies, probabilities)
                },
                "minimal_polynomial": field.minimal_polynomial_text(),
            })
        if game.is_exact and field.is_rational:
            equilibria.append(_exactly_verified(game, profile, *integers))
        else:
            equilibria.append(verified_equilibrium(game, profile, method=METHOD))

    messages = []
    exact = game.is_exact and not closed_forms
    if not game.is_exact:
        messages.append("float payoffs were solved exactly at their binary rational values; "
                        "probabilities are shown as floats")
    if closed_forms:
        messages.append(
            f"{len(closed_forms)} equilibri{'um has' if len(closed_forms) == 1 else 'a have'} irrational "
            "probabilities: shown as floats, closed forms in details['closed_forms']; positivity and "
            "best responses were certified exactly (sign evaluation in the algebraic number field)")
    for supports in continua:
        messages.append(f"non-isolated component on support {_describe_supports(game, supports)}: the "
                        "indifference equations have a continuum of solutions; equilibria on it "
                        "(if any) are not listed")
    for supports in unsolved:
        messages.append(f"support {_describe_supports(game, supports)} could not be solved exactly "
                        "(no shape basis found); equilibria on it (if any) are not listed")
    if stopped:
        messages.append(f"{stopped}: {remaining} support profiles were not examined")
    details = {
        "support_profiles": counts["support_profiles"],
        "pruned_by_conditional_dominance": counts["pruned"],
        "excluded_by_subdivision": counts["excluded"],
        "systems_solved": counts["solved"],
        "seconds": round(seconds, 6),
    }
    if closed_forms:
        details["closed_forms"] = closed_forms
    if continua:
        details["non_isolated_supports"] = [
            {player: [labels[s] for s in support] for player, labels, support in zip(game.players, game.strategies, supports)}
            for supports in continua]
    return SolveResult(
        game=game,
        equilibria=tuple(equilibria),
        method=METHOD,
        exact=exact,
        complete=not (continua or unsolved or stopped),
        degenerate=True if continua else None,
        components=tuple((k,) for k in range(len(equilibria))),
        parameters=dict(game.values),
        messages=tuple(messages),
        details=details,
    )


def _exactly_verified(game, profile, integer_payoffs, units) -> Equilibrium:
    """The profile as an :class:`Equilibrium` after an exact check on the game's own payoffs (a second look,
    apart from the solver's field arithmetic): distributions, and every player's regret exactly 0.

    The same check as :func:`negotiation.solvers.verify.verified_equilibrium`, in integers: each player's
    payoffs and probabilities are multiplied by their common denominators (which changes no comparison),
    and only the supports are summed over.
    """
    supports, weights, scales = [], [], []
    for i, vector in enumerate(profile.probabilities):
        if any(p < 0 for p in vector) or sum(vector) != 1:
            raise VerificationError(f"{METHOD}: {game.players[i]}'s probabilities {vector} are not a distribution")
        scale = math.lcm(*(p.denominator for p in vector))
        supports.append(tuple(s for s, p in enumerate(vector) if p))
        weights.append([int(p * scale) for p in vector])
        scales.append(scale)
    payoffs = []
    for i in range(game.n_players):
        unit = units[i]   # the game's payoffs of player i are integer_payoffs[i] / unit, exactly
        values = _expected_payoffs(integer_payoffs[i], i, weights, supports, 0)
        total = sum(weights[i][s] * values[s] for s in supports[i])   # = scales[i] * expected payoff (scaled)
        if max(values) * scales[i] != total:
            raise VerificationError(f"{METHOD}: profile {profile.describe()} has a positive regret")
        denominator = unit * math.prod(scales)
        payoffs.append(Fraction(int(total), denominator))
    return Equilibrium(profile, tuple(payoffs), Fraction(0))


def _describe_supports(game, supports) -> str:
    return "(" + "; ".join(
        f"{player}: {', '.join(labels[s] for s in support)}"
        for player, labels, support in zip(game.players, game.strategies, supports)
    ) + ")"
