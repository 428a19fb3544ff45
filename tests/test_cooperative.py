"""Cooperative games: the model, the Shapley value, the core, the nucleolus and power indices.

Every expected value comes from an independent source written out here: the Talmud's table (Aumann and
Maschler 1985), the glove game and the majority game computed by hand, the UN Security Council's
Shapley–Shubik index (Shapley and Shubik 1954), Banzhaf swings counted by hand, the Talmud rule's closed form,
the Shapley value as an average over all orders of arrival, and the nucleolus's definition (lexicographic
minimality of its sorted excesses) checked against other imputations.
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.core.errors import NegotiationError, SolverLimitError
from negotiation.models.cooperative import MAX_PLAYERS, CooperativeError, CooperativeGame
from negotiation.solvers.cooperative import banzhaf_index, core_vertices, shapley_value
from negotiation.solvers.nucleolus import MAX_LP_PLAYERS, least_core, nucleolus

CHEAP = settings(max_examples=25, deadline=None, derandomize=True)
TALMUD = ("first", "second", "third")


# ---------------------------------------------------------------------- independent references
def talmud_rule(estate, claims):
    """Aumann and Maschler (1985, §2): constrained equal awards of the half-claims up to half the total claim,
    above it every claimant loses the same, capped at half its claim (found by bisection-free exact search)."""
    half = [c / 2 for c in claims]
    if estate <= sum(half):
        return _equal_capped(estate, half)
    losses = _equal_capped(sum(claims) - estate, half)
    return [c - loss for c, loss in zip(claims, losses)]


def _equal_capped(amount, caps):
    """``min(cap_i, λ)`` with ``Σ = amount``: raise λ through the sorted caps, exactly."""
    order = sorted(caps)
    left, count = amount, len(caps)
    level = None
    for k, cap in enumerate(order):
        if cap * (count - k) >= left:
            level = left / (count - k)
            break
        left -= cap
    level = order[-1] if level is None else level
    return [min(cap, level) for cap in caps]


def shapley_by_orders(game):
    """The Shapley value by its definition: each player's marginal contribution averaged over all n! orders."""
    n = game.n_players
    totals = [F(0)] * n
    for order in itertools.permutations(range(n)):
        mask = 0
        for i in order:
            totals[i] += game.worth[mask | 1 << i] - game.worth[mask]
            mask |= 1 << i
    return tuple(t / math.factorial(n) for t in totals)


def sorted_excesses(game, payoff):
    """Every proper coalition's excess ``v(S) − x(S)``, largest first (Schmeidler 1969)."""
    n = game.n_players
    return sorted((game.worth[m] - sum(payoff[i] for i in range(n) if m >> i & 1)
                   for m in range(1, (1 << n) - 1)), reverse=True)


def in_core(game, payoff) -> bool:
    n = game.n_players
    return sum(payoff) == game.grand_value and all(
        sum(payoff[i] for i in range(n) if m >> i & 1) >= game.worth[m] for m in range(1, 1 << n))


# ---------------------------------------------------------------------- the Done-when cases
@pytest.mark.parametrize("estate, expected", [
    (100, (F(100, 3), F(100, 3), F(100, 3))),
    (200, (F(50), F(75), F(75))),
    (300, (F(50), F(100), F(150))),
])
def test_talmud_nucleolus_aumann_maschler_1985(estate, expected):
    # Aumann and Maschler (1985), JET 36:195–213, §1: the Mishna's divisions of the estates 100, 200 and 300
    game = CooperativeGame.bankruptcy(TALMUD, estate, {"first": 100, "second": 200, "third": 300})
    assert nucleolus(game)[0] == expected
    assert tuple(talmud_rule(F(estate), [F(100), F(200), F(300)])) == expected  # the reference agrees
    assert ng.solve(game, method="nucleolus").nucleolus == expected


