#!/usr/bin/env python
"""Throughput on many tiny games: random integer 2×2 games solved one by one.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_sweep_2x2.py \
        --games 10000 --timeout 600 --out benchmarks/results/sweep_2x2.md --seed 0

The same ``--games`` random 2×2 games (integer payoffs 0–99, ``default_rng(seed)``)
are solved one at a time by every solver (all equilibria), each solver in its own
warmed-up worker process (QuantEcon's numba JIT happens before, and is reported
separately).  Only the solve calls are timed; games per second = games / sum of the
solve times.  The ratio column is *anchor total time / ours total time*
(> 1: we are faster).  Gambit's exact ``enummixed_solve`` is the correctness reference.

This is a benchmark script, not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import _bench_common as bc  # noqa: E402

SWEEP_KEYS = ["ours", "gambit_exact", "gambit_float", "nashpy_se", "qe_se"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--games", type=int, default=10000, help="number of random 2×2 games (default 10000)")
    p.add_argument("--timeout", type=float, default=600.0,
                   help="time limit in seconds for one solver's whole sweep (default 600)")
    p.add_argument("--out", default=str(bc.BENCH_DIR / "results" / "sweep_2x2.md"),
                   help="Markdown output file")
    p.add_argument("--seed", type=int, default=0, help="seed for numpy default_rng (default 0)")
    p.add_argument("--solvers", default=",".join(SWEEP_KEYS),
                   help=f"comma-separated solver keys (default {','.join(SWEEP_KEYS)})")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    keep = [k.strip() for k in args.solvers.split(",") if k.strip()]
    all_solvers = bc.make_solvers()
    solvers = {k: all_solvers[k] for k in keep if k in all_solvers}
    notes = []
    for s in solvers.values():
        if not s.check():
            notes.append(f"{s.label} skipped: package `{s.module}` not importable ({s.missing_reason})")
    if "ours" not in solvers or not solvers["ours"].available:
        sys.exit("our solver (negotiation) is not importable; run with PYTHONPATH=. from the repo root")

    env = bc.environment_lines()
    rng = np.random.default_rng(args.seed)
    games = bc.random_games(rng, 2, args.games)

    bc.warm_up(solvers, *bc.WARM_GAME)
    bc.log("first calls: " + ", ".join(f"{s.label} {bc.fmt_time(s.first_call_s)}"
                                        for s in solvers.values() if s.available))

    results = {}
    for key, s in solvers.items():
        if not s.available:
            continue
        bc.log(f"{s.label}: {args.games} games ...")
        try:
            with bc.Worker(s, bc.WARM_GAME) as worker:
                results[key] = worker.call(games, args.timeout)
        except RuntimeError as exc:
            results[key] = bc.RunResult("error", message=str(exc))
        r = results[key]
        if r.status == "ok":
            bc.log(f"  {sum(r.times):.2f} s solve time, {len(r.times) / sum(r.times):,.0f} games/s")
        else:
            bc.log(f"  {r.status} {r.message}")

    ref = results.get("gambit_exact")
    reference = ref.found if ref is not None and ref.status == "ok" else None
    ours = results.get("ours")
    ours_total = sum(ours.times) if ours is not None and ours.status == "ok" else None

    ties = [bc.has_payoff_ties(A, B) for A, B in games]
    rows = []
    for key, s in solvers.items():
        if not s.available:
            rows.append([s.label, "n/a", "n/a", "n/a", "—", "—"])
            continue
        r = results[key]
        if r.status == "timeout":
            rows.append([s.label, f"> {args.timeout:g} s (timeout)", "—", "—", "—", "—"])
            continue
        if r.status != "ok":
            rows.append([s.label, "error", "—", "—", "—", r.message])
            continue
        total = sum(r.times)
        if reference is None:
            corr = "no reference"
        elif key == "gambit_exact":
            corr = "reference"
        else:
            bad = [i for i, (g, f) in enumerate(zip(reference, r.found))
                   if not bc.same_equilibria(g, f, s.exact)]
            corr = f"≠{len(bad)} ({sum(ties[i] for i in bad)} tie)" if bad else "all agree"
        ratio = bc.fmt_ratio(total / ours_total) if ours_total and key != "ours" else "—"
        rows.append([s.label, f"{len(r.times) / total:,.0f}", bc.fmt_time(bc.median(r.times)),
                     bc.fmt_time(total), ratio, corr])

    dist = ""
    if reference is not None:
        c = collections.Counter(len(f) for f in reference)
        dist = ("Equilibria per game (Gambit exact): "
                + ", ".join(f"{k} eq: {c[k]} games" for k in sorted(c)) + ". ")
    dist += (f"Games with payoff ties (a column of A or a row of B with a repeated value, the usual "
             f"source of degeneracy): {sum(ties)} of {len(games)}; “(k tie)” in the last column "
             f"says how many of the differing games are among them.")

    first_rows = [[s.label, bc.fmt_time(s.first_call_s) if s.available else "n/a"]
                  for s in solvers.values()]
    lines = [
        "# Sweep: random 2×2 games solved one by one",
        "",
        *env,
        f"- Load average at end: {bc.load_average()} (other processes may share the machine)",
        f"- Seed: {args.seed}; games: {args.games}; payoffs: random integers 0–99 "
        f"(`numpy.random.default_rng({args.seed})`); timeout per solver sweep: {args.timeout:g} s",
        f"- Command: `{' '.join(['python'] + [Path(sys.argv[0]).as_posix()] + sys.argv[1:])}`",
        "",
        "All equilibria of every game, one solve call per game, in one warmed-up worker process "
        "per solver. Only the solve calls are timed (`time.perf_counter`; game construction and "
        "result conversion excluded). games/s = games / total solve time. *time / ours* is the "
        "solver's total solve time divided by ours: **> 1 means ours is faster**. The last column "
        "counts games whose equilibrium set differs from Gambit exact's (exact solvers: same set "
        "of rational profiles; float solvers: same count and each profile within "
        f"{bc.FLOAT_TOL:g} of a distinct reference profile).",
        "",
        bc.markdown_table(["solver", "games/s", "median per game", "total solve time",
                           "time / ours", "vs Gambit exact (games differing)"], rows),
        "",
    ]
    if dist:
        lines += [dist, ""]
    lines += [
        "## First call in the parent process (excluded from the sweep times)",
        "",
        "For QuantEcon this is essentially the numba JIT compilation time.",
        "",
        bc.markdown_table(["solver", "first call"], first_rows),
        "",
    ]
    if notes:
        lines += ["## Notes", ""] + [f"- {x}" for x in notes] + [""]
    text = "\n".join(lines)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    bc.log(f"written {out}")


if __name__ == "__main__":
    main()
