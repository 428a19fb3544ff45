"""``negotiation convert PATH --to nfg|efg|json|genius``: a model in an interchange format; and
``negotiation convert DOMAIN.xml --profiles A.xml B.xml``: Genius files as a bargaining scenario file."""

from __future__ import annotations

import argparse
import json
import re
import sys

from negotiation.cli.arguments import (
    UserError,
    load_model,
    parse_sets,
    values_comment,
    write_text,
)
from negotiation.core.progress import note
from negotiation.formats import format_efg, format_nfg, game_to_nfg_data
from negotiation.formats.genius import read_genius
from negotiation.formats.genius_writer import format_bargaining_scenario, write_genius
from negotiation.models.bayesian import BayesianGame, harsanyi
from negotiation.models.game import Game
from negotiation.models.signaling import SignalingGame, to_tree
from negotiation.models.tree import GameTree

__all__ = ["NFG_BODIES", "TARGETS", "add_parser", "run"]

#: The two bodies of a Gambit .nfg file: outcomes with an index per profile, or one list of payoffs.
NFG_BODIES = ("outcome", "payoff")
#: What ``--to`` writes: Gambit strategic or extensive form, JSON, Genius XML (bargaining models), or a
#: bargaining scenario file (from Genius files; the default for a .xml domain).
TARGETS = ("nfg", "efg", "json", "genius", "toml")


def add_parser(subparsers):
    """Add ``convert`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "convert", help="write a model as Gambit .nfg, .efg, JSON or Genius XML",
        description="Write a model as a Gambit strategic-form (.nfg) or extensive-form (.efg) file, or as JSON, "
                    "at its defaults or at --set values; a linear-additive bargaining model as a Genius domain "
                    "and one profile per party (--to genius --out DIR); or read a Genius domain and its "
                    "profiles (DOMAIN.xml --profiles A.xml B.xml) into a bargaining scenario file for "
                    "negotiation agree.")
    parser.add_argument("path", metavar="PATH",
                        help="scenario .toml, Gambit .nfg/.efg, JSON model, a bundled model name, - for "
                             "standard input, or a Genius domain .xml (with --profiles)")
    parser.add_argument("--to", choices=TARGETS, default=None,
                        help="nfg: Gambit strategic form; efg: Gambit extensive form (trees, signaling games); "
                             "json: the model's to_dict(), with its formulas unless --set is given; genius: a "
                             "bargaining model as Genius XML files in the directory --out; toml: Genius files "
                             "as a bargaining scenario file (the default for a .xml PATH)")
    parser.add_argument("--profiles", nargs="+", metavar="PROFILE",
                        help="the Genius utility profiles of the domain PATH, one per party")
    parser.add_argument("--parties", nargs="+", metavar="NAME",
                        help="the parties' names, one per profile (default: the profile files' names)")
    parser.add_argument("--lotteries", action="store_true",
                        help="with --profiles: allow lotteries over outcomes (default: an agreement is one outcome)")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.add_argument("--nfg-body", dest="nfg_body", choices=NFG_BODIES, default=None,
                        help="which body of a .nfg file to write: outcome (a list of outcomes and their indices, "
                             "the default) or payoff (one payoff list)")
    # the old spelling, hidden: `--version` is the program's version everywhere else
    parser.add_argument("--version", dest="legacy_nfg_body", choices=NFG_BODIES, default=None,
                        help=argparse.SUPPRESS)
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output (--to genius: the "
                                                      "directory of the files)")
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


def _genius_in(args) -> int:
    """Genius domain + profiles -> a bargaining scenario file (``negotiation agree`` reads it)."""
    if args.to not in (None, "toml"):
        raise UserError(f"{args.path}: a Genius domain with --profiles is written as a bargaining scenario file "
                        f"(--to toml), not --to {args.to}")
    if not args.profiles or len(args.profiles) < 2:
        raise UserError(f"{args.path}: --profiles: expected a Genius utility profile for each of at least two "
                        "parties")
    if args.set:
        raise UserError("--set: a Genius domain has no parameters")
    problem = read_genius(args.path, args.profiles, args.parties, lotteries=args.lotteries)
    scenario_id = re.sub(r"\W+", "_", problem.title).strip("_") or "genius"
    write_text(format_bargaining_scenario(problem, scenario_id=scenario_id), args.out)
    return 0


def _genius_out(args, scenario) -> int:
    """A bargaining model -> a Genius domain and one profile per party in the directory ``--out``."""
    if scenario.kind != "bargaining":
        raise UserError(f"{args.path}: --to genius writes bargaining models; this is a {scenario.kind} model")
    if not args.out:
        raise UserError("--to genius: --out DIR is needed (a domain file and one profile per party are written)")
    problem = scenario.problem_at(parse_sets(args.set))
    written = write_genius(problem, args.out, name=scenario.id)
    for line in written.notes:
        note(line)
    print("\n".join(str(path) for path in written.paths))
    return 0


def _convert(args, body: str) -> int:
    if args.profiles or (args.to in (None, "toml") and str(args.path).lower().endswith(".xml")):
        return _genius_in(args)
    if args.to is None or args.to == "toml":
        raise UserError(f"{args.path}: --to: expected one of nfg, efg, json, genius (toml is for Genius domains "
                        "given with --profiles)")
    for option in ("parties", "lotteries"):
        if getattr(args, option):
            raise UserError(f"--{option}: only with a Genius domain and --profiles")
    scenario = load_model(args.path)
    if args.to == "genius":
        return _genius_out(args, scenario)
    if scenario.kind == "bargaining":
        raise UserError(f"{args.path}: convert writes games; a bargaining model has no game to write "
                        "(its analysis: negotiation agree --format json; as Genius files: --to genius --out DIR)")
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
