"""Reliability benchmark: replay the hostile corpus and count what went wrong.

Every case of ``benchmarks/hostile/`` (scenario files, Gambit files, JSON games and command lines,
organised by category; see ``benchmarks/README.md``) runs in its own subprocess --
``python -m negotiation ARGV`` for a command line, ``python benchmarks/hostile/api_runner.py ARGV``
for a Python-API case -- with

* a CPU-time limit (``RLIMIT_CPU``, ``--cpu-limit`` seconds) and a wall-clock timeout,
* an address-space limit (``RLIMIT_AS``, 1.5 GiB) and an output-size limit (``RLIMIT_FSIZE``),
* a fresh temporary directory as working directory and ``HOME``, into which the case's input
  files are copied (the corpus itself is never written) together with matplotlib's font list, built
  once per replay (matplotlib builds it on a machine's first figure, about 0.2 s, and reads it after:
  without it every figure case would pay that first-figure cost), and
* a canary check: the code-execution cases try to create a file named ``CANARY…``; any such file
  in the temporary directory afterwards means code from the input ran.

Each case is classified (a case may carry several of the last six flags):

========================  ==========================================================================
ok                        exit status 0 and none of the flags below
one-line error            exit status 1 or 2 and a single line on standard error (an argparse usage
                          block before it is allowed), none of the flags below
other failure             any other exit (a signal, another status, an error of several lines)
traceback                 ``Traceback (most recent call last)`` on standard error
over 2 s                  more than 2 s of CPU time (user + system), killed at the CPU limit, or
                          still running at the wall-clock timeout
over 1 GiB                peak resident memory (``ru_maxrss``) above 1 GiB, or a ``MemoryError``
                          (the run tried to go past the 1.5 GiB address-space limit)
code executed             a canary file appeared
wrong answer              the case stores an expected answer (``expect`` in its category file) and
                          the run contradicts it: a different set of equilibria (for a result that
                          says ``"complete": false``, a profile outside the set or none at all), an
                          input that must be refused accepted with exit 0, a required answer refused,
                          duplicate rows
========================  ==========================================================================

The benchmark prints the table and the counts per category, writes ``--out`` (Markdown, default
``benchmarks/results/reliability.md``) and exits with status 1 if any of tracebacks, runs over 2 s,
runs over 1 GiB, code executed, wrong answers (or other failures) is non-zero.

Run from the repository root::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_reliability.py
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import fnmatch
import glob
import json
import math
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "hostile"
RUNNER = CORPUS / "api_runner.py"
RESULTS = ROOT / "benchmarks" / "results" / "reliability.md"
MANIFEST = "category.toml"
ARGV_SUFFIX = ".argv.json"
#: Files of the corpus folder that are code, not cases.
NOT_CASES = {"make_corpus.py", "api_runner.py", "__pycache__"}

GIB = 2**30
CPU_BUDGET = 2.0                 # seconds of CPU a run may take (the "no run longer than 2 s")
MEMORY_BUDGET = GIB              # peak resident memory a run may use (the "no memory above 1 GiB")
ADDRESS_SPACE_LIMIT = 3 * GIB // 2   # RLIMIT_AS of every run: past the budget, with room to measure
OUTPUT_LIMIT = 256 * 2**20       # RLIMIT_FSIZE: no file (standard output included) beyond 256 MiB
DEFAULT_CPU_LIMIT = 3.0          # RLIMIT_CPU (seconds): a run is stopped here, well past the budget
DEFAULT_TIMEOUT = 60.0           # wall-clock seconds, for runs that sleep or block instead of computing
TOLERANCE = 1e-9                 # default absolute tolerance on probabilities in expected answers

OK, ONE_LINE, OTHER = "ok", "one-line error", "other failure"
TRACEBACK, SLOW, MEMORY, EXECUTED, WRONG = ("traceback", "over 2 s", "over 1 GiB", "code executed",
                                            "wrong answer")
#: The flags that fail the benchmark, in the order of the table.
FAILURES = (TRACEBACK, SLOW, MEMORY, EXECUTED, WRONG)
COLUMNS = ("inputs tried", OK, ONE_LINE, OTHER) + FAILURES
EXPECTATIONS = {"status", "allow_error", "equilibria", "equilibria_include", "correlated", "payoffs",
                "tolerance", "csv_unique_rows", "sweep_equilibria", "no_new_path", "note"}


# ----------------------------------------------------------------------------------------------- corpus
@dataclass(frozen=True)
class Case:
    """One hostile input: a file of the corpus and how it is run.

    ``runs`` holds one argv (without the program) per process; several are started together (two
    sweeps writing one file). An argv starting with ``"api"`` runs the API runner, any other runs
    ``python -m negotiation``. ``inputs`` are copied into the run's temporary directory; ``{input}``
    in an argv is the first of them (its file name, relative to the working directory).
    """

    category: str
    name: str
    runs: tuple
    inputs: tuple = ()
    expect: dict = field(default_factory=dict)
    serial: bool = False

    @property
    def id(self) -> str:
        return f"{self.category}/{self.name}"


class CorpusError(ValueError):
    """The corpus itself is malformed (a case without a way to run it, an unknown expectation)."""


def _argv_list(value, where) -> tuple:
    """A list of strings (one run) or a list of such lists (runs started together)."""
    if isinstance(value, list) and value and all(isinstance(word, str) for word in value):
        return (tuple(value),)
    if (isinstance(value, list) and value
            and all(isinstance(run, list) and run and all(isinstance(w, str) for w in run) for run in value)):
        return tuple(tuple(run) for run in value)
    raise CorpusError(f"{where}: expected a list of argument strings or a list of such lists")


def _check_expect(expect, where) -> dict:
    if not isinstance(expect, dict):
        raise CorpusError(f"{where}: expect: expected a table")
    unknown = sorted(set(expect) - EXPECTATIONS)
    if unknown:
        raise CorpusError(f"{where}: expect: unknown key {unknown[0]!r}")
    if "status" in expect and expect["status"] != "error":
        raise CorpusError(f"{where}: expect.status: only 'error' is defined")
    return expect


def load_category(folder: Path) -> list[Case]:
    """The cases of one category folder: every file but ``category.toml``, run as it says."""
    manifest = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(manifest.get("description"), str) or not manifest["description"]:
        raise CorpusError(f"{folder.name}/{MANIFEST}: description: expected a sentence")
    defaults = manifest.get("run", {})
    settings = manifest.get("cases", {})
    names = sorted(p.name for p in folder.iterdir() if p.name != MANIFEST and p.name not in NOT_CASES)
    unknown = sorted(set(settings) - set(names))
    if unknown:
        raise CorpusError(f"{folder.name}/{MANIFEST}: cases.{unknown[0]!r}: no such file")
    cases = []
    for name in names:
        where = f"{folder.name}/{name}"
        setting = settings.get(name, {})
        if setting.get("input_only"):
            continue                                   # a file another case copies (a cycle's partner)
        if name.endswith(ARGV_SUFFIX):
            runs = _argv_list(json.loads((folder / name).read_text(encoding="utf-8")), where)
            inputs = ()
        else:
            suffix = name.rsplit(".", 1)[-1]
            if "argv" not in setting and suffix not in defaults:
                raise CorpusError(f"{where}: no argv in {MANIFEST} and no default run for .{suffix} files")
            runs = _argv_list(setting.get("argv", defaults.get(suffix)), where)
            inputs = (folder / name,)
        inputs += tuple(folder / extra for extra in setting.get("with", ()))
        cases.append(Case(folder.name, name, runs, inputs, _check_expect(setting.get("expect", {}), where),
                          bool(setting.get("serial", False))))
    return cases


def load_corpus(root: Path = CORPUS) -> list[Case]:
    """Every case of the corpus, category by category (folders with a ``category.toml``)."""
    cases = []
    for folder in sorted(p for p in root.iterdir() if (p / MANIFEST).is_file()):
        cases.extend(load_category(folder))
    return cases


def category_descriptions(root: Path = CORPUS) -> dict:
    return {folder.name: tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))["description"]
            for folder in sorted(p for p in root.iterdir() if (p / MANIFEST).is_file())}


# ----------------------------------------------------------------------------------------------- running
@dataclass
class Run:
    """What one process did."""

    argv: tuple
    status: int | None = None      # exit status, or None when killed by a signal
    signal: int | None = None
    cpu: float = 0.0
    maxrss: int = 0                # bytes
    wall: float = 0.0
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""


@dataclass
class Record:
    """What one case did, and how it is classified."""

    case: Case
    runs: list
    flags: set
    outcome: str                   # ok, one-line error or other failure
    canaries: list = field(default_factory=list)
    wrong: str = ""                # why the answer is wrong

    def summary(self) -> str:
        run = max(self.runs, key=lambda r: r.cpu)
        message = next((line for line in reversed(run.stderr.splitlines()) if line.strip()), "")
        return message[:160]


def _limits(cpu_limit: float):
    def apply():
        seconds = max(1, math.ceil(cpu_limit))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))
        resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def command(argv) -> list:
    if argv and argv[0] == "api":
        return [sys.executable, str(RUNNER), *argv[1:]]
    return [sys.executable, "-m", "negotiation", *argv]


def _environment(home: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "LC_ALL", "TZ")}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT), MPLBACKEND="Agg", PYTHONHASHSEED="0",
               MPLCONFIGDIR=str(home / ".matplotlib"), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               PYTHONIOENCODING="utf-8")
    return env


def _substitute(argv, case: Case) -> list:
    first = case.inputs[0].name if case.inputs else ""
    return [word.replace("{input}", first).replace("{hostile}", str(CORPUS)) for word in argv]


def _start(argv, workdir: Path, logs: Path, index: int, cpu_limit: float):
    out = open(logs / f"{index}.out", "wb")
    err = open(logs / f"{index}.err", "wb")
    process = subprocess.Popen(command(argv), cwd=workdir, env=_environment(workdir), stdin=subprocess.DEVNULL,
                               stdout=out, stderr=err, preexec_fn=_limits(cpu_limit), start_new_session=True)
    out.close()
    err.close()
    return process


def _read_log(path: Path, limit: int = 4 * 2**20) -> str:
    with open(path, "rb") as handle:
        return handle.read(limit).decode("utf-8", errors="replace")


def _wait(processes, runs, timeout: float) -> None:
    """Reap every process with ``wait4`` (its own CPU time and peak memory); kill what outlives ``timeout``."""
    start = time.monotonic()
    pending = dict(enumerate(processes))
    while pending:
        for index, process in list(pending.items()):
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid == 0:
                continue
            run = runs[index]
            run.wall = time.monotonic() - start
            run.cpu = usage.ru_utime + usage.ru_stime
            run.maxrss = usage.ru_maxrss * 1024
            run.status = os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None
            run.signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
            process.returncode = run.status if run.status is not None else -run.signal
            del pending[index]
        if pending and time.monotonic() - start > timeout:
            for index, process in pending.items():
                runs[index].timed_out = True
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            timeout = math.inf
        elif pending:
            time.sleep(0.02)


def _kill_group(process) -> None:
    """Stop what a run left behind (sweep workers) once its leader is gone."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def build_font_cache(folder: Path) -> Path | None:
    """matplotlib's font list, built once in ``folder`` (its configuration folder for one replay), or None
    when matplotlib is missing (the figure cases then refuse in one line or build it themselves)."""
    env = _environment(folder) | {"MPLCONFIGDIR": str(folder)}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, cwd=folder,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=DEFAULT_TIMEOUT)
    return folder if any(folder.glob("fontlist-*.json")) else None


