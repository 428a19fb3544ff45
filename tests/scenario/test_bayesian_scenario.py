"""Bayesian scenario files (kind = "bayesian"): loading, the bundled Kydd model, one-line errors."""

import tomllib
from fractions import Fraction as F

import pytest

from negotiation.scenario import load
from negotiation.models.bayesian import BayesianGame
from negotiation.scenario import ScenarioError
from negotiation.scenario.bayesian import BayesianScenario, parse_bayesian
from negotiation.scenario.loader import models_directory

BOS = '''
schema = "negotiation.scenario/1"
id = "bos"
title = "BoS, meet or avoid"
kind = "bayesian"

[players.One]
actions = ["B", "S"]

[players.Two]
types = ["meet", "avoid"]
actions = ["B", "S"]

[parameters.q]
default = "1/2"
range = [0, 1]
description = "probability that Two wants to meet"
source = "Osborne 2004, section 9.1"

[prior.Two]
meet = "q"
avoid = "1 - q"

[payoffs.meet]
"B, B" = [2, 1]
"B, S" = [0, 0]
"S, B" = [0, 0]
"S, S" = [1, 2]

[payoffs.avoid]
"B, B" = [2, 0]
"B, S" = [0, 2]
"S, B" = [0, 1]
"S, S" = [1, 0]
'''


def parse(text, source="bos.toml"):
    return parse_bayesian(tomllib.loads(text), source)


def test_bundled_model_loads_with_sources_and_solves_at_defaults():
    scenario = load("security_dilemma_bayesian", kind="bayesian")
    assert isinstance(scenario, BayesianScenario) and scenario.kind == "bayesian"
    assert scenario.game.players == ("NATO", "Russia")
    assert scenario.game.types == (("Security seeker", "Greedy"),) * 2
    for p in scenario.parameters:
        assert p.description and p.source and p.default is not None and p.low is not None
        assert p.confidence in ("assumption", "toolkit")
    result = scenario.solve()
    assert len(result) == 3 and result.exact and result.complete
    text = scenario.describe()
    assert "Security seeker pi_NATO, Greedy 1 - pi_NATO" in text and "Assumptions:" in text
    assert "Prior at pi_NATO = 3/4" in text


def test_bundled_model_file_is_the_one_in_models():
    path = models_directory() / "security_dilemma_bayesian.toml"
    assert load(path, kind="bayesian").id == "security_dilemma_bayesian"


def test_osborne_example_from_a_file(tmp_path):
    path = tmp_path / "bos.toml"
    path.write_text(BOS, encoding="utf-8")
    scenario = load(path, kind="bayesian")
    # Osborne (2004) §9.1: the unique pure BNE is (B, (B, S)); the mixed ones computed by hand in
    # tests/test_bayesian.py::test_osborne_bos_variant_all_equilibria
    assert [e.profile.describe() for e in scenario.solve().pure] == ["One: B; Two: meet: B, avoid: S"]
    assert len(scenario.solve()) == 3
    # at q = 1 type avoid has probability 0: BoS itself, with (B, B), (S, S) and a mixed equilibrium
    assert len(scenario.solve({"q": 1})) == 3
    assert scenario.solve({"q": 1}).details["zero_probability_types"] == {"Two": ["avoid"]}


def test_joint_prior_is_equivalent_to_independent_priors():
    joint = BOS.replace('[prior.Two]\nmeet = "q"\navoid = "1 - q"',
                        '[prior.joint]\nmeet = "q"\navoid = "1 - q"')
    a, b = parse(BOS).game_at({"q": F(1, 3)}), parse(joint).game_at({"q": F(1, 3)})
    assert a.prior.tolist() == b.prior.tolist() and a.payoffs.tolist() == b.payoffs.tolist()


