"""Tests for negotiation.bargaining.rubinstein (alternating offers).

Closed forms (domain.md §M7):
* Rubinstein (1982), Econometrica 50(1): first proposer (1-δ2)/(1-δ1δ2),
  responder δ2(1-δ1)/(1-δ1δ2); equal discounts 1/(1+δ) and δ/(1+δ).
* Finite horizon (Ståhl 1972), backward induction: T=1 → 1, T=2 → 1-δ2,
  T=3 → 1-δ2(1-δ1); the error shrinks by δ1δ2 every two rounds.
* Outside options (Osborne & Rubinstein 1990 §3.12; domain.md [D]): with a
  common δ and an option b for the responder, nothing changes if
  b <= δ/(1+δ); otherwise 1 offers (1-b, b) and 2 offers (δ(1-b), 1-δ(1-b)).
* Frequent offers (Binmore, Rubinstein & Wolinsky 1986): δi = exp(-ri Δ),
  Δ → 0 gives party 1 the share r2/(r1+r2).
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.bargaining.rubinstein import rubinstein, rubinstein_continuous_time

F = Fraction
LABELS = ("NATO", "Russia")

discounts = st.fractions(min_value=0, max_value=1, max_denominator=40)
open_discounts = st.fractions(min_value=F(1, 40), max_value=F(39, 40), max_denominator=40)


def closed_form(d1, d2):
    """Rubinstein (1982): (first proposer's share, responder's share)."""
    return (1 - d2) / (1 - d1 * d2), d2 * (1 - d1) / (1 - d1 * d2)


# --------------------------------------------------------------------------
# Infinite horizon: closed forms
# --------------------------------------------------------------------------


def test_closed_form_by_hand():
    # δ1 = 9/10, δ2 = 4/5: x1 = (1/5)/(1 - 18/25) = 5/7, x2 = (4/5)(1/10)/(7/25) = 2/7
    result = rubinstein(F(9, 10), F(4, 5), players=LABELS)
    assert result.shares == {"NATO": F(5, 7), "Russia": F(2, 7)}
    assert all(isinstance(v, Fraction) for v in result.shares.values())
    assert result.exact and not result.symbolic and result.method == "closed_form"
    assert result.provenance == "published" and result.binding_options == ()


@pytest.mark.parametrize("delta", [F(0), F(1, 10), F(1, 2), F(9, 10), F(99, 100)])
def test_equal_discounts_one_over_one_plus_delta(delta):
    result = rubinstein(delta, delta)
    assert result.shares == {"Player 1": 1 / (1 + delta), "Player 2": delta / (1 + delta)}


def test_second_proposer_gets_its_own_proposer_share():
    # Russia proposes first: it gets (1-δ_NATO)/(1-δ1δ2) = (1/10)/(7/25) = 5/14
    result = rubinstein(F(9, 10), F(4, 5), players=LABELS, proposer="Russia")
    assert result.proposer == "Russia"
    assert result.shares == {"NATO": F(9, 14), "Russia": F(5, 14)}
    assert rubinstein(F(9, 10), F(4, 5), players=LABELS, proposer=1).shares == result.shares


def test_offers_and_acceptance_thresholds_are_stationary():
    d1, d2 = F(9, 10), F(4, 5)
    result = rubinstein(d1, d2, players=LABELS)
    # Each responder accepts exactly the discounted value of proposing next period.
    assert result.acceptance_thresholds["Russia"] == d2 * result.offers["Russia"]["Russia"]
    assert result.acceptance_thresholds["NATO"] == d1 * result.offers["NATO"]["NATO"]
    assert result.offers["NATO"] == result.shares
    assert any("Russia accepts any offer giving it at least 2/7" in s for s in result.strategies)


def test_pie_scales_shares():
    assert rubinstein("1/2", "1/2", pie=30).shares == {"Player 1": 20, "Player 2": 10}


def test_float_inputs_give_floats_close_to_exact():
    result = rubinstein(0.9, 0.8)
    assert not result.exact and isinstance(result.shares["Player 1"], float)
    assert result.shares["Player 1"] == pytest.approx(5 / 7, rel=1e-12)


def test_symbolic_shares_equal_closed_form():
    d1, d2 = sympy.symbols("delta_1 delta_2", positive=True)
    result = rubinstein(d1, d2, players=LABELS)
    x1, x2 = closed_form(d1, d2)
    assert sympy.simplify(result.shares["NATO"] - x1) == 0
    assert sympy.simplify(result.shares["Russia"] - x2) == 0
    assert result.symbolic and result.exact


def test_symbolic_equal_discounts():
    delta = sympy.Symbol("delta", positive=True)
    result = rubinstein(delta, delta)
    assert sympy.simplify(result.shares["Player 1"] - 1 / (1 + delta)) == 0
    assert sympy.simplify(result.shares["Player 2"] - delta / (1 + delta)) == 0


# --------------------------------------------------------------------------
# Outside options
# --------------------------------------------------------------------------


def test_outside_option_below_share_changes_nothing():
    # δ = 1/2: Russia's share as responder is δ/(1+δ) = 1/3; option 3/10 < 1/3
    plain = rubinstein("1/2", "1/2", players=LABELS)
    result = rubinstein("1/2", "1/2", players=LABELS, outside_options={"Russia": F(3, 10)})
    assert result.shares == plain.shares == {"NATO": F(2, 3), "Russia": F(1, 3)}
    assert result.binding_options == ()
    assert result.provenance == "toolkit parametrisation"
    assert any("changes nothing" in s for s in result.strategies)


def test_outside_option_at_the_boundary_changes_nothing():
    result = rubinstein("1/2", "1/2", players=LABELS, outside_options={"Russia": F(1, 3)})
    assert result.shares == {"NATO": F(2, 3), "Russia": F(1, 3)} and result.binding_options == ()


def test_outside_option_that_binds_gives_exactly_the_option():
    # b = 2/5 > 1/3: NATO offers (1-b, b) = (3/5, 2/5); Russia offers (δ(1-b), 1-δ(1-b)) = (3/10, 7/10)
    result = rubinstein("1/2", "1/2", players=LABELS, outside_options={"Russia": F(2, 5)})
    assert result.shares == {"NATO": F(3, 5), "Russia": F(2, 5)}
    assert result.offers["Russia"] == {"NATO": F(3, 10), "Russia": F(7, 10)}
    assert result.binding_options == ("Russia",)
    assert any("opts out" in s for s in result.strategies)


def test_outside_option_of_the_proposer_side_when_responding():
    # NATO's option 4/5 > its responder share δ1·x1 with unequal discounts 9/10, 4/5
    # (9/10 · 5/7 = 9/14 < 4/5): binds when Russia proposes; NATO proposing gets 1 - δ2(1 - 4/5)
    result = rubinstein(F(9, 10), F(4, 5), players=LABELS, outside_options=[F(4, 5), None])
    assert result.offers["Russia"] == {"NATO": F(4, 5), "Russia": F(1, 5)}
    assert result.shares == {"NATO": 1 - F(4, 5) * F(1, 5), "Russia": F(4, 5) * F(1, 5)}
    assert result.binding_options == ("NATO",)


def test_both_options_bind():
    # δ = 1/2, b_NATO = 3/5, b_Russia = 1/2: b2 >= δ(1-b1) = 1/5 and b1 >= δ(1-b2) = 1/4
    result = rubinstein("1/2", "1/2", players=LABELS, outside_options={"NATO": "3/5", "Russia": "1/2"})
    assert result.acceptance_thresholds == {"NATO": F(3, 5), "Russia": F(1, 2)}
    assert result.shares == {"NATO": F(1, 2), "Russia": F(1, 2)}
    assert set(result.binding_options) == {"NATO", "Russia"}


def test_symbolic_outside_option_is_piecewise_and_matches_numbers():
    delta, b = sympy.symbols("delta b", positive=True)
    result = rubinstein(delta, delta, outside_options=[None, b])
    share = result.shares["Player 2"]
    assert result.binding_options is None
    for d, option in [(F(1, 2), F(3, 10)), (F(1, 2), F(2, 5)), (F(9, 10), F(1, 2))]:
        numeric = rubinstein(d, d, outside_options=[None, option]).shares["Player 2"]
        assert share.subs({delta: d, b: option}) == sympy.Rational(numeric.numerator, numeric.denominator)


@settings(max_examples=60, deadline=None)
@given(open_discounts, open_discounts, st.fractions(0, 1, max_denominator=30), st.fractions(0, 1, max_denominator=30))
def test_outside_option_fixed_point(d1, d2, b1, b2):
    """Responders' shares solve s2 = max(b2, δ2(1 - s1)), s1 = max(b1, δ1(1 - s2))."""
    result = rubinstein(d1, d2, outside_options=[b1, b2])
    s1, s2 = result.acceptance_thresholds["Player 1"], result.acceptance_thresholds["Player 2"]
    assert s2 == max(b2, d2 * (1 - s1))
    assert s1 == max(b1, d1 * (1 - s2))
    assert sum(result.shares.values()) == 1


