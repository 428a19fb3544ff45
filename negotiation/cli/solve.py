"""``negotiation solve PATH``: equilibria (or the analysis) of one model at one parameter point."""

from __future__ import annotations

import argparse

from negotiation.cli.arguments import FORMATS, load_model, parse_sets, render
from negotiation.solvers import METHODS, solve

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``solve`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "solve", help="equilibria of one model at one parameter point",
        description="Equilibria of a scenario (.toml), a Gambit .nfg or .efg file or a bundled model at its "
                    "defaults or at --set values; a bargaining model gives its zone of agreement and solutions.")
    parser.add_argument("path", metavar="PATH", help="scenario .toml, Gambit .nfg/.efg, or a bundled model name")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.add_argument("--method", default="auto",
                        help=f"auto; strategic form: {', '.join(METHODS)}; trees: backward_induction, "
                             "sequence_form (and the strategic-form methods on the reduced form); signaling: "
                             "pure_pbe; continuous: first_order_conditions, best_response_iteration, complementarity")
    parser.add_argument("--max-work", dest="max_work", type=_positive_int, default=None, metavar="N",
                        help="raise the work budget of an exhaustive method (vertex_enumeration: basis "
                             "steps, default 700000; support_enumeration_polynomial: support profiles, 150; "
                             "correlated: constraint entries, 100000; lemke_howson_enumeration: tableau entries, "
                             "3000000); past it the method refuses before it starts")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.set_defaults(handler=run)
    return parser


def _positive_int(text: str) -> int:
    """``--max-work``: a positive whole number."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def run(args) -> int:
    """Solve through the front door (values resolved once, as ``ng.solve`` does) and print the result."""
    options = {} if args.max_work is None else {"max_work": args.max_work}
    result = solve(load_model(args.path), method=args.method, values=parse_sets(args.set), **options)
    print(render(result, args.format))
    if args.format == "csv":  # each analysis is a table of its own
        for analysis in result.analyses.values():
            print()
            print(analysis.to_csv().rstrip("\n"))
    return 0
