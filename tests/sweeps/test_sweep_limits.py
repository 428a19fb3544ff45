"""Sweeps are bounded before anything is allocated (points, axes, samples, chunk size) and workers are
capped at the CPUs and the chunks."""

import re
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction as F

import numpy as np
import pytest
from sweep_processes import command, run

import negotiation as ng
from negotiation.sweeps import MAX_CHUNK_SIZE, MAX_POINTS, sweep
from negotiation.sweeps import limits as limits_module
from negotiation.sweeps import runner as runner_module
from negotiation.sweeps.grid import Axis
from negotiation.sweeps.limits import worker_count
from negotiation.sweeps.plan import make_plan
from negotiation.sweeps.runner import compiled

MiB = 2 ** 20


@pytest.fixture(scope="module")
def scenario():
    return ng.load("security_dilemma")


@pytest.mark.parametrize("options, message", [
    (dict(grid=["omega=0:1:1000000000000"]),
     "--grid omega: 1,000,000,000,000 points, more than the limit of 10,000,000 (raise it with --max-points N)"),
    (dict(grid=["omega=0:1:1000000", "phi=0:1:1000000"]),
     "--grid 1,000,000 x 1,000,000: 1,000,000,000,000 points, more than the limit of 10,000,000 "
     "(raise it with --max-points N)"),
    (dict(grid={"omega": ("0", "1", 10 ** 30)}), "--grid omega: 1,000,000,000,000,000,000,000,000,000,000 points"),
    (dict(samples=10 ** 12, priors={"omega": "uniform"}), "--samples 1000000000000: 1,000,000,000,000 points"),
    (dict(grid=["omega=0:1:101"], max_points=100), "--grid omega: 101 points, more than the limit of 100 "),
    (dict(grid=["omega=0:1:11", "phi=0:1:11"], max_points=100), "--grid 11 x 11: 121 points"),
    (dict(grid=["omega=0:1:3"], max_points=0), "--max-points must be a whole number >= 1, got 0"),
    (dict(grid=["omega=0:1:3"], chunk_size=MAX_CHUNK_SIZE + 1),
     "chunk size (--chunk-size) 1,048,577: at most 1,048,576 points per chunk"),
])
def test_limits_are_one_line_errors_before_any_allocation(scenario, options, message, tmp_path):
    out = tmp_path / "t.csv"
    tracemalloc.start()
    try:
        started = time.process_time()
        with pytest.raises(ValueError, match=re.escape(message)) as error:
            sweep(scenario, out=out, **options)
        cpu = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "\n" not in str(error.value)
    assert peak < 4 * MiB and cpu < 1.0
    assert list(tmp_path.iterdir()) == []  # refused before the output was touched


def test_the_command_line_refuses_a_huge_grid_in_one_line(tmp_path):
    out = tmp_path / "t.csv"
    process = run(command("sweep", "security_dilemma", "--grid", "omega=0:1:1000000000000", "--out", str(out)))
    assert process.returncode == 1 and process.stdout == ""
    assert process.stderr == ("negotiation: error: --grid omega: 1,000,000,000,000 points, more than the limit of "
                              "10,000,000 (raise it with --max-points N)\n")
    assert not out.exists()
    process = run(command("sweep", "security_dilemma", "--grid", "omega=0:1:11", "--grid", "phi=0:1:11",
                          "--max-points", "121", "--out", str(out)))
    assert process.returncode == 0 and "for 121 points" in process.stdout


def test_a_large_allowed_grid_is_streamed(scenario, tmp_path):
    """MAX_POINTS points on one axis: no value is made up front, a chunk makes only its own."""
    tracemalloc.start()
    try:
        plan = make_plan(scenario, [f"omega=0:1:{MAX_POINTS}"], None, 0, None, tmp_path / "t.csv", None, 65536, None)
        axis = plan.grid.axes[0]
        planned = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        output = compiled(plan).run(plan.n_chunks - 1)  # the last chunk: omega up to 1
        chunk = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert axis._values is None and axis._floats is None  # the axis never listed its ten million values
    assert planned < 1 * MiB and chunk < 64 * MiB
    rows = bytes(output.payload).decode().splitlines()
    first_point = plan.bounds(plan.n_chunks - 1)[0]
    # numbers as numbers (issue 15): the parameter's nearest float
    assert rows[0].startswith(f"{first_point},{float(F(first_point, MAX_POINTS - 1))!r},")
    assert rows[-1].startswith(f"{MAX_POINTS - 1},1,")


def test_chunk_values_of_a_long_axis_are_its_values():
    axis = Axis.linspace("omega", "-1/3", "7/5", 100_003)
    indices = np.array([0, 1, 17, 50_000, 100_002])
    values = axis.chunk_values(indices)
    exact = [F(-1, 3) + k * (F(7, 5) + F(1, 3)) / 100_002 for k in indices.tolist()]
    assert list(values) == exact and values.labels() == [str(v) for v in exact]
    assert axis.floats_at(indices).tolist() == [float(v) for v in exact]
    huge = Axis.linspace("x", F(1, 3 ** 40), F(2, 3 ** 40), 5)  # beyond 53 bits: value by value
    assert huge.chunk_values([4]).labels() == [str(F(2, 3 ** 40))] and huge.floats_at([4])[0] == float(F(2, 3 ** 40))


# ---------------------------------------------------------------------- workers
def test_worker_count():
    assert worker_count(None, 10, cpus=2) == (1, None)
    assert worker_count(2, 10, cpus=2) == (2, None)
    assert worker_count(12, 2, cpus=2) == (2, "--workers 12 capped at 2 (2 CPUs, 2 chunks to compute)")
    assert worker_count(12, 40, cpus=4) == (4, "--workers 12 capped at 4 (4 CPUs)")
    assert worker_count(8, 3, cpus=16) == (3, "--workers 8 capped at 3 (3 chunks to compute)")
    assert worker_count(4, 1, cpus=16) == (1, "--workers 4 capped at 1 (1 chunk to compute)")


def test_workers_are_capped_at_the_cpus_and_the_chunks(scenario, monkeypatch, tmp_path):
    pools = []

    class Recording(ProcessPoolExecutor):
        def __init__(self, max_workers=None, **options):
            pools.append(max_workers)
            super().__init__(max_workers=max_workers, **options)

    monkeypatch.setattr(runner_module, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(limits_module, "available_cpus", lambda: 2)
    sweep(scenario, grid=["omega=0:1:20"], chunk_size=10, out=tmp_path / "alone.csv")
    result = sweep(scenario, grid=["omega=0:1:20"], chunk_size=10, workers=12, out=tmp_path / "t.csv")
    assert pools == [2]
    assert result.messages == ("--workers 12 capped at 2 (2 CPUs, 2 chunks to compute)",)
    assert "--workers 12 capped at 2" in result.to_text()
    assert (tmp_path / "t.csv").read_bytes() == (tmp_path / "alone.csv").read_bytes()
    one_chunk = sweep(scenario, grid=["omega=0:1:5"], workers=12)  # nothing to share: no pool at all
    assert pools == [2] and one_chunk.messages == ("--workers 12 capped at 1 (1 chunk to compute)",)
