"""Tests of support_enumeration_polynomial (n-player games) and the optional Gambit backend."""

from __future__ import annotations

import itertools
import sys
from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.models.profile import regrets
from negotiation.solvers.polynomial import (
    SupportEnumerationError,
    support_enumeration_polynomial,
    support_profiles,
)
from negotiation.solvers.vertex_enumeration import vertex_enumeration


# ---------------------------------------------------------------------- helpers
def vectors(equilibrium):
    return tuple(tuple(p) for p in equilibrium.profile.probabilities)


def exact_set(result):
    return {vectors(e) for e in result}


def flat(point):
    return np.array([float(v) for vector in point for v in vector])


def same_float_sets(ours, theirs, tolerance=1e-6):
    """Every point of each list matched one-to-one within ``tolerance`` (max norm)."""
    if len(ours) != len(theirs):
        return False
    unused = [flat(t) for t in theirs]
    for point in ours:
        p = flat(point)
        match = next((k for k, q in enumerate(unused) if np.max(np.abs(p - q)) <= tolerance), None)
        if match is None:
            return False
        unused.pop(match)
    return True


def three_player(u1, u2, u3, labels=None):
    return ng.Game.from_arrays(np.array(u1, dtype=object), np.array(u2, dtype=object),
                               np.array(u3, dtype=object), strategies=labels)


def volunteers_dilemma(n, benefit, cost):
    """Diekmann (1985), "Volunteer's dilemma", J. Conflict Resolution 29: strategy 0 = Volunteer.

    A volunteer gets benefit - cost; a bystander gets the benefit if anyone
    else volunteers, else 0.
    """
    shape = (2,) * n
    arrays = []
    for i in range(n):
        u = np.empty(shape, dtype=object)
        for profile in itertools.product((0, 1), repeat=n):
            if profile[i] == 0:
                u[profile] = F(benefit) - F(cost)
            else:
                u[profile] = F(benefit) if any(a == 0 for k, a in enumerate(profile) if k != i) else F(0)
        arrays.append(u)
    return ng.Game.from_arrays(*arrays, strategies=(("Volunteer", "Ignore"),) * n)


def mckelvey_mclennan():
    """The 2×2×2 game of McKelvey & McLennan (1997, J. Economic Theory 72, 411–425) with 9 equilibria.

    As distributed with Gambit (contrib/games/2x2x2.nfg): payoffs (9,8,12) at
    (1,1,1), (9,8,2) at (2,2,1), (3,4,6) at (1,2,2) and (2,1,2), 0 elsewhere.
    """
    payoffs = np.zeros((2, 2, 2, 3), dtype=object)
    payoffs[...] = 0
    payoffs[0, 0, 0] = (9, 8, 12)
    payoffs[1, 1, 0] = (9, 8, 2)
    payoffs[0, 1, 1] = (3, 4, 6)
    payoffs[1, 0, 1] = (3, 4, 6)
    return ng.Game(("1", "2", "3"), (("1", "2"),) * 3, payoffs)


def two(p):
    """Mixed strategy (p, 1 - p) of a two-strategy player."""
    return (F(p), 1 - F(p))


# ---------------------------------------------------------------------- reference games
def test_jordan_three_player_matching_pennies_has_the_unique_uniform_equilibrium():
    # Jordan (1993), "Three problems in learning mixed-strategy Nash equilibria", GEB 5, 368–386:
    # 1 wants to match 2, 2 wants to match 3, 3 wants to mismatch 1. By hand: if anyone plays
    # purely, the cycle of best responses 1 -> 3 -> 2 -> 1 contradicts itself, and a player is
    # indifferent only if the player it watches mixes 1/2:1/2, so (1/2, 1/2, 1/2) is the only one.
    s = (1, -1)
    u1 = [[[a * b for c in s] for b in s] for a in s]
    u2 = [[[b * c for c in s] for b in s] for a in s]
    u3 = [[[-a * c for c in s] for b in s] for a in s]
    result = support_enumeration_polynomial(three_player(u1, u2, u3))
    half = two(F(1, 2))
    assert exact_set(result) == {(half, half, half)}
    assert result.exact and result.complete and result.method == "support_enumeration_polynomial"
    assert result[0].payoffs == (0, 0, 0)


