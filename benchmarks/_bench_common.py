"""Shared helpers for the benchmark scripts in this folder.

Not a test module and not part of the ``negotiation`` package: it is imported by
``bench_all_equilibria.py`` and ``bench_sweep_2x2.py`` only (they put this folder on
``sys.path`` because they are run as scripts).

Every solver is described by a :class:`Solver`: how to check that its package is
installed, how to build its game object from two integer arrays (``prepare``, *not*
timed), how to solve (``solve``, the only timed part; generators are consumed inside
it) and how to turn the raw answer into a list of ``(x, y)`` profiles (``extract``,
not timed).  Exact solvers return tuples of :class:`fractions.Fraction`, float solvers
tuples of ``float``.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import math
import os
import platform
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:  # scripts are run as ``python benchmarks/x.py``
    sys.path.insert(0, str(REPO_ROOT))

VON_STENGEL_NFG = Path("/work/shared/data/vonstengel1999_6x6_75eq.nfg")

# small game used for the warm-up calls (int64, like the benchmark games)
WARM_GAME = (np.array([[3, 0], [5, 1]], dtype=np.int64), np.array([[3, 5], [0, 1]], dtype=np.int64))

# tolerance used to match a float equilibrium to an exact (reference) equilibrium
FLOAT_TOL = 1e-6


# ---------------------------------------------------------------------------
# Solvers
# ---------------------------------------------------------------------------


@dataclass
class Solver:
    key: str                 # short id, used on the command line and in logs
    label: str               # column header
    short: str               # abbreviation used in the correctness column
    module: str              # package that must be importable
    exact: bool
    prepare: Callable[[np.ndarray, np.ndarray], Any]
    solve: Callable[[Any], Any]
    extract: Callable[[Any], list]
    available: bool = False
    missing_reason: str = ""
    first_call_s: Optional[float] = None   # first call in this process (JIT, lazy imports)
    command: Optional[str] = None  # an external program that must be on PATH instead of a module (lrsnash)
    child_cpu: bool = False  # the work runs in a child process: count its CPU time (rusage), not ours

    def check(self) -> bool:
        if self.command is not None:
            import shutil
            self.available = shutil.which(self.command) is not None
            self.missing_reason = "" if self.available else f"`{self.command}` not on PATH (apt-get install lrslib)"
            return self.available
        try:
            importlib.import_module(self.module)
            self.available = True
        except Exception as exc:  # pragma: no cover - depends on the environment
            self.available = False
            self.missing_reason = f"{type(exc).__name__}: {exc}"
        return self.available


def _frac_profile(x, y):
    return (tuple(Fraction(v.numerator, v.denominator) for v in x),
            tuple(Fraction(v.numerator, v.denominator) for v in y))


def _float_profile(x, y):
    return (tuple(float(v) for v in x), tuple(float(v) for v in y))


# --- ours -------------------------------------------------------------------

def _ours_prepare(A, B):
    import negotiation as ng
    return ng.Game.from_arrays(A, B)


def _ours_solve(game):
    import negotiation as ng
    return ng.solve(game)


def _ours_extract(result):
    return [_frac_profile(*e.profile.probabilities) for e in result]


# --- Gambit -----------------------------------------------------------------

def _gambit_prepare_exact(A, B):
    import pygambit as gbt
    # Python ints (object arrays) so that Gambit stores exact rational payoffs
    return gbt.Game.from_arrays(np.array(A.tolist(), dtype=object),
                                np.array(B.tolist(), dtype=object))


def _gambit_prepare_float(A, B):
    import pygambit as gbt
    return gbt.Game.from_arrays(A, B)


def _gambit_solve_exact(g):
    import pygambit as gbt
    return g, gbt.nash.enummixed_solve(g, rational=True)


def _gambit_solve_float(g):
    import pygambit as gbt
    return g, gbt.nash.enummixed_solve(g, rational=False)


def _gambit_rows(raw):
    g, res = raw
    p1, p2 = g.players  # (pygambit 16.7: players cannot be indexed by int)
    return [([e[s] for s in p1.strategies], [e[s] for s in p2.strategies])
            for e in res.equilibria]


def _gambit_extract_exact(raw):
    return [_frac_profile(x, y) for x, y in _gambit_rows(raw)]


def _gambit_extract_float(raw):
    return [_float_profile(x, y) for x, y in _gambit_rows(raw)]


# --- nashpy -----------------------------------------------------------------

def _nashpy_prepare(A, B):
    import nashpy
    return nashpy.Game(A, B)


def _nashpy_solve_se(g):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "even number of equilibria" warnings
        return list(g.support_enumeration())


def _nashpy_solve_ve(g):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(g.vertex_enumeration())


def _pairs_extract_float(raw):
    return [_float_profile(x, y) for x, y in raw]


# --- QuantEcon --------------------------------------------------------------

def _qe_prepare(A, B):
    from quantecon.game_theory import NormalFormGame, Player
    # a Player's payoff array is indexed by its own action first: B.T for player 2
    return NormalFormGame((Player(A), Player(B.T)))


def _qe_solve_ve(g):
    from quantecon.game_theory import vertex_enumeration
    return vertex_enumeration(g)


def _qe_solve_se(g):
    from quantecon.game_theory import support_enumeration
    return support_enumeration(g)


# --- lrsnash (lrslib, exact, C with GMP) ------------------------------------

def _lrs_prepare(A, B):
    """The game in lrsnash's input format, written to a temporary file (not timed)."""
    import tempfile
    A, B = np.asarray(A), np.asarray(B)
    m, n = A.shape
    text = f"{m} {n}\n\n" + "\n".join(" ".join(str(int(v)) for v in row) for row in A.tolist())
    text += "\n\n" + "\n".join(" ".join(str(int(v)) for v in row) for row in B.tolist()) + "\n"
    with tempfile.NamedTemporaryFile("w", prefix="lrsnash_", suffix=".txt", delete=False) as handle:
        handle.write(text)
    return handle.name, m, n


