"""``negotiation arms-race PATH`` (alias ``dynamics``): Richardson's arms-race dynamics of a scenario's
``[dynamics]`` section — steady state, stability (m·n > a·b) and a trajectory, as text, JSON or a phase portrait."""

from __future__ import annotations

import json
from fractions import Fraction

from negotiation.cli.kinds import require
from negotiation.scenario import load
from negotiation.core.numeric import check_number_text, format_number, json_number, parse_assignments
from negotiation.dynamics.richardson import stability, steady_state, trajectory
from negotiation.models.richardson import RichardsonError
from negotiation.report.dynamics import plot_phase
from negotiation.report.figures import figure_format, write_figure

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``negotiation arms-race PATH`` (alias ``dynamics``) to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "arms-race", aliases=["dynamics"],
        help="Richardson arms-race dynamics of a continuous scenario: steady state, stability, paths",
        description="Steady state, stability and a trajectory of the [dynamics] section (kind = \"richardson\") "
                    "of a continuous scenario.")
    parser.add_argument("path", metavar="PATH", help="continuous scenario .toml with a [dynamics] section, a bundled model name, or - for "
                        "standard input")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.add_argument("--start", metavar="X0,Y0", default="0,0", help="initial levels (default: 0,0)")
    parser.add_argument("--time", type=float, default=20.0, help="length of the trajectory (default: 20)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--plot", metavar="FILE", help="save the phase portrait to FILE (.png, .pdf or .svg)")
    parser.set_defaults(handler=run)
    return parser


def _values(items) -> dict:
    try:
        return parse_assignments(items)
    except ValueError as error:
        raise RichardsonError(str(error)) from None


def run(args) -> int:
    """Run ``negotiation arms-race``; prints text or JSON, returns 0 (errors raise ValueError subclasses)."""
    if args.plot is not None:
        figure_format(args.plot, option="--plot")  # before the work: the suffix names the format, none is added
    scenario = load(args.path)
    require(scenario, "arms-race", args.path)
    values = _values(args.set)
    model = scenario.dynamics_at(values)
    parts = args.start.split(",")
    for part in parts:
        check_number_text(part.strip(), "--start")  # Fraction("1e99999999") alone would take minutes
    try:
        x0, y0 = (float(Fraction(p.strip())) for p in parts)
        if len(parts) != 2:
            raise ValueError
    except (ValueError, ZeroDivisionError, OverflowError):
        raise RichardsonError(f"--start {args.start!r}: expected two numbers X0,Y0, e.g. --start 0,5") from None
    if not args.time > 0:
        raise RichardsonError(f"--time: expected a positive number, found {args.time}")
    verdict = stability(model)
    try:
        state = steady_state(model)
    except RichardsonError:
        state = None
    path = trajectory(model, x0, y0, args.time)
    if args.plot:
        write_figure(plot_phase(model, [(x0, y0)], time=args.time), args.plot)
    if args.format == "json":
        data = {"scenario": scenario.id, "model": model.to_dict(),
                "steady_state": {k: json_number(v) for k, v in state.items()} if state else None,
                "stability": verdict.to_dict(),
                "trajectory": {"start": {model.labels[0]: x0, model.labels[1]: y0}, "time": args.time,
                               "end": path.final, "method": path.method}}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    x, y = model.labels
    lines = [model.title, str(model)[len(model.title) + 2:]]
    if model.values:
        lines.append("Parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in model.values.items()))
    if state:
        shown = ", ".join(f"{k}* = {format_number(v)}" + (f" (≈ {float(v):.4g})" if not isinstance(v, float) else "")
                          for k, v in state.items())
        lines.append(f"Steady state: {shown}")
    else:
        lines.append("Steady state: none (m·n = a·b)")
    eigenvalues = ", ".join(format_number(v) for v in verdict.eigenvalues)
    lines.append(f"Stability: {verdict.kind} (eigenvalues {eigenvalues}; m·n − a·b = {format_number(verdict.determinant)}; "
                 "stable iff m·n > a·b)")
    lines.append(f"Trajectory from ({x0:g}, {y0:g}) after {args.time:g}"
                 + (f" {model.time_unit}" if model.time_unit else "") + f": {x} = {path.final[x]:.4g}, "
                 f"{y} = {path.final[y]:.4g}")
    if args.plot:
        lines.append(f"Phase portrait written to {args.plot}")
    print("\n".join(lines))
    return 0
