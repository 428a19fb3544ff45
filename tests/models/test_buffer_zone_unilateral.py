"""buffer_zone's no-deal point is the unilateral equilibrium of the withdrawal game (issue 13, item 3).

Each side's utility -L_i p0 exp(-(z_i + nu z_j)/s) - kappa_i z_i is strictly concave in its own depth,
so its best response solves the first-order condition (L_i p0/s) exp(-(z_i + nu z_j)/s) = kappa_i,
clipped to [0, 100]: z_i = clip(s ln(L_i p0/(s kappa_i)) - nu z_j, 0, 100).

Defaults (L p0 = 10, s = 30, kappa_NATO = 1/2, kappa_Russia = 1/5, nu = 1 - (9/10)^12):
  NATO: 10/30 = 1/3 < 1/2 already at z = 0, so NATO stays at 0 whatever Russia does;
  Russia: (1/3) exp(-z/30) = 1/5  <=>  z = 30 ln(5/3) ≈ 15.3248 km.
No-deal utilities: NATO -10 exp(-nu ln(5/3)) = -10 (3/5)^nu, Russia -10 (3/5) - (1/5) 30 ln(5/3).
"""

import math
from fractions import Fraction as F

import pytest
import sympy

import negotiation as ng
from negotiation.models.continuous import ContinuousGame
from negotiation.solvers.continuous import solve_continuous

NU = 1 - 0.9 ** 12


def _disagreement(values=None):
    return [float(x) for x in ng.load("buffer_zone").problem_at(values or {}).disagreement]


def _utilities(z_nato, z_russia, nu=NU, kappa=(0.5, 0.2), scale=30.0, a=10.0):
    return (-a * math.exp(-(z_nato + nu * z_russia) / scale) - kappa[0] * z_nato,
            -a * math.exp(-(z_russia + nu * z_nato) / scale) - kappa[1] * z_russia)


def test_russias_unilateral_withdrawal_from_its_first_order_condition():
    z = 30 * math.log(5 / 3)
    assert z == pytest.approx(15.3248, abs=1e-4)
    assert (10 / 30) * math.exp(-z / 30) == pytest.approx(1 / 5, rel=1e-12)      # Russia's FOC holds
    assert (10 / 30) * math.exp(-NU * z / 30) - 1 / 2 < 0                          # NATO's corner at 0
    assert _disagreement() == pytest.approx(list(_utilities(0.0, z)), rel=1e-12)
    assert _disagreement() == pytest.approx([-10 * 0.6 ** NU, -6 - 6 * math.log(5 / 3)], rel=1e-12)


def test_the_old_no_deal_point_is_no_equilibrium():
    # at z = 0 Russia's marginal gain from withdrawing is 1/3 - 1/5 > 0: it would move
    assert F(10, 30) - F(1, 5) > 0
    assert _utilities(0.0, 30 * math.log(5 / 3))[1] > _utilities(0.0, 0.0)[1]


def test_the_toolkits_continuous_solver_finds_the_same_equilibrium():
    z_n, z_r = sympy.symbols("z_NATO z_Russia")
    nu = sympy.Rational(1) - sympy.Rational(9, 10) ** 12
    payoffs = (-10 * sympy.exp(-(z_n + nu * z_r) / 30) - sympy.Rational(1, 2) * z_n,
               -10 * sympy.exp(-(z_r + nu * z_n) / 30) - sympy.Rational(1, 5) * z_r)
    game = ContinuousGame(("NATO", "Russia"), (z_n, z_r), ((0, 100), (0, 100)), payoffs, title="withdrawal alone")
    result = solve_continuous(game)
    assert len(result.equilibria) == 1
    assert float(result[0]["NATO"]) == pytest.approx(0, abs=1e-6)
    assert float(result[0]["Russia"]) == pytest.approx(30 * math.log(5 / 3), abs=1e-4)


def test_interior_equilibrium_when_both_withdraw():
    # kappa_NATO = kappa_Russia = 1/5, nu = 1 - (49/50)^4: both reaches are r = 30 ln(5/3) and the
    # interior solution of z = r - nu z' is z = r/(1 + nu) for each side
    nu = 1 - 0.98 ** 4
    z = 30 * math.log(5 / 3) / (1 + nu)
    values = {"kappa_NATO": F(1, 5), "detect": F(1, 50), "flights": F(4)}
    assert _disagreement(values) == pytest.approx(list(_utilities(z, z, nu=nu, kappa=(0.2, 0.2))), rel=1e-12)


def test_perfect_verification_symmetric_sides_take_the_symmetric_equilibrium():
    # nu = 1: every split of the reach r = 30 ln(5/3) is an equilibrium; the file takes r/2 each
    values = {"detect": F(1), "kappa_NATO": F(1, 5), "kappa_Russia": F(1, 5)}
    r = 30 * math.log(5 / 3)
    assert _disagreement(values) == pytest.approx(list(_utilities(r / 2, r / 2, nu=1.0, kappa=(0.2, 0.2))), rel=1e-12)


def test_a_side_with_a_long_reach_stops_at_the_edge_of_the_range():
    # L_Russia = 1000, p0 = 1/2, depth_scale = 200, kappa_Russia = 1/100: reach 200 ln(250) > 100, so Russia
    # withdraws the whole 100 km; NATO's reach 200 ln(1/2) is negative, so it stays at 0
    values = {"L_Russia": F(1000), "p0": F(1, 2), "depth_scale": F(200), "kappa_Russia": F(1, 100)}
    reach_nato = 200 * math.log(100 * 0.5 / (200 * 0.5))        # 200 ln(1/2) < 0: NATO stays
    assert reach_nato < 0
    d = _disagreement(values)
    expected = (-50 * math.exp(-NU * 100 / 200), -500 * math.exp(-100 / 200) - 100 / 100)
    assert d == pytest.approx(list(expected), rel=1e-12)


def test_treaty_gains_over_the_unilateral_equilibrium_are_about_a_tenth_of_those_from_the_line():
    # The Nash gains, measured from the unilateral equilibrium, are what a treaty adds. Measured from
    # z = 0 (-10, -10) they included Russia's own withdrawal: the difference of the two no-deal points
    # is (10 - 10 (3/5)^nu, 10 - 6 - 6 ln(5/3)) ≈ (3.07, 0.94).
    result = ng.load("buffer_zone").bargain()
    gains = [float(u) - d for u, d in zip(result["nash"].utilities, _disagreement())]
    assert all(g > 0 for g in gains)
    shift = (10 - 10 * 0.6 ** NU, 4 - 6 * math.log(5 / 3))
    old_gains = [g + s for g, s in zip(gains, shift)]           # the same agreement measured from z = 0
    assert all(g / old < 0.11 for g, old in zip(gains, old_gains))


def test_readme_lines():
    # the Nash point is checked against the first-order conditions and a dense grid, with this no-deal
    # point computed by iterating best responses, in tests/bargaining/test_surface_fast.py
    result = ng.load("buffer_zone").bargain()
    terms = result["nash"].agreement.terms
    assert (float(terms["z_NATO"]), float(terms["z_Russia"])) == pytest.approx((2.13, 21.71), abs=0.01)
    poor = ng.load("buffer_zone").bargain({"detect": F(1, 50), "flights": F(4)})
    assert not poor.zone.empty and max(float(g) for g in poor.zone.gains) < 0.004
