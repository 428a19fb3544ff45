"""Game trees (extensive-form games) with labelled players, actions and information sets.

A :class:`GameTree` is a finite rooted tree. Each non-terminal node is either a
*decision node*, where a player chooses one of its labelled actions, or a *chance
node*, where nature picks an action with given probabilities. Each terminal node
carries one payoff per player. Decision nodes are grouped into *information sets*:
a player who moves at an information set does not know at which of its nodes it
is, so every node of the set has the same player and the same actions. A tree
where every information set is a single node has *perfect information*.

Payoffs and chance probabilities are exact (``Fraction``), floats, or sympy
expressions in declared parameters; :meth:`GameTree.substitute` gives a numeric
tree. Nodes are addressed by the *path* of action labels from the root,
written ``"Admit/Accept"`` (the root is ``""``).

Storage is flat, so that trees with 10⁵–10⁶ nodes are cheap: nodes are kept in
breadth-first order (the children of a node are consecutive), with integer
arrays for the parent, the node kind, the moving player and the information
set of each node, one action-label id per edge, and the payoffs of the terminal
nodes in an ``(n_leaves, n_players)`` array.

Build trees with :meth:`GameTree.from_nested` (``decision``/``chance``/``terminal``
helpers, for small trees written by hand), :meth:`GameTree.from_paths` (a flat
list of nodes addressed by path, as in scenario files), or
:meth:`GameTree.from_arrays` (parent pointers, for generated trees).

Examples
--------
>>> from negotiation.models.tree import GameTree, decision, terminal
>>> entry = GameTree.from_nested(
...     ("Entrant", "Incumbent"),
...     decision("Entrant", {
...         "Out": terminal(0, 2),
...         "In": decision("Incumbent", {"Fight": terminal(-1, -1), "Accommodate": terminal(1, 1)}),
...     }),
...     title="Entry deterrence")
>>> entry
GameTree('Entry deterrence', 5 nodes, 3 terminal, players=['Entrant', 'Incumbent'], exact, perfect information)
>>> entry.leaf_payoffs("In/Fight")
{'Entrant': Fraction(-1, 1), 'Incumbent': Fraction(-1, 1)}
>>> entry.information_set_labels
('root', 'In')
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from negotiation.core.numeric import coerce_number, format_number, json_number, is_sympy as _is_sympy
from negotiation.core.parameters import ParameterSpace
from negotiation.core.errors import NegotiationError

if TYPE_CHECKING:  # pragma: no cover
    from negotiation.models.game import Game

__all__ = ["GameTree", "TreeError", "InformationSet", "Decision", "Chance", "Terminal",
           "decision", "chance", "terminal", "TERMINAL", "DECISION", "CHANCE"]

SCHEMA = "negotiation.models.tree/1"

#: Node kinds in :attr:`GameTree.node_kind`.
TERMINAL, DECISION, CHANCE = 0, 1, 2
#: Label of the root's information set when no label is given.
ROOT_LABEL = "root"
#: Separator of action labels in a path.
PATH_SEPARATOR = "/"
#: Float chance probabilities must sum to one within this tolerance (times the number of actions).
PROBABILITY_TOLERANCE = 1e-9
#: Largest strategic form :meth:`GameTree.to_strategic_form` builds (number of pure profiles).
MAX_STRATEGIC_PROFILES = 1_000_000
#: Deepest node whose default information-set label is its full path.
MAX_PATH_LABEL_DEPTH = 40


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


@dataclass(frozen=True)
class InformationSet:
    """One information set: its owner, label, actions and member nodes (as paths)."""

    label: str
    player: str
    actions: tuple
    nodes: tuple


# ---------------------------------------------------------------------- the tree
class GameTree:
    """A finite extensive-form game.

    Build one with :meth:`from_nested`, :meth:`from_paths` or :meth:`from_arrays`; the
    constructor itself is internal. A tree is immutable.

    Attributes
    ----------
    players : tuple of str
    title : str
    parameters : ParameterSpace
        Declared parameters of a symbolic tree.
    values : dict
        Parameter values a numeric tree was obtained with (recorded in results).
    parent : numpy.ndarray
        Parent of each node (``-1`` for the root); nodes are in breadth-first order.
    node_kind : numpy.ndarray
        :data:`TERMINAL`, :data:`DECISION` or :data:`CHANCE` for each node.
    node_player : numpy.ndarray
        Index of the moving player at decision nodes, ``-1`` elsewhere.
    node_information_set : numpy.ndarray
        Index of the information set of decision nodes, ``-1`` elsewhere.
    first_child, n_children : numpy.ndarray
        The children of node ``j`` are ``first_child[j] : first_child[j] + n_children[j]``,
        in the order of its actions.
    leaf_nodes : numpy.ndarray
        The terminal nodes, in the order of the rows of :attr:`payoffs`.
    """

    def __init__(self, *, players, title, parameters, values, structure, payoff_data, payoff_mode,
                 probability, kind):
        self.players = players
        self.title = title
        self.parameters = parameters
        self.values = dict(values)
        self._structure = structure
        self._payoff_data = payoff_data
        self._payoff_mode = payoff_mode  # "int", "fraction", "float" or "symbolic"
        self._probability = probability  # per node: probability of the edge from a chance parent
        self._arithmetic = kind
        for name in ("parent", "node_kind", "node_player", "node_information_set", "first_child", "n_children",
                     "leaf_nodes", "information_set_player"):
            setattr(self, name, structure[name])

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_nested(cls, players: Sequence[str], root, *, title: str = "",
                    parameters: ParameterSpace | None = None) -> "GameTree":
        """Build a tree from nested :func:`decision`, :func:`chance` and :func:`terminal` nodes.

        Examples
        --------
        >>> tree = GameTree.from_nested(("A",), chance({"Heads": ("1/2", terminal(1)),
        ...                                              "Tails": ("1/2", terminal(0))}))
        >>> tree.n_nodes, tree.is_exact
        (3, True)
        """
        players = _check_players(players)
        player_index = {p: i for i, p in enumerate(players)}
        parent, node_player, edge_label, probability, keys, rows, leaf_labels = [], [], [], [], [], [], {}
        labels: dict[str, int] = {}
        names = []

        def where(index):
            path = []
            while index > 0:
                path.append(names[index])
                index = parent[index]
            return f"node {_path_text(reversed(path))!r}"

        queue = deque([(root, -1, None, None)])
        while queue:
            node, par, label, prob = queue.popleft()
            index = len(parent)
            parent.append(par)
            names.append(label)
            edge_label.append(-1 if label is None else labels.setdefault(label, len(labels)))
            probability.append(prob)
            if isinstance(node, Decision):
                if node.player not in player_index:
                    raise TreeError(f"{where(index)}: unknown player {node.player!r} (players: {', '.join(players)})")
                if len(node.actions) == 0 or len(set(node.actions)) != len(node.actions):
                    _check_actions(node.actions, where(index))
                node_player.append(player_index[node.player])
                keys.append(node.information_set)
                for action, child in zip(node.actions, node.children):
                    queue.append((child, index, action, None))
            elif isinstance(node, Chance):
                if len(node.actions) == 0 or len(set(node.actions)) != len(node.actions):
                    _check_actions(node.actions, where(index))
                node_player.append(-1)
                keys.append(None)
                for action, p, child in zip(node.actions, node.probabilities, node.children):
                    queue.append((child, index, action, p))
            elif isinstance(node, Terminal):
                if len(node.payoffs) != len(players):
                    raise TreeError(f"terminal {where(index)}: {len(node.payoffs)} payoffs given, expected "
                                    f"{len(players)} ({', '.join(players)})")
                node_player.append(-1)
                keys.append(None)
                rows.append(node.payoffs)
                if node.label:
                    leaf_labels[index] = node.label
            else:
                raise TreeError(f"{where(index)}: expected decision(...), chance(...) or terminal(...), got {node!r}")
        for label in labels:
            if not isinstance(label, str) or not label.strip():
                raise TreeError(f"action labels must be non-empty strings, got {label!r}")
        return _assemble(players, parent, node_player, edge_label, tuple(labels), rows,
                         probability=probability, infoset_keys=keys, leaf_labels=leaf_labels, title=title,
                         parameters=parameters, is_bfs=True)

    @classmethod
    def from_paths(cls, players: Sequence[str], nodes: Sequence[Mapping], *, title: str = "",
                   parameters: ParameterSpace | None = None, where: str = "") -> "GameTree":
        """Build a tree from a flat list of nodes addressed by the path of actions from the root.

        Each node is a mapping with ``path`` (``"Admit/Accept"``, ``""`` for the root, or a
        sequence of labels) and one of

        * ``player`` and ``actions`` (a decision node), optionally ``information_set``;
        * ``actions`` and ``probabilities`` (a chance node);
        * ``payoffs``: one per player, a list in player order or ``{player: payoff}``
          (a terminal node), optionally ``label``.

        Parameters
        ----------
        where : str
            Prefix of error messages (a file name).

        Examples
        --------
        >>> tree = GameTree.from_paths(("NATO", "Russia"), [
        ...     {"path": "", "player": "NATO", "actions": ["Admit", "Defer"]},
        ...     {"path": "Admit", "player": "Russia", "actions": ["Accept", "Militarise"]},
        ...     {"path": "Admit/Accept", "payoffs": [2, -1]},
        ...     {"path": "Admit/Militarise", "payoffs": [-1, -2]},
        ...     {"path": "Defer", "payoffs": {"NATO": 0, "Russia": 0}}])
        >>> tree.actions("Admit")
        ('Accept', 'Militarise')
        """
        players = _check_players(players)
        prefix = f"{where}: " if where else ""
        specs: dict[tuple, tuple[int, Mapping]] = {}
        for k, spec in enumerate(nodes):
            if not isinstance(spec, Mapping):
                raise TreeError(f"{prefix}nodes[{k}]: expected a table with path and player/actions, "
                                "probabilities or payoffs")
            if "path" not in spec:
                raise TreeError(f"{prefix}nodes[{k}]: missing 'path' (\"\" for the root)")
            path = _parse_path(spec["path"], f"{prefix}nodes[{k}].path")
            if path in specs:
                raise TreeError(f"{prefix}nodes[{k}]: path {_path_text(path)!r} is given twice "
                                f"(also nodes[{specs[path][0]}])")
            specs[path] = (k, spec)
        if () not in specs:
            raise TreeError(f"{prefix}no node has path \"\" (the root)")
        player_index = {p: i for i, p in enumerate(players)}
        parent, node_player, edge_label, probability, keys, rows, leaf_labels = [], [], [], [], [], [], {}
        labels: dict[str, int] = {}
        visited = set()
        queue = deque([((), -1, None)])
        while queue:
            path, par, prob = queue.popleft()
            k, spec = specs[path]
            visited.add(path)
            index = len(parent)
            parent.append(par)
            edge_label.append(-1 if not path else labels.setdefault(path[-1], len(labels)))
            probability.append(prob)
            where_node = f"{prefix}nodes[{k}] (path {_path_text(path)!r})"
            kind = _spec_kind(spec, where_node)
            if kind == "terminal":
                payoffs = spec["payoffs"]
                if isinstance(payoffs, Mapping):
                    unknown = sorted(set(payoffs) - set(players))
                    if unknown:
                        raise TreeError(f"{where_node}: payoffs: unknown player {unknown[0]!r} "
                                        f"(players: {', '.join(players)})")
                    missing = [p for p in players if p not in payoffs]
                    if missing:
                        raise TreeError(f"{where_node}: payoffs: no payoff for {missing[0]}")
                    payoffs = [payoffs[p] for p in players]
                if not isinstance(payoffs, (list, tuple)) or len(payoffs) != len(players):
                    count = len(payoffs) if isinstance(payoffs, (list, tuple)) else 1
                    raise TreeError(f"{where_node}: {count} payoffs given, expected {len(players)} "
                                    f"(one per player: {', '.join(players)})")
                node_player.append(-1)
                keys.append(None)
                rows.append(tuple(payoffs))
                if spec.get("label"):
                    leaf_labels[index] = str(spec["label"])
                continue
            actions = spec["actions"]
            if not isinstance(actions, (list, tuple)):
                raise TreeError(f"{where_node}: actions: expected a list of action labels")
            _check_actions(actions, where_node, path_labels=True)
            if kind == "decision":
                player = spec["player"]
                if player not in player_index:
                    raise TreeError(f"{where_node}: unknown player {player!r} (players: {', '.join(players)})")
                node_player.append(player_index[player])
                key = spec.get("information_set")
                if key is not None and (not isinstance(key, str) or not key.strip()):
                    raise TreeError(f"{where_node}: information_set: expected a non-empty label")
                keys.append(key)
                probabilities = [None] * len(actions)
            else:
                probabilities = spec["probabilities"]
                if not isinstance(probabilities, (list, tuple)) or len(probabilities) != len(actions):
                    count = len(probabilities) if isinstance(probabilities, (list, tuple)) else 1
                    raise TreeError(f"{where_node}: {count} probabilities for {len(actions)} actions")
                node_player.append(-1)
                keys.append(None)
            for action, p in zip(actions, probabilities):
                child = path + (action,)
                if child not in specs:
                    raise TreeError(f"{where_node}: action {action!r} leads to path {_path_text(child)!r}, "
                                    "but no node has that path")
                queue.append((child, index, p))
        for path, (k, _) in specs.items():
            if path not in visited:
                parent_path = path[:-1]
                if parent_path not in specs:
                    reason = f"no node has path {_path_text(parent_path)!r}"
                else:
                    reason = f"node {_path_text(parent_path)!r} has no action {path[-1]!r}"
                raise TreeError(f"{prefix}nodes[{k}]: path {_path_text(path)!r} cannot be reached: {reason}")
        return _assemble(players, parent, node_player, edge_label, tuple(labels), rows,
                         probability=probability, infoset_keys=keys, leaf_labels=leaf_labels, title=title,
                         parameters=parameters, is_bfs=True, where=where)

    @classmethod
    def from_arrays(cls, players: Sequence[str], parent, node_player, action_labels, payoffs, *,
                    labels: Sequence[str] | None = None, probabilities=None, information_sets=None,
                    information_set_labels: Mapping | None = None, leaf_labels: Mapping | None = None,
                    title: str = "", parameters: ParameterSpace | None = None) -> "GameTree":
        """Build a tree from parent pointers (fast, for generated trees).

        Parameters
        ----------
        players : sequence of str
        parent : array_like of int
            Parent of each node, ``-1`` for the root. Nodes may come in any order; the
            children of a node take their order from their indices.
        node_player : array_like of int
            Moving player (index) at decision nodes, ``-1`` at chance nodes; ignored at
            terminal nodes (nodes without children).
        action_labels : array_like
            Label of the action leading to each node (ignored at the root): strings, or
            integer ids into ``labels``.
        payoffs : array_like
            Shape ``(n_leaves, n_players)``: payoffs of the terminal nodes in increasing node
            order. Integer arrays are exact, float arrays floats.
        labels : sequence of str, optional
            The action labels, when ``action_labels`` holds integer ids.
        probabilities : array_like, optional
            Probability of each child of a chance node (other entries are ignored).
        information_sets : array_like, optional
            Information-set key (any hashable; ``None`` or ``-1`` for a singleton) of each node.
        information_set_labels : mapping, optional
            Key -> label of information sets (default: string keys are their own labels, other
            information sets get the path of their node).
        leaf_labels : mapping, optional
            Node index -> label of terminal nodes.

        Examples
        --------
        >>> tree = GameTree.from_arrays(("A", "B"), parent=[-1, 0, 0, 1, 1], node_player=[0, 1, -1, -1, -1],
        ...                             action_labels=["", "L", "R", "l", "r"], payoffs=[[1, 2], [0, 0], [3, 1]])
        >>> tree.leaf_payoffs("R"), tree.leaf_payoffs("L/r")
        ({'A': Fraction(1, 1), 'B': Fraction(2, 1)}, {'A': Fraction(3, 1), 'B': Fraction(1, 1)})
        """
        players = _check_players(players)
        parent = np.asarray(parent, dtype=np.int64)
        n = len(parent)
        node_player = np.asarray(node_player, dtype=np.int64)
        if node_player.shape != (n,):
            raise TreeError(f"node_player has {node_player.size} entries for {n} nodes")
        if labels is None:
            names = list(action_labels)
            if len(names) != n:
                raise TreeError(f"action_labels has {len(names)} entries for {n} nodes")
            table: dict[str, int] = {}
            ids = np.fromiter((table.setdefault(str(x), len(table)) for x in names), dtype=np.int64, count=n)
            labels = tuple(table)
        else:
            labels = tuple(str(x) for x in labels)
            ids = np.asarray(action_labels, dtype=np.int64)
            if ids.shape != (n,):
                raise TreeError(f"action_labels has {ids.size} entries for {n} nodes")
        keys = None
        if information_sets is not None:
            keys = [None if (k is None or (isinstance(k, (int, np.integer)) and k < 0)) else k
                    for k in (information_sets.tolist() if isinstance(information_sets, np.ndarray)
                              else information_sets)]
        return _assemble(players, parent, node_player, ids, labels, payoffs, probability=probabilities,
                         infoset_keys=keys, infoset_labels=information_set_labels,
                         leaf_labels=dict(leaf_labels or {}), title=title, parameters=parameters)

    # ------------------------------------------------------------------ sizes and kinds
    @property
    def n_nodes(self) -> int:
        return len(self.parent)

    @property
    def n_leaves(self) -> int:
        return len(self.leaf_nodes)

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def n_information_sets(self) -> int:
        return len(self.information_set_player)

    #: The kind of model (the ``kind`` of its scenario files; ``kind`` always names the sort of a thing).
    kind = "extensive-form"

    @property
    def arithmetic(self) -> str:
        """``"exact"``, ``"float"`` or ``"symbolic"``: the numbers the model holds."""
        return self._arithmetic

    @property
    def is_exact(self) -> bool:
        return self._arithmetic == "exact"

    @property
    def is_symbolic(self) -> bool:
        return self._arithmetic == "symbolic"

    @property
    def symbols(self) -> dict:
        return self.parameters.symbols

    @property
    def has_chance(self) -> bool:
        return bool(np.any(self.node_kind == CHANCE))

    @cached_property
    def is_perfect_information(self) -> bool:
        """Every information set is a single node."""
        return self.n_information_sets == int(np.sum(self.node_kind == DECISION))

    @cached_property
    def depth(self) -> int:
        """Number of moves on the longest path from the root."""
        return len(self._structure["level_start"]) - 2

    @cached_property
    def has_perfect_recall(self) -> bool:
        """Every player remembers its own earlier information sets and actions.

        Two nodes of one information set must have the same sequence of the owner's own
        (information set, action) pairs on their paths from the root.
        """
        if self.is_perfect_information:
            return True
        for k, members in enumerate(self._information_set_nodes()):
            if len(members) < 2:
                continue
            player = int(self.information_set_player[k])
            histories = {self._own_history(int(j), player) for j in members}
            if len(histories) > 1:
                return False
        return True

    # ------------------------------------------------------------------ nodes and paths
    def _own_history(self, node: int, player: int) -> tuple:
        history = []
        child = node
        current = int(self.parent[node])
        while current >= 0:
            if self.node_kind[current] == DECISION and self.node_player[current] == player:
                history.append((int(self.node_information_set[current]), child - int(self.first_child[current])))
            child = current
            current = int(self.parent[current])
        return tuple(reversed(history))

    def action_label(self, node: int) -> str:
        """Label of the action that leads to ``node`` (``""`` for the root)."""
        if node == 0:
            return ""
        return self._structure["labels"][self._structure["edge_label"][node]]

    def path(self, node: int) -> tuple:
        """The action labels from the root to ``node``."""
        labels = self._structure["labels"]
        edge = self._structure["edge_label"]
        out = []
        while node > 0:
            out.append(labels[edge[node]])
            node = int(self.parent[node])
        return tuple(reversed(out))

    def path_text(self, node: int) -> str:
        """``"Admit/Accept"`` (``""`` for the root)."""
        return _path_text(self.path(node))

    def find(self, path) -> int:
        """The node at ``path`` (``"Admit/Accept"`` or a sequence of labels).

        Examples
        --------
        >>> from negotiation.models.tree import GameTree, decision, terminal
        >>> tree = GameTree.from_nested(("A",), decision("A", L=terminal(1), R=terminal(0)))
        >>> tree.find("R")
        2
        """
        if isinstance(path, (int, np.integer)) and not isinstance(path, bool):
            if 0 <= path < self.n_nodes:
                return int(path)
            raise TreeError(f"no node {path}")
        steps = _parse_path(path, "path")
        node = 0
        labels = self._structure["labels"]
        edge = self._structure["edge_label"]
        for depth, step in enumerate(steps):
            start, count = int(self.first_child[node]), int(self.n_children[node])
            for child in range(start, start + count):
                if labels[edge[child]] == step:
                    node = child
                    break
            else:
                here = _path_text(steps[:depth])
                if count == 0:
                    raise TreeError(f"no node at path {_path_text(steps)!r}: {here or 'the root'!r} is terminal")
                raise TreeError(f"no node at path {_path_text(steps)!r}: {here or 'the root'!r} has no action "
                                f"{step!r} (actions: {', '.join(self.actions(node))})")
        return node

    def children(self, node) -> range:
        """Indices of the children of a node (label, path or index), in action order."""
        node = self.find(node)
        start = int(self.first_child[node])
        return range(start, start + int(self.n_children[node])) if start >= 0 else range(0)

    def actions(self, node) -> tuple:
        """Action labels at a node (label path or index); empty at terminal nodes."""
        node = self.find(node)
        labels = self._structure["labels"]
        edge = self._structure["edge_label"]
        return tuple(labels[edge[c]] for c in self.children(node))

    def chance_probabilities(self, node) -> dict:
        """``{action: probability}`` at a chance node."""
        node = self.find(node)
        if self.node_kind[node] != CHANCE:
            raise TreeError(f"node {self.path_text(node)!r} is not a chance node")
        return {self.action_label(c): self._probability[c] for c in self.children(node)}

    def leaf_payoffs(self, node) -> dict:
        """``{player: payoff}`` at a terminal node (path or index)."""
        node = self.find(node)
        row = int(self._structure["leaf_of_node"][node])
        if row < 0:
            raise TreeError(f"node {self.path_text(node)!r} is not a terminal node")
        return dict(zip(self.players, self.payoffs[row]))

    def leaf_label(self, node) -> str:
        """The label of a terminal node (``""`` if it has none)."""
        return self._structure["leaf_labels"].get(self.find(node), "")

    @property
    def payoffs(self) -> np.ndarray:
        """Payoffs of the terminal nodes, shape ``(n_leaves, n_players)``: ``Fraction``, float or sympy."""
        if self._payoff_mode == "int":
            return self._fraction_payoffs
        return self._payoff_data

    @cached_property
    def _fraction_payoffs(self) -> np.ndarray:
        out = np.empty(self._payoff_data.shape, dtype=object)
        flat = out.reshape(-1)
        flat[:] = [Fraction(int(v)) for v in self._payoff_data.reshape(-1)]
        out.setflags(write=False)
        return out

    @property
    def probabilities(self):
        """Probability of each node's incoming edge where the parent is a chance node (else ``None``/NaN)."""
        return self._probability

    # ------------------------------------------------------------------ information sets
    @cached_property
    def information_set_labels(self) -> tuple:
        """Label of each information set (given labels, else the path of its node; ``"root"``)."""
        given = self._structure["infoset_given"]
        owners = self.information_set_player
        nodes = self._structure["infoset_node"].tolist()
        texts = self._node_labels()
        member_lists = None if self.is_perfect_information else self._information_set_nodes()
        raw = []
        for k in range(len(owners)):
            if k in given:
                raw.append(given[k])
            elif member_lists is not None and len(member_lists[k]) > 1:
                text = " | ".join(texts[int(j)] for j in member_lists[k])
                raw.append(text if len(text) <= 60 else f"{self.players[owners[k]]} information set {k + 1}")
            else:
                raw.append(texts[nodes[k]])
        # unique per player
        seen: dict = {}
        out = []
        for k, label in enumerate(raw):
            key = (int(owners[k]), label)
            count = seen.get(key, 0) + 1
            seen[key] = count
            out.append(label if count == 1 else f"{label} ({count})")
        if len(set(zip(owners.tolist(), out))) != len(out):  # a suffixed label met a given one
            out = [f"{label} [{k + 1}]" for k, label in enumerate(out)]
        return tuple(out)

    def _node_labels(self) -> list:
        """Default label of every node: its path (``"root"`` for the root), abbreviated when deep."""
        cached = self.__dict__.get("_node_label_cache")
        if cached is not None:
            return cached
        labels = self._structure["labels"]
        edge = self._structure["edge_label"].tolist()
        parent = self.parent.tolist()
        depth = self._structure["depth"].tolist()
        paths = [""] * self.n_nodes
        out = [ROOT_LABEL] * self.n_nodes
        for j in range(1, self.n_nodes):
            if depth[j] > MAX_PATH_LABEL_DEPTH:
                out[j] = self._default_node_label(j)
                continue
            base = paths[parent[j]]
            paths[j] = text = (base + PATH_SEPARATOR + labels[edge[j]]) if base else labels[edge[j]]
            out[j] = text
        self.__dict__["_node_label_cache"] = out
        return out

    def _default_node_label(self, node: int) -> str:
        if node == 0:
            return ROOT_LABEL
        depth = int(self._structure["depth"][node])
        if depth <= MAX_PATH_LABEL_DEPTH:
            return self.path_text(node)
        tail = []
        current = node
        for _ in range(3):
            tail.append(self.action_label(current))
            current = int(self.parent[current])
        return f"…/{PATH_SEPARATOR.join(reversed(tail))} (depth {depth}, node {node})"

    @cached_property
    def information_set_actions(self) -> tuple:
        """Action labels of each information set."""
        labels = self._structure["labels"]
        edge = self._structure["edge_label"]
        first = self.first_child
        count = self.n_children
        cache: dict = {}
        out = []
        for node in self._structure["infoset_node"].tolist():
            start = int(first[node])
            ids = tuple(edge[start:start + int(count[node])].tolist())
            actions = cache.get(ids)
            if actions is None:
                actions = cache[ids] = tuple(labels[i] for i in ids)
            out.append(actions)
        return tuple(out)

    def _information_set_index(self) -> dict:
        """``{(player label, information set label): index}``."""
        cached = self.__dict__.get("_information_set_lookup")
        if cached is None:
            players = self.players
            cached = {(players[p], label): k for k, (p, label) in
                      enumerate(zip(self.information_set_player.tolist(), self.information_set_labels))}
            self.__dict__["_information_set_lookup"] = cached
        return cached

    def _information_set_nodes(self) -> list:
        cached = self.__dict__.get("_information_set_members")
        if cached is None:
            decision_nodes = np.flatnonzero(self.node_kind == DECISION)
            order = np.argsort(self.node_information_set[decision_nodes], kind="stable")
            sorted_nodes = decision_nodes[order]
            counts = np.bincount(self.node_information_set[decision_nodes], minlength=self.n_information_sets)
            cached = np.split(sorted_nodes, np.cumsum(counts)[:-1])
            self.__dict__["_information_set_members"] = cached
        return cached

    @property
    def information_sets(self) -> tuple:
        """Every information set as :class:`InformationSet` (label, player, actions, member paths)."""
        members = self._information_set_nodes()
        return tuple(
            InformationSet(label, self.players[int(p)], actions, tuple(self.path_text(int(j)) for j in nodes))
            for label, p, actions, nodes in zip(self.information_set_labels, self.information_set_player,
                                                self.information_set_actions, members))

    def information_set_of(self, node) -> str:
        """Label of the information set of a decision node."""
        node = self.find(node)
        k = int(self.node_information_set[node])
        if k < 0:
            raise TreeError(f"node {self.path_text(node)!r} is not a decision node")
        return self.information_set_labels[k]

    # ------------------------------------------------------------------ numbers for solvers
    def _solver_arrays(self):
        """``(payoffs, probabilities, mode)`` with mode ``"int"`` (int64, no chance), ``"float"`` or ``"object"``."""
        cached = self.__dict__.get("_solver_cache")
        if cached is not None:
            return cached
        if self.is_symbolic:
            raise TreeError("substitute parameter values before solving (tree.substitute(...))")
        mode = self._payoff_mode
        payoffs = self._payoff_data
        probability = self._probability
        if mode == "float":
            result = (payoffs, probability, "float")
        elif mode == "int" and probability is None:
            result = (payoffs, None, "int")
        elif mode == "fraction" and probability is None and _fits_int64(payoffs):
            result = (np.array([[int(v) for v in row] for row in payoffs], dtype=np.int64).reshape(payoffs.shape),
                      None, "int")
        else:
            result = (self.payoffs, probability, "object")
        self.__dict__["_solver_cache"] = result
        return result

    # ------------------------------------------------------------------ transformations
    def substitute(self, values: Mapping | None = None, **kwargs) -> "GameTree":
        """Numeric tree at the given parameter values (missing ones take their defaults).

        Examples
        --------
        >>> import sympy
        >>> from negotiation.models.tree import GameTree, decision, terminal
        >>> c = sympy.Symbol("c")
        >>> tree = GameTree.from_nested(("A",), decision("A", Fight=terminal(1 - c), Yield=terminal(0)))
        >>> tree.substitute(c=2).leaf_payoffs("Fight")
        {'A': Fraction(-1, 1)}
        """
        values = {**(values or {}), **kwargs}
        substitution = self.parameters.substitution(values, symbolic=self.is_symbolic, error=TreeError, what="tree")
        if substitution is None:
            return self
        resolved, replacement = substitution
        cache: dict = {}

        def number(entry, where):
            if not _is_sympy(entry):
                return entry
            if entry in cache:
                return cache[entry]
            value = entry.xreplace(replacement)
            if value.free_symbols:
                raise TreeError(f"{where} still depends on {', '.join(sorted(s.name for s in value.free_symbols))}")
            try:
                result = coerce_number(value, where=where)
            except ValueError as error:
                raise TreeError(str(error)) from None
            cache[entry] = result
            return result

        payoffs = np.empty(self._payoff_data.shape, dtype=object)
        for row, node in enumerate(self.leaf_nodes.tolist()):
            for i, player in enumerate(self.players):
                payoffs[row, i] = number(self._payoff_data[row, i],
                                         f"payoff of {player} at {self.path_text(node)!r}")
        probability = None
        if self._probability is not None:
            probability = np.empty(self.n_nodes, dtype=object)
            for node in np.flatnonzero(self._chance_child_mask()).tolist():
                probability[node] = number(self._probability[node],
                                           f"probability of {self.action_label(node)!r} at chance node "
                                           f"{self.path_text(int(self.parent[node]))!r}")
        return _with_numbers(self, payoffs, probability, resolved, self.parameters)

    def _chance_child_mask(self) -> np.ndarray:
        mask = np.zeros(self.n_nodes, dtype=bool)
        mask[1:] = self.node_kind[self.parent[1:]] == CHANCE
        return mask

    def to_float(self) -> "GameTree":
        """The same tree with float payoffs and probabilities."""
        if self.is_symbolic:
            raise TreeError("substitute parameter values before converting to floats")
        payoffs = np.asarray(self.payoffs, dtype=float)
        probability = None
        if self._probability is not None:
            probability = np.array([np.nan if p is None else float(p) for p in self._probability], dtype=float)
        return _with_numbers(self, payoffs, probability, self.values, self.parameters)

    # ------------------------------------------------------------------ strategic form
    def _reduced_strategies(self):
        """Per player: ``(labels, assignment)``; ``assignment[s, position]`` is the action index of
        strategy ``s`` at the player's ``position``-th information set, ``-1`` where its own earlier
        choices make that information set unreachable."""
        cached = self.__dict__.get("_reduced_cache")
        if cached is not None:
            return cached
        owners = self.information_set_player
        members = self._information_set_nodes()
        actions = self.information_set_actions
        out = []
        for p in range(self.n_players):
            sets = np.flatnonzero(owners == p).tolist()
            position = {k: i for i, k in enumerate(sets)}
            if len(sets) > 400:
                raise TreeError(f"{self.players[p]} has {len(sets)} information sets: the reduced strategic "
                                "form is too large to build")
            histories = [{tuple((position[h], a) for h, a in self._own_history(int(j), p))
                          for j in members[k]} for k in sets]
            assignments = []
            current = [-1] * len(sets)

            def relevant(i):
                for history in histories[i]:
                    if all(h >= i or current[h] == a for h, a in history):
                        return True
                return False

            def enumerate_from(i):
                if len(assignments) > MAX_STRATEGIC_PROFILES:
                    raise TreeError(f"{self.players[p]} has more than {MAX_STRATEGIC_PROFILES} reduced strategies")
                if i == len(sets):
                    assignments.append(tuple(current))
                    return
                if relevant(i):
                    for a in range(len(actions[sets[i]])):
                        current[i] = a
                        enumerate_from(i + 1)
                    current[i] = -1
                else:
                    current[i] = -1
                    enumerate_from(i + 1)

            enumerate_from(0)
            assignment = np.array(assignments, dtype=np.int64).reshape(len(assignments), len(sets))
            labels = []
            for row in assignments:
                parts = [actions[k][a] if a >= 0 else "*" for k, a in zip(sets, row)]
                labels.append(PATH_SEPARATOR.join(parts) if parts else "(no move)")
            labels = _unique_labels(labels)
            out.append((tuple(labels), assignment, tuple(sets)))
        self.__dict__["_reduced_cache"] = out
        return out

    def _chance_reach(self) -> np.ndarray:
        """Probability that chance alone lets the play reach each node (object or float array)."""
        probability = self._probability
        if probability is None:
            return None
        float_mode = probability.dtype != object
        reach = np.ones(self.n_nodes, dtype=float) if float_mode else np.empty(self.n_nodes, dtype=object)
        if not float_mode:
            reach[0] = Fraction(1) if not self.is_symbolic else 1
        starts = self._structure["level_start"]
        chance_child = self._chance_child_mask()
        for d in range(1, len(starts) - 1):
            block = np.arange(starts[d], starts[d + 1])
            parents = self.parent[block]
            values = reach[parents]
            mask = chance_child[block]
            if mask.any():
                values = values.copy()
                values[mask] = values[mask] * probability[block[mask]]
            reach[block] = values
        return reach

    def to_strategic_form(self) -> "Game":
        """The reduced strategic form, as a :class:`negotiation.Game`.

        A pure strategy chooses an action at each of the player's information sets; strategies
        that differ only at information sets their own earlier choices exclude are merged
        (shown as ``*``). Strategy labels join the actions in information-set order with
        ``/``, e.g. ``"Accept/Militarise"``. Payoffs are expected over chance moves; a
        symbolic tree gives a symbolic game.

        Examples
        --------
        >>> from negotiation.models.tree import GameTree, decision, terminal
        >>> centipede = GameTree.from_nested(("Ann", "Bob"), decision("Ann", {
        ...     "Take": terminal(1, 0),
        ...     "Pass": decision("Bob", {"Take": terminal(0, 2),
        ...                              "Pass": decision("Ann", {"Take": terminal(3, 1), "Pass": terminal(2, 4)})})}))
        >>> centipede.to_strategic_form().strategies
        (('Take/*', 'Pass/Take', 'Pass/Pass'), ('Take', 'Pass'))
        """
        from negotiation.models.game import Game

        reduced = self._reduced_strategies()
        shape = tuple(len(labels) for labels, _, _ in reduced)
        if math.prod(shape) > MAX_STRATEGIC_PROFILES:
            raise TreeError(f"the reduced strategic form has {math.prod(shape)} profiles "
                            f"(more than {MAX_STRATEGIC_PROFILES})")
        reach_by_player = self._leaf_reach(reduced)
        chance_reach = self._chance_reach()
        float_mode = self._payoff_mode == "float"
        payoffs = self.payoffs
        tensor = np.zeros(shape + (self.n_players,), dtype=float if float_mode else object)
        if not float_mode:
            tensor.fill(Fraction(0) if not self.is_symbolic else 0)
        everyone = np.arange(self.n_players)
        for row, node in enumerate(self.leaf_nodes.tolist()):
            weight = 1 if chance_reach is None else chance_reach[node]
            if weight == 0:
                continue
            index = [np.flatnonzero(reach[:, row]) for reach in reach_by_player]
            if any(len(i) == 0 for i in index):
                continue
            values = payoffs[row] if weight == 1 else np.array([weight * v for v in payoffs[row]], dtype=object)
            tensor[np.ix_(*index, everyone)] += values
        return Game(self.players, tuple(labels for labels, _, _ in reduced), tensor, title=self.title,
                    parameters=self.parameters, values=self.values)

    def _leaf_reach(self, reduced) -> list:
        """Per player, a boolean matrix (strategies × leaves): does the strategy allow the leaf?"""
        out = []
        for p, (labels, assignment, sets) in enumerate(reduced):
            position = {k: i for i, k in enumerate(sets)}
            reach = np.ones((len(labels), self.n_leaves), dtype=bool)
            for row, node in enumerate(self.leaf_nodes.tolist()):
                for h, a in self._own_history(int(node), p):
                    reach[:, row] &= assignment[:, position[h]] == a
            out.append(reach)
        return out

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict:
        """JSON-ready description (schema ``negotiation.models.tree/1``): one entry per node, addressed by path.

        Exact numbers are strings (``"3/4"``), floats numbers, symbolic ones expression strings.
        """
        nodes = []
        for node in self._preorder():
            entry: dict = {"path": list(self.path(node))}
            kind = self.node_kind[node]
            if kind == DECISION:
                entry["player"] = self.players[int(self.node_player[node])]
                entry["actions"] = list(self.actions(node))
                k = int(self.node_information_set[node])
                label = self.information_set_labels[k]
                if label != self._node_labels()[node] or len(self._information_set_nodes()[k]) > 1:
                    entry["information_set"] = label
            elif kind == CHANCE:
                entry["actions"] = list(self.actions(node))
                entry["probabilities"] = [json_number(self._probability[c]) for c in self.children(node)]
            else:
                row = int(self._structure["leaf_of_node"][node])
                entry["payoffs"] = [json_number(v) for v in self.payoffs[row]]
                label = self._structure["leaf_labels"].get(node)
                if label:
                    entry["label"] = label
            nodes.append(entry)
        data = {"schema": SCHEMA, "title": self.title, "players": list(self.players), "nodes": nodes}
        if self.is_symbolic:
            data["parameters"] = list(self.parameters.names)
        if self.values:
            data["values"] = {k: json_number(v) for k, v in self.values.items()}
        return data

    @classmethod
    def from_dict(cls, data: Mapping, *, source: str = "<dict>") -> "GameTree":
        """Inverse of :meth:`to_dict`; expression strings go through the safe parser."""
        from negotiation.core.expressions import parse_expression

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
                        return Fraction(text)
                    except (ValueError, ZeroDivisionError):
                        return parse_expression(text, symbols, where=where)
                raise TreeError(f"{where}: expected a number or an expression string, got {text!r}")

            nodes = []
            for k, entry in enumerate(data["nodes"]):
                spec = dict(entry)
                spec["path"] = tuple(entry["path"])
                if "payoffs" in spec:
                    spec["payoffs"] = [value(v, f"{source}: nodes[{k}].payoffs") for v in spec["payoffs"]]
                if "probabilities" in spec:
                    spec["probabilities"] = [value(v, f"{source}: nodes[{k}].probabilities")
                                             for v in spec["probabilities"]]
                nodes.append(spec)
            players = list(data["players"])
        except (KeyError, TypeError, AttributeError) as error:
            raise TreeError(f"{source}: not a {SCHEMA} object (missing or malformed {error})") from None
        return cls.from_paths(players, nodes, title=data.get("title", ""),
                              parameters=space if space.parameters else None, where=source)

    def _preorder(self):
        """Node indices in depth-first (prefix) order, as in Gambit files."""
        first = self.first_child
        count = self.n_children
        stack = [0]
        while stack:
            node = stack.pop()
            yield node
            start = int(first[node])
            if start >= 0:
                stack.extend(range(start + int(count[node]) - 1, start - 1, -1))

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        title = f"{self.title!r}, " if self.title else ""
        information = "perfect information" if self.is_perfect_information else "imperfect information"
        return (f"GameTree({title}{self.n_nodes} nodes, {self.n_leaves} terminal, "
                f"players={list(self.players)}, {self.arithmetic}, {information})")

    def to_text(self, max_lines: int = 200) -> str:
        """An indented outline of the tree (depth first), cut after ``max_lines`` lines.

        Examples
        --------
        >>> from negotiation.models.tree import GameTree, decision, terminal
        >>> print(GameTree.from_nested(("A", "B"), decision("A", {"L": terminal(1, 0),
        ...       "R": decision("B", {"l": terminal(0, 1), "r": terminal(2, 2)})})).to_text())
        root: A chooses (L, R)
          L: payoffs A 1, B 0
          R: B chooses (l, r)
            l: payoffs A 0, B 1
            r: payoffs A 2, B 2
        """
        lines = []
        depth = self._structure["depth"]
        for node in self._preorder():
            if len(lines) >= max_lines:
                lines.append(f"… ({self.n_nodes - max_lines} more nodes)")
                break
            indent = "  " * int(depth[node])
            name = self.action_label(node) if node else ROOT_LABEL
            kind = self.node_kind[node]
            if kind == DECISION:
                k = int(self.node_information_set[node])
                player = self.players[int(self.node_player[node])]
                text = f"{player} chooses ({', '.join(self.actions(node))})"
                label = self.information_set_labels[k]
                members = self._information_set_nodes()[k] if not self.is_perfect_information else ()
                if len(members) > 1:
                    text += f" [information set {label!r}]"
            elif kind == CHANCE:
                parts = [f"{self.action_label(c)} {_show(self._probability[c])}" for c in self.children(node)]
                text = "chance: " + ", ".join(parts)
            else:
                row = int(self._structure["leaf_of_node"][node])
                text = "payoffs " + ", ".join(f"{p} {_show(v)}" for p, v in zip(self.players, self.payoffs[row]))
                label = self._structure["leaf_labels"].get(node)
                if label:
                    text = f"{label}: {text}"
            lines.append(f"{indent}{name}: {text}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return f"**{self.title or 'Game tree'}** ({', '.join(self.players)})\n\n```\n{self.to_text(100)}\n```"

    def _repr_html_(self) -> str:
        import html

        header = html.escape(f"{self.title or 'Game tree'} — {', '.join(self.players)}; "
                             f"{self.n_nodes} nodes, {self.arithmetic}")
        return f"<div><strong>{header}</strong><pre>{html.escape(self.to_text(100))}</pre></div>"

    def plot(self, result=None, **options):
        """Draw the tree (matplotlib), highlighting an equilibrium of ``result``; see
        :func:`negotiation.report.trees.plot_tree`."""
        from negotiation.report.trees import plot_tree

        return plot_tree(self, result, **options)


# ---------------------------------------------------------------------- assembly and validation
def _check_players(players) -> tuple:
    players = tuple(players)
    if not players:
        raise TreeError("a game tree needs at least one player")
    for player in players:
        if not isinstance(player, str) or not player.strip():
            raise TreeError(f"player labels must be non-empty strings, got {player!r}")
    if len(set(players)) != len(players):
        duplicate = next(p for p in players if players.count(p) > 1)
        raise TreeError(f"duplicate player label {duplicate!r}")
    return players


def _check_actions(actions, where, path_labels=False) -> None:
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


def _spec_kind(spec, where) -> str:
    known = {"path", "player", "actions", "probabilities", "payoffs", "information_set", "label"}
    unknown = sorted(set(spec) - known)
    if unknown:
        raise TreeError(f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(known))})")
    has_payoffs = "payoffs" in spec
    has_player = "player" in spec
    has_probabilities = "probabilities" in spec
    has_actions = "actions" in spec
    if has_payoffs:
        if has_player or has_probabilities or has_actions or "information_set" in spec:
            raise TreeError(f"{where}: a terminal node has payoffs only (no player, actions or probabilities)")
        return "terminal"
    if "label" in spec:
        raise TreeError(f"{where}: only terminal nodes have a label")
    if not has_actions:
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


