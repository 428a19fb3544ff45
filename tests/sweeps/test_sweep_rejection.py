"""Monte Carlo sweeps reject the draws that break a scenario's assumptions and report the acceptance rate.

The reference case is the security dilemma with ``L ~ U[0, 20]`` and ``W ~ U[0, 10]`` drawn
independently under its assumption ``L >= W``. By hand:

* acceptance probability: ``P(L >= W) = (1/10) ∫_0^10 P(L >= w) dw = (1/10) ∫_0^10 (20 - w)/20 dw
  = (1/200) [20 w - w²/2]_0^10 = 150/200 = 3/4``;
* accepted draws follow the prior conditioned on ``L >= W``: the density of ``W`` becomes
  ``f(w) = (1/10) (20 - w)/20 / (3/4) = (20 - w)/150`` on [0, 10], so
  ``F(w) = (20 w - w²/2)/150``, ``E[W | L >= W] = (1/150) ∫_0^10 w (20 - w) dw = (1/150)(1000 - 1000/3)
  = 40/9`` and ``E[W² | L >= W] = (1/150)(20·1000/3 - 10⁴/4) = 250/9`` (variance 650/81);
  ``E[L | L >= W] = E[(400 - W²)/40] / (3/4) = (400 - 100/3)/30 = 110/9`` for ``W ~ U[0, 10]``.

Bands are 99.9 % (z = 3.29) normal-approximation bands of the binomial proportion or of the mean.
"""

import argparse
import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import negotiation as ng
from negotiation.cli.sweep import add_parser
from negotiation.core.errors import NegotiationError
from negotiation.core.priors import sample_points
from negotiation.sweeps import SweepInterrupted, rejection, sweep

Z999 = 3.2905267314918945
PRIORS = {"L": "uniform:0:20", "W": "uniform:0:10"}
N = 20_000


@pytest.fixture(scope="module")
def scenario():
    return ng.load("security_dilemma")


@pytest.fixture(scope="module")
def reference(scenario):
    return sweep(scenario, samples=N, seed=11, priors=PRIORS)


def test_completes_with_an_acceptance_rate_within_sampling_error_of_three_quarters(reference):
    acceptance = reference.acceptance
    assert reference.n_points == N and acceptance.n_accepted == N
    draws = acceptance.n_candidates
    band = Z999 * math.sqrt(0.75 * 0.25 / draws)
    assert abs(acceptance.rate - 0.75) <= band
    assert reference.acceptance_rate == N / draws
    # every draw that was not accepted broke the one assumption
    assert acceptance.rejected == (("L >= W", draws - N),)


def test_every_accepted_row_satisfies_the_assumption(reference):
    table = reference.table()
    assert table["point"].nunique() == N
    assert (table["L"] >= table["W"]).all()
    L, W = reference.parameter_values("L"), reference.parameter_values("W")
    assert (L >= W).all() and L.size == N


def test_accepted_draws_follow_the_prior_conditioned_on_the_assumption(reference):
    W, L = reference.parameter_values("W"), reference.parameter_values("L")
    mean_w, variance_w = 40 / 9, 650 / 81
    assert abs(W.mean() - mean_w) <= Z999 * math.sqrt(variance_w / N)
    # variance of L given acceptance: E[L²|A] = E[(8000 - W³)/60]/(3/4) = (8000 - 250)/45 = 1550/9
    variance_l = 1550 / 9 - (110 / 9) ** 2
    assert abs(L.mean() - 110 / 9) <= Z999 * math.sqrt(variance_l / N)
    # the whole distribution of W: Kolmogorov–Smirnov against F(w) = (20 w - w²/2)/150
    result = stats.kstest(W, lambda w: (20 * w - w * w / 2) / 150)
    assert result.pvalue > 0.001


def test_the_share_of_chicken_is_the_conditional_probability(reference):
    """At the other defaults (omega = 1/2, phi = 1/4, k = 1, G = 4, v = 0): T = 1, R = 0, S = -3L/8,
    P = -1 - W/2, so the game is Chicken (T > R > S > P) where 3L/8 < 1 + W/2, else a Prisoner's Dilemma.
    P(W <= L < 8/3 + 4W/3) = (1/200) ∫_0^10 (8/3 + w/3) dw = 13/60, and given L >= W: (13/60)/(3/4) = 13/45."""
    shares = {row["classification"]: row["probability"] for row in reference.summary_table(by="classification")}
    assert set(shares) == {"Chicken", "Prisoner's Dilemma"}
    p = 13 / 45
    assert abs(shares["Chicken"] - p) <= Z999 * math.sqrt(p * (1 - p) / N)


def test_the_sample_is_the_accepted_subsequence_of_the_candidates(scenario, reference):
    """Point i is the i-th candidate (global index, as sample_points draws them) with L >= W."""
    bound = reference.priors
    candidates = sample_points(bound, 11, 0, reference.acceptance.n_candidates)
    keep = candidates["L"] >= candidates["W"]  # the two sides are draws: their float comparison is exact
    assert keep.sum() == N and keep[-1]
    assert np.array_equal(candidates["L"][keep], reference.parameter_values("L"))
    assert np.array_equal(candidates["W"][keep], reference.parameter_values("W"))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(cuts=st.lists(st.integers(min_value=1, max_value=N - 1), max_size=6))
