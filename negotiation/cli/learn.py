"""``negotiation learn PATH``: learning dynamics and the logit QRE branch of a model.

Wire into the main parser with :func:`add_parser`; the handler is
:func:`run`. Bad input raises ``ValueError`` with a one-line message,
which ``negotiation.cli.main`` reports with exit status 1.

Rules: ``fictitious_play``, ``best_response`` (``--simultaneous``), ``replicator``
(``--time``; ``--steps`` reported points) and ``logit``, which traces the
principal branch of logit quantal response equilibria and prints it at a few
precisions λ with its limit.
"""

from __future__ import annotations

import csv
import io
import json
from negotiation.cli.kinds import require
from negotiation.core.document import aligned_lines
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import json_number, parse_assignments
from negotiation.dynamics.learning import (MAX_STEPS, MAX_TIME, best_response_dynamics, fictitious_play,
                                           replicator_dynamics)
from negotiation.models.bayesian import harsanyi
from negotiation.models.signaling import to_tree
from negotiation.report.figures import figure_format
from negotiation.report.maps import save_figure
from negotiation.scenario import load
from negotiation.solvers.quantal_response import logit_branch

__all__ = ["add_parser", "run", "LEARN_RULES", "LEARN_FORMATS"]

LEARN_RULES = ("fictitious_play", "best_response", "replicator", "logit")
LEARN_FORMATS = ("text", "json", "csv")
#: λ values at which ``--rule logit`` prints the branch.
TABLE_PRECISIONS = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0, 1000.0)


def _parse_sets(items) -> dict:
    return parse_assignments(items)


def _game(args):
    scenario = load(args.path)
    require(scenario, "learn", args.path)
    game = scenario.game_at(_parse_sets(args.set))
    if scenario.kind == "extensive-form":
        game = game.to_strategic_form()
    elif type(game).__name__ == "SignalingGame":
        game = to_tree(game).to_strategic_form()  # strategies: a message per type / a response per message
    elif type(game).__name__ == "BayesianGame":
        game = harsanyi(game)  # learning over type-contingent plans, ex-ante payoffs
    return game


def _csv(records) -> str:
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().rstrip("\n")


