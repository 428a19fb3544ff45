"""The ``method=`` names for strategic-form games, and :func:`solve_game`, which runs one of them.

This module registers :class:`~negotiation.models.game.Game` with the front door
:func:`~negotiation.solvers.front_door.solve`. Each algorithm module registers its entry point
here with :func:`game_method`; the package's
``__init__`` imports every algorithm module, so the registry is complete whenever
``negotiation.solvers`` is imported. Algorithms that solve another game on the way (the reduced
game after eliminating dominated strategies, the strategic form of a tree) call
:func:`solve_game` instead of importing each other.

========================  ==========================================================
method                    what it returns
========================  ==========================================================
``auto``                  two players: ``vertex_enumeration``; more: ``support_enumeration_polynomial``
                          for small games (see :data:`AUTO_SUPPORT_PROFILES`), else ``enumerate_pure``
``vertex_enumeration``    every extreme equilibrium of a two-player game, exact, with components
``enumerate_pure``        every pure-strategy equilibrium, any number of players
``iterated_elimination``  removes strictly dominated strategies (pure or mixed dominators), then solves
``lemke_howson``          one equilibrium of a two-player game, fast
``lemke_howson_enumeration``  the equilibria Lemke–Howson reaches from every initial label
``linear_program``        value and optimal strategies of a two-player zero-sum game
``logit_qre``             logit quantal response equilibrium on the principal branch at ``precision=`` (float)
``support_enumeration_polynomial``  every isolated equilibrium of an n-player game, exact (sympy)
``gambit-enumpoly`` …     pygambit's solvers (GPL, optional, imported lazily): ``gambit-enumpoly``,
                          ``gambit-enummixed``, ``gambit-lcp``, ``gambit-logit``
``correlated``            correlated equilibria by linear programming (welfare, egalitarian, each player's best)
========================  ==========================================================
"""

from __future__ import annotations

import inspect
import math
from typing import Callable

from negotiation.core.errors import NegotiationError
from negotiation.models.game import Game
from negotiation.solvers.front_door import solve
from negotiation.solvers.scaling import at_unit_scale

__all__ = ["METHODS", "AUTO_SUPPORT_PROFILES", "game_method", "solve_game", "auto_method", "check_options"]

#: Registry of ``method=`` names for strategic-form games (name -> function(game, **options)).
METHODS: dict[str, Callable] = {}

#: The order in which the methods are listed (help, error messages); registered names not in it follow.
ORDER = ("vertex_enumeration", "enumerate_pure", "iterated_elimination", "lemke_howson", "lemke_howson_enumeration",
         "linear_program", "logit_qre", "correlated", "support_enumeration_polynomial", "gambit-enumpoly",
         "gambit-enummixed", "gambit-lcp", "gambit-logit")

#: ``auto`` for three or more players: exact polynomial support enumeration while the number of
#: support profiles is at most this (3×3×3 has 343 and solves in about 0.1 s, 2×2×2×2 has 81;
#: benchmarks/results/nplayer.md), else every pure equilibrium (a result that says so: ``complete=False``,
#: "pure-strategy equilibria only"). ``auto`` hands this budget to the solver as ``max_work``.
AUTO_SUPPORT_PROFILES = 343


def game_method(*names: str, unit_scale: bool = True, check=None):
    """Register the decorated function under ``names`` (``method=`` values of :func:`solve_game`).

    With ``unit_scale`` (the default) the registered function, and the name the decorator returns, solve a
    float game divided by its payoff unit and map the result back
    (:func:`negotiation.solvers.scaling.at_unit_scale`): every method is scale invariant. A method whose
    options scale with the payoffs (``logit_qre``'s precision) handles the scale itself: ``unit_scale=False``.
    ``check(game)`` runs on the game as given before it is scaled (its errors then quote the user's payoffs).
    """
    def decorator(function):
        entry = at_unit_scale(function, names[0], check) if unit_scale else function
        for name in names:
            METHODS[name] = entry
        ordered = sorted(METHODS, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
        for name in ordered:  # keep the registry itself in the listed order
            METHODS[name] = METHODS.pop(name)
        return entry

    return decorator


def auto_method(game) -> str:
    """What ``method="auto"`` runs on ``game``."""
    if game.n_players == 2:
        return "vertex_enumeration"
    if math.prod(2 ** n - 1 for n in game.shape) <= AUTO_SUPPORT_PROFILES:
        return "support_enumeration_polynomial"
    return "enumerate_pure"


@solve.register(Game, methods=METHODS.keys())  # a live view: every method registered by the algorithm modules
def solve_game(game, method: str = "auto", values=None, **options):
    """Equilibria of a strategic-form game by ``method`` (a symbolic game is solved at ``values`` or its
    defaults)."""
    if game.is_symbolic or values:
        game = game.substitute(values or {})
    if method == "auto":
        method = auto_method(game)
        if method == "support_enumeration_polynomial":
            options.setdefault("max_work", AUTO_SUPPORT_PROFILES)  # the direct call's default budget is smaller
    try:
        algorithm = METHODS[method]
    except KeyError:
        raise NegotiationError(f"unknown method {method!r} (expected one of: auto, {', '.join(METHODS)})") from None
    check_options(method, algorithm, options)
    return algorithm(game, **options)


def check_options(method: str, algorithm, options) -> None:
    """Refuse an option the method does not take (``--max-work`` with ``enumerate_pure``) in one line."""
    parameters = inspect.signature(algorithm).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    unknown = [name for name in options if name not in parameters]
    if unknown:
        known = [name for name, p in list(parameters.items())[1:] if p.kind is not inspect.Parameter.VAR_POSITIONAL]
        raise NegotiationError(f"method {method!r} takes no option {unknown[0]!r} "
                               f"(its options: {', '.join(known) or 'none'})")
