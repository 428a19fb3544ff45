"""The replicator–mutator equation (negotiation.dynamics.replicator_mutator): rest points worked out by hand,
the reduction to the replicator dynamics of dynamics/learning.py at μ = 0, and the Jacobian against finite
differences."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import negotiation as ng
from negotiation.core.errors import NegotiationError, SolverLimitError
from negotiation.dynamics.replicator_mutator import (field_and_jacobian, mutation_matrix, replicator_mutator,
                                                     replicator_mutator_rest_points)

F = Fraction


def symmetric(matrix, labels):
    return ng.Game.from_arrays(matrix, [list(row) for row in zip(*matrix)], strategies=(labels, labels))


COORDINATION = symmetric([[1, 0], [0, 1]], ("A", "B"))


# By hand, for A = [[1, 0], [0, 1]] and uniform mutation μ, with x the share of A:
#   dx/dt = (1 − μ) x·x + μ (1 − x)(1 − x) − x (x² + (1 − x)²) = −2x³ + 3x² − (1 + 2μ) x + μ
#         = (x − 1/2)(−2x² + 2x − 2μ),
# so the rest points are 1/2 and (1 ± √(1 − 4μ))/2 (real for μ ≤ 1/4); the eigenvalue is the derivative
# −6x² + 6x − (1 + 2μ).
def _slope(x, mu):
    return -6 * x * x + 6 * x - (1 + 2 * mu)


def test_the_rest_points_of_a_coordination_game_by_hand():
    mu = F(9, 100)  # √(1 − 36/100) = 4/5: rest points 1/10, 1/2, 9/10
    result = replicator_mutator_rest_points(COORDINATION, mu)
    assert result.exact and result.complete
    assert [point.shares for point in result] == [(F(1, 10), F(9, 10)), (F(1, 2), F(1, 2)), (F(9, 10), F(1, 10))]
    assert [point.eigenvalues[0].real for point in result] == pytest.approx(
        [float(_slope(x, mu)) for x in (F(1, 10), F(1, 2), F(9, 10))])  # −16/25, 8/25, −16/25
    assert [point.stable for point in result] == [True, False, True]


def test_irrational_rest_points_are_floats_within_the_tolerance():
    mu = F(1, 5)  # (1 ± √(1/5))/2
    result = replicator_mutator_rest_points(COORDINATION, mu)
    low, middle, high = (float(point.shares[0]) for point in result)
    root = np.sqrt(1 / 5)
    assert (low, middle, high) == pytest.approx(((1 - root) / 2, 0.5, (1 + root) / 2), abs=1e-12)
    assert not result.exact and result.points[1].exact


def test_strong_mutation_leaves_one_stable_rest_point():
    mu = F(3, 10)  # μ > 1/4: only x = 1/2, with slope −3/2 + 3 − 8/5 = −1/10
    result = replicator_mutator_rest_points(COORDINATION, mu)
    assert [point.shares for point in result] == [(F(1, 2), F(1, 2))]
    assert result[0].eigenvalues[0].real == pytest.approx(-0.1) and result[0].stable


def test_the_path_settles_at_the_stable_rest_point_of_its_basin():
    for start, end in ((0.7, 0.9), (0.3, 0.1)):
        run = replicator_mutator(COORDINATION, 60, mutation=0.09, initial={"A": start, "B": 1 - start})
        assert run.converged and run.final["Population"]["A"] == pytest.approx(end, abs=1e-8)


def test_without_mutation_it_is_the_replicator_dynamics_of_the_learning_rules():
    hawk_dove = symmetric([[-2, 2], [0, 1]], ("Hawk", "Dove"))
    start = {"Hawk": 0.8, "Dove": 0.2}
    mutator = replicator_mutator(hawk_dove, 30, mutation=0, initial=start)
    replicator = ng.replicator_dynamics(hawk_dove, 30, initial={"Player 1": start}, populations=1)
    assert np.allclose(mutator.times, replicator.times)
    assert np.allclose(mutator.states, replicator.probabilities[0], atol=1e-8)
    # the mixed ESS V/C = 1/3 (Maynard Smith 1982) is the stable interior rest point
    rest = replicator_mutator_rest_points(hawk_dove, 0)
    assert [p.shares for p in rest if p.stable] == [(F(1, 3), F(2, 3))]


def test_the_jacobian_matches_finite_differences():
    matrix = [[1.0, 0.0, 2.0], [2.0, 1.0, 0.0], [0.0, 3.0, 1.0]]
    field, jacobian = field_and_jacobian(matrix, mutation_matrix(0.1, 3))
    x, step = np.array([0.2, 0.5, 0.3]), 1e-6
    numeric = np.column_stack([(field(x + step * e) - field(x - step * e)) / (2 * step) for e in np.eye(3)])
    assert np.allclose(jacobian(x), numeric, atol=1e-8)


def test_three_strategy_coordination_without_mutation_by_hand():
    # A = diag(1, 2, 3) at μ = 0: rest points are the vertices (stable, eigenvalues −a_i), the edge mixtures
    # x_i = a_j/(a_i + a_j) and the interior point x_i ∝ 1/a_i = (6/11, 3/11, 2/11) (all unstable)
    game = symmetric([[1, 0, 0], [0, 2, 0], [0, 0, 3]], ("x", "y", "z"))
    result = replicator_mutator_rest_points(game, 0)
    expected = {(1, 0, 0), (0, 1, 0), (0, 0, 1), (2 / 3, 1 / 3, 0), (3 / 4, 0, 1 / 4), (0, 3 / 5, 2 / 5),
                (6 / 11, 3 / 11, 2 / 11)}
    found = [tuple(point.shares) for point in result]
    assert len(found) == len(expected)
    for shares in expected:
        assert any(np.allclose(shares, other, atol=1e-9) for other in found), shares
    stable = sorted(tuple(round(v) for v in point.shares) for point in result if point.stable)
    assert stable == [(0, 0, 1), (0, 1, 0), (1, 0, 0)]
    vertex = next(point for point in result if np.allclose(point.shares, (0, 0, 1)))
    assert sorted(e.real for e in vertex.eigenvalues) == pytest.approx([-3, -3])


def test_bad_input_is_one_line():
    with pytest.raises(NegotiationError, match="between 0 and 1"):
        replicator_mutator_rest_points(COORDINATION, 2)
    with pytest.raises(NegotiationError, match="summing to 1"):
        replicator_mutator_rest_points(COORDINATION, [[1, 1], [0, 1]])
    with pytest.raises(NegotiationError, match="negative"):
        replicator_mutator_rest_points(symmetric([[-1, 0], [0, 1]], ("A", "B")), 0.1)
    # a smaller intensity of selection makes the fitness 1 − w + w·payoff non-negative
    assert len(replicator_mutator_rest_points(symmetric([[-1, 0], [0, 1]], ("A", "B")), 0.1, selection=F(1, 2)))
    with pytest.raises(NegotiationError, match="unknown strategy"):
        replicator_mutator(COORDINATION, 5, initial={"C": 1})
    with pytest.raises(SolverLimitError, match="max_time"):
        replicator_mutator(COORDINATION, 10 ** 6)


def test_the_start_points_of_the_search_are_bounded_before_the_work():
    payoffs = (np.eye(20, dtype=int) + 1).tolist()  # 20 vertices + 190 midpoints + the barycentre > 200
    with pytest.raises(SolverLimitError, match="at most 19 strategies"):
        replicator_mutator_rest_points(ng.Game.from_arrays(payoffs, payoffs), 0.01)
