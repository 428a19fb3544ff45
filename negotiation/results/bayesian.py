"""Results of Bayesian games: behaviour profiles, Bayesian Nash equilibria, and where pure ones hold.

:class:`BayesianSolveResult` is what ``ng.solve`` returns for a :class:`~negotiation.models.bayesian.BayesianGame`
(:func:`negotiation.solvers.bayesian.solve_bayesian`): per player and type the mixed action, the interim
payoff of each type and the ex-ante payoffs. :class:`BayesianConditions` is what ``ng.derive`` returns
(:func:`negotiation.symbolic.bayesian.bayesian_conditions`): every pure profile with the region of the
parameters where it is a Bayesian Nash equilibrium. Both follow the one result protocol
(:class:`~negotiation.results.base.Result`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from negotiation.core.document import Cell, Document, Table, Text, latex_escape, latex_number
from negotiation.core.numeric import format_number, json_number
from negotiation.models.bayesian import show_value
from negotiation.results.base import ConditionalEquilibria, EquilibriumList, Result

__all__ = ["BayesianProfile", "BayesianEquilibrium", "BayesianSolveResult", "ConditionalBayesianEquilibrium",
           "BayesianConditions", "MAX_SHOWN_EQUILIBRIA"]

#: Equilibria shown side by side in the table of a :class:`BayesianSolveResult` (the records and JSON list all).
MAX_SHOWN_EQUILIBRIA = 8


# ---------------------------------------------------------------------- profiles and equilibria
@dataclass(frozen=True)
class BayesianProfile:
    """A behaviour strategy per player: a distribution over actions for each type.

    ``probabilities[i][k]`` is the tuple of action probabilities of player ``i``'s type
    ``k``, or ``None`` for a type of prior probability zero (any action is consistent with
    equilibrium there).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> profile = BayesianProfile(("A", "B"), (("known",), ("x", "y")), (("L", "R"), ("L", "R")),
    ...                           (((F(1), F(0)),), ((F(1, 2), F(1, 2)), None)))
    >>> profile["B"]
    {'x': {'L': Fraction(1, 2), 'R': Fraction(1, 2)}}
    >>> profile.describe()
    'A: L; B: x: 1/2 L + 1/2 R, y: (probability 0)'
    """

    players: tuple
    types: tuple
    actions: tuple
    probabilities: tuple

    def __getitem__(self, player) -> dict:
        """``{type: {action: probability}}`` of one player (types of probability zero left out)."""
        i = self.players.index(player) if isinstance(player, str) else player
        return {t: dict(zip(self.actions[i], probs))
                for t, probs in zip(self.types[i], self.probabilities[i]) if probs is not None}

    def distribution(self, player, type_label) -> dict | None:
        """``{action: probability}`` of one type (``None`` if the type has probability zero)."""
        i = self.players.index(player)
        probs = self.probabilities[i][self.types[i].index(type_label)]
        return None if probs is None else dict(zip(self.actions[i], probs))

    @property
    def is_pure(self) -> bool:
        return all(probs is None or sum(1 for p in probs if p > 0) == 1
                   for player in self.probabilities for probs in player)

    @property
    def undetermined(self) -> tuple:
        """``(player, type)`` pairs of prior probability zero, which the profile leaves open."""
        return tuple((p, t) for p, labels, probs in zip(self.players, self.types, self.probabilities)
                     for t, x in zip(labels, probs) if x is None)

    def key(self) -> tuple:
        return self.probabilities

    def action_text(self, i: int, k: int) -> str:
        """One type's choice as text: an action, a mix ``1/2 L + 1/2 R``, or ``(probability 0)``."""
        probs = self.probabilities[i][k]
        if probs is None:
            return "(probability 0)"
        support = [(a, p) for a, p in zip(self.actions[i], probs) if p > 0]
        if len(support) == 1:
            return support[0][0]
        return " + ".join(f"{format_number(p)} {a}" for a, p in support)

    def describe(self) -> str:
        """``NATO: C; Russia: Security seeker: C, Greedy: D``."""
        parts = []
        for i, player in enumerate(self.players):
            if len(self.types[i]) == 1:
                parts.append(f"{player}: {self.action_text(i, 0)}")
            else:
                parts.append(f"{player}: " + ", ".join(f"{t}: {self.action_text(i, k)}"
                                                       for k, t in enumerate(self.types[i])))
        return "; ".join(parts)

    def to_dict(self) -> dict:
        """``{player: {type: {action: probability}}}``; a type of probability zero maps to ``None``."""
        return {player: {t: (None if probs is None else {a: json_number(p) for a, p in zip(self.actions[i], probs)})
                         for t, probs in zip(self.types[i], self.probabilities[i])}
                for i, player in enumerate(self.players)}


