"""Monte Carlo probabilities against a hand computation; regions of a grid; summary writers."""

import json
from fractions import Fraction as F
from pathlib import Path

import pytest

import negotiation as ng
from negotiation.sweeps import sweep, wilson_interval

#: security_dilemma as it was before issue 13, a frozen fixture: the hand computations below use its straight
#: boundaries (T = omega G + v - k, S = -omega L (1 - phi), P = v - k - omega W)
BEFORE_ISSUE_13 = str(Path(__file__).resolve().parents[1] / "data" / "security_dilemma_before_issue13.toml")


@pytest.fixture(scope="module")
def scenario():
    return ng.load(BEFORE_ISSUE_13)


def test_monte_carlo_probabilities_match_the_hand_computation(scenario):
    # omega ~ U[0, 1/2], other parameters at their defaults (G=4, k=1, L=10, W=2, phi=1/4, v=0):
    # T > R iff omega > 1/4 and then the game is a Prisoner's Dilemma, so P(PD) = 1/2 exactly;
    # below 1/4, P > S iff 5.5 omega > 1: Stag Hunt on (2/11, 1/4), Harmony on [0, 2/11).
    result = sweep(scenario, samples=4000, seed=2024, priors={"omega": "uniform:0:1/2"}, chunk_size=1000)
    expected = {"Prisoner's Dilemma": 1 / 2, "Stag Hunt": 2 * (1 / 4 - 2 / 11), "Harmony": 2 * 2 / 11}
    table = result.summary_table(by="classification")
    assert {row["classification"] for row in table} == set(expected)
    for row in table:
        assert row["95% low"] <= expected[row["classification"]] <= row["95% high"], row
        assert (row["95% low"], row["95% high"]) == wilson_interval(row["count"], 4000)
    outcomes = {row["equilibria"]: row for row in result.summary_table()}
    deploy = outcomes["pure (Deploy, Deploy)"]
    assert deploy["95% low"] <= 1 / 2 <= deploy["95% high"]
    assert sum(row["count"] for row in outcomes.values()) == 4000
    stag = outcomes["pure (Restrain, Restrain); mixed (Restrain+Deploy, Restrain+Deploy); pure (Deploy, Deploy)"]
    assert stag["95% low"] <= 3 / 22 <= stag["95% high"]


def test_wilson_interval_known_values():
    low, high = wilson_interval(81, 263)
    assert round(low, 4) == 0.2553 and round(high, 4) == 0.3662  # Wilson (1927), textbook example
    assert wilson_interval(10, 10)[1] == 1.0


def test_regions_of_a_grid(scenario):
    result = sweep(scenario, grid=["omega=0:1:9", "phi=0:1:6"])
    table = result.summary_table(by="classification")
    assert sum(row["points"] for row in table) == 54
    classes = result.classifications()
    for row in table:
        assert row["omega min"] <= row["omega max"] and isinstance(row["omega min"], F)
    by_class = {}
    for row in table:
        by_class[row["classification"]] = by_class.get(row["classification"], 0) + row["points"]
    assert by_class == {c: classes.count(c) for c in set(classes)}
    # Harmony: omega < 1/4 and omega (8 - 10 phi) < 1; Prisoner's Dilemma: omega > 1/4 and omega (8 - 10 phi) > 1
    harmony = [row for row in table if row["classification"] == "Harmony"]
    assert len(harmony) == 1 and harmony[0]["omega min"] == 0 and harmony[0]["omega max"] == F(1, 8)
    prisoners = [row for row in table if row["classification"] == "Prisoner's Dilemma"]
    assert len(prisoners) == 1 and prisoners[0]["omega min"] == F(3, 8) and prisoners[0]["phi max"] == F(3, 5)
    one_d = sweep(scenario, grid=["omega=0:1/2:5"]).summary_table(by="classification")
    assert [(r["classification"], r["omega min"], r["omega max"]) for r in one_d] == [
        ("Harmony", 0, F(1, 8)), ("boundary case", F(1, 4), F(1, 4)), ("Prisoner's Dilemma", F(3, 8), F(1, 2))]


def test_summary_writers(scenario, tmp_path):
    table = sweep(scenario, grid=["omega=0:1/2:5"]).summary_table()
    latex = table.to_latex()
    assert "\\toprule" in latex and "$\\frac{1}{8}$" in latex and "\\bottomrule" in latex
    markdown = table.to_markdown()
    assert "| region | equilibria | classification |" in markdown and "1/8" in markdown
    data = json.loads(table.to_json())
    assert data["rows"][0]["omega max"] == "1/8" and data["rows"][0]["region"] == 1
    csv_text = table.to_csv()
    assert csv_text.splitlines()[0].startswith("region,equilibria,classification,points,share,omega min")
    for suffix in (".csv", ".md", ".tex", ".json"):
        path = table.write(tmp_path / f"summary{suffix}")
        assert path.read_text().strip()
    samples = sweep(scenario, samples=100, priors={"omega": "uniform"}).summary_table()
    assert "Wilson" in samples.to_markdown() and "omega ~ uniform() on [0, 1]" in samples.notes[0]
