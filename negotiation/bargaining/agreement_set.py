"""The feasible agreement set: zone of possible agreement, Pareto frontier and size.

The *zone of possible agreement* is the set of agreements that every party
weakly prefers to no deal, ``{s in S : s >= d}``. This module computes it in
utility space (and, for issue spaces, in issue space), its Pareto frontier,
its size, and the optimisation primitives the bargaining solutions are built
on (maximise a weighted sum, the lexicographic max-min of normalised gains,
the weighted Nash product).

How each kind of agreement set is handled
-----------------------------------------
The feasible set is split into *pieces*, each of which is one of:

* a **finite set** of points (packages; issue spaces with only discrete
  issues) -- exact enumeration, vectorised with numpy and re-checked exactly;
* a **convex polygon** (two parties: lotteries over packages, vertex lists,
  inequality lists, issue spaces whose utilities are linear in the continuous
  issues) -- exact rational geometry. Inequality lists are traced with HiGHS
  linear programs whose optimal vertices are rebuilt exactly from the active
  constraints (and checked); linear issue spaces are zonotopes, built exactly
  by sorting the issues' generators by angle (the fractional-knapsack order of
  Raiffa's efficient frontier);
* a **convex polytope** for three or more parties -- HiGHS linear programs with
  exact rational rebuild of every optimum and an exact duality certificate
  (dual values from HiGHS rounded to rationals and verified);
* a **curve or surface** (utilities non-linear in the continuous issues) --
  one continuous issue: exact with sympy (roots of polynomial derivatives,
  algebraic numbers); several: SLSQP from several starting points, certified
  global when every utility is concave in the issues (checked with sympy).

A discrete issue next to continuous ones splits the set into one piece per
combination of options; the set is their union (not convex), unless lotteries
are allowed, in which case it is the convex hull.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from negotiation.bargaining.problem import BargainingError, Packages, Polytope
from negotiation.core.geometry import area, clip, convex_hull, cross, deduplicate
from negotiation.core.linalg import solve_exact
from negotiation.core.numeric import json_number, is_sympy as _is_sympy
from negotiation.bargaining.result import Agreement, show, to_float

__all__ = ["AgreementSet", "Frontier", "FrontierPoint", "agreement_set", "TOL"]

#: Relative tolerance of floating-point comparisons.
TOL = 1e-9
#: Most option combinations enumerated next to continuous issues (one piece each).
MAX_PIECES = 5000
#: Samples used to draw (and report) non-linear frontiers.
CURVE_SAMPLES = 400


# ====================================================================== numbers
def _exact(value) -> bool:
    """Whether a number is exact: int, Fraction, or a sympy number without floats."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, Fraction)):
        return True
    if _is_sympy(value):
        import sympy

        return not value.has(sympy.Float)
    return False


def _frac(value):
    """sympy Rational -> Fraction; other numbers unchanged."""
    if _is_sympy(value):
        import sympy

        if isinstance(value, sympy.Rational):
            return Fraction(int(value.p), int(value.q))
    return value


def _sym(value):
    import sympy

    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sympy.Float(value)
    return value


def _compare(a, b) -> int:
    """-1, 0 or 1 for exact or float numbers (sympy algebraic numbers compared exactly)."""
    if not _is_sympy(a) and not _is_sympy(b):
        return int(a > b) - int(a < b)
    import sympy

    difference = _sym(a) - _sym(b)
    value = difference.evalf(60)
    if value.is_comparable and abs(value) > sympy.Float("1e-40"):
        return 1 if value > 0 else -1
    if sympy.simplify(difference) == 0:
        return 0
    return 1 if difference.evalf(300) > 0 else -1


def _simplify(value):
    """A pretty exact value: Fraction for rationals, radsimp'd sympy for algebraic numbers."""
    if _is_sympy(value):
        import sympy

        if value.has(sympy.Float):
            return float(value)
        simple = sympy.radsimp(sympy.simplify(value)) if not value.has(sympy.CRootOf) else value
        if isinstance(simple, sympy.Rational):
            return Fraction(int(simple.p), int(simple.q))
        return simple
    return value


def _scale(values) -> float:
    return max([1.0] + [abs(to_float(v)) for v in values])


def _lexmax(items, key_exact, counter=None):
    """The item whose exact key (a tuple) is lexicographically largest (``counter[0]``: how many tie)."""
    best = None
    best_key = None
    ties = 0
    for item in items:
        key = key_exact(item)
        order = 1 if best is None else _lex_compare(key, best_key)
        if order > 0:
            best, best_key, ties = item, key, 1
        elif order == 0:
            ties += 1
    if counter is not None:
        counter[:] = [ties]
    return best, best_key


def _lex_compare(a, b) -> int:
    for x, y in zip(a, b):
        c = _compare(x, y)
        if c:
            return c
    return (len(a) > len(b)) - (len(a) < len(b))


