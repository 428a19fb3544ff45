"""The solvers layer: equilibrium algorithms as free functions, and one front door, :func:`solve`.

``solve(model, method="auto", values=None, **options)`` dispatches by the type of the model
(:mod:`negotiation.solvers.front_door`); ``solve.methods(model)`` lists the methods for it. For
strategic-form games the methods are in :mod:`negotiation.solvers.methods`; every algorithm
module registers itself there, and every family module registers its model type with
:func:`solve`, when this package is imported.
"""

from __future__ import annotations

# Every algorithm and family module registers its methods or its model type when imported.
from negotiation.solvers import (bargaining, bayesian, continuous, cooperative, correlated, dominance,  # noqa: F401
                                 gambit_backend, lemke_howson, polynomial, quantal_response, signaling, tree,
                                 zero_sum)
from negotiation.solvers.front_door import solve
from negotiation.solvers.methods import AUTO_SUPPORT_PROFILES, METHODS
from negotiation.solvers.pure import enumerate_pure
from negotiation.solvers.vertex_enumeration import vertex_enumeration

__all__ = ["solve", "METHODS", "AUTO_SUPPORT_PROFILES", "enumerate_pure", "vertex_enumeration"]
