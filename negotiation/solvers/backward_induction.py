"""Subgame-perfect equilibria of game trees by backward induction, and their conditions.

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
detected within ``1e-9`` times the payoff range.

:func:`subgame_perfect_conditions` does the same on a symbolic tree: for each
pure profile that can be subgame perfect, the conjunction of inequalities in
the parameters under which it is (every player's choice at every decision node
is optimal), simplified over the parameter ranges and assumptions.

:func:`solve_tree` is the front door for trees: backward induction for perfect
information, otherwise the reduced strategic form and an existing strategic-form
solver, with the mixed equilibria turned into behaviour strategies (Kuhn's
theorem).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Mapping

import numpy as np

from negotiation.results.base import ConditionalEquilibria
from negotiation.core.numeric import format_number, json_number
from negotiation.models.tree import DECISION, TERMINAL, GameTree, TreeError
from negotiation.results.tree import BehaviourProfile, TreeEquilibrium, TreeSolveResult
from negotiation.core.errors import NegotiationError

__all__ = ["backward_induction", "solve_tree", "subgame_perfect_conditions", "SubgamePerfectConditions",
           "ConditionalEquilibrium", "TREE_METHODS", "DEFAULT_MAX_EQUILIBRIA"]

#: Pure subgame-perfect equilibria listed at most (all are counted).
DEFAULT_MAX_EQUILIBRIA = 1000
#: Relative tolerance for ties between float payoffs (times the payoff range).
FLOAT_TOLERANCE = 1e-9
#: Levels with at most this many non-terminal nodes are solved node by node (deep, thin trees).
_SCALAR_LEVEL = 8
#: Combinations of the children's distinct outcomes examined at one tied node before cutting.
_WORK_LIMIT = 20_000
#: Outcomes (reached terminal nodes) recorded per equilibrium.
MAX_OUTCOMES = 1000


# ---------------------------------------------------------------------- numeric backward induction
def backward_induction(tree: GameTree, *, max_equilibria: int = DEFAULT_MAX_EQUILIBRIA) -> TreeSolveResult:
    """Every pure subgame-perfect equilibrium of a numeric tree with perfect information.

    Parameters
    ----------
    tree : GameTree
        Numeric (substitute a symbolic tree first), every information set a single node.
    max_equilibria : int
        List at most this many equilibria when ties make many; the result then says how
        many there are (``details["count"]``) and is marked incomplete.

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
    _require_perfect_information(tree, "backward induction")
    payoffs, probability, mode = tree._solver_arrays()
    values, choice, tied, tolerance = _induct(tree, payoffs, probability, mode)
    infoset_node = tree._structure["infoset_node"]
    exact = mode != "float"
    messages = []
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
        outcomes, cut = _outcomes(tree, lambda k, _choices=choices: int(_choices[k]), probability, mode)
        if cut and not any("outcomes" in m for m in messages):
            messages.append(f"only the first {MAX_OUTCOMES} reached terminal nodes are recorded per equilibrium")
        equilibria.append(TreeEquilibrium(profile, _numbers(value, mode), outcomes, Fraction(0) if exact else 0.0))
    return TreeSolveResult(
        tree=tree, equilibria=tuple(equilibria), method="backward_induction", exact=exact, complete=complete,
        degenerate=bool(tied.any()), components=tuple((k,) for k in range(len(equilibria))),
        parameters=dict(tree.values), messages=tuple(messages), details=details,
    )


def _require_perfect_information(tree, what):
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
    if mode != "float":
        return 0.0
    span = float(payoffs.max() - payoffs.min()) if payoffs.size else 0.0
    return FLOAT_TOLERANCE * max(span, 1.0)


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