def _parse_path(path, where) -> tuple:
    if isinstance(path, str):
        text = path.strip()
        if not text:
            return ()
        parts = tuple(part.strip() for part in text.split(PATH_SEPARATOR))
        if any(not part for part in parts):
            raise TreeError(f"{where}: {path!r} has an empty action label (write actions separated by "
                            f"{PATH_SEPARATOR!r}, \"\" for the root)")
        return parts
    if isinstance(path, (list, tuple)) and all(isinstance(part, str) for part in path):
        return tuple(path)
    raise TreeError(f"{where}: expected a path such as \"Admit/Accept\", got {path!r}")


def _path_text(path) -> str:
    return PATH_SEPARATOR.join(path)


def _show(value) -> str:
    return format_number(value) if not _is_sympy(value) else str(value)


def _unique_labels(labels) -> list:
    seen: dict = {}
    out = []
    for label in labels:
        count = seen.get(label, 0) + 1
        seen[label] = count
        out.append(label if count == 1 else f"{label} ({count})")
    return out


def _fits_int64(payoffs) -> bool:
    limit = 2 ** 60
    return all(isinstance(v, Fraction) and v.denominator == 1 and -limit < v.numerator < limit
               for v in payoffs.reshape(-1))


def _depths(parent: np.ndarray, edge_name) -> np.ndarray:
    """Depth of every node by pointer jumping; raises on a cycle."""
    depth = (parent >= 0).astype(np.int64)
    jump = parent.copy()
    for _ in range(70):
        active = np.flatnonzero(jump >= 0)
        if active.size == 0:
            return depth
        targets = jump[active]
        new_depth = depth.copy()
        new_depth[active] += depth[targets]
        new_jump = jump.copy()
        new_jump[active] = jump[targets]
        depth, jump = new_depth, new_jump
    node = int(np.flatnonzero(jump >= 0)[0])
    raise TreeError(f"the node reached by action {edge_name(node)!r} lies on a cycle: following its parents "
                    "never reaches the root")


