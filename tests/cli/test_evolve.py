"""``negotiation evolve``: the three processes on the bundled security dilemma, JSON through the result
protocol, figures, and one-line refusals (exit 1)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from negotiation.cli import main

#: The security dilemma with k = 3, phi = 1/10, v = 20/19 is a Stag Hunt; its payoffs (models/security_dilemma.toml,
#: relative to mutual restraint R = 0): T = v G omega (1 − phi (1 − omega)) − k = (20/19)(4)(1/2)(19/20) − 3 = −1,
#: S = −omega L (1 − phi) = −9/2, P = −k − omega W = −4 (the same game as before issue 13 changed T).
STAG_HUNT_SETTINGS = ["--set", "k=3", "--set", "phi=1/10", "--set", "v=20/19"]


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_moran_json_matches_the_closed_form_by_hand(capsys):
    # N = 2 at w = 1/100: with one player of each kind, each meets only the other: a Restrain player earns
    # S = −9/2 (fitness 1 − 1/100 − 9/200 = 189/200), a Deploy player earns T = −1 (fitness 98/100 = 196/200).
    # From state 1, ρ_Restrain = 1/(1 + g_1/f_1) = f/(f + g) = 189/385 = 27/55.
    code, out, err = run(capsys, ["evolve", "security_dilemma", *STAG_HUNT_SETTINGS, "--population", "2",
                                  "--selection", "1/100", "--format", "json"])
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["process"] == "moran" and data["method"] == "moran_closed_form" and data["exact"] is True
    row = next(r for r in data["fixation"] if r["mutant"] == "Restrain")
    assert Fraction(row["fixation probability"]) == Fraction(27, 55)


def test_kmr_names_the_stochastically_stable_convention(capsys):
    code, out, _ = run(capsys, ["evolve", "security_dilemma", *STAG_HUNT_SETTINGS, "--process", "kmr",
                                "--population", "12", "--mutation", "1/10,1/1000", "--format", "json"])
    assert code == 0
    data = json.loads(out)
    # by hand: (N − 1)(π_Restrain − π_Deploy) = −9/2 (12 − z) + z + 4 (11 − z) = 3z/2 − 10 > 0 iff z ≥ 7, so leaving
    # all Deploy takes 7 mutations and leaving all Restrain (to z ≤ 6) takes 6
    assert data["stable"] == ["all Deploy"] and data["risk_dominant"] == "all Restrain"
    assert {(r["from"], r["to"]): r["mutations"] for r in data["resistance"]} == {
        ("all Restrain", "all Deploy"): 6, ("all Deploy", "all Restrain"): 7}
    assert [entry["epsilon"] for entry in data["stationary"]] == ["1/10", "1/1000"]


def test_replicator_mutator_text_and_figure(capsys, tmp_path):
    figure = tmp_path / "phase.png"
    code, out, _ = run(capsys, ["evolve", "security_dilemma", "--process", "replicator-mutator", "--selection",
                                "1/10", "--mutation", "1/20", "--time", "20", "--plot", str(figure)])
    assert code == 0 and "rest points" in out and "Replicator–mutator dynamics" in out
    assert figure.stat().st_size > 0


@pytest.mark.parametrize("argv, message", [
    (["evolve", "cfe2", "--population", "5"], "cfe2 is a bargaining model, not a symmetric two-player"),
    (["evolve", "security_dilemma"], "needs --population N"),
    (["evolve", "security_dilemma", "--process", "kmr", "--population", "10"], "not a coordination game"),
    (["evolve", "security_dilemma", "--population", "10"], "is negative"),
    (["evolve", "security_dilemma", "--population", "10", "--selection", "x"], "--selection 'x'"),
])
def test_mistakes_are_refused_in_one_line(capsys, argv, message):
    code, out, err = run(capsys, argv)
    assert code == 1 and out == "" and err.count("\n") == 1 and message in err, err
