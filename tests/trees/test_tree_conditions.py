"""Symbolic subgame-perfect conditions against numeric backward induction at random parameter points."""

import random
from fractions import Fraction as F

import pytest

import negotiation as ng
from negotiation import Parameter, ParameterSpace
from negotiation.solvers.backward_induction import backward_induction
from negotiation.symbolic.tree import subgame_perfect_conditions
from negotiation.models.tree import GameTree, TreeError, chance, decision, terminal
from tree_helpers import pure_keys


def keys_of(equilibria):
    return {tuple(int(c) for c in e.profile.choices) for e in equilibria}


def random_point(space, rng):
    return {p.name: p.low + (p.high - p.low) * F(rng.randint(1, 999), 1000) for p in space}


@pytest.fixture(scope="module")
def nato():
    scenario = ng.load("nato_enlargement")
    return scenario, ng.derive(scenario)


def test_nato_conditions_match_backward_induction_at_random_points(nato):
    scenario, conditions = nato
    rng = random.Random(12)
    for _ in range(150):
        point = random_point(scenario.parameters, rng)
        numeric = backward_induction(scenario.game_at(point))
        assert keys_of(conditions.equilibria_at(point)) == pure_keys(numeric), point
        predicted = {e.path_text() for e in conditions.equilibria_at(point)}
        assert predicted == {e.path_text() for e in numeric}


def test_nato_conditions_on_a_boundary_list_both_sides(nato):
    scenario, conditions = nato
    point = {**scenario.parameters.defaults, "l": F(3, 4)}  # NATO indifferent: l*m = k
    numeric = backward_induction(scenario.game_at(point))
    assert len(numeric) == 2 and numeric.degenerate
    assert keys_of(conditions.equilibria_at(point)) == pure_keys(numeric)


def test_nato_outcome_regions_and_thresholds(nato):
    _, conditions = nato
    assert set(conditions.outcomes) == {"Admit → Accept", "Admit → Militarise", "Admit with limits → Accept",
                                        "Defer → Accept"}
    assert conditions.outcomes["Admit with limits → Accept"].holds({"m": 4, "t": 5, "k": 3, "c": 10, "l": F(3, 5)})
    found = {(t.parameter, t.value) for t in conditions.thresholds if t.in_range}
    assert {("l", F(2, 5)), ("l", F(3, 4)), ("k", F(12, 5)), ("k", 2), ("t", 3), ("t", F(15, 2)),
            ("m", 5), ("c", 2)} <= found
    text = conditions.to_text()
    assert "Admit with limits → Accept" in text and "only on boundaries" in text
    data = conditions.to_dict()
    assert data["schema"] == "negotiation.spe-conditions/1" and len(data["equilibria"]) == len(conditions.equilibria)
    assert "Admit with limits" in conditions.to_markdown() and "\\begin{tabular}" in conditions.to_latex()


def random_symbolic_tree(seed):
    rng = random.Random(seed)
    space = ParameterSpace((Parameter("a", F(1), F(-2), F(2)), Parameter("b", F(1, 2), F(0), F(3)),
                            Parameter("p", F(1, 2), F(0), F(1))))
    a, b, p = (space.symbols[name] for name in ("a", "b", "p"))

    def payoff():
        return rng.randint(-2, 2) + rng.randint(-1, 1) * a + rng.randint(-1, 1) * b

    def node(depth, mover):
        if depth == 0:
            return terminal(payoff(), payoff())
        if depth == 2 and rng.random() < 0.3:
            return chance({"h": (p, node(depth - 1, mover)), "t": (1 - p, node(depth - 1, mover))})
        player = ("A", "B")[mover]
        return decision(player, {"x": node(depth - 1, 1 - mover), "y": node(depth - 1, 1 - mover)})

    return GameTree.from_nested(("A", "B"), node(3, 0), parameters=space)


@pytest.mark.parametrize("seed", range(12))
def test_random_symbolic_trees_match_backward_induction(seed):
    tree = random_symbolic_tree(seed)
    conditions = subgame_perfect_conditions(tree)
    rng = random.Random(seed)
    for _ in range(25):
        point = random_point(tree.parameters, rng)
        numeric = backward_induction(tree.substitute(point))
        assert keys_of(conditions.equilibria_at(point)) == pure_keys(numeric), point


def test_chance_probability_threshold():
    space = ParameterSpace((Parameter("p", F(1, 2), F(0), F(1)),))
    p = space.symbols["p"]
    tree = GameTree.from_nested(("Investor",), decision("Investor", {
        "Gamble": chance({"Win": (p, terminal(3)), "Lose": (1 - p, terminal(0))}),
        "Safe": terminal(1)}), parameters=space)
    conditions = subgame_perfect_conditions(tree)
    regions = {e.path_text(): str(e.condition) for e in conditions.equilibria}
    assert regions == {"Gamble → Win (p); Gamble → Lose (1 - p)": "3*p >= 1", "Safe": "3*p <= 1"}
    assert [(t.parameter, t.value) for t in conditions.thresholds] == [("p", F(1, 3))]


def test_fixing_values_and_errors(nato):
    scenario, _ = nato
    fixed = ng.derive(scenario, {"m": 4, "t": 5, "c": 10, "l": "3/5"})
    assert fixed.free.names == ("k",) and fixed.parameters == {"m": 4, "t": 5, "c": 10, "l": F(3, 5)}
    # below k = 2 Russia militarises against limited membership too; either way NATO admits fully up to 12/5
    expected = {F(1): "Admit → Militarise", F(11, 5): "Admit → Militarise", F(3): "Admit with limits → Accept",
                F(6): "Admit → Accept"}
    for k, path in expected.items():
        assert [name for name, region in fixed.outcomes.items() if region.holds({"k": k})] == [path]
    assert sorted(t.value for t in fixed.thresholds if t.in_range) == [2, F(12, 5), 5]
    with pytest.raises(TreeError, match="unknown parameter 'z'"):
        subgame_perfect_conditions(scenario.game, {"z": 1})
    imperfect = GameTree.from_nested(("A", "B"), decision("A", {
        "L": decision("B", {"x": terminal(1, 0), "y": terminal(0, 1)}, information_set="I"),
        "R": decision("B", {"x": terminal(0, 1), "y": terminal(1, 0)}, information_set="I")}))
    with pytest.raises(TreeError, match="needs perfect information"):
        subgame_perfect_conditions(imperfect)
