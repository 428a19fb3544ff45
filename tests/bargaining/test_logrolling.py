"""Tests for negotiation.bargaining.logrolling (multi-issue packages, domain.md §M10).

Hand-computed examples (utilities u_N = Σ w_Nk x_k, u_R = Σ w_Rk (1 - x_k),
x_k = NATO's share of issue k):

1. Weights NATO (3, 1), Russia (1, 3). Equal split: (2, 2). Frontier vertices
   (0, 4), (3, 3), (4, 0) (concede issue 1 first: ratio 3 > 1/3).
   Efficient trade x = (1, 0): (3, 3), gains (+1, +1).
   Best for NATO keeping Russia at 2: from (3, 3), x_2 = 1/3 costs Russia 1 and
   gives NATO 1/3: (10/3, 2). Best for Russia symmetric: x = (2/3, 0), (2, 10/3).
2. Weights NATO (2, 1), Russia (1, 1). Split (3/2, 1). Efficient trade: issue 1
   to NATO, issue 2 tied (stays 1/2): (5/2, 1/2), gains (+1, -1/2): it hurts Russia.
   Best for NATO: x = (1, 0): (2, 1). Best for Russia: 2x_1 = 3/2 ⇒ x = (3/4, 0):
   (3/2, 5/4). Equal gains: 2x_1 - 3/2 = (2 - x_1) - 1 ⇒ x_1 = 5/6, gains 1/6 each.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from negotiation.bargaining.logrolling import logrolling

F = Fraction
LABELS = ("NATO", "Russia")


def test_symmetric_two_issue_example_by_hand():
    weights = {"NATO": {"enlargement": 3, "deployments": 1}, "Russia": {"enlargement": 1, "deployments": 3}}
    result = logrolling(weights)
    assert result.players == LABELS and result.issues == ("enlargement", "deployments")
    assert result.split.utilities == {"NATO": 2, "Russia": 2}
    assert result.efficient_trade.shares == {"enlargement": 1, "deployments": 0}
    assert result.efficient_trade.gains == {"NATO": 1, "Russia": 1}
    assert result.best_for["NATO"].shares == {"enlargement": 1, "deployments": F(1, 3)}
    assert result.best_for["NATO"].utilities == {"NATO": F(10, 3), "Russia": 2}
    assert result.best_for["Russia"].shares == {"enlargement": F(2, 3), "deployments": 0}
    assert result.best_for["Russia"].utilities == {"NATO": 2, "Russia": F(10, 3)}
    assert result.balanced.utilities == {"NATO": 3, "Russia": 3}
    assert result.max_gains == {"NATO": F(4, 3), "Russia": F(4, 3)}
    assert [tuple(v.utilities.values()) for v in result.frontier] == [(0, 4), (3, 3), (4, 0)]
    assert [tuple(v.utilities.values()) for v in result.dominating_frontier] == [(2, F(10, 3)), (3, 3), (F(10, 3), 2)]
    assert result.issue_order == ("enlargement", "deployments")
    assert result.logrolling_gains and result.exact
    assert all(isinstance(v, Fraction) for v in result.best_for["NATO"].shares.values())
    assert result.provenance == "toolkit parametrisation"


def test_asymmetric_example_by_hand():
    result = logrolling([[2, 1], [1, 1]], players=LABELS, issues=("A", "B"))
    assert result.split.utilities == {"NATO": F(3, 2), "Russia": 1}
    trade = result.efficient_trade
    assert trade.shares == {"A": 1, "B": F(1, 2)} and trade.gains == {"NATO": 1, "Russia": F(-1, 2)}
    assert not trade.pareto_dominates_split
    assert result.best_for["NATO"].shares == {"A": 1, "B": 0}
    assert result.best_for["NATO"].gains == {"NATO": F(1, 2), "Russia": 0}
    assert result.best_for["Russia"].shares == {"A": F(3, 4), "B": 0}
    assert result.best_for["Russia"].utilities == {"NATO": F(3, 2), "Russia": F(5, 4)}
    assert result.balanced.shares == {"A": F(5, 6), "B": 0}
    assert result.balanced.gains == {"NATO": F(1, 6), "Russia": F(1, 6)}
    assert result.balanced.pareto_dominates_split


def test_equal_ratios_leave_nothing_to_trade():
    # Russia weights every issue twice as much as NATO: all packages lie on one line
    result = logrolling([[1, 2, 3], [2, 4, 6]], players=LABELS)
    assert not result.logrolling_gains
    assert result.max_gains == {"NATO": 0, "Russia": 0}
    assert result.balanced.gains == {"NATO": 0, "Russia": 0}


def test_proportional_and_given_splits():
    weights = [[3, 1], [1, 3]]
    proportional = logrolling(weights, split="proportional")
    assert list(proportional.split.shares.values()) == [F(3, 4), F(1, 4)]
    # the proportional split (3/4, 1/4) gives (5/2, 5/2); trade still helps
    assert proportional.split.utilities == {"Player 1": F(5, 2), "Player 2": F(5, 2)}
    assert proportional.balanced.gains == {"Player 1": F(1, 2), "Player 2": F(1, 2)}
    given_split = logrolling(weights, split={"Issue 1": "1/3", "Issue 2": 1})
    assert given_split.split_rule == "given shares"
    assert list(given_split.split.shares.values()) == [F(1, 3), 1]
    assert logrolling(weights, split="1/4").split.shares == {"Issue 1": F(1, 4), "Issue 2": F(1, 4)}


def test_float_weights_give_float_results():
    result = logrolling([[0.5, 0.3, 0.2], [0.1, 0.3, 0.6]], players=LABELS)
    assert not result.exact
    assert result.balanced.gains["NATO"] == pytest.approx(0.2) and result.balanced.gains["Russia"] == pytest.approx(0.2)
    assert result.max_gains["NATO"] == pytest.approx(1 / 3) and result.max_gains["Russia"] == pytest.approx(0.4)


def test_issue_nobody_values_and_one_sided_issue():
    # issue 3 is worth nothing to either; issue 2 only to NATO
    result = logrolling([[1, 1, 0], [1, 0, 0]], players=LABELS)
    assert result.efficient_trade.shares["Issue 2"] == 1
    assert result.efficient_trade.shares["Issue 3"] == F(1, 2)  # tie keeps the split share
    assert result.issue_order[0] == "Issue 2"
    assert result.best_for["NATO"].utilities == {"NATO": F(3, 2), "Russia": F(1, 2)}


def test_to_dict_and_text():
    result = logrolling({"NATO": {"enlargement": 3, "deployments": 1}, "Russia": {"enlargement": 1, "deployments": 3}})
    data = json.loads(json.dumps(result.to_dict()))
    assert data["best_for"]["NATO"]["shares"] == {"enlargement": "1", "deployments": "1/3"}
    assert data["max_gains"] == {"NATO": "4/3", "Russia": "4/3"}
    text = result.to_text()
    assert "NATO" in text and "Russia" in text and "best for NATO" in text and "logrolling pays" in text


@pytest.mark.parametrize(
    "weights, kwargs, match",
    [
        ({"NATO": {"a": 1}}, {}, "exactly two parties"),
        ({"NATO": {"a": 1}, "Russia": {"b": 1}}, {}, "same issues"),
        ([[1, -1], [1, 1]], {}, ">= 0"),
        ([[1, 1], [1]], {}, "one weight per issue"),
        ([[1, 1], [1, 1]], {"split": "2"}, "\\[0, 1\\]"),
        ([[1, 1], [1, 1]], {"split": "fair"}, "equal"),
        ([[1, 1], [1, 1]], {"split": [F(1, 2)]}, "2 shares"),
        ([[1, 1], [1, 1]], {"issues": ("a",)}, "issue labels"),
        ([[1, 1], [1, 1]], {"players": ("NATO", "NATO")}, "different"),
    ],
)
def test_invalid_input(weights, kwargs, match):
    with pytest.raises(ValueError, match=match):
        logrolling(weights, **kwargs)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

weight_rows = st.integers(1, 5).flatmap(
    lambda k: st.tuples(
        st.lists(st.integers(0, 9), min_size=k, max_size=k),
        st.lists(st.integers(0, 9), min_size=k, max_size=k),
    )
)


@settings(max_examples=50, deadline=None)
@given(weight_rows)
def test_packages_against_an_independent_lp(rows):
    w1, w2 = rows
    result = logrolling([w1, w2], players=LABELS)
    split = result.split.utilities
    # best for NATO: max w1·x s.t. Russia keeps its split utility (scipy, independent of the module)
    independent = linprog(
        -np.array(w1, float), A_ub=[np.array(w2, float)], b_ub=[sum(w2) - float(split["Russia"])],
        bounds=[(0, 1)] * len(w1), method="highs",
    )
    assert float(result.best_for["NATO"].utilities["NATO"]) == pytest.approx(-independent.fun, abs=1e-9)
    for package in (*result.best_for.values(), result.balanced, *result.dominating_frontier):
        assert all(g >= 0 for g in package.gains.values())  # weakly dominates the split
        assert all(0 <= x <= 1 for x in package.shares.values())
        assert all(isinstance(x, Fraction) for x in package.shares.values())
    # balanced package: the largest smaller gain (independent LP over x and t), then nothing wasted
    k = len(w1)
    max_min = linprog(
        [0.0] * k + [-1.0],
        A_ub=[[-a for a in w1] + [1], list(w2) + [1]],
        b_ub=[-float(split["NATO"]), sum(w2) - float(split["Russia"])],
        bounds=[(0, 1)] * k + [(None, None)], method="highs",
    )
    gains = result.balanced.gains
    assert float(min(gains.values())) == pytest.approx(-max_min.fun, abs=1e-9)
    assert sum(gains.values()) >= 2 * min(gains.values())
    assert not any(  # no frontier vertex is better for both
        v.gains["NATO"] >= gains["NATO"] and v.gains["Russia"] >= gains["Russia"] and v.gains != gains
        and (v.gains["NATO"] > gains["NATO"] or v.gains["Russia"] > gains["Russia"])
        for v in result.frontier
    )
    # the efficient trade maximises the sum of utilities over all packages (corners suffice)
    best_sum = sum(max(a, b) for a, b in zip(w1, w2))
    assert sum(result.efficient_trade.utilities.values()) == best_sum
    assert all(sum(v.utilities.values()) <= best_sum for v in result.frontier)


@settings(max_examples=50, deadline=None)
@given(weight_rows)
def test_joint_gains_iff_ratios_differ(rows):
    """With the equal split and positive weights, logrolling pays iff w1k/w2k are not all equal."""
    w1, w2 = ([a + 1 for a in row] for row in rows)
    result = logrolling([w1, w2])
    ratios = {F(a, b) for a, b in zip(w1, w2)}
    assert result.logrolling_gains == (len(ratios) > 1)


@settings(max_examples=30, deadline=None)
@given(weight_rows)
def test_frontier_is_concave_and_monotone(rows):
    w1, w2 = rows
    points = [tuple(v.utilities.values()) for v in logrolling([w1, w2]).frontier]
    assert all(a[0] <= b[0] and a[1] >= b[1] for a, b in zip(points, points[1:]))
    slopes = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(points, points[1:]) if b[0] != a[0]]
    assert all(s >= t for s, t in zip(slopes, slopes[1:]))  # slopes fall: concave frontier


def test_exact_frontier_is_used_when_the_lp_cannot_be_rebuilt(monkeypatch):
    import importlib

    module = importlib.import_module("negotiation.bargaining.logrolling")

    monkeypatch.setattr(module, "_rebuild", lambda *args: None)
    result = module.logrolling([[3, 1], [1, 3]], players=LABELS)
    assert result.best_for["NATO"].shares == {"Issue 1": 1, "Issue 2": F(1, 3)}
    assert result.balanced.gains == {"NATO": 1, "Russia": 1}
    assert any("exact frontier" in m for m in result.messages)


def test_balanced_package_wastes_no_gain_on_a_flat_frontier():
    # NATO values only issue 3, Russia only issue 2: split gives (1/2, 1). Max-min gain is 1/2
    # (NATO cannot get more than issue 3); Russia then keeps all of issue 2: gains (1/2, 1).
    result = logrolling([[0, 0, 1], [0, 2, 0]], players=LABELS)
    assert result.balanced.gains == {"NATO": F(1, 2), "Russia": 1}
    assert result.balanced.shares["Issue 2"] == 0 and result.balanced.shares["Issue 3"] == 1
