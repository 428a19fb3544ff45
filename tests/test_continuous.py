"""Continuous-strategy games: KKT enumeration (exact, symbolic), numeric fallback, outputs.

Expected values come from textbook closed forms (cited) or hand computation shown in comments,
and numeric answers are checked by an independent deviation test written here (numpy grid).
"""

import json
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from negotiation.models.continuous import ContinuousGame, ContinuousGameError, PlayerType
from negotiation.report.continuous import plot_best_responses
from negotiation.solvers.continuous import best_response, best_response_function, solve_continuous
from negotiation.core.parameters import Parameter, ParameterSpace

A, B, C1, C2 = sympy.symbols("a b c1 c2", positive=True)
Q1, Q2 = sympy.symbols("q1 q2")
OO = sympy.oo


def cournot(a=A, b=B, c1=C1, c2=C2):
    """Linear-demand Cournot duopoly P = a - b(q1 + q2), unit costs c1, c2 (Gibbons 1992, §1.2.A)."""
    price = a - b * (Q1 + Q2)
    return ContinuousGame(("Firm 1", "Firm 2"), (Q1, Q2), ((0, OO), (0, OO)),
                          ((price - c1) * Q1, (price - c2) * Q2), title="Cournot duopoly",
                          labels=("output", "output"))


def interior(result):
    found = [e for e in result if e.binding == ("interior",) * len(e.binding)]
    assert len(found) == 1
    return found[0]


# ----------------------------------------------------------------------------- Cournot, complete information
def test_cournot_symbolic_closed_form():
    # Gibbons (1992), Game Theory for Applied Economists, §1.2.A (with b): q_i* = (a - 2 c_i + c_j) / (3 b)
    result = solve_continuous(cournot())
    assert result.method == "first_order_conditions" and result.exact and result.complete
    equilibrium = interior(result)
    assert sympy.simplify(equilibrium["Firm 1"] - (A - 2 * C1 + C2) / (3 * B)) == 0
    assert sympy.simplify(equilibrium["Firm 2"] - (A - 2 * C2 + C1) / (3 * B)) == 0
    # profit = b q_i*^2 at the interior equilibrium (price - c_i = b q_i by the first-order condition)
    assert sympy.simplify(equilibrium.payoff("Firm 1") - (A - 2 * C1 + C2) ** 2 / (9 * B)) == 0
    # it holds exactly where both closed forms are non-negative
    holds = equilibrium.conditions
    assert holds.subs({A: 10, C1: 1, C2: 2, B: 1}) == sympy.true
    assert holds.subs({A: 10, C1: 1, C2: 8, B: 1}) == sympy.false
    # four KKT regimes: both produce, only firm 1, only firm 2, none
    assert sorted(e.binding for e in result) == sorted([("interior", "interior"), ("interior", "lower"),
                                                         ("lower", "interior"), ("lower", "lower")])


def test_cournot_exact_numbers():
    # a = 10, b = 1, c1 = 1, c2 = 2: q1 = (10 - 2 + 2)/3 = 10/3, q2 = (10 - 4 + 1)/3 = 7/3;
    # price = 10 - 17/3 = 13/3; profits (13/3 - 1)(10/3) = 100/9 and (13/3 - 2)(7/3) = 49/9
    result = solve_continuous(cournot(), values={"a": 10, "b": 1, "c1": 1, "c2": 2})
    assert result.exact and result.complete and len(result) == 1
    e = result[0]
    assert (e["Firm 1"], e["Firm 2"]) == (Fraction(10, 3), Fraction(7, 3))
    assert (e.payoff("Firm 1"), e.payoff("Firm 2")) == (Fraction(100, 9), Fraction(49, 9))
    assert e.regret == 0 and e.binding == ("interior", "interior")
    assert result.parameters == {"a": 10, "b": 1, "c1": 1, "c2": 2}


