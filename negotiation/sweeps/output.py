"""Where a sweep's table goes: a CSV file or a folder of Parquet parts, and its progress record.

Chunks are written **in chunk order**, each one flushed to disk and then committed to the
progress sidecar ``<out>.progress`` (a small JSON file) before the next; ``resume`` cuts the table
back to the last committed chunk and continues, so that the file ends up byte for byte as an
uninterrupted run would leave it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from negotiation.core.errors import NegotiationError
from negotiation.sweeps.labels import column_names
from negotiation.sweeps.plan import ChunkOutput, Plan
from negotiation.sweeps.writers import csv_quote

__all__ = ["SweepOutput", "PROGRESS_SCHEMA"]

PROGRESS_SCHEMA = "negotiation.sweep-progress/1"


def _part_name(chunk: int) -> str:
    return f"part-{chunk:08d}.parquet"


def _write_synced(path: Path, mode: str, payload) -> int:
    """Write ``payload`` to ``path`` and flush it to disk; returns the file's size after writing."""
    with open(path, mode) as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
        return handle.tell()


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


class SweepOutput:
    """The table file (or Parquet folder) of one plan and its progress record."""

    def __init__(self, plan: Plan, out: Path):
        self.plan = plan
        self.out = out
        self.state: dict = {}

    @property
    def sidecar(self) -> Path:
        return self.out.with_name(self.out.name + ".progress")

    @property
    def chunks_done(self) -> int:
        return len(self.state["chunks"])

    @property
    def rows_done(self) -> int:
        return sum(self.state["rows"])

    def _save_state(self) -> None:
        temporary = self.sidecar.with_name(self.sidecar.name + ".tmp")
        temporary.write_text(json.dumps(self.state, indent=1), encoding="utf-8")
        os.replace(temporary, self.sidecar)

    def _load_state(self) -> dict | None:
        try:
            state = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise NegotiationError(f"{self.sidecar}: unreadable progress file ({error}); "
                                   "delete it to start afresh") from None
        if state.get("schema") != PROGRESS_SCHEMA:
            raise NegotiationError(f"{self.sidecar}: not a sweep progress file")
        if state.get("key") != self.plan.key:
            raise NegotiationError(f"{self.out}: --resume with different settings than the interrupted sweep "
                                   "(scenario, grid/samples, seed, priors, values, chunk size and format must "
                                   "be the same)")
        return state

    def start(self, resume: bool) -> None:
        """Open the output: continue an interrupted run (``resume``) or start a new table."""
        plan, out = self.plan, self.out
        if out.parent and not out.parent.exists():
            raise NegotiationError(f"{out}: folder {out.parent} does not exist")
        state = self._load_state() if resume else None
        if state is not None:
            self.state = state
            self._cut_to_committed()
            return
        if resume and out.exists():
            raise NegotiationError(f"{out}: exists but has no progress file {self.sidecar.name}; cannot resume "
                                   "(run without --resume to overwrite)")
        self.state = {"schema": PROGRESS_SCHEMA, "key": plan.key, "n_chunks": plan.n_chunks,
                      "chunk_size": plan.chunk_size, "n_points": plan.n_points, "chunks": [], "rows": [],
                      "bytes": [], "header": 0, "complete": False}
        if plan.output == "csv":
            header = (",".join(csv_quote(n) for n in column_names(plan.scenario)) + "\n").encode("utf-8")
            _write_synced(out, "wb", header)
            self.state["header"] = len(header)
        else:
            _prepare_dataset_folder(out)
        self._save_state()

    def _cut_to_committed(self) -> None:
        """Remove what an interrupted run wrote after its last committed chunk."""
        out, state = self.out, self.state
        if self.plan.output == "csv":
            size = out.stat().st_size if out.exists() else -1
            committed = state["bytes"][-1] if state["bytes"] else state["header"]
            if size < committed:
                raise NegotiationError(f"{out}: file is shorter than its progress record says; cannot resume")
            with open(out, "r+b") as handle:
                handle.truncate(committed)
            return
        out.mkdir(exist_ok=True)
        keep = {_part_name(c) for c in state["chunks"]}
        for part in out.iterdir():
            if part.name not in keep and part.name.startswith("part-"):
                part.unlink()

    def write(self, output: ChunkOutput) -> None:
        """Append (CSV) or write (Parquet part) the chunk, fsync it, then record it in the sidecar."""
        if self.plan.output == "csv":
            self.state["bytes"].append(_write_synced(self.out, "ab", output.payload))
        else:
            part = self.out / _part_name(output.chunk)
            temporary = part.with_name(part.name + ".tmp")
            _write_synced(temporary, "wb", output.payload)
            os.replace(temporary, part)
        self.state["chunks"].append(output.chunk)
        self.state["rows"].append(output.n_rows)
        self._save_state()

    def finish(self) -> None:
        if self.state.get("complete"):
            return
        self.state["complete"] = True
        self._save_state()
