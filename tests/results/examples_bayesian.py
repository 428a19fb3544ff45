"""Real instances of the Bayesian-game result types, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.bayesian import BayesianConditions, BayesianSolveResult

EXAMPLES = {
    # Kydd's trust game at its defaults (models/README.md): three BNE, exact, complete
    BayesianSolveResult: lambda: ng.solve(ng.load("security_dilemma_bayesian")),
    # where each pure BNE holds with the Assurance payoffs fixed: the trust thresholds pi >= 2/3
    BayesianConditions: lambda: ng.derive(ng.load("security_dilemma_bayesian"), {"R": 4, "T": 3, "P": 2, "S": 0}),
}
