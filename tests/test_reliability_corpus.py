"""The hostile corpus of the reliability benchmark is well formed, reproducible and right about its
expected answers, and the harness classifies runs as documented.

The benchmark itself (``benchmarks/bench_reliability.py``: every case, in subprocesses, minutes) is not
run here; a handful of cases go through the real harness to check it end to end.
"""

from __future__ import annotations

import importlib.util
import signal
import sys
from fractions import Fraction
from itertools import product
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "benchmarks" / "hostile"


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module          # the process pool pickles the harness's functions by module name
    spec.loader.exec_module(module)
    return module


bench = _module("bench_reliability", ROOT / "benchmarks" / "bench_reliability.py")
sys.path.insert(0, str(HOSTILE))
make_corpus = _module("make_corpus", HOSTILE / "make_corpus.py")
answers = _module("corpus_answers", HOSTILE / "corpus_answers.py")

#: Every category of issue 16's list has a folder of its own.
REQUIRED = {
    "expressions_huge", "exp_nested", "derived_chains", "huge_numbers", "toml_nesting", "inspection_horizon",
    "nfg_headers", "efg_malformed", "json_games", "labels_unicode", "confidence_tags", "disagreement_cycles",
    "cli_counts", "cli_files", "scaled_payoffs", "code_execution", "game_size", "malformed_scenarios",
}
COMMANDS = {"solve", "derive", "show", "sweep", "agree", "learn", "arms-race", "convert", "evolve", "noisy", "payoff-set",
            "estimate"}
API = {"from_arrays", "from_dict", "tree_from_dict", "solve_values", "parse_expression"}
ANSWERS = {"equilibria", "equilibria_include", "correlated", "payoffs", "sweep_equilibria", "csv_unique_rows",
           "status"}


@pytest.fixture(scope="module")
def corpus():
    return bench.load_corpus()


def test_the_corpus_has_several_hundred_cases_in_every_category_of_the_issue(corpus):
    categories = {case.category for case in corpus}
    assert REQUIRED <= categories
    assert len(corpus) >= 500
    for category in REQUIRED:
        assert sum(case.category == category for case in corpus) >= 10, category
    assert set(bench.category_descriptions()) == categories


def test_every_case_says_how_it_runs(corpus):
    for case in corpus:
        assert case.runs, case.id
        for argv in case.runs:
            assert all(isinstance(word, str) for word in argv), case.id
            if argv[0] == "api":
                assert argv[1] in API and argv[2] == "{input}", case.id
            else:
                assert argv[0] in COMMANDS, case.id
            if any("{input}" in word for word in argv):
                assert case.inputs, case.id
        for path in case.inputs:
            assert path.is_symlink() or path.is_file(), case.id
            assert path.parent.name == case.category, case.id


def test_cases_that_claim_an_answer_state_one(corpus):
    scaled = [case for case in corpus if case.category == "scaled_payoffs"]
    without = [case.id for case in scaled if not ANSWERS & set(case.expect)]
    # only the coordination game under methods that may pick any of its equilibria has no stored answer
    assert all("coordination" in name for name in without), without
    for case in corpus:
        if case.expect:
            assert ANSWERS & set(case.expect) or case.expect.get("note"), case.id
    nfkc = [case for case in corpus if case.category == "labels_unicode" and case.name.startswith("nfkc_")]
    assert nfkc and all(case.expect for case in nfkc)
    duplicates = [case for case in corpus if case.category == "json_games" and case.name.startswith("duplicate_")]
    assert duplicates and all(case.expect.get("status") == "error" for case in duplicates)


def _is_equilibrium(row, column, profile) -> bool:
    """Exact check with fractions: every strategy in a player's support is a best reply."""
    p = [Fraction(x) for x in profile[0]]
    q = [Fraction(x) for x in profile[1]]
    assert sum(p) == 1 and sum(q) == 1 and min(p + q) >= 0
    rows = [sum(Fraction(row[i][j]) * q[j] for j in range(len(q))) for i in range(len(p))]
    columns = [sum(Fraction(column[i][j]) * p[i] for i in range(len(p))) for j in range(len(q))]
    return all(rows[i] == max(rows) for i in range(len(p)) if p[i]) and \
        all(columns[j] == max(columns) for j in range(len(q)) if q[j])


def test_the_hand_computed_answers_are_equilibria():
    for game, (row, column) in answers.GAMES.items():
        for profile in answers.EQUILIBRIA[game]:
            assert _is_equilibrium(row, column, profile), game
        pure = [[["1" if i == a else "0" for i in range(len(row))], ["1" if j == b else "0" for j in range(len(row))]]
                for a, b in product(range(len(row)), repeat=2)]
        assert [p for p in pure if _is_equilibrium(row, column, p)] == answers.PURE[game], game
    mixed = [[Fraction(x) for x in player] for player in answers.EQUILIBRIA["asymmetric_mixed"][0]]
    assert [str(a * b) for a, b in product(*mixed)] == answers.CORRELATED["asymmetric_mixed"]


