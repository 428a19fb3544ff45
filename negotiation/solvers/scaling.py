"""Float games solved at a payoff scale near one, so that every strategic-form method is scale invariant.

Multiplying every payoff of a game by the same ``c > 0`` changes no equilibrium and multiplies every
payoff by ``c``. Floating point has a finite range, though (payoff differences near the float
maximum overflow to ``inf``), and solvers compare numbers with tolerances. So every method registered
with :func:`negotiation.solvers.methods.game_method` runs through :func:`at_unit_scale`: a float game is
solved on a copy with every payoff divided by its *payoff unit* ``2**e``
(:func:`~negotiation.solvers.verify.payoff_exponent`: the largest ``|payoff|`` becomes a number in
``[0.5, 1)``). The division is exact in binary (payoffs more than ``2**1021`` times smaller than the
largest lose bits or become zero: far below any tolerance), every tolerance inside the solvers is then
relative to the payoff scale, and no intermediate value can overflow. The result is mapped back to
the game: probabilities as found, payoffs and regrets multiplied by the unit. Exact and symbolic games
pass through untouched.

==========================================  ====================================================================
what                                        under payoffs scaled by ``c > 0``
==========================================  ====================================================================
equilibria (probabilities)                  the same, within ``FLOAT_TOLERANCE`` (rounding of the scaled payoffs)
payoffs, regrets, ``details["value"]``,     multiplied by ``c`` (mapped back by the unit exactly; an expected
``details["max_regret"]``                   payoff is clipped into the range of the player's payoffs)
``details["precision"]`` (a logit ``λ``)    divided by ``c``
tolerances (regret, ties)                   ``FLOAT_TOLERANCE`` times the payoff scale, stated in a message
``logit_qre`` precision ``λ``               divided by ``c`` (only ``λ · payoffs`` enters; see
                                            :mod:`negotiation.solvers.quantal_response`)
==========================================  ====================================================================

A probability or payoff that is not a finite number, or a result that claims to be complete but lists
no equilibrium (every finite game has one), is a :class:`~negotiation.solvers.verify.NumericalError`
naming the method, never a result.
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace

import numpy as np

from negotiation.models.game import Game
from negotiation.results.game import CorrelatedReport, Equilibrium, SolveResult
from negotiation.solvers.verify import FLOAT_TOLERANCE, NumericalError, payoff_exponent, regret_tolerance

__all__ = ["at_unit_scale", "normalised_game", "rescaled", "scaled_back", "tolerance_message", "PAYOFF_DETAILS"]

_TOLERANCE_NOTE = "float payoffs: tolerances scale with the payoffs"

#: Entries of ``details`` that are payoffs (they scale with the payoffs).
PAYOFF_DETAILS = ("value", "max_regret")
#: Entries of ``details`` in inverse payoff units (a logit precision λ, e.g. of the reduced game's ``logit_qre``).
PRECISION_DETAILS = ("precision",)


def at_unit_scale(function, method: str, check=None):
    """``function(game, …)`` run on the float ``game`` divided by its payoff unit, its result mapped back.

    ``check(game)``, if given, runs first on the game as given, so that its error names the payoffs the user
    wrote (the zero-sum check of ``linear_program``).

    Examples
    --------
    >>> from negotiation.solvers.pure import enumerate_pure
    >>> tiny = Game.from_arrays([[1e-10, -1e-10], [-1e-10, 1e-10]], [[-1e-10, 1e-10], [1e-10, -1e-10]])
    >>> len(enumerate_pure(tiny))  # matching pennies has no pure equilibrium, at any scale
    0
    """
    @functools.wraps(function)
    def solve_at_unit_scale(game, *args, **options):
        if getattr(game, "arithmetic", None) != "float":
            return function(game, *args, **options)
        if check is not None:
            check(game)
        exponent = payoff_exponent(game.payoffs)
        return rescaled(function(normalised_game(game, exponent), *args, **options), game, exponent, method)

    return solve_at_unit_scale


def normalised_game(game: Game, exponent: int | None = None) -> Game:
    """The float ``game`` with every payoff divided by ``2**exponent`` (default: its payoff unit), labels kept.

    Examples
    --------
    >>> huge = Game.from_arrays([[1.5e308, -1.5e308]], [[-1.5e308, 1.5e308]])
    >>> normalised_game(huge).payoff_array(0).tolist()
    [[0.8344026969402005, -0.8344026969402005]]
    """
    if exponent is None:
        exponent = payoff_exponent(game.payoffs)
    if exponent == 0:
        return game
    payoffs = np.ldexp(np.asarray(game.payoffs, dtype=float), -exponent)
    return Game(game.players, game.strategies, payoffs, title=game.title, parameters=game.parameters,
                values=game.values)


def rescaled(result, game: Game, exponent: int, method: str):
    """``result`` (of the game divided by ``2**exponent``) as a result of ``game``: payoffs multiplied back.

    Checks first that every probability and payoff is a finite number and that a complete result lists an
    equilibrium; adds the tolerance message (:func:`tolerance_message`).
    """
    bounds = _payoff_bounds(game)
    if isinstance(result, SolveResult):
        _check_finite(result, method)
        equilibria = tuple(Equilibrium(e.profile, _payoffs(e.payoffs, exponent, bounds),
                                       math.ldexp(float(e.regret), exponent)) for e in result.equilibria)
        details = {key: _detail(key, value, exponent) for key, value in result.details.items()}
        # a method that solved another game on the way (a fallback, the reduced game) passes its note on:
        # only the note on this game is kept
        messages = tuple(m for m in result.messages if not m.startswith(_TOLERANCE_NOTE))
        return replace(result, game=game, equilibria=equilibria, details=details,
                       messages=(*messages, tolerance_message(game, exponent)))
    if isinstance(result, CorrelatedReport):
        players = game.players
        results = tuple(replace(r, payoffs=dict(zip(players, _payoffs([r.payoffs[p] for p in players], exponent,
                                                                      bounds))))
                        for r in result.results)
        nash = tuple(dict(zip(players, _payoffs([n[p] for p in players], exponent, bounds)))
                     for n in result.nash_payoffs)
        return replace(result, game=game, results=results, nash_payoffs=nash)
    raise TypeError(f"{method}: cannot rescale a {type(result).__name__} (register it with unit_scale=False)")


def tolerance_message(game: Game, exponent: int) -> str:
    """The note a float result carries: its regret tolerance, relative to the payoff scale, and the unit used."""
    text = (f"{_TOLERANCE_NOTE}; regret at most {regret_tolerance(game):.3g} "
            f"({FLOAT_TOLERANCE:g} times the payoff scale, the larger of the payoff range and the largest |payoff|)")
    if exponent:
        text += f"; solved with every payoff divided by 2^{exponent} (exact in binary)"
    return text


def _detail(key, value, exponent):
    """One entry of ``details`` of the scaled game's result, as an entry of the game's."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        return value
    if key in PAYOFF_DETAILS:
        return math.ldexp(float(value), exponent)
    if key in PRECISION_DETAILS:
        return math.ldexp(float(value), -exponent)
    return value


