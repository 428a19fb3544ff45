"""``negotiation convert PATH --to nfg|efg|json``: a model in an interchange format."""

from __future__ import annotations

import json

from negotiation.cli.arguments import UserError, load_model, parse_sets, values_comment, write_text
from negotiation.formats import format_efg, format_nfg, game_to_nfg_data
from negotiation.models.bayesian import BayesianGame, harsanyi
from negotiation.models.game import Game
from negotiation.models.signaling import SignalingGame, to_tree
from negotiation.models.tree import GameTree

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``convert`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "convert", help="write a model as Gambit .nfg, .efg or JSON",
        description="Write a model as a Gambit strategic-form (.nfg) or extensive-form (.efg) file, or as JSON, "
                    "at its defaults or at --set values.")
    parser.add_argument("path", metavar="PATH")
    parser.add_argument("--to", choices=("nfg", "efg", "json"), required=True)
    parser.add_argument("--set", action="append", metavar="NAME=VALUE")
    parser.add_argument("--version", dest="version", choices=("outcome", "payoff"), default="outcome",
                        help="which .nfg body to write (default: outcome)")
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    """Write the model at the defaults (or at ``--set``) in the format ``--to``."""
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
    write_text(format_nfg(game_to_nfg_data(game, values_comment(game)), version=args.version), args.out)
    return 0
