"""Iterated elimination of strictly dominated strategies, then solving what is left.

A strategy ``s`` of player ``i`` is *strictly dominated* when some mixture
``σ`` of ``i``'s other strategies pays strictly more than ``s`` against every
profile of the other players' strategies. Such a strategy is never played in
an equilibrium, so removing it — and repeating in the smaller game — leaves
the set of equilibria unchanged; for strict dominance the order of removal
does not matter (e.g. Osborne and Rubinstein, A Course in Game Theory, 1994,
§4.2; Fudenberg and Tirole, Game Theory, 1991, §2.1).

Dominance by a mixture is decided by a linear program (Myerson, Game Theory,
1991, §3.9): maximise ``ε`` subject to ``Σ_k σ_k u_i(k, t) - u_i(s, t) >= ε``
for every remaining opponent profile ``t``, ``σ >= 0``, ``Σ σ = 1``; ``s`` is
strictly dominated iff the optimum is positive. Pure dominators are tried
first, exactly and without an LP. The LP is solved by SciPy's HiGHS in
floating point; for exact games the dominating mixture is then *certified*
exactly (rounded to small fractions, or rebuilt from the LP's tight
constraints) before anything is eliminated. Float games need a margin larger
than ``1e-9`` times the payoff scale (the larger of the payoff range and the
largest absolute payoff). Weakly dominated strategies are never removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.core.linalg import solve_exact
from negotiation.core.numeric import format_number
from negotiation.models.game import Game
from negotiation.models.profile import MixedProfile
from negotiation.results.game import SolveResult
from negotiation.solvers.methods import game_method, METHODS, solve_game
from negotiation.solvers.verify import regret_tolerance, scaled_floats, verified_equilibrium

__all__ = ["Elimination", "eliminate_dominated", "iterated_elimination"]


@dataclass(frozen=True)
class Elimination:
    """One strictly dominated strategy that was removed.

    Attributes
    ----------
    round : int
        1 for strategies dominated in the original game, 2 for those dominated
        once round 1's were gone, and so on.
    player, strategy : str
        Labels of the removed strategy.
    dominated_by : dict
        The dominating mixed strategy: strategy label -> probability
        (``Fraction`` for exact games), over strategies still present when
        ``strategy`` was removed.
    """

    round: int
    player: str
    strategy: str
    dominated_by: dict = field(hash=False)

    def to_dict(self) -> dict:
        return {"round": self.round, "player": self.player, "strategy": self.strategy,
                "dominated_by": dict(self.dominated_by)}

    def describe(self) -> str:
        """One line, e.g. ``round 1: Player 1's 3 is dominated by 1/2 1 + 1/2 2``."""
        parts = [s if p == 1 else f"{format_number(p)} {s}" for s, p in self.dominated_by.items()]
        return (f"round {self.round}: {self.player}'s {self.strategy} is strictly dominated by "
                + " + ".join(parts))


def eliminate_dominated(game) -> tuple[Game, tuple[Elimination, ...]]:
    """Remove strictly dominated strategies (by pure or mixed strategies) until none is left.

    Parameters
    ----------
    game : Game
        A numeric game with any number of players.

    Returns
    -------
    reduced : Game
        The game on the surviving strategies (same players, labels, title,
        parameters and values).
    eliminations : tuple of Elimination
        What was removed, in order, with the round and the dominating strategy.

    Examples
    --------
    >>> from negotiation import Game
    >>> dilemma = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     players=("NATO", "Russia"),
    ...     strategies=(("Restrain", "Deploy"), ("Restrain", "Deploy")))
    >>> reduced, removed = eliminate_dominated(dilemma)
    >>> reduced.strategies
    (('Deploy',), ('Deploy',))
    >>> [e.describe() for e in removed]
    ["round 1: NATO's Restrain is strictly dominated by Deploy", "round 1: Russia's Restrain is strictly dominated by Deploy"]

    A strategy can be dominated by a mixture only:

    >>> hedge = Game.from_arrays([[3, 0], [0, 3], [1, 1]], [[0, 0], [0, 0], [0, 0]],
    ...     strategies=(("Up", "Down", "Hedge"), ("Left", "Right")))
    >>> eliminate_dominated(hedge)[1][0].dominated_by
    {'Up': Fraction(1, 2), 'Down': Fraction(1, 2)}
    """
    if game.is_symbolic:
        raise NegotiationError("substitute parameter values before eliminating dominated strategies")
    remaining = [list(range(n)) for n in game.shape]
    eliminations = []
    tolerance = 0.0 if game.is_exact else regret_tolerance(game)
    round_number = 0
    while True:
        round_number += 1
        snapshot = [list(r) for r in remaining]
        removed_this_round = []
        for player in range(game.n_players):
            matrix = _own_payoffs(game, player, snapshot)  # rows: own strategies, columns: opponent profiles
            for strategy in list(remaining[player]):
                others = [k for k in remaining[player] if k != strategy]
                if not others:
                    break
                dominator = _dominator(matrix, strategy, others, game.is_exact, tolerance)
                if dominator is None:
                    continue
                remaining[player].remove(strategy)
                labels = game.strategies[player]
                removed_this_round.append(Elimination(
                    round=round_number,
                    player=game.players[player],
                    strategy=labels[strategy],
                    dominated_by={labels[k]: p for k, p in dominator},
                ))
        if not removed_this_round:
            break
        eliminations.extend(removed_this_round)
    return _restrict(game, remaining), tuple(eliminations)


