"""The four scenarios of issue 13 item 4 against numbers derived by hand (written out in each test) or from
published closed forms (Avenhaus, von Stengel and Zamir 2002; Dresher 1962; Nowak and Sigmund 1992; Axelrod
1984), never against the toolkit's own output."""

from __future__ import annotations

import contextlib
import io
from fractions import Fraction as F
from math import comb

import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.scenario.model import ScenarioError
from negotiation.scenario.repeated import noisy_settings


def _derived(scenario, name, values=None):
    """A [derived] formula of the file at the parameters (the file's formula, evaluated with sympy)."""
    import sympy

    point = _point(scenario, values or {})
    expression = scenario.derived[name]
    return F(str(expression.xreplace({s: sympy.Rational(str(point[s.name])) for s in expression.free_symbols})))


def _point(scenario, values):
    return {**{k: F(v) for k, v in scenario.parameters.defaults.items()}, **{k: F(v) for k, v in values.items()}}


def _inspection_closed_form(d, s, b, e, c, a, q):
    """Inspection game with a legal alternative worth s >= 0 (Avenhaus, von Stengel and Zamir 2002, §3).

    Inspectee indifferent between the legal move (s for sure) and the violation:
        p (-q b + (1 - q) d) + (1 - p) d = s   ->   p* = (d - s) / (q (d + b)).
    Inspector indifferent, y the violation probability; the legal moves cost the same e when inspected:
        (1 - y)(-e) + y(-q a - (1 - q)(c + e)) = y(-c)   ->   y* = e / (q (c - a + e)).
    """
    return (d - s) / (q * (d + b)), e / (q * (c - a + e))


# ---------------------------------------------------------------------- Vienna Document modernisation
VD = "vienna_document_modernisation"


def _vd_hand(point):
    # d: the notice gain from 9,000 troops or 250 tanks, plus the observation gain from 13,000 or 300 tanks
    # (VD2011 paras 40.1.1 and 47.4); q = 1 - (1 - q_inspection)(1 - q_evaluation).
    d = point["notice_gain"]
    if point["troops"] >= point["observe_troops"] or point["tanks"] >= point["observe_tanks"]:
        d += point["observation_gain"]
    s = point["snap_share"] * point["notice_gain"]
    q = 1 - (1 - point["q_inspection"]) * (1 - point["q_evaluation"])
    return d, s, q


def test_vienna_modernisation_defaults_by_hand():
    # d = 1, s = 1/2, q = 1 - (1/4)(4/5) = 4/5, b = 2, e = 1/10, c = 2, a = 1, h = 1/2:
    # p* = (1/2) / ((4/5)·3) = 5/24, y* = (1/10) / ((4/5)(11/10)) = 5/44. Notify is strictly dominated by the
    # snap exercise (0 < 1/2 in both columns). Inspectors' value: (39/44)(-1/2) + (5/44)(-2) = -59/88.
    result = ng.load(VD).solve()
    assert result.exact and result.complete and len(result) == 1
    (equilibrium,) = result
    assert equilibrium.profile["Inspecting states"]["Inspect"] == F(5, 24)
    assert equilibrium.profile["Exercising state"]["Declare below threshold"] == F(5, 44)
    assert equilibrium.profile["Exercising state"]["Snap exercise"] == F(39, 44)
    assert equilibrium.profile["Exercising state"]["Notify"] == 0
    assert equilibrium.payoff("Exercising state") == F(1, 2)
    assert equilibrium.payoff("Inspecting states") == F(-59, 88)


@pytest.mark.parametrize("values", [
    {},
    {"troops": 13000},                      # observation threshold reached: d = 2
    {"troops": 12999, "tanks": 299},        # just below both observation thresholds: d = 1
    {"troops": 9000, "tanks": 300},         # 300 tanks alone trigger observation
    {"snap_share": F(1, 4), "b": 5, "q_inspection": F(1, 2)},
    {"troops": 20000, "e": F(1, 2), "c": 7, "a": 0},
])
def test_vienna_modernisation_matches_the_closed_form(values):
    scenario = ng.load(VD)
    point = _point(scenario, values)
    d, s, q = _vd_hand(point)
    inspect, understate = _inspection_closed_form(d, s, point["b"], point["e"], point["c"], point["a"], q)
    (equilibrium,) = scenario.solve({k: F(v) for k, v in values.items()})
    assert equilibrium.profile["Inspecting states"]["Inspect"] == inspect
    assert equilibrium.profile["Exercising state"]["Declare below threshold"] == understate
    assert equilibrium.payoff("Exercising state") == s


