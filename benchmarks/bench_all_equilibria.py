#!/usr/bin/env python
"""All equilibria of random n×n bimatrix games: ours vs lrsnash, Gambit, nashpy, QuantEcon.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_all_equilibria.py \
        --sizes 2,4,6,8,10,12 --degenerate-sizes 6,10 --games 5 --timeout 30 \
        --out benchmarks/results/all_equilibria.md --seed 0
    PYTHONPATH=. .venv/bin/python benchmarks/bench_all_equilibria.py --goal-rows   # issue 14, goal 1

For every size n the same ``--games`` random games (integer payoffs 0–99, drawn with
``numpy.random.default_rng(seed)``; *degenerate* games: payoffs in {0, 1, 2}) are given to
every solver.  Each solver runs in its own forked worker process with a time limit per call;
the solvers take turns game by game (ours, then each contender, on the same game).  Times are
CPU seconds of the solve call only (``time.process_time`` in the worker; for lrsnash, which runs
as a program, the child's CPU time from ``getrusage(RUSAGE_CHILDREN)``, so process start-up and
reading its input count for lrsnash, as they do when it is used).  Each game's time is the
least of ``--repeats`` solves; the median over the games is reported.  Ratios are
``anchor median / ours median`` (> 1: we are faster).  The correctness reference is Gambit's
exact ``enummixed_solve`` where it finished, else lrsnash (both exact and independent of ours).

This is a benchmark script, not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import _bench_common as bc  # noqa: E402

RATIO_KEYS = ["lrsnash", "gambit_exact", "gambit_float", "nashpy_ve", "nashpy_se", "qe_ve", "qe_se"]
#: The reference for correctness, in order of preference (exact and independent of ours).
REFERENCES = ["gambit_exact", "lrsnash"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="2,4,6,8,10,12",
                   help="comma-separated game sizes n (n×n games, payoffs 0–99); default 2,4,6,8,10,12")
    p.add_argument("--degenerate-sizes", default="6,10",
                   help="comma-separated sizes of degenerate games (payoffs in {0, 1, 2}); default 6,10")
    p.add_argument("--games", type=int, default=5, help="random games per size (default 5)")
    p.add_argument("--repeats", type=int, default=3,
                   help="solves of each game per solver, the least time kept (default 3)")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="per-game time limit in seconds for every solver call (default 30)")
    p.add_argument("--out", default=str(bc.BENCH_DIR / "results" / "all_equilibria.md"),
                   help="Markdown output file")
    p.add_argument("--seed", type=int, default=0, help="seed for numpy default_rng (default 0)")
    p.add_argument("--solvers", default=None,
                   help="comma-separated subset of solver keys "
                        "(ours,lrsnash,gambit_exact,gambit_float,nashpy_ve,nashpy_se,qe_ve,qe_se)")
    p.add_argument("--vs-repeats", type=int, default=3,
                   help="solves of the von Stengel game per solver (median reported; default 3)")
    p.add_argument("--no-von-stengel", action="store_true",
                   help="skip the von Stengel 6×6 (75 equilibria) row")
    p.add_argument("--goal-rows", action="store_true",
                   help="print only issue 14's goal 1 (ours vs lrsnash and QuantEcon VE, quick) and exit")
    args = p.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.degenerate_sizes = [int(s) for s in args.degenerate_sizes.split(",") if s.strip()]
    return args


def all_solvers() -> dict:
    """Every solver of the table: ours, lrsnash, then those of ``_bench_common.make_solvers``."""
    solvers = bc.make_solvers()
    ours = solvers.pop("ours")
    return {"ours": ours, "lrsnash": bc.lrsnash_solver(), **solvers}


def case_games(kind: str, n: int, count: int, seed: int):
    """The games of one case: ``kind`` "random" (payoffs 0–99) or "degenerate" (payoffs in {0, 1, 2})."""
    rng = np.random.default_rng([seed, n, 0 if kind == "random" else 1])
    return bc.random_games(rng, n, count, high=100 if kind == "random" else 3)


def reference_of(per: dict):
    """``(key, found)`` of the first reference solver that answered every game, else ``(None, None)``."""
    for key in REFERENCES:
        res = per.get(key)
        if res is not None and res["status"] == "ok" and all(f is not None for f in res["found"]):
            return key, res["found"]
    return None, None


def correctness_cell(solvers, per_solver, reference_key, reference, ties):
    """'all agree' or e.g. 'np-SE ≠2, np-VE ≠1' (games whose set differs from the reference)."""
    if reference is None:
        return "no reference"
    parts, compared = [], 0
    for key, s in solvers.items():
        if key == reference_key or key not in per_solver:
            continue
        found = per_solver[key]["found"]
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


def run_case(label, games, solvers, timeout, dead, repeats=1):
    """Every live solver on ``games``, taking turns game by game; each game's time is the least of ``repeats``
    solves (CPU seconds; one solve when it takes over a second). Returns {key: {"times", "found", "status", "message"}}."""
    out, workers = {}, {}
    for key, s in solvers.items():
        if not s.available:
            continue
        if key in dead:
            out[key] = {"status": "skipped", "times": [], "found": [None] * len(games), "message": ""}
            continue
        try:
            workers[key] = bc.Worker(s, bc.WARM_GAME, clock="cpu")
            out[key] = {"status": "ok", "times": [], "found": [], "message": ""}
        except RuntimeError as exc:
            out[key] = {"status": "error", "times": [], "found": [None] * len(games), "message": str(exc)}
    try:
        for game in games:
            for key, worker in workers.items():
                res = out[key]
                if res["status"] != "ok":
                    continue
                best, found = None, None
                for _ in range(max(1, repeats)):
                    r = worker.call([game], timeout)
                    if r.status != "ok":
                        res["status"], res["message"] = r.status, r.message
                        if r.status == "timeout":
                            dead[key] = label
                        break
                    best = r.times[0] if best is None else min(best, r.times[0])
                    found = r.found[0]
                    if r.times[0] > 1.0:  # repeats only sharpen short times
                        break
                if res["status"] == "ok":
                    res["times"].append(best)
                    res["found"].append(found)
    finally:
        for worker in workers.values():
            worker.close()
    for key, res in out.items():
        res["found"] += [None] * (len(games) - len(res["found"]))
        if key in workers:
            bc.log(f"  {label:<16} {solvers[key].label:<13} {res['status']:<8} median "
                   f"{bc.fmt_time(bc.median(res['times']))}" + (f"  [{res['message']}]" if res["message"] else ""))
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
    if args.goal_rows:
        for row in goal_rows(quick=True):
            print(row)
        return
    solvers = all_solvers()
    if args.solvers:
        keep = [k.strip() for k in args.solvers.split(",")]
        solvers = {k: v for k, v in solvers.items() if k in keep}
    notes = []
    for s in solvers.values():
        if not s.check():
            what = f"program `{s.command}`" if s.command else f"package `{s.module}`"
            notes.append(f"{s.label} skipped: {what} not available ({s.missing_reason})")
    if not solvers.get("ours") or not solvers["ours"].available:
        sys.exit("our solver (negotiation) is not importable; run with PYTHONPATH=. from the repo root")

    env = bc.environment_lines()
    cases = [("random", n) for n in args.sizes] + [("degenerate", n) for n in args.degenerate_sizes]

    # warm-up (JIT, lazy imports) in the parent; forked workers inherit it
    bc.warm_up(solvers, *bc.WARM_GAME)
    bc.log("first calls: " + ", ".join(f"{s.label} {bc.fmt_time(s.first_call_s)}"
                                        for s in solvers.values() if s.available))

    dead: dict = {}
    rows = []
    for kind, n in cases:
        if kind == "degenerate":
            dead = {k: v for k, v in dead.items() if not str(v).startswith("random")}  # sizes start again
        games = case_games(kind, n, args.games, args.seed)
        label = f"{kind} {n}×{n}"
        per = run_case(label, games, solvers, args.timeout, dead, args.repeats)
        reference_key, reference = reference_of(per)
        counts_src = reference if reference is not None else per["ours"]["found"]
        counts = [len(set(f)) for f in counts_src if f is not None]
        ours_med = bc.median(per["ours"]["times"]) if per["ours"]["status"] == "ok" else None
        ties = [bc.has_payoff_ties(A, B) for A, B in games]
        row = [f"{n}" + (" degenerate" if kind == "degenerate" else ""),
               f"{np.mean(counts):.1f}" if counts else "—", sum(ties)]
        row += [time_cell(per.get(k), args.timeout) for k in solvers]
        for k in RATIO_KEYS:
            if k not in solvers:
                continue
            res = per.get(k)
            if res is None or ours_med is None or res["status"] != "ok":
                row.append("—")
            else:
                row.append(bc.fmt_ratio(bc.median(res["times"]) / ours_med))
        row.append(f"{solvers[reference_key].label}: " if reference_key else "")
        row[-1] += correctness_cell(solvers, per, reference_key, reference, ties)
        rows.append(row)

    header = ["n", "eq/game (ref)", "tie games"] + [s.label for s in solvers.values()]
    header += [f"{solvers[k].label} / ours" for k in RATIO_KEYS if k in solvers]
    header += ["reference: games whose set differs from it"]

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
                        with bc.Worker(s, bc.WARM_GAME, clock="cpu") as worker:
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
            ref_key = next((k for k in REFERENCES if k in vs and vs[k].status == "ok"), None)
            ref_found = vs[ref_key].found[0] if ref_key else None
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
                    elif key == ref_key:
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
                                   "same set as the reference", "time / ours"], vrows),
                "",
            ]
        except Exception as exc:
            vs_section = ["## von Stengel (1999) 6×6 game with 75 equilibria", "",
                          f"Not run: {type(exc).__name__}: {exc}", ""]

    first_rows = [[s.label, bc.fmt_time(s.first_call_s) if s.available else "n/a"]
                  for s in solvers.values()]

    lines = [
        "# All equilibria of random n×n bimatrix games (issue 14, goal 1)",
        "",
        *env,
        f"- Load average at end: {bc.load_average()} (other processes may share the machine)",
        f"- Seed: {args.seed}; games per size: {args.games}; payoffs: random integers 0–99, degenerate games "
        f"0–2 (`numpy.random.default_rng([{args.seed}, n, 0 or 1])`); per-game timeout: {args.timeout:g} s; "
        f"repeats per game: {args.repeats}",
        f"- Command: `{' '.join(['python'] + [Path(sys.argv[0]).as_posix()] + sys.argv[1:])}`",
        "",
        "Times are medians over the games of the **CPU time** of the solve call alone "
        "(`time.process_time` inside a worker process, game construction excluded; for lrsnash, "
        "which runs as a program, the CPU time of the child process from "
        "`getrusage(RUSAGE_CHILDREN)`, which includes its start-up and reading its input file). "
        "Each game's time is the least of the repeats. Each solver gets its own worker per case, "
        "forked from the warmed-up parent; it repeats the warm-up solve untimed; the solvers then "
        "take turns game by game, each call with its own time limit (the worker is killed on a "
        "timeout). Ratio columns are *anchor median / ours median*: **> 1 means ours is faster**. "
        "“> T s” means some game of that case exceeded the timeout; that solver is skipped for "
        "larger sizes of the same kind. The last column names the reference (Gambit exact where "
        "it finished, else lrsnash: both exact and independent of ours) and counts the games "
        "whose equilibrium set differs from it (exact solvers: same set of rational profiles; "
        "float solvers: same count and each profile within "
        f"{bc.FLOAT_TOL:g} of a distinct reference profile); “(k tie)” says how many of those "
        "games have payoff ties (a column of A or a row of B with a repeated value, the usual "
        "source of degeneracy), and *tie games* counts them among all games of that size. "
        "*eq/game (ref)* is the mean number of distinct equilibria the reference finds. *degenerate* "
        "rows are games with payoffs in {0, 1, 2}.",
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


def goal_rows(quick: bool = True) -> list[dict]:
    """Issue 14, goal 1: ours against lrsnash and QuantEcon's vertex enumeration, one dict per case and
    contender (keys of ``benchmarks/bench_speed_goals.py``).

    Cases: random games (payoffs 0–99) of sizes 2, 4, 6, 8, 10, 12 and degenerate games (payoffs in
    {0, 1, 2}) of sizes 6 and 10; ``quick`` uses 3 games per case (5 otherwise). CPU seconds, solvers
    taking turns game by game. Every answer is checked: ours against lrsnash (exact, same set) and
    QuantEcon's against ours (float, within ``FLOAT_TOL``); a wrong set of ours makes the row fail, a wrong
    set of a contender is said in ``note``. ``ratio`` is *theirs / ours* (> 1: ours faster).
    """
    games_per_case = 3 if quick else 5
    solvers = all_solvers()
    solvers = {k: solvers[k] for k in ("ours", "lrsnash", "qe_ve")}
    for s in solvers.values():
        s.check()
    bc.warm_up(solvers, *bc.WARM_GAME)
    targets = {"lrsnash": ("lrsnash 7.1 (exact, C/GMP; child CPU)", "faster than lrsnash (ratio > 1)", 1.0),
               "qe_ve": ("QuantEcon VE (float, numba)", "within 3× of QuantEcon VE (ratio ≥ 1/3)", 1 / 3)}
    rows, dead = [], {}
    cases = [("random", n) for n in (2, 4, 6, 8, 10, 12)] + [("degenerate", n) for n in (6, 10)]
    for kind, n in cases:
        games = case_games(kind, n, games_per_case, 0)
        per = run_case(f"{kind} {n}×{n}", games, solvers, 120.0, dead, repeats=3 if n <= 8 else 1)
        ours = per["ours"]
        ours_ok = ours["status"] == "ok"
        ours_time = bc.median(ours["times"]) if ours_ok else None
        for key, (name, target, least) in targets.items():
            res = per.get(key)
            theirs = bc.median(res["times"]) if res is not None and res["status"] == "ok" else None
            note = "" if res is not None else f"{solvers[key].label} not available ({solvers[key].missing_reason})"
            wrong_ours = 0
            if key == "lrsnash" and theirs is not None and ours_ok:
                wrong_ours = sum(not bc.same_equilibria(r, f, True) for r, f in zip(res["found"], ours["found"]))
                if wrong_ours:
                    note = f"ours differs from lrsnash on {wrong_ours} of {len(games)} games"
            if key == "qe_ve" and theirs is not None and ours_ok:
                wrong = sum(not bc.same_equilibria(r, f, False) for r, f in zip(ours["found"], res["found"]))
                if wrong:
                    note = f"QuantEcon VE returned a wrong set on {wrong} of {len(games)} games"
            ratio = theirs / ours_time if theirs is not None and ours_time else None
            met = None if ratio is None else (ratio > least if key == "lrsnash" else ratio >= least) and not wrong_ours
            if not ours_ok:
                met, note = False, f"ours: {ours['status']} {ours['message']}"
            rows.append({"goal": 1, "case": f"{n}×{n} {kind}", "ours": ours_time, "contender": name,
                         "theirs": theirs, "ratio": ratio, "ratio_meaning": "theirs / ours (> 1: ours faster)",
                         "target": target, "met": met, "note": note})
    return rows


if __name__ == "__main__":
    main()
