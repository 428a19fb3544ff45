"""Subgame-perfect equilibria of game trees by backward induction.

:func:`backward_induction` solves a numeric tree with perfect information
(Kuhn 1953; Selten 1965): from the last moves to the first, every player at
every decision node picks an action that maximises its payoff given what is
chosen below; chance nodes pass on expected payoffs. When a player is
indifferent between optimal actions (*ties*), every choice among them is
followed, so that *every* pure subgame-perfect equilibrium is listed (up to
``max_equilibria``; the total is counted exactly).

The work is vectorised level by level over the tree's breadth-first layout:
for each depth, ``numpy.maximum.reduceat`` over the consecutive children of
all nodes of that depth gives the best payoffs, and expected payoffs of chance
nodes come from ``numpy.add.reduceat``. Exact trees with integer payoffs are
solved in ``int64``; other exact trees in ``Fraction``; float trees with ties
detected within ``1e-9`` times the payoff scale (the larger of the payoff range and
the largest absolute payoff: relative, so the answer does not depend on the scale).

:func:`reached_outcomes` (the terminal nodes a profile reaches) serves every tree
method. The same induction on a symbolic tree, with conditions in the parameters,
is :func:`negotiation.symbolic.tree.subgame_perfect_conditions`; the front door for
trees (``ng.solve(tree)``) is :mod:`negotiation.solvers.tree`.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np

from negotiation.models.tree import DECISION, TERMINAL, GameTree, TreeError
from negotiation.results.tree import BehaviourProfile, TreeEquilibrium, TreeSolveResult
from negotiation.solvers.verify import FLOAT_TOLERANCE, NumericalError, regret_tolerance

__all__ = ["backward_induction", "reached_outcomes", "require_perfect_information", "DEFAULT_MAX_EQUILIBRIA",
           "MAX_OUTCOMES", "MAX_LISTED_ACTIONS"]

#: Pure subgame-perfect equilibria listed at most (all are counted).
DEFAULT_MAX_EQUILIBRIA = 1000
#: Levels with at most this many non-terminal nodes are solved node by node (deep, thin trees).
_SCALAR_LEVEL = 8
#: Combinations of the children's distinct outcomes examined at one tied node before cutting.
_WORK_LIMIT = 20_000
#: Outcomes (reached terminal nodes) recorded per equilibrium.
MAX_OUTCOMES = 1000
#: Work budget of the listing: equilibria listed times the actions each profile gives a probability. With the
#: default ``max_equilibria`` no more are listed than fit (a binary tree of depth 9 with ties everywhere: 97 of
#: its 1000 first, each 1022 actions; listing and printing all 1000 took 15 s). 100 000 is about 0.3 s.
MAX_LISTED_ACTIONS = 100_000


# ---------------------------------------------------------------------- numeric backward induction
def backward_induction(tree: GameTree, *, max_equilibria: int | None = None) -> TreeSolveResult:
    """Every pure subgame-perfect equilibrium of a numeric tree with perfect information.

    Parameters
    ----------
    tree : GameTree
        Numeric (substitute a symbolic tree first), every information set a single node.
    max_equilibria : int, optional
        List at most this many equilibria when ties make many; the result then says how
        many there are (``details["count"]``) and is marked incomplete. The default is
        :data:`DEFAULT_MAX_EQUILIBRIA`, or fewer in a large tree: no more than
        :data:`MAX_LISTED_ACTIONS` divided by the number of actions of the tree.

    Returns
    -------
    TreeSolveResult
        Method ``"backward_induction"``; ``degenerate`` is ``True`` when some player is
        indifferent between optimal actions somewhere (ties).

    Raises
    ------
    TreeError
        If the tree has imperfect information or is symbolic.

    Notes
    -----
    1. Terminal nodes take their payoffs.
    2. For each depth, from the deepest up: a decision node takes the payoffs of a child
       that maximises its player's payoff; a chance node takes the probability-weighted
       sum of its children's payoffs.
    3. If no decision node has two optimal children, the choices form the unique
       subgame-perfect equilibrium. Otherwise the nodes above ties are solved again,
       keeping for each subtree the distinct payoff vectors its equilibria can give and
       how many equilibria give each; every optimal choice at every tie is followed.

    Mixtures of tied actions can be subgame perfect too; only pure equilibria are listed.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> entry = GameTree.from_nested(("Entrant", "Incumbent"), decision("Entrant", {
    ...     "Out": terminal(0, 2),
    ...     "In": decision("Incumbent", {"Fight": terminal(-1, -1), "Accommodate": terminal(1, 1)})}))
    >>> result = backward_induction(entry)
    >>> result[0].path, result[0].payoffs
    (('In', 'Accommodate'), (Fraction(1, 1), Fraction(1, 1)))
    >>> result[0].profile.to_dict()
    {'Entrant': {'root': {'Out': '0', 'In': '1'}}, 'Incumbent': {'In': {'Fight': '0', 'Accommodate': '1'}}}
    """
    if tree.is_symbolic:
        raise TreeError("substitute parameter values before solving (tree.substitute(...)), or use "
                        "subgame_perfect_conditions(tree) for the conditions in the parameters")
    require_perfect_information(tree, "backward induction")
    if max_equilibria is None:
        actions = int(tree.n_children[tree.node_kind == DECISION].sum())
        max_equilibria = max(1, min(DEFAULT_MAX_EQUILIBRIA, MAX_LISTED_ACTIONS // max(actions, 1)))
    payoffs, probability, mode = tree._solver_arrays()
    values, choice, tied, tolerance = _induct(tree, payoffs, probability, mode)
    infoset_node = tree._structure["infoset_node"]
    exact = mode != "float"
    messages = []
    if not exact:
        if not np.all(np.isfinite(values)):
            raise NumericalError("backward_induction: an expected payoff at a chance node is not a finite number "
                                 "(payoffs near the float maximum)")
        messages.append(f"float payoffs: actions within {tolerance:.3g} of the best ({FLOAT_TOLERANCE:g} times the "
                        "payoff scale, the larger of the payoff range and the largest |payoff|) count as ties")
    details: dict = {}
    if not tied.any():
        profiles = [(choice[infoset_node], tuple(values[0].tolist()))]
        count = 1
        complete = True
    else:
        profiles, count, truncated = _enumerate_ties(tree, values, choice, tied, probability, mode, tolerance,
                                                     max_equilibria)
        profiles = [(choices[infoset_node], value) for choices, value in profiles]
        complete = not truncated and count <= max_equilibria
        n_tied = int(tied.sum())
        details["tied_nodes"] = n_tied
        details["count"] = count
        messages.append(f"players are indifferent between optimal actions at {n_tied} decision node(s): "
                        f"{count} pure subgame-perfect equilibria"
                        + ("" if count <= max_equilibria else f"; the first {max_equilibria} are listed "
                           f"(max_equilibria={max_equilibria})"))
        if truncated:
            messages.append("too many combinations of tied outcomes to examine them all: the listed "
                            "equilibria are subgame perfect, but others may exist and the count is a lower bound")
        messages.append("mixtures of tied actions can also be subgame perfect; only pure equilibria are listed")
    equilibria = []
    for choices, value in profiles:
        profile = BehaviourProfile(tree, choices=choices)
        outcomes, cut = reached_outcomes(tree, lambda k, _choices=choices: int(_choices[k]), probability, mode)
        if cut and not any("outcomes" in m for m in messages):
            messages.append(f"only the first {MAX_OUTCOMES} reached terminal nodes are recorded per equilibrium")
        equilibria.append(TreeEquilibrium(profile, _numbers(value, mode), outcomes, Fraction(0) if exact else 0.0))
    return TreeSolveResult(
        tree=tree, equilibria=tuple(equilibria), method="backward_induction", exact=exact, complete=complete,
        degenerate=bool(tied.any()), components=tuple((k,) for k in range(len(equilibria))),
        parameters=dict(tree.values), messages=tuple(messages), details=details,
    )


def require_perfect_information(tree, what: str) -> None:
    """Refuse a tree with imperfect information for ``what``, naming an information set with several nodes."""
    if tree.is_perfect_information:
        return
    members = tree._information_set_nodes()
    k = next(i for i, m in enumerate(members) if len(m) > 1)
    player = tree.players[int(tree.information_set_player[k])]
    raise TreeError(f"{what} needs perfect information, but information set "
                    f"{tree.information_set_labels[k]!r} of {player} has {len(members[k])} nodes; "
                    "use method='vertex_enumeration' (Nash equilibria through the strategic form)")


def _numbers(value, mode) -> tuple:
    if mode == "int":
        return tuple(Fraction(int(v)) for v in value)
    if mode == "float":
        return tuple(float(v) for v in value)
    return tuple(value)


def _tolerance(payoffs, mode) -> float:
    """Ties between float payoffs: :data:`FLOAT_TOLERANCE` times the payoff scale (relative: no floor)."""
    if mode != "float":
        return 0.0
    return regret_tolerance(payoffs)


def _induct(tree, payoffs, probability, mode):
    """Values of every node, one optimal choice per decision node, and where ties are."""
    n = tree.n_nodes
    n_players = tree.n_players
    dtype = {"int": np.int64, "float": float, "object": object}[mode]
    values = np.empty((n, n_players), dtype=dtype)
    values[tree.leaf_nodes] = payoffs
    choice = np.full(n, -1, dtype=np.int64)
    tied = np.zeros(n, dtype=bool)
    tolerance = _tolerance(payoffs, mode)
    kind = tree.node_kind
    mover = tree.node_player
    first = tree.first_child
    count = tree.n_children
    starts = tree._structure["level_start"]
    zero = 0.0 if mode == "float" else 0
    for level in range(len(starts) - 2, -1, -1):
        lo, hi = int(starts[level]), int(starts[level + 1])
        inner = lo + np.flatnonzero(kind[lo:hi] != TERMINAL)
        if inner.size == 0:
            continue
        if inner.size <= _SCALAR_LEVEL:
            for j in inner.tolist():
                start, k = int(first[j]), int(count[j])
                block = values[start:start + k]
                if kind[j] == DECISION:
                    keys = block[:, mover[j]]
                    best = keys.max()
                    hits = np.flatnonzero(keys >= best - tolerance) if mode == "float" else np.flatnonzero(keys == best)
                    choice[j] = int(hits[0])
                    tied[j] = hits.size > 1
                    values[j] = block[hits[0]]
                else:
                    weights = probability[start:start + k]
                    values[j] = (block * weights[:, None]).sum(axis=0)
            continue
        c0 = int(first[inner[0]])
        c1 = int(first[inner[-1]] + count[inner[-1]])
        counts = count[inner]
        offsets = first[inner] - c0
        block = values[c0:c1]
        movers = mover[inner]
        is_decision = movers >= 0
        m = c1 - c0
        group = np.repeat(np.arange(inner.size), counts)
        key = block[np.arange(m), np.repeat(np.maximum(movers, 0), counts)]
        best = np.maximum.reduceat(key, offsets)
        if mode == "float":
            is_best = key >= best[group] - tolerance
        else:
            is_best = key == best[group]
        positions = np.arange(m)
        first_best = np.minimum.reduceat(np.where(is_best, positions, m), offsets)
        n_best = np.add.reduceat(is_best.astype(np.int64), offsets)
        decisions = np.flatnonzero(is_decision)
        if decisions.size:
            nodes = inner[decisions]
            chosen = first_best[decisions]
            choice[nodes] = chosen - offsets[decisions]
            values[nodes] = block[chosen]
            tied[nodes] = n_best[decisions] > 1
        chances = np.flatnonzero(~is_decision)
        if chances.size:
            from_chance = np.repeat(~is_decision, counts)
            weights = np.where(from_chance, probability[c0:c1], zero)
            if mode == "float":
                weighted = block * weights[:, None]
            else:
                weighted = block * weights.astype(object)[:, None]
            sums = np.add.reduceat(weighted, offsets, axis=0)
            values[inner[chances]] = sums[chances]
    return values, choice, tied, tolerance


def _enumerate_ties(tree, values, choice, tied, probability, mode, tolerance, cap):
    """Every pure SPE when some decision nodes have ties: ``(profiles, count, truncated)``.

    Only the nodes above a tie are revisited. For each such node, the distinct payoff vectors
    its subtree's equilibria can produce are kept with their number and (up to ``cap``) the
    choices made at revisited nodes.
    """
    parent = tree.parent
    region = np.zeros(tree.n_nodes, dtype=bool)
    for node in np.flatnonzero(tied).tolist():
        while node >= 0 and not region[node]:
            region[node] = True
            node = int(parent[node])
    first = tree.first_child
    count = tree.n_children
    kind = tree.node_kind
    mover = tree.node_player
    as_key = (lambda row: tuple(row.tolist())) if mode != "object" else (lambda row: tuple(row))
    groups: dict = {}
    truncated = False
    for j in sorted(np.flatnonzero(region).tolist(), reverse=True):
        start, k = int(first[j]), int(count[j])
        child_groups = []
        for c in range(start, start + k):
            if region[c]:
                child_groups.append(list(groups.pop(c).items()))
            else:
                child_groups.append([(as_key(values[c]), (1, [None]))])
        sizes = [len(g) for g in child_groups]
        while math.prod(sizes) > _WORK_LIMIT:
            largest = int(np.argmax(sizes))
            sizes[largest] = max(1, sizes[largest] // 2)
            truncated = True
        child_groups = [g[:s] for g, s in zip(child_groups, sizes)]
        result: dict = {}
        if kind[j] == DECISION:
            p = int(mover[j])
            for combo in itertools.product(*child_groups):
                keys = [value[p] for value, _ in combo]
                best = max(keys)
                optimal = [i for i, key in enumerate(keys) if (key >= best - tolerance if mode == "float"
                                                                else key == best)]
                number = math.prod(entry[0] for _, entry in combo)
                for t in optimal:
                    _add(result, combo[t][0], number, combo, j, t, cap)
        else:
            weights = [probability[c] for c in range(start, start + k)]
            for combo in itertools.product(*child_groups):
                value = tuple(sum(w * v[q] for w, (v, _) in zip(weights, combo)) for q in range(tree.n_players))
                number = math.prod(entry[0] for _, entry in combo)
                _add(result, value, number, combo, -1, -1, cap)
        groups[j] = result
    root = groups[0]
    total = sum(entry[0] for entry in root.values())
    profiles = []
    for value, (_, variants) in root.items():
        for variant in variants:
            if len(profiles) >= cap:
                break
            choices = choice.copy()
            stack = [variant]
            while stack:
                node, action, parts = stack.pop()
                if node >= 0:
                    choices[node] = action
                stack.extend(part for part in parts if part is not None)
            profiles.append((choices, value))
    return profiles, total, truncated


def _add(result, value, number, combo, node, action, cap):
    """Record ``number`` equilibria with payoffs ``value``; keep up to ``cap`` of them as linked
    variants ``(node, action, (child variant, ...))`` (no copying of the choices below)."""
    entry = result.get(value)
    if entry is None:
        entry = result[value] = [0, []]
    entry[0] += number
    variants = entry[1]
    if len(variants) >= cap:
        return
    for parts in itertools.product(*(e[1] for _, e in combo)):
        variants.append((node, action, parts))
        if len(variants) >= cap:
            break


def reached_outcomes(tree: GameTree, choose, probability, mode: str, behaviour=None) -> tuple:
    """Terminal nodes reached with positive probability: ``(((path, probability), ...), truncated)``.

    ``choose(k)`` gives the chosen action index at information set ``k`` (pure profiles), or
    ``behaviour(k)`` the tuple of action probabilities; ``probability`` and ``mode`` are the tree's
    chance probabilities and number mode (``tree._solver_arrays()``). At most :data:`MAX_OUTCOMES`
    are listed (``truncated`` says whether more were reached).

    Examples
    --------
    >>> from negotiation.models.tree import chance, terminal
    >>> coin = GameTree.from_nested(("A",), chance(Heads=("1/3", terminal(1)), Tails=("2/3", terminal(0))))
    >>> _, probability, mode = coin._solver_arrays()
    >>> reached_outcomes(coin, None, probability, mode)
    (((('Heads',), Fraction(1, 3)), (('Tails',), Fraction(2, 3))), False)
    """
    one = 1.0 if mode == "float" else Fraction(1)
    out = []
    stack = [(0, one)]
    infoset = tree.node_information_set
    first = tree.first_child
    while stack:
        node, reach = stack.pop()
        kind = tree.node_kind[node]
        if kind == TERMINAL:
            if len(out) >= MAX_OUTCOMES:
                return tuple(out), True
            out.append((tree.path(node), reach))
            continue
        start = int(first[node])
        k = int(tree.n_children[node])
        if kind == DECISION:
            if behaviour is None:
                stack.append((start + choose(int(infoset[node])), reach))
            else:
                probs = behaviour(int(infoset[node]))
                for a in range(k - 1, -1, -1):
                    if probs[a]:
                        stack.append((start + a, reach * probs[a]))
        else:
            for a in range(k - 1, -1, -1):
                p = probability[start + a]
                if p:
                    stack.append((start + a, reach * p))
    return tuple(out), False
