"""Membership vs infrastructure (Kortunov): zone emptiness and its thresholds, derived by hand.

At the defaults T = omega*G + v - k = 1, S = -omega*L*(1 - phi) = -15/4, span = T - S = 19/4,
no deal P = v - k - omega*W = -2. Party i accepts iff S + span*score_i - c_i >= P, i.e.
score_i >= tau = (P - S + c)/span = (-2 + 15/4 + 1/2)/(19/4) = 9/19.
"""

from fractions import Fraction as F

import pytest

import negotiation as ng
from negotiation.bargaining import bargain
from negotiation.bargaining.issue_by_issue import issue_by_issue, restrict

STATUS_QUO = {"membership": "admitted", "stationing": 10000}


def _zone(values, issues):
    problem = ng.load("enlargement_vs_infrastructure").problem_at(values)
    return bargain(restrict(problem, issues, STATUS_QUO))


def test_defaults_membership_alone_empty_stationing_alone_not():
    # Membership alone (stationing stays at 10,000, Russia's stationing score 0): Russia's best option is
    # deferral, score wR_membership = 3/10 < 9/19; its shortfall span*(9/19 - 3/10) = 19/4 * 33/190 = 33/40.
    alone = _zone({}, ["membership"])
    assert alone.zone.empty
    assert alone.zone.max_min_gain == F(-33, 40)
    # Stationing alone (membership admitted): NATO score 1/2 + t/2, Russia 7/10 (1 - t), t = stationing/10,000.
    # Gains g_N = span(1/2 - 9/19 + t/2), g_R = span(7/10 - 9/19 - 7t/10); the Nash FOC
    # (1/2) g_R = (7/10) g_N gives t = (43/133 - 7/133)/2 = 18/133, i.e. 180,000/133 ≈ 1,353 troops.
    stationing = _zone({}, ["stationing"])
    assert not stationing.zone.empty
    assert stationing["nash"].agreement.terms["stationing"] == F(180000, 133)
    assert stationing["nash"].utilities == (F(-87, 56), F(-11, 8))
    # Russia accepts up to t = 1 - (9/19)/(7/10) = 43/133: its largest gain is at t = 0, 19/4 * 43/190 = 43/40
    assert stationing.zone.gains[1] == F(43, 40)
    package = _zone({}, ["membership", "stationing"])
    assert not package.zone.empty


@pytest.mark.parametrize("w, membership_open, stationing_open", [
    # membership alone opens when Russia's weight on membership reaches tau = 9/19 (deferral; NATO's score
    # for deferral is 1/2 >= 9/19); stationing alone closes when Russia's stationing weight 1 - w drops below
    # 9/19, i.e. w > 10/19
    (F(3, 10), False, True), (F(9, 19) - F(1, 100), False, True), (F(9, 19), True, True),
    (F(10, 19), True, True), (F(10, 19) + F(1, 100), True, False),
])
def test_threshold_in_russias_weight_on_membership(w, membership_open, stationing_open):
    assert (not _zone({"wR_membership": w}, ["membership"]).zone.empty) is membership_open
    assert (not _zone({"wR_membership": w}, ["stationing"]).zone.empty) is stationing_open


@pytest.mark.parametrize("W, membership_open, stationing_open", [
    # tau(W) = (P - S + c)/span = (13/4 - W/2)/(19/4) = (13 - 2W)/19.
    # Membership alone (deferral): Russia needs tau <= 3/10  <=>  W >= 73/20.
    # Stationing alone: NATO's best acceptable-to-Russia package t = 1 - tau/(7/10) gives NATO
    # 1/2 + (1 - 10 tau/7)/2 >= tau  <=>  tau <= 7/12  <=>  W >= 23/24.
    (F(23, 24) - F(1, 50), False, False), (F(23, 24), False, True), (F(2), False, True),
    (F(73, 20) - F(1, 50), False, True), (F(73, 20), True, True),
])
def test_threshold_in_war_risk(W, membership_open, stationing_open):
    assert (not _zone({"W": W}, ["membership"]).zone.empty) is membership_open
    assert (not _zone({"W": W}, ["stationing"]).zone.empty) is stationing_open


def test_issue_by_issue_at_defaults_settles_stationing_only():
    problem = ng.load("enlargement_vs_infrastructure").problem_at({})
    result = issue_by_issue(problem, status_quo=STATUS_QUO)
    settled = {s.issue: s for s in result.settlements}
    assert not settled["membership"].agreed
    assert settled["stationing"].value == F(180000, 133)
    # the package Nash solution keeps membership admitted: nothing to gain from linkage here
    assert result.package["membership"] == "admitted"
    assert result.linkage_gains == (0, 0)
