"""Strategic-choice estimation (Signorino 1999; negotiation.solvers.strategic_choice): the saturated deterrence
game by hand (logit and probit), recovery of known coefficients from simulated crises with standard errors that
match the spread over repeated samples, the tree's probabilities by hand, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import logit
from scipy.stats import chi2, norm

import negotiation as ng
from negotiation.solvers.strategic_choice import (MAX_STRATEGIC_CHOICE_COEFFICIENTS, ChoiceTree,
                                                  StrategicChoiceError, deterrence_tree, estimate_strategic_choice,
                                                  outcome_probabilities, read_table, simulate_outcomes)

CONSTANTS = {"U1(SQ)": ["const"], "U1(WAR)": ["const"], "U2(WAR)": ["const"]}


def _saturated_data(sq=40, cap=20, bd=20, war=20):
    return {"outcome": ["SQ"] * sq + ["CAP"] * cap + ["BD"] * bd + ["WAR"] * war}


def test_probabilities_of_the_deterrence_game_by_hand():
    """Signorino (1999), eqs. 3-6: p4 = Λ(U1W - U1BD), p3 = Λ(p4 U2W + (1-p4) U2BD - U2CAP),
    p1 = Λ(p3 (p4 U1W + (1-p4) U1BD) + (1-p3) U1CAP - U1SQ)."""
    u = {("1", "SQ"): 0.3, ("1", "CAP"): 1.0, ("1", "BD"): -0.7, ("1", "WAR"): 0.2,
         ("2", "CAP"): -0.4, ("2", "BD"): 0.9, ("2", "WAR"): -1.1}
    lam = lambda x: 1 / (1 + math.exp(-x))
    p4 = lam(0.2 - (-0.7))
    p3 = lam(p4 * -1.1 + (1 - p4) * 0.9 - (-0.4))
    p1 = lam(p3 * (p4 * 0.2 + (1 - p4) * -0.7) + (1 - p3) * 1.0 - 0.3)
    found = outcome_probabilities(deterrence_tree(), u)
    expected = {"SQ": 1 - p1, "CAP": p1 * (1 - p3), "BD": p1 * p3 * (1 - p4), "WAR": p1 * p3 * p4}
    assert {k: float(v) for k, v in found.items()} == pytest.approx(expected, rel=1e-14)
    probit = outcome_probabilities(deterrence_tree(), u, "probit")
    q4 = norm.cdf((0.2 + 0.7) / math.sqrt(2))
    assert float(probit["WAR"]) / float(probit["BD"]) == pytest.approx(q4 / (1 - q4), rel=1e-12)


@pytest.mark.parametrize("counts", [(40, 20, 20, 20), (55, 15, 10, 20), (30, 30, 25, 15)])
def test_saturated_logit_reproduces_the_frequencies(counts):
    """Three constants, three free probabilities: p4 = WAR/(BD+WAR) = Λ(a), p3 = (BD+WAR)/(CAP+BD+WAR) = Λ(p4 b),
    p1 = 1 - SQ/N = Λ(p3 p4 a - c); the information of a is (BD+WAR) p4 (1 - p4)."""
    sq, cap, bd, war = counts
    fit = estimate_strategic_choice(_saturated_data(*counts), CONSTANTS)
    p4, p3, p1 = war / (bd + war), (bd + war) / (cap + bd + war), 1 - sq / sum(counts)
    a = logit(p4)
    b = logit(p3) / p4
    c = p3 * p4 * a - logit(p1)
    assert fit.coefficient("U1(WAR): const") == pytest.approx(a, abs=1e-7)
    assert fit.coefficient("U2(WAR): const") == pytest.approx(b, rel=1e-7)
    assert fit.coefficient("U1(SQ): const") == pytest.approx(c, abs=1e-7)
    assert fit.standard_error("U1(WAR): const") == pytest.approx(((bd + war) * p4 * (1 - p4)) ** -0.5, rel=1e-4)
    assert fit.fitted == pytest.approx(tuple(n / sum(counts) for n in counts), abs=1e-8)
    saturated = sum(n * math.log(n / sum(counts)) for n in counts)
    assert fit.log_likelihood == pytest.approx(saturated, rel=1e-10)


def test_saturated_probit_by_hand():
    """Probit agent error: P = Φ(ΔV / √2)."""
    fit = estimate_strategic_choice(_saturated_data(55, 15, 10, 20), CONSTANTS, model="probit")
    p4, p3, p1 = 20 / 30, 30 / 45, 45 / 100
    a = math.sqrt(2) * norm.ppf(p4)
    b = math.sqrt(2) * norm.ppf(p3) / p4
    c = p3 * p4 * a - math.sqrt(2) * norm.ppf(p1)
    assert fit.method == "strategic_probit"
    assert [fit.coefficient(n) for n in ("U1(WAR): const", "U2(WAR): const", "U1(SQ): const")] == \
        pytest.approx([a, b, c], rel=1e-6)


SPECIFICATION = {"U1(SQ)": ["const", "x1"], "U1(BD)": ["const"], "U1(WAR)": ["const", "x2"], "U2(WAR)": ["const", "x3"]}
TRUTH = np.array([0.5, 1.0, -1.0, -0.5, 1.0, 0.5, -1.0])


def _simulate(rows, rng, model="logit"):
    x1, x2, x3 = rng.normal(size=(3, rows))
    utilities = {("1", "SQ"): 0.5 + x1, ("1", "BD"): np.full(rows, -1.0), ("1", "WAR"): -0.5 + x2,
                 ("2", "WAR"): 0.5 - x3}
    return {"outcome": simulate_outcomes(deterrence_tree(), utilities, rng, model), "x1": x1, "x2": x2, "x3": x3}


@pytest.mark.parametrize("model", ["logit", "probit"])
def test_recovers_known_coefficients(model):
    """Wald statistic of the truth against the estimate's covariance: χ²(7) below its 0.999 quantile."""
    fit = estimate_strategic_choice(_simulate(6000, np.random.default_rng(2026), model), SPECIFICATION, model=model)
    difference = fit.estimates - TRUTH
    assert difference @ np.linalg.solve(fit.covariance, difference) < chi2.ppf(0.999, len(TRUTH))
    assert np.all(np.abs(difference) < 4 * fit.standard_errors)


