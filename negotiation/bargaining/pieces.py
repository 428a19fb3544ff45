"""Pieces of an agreement set: finitely many agreements, and a convex polygon of two parties.

Every piece answers the same questions (:class:`Piece`): the best utility of each party in the
zone, the lexicographic max-min of normalised gains, the Nash and utilitarian maximisers, the Pareto
frontier and the share of the issue space in the zone. The linear and curved pieces are in
:mod:`~negotiation.bargaining.linear_piece` and :mod:`~negotiation.bargaining.curves`.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.bargaining.numbers import TOL, leximin_key, lexmax, magnitude, nash_key
from negotiation.bargaining.points import (Point, clip_polygon, deduplicate_points, frontier_chain, hull,
                                           pareto_indices, polygon_area, polygon_maxmin, polygon_nash)
from negotiation.models.bargaining import to_float

__all__ = ["Piece", "FinitePiece", "PolygonPiece"]


class Piece:
    """Common interface of the pieces of an agreement set."""

    kind = "piece"
    exact = True
    method = ""
    fixed: dict = {}

    # Every piece answers, for a no-deal point ``d``:
    #   ideal(d)            each party's best utility among the agreements >= d (None if there is none);
    #   maxmin(d, s)        the lexicographic max-min of the normalised gains (u_i - d_i)/s_i: (Point, level);
    #   nash(d, w)          the maximiser of the weighted Nash product among strict gains (None if none);
    #   utilitarian(d, w)   the maximiser of sum_i w_i u_i among agreements >= d, ties toward equal gains;
    #   frontier(d)         the Pareto-efficient agreements >= d, as Points;
    #   share(d)            the share of the piece's issue space in the zone (None where it does not apply);
    #   area(d)             the area of the zone in utility space (polygons; None elsewhere).
    def agreement(self, v: Point):
        """The agreement that yields the point ``v`` (None for sets stated in utility space)."""
        return None


class FinitePiece(Piece):
    """Finitely many agreements (packages, or combinations of discrete options).

    Exact utilities are stored as integer numerators over one common
    denominator per party (numpy ``int64`` when they fit, Python integers
    otherwise), so that building and screening 10^5 packages stays vectorised;
    ``Fraction`` values are made only for the few candidates compared exactly.
    """

    kind = "finite"

    def __init__(self, values, n_parties, exact, decode, method):
        self.n = n_parties
        self.exact = exact
        self.decode = decode
        self.method = method
        if isinstance(values, tuple) and len(values) == 2 and isinstance(values[0], np.ndarray):
            self.numerators, self.denominators = values          # exact, scaled integers
            self.floats = np.stack([self.numerators[:, i].astype(float) / d
                                    for i, d in enumerate(self.denominators)], axis=1)
            self.rows = None
        elif isinstance(values, np.ndarray):
            self.floats = values.astype(float).reshape(-1, n_parties)
            self.rows = None
            self.numerators = None
        else:
            self.rows = list(values)
            self.numerators = None
            self.floats = np.asarray([[to_float(x) for x in row] for row in self.rows], dtype=float
                                     ).reshape(-1, n_parties)

    def value(self, k) -> tuple:
        """Utilities of agreement ``k`` (exact Fractions when the piece is exact)."""
        if self.rows is not None:
            return tuple(self.rows[k])
        if self.numerators is not None:
            return tuple(Fraction(int(self.numerators[k, i]), d) for i, d in enumerate(self.denominators))
        return tuple(float(x) for x in self.floats[k])

    def point(self, k) -> Point:
        return Point(self.value(int(k)), {"_index": int(k)})

    def agreement(self, v):
        return self.decode(v.terms["_index"])

    def _near_best(self, scores, mask):
        if not mask.any():
            return np.array([], dtype=int)
        best = scores[mask].max()
        width = TOL * max(1.0, abs(best))
        return np.flatnonzero(mask & (scores >= best - width))

    def ir_mask(self, d, strict=False):
        d_f = np.array([to_float(x) for x in d])
        tol = TOL * magnitude(d)
        if strict:
            mask = np.all(self.floats > d_f + tol, axis=1)
            loose = np.all(self.floats > d_f - tol, axis=1)
        else:
            mask = np.all(self.floats >= d_f - tol, axis=1)
            loose = mask
        if not self.exact:
            return mask
        # exact re-check of borderline points
        borderline = np.flatnonzero(loose & ~np.all(np.abs(self.floats - d_f) > tol, axis=1))
        for k in borderline:
            row = self.value(k)
            ok = all((x > y) if strict else (x >= y) for x, y in zip(row, d))
            mask[k] = ok
        return mask

    def ideal(self, d):
        mask = self.ir_mask(d)
        if not mask.any():
            return None
        ideal = []
        for i in range(self.n):
            column = self.floats[:, i]
            near = self._near_best(column, mask)
            ideal.append(max(self.value(k)[i] for k in near) if self.exact else float(column[mask].max()))
        return tuple(ideal)

    def maxmin(self, d, s):
        d_f = np.array([to_float(x) for x in d])
        s_f = np.array([to_float(x) for x in s])
        active = s_f > 0
        gains = self.floats - d_f
        mask = np.ones(len(self.floats), dtype=bool)
        if (~active).any():
            mask &= np.all(gains[:, ~active] >= -TOL * magnitude(d), axis=1)
            if self.exact:
                for k in np.flatnonzero(mask):
                    if any(self.value(k)[i] < d[i] for i in range(self.n) if not active[i]):
                        mask[k] = False
        if not mask.any():
            return None, None
        levels = (gains[:, active] / s_f[active]).min(axis=1) if active.any() else np.zeros(len(gains))
        near = self._near_best(levels, mask)
        best, key = lexmax((self.point(k) for k in near), lambda v: leximin_key(v.u, d, s))
        return best, (key[0] if key else 0)

    def nash(self, d, w):
        mask = self.ir_mask(d, strict=True)
        if not mask.any():
            return None
        d_f = np.array([to_float(x) for x in d])
        w_f = np.array([to_float(x) for x in w])
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(mask, (np.log(np.maximum(self.floats - d_f, 1e-300)) * w_f).sum(axis=1), -np.inf)
        near = self._near_best(logs, mask)
        counter = [1]
        best, _ = lexmax((self.point(k) for k in near),
                          lambda v: nash_key([x - y for x, y in zip(v.u, d)], w), counter)
        self.ties = counter[0]
        return best

    def utilitarian(self, d, w):
        mask = self.ir_mask(d)
        if not mask.any():
            return None
        w_f = np.array([to_float(x) for x in w])
        sums = self.floats @ w_f
        near = self._near_best(sums, mask)
        ones = tuple(Fraction(1) for _ in d)
        counter = [1]
        best, _ = lexmax((self.point(k) for k in near),
                          lambda v: (sum(x * y for x, y in zip(v.u, w)), *leximin_key(v.u, d, ones)), counter)
        self.ties = counter[0]
        return best

    def frontier(self, d):
        mask = self.ir_mask(d)
        indices = np.flatnonzero(mask)
        if not len(indices):
            return []
        efficient = pareto_indices(self.floats[indices])
        points = [self.point(int(indices[k])) for k in efficient]
        return sorted(points, key=lambda v: tuple(to_float(x) for x in v.u))

    def share(self, d):
        mask = self.ir_mask(d)
        count = int(mask.sum())
        return Fraction(count, len(mask)) if self.exact else count / len(mask)


class PolygonPiece(Piece):
    """A convex polygon in the utility plane of two parties."""

    kind = "polygon"

    def __init__(self, vertices, exact, method, decode=None, ir_only=False, closest=None, fixed=None,
                 box=None):
        self.vertices = vertices
        self.exact = exact
        self.method = method
        self.decode_terms = decode
        self.ir_only = ir_only      # vertices describe the IR part only (inequality lists)
        self.closest = closest      # (point, t) when the IR part is empty and vertices are IR-only
        self.fixed = fixed or {}
        self.box = box              # issue-space data for shares: (names, lows, highs, coefficients)

    def agreement(self, v):
        return self.decode_terms(v) if self.decode_terms else None

    def _eps(self, d):
        return 0 if self.exact else TOL * magnitude([*d, *(x for v in self.vertices for x in v.u)])

    def ir(self, d):
        poly = self.vertices
        eps = self._eps(d)
        poly = clip_polygon(poly, (1, 0), d[0], eps)
        return clip_polygon(poly, (0, 1), d[1], eps)

    def ideal(self, d):
        ir = self.ir(d)
        if not ir:
            return None
        return (max(v.u[0] for v in ir), max(v.u[1] for v in ir))

    def maxmin(self, d, s):
        if self.ir_only and not self.vertices:
            return self.closest if self.closest else (None, None)
        return polygon_maxmin(self.vertices, d, s, self.exact)

    def nash(self, d, w):
        return polygon_nash(frontier_chain(self.ir(d)), d, w)

    def utilitarian(self, d, w):
        ir = self.ir(d)
        if not ir:
            return None
        values = [w[0] * v.u[0] + w[1] * v.u[1] for v in ir]
        top = max(values)
        eps = 0 if self.exact else TOL * magnitude(values)
        face = [v for v, x in zip(ir, values) if x >= top - eps]
        if len(face) == 1:
            return face[0]
        point, _ = polygon_maxmin(hull(face, self.exact), d, (1, 1), self.exact)
        return point

    def frontier(self, d):
        return frontier_chain(self.ir(d))

    def area(self, d):
        return polygon_area(self.ir(d))

    def share(self, d):
        """Share of this piece's issue box in which both parties weakly prefer the agreement."""
        if self.box is None:
            return None
        names, lows, highs, coefficients, constants = self.box
        k = len(names)
        volume = 1
        for lo, hi in zip(lows, highs):
            volume *= hi - lo
        if volume == 0:
            # no continuous freedom: the piece is a single agreement
            u = [c + sum(a * lo for a, lo in zip(row, lows)) for row, c in zip(coefficients, constants)]
            inside = all(x >= dv for x, dv in zip(u, d))
            return Fraction(int(inside)) if self.exact else float(inside)
        if k == 1:
            lo, hi = lows[0], highs[0]
            for (a,), c, dv in zip(coefficients, constants, d):
                # a x + c >= dv
                if a > 0:
                    lo = max(lo, (dv - c) / a)
                elif a < 0:
                    hi = min(hi, (dv - c) / a)
                elif c < dv:
                    hi = lo - 1
            return max(hi - lo, 0) / volume if hi >= lo else (Fraction(0) if self.exact else 0.0)
        if k == 2:
            rect = [Point((lows[0], lows[1])), Point((highs[0], lows[1])), Point((highs[0], highs[1])),
                    Point((lows[0], highs[1]))]
            rect = deduplicate_points(rect)
            for (a1, a2), c, dv in zip(coefficients, constants, d):
                rect = clip_polygon(rect, (a1, a2), dv - c, 0 if self.exact else 1e-12)
            return polygon_area(rect) / volume
        rng = np.random.default_rng(0)
        samples = 20000
        x = rng.uniform([to_float(v) for v in lows], [to_float(v) for v in highs], size=(samples, k))
        ok = np.ones(samples, dtype=bool)
        for row, c, dv in zip(coefficients, constants, d):
            ok &= x @ np.array([to_float(a) for a in row]) + to_float(c) >= to_float(dv)
        return float(ok.mean())
