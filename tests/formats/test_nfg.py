"""Tests for negotiation.formats.nfg (Gambit .nfg reader/writer)."""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from negotiation.formats.nfg import (
    NfgData,
    NfgFormatError,
    format_nfg,
    parse_nfg,
    read_nfg,
    write_nfg,
)

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    HAVE_HYPOTHESIS = True
except ImportError:  # pragma: no cover - depends on the environment
    HAVE_HYPOTHESIS = False

VONSTENGEL = Path("/work/shared/data/vonstengel1999_6x6_75eq.nfg")

SECURITY_DILEMMA = """\
NFG 1 R "Security dilemma: g=1, c=2, l=5" { "NATO" "Russia" }
{ { "Restrain" "Deploy" } { "Restrain" "Deploy" } }
"Row = NATO, column = Russia; NATO's strategy varies fastest"

0 0
-1 -5
-5 -1
-2 -2
"""


def F(x) -> Fraction:
    return Fraction(x)


def payoff_by_label(data: NfgData, labels) -> tuple:
    index = tuple(data.strategies[i].index(lab) for i, lab in enumerate(labels))
    return tuple(data.payoffs[index])


def assert_same(a: NfgData, b: NfgData) -> None:
    assert a.title == b.title
    assert a.players == b.players
    assert a.strategies == b.strategies
    assert a.comment == b.comment
    assert a.payoffs.shape == b.payoffs.shape
    for idx in np.ndindex(*a.payoffs.shape):
        x, y = a.payoffs[idx], b.payoffs[idx]
        assert type(y) is Fraction
        assert Fraction(x) == y, idx


def random_game(rng: random.Random, *, labels: str = "any") -> NfgData:
    """A random small game with exact payoffs (1-3 players, 1-4 strategies)."""
    n_players = rng.randint(1, 3)
    shape = tuple(rng.randint(1, 4) for _ in range(n_players))
    # quotes, backslashes, braces, non-ASCII; no control characters, which no label may hold (the comment has some)
    alphabet = "abcXYZ 019_-" if labels == "ascii" else 'ab "\\ é€Ω{},Яж中'

    def label(k: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5))) + f"#{k}"

    players = tuple(label(i) for i in range(n_players))
    strategies = tuple(tuple(label(j) for j in range(n)) for n in shape)
    payoffs = np.empty(shape + (n_players,), dtype=object)
    for idx in np.ndindex(*payoffs.shape):
        payoffs[idx] = Fraction(rng.randint(-1000, 1000), rng.choice([1, 1, 2, 3, 7, 10, 1000]))
    return NfgData(
        title=label(99), players=players, strategies=strategies, payoffs=payoffs,
        comment=label(98) + ("" if labels == "ascii" else "\n\t" + label(97)),
    )


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def test_security_dilemma_payoff_version():
    data = parse_nfg(SECURITY_DILEMMA)
    assert data.title == "Security dilemma: g=1, c=2, l=5"
    assert data.players == ("NATO", "Russia")
    assert data.strategies == (("Restrain", "Deploy"), ("Restrain", "Deploy"))
    assert data.comment == "Row = NATO, column = Russia; NATO's strategy varies fastest"
    assert data.payoffs.shape == (2, 2, 2)
    assert data.payoffs.dtype == object
    assert payoff_by_label(data, ("Restrain", "Restrain")) == (0, 0)
    # player 1 varies fastest: the 2nd profile is (NATO=Deploy, Russia=Restrain)
    assert payoff_by_label(data, ("Deploy", "Restrain")) == (-1, -5)
    assert payoff_by_label(data, ("Restrain", "Deploy")) == (-5, -1)
    assert payoff_by_label(data, ("Deploy", "Deploy")) == (-2, -2)
    assert tuple(data.payoffs[1, 0]) == (-1, -5)
    assert all(type(v) is Fraction for v in data.payoffs.flat)


def test_parsed_payoffs_are_read_only():
    data = parse_nfg(SECURITY_DILEMMA)
    with pytest.raises(ValueError):
        data.payoffs[0, 0, 0] = Fraction(1)


