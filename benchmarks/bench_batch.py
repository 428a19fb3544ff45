#!/usr/bin/env python
"""Sweep throughput: all equilibria of many random float games, batch solver vs per-game loops.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_batch.py \
        --out benchmarks/results/batch.md --seed 0

``negotiation.solvers.batch.batch_equilibria`` solves N random games at once
(2×2: N = 10^6, 3×3: N = 10^5, 4×4: N = 10^5; payoffs uniform on [0, 1), drawn with
``numpy.random.default_rng(seed)``); the time per point is the best of ``--repeat``
calls divided by N. The per-game solvers (QuantEcon ``support_enumeration`` after its
numba JIT warm-up, Gambit ``enummixed_solve(rational=False)``, nashpy
``support_enumeration``) solve the first ``--subsample`` of the same games one by one;
only the solve calls are timed (game construction excluded, adapters from
``_bench_common``). *ratio* = solver's µs/point ÷ ours (> 1: ours is faster). The
last column compares each solver's equilibria on the subsample with ours (same count,
each profile within 1e-6 of a distinct one of ours).

This is a benchmark script, not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import _bench_common as bc  # noqa: E402

COMPETITORS = ["qe_se", "gambit_float", "nashpy_se"]
GOALS = {(2, 2): 0.4e-6, (3, 3): 10e-6}  # DESIGN.md §5, solving only


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n2", type=int, default=10**6, help="2×2 points (default 10^6)")
    p.add_argument("--n3", type=int, default=10**5, help="3×3 points (default 10^5)")
    p.add_argument("--n4", type=int, default=10**5, help="4×4 points (default 10^5; 0 to skip)")
    p.add_argument("--subsample", type=int, default=2000, help="games solved one by one by the other solvers")
    p.add_argument("--repeat", type=int, default=7, help="batch calls per size (best is reported)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=str(bc.BENCH_DIR / "results" / "batch.md"))
    return p.parse_args(argv)


def time_batch(A, B, repeat):
    from negotiation.solvers.batch import batch_equilibria

    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = batch_equilibria(A, B)
        times.append(time.perf_counter() - t0)
    return min(times), times, result


def time_loop(solver, A, B):
    games = [solver.prepare(a, b) for a, b in zip(A, B)]
    solver.solve(games[0])  # warm-up (JIT for this dtype / lazy imports), untimed
    total, found = 0.0, []
    for game in games:
        t0 = time.perf_counter()
        raw = solver.solve(game)
        total += time.perf_counter() - t0
        found.append(solver.extract(raw))
    return total / len(games), found


def ours_rows(result, count):
    offsets = result.offsets()
    return [
        [(tuple(result.row[k]), tuple(result.column[k])) for k in range(offsets[i], offsets[i + 1])]
        for i in range(count)
    ]


def main(argv=None):
    args = parse_args(argv)
    solvers = bc.make_solvers()
    notes = []
    competitors = []
    for key in COMPETITORS:
        s = solvers[key]
        if s.check():
            competitors.append(s)
        else:
            notes.append(f"{s.label} skipped: `{s.module}` not importable ({s.missing_reason})")
    env = bc.environment_lines()
    # QuantEcon's JIT (reported, excluded from the loop times)
    bc.warm_up({s.key: s for s in competitors}, *bc.WARM_GAME)

    rng = np.random.default_rng(args.seed)
    sizes = [((2, 2), args.n2), ((3, 3), args.n3)] + ([((4, 4), args.n4)] if args.n4 else [])
    header = ["game", "solver", "points", "µs / point", "ratio (÷ ours)", "vs ours on the subsample"]
    rows, summary = [], []
    for (m, n), N in sizes:
        bc.log(f"{m}×{n}: generating {N:,} games")
        A = rng.random((N, m, n))
        B = rng.random((N, m, n))
        best, times, result = time_batch(A, B, args.repeat)
        ours = best / N
        flagged = int(result.degenerate.sum())
        goal = GOALS.get((m, n))
        goal_text = "" if goal is None else (f" (goal ≤ {goal * 1e6:g} µs: {'met' if ours <= goal else 'NOT met'})")
        summary.append(
            f"- {m}×{n}: {N:,} points, {len(result):,} equilibria, {flagged} points flagged degenerate; "
            f"batch calls {', '.join(f'{t:.3f} s' for t in times)}; best {ours * 1e6:.3f} µs/point, "
            f"median {bc.median(times) / N * 1e6:.3f} µs/point{goal_text}"
        )
        rows.append([f"{m}×{n}", "**ours: batch_equilibria**", f"{N:,}", f"**{ours * 1e6:.3g}**", "1", "—"])
        sub = min(args.subsample, N)
        mine = ours_rows(result, sub)
        for s in competitors:
            bc.log(f"{m}×{n}: {s.label} on {sub} games")
            per_game, found = time_loop(s, A[:sub], B[:sub])
            differ = sum(not bc.same_equilibria(a, b, exact=False) for a, b in zip(mine, found))
            rows.append([
                f"{m}×{n}", s.label + (" (loop)"), f"{sub:,}", f"{per_game * 1e6:.3g}",
                bc.fmt_ratio(per_game / ours), "all agree" if differ == 0 else f"{differ} differ",
            ])

    table = bc.markdown_table(header, rows)
    first_calls = [f"{s.label}: {bc.fmt_time(s.first_call_s)}" for s in competitors if s.first_call_s is not None]
    text = "\n".join([
        "# Batch solver: all equilibria of many random float games",
        "",
        *env,
        f"- Load average at end: {bc.load_average()} (other processes may share the machine)",
        f"- Seed: {args.seed}; payoffs uniform on [0, 1); subsample for per-game solvers: {args.subsample}; "
        f"batch calls per size: {args.repeat} (best reported)",
        "- Command: `python benchmarks/bench_batch.py " + " ".join(sys.argv[1:] or []) + "`",
        "",
        "Ours: `batch_equilibria(A, B)` on the whole (N, m, n) arrays (validation, support enumeration, "
        "degeneracy flags, regret check, output arrays). Others: one solve call per game "
        "(game construction excluded). *ratio* = µs/point of the solver ÷ ours (> 1: ours is faster). "
        "Last column: games of the subsample whose equilibrium set differs from ours (same count, each "
        "profile within 1e-6 of a distinct one of ours); where Gambit agrees with ours on every game, "
        "a difference is the other solver's (nashpy's support enumeration misses equilibria through "
        "round-off, anchors.md §2c).",
        "",
        table,
        "",
        *summary,
        "- First call in this process (excluded; QuantEcon: numba JIT): " + "; ".join(first_calls),
        *(f"- {note}" for note in notes),
        "",
    ])
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    bc.log(f"written to {out}")


if __name__ == "__main__":
    main()
