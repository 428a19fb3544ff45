"""The Moran process of a symmetric two-player game in a finite population: exact fixation probabilities,
absorption times, the rare-mutation limit, and seeded simulations.

A population of ``N`` players is matched at random (every player meets every other once, never
itself). With ``i`` players of strategy A and ``N − i`` of strategy B of the 2×2 game
``[[a, b], [c, d]]`` the average payoffs are (Nowak et al. 2004, eq. 1)

    π_A(i) = (a (i − 1) + b (N − i)) / (N − 1),    π_B(i) = (c i + d (N − i − 1)) / (N − 1),

and the fitnesses ``f_i = 1 − w + w π_A(i)``, ``g_i = 1 − w + w π_B(i)``, where ``w`` is the intensity of
selection (``w = 0``: neutral drift, ``w = 1``: fitness is payoff). Each step one player is chosen to
reproduce with probability proportional to fitness and one player (possibly the parent) dies at random;
the offspring takes its place. The probability that one A mutant takes over a population of B players is
(Karlin and Taylor 1975; Nowak et al. 2004, eq. 2)

    ρ_A = 1 / (1 + Σ_{k=1}^{N−1} Π_{i=1}^{k} g_i / f_i),

computed here exactly in rationals when the payoffs and ``w`` are rational. A game with more strategies
gives the fixation probability of every mutant in every resident population, and with rare mutations the
population spends its time at the monomorphic states in the proportions of the stationary distribution of
the embedded chain ``i → j`` with probability ``ρ_{ij} / (k − 1)`` (Fudenberg and Imhof 2006).

Work limits (checked before the work):

* :data:`MAX_POPULATION` (10,000): the population size ``N``; raised by ``max_population=``;
* :data:`MAX_EXACT_TIME_POPULATION` (200): the largest ``N`` whose absorption times are exact (floats above);
* :data:`MAX_FIXATION_WORK` (10,000): unordered pairs of strategies ``k (k − 1) / 2`` times ``N``;
* :data:`MAX_MORAN_STEPS` (100,000): steps of one simulated run; raised by ``max_steps=``.

References
----------
Nowak, M. A., Sasaki, A., Taylor, C. and Fudenberg, D. (2004). Emergence of cooperation and evolutionary
stability in finite populations. *Nature* 428: 646–650.

Taylor, C., Fudenberg, D., Sasaki, A. and Nowak, M. A. (2004). Evolutionary game dynamics in finite
populations. *Bulletin of Mathematical Biology* 66: 1621–1644.

Fudenberg, D. and Imhof, L. A. (2006). Imitation processes with small mutations. *Journal of Economic
Theory* 131: 251–262.

Karlin, S. and Taylor, H. M. (1975). *A First Course in Stochastic Processes*, 2nd ed. Academic Press,
ch. 4, section 7 (birth-and-death chains: absorption probabilities and mean absorption times).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np

from negotiation.core.errors import SolverLimitError
from negotiation.core.linalg import solve_exact
from negotiation.core.numeric import coerce_number
from negotiation.models.profile import MixedProfile
from negotiation.results.dynamics import Trajectory
from negotiation.results.evolution import EvolutionError, FixationProbabilities

__all__ = ["symmetric_payoffs", "fixation_probabilities", "pair_fixation", "moran_process", "rare_mutation_distribution",
           "MAX_POPULATION", "MAX_EXACT_TIME_POPULATION", "MAX_FIXATION_WORK", "MAX_MORAN_STEPS"]

#: Largest population size. Measured: the exact fixation probabilities of one pair of strategies with payoffs
#: in tenths and w = 1/10 cost 0.05 s at N = 1,000, 0.5 s at 5,000 and 1.3 s at 10,000 (the integers grow with N).
MAX_POPULATION = 10_000
#: Largest population whose absorption times are computed in rationals (above it: floats, relative error about
#: 1e-12). Measured: the exact tridiagonal elimination costs 0.1 s at N = 200 and 2.4 s at N = 1,000.
MAX_EXACT_TIME_POPULATION = 200
#: Unordered pairs of strategies times N (each pair is computed once for both directions): the work of one
#: analysis is about that of one pair at this population, 1.3 s (a 2-strategy game up to N = 10,000; a
#: 10-strategy game, 45 pairs, up to N = 222).
MAX_FIXATION_WORK = 10_000
#: Steps of one simulated Moran run: 100,000 steps of the counting simulation cost about 0.4 s.
MAX_MORAN_STEPS = 100_000


def symmetric_payoffs(game) -> tuple[tuple, tuple]:
    """The payoff matrix ``A`` (row player's payoffs) and the strategy labels of a symmetric two-player game.

    A game is symmetric when both players have the same number of strategies and the column player's payoffs
    are the transpose of the row player's (``B = Aᵀ``): exactly for exact games, within ``1e-12`` of the
    payoff scale for float games. The labels are the row player's.

    Examples
    --------
    >>> import negotiation as ng
    >>> matrix, labels = symmetric_payoffs(ng.Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]]))
    >>> matrix[1][0], labels
    (Fraction(3, 1), ('1', '2'))
    """
    if getattr(game, "is_symbolic", False):
        raise EvolutionError("substitute parameter values before running evolutionary dynamics "
                             "(game.substitute(...) or --set NAME=VALUE)")
    if getattr(game, "n_players", None) != 2 or game.shape[0] != game.shape[1]:
        raise EvolutionError("evolutionary dynamics need a symmetric two-player game (the same strategies for "
                             "both players and B = A transposed)")
    first, second = game.payoff_array(0), game.payoff_array(1)
    n = game.shape[0]
    exact = game.is_exact
    if exact:
        symmetric = all(first[i, j] == second[j, i] for i in range(n) for j in range(n))
    else:
        a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
        symmetric = bool(np.allclose(a, b.T, rtol=0, atol=1e-12 * max(1.0, float(np.abs(a).max()))))
    if not symmetric:
        raise EvolutionError("the game is not symmetric: the column player's payoffs must be the row player's "
                             "transposed (B = A transposed)")
    convert = Fraction if exact else float
    matrix = tuple(tuple(convert(first[i, j]) for j in range(n)) for i in range(n))
    return matrix, tuple(game.strategies[0])


def _check_population(population, max_population) -> int:
    if isinstance(population, bool) or not isinstance(population, (int, np.integer)) or population < 2:
        raise EvolutionError(f"population {population!r}: expected an integer of at least 2")
    limit = MAX_POPULATION if max_population is None else max_population
    if population > limit:
        raise SolverLimitError(f"population {population:,}: more than the limit of {limit:,} "
                               "(raise it with max_population=)")
    return int(population)


def _check_selection(selection):
    value = coerce_number(selection, where="selection")
    if value < 0:
        raise EvolutionError(f"selection {selection!r}: expected a non-negative intensity w (0: neutral drift, "
                             "1: fitness equals payoff)")
    return value


def _fitnesses(a, b, c, d, population, selection, exact):
    """``f_i, g_i`` for ``i = 1 … N − 1`` A-players (index 0 unused); refuses a non-positive fitness."""
    one = Fraction(1) if exact else 1.0
    base = one - selection
    f, g = [None], [None]
    for i in range(1, population):
        pay_a = (a * (i - 1) + b * (population - i)) / (population - 1)
        pay_b = (c * i + d * (population - i - 1)) / (population - 1)
        f.append(base + selection * pay_a)
        g.append(base + selection * pay_b)
        # a fitness of 0 is allowed (that type never reproduces there), a negative one is not a rate
        if f[-1] < 0 or g[-1] < 0 or (f[-1] == 0 and g[-1] == 0):
            raise EvolutionError(f"selection {selection}: fitness 1 − w + w·payoff is negative (or zero for both "
                                 f"types) with {i} of {population} mutants (lower the intensity of selection w, or "
                                 "shift the payoffs up)")
    return f, g


def _fixation_pair(a, b, c, d, population, selection, exact, times=True):
    """``(ρ_A, ρ_B, time_A, time_B)`` for the 2×2 game ``[[a, b], [c, d]]``: A mutant among B, B among A.

    The absorption times are exact up to :data:`MAX_EXACT_TIME_POPULATION` and floats above it (``None``
    without ``times``)."""
    f, g = _fitnesses(a, b, c, d, population, selection, exact)
    if exact or 0 in f[1:] or 0 in g[1:]:
        rho_a, rho_b = _exact_fixation(f, g, population)
        if not exact:
            rho_a, rho_b = float(rho_a), float(rho_b)
    else:
        # in logarithms (the products over- or underflow for large N and strong selection): with
        # L_m = Σ_{i≤m} log(g_i/f_i), L_0 = 0: ρ_A = 1 / Σ_m exp(L_m) and ρ_B = 1 / Σ_m exp(L_m − L_{N−1})
        logs = np.concatenate([[0.0], np.cumsum([math.log(g[i]) - math.log(f[i]) for i in range(1, population)])])
        rho_a = 1.0 / _sum_of_exponentials(logs)
        rho_b = 1.0 / _sum_of_exponentials(logs - logs[-1])
    if not times:
        return rho_a, rho_b, None, None
    if exact and population > MAX_EXACT_TIME_POPULATION:
        f, g, exact = [None] + [float(v) for v in f[1:]], [None] + [float(v) for v in g[1:]], False
    return rho_a, rho_b, _absorption_time(f, g, population, 1, exact), \
        _absorption_time(f, g, population, population - 1, exact)


def _exact_fixation(f, g, population) -> tuple[Fraction, Fraction]:
    """``ρ_A = 1 / (1 + Σ_k Π_{i≤k} g_i/f_i)`` and ``ρ_B = ρ_A Π_{i<N} g_i/f_i`` in integers.

    Summing the products as fractions costs a gcd of ever larger numbers per term; with the fitnesses over
    one common denominator (``F_i``, ``G_i`` integers) the sum is ``S / Π F`` with the integer
    ``S = Σ_k G_1⋯G_k F_{k+1}⋯F_{N−1}``, evaluated from the end like Horner's rule, and one division at the end.
    """
    f = [None] + [Fraction(value) for value in f[1:]]  # floats with a zero fitness come here too, exactly
    g = [None] + [Fraction(value) for value in g[1:]]
    denominator = math.lcm(*(value.denominator for value in f[1:] + g[1:]))
    big_f = [None] + [int(value * denominator) for value in f[1:]]
    big_g = [None] + [int(value * denominator) for value in g[1:]]
    suffix = 1  # F_{k+1} ⋯ F_{N−1}
    total = 0  # G_k (F_{k+1}⋯F_{N−1} + G_{k+1}(…)) built from k = N − 1 down
    for k in range(population - 1, 0, -1):
        total = big_g[k] * (suffix + total)
        suffix *= big_f[k]
    # now suffix = Π F and total = S
    if suffix + total == 0:
        raise EvolutionError("a fitness of zero blocks both types: no mutant can fix either way (lower the "
                             "intensity of selection w)")
    product_g = math.prod(big_g[1:])
    return Fraction(suffix, suffix + total), Fraction(product_g, suffix + total)


def _sum_of_exponentials(logs) -> float:
    top = float(logs.max())
    return math.exp(top) * math.fsum(np.exp(logs - top)) if top < 700 else math.inf


def _absorption_time(f, g, population, start, exact):
    """Expected steps until absorption from ``start`` A-players: the tridiagonal system
    ``(T⁺_i + T⁻_i) t_i − T⁺_i t_{i+1} − T⁻_i t_{i−1} = 1``, ``t_0 = t_N = 0``, solved by elimination
    (Karlin and Taylor 1975, ch. 4.7)."""
    n = population
    lower, diagonal, upper = [], [], []
    for i in range(1, n):
        total = i * f[i] + (n - i) * g[i]
        up = (i * f[i] / total) * Fraction(n - i, n) if exact else i * f[i] / total * (n - i) / n
        down = ((n - i) * g[i] / total) * Fraction(i, n) if exact else (n - i) * g[i] / total * i / n
        lower.append(-down)
        diagonal.append(up + down)
        upper.append(-up)
    rhs = [Fraction(1) if exact else 1.0] * (n - 1)
    # Thomas algorithm: forward sweep, back substitution
    for k in range(1, n - 1):
        factor = lower[k] / diagonal[k - 1]
        diagonal[k] -= factor * upper[k - 1]
        rhs[k] -= factor * rhs[k - 1]
    times = [None] * (n - 1)
    times[-1] = rhs[-1] / diagonal[-1]
    for k in range(n - 3, -1, -1):
        times[k] = (rhs[k] - upper[k] * times[k + 1]) / diagonal[k]
    return times[start - 1]


def pair_fixation(payoffs, population: int, selection) -> tuple[float, float]:
    """``(ρ_A, ρ_B)`` in floats for the 2×2 payoffs ``((a, b), (c, d))``: the figures' quick evaluation.

    Returns ``(nan, nan)`` where a fitness is not positive.

    Examples
    --------
    >>> [round(rho, 6) for rho in pair_fixation(((2, 2), (1, 1)), 4, 1)]
    [0.533333, 0.066667]
    """
    (a, b), (c, d) = ((float(v) for v in row) for row in payoffs)
    try:
        rho_a, rho_b, _, _ = _fixation_pair(a, b, c, d, int(population), float(selection), False, times=False)
    except EvolutionError:
        return math.nan, math.nan
    return rho_a, rho_b


def rare_mutation_distribution(probabilities, exact: bool = True) -> tuple:
    """The stationary distribution over monomorphic states in the limit of rare mutations.

    With rare mutations a mutant fixes or dies out before the next one appears, so the population moves
    between monomorphic states: from all-``i`` to all-``j`` with probability ``ρ_ij / (k − 1)`` (the mutant
    strategy is drawn uniformly from the other ``k − 1``). The distribution solves ``π T = π``, ``Σ π = 1``
    (Fudenberg and Imhof 2006, Theorem 1).

    Parameters
    ----------
    probabilities : sequence of sequences
        ``probabilities[i][j]``: the fixation probability of one ``j`` mutant among ``i`` residents.
    exact : bool
        Solve in rationals (else in floats).

    Examples
    --------
    Two strategies: the shares are proportional to the fixation probabilities into each state.

    >>> from fractions import Fraction as F
    >>> rare_mutation_distribution([[None, F(1, 10)], [F(3, 10), None]])
    (Fraction(3, 4), Fraction(1, 4))
    """
    k = len(probabilities)
    transition = [[probabilities[i][j] / (k - 1) if i != j else None for j in range(k)] for i in range(k)]
    for i in range(k):
        transition[i][i] = 1 - sum(transition[i][j] for j in range(k) if j != i)
    # equations: for each state j, Σ_i π_i (T_ij − [i = j]) = 0; then Σ π_i = 1
    equations = [[transition[i][j] - (1 if i == j else 0) for i in range(k)] for j in range(k)]
    equations.append([1] * k)
    rhs = [0] * k + [1]
    if exact:
        solution = solve_exact([[Fraction(v) for v in row] for row in equations], [Fraction(v) for v in rhs])
        if solution is None:  # pragma: no cover - a positive ρ makes the chain irreducible
            raise EvolutionError("the rare-mutation chain has no unique stationary distribution")
        return tuple(solution)
    solution, *_ = np.linalg.lstsq(np.array(equations, dtype=float), np.array(rhs, dtype=float), rcond=None)
    return tuple(float(max(v, 0.0)) for v in solution)


def fixation_probabilities(game, population: int, selection=1, *, times: bool = True,
                           max_population: int | None = None) -> FixationProbabilities:
    """Exact fixation probabilities of single mutants in the Moran process of a symmetric game.

    Parameters
    ----------
    game : Game
        A numeric symmetric two-player game (``B = Aᵀ``), two strategies or more.
    population : int
        ``N`` (at least 2; at most :data:`MAX_POPULATION` unless ``max_population=`` raises it).
    selection : number
        The intensity of selection ``w ≥ 0`` (default 1: fitness equals payoff); fitness ``1 − w + w π``
        must not be negative in any state.
    times : bool
        Also compute the expected number of steps until one mutant is lost or fixed.
    max_population : int, optional
        The limit on ``population``.

    Returns
    -------
    FixationProbabilities
        ``rho(mutant, resident)`` for every ordered pair, absorption times, the rare-mutation distribution
        and, for two strategies, in ``details``: whether weak selection favours each mutant at this ``N``
        (``ρ_A > 1/N`` iff ``a(N − 2) + b(2N − 1) > c(N + 1) + d(2N − 4)``, Nowak et al. 2004) and the
        one-third rule for large ``N`` in a coordination game (A favoured iff the mixed equilibrium's share
        of A, ``x* = (d − b)/(a − b − c + d)``, is below 1/3).

    Examples
    --------
    A mutant with constant relative fitness ``r = 2`` in a population of 4 fixes with probability
    ``(1 − 1/r)/(1 − 1/r^N) = 8/15``:

    >>> import negotiation as ng
    >>> game = ng.Game.from_arrays([[2, 2], [1, 1]], [[2, 1], [2, 1]], strategies=(("A", "B"), ("A", "B")))
    >>> result = fixation_probabilities(game, 4)
    >>> result.rho("A", "B"), result.rho("B", "A")
    (Fraction(8, 15), Fraction(1, 15))
    """
    population = _check_population(population, max_population)
    selection = _check_selection(selection)
    matrix, labels = symmetric_payoffs(game)
    k = len(labels)
    if k < 2:
        raise EvolutionError("a Moran process needs at least two strategies")
    work = k * (k - 1) // 2 * population
    if work > MAX_FIXATION_WORK:
        raise SolverLimitError(f"{k} strategies at population {population:,}: {k * (k - 1) // 2} pairs × N = "
                               f"{work:,}, more than the limit of {MAX_FIXATION_WORK:,}")
    exact = isinstance(selection, Fraction) and isinstance(matrix[0][0], Fraction)
    if not exact:
        matrix = tuple(tuple(float(v) for v in row) for row in matrix)
        selection = float(selection)
    rho = [[None] * k for _ in range(k)]
    steps = [[None] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1, k):
            # A = strategy i, B = strategy j: ρ_A is i invading j, ρ_B is j invading i
            rho_i, rho_j, time_i, time_j = _fixation_pair(matrix[i][i], matrix[i][j], matrix[j][i], matrix[j][j],
                                                          population, selection, exact, times)
            rho[j][i], rho[i][j] = rho_i, rho_j
            steps[j][i], steps[i][j] = time_i, time_j
    details = _two_strategy_details(matrix, labels, population) if k == 2 else {}
    messages = ["Moran process, birth proportional to fitness 1 − w + w·payoff, death uniform; closed form of "
                "Nowak et al. (2004)" + ("" if exact else "; floats (relative error about 1e-12)")]
    if times and exact and population > MAX_EXACT_TIME_POPULATION:
        messages.append(f"absorption times in floats (relative error about 1e-12): exact only up to N = "
                        f"{MAX_EXACT_TIME_POPULATION}")
    return FixationProbabilities(labels, population, selection, tuple(tuple(r) for r in rho),
                                 tuple(tuple(s) for s in steps), rare_mutation_distribution(rho, exact),
                                 payoffs=matrix, exact=exact, parameters=dict(getattr(game, "values", {}) or {}),
                                 messages=tuple(messages), details=details,
                                 title=getattr(game, "title", "") or "Moran process")


def _two_strategy_details(matrix, labels, population) -> dict:
    (a, b), (c, d) = matrix
    n = population
    details = {}
    for mutant, (p, q, r, s) in ((labels[0], (a, b, c, d)), (labels[1], (d, c, b, a))):
        favoured = p * (n - 2) + q * (2 * n - 1) > r * (n + 1) + s * (2 * n - 4)
        details[f"weak selection favours {mutant}"] = bool(favoured)
    if a > c and d > b:
        share = (d - b) / (a - b - c + d)
        verdict = "below" if share < Fraction(1, 3) else "above" if share > Fraction(1, 3) else "at"
        details["one-third rule"] = (f"coordination game: the mixed equilibrium has {labels[0]} at share "
                                     f"{share}, {verdict} 1/3, so for large N weak selection "
                                     f"{'favours' if verdict == 'below' else 'does not favour'} {labels[0]} "
                                     "replacing " + labels[1])
    return details


def moran_process(game, population: int, initial: Mapping | None = None, *, selection=1, steps: int = 10_000,
                  seed: int | None = None, max_steps: int | None = None,
                  max_population: int | None = None) -> Trajectory:
    """One seeded simulated run of the Moran process, until one strategy is fixed or ``steps`` have passed.

    Parameters
    ----------
    game : Game
        A numeric symmetric two-player game.
    population : int
        ``N``.
    initial : mapping, optional
        ``{strategy: count}`` summing to ``N``; default: one mutant of the second strategy among ``N − 1``
        players of the first.
    selection : number
        The intensity of selection ``w`` (as in :func:`fixation_probabilities`).
    steps : int
        The most steps (birth and death); the run stops at fixation.
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`.
    max_steps : int, optional
        The limit on ``steps`` (default :data:`MAX_MORAN_STEPS`).
    max_population : int, optional

    Returns
    -------
    Trajectory
        One "player", ``Population``, whose "mixed strategy" at each step is the share of each strategy;
        ``converged`` is whether a strategy was fixed.

    Examples
    --------
    >>> import negotiation as ng
    >>> game = ng.Game.from_arrays([[2, 2], [1, 1]], [[2, 1], [2, 1]], strategies=(("A", "B"), ("A", "B")))
    >>> run = moran_process(game, 10, {"A": 5, "B": 5}, seed=1)
    >>> run.converged, sorted(run.final["Population"].values())
    (True, [0.0, 1.0])
    """
    population = _check_population(population, max_population)
    selection = float(_check_selection(selection))
    limit = MAX_MORAN_STEPS if max_steps is None else max_steps
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise EvolutionError(f"steps {steps!r}: expected a positive integer")
    if steps > limit:
        raise SolverLimitError(f"steps {steps:,}: more than the limit of {limit:,} (raise it with max_steps=)")
    matrix, labels = symmetric_payoffs(game)
    payoffs = np.array(matrix, dtype=float)
    counts = _initial_counts(initial, labels, population)
    rng = np.random.default_rng(seed)
    history = [counts.copy()]
    for _ in range(steps):
        if counts.max() == population:
            break
        # average payoff of each type against the N − 1 others (no self-interaction)
        average = (payoffs @ counts - np.diag(payoffs)) / (population - 1)
        fitness = 1.0 - selection + selection * average
        weights = counts * np.where(counts > 0, fitness, 0.0)
        if np.any(weights < 0) or weights.sum() <= 0:
            raise EvolutionError(f"selection {selection:g}: fitness 1 − w + w·payoff is negative (or zero for "
                                 "everyone) (lower w or shift the payoffs up)")
        parent = rng.choice(len(labels), p=weights / weights.sum())
        dead = rng.choice(len(labels), p=counts / population)
        counts[parent] += 1
        counts[dead] -= 1
        history.append(counts.copy())
    shares = np.array(history, dtype=float) / population
    fixed = bool(counts.max() == population)
    limit_profile = MixedProfile(("Population",), (labels,), (tuple(float(s) for s in shares[-1]),)) \
        if fixed else None
    messages = (f"seeded simulation (numpy default_rng, seed {seed}); "
                + (f"{labels[int(counts.argmax())]} fixed after {len(history) - 1} steps" if fixed
                   else f"no strategy fixed within {steps} steps"),)
    return Trajectory("moran", tuple(f"Population: {s}" for s in labels), np.arange(len(history)), shares,
                      players=("Population",), strategies=(labels,),
                      parameters={"population": population, "selection": selection, "seed": seed},
                      converged=fixed, limit=limit_profile, messages=messages, title="Moran process")


def _initial_counts(initial, labels, population) -> np.ndarray:
    counts = np.zeros(len(labels), dtype=np.int64)
    if initial is None:
        if len(labels) < 2:
            raise EvolutionError("a Moran process needs at least two strategies")
        counts[0], counts[1] = population - 1, 1
        return counts
    if not isinstance(initial, Mapping):
        raise EvolutionError("initial: expected a mapping {strategy: count}")
    for label, count in initial.items():
        if label not in labels:
            raise EvolutionError(f"initial: unknown strategy {label!r} (strategies: {', '.join(labels)})")
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
            raise EvolutionError(f"initial count of {label}: expected a non-negative integer, got {count!r}")
        counts[labels.index(label)] = count
    if counts.sum() != population:
        raise EvolutionError(f"initial: the counts sum to {int(counts.sum())}, expected the population {population}")
    return counts
