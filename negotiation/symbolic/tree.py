"""Where each pure profile of a parameterised game tree is subgame perfect: ``ng.derive(tree)``.

:func:`subgame_perfect_conditions` is backward induction on a symbolic tree with perfect
information: for each pure profile that can be subgame perfect, the conjunction of inequalities
in the parameters under which it is (every player's choice at every decision node is optimal),
simplified over the parameter ranges and the assumptions. It is registered with the front door
:func:`negotiation.symbolic.front_door.derive` for :class:`~negotiation.models.tree.GameTree`, so
``ng.derive(tree)`` and ``ng.derive(scenario)`` (which adds the scenario's assumptions, file and
title) come here. The numeric counterpart is
:func:`negotiation.solvers.backward_induction.backward_induction`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy

from negotiation.core.document import Cell, Document, Table, Text, latex_escape
from negotiation.core.numeric import format_number, json_number
from negotiation.models.tree import DECISION, TERMINAL, GameTree, TreeError
from negotiation.results.base import ConditionalEquilibria, Result
from negotiation.results.tree import BehaviourProfile
from negotiation.solvers.backward_induction import require_perfect_information
from negotiation.symbolic.conditions import Condition, fix_parameters, tidy
from negotiation.symbolic.front_door import derive
from negotiation.symbolic.regions import find_thresholds
from negotiation.symbolic.simplify import bounded_derivation

__all__ = ["subgame_perfect_conditions", "SubgamePerfectConditions", "ConditionalEquilibrium", "SCHEMA"]

#: The schema of :meth:`SubgamePerfectConditions.to_dict`.
SCHEMA = "negotiation.spe-conditions/1"
#: Information sets described per equilibrium in the text.
SHOWN_CHOICES = 30


@dataclass(frozen=True, eq=False)
class ConditionalEquilibrium:
    """A pure profile of a symbolic tree and the region where it is subgame perfect.

    Attributes
    ----------
    profile : BehaviourProfile
        Pure: one action at every decision node.
    payoffs : dict
        Player -> payoff on the equilibrium path (sympy expression).
    outcomes : tuple of (tuple of str, sympy expression)
        Terminal nodes reached, with their probabilities (chance moves).
    condition : Condition
        Where every player's choice at every decision node is optimal (weak inequalities).
    interior : Condition
        The part of ``condition`` with interior points (its conjunctions without an
        equality); "never" when the profile is subgame perfect only on boundaries, where
        some player is indifferent (ties).
    """

    profile: BehaviourProfile
    payoffs: dict
    outcomes: tuple
    condition: object
    interior: object = None

    @property
    def boundary_only(self) -> bool:
        """Subgame perfect only where some player is exactly indifferent (a lower-dimensional set)."""
        return self.interior is not None and self.interior.never

    @property
    def path(self) -> tuple | None:
        return self.outcomes[0][0] if len(self.outcomes) == 1 else None

    def path_text(self) -> str:
        if len(self.outcomes) == 1:
            return " → ".join(self.outcomes[0][0]) or "(root)"
        return "; ".join(f"{' → '.join(path)} ({probability})" for path, probability in self.outcomes)

    def to_dict(self) -> dict:
        return {"profile": {p: {label: _action(mix) for label, mix in self.profile[p].items()}
                            for p in self.profile.players},
                "outcomes": [{"path": list(path), "probability": sympy.sstr(probability)}
                             for path, probability in self.outcomes],
                "payoffs": {p: sympy.sstr(v) for p, v in self.payoffs.items()},
                "condition": self.condition.to_dict(),
                "boundary_only": self.boundary_only}


def _action(mix) -> str:
    return next(a for a, p in mix.items() if p == 1)


@dataclass(frozen=True, eq=False)
class SubgamePerfectConditions(ConditionalEquilibria, Result):
    """Where each pure profile of a parameterised tree is a subgame-perfect equilibrium.

    Attributes
    ----------
    title : str
    players : tuple of str
    free : ParameterSpace
        The free parameters (ranges and defaults): the conditions are in these.
    assumptions : tuple of str
        The assumptions still open at the fixed values.
    equilibria : tuple of ConditionalEquilibrium
        Every pure profile whose region is not provably empty (including profiles that are
        subgame perfect only on boundaries, where a player is indifferent).
    outcomes : dict
        Equilibrium path (text) -> region with interior points where some subgame-perfect
        equilibrium leads there (boundaries, where ties make several outcomes possible, are
        left out; ``equilibria`` has them).
    thresholds : tuple of Threshold
        Parameter values where a condition with interior points turns (solved for each
        parameter).
    parameters : mapping
        The parameters fixed before deriving (name -> number).
    messages : tuple of str
        What the derivation could not say (no profile subgame perfect anywhere, say).
    tree : GameTree
        The symbolic tree.
    method : str
        ``"backward_induction"``: every pure profile is listed (``complete``), with exact conditions.
    """

    title: str
    players: tuple
    free: object
    assumptions: tuple
    equilibria: tuple
    outcomes: dict
    thresholds: tuple = ()
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    tree: object = field(default=None, repr=False)
    method: str = "backward_induction"

    _leading = ("schema", "title", "players")

    def to_records(self) -> list[dict]:
        """One flat dict per profile: the fixed parameters, ``equilibrium`` (1-based), ``outcome``,
        ``"player: information set"`` (the chosen action), ``"payoff player"`` (sympy), ``holds where``
        (the condition as text) and ``boundary_only``."""
        records = []
        for number, equilibrium in enumerate(self.equilibria, start=1):
            record = dict(self.parameters)
            record["equilibrium"] = number
            record["outcome"] = equilibrium.path_text()
            for player in self.players:
                for label, mix in equilibrium.profile[player].items():
                    record[f"{player}: {label}"] = _action(mix)
            for player, payoff in equilibrium.payoffs.items():
                record[f"payoff {player}"] = payoff
            record["holds where"] = str(equilibrium.condition)
            record["boundary_only"] = equilibrium.boundary_only
            records.append(record)
        return records

    def _content(self) -> dict:
        """The schema ``negotiation.spe-conditions/1``: its ``parameters`` are the free parameters' names
        (they replace the protocol's fixed values, which the schema lists as ``values``)."""
        return {
            "schema": SCHEMA,
            "title": self.title,
            "players": list(self.players),
            "parameters": list(self.free.names),
            "values": {k: json_number(v) for k, v in self.parameters.items()},
            "assumptions": list(self.assumptions),
            "equilibria": [e.to_dict() for e in self.equilibria],
            "outcomes": {path: region.to_dict() for path, region in self.outcomes.items()},
            "thresholds": [t.to_dict() for t in self.thresholds],
            "notes": list(self.messages),
        }

    def document(self) -> Document:
        """What ``negotiation derive`` prints for a tree: the outcomes and where they hold, every
        subgame-perfect profile with its region, and the thresholds."""
        heading = [f"Subgame-perfect equilibria in the parameters {', '.join(self.free.names) or 'none'} "
                   "(simplified over their ranges and the assumptions)"]
        if self.parameters:
            heading.append("Fixed: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items()))
        if self.assumptions:
            heading.append("Assumptions: " + "; ".join(self.assumptions))
        heading.append(f"Method: {self.summary()}")
        outcomes = Table(("outcome", "holds where"),
                         tuple((path, Cell(str(region), f"${region.to_latex()}$"))
                               for path, region in self.outcomes.items()),
                         caption="Equilibrium outcomes (where some subgame-perfect equilibrium leads there)")
        blocks = [Text(tuple(heading)), outcomes, Text(tuple(self._equilibrium_lines()))]
        boundary = self.boundary_only
        if boundary:
            blocks.append(Text((f"{len(boundary)} more pure profile(s) are subgame perfect only on boundaries, "
                                "where a player is indifferent between optimal actions (ties); the regions above "
                                "are closed, so on a boundary the profiles of both sides hold as well (to_dict() "
                                "lists them all).",)))
        if self.thresholds:
            blocks += self._threshold_blocks()
        return Document(self.title or "Game tree", tuple(blocks), notes=tuple(self.messages))

    def _equilibrium_lines(self) -> list:
        lines = ["Subgame-perfect equilibria (one action at every decision node):"]
        for number, equilibrium in enumerate(self.interior, start=1):
            lines.append(f"  SPE {number}: outcome {equilibrium.path_text()}")
            lines.append(f"      {equilibrium.profile.describe(limit=SHOWN_CHOICES)}")
            lines.append("      payoffs: " + ", ".join(f"{p} {sympy.sstr(v)}" for p, v in equilibrium.payoffs.items()))
            lines.append(f"      holds where: {equilibrium.interior}")
        return lines

    def _threshold_blocks(self) -> list:
        rows = []
        for t in self.thresholds:
            value = "undefined at the defaults" if t.value is None else format_number(t.value)
            if t.in_range is False:
                value += " (outside the range)"
            rows.append((Cell(f"{t.parameter} = {sympy.sstr(t.expression)}",
                              f"${latex_escape(t.parameter)} = {sympy.latex(t.expression)}$"), value,
                         Cell(t.boundary, f"${t.boundary_latex}$" if t.boundary_latex else latex_escape(t.boundary))))
        blocks = [Table(("threshold", "value", "where"), tuple(rows),
                        caption="Thresholds (where the two sides of a condition are equal; value with the other "
                                "parameters at their defaults)")]
        defaults = [f"{p.name} = {format_number(p.default)}" for p in self.free if p.default is not None]
        if defaults:
            blocks.append(Text(("Defaults: " + ", ".join(defaults),)))
        return blocks


@derive.register(GameTree, methods=("backward_induction",))
@bounded_derivation
def subgame_perfect_conditions(tree: GameTree, values: Mapping | None = None, *, method: str = "auto",
                               assumptions=(), name: str | None = None, title: str | None = None,
                               max_candidates: int = 20_000, budget: float = 3.0) -> SubgamePerfectConditions:
    """For each pure profile of a parameterised tree, the region where it is subgame perfect.

    Parameters
    ----------
    tree : GameTree
        A symbolic tree with perfect information; its declared parameter ranges are used.
        ``ng.derive(scenario)`` passes the scenario's ``assumptions``, its file as ``name`` and its
        ``title``.
    values : mapping, optional
        Parameters to fix first; the conditions are then in the others.
    method : str
        ``"auto"`` or ``"backward_induction"`` (the one method).
    assumptions : tuple of Assumption
        Conditions on the parameters the regions are simplified under.
    name, title : str, optional
        What errors name (default: the tree's title) and the title of the result.
    max_candidates : int
        Partial profiles kept at one node before giving up (the count grows with the
        product of the children's counts).
    budget : float
        Seconds of optional ``sympy.simplify`` (the conditions are correct without it).

    Returns
    -------
    SubgamePerfectConditions

    Notes
    -----
    Bottom up, each node keeps the partial profiles of its subtree that can be subgame
    perfect, each with its payoffs and its conjunction of conditions. At a decision node,
    for each combination of the children's partial profiles and each action ``a``, the
    condition "``a`` is optimal for the mover" (``u(a) >= u(b)`` for every other action
    ``b``) is added; combinations that provably cannot hold over the parameter box are
    dropped. Weak inequalities make the regions closed: on a boundary, where a player is
    indifferent, both profiles are listed, exactly as
    :func:`~negotiation.solvers.backward_induction.backward_induction` does.

    Examples
    --------
    >>> import negotiation as ng
    >>> space = ng.ParameterSpace((ng.Parameter("c", 2, 0, 10),))
    >>> c = space.symbols["c"]
    >>> entry = ng.GameTree.from_nested(("Entrant", "Incumbent"), ng.decision("Entrant", {
    ...     "Out": ng.terminal(0, 2),
    ...     "In": ng.decision("Incumbent", {"Fight": ng.terminal(-1, 2 - c), "Accommodate": ng.terminal(1, 1)})}),
    ...     parameters=space)
    >>> conditions = ng.derive(entry)
    >>> sorted((e.path_text(), str(e.condition)) for e in conditions.equilibria)
    [('In → Accommodate', 'c >= 1'), ('Out', 'c <= 1')]
    >>> [(t.parameter, t.value) for t in conditions.thresholds]
    [('c', Fraction(1, 1))]
    """
    if not isinstance(tree, GameTree):
        raise TypeError(f"subgame_perfect_conditions needs a GameTree, got {type(tree).__name__}")
    name = name or tree.title or "tree"
    require_perfect_information(tree, "subgame_perfect_conditions")
    setup = fix_parameters(tree.parameters, tuple(assumptions), values, name=name, error=TreeError, budget=budget)
    partial = _partial_profiles(tree, setup.context, setup.sym, name, max_candidates)
    equilibria = _equilibria(tree, partial, setup.context, setup.sym)
    by_outcome: dict = {}
    for equilibrium in equilibria:
        if not equilibrium.interior.never:
            by_outcome.setdefault(equilibrium.path_text(), []).append(equilibrium.interior)
    outcome_regions = {path: setup.context.condition([[(a.expression, a.signs) for a in conjunction]
                                                      for region in regions for conjunction in region.alternatives])
                       for path, regions in by_outcome.items()}
    named = {f"SPE {k + 1} ({e.path_text()})": e.interior for k, e in enumerate(equilibria) if not e.boundary_only}
    thresholds = find_thresholds(named, setup.context, setup.free,
                                 {k: v for k, v in setup.reference.items() if k not in setup.fixed})
    messages = () if equilibria else (
        "no profile is subgame perfect anywhere in the parameter box (check the assumptions)",)
    return SubgamePerfectConditions(
        title=title if title is not None else tree.title, players=tree.players, free=setup.free,
        assumptions=tuple(setup.assumption_texts), equilibria=tuple(equilibria), outcomes=outcome_regions,
        thresholds=thresholds, parameters=setup.fixed, messages=messages, tree=tree,
    )


def _partial_profiles(tree, context, sym, name, max_candidates) -> list:
    """Bottom up: the root's partial profiles ``(payoffs, ((node, action), ...), conjunction)`` that can
    be subgame perfect (the module docstring of :func:`subgame_perfect_conditions` says how)."""
    payoffs = tree.payoffs
    first = tree.first_child
    count = tree.n_children
    kind = tree.node_kind
    leaf_of_node = tree._structure["leaf_of_node"]
    partial: dict = {}
    for j in range(tree.n_nodes - 1, -1, -1):
        if kind[j] == TERMINAL:
            partial[j] = [(tuple(sym(v) for v in payoffs[int(leaf_of_node[j])]), (), {})]
            continue
        start, k = int(first[j]), int(count[j])
        children = [partial.pop(c) for c in range(start, start + k)]
        total = math.prod(len(c) for c in children)
        if total * (k if kind[j] == DECISION else 1) > max_candidates:
            raise TreeError(f"{name}: more than {max_candidates} candidate profiles at node "
                            f"{tree.path_text(j) or 'root'!r}; fix some parameters (values=...) or raise max_candidates")
        if kind[j] == DECISION:
            partial[j] = _decision_profiles(children, j, int(tree.node_player[j]), context)
        else:
            weights = [sym(tree._probability[c]) for c in range(start, start + k)]
            partial[j] = _chance_profiles(children, weights, tree.n_players, context)
    return partial[0]


def _decision_profiles(children, node, mover, context) -> list:
    """Each combination of the children's partial profiles, with each action that can be optimal for the mover."""
    out = []
    for combo in itertools.product(*children):
        merged = _merged(combo)
        choices = tuple(itertools.chain(*(entry[1] for entry in combo)))
        for a in range(len(children)):
            comparisons = list(merged.items())
            comparisons += [(sympy.expand(combo[a][0][mover] - combo[b][0][mover]), ">=")
                            for b in range(len(children)) if b != a]
            conjunction = context.conjunction(comparisons)
            if conjunction is not None:
                out.append((combo[a][0], choices + ((node, a),), conjunction))
    return out


def _chance_profiles(children, weights, n_players, context) -> list:
    """Each combination of the children's partial profiles that can hold together, with expected payoffs."""
    out = []
    for combo in itertools.product(*children):
        conjunction = context.conjunction(list(_merged(combo).items()))
        if conjunction is None:
            continue
        value = tuple(sympy.expand(sum(w * entry[0][q] for w, entry in zip(weights, combo)))
                      for q in range(n_players))
        out.append((value, tuple(itertools.chain(*(entry[1] for entry in combo))), conjunction))
    return out


def _merged(combo) -> dict:
    """The conjunctions of a combination of partial profiles as one: comparison -> the signs all allow."""
    merged: dict = {}
    for _, _, conjunction in combo:
        merged.update({key: merged.get(key, signs) & signs for key, signs in conjunction.items()})
    return merged


def _equilibria(tree, partial, context, sym) -> list:
    """The root's partial profiles whose region is not empty, as :class:`ConditionalEquilibrium`."""
    infoset = tree.node_information_set
    out = []
    for value, choices, conjunction in partial:
        condition = context.condition([conjunction])
        if condition.never:
            continue
        chosen = np.full(tree.n_information_sets, -1, dtype=np.int64)
        for node, action in choices:
            chosen[int(infoset[node])] = action
        shown = {player: tidy(v, context.reference) for player, v in zip(tree.players, value)}
        interior = Condition(tuple(c for c in condition.alternatives if not any(a.relation == "==" for a in c)))
        out.append(ConditionalEquilibrium(BehaviourProfile(tree, choices=chosen), shown,
                                          _symbolic_outcomes(tree, chosen, sym), condition, interior))
    return out


def _symbolic_outcomes(tree, chosen, sym) -> tuple:
    """The terminal nodes a pure profile reaches, with their probabilities (sympy)."""
    out = []
    stack = [(0, sympy.Integer(1))]
    while stack:
        node, reach = stack.pop()
        kind = tree.node_kind[node]
        if kind == TERMINAL:
            out.append((tree.path(node), reach))
            continue
        start, k = int(tree.first_child[node]), int(tree.n_children[node])
        if kind == DECISION:
            stack.append((start + int(chosen[int(tree.node_information_set[node])]), reach))
        else:
            for a in range(k - 1, -1, -1):
                p = sym(tree._probability[start + a])
                if p != 0:
                    stack.append((start + a, sympy.expand(reach * p)))
    return tuple(out)