def test_the_scaled_cases_carry_the_answer_of_their_game(corpus):
    checked = 0
    for case in corpus:
        if case.category != "scaled_payoffs" or not case.name.startswith("arrays_") or "coordination" in case.name:
            continue
        game = next(g for g in answers.GAMES if case.name.startswith(f"arrays_{g}_"))
        method = case.runs[0][-1]
        expected = answers._expect(game, method)
        assert {k: v for k, v in case.expect.items() if k not in ("allow_error", "note")} == \
            {k: v for k, v in expected.items() if k != "allow_error"}, case.id
        checked += 1
    assert checked >= 100


def test_the_generator_reproduces_the_committed_corpus():
    assert make_corpus.check() == []


# ----------------------------------------------------------------------------------------------- harness
CASE = bench.Case("test", "case", (("solve", "x"),))


def _run(status=0, stderr="", cpu=0.5, maxrss=100 * 2**20, timed_out=False, signal_number=None, stdout=""):
    return bench.Run(("solve",), status=status, signal=signal_number, cpu=cpu, maxrss=maxrss,
                     timed_out=timed_out, stderr=stderr, stdout=stdout)


def test_classify_outcomes():
    assert bench.classify(CASE, [_run()]).outcome == bench.OK
    assert bench.classify(CASE, [_run(1, "negotiation: error: x.toml: bad\n")]).outcome == bench.ONE_LINE
    usage = "usage: negotiation solve [-h]\n                         PATH\nnegotiation solve: error: bad\n"
    assert bench.classify(CASE, [_run(2, usage)]).outcome == bench.ONE_LINE
    assert bench.classify(CASE, [_run(1, "line one\nline two\n")]).outcome == bench.OTHER
    assert bench.classify(CASE, [_run(None, "", signal_number=signal.SIGKILL)]).outcome == bench.OTHER
    assert bench.classify(CASE, [_run(0), _run(1, "negotiation: error: locked\n")]).outcome == bench.ONE_LINE


def test_classify_flags():
    traceback = "Traceback (most recent call last):\n  File ...\nTypeError: x\n"
    assert bench.classify(CASE, [_run(1, traceback)]).flags == {bench.TRACEBACK}
    assert bench.classify(CASE, [_run(cpu=2.01)]).flags == {bench.SLOW}
    assert bench.classify(CASE, [_run(cpu=1.9)]).flags == set()
    assert bench.classify(CASE, [_run(None, signal_number=signal.SIGXCPU, cpu=4)]).flags == {bench.SLOW}
    assert bench.classify(CASE, [_run(None, timed_out=True, signal_number=signal.SIGKILL)]).flags == {bench.SLOW}
    assert bench.classify(CASE, [_run(maxrss=2**30 + 1)]).flags == {bench.MEMORY}
    assert bench.classify(CASE, [_run(1, traceback + "MemoryError\n")]).flags == {bench.TRACEBACK, bench.MEMORY}
    assert bench.classify(CASE, [_run()], canaries=["CANARY"]).flags == {bench.EXECUTED}
    assert bench.classify(CASE, [_run()], wrong="no").flags == {bench.WRONG}


def _answer(profiles, payoffs=None) -> str:
    import json

    equilibria = [{"profile": {"A": dict(zip("xy", p[0])), "B": dict(zip("xy", p[1]))},
                   "payoffs": dict(zip("AB", payoffs or ["0", "0"]))} for p in profiles]
    return json.dumps({"game": {"players": ["A", "B"], "strategies": {"A": ["x", "y"], "B": ["x", "y"]}},
                       "equilibria": equilibria})


