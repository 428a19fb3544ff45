"""Tests for negotiation.solvers.dominance (iterated strict dominance).

Expected reductions are textbook examples or hand computations (in the
comments); the equilibrium sets are checked against vertex_enumeration /
enumerate_pure on the full game, and every reported dominator is re-checked
here exactly, independently of the code under test.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from negotiation import Game
from negotiation.solvers import enumerate_pure
from negotiation.solvers.dominance import Elimination, eliminate_dominated, iterated_elimination
from negotiation.solvers.vertex_enumeration import vertex_enumeration

F = Fraction


def equilibrium_set(result):
    return {tuple(tuple(v) for v in e.profile.probabilities) for e in result}


def assert_dominators_are_certified(game, eliminations):
    """Each dominator is a distribution over strategies still present, strictly better against
    every opponent profile that survived the earlier rounds."""
    removed_before = []
    for e in eliminations:
        p = game.player_index(e.player)
        assert sum(e.dominated_by.values()) == 1 and all(v > 0 for v in e.dominated_by.values())
        assert not ({(e.player, s) for s in e.dominated_by} & set(removed_before))
        alive = [
            [k for k, s in enumerate(game.strategies[q])
             if not any(x.player == game.players[q] and x.strategy == s and x.round < e.round
                        for x in eliminations)]
            for q in range(game.n_players)
        ]
        alive[p] = [game.strategy_index(p, e.strategy)]
        for profile in itertools.product(*alive):
            position = list(profile)
            payoff = game.payoffs[tuple(position) + (p,)]
            mixed = 0
            for label, weight in e.dominated_by.items():
                position[p] = game.strategy_index(p, label)
                mixed += weight * game.payoffs[tuple(position) + (p,)]
            assert mixed > payoff, (e, profile)
        removed_before.append((e.player, e.strategy))


def test_prisoners_dilemma_reduces_to_mutual_defection():
    # Gibbons (1992), A Primer in Game Theory, Fig. 1.1.1: Fink strictly dominates Mum for both.
    labels = ("Mum", "Fink")
    game = Game.from_arrays([[-1, -9], [0, -6]], [[-1, 0], [-9, -6]],
                            players=("Prisoner 1", "Prisoner 2"), strategies=(labels, labels))
    reduced, removed = eliminate_dominated(game)
    assert reduced.strategies == (("Fink",), ("Fink",))
    assert removed == (
        Elimination(1, "Prisoner 1", "Mum", {"Fink": F(1)}),
        Elimination(1, "Prisoner 2", "Mum", {"Fink": F(1)}),
    )
    result = iterated_elimination(game)
    assert [e.profile.describe() for e in result] == ["Prisoner 1: Fink; Prisoner 2: Fink"]
    assert result.method == "iterated_elimination+vertex_enumeration" and result.complete
    assert result.details["reduced_shape"] == (1, 1)


def test_strategy_dominated_only_by_a_mixture():
    """Rows [3,0], [0,3], [1,1]: no row beats [1,1] in both columns, but ½·row 1 + ½·row 2
    pays 1.5 > 1 in both. The dominance LP maximises min(3a-1, 2-3a) over mixtures
    (a, 1-a): the unique optimum is a = 1/2 (margin 1/2), so that is the dominator."""
    game = Game.from_arrays([[3, 0], [0, 3], [1, 1]], [[1, 0], [0, 1], [0, 0]],
                            strategies=(("Up", "Down", "Hedge"), ("Left", "Right")))
    reduced, removed = eliminate_dominated(game)
    assert removed == (Elimination(1, "Player 1", "Hedge", {"Up": F(1, 2), "Down": F(1, 2)}),)
    assert reduced.strategies == (("Up", "Down"), ("Left", "Right"))
    assert all(isinstance(v, Fraction) for v in removed[0].dominated_by.values())
    result = iterated_elimination(game)
    assert equilibrium_set(result) == equilibrium_set(vertex_enumeration(game))


def test_gibbons_iterated_dominance_example():
    """Gibbons (1992), §1.1.B (Fig. 1.1.4): player 1 Up/Down, player 2 Left/Middle/Right.

    Right is dominated by Middle (2 > 1, 1 > 0); then Down by Up (1 > 0, 1 > 0);
    then Left by Middle (2 > 0). Outcome (Up, Middle) in three rounds.
    """
    game = Game.from_arrays([[1, 1, 0], [0, 0, 2]], [[0, 2, 1], [3, 1, 0]],
                            strategies=(("Up", "Down"), ("Left", "Middle", "Right")))
    reduced, removed = eliminate_dominated(game)
    assert [(e.round, e.player, e.strategy, e.dominated_by) for e in removed] == [
        (1, "Player 2", "Right", {"Middle": 1}),
        (2, "Player 1", "Down", {"Up": 1}),
        (3, "Player 2", "Left", {"Middle": 1}),
    ]
    assert reduced.strategies == (("Up",), ("Middle",))


def test_three_by_three_with_mixed_dominance_in_the_first_round():
    """Hand-built 3×3 game (rows T, M, B; columns L, C, R):

        row player:     L  C  R        column player:  L  C  R
                    T   4  3  1                    T   1  2  0
                    M   2  1  5                    M   0  3  1
                    B   3  0  2                    B   4  1  0

    Round 1: B is beaten by no pure row (T loses in R, M in L), but a·T + (1-a)·M
    pays (2+2a, 1+2a, 5-4a) > (3, 0, 2) for 1/2 < a < 3/4; the LP maximises
    min(2a-1, 1+2a, 3-4a), optimum a = 2/3 (margin 1/3). R is beaten by C
    (2 > 0, 3 > 1, 1 > 0). Round 2 (rows T, M; columns L, C): M is beaten by T
    (4 > 2, 3 > 1) and L by C (2 > 1, 3 > 0). Outcome (T, C).
    """
    rows, columns = ("T", "M", "B"), ("L", "C", "R")
    game = Game.from_arrays([[4, 3, 1], [2, 1, 5], [3, 0, 2]], [[1, 2, 0], [0, 3, 1], [4, 1, 0]],
                            strategies=(rows, columns))
    reduced, removed = eliminate_dominated(game)
    assert [(e.round, e.player, e.strategy, e.dominated_by) for e in removed] == [
        (1, "Player 1", "B", {"T": F(2, 3), "M": F(1, 3)}),
        (1, "Player 2", "R", {"C": 1}),
        (2, "Player 1", "M", {"T": 1}),
        (2, "Player 2", "L", {"C": 1}),
    ]
    assert reduced.strategies == (("T",), ("C",))
    result = iterated_elimination(game)
    assert [e.profile.describe() for e in result] == ["Player 1: T; Player 2: C"]
    assert result.details["eliminated"][0] == {
        "round": 1, "player": "Player 1", "strategy": "B", "dominated_by": {"T": F(2, 3), "M": F(1, 3)},
    }
    assert equilibrium_set(result) == equilibrium_set(vertex_enumeration(game))


def test_three_player_public_goods_game():
    """Linear public-goods game, 3 players, marginal per-capita return 1/2: contributing
    costs 1 and returns 1/2 to each player, so u_i = (c_1 + c_2 + c_3)/2 - c_i. Contributing
    is strictly dominated (it changes one's own payoff by -1/2 whatever the others do)."""
    players = ("Ann", "Bob", "Cem")
    labels = ("Contribute", "Keep")
    payoffs = np.empty((2, 2, 2, 3), dtype=object)
    for profile in itertools.product(range(2), repeat=3):
        contributions = [1 - k for k in profile]
        for i in range(3):
            payoffs[profile + (i,)] = F(sum(contributions), 2) - contributions[i]
    game = Game(players, (labels,) * 3, payoffs)
    reduced, removed = eliminate_dominated(game)
    assert reduced.strategies == (("Keep",),) * 3
    assert [(e.round, e.player, e.strategy) for e in removed] == [(1, p, "Contribute") for p in players]
    result = iterated_elimination(game)
    assert result.method == "iterated_elimination+enumerate_pure"
    assert [e.profile.describe() for e in result] == ["Ann: Keep; Bob: Keep; Cem: Keep"]


def test_three_player_mixed_dominance_and_rounds():
    """Player 3 has three strategies; its third is beaten only by ½/½ of the first two
    (payoffs 2·[a=b] and 2·[a≠b] against players 1 and 2's pair, versus 0.9 everywhere:
    the mixture pays 1 > 0.9). Players 1 and 2 each have a strictly dominated second
    strategy (payoff 0 against 1), removed in round 1 as well."""
    players = ("A", "B", "C")
    shape = (2, 2, 3)
    payoffs = np.empty(shape + (3,), dtype=object)
    for a, b, c in itertools.product(*(range(k) for k in shape)):
        u3 = [2 if a == b else 0, 0 if a == b else 2, F(9, 10)][c]
        payoffs[a, b, c] = (1 - a, 1 - b, u3)
    game = Game(players, (("a1", "a2"), ("b1", "b2"), ("c1", "c2", "c3")), payoffs)
    reduced, removed = eliminate_dominated(game)
    assert [(e.round, e.player, e.strategy) for e in removed][:3] == [
        (1, "A", "a2"), (1, "B", "b2"), (1, "C", "c3"),
    ]
    assert removed[2].dominated_by == {"c1": F(1, 2), "c2": F(1, 2)}
    # Round 2: with (a1, b1) fixed, c1 pays 2 and c2 pays 0: c2 goes.
    assert [(e.round, e.player, e.strategy) for e in removed][3:] == [(2, "C", "c2")]
    assert reduced.strategies == (("a1",), ("b1",), ("c1",))
    assert_dominators_are_certified(game, removed)
    assert equilibrium_set(iterated_elimination(game)) == equilibrium_set(enumerate_pure(game))


def test_random_two_player_games_keep_the_equilibrium_set():
    """~100 random 3×3–4×4 games: after elimination, the equilibria equal vertex_enumeration's on the full game."""
    rng = np.random.default_rng(5)
    eliminated = mixed = 0
    for trial in range(100):
        m, n = (int(k) for k in rng.integers(3, 5, size=2))
        A = rng.integers(0, 10, size=(m, n))
        B = rng.integers(0, 10, size=(m, n))
        game = Game.from_arrays(A.tolist(), B.tolist())
        result = iterated_elimination(game)
        full = vertex_enumeration(game)
        assert equilibrium_set(result) == equilibrium_set(full), trial
        reduced, removed = eliminate_dominated(game)
        assert_dominators_are_certified(game, removed)
        eliminated += len(removed)
        mixed += sum(len(e.dominated_by) > 1 for e in removed)
    assert eliminated > 100 and mixed > 10  # the sample exercises both kinds of dominators


def test_random_three_player_games_keep_the_pure_equilibria():
    rng = np.random.default_rng(9)
    for trial in range(30):
        shape = tuple(int(k) for k in rng.integers(2, 4, size=3))
        game = Game.from_arrays(*(rng.integers(0, 6, size=shape).tolist() for _ in range(3)))
        result = iterated_elimination(game)
        assert equilibrium_set(result) == equilibrium_set(enumerate_pure(game)), trial
        assert_dominators_are_certified(game, eliminate_dominated(game)[1])


def test_weakly_dominated_strategies_are_kept():
    # Row 2 is weakly dominated by row 1 (equal against Left); row 3 equals ½ row 1 + ½ row 4
    # against both columns — weak dominance by a mixture. Nothing is strictly dominated.
    game = Game.from_arrays([[2, 1], [2, 0], [1, 1], [0, 1]], [[1, 0], [0, 1], [1, 0], [0, 1]])
    reduced, removed = eliminate_dominated(game)
    assert removed == () and reduced.shape == game.shape
    result = iterated_elimination(game)
    assert result.details["eliminated"] == [] and "no strategy is strictly dominated" in result.messages[0]


def test_float_games_need_a_margin():
    tiny = 1e-13
    game = Game.from_arrays(np.array([[3.0, 0.0], [0.0, 3.0], [1.5 - tiny, 1.5 - tiny]]), np.zeros((3, 2)))
    assert eliminate_dominated(game)[1] == ()  # margin 1e-13 < 1e-9 × payoff range: kept
    game = Game.from_arrays(np.array([[3.0, 0.0], [0.0, 3.0], [1.0, 1.0]]), np.zeros((3, 2)))
    (elimination,) = eliminate_dominated(game)[1]
    assert elimination.dominated_by == pytest.approx({"1": 0.5, "2": 0.5})
    assert all(isinstance(v, float) for v in elimination.dominated_by.values())


def test_parameter_values_are_carried_to_the_reduced_game():
    import sympy

    g = sympy.Symbol("g")
    symbolic = Game.from_arrays([[3, 0], [3 + g, 1]], [[3, 3 + g], [0, 1]])
    game = symbolic.substitute(g=2)
    reduced, _ = eliminate_dominated(game)
    assert reduced.values == game.values == {"g": F(2)}
    assert iterated_elimination(game).parameters == {"g": F(2)}
    with pytest.raises(ValueError, match="substitute"):
        eliminate_dominated(symbolic)


def test_choice_of_method_for_the_reduced_game():
    game = Game.from_arrays([[3, -1, 2], [-2, 4, 1], [-3, -2, 0]], [[-3, 1, -2], [2, -4, -1], [3, 2, 0]])
    # Zero-sum. Row 3 is dominated by row 1 (3 > -3, -1 > -2, 2 > 0); for player 2 (payoffs -A)
    # a·column 1 + (1-a)·column 2 pays (1-4a, 6a-4, 2+a) > (-2, -1, 0) for 1/2 < a < 3/4, so
    # column 3 goes too. The 2×2 rest [[3,-1],[-2,4]] has no saddle point; its value by the
    # 2×2 formula is (3·4 - (-1)(-2)) / (3 + 1 + 2 + 4) = 1.
    result = iterated_elimination(game, then="linear_program")
    assert result.method == "iterated_elimination+linear_program"
    assert result.details["value"] == 1
    assert result.details["reduced_shape"] == (2, 2)
    with pytest.raises(ValueError, match="unknown method"):
        iterated_elimination(game, then="iterated_elimination")


def test_constant_and_huge_float_payoffs():
    # All payoffs equal: nothing is strictly dominated (and the LP is not fed a zero range).
    constant = Game.from_arrays(np.full((3, 2), 1e10), np.full((3, 2), 1e10))
    assert eliminate_dominated(constant)[1] == ()
    # Large magnitudes: row 3 (1e12, 1e12) is beaten by ½/½ of (3e12, 0) and (0, 3e12).
    big = Game.from_arrays(np.array([[3e12, 0.0], [0.0, 3e12], [1e12, 1e12]]), np.zeros((3, 2)))
    (elimination,) = eliminate_dominated(big)[1]
    assert elimination.strategy == "3"


def test_best_replies_are_kept_without_a_linear_program(monkeypatch):
    # identity 5×5: each strategy is the only best reply to the opponent's same strategy, so none is strictly
    # dominated, and that is decided without solving any LP (a random 30×30 game used to solve 60 per round)
    from negotiation.solvers import dominance

    def no_lp(*args):
        raise AssertionError("no LP expected")

    monkeypatch.setattr(dominance, "_mixed_dominance_lp", no_lp)
    identity = np.eye(5, dtype=int).tolist()
    reduced, removed = dominance.eliminate_dominated(Game.from_arrays(identity, identity))
    assert reduced.shape == (5, 5) and removed == ()