def _bfs_order(parent: np.ndarray, edge_name):
    """New order (new position -> old index) listing nodes breadth first; ``None`` if already so."""
    n = len(parent)
    if parent[0] == -1 and (n == 1 or (np.all(np.diff(parent[1:]) >= 0) and np.all(parent[1:] < np.arange(1, n)))):
        return None
    depth = _depths(parent, edge_name)
    by_depth = np.argsort(depth, kind="stable")
    counts = np.bincount(depth)
    position = np.full(n, -1, dtype=np.int64)
    position[by_depth[0]] = 0
    pieces = [by_depth[:1]]
    start = 1
    for d in range(1, len(counts)):
        nodes = by_depth[start:start + counts[d]]
        start += counts[d]
        nodes = nodes[np.argsort(position[parent[nodes]], kind="stable")]
        position[nodes] = np.arange(start - counts[d], start)
        pieces.append(nodes)
    return np.concatenate(pieces)


def _normalise_numbers(values, where_of, kind_name):
    """Coerce a 1-D or 2-D collection of payoffs/probabilities: ``(array, mode)``.

    mode is ``"int"`` (int64 array), ``"float"``, ``"fraction"`` (object array of Fraction)
    or ``"symbolic"`` (object array of sympy expressions).
    """
    array = values if isinstance(values, np.ndarray) else None
    if array is not None and array.dtype.kind in "iu":
        return array.astype(np.int64), "int"
    if array is not None and array.dtype.kind == "f":
        array = array.astype(float)
        if not np.all(np.isfinite(array)):
            bad = np.argwhere(~np.isfinite(array))[0]
            raise TreeError(f"{where_of(tuple(bad))}: expected a finite number, got {array[tuple(bad)]}")
        return array, "float"
    if array is None:
        array = np.empty(_shape_of(values), dtype=object)
        if array.ndim == 2:
            for i, row in enumerate(values):
                array[i, :] = list(row)
        else:
            array[:] = list(values)
    else:
        array = array.astype(object)
    symbolic = False
    any_float = False
    out = np.empty(array.shape, dtype=object)
    for position, entry in np.ndenumerate(array):
        if _is_sympy(entry) and getattr(entry, "free_symbols", None):
            import sympy

            if entry.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
                raise TreeError(f"{where_of(position)}: {entry} is not finite")
            symbolic = True
            out[position] = entry
            continue
        if isinstance(entry, Fraction):
            number = entry
        else:
            try:
                number = coerce_number(entry)
            except ValueError:
                try:  # again, for the message naming the entry (built only on errors: paths can be long)
                    coerce_number(entry, where=where_of(position))
                except ValueError as error:
                    raise TreeError(str(error)) from None
                raise
        any_float |= isinstance(number, float)
        out[position] = number
    if symbolic:
        return _to_sympy_array(out), "symbolic"
    if any_float:
        return out.astype(float), "float"
    return out, "fraction"


