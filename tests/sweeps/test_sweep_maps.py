"""Equilibrium maps, bifurcation plots and tornado plots produce files with the expected content."""

from fractions import Fraction as F
from pathlib import Path

import pytest

import negotiation as ng
from negotiation.report.maps import (
    bifurcation_plot,
    equilibrium_map,
    save_figure,
    sensitivity_ranges,
    tornado_plot,
)
from negotiation.sweeps import sweep

PNG = b"\x89PNG\r\n\x1a\n"


#: security_dilemma as it was before issue 13, a frozen fixture: the hand computations below use its straight
#: boundaries (T = omega G + v - k, S = -omega L (1 - phi), P = v - k - omega W)
BEFORE_ISSUE_13 = str(Path(__file__).resolve().parents[1] / "data" / "security_dilemma_before_issue13.toml")


@pytest.fixture(scope="module")
def scenario():
    return ng.load(BEFORE_ISSUE_13)


@pytest.fixture(scope="module")
def plane(scenario):
    return sweep(scenario, grid=["omega=0:1:41", "phi=0:1:41"])


def test_map_by_classification_with_boundaries(plane, tmp_path):
    fig = equilibrium_map(plane, "omega", "phi", by="classification",
                          boundaries=[("T = R", "T - R"), ("P = S", "P - S"),
                                      ("omega = 1/2", lambda x, y: x - 0.5)])
    assert sorted(fig.categories) == ["Chicken", "Harmony", "Prisoner's Dilemma", "Stag Hunt", "boundary case"]
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("omega") and ax.get_ylabel().startswith("phi")
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "T = R" in legend and "P = S" in legend and "Chicken" in legend
    path = save_figure(fig, tmp_path / "map.png")
    assert path.read_bytes()[:8] == PNG
    for suffix in (".svg", ".pdf"):
        assert save_figure(fig, tmp_path / f"map{suffix}").stat().st_size > 1000


def test_map_by_equilibria_from_a_file_and_from_samples(scenario, plane, tmp_path):
    out = tmp_path / "t.csv"
    sweep(scenario, grid=["omega=0:1:41", "phi=0:1:41"], out=out)
    from_file = equilibrium_map(out, "omega", "phi")
    from_result = equilibrium_map(plane)
    assert sorted(from_file.categories) == sorted(from_result.categories)
    assert "pure (Deploy, Deploy)" in from_result.categories
    samples = sweep(scenario, samples=500, priors={"omega": "uniform", "phi": "uniform"})
    fig = equilibrium_map(samples, "omega", "phi", by="classification")
    assert {"Chicken", "Harmony", "Prisoner's Dilemma"} <= set(fig.categories)
    save_figure(fig, tmp_path / "samples.png")
    with pytest.raises(ValueError, match="unsupported figure format"):
        save_figure(fig, tmp_path / "samples.jpg")


def test_bifurcation_plot(scenario, tmp_path):
    line = sweep(scenario, grid=["phi=0:1:21"], values={"omega": F(3, 4)})
    fig = bifurcation_plot(line, "phi")
    assert "mixed (Restrain+Deploy, Restrain+Deploy)" in fig.categories
    assert fig.axes[1].get_xlabel().startswith("phi")
    assert save_figure(fig, tmp_path / "bifurcation.png").read_bytes()[:8] == PNG


def test_tornado_thresholds_are_exact(scenario, tmp_path):
    rows = {row["parameter"]: row for row in sensitivity_ranges(scenario, steps=8)}
    # at the defaults (a Prisoner's Dilemma): T = R at omega = 1/4, k = 2, G = 2; P = S at phi = 3/5,
    # L = 16/3, W = 11/2 (hand computation from T = omega G + v - k, S = -omega L (1 - phi), P = v - k - omega W)
    assert (rows["omega"]["low"], rows["omega"]["high"], rows["omega"]["high_reason"]) == (F(1, 4), 1, "range")
    assert rows["phi"]["high"] == F(3, 5) and rows["L"]["low"] == F(16, 3) and rows["W"]["high"] == F(11, 2)
    assert rows["k"]["high"] == 2 and rows["G"]["low"] == 2 and rows["v"]["high_reason"] == "range"
    fig = tornado_plot(scenario, rows=list(rows.values()))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "omega = 1/2" in labels
    assert save_figure(fig, tmp_path / "tornado.png").read_bytes()[:8] == PNG
