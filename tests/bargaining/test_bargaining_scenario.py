"""Scenario files of kind = "bargaining": parsing, one-line errors naming file and field, the bundled model."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy

from negotiation.scenario import load
from negotiation.bargaining import bargain
from negotiation.scenario import ScenarioError

HEADER = '''
schema = "negotiation.scenario/1"
id = "test"
title = "Test bargain"
kind = "bargaining"
parties = ["NATO", "Russia"]
'''

ISSUES = '''
[parameters.a]
default = 1
range = [0, 4]
description = "a"
source = "test"

[issues.troops]
range = [0, 10]
unit = "thousand troops"

[issues.missiles]
options = ["ban", "freeze"]

[utilities.NATO]
troops = "a * troops / 10"
missiles = { ban = 1, freeze = 0 }

[utilities.Russia]
base = "1"
troops = "-troops / 10"
missiles = { ban = 0, freeze = "1/4" }

[disagreement]
NATO = "1/2"
Russia = 0
'''


def write(tmp_path, text, name="b.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_issue_space_scenario_loads_and_bargains(tmp_path):
    scenario = load(write(tmp_path, HEADER + ISSUES), kind="bargaining")
    assert scenario.parties == ("NATO", "Russia")
    problem = scenario.problem_at({"a": 2})
    assert problem.values == {"a": F(2)}
    result = bargain(problem)
    # ban: (1 + t/5, 1 - t/10) with t = troops; freeze: (t/5, 5/4 - t/10); d = (1/2, 0).
    # ban: max (1/2 + t/5)(1 - t/10), derivative 3/20 - t/25 = 0 -> t = 15/4, product 25/32;
    # freeze: max (t/5 - 1/2)(5/4 - t/10), derivative 3/10 - t/25 = 0 -> t = 15/2, product 1/2.
    assert result["nash"].agreement.terms == {"troops": F(15, 4), "missiles": "ban"}
    assert result["nash"].utilities == (F(7, 4), F(5, 8))
    assert not result["nash"].notes


def test_ties_between_agreements_are_reported(tmp_path):
    # with freeze worth 1/2 to Russia the freeze piece's best product is also 25/32 (t = 35/4)
    text = HEADER + ISSUES.replace('freeze = "1/4"', 'freeze = "1/2"')
    result = load(write(tmp_path, text), kind="bargaining").bargain({"a": 2})
    assert any("tie" in note for note in result["nash"].notes)


def test_packages_and_polytope_scenarios(tmp_path):
    packages = HEADER + '''
[[packages]]
label = "freeze"
NATO = 2
Russia = 1

[[packages]]
label = "cuts"
description = "deep cuts"
NATO = "3/2"
Russia = "3/2"

[disagreement]
NATO = 0
Russia = 0
'''
    assert load(write(tmp_path, packages), kind="bargaining").bargain()["nash"].agreement.package == "cuts"
    polytope = HEADER + '''
[parameters.s]
default = 1
range = [1, 3]

[polytope]
inequalities = ["NATO + Russia <= s", "NATO <= 3/4"]

[disagreement]
NATO = 0
Russia = 0
'''
    scenario = load(write(tmp_path, polytope, "p.toml"), kind="bargaining")
    assert scenario.bargain({"s": 1})["nash"].utilities == (F(1, 2), F(1, 2))
    assert scenario.bargain({"s": 2})["nash"].utilities == (F(3, 4), F(5, 4))
    vertices = HEADER + '''
lotteries = true
[polytope]
vertices = [[0, 0], [1, 0], [0, 1], [1, "7/10"]]
labels = ["status quo", "NATO's draft", "Russia's draft", "compromise"]

[disagreement]
NATO = 0
Russia = 0
'''
    result = load(write(tmp_path, vertices, "v.toml"), kind="bargaining").bargain()
    assert result["kalai_smorodinsky"].utilities == (F(10, 13), F(10, 13))
    assert result["kalai_smorodinsky"].agreement.lottery == {"Russia's draft": F(3, 13), "compromise": F(10, 13)}


def test_disagreement_from_the_security_dilemma(tmp_path):
    text = HEADER + '''
[parameters.omega]
default = "1/2"
range = [0, 1]

[packages.0]
'''
    text = HEADER + '''
[parameters.omega]
default = "1/2"
range = [0, 1]

[[packages]]
label = "treaty"
NATO = -1
Russia = -1

[disagreement]
scenario = "security_dilemma"
equilibrium = "Deploy, Deploy"
values = { omega = "omega" }
'''
    scenario = load(write(tmp_path, text), kind="bargaining")
    # P = v - k - omega W with k = 1, W = 2, v = 0 (its defaults): -1 - 2 omega
    omega = scenario.parameters.symbols["omega"]
    assert sympy.simplify(scenario.problem.disagreement[0] - (-1 - 2 * omega)) == 0
    assert scenario.problem_at().disagreement == (F(-2), F(-2))
    assert scenario.problem_at({"omega": F(1, 5)}).disagreement == (F(-7, 5), F(-7, 5))
    assert "security_dilemma" in scenario.problem.notes[0]
    # below omega = 2/11 the security dilemma is Harmony: (Deploy, Deploy) is no equilibrium there
    with pytest.raises(ScenarioError, match=r"not an equilibrium of security_dilemma at omega = 1/10"):
        scenario.problem_at({"omega": F(1, 10)})


BAD = [
    (HEADER + ISSUES.replace('range = [0, 10]', 'range = [0, 10]\noptions = ["x"]'),
     "issues.troops: give either range"),
    (HEADER + ISSUES.replace('troops = "-troops / 10"', 'troops = "__import__(\'os\')"'),
     "utilities.Russia.troops: function '__import__' is not allowed"),
    (HEADER + ISSUES.replace('missiles = { ban = 0, freeze = "1/4" }', 'missiles = { ban = 0 }'),
     "utilities.Russia.missiles: no score for option 'freeze'"),
    (HEADER + ISSUES.replace('troops = "a * troops / 10"', 'tanks = "1"'),
     "utilities.NATO.tanks: not an issue"),
    (HEADER + ISSUES.replace('[utilities.Russia]', '[utilities.Belarus]'),
     "utilities.Belarus: not a party"),
    (HEADER + ISSUES.replace('NATO = "1/2"', 'NATO = "b"'),
     "disagreement.NATO: name 'b' is not a declared parameter"),
    (HEADER + "lotteries = 1\n" + ISSUES, "lotteries: expected true or false"),
    (HEADER + ISSUES + '\n[weights]\nNATO = 1\n', "weights: expected one Nash bargaining weight per party"),
    (HEADER.replace('parties = ["NATO", "Russia"]', 'parties = ["NATO"]') + ISSUES,
     "parties: expected a list of at least two party labels"),
    (HEADER + "foo = 1\n" + ISSUES, "unknown key 'foo'"),
    (HEADER + '[disagreement]\nNATO = 0\nRussia = 0\n', "give the agreements as exactly one of"),
    (HEADER + '[polytope]\ninequalities = ["NATO * Russia <= 1"]\n[disagreement]\nNATO = 0\nRussia = 0\n',
     "polytope.inequalities[0]: the inequality must be linear"),
    (HEADER + '[[packages]]\nlabel = "x"\nNATO = 1\n[disagreement]\nNATO = 0\nRussia = 0\n',
     "packages.\"x\": no utility for 'Russia'"),
    (HEADER + ISSUES.replace('[disagreement]\nNATO = "1/2"\nRussia = 0',
                             '[disagreement]\nscenario = "security_dilemma"\nequilibrium = "Deploy, Attack"'),
     "disagreement.equilibrium: 'Attack' is not a strategy of Russia"),
    (HEADER + ISSUES.replace('[disagreement]\nNATO = "1/2"\nRussia = 0',
                             '[disagreement]\nscenario = "no_such_model"\nequilibrium = "Deploy, Deploy"'),
     "disagreement.scenario: cannot use 'no_such_model'"),
    (HEADER + ISSUES.replace('[disagreement]\nNATO = "1/2"\nRussia = 0',
                             '[disagreement]\nscenario = "security_dilemma"\nequilibrium = "Deploy, Deploy"\n'
                             'values = { gamma = 1 }'),
     "disagreement.values.gamma: not a parameter of security_dilemma"),
]


@pytest.mark.parametrize("text, message", BAD, ids=[m.split(":")[0][:40] for _, m in BAD])
def test_errors_are_one_line_and_name_file_and_field(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load(path, kind="bargaining")
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(str(path))
    assert message in text


def test_a_normal_form_file_is_not_a_bargaining_model():
    with pytest.raises(ScenarioError, match="expected 'bargaining'"):
        load("security_dilemma", kind="bargaining")


def test_out_of_range_values_and_assumptions(tmp_path):
    scenario = load(write(tmp_path, HEADER + ISSUES), kind="bargaining")
    with pytest.raises(ScenarioError, match="parameter a: 5 is above the range"):
        scenario.problem_at({"a": 5})
    with pytest.raises(ScenarioError, match="unknown parameter 'b'"):
        scenario.problem_at({"b": 1})


# ---------------------------------------------------------------------- the bundled model
@pytest.fixture(scope="module")
def model():
    return load("infrastructure_limits", kind="bargaining")


def test_bundled_model_documents_every_parameter_and_issue(model):
    for parameter in model.parameters:
        assert parameter.description and parameter.source and parameter.low is not None
    for issue in model.problem.agreements.issues:
        assert issue.label and issue.source and issue.description
    text = model.describe()
    assert "Deploy, Deploy" in text and "assumption" in text


def test_bundled_model_at_its_defaults(model):
    result = model.bargain()
    assert result.exact and not result.zone.empty
    assert result.problem.disagreement == (-2, -2)  # (Deploy, Deploy) of the security dilemma
    # Additive linear scores: efficient packages concede the issues in the order of the weight ratios
    # w_N/w_R (notification 3, inspections 2, troops 6/7, missiles 5/6 ... exercise 4/5): on the zone's
    # frontier NATO has its way on notification and inspections, Russia on the exercise ceiling, the
    # missiles are banned and the troop ceiling is the one split issue.
    nash = result["nash"]
    terms = nash.agreement.terms
    assert (terms["notification"], terms["inspections"], terms["exercise"], terms["missiles"]) == \
        (3000, 12, 9000, "verified ban")
    # Along that edge each troop conceded costs Russia 7/6 of what it gains NATO (w_R/w_N = (7/20)/(3/10)),
    # and the edge ends where Russia's gain is 0 and NATO's is 1921/1400 (the zone's ideal for NATO).
    # The Nash product g_N (7/6)(1921/1400 - g_N) peaks at g_N = 1921/2800, so g_R = (7/6) 1921/2800.
    assert result.zone.gains[0] == F(1921, 1400)
    assert nash.gains(result.problem.disagreement) == (F(1921, 2800), F(7, 6) * F(1921, 2800))
    assert terms["troops"] == F(1571000, 399)  # about 3,937 troops, near the 2017–21 eFP level
    assert 3900 < float(terms["troops"]) < 4000


def test_bundled_model_thresholds(model):
    # NATO's domestic cost shifts only NATO's utility: the zone closes when it exceeds the default 1/2 by
    # NATO's largest gain, 1921/1400: c* = 1/2 + 1921/1400 = 2621/1400.
    (closing,) = model.zone_thresholds("c_NATO")
    assert closing.value == F(2621, 1400) and not closing.opens and closing.exact
    assert closing.formula is not None
    # the war-risk cost of an arms race W: below it no package beats the arms race
    (opening,) = model.zone_thresholds("W", num=9)
    assert opening.opens and opening.exact and opening.value == F(679, 1300)
    assert model.bargain({"W": F(679, 1300)}).zone.max_min_gain == 0
    assert model.bargain({"W": F(1, 2)}).zone.empty
    assert not model.bargain({"W": F(53, 100)}).zone.empty


def test_status_quo_section_is_read_and_checked(tmp_path):
    import negotiation as ng
    from negotiation.scenario.model import ScenarioError

    scenario = ng.load("enlargement_vs_infrastructure")
    assert scenario.status_quo == {"membership": "admitted", "stationing": 10000}
    text = (ng.scenario.models_directory() / "enlargement_vs_infrastructure.toml").read_text()
    bad = tmp_path / "bad.toml"
    for old, new, message in [
        ('membership = "admitted"\nstationing', 'membership = "joined"\nstationing', "status_quo.membership: expected one of"),
        ("stationing = 10000\n\n[weights]", "stationing = 20000\n\n[weights]", "status_quo.stationing: 20000 is outside"),
        ("stationing = 10000\n\n[weights]", "\n[weights]", "status_quo.stationing: missing"),
    ]:
        assert old in text
        bad.write_text(text.replace(old, new))
        with pytest.raises(ScenarioError, match=message) as error:
            ng.load(bad)
        assert "\n" not in str(error.value)
