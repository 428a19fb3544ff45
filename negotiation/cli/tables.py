"""``negotiation tables``: the main job — every bundled model at its defaults, tables and figures under ``--out``."""

from __future__ import annotations

import os
from pathlib import Path

from negotiation.core.errors import NegotiationError
from negotiation.report.catalogue import write_catalogue

__all__ = ["add_parser", "run"]

#: Worker processes by default: the 13 bundled models take 0.3-2 s each, so more than four buy little
#: beside the start of the processes and the longest model.
DEFAULT_JOBS = 4


def add_parser(subparsers):
    """Add ``tables`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "tables", help="equilibrium tables of every bundled model at its defaults",
        description="Every bundled model at its defaults: tables as text, Markdown, LaTeX, CSV and JSON, one "
                    "figure of each model's key trade-off, and an index (README.md, index.html).")
    parser.add_argument("--out", default="out", metavar="DIR", help="folder for the tables (default: out)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="models written at a time, in worker processes on Linux (default: the number of "
                             f"processors, at most {DEFAULT_JOBS}; 1: one after the other in this process)")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    """Every bundled model at its defaults: tables, one figure each, and an index, under --out."""
    out = Path(args.out)
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        raise NegotiationError(f"--jobs must be at least 1, got {jobs}")
    entries = write_catalogue(out, jobs=jobs if jobs is not None else min(DEFAULT_JOBS, os.cpu_count() or 1))
    figures = sum("figure" in e["files"] for e in entries)
    print(f"Wrote {len(entries)} model table(s) as text, Markdown, LaTeX, CSV and JSON, {figures} figure(s) "
          f"and an index ({out}/README.md, {out}/index.html) to {out}/")
    return 0
