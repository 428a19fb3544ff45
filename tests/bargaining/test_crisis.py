"""Tests for negotiation.bargaining.crisis (Fearon 1995; Powell 2006).

Closed forms (domain.md §M5, §M6):
* Bargaining range [S]: A's shares in [p - c_A, p + c_B] are preferred by both to war.
* Risk aversion, u(x) = x^a: endpoints (p - c_A)^(1/a) and 1 - (1 - p - c_B)^(1/b).
* Risk–return trade-off [D]: c_B ~ U[0, c̄], A maximises
  U(x) = (1 - (x-p)/c̄)·x + ((x-p)/c̄)·(p - c_A) ⇒ x* = p + (c̄ - c_A)/2,
  Pr(war) = (c̄ - c_A)/(2c̄) if c_A < c̄, else x* = p and no war.
* Commitment problem [D]: war iff δ·p' - p > c_S + δ·c_D (infinite horizon),
  iff p' - p > c_S + c_D as δ → 1; domain.md example δ = 9/10, p = 3/10,
  p' = 6/10, c = 1/10: 6/25 > 19/100 ⇒ war.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from negotiation.bargaining.crisis import (
    ENDPOINT_TOLERANCE,
    bargaining_range,
    commitment_problem,
    risk_return_tradeoff,
)

F = Fraction
LABELS = ("NATO", "Russia")
probabilities = st.fractions(0, 1, max_denominator=40)
costs = st.fractions(0, F(1, 2), max_denominator=40)


# --------------------------------------------------------------------------
# Bargaining range
# --------------------------------------------------------------------------


def test_fearon_range_by_hand():
    # p = 1/2, c_A = 1/10, c_B = 1/5: [1/2 - 1/10, 1/2 + 1/5] = [2/5, 7/10]
    result = bargaining_range(F(1, 2), F(1, 10), F(1, 5), players=LABELS)
    assert (result.low, result.high) == (F(2, 5), F(7, 10))
    assert result.width == F(3, 10) and result.status == "non-empty"
    assert result.war_values == {"NATO": F(2, 5), "Russia": F(3, 10)}
    assert result.provenance == "published" and result.exact
    assert result.contains("1/2") and result.contains(F(2, 5)) and not result.contains("3/4")
    # both prefer an interior deal to war: x > p - c_A for A, 1 - x > 1 - p - c_B for B
    x = F(1, 2)
    assert x > result.war_values["NATO"] and 1 - x > result.war_values["Russia"]


def test_zero_costs_give_a_degenerate_range():
    result = bargaining_range("1/2", 0, 0, players=LABELS)
    assert result.status == "degenerate" and result.low == result.high == F(1, 2)
    assert "indifferent" in result.statement and "no split is strictly preferred" in result.statement


def test_negative_total_cost_gives_an_empty_range():
    result = bargaining_range("1/2", "-1/5", "1/10")
    assert result.status == "empty" and result.width < 0 and not result.contains("1/2")


def test_range_is_clipped_to_the_good():
    result = bargaining_range("1/20", "1/10", "1/10")
    assert result.low == F(-1, 20) and result.feasible_low == 0 and result.feasible_high == F(3, 20)


def test_symbolic_range():
    p, c_A, c_B = sympy.symbols("p c_A c_B", positive=True)
    result = bargaining_range(p, c_A, c_B)
    assert sympy.simplify(result.low - (p - c_A)) == 0
    assert sympy.simplify(result.high - (p + c_B)) == 0
    assert sympy.simplify(result.width - (c_A + c_B)) == 0
    assert result.symbolic and result.status == "symbolic"


def test_risk_aversion_exact_endpoints():
    # a = 1/2: u(x) = sqrt(x); A: sqrt(x) = 2/5 ⇒ x = 4/25; B: sqrt(1-x) = 3/10 ⇒ x = 1 - 9/100
    result = bargaining_range("1/2", "1/10", "1/5", utility_exponents="1/2", players=LABELS)
    assert (result.low, result.high) == (F(4, 25), F(91, 100))
    assert result.exact and result.provenance == "toolkit parametrisation"
    assert result.low < result.risk_neutral_low and result.high > result.risk_neutral_high


def test_risk_aversion_irrational_endpoints_within_tolerance():
    # a = 2/3: low = (2/5)^(3/2) = 2·sqrt(10)/25, irrational
    result = bargaining_range("1/2", "1/10", "1/5", utility_exponents=("2/3", "3/4"))
    assert isinstance(result.low, float) and not result.exact
    assert sympy.simplify(result.exact_endpoints["low"] - 2 * sympy.sqrt(10) / 25) == 0
    assert abs(result.low ** (2 / 3) - 0.4) <= ENDPOINT_TOLERANCE
    assert abs((1 - result.high) ** 0.75 - 0.3) <= ENDPOINT_TOLERANCE
    assert any("irrational endpoint" in m for m in result.messages)


def test_risk_aversion_creates_a_range_without_costs():
    result = bargaining_range("1/2", 0, 0, utility_exponents="1/2")
    assert result.status == "non-empty" and (result.low, result.high) == (F(1, 4), F(3, 4))


@settings(max_examples=60, deadline=None)
@given(probabilities, costs, costs, st.sampled_from([F(1, 4), F(1, 3), F(1, 2), F(2, 3), F(1)]))
def test_risk_aversion_widens_the_range(p, c_A, c_B, a):
    neutral = bargaining_range(p, c_A, c_B)
    averse = bargaining_range(p, c_A, c_B, utility_exponents=a)
    assert averse.low <= neutral.feasible_low + 1e-15
    assert averse.high >= neutral.feasible_high - 1e-15
    # at the endpoints each side is indifferent (or prefers every split to war)
    if p - c_A > 0:
        assert abs(float(averse.low) ** float(a) - float(p - c_A)) <= 1e-12


# --------------------------------------------------------------------------
# Risk-return trade-off
# --------------------------------------------------------------------------


def expected_utility(x, p, c_A, c_bar):
    """A's expected utility from demanding x: B (cost ~ U[0, c̄]) accepts iff x <= p + c_B."""
    accept = 1 - (x - p) / c_bar
    accept = 1 if accept > 1 else 0 if accept < 0 else accept
    return accept * x + (1 - accept) * (p - c_A)