def test_standard_errors_match_the_spread_over_repeated_samples():
    rng = np.random.default_rng(99)
    estimates, errors = [], []
    for _ in range(16):
        fit = estimate_strategic_choice(_simulate(1200, rng), SPECIFICATION)
        estimates.append(fit.estimates)
        errors.append(fit.standard_errors)
    ratio = np.std(estimates, axis=0, ddof=1) / np.mean(errors, axis=0)
    # 16 samples: each ratio is within about ±35 % of 1; their mean over 7 coefficients much closer
    assert 0.75 < float(np.mean(ratio)) < 1.3 and np.all((ratio > 0.5) & (ratio < 1.6))


def test_data_from_a_file_and_the_result_protocol(tmp_path):
    data = _simulate(800, np.random.default_rng(1))
    path = tmp_path / "crises.csv"
    lines = ["outcome,x1,x2,x3"] + [f"{o},{float(a)!r},{float(b)!r},{float(c)!r}" for o, a, b, c in
                                    zip(data["outcome"], data["x1"], data["x2"], data["x3"])]
    path.write_text("\n".join(lines) + "\n")
    assert read_table(path)["outcome"] == data["outcome"]
    from_file = ng.estimate_strategic_choice(path, SPECIFICATION)
    direct = ng.estimate_strategic_choice(data, SPECIFICATION)
    assert from_file.estimates == pytest.approx(direct.estimates, rel=1e-9)
    assert [r["coefficient"] for r in from_file.to_records()][:2] == ["U1(SQ): const", "U1(SQ): x1"]
    assert from_file.to_dict()["method"] == "strategic_logit" and from_file.n_observations == 800


