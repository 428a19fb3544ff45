"""``negotiation noisy`` and the noise keys of a scenario's ``[repetition]`` section (issue 18, item 1)."""

from __future__ import annotations

import json
import textwrap
from fractions import Fraction as F

import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.models.automata import NoisyRepetition
from negotiation.scenario.model import ScenarioError
from negotiation.scenario.repeated import noisy_settings

HEAD = """
schema = "negotiation.scenario/1"
id = "noisy_dilemma"
title = "A security dilemma repeated with errors"
kind = "normal-form"
[players]
NATO = ["Restrain", "Deploy"]
Russia = ["Restrain", "Deploy"]
[payoffs]
"Restrain, Restrain" = [3, 3]
"Restrain, Deploy" = [0, 4]
"Deploy, Restrain" = [4, 0]
"Deploy, Deploy" = [1, 1]
[repetition]
discount = "9/10"
target = ["Restrain", "Restrain"]
noise = "1/100"
"""

CONTRITE = """
automata = ["TFT", "WSLS", "Contrite", "ALLD"]
[repetition.automaton.Contrite]
states = ["good", "sorry"]
play = { good = "Restrain", sorry = { Restrain = "1/2", Deploy = "1/2" } }
next = { good = { Deploy = "sorry", "*" = "good" }, sorry = { "*" = "good" } }
"""


def scenario_file(tmp_path, text):
    path = tmp_path / "noisy.toml"
    path.write_text(textwrap.dedent(HEAD + text), encoding="utf-8")
    return path


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_user_defined_automaton_is_read_and_played(tmp_path):
    """The 'Contrite' automaton forgives after one period: from 'sorry' it always goes back to 'good'. Against
    ALLC without errors it is never provoked, so it cooperates for ever: R = 3 for both."""
    scenario = ng.load(scenario_file(tmp_path, CONTRITE))
    settings = noisy_settings(scenario)
    assert settings["noise"] == F(1, 100) and settings["discount"] == F(9, 10)
    assert settings["automata"] == ("TFT", "WSLS", "Contrite", "ALLD")
    (contrite,) = settings["defined"]
    assert contrite.states == ("good", "sorry")
    assert contrite.next_state("good", "Restrain", "Deploy") == "sorry"
    assert contrite.next_state("sorry", "Deploy", "Deploy") == "good"
    result = ng.noisy_payoffs(settings["game"], "Contrite", "ALLC", defined=settings["defined"])
    assert result.limit_of_means == (3, 3)
    # the older keys still work, and the section is still answered by `solve`
    assert isinstance(scenario.options[0].repetition, NoisyRepetition)
    assert "Repeated game" in ng.solve(scenario).to_text()


@pytest.mark.parametrize("text, message", [
    ('noise = 2\n', "repetition.noise: expected an error rate in [0, 1], found 2"),
    ('automata = "TFT"\n', "repetition.automata: expected a list"),
    ('[repetition.automaton.X]\nstates = ["a"]\nplay = { a = "Maybe" }\nnext = { a = { "*" = "a" } }\n',
     "'Maybe' is not a strategy"),
    (('[repetition.automaton.X]\nstates = ["a", "b"]\nplay = { a = "Deploy", b = "Deploy" }\n'
      'next = { a = { Deploy = "b" }, b = { "*" = "a" } }\n'), "no next state after own 'Restrain' and other 'Restrain'"),
    ('[repetition.automaton.X]\nstates = ["1", "2", "3", "4", "5", "6", "7"]\nplay = {}\nnext = {}\n',
     "MAX_AUTOMATON_STATES"),
])
def test_mistakes_in_the_section_are_one_line_errors(tmp_path, text, message):
    body = HEAD.replace('noise = "1/100"\n', "") + text if text.startswith("noise") else HEAD + text
    path = tmp_path / "noisy.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")) as error:
        ng.load(path)
    assert "\n" not in str(error.value)


def test_the_command_lists_the_equilibria_of_the_scenarios_automata(tmp_path, capsys):
    """T, R, P, S = 4, 3, 1, 0 at ε = 1/100, δ = 9/10: WSLS is an equilibrium (δ ≥ 1/(2(1 − 2ε)²) ≈ 0.52,
    see test_noisy_repetition.py), and so is ALLD (a stage equilibrium for ever)."""
    code, out, _ = run(capsys, "noisy", str(scenario_file(tmp_path, CONTRITE)), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["checked_against_all_strategies"] is True
    found = {(p["first"], p["second"]) for p in data["pairs"] if p["equilibrium_against_all_strategies"]}
    assert found == {("WSLS", "WSLS"), ("ALLD", "ALLD")}


def test_the_command_options_override_the_scenario(tmp_path, capsys):
    path = str(scenario_file(tmp_path, ""))
    code, out, _ = run(capsys, "noisy", path, "--pair", "TFT,TFT", "--noise", "1/5", "--format", "json")
    assert code == 0
    assert json.loads(out)["limit_of_means"] == {"NATO": "2", "Russia": "2"}  # (3 + 0 + 4 + 1)/4
    code, out, _ = run(capsys, "noisy", path, "--pair", "TFT,TFT", "--perception", "1/5", "--noise", "0",
                       "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("player,automaton")


def test_the_critical_discount_and_its_figure(tmp_path, capsys):
    figure = tmp_path / "critical.png"
    code, out, _ = run(capsys, "noisy", str(scenario_file(tmp_path, "")), "--critical", "WSLS", "--plot",
                       str(figure), "--format", "json")
    assert code == 0 and figure.stat().st_size > 0
    data = json.loads(out)
    assert data["curve"][0] == {"noise": "0", "critical_discount": "1/2"}
    assert data["formula"] == "1/(2*(2*epsilon - 1)**2)"


@pytest.mark.parametrize("argv, message", [
    (["--noise", "3/2"], "noise: expected an error rate in [0, 1], found 3/2"),
    (["--automata", "TFT,NICE"], "unknown automaton 'NICE'"),
    (["--pair", "TFT"], "--pair 'TFT': expected two automaton names"),
    (["--critical", "TFT", "--perception", "1/10"], "name the automata to compare with"),
])
def test_bad_options_exit_1_with_one_line(tmp_path, capsys, argv, message):
    code, out, err = run(capsys, "noisy", str(scenario_file(tmp_path, "")), *argv)
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_models_of_another_kind_are_refused(capsys):
    code, _, err = run(capsys, "noisy", "cfe2")
    assert code == 1 and "which noisy takes" in err
