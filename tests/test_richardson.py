"""Richardson arms-race model: closed forms of domain.md §M11 (Richardson 1960), stability, trajectories."""

import argparse
import json
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from negotiation.cli.arms_race import add_parser as add_dynamics_parser
from negotiation.dynamics.richardson import stability, steady_state, trajectory
from negotiation.models.richardson import RichardsonError, RichardsonModel
from negotiation.report.dynamics import plot_phase


def test_symbolic_steady_state_matches_closed_form():
    # domain.md §M11 [C]: x* = (a h + n g)/(m n - a b), y* = (b g + m h)/(m n - a b)
    model = RichardsonModel.symbolic(labels=("NATO", "Russia"))
    a, b, m, n, g, h = (model.coefficients[k] for k in "abmngh")
    state = steady_state(model)
    assert sympy.simplify(state["NATO"] - (a * h + n * g) / (m * n - a * b)) == 0
    assert sympy.simplify(state["Russia"] - (b * g + m * h) / (m * n - a * b)) == 0
    # second derivation: the rates vanish there (solved independently by sympy)
    x, y = sympy.symbols("x y")
    solution = sympy.solve([a * y - m * x + g, b * x - n * y + h], [x, y], dict=True)[0]
    assert sympy.simplify(solution[x] - state["NATO"]) == 0 and sympy.simplify(solution[y] - state["Russia"]) == 0


def test_exact_steady_state():
    # a = 3/10, b = 2/5, m = n = 1/2, g = 1, h = 3/2: m n - a b = 1/4 - 3/25 = 13/100;
    # a h + n g = 9/20 + 1/2 = 19/20 -> x* = 95/13; b g + m h = 2/5 + 3/4 = 23/20 -> y* = 115/13
    model = RichardsonModel("3/10", "2/5", "1/2", "1/2", 1, "3/2", labels=("NATO", "Russia"))
    assert steady_state(model) == {"NATO": Fraction(95, 13), "Russia": Fraction(115, 13)}
    with pytest.raises(RichardsonError, match="no unique steady state"):
        steady_state(RichardsonModel(1, 1, 1, 1, 1, 1))


def test_stability_condition_symbolic_and_exact():
    # Jacobian [[-m, a], [b, -n]]: trace -(m + n) < 0 for positive m, n, so stable iff m n > a b (domain.md §M11)
    verdict = stability(RichardsonModel.symbolic())
    a, b, m, n = sympy.symbols("a b m n", positive=True)
    assert verdict.condition == sympy.Gt(m * n, a * b) and verdict.stable is None
    # a = b = 1, m = n = 2: eigenvalues of [[-2, 1], [1, -2]] are -3 and -1 (stable node)
    stable = stability(RichardsonModel(1, 1, 2, 2, 1, 1))
    assert stable.eigenvalues == (Fraction(-3), Fraction(-1)) and stable.stable and stable.kind == "stable node"
    # a = b = 2, m = n = 1: eigenvalues -1 ± 2 = -3, 1 (saddle, m n = 1 < a b = 4)
    saddle = stability(RichardsonModel(2, 2, 1, 1, 1, 1))
    assert saddle.eigenvalues == (Fraction(-3), Fraction(1)) and saddle.stable is False and saddle.kind == "saddle"
    assert saddle.determinant == -3


def test_trajectory_converges_when_stable_and_diverges_when_not():
    stable = RichardsonModel("3/10", "2/5", "1/2", "1/2", 1, "3/2", labels=("NATO", "Russia"))
    path = trajectory(stable, 0, 0, 200)
    assert path.method == "matrix_exponential"
    assert path.final["NATO"] == pytest.approx(95 / 13, abs=1e-8)
    assert path.final["Russia"] == pytest.approx(115 / 13, abs=1e-8)
    # independent integration by scipy's solve_ivp at a few times
    check = solve_ivp(lambda t, z: [0.3 * z[1] - 0.5 * z[0] + 1, 0.4 * z[0] - 0.5 * z[1] + 1.5], (0, 200), [0, 0],
                      t_eval=path.time[::40], rtol=1e-11, atol=1e-12)
    assert np.allclose(check.y[0], path.x[::40], atol=1e-7) and np.allclose(check.y[1], path.y[::40], atol=1e-7)
    runaway = RichardsonModel(1, 1, "1/2", "1/2", 1, 1)  # m n = 1/4 < a b = 1
    distance = [np.hypot(*(np.array([p.x[-1], p.y[-1]]) - 0)) for p in (trajectory(runaway, 0, 0, t) for t in (5, 10, 20))]
    assert distance[0] < distance[1] < distance[2] and distance[2] > 1e3


