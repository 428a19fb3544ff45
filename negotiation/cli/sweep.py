"""``negotiation sweep``: equilibrium tables over parameter grids or Monte Carlo samples.

::

    negotiation sweep PATH --grid NAME=START:STOP:NUM [--grid ...] --out FILE
    negotiation sweep PATH --samples N --seed S --prior NAME=FAMILY:ARGS [...] --out FILE
        [--set NAME=VALUE]... [--workers N | --scheduler ADDRESS] [--format csv|parquet]
        [--chunk-size N] [--max-points N] [--resume] [--summary FILE] [--map FILE.png|svg|pdf]
        [--map-axes X,Y] [--by equilibria|classification] [--progress | --no-progress]

The progress bar (points, their rate and the time left) goes to stderr, on a terminal only unless
``--progress``; ``negotiation -q sweep ...`` silences it and the notes (``negotiation: note: ...``).

Bad input raises ``ValueError`` with a one-line message; the ``negotiation``
command turns it into ``negotiation: error: ...`` and exit status 1. So does a second sweep into
an ``--out`` that a running sweep holds (the line names it), a full disk or an unwritable path.
Ctrl-C keeps the finished chunks and exits with status 130 and one line saying how to resume.
Limits (points, chunk size, workers): :mod:`negotiation.sweeps.limits`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from negotiation.cli.kinds import require
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import parse_assignments
from negotiation.core.progress import note
from negotiation.report.maps import bifurcation_plot, equilibrium_map, save_figure
from negotiation.scenario import load
from negotiation.sweeps.engine import sweep
from negotiation.sweeps.limits import MAX_CHUNK_SIZE, MAX_POINTS
from negotiation.sweeps.runner import SweepInterrupted
from negotiation.symbolic import derive

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``sweep`` subcommand to an ``argparse`` subparsers object; returns its parser.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="negotiation")
    >>> sweep_parser = add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["sweep", "security_dilemma", "--grid", "omega=0:1:3", "--out", "t.csv"])
    >>> args.grid, args.workers, args.handler.__name__
    (['omega=0:1:3'], None, 'run')
    """
    parser = subparsers.add_parser(
        "sweep", help="equilibrium tables over parameter grids or Monte Carlo samples",
        description="Equilibria of a scenario at every point of a parameter grid or of a Monte Carlo sample, "
                    "one row per (point, equilibrium), streamed to CSV or Parquet.")
    parser.add_argument("path", metavar="PATH", help="scenario .toml, a bundled model name, or - for standard input")
    points = parser.add_argument_group("points (give --grid or --samples)")
    points.add_argument("--grid", action="append", metavar="NAME=START:STOP:NUM",
                        help="sweep a parameter over NUM exact, equally spaced values (repeatable; "
                             "START/STOP like 0, 1/4 or 0.2)")
    points.add_argument("--samples", type=int, metavar="N", help="number of Monte Carlo points")
    points.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the Monte Carlo draws (default 0)")
    points.add_argument("--prior", action="append", metavar="NAME=FAMILY:ARGS",
                        help="prior of a parameter for --samples (repeatable): uniform[:LOW:HIGH], "
                             "normal:MEAN:SD[:LOW:HIGH] (truncated to the range), beta:A:B[:LOW:HIGH] "
                             "(scaled to the range), triangular:MODE or triangular:LOW:MODE:HIGH")
    points.add_argument("--set", action="append", metavar="NAME=VALUE", help="fix a parameter that is not swept")
    output = parser.add_argument_group("output")
    output.add_argument("--out", required=True, metavar="FILE", help="table file (.csv or .parquet)")
    output.add_argument("--format", choices=("csv", "parquet"), help="table format (default: from the suffix)")
    output.add_argument("--chunk-size", type=int, default=None, metavar="N",
                        help=f"points per chunk: the unit of work, writing and resuming (at most "
                             f"{MAX_CHUNK_SIZE:,}; default: chunks that start small and double up to 65,536 "
                             f"points, 128 for game trees, so that progress shows at once)")
    output.add_argument("--max-points", type=int, metavar="N",
                        help=f"the most points a grid (and each axis) or a sample may have "
                             f"(default {MAX_POINTS:,}; checked before anything is computed)")
    output.add_argument("--resume", action="store_true",
                        help="continue an interrupted sweep into the same --out (same options)")
    output.add_argument("--summary", metavar="FILE",
                        help="also write a summary table (.csv, .md, .tex or .json): regions of the grid, "
                             "or Monte Carlo probabilities with 95%% intervals")
    output.add_argument("--map", metavar="FILE", help="also draw an equilibrium map (.png, .svg or .pdf)")
    output.add_argument("--map-axes", metavar="X,Y", help="parameters of the map (default: the first two swept)")
    output.add_argument("--by", choices=("equilibria", "classification"), default="equilibria",
                        help="categories of the summary and the map (default: equilibria)")
    progress = output.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_const", const=True, default=None,
                          help="show a progress bar on stderr, even when it is not a terminal "
                               "(default: on a terminal; -q/--quiet silences it)")
    progress.add_argument("--no-progress", dest="progress", action="store_const", const=False,
                          help="no progress bar")
    running = parser.add_argument_group("where to run").add_mutually_exclusive_group()
    running.add_argument("--workers", type=int, metavar="N",
                         help="local worker processes (capped at the CPUs and at the chunks)")
    running.add_argument("--scheduler", metavar="ADDRESS",
                         help="address of a Dask distributed scheduler, e.g. tcp://10.0.0.5:8786 "
                              "(needs the 'distributed' extra)")
    parser.set_defaults(handler=run)
    return parser


