"""Real instances of the strategic-form result types, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.game import CorrelatedReport, CorrelatedResult, SolveResult
from negotiation.solvers.quantal_response import LogitBranch
from negotiation.symbolic.game import Derivation

# Aumann's Chicken (6,6 / 2,7 / 7,2 / 0,0): the welfare-maximising correlated equilibrium is exact.
CHICKEN = ng.Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]], players=("Row", "Column"),
                              strategies=(("C", "D"), ("C", "D")), title="Chicken")

EXAMPLES = {
    # Stag Hunt at omega = 1/5 (models/README.md): three equilibria, exact, with the classic-game label
    SolveResult: lambda: ng.solve(ng.load("security_dilemma"), values={"omega": "1/5"}),
    CorrelatedResult: lambda: ng.correlated_equilibria(CHICKEN, "welfare"),
    # through the front door at a scenario point: parameters, the classic-game label and the analyses
    CorrelatedReport: lambda: ng.solve(ng.load("security_dilemma"), method="correlated", values={"omega": "1/5"}),
    # McKelvey and Palfrey's asymmetric matching pennies, traced to λ = 100
    LogitBranch: lambda: ng.logit_branch(ng.Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]],
                                                             title="Asymmetric matching pennies"), max_precision=100),
    # the security dilemma's regions in (omega, k, G, L, W, v) with phi fixed: regions, thresholds
    Derivation: lambda: ng.derive(ng.load("security_dilemma"), {"phi": "1/4"}),
}
