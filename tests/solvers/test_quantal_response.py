"""Tests for negotiation.solvers.quantal_response (logit QRE and its principal branch).

Independent sources: the logit fixed-point equations solved directly with
scipy.optimize.fsolve at a given λ (McKelvey & Palfrey 1995, Games and Economic
Behavior 10, eq. for the logit QRE), pygambit's own branch tracer (``logit_solve_lambda``),
hand-computed Nash equilibria and closed forms.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st
from scipy.optimize import fsolve

import negotiation as ng
from negotiation.models.profile import regrets
from negotiation.solvers.quantal_response import (
    LogitBranch,
    QuantalResponseError,
    logit_branch,
    logit_qre,
)

F = Fraction


def bimatrix(a, b, labels=None):
    strategies = labels or (tuple(str(i + 1) for i in range(len(a))), tuple(str(j + 1) for j in range(len(a[0]))))
    return ng.Game.from_arrays(a, b, players=("Row", "Column"), strategies=strategies)


# McKelvey & Palfrey (1995), asymmetric matching pennies: Row gets 9 at (1,1), 1 at (2,2), else 0;
# Column gets 1 when they mismatch.
ASYMMETRIC_PENNIES = ([[9, 0], [0, 1]], [[0, 1], [1, 0]])
# A 3x3 game whose principal branch turns back twice in λ (found by scanning random games
# with pygambit's tracer; lambda rises to about 1.2104, falls to 1.1799, rises again).
TURNING = ([[1, 0, 7], [5, 4, 7], [4, 1, 6]], [[2, 5, 9], [4, 8, 7], [3, 2, 9]])


def logit_fixed_point_2x2(a, b, precision):
    """Solve p = σ(λ((A q)_1 - (A q)_2)), q = σ(λ((pB)_1 - (pB)_2)) directly with fsolve.

    Unknowns are the log-odds z = (log p/(1-p), log q/(1-q)) (p, q: probabilities of the first
    strategies), which keeps fsolve inside the simplex; a 2x2 game with a unique, mixed Nash
    equilibrium has a unique QRE at every λ, so the start (uniform) does not matter.
    """
    from scipy.special import expit

    a = np.asarray(a, float)
    b = np.asarray(b, float)

    def equations(z):
        p, q = expit(z)
        row = a @ np.array([q, 1 - q])
        column = np.array([p, 1 - p]) @ b
        return [z[0] - precision * (row[0] - row[1]), z[1] - precision * (column[0] - column[1])]

    solution, info, status, _ = fsolve(equations, [0.0, 0.0], full_output=True, xtol=1e-13)
    assert status == 1 and max(abs(v) for v in equations(solution)) < 1e-10
    return expit(solution)


def logit_fixed_point_path(a, b, precision, increment=1e-2):
    """The principal branch of a bimatrix game at ``precision``, by natural-parameter continuation:
    the logit equations z_ij = λ (u_ij - u_i1) in the log-odds z against each player's first strategy,
    solved with scipy's fsolve at λ = increment, 2·increment, …, precision, each from the previous
    solution (valid where λ increases along the branch: no turning point).
    """
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    rows = a.shape[0]

    def profile(z):
        row = np.concatenate([[0.0], z[:rows - 1]])
        column = np.concatenate([[0.0], z[rows - 1:]])
        p, q = np.exp(row - row.max()), np.exp(column - column.max())
        return p / p.sum(), q / q.sum()

    z = np.zeros(a.shape[0] + a.shape[1] - 2)
    for lam in np.linspace(0.0, precision, int(round(precision / increment)) + 1)[1:]:
        def equations(z, lam=lam):
            p, q = profile(z)
            row, column = a @ q, p @ b
            return np.concatenate([z[:rows - 1] - lam * (row[1:] - row[0]),
                                   z[rows - 1:] - lam * (column[1:] - column[0])])

        z = fsolve(equations, z, xtol=1e-13, full_output=True)[0]  # (its status may be "no progress": converged)
        assert np.max(np.abs(equations(z))) < 1e-10
    return np.concatenate(profile(z))


def logit_residual(game, profile, precision):
    """Largest violation of π_ij = exp(λ u_ij) / Σ_k exp(λ u_ik), computed from scratch."""
    worst = 0.0
    vectors = [np.array(v, float) for v in profile.probabilities]
    for i in range(game.n_players):
        u = np.asarray(game.payoff_array(i), float)
        for k in reversed(range(game.n_players)):
            if k != i:
                u = np.tensordot(u, vectors[k], axes=([k], [0]))
        z = precision * (u - u.max())
        response = np.exp(z) / np.exp(z).sum()
        worst = max(worst, float(np.max(np.abs(response - vectors[i]))))
    return worst


def flat(profile):
    return np.array([float(p) for probs in profile.probabilities for p in probs])


# ---------------------------------------------------------------------- basic facts
def test_qre_at_zero_is_uniform():
    game = bimatrix([[3, 0, 2], [5, 1, 0]], [[3, 5, 1], [0, 1, 2]])
    branch = logit_branch(game, max_precision=10)
    assert branch.precisions[0] == 0
    assert np.allclose(branch.profile(0).probabilities[0], (0.5, 0.5))
    assert np.allclose(branch.profile(0).probabilities[1], (1 / 3, 1 / 3, 1 / 3))
    assert np.allclose(flat(branch.at(0.0)), [0.5, 0.5, 1 / 3, 1 / 3, 1 / 3])


def test_matching_pennies_qre_is_uniform_for_every_precision():
    # The uniform profile makes every payoff difference zero, so it solves the logit
    # equations at every λ; the QRE of matching pennies is unique (McKelvey & Palfrey 1995).
    pennies = bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    branch = logit_branch(pennies, max_precision=1e4)
    assert np.allclose(branch.probabilities, 0.5, atol=1e-9)
    assert branch.max_precision == 1e4
    for lam in (0.3, 7.0, 500.0):
        assert np.allclose(flat(branch.at(lam)), 0.5, atol=1e-9)


@pytest.mark.parametrize("precision", [0.2, 0.5, 1.0, 2.0, 5.0, 20.0])
def test_asymmetric_pennies_matches_direct_fixed_point_solve(precision):
    a, b = ASYMMETRIC_PENNIES
    game = bimatrix(a, b)
    branch = logit_branch(game, max_precision=50)
    p, q = logit_fixed_point_2x2(a, b, precision)
    profile = branch.at(precision)
    assert profile["Row"]["1"] == pytest.approx(p, abs=1e-8)
    assert profile["Column"]["1"] == pytest.approx(q, abs=1e-8)
    assert logit_residual(game, profile, precision) < 1e-9


# Gambit's logit tracer on these three games is committed in tests/reference/logit_branches.json (regenerated
# by tests/reference/generate_gambit_reference.py from logit_corpus); the default suite compares with it, the
# `gambit` suite (pytest -m gambit) asks pygambit live.
def three_player_arrays():
    rng = np.random.default_rng(7)
    return [rng.integers(0, 10, size=(2, 2, 2)) for _ in range(3)]


def logit_corpus():
    """(name, payoff arrays, precisions λ where Gambit's branch is compared, tolerance in max norm)."""
    yield "asymmetric pennies", ASYMMETRIC_PENNIES, (0.5, 1.0, 5.0, 50.0), 1e-7
    yield "three players", three_player_arrays(), (0.3, 1.0, 4.0), 1e-7
    yield "turning", TURNING, (0.5, 1.0, 1.19, 2.0, 10.0), 1e-6


def _branch_of(name, arrays):
    if name == "asymmetric pennies":
        return logit_branch(bimatrix(*arrays), max_precision=100)
    if name == "turning":
        return logit_branch(bimatrix(*arrays))
    return logit_branch(ng.Game.from_arrays(*arrays))


def _gambit_logit_case(reference, name):
    (case,) = [c for c in reference["cases"] if c["name"] == name]
    (_, arrays, lams, tolerance), = [c for c in logit_corpus() if c[0] == name]
    assert case["payoffs"] == np.asarray(arrays).tolist()  # Gambit traced the game we build
    assert (tuple(case["lambdas"]), case["tolerance"]) == (lams, tolerance)
    return case


@pytest.mark.parametrize("name", ["asymmetric pennies", "turning"])
def test_two_player_branches_agree_with_gambit(gambit_reference, name):
    case = _gambit_logit_case(gambit_reference("logit_branches"), name)
    branch = _branch_of(name, case["payoffs"])
    for lam, theirs in zip(case["lambdas"], case["profiles"]):
        assert np.max(np.abs(flat(branch.at(lam)) - np.array(theirs))) < case["tolerance"], lam


@pytest.mark.gambit
@pytest.mark.parametrize("name", ["asymmetric pennies", "three players", "turning"])
def test_branches_agree_with_live_pygambit(name):
    gbt = pytest.importorskip("pygambit")
    (_, arrays, lams, tolerance), = [c for c in logit_corpus() if c[0] == name]
    branch = _branch_of(name, arrays)
    oracle = gbt.Game.from_arrays(*[np.array(a) for a in arrays])
    for lam, point in zip(lams, gbt.qre.logit_solve_lambda(oracle, lam=list(lams), use_strategic=True)):
        theirs = np.array([float(point.profile[s]) for s in oracle.strategies])
        assert np.max(np.abs(flat(branch.at(lam)) - theirs)) < tolerance


def test_asymmetric_pennies_limit_is_the_mixed_equilibrium():
    # Hand computation: Column indifferent <=> p = 1 - p <=> p = 1/2; Row indifferent <=> 9q = 1 - q
    # <=> q = 1/10. The branch approaches it with error O(1/λ).
    branch = logit_branch(bimatrix(*ASYMMETRIC_PENNIES))
    limit = branch.limit()
    assert limit.matched and limit.method == "vertex_enumeration"
    assert limit.profile.probabilities == ((F(1, 2), F(1, 2)), (F(1, 10), F(9, 10)))
    assert limit.distance < 1e-4
    assert limit.precision == 1e6
    # Row over-plays its big-payoff strategy along the whole branch (McKelvey & Palfrey 1995)
    assert np.all(branch.probability("Row", "1")[1:] > 0.5)


def test_prisoners_dilemma_converges_to_dominant_strategies():
    pd = bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], labels=(("C", "D"), ("C", "D")))
    branch = logit_branch(pd)
    limit = branch.limit()
    assert limit.profile.describe() == "Row: D; Column: D"
    assert limit.distance < 1e-4
    # D strictly dominates (by 2 if the other plays C, by 1 if D): P(D) rises with λ
    assert np.all(np.diff(branch.probability("Row", "D")) >= -1e-12)