def test_cournot_corner_solution_when_closed_form_is_negative():
    # a = 10, b = 1, c1 = 1, c2 = 8: the closed form gives q2 = (10 - 16 + 1)/3 = -5/3 < 0, so firm 2 stays out;
    # firm 1 is then a monopolist: q1 = (a - c1)/(2b) = 9/2, and firm 2's marginal profit at 0 is
    # 10 - 9/2 - 8 = -5/2 <= 0, so q2 = 0 is its best reply (KKT at the lower bound)
    result = solve_continuous(cournot(), values={"a": 10, "b": 1, "c1": 1, "c2": 8})
    assert len(result) == 1 and result.complete
    e = result[0]
    assert (e["Firm 1"], e["Firm 2"]) == (Fraction(9, 2), 0)
    assert e.binding == ("interior", "lower")
    assert e.payoff("Firm 1") == Fraction(81, 4)  # (10 - 9/2 - 1) * 9/2


def test_capacity_ceiling_binds_at_upper_bound():
    # same duopoly, q1 <= 2: firm 1's unconstrained reply to q2 is above 2, so q1 = 2 binds;
    # firm 2 then replies q2 = (10 - 2 - 2)/2 = 3; firm 1's marginal profit at (2, 3): 10 - 4 - 3 - 1 = 2 >= 0
    game = ContinuousGame(("Firm 1", "Firm 2"), (Q1, Q2), ((0, 2), (0, OO)),
                          ((10 - Q1 - Q2 - 1) * Q1, (10 - Q1 - Q2 - 2) * Q2))
    e, = solve_continuous(game)
    assert (e["Firm 1"], e["Firm 2"], e.binding) == (2, 3, ("upper", "interior"))


# ----------------------------------------------------------------------------- Bayesian Cournot
def gibbons_bayesian():
    # Gibbons (1992), §3.1.A: P = a - q1 - q2; firm 1's cost c; firm 2's cost c_H with probability theta,
    # c_L with probability 1 - theta (known to firm 2 only)
    a, theta, c, c_high, c_low = sympy.symbols("a theta c c_H c_L", positive=True)
    cost = sympy.Symbol("c2")
    game = ContinuousGame(("Firm 1", "Firm 2"), (Q1, Q2), ((0, OO), (0, OO)),
                          ((a - Q1 - Q2 - c) * Q1, (a - Q1 - Q2 - cost) * Q2),
                          types={"Firm 2": [PlayerType("high", theta, {"c2": c_high}),
                                            PlayerType("low", 1 - theta, {"c2": c_low})]})
    return game, (a, theta, c, c_high, c_low)


def test_bayesian_cournot_gibbons_closed_forms():
    game, (a, theta, c, c_high, c_low) = gibbons_bayesian()
    assert [agent.label for agent in game.agents()] == ["Firm 1", "Firm 2 [high]", "Firm 2 [low]"]
    result = solve_continuous(game)
    e = interior(result)
    # Gibbons (1992) p. 146-147: q2*(c_H) = (a - 2 c_H + c)/3 + (1 - theta)(c_H - c_L)/6,
    # q2*(c_L) = (a - 2 c_L + c)/3 - theta (c_H - c_L)/6, q1* = (a - 2c + theta c_H + (1 - theta) c_L)/3
    assert sympy.simplify(e.choice("Firm 2", "high") - ((a - 2 * c_high + c) / 3 + (1 - theta) * (c_high - c_low) / 6)) == 0
    assert sympy.simplify(e.choice("Firm 2", "low") - ((a - 2 * c_low + c) / 3 - theta * (c_high - c_low) / 6)) == 0
    assert sympy.simplify(e["Firm 1"] - (a - 2 * c + theta * c_high + (1 - theta) * c_low) / 3) == 0


def test_bayesian_cournot_exact_numbers_and_dict():
    game, _ = gibbons_bayesian()
    # a = 10, c = 1, theta = 1/2, c_H = 2, c_L = 1 in the closed forms above:
    # q1 = (10 - 2 + 1 + 1/2)/3 = 19/6; q2(H) = 7/3 + 1/12 = 29/12; q2(L) = 9/3 - 1/12 = 35/12
    result = solve_continuous(game, {"a": 10, "c": 1, "theta": Fraction(1, 2), "c_H": 2, "c_L": 1})
    assert len(result) == 1 and result.exact and result.complete
    e = result[0]
    assert e["Firm 2"] == {"high": Fraction(29, 12), "low": Fraction(35, 12)}
    assert e["Firm 1"] == Fraction(19, 6)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["equilibria"][0]["profile"] == {"Firm 1": "19/6", "Firm 2": {"high": "29/12", "low": "35/12"}}
    assert data["game"]["types"] == {"Firm 2": ["high", "low"]}


