"""Correlated equilibria of finite strategic-form games by linear programming.

Method (Aumann 1974; e.g. Maschler, Solan & Zamir, Game Theory, 2013, ch. 8):
a distribution ``p`` over pure profiles is a correlated equilibrium (CE) iff,
for every player ``i`` and every pair of own strategies ``s != s'``,

    sum over opponents' profiles t of p(s, t) * (u_i(s, t) - u_i(s', t)) >= 0,

with ``p >= 0`` and ``sum(p) = 1``. The set of CE is a polytope; a linear
objective (total payoff, the smallest payoff, or one player's payoff) is
maximised over it by SciPy's HiGHS in floating point (on payoffs scaled to
``[0, 1]``). For exact games the optimal vertex is then rebuilt in exact
arithmetic: the constraints active at the float vertex (``p(s) = 0`` for
unused profiles, tight incentive constraints, and for the egalitarian
objective the tight payoff bounds) together with ``sum(p) = 1`` are solved by
:func:`negotiation.core.linalg.solve_exact`, and every constraint is then checked
exactly. If that fails, the float answer is returned with ``exact=False`` and
a message.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from negotiation.core.errors import NegotiationError, SolverLimitError
from negotiation.core.linalg import solve_exact
from negotiation.results.game import CorrelatedReport, CorrelatedResult
from negotiation.solvers.methods import game_method, solve_game as solve
from negotiation.solvers.verify import NumericalError, payoff_scale, scaled_floats

__all__ = ["correlated_equilibria", "correlated_report", "incentive_constraints", "is_correlated_equilibrium",
           "MAX_LP_ENTRIES"]

#: Work budget: entries of the incentive-constraint matrix (constraints Σ n_i (n_i - 1) times pure profiles),
#: built and rebuilt in exact arithmetic for each objective. 100 000 admits 15×15 (94 500; the four LPs and
#: their exact rebuilds take about 0.8 s) and 6×6×6 (19 440), and refuses 16×16 (122 880) and up (30×30:
#: 1.57 million entries, half a minute); ``max_work=`` raises it.
MAX_LP_ENTRIES = 100_000
#: Budget (``max_work`` of vertex enumeration: basis steps) of the Nash equilibria the report lists for
#: comparison. 100 000 admits games up to 10×10 (88 088; a tenth of a second); past it the comparison is left
#: out (and said so in ``details``), so the report's own LPs keep their time.
NASH_COMPARISON_WORK = 100_000

#: A float LP value within this (payoffs scaled to [0, 1]) counts as zero / tight.
TOLERANCE = 1e-7


def incentive_constraints(game):
    """Rows of the CE incentive constraints ``row @ p >= 0`` (``p`` over profiles in C order).

    Returns a list of ``(player index, s, s', row)`` where ``row`` is a list of
    payoff differences (exact or float, as the game's payoffs).
    """
    return _constraint_rows([game.payoff_array(i) for i in range(game.n_players)], game.shape)


def _constraint_rows(arrays, shape) -> list:
    """:func:`incentive_constraints` of the payoff arrays (one per player, each of ``shape``)."""
    constraints = []
    for i, u in enumerate(arrays):
        for s, t in itertools.permutations(range(shape[i]), 2):
            row = []
            for position in np.ndindex(*shape):
                if position[i] != s:
                    row.append(0)
                    continue
                deviation = position[:i] + (t,) + position[i + 1:]
                row.append(u[position] - u[deviation])
            constraints.append((i, s, t, row))
    return constraints


def is_correlated_equilibrium(game, distribution, tolerance=0) -> bool:
    """Whether ``distribution`` ({profile labels: probability}) is a correlated equilibrium.

    Missing profiles have probability 0. Probabilities may be off by ``tolerance``, incentive
    constraints by ``tolerance`` times the payoff scale (the larger of the payoff range and the
    largest absolute payoff: relative, so the answer does not depend on the scale of the
    payoffs). With exact payoffs and probabilities and ``tolerance=0`` the check is exact.

    Examples
    --------
    >>> from negotiation import Game
    >>> chicken = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]],
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> third = Fraction(1, 3)
    >>> is_correlated_equilibrium(chicken, {("C", "C"): third, ("C", "D"): third, ("D", "C"): third})
    True
    >>> is_correlated_equilibrium(chicken, {("C", "C"): 1})
    False
    """
    probabilities = [distribution.get(profile, 0) for profile in game.profiles()]
    if any(p < -tolerance for p in probabilities):
        return False
    if abs(sum(probabilities) - 1) > tolerance:
        return False
    arrays = [game.payoff_array(i) for i in range(game.n_players)]
    slack = tolerance * payoff_scale(game.payoffs) if tolerance else 0
    if game.arithmetic == "float":  # divided by the payoff unit: differences cannot overflow
        floats, exponent = scaled_floats(game.payoffs)
        arrays = [floats[..., i] for i in range(game.n_players)]
        slack = math.ldexp(slack, -exponent)
    for _, _, _, row in _constraint_rows(arrays, game.shape):
        if sum(a * p for a, p in zip(row, probabilities) if a != 0) < -slack:
            return False
    return True


def correlated_equilibria(game, objective="welfare", *, max_work: int = MAX_LP_ENTRIES) -> CorrelatedResult:
    """A correlated equilibrium maximising an objective.

    Parameters
    ----------
    game : Game
        Any finite numeric game (exact or float).
    objective : {"welfare", "egalitarian"}, player label or index, or None
        ``"welfare"`` maximises the sum of expected payoffs, ``"egalitarian"``
        the smallest expected payoff, a player label that player's expected
        payoff; ``None`` returns some correlated equilibrium (a vertex of the polytope).
    max_work : int
        A game whose incentive constraints have more entries than this (default :data:`MAX_LP_ENTRIES`)
        is refused before they are built, with a :class:`~negotiation.core.errors.SolverLimitError`.

    Returns
    -------
    CorrelatedResult

    Raises
    ------
    ValueError
        For symbolic games or an unknown objective.

    Examples
    --------
    >>> from negotiation import Game
    >>> chicken = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]],
    ...     players=("Row", "Column"), strategies=(("C", "D"), ("C", "D")))
    >>> result = correlated_equilibria(chicken)
    >>> result.payoffs
    {'Row': Fraction(21, 4), 'Column': Fraction(21, 4)}
    >>> print(result.to_text())
    Correlated equilibrium (objective: welfare)
    Payoffs: Row: 21/4; Column: 21/4
    <BLANKLINE>
    Row \\ Column  C    D
    ------------  ---  ---
    C             1/2  1/4
    D             1/4  0
    Note: distribution rebuilt exactly from the active constraints of the LP vertex and checked exactly against every incentive constraint; optimality is HiGHS's (floating point)
    >>> correlated_equilibria(chicken, "Row").payoffs["Row"]
    Fraction(7, 1)
    """
    return _solve_objective(game, _prepare(game, max_work), objective)


def _prepare(game, max_work) -> tuple:
    """What every objective's LP shares (built once per game): the profiles, the payoffs exactly and as floats,
    and the incentive constraints exactly and as floats."""
    if game.is_symbolic:
        raise NegotiationError("substitute parameter values before solving (game.substitute(...))")
    _check_work(game.shape, max_work)
    profiles = list(game.profiles())
    n = len(profiles)
    exact_u = [[_exact(v) for v in game.payoff_array(i).reshape(-1)] for i in range(game.n_players)]
    # the float copies are divided by the payoff unit 2**exponent (exactly), so nothing overflows at any scale
    float_u, exponent = scaled_floats(exact_u)
    low, high = float(float_u.min()), float(float_u.max())
    span = high - low if high > low else 1.0  # relative to the payoffs: no absolute floor
    scaled = (float_u - low) / span
    exact_arrays = [np.array(row, dtype=object).reshape(game.shape) for row in exact_u]
    exact_rows = [row for _, _, _, row in _constraint_rows(exact_arrays, game.shape)]  # differences, exactly
    float_rows = scaled_floats(exact_rows, exponent)[0].reshape(len(exact_rows), n) / span
    return profiles, exact_u, float_u, exponent, scaled, exact_rows, float_rows


def _solve_objective(game, prepared, objective) -> CorrelatedResult:
    """:func:`correlated_equilibria` for one objective, on the shared :func:`_prepare` data."""
    profiles, exact_u, float_u, exponent, scaled, exact_rows, float_rows = prepared
    n_players = game.n_players
    if objective in ("welfare", "egalitarian", None):
        target = None
    else:
        try:
            target = game.player_index(objective)
        except Exception:
            raise NegotiationError(
                f"unknown objective {objective!r}: use 'welfare', 'egalitarian', None or a player "
                f"({', '.join(game.players)})"
            ) from None
        objective = game.players[target]
    egalitarian = objective == "egalitarian"
    p_float = _optimal_distribution(scaled, float_rows, objective, target)
    messages = []
    probabilities = None
    if game.is_exact:
        probabilities = _rebuild(p_float, exact_rows, float_rows, exact_u, scaled, egalitarian)
        if probabilities is None:
            messages.append(
                "the LP vertex could not be rebuilt in exact arithmetic; the distribution is "
                "HiGHS's floating-point answer"
            )
        else:
            messages.append(
                "distribution rebuilt exactly from the active constraints of the LP vertex and "
                "checked exactly against every incentive constraint; optimality is HiGHS's "
                "(floating point)"
            )
    exact = probabilities is not None
    if not exact:
        probabilities = [float(v) for v in p_float]
        payoffs = {game.players[i]: _float_payoff(float_u[i] @ p_float, exponent) for i in range(n_players)}
        messages.append(f"floating point: HiGHS's distribution for the payoffs scaled to [0, 1] (constraints hold "
                        f"to about {TOLERANCE:g} of the payoff range)")
    else:
        payoffs = {game.players[i]: sum((a * p for a, p in zip(exact_u[i], probabilities)), Fraction(0))
                   for i in range(n_players)}
    return CorrelatedResult(
        parameters=dict(game.values),
        players=game.players,
        strategies=game.strategies,
        distribution=dict(zip(profiles, probabilities)),
        payoffs=payoffs,
        objective=objective,
        exact=exact,
        messages=tuple(messages),
    )


def _optimal_distribution(scaled, float_rows, objective, target) -> np.ndarray:
    """The float LP: a distribution over the profiles that maximises the objective over the CE polytope.

    ``scaled`` holds each player's payoffs (scaled to [0, 1]) per profile, ``float_rows`` the incentive
    constraints ``row @ p >= 0``; the egalitarian objective adds a variable ``z <= u_i @ p`` to maximise.
    """
    from scipy.optimize import linprog  # heavy: only when an LP is solved

    n_players, n = scaled.shape
    egalitarian = objective == "egalitarian"
    m = n + (1 if egalitarian else 0)
    cost = np.zeros(m)
    if objective == "welfare":
        cost[:n] = -scaled.sum(axis=0)
    elif egalitarian:
        cost[-1] = -1.0
    elif target is not None:
        cost[:n] = -scaled[target]
    upper = [np.hstack([-r, np.zeros(m - n)]) for r in float_rows]  # -row @ p <= 0
    if egalitarian:
        for i in range(n_players):
            upper.append(np.hstack([-scaled[i], [1.0]]))  # z - u_i @ p <= 0
    upper = np.array(upper) if upper else None
    b_upper = np.zeros(len(upper)) if upper is not None else None
    equality = np.hstack([np.ones((1, n)), np.zeros((1, m - n))])
    bounds = [(0, None)] * n + [(None, None)] * (m - n)
    solution = linprog(cost, A_ub=upper, b_ub=b_upper, A_eq=equality, b_eq=[1.0], bounds=bounds, method="highs")
    if solution.status != 0:  # cannot happen: every Nash equilibrium is a CE
        raise SolverLimitError(f"HiGHS failed on the correlated-equilibrium LP: {solution.message}")
    p_float = np.maximum(solution.x[:n], 0.0)
    return p_float / p_float.sum()


# ---------------------------------------------------------------------- helpers
def _check_work(shape, max_work) -> None:
    """Refuse a game whose incentive-constraint matrix has more than ``max_work`` entries, before building it."""
    entries = sum(n * (n - 1) for n in shape) * math.prod(shape)
    if entries > max_work:
        raise SolverLimitError(
            f"correlated: the {'×'.join(map(str, shape))} game's incentive constraints have {entries:,} entries "
            f"(more than {max_work:,}, the limit: 15×15 two-player games); use method='lemke_howson' for one "
            "Nash equilibrium (also correlated), or max_work= to raise the limit")


def _float_payoff(scaled_value, exponent) -> float:
    """An expected payoff of the scaled payoffs, multiplied back by ``2**exponent`` (an error if it overflows)."""
    try:
        return math.ldexp(float(scaled_value), exponent)
    except OverflowError:
        raise NumericalError(f"correlated: an expected payoff ({float(scaled_value):g} × 2^{exponent}) overflows "
                             "the float range") from None


def _exact(value):
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    return Fraction(float(value))


def _rebuild(p_float, exact_rows, float_rows, exact_u, scaled, egalitarian):
    """Exact vertex with the float solution's active constraints, or ``None``.

    The profiles the float solution leaves at zero are fixed at zero first, so the exact system has one
    unknown per profile of the support (a few dozen) rather than one per profile (900 in a 30×30 game).
    """
    n = len(p_float)
    support = [k for k in range(n) if p_float[k] > TOLERANCE]
    equations, rhs = [], []
    slack = float_rows @ p_float if len(float_rows) else np.zeros(0)
    for row, value in zip(exact_rows, slack):
        if value <= TOLERANCE:
            equations.append([row[k] for k in support] + ([Fraction(0)] if egalitarian else []))
            rhs.append(Fraction(0))
    if egalitarian:
        values = scaled @ p_float
        smallest = values.min()
        for i, value in enumerate(values):
            if value <= smallest + TOLERANCE:
                equations.append([exact_u[i][k] for k in support] + [Fraction(-1)])  # u_i @ p - z = 0
                rhs.append(Fraction(0))
    equations.append([Fraction(1)] * len(support) + ([Fraction(0)] if egalitarian else []))
    rhs.append(Fraction(1))
    solved = solve_exact(equations, rhs)
    if solved is None:
        return None
    p = [Fraction(0)] * n
    for k, value in zip(support, solved):
        p[k] = value
    if any(v < 0 for v in p) or sum(p) != 1:
        return None
    for row in exact_rows:
        if sum((row[k] * p[k] for k in support if row[k]), Fraction(0)) < 0:
            return None
    # sanity: the exact vertex is the float one
    if max(abs(float(a) - b) for a, b in zip(p, p_float)) > 1e-6:
        return None
    return p


@game_method("correlated")
def correlated_report(game, *, max_work: int = MAX_LP_ENTRIES) -> CorrelatedReport:
    """Welfare-maximising, egalitarian and each player's best correlated equilibrium, with the Nash payoffs.

    Examples
    --------
    >>> from negotiation import Game
    >>> chicken = Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]],
    ...     players=("Row", "Column"), strategies=(("C", "D"), ("C", "D")))
    >>> report = correlated_report(chicken)
    >>> [r.objective for r in report.results]
    ['welfare', 'egalitarian', 'Row', 'Column']
    >>> report.nash_payoffs[0]
    {'Row': Fraction(2, 1), 'Column': Fraction(7, 1)}
    """
    prepared = _prepare(game, max_work)
    results = [_solve_objective(game, prepared, objective) for objective in ("welfare", "egalitarian", *game.players)]
    nash, details = (), {}
    if game.n_players == 2:
        try:
            nash = tuple({p: eq.payoff(p) for p in game.players}
                         for eq in solve(game, "vertex_enumeration", max_work=NASH_COMPARISON_WORK))
        except SolverLimitError as error:  # the comparison is optional: past its budget it is left out, and said
            details["nash_payoffs"] = f"not computed: {error}"
    return CorrelatedReport(game=game, results=tuple(results), nash_payoffs=nash, parameters=dict(game.values),
                            details=details)
