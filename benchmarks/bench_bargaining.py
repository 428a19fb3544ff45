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

This is a benchmark script, not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
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
    return p.parse_args(argv)


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
              f"--seed {args.seed} --out {args.out}`", ""]
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
