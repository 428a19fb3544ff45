"""Ctrl-C stops a sweep cleanly: finished chunks kept, the partial one not written, exit 130 with how to
resume; --resume then gives the very bytes of an uninterrupted run."""

import os
import signal
import subprocess

import pytest
from sweep_processes import ARGUMENTS, command, committed, environment, run, slow_command, wait_for_chunks

import negotiation as ng
from negotiation.sweeps import SweepInterrupted, sweep

OPTIONS = dict(grid=["omega=0:1:40", "phi=0:1:30"], chunk_size=100)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("reference") / "whole.csv"
    assert run(command(*ARGUMENTS, "--out", str(path))).returncode == 0
    return path.read_bytes()


def _chunk_ends(table: bytes) -> set:
    """Byte offsets where a chunk of the reference table ends (after the header and each 100th point)."""
    lines = table.splitlines(keepends=True)
    ends, size = {len(lines[0])}, len(lines[0])
    for previous, line in zip(lines[1:], lines[2:] + [b""]):
        size += len(previous)
        point, following = int(previous.split(b",")[0]), line.split(b",")[0]
        if (point + 1) % 100 == 0 and (not following or int(following) != point):
            ends.add(size)
    return ends


@pytest.mark.parametrize("workers", [None, "2"])
def test_ctrl_c_then_resume_gives_the_same_bytes(reference, tmp_path, workers):
    out = tmp_path / "t.csv"
    extra = ["--workers", workers] if workers else []
    # its own process group, signalled as a whole: what Ctrl-C in a terminal does (workers included)
    process = subprocess.Popen(slow_command(0.25, *ARGUMENTS, "--out", str(out), *extra), env=environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_for_chunks(out, process, 2)
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130
    done = committed(out)["chunks_done"]
    assert 2 <= done < 12
    assert stderr == (f"negotiation: interrupted: {out} keeps {done} of 12 chunks; "
                      "run the same command with --resume to continue\n")
    # the finished chunks and nothing else: a prefix of the whole table ending where a chunk ends
    table = out.read_bytes()
    assert len(table) == committed(out)["table_bytes"] and reference.startswith(table)
    assert len(table) in _chunk_ends(reference)
    assert not (tmp_path / "t.csv.lock").exists()
    resumed = run(command(*ARGUMENTS, "--out", str(out), "--resume", *extra))
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done} of 12 chunks from the earlier run" in resumed.stdout
    assert out.read_bytes() == reference


def test_keyboard_interrupt_in_the_api(tmp_path):
    """``sweep`` raises SweepInterrupted (a KeyboardInterrupt) with the chunks kept; resume continues."""
    scenario = ng.load("security_dilemma")
    whole = sweep(scenario, out=tmp_path / "whole.csv", **OPTIONS)
    out = tmp_path / "t.csv"

    def interrupt(done, total, points, n_points):
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted) as stop:
        sweep(scenario, out=out, progress=interrupt, **OPTIONS)
    assert (stop.value.chunks_done, stop.value.n_chunks, stop.value.resumable) == (5, 12, True)
    assert isinstance(stop.value, KeyboardInterrupt)
    result = sweep(scenario, out=out, resume=True, **OPTIONS)
    assert result.resumed_chunks == 5 and out.read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert result.outcomes() == whole.outcomes() and result.classifications() == whole.classifications()
    assert (result.n_rows, result.exact, result.complete) == (whole.n_rows, whole.exact, whole.complete)
