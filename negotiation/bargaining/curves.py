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

from negotiation.bargaining.numbers import (ExactKey, as_fraction, compare, from_sympy, is_exact, leximin_key, lexmax,
                                            nash_key, simplify)
from negotiation.bargaining.pieces import Piece
from negotiation.bargaining.points import Point, pareto_indices
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
            f = sympy.lambdify([self.symbols], list(self.utilities), "numpy")
            jac = sympy.lambdify([self.symbols], [[sympy.diff(u, s) for s in self.symbols] for u in self.utilities],
                                 "numpy")

            def values(x):
                return np.array(f(x), dtype=float).reshape(-1)

            def jacobian(x):
                return np.array(jac(x), dtype=float).reshape(len(self.utilities), len(self.symbols))

            self._functions = (values, jacobian)
        return self._functions


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
    """Several continuous issues: SLSQP from several starting points (global where every utility is concave)."""

    method = "SLSQP from several starts"
    certified = False

    def _point(self, x) -> Point:
        x = [float(v) for v in x]
        f, _ = self._numeric()
        values = tuple(float(v) for v in f(x))
        return Point(values, {s.name: v for s, v in zip(self.symbols, x)})

    def ideal(self, d):
        f, jac = self._numeric()
        ideal = []
        for i in range(self.n):
            result = self._optimise(lambda x, i=i: (-f(x)[i], -jac(x)[i]), self._constraints(d))
            if result is None:
                return None
            ideal.append(float(f(result.x)[i]))
        self._note_numeric()
        return tuple(ideal)

    def maxmin(self, d, s):
        k = len(self.symbols)
        result = self._optimise(lambda z: (-z[k], np.append(np.zeros(k), -1.0)),
                                self._constraints(d, s=s, with_t=True), extra_variable=True)
        if result is None:
            return None, None
        t = float(result.x[k])
        f, jac = self._numeric()
        s_f = np.array([to_float(v) for v in s])
        # second stage: largest total normalised gain with everyone at >= t
        levels = np.where(s_f > 0, (t - 1e-9) * s_f, 0.0)
        weights = np.where(s_f > 0, 1 / np.where(s_f > 0, s_f, 1), 1.0)
        second = self._optimise(lambda x: (-float(weights @ f(x)), -(weights @ jac(x))),
                                self._constraints(d, levels=levels))
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
        from scipy.optimize import minimize

        x0 = np.array([start.terms[s.name] for s in self.symbols])
        _, bounds = self._starts()
        result = minimize(objective, x0, jac=True, bounds=bounds, method="SLSQP",
                          constraints=self._constraints(d), options={"ftol": 1e-14, "maxiter": 500})
        self._note_numeric()
        return self._point(result.x)

    def utilitarian(self, d, w):
        f, jac = self._numeric()
        w_f = np.array([to_float(v) for v in w])
        result = self._optimise(lambda x: (-float(w_f @ f(x)), -(jac(x).T @ w_f)), self._constraints(d))
        if result is None:
            return None
        self._note_numeric()
        return self._point(result.x)

    def frontier(self, d):
        if self.n != 2:
            return []
        ideal = self.ideal(d)
        if ideal is None:
            return []
        f, jac = self._numeric()
        points = []
        for level in np.linspace(to_float(d[0]), ideal[0], 41):
            floor = (level - to_float(d[0]), 0.0)
            result = self._optimise(lambda x: (-f(x)[1], -jac(x)[1]), self._constraints(d, levels=floor))
            if result is not None:
                points.append(self._point(result.x))
        if not points:
            return []
        values = np.array([v.u for v in points])
        return sorted((points[k] for k in pareto_indices(values)), key=lambda v: v.u)

    def share(self, d):
        """Estimated from 20,000 random agreements (seed 0)."""
        rng = np.random.default_rng(0)
        x = rng.uniform([to_float(v) for v in self.lows], [to_float(v) for v in self.highs],
                        size=(20000, len(self.symbols)))
        f, _ = self._numeric()
        d_f = np.array([to_float(v) for v in d])
        ok = np.array([np.all(f(row) >= d_f) for row in x])
        return float(ok.mean())

    # ------------------------------------------------------------------ SLSQP
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
        if not hasattr(self, "_concave"):
            self._concave = _concave(self.utilities, self.symbols, self.lows, self.highs)
        self.certified = self._concave
        self.method = ("SLSQP from several starts; every utility is concave in the issues, so each optimum is "
                       "global (convex program)" if self._concave else
                       "SLSQP from several starts (local optima; concavity not established)")


def _value(expression, symbol, x):
    return expression.xreplace({symbol: as_sympy(x)})


def _concave(utilities, symbols, lows, highs) -> bool:
    """Whether every utility is concave on the box (Hessian negative semidefinite), decided with sympy."""
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
                top = sympy.maximum(h, s, sympy.Interval(as_sympy(lows[i]), as_sympy(highs[i])))
            except (NotImplementedError, ValueError, TypeError):
                return False
            if top is None or not top.is_number or top > 0:
                return False
    return True
