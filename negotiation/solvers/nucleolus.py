"""The least core and the nucleolus of a cooperative game, exactly: a sequence of linear programs in fractions.

The nucleolus (Schmeidler 1969) is the imputation that minimises the largest excess ``e(S, x) = v(S) − x(S)``
of any coalition, then the second largest, and so on (lexicographically). Following Maschler, Peleg and
Shapley (1979) and Kohlberg (1971), it is found by a sequence of linear programs: the k-th minimises
``ε`` subject to ``x(S) + ε ≥ v(S)`` for the coalitions not yet settled, with the settled ones held at
the excess they were settled at. After each program the coalitions whose constraint carries a positive
dual multiplier are tight at every optimum (complementary slackness), so they are settled at ``ε_k``;
every coalition whose indicator vector lies in the span of the settled ones then has a constant excess
and is dropped. The rank of the settled coalitions grows by at least one per program, so at most
``n − 1`` programs are solved, and the last one leaves a single point: the nucleolus.

Each program is solved in its dual form (``n + 1`` equality rows, one column per coalition) by a revised
simplex method in :class:`~fractions.Fraction` arithmetic with Bland's rule (no cycling, no rounding); the
primal point ``(x, ε)`` is the simplex multipliers ``c_B B^{-1}`` of the optimal basis.

References
----------
Schmeidler, D. (1969). "The nucleolus of a characteristic function game". *SIAM Journal on Applied
Mathematics* 17(6): 1163–1170.
Kohlberg, E. (1971). "On the nucleolus of a characteristic function game". *SIAM Journal on Applied
Mathematics* 20(1): 62–66.
Maschler, M., Peleg, B. and Shapley, L. S. (1979). "Geometric properties of the kernel, nucleolus,
and related solution concepts". *Mathematics of Operations Research* 4(4): 303–338.
Bland, R. G. (1977). "New finite pivoting rules for the simplex method". *Mathematics of Operations
Research* 2(2): 103–107.
Chvátal, V. (1983). *Linear Programming*. Freeman, ch. 7 (the revised simplex method) and ch. 5
(duality).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from negotiation.core.errors import SolverLimitError
from negotiation.models.cooperative import CooperativeError, CooperativeGame

__all__ = ["MAX_LP_PLAYERS", "MAX_PIVOTS", "LeastCore", "least_core", "nucleolus"]

#: Most players for the exact linear programs (core, least core, nucleolus): each program has one column per
#: coalition (2^n). At 10 players (1,024 columns) the nucleolus of a bankruptcy game takes a few seconds in
#: fractions (measured on one core of the development machine); every further player doubles the columns.
MAX_LP_PLAYERS = 10
#: Most simplex pivots per linear program (Bland's rule terminates, but can be slow on degenerate programs).
MAX_PIVOTS = 20_000


class _Unbounded(Exception):
    """The dual program is unbounded (its primal is infeasible)."""


def _simplex(columns: list, costs: list, rhs: list, *, max_pivots: int = MAX_PIVOTS):
    """``max costs·w`` subject to ``Σ_j columns[j]·w_j = rhs``, ``w ≥ 0`` (``rhs ≥ 0``), exactly.

    Returns ``(value, w, multipliers)`` with ``w`` a dict of the positive basic variables and ``multipliers``
    the simplex multipliers ``c_B B^{-1}`` (an optimal solution of the dual program), or ``None`` when the
    program is infeasible; raises :class:`_Unbounded` when it is unbounded.
    """
    rows = len(rhs)
    count = len(columns)
    artificial = [[Fraction(int(r == k)) for r in range(rows)] for k in range(rows)]
    every = columns + artificial
    basis = list(range(count, count + rows))
    inverse = [[Fraction(int(r == k)) for k in range(rows)] for r in range(rows)]
    level = [Fraction(b) for b in rhs]
    phase_one = [Fraction(0)] * count + [Fraction(-1)] * rows
    state = (basis, inverse, level)
    _optimise(every, phase_one, state, allowed=count + rows, max_pivots=max_pivots)
    if any(level[k] > 0 for k in range(rows) if basis[k] >= count):
        return None
    _drive_out(every, state, count)
    phase_two = [Fraction(c) for c in costs] + [Fraction(0)] * rows
    _optimise(every, phase_two, state, allowed=count, max_pivots=max_pivots)
    multipliers = _multipliers(phase_two, state)
    value = sum((phase_two[j] * level[k] for k, j in enumerate(basis)), Fraction(0))
    solution = {j: level[k] for k, j in enumerate(basis) if j < count and level[k] != 0}
    return value, solution, multipliers


def _multipliers(costs, state) -> list:
    basis, inverse, _ = state
    rows = len(basis)
    return [sum((costs[basis[k]] * inverse[k][r] for k in range(rows) if costs[basis[k]]), Fraction(0))
            for r in range(rows)]


def _optimise(every, costs, state, *, allowed: int, max_pivots: int) -> None:
    """Pivot until no column among the first ``allowed`` has a positive reduced cost (Bland's rule)."""
    basis, inverse, level = state
    rows = len(basis)
    for _ in range(max_pivots):
        prices = _multipliers(costs, state)
        in_basis = set(basis)
        entering = None
        for j in range(allowed):
            if j in in_basis:
                continue
            column = every[j]
            if costs[j] - sum((prices[r] * column[r] for r in range(rows) if column[r]), Fraction(0)) > 0:
                entering = j
                break
        if entering is None:
            return
        direction = _times(inverse, every[entering])
        leaving, best = None, None
        for k in range(rows):
            if direction[k] > 0:
                ratio = level[k] / direction[k]
                if best is None or ratio < best or (ratio == best and basis[k] < basis[leaving]):
                    leaving, best = k, ratio
        if leaving is None:
            raise _Unbounded()
        _pivot(state, leaving, entering, direction)
    raise SolverLimitError(f"the exact simplex method stopped after MAX_PIVOTS = {max_pivots:,} pivots "
                           "(raise it with max_pivots=)")


def _times(inverse, column) -> list:
    return [sum((row[r] * column[r] for r in range(len(column)) if column[r]), Fraction(0)) for row in inverse]


def _pivot(state, leaving: int, entering: int, direction: list) -> None:
    basis, inverse, level = state
    lead = direction[leaving]
    inverse[leaving] = [v / lead for v in inverse[leaving]]
    level[leaving] /= lead
    for k in range(len(basis)):
        if k != leaving and direction[k]:
            factor = direction[k]
            inverse[k] = [a - factor * b for a, b in zip(inverse[k], inverse[leaving])]
            level[k] -= factor * level[leaving]
    basis[leaving] = entering


def _drive_out(every, state, count: int) -> None:
    """Replace artificial basic variables (at level 0 after phase one) by original columns where a row allows."""
    basis, inverse, _ = state
    for k in range(len(basis)):
        if basis[k] < count:
            continue
        in_basis = set(basis)
        for j in range(count):
            if j not in in_basis:
                direction = _times(inverse, every[j])
                if direction[k] != 0:
                    _pivot(state, k, j, direction)
                    break
        # otherwise the row is redundant: its artificial stays basic at level 0 and never moves


@dataclass(frozen=True)
class LeastCore:
    """The first program of the sequence: the least core value ``ε*`` and one point of the least core.

    ``ε* ≤ 0`` if and only if the core is non-empty (Maschler, Peleg and Shapley 1979, §2).
    """

    epsilon: Fraction
    point: tuple
    tight: tuple

    @property
    def core_empty(self) -> bool:
        return self.epsilon > 0


def _check(game: CooperativeGame, max_players: int) -> None:
    if game.is_symbolic:
        raise CooperativeError("substitute parameter values before solving (game.substitute(...))")
    if not game.is_exact:
        raise CooperativeError("the core and the nucleolus are computed exactly: give the worths as exact numbers "
                               "(decimals as strings in scenario files)")
    if game.n_players > max_players:
        raise SolverLimitError(f"{game.n_players} players is more than MAX_LP_PLAYERS = {max_players} for the "
                               f"exact linear programs (2^n = {2 ** game.n_players:,} coalitions; raise it with "
                               "max_players=)")


def _program(game: CooperativeGame, free: list, settled: dict, imputations: bool):
    """The dual columns, costs and right-hand side of one program of the sequence (see the module docstring)."""
    n = game.n_players
    columns, costs, labels = [], [], []
    for mask in free:
        columns.append([Fraction(mask >> i & 1) for i in range(n)] + [Fraction(1)])
        costs.append(game.worth[mask])
        labels.append(("coalition", mask))
    for mask, excess in settled.items():
        vector = [Fraction(mask >> i & 1) for i in range(n)]
        target = game.worth[mask] - excess
        columns += [vector + [Fraction(0)], [-v for v in vector] + [Fraction(0)]]
        costs += [target, -target]
        labels += [("settled", mask), ("settled", mask)]
    if imputations:
        for i in range(n):
            columns.append([Fraction(int(i == k)) for k in range(n)] + [Fraction(0)])
            costs.append(game.worth[1 << i])
            labels.append(("individual", i))
    rhs = [Fraction(0)] * n + [Fraction(1)]
    return columns, costs, rhs, labels


def _solve_program(game, free, settled, imputations, max_pivots):
    columns, costs, rhs, labels = _program(game, free, settled, imputations)
    try:
        outcome = _simplex(columns, costs, rhs, max_pivots=max_pivots)
    except _Unbounded:
        outcome = None
    if outcome is None:  # the dual is infeasible or unbounded: the primal has no optimum
        raise CooperativeError("the imputation set is empty (the players' own worths add up to more than v(N))")
    value, solution, multipliers = outcome
    point = tuple(multipliers[:game.n_players])
    tight = tuple(sorted({labels[j][1] for j in solution if labels[j][0] == "coalition"}))
    return value, point, tight


def least_core(game: CooperativeGame, *, max_players: int = MAX_LP_PLAYERS, max_pivots: int = MAX_PIVOTS) -> LeastCore:
    """The least core value ``ε* = min_x max_{S ≠ ∅, N} (v(S) − x(S))`` over ``x(N) = v(N)``, exactly.

    Examples
    --------
    >>> majority = CooperativeGame.weighted_voting(("A", "B", "C"), [1, 1, 1], 2)
    >>> result = least_core(majority)
    >>> result.epsilon, result.core_empty, result.point
    (Fraction(1, 3), True, (Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)))
    """
    _check(game, max_players)
    full = game.n_coalitions - 1
    if game.n_players == 1:
        return LeastCore(Fraction(0), (game.grand_value,), ())
    free = list(range(1, full))
    epsilon, point, tight = _solve_program(game, free, {full: Fraction(0)}, False, max_pivots)
    return LeastCore(epsilon, point, tight)


class _Span:
    """Row echelon form of the settled coalitions' indicator vectors, for exact span membership."""

    def __init__(self, n: int):
        self.n = n
        self.rows: dict = {}  # pivot column -> row with 1 there

    def reduce(self, vector: list) -> list:
        vector = list(vector)
        for column, row in self.rows.items():
            if vector[column]:
                factor = vector[column]
                vector = [a - factor * b for a, b in zip(vector, row)]
        return vector

    def add(self, vector: list) -> bool:
        vector = self.reduce(vector)
        column = next((k for k, v in enumerate(vector) if v), None)
        if column is None:
            return False
        vector = [v / vector[column] for v in vector]
        for key, row in list(self.rows.items()):
            if row[column]:
                self.rows[key] = [a - row[column] * b for a, b in zip(row, vector)]
        self.rows[column] = vector
        return True

    def contains(self, mask: int) -> bool:
        return not any(self.reduce([Fraction(mask >> i & 1) for i in range(self.n)]))

    @property
    def rank(self) -> int:
        return len(self.rows)


def nucleolus(game: CooperativeGame, *, max_players: int = MAX_LP_PLAYERS, max_pivots: int = MAX_PIVOTS):
    """The nucleolus (over imputations) and the excess levels at which coalitions were settled, exactly.

    Returns ``(point, levels)``: ``point`` one exact payoff per player, ``levels`` a tuple of
    ``(ε_k, coalitions settled at ε_k as bit masks)`` in the order of the programs.

    Raises
    ------
    CooperativeError
        When the imputation set is empty (``Σ v(i) > v(N)``): the nucleolus is not defined.

    Examples
    --------
    The Talmud's estate of 200 with claims 100, 200 and 300 (Aumann and Maschler 1985, Table 1):

    >>> game = CooperativeGame.bankruptcy(("A", "B", "C"), 200, [100, 200, 300])
    >>> nucleolus(game)[0]
    (Fraction(50, 1), Fraction(75, 1), Fraction(75, 1))
    """
    _check(game, max_players)
    n = game.n_players
    full = game.n_coalitions - 1
    if sum(game.worth[1 << i] for i in range(n)) > game.grand_value:
        raise CooperativeError("the imputation set is empty (the players' own worths add up to more than v(N)): "
                               "the nucleolus is not defined")
    span = _Span(n)
    span.add([Fraction(1)] * n)
    settled = {full: Fraction(0)}
    free = [mask for mask in range(1, full) if not span.contains(mask)]
    point = (game.grand_value,) if n == 1 else None
    levels = []
    while free:
        epsilon, point, tight = _solve_program(game, free, settled, True, max_pivots)
        newly = [mask for mask in tight if mask in set(free)]
        for mask in newly:
            settled[mask] = epsilon
            span.add([Fraction(mask >> i & 1) for i in range(n)])
        levels.append((epsilon, tuple(newly)))
        free = [mask for mask in free if mask not in settled and not span.contains(mask)]
    if point is None:  # two or more players whose coalitions were all settled by efficiency: impossible
        raise CooperativeError("internal: no program was solved")  # pragma: no cover
    return tuple(point), tuple(levels)
