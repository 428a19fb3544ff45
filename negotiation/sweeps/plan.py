"""The plan of a sweep: which points, in which chunks, written where, and its fingerprint.

A :class:`Plan` is everything a worker needs to compute any chunk (it is picklable and sent with
every task); its ``key`` fingerprints the settings, so that ``resume`` refuses to continue a file
written with other ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
import sympy

from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import exact_value
from negotiation.core.priors import SAMPLE_BLOCK, resolve_priors
from negotiation.core.version import __version__
from negotiation.sweeps.grid import Grid
from negotiation.sweeps.labels import is_tree
from negotiation.sweeps.limits import check_chunk_size, check_points, resolve_max_points
from negotiation.sweeps.rejection import Acceptance, check_possible, count_accepted
from negotiation.sweeps.writers import have_pyarrow

__all__ = ["Plan", "ChunkOutput", "make_plan"]


@dataclass(frozen=True, eq=False)
class Plan:
    """Everything a worker needs to compute any chunk; sent with every task."""

    key: str
    scenario: object
    mode: str                      # "grid" or "samples"
    grid: Grid | None
    n_samples: int
    seed: int
    priors: dict
    fixed: dict                    # name -> exact value, for parameters not swept
    chunk_size: int
    n_points: int
    output: str                    # "csv", "parquet" or "memory"
    #: Points of chunk 0 when the chunks ramp up (0: every chunk holds ``chunk_size``). Chunk k of the ramp
    #: holds ``first_chunk * 2**k`` points, until that reaches ``chunk_size``; so the first results (and the
    #: progress bar) come after a moment, however large the steady chunks are.
    first_chunk: int = 0
    #: Samples only, when an assumption involves a swept parameter: the pre-pass of the rejection sampling
    #: (accepted candidates per block of draws; :mod:`~negotiation.sweeps.rejection`). ``None``: point i is
    #: candidate i.
    acceptance: Acceptance | None = None

    def _ramp(self) -> tuple[int, int, int]:
        """``(size of chunk 0, chunks in the ramp, points in the ramp)``."""
        first = self.first_chunk or self.chunk_size
        chunks, size = 0, first
        while size < self.chunk_size:
            chunks, size = chunks + 1, size * 2
        return first, chunks, first * ((1 << chunks) - 1)

    def bounds(self, chunk: int) -> tuple[int, int]:
        """The points ``[start, stop)`` of ``chunk``: a fixed function of the plan (``resume`` relies on it)."""
        first, ramp, covered = self._ramp()
        if chunk < ramp:
            start, size = first * ((1 << chunk) - 1), first << chunk
        else:
            start, size = covered + (chunk - ramp) * self.chunk_size, self.chunk_size
        return start, min(start + size, self.n_points)

    @property
    def n_chunks(self) -> int:
        first, ramp, covered = self._ramp()
        if self.n_points > covered:
            return ramp + -(-(self.n_points - covered) // self.chunk_size)
        chunks = 0
        while first * ((1 << chunks) - 1) < self.n_points:
            chunks += 1
        return chunks

    @property
    def swept(self) -> list[str]:
        return list(self.grid.names) if self.grid is not None else list(self.priors)


@dataclass
class ChunkOutput:
    """What a worker returns for one chunk: the encoded rows and each point's category codes."""

    chunk: int
    start: int
    stop: int
    payload: object
    n_rows: int
    outcome_codes: np.ndarray
    outcome_labels: list
    class_codes: np.ndarray | None
    class_labels: list | None
    #: Every number of the chunk's rows is exact; every point's list of equilibria is complete.
    exact: bool = False
    complete: bool = True


def _whole(value, minimum: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, np.integer)) and value >= minimum


def _check_kind(scenario) -> None:
    kind = getattr(scenario, "kind", "normal-form")
    if kind == "bargaining":
        raise NegotiationError(f"{scenario.id}: sweeps of bargaining scenarios run through "
                               "`negotiation agree PATH --sweep NAME=A:B:N` (ng.bargaining.sensitivity)")
    if kind not in ("normal-form", "extensive-form"):
        raise NegotiationError(f"{scenario.id}: `negotiation sweep` handles normal-form and extensive-form scenarios; "
                               f"{kind} scenarios are not supported yet (use `negotiation derive` for their regions)")


