"""The check every profile passes before a solver returns it.

Exact profiles must have exactly zero regret and probabilities that are
non-negative and sum to one. Float profiles must meet the same conditions
within :data:`FLOAT_TOLERANCE` times the game's payoff range (probabilities:
within ``FLOAT_TOLERANCE``). A failure is a bug in a solver, never a user
error, and raises :class:`VerificationError` rather than returning a wrong
answer.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.models.profile import MixedProfile, expected_payoffs, regrets
from negotiation.results.game import Equilibrium

__all__ = ["FLOAT_TOLERANCE", "VerificationError", "verified_equilibrium", "payoff_range"]

#: Relative tolerance for float results (times the payoff range for regrets).
FLOAT_TOLERANCE = 1e-9


class VerificationError(RuntimeError):
    """A solver produced a profile that is not an equilibrium (a bug: please report it)."""


def payoff_range(game) -> float:
    values = np.asarray(game.payoffs, dtype=float)
    span = float(values.max() - values.min()) if values.size else 0.0
    return max(span, 1.0)


def verified_equilibrium(game, profile: MixedProfile, *, method: str) -> Equilibrium:
    """Check ``profile`` and return it as an :class:`Equilibrium`, or raise."""
    exact = game.is_exact and profile.is_exact
    for player, probs in zip(game.players, profile.probabilities):
        total = sum(probs)
        if exact:
            if any(p < 0 for p in probs) or total != 1:
                raise VerificationError(f"{method}: {player}'s probabilities {probs} are not a distribution")
        elif any(p < -FLOAT_TOLERANCE for p in probs) or abs(total - 1) > FLOAT_TOLERANCE * len(probs):
            raise VerificationError(f"{method}: {player}'s probabilities {probs} are not a distribution")
    regret = max(regrets(game, profile))
    if exact:
        if regret != 0:
            raise VerificationError(f"{method}: profile {profile.describe()} has regret {regret}")
        regret = Fraction(0)
    else:
        regret = float(regret)
        if regret > FLOAT_TOLERANCE * payoff_range(game):
            raise VerificationError(f"{method}: profile {profile.describe()} has regret {regret:.3g}")
    return Equilibrium(profile, expected_payoffs(game, profile), regret)