@dataclass(frozen=True)
class BayesianEquilibrium:
    """One Bayesian Nash equilibrium.

    Attributes
    ----------
    profile : BayesianProfile
    interim : tuple
        ``interim[i][k]``: expected payoff of player ``i``'s type ``k`` given its type
        (``None`` for a type of probability zero).
    payoffs : tuple
        Ex-ante expected payoff of each player.
    regret : Fraction or float
        Largest ex-ante gain of a unilateral deviation (zero for exact results).
    """

    profile: BayesianProfile
    interim: tuple
    payoffs: tuple
    regret: Fraction | float = Fraction(0)

    @property
    def kind(self) -> str:
        return "pure" if self.profile.is_pure else "mixed"

    def payoff(self, player) -> Fraction | float:
        return self.payoffs[self.profile.players.index(player) if isinstance(player, str) else player]

    def interim_payoff(self, player, type_label):
        i = self.profile.players.index(player)
        return self.interim[i][self.profile.types[i].index(type_label)]

    def __getitem__(self, player) -> dict:
        return self.profile[player]

    def to_dict(self) -> dict:
        players, types = self.profile.players, self.profile.types
        return {
            "kind": self.kind,
            "profile": self.profile.to_dict(),
            "interim_payoffs": {p: {t: (None if v is None else json_number(v)) for t, v in zip(types[i], self.interim[i])}
                                for i, p in enumerate(players)},
            "payoffs": {p: json_number(v) for p, v in zip(players, self.payoffs)},
        }


