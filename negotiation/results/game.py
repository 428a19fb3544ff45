"""Frozen result types: what was found, and how.

Every solver returns a :class:`SolveResult`: the equilibria (labelled), the
method that found them, whether the numbers are exact, whether the list is
complete, whether the game is degenerate, the parameter values the game was
built with, and — for two-player games — the equilibrium components (maximal
convex sets of equilibria spanned by extreme ones).

Correlated equilibria (``method="correlated"``) are a :class:`CorrelatedReport`: one
:class:`CorrelatedResult` per objective (welfare, egalitarian, each player's best), with the
Nash payoffs for comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Mapping

from negotiation.core.document import Cell, Document, Table, Text, latex_escape, latex_number
from negotiation.core.numeric import format_number, json_number
from negotiation.models.profile import MixedProfile
from negotiation.results.base import EquilibriumList, Result

__all__ = ["Equilibrium", "SolveResult", "CorrelatedResult", "CorrelatedReport"]


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
class SolveResult(EquilibriumList, Result):
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
    analyses : mapping
        Other analyses of the same game at the same point, by name (a scenario's ``[repetition]``
        and ``[inspection]`` sections); shown after the equilibria and nested in ``to_dict()``.
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
    analyses: Mapping = field(default_factory=dict, repr=False)

    @property
    def pure(self) -> tuple:
        """The pure-strategy equilibria."""
        return tuple(e for e in self.equilibria if e.kind == "pure")

    def _content(self) -> dict:
        """The JSON object of ``negotiation solve --format json`` (DESIGN.md §3.1)."""
        game = self.game
        return {
            "game": {
                "title": game.title,
                "players": list(game.players),
                "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
            },
            "equilibria": [e.to_dict() for e in self.equilibria],
            "components": [list(c) for c in self.components],
        }

    def to_records(self) -> list[dict]:
        """One flat dict per equilibrium, labelled.

        Keys: the parameters, ``equilibrium`` (1-based), ``kind``, ``component``,
        ``"<player>: <strategy>"`` probabilities, ``"payoff <player>"``. Values are
        exact (``Fraction``) or floats.
        """
        components = self._component_of()
        records = []
        for k, equilibrium in enumerate(self.equilibria):
            record = dict(self.parameters)
            record["equilibrium"] = k + 1
            record["kind"] = equilibrium.kind
            record["component"] = components.get(k, "")
            profile = equilibrium.profile
            for player, labels, probs in zip(profile.players, profile.strategies, profile.probabilities):
                for label, p in zip(labels, probs):
                    record[f"{player}: {label}"] = p
            for player, payoff in zip(profile.players, equilibrium.payoffs):
                record[f"payoff {player}"] = payoff
            records.append(record)
        return records

    def _component_of(self) -> dict[int, str]:
        labels = {}
        for number, members in enumerate(self.components, start=1):
            for k in members:
                labels.setdefault(k, []).append(str(number))
        return {k: ",".join(v) for k, v in labels.items()}

    def table(self) -> Table:
        """The compact equilibrium table: one row per equilibrium, each player's mixture in one cell."""
        game = self.game
        components = self._component_of()
        show_components = any(len(c) > 1 for c in self.components)
        logit = self.method == "logit_qre"  # one row: the QRE at a stated λ, or the limit as λ grows
        header = [Cell("λ", "$\\lambda$") if logit else "#", "kind", *(["component"] if show_components else []),
                  *game.players, *(Cell(f"payoff {p}", f"$u_{{\\mathrm{{{latex_escape(p)}}}}}$") for p in game.players)]
        rows = []
        for k, equilibrium in enumerate(self.equilibria):
            number = _logit_row_label(self) if logit else str(k + 1)
            cells = [number, equilibrium.kind, *([components.get(k, "")] if show_components else [])]
            cells += [_mixture(equilibrium.profile, player) for player in game.players]
            cells += list(equilibrium.payoffs)
            rows.append(tuple(cells))
        return Table(tuple(header), tuple(rows))

    def document(self) -> Document:
        blocks = [Text(tuple(heading(self)))]
        if self.equilibria:
            blocks.append(self.table())
        spans = [f"Component {number}: equilibria {', '.join(str(k + 1) for k in members)} span a convex set; "
                 "every mixture of them (player by player) is an equilibrium too."
                 for number, members in enumerate(self.components, start=1) if len(members) > 1]
        if spans:
            blocks.append(Text(tuple(spans)))
        return Document(self.game.title or "Game", tuple(blocks), notes=tuple(self.messages),
                        empty="No equilibrium found by this method.")


