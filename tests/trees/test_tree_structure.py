"""GameTree construction, validation errors, substitution, strategic form, conversions and display."""

import json
from fractions import Fraction as F

import numpy as np
import pytest
import sympy

from negotiation import Game, Parameter, ParameterSpace
from negotiation.models.tree import GameTree, TreeError, chance, decision, terminal
from tree_helpers import random_tree

PLAYERS = ("NATO", "Russia")


def nato_paths(**overrides):
    nodes = [
        {"path": "", "player": "NATO", "actions": ["Admit", "Defer"]},
        {"path": "Admit", "player": "Russia", "actions": ["Accept", "Militarise"]},
        {"path": "Admit/Accept", "payoffs": [2, -1]},
        {"path": "Admit/Militarise", "payoffs": [-1, -2]},
        {"path": "Defer", "payoffs": {"NATO": 0, "Russia": 0}},
    ]
    for path, changes in overrides.items():
        for node in nodes:
            if node["path"] == path:
                node.clear() if changes is None else node.update(changes)
    return [n for n in nodes if n]


def test_the_three_constructors_build_the_same_tree():
    nested = GameTree.from_nested(PLAYERS, decision("NATO", {
        "Admit": decision("Russia", {"Accept": terminal(2, -1), "Militarise": terminal(-1, -2)}),
        "Defer": terminal(0, 0)}))
    paths = GameTree.from_paths(PLAYERS, nato_paths())
    # parent pointers in depth-first order (not breadth first): reordered on the way in
    arrays = GameTree.from_arrays(PLAYERS, parent=[-1, 0, 1, 1, 0], node_player=[0, 1, -1, -1, -1],
                                  action_labels=["", "Admit", "Accept", "Militarise", "Defer"],
                                  payoffs=[[2, -1], [-1, -2], [0, 0]])
    for tree in (nested, paths, arrays):
        assert tree.to_dict() == nested.to_dict()
        assert tree.parent.tolist() == [-1, 0, 0, 1, 1]
        assert tree.actions("") == ("Admit", "Defer")
        assert tree.leaf_payoffs("Admit/Militarise") == {"NATO": F(-1), "Russia": F(-2)}
        assert tree.information_set_labels == ("root", "Admit")
        assert tree.is_perfect_information and tree.has_perfect_recall and tree.is_exact


def test_flat_storage_arrays():
    tree = GameTree.from_paths(PLAYERS, nato_paths())
    assert tree.node_kind.tolist() == [1, 1, 0, 0, 0]
    assert tree.node_player.tolist() == [0, 1, -1, -1, -1]
    assert tree.first_child.tolist() == [1, 3, -1, -1, -1]
    assert tree.n_children.tolist() == [2, 2, 0, 0, 0]
    assert tree.leaf_nodes.tolist() == [2, 3, 4]
    assert tree.payoffs.shape == (3, 2)
    assert not tree.parent.flags.writeable
    assert tree.find("Admit/Accept") == 3 and tree.path(3) == ("Admit", "Accept")


@pytest.mark.parametrize("overrides, message", [
    ({"Defer": {"payoffs": [0]}}, r"nodes\[4\] \(path 'Defer'\): 1 payoffs given, expected 2"),
    ({"Defer": {"payoffs": {"NATO": 0}}}, r"payoffs: no payoff for Russia"),
    ({"Defer": {"payoffs": {"NATO": 0, "Russia": 0, "Ukraine": 1}}}, r"unknown player 'Ukraine'"),
    ({"Admit/Accept": None}, r"action 'Accept' leads to path 'Admit/Accept', but no node has that path"),
    ({"Admit": {"player": "Ukraine"}}, r"unknown player 'Ukraine'"),
    ({"Admit": {"actions": ["Accept", "Accept"]}}, r"action 'Accept' appears twice"),
    ({"Admit": {"actions": ["Accept/Now", "Militarise"]}}, r"contains '/', the path separator"),
    ({"": {"probabilities": [1, 0]}}, r"either a player \(decision node\) or probabilities"),
    ({"Defer": {"player": "NATO"}}, r"a terminal node has payoffs only"),
    ({"Defer": {"colour": "red"}}, r"unknown key 'colour'"),
    ({"": None}, r"no node has path \"\" \(the root\)"),
])
def test_path_form_errors_are_one_line_and_name_the_node(overrides, message):
    with pytest.raises(TreeError, match=message) as error:
        GameTree.from_paths(PLAYERS, nato_paths(**overrides), where="model.toml")
    assert "\n" not in str(error.value) and str(error.value).startswith("model.toml: ")