def test_type_probabilities_must_sum_to_one():
    with pytest.raises(ContinuousGameError, match=r"types\.B: type probabilities sum to 3/4, expected 1"):
        ContinuousGame(("A", "B"), ("x", "y"), ((0, 1), (0, 1)), ("x", "y*c"),
                       types={"B": {"l": ("1/4", {"c": 0}), "h": ("1/2", {"c": 1})}})


# ----------------------------------------------------------------------------- global verification
def test_kkt_points_that_are_not_global_maxima_are_rejected():
    # one player, u = x^2 on [-1, 2]: KKT points are x = 0 (u' = 0, a minimum), x = -1 (u'(-1) = -2 <= 0,
    # a local maximum with u = 1) and x = 2 (u'(2) = 4 >= 0, u = 4); only x = 2 is a best response
    game = ContinuousGame(("Solo",), ("x",), ((-1, 2),), ("x**2",))
    result = solve_continuous(game)
    assert [(e["Solo"], e.binding) for e in result] == [(2, ("upper",))]
    assert len(result.messages) == 2  # the two rejected KKT points are reported


def test_tullock_contest_rational_payoffs():
    # Tullock (1980) lottery contest, prize V = 4, payoff V x/(x + y) - x: symmetric equilibrium x = y = V/4 = 1
    # (FOC V y/(x + y)^2 = 1 at x = y gives V/(4x) = 1); payoff V/2 - V/4 = 1
    x, y = sympy.symbols("x y")
    game = ContinuousGame(("A", "B"), (x, y), (("1/100", 10), ("1/100", 10)), (4 * x / (x + y) - x, 4 * y / (x + y) - y))
    result = solve_continuous(game)
    assert result.method == "first_order_conditions" and result.exact
    assert [(e["A"], e["B"], e.payoff("A")) for e in result] == [(1, 1, 1)]


# ----------------------------------------------------------------------------- numeric methods
@pytest.mark.parametrize("c2, expected", [(2, (10 / 3, 7 / 3)), (8, (4.5, 0.0))])
def test_numeric_methods_agree_with_symbolic(c2, expected):
    game = cournot().substitute({"a": 10, "b": 1, "c1": 1, "c2": c2})
    for method in ("best_response_iteration", "complementarity"):
        result = solve_continuous(game, method=method, starts=4)
        assert not result.exact and not result.complete and result.method == method
        assert len(result) == 1
        assert result[0]["Firm 1"] == pytest.approx(expected[0], abs=1e-7)
        assert result[0]["Firm 2"] == pytest.approx(expected[1], abs=1e-7)
    both = solve_continuous(game, method="best_response_iteration", starts=4)
    assert set(both[0].found_by) == {"best_response_iteration", "complementarity"}


def _independent_regret(payoffs, point, bounds, points=4001):
    """Largest gain of a player from deviating, on a fine grid (independent of the library's optimiser)."""
    worst = 0.0
    for k, (low, high) in enumerate(bounds):
        grid = np.linspace(low, high, points)
        args = [grid if j == k else np.full_like(grid, point[j]) for j in range(len(point))]
        worst = max(worst, float(np.max(payoffs[k](*args))) - float(payoffs[k](*point)))
    return worst


def test_exp_payoffs_fall_back_to_numeric_and_are_verified():
    # u_A = x exp(-x (1 + y)/2) - x/10 (and symmetrically): the first-order condition is transcendental, so
    # sympy's polynomial solver cannot guarantee all solutions and the numeric fallback runs.
    # Symmetric equilibrium z: exp(-z(1 + z)/2) (1 - z(1 + z)/2) = 1/10, solved here by Brent's method.
    x, y = sympy.symbols("x y")
    game = ContinuousGame(("A", "B"), (x, y), ((0, 5), (0, 5)),
                          (x * sympy.exp(-x * (1 + y) / 2) - x / 10, y * sympy.exp(-y * (1 + x) / 2) - y / 10))
    result = solve_continuous(game, starts=4)
    assert result.method == "best_response_iteration" and not result.exact and not result.complete
    assert any("numeric fallback" in m for m in result.messages)
    z = brentq(lambda z: math.exp(-z * (1 + z) / 2) * (1 - z * (1 + z) / 2) - 0.1, 0.01, 3)
    symmetric = [e for e in result if abs(e["A"] - e["B"]) < 1e-6]
    assert len(symmetric) == 1 and symmetric[0]["A"] == pytest.approx(z, abs=1e-7)
    payoffs = [lambda a, b: a * np.exp(-a * (1 + b) / 2) - a / 10, lambda a, b: b * np.exp(-b * (1 + a) / 2) - b / 10]
    for e in result:
        assert _independent_regret(payoffs, (e["A"], e["B"]), [(0, 5), (0, 5)]) <= 1e-6
    with pytest.raises(ContinuousGameError, match="first_order_conditions: .*not a rational function"):
        solve_continuous(game, method="first_order_conditions")