def _outcomes(tree, choose, probability, mode, behaviour=None):
    """Terminal nodes reached with positive probability: ``((path, probability), ...), truncated``.

    ``choose(k)`` gives the chosen action index at information set ``k`` (pure profiles), or
    ``behaviour(k)`` the tuple of action probabilities.
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


# ---------------------------------------------------------------------- the front door for trees
def _via_strategic_form(tree: GameTree, method: str, **options) -> TreeSolveResult:
    """Nash equilibria through the reduced strategic form, in behaviour strategies (Kuhn)."""
    from negotiation.solvers.methods import solve_game

    if not tree.has_perfect_recall:
        raise TreeError("behaviour strategies equivalent to mixed strategies need perfect recall "
                        "(Kuhn's theorem); this tree does not have it")
    game = tree.to_strategic_form()
    result = solve_game(game, method, **options)
    reduced = tree._reduced_strategies()
    payoffs, probability, mode = tree._solver_arrays()
    float_mode = mode == "float"
    unique: dict = {}
    equilibria = []
    mapping = {}
    open_sets = False
    for index, equilibrium in enumerate(result.equilibria):
        behaviour = _kuhn(tree, equilibrium.profile, reduced, float_mode)
        open_sets |= any(p is None for p in behaviour)
        if all(p is None or (sum(1 for x in p if x) == 1 and max(p) == 1) for p in behaviour) \
                and not any(p is None for p in behaviour):
            profile = BehaviourProfile(tree, choices=np.array([p.index(max(p)) for p in behaviour], dtype=np.int64))
        else:
            profile = BehaviourProfile(tree, probabilities=behaviour)
        key = profile.key()
        if key in unique:
            mapping[index] = unique[key]
            continue
        outcomes, _ = _outcomes(tree, None, probability, mode, behaviour=lambda k: behaviour[k])
        _check_payoffs(tree, outcomes, equilibrium.payoffs, float_mode)
        unique[key] = mapping[index] = len(equilibria)
        equilibria.append(TreeEquilibrium(profile, tuple(equilibrium.payoffs), outcomes, equilibrium.regret))
    components = []
    for component in result.components:
        mapped = tuple(sorted({mapping[i] for i in component}))
        if mapped not in components:
            components.append(mapped)
    messages = list(result.messages)
    sizes = "×".join(str(len(s)) for s in game.strategies)
    if tree.is_perfect_information:
        messages.append("Nash equilibria of the tree through its reduced strategic form, including any that are "
                        "not subgame perfect; method='backward_induction' gives the subgame-perfect ones")
    else:
        messages.append("Nash equilibria through the reduced strategic form, turned into behaviour strategies "
                        "(Kuhn's theorem); they are not refined to subgame perfection")
    if open_sets:
        messages.append("information sets a player's own earlier moves never reach are left open (—): "
                        "any behaviour there gives the same outcome")
    details = {"route": "reduced strategic form", "strategic_form": sizes}
    return TreeSolveResult(
        tree=tree, equilibria=tuple(equilibria), method=method, exact=result.exact, complete=result.complete,
        degenerate=result.degenerate, components=tuple(components), parameters=dict(tree.values),
        messages=tuple(messages), details=details,
    )


def _kuhn(tree, mixed, reduced, float_mode) -> tuple:
    """Behaviour strategy of each information set from a mixed strategy of the reduced form."""
    behaviour = [None] * tree.n_information_sets
    actions = tree.information_set_actions
    for p, (labels, assignment, sets) in enumerate(reduced):
        sigma = mixed.probabilities[p]
        for position, k in enumerate(sets):
            column = assignment[:, position]
            total = sum(s for s, a in zip(sigma, column) if a >= 0)
            if (float_mode and total <= 1e-12) or total == 0:
                continue
            behaviour[k] = tuple(sum((s for s, a in zip(sigma, column) if a == b), 0 * total) / total
                                 for b in range(len(actions[k])))
    return tuple(behaviour)


def _check_payoffs(tree, outcomes, expected, float_mode):
    totals = [0] * tree.n_players
    for path, reach in outcomes:
        payoffs = tree.leaf_payoffs(tree.find(path))
        for i, player in enumerate(tree.players):
            totals[i] += reach * payoffs[player]
    for total, value in zip(totals, expected):
        if (float_mode and abs(float(total) - float(value)) > 1e-6 * max(1.0, abs(float(value)))) or \
                (not float_mode and total != value):
            from negotiation.solvers.verify import VerificationError

            raise VerificationError(f"behaviour profile gives payoff {total}, the strategic form {value}")


def _solve_pure_strategic(tree, **options):
    return _via_strategic_form(tree, "enumerate_pure", **options)


def _solve_vertex_strategic(tree, **options):
    return _via_strategic_form(tree, "vertex_enumeration", **options)


def _solve_sequence_form_lp(tree, **options):
    from negotiation.solvers.sequence_form import sequence_form_lp

    return sequence_form_lp(tree, **options)


def _solve_sequence_form_lemke(tree, **options):
    from negotiation.solvers.sequence_form import sequence_form_lemke

    return sequence_form_lemke(tree, **options)


def _solve_sequence_form(tree, **options):
    from negotiation.solvers.sequence_form import solve_sequence_form

    return solve_sequence_form(tree, **options)


#: ``method=`` names for trees.
TREE_METHODS = {
    "backward_induction": backward_induction,
    "vertex_enumeration": _solve_vertex_strategic,
    "enumerate_pure": _solve_pure_strategic,
    "sequence_form_lp": _solve_sequence_form_lp,
    "sequence_form_lemke": _solve_sequence_form_lemke,
    "sequence_form": _solve_sequence_form,
}


def solve_tree(model, method: str = "auto", **options) -> TreeSolveResult:
    """Equilibria of a game tree (or of a tree scenario at its defaults).

    Parameters
    ----------
    model : GameTree or scenario with a tree
        A numeric tree, or a symbolic one (solved at its defaults, or at ``values=``).
    method : str
        ``"auto"``: ``"backward_induction"`` (every pure subgame-perfect equilibrium) for
        perfect information; otherwise ``"vertex_enumeration"`` for two players (every
        extreme Nash equilibrium of the reduced strategic form, in behaviour strategies) and
        ``"enumerate_pure"`` for more.
    **options
        Passed to the method; ``values`` (a mapping) sets parameters first.

    Returns
    -------
    TreeSolveResult

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> pennies = GameTree.from_nested(("Hider", "Seeker"), decision("Hider", {
    ...     "Left": decision("Seeker", {"Left": terminal(-1, 1), "Right": terminal(1, -1)}, information_set="guess"),
    ...     "Right": decision("Seeker", {"Left": terminal(1, -1), "Right": terminal(-1, 1)}, information_set="guess")}))
    >>> result = solve_tree(pennies)
    >>> result.method, result[0].profile.to_dict()["Seeker"]
    ('vertex_enumeration', {'guess': {'Left': '1/2', 'Right': '1/2'}})
    """
    values = options.pop("values", None)
    tree = model
    if not isinstance(model, GameTree) and hasattr(model, "game"):
        if hasattr(model, "game_at"):
            tree = model.game_at(values)
            values = None
        else:
            tree = model.game
    if not isinstance(tree, GameTree):
        raise TypeError(f"solve_tree needs a GameTree, got {type(tree).__name__}")
    if tree.is_symbolic or values:
        tree = tree.substitute(values or {})
    note = None
    if method == "auto":
        if tree.is_perfect_information:
            method = "backward_induction"
        elif tree.n_players == 2:
            method = "vertex_enumeration"
            bound = _strategic_size_bound(tree)
            if bound > AUTO_STRATEGIC_PROFILES and tree.has_perfect_recall and not tree.is_symbolic:
                method = "sequence_form"
                note = (f"auto: the reduced strategic form could have up to {bound:,} strategy profiles, so the "
                        "tree was solved in the sequence form (one equilibrium; --method vertex_enumeration "
                        "lists every extreme equilibrium of the reduced strategic form)")
        else:
            method = "enumerate_pure"
    try:
        algorithm = TREE_METHODS[method]
    except KeyError:
        raise NegotiationError(f"unknown method {method!r} for a game tree "
                         f"(expected one of: auto, {', '.join(TREE_METHODS)})") from None
    result = algorithm(tree, **options)
    if note is not None:
        from dataclasses import replace

        result = replace(result, messages=(*result.messages, note))
    return result


#: ``auto`` on a two-player tree with imperfect information uses the reduced strategic form (every
#: extreme equilibrium) while it has at most this many pure profiles, else the sequence form. Reduced
#: forms of trees are highly degenerate (chance, repeated payoffs): 3-card Kuhn poker's 27 × 64 form
#: already defeats the exact vertex enumeration, which its sequence form solves in milliseconds.
AUTO_STRATEGIC_PROFILES = 1_000


def _strategic_size_bound(tree) -> int:
    """An upper bound on the pure profiles of the reduced strategic form: per player the product of
    the numbers of actions over its information sets (capped to stay cheap)."""
    owners = tree.information_set_player
    actions = tree.information_set_actions
    bound = 1
    for player in range(tree.n_players):
        for k in np.flatnonzero(owners == player).tolist():
            bound *= max(len(actions[k]), 1)
            if bound > 10 ** 12:
                return bound
    return bound


# ---------------------------------------------------------------------- symbolic conditions
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
        import sympy

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
class SubgamePerfectConditions(ConditionalEquilibria):
    """Where each pure profile of a parameterised tree is a subgame-perfect equilibrium.

    Attributes
    ----------
    title : str
    players : tuple of str
    parameters : ParameterSpace
        The free parameters (ranges and defaults).
    values : dict
        Parameters fixed before deriving.
    assumptions : tuple of str
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
    notes : tuple of str
    """

    title: str
    players: tuple
    parameters: object
    values: dict
    assumptions: tuple
    equilibria: tuple
    outcomes: dict
    thresholds: tuple = ()
    notes: tuple = ()
    tree: object = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready (schema ``negotiation.spe-conditions/1``)."""
        return {
            "schema": "negotiation.spe-conditions/1",
            "title": self.title,
            "players": list(self.players),
            "parameters": list(self.parameters.names),
            "values": {k: json_number(v) for k, v in self.values.items()},
            "assumptions": list(self.assumptions),
            "equilibria": [e.to_dict() for e in self.equilibria],
            "outcomes": {path: region.to_dict() for path, region in self.outcomes.items()},
            "thresholds": [t.to_dict() for t in self.thresholds],
            "notes": list(self.notes),
        }

    def to_text(self) -> str:
        """Plain-text report (what ``negotiation derive`` prints for a tree)."""
        import sympy

        lines = [self.title or "Game tree", "=" * len(self.title or "Game tree")]
        free = ", ".join(self.parameters.names) or "none"
        lines.append(f"Subgame-perfect equilibria in the parameters {free} "
                     "(simplified over their ranges and the assumptions)")
        if self.values:
            lines.append("Fixed: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.values.items()))
        if self.assumptions:
            lines.append("Assumptions: " + "; ".join(self.assumptions))
        lines += ["", "Equilibrium outcomes (where some subgame-perfect equilibrium leads there):"]
        for path, region in self.outcomes.items():
            lines.append(f"  {path}:")
            lines.append(f"      {region}")
        lines += ["", "Subgame-perfect equilibria (one action at every decision node):"]
        for number, equilibrium in enumerate(self.interior, start=1):
            lines.append(f"  SPE {number}: outcome {equilibrium.path_text()}")
            lines.append(f"      {equilibrium.profile.describe(limit=30)}")
            lines.append("      payoffs: " + ", ".join(f"{p} {sympy.sstr(v)}" for p, v in equilibrium.payoffs.items()))
            lines.append(f"      holds where: {equilibrium.interior}")
        boundary = self.boundary_only
        if boundary:
            lines += ["", f"{len(boundary)} more pure profile(s) are subgame perfect only on boundaries, where a "
                          "player is indifferent between optimal actions (ties); the regions above are closed, so "
                          "on a boundary the profiles of both sides hold as well (to_dict() lists them all)."]
        if self.thresholds:
            lines += ["", "Thresholds (where the two sides of a condition are equal; value with the other "
                          "parameters at their defaults):"]
            rows = []
            for t in self.thresholds:
                value = "undefined at the defaults" if t.value is None else format_number(t.value)
                if t.in_range is False:
                    value += " (outside the range)"
                rows.append((f"{t.parameter} = {sympy.sstr(t.expression)}", value, t.boundary))
            widths = [max(len(r[i]) for r in rows) for i in range(2)]
            for formula, value, where in rows:
                lines.append(f"  {formula.ljust(widths[0])}  = {value.ljust(widths[1])}  where {where}")
            defaults = [f"{p.name} = {format_number(p.default)}" for p in self.parameters if p.default is not None]
            if defaults:
                lines.append("  Defaults: " + ", ".join(defaults))
        for note in self.notes:
            lines.append(f"Note: {note}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        import sympy

        lines = [f"**{self.title or 'Game tree'}**: subgame-perfect equilibria and where they hold", "",
                 "| outcome | holds where |", "| --- | --- |"]
        for path, region in self.outcomes.items():
            lines.append(f"| {path} | {str(region).replace('|', '/')} |")
        lines += ["", "| SPE | outcome | choices | payoffs | holds where |", "| --- | --- | --- | --- | --- |"]
        for number, e in enumerate(self.interior, start=1):
            payoffs = ", ".join(f"{p} {sympy.sstr(v)}" for p, v in e.payoffs.items())
            lines.append(f"| {number} | {e.path_text()} | {e.profile.describe(limit=30)} | {payoffs} | "
                         f"{e.interior} |")
        return "\n".join(lines)

    def to_latex(self) -> str:
        from negotiation.report.tables import _latex_escape

        lines = [f"% {_latex_escape(self.title or 'Game tree')}: subgame-perfect equilibria",
                 "\\begin{tabular}{ll}", "\\toprule", "outcome & holds where \\\\", "\\midrule"]
        for path, region in self.outcomes.items():
            shown = _latex_escape(path).replace("→", "$\\to$")
            lines.append(f"{shown} & ${region.to_latex()}$ " + "\\\\")
        lines += ["\\bottomrule", "\\end{tabular}"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def subgame_perfect_conditions(model, values: Mapping | None = None, *, max_candidates: int = 20_000,
                               budget: float = 3.0) -> SubgamePerfectConditions:
    """For each pure profile of a parameterised tree, the region where it is subgame perfect.

    Parameters
    ----------
    model : GameTree, scenario, str or Path
        A symbolic tree with perfect information, or a tree scenario (its ranges,
        defaults and assumptions are used), or its file / bundled name.
    values : mapping, optional
        Parameters to fix first; the conditions are then in the others.
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
    indifferent, both profiles are listed, exactly as :func:`backward_induction` does.

    Examples
    --------
    >>> import sympy
    >>> from negotiation import Parameter, ParameterSpace
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> space = ParameterSpace((Parameter("c", 2, 0, 10),))
    >>> c = space.symbols["c"]
    >>> entry = GameTree.from_nested(("Entrant", "Incumbent"), decision("Entrant", {
    ...     "Out": terminal(0, 2),
    ...     "In": decision("Incumbent", {"Fight": terminal(-1, 2 - c), "Accommodate": terminal(1, 1)})}),
    ...     parameters=space)
    >>> conditions = subgame_perfect_conditions(entry)
    >>> sorted((e.path_text(), str(e.condition)) for e in conditions.equilibria)
    [('In → Accommodate', 'c >= 1'), ('Out', 'c <= 1')]
    >>> [(t.parameter, t.value) for t in conditions.thresholds]
    [('c', Fraction(1, 1))]
    """
    import sympy

    from negotiation.symbolic.conditions import Condition, fix_parameters, tidy
    from negotiation.symbolic.regions import find_thresholds

    if isinstance(model, (str, Path)):
        from negotiation.scenario import load

        model = load(model)
    if isinstance(model, GameTree):
        tree, space, assumptions, title = model, model.parameters, (), model.title
        name = title or "tree"
    else:
        tree = getattr(model, "game", None)
        if not isinstance(tree, GameTree):
            raise TreeError(f"{getattr(model, 'id', model)}: subgame_perfect_conditions needs a game tree")
        space, assumptions, title = model.parameters, tuple(model.assumptions), model.title
        name = str(model.source) if getattr(model, "source", None) else model.id
    _require_perfect_information(tree, "subgame_perfect_conditions")
    setup = fix_parameters(space, assumptions, values, name=name, error=TreeError, budget=budget)
    free, fixed, reference = setup.free, setup.fixed, setup.reference
    assumption_texts, context, sym = list(setup.assumption_texts), setup.context, setup.sym

    payoffs = tree.payoffs
    probability = tree._probability
    n_players = tree.n_players
    first = tree.first_child
    count = tree.n_children
    kind = tree.node_kind
    leaf_of_node = tree._structure["leaf_of_node"]
    partial: dict = {}
    notes = []
    for j in range(tree.n_nodes - 1, -1, -1):
        if kind[j] == TERMINAL:
            row = int(leaf_of_node[j])
            partial[j] = [(tuple(sym(v) for v in payoffs[row]), (), {})]
            continue
        start, k = int(first[j]), int(count[j])
        children = [partial.pop(c) for c in range(start, start + k)]
        total = math.prod(len(c) for c in children)
        if total * (k if kind[j] == DECISION else 1) > max_candidates:
            raise TreeError(f"{name}: more than {max_candidates} candidate profiles at node "
                            f"{tree.path_text(j) or 'root'!r}; fix some parameters (values=...) or raise max_candidates")
        out = []
        if kind[j] == DECISION:
            p = int(tree.node_player[j])
            for combo in itertools.product(*children):
                merged = {}
                for _, _, conjunction in combo:
                    merged.update(_merge(merged, conjunction))
                choices = tuple(itertools.chain(*(entry[1] for entry in combo)))
                for a in range(k):
                    comparisons = [(key, signs) for key, signs in merged.items()]
                    comparisons += [(sympy.expand(combo[a][0][p] - combo[b][0][p]), ">=")
                                    for b in range(k) if b != a]
                    conjunction = context.conjunction(comparisons)
                    if conjunction is None:
                        continue
                    out.append((combo[a][0], choices + ((j, a),), conjunction))
        else:
            weights = [sym(probability[c]) for c in range(start, start + k)]
            for combo in itertools.product(*children):
                merged = {}
                for _, _, conjunction in combo:
                    merged.update(_merge(merged, conjunction))
                conjunction = context.conjunction(list(merged.items()))
                if conjunction is None:
                    continue
                value = tuple(sympy.expand(sum(w * entry[0][q] for w, entry in zip(weights, combo)))
                              for q in range(n_players))
                out.append((value, tuple(itertools.chain(*(entry[1] for entry in combo))), conjunction))
        partial[j] = out
    infoset = tree.node_information_set
    equilibria = []
    by_outcome: dict = {}
    for value, choices, conjunction in partial[0]:
        condition = context.condition([conjunction])
        if condition.never:
            continue
        chosen = np.full(tree.n_information_sets, -1, dtype=np.int64)
        for node, action in choices:
            chosen[int(infoset[node])] = action
        profile = BehaviourProfile(tree, choices=chosen)
        outcomes = _symbolic_outcomes(tree, chosen, sym)
        shown = {player: tidy(v, context.reference) for player, v in zip(tree.players, value)}
        interior = Condition(tuple(c for c in condition.alternatives if not any(a.relation == "==" for a in c)))
        equilibrium = ConditionalEquilibrium(profile, shown, outcomes, condition, interior)
        equilibria.append(equilibrium)
        if not interior.never:
            by_outcome.setdefault(equilibrium.path_text(), []).append(interior)
    outcome_regions = {path: context.condition([[(a.expression, a.signs) for a in conjunction]
                                                for region in regions for conjunction in region.alternatives])
                       for path, regions in by_outcome.items()}
    named = {f"SPE {k + 1} ({e.path_text()})": e.interior for k, e in enumerate(equilibria) if not e.boundary_only}
    thresholds = find_thresholds(named, context, free, {k: v for k, v in reference.items() if k not in fixed})
    if not equilibria:
        notes.append("no profile is subgame perfect anywhere in the parameter box (check the assumptions)")
    return SubgamePerfectConditions(
        title=title, players=tree.players, parameters=free, values=fixed, assumptions=tuple(assumption_texts),
        equilibria=tuple(equilibria), outcomes=outcome_regions, thresholds=thresholds, notes=tuple(notes),
        tree=tree,
    )


def _merge(merged: dict, conjunction: dict) -> dict:
    out = {}
    for key, signs in conjunction.items():
        out[key] = merged.get(key, signs) & signs
    return out


def _symbolic_outcomes(tree, chosen, sym) -> tuple:
    import sympy

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