def _shape_of(values):
    values = list(values)
    if values and isinstance(values[0], (list, tuple, np.ndarray)):
        return (len(values), len(values[0]))
    return (len(values),)


def _to_sympy_array(array):
    import sympy

    out = np.empty(array.shape, dtype=object)
    for position, entry in np.ndenumerate(array):
        if _is_sympy(entry):
            out[position] = entry
        elif isinstance(entry, Fraction):
            out[position] = sympy.Rational(entry.numerator, entry.denominator)
        elif isinstance(entry, (int, np.integer)):
            out[position] = sympy.Integer(int(entry))
        else:
            out[position] = sympy.Float(float(entry))
    return out


def _assemble(players, parent, node_player, edge_label, labels, leaf_payoffs, *, probability=None,
              infoset_keys=None, infoset_labels=None, leaf_labels=None, title="", parameters=None, values=None,
              is_bfs=False, where="") -> GameTree:
    """Validate flat node data, put it in breadth-first order and build the tree."""
    prefix = f"{where}: " if where else ""
    players = _check_players(players)
    parent = np.asarray(parent, dtype=np.int64)
    node_player = np.asarray(node_player, dtype=np.int64)
    edge_label = np.asarray(edge_label, dtype=np.int64)
    n = len(parent)
    if n == 0:
        raise TreeError(f"{prefix}a tree needs at least one node")
    roots = np.flatnonzero(parent < 0)
    if len(roots) != 1:
        raise TreeError(f"{prefix}a tree has exactly one root (a node with parent -1), found {len(roots)}")
    if parent.max() >= n:
        raise TreeError(f"{prefix}parent index {int(parent.max())} is not a node (there are {n} nodes)")
    if np.any(edge_label[parent >= 0] < 0) or (len(labels) and edge_label.max() >= len(labels)):
        raise TreeError(f"{prefix}every node but the root needs an action label")

    def edge_name(node):
        return labels[edge_label[node]] if edge_label[node] >= 0 else ""

    if np.any(parent == np.arange(n)):
        node = int(np.flatnonzero(parent == np.arange(n))[0])
        raise TreeError(f"{prefix}the node reached by action {edge_name(node)!r} is its own parent (a cycle)")
    old_is_leaf = np.bincount(parent[parent >= 0], minlength=n) == 0
    payoff_rows = leaf_payoffs
    if not is_bfs:
        order = _bfs_order(parent, edge_name)
        if order is not None:
            position = np.empty(n, dtype=np.int64)
            position[order] = np.arange(n)
            old_parent = parent[order]
            parent = np.where(old_parent >= 0, position[np.maximum(old_parent, 0)], -1)
            node_player = node_player[order]
            edge_label = edge_label[order]
            if probability is not None:
                probability = (probability[order] if isinstance(probability, np.ndarray)
                               else [probability[i] for i in order.tolist()])
            if infoset_keys is not None:
                infoset_keys = [infoset_keys[i] for i in order.tolist()]
            leaf_rank = np.cumsum(old_is_leaf) - 1
            rows = leaf_rank[order[old_is_leaf[order]]]
            payoff_rows = (np.asarray(leaf_payoffs)[rows] if isinstance(leaf_payoffs, np.ndarray)
                           else [leaf_payoffs[i] for i in rows.tolist()])
            if leaf_labels:
                leaf_labels = {int(position[k]): v for k, v in leaf_labels.items()}
    n_children = np.bincount(parent[1:], minlength=n).astype(np.int64)
    is_leaf = n_children == 0
    first_child = np.full(n, -1, dtype=np.int64)
    inner = np.flatnonzero(~is_leaf)
    first_child[inner] = np.searchsorted(parent, inner, side="left")
    n_players = len(players)
    if np.any((node_player[~is_leaf] < -1) | (node_player[~is_leaf] >= n_players)):
        node = int(inner[np.flatnonzero((node_player[inner] < -1) | (node_player[inner] >= n_players))[0]])
        raise TreeError(f"{prefix}node {_path_of(parent, edge_label, labels, node)!r}: player index "
                        f"{int(node_player[node])} is not a player (0 to {n_players - 1})")
    node_kind = np.where(is_leaf, TERMINAL, np.where(node_player >= 0, DECISION, CHANCE)).astype(np.int8)
    node_player = np.where(node_kind == DECISION, node_player, -1)
    # distinct action labels at each node
    if n > 1:
        order = np.lexsort((edge_label[1:], parent[1:]))
        p_sorted = parent[1:][order]
        l_sorted = edge_label[1:][order]
        same = (p_sorted[1:] == p_sorted[:-1]) & (l_sorted[1:] == l_sorted[:-1])
        if same.any():
            k = int(np.flatnonzero(same)[0])
            node = int(p_sorted[k])
            raise TreeError(f"{prefix}node {_path_of(parent, edge_label, labels, node)!r} has two actions "
                            f"labelled {labels[int(l_sorted[k])]!r}")
    # depth and levels (breadth-first order: each level is a block)
    depth = np.zeros(n, dtype=np.int64)
    if n > 1:
        # parent index < child index in breadth-first order: one pass per level
        level_start = [0, 1]
        while level_start[-1] < n:
            last_of_previous = level_start[-1] - 1
            # children of the previous level end where the parents of later nodes exceed it
            end = int(np.searchsorted(parent, last_of_previous, side="right"))
            if end <= level_start[-1]:
                raise TreeError(f"{prefix}the nodes are not connected to the root")
            depth[level_start[-1]:end] = len(level_start) - 1
            level_start.append(end)
    else:
        level_start = [0, 1]
    level_start = np.asarray(level_start, dtype=np.int64)
    # information sets
    decision_nodes = np.flatnonzero(node_kind == DECISION)
    node_infoset = np.full(n, -1, dtype=np.int64)
    infoset_given: dict = {}
    if infoset_keys is None or all(k is None for k in infoset_keys):
        node_infoset[decision_nodes] = np.arange(len(decision_nodes))
        infoset_node = decision_nodes.copy()
    else:
        index: dict = {}
        representatives = []
        for node in decision_nodes.tolist():
            key = infoset_keys[node]
            if key is None:
                node_infoset[node] = len(representatives)
                representatives.append(node)
                continue
            k = index.get(key)
            if k is None:
                k = index[key] = len(representatives)
                representatives.append(node)
                label = infoset_labels.get(key) if infoset_labels is not None else (
                    key if isinstance(key, str) else None)
                if label:
                    infoset_given[k] = str(label)
            else:
                first = representatives[k]
                here = _path_of(parent, edge_label, labels, node)
                there = _path_of(parent, edge_label, labels, first)
                if node_player[first] != node_player[node]:
                    raise TreeError(
                        f"{prefix}information set {str(key)!r}: node {here!r} belongs to "
                        f"{players[node_player[node]]} but node {there!r} to {players[node_player[first]]}")
                a = edge_label[first_child[first]:first_child[first] + n_children[first]].tolist()
                b = edge_label[first_child[node]:first_child[node] + n_children[node]].tolist()
                if a != b:
                    raise TreeError(
                        f"{prefix}information set {str(key)!r}: node {here!r} has actions "
                        f"({', '.join(labels[i] for i in b)}) but node {there!r} has "
                        f"({', '.join(labels[i] for i in a)})")
            node_infoset[node] = k
        infoset_node = np.asarray(representatives, dtype=np.int64)
    infoset_player = node_player[infoset_node].astype(np.int64) if len(infoset_node) else np.zeros(0, np.int64)
    leaf_nodes = np.flatnonzero(is_leaf)
    leaf_of_node = np.full(n, -1, dtype=np.int64)
    leaf_of_node[leaf_nodes] = np.arange(len(leaf_nodes))

    def where_payoff(position):
        row = position[0]
        player = players[position[1]] if len(position) > 1 else "?"
        return (f"{prefix}payoff of {player} at "
                f"{_path_text(_path_of_tuple(parent, edge_label, labels, int(leaf_nodes[row])))!r}")

    # payoffs
    if isinstance(payoff_rows, np.ndarray) and payoff_rows.dtype != object:
        array = payoff_rows
    else:
        rows = list(payoff_rows)
        if len(rows) != len(leaf_nodes):
            raise TreeError(f"{prefix}{len(rows)} payoff rows for {len(leaf_nodes)} terminal nodes")
        for row_index, row in enumerate(rows):
            if not isinstance(row, (list, tuple, np.ndarray)) or len(row) != n_players:
                count = len(row) if isinstance(row, (list, tuple, np.ndarray)) else 1
                node = int(leaf_nodes[row_index])
                raise TreeError(f"{prefix}terminal node {_path_of(parent, edge_label, labels, node)!r}: "
                                f"{count} payoffs given, expected {n_players} ({', '.join(players)})")
        array = rows
    if isinstance(array, np.ndarray) and array.shape != (len(leaf_nodes), n_players):
        raise TreeError(f"{prefix}payoffs have shape {array.shape}, expected ({len(leaf_nodes)}, {n_players}) "
                        "(one row per terminal node, one column per player)")
    if len(leaf_nodes) == 0:
        raise TreeError(f"{prefix}a tree needs a terminal node")
    payoff_data, payoff_mode = _normalise_numbers(array, where_payoff, "payoff")
    # chance probabilities
    chance_child = np.zeros(n, dtype=bool)
    chance_child[1:] = node_kind[parent[1:]] == CHANCE
    prob_data, prob_mode = None, None
    if chance_child.any():
        if probability is None:
            raise TreeError(f"{prefix}the tree has chance nodes but no probabilities")
        children = np.flatnonzero(chance_child)
        raw = [probability[i] for i in children.tolist()] if not isinstance(probability, np.ndarray) \
            else probability[children]

        def where_probability(position):
            node = int(children[position[0]])
            return (f"{prefix}probability of {labels[edge_label[node]]!r} at chance node "
                    f"{_path_of(parent, edge_label, labels, int(parent[node]))!r}")

        for k, value in enumerate(raw if not isinstance(raw, np.ndarray) else raw.tolist()):
            if value is None:
                raise TreeError(f"{where_probability((k,))}: missing")
        values_, prob_mode = _normalise_numbers(
            np.asarray(raw) if isinstance(raw, np.ndarray) and raw.dtype.kind in "f" else list(raw),
            where_probability, "probability")
        if prob_mode == "int":
            values_, prob_mode = values_.astype(object), "fraction"
            values_[:] = [Fraction(int(v)) for v in values_]
        prob_data = (values_, children)
    # one number kind for the whole tree
    modes = {payoff_mode, prob_mode} - {None}
    if "symbolic" in modes:
        kind = "symbolic"
    elif "float" in modes:
        kind = "float"
    else:
        kind = "exact"
    if kind == "symbolic":
        if payoff_mode != "symbolic":
            payoff_data = _to_sympy_array(payoff_data.astype(object) if payoff_mode == "int" else payoff_data)
            payoff_mode = "symbolic"
        if prob_data is not None and prob_mode != "symbolic":
            prob_data = (_to_sympy_array(prob_data[0]), prob_data[1])
    elif kind == "float":
        payoff_data = np.asarray(payoff_data, dtype=float) if payoff_mode != "float" else payoff_data
        payoff_mode = "float"
        if prob_data is not None:
            prob_data = (np.asarray(prob_data[0], dtype=float), prob_data[1])
    probability_array = None
    if prob_data is not None:
        values_, children = prob_data
        if kind == "float":
            probability_array = np.full(n, np.nan)
        else:
            probability_array = np.empty(n, dtype=object)
        probability_array[children] = values_
    # symbols and parameters
    parameters = parameters if parameters is not None else ParameterSpace()
    if kind == "symbolic":
        payoff_data, probability_array, parameters = _declare_symbols(payoff_data, probability_array,
                                                                      parameters, prefix)
    structure = {
        "parent": parent, "node_kind": node_kind, "node_player": node_player,
        "node_information_set": node_infoset, "first_child": first_child, "n_children": n_children,
        "leaf_nodes": leaf_nodes, "leaf_of_node": leaf_of_node, "edge_label": edge_label,
        "labels": tuple(labels), "information_set_player": infoset_player, "infoset_node": infoset_node,
        "infoset_given": infoset_given, "leaf_labels": dict(leaf_labels or {}), "depth": depth,
        "level_start": level_start, "prefix": prefix,
    }
    for key, value in structure.items():
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    if payoff_data is not None:
        payoff_data.setflags(write=False)
    tree = GameTree(players=players, title=title, parameters=parameters, values=values or {},
                    structure=structure, payoff_data=payoff_data, payoff_mode=payoff_mode,
                    probability=probability_array, kind=kind)
    _check_probabilities(tree)
    return tree


