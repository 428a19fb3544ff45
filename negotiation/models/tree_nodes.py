"""How a game tree is written down, read into flat node lists.

Two ways of writing a tree by hand come here: nested :func:`decision`, :func:`chance` and
:func:`terminal` nodes (:meth:`GameTree.from_nested <negotiation.models.tree.GameTree.from_nested>`),
and a flat list of node tables addressed by the *path* of action labels from the root, as in
scenario files (:meth:`GameTree.from_paths <negotiation.models.tree.GameTree.from_paths>`).
:func:`read_nested` and :func:`read_paths` check them and list the nodes breadth first as
:class:`FlatNodes`, which :mod:`negotiation.models.tree_assembly` turns into the tree's arrays.

A tree's JSON description (schema ``negotiation.models.tree/1``, :func:`tree_to_dict` and
:func:`read_tree_dict`) is such a list of path-addressed node tables too.

The node kinds, the path separator and :class:`TreeError` live here, at the bottom of the
family's model modules; :mod:`negotiation.models.tree` offers them with the tree.

Examples
--------
>>> flat = read_nested(("A", "B"), decision("A", L=terminal(1, 0), R=decision("B", l=terminal(0, 1),
...                                                                              r=terminal(2, 2))))
>>> flat.parent, flat.labels
([-1, 0, 0, 2, 2], ('L', 'R', 'l', 'r'))
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from negotiation.core.errors import NegotiationError
from negotiation.core.expressions import parse_expression
from negotiation.core.labels import normal_form, normalise_labels
from negotiation.core.numeric import fraction_from_text, json_number
from negotiation.core.parameters import ParameterSpace

__all__ = ["TreeError", "Decision", "Chance", "Terminal", "decision", "chance", "terminal", "FlatNodes",
           "read_nested", "read_paths", "tree_to_dict", "read_tree_dict", "TERMINAL", "DECISION", "CHANCE",
           "ROOT_LABEL", "PATH_SEPARATOR", "SCHEMA"]

#: Node kinds in :attr:`GameTree.node_kind <negotiation.models.tree.GameTree.node_kind>`.
TERMINAL, DECISION, CHANCE = 0, 1, 2
#: Label of the root's information set when no label is given.
ROOT_LABEL = "root"
#: Separator of action labels in a path.
PATH_SEPARATOR = "/"
#: The schema of a tree's JSON description (:func:`tree_to_dict`).
SCHEMA = "negotiation.models.tree/1"
#: The keys of one path-addressed node table.
NODE_KEYS = ("path", "player", "actions", "probabilities", "payoffs", "information_set", "label")


class TreeError(NegotiationError):
    """A game tree was given inconsistent or invalid data (one-line message)."""


# ---------------------------------------------------------------------- nested builders
@dataclass(frozen=True)
class Decision:
    """A decision node for :meth:`GameTree.from_nested` (use :func:`decision`)."""

    player: str
    actions: tuple
    children: tuple
    information_set: str | None = None


@dataclass(frozen=True)
class Chance:
    """A chance node for :meth:`GameTree.from_nested` (use :func:`chance`)."""

    actions: tuple
    probabilities: tuple
    children: tuple


@dataclass(frozen=True)
class Terminal:
    """A terminal node for :meth:`GameTree.from_nested` (use :func:`terminal`)."""

    payoffs: tuple
    label: str = ""


def decision(player: str, actions: Mapping | None = None, /, *, information_set: str | None = None,
             **more_actions) -> Decision:
    """A decision node: ``player`` chooses among ``{action label: child node}``.

    Actions may also be given as keyword arguments when their labels are identifiers.
    Nodes with the same ``information_set`` label form one information set.

    Examples
    --------
    >>> decision("Russia", Accept=terminal(1, 0), Militarise=terminal(0, 1)).actions
    ('Accept', 'Militarise')
    """
    branches = dict(actions or {})
    branches.update(more_actions)
    return Decision(player, tuple(branches), tuple(branches.values()), information_set)


def chance(branches: Mapping | None = None, /, **more_branches) -> Chance:
    """A chance node: ``{action label: (probability, child node)}``.

    Examples
    --------
    >>> node = chance({"Hawk": ("1/3", terminal(0)), "Dove": ("2/3", terminal(1))})
    >>> node.probabilities
    ('1/3', '2/3')
    """
    items = dict(branches or {})
    items.update(more_branches)
    for label, value in items.items():
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise TreeError(f"chance branch {label!r}: expected (probability, child node)")
    return Chance(tuple(items), tuple(v[0] for v in items.values()), tuple(v[1] for v in items.values()))


def terminal(*payoffs, label: str = "") -> Terminal:
    """A terminal node with one payoff per player (numbers or sympy expressions).

    Examples
    --------
    >>> terminal(3, "-1/2").payoffs
    (3, '-1/2')
    """
    if len(payoffs) == 1 and isinstance(payoffs[0], (list, tuple)):
        payoffs = tuple(payoffs[0])
    return Terminal(tuple(payoffs), label)


# ---------------------------------------------------------------------- flat node lists
@dataclass
class FlatNodes:
    """The nodes of a tree in breadth-first order, as the readers list them.

    ``edge_label[j]`` indexes ``labels`` (``-1`` at the root); ``node_player[j]`` is the mover's
    index at decision nodes and ``-1`` elsewhere; ``probability[j]`` is the probability of the
    edge into ``j`` from a chance node (``None`` elsewhere); ``information_set_keys[j]`` the given
    information-set label of a decision node (``None``: its own); ``payoff_rows`` one row per
    terminal node in node order; ``leaf_labels`` node index -> label.
    """

    parent: list = field(default_factory=list)
    node_player: list = field(default_factory=list)
    edge_label: list = field(default_factory=list)
    probability: list = field(default_factory=list)
    information_set_keys: list = field(default_factory=list)
    payoff_rows: list = field(default_factory=list)
    leaf_labels: dict = field(default_factory=dict)
    label_ids: dict = field(default_factory=dict)

    @property
    def labels(self) -> tuple:
        """The action labels, in the order of their ids."""
        return tuple(self.label_ids)

    def add(self, parent: int, label, probability) -> int:
        """Append a node reached from ``parent`` by the action ``label``; returns its index."""
        index = len(self.parent)
        self.parent.append(parent)
        self.edge_label.append(-1 if label is None else self.label_ids.setdefault(label, len(self.label_ids)))
        self.probability.append(probability)
        return index

    def mark(self, player: int = -1, information_set=None) -> None:
        """Set the mover and information-set key of the node added last."""
        self.node_player.append(player)
        self.information_set_keys.append(information_set)


def read_nested(players: tuple, root) -> FlatNodes:
    """The nodes of a tree written with :func:`decision`, :func:`chance` and :func:`terminal`, breadth first."""
    player_index = {p: i for i, p in enumerate(players)}
    flat = FlatNodes()
    names = []

    def where(index):
        path = []
        while index > 0:
            path.append(names[index])
            index = flat.parent[index]
        return f"node {path_text(reversed(path))!r}"

    queue = deque([(root, -1, None, None)])
    while queue:
        node, parent, label, probability = queue.popleft()
        index = flat.add(parent, label, probability)
        names.append(label)
        if isinstance(node, Decision):
            if normal_form(node.player) not in player_index:
                raise TreeError(f"{where(index)}: unknown player {node.player!r} (players: {', '.join(players)})")
            if len(node.actions) == 0 or len(set(node.actions)) != len(node.actions):
                check_actions(node.actions, where(index))
            flat.mark(player_index[normal_form(node.player)], normal_form(node.information_set))
            queue.extend((child, index, action, None) for action, child in zip(node.actions, node.children))
        elif isinstance(node, Chance):
            if len(node.actions) == 0 or len(set(node.actions)) != len(node.actions):
                check_actions(node.actions, where(index))
            flat.mark()
            queue.extend((child, index, action, p)
                         for action, p, child in zip(node.actions, node.probabilities, node.children))
        elif isinstance(node, Terminal):
            if len(node.payoffs) != len(players):
                raise TreeError(f"terminal {where(index)}: {len(node.payoffs)} payoffs given, expected "
                                f"{len(players)} ({', '.join(players)})")
            flat.mark()
            flat.payoff_rows.append(node.payoffs)
            if node.label:
                flat.leaf_labels[index] = node.label
        else:
            raise TreeError(f"{where(index)}: expected decision(...), chance(...) or terminal(...), got {node!r}")
    for label in flat.label_ids:
        if not isinstance(label, str) or not label.strip():
            raise TreeError(f"action labels must be non-empty strings, got {label!r}")
    return flat


def read_paths(players: tuple, nodes: Sequence[Mapping], prefix: str = "") -> FlatNodes:
    """The nodes of a tree listed as tables addressed by path (see ``GameTree.from_paths``), breadth first.

    ``prefix`` starts every error message (``"nato.toml: "``).

    Examples
    --------
    >>> flat = read_paths(("A",), [{"path": "", "player": "A", "actions": ["L", "R"]},
    ...                            {"path": "R", "payoffs": [0]}, {"path": "L", "payoffs": [1]}])
    >>> flat.parent, flat.payoff_rows
    ([-1, 0, 0], [(1,), (0,)])
    >>> read_paths(("A",), [{"path": "", "player": "B", "actions": ["L"]}], "a.toml: ")
    Traceback (most recent call last):
        ...
    negotiation.models.tree_nodes.TreeError: a.toml: nodes[0] (path ''): unknown player 'B' (players: A)
    """
    specs = _index_by_path(nodes, prefix)
    player_index = {p: i for i, p in enumerate(players)}
    flat = FlatNodes()
    visited = set()
    queue = deque([((), -1, None)])
    while queue:
        path, parent, probability = queue.popleft()
        k, spec = specs[path]
        visited.add(path)
        index = flat.add(parent, path[-1] if path else None, probability)
        where = f"{prefix}nodes[{k}] (path {path_text(path)!r})"
        kind = _spec_kind(spec, where)
        if kind == "terminal":
            flat.mark()
            flat.payoff_rows.append(_terminal_payoffs(spec["payoffs"], players, where))
            if spec.get("label"):
                flat.leaf_labels[index] = str(spec["label"])
            continue
        actions = spec["actions"]
        if not isinstance(actions, (list, tuple)):
            raise TreeError(f"{where}: actions: expected a list of action labels")
        actions = [normal_form(a) for a in actions]  # as paths read them (NFKC); two that became one are refused
        check_actions(actions, where, path_labels=True)
        if kind == "decision":
            flat.mark(_mover(spec, player_index, players, where), _information_set_key(spec, where))
            probabilities = [None] * len(actions)
        else:
            probabilities = spec["probabilities"]
            if not isinstance(probabilities, (list, tuple)) or len(probabilities) != len(actions):
                count = len(probabilities) if isinstance(probabilities, (list, tuple)) else 1
                raise TreeError(f"{where}: {count} probabilities for {len(actions)} actions")
            flat.mark()
        for action, p in zip(actions, probabilities):
            child = path + (action,)
            if child not in specs:
                raise TreeError(f"{where}: action {action!r} leads to path {path_text(child)!r}, "
                                "but no node has that path")
            queue.append((child, index, p))
    _check_reached(specs, visited, prefix)
    return flat


def _index_by_path(nodes, prefix) -> dict:
    """``{path: (position in the list, node table)}``, with the root present and no path given twice."""
    specs: dict[tuple, tuple[int, Mapping]] = {}
    for k, spec in enumerate(nodes):
        if not isinstance(spec, Mapping):
            raise TreeError(f"{prefix}nodes[{k}]: expected a table with path and player/actions, "
                            "probabilities or payoffs")
        if "path" not in spec:
            raise TreeError(f"{prefix}nodes[{k}]: missing 'path' (\"\" for the root)")
        path = parse_path(spec["path"], f"{prefix}nodes[{k}].path")
        if path in specs:
            raise TreeError(f"{prefix}nodes[{k}]: path {path_text(path)!r} is given twice "
                            f"(also nodes[{specs[path][0]}])")
        specs[path] = (k, spec)
    if () not in specs:
        raise TreeError(f"{prefix}no node has path \"\" (the root)")
    return specs


def _terminal_payoffs(payoffs, players, where) -> tuple:
    """One payoff per player, from a list in player order or a ``{player: payoff}`` table."""
    if isinstance(payoffs, Mapping):
        payoffs = {normal_form(player): value for player, value in payoffs.items()}  # players are NFKC
        unknown = sorted(set(payoffs) - set(players))
        if unknown:
            raise TreeError(f"{where}: payoffs: unknown player {unknown[0]!r} (players: {', '.join(players)})")
        missing = [p for p in players if p not in payoffs]
        if missing:
            raise TreeError(f"{where}: payoffs: no payoff for {missing[0]}")
        payoffs = [payoffs[p] for p in players]
    if not isinstance(payoffs, (list, tuple)) or len(payoffs) != len(players):
        count = len(payoffs) if isinstance(payoffs, (list, tuple)) else 1
        raise TreeError(f"{where}: {count} payoffs given, expected {len(players)} "
                        f"(one per player: {', '.join(players)})")
    return tuple(payoffs)


def _mover(spec, player_index, players, where) -> int:
    if not isinstance(spec["player"], str):
        raise TreeError(f"{where}: player: expected a player label, got {type(spec['player']).__name__}")
    player = normal_form(spec["player"])
    if player not in player_index:
        raise TreeError(f"{where}: unknown player {player!r} (players: {', '.join(players)})")
    return player_index[player]


def _information_set_key(spec, where):
    key = spec.get("information_set")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        raise TreeError(f"{where}: information_set: expected a non-empty label")
    return normal_form(key)


def _check_reached(specs, visited, prefix) -> None:
    """Every listed node hangs below the root: name the first that does not, and why."""
    for path, (k, _) in specs.items():
        if path not in visited:
            parent_path = path[:-1]
            if parent_path not in specs:
                reason = f"no node has path {path_text(parent_path)!r}"
            else:
                reason = f"node {path_text(parent_path)!r} has no action {path[-1]!r}"
            raise TreeError(f"{prefix}nodes[{k}]: path {path_text(path)!r} cannot be reached: {reason}")


def _spec_kind(spec, where) -> str:
    """``"terminal"``, ``"decision"`` or ``"chance"``: what a node table's keys say it is."""
    unknown = sorted(set(spec) - set(NODE_KEYS))
    if unknown:
        raise TreeError(f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(NODE_KEYS))})")
    has_player = "player" in spec
    has_probabilities = "probabilities" in spec
    if "payoffs" in spec:
        if has_player or has_probabilities or "actions" in spec or "information_set" in spec:
            raise TreeError(f"{where}: a terminal node has payoffs only (no player, actions or probabilities)")
        return "terminal"
    if "label" in spec:
        raise TreeError(f"{where}: only terminal nodes have a label")
    if "actions" not in spec:
        raise TreeError(f"{where}: expected payoffs (terminal node), player and actions (decision node), "
                        "or actions and probabilities (chance node)")
    if has_player and has_probabilities:
        raise TreeError(f"{where}: a node has either a player (decision node) or probabilities (chance node)")
    if has_player:
        return "decision"
    if has_probabilities:
        if "information_set" in spec:
            raise TreeError(f"{where}: chance nodes have no information set")
        return "chance"
    raise TreeError(f"{where}: actions need a player (decision node) or probabilities (chance node)")


