"""The buffer-zone scenario against closed forms (symmetric sides, perfect verification)."""

import math
from fractions import Fraction

import pytest

import negotiation as ng


def _terms(solution):
    terms = solution.agreement.terms
    return float(terms["z_NATO"]), float(terms["z_Russia"])


def test_defaults_load_and_zone_is_non_empty():
    scenario = ng.load("buffer_zone")
    result = scenario.bargain()
    assert not result.zone.empty
    # the no-deal point is the unilateral equilibrium (tests/models/test_buffer_zone_unilateral.py):
    # NATO stays, Russia withdraws 30 ln(5/3) km; NATO -10 (3/5)**nu, Russia -6 - 6 ln(5/3)
    nu = 1 - 0.9 ** 12
    assert [float(x) for x in result.problem.disagreement] == pytest.approx(
        [-10 * 0.6 ** nu, -6 - 6 * math.log(5 / 3)], rel=1e-12)
    for name in ("nash", "kalai_smorodinsky", "egalitarian"):
        solution = result[name]
        assert all(g > 0 for g in solution.gains(result.problem.disagreement))


@pytest.mark.parametrize("kappa,scale", [(Fraction(1, 5), 30), (Fraction(1, 2), 20), (Fraction(1, 10), 60)])
def test_symmetric_perfect_verification_closed_form(kappa, scale):
    # With nu = 1 (detect = 1) each side's utility is -a exp(-D/scale) - kappa z_i, D = z_N + z_R,
    # a = L p0 = 10. The sum of utilities depends on D only and is maximal where
    # (2a/scale) exp(-D/scale) = kappa, i.e. D* = scale * ln(2a / (scale * kappa)); moving depth from
    # one side to the other transfers utility one for one, so the frontier is a line of slope -1 and
    # the symmetric solutions (Nash with equal weights, Kalai–Smorodinsky, egalitarian) split D* equally.
    values = {"detect": Fraction(1), "kappa_NATO": kappa, "kappa_Russia": kappa, "depth_scale": Fraction(scale)}
    result = ng.load("buffer_zone").bargain(values)
    total = scale * math.log(2 * 10 / (scale * float(kappa)))
    assert 0 < total / 2 < 100
    for name in ("nash", "kalai_smorodinsky", "egalitarian"):
        z_nato, z_russia = _terms(result[name])
        assert z_nato == pytest.approx(total / 2, abs=2e-3)
        assert z_russia == pytest.approx(total / 2, abs=2e-3)


def test_imperfect_verification_shrinks_the_agreed_buffer():
    scenario = ng.load("buffer_zone")
    common = {"kappa_NATO": Fraction(1, 5), "kappa_Russia": Fraction(1, 5)}
    perfect = sum(_terms(scenario.bargain({**common, "detect": Fraction(1)})["nash"]))
    poor = sum(_terms(scenario.bargain({**common, "detect": Fraction(1, 50), "flights": Fraction(4)})["nash"]))
    assert poor < perfect


def test_costly_withdrawal_closes_the_zone():
    # If pulling back costs more per km than the largest marginal risk reduction it can buy
    # (a/scale = 10/30 per km of own depth, plus nu*a/scale for the other side's), no pair of depths
    # beats the status quo for both: kappa = 1 > (1 + nu)/3 for every nu <= 1.
    result = ng.load("buffer_zone").bargain({"kappa_NATO": Fraction(1), "kappa_Russia": Fraction(1)})
    # only the status quo itself is acceptable to both: a boundary case, no strict gain for anyone
    assert "none gives every party a strict gain" in result.zone.description
    assert result.to_dict()["zone"]["max_min_gain"] == 0