def run(args) -> int:
    """Run ``negotiation learn`` with parsed ``args``; prints the run, returns 0.

    Examples
    --------
    >>> import argparse, contextlib, io, json
    >>> parser = argparse.ArgumentParser(prog="negotiation")
    >>> _ = add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["learn", "security_dilemma", "--rule", "best_response",
    ...                           "--steps", "20", "--format", "json"])
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     status = args.handler(args)
    >>> data = json.loads(out.getvalue())
    >>> status, data["rule"], data["converged"]
    (0, 'best_response', True)
    """
    if args.steps is not None and args.steps < 1:
        raise NegotiationError(f"--steps {args.steps}: expected a positive integer")
    if args.max_steps is not None and args.max_steps < 1:
        raise NegotiationError(f"--max-steps {args.max_steps}: expected a positive integer")
    if args.max_time is not None and not 0 < args.max_time < float("inf"):
        raise NegotiationError(f"--max-time {args.max_time}: expected a positive number")
    if args.plot is not None:
        figure_format(args.plot, option="--plot")  # before the work: the suffix names the format, none is added
    game = _game(args)
    if args.rule == "logit":
        return _learn_logit(game, args)
    steps = args.steps
    if args.rule == "fictitious_play":
        run = fictitious_play(game, steps or 1000, max_steps=args.max_steps)
    elif args.rule == "best_response":
        run = best_response_dynamics(game, steps or 100, simultaneous=args.simultaneous, max_steps=args.max_steps)
    else:
        if args.time is not None and not args.time > 0:
            raise NegotiationError(f"--time {args.time}: expected a positive number")
        run = replicator_dynamics(game, args.time or 20.0, points=(steps or 200) + 1, max_steps=args.max_steps,
                                  max_time=args.max_time)
    if args.format == "json":
        print(json.dumps({"game": _game_dict(game), **run.to_dict()}, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(_csv(run.to_records()))
    else:
        title = game.title or "game"
        print(f"{title}\n" + run.to_text())
    if args.plot:
        save_figure(run.plot(), args.plot)
    return 0


def _game_dict(game) -> dict:
    return {"title": game.title, "players": list(game.players),
            "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
            "parameters": {k: json_number(v) for k, v in game.values.items()}}


def _learn_logit(game, args) -> int:
    branch = logit_branch(game, max_precision=args.max_precision)  # None: the solver's default (scale-aware)
    limit = branch.limit()
    chosen = [p for p in TABLE_PRECISIONS if p <= branch.max_precision]
    rows = []
    for lam in chosen:
        profile = branch.at(lam)
        record = {"precision": lam}
        for player, labels, probs in zip(profile.players, profile.strategies, profile.probabilities):
            for label, p in zip(labels, probs):
                record[f"{player}: {label}"] = float(p)
        rows.append(record)
    if args.format == "json":
        data = {
            "game": _game_dict(game),
            "rule": "logit",
            "method": "logit_branch",
            "exact": False,
            "points": len(branch),
            "max_precision": branch.max_precision,
            "turning_points": list(branch.turning_points),
            "table": rows,
            "limit": {
                "profile": limit.profile.to_dict(),
                "distance": limit.distance,
                "precision": limit.precision,
                "matched": limit.matched,
                "method": limit.method,
            },
            "messages": list(branch.messages),
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(_csv(rows))
    else:
        lines = [game.title or "game", "Logit QRE, principal branch (probabilities at each precision λ)"]
        lines += aligned_lines(branch.table(chosen))
        lines.append(f"Limit as λ grows: {limit.describe()}")
        lines += list(branch.messages)
        print("\n".join(lines))
    if args.plot:
        save_figure(branch.plot(), args.plot)
    return 0


def add_parser(subparsers):
    """Add the ``learn`` subcommand to an ``argparse`` subparsers object; returns its parser."""
    parser = subparsers.add_parser(
        "learn", help="learning dynamics (fictitious play, best response, replicator) and the logit QRE branch",
        description="Run a learning rule on a model's game and print the path and where it settles; "
                    "--rule logit traces the principal branch of logit quantal response equilibria.")
    parser.add_argument("path", metavar="PATH", help="scenario .toml, Gambit .nfg/.efg, JSON model, a bundled model name, or - for "
                        "standard input")
    parser.add_argument("--rule", choices=LEARN_RULES, default="fictitious_play",
                        help="learning rule (default: fictitious_play); logit traces the logit QRE branch")
    parser.add_argument("--steps", type=int, default=None, metavar="N",
                        help="rounds (fictitious_play: 1000, best_response: 100) or reported points "
                             "(replicator: 200)")
    parser.add_argument("--time", type=float, default=None, metavar="T",
                        help="replicator: integrate up to time T (default 20)")
    parser.add_argument("--max-steps", dest="max_steps", type=int, default=None, metavar="N",
                        help=f"refuse more than N rounds or reported points (default {MAX_STEPS:,} for a "
                             "two-player game, fewer for larger games); raise it for a longer run")
    parser.add_argument("--max-time", dest="max_time", type=float, default=None, metavar="T",
                        help=f"replicator: refuse a --time whose product with the payoff range exceeds T "
                             f"(default {MAX_TIME:,})")
    parser.add_argument("--simultaneous", action="store_true",
                        help="best_response: all players revise at once")
    parser.add_argument("--max-precision", dest="max_precision", type=float, default=None, metavar="LAMBDA",
                        help="logit: trace the branch up to this precision (default 1e6; float payoffs: "
                             "1e6 over the payoff unit)")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.add_argument("--format", choices=LEARN_FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--plot", metavar="FILE", help="save a figure (.png, .svg or .pdf)")
    parser.set_defaults(handler=run)
    return parser
