#!/usr/bin/env python
"""End-to-end parameter sweeps: µs per point, peak memory, and per-game loops of other libraries.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_sweep.py --out benchmarks/results/sweep.md

Measured, each configuration in a fresh process (so that peak memory is its own):

1. the security dilemma on a 1000 × 1000 grid over (omega, phi) — 10⁶ points —
   end to end: payoff evaluation, every equilibrium at every point (batch
   solver, exact fallback at degenerate points), classic-game label, table
   written as CSV and as Parquet (if pyarrow is installed), with 1 and 2
   worker processes;
2. the stages of one 65,536-point chunk of it (payoffs, equilibria,
   classification, table rows, CSV encoding), single process;
3. a parametric 3 × 3 arms-race game (defined below) on a 10⁵-point grid;
4. the equilibrium map (PNG) and the region summary of the 10⁶-point sweep;
5. a loop of QuantEcon (support enumeration), Gambit (enummixed, float) and
   nashpy (support enumeration) over 2,000 points of the same grid, one game
   per call; the ratio is their time per point over ours.

Peak memory is the maximum resident set size of the process and of its
worker processes (``resource.getrusage``).  This is a benchmark script, not a
test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

#: The parameters and derived quantity both benchmark arms races share.
ARMS_RACE_PARAMETERS = '''[parameters.omega]
default = "1/2"
range = [0, 1]
description = "offence dominance"
source = "benchmark"
confidence = "assumption"

[parameters.phi]
default = "1/4"
range = [0, 1]
description = "distinguishability of postures"
source = "benchmark"
confidence = "assumption"

[parameters.c]
default = 1
range = [0, 5]
description = "cost of full deployment"
source = "benchmark"
confidence = "assumption"

[derived]
S = "-omega*10*(1 - phi)"
'''

ARMS_RACE_3X3 = '''schema = "negotiation.scenario/1"
id = "arms_race_3x3"
title = "Arms race with a hedging option (benchmark)"
kind = "normal-form"
description = "Restrain, hedge (latent capability) or deploy; symmetric 3x3 written for the sweep benchmark."

[players]
A = ["Restrain", "Hedge", "Deploy"]
B = ["Restrain", "Hedge", "Deploy"]

''' + ARMS_RACE_PARAMETERS + '''
[payoffs]
"Restrain, Restrain" = ["0", "0"]
"Restrain, Hedge" = ["-2*omega*(1 - phi)", "3*omega - c/2"]
"Restrain, Deploy" = ["S", "4*omega - c"]
"Hedge, Restrain" = ["3*omega - c/2", "-2*omega*(1 - phi)"]
"Hedge, Hedge" = ["omega - c/2", "omega - c/2"]
"Hedge, Deploy" = ["S/2 - c/2", "2*omega - c"]
"Deploy, Restrain" = ["4*omega - c", "S"]
"Deploy, Hedge" = ["2*omega - c", "S/2 - c/2"]
"Deploy, Deploy" = ["-c - 2*omega", "-c - 2*omega"]
'''


# ---------------------------------------------------------------------- child processes
def _peak_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _size(path) -> int:
    path = Path(path)
    return sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size


def child_sweep(config: dict) -> dict:
    import negotiation as ng
    from negotiation.sweeps import sweep

    scenario = ng.load(config["scenario"])
    started = time.perf_counter()
    result = sweep(scenario, grid=config["grid"], out=config["out"], workers=config.get("workers"),
                   progress=False)
    elapsed = time.perf_counter() - started
    own, children = _peak_mib()
    data = {"seconds": elapsed, "points": result.n_points, "rows": result.n_rows,
            "bytes": _size(config["out"]), "peak_mib": own, "children_peak_mib": children,
            "outcomes": len(result.outcome_labels)}
    if config.get("map"):
        from negotiation.report.maps import equilibrium_map, save_figure

        started = time.perf_counter()
        figure = equilibrium_map(result, "omega", "phi", by="classification",
                                 boundaries=[("T = R", "T - R"), ("P = S", "P - S")])
        save_figure(figure, config["map"])
        data["map_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        summary = result.summary_table(by="classification")
        summary.write(config["summary"])
        data["summary_seconds"] = time.perf_counter() - started
        data["regions"] = len(summary)
        data["peak_mib"] = _peak_mib()[0]
    return data


def child_stages(config: dict) -> dict:
    """CPU time of each stage of ``CompiledGame.run`` on 65,536-point chunks of the 2×2 sweep."""
    import numpy as np

    import negotiation as ng
    from negotiation.sweeps.arrow_csv import encode_csv
    from negotiation.sweeps.plan import make_plan
    from negotiation.sweeps.planes import classify_planes, solve_planes
    from negotiation.sweeps.rows import ChunkRows
    from negotiation.sweeps.runner import compiled as compile_plan

    scenario = ng.load("security_dilemma")
    totals: dict = {}
    points = 0
    for output in ("csv", "parquet"):
        plan = make_plan(scenario, config["grid"], None, 0, None, f"unused.{output}", None, 65536, None)
        compiled = compile_plan(plan)
        compiled.run(0)  # warm up (imports, lambdify)
        chunks = list(range(1, min(9, plan.n_chunks))) or [0]
        for chunk in chunks:
            start, stop = plan.bounds(chunk)
            clock = time.process_time
            marks = [clock()]
            n, floats, cells = compiled.values(start, stop)
            compiled.check_assumptions(n, floats, cells)
            planes = compiled.payoff_planes(n, floats)
            marks.append(clock())
            with np.errstate(all="ignore"):
                solved = solve_planes([planes[(i, j, p)] for p in (0, 1) for i in (0, 1) for j in (0, 1)])
                marks.append(clock())
                codes = classify_planes(*(planes[(i, j, 0)] for i, j in ((0, 0), (0, 1), (1, 0), (1, 1))))
            marks.append(clock())
            rows = ChunkRows(compiled)  # as in CompiledGame._solve_planes
            rows.add_planes(solved)
            class_codes = codes.astype(np.int32)
            compiled._solve_flagged(rows, solved.degenerate, cells, class_codes, list(compiled.batch.CLASS_NAMES))
            marks.append(clock())
            if output == "csv":  # the CSV path of CompiledGame.run: rows merged, text assembled with Arrow kernels
                encode_csv(rows, n, start, cells, class_codes, list(compiled.batch.CLASS_NAMES))
            else:
                table, _, _ = rows.build(n, start, cells, class_codes, list(compiled.batch.CLASS_NAMES))
                table.encode("parquet")
            marks.append(clock())
            names = ["payoff evaluation (lambdify, shared planes)", "all equilibria (2×2 kernel on the planes)",
                     "classic-game label", "rows of the chunk + exact fallback at degenerate points",
                     f"table as {'CSV text (columns, labels, encoding)' if output == 'csv' else 'Parquet (columns, Arrow, encoding)'}"]
            for name, a, b in zip(names, marks, marks[1:]):
                if output == "parquet" or not name.startswith(("payoff", "all", "classic", "rows")):
                    totals[name] = totals.get(name, 0.0) + (b - a)
            points += n if output == "parquet" else 0
    return {"points": points, "stages": {k: v / points * 1e6 for k, v in totals.items()}}


def child_reference(config: dict) -> dict:
    """Per-game loops of other libraries on a subsample of the grid; solve calls only are timed."""
    import warnings

    import _bench_common as bc
    import numpy as np

    import negotiation as ng
    from negotiation.sweeps import Grid
    from negotiation.sweeps.plan import make_plan
    from negotiation.sweeps.runner import compiled as compile_plan

    scenario = ng.load("security_dilemma")
    grid = Grid(config["grid"])
    plan = make_plan(scenario, config["grid"], None, 0, None, None, None, 65536, None)
    compiled = compile_plan(plan)
    n_total = len(grid)
    step = n_total // config["subsample"]
    indices = np.arange(0, n_total, step)[: config["subsample"]]
    games = []
    for index in indices.tolist():
        n, floats, cells = compiled.values(index, index + 1)
        payoffs = compiled.payoffs(1, floats)[0]
        games.append((np.ascontiguousarray(payoffs[..., 0]), np.ascontiguousarray(payoffs[..., 1]), index, cells))
    out = {}
    solvers = bc.make_solvers()
    for key in ("qe_se", "gambit_float", "nashpy_se"):
        solver = solvers[key]
        if not solver.check():
            out[key] = {"label": solver.label, "missing": solver.missing_reason}
            continue
        solver.solve(solver.prepare(games[0][0], games[0][1]))  # warm up (QuantEcon's numba JIT for float64)
        total = 0.0
        counts = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for A, B, _, _ in games:
                game = solver.prepare(A, B)
                started = time.perf_counter()
                raw = solver.solve(game)
                total += time.perf_counter() - started
                counts.append(len(solver.extract(raw)))
        out[key] = {"label": solver.label, "us_per_point": total / len(games) * 1e6, "counts": counts}
    # ours, one exact solve per point (the per-point path of the sweep)
    total = 0.0
    counts = []
    for A, B, index, cells in games:
        values = compiled.exact_point(0, cells)
        started = time.perf_counter()
        result = scenario.solve(values)
        total += time.perf_counter() - started
        counts.append(len(result))
    out["ours_exact"] = {"label": "ours, exact, point by point (scenario.solve)",
                         "us_per_point": total / len(games) * 1e6, "counts": counts}
    return out


# ====================================================================== issue 14, goal 4: ratios against contenders
ARMS_RACE_4X4 = '''schema = "negotiation.scenario/1"
id = "arms_race_4x4"
title = "Arms race with hedging and surge options (benchmark)"
kind = "normal-form"
description = "Restrain, hedge, deploy or surge; symmetric 4x4 written for the sweep benchmark."

[players]
A = ["Restrain", "Hedge", "Deploy", "Surge"]
B = ["Restrain", "Hedge", "Deploy", "Surge"]

''' + ARMS_RACE_PARAMETERS + '''
[payoffs]
"Restrain, Restrain" = ["0", "0"]
"Restrain, Hedge" = ["-2*omega*(1 - phi)", "3*omega - c/2"]
"Restrain, Deploy" = ["S", "4*omega - c"]
"Restrain, Surge" = ["S - 1", "5*omega - 2*c"]
"Hedge, Restrain" = ["3*omega - c/2", "-2*omega*(1 - phi)"]
"Hedge, Hedge" = ["omega - c/2", "omega - c/2"]
"Hedge, Deploy" = ["S/2 - c/2", "2*omega - c"]
"Hedge, Surge" = ["S/2 - c", "3*omega - 2*c"]
"Deploy, Restrain" = ["4*omega - c", "S"]
"Deploy, Hedge" = ["2*omega - c", "S/2 - c/2"]
"Deploy, Deploy" = ["-c - 2*omega", "-c - 2*omega"]
"Deploy, Surge" = ["-c - 3*omega", "omega - 2*c"]
"Surge, Restrain" = ["5*omega - 2*c", "S - 1"]
"Surge, Hedge" = ["3*omega - 2*c", "S/2 - c"]
"Surge, Deploy" = ["omega - 2*c", "-c - 3*omega"]
"Surge, Surge" = ["-2*c - 3*omega", "-2*c - 3*omega"]
'''

#: Targets of issue 14, goal 4.
SOLVE_TARGET_NS = 50.0
END_TO_END_TARGET_US = 0.3
DEGENERATE_TARGET = 10.0


def _same_equilibria(found, expected, tolerance=1e-9) -> bool:
    """Two lists of ``(x, y)`` float profiles hold the same equilibria (same count, each within ``tolerance``)."""
    import numpy as np

    if len(found) != len(expected):
        return False
    left = list(expected)
    for x, y in found:
        match = next((k for k, (a, b) in enumerate(left)
                      if np.allclose(x, a, atol=tolerance, rtol=0) and np.allclose(y, b, atol=tolerance, rtol=0)), None)
        if match is None:
            return False
        left.pop(match)
    return True


def _exact_profiles(scenario, point) -> list:
    """The equilibria of ``scenario`` at exact ``point`` from the project's exact solver (``scenario.solve``)."""
    result = scenario.solve(point)
    return [tuple([float(p) for p in vector] for vector in eq.profile.probabilities) for eq in result.equilibria]