def test_mckelvey_mclennan_game_has_nine_equilibria():
    # Indifference conditions with p, q, r = P(strategy 1) of players 1, 2, 3 (derived by hand):
    #   player 1: u(1) - u(2) = 3 (1 - 2q)(1 - 4r)
    #   player 2: u(1) - u(2) = 4 (1 - 2p)(1 - 3r)
    #   player 3: u(1) - u(2) = 2 (1 - 4p - 4q + 13pq)
    # Totally mixed: q = 1/2, r = 1/3 -> p = 2/5;  r = 1/4, p = 1/2 -> q = 2/5.
    # Partly mixed: r = 1 with p = q = 1/2 (3 gets 7/2 > 3); p = 0 with r = 1/3, q = 1/4;
    # q = 1 with r = 1/4, p = 1/3. Pure: (1,1,1), (2,2,1), (1,2,2), (2,1,2).
    expected = {
        (two(1), two(1), two(1)), (two(0), two(0), two(1)),
        (two(1), two(0), two(0)), (two(0), two(1), two(0)),
        (two(F(2, 5)), two(F(1, 2)), two(F(1, 3))), (two(F(1, 2)), two(F(2, 5)), two(F(1, 4))),
        (two(F(1, 2)), two(F(1, 2)), two(1)), (two(0), two(F(1, 4)), two(F(1, 3))),
        (two(F(1, 3)), two(1), two(F(1, 4))),
    }
    result = support_enumeration_polynomial(mckelvey_mclennan())
    assert len(result) == 9
    assert exact_set(result) == expected
    assert result.exact and result.complete and result.degenerate is None


def test_volunteers_dilemma_three_players_irrational_symmetric_equilibrium():
    # Diekmann (1985): with n players the symmetric equilibrium volunteers with probability
    # p = 1 - (c/b)^(1/(n-1)): a volunteer's b - c equals a bystander's b (1 - (1-p)^(n-1)).
    # n = 3, b = 2, c = 1: (1-p)^2 = 1/2, p = 1 - sqrt(2)/2.
    # All equilibria (by hand): exactly one volunteers (3 pure); one ignores and two volunteer
    # with p = 1 - c/b = 1/2 (3; the bystander gets b (1 - 1/4) = 3/2 >= b - c = 1); the
    # symmetric one. Total 7.
    result = support_enumeration_polynomial(volunteers_dilemma(3, 2, 1))
    assert len(result) == 7 and result.complete and not result.exact
    pure = [e for e in result if e.kind == "pure"]
    assert len(pure) == 3
    pairs = [e for e in result if sorted(len(e.profile.support(p)) for p in e.profile.players) == [1, 2, 2]]
    assert len(pairs) == 3
    for e in pairs:
        for player in e.profile.players:
            if len(e.profile.support(player)) == 2:
                assert e[player]["Volunteer"] == pytest.approx(0.5, abs=1e-12)
    symmetric = [e for e in result if all(len(e.profile.support(p)) == 2 for p in e.profile.players)]
    assert len(symmetric) == 1
    p = 1 - 2 ** 0.5 / 2
    for player in symmetric[0].profile.players:
        assert symmetric[0][player]["Volunteer"] == pytest.approx(p, abs=1e-14)
    (closed,) = result.details["closed_forms"]
    text = closed["profile"]["Player 1"]["Volunteer"]
    assert sympy.simplify(sympy.sympify(text) - (1 - sympy.sqrt(2) / 2)) == 0
    assert "sqrt(2)" in text
    assert any("irrational" in m for m in result.messages)


def test_volunteers_dilemma_three_players_rational_case_is_exact():
    # b = 4, c = 1: symmetric (1-p)^2 = 1/4 -> p = 1/2; pairs p = 1 - 1/4 = 3/4.
    result = support_enumeration_polynomial(volunteers_dilemma(3, 4, 1))
    assert result.exact and result.complete and len(result) == 7
    half, quarter = two(F(1, 2)), two(F(3, 4))
    assert (half, half, half) in exact_set(result)
    assert (quarter, quarter, two(0)) in exact_set(result)


