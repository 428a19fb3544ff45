"""Optional backend: Gambit's equilibrium solvers (pygambit, GPL) on the toolkit's games.

``pygambit`` is imported only inside the functions here, so the toolkit runs
without it; asking for a Gambit method without it installed raises
:class:`GambitUnavailableError` with the install command. The game is handed
to Gambit with exact rational payoffs when it is exact (floats otherwise) and
default labels; the answers come back as labelled profiles in a
:class:`~negotiation.results.game.SolveResult` whose ``method`` names the Gambit
routine (``"gambit-enumpoly"`` …). Rational answers become Fractions and are
verified exactly; float answers are checked against the tolerance Gambit used
(``maxregret`` times the payoff scale), and the largest regret is reported in
``details``.

=====================  =====================================  =========  ==========
method                 Gambit routine                         players    complete
=====================  =====================================  =========  ==========
``gambit-enumpoly``    ``enumpoly_solve`` (float, supports)   any        no [1]_
``gambit-enummixed``   ``enummixed_solve`` (exact)            2          yes
``gambit-lcp``         ``lcp_solve`` (exact Lemke–Howson)     2          no
``gambit-logit``       ``logit_solve`` (one equilibrium)      any        no
=====================  =====================================  =========  ==========

.. [1] Gambit's enumpoly solves each support system numerically and is known to
   miss equilibria on some games (Gambit issue #474); use
   ``support_enumeration_polynomial`` for a guaranteed list.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.models.profile import expected_payoffs, MixedProfile, regrets
from negotiation.results.game import Equilibrium, SolveResult
from negotiation.solvers.components import maximal_cliques
from negotiation.solvers.methods import game_method
from negotiation.solvers.verify import payoff_scale, verified_equilibrium

__all__ = ["GAMBIT_METHODS", "GambitUnavailableError", "gambit_solve", "gambit_enumpoly",
           "gambit_enummixed", "gambit_lcp", "gambit_logit", "to_gambit"]

GAMBIT_METHODS = ("gambit-enumpoly", "gambit-enummixed", "gambit-lcp", "gambit-logit")


class GambitUnavailableError(NegotiationError, ImportError):
    """A Gambit method was requested but pygambit is not installed."""


def _import_gambit(method):
    try:
        import pygambit
    except ImportError:
        raise GambitUnavailableError(
            f"method {method!r} needs pygambit (GPL), install with: pip install 'negotiation[gambit]'"
        ) from None
    return pygambit


def to_gambit(game, *, method="gambit"):
    """The game as a ``pygambit.Game`` (default labels; exact payoffs stay rational).

    Examples
    --------
    >>> from negotiation import Game
    >>> g = to_gambit(Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]))  # doctest: +SKIP
    >>> len(g.players)  # doctest: +SKIP
    2
    """
    if game.is_symbolic:
        raise NegotiationError("substitute parameter values before solving (game.substitute(...))")
    gbt = _import_gambit(method)
    arrays = []
    for i in range(game.n_players):
        array = np.empty(game.shape, dtype=object)
        for position, value in np.ndenumerate(game.payoff_array(i)):
            array[position] = value if game.is_exact else float(value)
        arrays.append(array)
    title = game.title if game.title and game.title.isascii() and game.title.isprintable() else "game"
    return gbt.Game.from_arrays(*arrays, title=title)


def gambit_solve(game, method="gambit-enumpoly", **options) -> SolveResult:
    """Solve ``game`` with one of Gambit's methods (see the module table).

    Parameters
    ----------
    game : Game
        A numeric game.
    method : str
        One of :data:`GAMBIT_METHODS`.
    **options
        ``rational`` (enummixed, lcp: default exact when the game is exact),
        ``maxregret`` (enumpoly, logit).

    Returns
    -------
    SolveResult

    Raises
    ------
    GambitUnavailableError
        When pygambit is not installed.
    ValueError
        For a symbolic game, an unknown method, or a two-player method on a
        game with more players.

    Examples
    --------
    >>> from negotiation import Game
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> result = gambit_solve(pennies, "gambit-enummixed")  # doctest: +SKIP
    >>> result[0].profile.describe(), result.exact  # doctest: +SKIP
    ('Player 1: 1/2 1 + 1/2 2; Player 2: 1/2 1 + 1/2 2', True)
    >>> gambit_solve(pennies, "gambit-simpdiv")
    Traceback (most recent call last):
    ...
    negotiation.core.errors.NegotiationError: unknown Gambit method 'gambit-simpdiv' (expected one of: gambit-enumpoly, gambit-enummixed, gambit-lcp, gambit-logit)
    """
    functions = {
        "gambit-enumpoly": gambit_enumpoly,
        "gambit-enummixed": gambit_enummixed,
        "gambit-lcp": gambit_lcp,
        "gambit-logit": gambit_logit,
    }
    if method not in functions:
        raise NegotiationError(f"unknown Gambit method {method!r} (expected one of: {', '.join(GAMBIT_METHODS)})")
    return functions[method](game, **options)


@game_method("gambit-enumpoly")
def gambit_enumpoly(game, *, maxregret=1e-4) -> SolveResult:
    """Equilibria from Gambit's support enumeration with polynomial systems (floats, any number of players)."""
    method = "gambit-enumpoly"
    gbt = _import_gambit(method)
    solved = gbt.nash.enumpoly_solve(to_gambit(game, method=method), use_strategic=True, maxregret=maxregret)
    return _result(game, solved, method, complete=False, tolerance=maxregret,
                   messages=("Gambit's enumpoly solves support systems numerically; it is not "
                             "guaranteed to list every equilibrium",))