def child_goal_solve(config: dict) -> dict:
    """Goal 4a: 2×2 solving (payoff planes + every equilibrium), ours against QuantEcon's per-game loop and a
    compiled (numba) kernel, alternating round by round; every answer checked."""
    import warnings

    import _bench_common as bc
    import numpy as np

    import negotiation as ng
    from negotiation.solvers.batch import batch_equilibria
    from negotiation.sweeps.plan import make_plan
    from negotiation.sweeps.planes import solve_planes
    from negotiation.sweeps.runner import compiled as compile_plan

    scenario = ng.load("security_dilemma")
    n = config["size"]
    plan = make_plan(scenario, [f"omega=0:1:{n}", f"phi=0:1:{n}"], None, 0, None, None, None, 65536, None)
    compiled = compile_plan(plan)
    chunks = [compiled.values(*plan.bounds(k)) for k in range(plan.n_chunks)]

    def ours(workspace):
        """As a sweep into a file solves its chunks: work arrays kept from chunk to chunk (``workspace``)."""
        results = []
        started = time.process_time()
        for size, floats, _ in chunks:
            planes = compiled.payoff_planes(size, floats)
            results.append(solve_planes([planes[(i, j, p)] for p in (0, 1) for i in (0, 1) for j in (0, 1)],
                                        workspace=workspace))
        return time.process_time() - started, results

    # the answers: bit for bit the batch solver's rows, and a sample against the exact solver
    _, results = ours(None)  # fresh arrays: every chunk's rows kept for the checks
    wrong = 0
    for (size, floats, cells), solved in zip(chunks, results):
        payoffs = compiled.payoffs(size, floats)
        reference = batch_equilibria(payoffs[..., 0], payoffs[..., 1])
        same = (np.array_equal(reference.point, solved.point) and np.array_equal(reference.row[:, 0], solved.x0)
                and np.array_equal(reference.column[:, 0], solved.y0)
                and np.array_equal(reference.payoffs[:, 0], solved.u1)
                and np.array_equal(reference.payoffs[:, 1], solved.u2)
                and np.array_equal(reference.degenerate, solved.degenerate))
        wrong += 0 if same else size
    size, floats, cells = chunks[len(chunks) // 2]
    solved = results[len(chunks) // 2]
    rng = np.random.default_rng(0)
    sample = rng.choice(np.flatnonzero(~solved.degenerate), size=config["exact_sample"], replace=False)
    for j in sample.tolist():
        at = solved.point == j
        found = [([x, 1 - x], [y, 1 - y]) for x, y in zip(solved.x0[at], solved.y0[at])]
        wrong += not _same_equilibria(found, _exact_profiles(scenario, compiled.exact_point(j, cells)))
    flagged = sum(int(r.degenerate.sum()) for r in results)

    # contenders on a subsample of the same games: QuantEcon's support enumeration, one call per game, and a
    # compiled kernel (numba, the same closed forms) over the whole grid
    payoffs = compiled.payoffs(size, floats)
    keep = np.flatnonzero(~solved.degenerate)[:: max(1, (~solved.degenerate).sum() // config["subsample"])]
    keep = keep[: config["subsample"]]
    solver = bc.make_solvers()["qe_se"]
    have_qe = solver.check()
    games = [solver.prepare(np.ascontiguousarray(payoffs[j, :, :, 0]), np.ascontiguousarray(payoffs[j, :, :, 1]))
             for j in keep.tolist()] if have_qe else []
    if have_qe:
        solver.solve(games[0])  # QuantEcon's numba JIT, excluded
    kernel = _numba_kernel()
    planes_all = [np.concatenate([compiled.payoff_planes(s, f)[(i, j, p)] for s, f, _ in chunks])
                  for p in (0, 1) for i in (0, 1) for j in (0, 1)]
    if kernel is not None:
        kernel(*[p[:16] for p in planes_all])  # JIT, excluded
    times = {"ours": [], "qe": [], "numba": []}
    qe_wrong = 0
    workspace: dict = {}
    for _ in range(config["rounds"]):
        seconds, _ = ours(workspace)
        times["ours"].append(seconds / plan.n_points)
        if have_qe:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                started = time.process_time()
                raw = [solver.solve(game) for game in games]
                times["qe"].append((time.process_time() - started) / len(games))
            qe_wrong = 0
            for j, answer in zip(keep.tolist(), raw):
                at = solved.point == j
                mine = [([x, 1 - x], [y, 1 - y]) for x, y in zip(solved.x0[at], solved.y0[at])]
                qe_wrong += not _same_equilibria([(list(x), list(y)) for x, y in solver.extract(answer)], mine, 1e-6)
        if kernel is not None:
            started = time.process_time()
            counts, _ = kernel(*planes_all)
            times["numba"].append((time.process_time() - started) / plan.n_points)
    numba_wrong = None
    if kernel is not None:
        numba_wrong = 0
        offset = 0
        for solved_chunk in results:  # the kernel's count per point against ours (regular points)
            size_chunk = solved_chunk.degenerate.size
            ours_counts = np.bincount(solved_chunk.point, minlength=size_chunk)
            theirs = counts[offset:offset + size_chunk]
            regular = ~solved_chunk.degenerate
            numba_wrong += int((ours_counts[regular] != theirs[regular]).sum())
            offset += size_chunk
    return {"points": plan.n_points, "flagged": flagged, "wrong": wrong, "times": times,
            "qe_wrong": qe_wrong if have_qe else None, "qe_games": len(games), "numba_wrong": numba_wrong,
            "have_qe": have_qe}


def _numba_kernel():
    """The contender "a compiled kernel": the 2×2 closed forms in one numba loop (counts and the first row's
    ``Pr(row 1)``), compiled here, never on the command line's path; ``None`` without numba."""
    try:
        import numba
        import numpy as np
    except ImportError:
        return None

    @numba.njit(cache=False, nogil=True)
    def kernel(A00, A01, A10, A11, B00, B01, B10, B11):
        n = A00.size
        counts = np.zeros(n, dtype=np.int64)
        first = np.empty(n)
        for k in range(n):
            a0, a1 = A00[k] - A10[k], A01[k] - A11[k]
            b0, b1 = B00[k] - B01[k], B10[k] - B11[k]
            pa0, pa1, pb0, pb1 = a0 > 0, a1 > 0, b0 > 0, b1 > 0
            flip = pa0 != pa1
            c = 0
            if pa1 != (pb0 and flip):
                c += 1
                first[k] = 1.0
            if flip and (pb0 != pb1):
                if c == 0:
                    first[k] = b1 / (b1 - b0)
                c += 1
            if pa1 == (pb1 and flip):
                if c == 0:
                    first[k] = 0.0
                c += 1
            counts[k] = c
        return counts, first

    return kernel


def child_goal_end_to_end(config: dict) -> dict:
    """Goal 4b: ``ng.sweep`` of the security dilemma to Parquet, CPU time of this process and its workers; the
    table read back and a sample of points checked against the exact solver."""
    import shutil

    import numpy as np
    import pandas

    import negotiation as ng
    from negotiation.sweeps import sweep

    scenario = ng.load("security_dilemma")
    n = config["size"]
    out = Path(config["out"])
    shutil.rmtree(out, ignore_errors=True)
    import pyarrow.parquet  # noqa: F401  (imported before the clock starts, as an application would have it)

    cpu = time.process_time()
    wall = time.perf_counter()
    result = sweep(scenario, grid=[f"omega=0:1:{n}", f"phi=0:1:{n}"], out=out, workers=config.get("workers"),
                   progress=False)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_children = children.ru_utime + children.ru_stime
    table = pandas.read_parquet(out)
    wrong = int(len(table) != result.n_rows)
    rng = np.random.default_rng(1)
    sample = rng.choice(result.n_points, size=config["exact_sample"], replace=False).tolist()
    sample += [0, n - 1, n * (n // 4)]  # omega = 0 (a degenerate edge) and the corners
    points = table["point"].to_numpy()
    starts = np.searchsorted(points, sample)
    stops = np.searchsorted(points, sample, side="right")
    strategies = [c for c in table.columns if c.startswith(("NATO: ", "Russia: "))]
    grid_axis = np.array([float(k) / (n - 1) for k in range(n)])
    from fractions import Fraction
    for point, lo, hi in zip(sample, starts, stops):
        values = {"omega": Fraction(point // n, n - 1), "phi": Fraction(point % n, n - 1)}
        rows = table.iloc[lo:hi]
        found = [(list(r[strategies[:2]]), list(r[strategies[2:]])) for _, r in rows.iterrows()]
        wrong += not _same_equilibria(found, _exact_profiles(scenario, values))
        wrong += not np.allclose(rows["omega"], grid_axis[point // n])
    shutil.rmtree(out, ignore_errors=True)
    return {"points": result.n_points, "rows": result.n_rows, "cpu": cpu + cpu_children, "wall": wall,
            "wrong": wrong, "checked": len(sample)}


def child_goal_degenerate(config: dict) -> dict:
    """Goal 4c: a 4×4 sweep's degenerate points (solved exactly, one by one, each distinct game once) against
    its regular points (batch solver), CPU time per point; regular answers sampled against the exact solver."""
    import numpy as np

    import negotiation as ng
    from negotiation.sweeps.plan import make_plan
    from negotiation.sweeps.runner import compiled as compile_plan

    scenario = ng.load(config["scenario"])
    n = config["size"]
    plan = make_plan(scenario, [f"omega=0:1:{n}", f"phi=0:1:{n}"], None, 0, None, None, None, 65536, None)
    compiled = compile_plan(plan)
    regular = degenerate = 0.0
    points = flagged_points = wrong = 0
    rng = np.random.default_rng(2)
    for chunk in range(plan.n_chunks):
        size, floats, cells = compiled.values(*plan.bounds(chunk))
        started = time.process_time()
        payoffs = compiled.payoffs(size, floats)
        result = compiled.batch.batch_equilibria(payoffs[..., 0], payoffs[..., 1])
        middle = time.process_time()
        flagged = np.flatnonzero(result.degenerate | (result.count == 0))
        for j in flagged.tolist():
            compiled.exact_solve(compiled.exact_point(j, cells))
        degenerate += time.process_time() - middle
        regular += middle - started
        points += size
        flagged_points += flagged.size
        good = np.flatnonzero(~(result.degenerate | (result.count == 0)))
        for j in rng.choice(good, size=min(config["exact_sample"], good.size), replace=False).tolist():
            found = [(list(x), list(y)) for x, y in result.at(j)]
            wrong += not _same_equilibria(found, _exact_profiles(scenario, compiled.exact_point(j, cells)))
    regular_points = points - flagged_points
    return {"points": points, "flagged": flagged_points, "regular": regular / points,
            "degenerate": degenerate / max(flagged_points, 1), "wrong": wrong,
            "distinct": len(compiled.exact._exact_results), "regular_points": regular_points}


def goal_rows(quick: bool = True) -> list[dict]:
    """Issue 14, goal 4, as rows for ``benchmarks/bench_speed_goals.py``: one dict per measured case.

    Keys: ``goal`` (4), ``case``, ``ours`` (seconds per point), ``contender``, ``theirs`` (seconds per point
    or ``None``), ``ratio`` and ``ratio_meaning``, ``target``, ``met``, ``wrong`` (answers that failed their
    check) and ``detail``. ``quick=True`` takes about a minute on an idle two-core machine.
    """
    import tempfile

    size = 1000
    work = Path(tempfile.mkdtemp(prefix="bench_goal4_"))
    solve = run_child("goal_solve", {"size": size, "rounds": 3 if quick else 7, "subsample": 1000 if quick else 2000,
                                     "exact_sample": 40 if quick else 200})
    ours = min(solve["times"]["ours"])
    wrong = solve["wrong"]
    rows = []
    detail = (f"{solve['points']:,} points of the security dilemma grid {size}×{size}, CPU time, best of "
              f"{len(solve['times']['ours'])} rounds; payoff planes + every equilibrium, work arrays kept from "
              f"chunk to chunk as a sweep into a file keeps them (the {solve['flagged']:,} "
              f"flagged points are solved exactly by the sweep, not counted here); answers: bit for bit the batch "
              f"solver's, a sample against the exact solver")
    if solve["have_qe"]:
        theirs = min(solve["times"]["qe"])
        rows.append({"goal": 4, "case": "2×2 solving per point", "ours": ours, "contender": "QuantEcon SE per-game loop",
                     "theirs": theirs, "ratio": theirs / ours, "ratio_meaning": "theirs/ours (> 1: ours faster)",
                     "target": f"≤ {SOLVE_TARGET_NS:g} ns/point", "met": ours * 1e9 <= SOLVE_TARGET_NS and wrong == 0,
                     "wrong": wrong, "detail": detail + f"; QuantEcon differs on {solve['qe_wrong']} of "
                                                        f"{solve['qe_games']} games"})
    if solve["times"]["numba"]:
        theirs = min(solve["times"]["numba"])
        rows.append({"goal": 4, "case": "2×2 solving per point", "ours": ours,
                     "contender": "compiled kernel (numba loop, counts only; not on the CLI path)",
                     "theirs": theirs, "ratio": theirs / ours, "ratio_meaning": "theirs/ours (> 1: ours faster)",
                     "target": f"≤ {SOLVE_TARGET_NS:g} ns/point", "met": ours * 1e9 <= SOLVE_TARGET_NS and wrong == 0,
                     "wrong": wrong, "detail": f"kernel count differs from ours at {solve['numba_wrong']} points"})
    for workers in (None, 2):
        runs = [run_child("goal_end_to_end", {"size": size, "out": str(work / "sd.parquet"), "workers": workers,
                                              "exact_sample": 20 if quick else 100})
                for _ in range(2 if quick else 3)]
        best = min(runs, key=lambda r: r["cpu"])
        measure = "cpu" if workers is None else "wall"
        per_point = min(r[measure] for r in runs) / best["points"]
        bad = sum(r["wrong"] for r in runs)
        rows.append({"goal": 4, "case": f"end to end to Parquet per point ({'CPU, 1 process' if workers is None else 'wall, 2 workers'})",
                     "ours": per_point, "contender": f"target {END_TO_END_TARGET_US:g} µs/point", "theirs": None,
                     "ratio": per_point * 1e6 / END_TO_END_TARGET_US, "ratio_meaning": "ours/target (≤ 1: met)",
                     "target": f"≤ {END_TO_END_TARGET_US:g} µs/point", "met": per_point * 1e6 <= END_TO_END_TARGET_US
                     and bad == 0, "wrong": bad,
                     "detail": f"ng.sweep(security_dilemma, {size}×{size} grid, Parquet) in a fresh process, "
                               f"{best['rows']:,} rows; CPU {min(r['cpu'] for r in runs) / best['points'] * 1e6:.3f} "
                               f"µs/point, wall {min(r['wall'] for r in runs) / best['points'] * 1e6:.3f} µs/point; "
                               f"{best['checked']} points read back and checked against the exact solver"})
    arms = work / "arms_race_4x4.toml"
    arms.write_text(ARMS_RACE_4X4, encoding="utf-8")
    degenerate = run_child("goal_degenerate", {"scenario": str(arms), "size": 120 if quick else 200,
                                               "exact_sample": 5 if quick else 20})
    ratio = degenerate["degenerate"] / degenerate["regular"]
    rows.append({"goal": 4, "case": "4×4 sweep: degenerate point cost ÷ regular point cost", "ours": degenerate["degenerate"],
                 "contender": "regular point (batch solver)", "theirs": degenerate["regular"], "ratio": ratio,
                 "ratio_meaning": "degenerate/regular per point (≤ 10: met)", "target": f"≤ {DEGENERATE_TARGET:g}×",
                 "met": ratio <= DEGENERATE_TARGET and degenerate["wrong"] == 0, "wrong": degenerate["wrong"],
                 "detail": f"{degenerate['points']:,} points, {degenerate['flagged']:,} flagged "
                           f"({degenerate['flagged'] / degenerate['points']:.1%}, {degenerate['distinct']} distinct "
                           f"exact games), CPU per point"})
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return rows


def _goal_table(rows) -> str:
    import _bench_common as bc

    def seconds(value):
        if value is None:
            return "—"
        return f"{value * 1e9:.1f} ns" if value < 1e-6 else (f"{value * 1e6:.3f} µs" if value < 1e-3 else f"{value * 1e3:.2f} ms")

    body = [[r["case"], seconds(r["ours"]), r["contender"], seconds(r["theirs"]), f"{r['ratio']:.3g}",
             r["ratio_meaning"], r["target"], {True: "met", False: "not met", None: "—"}[r["met"]], str(r["wrong"])]
            for r in rows]
    table = bc.markdown_table(["case", "ours", "contender", "theirs", "ratio", "ratio is", "target", "met",
                               "wrong answers"], body)
    return table + "\n\n" + "\n".join(f"- {r['case']} ({r['contender']}): {r['detail']}" for r in rows)


def run_child(kind: str, config: dict) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.run([sys.executable, __file__, "--child", kind, json.dumps(config)],
                             capture_output=True, text=True, env=environment, timeout=3600)
    if process.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{process.stderr[-3000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------- report
def _ratio(value: float) -> str:
    return f"{value:.2g}×" if value < 10 else f"{value:,.0f}×"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(BENCH / "results" / "sweep.md"))
    parser.add_argument("--size", type=int, default=1000, help="grid points per axis of the 2×2 sweep (default 1000)")
    parser.add_argument("--size3", type=int, default=317, help="grid points per axis of the 3×3 sweep (default 317)")
    parser.add_argument("--subsample", type=int, default=2000, help="points for the per-game loops (default 2000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each configuration, each in a fresh process; the fastest is reported "
                             "(default 3)")
    parser.add_argument("--big", type=int, default=3162,
                        help="grid points per axis of the memory check (default 3162: 10⁷ points, within --max-points; 0 to skip)")
    parser.add_argument("--goals", choices=("quick", "full"),
                        help="measure only issue 14's goal 4 (ratios against the contenders) and print its table")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.goals:
        print(_goal_table(goal_rows(quick=args.goals == "quick")))
        return
    if args.child:
        kind, config = args.child
        function = {"sweep": child_sweep, "stages": child_stages, "reference": child_reference,
                    "goal_solve": child_goal_solve, "goal_end_to_end": child_goal_end_to_end,
                    "goal_degenerate": child_goal_degenerate}[kind]
        print(json.dumps(function(json.loads(config))))
        return

    import _bench_common as bc

    from negotiation.sweeps.writers import have_pyarrow

    n = args.size
    grid = [f"omega=0:1:{n}", f"phi=0:1:{n}"]
    work = Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    arms = work / "arms_race_3x3.toml"
    arms.write_text(ARMS_RACE_3X3, encoding="utf-8")
    formats = ["csv"] + (["parquet"] if have_pyarrow() else [])
    runs = []
    for fmt in formats:
        for workers in (None, 2):
            config = {"scenario": "security_dilemma", "grid": grid, "out": str(work / f"sd.{fmt}"), "workers": workers}
            if fmt == "csv" and workers == 2:
                config.update(map=str(work / "map.png"), summary=str(work / "regions.md"))
            bc.log(f"2×2 sweep, {n * n:,} points, {fmt}, workers={workers or 1} ...")
            trials = [run_child("sweep", config) for _ in range(max(args.repeat, 1))]
            data = min(trials, key=lambda d: d["seconds"])
            data["all_seconds"] = [d["seconds"] for d in trials]
            runs.append(("security dilemma 2×2", fmt, workers or 1, data))
            bc.log(f"  {data['seconds']:.2f} s, {data['seconds'] / data['points'] * 1e6:.3f} µs per point")
    n3 = args.size3
    grid3 = [f"omega=0:1:{n3}", f"phi=0:1:{n3}"]
    # the same grid without its two degenerate edges (omega = 0: no conflict payoffs; phi = 1)
    interior = [f"omega=1/{n3}:1:{n3}", f"phi=0:{n3 - 1}/{n3}:{n3}"]
    for label, axes in (("arms race 3×3", grid3), ("arms race 3×3, interior", interior)):
        for fmt in formats:
            for workers in (None, 2):
                bc.log(f"{label} sweep, {n3 * n3:,} points, {fmt}, workers={workers or 1} ...")
                config = {"scenario": str(arms), "grid": axes, "out": str(work / f"arms.{fmt}"), "workers": workers}
                trials = [run_child("sweep", config) for _ in range(max(args.repeat, 1))]
                data = min(trials, key=lambda d: d["seconds"])
                data["all_seconds"] = [d["seconds"] for d in trials]
                runs.append((label, fmt, workers or 1, data))
                bc.log(f"  {data['seconds']:.2f} s, {data['seconds'] / data['points'] * 1e6:.3f} µs per point")
    big = None
    if args.big:
        fmt = "parquet" if "parquet" in formats else "csv"
        bc.log(f"memory check: {args.big ** 2:,} points, {fmt} ...")
        big = run_child("sweep", {"scenario": "security_dilemma", "grid": [f"omega=0:1:{args.big}",
                                  f"phi=0:1:{args.big}"], "out": str(work / f"big.{fmt}"), "workers": None})
        big["format"] = fmt
        import shutil

        shutil.rmtree(work / f"big.{fmt}", ignore_errors=True) if fmt == "parquet" else (work / "big.csv").unlink()
    bc.log("issue 14, goal 4 (ratios against the contenders) ...")
    goals = goal_rows(quick=True)
    bc.log("stages of the 2×2 sweep ...")
    stages = run_child("stages", {"grid": grid})
    bc.log(f"per-game loops on {args.subsample} points ...")
    reference = run_child("reference", {"grid": grid, "subsample": args.subsample})

    best_2x2 = min(d["seconds"] / d["points"] for name, fmt, w, d in runs if name.startswith("security")) * 1e6
    solve_only = sum(v for k, v in stages["stages"].items() if k.startswith(("payoff", "all equilibria")))
    rows = []
    for name, fmt, workers, data in runs:
        per_point = data["seconds"] / data["points"] * 1e6
        goal = 1.0 if "2×2" in name else 10.0
        wall = f"{data['seconds']:.2f} s"
        if len(data.get("all_seconds", [])) > 1:
            wall += " (" + ", ".join(f"{t:.2f}" for t in data["all_seconds"]) + ")"
        rows.append([name, f"{data['points']:,}", fmt, str(workers), f"{data['rows']:,}", wall,
                     f"{per_point:.2f} µs", f"≤ {goal:g} µs: {'met' if per_point <= goal else 'not met'}",
                     f"{data['bytes'] / 2**20:,.0f} MiB",
                     f"{data['peak_mib']:,.0f} / {data['children_peak_mib']:,.0f} MiB"])
    stage_rows = [[k, f"{v:.3f} µs"] for k, v in stages["stages"].items()]
    stage_rows.append(["total to CSV", f"{sum(v for k, v in stages['stages'].items() if 'Parquet' not in k):.3f} µs"])
    stage_rows.append(["total to Parquet", f"{sum(v for k, v in stages['stages'].items() if 'CSV' not in k):.3f} µs"])
    reference_rows = []
    for key, data in reference.items():
        if "missing" in data:
            reference_rows.append([data["label"], "not installed", "—", "—"])
            continue
        agree = sum(1 for a, b in zip(data["counts"], reference["ours_exact"]["counts"]) if a == b)
        reference_rows.append([data["label"], f"{data['us_per_point']:.1f} µs",
                               _ratio(data["us_per_point"] / best_2x2),
                               _ratio(data["us_per_point"] / solve_only),
                               f"{agree} of {len(data['counts'])}"])
    map_run = next(d for name, fmt, w, d in runs if "map_seconds" in d)
    environment = bc.environment_lines()
    lines = [
        "# Sweeps: end to end, per point",
        "",
        *environment,
        f"- Load average at end: {bc.load_average()} (other processes may share the machine)",
        "- Command: `" + " ".join(["python", "benchmarks/bench_sweep.py", *sys.argv[1:]]) + "`",
        "",
        f"Each configuration runs in a fresh process; each row shows the fastest of {args.repeat} runs "
        "(all wall times in brackets). *End to end* = `ng.sweep(...)` from the call to the "
        "closed file: payoff evaluation (`sympy.lambdify`, once per distinct expression), every equilibrium "
        "at every point (2×2: the kernel on shared payoff planes, `sweeps.planes`; 3×3: the vectorised batch "
        "solver; degenerate points such as ties solved again exactly), "
        "the classic-game label, the table rows with exact parameter values, written and fsynced chunk by "
        "chunk with the resume record. Peak memory: maximum resident set size of the parent / of the worker "
        "processes. Goals (DESIGN.md §5): ≤ 1 µs per point for 2×2, ≤ 10 µs for 3×3. The 3×3 grid includes "
        "two degenerate edges (omega = 0 and phi = 1, about 1% of the points) that are solved exactly one by one; "
        "the *interior* rows shift the grid off them.",
        "",
        bc.markdown_table(["model", "points", "format", "workers", "rows", "wall time", "per point", "goal",
                           "file", "peak memory"], rows),
        "",
        "## Where the time goes (2×2, one process, chunks of 65,536 points, CPU µs per point)",
        "",
        bc.markdown_table(["stage", "per point"], stage_rows),
        "",
        f"Solving alone (payoff evaluation + all equilibria) costs {solve_only:.3f} µs per point "
        f"(issue 14 goal: ≤ 0.05 µs; see the goal table above for the best of several rounds).",
        "",
        f"## Per-game loops on {args.subsample:,} points of the same grid",
        "",
        "One solver call per point on the float payoff matrices, in this process after a warm-up call "
        "(QuantEcon's JIT excluded); only the calls are timed. *vs our sweep* divides by our best end-to-end "
        "time per point above (table written); *vs our solving* by the solving stages alone. "
        "The last column counts points where the number of equilibria equals our exact solver's.",
        "",
        bc.markdown_table(["solver", "per point", "vs our sweep", "vs our solving", "same count as exact"],
                          reference_rows),
        "",
        "## Memory",
        "",
        (f"A {big['points']:,}-point sweep ({big['format']}, one process) took {big['seconds']:.1f} s "
         f"({big['seconds'] / big['points'] * 1e6:.2f} µs per point), wrote {big['rows']:,} rows "
         f"({big['bytes'] / 2**20:,.0f} MiB) and peaked at {big['peak_mib']:,.0f} MiB resident "
         f"(goal: 10⁷ points in < 2 GiB)." if big else "Skipped (--big 0)."),
        "",
        ("## Issue 14, goal 4: ≤ 50 ns a point solving 2×2, ≤ 0.3 µs a point end to end to Parquet, degenerate "
         "4×4 points ≤ 10× a regular one"),
        "",
        ("`goal_rows(quick=True)` (also `python benchmarks/bench_sweep.py --goals quick`): CPU time of the work "
         "(`time.process_time` in a fresh child process, plus its workers' rusage), contenders alternating "
         "with ours round by round, every answer checked (a wrong answer is counted, not timed)."),
        "",
        _goal_table(goals),
        "",
        f"## Map and summary of the {n * n:,}-point sweep",
        "",
        f"- Equilibrium map by classic game with the symbolic boundaries T = R and P = S, PNG: "
        f"{map_run['map_seconds']:.2f} s.",
        f"- Region summary ({map_run['regions']} regions) written as Markdown: {map_run['summary_seconds']:.2f} s.",
        "",
    ]
    text = "\n".join(lines)
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    bc.log(f"written {out}")


if __name__ == "__main__":
    main()
