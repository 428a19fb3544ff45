"""Stochastic stability (Kandori, Mailath and Rob 1993) against independent results: the mutation counts of
the Stag Hunt worked out by hand, Harsanyi–Selten risk dominance computed here, Young's potentials of a tie
by hand, and the exact stationary distribution against the full chain built with scipy and solved by numpy."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import binom

import negotiation as ng
from negotiation.core.errors import NegotiationError, SolverLimitError
from negotiation.dynamics.stochastic_stability import stochastically_stable

F = Fraction


def symmetric(matrix, labels=("A", "B")):
    return ng.Game.from_arrays(matrix, [list(row) for row in zip(*matrix)], strategies=(labels, labels))


def risk_dominant(a, b, c, d, labels=("A", "B")):
    """Harsanyi and Selten (1988): (A, A) risk-dominates (B, B) when the product of the deviation losses at
    (A, A), (a − c)², exceeds that at (B, B), (d − b)²."""
    at_a, at_b = (a - c) * (a - c), (d - b) * (d - b)
    return f"all {labels[0]}" if at_a > at_b else f"all {labels[1]}" if at_b > at_a else None


STAG_HUNT = symmetric([[4, 0], [3, 2]], ("Stag", "Hare"))  # R = 4, S = 0, T = 3, P = 2


def test_the_stag_hunt_by_hand():
    # (N − 1)(π_Stag − π_Hare) = 4(z − 1) − 3z − 2(N − z − 1) = 3z − 2N − 2, positive iff z > (2N + 2)/3.
    # N = 10: Stag is the better reply from z = 8 on: leaving all Hare takes 8 mutations, leaving all Stag
    # (to z ≤ 7) takes 3. Hare has the larger basin: stochastically stable, and risk dominant (2 > 1).
    result = stochastically_stable(STAG_HUNT, 10)
    assert dict(result.resistance) == {("all Stag", "all Hare"): 3, ("all Hare", "all Stag"): 8}
    assert result.stable == ("all Hare",)
    assert result.risk_dominant == risk_dominant(4, 0, 3, 2, ("Stag", "Hare")) == "all Hare"
    assert result.details["threshold"] == F(22, 3)


@pytest.mark.parametrize("population", [10, 20, 51, 100])
def test_the_stag_hunt_selects_the_risk_dominant_convention(population):
    assert stochastically_stable(STAG_HUNT, population, ()).stable == ("all Hare",)


@pytest.mark.parametrize("payoffs", [(4, 0, 3, 2), (5, 0, 3, 3), (9, 1, 2, 7), (3, 0, 0, 2), (2, -1, 0, 2),
                                     (10, 0, 9, 8)])
def test_kmr_agrees_with_risk_dominance_on_classic_games(payoffs):
    a, b, c, d = payoffs
    result = stochastically_stable(symmetric([[a, b], [c, d]]), 201, ())
    assert result.stable == (risk_dominant(a, b, c, d),)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), st.integers(0, 9))
def test_kmr_agrees_with_risk_dominance_in_large_populations(a, b, c, d):
    # for N large the finite-population correction ((a − d) over the sum of deviation losses) is below one player
    assume(a > c and d > b and abs((a - c) - (d - b)) >= 1)
    result = stochastically_stable(symmetric([[a, b], [c, d]]), 401, ())
    assert result.stable == (risk_dominant(a, b, c, d),)


def test_a_payoff_tie_is_a_third_recurrent_state_with_young_potentials_by_hand():
    # pure coordination at N = 4: π_A − π_B ∝ 2z − 4, a tie at z = 2 (nobody switches). Mutations needed:
    # 0 → 2: 2, 0 → 4: 3 (z = 3), 2 → 0: 1, 2 → 4: 1, 4 → 2: 2, 4 → 0: 3. Potentials: all B: 4→2→0 = 3,
    # the tie: 0→2 and 4→2 = 4, all A: 3. Both conventions are stochastically stable.
    result = stochastically_stable(symmetric([[1, 0], [0, 1]]), 4, ())
    assert dict(result.potential) == {"all A": 3, "z = 2 A": 4, "all B": 3}
    assert result.stable == ("all A", "all B")
    assert result.resistance["z = 2 A", "all A"] == 1 and result.resistance["all B", "z = 2 A"] == 2
    assert result.risk_dominant is None


def _stationary_by_numpy(a, b, c, d, population, epsilon):
    """The KMR chain built state by state (scipy's binomial distribution) and solved as an eigenvector."""
    n = population
    matrix = np.zeros((n + 1, n + 1))
    for z in range(n + 1):
        if 0 < z < n:
            gap = (a * (z - 1) + b * (n - z)) - (c * z + d * (n - z - 1))
            after = n if gap > 0 else 0 if gap < 0 else z
        else:
            after = z
        for lost in range(after + 1):
            for gained in range(n - after + 1):
                matrix[z, after - lost + gained] += binom.pmf(lost, after, epsilon) * binom.pmf(gained, n - after, epsilon)
    values, vectors = np.linalg.eig(matrix.T)
    vector = np.real(vectors[:, np.argmin(np.abs(values - 1))])
    return vector / vector.sum()


@pytest.mark.parametrize("payoffs, population", [((4, 0, 3, 2), 8), ((1, 0, 0, 1), 6), ((5, 0, 3, 3), 9)])
def test_the_exact_stationary_distribution_matches_the_full_chain(payoffs, population):
    epsilon = F(1, 10)
    result = stochastically_stable(symmetric([[payoffs[0], payoffs[1]], [payoffs[2], payoffs[3]]]), population,
                                   (epsilon,))
    (value, exact), = result.stationary
    assert value == epsilon and sum(exact) == 1
    assert [float(p) for p in exact] == pytest.approx(list(_stationary_by_numpy(*payoffs, population, 0.1)),
                                                      abs=1e-12)


def test_the_stationary_distribution_concentrates_on_the_stable_convention():
    result = stochastically_stable(STAG_HUNT, 10)
    hare = [result.share_at(epsilon, "all Hare") for epsilon in (F(1, 10), F(1, 100), F(1, 1000))]
    stag = [result.share_at(epsilon, "all Stag") for epsilon in (F(1, 10), F(1, 100), F(1, 1000))]
    assert hare[0] < hare[1] < hare[2] and hare[2] > F(98, 100)
    assert stag[0] > stag[1] > stag[2]
    # the ratio falls like ε^(8 − 3): leaving Hare takes 8 mutations, leaving Stag 3
    assert float(stag[2] / hare[2]) < 1e-12


def test_bad_input_is_one_line():
    with pytest.raises(NegotiationError, match="not a coordination game"):
        stochastically_stable(symmetric([[3, 0], [5, 1]]), 10)  # a Prisoner's Dilemma
    with pytest.raises(NegotiationError, match="2×2"):
        stochastically_stable(symmetric([[1, 0, 0], [0, 1, 0], [0, 0, 1]], ("x", "y", "z")), 10)
    with pytest.raises(NegotiationError, match="strictly between 0 and 1"):
        stochastically_stable(STAG_HUNT, 10, (0,))
    with pytest.raises(SolverLimitError, match="max_population"):
        stochastically_stable(STAG_HUNT, 10 ** 6)
    with pytest.raises(SolverLimitError, match="fewer rates"):
        stochastically_stable(STAG_HUNT, 300)  # three default rates × 300 players
    with pytest.raises(SolverLimitError, match="digits"):
        stochastically_stable(STAG_HUNT, 10, ("1/12345678901",))
