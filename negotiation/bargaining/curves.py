"""Agreement sets whose utilities are non-linear in the continuous issues.

One continuous issue (:class:`CurvePiece`): exact with sympy -- the zone's intervals and every
candidate optimum are roots of polynomial derivatives (algebraic numbers), with a numeric fallback
(Brent's method) for other functions. Several issues (:class:`SurfacePiece`): SLSQP from several
starting points, certified global when every utility is concave in the issues (checked with sympy).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import sympy

from negotiation.bargaining.convex import minimise
from negotiation.bargaining.numbers import (ExactKey, as_fraction, compare, from_sympy, is_exact, leximin_key, lexmax,
                                            nash_key, simplify)
from negotiation.bargaining.pieces import Piece
from negotiation.bargaining.points import Point, pareto_indices
from negotiation.core.lambdify import lambdify_numpy
from negotiation.core.numeric import is_sympy
from negotiation.models.bargaining import as_sympy, to_float

__all__ = ["CurvePiece", "SurfacePiece", "curve_piece"]

#: Samples used to draw (and report) non-linear frontiers.
CURVE_SAMPLES = 400


class _NonLinearPiece(Piece):
    """Utilities non-linear in the continuous issues (one piece per combination of discrete options)."""

    kind = "curve"
    one_dimensional = False

    def __init__(self, symbols, lows, highs, utilities, fixed, decode, n_parties):
        self.symbols = symbols
        self.lows = lows
        self.highs = highs
        self.utilities = utilities
        self.fixed = fixed
        self.decode_terms = decode
        self.n = n_parties
        self.exact = not any(u.has(sympy.Float) for u in utilities) and all(is_exact(x) for x in (*lows, *highs))
        self._functions = None

    def agreement(self, v):
        return self.decode_terms(v) if self.decode_terms else None

    def area(self, d):
        return None

    def _numeric(self):
        """The utilities and their Jacobian as numpy functions of the issue values (made once)."""
        if self._functions is None:
            f = lambdify_numpy([self.symbols], list(self.utilities))
            jac = lambdify_numpy([self.symbols], [[sympy.diff(u, s) for s in self.symbols] for u in self.utilities])

            def values(x):
                return np.array(f(x), dtype=float).reshape(-1)

            def jacobian(x):
                return np.array(jac(x), dtype=float).reshape(len(self.utilities), len(self.symbols))

            self._functions = (values, jacobian)
            self._vectorised = f
        return self._functions

    def evaluate(self, points) -> np.ndarray:
        """The utilities at many agreements at once: ``points`` (m × issues) -> an m × parties array.

        One call of the numpy function on whole columns (the same floats as one call per row).
        """
        self._numeric()
        points = np.asarray(points, dtype=float).reshape(-1, len(self.symbols))
        with np.errstate(all="ignore"):
            columns = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in self._vectorised(points.T)),
                                          np.empty(len(points)))[:-1]
        return np.stack(columns, axis=1) if columns else np.zeros((len(points), 0))


def curve_piece(symbols, lows, highs, utilities, fixed, decode, n_parties) -> "CurvePiece | SurfacePiece":
    """The piece for utilities non-linear in the continuous issues: exact for one issue, numeric for several."""
    kind = CurvePiece if len(symbols) == 1 else SurfacePiece
    return kind(symbols, lows, highs, utilities, fixed, decode, n_parties)


class CurvePiece(_NonLinearPiece):
    """One continuous issue: every candidate optimum is an end of the zone or a root of a derivative (exact)."""

    one_dimensional = True
    method = "exact univariate analysis (sympy roots of derivatives)"
    certified = True

    def _point(self, x) -> Point:
        values = tuple(from_sympy(u.xreplace({self.symbols[0]: as_sympy(x)})) for u in self.utilities)
        return Point(values, {self.symbols[0].name: simplify(x) if is_sympy(x) else x})

    def _roots(self, expression, lo, hi):
        """Real roots of ``expression`` in ``[lo, hi]`` (exact when polynomial with exact coefficients)."""
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
                        sympy.solveset(numerator, x, sympy.Interval(as_sympy(lo), as_sympy(hi)))
                except (NotImplementedError, sympy.PolynomialError):
                    roots = None
                if roots is not None and isinstance(roots, (list, sympy.FiniteSet)):
                    out = []
                    for r in roots:
                        if r.is_real and compare(r, lo) >= 0 and compare(r, hi) <= 0:
                            out.append(as_fraction(r) if isinstance(r, sympy.Rational) else r)
                    return sorted(set(out), key=lambda r: to_float(r))
        return self._numeric_roots(expression, lo, hi)

    def _numeric_roots(self, expression, lo, hi):
        """Roots of a non-polynomial ``expression``: sign changes on a grid, refined by Brent's method."""
        from scipy.optimize import brentq

        x = self.symbols[0]
        self.exact = False
        self.certified = False
        f = lambdify_numpy(x, expression)
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
        points = {lo, hi} if compare(lo, hi) else {lo}
        for i in parties:
            roots = self._roots(self.utilities[i] - as_sympy(d[i]), lo, hi)
            if roots:
                points.update(roots)
        ordered = sorted(points, key=lambda r: to_float(r))
        merged = []
        for r in ordered:
            if not merged or compare(r, merged[-1]):
                merged.append(r)

        def ok(x):
            return all(compare(_value(self.utilities[i], self.symbols[0], x), d[i]) >= 0 for i in parties)

        intervals = []
        for a, b in zip(merged, merged[1:]):
            mid = (a + b) / 2 if not (is_sympy(a) or is_sympy(b)) else (as_sympy(a) + as_sympy(b)) / 2
            if ok(mid):
                intervals.append([a, b])
        for r in merged:  # isolated points
            if ok(r) and not any(compare(a, r) <= 0 <= compare(b, r) for a, b in intervals):
                intervals.append([r, r])
        intervals.sort(key=lambda ab: to_float(ab[0]))
        out = []
        for a, b in intervals:
            if out and compare(out[-1][1], a) >= 0:
                if compare(b, out[-1][1]) > 0:
                    out[-1][1] = b
            else:
                out.append([a, b])
        return [tuple(ab) for ab in out]

    def _candidates(self, d, functions):
        """Endpoints of the zone's intervals and the roots of the derivatives of ``functions``."""
        x = self.symbols[0]
        intervals = self._intervals(d)
        points = []
        for a, b in intervals:
            points += [a, b]
            if compare(a, b) == 0:
                continue
            for f in functions:
                roots = self._roots(sympy.diff(f, x), a, b)
                if roots:
                    points += roots
        unique = []
        for p in points:
            if not any(compare(p, q) == 0 for q in unique):
                unique.append(p)
        return unique

    # ------------------------------------------------------------------ primitives
    def ideal(self, d):
        candidates = self._candidates(d, self.utilities)
        if not candidates:
            return None
        points = [self._point(x) for x in candidates]
        return tuple(max((v.u[i] for v in points), key=ExactKey) for i in range(self.n))

    def maxmin(self, d, s):
        x = self.symbols[0]
        active = [i for i in range(self.n) if s[i] > 0]
        gains = [(self.utilities[i] - as_sympy(d[i])) / as_sympy(s[i]) for i in active]
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
            if compare(a, b) == 0:
                continue
            for g in gains:
                points += self._roots(sympy.diff(g, x), a, b) or []
            for g, h in itertools.combinations(gains, 2):
                points += self._roots(g - h, a, b) or []
        vertices = [self._point(p) for p in points]
        best, key = lexmax(vertices, lambda v: leximin_key(v.u, d, s))
        return best, (key[0] if key else 0)

    def nash(self, d, w):
        gains = [u - as_sympy(dv) for u, dv in zip(self.utilities, d)]
        log_derivative = sum(as_sympy(wi) * sympy.diff(g, self.symbols[0]) / g for g, wi in zip(gains, w))
        candidates = []
        for a, b in self._intervals(d):
            candidates += [a, b]
            if compare(a, b):
                candidates += self._roots(log_derivative, a, b) or []
        points = [self._point(x) for x in candidates]
        positive = [v for v in points if all(compare(x, y) > 0 for x, y in zip(v.u, d))]
        if not positive:
            return None
        best, _ = lexmax(positive, lambda v: nash_key([as_sympy(x) - as_sympy(y) if is_sympy(x) else x - y
                                                         for x, y in zip(v.u, d)], w))
        return best

    def utilitarian(self, d, w):
        total = sum(as_sympy(wi) * u for wi, u in zip(w, self.utilities))
        candidates = self._candidates(d, [total])
        if not candidates:
            return None
        points = [self._point(x) for x in candidates]
        ones = tuple(Fraction(1) for _ in d)
        best, _ = lexmax(points, lambda v: (sum(as_sympy(wi) * as_sympy(x) for wi, x in zip(w, v.u)),
                                             *leximin_key(v.u, d, ones)))
        return best

    def frontier(self, d):
        samples = []
        for a, b in self._intervals(d):
            grid = np.linspace(to_float(a), to_float(b), CURVE_SAMPLES) if compare(a, b) else [to_float(a)]
            samples += list(grid)
        if not samples:
            return []
        f, _ = self._numeric()
        values = np.array([f([t]) for t in samples])
        keep = pareto_indices(values)
        return sorted((Point(tuple(float(x) for x in values[k]), {self.symbols[0].name: float(samples[k])})
                       for k in keep), key=lambda v: v.u)

    def share(self, d):
        total = as_sympy(self.highs[0]) - as_sympy(self.lows[0])
        if total == 0:
            return Fraction(int(bool(self._intervals(d))))
        length = sum((as_sympy(b) - as_sympy(a) for a, b in self._intervals(d)), as_sympy(Fraction(0)))
        return simplify(length / total)