# ---------------------------------------------------------------------- solving: the result
@dataclass(frozen=True, eq=False)
class BayesianSolveResult(EquilibriumList, Result):
    """Bayesian Nash equilibria of one numeric Bayesian game, and how they were obtained.

    Behaves as a sequence of :class:`BayesianEquilibrium`.

    Attributes
    ----------
    game : BayesianGame
        The numeric game that was solved.
    equilibria : tuple of BayesianEquilibrium
    method : str
        The strategic-form algorithm run on the Harsanyi transformation
        (``"vertex_enumeration"``, ``"enumerate_pure"``, …).
    exact, complete, degenerate
        As reported by that algorithm for the Harsanyi form: ``complete`` means every
        extreme equilibrium of the Harsanyi form was found, so every extreme Bayesian
        equilibrium (in behaviour strategies) is listed; ``degenerate`` refers to the
        Harsanyi form.
    components : tuple of tuple of int
        Sets of equilibria (indices) such that every mixture, player by player, is an
        equilibrium too (images of the Harsanyi form's components).
    parameters : mapping
        Parameter values the game was built with.
    messages : tuple of str
    details : mapping
        ``"harsanyi_equilibria"``: how many equilibria the Harsanyi form has (several
        mixed plans can induce the same behaviour); ``"zero_probability_types"``.
    harsanyi : SolveResult
        The result on the Harsanyi form itself.

    Examples
    --------
    >>> import negotiation as ng
    >>> game = ng.BayesianGame.from_tables({"B": ["x", "y"]}, {"A": ["L", "R"], "B": ["L", "R"]},
    ...                                    {"B": {"x": "1/2", "y": "1/2"}}, lambda t, a: (1, int(a["B"] == "L")))
    >>> print(ng.solve(game, method="enumerate_pure").to_text().splitlines()[1])
    Method: enumerate_pure on the Harsanyi form (exact, not necessarily complete, degenerate)
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
    harsanyi: Any = field(default=None, repr=False)

    @property
    def pure(self) -> tuple:
        """The pure Bayesian equilibria."""
        return tuple(e for e in self.equilibria if e.kind == "pure")

    def _content(self) -> dict:
        """The JSON object of ``negotiation solve --format json`` for a Bayesian game.

        ``profile`` is ``{player: {type: {action: probability}}}``; ``interim_payoffs`` is
        ``{player: {type: payoff}}``; ``payoffs`` are ex ante.
        """
        game = self.game
        return {
            "game": {"title": game.title, "players": list(game.players),
                     "types": {p: list(t) for p, t in zip(game.players, game.types)},
                     "actions": {p: list(a) for p, a in zip(game.players, game.actions)},
                     "prior": {p: {t: json_number(v) for t, v in game.marginal(p).items()} for p in game.players}},
            "transformation": "harsanyi",
            "equilibria": [e.to_dict() for e in self.equilibria],
            "components": [list(c) for c in self.components],
        }

    def to_records(self) -> list[dict]:
        """One flat dict per equilibrium: parameters, ``equilibrium``, ``kind``, ``component``,
        ``"player: type: action"`` probabilities, ``"interim player: type"`` and ``"payoff player"``."""
        components = _component_labels(self.components)
        game = self.game
        records = []
        for number, equilibrium in enumerate(self.equilibria):
            record = dict(self.parameters)
            record["equilibrium"] = number + 1
            record["kind"] = equilibrium.kind
            record["component"] = components.get(number, "")
            for i, player in enumerate(game.players):
                for k, t in enumerate(game.types[i]):
                    probs = equilibrium.profile.probabilities[i][k]
                    for a, action in enumerate(game.actions[i]):
                        record[f"{player}: {t}: {action}"] = None if probs is None else probs[a]
            for i, player in enumerate(game.players):
                for k, t in enumerate(game.types[i]):
                    record[f"interim {player}: {t}"] = equilibrium.interim[i][k]
            for player, value in zip(game.players, equilibrium.payoffs):
                record[f"payoff {player}"] = value
            records.append(record)
        return records

    def table(self) -> Table:
        """One row per (player, type) with its prior, one column per equilibrium (the first
        :data:`MAX_SHOWN_EQUILIBRIA`); the interim and ex-ante payoffs below the rule."""
        game = self.game
        shown = self.equilibria[:MAX_SHOWN_EQUILIBRIA]
        header = ("player", "type (prior)", *(f"BNE {k}" for k in range(1, len(shown) + 1)))
        rows, footer = [], []
        for i, player in enumerate(game.players):
            marginal = game.marginal(i)
            for k, t in enumerate(game.types[i]):
                rows.append((player, f"{t} ({show_value(marginal[t])})",
                             *(_action_cell(e.profile, i, k) for e in shown)))
        for i, player in enumerate(game.players):
            name = Cell(f"payoff {player}", f"$u_{{\\mathrm{{{latex_escape(player)}}}}}$")
            if len(game.types[i]) > 1:
                for k, t in enumerate(game.types[i]):
                    footer.append((name, t, *(_NONE if e.interim[i][k] is None else e.interim[i][k] for e in shown)))
            footer.append((name, "ex ante", *(e.payoffs[i] for e in shown)))
        return Table(header, tuple(rows), tuple(footer))

    def document(self) -> Document:
        heading = []
        if self.parameters:
            heading.append("Parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items()))
        # the method ran on the Harsanyi form: say so in the method line
        heading.append(f"Method: {self.method} on the Harsanyi form {self.summary()[len(self.method) + 1:]}")
        blocks = [Text(tuple(heading))]
        notes = []
        if self.equilibria:
            blocks.append(self.table())
            if len(self.equilibria) > MAX_SHOWN_EQUILIBRIA:
                notes.append(f"{len(self.equilibria) - MAX_SHOWN_EQUILIBRIA} more equilibria are not shown "
                             "(to_dict() and --format json list them all).")
            notes += [f"Component {number}: BNE {', '.join(str(m + 1) for m in members)} span a convex set; "
                      "every mixture of them (player by player) is a BNE too."
                      for number, members in enumerate(self.components, start=1) if len(members) > 1]
        return Document(self.game.title or "Bayesian game", tuple(blocks), notes=(*notes, *self.messages),
                        empty="No equilibrium found by this method.")


#: A payoff that is undefined (a type of prior probability zero).
_NONE = Cell("—", "--")


def _action_cell(profile: BayesianProfile, i: int, k: int) -> Cell | str:
    """One type's choice: the action, ``(probability 0)``, or a mixture (``\\frac`` in LaTeX)."""
    probs = profile.probabilities[i][k]
    support = [] if probs is None else [(a, p) for a, p in zip(profile.actions[i], probs) if p > 0]
    if len(support) <= 1:
        return profile.action_text(i, k)
    return Cell(profile.action_text(i, k),
                " + ".join(f"${latex_number(p)}$ {latex_escape(a)}" for a, p in support))


