"""Gambit .efg reader and writer: round trips, errors with line numbers, cross-checks with pygambit."""

import io
from fractions import Fraction as F

import pytest

from negotiation.formats.efg import EfgFormatError, format_efg, parse_efg, read_efg, write_efg
from negotiation.models.tree import GameTree, chance, decision, terminal
from tree_helpers import random_tree

TREATY = '''EFG 2 R "Treaty offer, one round" { "NATO" "Russia" }
""

p "" 1 1 "NATO move" { "Offer" "No offer" } 0
p "" 2 1 "Russia reply" { "Accept" "Reject" } 0
t "" 1 "Treaty" { 3 2 }
t "" 2 "Breakdown" { -1 -1 }
t "" 3 "Status quo" { 0 0 }
'''

# The sample file of the Gambit manual ("General Bayes game, one stage"), with decimal probabilities.
BAYES = '''EFG 2 R "General Bayes game, one stage" { "Player 1" "Player 2" }
c "ROOT" 1 "(0,1)" { "1G" 0.500000 "1B" 0.500000 } 0
c "" 2 "(0,2)" { "2g" 0.500000 "2b" 0.500000 } 0
p "" 1 1 "(1,1)" { "H" "L" } 0
p "" 2 1 "(2,1)" { "h" "l" } 0
t "" 1 "Outcome 1" { 10.000000 2.000000 }
t "" 2 "Outcome 2" { 0.000000 10.000000 }
p "" 2 1 "(2,1)" { "h" "l" } 0
t "" 3 "Outcome 3" { 2.000000 4.000000 }
t "" 4 "Outcome 4" { 4.000000 0.000000 }
p "" 1 1 "(1,1)" { "H" "L" } 0
p "" 2 2 "(2,2)" { "h" "l" } 0
t "" 5 "Outcome 5" { 10.000000 2.000000 }
t "" 6 "Outcome 6" { 0.000000 10.000000 }
p "" 2 2 "(2,2)" { "h" "l" } 0
t "" 7 "Outcome 7" { 2.000000 4.000000 }
t "" 8 "Outcome 8" { 4.000000 0.000000 }
c "" 3 "(0,3)" { "2g" 0.500000 "2b" 0.500000 } 0
p "" 1 2 "(1,2)" { "H" "L" } 0
p "" 2 1 "(2,1)" { "h" "l" } 0
t "" 9 "Outcome 9" { 4.000000 2.000000 }
t "" 10 "Outcome 10" { 2.000000 10.000000 }
p "" 2 1 "(2,1)" { "h" "l" } 0
t "" 11 "Outcome 11" { 0.000000 4.000000 }
t "" 12 "Outcome 12" { 10.000000 2.000000 }
p "" 1 2 "(1,2)" { "H" "L" } 0
p "" 2 2 "(2,2)" { "h" "l" } 0
t "" 13 "Outcome 13" { 4.000000 2.000000 }
t "" 14 "Outcome 14" { 2.000000 10.000000 }
p "" 2 2 "(2,2)" { "h" "l" } 0
t "" 15 "Outcome 15" { 0.000000 4.000000 }
t "" 16 "Outcome 16" { 10.000000 0.000000 }
'''


def test_reads_the_reference_examples_exactly():
    tree = parse_efg(TREATY)
    assert tree.title == "Treaty offer, one round" and tree.players == ("NATO", "Russia")
    assert tree.leaf_payoffs("Offer/Reject") == {"NATO": F(-1), "Russia": F(-1)}
    assert tree.leaf_label("No offer") == "Status quo"
    bayes = parse_efg(BAYES)
    assert bayes.n_nodes == 31 and bayes.n_leaves == 16
    assert bayes.chance_probabilities("1G") == {"2g": F(1, 2), "2b": F(1, 2)}
    assert bayes.information_set_labels == ("(1,1)", "(1,2)", "(2,1)", "(2,2)")
    assert bayes.leaf_payoffs("1B/2b/L/l") == {"Player 1": F(10), "Player 2": F(0)}
    assert bayes.has_perfect_recall and not bayes.is_perfect_information


def test_outcomes_at_inner_nodes_add_up_along_the_path():
    text = '''EFG 2 R "Stages" { "A" "B" } "two stages"
p "" 1 1 "" { "x" "y" } 1 "entry fee" { -1, 1/2 }
t "" 2 "" { 3 0 }
t "" 0
'''
    tree, comment = parse_efg(text, with_comment=True)
    assert comment == "two stages"
    assert tree.leaf_payoffs("x") == {"A": F(2), "B": F(1, 2)}
    assert tree.leaf_payoffs("y") == {"A": F(-1), "B": F(1, 2)}
    assert tree.information_set_labels == ("root",)


