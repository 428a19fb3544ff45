"""Strategic-form games: construction, validation, substitution, conversion, display."""

from decimal import Decimal
from fractions import Fraction as F

import numpy as np
import pytest
import sympy

import negotiation as ng
from negotiation import Game, GameError

LABELS = dict(players=("NATO", "Russia"), strategies=(("Restrain", "Deploy"), ("Restrain", "Deploy")))


def test_payoff_kinds_are_coerced_exactly():
    game = Game.from_arrays([[1, F(1, 3)], [Decimal("0.1"), "-3/4"]], [[0, 0], [0, 0]])
    assert game.is_exact
    assert game.payoff_array(0).tolist() == [[1, F(1, 3)], [F(1, 10), F(-3, 4)]]
    assert Game.from_arrays([[1.5, 0], [0, 0]], [[0, 0], [0, 0]]).arithmetic == "float"


def test_from_table_and_labelled_lookup():
    game = Game.from_table(
        {("Restrain", "Restrain"): (0, 0), ("Restrain", "Deploy"): (-5, -1),
         ("Deploy", "Restrain"): (-1, -5), ("Deploy", "Deploy"): (-2, -2)},
        strategies={"NATO": ["Restrain", "Deploy"], "Russia": ["Restrain", "Deploy"]},
    )
    assert game["Deploy", "Restrain"] == {"NATO": -1, "Russia": -5}
    assert game.shape == (2, 2) and game.n_players == 2


def test_three_players():
    payoffs = np.zeros((2, 2, 2, 3), dtype=object)
    payoffs[1, 1, 1] = (1, 2, 3)
    game = Game(("A", "B", "C"), (("x", "y"),) * 3, payoffs)
    assert game["y", "y", "y"] == {"A": 1, "B": 2, "C": 3}


@pytest.mark.parametrize("build, message", [
    (lambda: Game.from_arrays([[1, 2], [3]], [[1, 2], [3, 4]]), "ragged"),
    (lambda: Game.from_arrays([[1, float("nan")], [0, 0]], [[0, 0], [0, 0]]), "finite"),
    (lambda: Game.from_arrays([[1, float("inf")], [0, 0]], [[0, 0], [0, 0]]), "finite"),
    (lambda: Game.from_arrays([[1, 2]], [[1, 2], [3, 4]]), "shape"),
    (lambda: Game.from_arrays([[1, 2], [3, 4]], [[1, 2], [3, 4]], players=("A", "A")), "duplicate player"),
    (lambda: Game.from_arrays([[1, 2], [3, 4]], [[1, 2], [3, 4]], strategies=(("x", "x"), ("a", "b"))),
     "duplicate strategy"),
    (lambda: Game.from_arrays([[1, "abc"], [0, 0]], [[0, 0], [0, 0]]), "not a number"),
    (lambda: Game.from_arrays([[True, 0], [0, 0]], [[0, 0], [0, 0]]), "boolean"),
    (lambda: Game.from_table({("a", "b"): (1, 2)}, strategies={"P": ["a"], "Q": ["b", "c"]}), "no payoffs"),
    (lambda: Game.from_table({("a", "z"): (1, 2)}, strategies={"P": ["a"], "Q": ["b"]}), "unknown strategy"),
    (lambda: Game.from_table({("a", "b"): (1,)}, strategies={"P": ["a"], "Q": ["b"]}), "1 payoffs given"),
])
def test_bad_input_raises_clear_errors(build, message):
    with pytest.raises(GameError, match=message):
        build()


def test_symbolic_game_substitute_and_unknown_parameters():
    g, c, l = sympy.symbols("g c l")
    game = Game.from_arrays([[0, -l], [g - c, -c]], [[0, g - c], [-l, -c]], **LABELS)
    assert game.is_symbolic and set(game.parameters.names) == {"c", "g", "l"}
    numeric = game.substitute(g=1, c=2, l=5)
    assert numeric.payoff_array("NATO").tolist() == [[0, -5], [-1, -2]]
    assert numeric.values == {"c": 2, "g": 1, "l": 5}
    with pytest.raises(GameError, match="unknown parameter 'x'"):
        game.substitute(g=1, c=2, l=5, x=3)
    with pytest.raises(GameError, match="no value and no default"):
        game.substitute(g=1)
    # DESIGN.md §3.1 example: g=1, c=2, l=5 has the symmetric mixed equilibrium (3/4, 1/4)
    result = ng.solve(numeric)
    mixed = [e for e in result if e.kind == "mixed"][0]
    assert mixed["NATO"] == {"Restrain": F(3, 4), "Deploy": F(1, 4)}
    assert mixed.payoffs == (F(-5, 4), F(-5, 4))


def test_undeclared_symbol_is_rejected():
    x, y = sympy.symbols("x y")
    with pytest.raises(GameError, match="undeclared parameter 'y'"):
        Game.from_arrays([[x, y]], [[0, 0]], parameters=ng.ParameterSpace.from_names(["x"]))


def test_division_by_zero_at_substitution_is_an_error():
    c = sympy.Symbol("c")
    game = Game.from_arrays([[1 / c, 0]], [[0, 0]])
    with pytest.raises(GameError, match="not finite|finite"):
        game.substitute(c=0)


def test_solving_a_symbolic_game_without_values_names_the_parameter():
    c = sympy.Symbol("c")
    game = Game.from_arrays([[c, 0]], [[0, 0]])
    with pytest.raises(GameError, match="'c' has no value"):
        ng.solve(game)


def test_dict_round_trip_exact_float_and_symbolic():
    g, c = sympy.symbols("g c")
    for game in (
        Game.from_arrays([[F(1, 3), 2], [0, -1]], [[1, 0], [0, 1]], **LABELS, title="t"),
        Game.from_arrays([[0.25, 2.0], [0.0, -1.0]], [[1.0, 0.0], [0.0, 1.0]]),
        Game.from_arrays([[g - c, 0], [g, -c]], [[0, 1], [2, 3]]),
    ):
        back = Game.from_dict(game.to_dict())
        assert back.players == game.players and back.strategies == game.strategies
        assert back.arithmetic == game.arithmetic
        for a, b in zip(back.payoffs.flat, game.payoffs.flat):
            assert (sympy.simplify(a - b) == 0) if game.is_symbolic else a == b


def test_repr_and_html_show_labels():
    game = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], **LABELS, title="PD")
    html = game._repr_html_()
    assert "NATO" in html and "Deploy" in html and "5, 0" in html
    assert "2×2" in repr(game)


def test_zero_sum_detection():
    assert Game.from_arrays([[1, -1]], [[-1, 1]]).is_zero_sum()
    assert not Game.from_arrays([[1, -1]], [[1, 1]]).is_zero_sum()


def test_a_float_parameter_that_makes_a_payoff_exactly_zero_is_accepted():
    """b = 0.0 makes the payoff b a sympy Float zero, which sympy does not count equal to the integer 0; the
    size check took its logarithm and refused the game with 'math domain error'. By hand the game at b = 0 has
    payoffs (0, 0), (0, 1) / (1, 0), (-1, -1): Chicken, with pure equilibria (1, 2) and (2, 1)."""
    import sympy

    b = sympy.Symbol("b", real=True)
    game = Game.from_arrays([[b, 0], [1, b - 1]], [[b, 1], [0, b - 1]])
    result = ng.solve(game.substitute({"b": 0.0}))
    pure = sorted(tuple(max(s, key=s.get) for s in (e["Player 1"], e["Player 2"])) for e in result if e.kind == "pure")
    assert pure == [("1", "2"), ("2", "1")]