def _component_labels(components) -> dict:
    labels = {}
    for number, members in enumerate(components, start=1):
        for k in members:
            labels.setdefault(k, []).append(str(number))
    return {k: ",".join(v) for k, v in labels.items()}


# ---------------------------------------------------------------------- deriving: where pure equilibria hold
@dataclass(frozen=True, eq=False)
class ConditionalBayesianEquilibrium:
    """A pure type-contingent profile of a symbolic Bayesian game and where it is a BNE.

    Attributes
    ----------
    plan : dict
        Player -> {type: action}.
    payoffs : dict
        Player -> ex-ante expected payoff (sympy).
    interim : dict
        Player -> {type: interim payoff (sympy)}; ``None`` where the type's probability is
        identically zero.
    condition : Condition
        Where no type of any player gains by switching its action (weak inequalities,
        weighted by the type's prior probability, so a type of probability zero is
        unconstrained).
    interior : Condition
        The part of ``condition`` with interior points (no equality).
    """

    plan: dict
    payoffs: dict
    interim: dict
    condition: object
    interior: object

    @property
    def boundary_only(self) -> bool:
        """A BNE only where some type is exactly indifferent (a lower-dimensional set)."""
        return self.interior.never

    @property
    def label(self) -> str:
        parts = []
        for player, choices in self.plan.items():
            if len(choices) == 1:
                parts.append(f"{player}: {next(iter(choices.values()))}")
            else:
                parts.append(f"{player}: " + ", ".join(f"{t}: {a}" for t, a in choices.items()))
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {"plan": {p: dict(c) for p, c in self.plan.items()},
                "payoffs": {p: str(v) for p, v in self.payoffs.items()},
                "interim_payoffs": {p: {t: (None if v is None else str(v)) for t, v in c.items()}
                                    for p, c in self.interim.items()},
                "condition": self.condition.to_dict(),
                "boundary_only": self.boundary_only}


