"""Assumption tags reach the outputs (issue 13, item 5): a result computed from a scenario says, in every table
format, in JSON and under its figure, which parameters are tagged ``assumption`` and at which values.

The expected names and values are read from the scenario file itself with ``tomllib`` (the file is the
independent source: which parameters it tags ``assumption`` and their defaults), not from the toolkit."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from fractions import Fraction
from pathlib import Path

import pytest

import negotiation as ng
from negotiation.core.document import assumptions_line

ROOT = Path(__file__).resolve().parents[2]


def _tagged_defaults(model: str) -> dict:
    data = tomllib.loads((ROOT / "models" / f"{model}.toml").read_text(encoding="utf-8"))
    return {name: Fraction(str(p["default"])) for name, p in data["parameters"].items()
            if p.get("confidence") == "assumption"}


def _line(values: dict) -> str:
    shown = ", ".join(f"{name} = {value}" for name, value in values.items())
    return f"Assumption-tagged parameters (illustrative values): {shown}"


@pytest.fixture(scope="module")
def security_dilemma():
    return ng.load("security_dilemma")


def test_the_file_tags_k_g_l_w(security_dilemma):
    # the issue names them: "its four assumption-tagged magnitudes (k, G, L, W)"
    assert _tagged_defaults("security_dilemma") == {"k": 1, "G": 4, "L": 10, "W": 2}


def test_every_table_format_says_which_values_are_assumptions(security_dilemma):
    result = ng.solve(security_dilemma)
    line = _line(_tagged_defaults("security_dilemma"))
    lines = result.to_text().splitlines()
    assert line in lines and lines.index(line) < lines.index("")  # in the heading, above the table
    for rendering in (result.to_markdown(), result.to_latex(), result._repr_html_()):
        assert "Assumption-tagged parameters (illustrative values): k = 1, G = 4, L = 10, W = 2" in rendering
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert rows and all(row["assumptions"] == line for row in rows)
    assert set(result.to_frame()["assumptions"]) == {line}


def test_json_lists_the_tagged_parameters_with_their_values(security_dilemma):
    data = json.loads(json.dumps(ng.solve(security_dilemma).to_dict()))
    assert data["messages"][-1] == "Assumption-tagged parameters (illustrative values): k = 1, G = 4, L = 10, W = 2"


def test_values_set_by_the_user_are_the_values_listed(security_dilemma):
    result = ng.solve(security_dilemma, values={"k": Fraction(3, 2), "L": 12})
    assert result.assumption_tagged == {"k": Fraction(3, 2), "G": 4, "L": 12, "W": 2}
    assert "Assumption-tagged parameters (illustrative values): k = 3/2, G = 4, L = 12, W = 2" in result.to_text()


def test_a_plain_game_has_no_assumption_line():
    result = ng.solve(ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    assert result.assumption_tagged == {}
    assert "Assumption-tagged" not in result.to_text() and "Assumption-tagged" not in json.dumps(result.to_dict())
    assert "assumptions" not in result.to_csv().splitlines()[0].split(",")


def test_a_file_without_assumption_tags_adds_nothing(tmp_path):
    text = (ROOT / "models" / "security_dilemma.toml").read_text(encoding="utf-8")
    untagged = tmp_path / "untagged.toml"
    untagged.write_text(text.replace('confidence = "assumption"', 'confidence = "toolkit"'), encoding="utf-8")
    result = ng.solve(ng.load(untagged))
    assert result.assumption_tagged == {} and "Assumption-tagged" not in result.to_text()


def test_other_scenario_kinds_carry_the_tags_too():
    result = ng.solve(ng.load("infrastructure_limits"))
    expected = _tagged_defaults("infrastructure_limits")
    assert dict(result.assumption_tagged) == expected
    assert _line(expected) in result.to_text()


def test_the_figure_caption_lists_them():
    pytest.importorskip("matplotlib")
    figure = ng.solve(ng.load("infrastructure_limits")).plot()  # the agreement set
    texts = [text.get_text() for text in figure.texts]
    assert _line(_tagged_defaults("infrastructure_limits")) in texts
    figure.clf()


def test_a_derivation_keeps_the_parameters_the_user_did_not_fix_symbolic(security_dilemma):
    result = ng.derive(security_dilemma, values={"k": 2})
    assert dict(result.assumption_tagged) == {"k": 2, "G": None, "L": None, "W": None}


def test_symbolic_values_are_named_alone():
    assert assumptions_line({"k": None, "G": 4}) == "Assumption-tagged parameters (illustrative values): k (symbolic), G = 4"
    assert assumptions_line({}) == ""
