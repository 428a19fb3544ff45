"""The results of a continuous game: its pure equilibria and how they were found.

:class:`ContinuousResult` follows the result protocol (:mod:`negotiation.results.base`): one column
per equilibrium in the text, Markdown, LaTeX and HTML tables (each agent's choice, payoff and which
bound binds), one record per equilibrium, and the JSON object of ``negotiation solve --format json``.

Examples
--------
>>> import negotiation as ng
>>> result = ng.solve(ng.load("force_posture_cournot"))
>>> print(result.to_text())
Forward force posture on the line of contact (Cournot form: strategic substitutes)
Parameters: V = 10, s = 1/4, c_N = 1, c_R = 2, cap = 60
Method: first_order_conditions (exact, complete)
Assumption-tagged parameters (illustrative values): V = 10, s = 1/4, c_N = 1, c_R = 2
<BLANKLINE>
                                       Eq. 1
-------------------------------------  --------
NATO: x (forward-deployed brigades)    40/3
Russia: y (forward-deployed brigades)  28/3
-------------------------------------  --------
payoff NATO                            400/9
payoff Russia                          196/9
binding NATO                           interior
binding Russia                         interior
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

import sympy

from negotiation.core.document import Cell, Document, Table, Text
from negotiation.core.numeric import format_number
from negotiation.models.continuous import ContinuousGame, json_value, to_number
from negotiation.results.base import EquilibriumList, Result

__all__ = ["ContinuousEquilibrium", "ContinuousResult"]

_BINDING_TEXT = {"interior": "interior", "lower": "lower bound", "upper": "upper bound"}


@dataclass(frozen=True)
class ContinuousEquilibrium:
    """One pure equilibrium of a continuous game.

    Attributes
    ----------
    agents : tuple of (player, type)
        Who chooses each entry (``type`` is None outside Bayesian games).
    choices, payoffs : tuple
        One per agent: exact ``Fraction`` / sympy algebraic number / symbolic
        expression, or float.
    binding : tuple of str
        One per agent: ``"interior"``, ``"lower"`` or ``"upper"`` (which bound binds).
    conditions : sympy Boolean or None
        With symbolic parameters: where in parameter space this is an equilibrium.
    regret : Fraction or float
        Largest gain of any agent from deviating (0 exactly, or below the tolerance).
    found_by : tuple of str
        Which numeric method(s) found it (empty for the symbolic method).
    """

    agents: tuple
    choices: tuple
    payoffs: tuple
    binding: tuple
    conditions: Any = None
    regret: Any = Fraction(0)
    found_by: tuple = ()

    kind = "pure"

    def _index(self, player, type=None) -> int:
        for k, (p, t) in enumerate(self.agents):
            if p == player and t == type:
                return k
        raise KeyError(player if type is None else (player, type))

    def _by_player(self, values, player):
        entries = [(t, v) for (p, t), v in zip(self.agents, values) if p == player]
        if not entries:
            raise KeyError(player)
        if len(entries) == 1 and entries[0][0] is None:
            return entries[0][1]
        return {t: v for t, v in entries}

    def __getitem__(self, player):
        """Player's choice (a ``{type: choice}`` dict for a player with types)."""
        return self._by_player(self.choices, player)

    def choice(self, player, type=None):
        return self.choices[self._index(player, type)]

    def payoff(self, player, type=None):
        """Player's (interim, for a type) payoff."""
        return self.payoffs[self._index(player, type)]

    def to_dict(self) -> dict:
        players = list(dict.fromkeys(p for p, _ in self.agents))

        def grouped(values, convert):
            out = {}
            for player in players:
                entry = self._by_player(values, player)
                out[player] = {t: convert(v) for t, v in entry.items()} if isinstance(entry, dict) else convert(entry)
            return out

        data = {"kind": "pure", "profile": grouped(self.choices, json_value),
                "payoffs": grouped(self.payoffs, json_value), "binding": grouped(self.binding, str),
                "regret": json_value(self.regret)}
        if self.conditions is not None:
            data["conditions"] = str(self.conditions)
        if self.found_by:
            data["found_by"] = list(self.found_by)
        return data


