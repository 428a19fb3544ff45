"""Maximum-likelihood logit QRE (negotiation.solvers.qre_estimation): closed forms of decision problems and
games with dominant strategies, Gambit's fits of the same counts, parameter recovery from simulated data, the
likelihood-ratio test against Nash by hand, and the counts file."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.stats import chi2

import negotiation as ng
from negotiation.solvers.qre_estimation import (MAX_ESTIMATION_ITERATIONS, MAX_FITTED_PARAMETERS, EstimationError,
                                                estimate_qre, read_counts)

REFERENCE = Path(__file__).resolve().parent / "reference"


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


# ---------------------------------------------------------------------- closed forms
def test_decision_problem_is_the_conditional_logit():
    """One player choosing among a, b, c worth 2, 0, 1: the score equation says the fitted mean payoff equals the
    observed mean payoff, and the information is N times the variance of the payoff under the fit."""
    game = ng.Game.from_arrays([2, 0, 1], players=("Decider",), strategies=(("a", "b", "c"),))
    counts = {"a": 50, "b": 10, "c": 40}
    payoffs = np.array([2.0, 0.0, 1.0])
    observed_mean = (2 * 50 + 0 * 10 + 1 * 40) / 100

    def probabilities(lam):
        weights = np.exp(lam * payoffs)
        return weights / weights.sum()

    lam = brentq(lambda x: probabilities(x) @ payoffs - observed_mean, 1e-9, 50, xtol=1e-14)
    p = probabilities(lam)
    variance = p @ payoffs ** 2 - (p @ payoffs) ** 2
    fit = estimate_qre(game, {"Decider": counts})
    assert fit.precision == pytest.approx(lam, rel=1e-7)
    assert fit.standard_errors["lambda"] == pytest.approx(1 / math.sqrt(100 * variance), rel=1e-5)
    assert fit.log_likelihood == pytest.approx(50 * math.log(p[0]) + 10 * math.log(p[1]) + 40 * math.log(p[2]))


def test_dominant_strategies_with_different_gains():
    """Row gains 1 by D and Column gains 2 by R whatever the other does: each is a binary logit,
    π(D) = σ(λ), π(R) = σ(2λ); the score 1·(n_D - N σ(λ)) + 2·(n_R - N σ(2λ)) = 0 and the information
    N σ(λ)(1-σ(λ)) + 4 N σ(2λ)(1-σ(2λ)) are written out here."""
    game = ng.Game.from_arrays([[0, 0], [1, 1]], [[0, 2], [0, 2]], strategies=(("U", "D"), ("L", "R")))
    fit = estimate_qre(game, {"Player 1": {"U": 35, "D": 65}, "Player 2": {"L": 10, "R": 90}})
    lam = brentq(lambda x: (65 - 100 * _sigmoid(x)) + 2 * (90 - 100 * _sigmoid(2 * x)), 1e-9, 20, xtol=1e-14)
    information = 100 * _sigmoid(lam) * (1 - _sigmoid(lam)) + 4 * 100 * _sigmoid(2 * lam) * (1 - _sigmoid(2 * lam))
    assert fit.precision == pytest.approx(lam, rel=1e-7)
    assert fit.standard_errors["lambda"] == pytest.approx(information ** -0.5, rel=1e-5)
    assert fit.fitted["Player 2"]["R"] == pytest.approx(_sigmoid(2 * lam), rel=1e-9)
    assert fit.aic == pytest.approx(2 - 2 * fit.log_likelihood)


@settings(max_examples=12, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), st.integers(1, 60))
def test_donation_game_fit_is_the_pooled_logit(cooperate_1, cooperate_2, extra):
    """Defection gains exactly 1 for both (a donation game): λ̂ = logit of the pooled defection frequency."""
    defect = cooperate_1 + cooperate_2 + extra  # more defection than cooperation: λ̂ > 0
    game = ng.Game.from_arrays([[3, 0], [4, 1]], [[3, 4], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    counts = {"Player 1": {"C": cooperate_1, "D": defect}, "Player 2": {"C": cooperate_2, "D": defect}}
    share = 2 * defect / (2 * defect + cooperate_1 + cooperate_2)
    assert estimate_qre(game, counts).precision == pytest.approx(math.log(share / (1 - share)), rel=1e-6)


def test_likelihood_ratio_against_a_mixed_nash_by_hand():
    """Asymmetric matching pennies: Nash is U with 1/2 (Column indifferent) and L with 1/10 (9q = 1 - q)."""
    game = ng.Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]], strategies=(("U", "D"), ("L", "R")))
    fit = estimate_qre(game, {"Player 1": {"U": 30, "D": 20}, "Player 2": {"L": 15, "R": 35}})
    nash = 50 * math.log(0.5) + 15 * math.log(0.1) + 35 * math.log(0.9)
    assert fit.nash_log_likelihood == pytest.approx(nash, rel=1e-12)
    statistic = 2 * (fit.log_likelihood - nash)
    assert fit.lr_statistic == pytest.approx(statistic, rel=1e-10)
    assert fit.p_value == pytest.approx(0.5 * chi2.sf(statistic, 1), rel=1e-9)  # ½χ²₀ + ½χ²₁
    assert [float(p) for p in fit.nash.vector("Player 2")] == [0.1, 0.9]


def test_counts_on_a_strict_nash_give_lambda_at_infinity_and_one_deviation_rejects_it():
    game = ng.Game.from_arrays([[3, 0], [4, 1]], [[3, 4], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    on_nash = estimate_qre(game, {"Player 1": {"D": 40}, "Player 2": {"D": 40}})
    assert on_nash.at_infinity and on_nash.precision == math.inf and on_nash.p_value == 1.0
    assert on_nash.log_likelihood == 0.0  # every observation has probability 1 at the limit
    off = estimate_qre(game, {"Player 1": {"C": 1, "D": 40}, "Player 2": {"D": 40}})
    assert off.nash_log_likelihood == -math.inf and off.lr_statistic == math.inf and off.p_value == 0.0


# ---------------------------------------------------------------------- Gambit
def gambit_estimation_corpus() -> list:
    """The cases Gambit fits (tests/reference/generate_gambit_qre_reference.py): payoffs per player, counts."""
    return [
        {"name": "asymmetric pennies", "payoffs": [[[9, 0], [0, 1]], [[0, 1], [1, 0]]],
         "counts": [[30, 20], [15, 35]]},
        {"name": "donation prisoner's dilemma", "payoffs": [[[3, 0], [4, 1]], [[3, 4], [0, 1]]],
         "counts": [[20, 80], [30, 70]]},
        {"name": "3x3 cyclic", "payoffs": [[[0, -1, 2], [1, 0, -1], [-1, 2, 0]], [[0, 2, -1], [-1, 0, 2], [1, -1, 0]]],
         "counts": [[40, 35, 25], [20, 50, 30]]},
        {"name": "2x3 entry", "payoffs": [[[2, 0, 1], [1, 2, 0]], [[1, 0, 2], [0, 2, 1]]],
         "counts": [[60, 40], [10, 30, 60]]},
        {"name": "stag hunt", "payoffs": [[[4, 0], [3, 3]], [[4, 3], [0, 3]]], "counts": [[30, 70], [35, 65]]},
    ]


def _game(case):
    return ng.Game.from_arrays(*case["payoffs"], strategies=tuple(
        tuple(f"s{j + 1}" for j in range(len(c))) for c in case["counts"]))


def _counts(game, case):
    return {p: dict(zip(labels, row)) for p, labels, row in zip(game.players, game.strategies, case["counts"])}


def _check_against(case, expected):
    game = _game(case)
    fit = estimate_qre(game, _counts(game, case))
    tolerance = expected["tolerance"]
    assert fit.precision == pytest.approx(expected["lambda"], rel=tolerance)
    assert fit.log_likelihood == pytest.approx(expected["log_likelihood"], rel=tolerance)
    fitted = [float(p) for probs in fit.fitted.probabilities for p in probs]
    assert fitted == pytest.approx(expected["profile"], abs=tolerance)


def _generator():
    """The generator script of the reference file (tests/reference is not a package)."""
    spec = importlib.util.spec_from_file_location("generate_gambit_qre_reference",
                                                  REFERENCE / "generate_gambit_qre_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reference():
    return json.loads((REFERENCE / "gambit_qre_estimates.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("index", range(len(gambit_estimation_corpus())))
def test_agrees_with_gambits_committed_fit(index):
    case, expected = gambit_estimation_corpus()[index], _reference()["cases"][index]
    assert (expected["name"], expected["payoffs"], expected["counts"]) == (case["name"], case["payoffs"],
                                                                          case["counts"])
    _check_against(case, expected)


def test_reference_file_header_and_rendering():
    generator = _generator()
    data = _reference()
    assert data["corpus"] == "gambit_qre_estimates" and data["pygambit"] == generator.PYGAMBIT_VERSION
    assert data["generator"] == generator.GENERATOR and data["command"] == f"python {generator.GENERATOR}"
    body = {k: v for k, v in data.items() if k not in ("corpus", "pygambit", "generator", "command", "date")}
    assert generator.render(body, data["pygambit"], data["date"]) == \
        (REFERENCE / "gambit_qre_estimates.json").read_text(encoding="utf-8")


@pytest.mark.gambit
def test_agrees_with_live_gambit_and_the_file_regenerates():
    gbt = pytest.importorskip("pygambit")
    generator = _generator()
    for case in gambit_estimation_corpus():
        _check_against(case, {**generator.fit(gbt, case), "tolerance": generator.TOLERANCE})
    if gbt.__version__ == generator.PYGAMBIT_VERSION:
        assert generator.rendered(gbt) == (REFERENCE / "gambit_qre_estimates.json").read_text(encoding="utf-8")


# ---------------------------------------------------------------------- parameter recovery
def _simulate(game, lam, size, rng):
    profile = ng.logit_qre(game, lam)[0].profile
    return {p: dict(zip(labels, rng.multinomial(size, np.array(probs, dtype=float) / sum(probs)).tolist()))
            for p, labels, probs in zip(game.players, game.strategies, profile.probabilities)}


def test_recovers_lambda_and_the_standard_error_matches_the_spread():
    game = _game(gambit_estimation_corpus()[2])
    rng = np.random.default_rng(20261208)
    big = estimate_qre(game, _simulate(game, 0.8, 20000, rng))
    assert abs(big.precision - 0.8) < 4 * big.standard_errors["lambda"]
    estimates, errors = [], []
    for _ in range(30):
        fit = estimate_qre(game, _simulate(game, 0.8, 400, rng))
        estimates.append(fit.precision)
        errors.append(fit.standard_errors["lambda"])
    spread, typical = float(np.std(estimates, ddof=1)), float(np.mean(errors))
    # with 30 replications the sample standard deviation is within -30 %, +35 % of the truth with probability
    # above 0.99 (its relative standard error is 1/sqrt(58) = 13 %)
    assert 0.7 < spread / typical < 1.35
    assert abs(np.mean(estimates) - 0.8) < 4 * typical / math.sqrt(30)


def test_recovers_a_payoff_parameter_jointly_with_lambda():
    a = sympy.Symbol("a")
    game = ng.Game.from_arrays([[a, 0], [0, 1]], [[0, 1], [1, 0]], strategies=(("U", "D"), ("L", "R")))
    truth = game.substitute(a=3)
    fit = estimate_qre(game, _simulate(truth, 1.5, 20000, np.random.default_rng(7)), parameters={"a": 1.0})
    assert list(fit.estimates) == ["lambda", "a"]
    assert abs(fit.precision - 1.5) < 4 * fit.standard_errors["lambda"]
    assert abs(fit.estimates["a"] - 3) < 4 * fit.standard_errors["a"]
    assert fit.covariance.shape == (2, 2) and fit.parameters["a"] == pytest.approx(fit.estimates["a"])


def test_unidentified_parameters_have_no_standard_errors():
    """Scaling every payoff by c: only λ·c is identified; the information matrix is singular."""
    c = sympy.Symbol("c")
    game = ng.Game.from_arrays([[c, 0], [0, c]], [[0, c], [c, 0]], strategies=(("U", "D"), ("L", "R")))
    fit = estimate_qre(game, {"Player 1": {"U": 60, "D": 40}, "Player 2": {"L": 45, "R": 55}},
                       parameters={"c": 1.0})
    assert all(math.isnan(v) for v in fit.standard_errors.values())
    assert any("not identified" in m for m in fit.messages)


# ---------------------------------------------------------------------- the counts and the options
def test_counts_file(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("player,strategy,count\nPlayer 1,U,30\nPlayer 1,D,20\nPlayer 2,L,15\nPlayer 2,R,35\n")
    assert read_counts(path) == {"Player 1": {"U": 30, "D": 20}, "Player 2": {"L": 15, "R": 35}}
    game = ng.Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]], strategies=(("U", "D"), ("L", "R")))
    assert estimate_qre(game, path).precision == pytest.approx(_reference()["cases"][0]["lambda"], rel=1e-6)


@pytest.mark.parametrize("text, message", [
    ("player,count\n", "expected the header 'player,strategy,count'"),
    ("player,strategy,count\nPlayer 1,U,-3\n", "line 2: count '-3': expected a finite non-negative number"),
    ("player,strategy,count\nPlayer 1,U,x\n", "expected a non-negative number"),
    ("player,strategy,count\nPlayer 1,U\n", "line 2: expected 3 fields"),
    ("player,strategy,count\nPlayer 1,U,1\nPlayer 1,U,2\n", "line 3: strategy 'U' of 'Player 1' appears twice"),
])
def test_bad_counts_files(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(EstimationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_counts(path)


def test_bad_input_is_one_line():
    a = sympy.Symbol("a")
    game = ng.Game.from_arrays([[a, 0], [0, 1]], [[0, 1], [1, 0]], strategies=(("U", "D"), ("L", "R")))
    numeric = game.substitute(a=2)
    good = {"Player 1": {"U": 3}}
    cases = [
        (lambda: estimate_qre(numeric, {"Nobody": {"U": 1}}), "unknown player 'Nobody'"),
        (lambda: estimate_qre(numeric, {"Player 1": {"X": 1}}), "unknown strategy 'X' of 'Player 1'"),
        (lambda: estimate_qre(numeric, {"Player 1": {"U": 0}}), "no observations"),
        (lambda: estimate_qre(numeric, good, parameters=["b"]), "fitted parameter 'b'"),
        (lambda: estimate_qre(game, good), "parameter 'a' has no value"),
        (lambda: estimate_qre(game, good, parameters=["a"] * (MAX_FITTED_PARAMETERS + 1)), "MAX_FITTED_PARAMETERS"),
        (lambda: estimate_qre(numeric, good, max_iterations=MAX_ESTIMATION_ITERATIONS + 1),
         "MAX_ESTIMATION_ITERATIONS"),
        (lambda: estimate_qre(numeric, good, tolerance=1), "tolerance 1"),
    ]
    for call, message in cases:
        with pytest.raises(EstimationError, match=message) as error:
            call()
        assert "\n" not in str(error.value)


def test_a_scenario_fits_its_own_parameters():
    scenario = ng.load("security_dilemma")
    name = scenario.parameters.names[0]
    truth = scenario.game_at()
    fit = ng.estimate_qre(scenario, _simulate(truth, 0.5, 5000, np.random.default_rng(3)))
    assert fit.parameters[name] == scenario.resolve()[name] and fit.precision > 0


# ---------------------------------------------------------------------- the command line
def _cli(argv, capsys):
    from negotiation.cli import main

    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_fits_a_bundled_scenario_and_its_parameter(tmp_path, capsys):
    counts = tmp_path / "counts.csv"
    counts.write_text("player,strategy,count\nNATO,Restrain,25\nNATO,Deploy,75\nRussia,Restrain,30\nRussia,Deploy,70\n")
    status, out, _ = _cli(["estimate", "security_dilemma", "--counts", str(counts), "--format", "json"], capsys)
    data = json.loads(out)
    direct = ng.estimate_qre(ng.load("security_dilemma"), counts)
    assert status == 0 and data["estimates"]["lambda"]["estimate"] == pytest.approx(direct.precision, rel=1e-9)
    assert data["likelihood_ratio_test"]["distribution"] == "1/2 chi2(0) + 1/2 chi2(1)"
    figure = tmp_path / "fit.png"
    status, out, _ = _cli(["estimate", "security_dilemma", "--counts", str(counts), "--fit", "omega",
                           "--set", "omega=0.6", "--plot", str(figure)], capsys)
    assert status == 0 and "omega" in out and figure.stat().st_size > 0
    status, out, _ = _cli(["estimate", "security_dilemma", "--counts", str(counts), "--format", "csv"], capsys)
    assert out.splitlines()[0].startswith("player,strategy,count,observed,fitted")


def test_cli_refusals_are_one_line(tmp_path, capsys):
    counts = tmp_path / "counts.csv"
    counts.write_text("player,strategy,count\nPlayer 1,C,3\n")
    for argv, message in [
        (["estimate", "cfe2", "--counts", str(counts)], "cfe2 is a bargaining model, not a strategic-form game"),
        (["estimate", "security_dilemma", "--counts", str(counts)], "unknown player 'Player 1'"),
        (["estimate", "security_dilemma"], "give a MODEL and --counts"),
        (["estimate", "security_dilemma", "--counts", str(counts), "--max-iterations", "100000"],
         "MAX_ESTIMATION_ITERATIONS"),
    ]:
        status, _, err = _cli(argv, capsys)
        assert status == 1 and message in err and err.count("\n") == 1