@game_method("gambit-enummixed")
def gambit_enummixed(game, *, rational=None) -> SolveResult:
    """Every extreme equilibrium of a two-player game (Gambit's enummixed)."""
    method = "gambit-enummixed"
    _two_players(game, method)
    gbt = _import_gambit(method)
    rational = game.is_exact if rational is None else bool(rational)
    solved = gbt.nash.enummixed_solve(to_gambit(game, method=method), rational=rational)
    return _result(game, solved, method, complete=True, tolerance=1e-9, components=True)


@game_method("gambit-lcp")
def gambit_lcp(game, *, rational=None) -> SolveResult:
    """Equilibria reached by Gambit's Lemke–Howson (two players)."""
    method = "gambit-lcp"
    _two_players(game, method)
    gbt = _import_gambit(method)
    rational = game.is_exact if rational is None else bool(rational)
    solved = gbt.nash.lcp_solve(to_gambit(game, method=method), rational=rational, use_strategic=True)
    return _result(game, solved, method, complete=False, tolerance=1e-9)


@game_method("gambit-logit")
def gambit_logit(game, *, maxregret=1e-8) -> SolveResult:
    """One equilibrium: the limit of Gambit's logit quantal-response path (floats)."""
    method = "gambit-logit"
    gbt = _import_gambit(method)
    solved = gbt.nash.logit_solve(to_gambit(game, method=method), use_strategic=True, maxregret=maxregret)
    return _result(game, solved, method, complete=False, tolerance=maxregret)


def _two_players(game, method):
    if game.n_players != 2:
        raise NegotiationError(f"method {method!r} needs a two-player game, this one has {game.n_players} players")


def _convert(value, exact):
    if exact:
        return Fraction(str(value))
    return float(value)


def _result(game, solved, method, *, complete, tolerance, components=False, messages=()):
    exact = bool(solved.rational) and game.is_exact
    players = list(solved.game.players)
    equilibria, dropped, worst = [], 0, 0.0
    for profile in solved.equilibria:
        vectors = [tuple(_convert(profile[s], exact) for s in player.strategies) for player in players]
        mixed = MixedProfile.from_vectors(game, vectors)
        if exact:
            equilibria.append(verified_equilibrium(game, mixed, method=method))
            continue
        regret = float(max(regrets(game, mixed)))
        distribution = all(min(v) >= -1e-9 and abs(sum(v) - 1) <= 1e-6 for v in vectors)
        if not distribution or regret > max(tolerance, 1e-9) * payoff_scale(game.payoffs):
            dropped += 1
            continue
        worst = max(worst, regret)
        equilibria.append(Equilibrium(mixed, tuple(float(v) for v in expected_payoffs(game, mixed)), regret))
    notes = list(messages)
    if dropped:
        notes.append(f"dropped {dropped} profile{'s' if dropped > 1 else ''} returned by Gambit that "
                     f"{'are not distributions or have' if dropped > 1 else 'is not a distribution or has'} "
                     f"regret above {max(tolerance, 1e-9):g} times the payoff scale")
    if not exact:
        notes.append(f"floating point: largest regret {worst:.3g}")
    groups = tuple((k,) for k in range(len(equilibria)))
    if components and exact and equilibria:
        xs = {e.profile.probabilities[0] for e in equilibria}
        ys = {e.profile.probabilities[1] for e in equilibria}
        x_id = {x: k for k, x in enumerate(sorted(xs))}
        y_id = {y: k for k, y in enumerate(sorted(ys))}
        groups = maximal_cliques([(x_id[e.profile.probabilities[0]], y_id[e.profile.probabilities[1]])
                                  for e in equilibria])
    return SolveResult(
        game=game,
        equilibria=tuple(equilibria),
        method=method,
        exact=exact,
        complete=complete,
        degenerate=None,
        components=groups,
        parameters=dict(game.values),
        messages=tuple(notes),
        details={"gambit_method": solved.method, "max_regret": worst if not exact else Fraction(0)},
    )