@dataclass(frozen=True, eq=False)
class ContinuousResult(EquilibriumList, Result):
    """Pure equilibria of a continuous game, and how they were obtained.

    Behaves as a sequence of :class:`ContinuousEquilibrium`. ``exact``: every
    number is exact and every equilibrium was verified exactly. ``complete``:
    the symbolic KKT enumeration finished, so no other equilibrium exists.
    """

    game: ContinuousGame = field(repr=False)
    equilibria: tuple
    method: str
    exact: bool
    complete: bool
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict, repr=False)

    @property
    def symbolic(self) -> bool:
        """Whether parameters were left free (each equilibrium then carries its ``conditions``)."""
        return any(e.conditions is not None for e in self.equilibria) or self.game.is_symbolic

    def _content(self) -> dict:
        """The JSON object of ``negotiation solve --format json`` for a continuous game."""
        game = self.game
        description = {"title": game.title, "players": list(game.players),
                       "variables": {p: v.name for p, v in zip(game.players, game.variables)},
                       "ranges": {p: [json_value(to_number(low, True)), json_value(to_number(high, True))]
                                  for p, (low, high) in zip(game.players, game.bounds)}}
        if game.types:
            description["types"] = {p: [t.label for t in items] for p, items in game.types.items()}
        return {"game": description, "equilibria": [e.to_dict() for e in self.equilibria],
                "components": [[k] for k in range(len(self.equilibria))]}

    def to_records(self) -> list[dict]:
        """One flat dict per equilibrium: parameters, choices, payoffs and binding constraints, by label."""
        records = []
        labels = [a.label for a in self.game.agents()]
        for k, e in enumerate(self.equilibria, start=1):
            record = dict(self.parameters)
            record["equilibrium"] = k
            record["method"] = self.method
            for label, value in zip(labels, e.choices):
                record[label] = value
            for label, value in zip(labels, e.payoffs):
                record[f"payoff {label}"] = value
            for label, value in zip(labels, e.binding):
                record[f"binding {label}"] = value
            if e.conditions is not None:
                record["conditions"] = str(e.conditions)
            records.append(record)
        return records

    def table(self) -> Table:
        """One column per equilibrium: each agent's choice, then (below the rule) payoffs and binding bounds."""
        game = self.game
        agents = game.agents()
        header = ("", *(Cell(f"Eq. {k}", f"Eq.~{k}") for k in range(1, len(self.equilibria) + 1)))
        rows = []
        for k, agent in enumerate(agents):
            i = game.players.index(agent.player)
            name = f"{agent.label}: {game.variables[i].name}" + (f" ({game.labels[i]})" if game.labels[i] else "")
            rows.append((name, *(_cell(e.choices[k]) for e in self.equilibria)))
        footer = [(f"payoff {agent.label}", *(_cell(e.payoffs[k]) for e in self.equilibria))
                  for k, agent in enumerate(agents)]
        footer += [(f"binding {agent.label}", *(_BINDING_TEXT[e.binding[k]] for e in self.equilibria))
                   for k, agent in enumerate(agents)]
        return Table(header, tuple(rows), tuple(footer))

    def document(self) -> Document:
        heading = []
        if self.parameters:
            heading.append("Parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items()))
        summary = self.summary()
        if self.symbolic:  # the method line says that the answer is in the parameters
            summary = summary[:-1] + ", symbolic parameters)"
        heading.append(f"Method: {summary}")
        blocks = [Text(tuple(heading))]
        if self.equilibria:
            blocks.append(self.table())
            conditions = [f"Eq. {k} holds when: {e.conditions}" for k, e in enumerate(self.equilibria, start=1)
                          if e.conditions is not None and e.conditions is not sympy.true]
            if conditions:
                blocks.append(Text(tuple(conditions)))
        return Document(self.game.title or "Continuous game", tuple(blocks), notes=tuple(self.messages),
                        empty="No equilibrium found by this method.")


def _cell(value):
    """A table cell: numbers and expressions as they are, an unbounded value as ``∞``."""
    if (isinstance(value, float) and math.isinf(value)) or value is sympy.oo or value is -sympy.oo:
        sign = "" if value > 0 else "-"
        return Cell(f"{sign}∞", f"${sign}\\infty$")
    return value