def test_vienna_modernisation_observation_threshold_raises_the_inspection_rate():
    # 13,000 troops: d = 2, p* = (2 - 1/2) / ((4/5)·4) = 15/32 > 5/24; the understatement rate stays 5/44.
    (equilibrium,) = ng.load(VD).solve({"troops": F(13000)})
    assert equilibrium.profile["Inspecting states"]["Inspect"] == F(15, 32)
    assert equilibrium.profile["Exercising state"]["Declare below threshold"] == F(5, 44)


def test_vienna_modernisation_without_the_snap_route_needs_the_plain_inspection_rate():
    # snap_share = 0: the snap exercise is worth what notifying is worth; every equilibrium inspects with
    # d / (q (d + b)) = 1 / ((4/5)·3) = 5/12 and understates with 5/44 (both legal moves cost the inspector e
    # more when inspected, so the inspector's indifference does not depend on how the legal mass is split).
    result = ng.load(VD).solve({"snap_share": F(0)})
    assert len(result) >= 1
    for equilibrium in result:
        assert equilibrium.profile["Inspecting states"]["Inspect"] == F(5, 12)
        assert equilibrium.profile["Exercising state"]["Declare below threshold"] == F(5, 44)


def _recursive_value(n, m, gain, penalty, q):
    """Dresher's recursion written out: rows Legal/Violate for the inspectee (maximiser), columns
    Inspect/Not; v(n, 0) = gain, v(0, m) = 0; a 2×2 zero-sum value by saddle point or the mixed formula."""
    table = {}
    for periods in range(n + 1):
        for left in range(m + 1):
            if periods == 0:
                table[periods, left] = F(0)
            elif left == 0:
                table[periods, left] = gain
            else:
                a, b = table[periods - 1, left - 1], table[periods - 1, left]
                c, d = -q * penalty + (1 - q) * gain, gain
                lower = max(min(a, b), min(c, d))
                upper = min(max(a, c), max(b, d))
                table[periods, left] = lower if lower == upper else (a * d - b * c) / (a + d - b - c)
    return table[n, m]


def test_vienna_modernisation_year_with_three_inspections_is_dreshers_game():
    scenario = ng.load(VD)
    # Perfect detection, no snap route and b = 1: gain = penalty = 1: Dresher's closed form
    # v(12, 3) = C(11, 3) / (C(12,0) + C(12,1) + C(12,2) + C(12,3)) = 165/299.
    analysis = scenario.analyses({"snap_share": F(0), "b": F(1), "q_inspection": F(1)})["recursive_inspection"]
    assert analysis.value == F(comb(11, 3), sum(comb(12, i) for i in range(4))) == F(165, 299)
    # Defaults: gain d - s = 1/2, penalty b + s = 5/2, detection 4/5, measured from the snap exercise.
    analysis = scenario.analyses()["recursive_inspection"]
    assert analysis.value == _recursive_value(12, 3, F(1, 2), F(5, 2), F(4, 5))
    assert analysis.value < F(1, 2)   # the quota lowers the gain the loophole leaves to be had


def test_vienna_modernisation_rejects_an_activity_below_both_thresholds():
    with pytest.raises(ScenarioError, match="notifiable"):
        ng.load(VD).solve({"troops": F(9000), "notify_troops": F(10000)})


# ---------------------------------------------------------------------- noisy security dilemma
NOISY = "security_dilemma_noisy"


def test_noisy_file_error_rate_is_the_formula_of_its_measures():
    scenario = ng.load(NOISY)
    point = _point(scenario, {})
    # ε = eps_base (1 - incsea)(1 - contacts) = (1/20)(1/2)(4/5) = 1/50
    assert point["eps_base"] * (1 - point["incsea"]) * (1 - point["contacts"]) == F(1, 50)
    assert noisy_settings(scenario)["noise"] == F(1, 50)
    assert _derived(scenario, "epsilon") == F(1, 50)


@pytest.mark.parametrize("eps", [F(1, 50), F(1, 20), F(1, 2), F(99, 100)])
def test_noisy_tit_for_tat_against_itself_averages_the_four_payoffs(eps):
    # Doubly stochastic chain on the four outcomes (P[(s1, s2) -> (b, a)] = q(a|s1) q(b|s2), each column sums to
    # one), irreducible for 0 < ε < 1: uniform stationary distribution, mean (R + S + T + P)/4 = 9/4.
    game = noisy_settings(ng.load(NOISY))["game"]
    assert ng.noisy_payoffs(game, "TFT", "TFT", noise=eps).limit_of_means == (F(9, 4), F(9, 4))


