"""The command line's progress bars and -q/--quiet, in a subprocess: stderr piped (no bar), stderr on a
pseudo-terminal (a bar counting every point), --progress (a bar even into a pipe), and --quiet (nothing)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.core import progress as progress_module
from negotiation.report.catalogue import write_catalogue
from negotiation.scenario import bundled_models

ROOT = Path(__file__).resolve().parents[1]
# 41 x 41 = 1,681 points: under the 65,536 of one old chunk, which drew no bar at all
SWEEP = ["sweep", "security_dilemma", "--grid", "omega=0:1:41", "--grid", "phi=0:1:41"]
POINTS = 41 * 41

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


def _environment():
    environment = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    environment.pop("COLUMNS", None)
    return environment


def _run(arguments, terminal: bool):
    """``negotiation ARGUMENTS`` with stdout piped and stderr piped or on a pseudo-terminal: (status, out, err)."""
    command = [sys.executable, "-m", "negotiation", *arguments]
    if not terminal:
        done = subprocess.run(command, check=False, capture_output=True, text=True, env=_environment(), timeout=300)
        return done.returncode, done.stdout, done.stderr
    leader, follower = os.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=_environment())
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed (Linux: EIO)
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    out = process.stdout.read().decode()
    process.stdout.close()
    return process.wait(timeout=300), out, b"".join(chunks).decode(errors="replace")


def _counts(err: str) -> list[str]:
    """The ``N/TOTAL`` counts of every drawing of the bar, in order."""
    drawings = err.replace("\r\n", "\r").replace("\n", "\r").split("\r")
    return [part.split("|")[2].split(" [")[0].strip() for part in drawings if part.count("|") >= 2]


def test_no_bar_when_stderr_is_piped(tmp_path):
    status, out, err = _run([*SWEEP, "--out", str(tmp_path / "t.csv")], terminal=False)
    assert status == 0 and err == ""
    assert out.startswith("Wrote ") and f"for {POINTS:,} points" in out


def test_a_bar_counting_every_point_on_a_terminal(tmp_path):
    status, out, err = _run([*SWEEP, "--out", str(tmp_path / "t.csv")], terminal=True)
    assert status == 0 and f"for {POINTS:,} points" in out
    counts = _counts(err)
    assert counts[0] == f"0/{POINTS}" and counts[-1] == f"{POINTS}/{POINTS}"
    assert f"1024/{POINTS}" in counts  # it moved after the first chunk (1,024 points), before the end
    assert "sweep security_dilemma" in err and "points/s" in err
    assert "points/s" not in out  # never on stdout


@pytest.mark.parametrize("quiet", [["-q"], ["--quiet"]])
def test_quiet_silences_the_bar_before_or_after_the_command(tmp_path, quiet):
    status, out, err = _run([*quiet, *SWEEP, "--out", str(tmp_path / "a.csv")], terminal=True)
    assert status == 0 and err == "" and f"for {POINTS:,} points" in out  # the result is still written
    status, out, err = _run([*SWEEP, "--out", str(tmp_path / "b.csv"), "--progress", *quiet], terminal=True)
    assert status == 0 and err == "" and f"for {POINTS:,} points" in out


def test_progress_forces_the_bar_into_a_pipe(tmp_path):
    status, _, err = _run([*SWEEP, "--out", str(tmp_path / "t.csv"), "--progress"], terminal=False)
    assert status == 0 and _counts(err)[-1] == f"{POINTS}/{POINTS}"
    status, _, err = _run([*SWEEP, "--out", str(tmp_path / "t.csv"), "--no-progress"], terminal=True)
    assert status == 0 and err == ""


def test_notes_go_to_stderr_and_quiet_silences_them(tmp_path, capsys):
    # one chunk for four workers: the runner caps them at one and says so
    arguments = [*SWEEP, "--out", str(tmp_path / "t.csv"), "--chunk-size", "100000", "--workers", "4"]
    assert main(arguments) == 0
    out, err = capsys.readouterr()
    assert err == "negotiation: note: --workers 4 capped at 1 (1 chunk to compute).\n" and "capped" not in out
    assert main(["-q", *arguments]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("Wrote ")


def test_tables_counts_models(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(progress_module, "_stderr_is_terminal", lambda: True)
    models = {name: path for name, path in bundled_models().items() if name in ("security_dilemma", "cfe2")}
    write_catalogue(tmp_path, models)
    out, err = capsys.readouterr()
    assert _counts(err)[0] == "0/2" and _counts(err)[-1] == "2/2" and "tables" in err and "models" in err
    assert "sweep" not in err  # the sweep behind the security dilemma's map draws no second bar
    assert "models/s" not in out and "NATO" in out  # the tables themselves still go to stdout


def test_agree_sweep_counts_values(capsys, monkeypatch):
    monkeypatch.setattr(progress_module, "_stderr_is_terminal", lambda: True)
    assert main(["agree", "cfe2", "--sweep", "HN_tanks=100:900:5", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert _counts(err)[-1] == "5/5" and "bargaining over HN_tanks" in err and out.lstrip().startswith("{")
    assert main(["-q", "agree", "cfe2", "--sweep", "HN_tanks=100:900:5", "--format", "json"]) == 0
    assert capsys.readouterr().err == ""
