"""One Nash equilibrium of a two-player game tree by complementary pivoting on the sequence form.

The sequence-form linear complementarity problem is solved from a starting pair of
realisation plans ``(a, b)`` (the uniform behaviour strategies), as in von Stengel, van den
Elzen & Talman, Econometrica 70 (2002): with ``z_0`` going from 1 to 0, ``x`` (player 1's plan
times ``1 - z_0``) stays a best response to ``y + b z_0`` and ``y`` to ``x + a z_0``. Exact
integer (fraction-free) pivoting with a lexicographic ratio test; the free dual variables stay
basic. The sequence form itself, the exact check of the equilibrium and the conversion to
behaviour strategies are in :mod:`negotiation.solvers.sequence_form`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np

from negotiation.models.tree import GameTree
from negotiation.results.tree import TreeSolveResult
from negotiation.solvers.sequence_form import (SNAP_BITS, SequenceForm, SequenceFormError, at_unit_scale,
                                               best_response_value, check_two_player_tree, result_from_plans,
                                               sequence_form, verify_plans)

__all__ = ["sequence_form_lemke", "lemke_plans", "default_pivot_budget"]


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
    check_two_player_tree(tree, "sequence_form_lemke")
    form = sequence_form(tree)
    unit_form, unit = at_unit_scale(form)  # the same path for every positive multiple of the payoffs
    x, y, pivots = lemke_plans(unit_form, max_pivots)
    payoffs = tuple(value * unit for value in verify_plans(unit_form, x, y))
    messages = []
    if not form.exact:
        messages.append("float payoffs: pivoted and verified exactly on the rational values of the floats "
                        f"(divided by the largest, rounded to 2^-{SNAP_BITS}), reported as floats")
    messages.append("one Nash equilibrium (complementary pivoting from the uniform behaviour strategies); "
                    "others may exist")
    return result_from_plans(form, x, y, payoffs, method="sequence_form_lemke", exact=form.exact, messages=messages,
                   details={"pivots": pivots})


def _uniform_plan(form: SequenceForm, player: int) -> list:
    tree = form.tree
    behaviour = [None] * tree.n_information_sets
    for k in form.information_sets[player]:
        count = len(tree.information_set_actions[k])
        behaviour[k] = tuple(Fraction(1, count) for _ in range(count))
    plan = form.realisation_plan(player, behaviour)
    return [Fraction(v) for v in plan]


@dataclass(frozen=True)
class _Columns:
    """Where each block of variables starts in the tableau: ``x | y | w1 | w2 | u | v | z0 | rhs``.

    ``x(∅)`` and ``y(∅)`` are eliminated (both equal ``1 - z_0``), so ``x`` and ``w1`` have one column
    per non-empty sequence of player 1, ``y`` and ``w2`` per non-empty sequence of player 2; ``u`` and
    ``v`` (the free duals) one per information set.
    """

    x: int
    y: int
    w1: int
    w2: int
    u: int
    v: int
    z: int
    rhs: int

    @classmethod
    def of(cls, form: SequenceForm) -> "_Columns":
        n1, n2 = form.shape
        h1, h2 = len(form.information_sets[0]), len(form.information_sets[1])
        y = n1 - 1
        w1 = y + (n2 - 1)
        w2 = w1 + (n1 - 1)
        u = w2 + (n2 - 1)
        v = u + h1
        z = v + h2
        return cls(0, y, w1, w2, u, v, z, z + 1)

    @property
    def count(self) -> int:
        return self.rhs + 1

    def complement(self, column: int) -> int:
        """A plan variable's slack and a slack's plan variable."""
        if self.x <= column < self.w1:
            return column + (self.w1 - self.x)
        if self.w1 <= column < self.u:
            return column - (self.w1 - self.x)
        raise SequenceFormError(f"internal error: column {column} has no complement")


def lemke_plans(form: SequenceForm, max_pivots=None):
    """Exact realisation plans ``(x, y, pivots)`` of one equilibrium (``form`` is exact)."""
    n1, n2 = form.shape
    if len(form.information_sets[0]) + len(form.information_sets[1]) == 0:
        return (Fraction(1),), (Fraction(1),), 0
    a_plan, b_plan = _uniform_plan(form, 0), _uniform_plan(form, 1)
    columns = _Columns.of(form)
    B_T = [list(col) for col in zip(*form.B.tolist())]
    rows = (_equality_rows(form, 0, columns.x, columns) + _equality_rows(form, 1, columns.y, columns)
            + _complementarity_rows(form, 0, form.A.tolist(), b_plan, columns.w1, columns.u, columns.y, columns)
            + _complementarity_rows(form, 1, B_T, a_plan, columns.w2, columns.v, columns.x, columns))
    basis, entering = _starting_basis(form, columns, a_plan, b_plan)
    tableau = _Tableau(_integer_table(rows, columns.count), columns.rhs, free=set(range(columns.u, columns.z)))
    tableau.start(basis)
    budget = default_pivot_budget(len(rows)) if max_pivots is None else int(max_pivots)
    pivots = 0
    while True:
        if pivots >= budget:
            raise SequenceFormError(f"sequence_form_lemke: pivot budget of {budget} exhausted "
                                    "(raise max_pivots, or use method='vertex_enumeration')")
        leaving = tableau.pivot(entering)
        pivots += 1
        if leaving == columns.z:
            break
        entering = columns.complement(leaving)
    x = [Fraction(1)] + tableau.values(range(columns.x, columns.x + n1 - 1))
    y = [Fraction(1)] + tableau.values(range(columns.y, columns.y + n2 - 1))
    return tuple(x), tuple(y), pivots


def _equality_rows(form, player, first_column, columns) -> list:
    """``E x + e z_0 = e`` (``F y + f z_0 = f``) without the row of the empty sequence, one row per
    information set: its actions' sequences minus its parent sequence."""
    out = []
    for i in range(len(form.information_sets[player])):
        row = [Fraction(0)] * columns.count
        start = form.first_sequence[player][i]
        k = form.information_sets[player][i]
        for a in range(len(form.tree.information_set_actions[k])):
            row[first_column + start + a - 1] = Fraction(1)
        parent = form.parent_sequence[player][i]
        if parent == 0:
            row[columns.z] = Fraction(1)
            row[columns.rhs] = Fraction(1)
        else:
            row[first_column + parent - 1] = Fraction(-1)
        out.append(row)
    return out