@pytest.mark.parametrize("text, message", [
    ('NFG 1 R "x" { "A" }', r"line 1: expected 'EFG' file type indicator, found 'NFG'"),
    ('EFG 3 R "x" { "A" }', r"line 1: expected EFG format version '2'"),
    ('EFG 2 R "x" { "A" "A" }\nt "" 0', r"line 1: expected distinct player names"),
    ('EFG 2 R "x" { "A" }\n', r"line 1: expected a node entry"),
    ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" "b" } 0\nt "" 0\n', r"line 3: expected 1 more child node\(s\) of "
                                                                   r"the node opened on line 2, found end of file"),
    ('EFG 2 R "x" { "A" }\nt "" 0\nt "" 0\n', r"line 3: expected end of file \(the tree is complete\)"),
    ('EFG 2 R "x" { "A" }\np "" 2 1 "" { "a" } 0\nt "" 0', r"line 2: expected player number \(1 to 1\), found '2'"),
    ('EFG 2 R "x" { "A" }\np "" 1 1 0\nt "" 0', r"line 2: expected the description of information set 1 of player 1"),
    ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" "b" } 0\np "" 1 1 "" { "a" "c" } 0\nt "" 0\nt "" 0\nt "" 0',
     r"line 3: information set 1 of player 1 is described differently on line 2"),
    ('EFG 2 R "x" { "A" "B" }\nt "" 1 "o" { 1 2 3 }', r"line 2: expected 2 payoffs in outcome 1 \(one per player\), found 3"),
    ('EFG 2 R "x" { "A" }\nt "" 0 "o" { 1 }', r"line 2: expected no name or payoffs after outcome 0"),
    ('EFG 2 R "x" { "A" }\nt "" 3', r"expected the name and payoffs of outcome 3"),
    ('EFG 2 R "x" { "A" }\nc "" 1 "" { "h" 1/2 "t" 1/3 } 0\nt "" 0\nt "" 0', r"probabilities sum to 5/6, not 1"),
    ('EFG 2 R "x" { "A" }\nt "" 1 "o" { one }', r"line 2: expected number \(payoff in outcome 1\)"),
    ('EFG 2 R "x" { "A }\n', r"line 1: expected closing '\"' of the string opened on line 1"),
])
def test_errors_are_one_line_with_the_line_number(text, message):
    with pytest.raises(EfgFormatError, match=message) as error:
        parse_efg(text, source="game.efg")
    assert str(error.value).startswith("game.efg: ") and "\n" not in str(error.value)


def test_round_trip_keeps_structure_labels_and_exact_numbers(tmp_path):
    tree = random_tree(300, seed=7, high=100, chance_share=0.25)
    again = parse_efg(format_efg(tree))
    assert again.to_dict() == tree.to_dict()
    imperfect = GameTree.from_nested(("A", "B"), chance({
        "Strong": ("1/3", decision("A", {"Bluff": terminal(F(1, 3), -1), "Fold": terminal(0, 0)}, information_set="A moves")),
        "Weak": ("2/3", decision("A", {"Bluff": terminal(-2, 2), "Fold": terminal(0, 0)}, information_set="A moves"))}),
        title='Quote " and backslash \\ test')
    path = tmp_path / "imperfect.efg"
    write_efg(imperfect, path, comment="written by the tests")
    again, comment = read_efg(path, with_comment=True)
    assert comment == "written by the tests" and again.title == imperfect.title
    assert again.to_dict() == imperfect.to_dict()
    floats = GameTree.from_nested(("A",), decision("A", {"x": terminal(0.1), "y": terminal(1e20)}))
    assert parse_efg(format_efg(floats)).leaf_payoffs("y") == {"A": F(10**20)}
    with pytest.raises(ValueError, match="substitute"):
        import sympy

        format_efg(GameTree.from_nested(("A",), decision("A", {"x": terminal(sympy.Symbol("c")), "y": terminal(0)})))
    with pytest.raises(EfgFormatError, match="no such file"):
        read_efg(tmp_path / "missing.efg")


# ---------------------------------------------------------------------- pygambit
# pygambit's readings of our files and the text it writes are committed in tests/reference/efg_cross_check.json
# (regenerated by tests/reference/generate_gambit_reference.py from the functions below); the default suite
# compares with them, the `gambit` suite (pytest -m gambit) asks pygambit live.
def efg_corpus():
    """Six random trees of 120 nodes, every other one with chance nodes."""
    for seed in range(6):
        yield seed, random_tree(120, seed=seed, high=30, chance_share=0.2 if seed % 2 else 0.0)


def _their_payoffs(game):
    """Terminal payoffs in prefix order, from pygambit's own tree."""
    out = []
    for node in game.nodes:
        if node.is_terminal:
            try:
                out.append(tuple(F(str(node.outcome[p])) for p in game.players))
            except (KeyError, TypeError):  # no outcome attached: zero payoffs
                out.append(tuple(F(0) for _ in game.players))
    return out