class SurfacePiece(_NonLinearPiece):
    """Several continuous issues: Newton's method where every utility is concave, else SLSQP from several starts.

    Where every utility is concave in the issues (decided with sympy, :func:`_concave`) each question
    below is a convex program, so its one local optimum is the global one: each is solved by the
    interior-point method of :mod:`~negotiation.bargaining.convex` (Newton steps on the first-order
    conditions, exact Hessians) from the answer of the question before it -- the frontier is traced
    level by level, each level from the point of the previous one. A run that does not converge, and
    every question where concavity is not established, goes to SLSQP from several starts.
    ``route = "multistart"`` forces SLSQP from several starts everywhere (the route before, kept as an
    oracle for the tests).
    """

    method = "SLSQP from several starts"
    certified = False
    #: ``"continuation"`` (Newton's method, warm-started, where the utilities are concave) or ``"multistart"``.
    route = "continuation"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._solved = {}  # (question, d, s) -> answer: the solutions ask the same max-min more than once
        self._hessians = None

    def _point(self, x) -> Point:
        # a bound the optimiser stopped within rounding of (8e-14 km from 0) is the bound
        x = [lo if abs(v - lo) <= 1e-9 * (hi - lo) else hi if abs(v - hi) <= 1e-9 * (hi - lo) else v
             for v, lo, hi in zip((float(v) for v in x), (to_float(v) for v in self.lows),
                                  (to_float(v) for v in self.highs))]
        f, _ = self._numeric()
        values = tuple(float(v) for v in f(x))
        return Point(values, {s.name: v for s, v in zip(self.symbols, x)})

    def _warm(self) -> bool:
        """Whether Newton's method from one start is enough: the utilities are concave (a convex program)."""
        if not hasattr(self, "_concave"):
            self._concave = _concave(self.utilities, self.symbols, self.lows, self.highs)
        return self.route == "continuation" and self._concave

    def _centre(self):
        return np.array([(to_float(a) + to_float(b)) / 2 for a, b in zip(self.lows, self.highs)])

    def ideal(self, d):
        key = ("ideal", tuple(d))
        if key not in self._solved:
            self._solved[key] = self._ideal(d)
        ideal, _ = self._solved[key]
        return ideal

    def _ideal(self, d):
        """Each party's best utility in the zone, and the agreement that gives it (the frontier starts there)."""
        f, jac = self._numeric()
        start = self._maxmin_start(d)
        ideal, where = [], []
        for i in range(self.n):
            gain = np.eye(self.n)[i]
            result = self._optimise(lambda x, i=i: (-f(x)[i], -jac(x)[i]), self._constraints(d),
                                    start=start, program=self._program(d, gain=gain))
            if result is None:
                return None, None
            ideal.append(float(f(result.x)[i]))
            where.append(result.x)
        self._note_numeric()
        return tuple(ideal), where

    def _maxmin_start(self, d):
        """The egalitarian agreement (in the zone when it is not empty): where the other questions start."""
        if not self._warm():
            return None
        point, _ = self.maxmin(d, tuple(Fraction(1) for _ in d))
        return None if point is None else np.array([point.terms[s.name] for s in self.symbols])

    def maxmin(self, d, s):
        key = ("maxmin", tuple(d), tuple(s))
        if key not in self._solved:
            self._solved[key] = self._maxmin(d, s)
        return self._solved[key]

    def _maxmin(self, d, s):
        k = len(self.symbols)
        f, jac = self._numeric()
        s_f = np.array([to_float(v) for v in s])
        start = None
        if self._warm():
            # the box centre, with t where every normalised gain is at least t
            x0 = self._centre()
            gains = (f(x0) - np.array([to_float(v) for v in d]))[s_f > 0] / s_f[s_f > 0]
            start = np.append(x0, float(gains.min()) - 1 if len(gains) else 0.0)
        result = self._optimise(lambda z: (-z[k], np.append(np.zeros(k), -1.0)),
                                self._constraints(d, s=s, with_t=True), extra_variable=True, start=start,
                                program=self._program(d, s=s_f))
        if result is None:
            return None, None
        t = float(result.x[k])
        # second stage: largest total normalised gain with everyone at >= t
        levels = np.where(s_f > 0, (t - 1e-9) * s_f, 0.0)
        weights = np.where(s_f > 0, 1 / np.where(s_f > 0, s_f, 1), 1.0)
        second = self._optimise(lambda x: (-float(weights @ f(x)), -(weights @ jac(x))),
                                self._constraints(d, levels=levels), start=result.x[:k],
                                program=self._program(d, gain=weights, levels=levels))
        x = second.x if second is not None else result.x[:k]
        self._note_numeric()
        return self._point(x), t

    def nash(self, d, w):
        f, jac = self._numeric()
        d_f = np.array([to_float(v) for v in d])
        w_f = np.array([to_float(v) for v in w])

        def objective(x):
            g = f(x) - d_f
            if np.any(g <= 0):
                return 1e30, np.zeros(len(x))
            return -float(w_f @ np.log(g)), -(jac(x).T @ (w_f / g))

        start, t = self.maxmin(d, tuple(1 for _ in d))
        if start is None or t <= 0:
            return None
        x0 = np.array([start.terms[s.name] for s in self.symbols])
        if self._warm():
            objective_n, constraints_n, domain = self._program(d, nash=w_f)
            result = minimise(objective_n, constraints_n, x0, domain=domain)
            if result is not None:
                return self._point(result.x)
        from scipy.optimize import minimize

        _, bounds = self._starts()
        result = minimize(objective, x0, jac=True, bounds=bounds, method="SLSQP",
                          constraints=self._constraints(d), options={"ftol": 1e-14, "maxiter": 500})
        self._note_numeric()
        return self._point(result.x)

    def utilitarian(self, d, w):
        f, jac = self._numeric()
        w_f = np.array([to_float(v) for v in w])
        result = self._optimise(lambda x: (-float(w_f @ f(x)), -(jac(x).T @ w_f)), self._constraints(d),
                                start=self._maxmin_start(d), program=self._program(d, gain=w_f))
        if result is None:
            return None
        self._note_numeric()
        return self._point(result.x)

    def frontier(self, d):
        """Party 2's best utility at 41 levels of party 1's, from no deal to its ideal (each from the last)."""
        if self.n != 2:
            return []
        ideal = self.ideal(d)
        if ideal is None:
            return []
        f, jac = self._numeric()
        _, where = self._solved[("ideal", tuple(d))]
        # at party 1's no-deal level the answer is party 2's ideal; party 1's ideal is feasible at every level
        previous = where[1]
        levels = np.linspace(to_float(d[0]), ideal[0], 41)
        if self._warm():
            # the last floor is party 1's ideal itself, a single point: 1e-9 (relative) below it the
            # program has an interior, which Newton's method needs
            levels[-1] -= 1e-9 * max(1.0, abs(ideal[0]))
        points = []
        for level in levels:
            floor = (level - to_float(d[0]), 0.0)
            result = self._optimise(lambda x: (-f(x)[1], -jac(x)[1]), self._constraints(d, levels=floor),
                                    start=(previous, where[0]), program=self._program(d, gain=(0, 1), levels=floor))
            if result is not None:
                points.append(self._point(result.x))
                previous = result.x
        if not points:
            return []
        values = np.array([v.u for v in points])
        return sorted((points[k] for k in pareto_indices(values)), key=lambda v: v.u)

    def share(self, d):
        """Estimated from 20,000 random agreements (seed 0)."""
        rng = np.random.default_rng(0)
        x = rng.uniform([to_float(v) for v in self.lows], [to_float(v) for v in self.highs],
                        size=(20000, len(self.symbols)))
        d_f = np.array([to_float(v) for v in d])
        return float(np.all(self.evaluate(x) >= d_f, axis=1).mean())

    # ------------------------------------------------------------------ Newton's method
    def _second_derivatives(self):
        """The Hessian of every utility as a numpy function of the issue values: parties × issues × issues."""
        if self._hessians is None:
            hessians = lambdify_numpy([self.symbols], [sympy.hessian(u, self.symbols).tolist() for u in self.utilities])
            k = len(self.symbols)
            self._hessians = lambda x: np.array(hessians(x), dtype=float).reshape(self.n, k, k)
        return self._hessians

    def _program(self, d, *, gain=None, levels=None, s=None, nash=None):
        """One question as ``(objective, constraints)`` for :func:`~negotiation.bargaining.convex.minimise`.

        ``gain``: maximise ``gain . u``; ``s``: maximise ``t`` with ``u_i - d_i >= t s_i`` (an extra
        variable); ``nash``: maximise ``sum_i w_i log(u_i - d_i)``; always ``u_i - d_i >= levels_i`` (0 by
        default; not for the Nash product, whose logarithms keep every gain positive) and the box.
        """
        f, jac = self._numeric()
        hess = self._second_derivatives()
        k, n = len(self.symbols), self.n
        floor = np.array([to_float(v) for v in d]) + (0 if levels is None else np.asarray(levels, dtype=float))
        lows = np.array([to_float(v) for v in self.lows])
        highs = np.array([to_float(v) for v in self.highs])
        size = k + (s is not None)
        box = np.vstack([np.eye(k, size), -np.eye(k, size)])
        rows = 0 if nash is not None else n
        s_f = np.zeros(n) if s is None else np.asarray(s, dtype=float)

        def constraints(z):
            x = z[:k]
            values = np.concatenate([(f(x) - floor - (z[k] * s_f if s is not None else 0))[:rows],
                                     x - lows, highs - x])
            jacobian = np.vstack([np.hstack([jac(x), -s_f[:, None]])[:rows] if s is not None else jac(x)[:rows],
                                  box])
            hessians = np.zeros((rows + 2 * k, size, size))
            if rows:
                hessians[:rows, :k, :k] = hess(x)
            return values, jacobian, hessians

        def objective(z):
            x = z[:k]
            if s is not None:
                return -z[k], -np.eye(size)[k], np.zeros((size, size))
            if nash is not None:
                g = f(x) - floor
                J = jac(x)
                scaled = J * (nash / g)[:, None]
                return (-float(nash @ np.log(g)), -scaled.sum(axis=0),
                        scaled.T @ (J / g[:, None]) - np.tensordot(nash / g, hess(x), axes=1))
            a = np.asarray(gain, dtype=float)
            return -float(a @ f(x)), -(jac(x).T @ a), -np.tensordot(a, hess(x), axes=1)

        domain = None if nash is None else (lambda x: bool(np.all(f(x) > floor)))
        return objective, constraints, domain

    # ------------------------------------------------------------------ SLSQP
    def _starts(self, count=8):
        lows = np.array([to_float(v) for v in self.lows])
        highs = np.array([to_float(v) for v in self.highs])
        rng = np.random.default_rng(12345)
        starts = [(lows + highs) / 2, lows, highs]
        starts += list(rng.uniform(lows, highs, size=(count, len(lows))))
        return starts, list(zip(lows, highs))

    def _optimise(self, objective, constraints, extra_variable=False, start=None, program=None):
        """Newton's method from ``start`` where the program is convex, else the best SLSQP run of several."""
        if start is not None and program is not None and self._warm():
            # one start, or a few tried in turn: the first run that converges has found the optimum
            for x0 in (start if isinstance(start, tuple) else (start,)):
                result = minimise(program[0], program[1], np.asarray(x0, dtype=float), domain=program[2])
                if result is not None:
                    return result
        starts, bounds = self._starts()
        if extra_variable:
            bounds = bounds + [(None, None)]
        best = None
        for x0 in starts:
            z0 = np.append(x0, 0.0) if extra_variable else x0
            result = _slsqp(objective, z0, bounds, constraints)
            if _feasible(result.x, constraints) and (best is None or result.fun < best.fun):
                best = result
        return best

    def _constraints(self, d, levels=None, s=None, with_t=False):
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

    def _note_numeric(self):
        self.exact = False
        self._warm()
        self.certified = self._concave
        if not self._concave:
            self.method = "SLSQP from several starts (local optima; concavity not established)"
        elif self.route == "continuation":
            self.method = ("Newton's method on the first-order conditions (interior point), warm-started along "
                           "the frontier; every utility is concave in the issues, so each optimum is global "
                           "(convex program)")
        else:
            self.method = ("SLSQP from several starts; every utility is concave in the issues, so each optimum "
                           "is global (convex program)")


