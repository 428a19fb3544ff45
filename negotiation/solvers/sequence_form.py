"""Nash equilibria of two-player game trees through the sequence form.

The reduced strategic form of a tree can be exponentially large; the *sequence
form* (Koller, Megiddo & von Stengel, Games Econ. Behav. 14, 1996; von Stengel,
Games Econ. Behav. 14, 1996) stays linear in the tree. A *sequence* of a player
is the empty sequence ``∅`` or one of its (information set, action) pairs: with
perfect recall, every information set ``h`` has a unique *parent sequence*
``σ(h)``, the player's last own move before it. A mixed strategy is summed up
by its *realisation plan* ``x``: the probability ``x(σ)`` that the player's own
moves follow ``σ``. Realisation plans are the vectors ``x >= 0`` with

    E x = e:   x(∅) = 1,   sum_a x(h a) = x(σ(h))  for every information set h,

(``F y = f`` for player 2). Expected payoffs are bilinear, ``x^T A y`` and
``x^T B y``, where ``A[σ, τ]`` sums, over the terminal nodes whose sequences are
``σ`` and ``τ``, the payoff times the probability of the chance moves on the path.

* :func:`sequence_form_lp` — zero-sum (constant-sum) trees: player 1 solves
  ``max q_0`` s.t. ``E x = e``, ``F^T q <= A^T x``, ``x >= 0`` and player 2 the dual
  program (Koller, Megiddo & von Stengel 1996, §3); both are solved by SciPy's
  HiGHS and rebuilt exactly from the float solution's support and tight
  constraints (:func:`negotiation.core.linalg.solve_exact`). Equal exact objectives
  prove both plans optimal (weak duality).
* :func:`sequence_form_lemke` — general two-player trees: the sequence-form
  linear complementarity problem solved by complementary pivoting from a starting
  pair of realisation plans ``(a, b)`` (the uniform behaviour strategies), as in
  von Stengel, van den Elzen & Talman, Econometrica 70 (2002): with ``z_0`` going
  from 1 to 0, ``x`` (player 1's plan times ``1 - z_0``) stays a best response to
  ``y + b z_0`` and ``y`` to ``x + a z_0``. Exact integer (fraction-free) pivoting
  with a lexicographic ratio test; the free dual variables stay basic.

Every equilibrium is verified exactly before it is returned: each realisation
plan must be feasible and reach the best-response value against the other's,
computed by backward induction over the player's own information sets.
Realisation plans become behaviour strategies by ``x(σ a) / x(σ)``; information
sets that the player's own earlier moves never reach (``x(σ) = 0``) are left
open, as :class:`~negotiation.results.tree.BehaviourProfile` documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from negotiation.core.linalg import solve_exact
from negotiation.core.numeric import format_number
from negotiation.models.tree import DECISION, GameTree, TreeError
from negotiation.results.tree import BehaviourProfile, TreeEquilibrium, TreeSolveResult

__all__ = ["SequenceForm", "SequenceFormError", "sequence_form", "sequence_form_lp", "sequence_form_lemke",
           "solve_sequence_form", "best_response_value", "is_constant_sum", "behaviour_from_plans"]

#: Label of the empty sequence.
EMPTY = "∅"
#: A float LP value within this (payoffs scaled to [-1, 1]) counts as positive / tight; tried in turn.
SUPPORT_TOLERANCES = (1e-9, 1e-7, 1e-5)
#: Float trees are constant-sum when the payoff sums differ by at most this times the payoff range.
FLOAT_TOLERANCE = 1e-9


class SequenceFormError(TreeError):
    """The sequence-form method could not finish (pivot budget, ray, unsupported tree)."""


# ---------------------------------------------------------------------- the sequence form
@dataclass(frozen=True, eq=False)
class SequenceForm:
    """The sequence form of a two-player tree with perfect recall.

    Attributes
    ----------
    tree : GameTree
    players : tuple of str
    sequences : tuple of two tuples of str
        Each player's sequences: ``"∅"`` first, then ``"information set: action"`` in
        information-set order (the tree's order of the player's information sets).
    information_sets : tuple of two tuples of int
        The tree's index of each of the player's information sets; information set
        number ``i`` of a player is row ``i + 1`` of ``E`` (``F``).
    parent_sequence : tuple of two tuples of int
        For each of the player's information sets, the index of its parent sequence.
    first_sequence : tuple of two tuples of int
        For each of the player's information sets, the index of the sequence of its first
        action (its actions' sequences are consecutive).
    E, e, F, f : numpy.ndarray
        Constraint matrices and right-hand sides (integers): ``E x = e`` and ``F y = f``.
    A, B : numpy.ndarray
        Payoff matrices over sequence pairs, chance probabilities folded in
        (``Fraction`` when exact, else float).
    exact : bool

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> pennies = GameTree.from_nested(("Hider", "Seeker"), decision("Hider", {
    ...     "Left": decision("Seeker", {"Left": terminal(-1, 1), "Right": terminal(1, -1)}, information_set="guess"),
    ...     "Right": decision("Seeker", {"Left": terminal(1, -1), "Right": terminal(-1, 1)}, information_set="guess")}))
    >>> form = sequence_form(pennies)
    >>> form.sequences
    (('∅', 'root: Left', 'root: Right'), ('∅', 'guess: Left', 'guess: Right'))
    >>> form.E.tolist(), form.shape
    ([[1, 0, 0], [-1, 1, 1]], (3, 3))
    >>> [[format_number(v) for v in row] for row in form.A]
    [['0', '0', '0'], ['0', '-1', '1'], ['0', '1', '-1']]
    """

    tree: Any = field(repr=False)
    players: tuple
    sequences: tuple
    information_sets: tuple
    parent_sequence: tuple
    first_sequence: tuple
    E: np.ndarray = field(repr=False)
    e: np.ndarray = field(repr=False)
    F: np.ndarray = field(repr=False)
    f: np.ndarray = field(repr=False)
    A: np.ndarray = field(repr=False)
    B: np.ndarray = field(repr=False)
    exact: bool = True

    @property
    def shape(self) -> tuple:
        """``(number of sequences of player 1, of player 2)``."""
        return (len(self.sequences[0]), len(self.sequences[1]))

    def constraints(self, player: int) -> tuple:
        """``(E, e)`` for player 0, ``(F, f)`` for player 1."""
        return (self.E, self.e) if player == 0 else (self.F, self.f)

    def payoff_matrix(self, player: int) -> np.ndarray:
        return self.A if player == 0 else self.B

    def payoffs(self, x, y) -> tuple:
        """Expected payoffs ``(x^T A y, x^T B y)`` of two realisation plans."""
        return (_bilinear(x, self.A, y), _bilinear(x, self.B, y))

    def realisation_plan(self, player: int, behaviour) -> tuple:
        """The realisation plan of ``behaviour`` (per tree information set, a tuple of action
        probabilities, ``None`` where open: those get probability 0 below them)."""
        plan = [Fraction(1) if self.exact else 1.0] + [None] * (len(self.sequences[player]) - 1)
        for i in _order_by_parent(self, player):
            k = self.information_sets[player][i]
            parent = plan[self.parent_sequence[player][i]]
            probs = behaviour[k]
            start = self.first_sequence[player][i]
            for a in range(len(self.tree.information_set_actions[k])):
                plan[start + a] = 0 * parent if probs is None else parent * probs[a]
        return tuple(plan)

    def __repr__(self) -> str:
        n1, n2 = self.shape
        return (f"SequenceForm({self.players[0]}: {n1} sequences, {self.players[1]}: {n2} sequences, "
                f"{'exact' if self.exact else 'float'})")


def sequence_form(tree: GameTree) -> SequenceForm:
    """The sequence form of a numeric two-player tree with perfect recall.

    Its size is linear in the tree: each player has ``1 +`` (number of its
    (information set, action) pairs) sequences. See :class:`SequenceForm`.

    Raises
    ------
    TreeError
        If the tree does not have two players, lacks perfect recall, or is symbolic.
    """
    _check_tree(tree, "the sequence form")
    owners = tree.information_set_player
    actions = tree.information_set_actions
    labels = tree.information_set_labels
    sets = [tuple(int(k) for k in np.flatnonzero(owners == p)) for p in (0, 1)]
    # sequence index of (information set k, action a) = start[k] + a
    start = np.zeros(tree.n_information_sets, dtype=np.int64)
    sequences = []
    for p in (0, 1):
        names = [EMPTY]
        for k in sets[p]:
            start[k] = len(names)
            names.extend(f"{labels[k]}: {a}" for a in actions[k])
        sequences.append(tuple(names))
    # each node's current sequence for both players (breadth-first order: parents come first)
    n = tree.n_nodes
    parent = tree.parent.tolist()
    kind = tree.node_kind.tolist()
    mover = tree.node_player.tolist()
    infoset = tree.node_information_set.tolist()
    first = tree.first_child.tolist()
    start_list = start.tolist()
    current = [[0] * n, [0] * n]
    for node in range(1, n):
        up = parent[node]
        for p in (0, 1):
            if kind[up] == DECISION and mover[up] == p:
                current[p][node] = start_list[infoset[up]] + node - first[up]
            else:
                current[p][node] = current[p][up]
    representative = tree._structure["infoset_node"].tolist()
    parent_sequence = tuple(tuple(current[p][representative[k]] for k in sets[p]) for p in (0, 1))
    first_sequence = tuple(tuple(start_list[k] for k in sets[p]) for p in (0, 1))
    constraints = []
    for p in (0, 1):
        matrix = np.zeros((1 + len(sets[p]), len(sequences[p])), dtype=np.int64)
        matrix[0, 0] = 1
        for i, k in enumerate(sets[p]):
            matrix[i + 1, parent_sequence[p][i]] = -1
            matrix[i + 1, start_list[k]:start_list[k] + len(actions[k])] = 1
        rhs = np.zeros(1 + len(sets[p]), dtype=np.int64)
        rhs[0] = 1
        constraints.append((matrix, rhs))
    exact = tree.arithmetic == "exact"
    shape = (len(sequences[0]), len(sequences[1]))
    if exact:
        A = np.full(shape, Fraction(0), dtype=object)
        B = np.full(shape, Fraction(0), dtype=object)
    else:
        A, B = np.zeros(shape), np.zeros(shape)
    reach = tree._chance_reach()
    payoffs = tree.payoffs
    for row, node in enumerate(tree.leaf_nodes.tolist()):
        weight = 1 if reach is None else reach[node]
        if weight == 0:
            continue
        s, t = current[0][node], current[1][node]
        A[s, t] += weight * payoffs[row, 0]
        B[s, t] += weight * payoffs[row, 1]
    for matrix in (A, B, constraints[0][0], constraints[1][0]):
        matrix.setflags(write=False)
    return SequenceForm(tree, tuple(tree.players), tuple(sequences), tuple(sets), parent_sequence, first_sequence,
                        constraints[0][0], constraints[0][1], constraints[1][0], constraints[1][1], A, B, exact)


def _check_tree(tree, what: str) -> None:
    if not isinstance(tree, GameTree):
        raise TypeError(f"{what} needs a GameTree, got {type(tree).__name__}")
    if tree.n_players != 2:
        raise TreeError(f"{what} needs a two-player tree, this one has {tree.n_players} players "
                        f"({', '.join(tree.players)}); use method='enumerate_pure'")
    if tree.is_symbolic:
        raise TreeError("substitute parameter values before solving (tree.substitute(...))")
    if not tree.has_perfect_recall:
        raise TreeError(f"{what} needs perfect recall (every player remembers its own earlier moves); "
                        "this tree does not have it")


def _bilinear(x, M, y):
    total = 0
    for i, xi in enumerate(x):
        if xi:
            row = M[i]
            total += xi * sum(row[j] * yj for j, yj in enumerate(y) if yj)
    return total


def _order_by_parent(form: SequenceForm, player: int) -> list:
    """The player's information sets (positions) ordered so that every parent sequence comes first."""
    owner_of = {}
    for i, s in enumerate(form.first_sequence[player]):
        k = form.information_sets[player][i]
        for a in range(len(form.tree.information_set_actions[k])):
            owner_of[s + a] = i
    depth = []
    for i in range(len(form.information_sets[player])):
        d, s = 0, form.parent_sequence[player][i]
        while s != 0:
            d += 1
            s = form.parent_sequence[player][owner_of[s]]
        depth.append(d)
    return sorted(range(len(depth)), key=lambda i: depth[i])


# ---------------------------------------------------------------------- best responses
def best_response_value(form: SequenceForm, player: int, opponent_plan, *, choices: bool = False):
    """The best payoff ``player`` (0 or 1) can get against the opponent's realisation plan.

    Backward induction over the player's own information sets: the value of a sequence
    is its own payoff weight (``(A y)_σ`` for player 0) plus the best continuation at each
    information set it leads to. Exact for exact plans.

    Parameters
    ----------
    choices : bool
        Also return, for each of the player's information sets (positions), the index of a
        best action (the first one).

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> pennies = GameTree.from_nested(("Hider", "Seeker"), decision("Hider", {
    ...     "Left": decision("Seeker", {"Left": terminal(-1, 1), "Right": terminal(1, -1)}, information_set="g"),
    ...     "Right": decision("Seeker", {"Left": terminal(1, -1), "Right": terminal(-1, 1)}, information_set="g")}))
    >>> form = sequence_form(pennies)
    >>> best_response_value(form, 0, (Fraction(1), Fraction(1, 4), Fraction(3, 4)))
    Fraction(1, 2)
    """
    M = form.A if player == 0 else form.B.T
    weight = [sum((M[s][t] * v for t, v in enumerate(opponent_plan) if v), 0 * M[s][0])
              for s in range(len(form.sequences[player]))]
    value = list(weight)
    best = [0] * len(form.information_sets[player])
    for i in reversed(_order_by_parent(form, player)):
        k = form.information_sets[player][i]
        start = form.first_sequence[player][i]
        options = [value[start + a] for a in range(len(form.tree.information_set_actions[k]))]
        top = max(options)
        best[i] = options.index(top)
        value[form.parent_sequence[player][i]] += top
    return (value[0], tuple(best)) if choices else value[0]


def _verify(form: SequenceForm, x, y) -> tuple:
    """Exact check that ``(x, y)`` is an equilibrium of the sequence form; returns the payoffs."""
    from negotiation.solvers.verify import VerificationError

    for p, plan in ((0, x), (1, y)):
        matrix, rhs = form.constraints(p)
        if any(v < 0 for v in plan):
            raise VerificationError(f"sequence form: {form.players[p]}'s realisation plan has a negative entry")
        if any(sum(int(c) * v for c, v in zip(row, plan) if c) != b for row, b in zip(matrix.tolist(), rhs.tolist())):
            raise VerificationError(f"sequence form: {form.players[p]}'s plan violates E x = e")
    payoffs = form.payoffs(x, y)
    for p, opponent in ((0, y), (1, x)):
        best = best_response_value(form, p, opponent)
        if best != payoffs[p]:
            raise VerificationError(f"sequence form: {form.players[p]} gets {format_number(payoffs[p])} but could "
                                    f"get {format_number(best)}")
    return payoffs


# ---------------------------------------------------------------------- behaviour strategies and results
def behaviour_from_plans(form: SequenceForm, x, y) -> tuple:
    """Behaviour strategy at every tree information set: ``x(σ a) / x(σ)``, ``None`` where ``x(σ) = 0``."""
    tree = form.tree
    behaviour = [None] * tree.n_information_sets
    for p, plan in ((0, x), (1, y)):
        for i, k in enumerate(form.information_sets[p]):
            parent = plan[form.parent_sequence[p][i]]
            if parent == 0:
                continue
            start = form.first_sequence[p][i]
            behaviour[k] = tuple(plan[start + a] / parent for a in range(len(tree.information_set_actions[k])))
    return tuple(behaviour)


def _result(form, x, y, payoffs, *, method, exact, messages, details) -> TreeSolveResult:
    from negotiation.solvers.backward_induction import _outcomes

    tree = form.tree
    behaviour = behaviour_from_plans(form, x, y)
    if not exact:
        behaviour = tuple(None if b is None else tuple(float(v) for v in b) for b in behaviour)
        payoffs = tuple(float(v) for v in payoffs)
    if all(b is not None and sum(1 for v in b if v) == 1 and max(b) == 1 for b in behaviour):
        profile = BehaviourProfile(tree, choices=np.array([b.index(max(b)) for b in behaviour], dtype=np.int64))
    else:
        profile = BehaviourProfile(tree, probabilities=behaviour)
    _, probability, mode = tree._solver_arrays()
    outcomes, cut = _outcomes(tree, None, probability, mode if exact else "float", behaviour=lambda k: behaviour[k])
    messages = list(messages)
    if any(b is None for b in behaviour):
        messages.append("information sets a player's own earlier moves never reach are left open (—): "
                        "any behaviour there gives the same outcome")
    if cut:
        messages.append("only the first reached terminal nodes are recorded")
    equilibrium = TreeEquilibrium(profile, tuple(payoffs), outcomes, Fraction(0) if exact else 0.0)
    details = {"route": "sequence form", "sequences": {form.players[0]: form.shape[0],
                                                       form.players[1]: form.shape[1]}, **details}
    return TreeSolveResult(tree=tree, equilibria=(equilibrium,), method=method, exact=exact, complete=False,
                           degenerate=None, components=((0,),), parameters=dict(tree.values),
                           messages=tuple(messages), details=details)


def _exact_form(form: SequenceForm) -> tuple:
    """``(A, B)`` as lists of Fraction rows (floats converted exactly)."""
    def convert(M):
        return [[v if isinstance(v, Fraction) else Fraction(float(v)) for v in row] for row in np.asarray(M)]
    return convert(form.A), convert(form.B)


# ---------------------------------------------------------------------- zero-sum: linear programming
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
    totals = [sum(row) for row in payoffs]
    if tree.arithmetic == "float":
        values = np.asarray(payoffs, dtype=float)
        span = max(float(values.max() - values.min()), 1.0) if values.size else 1.0
        return float(max(totals) - min(totals)) <= FLOAT_TOLERANCE * span
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
    _check_tree(tree, "sequence_form_lp")
    if not is_constant_sum(tree):
        totals = [sum(row) for row in tree.payoffs]
        low, high = int(np.argmin(totals)), int(np.argmax(totals))
        paths = [tree.path_text(int(tree.leaf_nodes[r])) for r in (low, high)]
        raise TreeError(f"sequence_form_lp needs a zero-sum (constant-sum) tree: payoffs at {paths[0]!r} sum to "
                        f"{format_number(totals[low])} but at {paths[1]!r} to {format_number(totals[high])}; "
                        "use method='sequence_form_lemke'")
    form = sequence_form(tree)
    exact_form = _rationalised(form)
    exact = form.exact
    messages = []
    plans = _lp_plans(exact_form)
    if plans is None:
        x, y, pivots = _lemke(exact_form, None)
        payoffs = _verify(exact_form, x, y)
        messages.append("the linear programs' solution could not be rebuilt exactly; the optimal pair comes "
                        "from sequence_form_lemke (exact complementary pivoting) instead")
        details = {"value": payoffs[0] if exact else float(payoffs[0]), "exact_rebuild": False, "pivots": pivots}
    else:
        x, y = plans
        payoffs = _verify(exact_form, x, y)
        details = {"value": payoffs[0] if exact else float(payoffs[0]), "exact_rebuild": True}
    if not exact:
        messages.append("float payoffs: solved and verified exactly on the rational values of the floats, "
                        "reported as floats")
    messages.append("one pair of optimal strategies: the sets of optimal strategies may be larger")
    return _result(form, x, y, payoffs, method="sequence_form_lp", exact=exact, messages=messages, details=details)


def _rationalised(form: SequenceForm) -> SequenceForm:
    """The same sequence form with exact matrices (float entries converted exactly)."""
    if form.exact:
        return form
    A, B = _exact_form(form)
    return SequenceForm(form.tree, form.players, form.sequences, form.information_sets, form.parent_sequence,
                        form.first_sequence, form.E, form.e, form.F, form.f, _object_array(A), _object_array(B), True)


def _object_array(rows):
    out = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        out[i, :] = row
    return out


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


# ---------------------------------------------------------------------- general sum: Lemke
def default_pivot_budget(rows: int) -> int:
    """Pivots allowed before giving up: ``max(2000, 50 rows^2)``.

    Examples
    --------
    >>> default_pivot_budget(4), default_pivot_budget(40)
    (2000, 80000)
    """
    return max(2000, 50 * rows * rows)


def sequence_form_lemke(tree: GameTree, *, max_pivots: int | None = None) -> TreeSolveResult:
    """One Nash equilibrium of a two-player tree by complementary pivoting on the sequence form.

    Parameters
    ----------
    tree : GameTree
        Two players, perfect recall, numeric (exact or float).
    max_pivots : int, optional
        Pivot budget (default :func:`default_pivot_budget` of the number of rows).

    Returns
    -------
    TreeSolveResult
        One equilibrium, method ``"sequence_form_lemke"``, ``complete=False``;
        ``details["pivots"]`` counts the pivots.

    Raises
    ------
    SequenceFormError
        If the pivot budget runs out (or the path ends in a ray, which the theory excludes).

    Notes
    -----
    The linear complementarity problem (von Stengel, van den Elzen & Talman 2002) in
    ``x, y >= 0``, free ``u, v`` and ``z_0 >= 0``, with starting plans ``a, b`` (uniform
    behaviour strategies)::

        E x + e z_0 = e,    w = E^T u - A (y + b z_0) >= 0,    x^T w = 0,
        F y + f z_0 = f,    w' = F^T v - B^T (x + a z_0) >= 0,  y^T w' = 0.

    At ``z_0 = 1``, ``x = y = 0``; the first basis holds the pure best responses to ``b``
    and ``a``. Complementary pivoting lowers ``z_0``; when it leaves the basis (``z_0 = 0``)
    ``(x, y)`` is an equilibrium. ``x(∅)`` and ``y(∅)`` equal ``1 - z_0`` and are
    eliminated. The tableau is pivoted fraction-free in Python integers with the
    lexicographic ratio test (rows of the initial basis' inverse), so degenerate trees
    cannot make it cycle.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> battle = GameTree.from_nested(("Ann", "Bob"), decision("Ann", {
    ...     "Opera": decision("Bob", {"Opera": terminal(3, 2), "Fight": terminal(0, 0)}, information_set="Bob"),
    ...     "Fight": decision("Bob", {"Opera": terminal(0, 0), "Fight": terminal(2, 3)}, information_set="Bob")}))
    >>> result = sequence_form_lemke(battle)
    >>> result.method, result[0].payoffs in {(3, 2), (2, 3), (Fraction(6, 5), Fraction(6, 5))}
    ('sequence_form_lemke', True)
    """
    _check_tree(tree, "sequence_form_lemke")
    form = sequence_form(tree)
    exact_form = _rationalised(form)
    x, y, pivots = _lemke(exact_form, max_pivots)
    payoffs = _verify(exact_form, x, y)
    messages = []
    if not form.exact:
        messages.append("float payoffs: pivoted and verified exactly on the rational values of the floats, "
                        "reported as floats")
    messages.append("one Nash equilibrium (complementary pivoting from the uniform behaviour strategies); "
                    "others may exist")
    return _result(form, x, y, payoffs, method="sequence_form_lemke", exact=form.exact, messages=messages,
                   details={"pivots": pivots})


def _uniform_plan(form: SequenceForm, player: int) -> list:
    tree = form.tree
    behaviour = [None] * tree.n_information_sets
    for k in form.information_sets[player]:
        count = len(tree.information_set_actions[k])
        behaviour[k] = tuple(Fraction(1, count) for _ in range(count))
    plan = form.realisation_plan(player, behaviour)
    return [Fraction(v) for v in plan]


def _lemke(form: SequenceForm, max_pivots):
    """Exact realisation plans ``(x, y, pivots)`` of one equilibrium (``form`` is exact)."""
    A, B = form.A.tolist(), form.B.tolist()
    n1, n2 = form.shape
    h1, h2 = len(form.information_sets[0]), len(form.information_sets[1])
    if h1 + h2 == 0:
        return (Fraction(1),), (Fraction(1),), 0
    a_plan, b_plan = _uniform_plan(form, 0), _uniform_plan(form, 1)
    B_T = [list(col) for col in zip(*B)]
    # columns: x (n1-1) | y (n2-1) | w1 (n1-1) | w2 (n2-1) | u (h1) | v (h2) | z0 | rhs
    cx, cy = 0, n1 - 1
    cw1 = cy + (n2 - 1)
    cw2 = cw1 + (n1 - 1)
    cu = cw2 + (n2 - 1)
    cv = cu + h1
    cz = cv + h2
    crhs = cz + 1
    columns = crhs + 1
    rows = []

    def equality_rows(player, first_column):
        out = []
        for i in range(len(form.information_sets[player])):
            row = [Fraction(0)] * columns
            start = form.first_sequence[player][i]
            k = form.information_sets[player][i]
            for a in range(len(form.tree.information_set_actions[k])):
                row[first_column + start + a - 1] = Fraction(1)
            parent = form.parent_sequence[player][i]
            if parent == 0:
                row[cz] = Fraction(1)
                row[crhs] = Fraction(1)
            else:
                row[first_column + parent - 1] = Fraction(-1)
            out.append(row)
        return out

    def complementarity_rows(player, M, start_plan, first_own_slack, first_dual, first_other):
        out = []
        n_own = len(form.sequences[player])
        children = {}
        for i, parent in enumerate(form.parent_sequence[player]):
            children.setdefault(parent, []).append(i)
        owner = {}
        for i, start in enumerate(form.first_sequence[player]):
            k = form.information_sets[player][i]
            for a in range(len(form.tree.information_set_actions[k])):
                owner[start + a] = i
        for s in range(1, n_own):
            row = [Fraction(0)] * columns
            row[first_own_slack + s - 1] = Fraction(1)
            row[first_dual + owner[s]] -= 1
            for i in children.get(s, ()):
                row[first_dual + i] += 1
            for t in range(1, len(M[s])):
                row[first_other + t - 1] = M[s][t]
            row[cz] = -M[s][0] + sum((M[s][t] * v for t, v in enumerate(start_plan) if v), Fraction(0))
            row[crhs] = -M[s][0]
            out.append(row)
        return out

    rows += equality_rows(0, cx)
    rows += equality_rows(1, cy)
    rows += complementarity_rows(0, A, b_plan, cw1, cu, cy)
    rows += complementarity_rows(1, B_T, a_plan, cw2, cv, cx)
    table = np.empty((len(rows), columns), dtype=object)
    for r, row in enumerate(rows):
        scale = 1
        for v in row:
            scale = lcm(scale, v.denominator)
        table[r, :] = [int(v * scale) for v in row]
    # the first basis: free duals, z0, best responses to the starting plans, slacks elsewhere
    _, best1 = best_response_value(form, 0, b_plan, choices=True)
    _, best2 = best_response_value(form, 1, a_plan, choices=True)
    chosen = [{form.first_sequence[0][i] + a for i, a in enumerate(best1)},
              {form.first_sequence[1][i] + a for i, a in enumerate(best2)}]
    if h1:
        missing_player, missing_set = 0, form.parent_sequence[0].index(0)
    else:
        missing_player, missing_set = 1, form.parent_sequence[1].index(0)
    missing = form.first_sequence[missing_player][missing_set] + (best1, best2)[missing_player][missing_set]
    basis_columns = list(range(cu, cz + 1))
    for p, (own, slack) in enumerate(((cx, cw1), (cy, cw2))):
        for s in range(1, len(form.sequences[p])):
            if s in chosen[p]:
                if not (p == missing_player and s == missing):
                    basis_columns.append(own + s - 1)
            else:
                basis_columns.append(slack + s - 1)
    tableau = _Tableau(table, crhs, free=set(range(cu, cz)))
    tableau.start(basis_columns)

    def complement(column):
        if cx <= column < cw1:  # x or y -> its slack
            return column + (cw1 - cx)
        if cw1 <= column < cu:
            return column - (cw1 - cx)
        raise SequenceFormError(f"internal error: column {column} has no complement")

    entering = (cx if missing_player == 0 else cy) + missing - 1
    budget = default_pivot_budget(len(rows)) if max_pivots is None else int(max_pivots)
    pivots = 0
    while True:
        if pivots >= budget:
            raise SequenceFormError(f"sequence_form_lemke: pivot budget of {budget} exhausted "
                                    "(raise max_pivots, or use method='vertex_enumeration')")
        leaving = tableau.pivot(entering)
        pivots += 1
        if leaving == cz:
            break
        entering = complement(leaving)
    x = [Fraction(1)] + tableau.values(range(cx, cx + n1 - 1))
    y = [Fraction(1)] + tableau.values(range(cy, cy + n2 - 1))
    return tuple(x), tuple(y), pivots


class _Tableau:
    """An integer tableau pivoted fraction-free, with a lexicographic ratio test.

    Invariant: ``table = det * (ordinary tableau)`` with ``det > 0``, so every entry stays an
    integer (a minor of the initial matrix) and signs are those of the ordinary tableau.
    Basic variables in ``free`` are never chosen to leave.
    """

    def __init__(self, table, rhs_column, *, free):
        self.table = table
        self.rhs = rhs_column
        self.free = free
        self.det = 1
        self.basis = [None] * table.shape[0]
        self.lex_columns = []

    def _pivot_on(self, row, column):
        table = self.table
        p = table[row, column]
        pivot_row = table[row].copy()
        factors = table[:, column].copy()
        factors[row] = 0
        table = table * p
        nonzero = np.flatnonzero(factors != 0)
        if nonzero.size:
            table[nonzero] -= np.outer(factors[nonzero], pivot_row)
        table //= self.det
        table[row] = pivot_row
        if p < 0:
            table = -table
            p = -p
        self.table = table
        self.det = p

    def start(self, columns):
        """Make ``columns`` basic (Gaussian elimination), then check feasibility."""
        if len(columns) != len(self.basis):
            raise SequenceFormError(f"internal error: {len(columns)} basic columns for {len(self.basis)} rows")
        # free columns first: they may take any row
        for column in sorted(columns, key=lambda c: c not in self.free):
            row = next((r for r in range(len(self.basis)) if self.basis[r] is None and self.table[r, column] != 0),
                       None)
            if row is None:
                raise SequenceFormError("internal error: the starting basis is singular")
            self._pivot_on(row, column)
            self.basis[row] = column
        for r, column in enumerate(self.basis):
            if column not in self.free and self.table[r, self.rhs] < 0:
                raise SequenceFormError("internal error: the starting basis is not feasible")
        self.lex_columns = list(self.basis)

    def pivot(self, entering):
        table = self.table
        column = table[:, entering]
        candidates = [r for r in range(len(self.basis)) if self.basis[r] not in self.free and column[r] > 0]
        if not candidates:
            raise SequenceFormError("sequence_form_lemke: the path ended in a ray (no pivot row)")
        for key in [self.rhs] + self.lex_columns:
            if len(candidates) == 1:
                break
            ratios = [Fraction(int(table[r, key]), int(column[r])) for r in candidates]
            best = min(ratios)
            candidates = [r for r, q in zip(candidates, ratios) if q == best]
        if len(candidates) != 1:
            raise SequenceFormError("internal error: the lexicographic ratio test left a tie")
        row = candidates[0]
        leaving = self.basis[row]
        self._pivot_on(row, entering)
        self.basis[row] = entering
        return leaving

    def values(self, columns) -> list:
        position = {c: r for r, c in enumerate(self.basis)}
        out = []
        for c in columns:
            r = position.get(c)
            out.append(Fraction(0) if r is None else Fraction(int(self.table[r, self.rhs]), self.det))
        return out


# ---------------------------------------------------------------------- front door
def solve_sequence_form(tree: GameTree, **options) -> TreeSolveResult:
    """:func:`sequence_form_lp` for zero-sum (constant-sum) trees, else :func:`sequence_form_lemke`.

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> tree = GameTree.from_nested(("A", "B"), decision("A", L=terminal(1, -1), R=terminal(0, 0)))
    >>> solve_sequence_form(tree).method
    'sequence_form_lp'
    """
    _check_tree(tree, "the sequence form")
    if is_constant_sum(tree):
        if options:
            raise TypeError(f"sequence_form_lp takes no options, got {', '.join(options)}")
        return sequence_form_lp(tree)
    return sequence_form_lemke(tree, **options)