def volunteers_dilemma(cost):
    """n = 3 volunteer's dilemma (Diekmann 1985): volunteering pays 1 - cost; otherwise 1 if someone volunteers."""
    payoffs = np.empty((2, 2, 2, 3), dtype=object)
    for profile in itertools.product(range(2), repeat=3):
        for i in range(3):
            if profile[i] == 0:
                payoffs[profile + (i,)] = 1 - cost
            else:
                payoffs[profile + (i,)] = 1 if any(profile[k] == 0 for k in range(3) if k != i) else 0
    return ng.Game(("A", "B", "C"), (("Volunteer", "Ignore"),) * 3, payoffs)


def test_three_player_volunteers_dilemma_converges_to_symmetric_mixed_equilibrium():
    # Symmetric equilibrium: 1 - c = 1 - (1 - v)^2  =>  v = 1 - sqrt(c) = 1/2 for c = 1/4.
    # The branch starts symmetric and the game is symmetric, so it stays on the diagonal,
    # where the only Nash equilibrium is v = 1/2 (all-volunteer and nobody-volunteers are not).
    branch = logit_branch(volunteers_dilemma(F(1, 4)))
    last = branch.probabilities[-1]
    assert branch.max_precision == 1e6
    assert np.max(np.abs(last - 0.5)) < 1e-4
    # enumerate_pure lists no mixed equilibria; the limit is recovered by rounding and checked exactly
    limit = branch.limit()
    assert limit.matched and limit.method.startswith("rounding")
    assert limit.profile.probabilities == ((F(1, 2), F(1, 2)),) * 3


