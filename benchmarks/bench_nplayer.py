#!/usr/bin/env python
"""All equilibria of random 3- and 4-player games: ours (exact polynomial support enumeration) vs Gambit's enumpoly.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_nplayer.py --out benchmarks/results/nplayer.md

Games have integer payoffs 0–99 drawn with ``numpy.random.default_rng(seed)``. Timed as CPU time
(``time.process_time``) around the solve only (game construction excluded), one call per game
after one warm-up call per solver, ours and Gambit alternating game by game in this process:

* ours: ``support_enumeration_polynomial(game)`` — exact (FLINT Gröbner bases and exact
  multiplication matrices, sympy as fallback; exact sign certification of irrational equilibria);
* Gambit: ``pygambit.nash.enumpoly_solve(g, use_strategic=True)`` — floating point.

Agreement: an equilibrium of one list matches one of the other within 1e-6 (max norm).
"Gambit missed" counts our equilibria with no match in Gambit's list (every one of ours is
verified: exactly when rational, by exact sign evaluation in its number field when irrational);
"ours missed" counts Gambit's equilibria with no match in ours.

This is a benchmark script, not a test: nothing here is collected by pytest.
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
from negotiation.solvers.polynomial import support_enumeration_polynomial  # noqa: E402

SHAPES = {(2, 2, 2): 20, (2, 2, 3): 10, (2, 3, 3): 10, (3, 3, 3): 5, (2, 2, 2, 2): 10}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=1.0, help="multiply the number of games per shape (default 1)")
    p.add_argument("--seed", type=int, default=0, help="seed for numpy default_rng (default 0)")
    p.add_argument("--out", default=str(bc.BENCH_DIR / "results" / "nplayer.md"), help="Markdown output file")
    return p.parse_args(argv)


def ours(game):
    start = time.process_time()
    result = support_enumeration_polynomial(game, max_work=10**6)  # 3×3×3 (343 support profiles) included
    elapsed = time.process_time() - start
    points = [np.array([float(v) for vector in e.profile.probabilities for v in vector]) for e in result]
    return elapsed, points, result


def gambit(arrays):
    import pygambit as gbt

    g = gbt.Game.from_arrays(*[np.array(a.tolist(), dtype=object) for a in arrays])
    start = time.process_time()
    solved = gbt.nash.enumpoly_solve(g, use_strategic=True)
    elapsed = time.process_time() - start
    points = [np.array([float(eq[s]) for p in g.players for s in p.strategies]) for eq in solved.equilibria]
    return elapsed, points


#: ``goal_rows``: games per shape (quick, full); seeds fixed so every run times the same games.
GOAL_SHAPES = {(2, 2, 2): (12, 40), (2, 2, 2, 2): (6, 20), (3, 3, 3): (4, 12)}


def goal_rows(quick: bool = True, seed: int = 2026) -> list[dict]:
    """Issue 14, goal 2: ours vs Gambit's enumpoly on random 2×2×2, 2×2×2×2 and 3×3×3 games, and auto's
    completeness on each shape.

    Per shape: ``ours`` and ``theirs`` are the mean CPU seconds per game (``time.process_time``, the two
    solvers alternating game by game after a warm-up call each); ``ratio`` = theirs / ours (> 1: ours is
    faster). Every answer is checked: each Gambit equilibrium must be one of ours (within 1e-6), and ours
    must be complete; otherwise the row is ``met=False`` whatever the times. Then one row per shape says
    whether ``ng.solve(game)`` (``method="auto"``) ran the complete exact method on every game.
    """
    has_gambit = bc.make_solvers()["gambit_float"].check()
    rng = np.random.default_rng(seed)
    warm = [rng.integers(0, 100, size=(2, 2, 2)) for _ in range(3)]
    ours(ng.Game.from_arrays(*warm))
    if has_gambit:
        gambit(warm)
    rows, auto_rows = [], []
    for shape, (quick_count, full_count) in GOAL_SHAPES.items():
        count = quick_count if quick else full_count
        size = "×".join(map(str, shape))
        t_ours, t_theirs, wrong, auto_complete, t_auto, degenerate = [], [], 0, 0, [], 0
        for _ in range(count):
            arrays = [rng.integers(0, 100, size=shape) for _ in shape]
            game = ng.Game.from_arrays(*arrays)
            elapsed, points, result = ours(game)
            t_ours.append(elapsed)
            wrong += not searched_everything(result)
            degenerate += bool(result.degenerate)
            if has_gambit:
                elapsed, theirs = gambit(arrays)
                t_theirs.append(elapsed)
                wrong += any(not on_component(point, game, result) for point in missed(theirs, points))
            start = time.process_time()
            auto = ng.solve(game)
            t_auto.append(time.process_time() - start)
            auto_complete += auto.method == "support_enumeration_polynomial" and searched_everything(auto) and \
                len(auto) == len(result)
        mean_ours = sum(t_ours) / count
        mean_theirs = sum(t_theirs) / count if t_theirs else None
        ratio = mean_theirs / mean_ours if mean_theirs else None
        rows.append({
            "goal": 2, "case": f"{size} random ({count} games)", "ours": mean_ours,
            "contender": "Gambit enumpoly_solve", "theirs": mean_theirs, "ratio": ratio,
            "ratio_meaning": "theirs/ours (>1: ours faster)", "target": "ratio > 1, every equilibrium, exact",
            "met": None if ratio is None else bool(ratio > 1 and wrong == 0), "wrong_answers": wrong,
            "games_with_non_isolated_components": degenerate,
        })
        auto_rows.append({
            "goal": 2, "case": f"auto on {size}: complete on {auto_complete}/{count}",
            "ours": sum(t_auto) / count, "contender": "—", "theirs": None, "ratio": None,
            "ratio_meaning": "none (a completeness check)", "target": "auto runs the complete method",
            "met": auto_complete == count,
        })
    return rows + auto_rows


def searched_everything(result) -> bool:
    """Every support profile examined and every system solved: complete, or incomplete only because a
    support carries a continuum (a non-isolated component of a degenerate game, reported as such)."""
    return result.complete or (result.degenerate is True and all(
        m.startswith("non-isolated component") or "irrational" in m or m.startswith("float payoffs")
        for m in result.messages))


def missed(theirs, ours_points):
    return [p for p in theirs if not any(np.max(np.abs(p - q)) <= bc.FLOAT_TOL for q in ours_points)]


def on_component(point, game, result) -> bool:
    """Whether a float profile has the support of one of the result's non-isolated components."""
    flat = iter(point)
    support = {player: [label for label in labels if next(flat) > 1e-9]
               for player, labels in zip(game.players, game.strategies)}
    return support in result.details.get("non_isolated_supports", [])