def _lrs_solve(prepared):
    """Run ``lrsnash`` on the file; the caller times the child's CPU (``RUSAGE_CHILDREN``)."""
    import subprocess
    path, m, n = prepared
    try:
        done = subprocess.run(["lrsnash", path], capture_output=True, text=True, check=True)
    finally:
        os.unlink(path)
    return done.stdout, m, n


def parse_lrsnash(text: str, m: int, n: int) -> list:
    """Equilibria ``(x, y)`` (tuples of Fractions) from lrsnash's output.

    lrsnash 7.1 prints blocks separated by blank lines: lines ``2 y_1 … y_n payoff1`` (player 2's
    strategies) followed by a line ``1 x_1 … x_m payoff2`` (player 1's); each ``y`` of the block forms an
    extreme equilibrium with the ``x``. Lines starting with ``*`` are comments.
    """
    found, ys = [], []
    for line in text.splitlines():
        fields = line.split()
        if not fields:
            ys = []
            continue
        if fields[0] == "2":
            ys.append(tuple(Fraction(v) for v in fields[1:1 + n]))
        elif fields[0] == "1":
            x = tuple(Fraction(v) for v in fields[1:1 + m])
            found.extend((x, y) for y in ys)
    return found


def _lrs_extract(raw):
    text, m, n = raw
    return parse_lrsnash(text, m, n)


def lrsnash_solver() -> Solver:
    """lrsnash (Debian's lrslib 7.1, exact, C/GMP), run as a subprocess; optional (skipped if not on PATH)."""
    return Solver("lrsnash", "lrsnash", "lrs", "", True, _lrs_prepare, _lrs_solve, _lrs_extract,
                  command="lrsnash", child_cpu=True)


