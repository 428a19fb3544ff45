"""Running a plan: chunks computed in this process, in local processes or through any ``map``, and
written in order while the next ones are computed.

Workers compile the plan once per process (:func:`compiled`) and return each chunk encoded
(:class:`~negotiation.sweeps.plan.ChunkOutput`); the parent writes chunk k in a background thread
while chunk k + 1 is computed, commits it to the progress record, and keeps each point's
equilibrium set and classic game in memory.

Local worker processes are capped at the CPUs and at the chunks left
(:func:`~negotiation.sweeps.limits.worker_count`; the cap is said in ``result.messages``) and
ignore Ctrl-C: the parent stops them. Ctrl-C (``KeyboardInterrupt``) stops a sweep cleanly: the
chunk being written is finished and committed, the chunks being computed are dropped, the table
is cut back to its progress record and :class:`SweepInterrupted` says how far it got;
``resume=True`` continues from there.
"""

from __future__ import annotations

import builtins
import signal
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.core.progress import progress_bar
from negotiation.sweeps.compiled import CompiledGame
from negotiation.sweeps.labels import column_names, is_tree
from negotiation.sweeps.limits import worker_count
from negotiation.sweeps.output import SweepOutput
from negotiation.sweeps.plan import ChunkOutput, Plan
from negotiation.sweeps.result import SweepResult
from negotiation.sweeps.trees import CompiledTree
from negotiation.sweeps.writers import have_pyarrow

__all__ = ["Runner", "SweepInterrupted", "compiled", "run_chunk"]

#: Write chunk k in a background thread while chunk k + 1 is computed.
BACKGROUND_WRITES = True
#: Chunks handed to a ``map`` callable at a time (bounds the results held in memory).
WINDOW = 8

# ====================================================================== per-process compilation
_COMPILED: dict = {}


def compiled(plan: Plan) -> CompiledGame:
    """The plan compiled in this process (once; a few recent plans are kept)."""
    found = _COMPILED.get(plan.key)
    if found is None:
        if len(_COMPILED) > 8:
            _COMPILED.clear()
        found = _COMPILED[plan.key] = (CompiledTree if is_tree(plan.scenario) else CompiledGame)(plan)
    return found


def run_chunk(task) -> ChunkOutput:
    """Compute one chunk (module level, so that process pools and Dask can pickle it)."""
    plan, chunk = task
    return compiled(plan).run(chunk)


def _ignore_interrupts() -> None:
    """Worker processes leave Ctrl-C to the parent (which stops them); otherwise each prints a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """Stop the worker processes now (after Ctrl-C): their chunks are dropped, not waited for.

    ``ProcessPoolExecutor`` has no public way to end running tasks before Python 3.14
    (``terminate_workers``); its ``_processes`` are the worker processes.
    """
    executor.shutdown(wait=False, cancel_futures=True)
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a sweep into a file: ``chunks_done`` of ``n_chunks`` chunks are committed in ``out``
    (``resumable``: ``resume=True`` continues from there)."""

    def __init__(self, out, chunks_done: int, n_chunks: int, resumable: bool):
        super().__init__(f"{out}: interrupted after {chunks_done} of {n_chunks} chunks")
        self.out, self.chunks_done, self.n_chunks, self.resumable = out, chunks_done, n_chunks, resumable


def _prepare_parent(plan: Plan) -> None:
    """Compile the plan and import what the workers need before they are forked (they inherit both)."""
    compiled(plan)
    if plan.output == "memory":
        import pandas  # noqa: F401

    if plan.output != "memory" and have_pyarrow():
        import pyarrow.compute  # noqa: F401
        import pyarrow.csv  # noqa: F401
        if plan.output == "parquet":
            import pyarrow.parquet  # noqa: F401