def unmatched(points, others):
    return sum(1 for p in points if not any(np.max(np.abs(p - q)) <= bc.FLOAT_TOL for q in others))


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)
    has_gambit = bc.make_solvers()["gambit_float"].check()
    warm = [rng.integers(0, 100, size=(2, 2, 2)) for _ in range(3)]
    ours(ng.Game.from_arrays(*warm))
    if has_gambit:
        gambit(warm)
    rows = []
    for shape, count in SHAPES.items():
        count = max(1, round(count * args.scale))
        bc.log(f"{'x'.join(map(str, shape))}: {count} games")
        t_ours, t_gambit, stats = [], [], dict(ours=0, gambit=0, gambit_missed=0, ours_missed=0,
                                               irrational=0, exact=0, complete=0, solved=0, profiles=0)
        for _ in range(count):
            arrays = [rng.integers(0, 100, size=shape) for _ in shape]
            elapsed, points, result = ours(ng.Game.from_arrays(*arrays))
            t_ours.append(elapsed)
            stats["ours"] += len(points)
            stats["irrational"] += len(result.details.get("closed_forms", []))
            stats["exact"] += result.exact
            stats["complete"] += searched_everything(result)
            stats["solved"] += result.details["systems_solved"]
            stats["profiles"] += result.details["support_profiles"]
            if has_gambit:
                elapsed, theirs = gambit(arrays)
                t_gambit.append(elapsed)
                stats["gambit"] += len(theirs)
                stats["gambit_missed"] += unmatched(points, theirs)
                stats["ours_missed"] += unmatched(theirs, points)
        m_ours = statistics.median(t_ours)
        m_gambit = statistics.median(t_gambit) if t_gambit else None
        rows.append([
            "×".join(map(str, shape)), count, bc.fmt_time(m_ours), bc.fmt_time(max(t_ours)),
            bc.fmt_time(m_gambit), bc.fmt_ratio(m_gambit / m_ours) if m_gambit else "—",
            f"{stats['ours']} / {stats['gambit'] if has_gambit else 'n/a'}",
            stats["irrational"], stats["gambit_missed"] if has_gambit else "n/a",
            stats["ours_missed"] if has_gambit else "n/a", f"{stats['complete']}/{count}",
            f"{stats['solved'] / count:.1f} of {stats['profiles'] // count}",
        ])
    lines = ["# All equilibria of n-player games: polynomial support enumeration", ""]
    lines += bc.environment_lines()
    lines += [f"- Seed: {args.seed}; scale {args.scale:g}; payoffs random integers 0–99; one timed call per game "
              "after a warm-up call",
              f"- Command: `python benchmarks/bench_nplayer.py --scale {args.scale:g} --seed {args.seed} "
              f"--out {args.out}`", ""]
    if not has_gambit:
        lines += ["pygambit is not installed: Gambit columns show —.", ""]
    lines.append(bc.markdown_table(
        ["game", "games", "ours median", "ours slowest", "Gambit enumpoly median", "ratio Gambit/ours",
         "equilibria ours / Gambit", "irrational (ours)", "Gambit missed", "ours missed",
         "ours complete (or a non-isolated component reported)",
         "systems solved per game (of support profiles)"], rows))
    lines += ["", ("Ours is exact and certified (rational equilibria as fractions, irrational ones with closed "
                   "forms and exactly decided signs); Gambit's enumpoly is floating point and, per the 'Gambit "
                   "missed' column, can miss equilibria (gambitproject/gambit#474). Ratios above 1 mean ours is "
                   "faster. 'ours missed' counts Gambit equilibria absent from ours (points of a reported "
                   "non-isolated component included)."), ""]
    lines += ["## Issue 14, goal 2 (`goal_rows(quick=True)`: CPU time per game, ours and Gambit alternating)", ""]
    goal = goal_rows(quick=True)
    lines.append(bc.markdown_table(
        ["case", "ours", "contender", "theirs", "ratio (theirs/ours)", "wrong answers", "target", "met"],
        [[r["case"], bc.fmt_time(r["ours"]), r["contender"], bc.fmt_time(r["theirs"]),
          bc.fmt_ratio(r["ratio"]) if r["ratio"] else "—", r.get("wrong_answers", "—"), r["target"], r["met"]]
         for r in goal]))
    lines.append("")
    text = "\n".join(lines)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
