"""Tests for negotiation.solvers.lemke_howson.

Independent references: vertex_enumeration (all extreme equilibria, exact),
pygambit's enummixed_solve, nashpy's lemke_howson (in a nondegenerate game the
Lemke–Howson path from a given label is unique, so any correct implementation
ends at the same equilibrium), and textbook examples cited where used.
"""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest

from negotiation import Game
from negotiation.solvers.lemke_howson import (
    default_pivot_budget,
    lemke_howson,
    lemke_howson_enumeration,
)
from negotiation.solvers.vertex_enumeration import vertex_enumeration

F = Fraction


def vectors(equilibrium):
    return tuple(tuple(v) for v in equilibrium.profile.probabilities)


def extreme_equilibria(game):
    return {vectors(e) for e in vertex_enumeration(game)}


def random_game(rng, high):
    m, n = (int(k) for k in rng.integers(2, 9, size=2))
    A = rng.integers(0, high + 1, size=(m, n))
    B = rng.integers(0, high + 1, size=(m, n))
    return A, B


# ---------------------------------------------------------------------- random games
def test_random_games_every_label_ends_at_an_extreme_equilibrium():
    """~200 random integer games, sizes 2..8: payoffs 0..99 and (degenerate) 0..2, some with an all-zero column.

    From every initial label, the equilibrium is one of vertex_enumeration's,
    found by pivoting (no fallback), exactly, within the pivot budget.
    """
    rng = np.random.default_rng(20240601)
    runs = degenerate_games = 0
    for trial in range(200):
        A, B = random_game(rng, 99 if trial % 2 else 2)
        if trial % 4 == 0:
            column = int(rng.integers(A.shape[1]))
            A[:, column] = 0
            B[:, column] = 0
        game = Game.from_arrays(A.tolist(), B.tolist())
        expected = extreme_equilibria(game)
        degenerate_games += vertex_enumeration(game).degenerate
        m, n = game.shape
        for label in range(m + n):
            result = lemke_howson(game, label)
            assert "fallback" not in result.details, (trial, label, result.messages)
            assert result.exact and not result.complete and result.method == "lemke_howson"
            assert vectors(result[0]) in expected, (trial, label)
            assert all(isinstance(p, Fraction) for v in vectors(result[0]) for p in v)
            assert 1 <= result.details["pivots"] <= default_pivot_budget(m, n)
            assert result.degenerate in (True, None)
            runs += 1
    assert runs > 1500 and degenerate_games > 50  # the sample really contains degenerate games


def test_nondegenerate_games_agree_with_nashpy_path_by_path():
    """In a nondegenerate game the path from each label is unique: nashpy must end at the same point."""
    nash = pytest.importorskip("nashpy")
    rng = np.random.default_rng(7)
    compared = 0
    while compared < 40:
        m, n = (int(k) for k in rng.integers(2, 5, size=2))
        A = rng.integers(0, 1000, size=(m, n))
        B = rng.integers(0, 1000, size=(m, n))
        game = Game.from_arrays(A.tolist(), B.tolist())
        if vertex_enumeration(game).degenerate:
            continue
        reference = nash.Game(A, B)
        for label in range(m + n):
            x, y = reference.lemke_howson(initial_dropped_label=label)
            ours = lemke_howson(game, label)[0].profile.probabilities
            np.testing.assert_allclose(np.array(ours[0], dtype=float), x, atol=1e-9)
            np.testing.assert_allclose(np.array(ours[1], dtype=float), y, atol=1e-9)
        compared += 1


def test_random_float_games_are_solved_in_floating_point_and_verified():
    rng = np.random.default_rng(3)
    for trial in range(60):
        m, n = (int(k) for k in rng.integers(2, 8, size=2))
        if trial % 2:
            A, B = rng.normal(size=(m, n)) * 1e3, rng.normal(size=(m, n))
        else:  # integer-valued floats: degenerate ties in floating point
            A, B = rng.integers(0, 3, size=(m, n)).astype(float), rng.integers(0, 3, size=(m, n)).astype(float)
        game = Game.from_arrays(A, B)
        for label in range(m + n):
            result = lemke_howson(game, label)
            assert "fallback" not in result.details
            assert not result.exact
            assert all(isinstance(p, float) for v in vectors(result[0]) for p in v)


