"""Properties of the bargaining solutions on random problems (hypothesis and seeded draws).

* Nash (1950) and Kalai–Smorodinsky (1975) are invariant under positive affine maps of each
  party's utility: solve(T(S), T(d)) = T(solve(S, d)), exactly.
* Symmetric problems have symmetric solutions (all four concepts).
* Every solution is individually rational and Pareto-efficient. Efficiency is checked with an
  independent linear program (scipy/HiGHS over the convex-combination weights), not with the
  toolkit's own geometry.
* The exact Nash point on a polygon agrees with a generic numeric maximiser (SLSQP).
* The frontier of a union of pieces (discrete option x continuous issues) dominates every
  agreement in the zone.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog, minimize

from negotiation.bargaining import BargainingProblem, Issue, agreement_set, bargain, nash

PARTIES = ("A", "B")
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

coordinate = st.integers(min_value=0, max_value=12).map(F)
points = st.lists(st.tuples(coordinate, coordinate), min_size=3, max_size=7, unique=True)
disagreement = st.tuples(st.integers(0, 4).map(F), st.integers(0, 4).map(F))
positive = st.fractions(min_value=F(1, 4), max_value=5, max_denominator=7).filter(lambda x: x > 0)
shift = st.fractions(min_value=-5, max_value=5, max_denominator=5)


def problem_of(vertices, d):
    return BargainingProblem.from_vertices(vertices, PARTIES, d)


def nonempty(vertices, d) -> bool:
    zone = agreement_set(problem_of(vertices, d))
    return not zone.empty and zone.max_min_gain > 0


def dominated(point, vertices) -> bool:
    """Is some convex combination of the vertices at least ``point`` everywhere and better somewhere?"""
    V = np.array([[float(x) for x in v] for v in vertices])
    p = np.array([float(x) for x in point])
    m = len(V)
    # max sum(u) - sum(p) over u = V^T lambda >= p
    result = linprog(-V.sum(axis=1), A_ub=-V.T, b_ub=-p, A_eq=np.ones((1, m)), b_eq=[1.0], bounds=[(0, None)] * m,
                     method="highs")
    return result.status == 0 and -result.fun - p.sum() > 1e-9


@SETTINGS
@given(points, disagreement, positive, positive, shift, shift)
def test_nash_and_ks_are_invariant_under_positive_affine_maps(vertices, d, a1, a2, b1, b2):
    assume(nonempty(vertices, d))

    def t(u):
        return (a1 * u[0] + b1, a2 * u[1] + b2)

    original = bargain(problem_of(vertices, d), ["nash", "kalai_smorodinsky"])
    mapped = bargain(problem_of([t(v) for v in vertices], t(d)), ["nash", "kalai_smorodinsky"])
    for name in ("nash", "kalai_smorodinsky"):
        assert mapped[name].utilities == t(original[name].utilities)


@SETTINGS
@given(points, st.integers(0, 4).map(F))
def test_symmetric_problems_have_symmetric_solutions(vertices, c):
    symmetric = sorted(set(vertices) | {(y, x) for x, y in vertices})
    assume(nonempty(symmetric, (c, c)))
    result = bargain(problem_of(symmetric, (c, c)))
    for solution in result:
        assert solution.utilities[0] == solution.utilities[1], solution.name


@SETTINGS
@given(points, disagreement)
def test_solutions_are_individually_rational_and_pareto_efficient(vertices, d):
    assume(nonempty(vertices, d))
    result = bargain(problem_of(vertices, d))
    assert result.exact
    for solution in result:
        assert all(u >= dv for u, dv in zip(solution.utilities, d)), solution.name
        assert not dominated(solution.utilities, vertices), solution.name
    for point in result.zone.frontier.points:
        assert not dominated(point.utilities, vertices)


@SETTINGS
@given(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=12, unique=True), disagreement,
       positive, positive, shift, shift)
def test_package_solutions_are_efficient_packages_and_nash_is_invariant(rows, d, a1, a2, b1, b2):
    packages = {f"p{k}": row for k, row in enumerate(rows)}
    problem = BargainingProblem.from_packages(packages, PARTIES, d)
    result = bargain(problem)
    if result.zone.empty:
        assert all(any(x < y for x, y in zip(row, d)) for row in rows)
        return
    for solution in result:
        u = solution.utilities
        assert u == packages[solution.agreement.package]
        assert all(x >= y for x, y in zip(u, d))
        assert not any(r[0] >= u[0] and r[1] >= u[1] and r != u for r in rows), solution.name
    mapped = {k: (a1 * r[0] + b1, a2 * r[1] + b2) for k, r in packages.items()}
    other = bargain(BargainingProblem.from_packages(mapped, PARTIES, (a1 * d[0] + b1, a2 * d[1] + b2)), "nash")
    assert other["nash"].utilities == mapped[result["nash"].agreement.package] or (
        # ties between packages with equal Nash products may be broken differently
        _nash_product(other["nash"].utilities, (a1 * d[0] + b1, a2 * d[1] + b2))
        == _nash_product(mapped[result["nash"].agreement.package], (a1 * d[0] + b1, a2 * d[1] + b2)))


def _nash_product(u, d):
    return (u[0] - d[0]) * (u[1] - d[1])


def test_exact_nash_agrees_with_a_numeric_maximiser():
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(40):
        vertices = [tuple(F(int(x)) for x in row) for row in rng.integers(0, 20, size=(6, 2))]
        d = tuple(F(int(x)) for x in rng.integers(0, 6, size=2))
        if not nonempty(vertices, d):
            continue
        exact = nash(problem_of(vertices, d)).utilities
        V = np.array(vertices, dtype=float)
        dv = np.array(d, dtype=float)

        def objective(lam):
            g = V.T @ lam - dv
            return 1e9 if np.any(g <= 0) else -np.log(g).sum()

        # a strictly individually rational start: max t s.t. V^T lambda - d >= t (an LP)
        m = len(V)
        start = linprog(np.r_[np.zeros(m), -1.0], A_ub=np.c_[-V.T, np.ones(2)], b_ub=-dv,
                        A_eq=np.r_[np.ones(m), 0.0].reshape(1, -1), b_eq=[1.0],
                        bounds=[(0, None)] * m + [(None, None)], method="highs")
        best = minimize(objective, start.x[:m], method="SLSQP", bounds=[(0, 1)] * m,
                        constraints=[{"type": "eq", "fun": lambda lam: lam.sum() - 1}],
                        options={"ftol": 1e-15, "maxiter": 1000})
        numeric = V.T @ best.x
        assert np.allclose([float(x) for x in exact], numeric, atol=1e-5)
        checked += 1
    assert checked >= 10


def test_union_frontier_dominates_every_agreement_in_the_zone():
    rng = np.random.default_rng(3)
    for trial in range(6):
        w = rng.integers(1, 6, size=(2, 3))
        scores = rng.integers(0, 5, size=(2, 3))
        issues = [Issue.continuous("x", 0, 1), Issue.continuous("y", 0, 1),
                  Issue.discrete("m", ["a", "b", "c"])]
        utilities = {"A": f"{w[0, 0]}*x + {w[0, 1]}*y", "B": f"{w[1, 0]}*(1 - x) + {w[1, 1]}*(1 - y)"}
        table = {p: {"m": {o: int(scores[i, j]) for j, o in enumerate("abc")}} for i, p in enumerate(PARTIES)}
        problem = BargainingProblem.from_issues(issues, utilities, scores=table, disagreement=(2, 2))
        zone = agreement_set(problem)
        if zone.empty:
            continue
        frontier = zone.frontier
        pts = [tuple(float(x) for x in p.utilities) for p in frontier.points]

        def best_above(level):
            """Largest u2 on the frontier among points with u1 >= level."""
            best = -np.inf
            for k, p in enumerate(pts):
                if p[0] >= level - 1e-12:
                    best = max(best, p[1])
                if k < len(pts) - 1 and frontier.connected[k]:
                    q = pts[k + 1]
                    if q[0] >= level >= p[0] and q[0] > p[0]:
                        best = max(best, p[1] + (level - p[0]) * (q[1] - p[1]) / (q[0] - p[0]))
            return best

        samples = rng.uniform(0, 1, size=(400, 2))
        for x, y in samples:
            for j, option in enumerate("abc"):
                u = (w[0, 0] * x + w[0, 1] * y + scores[0, j], w[1, 0] * (1 - x) + w[1, 1] * (1 - y) + scores[1, j])
                if u[0] >= 2 and u[1] >= 2:
                    assert u[1] <= best_above(u[0]) + 1e-9, (trial, u)