# ====================================================================== categories of the points
class _Categories:
    """Per point: a code into labels that grow as chunks arrive (equilibrium sets or classic games)."""

    def __init__(self, n_points: int, fill: int):
        self.codes = np.full(n_points, fill, dtype=np.int32)
        self.labels: list = []
        self._index: dict = {}

    def code(self, label: str) -> int:
        found = self._index.get(label)
        if found is None:
            found = self._index[label] = len(self.labels)
            self.labels.append(label)
        return found

    def record(self, start: int, stop: int, codes, labels) -> None:
        mapping = np.array([self.code(label) for label in labels], dtype=np.int32)
        self.codes[start:stop] = mapping[codes]

    def set(self, points, labels) -> None:
        for point, label in zip(points.tolist(), labels):
            self.codes[point] = self.code(label)


# ====================================================================== the run
class Runner:
    """Runs a plan into ``out`` (or into memory) and returns its :class:`SweepResult`."""

    def __init__(self, plan: Plan, out: Path | None, resume: bool):
        self.plan = plan
        self.out = out
        self.resume = resume
        self.classify = "classification" in column_names(plan.scenario)
        try:  # two 4-byte codes per point: all that grows with the grid (see sweeps.limits)
            self.outcomes = _Categories(plan.n_points, -1)
            self.classes = _Categories(plan.n_points, 0) if self.classify else None
        except MemoryError:
            raise NegotiationError(f"{plan.n_points:,} points: not enough memory for their equilibrium sets "
                                   f"({8 * plan.n_points:,} bytes); sweep fewer points (--max-points)") from None
        self.frames = []
        self.n_rows = 0
        self.exact, self.complete = plan.mode == "grid", True
        self.messages: list[str] = []
        self.output = SweepOutput(plan, out) if out is not None else None

    def run(self, workers, map_function, progress, started) -> SweepResult:
        if self.output is None:
            self._run(0, workers, map_function, progress)
            return self._result(0, started)
        with self.output:  # the lock is released however the run ends
            earlier = self.output.start(self.resume)
            for output in earlier:  # what an interrupted run committed (read from <out>.outcomes)
                self._record(output)
            try:
                self._run(len(earlier), workers, map_function, progress)
            except BaseException as error:
                # the chunk being written was finished (see _compute); anything after it goes
                try:
                    self.output.cut_to_committed()
                except NegotiationError:
                    pass
                if isinstance(error, KeyboardInterrupt):
                    raise SweepInterrupted(self.out, self.output.chunks_done, self.plan.n_chunks,
                                           not self.output.special) from None
                raise
            self.output.finish()
        return self._result(len(earlier), started)

    def _run(self, done: int, workers, map_function, progress) -> None:
        plan = self.plan
        bar = _Progress(progress, plan, done)
        try:
            self._compute(list(range(done, plan.n_chunks)), workers, map_function, bar, done)
        finally:
            bar.close()

    def _pool(self, workers, todo: int) -> tuple[ProcessPoolExecutor | None, int]:
        """A process pool of ``workers`` capped at the CPUs and the chunks ``todo`` (``None``: run here),
        and its size."""
        if workers is None or todo == 0:
            return None, 1
        used, note = worker_count(workers, todo)
        if note:
            self.messages.append(note)
        if used < 2:
            return None, 1
        _prepare_parent(self.plan)  # forked workers inherit compiled payoffs and imported modules
        return ProcessPoolExecutor(max_workers=used, initializer=_ignore_interrupts), used

    def _compute(self, todo, workers, map_function, bar, done) -> None:
        """Compute the chunks ``todo`` and commit them in order.

        File output: chunk k is written and fsynced by one background thread while chunk k + 1 is
        computed (file writes and the Arrow/numpy kernels release the GIL). Chunks are still written
        strictly in order, at most one is in flight, and ``progress`` is called only once a chunk is
        committed. On Ctrl-C the chunk in flight is finished, worker processes are stopped and the
        ``KeyboardInterrupt`` goes on.
        """
        plan = self.plan
        executor = writer = pending = None
        if self.output is not None and len(todo) > 1 and BACKGROUND_WRITES:
            writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sweep-writer")
        interrupted = False
        try:
            parallel = int(workers or 1)
            if map_function is None:
                executor, parallel = self._pool(workers, len(todo))
                map_function = executor.map if executor is not None else builtins.map
            window = len(todo) or 1
            if map_function is not builtins.map:
                window = max(WINDOW, 4 * parallel)  # bounds the chunks computed ahead of the writer
            for window_start in range(0, len(todo), window):
                tasks = [(plan, chunk) for chunk in todo[window_start:window_start + window]]
                for output in map_function(run_chunk, tasks):
                    self._record(output)
                    if writer is None:
                        self._commit(output)
                        done += 1
                        bar.update(done, output.stop)
                        continue
                    if pending is not None:
                        pending[0].result()
                        done += 1
                        bar.update(done, pending[1])
                    pending = (writer.submit(self.output.write, output), output.stop)
            if pending is not None:
                pending[0].result()
                done += 1
                bar.update(done, pending[1])
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            if writer is not None:
                writer.shutdown(wait=True)  # a chunk being written is finished (file and record stay consistent)
            if executor is not None:
                if interrupted:
                    _stop_workers(executor)
                else:
                    executor.shutdown(cancel_futures=True)

    def _record(self, output: ChunkOutput) -> None:
        """The chunk's equilibrium sets, classifications and row count (in memory)."""
        self.outcomes.record(output.start, output.stop, output.outcome_codes, output.outcome_labels)
        if self.classify and output.class_codes is not None:
            self.classes.record(output.start, output.stop, output.class_codes, output.class_labels)
        self.n_rows += output.n_rows
        self.exact, self.complete = self.exact and output.exact, self.complete and output.complete

    def _commit(self, output: ChunkOutput) -> None:
        if self.output is None:
            self.frames.append(output.payload.to_frame())
        else:
            self.output.write(output)

    def _result(self, resumed: int, started: float) -> SweepResult:
        plan = self.plan
        frame = None
        if self.out is None:
            import pandas  # heavy: only for sweeps kept in memory

            frame = pandas.concat(self.frames, ignore_index=True) if self.frames else pandas.DataFrame(
                columns=column_names(plan.scenario))
        return SweepResult(
            scenario=plan.scenario, mode=plan.mode, grid=plan.grid, n_samples=plan.n_samples, seed=plan.seed,
            priors=dict(plan.priors), values=dict(plan.fixed), out=self.out,
            format=plan.output, columns=column_names(plan.scenario), n_points=plan.n_points, n_rows=self.n_rows,
            n_chunks=plan.n_chunks, elapsed=time.perf_counter() - started,
            outcome_codes=self.outcomes.codes, outcome_labels=self.outcomes.labels,
            class_codes=self.classes.codes if self.classify else None,
            class_labels=self.classes.labels if self.classify else None,
            resumed_chunks=resumed, exact=self.exact, complete=self.complete, messages=tuple(self.messages),
            acceptance=plan.acceptance, _frame=frame,
        )


class _Progress:
    """After each committed chunk: the bar (points, their rate and the time left; see
    :mod:`negotiation.core.progress`) or the user's callback ``progress(chunks_done, n_chunks, points_done,
    n_points)``."""

    def __init__(self, progress, plan: Plan, chunks_done: int):
        self.callback = progress if callable(progress) else None
        self.n_chunks, self.n_points = plan.n_chunks, plan.n_points
        points_done = plan.bounds(chunks_done - 1)[1] if chunks_done else 0
        enabled = False if self.callback is not None else progress  # None: on a terminal only
        self.bar = progress_bar(plan.n_points, f"sweep {getattr(plan.scenario, 'id', '')}".rstrip(), unit="points",
                                enabled=enabled, initial=points_done, min_interval=0)  # each chunk drawn
        if chunks_done:
            self.update(chunks_done, points_done)

    def update(self, chunks_done: int, points_done: int) -> None:
        if self.callback is not None:
            self.callback(chunks_done, self.n_chunks, points_done, self.n_points)
        self.bar.advance_to(points_done)

    def close(self) -> None:
        self.bar.close()
