"""The result of solving a cooperative game: the Shapley value, the core, the nucleolus and power indices.

:class:`CooperativeResult` (from ``ng.solve(game)`` on a :class:`~negotiation.models.cooperative.CooperativeGame`)
holds one number per player for each solution computed, and what is known of the core: whether it is empty
(the least core value ``ε*``: the core is non-empty exactly when ``ε* ≤ 0``) and, for up to four players, its
vertices. Its rows are the players, labelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from negotiation.core.document import Cell, Document, Table, Text, latex_number
from negotiation.core.numeric import format_number, json_number
from negotiation.models.cooperative import CooperativeGame
from negotiation.results.base import Result

__all__ = ["SOLUTION_TITLES", "CooperativeResult"]

#: Column titles of the per-player solutions (the simple game's Shapley value is its Shapley–Shubik index).
SOLUTION_TITLES = {"shapley": "Shapley value", "nucleolus": "nucleolus", "banzhaf": "Banzhaf index",
                   "banzhaf_normalised": "normalised Banzhaf index"}


@dataclass(frozen=True, eq=False)
class CooperativeResult(Result):
    """Solutions of a cooperative game, one number per player, and the core.

    Attributes
    ----------
    game : CooperativeGame
        The game solved (numeric).
    shapley, nucleolus, banzhaf, banzhaf_normalised : tuple or None
        One value per player (in ``game.players`` order), or ``None`` when not computed (not asked for, not
        defined, or beyond a limit: see ``messages``). For a simple game the Shapley value is the
        Shapley–Shubik power index.
    least_core : Fraction or None
        ``ε* = min_x max_S (v(S) − x(S))`` over efficient ``x``: the core is empty exactly when ``ε* > 0``.
    core_vertices : tuple or None
        The vertices of the core (tuples of payoffs), for up to four players; ``()`` when it is empty.
    """

    game: CooperativeGame
    method: str
    shapley: tuple | None = None
    nucleolus: tuple | None = None
    banzhaf: tuple | None = None
    banzhaf_normalised: tuple | None = None
    least_core: object = None
    core_vertices: tuple | None = None
    exact: bool = True
    complete: bool = True
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict)

    @property
    def players(self) -> tuple:
        return self.game.players

    def __len__(self) -> int:
        """The number of rows: one per player."""
        return len(self.game.players)

    @property
    def simple(self) -> bool:
        """Whether the game is simple (worths 0 or 1, monotone): its Shapley value is then a power index."""
        return self.game.is_simple

    @property
    def core_empty(self) -> bool | None:
        """``True``/``False`` when the least core was computed, else ``None``."""
        return None if self.least_core is None else self.least_core > 0

    def solution(self, name: str) -> dict | None:
        """One solution (``"shapley"``, ``"nucleolus"``, ``"banzhaf"``, ``"banzhaf_normalised"``) by player label."""
        values = getattr(self, name)
        return None if values is None else dict(zip(self.players, values))

    def solution_columns(self) -> list:
        names = [name for name in SOLUTION_TITLES if getattr(self, name) is not None]
        return [(name, "Shapley–Shubik index" if name == "shapley" and self.simple else SOLUTION_TITLES[name])
                for name in names]

    def to_records(self) -> list[dict]:
        """One row per player: the player's label and its value under each solution computed."""
        columns = self.solution_columns()
        return [{"player": player, **{title: getattr(self, name)[k] for name, title in columns}}
                for k, player in enumerate(self.players)]

    def core_text(self) -> str:
        """One line on the core: empty or not, and the least core value that says so."""
        if self.least_core is None:
            return "Core: not computed."
        epsilon = format_number(self.least_core)
        if self.least_core > 0:
            return (f"Core: empty. Every efficient division leaves some coalition short by at least "
                    f"ε* = {epsilon} (the least core value).")
        return f"Core: non-empty (least core value ε* = {epsilon} ≤ 0)."

    def document(self) -> Document:
        title = f"{self.game.title or 'Cooperative game'}: {self.game.n_players} players, v(N) = " \
                f"{format_number(self.game.grand_value)}"
        heading = Text((f"Method: {self.summary()}.", self.core_text()))
        columns = self.solution_columns()
        blocks = [heading]
        if columns:
            blocks.append(Table(("player", *(title for _, title in columns)),
                                tuple((p, *(_readable(getattr(self, name)[k]) for name, _ in columns))
                                      for k, p in enumerate(self.players)),
                                footer=(("total", *(_readable(_total(getattr(self, name))) for name, _ in columns)),)))
        if self.core_vertices:
            blocks.append(Table(self.players, tuple(tuple(_readable(v) for v in vertex) for vertex in self.core_vertices),
                                caption="Vertices of the core"))
        return Document(title, tuple(blocks), notes=tuple(self.messages))

    def _content(self) -> dict:
        data = {"game": self.game.to_dict(), "players": list(self.players), "simple": self.simple}
        for name, _ in self.solution_columns():
            data[name] = {p: json_number(v) for p, v in zip(self.players, getattr(self, name))}
        if self.least_core is not None:
            core = {"empty": self.core_empty, "least_core_value": json_number(self.least_core)}
            if self.core_vertices is not None:
                core["vertices"] = [{p: json_number(v) for p, v in zip(self.players, vertex)}
                                    for vertex in self.core_vertices]
            data["core"] = core
        return data


def _readable(value):
    """Exact fractions with long denominators also as a decimal: ``15463/6 (≈ 2577.17)``."""
    if isinstance(value, Fraction) and value.denominator > 12:
        return Cell(f"{format_number(value)} (≈ {format_number(float(value))})",
                    f"${latex_number(value)} \\approx {format_number(float(value))}$")
    return value


def _total(values):
    return sum(values, Fraction(0)) if all(isinstance(v, Fraction) for v in values) else float(sum(values))
