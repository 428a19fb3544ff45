#!/usr/bin/env python
"""All equilibria of random n×n bimatrix games: ours vs Gambit, nashpy, QuantEcon.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_all_equilibria.py \
        --sizes 2,4,6,8,10 --games 5 --timeout 30 \
        --out benchmarks/results/all_equilibria.md --seed 0

For every size n the same ``--games`` random games (integer payoffs 0–99, drawn with
``numpy.random.default_rng(seed)``) are given to every solver.  Each solver call runs
in its own forked worker process with a time limit; the time measured inside the
worker around the solve call only (game construction excluded) is reported as the
median over the games.  Ratios are ``anchor median / ours median`` (> 1: we are
faster).  Gambit's exact ``enummixed_solve`` is the correctness reference.

This is a benchmark script, not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import _bench_common as bc  # noqa: E402

RATIO_KEYS = ["gambit_exact", "gambit_float", "nashpy_ve", "nashpy_se", "qe_ve", "qe_se"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="2,4,6,8,10",
                   help="comma-separated game sizes n (n×n games); default 2,4,6,8,10")
    p.add_argument("--games", type=int, default=5, help="random games per size (default 5)")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="per-game time limit in seconds for every solver call (default 30)")
    p.add_argument("--out", default=str(bc.BENCH_DIR / "results" / "all_equilibria.md"),
                   help="Markdown output file")
    p.add_argument("--seed", type=int, default=0, help="seed for numpy default_rng (default 0)")
    p.add_argument("--solvers", default=None,
                   help="comma-separated subset of solver keys "
                        "(ours,gambit_exact,gambit_float,nashpy_ve,nashpy_se,qe_ve,qe_se)")
    p.add_argument("--vs-repeats", type=int, default=3,
                   help="solves of the von Stengel game per solver (median reported; default 3)")
    p.add_argument("--no-von-stengel", action="store_true",
                   help="skip the von Stengel 6×6 (75 equilibria) row")
    args = p.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    return args


def correctness_cell(solvers, per_solver, reference, ties):
    """'all agree' or e.g. 'np-SE ≠2, np-VE ≠1' (games whose set differs from the reference)."""
    if reference is None:
        return "no reference"
    parts, compared = [], 0
    for key, s in solvers.items():
        if key == "gambit_exact" or key not in per_solver:
            continue
        res = per_solver[key]
        found = res["found"]
        pairs = [(r, f) for r, f in zip(reference, found) if r is not None and f is not None]
        if not pairs:
            continue
        compared += 1
        bad = [i for i, (r, f) in enumerate(zip(reference, found))
               if r is not None and f is not None and not bc.same_equilibria(r, f, s.exact)]
        if bad:
            parts.append(f"{s.short} ≠{len(bad)} ({sum(ties[i] for i in bad)} tie)")
    if not compared:
        return "—"
    return ", ".join(parts) if parts else "all agree"


def run_size(n, games, solvers, timeout, dead):
    """Run every live solver on ``games``; returns {key: {"times", "found", "status"}}."""
    out = {}
    for key, s in solvers.items():
        if not s.available:
            continue
        if key in dead:
            out[key] = {"status": "skipped", "times": [], "found": [None] * len(games)}
            continue
        times, found, status, msg = [], [], "ok", ""
        try:
            worker = bc.Worker(s, bc.WARM_GAME)
        except RuntimeError as exc:
            out[key] = {"status": "error", "times": [], "found": [None] * len(games),
                        "message": str(exc)}
            continue
        with worker:
            for game in games:
                r = worker.call([game], timeout)
                if r.status == "ok":
                    times.append(r.times[0])
                    found.append(r.found[0])
                elif r.status == "timeout":
                    status = "timeout"
                    dead[key] = n
                    break
                else:
                    status, msg = "error", r.message
                    found.append(None)
                    if not worker.alive:
                        break
        found += [None] * (len(games) - len(found))
        out[key] = {"status": status, "times": times, "found": found, "message": msg}
        med = bc.median(times)
        bc.log(f"  n={n:<3} {s.label:<13} {status:<8} median {bc.fmt_time(med)}"
               + (f"  [{msg}]" if msg else ""))
    return out


def time_cell(res, timeout):
    if res is None:
        return "n/a"
    if res["status"] == "timeout" or res["status"] == "skipped":
        return f"> {timeout:g} s"
    med = bc.median(res["times"])
    cell = bc.fmt_time(med)
    if res["status"] == "error":
        cell += " (error)" if med is not None else "error"
    return cell


def main(argv=None):
    args = parse_args(argv)
    solvers = bc.make_solvers()
    if args.solvers:
        keep = [k.strip() for k in args.solvers.split(",")]
        solvers = {k: v for k, v in solvers.items() if k in keep}
    notes = []
    for s in solvers.values():
        if not s.check():
            notes.append(f"{s.label} skipped: package `{s.module}` not importable ({s.missing_reason})")
    if not solvers.get("ours") or not solvers["ours"].available:
        sys.exit("our solver (negotiation) is not importable; run with PYTHONPATH=. from the repo root")

    env = bc.environment_lines()
    rng = np.random.default_rng(args.seed)
    games_by_n = {n: bc.random_games(rng, n, args.games) for n in args.sizes}

    # warm-up (JIT, lazy imports) in the parent; forked workers inherit it
    bc.warm_up(solvers, *bc.WARM_GAME)
    bc.log("first calls: " + ", ".join(f"{s.label} {bc.fmt_time(s.first_call_s)}"
                                        for s in solvers.values() if s.available))

    dead: dict = {}
    rows = []
    for n in args.sizes:
        bc.log(f"n = {n}")
        per = run_size(n, games_by_n[n], solvers, args.timeout, dead)
        ref_res = per.get("gambit_exact")
        reference = ref_res["found"] if ref_res and any(f is not None for f in ref_res["found"]) else None
        counts_src = reference if reference is not None else per["ours"]["found"]
        counts = [len(f) for f in counts_src if f is not None]
        ours_med = bc.median(per["ours"]["times"]) if per["ours"]["status"] == "ok" else None
        ties = [bc.has_payoff_ties(A, B) for A, B in games_by_n[n]]
        row = [n, f"{np.mean(counts):.1f}" if counts else "—", sum(ties)]
        row += [time_cell(per.get(k), args.timeout) for k in solvers]
        for k in RATIO_KEYS:
            if k not in solvers:
                continue
            res = per.get(k)
            if res is None or ours_med is None or res["status"] != "ok":
                row.append("—")
            else:
                row.append(bc.fmt_ratio(bc.median(res["times"]) / ours_med))
        row.append(correctness_cell(solvers, per, reference, ties))
        rows.append(row)

    header = ["n", "eq/game (ref)", "tie games"] + [s.label for s in solvers.values()]
    header += [f"{solvers[k].label} / ours" for k in RATIO_KEYS if k in solvers]
    header += ["correctness vs Gambit exact (games whose set differs)"]

    # von Stengel's 6x6 game with 75 equilibria
    vs_section = []
    if not args.no_von_stengel:
        try:
            A, B, reader = bc.load_von_stengel()
            check = bc.cross_check_von_stengel(A, B)
            bc.log("von Stengel 6×6")
            vs = {}
            for key, s in solvers.items():
                if s.available:
                    try:
                        with bc.Worker(s, bc.WARM_GAME) as worker:
                            runs = []
                            for _ in range(max(1, args.vs_repeats)):
                                r = worker.call([(A, B)], args.timeout)
                                runs.append(r)
                                if r.status != "ok":
                                    break
                            if all(r.status == "ok" for r in runs):
                                vs[key] = bc.RunResult("ok", times=[bc.median([r.times[0] for r in runs])],
                                                       found=runs[0].found)
                            else:
                                vs[key] = runs[-1]
                    except RuntimeError as exc:
                        vs[key] = bc.RunResult("error", message=str(exc))
                    r = vs[key]
                    bc.log(f"  {s.label:<13} {r.status:<8} "
                           + (f"{bc.fmt_time(r.times[0])}, {len(r.found[0])} eq" if r.status == "ok"
                              else r.message))
            ref = vs.get("gambit_exact")
            ref_found = ref.found[0] if ref is not None and ref.status == "ok" else None
            ours_t = vs["ours"].times[0] if vs["ours"].status == "ok" else None
            vrows = []
            for key, s in solvers.items():
                if not s.available:
                    vrows.append([s.label, "n/a", "n/a", "—", "—"])
                    continue
                r = vs[key]
                if r.status == "ok":
                    t, cnt = r.times[0], len(r.found[0])
                    if ref_found is None:
                        agree = "no reference"
                    elif key == "gambit_exact":
                        agree = "reference"
                    else:
                        agree = "yes" if bc.same_equilibria(ref_found, r.found[0], s.exact) else "**no**"
                    ratio = bc.fmt_ratio(t / ours_t) if ours_t and key != "ours" else "—"
                    vrows.append([s.label, bc.fmt_time(t), cnt, agree, ratio])
                elif r.status == "timeout":
                    vrows.append([s.label, f"> {args.timeout:g} s", "—", "—", "—"])
                else:
                    vrows.append([s.label, "error", "—", r.message, "—"])
            vs_section = [
                "## von Stengel (1999) 6×6 game with 75 equilibria",
                "",
                f"File `{bc.VON_STENGEL_NFG}`, read with `{reader}` ({check}). "
                f"Median of {max(1, args.vs_repeats)} solves per solver in one worker, "
                "same worker/timeout rules as above.",
                "",
                bc.markdown_table(["solver", "time", "equilibria found",
                                   "same set as Gambit exact", "time / ours"], vrows),
                "",
            ]
        except Exception as exc:
            vs_section = ["## von Stengel (1999) 6×6 game with 75 equilibria", "",
                          f"Not run: {type(exc).__name__}: {exc}", ""]

    first_rows = [[s.label, bc.fmt_time(s.first_call_s) if s.available else "n/a"]
                  for s in solvers.values()]

    lines = [
        "# All equilibria of random n×n bimatrix games",
        "",
        *env,
        f"- Load average at end: {bc.load_average()} (other processes may share the machine)",
        f"- Seed: {args.seed}; games per size: {args.games}; payoffs: random integers 0–99 "
        f"(`numpy.random.default_rng({args.seed})`); per-game timeout: {args.timeout:g} s",
        f"- Command: `{' '.join(['python'] + [Path(sys.argv[0]).as_posix()] + sys.argv[1:])}`",
        "",
        "Times are medians per game of the solve call alone (measured with `time.perf_counter` "
        "inside a worker process, game construction excluded). Each solver gets its own worker "
        "per size, forked from the warmed-up parent; it repeats the warm-up solve untimed, then "
        "solves the games one by one, each call with its own time limit (the worker is killed "
        "on a timeout). Ratio columns are *anchor median / ours median*: "
        "**> 1 means ours is faster**. “> T s” means some game at that size exceeded the "
        "timeout; that solver is skipped for larger sizes. The correctness column counts the "
        "games whose equilibrium set differs from Gambit exact's (exact solvers: same set of "
        "rational profiles; float solvers: same count and each profile within "
        f"{bc.FLOAT_TOL:g} of a distinct reference profile); “(k tie)” says how many of those "
        "games have payoff ties (a column of A or a row of B with a repeated value, the usual "
        "source of degeneracy), and *tie games* counts them among all games of that size. "
        "*eq/game (ref)* is the mean number of equilibria Gambit exact finds.",
        "",
        bc.markdown_table(header, rows),
        "",
        *vs_section,
        "## First call in the parent process (excluded from the per-game times)",
        "",
        "Each solver is called once on a 2×2 int64 game before the benchmark; workers are forked "
        "afterwards and inherit the warmed-up state. For QuantEcon this is essentially the numba "
        "JIT compilation time; for the others, lazy imports and first-use caches.",
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
