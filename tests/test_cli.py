"""The command line, through main(argv): outputs, the JSON contract, exit codes, one-line errors."""

import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from negotiation.cli import main

VS75 = Path(__file__).resolve().parent / "data" / "vonstengel1999_6x6_75eq.nfg"

SECURITY_NFG = '''NFG 1 R "Security dilemma: g=1, c=2, l=5" { "NATO" "Russia" }
{ { "Restrain" "Deploy" } { "Restrain" "Deploy" } }
"Row = NATO, column = Russia; NATO's strategy varies fastest"

0 0
-1 -5
-5 -1
-2 -2
'''


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_solve_json_follows_the_contract(tmp_path, capsys):
    # DESIGN.md §3.1: this game has (R,R), the symmetric mix (3/4, 1/4) with payoffs -5/4, and (D,D).
    path = tmp_path / "sd.nfg"
    path.write_text(SECURITY_NFG)
    code, out, err = run(capsys, "solve", str(path), "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) >= {"game", "parameters", "method", "exact", "complete", "degenerate", "equilibria", "components"}
    assert data["game"] == {"title": "Security dilemma: g=1, c=2, l=5", "players": ["NATO", "Russia"],
                            "strategies": {"NATO": ["Restrain", "Deploy"], "Russia": ["Restrain", "Deploy"]}}
    assert data["exact"] is True and data["complete"] is True and data["degenerate"] is False
    mixed = [e for e in data["equilibria"] if e["kind"] == "mixed"]
    assert mixed == [{"kind": "mixed",
                      "profile": {"NATO": {"Restrain": "3/4", "Deploy": "1/4"},
                                  "Russia": {"Restrain": "3/4", "Deploy": "1/4"}},
                      "payoffs": {"NATO": "-5/4", "Russia": "-5/4"}}]
    assert len(data["equilibria"]) == 3
    assert sorted(data["components"]) == [[0], [1], [2]]


def test_solve_von_stengel_nfg(capsys):
    code, out, _ = run(capsys, "solve", str(VS75), "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data["equilibria"]) == 75 and data["complete"]
    for equilibrium in data["equilibria"]:
        for mix in equilibrium["profile"].values():
            assert sum(F(v) for v in mix.values()) == 1


def test_security_dilemma_defaults_and_set(capsys):
    code, out, _ = run(capsys, "solve", "security_dilemma")
    assert code == 0 and "Prisoner's Dilemma" in out and "Deploy" in out
    code, out, _ = run(capsys, "solve", "security_dilemma", "--set", "omega=1/5", "--format", "json")
    data = json.loads(out)
    assert data["parameters"]["omega"] == "1/5"
    assert data["details"]["classification"].startswith("Stag Hunt")
    # closed form: q* = (P - S)/((R - T) + (P - S)) with R=0, T = 4*(1/5)*(1 - (1/4)*(4/5)) - 1 = -9/25,
    # S=-3/2, P=-7/5 -> (1/10)/(9/25 + 1/10) = 5/23 (issue 13: phi now acts on T; it was T = -1/5, q* = 1/3)
    mixed = [e for e in data["equilibria"] if e["kind"] == "mixed"][0]
    assert mixed["profile"]["NATO"]["Restrain"] == "5/23"


@pytest.mark.parametrize("fmt, marker", [("markdown", "| # |"), ("latex", "\\toprule"), ("csv", "NATO: Restrain"),
                                         ("text", "Method:")])
def test_formats(capsys, fmt, marker):
    code, out, _ = run(capsys, "solve", "security_dilemma", "--set", "omega=1/5", "--format", fmt)
    assert code == 0 and marker in out


def test_latex_uses_fractions(capsys):
    _, out, _ = run(capsys, "solve", "security_dilemma", "--set", "omega=1/5", "--format", "latex")
    assert "\\frac{5}{23}" in out and "\\bottomrule" in out  # q* at omega = 1/5, see above


@pytest.mark.parametrize("argv, message", [
    (["solve", "security_dilemma", "--set", "omega=2"], "parameter omega: 2 is above the range"),
    (["solve", "security_dilemma", "--set", "nope=1"], "unknown parameter 'nope'"),
    (["solve", "security_dilemma", "--set", "omega"], "expected NAME=VALUE"),
    (["solve", "security_dilemma", "--set", "omega=abc"], "'abc' is not a number"),
    (["solve", "no_such_model"], "no such file"),
    (["solve", "security_dilemma", "--method", "magic"], "unknown method 'magic'"),
])
def test_bad_input_exits_1_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_bad_nfg_exits_1(tmp_path, capsys):
    path = tmp_path / "bad.nfg"
    path.write_text('NFG 1 R "x" { "A" "B" } { 2 2 }\n1 2 3\n')
    code, _, err = run(capsys, "solve", str(path))
    assert code == 1 and err.count("\n") == 1 and str(path) in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["solve"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_models_and_show(capsys):
    code, out, _ = run(capsys, "models")
    assert code == 0 and "security_dilemma" in out
    code, out, _ = run(capsys, "show", "security_dilemma", "--set", "v=3")
    assert code == 0
    for text in ("omega", "Jervis", "Payoffs at", "Assumptions", "toolkit parametrisation"):
        assert text in out


def test_convert_to_nfg_round_trips_through_solve(tmp_path, capsys):
    out_file = tmp_path / "sd.nfg"
    code, _, _ = run(capsys, "convert", "security_dilemma", "--to", "nfg", "--set", "omega=1/5", "--out", str(out_file))
    assert code == 0
    code, out, _ = run(capsys, "solve", str(out_file), "--format", "json")
    data = json.loads(out)
    mixed = [e for e in data["equilibria"] if e["kind"] == "mixed"][0]
    assert mixed["profile"]["NATO"]["Restrain"] == "5/23"  # q* at omega = 1/5 by hand, see above


def test_convert_to_json_and_efg_error(capsys):
    code, out, _ = run(capsys, "convert", "security_dilemma", "--to", "json")
    assert code == 0 and json.loads(out)["schema"] == "negotiation.models.game/1"
    code, _, err = run(capsys, "convert", "security_dilemma", "--to", "efg")
    assert code == 1 and "extensive-form" in err


def test_tables_writes_every_model(tmp_path, capsys):
    code, out, _ = run(capsys, "tables", "--out", str(tmp_path))
    assert code == 0 and "Prisoner's Dilemma" in out
    for suffix in ("txt", "md", "tex", "csv", "json"):
        assert (tmp_path / f"security_dilemma.{suffix}").exists()
    # issue 7: every bundled model gets its table and one figure of its key trade-off, linked from an index
    from negotiation.scenario import bundled_models

    index = (tmp_path / "README.md").read_text()
    page = (tmp_path / "index.html").read_text()
    for name in bundled_models():
        assert (tmp_path / f"{name}.md").stat().st_size > 0
        png = tmp_path / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert f"({name}.png)" in index and f'href="{name}.png"' in page


def gambit_nfg_corpus():
    """25 random bimatrix games, 2x2 to 4x4, payoffs in {0, 1, 2} (every other one) or 0-49."""
    import numpy as np

    rng = np.random.default_rng(11)
    for trial in range(25):
        m, n = rng.integers(2, 5, size=2)
        yield rng.integers(0, 3 if trial % 2 else 50, (m, n)), rng.integers(0, 3 if trial % 2 else 50, (m, n))


def _solve_nfg_equilibria(capsys, path):
    code, out, _ = run(capsys, "solve", str(path), "--format", "json")
    assert code == 0
    data = json.loads(out)
    # components cover every equilibrium
    assert set().union(*map(set, data["components"])) == set(range(len(data["equilibria"])))
    return {tuple(tuple(F(v) for v in e["profile"][p].values()) for p in data["game"]["players"])
            for e in data["equilibria"]}


def test_solve_gambit_written_nfg_matches_enummixed(tmp_path, capsys, gambit_reference):
    """Done-when of the foundation issue: any Gambit .nfg two-player game gives Gambit's extreme equilibria.

    The files Gambit wrote and its enummixed equilibria are committed in tests/reference/ (regenerated by
    its script from gambit_nfg_corpus); the `gambit` suite repeats this with live pygambit."""
    cases = gambit_reference("cli_nfg_enummixed")["cases"]
    assert [(A.tolist(), B.tolist()) for A, B in gambit_nfg_corpus()] == [(c["A"], c["B"]) for c in cases]
    from negotiation.formats.nfg import parse_nfg

    for trial, case in enumerate(cases):
        payoffs = parse_nfg(case["nfg"]).payoffs  # the committed file is Gambit's text of this case's game
        assert (payoffs[..., 0].tolist(), payoffs[..., 1].tolist()) == (case["A"], case["B"])
        path = tmp_path / f"g{trial}.nfg"
        path.write_text(case["nfg"])
        expected = {tuple(tuple(F(v) for v in vector) for vector in profile) for profile in case["equilibria"]}
        assert _solve_nfg_equilibria(capsys, path) == expected


@pytest.mark.gambit
def test_solve_gambit_written_nfg_matches_live_enummixed(tmp_path, capsys):
    gbt = pytest.importorskip("pygambit")
    for trial, (A, B) in enumerate(gambit_nfg_corpus()):
        g = gbt.Game.from_arrays([[F(int(v)) for v in row] for row in A], [[F(int(v)) for v in row] for row in B])
        path = tmp_path / f"g{trial}.nfg"
        path.write_text(g.to_nfg())
        players = list(g.players)
        expected = set()
        for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria:
            expected.add(tuple(tuple(F(str(eq[s])) for s in p.strategies) for p in players))
        assert _solve_nfg_equilibria(capsys, path) == expected


@pytest.mark.parametrize("argv, message", [
    (["sweep", "infrastructure_limits", "--grid", "W=0:1:3", "--out", "x.csv"], "negotiation agree"),
    (["convert", "infrastructure_limits", "--to", "nfg"], "bargaining model has no game"),
    (["derive", "infrastructure_limits"], "infrastructure_limits is a bargaining model"),
    (["agree", "security_dilemma"], "bargaining"),
])
def test_commands_on_the_wrong_kind_of_model_fail_cleanly(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 1 and err.count("\n") == 1 and message in err and "Traceback" not in err


def test_solve_method_correlated_on_aumanns_chicken(tmp_path, capsys):
    # Aumann (1974) / domain.md: Chicken (6,6 / 2,7 / 7,2 / 0,0): the welfare-maximising correlated
    # equilibrium puts 1/2 on (C, C) and 1/4 on each (C, D), (D, C): 21/4 each, more than the
    # symmetric Nash payoff 14/3 and outside the convex hull of the Nash payoffs (2,7), (7,2), (14/3,14/3).
    path = tmp_path / "chicken.nfg"
    path.write_text('NFG 1 R "Chicken" { "Row" "Column" } { 2 2 }\n6 6 7 2 2 7 0 0\n')
    code, out, _ = run(capsys, "solve", str(path), "--method", "correlated", "--format", "json")
    assert code == 0
    data = json.loads(out)
    welfare = data["correlated_equilibria"][0]
    assert welfare["objective"] == "welfare" and welfare["payoffs"] == {"Row": "21/4", "Column": "21/4"}
    nash = {(p["Row"], p["Column"]) for p in data["nash_payoffs"]}
    assert nash == {("2", "7"), ("7", "2"), ("14/3", "14/3")}


def test_agree_linkage_membership_has_no_zone_but_stationing_does(capsys):
    # Kortunov's argument (issue 7): settled alone, membership finds no agreement while the stationing
    # ceiling does (hand derivation in tests/models/test_enlargement_vs_infrastructure.py).
    code, out, _ = run(capsys, "agree", "enlargement_vs_infrastructure", "--linkage", "--format", "json")
    assert code == 0
    linkage = json.loads(out)["linkage"]  # the status quo comes from the file's [status_quo]
    settled = {s["issue"]: s["agreed"] for s in linkage["settlements"]}
    assert settled == {"membership": False, "stationing": True}
    assert linkage["issue_by_issue"]["terms"]["stationing"] == "180000/133"
    code, out, err = run(capsys, "agree", "enlargement_vs_infrastructure", "--linkage", "--status-quo", "oops")
    assert code == 1 and "--status-quo 'oops'" in err and "\n" not in err.strip()


def test_solver_limits_are_one_line_errors_not_tracebacks(capsys, monkeypatch):
    from negotiation import solvers

    def exhausted(game, **options):
        raise RuntimeError("lemke_howson: pivot budget of 10 exhausted")

    monkeypatch.setitem(solvers.METHODS, "lemke_howson", exhausted)
    code, out, err = run(capsys, "solve", "security_dilemma", "--method", "lemke_howson")
    assert code == 1 and out == ""
    assert err.startswith("negotiation: error: lemke_howson: pivot budget of 10 exhausted (try --method auto")
    assert err.count("\n") == 1


def test_tree_solve_json_contract_and_formats(capsys):
    code, out, err = run(capsys, "solve", "nato_enlargement", "--set", "l=3/4", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data)[:8] == ["game", "parameters", "method", "exact", "complete", "degenerate", "equilibria",
                              "components"]
    assert data["game"]["information_sets"]["Russia"]["Admit"] == ["Accept", "Militarise", "Coerce"]
    assert data["method"] == "backward_induction" and data["degenerate"] is True and data["details"]["count"] == 2
    assert {e["profile"]["NATO"]["root"]["Admit"] for e in data["equilibria"]} == {"0", "1"}
    for fmt, marker in (("text", "Method: backward_induction (exact, complete, ties)"), ("markdown", "| SPE 1 |"),
                        ("latex", "\\toprule"), ("csv", "NATO: root: Admit with limits")):
        code, out, _ = run(capsys, "solve", "nato_enlargement", "--set", "l=3/4", "--format", fmt)
        assert code == 0 and marker in out


def test_tree_derive_and_convert(capsys, tmp_path):
    code, out, _ = run(capsys, "derive", "nato_enlargement", "--set", "m=4", "--set", "t=5", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["schema"] == "negotiation.spe-conditions/1" and data["parameters"] == ["k", "c", "l"]
    assert data["values"] == {"m": "4", "t": "5"} and data["method"] == "backward_induction"
    code, out, _ = run(capsys, "derive", "nato_enlargement", "--set", "m=4", "--set", "t=5")
    assert code == 0 and "Admit with limits → Accept" in out and "Thresholds" in out
    path = tmp_path / "nato.efg"
    code, _, _ = run(capsys, "convert", "nato_enlargement", "--to", "efg", "--out", str(path))
    assert code == 0
    code, out, _ = run(capsys, "solve", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["equilibria"][0]["outcomes"][0]["path"] == ["Admit with limits", "Accept"]