def _declare_symbols(payoffs, probability, parameters, prefix):
    entries = [e for e in payoffs.reshape(-1)]
    if probability is not None:
        entries += [e for e in probability if e is not None]
    free = set()
    for entry in entries:
        if _is_sympy(entry):
            free |= entry.free_symbols
    names = {s.name for s in free}
    if not parameters.parameters:
        parameters = ParameterSpace.from_names(sorted(names))
    undeclared = sorted(names - set(parameters.names))
    if undeclared:
        raise TreeError(f"{prefix}payoffs or probabilities use undeclared parameter {undeclared[0]!r} "
                        f"(declared: {', '.join(parameters.names) or 'none'})")
    by_name = parameters.symbols
    replacement = {s: by_name[s.name] for s in free if s != by_name[s.name]}
    if replacement:
        payoffs = np.vectorize(lambda e: e.xreplace(replacement) if _is_sympy(e) else e, otypes=[object])(payoffs)
        if probability is not None:
            probability = np.array([e.xreplace(replacement) if _is_sympy(e) else e for e in probability],
                                   dtype=object)
    return payoffs, probability, parameters


def _check_probabilities(tree: GameTree) -> None:
    """Chance probabilities are in [0, 1] and sum to one (exactly, within tolerance, or identically)."""
    probability = tree._probability
    if probability is None:
        return
    prefix = tree._structure["prefix"]
    chance_nodes = np.flatnonzero(tree.node_kind == CHANCE)
    if tree.arithmetic == "float":
        values = probability[tree._chance_child_mask()]
        offsets = np.concatenate(([0], np.cumsum(tree.n_children[chance_nodes])[:-1]))
        sums = np.add.reduceat(values, offsets)
        counts = tree.n_children[chance_nodes]
        bad = np.flatnonzero(np.abs(sums - 1) > PROBABILITY_TOLERANCE * counts)
        negative = np.flatnonzero(values < -PROBABILITY_TOLERANCE)
        if negative.size:
            node = int(np.flatnonzero(tree._chance_child_mask())[negative[0]])
            raise TreeError(f"{prefix}chance node {tree.path_text(int(tree.parent[node]))!r}: probability of "
                            f"{tree.action_label(node)!r} is negative ({probability[node]})")
        if bad.size:
            node = int(chance_nodes[bad[0]])
            raise TreeError(f"{prefix}chance node {tree.path_text(node)!r}: probabilities sum to "
                            f"{sums[bad[0]]:.12g}, not 1")
        return
    for node in chance_nodes.tolist():
        children = tree.children(node)
        values = [probability[c] for c in children]
        where = f"{prefix}chance node {tree.path_text(node)!r}"
        for c, value in zip(children, values):
            if _is_sympy(value) and value.free_symbols:
                continue
            if value < 0 or value > 1:
                raise TreeError(f"{where}: probability of {tree.action_label(c)!r} is {_show(value)}, "
                                "outside [0, 1]")
        total = sum(values)
        if tree.arithmetic == "symbolic":
            import sympy

            difference = sympy.expand(sympy.sympify(total) - 1)
            if difference != 0 and sympy.simplify(difference) != 0:
                raise TreeError(f"{where}: probabilities sum to {sympy.simplify(total)}, not 1")
        elif total != 1:
            raise TreeError(f"{where}: probabilities sum to {_show(total)}, not 1")


