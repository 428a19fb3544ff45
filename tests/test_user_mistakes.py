"""User mistakes that raised tracebacks (issue 16, item 3): each is now a one-line error naming where.

Each case was found by hand (the issue's list) or by the command-line fuzz test
(``tests/fuzz/test_cli_fuzz.py``); each is checked here through the layer where it is fixed and, where a
user meets it, through the command line.
"""

from __future__ import annotations

import contextlib
import io
import os
from fractions import Fraction
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.core.errors import NegotiationError
from negotiation.models.game import Game, GameError
from negotiation.scenario import ScenarioError, load, parse_scenario

GAME = '''schema = "negotiation.scenario/1"
id = "g"
title = "G"
kind = "normal-form"
[players]
A = ["x", "y"]
B = ["x", "y"]
[parameters.a]
default = 1
[payoffs]
"x, x" = ["a", 1]
"x, y" = [0, 0]
"y, x" = [0, 0]
"y, y" = [1, 1]
'''

BARGAINING = '''schema = "negotiation.scenario/1"
id = "{id}"
title = "B"
kind = "bargaining"
parties = ["A", "B"]
[polytope]
vertices = [[0, 0], [1, 0], [0, 1]]
[disagreement]
scenario = "{other}"
equilibrium = "x, x"
'''


ISSUES = '''schema = "negotiation.scenario/1"
id = "issues"
title = "Issues"
kind = "bargaining"
parties = ["A", "B"]
[issues.level]
range = [0, 1]
[utilities]
A = "level"
B = "1 - level"
[disagreement]
A = 0
B = 0
'''


