"""Names and labels of Gambit ``.nfg`` and ``.efg`` files (issue 16, item 6).

Every label a file gives — title, players, strategies, outcomes, information sets, actions, chance
events and their actions, node names — obeys :mod:`negotiation.core.labels`: a control or
bidirectional formatting character is refused with the reader's one line (``FILE: line L: …``), labels
are read in NFKC, and ordinary non-ASCII text (é, Cyrillic, Greek, CJK) loads unchanged. The writers
quote and escape labels so that reading a written game gives it back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

import numpy as np
import pytest

from negotiation import Game
from negotiation.formats import EfgFormatError, NfgData, NfgFormatError, format_efg, format_nfg, parse_efg, \
    parse_nfg, read_game, write_game
from negotiation.models.game import GameError
from negotiation.models.tree import GameTree, TreeError, decision, terminal

#: Characters no label may hold, by category: Cc (controls, C0 and C1), Cf (bidirectional controls,
#: marks, invisible joiners, the byte-order mark inside a label), Zl.
REFUSED = {
    "newline": "\n", "tab": "\t", "carriage_return": "\r", "nul": "\x00", "ansi_escape": "\x1b[31m",
    "delete": "\x7f", "next_line": "\x85", "rlo": "\u202e", "lri": "\u2066", "pdi": "\u2069", "rlm": "\u200f",
    "arabic_letter_mark": "\u061c", "zero_width_joiner": "\u200d", "byte_order_mark": "\ufeff",
    "line_separator": "\u2028",
}


def quoted(text: str) -> str:
    """A Gambit string: the characters themselves, ``\\"`` and ``\\\\`` the only escapes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------- .nfg
NFG_LABELS = {"title": "t", "player": "B", "strategy": "r", "outcome": "o"}
#: (line of the label, the words of the message naming it)
NFG_PLACES = {"title": (1, "game title"), "player": (2, "player name"),
              "strategy": (3, "strategy label of player 'A'"), "outcome": (5, "label of outcome 1")}


def nfg_text(**labels) -> str:
    """A 2×1 game in the outcome version, one label per line (line numbers in :data:`NFG_PLACES`)."""
    q = {place: quoted(labels.get(place, default)) for place, default in NFG_LABELS.items()}
    return (f'NFG 1 R {q["title"]}\n{{ "A" {q["player"]} }}\n{{ {{ "l" {q["strategy"]} }} {{ "x" }} }}\n""\n'
            f'{{ {{ {q["outcome"]} 1, 2 }} }}\n1 1\n')


def test_the_nfg_template_reads():
    data = parse_nfg(nfg_text(), source="g.nfg")
    assert (data.title, data.players, data.strategies) == ("t", ("A", "B"), (("l", "r"), ("x",)))
    assert tuple(data.payoffs[1, 0]) == (1, 2)


def _refusal_pattern(source: str, line: int, what: str, character: str) -> str:
    return (rf"{re.escape(source)}: line {line}: expected {re.escape(what)} without control or bidirectional "
            rf"formatting characters, found '\".*\"' \(U\+{ord(character):04X} \(.*\)\)")


@pytest.mark.parametrize("place", NFG_PLACES)
@pytest.mark.parametrize("name", REFUSED)
def test_nfg_refuses_control_and_bidirectional_characters_in_every_label(place, name):
    bad = REFUSED[name]
    line, what = NFG_PLACES[place]
    with pytest.raises(NfgFormatError) as error:
        parse_nfg(nfg_text(**{place: f"De{bad}ploy"}), source="g.nfg")
    message = str(error.value)
    assert re.fullmatch(_refusal_pattern("g.nfg", line, what, bad[0]), message), message
    assert error.value.line == line
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in message)   # shown escaped


@pytest.mark.parametrize("name", ["rlo", "ansi_escape", "newline"])
def test_a_refused_label_in_a_file_is_a_one_line_error_of_read_game(tmp_path, name):
    path = tmp_path / "g.nfg"
    path.write_text(nfg_text(strategy=f"De{REFUSED[name]}ploy"), encoding="utf-8")
    with pytest.raises(NfgFormatError, match=rf"g\.nfg: line 3: expected strategy label of player 'A' without"):
        read_game(path)


def test_a_json_style_escape_is_six_ordinary_characters():
    # Gambit's strings have no \u escape: "\u202e" is a backslash, 'u' and four digits, printable
    data = parse_nfg(nfg_text(strategy="De\\u202eploy"))
    assert data.strategies[0][1] == "De\\u202eploy" and len(data.strategies[0][1]) == 12


ORDINARY = ["café", "Россия", "Ναυτίλος", "中国", "한국", "ش", "a b", 'say "hi"', "back\\slash\\"]