def test_volunteers_dilemma_four_players_cube_root():
    # n = 4, b = 2, c = 1: 2^4 - 1 = 15 equilibria (4 pure; for each set of m >= 2 mixers, the
    # others ignoring: bystanders get b (1 - q^m) >= b - c since q^m <= q^(m-1) = c/b), with
    # ignore probability q = (1/2)^(1/(m-1)): m = 2 -> 1/2, m = 3 -> sqrt(2)/2, m = 4 -> 2^(-1/3).
    result = support_enumeration_polynomial(volunteers_dilemma(4, 2, 1))
    assert len(result) == 15 and result.complete
    by_mixers = {}
    for e in result:
        mixers = [p for p in e.profile.players if len(e.profile.support(p)) == 2]
        by_mixers.setdefault(len(mixers), []).append(float(e[mixers[0]]["Ignore"]) if mixers else None)
    assert len(by_mixers[0]) == 4
    assert by_mixers[2] == pytest.approx([0.5] * 6, abs=1e-14)
    assert by_mixers[3] == pytest.approx([2 ** -0.5] * 4, abs=1e-14)
    assert by_mixers[4] == pytest.approx([2 ** (-1 / 3)], abs=1e-14)
    cube = [c for c in result.details["closed_forms"] if c["minimal_polynomial"].startswith("t**3")]
    assert len(cube) == 1
    value = sympy.sympify(cube[0]["profile"]["Player 1"]["Ignore"])
    assert abs(float(value.evalf(40)) - 2 ** (-1 / 3)) < 1e-15
    assert sympy.simplify(value**3 - sympy.Rational(1, 2)) == 0


# ---------------------------------------------------------------------- cross-checks
def _gambit_points(gbt, game):
    arrays = [np.array(game.payoff_array(i).tolist(), dtype=object) for i in range(game.n_players)]
    g = gbt.Game.from_arrays(*arrays)
    players = list(g.players)
    return [tuple(tuple(float(eq[s]) for s in p.strategies) for p in players)
            for eq in gbt.nash.enumpoly_solve(g, use_strategic=True).equilibria]


def _exactly_an_equilibrium(game, closed):
    """Independent exact check of a closed-form profile with sympy: indifference, no gain outside."""
    probabilities = [[sympy.sympify(closed["profile"][p][s]) for s in labels]
                     for p, labels in zip(game.players, game.strategies)]
    for vector in probabilities:
        assert sympy.simplify(sum(vector) - 1) == 0
    for i in range(game.n_players):
        u = game.payoff_array(i)
        values = []
        for s in range(game.shape[i]):
            total = 0
            for profile in itertools.product(*(range(n) for n in game.shape)):
                if profile[i] != s:
                    continue
                weight = sympy.Rational(u[profile].numerator, u[profile].denominator)
                for j, a in enumerate(profile):
                    if j != i:
                        weight *= probabilities[j][a]
                total += weight
            values.append(total)
        support = [s for s in range(game.shape[i]) if sympy.simplify(probabilities[i][s]) != 0]
        best = values[support[0]]
        for s in support:
            assert sympy.simplify(values[s] - best) == 0
            assert probabilities[i][s].evalf(50) > 0
        for s in range(game.shape[i]):
            if s not in support:
                assert (values[s] - best).evalf(50) <= 0


# Gambit's enumpoly answers on this corpus are committed in tests/reference/enumpoly_three_player.json
# (regenerated by tests/reference/generate_gambit_reference.py); the default suite compares with them, the
# `gambit` suite (pytest -m gambit) asks pygambit live.
def enumpoly_corpus():
    """Random three-player games, payoffs 0-99: ten 2x2x2 and five 2x2x3."""
    for shape, seeds in (((2, 2, 2), range(10)), ((2, 2, 3), range(5))):
        for seed in seeds:
            rng = np.random.default_rng(1000 + seed)
            yield shape, seed, [rng.integers(0, 100, size=shape) for _ in shape]


def _agrees_with_enumpoly(game, theirs, label, tolerance=1e-6):
    result = support_enumeration_polynomial(game)
    assert result.complete, (label, result.messages)
    ours = [vectors(e) for e in result]
    if not same_float_sets(ours, theirs, tolerance):
        # Gambit's float enumpoly is known to miss equilibria (gambitproject/gambit#474): then
        # every one of Gambit's must be ours, and each extra one of ours must pass an
        # independent exact check of its closed form.
        for point in theirs:
            assert any(np.max(np.abs(flat(point) - flat(q))) <= tolerance for q in ours), (label, point)
        closed = {c["equilibrium"]: c for c in result.details.get("closed_forms", [])}
        for k, point in enumerate(ours):
            if not any(np.max(np.abs(flat(point) - flat(q))) <= tolerance for q in theirs):
                assert k in closed, (label, point)  # only irrational ones were missed
                _exactly_an_equilibrium(game, closed[k])


