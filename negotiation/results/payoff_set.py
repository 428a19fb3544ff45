"""The result of :func:`negotiation.equilibrium_payoff_set`: the subgame-perfect equilibrium payoffs of a
two-player repeated game at one discount factor, as a polygon with labelled, generated vertices.

* :class:`PayoffSetVertex` — one extreme point: its payoffs, the stage profile played first and the
  continuation payoff that follows it (which incentive constraint binds there).
* :class:`PayoffSetResult` — the polygon, the worst punishment payoffs, how the Abreu–Sannikov
  iteration went (rounds, convergence, the tolerance and what it bounds), and for comparison the
  feasible, individually rational payoffs of the folk theorem and the stage game's pure equilibria.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from negotiation.core.document import Document, Table, Text
from negotiation.results.base import Result
from negotiation.results.repeated import (game_header, json_value, number_text, parameters_line, profile_text,
                                          vector_text)

__all__ = ["PayoffSetResult", "PayoffSetVertex"]

#: How each kind of vertex is generated: code -> words.
VERTEX_KINDS = {
    "stationary": "the profile played forever (its payoffs are themselves an equilibrium payoff)",
    "first": "continuation on the first player's incentive line",
    "second": "continuation on the second player's incentive line",
    "both": "continuation at the corner where both incentive lines meet",
}


def _float_text(value: float, scale: float = 1.0) -> str:
    """Six significant digits; a value within rounding (1e-9 of the payoff range) of 0 reads 0."""
    return f"{0.0 if abs(value) <= 1e-9 * scale else value:.6g}"


def _point_text(point, scale: float = 1.0) -> str:
    return "(" + ", ".join(_float_text(x, scale) for x in point) + ")"


@dataclass(frozen=True)
class PayoffSetVertex:
    """One extreme point of the equilibrium payoff set, and how an equilibrium reaches it.

    Attributes
    ----------
    label : str
        ``"V1"``, ``"V2"``, … counter-clockwise from the lowest-leftmost vertex.
    payoffs : tuple of float
        The average discounted payoffs ``v = (1 − δ) g(a) + δ w``.
    profile : tuple of str
        The stage profile ``a`` played in the first period (one strategy label per player).
    continuation : tuple of float
        The continuation payoff ``w`` (itself in the set) that follows it when nobody deviates;
        a deviator is punished with its worst payoff in the set.
    kind : str
        A key of :data:`VERTEX_KINDS`: ``"stationary"`` (``v = w = g(a)``), or the incentive
        line(s) on which ``w`` lies (``"first"``, ``"second"``, ``"both"``).
    """

    label: str
    payoffs: tuple
    profile: tuple
    continuation: tuple
    kind: str

    def describe(self, players, scale: float = 1.0) -> str:
        """``V2 = (4, 1): (D, C) first, then (1.67, 3.33) (continuation on B's incentive line)``."""
        if self.kind == "stationary":
            how = f"{profile_text(self.profile)} in every period"
        else:
            line = {"first": f"{players[0]}'s incentive line", "second": f"{players[1]}'s incentive line",
                    "both": "both incentive lines"}[self.kind]
            how = f"{profile_text(self.profile)} first, then {_point_text(self.continuation, scale)} (on {line})"
        return f"{self.label} = {_point_text(self.payoffs, scale)}: {how}"

    def to_dict(self, players) -> dict:
        return {
            "label": self.label,
            "payoffs": dict(zip(players, self.payoffs)),
            "profile": dict(zip(players, self.profile)),
            "continuation": dict(zip(players, self.continuation)),
            "kind": self.kind,
        }


@dataclass(frozen=True, eq=False)
class PayoffSetResult(Result):
    """The set of subgame-perfect equilibrium payoffs of a repeated two-player game at one δ.

    Pure-strategy subgame-perfect equilibria of the infinitely repeated game with perfect monitoring
    and a public randomisation device, payoffs as discounted averages (Abreu, Pearce & Stacchetti
    1990; computed by the algorithm of Abreu & Sannikov 2014).

    Attributes
    ----------
    game : Game
        The stage game.
    discount : Fraction or float
        The discount factor δ.
    vertices : tuple of PayoffSetVertex
        The polygon, counter-clockwise; empty if no pure-strategy subgame-perfect equilibrium exists;
        one or two vertices for a point or a segment.
    punishment : dict
        Each player's worst payoff in the set (the threat used after its deviations).
    rounds : int
        Rounds of the iteration run.
    converged : bool
        Whether the stopping rule was met within ``max_rounds``.
    tolerance : float
        The stopping rule, relative to the payoff range (see ``messages``).
    scale : float
        The payoff range (largest minus smallest stage payoff; 1 if all are equal).
    last_change : float
        Hausdorff distance between the last two polygons, in payoff units.
    individually_rational_vertices : tuple
        The feasible, individually rational payoffs (mixed minmax) of the folk theorem, exact.
    pure_minmax : dict
        Each player's pure-strategy minmax value (the bound of the set as δ → 1).
    stage_nash : tuple
        ``(profile labels, payoffs)`` of each pure Nash equilibrium of the stage game.
    exact : bool
        ``False``: the polygon is computed in floating point.
    messages : tuple of str
    """

    game: Any = field(repr=False)
    discount: Any
    vertices: tuple
    punishment: dict
    rounds: int
    converged: bool
    tolerance: float
    scale: float
    last_change: float
    individually_rational_vertices: tuple = ()
    pure_minmax: dict = field(default_factory=dict)
    stage_nash: tuple = ()
    exact: bool = False
    method: str = "Abreu-Sannikov (2014) iteration of the APS (1990) operator"
    messages: tuple = ()

    @property
    def complete(self) -> bool:
        """The polygon is the whole set (to the tolerance) only if the iteration converged."""
        return self.converged

    @property
    def parameters(self) -> dict:
        return dict(self.game.values)

    @property
    def players(self) -> tuple:
        return self.game.players

    @property
    def points(self) -> tuple:
        """The vertices' payoffs, ``((x, y), …)``, counter-clockwise."""
        return tuple(v.payoffs for v in self.vertices)

    @property
    def empty(self) -> bool:
        return not self.vertices

    @property
    def details(self) -> dict:
        return {"rounds": self.rounds, "converged": self.converged, "tolerance": self.tolerance,
                "absolute_tolerance": self.tolerance * self.scale, "last_change": self.last_change}

    def to_records(self) -> list:
        """One flat dict per vertex, keyed by labels."""
        first, second = self.players
        return [{"discount": self.discount, "vertex": v.label, f"payoff {first}": v.payoffs[0],
                 f"payoff {second}": v.payoffs[1], first: v.profile[0], second: v.profile[1],
                 f"continuation {first}": v.continuation[0], f"continuation {second}": v.continuation[1],
                 "kind": v.kind} for v in self.vertices]

    def _content(self) -> dict:
        players = self.players
        return {
            "game": game_header(self.game),
            "discount": json_value(self.discount),
            "vertices": [v.to_dict(players) for v in self.vertices],
            "punishment": dict(self.punishment),
            "rounds": self.rounds,
            "converged": self.converged,
            "tolerance": {"relative": self.tolerance, "absolute": self.tolerance * self.scale,
                          "payoff_range": self.scale, "last_change": self.last_change},
            "individually_rational_set": [[json_value(x) for x in v] for v in self.individually_rational_vertices],
            "pure_minmax": {p: json_value(v) for p, v in self.pure_minmax.items()},
            "stage_nash": [{"profile": dict(zip(players, labels)), "payoffs": [json_value(x) for x in payoffs]}
                           for labels, payoffs in self.stage_nash],
        }

    def summary_lines(self) -> list:
        lines = [f"Discount factor δ = {number_text(self.discount)}"]
        status = "converged" if self.converged else "did NOT converge (raise max_rounds)"
        lines.append(f"Iteration: {self.rounds} rounds, {status}; last change {self.last_change:.3g} "
                     f"(tolerance {self.tolerance:g} × payoff range {self.scale:g}; a round must move less than "
                     "(1 − δ) × that)")
        if self.empty:
            lines.append("No pure-strategy subgame-perfect equilibrium: the set is empty")
            return lines
        lines.append("Worst punishment payoffs: "
                     + ", ".join(f"{p} {_float_text(v, self.scale)}" for p, v in self.punishment.items()))
        lines.append("Stage Nash equilibria (pure): "
                     + ("; ".join(f"{profile_text(labels)} -> {vector_text(payoffs)}"
                                  for labels, payoffs in self.stage_nash) or "none"))
        lines.append("Folk-theorem set (feasible, u ≥ mixed minmax): "
                     + (", ".join(vector_text(v) for v in self.individually_rational_vertices) or "empty"))
        return lines

    def table(self) -> Table:
        first, second = self.players
        rows = tuple((v.label, _point_text(v.payoffs, self.scale), profile_text(v.profile),
                      _point_text(v.continuation, self.scale),
                      v.kind) for v in self.vertices)
        return Table(("vertex", "payoffs", f"first-period profile ({first}, {second})", "continuation", "kind"),
                     rows)

    def document(self) -> Document:
        heading = [*parameters_line(self.parameters), f"Method: {self.summary()}", *self.summary_lines()]
        blocks = [Text(tuple(heading))]
        if self.vertices:
            blocks.append(self.table())
            blocks.append(Text(tuple(v.describe(self.players, self.scale) for v in self.vertices)))
        return Document(f"Equilibrium payoff set: {self.game.title or 'repeated game'}", tuple(blocks),
                        notes=tuple(self.messages))
