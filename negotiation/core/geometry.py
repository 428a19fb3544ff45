"""Exact 2-D convex geometry: hulls, half-plane clips and areas of convex polygons.

Coordinates are exact rationals (then every answer is exact) or floats (then ``tolerance``
decides what counts as collinear or inside). Points are ``(x, y)`` tuples, or any objects with a
``key`` that gives their coordinates (the bargaining code carries the agreement that yields
each point of utility space along with it).

Used for the zone of possible agreement (:mod:`negotiation.bargaining.agreement_set`) and for the
feasible, individually rational payoffs of a repeated game (:mod:`negotiation.solvers.repeated`).

Examples
--------
>>> from fractions import Fraction as F
>>> square = convex_hull([(0, 0), (2, 0), (2, 2), (0, 2), (1, 1), (1, 0)])
>>> square
[(0, 0), (2, 0), (2, 2), (0, 2)]
>>> clip(square, (1, 1), 2)  # the part where x + y >= 2
[(2, 0), (2, 2), (0, 2)]
>>> area(clip(square, (1, 1), 2)), area([(F(0), F(0)), (F(1), F(0)), (F(0), F(1, 3))])
(2.0, Fraction(1, 6))
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Sequence

__all__ = ["cross", "convex_hull", "clip", "area", "deduplicate", "point_between"]


def _coordinates(point):
    return point


def cross(o, a, b):
    """The z-component of ``(a - o) × (b - o)``: positive for a counter-clockwise turn."""
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Sequence, *, key: Callable = _coordinates, tolerance=0) -> list:
    """Convex hull, counter-clockwise from the lowest-leftmost point, without collinear points.

    Andrew's monotone chain (Andrew 1979). Of several points with the same coordinates the first
    is kept; a turn counts as a turn when its cross product exceeds ``tolerance``.
    """
    unique = {}
    for point in points:
        unique.setdefault(tuple(key(point)), point)
    ordered = sorted(unique.values(), key=lambda p: tuple(key(p)))
    if len(ordered) <= 2:
        return ordered

    def chain(sequence):
        kept = []
        for point in sequence:
            while len(kept) >= 2 and cross(key(kept[-2]), key(kept[-1]), key(point)) <= tolerance:
                kept.pop()
            kept.append(point)
        return kept

    lower, upper = chain(ordered), chain(reversed(ordered))
    return lower[:-1] + upper[:-1]


def point_between(p, q, s):
    """The point at fraction ``s`` of the way from ``p`` to ``q`` (coordinate tuples)."""
    return tuple(a + s * (b - a) for a, b in zip(p, q))


def deduplicate(polygon: Sequence, *, key: Callable = _coordinates) -> list:
    """``polygon`` without consecutive repeated points (also across the closing edge)."""
    kept = []
    for point in polygon:
        if not kept or tuple(key(kept[-1])) != tuple(key(point)):
            kept.append(point)
    while len(kept) > 1 and tuple(key(kept[0])) == tuple(key(kept[-1])):
        kept.pop()
    return kept


def clip(polygon: Sequence, normal, offset, *, key: Callable = _coordinates, between: Callable = point_between,
         tolerance=0) -> list:
    """The part of a convex polygon (in order) where ``normal · u >= offset`` (Sutherland–Hodgman).

    ``between(p, q, s)`` makes the point at fraction ``s`` from ``p`` to ``q`` where an edge crosses
    the line; a point counts as inside within ``tolerance``.
    """
    if not polygon:
        return []

    def value(point):
        u = key(point)
        return normal[0] * u[0] + normal[1] * u[1] - offset

    if len(polygon) == 1:
        return list(polygon) if value(polygon[0]) >= -tolerance else []
    kept = []
    count = len(polygon)
    for k in range(count):
        p, q = polygon[k], polygon[(k + 1) % count]
        vp, vq = value(p), value(q)
        if vp >= -tolerance:
            kept.append(p)
        if (vp >= -tolerance) != (vq >= -tolerance) and vp != 0 and vq != 0:  # a vertex on the line is kept as is
            kept.append(between(p, q, vp / (vp - vq)))
    return deduplicate(kept, key=key)


def area(polygon: Sequence, *, key: Callable = _coordinates):
    """Area of a polygon in order (shoelace formula): exact for exact coordinates."""
    if len(polygon) < 3:
        exact = all(isinstance(x, (int, Fraction)) for point in polygon for x in key(point))
        return Fraction(0) if exact else 0.0
    total = 0
    count = len(polygon)
    for k in range(count):
        (x1, y1), (x2, y2) = key(polygon[k]), key(polygon[(k + 1) % count])
        total += x1 * y2 - x2 * y1
    return abs(total) / 2
