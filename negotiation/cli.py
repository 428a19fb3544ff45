"""The ``negotiation`` command.

Exit status: 0 on success, 1 on bad input (one line on stderr naming the file,
field or value), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from negotiation.core.errors import NegotiationError

__all__ = ["main"]

FORMATS = ("text", "json", "markdown", "latex", "csv")


class UserError(NegotiationError):
    """A mistake in the user's input: reported in one line, exit status 1."""


def _parse_sets(items) -> dict:
    from negotiation.core.numeric import parse_assignments

    try:
        return parse_assignments(items)
    except ValueError as error:
        raise UserError(str(error)) from None


def _load(path):
    from negotiation.scenario import load

    return load(path)


def _render(result, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return result.to_markdown()
    if fmt == "latex":
        return result.to_latex()
    if fmt == "csv":
        return result.to_csv().rstrip("\n")
    return result.to_text()


# ---------------------------------------------------------------------- commands
def command_solve(args) -> int:
    from negotiation.solvers import solve

    scenario = _load(args.path)
    result = solve(scenario, method=args.method, values=_parse_sets(args.set))
    print(_render(result, args.format))
    if args.format == "csv":  # each analysis is a table of its own
        for analysis in result.analyses.values():
            print()
            print(analysis.to_csv().rstrip("\n"))
    return 0


def command_models(args) -> int:
    from negotiation.scenario import bundled_models

    models = bundled_models()
    if args.format == "json":
        entries = []
        for name, path in models.items():
            scenario = _load(path)
            entries.append({"name": name, "id": scenario.id, "title": scenario.title, "kind": scenario.kind,
                            "parameters": list(scenario.parameters.names), "path": str(path)})
        print(json.dumps(entries, indent=2, ensure_ascii=False))
        return 0
    rows = []
    for name, path in models.items():
        scenario = _load(path)
        rows.append((name, scenario.kind, scenario.title))
    if not rows:
        print("No bundled models found.")
        return 0
    width = max(len(r[0]) for r in rows)
    kind_width = max(len(r[1]) for r in rows)
    for name, kind, title in rows:
        print(f"{name.ljust(width)}  {kind.ljust(kind_width)}  {title}")
    return 0


def command_show(args) -> int:
    from negotiation.core.numeric import format_number
    from negotiation.report.tables import game_text
    from negotiation.scenario.model import describe_parameters

    scenario = _load(args.path)
    values = _parse_sets(args.set)
    if scenario.kind != "normal-form" and hasattr(scenario, "describe"):
        print(scenario.describe(values))
        return 0
    lines = [scenario.title, "=" * len(scenario.title)]
    if scenario.description:
        lines += ["", scenario.description]
    lines += ["", f"Kind: {scenario.kind}; players: {', '.join(scenario.game.players)}"]
    lines += describe_parameters(scenario.parameters)
    if scenario.derived:
        lines += ["", "Derived quantities:"]
        for name, expression in scenario.derived.items():
            lines.append(f"  {name} = {expression}")
    lines += ["", "Payoffs (row player's payoff first):"]
    lines += ["  " + line for line in game_text(scenario.game).splitlines()]
    if scenario.parameters.parameters:
        numeric = scenario.game_at(values)
        shown = ", ".join(f"{k} = {format_number(v)}" for k, v in numeric.values.items())
        lines += ["", f"Payoffs at {shown}:"]
        lines += ["  " + line for line in game_text(numeric).splitlines()]
    if scenario.assumptions:
        lines += ["", "Assumptions:"]
        for assumption in scenario.assumptions:
            note = f": {assumption.description}" if assumption.description else ""
            lines.append(f"  {assumption.text}{note}")
    if scenario.references:
        lines += ["", "References: " + "; ".join(scenario.references)]
    if scenario.source:
        lines += ["", f"File: {scenario.source}"]
    print("\n".join(lines))
    return 0


def format_nfg_text(game, version) -> str:
    from negotiation.formats import format_nfg, game_to_nfg_data

    return format_nfg(game_to_nfg_data(game, _values_comment(game)), version=version)


def _write(args, text) -> None:
    if args.out:
        Path(args.out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        print(text.rstrip("\n"))


def command_convert(args) -> int:
    scenario = _load(args.path)
    if scenario.kind == "bargaining":
        raise UserError(f"{args.path}: convert writes games; a bargaining model has no game to write "
                        "(its analysis: negotiation agree --format json)")
    if scenario.kind == "continuous" and args.to != "json":
        raise UserError(f"{args.path}: a continuous game has no finite strategic form or tree to write as "
                        f".{args.to}; use --to json")
    model = None
    if scenario.kind == "bayesian" and args.to in ("efg", "nfg"):
        model = scenario.game_at(_parse_sets(args.set))
        if type(model).__name__ == "SignalingGame":
            from negotiation.signaling import to_tree

            model = to_tree(model)  # chance picks the type; one receiver information set per message
        else:
            from negotiation.bayesian import harsanyi

            if args.to == "efg":
                raise UserError(f"{args.path}: --to efg needs a tree; write this Bayesian game with --to nfg "
                                "(its Harsanyi strategic form) or --to json")
            model = harsanyi(model)
            text = format_nfg_text(model, args.version)
            _write(args, text)
            return 0
    if (scenario.kind == "extensive-form" or model is not None) and args.to in ("efg", "nfg"):
        tree = model if model is not None else scenario.game_at(_parse_sets(args.set))
        if args.to == "efg":
            from negotiation.formats.efg import format_efg

            text = format_efg(tree, comment=_values_comment(tree))
        else:
            from negotiation.formats import format_nfg, game_to_nfg_data

            game = tree.to_strategic_form()
            text = format_nfg(game_to_nfg_data(game, _values_comment(game)), version=args.version)
        if args.out:
            Path(args.out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        else:
            print(text.rstrip("\n"))
        return 0
    if args.to == "efg":
        raise UserError(f"{args.path}: --to efg needs an extensive-form model; this is a {scenario.kind} game")
    if args.to == "json":
        if args.set:
            text = json.dumps(scenario.game_at(_parse_sets(args.set)).to_dict(), indent=2, ensure_ascii=False)
        else:
            text = json.dumps(scenario.game.to_dict(), indent=2, ensure_ascii=False)
    else:
        from negotiation.formats import format_nfg, game_to_nfg_data

        game = scenario.game_at(_parse_sets(args.set))
        text = format_nfg(game_to_nfg_data(game, _values_comment(game)), version=args.version)
    if args.out:
        Path(args.out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        print(text.rstrip("\n"))
    return 0


def _values_comment(game) -> str:
    from negotiation.core.numeric import format_number

    if not game.values:
        return ""
    return "parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in game.values.items())


def command_tables(args) -> int:
    """Every bundled model at its defaults: tables, one figure each, and an index, under --out."""
    from negotiation.report.catalogue import write_catalogue

    out = Path(args.out)
    entries = write_catalogue(out)
    figures = sum("figure" in e["files"] for e in entries)
    print(f"Wrote {len(entries)} model table(s) as text, Markdown, LaTeX, CSV and JSON, {figures} figure(s) "
          f"and an index ({out}/README.md, {out}/index.html) to {out}/")
    return 0


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="negotiation",
        description="Game-theoretic analysis of security negotiations: equilibria of parameterised models.",
    )
    from negotiation import __version__

    parser.add_argument("--version", action="version", version=f"negotiation {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    solve = commands.add_parser("solve", help="equilibria of one model at one parameter point")
    solve.add_argument("path", metavar="PATH", help="scenario .toml, Gambit .nfg, or a bundled model name")
    solve.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    solve.add_argument("--method", default="auto",
                       help="auto, vertex_enumeration, enumerate_pure, iterated_elimination, lemke_howson, "
                            "lemke_howson_enumeration, linear_program, logit_qre, correlated; trees: "
                            "backward_induction, sequence_form; signaling: pure_pbe; continuous: "
                            "first_order_conditions, best_response_iteration, complementarity")
    solve.add_argument("--format", choices=FORMATS, default="text")
    solve.set_defaults(handler=command_solve)

    models = commands.add_parser("models", help="list the bundled scenarios")
    models.add_argument("--format", choices=("text", "json"), default="text")
    models.set_defaults(handler=command_models)

    show = commands.add_parser("show", help="describe a scenario: parameters, payoffs, assumptions, sources")
    show.add_argument("path", metavar="PATH")
    show.add_argument("--set", action="append", metavar="NAME=VALUE")
    show.set_defaults(handler=command_show)

    convert = commands.add_parser("convert", help="write a model as Gambit .nfg or JSON")
    convert.add_argument("path", metavar="PATH")
    convert.add_argument("--to", choices=("nfg", "efg", "json"), required=True)
    convert.add_argument("--set", action="append", metavar="NAME=VALUE")
    convert.add_argument("--version", dest="version", choices=("outcome", "payoff"), default="outcome",
                         help="which .nfg body to write (default: outcome)")
    convert.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    convert.set_defaults(handler=command_convert)

    from negotiation.bargaining.command import add_agree_parser
    from negotiation.symbolic.command import add_derive_parser

    add_agree_parser(commands)

    from negotiation.sweeps.command import add_sweep_parser

    add_sweep_parser(commands)

    add_derive_parser(commands)

    from negotiation.learning_command import add_learn_parser

    add_learn_parser(commands)

    from negotiation.richardson import add_dynamics_parser

    add_dynamics_parser(commands)

    from negotiation.app import add_app_parser

    add_app_parser(commands)

    tables = commands.add_parser("tables", help="equilibrium tables of every bundled model at its defaults")
    tables.add_argument("--out", default="out", metavar="DIR", help="folder for the tables (default: out)")
    tables.set_defaults(handler=command_tables)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except UserError as error:
        print(f"negotiation: error: {error}", file=sys.stderr)
        return 1
    except ValueError as error:  # ScenarioError, GameError, ExpressionError, NfgFormatError, ...
        message = " ".join(str(error).split())
        print(f"negotiation: error: {message}", file=sys.stderr)
        return 1
    except RuntimeError as error:  # a solver's limit (pivot budget, too many bases): not a crash
        message = " ".join(str(error).split())
        hint = ""
        if getattr(args, "method", "auto") not in (None, "auto"):
            hint = " (try --method auto" + (", sequence_form or backward_induction for game trees)"
                                            if args.command == "solve" else ")")
        print(f"negotiation: error: {message}{hint}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and friends
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        print(f"negotiation: error: {error.filename or ''}: {error.strerror}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("negotiation: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
