"""Membership vs infrastructure under the two status quos (issue 13, item 3), all numbers by hand.

At the defaults T = 1, S = -15/4, span = 19/4, no deal P = -2 and tau = 9/19 for both sides
(see test_enlargement_vs_infrastructure.py). Weights w_N = 1/2, w_R = 3/10; t = ceiling/10,000.

Status quo *deferred*, stationing negotiated alone:
  NATO's score (membership deferred scores 0) is (1 - w_N) t = t/2 >= 9/19  <=>  t >= 18/19,
      a ceiling of at least 180,000/19 troops;
  Russia's score is w_R + (1 - w_R)(1 - t) = 3/10 + 7/10 (1 - t) >= 9/19
      <=>  1 - t >= (9/19 - 3/10)(10/7) = 33/133  <=>  t <= 100/133, at most 1,000,000/133 troops.
  18/19 = 126/133 > 100/133: no zone.
"""

from fractions import Fraction as F

import negotiation as ng
from negotiation.bargaining import bargain
from negotiation.bargaining.issue_by_issue import issue_by_issue, restrict, utilities_at

DEFERRED = {"membership": "deferred", "stationing": 10000}
ADMITTED = {"membership": "admitted", "stationing": 10000}
TAU, SPAN, NO_DEAL = F(9, 19), F(19, 4), F(-2)
W_NATO, W_RUSSIA = F(1, 2), F(3, 10)


def _problem():
    return ng.load("enlargement_vs_infrastructure").problem_at({})


def test_the_two_ceilings_by_hand():
    nato_needs = TAU * 10000 / (1 - W_NATO)
    russia_allows = 10000 * (1 - (TAU - W_RUSSIA) / (1 - W_RUSSIA))
    assert (nato_needs, russia_allows) == (F(180000, 19), F(1000000, 133))
    problem = _problem()
    # the model's own utilities at these ceilings are exactly no deal for the side at its limit
    assert utilities_at(problem, {"membership": "deferred", "stationing": nato_needs})[0] == NO_DEAL
    assert utilities_at(problem, {"membership": "deferred", "stationing": russia_allows})[1] == NO_DEAL
    # and NATO's limit lies above Russia's: the stationing-only zone is empty
    assert nato_needs > russia_allows
    assert bargain(restrict(problem, ["stationing"], DEFERRED)).zone.empty


def test_admitted_status_quo_keeps_kortunovs_conclusion():
    assert not bargain(restrict(_problem(), ["stationing"], ADMITTED)).zone.empty


def test_linkage_gain_is_measured_from_no_deal_when_nothing_is_agreed():
    result = issue_by_issue(_problem(), status_quo=DEFERRED)
    assert not any(s.agreed for s in result.settlements)
    assert result.none_agreed
    assert result.issue_by_issue_utilities == (NO_DEAL, NO_DEAL)
    # Package: admitted with t = 18/133 (the Nash point of the admitted stationing problem).
    # NATO: S + span (1/2 + t/2) - c = -15/4 + 19/4 (1/2 + 9/133) - 1/2 = -87/56;
    # Russia: S + span (7/10)(1 - t) - c = -15/4 + 19/4 * 7/10 * 115/133 - 1/2 = -11/8.
    t = F(18, 133)
    nato = -F(15, 4) + SPAN * (F(1, 2) + t / 2) - F(1, 2)
    russia = -F(15, 4) + SPAN * F(7, 10) * (1 - t) - F(1, 2)
    assert (nato, russia) == (F(-87, 56), F(-11, 8))
    assert result.package == {"membership": "admitted", "stationing": F(180000, 133)}
    assert result.linkage_gains == (nato - NO_DEAL, russia - NO_DEAL) == (F(25, 56), F(5, 8))
    assert result.dominated
    assert "ends in no deal" in result.to_text()
    assert result.to_dict()["issue_by_issue_none_agreed"] is True


def test_the_defect_was_the_status_quo_point_as_baseline():
    # The wrong number (9/28, 29/20) was the package minus the utilities of the status-quo *point*
    # (deferred, 10,000), a treaty nobody signed: NATO S + span/2 - c = -15/8, Russia
    # S + span*3/10 - c = -113/40.
    point = utilities_at(_problem(), DEFERRED)
    assert point == (-F(15, 4) + SPAN / 2 - F(1, 2), -F(15, 4) + SPAN * F(3, 10) - F(1, 2)) == (F(-15, 8), F(-113, 40))
    assert (F(-87, 56) - point[0], F(-11, 8) - point[1]) == (F(9, 28), F(29, 20))
    assert issue_by_issue(_problem(), status_quo=DEFERRED).linkage_gains != (F(9, 28), F(29, 20))


def test_scenario_merges_a_partial_status_quo_with_the_files():
    scenario = ng.load("enlargement_vs_infrastructure")
    assert scenario.issue_by_issue(status_quo={"membership": "deferred"}).status_quo == DEFERRED
    assert scenario.issue_by_issue().status_quo == ADMITTED