@pytest.mark.parametrize("label", ORDINARY)
@pytest.mark.parametrize("place", NFG_PLACES)
def test_nfg_ordinary_non_ascii_labels_load_unchanged(place, label):
    data = parse_nfg(nfg_text(**{place: label}))
    value = {"title": data.title, "player": data.players[1], "strategy": data.strategies[0][1]}.get(place, label)
    assert value == label


def test_nfg_labels_are_read_in_nfkc_and_look_alikes_collide():
    data = parse_nfg(nfg_text(title="\ufb01le", player="\uff22", strategy="\ufb01ght"))
    assert data.title == "\ufb01le"                                       # a title keeps its typography
    assert data.players == ("A", "B") and data.strategies[0] == ("l", "fight")
    with pytest.raises(NfgFormatError, match=r"line 3: expected strategy label of player 'A' distinct from the "
                                             r"others after Unicode normalisation \(NFKC\), found '\"ﬁght\"', "
                                             r"the same as '\"fight\"'"):
        parse_nfg('NFG 1 R "t" { "A" "B" }\n\n{ { "fight" "\ufb01ght" } { "x" } }\n1 2 3 4\n')
    with pytest.raises(NfgFormatError, match=r"line 1: expected player name distinct from the others"):
        parse_nfg('NFG 1 R "t" { "K" "\u212a" } { 1 1 }\n1 2\n')


@pytest.mark.parametrize("field, value", [("title", "a\u202eb"), ("players", ("A", "B\nC")),
                                          ("strategies", (("l", "r\x1b"), ("x",))),
                                          ("strategies", (("fight", "\ufb01ght"), ("x",)))])
def test_the_nfg_writer_refuses_what_the_reader_would_refuse(field, value):
    fields = {"title": "t", "players": ("A", "B"), "strategies": (("l", "r"), ("x",))} | {field: value}
    data = NfgData(payoffs=np.zeros((2, 1, 2), dtype=int), **fields)
    with pytest.raises(ValueError, match="control and bidirectional|the same after Unicode normalisation"):
        format_nfg(data)


@pytest.mark.parametrize("version", ["outcome", "payoff"])
def test_a_game_with_awkward_labels_comes_back_exactly_from_a_nfg_file(tmp_path, version):
    labels = (('a "quoted" one', "back\\", "\\u202e", "é中"), ("Россия", "{ braces }", '\\"', "x"))
    game = Game.from_arrays([[1, 2, 3, 4]] * 4, [[5, 6, 7, 8]] * 4, players=("NATO \\ A", 'B "b"'),
                            strategies=labels, title='a "title" \\ with ﬁ')
    path = tmp_path / "g.nfg"
    write_game(game, path, version=version, comment='two\nlines "here"')
    again = read_game(path)
    assert (again.title, again.players, again.strategies) == (game.title, game.players, game.strategies)
    assert again["\\u202e", '\\"'] == {"NATO \\ A": Fraction(3), 'B "b"': Fraction(7)}


# ---------------------------------------------------------------------- .efg
EFG_LABELS = {"title": "t", "player": "B", "node": "", "event": "", "chance_action": "t", "information_set": "",
              "action": "r", "outcome": "o1"}
EFG_PLACES = {"title": (1, "game title"), "player": (2, "player name"), "node": (4, "node name"),
              "event": (4, "chance event name"), "chance_action": (4, "action name"),
              "information_set": (5, "information set name"), "action": (5, "action name"),
              "outcome": (6, "outcome name")}


def efg_text(**labels) -> str:
    """Chance picks h or t (1/2 each), then A picks l or r in one information set; one label per place."""
    q = {place: quoted(labels.get(place, default)) for place, default in EFG_LABELS.items()}
    return (f'EFG 2 R {q["title"]}\n{{ "A" {q["player"]} }}\n""\n'
            f'c {q["node"]} 1 {q["event"]} {{ "h" 1/2 {q["chance_action"]} 1/2 }} 0\n'
            f'p "" 1 1 {q["information_set"]} {{ "l" {q["action"]} }} 0\n'
            f't "" 1 {q["outcome"]} {{ 1, 2 }}\nt "" 2 "o2" {{ 7, 8 }}\n'
            f'p "" 1 1 0\nt "" 3 "o3" {{ 3, 4 }}\nt "" 4 "o4" {{ 5, 6 }}\n')


def test_the_efg_template_reads():
    tree = parse_efg(efg_text(information_set="I"), source="g.efg")
    assert tree.title == "t" and tree.players == ("A", "B")
    assert tree.information_set_labels == ("I",)
    assert tree.leaf_payoffs("t/r") == {"A": Fraction(5), "B": Fraction(6)}


