"""All extreme Nash equilibria of a two-player game, exactly.

Method (von Stengel, "Computing equilibria for two-person games", Handbook of
Game Theory 3, 2002, §3; Avis, Rosenberg, Savani and von Stengel, Economic
Theory 42, 2010):

1. Map both payoff matrices affinely onto positive integers ``A', B'``
   (equilibria are unchanged).
2. Enumerate the vertices of the best-response polytopes
   ``P = {x >= 0 : B'^T x <= 1}`` and ``Q = {y >= 0 : A' y <= 1}`` in floating
   point (:mod:`negotiation.solvers.polytope`). Labels: row ``i`` for
   ``x_i = 0`` or ``(A'y)_i = 1``; column label ``m + j`` for
   ``(B'^T x)_j = 1`` or ``y_j = 0``. Zero tests use a tolerance, so float label
   sets can only be too large, never too small.
3. Every completely labelled pair ``(x, y) != (0, 0)`` is a candidate extreme
   equilibrium (a vertex with exactly its dimension's number of labels has one
   possible partner, the vertex labelled by the complement, found by sorting;
   only degenerate vertices are paired all against all). For exact games each
   candidate vertex is rebuilt in exact rational arithmetic from its basis
   (FLINT's ``fmpz_mat.solve``, python-flint) and its labels are recomputed in
   integers; only pairs that are completely labelled *exactly* are kept. Each
   kept profile is then checked for exactly zero regret, in integers
   (:func:`negotiation.solvers.verify.verified_equilibria`).

Games with at most :data:`EXACT_BASIS_LIMIT` bases per polytope (2×2, 3×3, 2×n
for n ≤ 7) skip the float walk: every basis is solved exactly.
4. Extreme equilibria are grouped into maximal convex sets (components /
   cliques, :mod:`negotiation.solvers.components`).

The game is degenerate iff some vertex has more labels than its dimension
(some mixed strategy with support size ``k`` has more than ``k`` pure best
responses); this is decided exactly for exact games.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb, gcd, lcm

import numpy as np

from negotiation.core.linalg import integerise
from negotiation.models.profile import MixedProfile
from negotiation.results.game import SolveResult
from negotiation.solvers.components import maximal_cliques
from negotiation.solvers.polytope import (ZERO_TOLERANCE, TooManyBases, enumerate_vertices,
                                          enumerate_vertices_together,
                                          enumerate_vertices_exact, mask_keys)
from negotiation.solvers.verify import verified_equilibria
from negotiation.core.errors import NegotiationError, SolverLimitError
from negotiation.solvers.methods import game_method

__all__ = ["vertex_enumeration", "MAX_WORK", "MAX_CANDIDATES", "vertex_bound"]

#: Work budget of the polytope walk, in basis steps: each vertex the walk may visit (bounded by the upper bound
#: theorem, :func:`vertex_bound`; with the lexicographic rule the walk visits one basis per vertex of the
#: perturbed polytope) times the variables that may enter there (the dimension plus one). 700 000 admits every
#: game up to 12×12 (643 552; a random 12×12 game solves in about 0.1 s with the stacked walk of issue 14)
#: and 2×130, and refuses 13×13 (1.5 million) and up, 5×30 (847 044) and 3×100 (4.6 million steps).
MAX_WORK = 700_000
#: Completely labelled vertex pairs (candidate equilibria) rebuilt exactly and verified at most: each costs
#: about 1.5 ms (an identity game of size 9 has 511 and takes 0.7 s; of size 12, 4095).
MAX_CANDIDATES = 600
#: Entries of the pairing table (vertices of P × vertices of Q) compared at once (32 MiB of 8-byte masks).
_PAIRING_CHUNK = 4_000_000


@game_method("vertex_enumeration")
def vertex_enumeration(game, *, max_work: int = MAX_WORK) -> SolveResult:
    """Every extreme equilibrium of a two-player game, with its components.

    Exact (rational) payoffs give exact equilibria, verified to have zero
    regret; float payoffs give float equilibria with regret at most
    ``1e-9`` times the payoff scale (the larger of the payoff range and the
    largest absolute payoff; the game is solved divided by its payoff unit,
    :mod:`negotiation.solvers.scaling`). The result is complete: every extreme
    equilibrium is listed, and ``components`` groups them into the maximal
    convex sets of equilibria they span.

    Examples
    --------
    >>> from negotiation import Game
    >>> stag_hunt = Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]])
    >>> result = vertex_enumeration(stag_hunt)
    >>> [e.profile.describe() for e in result]
    ['Player 1: 1; Player 2: 1', 'Player 1: 2/3 1 + 1/3 2; Player 2: 2/3 1 + 1/3 2', 'Player 1: 2; Player 2: 2']
    >>> result.exact, result.complete, result.degenerate
    (True, True, False)
    """
    if game.n_players != 2:
        raise NegotiationError(f"vertex_enumeration needs a two-player game, this one has {game.n_players} players")
    if game.is_symbolic:
        raise NegotiationError("substitute parameter values before solving (game.substitute(...))")
    m, n = game.shape
    _check_work(m, n, max_work)
    exact = game.is_exact
    A_int, B_int = _positive_matrices(game)
    if exact and comb(m + n, m) <= EXACT_BASIS_LIMIT:
        vectors, degenerate = _small_exact(A_int, B_int, m, n)
        equilibria, x_ids, y_ids = _unique_equilibria(game, vectors, exact)
        return SolveResult(
            game=game, equilibria=tuple(equilibria), method="vertex_enumeration", exact=True,
            complete=True, degenerate=degenerate, components=maximal_cliques(list(zip(x_ids, y_ids))),
            parameters=dict(game.values),
        )
    # both divided by their largest entry (exact ones before rounding: integers beyond the float range convert)
    A_float = _unit_floats(A_int)
    B_float = _unit_floats(B_int)
    try:
        if m == n:  # same shape: one walk in the same arrays
            table_p, table_q = enumerate_vertices_together([B_float.T, A_float], max_bases=max_work)
        else:
            table_p = enumerate_vertices(B_float.T, max_bases=max_work)  # x in R^m, rows = columns of B
            table_q = enumerate_vertices(A_float, max_bases=max_work)    # y in R^n, rows = rows of A
    except TooManyBases as error:
        raise SolverLimitError(f"vertex_enumeration: polytope too degenerate to enumerate ({error}, the limit "
                               "max_work=); use method='lemke_howson' for one equilibrium") from None
    # global labels: rows 0..m-1, columns m..m+n-1 (P's own numbering; Q's has its coordinates first)
    labels_q = np.concatenate([table_q.labels[:, n:], table_q.labels[:, :n]], axis=1)
    candidates = _complementary_pairs(table_p.labels, labels_q, np.flatnonzero(table_p.points.any(axis=1)),
                                      np.flatnonzero(table_q.points.any(axis=1)), m)
    most = max(MAX_CANDIDATES, MAX_CANDIDATES * max_work // MAX_WORK)  # max_work= raises both budgets
    if len(candidates) > most:
        raise SolverLimitError(
            f"vertex_enumeration: the {m}×{n} game has {len(candidates):,} candidate equilibria (more than "
            f"{most:,}, the limit); use method='lemke_howson' for one equilibrium, or max_work= to raise the limit")
    messages = []
    if exact:
        vectors, degenerate = _certified_pairs(A_int, B_int, table_p, table_q, candidates, m, n)
    else:
        degenerate = bool((table_p.labels.sum(axis=1) > m).any() or (table_q.labels.sum(axis=1) > n).any())
        vectors = [(_normalise_float(table_p.points[i]), _normalise_float(table_q.points[j]))
                   for i, j in candidates]
        messages.append(f"float payoffs: labels decided with relative tolerance {ZERO_TOLERANCE:g}")
    equilibria, x_ids, y_ids = _unique_equilibria(game, vectors, exact)
    components = maximal_cliques(list(zip(x_ids, y_ids)))
    return SolveResult(
        game=game,
        equilibria=tuple(equilibria),
        method="vertex_enumeration",
        exact=exact,
        complete=True,
        degenerate=degenerate,
        components=components,
        parameters=dict(game.values),
        messages=tuple(messages),
    )


# ---------------------------------------------------------------------- helpers
def vertex_bound(dimension: int, facets: int) -> int:
    """Most vertices a ``dimension``-polytope with ``facets`` facets can have (McMullen's upper bound theorem).

    Examples
    --------
    >>> vertex_bound(2, 4), vertex_bound(3, 6)  # a quadrilateral; a 3-polytope with 6 facets (the cube: 8)
    (4, 8)
    """
    if facets <= dimension:
        return 1
    return (comb(facets - (dimension + 1) // 2, facets - dimension)
            + comb(facets - (dimension + 2) // 2, facets - dimension))


def _check_work(m: int, n: int, max_work: int) -> None:
    """Refuse, before the walk, an m×n game whose walk may take more than ``max_work`` basis steps (possible
    vertices of each polytope times its dimension plus one)."""
    work = vertex_bound(m, m + n) * (m + 1) + vertex_bound(n, m + n) * (n + 1)
    if work > max_work:
        steps = f"{work:,}" if work < 10 ** 15 else f"about 10^{len(str(work)) - 1}"
        raise SolverLimitError(
            f"vertex_enumeration: walking the {m}×{n} game's best-response polytopes may take {steps} basis steps "
            f"(more than {max_work:,}, the limit: games up to 12×12); use method='lemke_howson' for one "
            "equilibrium, or max_work= to raise the limit")


#: Games with at most this many bases per polytope (C(m+n, m)) are enumerated exactly basis by basis.
EXACT_BASIS_LIMIT = 40


def _small_exact(A_int, B_int, m, n):
    """Exact enumeration for small games: every basis of both polytopes in integer arithmetic."""
    vertices_p = enumerate_vertices_exact(np.asarray(B_int, dtype=object).T.tolist())
    vertices_q = enumerate_vertices_exact(np.asarray(A_int, dtype=object).tolist())
    labels_p = _bit_rows([v.labels for v in vertices_p], m + n)
    labels_q = _bit_rows([_q_to_global(v.labels, m, n) for v in vertices_q], m + n)
    nonzero_p = [i for i, v in enumerate(vertices_p) if any(v.point[0])]
    nonzero_q = [j for j, v in enumerate(vertices_q) if any(v.point[0])]
    pairs = _complementary_pairs(labels_p, labels_q, nonzero_p, nonzero_q, m)
    vectors = [(_canonical(vertices_p[i].point[0]), _canonical(vertices_q[j].point[0]))
               for i, j in pairs]
    degenerate = any(bin(v.labels).count("1") > m for v in vertices_p) or any(
        bin(v.labels).count("1") > n for v in vertices_q
    )
    return vectors, degenerate


def _positive_matrices(game):
    """Affine images of the payoff matrices with all entries >= 1 (exact ints or floats)."""
    A = game.payoff_array(0)
    B = game.payoff_array(1)
    if game.is_exact:
        out = []
        for M in (A, B):
            values = list(M.flat)
            if all(v.denominator == 1 for v in values):  # integer payoffs: shift them, no Fraction arithmetic
                low = min(v.numerator for v in values)
                ints = [v.numerator - low + 1 for v in values]
            else:
                ints, _, _ = integerise(values)
            out.append(np.array(ints, dtype=object).reshape(M.shape))
        return out
    out = []
    for M in (A, B):
        M = np.asarray(M, dtype=float)
        low, high = M.min(), M.max()
        out.append((M - low) / (high - low) + 1.0 if high > low else np.ones_like(M))
    return out


def _unit_floats(M) -> np.ndarray:
    """The positive matrix ``M`` divided by its largest entry, as floats (exact entries divided before rounding)."""
    if M.dtype != object:
        return M / M.max()
    top = max(M.flat)
    if top < 2 ** 53:  # every entry converts exactly: one rounding, in the division
        return np.array(M.tolist(), dtype=float) / float(top)
    return np.array([[float(Fraction(v, top)) for v in row] for row in M.tolist()], dtype=float).reshape(M.shape)


def _q_to_global(local: int, m: int, n: int) -> int:
    """Q's local labels (coordinates 0..n-1, rows n..n+m-1) to global ones."""
    coords = local & ((1 << n) - 1)
    rows = local >> n
    return (coords << m) | rows


def _bit_rows(masks, width: int) -> np.ndarray:
    """Integer bit masks as rows of a boolean matrix (bit ``k`` in column ``k``)."""
    return np.array([[(mask >> k) & 1 for k in range(width)] for mask in masks], dtype=bool).reshape(-1, width)


def _complementary_pairs(labels_p, labels_q, rows_p, rows_q, m: int) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of the given rows whose boolean label rows together cover every label.

    A vertex of P has at least ``m`` labels. When it has exactly ``m`` and its partner exactly ``n``, the
    partner's label set must be the complement of its own: those pairs are found by sorting and binary
    search. Only pairs with a degenerate side (more labels) are compared all against all.
    """
    rows_p, rows_q = np.asarray(rows_p, dtype=np.intp), np.asarray(rows_q, dtype=np.intp)
    if not len(rows_p) or not len(rows_q):
        return []
    width = labels_p.shape[1]
    if width > 63:  # too wide for one machine word: Python integers
        masks_p = [int.from_bytes(np.packbits(row, bitorder="little").tobytes(), "little") for row in labels_p[rows_p]]
        masks_q = [int.from_bytes(np.packbits(row, bitorder="little").tobytes(), "little") for row in labels_q[rows_q]]
        full = (1 << width) - 1
        return [(int(rows_p[a]), int(rows_q[b])) for a, x in enumerate(masks_p) for b, y in enumerate(masks_q)
                if x | y == full]
    full = np.uint64((1 << width) - 1)
    plain_p = labels_p[rows_p].sum(axis=1) == m
    plain_q = labels_q[rows_q].sum(axis=1) == width - m
    keys_p, keys_q = mask_keys(labels_p[rows_p]), mask_keys(labels_q[rows_q])
    # both nondegenerate: the labels of y are exactly the complement of those of x (distinct per row of Q)
    order = np.argsort(keys_q[plain_q])
    sorted_q = keys_q[plain_q][order]
    wanted = full ^ keys_p[plain_p]
    position = np.minimum(np.searchsorted(sorted_q, wanted), max(len(sorted_q) - 1, 0))
    hit = sorted_q[position] == wanted if len(sorted_q) else np.zeros(len(wanted), dtype=bool)
    pairs = list(zip(rows_p[plain_p][hit].tolist(), rows_q[plain_q][order[position[hit]]].tolist()))
    # a degenerate side: all against all (degenerate P against all of Q, nondegenerate P against degenerate Q)
    for side_p, side_q in ((~plain_p, np.ones(len(rows_q), dtype=bool)), (plain_p, ~plain_q)):
        pairs += _all_against_all(keys_p[side_p], keys_q[side_q], rows_p[side_p], rows_q[side_q], full)
    return pairs


def _all_against_all(keys_p, keys_q, rows_p, rows_q, full) -> list[tuple[int, int]]:
    if not len(keys_p) or not len(keys_q):
        return []
    step = max(1, _PAIRING_CHUNK // len(keys_q))  # rows of P per block: the table never exceeds the chunk
    pairs = []
    for start in range(0, len(keys_p), step):
        a, b = np.nonzero(np.bitwise_or.outer(keys_p[start:start + step], keys_q) == full)
        pairs.extend(zip(rows_p[start + a].tolist(), rows_q[b].tolist()))
    return pairs


def _certified_pairs(A_int, B_int, table_p, table_q, candidates, m, n):
    """The candidate pairs rebuilt exactly: ``(x, y)`` normalised, for the pairs completely labelled exactly,
    and whether the game is degenerate (some vertex with more exact labels than its dimension)."""
    rebuild_p = _ExactVertices(np.asarray(B_int, dtype=object).T.tolist(), table_p, 0)
    rebuild_q = _ExactVertices(np.asarray(A_int, dtype=object).tolist(), table_q, m)
    full = (1 << (m + n)) - 1
    vectors = []
    for i, j in candidates:
        xp, yq = rebuild_p.get(i), rebuild_q.get(j)
        if xp is not None and yq is not None and xp[1] | yq[1] == full:
            vectors.append((_canonical(xp[0]), _canonical(yq[0])))
    degenerate = rebuild_p.any_degenerate() or rebuild_q.any_degenerate()
    return vectors, degenerate


class _ExactVertices:
    """Exact rebuild (and exact global label sets) of float vertices, computed on demand and cached.

    The vertex's basis gives a square system ``matrix[rows, support] z = 1``, solved exactly by FLINT
    (python-flint's ``fmpz_mat.solve``, exact rational results); the labels are then recomputed in integers
    and given in the global numbering (``other`` is 0 for P, whose numbering is the global one, and ``m``
    for Q).
    """

    def __init__(self, matrix, table, other: int):
        self.matrix = matrix  # r × d lists of positive integers
        self.table = table
        self.d = table.points.shape[1]
        self.r = len(matrix)
        self.other = other  # 0 for P (global numbering = local), m for Q
        self.cache = {}

    def get(self, index):
        if index not in self.cache:
            self.cache[index] = self._rebuild(index)
        return self.cache[index]

    def _rebuild(self, index):
        d, r = self.d, self.r
        nonbasic = self.table.nonbasic[index]
        support = np.flatnonzero(~nonbasic[:d]).tolist()
        rows = np.flatnonzero(nonbasic[d:]).tolist()
        if len(support) != len(rows):
            return None
        solved = _solve_ones([[self.matrix[i][j] for j in support] for i in rows])
        if solved is None:
            return None
        numerators, denominator = solved
        if any(v < 0 for v in numerators):
            return None
        point = [0] * d
        labels = 0
        for j, v in zip(support, numerators):
            point[j] = v
        for j in range(d):
            if point[j] == 0:
                labels |= 1 << j
        for i in range(r):
            total = sum(self.matrix[i][j] * point[j] for j in support)
            if total > denominator:
                return None
            if total == denominator:
                labels |= 1 << (d + i)
        if self.other:  # Q: local coordinates 0..n-1, rows n..n+m-1 -> global rows 0..m-1, columns m..
            labels = _q_to_global(labels, self.other, d)
        return tuple(point), labels

    def any_degenerate(self) -> bool:
        """Whether some vertex has more exact labels than the dimension (checks float-degenerate ones only)."""
        for index in np.flatnonzero(self.table.labels.sum(axis=1) > self.d).tolist():
            rebuilt = self.get(index)
            if rebuilt is not None and bin(rebuilt[1]).count("1") > self.d:
                return True
        return False


def _solve_ones(system) -> tuple[list[int], int] | None:
    """``z = numerators / denominator`` with ``system @ z = 1`` exactly (``denominator > 0``); ``None`` if
    singular. Empty systems give the origin."""
    if not system:
        return [], 1
    import flint  # imported on first use: 40 ms that the command line rarely needs

    k = len(system)
    try:
        solution = flint.fmpz_mat(k, k, [v for row in system for v in row]).solve(flint.fmpz_mat(k, 1, [1] * k))
    except ZeroDivisionError:
        return None
    values = [(int(q.p), int(q.q)) for q in solution.entries()]
    denominator = lcm(*(q for _, q in values))
    return [p * (denominator // q) for p, q in values], denominator


def _canonical(numerators) -> tuple[tuple[int, ...], int]:
    """A mixed strategy proportional to the non-negative integers ``numerators``, as ``(numerators, total)``
    divided by their greatest common divisor: equal strategies get equal forms."""
    total = sum(numerators)
    common = gcd(total, *numerators)
    return tuple(v // common for v in numerators), total // common


def _normalise_float(vector):
    vector = np.maximum(np.asarray(vector, dtype=float), 0.0)
    vector = vector / vector.sum()
    vector[np.abs(vector) < 1e-15] = 0.0
    return tuple(float(v) for v in vector)


def _unique_equilibria(game, vectors, exact):
    """Deduplicate, verify and order equilibria; return them with ids of their x and y parts.

    Exact vectors come in canonical integer form ``(numerators, total)`` (:func:`_canonical`): they are
    hashed and compared as integers, and each distinct strategy becomes Fractions once. The order is
    lexicographic by player 1's probabilities, descending (first strategy first), then by player 2's.
    """
    if not exact:
        return _unique_float_equilibria(game, vectors)
    pairs = list(dict.fromkeys(vectors))  # duplicates dropped
    strategies = {v: tuple(Fraction(p, v[1]) for p in v[0]) for pair in pairs for v in pair}
    rank_x = {v: i for i, v in enumerate(sorted({x for x, _ in pairs}, key=strategies.get, reverse=True))}
    rank_y = {v: i for i, v in enumerate(sorted({y for _, y in pairs}, key=strategies.get, reverse=True))}
    ordered = sorted(pairs, key=lambda pair: (rank_x[pair[0]], rank_y[pair[1]]))
    y_ids = {y: i for i, y in enumerate(dict.fromkeys(y for _, y in ordered))}
    profiles = [MixedProfile.from_vectors(game, (strategies[x], strategies[y])) for x, y in ordered]
    equilibria = verified_equilibria(game, profiles, method="vertex_enumeration")
    return equilibria, [rank_x[x] for x, _ in ordered], [y_ids[y] for _, y in ordered]


def _unique_float_equilibria(game, vectors):
    """:func:`_unique_equilibria` for float vectors: equal when they agree to 9 decimals."""
    def key(vector):
        return tuple(round(v, 9) for v in vector)

    seen = {}
    for x, y in vectors:
        seen.setdefault((key(x), key(y)), (x, y))
    ordered = sorted(seen.items(), key=lambda item: (tuple(-v for v in item[0][0]), tuple(-v for v in item[0][1])))
    x_ids = {k: i for i, k in enumerate(dict.fromkeys(k[0] for k, _ in ordered))}
    y_ids = {k: i for i, k in enumerate(dict.fromkeys(k[1] for k, _ in ordered))}
    profiles = [MixedProfile.from_vectors(game, (x, y)) for _, (x, y) in ordered]
    equilibria = verified_equilibria(game, profiles, method="vertex_enumeration")
    return equilibria, [x_ids[kx] for (kx, _), _ in ordered], [y_ids[ky] for (_, ky), _ in ordered]