def _points(scenario, grid, samples, seed, priors, max_points):
    """``(mode, grid, n_points, bound priors, swept names)`` of a grid or of a Monte Carlo sample.

    The counts are checked against ``max_points`` first: an axis ``START:STOP:NUM`` holds no values
    yet, and no point exists before a chunk is computed.
    """
    parameters = scenario.parameters
    if (grid is None) == (samples is None):
        raise NegotiationError("give either a grid (--grid NAME=START:STOP:NUM) or a number of samples (--samples N)")
    if grid is not None:
        grid = Grid(grid)
        for axis in grid.axes:
            check_points(axis.size, max_points, f"--grid {axis.name}")
        check_points(grid.size, max_points, "--grid " + " x ".join(f"{a.size:,}" for a in grid.axes))
        grid.check(parameters)
        if priors:
            raise NegotiationError("--prior applies to --samples, not to a grid")
        return "grid", grid, len(grid), {}, set(grid.names)
    if not _whole(samples, 1):
        raise NegotiationError(f"--samples must be a positive whole number, got {samples!r}")
    check_points(int(samples), max_points, f"--samples {int(samples)}")
    if not _whole(seed, 0):
        raise NegotiationError(f"--seed must be a whole number >= 0, got {seed!r}")
    if priors is None:
        priors = getattr(scenario, "priors", None) or None
    if not priors:
        raise NegotiationError("--samples needs at least one prior (--prior NAME=FAMILY:ARGS, e.g. omega=beta:2:5)")
    bound = resolve_priors(priors, parameters)
    return "samples", None, int(samples), bound, set(bound)


def _output(out, format) -> str:
    """``"csv"``, ``"parquet"`` or ``"memory"`` (no ``out``)."""
    if format is None:
        format = "parquet" if out is not None and str(out).lower().endswith((".parquet", ".pq")) else "csv"
    format = str(format).lower()
    if format not in ("csv", "parquet"):
        raise NegotiationError(f"--format {format!r}: expected csv or parquet")
    if format == "parquet" and not have_pyarrow():
        raise NegotiationError("--format parquet needs pyarrow (pip install pyarrow)")
    return "memory" if out is None else format


def make_plan(scenario, grid, samples, seed, priors, out, format, chunk_size, values, max_points=None,
              first_chunk: int = 0) -> Plan:
    """Check the settings of a sweep and fix its points, chunks and output (limits: :mod:`~negotiation.sweeps.limits`).

    A sample whose draws can break an assumption gets its rejection pre-pass here
    (:func:`~negotiation.sweeps.rejection.count_accepted`, :attr:`Plan.acceptance`).

    ``first_chunk`` (0: none) starts the chunks small and doubles them up to ``chunk_size``
    (:attr:`Plan.first_chunk`).
    """
    _check_kind(scenario)
    chunk_size = check_chunk_size(chunk_size)
    first_chunk = int(first_chunk) if 0 < int(first_chunk or 0) < chunk_size else 0  # 0: no ramp
    mode, grid, n_points, bound, swept = _points(scenario, grid, samples, seed, priors, resolve_max_points(max_points))
    fixed_input = dict(values or {})
    both = sorted(swept & set(fixed_input))
    if both:
        raise NegotiationError(f"--set {both[0]}: parameter is also swept")
    try:
        resolved = scenario.parameters.resolve(fixed_input)
    except ValueError as error:
        raise NegotiationError(str(error)) from None
    fixed = {name: exact_value(v, where=f"parameter {name}") for name, v in resolved.items() if name not in swept}
    output = _output(out, format)
    acceptance = None
    if mode == "samples":  # draws that break an assumption are rejected: count the accepted ones per block
        check_possible(scenario, bound, fixed)
        acceptance = count_accepted(scenario, bound, fixed, int(seed), n_points)
    key = fingerprint(scenario, mode, grid, n_points, seed, bound, fixed, int(chunk_size), output, first_chunk)
    return Plan(key, scenario, mode, grid, n_points if mode == "samples" else 0, int(seed), bound, fixed,
                int(chunk_size), n_points, output, first_chunk, acceptance)


def fingerprint(scenario, mode, grid, n_points, seed, priors, fixed, chunk_size, output, first_chunk=0) -> str:
    """A hash of everything that decides the bytes of a sweep's table (``resume`` compares it)."""
    game = scenario.game
    data = {
        "version": __version__,
        "title": game.title,
        "players": list(game.players),
        "strategies": ([list(s) for s in game.strategies] if not is_tree(scenario)
                       else json.dumps(game.to_dict(), sort_keys=True, default=str)),
        "payoffs": [sympy.srepr(e) if hasattr(e, "free_symbols") else str(e) for e in game.payoffs.flat],
        "parameters": [[p.name, str(p.default), str(p.low), str(p.high)] for p in scenario.parameters],
        "assumptions": [a.text for a in scenario.assumptions],
        "cooperate": scenario.cooperate,
        "mode": mode,
        "grid": [a.fingerprint() for a in grid.axes] if grid is not None else None,
        "points": n_points,
        "seed": seed if mode == "samples" else None,
        "block": SAMPLE_BLOCK,
        "priors": {k: [p.family, list(p.arguments), p.low, p.high] for k, p in priors.items()},
        "fixed": {k: str(v) for k, v in fixed.items()},
        "chunk_size": chunk_size,
        "output": output,
    }
    if first_chunk:  # the chunk layout decides what a committed chunk holds (uniform layouts keep their old key)
        data["first_chunk"] = first_chunk
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
