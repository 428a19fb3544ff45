"""Result types for trees: the JSON contract, tables, records, behaviour profiles."""

import json
from fractions import Fraction as F

import pytest

from negotiation.solvers.backward_induction import backward_induction
from negotiation.solvers.tree import solve_tree
from negotiation.models.tree import GameTree, chance, decision, terminal
from negotiation.results.tree import BehaviourProfile


def entry():
    return GameTree.from_nested(("Entrant", "Incumbent"), decision("Entrant", {
        "Out": terminal(0, 2),
        "In": decision("Incumbent", {"Fight": terminal(-1, -1), "Accommodate": terminal(1, 1)})}),
        title="Entry deterrence")


def test_json_contract_for_trees():
    data = json.loads(json.dumps(backward_induction(entry()).to_dict()))
    assert data["game"] == {"title": "Entry deterrence", "players": ["Entrant", "Incumbent"],
                            "information_sets": {"Entrant": {"root": ["Out", "In"]},
                                                 "Incumbent": {"In": ["Fight", "Accommodate"]}}}
    assert data["method"] == "backward_induction" and data["exact"] and data["complete"]
    assert data["degenerate"] is False and data["components"] == [[0]] and data["parameters"] == {}
    (equilibrium,) = data["equilibria"]
    assert equilibrium == {
        "kind": "pure",
        "profile": {"Entrant": {"root": {"Out": "0", "In": "1"}},
                    "Incumbent": {"In": {"Fight": "0", "Accommodate": "1"}}},
        "payoffs": {"Entrant": "1", "Incumbent": "1"},
        "outcomes": [{"path": ["In", "Accommodate"], "probability": "1"}],
    }


def test_float_results_are_json_numbers_and_behaviour_kind():
    tree = GameTree.from_nested(("A", "B"), decision("A", {
        "L": decision("B", {"l": terminal(1.0, -1.0), "r": terminal(-1.0, 1.0)}, information_set="b"),
        "R": decision("B", {"l": terminal(-1.0, 1.0), "r": terminal(1.0, -1.0)}, information_set="b")}))
    data = solve_tree(tree).to_dict()
    (equilibrium,) = data["equilibria"]
    assert equilibrium["kind"] == "behaviour" and data["exact"] is False
    assert equilibrium["profile"]["B"]["b"]["l"] == pytest.approx(0.5)
    assert isinstance(equilibrium["payoffs"]["A"], float)


def test_tables_records_csv_latex():
    result = backward_induction(entry())
    text = result.to_text()
    assert "Method: backward_induction (exact, complete, no ties)" in text
    assert any(line.split() == ["Incumbent", "In", "Accommodate"] for line in text.splitlines())
    assert "In → Accommodate" in text
    markdown = result.to_markdown()
    assert markdown.startswith("**Entry deterrence**") and "| Incumbent | In | Accommodate |" in markdown
    latex = result.to_latex()
    assert "\\toprule" in latex and "$\\to$" in latex and "\\bottomrule" in latex
    (record,) = result.to_records()
    assert record["Incumbent: In: Accommodate"] == 1 and record["payoff Entrant"] == F(1)
    assert record["path"] == "In → Accommodate"
    csv = result.to_csv()
    assert csv.splitlines()[0].startswith("equilibrium,kind,path,")
    assert result._repr_markdown_() == markdown and str(result) == text


def test_many_equilibria_and_information_sets_are_cut_in_tables_only():
    tree = GameTree.from_nested(("A", "B"), decision("A", {
        f"a{k}": decision("B", {"l": terminal(0, 0), "r": terminal(0, 0)}) for k in range(50)}))
    result = backward_induction(tree, max_equilibria=12)
    text = result.to_text()
    assert "more information sets are not shown" in text and "more equilibria are not shown" in text
    assert len(result.to_dict()["equilibria"]) == 12


def test_behaviour_profiles_compare_by_content():
    a = BehaviourProfile.from_mapping(entry(), {"Entrant": {"root": "In"}, "Incumbent": {"In": "Accommodate"}})
    b = BehaviourProfile.from_mapping(entry(), {"Entrant": {"root": {"In": 1}},
                                                "Incumbent": {"In": {"Accommodate": F(1), "Fight": 0}}})
    assert a == b and hash(a) == hash(b) and a.is_pure
    mixed = BehaviourProfile.from_mapping(entry(), {"Entrant": {"root": "In"},
                                                    "Incumbent": {"In": {"Fight": F(1, 2), "Accommodate": F(1, 2)}}})
    assert not mixed.is_pure and mixed != a
    assert mixed.describe() == "Entrant: root: In; Incumbent: In: 1/2 Fight + 1/2 Accommodate"
    with pytest.raises(ValueError, match="no choice given at information set 'In' of Incumbent"):
        BehaviourProfile.from_mapping(entry(), {"Entrant": {"root": "In"}})
    with pytest.raises(ValueError, match="unknown action 'Retreat'"):
        BehaviourProfile.from_mapping(entry(), {"Entrant": {"root": "Retreat"}})
    with pytest.raises(KeyError):
        a.distribution("Entrant", "nowhere")


def test_outcomes_with_chance_list_every_reached_leaf():
    tree = GameTree.from_nested(("A",), chance({"H": ("1/3", terminal(3)), "T": ("2/3", terminal(0))}))
    (equilibrium,) = backward_induction(tree)
    assert equilibrium.path is None
    assert equilibrium.path_text() == "H (1/3); T (2/3)"
    assert equilibrium.payoffs == (F(1),)