def test_glove_game_shapley_and_core():
    # one left glove L, two right gloves R1, R2; v = 1 for any coalition holding a pair.
    # Shapley by hand: L is pivotal in 4 of the 6 orders (unless it comes first) -> 2/3; each R in 1 -> 1/6.
    # Core: x_L + x_R1 >= 1 and x_L + x_R2 >= 1 with the sum 1 force x_R1 = x_R2 = 0.
    game = CooperativeGame.glove(("L", "R1", "R2"), left={"L": 1}, right={"R1": 1, "R2": 1})
    assert shapley_value(game) == (F(2, 3), F(1, 6), F(1, 6))
    assert core_vertices(game) == ((F(1), F(0), F(0)),)
    result = ng.solve(game)
    assert result.core_empty is False and result.core_vertices == ((1, 0, 0),)
    assert result.nucleolus == (1, 0, 0)


def test_three_player_majority_game_has_an_empty_core():
    # any two of three win: x_A + x_B >= 1, x_A + x_C >= 1, x_B + x_C >= 1 add to 2(x_A + x_B + x_C) >= 3 > 2.
    # The least core relaxes each by ε: 2 >= 3 − 3ε gives ε* = 1/3, at (1/3, 1/3, 1/3).
    game = CooperativeGame.weighted_voting(("A", "B", "C"), [1, 1, 1], 2)
    outcome = least_core(game)
    assert outcome.epsilon == F(1, 3) and outcome.core_empty
    result = ng.solve(game)
    assert result.core_empty is True and result.core_vertices == ()
    assert "empty" in result.to_text()
    assert result.nucleolus == (F(1, 3),) * 3


def test_security_council_shapley_shubik_index():
    # Shapley and Shubik (1954, APSR 48:787–792): five permanent members with a veto and ten others; a resolution
    # needs nine votes including all five permanent ones ([39; 7,7,7,7,7,1,…,1]); a permanent member's index is
    # 421/2145 ≈ 0.1963 and a non-permanent member's 4/2145 ≈ 0.0019 (5·421 + 10·4 = 2145).
    players = [f"P{k}" for k in range(5)] + [f"E{k}" for k in range(10)]
    game = CooperativeGame.weighted_voting(players, [7] * 5 + [1] * 10, 39)
    index = ng.solve(game, method="power").shapley
    assert index[0] == F(421, 2145) and index[5] == F(4, 2145)
    # cross-check the veto structure by the same count done differently: a non-permanent member is pivotal
    # exactly when it is the ninth vote after all five permanent members and three of the nine other elected ones:
    # C(9,3) · 8! · 6! orderings of 15 -> 84 · 8! · 6! / 15!
    assert index[5] == F(84 * math.factorial(8) * math.factorial(6), math.factorial(15))


def test_banzhaf_by_hand():
    # [3; 2, 1, 1]: the winning coalitions are AB, AC, ABC. Swings: A in AB, AC, ABC (3); B in AB (1); C in AC (1).
    # Raw index = swings / 2^(n−1) = 3/4, 1/4, 1/4; normalised = swings / 5.
    game = CooperativeGame.weighted_voting(("A", "B", "C"), {"A": 2, "B": 1, "C": 1}, 3)
    raw, normalised = banzhaf_index(game)
    assert raw == (F(3, 4), F(1, 4), F(1, 4))
    assert normalised == (F(3, 5), F(1, 5), F(1, 5))
    # [4; 3, 2, 1, 1]: the winning coalitions (weight >= 4) are AB, AC, AD, BCD (2 + 1 + 1) and their supersets.
    # A swings in AB, AC, AD, ABC (BC = 3 loses), ABD (BD = 3), ACD (CD = 2): 6 (in ABCD, BCD still wins).
    # B swings in AB (A = 3 loses) and BCD (CD = 2): 2; C in AC and BCD: 2; D in AD and BCD: 2. Total 12.
    game = CooperativeGame.weighted_voting(("A", "B", "C", "D"), [3, 2, 1, 1], 4)
    raw, normalised = banzhaf_index(game)
    assert raw == (F(6, 8), F(2, 8), F(2, 8), F(2, 8))
    assert normalised == (F(1, 2), F(1, 6), F(1, 6), F(1, 6))


