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
:meth:`GameTree.from_arrays` (parent pointers, for generated trees). This module is the
family's public model module: it offers the node builders and kinds of
:mod:`negotiation.models.tree_nodes` too; the construction itself is in
:mod:`negotiation.models.tree_assembly`, the reduced strategic form in
:mod:`negotiation.models.tree_strategic`.

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

import html
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Mapping, Sequence

import numpy as np

from negotiation.models.base import ParametricModel
from negotiation.core.drawing import plot
from negotiation.core.labels import normalise_label
from negotiation.core.numeric import coerce_number, format_number, is_sympy
from negotiation.core.parameters import ParameterSpace
from negotiation.models.game import Game
from negotiation.models.tree_assembly import assemble, check_probabilities, renumbered
from negotiation.models.tree_nodes import (CHANCE, DECISION, PATH_SEPARATOR, ROOT_LABEL, SCHEMA, TERMINAL, Chance,
                                           Decision, Terminal, TreeError, chance, check_players, decision, parse_path,
                                           path_text, read_nested, read_paths, read_tree_dict, terminal, tree_to_dict)
from negotiation.models.tree_strategic import chance_reach, reduced_strategies, strategic_form

__all__ = ["GameTree", "TreeError", "InformationSet", "Decision", "Chance", "Terminal",
           "decision", "chance", "terminal", "TERMINAL", "DECISION", "CHANCE", "SCHEMA"]

#: Deepest node whose default information-set label is its full path.
MAX_PATH_LABEL_DEPTH = 40
#: Lines of the outline shown in a notebook.
SHOWN_LINES = 100

@dataclass(frozen=True)
class InformationSet:
    """One information set: its owner, label, actions and member nodes (as paths)."""

    label: str
    player: str
    actions: tuple
    nodes: tuple


# ---------------------------------------------------------------------- the tree
class GameTree(ParametricModel):
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
        # shown as written, on one line: no control or bidirectional characters (negotiation.core.labels)
        self.title = normalise_label(title, where="title", what="game title", error=TreeError, normalise=False) \
            if isinstance(title, str) else title
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
        check_probabilities(self)

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
        players = check_players(players)
        flat = read_nested(players, root)
        return cls(title=title, values={}, **assemble(
            players, flat.parent, flat.node_player, flat.edge_label, flat.labels, flat.payoff_rows,
            probability=flat.probability, infoset_keys=flat.information_set_keys, leaf_labels=flat.leaf_labels,
            parameters=parameters, is_bfs=True))

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
        players = check_players(players)
        flat = read_paths(players, nodes, f"{where}: " if where else "")
        return cls(title=title, values={}, **assemble(
            players, flat.parent, flat.node_player, flat.edge_label, flat.labels, flat.payoff_rows,
            probability=flat.probability, infoset_keys=flat.information_set_keys, leaf_labels=flat.leaf_labels,
            parameters=parameters, is_bfs=True, where=where))

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
        players = check_players(players)
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
        return cls(title=title, values={}, **assemble(
            players, parent, node_player, ids, labels, payoffs, probability=probabilities, infoset_keys=keys,
            infoset_labels=information_set_labels, leaf_labels=dict(leaf_labels or {}), parameters=parameters))

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
        return path_text(self.path(node))

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
        steps = parse_path(path, "path")
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
                here = path_text(steps[:depth])
                if count == 0:
                    raise TreeError(f"no node at path {path_text(steps)!r}: {here or 'the root'!r} is terminal")
                raise TreeError(f"no node at path {path_text(steps)!r}: {here or 'the root'!r} has no action "
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
            if not is_sympy(entry):
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
        return self._with_numbers(payoffs, probability, resolved)

    def _chance_child_mask(self) -> np.ndarray:
        mask = np.zeros(self.n_nodes, dtype=bool)
        mask[1:] = self.node_kind[self.parent[1:]] == CHANCE
        return mask

    def _with_numbers(self, payoffs, probability, values) -> "GameTree":
        """The same structure with new payoffs and probabilities (checked), recorded as at ``values``."""
        return GameTree(players=self.players, title=self.title, parameters=self.parameters, values=values,
                        structure=self._structure, **renumbered(self, payoffs, probability))

    def to_float(self) -> "GameTree":
        """The same tree with float payoffs and probabilities."""
        if self.is_symbolic:
            raise TreeError("substitute parameter values before converting to floats")
        payoffs = np.asarray(self.payoffs, dtype=float)
        probability = None
        if self._probability is not None:
            probability = np.array([np.nan if p is None else float(p) for p in self._probability], dtype=float)
        return self._with_numbers(payoffs, probability, self.values)

    # ------------------------------------------------------------------ strategic form
    def _reduced_strategies(self):
        """Per player ``(labels, assignment, information sets)`` of the reduced strategic form
        (:func:`~negotiation.models.tree_strategic.reduced_strategies`), computed once."""
        cached = self.__dict__.get("_reduced_cache")
        if cached is None:
            cached = self.__dict__["_reduced_cache"] = reduced_strategies(self)
        return cached

    def _chance_reach(self) -> np.ndarray | None:
        """Probability that chance alone lets the play reach each node (``None`` without chance)."""
        return chance_reach(self)

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
        return strategic_form(self)

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict:
        """JSON-ready description (schema ``negotiation.models.tree/1``): one entry per node, addressed by path.

        Exact numbers are strings (``"3/4"``), floats numbers, symbolic ones expression strings.
        """
        return tree_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping, *, source: str = "<dict>") -> "GameTree":
        """Inverse of :meth:`to_dict`; expression strings go through the safe parser."""
        return cls.from_paths(**read_tree_dict(data, source))

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
        return f"**{self.title or 'Game tree'}** ({', '.join(self.players)})\n\n```\n{self.to_text(SHOWN_LINES)}\n```"

    def _repr_html_(self) -> str:
        header = html.escape(f"{self.title or 'Game tree'} — {', '.join(self.players)}; "
                             f"{self.n_nodes} nodes, {self.arithmetic}")
        return f"<div><strong>{header}</strong><pre>{html.escape(self.to_text(SHOWN_LINES))}</pre></div>"

    def plot(self, result=None, **options):
        """Draw the tree (matplotlib), highlighting an equilibrium of ``result`` (a solve result of this
        tree); the figure is :func:`negotiation.report.trees.plot_tree`'s, reached through
        :func:`negotiation.core.drawing.plot`. Returns the figure."""
        return plot(self, result, **options)


def _show(value) -> str:
    return format_number(value) if not is_sympy(value) else str(value)


def _fits_int64(payoffs) -> bool:
    limit = 2 ** 60
    return all(isinstance(v, Fraction) and v.denominator == 1 and -limit < v.numerator < limit
               for v in payoffs.reshape(-1))
