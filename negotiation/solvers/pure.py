"""Pure-strategy Nash equilibria of games with any number of players.

A profile is an equilibrium when every player's payoff equals the best it
could get by changing its own strategy alone. The check is one vectorised
comparison per player over the whole payoff tensor, in exact arithmetic for
exact games.
"""

from __future__ import annotations

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.models.profile import MixedProfile
from negotiation.results.game import SolveResult
from negotiation.solvers.methods import game_method
from negotiation.solvers.verify import regret_tolerance, verified_equilibrium

__all__ = ["enumerate_pure", "pure_equilibrium_mask"]


def pure_equilibrium_mask(game) -> np.ndarray:
    """Boolean array over pure profiles: ``True`` where the profile is an equilibrium."""
    mask = np.ones(game.shape, dtype=bool)
    tolerance = 0 if game.is_exact else regret_tolerance(game)  # relative to the payoff scale: no floor
    for i in range(game.n_players):
        payoff = game.payoffs[..., i]
        best = payoff.max(axis=i, keepdims=True)
        if game.is_exact:
            mask &= np.asarray(payoff == best, dtype=bool)
        else:
            mask &= np.asarray(payoff, dtype=float) >= np.asarray(best, dtype=float) - tolerance
    return mask


@game_method("enumerate_pure")
def enumerate_pure(game) -> SolveResult:
    """All pure-strategy equilibria.

    ``complete`` is ``True`` in the sense that every *pure* equilibrium is
    listed; mixed equilibria are not searched.

    Examples
    --------
    >>> from negotiation import Game
    >>> chicken = Game.from_arrays([[0, -1], [1, -10]], [[0, 1], [-1, -10]],
    ...     strategies=(("Swerve", "Straight"), ("Swerve", "Straight")))
    >>> [e.profile.describe() for e in enumerate_pure(chicken)]
    ['Player 1: Swerve; Player 2: Straight', 'Player 1: Straight; Player 2: Swerve']
    """
    if game.is_symbolic:
        raise NegotiationError("substitute parameter values before solving (game.substitute(...))")
    mask = pure_equilibrium_mask(game)
    equilibria = []
    for position in np.argwhere(mask):
        profile = MixedProfile.pure(game, [int(k) for k in position])
        equilibria.append(verified_equilibrium(game, profile, method="enumerate_pure"))
    degenerate = None
    if game.n_players == 2:
        # two pure best responses to a pure strategy make the game degenerate
        A, B = game.payoffs[..., 0], game.payoffs[..., 1]
        degenerate = bool(
            any(np.sum(A[:, j] == A[:, j].max()) > 1 for j in range(A.shape[1]))
            or any(np.sum(B[i, :] == B[i, :].max()) > 1 for i in range(B.shape[0]))
        ) or None
    return SolveResult(
        game=game,
        equilibria=tuple(equilibria),
        method="enumerate_pure",
        exact=game.is_exact,
        complete=False,
        degenerate=degenerate,
        components=tuple((k,) for k in range(len(equilibria))),
        parameters=dict(game.values),
        messages=("pure-strategy equilibria only: mixed equilibria were not searched",),
    )