def test_unbounded_interval_numeric_best_response():
    # u = -(x - 7)^2 on [0, oo): the search interval must grow past the start to find 7
    game = ContinuousGame(("A", "B"), ("x", "y"), ((0, OO), (0, OO)), ("-(x - 7)**2", "-(y - x)**2"))
    result = solve_continuous(game, method="best_response_iteration", starts=3)
    assert result[0]["A"] == pytest.approx(7, abs=1e-7) and result[0]["B"] == pytest.approx(7, abs=1e-7)
    assert best_response(game, "B", {"A": 3}) == pytest.approx(3, abs=1e-9)


# ----------------------------------------------------------------------------- best responses and plots
def test_best_response_function_cournot():
    # Gibbons (1992) §1.2.A: R_1(q2) = (a - q2 - c1)/2 (b = 1), clipped at 0; with b: (a - c1 - b q2)/(2b)
    game = cournot()
    response = best_response_function(game, "Firm 1")
    assert response.func is sympy.Max
    closed = (A - C1 - B * game.variables[1]) / (2 * B)
    assert any(sympy.simplify(arg - closed) == 0 for arg in response.args)
    assert 0 in response.args
    with pytest.raises(ContinuousGameError, match="no closed-form best response"):
        best_response_function(ContinuousGame(("A",), ("x",), ((-1, 2),), ("x**2",)), "A")


def test_plot_best_responses_marks_the_equilibrium():
    figure = plot_best_responses(cournot(), {"a": 10, "b": 1, "c1": 1, "c2": 2})
    axes = figure.axes[0]
    assert axes.get_xlabel() == "Firm 1: q1 (output)" and axes.get_ylabel() == "Firm 2: q2 (output)"
    marker = [line for line in axes.get_lines() if line.get_label() == "Nash equilibrium"]
    assert marker and marker[0].get_xdata()[0] == pytest.approx(10 / 3)


# ----------------------------------------------------------------------------- validation and output
@pytest.mark.parametrize("kwargs, message", [
    ({"players": ("A", "A")}, "duplicate player 'A'"),
    ({"bounds": ((1, 0), (0, 1))}, r"bounds\.A: low 1 must be below high 0"),
    ({"variables": ("x", "x")}, "'x' is the variable of two players"),
    ({"payoffs": ("x + z", "y")}, r"payoffs\.A: name 'z' is not a declared parameter"),
    ({"bounds": ((0, "y"), (0, 1))}, r"bounds\.A\.high: a bound cannot depend on the choices"),
    ({"payoffs": ("__import__('os')", "y")}, r"payoffs\.A: function '__import__' is not allowed"),
])
def test_invalid_games_raise_one_line_errors(kwargs, message):
    spec = {"players": ("A", "B"), "variables": ("x", "y"), "bounds": ((0, 1), (0, 1)), "payoffs": ("x*y", "y"),
            "parameters": ParameterSpace((Parameter("k", Fraction(1)),))}
    spec.update(kwargs)
    with pytest.raises(ContinuousGameError, match=message) as error:
        ContinuousGame(spec.pop("players"), spec.pop("variables"), spec.pop("bounds"), spec.pop("payoffs"), **spec)
    assert "\n" not in str(error.value)


