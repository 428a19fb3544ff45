"""Bargaining problems, zones of possible agreement, and bargaining solutions.

``from negotiation.bargaining import BargainingProblem, bargain``. A problem
(parties, feasible agreements, disagreement point) is built in Python or
loaded from a ``kind = "bargaining"`` scenario file; :func:`bargain` returns
the zone of possible agreement, its Pareto frontier and the Nash,
Kalai–Smorodinsky, egalitarian and utilitarian solutions in one
:class:`BargainingResult`.

Modules
-------
problem        the types: BargainingProblem, Issue, Packages, Polytope, IssueSpace
agreement_set  the feasible set: zone, Pareto frontier, size (exact geometry, HiGHS LPs)
solutions      nash, kalai_smorodinsky, egalitarian, utilitarian, and bargain()
result         Agreement, Solution, BargainingResult (text, Markdown, LaTeX, JSON)
scenario       kind = "bargaining" scenario files (BargainingScenario)
sensitivity    how the zone and the solutions move with a parameter; opening thresholds
plots          the zone in utility space and in issue space (matplotlib, imported lazily)
command        the ``negotiation agree`` command

Strategic bargaining models (Rubinstein's alternating offers, Fearon's and
Powell's crisis bargaining, logrolling) live in their own modules next to
these (``rubinstein``, ``crisis``, ``logrolling``).
"""

from negotiation.bargaining.agreement_set import AgreementSet, Frontier, FrontierPoint, agreement_set
from negotiation.bargaining.crisis import (BargainingRangeResult, CommitmentResult, RiskReturnResult, bargaining_range,
                     commitment_problem, risk_return_tradeoff)
from negotiation.bargaining.logrolling import LogrollingPackage, LogrollingResult, logrolling
from negotiation.bargaining.problem import BargainingError, BargainingProblem, Issue, IssueSpace, Packages, Polytope
from negotiation.bargaining.result import Agreement, BargainingResult, Solution
from negotiation.bargaining.rubinstein import RubinsteinResult, rubinstein, rubinstein_continuous_time
from negotiation.bargaining.solutions import SOLUTIONS, bargain, egalitarian, kalai_smorodinsky, nash, utilitarian

__all__ = [
    "Agreement", "AgreementSet", "BargainingError", "BargainingProblem", "BargainingResult", "Frontier",
    "FrontierPoint", "Issue", "IssueSpace", "Packages", "Polytope", "SOLUTIONS", "Solution", "agreement_set",
    "bargain", "egalitarian", "kalai_smorodinsky", "nash", "utilitarian",
    "BargainingRangeResult", "CommitmentResult", "RiskReturnResult", "bargaining_range",
    "commitment_problem", "risk_return_tradeoff", "LogrollingPackage", "LogrollingResult",
    "logrolling", "RubinsteinResult", "rubinstein", "rubinstein_continuous_time",
    # lazily imported (see __getattr__)
    "BargainingScenario", "load_bargaining", "parse_bargaining", "sensitivity", "zone_thresholds",
    "plot_agreement_set", "plot_issue_space", "plot_sensitivity",
    "issue_by_issue", "restrict", "IssueByIssueResult", "IssueByIssueError",
]

_LAZY = {
    "BargainingScenario": "scenario", "load_bargaining": "scenario", "parse_bargaining": "scenario",
    "sensitivity": "sensitivity", "zone_thresholds": "sensitivity", "Sensitivity": "sensitivity",
    "Threshold": "sensitivity",
    "plot_agreement_set": "plots", "plot_issue_space": "plots", "plot_sensitivity": "plots",
    "issue_by_issue": "issue_by_issue", "restrict": "issue_by_issue", "IssueByIssueResult": "issue_by_issue",
    "IssueByIssueError": "issue_by_issue",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
