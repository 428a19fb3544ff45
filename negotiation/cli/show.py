"""``negotiation show PATH``: a scenario's parameters (with sources), its model, assumptions and references."""

from __future__ import annotations

from negotiation.core.document import aligned_lines
from negotiation.cli.arguments import load_model, parse_sets
from negotiation.core.numeric import format_number
from negotiation.scenario.model import describe_parameters

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``show`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "show", help="describe a scenario: parameters, payoffs, assumptions, sources",
        description="A scenario's parameters (default, range, unit, source and confidence), its model at the "
                    "defaults or at --set values, its assumptions and references.")
    parser.add_argument("path", metavar="PATH", help="scenario .toml, Gambit file, or a bundled model name")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    scenario = load_model(args.path)
    values = parse_sets(args.set)
    if scenario.kind != "normal-form" and hasattr(scenario, "describe"):
        print(scenario.describe(values))
        return 0
    lines = [scenario.title, "=" * len(scenario.title)]
    if scenario.description:
        lines += ["", scenario.description]
    lines += ["", f"Kind: {scenario.kind}; players: {', '.join(scenario.game.players)}"]
    lines += describe_parameters(scenario.parameters)
    if scenario.derived:
        lines += ["", "Derived quantities:"]
        for name, expression in scenario.derived.items():
            lines.append(f"  {name} = {expression}")
    lines += ["", "Payoffs (row player's payoff first):"]
    lines += _indented(scenario.game.payoff_table())
    if scenario.parameters.parameters:
        numeric = scenario.game_at(values)
        shown = ", ".join(f"{k} = {format_number(v)}" for k, v in numeric.values.items())
        lines += ["", f"Payoffs at {shown}:"]
        lines += _indented(numeric.payoff_table())
    if scenario.assumptions:
        lines += ["", "Assumptions:"]
        for assumption in scenario.assumptions:
            note = f": {assumption.description}" if assumption.description else ""
            lines.append(f"  {assumption.text}{note}")
    if scenario.references:
        lines += ["", "References: " + "; ".join(scenario.references)]
    if scenario.source:
        lines += ["", f"File: {scenario.source}"]
    print("\n".join(lines))
    return 0


def _indented(table) -> list[str]:
    return ["  " + line for line in aligned_lines(table)]