def test_games_where_nashpy_failed_are_solved_within_the_budget():
    """8×8–10×10 games, payoffs 0..99: ``rng = np.random.default_rng(seed)``, size ``8 + seed % 3``,
    ``A = rng.integers(0, 100, (size, size))`` then ``B`` likewise.

    With numpy 2 / nashpy 0.0.43, ``nash.Game(A, B).lemke_howson(label)`` returned NaN,
    warned about a division by zero, or ran for more than 2 s for these
    (seed, label) pairs, among others: (0, 4) NaN, (0, 9) > 2 s, (1, 7) division by
    zero, (1, 16) NaN, (2, 1) > 2 s, (3, 0) > 2 s, (5, 3) NaN, (7, 5) > 2 s.
    Here every label of seeds 0..7 must give a verified equilibrium by pivoting.
    """
    start = time.perf_counter()
    for seed in range(8):
        rng = np.random.default_rng(seed)
        size = 8 + seed % 3
        A = rng.integers(0, 100, size=(size, size))
        B = rng.integers(0, 100, size=(size, size))
        game = Game.from_arrays(A.tolist(), B.tolist())
        for label in range(2 * size):
            result = lemke_howson(game, label)
            assert "fallback" not in result.details, (seed, label)
            assert result.details["pivots"] <= default_pivot_budget(size, size)
            assert result[0].regret == 0
    assert time.perf_counter() - start < 20


# ---------------------------------------------------------------------- textbook games
def test_shapley_symmetric_3x3_game_lemke_howson_reaches_only_the_pure_equilibrium():
    """A = [[3,3,0],[4,0,1],[0,4,5]], B = A^T: the symmetric 3×3 game of von Stengel,
    "Equilibrium computation for two-player games", AGT (Nisan et al. 2007) ch. 3,
    eq. (3.7), with three equilibria. By Shapley's index theory (Math. Programming
    Study 1, 1974) the artificial equilibrium is joined by Lemke–Howson paths to
    equilibria of one index only, so not every equilibrium need be reachable.

    Its three equilibria (vertex_enumeration and pygambit agree, and it is
    nondegenerate) are ((3/4,1/4,0), same), ((1/2,1/4,1/4), same) and the pure
    (3, 3). From all six initial labels Lemke–Howson ends at (3, 3) (nashpy's
    paths agree); the two mixed equilibria are not reachable, they are joined to
    each other by Lemke–Howson paths.
    """
    A = [[3, 3, 0], [4, 0, 1], [0, 4, 5]]
    B = [list(row) for row in zip(*A)]
    game = Game.from_arrays(A, B)
    full = vertex_enumeration(game)
    assert not full.degenerate
    expected = {
        ((F(3, 4), F(1, 4), F(0)),) * 2,
        ((F(1, 2), F(1, 4), F(1, 4)),) * 2,
        ((F(0), F(0), F(1)),) * 2,
    }
    assert {vectors(e) for e in full} == expected
    pure = ((F(0), F(0), F(1)),) * 2
    for label in range(6):
        assert vectors(lemke_howson(game, label)[0]) == pure
    enumeration = lemke_howson_enumeration(game)
    assert [vectors(e) for e in enumeration] == [pure]
    assert len(enumeration.details["found_from"][0]) == 6


SHAPLEY = ([[3, 3, 0], [4, 0, 1], [0, 4, 5]], [[3, 4, 0], [3, 0, 4], [0, 1, 5]])  # (A, A^T), as above


def test_shapley_game_against_gambit(gambit_reference):
    """Gambit's enummixed answer (committed in tests/reference/, regenerated by its script)."""
    (case,) = gambit_reference("lemke_howson_shapley")["cases"]
    A, B = SHAPLEY
    assert (case["A"], case["B"]) == (A, B) and B == [list(row) for row in zip(*A)]
    found = {tuple(tuple(F(v) for v in vector) for vector in profile) for profile in case["equilibria"]}
    game = Game.from_arrays(A, B)
    assert found == extreme_equilibria(game)
    assert vectors(lemke_howson(game)[0]) in found


@pytest.mark.gambit
def test_shapley_game_against_live_pygambit():
    gbt = pytest.importorskip("pygambit")
    A = np.array([[3, 3, 0], [4, 0, 1], [0, 4, 5]])
    reference = gbt.Game.from_arrays(A, A.T)
    found = set()
    for equilibrium in gbt.nash.enummixed_solve(reference, rational=True).equilibria:
        found.add(tuple(tuple(F(str(equilibrium[s])) for s in player.strategies) for player in reference.players))
    game = Game.from_arrays(A.tolist(), A.T.tolist())
    assert found == extreme_equilibria(game)
    assert vectors(lemke_howson(game)[0]) in found


