"""Signaling scenario files (kind = "bayesian", form = "signaling"): the bundled reassurance model and
one-line errors for bad files."""

import tomllib
from fractions import Fraction as F
from pathlib import Path

import pytest

from negotiation.scenario import load
from negotiation.scenario import ScenarioError
from negotiation.scenario.signaling import SignalingScenario, parse_signaling
from negotiation.models.signaling import SignalingGame

MODEL = Path(__file__).resolve().parents[2] / "models" / "reassurance_signal.toml"

# Beer–quiche (Cho & Kreps 1987) as a scenario file, with the prior of Strong as a parameter.
BEER_QUICHE = '''schema = "negotiation.scenario/1"
id = "beer_quiche"
title = "Beer-quiche"
kind = "bayesian"
form = "signaling"

[sender]
player = "Sender"
types = ["Strong", "Weak"]
prior = ["p", "1 - p"]
messages = ["Beer", "Quiche"]

[receiver]
player = "Receiver"
responses = ["Duel", "NotDuel"]

[parameters.p]
default = "9/10"
range = [0, 1]
description = "prior probability that the sender is strong"
source = "Cho & Kreps 1987"
confidence = "published"

[payoffs.Strong]
"Beer, Duel" = [1, 0]
"Beer, NotDuel" = [3, 1]
"Quiche, Duel" = [0, 0]
"Quiche, NotDuel" = [2, 1]

[payoffs.Weak]
"Beer, Duel" = [0, 1]
"Beer, NotDuel" = [2, 0]
"Quiche, Duel" = [1, 1]
"Quiche, NotDuel" = [3, 0]
'''


def parse(text, source="bq.toml"):
    return parse_signaling(tomllib.loads(text), source)


def test_beer_quiche_file_parses_and_solves():
    scenario = parse(BEER_QUICHE)
    assert isinstance(scenario, SignalingScenario) and scenario.kind == "bayesian" and scenario.form == "signaling"
    assert isinstance(scenario.game, SignalingGame) and scenario.game.is_symbolic
    result = scenario.solve()
    # hand derivation in tests/test_signaling.py: pooling on Beer (survives), on Quiche (fails)
    assert [(e.sender_strategy["Strong"], e.intuitive.survives) for e in result] == [("Beer", True),
                                                                                     ("Quiche", False)]
    assert result.parameters == {"p": F(9, 10)}
    assert scenario.game_at({"p": "1/2"}).prior == (F(1, 2), F(1, 2))


def test_bundled_reassurance_model_loads_validates_and_solves():
    scenario = load(MODEL, kind="bayesian")
    assert scenario.id == "reassurance_signal" and scenario.game.sender == "Russia"
    assert scenario.game.receiver == "NATO"
    for parameter in scenario.parameters:
        assert parameter.description and parameter.source and parameter.unit
        assert parameter.low is not None and parameter.high is not None
    result = scenario.solve()
    assert [e.kind for e in result] == ["separating", "pooling"]
    text = scenario.describe()
    assert "Game at pi = 2/5, s = 3/2" in text and "Assumptions:" in text and "Trustworthy" in text
    # derived quantities: separating interval [T_u - P_u, R_t - P_t] = [1, 2], NATO's threshold 1/2
    values = scenario.parameters.defaults
    import sympy

    substitution = {scenario.parameters.symbols[k]: sympy.Rational(v.numerator, v.denominator)
                    for k, v in values.items()}
    assert scenario.derived["untrustworthy_gain"].xreplace(substitution) == 1
    assert scenario.derived["trustworthy_gain"].xreplace(substitution) == 2
    assert scenario.derived["nato_threshold"].xreplace(substitution) == sympy.Rational(1, 2)


def test_solve_rejects_unknown_method_and_bad_values():
    scenario = load(MODEL, kind="bayesian")
    with pytest.raises(ScenarioError, match="method 'vertex_enumeration' does not apply"):
        scenario.solve(method="vertex_enumeration")
    with pytest.raises(ScenarioError, match="above the range|outside|range"):
        scenario.solve({"pi": "3/2"})
    with pytest.raises(ScenarioError, match="assumption 'T_u > P_u' does not hold"):
        scenario.solve({"T_u": 1})


def test_table_forms_of_prior_and_responses():
    text = BEER_QUICHE.replace('prior = ["p", "1 - p"]', 'prior = { Weak = "1 - p", Strong = "p" }')
    text = text.replace('responses = ["Duel", "NotDuel"]',
                        'responses = { Beer = ["Duel", "NotDuel"], Quiche = ["Duel", "NotDuel"] }')
    scenario = parse(text)
    assert scenario.game_at().prior == (F(9, 10), F(1, 10))
    assert len(scenario.solve()) == 2


