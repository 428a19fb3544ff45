"""``negotiation show PATH``: a scenario's parameters (with sources), its model, assumptions and references."""

from __future__ import annotations

from negotiation.cli.arguments import load_model, parse_sets

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``show`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "show", help="describe a scenario: parameters, payoffs, assumptions, sources",
        description="A scenario's parameters (default, range, unit, source and confidence), its model at the "
                    "defaults or at --set values, its assumptions and references.")
    parser.add_argument("path", metavar="PATH", help="scenario .toml, Gambit .nfg/.efg, JSON model, a bundled model name, or - for "
                        "standard input")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    """Print the scenario's description (its kind says what is in it)."""
    print(load_model(args.path).describe(parse_sets(args.set)))
    return 0