def test_von_stengel_3x2_game_which_labels_reach_which_equilibrium():
    """von Stengel (2002, Handbook ch. 45, §2) nondegenerate 3×2 game
    A = [[3,3],[2,5],[0,6]], B = [[3,2],[2,6],[3,1]] with equilibria
    ((1,0,0),(1,0)), ((4/5,1/5,0),(2/3,1/3)), ((0,1/3,2/3),(1/3,2/3)).

    Labels 1 and 3 of player 1 and label 1 of player 2 lead to the pure
    equilibrium; label 2 of each player to ((0,1/3,2/3),(1/3,2/3)); the middle
    equilibrium (index -1) is never reached (nondegenerate: nashpy's paths agree).
    """
    game = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    pure = ((F(1), F(0), F(0)), (F(1), F(0)))
    mixed = ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3)))
    middle = ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3)))
    assert extreme_equilibria(game) == {pure, mixed, middle}
    reached = {label: vectors(lemke_howson(game, label)[0]) for label in range(5)}
    assert reached == {0: pure, 1: mixed, 2: pure, 3: pure, 4: mixed}
    nash = pytest.importorskip("nashpy")
    reference = nash.Game(np.array([[3, 3], [2, 5], [0, 6]]), np.array([[3, 2], [2, 6], [3, 1]]))
    for label, (x, y) in reached.items():
        rx, ry = reference.lemke_howson(initial_dropped_label=label)
        np.testing.assert_allclose(np.array(x, dtype=float), rx)
        np.testing.assert_allclose(np.array(y, dtype=float), ry)


def test_degenerate_3x2_game_of_agt_chapter_3_every_label():
    """AGT (Nisan et al. 2007) ch. 3, degenerate game A=[[3,3],[2,5],[0,6]], B=[[3,3],[2,6],[3,1]].

    Against the first row player 2 is indifferent, so the equilibria form the
    component {(1,0,0)} × [(1,0), (2/3,1/3)] plus ((0,1/3,2/3),(1/3,2/3)).
    With the lexicographic rule every label terminates at an extreme equilibrium.
    """
    game = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    expected = extreme_equilibria(game)
    assert expected == {
        ((F(1), F(0), F(0)), (F(1), F(0))),
        ((F(1), F(0), F(0)), (F(2, 3), F(1, 3))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    }
    for label in range(5):
        result = lemke_howson(game, label)
        assert "fallback" not in result.details
        assert vectors(result[0]) in expected


def test_battle_of_the_sexes_labels_pick_the_pure_equilibria():
    # Hand computation: dropping player 1's "Opera" makes x = (1, 0); player 2's best
    # reply Opera enters, and (Opera, Opera) is completely labelled after 2 pivots.
    game = Game.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]],
                            players=("Row", "Column"),
                            strategies=(("Opera", "Fight"), ("Opera", "Fight")))
    assert lemke_howson(game, 0)[0].profile.describe() == "Row: Opera; Column: Opera"
    assert lemke_howson(game, 1)[0].profile.describe() == "Row: Fight; Column: Fight"
    assert lemke_howson(game, 2)[0].profile.describe() == "Row: Opera; Column: Opera"
    assert lemke_howson(game, 3)[0].profile.describe() == "Row: Fight; Column: Fight"


# ---------------------------------------------------------------------- interface
def test_initial_label_forms():
    game = Game.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]],
                            players=("Row", "Column"),
                            strategies=(("Up", "Down"), ("Left", "Right")))
    assert vectors(lemke_howson(game, "Right")[0]) == vectors(lemke_howson(game, 3)[0])
    assert vectors(lemke_howson(game, ("Row", "Down"))[0]) == vectors(lemke_howson(game, 1)[0])
    assert lemke_howson(game, "Right").details["initial_label"] == {"player": "Column", "strategy": "Right"}
    with pytest.raises(ValueError, match="out of range"):
        lemke_howson(game, 4)
    with pytest.raises(ValueError, match="unknown initial label"):
        lemke_howson(game, "Sideways")
    with pytest.raises(ValueError):
        lemke_howson(game, True)
    shared = Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])  # both players have strategies "1", "2"
    with pytest.raises(ValueError, match="both players"):
        lemke_howson(shared, "1")
    assert lemke_howson(shared, ("Player 2", "2")).details["initial_label"]["player"] == "Player 2"


def test_exact_fractional_payoffs_give_exact_fractions():
    # Matching pennies scaled by 1/3 and shifted: the unique equilibrium is (1/2, 1/2) each.
    game = Game.from_arrays([[F(1, 3), F(-1, 3)], [F(-1, 3), F(1, 3)]],
                            [[F(-1, 3), F(1, 3)], [F(1, 3), F(-1, 3)]])
    result = lemke_howson(game)
    assert vectors(result[0]) == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))
    assert result[0].payoffs == (F(0), F(0))
    assert result.components == ((0,),)


