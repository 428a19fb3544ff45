"""Equilibrium selection in 2×2 games (issue 17): payoff and risk dominance, against hand computations and
an independent characterisation of risk dominance in symmetric games."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.cli import main
from negotiation.solvers.selection import SelectionError, select_equilibrium

LABELS = (("C", "D"), ("C", "D"))


def symmetric(a, b, c, d, labels=LABELS):
    """Row payoffs u(C,C) = a, u(C,D) = b, u(D,C) = c, u(D,D) = d; the column player's are the transpose."""
    return ng.Game.from_arrays([[a, b], [c, d]], [[a, c], [b, d]], strategies=labels)


def test_the_stag_hunt_of_the_issue():
    """R = 4, T = 3, P = 2, S = 0: (C, C) = (4, 4) is better for both than (D, D) = (2, 2) (payoff dominant);
    the deviation losses are R − T = 1 at (C, C) and P − S = 2 at (D, D), so 1·1 < 2·2: (D, D) risk dominant."""
    game = symmetric(4, 0, 3, 2)
    risk, payoff = select_equilibrium(game, "risk"), select_equilibrium(game, "payoff")
    assert risk.selected == ("D", "D") and risk.measures == (F(1), F(4))
    assert payoff.selected == ("C", "C") and payoff.measures == ((F(4), F(4)), (F(2), F(2)))


def test_games_without_two_strict_equilibria_select_nothing():
    """The Prisoner's Dilemma has one strict equilibrium; matching pennies none."""
    for game in (symmetric(3, 0, 5, 1), ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])):
        result = select_equilibrium(game, "risk")
        assert result.selected is None and "not two strict" in result.messages[0]


def test_chicken_compares_its_off_diagonal_equilibria():
    """Chicken (a, b, c, d) = (0, -1, 1, -10): the strict equilibria are (C, D) and (D, C), mirror images with the
    same Nash product (1 − 0)·(−1 + 10) = 9 each, so neither is risk dominant; neither is better for both."""
    game = symmetric(0, -1, 1, -10)
    risk = select_equilibrium(game, "risk")
    assert set(risk.candidates) == {("C", "D"), ("D", "C")} and risk.measures == (F(9), F(9)) and risk.selected is None
    assert select_equilibrium(game, "payoff").selected is None


coordination = st.tuples(*(st.integers(-20, 20) for _ in range(4))).filter(lambda p: p[0] > p[2] and p[3] > p[1])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(coordination)
def test_risk_dominance_is_the_best_reply_to_even_odds(payoffs):
    """In a symmetric 2×2 coordination game (a > c, d > b) the risk-dominant equilibrium is the one whose
    strategy is the best reply to an opponent playing each strategy with probability 1/2 (Harsanyi and Selten
    1988, p. 83): compare (a + b)/2 with (c + d)/2, a computation independent of deviation-loss products."""
    a, b, c, d = payoffs
    result = select_equilibrium(symmetric(a, b, c, d), "risk")
    if a + b > c + d:
        assert result.selected == ("C", "C")
    elif a + b < c + d:
        assert result.selected == ("D", "D")
    else:
        assert result.selected is None


@settings(max_examples=60, deadline=None, derandomize=True)
@given(coordination, st.integers(1, 9), st.integers(-9, 9), st.integers(1, 9), st.integers(-9, 9))
def test_selection_is_invariant_to_positive_affine_changes_and_relabelling(payoffs, s1, t1, s2, t2):
    a, b, c, d = payoffs
    game = symmetric(a, b, c, d)
    row = [[s1 * a + t1, s1 * b + t1], [s1 * c + t1, s1 * d + t1]]
    column = [[s2 * a + t2, s2 * c + t2], [s2 * b + t2, s2 * d + t2]]
    scaled = ng.Game.from_arrays(row, column, strategies=LABELS)
    swapped = ng.Game.from_arrays([[d, c], [b, a]], [[d, b], [c, a]], strategies=(("D", "C"), ("D", "C")))
    for criterion in ("risk", "payoff"):
        expected = select_equilibrium(game, criterion).selected
        assert select_equilibrium(swapped, criterion).selected == expected
        # both criteria compare each player's payoffs with that player's own: per-player affine maps keep them
        assert select_equilibrium(scaled, criterion).selected == expected


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.fractions(0, 1, max_denominator=8), st.fractions(0, 1, max_denominator=8),
       st.integers(0, 10), st.integers(0, 20), st.integers(0, 20), st.integers(0, 10), st.integers(0, 10))
def test_the_symbolic_conditions_agree_with_the_numeric_answer(omega, phi, k, G, L, W, v):
    """security_dilemma with parameters: the condition where (Restrain, Restrain) is risk dominant, evaluated
    at a point, says what the numeric selection at that point says (symbolic = numeric)."""
    scenario = ng.load("security_dilemma")
    values = {"omega": omega, "phi": phi, "k": k, "G": G, "L": L, "W": W, "v": v}
    symbolic = select_equilibrium(scenario.game, "risk")
    game = scenario.game.substitute(values)
    numeric = select_equilibrium(game, "risk").selected
    symbols = scenario.game.symbols
    at = {symbols[name]: sympy.Rational(value.numerator, value.denominator) if isinstance(value, F) else value
          for name, value in values.items()}
    for profile in (("Restrain", "Restrain"), ("Deploy", "Deploy")):
        condition = sympy.sympify(symbolic.conditions["(" + ", ".join(profile) + ")"], locals=dict(symbols))
        assert bool(condition.subs(at)) == (numeric == profile)


def test_one_line_refusals():
    with pytest.raises(SelectionError, match="2×2 games, not a 3×3 game"):
        select_equilibrium(ng.Game.from_arrays([[1, 0, 0]] * 3, [[1, 0, 0]] * 3), "risk")
    with pytest.raises(SelectionError, match="criterion: expected one of risk, payoff"):
        select_equilibrium(symmetric(4, 0, 3, 2), "tracing")


def test_the_command_line_selects_at_a_parameter_point(capsys):
    """security_dilemma at k = 3, φ = 1/10 (other defaults ω = 1/2, G = 4, L = 10, W = 2, v = 1):
    T = v G ω (1 − φ (1 − ω)) − k = 2 · 19/20 − 3 = −11/10, S = −ω L (1 − φ) = −9/2, P = −k − ω W = −4, R = 0:
    a Stag Hunt; deviation losses R − T = 11/10 at (Restrain, Restrain) and P − S = 1/2 at (Deploy, Deploy):
    products 121/100 > 1/4, so mutual restraint is risk dominant."""
    assert main(["solve", "security_dilemma", "--set", "k=3", "--set", "phi=1/10", "--select", "risk",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["selected"] == ["Restrain", "Restrain"] and data["measures"] == ["121/100", "1/4"]
    assert main(["solve", "cfe2", "--select", "risk"]) == 1
    assert "apply to strategic-form games, not a bargaining model" in capsys.readouterr().err
