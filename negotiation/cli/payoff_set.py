"""``negotiation payoff-set PATH --delta D``: the subgame-perfect equilibrium payoffs of a two-player game
repeated forever with discount factor δ (Abreu–Sannikov 2014), as text, JSON, Markdown, LaTeX or CSV, and
with ``--plot FILE`` the polygon over the folk-theorem set."""

from __future__ import annotations

from negotiation.cli.arguments import FORMATS, UserError, load_model, parse_sets, render, write_text
from negotiation.cli.kinds import require
from negotiation.report.figures import figure_format, write_figure
from negotiation.report.payoff_set import plot_payoff_set
from negotiation.results.repeated import RepeatedGameError
from negotiation.solvers.payoff_set import DEFAULT_TOLERANCE, equilibrium_payoff_set

__all__ = ["add_parser", "run"]


def add_parser(subparsers):
    """Add ``negotiation payoff-set PATH`` to an argparse ``subparsers`` object; returns its parser."""
    parser = subparsers.add_parser(
        "payoff-set", help="equilibrium payoff set of a repeated game of two players at a given δ",
        description="The set of pure-strategy subgame-perfect equilibrium payoffs of the infinitely repeated "
                    "two-player game (perfect monitoring, public randomisation) at discount factor δ: a polygon "
                    "computed by the Abreu-Sannikov (2014) algorithm, in floating point.")
    parser.add_argument("path", metavar="PATH",
                        help="two-player strategic-form scenario .toml, Gambit .nfg, a bundled model name, or -")
    parser.add_argument("--delta", required=True, metavar="D", help="discount factor in (0, 1), e.g. 0.9 or 9/10")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE", help="set a parameter (repeatable)")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, metavar="T",
                        help=f"convergence criterion relative to the payoff range (default: {DEFAULT_TOLERANCE:g})")
    parser.add_argument("--max-rounds", type=int, default=None, metavar="N",
                        help="rounds of the iteration at most (default: the most the work limit allows, at most "
                             "5000)")
    parser.add_argument("--max-work", type=int, default=None, metavar="N",
                        help="work limit, rounds × (profiles + 30) (default: MAX_PAYOFF_SET_WORK = 60,000, about "
                             "0.6 s; raise it for δ close to 1)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE instead of printing it")
    parser.add_argument("--plot", metavar="FILE", help="save the figure to FILE (.png, .pdf or .svg)")
    parser.set_defaults(handler=run)
    return parser


def run(args) -> int:
    """Run ``negotiation payoff-set``; prints the result, returns 0 (bad input raises NegotiationError)."""
    if args.plot is not None:
        figure_format(args.plot, option="--plot")  # before the work: the suffix names the format
    scenario = load_model(args.path)
    require(scenario, "payoff-set", args.path)
    game = scenario.game_at(parse_sets(args.set))
    if game.n_players != 2:
        raise UserError(f"{args.path}: payoff-set needs a two-player game, this one has {game.n_players} players")
    try:
        result = equilibrium_payoff_set(game, args.delta, tolerance=args.tolerance, max_rounds=args.max_rounds,
                                        max_work=args.max_work)
    except RepeatedGameError as error:  # name the options the user typed, not the keywords behind them
        message = str(error)
        for keyword, option in (("discount:", "--delta"), ("tolerance:", "--tolerance"),
                                ("max_rounds:", "--max-rounds"), ("max_work:", "--max-work")):
            if message.startswith(keyword):
                raise UserError(f"{option}{message[len(keyword) - 1:]}") from None
        raise
    if args.plot:
        write_figure(plot_payoff_set(result), args.plot)
    write_text(render(result, args.format), args.output)
    return 0
