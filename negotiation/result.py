"""Frozen result types: what was found, and how.

Every solver returns a :class:`SolveResult`: the equilibria (labelled), the
method that found them, whether the numbers are exact, whether the list is
complete, whether the game is degenerate, the parameter values the game was
built with, and — for two-player games — the equilibrium components (maximal
convex sets of equilibria spanned by extreme ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from negotiation.core.numeric import json_number
from negotiation.profile import MixedProfile

__all__ = ["Equilibrium", "SolveResult", "Tabular", "EquilibriumList", "ConditionalEquilibria"]


class Tabular:
    """``to_frame()`` for every result that has ``to_records()``: one place for the pandas conversion."""

    __slots__ = ()

    def to_frame(self):
        """The records as a pandas DataFrame."""
        import pandas

        return pandas.DataFrame(self.to_records())


class EquilibriumList:
    """A result that is a sequence of its ``equilibria``: ``len``, iteration, indexing."""

    __slots__ = ()

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, index):
        return self.equilibria[index]


class ConditionalEquilibria:
    """Shared by the symbolic results (``equilibria`` with a ``condition`` and ``boundary_only`` each):
    which equilibria hold at a parameter point, which have interior regions."""

    __slots__ = ()

    @property
    def interior(self) -> tuple:
        """The equilibria whose region has interior points (the generic cases)."""
        return tuple(e for e in self.equilibria if not e.boundary_only)

    @property
    def boundary_only(self) -> tuple:
        """The equilibria that hold only on boundaries (ties)."""
        return tuple(e for e in self.equilibria if e.boundary_only)

    def equilibria_at(self, values) -> list:
        """The entries whose condition holds at ``values`` (parameter name -> number)."""
        return [e for e in self.equilibria if e.condition.holds(values)]

    def on_boundary(self, values) -> bool:
        return any(e.condition.on_boundary(values) for e in self.equilibria)


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium: a labelled profile and each player's expected payoff.

    ``regret`` is the largest gain any player could make by deviating: exactly
    zero for exact results, at most the stated tolerance for float results.
    """

    profile: MixedProfile
    payoffs: tuple
    regret: Fraction | float = Fraction(0)

    @property
    def kind(self) -> str:
        return "pure" if self.profile.is_pure else "mixed"

    def payoff(self, player) -> Fraction | float:
        i = self.profile.players.index(player) if isinstance(player, str) else player
        return self.payoffs[i]

    def __getitem__(self, player) -> dict:
        return self.profile[player]

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "profile": self.profile.to_dict(),
            "payoffs": {p: json_number(v) for p, v in zip(self.profile.players, self.payoffs)},
        }


@dataclass(frozen=True, eq=False)
class SolveResult(EquilibriumList, Tabular):
    """Equilibria of one numeric game and how they were obtained.

    Behaves as a sequence of :class:`Equilibrium`.

    Attributes
    ----------
    game : Game
        The numeric game that was solved.
    equilibria : tuple of Equilibrium
    method : str
        Name of the algorithm (``"vertex_enumeration"``, ``"enumerate_pure"``, …).
    exact : bool
        All numbers are exact rationals and every equilibrium was verified exactly.
    complete : bool
        The method guarantees that every equilibrium (for degenerate games: every
        extreme equilibrium) is listed.
    degenerate : bool or None
        Whether the game is degenerate (``None``: not determined by this method).
    components : tuple of tuple of int
        Maximal convex sets of equilibria, as indices into ``equilibria``.
    parameters : mapping
        Parameter values the game was built with.
    messages : tuple of str
        Notes for the user (tolerances used, fallbacks taken, …).
    details : mapping
        Method-specific extras (for example the value of a zero-sum game).
    """

    game: Any = field(repr=False)
    equilibria: tuple
    method: str
    exact: bool
    complete: bool
    degenerate: bool | None = None
    components: tuple = ()
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict, repr=False)

    @property
    def pure(self) -> tuple:
        """The pure-strategy equilibria."""
        return tuple(e for e in self.equilibria if e.kind == "pure")

    def to_dict(self) -> dict:
        """The JSON object of ``negotiation solve --format json`` (DESIGN.md §3.1)."""
        game = self.game
        data = {
            "game": {
                "title": game.title,
                "players": list(game.players),
                "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
            },
            "parameters": {k: json_number(v) for k, v in self.parameters.items()},
            "method": self.method,
            "exact": self.exact,
            "complete": self.complete,
            "degenerate": self.degenerate,
            "equilibria": [e.to_dict() for e in self.equilibria],
            "components": [list(c) for c in self.components],
        }
        if self.messages:
            data["messages"] = list(self.messages)
        extras = {k: _json_deep(v) for k, v in self.details.items() if not k.startswith("_")}
        if extras:
            data["details"] = extras
        return data

    def to_records(self) -> list[dict]:
        """One flat dict per equilibrium: parameters, kind, probabilities and payoffs, by label."""
        from negotiation.report.tables import result_records

        return result_records(self)

    def to_text(self) -> str:
        from negotiation.report.tables import result_text

        return result_text(self)

    def to_markdown(self) -> str:
        from negotiation.report.tables import result_markdown

        return result_markdown(self)

    def to_latex(self) -> str:
        from negotiation.report.tables import result_latex

        return result_latex(self)

    def to_csv(self) -> str:
        from negotiation.report.tables import result_csv

        return result_csv(self)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _json_deep(value):
    if isinstance(value, Mapping):
        return {str(k): _json_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_deep(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # counts (pivots, rounds) stay JSON numbers
    return json_number(value)