# ---------------------------------------------------------------------- JSON
def tree_to_dict(tree) -> dict:
    """A tree's JSON description: one path-addressed node table per node, depth first.

    Exact numbers are strings (``"3/4"``), floats numbers, symbolic ones expression strings.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree
    >>> tree = GameTree.from_nested(("A",), chance(Heads=("1/2", terminal(1)), Tails=("1/2", terminal(0))))
    >>> tree_to_dict(tree)["nodes"][0]
    {'path': [], 'actions': ['Heads', 'Tails'], 'probabilities': ['1/2', '1/2']}
    >>> GameTree.from_paths(**read_tree_dict(tree_to_dict(tree), "coin.json")).n_nodes
    3
    """
    nodes = []
    for node in tree._preorder():
        entry: dict = {"path": list(tree.path(node))}
        kind = tree.node_kind[node]
        if kind == DECISION:
            entry["player"] = tree.players[int(tree.node_player[node])]
            entry["actions"] = list(tree.actions(node))
            k = int(tree.node_information_set[node])
            label = tree.information_set_labels[k]
            if label != tree._node_labels()[node] or len(tree._information_set_nodes()[k]) > 1:
                entry["information_set"] = label
        elif kind == CHANCE:
            entry["actions"] = list(tree.actions(node))
            entry["probabilities"] = [json_number(tree.probabilities[c]) for c in tree.children(node)]
        else:
            entry["payoffs"] = [json_number(v) for v in tree.leaf_payoffs(node).values()]
            if tree.leaf_label(node):
                entry["label"] = tree.leaf_label(node)
        nodes.append(entry)
    data = {"schema": SCHEMA, "title": tree.title, "players": list(tree.players), "nodes": nodes}
    if tree.is_symbolic:
        data["parameters"] = list(tree.parameters.names)
    if tree.values:
        data["values"] = {k: json_number(v) for k, v in tree.values.items()}
    return data


