"""Names and labels (issue 16, item 6): NFKC-normalised, no control or bidirectional characters, no collisions.

A formula that reads ``ﬁ`` must mean the parameter declared ``ﬁ`` (which is ``fi`` after NFKC, the form
Python gives identifiers), never silently another one; a label that would hide or reorder text is refused
with one line naming where it is; two labels that normalise to the same label are refused.
"""

from __future__ import annotations

import unicodedata
from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.core.errors import NegotiationError
from negotiation.core.labels import REFUSED_CATEGORIES, normal_form, normalise_label, normalise_labels, visible
from negotiation.core.parameters import Parameter, ParameterSpace
from negotiation.models.bargaining import BargainingError, BargainingProblem, Issue
from negotiation.models.bayesian import BayesianError, BayesianGame
from negotiation.models.continuous import ContinuousGame, ContinuousGameError
from negotiation.models.game import Game, GameError
from negotiation.models.richardson import RichardsonError, RichardsonModel
from negotiation.models.signaling import SignalingError, SignalingGame
from negotiation.models.tree import GameTree, TreeError
from negotiation.scenario import ScenarioError, parse_scenario
from negotiation.scenario.game import parse_normal_form
from negotiation.scenario.tree import parse_tree_scenario

#: The bidirectional controls the issue names, and U+061C (ARABIC LETTER MARK).
BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u061c"]
#: Other characters that would hide text or break a line: controls, zero-width format characters, separators.
INVISIBLE = ["\x00", "\x07", "\n", "\r", "\t", "\x1b", "\x7f", "\x85", "\u200b", "\u200d", "\ufeff", "\u00ad",
             "\u2028", "\u2029"]

GAME = '''schema = "negotiation.scenario/1"
id = "labels"
title = "Labels"
kind = "normal-form"
[players]
A = ["x", "y"]
B = ["x", "y"]
[parameters."ﬁ"]
default = 3
[parameters.a]
default = 1
[payoffs]
"x, x" = ["ﬁ", 1]
"x, y" = [0, 0]
"y, x" = [0, 0]
"y, y" = [1, "a"]
'''


def one_line(error) -> str:
    text = str(error.value)
    assert "\n" not in text and not any(unicodedata.category(c) in REFUSED_CATEGORIES for c in text), text
    return text


# ---------------------------------------------------------------------- the one function
@pytest.mark.parametrize("character", BIDI + INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_control_and_bidirectional_characters_are_refused_and_named(character):
    with pytest.raises(NegotiationError) as error:
        normalise_label(f"Deploy{character}", where="game.toml: players.NATO", what="strategy label")
    text = one_line(error)
    assert text.startswith("game.toml: players.NATO: strategy label 'Deploy")
    assert f"U+{ord(character):04X}" in text


def test_labels_are_nfkc_and_collisions_are_refused():
    assert normalise_label("ﬁrst", where="w") == "first"
    assert normalise_label("Ｎａｔｏ", where="w") == "Nato"
    assert normalise_labels(["Restrain", "Deploy"], where="w") == ("Restrain", "Deploy")
    assert normalise_labels(["x", "x"], where="w") == ("x", "x")  # plain duplicates: the caller's message
    with pytest.raises(NegotiationError, match=r"^w: strategy labels 'ﬁ' and 'fi' are the same after Unicode "
                                               r"normalisation \(NFKC: 'fi'\)$"):
        normalise_labels(["ﬁ", "fi"], where="w", what="strategy label")
    with pytest.raises(GameError, match="expected a string"):
        normalise_label(7, where="w", error=GameError)
    assert normalise_label("Kalai–Smorodinsky …", where="title", normalise=False) == "Kalai–Smorodinsky …"
    assert visible("a\u202eb") == "a\\u202eb" and visible("plain") == "plain"
    assert normal_form("ﬁ") == "fi" and normal_form(None) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_a_label_is_refused_or_comes_back_clean_and_stable(text):
    try:
        label = normalise_label(text, where="w")
    except NegotiationError as error:
        assert "\n" not in str(error)
        assert any(unicodedata.category(c) in REFUSED_CATEGORIES for c in text)
        return
    assert label == unicodedata.normalize("NFKC", label)  # idempotent
    assert not any(unicodedata.category(c) in REFUSED_CATEGORIES for c in label)


# ---------------------------------------------------------------------- scenario files
def test_a_formula_reading_the_ligature_uses_the_parameter_declared_with_it():
    scenario = parse_scenario(GAME, source="labels.toml")
    assert scenario.parameters.names == ("fi", "a")
    assert scenario.game_at()["x", "x"]["A"] == 3  # the parameter declared "ﬁ", whose default is 3
    assert scenario.game_at({"ﬁ": 5})["x", "x"]["A"] == 5  # --set ﬁ=5 names the same parameter
    assert scenario.game_at({"fi": 7})["x", "x"]["A"] == 7


def test_two_parameters_that_normalise_alike_are_refused():
    text = GAME.replace("[parameters.a]", "[parameters.fi]\ndefault = 5\n[parameters.a]")
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text, source="labels.toml")
    assert one_line(error) == ("labels.toml: parameters: keys 'ﬁ' and 'fi' are the same after Unicode "
                               "normalisation (NFKC: 'fi')")
    # the same through the parser called with a dict (not only through the file reader)
    with pytest.raises(ScenarioError, match="'ﬁ' and 'fi' are the same"):
        parse_normal_form({"parameters": {"ﬁ": {"default": 1}, "fi": {"default": 2}}}, "d.toml")