def test_bad_method_and_unknown_parameter():
    with pytest.raises(ContinuousGameError, match="unknown method 'newton'"):
        solve_continuous(cournot(), method="newton")
    with pytest.raises(ContinuousGameError, match="unknown parameter 'zz'"):
        cournot().substitute({"zz": 1})
    with pytest.raises(ContinuousGameError, match="numbers for every parameter"):
        solve_continuous(cournot(), method="best_response_iteration")


def test_result_formats():
    result = solve_continuous(cournot(), values={"a": 10, "b": 1, "c1": 1, "c2": 2})
    data = json.loads(json.dumps(result.to_dict()))
    assert data["method"] == "first_order_conditions" and data["exact"] and data["complete"]
    assert data["game"]["ranges"] == {"Firm 1": ["0", "oo"], "Firm 2": ["0", "oo"]}
    assert data["equilibria"][0]["profile"] == {"Firm 1": "10/3", "Firm 2": "7/3"}
    assert data["equilibria"][0]["binding"] == {"Firm 1": "interior", "Firm 2": "interior"}
    assert data["components"] == [[0]]
    text = result.to_text()
    assert "Firm 1: q1 (output)" in text and "10/3" in text and "first_order_conditions (exact, complete)" in text
    assert "| Firm 2: q2 (output) | 7/3 |" in result.to_markdown()
    assert "\\frac{10}{3}" in result.to_latex()
    # numbers as numbers: 10/3 is no float, so its exact text follows in "Firm 1_exact" (issue 15)
    assert result.to_csv().splitlines()[0].startswith("a,b,c1,c2,equilibrium,method,Firm 1,Firm 1_exact,Firm 2")
    assert result.to_records()[0]["payoff Firm 1"] == Fraction(100, 9)
    symbolic = solve_continuous(cournot())
    assert "Eq. 1 holds when" in symbolic.to_text() or "holds when" in symbolic.to_markdown()
    assert "conditions" in symbolic.to_dict()["equilibria"][0]


def test_game_text_and_dict():
    game = cournot()
    assert "Firm 1 chooses q1 (output) in [0, ∞]" in str(game)
    assert game.to_dict()["ranges"]["Firm 2"] == ["0", "oo"]
    assert game.free_parameters == ("a", "b", "c1", "c2") and game.is_symbolic
    assert not game.substitute({"a": 10, "b": 1, "c1": 1, "c2": 2}).is_symbolic


# ----------------------------------------------------------------------------- properties
@settings(max_examples=12, deadline=None)
@given(a=st.integers(5, 40), b=st.integers(1, 4), c1=st.integers(0, 30), c2=st.integers(0, 30))
def test_cournot_matches_textbook_regimes(a, b, c1, c2):
    # Independent hand-derived regimes (Gibbons §1.2.A plus corners): both produce iff both closed forms
    # are >= 0; otherwise the firm with a negative closed form stays out and the other is a monopolist
    # producing max(0, (a - c)/(2b)).
    result = solve_continuous(cournot(), values={"a": a, "b": b, "c1": c1, "c2": c2})
    assert len(result) == 1 and result.exact and result.complete
    q1 = Fraction(a - 2 * c1 + c2, 3 * b)
    q2 = Fraction(a - 2 * c2 + c1, 3 * b)
    if q1 < 0:
        q1, q2 = Fraction(0), max(Fraction(0), Fraction(a - c2, 2 * b))
    elif q2 < 0:
        q1, q2 = max(Fraction(0), Fraction(a - c1, 2 * b)), Fraction(0)
    assert (result[0]["Firm 1"], result[0]["Firm 2"]) == (q1, q2)


# ----------------------------------------------------------------------------- front doors and figures
def test_front_doors_and_figures():
    import negotiation as ng

    game = cournot().substitute({"a": 10, "b": 1, "c1": 1, "c2": 2})
    assert ng.solve.methods(game) == ("auto", "first_order_conditions", "best_response_iteration", "complementarity")
    result = ng.solve(game)
    assert (result[0]["Firm 1"], result[0]["Firm 2"]) == (Fraction(10, 3), Fraction(7, 3))
    derived = ng.derive(cournot(), {"b": 1})
    assert derived.method == "first_order_conditions" and derived.symbolic
    # the figure of the result and of the game go through core.drawing.plot to report/continuous.py
    for figure in (result.plot(), game.plot()):
        assert figure.axes[0].get_xlabel() == "Firm 1: q1 (output)"
