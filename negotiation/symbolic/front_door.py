"""The front door of the verb *derive*: :func:`derive`, dispatched by the type of the model.

Each family registers its model type here from its own module of this layer; the scenario layer
registers :class:`~negotiation.scenario.model.Scenario`, passing the scenario's assumptions, its
file (for messages) and its title to the model's derivation.
"""

from __future__ import annotations

from negotiation.core.dispatch import front_door

__all__ = ["derive"]


@front_door
def derive(model, values=None, *, method: str = "auto", **options):
    """Where, in parameter space, each equilibrium of a parameterised model holds.

    Parameters
    ----------
    model : Game, GameTree, BayesianGame, ContinuousGame or Scenario
        A symbolic model, or a scenario (``ng.load``): a scenario adds its assumptions, and for a
        symmetric 2×2 game its cooperative strategy (the classic-game regions).
    values : mapping, optional
        Parameters to fix first (name -> number); the derivation is then in the others. Checked
        against the ranges and the assumptions.
    method : str
        ``"auto"`` or one of ``derive.methods(model)``.
    **options
        Passed to the model's derivation (``thresholds_for=``, ``budget=`` …).

    Returns
    -------
    Result
        A :class:`~negotiation.symbolic.game.Derivation` for a strategic-form game; the conditions
        of each subgame-perfect (tree) or pure Bayesian equilibrium; closed forms for a continuous game.

    Examples
    --------
    >>> import negotiation as ng
    >>> derivation = ng.derive(ng.load("security_dilemma"), {"v": 0})  # pure security seekers
    >>> str(derivation.classification["Stag Hunt"])
    'omega*(L*(1 - phi) - W) > k and k > 0'
    """
