"""From flat node data to the arrays of a :class:`~negotiation.models.tree.GameTree`.

:func:`assemble` checks parent pointers, action labels, movers, information sets, payoffs and
chance probabilities (one-line :class:`~negotiation.models.tree_nodes.TreeError` messages that
name the node by its path), puts the nodes in breadth-first order (the children of a node are
consecutive, each depth is a block) and brings every number to one arithmetic for the whole
tree: exact (``Fraction``, or ``int64`` while the payoffs are integers), float or symbolic.
:func:`renumbered` does the number part again for new payoffs on the same structure
(:meth:`GameTree.substitute <negotiation.models.tree.GameTree.substitute>`), and
:func:`check_probabilities` checks the chance moves of a built tree.

The work is vectorised with numpy, so that trees of 10⁵–10⁶ nodes are cheap to build.

Examples
--------
>>> parts = assemble(("A",), parent=[-1, 0, 0], node_player=[0, -1, -1], edge_label=[-1, 0, 1],
...                  labels=("L", "R"), leaf_payoffs=[[1], [0]])
>>> parts["kind"], parts["structure"]["first_child"].tolist()
('exact', [1, -1, -1])
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.core.labels import normalise_label
from negotiation.core.numeric import coerce_number, format_number, is_sympy
from negotiation.core.parameters import ParameterSpace
from negotiation.models.tree_nodes import CHANCE, DECISION, TERMINAL, TreeError, check_players, path_text

__all__ = ["assemble", "renumbered", "check_probabilities", "PROBABILITY_TOLERANCE"]

#: Float chance probabilities must sum to one within this tolerance (times the number of actions).
PROBABILITY_TOLERANCE = 1e-9


class _Paths:
    """The path of a node from parent pointers and edge labels (for error messages)."""

    def __init__(self, parent, edge_label, labels):
        self.parent, self.edge_label, self.labels = parent, edge_label, labels

    def steps(self, node: int) -> tuple:
        out = []
        while node > 0:
            out.append(self.labels[self.edge_label[node]])
            node = int(self.parent[node])
        return tuple(reversed(out))

    def text(self, node: int) -> str:
        return path_text(self.steps(node))


# ---------------------------------------------------------------------- the whole assembly
def assemble(players, parent, node_player, edge_label, labels, leaf_payoffs, *, probability=None,
             infoset_keys=None, infoset_labels=None, leaf_labels=None, parameters=None, is_bfs=False,
             where="") -> dict:
    """Check flat node data and put it in breadth-first order: the keyword arguments of ``GameTree``
    (all but ``title`` and ``values``).

    ``parent``, ``node_player``, ``edge_label`` (ids into ``labels``), ``probability`` and
    ``infoset_keys`` have one entry per node; ``leaf_payoffs`` one row per terminal node in node
    order; ``is_bfs`` says the nodes already are breadth first; ``where`` starts error messages.
    """
    prefix = f"{where}: " if where else ""
    players = check_players(players)
    parent = np.asarray(parent, dtype=np.int64)
    node_player = np.asarray(node_player, dtype=np.int64)
    edge_label = np.asarray(edge_label, dtype=np.int64)
    _check_links(parent, edge_label, labels, prefix)
    labels, edge_label = _normalised_labels(labels, edge_label, prefix)
    leaf_labels = {node: normalise_label(str(text), where=f"{prefix}leaf labels", error=TreeError)
                   for node, text in (leaf_labels or {}).items()}
    if not is_bfs:
        order = _bfs_order(parent, lambda node: labels[edge_label[node]] if edge_label[node] >= 0 else "")
        if order is not None:
            parent, node_player, edge_label, probability, infoset_keys, leaf_payoffs, leaf_labels = _reordered(
                order, parent, node_player, edge_label, probability, infoset_keys, leaf_payoffs, leaf_labels)
    paths = _Paths(parent, edge_label, labels)
    n = len(parent)
    n_children = np.bincount(parent[1:], minlength=n).astype(np.int64)
    is_leaf = n_children == 0
    first_child = np.full(n, -1, dtype=np.int64)
    inner = np.flatnonzero(~is_leaf)
    first_child[inner] = np.searchsorted(parent, inner, side="left")
    node_kind, node_player = _node_kinds(is_leaf, node_player, len(players), paths, prefix)
    _check_distinct_actions(parent, edge_label, labels, paths, prefix)
    depth, level_start = _levels(parent, prefix)
    node_infoset, infoset_node, infoset_given = _information_sets(
        node_kind, node_player, first_child, n_children, edge_label, labels, infoset_keys, infoset_labels,
        players, paths, prefix)
    infoset_player = node_player[infoset_node].astype(np.int64) if len(infoset_node) else np.zeros(0, np.int64)
    leaf_nodes = np.flatnonzero(is_leaf)
    leaf_of_node = np.full(n, -1, dtype=np.int64)
    leaf_of_node[leaf_nodes] = np.arange(len(leaf_nodes))
    payoff_data, payoff_mode = _payoff_numbers(leaf_payoffs, leaf_nodes, players, paths, prefix)
    chance_numbers = _chance_numbers(probability, node_kind, parent, edge_label, labels, paths, prefix)
    kind, payoff_data, payoff_mode, probability_array = _one_arithmetic(payoff_data, payoff_mode, chance_numbers,
                                                                        n)
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
    for value in structure.values():
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    payoff_data.setflags(write=False)
    return {"players": players, "parameters": parameters, "structure": structure, "payoff_data": payoff_data,
            "payoff_mode": payoff_mode, "probability": probability_array, "kind": kind}


# ---------------------------------------------------------------------- structure
def _check_links(parent, edge_label, labels, prefix) -> None:
    """One root, parents that are nodes, an action label on every edge, no node its own parent."""
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
    if np.any(parent == np.arange(n)):
        node = int(np.flatnonzero(parent == np.arange(n))[0])
        name = labels[edge_label[node]] if edge_label[node] >= 0 else ""
        raise TreeError(f"{prefix}the node reached by action {name!r} is its own parent (a cycle)")


def _reordered(order, parent, node_player, edge_label, probability, infoset_keys, leaf_payoffs, leaf_labels):
    """Every per-node input in the new order (``order[new position] = old index``)."""
    n = len(parent)
    old_is_leaf = np.bincount(parent[parent >= 0], minlength=n) == 0
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    old_parent = parent[order]
    parent = np.where(old_parent >= 0, position[np.maximum(old_parent, 0)], -1)
    if probability is not None:
        probability = (probability[order] if isinstance(probability, np.ndarray)
                       else [probability[i] for i in order.tolist()])
    if infoset_keys is not None:
        infoset_keys = [infoset_keys[i] for i in order.tolist()]
    leaf_rank = np.cumsum(old_is_leaf) - 1
    rows = leaf_rank[order[old_is_leaf[order]]]
    leaf_payoffs = (np.asarray(leaf_payoffs)[rows] if isinstance(leaf_payoffs, np.ndarray)
                    else [leaf_payoffs[i] for i in rows.tolist()])
    if leaf_labels:
        leaf_labels = {int(position[k]): v for k, v in leaf_labels.items()}
    return parent, node_player[order], edge_label[order], probability, infoset_keys, leaf_payoffs, leaf_labels


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


def _node_kinds(is_leaf, node_player, n_players, paths, prefix):
    """The kind of every node (terminal without children, decision with a mover, else chance) and the movers."""
    inner = np.flatnonzero(~is_leaf)
    if np.any((node_player[~is_leaf] < -1) | (node_player[~is_leaf] >= n_players)):
        node = int(inner[np.flatnonzero((node_player[inner] < -1) | (node_player[inner] >= n_players))[0]])
        raise TreeError(f"{prefix}node {paths.text(node)!r}: player index "
                        f"{int(node_player[node])} is not a player (0 to {n_players - 1})")
    node_kind = np.where(is_leaf, TERMINAL, np.where(node_player >= 0, DECISION, CHANCE)).astype(np.int8)
    return node_kind, np.where(node_kind == DECISION, node_player, -1)


def _normalised_labels(labels, edge_label, prefix):
    """The action labels in NFKC (:mod:`negotiation.core.labels`) and the edges' ids into them: labels that
    became one (``ﬁ``, ``fi``) share an id, so that one node cannot offer both."""
    texts = [normalise_label(text, where=f"{prefix}actions", what="action label", error=TreeError) for text in labels]
    ids: dict = {}
    remap = np.asarray([ids.setdefault(text, len(ids)) for text in texts] or [0], dtype=np.int64)
    if len(ids) == len(texts):
        return tuple(texts), edge_label
    return tuple(ids), np.where(edge_label >= 0, remap[np.maximum(edge_label, 0)], -1)


def _check_distinct_actions(parent, edge_label, labels, paths, prefix) -> None:
    if len(parent) <= 1:
        return
    order = np.lexsort((edge_label[1:], parent[1:]))
    p_sorted = parent[1:][order]
    l_sorted = edge_label[1:][order]
    same = (p_sorted[1:] == p_sorted[:-1]) & (l_sorted[1:] == l_sorted[:-1])
    if same.any():
        k = int(np.flatnonzero(same)[0])
        raise TreeError(f"{prefix}node {paths.text(int(p_sorted[k]))!r} has two actions "
                        f"labelled {labels[int(l_sorted[k])]!r}")


def _levels(parent, prefix):
    """``(depth of every node, first node of every depth)``; breadth-first order makes each depth a block."""
    n = len(parent)
    depth = np.zeros(n, dtype=np.int64)
    level_start = [0, 1]
    if n > 1:
        # parent index < child index in breadth-first order: one pass per level
        while level_start[-1] < n:
            last_of_previous = level_start[-1] - 1
            # children of the previous level end where the parents of later nodes exceed it
            end = int(np.searchsorted(parent, last_of_previous, side="right"))
            if end <= level_start[-1]:
                raise TreeError(f"{prefix}the nodes are not connected to the root")
            depth[level_start[-1]:end] = len(level_start) - 1
            level_start.append(end)
    return depth, np.asarray(level_start, dtype=np.int64)


def _information_sets(node_kind, node_player, first_child, n_children, edge_label, labels, infoset_keys,
                      infoset_labels, players, paths, prefix):
    """``(information set of each node, a representative node of each set, {set: given label})``.

    Decision nodes with the same key form one set; they must have the same mover and the same actions.
    """
    decision_nodes = np.flatnonzero(node_kind == DECISION)
    node_infoset = np.full(len(node_kind), -1, dtype=np.int64)
    if infoset_keys is None or all(k is None for k in infoset_keys):
        node_infoset[decision_nodes] = np.arange(len(decision_nodes))
        return node_infoset, decision_nodes.copy(), {}
    given: dict = {}
    index: dict = {}
    representatives = []
    for node in decision_nodes.tolist():
        key = infoset_keys[node]
        k = None if key is None else index.get(key)
        if k is None:
            k = len(representatives)
            representatives.append(node)
            if key is not None:
                index[key] = k
                label = infoset_labels.get(key) if infoset_labels is not None else (
                    key if isinstance(key, str) else None)
                if label:
                    given[k] = normalise_label(str(label), where=f"{prefix}information sets", error=TreeError)
        else:
            first = representatives[k]
            here, there = paths.text(node), paths.text(first)
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
    return node_infoset, np.asarray(representatives, dtype=np.int64), given


# ---------------------------------------------------------------------- numbers
def _payoff_numbers(payoff_rows, leaf_nodes, players, paths, prefix):
    """The payoffs as one array (shape ``(n_leaves, n_players)``) and its number mode."""
    n_players = len(players)

    def where_payoff(position):
        player = players[position[1]] if len(position) > 1 else "?"
        return f"{prefix}payoff of {player} at {paths.text(int(leaf_nodes[position[0]]))!r}"

    if isinstance(payoff_rows, np.ndarray) and payoff_rows.dtype != object:
        array = payoff_rows
    else:
        array = list(payoff_rows)
        if len(array) != len(leaf_nodes):
            raise TreeError(f"{prefix}{len(array)} payoff rows for {len(leaf_nodes)} terminal nodes")
        for row_index, row in enumerate(array):
            if not isinstance(row, (list, tuple, np.ndarray)) or len(row) != n_players:
                count = len(row) if isinstance(row, (list, tuple, np.ndarray)) else 1
                raise TreeError(f"{prefix}terminal node {paths.text(int(leaf_nodes[row_index]))!r}: "
                                f"{count} payoffs given, expected {n_players} ({', '.join(players)})")
    if isinstance(array, np.ndarray) and array.shape != (len(leaf_nodes), n_players):
        raise TreeError(f"{prefix}payoffs have shape {array.shape}, expected ({len(leaf_nodes)}, {n_players}) "
                        "(one row per terminal node, one column per player)")
    if len(leaf_nodes) == 0:
        raise TreeError(f"{prefix}a tree needs a terminal node")
    return _normalise_numbers(array, where_payoff)


def _chance_numbers(probability, node_kind, parent, edge_label, labels, paths, prefix):
    """``((values, children), mode)`` of the probabilities of the edges out of chance nodes, or ``(None, None)``."""
    chance_child = np.zeros(len(parent), dtype=bool)
    chance_child[1:] = node_kind[parent[1:]] == CHANCE
    if not chance_child.any():
        return None, None
    if probability is None:
        raise TreeError(f"{prefix}the tree has chance nodes but no probabilities")
    children = np.flatnonzero(chance_child)
    raw = [probability[i] for i in children.tolist()] if not isinstance(probability, np.ndarray) \
        else probability[children]

    def where_probability(position):
        node = int(children[position[0]])
        return (f"{prefix}probability of {labels[edge_label[node]]!r} at chance node "
                f"{paths.text(int(parent[node]))!r}")

    for k, value in enumerate(raw if not isinstance(raw, np.ndarray) else raw.tolist()):
        if value is None:
            raise TreeError(f"{where_probability((k,))}: missing")
    values, mode = _normalise_numbers(
        np.asarray(raw) if isinstance(raw, np.ndarray) and raw.dtype.kind in "f" else list(raw), where_probability)
    if mode == "int":
        values, mode = values.astype(object), "fraction"
        values[:] = [Fraction(int(v)) for v in values]
    return (values, children), mode


def _one_arithmetic(payoff_data, payoff_mode, chance_numbers, n):
    """One number kind for the whole tree: ``(kind, payoffs, payoff mode, probability of each node's edge)``."""
    prob_data, prob_mode = chance_numbers
    modes = {payoff_mode, prob_mode} - {None}
    kind = "symbolic" if "symbolic" in modes else "float" if "float" in modes else "exact"
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
        values, children = prob_data
        probability_array = np.full(n, np.nan) if kind == "float" else np.empty(n, dtype=object)
        probability_array[children] = values
    return kind, payoff_data, payoff_mode, probability_array


def renumbered(tree, payoffs, probability) -> dict:
    """New payoffs and probabilities for the structure of ``tree``, checked: the keyword arguments
    ``payoff_data``, ``payoff_mode``, ``probability`` and ``kind`` of ``GameTree`` (exact or float)."""
    prefix = tree._structure["prefix"]
    leaf_nodes = tree.leaf_nodes

    def where_payoff(position):
        player = tree.players[position[1]] if len(position) > 1 else "?"
        return f"{prefix}payoff of {player} at {tree.path_text(int(leaf_nodes[position[0]]))!r}"

    payoff_data, payoff_mode = _normalise_numbers(payoffs, where_payoff)
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
    return {"payoff_data": payoff_data, "payoff_mode": payoff_mode, "probability": probability_array, "kind": kind}


def _normalise_numbers(values, where_of):
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
        if is_sympy(entry) and getattr(entry, "free_symbols", None):
            import sympy  # heavy: only for symbolic entries

            if entry.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
                raise TreeError(f"{where_of(position)}: {entry} is not finite")
            symbolic = True
            out[position] = entry
            continue
        number = entry if isinstance(entry, Fraction) else _number(entry, where_of, position)
        any_float |= isinstance(number, float)
        out[position] = number
    if symbolic:
        return _to_sympy_array(out), "symbolic"
    if any_float:
        return out.astype(float), "float"
    return out, "fraction"


def _number(entry, where_of, position):
    try:
        return coerce_number(entry)
    except ValueError:
        try:  # again, for the message naming the entry (built only on errors: paths can be long)
            coerce_number(entry, where=where_of(position))
        except ValueError as error:
            raise TreeError(str(error)) from None
        raise


def _shape_of(values):
    values = list(values)
    if values and isinstance(values[0], (list, tuple, np.ndarray)):
        return (len(values), len(values[0]))
    return (len(values),)


def _to_sympy_array(array):
    import sympy  # heavy: only for symbolic trees

    out = np.empty(array.shape, dtype=object)
    for position, entry in np.ndenumerate(array):
        if is_sympy(entry):
            out[position] = entry
        elif isinstance(entry, Fraction):
            out[position] = sympy.Rational(entry.numerator, entry.denominator)
        elif isinstance(entry, (int, np.integer)):
            out[position] = sympy.Integer(int(entry))
        else:
            out[position] = sympy.Float(float(entry))
    return out


def _declare_symbols(payoffs, probability, parameters, prefix):
    """The symbols in the numbers, checked against (or, with none declared, declaring) the parameters;
    equal-named symbols become the declared ones."""
    entries = [e for e in payoffs.reshape(-1)]
    if probability is not None:
        entries += [e for e in probability if e is not None]
    free = set()
    for entry in entries:
        if is_sympy(entry):
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
        payoffs = np.vectorize(lambda e: e.xreplace(replacement) if is_sympy(e) else e, otypes=[object])(payoffs)
        if probability is not None:
            probability = np.array([e.xreplace(replacement) if is_sympy(e) else e for e in probability],
                                   dtype=object)
    return payoffs, probability, parameters


def check_probabilities(tree) -> None:
    """Chance probabilities are in [0, 1] and sum to one (exactly, within tolerance, or identically)."""
    probability = tree._probability
    if probability is None:
        return
    prefix = tree._structure["prefix"]
    chance_nodes = np.flatnonzero(tree.node_kind == CHANCE)
    if tree.arithmetic == "float":
        _check_float_probabilities(tree, chance_nodes, prefix)
        return
    for node in chance_nodes.tolist():
        children = tree.children(node)
        values = [probability[c] for c in children]
        where = f"{prefix}chance node {tree.path_text(node)!r}"
        for c, value in zip(children, values):
            if is_sympy(value) and value.free_symbols:
                continue
            if value < 0 or value > 1:
                raise TreeError(f"{where}: probability of {tree.action_label(c)!r} is {_show(value)}, "
                                "outside [0, 1]")
        total = sum(values)
        if tree.arithmetic == "symbolic":
            import sympy  # the tree is symbolic: sympy is loaded already

            difference = sympy.expand(sympy.sympify(total) - 1)
            if difference != 0 and sympy.simplify(difference) != 0:
                raise TreeError(f"{where}: probabilities sum to {sympy.simplify(total)}, not 1")
        elif total != 1:
            raise TreeError(f"{where}: probabilities sum to {_show(total)}, not 1")


def _check_float_probabilities(tree, chance_nodes, prefix) -> None:
    probability = tree._probability
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


def _show(value) -> str:
    return format_number(value) if not is_sympy(value) else str(value)
