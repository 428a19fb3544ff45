"""Pure-strategy equilibria for any number of players."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import negotiation as ng
from negotiation.solvers import enumerate_pure


def test_three_player_coordination():
    # Each player gets 1 if all three choose the same option, else 0: exactly (A,A,A) and (B,B,B)
    # are pure equilibria; a single deviator from a mixed profile cannot create unanimity except when
    # the other two agree, so (A,A,B)-type profiles are NOT equilibria (the odd one out gains 1 by switching).
    payoffs = np.zeros((2, 2, 2, 3), dtype=object)
    payoffs[0, 0, 0] = (1, 1, 1)
    payoffs[1, 1, 1] = (1, 1, 1)
    game = ng.Game(("NATO", "Russia", "Ukraine"), (("A", "B"),) * 3, payoffs)
    result = enumerate_pure(game)
    found = {tuple(e.profile.support(p)[0] for p in game.players) for e in result}
    assert found == {("A", "A", "A"), ("B", "B", "B")}
    assert result.complete is False  # mixed equilibria not searched
    # auto uses the exact n-player solver on a game this small. By hand, player i is indifferent iff the
    # product of the others' A-probabilities equals that of their B-probabilities; with all three mixing this
    # forces q + r = p + r = p + q = 1, so p = q = r = 1/2; a profile with two players pure on different
    # options is never an equilibrium (one of them gains by joining the third). So exactly three equilibria.
    full = ng.solve(game)
    assert full.method == "support_enumeration_polynomial" and full.complete and full.exact
    described = {e.profile.describe() for e in full}
    assert described == {"NATO: A; Russia: A; Ukraine: A", "NATO: B; Russia: B; Ukraine: B",
                         "NATO: 1/2 A + 1/2 B; Russia: 1/2 A + 1/2 B; Ukraine: 1/2 A + 1/2 B"}


def test_prisoners_dilemma_pure():
    result = enumerate_pure(ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    assert [e.profile.probabilities for e in result] == [((0, 1), (0, 1))]


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 3), st.integers(0, 2**31))
def test_matches_definition_on_random_games(n_players, seed):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 4, size=n_players))
    payoffs = rng.integers(0, 4, size=shape + (n_players,))
    game = ng.Game(tuple(f"P{i}" for i in range(n_players)),
                   tuple(tuple(f"s{j}" for j in range(k)) for k in shape), payoffs)
    expected = set()
    for profile in itertools.product(*(range(k) for k in shape)):
        stable = True
        for i in range(n_players):
            for deviation in range(shape[i]):
                alternative = list(profile)
                alternative[i] = deviation
                if payoffs[tuple(alternative)][i] > payoffs[profile][i]:
                    stable = False
        if stable:
            expected.add(profile)
    found = {tuple(int(np.argmax(v)) for v in e.profile.probabilities) for e in enumerate_pure(game)}
    assert found == expected


def test_symbolic_game_must_be_substituted():
    import sympy

    c = sympy.Symbol("c")
    with pytest.raises(ValueError, match="substitute"):
        enumerate_pure(ng.Game.from_arrays([[c, 0]], [[0, 0]]))