@settings(max_examples=60, deadline=None)
@given(open_discounts, open_discounts, st.fractions(-1, 1, max_denominator=30))
def test_outside_option_principle(d1, d2, b):
    """Only an option above the responder's Rubinstein share matters; then it gets exactly b."""
    plain = rubinstein(d1, d2).shares
    result = rubinstein(d1, d2, outside_options=[None, b]).shares
    if b <= plain["Player 2"]:
        assert result == plain
    else:
        assert result == {"Player 1": 1 - b, "Player 2": b}


def test_option_larger_than_pie_is_rejected():
    with pytest.raises(ValueError, match="exceeds the pie"):
        rubinstein("1/2", "1/2", players=LABELS, outside_options={"Russia": 2})


# --------------------------------------------------------------------------
# Finite horizon
# --------------------------------------------------------------------------


def test_finite_horizon_by_hand():
    d1, d2 = F(1, 2), F(2, 3)
    # T = 1: ultimatum, the proposer takes everything
    assert rubinstein(d1, d2, horizon=1).shares == {"Player 1": 1, "Player 2": 0}
    # T = 2: player 2 would take everything in round 2, so it accepts δ2 now: x1 = 1 - δ2 = 1/3
    assert rubinstein(d1, d2, horizon=2).shares == {"Player 1": F(1, 3), "Player 2": F(2, 3)}
    # T = 3: round 2, player 2 offers δ1 = 1/2; round 1: x1 = 1 - δ2(1 - δ1) = 1 - 1/3 = 2/3
    result = rubinstein(d1, d2, horizon=3)
    assert result.shares == {"Player 1": F(2, 3), "Player 2": F(1, 3)}
    assert [r["proposer"] for r in result.rounds] == ["Player 1", "Player 2", "Player 1"]
    assert result.rounds[-1]["shares"] == {"Player 1": 1, "Player 2": 0}  # last proposer takes all
    assert result.method == "backward_induction" and result.horizon == 3