def read_tree_dict(data: Mapping, source: str) -> dict:
    """The keyword arguments of ``GameTree.from_paths`` for a JSON description (:func:`tree_to_dict`);
    expression strings go through the safe parser, ``source`` names the description in error messages."""
    try:
        if data.get("schema", SCHEMA) != SCHEMA:
            raise TreeError(f"{source}: schema {data.get('schema')!r}, expected {SCHEMA!r}")
        space = ParameterSpace.from_names(data.get("parameters", []))
        symbols = space.symbols

        def value(text, where):
            if isinstance(text, (int, float)) and not isinstance(text, bool):
                return text
            if isinstance(text, str):
                try:
                    number = fraction_from_text(text, where)  # its size checked before it is computed
                except ZeroDivisionError:
                    number = None  # "1/0": the expression parser says why, in one line
                return number if number is not None else parse_expression(text, symbols, where=where)
            raise TreeError(f"{where}: expected a number or an expression string, got {text!r}")

        nodes = []
        if not isinstance(data["nodes"], list):
            raise TreeError(f"{source}: nodes: expected a list of node objects, got {type(data['nodes']).__name__}")
        for k, entry in enumerate(data["nodes"]):
            if not isinstance(entry, Mapping):
                raise TreeError(f"{source}: nodes[{k}]: expected a node object, got {type(entry).__name__}")
            spec = dict(entry)
            spec["path"] = tuple(entry["path"])
            for key in ("payoffs", "probabilities"):
                if key in spec and not isinstance(spec[key], list):
                    raise TreeError(f"{source}: nodes[{k}].{key}: expected a list, got {type(spec[key]).__name__}")
            if "payoffs" in spec:
                spec["payoffs"] = [value(v, f"{source}: nodes[{k}].payoffs") for v in spec["payoffs"]]
            if "probabilities" in spec:
                spec["probabilities"] = [value(v, f"{source}: nodes[{k}].probabilities")
                                         for v in spec["probabilities"]]
            nodes.append(spec)
        players = list(data["players"])
    except (KeyError, TypeError, AttributeError) as error:
        raise TreeError(f"{source}: not a {SCHEMA} object (missing or malformed {error})") from None
    return {"players": players, "nodes": nodes, "title": data.get("title", ""),
            "parameters": space if space.parameters else None, "where": source}


