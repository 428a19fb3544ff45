"""``negotiation agree`` through command_agree with a parser built by add_agree_parser."""

from __future__ import annotations

import argparse
import json
from fractions import Fraction as F

import pytest

from negotiation.cli.agree import add_parser as add_agree_parser, run as command_agree


def run(capsys, *argv):
    parser = argparse.ArgumentParser(prog="negotiation")
    add_agree_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["agree", *argv])
    code = command_agree(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report(capsys):
    code, out, err = run(capsys, "infrastructure_limits")
    assert code == 0 and err == ""
    for text in ("Zone of possible agreement: non-empty", "Nash", "Kalai–Smorodinsky", "egalitarian",
                 "utilitarian", "Pareto frontier", "missiles = verified ban", "Deploy, Deploy"):
        assert text in out


def test_json_shape(capsys):
    code, out, _ = run(capsys, "infrastructure_limits", "--format", "json", "--solution", "nash",
                       "--solution", "kalai_smorodinsky")
    data = json.loads(out)
    assert code == 0
    # "complete" and "degenerate": every result's JSON says how it was obtained (results/base.py)
    assert set(data) == {"problem", "parameters", "exact", "method", "complete", "degenerate", "zone", "frontier",
                         "solutions", "messages"}
    assert data["problem"]["parties"] == ["NATO", "Russia"]
    assert data["problem"]["disagreement"] == {"NATO": "-2", "Russia": "-2"}
    assert {i["name"]: i["kind"] for i in data["problem"]["issues"]}["missiles"] == "discrete"
    assert data["exact"] is True and data["zone"]["empty"] is False
    assert list(data["solutions"]) == ["nash", "kalai_smorodinsky"]
    nash = data["solutions"]["nash"]
    assert nash["utilities"] == {"NATO": "-3679/2800", "Russia": "-2879/2400"}
    assert nash["agreement"]["terms"]["troops"] == "1571000/399"
    # a discrete issue: the option's label under "labels"; "terms" holds numbers only (a word states none)
    assert nash["agreement"]["terms"]["missiles"] is None
    assert nash["agreement"]["labels"] == {"missiles": "verified ban"}
    assert data["frontier"]["kind"] == "polygonal"
    assert len(data["frontier"]["connected"]) == len(data["frontier"]["points"]) - 1
    assert data["parameters"]["omega"] == "1/2"


def test_empty_zone_is_reported_with_status_0(capsys):
    code, out, _ = run(capsys, "infrastructure_limits", "--set", "W=0")
    assert code == 0
    assert "No agreement beats no deal for both at these parameters" in out
    code, out, _ = run(capsys, "infrastructure_limits", "--set", "W=0", "--format", "json")
    data = json.loads(out)
    assert data["zone"]["empty"] is True and data["solutions"] == {}
    assert F(data["zone"]["max_min_gain"]) < 0


def test_markdown_and_latex(capsys):
    code, out, _ = run(capsys, "infrastructure_limits", "--format", "markdown")
    assert code == 0 and "| solution |" in out and "Zone of possible agreement:" in out
    code, out, _ = run(capsys, "infrastructure_limits", "--format", "latex")
    assert code == 0 and "\\toprule" in out and "\\frac{" in out and "disagreement" in out


def test_sweep_reports_the_threshold(capsys):
    code, out, _ = run(capsys, "infrastructure_limits", "--sweep", "W=0:2:5", "--format", "json",
                       "--solution", "nash")
    data = json.loads(out)
    assert code == 0
    (threshold,) = data["sensitivity"]["thresholds"]
    assert threshold["value"] == "679/1300" and threshold["opens"] is True and threshold["exact"] is True
    assert [p["zone"] for p in data["sensitivity"]["points"]] == ["empty", "empty", "non-empty", "non-empty",
                                                                  "non-empty"]
    code, out, _ = run(capsys, "infrastructure_limits", "--sweep", "alpha=1/10:9/10:3", "--solution", "nash")
    assert code == 0 and "neither opens nor closes" in out


def test_plots_are_written(tmp_path, capsys):
    zone, issues = tmp_path / "zone.png", tmp_path / "issues.svg"
    code, _, _ = run(capsys, "infrastructure_limits", "--plot", str(zone), "--plot-issues", str(issues),
                     "--axes", "troops,missiles")
    assert code == 0
    assert zone.read_bytes()[:4] == b"\x89PNG" and b"<svg" in issues.read_bytes()


@pytest.mark.parametrize("argv, message", [
    (["infrastructure_limits", "--set", "omega=1/10"], "not an equilibrium of security_dilemma"),
    (["infrastructure_limits", "--set", "omega=2"], "above the range"),
    (["infrastructure_limits", "--set", "omega"], "expected NAME=VALUE"),
    (["infrastructure_limits", "--sweep", "W=0:1"], "expected NAME=START:STOP:NUM"),
    (["infrastructure_limits", "--sweep", "nope"], "unknown parameter 'nope'"),
    (["no_such_model"], "no such file"),
    (["security_dilemma"], "security_dilemma is a strategic-form game, not a bargaining model"),
    (["infrastructure_limits", "--plot-issues", "x.png", "--axes", "tanks"], "unknown issue 'tanks'"),
])
def test_bad_input_is_one_line_with_status_1(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith("negotiation: error: ") and err.count("\n") == 1 and message in err


def test_usage_errors_exit_with_status_2(capsys):
    for argv in (["infrastructure_limits", "--format", "csv"], ["infrastructure_limits", "--solution", "shapley"],
                 []):
        with pytest.raises(SystemExit) as info:
            run(capsys, *argv)
        assert info.value.code == 2
