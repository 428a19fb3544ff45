"""Real instances of the bargaining result types, for the protocol test (tests/results/test_result_protocol.py)."""

from fractions import Fraction

import negotiation as ng
from negotiation.bargaining import agreement_set
from negotiation.results.bargaining import AgreementSet, BargainingResult, Sensitivity
from negotiation.results.crisis import BargainingRangeResult, CommitmentResult, RiskReturnResult, RubinsteinResult
from negotiation.results.linkage import IssueByIssueResult, LogrollingResult


def _triangle():
    """Kalai and Smorodinsky's S1: conv{(0,0), (1,0), (0,1), (3/4,3/4)} from d = 0 (domain.md §M8)."""
    return ng.BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1), ("3/4", "3/4")], ("NATO", "Russia"), (0, 0))


def _linkage():
    # Two pure-distribution issues, each worth more to a different side (Raiffa): the package trades them.
    x, y = ng.Issue.continuous("x", 0, 1), ng.Issue.continuous("y", 0, 1)
    problem = ng.BargainingProblem.from_issues([x, y], {"NATO": "3*x - y", "Russia": "3*y - x"}, disagreement=(0, 0))
    return ng.issue_by_issue(problem, status_quo={"x": 0, "y": 0})


EXAMPLES = {
    # the bundled infrastructure package at its defaults, through the front door
    BargainingResult: lambda: ng.solve(ng.load("infrastructure_limits")),
    AgreementSet: lambda: agreement_set(_triangle()),
    # the zone opens at W = 679/1300 (models/README.md)
    Sensitivity: lambda: ng.load("infrastructure_limits").sensitivity("W", grid=[0, 1, 2], solution="nash"),
    BargainingRangeResult: lambda: ng.bargaining_range("1/2", "1/10", "1/5", players=("NATO", "Russia")),
    RiskReturnResult: lambda: ng.risk_return_tradeoff("1/2", "1/10", "3/10", players=("NATO", "Russia")),
    CommitmentResult: lambda: ng.commitment_problem("3/10", "6/10", "1/10", "1/10", discount="9/10",
                                                   players=("Russia", "NATO")),
    RubinsteinResult: lambda: ng.rubinstein(Fraction(9, 10), Fraction(4, 5), players=("NATO", "Russia"),
                                            outside_options={"Russia": "2/5"}),
    LogrollingResult: lambda: ng.logrolling({"NATO": {"enlargement": 3, "deployments": 1},
                                             "Russia": {"enlargement": 1, "deployments": 3}}),
    IssueByIssueResult: _linkage,
}