def _parse_sets(items) -> dict:
    return parse_assignments(items)


def _check(args) -> list | None:
    """Refuse contradictory or malformed options (one line each); returns the ``--map-axes`` names."""
    if args.grid and args.samples is not None:
        raise NegotiationError("give either --grid or --samples, not both")
    if not args.grid and args.samples is None:
        raise NegotiationError("nothing to sweep: give --grid NAME=START:STOP:NUM or --samples N")
    if args.prior and args.samples is None:
        raise NegotiationError("--prior applies to --samples")
    if args.workers is not None and args.workers < 1:
        raise NegotiationError(f"--workers must be at least 1, got {args.workers}")
    if args.max_points is not None and args.max_points < 1:
        raise NegotiationError(f"--max-points must be at least 1, got {args.max_points}")
    for option, path, suffixes in (("--summary", args.summary, (".csv", ".md", ".tex", ".json")),
                                   ("--map", args.map, (".png", ".svg", ".pdf"))):
        if path and Path(path).suffix.lower() not in suffixes:
            raise NegotiationError(f"{option} {path}: unsupported file type (expected {', '.join(suffixes)})")
    if not args.map_axes:
        return None
    map_axes = [a.strip() for a in args.map_axes.split(",")]
    if len(map_axes) != 2 or not all(map_axes):
        raise NegotiationError(f"--map-axes {args.map_axes!r}: expected two parameter names, e.g. omega,phi")
    return map_axes


