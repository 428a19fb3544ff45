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

from negotiation.models.game import Game
from negotiation.models.tree_nodes import PATH_SEPARATOR, TreeError

__all__ = ["reduced_strategies", "chance_reach", "strategic_form", "MAX_STRATEGIC_PROFILES"]

#: Largest strategic form :func:`strategic_form` builds (number of pure profiles).
MAX_STRATEGIC_PROFILES = 1_000_000
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
    reduced = tree._reduced_strategies()
    shape = tuple(len(labels) for labels, _, _ in reduced)
    if math.prod(shape) > MAX_STRATEGIC_PROFILES:
        raise TreeError(f"the reduced strategic form has {math.prod(shape)} profiles "
                        f"(more than {MAX_STRATEGIC_PROFILES})")
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
