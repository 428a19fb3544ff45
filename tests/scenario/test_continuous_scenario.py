"""Continuous scenario files (kind = "continuous"): parsing, errors, bundled models, dynamics."""

import tomllib
from fractions import Fraction

import pytest
import sympy

from negotiation.scenario import load
from negotiation.dynamics.richardson import stability, steady_state
from negotiation.scenario.continuous import parse_continuous
from negotiation.scenario.model import ScenarioError

HEADER = {"schema": "negotiation.scenario/1", "id": "t", "title": "Test", "kind": "continuous"}

BAYESIAN = """
schema = "negotiation.scenario/1"
id = "bayesian_cournot"
title = "Cournot with private cost (Gibbons 1992, 3.1.A)"
kind = "continuous"

[parameters.a]
default = 10
range = [1, 100]
description = "demand intercept"
source = "Gibbons 1992"

[parameters.theta]
default = "1/2"
range = [0, 1]
description = "probability of the high cost"
source = "Gibbons 1992"

[players."Firm 1"]
variable = "q1"
range = [0, "inf"]

[players."Firm 2"]
variable = "q2"
range = [0, "inf"]

[players."Firm 2".types.high]
probability = "theta"
values = { c2 = 2 }

[players."Firm 2".types.low]
probability = "1 - theta"
values = { c2 = 1 }

[payoffs]
"Firm 1" = "(a - q1 - q2 - 1)*q1"
"Firm 2" = "(a - q1 - q2 - c2)*q2"
"""


def spec(**changes):
    data = {**HEADER,
            "parameters": {"k": {"default": 1, "range": [0, 5], "description": "cost", "source": "test"}},
            "players": {"A": {"variable": "x", "range": [0, 10]}, "B": {"variable": "y", "range": [0, "inf"]}},
            "payoffs": {"A": "x*(10 - x - y) - k*x", "B": "y*(10 - x - y)"}}
    data.update(changes)
    return data


def test_bundled_force_posture_model_closed_forms():
    scenario = load("force_posture_cournot", kind="continuous")
    # file's hand derivation: x* = (V - 2 c_N + c_R)/(3 s) = (10 - 2 + 2)/(3/4) = 40/3, y* = (10 - 4 + 1)/(3/4) = 28/3
    result = scenario.solve()
    assert len(result) == 1 and result.exact and result.complete
    assert (result[0]["NATO"], result[0]["Russia"]) == (Fraction(40, 3), Fraction(28, 3))
    # corner: c_R = 15 > (V + c_N)/2 = 11/2, Russia stays out, NATO plays (V - c_N)/(2 s) = 9/(1/2) = 18
    corner = scenario.solve({"c_R": 15})
    assert (corner[0]["NATO"], corner[0]["Russia"], corner[0].binding) == (18, 0, ("interior", "lower"))
    for p in scenario.parameters:  # same requirement as tests/scenario/test_loader.py for bundled models
        assert p.description and p.source and p.default is not None and p.low is not None
    assert "Kind: continuous" in scenario.describe()


def test_bundled_richardson_model_game_equilibrium_is_the_steady_state():
    scenario = load("richardson_arms_race", kind="continuous")
    model = scenario.dynamics_at()
    # domain.md §M11 at the defaults: x* = 95/13, y* = 115/13 (arithmetic in tests/test_richardson.py)
    assert steady_state(model) == {"NATO": Fraction(95, 13), "Russia": Fraction(115, 13)}
    assert stability(model).stable is True
    result = scenario.solve()
    assert (result[0]["NATO"], result[0]["Russia"]) == (Fraction(95, 13), Fraction(115, 13))
    # runaway (m n = 1/4 < a b = 1): no interior steady state in the box, both at the ceiling
    runaway = scenario.solve({"a": 1, "b": 1})
    assert [(e["NATO"], e["Russia"]) for e in runaway] == [(40, 40)]
    assert stability(scenario.dynamics_at({"a": 1, "b": 1})).kind == "saddle"
    for p in scenario.parameters:
        assert p.description and p.source and p.default is not None and p.low is not None
    assert "Dynamics (Richardson)" in scenario.describe()