@pytest.mark.skipif(not VONSTENGEL.exists(), reason="shared data file not present")
def test_vonstengel_outcome_version():
    data = read_nfg(VONSTENGEL)
    assert data.title == "von Stengel 1999 6x6 with 75 equilibria"
    assert data.players == ("1", "2")
    assert data.strategies == (tuple("123456"), tuple("123456"))
    assert data.comment == ""
    assert data.payoffs.shape == (6, 6, 2)
    # Outcome k (1-based) is assigned to the k-th profile, player 1 fastest:
    # profile index p = s1 + 6*s2 gets outcome p + 1.
    assert tuple(data.payoffs[0, 0]) == (9504, 72336)  # outcome 1
    assert tuple(data.payoffs[1, 0]) == (-111771, -461736)  # outcome 2
    assert tuple(data.payoffs[4, 0]) == (1303104, 1303104)  # outcome 5
    assert tuple(data.payoffs[0, 1]) == (-660, 48081)  # outcome 7
    assert tuple(data.payoffs[5, 1]) == (-227040, -227040)  # outcome 12
    assert tuple(data.payoffs[2, 3]) == (-586476, 208626)  # p = 2 + 18: outcome 21
    assert tuple(data.payoffs[4, 4]) == (72336, 9504)  # p = 4 + 24: outcome 29
    assert tuple(data.payoffs[5, 5]) == (-300036, 31680)  # outcome 36
    # every outcome is used exactly once
    pairs = {tuple(data.payoffs[s1, s2]) for s1, s2 in itertools.product(range(6), repeat=2)}
    assert len(pairs) == 36


@pytest.mark.skipif(not VONSTENGEL.exists(), reason="shared data file not present")
def test_vonstengel_writer_matches_gambit_style():
    data = read_nfg(VONSTENGEL)
    ours = format_nfg(data, version="outcome").split()
    theirs = VONSTENGEL.read_text(encoding="utf-8").split()
    assert ours == theirs


def test_three_players_with_counts():
    # payoff to player i at profile (s1, s2, s3) is 100*i + (s1 + 2*s2 + 4*s3)
    body = " ".join(
        str(100 * i + p) for p in range(8) for i in range(3)
    )
    text = f'NFG 1 R "three" {{ "A" "B" "C" }} {{ 2 2 2 }}\n{body}\n'
    data = parse_nfg(text)
    assert data.comment == ""
    assert data.strategies == (("1", "2"), ("1", "2"), ("1", "2"))
    assert data.payoffs.shape == (2, 2, 2, 3)
    for s1, s2, s3, i in np.ndindex(2, 2, 2, 3):
        assert data.payoffs[s1, s2, s3, i] == 100 * i + s1 + 2 * s2 + 4 * s3


def test_counts_with_more_than_nine_strategies():
    n = 12
    body = " ".join(f"{k} {-k}" for k in range(n))
    data = parse_nfg(f'NFG 1 R "" {{ "P" "Q" }} {{ {n} 1 }} {body}')
    assert data.strategies[0] == tuple(str(k) for k in range(1, n + 1))
    assert [data.payoffs[k, 0, 0] for k in range(n)] == list(range(n))


def test_outcome_version_with_null_outcome():
    text = """NFG 1 R "outcomes" { "Row" "Col" }
{ { "T" "B" } { "L" "R" } }
{
{ "win" 3, -3 }
{ ""  -1 1 }
}
0 2 1 0
"""
    data = parse_nfg(text)
    assert data.comment == ""
    assert tuple(data.payoffs[0, 0]) == (0, 0)  # null outcome
    assert tuple(data.payoffs[1, 0]) == (-1, 1)  # outcome 2
    assert tuple(data.payoffs[0, 1]) == (3, -3)  # outcome 1
    assert tuple(data.payoffs[1, 1]) == (0, 0)  # null outcome
    assert all(type(v) is Fraction for v in data.payoffs.flat)


def test_outcome_version_with_counts_and_shared_outcomes():
    text = 'NFG 1 D "" { "a" "b" "c" } { 1 2 1 } "note" { { "x" 1,2,3, } } 1 1'
    data = parse_nfg(text)
    assert data.comment == "note"
    assert data.payoffs.shape == (1, 2, 1, 3)
    assert tuple(data.payoffs[0, 1, 0]) == (1, 2, 3)


def test_numbers_are_exact():
    tokens = ["1/10", "-3/4", "0.1", "-.25", "1e-3", "2.5E+2", "+7", "3.", "-0", "12345678901234567890.5"]
    expected = [
        F("1/10"), F("-3/4"), F("1/10"), F("-1/4"), F("1/1000"),
        F(250), F(7), F(3), F(0), F("24691357802469135781/2"),
    ]
    text = f'NFG 1 R "" {{ "P" }} {{ {len(tokens)} }} ' + " ".join(tokens)
    data = parse_nfg(text)
    assert list(data.payoffs[:, 0]) == expected
    assert all(type(v) is Fraction for v in data.payoffs.flat)
    assert data.payoffs[2, 0] != 0.1  # exactly 1/10, not the float