def test_a_derived_name_that_normalises_to_a_parameter_is_refused():
    text = GAME.replace("[payoffs]", '[derived]\n"ａ" = "2*ﬁ"\n[payoffs]')
    with pytest.raises(ScenarioError, match=r"^labels.toml: derived.a: the name is already a parameter$"):
        parse_scenario(text, source="labels.toml")


@pytest.mark.parametrize("old, new, where", [
    ('A = ["x", "y"]', 'A = ["x\u202e", "y"]', "labels.toml: players.A: strategy label 'x\\u202e'"),
    ('[players]\nA', '[players]\n"A\u2066"', "labels.toml: players: key 'A\\u2066'"),
    ('"x, x" = ["ﬁ", 1]', '"x, x\u200f" = ["ﬁ", 1]', "labels.toml: payoffs: key 'x, x\\u200f'"),
    ('id = "labels"', 'id = "lab\u202dels"', "labels.toml: id: id 'lab\\u202dels'"),
    ('title = "Labels"', 'title = "Labels\\u202e"', "labels.toml: title: title 'Labels\\u202e'"),
])
def test_bidirectional_characters_in_a_scenario_file_are_one_line_errors(old, new, where):
    with pytest.raises(ScenarioError) as error:
        parse_scenario(GAME.replace(old, new), source="labels.toml")
    assert one_line(error).startswith(where)


def test_strategy_labels_are_normalised_and_looked_up_normalised():
    text = GAME.replace('A = ["x", "y"]', 'A = ["ｘ", "y"]')  # full-width x is x
    scenario = parse_scenario(text, source="labels.toml")
    assert scenario.game.strategies[0] == ("x", "y")
    with pytest.raises(ScenarioError, match="strategy labels 'ﬁre' and 'fire' are the same"):
        parse_scenario(GAME.replace('A = ["x", "y"]', 'A = ["ﬁre", "fire"]'), source="labels.toml")


def _bundled_text(name):
    return ng.scenario.bundled_models()[name].read_text(encoding="utf-8")


@pytest.mark.parametrize("name, old, new, message", [
    ("security_dilemma_bayesian", '"Security seeker"', '"Security\u202eseeker"', "types: type label"),
    ("reassurance_signal", 'messages = ["', 'messages = ["\u200f', "sender.messages: message label"),
    ("nato_enlargement", 'players = ["NATO", "Russia"]', 'players = ["NATO", "Russia\u2067"]',
     "players: player name"),
    ("infrastructure_limits", 'parties = ["NATO", "Russia"]', 'parties = ["NATO", "ＮＡＴＯ"]',
     "parties: party names 'NATO' and 'ＮＡＴＯ' are the same"),
    ("richardson_arms_race", 'variable = "x"', 'variable = "x\u200d"', "variable: variable name"),
])
def test_every_kind_refuses_hostile_labels(name, old, new, message):
    text = _bundled_text(name)
    assert old in text
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text.replace(old, new, 1), source=f"{name}.toml")
    assert message in one_line(error)


def test_the_tree_reads_paths_in_the_normal_form_of_its_actions():
    scenario = parse_tree_scenario({
        "schema": "negotiation.scenario/1", "id": "t", "title": "T", "kind": "extensive-form", "players": ["A"],
        "nodes": [{"path": "", "player": "A", "actions": ["ﬁght", "out"]},
                  {"path": "fight", "payoffs": [1]}, {"path": "out", "payoffs": [0]}]}, "t.toml")
    assert scenario.game.leaf_payoffs("ﬁght") == {"A": 1}
    with pytest.raises(ScenarioError, match="action labels 'ﬁght' and 'fight' are the same"):
        parse_tree_scenario({
            "schema": "negotiation.scenario/1", "id": "t", "title": "T", "kind": "extensive-form", "players": ["A"],
            "nodes": [{"path": "", "player": "A", "actions": ["ﬁght", "fight"]}, {"path": "fight", "payoffs": [1]}]},
            "t.toml")


def test_issue_options_are_normalised_and_refused_alike():
    text = _bundled_text("infrastructure_limits")
    scenario = parse_scenario(text, source="i.toml")
    discrete = [issue for issue in scenario.problem.agreements.issues if issue.kind == "discrete"]
    assert discrete, "the bundled model has a discrete issue"
    option = discrete[0].options[0]
    with pytest.raises(ScenarioError, match="option label"):
        parse_scenario(text.replace(f'"{option}"', f'"{option}\u202c"', 1), source="i.toml")