def make_solvers() -> dict[str, Solver]:
    """All solvers, in column order (availability not yet checked)."""
    solvers = [
        Solver("ours", "ours", "ours", "negotiation", True,
               _ours_prepare, _ours_solve, _ours_extract),
        Solver("gambit_exact", "Gambit exact", "G-exact", "pygambit", True,
               _gambit_prepare_exact, _gambit_solve_exact, _gambit_extract_exact),
        Solver("gambit_float", "Gambit float", "G-float", "pygambit", False,
               _gambit_prepare_float, _gambit_solve_float, _gambit_extract_float),
        Solver("nashpy_ve", "nashpy VE", "np-VE", "nashpy", False,
               _nashpy_prepare, _nashpy_solve_ve, _pairs_extract_float),
        Solver("nashpy_se", "nashpy SE", "np-SE", "nashpy", False,
               _nashpy_prepare, _nashpy_solve_se, _pairs_extract_float),
        Solver("qe_ve", "QuantEcon VE", "QE-VE", "quantecon", False,
               _qe_prepare, _qe_solve_ve, _pairs_extract_float),
        Solver("qe_se", "QuantEcon SE", "QE-SE", "quantecon", False,
               _qe_prepare, _qe_solve_se, _pairs_extract_float),
    ]
    return {s.key: s for s in solvers}


def warm_up(solvers, A, B):
    """One call of every available solver in *this* process.

    Forked workers inherit the warmed-up state (numba-compiled QuantEcon code, lazily
    imported modules), so per-game times exclude JIT compilation.  The time of this
    first call is stored in ``solver.first_call_s`` and reported separately.
    """
    for s in solvers.values():
        if not s.available:
            continue
        if s.child_cpu:  # an external program: nothing to warm up in this process
            s.first_call_s = None
            continue
        game = s.prepare(A, B)
        t0 = time.perf_counter()
        s.solve(game)
        s.first_call_s = time.perf_counter() - t0


# ---------------------------------------------------------------------------
# Worker processes with a time limit
# ---------------------------------------------------------------------------
#
# Every solver runs in a worker process forked from the (warmed-up) parent.  A worker
# first repeats the warm-up solve on the small warm-up game, untimed, and runs a full
# garbage collection; only then does it report "ready" and accept games.  This matters:
# in a freshly forked process the first solve pays copy-on-write page faults for every
# page of the parent's heap it touches (and a GC pass touches them all), which inflated
# sub-millisecond solves 3-30x in a trial with one fork per call.  Each call then has its
# own time limit; on a timeout the worker is killed and the caller gets "timeout".

_CTX = None


def _ctx():
    global _CTX
    if _CTX is None:
        import multiprocessing as mp
        _CTX = mp.get_context("fork")
    return _CTX


def cpu_seconds(children: bool = False) -> float:
    """CPU time (user + system) of this process, or of its waited-for children."""
    if children:
        import resource
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime
    return time.process_time()


def _solve_batch(solver: Solver, games, clock: str = "wall"):
    """Solve ``games``; ``clock`` "wall" (perf_counter) or "cpu" (this process's CPU time, or the child's
    for a solver that runs a program)."""
    times, found = [], []
    for A, B in games:
        game = solver.prepare(A, B)
        if clock == "cpu":
            t0 = cpu_seconds(solver.child_cpu)
            raw = solver.solve(game)
            t1 = cpu_seconds(solver.child_cpu)
        else:
            t0 = time.perf_counter()
            raw = solver.solve(game)
            t1 = time.perf_counter()
        times.append(t1 - t0)
        found.append(solver.extract(raw))
    return times, found


def _worker_main(conn, solver: Solver, warm_game, clock: str = "wall"):
    import gc
    try:
        if warm_game is not None:
            _solve_batch(solver, [warm_game], clock)
        gc.collect()
        conn.send(("ready", None, None))
        while True:
            games = conn.recv()
            if games is None:
                break
            try:
                times, found = _solve_batch(solver, games, clock)
                conn.send(("ok", times, found))
            except Exception as exc:  # report, keep serving
                conn.send(("error", f"{type(exc).__name__}: {exc}", None))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        conn.close()


@dataclass
class RunResult:
    status: str                       # "ok" | "timeout" | "error"
    times: list = field(default_factory=list)
    found: list = field(default_factory=list)
    message: str = ""


