"""A convex polytope of agreements for three or more parties: ``u = M z + m0`` over ``{z : A z <= b}``.

The solutions are linear programs (:class:`~negotiation.bargaining.linear_programs.LinearProgram`,
exact rebuild) except the Nash product, a concave program solved with SLSQP and then, on the active
face, exactly from its KKT conditions with sympy.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy

from negotiation.bargaining.linear_programs import LinearProgram
from negotiation.bargaining.numbers import TOL, compare, is_exact, magnitude, simplify
from negotiation.bargaining.pieces import Piece
from negotiation.bargaining.points import Point, pareto_indices
from negotiation.models.bargaining import as_sympy, to_float

__all__ = ["LinearPiece"]


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


class LinearPiece(Piece):
    """A convex polytope for three or more parties: ``u = M z + m0`` over ``{z : A z <= b, bounds}``."""

    kind = "linear"

    def __init__(self, M, m0, lp: LinearProgram, decode, method, fixed=None, corners=None):
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

    def _vertex(self, z) -> Point:
        return Point(self.u_of(z), {"_z": tuple(z)})

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
        with_t = LinearProgram([row + [0] for row in self.lp.A_ub], list(self.lp.b_ub),
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
                if (compare(value, t) <= 0) if self.exact else (to_float(value) <= to_float(t) + TOL * magnitude([t])):
                    stuck.append(i)
            for i in stuck or free[:1]:
                floors[i] = t * s[i]
                free.remove(i)
        return self._vertex(z_best), first_t

    def nash(self, d, w):
        """Maximise the weighted Nash product (a concave program) with SLSQP from the egalitarian point,
        then solve its KKT conditions on the active face exactly where the data are exact."""
        start, t = self.maxmin(d, tuple(1 for _ in d))
        if start is None or to_float(t) <= 0:
            return None
        z = _nash_slsqp(self.M, self.m0, self.lp, d, w, start.terms["_z"])
        if self.lp.exact and all(is_exact(x) for x in (*d, *w)):
            exact = _exact_kkt(self.M, self.m0, self.lp, z, d, w)
            if exact is not None:
                return exact
        M = np.array([[to_float(a) for a in row] for row in self.M])
        u = M @ z + (np.array([to_float(c) for c in self.m0]) - np.array([to_float(x) for x in d])) \
            + np.array([to_float(x) for x in d])
        return Point(tuple(float(x) for x in u), {"_z": tuple(float(x) for x in z)})

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
        return [points[k] for k in pareto_indices(floats)]

    def share(self, d):
        return None


# ---------------------------------------------------------------------- the Nash product on a polytope
def _nash_slsqp(M, m0, lp: LinearProgram, d, w, start) -> np.ndarray:
    """SLSQP on ``max sum_i w_i log(M_i z + m0_i - d_i)`` over the polytope, from ``start``; snapped to bounds."""
    from scipy.optimize import minimize

    M = np.array([[to_float(a) for a in row] for row in M])
    offset = np.array([to_float(c) for c in m0]) - np.array([to_float(x) for x in d])
    weights = np.array([to_float(x) for x in w])

    def objective(z):
        g = M @ z + offset
        if np.any(g <= 0):
            return 1e30
        return -float(weights @ np.log(g))

    def gradient(z):
        g = np.maximum(M @ z + offset, 1e-300)
        return -(M.T @ (weights / g))

    constraints = []
    if lp.A_ub:
        A = np.array([[to_float(a) for a in row] for row in lp.A_ub])
        b = np.array([to_float(x) for x in lp.b_ub])
        constraints.append({"type": "ineq", "fun": lambda z: b - A @ z, "jac": lambda z: -A})
    if lp.A_eq:
        E = np.array([[to_float(a) for a in row] for row in lp.A_eq])
        e = np.array([to_float(x) for x in lp.b_eq])
        constraints.append({"type": "eq", "fun": lambda z: E @ z - e, "jac": lambda z: E})
    constraints.append({"type": "ineq", "fun": lambda z: M @ z + offset, "jac": lambda z: M})
    bounds = [(None if lo is None else to_float(lo), None if hi is None else to_float(hi)) for lo, hi in lp.bounds]
    z0 = np.array([to_float(x) for x in start])
    result = minimize(objective, z0, jac=gradient, bounds=bounds, constraints=constraints, method="SLSQP",
                      options={"ftol": 1e-15, "maxiter": 500})
    return _snap(result.x, lp.bounds)


def _exact_kkt(M, m0, lp: LinearProgram, z, d, w) -> Point | None:
    """Exact Nash point from the numeric one ``z``: solve the KKT system on the active face with sympy.

    At the optimum, for every coordinate ``j`` not at a bound,
    ``sum_i w_i M_ij / g_i = sum_r mu_r A_rj + sum_e nu_e E_ej`` over the active
    inequalities ``r`` and the equalities ``e``, with ``g = M z + m0 - d``.
    The system is square; its solutions are algebraic numbers. A solution is
    accepted only if it is exactly feasible, has ``mu >= 0`` and ``g > 0``,
    and matches the numeric optimum -- then it is the optimum (the problem
    is concave).
    """
    scale = magnitude([*z, *lp.b_ub, 1])
    fixed, free, active = _active_face(lp, z, 1e-7 * scale)
    if len(free) + len(active) + len(lp.A_eq) > 8:
        return None
    vector, gains, mu, equations, unknowns = _kkt_system(M, m0, lp, d, w, fixed, free, active, len(z))
    if not unknowns:
        solutions = [{}] if all(e == 0 for e in equations) else []
    else:
        try:
            solutions = sympy.solve(equations, unknowns, dict=True)
        except (NotImplementedError, ValueError, TypeError):
            return None
    for solution in solutions:
        point = _kkt_point(solution, vector, gains, mu, lp, z, d, scale)
        if point is not None:
            return point
    return None


def _active_face(lp: LinearProgram, z, tol):
    """At a float vertex ``z``: the coordinates at a bound (with the exact bound), the free ones, the tight rows."""
    fixed = {}
    for j, (lo, hi) in enumerate(lp.bounds):
        if lo is not None and abs(z[j] - to_float(lo)) <= tol:
            fixed[j] = lo
        elif hi is not None and abs(z[j] - to_float(hi)) <= tol:
            fixed[j] = hi
    free = [j for j in range(len(z)) if j not in fixed]
    active = [k for k, (row, b) in enumerate(zip(lp.A_ub, lp.b_ub))
              if abs(sum(to_float(a) * x for a, x in zip(row, z)) - to_float(b)) <= tol]
    return fixed, free, active


def _exact(value):
    return as_sympy(Fraction(value))


def _kkt_system(M, m0, lp: LinearProgram, d, w, fixed, free, active, p):
    """The KKT equations of the Nash product on the face (multiplied through by the product of the gains)."""
    zs = {j: sympy.Symbol(f"z{j}", real=True) for j in free}
    mu = [sympy.Symbol(f"mu{k}", real=True) for k in active]
    nu = [sympy.Symbol(f"nu{k}", real=True) for k in range(len(lp.A_eq))]
    vector = [zs[j] if j in zs else _exact(fixed[j]) for j in range(p)]
    gains = [sum(_exact(a) * x for a, x in zip(row, vector)) + _exact(c) - _exact(dv) for row, c, dv in zip(M, m0, d)]
    product = sympy.Mul(*gains)
    equations = []
    for j in free:
        gradient = sum(_exact(wi) * _exact(row[j]) * sympy.Mul(*(g for k, g in enumerate(gains) if k != i))
                       for i, (wi, row) in enumerate(zip(w, M)))
        multipliers = sum(m * _exact(lp.A_ub[k][j]) for m, k in zip(mu, active)) + \
            sum(v * _exact(row[j]) for v, row in zip(nu, lp.A_eq))
        equations.append(sympy.expand(gradient - multipliers * product))
    for k in active:
        equations.append(sum(_exact(a) * x for a, x in zip(lp.A_ub[k], vector)) - _exact(lp.b_ub[k]))
    for row, b in zip(lp.A_eq, lp.b_eq):
        equations.append(sum(_exact(a) * x for a, x in zip(row, vector)) - _exact(b))
    return vector, gains, mu, equations, [zs[j] for j in free] + mu + nu


def _kkt_point(solution, vector, gains, mu, lp: LinearProgram, z, d, scale) -> Point | None:
    """The Nash point of one KKT solution, if it is real, exactly feasible, has ``mu >= 0`` and ``g > 0``
    and matches the numeric optimum ``z``; else None."""
    point = [x.xreplace(solution) for x in vector]
    multipliers = [m.xreplace(solution) for m in mu]
    if any(v.free_symbols for v in (*point, *multipliers)):
        return None
    if any(not v.is_real for v in point) or any(compare(m, 0) < 0 for m in multipliers):
        return None
    if any(abs(float(v) - float(x)) > 1e-5 * scale for v, x in zip(point, z)):
        return None
    g = [gi.xreplace(solution) for gi in gains]
    if any(compare(gi, 0) <= 0 for gi in g):
        return None
    if not all(compare(sum(_exact(a) * x for a, x in zip(row, point)), Fraction(b)) <= 0
               for row, b in zip(lp.A_ub, lp.b_ub)):
        return None
    u = tuple(simplify(gi + _exact(dv)) for gi, dv in zip(g, d))
    return Point(u, {"_z": tuple(simplify(v) for v in point)})
