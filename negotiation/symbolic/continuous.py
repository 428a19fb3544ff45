"""Closed forms of a continuous game: ``ng.derive(game)`` for a :class:`~negotiation.models.continuous.ContinuousGame`.

With its parameters left free, the enumeration of the Karush–Kuhn–Tucker cases
(:func:`negotiation.solvers.continuous.solve_continuous`, method ``first_order_conditions``) gives
every candidate equilibrium as a closed form in the parameters, each with the conditions on the
parameters under which it is an equilibrium (which bounds bind, the sign of the marginal payoff at a
binding bound, the second-order condition where it is not proved).

Examples
--------
>>> import negotiation as ng
>>> derived = ng.derive(ng.load("force_posture_cournot"))
>>> interior = [e for e in derived if e.binding == ("interior", "interior")][0]
>>> interior["NATO"], interior["Russia"]
((V - 2*c_N + c_R)/(3*s), (V + c_N - 2*c_R)/(3*s))
"""

from __future__ import annotations

from typing import Mapping

from negotiation.models.continuous import ContinuousGame
from negotiation.results.continuous import ContinuousResult
from negotiation.solvers.continuous import solve_continuous
from negotiation.symbolic.front_door import derive
from negotiation.symbolic.simplify import bounded_derivation

__all__ = ["derive_continuous"]


@derive.register(ContinuousGame, methods=("first_order_conditions",))
@bounded_derivation
def derive_continuous(game: ContinuousGame, values: Mapping | None = None, *, method: str = "auto", assumptions=(),
                      name: str | None = None, title: str | None = None, **options) -> ContinuousResult:
    """Every equilibrium of ``game`` in closed form, with the conditions under which it holds.

    Parameters
    ----------
    game : ContinuousGame
        A game with symbolic parameters (or numbers: the closed forms are then numbers).
    values : mapping, optional
        Parameters to fix first (name -> number); the closed forms are then in the others.
    method : str
        ``"auto"`` or ``"first_order_conditions"`` (the one method).
    assumptions, name, title
        What a scenario passes (its assumptions, its file and its title); the conditions are stated
        as they come from the first-order conditions and the bounds.
    **options
        Passed to :func:`~negotiation.solvers.continuous.solve_continuous`.

    Returns
    -------
    ContinuousResult
        Method ``first_order_conditions``; each equilibrium carries its ``conditions``.
    """
    if values:
        game = game.substitute(values)
    return solve_continuous(game, method="first_order_conditions", **options)
