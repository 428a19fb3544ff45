"""The Moran process (negotiation.dynamics.evolution) against independent results: the neutral 1/N and
its absorption time N·H_{N−1}, the constant-fitness closed form, the birth–death chain solved as a linear
system, the one-third rule and the finite-N weak-selection condition worked out by hand, nashpy's
simulation and our own seeded runs within binomial bands."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.core.errors import NegotiationError, SolverLimitError
from negotiation.dynamics.evolution import (MAX_POPULATION, fixation_probabilities, moran_process,
                                            rare_mutation_distribution)

F = Fraction


def symmetric(matrix, labels=None):
    labels = labels or tuple(f"s{i + 1}" for i in range(len(matrix)))
    return ng.Game.from_arrays(matrix, [list(row) for row in zip(*matrix)], strategies=(labels, labels))


STAG_HUNT = symmetric([[4, 0], [3, 2]], ("Stag", "Hare"))


# ---------------------------------------------------------------------- neutral drift
@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.integers(-5, 5), min_size=4, max_size=4), st.integers(2, 40))
def test_a_neutral_mutant_fixes_with_probability_one_over_n(payoffs, population):
    a, b, c, d = payoffs
    result = fixation_probabilities(symmetric([[a, b], [c, d]], ("A", "B")), population, selection=0)
    assert result.rho("A", "B") == F(1, population) and result.rho("B", "A") == F(1, population)
    assert result.stationary == (F(1, 2), F(1, 2))


@pytest.mark.parametrize("population", [2, 3, 5, 12, 40])
def test_the_neutral_absorption_time_is_n_times_the_harmonic_number(population):
    # Ewens (2004), eq. 3.49 with one initial mutant: t_1 = N · H_{N−1} steps; N = 2: 2, N = 3: 9/2 by hand
    harmonic = sum(F(1, j) for j in range(1, population))
    result = fixation_probabilities(STAG_HUNT, population, selection=0)
    assert result.time("Stag", "Hare") == population * harmonic == result.time("Hare", "Stag")


# ---------------------------------------------------------------------- constant fitness
@pytest.mark.parametrize("r", [F(2), F(3, 2), F(5), F(1, 3)])
@pytest.mark.parametrize("population", [2, 4, 17])
def test_constant_fitness_gives_the_classical_moran_formula(r, population):
    # payoffs a = b = r, c = d = 1 at w = 1: a mutant of relative fitness r fixes with (1 − 1/r)/(1 − 1/r^N)
    result = fixation_probabilities(symmetric([[r, r], [1, 1]], ("A", "B")), population, 1)
    assert result.rho("A", "B") == (1 - 1 / r) / (1 - 1 / r ** population)
    assert result.rho("B", "A") == (1 - r) / (1 - r ** population)


def test_the_constant_fitness_example_of_the_docstring_by_hand():
    # r = 2, N = 4: (1 − 1/2)/(1 − 1/16) = (1/2)/(15/16) = 8/15
    result = fixation_probabilities(symmetric([[2, 2], [1, 1]], ("A", "B")), 4)
    assert result.rho("A", "B") == F(8, 15)


# ---------------------------------------------------------------------- the chain solved directly
def _birth_death(a, b, c, d, population, selection):
    """Fixation probability and mean absorption time from one A mutant, from the transition probabilities of
    the Moran process solved as linear systems (sympy), not from the product formula."""
    n, w = population, sympy.Rational(selection)
    up, down = [], []
    for i in range(1, n):
        f = 1 - w + w * sympy.Rational(a * (i - 1) + b * (n - i), n - 1)
        g = 1 - w + w * sympy.Rational(c * i + d * (n - i - 1), n - 1)
        birth_a = i * f / (i * f + (n - i) * g)
        up.append(birth_a * sympy.Rational(n - i, n))
        down.append((1 - birth_a) * sympy.Rational(i, n))
    x = sympy.symbols(f"x1:{n}")
    t = sympy.symbols(f"t1:{n}")
    value = lambda vector, k: 0 if k == 0 else (1 if k == n else vector[k - 1])
    time = lambda k: 0 if k in (0, n) else t[k - 1]
    fix = [sympy.Eq(x[i - 1], up[i - 1] * value(x, i + 1) + down[i - 1] * value(x, i - 1)
                    + (1 - up[i - 1] - down[i - 1]) * x[i - 1]) for i in range(1, n)]
    wait = [sympy.Eq(t[i - 1], 1 + up[i - 1] * time(i + 1) + down[i - 1] * time(i - 1)
                     + (1 - up[i - 1] - down[i - 1]) * t[i - 1]) for i in range(1, n)]
    return sympy.solve(fix, x)[x[0]], sympy.solve(wait, t)[t[0]]


@pytest.mark.parametrize("payoffs, population, selection", [
    ((4, 0, 3, 2), 5, F(1, 10)), ((3, 1, 2, 2), 6, F(1)), ((1, 5, 2, 3), 4, F(1, 2)), ((7, 1, 1, 7), 7, F(1, 3)),
])
def test_fixation_and_time_match_the_birth_death_chain_solved_as_a_linear_system(payoffs, population, selection):
    a, b, c, d = payoffs
    result = fixation_probabilities(symmetric([[a, b], [c, d]], ("A", "B")), population, selection)
    rho, time = _birth_death(a, b, c, d, population, selection)
    assert result.rho("A", "B") == F(int(rho.p), int(rho.q))
    assert result.time("A", "B") == F(int(time.p), int(time.q))
    rho_b, _ = _birth_death(d, c, b, a, population, selection)  # B among A: swap the roles
    assert result.rho("B", "A") == F(int(rho_b.p), int(rho_b.q))


def test_float_payoffs_agree_with_the_exact_answer():
    exact = fixation_probabilities(STAG_HUNT, 30, F(1, 5))
    approximate = fixation_probabilities(symmetric([[4.0, 0.0], [3.0, 2.0]], ("Stag", "Hare")), 30, 0.2)
    assert not approximate.exact and exact.exact
    for mutant, resident in (("Stag", "Hare"), ("Hare", "Stag")):
        assert approximate.rho(mutant, resident) == pytest.approx(float(exact.rho(mutant, resident)), rel=1e-10)
        assert approximate.time(mutant, resident) == pytest.approx(float(exact.time(mutant, resident)), rel=1e-9)


def test_strong_selection_in_floats_does_not_overflow():
    # A dominates by a factor 1000 per step: ρ_B underflows as a product, not in logarithms
    result = fixation_probabilities(symmetric([[1000.0, 1000.0], [1.0, 1.0]], ("A", "B")), 500, 1.0)
    assert result.rho("A", "B") == pytest.approx(1 - 1 / 1000, rel=1e-12)
    assert 0 <= result.rho("B", "A") < 1e-300


# ---------------------------------------------------------------------- weak selection
def test_the_one_third_rule_by_hand():
    # coordination games (a > c, d > b); x* = (d − b)/(a − b − c + d) is the mixed equilibrium's share of A
    favoured = symmetric([[10, 0], [1, 2]], ("A", "B"))  # x* = 2/11 < 1/3
    disfavoured = symmetric([[10, 0], [1, 5]], ("A", "B"))  # x* = 5/14 > 1/3
    weak, large = F(1, 10_000), 200
    assert fixation_probabilities(favoured, large, weak).rho("A", "B") > F(1, large)
    assert fixation_probabilities(disfavoured, large, weak).rho("A", "B") < F(1, large)
    assert "2/11, below 1/3" in fixation_probabilities(favoured, large, weak).details["one-third rule"]
    assert "5/14, above 1/3" in fixation_probabilities(disfavoured, large, weak).details["one-third rule"]


def test_the_finite_population_condition_at_weak_selection_by_hand():
    # Nowak et al. (2004): ρ_A > 1/N at weak selection iff a(N − 2) + b(2N − 1) > c(N + 1) + d(2N − 4).
    # Stag Hunt a, b, c, d = 4, 0, 3, 2 at N = 10: 4·8 + 0 = 32 against 3·11 + 2·16 = 65: Stag is not favoured;
    # Hare among Stag (d, c, b, a): 2·8 + 3·19 = 73 against 0 + 4·16 = 64: Hare is favoured
    result = fixation_probabilities(STAG_HUNT, 10, F(1, 100_000))
    assert result.details["weak selection favours Stag"] is False
    assert result.details["weak selection favours Hare"] is True
    assert result.rho("Stag", "Hare") < F(1, 10) < result.rho("Hare", "Stag")


# ---------------------------------------------------------------------- rare mutations
def test_two_strategies_spend_time_in_proportion_to_the_fixation_into_each():
    result = fixation_probabilities(STAG_HUNT, 8, F(1, 3))
    rho_stag, rho_hare = result.rho("Stag", "Hare"), result.rho("Hare", "Stag")
    assert result.stationary == (rho_stag / (rho_stag + rho_hare), rho_hare / (rho_stag + rho_hare))


def test_the_rare_mutation_distribution_of_three_strategies_matches_an_eigenvector():
    game = symmetric([[1, 0, 2], [2, 1, 0], [0, 3, 1]], ("R", "P", "S"))
    result = fixation_probabilities(game, 9, F(1, 2))
    k = 3
    transition = np.array([[float(result.probabilities[i][j]) / (k - 1) if i != j else 0.0 for j in range(k)]
                           for i in range(k)])
    transition += np.diag(1 - transition.sum(axis=1))
    values, vectors = np.linalg.eig(transition.T)
    vector = np.real(vectors[:, np.argmin(np.abs(values - 1))])
    assert [float(p) for p in result.stationary] == pytest.approx(list(vector / vector.sum()), abs=1e-12)
    assert sum(result.stationary) == 1


def test_rare_mutation_distribution_in_floats():
    assert rare_mutation_distribution([[None, 0.1], [0.3, None]], exact=False) == pytest.approx((0.75, 0.25))


# ---------------------------------------------------------------------- simulations
def _band(probability, runs, sigmas=4.0):
    return sigmas * math.sqrt(probability * (1 - probability) / runs)


def test_nashpy_moran_simulation_lands_in_the_binomial_band():
    nashpy = pytest.importorskip("nashpy")
    matrix = np.array([[3, 1], [2, 2]])
    exact = fixation_probabilities(symmetric(matrix.tolist(), ("0", "1")), 6)
    np.random.seed(2026)  # nashpy draws from numpy's global generator
    runs = 1000
    frequencies = nashpy.Game(matrix, matrix.T).fixation_probabilities(
        initial_population=np.array([0, 0, 0, 0, 0, 1]), repetitions=runs)
    fixed_one = frequencies.get((1,) * 6, 0.0)
    rho = float(exact.rho("1", "0"))
    assert abs(fixed_one - rho) <= _band(rho, runs)


def test_our_seeded_simulation_lands_in_the_binomial_band():
    exact = float(fixation_probabilities(STAG_HUNT, 8, F(1, 2)).rho("Hare", "Stag"))
    runs = 1000
    fixed = sum(moran_process(STAG_HUNT, 8, {"Stag": 7, "Hare": 1}, selection=F(1, 2), seed=seed).final[
        "Population"]["Hare"] == 1.0 for seed in range(runs))
    assert abs(fixed / runs - exact) <= _band(exact, runs)


def test_a_run_is_a_trajectory_that_stops_at_fixation():
    run = moran_process(STAG_HUNT, 10, seed=4)
    assert run.rule == "moran" and run.converged
    assert run.states[-1].tolist() in ([1.0, 0.0], [0.0, 1.0])
    assert np.allclose(run.states.sum(axis=1), 1.0)
    assert np.all(np.abs(np.diff(run.states[:, 0])) <= 1 / 10 + 1e-12)  # one birth and one death per step


# ---------------------------------------------------------------------- bad input and limits
def test_bad_input_is_one_line():
    with pytest.raises(NegotiationError, match="not symmetric"):
        fixation_probabilities(ng.Game.from_arrays([[1, 2], [3, 4]], [[1, 2], [3, 4]]), 5)
    with pytest.raises(NegotiationError, match="at least 2"):
        fixation_probabilities(STAG_HUNT, 1)
    with pytest.raises(NegotiationError, match="is negative"):
        fixation_probabilities(symmetric([[-1, 0], [0, 1]]), 5, 1)
    with pytest.raises(NegotiationError, match="non-negative"):
        fixation_probabilities(STAG_HUNT, 5, -1)
    with pytest.raises(NegotiationError, match="sum to 7"):
        moran_process(STAG_HUNT, 8, {"Stag": 7})
    with pytest.raises(NegotiationError, match="unknown strategy"):
        moran_process(STAG_HUNT, 8, {"Deer": 8})


def test_the_limits_are_checked_before_the_work():
    with pytest.raises(SolverLimitError, match="max_population"):
        fixation_probabilities(STAG_HUNT, MAX_POPULATION + 1)
    with pytest.raises(SolverLimitError, match="pairs"):
        fixation_probabilities(symmetric(np.eye(10, dtype=int).tolist()), 1000)
    with pytest.raises(SolverLimitError, match="max_steps"):
        moran_process(STAG_HUNT, 8, steps=10 ** 9)


def test_the_result_renders_its_numbers():
    result = fixation_probabilities(STAG_HUNT, 10, F(1, 10))
    records = result.to_records()
    assert [(r["resident"], r["mutant"]) for r in records] == [("Stag", "Hare"), ("Hare", "Stag")]
    assert records[0]["relative to neutral"] == records[0]["fixation probability"] * 10
    data = result.to_dict()
    assert data["fixation"][0]["fixation probability"] == str(result.rho("Hare", "Stag"))
    assert "Fudenberg and Imhof" in result.to_text()


def test_a_lone_mutant_with_zero_fitness_never_fixes():
    # w = 1: a single Stag among Hares earns S = 0, so it never reproduces: ρ_Stag = 0 exactly, also in floats
    assert fixation_probabilities(STAG_HUNT, 6).rho("Stag", "Hare") == 0
    floats = symmetric([[4.0, 0.0], [3.0, 2.0]], ("Stag", "Hare"))
    assert fixation_probabilities(floats, 6, 1.0).rho("Stag", "Hare") == 0.0
    assert fixation_probabilities(floats, 6, 1.0).rho("Hare", "Stag") == pytest.approx(
        float(fixation_probabilities(STAG_HUNT, 6).rho("Hare", "Stag")), rel=1e-12)
