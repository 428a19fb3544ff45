"""The ``negotiation agree`` command: zone of possible agreement, Pareto frontier, bargaining solutions.

``negotiation agree PATH [--set NAME=VALUE]… [--solution NAME]… [--format text|json|markdown|latex]
[--sweep NAME[=START:STOP:NUM] [--max-points N]] [--plot FILE] [--plot-issues FILE [--axes ISSUE[,ISSUE]]]``

PATH is a ``kind = "bargaining"`` scenario file or the name of a bundled one.
Exit status 0 on success (also when the zone is empty: that is an answer),
1 on bad input (one line on stderr naming the file, field or value), 2 on
usage errors. ``--format json`` prints
:meth:`~negotiation.results.bargaining.BargainingResult.to_dict` (shape documented
there), with a ``"sensitivity"`` object when ``--sweep`` is given
(:class:`~negotiation.results.bargaining.Sensitivity`) and a ``"linkage"`` object with
``--linkage`` (:class:`~negotiation.results.linkage.IssueByIssueResult`).
"""

from __future__ import annotations

import json
import sys

from negotiation.bargaining.sensitivity import MAX_POINTS, check_points
from negotiation.scenario import load
from negotiation.cli.arguments import parse_sets as _parse_sets, UserError
from negotiation.cli.kinds import require
from negotiation.core.errors import NegotiationError
from negotiation.core.labels import visible
from negotiation.core.numeric import parse_number
from negotiation.report.bargaining import plot_issue_space
from negotiation.report.figures import figure_format, write_figure

__all__ = ["add_parser", "run"]

