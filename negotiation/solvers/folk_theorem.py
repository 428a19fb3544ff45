"""The folk theorem for an infinitely repeated game: minmax values, the individually rational payoffs,
and which pure profiles can be played forever.

The feasible, individually rational payoffs are the convex hull of the pure payoff vectors
intersected with ``{u >= minmax}`` (exact 2-D geometry of :mod:`negotiation.core.geometry`); with two
players every feasible payoff strictly above the minmax values is a subgame-perfect equilibrium
payoff for ``δ`` close to 1, with three or more players when that set is full-dimensional
(Fudenberg & Maskin 1986). Minmax values are linear programs (HiGHS), rebuilt exactly for exact games.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.core.errors import SolverLimitError
from negotiation.core.geometry import clip, convex_hull
from negotiation.core.linalg import rank_exact, solve_exact
from negotiation.core.numeric import exact_value
from negotiation.results.repeated import (FolkTheoremResult, MinmaxProfile, ProfileSustainability,
                                          RepeatedGameError)
from negotiation.solvers.methods import solve_game
from negotiation.solvers.trigger_strategies import (check_discount, grim_with_nash_reversion, labels_of,
                                                    pure_nash_positions, require_numeric)

__all__ = ["minmax_values", "feasible_individually_rational_set", "folk_theorem"]

TOLERANCE = 1e-7


# ---------------------------------------------------------------------- minmax
def minmax_values(game) -> dict:
    """Each player's mixed minmax value: the least payoff the others can hold it to.

    ``min over the others' (independently) mixed strategies of max over own pure
    strategies``. For two players this is a linear program, rebuilt exactly for
    exact games. For three or more players the others' mixing is taken as
    *correlated* (still an LP); that value can be below the minmax with
    independent mixing, so it is then a lower bound (:func:`folk_theorem`
    also reports the pure minmax, an upper bound).

    Examples
    --------
    >>> import negotiation as ng
    >>> pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=("H", "S"))
    >>> ng.minmax_values(pennies)
    {'H': Fraction(0, 1), 'S': Fraction(0, 1)}
    """
    require_numeric(game, "minmax_values")
    return {player: _minmax(_minmax_matrix(game, i), game.is_exact)[0]
            for i, player in enumerate(game.players)}


def _minmax_matrix(game, i):
    """Rows: player ``i``'s strategies; columns: the others' joint profiles (C order)."""
    u = np.moveaxis(np.asarray(game.payoff_array(i)), i, 0)
    return u.reshape(u.shape[0], -1)


def _minmax(matrix, exact):
    """``min_y max_r (M y)_r`` over distributions ``y`` on the columns: ``(value, y, rebuilt exactly)``.

    Solved by HiGHS on payoffs scaled to [0, 1]; for exact games the optimal
    vertex is rebuilt from its tight rows and support and checked exactly.
    """
    from scipy.optimize import linprog  # heavy: only when a minmax is computed

    M = [[exact_value(v) for v in row] for row in matrix]
    F = np.array([[float(v) for v in row] for row in M])
    m, n = F.shape
    low, span = F.min(), max(F.max() - F.min(), 1.0)
    S = (F - low) / span
    cost = np.zeros(n + 1)
    cost[-1] = 1.0  # minimise w
    upper = np.hstack([S, -np.ones((m, 1))])  # (S y)_r - w <= 0
    equality = np.hstack([np.ones((1, n)), np.zeros((1, 1))])
    solution = linprog(cost, A_ub=upper, b_ub=np.zeros(m), A_eq=equality, b_eq=[1.0],
                       bounds=[(0, None)] * n + [(None, None)], method="highs")
    if solution.status != 0:
        raise SolverLimitError(f"HiGHS failed on the minmax LP: {solution.message}")
    y, w = np.maximum(solution.x[:n], 0), solution.x[-1]
    y = y / y.sum()
    if exact:
        rebuilt = _rebuild_minmax(M, S, y, w)
        if rebuilt is not None:
            return (*rebuilt, True)
    return float(low + span * w), [float(q) for q in y], False


def _rebuild_minmax(M, S, y, w):
    """The exact ``(value, y)`` at the LP vertex found in floating point (its support and tight rows), or ``None``."""
    m, n = len(M), len(M[0])
    support = [k for k in range(n) if y[k] > TOLERANCE]
    rows = S @ y
    tight = [r for r in range(m) if rows[r] >= w - TOLERANCE]
    equations = [[M[r][k] for k in support] + [Fraction(-1)] for r in tight]
    equations.append([Fraction(1)] * len(support) + [Fraction(0)])
    solved = solve_exact(equations, [Fraction(0)] * len(tight) + [Fraction(1)])
    if solved is None:
        return None
    *weights, value = solved
    if any(q < 0 for q in weights) or any(
            sum(M[r][k] * q for k, q in zip(support, weights)) > value for r in range(m)):
        return None
    full = [Fraction(0)] * n
    for k, q in zip(support, weights):
        full[k] = q
    return value, full


def _minmax_profile(game, i) -> MinmaxProfile:
    """How the others hold player ``i`` to its minmax value: their distribution and ``i``'s best replies."""
    exact = game.is_exact
    convert = exact_value if exact else float
    matrix = _minmax_matrix(game, i)
    value, weights, rebuilt = _minmax(matrix, exact)
    others = [j for j in range(game.n_players) if j != i]
    other_shape = [game.shape[j] for j in others]
    rows = [[convert(v) for v in row] for row in matrix]
    distribution = {}
    for k, q in enumerate(weights):
        if (q > 0) if rebuilt else (q > TOLERANCE):
            index = np.unravel_index(k, other_shape)
            distribution[tuple(game.strategies[j][int(index[t])] for t, j in enumerate(others))] = q
    against = [sum((row[k] * q for k, q in enumerate(weights) if q), convert(0)) for row in rows]
    best = max(against)
    scale = max(1.0, max(abs(float(v)) for row in rows for v in row))
    best_responses = tuple(game.strategies[i][r] for r, v in enumerate(against)
                           if (v == best if rebuilt else float(v) >= float(best) - 1e-9 * scale))
    pure_value = min(max(row[k] for row in rows) for k in range(len(rows[0])))
    return MinmaxProfile(player=game.players[i], value=value, punishers=tuple(game.players[j] for j in others),
                         distribution=distribution, best_responses=best_responses, correlated=game.n_players > 2,
                         pure_value=pure_value, exact=rebuilt)