def run_case(case: Case, cpu_limit: float = DEFAULT_CPU_LIMIT, timeout: float = DEFAULT_TIMEOUT,
             font_cache: Path | None = None) -> Record:
    """Run one case in a fresh temporary directory and classify it."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as scratch:
        workdir, logs = Path(scratch) / "work", Path(scratch) / "logs"
        workdir.mkdir()
        logs.mkdir()
        if font_cache is not None:  # the machine's font list, as after a user's first figure
            (workdir / ".matplotlib").mkdir()
            for path in font_cache.glob("fontlist-*.json"):
                shutil.copy2(path, workdir / ".matplotlib" / path.name)
        for path in case.inputs:
            shutil.copy2(path, workdir / path.name, follow_symlinks=False)
        watched = case.expect.get("no_new_path")
        before = set(glob.glob(watched)) if watched else set()
        runs = [Run(tuple(_substitute(argv, case))) for argv in case.runs]
        processes = [_start(run.argv, workdir, logs, i, cpu_limit) for i, run in enumerate(runs)]
        try:
            _wait(processes, runs, timeout)
        finally:
            for process in processes:
                _kill_group(process)
        for index, run in enumerate(runs):
            run.stdout = _read_log(logs / f"{index}.out")
            run.stderr = _read_log(logs / f"{index}.err")
        canaries = sorted(str(p.relative_to(workdir)) for p in workdir.rglob("*") if "canary" in p.name.lower())
        created = sorted(set(glob.glob(watched)) - before) if watched else []
        for path in created:                    # our run made it (/dev/full.png): leave the machine as it was
            if os.path.isfile(path) or os.path.islink(path):
                os.remove(path)
        wrong = check_answer(case.expect, runs, workdir, created)
    return classify(case, runs, canaries, wrong)


def is_one_line_error(run: Run) -> bool:
    """Exit 1 or 2 with one line on standard error; an argparse usage block before it is allowed."""
    if run.status not in (1, 2) or "Traceback (most recent call last)" in run.stderr:
        return False
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    while lines and (lines[0].startswith("usage:") or lines[0].startswith(" ")):
        lines.pop(0)
    return len(lines) == 1


def classify(case: Case, runs, canaries=(), wrong: str = "") -> Record:
    """Flags and outcome of a case from what its runs did (a pure function: the test checks it)."""
    flags = set()
    for run in runs:
        if "Traceback (most recent call last)" in run.stderr:
            flags.add(TRACEBACK)
        if run.cpu > CPU_BUDGET or run.timed_out or run.signal in (signal.SIGXCPU,):
            flags.add(SLOW)
        if run.maxrss > MEMORY_BUDGET or "MemoryError" in run.stderr:
            flags.add(MEMORY)
    if canaries:
        flags.add(EXECUTED)
    if wrong:
        flags.add(WRONG)
    if all(run.status == 0 for run in runs):
        outcome = OK
    elif all(run.status == 0 or is_one_line_error(run) for run in runs):
        outcome = ONE_LINE
    else:
        outcome = OTHER
    return Record(case, list(runs), flags, outcome, list(canaries), wrong)


# ----------------------------------------------------------------------------------------------- answers
def _number(value) -> float:
    if isinstance(value, str):
        return float(Fraction(value))
    return float(value)


def _json(run: Run):
    try:
        return json.loads(run.stdout)
    except ValueError:
        return None


def equilibrium_profiles(answer) -> list:
    """The equilibria of a ``solve --format json`` answer as lists of probability lists (strategy order)."""
    players = answer["game"]["players"]
    strategies = answer["game"]["strategies"]
    profiles = []
    for equilibrium in answer.get("equilibria", []):
        profile = equilibrium["profile"]
        profiles.append([[_number(profile[p][s]) for s in strategies[p]] for p in players])
    return profiles


def _close(left, right, tolerance) -> bool:
    if isinstance(left, (list, tuple)):
        return (isinstance(right, (list, tuple)) and len(left) == len(right)
                and all(_close(a, b, tolerance) for a, b in zip(left, right)))
    return abs(_number(left) - _number(right)) <= tolerance


def _matches(found, expected, tolerance, exact_count=True) -> bool:
    """Is every expected item found (each once), and, with ``exact_count``, nothing else?"""
    remaining = list(found)
    for item in expected:
        index = next((i for i, other in enumerate(remaining) if _close(other, item, tolerance)), None)
        if index is None:
            return False
        remaining.pop(index)
    return not remaining or not exact_count


def _partial_problem(found, expected, tolerance) -> str:
    """Why a result that says ``"complete": false`` contradicts the set ``expected`` ('' when it does not).

    Such a result (one Lemke–Howson path, the equilibria Lemke–Howson reaches from every initial label,
    the limit of the logit branch) does not claim the equilibria it leaves out: it is wrong when it lists
    a profile that is not one of ``expected``, lists one twice, or lists none although the game has one.
    """
    if expected and not found:
        return f"no equilibrium (a partial result), expected some of {expected}"
    if not _matches(expected, found, tolerance, exact_count=False):
        return f"equilibria {found} (a partial result), expected only some of {expected}"
    return ""


def _correlated(answer) -> list:
    distributions = []
    for equilibrium in answer.get("correlated_equilibria", []):
        distributions.append([entry["probability"] for entry in equilibrium["distribution"]])
    return distributions


def _answer_problem(expect, answer, tolerance) -> str:
    """Why a JSON answer contradicts ``expect`` ('' when it does not)."""
    if answer is None:
        return "standard output is not the JSON answer"
    try:
        if "equilibria" in expect:
            found = equilibrium_profiles(answer)
            if answer.get("complete") is False:
                problem = _partial_problem(found, expect["equilibria"], tolerance)
                if problem:
                    return problem
            elif not _matches(found, expect["equilibria"], tolerance):
                return f"equilibria {found}, expected {expect['equilibria']}"
        if "equilibria_include" in expect:
            found = equilibrium_profiles(answer)
            if not _matches(found, expect["equilibria_include"], tolerance, exact_count=False):
                return f"equilibria {found} miss one of {expect['equilibria_include']}"
        if "correlated" in expect:
            found = _correlated(answer)
            if not found or not all(_close(d, expect["correlated"], tolerance) for d in found):
                return f"correlated equilibria {found}, expected each {expect['correlated']}"
        if "payoffs" in expect:
            players = answer["game"]["players"]
            found = [[e["payoffs"][p] for p in players] for e in answer.get("equilibria", [])]
            if not _matches(found, expect["payoffs"], tolerance):
                return f"equilibrium payoffs {found}, expected {expect['payoffs']}"
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
        return f"answer without the expected fields ({type(error).__name__}: {error})"
    return ""


def _csv_rows(path: Path) -> list:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _sweep_problem(spec, workdir: Path, tolerance) -> str:
    path = workdir / spec["file"]
    if not path.is_file():
        return f"{spec['file']} was not written"
    header, *rows = _csv_rows(path)
    columns = [i for i, name in enumerate(header) if ": " in name and not name.startswith("payoff ")]
    points = {}
    for row in rows:
        points.setdefault(row[0], []).append([_number(row[i]) for i in columns])
    if len(points) != spec["points"]:
        return f"{len(points)} points in {spec['file']}, expected {spec['points']}"
    expected = [sum(profile, []) for profile in spec["equilibria"]]
    for point, found in points.items():
        if not _matches(found, expected, tolerance):
            return f"point {point}: equilibria {found}, expected {expected}"
    return ""


def check_answer(expect, runs, workdir: Path, created=()) -> str:
    """Why the runs contradict the case's expected answer ('' when they do not, or when it has none)."""
    if not expect:
        return ""
    tolerance = expect.get("tolerance", TOLERANCE)
    if created:
        return f"wrote {', '.join(created)}"
    if expect.get("status") == "error":
        accepted = [run for run in runs if run.status == 0]
        return "accepted (exit 0) an input that must be refused" if accepted else ""
    if "csv_unique_rows" in expect:
        path = workdir / expect["csv_unique_rows"]
        if any(run.status == 0 for run in runs) and not path.is_file():
            return f"{expect['csv_unique_rows']} missing after exit 0"
        if path.is_file():
            rows = [tuple(r) for r in _csv_rows(path)[1:]]
            duplicates = sum(n - 1 for n in Counter(rows).values() if n > 1)
            if duplicates:
                return f"{duplicates} duplicate rows in {expect['csv_unique_rows']}"
        return ""
    answers = ("equilibria", "equilibria_include", "correlated", "payoffs", "sweep_equilibria")
    if not any(key in expect for key in answers):
        return ""
    run = runs[0]
    if run.status != 0:
        if is_one_line_error(run) and not expect.get("allow_error"):
            return "refused an input with a known answer"
        return ""                     # a traceback or a limit: counted as such, not twice
    if "sweep_equilibria" in expect:
        return _sweep_problem(expect["sweep_equilibria"], workdir, tolerance)
    return _answer_problem(expect, _json(run), tolerance)