def _with_numbers(tree: GameTree, payoffs, probability, values, parameters) -> GameTree:
    """A copy of ``tree`` with new payoffs/probabilities (same structure), re-validated."""
    prefix = tree._structure["prefix"]
    leaf_nodes = tree.leaf_nodes

    def where_payoff(position):
        player = tree.players[position[1]] if len(position) > 1 else "?"
        return f"{prefix}payoff of {player} at {tree.path_text(int(leaf_nodes[position[0]]))!r}"

    payoff_data, payoff_mode = _normalise_numbers(payoffs, where_payoff, "payoff")
    kind = "float" if payoff_mode == "float" else "exact"
    probability_array = None
    if probability is not None:
        children = np.flatnonzero(tree._chance_child_mask())
        raw = [probability[c] for c in children.tolist()]
        if any(isinstance(v, float) for v in raw) or (isinstance(probability, np.ndarray)
                                                      and probability.dtype.kind == "f"):
            kind = "float"
        if kind == "float":
            probability_array = np.full(tree.n_nodes, np.nan)
            probability_array[children] = [float(v) for v in raw]
        else:
            probability_array = np.empty(tree.n_nodes, dtype=object)
            probability_array[children] = [coerce_number(v) for v in raw]
    if kind == "float" and payoff_mode != "float":
        payoff_data = np.asarray(payoff_data, dtype=float)
        payoff_mode = "float"
    payoff_data.setflags(write=False)
    new = GameTree(players=tree.players, title=tree.title, parameters=parameters, values=values,
                   structure=tree._structure, payoff_data=payoff_data, payoff_mode=payoff_mode,
                   probability=probability_array, kind=kind)
    _check_probabilities(new)
    return new


def _path_of_tuple(parent, edge_label, labels, node) -> tuple:
    out = []
    while node > 0:
        out.append(labels[edge_label[node]])
        node = int(parent[node])
    return tuple(reversed(out))


def _path_of(parent, edge_label, labels, node) -> str:
    return _path_text(_path_of_tuple(parent, edge_label, labels, node))