# ---------------------------------------------------------------------- models built in Python
def test_games_built_in_python_are_checked_and_normalised():
    game = Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]], players=("ﬁrst", "second"),
                            strategies=(("ｕp", "down"), ("l", "r")))
    assert game.players == ("first", "second") and game.strategies[0] == ("up", "down")
    with pytest.raises(GameError) as error:
        Game.from_arrays([[1]], [[1]], players=("A\u202e", "B"))
    assert one_line(error).startswith("players: player label 'A\\u202e' contains U+202E")
    with pytest.raises(GameError, match="strategy labels 'ﬁ' and 'fi' are the same"):
        Game.from_arrays([[1, 0]], [[1, 0]], strategies=(("x",), ("ﬁ", "fi")))
    table = Game.from_table({("ﬁ", "x"): (1, 2)}, strategies={"A": ["ﬁ"], "B": ["x"]})
    assert table.strategies[0] == ("fi",) and table["fi", "x"] == {"A": 1, "B": 2}


def test_symbols_of_a_python_game_are_the_parameters_of_their_normal_form():
    ligature, plain = sympy.Symbol("ﬁ"), sympy.Symbol("fi")
    game = Game.from_arrays([[ligature, 0]], [[0, 1]])
    assert game.parameters.names == ("fi",)
    assert game.substitute({"fi": 2}).payoffs[0, 0, 0] == 2  # the payoff follows the parameter
    with pytest.raises(GameError, match="parameter names 'fi' and 'ﬁ' are the same"):
        Game.from_arrays([[ligature, plain]], [[0, 1]])
    assert Parameter("ﬁ").name == "fi"
    with pytest.raises(NegotiationError, match="duplicate parameter name"):
        ParameterSpace((Parameter("ﬁ"), Parameter("fi")))
    with pytest.raises(NegotiationError, match="given twice under names that are the same"):
        ParameterSpace((Parameter("fi", F(1)),)).resolve({"ﬁ": 1, "fi": 2})


@pytest.mark.parametrize("build, error", [
    (lambda: BayesianGame(("A",), (("x\u202e", "y"),), (("L",),), prior=[["1/2"], ["1/2"]],
                          payoffs=np.zeros((2, 1, 1), dtype=int)), BayesianError),
    (lambda: SignalingGame("S", "R", ("s", "w"), ["1/2", "1/2"], ("m\u2066",), ("a",), payoffs=None),
     SignalingError),
    (lambda: GameTree.from_arrays(("A",), parent=[-1, 0, 0], node_player=[0, -1, -1],
                                  action_labels=["", "ﬁ", "fi"], payoffs=[[1], [0]]), TreeError),
    (lambda: GameTree.from_arrays(("A\u202e",), parent=[-1, 0], node_player=[0, -1],
                                  action_labels=["", "a"], payoffs=[[1]]), TreeError),
    (lambda: BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1)], ("NATO", "ＮＡＴＯ"), (0, 0)),
     BargainingError),
    (lambda: Issue.discrete("x", ["ban\u202e", "no"]), BargainingError),
    (lambda: Issue.continuous("ｔroops\u200b", 0, 1), BargainingError),
    (lambda: ContinuousGame(("A", "B\u202e"), ("x", "y"), ((0, 1), (0, 1)), ("x", "y")), ContinuousGameError),
    (lambda: ContinuousGame(("A", "B"), ("ﬁ", "y"), ((0, 1), (0, 1)), ("1", "y")), ContinuousGameError),
    (lambda: RichardsonModel(1, 1, 2, 2, labels=("ﬁ", "fi")), RichardsonError),
])
def test_every_model_constructor_refuses_hostile_labels(build, error):
    with pytest.raises(error) as raised:
        build()
    one_line(raised)


def test_model_labels_are_stored_normalised():
    tree = GameTree.from_arrays(("Ａ",), parent=[-1, 0, 0], node_player=[0, -1, -1],
                                action_labels=["", "ﬁght", "out"], payoffs=[[1], [0]])
    assert tree.players == ("A",) and tree.leaf_payoffs("fight") == tree.leaf_payoffs("ﬁght") == {"A": 1}
    assert Issue.discrete("ｍissiles", ["ｂan", "no"]).name == "missiles"
    assert Issue.discrete("missiles", ["ｂan", "no"]).options == ("ban", "no")
    assert RichardsonModel(1, 1, 2, 2, labels=("ＮＡＴＯ", "Russia")).labels == ("NATO", "Russia")
    problem = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1)], ("ＮＡＴＯ", "Russia"), (0, 0))
    assert problem.parties == ("NATO", "Russia")


def test_printed_labels_of_the_bundled_models_hold_no_control_characters():
    for name in ("security_dilemma", "nato_enlargement", "reassurance_signal", "infrastructure_limits"):
        text = ng.load(name).describe()
        lines = text.splitlines()
        assert not any(unicodedata.category(c) in REFUSED_CATEGORIES - {"Cc"} for c in text)
        assert all(not any(unicodedata.category(c) == "Cc" for c in line) for line in lines)