def test_any_cut_into_chunks_draws_the_same_points(reference, cuts):
    """Chunks drawn on their own (any boundaries) put together are the whole sample."""
    draws = rejection.AcceptedDraws(reference.scenario, reference.priors, reference.values, 11, reference.acceptance)
    bounds = [0, *sorted(set(cuts)), N]
    parts = [draws.draw(a, b)["W"] for a, b in itertools.pairwise(bounds)]
    assert np.array_equal(np.concatenate(parts), reference.parameter_values("W"))


def test_text_markdown_json_and_summary_report_the_rate(reference):
    line = reference.acceptance.describe()
    assert line.startswith(f"{N:,} samples accepted of {reference.acceptance.n_candidates:,} draws (acceptance rate 0.7")
    assert line in reference.to_text() and line in reference.to_markdown()
    drawn = json.loads(json.dumps(reference.to_dict()))["rejection_sampling"]  # JSON-ready
    assert (drawn["candidates"], drawn["accepted"]) == (reference.acceptance.n_candidates, N)
    assert drawn["acceptance_rate"] == reference.acceptance_rate and drawn["rejected_by"] == {"L >= W": drawn["candidates"] - N}
    notes = reference.summary_table().notes
    assert any(line in note and "conditional" in note for note in notes)


def test_same_bytes_whatever_the_chunks_and_workers(scenario, tmp_path):
    options = {"samples": 6000, "seed": 5, "priors": PRIORS}
    tables = []
    for name, extra in [("auto", {}), ("c700", {"chunk_size": 700}), ("c4096", {"chunk_size": 4096}),
                        ("w2", {"chunk_size": 1000, "workers": 2})]:
        out = tmp_path / f"{name}.csv"
        result = sweep(scenario, out=out, **options, **extra)
        assert result.acceptance.n_accepted == 6000
        tables.append(out.read_bytes())
        progress = json.loads((tmp_path / f"{name}.csv.progress").read_text())
        assert progress["draws"]["candidates"] == result.acceptance.n_candidates
        assert progress["draws"]["rejected_by"] == {"L >= W": result.acceptance.n_candidates - 6000}
    assert all(table == tables[0] for table in tables[1:])
    memory = sweep(scenario, chunk_size=333, **options).table()
    from_file = ng.sweeps.read_table(tmp_path / "auto.csv", exact=False)
    assert np.array_equal(memory["L"].to_numpy(), from_file["L"].to_numpy())


def test_interrupt_and_resume_give_the_same_bytes(scenario, tmp_path):
    options = {"samples": 5000, "seed": 2, "priors": PRIORS, "chunk_size": 400}
    whole = tmp_path / "whole.csv"
    sweep(scenario, out=whole, **options)
    out = tmp_path / "t.csv"

    def interrupt(done, total, points, n_points):
        if done == 4:
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted):
        sweep(scenario, out=out, progress=interrupt, **options)
    assert out.read_bytes() != whole.read_bytes()
    result = sweep(scenario, out=out, resume=True, **options)
    assert result.resumed_chunks == 4 and out.read_bytes() == whole.read_bytes()
    # a record whose draws differ from what this run accepts is refused (the points would differ)
    with pytest.raises(SweepInterrupted):
        sweep(scenario, out=out, progress=interrupt, **options)
    record = out.with_name("t.csv.progress")
    state = json.loads(record.read_text())
    state["draws"]["candidates"] += 1
    record.write_text(json.dumps(state))
    with pytest.raises(NegotiationError, match="accepted other draws"):
        sweep(scenario, out=out, resume=True, **options)


def test_the_cap_gives_one_line(scenario, monkeypatch):
    # P(L >= W) = E[L]/10 = 1/20000 for L ~ U[0, 1/1000]: far below 1/1000, refused before the cap is drawn
    with pytest.raises(NegotiationError) as error:
        sweep(scenario, samples=2000, priors={"L": "uniform:0:1/1000", "W": "uniform:0:10"})
    message = str(error.value)
    assert "\n" not in message
    for part in ("security_dilemma", "'L >= W'", "acceptance rate", "2,000,000 draws", "--prior"):
        assert part in message
    # the cap itself: one candidate per sample allows no rejection at all
    monkeypatch.setattr(rejection, "MAX_CANDIDATES_PER_SAMPLE", 1)
    with pytest.raises(NegotiationError, match=r"limit of 100 draws .*'L >= W'"):
        sweep(scenario, samples=100, priors=PRIORS)
    # the cap of a whole sample: 150 draws for 200 points (at most 150 accepted) at the rate 3/4
    monkeypatch.setattr(rejection, "MAX_CANDIDATES_PER_SAMPLE", 1000)
    monkeypatch.setattr(rejection, "MAX_CANDIDATES", 150)
    with pytest.raises(NegotiationError, match=r"of 150 draws .*limit of 150 draws \(the most one sample may draw\)"
                                               r".*fewer --samples$"):
        sweep(scenario, samples=200, priors=PRIORS)
    assert sweep(scenario, samples=100, priors=PRIORS).acceptance.n_candidates <= 150