def test_degenerate_game_limit_inside_a_component():
    # Row's strategies 2 and 3 are identical, so they are played 1/2-1/2 all along the branch
    # (equal payoffs give equal logit probabilities); Column's strategy 1 strictly dominates
    # (2 > 0, 2 > 1, 2 > 0 row by row). Limit: Row 1/2 2 + 1/2 3 (each paying 3) against 1,
    # a point inside a component whose extreme points are Row 2 and Row 3.
    game = bimatrix([[0, 1], [3, 0], [3, 0]], [[2, 0], [2, 1], [2, 0]])
    branch = logit_branch(game)
    assert np.allclose(branch.probability("Row", "2"), branch.probability("Row", "3"), atol=1e-12)
    limit = branch.limit()
    assert limit.profile.probabilities == ((F(0), F(1, 2), F(1, 2)), (F(1), F(0)))
    assert limit.distance < 1e-4


def test_three_player_game_agrees_with_gambit_and_reaches_pure_equilibrium(gambit_reference):
    case = _gambit_logit_case(gambit_reference("logit_branches"), "three players")
    game = ng.Game.from_arrays(*three_player_arrays())
    branch = logit_branch(game)
    for lam, theirs in zip(case["lambdas"], case["profiles"]):
        assert np.max(np.abs(flat(branch.at(lam)) - np.array(theirs))) < case["tolerance"], lam
    limit = branch.limit()
    assert limit.matched and limit.distance < 1e-4
    # the matched profile is a pure equilibrium: check zero regret from scratch
    assert max(regrets(game, limit.profile)) == 0


