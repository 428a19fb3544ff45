"""The ``negotiation`` command: one module per command, loaded only when that command runs.

``-q``/``--quiet`` (before or after the command) silences progress bars and notes on standard
error; results and errors are still written.

Exit status: 0 on success, 1 on bad input (one line on stderr naming the file, field or
value: every :class:`~negotiation.core.errors.NegotiationError`), 2 on usage errors, 130 when
interrupted.

:data:`COMMANDS` is the registry: each command's module (with ``add_parser(subparsers)`` and
``run(args)``) and its one-line help. ``negotiation --help`` lists the commands from the
registry without importing any of them, so it stays instant; the module of the command being
run is imported by name, here and nowhere else.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from negotiation.core.labels import visible
from negotiation.core.progress import silenced
from negotiation.core.version import __version__

__all__ = ["main", "build_parser", "COMMANDS"]

#: name -> (module with add_parser/run, one-line help, aliases)
COMMANDS = {
    "solve": ("negotiation.cli.solve", "equilibria of one model at one parameter point", ()),
    "models": ("negotiation.cli.models", "list the bundled scenarios", ()),
    "show": ("negotiation.cli.show", "describe a scenario: parameters, payoffs, assumptions, sources", ()),
    "derive": ("negotiation.cli.derive",
               "symbolic conditions: where each equilibrium holds, classic-game regions, thresholds", ()),
    "sweep": ("negotiation.cli.sweep", "equilibrium tables over parameter grids or Monte Carlo samples", ()),
    "agree": ("negotiation.cli.agree", "zone of possible agreement, Pareto frontier and bargaining solutions", ()),
    "learn": ("negotiation.cli.learn", "learning dynamics and the logit QRE branch of a model", ()),
    "arms-race": ("negotiation.cli.arms_race",
                  "Richardson arms-race dynamics of a continuous scenario: steady state, stability, paths",
                  ("dynamics",)),
    "convert": ("negotiation.cli.convert", "write a model as Gambit .nfg, .efg or JSON", ()),
    "tables": ("negotiation.cli.tables", "equilibrium tables of every bundled model at its defaults", ()),
    "app": ("negotiation.cli.app", "the interactive explorer in the browser", ()),
    # issue 18: evolutionary dynamics
    "evolve": ("negotiation.cli.evolve",
               "evolutionary dynamics in a population: Moran fixation, replicator–mutator, KMR", ()),
    # issue 18: noisy repeated games
    "noisy": ("negotiation.cli.noisy",
              "repeated game with implementation and perception errors: automata, equilibria, critical δ(ε)", ()),
    # issue 18: the equilibrium payoff set
    "payoff-set": ("negotiation.cli.payoff_set",
                   "equilibrium payoff set of a repeated game of two players at a given δ", ()),
    # issue 18: QRE estimation and strategic choice
    "estimate": ("negotiation.cli.estimate",
                 "fit a logit QRE to choice counts, or a strategic choice model to outcomes", ()),
    # issue 13: robustness of claims
    "robustness": ("negotiation.cli.robustness",
                   "how robust each claim of a model is: its share of the assumption space, where it flips", ()),
}
#: What ``-q``/``--quiet`` silences (results and errors never are).
QUIET_HELP = "no progress bars and no notes on stderr (results and errors are still written)"
_ALIASES = {alias: name for name, (_, _, aliases) in COMMANDS.items() for alias in aliases}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; the full arguments of ``command`` only (the others are listed by name)."""
    parser = argparse.ArgumentParser(
        prog="negotiation",
        description="Game-theoretic analysis of security negotiations: equilibria of parameterised models.",
    )
    parser.add_argument("--version", action="version", version=f"negotiation {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help=QUIET_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    name = _ALIASES.get(command, command)
    for key, (module, help_text, aliases) in COMMANDS.items():
        if key == name:
            importlib.import_module(module).add_parser(commands)
            # also after the command (`negotiation sweep ... -q`); SUPPRESS keeps a -q given before it
            commands.choices[key].add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                                               help=QUIET_HELP)
        else:
            commands.add_parser(key, help=help_text, aliases=list(aliases), add_help=False)
    return parser


def _command(argv) -> str | None:
    """The command named in ``argv`` (its first word that is not an option)."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(argv=None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(argv))
    args = parser.parse_args(argv)
    try:
        with silenced(args.quiet):
            return args.handler(args)
    except (ValueError, RuntimeError) as error:
        # NegotiationError (bad input; a solver's limit, also a RuntimeError) and whatever else escaped the
        # toolkit's own checks: one line, never a traceback
        message = visible(" ".join(str(error).split()))  # one line, no raw control or bidirectional character
        hint = ""
        if isinstance(error, RuntimeError) and getattr(args, "method", "auto") not in (None, "auto"):
            hint = " (try --method auto" + (", sequence_form or backward_induction for game trees)"
                                            if args.command == "solve" else ")")
        print(f"negotiation: error: {message}{hint}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and friends
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""  # never an empty name before the colon
        print(visible(f"negotiation: error: {where}{error.strerror or error}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("negotiation: interrupted", file=sys.stderr)
        return 130