# ---------------------------------------------------------------------- the feasible, individually rational set
def feasible_individually_rational_set(game, minmax=None) -> list:
    """Feasible, individually rational payoffs of a two-player game as a convex polygon.

    The convex hull of the pure payoff vectors, clipped to ``u_1 >= m_1`` and
    ``u_2 >= m_2`` where ``m`` are the mixed minmax values, in exact arithmetic
    for exact games.

    Parameters
    ----------
    game : Game
        Two-player exact or float game.
    minmax : mapping, optional
        Minmax value per player label (default :func:`minmax_values`).

    Returns
    -------
    list of tuple
        Vertices ``(u_1, u_2)`` in counterclockwise order starting from the
        lexicographically smallest; empty if the set is empty; a segment or point
        if degenerate.

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"))
    >>> [tuple(str(v) for v in vertex) for vertex in feasible_individually_rational_set(pd)]
    [('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')]
    """
    if game.n_players != 2:
        raise RepeatedGameError("feasible_individually_rational_set needs a two-player game")
    if game.is_symbolic:
        raise RepeatedGameError("substitute parameter values first (game.substitute(...))")
    if minmax is None:
        minmax = minmax_values(game)
    convert = exact_value if game.is_exact else float
    polygon = convex_hull([tuple(convert(v) for v in game.payoffs[position])
                           for position in np.ndindex(*game.shape)])
    for axis, player in enumerate(game.players):
        # the part of the polygon where coordinate ``axis`` is at least the player's minmax
        polygon = convex_hull(clip(polygon, (1, 0) if axis == 0 else (0, 1), convert(minmax[player])))
    return polygon


def _affine_dimension(points, exact) -> int:
    if len(points) <= 1:
        return 0
    differences = [[a - b for a, b in zip(p, points[0])] for p in points[1:]]
    if exact:
        return rank_exact(differences)
    array = np.array(differences, dtype=float)
    scale = max(1.0, float(np.abs(array).max()))
    return int(np.linalg.matrix_rank(array, tol=1e-9 * scale))