@dataclass(frozen=True, eq=False)
class BayesianConditions(ConditionalEquilibria, Result):
    """Where each pure Bayesian Nash equilibrium of a parameterised Bayesian game holds.

    Attributes
    ----------
    title : str
    players, types, actions : tuple
    free : ParameterSpace
        The free parameters (those not fixed before deriving), with ranges and defaults.
    values : dict
        Parameters fixed before deriving (also :attr:`parameters`, the point of the protocol).
    assumptions : tuple of str
    equilibria : tuple of ConditionalBayesianEquilibrium
        Every pure profile whose region is not provably empty.
    thresholds : tuple of Threshold
    notes : tuple of str
        What was not derived, and why (also :attr:`messages`).
    """

    title: str
    players: tuple
    types: tuple
    actions: tuple
    free: object
    values: dict
    assumptions: tuple
    equilibria: tuple
    thresholds: tuple = ()
    notes: tuple = ()

    method = "pure_bne_conditions"
    #: The schema's leading keys (``negotiation.bne-conditions/1``).
    _leading = ("schema", "title", "players", "types", "actions")

    @property
    def parameters(self) -> dict:
        """The parameters fixed before deriving (name -> number)."""
        return self.values

    @property
    def messages(self) -> tuple:
        return tuple(self.notes)

    def _content(self) -> dict:
        """JSON-ready (schema ``negotiation.bne-conditions/1``)."""
        return {
            "schema": "negotiation.bne-conditions/1",
            "title": self.title,
            "players": list(self.players),
            "types": {p: list(t) for p, t in zip(self.players, self.types)},
            "actions": {p: list(a) for p, a in zip(self.players, self.actions)},
            # the schema lists the free parameters here, as the other derivations do; the fixed ones are "values"
            "parameters": list(self.free.names),
            "values": {k: json_number(v) for k, v in self.values.items()},
            "assumptions": list(self.assumptions),
            "equilibria": [e.to_dict() for e in self.equilibria],
            "thresholds": [t.to_dict() for t in self.thresholds],
            "notes": list(self.notes),
        }

    def to_records(self) -> list[dict]:
        """One flat dict per pure BNE with interior points: its plan, ex-ante payoffs and region."""
        records = []
        for number, e in enumerate(self.interior, start=1):
            record = {**self.values, "equilibrium": number, "plan": e.label}
            record.update({f"payoff {p}": str(v) for p, v in e.payoffs.items()})
            record["holds where"] = str(e.interior)
            records.append(record)
        return records

    def document(self) -> Document:
        """What ``negotiation derive`` prints for a Bayesian game."""
        heading = [f"Pure Bayesian Nash equilibria in the parameters {', '.join(self.free.names) or 'none'} "
                   "(simplified over their ranges and the assumptions)"]
        if self.values:
            heading.append("Fixed: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.values.items()))
        if self.assumptions:
            heading.append("Assumptions: " + "; ".join(self.assumptions))
        blocks = [Text(tuple(heading))]
        if self.interior:
            rows = tuple((str(number), e.label, Cell(str(e.interior), f"${e.interior.to_latex()}$"),
                          Cell(", ".join(f"{p} {v}" for p, v in e.payoffs.items()),
                               ", ".join(f"{latex_escape(p)} ${latex_number(v)}$" for p, v in e.payoffs.items())))
                         for number, e in enumerate(self.interior, start=1))
            blocks.append(Table(("BNE", "plan", "holds where", "ex-ante payoffs"), rows))
        if self.boundary_only:
            blocks.append(Text((f"{len(self.boundary_only)} more pure profile(s) are equilibria only on boundaries, "
                                "where a type is indifferent or has probability zero (to_dict() lists them).",)))
        if self.thresholds:
            lines = ["Thresholds (value with the other parameters at their defaults):"]
            for t in self.thresholds:
                value = "undefined at the defaults" if t.value is None else format_number(t.value)
                if t.in_range is False:
                    value += " (outside the range)"
                lines.append(f"  {t.parameter} = {t.expression} = {value}   where {t.boundary}")
            blocks.append(Text(tuple(lines)))
        return Document(self.title or "Bayesian game", tuple(blocks), notes=self.messages,
                        empty="No pure profile is a Bayesian equilibrium on a region with interior points.")
