"""Concave utilities in several continuous issues: Newton's method, warm-started, against independent answers.

The buffer-zone model (two depths, exponential escalation risk, linear costs) is solved by the
interior-point route of ``SurfacePiece`` (issue 14, goal 5). Its answers are checked against

* the route it replaced, SLSQP from eleven starts (``route = "multistart"``), kept as an oracle here;
* the first-order conditions written out by hand in numpy (gradients of the utilities by hand, not
  by the package): at an interior Pareto point the two gradients are opposite, at the Nash point the
  weighted gradients of the log gains cancel;
* a dense grid of depth pairs evaluated with numpy (ideal gains, the utilitarian sum, the Nash product);
* closed forms of the small programs of ``negotiation.bargaining.convex``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

import negotiation as ng
from negotiation.bargaining import (
    agreement_set,
    curves,
    egalitarian,
    kalai_smorodinsky,
    nash,
    utilitarian,
)
from negotiation.bargaining.convex import minimise
from negotiation.bargaining.feasible_set import build_pieces
from negotiation.models.bargaining import BargainingProblem, Issue

VARIANTS = [
    {},  # the defaults: asymmetric costs, nu = 1 - 0.9^12
    {"kappa_NATO": Fraction(1, 5), "detect": Fraction(1, 50), "flights": Fraction(4)},  # poor verification
    {"L_Russia": Fraction(300), "depth_scale": Fraction(60), "alpha": Fraction(1, 4)},  # asymmetric stakes and power
]


def _problem(values):
    return ng.load("buffer_zone").problem_at(values)


def _zone(problem, route):
    pieces = build_pieces(problem)
    for piece in pieces:
        piece.route = route
    return agreement_set(problem, pieces)


def _solutions(problem, zone):
    return {"nash": nash(problem, zone=zone), "kalai_smorodinsky": kalai_smorodinsky(problem, zone=zone),
            "egalitarian": egalitarian(problem, zone=zone), "utilitarian": utilitarian(problem, zone=zone)}


def _by_hand(values):
    """The model's utilities and gradients in plain numpy, from the formulas of models/buffer_zone.toml."""
    p = {"p0": 0.1, "depth_scale": 30.0, "L_NATO": 100.0, "L_Russia": 100.0, "kappa_NATO": 0.5, "kappa_Russia": 0.2,
         "flights": 12.0, "detect": 0.1, "alpha": 0.5}
    p.update({k: float(v) for k, v in values.items()})
    nu = 1 - (1 - p["detect"]) ** p["flights"]
    s = p["depth_scale"]
    a_n, a_r = p["L_NATO"] * p["p0"], p["L_Russia"] * p["p0"]

    def utilities(z_n, z_r):
        return (-a_n * np.exp(-(z_n + nu * z_r) / s) - p["kappa_NATO"] * z_n,
                -a_r * np.exp(-(z_r + nu * z_n) / s) - p["kappa_Russia"] * z_r)

    def gradients(z_n, z_r):
        e_n, e_r = a_n * math.exp(-(z_n + nu * z_r) / s) / s, a_r * math.exp(-(z_r + nu * z_n) / s) / s
        return np.array([e_n - p["kappa_NATO"], nu * e_n]), np.array([nu * e_r, e_r - p["kappa_Russia"]])

    # no deal: the unilateral equilibrium of the withdrawal game, by iterating the best responses
    # z_i = clip(reach_i - nu z_j, 0, 100), reach_i = s ln(a_i/(s kappa_i)) (a contraction for nu < 1)
    reach = (s * math.log(a_n / (s * p["kappa_NATO"])), s * math.log(a_r / (s * p["kappa_Russia"])))
    alone = (0.0, 0.0)
    for _ in range(200):
        alone = (min(100.0, max(0.0, reach[0] - nu * alone[1])), min(100.0, max(0.0, reach[1] - nu * alone[0])))
    return utilities, gradients, tuple(float(u) for u in utilities(*alone)), p["alpha"]


def _terms(solution):
    return float(solution.agreement.terms["z_NATO"]), float(solution.agreement.terms["z_Russia"])


