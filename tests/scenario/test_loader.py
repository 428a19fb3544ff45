"""Scenario files: loading, validation errors (one line, naming file and field), safety."""

from fractions import Fraction as F
from pathlib import Path

import pytest

import negotiation as ng
from negotiation.scenario import ScenarioError, bundled_models, load, parse_scenario

HEADER = '''
schema = "negotiation.scenario/1"
id = "test"
title = "Test"
kind = "normal-form"
[players]
A = ["x", "y"]
B = ["x", "y"]
'''

PAYOFFS = '''
[payoffs]
"x, x" = ["a", "0"]
"x, y" = [0, 0]
"y, x" = [0, 0]
"y, y" = ["0.1", 1]
'''

PARAM_A = '''
[parameters.a]
default = 1
range = [0, 2]
'''


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_scenario_loads_and_solves(tmp_path):
    scenario = load(write(tmp_path, HEADER + PARAM_A + PAYOFFS))
    game = scenario.game_at()
    assert game.payoff_array("A")[1, 1] == F(1, 10)  # "0.1" is exact
    assert scenario.solve({"a": "3/2"}).parameters == {"a": F(3, 2)}


def test_decimal_defaults_are_exact(tmp_path):
    text = HEADER + PARAM_A.replace("default = 1", "default = 0.3") + PAYOFFS
    assert load(write(tmp_path, text)).parameters["a"].default == F(3, 10)


@pytest.mark.parametrize("text, message", [
    (HEADER.replace("negotiation.scenario/1", "other/2") + PARAM_A + PAYOFFS, "schema"),
    (HEADER.replace('kind = "normal-form"', 'kind = "poker"') + PARAM_A + PAYOFFS, "kind"),
    ("extra = 1\n" + HEADER + PARAM_A + PAYOFFS, "unknown key 'extra'"),
    (HEADER + PARAM_A.replace("default = 1", "default = 5") + PAYOFFS, r"parameters\.a\.default.*outside the range"),
    (HEADER + PARAM_A.replace("range = [0, 2]", "range = [0, 2]\ncolour = 1") + PAYOFFS, "unknown key 'colour'"),
    (HEADER + PARAM_A + PAYOFFS.replace('"x, y" = [0, 0]\n', ""), 'no payoffs for the profile "x, y"'),
    (HEADER + PARAM_A + PAYOFFS.replace('"x, y"', '"x, z"'), "'z' is not a strategy of B"),
    (HEADER + PARAM_A + PAYOFFS.replace('"a"', '"b"'), "b"),
    (HEADER + PARAM_A + PAYOFFS.replace('"a"', '"a +"'), r'payoffs\."x, x"\[0\]'),
    (HEADER + PARAM_A + PAYOFFS.replace('["a", "0"]', '["a"]'), "expected a list of 2 payoffs"),
    (HEADER + PARAM_A + PAYOFFS + '\n[[assumptions]]\nexpr = "a > 1"\n', "assumption 'a > 1' does not hold at a=1"),
    ("schema = [", "invalid TOML"),
])
def test_errors_are_one_line_and_name_file_and_field(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError, match=message) as info:
        load(path)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(str(path))


def test_code_in_a_payoff_is_rejected_and_never_runs(tmp_path):
    sentinel = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {sentinel}')"
    text = HEADER + PARAM_A + PAYOFFS.replace('["a", "0"]', "['''" + payload + "''', \"0\"]")
    with pytest.raises(ScenarioError) as info:
        load(write(tmp_path, text))
    assert "\n" not in str(info.value)
    assert not sentinel.exists()


def test_expression_bombs_are_rejected_quickly(tmp_path):
    import time

    for bomb in ("9**9**9**9", "+".join(["a"] * 100_000)):
        text = HEADER + PARAM_A + PAYOFFS.replace('"a"', f'"{bomb}"')
        start = time.perf_counter()
        with pytest.raises(ScenarioError):
            load(write(tmp_path, text))
        assert time.perf_counter() - start < 2


def test_out_of_range_and_unknown_values(tmp_path):
    scenario = load(write(tmp_path, HEADER + PARAM_A + PAYOFFS))
    with pytest.raises(ScenarioError, match="above the range"):
        scenario.game_at({"a": 3})
    with pytest.raises(ScenarioError, match="unknown parameter 'q'"):
        scenario.game_at({"q": 3})


def test_missing_file_and_unknown_name():
    with pytest.raises(ScenarioError, match="no such file, and no bundled model"):
        load("no_such_model")
    with pytest.raises(ScenarioError, match="unknown file type"):
        load(Path(__file__))


def test_nfg_loads_as_a_scenario():
    scenario = load(Path(__file__).resolve().parents[1] / "data" / "vonstengel1999_6x6_75eq.nfg")
    assert scenario.game.shape == (6, 6)
    assert scenario.parameters.names == ()


def test_every_bundled_model_loads_validates_and_solves_at_defaults():
    models = bundled_models()
    assert "security_dilemma" in models
    for name in models:
        scenario = ng.load(name)
        result = scenario.solve()
        assert len(result) >= 1
        for p in scenario.parameters:
            assert p.description and p.source and p.default is not None and p.low is not None


def test_declared_priors_are_read_and_validated(tmp_path):
    text = HEADER + PARAM_A.replace("range = [0, 2]", 'range = [0, 2]\nprior = "beta:2:5"') + PAYOFFS
    assert load(write(tmp_path, text)).priors == {"a": "beta:2:5"}
    bad = HEADER + PARAM_A.replace("range = [0, 2]", 'range = [0, 2]\nprior = "zeta:1"') + PAYOFFS
    with pytest.raises(ScenarioError, match=r"parameters\.a\.prior: .*unknown prior 'zeta'"):
        load(write(tmp_path, bad))
