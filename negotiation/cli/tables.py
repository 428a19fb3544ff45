"""``negotiation tables``: the main job — every bundled model at its defaults, tables and figures under ``--out``."""

from __future__ import annotations

from pathlib import Path

from negotiation.report.catalogue import write_catalogue

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``tables`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "tables", help="equilibrium tables of every bundled model at its defaults",
        description="Every bundled model at its defaults: tables as text, Markdown, LaTeX, CSV and JSON, one "
                    "figure of each model's key trade-off, and an index (README.md, index.html).")
    parser.add_argument("--out", default="out", metavar="DIR", help="folder for the tables (default: out)")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    """Every bundled model at its defaults: tables, one figure each, and an index, under --out."""
    out = Path(args.out)
    entries = write_catalogue(out)
    figures = sum("figure" in e["files"] for e in entries)
    print(f"Wrote {len(entries)} model table(s) as text, Markdown, LaTeX, CSV and JSON, {figures} figure(s) "
          f"and an index ({out}/README.md, {out}/index.html) to {out}/")
    return 0
