"""Bargaining solutions held to closed forms and hand computations.

References (domain.md §M8, §M10):
* Nash (1950), Econometrica 18(2): N(S, d) = argmax prod (s_i - d_i).
* Asymmetric Nash (Kalai 1977; Roth 1979): on the frontier s_1 + s_2 = 1,
  s_i = d_i + alpha_i (1 - d_1 - d_2).
* Kalai & Smorodinsky (1975), Econometrica 43(3): the monotonicity example
  S1 = conv{(0,0),(1,0),(0,1),(3/4,3/4)}, S2 = conv{(0,0),(1,0),(0,1),(1,7/10)} ⊃ S1,
  same ideal point (1,1): N(S1) = KS(S1) = (3/4,3/4); N(S2) = (1, 7/10), KS(S2) = (10/13, 10/13).
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import pytest
import sympy

from negotiation.bargaining import (
    BargainingError, BargainingProblem, Issue, agreement_set, bargain, egalitarian, nash,
    utilitarian,
)

PARTIES = ("NATO", "Russia")


def triangle(d=(0, 0), **options):
    return BargainingProblem.from_inequalities([((1, 1), 1)], PARTIES, d, **options)


# ---------------------------------------------------------------------- Kalai–Smorodinsky 1975
def test_kalai_smorodinsky_monotonicity_example():
    s1 = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1), (F(3, 4), F(3, 4))], PARTIES, (0, 0))
    s2 = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1), (1, F(7, 10))], PARTIES, (0, 0))
    r1, r2 = bargain(s1), bargain(s2)
    assert r1["nash"].utilities == (F(3, 4), F(3, 4)) == r1["kalai_smorodinsky"].utilities
    # S2 contains S1 and has the same ideal point ...
    assert r1.zone.ideal == r2.zone.ideal == (1, 1)
    # ... yet Nash gives Russia less (7/10 < 3/4): Nash is not individually monotonic, KS is.
    assert r2["nash"].utilities == (1, F(7, 10))
    # KS: on the segment from d = 0 to a = (1,1), u1 = u2 = t on the edge from (0,1) to (1,7/10):
    # t = 1 - 3t/10  =>  t = 10/13.
    assert r2["kalai_smorodinsky"].utilities == (F(10, 13), F(10, 13))
    assert r2["kalai_smorodinsky"]["Russia"] > r1["kalai_smorodinsky"]["Russia"]
    assert r2.exact and r1.exact


def test_solutions_diverge_on_the_larger_set():
    s2 = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1), (1, F(7, 10))], PARTIES, (0, 0))
    result = bargain(s2)
    assert result["nash"].utilities != result["kalai_smorodinsky"].utilities
    # utilitarian: max u1 + u2 over the vertices is at (1, 7/10); egalitarian = KS here (ideal (1,1), d = 0)
    assert result["utilitarian"].utilities == (1, F(7, 10))
    assert result["egalitarian"].utilities == (F(10, 13), F(10, 13))


# ---------------------------------------------------------------------- asymmetric Nash
@pytest.mark.parametrize("alpha", [F(1, 10), F(1, 3), F(1, 2), F(2, 3), F(9, 10)], ids=str)
def test_asymmetric_nash_on_a_linear_frontier(alpha):
    # argmax u1^alpha u2^(1-alpha) on u1 + u2 <= 1, d = 0: u = (alpha, 1 - alpha)
    solution = nash(triangle(), weights=(alpha, 1 - alpha))
    assert solution.utilities == (alpha, 1 - alpha)
    assert solution.exact


@pytest.mark.parametrize("d", [(F(1, 5), F(1, 10)), (F(-1), F(1, 2)), (F(0), F(0))], ids=str)
def test_asymmetric_nash_with_a_disagreement_point(d):
    # domain.md §M8: s_i = d_i + alpha_i (1 - d_1 - d_2)
    alpha = F(2, 7)
    solution = nash(triangle(d), weights={"NATO": alpha, "Russia": 1 - alpha})
    surplus = 1 - d[0] - d[1]
    assert solution.utilities == (d[0] + alpha * surplus, d[1] + (1 - alpha) * surplus)


def test_weights_stored_on_the_problem_are_used_and_only_ratios_matter():
    problem = triangle(weights=(1, 3))
    assert nash(problem).utilities == (F(1, 4), F(3, 4))
    assert nash(problem, weights=(2, 6)).utilities == (F(1, 4), F(3, 4))


def test_vertex_and_inequality_forms_agree():
    by_vertices = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1)], PARTIES, (0, 0))
    by_inequalities = BargainingProblem.from_inequalities([((1, 1), 1), ((-1, 0), 0), ((0, -1), 0)], PARTIES,
                                                          (0, 0))
    a, b = bargain(by_vertices), bargain(by_inequalities)
    for name in a.solutions:
        assert a[name].utilities == b[name].utilities
    assert a.zone.area == b.zone.area == F(1, 2)


# ---------------------------------------------------------------------- non-linear frontier, exact
def curve(weights=None):
    x = Issue.continuous("x", 0, 1)
    return BargainingProblem.from_issues([x], {"A": "x", "B": "1 - x**2"}, disagreement=(0, 0), weights=weights)


def test_nash_on_a_quadratic_frontier_is_one_over_root_three():
    # max x (1 - x^2): 1 - 3x^2 = 0, x = 1/sqrt(3); u2 = 2/3
    result = bargain(curve())
    u1, u2 = result["nash"].utilities
    assert sympy.simplify(u1 - 1 / sympy.sqrt(3)) == 0
    assert u2 == F(2, 3)
    assert result["nash"].exact
    assert sympy.simplify(result["nash"].agreement.terms["x"] - sympy.sqrt(3) / 3) == 0


def test_ks_and_egalitarian_on_the_quadratic_frontier_are_the_golden_ratio():
    # ideal (1, 1), d = 0: u1 = u2 = x with x = 1 - x^2, x = (sqrt(5) - 1)/2
    result = bargain(curve())
    golden = (sympy.sqrt(5) - 1) / 2
    for name in ("kalai_smorodinsky", "egalitarian"):
        u1, u2 = result[name].utilities
        assert sympy.simplify(u1 - golden) == 0 and sympy.simplify(u2 - golden) == 0


def test_utilitarian_on_the_quadratic_frontier():
    # max x + 1 - x^2: x = 1/2, u = (1/2, 3/4)
    assert utilitarian(curve()).utilities == (F(1, 2), F(3, 4))


@pytest.mark.parametrize("alpha", [F(1, 3), F(3, 4)], ids=str)
def test_asymmetric_nash_on_the_quadratic_frontier(alpha):
    # alpha/x = (1 - alpha) 2x/(1 - x^2)  =>  x^2 = alpha/(2 - alpha)
    u1, _ = nash(curve(weights=(alpha, 1 - alpha))).utilities
    expected = sympy.sqrt(sympy.Rational(alpha.numerator, alpha.denominator)
                          / (2 - sympy.Rational(alpha.numerator, alpha.denominator)))
    assert sympy.simplify(u1 - expected) == 0


# ---------------------------------------------------------------------- other closed forms
def test_egalitarian_and_utilitarian_closed_forms():
    problem = BargainingProblem.from_inequalities([((1, 2), 3)], PARTIES, (0, 0))
    # egalitarian: t + 2t = 3; utilitarian: max u1 + u2 on u1 + 2 u2 <= 3, u >= 0 at (3, 0)
    assert egalitarian(problem).utilities == (1, 1)
    assert utilitarian(problem).utilities == (3, 0)
    # weighted utilitarian 1 u1 + 3 u2: the vertex (0, 3/2)
    assert utilitarian(problem, weights=(1, 3)).utilities == (0, F(3, 2))


def test_utilitarian_ties_are_broken_toward_equal_gains():
    solution = utilitarian(triangle())  # every frontier point has u1 + u2 = 1
    assert solution.utilities == (F(1, 2), F(1, 2))


def test_finite_packages_pick_a_package():
    packages = {"freeze": (3, 1), "cuts": (2, 2), "inspections": (1, F(5, 2)), "status quo": (0, 0)}
    problem = BargainingProblem.from_packages(packages, PARTIES, (0, 0))
    result = bargain(problem)
    # Nash products: 3, 4, 5/2, 0 -> cuts; utilitarian sums 4, 4, 7/2 -> tie broken to the more equal (cuts)
    assert result["nash"].agreement.package == "cuts"
    assert result["utilitarian"].agreement.package == "cuts"
    # ideal (3, 5/2); normalised gains: freeze (1, 2/5), cuts (2/3, 4/5), inspections (1/3, 1) -> cuts
    assert result.zone.ideal == (3, F(5, 2))
    assert result["kalai_smorodinsky"].agreement.package == "cuts"
    assert result.zone.frontier.kind == "points"
    assert [p.agreement.package for p in result.zone.frontier.points] == ["inspections", "cuts", "freeze"]


def test_lotteries_over_packages_reach_the_hull():
    packages = {"A": (2, 0), "B": (0, 2)}
    pure = bargain(BargainingProblem.from_packages(packages, PARTIES, (0, 0)))
    mixed = bargain(BargainingProblem.from_packages(packages, PARTIES, (0, 0), lotteries=True))
    # without lotteries no package gives both a strict gain: Nash falls back to the leximin package
    assert "strict gain" in pure["nash"].notes[0]
    assert mixed["nash"].utilities == (1, 1)
    assert mixed["nash"].agreement.lottery == {"A": F(1, 2), "B": F(1, 2)}


# ---------------------------------------------------------------------- empty and degenerate zones
def test_an_empty_zone_is_an_answer_not_an_error():
    result = bargain(triangle(d=(F(3, 4), F(1, 2))))
    assert result.zone.empty
    assert result.solutions == {}
    assert "No agreement beats no deal for both at these parameters" in result.zone.description
    # the most even compromise (u1 - 3/4 = u2 - 1/2 on u1 + u2 = 1) is 1/8 short for both
    assert result.zone.max_min_gain == F(-1, 8)
    assert result.zone.closest.utilities == (F(5, 8), F(3, 8))
    assert nash(triangle(d=(1, 1))) is None
    assert "No agreement beats no deal" in result.to_text()


def test_a_zone_that_is_a_single_point():
    result = bargain(triangle(d=(F(1, 2), F(1, 2))))
    assert not result.zone.empty and result.zone.max_min_gain == 0
    assert "boundary" in result.zone.description
    assert result["nash"].utilities == (F(1, 2), F(1, 2))
    assert result["nash"].notes  # the Nash product is 0 everywhere: reported as such


def test_an_unbounded_set_is_reported():
    problem = BargainingProblem.from_inequalities([((1, -1), 0)], PARTIES, (0, 0))
    with pytest.raises(BargainingError, match="unbounded"):
        bargain(problem)


def test_parametric_problems_need_values():
    a = sympy.Symbol("a")
    problem = triangle(d=(a, 0))
    with pytest.raises(BargainingError, match="still has parameters"):
        agreement_set(problem)
    assert bargain(problem, values={"a": F(1, 2)})["nash"].utilities == (F(3, 4), F(1, 4))


def test_unknown_solution_name():
    with pytest.raises(BargainingError, match="unknown solution"):
        bargain(triangle(), "shapley")
    assert list(bargain(triangle(), ["ks", "nash"]).solutions) == ["kalai_smorodinsky", "nash"]


# ---------------------------------------------------------------------- three parties
def test_three_party_simplex():
    problem = BargainingProblem.from_inequalities([((1, 1, 1), 1)], ("A", "B", "C"), (0, 0, 0))
    result = bargain(problem)
    for solution in result:
        assert solution.utilities == (F(1, 3), F(1, 3), F(1, 3))
    assert result.exact


def test_three_party_weighted_nash_and_ks():
    # u1 + 2u2 + 3u3 <= 6, u1 <= 3, d = 0, weights (1, 2, 3):
    # Nash on the facet: u_i = w_i b / (a_i sum w) = (1, 1, 1) (Lagrange);
    # ideal (3, 3, 2), KS = t (3, 3, 2) with 15 t = 6: (6/5, 6/5, 4/5).
    problem = BargainingProblem.from_inequalities([((1, 2, 3), 6), ((1, 0, 0), 3)], ("A", "B", "C"),
                                                  (0, 0, 0), weights=(1, 2, 3))
    result = bargain(problem)
    assert result["nash"].utilities == (1, 1, 1)
    assert result.zone.ideal == (3, 3, 2)
    assert result["kalai_smorodinsky"].utilities == (F(6, 5), F(6, 5), F(4, 5))
    assert result["utilitarian"].utilities == (3, F(3, 2), 0)


def test_three_party_issue_space_nash_is_algebraic():
    # At x = 0 the Nash objective is log y + log(3 - 2y) + log(1/2 + y/3); its derivative
    # 1/y - 2/(3 - 2y) + 2/(3 + 2y) vanishes where 9 - 12 y^2 = 0, y = sqrt(3)/2
    # (and d/dx < 0 there, so x = 0 is optimal).
    issues = [Issue.continuous("x", 0, 1), Issue.continuous("y", 0, 1)]
    problem = BargainingProblem.from_issues(
        issues, {"A": "x + y", "B": "1 - x + 2*(1 - y)", "C": "(1 - x)/2 + y/3"}, disagreement=(0, 0, 0))
    solution = nash(problem)
    root3 = sympy.sqrt(3)
    expected = (root3 / 2, 3 - root3, root3 / 6 + sympy.Rational(1, 2))
    assert all(sympy.simplify(u - e) == 0 for u, e in zip(solution.utilities, expected))
    assert solution.agreement.terms["x"] == 0
    assert solution.exact


# ---------------------------------------------------------------------- issue spaces (Raiffa, logrolling)
def additive(weights_nato, weights_russia, d=(0, 0)):
    """Issues x_k in [0, 1]; NATO gets sum w_Nk x_k, Russia sum w_Rk (1 - x_k) (domain.md §M10)."""
    issues = [Issue.continuous(f"x{k}", 0, 1) for k in range(len(weights_nato))]
    nato = " + ".join(f"{w}*x{k}" for k, w in enumerate(weights_nato))
    russia = " + ".join(f"{w}*(1 - x{k})" for k, w in enumerate(weights_russia))
    return BargainingProblem.from_issues(issues, {"NATO": nato, "Russia": russia}, disagreement=d)


def test_efficient_packages_concede_issues_in_the_order_of_weight_ratios():
    # ratios w_N/w_R: x0 3, x1 1, x2 1/3 -> along the frontier NATO wins x0 first, then x1, then x2
    problem = additive(["3/6", "2/6", "1/6"], ["1/6", "2/6", "3/6"])
    frontier = agreement_set(problem).frontier
    terms = [p.agreement.terms for p in frontier.points]
    assert [tuple(t[f"x{k}"] for k in range(3)) for t in terms] == [(0, 0, 0), (1, 0, 0), (1, 1, 0), (1, 1, 1)]
    assert frontier.kind == "polygonal" and all(frontier.connected)
    # the Nash package splits at most one issue; by hand: on the middle edge (x0 = 1, x2 = 0),
    # g = (1/2 + x1/3, 1/2 + (1 - x1)/3 ... ) both equal 2/3 at x1 = 1/2
    solution = nash(problem)
    assert solution.utilities == (F(2, 3), F(2, 3))
    assert solution.agreement.terms == {"x0": 1, "x1": F(1, 2), "x2": 0}


def test_logrolling_beats_splitting_every_issue():
    problem = additive(["3/4", "1/4"], ["1/4", "3/4"])
    split = (F(1, 2), F(1, 2))  # each issue split in half gives both 1/2
    solution = nash(problem)
    assert solution.utilities == (F(3, 4), F(3, 4)) and all(u > s for u, s in zip(solution.utilities, split))
    assert solution.agreement.terms == {"x0": 1, "x1": 0}


def test_discrete_issues_with_additive_scores():
    issues = [Issue.discrete("missiles", ["ban", "moratorium", "none"]), Issue.continuous("troops", 0, 10)]
    scores = {"NATO": {"missiles": {"ban": 2, "moratorium": 0, "none": 1}},
              "Russia": {"missiles": {"ban": 1, "moratorium": 2, "none": 0}}}
    problem = BargainingProblem.from_issues(issues, {"NATO": "troops/10", "Russia": "1 - troops/10"},
                                            scores=scores, disagreement=(1, 1))
    result = bargain(problem)
    # ban: (2 + t/10, 2 - t/10); moratorium: (t/10, 3 - t/10); none: (1 + t/10, 1 - t/10).
    # Nash on ban, s = t/10: max (1 + s)(1 - s) at s = 0 -> (2, 2), product 1; moratorium (d = (1, 1)):
    # max (s - 1)(2 - s) needs s >= 1 -> at most 0. So the ban with no troops.
    assert result["nash"].utilities == (2, 2)
    assert result["nash"].agreement.terms == {"missiles": "ban", "troops": 0}
    # the frontier of the union: moratorium from (0, 3) ... and ban up to (3, 1)
    ends = [p.utilities for p in result.zone.frontier.points]
    assert ends[-1] == (3, 1)


def test_discrete_only_issue_space_matches_brute_force():
    options = ["a", "b", "c", "d"]
    issues = [Issue.discrete(f"i{k}", options) for k in range(3)]
    scores = {
        "NATO": {f"i{k}": {o: F((3 * k + 7 * j) % 5, 2) for j, o in enumerate(options)} for k in range(3)},
        "Russia": {f"i{k}": {o: F((2 * k + 3 * j + 1) % 4, 3) for j, o in enumerate(options)} for k in range(3)},
    }
    problem = BargainingProblem.from_issues(issues, {"NATO": "0", "Russia": "0"}, scores=scores,
                                            disagreement=(F(3), F(2)))
    result = bargain(problem)
    # brute force over the 64 packages
    best = None
    for combo in itertools.product(options, repeat=3):
        u = tuple(sum(scores[p][f"i{k}"][o] for k, o in enumerate(combo)) for p in ("NATO", "Russia"))
        g = (u[0] - 3, u[1] - 2)
        if g[0] > 0 and g[1] > 0 and (best is None or g[0] * g[1] > best[0]):
            best = (g[0] * g[1], u, combo)
    assert result["nash"].utilities == best[1]
    assert result.zone.issue_share == F(sum(
        1 for combo in itertools.product(options, repeat=3)
        if sum(scores["NATO"][f"i{k}"][o] for k, o in enumerate(combo)) >= 3
        and sum(scores["Russia"][f"i{k}"][o] for k, o in enumerate(combo)) >= 2), 64)


def test_lotteries_over_discrete_options_convexify_the_issue_space():
    """``lotteries = true`` on an issue space of discrete options only was ignored (pure outcomes were
    returned). Hand computation: scores A: a = x 4, y 0; b = p 0, q 1 and B: a = x 0, y 4; b = p 1, q 0 give
    the outcomes (x, p) = (4, 1), (x, q) = (5, 0), (y, p) = (0, 5), (y, q) = (1, 4), all on u_A + u_B = 5.
    Without lotteries the Nash product is at most 4 (at (4, 1) or (1, 4)); with lotteries the frontier is the
    segment from (0, 5) to (5, 0) and the product u_A * u_B is largest at (5/2, 5/2), where it is 25/4."""
    from fractions import Fraction

    import negotiation as ng
    from negotiation.models.bargaining import BargainingProblem, Issue

    issues = [Issue.discrete("a", ["x", "y"]), Issue.discrete("b", ["p", "q"])]
    scores = {"A": {"a": {"x": 4, "y": 0}, "b": {"p": 0, "q": 1}},
              "B": {"a": {"x": 0, "y": 4}, "b": {"p": 1, "q": 0}}}
    pure, mixed = (BargainingProblem.from_issues(issues, {"A": "0", "B": "0"}, scores=scores, disagreement=(0, 0),
                                                 lotteries=lotteries) for lotteries in (False, True))
    pure_nash = ng.solve(pure).solutions["nash"]
    assert pure_nash.utilities[0] * pure_nash.utilities[1] == 4
    nash = ng.solve(mixed).solutions["nash"]
    assert tuple(nash.utilities) == (Fraction(5, 2), Fraction(5, 2))
    # the same as the problem stated as the four packages with lotteries (another construction of the hull)
    packages = BargainingProblem.from_packages({"x, p": (4, 1), "x, q": (5, 0), "y, p": (0, 5), "y, q": (1, 4)},
                                               ("A", "B"), (0, 0), lotteries=True)
    assert tuple(ng.solve(packages).solutions["nash"].utilities) == tuple(nash.utilities)
