"""The result of selecting among the equilibria of a game (payoff dominance, risk dominance)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from negotiation.core.document import Document, Table, Text
from negotiation.core.numeric import format_number, json_number
from negotiation.results.base import Result

__all__ = ["SelectionResult"]

CRITERIA = {"risk": "risk dominance (Harsanyi and Selten 1988)",
            "payoff": "payoff dominance (Harsanyi and Selten 1988)"}


@dataclass(frozen=True)
class SelectionResult(Result):
    """Which strict pure equilibrium of a 2×2 game a criterion selects.

    Attributes
    ----------
    criterion : str
        ``"risk"`` or ``"payoff"``.
    players : tuple of str
    candidates : tuple of tuple of str
        The two profiles compared (strategy labels in player order).
    measures : tuple
        Per candidate: the product of the players' deviation losses (risk), or the payoff vector (payoff).
    selected : tuple of str or None
        The selected profile; ``None`` when neither is selected (a tie, no Pareto ranking, or the game has not
        two strict pure equilibria at these values: see ``messages``).
    conditions : mapping
        For a game with parameters: ``{profile text: condition}``, where in parameter space each candidate is
        selected (sympy relations as text: the strictness of both equilibria and the criterion).
    """

    criterion: str
    players: tuple
    candidates: tuple
    measures: tuple
    selected: tuple | None
    conditions: Mapping = field(default_factory=dict)
    method: str = "risk_dominance"
    exact: bool = True
    complete: bool = True
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict)

    def _profile_text(self, profile) -> str:
        return "(" + ", ".join(profile) + ")"

    def _measure_text(self, measure) -> str:
        if isinstance(measure, tuple):
            return "(" + ", ".join(format_number(v) for v in measure) + ")"
        return "" if measure is None else format_number(measure)

    def to_records(self) -> list[dict]:
        """One record per candidate profile: its measure, whether selected, and (with parameters) where."""
        label = "Nash product of deviation losses" if self.criterion == "risk" else "payoffs"
        return [{"profile": self._profile_text(c), label: self._measure_text(m), "selected": c == self.selected,
                 **({"where selected": self.conditions.get(self._profile_text(c), "")} if self.conditions else {})}
                for c, m in zip(self.candidates, self.measures)]

    def document(self) -> Document:
        lines = [f"Method: {self.method} ({'exact' if self.exact else 'floating point'})"]
        if self.parameters:
            lines.append("Parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items()))
        if self.selected is not None:
            lines.append(f"Selected: {self._profile_text(self.selected)}")
        elif self.candidates and not self.conditions:
            lines.append("Selected: neither")
        blocks = [Text(tuple(lines))]
        records = self.to_records()
        if records:
            columns = tuple(records[0])
            rows = tuple(tuple(("yes" if r[c] else "no") if isinstance(r[c], bool) else str(r[c]) for c in columns)
                         for r in records)
            blocks.append(Table(columns, rows))
        return Document(f"Equilibrium selection: {CRITERIA[self.criterion]}", tuple(blocks),
                        notes=tuple(self.messages))

    def _content(self) -> dict:
        return {"criterion": self.criterion, "players": list(self.players),
                "candidates": [list(c) for c in self.candidates],
                "measures": [[json_number(v) for v in m] if isinstance(m, tuple) else
                             (None if m is None else json_number(m)) for m in self.measures],
                "selected": None if self.selected is None else list(self.selected),
                "conditions": dict(self.conditions)}
