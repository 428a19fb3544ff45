"""Infinitely repeated games: trigger-strategy thresholds, minmax values, the folk-theorem region.

* Grim trigger (Friedman 1971): play the target profile until someone deviates,
  then play a stage-game Nash equilibrium forever. Player ``i`` (target payoff
  ``v_i``, best one-shot deviation ``d_i``, punishment payoff ``p_i``) does not
  deviate iff ``v_i/(1-δ) >= d_i + δ p_i/(1-δ)``, i.e. ``δ >= (d_i - v_i)/(d_i - p_i)``.
* Tit-for-tat (Axelrod 1984): collectively stable in the symmetric 2×2 game with
  cooperative payoff ``R``, temptation ``T``, punishment ``P`` and sucker's payoff
  ``S`` iff ``w >= max{(T-R)/(T-P), (T-R)/(R-S)}``.
* Folk theorem (Fudenberg & Maskin 1986): the feasible, individually rational
  payoffs are the convex hull of the pure payoff vectors intersected with
  ``{u >= minmax}``.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from .linalg import solve_exact

__all__ = ["grim_trigger_threshold", "tit_for_tat_threshold", "minmax_values",
           "feasible_individually_rational_set"]

TOLERANCE = 1e-7


# ---------------------------------------------------------------------- comparisons
def _is_sympy(value) -> bool:
    return type(value).__module__.startswith("sympy")


def _compare(a, b, at):
    """``a > b`` decided exactly, or for symbolic values by sympy, else at the sample point ``at``."""
    difference = a - b
    if not _is_sympy(difference):
        return difference > 0
    import sympy

    difference = sympy.simplify(difference)
    decided = (difference > 0)
    if decided in (sympy.true, sympy.false):
        return bool(decided)
    if at:
        value = difference.subs(at)
        if value.is_number:
            return bool(value > 0)
    raise ValueError(
        f"cannot decide whether {difference} > 0; pass parameter values `at=` (or declare defaults) "
        "for the ordering of payoffs"
    )


def _sample_point(game, at):
    if not game.is_symbolic:
        return {}
    point = dict(game.parameters.defaults)
    if at:
        point.update({str(k): v for k, v in at.items()})
    symbols = game.symbols
    return {symbols[k]: v for k, v in point.items() if k in symbols}


def _profile_position(game, profile):
    if isinstance(profile, str):
        profile = (profile,)
    profile = tuple(profile)
    if len(profile) != game.n_players:
        raise ValueError(f"a profile names one strategy for each of {game.n_players} players")
    return tuple(s if isinstance(s, int) and not isinstance(s, bool) else game.strategy_index(p, s)
                 for p, s in enumerate(profile))


def _best_deviation(game, position, i, at):
    u = game.payoff_array(i)
    best = u[position]
    for k in range(game.shape[i]):
        other = position[:i] + (k,) + position[i + 1:]
        if _compare(u[other], best, at):
            best = u[other]
    return best


def _pure_nash(game, at):
    result = []
    for position in np.ndindex(*game.shape):
        if all(not _compare(_best_deviation(game, position, i, at), game.payoffs[position][i], at)
               for i in range(game.n_players)):
            result.append(position)
    return result


def _simplify(value):
    if _is_sympy(value):
        import sympy

        return sympy.simplify(value)
    return value


# ---------------------------------------------------------------------- grim trigger
def grim_trigger_threshold(game, target, punishment=None, *, at=None):
    """Critical discount factor for grim trigger to sustain a pure profile forever.

    Parameters
    ----------
    game : Game
        Exact, float or symbolic stage game.
    target : sequence of str
        The profile to sustain (one strategy label per player).
    punishment : sequence of str, optional
        A pure Nash equilibrium of the stage game played forever after a
        deviation. Default: for each deviator, the pure Nash equilibrium worst for
        that deviator.
    at : mapping, optional
        Parameter values used only to decide orderings of symbolic payoffs that
        sympy cannot decide (defaults: the parameters' declared defaults).

    Returns
    -------
    Fraction, float or sympy expression
        ``δ* = max_i (d_i - v_i)/(d_i - p_i)`` over players with a profitable
        deviation (``d_i > v_i``); ``0`` if no player has one.

    Raises
    ------
    ValueError
        If the stage game has no pure Nash equilibrium, ``punishment`` is not one,
        or a deviator's punishment payoff is not below its target payoff.

    Examples
    --------
    >>> from negotiation import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("Cooperate", "Defect"), ("Cooperate", "Defect")))
    >>> grim_trigger_threshold(pd, ("Cooperate", "Cooperate"))
    Fraction(1, 2)
    """
    point = _sample_point(game, at)
    position = _profile_position(game, target)
    if punishment is not None:
        punish = _profile_position(game, punishment)
        if punish not in _pure_nash(game, point):
            raise ValueError(f"punishment {tuple(punishment)} is not a pure Nash equilibrium of the stage game")
        candidates = [punish]
    else:
        candidates = _pure_nash(game, point)
        if not candidates:
            raise ValueError("the stage game has no pure Nash equilibrium to punish with; pass `punishment`")
    thresholds = []
    for i, player in enumerate(game.players):
        v = game.payoffs[position][i]
        d = _best_deviation(game, position, i, point)
        if not _compare(d, v, point):
            continue
        p = game.payoffs[candidates[0]][i]
        for other in candidates[1:]:
            if _compare(p, game.payoffs[other][i], point):
                p = game.payoffs[other][i]
        if not _compare(v, p, point):
            raise ValueError(
                f"{player}'s punishment payoff {p} is not below its target payoff {v}: "
                "grim trigger cannot deter its deviation"
            )
        thresholds.append(_simplify((d - v) / (d - p)))
    if not thresholds:
        return Fraction(0) if game.is_exact else (0.0 if game.kind == "float" else _simplify(0 * game.payoffs.flat[0]))
    best = thresholds[0]
    for t in thresholds[1:]:
        if _compare(t, best, point):
            best = t
    return best


def tit_for_tat_threshold(game, cooperate=None, *, at=None):
    """Axelrod's critical continuation probability for tit-for-tat in a symmetric 2×2 game.

    ``w* = max{(T-R)/(T-P), (T-R)/(R-S)}`` with ``R`` = payoff of mutual
    cooperation, ``T`` = temptation, ``P`` = mutual defection, ``S`` = sucker's payoff.

    Parameters
    ----------
    game : Game
        Symmetric two-player game with two strategies each.
    cooperate : str, optional
        The cooperative strategy (default: the first).
    at : mapping, optional
        Values to decide orderings of symbolic payoffs (as in :func:`grim_trigger_threshold`).

    Examples
    --------
    >>> from negotiation import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> tit_for_tat_threshold(pd)
    Fraction(2, 3)
    """
    if game.n_players != 2 or game.shape != (2, 2):
        raise ValueError("tit_for_tat_threshold needs a two-player game with two strategies each")
    if game.strategies[0] != game.strategies[1]:
        raise ValueError("tit_for_tat_threshold needs both players to have the same strategy labels")
    A, B = game.payoff_array(0), game.payoff_array(1)
    for a in range(2):
        for b in range(2):
            if _simplify(A[a, b] - B[b, a]) != 0:
                raise ValueError("tit_for_tat_threshold needs a symmetric game (B = A transposed)")
    c = 0 if cooperate is None else game.strategy_index(0, cooperate)
    d = 1 - c
    R, S, T, P = A[c, c], A[c, d], A[d, c], A[d, d]
    point = _sample_point(game, at)
    if not (_compare(T, R, point) and _compare(R, P, point) and _compare(R, S, point)):
        raise ValueError("tit_for_tat_threshold needs T > R > P and R > S (a cooperation dilemma)")
    first = _simplify((T - R) / (T - P))
    second = _simplify((T - R) / (R - S))
    return first if not _compare(second, first, point) else second


# ---------------------------------------------------------------------- minmax
def minmax_values(game) -> dict:
    """Each player's mixed minmax value: the least payoff the others can hold it to.

    ``min over the others' (independently) mixed strategies of max over own pure
    strategies``. For two players this is a linear program, rebuilt exactly for
    exact games. For three or more players the others' mixing is taken as
    *correlated* (still an LP); that value can be below the minmax with
    independent mixing, so it is then a lower bound.

    Examples
    --------
    >>> from negotiation import Game
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=("H", "S"))
    >>> minmax_values(pennies)
    {'H': Fraction(0, 1), 'S': Fraction(0, 1)}
    """
    if game.is_symbolic:
        raise ValueError("substitute parameter values first (game.substitute(...))")
    values = {}
    for i, player in enumerate(game.players):
        u = np.moveaxis(np.asarray(game.payoff_array(i)), i, 0)
        matrix = u.reshape(u.shape[0], -1)  # rows: own strategies; columns: others' profiles
        values[player] = _minmax(matrix, game.is_exact)
    return values


def _minmax(matrix, exact):
    """``min_y max_r (M y)_r`` over distributions ``y`` on the columns."""
    from scipy.optimize import linprog

    M = [[_exact(v) for v in row] for row in matrix]
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
        raise RuntimeError(f"HiGHS failed on the minmax LP: {solution.message}")
    y, w = np.maximum(solution.x[:n], 0), solution.x[-1]
    value_float = float(low + span * w)
    if not exact:
        return value_float
    support = [k for k in range(n) if y[k] > TOLERANCE]
    rows = S @ y
    tight = [r for r in range(m) if rows[r] >= w - TOLERANCE]
    equations = [[M[r][k] for k in support] + [Fraction(-1)] for r in tight]
    equations.append([Fraction(1)] * len(support) + [Fraction(0)])
    solved = solve_exact(equations, [Fraction(0)] * len(tight) + [Fraction(1)])
    if solved is not None:
        *weights, value = solved
        if all(q >= 0 for q in weights) and all(
                sum(M[r][k] * q for k, q in zip(support, weights)) <= value for r in range(m)):
            return value
    return value_float


def _exact(value):
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    return Fraction(float(value))


# ---------------------------------------------------------------------- folk theorem region
def _cross(o, a, b):
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _hull(points):
    """Convex hull (counterclockwise, no collinear points) by Andrew's monotone chain."""
    points = sorted(set(points))
    if len(points) <= 2:
        return points
    lower, upper = [], []
    for p in points:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _clip(polygon, axis, bound):
    """Sutherland–Hodgman clip of a convex polygon to ``{u[axis] >= bound}``."""
    if not polygon:
        return []
    if len(polygon) == 1:
        return polygon if polygon[0][axis] >= bound else []
    result = []
    count = len(polygon)
    edges = [(polygon[k], polygon[(k + 1) % count]) for k in range(count if count > 2 else 1)]
    for a, b in edges:
        inside_a, inside_b = a[axis] >= bound, b[axis] >= bound
        if inside_a:
            result.append(a)
        if inside_a != inside_b:
            t = (bound - a[axis]) / (b[axis] - a[axis])
            result.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
        if count == 2 and inside_b:
            result.append(b)
    return _hull(result)


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
    >>> from negotiation import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"))
    >>> [tuple(str(v) for v in vertex) for vertex in feasible_individually_rational_set(pd)]
    [('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')]
    """
    if game.n_players != 2:
        raise ValueError("feasible_individually_rational_set needs a two-player game")
    if game.is_symbolic:
        raise ValueError("substitute parameter values first (game.substitute(...))")
    if minmax is None:
        minmax = minmax_values(game)
    convert = _exact if game.is_exact else float
    points = [tuple(convert(v) for v in game.payoffs[position])
              for position in np.ndindex(*game.shape)]
    polygon = _hull(points)
    for axis, player in enumerate(game.players):
        polygon = _clip(polygon, axis, convert(minmax[player]))
    return polygon
