"""All equilibria of many small two-player games at once (vectorised support enumeration).

A parameter sweep evaluates a model's payoffs at ``N`` points and needs every
equilibrium at every point. :func:`batch_equilibria` takes the stacked payoff
matrices ``A, B`` of shape ``(N, m, n)`` (``m, n <= 4``) and solves all points
with a fixed number of numpy operations per support pair — no Python loop over
points.

Method
------
Support enumeration (e.g. von Stengel, AGT 2007, §3.3). A nondegenerate game
has only equilibria with supports of equal size, so for every pair of supports
``(I, J)`` with ``|I| = |J| = k`` two ``k × k`` systems are solved for all
points at once:

* the *x-system*: player 1's strategy ``x`` on ``I`` that makes player 2
  indifferent between the columns ``J``;
* the *y-system*: player 2's strategy ``y`` on ``J`` that makes player 1
  indifferent between the rows ``I``.

Eliminating the common payoff, ``x`` is proportional to the cofactor vector
``C`` of the ``(k-1) × k`` matrix of payoff differences
``B[I, j] - B[I, j_0]`` (``j ∈ J``): for ``k = 2`` a swap, for ``k = 3`` a
cross product, for ``k = 4`` four ``3 × 3`` determinants — explicit formulas,
no ``np.linalg``. A column ``j`` outside ``J`` is then better than ``J`` by
``E_j / D`` with ``E_j = Σ_i C_i (B[i, j] - B[i, j_0])`` and ``D = Σ_i C_i``.
Every sign test is made on these polynomials of the payoff *differences*
(divided by the player's payoff range ``s`` at the point, so the scale is 1),
against thresholds ``tol · max(1, Σ|C_i|)`` for coordinates and payoff gaps;
the rounding error of the polynomials is many orders of magnitude below these
thresholds, so a sign that passes a test is the exact sign for the given
floats. Each system is classified as

* *infeasible*: two coordinates of clearly opposite signs, or an outside
  column clearly better;
* *strict*: all coordinates clearly of one sign and every outside column
  clearly worse (``x`` is then a mixed strategy with support exactly ``I``
  whose best replies are exactly ``J``);
* *boundary*: anything else — a probability within ``tol`` of zero, a payoff
  gap within ``tol · s`` of zero, or a (nearly) singular system. A singular
  system is let off only when ``J`` is provably never a best reply on ``I``
  (an outside column better on every pure strategy of ``I``, or, for
  ``k = 2``, on every point of the segment).

``(x, y)`` is an equilibrium iff both systems of ``(I, J)`` are strict. A
point is flagged **degenerate** if any of its systems is on the boundary. This
is conservative: a degenerate game (some mixed strategy with support size
``k`` has more than ``k`` pure best replies, i.e. a best-response polytope has
a vertex with too many labels, the definition used by
:func:`~negotiation.solvers.vertex_enumeration`) always has a nonsingular
feasible basic solution with an extra zero coordinate or an extra tight
column, which lands on the boundary; a few nondegenerate games with singular
support systems are flagged too. Flagged points get their equilibria from
``fallback(index)`` (for instance
:func:`~negotiation.solvers.vertex_enumeration` on the exact game) or are left
without rows.

2 × 2 games use the closed forms of the same rule (:func:`_solve_2x2`): pure
rows then have regret exactly 0 and mixed rows a few ulps. For larger games
every row is checked once more for regret ``<= tol · s`` before it is
returned; a point failing the check is treated as flagged.

Rows are sorted by point, then lexicographically descending in player 1's
probabilities, then player 2's (the order of
:func:`~negotiation.solvers.vertex_enumeration`; probabilities are compared
after rounding to 1e-9).

Examples
--------
>>> import numpy as np
>>> stag_hunt = np.array([[4., 0.], [3., 2.]])
>>> chicken = np.array([[0., -1.], [1., -10.]])
>>> A = np.stack([stag_hunt, chicken]); B = A.transpose(0, 2, 1)
>>> result = batch_equilibria(A, B)
>>> result.count.tolist(), result.point.tolist()
([3, 3], [0, 0, 0, 1, 1, 1])
>>> np.round(result.row[1], 4).tolist(), np.round(result.payoffs[1], 4).tolist()
([0.6667, 0.3333], [2.6667, 2.6667])
>>> CLASS_NAMES[classify_symmetric_batch(A, B)[1]]
'Chicken'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Callable, Optional, Sequence

import numpy as np
from negotiation.core.errors import NegotiationError

__all__ = [
    "BatchEquilibria",
    "batch_equilibria",
    "classify_symmetric_batch",
    "CLASS_NAMES",
    "MAX_STRATEGIES",
]

#: Largest number of strategies per player handled by :func:`batch_equilibria`.
MAX_STRATEGIES = 4

#: Smallest tolerance accepted: the sign tests need ``tol`` far above the rounding error.
_MIN_TOLERANCE = 1e-13

#: Largest absolute payoff solved: any finite one (each point is divided by its payoff unit first, so no
#: difference or product overflows); NaN and infinite payoffs are flagged.
_MAX_ABS = float(np.finfo(np.float64).max)

#: Points whose largest |payoff| lies outside ``2**±this`` are divided by their payoff unit (a power of two,
#: exact in binary) before solving and their payoffs multiplied back; inside it nothing can overflow or lose
#: precision, and a power-of-two scale would change no result.
_UNIT_BAND = 64

#: Grid used to compare probabilities when ordering rows within a point.
_ORDER_GRID = 1e9


@dataclass(frozen=True, eq=False)
class BatchEquilibria:
    """Equilibria of ``N`` games, one row per equilibrium.

    Attributes
    ----------
    point : (K,) int64
        Index of the parameter point (game) of each row; non-decreasing.
    row, column : (K, m), (K, n) float64
        Player 1's and player 2's mixed strategies.
    payoffs : (K, 2) float64
        Expected payoffs of both players.
    count : (N,) int64
        Number of rows of each point.
    degenerate : (N,) bool
        The game at the point is degenerate within the tolerance, or could not be
        decided (a singular support system, a failed final check, payoffs that are not
        finite); its rows come from the fallback, or it has none.
    tolerance : float
    """

    point: np.ndarray
    row: np.ndarray
    column: np.ndarray
    payoffs: np.ndarray
    count: np.ndarray
    degenerate: np.ndarray
    tolerance: float

    def __len__(self) -> int:
        return int(self.point.shape[0])

    @property
    def n_points(self) -> int:
        return int(self.count.shape[0])

    def offsets(self) -> np.ndarray:
        """``(N + 1,)`` start of each point's rows: rows of point ``i`` are ``offsets[i]:offsets[i+1]``."""
        out = np.zeros(self.count.shape[0] + 1, dtype=np.int64)
        np.cumsum(self.count, out=out[1:])
        return out

    def at(self, index: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """The ``(x, y)`` rows of one point."""
        lo, hi = np.searchsorted(self.point, [index, index + 1])
        return [(self.row[k], self.column[k]) for k in range(lo, hi)]


def batch_equilibria(
    A,
    B,
    *,
    tolerance: float = 1e-9,
    fallback: Optional[Callable[[int], Sequence]] = None,
    chunk_size: Optional[int] = None,
) -> BatchEquilibria:
    """All equilibria of ``N`` bimatrix games of shape ``m × n`` (``m, n <= 4``) at once.

    Parameters
    ----------
    A, B : array_like, shape (N, m, n) (or (m, n) for one game)
        Payoffs of player 1 and player 2 (converted to float64). Points with a payoff
        that is NaN or infinite are not solved: they are flagged like degenerate ones (and
        passed to ``fallback``). Every finite scale is solved alike: a point whose payoffs
        are very large or very small is divided by its payoff unit (a power of two, per
        player) and its payoffs multiplied back, so multiplying a point's payoffs by any
        ``c > 0`` gives the same rows with payoffs multiplied by ``c``.
    tolerance : float
        Relative tolerance: probabilities within ``tolerance`` of zero and payoff gaps
        within ``tolerance`` times the player's payoff range (at the point) count as
        ties, and the point is flagged degenerate.
    fallback : callable, optional
        ``fallback(index) -> [(x, y), ...]`` for every flagged point (``index`` is the
        point's index in ``A``), e.g. the exact extreme equilibria from
        :func:`~negotiation.solvers.vertex_enumeration` on the game at that point. Its
        profiles (floats or Fractions) are converted to float, put in the same order as
        the others, and their payoffs computed from ``A, B``; the point stays flagged.
        Without a fallback flagged points get no rows.
    chunk_size : int, optional
        Points solved per vectorised step (bounds temporary memory). Default: chosen
        from the game size.

    Returns
    -------
    BatchEquilibria
    """
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    if A.ndim == 2:
        A = A[None]
    if B.ndim == 2:
        B = B[None]
    if A.ndim != 3 or A.shape != B.shape:
        raise NegotiationError(f"A and B must have the same shape (N, m, n); got {A.shape} and {B.shape}")
    N, m, n = A.shape
    if not (1 <= m <= MAX_STRATEGIES and 1 <= n <= MAX_STRATEGIES):
        raise NegotiationError(f"batch_equilibria handles 1..{MAX_STRATEGIES} strategies per player, got {m}×{n}")
    tolerance = float(tolerance)
    if not tolerance >= _MIN_TOLERANCE:
        raise NegotiationError(f"tolerance must be at least {_MIN_TOLERANCE:g}, got {tolerance!r}")
    unusable = _unusable_points(A, B) if N else None
    if unusable is not None:  # solve zero games there (flagged as degenerate), keep the caller's arrays
        A = np.where(unusable[:, None, None], 0.0, A)
        B = np.where(unusable[:, None, None], 0.0, B)
    original = (A, B)
    A, exponents_A = _unit_points(A)  # copies only where a point is far from unit scale
    B, exponents_B = _unit_points(B)
    if chunk_size is None:
        chunk_size = _default_chunk(m, n)
    chunk_size = max(int(chunk_size), 1)

    solver = _solve_2x2 if (m, n) == (2, 2) else _solve_general
    # Output arrays are allocated once with room for 3 rows per point (the most a
    # nondegenerate 2 × 2 game has; grown if ever needed) and filled chunk by chunk:
    # untouched capacity is never paged in, and nothing is copied twice.
    out = _Rows(3 * N, m, n)
    count = np.zeros(N, dtype=np.int64)
    degenerate = np.zeros(N, dtype=bool)
    for start in range(0, N, chunk_size):
        stop = min(start + chunk_size, N)
        pt, x, y, pay, deg = solver(A[start:stop], B[start:stop], tolerance)
        degenerate[start:stop] = deg
        count[start:stop] = np.bincount(pt, minlength=stop - start)
        out.append(pt, start, x, y, pay)
    point, row, column, payoffs = out.arrays()
    if unusable is not None:
        degenerate |= unusable

    if fallback is not None and degenerate.any():
        point, row, column, payoffs, count = _merge_fallback(
            A, B, point, row, column, payoffs, count, np.flatnonzero(degenerate), fallback
        )
    for player, exponents in enumerate((exponents_A, exponents_B)):
        if exponents is not None:
            payoffs[:, player] = _scaled_back(payoffs[:, player], exponents[point], original[player][point])
    for array in (point, row, column, payoffs, count, degenerate):
        array.setflags(write=False)
    return BatchEquilibria(point, row, column, payoffs, count, degenerate, tolerance)


def _unusable_points(A, B):
    """Points with a payoff that is not finite or exceeds ``_MAX_ABS`` in absolute value (None if none).

    They are flagged rather than solved: payoff differences and their products must not
    overflow, and NaN has no sign.
    """
    bad = None
    for M in (A, B):
        # fast path (min and max propagate NaN, which fails the test); no BLAS call: a threaded
        # dot product is slow on a busy machine
        if M.size and -_MAX_ABS <= float(np.min(M)) and float(np.max(M)) <= _MAX_ABS:
            continue
        with np.errstate(invalid="ignore"):
            here = ~(np.abs(M) <= _MAX_ABS).all((1, 2))
        bad = here if bad is None else bad | here
    return bad if bad is not None and bad.any() else None


def _unit_points(M):
    """``(M with far-from-unit points divided by their payoff unit, their exponents)``; ``(M, None)`` if none is.

    The unit of a point is ``2**e`` with its largest ``|payoff|`` over ``2**e`` in ``[0.5, 1)``; only points
    with ``|e| > _UNIT_BAND`` are divided (exactly: a power of two), the others keep ``e = 0``. Every
    comparison of the solvers is relative to the point's payoff range, so only overflow needs the unit: when
    no payoff exceeds ``2**_UNIT_BAND`` (and not all are tiny) nothing is divided, after two fast passes.
    """
    if M.size == 0:
        return M, None
    largest = max(float(M.max()), -float(M.min()))  # contiguous reductions: cheap
    if largest == 0 or 2.0 ** -_UNIT_BAND <= largest <= 2.0 ** _UNIT_BAND:
        return M, None
    top = np.maximum(M.max((1, 2)), -M.min((1, 2)))
    exponents = np.frexp(top)[1]
    far = (exponents > _UNIT_BAND) | (exponents < -_UNIT_BAND)
    if not far.any():
        return M, None
    exponents = np.where(far, exponents, 0)
    return np.ldexp(M, -exponents[:, None, None]), exponents


def _scaled_back(values, exponents, payoffs):
    """Expected payoffs of scaled points multiplied back by ``2**exponents``; a value that rounding pushed past
    the point's payoff range (and past the float maximum) is clipped into that range."""
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.ldexp(values, exponents)
        return np.clip(scaled, payoffs.min((1, 2)), payoffs.max((1, 2)))


class _Rows:
    """Growable output arrays (point, row, column, payoffs) with a fill pointer."""

    def __init__(self, capacity, m, n):
        self.size = 0
        self._alloc(max(int(capacity), 16), m, n)

    def _alloc(self, capacity, m, n):
        self.point = np.empty(capacity, dtype=np.int64)
        self.row = np.empty((capacity, m))
        self.column = np.empty((capacity, n))
        self.payoffs = np.empty((capacity, 2))

    def append(self, pt, offset, x, y, pay):
        k = pt.shape[0]
        lo, hi = self.size, self.size + k
        if hi > self.point.shape[0]:
            old = (self.point, self.row, self.column, self.payoffs)
            self._alloc(max(hi, self.point.shape[0] * 3 // 2), x.shape[1], y.shape[1])
            for new, previous in zip((self.point, self.row, self.column, self.payoffs), old):
                new[:lo] = previous[:lo]
        np.add(pt, offset, out=self.point[lo:hi])
        self.row[lo:hi] = x
        self.column[lo:hi] = y
        self.payoffs[lo:hi] = pay
        self.size = hi

    def arrays(self):
        k = self.size
        return self.point[:k], self.row[:k], self.column[:k], self.payoffs[:k]


# ---------------------------------------------------------------------- 2 × 2: closed forms
def _solve_2x2(A, B, tol):
    """Closed forms for 2 × 2 games; the same classification as the general path.

    ``a_j = A[0, j] - A[1, j]`` (row 1's advantage against column ``j``),
    ``b_i = B[i, 0] - B[i, 1]``. The point is flagged iff some
    ``|a_j| <= tol·max(s_A, |a_0| + |a_1|)`` or likewise for ``b`` (exactly the boundary
    systems of the general rule). Otherwise pure ``(i, j)`` is an equilibrium iff the
    signs of ``a_j`` and ``b_i`` say so — the sign of a float difference is exact, so
    pure rows have regret exactly 0 — and the mixed one iff ``a_0, a_1`` and
    ``b_0, b_1`` have opposite signs, with ``Pr(row 1) = b_1 / (b_1 - b_0)``,
    ``Pr(column 1) = a_1 / (a_1 - a_0)`` (relative error a few ulps; both exceed ``tol``
    as the point is not flagged, so the row's regret is a few ulps of the payoff range).
    Slots per point, in output order: (row 1, pure), mixed, (row 2, pure).
    """
    N = A.shape[0]
    A00, A01, A10, A11 = A.reshape(N, 4).T.copy()  # contiguous planes
    B00, B01, B10, B11 = B.reshape(N, 4).T.copy()
    a0 = A00 - A10
    a1 = A01 - A11
    b0 = B00 - B01
    b1 = B10 - B11
    abs_a0, abs_a1, abs_b0, abs_b1 = np.abs(a0), np.abs(a1), np.abs(b0), np.abs(b1)
    sum_a = abs_a0 + abs_a1
    sum_b = abs_b0 + abs_b1
    # cheap superset of the flagged points: range(A) <= |A00 - A01| + |a0| + |a1| (B likewise)
    bound = np.abs(A00 - A01)
    bound += sum_a
    bound *= 1.01 * tol
    cand = np.minimum(abs_a0, abs_a1) <= bound
    bound = np.abs(B00 - B10)
    bound += sum_b
    bound *= 1.01 * tol
    cand |= np.minimum(abs_b0, abs_b1) <= bound
    deg = np.zeros(N, dtype=bool)
    if cand.any():
        idx = np.flatnonzero(cand)
        fa = A.reshape(N, 4)[idx]
        fb = B.reshape(N, 4)[idx]
        thr_a = tol * np.maximum(fa.max(1) - fa.min(1), sum_a[idx])
        thr_b = tol * np.maximum(fb.max(1) - fb.min(1), sum_b[idx])
        deg[idx] = (np.minimum(abs_a0[idx], abs_a1[idx]) <= thr_a) | (np.minimum(abs_b0[idx], abs_b1[idx]) <= thr_b)
    ok = ~deg

    pa0, pa1, pb0, pb1 = a0 > 0, a1 > 0, b0 > 0, b1 > 0
    flip_a = pa0 ^ pa1
    mask = np.empty((N, 3), dtype=bool)
    np.logical_and(pa1 ^ (pb0 & flip_a), ok, out=mask[:, 0])     # (1, 1) if a0, b0 > 0; (1, 2) if a1 > 0 > b0
    np.logical_and(flip_a & (pb0 ^ pb1), ok, out=mask[:, 1])     # mixed
    np.logical_and(~(pa1 ^ (pb1 & flip_a)), ok, out=mask[:, 2])  # (2, 1) if a0 < 0 < b1; (2, 2) if a1, b1 < 0
    flat = np.flatnonzero(mask.ravel())
    pt = (flat * 0x55555556) >> 32 if 3 * N < (1 << 31) else flat // 3  # = flat // 3
    slot = flat - 3 * pt

    # per slot and point: x0 = Pr(row 1), y0 = Pr(column 1), payoffs; gathered at (slot, pt)
    fields = np.empty((4, 3, N))
    x0, y0, u1, u2 = fields
    with np.errstate(divide="ignore", invalid="ignore"):  # NaN / inf where there is no mixed equilibrium
        np.divide(b1, b1 - b0, out=x0[1])
        np.divide(a1, a1 - a0, out=y0[1])
        u1[1] = A01 + (A00 - A01) * y0[1]  # row 1's payoff against y
        u2[1] = B10 + (B00 - B10) * x0[1]  # column 1's payoff against x
    x0[0] = 1.0
    x0[2] = 0.0
    y0[0] = pb0
    y0[2] = pb1
    np.copyto(u1[0], np.where(pb0, A00, A01))
    np.copyto(u2[0], np.where(pb0, B00, B01))
    np.copyto(u1[2], np.where(pb1, A10, A11))
    np.copyto(u2[2], np.where(pb1, B10, B11))
    out = np.take(fields.reshape(4, 3 * N), slot * N + pt, axis=1)
    rows = np.empty((6, flat.size))
    rows[0] = out[0]
    np.subtract(1.0, out[0], out=rows[1])
    rows[2] = out[1]
    np.subtract(1.0, out[1], out=rows[3])
    rows[4:6] = out[2:4]
    return pt, rows[0:2].T, rows[2:4].T, rows[4:6].T, deg


# ---------------------------------------------------------------------- general m × n
@lru_cache(maxsize=None)
def _layout(m: int, n: int):
    """Support combinations per size ``k``: ``(k, rows (nI, k), cols (nJ, k), cols outside (nJ, n-k),
    rows outside (nI, m-k))``, in :func:`itertools.combinations` order."""
    levels = []
    for k in range(1, min(m, n) + 1):
        rows = np.array(list(combinations(range(m), k)), dtype=np.intp)
        cols = np.array(list(combinations(range(n), k)), dtype=np.intp)
        out_cols = np.array([[j for j in range(n) if j not in c] for c in cols], dtype=np.intp).reshape(len(cols), n - k)
        out_rows = np.array([[i for i in range(m) if i not in r] for r in rows], dtype=np.intp).reshape(len(rows), m - k)
        levels.append((k, rows, cols, out_cols, out_rows))
    return tuple(levels)


def _default_chunk(m: int, n: int) -> int:
    if (m, n) == (2, 2):
        return 1 << 14
    # temporaries are (nI, nJ, chunk) arrays; keep each near 0.5 MB
    work = max(len(rows) * len(cols) for _, rows, cols, _, _ in _layout(m, n))
    return int(min(1 << 14, max(1 << 11, (1 << 16) // work)))


def _det3(a, b, c, d, e, f, g, h, i):
    return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)


def _any(arrays):
    out = arrays[0].copy()
    for a in arrays[1:]:
        out |= a
    return out


def _side(Delta, S, T, O, tol):
    """Classify the systems "a strategy on support S makes the opponent indifferent on T".

    ``Delta`` (r, c, c, N): the *opponent's* payoff differences ``P[i, j] - P[i, j']``
    divided by the range of ``P`` at the point (so the payoff scale is 1), rows ``i``
    indexed by the strategy's own pure strategies (``P = B`` for player 1's ``x``,
    ``P = A^T`` for player 2's ``y``).
    ``S`` (nS, k) and ``T`` (nT, k) are the support and best-reply combinations, ``O``
    (nT, c-k) the columns outside each ``T``. Returns ``strict`` (nS, nT, N) bool,
    ``boundary`` (N,) bool (some system at the point is on the boundary), the cofactors
    ``C`` (k arrays (nS, nT, N)) and their sum ``D``.
    """
    N = Delta.shape[-1]
    nS, k = S.shape
    nT = T.shape[0]
    rows = [S[:, i][:, None] for i in range(k)]      # (nS, 1)
    t0 = T[:, 0][None, :]                              # (1, nT)
    if k == 1:
        C = [np.ones((nS, nT, N))]
        absC = C
        Cn = C[0]
        D = C[0]
        thrC = np.full((nS, nT, N), tol)
        anypos = np.ones((nS, nT, N), dtype=bool)
        infeasible = np.zeros((nS, nT, N), dtype=bool)
        coordb = np.zeros((nS, nT, N), dtype=bool)
    else:
        # R[a][i] = P[S_i, T_a] - P[S_i, T_0]  (nS, nT, N)
        R = [[Delta[rows[i], T[:, a][None, :], t0] for i in range(k)] for a in range(1, k)]
        if k == 2:
            C = [-R[0][1], R[0][0]]
        elif k == 3:
            (u0, u1, u2), (v0, v1, v2) = R
            C = [u1 * v2 - u2 * v1, u2 * v0 - u0 * v2, u0 * v1 - u1 * v0]
        else:  # k == 4: generalised cross product
            (u0, u1, u2, u3), (v0, v1, v2, v3), (w0, w1, w2, w3) = R
            C = [
                _det3(u1, u2, u3, v1, v2, v3, w1, w2, w3),
                -_det3(u0, u2, u3, v0, v2, v3, w0, w2, w3),
                _det3(u0, u1, u3, v0, v1, v3, w0, w1, w3),
                -_det3(u0, u1, u2, v0, v1, v2, w0, w1, w2),
            ]
        absC = [np.abs(c) for c in C]
        Cn = absC[0] + absC[1]
        D = C[0] + C[1]
        for i in range(2, k):
            Cn += absC[i]
            D += C[i]
        thrC = np.maximum(Cn, 1.0)
        thrC *= tol
        neg_thr = -thrC
        anypos = _any([c > thrC for c in C])
        anyneg = _any([c < neg_thr for c in C])
        coordb = _any([a <= thrC for a in absC])
        infeasible = anypos & anyneg
    if O.shape[1]:
        thrE = thrC
        sigma = np.where(anypos, 1.0, -1.0)  # sign of D where it matters
        for o in range(O.shape[1]):
            out = O[:, o][None, :]
            E = Delta[rows[0], out, t0] if k == 1 else C[0] * Delta[rows[0], out, t0]
            for i in range(1, k):
                E += C[i] * Delta[rows[i], out, t0]
            absE = np.abs(E)
            if k > 1:
                E *= sigma
            infeasible |= E > thrE
            coordb |= absE <= thrE
        if k > 1:
            infeasible |= _singular_infeasible(Delta, rows, O, t0, Cn, k, tol)
    boundary = coordb & ~infeasible
    strict = ~(infeasible | coordb)
    return strict, boundary.reshape(-1, N).any(0), C, D


def _singular_infeasible(Delta, rows, O, t0, Cn, k, tol):
    """Which (nearly) singular systems of :func:`_side` are infeasible (``(nS, nT, N)`` bool).

    The tie set of ``T`` is not a single point there. Such systems are flagged unless an outside
    column beats ``T[0]`` on every pure strategy of ``S`` (then ``T`` is never a best reply on
    ``S``). Exactly singular systems never hide a degeneracy that the nonsingular ones miss; this
    only removes false alarms. For ``k = 2`` the support is a segment ``x = (1 - t) e_S0 + t e_S1``
    on which ``T`` is tied throughout; ``T[0]`` is a best reply on the ``t``-interval ``[lo, hi]``
    (widened by the tolerance), and the system is infeasible if that interval is empty.
    """
    singular = Cn <= tol
    infeasible = np.zeros_like(singular)
    if not singular.any():
        return infeasible
    gap = tol
    if k == 2:
        lo = np.zeros_like(Cn)
        hi = np.ones_like(Cn)
    for o in range(O.shape[1]):
        out = O[:, o][None, :]
        g = [Delta[rows[i], out, t0] for i in range(k)]
        if k == 2:
            g0, g1 = g
            with np.errstate(divide="ignore", invalid="ignore"):
                cross = (gap - g0) / (g1 - g0)  # where g(t) = gap
            np.maximum(lo, np.where((g0 > gap) & (g1 <= gap), cross, 0.0), out=lo)
            np.minimum(hi, np.where((g0 <= gap) & (g1 > gap), cross, 1.0), out=hi)
            np.maximum(lo, np.where((g0 > gap) & (g1 > gap), 2.0, 0.0), out=lo)
        else:
            dominated = g[0] > gap
            for i in range(1, k):
                dominated &= g[i] > gap
            infeasible |= dominated & singular
    if k == 2:
        infeasible |= singular & (lo > hi)
    return infeasible


def _solve_general(A, B, tol):
    N, m, n = A.shape
    Bt = np.ascontiguousarray(B.transpose(1, 2, 0))  # (m, n, N)
    At = np.ascontiguousarray(A.transpose(2, 1, 0))  # (n, m, N) = A^T
    sA = At.reshape(m * n, N).max(0) - At.reshape(m * n, N).min(0)
    sB = Bt.reshape(m * n, N).max(0) - Bt.reshape(m * n, N).min(0)
    # payoff differences in units of the player's payoff range (scale 1 below; a constant
    # matrix keeps its zero differences and is flagged)
    dB = Bt[:, :, None, :] - Bt[:, None, :, :]  # (m, n, n, N)
    dB /= np.where(sB > 0, sB, 1.0)
    dA = At[:, :, None, :] - At[:, None, :, :]  # (n, m, m, N)
    dA /= np.where(sA > 0, sA, 1.0)
    deg = np.zeros(N, dtype=bool)
    pts, xs, ys = [], [], []
    for k, rows, cols, out_cols, out_rows in _layout(m, n):
        sx, bx, Cx, Dx = _side(dB, rows, cols, out_cols, tol)  # (nI, nJ, N)
        sy, by, Cy, Dy = _side(dA, cols, rows, out_rows, tol)  # (nJ, nI, N)
        deg |= bx
        deg |= by
        eq = sx & sy.transpose(1, 0, 2)
        i, j, pt = np.nonzero(eq)
        if pt.size == 0:
            continue
        K = pt.size
        ar = np.arange(K)
        x = np.zeros((K, m))
        dx = Dx[i, j, pt]
        for a in range(k):
            x[ar, rows[i, a]] = Cx[a][i, j, pt] / dx if k > 1 else 1.0
        y = np.zeros((K, n))
        dy = Dy[j, i, pt]
        for a in range(k):
            y[ar, cols[j, a]] = Cy[a][j, i, pt] / dy if k > 1 else 1.0
        pts.append(pt)
        xs.append(x)
        ys.append(y)
    if pts:
        pt = np.concatenate(pts)
        x = np.concatenate(xs)
        y = np.concatenate(ys)
        keep = ~deg[pt]
        pt, x, y = pt[keep], x[keep], y[keep]
    else:
        pt = np.zeros(0, dtype=np.intp)
        x, y = np.zeros((0, m)), np.zeros((0, n))
    order = _row_order(pt, x, y)
    pt, x, y = pt[order], x[order], y[order]
    pay = _payoffs(A, B, pt, x, y)
    bad = _failed_check(A, B, pt, x, y, pay, sA, sB, tol)
    if bad is not None:
        deg |= bad
        keep = ~bad[pt]
        pt, x, y, pay = pt[keep], x[keep], y[keep], pay[keep]
    return pt, x, y, pay, deg


def _row_order(pt, x, y):
    """Order: point, then descending in x (lexicographic), then descending in y."""
    keys = [-np.rint(y[:, c] * _ORDER_GRID) for c in range(y.shape[1] - 1, -1, -1)]
    keys += [-np.rint(x[:, c] * _ORDER_GRID) for c in range(x.shape[1] - 1, -1, -1)]
    keys.append(pt)
    return np.lexsort(keys)


def _payoffs(A, B, pt, x, y):
    pay = np.empty((pt.size, 2))
    pay[:, 0] = np.einsum("ki,kij,kj->k", x, np.take(A, pt, axis=0), y)
    pay[:, 1] = np.einsum("ki,kij,kj->k", x, np.take(B, pt, axis=0), y)
    return pay


def _failed_check(A, B, pt, x, y, pay, sA, sB, tol):
    """Points with a row that is not an equilibrium within ``tol`` (None if all pass).

    Regret at most ``tol`` times the player's payoff range (``sA``, ``sB`` per point),
    probabilities at least ``-tol``, sums within ``tol`` of one.
    """
    if pt.size == 0:
        return None
    Ap, Bp = np.take(A, pt, axis=0), np.take(B, pt, axis=0)
    sA, sB = sA[pt], sB[pt]
    best1 = np.einsum("kij,kj->ki", Ap, y).max(1)
    best2 = np.einsum("ki,kij->kj", x, Bp).max(1)
    ok = best1 - pay[:, 0] <= tol * sA + 1e-12 * np.abs(pay[:, 0])
    ok &= best2 - pay[:, 1] <= tol * sB + 1e-12 * np.abs(pay[:, 1])
    ok &= (x >= -tol).all(1) & (y >= -tol).all(1)
    ok &= np.abs(x.sum(1) - 1.0) <= tol * x.shape[1]
    ok &= np.abs(y.sum(1) - 1.0) <= tol * y.shape[1]
    if ok.all():
        return None
    bad = np.zeros(A.shape[0], dtype=bool)
    bad[pt[~ok]] = True
    return bad


# ---------------------------------------------------------------------- fallback
def _merge_fallback(A, B, point, row, column, payoffs, count, flagged, fallback):
    m, n = A.shape[1:]
    fb_pt, fb_x, fb_y = [], [], []
    for index in flagged.tolist():
        profiles = list(fallback(index))
        for x, y in profiles:
            fb_pt.append(index)
            fb_x.append(np.asarray([float(v) for v in x], dtype=np.float64))
            fb_y.append(np.asarray([float(v) for v in y], dtype=np.float64))
    if not fb_pt:
        return point, row, column, payoffs, count
    fp = np.asarray(fb_pt, dtype=np.int64)
    fx = np.stack(fb_x)
    fy = np.stack(fb_y)
    if fx.shape[1] != m or fy.shape[1] != n:
        raise NegotiationError(f"fallback returned profiles of sizes {fx.shape[1]}, {fy.shape[1]}; expected {m}, {n}")
    order = _row_order(fp, fx, fy)
    fp, fx, fy = fp[order], fx[order], fy[order]
    fpay = _payoffs(A, B, fp, fx, fy)

    count = count.copy()
    count += np.bincount(fp, minlength=count.size)
    starts = np.zeros(count.size + 1, dtype=np.int64)
    np.cumsum(count, out=starts[1:])
    total = int(starts[-1])
    out_pt = np.empty(total, dtype=np.int64)
    out_x = np.empty((total, m))
    out_y = np.empty((total, n))
    out_pay = np.empty((total, 2))
    for pts, xs, ys, pays in ((point, row, column, payoffs), (fp, fx, fy, fpay)):
        if pts.size == 0:
            continue
        # rank of each row within its point (rows are grouped by point, in order)
        first = np.searchsorted(pts, pts, side="left")
        dest = starts[pts] + (np.arange(pts.size) - first)
        out_pt[dest] = pts
        out_x[dest] = xs
        out_y[dest] = ys
        out_pay[dest] = pays
    return out_pt, out_x, out_y, out_pay, count


# ---------------------------------------------------------------------- classification
#: Names for the codes of :func:`classify_symmetric_batch` (those of
#: :func:`negotiation.solvers.classification.classify_values`, plus "not symmetric").
CLASS_NAMES = ("Harmony", "Prisoner's Dilemma", "Deadlock", "Stag Hunt", "Chicken", "boundary case", "not symmetric")
HARMONY, PRISONERS_DILEMMA, DEADLOCK, STAG_HUNT, CHICKEN, BOUNDARY, NOT_SYMMETRIC = range(7)


#: Class code by ``8·tie + 4·(R > T) + 2·(P > S) + (R - P > eps)`` (see :func:`classify_symmetric_batch`).
_CLASS_TABLE = np.array([CHICKEN, CHICKEN, DEADLOCK, PRISONERS_DILEMMA, HARMONY, HARMONY, STAG_HUNT, STAG_HUNT]
                        + [BOUNDARY] * 8, dtype=np.int8)


def classify_symmetric_batch(A, B=None, cooperate: int = 0, *, tolerance: float = 1e-9) -> np.ndarray:
    """Classic-game class of ``N`` symmetric 2 × 2 games, as int8 codes into :data:`CLASS_NAMES`.

    Same rules as :func:`negotiation.solvers.classification.classify_values` with
    ``R = A[c, c], S = A[c, d], T = A[d, c], P = A[d, d]`` (``c = cooperate``): a tie
    ``T = R`` or ``P = S`` within ``tolerance`` times the range of ``A`` is a
    "boundary case"; Prisoner's Dilemma needs ``R > P`` beyond the tolerance,
    otherwise Deadlock. Points where ``B`` is not ``A`` transposed (within the same
    tolerance) get "not symmetric". ``B=None`` assumes a symmetric game.
    """
    A = np.asarray(A, dtype=np.float64)
    if A.ndim == 2:
        A = A[None]
    if A.shape[1:] != (2, 2):
        raise NegotiationError(f"classify_symmetric_batch needs 2×2 games, got shape {A.shape}")
    if cooperate not in (0, 1):
        raise NegotiationError(f"cooperate must be 0 or 1, got {cooperate!r}")
    c, d = cooperate, 1 - cooperate
    with np.errstate(invalid="ignore"):  # NaN points stay NaN (and classify as boundary cases)
        A, exponents = _unit_points(A)  # points far from unit scale divided by their unit: no overflow
    R, S, T, P = (np.ascontiguousarray(A[:, i, j]) for i, j in ((c, c), (c, d), (d, c), (d, d)))
    flat = A.reshape(A.shape[0], 4)
    # the range of the four payoffs (max - min of the same four floats, in any order, is the same)
    eps = np.maximum(np.maximum(R, S), np.maximum(T, P))
    eps -= np.minimum(np.minimum(R, S), np.minimum(T, P))
    eps *= tolerance
    tie = np.abs(T - R) <= eps
    tie |= np.abs(P - S) <= eps
    rt, ps = R > T, P > S
    # one table lookup: index = 8·tie + 4·(R > T) + 2·(P > S) + (R - P > eps)
    index = (R - P > eps).view(np.int8).copy()
    index += ps.view(np.int8) * np.int8(2)
    index += rt.view(np.int8) * np.int8(4)
    index += tie.view(np.int8) * np.int8(8)
    codes = _CLASS_TABLE[index]
    if B is not None:
        B = np.asarray(B, dtype=np.float64)
        if B.ndim == 2:
            B = B[None]
        if B.shape != A.shape:
            raise NegotiationError(f"A and B must have the same shape; got {A.shape} and {B.shape}")
        if exponents is not None:  # B on A's scale (if it overflows there, it is not A transposed)
            with np.errstate(over="ignore"):
                B = np.ldexp(B, -exponents[:, None, None])
        scale = np.maximum(eps, tolerance * np.abs(flat).max(1))
        symmetric = (np.abs(A - B.transpose(0, 2, 1)).reshape(-1, 4) <= scale[:, None]).all(1)
        codes[~symmetric] = NOT_SYMMETRIC
    return codes
