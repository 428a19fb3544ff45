"""Tests for negotiation.repeated (domain.md §M4: repeated Prisoner's Dilemma).

Axelrod's payoffs T=5, R=3, P=1, S=0: grim trigger δ* = (T−R)/(T−P) = 2/4 = 1/2
(Friedman 1971); tit-for-tat w* = max{(T−R)/(T−P), (T−R)/(R−S)} = max{1/2, 2/3} = 2/3
(Axelrod 1984).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

from negotiation import Game
from negotiation.repeated import (
    feasible_individually_rational_set,
    grim_trigger_threshold,
    minmax_values,
    tit_for_tat_threshold,
)

F = Fraction
CD = (("Cooperate", "Defect"), ("Cooperate", "Defect"))


def pd(T=5, R=3, P=1, S=0, **options):
    return Game.from_arrays([[R, S], [T, P]], [[R, T], [S, P]], players=("A", "B"),
                            strategies=CD, **options)


def test_axelrod_grim_and_tft():
    game = pd()
    assert grim_trigger_threshold(game, ("Cooperate", "Cooperate")) == F(1, 2)
    assert grim_trigger_threshold(game, ("Cooperate", "Cooperate"), ("Defect", "Defect")) == F(1, 2)
    assert tit_for_tat_threshold(game) == F(2, 3)
    assert tit_for_tat_threshold(game, "Cooperate") == F(2, 3)


def test_grim_float_and_no_temptation():
    assert grim_trigger_threshold(pd().to_float(), ("Cooperate", "Cooperate")) == pytest.approx(0.5)
    # The Nash profile itself needs no patience.
    assert grim_trigger_threshold(pd(), ("Defect", "Defect")) == 0


def test_grim_tft_other_payoffs():
    # T=4, R=3, P=1, S=0: grim (4-3)/(4-1) = 1/3; TFT max{1/3, 1/3} = 1/3.
    assert grim_trigger_threshold(pd(T=4), ("Cooperate", "Cooperate")) == F(1, 3)
    assert tit_for_tat_threshold(pd(T=4)) == F(1, 3)
    # T=10, R=6, P=1, S=-3 : grim 4/9, TFT max{4/9, 4/9}.
    assert tit_for_tat_threshold(pd(T=10, R=6, P=1, S=-3)) == F(4, 9)
    # T=5, R=4, P=1, S=2 ... (T−R)/(R−S) = 1/2 > (T−R)/(T−P) = 1/4.
    assert tit_for_tat_threshold(pd(T=5, R=4, P=1, S=2)) == F(1, 2)


def test_symbolic_pd():
    T, R, P, S = sympy.symbols("T R P S")
    game = pd(T, R, P, S)
    # The game declares its own symbols (with assumptions); compare in those.
    T, R, P, S = (game.symbols[name] for name in "TRPS")
    at = {"T": 5, "R": 3, "P": 1, "S": 0}
    delta = grim_trigger_threshold(game, ("Cooperate", "Cooperate"), at=at)
    assert sympy.simplify(delta - (T - R) / (T - P)) == 0
    w = tit_for_tat_threshold(game, at=at)
    assert sympy.simplify(w - (T - R) / (R - S)) == 0
    assert w.subs({game.symbols[k]: v for k, v in at.items()}) == sympy.Rational(2, 3)
    assert tit_for_tat_threshold(game.substitute(at)) == F(2, 3)
    with pytest.raises(ValueError, match="cannot decide"):
        grim_trigger_threshold(game, ("Cooperate", "Cooperate"))


def test_grim_errors():
    pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=("H", "S"))
    with pytest.raises(ValueError, match="no pure Nash"):
        grim_trigger_threshold(pennies, ("1", "1"))
    with pytest.raises(ValueError, match="not a pure Nash"):
        grim_trigger_threshold(pd(), ("Cooperate", "Cooperate"), ("Cooperate", "Defect"))
    # Target below the punishment for the deviator: (Cooperate, Defect) gives A 0 < P=1.
    with pytest.raises(ValueError, match="not below"):
        grim_trigger_threshold(pd(), ("Cooperate", "Defect"))


def test_grim_worst_punishment_default():
    # Coordination stage game with two pure NE; target (M, M) pays 4 each, deviation to the
    # other strategy pays 5; NE (L,L) pays 1, (H,H) pays 3. Worst for each deviator: (L,L),
    # δ* = (5-4)/(5-1) = 1/4; punishing with (H,H): (5-4)/(5-3) = 1/2.
    A = [[1, 0, 0], [0, 4, 0], [0, 5, 3]]
    game = Game.from_arrays(A, np.array(A).T.tolist(), players=("A", "B"),
                            strategies=(("L", "M", "H"),) * 2)
    assert grim_trigger_threshold(game, ("M", "M")) == F(1, 4)
    assert grim_trigger_threshold(game, ("M", "M"), ("H", "H")) == F(1, 2)


def test_tft_errors():
    with pytest.raises(ValueError, match="symmetric"):
        tit_for_tat_threshold(Game.from_arrays([[3, 0], [5, 1]], [[3, 0], [5, 1]], strategies=CD))
    with pytest.raises(ValueError, match="cooperation dilemma"):
        tit_for_tat_threshold(pd(T=2))


def test_minmax():
    pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=("H", "S"))
    assert minmax_values(pennies) == {"H": 0, "S": 0}
    assert minmax_values(pd()) == {"A": 1, "B": 1}
    # Rock-paper-scissors variant with non-symmetric values: row minmax of [[0, 2], [3, 0]]
    # is min_y max(2(1-y), 3y) = 6/5 at y = 2/5.
    game = Game.from_arrays([[0, 2], [3, 0]], [[0, 0], [0, 0]], players=("A", "B"))
    assert minmax_values(game)["A"] == F(6, 5)
    assert minmax_values(game.to_float())["A"] == pytest.approx(1.2)


def test_pd_feasible_ir_set():
    # Hand derivation: payoff vectors (3,3), (0,5), (5,0), (1,1); hull vertices counterclockwise
    # (0,5), (1,1), (5,0), (3,3) ((1,1) lies below u1+u2=5, so it is a vertex). Minmax (1,1).
    # Clip u1 >= 1: edge (0,5)-(1,1) leaves only (1,1); edge (3,3)-(0,5) is u2 = 5 - 2u1/3, so
    # at u1 = 1: (1, 13/3). Clip u2 >= 1: edge (5,0)-(3,3) is u1 = 5 - 2u2/3, at u2 = 1:
    # (13/3, 1); edge (1,1)-(5,0) lies below u2 = 1 except at (1,1). Result: the quadrilateral
    # (1,1), (13/3,1), (3,3), (1,13/3).
    vertices = feasible_individually_rational_set(pd())
    assert vertices == [(1, 1), (F(13, 3), 1), (3, 3), (1, F(13, 3))]
    assert all(isinstance(v, Fraction) for vertex in vertices for v in vertex)


def test_ir_set_degenerate_and_float():
    pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=("H", "S"))
    # Zero-sum: feasible set is the segment from (-1,1) to (1,-1); IR part is the point (0,0).
    assert feasible_individually_rational_set(pennies) == [(0, 0)]
    vertices = feasible_individually_rational_set(pd().to_float())
    assert np.allclose(vertices, [(1, 1), (13 / 3, 1), (3, 3), (1, 13 / 3)])