def test_stag_hunt_limit_is_risk_dominant_not_payoff_dominant():
    # Stag hunt: (S,S) = 4 each, S against H = 0, H = 3 whatever the other does.
    # Deviation losses (Harsanyi & Selten 1988, risk dominance in 2x2 games):
    # at (S,S): 4 - 3 = 1; at (H,H): 3 - 0 = 3; 3 > 1, so (H,H) risk-dominates, though (S,S)
    # pays more. Along the symmetric branch, with p = Pr(S): λ = logit(p) / (4p - 3 + 3(1-p) ... )
    # i.e. λ = log(p/(1-p)) / (u_S - u_H) with u_S - u_H = 4p - 3 < 0 near p = 1/2, so p falls
    # from 1/2 towards 0: the branch heads to (H,H).
    stag = bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]], labels=(("Stag", "Hare"), ("Stag", "Hare")))
    limit = logit_branch(stag).limit()
    assert limit.profile.describe() == "Row: Hare; Column: Hare"
    assert limit.distance < 1e-4


@pytest.mark.parametrize("a, b, expected", [(3, 1, "1"), (1, 3, "2"), (2, 1, "1")])
def test_symmetric_coordination_selects_risk_dominant(a, b, expected):
    # A = [[a, 0], [0, b]]: strategy 1 risk-dominates iff a > b (deviation losses a and b).
    # Symmetric QRE: λ = log(p/(1-p)) / ((a + b) p - b), whose branch from p = 1/2 goes to
    # p -> 1 when a > b and p -> 0 when a < b (the denominator has the sign of a - b at 1/2).
    game = bimatrix([[a, 0], [0, b]], [[a, 0], [0, b]])
    branch = logit_branch(game)
    limit = branch.limit()
    assert limit.profile.describe() == f"Row: {expected}; Column: {expected}"
    assert limit.distance < 1e-4
    # the branch stays symmetric
    assert np.allclose(branch.probabilities[:, :2], branch.probabilities[:, 2:], atol=1e-9)


def test_turning_points_are_followed():
    game = bimatrix(*TURNING)
    branch = logit_branch(game)
    turns = branch.turning_points
    assert len(turns) == 2
    assert turns[0] == pytest.approx(1.2104, abs=2e-3) and turns[1] == pytest.approx(1.1799, abs=2e-3)
    assert any("turns back" in m for m in branch.messages)
    # At λ = 1.19 (between the turns) the branch passes three times: three distinct QRE.
    points = branch.all_at(1.19)
    assert len(points) == 3
    for point in points:
        assert logit_residual(game, point, 1.19) < 1e-8
    vectors = [flat(p) for p in points]
    assert min(np.max(np.abs(u - v)) for u, v in itertools.combinations(vectors, 2)) > 0.01
    # every traced point solves the logit equations
    for k in range(0, len(branch), 5):
        assert logit_residual(game, branch.profile(k), branch.precisions[k]) < 1e-7
    assert branch.limit().profile.describe() == "Row: 2; Column: 2"


