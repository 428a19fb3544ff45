"""Linear programs with HiGHS whose optimal vertices are rebuilt exactly and certified by duality.

HiGHS (dual simplex) returns a floating-point vertex; for exact data the active constraints at that
vertex are solved exactly (:func:`negotiation.core.linalg.solve_exact`), the point is checked for
exact feasibility and its value compared with HiGHS's, and HiGHS's dual values, rounded to rationals,
certify optimality by weak duality.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negotiation.bargaining.numbers import is_exact, magnitude
from negotiation.core.linalg import solve_exact
from negotiation.models.bargaining import BargainingError, to_float

__all__ = ["LinearProgram"]


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
class LinearProgram:
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
        if self.exact and all(is_exact(x) for x in c):
            rebuilt = _rebuild(z, c, A_ub, b_ub, A_eq, b_eq, self.bounds, result)
            if rebuilt is not None:
                z_exact, certified = rebuilt
                return z_exact, sum(ci * zi for ci, zi in zip(c, z_exact)), True, certified
        return z, value, False, False


def _rebuild(z, c, A_ub, b_ub, A_eq, b_eq, bounds, result):
    """Exact vertex from HiGHS's float optimum: solve the active constraints, verify, certify by duality."""
    n = len(z)
    scale = magnitude([*z, *b_ub, *b_eq, 1])
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
    if abs(float(value) - (-result.fun)) > 1e-6 * magnitude([value, 1]):
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
