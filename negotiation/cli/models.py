"""``negotiation models``: the bundled scenarios, one line each (or JSON)."""

from __future__ import annotations

import json

from negotiation.cli.arguments import load_model
from negotiation.scenario import bundled_models

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
    models = bundled_models()
    if args.format == "json":
        entries = []
        for name, path in models.items():
            scenario = load_model(path)
            entries.append({"name": name, "id": scenario.id, "title": scenario.title, "kind": scenario.kind,
                            "parameters": list(scenario.parameters.names), "path": str(path)})
        print(json.dumps(entries, indent=2, ensure_ascii=False))
        return 0
    rows = []
    for name, path in models.items():
        scenario = load_model(path)
        rows.append((name, scenario.kind, scenario.title))
    if not rows:
        print("No bundled models found.")
        return 0
    width = max(len(r[0]) for r in rows)
    kind_width = max(len(r[1]) for r in rows)
    for name, kind, title in rows:
        print(f"{name.ljust(width)}  {kind.ljust(kind_width)}  {title}")
    return 0
