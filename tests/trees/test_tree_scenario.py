"""Extensive-form scenario files: the bundled NATO enlargement model, TOML errors, .efg files as scenarios."""

import tomllib
from fractions import Fraction as F

import pytest

import negotiation as ng
from negotiation.formats.efg import write_efg
from negotiation.scenario import ScenarioError
from negotiation.scenario.tree import TreeScenario, load_efg_scenario, parse_tree_scenario
from negotiation.models.tree import GameTree

HEADER = '''schema = "negotiation.scenario/1"
id = "entry"
title = "Entry deterrence"
kind = "extensive-form"
players = ["Entrant", "Incumbent"]

[parameters.c]
default = 2
range = [0, 10]
description = "cost of fighting to the incumbent"
source = "textbook"
'''

NODES = '''
[[nodes]]
path = ""
player = "Entrant"
actions = ["Out", "In"]

[[nodes]]
path = "Out"
payoffs = [0, 2]

[[nodes]]
path = "In"
player = "Incumbent"
actions = ["Fight", "Accommodate"]

[[nodes]]
path = "In/Fight"
payoffs = ["-1", "1 - c"]

[[nodes]]
path = "In/Accommodate"
payoffs = { Entrant = 1, Incumbent = 1 }
'''


def parse(text, source="entry.toml"):
    return parse_tree_scenario(tomllib.loads(text), source)


def test_the_documented_example_parses_and_solves():
    scenario = parse(HEADER + NODES)
    assert isinstance(scenario, TreeScenario) and scenario.kind == "extensive-form"
    assert scenario.game.is_symbolic and scenario.parameters.names == ("c",)
    assert scenario.solve()[0].path == ("In", "Accommodate")
    # at c = 0 the incumbent is indifferent: fighting becomes credible too
    assert {e.path for e in scenario.solve({"c": 0})} == {("In", "Accommodate"), ("Out",)}
    conditions = scenario.derive()
    assert {e.path_text() for e in conditions.equilibria} == {"In → Accommodate", "Out"}
    assert "Tree at c = 2:" in scenario.describe()
    # the players table form of the brief is accepted too
    table_form = HEADER.replace('players = ["Entrant", "Incumbent"]\n', "") + \
        '[players]\nnames = ["Entrant", "Incumbent"]\n' + NODES
    assert parse(table_form).game.players == ("Entrant", "Incumbent")


@pytest.mark.parametrize("change, message", [
    (("kind = \"extensive-form\"", "kind = \"extensive-form\"\ncolour = 1"), r"entry.toml: unknown key 'colour'"),
    (('players = ["Entrant", "Incumbent"]', 'players = "Entrant"'), r"players: expected a list of player labels"),
    (('payoffs = ["-1", "1 - c"]', 'payoffs = ["-1", "1 - d"]'),
     r"entry.toml: nodes\[3\].payoffs\[1\]: .*'d'"),
    (('payoffs = ["-1", "1 - c"]', 'payoffs = ["-1", "__import__(1)"]'), r"nodes\[3\].payoffs\[1\]"),
    (('payoffs = ["-1", "1 - c"]', 'payoffs = ["-1"]'), r"nodes\[3\] \(path 'In/Fight'\): 1 payoffs given, expected 2"),
    (('player = "Incumbent"', 'player = "Regulator"'), r"nodes\[2\] \(path 'In'\): unknown player 'Regulator'"),
    (('path = "In/Accommodate"', 'path = "In/Acommodate"'),
     r"nodes\[1\] \(path ''\)|action 'Accommodate' leads to path 'In/Accommodate', but no node has that path"),
    (('actions = ["Fight", "Accommodate"]', 'actions = ["Fight", "Accommodate"]\nprobabilities = ["1/2", "1/2"]'),
     r"either a player \(decision node\) or probabilities"),
    (('path = "Out"\n', 'path = "Out"\nshape = "square"\n'), r"nodes\[1\]: unknown key 'shape'"),
])
def test_toml_errors_name_the_file_and_the_node(change, message):
    text = (HEADER + NODES).replace(*change)
    with pytest.raises(ScenarioError, match=message) as error:
        parse(text)
    assert "\n" not in str(error.value)


