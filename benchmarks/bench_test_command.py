"""Goal 6 of issue 14: the README's test command, on a fresh clone, in under 10 minutes including the install.

The command is ``python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest``.
It once took 63 minutes on a fresh, loaded 2-core machine, ~46 of them compiling pygambit from source (no wheel
on PyPI); Gambit's answers are now committed in tests/reference/ and the live Gambit suite runs separately.

Two measurements:

* ``--full`` (about 10 minutes): ``git clone`` of this repository into a temporary folder, then the README's three
  steps one by one, each timed by wall clock and by the CPU time of its processes (``RUSAGE_CHILDREN``); the run
  counts only if pytest exits 0, and it checks that pygambit was not installed. The result is saved to
  ``results/test_command.json`` (pip's cache makes a second install faster than a fresh machine's: say so).
* quick (the default, under a minute with pip's cache): pip resolves the ``test`` extra without installing
  (``pip install --dry-run --report``) and every distribution it would install must be a wheel, so nothing
  compiles; the latest ``--full`` result is reported beside it with its date.

Usage::

    python benchmarks/bench_test_command.py          # quick
    python benchmarks/bench_test_command.py --full   # clone, install, test (minutes)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULT = BENCH_DIR / "results" / "test_command.json"
TARGET_SECONDS = 600.0
README_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"


#: The README's command runs as on a fresh machine: nothing of this benchmark's own environment that changes
#: what Python imports (``PYTHONPATH=.`` would make the clone's tests import from wherever they run).
CLEAN_ENVIRONMENT = {key: value for key, value in os.environ.items()
                     if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")}


def timed(command: list[str], cwd: Path, log: Path) -> dict:
    """Run one step; wall seconds and the CPU seconds of all its processes (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with log.open("w") as out:
        code = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, check=False,
                              env=CLEAN_ENVIRONMENT).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"command": " ".join(command), "exit": code, "wall": round(wall, 1), "cpu": round(cpu, 1)}


def full_run(source: Path = REPO_ROOT) -> dict:
    """Clone ``source`` (its committed HEAD) and run the README's test command step by step."""
    folder = Path(tempfile.mkdtemp(prefix="negotiation-test-command-"))
    try:
        clone = folder / "clone"
        subprocess.run(["git", "clone", "-q", str(source), str(clone)], check=True)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True, text=True,
                                check=True).stdout.strip()
        steps = {}
        for name, command in (("venv", ["python3", "-m", "venv", ".venv"]),
                              ("install", [".venv/bin/pip", "install", "-e", ".[test]"]),
                              ("pytest", [".venv/bin/python", "-m", "pytest"])):
            steps[name] = timed(command, clone, folder / f"{name}.log")
            if steps[name]["exit"] != 0:
                break
        log = (folder / "pytest.log").read_text(errors="replace").strip().splitlines() \
            if (folder / "pytest.log").exists() else []
        tail = log[-1:]
        failed = [line for line in log if line.startswith(("FAILED ", "ERROR "))]  # which, if any, to look into
        has_gambit = subprocess.run([str(clone / ".venv/bin/python"), "-c", "import pygambit"],
                                    capture_output=True, check=False).returncode == 0
        return {"date": datetime.date.today().isoformat(), "commit": commit, "command": README_COMMAND,
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                "pip_cache": "pip's cache of this machine was used (a fresh machine downloads the wheels)",
                "steps": steps, "wall": round(sum(s["wall"] for s in steps.values()), 1),
                "cpu": round(sum(s["cpu"] for s in steps.values()), 1),
                "passed": all(s["exit"] == 0 for s in steps.values()) and len(steps) == 3,
                "pytest_summary": tail[0] if tail else "", "failed": failed, "pygambit_installed": has_gambit}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def wheels_only(source: Path = REPO_ROOT) -> dict:
    """What pip would install for ``-e '.[test]'`` into an empty environment: every item must be a wheel."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--dry-run", "--ignore-installed",
                              "--report", str(report), "-e", ".[test]"], cwd=source, capture_output=True, text=True,
                             check=False)
        seconds = time.perf_counter() - start
        if run.returncode != 0:
            return {"seconds": seconds, "error": run.stderr.strip().splitlines()[-1:], "sdists": None, "names": []}
        items = json.loads(report.read_text())["install"]
    names = [item["metadata"]["name"] for item in items]
    sdists = [item["metadata"]["name"] for item in items
              if not item["download_info"].get("dir_info") and not item["download_info"]["url"].endswith(".whl")]
    return {"seconds": seconds, "sdists": sdists, "names": names}


def rows_of(full: dict | None, wheels: dict | None) -> list[dict]:
    rows = []
    if full is not None:
        rows.append({"goal": 6, "case": f"README test command, fresh clone (install + pytest), {full['date']} "
                                        f"at {full['commit']}",
                     "ours": full["wall"], "contender": "target", "theirs": None,
                     "ratio": full["wall"] / TARGET_SECONDS, "ratio_meaning": "ours/target (wall seconds)",
                     "target": "< 600 s including the install, no pygambit compilation",
                     "met": bool(full["passed"] and not full["pygambit_installed"] and full["wall"] < TARGET_SECONDS)})
    if wheels is not None:
        rows.append({"goal": 6, "case": "the test extra resolves to wheels only (nothing compiles)",
                     "ours": wheels["seconds"], "contender": "pygambit built from source", "theirs": None,
                     "ratio": None, "ratio_meaning": "none: a yes/no check (met = no source distribution)",
                     "target": "no sdist, no pygambit in the test extra",
                     "met": None if wheels["sdists"] is None else (not wheels["sdists"]
                                                                   and "pygambit" not in wheels["names"])})
    return rows


def goal_rows(quick: bool = True) -> list[dict]:
    """Rows of the issue-14 table: the test command on a fresh clone (run now if not quick, else the latest saved
    run) and the wheels-only check of the test extra (run now)."""
    if quick:
        full = json.loads(RESULT.read_text()) if RESULT.exists() else None
    else:
        full = full_run()
        RESULT.write_text(json.dumps(full, indent=1) + "\n")
    return rows_of(full, wheels_only())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="clone, install and run the tests (minutes)")
    args = parser.parse_args(argv)
    rows = goal_rows(quick=not args.full)
    for row in rows:
        ratio = "" if row["ratio"] is None else f"  ratio {row['ratio']:.2f} ({row['ratio_meaning']})"
        print(f"goal {row['goal']}: {row['case']}: {row['ours']:.1f} s{ratio}  target {row['target']}  "
              f"met: {row['met']}")
    if RESULT.exists():
        full = json.loads(RESULT.read_text())
        for name, step in full["steps"].items():
            print(f"  {name}: {step['wall']} s wall, {step['cpu']} s CPU ({step['command']})")
        print(f"  {full['pytest_summary']}; pygambit installed: {full['pygambit_installed']}; {full['pip_cache']}")
    return 0 if all(row["met"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