def _payoff_bounds(game: Game) -> list:
    """Per player ``(smallest, largest)`` payoff: an expected payoff lies between them."""
    return [(float(np.min(game.payoffs[..., i])), float(np.max(game.payoffs[..., i])))
            for i in range(game.n_players)]


def scaled_back(values, exponent: int, game: Game) -> tuple:
    """Expected payoffs (one per player) of ``game`` divided by ``2**exponent``, as payoffs of ``game``.

    Examples
    --------
    >>> game = Game.from_arrays([[1.5e308, -1.5e308]], [[-1.5e308, 1.5e308]])
    >>> scaled_back([0.9999999999999999, 0.0], 1024, game)
    (1.5e+308, 0.0)
    """
    return _payoffs(values, exponent, _payoff_bounds(game))


def _payoffs(values, exponent, bounds) -> tuple:
    """Expected payoffs of the scaled game, multiplied back by ``2**exponent``: exact, unless rounding pushed one
    past the player's payoff range (then clipped into it; near the float maximum it would overflow)."""
    out = []
    for value, (low, high) in zip(values, bounds):
        with np.errstate(over="ignore"):
            scaled = float(np.ldexp(float(value), exponent))
        out.append(min(max(scaled, low), high))
    return tuple(out)


def _check_finite(result: SolveResult, method: str) -> None:
    for equilibrium in result.equilibria:
        numbers = [p for vector in equilibrium.profile.probabilities for p in vector] + list(equilibrium.payoffs)
        if not all(math.isfinite(float(v)) for v in numbers):
            raise NumericalError(f"{method}: equilibrium {equilibrium.profile.describe()} has a value that is not a "
                                 "finite number (floating-point failure)")
    if result.complete and not result.equilibria:
        raise NumericalError(f"{method}: no equilibrium found although the result would be complete (every finite "
                             "game has one): a floating-point failure; solve the game with exact payoffs instead")
