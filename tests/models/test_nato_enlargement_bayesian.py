"""NATO enlargement with Russia's type unknown: hand-derived equilibria, the trust threshold, derive = solve."""

import random
from fractions import Fraction as F

import negotiation as ng

DEFAULTS = dict(m=F(4), t=F(5), k=F(3), c=F(10), l=F(3, 5), g=F(15))


def _spe(values=None):
    result = ng.load("nato_enlargement_bayesian").solve(values or {})
    assert result.exact and result.complete
    return result


def test_defaults_full_membership_met_by_militarisation():
    # By hand at the defaults: after full admission both types militarise (-k = -3 beats -t = -5 and -c = -10);
    # after limits a security seeker accepts (-(1-l)t = -2 > -3) but a revisionist coerces (l*g - c = -1 > -2);
    # after deferral the revisionist coerces (g - c = 5 > 0). NATO: Admit gives m - k = 1, limits give
    # p*(1-l)*m - (1-p)*c = 9/10*8/5 - 1/10*10 = 11/25 < 1, Defer gives -(1-p)*c = -1.
    (equilibrium,) = _spe()
    assert equilibrium.profile.choice("NATO", "root") == "Admit"
    assert equilibrium.payoffs == (F(1), F(-3))


def test_high_trust_makes_limits_worth_offering():
    # p = 19/20 >= 55/58: limits give 19/20*8/5 - 1/20*10 = 51/50 > 1.
    (equilibrium,) = _spe({"p": F(19, 20)})
    assert equilibrium.profile.choice("NATO", "root") == "Admit with limits"
    assert equilibrium.payoffs[0] == F(51, 50)
    assert equilibrium.profile.choice("Russia", "Admit with limits/Revisionist") == "Coerce"


def test_a_less_ambitious_revisionist_accepts_limits_at_any_trust():
    # The revisionist coerces a limited member iff l*g - c > max(-(1-l)t, -k) = -2, i.e. g > 40/3.
    # With g = 13 both types accept limits, which give NATO (1-l)*m = 8/5 > m - k = 1 whatever p is.
    for p in (F(0), F(1, 2), F(1)):
        (equilibrium,) = _spe({"g": F(13), "p": p})
        assert equilibrium.profile.choice("NATO", "root") == "Admit with limits"
        assert equilibrium.payoffs[0] == F(8, 5)


def test_derived_threshold_is_the_hand_formula():
    # p* = (m - k + c)/((1 - l)*m + c) = 11/(58/5) = 55/58 at the defaults.
    scenario = ng.load("nato_enlargement_bayesian")
    derivation = scenario.derive(DEFAULTS)
    thresholds = {str(t) for t in derivation.thresholds}
    assert any("55/58" in t for t in thresholds)
    expected = (DEFAULTS["m"] - DEFAULTS["k"] + DEFAULTS["c"]) / ((1 - DEFAULTS["l"]) * DEFAULTS["m"] + DEFAULTS["c"])
    assert expected == F(55, 58)
    below = derivation.equilibria_at({**DEFAULTS, "p": F(54, 58)})
    above = derivation.equilibria_at({**DEFAULTS, "p": F(56, 58)})
    assert [e.profile.choice("NATO", "root") for e in below] == ["Admit"]
    assert [e.profile.choice("NATO", "root") for e in above] == ["Admit with limits"]


def test_symbolic_regions_agree_with_backward_induction_at_random_points():
    scenario = ng.load("nato_enlargement_bayesian")
    derivation = scenario.derive({k: v for k, v in DEFAULTS.items() if k not in ("g",)})
    rng = random.Random(7)
    for _ in range(30):
        point = {"p": F(rng.randint(0, 100), 100), "g": F(rng.randint(0, 300), 10)}
        numeric = {e.profile.choice("NATO", "root") for e in scenario.solve(point)}
        symbolic = {e.profile.choice("NATO", "root") for e in derivation.equilibria_at({**DEFAULTS, **point})}
        assert numeric == symbolic, point
