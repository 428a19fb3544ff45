"""Vertices of a best-response polytope ``{z >= 0 : M z <= 1}``.

The polytope is explored as a graph of lexicographically feasible bases,
breadth first from the origin, as in the simplex method with the lexicographic
ratio test. The lexicographic rule is a symbolic perturbation of the right-hand
side; it makes every basis visited correspond to a vertex of a nondegenerate
perturbed polytope, whose vertex graph is connected and whose vertices map onto
all vertices of the original polytope. The search is therefore complete, also
for degenerate polytopes, and it never needs to visit every basis of a
degenerate vertex.

The walk goes one breadth-first level at a time: the tableaux of a level are
stacked in one array and pivoted, ratio-tested (with the lexicographic rule for
ties) and expanded together, so a level costs a few dozen numpy calls however
many bases it holds; a basis is visited once, by the key of its set of basic
variables. The two best-response polytopes of a square game have the same shape
and are walked in the same arrays (:func:`enumerate_vertices_together`).

Arithmetic here is floating point with stated tolerances; callers rebuild what
they keep exactly (vertex enumeration certifies each candidate vertex with
FLINT's exact rational solve, see :mod:`negotiation.solvers.vertex_enumeration`).
Variables are numbered ``0 … d-1`` for the coordinates ``z_j`` and
``d … d+r-1`` for the slacks of the rows of ``M``; a *label* is a variable
that is zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from negotiation.core.errors import SolverLimitError
from negotiation.core.linalg import solve_cramer

__all__ = ["VertexTable", "enumerate_vertices", "enumerate_vertices_together", "enumerate_vertices_exact", "mask_keys", "ZERO_TOLERANCE"]

#: A basic variable whose value is at most this (relative to 1) counts as zero.
ZERO_TOLERANCE = 1e-9
#: Pivot elements smaller than this are not used.
PIVOT_TOLERANCE = 1e-9
#: Tableaux are updated by pivoting and recomputed from scratch at every this many levels of the search (8: a
#: walk of a 12×12 game has about 12 levels; on 59 random and degenerate games of sizes 8 to 12 refreshing
#: every 4, every 8 or never gave the same vertices, and every 8 saves 15 % of the walk against every 4).
REFRESH_DEPTH = 8


class TooManyBases(SolverLimitError):
    """The search exceeded its budget of bases (a very degenerate polytope)."""


@dataclass(frozen=True)
class VertexTable:
    """The vertices of a polytope found in floating point, one row per distinct label set.

    Columns are the variables ``0 … d+r-1`` (coordinates, then slacks). ``nonbasic[v]`` marks ``d``
    variables forming a basis of vertex ``v`` (they are zero and linearly independent); ``labels[v]``
    marks every variable that is zero within :data:`ZERO_TOLERANCE` (a superset of ``nonbasic[v]``);
    ``points[v]`` holds the coordinates. ``bases`` counts the bases the walk visited.
    """

    nonbasic: np.ndarray
    labels: np.ndarray
    points: np.ndarray
    bases: int

    def __len__(self) -> int:
        return len(self.points)


def enumerate_vertices(matrix: np.ndarray, *, max_bases: int = 2_000_000) -> VertexTable:
    """All vertices of ``{z >= 0 : matrix @ z <= 1}`` for a matrix with positive entries.

    The walk is breadth first and goes one level at a time: every basis of a level is pivoted,
    ratio-tested and expanded in stacked arrays (a few dozen numpy calls per level instead of a dozen
    per basis). A new basis is kept once, by its set of basic variables.

    Parameters
    ----------
    matrix : ndarray, shape (r, d)
        Positive entries, so the polytope is bounded and the origin is a vertex.
    max_bases : int
        Budget; :class:`TooManyBases` is raised beyond it.

    Returns
    -------
    VertexTable
        One row per distinct label set (the origin included).

    Examples
    --------
    >>> vertices = enumerate_vertices(np.array([[1.0, 1.0]]))
    >>> sorted(vertices.points.tolist())
    [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    """
    return enumerate_vertices_together([matrix], max_bases=max_bases)[0]


def enumerate_vertices_together(matrices, *, max_bases: int = 2_000_000) -> list[VertexTable]:
    """:func:`enumerate_vertices` for several matrices of one shape, walked in the same stacked arrays.

    The two best-response polytopes of a square game have the same shape: walking them together halves
    the number of numpy calls, which is what small polytopes cost. ``max_bases`` applies to each.

    Examples
    --------
    >>> tables = enumerate_vertices_together([np.array([[1.0, 2.0]]), np.array([[2.0, 1.0]])])
    >>> [sorted(t.points.tolist()) for t in tables]
    [[[0.0, 0.0], [0.0, 0.5], [1.0, 0.0]], [[0.0, 0.0], [0.0, 1.0], [0.5, 0.0]]]
    """
    matrices = [np.asarray(matrix, dtype=float) for matrix in matrices]
    r, d = matrices[0].shape
    n_vars = d + r
    full = np.stack([np.hstack([matrix, np.eye(r), np.ones((r, 1))]) for matrix in matrices])
    owner = np.arange(len(matrices))  # which polytope each basis belongs to
    basis = np.tile(np.arange(d, n_vars), (len(matrices), 1))  # all slacks basic: the origin
    tableau = full.copy()
    basic = np.zeros((len(matrices), n_vars), dtype=bool)
    basic[:, d:] = True
    level_keys = _owned_keys(basic, owner)
    seen = np.sort(level_keys)
    visited = np.ones(len(matrices), dtype=np.int64)
    found = []  # per level: (owner, basis, basic, right-hand side); labels and points are read at the end
    depth = 0
    while len(basis):
        found.append((owner, basis, basic, tableau[:, :, -1].copy()))
        parent, row, entering = _pivots(tableau, basis, basic, d, r)
        leaving = basis[parent, row]
        if level_keys.dtype == np.uint64:  # a child's key: its parent's, one variable out, one in
            keys = level_keys[parent] ^ _BITS[leaving] | _BITS[entering]
        else:
            keys = _child_keys(basic, owner, parent, leaving, entering)
        fresh = np.flatnonzero(~_member(keys, seen))
        level_keys, first = np.unique(keys[fresh], return_index=True)
        keep = fresh[first]
        parent, row, entering = parent[keep], row[keep], entering[keep]
        basic = basic[parent]
        steps = np.arange(len(keep))
        basic[steps, leaving[keep]] = False
        basic[steps, entering] = True
        owner = owner[parent]
        visited += np.bincount(owner, minlength=len(matrices))
        if visited.max() > max_bases:
            raise TooManyBases(f"more than {max_bases} bases visited")
        seen = np.sort(np.concatenate([seen, level_keys]))
        basis = basis[parent]
        basis[np.arange(len(keep)), row] = entering
        depth += 1
        if depth % REFRESH_DEPTH == 0:
            tableau, kept = _fresh_tableaux(full, basis, owner)
            basis, basic, owner, level_keys = basis[kept], basic[kept], owner[kept], level_keys[kept]
        else:
            tableau = _pivoted(tableau, parent, row, entering)
    owner, basis, basic, rhs = (np.concatenate([level[k] for level in found]) for k in range(4))
    labels, points = _labels_and_points(rhs, basis, basic, d)
    return [_table(owner == which, ~basic, labels, points, int(visited[which])) for which in range(len(matrices))]


def _child_keys(basic, owner, parent, leaving, entering) -> np.ndarray:
    """Keys of the bases reached by the pivots ``(parent, leaving, entering)`` (the general, wide case)."""
    child = basic[parent]
    steps = np.arange(len(parent))
    child[steps, leaving] = False
    child[steps, entering] = True
    return _owned_keys(child, owner[parent])


def _owned_keys(basic, owner) -> np.ndarray:
    """Keys of bases: the set of basic variables and the polytope they belong to."""
    if basic.shape[1] < 64 and owner.max(initial=0) <= 1:
        return mask_keys(basic) | (owner.astype(np.uint64) << np.uint64(basic.shape[1]))
    tags = np.zeros((len(owner), int(owner.max(initial=0)) + 1), dtype=bool)
    tags[np.arange(len(owner)), owner] = True
    return mask_keys(np.hstack([basic, tags]))


def _table(mine, nonbasic, labels, points, bases) -> VertexTable:
    """The vertices among the rows ``mine``: one per distinct label set, in the order of discovery."""
    mine = np.flatnonzero(mine)
    nonbasic, labels, points = nonbasic[mine], labels[mine], points[mine]
    _, first = np.unique(mask_keys(labels), return_index=True)
    first.sort()
    return VertexTable(nonbasic[first], labels[first], points[first], bases)


def mask_keys(masks: np.ndarray) -> np.ndarray:
    """One sortable key per row of a boolean matrix: the row's bits as a uint64 (bit ``k`` for column ``k``) up
    to 64 columns, its packed bytes beyond.

    Examples
    --------
    >>> mask_keys(np.array([[True, False, True], [False, True, False]])).tolist()
    [5, 2]
    """
    width = masks.shape[1]
    if width <= 64:
        return (masks * _BITS[:width]).sum(axis=1, dtype=np.uint64)
    packed = np.packbits(masks, axis=1, bitorder="little")
    padded = np.zeros((len(masks), -(-packed.shape[1] // 8) * 8), dtype=np.uint8)
    padded[:, :packed.shape[1]] = packed
    return padded.view(np.dtype((np.void, padded.shape[1]))).ravel()


#: Bit ``k`` at position ``k``: row masks of up to 64 columns become one uint64 each.
_BITS = np.left_shift(np.uint64(1), np.arange(64, dtype=np.uint64))


def _member(keys: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """Which ``keys`` occur in the sorted array ``ordered``."""
    if keys.dtype != np.uint64:
        return np.isin(keys, ordered)
    position = np.minimum(np.searchsorted(ordered, keys), len(ordered) - 1)
    return ordered[position] == keys


def _labels_and_points(rhs, basis, basic, d):
    """Label masks (nonbasic variables and basic ones that are zero) and coordinates of bases, from the
    right-hand sides of their tableaux."""
    scale = np.maximum(1.0, np.abs(rhs).max(axis=1))
    zero = np.abs(rhs) <= ZERO_TOLERANCE * scale[:, None]
    labels = ~basic
    which, rows = np.nonzero(zero)
    labels[which, basis[which, rows]] = True
    points = np.zeros((len(basis), d))
    which, rows = np.nonzero(basis < d)
    points[which, basis[which, rows]] = np.maximum(rhs[which, rows], 0.0)
    return labels, points


def _pivots(tableau, basis, basic, d, r):
    """Every pivot of a level: ``(parent, row, entering)``, one per basis and entering variable, with the
    leaving row chosen by the lexicographic ratio test."""
    count = len(basis)
    nonbasic = np.nonzero(~basic)[1].reshape(count, d)
    columns = np.take_along_axis(tableau, nonbasic[:, None, :], axis=2)  # (bases, rows, entering)
    rhs = np.maximum(tableau[:, :, -1], 0.0)[:, :, None]
    positive = columns > PIVOT_TOLERANCE
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(positive, rhs / np.where(positive, columns, 1.0), np.inf)
    best = ratios.min(axis=1)
    finite = np.isfinite(best)  # an unbounded edge cannot happen for positive matrices
    ties = ratios <= (best + ZERO_TOLERANCE * np.maximum(1.0, best))[:, None, :]
    rows = ties.argmax(axis=1)
    tied = np.nonzero(finite & (ties.sum(axis=1) > 1))
    if len(tied[0]):
        rows[tied] = _lexicographic_rows(tableau, ties, columns, tied, d, r)
    parent, slot = np.nonzero(finite)
    return parent, rows[parent, slot], nonbasic[parent, slot]


def _lexicographic_rows(tableau, ties, columns, tied, d, r):
    """Among tied rows, the one whose row of the basis inverse divided by the pivot is lexicographically
    least, for every tied (basis, entering variable) at once; columns of the inverse are read one at a
    time, only for the choices still open."""
    which, slot = tied
    candidates = ties[which, :, slot]  # (tied, rows)
    pivots = np.where(candidates, columns[which, :, slot], 1.0)
    chosen = np.zeros(len(which), dtype=np.intp)
    open_ = np.arange(len(which))
    for column in range(d, d + r):
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(candidates, tableau[which, :, column] / pivots, np.inf)
        low = values.min(axis=1)
        candidates &= values <= (low + ZERO_TOLERANCE * np.maximum(1.0, np.abs(low)))[:, None]
        settled = candidates.sum(axis=1) == 1
        chosen[open_[settled]] = candidates[settled].argmax(axis=1)
        keep = ~settled
        which, candidates, pivots, open_ = which[keep], candidates[keep], pivots[keep], open_[keep]
        if not len(open_):
            return chosen
    chosen[open_] = candidates.argmax(axis=1)  # identical rows cannot occur in a basis inverse
    return chosen


def _pivoted(tableau, parent, row, entering):
    """The tableaux after one simplex pivot each (``entering`` enters in ``row`` of ``tableau[parent]``)."""
    steps = np.arange(len(parent))
    new = tableau[parent]
    pivot_rows = new[steps, row, :]
    pivot_rows /= pivot_rows[steps, entering][:, None]
    new -= new[steps, :, entering][:, :, None] * pivot_rows[:, None, :]
    new[steps, row, :] = pivot_rows
    return new


def _fresh_tableaux(full, basis, owner):
    """Tableaux recomputed from scratch (every :data:`REFRESH_DEPTH` levels) as ``B^-1 [M | I | 1]``, and the
    indices of the bases kept (singular ones are dropped)."""
    everything = np.arange(len(basis))
    if not len(basis):
        return np.empty((0,) + full.shape[1:]), everything
    columns = full[owner[:, None], :, basis]  # (bases, r basic variables, r rows)
    try:
        return np.linalg.inv(np.swapaxes(columns, 1, 2)) @ full[owner], everything
    except np.linalg.LinAlgError:  # rare: solve one by one and drop the singular ones
        tableaux, keep = [], []
        for index in everything:
            try:
                tableaux.append(np.linalg.solve(columns[index].T, full[owner[index]]))
                keep.append(index)
            except np.linalg.LinAlgError:
                continue
        return np.array(tableaux).reshape((len(keep),) + full.shape[1:]), np.array(keep, dtype=np.intp)


@dataclass(frozen=True)
class ExactVertex:
    """A vertex computed in exact arithmetic: its exact label mask and coordinates."""

    labels: int
    point: tuple


def enumerate_vertices_exact(matrix) -> list[ExactVertex]:
    """All vertices of ``{z >= 0 : matrix @ z <= 1}`` by trying every basis, in exact integer arithmetic.

    For small polytopes (a few dozen bases) this is faster than the
    floating-point walk and needs no rebuild: for each support ``C`` of size
    ``k`` and each set ``R`` of ``k`` tight rows, the system
    ``matrix[R, C] z_C = 1`` is solved by Cramer's rule in integers and kept if
    feasible. Every vertex has at least one nonsingular basis among its tight
    constraints, so none is missed. ``matrix`` holds positive integers (a list
    of rows). Points are returned as integer numerators over a common positive
    denominator: ``point = (numerators, denominator)``.

    Examples
    --------
    >>> sorted(v.point for v in enumerate_vertices_exact([[1, 2]]))
    [((0, 0), 1), ((0, 1), 2), ((1, 0), 1)]
    """
    from itertools import combinations

    rows = [list(map(int, row)) for row in matrix]
    r = len(rows)
    d = len(rows[0]) if rows else 0
    origin_labels = (1 << d) - 1
    found: dict[int, ExactVertex] = {origin_labels: ExactVertex(origin_labels, ((0,) * d, 1))}
    for k in range(1, min(r, d) + 1):
        for support in combinations(range(d), k):
            columns = [[row[j] for j in support] for row in rows]
            for tight in combinations(range(r), k):
                solution = solve_cramer([columns[i] for i in tight], [1] * k)
                if solution is None:
                    continue
                numerators, denominator = solution
                if any(v < 0 for v in numerators):
                    continue
                labels = 0
                feasible = True
                for i in range(r):
                    total = sum(c * v for c, v in zip(columns[i], numerators))
                    if total > denominator:
                        feasible = False
                        break
                    if total == denominator:
                        labels |= 1 << (d + i)
                if not feasible:
                    continue
                point = [0] * d
                for j, v in zip(support, numerators):
                    point[j] = v
                for j in range(d):
                    if point[j] == 0:
                        labels |= 1 << j
                if labels not in found:
                    found[labels] = ExactVertex(labels, (tuple(point), denominator))
    return list(found.values())
