"""Where a sweep's table goes: a CSV file or a folder of Parquet parts, its lock and its progress record.

Three small files sit beside the table ``<out>``:

``<out>.lock``
    held for the whole run (:mod:`~negotiation.sweeps.lock`): one writer per table;
``<out>.progress``
    the progress record, a small JSON object of fixed size: how many chunks, rows and bytes of
    the table are committed;
    A Monte Carlo sample whose draws can break an assumption also records its rejection sampling
    (``"draws"``: candidates drawn, points accepted, acceptance rate, rejections per assumption;
    :mod:`~negotiation.sweeps.rejection`); ``resume`` checks that it draws the same again;
``<out>.outcomes``
    one line per committed chunk: its points' equilibrium sets and classic games (codes and
    labels) and whether it is exact and complete, so that ``resume`` knows the finished points
    without reading the table back.

Chunks are written **in chunk order**: the table part is flushed to disk, then the chunk's line
of outcomes, then the record is replaced (atomically). Whatever lies beyond the record — a chunk
cut by a crash, a full disk or Ctrl-C — is removed (:meth:`SweepOutput.cut_to_committed`) when
the sweep stops and again when it resumes, so the table never holds part of a chunk and ends up
byte for byte as an uninterrupted run would leave it.

A full disk or an unwritable path is a one-line :class:`~negotiation.core.errors.NegotiationError`
naming the file. An output that is not a regular file (``/dev/null``, a pipe) is written straight
through, without lock, record or resume.
"""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.sweeps.labels import column_names
from negotiation.sweeps.lock import OutputLock
from negotiation.sweeps.plan import ChunkOutput, Plan
from negotiation.sweeps.writers import csv_quote

__all__ = ["SweepOutput", "PROGRESS_SCHEMA"]

PROGRESS_SCHEMA = "negotiation.sweep-progress/2"


def _part_name(chunk: int) -> str:
    return f"part-{chunk:08d}.parquet"


def _write_synced(path: Path, mode: str, payload) -> int:
    """Write ``payload`` to ``path`` and flush it to disk; returns the file's size after writing."""
    with open(path, mode) as handle:
        handle.write(payload)
        handle.flush()
        if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # a pipe or a device cannot be synced
            os.fsync(handle.fileno())
        return handle.tell()


def _truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(size)


def _prepare_dataset_folder(folder: Path) -> None:
    """An empty folder for the Parquet parts; refuses to clear a folder holding anything else."""
    if folder.is_file():
        folder.unlink()
    if folder.is_dir():
        foreign = [p.name for p in folder.iterdir() if not p.name.startswith("part-")]
        if foreign:
            raise NegotiationError(f"{folder}: folder exists and holds other files ({foreign[0]}); "
                                   "choose another --out")
        for part in folder.iterdir():
            part.unlink()
    else:
        folder.mkdir()


def _codes(array) -> str | None:
    return None if array is None else base64.b64encode(np.asarray(array, dtype="<i4").tobytes()).decode("ascii")


def _array(text) -> np.ndarray | None:
    return None if text is None else np.frombuffer(base64.b64decode(text), dtype="<i4").astype(np.int32)


def _is_special(out: Path) -> bool:
    """An existing output that is neither a regular file nor a folder (a device, a pipe)."""
    try:
        mode = os.stat(out).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