def _wsls_mean(eps, R=F(3), S=F(0), T=F(5), P=F(1)):
    """WSLS against itself: intended play is CC after CC or DD and DD after CD or DC; with w the weight of
    CD + DC, w' = 2ε(1 - ε) whatever the intention, so π(CD) = π(DC) = ε(1 - ε), and with u = 1 - w:
    π(CC) = u(1 - ε)² + w ε², π(DD) = u ε² + w (1 - ε)²."""
    w = 2 * eps * (1 - eps)
    u = 1 - w
    return R * (u * (1 - eps) ** 2 + w * eps ** 2) + P * (u * eps ** 2 + w * (1 - eps) ** 2) + (S + T) * eps * (1 - eps)


def test_noisy_fewer_incidents_help_win_stay_lose_shift_and_not_tit_for_tat():
    game = noisy_settings(ng.load(NOISY))["game"]
    at = {eps: ng.noisy_payoffs(game, "WSLS", "WSLS", noise=eps).limit_of_means[0] for eps in (F(1, 20), F(1, 50))}
    assert at[F(1, 50)] == _wsls_mean(F(1, 50)) == F(907605, 312500)
    assert at[F(1, 20)] == _wsls_mean(F(1, 20))
    assert at[F(1, 50)] > at[F(1, 20)]


def test_noisy_largest_stable_generosity_is_one_third():
    """Nowak and Sigmund (1992): min(1 - (T-R)/(R-S), (R-P)/(T-P)) = min(1 - 2/3, 2/4) = 1/3 at (5, 3, 1, 0).
    Without errors GTFT(g) against all strategies needs δ >= max((T-R)/((1-g)(T-P)), (T-R)/((1-g)(R-S)))
    (always-D and alternating deviations), which is below 1 exactly when g < 1/3."""
    scenario = ng.load(NOISY)
    R, S, T, P = (F(scenario.parameters.defaults[k]) for k in "RSTP")
    assert min(1 - (T - R) / (R - S), (R - P) / (T - P)) == F(1, 3)
    assert _derived(scenario, "generosity_limit") == F(1, 3)
    game = noisy_settings(scenario)["game"]
    assert ng.critical_discount_under_noise(game, "GTFT(1/3)", noise=0, points=2).threshold is None
    g = F(3, 10)
    below = ng.critical_discount_under_noise(game, f"GTFT({g})", noise=0, points=2)
    assert below.threshold == max((T - R) / ((1 - g) * (T - P)), (T - R) / ((1 - g) * (R - S))) == F(20, 21)


def test_noisy_errors_break_tit_for_tat_as_an_equilibrium():
    """Without errors TFT against itself is an equilibrium iff δ >= max((T-R)/(T-P), (T-R)/(R-S)) = 2/3
    (Axelrod 1984) and GRIM iff δ >= (T-R)/(T-P) = 1/2 (Friedman 1971): both hold at δ = 9/10. With errors the
    state after the other's mistaken deployment is reached; there TFT starts an echo worth about T + δS over
    two periods, forgiving about R(1 + δ): 5 < 57/10, so TFT is no longer a best reply to itself. GRIM neither:
    after its own mistaken deployment the other has switched to deploying for ever while GRIM, having seen
    restraint, still restrains once more (S = 0 where deploying gives P = 1)."""
    game = noisy_settings(ng.load(NOISY))["game"]
    exact = ng.noisy_equilibria(game, ["ALLD", "GRIM", "TFT"], noise=0, discount=F(9, 10))
    assert exact.pair("TFT", "TFT").against_all and exact.pair("GRIM", "GRIM").against_all
    noisy = ng.noisy_equilibria(game, ["ALLD", "GRIM", "TFT"], noise=F(1, 50), discount=F(9, 10))
    assert not noisy.pair("TFT", "TFT").against_all
    assert not noisy.pair("GRIM", "GRIM").against_all
    assert noisy.pair("ALLD", "ALLD").against_all


# ---------------------------------------------------------------------- rotational presence
ROTATION = "rotational_presence"


def test_rotational_presence_quotes_the_founding_act_verbatim():
    description = ng.load(ROTATION).description
    assert (
        '"NATO reiterates that in the current and foreseeable security environment, the Alliance will carry out '
        "its collective defence and other missions by ensuring the necessary interoperability, integration, and "
        'capability for reinforcement rather than by additional permanent stationing of substantial combat forces."'
        in " ".join(description.split()))
    assert "[@FoundingAct1997, sec. IV]" in description


def _spe(values=None):
    (equilibrium,) = ng.load(ROTATION).solve({k: F(v) for k, v in (values or {}).items()})
    return equilibrium


