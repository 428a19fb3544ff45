"""Tests for negotiation.solvers.repeated (domain.md §M4: repeated Prisoner's Dilemma).

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
from negotiation.solvers.repeated import (
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


# ====================================================================== folk theorem
import itertools  # noqa: E402
import json  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from negotiation.solvers.repeated import (  # noqa: E402
    FOLK_VERDICTS,
    RepeatedGameError,
    finitely_repeated,
    folk_theorem,
)

CHEAP = settings(max_examples=25, deadline=None)


def pennies():
    return Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=("H", "S"),
                            strategies=(("Heads", "Tails"),) * 2, title="Matching pennies")


def three_player(payoff, labels=("x", "y")):
    """A 2×2×2 game from ``payoff(profile, i)`` over strategy indices."""
    payoffs = np.empty((2, 2, 2, 3), dtype=object)
    for profile in itertools.product(range(2), repeat=3):
        for i in range(3):
            payoffs[profile + (i,)] = payoff(profile, i)
    return Game(("A", "B", "C"), (labels,) * 3, payoffs)


def test_folk_theorem_prisoners_dilemma_by_hand():
    # Axelrod's payoffs T=5, R=3, P=1, S=0. Minmax of A: B defects, then A's best is
    # Defect with P = 1 (Cooperate gives S = 0), and no mix of B does better for B's purpose
    # (against any mix, Defect gives A at least 1): minmax (1, 1).
    # Feasible set: hull of (3,3), (0,5), (5,0), (1,1); counterclockwise from the
    # lexicographically smallest point: (0,5), (1,1), (5,0), (3,3). IR part: see
    # test_pd_feasible_ir_set: (1,1), (13/3,1), (3,3), (1,13/3).
    result = folk_theorem(pd(), discount=F(3, 5))
    assert result.minmax == {"A": 1, "B": 1}
    assert result.feasible_vertices == ((0, 5), (1, 1), (5, 0), (3, 3))
    assert result.individually_rational_vertices == ((1, 1), (F(13, 3), 1), (3, 3), (1, F(13, 3)))
    assert result.strictly_individually_rational is True
    assert result.dimension == 2 and result.exact
    minmax_a = result.minmax_profiles[0]
    assert minmax_a.punishers == ("B",)
    assert minmax_a.distribution == {("Defect",): 1}
    assert minmax_a.best_responses == ("Defect",)
    cc = result.profile(("Cooperate", "Cooperate"))
    assert cc.folk == "sustainable" and cc.strictly_individually_rational
    # Grim trigger: (T−R)/(T−P) = 2/4 = 1/2 <= 3/5.
    assert cc.grim_threshold == F(1, 2) and cc.grim_condition == "δ ≥ 1/2" and cc.sustained is True
    dd = result.profile(("Defect", "Defect"))
    assert dd.folk == "stage-nash" and dd.grim_threshold == 0 and dd.sustained is True
    # (Cooperate, Defect) pays A S = 0 < 1: never an equilibrium payoff.
    cd = result.profile(("Cooperate", "Defect"))
    assert cd.folk == "below-minmax" and cd.sustainable_near_one is False
    assert cd.grim_threshold is None and "not below" in cd.grim_note
    assert result.sustainable == (("Cooperate", "Cooperate"), ("Defect", "Defect"))
    # Below the threshold grim trigger fails: 2/5 < 1/2.
    low = folk_theorem(pd(), discount=F(2, 5))
    assert low.profile(("Cooperate", "Cooperate")).sustained is False


def test_folk_theorem_other_pd_payoffs_closed_form():
    # T=10, R=6, P=1, S=-3: minmax P = 1; grim (T−R)/(T−P) = 4/9. IR clip of the edge
    # (6,6)-(-3,10) at u1 = 1: u2 = 6 + (6-1)·(10-6)/(6+3) = 6 + 20/9 = 74/9.
    result = folk_theorem(pd(T=10, R=6, P=1, S=-3))
    assert result.minmax == {"A": 1, "B": 1}
    assert (1, F(74, 9)) in result.individually_rational_vertices
    assert result.profile(("Cooperate", "Cooperate")).grim_threshold == F(4, 9)


def test_folk_theorem_matching_pennies_only_origin():
    # Zero-sum: feasible set is the segment (-1,1)-(1,-1); minmax 0 each (the opponent mixes
    # 1/2-1/2); the only individually rational payoff is (0, 0), none strictly above minmax.
    result = folk_theorem(pennies())
    assert result.minmax == {"H": 0, "S": 0}
    assert result.individually_rational_vertices == ((0, 0),)
    assert result.strictly_individually_rational is False
    assert result.dimension == 1
    assert result.minmax_profiles[0].distribution == {("Heads",): F(1, 2), ("Tails",): F(1, 2)}
    assert result.minmax_profiles[0].best_responses == ("Heads", "Tails")
    # every pure profile gives someone -1 < 0
    assert {e.folk for e in result.profiles} == {"below-minmax"}
    assert all("no pure Nash" in e.grim_note for e in result.profiles)
    assert result.sustainable == ()


def test_folk_theorem_three_players_full_dimensional():
    # Public good: contributing (strategy 0) costs its contributor 1 and gives each other
    # player 2. u_i = 2·(others' contributions) − own contribution.
    # Minmax 0: with both others free-riding, free-riding gives 0 and contributing −1, and
    # against any (even correlated) play of the others free-riding gives 2·E[#contributors] >= 0.
    game = three_player(lambda p, i: 2 * sum(1 - p[j] for j in range(3) if j != i) - (1 - p[i]),
                        labels=("Contribute", "Free-ride"))
    result = folk_theorem(game, discount=F(1, 2))
    assert result.minmax == {"A": 0, "B": 0, "C": 0}
    assert all(m.determined for m in result.minmax_profiles)
    assert result.dimension == 3 and result.full_dimensional is True
    everyone = result.profile(("Contribute",) * 3)
    # all contribute: (3,3,3); deviation gives 4, punishment 0: δ* = (4−3)/(4−0) = 1/4.
    assert everyone.payoffs == (3, 3, 3) and everyone.folk == "sustainable"
    assert everyone.grim_threshold == F(1, 4)
    # two contribute: the contributors get 1 and can get 2 by free-riding: (2−1)/(2−0) = 1/2.
    assert result.profile(("Contribute", "Contribute", "Free-ride")).grim_threshold == F(1, 2)
    assert result.profile(("Contribute", "Free-ride", "Free-ride")).folk == "below-minmax"
    assert "full dimensionality" in " ".join(result.messages)
    assert result.feasible_vertices == () and result.individually_rational_vertices == ()


def test_folk_theorem_three_players_not_full_dimensional():
    # Identical payoffs f(number of players choosing x): f(3)=3, f(2)=2, f(1)=0, f(0)=1.
    # Feasible payoffs lie on the diagonal: dimension 1 < 3, so the n-player folk theorem
    # does not apply (Fudenberg & Maskin 1986 need full dimensionality).
    # Minmax of A: pure — others (y,y) give A max(f(1), f(0)) = 1, the least over pure pairs.
    # Correlated — mix (y,y) w.p. q and (x,y) w.p. 1-q: A's x gives 2(1-q), y gives q;
    # equal at q = 2/3, value 2/3. So the independent minmax lies in [2/3, 1].
    f = {3: 3, 2: 2, 1: 0, 0: 1}
    game = three_player(lambda p, i: f[sum(1 - k for k in p)])
    result = folk_theorem(game)
    minmax_a = result.minmax_profiles[0]
    assert minmax_a.value == F(2, 3) and minmax_a.pure_value == 1 and not minmax_a.determined
    assert minmax_a.correlated
    assert result.dimension == 1 and result.full_dimensional is False
    two_x = result.profile(("x", "x", "y"))  # (2,2,2) > 1 >= minmax, but not full-dimensional
    assert two_x.strictly_individually_rational is True and two_x.folk == "not-full-dimensional"
    assert result.profile(("x", "y", "y")).folk == "below-minmax"  # 0 < 2/3
    assert result.profile(("y", "y", "y")).folk == "stage-nash"  # deviating to x gives f(1) = 0 < 1
    assert "independent" in minmax_a.describe()
    assert any("bracketed" in m for m in result.messages)


def test_folk_theorem_float_game():
    result = folk_theorem(pd().to_float(), discount=0.6)
    assert not result.exact
    assert result.minmax["A"] == pytest.approx(1.0)
    assert np.allclose(result.individually_rational_vertices, [(1, 1), (13 / 3, 1), (3, 3), (1, 13 / 3)])
    entry = result.profile(("Cooperate", "Cooperate"))
    assert entry.folk == "sustainable" and entry.grim_threshold == pytest.approx(0.5)


def test_folk_theorem_errors():
    with pytest.raises(RepeatedGameError, match=r"discount.*\[0, 1\)"):
        folk_theorem(pd(), discount=1)
    with pytest.raises(RepeatedGameError, match="discount"):
        folk_theorem(pd(), discount="often")
    T = sympy.Symbol("T")
    with pytest.raises(RepeatedGameError, match="substitute"):
        folk_theorem(pd(T=T))
    with pytest.raises(RepeatedGameError, match="unknown pure profile"):
        folk_theorem(pd()).profile(("Defect",))
    with pytest.raises(RepeatedGameError, match="two players"):
        folk_theorem(three_player(lambda p, i: 0)).plot()


def test_folk_theorem_outputs():
    result = folk_theorem(pd(), discount=F(3, 5))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["minmax"] == {"A": "1", "B": "1"}
    assert data["individually_rational_set"][1] == ["13/3", "1"]
    assert data["discount"] == "3/5"
    first = data["profiles"][0]
    assert first["profile"] == {"A": "Cooperate", "B": "Cooperate"}
    assert first["grim_trigger"]["critical_discount"] == "1/2" and first["sustained_at_discount"] is True
    assert data["stage_equilibria"][0]["profile"]["A"] == {"Cooperate": "0", "Defect": "1"}
    text = result.to_text()
    assert "δ ≥ 1/2" in text and "13/3" in text and "Fudenberg" in text
    assert "| (Cooperate, Cooperate) | (3, 3) |" in result.to_markdown()
    latex = result.to_latex()
    assert "\\frac{1}{2}" in latex and "\\toprule" in latex
    csv_lines = result.to_csv().splitlines()
    # numbers as numbers; 3/5 is no float, so its exact text follows in discount_exact (issue 15)
    assert csv_lines[0].startswith("discount,discount_exact,A,B,payoff A,payoff B")
    assert csv_lines[1].startswith("0.6,3/5,Cooperate,Cooperate,3,3,False,True,sustainable,0.5,True")
    assert len(result.to_records()) == 4
    assert set(FOLK_VERDICTS) >= {e.folk for e in result.profiles}


def test_folk_theorem_plot():
    pytest.importorskip("matplotlib")
    figure = folk_theorem(pd()).plot()
    ax = figure.axes[0]
    assert ax.get_xlabel() == "payoff of A" and ax.get_ylabel() == "payoff of B"
    texts = {t.get_text() for t in ax.texts}
    assert {"(Cooperate, Cooperate)", "(Defect, Defect)", "(Cooperate, Defect)"} <= texts
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert "stage Nash equilibria" in legend and any("minmax" in t for t in legend)
    # matching pennies: profiles with equal payoff vectors share one label
    pennies_texts = {t.get_text() for t in folk_theorem(pennies()).plot().axes[0].texts}
    assert "(Heads, Heads)\n(Tails, Tails)" in pennies_texts


@CHEAP
@given(st.lists(st.integers(-9, 9), min_size=6, max_size=6), st.lists(st.integers(-9, 9), min_size=6, max_size=6))
def test_minmax_matches_nashpy_zero_sum_value(a, b):
    # Player 1's minmax in (A, B) is the value of the zero-sum game A (von Neumann's minimax
    # theorem); nashpy's linear program gives the optimal strategies independently.
    nashpy = pytest.importorskip("nashpy")
    A = np.array(a).reshape(2, 3)
    B = np.array(b).reshape(2, 3)
    game = Game.from_arrays(A.tolist(), B.tolist(), players=("A", "B"))
    result = folk_theorem(game)
    x, y = nashpy.Game(A).linear_program()
    assert float(result.minmax["A"]) == pytest.approx(float(x @ A @ y), abs=1e-7)
    x2, y2 = nashpy.Game(B.T).linear_program()  # B's minmax: B maximises over columns
    assert float(result.minmax["B"]) == pytest.approx(float(x2 @ B.T @ y2), abs=1e-7)
    # the reported punishment holds the player to its minmax exactly
    for m in result.minmax_profiles:
        assert m.exact and sum(m.distribution.values()) == 1
    for vertex in result.individually_rational_vertices:
        assert vertex[0] >= result.minmax["A"] and vertex[1] >= result.minmax["B"]


@CHEAP
@given(st.integers(1, 20), st.integers(1, 20), st.integers(1, 20))
def test_grim_closed_form_on_random_prisoners_dilemmas(p_minus_s, r_minus_p, t_minus_r):
    # Friedman (1971): δ* = (T−R)/(T−P) for any T > R > P > S.
    S = 0
    P = S + p_minus_s
    R = P + r_minus_p
    T = R + t_minus_r
    result = folk_theorem(pd(T=T, R=R, P=P, S=S))
    assert result.profile(("Cooperate", "Cooperate")).grim_threshold == F(T - R, T - P)
    assert result.minmax == {"A": P, "B": P}


# ====================================================================== finite repetition
def gibbons():
    # Gibbons (1992), Game Theory for Applied Economists, §2.3.A (the three-action stage game
    # with two pure equilibria): (L,L) pays (1,1), (R,R) pays (3,3); (M,M) pays (4,4) but each
    # player gains 5 − 4 = 1 by switching to L.
    A = [[1, 5, 0], [0, 4, 0], [0, 0, 3]]
    return Game.from_arrays(A, np.array(A).T.tolist(), players=("A", "B"),
                            strategies=(("L", "M", "R"),) * 2, title="Gibbons 2.3.A")


def test_finite_pd_unique_spe_defects_every_round():
    result = finitely_repeated(pd(), 10)
    assert result.unique is True and result.method == "backward induction"
    assert result.equilibrium.profile.describe() == "A: Defect; B: Defect"
    assert result.total_payoffs == (10, 10)  # rounds × P = 10 × 1
    assert finitely_repeated(pd(T=10, R=6, P=2, S=-3), 7).total_payoffs == (14, 14)  # 7 × 2
    # discounted: P (1 + 1/2 + 1/4) = 7/4
    assert finitely_repeated(pd(), 3, F(1, 2)).total_payoffs == (F(7, 4), F(7, 4))
    cooperate = finitely_repeated(pd(), 10, target=("Cooperate", "Cooperate")).target(("Cooperate", "Cooperate"))
    assert not cooperate.sustainable and "unique" in cooperate.reason
    assert "backward induction" in result.to_text()


def test_finite_unique_mixed_stage_equilibrium():
    result = finitely_repeated(pennies(), 4)
    assert result.unique is True and result.equilibrium.kind == "mixed"
    assert result.total_payoffs == (0, 0)


def test_finite_gibbons_two_rounds_hand_threshold():
    # Two rounds, δ = 1: play (M,M) in round 1, then (R,R) if nobody deviated, else (L,L).
    # Deviation gain 5 − 4 = 1 ≤ δ (3 − 1) = 2 (Gibbons 1992, §2.3.A). Totals 4 + 3 = 7.
    result = finitely_repeated(gibbons(), 2, target=("M", "M"))
    assert result.unique is False
    mm = result.target(("M", "M"))
    assert mm.sustainable and mm.target_rounds == 1 and mm.equilibrium_rounds == 1 and mm.switch_round == 2
    assert mm.reward == ("R", "R") and mm.punishments == {"A": ("L", "L"), "B": ("L", "L")}
    assert mm.total_payoffs == (7, 7)
    # With discounting the condition is 1 ≤ 2δ, i.e. δ ≥ 1/2: holds at 1/2, fails at 49/100.
    assert finitely_repeated(gibbons(), 2, F(1, 2), target=("M", "M")).target(("M", "M")).sustainable
    low = finitely_repeated(gibbons(), 2, F(49, 100), target=("M", "M")).target(("M", "M"))
    assert not low.sustainable and "no reward/punishment pair" in low.reason


def test_finite_gibbons_longer_horizons():
    # Five rounds, δ = 1: one final (R,R) round already deters (1 ≤ 2), so (M,M) is played in
    # rounds 1–4 and (R,R) in round 5: totals 4·4 + 3 = 19.
    mm = finitely_repeated(gibbons(), 5).target(("M", "M"))
    assert (mm.target_rounds, mm.equilibrium_rounds, mm.total_payoffs) == (4, 1, (19, 19))
    # δ = 2/5, three rounds: one final round gives 2δ = 4/5 < 1; two give 2(δ + δ²) = 28/25 ≥ 1,
    # so (M,M) only in round 1. Totals 4 + 3(2/5) + 3(4/25) = 4 + 6/5 + 12/25 = 142/25.
    mm = finitely_repeated(gibbons(), 3, F(2, 5)).target(("M", "M"))
    assert (mm.target_rounds, mm.equilibrium_rounds) == (1, 2)
    assert mm.total_payoffs == (F(142, 25), F(142, 25))
    # (L,M) pays B 0, below its punishment 1, so B is most tempted in round 1: with K target
    # rounds and L final rounds B needs 1 ≤ −(K−1) + 2L (gain L→1 vs 0; loses 1 per later
    # target round, gains 3 − 1 per final round). T = 5: L = 1, K = 4 gives −1; L = 2, K = 3
    # gives 2 ≥ 1. Totals: A 3·5 + 2·3 = 21, B 0 + 2·3 = 6.
    lm = finitely_repeated(gibbons(), 5).target(("L", "M"))
    assert (lm.target_rounds, lm.equilibrium_rounds, lm.total_payoffs) == (3, 2, (21, 6))


def test_finite_construction_agrees_with_brute_force_on_gibbons():
    # Independent check of the "earliest deviation or last target round" shortcut: evaluate
    # every deviation round directly.
    game = gibbons()
    for rounds, delta in [(3, F(1, 2)), (4, F(2, 5)), (6, F(3, 10)), (5, F(1))]:
        result = finitely_repeated(game, rounds, delta)
        for target in result.targets:
            position = tuple(game.strategy_index(p, s) for p, s in enumerate(target.profile))
            best = None
            for L in range(1, rounds):
                K = rounds - L
                ok = True
                for i in range(2):
                    u = game.payoff_array(i)
                    v = u[position]
                    others = [u[position[:i] + (k,) + position[i + 1:]] for k in range(3) if k != position[i]]
                    d = max(others)
                    p = min(u[0, 0], u[2, 2])  # pure equilibria (L,L) and (R,R)
                    r = max(u[0, 0], u[2, 2])
                    for t in range(1, K + 1):
                        stay = sum(delta ** (s - t) * v for s in range(t, K + 1)) + sum(
                            delta ** (s - t) * r for s in range(K + 1, rounds + 1))
                        leave = d + sum(delta ** (s - t) * p for s in range(t + 1, rounds + 1))
                        ok = ok and stay >= leave
                if ok:
                    best = L
                    break
            assert (target.equilibrium_rounds if target.sustainable else None) == best, (rounds, delta, target)


def test_finite_three_players_and_errors():
    game = three_player(lambda p, i: 2 * sum(1 - p[j] for j in range(3) if j != i) - (1 - p[i]))
    result = finitely_repeated(game, 3)
    # Playing x costs the player 1 and gives each other player 2, so y is strictly dominant: the stage
    # game has the unique equilibrium (y, y, y) (now established by the exact n-player solver), and the
    # unique subgame-perfect equilibrium plays it in every round (totals 0).
    assert result.unique is True
    assert result.equilibrium.profile.describe() == "A: y; B: y; C: y"
    assert not any(t.sustainable for t in result.targets)
    for bad in (0, 2.5, True, "3"):
        with pytest.raises(RepeatedGameError, match="rounds"):
            finitely_repeated(pd(), bad)
    for bad in (0, F(3, 2), -1):
        with pytest.raises(RepeatedGameError, match=r"discount.*\(0, 1\]"):
            finitely_repeated(pd(), 3, bad)


def test_finite_outputs():
    result = finitely_repeated(gibbons(), 5)
    data = json.loads(json.dumps(result.to_dict()))
    mm = next(t for t in data["targets"] if t["profile"] == {"A": "M", "B": "M"})
    assert mm["total_payoffs"] == {"A": "19", "B": "19"} and mm["switch_round"] == 5
    assert data["unique"] is False and data["stage_equilibria_complete"] is True
    text = result.to_text()
    assert "Benoît & Krishna" in text and "(M, M)" in text and "Not covered" in text
    assert "| (M, M) | (4, 4) | yes | 1–4 | round 5 | (R, R) | (19, 19) |" in result.to_markdown()
    assert "1--4" in result.to_latex()
    assert result.to_csv().splitlines()[0].startswith("rounds,discount,A,B,sustainable")
    unique = finitely_repeated(pd(), 10)
    assert unique.to_records()[0]["total payoff A"] == 10
    assert "\\toprule" in unique.to_latex()


def test_finite_long_horizon_and_float_game():
    # 2000 rounds at δ = 99/100: one final (R,R) round needs 1 ≤ 2δ = 99/50, true, so (M,M) is
    # played in rounds 1–1999. The exact totals have ~4000-digit denominators: shown and written
    # to JSON as floats, kept exact in the result.
    mm = finitely_repeated(gibbons(), 2000, F(99, 100)).target(("M", "M"))
    assert (mm.target_rounds, mm.equilibrium_rounds) == (1999, 1)
    delta = F(99, 100)
    expected = 4 * (1 - delta ** 1999) / (1 - delta) + 3 * delta ** 1999
    assert mm.total_payoffs[0] == expected
    data = json.loads(json.dumps(mm.to_dict(("A", "B"))))
    assert data["total_payoffs"]["A"] == pytest.approx(float(expected))
    # float stage game: same construction, float totals (δ = 0.45: 2δ = 0.9 < 1, 2(δ + δ²) ≥ 1)
    result = finitely_repeated(gibbons().to_float(), 3, 0.45)
    assert not result.exact
    mm = result.target(("M", "M"))
    assert (mm.target_rounds, mm.equilibrium_rounds) == (1, 2)
    assert mm.total_payoffs[0] == pytest.approx(4 + 3 * 0.45 + 3 * 0.45 ** 2)