def test_agrees_with_gambit_enumpoly_on_random_three_player_games(gambit_reference):
    reference = gambit_reference("enumpoly_three_player")
    corpus = list(enumpoly_corpus())
    assert [(list(shape), seed, [a.tolist() for a in arrays]) for shape, seed, arrays in corpus] == [
        (case["shape"], case["seed"], case["payoffs"]) for case in reference["cases"]]
    for case in reference["cases"]:
        _agrees_with_enumpoly(ng.Game.from_arrays(*case["payoffs"]), case["equilibria"],
                              (case["shape"], case["seed"]), reference["tolerance"])


@pytest.mark.gambit
def test_agrees_with_live_gambit_enumpoly_on_random_three_player_games():
    gbt = pytest.importorskip("pygambit")
    for shape, seed, arrays in enumpoly_corpus():
        game = ng.Game.from_arrays(*arrays)
        _agrees_with_enumpoly(game, _gambit_points(gbt, game), (shape, seed))


def test_irrational_equilibria_of_a_random_game_pass_an_exact_check():
    # a random 2×3×3 game with one equilibrium in Q(sqrt(908389729)) (Gambit's enumpoly misses it)
    arrays = [
        [[[57, 40, 99], [19, 94, 9], [62, 58, 89]], [[29, 90, 67], [89, 19, 75], [94, 4, 36]]],
        [[[63, 10, 51], [62, 76, 92], [40, 44, 47]], [[95, 19, 49], [4, 42, 94], [62, 34, 99]]],
        [[[60, 94, 1], [46, 83, 75], [40, 49, 42]], [[52, 23, 78], [7, 41, 28], [73, 74, 71]]],
    ]
    game = ng.Game.from_arrays(*arrays)
    result = support_enumeration_polynomial(game)
    assert result.complete and not result.exact
    assert result.details["closed_forms"]
    assert len(result) == 3
    (closed,) = result.details["closed_forms"]
    _exactly_an_equilibrium(game, closed)
    assert "sqrt(908389729)" in closed["profile"]["Player 1"]["1"]


def test_two_player_games_match_vertex_enumeration():
    rng = np.random.default_rng(31)
    checked = 0
    while checked < 8:
        A = rng.integers(0, 1000, (3, 3))
        B = rng.integers(0, 1000, (3, 3))
        game = ng.Game.from_arrays(A, B)
        reference = vertex_enumeration(game)
        if reference.degenerate:
            continue
        result = support_enumeration_polynomial(game)
        assert result.exact and result.complete
        assert exact_set(result) == exact_set(reference)
        checked += 1


def test_float_game_gives_the_exact_game_equilibria_as_floats():
    exact = support_enumeration_polynomial(mckelvey_mclennan())
    floating = support_enumeration_polynomial(mckelvey_mclennan().to_float())
    assert not floating.exact and floating.complete
    assert same_float_sets([vectors(e) for e in floating], [vectors(e) for e in exact], 1e-12)
    assert any("float" in m for m in floating.messages)


# ---------------------------------------------------------------------- degenerate games, options
def test_continuum_is_reported_and_makes_the_result_incomplete():
    # Player 1 is indifferent everywhere (constant payoff): with players 2 and 3 playing a pure
    # equilibrium of their game, any mix of player 1 is an equilibrium: a segment.
    u1 = np.zeros((2, 2, 2), dtype=int)
    u2 = np.array([[[3, 0], [0, 1]], [[3, 0], [0, 1]]])  # 2 and 3 coordinate, whatever 1 does
    u3 = np.array([[[3, 0], [0, 1]], [[3, 0], [0, 1]]])
    result = support_enumeration_polynomial(three_player(u1, u2, u3))
    assert not result.complete and result.degenerate is True
    assert any(m.startswith("non-isolated component on support (Player 1: 1, 2;") for m in result.messages)
    for e in result:
        assert max(regrets(result.game, e.profile)) == 0