@game_method("iterated_elimination")
def iterated_elimination(game, then: str = "auto") -> SolveResult:
    """Eliminate strictly dominated strategies, solve the reduced game, map back.

    Parameters
    ----------
    game : Game
        A numeric game.
    then : str
        The method for the reduced game: ``"auto"`` (two players:
        ``vertex_enumeration``; more: ``enumerate_pure``) or any other name
        in :data:`negotiation.solvers.METHODS`.

    Returns
    -------
    SolveResult
        The reduced game's equilibria as profiles of the full game
        (probability 0 on eliminated strategies), each verified on the full
        game. ``complete`` and ``components`` are those of the reduced solve
        (strict dominance keeps the equilibrium set). ``details`` holds
        ``eliminated`` (round, player, strategy, dominated_by), the
        ``remaining`` strategies and ``reduced_shape``.

    Examples
    --------
    >>> from negotiation import Game
    >>> dilemma = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     players=("NATO", "Russia"),
    ...     strategies=(("Restrain", "Deploy"), ("Restrain", "Deploy")))
    >>> result = iterated_elimination(dilemma)
    >>> result.method, [e.profile.describe() for e in result]
    ('iterated_elimination+vertex_enumeration', ['NATO: Deploy; Russia: Deploy'])
    >>> result.details["reduced_shape"], result.complete
    ((1, 1), True)
    """
    if game.is_symbolic:
        raise NegotiationError("substitute parameter values before solving (game.substitute(...))")
    if then == "auto":
        then = "vertex_enumeration" if game.n_players == 2 else "enumerate_pure"
    if then not in METHODS or then == "iterated_elimination":
        choices = ", ".join(k for k in METHODS if k != "iterated_elimination")
        raise NegotiationError(f"unknown method for the reduced game {then!r} (expected auto or one of: {choices})")
    reduced, eliminations = eliminate_dominated(game)
    solved = solve_game(reduced, then)
    positions = [[game.strategies[p].index(s) for s in reduced.strategies[p]] for p in range(game.n_players)]
    equilibria = []
    for equilibrium in solved:
        vectors = []
        for p, probabilities in enumerate(equilibrium.profile.probabilities):
            zero = Fraction(0) if all(isinstance(v, Fraction) for v in probabilities) else 0.0
            full = [zero] * game.shape[p]
            for k, value in zip(positions[p], probabilities):
                full[k] = value
            vectors.append(tuple(full))
        profile = MixedProfile.from_vectors(game, vectors)
        equilibria.append(verified_equilibrium(game, profile, method=f"iterated_elimination+{then}"))
    messages = []
    if eliminations:
        messages.append(
            f"removed {len(eliminations)} strictly dominated strateg{'y' if len(eliminations) == 1 else 'ies'} "
            f"in {max(e.round for e in eliminations)} round(s); the equilibria are those of the reduced game"
        )
    else:
        messages.append("no strategy is strictly dominated")
    degenerate = solved.degenerate
    if eliminations and degenerate is False:
        # The reduced game being nondegenerate does not make the full game so
        # (a dominated strategy can have several best replies); "degenerate" is only inherited.
        degenerate = None
    messages.extend(solved.messages)
    return SolveResult(
        game=game,
        equilibria=tuple(equilibria),
        method=f"iterated_elimination+{then}",
        exact=solved.exact and game.is_exact,
        complete=solved.complete,
        degenerate=degenerate,
        components=solved.components,
        parameters=dict(game.values),
        messages=tuple(messages),
        details={
            **{k: v for k, v in solved.details.items()},
            "eliminated": [e.to_dict() for e in eliminations],
            "remaining": {p: list(s) for p, s in zip(game.players, reduced.strategies)},
            "reduced_shape": reduced.shape,
        },
    )


# ---------------------------------------------------------------------- helpers
def _own_payoffs(game, player, remaining) -> np.ndarray:
    """Player's payoffs, rows = its own strategies (all), columns = remaining opponent profiles."""
    array = np.moveaxis(game.payoff_array(player), player, 0)
    opponents = [remaining[q] for q in range(game.n_players) if q != player]
    if opponents:
        array = array[np.ix_(range(array.shape[0]), *opponents)]
    return array.reshape(array.shape[0], -1)


