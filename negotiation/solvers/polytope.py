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

__all__ = ["Vertex", "enumerate_vertices", "ZERO_TOLERANCE"]

#: A basic variable whose value is at most this (relative to 1) counts as zero.
ZERO_TOLERANCE = 1e-9
#: Pivot elements smaller than this are not used.
PIVOT_TOLERANCE = 1e-9
#: Tableaux are updated by pivoting and recomputed from scratch at every this many levels of the search.
REFRESH_DEPTH = 4


@dataclass(frozen=True)
class Vertex:
    """A vertex found in floating point.

    ``nonbasic`` is a bit mask of ``d`` variables forming a basis of the vertex
    (they are zero and linearly independent); ``labels`` is the bit mask of all
    variables that are zero within :data:`ZERO_TOLERANCE` (a superset of
    ``nonbasic``); ``point`` holds the coordinates.
    """

    nonbasic: int
    labels: int
    point: np.ndarray


class TooManyBases(SolverLimitError):
    """The search exceeded its budget of bases (a very degenerate polytope)."""


def enumerate_vertices(matrix: np.ndarray, *, max_bases: int = 2_000_000) -> list[Vertex]:
    """All vertices of ``{z >= 0 : matrix @ z <= 1}`` for a matrix with positive entries.

    Parameters
    ----------
    matrix : ndarray, shape (r, d)
        Positive entries, so the polytope is bounded and the origin is a vertex.
    max_bases : int
        Budget; :class:`TooManyBases` is raised beyond it.

    Returns
    -------
    list of Vertex
        One entry per distinct label set (the origin included).

    Examples
    --------
    >>> vertices = enumerate_vertices(np.array([[1.0, 1.0]]))
    >>> sorted(v.point.tolist() for v in vertices)
    [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    """
    matrix = np.asarray(matrix, dtype=float)
    r, d = matrix.shape
    n_vars = d + r
    full = np.hstack([matrix, np.eye(r), np.ones((r, 1))])
    start = tuple(range(d, n_vars))  # all slacks basic: the origin
    start_mask = sum(1 << v for v in start)
    seen = {start_mask}
    # queue entries: (basis, its mask, parent tableau, pivot row, entering variable, depth)
    queue = [(start, start_mask, None, -1, -1, 0)]
    vertices: dict[int, Vertex] = {}
    all_vars = (1 << n_vars) - 1
    head = 0
    while head < len(queue):
        basis, basis_mask, parent, pivot_row, pivot_column, depth = queue[head]
        queue[head] = None  # let parent tableaux be freed
        head += 1
        if parent is None or depth % REFRESH_DEPTH == 0:
            basis_array = np.fromiter(basis, dtype=np.intp, count=r)
            try:
                tableau = np.linalg.solve(full[:, basis_array], full)
            except np.linalg.LinAlgError:
                continue
        else:
            # one simplex pivot from the parent's tableau (refreshed from scratch every few levels)
            row = parent[pivot_row] / parent[pivot_row, pivot_column]
            tableau = parent - np.outer(parent[:, pivot_column], row)
            tableau[pivot_row] = row
        rhs = tableau[:, -1]
        scale = max(1.0, float(np.max(np.abs(rhs))))
        zero = np.abs(rhs) <= ZERO_TOLERANCE * scale
        nonbasic_mask = all_vars & ~basis_mask
        labels = nonbasic_mask
        for row in np.flatnonzero(zero):
            labels |= 1 << basis[row]
        if labels not in vertices:
            point = np.zeros(d)
            for row, variable in enumerate(basis):
                if variable < d:
                    point[variable] = max(rhs[row], 0.0)
            vertices[labels] = Vertex(nonbasic_mask, labels, point)
        # ratio test for every entering variable at once
        nonbasic = np.array([v for v in range(n_vars) if (nonbasic_mask >> v) & 1], dtype=np.intp)
        columns = tableau[:, nonbasic]
        positive = columns > PIVOT_TOLERANCE
        clipped = np.maximum(rhs, 0.0)[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = np.where(positive, clipped / np.where(positive, columns, 1.0), np.inf)
        best = ratios.min(axis=0)
        ties = ratios <= best + ZERO_TOLERANCE * np.maximum(1.0, best)
        tie_counts = ties.sum(axis=0).tolist()
        first_rows = np.argmax(ties, axis=0).tolist()
        finite = np.isfinite(best).tolist()
        for k, entering in enumerate(nonbasic.tolist()):
            if not finite[k]:
                continue  # unbounded edge: cannot happen for positive matrices
            if tie_counts[k] == 1:
                row = first_rows[k]
            else:
                row = _lexicographic_row(tableau, np.flatnonzero(ties[:, k]), entering, d, r)
            leaving = basis[row]
            new_mask = basis_mask ^ (1 << leaving) | (1 << entering)
            if new_mask in seen:
                continue
            seen.add(new_mask)
            if len(seen) > max_bases:
                raise TooManyBases(f"more than {max_bases} bases visited")
            new_basis = list(basis)
            new_basis[row] = entering
            queue.append((tuple(new_basis), new_mask, tableau, row, entering, depth + 1))
    return list(vertices.values())


def _lexicographic_row(tableau, rows, entering, d, r) -> int:
    """Among tied rows, the one whose row of the basis inverse divided by the pivot is lexicographically least."""
    inverse = tableau[rows][:, d:d + r] / tableau[rows, entering][:, None]
    candidates = np.arange(len(rows))
    for column in range(r):
        values = inverse[candidates, column]
        low = values.min()
        keep = values <= low + ZERO_TOLERANCE * max(1.0, abs(low))
        candidates = candidates[keep]
        if len(candidates) == 1:
            break
    return int(rows[candidates[0]])


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