@pytest.mark.parametrize("values, path, payoffs", [
    # σ = 1/2: claim against permanent worth L(1 - σ) - k = 1 > 0, against rotation Lρ(1 - σ) - k = -1/2 < 0.
    # NATO: permanent then breach claim 4 - 1 - 2·(1/2) - 2 = 0; rotation 3 - 3/2 = 3/2; nothing 0.
    ({}, ("Rotational", "Accept"), (F(3, 2), F(-3, 2))),
    # σ = 7/10 < 3/4 = 1 - k/L: still a claim against permanent (4·3/10 - 1 = 1/5 > 0): rotation.
    ({"sigma": F(7, 10)}, ("Rotational", "Accept"), (F(3, 2), F(-3, 2))),
    # σ = 4/5 > 3/4: no claim (4/5 - 1 < 0); permanent accepted 4 - 1 = 3 > 3/2; Russia -tp = -2.
    ({"sigma": F(4, 5)}, ("Permanent", "Accept"), (F(3), F(-2))),
    # σ = 0, ρ = 3/4: claims against both (3 - 1 > 0, 4 - 1 > 0); permanent 4 - 1 - 2 - 2 = -1,
    # rotation 3 - 3/2 - 3/2 - 2 = -2, nothing 0: no additional forces.
    ({"sigma": 0, "rho": F(3, 4)}, ("No additional forces", "Accept"), (F(0), F(0))),
])
def test_rotational_presence_backward_induction_by_hand(values, path, payoffs):
    equilibrium = _spe(values)
    assert equilibrium.outcomes == ((path, F(1)),)
    assert equilibrium.payoffs == payoffs


# ---------------------------------------------------------------------- Minsk II withdrawal
MINSK = "minsk_withdrawal"


@pytest.mark.parametrize("values", [{}, {"access": F(3, 4), "zone_km": 140}, {"spot": 1, "zone_km": 70}])
def test_minsk_mixed_equilibrium_matches_the_closed_form(values):
    scenario = ng.load(MINSK)
    point = _point(scenario, values)
    d, q = point["value_per_km"] * point["zone_km"] / 2, point["access"] * point["spot"]
    patrol, forward = _inspection_closed_form(d, 0, point["b"], point["e"], point["c"], point["a"], q)
    (equilibrium,) = scenario.solve({k: F(v) for k, v in values.items()})
    assert equilibrium.profile["OSCE monitors"]["Patrol the zone"] == patrol
    assert equilibrium.profile["Withdrawing side"]["Keep weapons forward"] == forward


def test_minsk_defaults_by_hand():
    # d = (1/25)(50/2) = 1, q = (1/2)(4/5) = 2/5 > d/(d + b) = 1/3: p* = 1/((2/5)·3) = 5/6,
    # y* = (1/10)/((2/5)(11/10)) = 5/22; monitors' value -c y* = -5/11.
    (equilibrium,) = ng.load(MINSK).solve()
    assert equilibrium.profile["OSCE monitors"]["Patrol the zone"] == F(5, 6)
    assert equilibrium.profile["Withdrawing side"]["Keep weapons forward"] == F(5, 22)
    assert equilibrium.payoff("OSCE monitors") == F(-5, 11)


@pytest.mark.parametrize("zone, gain", [(70, F(1, 25)), (140, F(22, 25))])
def test_minsk_half_access_cannot_deter_the_longer_range_classes(zone, gain):
    # 70 km: d = 7/5, d/(d+b) = 7/17 > 2/5; 140 km: d = 14/5, 7/12 > 2/5. Keeping weapons forward is dominant:
    # patrolled it earns -(2/5)·2 + (3/5) d > 0 (1/25 and 22/25); the monitors then patrol
    # (-2/5 - (3/5)(21/10) = -83/50 > -2).
    result = ng.load(MINSK).solve({"zone_km": F(zone)})
    assert [eq.profile.describe() for eq in result] == [("Withdrawing side: Keep weapons forward; "
                                                         "OSCE monitors: Patrol the zone")]
    assert result[0].payoff("Withdrawing side") == gain
    assert result[0].payoff("OSCE monitors") == F(-83, 50)


def test_minsk_access_that_deters_the_long_range_class():
    # access* = d/(spot (d + b)) = (7/12)/(4/5) = 35/48 at 140 km: just above it the equilibrium is mixed.
    scenario = ng.load(MINSK)
    above = scenario.solve({"zone_km": F(140), "access": F(35, 48) + F(1, 100)})
    assert len(above) == 1 and above[0].kind == "mixed"
    below = scenario.solve({"zone_km": F(140), "access": F(35, 48) - F(1, 100)})
    assert [eq.kind for eq in below] == ["pure"]


# ---------------------------------------------------------------------- every new model through the CLI
@pytest.mark.parametrize("name", [VD, NOISY, ROTATION, MINSK])
def test_new_models_solve_and_show_through_the_cli(name):
    for verb in ("solve", "show"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main([verb, name]) == 0
        assert out.getvalue().strip()
    text = (ng.scenario.models_directory() / f"{name}.toml").read_text(encoding="utf-8")
    assert "domain.md" not in text
