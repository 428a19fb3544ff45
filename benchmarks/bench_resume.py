#!/usr/bin/env python
"""What ``negotiation sweep --resume`` costs next to a fresh run: nothing left to do, and half left.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_resume.py [--repeat 3] [--out FILE.md]
    PYTHONPATH=/path/to/other/checkout .venv/bin/python benchmarks/bench_resume.py   # another version

Every timing is a fresh ``negotiation sweep`` process (wall time, median of ``--repeat``), so
start-up and imports count as a user sees them; bytecode caching is on for the children
(``PYTHONDONTWRITEBYTECODE`` is removed from their environment, and one untimed run warms the
cache). Printed per sweep: the fresh run, ``--resume`` with every chunk done (ratio to the fresh
run: the goal is at most about 1.5), and ``--resume`` after an interruption half way (ratio:
about 0.5 plus start-up, as it scales with the work left). The sweep's own time (the ``(… s``
that the command prints) is given too.

Sweeps: the one of ``tests/sweeps`` (security dilemma, 40 × 30 grid, chunks of 100 points), a
300 × 300 grid (chunks of 10,000) and a 1000 × 1000 grid (default chunks of 65,536).

Why ``--resume`` cost ~8× a fresh run before (measured on the 300 × 300 grid: 2.61 s against
0.32 s inside the command): it read the whole table back with pandas, parsed every cell into a
``Fraction`` or a float and recomputed each finished point's equilibrium set from the rows — work
that grows with the table, not with the work left. Now each committed chunk's equilibrium sets are
kept in ``<out>.outcomes`` (a few bytes per point) and read back as arrays.

This is a benchmark, not a test: nothing asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SWEEPS = [
    ("tests/sweeps: 40 x 30, chunks of 100", ["--grid", "omega=0:1:40", "--grid", "phi=0:1:30", "--chunk-size", "100"]),
    ("300 x 300, chunks of 10,000", ["--grid", "omega=0:1:300", "--grid", "phi=0:1:300", "--chunk-size", "10000"]),
    ("1000 x 1000, chunks of 65,536", ["--grid", "omega=0:1:1000", "--grid", "phi=0:1:1000"]),
]

# Stops a sweep after half its chunks (an exception from the progress callback: every version of the
# package commits the chunks before it and keeps its progress record).
INTERRUPT = """
import sys
from negotiation.cli.sweep import add_parser
import argparse

class Stop(Exception):
    pass

def stop_half_way(done, total, points, n_points):
    if done >= total // 2:
        raise Stop

parser = argparse.ArgumentParser()
add_parser(parser.add_subparsers(dest="command"))
args = parser.parse_args(sys.argv[1:])
args.progress = stop_half_way
try:
    args.handler(args)
except Stop:
    pass
"""


def environment() -> dict:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(Path(env.get("PYTHONPATH", ROOT).split(os.pathsep)[0]).resolve())
    return env


def timed(arguments) -> tuple[float, float | None]:
    """Wall time of one process and the sweep time it printed (``(… s``)."""
    started = time.perf_counter()
    # run outside the repository: ``python -m`` puts the working directory first on the path
    process = subprocess.run(arguments, env=environment(), capture_output=True, text=True, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(arguments)}\n{process.stderr}")
    found = re.search(r"\(([0-9.]+) s", process.stdout)
    return wall, float(found.group(1)) if found else None


def sweep_command(options, out) -> list:
    return [sys.executable, "-m", "negotiation", "sweep", "security_dilemma", *options, "--out", str(out)]


def measure(options, repeat: int, folder: Path) -> dict:
    out = folder / "t.csv"
    timed(sweep_command(options, out))  # warms the bytecode cache and the file system
    fresh = [timed(sweep_command(options, out)) for _ in range(repeat)]
    nothing = [timed(sweep_command(options, out) + ["--resume"]) for _ in range(repeat)]
    half = []
    for _ in range(repeat):
        subprocess.run([sys.executable, "-c", INTERRUPT, "sweep", "security_dilemma", *options, "--out", str(out)],
                       env=environment(), check=True, capture_output=True, cwd=tempfile.gettempdir())
        half.append(timed(sweep_command(options, out) + ["--resume"]))

    def median(runs, k):
        values = [run[k] for run in runs if run[k] is not None]
        return statistics.median(values) if values else float("nan")

    return {name: (median(runs, 0), median(runs, 1)) for name, runs in
            (("fresh", fresh), ("nothing", nothing), ("half", half))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="also write the table (Markdown) to this file")
    args = parser.parse_args()
    lines = ["| sweep | fresh run | resume, nothing left | ratio | resume, half left | ratio |",
             "|---|---|---|---|---|---|"]
    for label, options in SWEEPS:
        with tempfile.TemporaryDirectory() as folder:
            times = measure(options, args.repeat, Path(folder))
        fresh, nothing, half = times["fresh"], times["nothing"], times["half"]
        lines.append(f"| {label} | {fresh[0]:.2f} s ({fresh[1]:.2f} s) | {nothing[0]:.2f} s ({nothing[1]:.2f} s) | "
                     f"{nothing[0] / fresh[0]:.2f} | {half[0]:.2f} s ({half[1]:.2f} s) | {half[0] / fresh[0]:.2f} |")
        print(lines[-1], flush=True)
    note = (f"\nWall time of a `negotiation sweep` process, median of {args.repeat}; in brackets the sweep's own "
            f"time as the command prints it. Python {sys.version.split()[0]}, PYTHONPATH="
            f"{environment()['PYTHONPATH']}.")
    print(note)
    if args.out:
        Path(args.out).write_text("# --resume next to a fresh run\n\n" + "\n".join(lines) + "\n" + note + "\n")


if __name__ == "__main__":
    main()
