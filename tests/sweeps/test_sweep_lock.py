"""One writer per table: a second sweep into the same --out stops with one line naming the running one."""

import subprocess

import pytest
from sweep_processes import ARGUMENTS, command, environment, run, slow_command, wait_for_chunks

import negotiation as ng
from negotiation.core.errors import NegotiationError
from negotiation.sweeps import sweep
from negotiation.sweeps.lock import OutputLock

OPTIONS = dict(grid=["omega=0:1:40", "phi=0:1:30"], chunk_size=100)


@pytest.fixture(scope="module")
def scenario():
    return ng.load("security_dilemma")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("reference") / "whole.csv"
    assert run(command(*ARGUMENTS, "--out", str(path))).returncode == 0
    return path.read_bytes()


def test_two_processes_on_one_table(reference, tmp_path):
    """The second sweep (fresh or --resume) exits 1 naming the first one's PID and writes nothing; the
    table holds every row once."""
    out = tmp_path / "t.csv"
    release = tmp_path / "release"  # the first sweep holds after each chunk until this file exists
    first = subprocess.Popen(slow_command(f"until:{release}", *ARGUMENTS, "--out", str(out)), env=environment(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_chunks(out, first, 1)
        for extra in ([], ["--resume"]):
            second = run(command(*ARGUMENTS, "--out", str(out), *extra))
            assert second.returncode == 1 and second.stdout == ""
            assert second.stderr.count("\n") == 1 and "Traceback" not in second.stderr
            assert f"{out}: another sweep is writing it (PID {first.pid}, started " in second.stderr
            assert "choose another --out" in second.stderr
        release.touch()
        stdout, stderr = first.communicate(timeout=120)
    finally:
        first.kill()
        first.wait()
    assert first.returncode == 0, stderr
    assert out.read_bytes() == reference
    assert not (tmp_path / "t.csv.lock").exists()


def test_a_held_lock_refuses_before_anything_is_written(scenario, tmp_path):
    out = tmp_path / "t.csv"
    with OutputLock(out):
        with pytest.raises(NegotiationError, match="another sweep is writing it") as error:
            sweep(scenario, out=out, **OPTIONS)
        assert "\n" not in str(error.value)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv.lock"]
    assert list(tmp_path.iterdir()) == []


def test_a_stale_lock_file_is_taken_over(scenario, tmp_path):
    """A lock file left by a killed sweep is not locked by anyone: the next sweep runs and removes it."""
    out = tmp_path / "t.csv"
    (tmp_path / "t.csv.lock").write_text("pid=999999\nstarted=2020-01-01 00:00:00\nhost=elsewhere\n")
    result = sweep(scenario, out=out, **OPTIONS)
    assert result.n_points == 1200
    assert not (tmp_path / "t.csv.lock").exists()


def test_the_lock_is_released_when_a_sweep_fails(scenario, tmp_path):
    out = tmp_path / "t.csv"
    with pytest.raises(ValueError, match="different settings"):
        sweep(scenario, out=out, progress=_raise_after_one, **OPTIONS)
    with pytest.raises(ValueError, match="different settings"):
        sweep(scenario, out=out, resume=True, **{**OPTIONS, "chunk_size": 50})
    assert not (tmp_path / "t.csv.lock").exists()
    sweep(scenario, out=out, resume=True, **OPTIONS)  # the lock is free


def _raise_after_one(done, total, points, n_points):
    raise ValueError("different settings (a stand-in for any error in the middle of a sweep)")