def test_options_are_checked():
    game = mckelvey_mclennan()
    for bad in (0, -1, 1.5, True):
        with pytest.raises(SupportEnumerationError, match="max_supports must be a positive integer"):
            support_enumeration_polynomial(game, max_supports=bad)
    for bad in (0, -2.0, float("nan"), "1"):
        with pytest.raises(SupportEnumerationError, match="timeout must be a positive number"):
            support_enumeration_polynomial(game, timeout=bad)
    c = sympy.Symbol("c")
    symbolic = ng.Game.from_arrays([[c, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(SupportEnumerationError, match="substitute parameter values"):
        support_enumeration_polynomial(symbolic)


def test_max_supports_and_timeout_stop_early_and_say_so():
    game = mckelvey_mclennan()
    result = support_enumeration_polynomial(game, max_supports=1)
    assert not result.complete and result.details["systems_solved"] == 1
    assert any("max_supports=1" in m and "not examined" in m for m in result.messages)
    result = support_enumeration_polynomial(game, timeout=1e-9)
    assert not result.complete and any("timeout" in m for m in result.messages)


def test_support_profiles_are_all_there_smallest_first():
    profiles = support_profiles((2, 3, 2))
    assert len(profiles) == 3 * 7 * 3 and len(set(profiles)) == len(profiles)
    sizes = [sum(map(len, p)) for p in profiles]
    assert sizes == sorted(sizes)


def test_to_dict_carries_closed_forms_as_strings():
    data = support_enumeration_polynomial(volunteers_dilemma(3, 2, 1)).to_dict()
    assert data["method"] == "support_enumeration_polynomial" and data["exact"] is False
    assert isinstance(data["details"]["closed_forms"][0]["profile"]["Player 2"]["Ignore"], str)
    assert data["details"]["systems_solved"] >= 7


# ---------------------------------------------------------------------- properties
payoff_arrays = st.lists(st.integers(-6, 6), min_size=8, max_size=8).map(
    lambda values: np.array(values, dtype=object).reshape(2, 2, 2))


@settings(max_examples=12, deadline=None)
@given(payoff_arrays, payoff_arrays, payoff_arrays)
def test_every_equilibrium_has_zero_regret(u1, u2, u3):
    game = three_player(u1, u2, u3)
    result = support_enumeration_polynomial(game)
    assert len(result) >= 1 or not result.complete  # Nash (1951): at least one exists
    for e in result:
        regret = max(regrets(game, e.profile))
        if e.profile.is_exact:
            assert regret == 0
        else:
            assert float(regret) <= 1e-9 * 12


@settings(max_examples=10, deadline=None)
@given(payoff_arrays, payoff_arrays, payoff_arrays, st.integers(1, 4), st.integers(-5, 5),
       st.integers(0, 2), st.permutations(range(2)))
def test_invariant_under_affine_payoff_change_and_relabelling(u1, u2, u3, scale, shift, who, order):
    game = three_player(u1, u2, u3)
    arrays = [u1, u2, u3]
    arrays[who] = arrays[who] * scale + shift
    # relabel: permute player `who`'s strategies
    arrays = [np.take(a, order, axis=who) for a in arrays]
    labels = [("a", "b")] * 3
    labels[who] = tuple(("a", "b")[k] for k in order)
    changed = three_player(*arrays, labels=labels)
    first = support_enumeration_polynomial(game)
    second = support_enumeration_polynomial(changed)
    assert first.complete == second.complete and len(first) == len(second)

    def by_label(result):
        points = set()
        for e in result:
            points.add(tuple(tuple(sorted((s, round(float(p), 12)) for s, p in e[player].items()))
                             for player in e.profile.players))
        return points

    relabelled = three_player(u1, u2, u3, labels=[("a", "b")] * 3)
    assert by_label(support_enumeration_polynomial(relabelled)) == by_label(second)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(2, 2, 2), (2, 2, 3), (2, 3, 2)]), st.sampled_from([3, 100]))
def test_subdivision_prefilter_never_loses_an_equilibrium(seed, shape, high):
    # the same game solved with the branch-and-bound exclusion switched off
    from negotiation.solvers import polynomial

    rng = np.random.default_rng(seed)
    game = ng.Game.from_arrays(*[rng.integers(0, high, size=shape) for _ in shape])
    with_filter = support_enumeration_polynomial(game)
    original = polynomial._excluded_by_subdivision
    polynomial._excluded_by_subdivision = lambda *args, **kwargs: False
    try:
        without = support_enumeration_polynomial(game)
    finally:
        polynomial._excluded_by_subdivision = original
    assert same_float_sets([vectors(e) for e in with_filter], [vectors(e) for e in without], 1e-12)
    assert with_filter.complete or not without.complete  # skipping empty continua can only help
    assert with_filter.details["systems_solved"] <= without.details["systems_solved"]


