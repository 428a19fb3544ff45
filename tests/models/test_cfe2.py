"""CFE-2 parity ceilings: no-deal point, symmetric closed form, and logrolling across categories.

The brute-force checks evaluate the utility formula of the model description directly with math.log
(independently of the engine) over all 6^5 packages.
"""

import itertools
import math
from fractions import Fraction as F

import pytest

import negotiation as ng
from negotiation.bargaining import bargain
from negotiation.bargaining.issue_by_issue import issue_by_issue, restrict

CATEGORIES = ("tanks", "acv", "artillery", "aircraft", "helicopters")
HN = {"tanks": 900, "acv": 2500, "artillery": 800, "aircraft": 450, "helicopters": 150}
HR = {"tanks": 2000, "acv": 4500, "artillery": 1800, "aircraft": 300, "helicopters": 100}
WN = {"tanks": 1, "acv": 0.5, "artillery": 1, "aircraft": 0.25, "helicopters": 0.25}
WR = {"tanks": 0.25, "acv": 0.25, "artillery": 0.25, "aircraft": 1, "helicopters": 0.5}
S = 0.25


def _utilities(ceilings):
    """u_NATO, u_Russia of the model description at the defaults, ceilings in items (None = no limit)."""
    u_n = u_r = 0.0
    for k in CATEGORIES:
        c = ceilings[k] if ceilings[k] is not None else math.inf
        n, r = min(HN[k], c), min(HR[k], c)
        u_n += WN[k] * math.log(n / r) + S * math.log(n / HN[k]) + (WN[k] + S) * (HN[k] - n) / HN[k]
        u_r += WR[k] * math.log(r / n) + S * math.log(r / HR[k]) + (WR[k] + S) * (HR[k] - r) / HR[k]
    return u_n, u_r


def _options(problem, k):
    issue = problem.agreements.issue(k)
    return [(label, None if label == "no limit" else int(issue.value_of(label))) for label in issue.options]


def test_no_deal_point_is_todays_force_ratio():
    problem = ng.load("cfe2").problem_at({})
    # d_NATO = log(900/2000) + log(2500/4500)/2 + log(800/1800) + log(450/300)/4 + log(150/100)/4
    d_nato = math.log(0.45) + math.log(5 / 9) / 2 + math.log(4 / 9) + math.log(1.5) / 4 + math.log(1.5) / 4
    d_russia = (math.log(20 / 9) + math.log(9 / 5) + math.log(9 / 4)) / 4 + math.log(2 / 3) + math.log(2 / 3) / 2
    assert [float(x) for x in problem.disagreement] == pytest.approx([d_nato, d_russia], rel=1e-12)
    assert _utilities(dict.fromkeys(CATEGORIES)) == pytest.approx((d_nato, d_russia), rel=1e-12)


def test_symmetric_single_ceiling_closed_form():
    # One category, equal holdings H = 1200, w = s = 1/4 for both, others at no limit. Below H both
    # hold c, the ratio term is 0 and u(c) - d = s log(c/H) + (w + s)(1 - c/H) for both;
    # FOC s/c = (w + s)/H  =>  c* = s H/(w + s) = (1/4)(1200)/(1/2) = 600, an option.
    # Gain at c*: (1/4) log(1/2) + (1/2)(1/2) = 1/4 - log(2)/4 ≈ 0.0767 for each side.
    values = {"HN_tanks": 1200, "HR_tanks": 1200, "wN_tanks": F(1, 4), "wR_tanks": F(1, 4)}
    problem = ng.load("cfe2").problem_at(values)
    result = bargain(restrict(problem, ["tanks"]))
    for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        assert result[name].agreement.terms["tanks"] == "600"
        gains = [float(u - d) for u, d in zip(result[name].utilities, problem.disagreement)]
        assert gains == pytest.approx([0.25 - math.log(2) / 4] * 2, abs=1e-12)


def test_package_nash_matches_brute_force_and_zone_is_non_empty():
    problem = ng.load("cfe2").problem_at({})
    result = bargain(problem, "nash")
    assert not result.zone.empty
    d = _utilities(dict.fromkeys(CATEGORIES))
    best, best_product = None, -1.0
    for combination in itertools.product(*(_options(problem, k) for k in CATEGORIES)):
        u = _utilities({k: value for k, (_, value) in zip(CATEGORIES, combination)})
        gains = (u[0] - d[0], u[1] - d[1])
        if min(gains) >= 0 and gains[0] * gains[1] > best_product:
            best, best_product = {k: label for k, (label, _) in zip(CATEGORIES, combination)}, gains[0] * gains[1]
    assert result["nash"].agreement.terms == best
    # the package trades: Russian ground forces cut to NATO's level or below, NATO air cut to Russia's or below
    assert int(best["tanks"].replace(",", "")) <= 900 and int(best["aircraft"].replace(",", "")) <= 300


def test_no_category_can_be_agreed_alone_but_the_package_can():
    # Brute force: for each category alone (others at no limit), every ceiling other than "no limit"
    # (and the larger side's own level, which changes nothing) leaves one side strictly worse off.
    problem = ng.load("cfe2").problem_at({})
    d = _utilities(dict.fromkeys(CATEGORIES))
    for k in CATEGORIES:
        for _, value in _options(problem, k):
            u = _utilities({**dict.fromkeys(CATEGORIES), k: value})
            assert min(u[0] - d[0], u[1] - d[1]) <= 1e-12
    result = issue_by_issue(problem)
    assert all(not s.agreed for s in result.settlements)
    assert result.status_quo == dict.fromkeys(CATEGORIES, "no limit")
    assert result.dominated
    assert all(g > 0.5 for g in result.linkage_gains)          # ≈ 2.57 (NATO), ≈ 0.56 (Russia)


def test_dearer_equipment_makes_single_category_deals_possible():
    # upkeep_scale = 2: the calibrated arms-race holdings are now too costly; by the symmetric FOC logic
    # each side would cut some of its own holdings anyway, so some category settles alone.
    problem = ng.load("cfe2").problem_at({"upkeep_scale": 2})
    result = issue_by_issue(problem)
    assert any(s.agreed for s in result.settlements)
