"""The Vienna Document inspection scenario against the closed forms of domain.md §M9."""

import contextlib
import io
import json
from fractions import Fraction
from math import comb

import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.scenario.model import ScenarioError

F = Fraction


def _closed_form(d, b, e, c, a, q):
    # Inspectee indifferent: β[q(-b) + (1-q)d] + (1-β)d = 0  ->  β* = d / (q(d + b)).
    # Inspector indifferent: -αc = α[-qa - (1-q)(c+e)] + (1-α)(-e)  ->  α* = e / (q(c - a + e)).
    beta = d / (q * (d + b))
    alpha = e / (q * (c - a + e))
    return alpha, beta, -c * alpha


@pytest.mark.parametrize("values", [
    {},  # defaults: d=1, b=2, e=1/10, c=2, a=1, q=4/5 -> β* = 5/12, α* = 5/44
    {"q": F(1, 2)},
    {"b": F(5), "e": F(1, 2)},
    {"d": F(3), "c": F(7), "a": F(0), "q": 1},
])
def test_unique_mixed_equilibrium_matches_closed_form(values):
    scenario = ng.load("vienna_document_inspection")
    point = {**{k: F(v) for k, v in scenario.parameters.defaults.items()}, **values}
    alpha, beta, inspector = _closed_form(*(point[k] for k in "dbecaq"))
    result = scenario.solve(values)
    assert result.exact and result.complete and len(result) == 1
    (equilibrium,) = result
    assert equilibrium.profile["Exercising state"]["Conceal"] == alpha
    assert equilibrium.profile["Inspecting states"]["Inspect"] == beta
    assert equilibrium.payoff("Exercising state") == 0
    assert equilibrium.payoff("Inspecting states") == inspector


def test_defaults_by_hand():
    (equilibrium,) = ng.load("vienna_document_inspection").solve()
    assert equilibrium.profile["Inspecting states"]["Inspect"] == F(5, 12)
    assert equilibrium.profile["Exercising state"]["Conceal"] == F(5, 44)


def test_paradox_of_inspection_penalty_moves_inspection_not_violation():
    scenario = ng.load("vienna_document_inspection")
    low, high = scenario.solve({"b": F(1)})[0], scenario.solve({"b": F(10)})[0]
    assert low.profile["Exercising state"]["Conceal"] == high.profile["Exercising state"]["Conceal"]
    assert high.profile["Inspecting states"]["Inspect"] < low.profile["Inspecting states"]["Inspect"]


def test_detection_too_poor_to_deter():
    # q < d/(d+b) = 1/3: even certain inspection leaves concealment profitable:
    # Conceal is strictly dominant (q(-b) + (1-q)d = 1/4·(-2) + 3/4 = 1/4 > 0), and the inspectors
    # inspect iff -qa - (1-q)(c+e) > -c: -1/4 - 3/4·21/10 = -73/40 > -2, so they inspect.
    result = ng.load("vienna_document_inspection").solve({"q": F(1, 4)})
    assert [eq.profile.describe() for eq in result] == ["Exercising state: Conceal; Inspecting states: Inspect"]


def test_recursive_section_is_dreshers_game_when_detection_is_perfect():
    scenario = ng.load("vienna_document_inspection")
    analysis = scenario.analyses({"b": F(1), "q": F(1)})["recursive_inspection"]
    # Dresher (1962) / von Stengel (2016): v(12, 3) = C(11, 3) / (1 + 12 + 66 + 220) = 165/299.
    assert analysis.value == F(comb(11, 3), 1 + 12 + 66 + 220) == F(165, 299)
    assert [row["inspections"] for row in analysis.to_records()] == [0, 1, 2, 3]


def test_cli_prints_both_and_json_has_both():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["solve", "vienna_document_inspection", "--set", "quota=2", "--format", "json"]) == 0
    data = json.loads(out.getvalue())
    assert data["equilibria"][0]["profile"]["Inspecting states"]["Inspect"] == "5/12"
    assert data["recursive_inspection"]["inspections"] == 2
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["solve", "vienna_document_inspection"]) == 0
    assert "Recursive inspection game" in out.getvalue()


def test_bad_inspection_section_is_one_line(tmp_path):
    text = (ng.scenario.models_directory() / "vienna_document_inspection.toml").read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('periods = "periods"', 'periods = "months"'))
    with pytest.raises(ScenarioError, match=r"bad.toml: inspection.periods: .*months"):
        ng.load(bad)
    bad.write_text(text.replace('detection = "q"', 'detection = "q"\nextra = 1'))
    with pytest.raises(ScenarioError, match="inspection: unknown key 'extra'"):
        ng.load(bad)
