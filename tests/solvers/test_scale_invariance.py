"""Scale invariance of every solver (issue 16, "tolerances that scale with the payoffs").

Multiplying every payoff of a game by the same ``c > 0`` changes no equilibrium and multiplies every
payoff by ``c``. The property tests draw small games with integer payoffs in ``[-5, 5]`` (ties and
degenerate games are common) as floats and a factor ``c = m · 10**k`` with ``k`` from -300 to 300,
and check, for every solver, that the game times ``c`` has the same equilibria (probabilities within
1e-7) as the game itself, with payoffs multiplied by ``c`` (within 1e-8 of the payoff scale). The
reference is the same float game at scale one; the scaled game differs from it by the rounding of
``c · payoff``, so the comparison also checks that the solvers' tolerances are relative.

Then the three defects reported in issue 16, as regression tests, and the errors that replace
non-finite intermediate values.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, example, given, settings, strategies as st

import negotiation as ng
from negotiation.models.bayesian import BayesianGame
from negotiation.models.continuous import ContinuousGame
from negotiation.models.signaling import SignalingGame
from negotiation.models.tree import GameTree, chance, decision, terminal
from negotiation.results.game import SolveResult
from negotiation.solvers.batch import batch_equilibria, classify_symmetric_batch
from negotiation.solvers.correlated import correlated_equilibria, is_correlated_equilibrium
from negotiation.solvers.pure import enumerate_pure
from negotiation.solvers.quantal_response import logit_branch, logit_qre
from negotiation.solvers.scaling import at_unit_scale
from negotiation.solvers.verify import NumericalError, payoff_exponent, regret_tolerance, verified_equilibrium
from negotiation.solvers.vertex_enumeration import vertex_enumeration

PROBABILITY = 1e-7   # probabilities of the scaled game's equilibria agree with the reference within this
PAYOFF = 1e-8        # payoffs divided by the factor agree within this times the payoff scale (5)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])

payoff = st.integers(-5, 5)
factor = st.builds(lambda mantissa, exponent: mantissa * 10.0 ** exponent,
                   st.floats(1.0, 9.99), st.integers(-300, 300))


def matrices(shape):
    return st.lists(payoff, min_size=math.prod(shape), max_size=math.prod(shape)).map(
        lambda values: np.array(values, dtype=float).reshape(shape))


def bimatrix(A, B, c=1.0) -> ng.Game:
    return ng.Game.from_arrays((A * c).tolist(), (B * c).tolist())


def flat(profile) -> tuple:
    return tuple(float(p) for vector in profile.probabilities for p in vector)


def assert_same_equilibria(base, scaled, c, *, key=lambda e: flat(e.profile)):
    """One-to-one: every equilibrium of ``scaled`` matches one of ``base`` (probabilities), payoffs times ``c``."""
    assert len(base) == len(scaled), (base, scaled)
    unmatched = list(base)
    for equilibrium in scaled:
        match = next((e for e in unmatched if np.allclose(key(e), key(equilibrium), rtol=0, atol=PROBABILITY)), None)
        assert match is not None, (key(equilibrium), [key(e) for e in base])
        unmatched.remove(match)
        assert np.allclose([float(v) / c for v in equilibrium.payoffs], [float(v) for v in match.payoffs],
                           rtol=0, atol=5 * PAYOFF)


# ---------------------------------------------------------------------- strategic form
TWO_PLAYER_METHODS = ("vertex_enumeration", "enumerate_pure", "iterated_elimination", "lemke_howson",
                      "lemke_howson_enumeration")


@FAST
@given(st.sampled_from([(2, 2), (2, 3), (3, 3), (3, 2)]).flatmap(lambda s: st.tuples(matrices(s), matrices(s))),
       factor)
def test_two_player_methods_are_scale_invariant(arrays, c):
    A, B = arrays
    for method in TWO_PLAYER_METHODS:
        base = ng.solve(bimatrix(A, B), method=method)
        scaled = ng.solve(bimatrix(A, B, c), method=method)
        assert base.complete == scaled.complete, method
        assert_same_equilibria(base, scaled, c)
        assert any("regret at most" in m for m in scaled.messages), (method, scaled.messages)


@SLOW
@given(st.tuples(matrices((2, 2, 2)), matrices((2, 2, 2)), matrices((2, 2, 2))), factor)
def test_three_player_methods_are_scale_invariant(arrays, c):
    for method in ("enumerate_pure", "iterated_elimination", "support_enumeration_polynomial"):
        base = ng.solve(ng.Game.from_arrays(*(a.tolist() for a in arrays)), method=method)
        scaled = ng.solve(ng.Game.from_arrays(*((a * c).tolist() for a in arrays)), method=method)
        assert base.complete == scaled.complete, method
        assert_same_equilibria(base, scaled, c)


@SLOW
@given(st.tuples(matrices((2, 2)), matrices((2, 2))), factor)
def test_support_enumeration_polynomial_is_scale_invariant(arrays, c):
    A, B = arrays
    base = ng.solve(bimatrix(A, B), method="support_enumeration_polynomial")
    scaled = ng.solve(bimatrix(A, B, c), method="support_enumeration_polynomial")
    assert base.complete == scaled.complete
    assert_same_equilibria(base, scaled, c)


@FAST
@given(st.sampled_from([(2, 2), (2, 3), (3, 3)]).flatmap(matrices), factor)
def test_linear_program_is_scale_invariant(A, c):
    base = ng.solve(bimatrix(A, -A), method="linear_program")
    scaled = ng.solve(bimatrix(A, -A, c), method="linear_program")
    assert math.isclose(scaled.details["value"] / c, base.details["value"], rel_tol=0, abs_tol=5 * PAYOFF)
    # the optimal strategies may differ (the sets of optimal strategies may be larger): both are optimal
    for equilibrium in scaled:
        assert np.allclose([float(v) / c for v in equilibrium.payoffs], [base.details["value"], -base.details["value"]],
                           rtol=0, atol=5 * PAYOFF)


@SLOW
@given(st.tuples(matrices((2, 2)), matrices((2, 2))), factor)
def test_correlated_is_scale_invariant(arrays, c):
    A, B = arrays
    game, big = bimatrix(A, B), bimatrix(A, B, c)
    base, scaled = ng.solve(game, method="correlated"), ng.solve(big, method="correlated")
    for one, other in zip(base.results, scaled.results):
        assert one.objective == other.objective
        # the optimum may not be unique: its value scales, and each distribution is a CE of the other game
        assert np.allclose([other.payoffs[p] / c for p in game.players], [one.payoffs[p] for p in game.players],
                           rtol=0, atol=1e-6 * 5)
        assert is_correlated_equilibrium(game, other.distribution, tolerance=1e-7)
        assert is_correlated_equilibrium(big, one.distribution, tolerance=1e-7)
    assert len(base.nash_payoffs) == len(scaled.nash_payoffs)


@SLOW
@given(st.tuples(matrices((2, 2)), matrices((2, 2))), factor, st.floats(0.1, 5.0))
def test_logit_qre_precision_scales_inversely(arrays, c, precision):
    # Only λ · payoffs enters the QRE: the game times c at λ / c is the game at λ. The limit (no precision)
    # is traced to the default reach, relative to the payoff unit for float games: the same at every scale.
    A, B = arrays
    base = logit_qre(bimatrix(A, B), precision)
    scaled = logit_qre(bimatrix(A, B, c), precision / c)
    assert np.allclose(flat(scaled[0].profile), flat(base[0].profile), rtol=0, atol=1e-7)
    assert np.allclose([v / c for v in scaled[0].payoffs], base[0].payoffs, rtol=0, atol=5e-7)
    assert math.isclose(scaled.details["precision"] * c, precision, rel_tol=1e-12)
    limit, scaled_limit = logit_qre(bimatrix(A, B)), logit_qre(bimatrix(A, B, c))
    assert np.allclose(flat(scaled_limit[0].profile), flat(limit[0].profile), rtol=0, atol=1e-6)
    reach = limit.details["precision"] / (1 if scaled_limit.game.payoffs.any() else c)  # all zero: no scale
    assert math.isclose(scaled_limit.details["precision"] * c, reach, rel_tol=0.5)  # units: powers of two


@FAST
@given(st.sampled_from([(2, 2), (2, 3), (3, 3)]).flatmap(
    lambda s: st.tuples(st.lists(st.tuples(matrices(s), matrices(s)), min_size=1, max_size=12),
                        st.lists(factor, min_size=12, max_size=12))))
def test_batch_solver_is_scale_invariant(data):
    pairs, factors = data
    A = np.stack([a for a, _ in pairs])
    B = np.stack([b for _, b in pairs])
    c = np.array(factors[:len(pairs)])[:, None, None]
    base, scaled = batch_equilibria(A, B), batch_equilibria(A * c, B * c)
    assert np.array_equal(base.count, scaled.count) and np.array_equal(base.degenerate, scaled.degenerate)
    assert np.array_equal(base.point, scaled.point)
    assert np.allclose(base.row, scaled.row, rtol=0, atol=PROBABILITY)
    assert np.allclose(base.column, scaled.column, rtol=0, atol=PROBABILITY)
    assert np.allclose(scaled.payoffs / c[scaled.point, 0], base.payoffs, rtol=0, atol=5 * PAYOFF)
    if A.shape[1:] == (2, 2):
        symmetric = B.transpose(0, 2, 1)
        assert np.array_equal(classify_symmetric_batch(A, symmetric), classify_symmetric_batch(A * c, symmetric * c))


# ---------------------------------------------------------------------- trees, Bayesian and signaling games
def two_stage_tree(values, c, *, hidden):
    """A moves L/R, then B moves l/r (knowing A's move unless ``hidden``), then chance ends L-branches."""
    v = [float(x) * c for x in values]
    info = {"information_set": "B"} if hidden else {}
    return GameTree.from_nested(("A", "B"), decision("A", {
        "L": decision("B", {"l": chance({"up": ("1/3", terminal(v[0], v[1])), "down": ("2/3", terminal(v[2], v[3]))}),
                            "r": terminal(v[4], v[5])}, **info),
        "R": decision("B", {"l": terminal(v[6], v[7]), "r": terminal(v[8], v[9])}, **info)}))


def tree_key(equilibrium):
    return tuple(float(p) for probs in equilibrium.profile.key() if probs is not None for p in probs)


@FAST
@given(st.lists(payoff, min_size=10, max_size=10), factor)
# degenerate (B indifferent after L-r): complementary pivoting ended elsewhere at c = 7 until the
# sequence form was divided by its largest payoff before pivoting
@example(values=[0, 1, 0, 1, 0, 1, 0, 0, 0, 0], c=7.0)
def test_tree_solvers_are_scale_invariant(values, c):
    for hidden, methods in ((False, ("backward_induction", "vertex_enumeration", "sequence_form")),
                            (True, ("vertex_enumeration", "enumerate_pure", "sequence_form"))):
        for method in methods:
            base = ng.solve(two_stage_tree(values, 1.0, hidden=hidden), method=method)
            scaled = ng.solve(two_stage_tree(values, c, hidden=hidden), method=method)
            assert base.method == scaled.method and base.complete == scaled.complete, method
            assert_same_equilibria(base, scaled, c, key=tree_key)


def bayesian(values, c):
    """Player 2 of two types (prior 1/4, 3/4), two actions each; payoffs from ``values`` (16 numbers)."""
    v = iter(float(x) * c for x in values)
    table = {(t, a1, a2): (next(v), next(v)) for t in ("x", "y") for a1 in "UD" for a2 in "LR"}
    return BayesianGame.from_tables({"2": ["x", "y"]}, {"1": ["U", "D"], "2": ["L", "R"]},
                                    {"2": {"x": 0.25, "y": 0.75}}, lambda t, a: table[t["2"], a["1"], a["2"]])


def bayesian_key(equilibrium):
    return tuple(float(p) for player in equilibrium.profile.probabilities for probs in player for p in probs)


@FAST
@given(st.lists(payoff, min_size=16, max_size=16), factor)
def test_bayesian_solver_is_scale_invariant(values, c):
    for method in ("auto", "enumerate_pure"):
        base, scaled = ng.solve(bayesian(values, 1.0), method=method), ng.solve(bayesian(values, c), method=method)
        assert base.complete == scaled.complete
        assert_same_equilibria(base, scaled, c, key=bayesian_key)


def signaling(values, c):
    """Two types (prior 0.3, 0.7), two messages, two responses; sender and receiver payoffs from ``values``."""
    v = iter(float(x) * c for x in values)
    payoffs = tuple(tuple(tuple((next(v), next(v)) for _ in range(2)) for _ in range(2)) for _ in range(2))
    return SignalingGame("S", "R", ("a", "b"), (0.3, 0.7), ("m", "n"), (("x", "y"), ("x", "y")), payoffs)


@FAST
@given(st.lists(payoff, min_size=16, max_size=16), factor)
def test_signaling_solver_is_scale_invariant(values, c):
    base, scaled = ng.solve(signaling(values, 1.0)), ng.solve(signaling(values, c))
    assert len(base) == len(scaled)
    for one, other in zip(base, scaled):
        assert (one.sender_strategy, one.receiver_strategy) == (other.sender_strategy, other.receiver_strategy)
        assert np.allclose([v / c for v in other.sender_payoffs], one.sender_payoffs, rtol=0, atol=5 * PAYOFF)
        assert math.isclose(other.receiver_payoff / c, one.receiver_payoff, rel_tol=0, abs_tol=5 * PAYOFF)
        assert one.intuitive.survives == other.intuitive.survives
        for m in ("m", "n"):
            first, second = one.belief(m), other.belief(m)
            if isinstance(first, dict):
                assert np.allclose(list(first.values()), list(second.values()), atol=PROBABILITY)
            else:
                assert first.describe() == second.describe()


@SLOW
@given(st.integers(6, 12), st.integers(1, 3), factor)
def test_continuous_solvers_are_scale_invariant(demand, cost, c):
    q1, q2 = sympy.symbols("q1 q2")
    scale = sympy.Float(c)
    results = []
    for s in (sympy.Float(1.0), scale):
        cournot = ContinuousGame(("F1", "F2"), (q1, q2), ((0, 10), (0, 10)),
                                 (s * (demand - q1 - q2 - cost) * q1, s * (demand - q1 - q2 - cost - 1) * q2))
        results.append([ng.solve(cournot, method=m) for m in ("first_order_conditions", "complementarity")])
    for base, scaled in zip(*results):
        assert len(base) == len(scaled) == 1, (base.messages, scaled.messages)
        assert np.allclose([float(v) for v in scaled[0].choices], [float(v) for v in base[0].choices], atol=1e-7)
        assert np.allclose([float(v) / c for v in scaled[0].payoffs], [float(v) for v in base[0].payoffs],
                           rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------------- the defects of issue 16
def pennies(scale):
    return ng.Game.from_arrays([[scale, -scale], [-scale, scale]], [[-scale, scale], [scale, -scale]])


@pytest.mark.parametrize("scale", [1e-10, 1e-200, 3e-300])
def test_enumerate_pure_finds_no_pure_equilibrium_of_tiny_matching_pennies(scale):
    # was: every profile an equilibrium (absolute tolerance 1e-9 against a payoff range floored at 1.0)
    assert len(enumerate_pure(pennies(scale))) == 0
    assert len(ng.solve(pennies(scale), method="enumerate_pure")) == 0


def test_matching_pennies_near_the_float_maximum():
    # was: differences overflowed to inf; vertex enumeration reported a complete result with no
    # equilibrium and enumerate_pure all four profiles
    game = pennies(1.7e308)
    result = vertex_enumeration(game)
    assert result.complete and len(result) == 1
    assert np.allclose(flat(result[0].profile), 0.5, rtol=0, atol=1e-15)
    assert all(abs(v) <= 1e-9 * 1.7e308 for v in result[0].payoffs)
    assert len(enumerate_pure(game)) == 0
    for method in set(TWO_PLAYER_METHODS) - {"enumerate_pure"} | {"linear_program", "support_enumeration_polynomial",
                                                                 "logit_qre"}:
        solved = ng.solve(game, method=method)
        assert len(solved) == 1 and np.allclose(flat(solved[0].profile), 0.5, atol=1e-7), method
        assert all(math.isfinite(v) for v in solved[0].payoffs), method


def test_correlated_and_polynomial_on_payoffs_thirty_orders_apart():
    # was: a traceback from each (Fraction(inf); "int too large to convert to float")
    rows = [[1e300, 1e-300], [1e-300, 1e300]]
    game = ng.Game.from_arrays(rows, rows)
    report = ng.solve(game, method="correlated")
    welfare = report.results[0]
    assert welfare.objective == "welfare" and math.isclose(welfare.payoffs["Player 1"], 1e300, rel_tol=1e-9)
    assert sum(welfare.distribution.values()) == pytest.approx(1)
    direct = correlated_equilibria(pennies(1.7e308), "Player 1")  # the public function, not through a method
    assert math.isfinite(direct.payoffs["Player 1"]) and abs(direct.payoffs["Player 1"]) <= 1e-9 * 1.7e308
    polynomial = ng.solve(game, method="support_enumeration_polynomial")
    assert polynomial.complete
    assert sorted(flat(e.profile) for e in polynomial) == [(0.0, 1.0, 0.0, 1.0), (0.5, 0.5, 0.5, 0.5),
                                                           (1.0, 0.0, 1.0, 0.0)]


def test_logit_limit_of_a_tiny_game_is_its_nash_equilibrium():
    # was: traced to λ = 1e6 whatever the payoffs, so at payoffs of 1e-10 the "limit" was nearly uniform
    dilemma = ng.Game.from_arrays([[3e-10, 0.0], [5e-10, 1e-10]], [[3e-10, 5e-10], [0.0, 1e-10]])
    result = logit_qre(dilemma)
    assert flat(result[0].profile) == (0.0, 1.0, 0.0, 1.0)
    branch = logit_branch(dilemma)
    assert branch.max_precision == 1e6 * 2 ** 30  # 2^-30 is the payoff unit of 5e-10 (0.537 × 2^-30)


def test_exact_games_keep_exact_answers_at_any_size():
    # exact payoffs are never normalised; the float walk of a large game no longer converts 10**400 to float
    big = Fraction(10) ** 400
    A = [[big * ((i * 7 + j * 3) % 5) for j in range(4)] for i in range(4)]
    B = [[big * ((i * 5 + j) % 4) for j in range(4)] for i in range(4)]
    game = ng.Game.from_arrays(A, B)
    result = vertex_enumeration(game)
    reference = vertex_enumeration(ng.Game.from_arrays([[v / big for v in row] for row in A],
                                                       [[v / big for v in row] for row in B]))
    assert result.exact and [e.profile for e in result] == [e.profile for e in reference]
    assert [tuple(v / big for v in e.payoffs) for e in result] == [e.payoffs for e in reference]
    assert not any("regret at most" in m for m in result.messages)


def test_float_results_state_their_tolerance():
    result = ng.solve(pennies(3e-7))
    note = next(m for m in result.messages if "regret at most" in m)
    assert "6e-16" in note and "times the payoff scale" in note and "divided by 2^-21" in note
    assert regret_tolerance(pennies(3e-7)) == pytest.approx(6e-16)


# ---------------------------------------------------------------------- non-finite values are errors
def test_a_complete_result_without_an_equilibrium_is_an_error():
    def broken(game):
        return SolveResult(game=game, equilibria=(), method="broken", exact=False, complete=True)

    with pytest.raises(NumericalError, match=r"^broken: no equilibrium found although the result would be complete"):
        at_unit_scale(broken, "broken")(pennies(1.0))


def test_non_finite_probabilities_and_regrets_are_errors():
    game = pennies(1.0)
    profile = ng.MixedProfile(game.players, game.strategies, ((math.nan, 1.0), (0.5, 0.5)))
    with pytest.raises(NumericalError, match=r"^test: Player 1's probabilities .* not finite numbers"):
        verified_equilibrium(game, profile, method="test")
    with pytest.raises(NumericalError, match="not a finite number"):
        payoff_exponent([1.0, math.inf])


def test_logit_precision_beyond_the_float_range_is_an_error():
    with pytest.raises(ng.NegotiationError, match=r"^logit_qre: precision 1e\+300 times the payoff unit"):
        logit_qre(pennies(1e300), 1e300)
