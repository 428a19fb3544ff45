"""Issue-by-issue settlement vs package deals, against logrolling's fractional knapsack and hand computations."""

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from negotiation.bargaining import BargainingProblem, Issue, Packages, bargain, logrolling
from negotiation.bargaining.issue_by_issue import (IssueByIssueError, issue_by_issue, restrict, status_quo_point,
                                                   utilities_at)


def _linear(w_nato, w_russia, split=Fraction(1, 2)):
    """Shares x_k of issue k to NATO: u_N = sum w_Nk x_k, u_R = sum w_Rk (1 - x_k); no deal = the split."""
    issues = [Issue.continuous(f"i{k}", 0, 1) for k in range(len(w_nato))]
    u_n = " + ".join(f"{a}*i{k}" for k, a in enumerate(w_nato))
    u_r = " + ".join(f"{b}*(1 - i{k})" for k, b in enumerate(w_russia))
    d = (sum(Fraction(a) * split for a in w_nato), sum(Fraction(b) * (1 - split) for b in w_russia))
    problem = BargainingProblem.from_issues(issues, {"NATO": u_n, "Russia": u_r}, disagreement=d)
    return problem, {f"i{k}": split for k in range(len(w_nato))}


def _logrolling(w_nato, w_russia):
    issues = [f"i{k}" for k in range(len(w_nato))]
    return logrolling({"NATO": dict(zip(issues, w_nato)), "Russia": dict(zip(issues, w_russia))})


def test_linear_example_against_logrolling():
    # Each issue alone is pure distribution (what one side gains the other loses), so with the other
    # issue at the split neither moves: the issue-by-issue outcome is logrolling's equal split.
    w_nato, w_russia = (3, 1), (1, 3)
    problem, split = _linear(w_nato, w_russia)
    reference = _logrolling(w_nato, w_russia)
    result = issue_by_issue(problem, "egalitarian", status_quo=split)
    assert result.exact
    assert result.issue_by_issue_utilities == tuple(reference.split.utilities.values())   # (2, 2)
    assert all(not s.agreed for s in result.settlements)
    # the egalitarian package = logrolling's balanced package; by hand: NATO takes i0, Russia i1,
    # u = (3*1 + 1*0, 1*0 + 3*1) = (3, 3), gains over the split (2, 2) of 1 each
    assert result.linkage_gains == tuple(reference.balanced.gains.values())
    assert result.linkage_gains == (1, 1)
    assert result.dominated is reference.logrolling_gains is True
    # the ideal gains of the package zone = logrolling's largest gains without the other losing
    zone = bargain(problem).zone
    assert zone.gains == tuple(reference.max_gains.values())


def test_proportional_weights_give_no_linkage_gain():
    # Raiffa / Sebenius: with proportional weights (w_N = 2 w_R) every package trades utility at the
    # same rate, u_N + 2 u_R is constant, so the split is already efficient.
    problem, split = _linear((2, 4), (1, 2))
    result = issue_by_issue(problem, "nash", status_quo=split)
    assert result.linkage_gains == (0, 0)
    assert result.dominated is False
    assert _logrolling((2, 4), (1, 2)).logrolling_gains is False


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 9), st.integers(1, 9)), min_size=2, max_size=3))
def test_dominated_iff_weight_ratios_differ(weights):
    w_nato, w_russia = zip(*weights)
    problem, split = _linear(w_nato, w_russia)
    result = issue_by_issue(problem, "egalitarian", status_quo=split)
    reference = _logrolling(w_nato, w_russia)
    ratios = {Fraction(a, b) for a, b in weights}
    assert result.dominated is (len(ratios) > 1) is reference.logrolling_gains
    assert result.linkage_gains == tuple(reference.balanced.gains.values())


def test_two_issue_hand_computation():
    # u_N = x + y - y^2, u_R = x - x^2 + y, status quo (0, 0), d = (0, 0).
    # x alone (y = 0): maximise x * (x - x^2) = x^2 (1 - x): FOC 2x - 3x^2 = 0, x = 2/3,
    #   utilities (2/3, 2/3 - 4/9 = 2/9); y alone symmetric: y = 2/3, (2/9, 2/3).
    # Combined (2/3, 2/3): u_N = 2/3 + 2/3 - 4/9 = 8/9 = u_R.
    # Package: at (1, 1) both get 1 and the product's gradient vanishes along each axis
    #   (d/dx [A B] = B - A (1 - 2x)... = 1 - 1 = 0): gains from linkage 1 - 8/9 = 1/9 each.
    x, y = Issue.continuous("x", 0, 1), Issue.continuous("y", 0, 1)
    problem = BargainingProblem.from_issues([x, y], {"NATO": "x + y - y**2", "Russia": "x - x**2 + y"},
                                            disagreement=(0, 0))
    result = issue_by_issue(problem, status_quo={"x": 0, "y": 0})
    values = {s.issue: float(s.value) for s in result.settlements}
    assert values == pytest.approx({"x": 2 / 3, "y": 2 / 3}, abs=1e-9)
    assert [float(u) for u in result.issue_by_issue_utilities] == pytest.approx([8 / 9, 8 / 9], abs=1e-9)
    assert [float(u) for u in result.package_utilities] == pytest.approx([1, 1], abs=1e-5)
    assert [float(g) for g in result.linkage_gains] == pytest.approx([1 / 9, 1 / 9], abs=1e-5)
    assert result.dominated


def test_restrict_keeps_scores_of_dropped_options_as_constants():
    m = Issue.discrete("m", ["a", "b"])
    z = Issue.continuous("z", 0, 2)
    problem = BargainingProblem.from_issues([m, z], {"A": "z", "B": "2 - z"}, disagreement=(0, 0),
                                            scores={"A": {"m": {"a": 1, "b": 0}}, "B": {"m": {"a": 0, "b": 3}}})
    only_z = restrict(problem, ["z"], {"m": "b"})
    # with m = b: u_A = z, u_B = 2 - z + 3
    assert utilities_at(only_z, {"z": 1}) == (1, 4)
    assert utilities_at(problem, {"m": "b", "z": 1}) == (1, 4)


def test_status_quo_detection_and_errors():
    problem, _ = _linear((1, 2), (2, 1), split=Fraction(0))   # d = u at x = (0, 0)
    assert status_quo_point(problem) == {"i0": 0, "i1": 0}
    with pytest.raises(IssueByIssueError, match="status_quo.i0: 3 is outside the range"):
        issue_by_issue(problem, status_quo={"i0": 3, "i1": 0})
    with pytest.raises(IssueByIssueError, match="not an issue"):
        restrict(problem, ["troops"])
    other, _ = _linear((1, 2), (2, 1))
    with pytest.raises(IssueByIssueError, match="no corner"):
        issue_by_issue(other.with_disagreement((-1, -1)))
    packages = BargainingProblem.from_packages({"A": (1, 0), "B": (0, 1)}, ("X", "Y"), (0, 0))
    with pytest.raises(IssueByIssueError, match="needs an issue space"):
        issue_by_issue(packages)


def test_reports():
    problem, split = _linear((3, 1), (1, 3))
    result = issue_by_issue(problem, status_quo=split)
    data = result.to_dict()
    assert data["issue_by_issue"]["utilities"] == {"NATO": "2", "Russia": "2"}
    assert data["issue_by_issue_dominated"] is True
    assert "gain from linkage" in result.to_text()
    assert "| issue | status quo | alone | package |" in result.to_markdown()
