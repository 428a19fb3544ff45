"""``negotiation derive PATH``: symbolic equilibrium conditions, regions and thresholds.

Wire into the main parser with :func:`add_parser`; the handler is
:func:`run`. Bad input raises ``ValueError`` with a one-line message, which
``negotiation.cli.main`` reports with exit status 1.
"""

from __future__ import annotations

import argparse
import json

from negotiation.cli.kinds import require
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import parse_assignments
from negotiation.scenario import load
from negotiation.symbolic import derive
from negotiation.symbolic.simplify import DERIVATION_SECONDS

__all__ = ["add_parser", "run", "FORMATS"]

FORMATS = ("text", "latex", "json")


def _parse_sets(items) -> dict:
    return parse_assignments(items)


def _seconds(text: str) -> float:
    """``--time-limit``: a non-negative number of seconds."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds (0 or more), got {text!r}")
    return seconds


def run(args) -> int:
    """Run ``negotiation derive`` with parsed ``args``; prints the derivation, returns 0.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="negotiation")
    >>> _ = add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["derive", "security_dilemma", "--format", "json", "--parameter", "phi"])
    >>> import contextlib, io, json
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     status = args.handler(args)
    >>> status, [t["value"] for t in json.loads(out.getvalue())["thresholds"]]
    (0, ['1', '3/5'])
    """
    options = {"thresholds_for": args.parameter} if args.parameter else {}
    time_limit = getattr(args, "time_limit", DERIVATION_SECONDS)  # a Namespace built by hand may leave it out
    if time_limit != DERIVATION_SECONDS:
        options["time_limit"] = time_limit or None
    scenario = load(args.path)
    require(scenario, "derive", args.path)
    if args.parameter and scenario.kind != "normal-form":  # only the strategic form's derivation takes it
        raise NegotiationError(f"--parameter: applies to normal-form scenarios; {args.path} is {scenario.kind}")
    derivation = derive(scenario, _parse_sets(args.set), **options)
    if args.format == "json":
        print(json.dumps(derivation.to_dict(), indent=2, ensure_ascii=False))
    elif args.format == "latex":
        print(derivation.to_latex())
    else:
        print(derivation.to_text())
    return 0


def add_parser(subparsers):
    """Add the ``derive`` subcommand to an ``argparse`` subparsers object; returns its parser."""
    parser = subparsers.add_parser(
        "derive", help="symbolic conditions: where each equilibrium holds, classic-game regions, thresholds",
        description="Exact conditions on the parameters under which each pure profile and each mixed "
                    "equilibrium holds, the classic-game regions of symmetric 2x2 games, and the "
                    "thresholds where the equilibria change.")
    parser.add_argument("path", metavar="PATH", help="scenario .toml, a bundled model name, or - for standard input")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE",
                        help="fix a parameter and derive in the others (repeatable)")
    parser.add_argument("--parameter", action="append", metavar="NAME",
                        help="report thresholds for this parameter only (repeatable)")
    parser.add_argument("--time-limit", type=_seconds, default=DERIVATION_SECONDS, metavar="SECONDS",
                        help=f"stop a derivation still running after SECONDS (default {DERIVATION_SECONDS:g}; "
                             "0: no limit)")
    parser.set_defaults(handler=run)
    return parser