def _nash_key(gains, weights):
    """A key ordered like the weighted Nash product ``prod g_i^w_i`` (all gains positive).

    With rational weights and exact gains the product is raised to the common
    denominator of the weights, so the comparison stays exact.
    """
    if all(isinstance(w, (int, Fraction)) for w in weights) and not any(isinstance(g, float) for g in gains):
        weights = [Fraction(w) for w in weights]
        common = math.lcm(*(w.denominator for w in weights))
        exponents = [int(w * common) for w in weights]
        divisor = math.gcd(*exponents)
        if any(_is_sympy(g) for g in gains):
            import sympy

            return (sympy.Mul(*(_sym(g) ** (e // divisor) for g, e in zip(gains, exponents))),)
        product = Fraction(1)
        for g, e in zip(gains, exponents):
            product *= Fraction(g) ** (e // divisor)
        return (product,)
    floats = [to_float(g) for g in gains]
    if any(g <= 0 for g in floats):
        return (-math.inf,)  # no strict gain for someone: the Nash product is 0
    return (sum(to_float(w) * math.log(g) for g, w in zip(floats, weights)),)


# ====================================================================== points with agreements
class _V:
    """A point in utility space with the (linear) agreement coordinates that yield it."""

    __slots__ = ("u", "terms")

    def __init__(self, u, terms=None):
        self.u = tuple(u)
        self.terms = terms or {}

    def __repr__(self):
        return f"_V({', '.join(show(x) for x in self.u)})"


def _lerp(p: _V, q: _V, s) -> _V:
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
    return _V(u, terms)


# ====================================================================== 2-D convex geometry (core.geometry on _V points)
def _coordinates(v: _V):
    return v.u


def _hull(points: list[_V], exact: bool) -> list[_V]:
    """Convex hull (counter-clockwise, no collinear points) of points with agreements."""
    tolerance = 0 if exact else 1e-12 * _scale([x for p in points for x in p.u]) ** 2
    return convex_hull(points, key=_coordinates, tolerance=tolerance)


def _dedupe(poly: list[_V]) -> list[_V]:
    return deduplicate(poly, key=_coordinates)


def _clip(poly: list[_V], a, b, eps=0) -> list[_V]:
    """The part of a convex polygon where ``a . u >= b``."""
    return clip(poly, a, b, key=_coordinates, between=_lerp, tolerance=eps)


def _area(poly: list[_V]):
    if len(poly) < 3:
        return Fraction(0) if all(_exact(x) for v in poly for x in v.u) else 0.0
    return area(poly, key=_coordinates)


def _chain(poly: list[_V]) -> list[_V]:
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


def _zonotope(origin, generators, exact) -> list[_V]:
    """Vertices (CCW) of ``origin + sum_k [0, 1] * g_k`` with the agreement at each vertex.

    ``origin`` is a _V; each generator is ``(vector, start_terms, end_terms)``.
    """
    items = []
    base = _V(origin.u, dict(origin.terms))
    for vector, start, end in generators:
        if vector[0] == 0 and vector[1] == 0:
            continue
        if vector[1] < 0 or (vector[1] == 0 and vector[0] < 0):
            vector = (-vector[0], -vector[1])
            start, end = end, start
            base = _V((base.u[0] - vector[0], base.u[1] - vector[1]), {**base.terms, **start})
        else:
            base = _V(base.u, {**base.terms, **start})
        items.append((vector, start, end))
    if not items:
        return [base]
    # sort by angle in [0, pi): compare with cross products (exact)
    import functools

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
        current = _V(u, terms)
        vertices.append(current)
    for group in groups[:-1]:                  # and back down on the other side
        u = (current.u[0] - sum(g[0][0] for g in group), current.u[1] - sum(g[0][1] for g in group))
        terms = dict(current.terms)
        for g in group:
            terms.update(g[1])
        current = _V(u, terms)
        vertices.append(current)
    return _dedupe(vertices)


def _segment_point(p: _V, q: _V, d, s):
    """The point of segment pq on the line ``(u1 - d1)/s1 = (u2 - d2)/s2``, or None."""
    # f(u) = s2 (u1 - d1) - s1 (u2 - d2) changes sign along pq
    fp = s[1] * (p.u[0] - d[0]) - s[0] * (p.u[1] - d[1])
    fq = s[1] * (q.u[0] - d[0]) - s[0] * (q.u[1] - d[1])
    if fp == fq or (fp > 0 and fq > 0) or (fp < 0 and fq < 0):
        return None
    return _lerp(p, q, fp / (fp - fq))


def _polygon_maxmin(poly: list[_V], d, s, exact):
    """Lexicographic max-min of normalised gains ``(u_i - d_i)/s_i`` over a polygon.

    Parties with ``s_i = 0`` are only held to ``u_i >= d_i``. Returns ``(point, t)``.
    """
    eps = 0 if exact else TOL * _scale([*d, *(x for v in poly for x in v.u)])
    for i in range(2):
        if s[i] == 0:
            poly = _clip(poly, (1 if i == 0 else 0, 1 if i == 1 else 0), d[i], eps)
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
        region = _clip(region, a, d[i] + t * s[i], eps)
    if not region:  # rounding
        region = [max(candidates, key=level)]

    def total(v):
        return sum((v.u[i] - d[i]) / s[i] if s[i] > 0 else v.u[i] - d[i] for i in range(2))

    best = max(region, key=lambda v: (total(v), v.u))
    return best, t


def _polygon_nash(chain: list[_V], d, w):
    """Maximiser of ``prod (u_i - d_i)^w_i`` over a frontier chain of a convex polygon."""
    candidates = list(chain)
    for p, q in zip(chain, chain[1:]):
        d1, d2 = q.u[0] - p.u[0], q.u[1] - p.u[1]
        if d1 == 0 or d2 == 0:
            continue
        g1, g2 = p.u[0] - d[0], p.u[1] - d[1]
        s = -(w[0] * d1 * g2 + w[1] * d2 * g1) / ((w[0] + w[1]) * d1 * d2)
        if 0 < s < 1:
            candidates.append(_lerp(p, q, s))
    positive = [v for v in candidates if v.u[0] > d[0] and v.u[1] > d[1]]
    if not positive:
        return None
    best, _ = _lexmax(positive, lambda v: _nash_key([v.u[0] - d[0], v.u[1] - d[1]], w))
    return best


# ====================================================================== linear programs
def _linprog(c, A_ub, b_ub, A_eq, b_eq, bounds):
    """Maximise ``c . z`` with HiGHS (dual simplex: a vertex). Returns the scipy result."""
    from scipy.optimize import linprog

    return linprog(
        -np.asarray([to_float(x) for x in c], dtype=float),
        A_ub=None if not A_ub else np.array([[to_float(x) for x in row] for row in A_ub], dtype=float),
        b_ub=None if not A_ub else np.array([to_float(x) for x in b_ub], dtype=float),
        A_eq=None if not A_eq else np.array([[to_float(x) for x in row] for row in A_eq], dtype=float),
        b_eq=None if not A_eq else np.array([to_float(x) for x in b_eq], dtype=float),
        bounds=[(None if lo is None else to_float(lo), None if hi is None else to_float(hi)) for lo, hi in bounds],
        method="highs-ds",
    )


@dataclass
class _LP:
    """``max c . z`` s.t. ``A_ub z <= b_ub``, ``A_eq z = b_eq``, bounds; data exact or float."""

    A_ub: list
    b_ub: list
    A_eq: list
    b_eq: list
    bounds: list
    exact: bool

    def maximise(self, c, extra_ub=(), extra_eq=()):
        """Optimal ``(z, value, exact, certified)``, or raises for infeasible/unbounded problems.

        Returns None when infeasible. Raises BargainingError when unbounded.
        """
        A_ub = self.A_ub + [row for row, _ in extra_ub]
        b_ub = self.b_ub + [b for _, b in extra_ub]
        A_eq = self.A_eq + [row for row, _ in extra_eq]
        b_eq = self.b_eq + [b for _, b in extra_eq]
        result = _linprog(c, A_ub, b_ub, A_eq, b_eq, self.bounds)
        if result.status == 2:
            return None
        if result.status == 3:
            raise BargainingError("the agreement set is unbounded: some party's utility has no maximum "
                                  "among agreements every party accepts (add an inequality)")
        if result.status != 0:
            raise BargainingError(f"linear program failed ({result.message})")
        z = list(result.x)
        value = -result.fun
        if self.exact and all(_exact(x) for x in c):
            rebuilt = _rebuild(z, c, A_ub, b_ub, A_eq, b_eq, self.bounds, result)
            if rebuilt is not None:
                z_exact, certified = rebuilt
                return z_exact, sum(ci * zi for ci, zi in zip(c, z_exact)), True, certified
        return z, value, False, False


def _rebuild(z, c, A_ub, b_ub, A_eq, b_eq, bounds, result):
    """Exact vertex from HiGHS's float optimum: solve the active constraints, verify, certify by duality."""
    n = len(z)
    scale = _scale([*z, *b_ub, *b_eq, 1])
    tol = 1e-7 * scale
    fixed = {}
    for j, (lo, hi) in enumerate(bounds):
        if lo is not None and abs(z[j] - to_float(lo)) <= tol:
            fixed[j] = Fraction(lo)
        elif hi is not None and abs(z[j] - to_float(hi)) <= tol:
            fixed[j] = Fraction(hi)
    free = [j for j in range(n) if j not in fixed]
    active = [k for k, (row, b) in enumerate(zip(A_ub, b_ub))
              if abs(sum(to_float(a) * x for a, x in zip(row, z)) - to_float(b)) <= tol]
    rows, rhs = [], []
    for row, b in [*zip(A_eq, b_eq), *((A_ub[k], b_ub[k]) for k in active)]:
        rows.append([Fraction(row[j]) for j in free])
        rhs.append(Fraction(b) - sum(Fraction(row[j]) * v for j, v in fixed.items()))
    solution = solve_exact(rows, rhs) if free else []
    if solution is None:
        return None
    exact_z = [Fraction(0)] * n
    for j, v in fixed.items():
        exact_z[j] = v
    for j, v in zip(free, solution):
        exact_z[j] = v
    # primal feasibility, exactly
    for row, b in zip(A_ub, b_ub):
        if sum(Fraction(a) * x for a, x in zip(row, exact_z)) > Fraction(b):
            return None
    for row, b in zip(A_eq, b_eq):
        if sum(Fraction(a) * x for a, x in zip(row, exact_z)) != Fraction(b):
            return None
    for x, (lo, hi) in zip(exact_z, bounds):
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            return None
    value = sum(Fraction(ci) * zi for ci, zi in zip(c, exact_z))
    if abs(float(value) - (-result.fun)) > 1e-6 * _scale([value, 1]):
        return None
    return exact_z, _certify(value, c, A_ub, b_ub, A_eq, b_eq, bounds, result)


def _certify(value, c, A_ub, b_ub, A_eq, b_eq, bounds, result) -> bool:
    """Exact weak-duality check with HiGHS's dual values rounded to rationals."""
    try:
        def rational(x):
            return Fraction(float(x)).limit_denominator(10**9)

        y_ub = [max(Fraction(0), -rational(x)) for x in (result.ineqlin.marginals if A_ub else [])]
        y_eq = [-rational(x) for x in (result.eqlin.marginals if A_eq else [])]
    except (AttributeError, TypeError, ValueError):
        return False
    n = len(c)
    bound_total = Fraction(0)
    for j in range(n):
        reduced = Fraction(c[j]) - sum(y * Fraction(row[j]) for y, row in zip(y_ub, A_ub)) \
            - sum(y * Fraction(row[j]) for y, row in zip(y_eq, A_eq))
        lo, hi = bounds[j]
        if reduced > 0:
            if hi is None:
                return False
            bound_total += reduced * Fraction(hi)
        elif reduced < 0:
            if lo is None:
                return False
            bound_total += reduced * Fraction(lo)
    dual = sum(y * Fraction(b) for y, b in zip(y_ub, b_ub)) + sum(y * Fraction(b) for y, b in zip(y_eq, b_eq)) \
        + bound_total
    return dual == value


# ====================================================================== pieces
class _Piece:
    """Common interface of the pieces of an agreement set."""

    kind = "piece"
    exact = True
    method = ""
    fixed: dict = {}

    def agreement(self, v: _V):
        return None


class _FinitePiece(_Piece):
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

    def point(self, k) -> _V:
        return _V(self.value(int(k)), {"_index": int(k)})

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
        tol = TOL * _scale(d)
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
            mask &= np.all(gains[:, ~active] >= -TOL * _scale(d), axis=1)
            if self.exact:
                for k in np.flatnonzero(mask):
                    if any(self.value(k)[i] < d[i] for i in range(self.n) if not active[i]):
                        mask[k] = False
        if not mask.any():
            return None, None
        levels = (gains[:, active] / s_f[active]).min(axis=1) if active.any() else np.zeros(len(gains))
        near = self._near_best(levels, mask)
        best, key = _lexmax((self.point(k) for k in near), lambda v: _leximin_key(v.u, d, s))
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
        best, _ = _lexmax((self.point(k) for k in near),
                          lambda v: _nash_key([x - y for x, y in zip(v.u, d)], w), counter)
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
        best, _ = _lexmax((self.point(k) for k in near),
                          lambda v: (sum(x * y for x, y in zip(v.u, w)), *_leximin_key(v.u, d, ones)), counter)
        self.ties = counter[0]
        return best

    def frontier(self, d):
        mask = self.ir_mask(d)
        indices = np.flatnonzero(mask)
        if not len(indices):
            return []
        efficient = _pareto_indices(self.floats[indices])
        points = [self.point(int(indices[k])) for k in efficient]
        return sorted(points, key=lambda v: tuple(to_float(x) for x in v.u))

    def share(self, d):
        mask = self.ir_mask(d)
        count = int(mask.sum())
        return Fraction(count, len(mask)) if self.exact else count / len(mask)


def _snap(x, bounds):
    """Float coordinates within 1e-10 of a bound are set to the bound (and clipped into the box)."""
    out = []
    for value, (lo, hi) in zip(x, bounds):
        value = float(value)
        if lo is not None and value <= to_float(lo) + 1e-10 * max(1.0, abs(to_float(lo))):
            value = to_float(lo)
        if hi is not None and value >= to_float(hi) - 1e-10 * max(1.0, abs(to_float(hi))):
            value = to_float(hi)
        out.append(value)
    return np.array(out)


def _leximin_key(u, d, s):
    """Normalised gains of the parties with positive scale, sorted ascending (exact)."""
    values = sorted(((x - y) / z for x, y, z in zip(u, d, s) if z > 0), key=lambda v: to_float(v))
    return tuple(values)


def _pareto_indices(points: np.ndarray) -> list[int]:
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


class _PolygonPiece(_Piece):
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
        return 0 if self.exact else TOL * _scale([*d, *(x for v in self.vertices for x in v.u)])

    def ir(self, d):
        poly = self.vertices
        eps = self._eps(d)
        poly = _clip(poly, (1, 0), d[0], eps)
        return _clip(poly, (0, 1), d[1], eps)

    def ideal(self, d):
        ir = self.ir(d)
        if not ir:
            return None
        return (max(v.u[0] for v in ir), max(v.u[1] for v in ir))

    def maxmin(self, d, s):
        if self.ir_only and not self.vertices:
            return self.closest if self.closest else (None, None)
        return _polygon_maxmin(self.vertices, d, s, self.exact)

    def nash(self, d, w):
        return _polygon_nash(_chain(self.ir(d)), d, w)

    def utilitarian(self, d, w):
        ir = self.ir(d)
        if not ir:
            return None
        values = [w[0] * v.u[0] + w[1] * v.u[1] for v in ir]
        top = max(values)
        eps = 0 if self.exact else TOL * _scale(values)
        face = [v for v, x in zip(ir, values) if x >= top - eps]
        if len(face) == 1:
            return face[0]
        point, _ = _polygon_maxmin(_hull(face, self.exact), d, (1, 1), self.exact)
        return point

    def frontier(self, d):
        return _chain(self.ir(d))

    def area(self, d):
        return _area(self.ir(d))

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
            rect = [_V((lows[0], lows[1])), _V((highs[0], lows[1])), _V((highs[0], highs[1])),
                    _V((lows[0], highs[1]))]
            rect = _dedupe(rect)
            for (a1, a2), c, dv in zip(coefficients, constants, d):
                rect = _clip(rect, (a1, a2), dv - c, 0 if self.exact else 1e-12)
            return _area(rect) / volume
        rng = np.random.default_rng(0)
        samples = 20000
        x = rng.uniform([to_float(v) for v in lows], [to_float(v) for v in highs], size=(samples, k))
        ok = np.ones(samples, dtype=bool)
        for row, c, dv in zip(coefficients, constants, d):
            ok &= x @ np.array([to_float(a) for a in row]) + to_float(c) >= to_float(dv)
        return float(ok.mean())


class _LinearPiece(_Piece):
    """A convex polytope for three or more parties: ``u = M z + m0`` over ``{z : A z <= b, bounds}``."""

    kind = "linear"

    def __init__(self, M, m0, lp: _LP, decode, method, fixed=None, corners=None):
        self.M = M
        self.m0 = m0
        self.lp = lp
        self.exact = lp.exact
        self.decode_z = decode
        self.method = method
        self.fixed = fixed or {}
        self.corners = corners   # candidate extreme agreements (z vectors) for the frontier
        self.certified = True

    @property
    def n(self):
        return len(self.M)

    def u_of(self, z):
        return tuple(sum(a * x for a, x in zip(row, z)) + c for row, c in zip(self.M, self.m0))

    def _vertex(self, z) -> _V:
        return _V(self.u_of(z), {"_z": tuple(z)})

    def agreement(self, v):
        return self.decode_z(v.terms["_z"]) if self.decode_z else None

    def _gain_rows(self, d, levels):
        """Constraints ``u_i - d_i >= level_i`` as ``-M_i z <= m0_i - d_i - level_i``."""
        rows = []
        for i, level in levels.items():
            rows.append(([-a for a in self.M[i]], self.m0[i] - d[i] - level))
        return rows

    def _max(self, c_u, d, levels, extra_eq=()):
        """Maximise ``c_u . u`` subject to ``u_i - d_i >= levels[i]``; returns ``(z, value)`` or None."""
        c = [sum(c_u[i] * self.M[i][j] for i in range(self.n)) for j in range(len(self.M[0]))]
        result = self.lp.maximise(c, extra_ub=self._gain_rows(d, levels), extra_eq=list(extra_eq))
        if result is None:
            return None
        z, value, exact, certified = result
        if not exact:
            self.exact = False
        elif not certified:
            self.certified = False
        return z, value + sum(ci * mi for ci, mi in zip(c_u, self.m0))

    def ideal(self, d):
        zero = {i: 0 for i in range(self.n)}
        ideal = []
        for i in range(self.n):
            result = self._max([1 if j == i else 0 for j in range(self.n)], d, zero)
            if result is None:
                return None
            ideal.append(result[1])
        return tuple(ideal)

    def maxmin(self, d, s, extra_eq=()):
        """Lexicographic max-min of normalised gains (Imai 1983) by a sequence of linear programs.

        Each round maximises ``t`` with ``u_i - d_i >= t s_i`` for the parties
        not yet fixed; a party that cannot do better than ``t`` while the others
        keep ``t`` is fixed at that level. Parties with ``s_i = 0`` only keep
        ``u_i >= d_i``.
        """
        n, p = self.n, len(self.M[0])
        with_t = _LP([row + [0] for row in self.lp.A_ub], list(self.lp.b_ub),
                     [row + [0] for row in self.lp.A_eq], list(self.lp.b_eq),
                     list(self.lp.bounds) + [(None, None)], self.lp.exact)
        floors = {i: 0 for i in range(n) if s[i] == 0}
        free = [i for i in range(n) if s[i] > 0]
        if not free:
            result = self._max([0] * n, d, floors, extra_eq)
            return (None, None) if result is None else (self._vertex(result[0]), 0)
        eqs_t = [(list(row) + [0], b) for row, b in extra_eq]
        first_t = z_best = None
        while free:
            rows = [([-a for a in self.M[i]] + [0], self.m0[i] - d[i] - level) for i, level in floors.items()]
            rows += [([-a for a in self.M[i]] + [s[i]], self.m0[i] - d[i]) for i in free]
            result = with_t.maximise([0] * p + [1], extra_ub=rows, extra_eq=eqs_t)
            if result is None:
                return None, None
            z, t, exact, _ = result
            if not exact:
                self.exact = False
            first_t = t if first_t is None else first_t
            z_best = z[:p]
            levels = {**floors, **{i: t * s[i] for i in free}}
            stuck = []
            for i in free:
                best = self._max([1 if j == i else 0 for j in range(n)], d, levels, extra_eq)
                if best is None:
                    continue
                value = (best[1] - d[i]) / s[i]
                if (_compare(value, t) <= 0) if self.exact else (to_float(value) <= to_float(t) + TOL * _scale([t])):
                    stuck.append(i)
            for i in stuck or free[:1]:
                floors[i] = t * s[i]
                free.remove(i)
        return self._vertex(z_best), first_t

    def nash(self, d, w):
        """Maximise the weighted Nash product (a concave program) with SLSQP from the egalitarian point."""
        from scipy.optimize import minimize

        start, t = self.maxmin(d, tuple(1 for _ in d))
        if start is None or to_float(t) <= 0:
            return None
        M = np.array([[to_float(a) for a in row] for row in self.M])
        m0 = np.array([to_float(c) for c in self.m0]) - np.array([to_float(x) for x in d])
        wf = np.array([to_float(x) for x in w])
        A = np.array([[to_float(a) for a in row] for row in self.lp.A_ub]) if self.lp.A_ub else None
        b = np.array([to_float(x) for x in self.lp.b_ub]) if self.lp.A_ub else None
        Aeq = np.array([[to_float(a) for a in row] for row in self.lp.A_eq]) if self.lp.A_eq else None
        beq = np.array([to_float(x) for x in self.lp.b_eq]) if self.lp.A_eq else None

        def objective(z):
            g = M @ z + m0
            if np.any(g <= 0):
                return 1e30
            return -float(wf @ np.log(g))

        def gradient(z):
            g = np.maximum(M @ z + m0, 1e-300)
            return -(M.T @ (wf / g))

        constraints = []
        if A is not None:
            constraints.append({"type": "ineq", "fun": lambda z: b - A @ z, "jac": lambda z: -A})
        if Aeq is not None:
            constraints.append({"type": "eq", "fun": lambda z: Aeq @ z - beq, "jac": lambda z: Aeq})
        constraints.append({"type": "ineq", "fun": lambda z: M @ z + m0, "jac": lambda z: M})
        bounds = [(None if lo is None else to_float(lo), None if hi is None else to_float(hi))
                  for lo, hi in self.lp.bounds]
        z0 = np.array([to_float(x) for x in start.terms["_z"]])
        result = minimize(objective, z0, jac=gradient, bounds=bounds, constraints=constraints, method="SLSQP",
                          options={"ftol": 1e-15, "maxiter": 500})
        z = _snap(result.x, self.lp.bounds)
        u = M @ z + m0 + np.array([to_float(x) for x in d])
        exact = self._exact_kkt(z, d, w)
        if exact is not None:
            return exact
        return _V(tuple(float(x) for x in u), {"_z": tuple(float(x) for x in z)})

    def _exact_kkt(self, z, d, w):
        """Exact Nash point from the numeric one: solve the KKT system on the active face with sympy.

        At the optimum, for every coordinate ``j`` not at a bound,
        ``sum_i w_i M_ij / g_i = sum_r mu_r A_rj + sum_e nu_e E_ej`` over the active
        inequalities ``r`` and the equalities ``e``, with ``g = M z + m0 - d``.
        The system is square; its solutions are algebraic numbers. A solution is
        accepted only if it is exactly feasible, has ``mu >= 0`` and ``g > 0``,
        and matches the numeric optimum -- then it is the optimum (the problem
        is concave).
        """
        import sympy

        if not (self.lp.exact and all(_exact(x) for x in (*d, *w))):
            return None
        p = len(z)
        scale = _scale([*z, *self.lp.b_ub, 1])
        tol = 1e-7 * scale
        fixed = {}
        for j, (lo, hi) in enumerate(self.lp.bounds):
            if lo is not None and abs(z[j] - to_float(lo)) <= tol:
                fixed[j] = lo
            elif hi is not None and abs(z[j] - to_float(hi)) <= tol:
                fixed[j] = hi
        free = [j for j in range(p) if j not in fixed]
        active = [k for k, (row, b) in enumerate(zip(self.lp.A_ub, self.lp.b_ub))
                  if abs(sum(to_float(a) * x for a, x in zip(row, z)) - to_float(b)) <= tol]
        unknowns = len(free) + len(active) + len(self.lp.A_eq)
        if unknowns > 8:
            return None
        zs = {j: sympy.Symbol(f"z{j}", real=True) for j in free}
        mu = [sympy.Symbol(f"mu{k}", real=True) for k in active]
        nu = [sympy.Symbol(f"nu{k}", real=True) for k in range(len(self.lp.A_eq))]
        vector = [zs[j] if j in zs else _sym(Fraction(fixed[j])) for j in range(p)]
        gains = [sum(_sym(Fraction(a)) * x for a, x in zip(row, vector)) + _sym(Fraction(c)) - _sym(Fraction(dv))
                 for row, c, dv in zip(self.M, self.m0, d)]
        product = sympy.Mul(*gains)
        equations = []
        for j in free:
            gradient = sum(_sym(Fraction(wi)) * _sym(Fraction(row[j])) * sympy.Mul(*(g for k, g in enumerate(gains) if k != i))
                           for i, (wi, row) in enumerate(zip(w, self.M)))
            multipliers = sum(m * _sym(Fraction(self.lp.A_ub[k][j])) for m, k in zip(mu, active)) + \
                sum(v * _sym(Fraction(row[j])) for v, row in zip(nu, self.lp.A_eq))
            equations.append(sympy.expand(gradient - multipliers * product))
        for k in active:
            equations.append(sum(_sym(Fraction(a)) * x for a, x in zip(self.lp.A_ub[k], vector)) - _sym(Fraction(self.lp.b_ub[k])))
        for row, b in zip(self.lp.A_eq, self.lp.b_eq):
            equations.append(sum(_sym(Fraction(a)) * x for a, x in zip(row, vector)) - _sym(Fraction(b)))
        symbols = [zs[j] for j in free] + mu + nu
        if not symbols:
            solutions = [{}] if all(e == 0 for e in equations) else []
        else:
            try:
                solutions = sympy.solve(equations, symbols, dict=True)
            except (NotImplementedError, ValueError, TypeError):
                return None
        for solution in solutions:
            point = [x.xreplace(solution) for x in vector]
            multipliers = [m.xreplace(solution) for m in mu]
            if any(v.free_symbols for v in (*point, *multipliers)):
                continue
            if any(not v.is_real for v in point) or any(_compare(m, 0) < 0 for m in multipliers):
                continue
            if any(abs(float(v) - float(x)) > 1e-5 * scale for v, x in zip(point, z)):
                continue
            g = [gi.xreplace(solution) for gi in gains]
            if any(_compare(gi, 0) <= 0 for gi in g):
                continue
            feasible = all(_compare(sum(_sym(Fraction(a)) * x for a, x in zip(row, point)), Fraction(b)) <= 0
                           for row, b in zip(self.lp.A_ub, self.lp.b_ub))
            if not feasible:
                continue
            exact_z = tuple(_simplify(v) for v in point)
            u = tuple(_simplify(gi + _sym(Fraction(dv))) for gi, dv in zip(g, d))
            return _V(u, {"_z": exact_z})
        return None

    def utilitarian(self, d, w):
        zero = {i: 0 for i in range(self.n)}
        result = self._max(list(w), d, zero)
        if result is None:
            return None
        _, value = result
        # among the maximisers, the most equal (leximin of gains)
        row = [sum(w[i] * self.M[i][j] for i in range(self.n)) for j in range(len(self.M[0]))]
        rhs = value - sum(wi * mi for wi, mi in zip(w, self.m0))
        point, _ = self.maxmin(d, tuple(1 for _ in d), extra_eq=[(row, rhs)])
        return point

    def frontier(self, d):
        """Pareto-efficient, individually rational extreme agreements (vertices of the polytope)."""
        points = []
        for z in self.corners or ():
            v = self._vertex(z)
            if all(x >= y for x, y in zip(v.u, d)):
                points.append(v)
        if not points:
            return []
        floats = np.array([[to_float(x) for x in v.u] for v in points])
        return [points[k] for k in _pareto_indices(floats)]

    def share(self, d):
        return None


class _CurvePiece(_Piece):
    """Utilities non-linear in the continuous issues (one piece per combination of discrete options)."""

    kind = "curve"

    def __init__(self, symbols, lows, highs, utilities, fixed, decode, n_parties):
        import sympy

        self.symbols = symbols
        self.lows = lows
        self.highs = highs
        self.utilities = utilities
        self.fixed = fixed
        self.decode_terms = decode
        self.n = n_parties
        self.exact = not any(u.has(sympy.Float) for u in utilities) and all(
            _exact(x) for x in (*lows, *highs))
        self.one_dimensional = len(symbols) == 1
        self.method = ("exact univariate analysis (sympy roots of derivatives)" if self.one_dimensional
                       else "SLSQP from several starts")
        self.certified = self.one_dimensional
        self._functions = None

    def agreement(self, v):
        return self.decode_terms(v) if self.decode_terms else None

    # ------------------------------------------------------------------ evaluation
    def _point(self, x) -> _V:
        if self.one_dimensional and not isinstance(x, (list, tuple, np.ndarray)):
            values = tuple(_simplify_value(u.xreplace({self.symbols[0]: _sym(x)})) for u in self.utilities)
            return _V(values, {self.symbols[0].name: _simplify(x) if _is_sympy(x) else x})
        x = [float(v) for v in x]
        f, _ = self._numeric()
        values = tuple(float(v) for v in f(x))
        return _V(values, {s.name: v for s, v in zip(self.symbols, x)})

    def _numeric(self):
        if self._functions is None:
            import sympy

            f = sympy.lambdify([self.symbols], list(self.utilities), "numpy")
            jac = sympy.lambdify([self.symbols], [[sympy.diff(u, s) for s in self.symbols] for u in self.utilities],
                                 "numpy")

            def values(x):
                return np.array(f(x), dtype=float).reshape(-1)

            def jacobian(x):
                return np.array(jac(x), dtype=float).reshape(len(self.utilities), len(self.symbols))

            self._functions = (values, jacobian)
        return self._functions

    # ------------------------------------------------------------------ one issue: exact
    def _roots(self, expression, lo, hi):
        """Real roots of ``expression`` in ``[lo, hi]`` (exact when polynomial with exact coefficients)."""
        import sympy

        x = self.symbols[0]
        expression = sympy.together(expression)
        numerator = sympy.numer(expression)
        if numerator.is_zero:
            return None  # identically zero
        if numerator.is_polynomial(x) and not numerator.has(sympy.Float):
            try:
                poly = sympy.Poly(numerator, x)
            except sympy.PolynomialError:
                poly = None
            if poly is not None and poly.degree() <= 0:
                return []
            if poly is not None and poly.free_symbols <= {x} and all(c.is_number for c in poly.all_coeffs()):
                try:
                    roots = sympy.real_roots(poly) if poly.domain.is_QQ or poly.domain.is_ZZ else \
                        sympy.solveset(numerator, x, sympy.Interval(_sym(lo), _sym(hi)))
                except (NotImplementedError, sympy.PolynomialError):
                    roots = None
                if roots is not None and isinstance(roots, (list, sympy.FiniteSet)):
                    out = []
                    for r in roots:
                        if r.is_real and _compare(r, lo) >= 0 and _compare(r, hi) <= 0:
                            out.append(_frac(r) if isinstance(r, sympy.Rational) else r)
                    return sorted(set(out), key=lambda r: to_float(r))
        # numeric: sign changes on a grid, refined by Brent's method
        self.exact = False
        self.certified = False
        from scipy.optimize import brentq

        f = sympy.lambdify(x, expression, "numpy")
        grid = np.linspace(to_float(lo), to_float(hi), 2001)
        with np.errstate(all="ignore"):
            values = np.array([float(f(t)) for t in grid])
        roots = []
        for a, b, fa, fb in zip(grid, grid[1:], values, values[1:]):
            if not (np.isfinite(fa) and np.isfinite(fb)):
                continue
            if fa == 0:
                roots.append(float(a))
            elif fa * fb < 0:
                roots.append(brentq(lambda t: float(f(t)), a, b, xtol=1e-14))
        if len(values) and values[-1] == 0:
            roots.append(float(grid[-1]))
        return sorted(set(roots))

    def _intervals(self, d, parties=None):
        """Maximal intervals of the issue where every party (of ``parties``) weakly prefers the agreement."""
        parties = range(self.n) if parties is None else parties
        lo, hi = self.lows[0], self.highs[0]
        points = {lo, hi} if _compare(lo, hi) else {lo}
        for i in parties:
            roots = self._roots(self.utilities[i] - _sym(d[i]), lo, hi)
            if roots:
                points.update(roots)
        ordered = sorted(points, key=lambda r: to_float(r))
        merged = []
        for r in ordered:
            if not merged or _compare(r, merged[-1]):
                merged.append(r)

        def ok(x):
            return all(_compare(_value(self.utilities[i], self.symbols[0], x), d[i]) >= 0 for i in parties)

        intervals = []
        for a, b in zip(merged, merged[1:]):
            mid = (a + b) / 2 if not (_is_sympy(a) or _is_sympy(b)) else (_sym(a) + _sym(b)) / 2
            if ok(mid):
                intervals.append([a, b])
        for r in merged:  # isolated points
            if ok(r) and not any(_compare(a, r) <= 0 <= _compare(b, r) for a, b in intervals):
                intervals.append([r, r])
        intervals.sort(key=lambda ab: to_float(ab[0]))
        out = []
        for a, b in intervals:
            if out and _compare(out[-1][1], a) >= 0:
                if _compare(b, out[-1][1]) > 0:
                    out[-1][1] = b
            else:
                out.append([a, b])
        return [tuple(ab) for ab in out]

    def _candidates(self, d, functions):
        """Endpoints of the zone's intervals and the roots of the derivatives of ``functions``."""
        import sympy

        x = self.symbols[0]
        intervals = self._intervals(d)
        points = []
        for a, b in intervals:
            points += [a, b]
            if _compare(a, b) == 0:
                continue
            for f in functions:
                roots = self._roots(sympy.diff(f, x), a, b)
                if roots:
                    points += roots
        unique = []
        for p in points:
            if not any(_compare(p, q) == 0 for q in unique):
                unique.append(p)
        return unique

    # ------------------------------------------------------------------ primitives
    def ideal(self, d):
        if not self.one_dimensional:
            return self._numeric_ideal(d)
        candidates = self._candidates(d, self.utilities)
        if not candidates:
            return None
        points = [self._point(x) for x in candidates]
        return tuple(max((v.u[i] for v in points), key=_Key) for i in range(self.n))

    def maxmin(self, d, s):
        if not self.one_dimensional:
            return self._numeric_maxmin(d, s)
        import sympy

        x = self.symbols[0]
        active = [i for i in range(self.n) if s[i] > 0]
        gains = [(self.utilities[i] - _sym(d[i])) / _sym(s[i]) for i in active]
        # maximise min over the whole issue range (not just the zone): crossings and peaks
        lo, hi = self.lows[0], self.highs[0]
        region = [(lo, hi)]
        held = [i for i in range(self.n) if s[i] == 0]
        if held:
            region = self._intervals(d, held)
            if not region:
                return None, None
        points = []
        for a, b in region:
            points += [a, b]
            if _compare(a, b) == 0:
                continue
            for g in gains:
                points += self._roots(sympy.diff(g, x), a, b) or []
            for g, h in itertools.combinations(gains, 2):
                points += self._roots(g - h, a, b) or []
        vertices = [self._point(p) for p in points]
        best, key = _lexmax(vertices, lambda v: _leximin_key(v.u, d, s))
        return best, (key[0] if key else 0)

    def nash(self, d, w):
        if not self.one_dimensional:
            return self._numeric_nash(d, w)
        import sympy

        gains = [u - _sym(dv) for u, dv in zip(self.utilities, d)]
        log_derivative = sum(_sym(wi) * sympy.diff(g, self.symbols[0]) / g for g, wi in zip(gains, w))
        candidates = []
        for a, b in self._intervals(d):
            candidates += [a, b]
            if _compare(a, b):
                candidates += self._roots(log_derivative, a, b) or []
        points = [self._point(x) for x in candidates]
        positive = [v for v in points if all(_compare(x, y) > 0 for x, y in zip(v.u, d))]
        if not positive:
            return None
        best, _ = _lexmax(positive, lambda v: _nash_key([_sym(x) - _sym(y) if _is_sympy(x) else x - y
                                                         for x, y in zip(v.u, d)], w))
        return best

    def utilitarian(self, d, w):
        if not self.one_dimensional:
            return self._numeric_utilitarian(d, w)
        total = sum(_sym(wi) * u for wi, u in zip(w, self.utilities))
        candidates = self._candidates(d, [total])
        if not candidates:
            return None
        points = [self._point(x) for x in candidates]
        ones = tuple(Fraction(1) for _ in d)
        best, _ = _lexmax(points, lambda v: (sum(_sym(wi) * _sym(x) for wi, x in zip(w, v.u)),
                                             *_leximin_key(v.u, d, ones)))
        return best

    def frontier(self, d):
        if self.one_dimensional:
            samples = []
            for a, b in self._intervals(d):
                grid = np.linspace(to_float(a), to_float(b), CURVE_SAMPLES) if _compare(a, b) else [to_float(a)]
                samples += list(grid)
            if not samples:
                return []
            f, _ = self._numeric()
            values = np.array([f([t]) for t in samples])
            keep = _pareto_indices(values)
            return sorted((_V(tuple(float(x) for x in values[k]), {self.symbols[0].name: float(samples[k])})
                           for k in keep), key=lambda v: v.u)
        return self._numeric_frontier(d)

    def area(self, d):
        return None

    def share(self, d):
        if self.one_dimensional:
            total = _sym(self.highs[0]) - _sym(self.lows[0])
            if total == 0:
                return Fraction(int(bool(self._intervals(d))))
            length = sum((_sym(b) - _sym(a) for a, b in self._intervals(d)), _sym(Fraction(0)))
            return _simplify(length / total)
        rng = np.random.default_rng(0)
        x = rng.uniform([to_float(v) for v in self.lows], [to_float(v) for v in self.highs],
                        size=(20000, len(self.symbols)))
        f, _ = self._numeric()
        d_f = np.array([to_float(v) for v in d])
        ok = np.array([np.all(f(row) >= d_f) for row in x])
        return float(ok.mean())

    # ------------------------------------------------------------------ several issues: numeric
    def _starts(self, count=8):
        lows = np.array([to_float(v) for v in self.lows])
        highs = np.array([to_float(v) for v in self.highs])
        rng = np.random.default_rng(12345)
        starts = [(lows + highs) / 2, lows, highs]
        starts += list(rng.uniform(lows, highs, size=(count, len(lows))))
        return starts, list(zip(lows, highs))

    def _optimise(self, objective, constraints, extra_variable=False):
        from scipy.optimize import minimize

        starts, bounds = self._starts()
        best = None
        for x0 in starts:
            z0 = np.append(x0, 0.0) if extra_variable else x0
            b = bounds + [(None, None)] if extra_variable else bounds
            result = minimize(objective, z0, bounds=b, constraints=constraints, method="SLSQP",
                              jac=True, options={"ftol": 1e-13, "maxiter": 400})
            feasible = all(np.all(np.asarray(c["fun"](result.x)) >= -1e-8) for c in constraints)
            if feasible and (best is None or result.fun < best.fun):
                best = result
        return best

    def _numeric_constraints(self, d, levels=None, s=None, with_t=False):
        f, jac = self._numeric()
        d_f = np.array([to_float(v) for v in d])
        k = len(self.symbols)
        constraints = []
        if with_t:
            s_f = np.array([to_float(v) for v in s])

            def fun(z):
                g = f(z[:k]) - d_f
                return np.where(s_f > 0, g - z[k] * s_f, g)

            def jf(z):
                J = jac(z[:k])
                return np.hstack([J, -np.where(s_f > 0, s_f, 0.0).reshape(-1, 1)])

            constraints.append({"type": "ineq", "fun": fun, "jac": jf})
        else:
            floor = d_f + (np.array([to_float(v) for v in levels]) if levels is not None else 0)
            constraints.append({"type": "ineq", "fun": lambda x: f(x) - floor, "jac": lambda x: jac(x)})
        return constraints

    def _numeric_ideal(self, d):
        f, jac = self._numeric()
        ideal = []
        for i in range(self.n):
            result = self._optimise(lambda x, i=i: (-f(x)[i], -jac(x)[i]), self._numeric_constraints(d))
            if result is None:
                return None
            ideal.append(float(f(result.x)[i]))
        self._note_numeric()
        return tuple(ideal)

    def _numeric_maxmin(self, d, s):
        k = len(self.symbols)
        result = self._optimise(lambda z: (-z[k], np.append(np.zeros(k), -1.0)),
                                self._numeric_constraints(d, s=s, with_t=True), extra_variable=True)
        if result is None:
            return None, None
        t = float(result.x[k])
        f, jac = self._numeric()
        s_f = np.array([to_float(v) for v in s])
        # second stage: largest total normalised gain with everyone at >= t
        levels = np.where(s_f > 0, (t - 1e-9) * s_f, 0.0)
        weights = np.where(s_f > 0, 1 / np.where(s_f > 0, s_f, 1), 1.0)
        second = self._optimise(lambda x: (-float(weights @ f(x)), -(weights @ jac(x))),
                                self._numeric_constraints(d, levels=levels))
        x = second.x if second is not None else result.x[:k]
        self._note_numeric()
        return self._point(x), t

    def _numeric_nash(self, d, w):
        f, jac = self._numeric()
        d_f = np.array([to_float(v) for v in d])
        w_f = np.array([to_float(v) for v in w])

        def objective(x):
            g = f(x) - d_f
            if np.any(g <= 0):
                return 1e30, np.zeros(len(x))
            return -float(w_f @ np.log(g)), -(jac(x).T @ (w_f / g))

        start, t = self._numeric_maxmin(d, tuple(1 for _ in d))
        if start is None or t <= 0:
            return None
        from scipy.optimize import minimize

        x0 = np.array([start.terms[s.name] for s in self.symbols])
        _, bounds = self._starts()
        result = minimize(objective, x0, jac=True, bounds=bounds, method="SLSQP",
                          constraints=self._numeric_constraints(d), options={"ftol": 1e-14, "maxiter": 500})
        self._note_numeric()
        return self._point(result.x)

    def _numeric_utilitarian(self, d, w):
        f, jac = self._numeric()
        w_f = np.array([to_float(v) for v in w])
        result = self._optimise(lambda x: (-float(w_f @ f(x)), -(jac(x).T @ w_f)), self._numeric_constraints(d))
        if result is None:
            return None
        self._note_numeric()
        return self._point(result.x)

    def _numeric_frontier(self, d):
        if self.n != 2:
            return []
        ideal = self._numeric_ideal(d)
        if ideal is None:
            return []
        f, jac = self._numeric()
        points = []
        for level in np.linspace(to_float(d[0]), ideal[0], 41):
            floor = (level - to_float(d[0]), 0.0)
            result = self._optimise(lambda x: (-f(x)[1], -jac(x)[1]), self._numeric_constraints(d, levels=floor))
            if result is not None:
                points.append(self._point(result.x))
        if not points:
            return []
        values = np.array([v.u for v in points])
        return sorted((points[k] for k in _pareto_indices(values)), key=lambda v: v.u)

    def _note_numeric(self):
        self.exact = False
        if not hasattr(self, "_concave"):
            self._concave = _concave(self.utilities, self.symbols, self.lows, self.highs)
        self.certified = self._concave
        self.method = ("SLSQP from several starts; every utility is concave in the issues, so each optimum is "
                       "global (convex program)" if self._concave else
                       "SLSQP from several starts (local optima; concavity not established)")


class _Key:
    """Sort key for exact and float numbers alike."""

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return _compare(self.value, other.value) < 0

    def __gt__(self, other):
        return _compare(self.value, other.value) > 0


def _value(expression, symbol, x):
    return expression.xreplace({symbol: _sym(x)})


def _simplify_value(value):
    import sympy

    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if value.has(sympy.Float):
        return float(value)
    return value


def _concave(utilities, symbols, lows, highs) -> bool:
    """Whether every utility is concave on the box (Hessian negative semidefinite), decided with sympy."""
    import sympy

    for u in utilities:
        hessian = sympy.hessian(u, symbols)
        if all(entry.is_number for entry in hessian):
            try:
                if not hessian.is_negative_semidefinite:
                    return False
            except (TypeError, ValueError):
                return False
            continue
        diagonal_only = all(hessian[i, j] == 0 for i in range(len(symbols)) for j in range(len(symbols)) if i != j)
        if not diagonal_only:
            return False
        for i, s in enumerate(symbols):
            h = hessian[i, i]
            if h.free_symbols - {s}:
                return False
            try:
                top = sympy.maximum(h, s, sympy.Interval(_sym(lows[i]), _sym(highs[i])))
            except (NotImplementedError, ValueError, TypeError):
                return False
            if top is None or not top.is_number or top > 0:
                return False
    return True


# ====================================================================== building pieces
def _lottery_decoder(labels, agreements=None):
    """Decode lottery weights: one label -> that package (or its agreement), several -> a lottery."""
    def decode(v: _V):
        weights = {k: p for k, p in v.terms.items() if p != 0}
        if len(weights) == 1:
            label = next(iter(weights))
            return agreements[label] if agreements is not None else Agreement(package=label)
        return Agreement(lottery={k: weights[k] for k in labels if k in weights})

    return decode


def _issue_decoder(issues, fixed):
    def decode(v: _V):
        terms = {}
        for issue in issues:
            if issue.name in fixed:
                terms[issue.name] = fixed[issue.name]
            elif issue.name in v.terms:
                terms[issue.name] = _simplify(v.terms[issue.name])
        return Agreement(terms=terms)

    return decode


def build_pieces(problem) -> tuple:
    """Split the (numeric) feasible set of ``problem`` into pieces (see the module docstring)."""
    if problem.is_symbolic:
        names = ", ".join(sorted(problem.symbols))
        raise BargainingError(f"the problem still has parameters ({names}): call substitute(...) first")
    agreements = problem.agreements
    n = problem.n_parties
    d = problem.disagreement
    if isinstance(agreements, Packages):
        rows = [tuple(r) for r in agreements.utilities]
        exact = all(_exact(x) for r in rows for x in r) and all(_exact(x) for x in d)
        labels = agreements.labels
        if agreements.lotteries:
            return (_convex_from_points(rows, labels, n, exact, d, "lotteries over the listed packages"),)

        def decode(k):
            return Agreement(package=labels[k])

        return (_FinitePiece(_scaled(rows) if exact else rows, n, exact, decode, "enumeration of the packages"),)
    if isinstance(agreements, Polytope):
        exact = all(_exact(x) for x in d)
        if agreements.vertices:
            rows = [tuple(r) for r in agreements.vertices]
            exact = exact and all(_exact(x) for r in rows for x in r)
            labels = agreements.labels or tuple(f"vertex {k + 1}" for k in range(len(rows)))
            piece = _convex_from_points(rows, labels, n, exact, d, "convex hull of the vertices")
            if not agreements.labels:  # a set stated in utility space: no agreement to report
                piece.decode_terms = piece.decode_z = None
            return (piece,)
        inequalities = list(agreements.inequalities)
        exact = exact and all(_exact(x) for a, b in inequalities for x in (*a, b))
        return (_convex_from_inequalities(inequalities, n, exact, d),)
    return _issue_pieces(problem)


def _convex_from_points(rows, labels, n, exact, d, method):
    points = [_V(r, {label: Fraction(1) if exact else 1.0}) for r, label in zip(rows, labels)]
    if n == 2:
        hull = _hull(points, exact)
        return _PolygonPiece(hull, exact, method + " (exact polygon)" if exact else method,
                             decode=_lottery_decoder(labels))
    # three or more parties: a linear program over the weights of the Pareto-efficient points
    floats = np.array([[to_float(x) for x in r] for r in rows])
    keep = sorted(_pareto_indices(floats))  # efficient points suffice for efficient lotteries
    keep_rows = [rows[k] for k in keep]
    keep_labels = [labels[k] for k in keep]
    m = len(keep_rows)
    M = [[keep_rows[k][i] for k in range(m)] for i in range(n)]
    lp = _LP([], [], [[1] * m], [1], [(0, None)] * m, exact)

    def decode(z):
        weights = {label: _simplify(x) for label, x in zip(keep_labels, z) if x != 0 and abs(to_float(x)) > 1e-12}
        if len(weights) == 1:
            return Agreement(package=next(iter(weights)))
        return Agreement(lottery=weights)

    corners = [[1 if j == k else 0 for j in range(m)] for k in range(m)]
    return _LinearPiece(M, [0] * n, lp, decode, method + " (HiGHS LP, exact rebuild)", corners=corners)


def _convex_from_inequalities(inequalities, n, exact, d):
    A = [list(a) for a, _ in inequalities]
    b = [bv for _, bv in inequalities]
    ir_rows = [[-1 if j == i else 0 for j in range(n)] for i in range(n)]
    lp = _LP(A, b, [], [], [(None, None)] * n, exact)
    identity = [[1 if j == i else 0 for j in range(n)] for i in range(n)]
    if n > 2:
        corners = _vertex_enumeration(A + ir_rows, b + [-x for x in d], n, exact)
        return _LinearPiece(identity, [0] * n, lp, None, "HiGHS LP over the inequalities, exact rebuild",
                            corners=corners)
    # two parties: trace the individually rational polygon with linear programs
    ir_lp = _LP(A + ir_rows, b + [-x for x in d], [], [], [(None, None)] * 2, exact)
    vertices, exact = _trace_polygon(ir_lp, exact)
    closest = None
    if not vertices:
        linear = _LinearPiece(identity, [0, 0], lp, None, "")
        point, t = linear.maxmin(d, (1, 1))
        closest = (_V(point.u), t) if point is not None else None
        exact = exact and linear.exact
    method = "polygon traced with HiGHS LPs" + (", vertices rebuilt exactly" if exact else "")
    return _PolygonPiece(vertices, exact, method, ir_only=True, closest=closest)


def _trace_polygon(lp: _LP, exact):
    """Vertices (CCW) of a bounded 2-D polygon ``{u : A u <= b}`` by the sandwich method."""
    def vertex(direction):
        result = lp.maximise(list(direction))
        if result is None:
            return None
        z, _, is_exact, _ = result
        if not is_exact:
            nonlocal exact
            exact = False
        return tuple(z)

    starts = []
    for direction in ((1, 0), (0, 1), (-1, 0), (0, -1)):
        v = vertex(direction)
        if v is None:
            return [], exact
        if v not in starts:
            starts.append(v)
    if len(starts) == 1:
        return [_V(starts[0])], exact
    polygon = list(starts)
    k = 0
    guard = 0
    while k < len(polygon) and guard < 10000:
        guard += 1
        p, q = polygon[k], polygon[(k + 1) % len(polygon)]
        normal = (q[1] - p[1], p[0] - q[0])
        if normal == (0, 0):
            k += 1
            continue
        r = vertex(normal)
        gain = normal[0] * (r[0] - p[0]) + normal[1] * (r[1] - p[1])
        limit = 0 if exact else TOL * _scale([*p, *q, 1]) ** 2
        if gain > limit and r not in polygon:
            polygon.insert(k + 1, r)
        else:
            k += 1
    return _hull([_V(v) for v in polygon], exact), exact


def _vertex_enumeration(A, b, n, exact):
    """Vertices of ``{u : A u <= b}`` (small problems) by solving every n-subset of constraints."""
    rows = list(zip(A, b))
    if math.comb(len(rows), n) > 20000:
        return []
    vertices = []
    for subset in itertools.combinations(range(len(rows)), n):
        if exact:
            solution = solve_exact([rows[k][0] for k in subset], [rows[k][1] for k in subset])
        else:
            try:
                solution = list(np.linalg.solve(np.array([rows[k][0] for k in subset], dtype=float),
                                                np.array([rows[k][1] for k in subset], dtype=float)))
            except np.linalg.LinAlgError:
                solution = None
        if solution is None:
            continue
        tol = 0 if exact else 1e-9
        if all(sum(a * x for a, x in zip(row, solution)) <= bv + tol for row, bv in rows):
            if solution not in vertices:
                vertices.append(solution)
    return vertices


def _issue_pieces(problem):
    """Pieces of an issue space: one finite set, or one piece per combination of discrete options."""
    space = problem.agreements
    n = problem.n_parties
    d = problem.disagreement
    discrete = space.discrete
    continuous = space.continuous
    combos = math.prod(len(i.options) for i in discrete) if discrete else 1
    if not continuous:
        return (_finite_issue_piece(problem),)
    if combos > MAX_PIECES:
        raise BargainingError(f"{combos} combinations of discrete options next to continuous issues: "
                              f"at most {MAX_PIECES} are analysed (make an issue continuous or drop options)")
    symbols = [i.symbol for i in continuous]
    lows = [i.low for i in continuous]
    highs = [i.high for i in continuous]
    pieces = []
    for options in itertools.product(*(i.options for i in discrete)):
        fixed = dict(zip((i.name for i in discrete), options))
        replacement = {i.symbol: _sym(i.value_of(o)) for i, o in zip(discrete, options)}
        utilities = []
        for k, (u, scores) in enumerate(zip(space.utilities, space.scores)):
            value = u.xreplace(replacement)
            for issue_name, table in scores.items():
                value = value + _sym(table[fixed[issue_name]])
            utilities.append(value)
        linear = _linear_form(utilities, symbols)
        decode = _issue_decoder(space.issues, fixed)
        if linear is None:
            pieces.append(_CurvePiece(symbols, lows, highs, utilities, fixed, decode, n))
            continue
        coefficients, constants = linear
        exact = all(_exact(x) for x in (*constants, *d, *lows, *highs)) and all(
            _exact(x) for row in coefficients for x in row)
        if n == 2:
            origin_u = tuple(c + sum(a * lo for a, lo in zip(row, lows)) for row, c in zip(coefficients, constants))
            origin = _V(origin_u, {s.name: lo for s, lo in zip(symbols, lows)})
            generators = []
            for k, s in enumerate(symbols):
                width = highs[k] - lows[k]
                vector = (coefficients[0][k] * width, coefficients[1][k] * width)
                generators.append((vector, {s.name: lows[k]}, {s.name: highs[k]}))
            vertices = _zonotope(origin, generators, exact)
            method = ("linear utilities: exact zonotope (issues conceded in the order of their weight ratios)"
                      if exact else "linear utilities: zonotope")
            box = ([s.name for s in symbols], lows, highs,
                   [tuple(row) for row in coefficients], tuple(constants))
            pieces.append(_PolygonPiece(vertices, exact, method, decode=decode, fixed=fixed, box=box))
        else:
            lp = _LP([], [], [], [], list(zip(lows, highs)), exact)
            corners = [list(c) for c in itertools.product(*zip(lows, highs))] if len(symbols) <= 12 else []

            def decode_z(z, decode=decode, symbols=symbols):
                return decode(_V((), {s.name: x for s, x in zip(symbols, z)}))

            pieces.append(_LinearPiece(coefficients, constants, lp, decode_z,
                                       "linear utilities: HiGHS LP, exact rebuild", fixed=fixed, corners=corners))
    if space.lotteries and len(pieces) > 1:
        if any(p.kind == "curve" for p in pieces):
            raise BargainingError("lotteries over an issue space with non-linear utilities are not supported")
        return (_hull_of_pieces(pieces, problem),)
    return tuple(pieces)


def _hull_of_pieces(pieces, problem):
    """Convex hull of several linear pieces (lotteries between their extreme agreements)."""
    n = problem.n_parties
    rows, labels, agreements = [], [], {}
    exact = all(p.exact for p in pieces)
    for piece in pieces:
        extreme = piece.vertices if piece.kind == "polygon" else [piece._vertex(z) for z in piece.corners]
        for v in extreme:
            agreement = piece.agreement(v)
            label = agreement.describe()
            if label not in agreements:
                agreements[label] = agreement
                rows.append(v.u)
                labels.append(label)
    if n == 2:
        points = [_V(r, {label: Fraction(1) if exact else 1.0}) for r, label in zip(rows, labels)]
        return _PolygonPiece(_hull(points, exact), exact, "lotteries between extreme agreements (exact polygon)",
                             decode=_lottery_decoder(labels, agreements))
    return _convex_from_points(rows, labels, n, exact, problem.disagreement, "lotteries between extreme agreements")


def _linear_form(utilities, symbols):
    """``(coefficients, constants)`` if every utility is affine in the symbols with numeric coefficients."""
    import sympy

    coefficients, constants = [], []
    for u in utilities:
        if not u.is_polynomial(*symbols):
            return None
        try:
            poly = sympy.Poly(u, *symbols)
        except sympy.PolynomialError:
            return None
        if poly.total_degree() > 1:
            return None
        row = []
        for s in symbols:
            c = poly.coeff_monomial(s)
            if not c.is_number:
                return None
            row.append(_number(c))
        constant = poly.coeff_monomial(1)
        if not constant.is_number:
            return None
        coefficients.append(row)
        constants.append(_number(constant))
    return coefficients, constants


def _number(value):
    import sympy

    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    return float(value)


def _finite_issue_piece(problem):
    """All combinations of discrete options, evaluated on the grid (exact where every value is rational).

    Each party's utility is a sum of blocks, each depending on a few issues
    (one per issue for additive scores). Exact blocks are scaled to integers
    over a common denominator and summed with numpy over the full grid.
    """
    space = problem.agreements
    discrete = space.discrete
    shape = tuple(len(i.options) for i in discrete)
    names = [i.name for i in discrete]
    n = problem.n_parties
    exact = all(_exact(x) for x in problem.disagreement)
    party_blocks = []
    for u, scores in zip(space.utilities, space.scores):
        blocks = _grid_blocks(u, discrete, shape)
        for issue_name, table in scores.items():
            axis = names.index(issue_name)
            values = np.empty(len(discrete[axis].options), dtype=object)
            values[:] = [table[o] for o in discrete[axis].options]
            blocks.append(((axis,), values))
        exact = exact and all(all(_exact(x) for x in block.flat) for _, block in blocks)
        party_blocks.append(blocks)
    size = math.prod(shape)
    if exact:
        numerators, denominators = [], []
        for blocks in party_blocks:
            denominator = math.lcm(*(Fraction(x).denominator for _, block in blocks for x in block.flat)) or 1
            bound = sum(max(abs(Fraction(x)) for x in block.flat) for _, block in blocks) * denominator
            dtype = np.int64 if bound < 2**62 else object
            total = np.zeros(shape, dtype=dtype)
            for key, block in blocks:
                scaled = np.array([int(Fraction(x) * denominator) for x in block.flat], dtype=dtype).reshape(block.shape)
                total = total + _spread(scaled, key, len(shape))
            numerators.append(np.broadcast_to(total, shape).reshape(size))
            denominators.append(denominator)
        values = (np.stack(numerators, axis=1), denominators)
    else:
        columns = []
        for blocks in party_blocks:
            total = np.zeros(shape)
            for key, block in blocks:
                total = total + _spread(np.array([to_float(x) for x in block.flat]).reshape(block.shape), key,
                                        len(shape))
            columns.append(np.broadcast_to(total, shape).reshape(size))
        values = np.stack(columns, axis=1)

    def decode(k):
        position = np.unravel_index(int(k), shape)
        return Agreement(terms={name: issue.options[j] for name, issue, j in zip(names, discrete, position)})

    return _FinitePiece(values, n, exact, decode, "enumeration of every combination of options"
                        + (" (exact)" if exact else ""))


def _scaled(rows):
    """Exact rows as ``(integer numerators, denominator per party)``."""
    columns = list(zip(*rows))
    denominators = [math.lcm(*(Fraction(x).denominator for x in column)) for column in columns]
    bound = max(abs(Fraction(x)) * dn for column, dn in zip(columns, denominators) for x in column)
    dtype = np.int64 if bound < 2**62 else object
    numerators = np.array([[int(Fraction(x) * dn) for x, dn in zip(row, denominators)] for row in rows], dtype=dtype)
    return numerators.reshape(len(rows), len(denominators)), denominators


def _spread(block, key, dimensions):
    """A block over the issues ``key`` reshaped to broadcast over the full grid."""
    index = [None] * dimensions
    for axis in key:
        index[axis] = slice(None)
    return block[tuple(index)] if key else block


def _grid_blocks(expression, discrete, shape):
    """``expression`` split into terms by the discrete issues they use, each evaluated on its own small grid."""
    import sympy

    index = {i.symbol: k for k, i in enumerate(discrete)}
    groups: dict[tuple, list] = {}
    for term in sympy.Add.make_args(expression):
        key = tuple(sorted(index[s] for s in term.free_symbols if s in index))
        groups.setdefault(key, []).append(term)
    blocks = []
    for key, terms in groups.items():
        sub = sympy.Add(*terms)
        sub_shape = tuple(shape[k] for k in key)
        if math.prod(sub_shape) > 50000:
            function = sympy.lambdify([discrete[k].symbol for k in key], sub, "numpy")
            grids = np.meshgrid(*[np.array([to_float(v) for v in discrete[k].values]) for k in key], indexing="ij")
            blocks.append((key, np.asarray(function(*grids), dtype=float)))
            continue
        block = np.empty(sub_shape, dtype=object)
        for position in itertools.product(*(range(s) for s in sub_shape)):
            replacement = {discrete[k].symbol: _sym(discrete[k].values[j]) for k, j in zip(key, position)}
            value = sub.xreplace(replacement)
            block[position] = Fraction(int(value.p), int(value.q)) if isinstance(value, sympy.Rational) \
                else float(value)
        blocks.append((key, block))
    return blocks


# ====================================================================== public types
@dataclass(frozen=True)
class FrontierPoint:
    """A point of the Pareto frontier and the agreement that yields it."""

    utilities: tuple
    agreement: Agreement | None = None

    def to_dict(self, parties) -> dict:
        return {"utilities": {p: json_number(u) for p, u in zip(parties, self.utilities)},
                "agreement": self.agreement.to_dict() if self.agreement is not None else None}


@dataclass(frozen=True)
class Frontier:
    """The Pareto frontier of the zone of possible agreement.

    Attributes
    ----------
    points : tuple of FrontierPoint
        Ordered by the first party's utility (two parties).
    connected : tuple of bool
        ``connected[k]``: the segment from point ``k`` to ``k + 1`` belongs to
        the frontier (polygonal frontiers); false between separate packages.
    kind : str
        ``"polygonal"`` (exact vertices, straight segments), ``"points"``
        (finitely many packages), ``"sampled"`` (points on a curved frontier)
        or ``"vertices"`` (efficient extreme points, three or more parties).
    exact : bool
    """

    points: tuple = ()
    connected: tuple = ()
    kind: str = "points"
    exact: bool = True

    def __len__(self) -> int:
        return len(self.points)

    def describe(self) -> str:
        count = len(self.points)
        return {"polygonal": f"{count} vertices joined by straight segments",
                "points": f"{count} efficient packages",
                "sampled": f"{count} points sampled along a curved frontier",
                "vertices": f"{count} efficient extreme points"}[self.kind]

    def to_dict(self, parties) -> dict:
        return {"kind": self.kind, "exact": self.exact,
                "points": [p.to_dict(parties) for p in self.points], "connected": list(self.connected)}


@dataclass(frozen=True, eq=False)
class AgreementSet:
    """The zone of possible agreement of one numeric bargaining problem.

    Attributes
    ----------
    problem : BargainingProblem
    empty : bool
        True when no agreement gives every party at least its no-deal payoff.
    description : str
        One sentence for users, e.g. "No agreement beats no deal for both at
        these parameters: …".
    max_min_gain : number
        ``max over agreements of min_i (u_i - d_i)``: positive when some
        agreement gives everyone a strict gain, zero on the boundary, negative
        when the zone is empty (by how much the best compromise falls short).
    closest : FrontierPoint or None
        The agreement attaining ``max_min_gain``.
    ideal : tuple or None
        Each party's best utility within the zone (the ideal point).
    frontier : Frontier
    area : number or None
        Area of the zone in utility space (two parties, convex sets).
    issue_share : number or None
        Share of the issue space (continuous issues uniformly over their
        ranges, each combination of options equally) inside the zone.
    exact : bool
    method : str
    messages : tuple of str
    """

    problem: Any = field(repr=False)
    empty: bool
    description: str
    max_min_gain: Any
    closest: FrontierPoint | None
    ideal: tuple | None
    frontier: Frontier
    area: Any = None
    issue_share: Any = None
    exact: bool = True
    method: str = ""
    messages: tuple = ()
    pieces: tuple = field(default=(), repr=False)

    @property
    def gains(self) -> tuple | None:
        """Each party's largest gain over no deal within the zone."""
        if self.ideal is None:
            return None
        return tuple(a - d for a, d in zip(self.ideal, self.problem.disagreement))

    def size_lines(self) -> list[str]:
        parties = self.problem.parties
        lines = []
        if self.gains is not None:
            lines.append("Largest gain over no deal: " + ", ".join(f"{p} {show(g)}" for p, g in zip(parties, self.gains)))
        if self.closest is not None:
            label = "Most even agreement" if not self.empty else "Closest agreement"
            agreement = self.closest.agreement
            issues = self.problem.agreements.issues if self.problem.representation == "issues" else None
            text = f" ({agreement.describe(issues)})" if agreement is not None else ""
            lines.append(f"{label}: worst-off gain {show(self.max_min_gain)} at "
                         f"({', '.join(show(u) for u in self.closest.utilities)}){text}")
        if self.area is not None:
            lines.append(f"Area of the zone in utility space: {show(self.area)}")
        if self.issue_share is not None:
            lines.append(f"Share of the issue space in the zone: {show(self.issue_share)}"
                         + (f" (≈ {to_float(self.issue_share):.4g})" if _is_sympy(self.issue_share)
                            or isinstance(self.issue_share, Fraction) else ""))
        return lines

    def to_dict(self) -> dict:
        parties = self.problem.parties
        return {
            "empty": self.empty,
            "description": self.description,
            "ideal": None if self.ideal is None else {p: json_number(v) for p, v in zip(parties, self.ideal)},
            "max_min_gain": json_number(self.max_min_gain),
            "closest": None if self.closest is None else self.closest.to_dict(parties),
            "area": json_number(self.area),
            "issue_share": json_number(self.issue_share),
        }


def agreement_set(problem, pieces=None) -> AgreementSet:
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
        key = _leximin_key(point.u, d, ones)
        if best is None or _lex_compare(key, best[2]) > 0:
            best = (piece, point, key, t)
    if best is None:
        raise BargainingError("the agreement set is empty: no feasible agreement at all")
    piece, point, _, t = best
    closest = FrontierPoint(tuple(_simplify(x) for x in point.u), piece.agreement(point))
    t = _simplify(t)
    if isinstance(t, float) and abs(t) <= TOL * _scale(d):
        t = 0.0  # within float tolerance of no deal: the boundary case, not a strict gain
    empty = _compare(t, 0) < 0
    messages = []
    ideal = None
    frontier = Frontier()
    area = share = None
    if not empty:
        ideals = [piece.ideal(d) for piece in pieces]
        ideals = [i for i in ideals if i is not None]
        ideal = tuple(_simplify(max((i[k] for i in ideals), key=_Key)) for k in range(n))
        frontier = _frontier(pieces, d, n)
        if len(pieces) == 1 and pieces[0].kind == "polygon":
            area = _simplify(pieces[0].area(d))
    shares = [p.share(d) for p in pieces]
    if all(s is not None for s in shares) and problem.representation == "issues":
        total = sum((_sym(s) if _is_sympy(s) else s for s in shares), Fraction(0))
        share = _simplify(total / len(shares)) if not any(isinstance(s, float) for s in shares) \
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
        shortfalls = [p for p, u, dv in zip(parties, closest.utilities, d) if _compare(u, dv) < 0]
        who = " and ".join(shortfalls) if shortfalls else "some party"
        everyone = "both" if len(parties) == 2 else "every party"
        return (f"empty. No agreement beats no deal for {everyone} at these parameters: even the most even "
                f"agreement leaves {who} {show(_simplify(-_sym(t)) if _is_sympy(t) else -t)} below the no-deal payoff.")
    if _compare(t, 0) == 0:
        return ("a boundary case: some agreements leave every party exactly as well off as no deal or better, "
                "but none gives every party a strict gain.")
    gains = ", ".join(f"{p} up to {show(a - dv if not _is_sympy(a) else a - _sym(dv))}"
                      for p, a, dv in zip(parties, ideal, d))
    return f"non-empty; within it {gains} over no deal."


def _frontier(pieces, d, n) -> Frontier:
    exact = all(p.exact for p in pieces)
    if n == 2 and all(p.kind == "polygon" for p in pieces):
        chains = [(piece, piece.frontier(d)) for piece in pieces]
        chains = [(piece, chain) for piece, chain in chains if chain]
        if len(chains) == 1:
            piece, chain = chains[0]
            points = tuple(FrontierPoint(tuple(_simplify(x) for x in v.u), piece.agreement(v)) for v in chain)
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
        keep = sorted(_pareto_indices(floats), key=lambda k: tuple(floats[k]))
        points = [points[k] for k in keep]
    frontier_points = tuple(FrontierPoint(tuple(_simplify(x) for x in v.u), piece.agreement(v)) for v, piece in points)
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
                start, end = _lerp(p, q, a), _lerp(p, q, b)
                pieces_out.append((start, end, piece, p is not q and a != b))
    pieces_out.sort(key=lambda item: (to_float(item[0].u[0]), -to_float(item[0].u[1])))
    points, connected = [], []
    for start, end, piece, is_segment in pieces_out:
        a = FrontierPoint(tuple(_simplify(x) for x in start.u), piece.agreement(start))
        if not points or points[-1].utilities != a.utilities:
            if points:
                connected.append(False)
            points.append(a)
        if is_segment:
            b = FrontierPoint(tuple(_simplify(x) for x in end.u), piece.agreement(end))
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
    mid = _lerp(p, q, (lo + hi) / 2) if p is not q else p
    if _on_chain(mid.u, chain, exact):
        return None
    return (lo, hi)


def _on_chain(u, chain, exact) -> bool:
    eps = 0 if exact else 1e-9 * _scale([*u, 1])
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