# ---------------------------------------------------------------------- properties
@settings(max_examples=12, deadline=None)
@given(st.integers(2, 3), st.integers(2, 3), st.integers(0, 10 ** 6),
       st.floats(0.05, 8.0, allow_nan=False))
def test_branch_points_solve_logit_equations(rows, columns, seed, precision):
    rng = np.random.default_rng(seed)
    a = rng.integers(-5, 6, size=(rows, columns))
    b = rng.integers(-5, 6, size=(rows, columns))
    game = bimatrix(a.tolist(), b.tolist())
    branch = logit_branch(game, max_precision=10)
    assert branch.precisions[0] == 0 and branch.max_precision == pytest.approx(10)
    sums = [branch.probabilities[:, :rows].sum(axis=1), branch.probabilities[:, rows:].sum(axis=1)]
    assert np.allclose(sums, 1.0, atol=1e-9)
    for point in branch.all_at(precision):
        assert logit_residual(game, point, precision) < 1e-8


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10 ** 6), st.floats(0.1, 5.0), st.integers(1, 5))
@example(seed=1861, precision=1.0, factor=2)  # once jumped branches (see the test above)
def test_positive_scaling_rescales_precision(seed, precision, factor):
    # QRE of (c·A, c·B) at λ equal the QRE of (A, B) at c·λ (only λ·payoffs enters).
    rng = np.random.default_rng(seed)
    a = rng.integers(-4, 5, size=(2, 3))
    b = rng.integers(-4, 5, size=(2, 3))
    base = logit_branch(bimatrix(a.tolist(), b.tolist()), max_precision=30)
    scaled = logit_branch(bimatrix((factor * a).tolist(), (factor * b).tolist()), max_precision=10)
    if len(base.turning_points) or len(scaled.turning_points):
        return
    assert np.allclose(flat(scaled.at(precision)), flat(base.at(factor * precision)), atol=1e-7)


def random_2x3(seed):
    rng = np.random.default_rng(seed)
    return rng.integers(-4, 5, size=(2, 3)), rng.integers(-4, 5, size=(2, 3))


def test_scaling_example_seed_1861_stays_on_the_principal_branch():
    # The hypothesis example that once failed test_positive_scaling_rescales_precision
    # (seed=1861, precision=1.0, factor=2). The branch of (A, B) bends sharply near λ ≈ 1.2–1.45 while
    # another piece of the QRE correspondence passes close by; a long step from λ = 1.20 used to land
    # on it (λ = 1.45, Row plays 1 with probability 0.664 instead of 0.622), both tangents within
    # the angle test. Expected: natural-parameter continuation with fsolve (pygambit agrees:
    # 0.54348, 0.45652, 0.01365, 0.92647, 0.05988 at λ = 2).
    a, b = random_2x3(1861)
    expected = logit_fixed_point_path(a, b, 2.0)
    base = logit_branch(bimatrix(a.tolist(), b.tolist()), max_precision=30)
    scaled = logit_branch(bimatrix((2 * a).tolist(), (2 * b).tolist()), max_precision=10)
    assert np.max(np.abs(flat(base.at(2.0)) - expected)) < 1e-7
    assert np.max(np.abs(flat(scaled.at(1.0)) - expected)) < 1e-7
    assert np.allclose(flat(scaled.at(1.0)), flat(base.at(2.0)), atol=1e-7)


@pytest.mark.parametrize("seed, precision", [(535, 10.0), (2891, 5.0)])
def test_branch_does_not_jump_across_a_near_bifurcation(seed, precision):
    # Degenerate-looking games (found by comparing with pygambit over 3000 random 2x3 games) where
    # the branch turns sharply where another piece of the correspondence comes close (the augmented
    # Jacobian nearly singular, at λ ≈ 5.8 for seed 535); a long step used to continue straight onto
    # that piece, whose orientation is the opposite one.
    a, b = random_2x3(seed)
    branch = logit_branch(bimatrix(a.tolist(), b.tolist()), max_precision=30)
    expected = logit_fixed_point_path(a, b, precision)
    assert np.max(np.abs(flat(branch.at(precision)) - expected)) < 1e-7