def expected_utility_on_grid(grid, p, c_A, c_bar):
    accept = np.clip(1 - (grid - p) / c_bar, 0, 1)
    return accept * grid + (1 - accept) * (p - c_A)


def test_risk_return_closed_form_by_hand():
    # p = 1/2, c_A = 1/10, c̄ = 3/10: x* = 1/2 + (3/10 - 1/10)/2 = 3/5; Pr(war) = (1/5)/(3/5) = 1/3
    result = risk_return_tradeoff("1/2", "1/10", "3/10", players=LABELS)
    assert result.offer == F(3, 5) and result.probability_of_war == F(1, 3)
    # U(3/5) = (2/3)(3/5) + (1/3)(2/5) = 8/15
    assert result.expected_utility == F(8, 15)
    assert result.interior and not result.capped
    assert result.provenance == "toolkit parametrisation"


def test_risk_return_no_risk_when_own_cost_is_high():
    result = risk_return_tradeoff("1/2", "2/5", "3/10")
    assert result.offer == F(1, 2) and result.probability_of_war == 0 and result.interior is False


def test_risk_return_against_numeric_maximisation():
    p, c_A, c_bar = 0.45, 0.1, 0.35
    result = risk_return_tradeoff(p, c_A, c_bar)
    best = minimize_scalar(
        lambda x: -expected_utility(x, p, c_A, c_bar), bounds=(0, 1), method="bounded", options={"xatol": 1e-10}
    )
    assert result.offer == pytest.approx(best.x, abs=1e-6)
    assert result.expected_utility == pytest.approx(-best.fun, abs=1e-12)
    assert result.probability_of_war == pytest.approx((c_bar - c_A) / (2 * c_bar))


@settings(max_examples=60, deadline=None)
@given(probabilities, costs, st.fractions(F(1, 40), F(1, 2), max_denominator=40))
def test_risk_return_beats_every_offer_on_a_grid(p, c_A, c_bar):
    result = risk_return_tradeoff(p, c_A, c_bar)
    values = expected_utility_on_grid(np.linspace(0, 1, 20001), float(p), float(c_A), float(c_bar))
    assert float(result.expected_utility) >= values.max() - 1e-12
    assert result.expected_utility == expected_utility(result.offer, p, c_A, c_bar)  # exact
    assert 0 <= result.probability_of_war <= F(1, 2)
    if c_A < c_bar and not result.capped:
        assert result.offer == p + (c_bar - c_A) / 2
        assert result.probability_of_war == (c_bar - c_A) / (2 * c_bar)