def test_whitespace_and_newlines_are_insignificant():
    text = 'NFG\n1\nR\n"t"{"P1"\n"P2"}{{"a""b"}{"c"}}\n\n"cm"{{"o"1,\n2}{"" 3 4}}\n1\n2'
    data = parse_nfg(text)
    assert data.strategies == (("a", "b"), ("c",))
    assert data.comment == "cm"
    assert tuple(data.payoffs[0, 0]) == (1, 2)
    assert tuple(data.payoffs[1, 0]) == (3, 4)


def test_string_escapes_and_unicode():
    text = r'NFG 1 R "say \"hi\" \\ back\\" { "Ναυτίλος" "Россия" } { { "a\"b" "c\\d" } { "x" } } "é" 1 2 3 4'
    data = parse_nfg(text)
    assert data.title == 'say "hi" \\ back\\'
    assert data.players == ("Ναυτίλος", "Россия")
    assert data.strategies == (('a"b', "c\\d"), ("x",))
    assert data.comment == "é"


def test_empty_strategy_label_and_player_name_allowed():
    data = parse_nfg('NFG 1 R "" { "" "Q" } { { "" "x" } { "" } } 1 2 3 4')
    assert data.players == ("", "Q")
    assert data.strategies == (("", "x"), ("",))


def test_read_nfg_file_and_missing_file(tmp_path):
    path = tmp_path / "game.nfg"
    path.write_text(SECURITY_DILEMMA, encoding="utf-8")
    assert tuple(read_nfg(path).payoffs[1, 0]) == (-1, -5)
    assert tuple(read_nfg(str(path)).payoffs[1, 0]) == (-1, -5)

    missing = tmp_path / "nope.nfg"
    with pytest.raises(NfgFormatError) as info:
        read_nfg(missing)
    assert str(info.value) == f"{missing}: no such file"


def test_read_nfg_uses_path_as_source(tmp_path):
    path = tmp_path / "bad.nfg"
    path.write_text('NFG 1 R "t" { "P" } { 2 }\n1\n', encoding="utf-8")
    with pytest.raises(NfgFormatError) as info:
        read_nfg(path)
    assert str(info.value).startswith(f"{path}: line 2: expected 2 payoffs")


def test_read_nfg_rejects_non_utf8(tmp_path):
    path = tmp_path / "latin1.nfg"
    path.write_bytes('NFG 1 R "t" { "P" }\n{ { "caf\xe9" } } 1'.encode("latin-1"))
    with pytest.raises(NfgFormatError) as info:
        read_nfg(path)
    assert str(info.value) == f"{path}: line 2: expected UTF-8 text, found byte 0xe9"


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

HEAD = 'NFG 1 R "t" { "P1" "P2" } { 2 2 }\n'
OUT_HEAD = 'NFG 1 R "t" { "P1" "P2" }\n{ { "a" "b" } { "c" "d" } }\n'
OUTCOMES = '{\n{ "" 1 2 }\n{ "" 3 4 }\n}\n'

