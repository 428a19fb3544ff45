"""``negotiation estimate``: fit a model to data by maximum likelihood.

* ``negotiation estimate MODEL --counts FILE.csv [--fit NAME,...]``: the logit QRE of a strategic-form game
  fitted to observed choice counts (a CSV file ``player,strategy,count`` with labels), λ and optionally
  payoff parameters of the scenario (:func:`negotiation.solvers.qre_estimation.estimate_qre`);
* ``negotiation estimate --outcomes FILE.csv --utility 'U1(WAR)=const+x' ...``: Signorino's strategic-choice
  model of the deterrence game fitted to observed outcomes and regressors
  (:func:`negotiation.solvers.strategic_choice.estimate_strategic_choice`).

Bad input raises a one-line ``NegotiationError``, which ``negotiation.cli.main`` reports with exit status 1.
"""

from __future__ import annotations

from negotiation.cli.arguments import FORMATS, UserError, load_model, parse_sets, render, write_text
from negotiation.cli.kinds import require
from negotiation.report.figures import figure_format
from negotiation.report.maps import save_figure
from negotiation.solvers.qre_estimation import MAX_ESTIMATION_ITERATIONS, estimate_qre
from negotiation.solvers.strategic_choice import MAX_STRATEGIC_CHOICE_ROWS, estimate_strategic_choice

__all__ = ["add_parser", "run"]


def run(args) -> int:
    """Run ``negotiation estimate`` with parsed ``args``; prints the fit, returns 0.

    Examples
    --------
    >>> import argparse, contextlib, io, json, pathlib, tempfile
    >>> counts = pathlib.Path(tempfile.mkdtemp()) / "counts.csv"
    >>> _ = counts.write_text("player,strategy,count\\nNATO,Restrain,25\\nNATO,Deploy,75\\n"
    ...                       "Russia,Restrain,30\\nRussia,Deploy,70\\n")
    >>> parser = argparse.ArgumentParser(prog="negotiation")
    >>> _ = add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["estimate", "security_dilemma", "--counts", str(counts), "--format", "json"])
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     status = args.handler(args)
    >>> data = json.loads(out.getvalue())
    >>> status, data["method"], sorted(data["estimates"])
    (0, 'logit_qre_mle', ['lambda'])
    """
    if args.plot is not None:
        figure_format(args.plot, option="--plot")  # before the work
    if args.outcomes is not None:
        result = _strategic_choice(args)
    else:
        result = _qre(args)
    write_text(render(result, args.format), args.output)
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0


def _qre(args):
    if args.path is None or args.counts is None:
        raise UserError("estimate: give a MODEL and --counts FILE.csv (a QRE fit), or --outcomes FILE.csv "
                        "(a strategic-choice fit)")
    if args.utility or args.model != "logit":
        raise UserError("--utility and --probit belong to a strategic-choice fit (--outcomes FILE.csv)")
    scenario = load_model(args.path)
    require(scenario, "estimate", args.path)
    fitted = [name.strip() for name in (args.fit or "").split(",") if name.strip()]
    return estimate_qre(scenario, args.counts, parameters=fitted, values=parse_sets(args.set),
                        max_precision=args.max_precision, max_iterations=args.max_iterations)


def _strategic_choice(args):
    if args.path is not None or args.counts is not None or args.fit or args.set:
        raise UserError("--outcomes fits Signorino's deterrence game: no MODEL, --counts, --fit or --set with it")
    if not args.utility:
        raise UserError("--outcomes: give the utilities with --utility 'U1(WAR)=const+x' (repeatable)")
    utilities = {}
    for item in args.utility:
        key, separator, regressors = item.partition("=")
        if not separator or not regressors.strip():
            raise UserError(f"--utility {item!r}: expected 'U<player>(<outcome>)=regressor+regressor'")
        utilities[key.strip()] = [r.strip() for r in regressors.split("+") if r.strip()]
    return estimate_strategic_choice(args.outcomes, utilities, model=args.model,
                                     max_iterations=args.max_iterations,
                                     max_rows=args.max_rows or MAX_STRATEGIC_CHOICE_ROWS)


def add_parser(subparsers):
    """Add the ``estimate`` subcommand to an ``argparse`` subparsers object; returns its parser."""
    parser = subparsers.add_parser(
        "estimate", help="fit a logit QRE to choice counts, or a strategic choice model to outcomes",
        description="Maximum-likelihood fits with standard errors: the logit QRE precision λ (and payoff "
                    "parameters) of a strategic-form game to observed choice counts, with a likelihood-ratio "
                    "test against Nash; or Signorino's agent-error logit/probit of the deterrence game "
                    "(outcomes SQ, CAP, BD, WAR) to observed outcomes and regressors.")
    parser.add_argument("path", metavar="MODEL", nargs="?", default=None,
                        help="scenario .toml, Gambit .nfg, JSON model or a bundled model name (a QRE fit)")
    parser.add_argument("--counts", metavar="FILE.csv",
                        help="choice counts: a CSV file with the header player,strategy,count (labels)")
    parser.add_argument("--fit", metavar="NAME,...", help="payoff parameters fitted jointly with λ")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE",
                        help="a parameter's value, or a fitted one's starting value (repeatable)")
    parser.add_argument("--max-precision", dest="max_precision", type=float, default=None, metavar="LAMBDA",
                        help="search the principal branch up to this λ (default 1e6)")
    parser.add_argument("--max-iterations", dest="max_iterations", type=int, default=200, metavar="N",
                        help=f"optimiser iterations (default 200, at most {MAX_ESTIMATION_ITERATIONS})")
    parser.add_argument("--outcomes", metavar="FILE.csv",
                        help="strategic choice: a CSV file with a column 'outcome' (SQ, CAP, BD, WAR) and regressors")
    parser.add_argument("--utility", action="append", metavar="'U1(WAR)=const+x'",
                        help="strategic choice: the regressors of one utility (repeatable; unlisted ones are 0)")
    parser.add_argument("--max-rows", dest="max_rows", type=int, default=None, metavar="N",
                        help=f"strategic choice: refuse a table of more than N rows (default "
                             f"{MAX_STRATEGIC_CHOICE_ROWS:,}); raise it for a larger data set")
    parser.add_argument("--probit", dest="model", action="store_const", const="probit", default="logit",
                        help="strategic choice: normal agent errors (default: logit)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the output to FILE instead of printing it")
    parser.add_argument("--plot", metavar="FILE", help="save a figure (.png, .svg or .pdf)")
    parser.set_defaults(handler=run)
    return parser