def test_bayesian_types_in_toml_match_gibbons():
    scenario = parse_continuous(tomllib.loads(BAYESIAN), "bayes.toml")
    # Gibbons (1992) §3.1.A with a = 10, c = 1, theta = 1/2, c_H = 2, c_L = 1:
    # q1 = 19/6, q2(high) = 29/12, q2(low) = 35/12 (arithmetic in tests/test_continuous.py)
    e, = scenario.solve()
    assert e["Firm 1"] == Fraction(19, 6) and e["Firm 2"] == {"high": Fraction(29, 12), "low": Fraction(35, 12)}
    # theta = 1: firm 2 is surely high-cost -> complete-information Cournot q1 = (10 - 2 + 2)/3 = 10/3
    assert scenario.solve({"theta": 1})[0]["Firm 1"] == Fraction(10, 3)


def test_minimal_scenario_and_symbolic_derivation():
    scenario = parse_continuous(spec(), "t.toml")
    # FOCs 10 - 2x - y - k = 0 and 10 - x - 2y = 0 at k = 1: x = (20 - 2k - 10)/3 = 8/3, y = (10 - 8/3)/2 = 11/3
    e, = scenario.solve()
    assert (e["A"], e["B"]) == (Fraction(8, 3), Fraction(11, 3))
    derived = scenario.derive()
    interior = [d for d in derived if d.binding == ("interior", "interior")][0]
    k = scenario.parameters["k"].symbol
    assert sympy.simplify(interior["A"] - (10 - 2 * k) / 3) == 0


@pytest.mark.parametrize("changes, message", [
    ({"extra": 1}, "unknown key 'extra'"),
    ({"players": {"A": {"variable": "1x", "range": [0, 1]}}}, r"players\.A\.variable: expected an identifier"),
    ({"players": {"A": {"variable": "k", "range": [0, 1]}}}, r"players\.A\.variable: 'k' is already a parameter"),
    ({"players": {"A": {"variable": "x", "range": [0]}}}, r"players\.A\.range: expected \[low, high\]"),
    ({"players": {"A": {"variable": "x", "range": [0, 1], "colour": "red"}}}, r"players\.A: unknown key 'colour'"),
    ({"payoffs": {"A": "x"}}, "payoffs: no payoff for 'B'"),
    ({"payoffs": {"A": "x", "B": "y", "C": "1"}}, r"payoffs\.C: not a player"),
    ({"payoffs": {"A": "x + zz", "B": "y"}}, r"payoffs\.A: name 'zz' is not a declared parameter"),
    ({"payoffs": {"A": "eval('1')", "B": "y"}}, r"payoffs\.A: function 'eval' is not allowed"),
    ({"dynamics": {"kind": "lotka"}}, r"dynamics\.kind: expected \"richardson\""),
    ({"dynamics": {"kind": "richardson", "a": 1}}, r"dynamics: missing coefficient 'b'"),
    ({"kind": "normal-form"}, "kind: expected 'continuous'"),
])
def test_errors_name_file_and_field(changes, message):
    with pytest.raises(ScenarioError, match=message) as error:
        parse_continuous(spec(**changes), "t.toml")
    assert str(error.value).startswith("t.toml") and "\n" not in str(error.value)


def test_type_errors():
    players = {"A": {"variable": "x", "range": [0, 1]},
               "B": {"variable": "y", "range": [0, 1],
                     "types": {"l": {"probability": "1/2", "values": {"c": 0}},
                               "h": {"probability": "1/4", "values": {"c": 1}}}}}
    with pytest.raises(ScenarioError, match=r"types\.B: type probabilities sum to 3/4"):
        parse_continuous(spec(players=players, payoffs={"A": "x", "B": "y*c"}), "t.toml")
    players["B"]["types"]["h"] = {"probability": "1/2", "values": {"d": 1}}
    with pytest.raises(ScenarioError, match=r"types\.h\.values: expected the names \['c'\]"):
        parse_continuous(spec(players=players, payoffs={"A": "x", "B": "y*c"}), "t.toml")


def test_out_of_range_values_are_rejected():
    scenario = load("force_posture_cournot", kind="continuous")
    with pytest.raises(ScenarioError, match="parameter s: 10 is above the range"):
        scenario.solve({"s": 10})
