"""Points in utility space with the agreements that yield them, and exact 2-D convex geometry on them.

A :class:`Point` carries its utilities and the (linear) agreement coordinates that give them, so that
hulls, clips and interpolations keep track of *which* agreement each vertex is;
:mod:`negotiation.core.geometry` does the geometry. The polygon algorithms of the bargaining solutions
(lexicographic max-min of normalised gains, the Nash product on a frontier chain) are here too.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import numpy as np

from negotiation.bargaining.numbers import TOL, is_exact, lexmax, magnitude, nash_key
from negotiation.core.geometry import area, clip, convex_hull, deduplicate
from negotiation.models.bargaining import show

__all__ = ["Point", "between", "clip_polygon", "deduplicate_points", "frontier_chain", "hull", "pareto_indices",
           "polygon_area", "polygon_maxmin", "polygon_nash", "zonotope"]


class Point:
    """A point in utility space with the (linear) agreement coordinates that yield it."""

    __slots__ = ("u", "terms")

    def __init__(self, u, terms=None):
        self.u = tuple(u)
        self.terms = terms or {}

    def __repr__(self):
        return f"Point({', '.join(show(x) for x in self.u)})"


def between(p: Point, q: Point, s) -> Point:
    """The point ``p + s (q - p)``, its agreement coordinates interpolated alike."""
    if s == 0:
        return p
    if s == 1:
        return q
    u = tuple(a + s * (b - a) for a, b in zip(p.u, q.u))
    keys = list(dict.fromkeys([*p.terms, *q.terms]))
    terms = {}
    for k in keys:
        value = p.terms.get(k, 0) * (1 - s) + q.terms.get(k, 0) * s
        terms[k] = value
    return Point(u, terms)


def _coordinates(v: Point):
    return v.u


def hull(points: list[Point], exact: bool) -> list[Point]:
    """Convex hull (counter-clockwise, no collinear points) of points with agreements."""
    tolerance = 0 if exact else 1e-12 * magnitude([x for p in points for x in p.u]) ** 2
    return convex_hull(points, key=_coordinates, tolerance=tolerance)


def deduplicate_points(poly: list[Point]) -> list[Point]:
    """The polygon without repeated consecutive vertices."""
    return deduplicate(poly, key=_coordinates)


def clip_polygon(poly: list[Point], a, b, eps=0) -> list[Point]:
    """The part of a convex polygon where ``a . u >= b``."""
    return clip(poly, a, b, key=_coordinates, between=between, tolerance=eps)


def polygon_area(poly: list[Point]):
    """Area of a convex polygon (0 for a point or a segment), exact for exact vertices."""
    if len(poly) < 3:
        return Fraction(0) if all(is_exact(x) for v in poly for x in v.u) else 0.0
    return area(poly, key=_coordinates)


def frontier_chain(poly: list[Point]) -> list[Point]:
    """Pareto frontier of a convex polygon (u1 increasing): from the highest to the rightmost vertex."""
    if not poly:
        return []
    n = len(poly)
    top = max(range(n), key=lambda k: (poly[k].u[1], poly[k].u[0]))
    right = max(range(n), key=lambda k: (poly[k].u[0], poly[k].u[1]))
    chain = [poly[right]]
    k = right
    while k != top:
        k = (k + 1) % n
        chain.append(poly[k])
    chain.reverse()
    return chain


def zonotope(origin, generators, exact) -> list[Point]:
    """Vertices (CCW) of ``origin + sum_k [0, 1] * g_k`` with the agreement at each vertex.

    ``origin`` is a Point; each generator is ``(vector, start_terms, end_terms)``.
    """
    items = []
    base = Point(origin.u, dict(origin.terms))
    for vector, start, end in generators:
        if vector[0] == 0 and vector[1] == 0:
            continue
        if vector[1] < 0 or (vector[1] == 0 and vector[0] < 0):
            vector = (-vector[0], -vector[1])
            start, end = end, start
            base = Point((base.u[0] - vector[0], base.u[1] - vector[1]), {**base.terms, **start})
        else:
            base = Point(base.u, {**base.terms, **start})
        items.append((vector, start, end))
    if not items:
        return [base]
    # sort by angle in [0, pi): compare with cross products (exact)
    def order(x, y):
        c = x[0][0] * y[0][1] - x[0][1] * y[0][0]
        return -1 if c > 0 else (1 if c < 0 else 0)

    items.sort(key=functools.cmp_to_key(order))
    groups = []
    for item in items:
        if groups and order(groups[-1][0], item) == 0:
            groups[-1].append(item)
        else:
            groups.append([item])
    vertices = [base]
    current = base
    for group in groups:                       # lower-right chain, up to the top
        u = (current.u[0] + sum(g[0][0] for g in group), current.u[1] + sum(g[0][1] for g in group))
        terms = dict(current.terms)
        for g in group:
            terms.update(g[2])
        current = Point(u, terms)
        vertices.append(current)
    for group in groups[:-1]:                  # and back down on the other side
        u = (current.u[0] - sum(g[0][0] for g in group), current.u[1] - sum(g[0][1] for g in group))
        terms = dict(current.terms)
        for g in group:
            terms.update(g[1])
        current = Point(u, terms)
        vertices.append(current)
    return deduplicate_points(vertices)


def _segment_point(p: Point, q: Point, d, s):
    """The point of segment pq on the line ``(u1 - d1)/s1 = (u2 - d2)/s2``, or None."""
    # f(u) = s2 (u1 - d1) - s1 (u2 - d2) changes sign along pq
    fp = s[1] * (p.u[0] - d[0]) - s[0] * (p.u[1] - d[1])
    fq = s[1] * (q.u[0] - d[0]) - s[0] * (q.u[1] - d[1])
    if fp == fq or (fp > 0 and fq > 0) or (fp < 0 and fq < 0):
        return None
    return between(p, q, fp / (fp - fq))


def polygon_maxmin(poly: list[Point], d, s, exact):
    """Lexicographic max-min of normalised gains ``(u_i - d_i)/s_i`` over a polygon.

    Parties with ``s_i = 0`` are only held to ``u_i >= d_i``. Returns ``(point, t)``.
    """
    eps = 0 if exact else TOL * magnitude([*d, *(x for v in poly for x in v.u)])
    for i in range(2):
        if s[i] == 0:
            poly = clip_polygon(poly, (1 if i == 0 else 0, 1 if i == 1 else 0), d[i], eps)
    if not poly:
        return None, None
    active = [i for i in range(2) if s[i] > 0]

    def level(v):
        if not active:
            return 0
        return min((v.u[i] - d[i]) / s[i] for i in active)

    candidates = list(poly)
    if len(active) == 2 and len(poly) > 1:
        n = len(poly)
        for k in range(n if n > 2 else 1):
            point = _segment_point(poly[k], poly[(k + 1) % n], d, s)
            if point is not None:
                candidates.append(point)
    t = max(level(v) for v in candidates)
    # second stage: among points at level t, the largest total normalised gain
    region = poly
    for i in active:
        a = (1 if i == 0 else 0, 1 if i == 1 else 0)
        region = clip_polygon(region, a, d[i] + t * s[i], eps)
    if not region:  # rounding
        region = [max(candidates, key=level)]

    def total(v):
        return sum((v.u[i] - d[i]) / s[i] if s[i] > 0 else v.u[i] - d[i] for i in range(2))

    best = max(region, key=lambda v: (total(v), v.u))
    return best, t


def polygon_nash(chain: list[Point], d, w):
    """Maximiser of ``prod (u_i - d_i)^w_i`` over a frontier chain of a convex polygon."""
    candidates = list(chain)
    for p, q in zip(chain, chain[1:]):
        d1, d2 = q.u[0] - p.u[0], q.u[1] - p.u[1]
        if d1 == 0 or d2 == 0:
            continue
        g1, g2 = p.u[0] - d[0], p.u[1] - d[1]
        s = -(w[0] * d1 * g2 + w[1] * d2 * g1) / ((w[0] + w[1]) * d1 * d2)
        if 0 < s < 1:
            candidates.append(between(p, q, s))
    positive = [v for v in candidates if v.u[0] > d[0] and v.u[1] > d[1]]
    if not positive:
        return None
    best, _ = lexmax(positive, lambda v: nash_key([v.u[0] - d[0], v.u[1] - d[1]], w))
    return best


def pareto_indices(points: np.ndarray) -> list[int]:
    """Indices of the Pareto-efficient rows (no other row at least as good everywhere and better somewhere)."""
    n, m = points.shape
    if n == 0:
        return []
    if m == 2:
        order = np.lexsort((-points[:, 1], -points[:, 0]))  # u1 desc, then u2 desc
        kept = []
        best2 = -np.inf
        previous = None
        for k in order:
            p = points[k]
            if p[1] > best2:
                kept.append(int(k))
                best2 = p[1]
            elif previous is not None and p[0] == previous[0] and p[1] == previous[1]:
                kept.append(int(k))  # duplicates of an efficient point stay
            previous = p if p[1] >= best2 else previous
        return kept
    order = np.argsort(-points.sum(axis=1), kind="stable")
    kept: list[int] = []
    for k in order:
        p = points[k]
        if kept:
            others = points[kept]
            dominated = np.all(others >= p, axis=1) & np.any(others > p, axis=1)
            if dominated.any():
                continue
        kept.append(int(k))
    return kept