def test_two_typed_players_key_payoffs_by_type_profile():
    scenario = load("security_dilemma_bayesian", kind="bayesian")
    game = scenario.game_at({"pi_NATO": F(1, 2), "pi_Russia": F(1, 4)})
    assert isinstance(game, BayesianGame)
    # NATO greedy, Russia security seeker: prior (1 - 1/2) * 1/4 = 1/8; (Defect, Cooperate) pays (T_u, S) = (5, 0)
    assert game.prior[1, 0] == F(1, 8)
    assert list(game.payoffs[1, 0, 1, 0]) == [5, 0]


@pytest.mark.parametrize("old, new, message", [
    ('avoid = "1 - q"', 'avoid = "1/2"', r"bos\.toml: prior\.Two: probabilities sum to q \+ 1/2, expected 1"),
    ('avoid = "1 - q"', 'avoid = "1 - q"\nnever = 0', r"bos\.toml: prior\.Two: unknown type 'never' of Two"),
    ('[payoffs.avoid]', '[payoffs.avoidance]', r"bos\.toml: payoffs\.\"avoidance\": unknown type 'avoidance' of Two"),
    ('"S, S" = [1, 0]\n', '', r"bos\.toml: payoffs\.\"avoid\": no payoffs for the actions \"S, S\""),
    ('[prior.Two]', '[prior.One]', r"bos\.toml: prior\.One: unknown type 'meet' of One"),
    ('meet = "q"', 'meet = "q + x"', r"bos\.toml: prior\.Two\.\"meet\": .*'x'"),
    ('"B, S" = [0, 2]', '"B, S" = [0]', r"bos\.toml: payoffs\.\"avoid\"\.\"B, S\": expected a list of 2 payoffs"),
    ('"B, S" = [0, 2]', '"B, X" = [0, 2]', r"bos\.toml: payoffs\.\"avoid\"\.\"B, X\": 'X' is not an action of Two"),
    ('kind = "bayesian"', 'kind = "bayesian"\ncolour = "red"', r"bos\.toml: unknown key 'colour'"),
    ('types = ["meet", "avoid"]\n', '', r"bos\.toml: players: a bayesian scenario needs a player with two or more types"),
    ('meet = "q"\navoid = "1 - q"', 'meet = "q + 1"\navoid = "-q"', r"bos\.toml: prior \(One: known, Two: avoid\): -1/2 is negative"),
    ('[players.Two]\n', '[players.Two]\ncolour = 1\n', r"bos\.toml: players\.Two: unknown key 'colour'"),
])
def test_errors_are_one_line_and_name_file_and_field(old, new, message):
    assert old in BOS
    with pytest.raises(ScenarioError, match=message) as error:
        parse(BOS.replace(old, new, 1))
    assert "\n" not in str(error.value)


def test_missing_payoff_table_and_prior_table():
    text = BOS[:BOS.index("[payoffs.avoid]")]
    with pytest.raises(ScenarioError, match=r"bos\.toml: payoffs: no table for the type profile \"avoid\""):
        parse(text)
    no_prior = BOS.replace('[prior.Two]\nmeet = "q"\navoid = "1 - q"\n', "")
    with pytest.raises(ScenarioError, match=r"bos\.toml: prior: expected \[prior\.<player>\] tables"):
        parse(no_prior)


def test_parameter_values_are_checked_against_ranges_and_assumptions():
    scenario = load("security_dilemma_bayesian", kind="bayesian")
    with pytest.raises(ScenarioError, match=r"assumption 'R > T' does not hold"):
        scenario.solve({"T": 5})
    with pytest.raises(ScenarioError, match=r"parameter pi_NATO: 2 is above the range"):
        scenario.solve({"pi_NATO": 2})
    with pytest.raises(ScenarioError, match=r"no such file, and no bundled model"):
        load("no_such_model", kind="bayesian")


def test_monte_carlo_priors_of_parameters_are_read():
    text = BOS.replace('source = "Osborne 2004, section 9.1"', 'source = "Osborne 2004, section 9.1"\nprior = "beta:2:2"')
    assert parse(text).priors == {"q": "beta:2:2"}
