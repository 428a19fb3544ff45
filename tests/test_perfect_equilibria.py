"""Trembling-hand perfect equilibria of two-player games (issue 17, item 3, first part), against hand
computations and van Damme's theorem that regular (nondegenerate) equilibria are perfect."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.cli import main
from negotiation.core.errors import NegotiationError
from negotiation.solvers.refinements import perfect_equilibria, weakly_dominating

ENTRY = ng.Game.from_arrays([[0, 0], [-1, 1]], [[2, 2], [-1, 1]], players=("Entrant", "Incumbent"),
                            strategies=(("Out", "In"), ("Fight", "Accommodate")))


def test_the_entry_game_out_fight_is_not_perfect():
    """Against Out both replies give the incumbent 2; against In, Accommodate gives 1 and Fight −1: Fight (and
    every mixture that puts weight on it) is weakly dominated by Accommodate. The equilibria are (Out, Fight),
    (Out, ½ Fight + ½ Accommodate) and (In, Accommodate): only the last is perfect."""
    result = perfect_equilibria(ENTRY)
    by_reply = {profile[1]: perfect for profile, perfect in zip(result.profiles, result.perfect)}
    assert by_reply == {(F(1), F(0)): False, (F(1, 2), F(1, 2)): False, (F(0), F(1)): True}
    for profile, witness in zip(result.profiles, result.dominated_by):
        if witness is not None:
            assert witness == (1, (F(0), F(1)))  # the incumbent, by Accommodate
    assert not result.complete and "degenerate" in result.messages[-1]


def test_a_weakly_dominated_pure_equilibrium():
    """A = B = [[1, 0], [0, 0]]: (Down, Right) is an equilibrium (no one gains alone) but Down is weakly
    dominated by Up and Right by Left: only (Up, Left) is perfect."""
    game = ng.Game.from_arrays([[1, 0], [0, 0]], [[1, 0], [0, 0]], strategies=(("Up", "Down"), ("Left", "Right")))
    result = perfect_equilibria(game)
    assert dict(zip(result.profiles, result.perfect)) == {((F(1), F(0)), (F(1), F(0))): True,
                                                          ((F(0), F(1)), (F(0), F(1))): False}


def test_weak_dominance_by_a_mixed_strategy_only():
    """Row 3 = (1, 1) is weakly dominated by ½ row 1 + ½ row 2 = (3/2, 1) though by neither row alone."""
    z, certified = weakly_dominating([[3, 0], [0, 2], [1, 1]], [0, 0, 1])
    assert certified and z is not None and z[2] == 0
    assert weakly_dominating([[3, 0], [0, 2], [1, 1]], [1, 0, 0])[0] is None


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.integers(2, 4), st.integers(2, 4), st.integers(0, 10**6))
def test_every_equilibrium_of_a_nondegenerate_game_is_perfect(m, n, seed):
    """Regular equilibria are perfect (van Damme 1991, Theorem 2.5.5 with 3.2.2); random integer games with
    distinct payoffs are nondegenerate with probability one — the solver says which, and only those count."""
    rng = np.random.default_rng(seed)
    values = rng.permutation(4 * m * n)[: 2 * m * n].reshape(2, m, n).tolist()
    game = ng.Game.from_arrays(values[0], values[1])
    if ng.solve(game).degenerate:
        return
    result = perfect_equilibria(game)
    assert all(result.perfect) and result.complete


def test_refusals_and_the_command_line(capsys):
    with pytest.raises(NegotiationError, match="two-player"):
        perfect_equilibria(ng.Game.from_arrays(np.zeros((2, 2, 2)).tolist(), np.zeros((2, 2, 2)).tolist(),
                                               np.zeros((2, 2, 2)).tolist()))
    assert main(["solve", "security_dilemma", "--refine", "perfect", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["perfect"] for e in data["equilibria"]] == [True]  # the Prisoner's Dilemma: (Deploy, Deploy), strict
