"""``-`` reads a scenario, a Gambit file or a JSON model from standard input wherever a PATH is accepted
(issue 15, point 2): told apart by content, read under the limits of a file, errors naming ``<stdin>``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.scenario import bundled_models, loader

ROOT = Path(__file__).resolve().parents[2]

# DESIGN.md §3.1: (Restrain, Restrain), the symmetric mix (3/4, 1/4) with payoffs -5/4, and (Deploy, Deploy)
SECURITY_NFG = '''NFG 1 R "Security dilemma: g=1, c=2, l=5" { "NATO" "Russia" }
{ { "Restrain" "Deploy" } { "Restrain" "Deploy" } }
""

0 0
-1 -5
-5 -1
-2 -2
'''
# one move each: NATO offers or not, Russia accepts or rejects an offer (subgame-perfect: Offer, Accept)
TREATY_EFG = '''EFG 2 R "Treaty offer" { "NATO" "Russia" } ""
p "" 1 1 "NATO move" { "Offer" "No offer" } 0
p "" 2 1 "Russia reply" { "Accept" "Reject" } 0
t "" 1 "Treaty" { 3 2 }
t "" 2 "Breakdown" { -1 -1 }
t "" 3 "Status quo" { 0 0 }
'''


class Endless(io.RawIOBase):
    """A pipe from /dev/zero: never ends; counts the bytes handed out."""

    given = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"\0" * len(buffer)
        self.given += len(buffer)
        return len(buffer)


def feed(monkeypatch, data: bytes | io.RawIOBase):
    stream = data if isinstance(data, io.RawIOBase) else io.BytesIO(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(stream) if isinstance(stream, io.RawIOBase)
                                                       else stream, encoding="utf-8"))


def run(capsys, monkeypatch, data, *argv):
    feed(monkeypatch, data)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_convert_piped_into_solve_in_real_processes():
    # the command line, through two processes and a pipe; omega = 1/5 makes the dilemma a Stag Hunt
    # whose mixed equilibrium has NATO restrain with probability 5/23 (closed form by hand, tests/test_cli.py)
    command = [sys.executable, "-m", "negotiation"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    nfg = subprocess.run([*command, "convert", "security_dilemma", "--to", "nfg", "--set", "omega=1/5"],
                         capture_output=True, check=True, env=env).stdout
    solved = subprocess.run([*command, "solve", "-", "--format", "json"], input=nfg, capture_output=True, env=env,
                            check=False)
    assert solved.returncode == 0 and solved.stderr == b""
    mixed = [e for e in json.loads(solved.stdout)["equilibria"] if e["kind"] == "mixed"]
    assert [e["profile"]["NATO"]["Restrain"] for e in mixed] == ["5/23"]


def test_a_gambit_strategic_form_from_stdin(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, SECURITY_NFG.encode(), "solve", "-", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [e["payoffs"] for e in data["equilibria"] if e["kind"] == "mixed"] == [{"NATO": "-5/4", "Russia": "-5/4"}]
    assert len(data["equilibria"]) == 3


def test_a_gambit_tree_from_stdin_with_a_byte_order_mark_and_leading_blank_lines(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, b"\xef\xbb\xbf\n\n" + TREATY_EFG.encode(), "solve", "-", "--format", "json")
    assert code == 0
    assert json.loads(out)["equilibria"][0]["outcomes"][0]["path"] == ["Offer", "Accept"]


def test_a_scenario_from_stdin_is_the_bundled_one(capsys, monkeypatch):
    text = bundled_models()["security_dilemma"].read_bytes()
    code, out, _ = run(capsys, monkeypatch, text, "solve", "-", "--set", "omega=1/5", "--format", "json")
    mixed = next(e for e in json.loads(out)["equilibria"] if e["kind"] == "mixed")
    assert code == 0 and mixed["profile"]["NATO"]["Restrain"] == "5/23"  # by hand, tests/test_cli.py


@pytest.mark.parametrize("argv, marker", [
    (["show", "-"], "File: <stdin>"),
    (["derive", "-", "--parameter", "omega"], "omega"),
    (["learn", "-", "--rule", "best_response", "--steps", "5"], "Deploy"),
    (["convert", "-", "--to", "nfg"], 'NFG 1 R "NATO–Russia security dilemma (one shot)"'),
])
def test_every_command_that_takes_a_path_takes_stdin(capsys, monkeypatch, argv, marker):
    code, out, err = run(capsys, monkeypatch, bundled_models()["security_dilemma"].read_bytes(), *argv)
    assert code == 0 and marker in out, err


def test_sweep_agree_and_arms_race_from_stdin(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the bargaining file names its no-deal game by bundled name
    code, out, err = run(capsys, monkeypatch, bundled_models()["security_dilemma"].read_bytes(),
                         "sweep", "-", "--grid", "omega=0:1:3", "--out", "t.csv", "--no-progress")
    assert code == 0 and "3 points" in out, err
    code, out, _ = run(capsys, monkeypatch, bundled_models()["infrastructure_limits"].read_bytes(), "agree", "-")
    assert code == 0 and "Zone of possible agreement: non-empty" in out
    # Richardson: steady state x* = (a h + n g) / (m n - a b) = (3/10 * 3/2 + 1/2 * 1) / (1/4 - 3/25) = 95/13
    code, out, _ = run(capsys, monkeypatch, bundled_models()["richardson_arms_race"].read_bytes(), "arms-race", "-")
    assert code == 0 and "NATO* = 95/13" in out


def test_a_json_game_from_stdin_and_from_a_file(capsys, monkeypatch, tmp_path):
    _, written, _ = run(capsys, monkeypatch, b"", "convert", "security_dilemma", "--to", "json", "--set", "omega=1/5")
    for argv in (["solve", "-", "--format", "json"], ["solve", str(tmp_path / "sd.json"), "--format", "json"]):
        (tmp_path / "sd.json").write_text(written)
        code, out, err = run(capsys, monkeypatch, written.encode(), *argv)
        mixed = next(e for e in json.loads(out)["equilibria"] if e["kind"] == "mixed")
        assert code == 0 and F(mixed["profile"]["NATO"]["Restrain"]) == F(5, 23), err  # by hand, tests/test_cli.py


@pytest.mark.parametrize("data, message", [
    (b'NFG 1 R "x" { "A" }', "<stdin>: line 1: expected '{' opening the list of strategies"),
    (b"x = [", "<stdin>: invalid TOML"),
    (b"\xff\xfe", "<stdin>: line 1: expected UTF-8 text, found byte 0xff"),
    (b'{"schema": "negotiation.bayesian-game/1"}', "<stdin>: schema: expected a JSON model with one of the schemas"),
    (b'{"schema": ', "<stdin>: invalid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "<stdin>: line 1: arrays and inline tables are nested more than 32"),
    (b"{" + b'"a": [' * 100_000, "<stdin>: invalid JSON"),
    (b" \n", "<stdin>: standard input is empty (expected a scenario, a Gambit .nfg or .efg file or a JSON"),
])
def test_bad_stdin_is_one_line_naming_stdin(capsys, monkeypatch, data, message):
    code, out, err = run(capsys, monkeypatch, data, "solve", "-")
    assert code == 1 and out == "" and err.count("\n") == 1 and message in err and "Traceback" not in err


def test_stdin_is_read_under_the_file_limit_and_an_endless_pipe_ends(capsys, monkeypatch):
    assert loader.MAX_STANDARD_INPUT_BYTES == 64 * 2**20  # LIMITS.md: the bytes of one Gambit file read
    monkeypatch.setattr(loader, "MAX_STANDARD_INPUT_BYTES", 1000)  # the same code path, in a millisecond
    endless = Endless()
    code, _, err = run(capsys, monkeypatch, endless, "solve", "-")
    assert code == 1 and err == ("negotiation: error: <stdin>: standard input holds more than 1,000 bytes "
                                 "(the limit for a file read)\n")
    assert endless.given <= 1000 + 1 + io.DEFAULT_BUFFER_SIZE  # read to the limit and one byte, not to the end
