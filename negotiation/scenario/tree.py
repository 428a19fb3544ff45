"""Extensive-form scenario files (``kind = "extensive-form"``) and Gambit ``.efg`` files as scenarios.

A tree scenario is a :class:`~negotiation.scenario.model.Scenario` whose ``game`` is a
:class:`~negotiation.models.tree.GameTree`. The file lists the nodes flat, each addressed by
the path of actions from the root, so that deep trees stay readable::

    schema = "negotiation.scenario/1"
    id = "entry"
    title = "Entry deterrence"
    kind = "extensive-form"
    players = ["Entrant", "Incumbent"]

    [parameters.c]
    default = 2
    range = [0, 10]
    description = "cost of fighting to the incumbent"

    [[nodes]]
    path = ""
    player = "Entrant"
    actions = ["Out", "In"]

    [[nodes]]
    path = "Out"
    payoffs = [0, 2]

    [[nodes]]
    path = "In"
    player = "Incumbent"
    actions = ["Fight", "Accommodate"]

    [[nodes]]
    path = "In/Fight"
    payoffs = ["-1", "1 - c"]

    [[nodes]]
    path = "In/Accommodate"
    payoffs = [1, 1]

The schema is documented in ``models/README.md``; formulas go through the
allow-list parser, as in every scenario file.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Mapping

from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.core.labels import normalise_label, normalise_labels
from negotiation.formats.efg import EfgFormatError, parse_efg, read_efg
from negotiation.models.tree import SCHEMA as TREE_SCHEMA, GameTree, TreeError
from negotiation.scenario.loader import (parse_assumptions, parse_derived, parse_header, parse_parameters,
                                         read_number, register_file_type, register_json_schema, register_kind,
                                         register_text_type)
from negotiation.scenario.model import (Scenario, ScenarioError, describe_derived, describe_footer, describe_header,
                                        describe_model, describe_parameters)

__all__ = ["TreeScenario", "parse_tree_scenario", "load_efg_scenario", "parse_efg_scenario", "tree_json_scenario",
           "TREE_KEYS", "NODE_KEYS"]

#: Top-level keys of an extensive-form scenario file.
TREE_KEYS = {"schema", "id", "title", "kind", "description", "references", "players", "parameters",
             "derived", "nodes", "assumptions", "notes"}
#: Keys of one ``[[nodes]]`` table.
NODE_KEYS = {"path", "player", "actions", "probabilities", "payoffs", "information_set", "label"}


@dataclass(frozen=True, eq=False)
class TreeScenario(Scenario):
    """A scenario whose model is a game tree.

    ``game`` is the (possibly symbolic) :class:`GameTree`; :meth:`game_at` gives the
    numeric tree at parameter values, :meth:`solve` its equilibria, :meth:`derive` the
    conditions under which each subgame-perfect equilibrium holds. ``ng.load`` reads one from
    an ``extensive-form`` scenario file or a Gambit ``.efg`` file.

    Examples
    --------
    >>> import negotiation as ng
    >>> scenario = ng.load("nato_enlargement")
    >>> scenario.kind, scenario.game.players
    ('extensive-form', ('NATO', 'Russia'))
    >>> scenario.solve()[0].path
    ('Admit with limits', 'Accept')
    """

    model_errors = (TreeError,)

    def describe(self, values: Mapping | None = None) -> str:
        """What ``negotiation show`` prints: parameters, the tree, the tree at ``values``, sources."""
        lines = describe_header(self)
        tree = self.game
        information = "perfect information" if tree.is_perfect_information else "imperfect information"
        lines += ["", f"Kind: {self.kind}; players: {', '.join(tree.players)}; {tree.n_nodes} nodes, "
                      f"{tree.n_leaves} terminal; {information}"]
        lines += describe_parameters(self.parameters)
        lines += describe_derived(self)
        lines += describe_model(self, values, "Tree", lambda model: model.to_text().splitlines())
        lines += describe_footer(self)
        return "\n".join(lines)


@register_kind("extensive-form")
def parse_tree_scenario(data: dict, source: str) -> TreeScenario:
    """Build a :class:`TreeScenario` from the parsed TOML of an ``extensive-form`` scenario file.

    Parameters
    ----------
    data : dict
        The file as read by ``tomllib`` (``kind = "extensive-form"``).
    source : str
        File name for error messages.

    Raises
    ------
    ScenarioError
        One line naming the file, the field and what is wrong.

    Examples
    --------
    >>> scenario = parse_tree_scenario({
    ...     "schema": "negotiation.scenario/1", "id": "ultimatum", "title": "Ultimatum", "kind": "extensive-form",
    ...     "players": ["Proposer", "Responder"],
    ...     "nodes": [{"path": "", "player": "Proposer", "actions": ["Fair", "Greedy"]},
    ...               {"path": "Fair", "payoffs": [1, 1]},
    ...               {"path": "Greedy", "player": "Responder", "actions": ["Accept", "Reject"]},
    ...               {"path": "Greedy/Accept", "payoffs": [2, 0]},
    ...               {"path": "Greedy/Reject", "payoffs": [0, 0]}]}, "ultimatum.toml")
    >>> [e.path for e in scenario.solve()]
    [('Greedy', 'Accept'), ('Fair',)]
    """
    scenario_id, title, description, references = parse_header(data, source, keys=TREE_KEYS, kind="extensive-form",
                                                                what="an extensive-form")
    kind = "extensive-form"
    players = _players(data.get("players"), source)
    parameters = parse_parameters(data.get("parameters", {}), source)
    symbols = parameters.symbols
    derived = parse_derived(data.get("derived", {}), symbols, source)
    names = {**symbols, **derived}
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        raise ScenarioError(f"{source}: nodes: expected [[nodes]] tables (path = \"\" for the root, then one per node)")
    specs = []
    for k, node in enumerate(nodes):
        where = f"{source}: nodes[{k}]"
        if not isinstance(node, dict):
            raise ScenarioError(f"{where}: expected a table")
        unknown = sorted(set(node) - NODE_KEYS)
        if unknown:
            raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(NODE_KEYS))})")
        spec = dict(node)
        for key in ("path", "player", "information_set", "label"):
            if key in spec and not isinstance(spec[key], str):
                raise ScenarioError(f"{where}.{key}: expected a string")
        if "actions" in spec and (not isinstance(spec["actions"], list)
                                  or not all(isinstance(a, str) for a in spec["actions"])):
            raise ScenarioError(f"{where}.actions: expected a list of action labels")
        for key in ("path", "player", "information_set", "label"):  # names and labels (a path of action labels)
            if key in spec:
                spec[key] = normalise_label(spec[key], where=f"{where}.{key}", what=key.replace("_", " "),
                                            error=ScenarioError)
        if "actions" in spec:
            spec["actions"] = list(normalise_labels(spec["actions"], where=f"{where}.actions", what="action label",
                                                    error=ScenarioError))
        if "probabilities" in spec:
            values = spec["probabilities"]
            if not isinstance(values, list):
                raise ScenarioError(f"{where}.probabilities: expected a list (one per action)")
            spec["probabilities"] = [_value(v, names, f"{where}.probabilities[{i}]", read_number)
                                     for i, v in enumerate(values)]
        if "payoffs" in spec:
            values = spec["payoffs"]
            if isinstance(values, dict):
                spec["payoffs"] = {p: _value(v, names, f"{where}.payoffs.{p}", read_number) for p, v in values.items()}
            elif isinstance(values, list):
                spec["payoffs"] = [_value(v, names, f"{where}.payoffs[{i}]", read_number) for i, v in enumerate(values)]
            else:
                raise ScenarioError(f"{where}.payoffs: expected a list (one per player) or a table player = payoff")
        specs.append(spec)
    try:
        tree = GameTree.from_paths(players, specs, title=title, parameters=parameters, where=source)
    except TreeError as error:
        raise ScenarioError(str(error)) from None
    assumptions = parse_assumptions(data.get("assumptions", []), symbols, source)
    scenario = TreeScenario(
        id=scenario_id, title=title, kind=kind, game=tree, parameters=parameters,
        description=description.strip(), assumptions=assumptions, references=tuple(references),
        derived=derived, source=Path(source) if source not in ("<scenario>", "") else None,
    )
    if parameters.parameters and len(parameters.defaults) == len(parameters):
        scenario.game_at()  # the defaults must satisfy the assumptions and give a valid tree
    return scenario


def _players(value, source) -> tuple:
    if isinstance(value, dict):
        if set(value) != {"names"}:
            raise ScenarioError(f"{source}: players: expected players = [\"NATO\", \"Russia\"] "
                                "(or a table with names = [...])")
        value = value["names"]
    if not isinstance(value, list) or not value or not all(isinstance(p, str) and p.strip() for p in value):
        raise ScenarioError(f"{source}: players: expected a list of player labels, e.g. players = [\"NATO\", \"Russia\"]")
    if len(set(value)) != len(value):
        duplicate = next(p for p in value if value.count(p) > 1)
        raise ScenarioError(f"{source}: players: duplicate player {duplicate!r}")
    return normalise_labels((p.strip() for p in value), where=f"{source}: players", what="player name",
                            error=ScenarioError)


def _value(value, names, where, number):
    """A number (exact) or a formula string (parsed by the allow-list parser; constants become Fractions)."""
    if isinstance(value, str):
        try:
            expression = parse_expression(value, names, where=where)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
        if not expression.free_symbols:
            import sympy  # heavy: the expression parser has loaded it already

            if isinstance(expression, sympy.Rational):
                return Fraction(int(expression.p), int(expression.q))
        return expression
    return number(value, where)


@register_file_type(".efg")
def load_efg_scenario(path) -> TreeScenario:
    """A Gambit ``.efg`` file as a scenario without parameters (its comment is the description)."""
    path = Path(path)
    try:
        tree, comment = read_efg(path, with_comment=True)
    except EfgFormatError as error:
        raise ScenarioError(str(error)) from None
    return TreeScenario(id=path.stem, title=tree.title or path.stem, kind="extensive-form", game=tree,
                        description=comment, source=path)


@register_text_type("efg")
def parse_efg_scenario(text: str, source: str) -> TreeScenario:
    """The text of a Gambit ``.efg`` file (standard input, named ``source`` in messages) as a scenario."""
    try:
        tree, comment = parse_efg(text, source=source, with_comment=True)
    except EfgFormatError as error:
        raise ScenarioError(str(error)) from None
    stem = Path(source).stem
    return TreeScenario(id=stem, title=tree.title or stem, kind="extensive-form", game=tree, description=comment,
                        source=Path(source))


@register_json_schema(TREE_SCHEMA)
def tree_json_scenario(data: dict, source: str) -> TreeScenario:
    """A tree's JSON (``GameTree.to_dict()``, ``negotiation convert --to json``) as a scenario without parameters."""
    tree = GameTree.from_dict(data, source=source)
    stem = Path(source).stem
    return TreeScenario(id=stem, title=tree.title or stem, kind="extensive-form", game=tree, source=Path(source))
