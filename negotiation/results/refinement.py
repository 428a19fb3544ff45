"""The result of testing equilibria against a refinement (trembling-hand perfection)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from negotiation.core.document import Document, Table, Text
from negotiation.core.numeric import format_number, json_number
from negotiation.results.base import Result

__all__ = ["PerfectEquilibria"]


def _mixed(strategies, weights) -> str:
    parts = [(s, w) for s, w in zip(strategies, weights) if w != 0]
    if len(parts) == 1:
        return parts[0][0]
    return " + ".join(f"{format_number(w)} {s}" for s, w in parts)


@dataclass(frozen=True)
class PerfectEquilibria(Result):
    """Which extreme equilibria of a two-player game are trembling-hand perfect.

    Attributes
    ----------
    players, strategies : tuple
    profiles : tuple
        Each extreme equilibrium as ``(x, y)``: the two players' probability vectors.
    perfect : tuple of bool
        Whether each is perfect: for two players, exactly when neither strategy is weakly dominated
        (van Damme 1991, Theorem 3.2.2).
    dominated_by : tuple
        For an equilibrium that is not perfect: ``(player, z)``, a mixed strategy that weakly dominates that
        player's equilibrium strategy (the witness); ``None`` for a perfect one.
    """

    players: tuple
    strategies: tuple
    profiles: tuple
    perfect: tuple
    dominated_by: tuple
    method: str = "undominated_extreme_equilibria"
    exact: bool = True
    complete: bool = True
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict)

    def to_records(self) -> list[dict]:
        """One record per extreme equilibrium: the players' strategies, perfect or not, and the witness."""
        records = []
        for profile, perfect, witness in zip(self.profiles, self.perfect, self.dominated_by):
            record = {player: _mixed(labels, weights)
                      for player, labels, weights in zip(self.players, self.strategies, profile)}
            record["perfect"] = perfect
            record["weakly dominated by"] = "" if witness is None else \
                f"{self.players[witness[0]]}: {_mixed(self.strategies[witness[0]], witness[1])}"
            records.append(record)
        return records

    def document(self) -> Document:
        records = self.to_records()
        columns = tuple(records[0]) if records else (*self.players, "perfect", "weakly dominated by")
        rows = tuple(tuple(("yes" if r[c] else "no") if isinstance(r[c], bool) else r[c] for c in columns)
                     for r in records)
        count = sum(self.perfect)
        lines = (f"Method: {self.method} ({'exact' if self.exact else 'floating point'})",
                 f"{count} of {len(self.perfect)} extreme equilibria are trembling-hand perfect "
                 "(for two players: perfect = no player's strategy weakly dominated)")
        return Document("Trembling-hand perfect equilibria", (Text(lines), Table(columns, rows)),
                        notes=tuple(self.messages))

    def _content(self) -> dict:
        return {"players": list(self.players),
                "equilibria": [{"profile": {player: dict(zip(labels, (json_number(w) for w in weights)))
                                            for player, labels, weights in zip(self.players, self.strategies, profile)},
                                "perfect": perfect,
                                "weakly_dominated_by": None if witness is None else
                                {"player": self.players[witness[0]],
                                 "strategy": dict(zip(self.strategies[witness[0]],
                                                      (json_number(w) for w in witness[1])))}}
                               for profile, perfect, witness in zip(self.profiles, self.perfect, self.dominated_by)]}
