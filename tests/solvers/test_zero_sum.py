"""Tests for negotiation.solvers.zero_sum (linear programming for zero-sum games).

Expected values are hand computations and textbook values (cited), checked
against vertex_enumeration (every equilibrium of a zero-sum game pays the
value) and nashpy's linear_program as a second solver.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from negotiation import Game
from negotiation.solvers.vertex_enumeration import vertex_enumeration
from negotiation.solvers.zero_sum import linear_program

F = Fraction


def zero_sum(A, **labels):
    A = np.asarray(A, dtype=object)
    return Game.from_arrays(A.tolist(), (-A).tolist(), **labels)


def vectors(result):
    return tuple(tuple(v) for v in result[0].profile.probabilities)


def test_matching_pennies():
    result = linear_program(zero_sum([[1, -1], [-1, 1]]))
    assert result.details["value"] == 0 and isinstance(result.details["value"], Fraction)
    assert vectors(result) == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))
    assert result.exact and not result.complete and result.method == "linear_program"
    assert any("may be larger" in m for m in result.messages)


def test_rock_paper_scissors():
    labels = ("Rock", "Paper", "Scissors")
    game = zero_sum([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], strategies=(labels, labels))
    result = linear_program(game)
    assert result.details["value"] == 0
    assert vectors(result) == ((F(1, 3),) * 3, (F(1, 3),) * 3)
    assert result[0].profile["Player 1"] == {"Rock": F(1, 3), "Paper": F(1, 3), "Scissors": F(1, 3)}


def test_two_by_three_game_by_hand():
    """A = [[3,-1,2],[-2,4,1]].

    Row player plays (p, 1-p): columns pay 5p-2, 4-5p, 1+p. The lower envelope
    min(5p-2, 4-5p, 1+p) peaks where 5p-2 = 4-5p, p = 3/5, value 1 (column 3
    pays 8/5 > 1 there, so it is not used). Column player: rows against
    (q, 1-q, 0) pay 4q-1 and 4-6q, equal at q = 1/2, value 1. Both optimal
    strategies are unique, so the LP must return exactly these.
    """
    result = linear_program(zero_sum([[3, -1, 2], [-2, 4, 1]]))
    assert result.details["value"] == 1
    assert vectors(result) == ((F(3, 5), F(2, 5)), (F(1, 2), F(1, 2), F(0)))
    assert result[0].payoffs == (F(1), F(-1))


def test_two_finger_morra():
    """Two-finger Morra (the textbook example in T. S. Ferguson, Game Theory, UCLA
    lecture notes, Part II): each player shows 1 or 2 fingers and guesses the
    other's number; if exactly one guesses right, they win the total shown.
    Strategies (shown, guessed); the matrix below is derived by hand from these
    rules. Value 0 (the game is symmetric), and player 1's optimal strategies are
    (0, p, 1-p, 0) with 4/7 <= p <= 3/5 (Ferguson; check: against the four
    columns they pay 3-5p, 0, 0, 7p-4).
    """
    labels = ("show 1 guess 1", "show 1 guess 2", "show 2 guess 1", "show 2 guess 2")
    A = [[0, 2, -3, 0], [-2, 0, 0, 3], [3, 0, 0, -4], [0, -3, 4, 0]]
    result = linear_program(zero_sum(A, strategies=(labels, labels)))
    assert result.details["value"] == 0
    x, y = vectors(result)
    assert x[0] == 0 and x[3] == 0 and F(4, 7) <= x[1] <= F(3, 5)
    assert y[0] == 0 and y[3] == 0 and F(4, 7) <= y[1] <= F(3, 5)  # the game is symmetric
    # vertex_enumeration lists the ends of the segment
    extremes = {tuple(e.profile.probabilities[0]) for e in vertex_enumeration(zero_sum(A))}
    assert extremes == {(0, F(3, 5), F(2, 5), 0), (0, F(4, 7), F(3, 7), 0)}


def test_random_games_value_matches_vertex_enumeration_and_nashpy():
    nash = pytest.importorskip("nashpy")
    rng = np.random.default_rng(11)
    for trial in range(120):
        m, n = (int(k) for k in rng.integers(1, 7, size=2))
        A = rng.integers(-5, 6, size=(m, n)) if trial % 2 else rng.integers(-50, 51, size=(m, n))
        game = zero_sum(A.tolist())
        result = linear_program(game)
        value = result.details["value"]
        assert len(result.messages) == 1, result.messages  # no fallback
        # every equilibrium of a zero-sum game pays the value
        assert {e.payoffs[0] for e in vertex_enumeration(game)} == {value}
        # the strategies are optimal, exactly: each guarantees the value
        x, y = vectors(result)
        assert min(sum(x[i] * int(A[i, j]) for i in range(m)) for j in range(n)) == value
        assert max(sum(int(A[i, j]) * y[j] for j in range(n)) for i in range(m)) == value
        # nashpy's linear program (float)
        rows, columns = nash.Game(A).linear_program()
        assert float(value) == pytest.approx(float(min(rows @ A)), abs=1e-7)
        assert float(value) == pytest.approx(float(max(A @ columns)), abs=1e-7)


def test_float_game():
    A = np.array([[3.0, -1.0, 2.0], [-2.0, 4.0, 1.0]]) * 0.1  # the hand-computed game, scaled
    result = linear_program(Game.from_arrays(A, -A))
    assert not result.exact
    assert isinstance(result.details["value"], float)
    assert result.details["value"] == pytest.approx(0.1, abs=1e-12)
    x, y = result[0].profile.probabilities
    assert x == pytest.approx((0.6, 0.4), abs=1e-12) and y == pytest.approx((0.5, 0.5, 0.0), abs=1e-12)


def test_fractional_payoffs_stay_exact():
    A = [[F(1, 3), F(-1, 2)], [F(-1, 4), F(1, 5)]]
    result = linear_program(zero_sum(A))
    # 2×2 without saddle point (by hand): x1 = (d-c)/(a-b-c+d) with a=1/3, b=-1/2, c=-1/4, d=1/5
    a, b, c, d = F(1, 3), F(-1, 2), F(-1, 4), F(1, 5)
    denominator = a - b - c + d
    assert vectors(result)[0] == ((d - c) / denominator, (a - b) / denominator)
    assert result.details["value"] == (a * d - b * c) / denominator


def test_saddle_point():
    # Row 2 guarantees 2 and column 1 concedes at most 2: pure saddle point (2, 1), value 2.
    result = linear_program(zero_sum([[1, 3], [2, 4]]))
    assert result.details["value"] == 2
    assert result[0].profile.describe() == "Player 1: 2; Player 2: 1"


def test_unusable_lp_solution_falls_back_to_vertex_enumeration(monkeypatch):
    from negotiation.solvers import zero_sum as module

    # a "solver" that returns the uniform mixture, which is not optimal here
    monkeypatch.setattr(module, "_maximin", lambda matrix: np.full(matrix.shape[0], 1 / matrix.shape[0]))
    game = zero_sum([[3, -1, 2], [-2, 4, 1]])
    result = linear_program(game)
    assert "vertex_enumeration" in result.messages[0]
    assert result.details["value"] == 1
    assert vectors(result) == ((F(3, 5), F(2, 5)), (F(1, 2), F(1, 2), F(0)))


def test_rejects_non_zero_sum_with_one_line_message():
    game = Game.from_arrays([[1, 2], [0, 1]], [[-1, -2], [0, 2]],
                            players=("Blue", "Red"), strategies=(("R", "S"), ("C", "D")))
    with pytest.raises(ValueError) as error:
        linear_program(game)
    assert str(error.value) == "linear_program needs a zero-sum game: payoffs at (S, D) sum to 3"
    assert "\n" not in str(error.value)


def test_rejects_more_players_and_symbolic_games():
    three = Game.from_arrays(*(np.zeros((2, 2, 2), dtype=int).tolist() for _ in range(3)))
    with pytest.raises(ValueError, match="two-player"):
        linear_program(three)
    import sympy

    c = sympy.Symbol("c")
    with pytest.raises(ValueError, match="substitute"):
        linear_program(Game.from_arrays([[c, 0], [0, 1]], [[-c, 0], [0, -1]]))