def run(argv):
    """``(status, stdout, stderr)`` of the command line."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def error_line(argv) -> str:
    status, _, err = run(argv)
    assert status == 1 and len(err.splitlines()) == 1 and err.startswith("negotiation: error: "), err
    return err.strip()


@pytest.mark.parametrize("value", ['["published"]', '{ tag = "published" }', "3", "true"])
def test_a_confidence_that_is_not_a_tag_is_a_one_line_error(value, tmp_path):
    text = GAME.replace("default = 1\n", f"default = 1\nconfidence = {value}\n")
    with pytest.raises(ScenarioError, match=r"^g.toml: parameters.a.confidence: expected one of published, "
                                            r"computed, toolkit, assumption, found "):
        parse_scenario(text, source="g.toml")
    path = tmp_path / "g.toml"
    path.write_text(text, encoding="utf-8")
    assert "parameters.a.confidence" in error_line(["show", str(path)])


def test_a_confidence_list_on_a_bargaining_issue_is_a_one_line_error():
    text = ISSUES.replace("range = [0, 1]", 'range = [0, 1]\nconfidence = ["toolkit"]')
    with pytest.raises(ScenarioError, match=r"^i.toml: issues.level.confidence: expected one of published, computed, "
                                            r"toolkit, assumption, found \['toolkit'\]$"):
        parse_scenario(text, source="i.toml")
    assert parse_scenario(ISSUES, source="i.toml").problem.parties == ("A", "B")


def test_a_disagreement_point_that_refers_to_its_own_file_is_a_one_line_error(tmp_path):
    path = tmp_path / "self.toml"
    path.write_text(BARGAINING.format(id="self", other="self.toml"), encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load(path)
    assert str(error.value) == (f"{path}: disagreement.scenario: 'self.toml' is this file itself; the no-deal "
                                "point must come from a game (kind = \"normal-form\")")
    assert "is this file itself" in error_line(["agree", str(path)])


def test_two_bargaining_files_that_refer_to_each_other_are_a_one_line_error(tmp_path):
    (tmp_path / "one.toml").write_text(BARGAINING.format(id="one", other="two.toml"), encoding="utf-8")
    (tmp_path / "two.toml").write_text(BARGAINING.format(id="two", other="one"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"one.toml: disagreement.scenario: 'two.toml' is a bargaining model; "
                                            r"the no-deal point must come from a game"):
        load(tmp_path / "one.toml")


def test_a_disagreement_point_from_a_game_still_loads(tmp_path):
    (tmp_path / "game.toml").write_text(GAME, encoding="utf-8")
    (tmp_path / "deal.toml").write_text(BARGAINING.format(id="deal", other="game"), encoding="utf-8")
    assert load(tmp_path / "deal.toml").problem_at().disagreement == (1, 1)


@pytest.mark.parametrize("model", ["nato_enlargement", "richardson_arms_race", "security_dilemma_bayesian"])
def test_derive_parameter_outside_the_strategic_form_is_a_one_line_error(model):
    assert f"--parameter: applies to normal-form scenarios; {model} is " in error_line(
        ["derive", model, "--parameter", "k"])


def test_derive_parameter_on_a_game_still_works():
    status, out, _ = run(["derive", "security_dilemma", "--parameter", "omega"])
    assert status == 0 and "omega" in out


def test_a_utility_that_is_not_real_at_an_option_is_a_one_line_error(tmp_path):
    text = '''schema = "negotiation.scenario/1"
id = "log"
title = "Log"
kind = "bargaining"
parties = ["A", "B"]
[issues.level]
options = { low = -1, high = 4 }
[utilities]
A = "log(level)"
B = "1 - level"
[disagreement]
A = 0
B = 0
'''
    path = tmp_path / "log.toml"
    path.write_text(text, encoding="utf-8")
    line = error_line(["agree", str(path)])
    assert "utility term log(level) at level = low is " in line and "not a real number" in line


def test_game_from_dict_refuses_a_profile_given_twice_and_a_division_by_zero():
    data = Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]).to_dict()
    data["payoffs"].append(data["payoffs"][0])
    with pytest.raises(GameError, match=r"^<dict>: payoffs: profile \('1', '1'\) is given twice$"):
        Game.from_dict(data)
    data = Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]).to_dict()
    first = data["payoffs"][0]
    first["payoffs"][next(iter(first["payoffs"]))] = "1/0"
    with pytest.raises(GameError, match=r"'1/0' divides by zero"):
        Game.from_dict(data)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_names_the_file_written():
    assert error_line(["convert", "security_dilemma", "--to", "nfg", "--out", "/dev/full"]) == \
        "negotiation: error: /dev/full: cannot write: No space left on device"


def test_an_argument_with_control_characters_is_echoed_escaped():
    line = error_line(["solve", "\u202eevil\nname"])
    assert line.startswith("negotiation: error: \\u202eevil name: no such file")


@pytest.mark.parametrize("suffix, message", [
    (".toml", "the file has more than 1,000,000 characters (the limit)"),
    (".efg", "more than 67,108,864 bytes (the limit for a file read)"),
    (".nfg", "more than 67,108,864 bytes (the limit for a file read)"),
])
def test_a_device_without_end_is_a_one_line_error(tmp_path, suffix, message):
    # /dev/zero reports size 0 and never ends: the file is read up to its limit, not to its end
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    with pytest.raises(NegotiationError) as error:
        load(link)
    assert str(error.value) == f"{link}: {message}"


def test_from_dict_number_text_is_checked_before_it_is_computed():
    # Fraction("1e999999999") alone would compute a billion-digit integer; refused from the text
    import time

    from negotiation.models.tree import GameTree

    data = Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]).to_dict()
    first = data["payoffs"][0]
    for text in ("1e99999999", "1e999999999", "9" * 5000):
        first["payoffs"][next(iter(first["payoffs"]))] = text
        started = time.process_time()
        with pytest.raises(NegotiationError, match=r"^<dict>: payoff of Player 1 at \('1', '1'\): the number .* \(the limit\)$"):
            Game.from_dict(data)
        assert time.process_time() - started < 0.5
    first["payoffs"][next(iter(first["payoffs"]))] = " 2.5e-1 "  # plain number text stays exact
    assert Game.from_dict(data).payoffs[0, 0][0] == Fraction(1, 4)
    tree = GameTree.from_dict(load("nato_enlargement").game_at({}).to_dict())
    data = tree.to_dict()
    leaf = next(node for node in data["nodes"] if "payoffs" in node)
    leaf["payoffs"][0] = "-1e999999999"
    with pytest.raises(NegotiationError, match=r"nodes\[\d+\]\.payoffs: the number '-1e999999999' has an exponent"):
        GameTree.from_dict(data)


def test_arms_race_start_number_text_is_checked():
    assert error_line(["arms-race", "richardson_arms_race", "--start", "1e99999999,0"]) == \
        "negotiation: error: --start: the number '1e99999999' has an exponent beyond ±1000 (the limit)"
    assert "expected two numbers X0,Y0" in error_line(["arms-race", "richardson_arms_race", "--start", "1e1000,0"])


def test_a_game_declaring_too_many_profiles_is_refused_before_its_array_exists():
    # 1000^3 profiles would need a 22 GiB payoff array; the declared counts alone decide
    from negotiation.formats.nfg import NfgFormatError, parse_nfg
    from negotiation.models.game import MAX_PROFILES

    assert MAX_PROFILES == 40_000
    labels = [f"s{k}" for k in range(1000)]
    data = {"players": ["A", "B", "C"], "strategies": {"A": labels, "B": labels, "C": labels},
            "payoffs": [{"profile": {"A": "s0", "B": "s0", "C": "s0"}, "payoffs": {"A": 1, "B": 1, "C": 1}}]}
    with pytest.raises(GameError, match=r"^<dict>: strategies: 1000 × 1000 × 1000 = 1,000,000,000 profiles, "
                                        r"more than the limit of 40,000"):
        Game.from_dict(data)
    thirty = {"players": [f"P{k}" for k in range(30)], "strategies": {f"P{k}": ["a", "b"] for k in range(30)},
              "payoffs": []}
    with pytest.raises(GameError, match=r"30 players' strategies = 1,073,741,824 profiles"):
        Game.from_dict(thirty)
    with pytest.raises(GameError, match=r"201 × 200 = 40,200 profiles"):
        Game.from_table({}, {"A": [str(k) for k in range(201)], "B": [str(k) for k in range(200)]})
    with pytest.raises(NfgFormatError, match=r"line 2: expected at most 40,000 profiles .* found 1000 × 1000 × 1000"):
        parse_nfg('NFG 1 R "big" { "A" "B" "C" } { 1000 1000 1000 }\n1 2 3')
    players = "\n".join(f'{p} = [{", ".join(repr(s) for s in labels)}]' for p in "ABC")
    text = GAME.split("[players]")[0] + "[players]\n" + players + '\n[payoffs]\n"s0, s0, s0" = [1, 1, 1]\n'
    with pytest.raises(ScenarioError, match=r"^g.toml: players: 1000 × 1000 × 1000 = 1,000,000,000 profiles"):
        parse_scenario(text, source="g.toml")


@pytest.mark.parametrize("nodes, message", [
    ({"a": 1}, r"^<dict>: nodes: expected a list of node objects, got dict$"),
    ([1], r"^<dict>: nodes\[0\]: expected a node object, got int$"),
    ([{"path": [], "payoffs": 3}], r"^<dict>: nodes\[0\]\.payoffs: expected a list, got int$"),
    ([{"path": [], "player": ["A"], "actions": ["l"]}, {"path": ["l"], "payoffs": ["1"]}],
     r"player: expected a player label, got list$"),
])
def test_tree_from_dict_malformed_shapes_are_one_line(nodes, message):
    from negotiation.models.tree import GameTree

    with pytest.raises(NegotiationError, match=message):
        GameTree.from_dict({"schema": "negotiation.models.tree/1", "players": ["A"], "nodes": nodes})


def test_an_exact_payoff_beyond_the_float_range_in_a_float_game_is_one_line():
    # exp(1) makes the game a float game; 10**400 has no float: one line, not an OverflowError
    with pytest.raises(GameError) as error:
        Game.from_arrays([[10**400, 0.5], [0, 1]], [[0, 0], [0, 0]], players=("A", "B"),
                         strategies=(("x", "y"), ("x", "y")))
    assert str(error.value) == ("payoff (x, x) of A: about 1e400 is beyond the float range, and other payoffs are "
                                "floats (irrational or written as floats): give them all as exact rationals, or "
                                "rescale the payoffs")


def test_a_comparison_of_exponential_towers_is_refused_before_sympy_compares_them():
    # sympy's comparison of exp(exp(...(0)...)) towers (16 deep) with another never finished
    tower = "exp(" * 16 + "0" + ")" * 16
    with pytest.raises(ScenarioError, match="exponentials are nested 4 deep"):
        parse_scenario(f'''schema = "negotiation.scenario/1"
id = "t"
title = "t"
kind = "normal-form"
[players]
A = ["x", "y"]
B = ["x", "y"]
[[assumptions]]
expr = "{tower} < exp(2)"
[payoffs]
"x, x" = [1, 0]
"x, y" = [0, 0]
"y, x" = [0, 0]
"y, y" = [1, 0]
''', source="t.toml")