def _strict_margin(points, bounds) -> float:
    """``max s`` with a convex combination of ``points`` at least ``bounds + s`` in every coordinate (scaled)."""
    from scipy.optimize import linprog  # heavy: only for three or more players

    P = np.array(points, dtype=float)
    b = np.array(bounds, dtype=float)
    scale = max(1.0, float(np.abs(P).max()), float(np.abs(b).max()))
    P, b = P / scale, b / scale
    k, n = P.shape
    cost = np.zeros(k + 1)
    cost[-1] = -1.0
    upper = np.hstack([-P.T, np.ones((n, 1))])  # s - sum λ p_i <= -b_i
    solution = linprog(cost, A_ub=upper, b_ub=-b, A_eq=np.hstack([np.ones((1, k)), [[0.0]]]), b_eq=[1.0],
                       bounds=[(0, None)] * k + [(None, 1.0)], method="highs")
    if solution.status != 0:
        raise SolverLimitError(f"HiGHS failed on the individual-rationality LP: {solution.message}")
    return float(solution.x[-1])


def _region(game, points, minmax, lower, upper):
    """``(feasible vertices, IR vertices, strictly IR nonempty?)``: polygons for two players; for three or
    more an LP decides whether some feasible payoff is strictly above the minmax bounds."""
    if game.n_players == 2:
        feasible = tuple(convex_hull(points))
        ir = tuple(feasible_individually_rational_set(game, minmax))
        strict = bool(ir) and all(sum(v[k] for v in ir) / len(ir) > minmax[p] for k, p in enumerate(game.players))
        return feasible, ir, strict
    if _strict_margin(points, upper) > TOLERANCE:
        strict = True
    elif _strict_margin(points, lower) < TOLERANCE:
        strict = False
    else:
        strict = None
    return (), (), strict


# ---------------------------------------------------------------------- pure profiles
def _bounds_verdict(point, lower, upper, strictly: bool) -> bool | None:
    """``point ≥ minmax`` (``>`` if ``strictly``) for every player: decided by the bounds, or ``None``."""
    below = (lambda u, bound: u <= bound) if strictly else (lambda u, bound: u < bound)
    above = (lambda u, bound: u > bound) if strictly else (lambda u, bound: u >= bound)
    if any(below(u, lo) for u, lo in zip(point, lower)):
        return False
    if all(above(u, hi) for u, hi in zip(point, upper)):
        return True
    return None


def _folk_verdict(stage_nash, rational, strictly, two_players, full) -> str:
    """A key of :data:`~negotiation.results.repeated.FOLK_VERDICTS`."""
    if stage_nash:
        return "stage-nash"
    if rational is False:
        return "below-minmax"
    if strictly is True:
        if two_players or full is True:
            return "sustainable"
        return "not-full-dimensional" if full is False else "undetermined"
    if strictly is False and rational is True:
        return "boundary"
    return "undetermined"


def _profiles(game, points, lower, upper, full, delta) -> tuple:
    """One :class:`ProfileSustainability` per pure profile."""
    nash = sorted(pure_nash_positions(game, {}))
    profiles = []
    for position, point in zip(np.ndindex(*game.shape), points):
        stage_nash = position in nash
        rational = _bounds_verdict(point, lower, upper, strictly=False)
        strictly = _bounds_verdict(point, lower, upper, strictly=True)
        threshold, note = grim_with_nash_reversion(game, position, nash)
        profiles.append(ProfileSustainability(
            profile=labels_of(game, position), payoffs=tuple(game.payoffs[position]), stage_nash=stage_nash,
            individually_rational=rational, strictly_individually_rational=strictly,
            folk=_folk_verdict(stage_nash, rational, strictly, game.n_players == 2, full),
            grim_threshold=threshold, grim_note=note,
            sustained=None if (delta is None or threshold is None) else bool(delta >= threshold)))
    return tuple(profiles)