ERROR_CASES = [
    # (id, text, line, fragment that must appear in the message)
    ("bad magic", 'EFG 2 R "t" { "P" } { 1 } 0', 1, "expected 'NFG' file type indicator, found 'EFG'"),
    ("bad version", '\nNFG 2 R "t" { "P" } { 1 } 0', 2, "expected NFG format version '1'"),
    ("bad data type", 'NFG 1 X "t" { "P" } { 1 } 0', 1, "expected data type 'R' or 'D'"),
    ("empty file", "", 1, "expected 'NFG' file type indicator, found end of file"),
    ("title missing", 'NFG 1 R { "P" } { 1 } 0', 1, "expected quoted game title, found '{'"),
    ("unterminated title", 'NFG 1 R "t { "P" } { 1 } 0', 1, "expected closing '\"'"),
    (
        "unterminated label",
        'NFG 1 R "t" { "P" }\n\n{ { "a" "b\\" } }\n0 1\n',
        3,
        "expected closing '\"' of the string opened on line 3, found end of file",
    ),
    ("no players", 'NFG 1 R "t" { } { } 0', 1, "expected at least one quoted player name, found '}'"),
    ("unquoted player", 'NFG 1 R "t" { P1 } { 1 } 0', 1, "expected quoted player name or '}', found 'P1'"),
    ("duplicate players", 'NFG 1 R "t" { "A"\n"A" } { 1 1 } 0 0', 2, "expected distinct player names, found duplicate '\"A\"'"),
    (
        "duplicate strategies",
        'NFG 1 R "t" { "A" "B" }\n{ { "x" "y" }\n{ "z" "z" } }\n0 0 0 0',
        3,
        "expected distinct strategy labels for player 'B', found duplicate '\"z\"'",
    ),
    ("zero count", 'NFG 1 R "t" { "A" "B" }\n{ 2 0 }', 2, "expected positive integer strategy count for player 'B', found '0'"),
    ("non-number count", 'NFG 1 R "t" { "A" "B" }\n{ 2 x }', 2, "expected positive integer strategy count for player 'B', found 'x'"),
    ("too few counts", 'NFG 1 R "t" { "A" "B" }\n{ 2 }', 2, "expected positive integer strategy count for player 'B', found '}'"),
    ("too many counts", 'NFG 1 R "t" { "A" "B" }\n{ 2 2 2 }', 2, "expected '}' closing the list of strategies (2 players), found '2'"),
    ("too few label lists", 'NFG 1 R "t" { "A" "B" }\n{ { "x" } }', 2, "expected '{' opening the strategy labels of player 'B', found '}'"),
    (
        "huge strategy counts fail fast",
        'NFG 1 R "t" { "A" "B" }\n{ 1000000000 1000000000 }\n1 2',
        3,
        # refused from the header, before the body is read (models.game.MAX_PROFILES)
        "expected at most 40,000 profiles (a game's payoffs are held in memory, one exact number each), "
        "found 1000000000 × 1000000000 = 1,000,000,000,000,000,000",
    ),
    ("body missing", HEAD, 1, "expected payoff list or '{' opening an outcome list, found end of file"),
    ("too few payoffs", HEAD + "1 2 3 4\n5 6 7\n", 3, "expected 8 payoffs (4 profiles x 2 players), found 7"),
    ("too many payoffs", HEAD + "1 2 3 4 5 6 7 8\n9 10\n", 3, "expected 8 payoffs (4 profiles x 2 players), found 10"),
    ("non-number payoff", HEAD + "1 2\n3 x 5 6 7 8", 3, "expected number (payoff 4 of 8), found 'x'"),
    ("comma in payoff body", HEAD + "1, 2 3 4 5 6 7 8", 2, "expected number (payoff 2 of 8), found ','"),
    ("malformed number", HEAD + "1 2 3 4 5 6 7 1/2/3", 2, "expected number (payoff 8 of 8), found '1/2/3'"),
    ("zero denominator", HEAD + "1 2 3 4 5 6 7 1/0", 2, "expected number (payoff 8 of 8) with a nonzero denominator, found '1/0'"),
    ("huge exponent", HEAD + "1 2 3 4 5 6 7 1e999999999", 2, "expected number (payoff 8 of 8) of at most 4000 digits, found '1e999999999'"),
    ("too many digits", HEAD + "1 2 3 4 5 6 7 " + "9" * 5000, 2, "of at most 4000 digits, found '999999999999"),
    ("trailing garbage", HEAD + "1 2 3 4 5 6 7 8\nthe end", 3, "expected end of file, found 'the'"),
    ("trailing brace", OUT_HEAD + OUTCOMES + "1 2 1 2 }", 7, "expected end of file, found '}'"),
    ("outcome too few payoffs", OUT_HEAD + '{\n{ "" 1 }\n}\n1 1 1 1', 4, "expected 2 payoffs in outcome 1 (one per player), found 1"),
    ("outcome too many payoffs", OUT_HEAD + '{\n{ "" 1 2 }\n{ "" 1, 2, 3 } }\n1 1 1 1', 5, "expected 2 payoffs in outcome 2 (one per player), found 3"),
    ("outcome non-number", OUT_HEAD + '{\n{ "" 1 abc }\n}\n1 1 1 1', 4, "expected number (payoff in outcome 1) or '}', found 'abc'"),
    ("outcome double comma", OUT_HEAD + '{\n{ "" 1,, 2 }\n}\n1 1 1 1', 4, "expected number (payoff in outcome 1) or '}', found ','"),
    ("outcome label missing", OUT_HEAD + '{\n{ 1 2 }\n}\n1 1 1 1', 4, "expected quoted label of outcome 1, found '1'"),
    ("outcome index out of range", OUT_HEAD + OUTCOMES + "1 2\n3 0", 8, "expected outcome index in 0..2, found '3'"),
    ("negative outcome index", OUT_HEAD + OUTCOMES + "1 -1 1 0", 7, "expected outcome index in 0..2, found '-1'"),
    ("fractional outcome index", OUT_HEAD + OUTCOMES + "1 1.0 1 0", 7, "expected outcome index in 0..2, found '1.0'"),
    ("too few outcome indices", OUT_HEAD + OUTCOMES + "1 2\n1\n", 8, "expected 4 outcome indices (one per profile), found 3"),
    ("too many outcome indices", OUT_HEAD + OUTCOMES + "1 2 1 2\n1 1", 8, "expected 4 outcome indices (one per profile), found 6"),
]