def _slsqp(objective, start, bounds, constraints):
    from scipy.optimize import minimize

    return minimize(objective, start, bounds=bounds, constraints=constraints, method="SLSQP", jac=True,
                    options={"ftol": 1e-13, "maxiter": 400})


def _feasible(x, constraints) -> bool:
    return all(np.all(np.asarray(c["fun"](x)) >= -1e-8) for c in constraints)


def _value(expression, symbol, x):
    return expression.xreplace({symbol: as_sympy(x)})


def _concave(utilities, symbols, lows, highs) -> bool:
    """Whether every utility is concave on the box (Hessian negative semidefinite), decided with sympy.

    A Hessian of numbers is tested directly; a diagonal one entry by entry (its largest value on the
    box); any other by its principal minors: a symmetric matrix is negative semidefinite where every
    principal minor of order ``r`` has the sign of ``(-1)^r`` or is 0 (Horn and Johnson 2013, Matrix
    Analysis, 2nd ed., §7.1), which sympy must prove for all real issue values (the sign of
    ``-exp(...)``, a minor that expands to 0), else concavity is not established.
    """
    return all(_concave_one(sympy.hessian(u, symbols), symbols, lows, highs) for u in utilities)


def _concave_one(hessian, symbols, lows, highs) -> bool:
    if all(entry.is_number for entry in hessian):
        try:
            return bool(hessian.is_negative_semidefinite)
        except (TypeError, ValueError):
            return False
    diagonal_only = all(hessian[i, j] == 0 for i in range(len(symbols)) for j in range(len(symbols)) if i != j)
    if diagonal_only and _diagonal_nonpositive(hessian, symbols, lows, highs):
        return True
    return _minors_signed(hessian, len(symbols))


def _diagonal_nonpositive(hessian, symbols, lows, highs) -> bool:
    for i, s in enumerate(symbols):
        h = hessian[i, i]
        if h.free_symbols - {s}:
            return False
        try:
            top = sympy.maximum(h, s, sympy.Interval(as_sympy(lows[i]), as_sympy(highs[i])))
        except (NotImplementedError, ValueError, TypeError):
            return False
        if top is None or not top.is_number or top > 0:
            return False
    return True


#: Issues up to which the principal minors are tried (2^k - 1 minors per utility: 63 at 6 issues; the
#: 3 minors of each of the buffer-zone model's two utilities take 0.03 s together). Beyond it concavity is
#: not established this way and the several starts are used.
MINOR_ISSUES = 6


def _minors_signed(hessian, k) -> bool:
    """Every principal minor of order r has the sign of (-1)^r or is 0, proven by sympy for real issue values."""
    if k > MINOR_ISSUES:
        return False
    for order in range(1, k + 1):
        for rows in itertools.combinations(range(k), order):
            minor = sympy.expand(hessian.extract(list(rows), list(rows)).det(method="berkowitz"))
            if ((-1) ** order * minor).is_nonnegative is not True:
                return False
    return True