def test_chance_nodes_and_probability_formulas():
    text = HEADER.replace("[parameters.c]", "[parameters.p]\ndefault = \"1/2\"\nrange = [0, 1]\ndescription = \"p\"\n"
                                           "source = \"s\"\n\n[parameters.c]") + '''
[[nodes]]
path = ""
probabilities = ["p", "1 - p"]
actions = ["Strong", "Weak"]

[[nodes]]
path = "Strong"
payoffs = [0, "c"]

[[nodes]]
path = "Weak"
payoffs = [1, 0]
'''
    scenario = parse(text)
    tree = scenario.game_at({"p": "1/4"})
    assert tree.chance_probabilities("") == {"Strong": F(1, 4), "Weak": F(3, 4)}
    assert scenario.solve({"p": "1/4"})[0].payoffs == (F(3, 4), F(1, 2))
    bad = text.replace('probabilities = ["p", "1 - p"]', 'probabilities = ["p", "1/2"]')
    with pytest.raises(ScenarioError, match=r"chance node '': probabilities sum to p \+ 1/2, not 1"):
        parse(bad)


def test_assumptions_are_checked_at_every_point():
    text = HEADER + NODES + '\n[[assumptions]]\nexpr = "c <= 5"\ndescription = "fighting is affordable"\n'
    scenario = parse(text)
    with pytest.raises(ScenarioError, match=r"assumption 'c <= 5' does not hold at c=6 \(fighting is affordable\)"):
        scenario.solve({"c": 6})
    with pytest.raises(ScenarioError, match=r"parameter c: 11 is above the range"):
        scenario.game_at({"c": 11})


def test_nato_enlargement_model_documents_every_parameter():
    scenario = ng.load("nato_enlargement")
    assert scenario.game.players == ("NATO", "Russia")
    assert scenario.game.actions("") == ("Admit", "Admit with limits", "Defer")
    assert all(scenario.game.actions(a) == ("Accept", "Militarise", "Coerce") for a in scenario.game.actions(""))
    for p in scenario.parameters:
        assert p.description and p.source and p.unit and p.default is not None and p.low is not None
        assert p.confidence in ("published", "computed", "toolkit", "assumption")
    assert scenario.game.is_perfect_information


@pytest.mark.parametrize("values, paths", [
    ({}, {"Admit with limits → Accept"}),
    ({"l": "1/4"}, {"Admit → Militarise"}),     # limits too weak: Russia militarises anyway
    ({"l": "4/5"}, {"Admit → Militarise"}),     # limits too costly to NATO: full membership, militarised border
    ({"l": "3/4"}, {"Admit → Militarise", "Admit with limits → Accept"}),  # NATO indifferent: l*m = k
    ({"t": 2}, {"Admit → Accept"}),             # low threat: Russia accepts full membership
    ({"t": 8}, {"Admit → Militarise"}),         # high threat: limits no longer reassure
    ({"k": 6}, {"Admit → Accept"}),             # militarising costs more than the threat
    ({"k": 1}, {"Admit → Militarise"}),
    ({"c": 1}, {"Defer → Accept"}),             # cheap coercion deters enlargement
    ({"m": 6}, {"Admit → Militarise"}),
    ({"k": 4, "m": 3, "t": 10, "l": "1/2"}, {"Defer → Accept"}),
])
def test_what_the_nato_model_says(values, paths):
    result = ng.load("nato_enlargement").solve(values)
    assert {e.path_text() for e in result} == paths


def test_defaults_payoffs_and_result_shape():
    result = ng.load("nato_enlargement").solve()
    (equilibrium,) = result
    assert equilibrium.payoffs == (F(8, 5), F(-2))
    assert equilibrium.profile["Russia"]["Admit"]["Militarise"] == 1
    assert result.parameters == {"m": 4, "t": 5, "k": 3, "c": 10, "l": F(3, 5)}


def test_efg_file_as_a_scenario(tmp_path):
    tree = ng.load("nato_enlargement").game_at()
    path = tmp_path / "nato.efg"
    write_efg(tree, path, comment="NATO at the defaults")
    scenario = load_efg_scenario(path)
    assert scenario.description == "NATO at the defaults" and scenario.id == "nato"
    assert scenario.solve()[0].path == ("Admit with limits", "Accept")
    assert ng.load(path).game.to_dict()["nodes"] == tree.to_dict()["nodes"]
    with pytest.raises(ScenarioError, match="no bundled model"):
        ng.load("no_such_model")
    bad = tmp_path / "bad.efg"
    bad.write_text('EFG 2 R "x" { "A" }\nq "" 0\n')
    with pytest.raises(ScenarioError, match=r"bad.efg: line 2: expected node type"):
        load_efg_scenario(bad)


def test_a_numeric_tree_without_parameters_is_its_own_game_at():
    text = HEADER.split("[parameters.c]")[0] + NODES.replace('"1 - c"', '"-1"')
    scenario = parse(text)
    assert not scenario.game.is_symbolic
    assert scenario.game_at() is scenario.game
    with pytest.raises(ScenarioError, match="unknown parameter 'c'"):
        scenario.game_at({"c": 1})
    assert isinstance(scenario.game, GameTree)
