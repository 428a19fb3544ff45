"""Claims in scenario files and ``ng.robustness`` / ``negotiation robustness`` (issue 13, item 1).

The reference numbers are computed by hand in the comments: a 2×2 game that is a Prisoner's Dilemma
exactly when a uniform parameter exceeds a threshold, so the share of its range where the claim holds is
an interval length over a range length; an assumption that cuts the range by a known fraction.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction as F

import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.scenario.claims import MAX_CLAIMS
from negotiation.scenario.loader import parse_scenario
from negotiation.scenario.model import ScenarioError
from negotiation.sweeps.claim_checks import (
    ClaimError,
    PointResults,
    claim_holds,
    predicate_holds,
)
from negotiation.sweeps.robustness import (
    MAX_ROBUSTNESS_SAMPLES,
    RobustnessError,
    robustness,
)

# R = 3, S = 0, P = 1, T = 1 + x.  T > R > P > S (a Prisoner's Dilemma, unique equilibrium (D, D)) iff x > 2;
# for 0 < x < 2, R > T > P > S: a Stag Hunt.  x ~ U[0, 4] conditioned on the assumption x >= 1 is U[1, 4],
# so the claim holds with probability (4 - 2) / (4 - 1) = 2/3, and a draw is accepted with probability
# (4 - 1) / 4 = 3/4.  y enters no payoff: the claim cannot be sensitive to it.
HAND = """
schema = "negotiation.scenario/1"
id = "hand_pd"
title = "A 2x2 game that is a Prisoner's Dilemma iff x > 2"
kind = "normal-form"
[players]
A = ["C", "D"]
B = ["C", "D"]
[parameters.x]
default = 3
range = [0, 4]
confidence = "assumption"
[parameters.y]
default = "1/2"
range = [0, 1]
confidence = "assumption"
[derived]
T = "1 + x + 0*y"
[payoffs]
"C, C" = [3, 3]
"C, D" = [0, "T"]
"D, C" = ["T", 0]
"D, D" = [1, 1]
[classification]
cooperate = "C"
[[assumptions]]
expr = "x >= 1"
"""

PD_CLAIM = """
[[claims]]
id = "pd"
text = "The game is a Prisoner's Dilemma."
holds = { classification = "Prisoner's Dilemma", equilibrium = ["D", "D"], equilibria = 1 }
"""


@pytest.fixture(scope="module")
def hand():
    return parse_scenario(HAND + PD_CLAIM, source="hand.toml")


@pytest.fixture(scope="module")
def hand_result(hand):
    return robustness(hand, samples=400, seed=3)


def test_exact_share_and_flip_point_by_hand(hand_result):
    claim = hand_result.claim("pd")
    x, y = claim.flips
    assert (x.parameter, x.flips, x.holding, x.share) == ("x", (F(2),), ((F(2), F(4)),), F(2, 3))
    assert (y.parameter, y.flips, y.holding, y.share) == ("y", (), ((F(0), F(1)),), F(1))
    assert claim.at_defaults is True  # x = 3 > 2


def test_sampled_share_within_binomial_band(hand_result):
    claim = hand_result.claim("pd")
    assert claim.samples == 400 and claim.undefined == 0
    band = 4 * math.sqrt((2 / 3) * (1 / 3) / 400)  # four standard errors of a binomial share
    assert abs(claim.share - 2 / 3) < band
    low, high = claim.interval
    assert low < claim.share < high and high - low < 0.1


def test_acceptance_rate_of_the_assumption_by_hand(hand_result):
    acceptance = hand_result.acceptance
    assert acceptance["accepted"] == 400
    rate, n = acceptance["acceptance_rate"], acceptance["candidates"]
    assert abs(rate - 3 / 4) < 4 * math.sqrt((3 / 4) * (1 / 4) / n)


def test_sensitivity_names_the_parameter_that_matters(hand_result):
    claim = hand_result.claim("pd")
    assert claim.most_sensitive() == ("x",)
    assert dict(claim.sensitivity)["y"] == 0.0
    # the verdict is the indicator of x > 2 with x ~ U[1, 4]: x explains nearly all of its variance
    assert dict(claim.sensitivity)["x"] > 0.8


def test_resume_gives_the_same_table(hand, tmp_path):
    whole = robustness(hand, samples=120, seed=5)
    out = tmp_path / "run"
    robustness(hand, samples=120, seed=5, out=out)
    rows = (out / "robustness.csv").read_text().splitlines()
    (out / "robustness.csv").write_text("\n".join(rows[:40]) + "\n" + rows[40][:3])  # interrupted mid-line
    resumed = robustness(hand, samples=120, seed=5, out=out, resume=True)
    assert resumed.to_records() == whole.to_records()
    assert len((out / "robustness.csv").read_text().splitlines()) == 121
    with pytest.raises(RobustnessError, match="--resume"):
        robustness(hand, samples=120, seed=5, out=out)
    with pytest.raises(RobustnessError, match="another plan"):
        robustness(hand, samples=120, seed=6, out=out, resume=True)


def test_samples_are_bounded(hand):
    with pytest.raises(RobustnessError, match="MAX_ROBUSTNESS_SAMPLES"):
        robustness(hand, samples=MAX_ROBUSTNESS_SAMPLES + 1)
    with pytest.raises(RobustnessError, match="no claim 'nope'"):
        robustness(hand, samples=10, claims=["nope"])


def test_a_scenario_without_claims_is_refused():
    with pytest.raises(RobustnessError, match="declares no"):
        robustness(parse_scenario(HAND, source="bare.toml"), samples=10)


# ---------------------------------------------------------------------- load errors
@pytest.mark.parametrize("claims, message", [
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = { colour = "red" }', "unknown predicate 'colour'"),
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = { equilibria = "two" }', "holds.equilibria: expected a whole number"),
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = { zone = "maybe" }', "expected 'exists' or 'empty'"),
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = { stable = "yes" }', "expected true or false"),
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = { equilibrium = ["D", "X"] }', "'X' is not a strategy of B"),
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = { equilibrium = ["D"] }', "expected 2 strategy labels"),
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = { critical_discount_below = "soon" }', "expected a number"),
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = {}', "expected a table of predicates"),
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = { zone = "empty" }\nwhy = 1', "unknown key 'why'"),
    ('[[claims]]\nid = "a"\ntext = "t"', "missing 'holds'"),
    ('[[claims]]\nid = "not an id"\ntext = "t"\nholds = { equilibria = 1 }', "expected an identifier"),
    (('[[claims]]\nid = "a"\ntext = "t"\nholds = { equilibria = 1 }\n[[claims]]\nid = "a"\ntext = "u"\n'
      'holds = { equilibria = 2 }'), "declared twice"),
    ('[[claims]]\nid = "a"\ntext = "t"\nholds = { solution_terms = { solution = "nash", issue = "x" } }',
     "expected at_least or at_most"),
])
def test_malformed_claims_are_one_line_errors(claims, message):
    with pytest.raises(ScenarioError, match=message) as error:
        parse_scenario(HAND + claims, source="bad.toml")
    assert "\n" not in str(error.value) and str(error.value).startswith("bad.toml: claims")


def test_claims_must_be_tables():
    with pytest.raises(ScenarioError, match=r"bad.toml: claims: expected \[\[claims\]\] tables"):
        parse_scenario('claims = "all"\n' + HAND, source="bad.toml")


def test_too_many_claims():
    claims = "".join(f'[[claims]]\nid = "c{k}"\ntext = "t"\nholds = {{ equilibria = 1 }}\n'
                     for k in range(MAX_CLAIMS + 1))
    with pytest.raises(ScenarioError, match="MAX_CLAIMS"):
        parse_scenario(HAND + claims, source="bad.toml")


# ---------------------------------------------------------------------- the vocabulary on known results
def _holds(name, key, value, **values):
    return predicate_holds(key, value, PointResults(ng.load(name), {k: F(v) for k, v in values.items()}))


def test_strategic_form_predicates():
    # security_dilemma at omega = 1/5: R = 0, T = -1/5, S = -3/2, P = -7/5: R > T > P > S, a Stag Hunt with
    # two pure equilibria and a mixed one (models/README.md: "Between 2/11 and 1/4 it is a Stag Hunt")
    assert _holds("security_dilemma", "classification", "Stag Hunt", omega="1/5")
    assert _holds("security_dilemma", "equilibria", 3, omega="1/5")
    assert _holds("security_dilemma", "equilibrium", ("Restrain", "Restrain"), omega="1/5")
    assert _holds("security_dilemma", "mixed", True, omega="1/5")
    assert not _holds("security_dilemma", "mixed", True)  # the Prisoner's Dilemma: one pure equilibrium
    # v = 3 > k + omega W = 2: P = 1 > R = 0, Deadlock
    # φ = 4/5 (greedy v = 1): T = vGω(1 − φ(1 − ω)) − k = 1/5 > R = 0 > S = −ωL(1 − φ) = −1 > P = −k − ωW = −2
    assert _holds("security_dilemma", "classification", "Chicken", phi="4/5")


def test_tree_signaling_dynamics_and_cooperative_predicates():
    # nato_enlargement with l = 1/4: (1 - l) t = 15/4 > k = 3, Russia militarises against limits too, and
    # NATO prefers full membership (m - k = 1 > (1 - l) m - k = 0)
    assert _holds("nato_enlargement", "outcome", ("Admit", "Militarise"), l="1/4")
    assert not _holds("nato_enlargement", "outcome", ("Admit with limits", "Accept"), l="1/4")
    assert _holds("nato_enlargement", "outcome", ("Admit with limits",))
    # reassurance: separating iff T_u - P_u <= s <= R_t - P_t, i.e. 1 <= s <= 2 at the defaults
    assert _holds("reassurance_signal", "separating", True, s="3/2")
    assert _holds("reassurance_signal", "separating", False, s="5/2")
    # Richardson: stable iff m n > a b; a = b = 3/5 gives a b = 9/25 > m n = 1/4
    assert _holds("richardson_arms_race", "stable", True)
    assert _holds("richardson_arms_race", "stable", False, a="3/5", b="3/5")
    # a bankruptcy game is convex, so its core is non-empty (Aumann and Maschler 1985)
    assert _holds("cfe2_ceiling_division", "core", "nonempty")


def test_repetition_predicates():
    # delta* = (T - R)/(T - P) = 1/(1 + 2) = 1/3 at the defaults (T = 1, R = 0, P = -2)
    assert _holds("security_dilemma_repeated", "critical_discount_below", F(1, 2))
    assert not _holds("security_dilemma_repeated", "critical_discount_below", F(1, 4))
    assert _holds("security_dilemma_repeated", "sustained", True, delta="1/2")
    assert _holds("security_dilemma_repeated", "sustained", False, delta="1/4")


def test_bargaining_predicates():
    # enlargement_vs_infrastructure: the package gives the same as stationing alone (gains 25/56, 5/8 both
    # ways), so linkage gains nothing; the Nash ceiling is 180000/133 troops
    assert _holds("enlargement_vs_infrastructure", "linkage_gain", "not both")
    assert _holds("enlargement_vs_infrastructure", "zone", "exists")
    terms = {"solution": "nash", "issue": "stationing"}
    assert _holds("enlargement_vs_infrastructure", "solution_terms", {**terms, "at_least": F(180000, 133),
                                                                     "at_most": F(180000, 133)})
    assert not _holds("enlargement_vs_infrastructure", "solution_terms", {**terms, "at_most": 1000})


def test_a_predicate_of_another_kind_is_refused():
    with pytest.raises(ClaimError, match="'zone' needs a bargaining scenario"):
        _holds("security_dilemma", "zone", "exists")
    with pytest.raises(ClaimError, match="'stable' needs a continuous scenario"):
        _holds("security_dilemma", "stable", True)


def test_every_bundled_claim_holds_at_the_defaults():
    # each claim restates a line of its model's "What the model says" section at the defaults
    for name in ng.load.__globals__["bundled_models"]():
        scenario = ng.load(name)
        assert scenario.claims, name
        for claim in scenario.claims:
            assert claim_holds(claim, PointResults(scenario, {})), (name, claim.id)


# ---------------------------------------------------------------------- the command
def test_cli_json_and_refusal(tmp_path, capsys):
    path = tmp_path / "hand.toml"
    path.write_text(HAND + PD_CLAIM)
    assert main(["robustness", str(path), "--samples", "40", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    claim = data["claims"][0]
    assert claim["id"] == "pd" and claim["exact"][0]["flips"] == ["2"] and claim["exact"][0]["share"] == "2/3"
    bare = tmp_path / "bare.toml"
    bare.write_text(HAND)
    assert main(["robustness", str(bare)]) == 1
    assert "declares no [[claims]]" in capsys.readouterr().err


# ---------------------------------------------------------------------- the index of negotiation tables
def test_index_prints_recorded_figures_and_marks_stale_ones(tmp_path, hand_result):
    from negotiation.report.catalogue import claim_lines, record_robustness

    path = tmp_path / "hand_pd.toml"
    path.write_text(HAND + PD_CLAIM)
    scenario = ng.load(path)
    assert "no recorded figure" in claim_lines("hand_pd", scenario, path)[0]
    record_robustness({"hand_pd": hand_result}, commands={"hand_pd": "negotiation robustness hand_pd --seed 3"},
                      folder=tmp_path)
    line = claim_lines("hand_pd", scenario, path)[0]
    share = round(100 * hand_result.claim("pd").share)
    assert line.startswith("- **pd**: The game is a Prisoner's Dilemma.") and f"holds in {share} %" in line
    assert "stale" not in line and "--seed 3" in line
    path.write_text(HAND + PD_CLAIM + "\n# edited\n")
    assert "stale" in claim_lines("hand_pd", scenario, path)[0]


def test_exact_flips_of_an_asymmetric_game():
    # vienna_document_inspection: the unique equilibrium is mixed iff detection deters, q > d/(d + b) = 1/3
    # (models/README.md), over q's range [1/20, 1]: share (1 - 1/3)/(1 - 1/20) = 40/57; and iff an inspection
    # is worth its cost, e < q (c - a + e), i.e. e < 4 at q = 4/5, c = 2, a = 1, over e's range [1/100, 5]
    claim = robustness("vienna_document_inspection", samples=20).claim("mixed_inspection")
    flips = {f.parameter: f for f in claim.flips}
    assert flips["q"].flips == (F(1, 3),) and flips["q"].share == F(40, 57)
    assert flips["e"].flips == (F(4),) and flips["e"].holding == ((F(1, 100), F(4)),)