def _replace(old, new):
    assert old in BEER_QUICHE
    return BEER_QUICHE.replace(old, new)


@pytest.mark.parametrize("text, message", [
    ('colour = "red"\n' + BEER_QUICHE, "bq.toml: unknown key 'colour' for a signaling scenario"),
    (_replace('form = "signaling"', 'form = "screening"'), "bq.toml: form: expected 'signaling', found 'screening'"),
    (_replace('kind = "bayesian"', 'kind = "normal-form"'), "bq.toml: kind: expected 'bayesian'"),
    (_replace('[sender]\nplayer = "Sender"', '[sender]\nplayer = "Receiver"'),
     "bq.toml: receiver.player: 'Receiver' is also the sender"),
    (_replace('prior = ["p", "1 - p"]', 'prior = ["p"]'), "bq.toml: sender.prior: 1 probabilities given for 2 types"),
    (_replace('prior = ["p", "1 - p"]', 'prior = ["1/2", "1/3"]'), "bq.toml: prior: probabilities sum to 5/6"),
    (_replace('prior = ["p", "1 - p"]', 'prior = ["p", "p"]'), "bq.toml: prior: probabilities sum to 9/5"),
    (_replace('prior = ["p", "1 - p"]', 'prior = ["q", "1 - q"]'), "bq.toml: sender.prior[0]"),
    (_replace('prior = ["p", "1 - p"]', 'prior = { Strong = "p", Mild = "1 - p" }'),
     "bq.toml: sender.prior: unknown type 'Mild'"),
    (_replace('types = ["Strong", "Weak"]', 'types = ["Strong", "Strong"]'),
     "bq.toml: sender.types: duplicate label 'Strong'"),
    (_replace('messages = ["Beer", "Quiche"]', 'messages = ["Beer, lager", "Quiche"]'),
     "message labels cannot contain commas"),
    (_replace('responses = ["Duel", "NotDuel"]', 'responses = { Beer = ["Duel"] }'),
     "bq.toml: receiver.responses: no responses after message 'Quiche'"),
    (_replace('[receiver]\nplayer = "Receiver"\n', '[receiver]\nplayer = "Receiver"\nmood = "calm"\n'),
     "bq.toml: receiver: unknown key 'mood'"),
    (_replace('"Beer, Duel" = [1, 0]\n', ''), 'bq.toml: payoffs.Strong: no payoffs for "Beer, Duel"'),
    (_replace('"Beer, Duel" = [1, 0]', '"Wine, Duel" = [1, 0]'),
     'bq.toml: payoffs.Strong."Wine, Duel": \'Wine\' is not a message'),
    (_replace('"Beer, Duel" = [1, 0]', '"Beer, Flee" = [1, 0]'),
     'bq.toml: payoffs.Strong."Beer, Flee": \'Flee\' is not a response after \'Beer\''),
    (_replace('"Beer, Duel" = [1, 0]', '"Beer, Duel" = [1]'),
     'bq.toml: payoffs.Strong."Beer, Duel": expected a list of 2 payoffs'),
    (_replace('"Beer, Duel" = [1, 0]', '"Beer, Duel" = ["__import__(1)", 0]'),
     'bq.toml: payoffs.Strong."Beer, Duel"[0]'),
    (_replace('"Beer, Duel" = [1, 0]', '"Beer" = [1, 0]'), 'expected "message, response"'),
    (_replace('[payoffs.Weak]', '[payoffs.Mild]'), "bq.toml: payoffs.Mild: unknown type"),
    (_replace('default = "9/10"', 'default = "3/2"'), "bq.toml: parameters.p.default"),
    (BEER_QUICHE.split("[receiver]")[0], "bq.toml: receiver: expected a table [receiver]"),
])
def test_bad_files_give_one_line_scenario_errors(text, message):
    with pytest.raises(ScenarioError) as error:
        parse(text)
    shown = str(error.value)
    assert message in shown, shown
    assert "\n" not in shown


def test_load_reports_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        load(tmp_path / "none.toml", kind="bayesian")
    bad = tmp_path / "bad.toml"
    bad.write_text("kind = ", encoding="utf-8")
    with pytest.raises(ScenarioError, match="invalid TOML"):
        load(bad, kind="bayesian")
