"""Value and optimal strategies of a two-player zero-sum game by linear programming.

Method (von Neumann's minimax theorem; e.g. von Stengel, Game Theory Basics,
2022, ch. 8): player 1 (payoff matrix ``A``) maximises ``v`` subject to
``x^T A[:, j] >= v`` for every column ``j``, ``sum(x) = 1``, ``x >= 0``;
player 2 minimises ``w`` subject to ``A[i, :] y <= w`` for every row ``i``,
``sum(y) = 1``, ``y >= 0``. Both programs have the same optimum, the value of
the game, and any pair of optimal strategies is an equilibrium.

The programs are solved by SciPy's HiGHS in floating point. The answer is
then rebuilt in exact arithmetic from what the float solution says about its
vertex: which strategies are played, and which opponent strategies are tight
(equal to the value). For player 1 that is the linear system
``x_S^T A[S, j] = v`` for the tight columns ``j``, ``sum(x_S) = 1``, solved by
:func:`negotiation.core.linalg.solve_exact`, and checked exactly (``x >= 0`` and
``x^T A[:, j] >= v`` for *every* column). Float games go through the same
exact rebuild on the exact rational values of their floats and are returned
as floats. If a rebuild is not unique or fails its checks, the answer comes
from :func:`~negotiation.solvers.vertex_enumeration.vertex_enumeration`
(every equilibrium of a zero-sum game is a pair of optimal strategies).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.core.linalg import solve_exact
from negotiation.core.numeric import format_number
from negotiation.models.profile import MixedProfile
from negotiation.results.game import SolveResult
from negotiation.solvers.methods import game_method
from negotiation.solvers.verify import VerificationError, scaled_floats, verified_equilibrium
from negotiation.solvers.vertex_enumeration import vertex_enumeration

__all__ = ["linear_program", "check_zero_sum"]

#: A float LP value within this (relative to the payoff range) counts as tight or positive.
SUPPORT_TOLERANCE = 1e-7


def check_zero_sum(game, name: str = "linear_program") -> None:
    """Raise ``ValueError`` (one line, naming a profile) unless ``game`` is a two-player zero-sum game.

    Examples
    --------
    >>> from negotiation import Game
    >>> check_zero_sum(Game.from_arrays([[1, 2], [0, 1]], [[-1, -2], [0, 1]]))
    Traceback (most recent call last):
    ...
    negotiation.core.errors.NegotiationError: linear_program needs a zero-sum game: payoffs at (2, 2) sum to 2
    """
    if game.n_players != 2:
        raise NegotiationError(f"{name} needs a two-player game, this one has {game.n_players} players")
    if game.is_symbolic:
        raise NegotiationError("substitute parameter values before solving (game.substitute(...))")
    if game.is_zero_sum():
        return
    totals = game.payoffs.sum(axis=-1)
    if game.is_exact:
        bad = np.argwhere(totals != 0)[0]
    else:
        bad = np.unravel_index(int(np.argmax(np.abs(totals.astype(float)))), totals.shape)
    labels = ", ".join(game.strategies[p][int(k)] for p, k in enumerate(bad))
    total = totals[tuple(bad)]
    raise NegotiationError(
        f"{name} needs a zero-sum game: payoffs at ({labels}) sum to {format_number(total)}"
    )


@game_method("linear_program", check=check_zero_sum)
def linear_program(game) -> SolveResult:
    """The value of a two-player zero-sum game and one optimal strategy for each player.

    Parameters
    ----------
    game : Game
        Two players, payoffs summing to zero in every profile (exact or float).

    Returns
    -------
    SolveResult
        One equilibrium: the pair of optimal strategies found. ``details["value"]``
        is the value (player 1's equilibrium payoff; a ``Fraction`` for exact games).
        ``complete=False``: the sets of optimal strategies may be larger
        (``vertex_enumeration`` lists their vertices).

    Raises
    ------
    ValueError
        If the game is not a two-player zero-sum game.

    Examples
    --------
    >>> from negotiation import Game
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
    ...     players=("Hider", "Seeker"), strategies=(("Heads", "Tails"), ("Heads", "Tails")))
    >>> result = linear_program(pennies)
    >>> result.details["value"], result[0].profile.describe()
    (Fraction(0, 1), 'Hider: 1/2 Heads + 1/2 Tails; Seeker: 1/2 Heads + 1/2 Tails')
    >>> result.exact, result.complete
    (True, False)
    """
    check_zero_sum(game)
    A_exact = _exact_matrix(game.payoff_array(0))
    A_float, _ = scaled_floats(game.payoff_array(0))  # divided by a power of two: no overflow, even for Fractions
    messages = []
    low, high = float(A_float.min()), float(A_float.max())
    span = high - low if high > low else 1.0  # relative to the payoffs: no absolute floor
    scaled = (A_float - low) / span  # the LPs are solved on a copy scaled to [0, 1]
    x_float = _maximin(scaled)
    y_float = _maximin(-scaled.T)
    x = _rebuild(A_exact, x_float, scaled) if x_float is not None else None
    y = _rebuild(_transpose_negate(A_exact), y_float, -scaled.T) if y_float is not None else None
    equilibrium = None
    if x is not None and y is not None and x[1] == -y[1]:
        value = x[1]
        vectors = (x[0], y[0])
        if not game.is_exact:
            vectors = tuple(tuple(float(p) for p in v) for v in vectors)
            value = float(value)
        try:
            equilibrium = verified_equilibrium(
                game, MixedProfile.from_vectors(game, vectors), method="linear_program"
            )
        except VerificationError:
            equilibrium = None
    if equilibrium is None:
        fallback = vertex_enumeration(game)
        equilibrium = fallback[0]
        value = equilibrium.payoffs[0]
        messages.append(
            "the linear programs' solution could not be rebuilt exactly; the optimal pair is the "
            "first equilibrium found by vertex_enumeration"
        )
        messages.extend(fallback.messages)
    if not game.is_exact:
        messages.append("float payoffs: the optimal strategies were rebuilt in exact arithmetic and rounded")
    messages.append(
        "one pair of optimal strategies: the sets of optimal strategies may be larger "
        "(vertex_enumeration lists their vertices)"
    )
    return SolveResult(
        game=game,
        equilibria=(equilibrium,),
        method="linear_program",
        exact=game.is_exact,
        complete=False,
        degenerate=None,
        components=((0,),),
        parameters=dict(game.values),
        messages=tuple(messages),
        details={"value": value},
    )


# ---------------------------------------------------------------------- helpers
def _maximin(matrix: np.ndarray):
    """A maximin strategy of the row player of ``matrix`` (float), or ``None`` if HiGHS fails."""
    from scipy.optimize import linprog

    m, n = matrix.shape
    # variables (x_1 … x_m, v); maximise v  <=>  minimise -v
    cost = np.zeros(m + 1)
    cost[-1] = -1.0
    upper = np.hstack([-matrix.T, np.ones((n, 1))])  # v - x^T A[:, j] <= 0
    equality = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    bounds = [(0, None)] * m + [(None, None)]
    solution = linprog(cost, A_ub=upper, b_ub=np.zeros(n), A_eq=equality, b_eq=[1.0],
                       bounds=bounds, method="highs")
    if solution.status != 0:
        return None
    return solution.x[:m]


def _rebuild(A, x_float, scaled):
    """Exact optimal strategy ``x`` of the row player of exact matrix ``A`` and its guaranteed payoff.

    Uses the support of the float solution and the columns that are tight for it
    (within :data:`SUPPORT_TOLERANCE` on the scaled matrix). Returns ``(x, v)`` or ``None``.
    """
    m, n = len(A), len(A[0])
    x_float = np.maximum(np.asarray(x_float, dtype=float), 0.0)
    payoffs = x_float @ scaled
    guaranteed = payoffs.min()
    support = [i for i in range(m) if x_float[i] > SUPPORT_TOLERANCE]
    tight = [j for j in range(n) if payoffs[j] <= guaranteed + SUPPORT_TOLERANCE]
    if not support or not tight:
        return None
    # unknowns: x_i for i in support, then v
    equations = [[A[i][j] for i in support] + [Fraction(-1)] for j in tight]
    rhs = [Fraction(0)] * len(tight)
    equations.append([Fraction(1)] * len(support) + [Fraction(0)])
    rhs.append(Fraction(1))
    solution = solve_exact(equations, rhs)
    if solution is None:
        return None
    *weights, value = solution
    if any(w < 0 for w in weights):
        return None
    x = [Fraction(0)] * m
    for i, w in zip(support, weights):
        x[i] = w
    for j in range(n):  # optimality needs x^T A[:, j] >= v for every column
        if sum(x[i] * A[i][j] for i in support) < value:
            return None
    return tuple(x), value


def _exact_matrix(M) -> list:
    """Rows of exact values (floats converted exactly)."""
    return [[v if isinstance(v, Fraction) else Fraction(float(v)) for v in row] for row in np.asarray(M)]


def _transpose_negate(A) -> list:
    """Player 2's matrix as a row player: ``-A^T``."""
    return [[-A[i][j] for i in range(len(A))] for j in range(len(A[0]))]