class Worker:
    """A forked process that solves games with one solver, each call time-limited."""

    def __init__(self, solver: Solver, warm_game=None, start_timeout: float = 600.0, clock: str = "wall"):
        import gc
        ctx = _ctx()
        gc.collect()
        gc.freeze()  # keep the parent's objects out of the child's GC passes
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, solver, warm_game, clock), daemon=True)
        self.proc.start()
        child.close()
        gc.unfreeze()
        self.alive = True
        if not self.conn.poll(start_timeout):
            self.close()
            raise RuntimeError(f"{solver.label}: worker not ready after {start_timeout:g} s")
        try:
            self.conn.recv()
        except EOFError:
            self.close()
            raise RuntimeError(f"{solver.label}: worker died during warm-up") from None

    def call(self, games, timeout: float) -> RunResult:
        """Solve ``games`` (a list of ``(A, B)``); kill the worker after ``timeout`` s."""
        if not self.alive:
            raise RuntimeError("worker is closed")
        self.conn.send(games)
        if not self.conn.poll(timeout):
            self.close()
            return RunResult("timeout")
        try:
            status, a, b = self.conn.recv()
        except EOFError:
            code = self.proc.exitcode
            self.close()
            return RunResult("error", message=f"worker died (exit code {code})")
        if status == "ok":
            return RunResult("ok", times=a, found=b)
        return RunResult("error", message=a)

    def close(self):
        if not self.alive:
            return
        self.alive = False
        try:
            if self.proc.is_alive():
                try:
                    self.conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
                self.proc.join(2)
        finally:
            if self.proc.is_alive():
                self.proc.kill()  # only the worker this object started
            self.proc.join()
            self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---------------------------------------------------------------------------
# Comparison with the reference
# ---------------------------------------------------------------------------


def same_equilibria(ref: list, found: list, exact: bool) -> bool:
    """Does ``found`` equal the exact reference set ``ref``?

    Exact solvers: the same set of rational profiles, no duplicates.  Float solvers:
    the same number of equilibria, each matched to a distinct reference equilibrium
    within ``FLOAT_TOL`` (max-norm).  A profile the reference lists twice counts once
    (Gambit's ``enummixed_solve`` repeats one on some degenerate games).
    """
    ref = list(dict.fromkeys(ref))
    if len(found) != len(ref):
        return False
    if exact:
        return set(found) == set(ref) and len(set(found)) == len(found)
    refs = [np.array([float(v) for v in x + y]) for x, y in ref]
    used = [False] * len(refs)
    for x, y in found:
        v = np.array(x + y, dtype=float)
        for i, r in enumerate(refs):
            if not used[i] and r.shape == v.shape and np.max(np.abs(r - v)) <= FLOAT_TOL:
                used[i] = True
                break
        else:
            return False
    return True


# ---------------------------------------------------------------------------
# Games
# ---------------------------------------------------------------------------


def random_games(rng: np.random.Generator, n: int, count: int, m: Optional[int] = None, high: int = 100):
    """``count`` random ``n``×``m`` games with integer payoffs ``0 … high-1`` (int64 arrays; ``high=3``: the
    degenerate games of issue 14, payoffs in {0, 1, 2})."""
    m = n if m is None else m
    return [(rng.integers(0, high, size=(n, m)), rng.integers(0, high, size=(n, m)))
            for _ in range(count)]


def has_payoff_ties(A, B) -> bool:
    """A column of A or a row of B with a repeated value (a pure strategy of the other
    player then has two pure best responses somewhere, the usual source of degeneracy
    in random integer games; games without such ties can still be degenerate)."""
    A, B = np.asarray(A), np.asarray(B)
    cols = any(len(set(A[:, j].tolist())) < A.shape[0] for j in range(A.shape[1]))
    rows = any(len(set(B[i, :].tolist())) < B.shape[1] for i in range(B.shape[0]))
    return cols or rows


