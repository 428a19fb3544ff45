"""Solving game trees: the family's entry to the front door ``ng.solve`` and the strategic-form route.

:func:`solve_tree` is what ``ng.solve(tree)`` runs for a :class:`~negotiation.models.tree.GameTree`
(registered with :func:`negotiation.solvers.front_door.solve`). ``method="auto"`` takes
:func:`~negotiation.solvers.backward_induction.backward_induction` (every pure subgame-perfect
equilibrium) for perfect information; otherwise, for two players, the reduced strategic form and
the strategic-form vertex enumeration (every extreme Nash equilibrium, turned into behaviour
strategies by Kuhn's theorem) while that form is small, and the sequence form
(:mod:`negotiation.solvers.sequence_form_lp`, :mod:`negotiation.solvers.sequence_form_lemke`)
when it would be large; ``"enumerate_pure"`` for more players. :data:`TREE_METHODS` lists every
method by name.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Mapping

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.models.tree import GameTree, TreeError
from negotiation.results.tree import BehaviourProfile, TreeEquilibrium, TreeSolveResult
from negotiation.solvers.backward_induction import backward_induction, reached_outcomes
from negotiation.solvers.front_door import solve
from negotiation.solvers.methods import check_options, solve_game
from negotiation.solvers.sequence_form import check_two_player_tree
from negotiation.solvers.sequence_form_lemke import sequence_form_lemke
from negotiation.solvers.sequence_form_lp import is_constant_sum, sequence_form_lp
from negotiation.solvers.verify import FLOAT_TOLERANCE, NumericalError, VerificationError, regret_tolerance

__all__ = ["solve_tree", "solve_sequence_form", "via_strategic_form", "TREE_METHODS", "AUTO_STRATEGIC_PROFILES"]

#: ``auto`` on a two-player tree with imperfect information uses the reduced strategic form (every
#: extreme equilibrium) while it has at most this many pure profiles, else the sequence form. Reduced
#: forms of trees are highly degenerate (chance, repeated payoffs): 3-card Kuhn poker's 27 × 64 form
#: already defeats the exact vertex enumeration, which its sequence form solves in milliseconds.
AUTO_STRATEGIC_PROFILES = 1_000
#: Float trees: a behaviour profile's payoffs match the strategic form's within this times the payoff scale.
_PAYOFF_CHECK = 1e-6


# ---------------------------------------------------------------------- the strategic-form route
def via_strategic_form(tree: GameTree, method: str, **options) -> TreeSolveResult:
    """Nash equilibria through the reduced strategic form, in behaviour strategies (Kuhn's theorem).

    ``method`` is a strategic-form method (``"vertex_enumeration"``, ``"enumerate_pure"``); its
    equilibria become behaviour profiles of the tree, equal ones merged, each checked to give the
    payoffs of the strategic form.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> entry = GameTree.from_nested(("Entrant", "Incumbent"), decision("Entrant", {
    ...     "Out": terminal(0, 2),
    ...     "In": decision("Incumbent", {"Fight": terminal(-1, -1), "Accommodate": terminal(1, 1)})}))
    >>> sorted(e.path_text() for e in via_strategic_form(entry, "enumerate_pure"))
    ['In → Accommodate', 'Out']
    """
    if not tree.has_perfect_recall:
        raise TreeError("behaviour strategies equivalent to mixed strategies need perfect recall "
                        "(Kuhn's theorem); this tree does not have it")
    game = tree.to_strategic_form()
    result = solve_game(game, method, **options)
    reduced = tree._reduced_strategies()
    leaf_payoffs, probability, mode = tree._solver_arrays()
    float_mode = mode == "float"
    # float trees: the payoffs match within _PAYOFF_CHECK times the payoff scale (relative: any scale works)
    tolerance = _PAYOFF_CHECK / FLOAT_TOLERANCE * regret_tolerance(leaf_payoffs) if float_mode else 0
    unique: dict = {}
    equilibria = []
    mapping = {}
    open_sets = False
    for index, equilibrium in enumerate(result.equilibria):
        behaviour = _kuhn(tree, equilibrium.profile, reduced, float_mode)
        open_sets |= any(p is None for p in behaviour)
        profile = BehaviourProfile.from_behaviour(tree, behaviour)
        key = profile.key()
        if key in unique:
            mapping[index] = unique[key]
            continue
        outcomes, _ = reached_outcomes(tree, None, probability, mode, behaviour=lambda k: behaviour[k])
        _check_payoffs(tree, outcomes, equilibrium.payoffs, float_mode, tolerance)
        unique[key] = mapping[index] = len(equilibria)
        equilibria.append(TreeEquilibrium(profile, tuple(equilibrium.payoffs), outcomes, equilibrium.regret))
    components = []
    for component in result.components:
        mapped = tuple(sorted({mapping[i] for i in component}))
        if mapped not in components:
            components.append(mapped)
    return TreeSolveResult(
        tree=tree, equilibria=tuple(equilibria), method=method, exact=result.exact, complete=result.complete,
        degenerate=result.degenerate, components=tuple(components), parameters=dict(tree.values),
        messages=(*result.messages, *_route_messages(tree, open_sets)),
        details={"route": "reduced strategic form", "strategic_form": "×".join(str(len(s)) for s in game.strategies)},
    )


def _route_messages(tree, open_sets: bool) -> list:
    if tree.is_perfect_information:
        messages = ["Nash equilibria of the tree through its reduced strategic form, including any that are "
                    "not subgame perfect; method='backward_induction' gives the subgame-perfect ones"]
    else:
        messages = ["Nash equilibria through the reduced strategic form, turned into behaviour strategies "
                    "(Kuhn's theorem); they are not refined to subgame perfection"]
    if open_sets:
        messages.append("information sets a player's own earlier moves never reach are left open (—): "
                        "any behaviour there gives the same outcome")
    return messages


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


def _check_payoffs(tree, outcomes, expected, float_mode, tolerance):
    """The behaviour profile's expected payoffs are the strategic form's (exactly, or for floats within
    ``tolerance``)."""
    totals = [0] * tree.n_players
    for path, reach in outcomes:
        payoffs = tree.leaf_payoffs(tree.find(path))
        for i, player in enumerate(tree.players):
            totals[i] += reach * payoffs[player]
    for total, value in zip(totals, expected):
        if float_mode and not math.isfinite(float(total)):
            raise NumericalError(f"{tree.title or 'tree'}: an expected payoff of a behaviour profile is {total}, not a "
                                 "finite number (payoffs near the float maximum)")
        if (float_mode and abs(float(total) - float(value)) > tolerance) or (not float_mode and total != value):
            raise VerificationError(f"behaviour profile gives payoff {total}, the strategic form {value}")


# ---------------------------------------------------------------------- the methods by name
def _solve_pure_strategic(tree, **options):
    return via_strategic_form(tree, "enumerate_pure", **options)


def _solve_vertex_strategic(tree, **options):
    return via_strategic_form(tree, "vertex_enumeration", **options)


def solve_sequence_form(tree: GameTree, **options) -> TreeSolveResult:
    """:func:`~negotiation.solvers.sequence_form_lp.sequence_form_lp` for zero-sum (constant-sum) trees,
    else :func:`~negotiation.solvers.sequence_form_lemke.sequence_form_lemke`.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> tree = GameTree.from_nested(("A", "B"), decision("A", L=terminal(1, -1), R=terminal(0, 0)))
    >>> solve_sequence_form(tree).method
    'sequence_form_lp'
    """
    check_two_player_tree(tree, "the sequence form")
    if is_constant_sum(tree):
        if options:
            raise TypeError(f"sequence_form_lp takes no options, got {', '.join(options)}")
        return sequence_form_lp(tree)
    return sequence_form_lemke(tree, **options)


#: ``method=`` names for trees.
TREE_METHODS = {
    "backward_induction": backward_induction,
    "vertex_enumeration": _solve_vertex_strategic,
    "enumerate_pure": _solve_pure_strategic,
    "sequence_form_lp": sequence_form_lp,
    "sequence_form_lemke": sequence_form_lemke,
    "sequence_form": solve_sequence_form,
}


# ---------------------------------------------------------------------- the front door for trees
@solve.register(GameTree, methods=tuple(TREE_METHODS))
def solve_tree(tree: GameTree, method: str = "auto", values: Mapping | None = None, **options) -> TreeSolveResult:
    """Equilibria of a game tree: what ``ng.solve(tree)`` runs.

    Parameters
    ----------
    tree : GameTree
        A numeric tree, or a symbolic one (solved at its defaults, or at ``values``).
    method : str
        ``"auto"``: ``"backward_induction"`` (every pure subgame-perfect equilibrium) for
        perfect information; otherwise ``"vertex_enumeration"`` for two players (every
        extreme Nash equilibrium of the reduced strategic form, in behaviour strategies) while
        the reduced strategic form is small, ``"sequence_form"`` when it is large, and
        ``"enumerate_pure"`` for more players. Or one of :data:`TREE_METHODS`.
    values : mapping, optional
        Parameter values (name -> number) to substitute first.
    **options
        Passed to the method.

    Returns
    -------
    TreeSolveResult

    Examples
    --------
    >>> import negotiation as ng
    >>> pennies = ng.GameTree.from_nested(("Hider", "Seeker"), ng.decision("Hider", {
    ...     "Left": ng.decision("Seeker", {"Left": ng.terminal(-1, 1), "Right": ng.terminal(1, -1)},
    ...                         information_set="guess"),
    ...     "Right": ng.decision("Seeker", {"Left": ng.terminal(1, -1), "Right": ng.terminal(-1, 1)},
    ...                          information_set="guess")}))
    >>> result = ng.solve(pennies)
    >>> result.method, result[0].profile.to_dict()["Seeker"]
    ('vertex_enumeration', {'guess': {'Left': '1/2', 'Right': '1/2'}})
    """
    if not isinstance(tree, GameTree):
        raise TypeError(f"solve_tree needs a GameTree, got {type(tree).__name__}")
    if tree.is_symbolic or values:
        tree = tree.substitute(values or {})
    note = None
    if method == "auto":
        method, note = _auto_method(tree)
    try:
        algorithm = TREE_METHODS[method]
    except KeyError:
        raise NegotiationError(f"unknown method {method!r} for a game tree "
                               f"(expected one of: auto, {', '.join(TREE_METHODS)})") from None
    check_options(method, algorithm, options)
    result = algorithm(tree, **options)
    if note is not None:
        result = replace(result, messages=(*result.messages, note))
    return result


def _auto_method(tree) -> tuple:
    """``(method, note)`` for ``method="auto"``: the note says why the sequence form was taken."""
    if tree.is_perfect_information:
        return "backward_induction", None
    if tree.n_players != 2:
        return "enumerate_pure", None
    bound = _strategic_size_bound(tree)
    if bound > AUTO_STRATEGIC_PROFILES and tree.has_perfect_recall:
        return "sequence_form", (f"auto: the reduced strategic form could have up to {bound:,} strategy profiles, "
                                 "so the tree was solved in the sequence form (one equilibrium; --method "
                                 "vertex_enumeration lists every extreme equilibrium of the reduced strategic form)")
    return "vertex_enumeration", None


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
