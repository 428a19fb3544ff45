"""Shared helpers for the game-tree tests: random trees and slow reference solvers."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from negotiation.models.tree import CHANCE, DECISION, GameTree


def random_tree(n_nodes, *, seed=0, high=10**9, floats=False, n_players=2, chance_share=0.0, branching=(2, 3)):
    """A random tree in breadth-first order: the first nodes get 2–3 children until ``n_nodes`` are used.

    Decision nodes belong to random players; with ``chance_share`` > 0 some nodes are chance nodes
    with random exact probabilities.
    """
    rng = np.random.default_rng(seed)
    counts = rng.integers(branching[0], branching[1] + 1, size=n_nodes)
    ends = np.cumsum(counts)
    inner = int(np.searchsorted(ends, n_nodes - 1)) + 1
    parent = np.concatenate(([-1], np.repeat(np.arange(inner), counts[:inner])[: n_nodes - 1]))
    first = np.searchsorted(parent, parent, side="left")
    action = np.arange(n_nodes) - first
    action[0] = 0
    player = rng.integers(0, n_players, size=n_nodes)
    if chance_share:
        player[rng.random(n_nodes) < chance_share] = -1
    children = np.bincount(parent[1:], minlength=n_nodes)
    n_leaves = int((children == 0).sum())
    payoffs = rng.random((n_leaves, n_players)) if floats else rng.integers(0, high, size=(n_leaves, n_players))
    probabilities = None
    if chance_share:
        probabilities = [None] * n_nodes
        for node in np.flatnonzero((player == -1) & (children > 0)).tolist():
            kids = np.flatnonzero(parent == node).tolist()
            weights = [int(w) for w in rng.integers(1, 5, size=len(kids))]
            total = sum(weights)
            for kid, weight in zip(kids, weights):
                probabilities[kid] = Fraction(weight, total) if not floats else weight / total
    labels = tuple(f"a{k}" for k in range(branching[1]))
    return GameTree.from_arrays([f"P{i + 1}" for i in range(n_players)], parent, player, action, payoffs,
                                labels=labels, probabilities=probabilities)


def subtree_values(tree, choice_of_node):
    """Payoff vector of every node when decision nodes play ``choice_of_node[node]`` (exact, plain Python)."""
    payoffs = tree.payoffs
    leaf_of_node = tree._structure["leaf_of_node"]
    values = [None] * tree.n_nodes
    for node in range(tree.n_nodes - 1, -1, -1):
        kind = tree.node_kind[node]
        if kind == DECISION:
            values[node] = values[int(tree.first_child[node]) + choice_of_node[node]]
        elif kind == CHANCE:
            kids = tree.children(node)
            values[node] = tuple(sum(tree.probabilities[c] * values[c][i] for c in kids)
                                 for i in range(tree.n_players))
        else:
            values[node] = tuple(payoffs[int(leaf_of_node[node])])
    return values


def brute_force_spe(tree):
    """Every pure SPE of a small perfect-information tree, as tuples of action indices per information set.

    Checks every pure profile: at every decision node, the chosen action must be optimal for the mover
    given the profile's continuation everywhere below (the one-shot deviation principle).
    """
    decision_nodes = np.flatnonzero(tree.node_kind == DECISION).tolist()
    options = [range(int(tree.n_children[node])) for node in decision_nodes]
    found = set()
    for combo in itertools.product(*options):
        choice = dict(zip(decision_nodes, combo))
        values = subtree_values(tree, choice)
        good = True
        for node in decision_nodes:
            player = int(tree.node_player[node])
            chosen = values[node][player]
            if any(values[c][player] > chosen for c in tree.children(node)):
                good = False
                break
        if good:
            infoset = tree.node_information_set
            key = [0] * tree.n_information_sets
            for node, action in choice.items():
                key[int(infoset[node])] = action
            found.add(tuple(key))
    return found


def reference_values(tree):
    """Root payoffs of the unique SPE (no ties), by a plain reverse loop over the nodes."""
    payoffs = tree.payoffs
    leaf_of_node = tree._structure["leaf_of_node"].tolist()
    first = tree.first_child.tolist()
    count = tree.n_children.tolist()
    kind = tree.node_kind.tolist()
    mover = tree.node_player.tolist()
    values = [None] * tree.n_nodes
    for node in range(tree.n_nodes - 1, -1, -1):
        if kind[node] == DECISION:
            values[node] = max((values[c] for c in range(first[node], first[node] + count[node])),
                               key=lambda v: v[mover[node]])
        elif kind[node] == CHANCE:
            values[node] = tuple(sum(tree.probabilities[c] * values[c][i] for c in range(first[node], first[node] + count[node]))
                                 for i in range(tree.n_players))
        else:
            values[node] = tuple(payoffs[leaf_of_node[node]])
    return values[0]


def pure_keys(result):
    """The SPE of a result as tuples of chosen action indices per information set."""
    return {tuple(int(c) for c in e.profile.choices) for e in result.equilibria}