class SweepOutput:
    """The table file (or Parquet folder) of one plan, its lock, progress record and outcomes.

    Use it as a context manager (or call :meth:`close`): the lock is released however the run ends.
    """

    def __init__(self, plan: Plan, out: Path):
        self.plan = plan
        self.out = Path(out)
        self.special = _is_special(self.out)
        self.lock = OutputLock(self.out)
        self.state: dict = {}

    @property
    def sidecar(self) -> Path:
        return self.out.with_name(self.out.name + ".progress")

    @property
    def outcomes_file(self) -> Path:
        return self.out.with_name(self.out.name + ".outcomes")

    @property
    def chunks_done(self) -> int:
        return self.state.get("chunks_done", 0)

    @property
    def rows_done(self) -> int:
        return self.state.get("rows_done", 0)

    # ---------------------------------------------------------------- the progress record
    def _save_state(self, state: dict) -> None:
        temporary = self.sidecar.with_name(self.sidecar.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(state, indent=1))
        os.replace(temporary, self.sidecar)
        self.state = state

    def _load_state(self) -> dict | None:
        try:
            state = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise NegotiationError(f"{self.sidecar}: unreadable progress file ({error}); "
                                   "delete it to start afresh") from None
        if not isinstance(state, dict) or not str(state.get("schema", "")).startswith("negotiation.sweep-progress/"):
            raise NegotiationError(f"{self.sidecar}: not a sweep progress file")
        if state["schema"] != PROGRESS_SCHEMA:
            raise NegotiationError(f"{self.sidecar}: written by another version of negotiation; cannot resume "
                                   "(run without --resume to start afresh)")
        if state.get("key") != self.plan.key:
            raise NegotiationError(f"{self.out}: --resume with different settings than the interrupted sweep "
                                   "(scenario, grid/samples, seed, priors, values, chunk size and format must "
                                   "be the same)")
        return state

    # ---------------------------------------------------------------- opening
    def start(self, resume: bool) -> list:
        """Lock the output and open it: continue an interrupted run (``resume``) or start a new table.

        Returns the committed chunks of the earlier run (``resume``; as :class:`ChunkOutput` without
        payload, in order), else ``[]``.
        """
        plan, out = self.plan, self.out
        if out.parent and not out.parent.exists():
            raise NegotiationError(f"{out}: folder {out.parent} does not exist")
        if self.special:
            return self._start_special(resume)
        self.lock.acquire()
        state = self._load_state() if resume else None
        if state is not None:
            self._check_draws(state)
            self.state = state
            self.cut_to_committed()
            return self._read_outcomes()
        if resume and out.exists():
            raise NegotiationError(f"{out}: exists but has no progress file {self.sidecar.name}; cannot resume "
                                   "(run without --resume to overwrite)")
        state = {"schema": PROGRESS_SCHEMA, "key": plan.key, "n_chunks": plan.n_chunks,
                 "chunk_size": plan.chunk_size, "n_points": plan.n_points, "chunks_done": 0, "rows_done": 0,
                 "table_bytes": 0, "outcome_bytes": 0, "complete": False}
        if plan.acceptance is not None:
            state["draws"] = plan.acceptance.to_dict()
        with self._writing(self.sidecar):
            self.sidecar.unlink(missing_ok=True)  # an old record must never describe the new table
        with self._writing(out):
            if plan.output == "csv":
                state["table_bytes"] = _write_synced(out, "wb", self._header())
            else:
                _prepare_dataset_folder(out)
        with self._writing(self.outcomes_file):
            _write_synced(self.outcomes_file, "wb", b"")
        with self._writing(self.sidecar):
            self._save_state(state)
        return []

    def _check_draws(self, state: dict) -> None:
        """The interrupted run drew and accepted the candidates this one does (same rejection pre-pass).

        A record without ``"draws"`` (written before rejection sampling) is taken as it is: that run stopped at
        the first draw that broke an assumption, so the points it committed are the first candidates, which
        are this run's first points too."""
        acceptance = self.plan.acceptance
        recorded = state.get("draws")
        if recorded is None:
            return
        if acceptance is None or recorded.get("candidates") != acceptance.n_candidates:
            raise NegotiationError(f"{self.sidecar}: the interrupted sweep accepted other draws than this one "
                                   "(a different version of the assumptions' test); cannot resume (run without "
                                   "--resume to start afresh)")

    def _start_special(self, resume: bool) -> list:
        """A device or a pipe: the table is written straight through (no lock, record or resume)."""
        if resume:
            raise NegotiationError(f"{self.out}: not a regular file; --resume needs a table file")
        if self.plan.output != "csv":
            raise NegotiationError(f"{self.out}: not a folder; Parquet output is a folder of parts")
        with self._writing(self.out):
            _write_synced(self.out, "wb", self._header())
        self.state = {"chunks_done": 0, "rows_done": 0}
        return []

    def _header(self) -> bytes:
        return (",".join(csv_quote(n) for n in column_names(self.plan.scenario)) + "\n").encode("utf-8")

    def _read_outcomes(self) -> list:
        """The committed chunks' outcomes, from ``<out>.outcomes`` (cut to the record already)."""
        chunks = []
        try:
            with open(self.outcomes_file, "rb") as handle:
                lines = handle.read().splitlines()
        except OSError as error:
            raise NegotiationError(f"{self.outcomes_file}: cannot read ({error.strerror}); cannot resume "
                                   "(run without --resume to start afresh)") from None
        for line in lines:
            record = json.loads(line)
            start, stop = self.plan.bounds(record["chunk"])
            chunks.append(ChunkOutput(record["chunk"], start, stop, None, record["rows"], _array(record["codes"]),
                                      record["labels"], _array(record["class_codes"]), record["class_labels"],
                                      record["exact"], record["complete"]))
        if len(chunks) != self.chunks_done or any(c.chunk != k for k, c in enumerate(chunks)):
            raise NegotiationError(f"{self.outcomes_file}: does not match the progress record; cannot resume "
                                   "(run without --resume to start afresh)")
        return chunks

    def cut_to_committed(self) -> None:
        """Remove what was written after the last committed chunk (a chunk cut short by a crash, a full disk
        or an interruption), in the table and in the outcomes."""
        if self.special or not self.state:
            return
        out, state = self.out, self.state
        with self._writing(out):
            if self.plan.output == "csv":
                size = out.stat().st_size if out.exists() else -1
                if size < state["table_bytes"]:
                    raise NegotiationError(f"{out}: file is shorter than its progress record says; cannot resume")
                if size > state["table_bytes"]:
                    _truncate(out, state["table_bytes"])
            else:
                out.mkdir(exist_ok=True)
                keep = {_part_name(c) for c in range(state["chunks_done"])}
                for part in out.iterdir():
                    if part.name not in keep and part.name.startswith("part-"):
                        part.unlink()
        with self._writing(self.outcomes_file):
            size = self.outcomes_file.stat().st_size if self.outcomes_file.exists() else -1
            if size < state["outcome_bytes"]:
                raise NegotiationError(f"{self.outcomes_file}: shorter than the progress record says; cannot "
                                       "resume (run without --resume to start afresh)")
            if size > state["outcome_bytes"]:
                _truncate(self.outcomes_file, state["outcome_bytes"])

    # ---------------------------------------------------------------- writing
    def write(self, output: ChunkOutput) -> None:
        """Append (CSV) or write (Parquet part) the chunk and its outcomes, flushed to disk, then commit it in
        the record. If anything fails, the chunk is removed again and the error names the file."""
        if self.special:
            with self._writing(self.out):
                _write_synced(self.out, "ab", output.payload)
            self.state = {"chunks_done": self.chunks_done + 1, "rows_done": self.rows_done + output.n_rows}
            return
        state = dict(self.state)
        target = self.out
        try:
            if self.plan.output == "csv":
                state["table_bytes"] = _write_synced(self.out, "ab", output.payload)
            else:
                target = self.out / _part_name(output.chunk)
                temporary = target.with_name(target.name + ".tmp")
                _write_synced(temporary, "wb", output.payload)
                os.replace(temporary, target)
            target = self.outcomes_file
            state["outcome_bytes"] = _write_synced(self.outcomes_file, "ab", self._outcome_line(output))
            target = self.sidecar
            state["chunks_done"] += 1
            state["rows_done"] += output.n_rows
            self._save_state(state)
        except OSError as error:
            self._roll_back()
            raise self._error(error, target) from None

    @staticmethod
    def _outcome_line(output: ChunkOutput) -> bytes:
        """The chunk's line of ``<out>.outcomes``: ``json.dumps`` of its record, byte for byte.

        The codes (base64, a third more characters than 4 bytes a point) are put in as they are: their
        alphabet needs no JSON escape, and having ``json`` scan them cost 60 ns a point.
        """
        head = {"chunk": output.chunk, "rows": output.n_rows, "exact": bool(output.exact),
                "complete": bool(output.complete), "labels": list(output.outcome_labels)}
        class_labels = list(output.class_labels) if output.class_labels is not None else None

        def text(codes) -> bytes:
            if codes is None:
                return b"null"
            return b'"' + base64.b64encode(np.asarray(codes, dtype="<i4").tobytes()) + b'"'

        return b"".join([json.dumps(head, separators=(",", ":"))[:-1].encode("utf-8"), b',"codes":',
                         text(output.outcome_codes), b',"class_labels":',
                         json.dumps(class_labels, separators=(",", ":")).encode("utf-8"), b',"class_codes":',
                         text(output.class_codes), b"}\n"])

    def _roll_back(self) -> None:
        """After a failed write: back to the last committed chunk (best effort: the disk may still refuse)."""
        try:
            self.sidecar.with_name(self.sidecar.name + ".tmp").unlink(missing_ok=True)
            if self.plan.output == "parquet":
                for part in self.out.glob("part-*.tmp"):
                    part.unlink()
            self.cut_to_committed()
        except (OSError, NegotiationError):
            pass

    def finish(self) -> None:
        if self.special or self.state.get("complete"):
            return
        with self._writing(self.sidecar):
            self._save_state({**self.state, "complete": True})

    def close(self) -> None:
        """Release the lock (the table and its record stay)."""
        self.lock.release()

    def __enter__(self) -> "SweepOutput":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- errors
    def _error(self, error: OSError, target: Path) -> NegotiationError:
        """One line naming the file that could not be written and what the table still holds."""
        reason = error.strerror or str(error)
        kept = self.chunks_done
        if self.special or not kept:
            return NegotiationError(f"{target}: cannot write the sweep table ({reason})")
        return NegotiationError(f"{target}: cannot write the sweep table ({reason}); {self.out} keeps its "
                                f"{kept} finished chunk{'s' if kept != 1 else ''} (--resume continues)")

    def _writing(self, target: Path):
        return _Writing(self, target)


class _Writing:
    """``with output._writing(path):`` turns an ``OSError`` into a one-line error naming ``path``."""

    def __init__(self, output: SweepOutput, target: Path):
        self.output, self.target = output, target

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, OSError):
            raise self.output._error(error, self.target) from None
        return False