def test_budget_exhausted_falls_back_to_vertex_enumeration():
    game = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    result = lemke_howson(game, 1, max_pivots=1)
    assert result.details["fallback"] == "vertex_enumeration"
    assert "pivot budget of 1 exhausted" in result.messages[0]
    assert vectors(result[0]) == vectors(vertex_enumeration(game)[0])
    assert result.method == "lemke_howson" and not result.complete


def test_one_strategy_games_and_constant_payoffs():
    single = Game.from_arrays([[5]], [[-5]])
    assert vectors(lemke_howson(single)[0]) == ((F(1),), (F(1),))
    constant = Game.from_arrays([[0, 0, 0]] * 2, [[0, 0, 0]] * 2)
    for label in range(5):
        assert lemke_howson(constant, label)[0].regret == 0


def test_rejects_games_that_are_not_two_player():
    three = Game.from_arrays(*(np.zeros((2, 2, 2), dtype=int).tolist() for _ in range(3)))
    with pytest.raises(ValueError, match="two-player"):
        lemke_howson(three)


def test_enumeration_collects_distinct_equilibria_and_their_labels():
    game = Game.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    result = lemke_howson_enumeration(game)
    assert result.method == "lemke_howson_enumeration" and not result.complete
    assert [vectors(e) for e in result] == [
        ((F(1), F(0), F(0)), (F(1), F(0))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    ]
    assert [[d["strategy"] for d in labels] for labels in result.details["found_from"]] == [
        ["1", "3", "1"], ["2", "2"],
    ]
    assert [(d["player"], d["strategy"]) for d in result.details["pivots"]] == [
        ("Player 1", "1"), ("Player 1", "2"), ("Player 1", "3"), ("Player 2", "1"), ("Player 2", "2"),
    ]
    assert all(d["pivots"] >= 1 for d in result.details["pivots"])


@pytest.mark.parametrize("high, low", [(1, 0), (1e300, 1e-300), (1e-300, 1e-310)])
def test_enumeration_misses_the_mixed_equilibrium_of_coordination_at_every_scale(high, low):
    # A = B = [[a, b], [b, a]], a > b: equilibria (1, 1), (2, 2) and 1/2-1/2 (a q + b (1 - q) = b q + a (1 - q)).
    # Every path from the artificial equilibrium ends at a pure one (index +1); the mixed one has index -1
    # (Shapley 1974), so the answer lists the two pure equilibria and says it is not complete.
    matrix = [[high, low], [low, high]]
    result = lemke_howson_enumeration(Game.from_arrays(matrix, matrix))
    assert not result.complete
    assert sorted(tuple(tuple(float(p) for p in v) for v in vectors(e)) for e in result) == [
        ((0.0, 1.0), (0.0, 1.0)), ((1.0, 0.0), (1.0, 0.0))]
    every = vertex_enumeration(Game.from_arrays(matrix, matrix))
    assert every.complete
    mixed = [e for e in every if e.profile.probabilities[0][0] not in (0, 1)]
    assert len(every) == 3 and len(mixed) == 1
    assert np.allclose([float(p) for v in vectors(mixed[0]) for p in v], 0.5, rtol=0, atol=1e-12)


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    matrices = st.integers(1, 5).flatmap(lambda m: st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=m, max_size=m),
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=m, max_size=m),
        )))

    @settings(max_examples=60, deadline=None)
    @given(matrices, st.integers(0, 9))
    def test_property_lemke_howson_finds_an_extreme_equilibrium(pair, label):
        game = Game.from_arrays(*pair)
        m, n = game.shape
        result = lemke_howson(game, label % (m + n))
        assert "fallback" not in result.details
        assert vectors(result[0]) in extreme_equilibria(game)


def test_enumeration_stops_at_its_work_budget_and_says_which_labels_were_skipped():
    # prisoners' dilemma: (Defect, Defect) is the only equilibrium; a pivot of a 2×2 game updates 2 × 5 entries,
    # and the path from the first label takes 3 pivots (x_1 enters, then y_2, then x_2 enters and x_1 leaves), so a
    # budget of 30 allows that path only
    dilemma = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    full = lemke_howson_enumeration(dilemma)
    assert [e.profile.probabilities for e in full] == [((0, 1), (0, 1))]
    assert not any("not tried" in m for m in full.messages)
    assert lemke_howson(dilemma, 0).details["pivots"] == 3
    cut = lemke_howson_enumeration(dilemma, max_work=30)
    assert any("(max_work=) used up: initial labels 2 to 4 of 4 were not tried" in m for m in cut.messages)
    assert [e.profile.probabilities for e in cut] == [((0, 1), (0, 1))]
