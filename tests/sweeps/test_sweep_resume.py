"""Interrupted sweeps resume into the same bytes as an uninterrupted run."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import negotiation as ng
from negotiation.sweeps import sweep

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = dict(grid=["omega=0:1:40", "phi=0:1:30"], chunk_size=100)


class Stop(Exception):
    pass


def _stop_after(k):
    def callback(done, total, points, n_points):
        if done >= k:
            raise Stop
    return callback


@pytest.fixture(scope="module")
def scenario():
    return ng.load("security_dilemma")


@pytest.fixture(scope="module")
def reference(scenario, tmp_path_factory):
    path = tmp_path_factory.mktemp("reference") / "whole.csv"
    result = sweep(scenario, out=path, **OPTIONS)
    return path, result


def test_resume_after_an_interruption_gives_the_same_file(scenario, reference, tmp_path):
    path = tmp_path / "t.csv"
    with pytest.raises(Stop):
        sweep(scenario, out=path, progress=_stop_after(4), **OPTIONS)
    state = json.loads((tmp_path / "t.csv.progress").read_text())
    assert state["chunks_done"] == 4 and not state["complete"]
    # a chunk that was half written when the process died: garbage after the last committed byte
    with open(path, "ab") as handle:
        handle.write(b"123,1/2,0,1,4,10,2,0,1,pu")
    result = sweep(scenario, out=path, resume=True, **OPTIONS)
    assert path.read_bytes() == reference[0].read_bytes()
    assert result.resumed_chunks == 4 and result.n_rows == reference[1].n_rows
    assert result.outcomes() == reference[1].outcomes()
    assert result.classifications() == reference[1].classifications()
    assert json.loads((tmp_path / "t.csv.progress").read_text())["complete"]
    again = sweep(scenario, out=path, resume=True, **OPTIONS)  # nothing left to do
    assert again.resumed_chunks == again.n_chunks and path.read_bytes() == reference[0].read_bytes()


def test_resume_refuses_other_settings_and_foreign_files(scenario, tmp_path):
    path = tmp_path / "t.csv"
    with pytest.raises(Stop):
        sweep(scenario, out=path, progress=_stop_after(1), **OPTIONS)
    with pytest.raises(ValueError, match="different settings"):
        sweep(scenario, out=path, resume=True, **{**OPTIONS, "chunk_size": 50})
    other = tmp_path / "other.csv"
    other.write_text("not a sweep\n")
    with pytest.raises(ValueError, match="no progress file"):
        sweep(scenario, out=other, resume=True, **OPTIONS)


def test_parquet_resume(scenario, tmp_path):
    pytest.importorskip("pyarrow")
    whole = tmp_path / "whole.parquet"
    sweep(scenario, out=whole, **OPTIONS)
    path = tmp_path / "t.parquet"
    with pytest.raises(Stop):
        sweep(scenario, out=path, progress=_stop_after(3), **OPTIONS)
    (path / "part-00000003.parquet.tmp").write_bytes(b"partial")
    (path / "part-00000004.parquet").write_bytes(b"written but not committed")
    sweep(scenario, out=path, resume=True, **OPTIONS)

    def files(folder):
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    assert files(path) == files(whole) and len(files(path)) == 12


SCRIPT = """
import sys, time
import negotiation as ng
from negotiation.sweeps import sweep
sweep(ng.load("security_dilemma"), out=sys.argv[1], grid=["omega=0:1:40", "phi=0:1:30"], chunk_size=100,
      progress=lambda *args: time.sleep(0.15))
"""


def test_killed_process_resumes_to_the_same_file(scenario, reference, tmp_path):
    path = tmp_path / "killed.csv"
    sidecar = tmp_path / "killed.csv.progress"
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(path)], env=environment)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if json.loads(sidecar.read_text())["chunks_done"] >= 2:
                    break
            except (FileNotFoundError, ValueError, KeyError):
                pass
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    done = json.loads(sidecar.read_text())["chunks_done"]
    assert 0 < done < 12
    result = sweep(scenario, out=path, resume=True, **OPTIONS)
    assert result.resumed_chunks == done
    assert path.read_bytes() == reference[0].read_bytes()


def test_resume_does_not_read_the_table_back(scenario, reference, tmp_path, monkeypatch):
    """The finished points' equilibrium sets come from <out>.outcomes (a few bytes per point), not from
    parsing the whole table again: what made --resume cost ~8x a fresh run."""
    import pandas

    path = tmp_path / "t.csv"
    with pytest.raises(Stop):
        sweep(scenario, out=path, progress=_stop_after(7), **OPTIONS)

    def no_reading(*args, **kwargs):
        raise AssertionError("the table was read back")

    monkeypatch.setattr(pandas, "read_csv", no_reading)
    result = sweep(scenario, out=path, resume=True, **OPTIONS)
    assert result.resumed_chunks == 7 and path.read_bytes() == reference[0].read_bytes()
    assert result.outcomes() == reference[1].outcomes()
    assert (result.n_rows, result.exact, result.complete) == (reference[1].n_rows, reference[1].exact,
                                                              reference[1].complete)


def test_resume_refuses_missing_outcomes_and_older_records(scenario, tmp_path):
    path = tmp_path / "t.csv"
    with pytest.raises(Stop):
        sweep(scenario, out=path, progress=_stop_after(3), **OPTIONS)
    outcomes = tmp_path / "t.csv.outcomes"
    saved = outcomes.read_bytes()
    outcomes.write_bytes(saved[:len(saved) // 2])
    with pytest.raises(ValueError, match="t.csv.outcomes: shorter than the progress record says") as error:
        sweep(scenario, out=path, resume=True, **OPTIONS)
    assert "\n" not in str(error.value)
    outcomes.write_bytes(saved)
    sidecar = tmp_path / "t.csv.progress"
    sidecar.write_text(json.dumps({"schema": "negotiation.sweep-progress/1", "chunks": [0, 1, 2]}))
    with pytest.raises(ValueError, match="written by another version of negotiation; cannot resume"):
        sweep(scenario, out=path, resume=True, **OPTIONS)
