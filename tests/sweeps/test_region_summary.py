"""Regions of a grid: cells of one outcome touching at an edge or a corner are one region (hand counts).

The security dilemma at its defaults (omega = 1/2, phi = 1/4, L = 10, W = 2, v = 0) has, by hand,
R = 0, T = G/2 - k, S = -(1/2)(10)(3/4) = -15/4 and P = -k - 1. Over G in [0, 4] and k in [0, 2]:
P > S everywhere (k < 11/4) and T - P = G/2 + 1 > 0, so the class changes only at T = R, the diagonal
G = 2k: a Prisoner's Dilemma above it (G > 2k: T > R > P > S), a Stag Hunt below (G < 2k:
R > T > P > S), a boundary case on it.
"""

from fractions import Fraction as F
from pathlib import Path

import pytest

import negotiation as ng
from negotiation.sweeps import sweep

#: security_dilemma as it was before issue 13, a frozen fixture: the hand computations below use its straight
#: boundaries (T = omega G + v - k, S = -omega L (1 - phi), P = v - k - omega W)
BEFORE_ISSUE_13 = str(Path(__file__).resolve().parents[1] / "data" / "security_dilemma_before_issue13.toml")


@pytest.fixture(scope="module")
def scenario():
    return ng.load(BEFORE_ISSUE_13)


def _by_label(table, key):
    rows = {}
    for row in table:
        rows.setdefault(row[key], []).append(row)
    return rows


def test_a_diagonal_boundary_on_a_3x3_grid_is_one_region(scenario):
    # G in {0, 2, 4}, k in {0, 1, 2}: G = 2k at (0, 0), (2, 1), (4, 2) - three points touching at corners;
    # G > 2k at (2, 0), (4, 0), (4, 1); G < 2k at (0, 1), (0, 2), (2, 2). Before: 5 rows (3 of one point).
    table = sweep(scenario, grid=["G=0:4:3", "k=0:2:3"]).summary_table(by="classification")
    rows = _by_label(table, "classification")
    assert len(table) == 3
    assert {name: [r["points"] for r in found] for name, found in rows.items()} == {
        "boundary case": [3], "Prisoner's Dilemma": [3], "Stag Hunt": [3]}
    line = rows["boundary case"][0]
    assert (line["G min"], line["G max"], line["k min"], line["k max"]) == (0, 4, 0, 2)
    stag_hunt = rows["Stag Hunt"][0]
    assert (stag_hunt["G min"], stag_hunt["G max"], stag_hunt["k min"], stag_hunt["k max"]) == (0, 2, 1, 2)


def test_a_diagonal_boundary_on_a_101x101_grid_is_one_region(scenario):
    # G_i = 4i/100, k_j = 2j/100: G = 2k iff i = j, so 101 points on the diagonal, 101*100/2 = 5050 on each
    # side; by equilibrium set the same three regions: (Deploy, Deploy) above, the Stag Hunt's three below
    # ((Restrain, Restrain), a mixed one, (Deploy, Deploy)) and, on T = R, the two pure ones only.
    result = sweep(scenario, grid=["G=0:4:101", "k=0:2:101"])
    for by, key in (("classification", "classification"), ("equilibria", "equilibria")):
        table = result.summary_table(by=by)
        assert sorted(row["points"] for row in table) == [101, 5050, 5050], by
        assert sum(row["share"] for row in table) == pytest.approx(1.0)
    rows = _by_label(result.summary_table(by="classification"), "classification")
    prisoners = rows["Prisoner's Dilemma"][0]
    assert (prisoners["G min"], prisoners["G max"], prisoners["k min"], prisoners["k max"]) == (
        F(4, 100), 4, 0, F(198, 100))


def test_separate_pieces_of_one_outcome_stay_separate_rows(scenario):
    # omega in {0, 1/4, 1/2}: T = R exactly at omega = 1/4 (G omega = k), a vertical line one point wide
    # between Harmony (omega = 0) and the Prisoner's Dilemma (omega = 1/2) for every phi in [0, 1/5]
    # (P > S needs omega (L (1 - phi) - W) > k; at omega = 1/2: 4 - 5 phi > 1, true for phi <= 1/5).
    table = sweep(scenario, grid=["omega=0:1/2:3", "phi=0:1/5:3"]).summary_table(by="classification")
    assert [(row["classification"], row["points"]) for row in table] == [
        ("Harmony", 3), ("boundary case", 3), ("Prisoner's Dilemma", 3)]