def test_core_vertices_of_the_talmud_estate_200():
    # v(BC) = 200 − 100 = 100, every other proper coalition 0: the core is {x >= 0, x_A <= 100, Σ = 200},
    # a quadrilateral with vertices (100,100,0), (100,0,100), (0,200,0), (0,0,200).
    game = CooperativeGame.bankruptcy(TALMUD, 200, [100, 200, 300])
    assert set(core_vertices(game)) == {(100, 100, 0), (100, 0, 100), (0, 200, 0), (0, 0, 200)}


# ---------------------------------------------------------------------- properties
small_claims = st.lists(st.integers(0, 40), min_size=2, max_size=4)


@CHEAP
@given(small_claims, st.data())
def test_nucleolus_of_bankruptcy_games_is_the_talmud_rule(claims, data):
    # Aumann and Maschler (1985), Theorem A: the nucleolus of the bankruptcy game is the Talmud rule
    estate = data.draw(st.integers(0, sum(claims)))
    players = tuple(f"P{k}" for k in range(len(claims)))
    game = CooperativeGame.bankruptcy(players, estate, claims)
    assert list(nucleolus(game)[0]) == talmud_rule(F(estate), [F(c) for c in claims])


def random_game(seed: int, n: int) -> CooperativeGame:
    rng = random.Random(seed)
    players = tuple(f"P{k}" for k in range(n))
    worth = [F(0)] + [F(rng.randint(-3, 12), rng.choice((1, 2, 3))) for _ in range((1 << n) - 1)]
    worth[-1] = abs(worth[-1]) + 10
    for i in range(n):
        worth[1 << i] = min(worth[1 << i], F(1))  # keep the imputation set non-empty
    return CooperativeGame(players, tuple(worth))


@CHEAP
@given(st.integers(0, 10 ** 6), st.integers(2, 5))
def test_shapley_value_equals_the_average_over_orders(seed, n):
    game = random_game(seed, n)
    assert shapley_value(game) == shapley_by_orders(game)


@CHEAP
@given(st.integers(0, 10 ** 6), st.integers(2, 5))
def test_shapley_efficiency_symmetry_and_dummy(seed, n):
    rng = random.Random(seed)
    size_value = [F(0)] + [F(rng.randint(0, 20)) for _ in range(n)]
    dummy_worth = F(rng.randint(-5, 5))
    players = tuple(f"P{k}" for k in range(n)) + ("dummy",)
    # the others' worth depends on the size of the coalition only (all symmetric); the dummy adds its own worth
    game = CooperativeGame.from_function(players, lambda S: size_value[len([p for p in S if p != "dummy"])]
                                         + (dummy_worth if "dummy" in S else 0))
    value = shapley_value(game)
    assert sum(value) == game.grand_value                      # efficiency
    assert len(set(value[:-1])) == 1                            # symmetry
    assert value[-1] == dummy_worth                             # dummy player


@CHEAP
@given(st.integers(0, 10 ** 6), st.integers(2, 4))
def test_nucleolus_is_lexicographically_minimal_and_in_the_core_when_there_is_one(seed, n):
    game = random_game(seed, n)
    point, _ = nucleolus(game)
    assert sum(point) == game.grand_value
    assert all(point[i] >= game.worth[1 << i] for i in range(n))
    if least_core(game).epsilon <= 0:
        assert in_core(game, point)
    # Schmeidler's definition: no other imputation has lexicographically smaller sorted excesses
    rng = random.Random(seed + 1)
    own = sorted_excesses(game, point)
    spare = game.grand_value - sum(game.worth[1 << i] for i in range(n))
    for _ in range(30):
        cuts = sorted(F(rng.randint(0, 60), 60) for _ in range(n - 1))
        shares = [b - a for a, b in zip([F(0), *cuts], [*cuts, F(1)])]
        other = [game.worth[1 << i] + spare * s for i, s in enumerate(shares)]
        assert own <= sorted_excesses(game, other)
        # and small moves from the nucleolus itself never do better
        i, j = rng.sample(range(n), 2)
        step = F(rng.randint(1, 5), 100)
        moved = list(point)
        moved[i] += step
        moved[j] -= step
        if moved[j] >= game.worth[1 << j]:
            assert own <= sorted_excesses(game, moved)