def test_impossible_assumptions_are_refused_before_drawing(scenario):
    with pytest.raises(NegotiationError, match=r"'L >= W' cannot hold for any draw: L - W is at most -1") as error:
        sweep(scenario, samples=10, priors={"L": "uniform:0:4", "W": "uniform:5:10"})
    assert "\n" not in str(error.value)
    with pytest.raises(NegotiationError, match=r"'L >= W' does not hold at L=1, W=2"):
        sweep(scenario, samples=10, priors={"omega": "uniform"}, values={"L": 1})


def test_boundary_draws_are_decided_exactly(scenario):
    # L = W exactly at every draw: the float difference is 0, inside the boundary band, and L >= W holds exactly
    result = sweep(scenario, samples=50, priors={"L": "uniform:3:3", "W": "uniform:3:3"})
    assert result.acceptance.rate == 1.0 and result.n_points == 50


def test_samples_no_assumption_restricts_keep_every_draw(scenario):
    result = sweep(scenario, samples=300, seed=4, priors={"omega": "uniform", "phi": "beta:2:5"})
    assert result.acceptance is None and result.acceptance_rate == 1.0
    expected = sample_points(result.priors, 4, 0, 300)
    assert np.array_equal(result.parameter_values("omega"), expected["omega"])


def test_grid_points_that_break_an_assumption_are_still_an_error(scenario):
    with pytest.raises(ValueError, match="assumption 'L >= W' does not hold"):
        sweep(scenario, grid=["W=0:10:3"], values={"L": 2})
    result = sweep(scenario, grid=["W=0:2:3"], values={"L": 2})
    assert result.acceptance is None and result.acceptance_rate is None and result.n_points == 3


CHAINED = '''schema = "negotiation.scenario/1"
id = "chained"
title = "Chained assumption"
kind = "normal-form"
[players]
Row = ["a", "b"]
Column = ["x", "y"]
[parameters.s]
default = "1/4"
range = [0, 1]
description = "a parameter"
source = "test"
confidence = "assumption"
[parameters.t]
default = "1/2"
range = [0, 1]
description = "another"
source = "test"
confidence = "assumption"
[payoffs]
"a, x" = ["s", "t"]
"a, y" = ["0", "1"]
"b, x" = ["1", "0"]
"b, y" = ["t", "s"]
[[assumptions]]
expr = "s <= t <= 1/2"
'''


def test_a_chained_comparison(tmp_path):
    """``s <= t <= 1/2`` (an ``And``) with s, t ~ U[0, 1]: P = ∫_0^{1/2} t dt = 1/8."""
    path = tmp_path / "chained.toml"
    path.write_text(CHAINED)
    result = sweep(ng.load(path), samples=2000, seed=1, priors={"s": "uniform", "t": "uniform"})
    acceptance = result.acceptance
    assert abs(acceptance.rate - 1 / 8) <= Z999 * math.sqrt((1 / 8) * (7 / 8) / acceptance.n_candidates)
    s, t = result.parameter_values("s"), result.parameter_values("t")
    assert (s <= t).all() and (t <= 0.5).all()


def test_cli_closing_line(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="negotiation")
    add_parser(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "mc.csv"
    args = parser.parse_args(["sweep", "security_dilemma", "--samples", "1000", "--prior", "L=uniform:0:20",
                              "--prior", "W=uniform:0:10", "--out", str(out)])
    assert args.handler(args) == 0
    line = capsys.readouterr().out.strip()
    state = json.loads(out.with_name("mc.csv.progress").read_text())["draws"]
    assert line.startswith("Wrote ") and f"; 1,000 samples accepted of {state['candidates']:,} draws " in line
    rate = Fraction(1000, state["candidates"])
    assert f"(acceptance rate {float(rate):.3f} ± 0.0" in line and line.endswith(", 95 %).")


def test_the_vectorised_verdicts_agree_with_the_exact_assumption(tmp_path):
    """The float test (three-valued, exact near a boundary) against sympy's exact verdict at every point,
    boundary points (s = t, t = 1/2) included."""
    path = tmp_path / "chained.toml"
    path.write_text(CHAINED)
    scenario = ng.load(path)
    generator = np.random.default_rng(3)
    s = generator.choice([0.0, 0.25, 0.5, 0.75, 1.0], 300)
    t = np.where(generator.random(300) < 0.5, s, generator.choice([0.0, 0.25, 0.5, 1.0], 300))
    test = rejection.AssumptionTest(scenario, ["s", "t"], {})
    accepted, rejections = test.accept({"s": s, "t": t}, 300)
    (assumption,) = scenario.assumptions
    exact = [assumption.holds({"s": Fraction(a), "t": Fraction(b)}) for a, b in zip(s, t)]
    assert accepted.tolist() == exact and rejections.tolist() == [300 - sum(exact)]
    assert 0 < sum(exact) < 300 and any(a == b == 0.5 for a, b in zip(s, t))
