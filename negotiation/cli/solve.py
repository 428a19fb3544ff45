"""``negotiation solve PATH``: equilibria (or the analysis) of one model at one parameter point."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import replace

from negotiation.cli.arguments import FORMATS, UserError, load_model, parse_sets, render
from negotiation.solvers import solve
from negotiation.solvers.refinements import perfect_equilibria
from negotiation.solvers.selection import select_equilibrium

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``solve`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "solve", help="equilibria of one model at one parameter point",
        description="Equilibria of a scenario (.toml), a Gambit .nfg or .efg file or a bundled model at its "
                    "defaults or at --set values; a bargaining model gives its zone of agreement and solutions.")
    parser.add_argument("path", metavar="PATH",
                        help="scenario .toml, Gambit .nfg/.efg, JSON model, a bundled model name, or - for "
                             "standard input")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.add_argument("--method", default="auto", help=methods_help())
    parser.add_argument("--precision", type=_positive_float, default=None, metavar="LAMBDA",
                        help="logit_qre: the quantal response equilibrium at this precision λ (default: where the "
                             "traced branch ends, 1e6 over the payoff unit, with its limit as λ grows)")
    parser.add_argument("--max-work", dest="max_work", type=_positive_int, default=None, metavar="N",
                        help="raise the work budget of an exhaustive method (vertex_enumeration: basis "
                             "steps, default 700000; support_enumeration_polynomial: support profiles, 150; "
                             "correlated: constraint entries, 100000; lemke_howson_enumeration: tableau entries, "
                             "3000000); past it the method refuses before it starts")
    parser.add_argument("--select", choices=("risk", "payoff"), default=None,
                        help="instead of the equilibria: the strict pure equilibrium of a 2×2 game that risk or "
                             "payoff dominance selects (Harsanyi and Selten 1988)")
    parser.add_argument("--refine", choices=("perfect",), default=None,
                        help="instead of the equilibria: which extreme equilibria of a two-player game are "
                             "trembling-hand perfect (Selten 1975)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.set_defaults(handler=run)
    return parser


#: How ``--method``'s help names each kind of model, in the order it lists them.
_KIND_LABELS = {"normal-form": "strategic-form games", "extensive-form": "game trees",
                "bayesian": "Bayesian games (on the Harsanyi form)", "signaling": "signaling games",
                "continuous": "continuous games", "bargaining": "bargaining models (the zone of agreement)"}


def _logit_qre(model, values, precision, options):
    """The logit QRE at ``precision`` (default: where the branch ends), the limit as λ grows in a note.

    Without ``precision`` the library's ``logit_qre`` answers with the limit (an exact Nash equilibrium when
    one matches); the command shows the QRE at the λ the branch was traced to instead, a floating-point
    profile like every QRE, and names the limit on its own line, so the header, the table and the notes
    all speak of the same profile.
    """
    if precision is not None:
        return solve(model, method="logit_qre", values=values, precision=precision, **options)
    limit = solve(model, method="logit_qre", values=values, **options)
    reached = limit.details.get("precision") if isinstance(limit.details, Mapping) else None
    if not isinstance(reached, float):  # a result without a branch (a Bayesian game's own summary): as it is
        return limit
    result = solve(model, method="logit_qre", values=values, precision=reached, **options)
    named = tuple(m for m in limit.messages if m.startswith("limit of the principal branch"))
    return replace(result, messages=tuple(result.messages) + named)


def methods_help() -> str:
    """``--method``'s help: the methods of each kind of model, read from the front door's registry."""
    parts, seen = ["auto (the default: the method the model's kind and size call for)"], {}
    registrations = [r for r in solve.registrations().values() if isinstance(getattr(r.type, "kind", None), str)]
    # (a scenario has no kind of its own: its methods are those of the model it holds)
    order = list(_KIND_LABELS)
    registrations.sort(key=lambda r: order.index(r.type.kind) if r.type.kind in order else len(order))
    for registration in registrations:
        kind = registration.type.kind
        methods = tuple(registration.methods_for(None)) if not callable(registration.methods) else \
            _methods_of_any(registration)
        label = _KIND_LABELS.get(kind, f"{kind} models")
        if not methods:
            parts.append(f"{label}: auto only")
        elif methods in seen:
            parts.append(f"{label}: the methods of {seen[methods]}")
        else:
            seen[methods] = label
            gambit = [m for m in methods if m.startswith("gambit-")]
            listed = ", ".join(m for m in methods if m not in gambit)
            parts.append(f"{label}: {listed}" + (f", and with pygambit installed (GPL) {', '.join(gambit)}"
                                                   if gambit else ""))
    return "; ".join(parts)


def _methods_of_any(registration) -> tuple:
    """The methods of a registration that lists them per model (a Bayesian game: those of its strategic form)."""
    try:
        return tuple(registration.methods_for(None))
    except (AttributeError, TypeError):  # the list depends on the model itself: named at the refusal instead
        return ()


def _positive_float(text: str) -> float:
    """``--precision``: a positive finite number."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    """``--max-work``: a positive whole number."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def run(args) -> int:
    """Solve through the front door (values resolved once, as ``ng.solve`` does) and print the result."""
    options = {} if args.max_work is None else {"max_work": args.max_work}
    precision = getattr(args, "precision", None)
    if precision is not None and args.method != "logit_qre":
        raise UserError(f"--precision {precision:g}: applies to --method logit_qre only")
    model, values = load_model(args.path), parse_sets(args.set)
    if getattr(args, "select", None) is not None or getattr(args, "refine", None) is not None:
        if args.select is not None and args.refine is not None:
            raise UserError("--select and --refine: give one of them")
        game = model.game_at(values) if hasattr(model, "game_at") else model
        if not hasattr(game, "payoffs"):
            kind = getattr(game, "kind", None) or type(game).__name__
            raise UserError(f"{args.path}: --select and --refine apply to strategic-form games, not a {kind} model")
        answer = select_equilibrium(game, args.select) if args.select else perfect_equilibria(game)
        print(render(answer, args.format))
        return 0
    if args.method == "logit_qre":
        result = _logit_qre(model, values, precision, options)
    else:
        result = solve(model, method=args.method, values=values, **options)
    print(render(result, args.format))
    if args.format == "csv":  # each analysis is a table of its own
        for analysis in result.analyses.values():
            print()
            print(analysis.to_csv().rstrip("\n"))
    return 0
