"""Trembling-hand perfect equilibria of two-player strategic-form games.

Selten's (1975) perfect equilibria are limits of equilibria of games in which every strategy is played
with a small positive probability. For two players an equilibrium is perfect exactly when neither
player's strategy is weakly dominated, by a pure or a mixed strategy (van Damme 1991, Theorem 3.2.2),
which a linear program decides: ``x`` is weakly dominated in the payoff matrix ``A`` exactly when
``max Σ_j (zA − xA)_j`` over mixed strategies ``z`` with ``zA ≥ xA`` is positive (the optimal ``z`` is the
witness). Each extreme equilibrium is tested; the programs are solved by HiGHS and rebuilt and certified
exactly for rational games (``bargaining.linear_programs``).

References
----------
Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in extensive games.
*International Journal of Game Theory* 4(1), 25–55.
van Damme, E. (1991). *Stability and Perfection of Nash Equilibria*, 2nd ed. Springer, §3.2
(Theorem 3.2.2: in two-player games the perfect equilibria are the undominated equilibria).
"""

from __future__ import annotations

from fractions import Fraction

from negotiation.bargaining.linear_programs import LinearProgram
from negotiation.core.errors import NegotiationError
from negotiation.models.game import Game
from negotiation.results.refinement import PerfectEquilibria
from negotiation.solvers.front_door import solve

__all__ = ["perfect_equilibria", "weakly_dominating", "MAX_REFINED_EQUILIBRIA"]

#: Most extreme equilibria tested (two linear programs each, about 5 ms per program for a 10 × 10 game).
MAX_REFINED_EQUILIBRIA = 1000


def weakly_dominating(matrix, x, exact: bool = True):
    """A mixed strategy that weakly dominates ``x`` for the row player of ``matrix``, or ``None``.

    ``matrix[i][j]`` is the player's payoff from its strategy ``i`` against the other's ``j``; ``x`` a
    probability vector over the rows. Returns ``(z, certified)``: ``z`` gives at least ``x``'s payoff against
    every column and more against one (``None`` when ``x`` is undominated); ``certified`` says the linear
    program's answer was rebuilt and checked exactly.

    Examples
    --------
    Accommodate (payoffs 2 and 1 against Out and In) weakly dominates Fight (2 and −1):

    >>> z, certified = weakly_dominating([[2, -1], [2, 1]], [1, 0])
    >>> z, certified
    ([Fraction(0, 1), Fraction(1, 1)], True)
    """
    rows, columns = len(matrix), len(matrix[0])
    xa = [sum(x[i] * matrix[i][j] for i in range(rows)) for j in range(columns)]
    # max Σ_j (zA)_j subject to −(zA)_j ≤ −(xA)_j, Σ z = 1, z ≥ 0; dominated iff max > Σ_j (xA)_j
    program = LinearProgram([[-matrix[i][j] for i in range(rows)] for j in range(columns)], [-v for v in xa],
                            [[1] * rows], [1], [(0, None)] * rows, exact)
    answer = program.maximise([sum(matrix[i][j] for j in range(columns)) for i in range(rows)])
    if answer is None:  # infeasible cannot happen (z = x is feasible); kept for safety
        raise NegotiationError("weak dominance: the linear program found no feasible strategy")
    z, value, is_exact, certified = answer
    gain = value - sum(xa)
    tolerance = 0 if is_exact else 1e-9 * (1 + max(abs(float(v)) for row in matrix for v in row))
    return (None if gain <= tolerance else list(z)), certified


def perfect_equilibria(game: Game) -> PerfectEquilibria:
    """Which extreme equilibria of a two-player game are trembling-hand perfect (Selten 1975).

    Parameters
    ----------
    game : Game
        A numeric two-player strategic-form game.

    Returns
    -------
    PerfectEquilibria
        Every extreme equilibrium (from ``ng.solve``), whether it is perfect, and for one that is not, a
        mixed strategy that weakly dominates a player's equilibrium strategy.

    Examples
    --------
    The entry game: (Out, Fight) is an equilibrium, but Fight is weakly dominated by Accommodate, so only
    (In, Accommodate) is perfect.

    >>> import negotiation as ng
    >>> entry = ng.Game.from_arrays([[0, 0], [-1, 1]], [[2, 2], [-1, 1]],
    ...                             strategies=(("Out", "In"), ("Fight", "Accommodate")))
    >>> perfect_equilibria(entry).perfect
    (False, False, True)
    """
    if not isinstance(game, Game) or game.n_players != 2:
        raise NegotiationError("perfect equilibria are computed for two-player strategic-form games")
    if game.is_symbolic:
        raise NegotiationError("perfect equilibria: substitute parameter values first (game.substitute(...))")
    result = solve(game)
    equilibria = list(result)
    if len(equilibria) > MAX_REFINED_EQUILIBRIA:
        raise NegotiationError(f"perfect equilibria: {len(equilibria)} extreme equilibria to test, more than "
                               f"MAX_REFINED_EQUILIBRIA = {MAX_REFINED_EQUILIBRIA}")
    exact = game.is_exact
    A = [[game.payoffs[i, j, 0] for j in range(game.shape[1])] for i in range(game.shape[0])]
    B = [[game.payoffs[i, j, 1] for i in range(game.shape[0])] for j in range(game.shape[1])]  # column player's rows
    profiles, perfect, witnesses, certified = [], [], [], True
    for equilibrium in equilibria:
        profile = tuple(tuple(equilibrium[player][s] for s in labels)
                        for player, labels in zip(game.players, game.strategies))
        witness = None
        for player, matrix in enumerate((A, B)):
            z, sure = weakly_dominating(matrix, profile[player], exact)
            certified = certified and sure
            if z is not None:
                witness = (player, tuple(Fraction(v) if exact else v for v in z))
                break
        profiles.append(profile)
        perfect.append(witness is None)
        witnesses.append(witness)
    messages = [] if certified or not exact else [
        "a linear program's optimum could not be certified exactly: its answer was read in floating point"]
    if result.degenerate:  # points inside a component are equilibria too, and are not tested here
        messages.append("degenerate game: the extreme equilibria are tested; a point inside a component may be "
                        "perfect even where its extreme points are not")
    return PerfectEquilibria(tuple(game.players), tuple(tuple(s) for s in game.strategies), tuple(profiles),
                             tuple(perfect), tuple(witnesses), exact=exact and certified,
                             complete=bool(result.complete and not result.degenerate),
                             parameters=dict(game.values or {}), messages=tuple(messages))
