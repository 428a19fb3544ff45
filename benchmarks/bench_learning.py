#!/usr/bin/env python
"""Logit QRE branches and learning dynamics: ours next to Gambit's logit and nashpy's dynamics, in one run.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_learning.py --out benchmarks/results/learning.md

Games: random n×n bimatrix games with integer payoffs 0–99 (``numpy.random.default_rng(seed)``).
Timed with ``time.perf_counter`` around the call only, one call per game after one warm-up call:

* logit QRE, traced to its limit: ours ``logit_branch(game).limit()`` (arc-length continuation in log
  probabilities, the limit matched to an exact equilibrium) against ``pygambit.nash.logit_solve``
  (floating point); agreement: the two limits within 1e-4 (max norm);
* fictitious play, 10,000 steps from the same random (non-integer, so tie-free) prior counts: ours
  ``fictitious_play(game, 10_000, initial=...)`` against ``nashpy.Game.fictitious_play(iterations=10_000,
  play_counts=...)``; agreement: the final empirical frequencies within 1e-9 (nashpy breaks ties at
  random, so a tie along the way can still separate the two runs);
* replicator dynamics of the row population of a symmetric game (the row player's matrix), t in
  [0, 10] on 201 points: ours ``replicator_dynamics`` against ``nashpy.Game.replicator_dynamics``;
  agreement: the final states within 1e-5.

A benchmark script, not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import _bench_common as bc  # noqa: E402

import negotiation as ng  # noqa: E402
from negotiation.dynamics import fictitious_play, replicator_dynamics  # noqa: E402
from negotiation.solvers.quantal_response import logit_branch  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="2,3,4,6", help="game sizes n (n×n), comma-separated")
    p.add_argument("--games", type=int, default=10, help="games per size (default 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=str(bc.BENCH_DIR / "results" / "learning.md"))
    return p.parse_args(argv)


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def _qre_rows(sizes, count, rng):
    try:
        import pygambit
    except ImportError:  # pragma: no cover - optional
        pygambit = None
    rows = []
    for n in sizes:
        games = [(rng.integers(0, 100, (n, n)), rng.integers(0, 100, (n, n))) for _ in range(count)]
        ours_times, theirs_times, agree = [], [], 0
        warm = ng.Game.from_arrays(*games[0])
        logit_branch(warm).limit()
        for A, B in games:
            game = ng.Game.from_arrays(A, B)
            elapsed, limit = _timed(lambda: logit_branch(game).limit())
            ours_times.append(elapsed)
            ours_point = np.array([float(v) for vector in limit.profile.probabilities for v in vector])
            if pygambit is None:
                continue
            g = pygambit.Game.from_arrays(A.astype(float), B.astype(float))
            elapsed, result = _timed(pygambit.nash.logit_solve, g)
            theirs_times.append(elapsed)
            profile = result.equilibria[0]
            theirs_point = np.array([float(profile[s]) for p in g.players for s in p.strategies])
            agree += bool(np.max(np.abs(ours_point - theirs_point)) < 1e-4)
        ours_median = statistics.median(ours_times)
        theirs_median = statistics.median(theirs_times) if theirs_times else None
        rows.append((f"{n}×{n}", count, bc.fmt_time(ours_median), bc.fmt_time(theirs_median),
                     f"{ours_median / theirs_median:.1f}" if theirs_median else "n/a",
                     f"{agree}/{count}" if theirs_times else "n/a"))
    return rows


def _dynamics_rows(sizes, count, rng):
    import nashpy

    rows = []
    for n in sizes:
        games = [(rng.integers(0, 100, (n, n)), rng.integers(0, 100, (n, n))) for _ in range(count)]
        fp_ours, fp_theirs, fp_agree = [], [], 0
        rd_ours, rd_theirs, rd_agree = [], [], 0
        for A, B in games:
            game = ng.Game.from_arrays(A, B)
            priors = [rng.uniform(0.5, 1.5, size=n), rng.uniform(0.5, 1.5, size=n)]  # no ties at the start
            initial = {player: dict(zip(strategies, prior))
                       for player, strategies, prior in zip(game.players, game.strategies, priors)}
            elapsed, trajectory = _timed(fictitious_play, game, 10_000, initial=initial)
            fp_ours.append(elapsed)
            start = time.perf_counter()
            *_, last = nashpy.Game(A, B).fictitious_play(iterations=10_000, play_counts=[p.copy() for p in priors])
            fp_theirs.append(time.perf_counter() - start)
            theirs = [counts / counts.sum() for counts in last]
            ours = [np.asarray(trajectory.probabilities[i][-1], dtype=float) for i in range(2)]
            fp_agree += all(np.max(np.abs(o - t)) < 1e-9 for o, t in zip(ours, theirs))
            symmetric = ng.Game.from_arrays(A, A.T)
            times = np.linspace(0, 10, 201)
            elapsed, path = _timed(replicator_dynamics, symmetric, 10, populations=1)
            rd_ours.append(elapsed)
            start = time.perf_counter()
            xs = nashpy.Game(A).replicator_dynamics(timepoints=times)
            rd_theirs.append(time.perf_counter() - start)
            final = np.asarray(path.probabilities[0][-1], dtype=float)
            rd_agree += bool(np.max(np.abs(final - xs[-1])) < 1e-5)
        for name, ours_times, theirs_times, agree in (("fictitious play, 10⁴ steps", fp_ours, fp_theirs, fp_agree),
                                                       ("replicator, t ≤ 10", rd_ours, rd_theirs, rd_agree)):
            o, t = statistics.median(ours_times), statistics.median(theirs_times)
            rows.append((name, f"{n}×{n}", count, bc.fmt_time(o), bc.fmt_time(t), f"{o / t:.2f}", f"{agree}/{count}"))
    return rows


def main(argv=None):
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = np.random.default_rng(args.seed)
    qre = _qre_rows(sizes, args.games, rng)
    dynamics = _dynamics_rows(sizes, args.games, rng)
    lines = ["# Logit QRE and learning dynamics: ours next to Gambit and nashpy", "",
             *bc.environment_lines(),
             f"- Command: `python benchmarks/bench_learning.py --sizes {args.sizes} --games {args.games} "
             f"--seed {args.seed}`", "",
             "Ratios are ours ÷ theirs (above 1: ours is slower).", "",
             "## Logit QRE: the principal branch to its limit", "",
             "| game | games | ours (`logit_branch(...).limit()`) | Gambit `logit_solve` | ratio | same limit |",
             "|:---|---:|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in qre]
    lines += ["", "## Learning dynamics", "",
              "| rule | game | games | ours | nashpy | ratio | same end state |", "|:---|:---|---:|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in dynamics]
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