def _theorem_messages(n, dimension, full, minmax_profiles) -> list:
    """The folk theorem as applied, and grim trigger's condition."""
    if n == 2:
        messages = [
            "Fudenberg & Maskin (1986), two players: every feasible payoff vector strictly above both minmax "
            "values is the average payoff of a subgame-perfect equilibrium of the infinitely repeated game for "
            "every δ close enough to 1 (perfect monitoring; payoffs that are not those of a pure profile need "
            "public randomisation or a time-varying path)"]
    else:
        status = {True: "holds", False: "fails", None: "is undecided"}[full]
        messages = [
            f"Fudenberg & Maskin (1986), n ≥ 3 players: the conclusion needs full dimensionality, i.e. the "
            f"feasible, individually rational set has dimension n = {n}; here its feasible set has dimension "
            f"{dimension}, so the condition {status}. Without it the conclusion can fail (their three-player "
            "counterexample with identical payoffs); Abreu, Dutta & Smith (1994) weaken it to 'no two players "
            "have equivalent payoffs' [U]"]
        if any(not m.determined for m in minmax_profiles):
            messages.append(
                "3+ players: the minmax with independently mixing punishers is only bracketed between the "
                "correlated minmax (LP, lower bound) and the pure minmax (upper bound); verdicts use the bound "
                "that is safe")
    messages.append("repeating a stage Nash equilibrium in every period is subgame perfect for every δ")
    messages.append(
        "grim trigger with Nash reversion (Friedman 1971): after any deviation the pure stage equilibrium worst "
        "for the deviator is played forever; it sustains the profile iff δ ≥ max_i (d_i − v_i)/(d_i − p_i) "
        "(d: best one-shot deviation, v: target, p: punishment payoff)")
    return messages


def folk_theorem(game, *, discount=None) -> FolkTheoremResult:
    """The folk theorem for the infinitely repeated game, and grim trigger per pure profile.

    Computes each player's minmax value and the (mixed) profile that attains
    it, the feasible payoffs (convex hull of the pure payoff vectors) and
    their individually rational part, and for every pure profile whether
    playing it in every period is sustainable:

    * for δ close to 1, by the folk theorem of Fudenberg & Maskin (1986): two
      players — every feasible payoff strictly above both minmax values;
      three or more players — the same if the feasible, individually rational
      set is full-dimensional (dimension = number of players);
    * at a given δ, by grim trigger with Nash reversion (Friedman 1971): after
      a deviation the worst pure stage equilibrium for the deviator is played
      forever; sustained iff ``δ ≥ max_i (d_i − v_i)/(d_i − p_i)``.

    Parameters
    ----------
    game : Game
        Numeric (exact or float) stage game.
    discount : number, optional
        A discount factor in [0, 1) at which to check grim trigger.

    Returns
    -------
    FolkTheoremResult

    Raises
    ------
    RepeatedGameError
        For a symbolic game or a discount factor outside [0, 1).

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> result = ng.folk_theorem(pd, discount="3/5")
    >>> result.minmax
    {'A': Fraction(1, 1), 'B': Fraction(1, 1)}
    >>> [tuple(str(x) for x in v) for v in result.individually_rational_vertices]
    [('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')]
    >>> entry = result.profile(("C", "C"))
    >>> entry.folk, entry.grim_condition, entry.sustained
    ('sustainable', 'δ ≥ 1/2', True)
    """
    require_numeric(game, "folk_theorem")
    delta = check_discount(discount, finite=False)
    n = game.n_players
    exact = game.is_exact
    messages = []
    minmax_profiles = tuple(_minmax_profile(game, i) for i in range(n))
    all_rebuilt = not exact or all(m.exact for m in minmax_profiles)
    if not all_rebuilt:
        messages.append("a minmax LP vertex could not be rebuilt exactly; that value is HiGHS's floating-point answer")
    minmax = {m.player: m.value for m in minmax_profiles}
    lower = [m.value for m in minmax_profiles]
    upper = [m.value if n == 2 else m.pure_value for m in minmax_profiles]

    convert = exact_value if exact else float
    points = [tuple(convert(v) for v in game.payoffs[p]) for p in np.ndindex(*game.shape)]
    dimension = _affine_dimension(sorted(set(points)), exact)
    feasible, ir, strict = _region(game, points, minmax, lower, upper)
    if n > 2:
        messages.append("with three or more players the feasible set is not drawn as a polygon; whether some "
                        "feasible payoff is strictly above the minmax values is decided by a floating-point LP")
    full = (dimension == n and strict) if strict is not None else (False if dimension < n else None)
    messages.extend(_theorem_messages(n, dimension, full, minmax_profiles))
    return FolkTheoremResult(
        game=game, exact=exact and all_rebuilt, minmax=minmax, minmax_profiles=minmax_profiles,
        feasible_vertices=feasible, individually_rational_vertices=ir, strictly_individually_rational=strict,
        dimension=dimension, full_dimensional=full, stage_equilibria=solve_game(game),
        profiles=_profiles(game, points, lower, upper, full, delta), discount=delta, messages=tuple(messages))
