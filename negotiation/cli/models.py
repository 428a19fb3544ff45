"""``negotiation models``: the bundled scenarios, one line each (or JSON)."""

from __future__ import annotations

import json

from negotiation.scenario.catalogue import catalogue

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``models`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser("models", help="list the bundled scenarios",
                                   description="The bundled scenarios: name, kind and title of each.")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: one line per model (default); json: name, id, title, kind, parameters, path")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    # The heads of the bundled files are enough: no model is built, so the list is instant.
    entries = catalogue()
    if args.format == "json":
        print(json.dumps([entry.to_dict() for entry in entries], indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print("No bundled models found.")
        return 0
    width = max(len(entry.name) for entry in entries)
    kind_width = max(len(entry.kind) for entry in entries)
    for entry in entries:
        print(f"{entry.name.ljust(width)}  {entry.kind.ljust(kind_width)}  {entry.title}")
    return 0