@dataclass(frozen=True, eq=False)
class CorrelatedResult(Result):
    """One correlated equilibrium, chosen by an objective.

    Attributes
    ----------
    players, strategies : tuple
        Labels of the game.
    distribution : dict
        ``{profile labels tuple: probability}`` for every pure profile
        (``Fraction`` when ``exact``, else float).
    payoffs : dict
        Expected payoff of each player (by label).
    objective : str or None
        ``"welfare"``, ``"egalitarian"``, a player label, or ``None`` (any CE).
    exact : bool
        Whether the distribution was rebuilt and verified in exact arithmetic.
    messages : tuple of str
        Notes on how the answer was obtained.
    parameters : mapping
        Parameter values the game was built with.
    """

    players: tuple
    strategies: tuple
    distribution: dict
    payoffs: dict
    objective: str | None
    exact: bool
    messages: tuple = field(default=())
    parameters: Mapping = field(default_factory=dict)

    method = "correlated"
    complete = False  # one optimum of a polytope of correlated equilibria

    @property
    def welfare(self):
        """Sum of the players' expected payoffs."""
        return sum(self.payoffs.values())

    def support(self) -> dict:
        """The profiles with positive probability."""
        return {k: v for k, v in self.distribution.items() if v > 0}

    def table(self) -> Table:
        """Two players: the joint distribution (rows player 1's strategies, columns player 2's);
        more players: the profiles in the support and their probabilities."""
        if len(self.players) == 2:
            rows, columns = self.strategies
            corner = Cell(f"{self.players[0]} \\ {self.players[1]}",
                          f"{latex_escape(self.players[0])} \\textbackslash{{}} {latex_escape(self.players[1])}")
            return Table((corner, *columns), tuple((r, *(self.distribution[(r, c)] for c in columns)) for r in rows))
        return Table(("profile", "probability"),
                     tuple((f"({', '.join(profile)})", p) for profile, p in self.support().items()))

    def to_records(self) -> list[dict]:
        """One dict per pure profile: the objective, each player's strategy, the probability."""
        return [{"objective": self.objective, **dict(zip(self.players, profile)), "probability": p}
                for profile, p in self.distribution.items()]

    def document(self) -> Document:
        heading = [parameters_line(self.parameters)] if self.parameters else []
        heading.append("Payoffs: " + "; ".join(f"{p}: {format_number(v)}" for p, v in self.payoffs.items()))
        if not self.exact:
            heading.append("(floating point)")
        return Document(f"Correlated equilibrium (objective: {self.objective})",
                        (Text(tuple(heading)), self.table()), notes=tuple(self.messages))

    def _content(self) -> dict:
        return {
            "objective": self.objective,
            "players": list(self.players),
            "distribution": [
                {"profile": dict(zip(self.players, profile)), "probability": json_number(prob)}
                for profile, prob in self.distribution.items()
            ],
            "payoffs": {p: json_number(v) for p, v in self.payoffs.items()},
        }


