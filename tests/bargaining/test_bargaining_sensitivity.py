"""Sensitivity of the zone and the solutions to one parameter; thresholds where the zone opens or closes."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import pytest
import sympy

from negotiation.scenario import load
from negotiation.bargaining import BargainingProblem, Issue
from negotiation.bargaining.sensitivity import sensitivity, zone_thresholds
from negotiation.core.parameters import Parameter, ParameterSpace

PARTIES = ("NATO", "Russia")


def space(*parameters):
    return ParameterSpace(tuple(Parameter(name, F(default), low=F(low), high=F(high))
                                for name, default, low, high in parameters))


def test_threshold_on_a_linear_frontier_with_a_formula():
    # u1 + u2 <= s with d = (c, c): the zone closes when 2c = s, i.e. c* = s/2
    s, c = sympy.symbols("s c")
    problem = BargainingProblem.from_inequalities([((1, 1), s)], PARTIES, (c, c),
                                                  parameters=space(("s", 1, 0, 4), ("c", 0, 0, 3)))
    (threshold,) = zone_thresholds(problem, "c", {"s": 3})
    assert threshold.value == F(3, 2) and not threshold.opens and threshold.exact
    assert sympy.simplify(threshold.formula - sympy.Symbol("s") / 2) == 0


def test_threshold_for_packages_names_the_binding_party():
    # package (3, 1) against d = (0, c): the zone closes at c = 1 (Russia's utility)
    c = sympy.Symbol("c")
    problem = BargainingProblem.from_packages({"deal": (3, 1)}, PARTIES, (0, c),
                                              parameters=space(("c", 0, 0, 2)))
    (threshold,) = zone_thresholds(problem, "c")
    assert threshold.value == 1 and "Russia" in threshold.condition


def test_threshold_with_an_algebraic_value():
    # d = (c^2, c^2) against u1 + u2 <= 1: closes where 2 c^2 = 1, c = sqrt(2)/2
    c = sympy.Symbol("c")
    problem = BargainingProblem.from_inequalities([((1, 1), 1)], PARTIES, (c**2, c**2),
                                                  parameters=space(("c", 0, 0, 1)))
    (threshold,) = zone_thresholds(problem, "c")
    assert sympy.simplify(threshold.value - sympy.sqrt(2) / 2) == 0 and threshold.exact


def test_threshold_on_an_issue_edge():
    # NATO gets x, Russia 1 - x/2 (x in [0, 1]); d = (1/2, c): zone closes where 1 - 1/4 = c -> c = 3/4
    c = sympy.Symbol("c")
    problem = BargainingProblem.from_issues([Issue.continuous("x", 0, 1)], {"NATO": "x", "Russia": "1 - x/2"},
                                            disagreement=(F(1, 2), c), parameters=space(("c", 0, 0, 1)))
    (threshold,) = zone_thresholds(problem, "c")
    assert threshold.value == F(3, 4)


def test_threshold_on_a_curve():
    # NATO gets exp(x), Russia 1 - x; d = (c, 1/2): Russia accepts x <= 1/2, so NATO gets at most
    # exp(1/2): the zone closes at c = exp(1/2), found from the closest agreement x = 1/2 held fixed
    c = sympy.Symbol("c")
    problem = BargainingProblem.from_issues([Issue.continuous("x", 0, 1)], {"NATO": "exp(x)", "Russia": "1 - x"},
                                            disagreement=(c, F(1, 2)), parameters=space(("c", 0, 0, 3)))
    (threshold,) = zone_thresholds(problem, "c")
    assert threshold.value == sympy.exp(sympy.Rational(1, 2)) and threshold.exact and not threshold.opens


def test_numeric_fallback_is_marked_inexact():
    # d = (c, c) against NATO exp(x), Russia 1 - x: the zone closes where exp(x) = 1 - x = c along
    # a moving agreement (a transcendental equation): found by Brent's method
    c = sympy.Symbol("c")
    problem = BargainingProblem.from_issues([Issue.continuous("x", 0, 1)], {"NATO": "exp(x)", "Russia": "2 - 2*x"},
                                            disagreement=(c, c), parameters=space(("c", 0, 0, 3)))
    (threshold,) = zone_thresholds(problem, "c")
    # exp(x) = 2 - 2x at x = 0.3149..., c = exp(x)
    from scipy.optimize import brentq
    import math

    x = brentq(lambda t: math.exp(t) - 2 + 2 * t, 0, 1)
    assert abs(float(threshold.value) - math.exp(x)) < 1e-9
    assert not threshold.opens and not threshold.exact and "Brent" in threshold.method


def test_sensitivity_table_and_solutions_move():
    alpha = sympy.Symbol("alpha")
    problem = BargainingProblem.from_inequalities([((1, 1), 1)], PARTIES, (0, 0), weights=(alpha, 1 - alpha),
                                                  parameters=space(("alpha", F(1, 2), F(1, 10), F(9, 10))))
    result = sensitivity(problem, "alpha", grid=[F(1, 10), F(1, 2), F(9, 10)], solution="nash")
    records = result.to_records()
    assert [r["nash: NATO"] for r in records] == [F(1, 10), F(1, 2), F(9, 10)]
    assert result.thresholds == ()
    assert "nash: NATO" in result.to_markdown()
    assert result.to_dict()["points"][0]["nash: NATO"] == "1/10"


def test_sensitivity_marks_undefined_points():
    
    model = load("infrastructure_limits", kind="bargaining")
    # below omega = 2/11 the security dilemma has no (Deploy, Deploy) equilibrium: no no-deal point
    result = model.sensitivity("omega", grid=[F(1, 10), F(1, 2)], solution="nash", thresholds=False)
    (low, _, message), (high, best, _) = result.results
    assert result.results[0][1] is None and "not an equilibrium" in message
    assert best is not None and not best.zone.empty


def test_grid_size_limit_before_any_point():
    # a point costs a whole analysis: 10^12 points are refused from NUM (or the grid's length) alone
    from negotiation.bargaining.sensitivity import MAX_POINTS
    from negotiation.core.errors import SolverLimitError

    c = sympy.Symbol("c")
    problem = BargainingProblem.from_packages({"deal": (1, 1)}, PARTIES, (c, 0),
                                              parameters=space(("c", 0, 0, 2)))
    assert MAX_POINTS == 25
    with pytest.raises(SolverLimitError, match="c: num: 1,000,000,000,000 points, more than the limit of 25"):
        sensitivity(problem, "c", num=10**12)
    with pytest.raises(SolverLimitError, match="c: grid: 1,000,000,000,000 points"):
        zone_thresholds(problem, "c", grid=range(10**12))
    # a generator is read one point past the limit, no further
    with pytest.raises(SolverLimitError, match="c: grid: 4 points, more than the limit of 3"):
        sensitivity(problem, "c", grid=(F(k, 10**6) for k in itertools.count()), max_points=3)
    # raised by the keyword: 3 points of c = 0, 1, 2 (the zone closes above c = 1)
    result = sensitivity(problem, "c", num=3, max_points=3)
    assert [r["zone"] for r in result.to_records()] == ["non-empty", "non-empty", "empty"]


def test_agree_sweep_limit_is_one_line(capsys):
    from negotiation import cli

    code = cli.main(["agree", "infrastructure_limits", "--sweep", "omega=0:1:100000000"])
    _, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1
    assert "--sweep omega: 100,000,000 points, more than the limit of 25" in err and "--max-points N" in err
    code = cli.main(["agree", "infrastructure_limits", "--sweep", "omega=0:1:2", "--max-points", "1"])
    _, err = capsys.readouterr()
    assert code == 1 and "2 points, more than the limit of 1" in err