def test_unreachable_and_duplicate_paths():
    nodes = nato_paths() + [{"path": "Admit/Coerce", "payoffs": [0, 0]}]
    with pytest.raises(TreeError, match=r"nodes\[5\]: path 'Admit/Coerce' cannot be reached: node 'Admit' has no "
                                        r"action 'Coerce'"):
        GameTree.from_paths(PLAYERS, nodes)
    nodes = nato_paths() + [{"path": "Nowhere/Coerce", "payoffs": [0, 0]}]
    with pytest.raises(TreeError, match=r"no node has path 'Nowhere'"):
        GameTree.from_paths(PLAYERS, nodes)
    nodes = nato_paths() + [{"path": "Admit / Accept", "payoffs": [0, 0]}]
    with pytest.raises(TreeError, match=r"nodes\[5\]: path 'Admit/Accept' is given twice \(also nodes\[2\]\)"):
        GameTree.from_paths(PLAYERS, nodes)


def test_chance_probabilities_must_sum_to_one():
    with pytest.raises(TreeError, match=r"chance node '': probabilities sum to 5/6, not 1"):
        GameTree.from_nested(("A",), chance({"H": ("1/2", terminal(1)), "T": ("1/3", terminal(0))}))
    with pytest.raises(TreeError, match=r"probability of 'H' is 3/2, outside \[0, 1\]"):
        GameTree.from_nested(("A",), chance({"H": ("3/2", terminal(1)), "T": ("-1/2", terminal(0))}))
    with pytest.raises(TreeError, match=r"probabilities sum to 0.9, not 1"):
        GameTree.from_nested(("A",), chance({"H": (0.5, terminal(1)), "T": (0.4, terminal(0))}))
    # floats within tolerance are accepted
    tree = GameTree.from_nested(("A",), chance({"H": (0.1 + 0.2, terminal(1)), "T": (0.7, terminal(0))}))
    assert tree.arithmetic == "float"
    p = sympy.Symbol("p")
    tree = GameTree.from_nested(("A",), chance({"H": (p, terminal(1)), "T": (1 - p, terminal(0))}))
    assert tree.is_symbolic and tree.parameters.names == ("p",)
    with pytest.raises(TreeError, match=r"probabilities sum to p \+ 1/2, not 1"):
        GameTree.from_nested(("A",), chance({"H": (p, terminal(1)), "T": ("1/2", terminal(0))}))
    with pytest.raises(TreeError, match=r"outside \[0, 1\]"):
        tree.substitute(p=2)


def test_information_sets_must_agree_on_player_and_actions():
    with pytest.raises(TreeError, match=r"information set 'guess': node 'R' belongs to A but node 'L' to B"):
        GameTree.from_nested(("A", "B"), decision("A", {
            "L": decision("B", {"x": terminal(0, 0), "y": terminal(0, 0)}, information_set="guess"),
            "R": decision("A", {"x": terminal(0, 0), "y": terminal(0, 0)}, information_set="guess")}))
    with pytest.raises(TreeError, match=r"node 'R' has actions \(y, x\) but node 'L' has \(x, y\)"):
        GameTree.from_nested(("A", "B"), decision("A", {
            "L": decision("B", {"x": terminal(0, 0), "y": terminal(0, 0)}, information_set="guess"),
            "R": decision("B", {"y": terminal(0, 0), "x": terminal(0, 0)}, information_set="guess")}))


