"""``negotiation noisy MODEL``: a two-player strategic-form model repeated with implementation errors (rate ε) and
perception errors (rate ε'): which pairs of automata are equilibria, the long-run payoffs of one pair
(``--pair``), or the critical discount factor δ*(ε) of one automaton (``--critical``, figure with ``--plot``).

The error rates, δ and the automata default to the scenario's ``[repetition]`` section (``noise``,
``perception``, ``discount``, ``automata`` and ``[repetition.automaton.NAME]``).
"""

from __future__ import annotations

from negotiation.cli.arguments import FORMATS, UserError, load_model, parse_sets, render
from negotiation.cli.kinds import require
from negotiation.core.numeric import exact_value
from negotiation.report.figures import figure_format, write_figure
from negotiation.scenario.repeated import noisy_settings
from negotiation.solvers.noisy_repetition import DEFAULT_AUTOMATA, bind_automaton, noisy_equilibria, noisy_payoffs
from negotiation.solvers.noisy_thresholds import critical_discount_under_noise

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``negotiation noisy MODEL`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "noisy", help="repeated game with implementation and perception errors: automata, equilibria, critical δ(ε)",
        description="Repeated two-player game with errors: exact long-run payoffs of finite automata (ALLC, ALLD, "
                    "GRIM, TFT, GTFT(g), WSLS and the scenario's own), which pairs are equilibria at (δ, ε), and "
                    "the critical discount factor as a function of ε.")
    parser.add_argument("path", metavar="MODEL", help="strategic-form scenario .toml, a bundled model name, or -")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.add_argument("--noise", metavar="EPS", help="implementation error rate ε (default: the scenario's, else 0)")
    parser.add_argument("--perception", metavar="EPS", help="perception error rate ε' (default: the scenario's, else 0)")
    parser.add_argument("--delta", metavar="D", help="discount factor δ (default: the scenario's; without one, "
                        "limits of the means)")
    parser.add_argument("--automata", metavar="LIST", help="comma-separated automata, e.g. TFT,GRIM,GTFT(1/3) "
                        f"(default: the scenario's, else {','.join(DEFAULT_AUTOMATA)})")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--pair", metavar="A,B", help="the long-run payoffs of one pair of automata")
    what.add_argument("--critical", metavar="AUTOMATON", help="the critical δ*(ε) of both players using AUTOMATON")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--plot", metavar="FILE", help="save the figure of δ*(ε) (of --critical, else of the first "
                        "automaton with more than one state) to FILE (.png, .pdf or .svg)")
    parser.set_defaults(handler=run)
    return parser


def _rate(text, fallback, option):
    if text is None:
        return 0 if fallback is None else fallback
    try:
        return exact_value(text, where=option)
    except ValueError as error:
        raise UserError(str(error)) from None


def _names(text, fallback) -> list:
    if text is None:
        return list(fallback or DEFAULT_AUTOMATA)
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise UserError(f"--automata {text!r}: expected comma-separated automaton names, e.g. TFT,GRIM,WSLS")
    return names


def run(args) -> int:
    """Run ``negotiation noisy``; prints the result, returns 0 (errors raise ValueError subclasses).

    Examples
    --------
    >>> import contextlib, io
    >>> from negotiation.cli import main
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     code = main(["noisy", "security_dilemma_repeated", "--noise", "1/100", "--pair", "TFT,TFT"])
    >>> code, "limit of means" in out.getvalue()
    (0, True)
    """
    if args.plot is not None:
        figure_format(args.plot, option="--plot")  # before the work: the suffix names the format
    scenario = load_model(args.path)
    require(scenario, "noisy", args.path)
    settings = noisy_settings(scenario, parse_sets(args.set))
    game = settings["game"]
    noise = _rate(args.noise, settings["noise"], "--noise")
    perception = _rate(args.perception, settings["perception"], "--perception")
    discount = settings["discount"] if args.delta is None else _rate(args.delta, None, "--delta")
    names = _names(args.automata, settings["automata"])
    common = {"cooperate": settings["cooperate"], "defined": settings["defined"]}
    if args.pair is not None:
        pair = [name.strip() for name in args.pair.split(",")]
        if len(pair) != 2 or not all(pair):
            raise UserError(f"--pair {args.pair!r}: expected two automaton names A,B")
        result = noisy_payoffs(game, pair[0], pair[1], noise=noise, perception=perception, discount=discount,
                               **common)
    elif args.critical is not None:
        # the table shows 11 error rates from 0 to 1/4 (each δ* exact, about 20 ms); a figure draws 26
        result = _critical(game, args.critical, noise, perception, names if args.automata else None, common,
                           points=26 if args.plot else 11)
    else:
        result = noisy_equilibria(game, names, noise=noise, perception=perception, discount=discount, **common)
    print(render(result, args.format))
    if args.plot is not None:
        curve = result if args.critical is not None else _critical(game, _plotted(game, names, common), noise,
                                                                     perception, None, common)
        write_figure(curve.plot(), args.plot)
    return 0


def _critical(game, automaton, noise, perception, against, common, points=26):
    """δ*(ε) against the automata named with --automata, else against all strategies (public monitoring only)."""
    if perception != 0 and against is None:
        raise UserError("--critical with perception errors: name the automata to compare with (--automata)")
    return critical_discount_under_noise(game, automaton, noise=noise, perception=perception, against=against,
                                         points=points, **common)


def _plotted(game, names, common) -> str:
    """The first automaton of the list with more than one state (its δ*(ε) is the figure)."""
    for name in names:
        if bind_automaton(game, name, 0, **common).size > 1:
            return name
    raise UserError("--plot: every automaton listed has one state; name one with --critical")