def test_check_answer(tmp_path):
    half = [["1/2", "1/2"], ["1/2", "1/2"]]
    right = _run(stdout=_answer([[[0.5, 0.5], [0.5, 0.5000001]]]))
    assert bench.check_answer({"equilibria": [half], "tolerance": 1e-6}, [right], tmp_path) == ""
    assert bench.check_answer({"equilibria": [half]}, [right], tmp_path)          # default tolerance 1e-9
    four = _run(stdout=_answer([[[1, 0], [1, 0]], [[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, 1], [0, 1]]]))
    assert bench.check_answer({"equilibria": []}, [four], tmp_path)
    assert bench.check_answer({"equilibria_include": [[[1, 0], [1, 0]]]}, [four], tmp_path) == ""
    assert bench.check_answer({"payoffs": [["3", "1"]]}, [_run(stdout=_answer([half], ["3", "1"]))], tmp_path) == ""
    assert bench.check_answer({"payoffs": [["3", "1"]]}, [_run(stdout=_answer([half], ["1", "1"]))], tmp_path)
    refused = _run(1, "negotiation: error: too large\n")
    assert bench.check_answer({"equilibria": [half]}, [refused], tmp_path)
    assert bench.check_answer({"equilibria": [half], "allow_error": True}, [refused], tmp_path) == ""
    assert bench.check_answer({"status": "error"}, [_run()], tmp_path)
    assert bench.check_answer({"status": "error"}, [refused], tmp_path) == ""
    (tmp_path / "o.csv").write_text("point,x\n0,1\n1,2\n0,1\n")
    assert "1 duplicate" in bench.check_answer({"csv_unique_rows": "o.csv"}, [_run(), _run()], tmp_path)
    (tmp_path / "o.csv").write_text("point,x\n0,1\n1,2\n")
    assert bench.check_answer({"csv_unique_rows": "o.csv"}, [_run(), refused], tmp_path) == ""
    correlated = _run(stdout='{"correlated_equilibria": [{"distribution": [{"probability": "1/4"}, '
                             '{"probability": 0.25}, {"probability": "1/4"}, {"probability": "1/4"}]}]}')
    assert bench.check_answer({"correlated": ["1/4"] * 4}, [correlated], tmp_path) == ""
    assert bench.check_answer({"correlated": ["0", "0", "0", "1"]}, [correlated], tmp_path)


def test_a_partial_answer_is_checked_for_what_it_lists(tmp_path):
    import json

    # coordination [[1, 0], [0, 1]] for both: (1, 1), (2, 2) and the 1/2-1/2 mixture (hand computation)
    every = [[["1", "0"], ["1", "0"]], [["0", "1"], ["0", "1"]], [["1/2", "1/2"], ["1/2", "1/2"]]]

    def partial(profiles):
        answer = json.loads(_answer(profiles))
        return _run(stdout=json.dumps(answer | {"complete": False}))

    pure = [[[1, 0], [1, 0]], [[0, 1], [0, 1]]]
    assert bench.check_answer({"equilibria": every}, [partial(pure)], tmp_path) == ""
    assert bench.check_answer({"equilibria": every}, [_run(stdout=_answer(pure))], tmp_path)   # no claim: all
    assert bench.check_answer({"equilibria": every}, [partial([])], tmp_path)
    assert bench.check_answer({"equilibria": every}, [partial([[[1, 0], [0, 1]]])], tmp_path)  # not one
    assert bench.check_answer({"equilibria": every}, [partial(pure + pure[:1])], tmp_path)     # one twice


def test_exit_status():
    ok = bench.classify(CASE, [_run()])
    error = bench.classify(CASE, [_run(1, "negotiation: error: bad\n")])
    assert bench.exit_status([ok, error]) == 0
    assert bench.exit_status([ok, bench.classify(CASE, [_run(cpu=3)])]) == 1
    assert bench.exit_status([bench.classify(CASE, [_run(1, "two\nlines\n")])]) == 1


def test_a_handful_of_cases_through_the_real_harness(corpus):
    by_id = {case.id: case for case in corpus}
    canary = bench.Case("test", "canary", (("sweep", "security_dilemma", "--grid", "omega=0:1:2", "--out",
                                            "CANARY.csv", "--no-progress"),))
    wrong = bench.Case("test", "wrong", (("solve", "security_dilemma", "--format", "json"),),
                       expect={"equilibria": [[["1", "0"], ["1", "0"]]]})
    cases = [by_id["controls/security_dilemma_defaults.argv.json"],
             by_id["code_execution/payoff_import_os_system.toml"],
             by_id["json_games/payoff_word.json"], canary, wrong]
    records = {r.case.id: r for r in bench.run_all(cases, jobs=2, cpu_limit=20, timeout=120)}
    assert records["controls/security_dilemma_defaults.argv.json"].outcome == bench.OK
    assert records["controls/security_dilemma_defaults.argv.json"].flags <= {bench.SLOW}   # a loaded machine
    executed = records["code_execution/payoff_import_os_system.toml"]
    assert executed.outcome == bench.ONE_LINE and bench.EXECUTED not in executed.flags
    assert records["json_games/payoff_word.json"].outcome == bench.ONE_LINE
    assert bench.EXECUTED in records["test/canary"].flags and "CANARY.csv" in records["test/canary"].canaries
    assert bench.WRONG in records["test/wrong"].flags