def test_cycles_and_broken_parent_arrays_are_rejected():
    with pytest.raises(TreeError, match=r"lies on a cycle"):
        GameTree.from_arrays(("A",), parent=[-1, 0, 3, 2], node_player=[0, -1, 0, 0],
                             action_labels=["", "a", "b", "c"], payoffs=[[1]])
    with pytest.raises(TreeError, match=r"exactly one root"):
        GameTree.from_arrays(("A",), parent=[-1, -1], node_player=[0, 0], action_labels=["", "a"], payoffs=[[1], [2]])
    with pytest.raises(TreeError, match=r"its own parent"):
        GameTree.from_arrays(("A",), parent=[-1, 1], node_player=[0, 0], action_labels=["", "a"], payoffs=[[1]])
    with pytest.raises(TreeError, match=r"two actions labelled 'a'"):
        GameTree.from_arrays(("A",), parent=[-1, 0, 0], node_player=[0, 0, 0], action_labels=["", "a", "a"],
                             payoffs=[[1], [2]])
    with pytest.raises(TreeError, match=r"payoffs have shape \(2, 2\), expected \(2, 1\)"):
        GameTree.from_arrays(("A",), parent=[-1, 0, 0], node_player=[0, 0, 0], action_labels=["", "a", "b"],
                             payoffs=np.zeros((2, 2)))


def test_payoff_values_are_checked():
    with pytest.raises(TreeError, match=r"payoff of A at 'L'.*finite"):
        GameTree.from_nested(("A",), decision("A", {"L": terminal(float("nan")), "R": terminal(0)}))
    with pytest.raises(TreeError, match=r"payoff of A at 'R'.*not a number"):
        GameTree.from_nested(("A",), decision("A", {"L": terminal(1), "R": terminal("lots")}))
    with pytest.raises(TreeError, match=r"terminal node 'R': 2 payoffs given, expected 1"):
        GameTree.from_nested(("A",), decision("A", {"L": terminal(1), "R": terminal(1, 2)}))


def test_substitute_gives_a_numeric_tree_with_the_values_recorded():
    space = ParameterSpace((Parameter("c", F(2), F(0), F(10)), Parameter("p", F(1, 2), F(0), F(1))))
    c, p = space.symbols["c"], space.symbols["p"]
    tree = GameTree.from_nested(("A", "B"), decision("A", {
        "Risk": chance({"Good": (p, terminal(3, 0)), "Bad": (1 - p, terminal(-c, 1))}),
        "Safe": terminal(0, 0)}), parameters=space)
    assert tree.is_symbolic and tree.arithmetic == "symbolic"
    numeric = tree.substitute(c=4)
    assert numeric.is_exact and numeric.values == {"c": F(4), "p": F(1, 2)}
    assert numeric.leaf_payoffs("Risk/Bad") == {"A": F(-4), "B": F(1)}
    assert numeric.chance_probabilities("Risk") == {"Good": F(1, 2), "Bad": F(1, 2)}
    with pytest.raises(TreeError, match=r"parameter c: 11 is above the range \[0, 10\]"):
        tree.substitute(c=11)
    with pytest.raises(TreeError, match=r"unknown parameter 'q'"):
        tree.substitute(q=1)
    with pytest.raises(TreeError, match=r"already numeric"):
        numeric.substitute(c=1)


def test_reduced_strategic_form_of_a_centipede():
    tree = GameTree.from_nested(("Ann", "Bob"), decision("Ann", {
        "Take": terminal(1, 0),
        "Pass": decision("Bob", {"Take": terminal(0, 2),
                                 "Pass": decision("Ann", {"Take": terminal(3, 1), "Pass": terminal(2, 4)})})}))
    game = tree.to_strategic_form()
    assert isinstance(game, Game)
    assert game.strategies == (("Take/*", "Pass/Take", "Pass/Pass"), ("Take", "Pass"))
    assert game["Take/*", "Pass"] == {"Ann": F(1), "Bob": F(0)}
    assert game["Pass/Take", "Pass"] == {"Ann": F(3), "Bob": F(1)}
    assert game["Pass/Pass", "Take"] == {"Ann": F(0), "Bob": F(2)}