def test_branch_passes_an_exact_bifurcation_point():
    # Seed 351: Row's payoffs [[1, 1, -3], [0, 2, -3]] make the branch cross another curve of QRE
    # at λ ≈ 2.0012 (the Jacobian is singular there); the branch continues straight through.
    a, b = random_2x3(351)
    branch = logit_branch(bimatrix(a.tolist(), b.tolist()), max_precision=30)
    assert branch.max_precision == 30
    assert any("bifurcation point near λ = 2.001" in m for m in branch.messages)
    assert np.max(np.abs(flat(branch.at(3.0)) - logit_fixed_point_path(a, b, 3.0))) < 1e-7


# ---------------------------------------------------------------------- result types and errors
def test_logit_qre_result():
    game = bimatrix(*ASYMMETRIC_PENNIES)
    result = logit_qre(game, 2.0)
    assert result.method == "logit_qre" and result.exact is False and result.complete is False
    assert result.details["precision"] == 2.0
    p, q = logit_fixed_point_2x2(*ASYMMETRIC_PENNIES, 2.0)
    assert result[0].profile["Row"]["1"] == pytest.approx(p, abs=1e-8)
    # a QRE at finite λ is not a Nash equilibrium: positive regret, reported
    assert result[0].regret > 0.01
    data = result.to_dict()
    assert data["method"] == "logit_qre" and data["details"]["precision"] == 2.0
    limit = logit_qre(game)
    assert limit.exact and limit[0].profile.probabilities == ((F(1, 2), F(1, 2)), (F(1, 10), F(9, 10)))
    assert limit[0].regret == 0


def test_records_frame_and_table():
    branch = logit_branch(bimatrix(*ASYMMETRIC_PENNIES), max_precision=100)
    records = branch.to_records()
    assert len(records) == len(branch)
    assert list(records[0]) == ["precision", "Row: 1", "Row: 2", "Column: 1", "Column: 2"]
    assert records[0]["Row: 1"] == pytest.approx(0.5)
    frame = branch.to_frame()
    assert frame.shape == (len(branch), 5)
    table = branch.table((0, 1, 10))  # a core.document.Table (was a text table): one row per λ
    assert "Row: 1" in table.header and len(table.rows) == 3
    assert "Row: 1" in branch.to_text() and branch.to_dict()["method"] == "logit_branch"
    assert "LogitBranch(" in repr(branch) and isinstance(branch, LogitBranch)


def test_plot_has_labelled_log_axis():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    branch = logit_branch(bimatrix(*ASYMMETRIC_PENNIES), max_precision=1000)
    fig = branch.plot()
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert "λ" in ax.get_xlabel() and ax.get_ylabel() == "probability"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Row: 1", "Row: 2", "Column: 1", "Column: 2"]
    assert len(ax.get_lines()) == 4
    plt.close(fig)


def test_errors_are_one_line_value_errors():
    import sympy

    c = sympy.Symbol("c")
    symbolic = ng.Game.from_arrays([[0, -c], [1, 1 - c]], [[0, 1], [-c, 1 - c]])
    with pytest.raises(QuantalResponseError, match="substitute"):
        logit_branch(symbolic)
    game = bimatrix(*ASYMMETRIC_PENNIES)
    with pytest.raises(ValueError, match="max_precision -1"):
        logit_branch(game, max_precision=-1)
    with pytest.raises(QuantalResponseError, match="step"):
        logit_branch(game, step=0)
    branch = logit_branch(game, max_precision=10)
    with pytest.raises(QuantalResponseError, match="beyond the traced branch"):
        branch.at(11)
    with pytest.raises(QuantalResponseError, match="precision 'x'"):
        branch.at("x")
    with pytest.raises(QuantalResponseError, match="unknown strategy"):
        branch.probability("Row", "9")
