"""The 2×2 sweep kernel: every equilibrium of a chunk of 2 × 2 games held as payoff planes.

A sweep of a 2 × 2 model evaluates each distinct payoff expression once per chunk, into one
contiguous float64 array (a *plane*) per cell of the payoff table; cells that hold the same
expression share their plane (a symmetric game's ``B[i, j]`` is ``A[j, i]``). :func:`solve_planes`
solves the chunk from the planes with the closed forms of
:func:`negotiation.solvers.batch.batch_equilibria` for 2 × 2 games — the same floating-point
operations in the same order, so the same degenerate points, rows and bits — but without the
``(N, 2, 2)`` stacks and their transposed copies, computing a difference once when two cells share
planes, and writing each output column (point, ``Pr(row 1)``, ``Pr(column 1)``, the two payoffs) as
one contiguous array that the Parquet writer takes as it is. :func:`classify_planes` is
:func:`~negotiation.solvers.batch.classify_symmetric_batch` on planes.

Chunks with a payoff far from unit scale (beyond ``2**±64``) or not finite are left to
:func:`~negotiation.solvers.batch.batch_equilibria` (the functions return ``None``), which divides
such points by their payoff unit first.

References
----------
von Stengel, B. (2007). Equilibrium computation for two-player games in strategic and extensive form.
In *Algorithmic Game Theory*, ch. 3 (support enumeration, §3.3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from negotiation.solvers import batch

__all__ = ["BLOCK", "PlaneRows", "classify_planes", "solve_planes"]

#: Points solved per step: the temporaries of a block (about 40 arrays of 8 bytes a point) stay in the
#: processor's second-level cache (16,384 points: 1.3 µs a point less than 65,536 on the 2025 benchmark box).
BLOCK = 1 << 14


@dataclass(frozen=True, eq=False)
class PlaneRows:
    """The equilibria of ``N`` 2 × 2 games, one entry per row, in point order (then slot order).

    ``slot`` says which equilibrium a row is: 0 — row 1 pure, 1 — the mixed one, 2 — row 2 pure (the
    order of :func:`~negotiation.solvers.batch.batch_equilibria`). Player 1's strategy is
    ``(x0, 1 - x0)``, player 2's ``(y0, 1 - y0)``; ``u1, u2`` are the expected payoffs. Every array is
    contiguous. ``degenerate`` flags the points without rows (solved again exactly by the sweep).
    """

    point: np.ndarray
    slot: np.ndarray
    #: ``(6, rows)``: ``x0, x1, y0, y1, u1, u2``, each row contiguous
    values: np.ndarray
    degenerate: np.ndarray

    x0 = property(lambda self: self.values[0])
    x1 = property(lambda self: self.values[1])
    y0 = property(lambda self: self.values[2])
    y1 = property(lambda self: self.values[3])
    u1 = property(lambda self: self.values[4])
    u2 = property(lambda self: self.values[5])

    @property
    def probabilities(self) -> np.ndarray:
        """``(rows, 4)``: ``x0, x1, y0, y1`` (a view whose columns are contiguous)."""
        return self.values[:4].T

    @property
    def payoffs(self) -> np.ndarray:
        """``(rows, 2)``: ``u1, u2`` (a view whose columns are contiguous)."""
        return self.values[4:].T

    def __len__(self) -> int:
        return int(self.point.size)


def _usable(planes) -> bool:
    """Every payoff finite and within ``2**±64`` of unit scale (else the reference solver rescales the point)."""
    largest = 0.0
    for plane in {id(p): p for p in planes}.values():
        if plane.size == 0:
            continue
        top = max(float(plane.max()), -float(plane.min()))  # NaN: the comparison below fails
        if not top <= 2.0 ** batch._UNIT_BAND:
            return False
        largest = max(largest, top)
    return largest == 0 or largest >= 2.0 ** -batch._UNIT_BAND


class _Shared:
    """Arithmetic on planes, each result computed once per pair of operands (shared planes, shared results)."""

    def __init__(self):
        self.memo: dict = {}

    def __call__(self, function, *operands):
        key = (function, *(tuple(map(id, o)) if isinstance(o, tuple) else id(o) for o in operands))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = (function(*operands), operands)  # operands kept alive: ids stay unique
        return found[0]


def _flagged(shared, cells, d0, d1, across, tol):
    """Points where ``|d0|`` or ``|d1|`` is within the tolerance (the rule of ``batch._solve_2x2``).

    ``d0, d1`` are the player's payoff differences between its two strategies, ``across`` the
    difference of the other two cells (``A00 - A01`` for player 1), ``cells`` the player's four payoff
    planes (in any order: only their range counts): a cheap superset first, then the exact threshold
    ``tol · max(range, |d0| + |d1|)`` on its points only.
    """
    abs0, abs1 = shared(np.abs, d0), shared(np.abs, d1)
    total = shared(np.add, abs0, abs1)
    bound = np.abs(across)
    bound += total
    bound *= 1.01 * tol
    smaller = shared(np.minimum, abs0, abs1)
    candidates = np.flatnonzero(smaller <= bound)
    flagged = np.zeros(d0.size, dtype=bool)
    if candidates.size:
        values = np.stack([cell[candidates] for cell in cells], axis=1)
        threshold = tol * np.maximum(values.max(1) - values.min(1), total[candidates])
        flagged[candidates] = smaller[candidates] <= threshold
    return flagged


def _solve_block(planes, tol, fields, out, at):
    """One block with the arithmetic of ``batch._solve_2x2``: its rows written to ``out[:, at:]`` (``point,
    slot, x0, 1 - x0, y0, 1 - y0, u1, u2``); returns the number of rows and the block's degenerate points.

    ``fields`` is a ``(4, 3, BLOCK)`` work array whose constant rows (``x0`` of the pure slots) are set.
    """
    A00, A01, A10, A11, B00, B01, B10, B11 = planes
    shared = _Shared()
    a0, a1 = shared(np.subtract, A00, A10), shared(np.subtract, A01, A11)
    b0, b1 = shared(np.subtract, B00, B01), shared(np.subtract, B10, B11)
    cells_a = tuple(sorted((A00, A01, A10, A11), key=id))  # one order for the same four planes
    cells_b = tuple(sorted((B00, B01, B10, B11), key=id))
    flag_a = shared(_flagged, shared, cells_a, a0, a1, shared(np.subtract, A00, A01), tol)
    flag_b = shared(_flagged, shared, cells_b, b0, b1, shared(np.subtract, B00, B10), tol)
    degenerate = flag_a | flag_b if flag_a is not flag_b else flag_a
    ok = ~degenerate
    positive = lambda d: d > 0
    pa0, pa1, pb0, pb1 = (shared(positive, d) for d in (a0, a1, b0, b1))
    flip_a = pa0 ^ pa1
    N = a0.size
    mask = np.empty((N, 3), dtype=bool)
    np.logical_and(pa1 ^ (pb0 & flip_a), ok, out=mask[:, 0])     # (1, 1) if a0, b0 > 0; (1, 2) if a1 > 0 > b0
    np.logical_and(flip_a & (pb0 ^ pb1), ok, out=mask[:, 1])     # mixed
    np.logical_and(~(pa1 ^ (pb1 & flip_a)), ok, out=mask[:, 2])  # (2, 1) if a0 < 0 < b1; (2, 2) if a1, b1 < 0
    flat = np.flatnonzero(mask.reshape(-1))
    K = flat.size
    point, slot = out[0, at:at + K], out[1, at:at + K]
    np.right_shift(flat * 0x55555556, 32, out=point)  # = flat // 3 (exact below 2**31 / 3 entries)
    np.subtract(flat, 3 * point, out=slot)
    # per slot and point: x0 = Pr(row 1), y0 = Pr(column 1), payoffs; gathered at (slot, point)
    x0, y0, u1, u2 = fields[:, :, :N] if N < fields.shape[2] else fields
    with np.errstate(divide="ignore", invalid="ignore"):  # NaN / inf where there is no mixed equilibrium
        np.divide(b1, shared(np.subtract, b1, b0), out=x0[1])
        np.divide(a1, shared(np.subtract, a1, a0), out=y0[1])
        np.multiply(shared(np.subtract, A00, A01), y0[1], out=u1[1])
        u1[1] += A01  # row 1's payoff against y
        np.multiply(shared(np.subtract, B00, B10), x0[1], out=u2[1])
        u2[1] += B10  # column 1's payoff against x
    y0[0], y0[2] = pb0, pb1
    for target, chosen, (first, second) in ((u1[0], pb0, (A00, A01)), (u2[0], pb0, (B00, B01)),
                                            (u1[2], pb1, (A10, A11)), (u2[2], pb1, (B10, B11))):
        np.copyto(target, second)
        np.copyto(target, first, where=chosen)
    index = slot * fields.shape[2] + point
    for field, row in zip(fields, (2, 4, 6, 7)):
        np.take(field.reshape(-1), index, out=out[row, at:at + K].view(np.float64))
    for row in (2, 4):  # the second strategy's probability
        np.subtract(1.0, out[row, at:at + K].view(np.float64), out=out[row + 1, at:at + K].view(np.float64))
    return K, degenerate


def solve_planes(planes, tolerance: float = 1e-9, workspace: dict | None = None) -> PlaneRows | None:
    """All equilibria of ``N`` 2 × 2 games given as eight payoff planes ``A00, A01, A10, A11, B00, B01, B10,
    B11`` (float64 arrays of ``N`` values; a plane may be the same object as another).

    The rows, their order and the degenerate points are those of
    :func:`~negotiation.solvers.batch.batch_equilibria` on the stacked games, bit for bit. Returns
    ``None`` when some payoff is not finite or lies beyond ``2**±64`` (that solver rescales such points).

    ``workspace`` (a dict the caller keeps) holds the output and work arrays from one call to the next:
    the rows returned are then views into it, valid until the next call with the same workspace. A sweep
    encodes each chunk before it solves the next, and fresh arrays of this size cost page faults (the
    kernel zeroes every page first: a fifth of a chunk's time on the 2026 benchmark machine).

    Examples
    --------
    >>> import numpy as np
    >>> A = [np.array([4.0, 0.0]), np.array([0.0, -1.0]), np.array([3.0, 1.0]), np.array([2.0, -10.0])]
    >>> rows = solve_planes(A + [A[0], A[2], A[1], A[3]])  # a stag hunt and chicken: B = A transposed
    >>> rows.point.tolist(), rows.slot.tolist(), np.round(rows.x0, 4).tolist()
    ([0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2], [1.0, 0.6667, 0.0, 1.0, 0.9, 0.0])
    """
    converted: dict = {}
    planes = [converted.setdefault(id(p), np.ascontiguousarray(p, dtype=np.float64)) for p in planes]
    N = planes[0].size
    if not _usable(planes):
        return None
    # one 8-byte row per output column (point and slot as int64, the rest float64 through a view), room for
    # the 3 rows a point can have: pages never written are never touched
    out, fields = _work_arrays(workspace if workspace is not None else {}, N)
    degenerate = np.empty(N, dtype=bool)
    rows = 0
    for start in range(0, N, BLOCK):
        views: dict = {}  # one view per distinct plane: shared planes stay shared
        block = tuple(views.setdefault(id(p), p[start:start + BLOCK]) for p in planes)
        count, flags = _solve_block(block, tolerance, fields, out, rows)
        out[0, rows:rows + count] += start
        degenerate[start:start + flags.size] = flags
        rows += count
    return PlaneRows(out[0, :rows], out[1, :rows], out[2:, :rows].view(np.float64), degenerate)


def _work_arrays(workspace: dict, N: int):
    """``(out, fields)`` for ``N`` points, from ``workspace`` if they are large enough there (kept for next time)."""
    out, fields = workspace.get("out"), workspace.get("fields")
    if out is None or out.shape[1] < 3 * N:
        out = workspace["out"] = np.empty((8, 3 * N), dtype=np.int64)
    if fields is None or fields.shape[2] < min(N, BLOCK):
        fields = workspace["fields"] = np.empty((4, 3, min(N, BLOCK)))
        fields[0, 0], fields[0, 2] = 1.0, 0.0  # Pr(row 1) of the pure slots
    return out, fields


def classify_planes(R, S, T, P, transposed=None, tolerance: float = 1e-9):
    """:func:`~negotiation.solvers.batch.classify_symmetric_batch` of ``N`` games given as the planes of
    player 1's payoffs ``R = A[c, c], S = A[c, d], T = A[d, c], P = A[d, d]``; ``transposed`` (or ``None``
    for a game symmetric by construction) is player 2's ``(B[c, c], B[d, c], B[c, d], B[d, d])`` — the
    cells that equal ``R, S, T, P`` when ``B = A`` transposed. Returns int8 codes into
    :data:`~negotiation.solvers.batch.CLASS_NAMES`, or ``None`` for a chunk the reference function must
    rescale (a payoff beyond ``2**±64`` or not finite).
    """
    cells = [np.ascontiguousarray(p, dtype=np.float64) for p in (R, S, T, P)]
    if not _usable(cells):
        return None
    R, S, T, P = cells
    eps = np.maximum(np.maximum(R, S), np.maximum(T, P))
    eps -= np.minimum(np.minimum(R, S), np.minimum(T, P))
    eps *= tolerance
    tie = np.abs(T - R) <= eps
    tie |= np.abs(P - S) <= eps
    index = (R - P > eps).view(np.int8).copy()
    index += (P > S).view(np.int8) * np.int8(2)
    index += (R > T).view(np.int8) * np.int8(4)
    index += tie.view(np.int8) * np.int8(8)
    codes = batch._CLASS_TABLE[index]
    if transposed is not None:
        scale = np.maximum(eps, tolerance * np.maximum(np.maximum(np.abs(R), np.abs(S)),
                                                       np.maximum(np.abs(T), np.abs(P))))
        symmetric = np.ones(R.size, dtype=bool)
        for mine, theirs in zip(cells, transposed):
            symmetric &= np.abs(mine - np.asarray(theirs, dtype=np.float64)) <= scale
        codes[~symmetric] = batch.NOT_SYMMETRIC
    return codes
