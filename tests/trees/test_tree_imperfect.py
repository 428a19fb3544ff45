"""Imperfect information: Nash equilibria through the reduced strategic form, in behaviour strategies."""

import io
from fractions import Fraction as F

import pytest

from negotiation.formats.efg import format_efg
from negotiation.solvers.tree import solve_tree
from negotiation.models.tree import GameTree, chance, decision, terminal


def myerson_card_game():
    """Myerson (1991, §2.1): each antes 1; player 1 sees a red or black card (1/2 each) and raises or folds;
    player 2, not seeing the card, meets or passes. Equilibrium: 1 always raises with red, raises with black
    with probability 1/3; 2 meets with probability 2/3; value 1/3 to player 1."""
    def after_raise(win):
        return decision("Player 2", {"Meet": terminal(win, -win), "Pass": terminal(1, -1)},
                        information_set="after a raise")
    return GameTree.from_nested(("Player 1", "Player 2"), chance({
        "Red": ("1/2", decision("Player 1", {"Raise": after_raise(2), "Fold": terminal(1, -1)},
                                information_set="red card")),
        "Black": ("1/2", decision("Player 1", {"Raise": after_raise(-2), "Fold": terminal(-1, 1)},
                                  information_set="black card"))}), title="Myerson's card game")


def test_myerson_card_game_hand_values():
    tree = myerson_card_game()
    assert not tree.is_perfect_information and tree.has_perfect_recall
    result = solve_tree(tree)
    assert result.method == "vertex_enumeration" and result.exact and result.complete
    (equilibrium,) = result
    profile = equilibrium.profile
    assert profile["Player 1"] == {"red card": {"Raise": 1, "Fold": 0},
                                   "black card": {"Raise": F(1, 3), "Fold": F(2, 3)}}
    assert profile["Player 2"] == {"after a raise": {"Meet": F(2, 3), "Pass": F(1, 3)}}
    assert equilibrium.payoffs == (F(1, 3), F(-1, 3))
    assert equilibrium.kind == "behaviour"
    assert sum(p for _, p in equilibrium.outcomes) == 1
    assert any("Kuhn" in m for m in result.messages)


def test_matching_pennies_as_a_tree():
    tree = GameTree.from_nested(("Hider", "Seeker"), decision("Hider", {
        "Left": decision("Seeker", {"Left": terminal(-1, 1), "Right": terminal(1, -1)}, information_set="guess"),
        "Right": decision("Seeker", {"Left": terminal(1, -1), "Right": terminal(-1, 1)}, information_set="guess")}))
    (equilibrium,) = solve_tree(tree)
    assert equilibrium.profile.to_dict() == {"Hider": {"root": {"Left": "1/2", "Right": "1/2"}},
                                             "Seeker": {"guess": {"Left": "1/2", "Right": "1/2"}}}
    assert equilibrium.payoffs == (F(0), F(0))


def entry_with_simultaneous_fight():
    """Entry, then a simultaneous battle: the entrant's move after In is not seen by the incumbent.
    Subgame after In: (Tough, Tough) -> (-1, -1), (Tough, Soft) -> (2, 0), (Soft, Tough) -> (-2, 1), (Soft, Soft) -> (1, 1)."""
    def incumbent(t, s):
        return decision("Incumbent", {"Tough": terminal(*t), "Soft": terminal(*s)}, information_set="incumbent")
    return GameTree.from_nested(("Entrant", "Incumbent"), decision("Entrant", {
        "Out": terminal(0, 3),
        "In": decision("Entrant", {"Tough": incumbent((-1, -1), (2, 0)), "Soft": incumbent((-2, 1), (1, 1))})}))


def test_information_sets_the_player_never_reaches_are_left_open():
    tree = entry_with_simultaneous_fight()
    result = solve_tree(tree)
    game = tree.to_strategic_form()
    assert game.strategies[0] == ("Out/*", "In/Tough", "In/Soft")
    open_profiles = [e for e in result if e.profile.undetermined]
    assert open_profiles, "Out equilibria leave the entrant's second move open"
    for equilibrium in open_profiles:
        assert equilibrium.profile.undetermined == (("Entrant", "In"),)
        assert "In" not in equilibrium.profile["Entrant"]
        assert equilibrium.path == ("Out",)
    assert any("left open" in m for m in result.messages)
    # the subgame after In has a pure equilibrium (Tough, Soft) giving 2 > 0: entry with Tough is an equilibrium
    assert any(e.path == ("In", "Tough", "Soft") and e.payoffs == (F(2), F(0)) for e in result)
    text = result.to_text()
    assert "—" in text


def test_more_than_two_players_use_pure_enumeration():
    tree = GameTree.from_nested(("A", "B", "C"), decision("A", {
        "l": decision("B", {"x": terminal(1, 1, 0), "y": terminal(0, 0, 0)}, information_set="b"),
        "r": decision("B", {"x": terminal(0, 0, 1), "y": terminal(2, 2, 2)}, information_set="b")}))
    result = solve_tree(tree)
    assert result.method == "enumerate_pure"
    assert {e.path for e in result} == {("l", "x"), ("r", "y")}


pygambit = pytest.importorskip("pygambit")


def test_pygambit_agrees_on_the_card_game():
    tree = myerson_card_game()
    game = pygambit.read_efg(io.StringIO(format_efg(tree)))
    solution = pygambit.nash.lcp_solve(game, rational=True)
    (profile,) = solution.equilibria
    ours = solve_tree(tree)[0].profile
    for infoset in game.infosets:
        if infoset.player.is_chance:
            continue
        for action in infoset.actions:
            assert F(str(profile[action])) == ours.distribution(infoset.player.label, infoset.label)[action.label]
    assert F(str(profile.payoff(game.players["Player 1"]))) == F(1, 3)


def test_pygambit_enummixed_on_the_reduced_form_matches_vertex_enumeration():
    tree = entry_with_simultaneous_fight()
    game = pygambit.read_efg(io.StringIO(format_efg(tree)))
    theirs = pygambit.nash.enummixed_solve(game, rational=True)
    ours = solve_tree(tree)
    their_payoffs = sorted(tuple(F(str(p.payoff(player))) for player in game.players) for p in theirs.equilibria)
    our_payoffs = sorted(set(e.payoffs for e in ours))
    assert sorted(set(their_payoffs)) == our_payoffs