def _complementarity_rows(form, player, M, start_plan, first_own_slack, first_dual, first_other, columns) -> list:
    """``w = E^T u - M (y + b z_0)`` for each non-empty sequence of ``player`` (``M`` is ``A`` or ``B^T``)."""
    out = []
    children = {}
    for i, parent in enumerate(form.parent_sequence[player]):
        children.setdefault(parent, []).append(i)
    owner = {}
    for i, start in enumerate(form.first_sequence[player]):
        k = form.information_sets[player][i]
        for a in range(len(form.tree.information_set_actions[k])):
            owner[start + a] = i
    for s in range(1, len(form.sequences[player])):
        row = [Fraction(0)] * columns.count
        row[first_own_slack + s - 1] = Fraction(1)
        row[first_dual + owner[s]] -= 1
        for i in children.get(s, ()):
            row[first_dual + i] += 1
        for t in range(1, len(M[s])):
            row[first_other + t - 1] = M[s][t]
        row[columns.z] = -M[s][0] + sum((M[s][t] * v for t, v in enumerate(start_plan) if v), Fraction(0))
        row[columns.rhs] = -M[s][0]
        out.append(row)
    return out


def _integer_table(rows, count):
    """The rows scaled to integers (each by the lcm of its denominators), as an object array."""
    table = np.empty((len(rows), count), dtype=object)
    for r, row in enumerate(rows):
        scale = 1
        for v in row:
            scale = lcm(scale, v.denominator)
        table[r, :] = [int(v * scale) for v in row]
    return table


def _starting_basis(form, columns, a_plan, b_plan) -> tuple:
    """The first basis (free duals, ``z_0``, the best responses to the starting plans, slacks elsewhere)
    and the column that enters first (one best response at a root information set)."""
    _, best1 = best_response_value(form, 0, b_plan, choices=True)
    _, best2 = best_response_value(form, 1, a_plan, choices=True)
    chosen = [{form.first_sequence[0][i] + a for i, a in enumerate(best1)},
              {form.first_sequence[1][i] + a for i, a in enumerate(best2)}]
    if form.information_sets[0]:
        missing_player, missing_set = 0, form.parent_sequence[0].index(0)
    else:
        missing_player, missing_set = 1, form.parent_sequence[1].index(0)
    missing = form.first_sequence[missing_player][missing_set] + (best1, best2)[missing_player][missing_set]
    basis = list(range(columns.u, columns.z + 1))
    for p, (own, slack) in enumerate(((columns.x, columns.w1), (columns.y, columns.w2))):
        for s in range(1, len(form.sequences[p])):
            if s in chosen[p]:
                if not (p == missing_player and s == missing):
                    basis.append(own + s - 1)
            else:
                basis.append(slack + s - 1)
    return basis, (columns.x if missing_player == 0 else columns.y) + missing - 1


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
