"""`negotiation sweep` through its parser: files, summaries, maps, resume, one-line errors."""

import argparse
import json

import pytest

from negotiation.cli.sweep import add_parser as add_sweep_parser


def run(argv):
    parser = argparse.ArgumentParser(prog="negotiation")
    add_sweep_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_grid_sweep_with_summary_and_map(tmp_path, capsys):
    out, summary, figure = tmp_path / "t.csv", tmp_path / "s.tex", tmp_path / "m.png"
    code = run(["sweep", "security_dilemma", "--grid", "omega=0:1:11", "--grid", "phi=0:1:6",
                "--set", "k=2", "--out", str(out), "--summary", str(summary), "--map", str(figure),
                "--by", "classification", "--chunk-size", "20"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "for 66 points" in printed and str(out) in printed
    lines = out.read_text().splitlines()
    assert lines[1].startswith("0,0,0,2,4,10,2,1,1,pure,1,")  # v = 1 by default since issue 13
    assert "\\frac{" in summary.read_text() and figure.read_bytes()[:4] == b"\x89PNG"
    assert not (tmp_path / "t.csv.progress").read_text().count('"complete": false')


def test_samples_with_priors_and_resume(tmp_path, capsys):
    out, summary = tmp_path / "mc.csv", tmp_path / "mc.json"
    argv = ["sweep", "security_dilemma", "--samples", "500", "--seed", "3", "--prior", "omega=beta:2:5",
            "--prior", "phi=uniform", "--out", str(out), "--chunk-size", "100", "--summary", str(summary)]
    assert run(argv) == 0
    data = json.loads(summary.read_text())
    assert data["columns"] == ["equilibria", "count", "probability", "95% low", "95% high"]
    assert sum(row["count"] for row in data["rows"]) == 500
    first = out.read_bytes()
    assert run(argv + ["--resume"]) == 0
    assert out.read_bytes() == first and "5 of 5 chunks from the earlier run" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--grid", "omega=0:1:3", "--samples", "5"], "either --grid or --samples"),
    ([], "nothing to sweep"),
    (["--grid", "omega=0:1:3", "--prior", "omega=uniform"], "--prior applies to --samples"),
    (["--grid", "omega=0:1"], "expected NAME=START:STOP:NUM"),
    (["--samples", "5", "--prior", "omega=gamma:1"], "unknown prior"),
    (["--grid", "omega=0:1:3", "--set", "k"], "expected NAME=VALUE"),
    (["--grid", "omega=0:1:3", "--map", "m.gif"], "unsupported file type"),
    (["--grid", "omega=0:1:3", "--workers", "0"], "at least 1"),
    (["--grid", "omega=0:1:3", "--map-axes", "omega"], "expected two parameter names"),
])
def test_bad_input_is_a_one_line_value_error(tmp_path, argv, message):
    with pytest.raises(ValueError, match=message) as error:
        run(["sweep", "security_dilemma", "--out", str(tmp_path / "x.csv"), *argv])
    assert "\n" not in str(error.value)


def test_usage_errors_exit_2(tmp_path):
    with pytest.raises(SystemExit) as error:
        run(["sweep", "security_dilemma", "--grid", "omega=0:1:3"])  # --out is required
    assert error.value.code == 2
