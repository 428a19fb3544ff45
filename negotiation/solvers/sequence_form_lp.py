"""Value and optimal behaviour strategies of zero-sum two-player game trees: the sequence-form linear programs.

Player 1 solves ``max q_0`` s.t. ``E x = e``, ``F^T q <= A^T x``, ``x >= 0`` and player 2 the dual
program (Koller, Megiddo & von Stengel 1996, §3); both are solved by SciPy's HiGHS and rebuilt
exactly from the float solution's support and tight constraints
(:func:`negotiation.core.linalg.solve_exact`). Equal exact objectives prove both plans optimal
(weak duality). Should the exact rebuild fail, the optimal pair comes from
:func:`~negotiation.solvers.sequence_form_lemke.lemke_plans` instead.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.core.linalg import solve_exact
from negotiation.core.numeric import format_number
from negotiation.models.tree import GameTree, TreeError
from negotiation.results.tree import TreeSolveResult
from negotiation.solvers.sequence_form import (SequenceForm, check_two_player_tree, rationalised, result_from_plans,
                                               sequence_form, verify_plans)
from negotiation.solvers.sequence_form_lemke import lemke_plans
from negotiation.solvers.verify import FLOAT_TOLERANCE, regret_tolerance, scaled_floats

__all__ = ["sequence_form_lp", "is_constant_sum", "SUPPORT_TOLERANCES", "FLOAT_TOLERANCE"]

#: A float LP value within this (payoffs scaled to [-1, 1]) counts as positive / tight; tried in turn.
SUPPORT_TOLERANCES = (1e-9, 1e-7, 1e-5)
#: Float trees are constant-sum when the payoff sums differ by at most this times the payoff scale (the larger
#: of the payoff range and the largest absolute payoff).


def is_constant_sum(tree: GameTree) -> bool:
    """Whether the players' payoffs add up to the same number at every terminal node.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> is_constant_sum(GameTree.from_nested(("A", "B"), decision("A", L=terminal(3, -1), R=terminal(0, 2))))
    True
    """
    if tree.is_symbolic:
        raise TreeError("substitute parameter values first (tree.substitute(...))")
    payoffs = tree.payoffs
    if tree.arithmetic == "float":
        # on the payoffs divided by their unit (a power of two): the sums cannot overflow, and the tolerance
        # is relative to the payoff scale, so the answer does not depend on the scale of the payoffs
        values, _ = scaled_floats(np.asarray(payoffs, dtype=float))
        if values.size == 0:
            return True
        totals = values.sum(axis=1)
        return float(totals.max() - totals.min()) <= regret_tolerance(values)
    totals = [sum(row) for row in payoffs]
    return len(set(totals)) <= 1


def sequence_form_lp(tree: GameTree) -> TreeSolveResult:
    """Value and optimal behaviour strategies of a zero-sum two-player tree (sequence-form LP).

    Parameters
    ----------
    tree : GameTree
        Two players, perfect recall, payoffs adding up to the same constant at every
        terminal node (zero-sum up to a constant).

    Returns
    -------
    TreeSolveResult
        One equilibrium (a pair of optimal strategies), method ``"sequence_form_lp"``,
        ``complete=False`` (the sets of optimal strategies may be larger).
        ``details["value"]`` is player 1's value (exact ``Fraction`` for exact trees).
        If the exact rebuild of the float LP solution fails, the equilibrium comes from
        :func:`sequence_form_lemke` and ``details["exact_rebuild"]`` is ``False``.

    Notes
    -----
    Player 1 solves ``max q_0`` s.t. ``E x = e``, ``F^T q - A^T x <= 0``, ``x >= 0`` (``q``
    free: the dual of player 2's best-response program), player 2 the mirror program
    ``min p_0`` s.t. ``F y = f``, ``E^T p - A y >= 0``, ``y >= 0``. Each float solution is
    rebuilt exactly from its support and tight constraints and checked exactly; equal
    objectives ``q_0 = p_0`` prove both optimal.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, chance, decision, terminal
    >>> def after_raise(win):
    ...     return decision("P2", {"Meet": terminal(win, -win), "Pass": terminal(1, -1)}, information_set="raised")
    >>> card_game = GameTree.from_nested(("P1", "P2"), chance({
    ...     "Red": ("1/2", decision("P1", {"Raise": after_raise(2), "Fold": terminal(1, -1)}, information_set="red")),
    ...     "Black": ("1/2", decision("P1", {"Raise": after_raise(-2), "Fold": terminal(-1, 1)},
    ...                               information_set="black"))}))
    >>> result = sequence_form_lp(card_game)
    >>> result.details["value"], result[0].profile.to_dict()["P2"]
    (Fraction(1, 3), {'raised': {'Meet': '2/3', 'Pass': '1/3'}})
    """
    check_two_player_tree(tree, "sequence_form_lp")
    if not is_constant_sum(tree):
        totals = [sum(row) for row in tree.payoffs]
        low, high = int(np.argmin(totals)), int(np.argmax(totals))
        paths = [tree.path_text(int(tree.leaf_nodes[r])) for r in (low, high)]
        raise TreeError(f"sequence_form_lp needs a zero-sum (constant-sum) tree: payoffs at {paths[0]!r} sum to "
                        f"{format_number(totals[low])} but at {paths[1]!r} to {format_number(totals[high])}; "
                        "use method='sequence_form_lemke'")
    form = sequence_form(tree)
    exact_form = rationalised(form)
    exact = form.exact
    messages = []
    plans = _lp_plans(exact_form)
    if plans is None:
        x, y, pivots = lemke_plans(exact_form, None)
        payoffs = verify_plans(exact_form, x, y)
        messages.append("the linear programs' solution could not be rebuilt exactly; the optimal pair comes "
                        "from sequence_form_lemke (exact complementary pivoting) instead")
        details = {"value": payoffs[0] if exact else float(payoffs[0]), "exact_rebuild": False, "pivots": pivots}
    else:
        x, y = plans
        payoffs = verify_plans(exact_form, x, y)
        details = {"value": payoffs[0] if exact else float(payoffs[0]), "exact_rebuild": True}
    if not exact:
        messages.append("float payoffs: solved and verified exactly on the rational values of the floats, "
                        "reported as floats")
    messages.append("one pair of optimal strategies: the sets of optimal strategies may be larger")
    return result_from_plans(form, x, y, payoffs, method="sequence_form_lp", exact=exact, messages=messages, details=details)


def _lp_plans(form: SequenceForm):
    """Exact optimal realisation plans ``(x, y)`` from HiGHS and an exact rebuild, or ``None``.

    ``form`` is exact. The programs are solved on ``A`` scaled to ``[-1, 1]``.
    """
    from scipy.optimize import linprog

    A = form.A.tolist()
    E = form.E.astype(float)
    F = form.F.astype(float)
    A_float = np.array([[float(v) for v in row] for row in A], dtype=float).reshape(form.shape)
    top = float(np.abs(A_float).max()) if A_float.size else 0.0
    scaled = A_float / top if top > 0 else A_float
    n1, n2 = form.shape
    k1, k2 = E.shape[0], F.shape[0]
    # player 1: variables (x, q); minimise -q_0; E x = e; F^T q - A^T x <= 0
    cost = np.zeros(n1 + k2)
    cost[n1] = -1.0
    one = linprog(cost, A_ub=np.hstack([-scaled.T, F.T]), b_ub=np.zeros(n2),
                  A_eq=np.hstack([E, np.zeros((k1, k2))]), b_eq=form.e.astype(float),
                  bounds=[(0, None)] * n1 + [(None, None)] * k2, method="highs")
    # player 2: variables (y, p); minimise p_0; F y = f; A y - E^T p <= 0
    cost = np.zeros(n2 + k1)
    cost[n2] = 1.0
    two = linprog(cost, A_ub=np.hstack([scaled, -E.T]), b_ub=np.zeros(n1),
                  A_eq=np.hstack([F, np.zeros((k2, k1))]), b_eq=form.f.astype(float),
                  bounds=[(0, None)] * n2 + [(None, None)] * k1, method="highs")
    if one.status != 0 or two.status != 0:
        return None
    x_float, q_float = one.x[:n1], one.x[n1:]
    y_float, p_float = two.x[:n2], two.x[n2:]
    slack_one = F.T @ q_float - scaled.T @ x_float  # <= 0, tight where 0
    slack_two = E.T @ p_float - scaled @ y_float  # >= 0, tight where 0
    E_rows, F_rows = form.E.tolist(), form.F.tolist()
    A_T = [list(col) for col in zip(*A)]
    for tolerance in SUPPORT_TOLERANCES:
        x = _rebuild(E_rows, form.e.tolist(), F_rows, A_T, x_float, slack_one, tolerance, maximise=True)
        y = _rebuild(F_rows, form.f.tolist(), E_rows, A, y_float, slack_two, tolerance, maximise=False)
        if x is not None and y is not None and x[1] == y[1]:
            return x[0], y[0]
    return None


def _rebuild(own, own_rhs, other, payoff, plan_float, slack_float, tolerance, *, maximise):
    """Exact plan and value from a float LP solution: its support and tight constraints, solved exactly.

    Player 1 (``maximise``): ``own = E``, ``other = F``, ``payoff = A^T``, constraints
    ``F^T q - A^T x <= 0``. Player 2: ``own = F``, ``other = E``, ``payoff = A``,
    constraints ``E^T p - A y >= 0``. Returns ``(plan, value)`` or ``None``.
    """
    n = len(own[0])
    k = len(other)
    m = len(other[0])
    support = [s for s in range(n) if plan_float[s] > tolerance]
    tight = [t for t in range(m) if abs(slack_float[t]) <= tolerance]
    equations, rhs = [], []
    for row, b in zip(own, own_rhs):
        equations.append([Fraction(row[s]) for s in support] + [Fraction(0)] * k)
        rhs.append(Fraction(b))
    for t in tight:
        equations.append([-payoff[t][s] for s in support] + [Fraction(other[j][t]) for j in range(k)])
        rhs.append(Fraction(0))
    solution = solve_exact(equations, rhs)
    if solution is None:
        return None
    plan = [Fraction(0)] * n
    for s, v in zip(support, solution[:len(support)]):
        plan[s] = v
    dual = solution[len(support):]
    if any(v < 0 for v in plan):
        return None
    for t in range(m):
        value = sum(other[j][t] * dual[j] for j in range(k) if other[j][t]) - \
            sum(payoff[t][s] * plan[s] for s in support if payoff[t][s])
        if (maximise and value > 0) or (not maximise and value < 0):
            return None
    return tuple(plan), dual[0]
