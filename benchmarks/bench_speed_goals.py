"""Issue 14's six speed goals in one run, each as a ratio against its contender.

=====  =====================================================  ==========================================
goal   what                                                   contender (in the same run)
=====  =====================================================  ==========================================
1      all equilibria of two-player games, exact              lrsnash (lrslib, C/GMP), QuantEcon VE
2      every isolated equilibrium of 3- and 4-player games    Gambit's ``enumpoly_solve``
3      the command line starts at once                        ``python -c pass``, the issue's targets
4      sweeps: solving and writing per point                  the targets (50 ns, 0.3 µs), QuantEcon loop
5      ``agree buffer_zone`` and ``negotiation tables``       the targets (1 s, 10 s)
6      the README's test command on a fresh clone             the target (10 minutes, install included)
=====  =====================================================  ==========================================

Goals 1, 2, 4, 5 and 6 are measured by their own scripts (``bench_all_equilibria.py``,
``bench_nplayer.py``, ``bench_sweep.py``, ``bench_bargaining.py``, ``bench_test_command.py``), whose
``goal_rows(quick)`` this script calls; goal 3 is measured here. Contenders missing on the machine (lrsnash:
``apt-get install lrslib``; QuantEcon and pygambit: ``pip install -e '.[bench]'``) are reported as
``n/a`` with the reason.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_speed_goals.py --out benchmarks/results/speed_goals.md
    # goal 6 then clones the repository and runs the README's test command now (about 10 minutes):
    PYTHONPATH=. .venv/bin/python benchmarks/bench_speed_goals.py --test-command --out ...

Not a test: nothing here is collected by pytest, and no test depends on a timing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from _bench_common import environment_lines, fmt_ratio, fmt_time, load_average, markdown_table  # noqa: E402

#: Goal -> the script that measures it (its ``goal_rows(quick)``).
SCRIPTS = {1: "bench_all_equilibria.py", 2: "bench_nplayer.py", 4: "bench_sweep.py", 5: "bench_bargaining.py",
           6: "bench_test_command.py"}
#: The commands of goal 3 and their targets in seconds (wall time, idle machine).
COMMANDS = (("negotiation --help", 0.2), ("negotiation --version", 0.2), ("negotiation models", 0.3),
            ("negotiation solve security_dilemma", 0.5))


def _script_rows(goal: int, quick: bool) -> list[dict]:
    path = BENCH_DIR / SCRIPTS[goal]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    if not hasattr(module, "goal_rows"):
        return [_row(goal, "(all)", None, "-", None, None, "", "", None, note=f"{path.name} has no goal_rows")]
    return list(module.goal_rows(quick=quick))


def _row(goal, case, ours, contender, theirs, ratio, meaning, target, met, note=""):
    return {"goal": goal, "case": case, "ours": ours, "contender": contender, "theirs": theirs,
            "ratio": ratio, "ratio_meaning": meaning, "target": target, "met": met, "note": note}


def _timed_child(argv: list[str], env=None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def command_line_rows(repeats: int) -> list[dict]:
    """Goal 3: each command ``repeats`` times, alternating with ``python -c pass`` (median wall time)."""
    executable = Path(sys.executable)
    entry = shutil.which("negotiation", path=str(executable.parent)) or shutil.which("negotiation")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    argvs = {}
    for command, _ in COMMANDS:
        words = command.split()[1:]
        argvs[command] = ([entry, *words] if entry else [sys.executable, "-m", "negotiation", *words])
    baseline, times = [], {command: [] for command, _ in COMMANDS}
    for _ in range(repeats):
        baseline.append(_timed_child([sys.executable, "-c", "pass"], env)[0])
        for command, _ in COMMANDS:
            times[command].append(_timed_child(argvs[command], env)[0])
    python = statistics.median(baseline)
    rows = [_row(3, "python -c pass", python, "-", None, None, "", "", None)]
    for command, target in COMMANDS:
        ours = statistics.median(times[command])
        rows.append(_row(3, command, ours, "python -c pass", python, ours / python,
                         "ours / python -c pass", f"< {target:g} s", ours < target,
                         note=f"fastest {fmt_time(min(times[command]))}"))
    return rows


def _format(row: dict) -> list[str]:
    seconds = lambda value: fmt_time(value) if isinstance(value, (int, float)) else (value or "n/a")  # noqa: E731
    met = {True: "met", False: "**not met**", None: "-"}[row.get("met")]
    return [str(row["goal"]), row["case"], seconds(row.get("ours")), row.get("contender") or "-",
            seconds(row.get("theirs")), fmt_ratio(row.get("ratio")) if row.get("ratio") else "-",
            row.get("ratio_meaning") or "-", row.get("target") or "-", met, row.get("note") or ""]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--goals", default="1,2,3,4,5,6", help="comma-separated goals")
    parser.add_argument("--full", action="store_true", help="the scripts' full configurations (slower)")
    parser.add_argument("--test-command", action="store_true",
                        help="goal 6 runs the README's test command on a fresh clone now (about 10 minutes) "
                             "instead of reading the latest saved run (results/test_command.json)")
    parser.add_argument("--repeats", type=int, default=9, help="runs of each command of goal 3")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    args = parser.parse_args(argv)
    goals = [int(goal) for goal in args.goals.split(",") if goal]
    if args.test_command and 6 not in goals:
        goals.append(6)
    environment = environment_lines()  # includes the load average at the start
    rows = []
    for goal in goals:
        print(f"goal {goal} ...", file=sys.stderr, flush=True)
        try:
            if goal == 3:
                rows += command_line_rows(args.repeats)
            elif goal == 6:  # the full run clones and runs the tests; quick reads the latest saved full run
                rows += _script_rows(goal, quick=not args.test_command)
            else:
                rows += _script_rows(goal, quick=not args.full)
        except Exception:  # one goal's failure is reported, the others still run
            rows.append(_row(goal, "(failed)", None, "-", None, None, "", "", False,
                             note=traceback.format_exc().strip().splitlines()[-1]))
    header = ["goal", "case", "ours", "contender", "theirs", "ratio", "ratio is", "target", "met", "note"]
    table = markdown_table(header, [_format(row) for row in rows])
    report = "\n".join(["# Issue 14: the six speed goals, one run", "",
                        *environment, f"- Load average at the end: {load_average()}",
                        f"- Command: `python benchmarks/bench_speed_goals.py {' '.join(argv or sys.argv[1:])}`",
                        "", table, ""])
    print(report)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