def test_a_tree_of_the_users_own():
    """A crisis with three choices for the challenger at the first node (logit only)."""
    tree = ChoiceTree.build(("A", [("wait", "SQ"), ("demand", ("B", [("yield", "CONCEDE"), ("refuse", "STANDOFF")])),
                                   ("attack", "WAR")]))
    rng = np.random.default_rng(4)
    rows = 4000
    x = rng.normal(size=rows)
    truth = {("A", "WAR"): -1 + 0 * x, ("A", "CONCEDE"): 1 + 0 * x, ("B", "STANDOFF"): 0.5 + x}
    data = {"outcome": simulate_outcomes(tree, truth, rng), "x": x}
    fit = estimate_strategic_choice(data, {"UA(WAR)": ["const"], "UA(CONCEDE)": ["const"],
                                           "UB(STANDOFF)": ["const", "x"]}, tree=tree)
    assert np.all(np.abs(fit.estimates - [-1, 1, 0.5, 1]) < 4 * fit.standard_errors)


def test_bad_input_is_one_line():
    data = _saturated_data()
    cases = [
        (lambda: estimate_strategic_choice(data, {"U3(WAR)": ["const"]}), "players are 1, 2"),
        (lambda: estimate_strategic_choice(data, {"WAR": ["const"]}), "expected 'U<player>\\(<outcome>\\)'"),
        (lambda: estimate_strategic_choice(data, {"U1(WAR)": ["x"]}), "no column 'x'"),
        (lambda: estimate_strategic_choice({"outcome": ["PEACE"]}, CONSTANTS), "outcome 'PEACE' is not one of"),
        (lambda: estimate_strategic_choice(data, CONSTANTS, model="tobit"), "expected 'logit' or 'probit'"),
        (lambda: estimate_strategic_choice(data, {"U1(WAR)": [f"c{i}" for i in range(31)]}),
         "MAX_STRATEGIC_CHOICE_COEFFICIENTS"),
        # a constant in U1(SQ) and in every other outcome of player 1 is the same as none: not identified
        (lambda: estimate_strategic_choice(data, {**CONSTANTS, "U1(CAP)": ["const"], "U1(BD)": ["const"]}),
         "not identified"),
        (lambda: ChoiceTree.build(("1", [("only", "SQ")])), "at least two actions"),
        (lambda: estimate_strategic_choice(data, CONSTANTS, max_rows=99), "100 rows; expected 1 to 99 "
         r"\(MAX_STRATEGIC_CHOICE_ROWS; max_rows= or --max-rows raises it\)"),
    ]
    assert MAX_STRATEGIC_CHOICE_COEFFICIENTS == 30
    for call, message in cases:
        with pytest.raises(StrategicChoiceError, match=message) as error:
            call()
        assert "\n" not in str(error.value)


def test_cli_fits_the_deterrence_game(tmp_path, capsys):
    from negotiation.cli import main

    path = tmp_path / "crises.csv"
    path.write_text("outcome\n" + "SQ\n" * 40 + "CAP\n" * 20 + "BD\n" * 20 + "WAR\n" * 20)
    argv = ["estimate", "--outcomes", str(path), "--utility", "U1(SQ)=const", "--utility", "U1(WAR)=const",
            "--utility", "U2(WAR)=const", "--format", "json"]
    assert main(argv) == 0
    data = __import__("json").loads(capsys.readouterr().out)
    by_name = {r["coefficient"]: r["estimate"] for r in data["coefficients"]}
    assert by_name["U2(WAR): const"] == pytest.approx(2 * math.log(2), rel=1e-7)  # Λ(b/2) = 2/3
    assert main([*argv[:-2], "--probit", "--format", "text"]) == 0
    assert "strategic_probit" in capsys.readouterr().out
    assert main(["estimate", "--outcomes", str(path)]) == 1
    assert "--utility" in capsys.readouterr().err