def test_risk_return_symbolic_is_the_stationary_point():
    p, c_A, c_bar, x = sympy.symbols("p c_A c_bar x", positive=True)
    result = risk_return_tradeoff(p, c_A, c_bar)
    utility = (1 - (x - p) / c_bar) * x + ((x - p) / c_bar) * (p - c_A)
    stationary = sympy.solve(sympy.diff(utility, x), x)[0]
    interior_offer = result.offer.args[0][0]
    assert sympy.simplify(interior_offer - stationary) == 0
    assert sympy.simplify(result.probability_of_war.args[0][0] - (c_bar - c_A) / (2 * c_bar)) == 0
    assert result.offer.subs({p: F(1, 2), c_A: F(1, 10), c_bar: F(3, 10)}) == sympy.Rational(3, 5)
    assert result.offer.subs({p: F(1, 2), c_A: F(2, 5), c_bar: F(3, 10)}) == sympy.Rational(1, 2)


# --------------------------------------------------------------------------
# Commitment problem
# --------------------------------------------------------------------------


def test_commitment_domain_example():
    # δ = 9/10, p: 3/10 → 6/10, c = 1/10: δp' - p = 6/25 > c_S + δc_D = 19/100 ⇒ war
    result = commitment_problem("3/10", "6/10", "1/10", "1/10", discount="9/10", players=("Russia", "NATO"))
    assert result.war is True
    # threshold (c_S + δc_D + (1-δ)p)/δ = (1/10 + 9/100 + 3/100)/(9/10) = 11/45
    assert result.threshold_shift == F(11, 45) and result.shift == F(3, 10)
    # Values (sums over periods): war for Russia (1 - 3/10 - 1/10)·10 = 6; NATO must get
    # max(Φ_D now = 2, δ·(6/10 - 1/10)·10 = 9/2) = 9/2, so peace leaves Russia 10 - 9/2 = 11/2 < 6
    assert result.values["declining war value"] == 6
    assert result.values["rising minimum"] == F(9, 2)
    assert result.values["declining peace value"] == F(11, 2)
    assert result.values["surplus"] == 2
    assert result.provenance == "toolkit parametrisation"


def test_commitment_two_periods_by_hand():
    # δ = 1, p = 1/10, c_S = c_D = 1/10. War now: S gets (1 - 1/10 - 1/10)·2 = 8/5.
    # Peace: period 2 pays D p' - c_D; S gives 0 now, keeps 1 + 1 - (p' - 1/10).
    # War iff 8/5 > 21/10 - p' iff p' > 1/2: threshold shift 2/5 (= 2c_S + c_D + p).
    at_threshold = commitment_problem("1/10", "1/2", "1/10", "1/10", horizon=2)
    assert at_threshold.threshold_shift == F(2, 5) and at_threshold.war is False
    assert at_threshold.values["declining war value"] == at_threshold.values["declining peace value"] == F(8, 5)
    beyond = commitment_problem("1/10", "3/5", "1/10", "1/10", horizon=2)
    assert beyond.war is True and beyond.values["declining peace value"] == F(3, 2)


def test_commitment_patient_limit():
    result = commitment_problem("3/10", "6/10", "1/10", "1/10")
    assert result.threshold_shift == F(1, 5) and result.war is True and result.values == {}
    assert commitment_problem("3/10", "1/2", "1/10", "1/10").war is False


def test_commitment_symbolic_conditions():
    p, q, c_S, c_D, delta = sympy.symbols("p_now p_next c_S c_D delta", positive=True)
    infinite = commitment_problem(p, q, c_S, c_D, discount=delta)
    # shift > threshold  ⇔  δp' - p > c_S + δc_D  (multiply by δ > 0)
    lhs = delta * (infinite.shift - infinite.threshold_shift)
    assert sympy.simplify(lhs - (delta * q - p - c_S - delta * c_D)) == 0
    assert sympy.limit(infinite.threshold_shift, delta, 1) == c_S + c_D
    two = commitment_problem(p, q, c_S, c_D, discount=delta, horizon=2)
    lhs = delta * (two.shift - two.threshold_shift)
    assert sympy.simplify(lhs - (delta * q - (1 + delta) * p - (1 + delta) * c_S - delta * c_D)) == 0
    values = {p: F(3, 10), q: F(6, 10), c_S: F(1, 10), c_D: F(1, 10), delta: F(9, 10)}
    assert bool(infinite.war.subs(values)) is True
    assert infinite.threshold_shift.subs(values) == sympy.Rational(11, 45)