def test_trajectory_with_singular_jacobian_uses_solve_ivp():
    # m n = a b = 1 and g = h = 0: the line x = y is fixed; from (1, 3) the sum x + y is conserved... the
    # difference d = x - y obeys d' = -2 d, so the path tends to (2, 2)
    path = trajectory(RichardsonModel(1, 1, 1, 1, 0, 0), 1, 3, 20)
    assert path.method == "solve_ivp"
    assert path.final[path.labels[0]] == pytest.approx(2, abs=1e-6) and path.final[path.labels[1]] == pytest.approx(2, abs=1e-6)


def test_invalid_inputs():
    with pytest.raises(RichardsonError, match="labels"):
        RichardsonModel(1, 1, 1, 1, labels=("A", "A"))
    with pytest.raises(RichardsonError, match="^a: expected a finite number"):
        RichardsonModel(float("inf"), 1, 1, 1)
    with pytest.raises(RichardsonError, match="numbers needed for a"):
        trajectory(RichardsonModel.symbolic(), 0, 0, 1)


def test_plot_phase_has_nullclines_and_steady_state():
    figure = plot_phase(RichardsonModel("3/10", "2/5", "1/2", "1/2", 1, "3/2", labels=("NATO", "Russia"), unit="brigades"))
    axes = figure.axes[0]
    labels = [line.get_label() for line in axes.get_lines()]
    assert "dNATO/dt = 0" in labels and "dRussia/dt = 0" in labels
    assert any(label.startswith("steady state") for label in labels)
    assert axes.get_xlabel() == "NATO (brigades)"


@settings(max_examples=20, deadline=None)
@given(st.lists(st.fractions(min_value=Fraction(1, 10), max_value=3, max_denominator=20), min_size=6, max_size=6))
def test_properties_steady_state_and_stability(values):
    a, b, m, n, g, h = values
    model = RichardsonModel(a, b, m, n, g, h)
    if m * n == a * b:
        return
    state = steady_state(model)
    x, y = state["x"], state["y"]
    assert a * y - m * x + g == 0 and b * x - n * y + h == 0  # exact rates vanish
    eigenvalues = np.linalg.eigvals(np.array([[-float(m), float(a)], [float(b), -float(n)]]))
    assert stability(model).stable == bool(np.all(eigenvalues.real < 0)) == (m * n > a * b)


def test_dynamics_command_text_json_and_plot(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_dynamics_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["dynamics", "richardson_arms_race", "--format", "json", "--time", "200"])
    assert args.handler(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["steady_state"] == {"NATO": "95/13", "Russia": "115/13"}
    assert data["stability"]["stable"] is True
    assert data["trajectory"]["end"]["NATO"] == pytest.approx(95 / 13, abs=1e-4)
    plot = tmp_path / "phase.png"
    args = parser.parse_args(["dynamics", "richardson_arms_race", "--set", "a=1", "--set", "b=1", "--plot", str(plot)])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "saddle" in out and plot.stat().st_size > 0
    args = parser.parse_args(["dynamics", "richardson_arms_race", "--start", "1"])
    with pytest.raises(ValueError, match="--start '1'"):
        args.handler(args)


def test_trajectory_is_a_labelled_result_and_figures_go_through_plot():
    model = RichardsonModel("3/10", "2/5", "1/2", "1/2", 1, "3/2", labels=("NATO", "Russia"))
    path = trajectory(model, 0, 0, 100, points=11)
    assert path.labels == ("NATO", "Russia") and path.rule == "richardson"
    assert np.array_equal(path["NATO"], path.x) and np.array_equal(path["time"], path.time)
    assert list(path.to_records()[0]) == ["time", "NATO", "Russia"]
    assert "At time 100: NATO = 7.308, Russia = 8.846" in path.to_text()
    data = json.loads(json.dumps(path.to_dict()))
    assert data["method"] == "matrix_exponential" and len(data["rows"]) == 11
    assert [axes.get_xlabel() for axes in path.plot().axes] == ["time", "NATO"]
    assert model.plot().axes[0].get_xlabel() == "NATO"
    verdict = stability(model)
    assert "stable node" in verdict.to_text() and verdict.to_dict()["determinant"] == "13/100"
