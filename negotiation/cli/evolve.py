"""``negotiation evolve PATH``: evolutionary dynamics of a symmetric two-player game in a population.

Processes (``--process``):

* ``moran`` (default): exact fixation probabilities of single mutants in a Moran process of
  ``--population N`` players at intensity of selection ``--selection W``, expected absorption times, the
  rare-mutation distribution over monomorphic states, and for two strategies the weak-selection
  condition and the one-third rule;
* ``replicator-mutator``: the rest points of the replicator–mutator equation with uniform mutation
  ``--mutation MU`` and their stability, and the path from uniform shares up to ``--time T``;
* ``kmr``: the stochastically stable convention of a 2×2 coordination game in a population of ``N``
  (Kandori, Mailath and Rob 1993), with the exact stationary distributions at the mutation rates
  ``--mutation EPS[,EPS…]`` (default 0.1, 0.01, 0.001).

Bad input raises a one-line :class:`~negotiation.core.errors.NegotiationError`, which
``negotiation.cli.main`` reports with exit status 1.
"""

from __future__ import annotations

import json

from negotiation.cli.arguments import UserError, load_model, parse_sets, render
from negotiation.cli.kinds import require
from negotiation.core.numeric import json_number, parse_number
from negotiation.dynamics.evolution import MAX_POPULATION, fixation_probabilities
from negotiation.dynamics.learning import MAX_TIME
from negotiation.dynamics.replicator_mutator import replicator_mutator, replicator_mutator_rest_points
from negotiation.dynamics.stochastic_stability import DEFAULT_EPSILONS, stochastically_stable
from negotiation.report.figures import figure_format
from negotiation.report.maps import save_figure

__all__ = ["add_parser", "run", "PROCESSES", "EVOLVE_FORMATS"]

PROCESSES = ("moran", "replicator-mutator", "kmr")
EVOLVE_FORMATS = ("text", "json", "markdown", "latex", "csv")
#: ``--mutation`` of the replicator–mutator equation when none is given.
DEFAULT_MUTATION = "1/100"
#: ``--time`` of the replicator–mutator path when none is given.
DEFAULT_TIME = 50.0


def _number(text: str, option: str):
    try:
        return parse_number(text)
    except ValueError as error:
        raise UserError(f"{option} {text!r}: {error}") from None


def _game(args):
    scenario = load_model(args.path)
    require(scenario, "evolve", args.path)
    return scenario.game_at(parse_sets(args.set))


def _population(args) -> int:
    if args.population is None:
        raise UserError(f"--process {args.process} needs --population N (the number of players, at least 2)")
    return args.population


def run(args) -> int:
    """Run ``negotiation evolve`` with parsed ``args``; prints the result, returns 0.

    Examples
    --------
    >>> import argparse, contextlib, io, json
    >>> parser = argparse.ArgumentParser(prog="negotiation")
    >>> _ = add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["evolve", "security_dilemma", "--population", "10", "--selection", "1/100",
    ...                           "--format", "json"])
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     status = args.handler(args)
    >>> data = json.loads(out.getvalue())
    >>> status, data["method"], data["population"], [row["mutant"] for row in data["fixation"]]
    (0, 'moran_closed_form', 10, ['Deploy', 'Restrain'])
    """
    if args.plot is not None:
        figure_format(args.plot, option="--plot")  # before the work: the suffix names the format
    game = _game(args)
    path = None
    if args.process == "moran":
        if args.mutation is not None:
            raise UserError("--mutation: the Moran process here has no mutation (its rare-mutation limit is shown); "
                            "use --process replicator-mutator or kmr")
        result = fixation_probabilities(game, _population(args), _number(args.selection, "--selection"),
                                        max_population=args.max_population)
    elif args.process == "replicator-mutator":
        mutation = _number(args.mutation or DEFAULT_MUTATION, "--mutation")
        time = DEFAULT_TIME if args.time is None else args.time
        selection = _number(args.selection, "--selection")
        result = replicator_mutator_rest_points(game, mutation, selection=selection)
        path = replicator_mutator(game, time, mutation, selection=selection, max_time=args.max_time)
    else:
        epsilons = DEFAULT_EPSILONS if args.mutation is None else tuple(
            _number(text.strip(), "--mutation") for text in args.mutation.split(","))
        result = stochastically_stable(game, _population(args), epsilons, max_population=args.max_population)
    _print(result, path, game, args.format, args.process)
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0


def _print(result, path, game, fmt, process) -> None:
    if fmt == "json":
        data = {"game": {"title": game.title, "strategies": list(game.strategies[0]),
                         "parameters": {k: json_number(v) for k, v in game.values.items()}},
                "process": process, **result.to_dict()}
        if path is not None:
            data["path"] = path.to_dict()
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    text = render(result, fmt)
    if path is not None and fmt == "text":
        text += "\n\n" + path.to_text()
    print(text)


def add_parser(subparsers):
    """Add the ``evolve`` subcommand to an ``argparse`` subparsers object; returns its parser."""
    parser = subparsers.add_parser(
        "evolve", help="evolutionary dynamics in a population: Moran fixation, replicator–mutator, KMR",
        description="Evolutionary dynamics of a symmetric two-player game: exact Moran fixation probabilities, "
                    "replicator–mutator rest points and paths, and the stochastically stable convention (KMR).")
    parser.add_argument("path", metavar="PATH", help="scenario .toml, Gambit .nfg, JSON model, a bundled model name, "
                        "or - for standard input (a symmetric two-player strategic-form game)")
    parser.add_argument("--process", choices=PROCESSES, default="moran", help="the dynamic (default: moran)")
    parser.add_argument("--population", type=int, default=None, metavar="N",
                        help="players in the population (moran and kmr)")
    parser.add_argument("--selection", default="1", metavar="W",
                        help="moran and replicator-mutator: intensity of selection w, fitness 1 − w + w·payoff "
                             "(default 1)")
    parser.add_argument("--mutation", default=None, metavar="MU",
                        help=f"replicator-mutator: uniform mutation rate (default {DEFAULT_MUTATION}); kmr: mutation "
                             "rates of the stationary distributions, comma-separated (default 0.1,0.01,0.001)")
    parser.add_argument("--time", type=float, default=None, metavar="T",
                        help=f"replicator-mutator: integrate the path up to T (default {DEFAULT_TIME:g})")
    parser.add_argument("--max-population", dest="max_population", type=int, default=None, metavar="N",
                        help=f"refuse a population above N (default {MAX_POPULATION:,})")
    parser.add_argument("--max-time", dest="max_time", type=float, default=None, metavar="T",
                        help=f"replicator-mutator: refuse a --time whose product with the payoff range exceeds T "
                             f"(default {MAX_TIME:,})")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.add_argument("--format", choices=EVOLVE_FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--plot", metavar="FILE", help="save a figure (.png, .svg or .pdf)")
    parser.set_defaults(handler=run)
    return parser
