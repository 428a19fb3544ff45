"""Backward induction on textbook trees (hand-solved), random trees against brute force, large trees."""

from fractions import Fraction as F

import pytest

from negotiation.solvers.backward_induction import backward_induction
from negotiation.solvers.tree import solve_tree
from negotiation.models.tree import GameTree, TreeError, chance, decision, terminal
from tree_helpers import brute_force_spe, pure_keys, random_tree, reference_values


def entry_deterrence():
    """Selten's chain-store stage game (Selten 1978): the threat to fight is not credible."""
    return GameTree.from_nested(("Entrant", "Incumbent"), decision("Entrant", {
        "Out": terminal(0, 2),
        "In": decision("Incumbent", {"Fight": terminal(-1, -1), "Accommodate": terminal(1, 1)})}),
        title="Entry deterrence")


def centipede(stages=6):
    """Rosenthal's (1981) centipede: at stage s the mover takes s + 2 (the other gets s) or passes;
    if everybody passes, both get ``stages``."""
    players = ("Ann", "Bob")
    node = terminal(stages, stages)
    for s in reversed(range(stages)):
        mover = s % 2
        take = (s + 2, s) if mover == 0 else (s, s + 2)
        node = decision(players[mover], {"Take": terminal(*take), "Pass": node})
    return GameTree.from_nested(players, node, title="Centipede")


def ultimatum(pie=3):
    """Ultimatum game with whole-unit offers 0..pie: the responder is indifferent at offer 0."""
    offers = {}
    for offer in range(pie + 1):
        offers[f"Offer {offer}"] = decision("Responder", {"Accept": terminal(pie - offer, offer),
                                                          "Reject": terminal(0, 0)})
    return GameTree.from_nested(("Proposer", "Responder"), decision("Proposer", offers), title="Ultimatum")


def test_entry_deterrence_spe_is_in_accommodate():
    result = backward_induction(entry_deterrence())
    assert len(result) == 1 and result.complete and result.exact and result.degenerate is False
    (equilibrium,) = result
    assert equilibrium.path == ("In", "Accommodate")
    assert equilibrium.payoffs == (F(1), F(1))
    assert equilibrium.profile.choice("Entrant", "root") == "In"
    assert equilibrium.profile.choice("Incumbent", "In") == "Accommodate"
    assert equilibrium.kind == "pure"


def test_centipede_first_mover_takes_at_once_and_every_mover_takes():
    tree = centipede(6)
    result = backward_induction(tree)
    (equilibrium,) = result
    assert equilibrium.path == ("Take",)
    assert equilibrium.payoffs == (F(2), F(0))
    for player in tree.players:
        assert set(action for mix in equilibrium.profile[player].values()
                   for action, p in mix.items() if p == 1) == {"Take"}


def test_ultimatum_with_discrete_offers_has_two_spe_from_the_tie_at_zero():
    result = backward_induction(ultimatum(3))
    assert len(result) == 2 and result.complete and result.degenerate is True
    assert result.details["count"] == 2 and result.details["tied_nodes"] == 1
    outcomes = {e.path: e.payoffs for e in result}
    assert outcomes == {("Offer 0", "Accept"): (F(3), F(0)), ("Offer 1", "Accept"): (F(2), F(1))}
    for equilibrium in result:
        responder = equilibrium.profile["Responder"]
        assert all(responder[f"Offer {k}"]["Accept"] == 1 for k in (1, 2, 3))
        expected = "Accept" if equilibrium.path[0] == "Offer 0" else "Reject"
        assert equilibrium.profile.choice("Responder", "Offer 0") == expected
    assert any("indifferent" in m for m in result.messages)