def test_finite_horizon_symbolic_closed_forms():
    d1, d2 = sympy.symbols("delta_1 delta_2", positive=True)
    assert sympy.simplify(rubinstein(d1, d2, horizon=2).shares["Player 1"] - (1 - d2)) == 0
    assert sympy.simplify(rubinstein(d1, d2, horizon=3).shares["Player 1"] - (1 - d2 * (1 - d1))) == 0


def test_finite_horizon_converges_geometrically():
    """x(T) - x* = (δ1δ2)^k (x(T - 2k) - x*): the error shrinks by δ1δ2 every two rounds."""
    d1, d2 = F(9, 10), F(4, 5)
    limit = closed_form(d1, d2)[0]
    errors = {T: rubinstein(d1, d2, horizon=T).shares["Player 1"] - limit for T in range(1, 61)}
    for T in range(3, 61):
        assert errors[T] == d1 * d2 * errors[T - 2]
    assert all(errors[T] > 0 for T in range(1, 61, 2))  # odd horizons: above the limit
    assert all(errors[T] < 0 for T in range(2, 61, 2))  # even horizons: below
    assert abs(errors[60]) < F(1, 10**4)


def test_finite_horizon_with_outside_option():
    # T = 1, Russia's option 1/4: the last proposer gets 1 - 1/4
    result = rubinstein("1/2", "1/2", players=LABELS, horizon=1, outside_options={"Russia": "1/4"})
    assert result.shares == {"NATO": F(3, 4), "Russia": F(1, 4)}
    assert result.binding_options == ("Russia",)


# --------------------------------------------------------------------------
# Continuous time
# --------------------------------------------------------------------------


def test_frequent_offers_limit_is_asymmetric_nash():
    result = rubinstein_continuous_time(1, 3, players=LABELS)
    assert result.shares == {"NATO": F(3, 4), "Russia": F(1, 4)}
    # the first-mover advantage vanishes
    assert rubinstein_continuous_time(1, 3, players=LABELS, proposer="Russia").shares == result.shares


def test_limit_of_symbolic_discrete_shares():
    r1, r2, step = sympy.symbols("r_1 r_2 Delta", positive=True)
    share = rubinstein_continuous_time(r1, r2, period_length=step).shares["Player 1"]
    assert sympy.simplify(sympy.limit(share, step, 0) - r2 / (r1 + r2)) == 0


