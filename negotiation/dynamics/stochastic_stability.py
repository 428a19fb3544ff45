"""Stochastic stability of conventions in a 2×2 symmetric coordination game (Kandori, Mailath and Rob 1993).

A population of ``N`` players is matched at random to play ``[[a, b], [c, d]]`` with ``a > c`` and
``d > b``: both "all A" and "all B" are conventions (strict symmetric equilibria). With ``z`` players
of A, an A-player earns ``π_A(z) = (a (z − 1) + b (N − z)) / (N − 1)`` and a B-player
``π_B(z) = (c z + d (N − z − 1)) / (N − 1)`` (nobody meets itself). Each period every player switches to
the better strategy (``b(z) = N`` if ``π_A(z) > π_B(z)``, ``0`` if below, ``z`` at a tie: a Darwinian
dynamic in KMR's sense), and then every player independently mutates to the other strategy with
probability ``ε``.

As ``ε → 0`` the chain's stationary distribution concentrates on the recurrent states of least
*stochastic potential* (Young 1993): the least number of mutations of a tree of transitions that leads
from every other recurrent state to it. Here the recurrent states are ``z = 0``, ``z = N`` and, where
payoffs tie at a whole ``z``, that state; going from one to another costs the fewest mutations that put
the population into the other's basin. Everything is counted exactly. For large ``N`` the stochastically
stable convention is the risk-dominant one (KMR 1993, Theorem 3; Harsanyi and Selten 1988): all A when
``a − c > d − b``.

The stationary distribution at a given ``ε`` is computed exactly too: every row of the transition matrix
depends only on where the best-response step goes (``0``, ``N`` or a tie state), so the chain lumps into
its basins and the distribution is a combination of at most three binomial convolutions (the weights solve
a linear system of at most three equations).

Work limits: :data:`MAX_KMR_POPULATION` bounds ``N`` (mutation counting), :data:`MAX_STATIONARY_WORK`
bounds ``N`` times the number of mutation rates of the exact stationary distributions and
:data:`MAX_EPSILON_DIGITS` the digits of each rate's denominator.

References
----------
Kandori, M., Mailath, G. J. and Rob, R. (1993). Learning, mutation, and long run equilibria in games.
*Econometrica* 61(1): 29–56.

Young, H. P. (1993). The evolution of conventions. *Econometrica* 61(1): 57–84.

Harsanyi, J. C. and Selten, R. (1988). *A General Theory of Equilibrium Selection in Games*. MIT Press,
ch. 3 (risk dominance in 2×2 games).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from negotiation.core.errors import SolverLimitError
from negotiation.core.linalg import solve_exact
from negotiation.core.numeric import exact_value
from negotiation.dynamics.evolution import symmetric_payoffs
from negotiation.results.evolution import EvolutionError, StochasticStability

__all__ = ["stochastically_stable", "kmr_stationary_distribution", "MAX_KMR_POPULATION", "MAX_STATIONARY_WORK",
           "MAX_EPSILON_DIGITS"]

#: Largest population of the mutation counting (a scan over the N + 1 states per pair of recurrent states,
#: in rationals: 0.05 s at N = 10,000).
MAX_KMR_POPULATION = 10_000
#: N times the number of mutation rates whose exact stationary distributions are computed. The cost is the
#: convolution of two binomial distributions from a tie state (about N²/4 products of integers of about
#: N·log10(q) digits for ε = p/q); measured on pure coordination (a tie at N/2): 0.2 s at N = 400 with
#: ε = 123/1000, 2.6 s at N = 800.
MAX_STATIONARY_WORK = 400
#: Digits of the denominator of a mutation rate ε of a stationary distribution (the integers grow with them):
#: ε = 123456789/999999999 at N = 400 costs about 1 s.
MAX_EPSILON_DIGITS = 9
#: The mutation rates of the stationary distributions shown by default.
DEFAULT_EPSILONS = (Fraction(1, 10), Fraction(1, 100), Fraction(1, 1000))


def _payoff_difference(a, b, c, d, population, z):
    """``(N − 1)(π_A(z) − π_B(z))``: its sign decides the best-response step."""
    return a * (z - 1) + b * (population - z) - c * z - d * (population - z - 1)


def _best_response_step(a, b, c, d, population) -> list[int]:
    """``b(z)`` for ``z = 0 … N``: everyone switches to the better strategy; a tie stays."""
    steps = [0]
    for z in range(1, population):
        difference = _payoff_difference(a, b, c, d, population, z)
        steps.append(population if difference > 0 else 0 if difference < 0 else z)
    steps.append(population)
    return steps


def _state_name(z, population, labels) -> str:
    if z == population:
        return f"all {labels[0]}"
    if z == 0:
        return f"all {labels[1]}"
    return f"z = {z} {labels[0]}"


def _least_tree(nodes, cost, root) -> int:
    """Young's stochastic potential of ``root``: the least total cost of a tree in which every other node has
    one outgoing edge and every path leads to ``root`` (at most three nodes here: enumeration)."""
    others = [node for node in nodes if node != root]
    best = math.inf
    for parents in itertools.product(nodes, repeat=len(others)):
        assignment = dict(zip(others, parents))
        if any(node == parent for node, parent in assignment.items()):
            continue
        if not all(_reaches(node, assignment, root) for node in others):
            continue
        best = min(best, sum(cost[node, parent] for node, parent in assignment.items()))
    return best


def _reaches(node, assignment, root) -> bool:
    seen = set()
    while node != root:
        if node in seen:
            return False
        seen.add(node)
        node = assignment[node]
    return True


def _resistances(steps, population) -> tuple[list, dict]:
    """The recurrent states and the fewest mutations between each pair (shortest paths over direct jumps)."""
    recurrent = [z for z in range(population + 1) if steps[z] == z]
    direct = {}
    for source in recurrent:
        for target in recurrent:
            if source != target:
                # mutate from `source` to some z whose best-response step lands on `target`
                direct[source, target] = min(abs(z - source) for z in range(population + 1) if steps[z] == target)
    cost = dict(direct)
    for middle, source, target in itertools.product(recurrent, repeat=3):  # Floyd–Warshall on ≤ 3 nodes
        if len({middle, source, target}) == 3:
            cost[source, target] = min(cost[source, target], cost[source, middle] + cost[middle, target])
    return recurrent, cost


def _mutation_row(start, population, epsilon) -> list[int]:
    """The distribution of the number of A-players after each of ``start`` A-players and ``N − start``
    B-players independently switches with probability ``ε = p/q``: integers over the common ``q^N``."""
    p, q = epsilon.numerator, epsilon.denominator
    stay = q - p
    leave_a = [math.comb(start, k) * p ** k * stay ** (start - k) for k in range(start + 1)]
    others = population - start
    join_b = [math.comb(others, k) * p ** k * stay ** (others - k) for k in range(others + 1)]
    counts = [0] * (population + 1)
    for lost, weight in enumerate(leave_a):
        base = start - lost
        for gained, other in enumerate(join_b):
            counts[base + gained] += weight * other
    return counts


def kmr_stationary_distribution(steps, population, epsilon) -> tuple[Fraction, ...]:
    """The exact stationary distribution of the KMR chain over ``z = 0 … N`` at mutation rate ``epsilon``.

    Parameters
    ----------
    steps : sequence of int
        The best-response step ``b(z)`` of each state.
    population : int
    epsilon : Fraction
        The mutation rate, ``0 < ε < 1``.

    Examples
    --------
    With two players and the step ``b = (0, 0, 2)``, ``π = m_0 R_0 + m_2 R_2`` where ``R_y`` is the binomial
    mutation row from ``y``:

    >>> from fractions import Fraction
    >>> kmr_stationary_distribution([0, 0, 2], 2, Fraction(1, 2))
    (Fraction(1, 4), Fraction(1, 2), Fraction(1, 4))
    """
    targets = sorted(set(steps))
    rows = {target: _mutation_row(target, population, epsilon) for target in targets}  # over q^N
    scale = epsilon.denominator ** population
    basins = {target: [z for z in range(population + 1) if steps[z] == target] for target in targets}
    # π = Σ_t m_t R_t with m_t = π(basin of t): m_s = Σ_t m_t R_t(basin of s), Σ m = 1
    equations = [[Fraction(sum(rows[t][z] for z in basins[s]), scale) - (1 if s == t else 0) for t in targets]
                 for s in targets]
    equations.append([Fraction(1)] * len(targets))
    weights = solve_exact(equations, [Fraction(0)] * len(targets) + [Fraction(1)])
    if weights is None:  # pragma: no cover - the chain is irreducible for 0 < ε < 1
        raise EvolutionError("the KMR chain has no unique stationary distribution")
    common = math.lcm(*(m.denominator for m in weights))
    integers = [m.numerator * (common // m.denominator) for m in weights]
    return tuple(Fraction(sum(w * rows[t][z] for w, t in zip(integers, targets)), common * scale)
                 for z in range(population + 1))


def stochastically_stable(game, population: int, epsilons=DEFAULT_EPSILONS, *,
                          max_population: int | None = None) -> StochasticStability:
    """The stochastically stable convention(s) of a 2×2 symmetric coordination game in a population of ``N``.

    Parameters
    ----------
    game : Game
        A numeric symmetric 2×2 game with ``a > c`` and ``d > b`` (both pure symmetric profiles strict
        equilibria); exact payoffs give exact comparisons.
    population : int
        ``N`` (at least 2; at most :data:`MAX_KMR_POPULATION` unless ``max_population=`` raises it).
    epsilons : sequence of numbers
        Mutation rates in ``(0, 1)`` at which to compute the exact stationary distribution (read exactly:
        ``0.01`` is ``1/100``); ``()`` for none. ``N × len(epsilons)`` is bounded by
        :data:`MAX_STATIONARY_WORK`.
    max_population : int, optional

    Returns
    -------
    StochasticStability
        The resistances between the recurrent states, their stochastic potentials, the stable ones, the
        Harsanyi–Selten risk-dominant convention and the stationary distributions.

    Examples
    --------
    The Stag Hunt with ``R = 4, T = 3, P = 2, S = 0``: Hare (``d − b = 2 > a − c = 1``) is risk dominant and
    stochastically stable; leaving all Hare takes 8 of 10 players mutating, leaving all Stag 3.

    >>> import negotiation as ng
    >>> stag_hunt = ng.Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
    ...     strategies=(("Stag", "Hare"), ("Stag", "Hare")))
    >>> result = stochastically_stable(stag_hunt, 10)
    >>> result.stable, result.risk_dominant, dict(result.resistance)
    (('all Hare',), 'all Hare', {('all Stag', 'all Hare'): 3, ('all Hare', 'all Stag'): 8})
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 2:
        raise EvolutionError(f"population {population!r}: expected an integer of at least 2")
    limit = MAX_KMR_POPULATION if max_population is None else max_population
    if population > limit:
        raise SolverLimitError(f"population {population:,}: more than the limit of {limit:,} "
                               "(raise it with max_population=)")
    rates = tuple(_check_epsilon(e) for e in epsilons)
    if population * len(rates) > MAX_STATIONARY_WORK:
        raise SolverLimitError(f"exact stationary distributions: population {population:,} × {len(rates)} mutation "
                               f"rates = {population * len(rates):,}, more than the limit of "
                               f"{MAX_STATIONARY_WORK:,} (ask for fewer rates, or none: epsilons=())")
    matrix, labels = symmetric_payoffs(game)
    if len(labels) != 2:
        raise EvolutionError(f"stochastic stability (KMR) needs a 2×2 game; this one has {len(labels)} strategies")
    (a, b), (c, d) = matrix
    if not (a > c and d > b):
        raise EvolutionError(f"not a coordination game: KMR needs a > c and d > b (u({labels[0]},{labels[0]}) = "
                             f"{a}, u({labels[1]},{labels[0]}) = {c}, u({labels[1]},{labels[1]}) = {d}, "
                             f"u({labels[0]},{labels[1]}) = {b})")
    steps = _best_response_step(a, b, c, d, population)
    recurrent, cost = _resistances(steps, population)
    name = {z: _state_name(z, population, labels) for z in recurrent}
    potential = {z: _least_tree(recurrent, cost, z) for z in recurrent}
    least = min(potential.values())
    order = sorted(recurrent, reverse=True)  # all A, ties, all B
    stable = tuple(name[z] for z in order if potential[z] == least)
    risk = a - c - (d - b)
    risk_dominant = f"all {labels[0]}" if risk > 0 else f"all {labels[1]}" if risk < 0 else None
    stationary = tuple((e, kmr_stationary_distribution(steps, population, e)) for e in rates)
    messages = [("best-response (Darwinian) step, then independent mutations at rate ε; resistances counted "
                 "exactly, stochastic potential by Young's trees")]
    if risk_dominant is not None and stable != (risk_dominant,):
        messages.append(f"at N = {population} the stochastically stable state differs from the risk-dominant "
                        "convention: a finite-population effect (they agree for large N)")
    exact = isinstance(a, Fraction)
    return StochasticStability(
        labels, population, (a, b, c, d),
        {(name[s], name[t]): cost[s, t] for s in order for t in order if s != t},
        {name[z]: potential[z] for z in order}, stable, risk_dominant, stationary, exact=exact,
        parameters=dict(getattr(game, "values", {}) or {}), messages=tuple(messages),
        details={"threshold": _threshold(a, b, c, d, population)},
        title=getattr(game, "title", "") or "Stochastic stability (KMR)")


def _threshold(a, b, c, d, population):
    """The ``z`` at which ``π_A(z) = π_B(z)`` (a real number): A is the better reply above it."""
    # a(z − 1) + b(N − z) = c z + d(N − z − 1)  ⇔  z (a − b − c + d) = a − b N + d (N − 1)
    return (a - b * population + d * (population - 1)) / (a - b - c + d)


def _check_epsilon(value) -> Fraction:
    epsilon = exact_value(value, where="epsilon")
    if not 0 < epsilon < 1:
        raise EvolutionError(f"epsilon {value!r}: expected a mutation rate strictly between 0 and 1")
    if len(str(epsilon.denominator)) > MAX_EPSILON_DIGITS:
        raise SolverLimitError(f"epsilon {value!r}: its denominator has more than {MAX_EPSILON_DIGITS} digits "
                               f"(the limit for an exact stationary distribution; round it, e.g. 0.001)")
    return epsilon