@pytest.mark.parametrize(
    "text, line, fragment", [case[1:] for case in ERROR_CASES], ids=[case[0] for case in ERROR_CASES]
)
def test_error_messages(text, line, fragment):
    with pytest.raises(NfgFormatError) as info:
        parse_nfg(text, source="game.nfg")
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"game.nfg: line {line}: expected "), message
    assert fragment in message, message
    assert re.fullmatch(r"game\.nfg: line \d+: expected .+, found .+", message), message
    assert info.value.line == line
    assert info.value.source == "game.nfg"
    assert isinstance(info.value, ValueError)


def test_error_message_with_multiline_string_stays_one_line():
    text = 'NFG 1 R "t" { "P" } { { "a" } }\n"multi\nline\ncomment" "oops"'
    with pytest.raises(NfgFormatError) as info:
        parse_nfg(text)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("<string>: line 4: expected payoff list")
    assert "found '\"oops\"'" in message


# ---------------------------------------------------------------------------
# Writing and round trips
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["outcome", "payoff"])
def test_round_trip_security_dilemma(version):
    data = parse_nfg(SECURITY_DILEMMA)
    text = format_nfg(data, version=version)
    assert_same(data, parse_nfg(text))


@pytest.mark.parametrize("version", ["outcome", "payoff"])
@pytest.mark.parametrize("seed", range(25))
def test_round_trip_random_games(version, seed):
    data = random_game(random.Random(seed))
    assert_same(data, parse_nfg(format_nfg(data, version=version)))


def test_outcome_writer_layout():
    data = parse_nfg(SECURITY_DILEMMA)
    text = format_nfg(data)
    assert text.startswith('NFG 1 R "Security dilemma: g=1, c=2, l=5" { "NATO" "Russia" }\n')
    assert '{ "" -1, -5 }' in text
    assert text.rstrip().splitlines()[-1] == "1 2 3 4"
    assert text.endswith("\n")


def test_payoff_writer_layout():
    data = parse_nfg(SECURITY_DILEMMA)
    text = format_nfg(data, version="payoff")
    assert '{ { "Restrain" "Deploy" }' in text
    assert text.rstrip().splitlines()[-4:] == ["0 0", "-1 -5", "-5 -1", "-2 -2"]
    # default labels are written as counts
    counted = parse_nfg('NFG 1 R "" { "A" "B" } { 3 2 } ' + " ".join(["1/3"] * 12))
    text = format_nfg(counted, version="payoff")
    assert "{ 3 2 }" in text
    assert "1/3 1/3" in text


def test_writer_escapes_labels():
    data = NfgData(
        title='a "quoted" \\ title',
        players=('P"1', "P\\2"),
        strategies=(('s"', "t\\"), ("\\",)),
        payoffs=np.zeros((2, 1, 2), dtype=int),
        comment='multi\nline "comment"',
    )
    text = format_nfg(data)
    assert '"a \\"quoted\\" \\ title"' in text  # a lone backslash is kept as is
    assert '"t\\\\"' in text
    assert_same(data, parse_nfg(text))


def test_writer_accepts_float_and_int_arrays():
    floats = np.array([[[0.1, -2.5], [1e-5, 3.0]]])  # shape (1, 2, 2)
    floats[0, 0, 1] = np.float64(-1e16)
    data = NfgData(title="f", players=("A", "B"), strategies=(("x",), ("y", "z")), payoffs=floats)
    for version in ("outcome", "payoff"):
        text = format_nfg(data, version=version)
        assert "0.1" in text and "1e-05" in text and "-1e16" in text and "e+" not in text
        back = parse_nfg(text)
        assert back.payoffs[0, 0, 0] == Fraction("0.1")  # repr value, read exactly
        assert back.payoffs[0, 0, 1] == -(10**16)
        assert back.payoffs[0, 1, 0] == Fraction(1, 100000)
        assert back.payoffs[0, 1, 1] == 3
        assert all(type(v) is Fraction for v in back.payoffs.flat)

    ints = np.arange(8, dtype=np.int64).reshape(2, 2, 2)
    data = NfgData(title="i", players=("A", "B"), strategies=(("1", "2"), ("1", "2")), payoffs=ints)
    back = parse_nfg(format_nfg(data, version="payoff"))
    assert_same(data, back)