def _sweep(scenario, args):
    """The sweep of ``args`` here, in local processes (``--workers``) or on a Dask scheduler."""
    client = map_function = None
    if args.scheduler:
        try:
            from distributed import Client  # optional: the 'distributed' extra
        except ImportError:
            raise NegotiationError("--scheduler needs Dask distributed: pip install 'negotiation[distributed]'") from None
        try:
            client = Client(args.scheduler, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise NegotiationError(f"--scheduler {args.scheduler}: cannot connect ({error})") from None
        map_function = client.get_executor().map
    try:
        return sweep(scenario, grid=args.grid, samples=args.samples, seed=args.seed, priors=args.prior,
                     out=args.out, format=args.format, chunk_size=args.chunk_size, resume=args.resume,
                     workers=args.workers, map=map_function, progress=args.progress, values=_parse_sets(args.set),
                     max_points=args.max_points)
    finally:
        if client is not None:
            client.close()


def run(args) -> int:
    """Run ``negotiation sweep`` from parsed arguments; returns the exit status (0, or 130 after Ctrl-C)."""
    map_axes = _check(args)
    scenario = load(args.path)
    require(scenario, "sweep", args.path)
    started = time.perf_counter()
    try:
        result = _sweep(scenario, args)
    except SweepInterrupted as stop:
        print(f"negotiation: interrupted: {stop.out} keeps {stop.chunks_done} of {stop.n_chunks} chunks"
              + ("; run the same command with --resume to continue" if stop.resumable else ""), file=sys.stderr)
        return 130
    elapsed = time.perf_counter() - started
    for message in result.messages:  # how it ran (a cap on --workers), not a result: stderr, silenced by --quiet
        note(f"{message}.")
    resumed = f", {result.resumed_chunks} of {result.n_chunks} chunks from the earlier run" \
        if result.resumed_chunks else ""
    # a sample whose draws broke an assumption: how many were drawn to keep the points asked for
    drawn = f"; {result.acceptance.describe()}" if result.acceptance is not None else ""
    print(f"Wrote {result.n_rows:,} rows for {result.n_points:,} points to {result.out} "
          f"({elapsed:.2f} s, {elapsed / result.n_points * 1e6:.2f} µs per point{resumed}){drawn}.")
    if args.summary:
        summary = result.summary_table(by=args.by)
        _write(lambda: summary.write(args.summary), "--summary", args.summary)
        print(f"Wrote the summary ({len(summary)} rows) to {args.summary}.")
    if args.map:
        figure = _figure(scenario, result, map_axes, args)
        _write(lambda: save_figure(figure, args.map), "--map", args.map)
        print(f"Wrote the map to {args.map}.")
    sys.stdout.flush()
    return 0


def _write(write, option: str, path: str) -> None:
    """Run ``write()``; a full disk or an unwritable path is one line naming the file."""
    try:
        write()
    except OSError as error:
        raise NegotiationError(f"{option} {path}: cannot write ({error.strerror or error})") from None


def _figure(scenario, result, map_axes, args):
    """The equilibrium map over two swept parameters (with the derived boundaries), else the bifurcation plot."""
    swept = [name for name in result.swept if result.grid is None or len(result.grid[name]) > 1]
    if map_axes is not None:
        unknown = [a for a in map_axes if a not in swept]
        if unknown:
            raise NegotiationError(f"--map-axes: {unknown[0]!r} is not a swept parameter (swept: {', '.join(swept)})")
    elif len(swept) >= 2:
        map_axes = swept[:2]
    if map_axes is not None:
        boundaries = _derived_boundaries(scenario, map_axes, _parse_sets(args.set))
        return equilibrium_map(result, map_axes[0], map_axes[1], by=args.by, boundaries=boundaries)
    if len(swept) == 1:
        return bifurcation_plot(result, swept[0])
    raise NegotiationError("--map needs at least one swept parameter with more than one value")


def _derived_boundaries(scenario, axes, fixed) -> list | None:
    """The symbolic boundaries (``negotiation derive``) that involve the map's axes, as (label, expression).

    Only for normal-form scenarios; ``None`` when nothing can be derived (the map is drawn without them).
    """
    if getattr(scenario, "kind", None) != "normal-form" or not scenario.parameters.parameters:
        return None

    fixed = {name: value for name, value in fixed.items() if name not in axes}
    try:
        derivation = derive(scenario, values=fixed or None)
    except ValueError:
        return None
    boundaries, seen = [], set()
    for threshold in derivation.thresholds:
        if threshold.in_range is False or threshold.boundary in seen or " = " not in threshold.boundary:
            continue
        left, right = threshold.boundary.split(" = ", 1)
        expression = f"({left}) - ({right})"
        names = set(expression.replace("(", " ").replace(")", " ").replace("*", " ").replace("+", " ")
                    .replace("-", " ").replace("/", " ").split())
        if not names & set(axes):
            continue
        seen.add(threshold.boundary)
        boundaries.append((threshold.label or threshold.boundary, expression))
    return boundaries or None