def test_chance_node_passes_on_the_expected_payoff():
    tree = GameTree.from_nested(("Investor",), decision("Investor", {
        "Gamble": chance({"Win": ("1/3", terminal(3)), "Lose": ("2/3", terminal(0))}),
        "Safe": terminal(F(1, 2))}))
    (equilibrium,) = backward_induction(tree)
    assert equilibrium.payoffs == (F(1),)
    assert equilibrium.profile.choice("Investor", "root") == "Gamble"
    assert dict(equilibrium.outcomes) == {("Gamble", "Win"): F(1, 3), ("Gamble", "Lose"): F(2, 3)}
    # a chance node above decisions: each subgame solved, payoffs averaged
    tree = GameTree.from_nested(("A", "B"), chance({
        "Strong": ("1/4", decision("B", {"Fight": terminal(-2, 3), "Yield": terminal(1, 0)})),
        "Weak": ("3/4", decision("B", {"Fight": terminal(1, -1), "Yield": terminal(0, 2)}))}))
    (equilibrium,) = backward_induction(tree)
    assert equilibrium.payoffs == (F(1, 4) * -2 + F(3, 4) * 0, F(1, 4) * 3 + F(3, 4) * 2)


def test_chance_tie_enumeration_averages_each_combination():
    tree = GameTree.from_nested(("A", "B"), decision("A", {
        "Stop": terminal(1, 0),
        "Go": chance({"H": ("1/2", decision("B", {"x": terminal(0, 1), "y": terminal(4, 1)})),
                      "T": ("1/2", terminal(2, 0))})}))
    result = backward_induction(tree)
    assert pure_keys(result) == brute_force_spe(tree)
    # B's tie at H; if B plays x, A is indifferent between Stop (1) and Go ((0 + 2)/2 = 1)
    assert sorted(e.payoffs for e in result) == [(F(1), F(0)), (F(1), F(1, 2)), (F(3), F(1, 2))]
    assert result.details["count"] == 3


@pytest.mark.parametrize("seed", range(40))
def test_random_small_trees_with_many_ties_match_brute_force(seed):
    tree = random_tree(14 + seed % 6, seed=seed, high=3, chance_share=0.2 if seed % 3 == 0 else 0.0,
                       n_players=2 + seed % 2, branching=(2, 2))
    result = backward_induction(tree)
    assert pure_keys(result) == brute_force_spe(tree)
    assert result.details.get("count", 1) == len(result)
    assert result.complete


def test_cap_on_the_number_of_equilibria_counts_them_all():
    # B is indifferent at eight nodes, A strictly prefers a7: 2**8 SPE
    tree = GameTree.from_nested(("A", "B"), decision("A", {
        f"a{k}": decision("B", {"l": terminal(k, 0), "r": terminal(k, 0)}) for k in range(8)}))
    result = backward_induction(tree, max_equilibria=10)
    assert len(result) == 10 and not result.complete
    assert result.details["count"] == 2 ** 8
    assert backward_induction(tree, max_equilibria=300).complete
    # A indifferent too: each of B's 2**8 choices leaves A the actions where B plays r
    tree = GameTree.from_nested(("A", "B"), decision("A", {
        f"a{k}": decision("B", {"l": terminal(0, 0), "r": terminal(1, 0)}) for k in range(8)}))
    assert backward_induction(tree, max_equilibria=5).details["count"] == 8 * 2 ** 7 + 8
    assert any("the first 10 are listed" in m for m in result.messages)
    assert len({e.profile for e in result}) == 10


def test_large_random_tree_against_a_plain_reference_loop():
    tree = random_tree(100_000, seed=1)
    assert tree.n_nodes == 100_000
    result = backward_induction(tree)
    assert len(result) == 1
    assert result[0].payoffs == tuple(F(int(v)) for v in reference_values(tree))
    small = random_tree(2_000, seed=2)
    assert pure_keys(backward_induction(small)) == {tuple(int(c) for c in _reference_choices(small))}