def test_writer_rejects_bad_input():
    good = parse_nfg(SECURITY_DILEMMA)
    with pytest.raises(ValueError, match="version"):
        format_nfg(good, version="tabular")
    bad_shape = NfgData("t", ("A", "B"), (("x", "y"), ("z",)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="shape"):
        format_nfg(bad_shape)
    dup = NfgData("t", ("A", "A"), (("x",), ("z",)), np.zeros((1, 1, 2)))
    with pytest.raises(ValueError, match="duplicate"):
        format_nfg(dup)
    nan = NfgData("t", ("A",), (("x",),), np.array([[float("nan")]]))
    with pytest.raises(ValueError, match="non-finite"):
        format_nfg(nan)
    text = NfgData("t", ("A",), (("x",),), np.array([["1"]], dtype=object))
    with pytest.raises(TypeError):
        format_nfg(text)


@pytest.mark.parametrize("version", ["outcome", "payoff"])
def test_write_and_read_file(tmp_path, version):
    data = random_game(random.Random(7))
    path = tmp_path / f"g_{version}.nfg"
    write_nfg(data, path, version=version)
    assert_same(data, read_nfg(path))


def test_parse_nfg_doctest():
    import doctest

    import negotiation.formats.nfg as module

    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


if HAVE_HYPOTHESIS:
    # a label holds no control or bidirectional formatting character and is read in NFKC (negotiation.core.labels)
    printable = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))
    labels = st.text(printable, max_size=6).filter(lambda text: unicodedata.normalize("NFKC", text) == text)

    @st.composite
    def nfg_games(draw):
        n_players = draw(st.integers(1, 3))
        shape = tuple(draw(st.lists(st.integers(1, 4), min_size=n_players, max_size=n_players)))
        players = tuple(draw(st.lists(labels, min_size=n_players, max_size=n_players, unique=True)))
        strategies = tuple(
            tuple(draw(st.lists(labels, min_size=n, max_size=n, unique=True))) for n in shape
        )
        values = draw(
            st.lists(
                st.fractions(max_denominator=10**6)
                | st.integers(-(10**30), 10**30).map(Fraction)
                | st.decimals(allow_nan=False, allow_infinity=False, places=4).map(Fraction),
                min_size=int(np.prod(shape)) * n_players,
                max_size=int(np.prod(shape)) * n_players,
            )
        )
        payoffs = np.empty(shape + (n_players,), dtype=object)
        for k, idx in enumerate(np.ndindex(*payoffs.shape)):
            payoffs[idx] = values[k]
        return NfgData(
            title=draw(st.text(printable, max_size=20)),
            players=players,
            strategies=strategies,
            payoffs=payoffs,
            comment=draw(st.text(max_size=20)),
        )

    @settings(max_examples=150, deadline=None)
    @given(data=nfg_games(), version=st.sampled_from(["outcome", "payoff"]))
    def test_round_trip_hypothesis(data, version):
        assert_same(data, parse_nfg(format_nfg(data, version=version)))

    @settings(max_examples=300, deadline=None)
    @given(
        base=st.sampled_from([SECURITY_DILEMMA, OUT_HEAD + OUTCOMES + "1 2 0 1\n"]),
        edits=st.lists(
            st.tuples(
                st.floats(0, 1),
                st.sampled_from(['{', '}', '"', ',', '\\', ' ', '\n', '0', '7', '.', '/', '-', 'e', 'x', '']),
            ),
            min_size=1,
            max_size=4,
        ),
    )
    def test_mutated_files_fail_cleanly(base, edits):
        """Any text either parses or raises a one-line NfgFormatError."""
        text = base
        for where, char in edits:
            k = int(where * len(text))
            text = text[:k] + char + text[k + 1 :]
        try:
            data = parse_nfg(text, source="fuzz")
        except NfgFormatError as exc:
            message = str(exc)
            assert "\n" not in message
            assert re.fullmatch(r"fuzz: line \d+: expected .+, found .+", message), message
        else:
            assert_same(data, parse_nfg(format_nfg(data)))

else:  # pragma: no cover

    @pytest.mark.skip(reason="hypothesis is not installed")
    def test_round_trip_hypothesis():
        pass