# ----------------------------------------------------------------------------------------------- report
def counts(records) -> Counter:
    total = Counter({column: 0 for column in COLUMNS})
    for record in records:
        total["inputs tried"] += 1
        total[record.outcome] += 1
        for flag in record.flags:
            total[flag] += 1
    return total


def _table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Make a message safe for a Markdown table cell (pipes, control and bidirectional characters)."""
    out = []
    for character in text.replace("|", "\\|"):
        if ord(character) < 32 or 0x7F <= ord(character) < 0xA0 or 0x200B <= ord(character) <= 0x200F \
                or 0x202A <= ord(character) <= 0x202E or 0x2066 <= ord(character) <= 0x2069 \
                or character in "\u061c\ufeff":
            out.append(f"U+{ord(character):04X}")
        else:
            out.append(character)
    return "".join(out)


def report(records, settings: dict, descriptions: dict) -> str:
    total = counts(records)
    categories = sorted({r.case.category for r in records})
    by_category = {c: counts([r for r in records if r.case.category == c]) for c in categories}
    parts = ["# Reliability benchmark: the hostile corpus", "",
             "Generated by `benchmarks/bench_reliability.py` (see `benchmarks/README.md`). "
             "A case may carry several of the last five flags; *ok*, *one-line error* and *other failure* "
             "are exclusive.", "",
             "| setting | value |", "|---|---|"]
    parts += [f"| {key} | {value} |" for key, value in settings.items()]
    parts += ["", "## Totals", "", _table(("", *COLUMNS[:1], *COLUMNS[1:]),
                                             [("all", *(total[c] for c in COLUMNS))])]
    heaviest = {c: [run for r in records if r.case.category == c for run in r.runs] for c in categories}
    parts += ["", "## By category", "",
              "The last two columns are the largest CPU time and peak memory of any run in the category.", "",
              _table(("category", *COLUMNS, "max CPU s", "max MiB"),
                     [(c, *(by_category[c][k] for k in COLUMNS), f"{max(r.cpu for r in heaviest[c]):.1f}",
                       f"{max(r.maxrss for r in heaviest[c]) / 2**20:.0f}") for c in categories])]
    failing = [r for r in records if r.flags or r.outcome == OTHER]
    parts += ["", f"## Cases that fail ({len(failing)})", "",
              "CPU and memory are those of the case's heaviest process; the message is the last line of its "
              "standard error (or why the answer is wrong).", ""]
    rows = []
    for r in sorted(failing, key=lambda r: r.case.id):
        heaviest = max(r.runs, key=lambda run: run.cpu)
        flags = ", ".join(flag for flag in FAILURES if flag in r.flags) or r.outcome
        rows.append((f"`{r.case.id}`", flags, f"{heaviest.cpu:.1f}", f"{heaviest.maxrss / 2**20:.0f}",
                     _escape(r.wrong or r.summary())))
    parts.append(_table(("case", "flags", "CPU s", "peak MiB", "message"), rows) if rows else "None.")
    parts += ["", "## Categories", ""]
    parts += [f"- `{name}`: {text}" for name, text in descriptions.items() if name in by_category]
    return "\n".join(parts) + "\n"


def print_table(records, stream=sys.stdout) -> None:
    total = counts(records)
    width = max(len(c) for c in COLUMNS)
    for column in COLUMNS:
        print(f"{column:<{width}}  {total[column]:>6}", file=stream)
    print(file=stream)
    categories = sorted({r.case.category for r in records})
    short = ("tried", "ok", "1-line", "other", "trace", ">2s", ">1GiB", "exec", "wrong")
    name_width = max([len(c) for c in categories] + [8])
    print(f"{'category':<{name_width}} " + " ".join(f"{s:>6}" for s in short), file=stream)
    for category in categories:
        row = counts([r for r in records if r.case.category == category])
        print(f"{category:<{name_width}} " + " ".join(f"{row[c]:>6}" for c in COLUMNS), file=stream)


# ----------------------------------------------------------------------------------------------- main
def _select(cases, patterns) -> list:
    if not patterns:
        return cases
    return [c for c in cases if any(fnmatch.fnmatch(c.id, p) or c.category == p for p in patterns)]


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_all(cases, jobs: int, cpu_limit: float, timeout: float, progress=None) -> list:
    """Every case, ``jobs`` at a time (a process pool); cases marked ``serial`` afterwards, one by one."""
    parallel = [c for c in cases if not c.serial]
    records = []
    with tempfile.TemporaryDirectory(prefix="hostile-fonts-") as fonts:
        font_cache = build_font_cache(Path(fonts))
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(run_case, case, cpu_limit, timeout, font_cache) for case in parallel]
            for future in concurrent.futures.as_completed(futures):
                records.append(future.result())
                if progress:
                    progress(records[-1], len(records), len(cases))
        for case in (c for c in cases if c.serial):
            records.append(run_case(case, cpu_limit, timeout, font_cache))
            if progress:
                progress(records[-1], len(records), len(cases))
    order = {case.id: i for i, case in enumerate(cases)}
    return sorted(records, key=lambda r: order[r.case.id])


def _progress(record, done, total) -> None:
    flags = ", ".join(sorted(record.flags)) or record.outcome
    print(f"[{done}/{total}] {record.case.id}: {flags}", file=sys.stderr, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Replay the hostile corpus and count what went wrong.")
    parser.add_argument("patterns", nargs="*", help="categories or case globs (category/name) to run")
    parser.add_argument("--jobs", type=int, default=2, help="cases run at once (default 2)")
    parser.add_argument("--cpu-limit", type=float, default=DEFAULT_CPU_LIMIT,
                        help=f"RLIMIT_CPU of a run in seconds (default {DEFAULT_CPU_LIMIT:g})")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"wall-clock seconds before a run is killed (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown report (default %(default)s)")
    parser.add_argument("--json", type=Path, help="also write every record as JSON")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")
    args = parser.parse_args(argv)

    cases = _select(load_corpus(), args.patterns)
    if args.list:
        for case in cases:
            print(case.id)
        return 0
    start, load = time.monotonic(), os.getloadavg()
    records = run_all(cases, args.jobs, args.cpu_limit, args.timeout, None if args.quiet else _progress)
    settings = {
        "commit": _git_commit(), "date": time.strftime("%Y-%m-%d %H:%M"),
        "python": platform.python_version(), "machine": f"{os.cpu_count()} CPUs, {platform.machine()}",
        "cases": f"{len(cases)}" + (f" (selected by {' '.join(args.patterns)})" if args.patterns else ""),
        "limits": f"RLIMIT_CPU {args.cpu_limit:g} s, wall {args.timeout:g} s, RLIMIT_AS "
                  f"{ADDRESS_SPACE_LIMIT / GIB:g} GiB, RLIMIT_FSIZE {OUTPUT_LIMIT // 2**20} MiB",
        "budgets": f"{CPU_BUDGET:g} s CPU, {MEMORY_BUDGET / GIB:g} GiB peak RSS",
        "jobs": args.jobs, "wall time": f"{time.monotonic() - start:.0f} s",
        "load average": f"{load[0]:.2f} at start, {os.getloadavg()[0]:.2f} at end",
    }
    print_table(records)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(records, settings, category_descriptions()), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([_record_json(r) for r in records], indent=1), encoding="utf-8")
    return exit_status(records)


def exit_status(records) -> int:
    """1 if any run failed the benchmark (a traceback, over 2 s, over 1 GiB, code executed, a wrong answer,
    or another failure), else 0."""
    total = counts(records)
    return 1 if any(total[flag] for flag in FAILURES + (OTHER,)) else 0


def _record_json(record: Record) -> dict:
    return {"case": record.case.id, "outcome": record.outcome, "flags": sorted(record.flags),
            "wrong": record.wrong, "canaries": record.canaries,
            "runs": [{"argv": list(r.argv), "status": r.status, "signal": r.signal, "cpu": round(r.cpu, 3),
                      "maxrss": r.maxrss, "wall": round(r.wall, 3), "timed_out": r.timed_out,
                      "stderr": r.stderr[-2000:]} for r in record.runs]}


if __name__ == "__main__":
    sys.exit(main())
