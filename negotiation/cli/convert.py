"""``negotiation convert PATH --to nfg|efg|json``: a model in an interchange format."""

from __future__ import annotations

import argparse
import json
import sys

from negotiation.cli.arguments import UserError, load_model, parse_sets, values_comment, write_text
from negotiation.formats import format_efg, format_nfg, game_to_nfg_data
from negotiation.models.bayesian import BayesianGame, harsanyi
from negotiation.models.game import Game
from negotiation.models.signaling import SignalingGame, to_tree
from negotiation.models.tree import GameTree

__all__ = ["add_parser", "run", "NFG_BODIES"]

#: The two bodies of a Gambit .nfg file: outcomes with an index per profile, or one list of payoffs.
NFG_BODIES = ("outcome", "payoff")


def add_parser(subparsers):
    """Add ``convert`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "convert", help="write a model as Gambit .nfg, .efg or JSON",
        description="Write a model as a Gambit strategic-form (.nfg) or extensive-form (.efg) file, or as JSON, "
                    "at its defaults or at --set values.")
    parser.add_argument("path", metavar="PATH",
                        help="scenario .toml, Gambit .nfg/.efg, JSON model, a bundled model name, or - for "
                             "standard input")
    parser.add_argument("--to", choices=("nfg", "efg", "json"), required=True,
                        help="nfg: Gambit strategic form; efg: Gambit extensive form (trees, signaling games); "
                             "json: the model's to_dict(), with its formulas unless --set is given")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.add_argument("--nfg-body", dest="nfg_body", choices=NFG_BODIES, default=None,
                        help="which body of a .nfg file to write: outcome (a list of outcomes and their indices, "
                             "the default) or payoff (one payoff list)")
    # the old spelling, hidden: `--version` is the program's version everywhere else
    parser.add_argument("--version", dest="legacy_nfg_body", choices=NFG_BODIES, default=None,
                        help=argparse.SUPPRESS)
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    """Write the model at the defaults (or at ``--set``) in the format ``--to``."""
    legacy = getattr(args, "legacy_nfg_body", None)
    status = _convert(args, getattr(args, "nfg_body", None) or legacy or "outcome")
    if legacy is not None:  # after the work: a refusal stays one line
        print("negotiation: note: convert --version is deprecated (it is not the program's version); "
              f"use --nfg-body {legacy}", file=sys.stderr)
    return status


def _convert(args, body: str) -> int:
    scenario = load_model(args.path)
    if scenario.kind == "bargaining":
        raise UserError(f"{args.path}: convert writes games; a bargaining model has no game to write "
                        "(its analysis: negotiation agree --format json)")
    if args.to == "json":
        model = scenario.game_at(parse_sets(args.set)) if args.set else scenario.game
        write_text(json.dumps(model.to_dict(), indent=2, ensure_ascii=False), args.out)
        return 0
    if scenario.kind == "continuous":
        raise UserError(f"{args.path}: a continuous game has no finite strategic form or tree to write as "
                        f".{args.to}; use --to json")
    model = scenario.game_at(parse_sets(args.set))
    if isinstance(model, SignalingGame):
        model = to_tree(model)  # chance picks the type; one receiver information set per message
    if isinstance(model, BayesianGame):
        if args.to == "efg":
            raise UserError(f"{args.path}: --to efg needs a tree; write this Bayesian game with --to nfg "
                            "(its Harsanyi strategic form) or --to json")
        model = harsanyi(model)
    if args.to == "efg":
        if not isinstance(model, GameTree):
            raise UserError(f"{args.path}: --to efg needs an extensive-form model; this is a {scenario.kind} game")
        write_text(format_efg(model, comment=values_comment(model)), args.out)
        return 0
    game = model.to_strategic_form() if isinstance(model, GameTree) else model
    assert isinstance(game, Game)
    write_text(format_nfg(game_to_nfg_data(game, values_comment(game)), version=body), args.out)
    return 0
