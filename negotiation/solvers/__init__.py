"""The solvers layer: equilibrium algorithms as free functions, and one front door, :func:`solve`.

``solve(model, method="auto", values=None, **options)`` dispatches by the type of the model
(:mod:`negotiation.solvers.front_door`); ``solve.methods(model)`` lists the methods for it. For
strategic-form games the methods are in :mod:`negotiation.solvers.methods`; every algorithm
module registers itself there when this package is imported. The other families are *declared*:
each family module registers its model type with :func:`solve` when the first model of that type
is solved, so that solving a game imports neither those families nor sympy, which they need.
"""

from __future__ import annotations

# Every algorithm module registers its methods for strategic-form games when imported.
from negotiation.solvers import (correlated, dominance, gambit_backend, lemke_howson, polynomial,  # noqa: F401
                                 quantal_response, zero_sum)
from negotiation.solvers.front_door import solve
from negotiation.solvers.methods import AUTO_SUPPORT_PROFILES, METHODS
from negotiation.solvers.pure import enumerate_pure
from negotiation.solvers.vertex_enumeration import vertex_enumeration

# The other families: the module that registers each model type, imported when one arrives.
for _type, _module in (("models.bargaining.BargainingProblem", "solvers.bargaining"),
                       ("models.bayesian.BayesianGame", "solvers.bayesian"),
                       ("models.continuous.ContinuousGame", "solvers.continuous"),
                       ("models.signaling.SignalingGame", "solvers.signaling"),
                       ("models.tree.GameTree", "solvers.tree"),
                       ("models.cooperative.CooperativeGame", "solvers.cooperative")):  # issue 18: cooperative games
    solve.declare(f"negotiation.{_type}", f"negotiation.{_module}")

__all__ = ["solve", "METHODS", "AUTO_SUPPORT_PROFILES", "enumerate_pure", "vertex_enumeration"]