def _dominator(matrix, strategy, others, exact, tolerance):
    """A strictly dominating mixture of ``others`` as ``[(k, p), …]``, or ``None``."""
    target = matrix[strategy]
    for k in others:  # pure dominators first
        if all(a - b > tolerance for a, b in zip(matrix[k], target)):
            return [(k, Fraction(1) if exact else 1.0)]
    if len(others) < 2:
        return None
    best_other = np.asarray(matrix)[others].max(axis=0)
    if any(a >= b for a, b in zip(target, best_other)):
        return None  # a best reply to some opponent profile: no mixture does strictly better there (no LP needed)
    weights = _mixed_dominance_lp(matrix, strategy, others)
    if weights is None:
        return None
    if exact:
        return _certify_exact(matrix, strategy, others, weights)
    weights = np.maximum(weights, 0.0)
    weights = weights / weights.sum()
    rows = np.asarray(matrix[others], dtype=float)
    margin = float((weights @ rows - np.asarray(target, dtype=float)).min())
    if margin <= tolerance:
        return None
    return [(k, float(w)) for k, w in zip(others, weights) if w > 0]


def _mixed_dominance_lp(matrix, strategy, others):
    """Float LP: the mixture of ``others`` with the largest worst-case margin over ``strategy``.

    Returns the weights if the optimal margin looks positive, else ``None``.
    """
    from scipy.optimize import linprog

    # divided by a power of two first: exact payoffs beyond the float range convert, nothing overflows
    both, _ = scaled_floats(np.vstack([matrix[others], matrix[strategy][None]]))
    rows, target = both[:-1], both[-1]
    low = min(float(rows.min()), float(target.min()))
    span = max(float(rows.max()), float(target.max())) - low
    if not span > 0:  # all payoffs equal: nothing is strictly better
        return None
    rows, target = (rows - low) / span, (target - low) / span
    k, t = rows.shape
    cost = np.zeros(k + 1)
    cost[-1] = -1.0  # maximise the margin
    upper = np.hstack([-rows.T, np.ones((t, 1))])  # margin - σ·u(·, t) <= -u(s, t)
    solution = linprog(cost, A_ub=upper, b_ub=-target, A_eq=[[1.0] * k + [0.0]], b_eq=[1.0],
                       bounds=[(0, None)] * k + [(None, None)], method="highs")
    if solution.status != 0 or solution.x[-1] <= 1e-12:
        return None
    return solution.x[:k]


def _certify_exact(matrix, strategy, others, weights):
    """Exact mixture that strictly dominates ``strategy``, from the float LP weights, or ``None``."""
    target = matrix[strategy]
    rows = [matrix[k] for k in others]
    candidates = []
    rounded = [Fraction(float(w)).limit_denominator(10**6) for w in weights]
    rounded = [w if w > 0 else Fraction(0) for w in rounded]
    if sum(rounded) > 0:
        total = sum(rounded)
        candidates.append([w / total for w in rounded])
    rebuilt = _rebuild_vertex(rows, target, weights)
    if rebuilt is not None:
        candidates.append(rebuilt)
    for mixture in candidates:
        if all(sum(w * row[t] for w, row in zip(mixture, rows) if w) > target[t] for t in range(len(target))):
            return [(k, w) for k, w in zip(others, mixture) if w > 0]
    return None


def _rebuild_vertex(rows, target, weights):
    """Exact LP vertex: support of the float weights, opponent profiles whose margin is the minimum."""
    both, _ = scaled_floats(np.vstack([np.asarray(rows, dtype=object), np.asarray(target, dtype=object)[None]]))
    float_rows, float_target = both[:-1], both[-1]
    scale = float(np.abs(both).max()) or 1.0  # relative to the payoffs: no absolute floor
    weights = np.maximum(np.asarray(weights, dtype=float), 0.0)
    margins = weights @ float_rows - float_target
    tight = [t for t in range(len(target)) if margins[t] <= margins.min() + 1e-9 * scale]
    support = [k for k in range(len(rows)) if weights[k] > 1e-9]
    if not support:
        return None
    # unknowns: σ_k (k in support), ε; equations: Σ σ_k u(k, t) - ε = u(s, t) for tight t; Σ σ = 1
    equations = [[Fraction(rows[k][t]) for k in support] + [Fraction(-1)] for t in tight]
    rhs = [Fraction(target[t]) for t in tight]
    equations.append([Fraction(1)] * len(support) + [Fraction(0)])
    rhs.append(Fraction(1))
    solution = solve_exact(equations, rhs)
    if solution is None:
        return None
    *values, margin = solution
    if margin <= 0 or any(v < 0 for v in values):
        return None
    mixture = [Fraction(0)] * len(rows)
    for k, v in zip(support, values):
        mixture[k] = v
    return mixture


def _restrict(game, remaining) -> Game:
    """The game on the remaining strategies (indices per player)."""
    payoffs = game.payoffs[np.ix_(*remaining, range(game.n_players))]
    strategies = tuple(tuple(game.strategies[p][k] for k in keep) for p, keep in enumerate(remaining))
    return Game(game.players, strategies, payoffs, title=game.title,
                parameters=game.parameters, values=game.values)
