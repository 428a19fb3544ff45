"""Exact 2-D convex geometry: hulls, half-plane clips and areas of convex polygons.

Coordinates are exact rationals (then every answer is exact) or floats (then ``tolerance``
decides what counts as collinear or inside). Points are ``(x, y)`` tuples, or any objects with a
``key`` that gives their coordinates (the bargaining code carries the agreement that yields
each point of utility space along with it).

Used for the zone of possible agreement (:mod:`negotiation.bargaining.agreement_set`), for the
feasible, individually rational payoffs of a repeated game (:mod:`negotiation.solvers.repeated`) and,
in floating point (:func:`distances_to_convex_polygon`, :func:`hausdorff_distance`), for the equilibrium
payoff set of :mod:`negotiation.solvers.payoff_set`.

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

__all__ = ["cross", "convex_hull", "clip", "area", "deduplicate", "point_between", "distances_to_convex_polygon",
           "hausdorff_distance"]


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


def distances_to_convex_polygon(points, polygon, *, tolerance: float = 0.0):
    """Euclidean distance (float) from each of ``points`` to a convex polygon: 0 inside it.

    ``polygon`` is in counter-clockwise order (as :func:`convex_hull` gives it) and may be a
    segment or a single point; ``points`` is a sequence of ``(x, y)``. A point whose signed
    distance to every edge line is at least ``-tolerance`` counts as inside (distance 0).

    Returns
    -------
    numpy.ndarray
        One distance per point; ``inf`` for every point if the polygon is empty.

    Examples
    --------
    >>> square = [(0, 0), (2, 0), (2, 2), (0, 2)]
    >>> [float(d) for d in distances_to_convex_polygon([(1, 1), (3, 1), (3, 3)], square)]
    [0.0, 1.0, 1.4142135623730951]
    >>> [float(d) for d in distances_to_convex_polygon([(1, 1)], [(0, 0), (2, 0)])]  # a segment
    [1.0]
    """
    import numpy as np  # only the floating-point helpers need it

    queries = np.asarray(points, dtype=float).reshape(-1, 2)
    corners = np.asarray(polygon, dtype=float).reshape(-1, 2)
    if len(corners) == 0:
        return np.full(len(queries), np.inf)
    starts, ends = corners, np.roll(corners, -1, axis=0)
    edges = ends - starts  # (m, 2)
    relative = queries[:, None, :] - starts[None, :, :]  # (n, m, 2)
    lengths = np.einsum("ij,ij->i", edges, edges)
    # the nearest point of each edge: the projection clamped to the segment (a point-edge has length 0)
    fraction = np.where(lengths > 0, np.einsum("nmk,mk->nm", relative, edges) / np.where(lengths > 0, lengths, 1), 0)
    nearest = starts[None, :, :] + np.clip(fraction, 0, 1)[:, :, None] * edges[None, :, :]
    distances = np.sqrt(((queries[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)
    if len(corners) >= 3:
        # signed distance to each edge line, positive on the inner (left) side of a counter-clockwise polygon
        signed = (edges[None, :, 0] * relative[:, :, 1] - edges[None, :, 1] * relative[:, :, 0]) / np.sqrt(
            np.where(lengths > 0, lengths, 1))[None, :]
        distances = np.where((signed >= -tolerance).all(axis=1), 0.0, distances)
    return np.where(distances <= tolerance, 0.0, distances)


def hausdorff_distance(first, second) -> float:
    """Hausdorff distance (float) between two convex polygons given by their vertices.

    For convex sets the distance from one to a point of the other is a convex function, so its
    largest value over a polygon is reached at a vertex: the largest of the distances from the
    vertices of each polygon to the other polygon (:func:`distances_to_convex_polygon`). Two
    empty polygons are at distance 0, an empty and a nonempty one at ``inf``.

    Examples
    --------
    >>> hausdorff_distance([(0, 0), (2, 0), (2, 2), (0, 2)], [(0, 0), (3, 0), (0, 3)])
    1.0
    """
    if len(first) == 0 or len(second) == 0:
        return 0.0 if len(first) == len(second) else float("inf")
    return float(max(distances_to_convex_polygon(first, second).max(),
                     distances_to_convex_polygon(second, first).max()))