def brute_force_two_periods(p, q, c_S, c_D, delta, step=F(1, 100)):
    """Backward induction by searching S's offers; True iff S attacks in period 1.

    The offers searched are a grid plus the offers that leave D exactly
    indifferent (so the search is exact); D accepts when indifferent, S
    attacks only if that is strictly better.
    """
    grid = [k * step for k in range(int(1 / step) + 1)]
    # period 2 (power q): S attacks or offers x2; D accepts iff x2 >= q - c_D (war for one period)
    s_attack_2 = 1 - q - c_S
    accepted = [x for x in grid + [min(1, max(0, q - c_D))] if x >= q - c_D]
    s_peace_2 = max(1 - x for x in accepted)
    s2 = max(s_attack_2, s_peace_2)
    d2 = (q - c_D) if s_attack_2 > s_peace_2 else min(accepted)
    # period 1 (power p): war locks in p for both periods
    s_attack = (1 - p - c_S) * (1 + delta)
    d_war = (p - c_D) * (1 + delta)
    exact_offer = min(1, max(0, d_war - delta * d2))
    acceptable = [x for x in grid + [exact_offer] if x + delta * d2 >= d_war]
    s_peace = max(1 - x + delta * s2 for x in acceptable)
    return s_attack > s_peace


@settings(max_examples=40, deadline=None)
@given(
    st.fractions(0, F(1, 2), max_denominator=20),
    st.fractions(0, F(1, 2), max_denominator=20),
    st.fractions(0, F(1, 5), max_denominator=20),
    st.fractions(0, F(1, 5), max_denominator=20),
    st.sampled_from([F(1, 2), F(3, 4), F(9, 10), F(1)]),
)
def test_commitment_two_periods_against_brute_force(p, rise, c_S, c_D, delta):
    q = p + rise
    result = commitment_problem(p, q, c_S, c_D, discount=delta, horizon=2)
    assert result.war == brute_force_two_periods(p, q, c_S, c_D, delta)


@settings(max_examples=60, deadline=None)
@given(
    probabilities,
    probabilities,
    costs,
    costs,
    st.fractions(F(1, 20), F(19, 20), max_denominator=20),
    st.sampled_from([None, 2, 3, 5]),
)
def test_threshold_agrees_with_values(p, q, c_S, c_D, delta, horizon):
    """War iff the declining state's war value beats its best peace iff shift > threshold."""
    p, q = sorted((p, q))
    result = commitment_problem(p, q, c_S, c_D, discount=delta, horizon=horizon)
    values = result.values
    assert result.war == (values["declining war value"] > values["declining peace value"])
    assert result.war == (values["rising minimum"] - values["rising war value"] > values["surplus"])


def test_commitment_threshold_falls_with_patience():
    thresholds = [commitment_problem("3/10", "6/10", "1/10", "1/10", discount=d).threshold_shift
                  for d in (F(1, 2), F(3, 4), F(9, 10), F(99, 100))]
    assert thresholds == sorted(thresholds, reverse=True) and thresholds[-1] > F(1, 5)


# --------------------------------------------------------------------------
# Output and validation
# --------------------------------------------------------------------------


def test_to_dict_and_text():
    data = json.loads(json.dumps(bargaining_range("1/2", "1/10", "1/5", players=LABELS).to_dict()))
    assert data["range"] == ["2/5", "7/10"] and data["status"] == "non-empty"
    data = json.loads(json.dumps(risk_return_tradeoff("1/2", "1/10", "3/10").to_dict()))
    assert data["offer"] == "3/5" and data["provenance"] == "toolkit parametrisation"
    result = commitment_problem("3/10", "6/10", "1/10", "1/10", discount="9/10", players=("Russia", "NATO"))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["threshold_shift"] == "11/45" and data["war"] is True
    for text in (result.to_text(), str(bargaining_range("1/2", "1/10", "1/5", players=LABELS))):
        assert "NATO" in text and "Russia" in text


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: bargaining_range("3/2", 0, 0), "probability"),
        (lambda: bargaining_range("1/2", 0, 0, utility_exponents=2), "\\(0, 1\\]"),
        (lambda: bargaining_range("1/2", 0, 0, utility_exponents={"A": "1/2"}), "one exponent per party"),
        (lambda: risk_return_tradeoff("1/2", "1/10", 0), "c_bar"),
        (lambda: risk_return_tradeoff("1/2", "-1/10", "1/2"), ">= 0"),
        (lambda: commitment_problem("1/2", "1/4", 0, 0), "p_now <= p_next"),
        (lambda: commitment_problem("1/4", "1/2", 0, 0, discount=0), "discount"),
        (lambda: commitment_problem("1/4", "1/2", 0, 0, horizon=1), "horizon"),
        (lambda: commitment_problem("1/4", "1/2", "-1/10", 0), ">= 0"),
    ],
)
def test_invalid_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
