"""``solve --method logit_qre``: header, table and notes speak of one profile (issue 15, point 6): the QRE at
a stated λ, in floating point with its tolerance; the Nash limit, when shown, labelled as the limit."""

from __future__ import annotations

import json
import math

import negotiation as ng
from negotiation.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def symmetric_qre(precision: float) -> float:
    """P(Restrain) in the symmetric logit QRE of the security dilemma at its defaults, by bisection.

    The payoffs (``negotiation convert security_dilemma --to nfg``; issue 13: T = 3/4 at the defaults): (R, R) 0,
    (D, R) 3/4, (R, D) -15/4, (D, D) -2. Against Restrain with probability q, Deploy earns 3q/4 - 2 (1 - q),
    Restrain -15/4 (1 - q): the gain from Deploy is 7/4 - q, so p = 1 / (1 + exp(λ (7/4 - p)))
    (McKelvey and Palfrey 1995).
    """
    low, high = 0.0, 1.0
    for _ in range(200):
        middle = (low + high) / 2
        if middle - 1 / (1 + math.exp(precision * (7 / 4 - middle))) < 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def test_the_default_run_shows_the_qre_where_the_branch_ends_and_labels_the_limit(capsys):
    code, out, err = run(capsys, "solve", "security_dilemma", "--method", "logit_qre")
    assert code == 0 and err == ""
    lines = out.splitlines()
    method = next(line for line in lines if line.startswith("Method:"))
    assert "the logit QRE at λ = 1e+06" in method and "floating point" in method and "tolerance 1e-10" in method
    assert "exact" not in method  # was: "logit_qre (exact, …)" above a floating-point note
    header = lines[lines.index(method) + 2]
    assert header.split()[0] == "λ"
    row = lines[lines.index(method) + 4]
    assert row.split()[:4] == ["1e+06", "pure", "Deploy", "Deploy"]  # at λ = 1e6 the QRE is (Deploy, Deploy)
    limit = [line for line in lines if line.startswith("Note: limit of the principal branch: ")]
    assert len(limit) == 1 and "Nash equilibrium" in limit[0]


def test_a_stated_precision_gives_the_qre_there(capsys):
    code, out, _ = run(capsys, "solve", "security_dilemma", "--method", "logit_qre", "--precision", "1",
                       "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["exact"] is False and data["details"]["precision"] == 1.0
    assert data["details"]["tolerance"] == 1e-10
    profile = data["equilibria"][0]["profile"]
    assert abs(profile["NATO"]["Restrain"] - symmetric_qre(1.0)) < 1e-8
    assert abs(profile["Russia"]["Restrain"] - symmetric_qre(1.0)) < 1e-8
    assert not any(m.startswith("limit of") for m in data["messages"])  # the limit is not this profile
    code, out, _ = run(capsys, "solve", "security_dilemma", "--method", "logit_qre", "--precision", "1")
    assert "Method: logit_qre: the logit QRE at λ = 1 (floating point" in out
    assert f"\n1  mixed  {symmetric_qre(1.0):.6g} Restrain + " in out


def test_precision_is_refused_without_logit_qre_and_when_not_positive(capsys):
    code, _, err = run(capsys, "solve", "security_dilemma", "--precision", "2")
    assert code == 1 and err == "negotiation: error: --precision 2: applies to --method logit_qre only\n"
    for bad in ("0", "-1", "nan", "inf", "x"):
        try:
            main(["solve", "security_dilemma", "--method", "logit_qre", "--precision", bad])
        except SystemExit as stop:
            assert stop.code == 2
        else:
            raise AssertionError(bad)
    capsys.readouterr()


def test_the_library_limit_is_labelled_as_the_limit():
    result = ng.solve(ng.load("security_dilemma"), method="logit_qre")
    text = result.to_text()
    assert result.exact  # the limit matched to vertex enumeration's (Deploy, Deploy): exact
    assert "Method: logit_qre: the limit λ → ∞ of the principal branch (an exact Nash equilibrium; the branch " \
           "traced to λ = 1e+06 in floating point" in text
    assert "\n→ ∞ (limit)  pure  Deploy  Deploy" in text
