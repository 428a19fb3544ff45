"""The front door of the verb *solve*: :func:`solve`, dispatched by the type of the model.

Each family registers its model type here (``solve.register(GameTree, methods=…)``) from its own
module of this layer; the scenario layer registers :class:`~negotiation.scenario.model.Scenario`,
so that ``solve(scenario, values=…)`` resolves the values once, through the scenario's ranges and
assumptions, and solves the model at that point.
"""

from __future__ import annotations

from negotiation.core.dispatch import front_door

__all__ = ["solve"]


@front_door
def solve(model, method: str = "auto", values=None, **options):
    """Equilibria (or the analysis) of a model or scenario.

    Parameters
    ----------
    model : Game, GameTree, BayesianGame, SignalingGame, ContinuousGame, BargainingProblem or Scenario
        A model, numeric or symbolic, or a scenario (``ng.load``).
    method : str
        ``"auto"`` or one of ``solve.methods(model)``: the methods for this kind of model.
    values : mapping, optional
        Parameter values (name -> number); the others take their defaults. For a scenario they
        are checked against its ranges and assumptions, exactly as ``scenario.solve(values)`` and
        ``negotiation solve --set`` check them.
    **options
        Passed to the method.

    Returns
    -------
    Result
        A :class:`~negotiation.results.game.SolveResult` for a strategic-form game, the matching
        result type for the other kinds; every one follows :class:`~negotiation.results.base.Result`.

    Raises
    ------
    NegotiationError
        A model type that cannot be solved, an unknown method, or values outside the ranges or
        against the assumptions.

    Examples
    --------
    >>> import negotiation as ng
    >>> pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> result = ng.solve(pennies)
    >>> result[0].profile.describe(), result.method
    ('Player 1: 1/2 1 + 1/2 2; Player 2: 1/2 1 + 1/2 2', 'vertex_enumeration')
    >>> ng.solve.methods(pennies)[:3]
    ('auto', 'vertex_enumeration', 'enumerate_pure')
    """