def load_von_stengel(path: Path = VON_STENGEL_NFG):
    """Integer payoff arrays ``(A, B)`` of von Stengel's 6×6 game, and the reader used."""
    errors = []
    try:
        from negotiation.formats.nfg import read_nfg
        data = read_nfg(path)
        P = data.payoffs
        if P.shape == (6, 6, 2) and all(Fraction(v).denominator == 1 for v in P.flat):
            A = np.array([[int(v) for v in row] for row in P[..., 0]], dtype=np.int64)
            B = np.array([[int(v) for v in row] for row in P[..., 1]], dtype=np.int64)
            return A, B, "negotiation.formats.nfg.read_nfg"
        errors.append(f"negotiation reader: unexpected payoffs shape {P.shape}")
    except Exception as exc:
        errors.append(f"negotiation reader: {type(exc).__name__}: {exc}")
    try:
        import pygambit as gbt
        g = gbt.read_nfg(str(path))
        arrs = g.to_arrays()
        A = np.array([[int(v) for v in row] for row in arrs[0]], dtype=np.int64)
        B = np.array([[int(v) for v in row] for row in arrs[1]], dtype=np.int64)
        return A, B, "pygambit.read_nfg"
    except Exception as exc:
        errors.append(f"pygambit reader: {type(exc).__name__}: {exc}")
    raise RuntimeError("cannot read " + str(path) + ": " + "; ".join(errors))


def cross_check_von_stengel(A, B, path: Path = VON_STENGEL_NFG) -> str:
    """Compare the arrays with pygambit's reading of the same file (a sanity note)."""
    try:
        import pygambit as gbt
        arrs = gbt.read_nfg(str(path)).to_arrays()
        ok = (np.array_equal(A, np.array(arrs[0].tolist(), dtype=object).astype(np.int64))
              and np.array_equal(B, np.array(arrs[1].tolist(), dtype=object).astype(np.int64)))
        return "payoffs identical to pygambit.read_nfg" if ok else "DIFFERS from pygambit.read_nfg"
    except Exception as exc:
        return f"not cross-checked ({type(exc).__name__})"


# ---------------------------------------------------------------------------
# Formatting and environment
# ---------------------------------------------------------------------------


def fmt_time(seconds: Optional[float]) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    if seconds >= 0.9995:
        return f"{seconds:.2f} s"
    if seconds >= 0.9995e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def fmt_ratio(r: Optional[float]) -> str:
    if r is None or math.isnan(r):
        return "—"
    if r >= 100:
        return f"{r:.0f}"
    if r >= 10:
        return f"{r:.1f}"
    if r >= 0.1:
        return f"{r:.2f}"
    return f"{r:.2g}"


def median(xs):
    return statistics.median(xs) if xs else None


def markdown_table(header: list, rows: list) -> str:
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---:" if i else ":---" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def _version(mod: str) -> str:
    try:
        from importlib.metadata import version
        return version(mod)
    except Exception:
        try:
            return getattr(importlib.import_module(mod), "__version__", "?")
        except Exception:
            return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except Exception:
        pass
    return platform.processor() or "?"


def environment_lines() -> list:
    try:
        import negotiation
        ours = getattr(negotiation, "__version__", "?")
    except Exception:
        ours = "not importable"
    versions = [f"negotiation {ours}", f"numpy {_version('numpy')}", f"scipy {_version('scipy')}",
                f"nashpy {_version('nashpy')}", f"quantecon {_version('quantecon')}",
                f"numba {_version('numba')}", f"pygambit {_version('pygambit')}", f"python-flint {_version('python-flint')}",
                f"lrsnash {_lrsnash_version()}"]
    return [
        f"- Date: {_dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M:%S %Z')}",
        f"- Machine: {platform.platform()}; CPU: {_cpu_model()}; "
        f"cpu count: {os.cpu_count()}; Python {platform.python_version()}",
        f"- Packages: {', '.join(versions)}",
        f"- OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', '(unset)')}; "
        f"load average at start: {load_average()}",
    ]


def _lrsnash_version() -> str:
    import shutil
    import subprocess
    if shutil.which("lrsnash") is None:
        return "not installed"
    try:
        out = subprocess.run(["lrsnash", "/dev/null"], capture_output=True, text=True, timeout=10, check=False)
        for line in (out.stdout + out.stderr).splitlines():
            if "lrslib" in line:
                return line.split("lrslib", 1)[1].split("(")[0].strip()
    except Exception:
        pass
    return "?"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
