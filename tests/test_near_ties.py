"""Near ties of irrational payoffs (issue 16, exp_nested): payoffs that differ exactly by less than the float
solvers' tolerance are refused with one line, never merged into a tie that reports a dominated strategy."""

import math

import pytest
import sympy

from negotiation.core.numeric import find_near_tie
from negotiation.models.game import Game, GameError

THOUSANDTH = sympy.Rational(1, 1000)
# 1 + 1/1000 + 1/2,000,000: exp(1/1000) cut after the square term; the rest of the series starts at 1/(6 * 10^9).
SERIES = 1 + THOUSANDTH + THOUSANDTH**2 / 2


def test_the_first_dropped_term_of_the_series_is_the_gap():
    first, second, gap = find_near_tie([sympy.exp(THOUSANDTH), SERIES, sympy.Integer(3)],
                                       [float(sympy.exp(THOUSANDTH)), float(SERIES), 3.0])
    assert (first, second) == (0, 1)
    assert math.isclose(float(gap), 1 / 6e9, rel_tol=0.03)  # 1.67e-10, shown to two digits


def test_a_gap_below_every_float_is_found():
    # e**e times (1 + 10^-900) against e**e: the gap is e**e * 10^-900, about 15.154 * 10^-900.
    big = sympy.exp(sympy.E)
    _, _, gap = find_near_tie([big, big * (1 + sympy.Rational(1, 10**900))], [float(big)] * 2)
    assert gap.startswith("1.5e-899")


def test_equal_values_and_distant_values_are_no_tie():
    root = sympy.sqrt(2)
    assert find_near_tie([root, root, sympy.Integer(1)], [float(root)] * 2 + [1.0]) is None
    # sqrt(2) against 1.4142 differ by 1.4e-5 (relative 1e-5): far above the tolerance, the floats decide.
    decimal = sympy.Rational(14142, 10000)
    assert find_near_tie([root, decimal], [float(root), float(decimal)]) is None


def test_values_equal_to_every_digit_are_refused_as_undecided():
    # log 6 = log 2 + log 3 exactly, but sympy does not see it without simplification: equal to 2000 digits
    # is not proof, so the pair is refused rather than taken as a tie.
    six, product = sympy.log(6), sympy.log(2) + sympy.log(3)
    assert find_near_tie([six, product], [float(six), float(product)])[2] == "less than 1e-2000"


def test_a_game_with_a_near_tie_is_refused_naming_the_player():
    # A's y against x: 1 + 1/1000 + 1/2e6 < exp(1/1000), so x strictly dominates y for A; the float game
    # would tie the column (x, x)/(y, x) and add the profile (y, x) as an equilibrium.
    c = sympy.Symbol("c", positive=True)
    game = Game.from_arrays([[sympy.exp(c / 1000), 1], [SERIES.subs(THOUSANDTH, c / 1000), 0]],
                            [[0, 0], [0, 0]], players=["A", "B"], strategies=[["x", "y"], ["x", "y"]])
    with pytest.raises(GameError, match=r"payoffs of A at \(x, x\) and \(y, x\) differ by 1\.7e-10") as error:
        game.substitute(c=1)
    assert "\n" not in str(error.value)
    # At c = 100 they are exp(1/10) = 1.10517 and 1.105: 1.7e-4 apart, far above the tolerance.
    assert game.substitute(c=100).payoffs.dtype == float


def test_a_closed_game_is_checked_too():
    with pytest.raises(GameError, match="differ by 1.7e-10"):
        Game.from_arrays([[sympy.exp(THOUSANDTH), 1], [SERIES, 0]], [[0, 0], [0, 0]])