@pytest.mark.parametrize("place", EFG_PLACES)
@pytest.mark.parametrize("name", REFUSED)
def test_efg_refuses_control_and_bidirectional_characters_in_every_label(place, name):
    bad = REFUSED[name]
    line, what = EFG_PLACES[place]
    with pytest.raises(EfgFormatError) as error:
        parse_efg(efg_text(**{place: f"De{bad}ploy"}), source="g.efg")
    message = str(error.value)
    assert re.fullmatch(_refusal_pattern("g.efg", line, what, bad[0]), message), message
    assert error.value.line == line
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in message)


@pytest.mark.parametrize("label", ORDINARY)
@pytest.mark.parametrize("place", ["title", "player", "information_set", "action", "chance_action", "outcome"])
def test_efg_ordinary_non_ascii_labels_load_unchanged(place, label):
    tree = parse_efg(efg_text(**{place: label}))
    shown = {"title": tree.title, "player": tree.players[1], "information_set": tree.information_set_labels[0]}
    if place == "action":
        assert tree.leaf_payoffs(f"h/{label}") == {"A": Fraction(7), "B": Fraction(8)}
    elif place == "chance_action":
        assert tree.leaf_payoffs(f"{label}/l") == {"A": Fraction(3), "B": Fraction(4)}
    elif place == "outcome":
        assert label in tree.to_text()
    else:
        assert shown[place] == label


def test_efg_labels_are_read_in_nfkc_and_look_alikes_collide():
    tree = parse_efg(efg_text(title="\ufb01le", action="\ufb01ght", information_set="\uff29"))
    assert tree.title == "\ufb01le" and tree.information_set_labels == ("I",)
    assert tree.leaf_payoffs("h/fight") == {"A": Fraction(7), "B": Fraction(8)}
    with pytest.raises(EfgFormatError, match=r"g\.efg: line 5: expected action name distinct from the others "
                                             r"after Unicode normalisation \(NFKC\), found '\"ﬁght\"'"):
        parse_efg(efg_text(action="\ufb01ght").replace('"l"', '"fight"'), source="g.efg")


def test_a_tree_with_awkward_labels_comes_back_exactly_from_an_efg_file():
    tree = GameTree.from_nested(("NATO \\", 'R "r"'), decision("NATO \\", {
        'a "quoted"': terminal(1, 2, label="\\u202e"),
        "back\\": decision('R "r"', {"Россия": terminal("1/2", 0), "中国": terminal(0, 3, label='o "x"')}),
    }), title='T "t" \\')
    again = parse_efg(format_efg(tree, comment="two\nlines"))
    assert (again.title, again.players) == (tree.title, tree.players)
    assert again.to_text() == tree.to_text()
    assert again.leaf_payoffs("back\\/Россия") == {"NATO \\": Fraction(1, 2), 'R "r"': Fraction(0)}


# ---------------------------------------------------------------------- the models
@pytest.mark.parametrize("name", ["rlo", "newline", "ansi_escape", "line_separator"])
def test_game_and_game_tree_refuse_a_title_that_hides_or_reorders_text(name):
    title = f"hostile {REFUSED[name]} title"
    with pytest.raises(GameError, match=r"title: game title .* contains U\+"):
        Game.from_arrays([[1]], [[1]], title=title)
    with pytest.raises(TreeError, match=r"title: game title .* contains U\+"):
        GameTree.from_nested(("A",), decision("A", {"x": terminal(1)}), title=title)
    assert Game.from_arrays([[1]], [[1]], title="Россия \ufb01").title == "Россия \ufb01"   # kept as written


@pytest.mark.parametrize("name", ["rlo", "newline", "ansi_escape"])
def test_game_refuses_players_and_strategies_with_refused_characters(name):
    bad = f"De{REFUSED[name]}ploy"
    with pytest.raises(GameError, match="contains U\\+"):
        Game(("A", bad), (("x",), ("y",)), [[[1, 2]]])
    with pytest.raises(GameError, match="contains U\\+"):
        Game(("A", "B"), (("x", bad), ("y",)), [[[1, 2]], [[3, 4]]])


@pytest.mark.parametrize("parse, text", [
    (parse_nfg, 'NFG 1 R "t" { "A" } { "x\u202ey" }\n1\n'),                      # a string where a count goes
    (parse_nfg, 'NFG 1 R "t" { "A\u202e" "A\u202e" } { 1 1 }\n1 2\n'),              # two of one refused label
    (parse_efg, 'EFG 2 R "t" { "A" }\nt "" 1 "o" { "x\u202ey" }\n'),                # a string where a payoff goes
    (parse_efg, 'EFG 2 R "t" { "A\u202e" "A\u202e" }\nt "" 0\n'),
    (parse_efg, 'EFG 2 R "t" { "A" }\nt "" 0\nx\u202ey\n'),                         # a word after the tree
])
def test_no_error_message_prints_a_refused_character_raw(parse, text):
    with pytest.raises((NfgFormatError, EfgFormatError)) as error:
        parse(text, source="g")
    assert "\u202e" not in str(error.value) and "\\u202e" in str(error.value), str(error.value)
