"""The zone of possible agreement: emptiness, Pareto frontier and size of a numeric problem.

The *zone of possible agreement* is the set of agreements that every party
weakly prefers to no deal, ``{s in S : s >= d}``. :func:`agreement_set`
computes it in utility space (and, for issue spaces, its share of the issue
space), its Pareto frontier and its size, from the pieces of the feasible set
(:mod:`negotiation.bargaining.feasible_set`); the bargaining solutions
(:mod:`negotiation.bargaining.solutions`) are built on the same pieces.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.bargaining.feasible_set import build_pieces
from negotiation.bargaining.numbers import TOL, ExactKey, compare, lex_compare, leximin_key, magnitude, simplify
from negotiation.bargaining.points import between, pareto_indices
from negotiation.core.geometry import cross
from negotiation.core.numeric import is_sympy
from negotiation.models.bargaining import BargainingError, BargainingProblem, as_sympy, show, to_float
from negotiation.results.bargaining import AgreementSet, Frontier, FrontierPoint

__all__ = ["agreement_set"]


def agreement_set(problem: BargainingProblem, pieces=None) -> AgreementSet:
    """The zone of possible agreement of a numeric problem: emptiness, frontier, size.

    Parameters
    ----------
    problem : BargainingProblem
        A numeric problem (``problem.substitute(values)`` first if it has parameters).

    Returns
    -------
    AgreementSet

    Examples
    --------
    >>> from negotiation.bargaining import BargainingProblem
    >>> p = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1)], ("NATO", "Russia"), (0, 0))
    >>> zone = agreement_set(p)
    >>> zone.empty, zone.ideal, zone.area
    (False, (Fraction(1, 1), Fraction(1, 1)), Fraction(1, 2))
    >>> agreement_set(p.with_disagreement((1, 1))).description  # doctest: +ELLIPSIS
    'empty. No agreement beats no deal for both at these parameters: ...'
    """
    pieces = tuple(pieces) if pieces is not None else build_pieces(problem)
    d = problem.disagreement
    n = problem.n_parties
    ones = tuple(Fraction(1) for _ in range(n))
    # the zone is non-empty iff max over agreements of min_i (u_i - d_i) >= 0
    best = None
    for piece in pieces:
        point, t = piece.maxmin(d, ones)
        if point is None:
            continue
        key = leximin_key(point.u, d, ones)
        if best is None or lex_compare(key, best[2]) > 0:
            best = (piece, point, key, t)
    if best is None:
        raise BargainingError("the agreement set is empty: no feasible agreement at all")
    piece, point, _, t = best
    closest = FrontierPoint(tuple(simplify(x) for x in point.u), piece.agreement(point))
    t = simplify(t)
    if isinstance(t, float) and abs(t) <= TOL * magnitude(d):
        t = 0.0  # within float tolerance of no deal: the boundary case, not a strict gain
    empty = compare(t, 0) < 0
    messages = []
    ideal = None
    frontier = Frontier()
    area = share = None
    if not empty:
        ideals = [piece.ideal(d) for piece in pieces]
        ideals = [i for i in ideals if i is not None]
        ideal = tuple(simplify(max((i[k] for i in ideals), key=ExactKey)) for k in range(n))
        frontier = _frontier(pieces, d, n)
        if len(pieces) == 1 and pieces[0].kind == "polygon":
            area = simplify(pieces[0].area(d))
    shares = [p.share(d) for p in pieces]
    if all(s is not None for s in shares) and problem.representation == "issues":
        total = sum((as_sympy(s) if is_sympy(s) else s for s in shares), Fraction(0))
        share = simplify(total / len(shares)) if not any(isinstance(s, float) for s in shares) \
            else float(sum(to_float(s) for s in shares) / len(shares))
        if any(p.kind == "polygon" and p.box is not None and len(p.box[0]) > 2 for p in pieces) or \
                any(p.kind == "curve" and not p.one_dimensional for p in pieces):
            messages.append("issue share estimated from 20,000 random agreements (seed 0)")
    exact = all(p.exact for p in pieces) and all(not isinstance(x, float) for x in (t, *(ideal or ())))
    if any(getattr(p, "certified", True) is False for p in pieces):
        messages.append("numeric optimum not certified globally (utilities not shown to be concave)"
                        if any(p.kind == "curve" for p in pieces)
                        else "exact rebuild not certified by the duality check (degenerate LP)")
    methods = list(dict.fromkeys(p.method for p in pieces))
    method = methods[0] if len(methods) == 1 else "; ".join(methods[:3])
    if len(pieces) > 1:
        method = f"union of {len(pieces)} pieces (one per combination of options): {method}"
    description = _describe(problem, empty, t, closest, ideal)
    return AgreementSet(problem, empty, description, t, closest, ideal, frontier, area, share, exact, method,
                        tuple(messages), pieces)


def _describe(problem, empty, t, closest, ideal) -> str:
    parties = problem.parties
    d = problem.disagreement
    if empty:
        shortfalls = [p for p, u, dv in zip(parties, closest.utilities, d) if compare(u, dv) < 0]
        who = " and ".join(shortfalls) if shortfalls else "some party"
        everyone = "both" if len(parties) == 2 else "every party"
        return (f"empty. No agreement beats no deal for {everyone} at these parameters: even the most even "
                f"agreement leaves {who} {show(simplify(-as_sympy(t)) if is_sympy(t) else -t)} below the no-deal payoff.")
    if compare(t, 0) == 0:
        return ("a boundary case: some agreements leave every party exactly as well off as no deal or better, "
                "but none gives every party a strict gain.")
    gains = ", ".join(f"{p} up to {show(a - dv if not is_sympy(a) else a - as_sympy(dv))}"
                      for p, a, dv in zip(parties, ideal, d))
    return f"non-empty; within it {gains} over no deal."


def _frontier(pieces, d, n) -> Frontier:
    exact = all(p.exact for p in pieces)
    if n == 2 and all(p.kind == "polygon" for p in pieces):
        chains = [(piece, piece.frontier(d)) for piece in pieces]
        chains = [(piece, chain) for piece, chain in chains if chain]
        if len(chains) == 1:
            piece, chain = chains[0]
            points = tuple(FrontierPoint(tuple(simplify(x) for x in v.u), piece.agreement(v)) for v in chain)
            return Frontier(points, tuple(True for _ in points[1:]), "polygonal", exact)
        return _union_frontier(chains, exact)
    points = []
    kind = "points"
    for piece in pieces:
        chain = piece.frontier(d)
        if piece.kind == "curve":
            kind = "sampled"
            exact = False
        elif piece.kind == "linear":
            kind = "vertices"
        points += [(v, piece) for v in chain]
    if len(pieces) > 1 or kind == "sampled":
        floats = np.array([[to_float(x) for x in v.u] for v, _ in points]) if points else np.zeros((0, n))
        keep = sorted(pareto_indices(floats), key=lambda k: tuple(floats[k]))
        points = [points[k] for k in keep]
    frontier_points = tuple(FrontierPoint(tuple(simplify(x) for x in v.u), piece.agreement(v)) for v, piece in points)
    connected = tuple((kind == "sampled") for _ in frontier_points[1:])
    return Frontier(frontier_points, connected, kind, exact)


def _union_frontier(chains, exact) -> Frontier:
    """Pareto frontier of a union of convex polygons: each frontier segment minus what other pieces dominate."""
    boxes = []
    for piece, chain in chains:
        boxes.append((max(v.u[0] for v in chain), max(v.u[1] for v in chain), chain))
    pieces_out = []
    for index, (piece, chain) in enumerate(chains):
        segments = list(zip(chain, chain[1:])) if len(chain) > 1 else [(chain[0], chain[0])]
        for p, q in segments:
            removed = []
            for other, (right, top, other_chain) in enumerate(boxes):
                if other == index:
                    continue
                if right < min(p.u[0], q.u[0]) or top < min(p.u[1], q.u[1]):
                    continue
                interval = _dominated_interval(p, q, other_chain, right, top, exact)
                if interval is not None:
                    removed.append(interval)
            for a, b in _complement(removed, p is q):
                start, end = between(p, q, a), between(p, q, b)
                pieces_out.append((start, end, piece, p is not q and a != b))
    pieces_out.sort(key=lambda item: (to_float(item[0].u[0]), -to_float(item[0].u[1])))
    points, connected = [], []
    for start, end, piece, is_segment in pieces_out:
        a = FrontierPoint(tuple(simplify(x) for x in start.u), piece.agreement(start))
        if not points or points[-1].utilities != a.utilities:
            if points:
                connected.append(False)
            points.append(a)
        if is_segment:
            b = FrontierPoint(tuple(simplify(x) for x in end.u), piece.agreement(end))
            points.append(b)
            connected.append(True)
    return Frontier(tuple(points), tuple(connected), "polygonal", exact)


def _dominated_interval(p, q, chain, right, top, exact):
    """Sub-interval ``(a, b)`` of segment pq (parameters in [0, 1]) strictly dominated by the polygon behind ``chain``."""
    # the downward closure: u1 <= right, u2 <= top, and below every chain edge
    constraints = [((-1, 0), -right), ((0, -1), -top)]   # a . u >= b form: -u1 >= -right
    for v, w in zip(chain, chain[1:]):
        # below the line through v, w (chain goes right and down): cross((w - v), (u - v)) <= 0
        e = (w.u[0] - v.u[0], w.u[1] - v.u[1])
        # -(e0 (u1 - v1) - e1 (u0 - v0)) >= 0  ->  e1 u0 - e0 u1 >= e1 v0 - e0 v1
        constraints.append(((e[1], -e[0]), e[1] * v.u[0] - e[0] * v.u[1]))
    lo, hi = 0, 1
    for (a1, a2), b in constraints:
        fp = a1 * p.u[0] + a2 * p.u[1] - b
        fq = a1 * q.u[0] + a2 * q.u[1] - b
        if fp >= 0 and fq >= 0:
            continue
        if fp < 0 and fq < 0:
            return None
        s = fp / (fp - fq)
        if fp < 0:
            lo = max(lo, s)
        else:
            hi = min(hi, s)
    if lo > hi:
        return None
    # points on the other polygon's frontier itself are not dominated
    mid = between(p, q, (lo + hi) / 2) if p is not q else p
    if _on_chain(mid.u, chain, exact):
        return None
    return (lo, hi)


def _on_chain(u, chain, exact) -> bool:
    eps = 0 if exact else 1e-9 * magnitude([*u, 1])
    if len(chain) == 1:
        return all(abs(x - y) <= eps for x, y in zip(u, chain[0].u))
    for v, w in zip(chain, chain[1:]):
        if abs(cross(v.u, w.u, u)) <= eps and min(v.u[0], w.u[0]) - eps <= u[0] <= max(v.u[0], w.u[0]) + eps \
                and min(v.u[1], w.u[1]) - eps <= u[1] <= max(v.u[1], w.u[1]) + eps:
            return True
    return False


def _complement(intervals, is_point):
    """Closed parts of [0, 1] (of positive length) outside the union of the removed intervals."""
    if is_point:
        return [] if intervals else [(0, 0)]
    intervals = sorted(((a, b) for a, b in intervals if b > a), key=lambda ab: to_float(ab[0]))
    out = []
    start = 0
    for a, b in intervals:
        if a > start:
            out.append((start, a))
        if b > start:
            start = b
    if start < 1:
        out.append((start, 1))
    return out
