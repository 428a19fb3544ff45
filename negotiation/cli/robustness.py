"""``negotiation robustness MODEL``: for each claim a scenario file declares (``[[claims]]``), whether it holds
at the defaults, the share of the documented parameter space where it holds (Monte Carlo over the
assumption-tagged parameters, with a Wilson 95 % interval and the acceptance rate of the assumptions), the
exact flip points of each parameter alone where the model allows, and the parameters it is most sensitive
to (:func:`negotiation.robustness`)."""

from __future__ import annotations

from negotiation.cli.arguments import FORMATS, UserError, load_model, render, write_text
from negotiation.cli.kinds import require
from negotiation.report.figures import figure_format, write_figure
from negotiation.report.robustness import plot_robustness
from negotiation.sweeps.robustness import (
    DEFAULT_SAMPLES,
    MAX_ROBUSTNESS_SAMPLES,
    robustness,
)

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``negotiation robustness MODEL`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "robustness", help="how robust each claim of a model is: its share of the assumption space, where it flips",
        description="For each [[claims]] entry of the scenario: whether it holds at the defaults, the share of "
                    "the documented parameter space where it holds (every assumption-tagged parameter drawn "
                    "over its range or declared prior, draws that break the assumptions redrawn), a Wilson 95 % "
                    "interval, the exact flip points of each parameter alone (2×2 strategic-form claims) and "
                    "the parameters the claim is most sensitive to.")
    parser.add_argument("path", metavar="MODEL", help="scenario .toml with [[claims]], or a bundled model name")
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, metavar="N",
                        help=f"points to sample (default: {DEFAULT_SAMPLES}; at most {MAX_ROBUSTNESS_SAMPLES:,})")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default: 0)")
    parser.add_argument("--claim", action="append", metavar="ID", help="assess only this claim (repeatable)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE instead of printing it")
    parser.add_argument("--plot", metavar="FILE", help="save the figure (a bar per claim) to FILE (.png, .pdf, .svg)")
    parser.add_argument("--out", metavar="DIR", help="keep each point's verdicts in DIR, so that the run can resume")
    parser.add_argument("--resume", action="store_true", help="continue the interrupted run in --out DIR")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    """Run ``negotiation robustness``; prints the result, returns 0 (bad input raises NegotiationError)."""
    if args.plot is not None:
        figure_format(args.plot, option="--plot")  # before the work: the suffix names the format
    if args.resume and not args.out:
        raise UserError("--resume: needs --out DIR (the directory of the run to continue)")
    scenario = load_model(args.path)
    require(scenario, "robustness", args.path)
    result = robustness(scenario, samples=args.samples, seed=args.seed, claims=args.claim, out=args.out,
                        resume=args.resume)
    if args.plot:
        write_figure(plot_robustness(result), args.plot)
    write_text(render(result, args.format), args.output)
    return 0
