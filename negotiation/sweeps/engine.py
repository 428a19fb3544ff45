"""The sweep engine's front door: equilibria at every point of a grid or of a Monte Carlo sample.

How a sweep runs, module by module:

* :mod:`~negotiation.sweeps.plan` checks the settings against the limits
  (:mod:`~negotiation.sweeps.limits`: points, chunk size, workers) and fixes the points, the
  chunks (fixed ranges of point indices: the unit of work, of writing and of resuming) and the
  output;
* :mod:`~negotiation.sweeps.compiled` evaluates a normal-form scenario over a chunk (payoffs
  lambdified once per process, the batch solver for small two-player games, exact solves of the
  degenerate points) and :mod:`~negotiation.sweeps.trees` solves a game tree point by point;
* :mod:`~negotiation.sweeps.rows` and :mod:`~negotiation.sweeps.arrow_csv` turn a chunk's
  equilibria into its rows, encoded in the worker (CSV text or Parquet);
* :mod:`~negotiation.sweeps.runner` computes the chunks here, in local processes or through any
  ``map`` (Dask), and :mod:`~negotiation.sweeps.output` writes them **in chunk order**, each
  committed to the progress sidecar ``<out>.progress`` before the next, under a lock
  (:mod:`~negotiation.sweeps.lock`: one writer per table);
* :mod:`~negotiation.sweeps.result` holds what the sweep produced (:class:`SweepResult`).

Rows (one per parameter point and equilibrium): ``point``, every parameter, ``equilibrium``
(1-based within the point), ``kind`` (pure/mixed; ``none`` if a method found no equilibrium),
``component``, ``"<player>: <strategy>"`` probabilities, ``"payoff <player>"``, and
``classification`` when the scenario names a cooperative strategy of a symmetric 2×2 game. Exact
values are written as fractions (``3/4``), floats in shortest round-trip form. Game trees have
their own columns (:mod:`~negotiation.sweeps.trees`).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from negotiation.scenario import load
from negotiation.sweeps.compiled import uses_batch
from negotiation.sweeps.plan import make_plan
from negotiation.sweeps.result import SweepResult
from negotiation.sweeps.runner import Runner

__all__ = ["sweep", "automatic_chunks", "BATCH_CHUNKS", "POINTWISE_CHUNKS"]

#: ``(first, steady)`` chunk sizes of games solved in batches (two players, up to 4×4): 1,024 points take
#: 5–20 ms and 65,536 points 0.1–0.4 s (security dilemma grids, 2 to 5 µs a point on one core, 2025).
BATCH_CHUNKS = (1024, 65536)
#: ``(first, steady)`` chunk sizes of games solved point by point (game trees, larger games): 2 to 3 ms a
#: point for the bundled trees, so 8 points show up at once and 128 take well under a second.
POINTWISE_CHUNKS = (8, 128)


def automatic_chunks(scenario) -> tuple[int, int]:
    """``(first, steady)`` chunk sizes for ``chunk_size=None``: small first chunks that double up to a steady
    size, so that the first chunk is finished (and the progress bar moves) within a fraction of a second.

    Examples
    --------
    >>> import negotiation as ng
    >>> automatic_chunks(ng.load("security_dilemma")), automatic_chunks(ng.load("nato_enlargement"))
    ((1024, 65536), (8, 128))
    """
    if getattr(scenario, "kind", "normal-form") != "normal-form" or not uses_batch(scenario.game):
        return POINTWISE_CHUNKS
    return BATCH_CHUNKS


def sweep(scenario, grid=None, samples=None, seed=0, priors=None, out=None, format=None,
          chunk_size=None, resume=False, workers=None, map=None, progress=None, values=None,
          max_points=None) -> SweepResult:
    """Equilibria of a scenario at every point of a grid or of a Monte Carlo sample.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A loaded scenario, a scenario file or a bundled model name.
    grid : Grid, mapping or sequence of ``"NAME=START:STOP:NUM"``, optional
        Exact rational axes; the points are their cartesian product (first
        axis slowest).  A mapping takes ``name -> (start, stop, num)`` or
        ``name -> list of values``.
    samples : int, optional
        Number of Monte Carlo points, drawn from ``priors`` (give either
        ``grid`` or ``samples``). A draw that breaks one of the scenario's
        assumptions is discarded and another drawn (rejection sampling,
        :mod:`~negotiation.sweeps.rejection`), so the sample holds ``samples``
        points from the priors conditioned on the assumptions;
        ``result.acceptance`` says how many draws that took (at most
        :data:`~negotiation.sweeps.rejection.MAX_CANDIDATES_PER_SAMPLE` per
        point). A grid point that breaks an assumption is an error.
    seed : int
        Seed of the Monte Carlo draws.  Block ``b`` of
        :data:`~negotiation.core.priors.SAMPLE_BLOCK` points uses
        ``SeedSequence(seed, spawn_key=(b,))``, so the numbers do not depend on
        ``chunk_size``, ``workers`` or ``map``.
    priors : mapping or sequence of ``"NAME=SPEC"``, optional
        ``name -> Prior`` (or a spec such as ``"beta:2:5"``).  Defaults to the
        scenario's declared priors (attribute ``priors``, if any).
    out : str or Path, optional
        Where the table goes: a CSV file, or for Parquet a dataset folder
        (``out/part-00000000.parquet``, one file per chunk, in order; read it
        with :func:`~negotiation.sweeps.read_table`, ``pandas.read_parquet(out)`` or
        ``pyarrow.dataset``).  Without ``out`` the table is kept in memory
        (:meth:`SweepResult.table`).  Small ``<out>.progress`` and
        ``<out>.outcomes`` records beside it make ``resume`` possible; ``<out>.lock``
        keeps a second sweep from writing the same table while this one runs
        (it stops with an error naming this one).  A full disk or an
        unwritable path is an error naming the file; the table keeps the
        chunks finished before it, never part of one.
    format : {"csv", "parquet"}, optional
        Default: from the suffix of ``out`` (CSV unless it ends in ``.parquet``).
    chunk_size : int, optional
        Points per chunk: the unit of work, of writing and of resuming (at most
        :data:`~negotiation.sweeps.limits.MAX_CHUNK_SIZE`); every chunk but the
        last holds that many. Default (``None``): chunks that start small and
        double up to 65,536 points (games solved in batches) or 128 points
        (game trees and games solved point by point), so that the first chunk
        finishes, and the progress bar moves, within a fraction of a second
        (:func:`automatic_chunks`). The table is the same whatever the chunks.
    resume : bool
        Continue an interrupted sweep into the same ``out`` (same settings):
        the partial tail is cut off and the missing chunks are computed; the
        file ends up byte for byte as an uninterrupted run would leave it.
        Ctrl-C (``KeyboardInterrupt``) stops a sweep into a file cleanly: it
        raises :class:`~negotiation.sweeps.runner.SweepInterrupted` with the
        chunks kept, and ``resume=True`` continues.
    workers : int, optional
        Local processes (``concurrent.futures.ProcessPoolExecutor``), capped at
        the CPUs and at the chunks to compute (the cap is noted in
        ``result.messages``).
    map : callable, optional
        Any ``map``-like callable, e.g. ``client.get_executor().map`` of a
        Dask ``Client``; it is called with a module-level function and an
        iterable of picklable tasks, and must return results in input order.
    progress : bool or callable, optional
        ``True``: a progress bar on stderr, counting points, with their rate
        and the time left; ``None``: the bar only when stderr is a terminal;
        ``False``: none. :func:`negotiation.core.progress.silenced` (the
        command line's ``--quiet``) silences it in every case. A callable is
        called as ``progress(chunks_done, n_chunks, points_done, n_points)``
        after each committed chunk (and draws no bar).
    values : mapping, optional
        Values of parameters that are not swept (others keep their defaults).
    max_points : int, optional
        The most points a grid (and each of its axes) or a sample may have;
        default :data:`~negotiation.sweeps.limits.MAX_POINTS` (10,000,000).
        Checked before anything is computed or allocated.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> import negotiation as ng
    >>> scenario = ng.load("security_dilemma")
    >>> result = sweep(scenario, grid=["omega=0:1/2:3"])
    >>> result.classifications()
    ['Harmony', 'Stag Hunt', "Prisoner's Dilemma"]
    >>> table = result.table()
    >>> list(table["omega"]), list(table["kind"])
    ([0.0, 0.25, 0.25, 0.25, 0.5], ['pure', 'pure', 'mixed', 'pure', 'pure'])
    >>> [round(deploy, 6) for deploy in table["NATO: Deploy"]]
    [0.0, 0.0, 0.333333, 1.0, 1.0]
    """
    started = time.perf_counter()
    if isinstance(scenario, (str, os.PathLike)):
        scenario = load(scenario)
    first_chunk = 0
    if chunk_size is None:
        first_chunk, chunk_size = automatic_chunks(scenario)
    plan = make_plan(scenario, grid, samples, seed, priors, out, format, chunk_size, values, max_points, first_chunk)
    return Runner(plan, Path(out) if out is not None else None, resume).run(workers, map, progress, started)
