"""The reduced strategic form of a game tree (:meth:`GameTree.to_strategic_form
<negotiation.models.tree.GameTree.to_strategic_form>`).

A pure strategy chooses an action at each of the player's information sets; strategies that
differ only at information sets their own earlier choices exclude are merged (shown as ``*``).
:func:`reduced_strategies` lists them per player, :func:`chance_reach` gives the probability
that chance alone lets the play reach each node, and :func:`strategic_form` builds the
:class:`~negotiation.models.game.Game` with payoffs expected over chance moves. The solvers use
the first two to turn mixed strategies back into behaviour strategies (Kuhn's theorem).

Examples
--------
>>> from negotiation.models.tree import GameTree, decision, terminal
>>> tree = GameTree.from_nested(("A", "B"), decision("A", L=terminal(1, 0), R=decision("B", l=terminal(0, 1),
...                                                                                     r=terminal(2, 2))))
>>> [labels for labels, _, _ in reduced_strategies(tree)]
[('L', 'R'), ('l', 'r')]
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from negotiation.core.errors import SolverLimitError
from negotiation.models.game import Game
from negotiation.models.tree_nodes import DECISION, PATH_SEPARATOR, TreeError

__all__ = ["reduced_strategies", "reduced_strategy_counts", "chance_reach", "strategic_form",
           "MAX_STRATEGIC_PROFILES", "StrategicFormLimitError"]

#: Largest strategic form :func:`strategic_form` builds (number of pure profiles of the reduced form), checked
#: before any strategy is listed (:func:`reduced_strategy_counts`). Building costs about 25 µs a profile
#: (a 300×300 form: 2.2 s), so 20 000 keeps it near half a second; the old limit of a million profiles let a
#: binary tree of depth 9 run for minutes.
MAX_STRATEGIC_PROFILES = 20_000


class StrategicFormLimitError(TreeError, SolverLimitError):
    """The reduced strategic form of a tree has more pure profiles than :data:`MAX_STRATEGIC_PROFILES`."""
#: Information sets of one player beyond which the reduced strategies are not enumerated.
MAX_INFORMATION_SETS = 400


def reduced_strategies(tree) -> list:
    """Per player ``(labels, assignment, information sets)``: ``assignment[s, position]`` is the action index
    of strategy ``s`` at the player's ``position``-th information set, ``-1`` where its own earlier choices
    make that information set unreachable."""
    return [_player_strategies(tree, p) for p in range(tree.n_players)]


def _player_strategies(tree, p: int) -> tuple:
    owners = tree.information_set_player
    members = tree._information_set_nodes()
    actions = tree.information_set_actions
    sets = np.flatnonzero(owners == p).tolist()
    position = {k: i for i, k in enumerate(sets)}
    if len(sets) > MAX_INFORMATION_SETS:
        raise TreeError(f"{tree.players[p]} has {len(sets)} information sets: the reduced strategic "
                        "form is too large to build")
    histories = [{tuple((position[h], a) for h, a in tree._own_history(int(j), p))
                  for j in members[k]} for k in sets]
    assignments = []
    current = [-1] * len(sets)

    def relevant(i):
        """Some node of the ``i``-th set is reachable given the choices made at earlier sets."""
        for history in histories[i]:
            if all(h >= i or current[h] == a for h, a in history):
                return True
        return False

    def enumerate_from(i):
        if len(assignments) > MAX_STRATEGIC_PROFILES:
            raise TreeError(f"{tree.players[p]} has more than {MAX_STRATEGIC_PROFILES} reduced strategies")
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
    return tuple(_unique_labels(labels)), assignment, tuple(sets)


def chance_reach(tree) -> np.ndarray | None:
    """Probability that chance alone lets the play reach each node (object or float array; ``None``
    without chance nodes)."""
    probability = tree._probability
    if probability is None:
        return None
    float_mode = probability.dtype != object
    reach = np.ones(tree.n_nodes, dtype=float) if float_mode else np.empty(tree.n_nodes, dtype=object)
    if not float_mode:
        reach[0] = Fraction(1) if not tree.is_symbolic else 1
    starts = tree._structure["level_start"]
    chance_child = tree._chance_child_mask()
    for d in range(1, len(starts) - 1):
        block = np.arange(starts[d], starts[d + 1])
        values = reach[tree.parent[block]]
        mask = chance_child[block]
        if mask.any():
            values = values.copy()
            values[mask] = values[mask] * probability[block[mask]]
        reach[block] = values
    return reach


def strategic_form(tree) -> Game:
    """The reduced strategic form of ``tree`` (see the module docstring); a symbolic tree gives a symbolic game."""
    counts = reduced_strategy_counts(tree)
    if counts is not None:
        _check_size(counts)
    reduced = tree._reduced_strategies()
    shape = tuple(len(labels) for labels, _, _ in reduced)
    _check_size(shape)
    reach_by_player = _leaf_reach(tree, reduced)
    reach_by_chance = tree._chance_reach()
    float_mode = tree.arithmetic == "float"
    payoffs = tree.payoffs
    tensor = np.zeros(shape + (tree.n_players,), dtype=float if float_mode else object)
    if not float_mode:
        tensor.fill(Fraction(0) if not tree.is_symbolic else 0)
    everyone = np.arange(tree.n_players)
    for row, node in enumerate(tree.leaf_nodes.tolist()):
        weight = 1 if reach_by_chance is None else reach_by_chance[node]
        if weight == 0:
            continue
        index = [np.flatnonzero(reach[:, row]) for reach in reach_by_player]
        if any(len(i) == 0 for i in index):
            continue
        values = payoffs[row] if weight == 1 else np.array([weight * v for v in payoffs[row]], dtype=tensor.dtype)
        tensor[np.ix_(*index, everyone)] += values
    return Game(tree.players, tuple(labels for labels, _, _ in reduced), tensor, title=tree.title,
                parameters=tree.parameters, values=tree.values)


def _check_size(counts) -> None:
    profiles = math.prod(counts)
    if profiles > MAX_STRATEGIC_PROFILES:
        size = "×".join(f"{c:,}" if c < 10 ** 15 else f"about 10^{len(str(c)) - 1}" for c in counts)
        total = f"{profiles:,}" if profiles < 10 ** 15 else f"about 10^{len(str(profiles)) - 1}"
        raise StrategicFormLimitError(
            f"the reduced strategic form would be {size} ({total} pure profiles, more than "
            f"{MAX_STRATEGIC_PROFILES:,}, the limit); solve the tree itself (backward_induction, sequence_form)")


def reduced_strategy_counts(tree) -> tuple | None:
    """The number of reduced strategies of each player, counted without listing them (``None`` without
    perfect recall).

    With perfect recall a reduced strategy is a choice at each of the player's information sets its own
    earlier choices reach: an information set offers the sum over its actions of the product of the counts of
    the information sets that action leads to first; a player has the product over the sets reached without
    any own move. One pass over the nodes finds, for each, the player's last own (information set, action).

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> centipede = GameTree.from_nested(("Ann", "Bob"), decision("Ann", {
    ...     "Take": terminal(1, 0),
    ...     "Pass": decision("Bob", {"Take": terminal(0, 2),
    ...                              "Pass": decision("Ann", {"Take": terminal(3, 1), "Pass": terminal(2, 4)})})}))
    >>> reduced_strategy_counts(centipede)  # Take/*, Pass/Take, Pass/Pass; Take, Pass
    (3, 2)
    """
    if not tree.has_perfect_recall:
        return None
    n_sets = tree.n_information_sets
    owner = tree.information_set_player.tolist()
    node_set = tree.node_information_set.tolist()
    kind, mover = tree.node_kind.tolist(), tree.node_player.tolist()
    parent, first = tree.parent.tolist(), tree.first_child.tolist()
    # last[p][j]: player p's last own (information set, action) above node j, None at the root's level
    last = [[None] * tree.n_nodes for _ in range(tree.n_players)]
    for j in range(1, tree.n_nodes):  # nodes are stored level by level: a parent before its children
        up = parent[j]
        for p in range(tree.n_players):
            own = kind[up] == DECISION and mover[up] == p
            last[p][j] = (node_set[up], j - first[up]) if own else last[p][up]
    first_member = [-1] * n_sets
    for j in range(tree.n_nodes - 1, -1, -1):
        if kind[j] == DECISION:
            first_member[node_set[j]] = j
    after: dict = {}  # (information set, action) -> the information sets it leads to first
    for k in range(n_sets):
        after.setdefault(last[owner[k]][first_member[k]], []).append(k)
    count = [0] * n_sets
    cap = 10 ** 30  # beyond any limit: the products stay small numbers
    for k in sorted(range(n_sets), key=lambda k: -first_member[k]):  # deeper sets first
        total = 0
        for a in range(len(tree.information_set_actions[k])):
            total += math.prod(count[c] for c in after.get((k, a), ()))
        count[k] = min(total, cap)
    return tuple(min(math.prod(count[k] for k in after.get(None, ()) if owner[k] == p), cap)
                 for p in range(tree.n_players))


def _leaf_reach(tree, reduced) -> list:
    """Per player, a boolean matrix (strategies × leaves): does the strategy allow the leaf?"""
    out = []
    for p, (labels, assignment, sets) in enumerate(reduced):
        position = {k: i for i, k in enumerate(sets)}
        reach = np.ones((len(labels), tree.n_leaves), dtype=bool)
        for row, node in enumerate(tree.leaf_nodes.tolist()):
            for h, a in tree._own_history(int(node), p):
                reach[:, row] &= assignment[:, position[h]] == a
        out.append(reach)
    return out


def _unique_labels(labels) -> list:
    """Repeated labels numbered: ``A``, ``A (2)``, …"""
    seen: dict = {}
    out = []
    for label in labels:
        count = seen.get(label, 0) + 1
        seen[label] = count
        out.append(label if count == 1 else f"{label} ({count})")
    return out
