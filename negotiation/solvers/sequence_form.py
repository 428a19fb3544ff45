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

This module builds the sequence form (:func:`sequence_form`), the players' best responses to
a realisation plan (:func:`best_response_value`), the exact check of an equilibrium
(:func:`verify_plans`) and the result of a pair of plans (:func:`result_from_plans`). The
algorithms on it are :func:`~negotiation.solvers.sequence_form_lp.sequence_form_lp` (zero-sum
trees: linear programs, rebuilt exactly) and
:func:`~negotiation.solvers.sequence_form_lemke.sequence_form_lemke` (general two-player trees:
complementary pivoting); ``method="sequence_form"`` picks one
(:func:`negotiation.solvers.tree.solve_sequence_form`).

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
from typing import Any

import numpy as np

from negotiation.core.numeric import format_number
from negotiation.models.tree import DECISION, GameTree, TreeError
from negotiation.results.tree import BehaviourProfile, TreeEquilibrium, TreeSolveResult
from negotiation.solvers.backward_induction import reached_outcomes
from negotiation.solvers.verify import VerificationError

__all__ = ["SequenceForm", "SequenceFormError", "sequence_form", "best_response_value", "behaviour_from_plans",
           "check_two_player_tree", "verify_plans", "result_from_plans", "rationalised", "at_unit_scale"]

#: Label of the empty sequence.
EMPTY = "∅"


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
    check_two_player_tree(tree, "the sequence form")
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


def check_two_player_tree(tree, what: str) -> None:
    """Refuse, for ``what``, a tree without two players or perfect recall, or a symbolic one."""
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


def verify_plans(form: SequenceForm, x, y) -> tuple:
    """Exact check that ``(x, y)`` is an equilibrium of the sequence form; returns the payoffs."""
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


def result_from_plans(form, x, y, payoffs, *, method, exact, messages, details) -> TreeSolveResult:
    """The one equilibrium ``(x, y)`` (checked) as a result: behaviour strategies, outcomes, payoffs
    (floats again for a float tree)."""
    tree = form.tree
    behaviour = behaviour_from_plans(form, x, y)
    if not exact:
        behaviour = tuple(None if b is None else tuple(float(v) for v in b) for b in behaviour)
        payoffs = tuple(float(v) for v in payoffs)
    profile = BehaviourProfile.from_behaviour(tree, behaviour)
    _, probability, mode = tree._solver_arrays()
    outcomes, cut = reached_outcomes(tree, None, probability, mode if exact else "float", behaviour=lambda k: behaviour[k])
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


def rationalised(form: SequenceForm) -> SequenceForm:
    """The same sequence form with exact matrices (float entries converted exactly)."""
    if form.exact:
        return form
    A, B = _exact_form(form)
    return SequenceForm(form.tree, form.players, form.sequences, form.information_sets, form.parent_sequence,
                        form.first_sequence, form.E, form.e, form.F, form.f, _object_array(A), _object_array(B), True)


#: Float payoffs are rounded to multiples of 2**-SNAP_BITS of their largest magnitude before pivoting.
SNAP_BITS = 40


def at_unit_scale(form: SequenceForm) -> tuple:
    """``(form / unit, unit)``: the exact sequence form divided by its largest payoff magnitude ``unit``.

    Complementary pivoting with the lexicographic ratio test is not invariant under a common scale
    of the payoffs (the lexicographic rows mix scaled and unscaled quantities), so a degenerate tree
    scaled by 7 could end at another equilibrium than the tree itself. Dividing by the largest
    magnitude makes the tableau the same for every positive multiple of the payoffs. Float payoffs
    are also rounded to multiples of ``2**-SNAP_BITS`` after the division: the roundings of ``c · a``
    and ``c · b`` then leave no trace (a tie stays a tie), and the game moves by at most
    ``2**-41`` of its payoff scale, far inside the float tolerance. Payoffs of the result are
    multiplied back by ``unit``.
    """
    exact = rationalised(form)
    unit = max((abs(v) for M in (exact.A, exact.B) for v in np.asarray(M).ravel()), default=Fraction(0))
    if unit == 0:
        return exact, Fraction(1)
    grid = 2**SNAP_BITS

    def scaled(M):
        rows = [[v / unit for v in row] for row in np.asarray(M)]
        if not form.exact:
            rows = [[Fraction(round(v * grid), grid) for v in row] for row in rows]
        return _object_array(rows)

    return SequenceForm(form.tree, form.players, form.sequences, form.information_sets, form.parent_sequence,
                        form.first_sequence, form.E, form.e, form.F, form.f, scaled(exact.A), scaled(exact.B),
                        True), unit


def _object_array(rows):
    out = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        out[i, :] = row
    return out
