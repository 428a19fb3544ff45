#!/usr/bin/env python
"""Bargaining over many packages: 5 issues × 2 parties × 10^4 discrete packages, timed per solve.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_bargaining.py \
        --problems 10 --repeats 3 --out benchmarks/results/bargaining.md --seed 0

Each problem has five discrete issues with 10, 10, 10, 5 and 2 options (10^4 packages) and
additive Raiffa scores for NATO and Russia: random integers 0–99 divided by 10, so every
utility is an exact rational and every answer is exact (``Fraction``). The no-deal point is
drawn so that roughly a third to a half of the packages are in the zone. Timed with
``time.perf_counter`` (best of ``--repeats`` per problem, then the median over problems):

* ``agreement_set``: building the 10^4 × 2 utility table from the scores, the zone
  (individual rationality, checked exactly), its size and the Pareto frontier;
* each solution on the computed zone (``nash``, ``kalai_smorodinsky``, ``egalitarian``,
  ``utilitarian``);
* ``bargain``: everything at once, as ``negotiation agree`` does.

A pure-Python exact brute force over the same 10^4 packages (a loop over ``Fraction``
utilities for the Nash product) is timed once per problem as a reference point, and checks
that the Nash package is the same. Further rows show other shapes of problem: non-additive
(pairwise interaction) scores, float scores, 10^5 packages, five continuous issues with
linear utilities (an exact zonotope) and a union of 10 option combinations × 4 continuous issues.

Issue 14, goal 5 (:func:`goal_rows`, also run by ``main`` and written at the top of the results):
``negotiation agree buffer_zone`` (CPU of the CLI child, target 1 s) next to the same command on the
route before (SLSQP from 11 starts per question, ``SurfacePiece.route = "multistart"``), alternating,
answers compared number by number; and ``negotiation tables`` (CPU of the child and its workers, and
wall time, target 10 s) next to ``negotiation tables --jobs 1``, alternating, the two output folders
compared file by file (text exactly, PNG bytes, SVG after removing its date and random ids). Children
run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed) after one untimed run, as an
installed package would.

This is a benchmark script, not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import _bench_common as bc  # noqa: E402

from negotiation.bargaining import (  # noqa: E402
    BargainingProblem, Issue, agreement_set, bargain, egalitarian, kalai_smorodinsky, nash, utilitarian,
)

PARTIES = ("NATO", "Russia")
SIZES = (10, 10, 10, 5, 2)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--problems", type=int, default=10, help="random problems per shape (default 10)")
    p.add_argument("--repeats", type=int, default=3, help="timings per problem; the best is kept (default 3)")
    p.add_argument("--seed", type=int, default=0, help="seed for numpy default_rng (default 0)")
    p.add_argument("--out", default=str(bc.BENCH_DIR / "results" / "bargaining.md"), help="Markdown output file")
    p.add_argument("--quick", action="store_true", help="goal 5 rows in quick mode (fewer repeats)")
    p.add_argument("--goals-only", action="store_true", help="only the goal 5 rows (issue 14)")
    return p.parse_args(argv)


# ---------------------------------------------------------------------- issue 14, goal 5
AGREE = ["-m", "negotiation", "agree", "buffer_zone", "--format", "json"]
#: The same command on the route before: SLSQP from 11 starts for every question (kept as the tests' oracle).
AGREE_BEFORE = ["-c", "from negotiation.bargaining import curves; curves.SurfacePiece.route = 'multistart'; "
                      "from negotiation.cli import main; raise SystemExit(main(['agree', 'buffer_zone', '--format', "
                      "'json']))"]
AGREE_TARGET, TABLES_TARGET = 1.0, 10.0


def _child_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(bc.REPO_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_child(arguments) -> tuple[float, float, str, int]:
    """CPU seconds (user + system, with the child's reaped workers), wall seconds, stdout and exit status."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, *arguments], stdout=out, stderr=err, env=_child_env(),
                                   cwd=bc.REPO_ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return usage.ru_utime + usage.ru_stime, wall, out.read().decode("utf-8", "replace"), process.returncode


def _numbers(data, path=""):
    """Every number in a JSON document by its path (exact fractions as floats); method texts left out."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in ("method", "messages"):
                yield from _numbers(value, f"{path}/{key}")
    elif isinstance(data, list):
        for k, value in enumerate(data):
            yield from _numbers(value, f"{path}[{k}]")
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        yield path, float(data)
    elif isinstance(data, str) and re.fullmatch(r"-?\d+(/\d+)?(\.\d+)?(e-?\d+)?", data):
        yield path, float(Fraction(data))


def same_agreement(ours: str, theirs: str, rel=1e-6, absolute=1e-7) -> str:
    """'' when the two JSON answers agree number by number (issue values to 1e-4 km), else what differs."""
    a, b = dict(_numbers(json.loads(ours))), dict(_numbers(json.loads(theirs)))
    if a.keys() != b.keys():
        return f"different fields: {sorted(a.keys() ^ b.keys())[:3]}"
    for key in a:
        tolerance = 1e-4 if "/terms/" in key else rel * max(1.0, abs(b[key])) + absolute
        if abs(a[key] - b[key]) > tolerance:
            return f"{key}: {a[key]} against {b[key]}"
    return ""


def _svg(text: str) -> str:
    """An SVG without what changes from run to run: its date and matplotlib's random ids."""
    text = re.sub(r"<dc:date>[^<]*</dc:date>", "", text)
    ids: dict = {}
    return re.sub(r'(id="|#)((?:image)?[a-z]?[0-9a-f]{8,12})\b',
                  lambda m: m.group(1) + ids.setdefault(m.group(2), f"id{len(ids)}"), text)


def same_folders(a: Path, b: Path) -> str:
    """'' when two output folders hold the same files (SVG up to date and ids), else the first difference."""
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    for name in names:
        if not (a / name).exists() or not (b / name).exists():
            return f"{name} missing"
        x, y = (a / name).read_bytes(), (b / name).read_bytes()
        if x != y and not (name.endswith(".svg") and _svg(x.decode()) == _svg(y.decode())):
            return f"{name} differs"
    return ""


def goal_rows(quick: bool = True) -> list[dict]:
    """Issue 14, goal 5: ``agree buffer_zone`` under 1 s and ``negotiation tables`` under 10 s, as rows.

    ``quick`` (3 + 3 agree runs, 1 + 1 tables runs) takes about a minute on an idle 2-core machine.
    """
    repeats, table_repeats = (3, 1) if quick else (7, 3)
    rows = []
    run_child(AGREE)  # untimed: bytecode caches written, files in the page cache
    ours, theirs, wrong = [], [], []
    for _ in range(repeats):
        cpu, _, out_ours, code_ours = run_child(AGREE)
        ours.append(cpu)
        cpu, _, out_theirs, code_theirs = run_child(AGREE_BEFORE)
        theirs.append(cpu)
        if code_ours or code_theirs:
            wrong.append(f"exit {code_ours}/{code_theirs}")
        else:
            difference = same_agreement(out_ours, out_theirs)
            if difference:
                wrong.append(difference)
    mine, before = statistics.median(ours), statistics.median(theirs)
    rows.append({"goal": 5, "case": "agree buffer_zone (CPU of the CLI child)", "ours": mine,
                 "contender": "the same command, SLSQP from 11 starts per question (the route before)",
                 "theirs": before, "ratio": before / mine, "ratio_meaning": "theirs/ours (speed-up)",
                 "target": f"< {AGREE_TARGET:g} s", "met": (mine < AGREE_TARGET) and not wrong,
                 "wrong": wrong})
    folder = Path(tempfile.mkdtemp(prefix="bench_tables_"))
    try:
        run_child(["-m", "negotiation", "tables", "--out", str(folder / "warm")])
        cpus, walls, cpus_1, walls_1, wrong = [], [], [], [], []
        for k in range(table_repeats):
            cpu, wall, out, code = run_child(["-m", "negotiation", "tables", "--out", str(folder / f"jobs{k}")])
            cpus.append(cpu)
            walls.append(wall)
            cpu, wall, out_1, code_1 = run_child(["-m", "negotiation", "tables", "--jobs", "1", "--out",
                                                  str(folder / f"serial{k}")])
            cpus_1.append(cpu)
            walls_1.append(wall)
            if code or code_1:
                wrong.append(f"exit {code}/{code_1}")
                continue
            difference = same_folders(folder / f"jobs{k}", folder / f"serial{k}")
            if out.replace(f"jobs{k}", "X") != out_1.replace(f"serial{k}", "X"):
                difference = difference or "the tables printed differ"
            if difference:
                wrong.append(difference)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for measure, mine, serial in (("CPU of the CLI child and its workers", cpus, cpus_1), ("wall", walls, walls_1)):
        mine, serial = statistics.median(mine), statistics.median(serial)
        rows.append({"goal": 5, "case": f"negotiation tables ({measure})", "ours": mine,
                     "contender": "negotiation tables --jobs 1 (one model after the other)", "theirs": serial,
                     "ratio": mine / TABLES_TARGET, "ratio_meaning": "ours/target", "target": f"< {TABLES_TARGET:g} s",
                     "met": (mine < TABLES_TARGET) and not wrong, "wrong": wrong})
    return rows


def goal_lines(rows) -> list[str]:
    table = [[r["case"], f"{r['ours']:.2f} s", r["contender"], f"{r['theirs']:.2f} s", f"{r['ratio']:.2f}",
              r["ratio_meaning"], r["target"], "yes" if r["met"] else "no",
              "; ".join(r["wrong"]) or "none"] for r in rows]
    return ["## Issue 14, goal 5: `agree buffer_zone` under 1 s, `negotiation tables` under 10 s", "",
            bc.markdown_table(["case", "ours", "contender", "theirs", "ratio", "ratio is", "target", "met",
                               "wrong answers"], table), ""]


# ---------------------------------------------------------------------- problems
def discrete_problem(rng, sizes=SIZES, *, exact=True, interactions=False):
    issues = [Issue.discrete(f"issue{k + 1}", [f"option {j + 1}" for j in range(n)]) for k, n in enumerate(sizes)]
    scores = {}
    for party in PARTIES:
        table = {}
        for issue, n in zip(issues, sizes):
            raw = rng.integers(0, 100, size=n)
            table[issue.name] = {o: (Fraction(int(v), 10) if exact else float(v) / 10 + 1e-3)
                                 for o, v in zip(issue.options, raw)}
        scores[party] = table
    utilities = {"NATO": "0", "Russia": "0"}
    if interactions:
        # non-additive: each party's value of issue 1 depends on issue 2 (option numbers as values)
        utilities = {"NATO": "issue1*issue2/10", "Russia": "(9 - issue1)*(9 - issue2)/10"}
    # the no-deal point: each party's median total score, so that a good share of packages is in the zone
    medians = []
    for party in PARTIES:
        totals = sum(np.array([float(v) for v in scores[party][i.name].values()]).reshape(
            [-1 if j == k else 1 for j in range(len(issues))]) for k, i in enumerate(issues))
        medians.append(Fraction(float(np.quantile(totals, 0.3))).limit_denominator(10))
    return BargainingProblem.from_issues(issues, utilities, scores=scores, disagreement=tuple(medians))


def continuous_problem(rng, k=5, options=0):
    issues = [Issue.continuous(f"x{j + 1}", 0, 100) for j in range(k)]
    weights = rng.integers(1, 20, size=(2, k))
    nato = " + ".join(f"{w}*x{j + 1}/100" for j, w in enumerate(weights[0]))
    russia = " + ".join(f"{w}*(100 - x{j + 1})/100" for j, w in enumerate(weights[1]))
    scores = None
    if options:
        issues.append(Issue.discrete("package", [f"variant {j + 1}" for j in range(options)]))
        scores = {p: {"package": {o: int(v) for o, v in zip(issues[-1].options, rng.integers(0, 10, options))}}
                  for p in PARTIES}
    d = (Fraction(int(weights[0].sum()), 3), Fraction(int(weights[1].sum()), 3))
    return BargainingProblem.from_issues(issues, {"NATO": nato, "Russia": russia}, scores=scores, disagreement=d)


# ---------------------------------------------------------------------- timing
def best_of(repeats, function):
    times = []
    value = None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return min(times), value


def brute_force_nash(problem):
    """Exact Nash package by a plain loop over every package (reference and check)."""
    space = problem.agreements
    issues = space.issues
    d = problem.disagreement
    best = None
    import itertools

    for combo in itertools.product(*(i.options for i in issues)):
        u = [sum(scores[i.name][o] for i, o in zip(issues, combo)) for scores in space.scores]
        g = [x - y for x, y in zip(u, d)]
        if all(x > 0 for x in g):
            product = g[0] * g[1]
            if best is None or product > best[0]:
                best = (product, combo)
    return best


def run_shape(label, make, args, rng, *, detail=False, reference=False):
    rows = {"agreement_set": [], "nash": [], "kalai_smorodinsky": [], "egalitarian": [], "utilitarian": [],
            "bargain": [], "brute": []}
    facts = []
    for _ in range(args.problems):
        problem = make(rng)
        t, zone = best_of(args.repeats, lambda: agreement_set(problem))
        rows["agreement_set"].append(t)
        if detail:
            for name, function in (("nash", nash), ("kalai_smorodinsky", kalai_smorodinsky),
                                   ("egalitarian", egalitarian), ("utilitarian", utilitarian)):
                t, _ = best_of(args.repeats, lambda function=function: function(problem, zone=zone))
                rows[name].append(t)
        t, result = best_of(args.repeats, lambda: bargain(problem))
        rows["bargain"].append(t)
        facts.append((result.exact, len(result.zone.frontier), result.zone.issue_share, not result.zone.empty))
        if reference:
            start = time.perf_counter()
            best = brute_force_nash(problem)
            rows["brute"].append(time.perf_counter() - start)
            terms = result["nash"].agreement.terms
            assert tuple(terms[i.name] for i in problem.agreements.issues) == best[1], "Nash package differs"
    return label, rows, facts


def main(argv=None):
    args = parse_args(argv)
    bc.log("issue 14, goal 5: agree buffer_zone and negotiation tables (child processes)")
    goals = goal_lines(goal_rows(quick=args.quick))
    if args.goals_only:
        text = "\n".join(["# Bargaining: issue 14, goal 5", "", *bc.environment_lines(),
                          f"- Command: `python benchmarks/bench_bargaining.py --goals-only{' --quick' if args.quick else ''}`",
                          "", *goals])
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
        print(text)
        return
    rng = np.random.default_rng(args.seed)
    bc.log("5 issues x 2 parties x 10^4 packages (exact)")
    shapes = [run_shape("5 discrete issues (10·10·10·5·2 = 10^4 packages), additive exact scores",
                        discrete_problem, args, rng, detail=True, reference=True)]
    bc.log("other shapes")
    shapes.append(run_shape("same, pairwise interaction terms (non-additive, exact)",
                            lambda r: discrete_problem(r, interactions=True), args, rng))
    shapes.append(run_shape("same, float scores", lambda r: discrete_problem(r, exact=False), args, rng))
    fewer = argparse.Namespace(**{**vars(args), "problems": max(1, args.problems // 3)})
    shapes.append(run_shape("5 discrete issues, 10^5 packages (10·10·10·10·10), exact",
                            lambda r: discrete_problem(r, (10, 10, 10, 10, 10)), fewer, rng))
    shapes.append(run_shape("5 continuous issues, linear utilities (exact zonotope)",
                            lambda r: continuous_problem(r, 5), args, rng))
    shapes.append(run_shape("4 continuous issues × 1 discrete issue with 10 options (union of 10 polygons)",
                            lambda r: continuous_problem(r, 4, options=10), args, rng))

    lines = ["# Bargaining: 5 issues × 2 parties × 10^4 packages", ""]
    lines += bc.environment_lines()
    lines += [f"- Seed: {args.seed}; problems per shape: {args.problems}; best of {args.repeats} timings per "
              "problem, median over problems",
              f"- Command: `python benchmarks/bench_bargaining.py --problems {args.problems} --repeats {args.repeats} "
              f"--seed {args.seed} --out {args.out}{' --quick' if args.quick else ''}`", ""]
    lines += goals
    label, rows, facts = shapes[0]
    lines += [f"## {label}", "",
              "Scores are random integers 0–99 divided by 10 for each option and party (exact rationals); the "
              "no-deal point is each party's 30 % quantile of total scores. Every answer below is exact.", ""]
    table = []
    for key, title in (("agreement_set", "zone + frontier + size (`agreement_set`)"), ("nash", "Nash"),
                       ("kalai_smorodinsky", "Kalai–Smorodinsky"), ("egalitarian", "egalitarian"),
                       ("utilitarian", "utilitarian"), ("bargain", "everything (`bargain`)"),
                       ("brute", "reference: exact brute-force Nash, pure-Python loop")):
        values = rows[key]
        table.append([title, bc.fmt_time(statistics.median(values)), bc.fmt_time(max(values))])
    lines.append(bc.markdown_table(["step", "median per problem", "slowest problem"], table))
    exact = all(f[0] for f in facts)
    lines += ["", f"All results exact: {exact}; frontier sizes {min(f[1] for f in facts)}–{max(f[1] for f in facts)} "
              f"efficient packages; share of packages in the zone "
              f"{min(float(f[2]) for f in facts):.2f}–{max(float(f[2]) for f in facts):.2f}. "
              "The brute-force loop found the same Nash package on every problem.", ""]
    lines += ["## Other shapes", "", "Time of `bargain(problem)` (zone, frontier and all four solutions).", ""]
    table = []
    for label, rows, facts in shapes:
        values = rows["bargain"]
        table.append([label, bc.fmt_time(statistics.median(values)), bc.fmt_time(max(values)),
                      "yes" if all(f[0] for f in facts) else "no"])
    lines.append(bc.markdown_table(["problem", "median", "slowest", "exact"], table))
    lines.append("")
    text = "\n".join(lines)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