# ---------------------------------------------------------------------------
# Cross-check against pygambit
# ---------------------------------------------------------------------------
# Notes on pygambit 16.7: ``game.players`` / ``player.strategies`` are indexed
# by label, not by position; labels must be printable ASCII without leading,
# trailing or doubled spaces; titles and comments must be ASCII; payoffs come
# back as pygambit.Rational or decimal.Decimal.


def _gambit_label(label: str) -> str:
    """Make a label acceptable to pygambit (no leading/trailing/double spaces)."""
    return " ".join(label.split()) or "x"


def _gambit_payoff(game, labels, player) -> Fraction:
    value = game[list(labels)][player]
    return Fraction(str(value))


def gambit_nfg_text(game) -> str:
    if hasattr(game, "to_nfg"):
        return game.to_nfg()
    return game.write(format="nfg")  # pragma: no cover - older pygambit


def gambit_friendly_game(seed: int, *, floats: bool = False) -> NfgData:
    rng = random.Random(seed)
    data = random_game(rng, labels="ascii")
    players = tuple(f"{_gambit_label(p)} {i}" for i, p in enumerate(data.players))
    strategies = tuple(
        tuple(f"{_gambit_label(s)} {j}" for j, s in enumerate(labels)) for labels in data.strategies
    )
    payoffs = data.payoffs
    if floats:
        payoffs = np.vectorize(lambda x: float(x) * rng.choice([1, 1e-7, 1e17]), otypes=[float])(payoffs)
    return NfgData(
        title='Cross "check" \\ ' + str(seed),
        players=players,
        strategies=strategies,
        payoffs=payoffs,
        comment=f"seed {seed}\nsecond line",
    )


# pygambit's readings of our files and the files it writes are committed in tests/reference/nfg_cross_check.json
# (regenerated by tests/reference/generate_gambit_reference.py from the functions here); the default suite
# compares with them, the `gambit` suite (pytest -m gambit) asks pygambit live.
def nfg_corpus():
    """(seed, floats, version, game): the files of ours pygambit reads."""
    for seed in range(6):
        for floats in (False, True):
            for version in ("outcome", "payoff"):
                yield seed, floats, version, gambit_friendly_game(seed, floats=floats)


def gambit_nfg_reading(game) -> dict:
    """What pygambit read from a .nfg text, in JSON terms: payoffs as rational strings, player 1 fastest."""
    players = [p.label for p in game.players]
    strategies = [[s.label for s in p.strategies] for p in game.players]
    payoffs = []
    for idx in np.ndindex(*(len(labels) for labels in strategies)):
        labels = [strategies[i][s] for i, s in enumerate(idx)]
        payoffs.append([str(_gambit_payoff(game, labels, player)) for player in players])
    return {"title": game.title, "comment": game.description, "players": players, "strategies": strategies,
            "payoffs": payoffs}


def _assert_gambit_read_our_file(reading, data, ours, floats):
    assert reading["title"] == data.title
    assert reading["comment"] == data.comment
    assert reading["players"] == list(data.players)
    assert [tuple(labels) for labels in reading["strategies"]] == list(data.strategies)
    indices = list(np.ndindex(*data.payoffs.shape[:-1]))
    assert len(reading["payoffs"]) == len(indices)
    for idx, theirs in zip(indices, reading["payoffs"]):
        for i, value in enumerate(theirs):
            assert Fraction(value) == ours.payoffs[idx + (i,)]
            if not floats:
                assert Fraction(value) == data.payoffs[idx + (i,)]


def test_pygambit_reads_our_files(gambit_reference):
    reference = gambit_reference("nfg_cross_check")
    corpus = list(nfg_corpus())
    assert [(c["seed"], c["floats"], c["version"]) for c in reference["cases"]] == [k[:3] for k in corpus]
    for (seed, floats, version, data), case in zip(corpus, reference["cases"]):
        assert case["nfg"] == format_nfg(data, version=version), seed  # pygambit read what we write today
        _assert_gambit_read_our_file(case, data, parse_nfg(case["nfg"]), floats)


@pytest.mark.gambit
@pytest.mark.parametrize("version", ["outcome", "payoff"])
@pytest.mark.parametrize("floats", [False, True], ids=["exact", "floats"])
@pytest.mark.parametrize("seed", range(6))
def test_live_pygambit_reads_our_files(tmp_path, version, floats, seed):
    gbt = pytest.importorskip("pygambit")
    data = gambit_friendly_game(seed, floats=floats)
    path = tmp_path / "ours.nfg"
    write_nfg(data, path, version=version)
    _assert_gambit_read_our_file(gambit_nfg_reading(gbt.read_nfg(str(path))), data, read_nfg(path), floats)


