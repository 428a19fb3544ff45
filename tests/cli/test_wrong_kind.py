"""Every command on every bundled model: it runs, or refuses in one line that names the model's kind and
a command that does take it — and that command runs (issue 15, point 6)."""

from __future__ import annotations

import io
import re

import pytest

from negotiation.cli import main
from negotiation.scenario import bundled_models, load

#: The kind of each bundled model, written by hand from models/README.md and the files' headers.
EXPECTED_KIND = {
    "buffer_zone": "a bargaining model",
    "cfe2": "a bargaining model",
    "enlargement_vs_infrastructure": "a bargaining model",
    "infrastructure_limits": "a bargaining model",
    "force_posture_cournot": "a continuous game without a [dynamics] section",
    "richardson_arms_race": "a continuous game with Richardson arms-race dynamics",
    "nato_enlargement": "a game tree (extensive form)",
    "nato_enlargement_bayesian": "a game tree (extensive form)",
    "reassurance_signal": "a signaling game",
    "security_dilemma": "a strategic-form game",
    "security_dilemma_repeated": "a strategic-form game",
    "vienna_document_inspection": "a strategic-form game",
    "security_dilemma_bayesian": "a Bayesian game",
    # issue 18: cooperative games
    "nato_burden_sharing": "a cooperative game (a characteristic function)",
    "cfe2_ceiling_division": "a cooperative game (a characteristic function)",
    # issue 13: mechanisms of the debate
    "vienna_document_modernisation": "a strategic-form game",
    "security_dilemma_noisy": "a strategic-form game",
    "rotational_presence": "a game tree (extensive form)",
    "minsk_withdrawal": "a strategic-form game",
    # issue 13: force postures as a contest
    "force_posture_contest": "a continuous game without a [dynamics] section",
}
#: The commands a model of each kind must be refused by (the rest must take it), from the README's account of
#: each command: agree is bargaining only, arms-race Richardson only, sweep strategic form and trees only,
#: learn finite games only, derive everything with closed forms (no bargaining, no signaling games).
REFUSED_BY = {
    "a bargaining model": {"derive", "learn", "arms-race", "sweep"},
    "a continuous game without a [dynamics] section": {"agree", "learn", "arms-race", "sweep"},
    "a continuous game with Richardson arms-race dynamics": {"agree", "learn", "sweep"},
    "a game tree (extensive form)": {"agree", "arms-race"},
    "a signaling game": {"derive", "agree", "arms-race", "sweep"},
    "a strategic-form game": {"agree", "arms-race"},
    "a Bayesian game": {"agree", "arms-race", "sweep"},
    # issue 18: a cooperative game is solved (Shapley value, core, nucleolus), nothing else
    "a cooperative game (a characteristic function)": {"derive", "agree", "learn", "arms-race", "sweep"},
}
COMMANDS = ("solve", "derive", "agree", "learn", "arms-race", "sweep")


def argv_for(command: str, model: str) -> list[str]:
    """The cheapest run of ``command`` on ``model`` (short learning runs and sweeps, a short derivation)."""
    if command == "learn":
        return ["learn", model, "--steps", "3"]
    if command == "derive":
        return ["derive", model, "--time-limit", "3"]
    if command == "sweep":
        parameter = next(p for p in load(model).parameters.parameters if p.low is not None and p.low < p.high)
        return ["sweep", model, "--grid", f"{parameter.name}={parameter.low}:{parameter.high}:2", "--out", "t.csv",
                "--no-progress"]
    return [command, model]


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_bundled_models_are_the_ones_listed_here():
    assert set(bundled_models()) == set(EXPECTED_KIND)


# The derivation's time limit is a repeating SIGALRM; when one lands inside hypothesis's gc callback (it is
# loaded in this process) Python reports the swallowed alarm as unraisable, and the next one stops the work.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("model", sorted(EXPECTED_KIND))
def test_each_command_runs_or_names_the_kind_and_a_command_that_runs(model, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    kind = EXPECTED_KIND[model]
    suggested = set()
    for command in COMMANDS:
        code, out, err = run(capsys, argv_for(command, model))
        if command in REFUSED_BY[kind]:
            assert code == 1 and out == "" and err.count("\n") == 1, (command, err)
            assert err.startswith(f"negotiation: error: {model} is {kind}, not "), (command, err)
            assert f", which {command} takes: use negotiation " in err, (command, err)
            suggested.add(re.search(r"use negotiation (\S+)", err).group(1))
        elif code != 0:  # taken; only a derivation too large for its time limit may stop it
            assert command == "derive" and "did not finish within 3 s" in err, (command, err)
    for command in suggested:  # what the refusals suggest is taken
        assert command not in REFUSED_BY[kind]
        code, _, err = run(capsys, argv_for(command, model))
        # taken, as above: on a loaded machine a derivation may reach its time limit (a wall-clock limit)
        assert code == 0 or (command == "derive" and "did not finish within 3 s" in err), (command, err)


def test_the_issue_example_and_stdin(capsys, monkeypatch):
    code, _, err = run(capsys, ["dynamics", "security_dilemma"])
    assert code == 1 and err == ("negotiation: error: security_dilemma is a strategic-form game, not a continuous game "
                                 "with a [dynamics] section, which arms-race takes: use negotiation solve "
                                 "security_dilemma (or derive, learn, sweep)\n")
    # from standard input the suggestion reads it again
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(bundled_models()["cfe2"].read_bytes())))
    code, _, err = run(capsys, ["learn", "-"])
    assert code == 1 and err.startswith("negotiation: error: standard input (-) is a bargaining model, not a finite game")
    assert err.endswith("which learn takes: use negotiation agree - (or solve)\n")