# ---------------------------------------------------------------------- the model and its limits
def test_model_queries_and_json():
    game = CooperativeGame.from_values(("A", "B", "C"), {"A, B": 2, ("A", "B", "C"): 3})
    assert game.value("B, A") == 2 and game.value(("C",)) == 0
    assert game.members(game.mask("C, A")) == ("A", "C")
    data = game.to_dict()
    assert data["worth"]["A, B"] == "2" and data["form"] == "explicit"
    assert not game.is_simple


def test_symbolic_worths_substitute():
    import sympy

    a = sympy.Symbol("a")
    game = CooperativeGame(("A", "B"), (0, 0, 0, 2 * a))
    assert game.is_symbolic and game.arithmetic == "symbolic"
    with pytest.raises(CooperativeError, match="substitute"):
        shapley_value(game)
    assert ng.solve(game, values={"a": F(3, 2)}).shapley == (F(3, 2), F(3, 2))


def test_float_worths_give_a_floating_point_shapley_value_and_say_so():
    game = CooperativeGame(("A", "B"), (0, 0.5, 0.25, 1.0))
    result = ng.solve(game)
    assert result.exact is False and result.shapley == pytest.approx((0.625, 0.375))
    assert result.nucleolus is None and "exact worths" in result.messages[0]


@pytest.mark.parametrize("build, message", [
    (lambda: CooperativeGame(("A",), (1, 1)), "empty coalition"),
    (lambda: CooperativeGame.from_values(("A", "B"), {"A, C": 1}), "unknown player 'C'"),
    (lambda: CooperativeGame.from_values(("A", "A"), {}), "duplicate player"),
    (lambda: CooperativeGame.weighted_voting(("A", "B"), [1, 1], 3), "quota"),
    (lambda: CooperativeGame.bankruptcy(("A", "B"), 5, [1, 1]), "estate"),
    (lambda: CooperativeGame.bankruptcy(("A", "B"), 1, [-1, 3]), "non-negative"),
    (lambda: CooperativeGame.glove(("A", "B"), left={"A": 1, "Z": 1}, right={}), "unknown player 'Z'"),
    (lambda: CooperativeGame.from_values([f"P{k}" for k in range(MAX_PLAYERS + 1)], {}), "MAX_PLAYERS"),
])
def test_bad_input_is_one_line(build, message):
    with pytest.raises(NegotiationError, match=message) as caught:
        build()
    assert "\n" not in str(caught.value)


def test_linear_programs_refuse_beyond_their_limit_before_work():
    players = [f"P{k}" for k in range(MAX_LP_PLAYERS + 1)]
    game = CooperativeGame.bankruptcy(players, 5, [1] * len(players))
    with pytest.raises(SolverLimitError, match="MAX_LP_PLAYERS"):
        ng.solve(game, method="nucleolus")
    result = ng.solve(game)  # auto: the Shapley value, and a message for what is left out
    assert result.shapley == (F(5, 11),) * 11 and result.nucleolus is None
    assert any("MAX_LP_PLAYERS" in m for m in result.messages)


def test_empty_imputation_set_has_no_nucleolus():
    game = CooperativeGame.from_values(("A", "B"), {"A": 2, "B": 2, "A, B": 3})
    with pytest.raises(CooperativeError, match="imputation set is empty"):
        nucleolus(game)
    result = ng.solve(game)
    assert result.nucleolus is None and result.core_empty is True


def test_methods_and_unknown_method():
    game = CooperativeGame.glove(("L", "R"), left={"L": 1}, right={"R": 1})
    assert ng.solve.methods(game) == ("auto", "shapley", "core", "nucleolus", "power")
    with pytest.raises(NegotiationError, match="method"):
        ng.solve(game, method="vertex_enumeration")
    only = ng.solve(game, method="core")
    assert only.shapley is None and only.core_vertices == ((F(1), F(0)), (F(0), F(1)))