PYGAMBIT_WRITES_SEEDS = range(6)


def gambit_written_arrays(seed):
    """The payoff arrays (1-3 players, 1-4 strategies, rational payoffs) of the games pygambit writes."""
    rng = random.Random(1000 + seed)
    n_players = rng.randint(1, 3)
    shape = tuple(rng.randint(1, 4) for _ in range(n_players))
    arrays = [np.empty(shape, dtype=object) for _ in range(n_players)]
    for arr in arrays:
        for idx in np.ndindex(*shape):
            arr[idx] = Fraction(rng.randint(-50, 50), rng.choice([1, 2, 3, 10]))
    return arrays


def gambit_written_game(gbt, seed):
    game = gbt.Game.from_arrays(*gambit_written_arrays(seed), title=f'pygambit "game" {seed}')
    game.description = "written by\npygambit"
    for i, player in enumerate(game.players):
        player.label = f"Player {i + 1}"
        for j, strategy in enumerate(player.strategies):
            strategy.label = f"s{i + 1}.{j + 1}" if (i, j) != (0, 0) else 'say "no"'
    return game


def _assert_we_read_the_gambit_written_game(data, seed):
    arrays = gambit_written_arrays(seed)
    shape, n_players = arrays[0].shape, len(arrays)
    assert data.title == f'pygambit "game" {seed}'
    assert data.comment == "written by\npygambit"
    assert data.players == tuple(f"Player {i + 1}" for i in range(n_players))
    assert data.strategies[0][0] == 'say "no"'
    assert data.payoffs.shape == shape + (n_players,)
    for idx in np.ndindex(*shape):
        for i in range(n_players):
            assert data.payoffs[idx + (i,)] == arrays[i][idx]


def test_we_read_pygambit_files(gambit_reference):
    written = gambit_reference("nfg_cross_check")["pygambit_writes"]
    assert [case["seed"] for case in written] == list(PYGAMBIT_WRITES_SEEDS)
    for case in written:
        _assert_we_read_the_gambit_written_game(parse_nfg(case["nfg"], source="pygambit"), case["seed"])


@pytest.mark.gambit
@pytest.mark.parametrize("seed", PYGAMBIT_WRITES_SEEDS)
def test_we_read_live_pygambit_files(seed):
    gbt = pytest.importorskip("pygambit")
    game = gambit_written_game(gbt, seed)
    data = parse_nfg(gambit_nfg_text(game), source="pygambit")
    _assert_we_read_the_gambit_written_game(data, seed)
    for idx in np.ndindex(*data.payoffs.shape[:-1]):
        labels = [data.strategies[i][s] for i, s in enumerate(idx)]
        for i in range(len(data.players)):
            assert data.payoffs[idx + (i,)] == _gambit_payoff(game, labels, f"Player {i + 1}")


def test_pygambit_round_trip_through_both(gambit_reference):
    """ours -> pygambit -> ours gives the same game (pygambit's rewrite of our text is committed)."""
    round_trip = gambit_reference("nfg_cross_check")["round_trip"]
    data = gambit_friendly_game(42)
    assert round_trip["ours"] == format_nfg(data, version="payoff")
    assert_same(data, parse_nfg(round_trip["theirs"]))


@pytest.mark.gambit
def test_live_pygambit_round_trip_through_both(tmp_path):
    """ours -> pygambit -> ours gives the same game."""
    gbt = pytest.importorskip("pygambit")
    data = gambit_friendly_game(42)
    path = tmp_path / "g.nfg"
    write_nfg(data, path, version="payoff")
    again = parse_nfg(gambit_nfg_text(gbt.read_nfg(str(path))))
    assert_same(data, again)


# ---------------------------------------------------------------------- Game bridge
def test_game_round_trip_through_nfg_file(tmp_path):
    from fractions import Fraction

    import negotiation as ng
    from negotiation.formats import read_game, write_game

    game = ng.Game.from_arrays([[Fraction(1, 3), 2], [0, -1]], [[1, 0], [Fraction(-7, 2), 1]],
                               players=("NATO", "Russia"),
                               strategies=(("Restrain", "Deploy"), ("Hold", "Mass")), title="t")
    for version in ("outcome", "payoff"):
        path = tmp_path / f"g_{version}.nfg"
        write_game(game, path, version=version)
        back = read_game(path)
        assert back.players == game.players and back.strategies == game.strategies
        assert back.payoffs.tolist() == game.payoffs.tolist()
