"""Every command has a description and every option a help text; ``solve --help`` lists the methods each
kind of model accepts, from the method registry; ``convert --nfg-body`` (issue 15, point 6)."""

from __future__ import annotations

import argparse
import re

import pytest

from negotiation.cli import COMMANDS, build_parser, main
from negotiation.solvers import solve


def command_parser(name: str) -> argparse.ArgumentParser:
    parser = build_parser(name)
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices[name]


def help_text(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines (and splits words at hyphens)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_a_description_and_every_option_a_help_text(name):
    parser = command_parser(name)
    assert parser.description and len(parser.description) > 20, name
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        assert action.help and action.help.strip(), f"{name} {action.option_strings or action.dest}: no help"


def test_the_top_level_help_lists_every_command_with_its_line(capsys):
    text = help_text(capsys)
    for name, (_, line, _) in COMMANDS.items():
        assert name in text and " ".join(line.split()) in text


def test_solve_help_lists_the_methods_the_readme_documents_and_every_registered_one(capsys):
    text = help_text(capsys, "solve").replace("- ", "-")  # "gambit- enummixed" where argparse wrapped it
    # the methods README.md names for `--method` (the issue found two families missing)
    for method in ("vertex_enumeration", "support_enumeration_polynomial", "enumerate_pure", "iterated_elimination",
                   "lemke_howson", "linear_program", "correlated", "logit_qre", "backward_induction",
                   "sequence_form", "gambit-enumpoly", "gambit-enummixed", "gambit-lcp", "gambit-logit", "pure_pbe",
                   "first_order_conditions", "best_response_iteration", "complementarity"):
        assert re.search(rf"[ ,:]{re.escape(method)}[,;. ]", text), method
    for registration in solve.registry.values():  # and every name the registry holds, however it grows
        if isinstance(getattr(registration.type, "kind", None), str) and not callable(registration.methods):
            for method in registration.methods_for(None):
                assert method in text, method
    for kind in ("strategic-form games:", "game trees:", "Bayesian games", "signaling games:", "continuous games:"):
        assert kind in text


def test_convert_nfg_body_and_the_old_spelling(capsys):
    text = help_text(capsys, "convert")
    assert "--nfg-body" in text and "--version" not in text  # the program's --version is the only one
    assert main(["convert", "security_dilemma", "--to", "nfg", "--nfg-body", "payoff"]) == 0
    payoff_body = capsys.readouterr()
    assert payoff_body.err == ""
    # Gambit's payoff body lists NATO's and Russia's payoffs profile by profile; (Deploy, Deploy) is -2, -2;
    # T = 4*(1/2)*(1 - (1/4)*(1/2)) - 1 = 3/4 at the defaults (issue 13)
    assert " ".join(payoff_body.out.rstrip().splitlines()[-4:]).split() == ["0", "0", "3/4", "-15/4", "-15/4",
                                                                           "3/4", "-2", "-2"]
    assert main(["convert", "security_dilemma", "--to", "nfg", "--version", "payoff"]) == 0
    legacy = capsys.readouterr()
    assert legacy.out == payoff_body.out
    assert legacy.err == ("negotiation: note: convert --version is deprecated (it is not the program's version); "
                          "use --nfg-body payoff\n")
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("negotiation ")
