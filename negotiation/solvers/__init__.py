"""The solvers layer: equilibrium algorithms as free functions, and one front door, :func:`solve`.

``solve(model, method="auto", values=None, **options)`` dispatches by the type of the model
(:mod:`negotiation.solvers.front_door`); ``solve.methods(model)`` lists the methods for it. For
strategic-form games the methods are in :mod:`negotiation.solvers.methods`; every algorithm
module registers itself there when this package is imported.
"""

from __future__ import annotations

# Every algorithm and family module registers its methods or its model type when imported.
from negotiation.solvers import (bargaining, correlated, dominance, gambit_backend, lemke_howson,  # noqa: F401
                                 polynomial, quantal_response, zero_sum)
from negotiation.solvers.front_door import solve
from negotiation.solvers.methods import AUTO_SUPPORT_PROFILES, METHODS
from negotiation.solvers.pure import enumerate_pure
from negotiation.solvers.vertex_enumeration import vertex_enumeration

__all__ = ["solve", "METHODS", "AUTO_SUPPORT_PROFILES", "enumerate_pure", "vertex_enumeration"]


# ---------------------------------------------------------------------- transitional registrations
# (each family moves its registration into its own module of this layer as it is split)
def _register_families():
    from negotiation.bayesian import BayesianGame
    from negotiation.continuous import ContinuousGame
    from negotiation.models.tree import GameTree
    from negotiation.signaling import SignalingGame
    from negotiation.solvers.backward_induction import TREE_METHODS

    @solve.register(GameTree, methods=tuple(TREE_METHODS))
    def _tree(tree, method="auto", values=None, **options):
        from negotiation.solvers.backward_induction import solve_tree

        return solve_tree(tree, method=method, values=values, **options)

    @solve.register(BayesianGame, methods=lambda game: tuple(METHODS))
    def _bayesian(game, method="auto", values=None, **options):
        from negotiation.bayesian import solve_bayesian

        return solve_bayesian(game, method=method, values=values, **options)

    @solve.register(SignalingGame, methods=("pure_pbe",))
    def _signaling(game, method="auto", values=None, **options):
        from negotiation.signaling import pure_pbe

        if values:
            game = game.substitute(values)
        return pure_pbe(game, **options)

    @solve.register(ContinuousGame, methods=("first_order_conditions", "best_response_iteration", "complementarity"))
    def _continuous(game, method="auto", values=None, **options):
        from negotiation.continuous import solve_continuous

        return solve_continuous(game, values=values, method=method, **options)


_register_families()
