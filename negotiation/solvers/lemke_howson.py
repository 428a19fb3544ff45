"""One equilibrium of a two-player game by the Lemke–Howson algorithm.

Method (Lemke and Howson, SIAM J. Appl. Math. 12, 1964; von Stengel,
"Computing equilibria for two-person games", Handbook of Game Theory 3, 2002,
§2.5; von Stengel, Algorithmic Game Theory, 2007, ch. 3.5–3.6):

1. Map both payoff matrices affinely onto positive matrices ``A', B'``
   (exact games: positive integers by :func:`negotiation.core.linalg.integerise`;
   float games: ``(M - min) / (max - min) + 1``). Equilibria are unchanged.
2. Write the best-response polytopes ``P = {x >= 0 : B'^T x <= 1}`` and
   ``Q = {y >= 0 : A' y <= 1}`` as two tableaux with slack variables. Labels
   ``0 … m-1`` are player 1's strategies (``x_i`` or the slack of row ``i`` of
   ``A' y``), labels ``m … m+n-1`` are player 2's (the slack of column ``j`` of
   ``B'^T x``, or ``y_j``).
3. Start at the artificial equilibrium ``(0, 0)``, let the variable with the
   *initial label* enter, and keep pivoting: the variable that leaves one
   tableau has a label that is now duplicated, and the variable with that
   label enters the other tableau. Stop when the initial label leaves: the
   pair is completely labelled, hence an equilibrium.

The leaving variable is chosen by the **lexicographic** minimum-ratio test
(ratios of the right-hand side, then of the columns of the inverse basis),
a symbolic perturbation that makes the path unique and finite in degenerate
games too. Exact games are pivoted fraction-free in Python integers (every
tableau entry stays an integer, the common denominator is the last pivot), so
the equilibrium is exact. Float games are pivoted in floating point.

The profile found is always verified (:func:`negotiation.solvers.verify.verified_equilibrium`).
If anything goes wrong — pivot budget exhausted, no pivot row, non-finite
numbers, a failed verification — the result is the first equilibrium found by
:func:`negotiation.solvers.vertex_enumeration.vertex_enumeration`, and a
message says so.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.core.linalg import integerise
from negotiation.models.profile import MixedProfile
from negotiation.results.game import SolveResult
from negotiation.solvers.methods import game_method
from negotiation.solvers.verify import VerificationError, verified_equilibrium
from negotiation.solvers.vertex_enumeration import vertex_enumeration

__all__ = ["lemke_howson", "lemke_howson_enumeration", "default_pivot_budget", "MAX_ENUMERATION_WORK"]

#: Float tableaux: entries at most this are not used as pivots; ratios this close tie.
FLOAT_TOLERANCE_PIVOT = 1e-9
#: Work budget of :func:`lemke_howson_enumeration`: tableau entries updated by all its paths together (a pivot
#: of an m×n game updates max(m, n) × (m + n + 1)). 3 million is about 0.7 s (a random 30×30 game needs 3 205
#: pivots, 5.9 million entries, 1.4 s, for its 60 labels; 60×60 68 386 pivots and 100 s); past it the labels
#: left are skipped and the result says so. ``max_work=`` raises it.
MAX_ENUMERATION_WORK = 3_000_000


class _PivotFailure(RuntimeError):
    """The pivoting could not continue (a reason for falling back)."""


def default_pivot_budget(m: int, n: int) -> int:
    """Pivots allowed before giving up: ``max(2000, 50 (m + n)^2)``.

    The lexicographic rule cannot cycle, so the budget only stops the
    (rare, exponentially long) paths of specially constructed games.

    Examples
    --------
    >>> default_pivot_budget(3, 3), default_pivot_budget(10, 10)
    (2000, 20000)
    """
    return max(2000, 50 * (m + n) ** 2)


@game_method("lemke_howson")
def lemke_howson(game, initial_label=0, *, max_pivots: int | None = None) -> SolveResult:
    """One equilibrium of a two-player game, found by complementary pivoting.

    Parameters
    ----------
    game : Game
        A numeric two-player game (exact or float).
    initial_label : int, str or (str, str)
        The label dropped first: an index ``0 … m+n-1`` (player 1's strategies,
        then player 2's), a strategy label that only one player has, or a
        ``(player, strategy)`` pair. Different labels may lead to different
        equilibria.
    max_pivots : int, optional
        Pivot budget (default :func:`default_pivot_budget`). When it runs out
        the result falls back to vertex enumeration.

    Returns
    -------
    SolveResult
        One equilibrium (``complete=False``), exact for exact games.
        ``details`` holds the initial label (as ``{"player", "strategy"}``)
        and the number of pivots; ``degenerate`` is ``True`` when the path met
        a degenerate vertex, else ``None`` (one path cannot tell).

    Examples
    --------
    >>> from negotiation import Game
    >>> battle = Game.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]],
    ...     players=("Row", "Column"), strategies=(("Opera", "Fight"), ("Opera", "Fight")))
    >>> result = lemke_howson(battle)
    >>> result[0].profile.describe(), result.exact, result.complete
    ('Row: Opera; Column: Opera', True, False)
    >>> result.details["initial_label"], result.details["pivots"]
    ({'player': 'Row', 'strategy': 'Opera'}, 2)
    >>> lemke_howson(battle, ("Column", "Fight"))[0].profile.describe()
    'Row: Fight; Column: Fight'
    """
    _check_game(game, "lemke_howson")
    m, n = game.shape
    label = _resolve_label(game, initial_label)
    budget = default_pivot_budget(m, n) if max_pivots is None else int(max_pivots)
    described = _describe_label(game, label)
    messages = _float_messages(game)
    try:
        vectors, pivots, degenerate = _follow_path(game, label, budget)
        equilibrium = verified_equilibrium(
            game, MixedProfile.from_vectors(game, vectors), method="lemke_howson"
        )
    except (_PivotFailure, VerificationError, ZeroDivisionError, ArithmeticError) as error:
        return _fallback(game, str(error), {"initial_label": described, "pivots": getattr(error, "pivots", None)})
    return SolveResult(
        game=game,
        equilibria=(equilibrium,),
        method="lemke_howson",
        exact=game.is_exact,
        complete=False,
        degenerate=degenerate,
        components=((0,),),
        parameters=dict(game.values),
        messages=tuple(messages),
        details={"initial_label": described, "pivots": pivots},
    )


@game_method("lemke_howson_enumeration")
def lemke_howson_enumeration(game, *, max_pivots: int | None = None,
                             max_work: int = MAX_ENUMERATION_WORK) -> SolveResult:
    """The distinct equilibria that Lemke–Howson reaches from the ``m + n`` initial labels.

    This is not a complete enumeration: equilibria that are not at the end of
    a path from the artificial equilibrium (in a nondegenerate game, those of
    index ``-1``; Shapley 1974) are never found. Use ``vertex_enumeration``
    for all of them.

    Paths share a work budget, ``max_work`` tableau entries updated (default
    :data:`MAX_ENUMERATION_WORK`); when it runs out the remaining initial labels are skipped
    and a message names them.

    Returns
    -------
    SolveResult
        ``complete=False``; ``details["found_from"]`` lists, for each
        equilibrium, the initial labels whose path ends there, and
        ``details["pivots"]`` each initial label with the pivots of its path.

    Examples
    --------
    >>> from negotiation import Game
    >>> stag_hunt = Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
    ...     strategies=(("Stag", "Hare"), ("Stag", "Hare")))
    >>> result = lemke_howson_enumeration(stag_hunt)
    >>> [e.profile.describe() for e in result]
    ['Player 1: Stag; Player 2: Stag', 'Player 1: Hare; Player 2: Hare']
    >>> [[f["strategy"] for f in labels] for labels in result.details["found_from"]]
    [['Stag', 'Stag'], ['Hare', 'Hare']]
    """
    _check_game(game, "lemke_howson_enumeration")
    m, n = game.shape
    budget = default_pivot_budget(m, n) if max_pivots is None else int(max_pivots)
    messages = _float_messages(game)
    equilibria, found_from, keys, pivot_counts = [], [], {}, []
    degenerate = None
    per_pivot = max(m, n) * (m + n + 1)
    work_left = max_work
    for label in range(m + n):
        described = _describe_label(game, label)
        if work_left < per_pivot:
            messages.append(f"work budget of {max_work:,} tableau entries (max_work=) used up: initial labels "
                            f"{label + 1} to {m + n} of {m + n} were not tried")
            break
        try:
            path_budget = min(budget, work_left // per_pivot)
            vectors, pivots, path_degenerate = _follow_path(game, label, path_budget)
            work_left -= pivots * per_pivot
            equilibrium = verified_equilibrium(
                game, MixedProfile.from_vectors(game, vectors), method="lemke_howson"
            )
        except (_PivotFailure, VerificationError, ArithmeticError) as error:
            work_left -= getattr(error, "pivots", 0) * per_pivot
            messages.append(
                f"initial label {described['player']}: {described['strategy']} gave no equilibrium ({error})"
            )
            pivot_counts.append({**described, "pivots": None})
            continue
        pivot_counts.append({**described, "pivots": pivots})
        degenerate = degenerate or path_degenerate
        key = _key(vectors, game.is_exact)
        if key not in keys:
            keys[key] = len(equilibria)
            equilibria.append(equilibrium)
            found_from.append([])
        found_from[keys[key]].append(described)
    if not equilibria:
        return _fallback(game, "no initial label gave an equilibrium", {"pivots": pivot_counts})
    messages.append(
        "Lemke–Howson from every initial label: equilibria not reachable from the artificial "
        "equilibrium are missing (vertex_enumeration lists all extreme equilibria)"
    )
    return SolveResult(
        game=game,
        equilibria=tuple(equilibria),
        method="lemke_howson_enumeration",
        exact=game.is_exact,
        complete=False,
        degenerate=degenerate,
        components=tuple((k,) for k in range(len(equilibria))),
        parameters=dict(game.values),
        messages=tuple(messages),
        details={"found_from": found_from, "pivots": pivot_counts},
    )


# ---------------------------------------------------------------------- the path
def _follow_path(game, label: int, budget: int):
    """Pivot from the artificial equilibrium dropping ``label``; return (vectors, pivots, degenerate)."""
    m, n = game.shape
    exact = game.is_exact
    A, B = _positive_matrices(game)
    # Tableau of P: rows = player 2's strategies (B'^T x + s = 1), basis = slacks s (labels m..m+n-1).
    row_tableau = _Tableau(
        np.hstack([np.asarray(B).T, _identity(n, exact)]), basis=list(range(m, m + n)),
        lex_columns=list(range(m, m + n)), exact=exact,
    )
    # Tableau of Q: rows = player 1's strategies (r + A' y = 1), basis = slacks r (labels 0..m-1).
    column_tableau = _Tableau(
        np.hstack([_identity(m, exact), np.asarray(A)]), basis=list(range(m)),
        lex_columns=list(range(m)), exact=exact,
    )
    tableau, other = (row_tableau, column_tableau) if label < m else (column_tableau, row_tableau)
    entering = label
    pivots = 0
    while True:
        if pivots >= budget:
            error = _PivotFailure(f"pivot budget of {budget} exhausted")
            error.pivots = pivots
            raise error
        leaving = tableau.pivot(entering)
        pivots += 1
        if leaving == label:
            break
        entering = leaving
        tableau, other = other, tableau
    x = row_tableau.values(range(m))
    y = column_tableau.values(range(m, m + n))
    degenerate = True if (row_tableau.degenerate or column_tableau.degenerate) else None
    return (_normalise(x, exact), _normalise(y, exact)), pivots, degenerate


class _Tableau:
    """A simplex tableau ``[M | I | 1]`` over the global labels, with lexicographic pivoting.

    Exact tableaux hold Python integers and pivot fraction-free: every row is
    ``det`` times the row of the ordinary tableau, where ``det`` is the last
    pivot element (the determinant of the basis up to sign; it stays positive).
    """

    def __init__(self, matrix, *, basis, lex_columns, exact):
        rows = matrix.shape[0]
        ones = np.ones((rows, 1), dtype=object if exact else float)  # object ones are Python ints
        self.table = np.hstack([matrix, ones]).astype(object if exact else float)
        self.basis = list(basis)
        self.lex_columns = list(lex_columns)
        self.exact = exact
        self.det = 1 if exact else 1.0
        self.degenerate = False

    def pivot(self, entering: int) -> int:
        """Let ``entering`` into the basis; return the label that leaves."""
        table = self.table
        column = table[:, entering]
        if self.exact:
            candidates = [r for r in range(table.shape[0]) if column[r] > 0]
        else:
            candidates = [r for r in range(table.shape[0]) if column[r] > FLOAT_TOLERANCE_PIVOT]
        if not candidates:
            raise _PivotFailure("no pivot row (unbounded edge)")
        for key in [table.shape[1] - 1] + self.lex_columns:
            if len(candidates) == 1:
                break
            candidates = self._minimum_ratio_rows(candidates, key, column)
        if len(candidates) != 1:
            if self.exact:  # impossible: rows of the inverse basis are independent
                raise _PivotFailure("lexicographic ratio test left a tie")
            candidates = candidates[:1]
        row = candidates[0]
        leaving = self.basis[row]
        self._pivot_on(row, entering)
        self.basis[row] = entering
        rhs = self.table[:, -1]
        if self.exact:
            if any(v == 0 for v in rhs):
                self.degenerate = True
        else:
            if not np.all(np.isfinite(self.table)):
                raise _PivotFailure("non-finite tableau entry")
            if np.any(rhs < -1e-7):
                raise _PivotFailure("lost feasibility in floating point")
        return leaving

    def _minimum_ratio_rows(self, candidates, key, column):
        table = self.table
        if self.exact:
            ratios = [Fraction(table[r, key], column[r]) for r in candidates]
            best = min(ratios)
            return [r for r, q in zip(candidates, ratios) if q == best]
        ratios = [table[r, key] / column[r] for r in candidates]
        best = min(ratios)
        tolerance = FLOAT_TOLERANCE_PIVOT * max(1.0, abs(best))
        return [r for r, q in zip(candidates, ratios) if q <= best + tolerance]

    def _pivot_on(self, row, col):
        table = self.table
        p = table[row, col]
        if self.exact:
            previous = self.det
            pivot_row = table[row].copy()
            for r in range(table.shape[0]):
                if r == row:
                    continue
                factor = table[r, col]
                if factor == 0:
                    table[r] = [v * p // previous for v in table[r]]
                else:
                    table[r] = [(v * p - factor * w) // previous for v, w in zip(table[r], pivot_row)]
            self.det = p
        else:
            table[row] = table[row] / p
            factors = table[:, col].copy()
            factors[row] = 0.0
            table -= np.outer(factors, table[row])
            table[:, col] = 0.0
            table[row, col] = 1.0

    def values(self, labels):
        """Values of the variables with these labels (0 when nonbasic)."""
        position = {label: r for r, label in enumerate(self.basis)}
        out = []
        for label in labels:
            r = position.get(label)
            if r is None:
                out.append(Fraction(0) if self.exact else 0.0)
            elif self.exact:
                out.append(Fraction(self.table[r, -1], self.det))
            else:
                out.append(float(self.table[r, -1]))
        return out


# ---------------------------------------------------------------------- helpers
def _check_game(game, name):
    if game.n_players != 2:
        raise NegotiationError(f"{name} needs a two-player game, this one has {game.n_players} players")
    if game.is_symbolic:
        raise NegotiationError("substitute parameter values before solving (game.substitute(...))")


def _positive_matrices(game):
    """Affine images of both payoff matrices with every entry >= 1."""
    out = []
    for player in (0, 1):
        M = game.payoff_array(player)
        if game.is_exact:
            integers, _, _ = integerise(list(M.flat))
            array = np.empty(M.shape, dtype=object)
            array.flat[:] = integers
            out.append(array)
        else:
            M = np.asarray(M, dtype=float)
            low, high = float(M.min()), float(M.max())
            if not (np.isfinite(low) and np.isfinite(high)):
                raise _PivotFailure("payoffs are not finite")
            out.append((M - low) / (high - low) + 1.0 if high > low else np.ones_like(M))
    return out


def _identity(k, exact):
    if exact:
        eye = np.zeros((k, k), dtype=object)  # Python int zeros
        for i in range(k):
            eye[i, i] = 1
        return eye
    return np.eye(k)


def _normalise(vector, exact):
    total = sum(vector)
    if total <= 0:
        raise _PivotFailure("ended at the artificial equilibrium")
    if exact:
        return tuple(v / total for v in vector)
    return tuple(max(float(v), 0.0) / total for v in vector)


def _resolve_label(game, label) -> int:
    """An initial label given as index, strategy label or (player, strategy) → global index."""
    m, n = game.shape
    if isinstance(label, (int, np.integer)) and not isinstance(label, (bool, np.bool_)):
        if 0 <= int(label) < m + n:
            return int(label)
        raise NegotiationError(f"initial label {label} is out of range: expected 0 … {m + n - 1}")
    if isinstance(label, str):
        owners = [p for p in (0, 1) if label in game.strategies[p]]
        if len(owners) == 1:
            p = owners[0]
            return game.strategies[p].index(label) + (m if p == 1 else 0)
        if not owners:
            raise NegotiationError(
                f"unknown initial label {label!r}: not a strategy of {game.players[0]} or {game.players[1]}"
            )
        raise NegotiationError(
            f"initial label {label!r} is a strategy of both players: "
            f"give (player, strategy), e.g. ({game.players[1]!r}, {label!r})"
        )
    if isinstance(label, tuple) and len(label) == 2:
        p = game.player_index(label[0])
        return game.strategy_index(p, label[1]) + (m if p == 1 else 0)
    raise NegotiationError(f"initial label {label!r}: expected an index, a strategy label or (player, strategy)")


def _describe_label(game, label: int) -> dict:
    m = game.shape[0]
    p, k = (0, label) if label < m else (1, label - m)
    return {"player": game.players[p], "strategy": game.strategies[p][k]}


def _float_messages(game) -> list:
    if game.is_exact:
        return []
    return [f"float payoffs: pivoted in floating point (pivots above {FLOAT_TOLERANCE_PIVOT:g}, payoffs mapped "
            "onto [1, 2])"]


def _key(vectors, exact):
    if exact:
        return tuple(vectors)
    return tuple(tuple(round(v, 9) for v in vector) for vector in vectors)


def _fallback(game, reason, details) -> SolveResult:
    result = vertex_enumeration(game)
    return SolveResult(
        game=game,
        equilibria=result.equilibria[:1],
        method="lemke_howson",
        exact=result.exact,
        complete=False,
        degenerate=result.degenerate,
        components=((0,),),
        parameters=dict(game.values),
        messages=(
            f"Lemke–Howson failed ({reason}); returned the first equilibrium found by "
            "vertex_enumeration instead",
        ) + tuple(result.messages),
        details={**details, "fallback": "vertex_enumeration"},
    )