def _reference_choices(tree):
    values = [None] * tree.n_nodes
    choice = {}
    payoffs = tree.payoffs
    for node in range(tree.n_nodes - 1, -1, -1):
        kids = list(tree.children(node))
        if not kids:
            values[node] = tuple(payoffs[int(tree._structure["leaf_of_node"][node])])
            continue
        player = int(tree.node_player[node])
        best = max(range(len(kids)), key=lambda a: values[kids[a]][player])
        choice[node] = best
        values[node] = values[kids[best]]
    return [choice[int(node)] for node in tree._structure["infoset_node"]]


def test_float_tree_gives_the_same_choices_as_the_exact_one():
    exact = random_tree(5_000, seed=3)
    floating = exact.to_float()
    assert floating.arithmetic == "float"
    a, b = backward_induction(exact), backward_induction(floating)
    assert pure_keys(a) == pure_keys(b)
    assert not b.exact and isinstance(b[0].payoffs[0], float)
    assert b[0].payoffs == pytest.approx([float(v) for v in a[0].payoffs])


def test_deep_thin_tree_is_solved_level_by_level():
    tree = centipede(3_000)
    (equilibrium,) = backward_induction(tree)
    assert equilibrium.path == ("Take",)
    assert tree.depth == 3_000


def test_fraction_payoffs_and_chance_probabilities_stay_exact():
    tree = random_tree(300, seed=5, high=50, chance_share=0.3)
    result = backward_induction(tree)
    assert result.exact
    assert all(isinstance(v, F) for e in result for v in e.payoffs)
    assert pure_keys(result) <= brute_force_spe(tree) if tree.n_information_sets <= 12 else True
    values = reference_values(tree) if not result.degenerate else None
    if values is not None:
        assert result[0].payoffs == values


def test_imperfect_information_is_refused_with_the_information_set_named():
    tree = GameTree.from_nested(("A", "B"), decision("A", {
        "L": decision("B", {"x": terminal(1, 0), "y": terminal(0, 1)}, information_set="B guesses"),
        "R": decision("B", {"x": terminal(0, 1), "y": terminal(1, 0)}, information_set="B guesses")}))
    with pytest.raises(TreeError, match="information set 'B guesses' of B has 2 nodes"):
        backward_induction(tree)


def test_symbolic_tree_must_be_substituted_first():
    import sympy

    c = sympy.Symbol("c")
    tree = GameTree.from_nested(("A",), decision("A", {"x": terminal(c), "y": terminal(0)}))
    with pytest.raises(TreeError, match="substitute"):
        backward_induction(tree)
    assert solve_tree(tree, values={"c": 2})[0].path == ("x",)
    with pytest.raises(ValueError, match="unknown method 'magic'"):
        solve_tree(tree.substitute(c=1), method="magic")


def test_vertex_enumeration_on_a_perfect_information_tree_finds_all_nash_equilibria():
    result = solve_tree(entry_deterrence(), method="vertex_enumeration")
    paths = {e.path for e in result}
    assert paths == {("In", "Accommodate"), ("Out",)}  # (Out, Fight) is Nash but not subgame perfect
    assert any("not subgame perfect" in m for m in result.messages)
    assert result.components  # the Out equilibria form a component


def test_default_listing_of_a_large_tree_fits_the_work_budget():
    # A picks one of 50 actions (payoff k for a_k: a49 is best), then B one of 60, all tied: 60^50 SPE; the tree
    # has 50 + 50 × 60 = 3050 actions, so the default lists 100 000 // 3050 = 32 of them
    tree = GameTree.from_nested(("A", "B"), decision("A", {
        f"a{k}": decision("B", {f"b{j}": terminal(k, 0) for j in range(60)}) for k in range(50)}))
    result = backward_induction(tree)
    assert len(result) == 32 and not result.complete
    assert any("(max_equilibria=32)" in m for m in result.messages)
    assert all(e.path[0] == "a49" for e in result)
    assert len(backward_induction(tree, max_equilibria=40)) == 40  # an explicit cap is kept
