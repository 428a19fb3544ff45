"""Real instances of the game-tree result types, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.tree import TreeSolveResult
from negotiation.symbolic.tree import SubgamePerfectConditions

EXAMPLES = {
    # NATO enlargement (models/README.md) at its defaults: one subgame-perfect equilibrium, exact, no ties
    TreeSolveResult: lambda: ng.solve(ng.load("nato_enlargement")),
    # its subgame-perfect conditions in k with the other parameters fixed: outcomes, profiles, thresholds
    SubgamePerfectConditions: lambda: ng.derive(ng.load("nato_enlargement"), {"m": 4, "t": 5, "c": 10, "l": "3/5"}),
}