def gambit_reading(game) -> dict:
    """What pygambit read from a .efg text, in JSON terms (payoffs as rational strings)."""
    return {"players": [p.label for p in game.players], "n_nodes": len(list(game.nodes)),
            "terminal_payoffs": [[str(v) for v in payoffs] for payoffs in _their_payoffs(game)],
            "infoset_actions": [[a.label for a in infoset.actions] for infoset in game.infosets
                                if not infoset.player.is_chance]}


def gambit_built_game(pygambit):
    """A game built in pygambit: chance, an information set, outcomes shared by two leaves, one leaf without."""
    game = pygambit.Game.new_tree(players=["NATO", "Russia"], title="Built in pygambit")
    game.append_move(game.root, game.players.chance, ["Hawk", "Dove"])
    game.set_chance_probs(game.root.infoset, [pygambit.Rational(1, 3), pygambit.Rational(2, 3)])
    hawk, dove = list(game.root.children)
    game.append_move(hawk, "NATO", ["Admit", "Defer"])
    game.append_move(dove, "NATO", ["Admit", "Defer"])
    game.set_infoset(dove, hawk.infoset)
    hawk.infoset.label = "NATO does not know"
    game.append_move(list(hawk.children)[0], "Russia", ["Accept", "Militarise"])
    accept = game.add_outcome("accepted", [2, pygambit.Rational(-1, 2)])
    game.set_outcome(list(list(hawk.children)[0].children)[0], accept)
    game.set_outcome(list(dove.children)[0], accept)
    game.set_outcome(list(list(hawk.children)[0].children)[1], game.add_outcome("militarised", [-1, "-3/2"]))
    return game


def _our_payoffs(tree):
    return [tuple(tree.payoffs[int(tree._structure["leaf_of_node"][n])]) for n in tree._preorder()
            if tree.n_children[n] == 0]


def _assert_gambit_read_our_tree(reading, tree):
    assert reading["players"] == list(tree.players)
    assert reading["n_nodes"] == tree.n_nodes
    assert [tuple(F(v) for v in payoffs) for payoffs in reading["terminal_payoffs"]] == _our_payoffs(tree)
    for actions in reading["infoset_actions"]:
        assert tuple(actions) in set(tree.information_set_actions)


def test_pygambit_reads_what_we_write(gambit_reference):
    reference = gambit_reference("efg_cross_check")
    assert [case["seed"] for case in reference["cases"]] == list(range(6))
    for (seed, tree), case in zip(efg_corpus(), reference["cases"]):
        assert case["efg"] == format_efg(tree), seed  # the text pygambit read is the one we write today
        _assert_gambit_read_our_tree(case, tree)


def _assert_we_read_the_gambit_built_game(tree):
    assert tree.title == "Built in pygambit"
    assert tree.chance_probabilities("") == {"Hawk": F(1, 3), "Dove": F(2, 3)}
    assert tree.information_set_of("Hawk") == tree.information_set_of("Dove") == "NATO does not know"
    assert tree.leaf_payoffs("Hawk/Admit/Accept") == {"NATO": F(2), "Russia": F(-1, 2)}
    assert tree.leaf_payoffs("Hawk/Admit/Militarise") == {"NATO": F(-1), "Russia": F(-3, 2)}
    assert tree.leaf_payoffs("Dove/Defer") == {"NATO": F(0), "Russia": F(0)}
    assert tree.leaf_label("Dove/Admit") == "accepted"


def test_we_read_what_pygambit_writes(gambit_reference):
    written = gambit_reference("efg_cross_check")["gambit_written"]
    tree = parse_efg(written["efg"])
    _assert_we_read_the_gambit_built_game(tree)
    # and back: pygambit read our text of its own game (the same text we write today) as its own game
    assert written["ours_back"] == format_efg(tree)
    assert written["ours_back_terminal_payoffs"] == written["terminal_payoffs"]


@pytest.mark.gambit
@pytest.mark.parametrize("seed", range(6))
def test_live_pygambit_reads_what_we_write(seed):
    pygambit = pytest.importorskip("pygambit")
    tree = dict(efg_corpus())[seed]
    game = pygambit.read_efg(io.StringIO(format_efg(tree)))
    _assert_gambit_read_our_tree(gambit_reading(game), tree)


@pytest.mark.gambit
def test_we_read_what_live_pygambit_writes():
    pygambit = pytest.importorskip("pygambit")
    game = gambit_built_game(pygambit)
    tree = parse_efg(game.to_efg())
    _assert_we_read_the_gambit_built_game(tree)
    # and back: pygambit reads our text of its own game
    again = pygambit.read_efg(io.StringIO(format_efg(tree)))
    assert _their_payoffs(again) == _their_payoffs(game)