def test_strategic_form_takes_expectations_over_chance_and_keeps_symbols():
    p = sympy.Symbol("p")
    tree = GameTree.from_nested(("A", "B"), chance({
        "High": (p, decision("A", {"x": terminal(2, 0), "y": terminal(0, 1)})),
        "Low": (1 - p, decision("A", {"x": terminal(0, 0), "y": terminal(1, 1)}))}))
    game = tree.to_strategic_form()
    assert game.strategies[0] == ("x/x", "x/y", "y/x", "y/y")
    assert game.strategies[1] == ("(no move)",)
    p = tree.parameters.symbols["p"]  # the declared parameter (a real symbol)
    assert sympy.simplify(game["x/y", "(no move)"]["A"] - (2 * p + (1 - p))) == 0
    numeric = tree.substitute(p="1/4").to_strategic_form()
    assert numeric["x/y", "(no move)"] == {"A": F(5, 4), "B": F(3, 4)}


def test_perfect_recall_is_detected():
    forgetful = GameTree.from_nested(("A", "B"), decision("A", {
        "L": decision("A", {"x": terminal(1, 0), "y": terminal(0, 0)}, information_set="forgot"),
        "R": decision("A", {"x": terminal(0, 0), "y": terminal(1, 0)}, information_set="forgot")}))
    assert not forgetful.is_perfect_information
    assert not forgetful.has_perfect_recall
    from negotiation.solvers.tree import solve_tree

    with pytest.raises(TreeError, match="perfect recall"):
        solve_tree(forgetful)


def test_dict_round_trip_numeric_and_symbolic():
    tree = random_tree(60, seed=4, high=20, chance_share=0.2)
    data = json.loads(json.dumps(tree.to_dict()))
    again = GameTree.from_dict(data)
    assert again.to_dict() == tree.to_dict()
    c = sympy.Symbol("c")
    symbolic = GameTree.from_nested(("A",), decision("A", {"x": terminal(2 * c - 1), "y": terminal(0)}))
    again = GameTree.from_dict(json.loads(json.dumps(symbolic.to_dict())))
    assert again.is_symbolic and again.substitute(c=1).leaf_payoffs("x") == {"A": F(1)}


def test_display_and_plot():
    tree = GameTree.from_paths(PLAYERS, nato_paths(), title="Enlargement")
    assert repr(tree) == ("GameTree('Enlargement', 5 nodes, 3 terminal, players=['NATO', 'Russia'], exact, "
                          "perfect information)")
    text = tree.to_text()
    assert "root: NATO chooses (Admit, Defer)" in text and "  Admit: Russia chooses" in text
    assert "<pre>" in tree._repr_html_() and "```" in tree._repr_markdown_()
    from negotiation.solvers.backward_induction import backward_induction

    figure = tree.plot(backward_induction(tree))
    assert figure.axes[0].get_title() == "SPE 1: Admit → Accept"
    big = random_tree(1_000, seed=0)
    with pytest.raises(TreeError, match="more than max_nodes=400"):
        big.plot()


def test_default_labels_of_large_and_deep_trees_stay_short_and_unique():
    tree = random_tree(50_000, seed=9)
    labels = tree.information_set_labels
    assert len(set(labels)) == len(labels) and labels[0] == "root"
    assert labels[1] == tree.path_text(int(tree._structure["infoset_node"][1]))
    node = decision("A", {"stop": terminal(0)})
    for k in range(60):
        node = decision("A", {"stop": terminal(k), "go": node})
    deep = GameTree.from_nested(("A",), node)
    labels = deep.information_set_labels
    assert len(set(labels)) == len(labels) and max(len(label) for label in labels) < 240
