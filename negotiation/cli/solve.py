"""``negotiation solve PATH``: equilibria (or the analysis) of one model at one parameter point."""

from __future__ import annotations

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
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    """Solve through the front door (values resolved once, as ``ng.solve`` does) and print the result."""
    result = solve(load_model(args.path), method=args.method, values=parse_sets(args.set))
    print(render(result, args.format))
    if args.format == "csv":  # each analysis is a table of its own
        for analysis in result.analyses.values():
            print()
            print(analysis.to_csv().rstrip("\n"))
    return 0