@pytest.mark.parametrize("values", VARIANTS)
def test_newton_route_agrees_with_the_slsqp_multistart_it_replaced(values):
    problem = _problem(values)
    new, old = _zone(problem, "continuation"), _zone(problem, "multistart")
    assert new.pieces[0].certified and "Newton" in new.method and "SLSQP" in old.method
    assert new.ideal == pytest.approx(old.ideal, rel=1e-7)
    assert float(new.issue_share) == float(old.issue_share)  # the same 20,000 random agreements, counted at once
    new_solutions, old_solutions = _solutions(problem, new), _solutions(problem, old)
    for name in new_solutions:
        assert new_solutions[name].utilities == pytest.approx(old_solutions[name].utilities, rel=1e-6, abs=1e-8), name
        if name != "utilitarian" or values:  # the utilitarian depths are unique here (a corner: z_NATO = 0)
            assert _terms(new_solutions[name]) == pytest.approx(_terms(old_solutions[name]), abs=1e-4), name
    assert len(new.frontier.points) == len(old.frontier.points) == 41
    for a, b in zip(new.frontier.points, old.frontier.points):
        assert [float(x) for x in a.utilities] == pytest.approx([float(x) for x in b.utilities], rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("values", VARIANTS)
def test_every_newton_run_converges_without_slsqp(values, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("SLSQP was called: a Newton run did not converge")

    monkeypatch.setattr(curves, "_slsqp", refuse)
    result = ng.load("buffer_zone").bargain(values)
    assert not result.zone.empty and len(result.zone.frontier.points) == 41


@pytest.mark.parametrize("values", VARIANTS)
def test_first_order_conditions_by_hand(values):
    result = ng.load("buffer_zone").bargain(values)
    utilities, gradients, d, alpha = _by_hand(values)
    for point in result.zone.frontier.points[1:-1]:
        z_n, z_r = (float(point.agreement.terms[k]) for k in ("z_NATO", "z_Russia"))
        assert [float(u) for u in point.utilities] == pytest.approx(utilities(z_n, z_r), rel=1e-12)
        if 0 < z_n < 100 and 0 < z_r < 100:
            g_n, g_r = gradients(z_n, z_r)
            # Pareto efficient inside the box: no direction raises both utilities, the gradients are opposite
            assert abs(g_n[0] * g_r[1] - g_n[1] * g_r[0]) <= 1e-7 * np.linalg.norm(g_n) * np.linalg.norm(g_r)
            assert g_n @ g_r < 0
    z_n, z_r = _terms(result["nash"])
    u = utilities(z_n, z_r)
    g_n, g_r = gradients(z_n, z_r)
    ascent = alpha * g_n / (u[0] - d[0]) + (1 - alpha) * g_r / (u[1] - d[1])  # of the log Nash product
    size = 1e-7 * np.abs(alpha * g_n / (u[0] - d[0])).max()
    for z, slope in zip((z_n, z_r), ascent):
        # zero inside the box; at a bound, the product would grow only by crossing it
        assert (abs(slope) <= size) if 0 < z < 100 else (slope <= size if z == 0 else slope >= -size)
    gains = [float(x) - y for x, y in zip(result["egalitarian"].utilities, d)]
    assert gains[0] == pytest.approx(gains[1], rel=1e-7) and gains[0] > 0


@pytest.mark.parametrize("values", VARIANTS)
def test_ideal_utilitarian_and_nash_against_a_dense_grid(values):
    result = ng.load("buffer_zone").bargain(values)
    utilities, _, d, alpha = _by_hand(values)
    z_n, z_r = np.meshgrid(np.linspace(0, 100, 2001), np.linspace(0, 100, 2001), indexing="ij")  # 0.05 km
    u_n, u_r = utilities(z_n, z_r)
    inside = (u_n >= d[0]) & (u_r >= d[1])
    # the optimum beats every grid point, and the best grid point comes within the grid's resolution
    # (0.05 km times the largest slope of any utility, about 1.2 per km)
    resolution = 0.05 * 1.2
    ideal = [float(x) for x in result.zone.ideal]
    for mine, grid in zip(ideal, (u_n[inside].max(), u_r[inside].max())):
        assert grid - 1e-9 <= mine <= grid + resolution
    total = float(sum(result["utilitarian"].utilities))
    assert (u_n + u_r)[inside].max() - 1e-9 <= total <= (u_n + u_r)[inside].max() + 2 * resolution
    with np.errstate(divide="ignore", invalid="ignore"):
        log_product = np.where(inside & (u_n > d[0]) & (u_r > d[1]),
                               alpha * np.log(u_n - d[0]) + (1 - alpha) * np.log(u_r - d[1]), -np.inf)
    u = [float(x) for x in result["nash"].utilities]
    mine = alpha * math.log(u[0] - d[0]) + (1 - alpha) * math.log(u[1] - d[1])
    assert log_product.max() - 1e-9 <= mine <= log_product.max() + 0.05


def test_concavity_not_established_keeps_the_several_starts():
    # u = x*y is not concave (its Hessian has eigenvalues -1 and 1): no certificate, SLSQP from several starts
    x, y = Issue.continuous("x", 0, 1), Issue.continuous("y", 0, 1)
    problem = BargainingProblem.from_issues([x, y], {"A": "x*y", "B": "(1 - x)*(1 - y)"}, disagreement=(0, 0),
                                            parties=("A", "B"))
    zone = agreement_set(problem)
    assert not zone.pieces[0].certified and "concavity not established" in zone.method
    # symmetric under (x, y) -> (1 - x, 1 - y) with A and B swapped: equal gains of 1/4 at x = y = 1/2
    assert [float(v) for v in egalitarian(problem, zone=zone).utilities] == pytest.approx([0.25, 0.25], abs=1e-6)


def test_quadratic_program_with_an_active_constraint():
    # min (x - 3)^2 + (y - 1)^2 s.t. x + y <= 2: the projection of (3, 1) on the half-plane is (2, 0)
    def objective(z):
        return float((z[0] - 3) ** 2 + (z[1] - 1) ** 2), np.array([2 * (z[0] - 3), 2 * (z[1] - 1)]), 2 * np.eye(2)

    def constraints(z):
        return np.array([2 - z[0] - z[1]]), np.array([[-1.0, -1.0]]), np.zeros((1, 2, 2))

    answer = minimise(objective, constraints, np.array([10.0, -7.0]))  # an infeasible start
    assert answer.x == pytest.approx([2.0, 0.0], abs=1e-9) and answer.fun == pytest.approx(2.0, abs=1e-9)


def test_log_objective_stays_in_its_domain():
    # max log x + 2 log y s.t. x + y <= 3, x, y >= 0: x = 1, y = 2 (weights over their sum times 3)
    def objective(z):
        return (-math.log(z[0]) - 2 * math.log(z[1]), np.array([-1 / z[0], -2 / z[1]]),
                np.diag([1 / z[0] ** 2, 2 / z[1] ** 2]))

    def constraints(z):
        return np.array([3 - z[0] - z[1]]), np.array([[-1.0, -1.0]]), np.zeros((1, 2, 2))

    answer = minimise(objective, constraints, np.array([0.1, 0.1]), domain=lambda z: bool(np.all(z > 0)))
    assert answer.x == pytest.approx([1.0, 2.0], abs=1e-9)


def test_three_issues_with_quadratic_utilities_against_the_multistart():
    # concave (numeric Hessians, negative definite): certified, Newton's route; the oracle is SLSQP from 11 starts
    issues = [Issue.continuous(name, 0, 1) for name in "xyz"]
    problem = BargainingProblem.from_issues(
        issues, {"A": "-(x-1/5)**2 - (y-7/10)**2 - (z-1/10)**2/2", "B": "-(x-4/5)**2 - 3*(y-1/10)**2/10 - (z-9/10)**2"},
        disagreement=(-1, -1), parties=("A", "B"))
    new, old = _zone(problem, "continuation"), _zone(problem, "multistart")
    assert "Newton" in new.method and new.pieces[0].certified
    assert new.ideal == pytest.approx(old.ideal, abs=1e-9)
    for name, solution in _solutions(problem, new).items():
        assert solution.utilities == pytest.approx(_solutions(problem, old)[name].utilities, abs=1e-8), name
    for a, b in zip(new.frontier.points, old.frontier.points, strict=True):
        assert [float(x) for x in a.utilities] == pytest.approx([float(x) for x in b.utilities], abs=1e-7)
