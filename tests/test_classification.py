"""Classic-game classification of symmetric 2×2 games (domain.md §M1 table)."""

import pytest

import negotiation as ng
from negotiation.solvers.classification import classify_symmetric_2x2, classify_values


@pytest.mark.parametrize("R, S, T, P, name", [
    (3, 0, 5, 1, "Prisoner's Dilemma"),   # T > R > P > S
    (4, 0, 3, 2, "Stag Hunt"),            # R > T >= P > S
    (0, -1, 1, -10, "Chicken"),           # T > R > S > P
    (2, 1, 1, 0, "Harmony"),              # R > T, S > P
    (1, 0, 3, 2, "Deadlock"),             # T > P > R > S
])
def test_orderings(R, S, T, P, name):
    assert classify_values(R, S, T, P).name == name


def test_ties_are_boundaries():
    assert classify_values(1, 0, 1, 0).name == "boundary case"


def test_classification_agrees_with_equilibria():
    # The pure equilibria the table of domain.md §M1 lists for each class.
    cases = {
        "Prisoner's Dilemma": ((3, 0, 5, 1), {("D", "D")}),
        "Stag Hunt": ((4, 0, 3, 2), {("C", "C"), ("D", "D")}),
        "Chicken": ((0, -1, 1, -10), {("C", "D"), ("D", "C")}),
        "Harmony": ((2, 1, 1, 0), {("C", "C")}),
        "Deadlock": ((1, 0, 3, 2), {("D", "D")}),
    }
    for name, ((R, S, T, P), pure) in cases.items():
        game = ng.Game.from_arrays([[R, S], [T, P]], [[R, T], [S, P]], strategies=(("C", "D"), ("C", "D")))
        assert classify_symmetric_2x2(game, "C").name == name
        found = {(e.profile.support(0)[0], e.profile.support(1)[0]) for e in ng.solve(game) if e.kind == "pure"}
        assert found == pure


def test_not_symmetric_is_not_classified():
    game = ng.Game.from_arrays([[1, 0], [0, 1]], [[2, 0], [0, 1]])
    assert classify_symmetric_2x2(game) is None
