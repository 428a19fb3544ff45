"""Bargaining: zones of possible agreement, bargaining solutions, and the strategic bargaining models.

``from negotiation.bargaining import BargainingProblem, bargain``. A problem
(parties, feasible agreements, disagreement point; :mod:`negotiation.models.bargaining`)
is built in Python or loaded from a ``kind = "bargaining"`` scenario file
(:mod:`negotiation.scenario.bargaining`); :func:`bargain` (``ng.solve`` on a problem or
scenario) returns the zone of possible agreement, its Pareto frontier and the Nash,
Kalai–Smorodinsky, egalitarian and utilitarian solutions in one
:class:`~negotiation.results.bargaining.BargainingResult`.

Modules
-------
agreement_set    the zone of possible agreement: emptiness, Pareto frontier, size
feasible_set     the feasible set split into pieces (finite sets, polygons, polytopes, curves)
pieces, linear_piece, curves
                 the pieces: finite sets and polygons; polytopes (three or more parties); non-linear utilities
points, numbers, linear_programs
                 points with agreements and 2-D geometry; exact numbers; HiGHS LPs rebuilt exactly
solutions        nash, kalai_smorodinsky, egalitarian, utilitarian, and bargain()
sensitivity      how the zone and the solutions move with a parameter; opening thresholds
issue_by_issue   each issue settled alone against the package (linkage)
logrolling       issue-by-issue splits against package deals (additive weights)
rubinstein       alternating offers (Rubinstein, Ståhl, outside options, frequent offers)
crisis           Fearon's bargaining range and risk-return trade-off, Powell's commitment problem

Figures are in :mod:`negotiation.report.bargaining` (``result.plot()``, ``ng.plot_agreement_set``).
"""

from negotiation.bargaining.agreement_set import agreement_set
from negotiation.bargaining.crisis import bargaining_range, commitment_problem, risk_return_tradeoff
from negotiation.bargaining.issue_by_issue import IssueByIssueError, issue_by_issue, restrict, status_quo_point
from negotiation.bargaining.logrolling import logrolling
from negotiation.bargaining.rubinstein import rubinstein, rubinstein_continuous_time
from negotiation.bargaining.sensitivity import Threshold, sensitivity, zone_thresholds
from negotiation.bargaining.solutions import SOLUTIONS, bargain, egalitarian, kalai_smorodinsky, nash, utilitarian
from negotiation.models.bargaining import BargainingError, BargainingProblem, Issue, IssueSpace, Packages, Polytope
from negotiation.results.bargaining import (Agreement, AgreementSet, BargainingResult, Frontier, FrontierPoint,
                                            Sensitivity, Solution)
from negotiation.results.crisis import BargainingRangeResult, CommitmentResult, RiskReturnResult, RubinsteinResult
from negotiation.results.linkage import IssueByIssueResult, IssueSettlement, LogrollingPackage, LogrollingResult

__all__ = [
    "Agreement", "AgreementSet", "BargainingError", "BargainingProblem", "BargainingResult", "Frontier",
    "FrontierPoint", "Issue", "IssueSpace", "Packages", "Polytope", "SOLUTIONS", "Solution", "agreement_set",
    "bargain", "egalitarian", "kalai_smorodinsky", "nash", "utilitarian",
    "BargainingRangeResult", "CommitmentResult", "RiskReturnResult", "bargaining_range",
    "commitment_problem", "risk_return_tradeoff", "LogrollingPackage", "LogrollingResult",
    "logrolling", "RubinsteinResult", "rubinstein", "rubinstein_continuous_time",
    "Sensitivity", "Threshold", "sensitivity", "zone_thresholds",
    "IssueByIssueError", "IssueByIssueResult", "IssueSettlement", "issue_by_issue", "restrict", "status_quo_point",
]
