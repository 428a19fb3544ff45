"""Equilibrium algorithms as free functions, and one front door, :func:`solve`.

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
``backward_induction``    every pure subgame-perfect equilibrium of a game tree (trees only)
========================  ==========================================================
"""

from __future__ import annotations

import math

from negotiation.solvers.pure import enumerate_pure
from negotiation.solvers.vertex_enumeration import vertex_enumeration
from negotiation.core.errors import NegotiationError

__all__ = ["solve", "METHODS", "enumerate_pure", "vertex_enumeration"]


def _lazy(module, name):
    def call(game, **options):
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{module}"), name)(game, **options)

    call.__name__ = name
    return call


#: Registry of ``method=`` names.
METHODS = {
    "vertex_enumeration": vertex_enumeration,
    "enumerate_pure": enumerate_pure,
    "iterated_elimination": _lazy("dominance", "iterated_elimination"),
    "lemke_howson": _lazy("lemke_howson", "lemke_howson"),
    "lemke_howson_enumeration": _lazy("lemke_howson", "lemke_howson_enumeration"),
    "linear_program": _lazy("zero_sum", "linear_program"),
    "logit_qre": _lazy("quantal_response", "logit_qre"),
    "correlated": _lazy("correlated", "correlated_report"),
    "support_enumeration_polynomial": _lazy("polynomial", "support_enumeration_polynomial"),
    "gambit-enumpoly": _lazy("gambit_backend", "gambit_enumpoly"),
    "gambit-enummixed": _lazy("gambit_backend", "gambit_enummixed"),
    "gambit-lcp": _lazy("gambit_backend", "gambit_lcp"),
    "gambit-logit": _lazy("gambit_backend", "gambit_logit"),
}

#: ``auto`` for three or more players: exact polynomial support enumeration while the number of
#: support profiles is at most this (2×2×2, 2×2×3, 2×3×3, 2×2×2×2 solve in about a second or less;
#: benchmarks/results/nplayer.md), else every pure equilibrium.
AUTO_SUPPORT_PROFILES = 150


#: Model types solved by their own front door: module of the type -> (module, function, methods).
_FAMILIES = {
    "negotiation.signaling": ("negotiation.signaling", "pure_pbe", ("pure_pbe",)),
}


def _bayesian(model):
    if type(model).__name__ == "BayesianGame" or type(getattr(model, "game", None)).__name__ == "BayesianGame":
        from negotiation.bayesian import BayesianGame

        return isinstance(model, BayesianGame) or isinstance(getattr(model, "game", None), BayesianGame)
    return False


def solve(model, method: str = "auto", **options):
    """Equilibria of a game (or of a scenario at its default parameters).

    Parameters
    ----------
    model : Game or Scenario
        A numeric game, or a scenario/symbolic game (solved at its defaults,
        or at ``values=`` if given).
    method : str
        ``"auto"`` or one of :data:`METHODS`.
    **options
        Passed to the algorithm; ``values`` (a mapping) sets parameters first.

    Returns
    -------
    SolveResult

    Examples
    --------
    >>> import negotiation as ng
    >>> pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> result = ng.solve(pennies)
    >>> result[0].profile.describe(), result.method
    ('Player 1: 1/2 1 + 1/2 2; Player 2: 1/2 1 + 1/2 2', 'vertex_enumeration')
    """
    from negotiation.models.tree import GameTree

    if type(model).__name__ == "ContinuousGame" or type(getattr(model, "game", None)).__name__ == "ContinuousGame":
        from negotiation.continuous import solve_continuous

        return solve_continuous(model, values=options.pop("values", None), method=method, **options)
    if _bayesian(model):
        from negotiation.bayesian import solve_bayesian

        return solve_bayesian(model, method=method, **options)
    family = _FAMILIES.get(type(model).__module__)
    if family is not None:
        import importlib

        module, function, methods = family
        if method not in ("auto", *methods):
            raise NegotiationError(f"unknown method {method!r} for a {type(model).__name__} "
                             f"(expected one of: auto, {', '.join(methods)})")
        return getattr(importlib.import_module(module), function)(model, **options)
    if isinstance(model, GameTree) or isinstance(getattr(model, "game", None), GameTree):
        from negotiation.solvers.backward_induction import solve_tree

        return solve_tree(model, method=method, **options)
    values = options.pop("values", None)
    game = model
    if hasattr(model, "game") and hasattr(model, "parameters") and not hasattr(model, "payoffs"):
        game = model.game  # a Scenario
    if game.is_symbolic or values:
        game = game.substitute(values or {})
    if method == "auto":
        if game.n_players == 2:
            method = "vertex_enumeration"
        elif math.prod(2 ** n - 1 for n in game.shape) <= AUTO_SUPPORT_PROFILES:
            method = "support_enumeration_polynomial"
        else:
            method = "enumerate_pure"
    try:
        algorithm = METHODS[method]
    except KeyError:
        raise NegotiationError(
            f"unknown method {method!r} (expected one of: auto, {', '.join(METHODS)})"
        ) from None
    return algorithm(game, **options)