def test_small_period_length_approaches_the_limit():
    shares = [rubinstein_continuous_time(1, 3, period_length=h).shares["Player 1"] for h in (0.1, 0.01, 0.001)]
    gaps = [abs(s - 0.75) for s in shares]
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 1e-3


def test_limit_with_outside_option():
    # Nash share of Russia 1/4 < option 2/5: Russia gets exactly 2/5
    result = rubinstein_continuous_time(1, 3, players=LABELS, outside_options={"Russia": "2/5"})
    assert result.shares == {"NATO": F(3, 5), "Russia": F(2, 5)}


# --------------------------------------------------------------------------
# Output and validation
# --------------------------------------------------------------------------


def test_to_dict_and_text():
    result = rubinstein("9/10", "4/5", players=LABELS, outside_options={"Russia": "2/5"})
    data = json.loads(json.dumps(result.to_dict()))
    assert data["shares"] == {"NATO": "3/5", "Russia": "2/5"}
    assert data["discount_factors"] == {"NATO": "9/10", "Russia": "4/5"}
    assert data["provenance"] == "toolkit parametrisation"
    text = result.to_text()
    assert "NATO" in text and "Russia" in text and "outside-option principle" in text
    finite = rubinstein("1/2", "1/2", horizon=2).to_dict()
    assert [r["round"] for r in finite["rounds"]] == [1, 2]
    symbolic = rubinstein(sympy.Symbol("d"), "1/2").to_dict()
    assert isinstance(symbolic["shares"]["Player 1"], str)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"delta_1": "3/2", "delta_2": "1/2"}, "must be in \\[0, 1\\]"),
        ({"delta_1": 1, "delta_2": 1}, "delta_1 \\* delta_2 < 1"),
        ({"delta_1": "1/2", "delta_2": "1/2", "pie": 0}, "pie must be positive"),
        ({"delta_1": "1/2", "delta_2": "1/2", "proposer": "USA"}, "unknown proposer"),
        ({"delta_1": "1/2", "delta_2": "1/2", "horizon": 0}, "horizon"),
        ({"delta_1": "1/2", "delta_2": "1/2", "horizon": True}, "horizon"),
        ({"delta_1": "1/2", "delta_2": "1/2", "players": ("NATO", "NATO")}, "different labels"),
        ({"delta_1": "x", "delta_2": "1/2"}, "discount factor of Player 1"),
    ],
)
def test_invalid_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rubinstein(kwargs.pop("delta_1"), kwargs.pop("delta_2"), **kwargs)


def test_finite_horizon_allows_perfect_patience():
    # δ = 1 both, T = 2: responder waits for the last round and takes everything
    assert rubinstein(1, 1, horizon=2).shares == {"Player 1": 0, "Player 2": 1}


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(discounts, discounts, st.sampled_from([0, 1]), st.fractions(F(1, 10), 10, max_denominator=10))
def test_shares_sum_to_pie_and_are_in_range(d1, d2, proposer, pie):
    if d1 * d2 == 1:
        d1 = F(1, 2)
    result = rubinstein(d1, d2, proposer=proposer, pie=pie)
    assert sum(result.shares.values()) == pie
    assert all(0 <= v <= pie for v in result.shares.values())


@settings(max_examples=80, deadline=None)
@given(open_discounts, open_discounts, open_discounts)
def test_monotone_in_patience(d1, d1_other, d2):
    """More patience raises one's own share; the other's patience lowers it."""
    low, high = sorted((d1, d1_other))
    for proposer in (0, 1):
        assert rubinstein(low, d2, proposer=proposer).shares["Player 1"] <= rubinstein(
            high, d2, proposer=proposer
        ).shares["Player 1"]
        assert rubinstein(d2, low, proposer=proposer).shares["Player 1"] >= rubinstein(
            d2, high, proposer=proposer
        ).shares["Player 1"]


@settings(max_examples=60, deadline=None)
@given(open_discounts, open_discounts)
def test_first_mover_advantage(d1, d2):
    as_proposer = rubinstein(d1, d2).shares["Player 1"]
    as_responder = rubinstein(d1, d2, proposer=1).shares["Player 1"]
    assert as_proposer >= as_responder
    assert (as_proposer, 1 - as_proposer) == closed_form(d1, d2)


@settings(max_examples=40, deadline=None)
@given(discounts, discounts, st.integers(1, 12))
def test_finite_shares_sum_to_pie(d1, d2, horizon):
    result = rubinstein(d1, d2, horizon=horizon)
    assert sum(result.shares.values()) == 1 and all(0 <= v <= 1 for v in result.shares.values())