@dataclass(frozen=True, eq=False)
class CorrelatedReport(Result):
    """The welfare-maximising, the egalitarian and each player's best correlated equilibrium of one game.

    What ``negotiation solve --method correlated`` prints.

    Attributes
    ----------
    game : Game
        The numeric game.
    results : tuple of CorrelatedResult
        In the order welfare, egalitarian, then one per player.
    nash_payoffs : tuple of dict
        The players' payoffs in the game's Nash equilibria (two players: every extreme
        equilibrium, by vertex enumeration), for comparison: a correlated equilibrium can lie
        outside their convex hull (Aumann 1974).
    parameters, details : mapping
        The parameter values the game was built with; extras (a scenario's classic-game label).
    analyses : mapping
        Other analyses of the same game at the same point (a scenario's ``[repetition]`` and
        ``[inspection]`` sections), shown after the correlated equilibria.
    """

    game: Any = field(repr=False)
    results: tuple
    nash_payoffs: tuple = ()
    parameters: Mapping = field(default_factory=dict)
    details: Mapping = field(default_factory=dict, repr=False)
    analyses: Mapping = field(default_factory=dict, repr=False)

    method = "correlated"
    complete = False

    @property
    def exact(self) -> bool:
        return all(r.exact for r in self.results)

    @property
    def messages(self) -> tuple:
        return tuple(dict.fromkeys(m for r in self.results for m in r.messages))

    def table(self) -> Table:
        """One row per objective: each player's payoff and the support of the distribution."""
        players = self.game.players
        header = ("objective", *(Cell(f"payoff {p}", f"$u_{{\\mathrm{{{latex_escape(p)}}}}}$") for p in players),
                  "support")
        rows = tuple((str(r.objective), *(r.payoffs[p] for p in players),
                      "; ".join(f"({', '.join(k)}) {format_number(v)}" for k, v in r.support().items()))
                     for r in self.results)
        return Table(header, rows)

    def to_records(self) -> list[dict]:
        """One dict per objective: the parameters, ``objective``, ``"payoff <player>"`` and the ``support``."""
        return [{**self.parameters, "objective": str(r.objective), **{f"payoff {p}": r.payoffs[p] for p in self.game.players},
                 "support": "; ".join(f"({', '.join(k)}) {format_number(v)}" for k, v in r.support().items())}
                for r in self.results]

    def document(self) -> Document:
        blocks = [Text(tuple(heading(self))), self.table()]
        if len(self.game.players) == 2:  # the joint distributions, one table each
            blocks += [replace(r.table(), caption=f"Objective: {r.objective}") for r in self.results]
        if self.nash_payoffs:
            blocks.append(Text(("Nash equilibrium payoffs for comparison: " + "; ".join(
                "(" + ", ".join(format_number(v) for v in payoffs.values()) + ")" for payoffs in self.nash_payoffs),)))
        return Document(f"{self.game.title or 'Game'}: correlated equilibria", tuple(blocks),
                        notes=self.messages)

    def _content(self) -> dict:
        game = self.game
        return {
            "game": {"title": game.title, "players": list(game.players),
                     "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)}},
            "correlated_equilibria": [r.to_dict() for r in self.results],
            "nash_payoffs": [{p: json_number(v) for p, v in payoffs.items()} for payoffs in self.nash_payoffs],
        }


def parameters_line(parameters) -> str:
    """``Parameters: omega = 1/5, phi = 1/4``."""
    return "Parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in parameters.items())


def heading(result) -> list[str]:
    """The first lines of a strategic-form result's document: its parameters, the classic-game label
    (a scenario's), the method and what it guarantees, the value of a zero-sum game."""
    lines = [parameters_line(result.parameters)] if result.parameters else []
    if "classification" in result.details:
        lines.append(f"Classic game: {result.details['classification']}")
    lines.append(f"Method: {_logit_summary(result) if result.method == 'logit_qre' else result.summary()}")
    if "value" in result.details:
        lines.append(f"Value of the game: {format_number(result.details['value'])}")
    return lines


def _logit_summary(result) -> str:
    """What a ``logit_qre`` result holds, said once: the QRE at the stated λ (floating point, with the
    tolerance it was traced to), or the limit of the branch as λ grows (an exact Nash equilibrium when
    matched to one, else the branch's last point)."""
    precision = result.details.get("precision")
    reached = f"λ = {precision:.6g}" if isinstance(precision, (int, float)) else "the end of the branch"
    tolerance = result.details.get("tolerance")
    traced = "floating point" + (f", Newton tolerance {tolerance:g} on the log probabilities"
                                 if isinstance(tolerance, float) else "")
    if "distance" not in result.details:  # a QRE at one precision
        return f"logit_qre: the logit QRE at {reached} ({traced}; not a Nash equilibrium; not necessarily complete)"
    if result.exact:
        return (f"logit_qre: the limit λ → ∞ of the principal branch (an exact Nash equilibrium; the branch traced "
                f"to {reached} in {traced}; not necessarily complete)")
    return (f"logit_qre: the last point of the principal branch, at {reached} ({traced}; no Nash equilibrium "
            "matched it; not necessarily complete)")


def _logit_row_label(result) -> str:
    """The first cell of a ``logit_qre`` row: the λ it is the QRE at, or that it is the limit."""
    precision = result.details.get("precision")
    if "distance" in result.details and result.exact:
        return "→ ∞ (limit)"
    return f"{precision:.6g}" if isinstance(precision, (int, float)) else "?"


def _mixture(profile, player) -> Cell | str:
    """``Restrain`` for a pure strategy, ``1/3 Restrain + 2/3 Deploy`` for a mixture."""
    support = [(s, p) for s, p in profile[player].items() if p > 0]
    if len(support) == 1:
        return support[0][0]
    return Cell(" + ".join(f"{format_number(p)} {s}" for s, p in support),
                " + ".join(f"${latex_number(p)}$ {latex_escape(s)}" for s, p in support))