# ---------------------------------------------------------------------- Gambit backend
@pytest.mark.gambit
def test_gambit_backend_agrees_with_our_solver():
    pytest.importorskip("pygambit")
    from negotiation.solvers.gambit_backend import gambit_solve

    game = mckelvey_mclennan()
    ours = [vectors(e) for e in support_enumeration_polynomial(game)]
    theirs = gambit_solve(game, "gambit-enumpoly")
    assert theirs.method == "gambit-enumpoly" and not theirs.exact and not theirs.complete
    assert same_float_sets([vectors(e) for e in theirs], ours)
    # Gambit's logit path ends at a non-equilibrium here (regret 0.21, probabilities summing to
    # 0.9999999): the backend drops it and says so
    logit = gambit_solve(game, "gambit-logit")
    assert len(logit) == 0 and any(m.startswith("dropped 1 profile") for m in logit.messages)
    s = (1, -1)
    jordan = three_player([[[a * b for c in s] for b in s] for a in s],
                          [[[b * c for c in s] for b in s] for a in s],
                          [[[-a * c for c in s] for b in s] for a in s])
    (found,) = gambit_solve(jordan, "gambit-logit")
    assert flat(vectors(found)) == pytest.approx([0.5] * 6, abs=1e-6)

    pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    for method in ("gambit-enummixed", "gambit-lcp"):
        result = gambit_solve(pennies, method)
        assert result.exact and result.method == method
        assert exact_set(result) == exact_set(support_enumeration_polynomial(pennies))
    rng = np.random.default_rng(8)
    A, B = rng.integers(0, 100, (3, 3)), rng.integers(0, 100, (3, 3))
    game = ng.Game.from_arrays(A, B)
    assert exact_set(gambit_solve(game, "gambit-enummixed")) == exact_set(support_enumeration_polynomial(game))
    with pytest.raises(ValueError, match="needs a two-player game, this one has 3 players"):
        gambit_solve(mckelvey_mclennan(), "gambit-lcp")


def test_gambit_backend_without_pygambit_gives_the_install_hint(monkeypatch):
    from negotiation.solvers import gambit_backend

    monkeypatch.setitem(sys.modules, "pygambit", None)  # makes `import pygambit` raise ImportError
    with pytest.raises(gambit_backend.GambitUnavailableError) as error:
        gambit_backend.gambit_solve(mckelvey_mclennan(), "gambit-enumpoly")
    assert str(error.value) == ("method 'gambit-enumpoly' needs pygambit (GPL), install with: "
                                "pip install 'negotiation[gambit]'")
    assert isinstance(error.value, ValueError)  # the CLI reports it in one line, exit status 1


def test_games_with_too_many_support_profiles_are_refused_before_any_is_listed():
    # 3×3×3: (2^3 - 1)^3 = 343 support profiles, over 150; 30×30: (2^30 - 1)^2, about 10^18 (a MemoryError once)
    from negotiation.core.errors import SolverLimitError
    cube = ng.Game.from_arrays(*[np.zeros((3, 3, 3), dtype=int)] * 3)
    with pytest.raises(SolverLimitError, match=r"3×3×3 game has 343 support profiles \(more than 150.*max_work="):
        support_enumeration_polynomial(cube)
    large = ng.Game.from_arrays(np.eye(30, dtype=int), np.eye(30, dtype=int))
    with pytest.raises(SolverLimitError, match=r"about 10\^18 support profiles"):
        ng.solve(large, method="support_enumeration_polynomial")


def test_max_work_admits_exactly_the_support_profiles_asked_for():
    # 2×2×2: (2^2 - 1)^3 = 27 support profiles; three-player matching pennies' one equilibrium (Jordan 1993)
    from negotiation.core.errors import SolverLimitError
    s = np.array([1, -1])
    u1 = np.array([[[a * b for c in s] for b in s] for a in s])
    u2 = np.array([[[b * c for c in s] for b in s] for a in s])
    u3 = np.array([[[-a * c for c in s] for b in s] for a in s])
    game = ng.Game.from_arrays(u1, u2, u3)
    with pytest.raises(SolverLimitError, match="27 support profiles"):
        support_enumeration_polynomial(game, max_work=26)
    assert len(support_enumeration_polynomial(game, max_work=27)) == 1
