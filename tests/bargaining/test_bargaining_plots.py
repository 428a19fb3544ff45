"""Figures: utility space (polygons, packages, curves), issue space (1 and 2 issues, discrete axes), sensitivity."""

from __future__ import annotations

import io
from fractions import Fraction as F

import pytest

from negotiation.bargaining import BargainingProblem, Issue, bargain
from negotiation.report.bargaining import plot_agreement_set, plot_issue_space, plot_sensitivity

PARTIES = ("NATO", "Russia")


def saved(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.mark.parametrize("problem", [
    BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1), (1, F(7, 10))], PARTIES, (0, 0)),
    BargainingProblem.from_inequalities([((1, 1), 1)], PARTIES, (0, 0)),
    BargainingProblem.from_packages({"a": (2, 1), "b": (1, 2), "c": (0, 0)}, PARTIES, (F(1, 2), F(1, 2))),
    BargainingProblem.from_issues([Issue.continuous("x", 0, 1)], {"NATO": "x", "Russia": "1 - x**2"},
                                  disagreement=(0, 0)),
    BargainingProblem.from_inequalities([((1, 1), 1)], PARTIES, (1, 1)),   # empty zone
], ids=["vertices", "inequalities", "packages", "curve", "empty"])
def test_utility_space_figures(problem):
    figure = plot_agreement_set(bargain(problem))
    ax = figure.axes[0]
    assert ax.get_xlabel() == "utility of NATO" and ax.get_ylabel() == "utility of Russia"
    labels = ax.get_legend_handles_labels()[1]
    assert "no deal (disagreement point)" in labels
    assert saved(figure)[:4] == b"\x89PNG"


def test_issue_space_figures():
    issues = [Issue.continuous("troops", 0, 10, label="troop ceiling", unit="thousand"),
              Issue.continuous("notify", 3, 13), Issue.discrete("missiles", ["ban", "moratorium"])]
    scores = {"NATO": {"missiles": {"ban": 1, "moratorium": 0}}, "Russia": {"missiles": {"ban": 0, "moratorium": 1}}}
    problem = BargainingProblem.from_issues(issues, {"NATO": "troops/10 + (13 - notify)/20",
                                                     "Russia": "1 - troops/10 + (notify - 3)/10"},
                                            scores=scores, disagreement=(F(1, 2), F(1, 2)))
    result = bargain(problem)
    two = plot_issue_space(result)
    assert two.axes[0].get_xlabel() == "troop ceiling (thousand)" and two.axes[0].get_ylabel() == "notify"
    one = plot_issue_space(result, ["notify"])
    assert one.axes[0].get_ylabel() == "utility"
    discrete = plot_issue_space(result, ["troops", "missiles"])
    assert [t.get_text() for t in discrete.axes[0].get_yticklabels()] == ["ban", "moratorium"]
    for figure in (two, one, discrete):
        assert saved(figure)[:4] == b"\x89PNG"


def test_figures_draw_on_given_axes_and_sensitivity():
    import sympy
    from matplotlib.figure import Figure

    from negotiation.bargaining.sensitivity import sensitivity
    from negotiation.core.parameters import Parameter, ParameterSpace

    c = sympy.Symbol("c")
    problem = BargainingProblem.from_inequalities(
        [((1, 1), 1)], PARTIES, (c, 0), parameters=ParameterSpace((Parameter("c", F(0), low=F(0), high=F(2)),)))
    figure = Figure()
    ax = figure.add_subplot()
    assert plot_agreement_set(problem.substitute({"c": F(1, 4)}), ax=ax) is figure
    result = sensitivity(problem, "c", num=5)
    figure = plot_sensitivity(result)
    assert figure.axes[0].get_xlabel() == "c"
    assert any("closes" in label for label in figure.axes[0].get_legend_handles_labels()[1])
    assert saved(figure)[:4] == b"\x89PNG"