# ---------------------------------------------------------------------- labels and paths
def check_players(players) -> tuple:
    """The player labels as a tuple: at least one, non-empty strings, no two alike."""
    players = tuple(players)
    if not players:
        raise TreeError("a game tree needs at least one player")
    for player in players:
        if not isinstance(player, str) or not player.strip():
            raise TreeError(f"player labels must be non-empty strings, got {player!r}")
    players = normalise_labels(players, where="players", what="player label", error=TreeError)
    if len(set(players)) != len(players):
        duplicate = next(p for p in players if players.count(p) > 1)
        raise TreeError(f"duplicate player label {duplicate!r}")
    return players


def check_actions(actions: Sequence, where: str, path_labels: bool = False) -> None:
    """At least one action, non-empty strings, none twice (and, in paths, no separator)."""
    if len(actions) == 0:
        raise TreeError(f"{where}: a decision or chance node needs at least one action")
    for action in actions:
        if not isinstance(action, str) or not action.strip():
            raise TreeError(f"{where}: action labels must be non-empty strings, got {action!r}")
        if path_labels and PATH_SEPARATOR in action:
            raise TreeError(f"{where}: action label {action!r} contains {PATH_SEPARATOR!r}, the path separator")
    if len(set(actions)) != len(actions):
        duplicate = next(a for a in actions if list(actions).count(a) > 1)
        raise TreeError(f"{where}: action {duplicate!r} appears twice")


def parse_path(path, where: str) -> tuple:
    """``"Admit/Accept"`` (or a sequence of labels) as a tuple of action labels; ``""`` is the root.

    Examples
    --------
    >>> parse_path(" Admit / Accept ", "path"), parse_path("", "path")
    (('Admit', 'Accept'), ())
    """
    if isinstance(path, str):
        text = path.strip()
        if not text:
            return ()
        parts = tuple(normal_form(part.strip()) for part in text.split(PATH_SEPARATOR))  # labels are NFKC
        if any(not part for part in parts):
            raise TreeError(f"{where}: {path!r} has an empty action label (write actions separated by "
                            f"{PATH_SEPARATOR!r}, \"\" for the root)")
        return parts
    if isinstance(path, (list, tuple)) and all(isinstance(part, str) for part in path):
        return tuple(normal_form(part) for part in path)
    raise TreeError(f"{where}: expected a path such as \"Admit/Accept\", got {path!r}")


def path_text(path) -> str:
    """The action labels of a path joined by the separator: ``"Admit/Accept"``."""
    return PATH_SEPARATOR.join(path)
