"""Vertices of a best-response polytope ``{z >= 0 : M z <= 1}``.

The polytope is explored as a graph of lexicographically feasible bases,
breadth first from the origin, as in the simplex method with the lexicographic
ratio test. The lexicographic rule is a symbolic perturbation of the right-hand
side; it makes every basis visited correspond to a vertex of a nondegenerate
perturbed polytope, whose vertex graph is connected and whose vertices map onto
all vertices of the original polytope. The search is therefore complete, also
for degenerate polytopes, and it never needs to visit every basis of a
degenerate vertex.

Arithmetic here is floating point with stated tolerances; callers rebuild what
they keep exactly (see :func:`negotiation.core.linalg.solve_integer_system`).
Variables are numbered ``0 … d-1`` for the coordinates ``z_j`` and
``d … d+r-1`` for the slacks of the rows of ``M``; a *label* is a variable
that is zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from negotiation.core.errors import SolverLimitError
from negotiation.core.linalg import solve_cramer

__all__ = ["VertexTable", "enumerate_vertices", "enumerate_vertices_exact", "mask_keys", "ZERO_TOLERANCE"]

#: A basic variable whose value is at most this (relative to 1) counts as zero.
ZERO_TOLERANCE = 1e-9
#: Pivot elements smaller than this are not used.
PIVOT_TOLERANCE = 1e-9
#: Tableaux are updated by pivoting and recomputed from scratch at every this many levels of the search.
REFRESH_DEPTH = 4


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
    matrix = np.asarray(matrix, dtype=float)
    r, d = matrix.shape
    n_vars = d + r
    full = np.hstack([matrix, np.eye(r), np.ones((r, 1))])
    basis = np.arange(d, n_vars)[None, :]  # all slacks basic: the origin
    tableau = full[None].copy()
    basic = np.zeros((1, n_vars), dtype=bool)
    basic[0, d:] = True
    seen = mask_keys(basic)
    visited = 1
    nonbasic_rows, label_rows, point_rows = [], [], []
    depth = 0
    while len(basis):
        labels, points = _labels_and_points(tableau, basis, basic, d)
        nonbasic_rows.append(~basic)
        label_rows.append(labels)
        point_rows.append(points)
        parent, row, entering = _pivots(tableau, basis, basic, d, r)
        leaving = basis[parent, row]
        child = basic[parent]
        steps = np.arange(len(parent))
        child[steps, leaving] = False
        child[steps, entering] = True
        keys = mask_keys(child)
        fresh = np.flatnonzero(~np.isin(keys, seen))
        unique_keys, first = np.unique(keys[fresh], return_index=True)
        keep = fresh[first]
        visited += len(keep)
        if visited > max_bases:
            raise TooManyBases(f"more than {max_bases} bases visited")
        seen = np.concatenate([seen, unique_keys])
        parent, row, entering, basic = parent[keep], row[keep], entering[keep], child[keep]
        basis = basis[parent]
        basis[np.arange(len(keep)), row] = entering
        depth += 1
        if depth % REFRESH_DEPTH == 0:
            tableau, basis, basic = _fresh_tableaux(full, basis, basic)
        else:
            tableau = _pivoted(tableau, parent, row, entering)
    labels = np.concatenate(label_rows)
    _, first = np.unique(mask_keys(labels), return_index=True)
    first.sort()  # keep the order of discovery
    return VertexTable(np.concatenate(nonbasic_rows)[first], labels[first], np.concatenate(point_rows)[first],
                       visited)


def mask_keys(masks: np.ndarray) -> np.ndarray:
    """One sortable key per row of a boolean matrix (uint64 up to 64 columns, raw bytes beyond)."""
    packed = np.packbits(masks, axis=1, bitorder="little")
    width = -(-packed.shape[1] // 8) * 8
    packed = np.ascontiguousarray(np.pad(packed, ((0, 0), (0, width - packed.shape[1]))))
    if width == 8:
        return packed.view(np.uint64).ravel()
    return packed.view(np.dtype((np.void, width))).ravel()


def _labels_and_points(tableau, basis, basic, d):
    """Label masks (nonbasic variables and basic ones that are zero) and coordinates of a level's bases."""
    rhs = tableau[:, :, -1]
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
    least, for every tied (basis, entering variable) at once."""
    which, slot = tied
    candidates = ties[which, :, slot]  # (tied, rows)
    pivots = np.where(candidates, columns[which, :, slot], 1.0)
    inverse = tableau[which][:, :, d:d + r] / pivots[:, :, None]
    for column in range(r):
        values = np.where(candidates, inverse[:, :, column], np.inf)
        low = values.min(axis=1)
        candidates &= values <= (low + ZERO_TOLERANCE * np.maximum(1.0, np.abs(low)))[:, None]
        if (candidates.sum(axis=1) == 1).all():
            break
    return candidates.argmax(axis=1)


def _pivoted(tableau, parent, row, entering):
    """The tableaux after one simplex pivot each (``entering`` enters in ``row`` of ``tableau[parent]``)."""
    steps = np.arange(len(parent))
    old = tableau[parent]
    pivot_rows = old[steps, row, :]
    pivot_rows = pivot_rows / pivot_rows[steps, entering][:, None]
    new = old - old[steps, :, entering][:, :, None] * pivot_rows[:, None, :]
    new[steps, row, :] = pivot_rows
    return new


def _fresh_tableaux(full, basis, basic):
    """Tableaux recomputed from scratch (every :data:`REFRESH_DEPTH` levels); singular bases are dropped."""
    if not len(basis):
        return np.empty((0,) + full.shape), basis, basic
    matrices = np.swapaxes(full[:, basis], 0, 1)  # (bases, r, r)
    try:
        return np.linalg.solve(matrices, np.broadcast_to(full, (len(basis),) + full.shape)), basis, basic
    except np.linalg.LinAlgError:  # rare: solve one by one and drop the singular ones
        tableaux, keep = [], []
        for index, matrix in enumerate(matrices):
            try:
                tableaux.append(np.linalg.solve(matrix, full))
                keep.append(index)
            except np.linalg.LinAlgError:
                continue
        keep = np.array(keep, dtype=np.intp)
        return np.array(tableaux).reshape((len(keep),) + full.shape), basis[keep], basic[keep]


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