FORMATS = ("text", "json", "markdown", "latex")
SOLUTION_CHOICES = ("all", "nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


def add_parser(subparsers):
    """Add the ``agree`` sub-command to an argparse ``subparsers`` object; returns its parser."""
    agree = subparsers.add_parser(
        "agree", help="zone of possible agreement, Pareto frontier and bargaining solutions",
        description="Zone of possible agreement (every agreement all parties weakly prefer to no deal), its "
                    "Pareto frontier and the Nash, Kalai–Smorodinsky, egalitarian and utilitarian solutions.")
    agree.add_argument("path", metavar="PATH", help="bargaining scenario .toml, a bundled model name, or - for standard input")
    agree.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    agree.add_argument("--solution", action="append", choices=SOLUTION_CHOICES, metavar="NAME",
                       help="solutions to compute (repeatable): all (default), nash, kalai_smorodinsky, "
                            "egalitarian, utilitarian")
    agree.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    agree.add_argument("--sweep", metavar="NAME[=START:STOP:NUM]",
                       help="also vary one parameter (default: its range, 11 points) and report where the zone "
                            "opens or closes")
    agree.add_argument("--max-points", dest="max_points", type=int, default=None, metavar="N",
                       help=f"refuse a --sweep of more than N points (default {MAX_POINTS}; each point is a whole "
                            "bargaining analysis)")
    agree.add_argument("--plot", metavar="FILE", help="save the agreement set in utility space (.png, .pdf, .svg)")
    agree.add_argument("--plot-issues", metavar="FILE", help="save the zone in issue space (.png, .pdf, .svg)")
    agree.add_argument("--axes", metavar="ISSUE[,ISSUE]", help="issues on the axes of --plot-issues")
    agree.add_argument("--linkage", action="store_true",
                       help="also settle each issue alone (others at their no-treaty values) and compare with the "
                            "package: the gains from linkage (logrolling)")
    agree.add_argument("--status-quo", action="append", metavar="ISSUE=VALUE",
                       help="an issue's value without a treaty, for --linkage (repeatable; issues not given keep the "
                            "file's [status_quo]; without one, the corner of the issue space worth the no-deal "
                            "point)")
    agree.set_defaults(handler=run)
    return agree


def _sweep_spec(text: str, max_points=None):
    name, sep, spec = text.partition("=")
    name = name.strip()
    if not name:
        raise NegotiationError(f"--sweep {text!r}: expected NAME or NAME=START:STOP:NUM")
    if not sep:
        return name, None
    parts = spec.split(":")
    if len(parts) != 3:
        raise NegotiationError(f"--sweep {text!r}: expected NAME=START:STOP:NUM, e.g. W=0:4:9")
    try:
        start, stop = parse_number(parts[0]), parse_number(parts[1])
        num = int(parts[2])
    except ValueError as error:
        raise NegotiationError(f"--sweep {name}: {error}") from None
    if num < 2:
        raise NegotiationError(f"--sweep {name}: NUM must be at least 2")
    check_points(num, max_points, f"--sweep {name}")  # before a value exists: NUM may be 10^12
    step = (stop - start) / (num - 1)
    return name, [start + k * step for k in range(num)]


def run(args) -> int:
    """Run ``negotiation agree`` with parsed arguments; returns the exit status."""
    try:
        return _agree(args, _parse_sets)
    except (UserError, ValueError) as error:
        message = visible(" ".join(str(error).split()))  # one line, no raw control or bidirectional character
        print(f"negotiation: error: {message}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`: the command line's main ends quietly
        raise
    except OSError as error:
        print(visible(f"negotiation: error: {error.filename or ''}: {error.strerror}"), file=sys.stderr)
        return 1


def _agree(args, parse_sets) -> int:
    for option, path in (("--plot", args.plot), ("--plot-issues", args.plot_issues)):
        if path is not None:
            figure_format(path, option=option)  # before the work: the suffix names the format, none is added
    if args.max_points is not None and args.max_points < 1:
        raise NegotiationError(f"--max-points {args.max_points}: expected a whole number >= 1")
    spec = _sweep_spec(args.sweep, args.max_points) if args.sweep else None  # before any work
    scenario = load(args.path)
    require(scenario, "agree", args.path)
    values = parse_sets(args.set)
    solution = "all" if not args.solution or "all" in args.solution else args.solution
    result = scenario.bargain(values, solution)
    sweep = None
    if spec is not None:
        name, grid = spec
        sweep = scenario.sensitivity(name, values, grid=grid, solution=solution, max_points=args.max_points)
    if args.plot:
        write_figure(result.plot(), args.plot, dpi=150)
    if args.plot_issues:
        axes = [a.strip() for a in args.axes.split(",")] if args.axes else None
        write_figure(plot_issue_space(result, axes), args.plot_issues, dpi=150)
    linkage = None
    if args.linkage:
        status_quo = None
        if args.status_quo:
            status_quo = {}
            for item in args.status_quo:
                issue, sep, value = item.partition("=")
                if not sep or not issue.strip():
                    raise NegotiationError(f"--status-quo {item!r}: expected ISSUE=VALUE, e.g. stationing=10000")
                status_quo[issue.strip()] = value.strip()
        rule = "nash" if solution == "all" else solution[0]
        linkage = scenario.issue_by_issue(values, rule, status_quo=status_quo)  # default: the file's [status_quo]
    print(_render(result, sweep, args.format, linkage))
    return 0


def _render(result, sweep, fmt: str, linkage=None) -> str:
    if fmt == "json":
        data = result.to_dict()
        if sweep is not None:
            data["sensitivity"] = sweep.to_dict()
        if linkage is not None:
            data["linkage"] = linkage.to_dict()
        return json.dumps(data, indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return "\n\n".join(r.to_markdown() for r in (result, sweep, linkage) if r is not None)
    if fmt == "latex":
        return "\n\n".join(r.to_latex() for r in (result, sweep, linkage) if r is not None)
    text = "\n\n".join(r.to_text() for r in (result, linkage, sweep) if r is not None)
    if sweep is not None and not sweep.thresholds:
        text += f"\n(the zone neither opens nor closes between the values of {sweep.parameter} tried)"
    return text
