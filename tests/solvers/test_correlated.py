"""Tests for negotiation.solvers.correlated (correlated equilibria by linear programming).

Textbook values: Chicken with payoffs (C,C)=(6,6), (C,D)=(2,7), (D,C)=(7,2),
(D,D)=(0,0) (Aumann 1974; the standard example in e.g. Maschler, Solan & Zamir 2013).
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import negotiation as ng
from negotiation import Game
from negotiation.solvers.correlated import (
    correlated_equilibria,
    incentive_constraints,
    is_correlated_equilibrium,
)

F = Fraction


@pytest.fixture
def chicken():
    return Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]], players=("Row", "Column"),
                            strategies=(("C", "D"), ("C", "D")))


def test_aumann_one_third_each_is_a_ce_paying_5(chicken):
    # Told C (prob. 1/3 each on (C,C),(C,D),(D,C)): opponent plays C or D with 1/2 each;
    # C pays (6+2)/2 = 4, D pays (7+0)/2 = 7/2 -> obey. Told D: opponent plays C surely;
    # D pays 7 > C's 6 -> obey. Payoffs: (6+2+7)/3 = 5 each.
    third = F(1, 3)
    distribution = {("C", "C"): third, ("C", "D"): third, ("D", "C"): third}
    assert is_correlated_equilibrium(chicken, distribution)
    payoff = sum(p * chicken[profile]["Row"] for profile, p in distribution.items())
    assert payoff == 5


def test_chicken_welfare_maximum(chicken):
    # Hand check: with p = (a, b, b, 0) on (CC, CD, DC, DD), welfare = 12a + 18b, a + 2b = 1.
    # Binding constraint, Row told D: 7·p(DC) + 0·p(DD) >= 6·p(DC) + 2·p(DD) holds; Row told C:
    # 6a + 2b >= 7a + 0·b  <=>  a <= 2b. Maximising 12a + 18b = 12 - 6b with b = (1-a)/2 wants
    # a large: a = 2b -> a = 1/2, b = 1/4; payoffs 6/2 + 2/4 + 7/4 = 21/4 each (welfare 21/2).
    result = correlated_equilibria(chicken, "welfare")
    assert result.exact
    assert result.distribution == {("C", "C"): F(1, 2), ("C", "D"): F(1, 4),
                                   ("D", "C"): F(1, 4), ("D", "D"): F(0)}
    assert result.payoffs == {"Row": F(21, 4), "Column": F(21, 4)}
    assert result.welfare == F(21, 2)
    assert is_correlated_equilibrium(chicken, result.distribution)


def test_chicken_egalitarian_and_players(chicken):
    assert correlated_equilibria(chicken, "egalitarian").payoffs == {"Row": F(21, 4), "Column": F(21, 4)}
    # Row's best CE is the pure equilibrium (D, C): 7 for Row.
    best_row = correlated_equilibria(chicken, "Row")
    assert best_row.payoffs["Row"] == 7 and best_row.objective == "Row"
    assert correlated_equilibria(chicken, 1).payoffs["Column"] == 7
    anything = correlated_equilibria(chicken, None)
    assert is_correlated_equilibrium(chicken, anything.distribution)


def test_outputs_are_labelled(chicken):
    result = correlated_equilibria(chicken)
    data = result.to_dict()
    json.dumps(data)
    assert data["payoffs"] == {"Row": "21/4", "Column": "21/4"}
    assert {"profile": {"Row": "C", "Column": "C"}, "probability": "1/2"} in data["distribution"]
    text = result.to_text()
    assert "Row \\ Column" in text and "1/2" in text and "21/4" in text


def test_unknown_objective_and_symbolic(chicken):
    with pytest.raises(ValueError, match="unknown objective"):
        correlated_equilibria(chicken, "Nobody")
    import sympy

    a = sympy.Symbol("a")
    with pytest.raises(ValueError, match="substitute"):
        correlated_equilibria(Game.from_arrays([[a, 0], [0, 1]], [[1, 0], [0, a]]))


def test_float_game(chicken):
    result = correlated_equilibria(chicken.to_float())
    assert not result.exact
    assert result.payoffs["Row"] == pytest.approx(5.25)
    assert is_correlated_equilibrium(chicken.to_float(), result.distribution, tolerance=1e-7)


def test_three_player_game():
    # Each player gets 1 if all three match, else 0 (coordination); plus a 3-player variant
    # with a dominant strategy for player 3.
    shape = (2, 2, 2, 3)
    payoffs = np.empty(shape, dtype=object)
    for a in range(2):
        for b in range(2):
            for c in range(2):
                match = 1 if a == b == c else 0
                payoffs[a, b, c] = (match * (2 if a == 0 else 1), match, match + c)
    game = Game(("P1", "P2", "P3"), (("x", "y"),) * 3, payoffs)
    result = correlated_equilibria(game)
    assert result.exact
    assert is_correlated_equilibrium(game, result.distribution)
    # Best: all play x -> payoffs (2, 1, 1), welfare 4; (y,y,y) gives (1,1,2), welfare 4 too.
    assert result.welfare == 4
    assert len(result.to_text().splitlines()) >= 3
    assert correlated_equilibria(game, "P1").payoffs["P1"] == 2
    assert correlated_equilibria(game, "P3").payoffs["P3"] == 2


def _product(game, equilibrium):
    vectors = equilibrium.profile.probabilities
    distribution = {}
    for position in np.ndindex(*game.shape):
        p = F(1)
        for i, k in enumerate(position):
            p *= vectors[i][k]
        distribution[tuple(game.strategies[i][k] for i, k in enumerate(position))] = p
    return distribution


small = st.tuples(st.integers(2, 3), st.integers(2, 3)).flatmap(
    lambda shape: st.tuples(
        st.lists(st.lists(st.integers(-5, 5), min_size=shape[1], max_size=shape[1]),
                 min_size=shape[0], max_size=shape[0]),
        st.lists(st.lists(st.integers(-5, 5), min_size=shape[1], max_size=shape[1]),
                 min_size=shape[0], max_size=shape[0]),
    )
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small)
def test_nash_equilibria_are_ce_and_welfare_bound(arrays):
    game = Game.from_arrays(*arrays)
    nash = ng.solve(game)
    best = correlated_equilibria(game, "welfare")
    assert best.exact
    assert is_correlated_equilibrium(game, best.distribution)
    for equilibrium in nash:
        assert is_correlated_equilibrium(game, _product(game, equilibrium))
        assert best.welfare >= sum(equilibrium.payoffs)
    for player in game.players:
        mine = correlated_equilibria(game, player)
        assert is_correlated_equilibrium(game, mine.distribution)
        assert all(mine.payoffs[player] >= e.payoff(player) for e in nash)
    egalitarian = correlated_equilibria(game, "egalitarian")
    assert is_correlated_equilibrium(game, egalitarian.distribution)
    assert all(min(egalitarian.payoffs.values()) >= min(e.payoffs) for e in nash)


def test_incentive_constraints_count(chicken):
    # 2 players x 2 ordered pairs of strategies.
    assert len(incentive_constraints(chicken)) == 4


def test_rebuild_failure_falls_back_to_float(chicken, monkeypatch):
    import negotiation.solvers.correlated as module

    monkeypatch.setattr(module, "solve_exact", lambda equations, rhs: None)
    result = correlated_equilibria(chicken)
    assert not result.exact
    assert "could not be rebuilt" in result.messages[0]
    assert result.payoffs["Row"] == pytest.approx(5.25)
    assert "(floating point)" in result.to_text()


# ---------------------------------------------------------------------- work budget (issue 16)
def test_games_past_the_lp_budget_are_refused_before_the_constraints_are_built():
    from negotiation.core.errors import SolverLimitError
    # 16×16: 2 × 16 × 15 incentive constraints over 256 profiles = 122 880 entries, over 100 000
    zeros = ng.Game.from_arrays(np.zeros((16, 16), dtype=int), np.zeros((16, 16), dtype=int))
    with pytest.raises(SolverLimitError, match=r"16×16 game's incentive constraints have 122,880 entries "
                                               r"\(more than 100,000.*lemke_howson.*max_work="):
        ng.solve(zeros, method="correlated")
    with pytest.raises(SolverLimitError, match="122,880 entries"):
        correlated_equilibria(zeros, max_work=122_879)


def test_nash_payoffs_past_their_budget_are_left_out_and_said(monkeypatch):
    from negotiation.solvers import correlated
    # chicken: the welfare-best correlated equilibrium pays 21/4 each (Aumann 1974's example, scaled)
    chicken = ng.Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    monkeypatch.setattr(correlated, "NASH_COMPARISON_WORK", 3)  # a 2×2 game's walk: (4 + 4) vertices × 3 steps
    report = correlated.correlated_report(chicken)
    assert report.nash_payoffs == () and "not computed" in report.details["nash_payoffs"]
    assert report.results[0].payoffs == {"Player 1": F(21, 4), "Player 2": F(21, 4)}
