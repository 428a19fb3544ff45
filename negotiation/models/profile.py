"""Labelled mixed-strategy profiles, expected payoffs and regret.

A :class:`MixedProfile` gives each player a probability distribution over its
strategies. Probabilities are exact (``Fraction``) or floats. The functions
here compute expected payoffs and regret, the ingredient of every
equilibrium check in the solvers.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from negotiation.core.numeric import format_number, json_number

__all__ = ["MixedProfile", "expected_payoffs", "pure_payoffs", "regrets"]


@dataclass(frozen=True)
class MixedProfile:
    """One mixed strategy per player, with labels.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> profile = MixedProfile(("NATO", "Russia"), (("Restrain", "Deploy"),) * 2,
    ...                        ((F(3, 4), F(1, 4)), (F(1), F(0))))
    >>> profile["NATO"]
    {'Restrain': Fraction(3, 4), 'Deploy': Fraction(1, 4)}
    >>> profile.support("Russia")
    ('Restrain',)
    >>> profile.is_pure
    False
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    probabilities: tuple[tuple, ...]

    @classmethod
    def from_vectors(cls, game, vectors: Sequence[Sequence]) -> "MixedProfile":
        return cls(game.players, game.strategies, tuple(tuple(v) for v in vectors))

    @classmethod
    def pure(cls, game, indices: Sequence[int]) -> "MixedProfile":
        vectors = []
        for n, chosen in zip(game.shape, indices):
            vectors.append(tuple(Fraction(1) if j == chosen else Fraction(0) for j in range(n)))
        return cls.from_vectors(game, vectors)

    def __getitem__(self, player) -> dict:
        i = self.players.index(player) if isinstance(player, str) else player
        return dict(zip(self.strategies[i], self.probabilities[i]))

    def vector(self, player) -> tuple:
        i = self.players.index(player) if isinstance(player, str) else player
        return self.probabilities[i]

    def support(self, player) -> tuple[str, ...]:
        i = self.players.index(player) if isinstance(player, str) else player
        return tuple(s for s, p in zip(self.strategies[i], self.probabilities[i]) if p > 0)

    @property
    def is_pure(self) -> bool:
        return all(sum(1 for p in probs if p > 0) == 1 for probs in self.probabilities)

    @property
    def is_exact(self) -> bool:
        return all(isinstance(p, Fraction) for probs in self.probabilities for p in probs)

    def to_dict(self) -> dict:
        """``{player: {strategy: probability}}`` with exact values as fraction strings."""
        return {
            player: {s: json_number(p) for s, p in zip(labels, probs)}
            for player, labels, probs in zip(self.players, self.strategies, self.probabilities)
        }

    def describe(self) -> str:
        """Compact text: pure strategies by name, mixed ones as ``3/4 Restrain + 1/4 Deploy``."""
        parts = []
        for player, labels, probs in zip(self.players, self.strategies, self.probabilities):
            support = [(s, p) for s, p in zip(labels, probs) if p > 0]
            if len(support) == 1:
                parts.append(f"{player}: {support[0][0]}")
            else:
                parts.append(f"{player}: " + " + ".join(f"{format_number(p)} {s}" for s, p in support))
        return "; ".join(parts)


def pure_payoffs(game, profile: MixedProfile) -> list[np.ndarray]:
    """For each player, the expected payoff of each of its pure strategies against the others' mix."""
    payoffs = game.payoffs
    if game.n_players == 2:
        return _pure_payoffs_bimatrix(game, profile)
    result = []
    for i in range(game.n_players):
        array = payoffs[..., i]
        # contract every other player's axis with its mixed strategy, highest axis first
        for j in reversed(range(game.n_players)):
            if j == i:
                continue
            vector = np.asarray(profile.probabilities[j], dtype=array.dtype)
            array = np.tensordot(array, vector, axes=([j], [0]))
        result.append(array)
    return result


def _pure_payoffs_bimatrix(game, profile):
    x, y = profile.probabilities
    A = game.payoffs[..., 0]
    B = game.payoffs[..., 1]
    if game.payoffs.dtype != object:
        xf = np.asarray(x, dtype=float)
        yf = np.asarray(y, dtype=float)
        return [A @ yf, xf @ B]
    support_x = [(i, p) for i, p in enumerate(x) if p]
    support_y = [(j, q) for j, q in enumerate(y) if q]
    rows = A.tolist()
    columns = B.T.tolist()
    against_y = [sum(row[j] * q for j, q in support_y) for row in rows]
    against_x = [sum(column[i] * p for i, p in support_x) for column in columns]
    return [np.array(against_y, dtype=object), np.array(against_x, dtype=object)]


def expected_payoffs(game, profile: MixedProfile) -> tuple:
    """Each player's expected payoff under ``profile`` (exact when both are exact)."""
    values = []
    for i, against in enumerate(pure_payoffs(game, profile)):
        vector = np.asarray(profile.probabilities[i], dtype=against.dtype)
        values.append(np.dot(against, vector))
    return tuple(values)


def regrets(game, profile: MixedProfile) -> tuple:
    """Each player's regret: best pure payoff against the others minus its expected payoff."""
    out = []
    for i, against in enumerate(pure_payoffs(game, profile)):
        vector = np.asarray(profile.probabilities[i], dtype=against.dtype)
        out.append(max(against) - np.dot(against, vector))
    return tuple(out)
