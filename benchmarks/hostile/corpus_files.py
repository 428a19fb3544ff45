"""Categories of files: Gambit ``.nfg`` headers that declare enormous games, malformed ``.efg`` trees,
JSON games (duplicates, ``"1/0"``, huge shapes), labels with control, bidirectional and look-alike
characters, and bargaining scenarios whose disagreement point refers to itself."""

from __future__ import annotations

import json

import corpus_toml as toml

SOLVE = ["solve", "{input}", "--format", "json"]
AGREE = ["agree", "{input}", "--format", "json"]


def _nfg(dimensions, body: str, players=None) -> str:
    players = players or [f"P{i + 1}" for i in range(len(dimensions))]
    names = " ".join(json.dumps(p) for p in players)
    counts = " ".join(str(d) for d in dimensions)
    return f'NFG 1 R "hostile" {{ {names} }} {{ {counts} }}\n{body}\n'


MATCHING_PENNIES_NFG = _nfg((2, 2), "1 -1 -1 1 -1 1 1 -1")


def nfg_headers(category) -> None:
    """Gambit ``.nfg`` files whose header declares enormous games (10^6 × 10^6 strategies, 2^30 or 2^100
    profiles, 10^18 outcomes) with a handful of numbers, and malformed headers, counts, strings,
    braces and numbers.

    Issue 16: "a .nfg header declaring enormous dimensions with little data" ran past 30 s.
    """
    category.run = {"nfg": SOLVE}
    for name, dimensions in {
        "1000x1000": (1000, 1000), "10^4x10^4": (10**4, 10**4), "10^6x10^6": (10**6, 10**6),
        "10^9x10^9": (10**9, 10**9), "10^18x2": (10**18, 2), "1000x1000x1000": (1000, 1000, 1000),
        "2^30_profiles": (2,) * 30, "2^100_profiles": (2,) * 100, "one_player_10^9": (10**9,),
        "5000_digit_count": ("9" * 5000, 2),
    }.items():
        category.add(f"payoff_version_{name}.nfg", _nfg(dimensions, "1 2 3 4"))
        category.add(f"outcome_version_{name}.nfg", _nfg(dimensions, '{ { "" 1, 2 } }\n1 1 1 1'))
    for command, argv in {"show": ["show", "{input}"], "convert": ["convert", "{input}", "--to", "efg"],
                          "learn": ["learn", "{input}"], "nfg_method_lh": SOLVE + ["--method", "lemke_howson"]}.items():
        category.add(f"{command}_10^6x10^6.nfg", _nfg((10**6, 10**6), "1 2 3 4"), argv=argv)
    labels = " ".join(f'"s{i}"' for i in range(5000))
    category.add("labels_5000_no_payoffs.nfg", f'NFG 1 R "t" {{ "A" "B" }} {{ {{ {labels} }} {{ "x" "y" }} }}\n1 2\n')
    category.add("outcome_index_10^18.nfg", _nfg((2, 2), '{ { "" 1, 2 } }\n1 1 1 1000000000000000000'))
    category.add("outcome_index_negative.nfg", _nfg((2, 2), '{ { "" 1, 2 } }\n1 1 1 -1'))
    category.add("outcomes_unused_3000.nfg", _nfg((2, 2), "{ " + '{ "" 1, 2 } ' * 3000 + "}\n1 1 1 1"))
    for name, text in {
        "count_negative": _nfg((-1, 2), "1 2 3 4"),
        "count_zero": _nfg((0, 2), ""),
        "count_fraction": _nfg(("2.5", 2), "1 2 3 4"),
        "count_word": _nfg(("two", 2), "1 2 3 4"),
        "no_players": 'NFG 1 R "t" { } { }\n',
        "players_without_counts": 'NFG 1 R "t" { "A" "B" }\n1 2 3 4\n',
        "more_counts_than_players": 'NFG 1 R "t" { "A" "B" } { 2 2 2 }\n' + "1 " * 24 + "\n",
        "too_few_payoffs": _nfg((2, 2), "1 2 3"),
        "too_many_payoffs": _nfg((2, 2), "1 2 3 4 5 6 7 8 9 10"),
        "payoff_one_over_zero": _nfg((2, 2), "1/0 1 1 1 1 1 1 1"),
        "payoff_zero_over_zero": _nfg((2, 2), "0/0 1 1 1 1 1 1 1"),
        "payoff_nan": _nfg((2, 2), "nan 1 1 1 1 1 1 1"),
        "payoff_inf": _nfg((2, 2), "inf 1 1 1 1 1 1 1"),
        "payoff_lone_sign": _nfg((2, 2), "- 1 1 1 1 1 1 1"),
        "payoff_lone_exponent": _nfg((2, 2), "1e 1 1 1 1 1 1 1"),
        "payoff_double_minus": _nfg((2, 2), "--1 1 1 1 1 1 1 1"),
        "payoff_dot": _nfg((2, 2), ". 1 1 1 1 1 1 1"),
        "wrong_version": MATCHING_PENNIES_NFG.replace("NFG 1 R", "NFG 2 R"),
        "wrong_type": MATCHING_PENNIES_NFG.replace("NFG 1 R", "NFG 1 X"),
        "no_magic": MATCHING_PENNIES_NFG.replace("NFG 1 R", ""),
        "unterminated_title": 'NFG 1 R "hostile { "A" "B" } { 2 2 }\n1 2 3 4 5 6 7 8\n',
        "unterminated_label": 'NFG 1 R "t" { "A" "B" } { { "x "y" } { "x" "y" } }\n1 2 3 4 5 6 7 8\n',
        "unclosed_brace": 'NFG 1 R "t" { "A" "B" { 2 2 }\n1 2 3 4 5 6 7 8\n',
        "braces_nested_50000": 'NFG 1 R "t" { "A" "B" } ' + "{" * 50_000 + "}" * 50_000 + "\n",
        "duplicate_players": _nfg((2, 2), "1 2 3 4 5 6 7 8", players=["A", "A"]),
        "duplicate_strategies": 'NFG 1 R "t" { "A" "B" } { { "x" "x" } { "x" "y" } }\n1 2 3 4 5 6 7 8\n',
        "title_50000_chars": f'NFG 1 R "{"t" * 50_000}" {{ "A" "B" }} {{ 2 2 }}\n1 2 3 4 5 6 7 8\n',
        "comment_50000_chars": f'NFG 1 R "t" {{ "A" "B" }} {{ 2 2 }} "{"c" * 50_000}"\n1 2 3 4 5 6 7 8\n',
        "backslash_at_end": 'NFG 1 R "t\\',
        "empty": "",
        "only_magic": "NFG",
        "crlf_line_ends": MATCHING_PENNIES_NFG.replace("\n", "\r\n"),
        "numbers_50000": _nfg((2, 2), "1 " * 50_000),
    }.items():
        category.add(f"{name}.nfg", text)
    category.add("binary_junk.nfg", bytes(range(256)) * 8)
    category.add("latin1_label.nfg", 'NFG 1 R "t" { "A" "B" } { { "x" "\xe9" } { "x" "y" } }\n1 2 3 4 5 6 7 8\n'
                 .encode("latin-1"))
    category.add("zero_device.nfg", None, symlink="/dev/zero")


ENTRY_EFG = ('EFG 2 R "entry" { "Entrant" "Incumbent" }\n'
             'p "" 1 1 "" { "Out" "In" } 0\n'
             't "" 1 "Out" { 0, 2 }\n'
             'p "" 2 1 "" { "Fight" "Accommodate" } 0\n'
             't "" 2 "Fight" { -1, -1 }\n'
             't "" 3 "Accommodate" { 1, 1 }\n')


def _chain_efg(depth: int) -> str:
    """A chain of ``depth`` decisions ("go" continues, "stop" ends), in prefix order: every decision, the
    last "go" leaf, then the "stop" leaves from the deepest up."""
    lines = ['EFG 2 R "chain" { "A" "B" }']
    lines += [f'p "" {level % 2 + 1} {level + 1} "" {{ "go" "stop" }} 0' for level in range(depth)]
    lines.append(f't "" {depth + 1} "" {{ 0, 0 }}')
    lines += [f't "" {level + 1} "" {{ {level}, {-level} }}' for level in reversed(range(depth))]
    return "\n".join(lines) + "\n"


def _binary_efg(depth: int) -> str:
    """A complete binary tree, players alternating by level, every node its own information set."""
    lines = ['EFG 2 R "binary" { "A" "B" }']
    counters = {1: 0, 2: 0}
    leaf = [0]

    def node(level):
        if level == depth:
            leaf[0] += 1
            lines.append(f't "" {leaf[0]} "" {{ {leaf[0] % 7}, {leaf[0] % 5} }}')
            return
        player = level % 2 + 1
        counters[player] += 1
        lines.append(f'p "" {player} {counters[player]} "" {{ "l" "r" }} 0')
        node(level + 1)
        node(level + 1)

    node(0)
    return "\n".join(lines) + "\n"


def efg_malformed(category) -> None:
    """Malformed Gambit ``.efg`` files: truncated at every stage, wrong node types, player, information
    set and outcome numbers out of range (up to 10^18), probabilities that do not sum to one or are
    not numbers, inconsistent information sets, and trees that are too deep, too wide or whose reduced
    strategic form explodes.

    Issue 16: "5 of 78 malformed .nfg/.efg/JSON inputs ran past 30 s of CPU; 4 ended in a MemoryError".
    """
    category.run = {"efg": SOLVE}
    for fraction in (10, 30, 50, 70, 90, 99):
        category.add(f"truncated_at_{fraction}_percent.efg", ENTRY_EFG[: len(ENTRY_EFG) * fraction // 100])
    replace = {
        "node_type_x": ('p "" 2 1', 'x "" 2 1'),
        "player_zero": ('p "" 2 1', 'p "" 0 1'),
        "player_three": ('p "" 2 1', 'p "" 3 1'),
        "player_10^18": ('p "" 2 1', 'p "" 1000000000000000000 1'),
        "infoset_zero": ('p "" 2 1', 'p "" 2 0'),
        "infoset_10^18": ('p "" 2 1', 'p "" 2 1000000000000000000'),
        "outcome_10^18": ('t "" 3 "Accommodate" { 1, 1 }', 't "" 1000000000000000000 "Accommodate" { 1, 1 }'),
        "outcome_undescribed": ('t "" 3 "Accommodate" { 1, 1 }', 't "" 9'),
        "outcome_redescribed": ('t "" 3 "Accommodate" { 1, 1 }', 't "" 1 "Out" { 5, 5 }'),
        "three_payoffs": ("{ 1, 1 }", "{ 1, 1, 1 }"),
        "one_payoff": ("{ 1, 1 }", "{ 1 }"),
        "payoff_one_over_zero": ("{ 1, 1 }", "{ 1/0, 1 }"),
        "payoff_nan": ("{ 1, 1 }", "{ nan, 1 }"),
        "payoff_word": ("{ 1, 1 }", "{ one, 1 }"),
        "no_actions": ('{ "Fight" "Accommodate" }', "{ }"),
        "duplicate_actions": ('{ "Fight" "Accommodate" }', '{ "Fight" "Fight" }'),
        "unterminated_string": ('"Accommodate" { 1, 1 }', '"Accommodate { 1, 1 }'),
        "missing_name": ('p "" 2 1', "p 2 1"),
        "extra_node": ("{ 1, 1 }\n", '{ 1, 1 }\nt "" 4 "extra" { 0, 0 }\n'),
        "header_no_players": ('{ "Entrant" "Incumbent" }', "{ }"),
        "header_version_3": ("EFG 2 R", "EFG 3 R"),
        "braces_nested": ("{ 1, 1 }", "{ " * 20_000 + "1" + " }" * 20_000),
        "comment_50000": ('{ "Entrant" "Incumbent" }', '{ "Entrant" "Incumbent" } "' + "c" * 50_000 + '"'),
    }
    for name, (old, new) in replace.items():
        category.add(f"{name}.efg", ENTRY_EFG.replace(old, new, 1))
    chance = 'EFG 2 R "chance" {{ "A" "B" }}\nc "" 1 "" {{ "h" {p} "t" {q} }} 0\nt "" 1 "" {{ 1, 0 }}\nt "" 2 "" {{ 0, 1 }}\n'
    for name, (p, q) in {"sum_2": ("1", "1"), "negative": ("-1/2", "3/2"), "one_over_zero": ("1/0", "1"),
                         "nan": ("nan", "1/2"), "tiny": ("1e-400", "1"), "word": ("half", "1/2")}.items():
        category.add(f"chance_{name}.efg", chance.format(p=p, q=q))
    category.add("infoset_two_players.efg", 'EFG 2 R "t" { "A" "B" }\np "" 1 1 "" { "l" "r" } 0\n'
                 'p "" 2 1 "" { "a" "b" } 0\nt "" 1 "" { 1, 0 }\nt "" 2 "" { 0, 1 }\n'
                 'p "" 2 1 "" { "a" "c" } 0\nt "" 3 "" { 1, 1 }\nt "" 4 "" { 0, 0 }\n')
    category.add("players_100.efg", 'EFG 2 R "t" { ' + " ".join(f'"P{i}"' for i in range(100)) + " }\n"
                 'p "" 1 1 "" { "a" } 0\nt "" 1 "" { ' + ", ".join("1" for _ in range(100)) + " }\n")
    for depth in (1000, 3000):
        category.add(f"chain_{depth}_deep.efg", _chain_efg(depth))
    wide = 'EFG 2 R "wide" { "A" "B" }\np "" 1 1 "" { ' + " ".join(f'"a{i}"' for i in range(3000)) + " } 0\n"
    wide += "".join(f't "" {i + 1} "" {{ {i % 7}, {i % 3} }}\n' for i in range(3000))
    category.add("wide_3000_actions.efg", wide)
    binary = _binary_efg(9)
    category.add("binary_depth_9.efg", binary)
    category.add("binary_depth_9_convert_nfg.efg", binary, argv=["convert", "{input}", "--to", "nfg"])
    category.add("binary_depth_9_vertex_enumeration.efg", binary, argv=SOLVE + ["--method", "vertex_enumeration"])
    category.add("binary_depth_9_learn.efg", binary, argv=["learn", "{input}"])
    category.add("empty.efg", "")
    category.add("binary_junk.efg", bytes(range(256)) * 8)
    category.add("zero_device.efg", None, symlink="/dev/zero")


def _game_json(profiles, strategies=None, players=("A", "B"), **extra) -> str:
    data = {"schema": "negotiation.models.game/1", "title": "hostile", "players": list(players),
            "strategies": strategies or {p: ["x", "y"] for p in players}, "payoffs": profiles}
    data.update(extra)
    return json.dumps(data, ensure_ascii=True) + "\n"


def _entries(payoffs: dict, players=("A", "B")) -> list:
    return [{"profile": dict(zip(players, profile.split(","))), "payoffs": dict(zip(players, values))}
            for profile, values in payoffs.items()]


MP = {"x,x": ["1", "-1"], "x,y": ["-1", "1"], "y,x": ["-1", "1"], "y,y": ["1", "-1"]}


def _tree_json(nodes) -> str:
    return json.dumps({"schema": "negotiation.models.tree/1", "title": "hostile", "players": ["A", "B"],
                       "nodes": nodes}, ensure_ascii=True) + "\n"


TREE = [{"path": [], "player": "A", "actions": ["l", "r"]},
        {"path": ["l"], "payoffs": ["1", "0"]}, {"path": ["r"], "payoffs": ["0", "1"]}]


def json_games(category) -> None:
    """JSON games for ``Game.from_dict``, ``GameTree.from_dict`` and ``Game.from_arrays``: duplicate
    profiles (must be refused, not "last wins"), "1/0", NaN and infinite payoffs, missing and unknown
    profiles, wrong types, and shapes that declare 10^10 profiles with one entry.

    Issue 16: "Game.from_dict accepts duplicate profiles (the last wins) and raises ZeroDivisionError
    on "1/0"".
    """
    category.run = {"json": ["api", "from_dict", "{input}"]}
    refuse = {"status": "error"}
    entries = _entries(MP)
    category.add("duplicate_profile_different_payoffs.json",
                 _game_json(entries + [{"profile": {"A": "x", "B": "x"}, "payoffs": {"A": "5", "B": "5"}}]),
                 expect=refuse)
    category.add("duplicate_profile_same_payoffs.json", _game_json(entries + [entries[0]]), expect=refuse)
    category.add("duplicate_every_profile.json", _game_json(entries + entries), expect=refuse)
    for name, value in {"one_over_zero": "1/0", "zero_over_zero": "0/0", "minus_one_over_zero": "-1/0",
                        "nan_string": "nan", "inf_string": "inf", "empty_string": "", "word": "one",
                        "boolean": True, "null": None, "list": [1], "table": {"a": 1},
                        "nested_500": json.loads("[" * 500 + "1" + "]" * 500)}.items():
        category.add(f"payoff_{name}.json", _game_json(_entries(MP | {"x,x": [value, "-1"]})))
    for name, raw in {"NaN": "NaN", "Infinity": "Infinity", "minus_Infinity": "-Infinity", "1e999": "1e999"}.items():
        text = _game_json(_entries(MP | {"x,x": ["PLACEHOLDER", "-1"]})).replace('"PLACEHOLDER"', raw)
        category.add(f"payoff_json_{name}.json", text, expect=refuse)
    category.add("missing_profile.json", _game_json(entries[:3]))
    category.add("unknown_strategy.json", _game_json(_entries(MP | {"x,z": ["1", "1"]})))
    category.add("unknown_player.json", _game_json(
        entries[:3] + [{"profile": {"A": "y", "C": "y"}, "payoffs": {"A": "1", "B": "1"}}]))
    category.add("payoff_for_missing_player.json", _game_json(
        entries[:3] + [{"profile": {"A": "y", "B": "y"}, "payoffs": {"A": "1"}}]))
    category.add("strategies_as_string.json", _game_json(entries, strategies={"A": "xy", "B": "xy"}))
    category.add("strategies_empty.json", _game_json([], strategies={"A": [], "B": []}))
    category.add("players_as_table.json", _game_json(entries, players={"A": 1, "B": 2}))
    category.add("entry_as_list.json", _game_json([["x", "x", 1, 1]] + entries[1:]))
    category.add("schema_wrong.json", _game_json(entries, schema="negotiation.models.tree/1"))
    category.add("parameters_code_names.json", _game_json(entries, parameters=["__import__", "exec", "lambda"]))
    category.add("parameters_3000.json", _game_json(entries, parameters=[f"p{i}" for i in range(3000)]))
    category.add("not_an_object.json", "[1, 2, 3]\n")
    for name, strategies, players in (
        ("shape_1000_cubed_one_entry", {p: [f"{p}{i}" for i in range(1000)] for p in "ABC"}, ("A", "B", "C")),
        ("shape_2^20_one_entry", {f"P{i}": ["x", "y"] for i in range(20)}, tuple(f"P{i}" for i in range(20))),
        ("shape_2^30_one_entry", {f"P{i}": ["x", "y"] for i in range(30)}, tuple(f"P{i}" for i in range(30))),
    ):
        entry = {"profile": {p: s[0] for p, s in strategies.items()}, "payoffs": {p: "1" for p in players}}
        category.add(f"{name}.json", _game_json([entry], strategies=strategies, players=players))
    tree = ["api", "tree_from_dict", "{input}"]
    for name, nodes in {
        "valid": TREE,
        "duplicate_node": TREE + [{"path": ["l"], "payoffs": ["5", "5"]}],
        "payoff_one_over_zero": [TREE[0], {"path": ["l"], "payoffs": ["1/0", "0"]}, TREE[2]],
        "payoff_nan_float": [TREE[0], {"path": ["l"], "payoffs": [float("nan"), 0]}, TREE[2]],
        "missing_child": TREE[:2],
        "orphan_node": TREE + [{"path": ["q", "r"], "payoffs": ["1", "1"]}],
        "path_as_string": [TREE[0], {"path": "l", "payoffs": ["1", "0"]}, TREE[2]],
        "path_3000_long": TREE + [{"path": ["l"] * 3000, "payoffs": ["1", "1"]}],
        "actions_3000": [{"path": [], "player": "A", "actions": [f"a{i}" for i in range(3000)]}],
        "unknown_player": [{"path": [], "player": "Z", "actions": ["l", "r"]}] + TREE[1:],
        "probabilities_sum_2": [{"path": [], "actions": ["l", "r"], "probabilities": ["1", "1"]}] + TREE[1:],
        "nodes_not_list": {"a": 1},
    }.items():
        category.add(f"tree_{name}.json", _tree_json(nodes), argv=tree,
                     expect=refuse if name in ("duplicate_node", "payoff_nan_float") else None)
    arrays = ["api", "from_arrays", "{input}"]
    for name, data in {
        "ragged": [[[1, 2], [3]], [[1, 2], [3, 4]]],
        "shapes_differ": [[[1, 2], [3, 4]], [[1, 2, 3], [3, 4, 5]]],
        "strings_one_over_zero": [[["1/0", 1], [1, 1]], [[1, 1], [1, 1]]],
        "booleans": [[[True, False], [False, True]], [[1, 0], [0, 1]]],
        "empty": [[], []],
        "empty_rows": [[[]], [[]]],
        "one_array_for_two_players": [[[1, 2], [3, 4]]],
        "three_dimensional_for_two": [[[[1]]], [[[1]]]],
        "nested_objects": [[[{"a": 1}, 1], [1, 1]], [[1, 1], [1, 1]]],
    }.items():
        category.add(f"arrays_{name}.json", json.dumps({"arrays": data}) + "\n", argv=arrays)
    for name, raw in {"nan": "NaN", "infinity": "Infinity", "1e999": "1e999"}.items():
        text = json.dumps({"arrays": [[["X", -1], [-1, 1]], [[-1, 1], [1, -1]]]}).replace('"X"', raw)
        category.add(f"arrays_{name}.json", text + "\n", argv=arrays, expect=refuse)


# ----------------------------------------------------------------------------------------------- labels
BAD_CHARACTERS = {
    "rlo": "\u202e", "lri": "\u2066", "pdi": "\u2069", "rlm": "\u200f", "alm": "\u061c", "nul": "\x00",
    "bel": "\x07", "ansi_escape": "\x1b[31m", "carriage_return": "\r", "newline": "\n", "tab": "\t",
    "delete": "\x7f", "c1_next_line": "\x85",
}
#: Invisible but neither control nor bidirectional: tried, with no expected answer.
INVISIBLE = {"zero_width_space": "\u200b", "zero_width_joiner": "\u200d", "byte_order_mark": "\ufeff",
             "line_separator": "\u2028"}
#: The characters tried in every place a label can stand.
EVERYWHERE = ("rlo", "ansi_escape", "newline")


def _gambit_string(text: str) -> str:
    """``text`` as a quoted string of a ``.nfg`` or ``.efg`` file: the characters themselves, with ``\\"`` and
    ``\\\\`` the only escapes (a JSON escape such as ``\\u202e`` is six ordinary characters there)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label_places(bad: str) -> dict:
    """Every place a name or label stands, each as ``(scenario or file text, argv or None)``."""
    label = f"De{bad}ploy"
    return {
        "player": (toml.normal_form(players={f"NA{bad}TO": ["x", "y"], "B": ["x", "y"]}), None),
        "strategy": (toml.normal_form(players={"A": ["x", label], "B": ["x", "y"]},
                                      payoffs={"x, x": ["p", "0"], "x, y": ["0", "1"], f"{label}, x": ["1", "0"],
                                               f"{label}, y": ["0", "p"]}), None),
        "party": (toml.variant(toml.bargaining(), "parties", [f"NA{bad}TO", "Russia"]), AGREE),
        "package": (toml.variant(toml.bargaining(), "packages.0.label", label), AGREE),
        "issue_option": (toml.variant(toml.issues_bargaining(), "issues.missiles.options", ["ban", label]), AGREE),
        "tree_action": (toml.tree(nodes=[
            {"path": "", "player": "Entrant", "actions": ["Out", label]},
            {"path": "Out", "payoffs": [0, 2]}, {"path": label, "payoffs": [1, 1]}]), None),
        "information_set": (toml.variant(toml.tree(), "nodes.2.information_set", label), None),
        "leaf_label": (toml.variant(toml.tree(), "nodes.1.label", label), None),
        "signal_message": (toml.variant(toml.signaling(), "sender.messages", [label, "No gesture"]), None),
        "continuous_variable_label": (toml.variant(toml.continuous(), "players.NATO.label", label), None),
        "nfg_strategy": (f'NFG 1 R "t" {{ "A" "B" }} {{ {{ "x" {_gambit_string(label)} }} {{ "x" "y" }} }}\n'
                         "1 -1 -1 1 -1 1 1 -1\n", None),
        "nfg_player": (f'NFG 1 R "t" {{ {_gambit_string("NA" + bad + "TO")} "B" }} {{ 2 2 }}\n'
                       "1 -1 -1 1 -1 1 1 -1\n", None),
        "efg_action": (ENTRY_EFG.replace('"Accommodate" } 0', _gambit_string(label) + " } 0"), None),
        "json_strategy": (_game_json(_entries({"x,x": ["1", "-1"], "x,y": ["-1", "1"], f"{label},x": ["-1", "1"],
                                               f"{label},y": ["1", "-1"]}),
                                     strategies={"A": ["x", label], "B": ["x", "y"]}), ["api", "from_dict", "{input}"]),
    }


def _suffix(place: str) -> str:
    return "nfg" if place.startswith("nfg") else "efg" if place.startswith("efg") else \
        "json" if place.startswith("json") else "toml"


def _ligature_game(parameters: dict, formula: str, derived=None) -> dict:
    """x is strictly dominant for both players; the unique equilibrium (x, x) pays (formula, 1)."""
    return toml.normal_form(parameters=parameters, derived=derived,
                            payoffs={"x, x": [formula, "1"], "x, y": ["-5", "-5"], "y, x": ["-5", "-5"],
                                     "y, y": ["-10", "-10"]})


def labels_unicode(category) -> None:
    """Names and labels with control and bidirectional characters (U+202E, U+2066, U+200F, ANSI escapes,
    NUL, newlines) in every place a label stands, and NFKC look-alikes: a parameter written with the
    ligature U+FB01 and another named fi, fullwidth letters, the Kelvin and Angstrom signs, combining
    accents, mathematical italic letters; --set with a look-alike name.

    Issue 16: "a formula reading U+FB01 silently uses a different parameter named fi (Unicode
    normalisation), so the payoff shown is wrong; labels with bidirectional control characters are
    printed raw"; "names and labels are NFKC-normalised and checked for collisions; control and
    bidirectional characters are refused with a one-line error".
    """
    category.run = {"toml": SOLVE, "nfg": SOLVE, "efg": SOLVE, "json": ["api", "from_dict", "{input}"]}
    refuse = {"status": "error", "note": "control and bidirectional characters are refused"}
    for name, bad in (BAD_CHARACTERS | INVISIBLE).items():
        content, argv = _label_places(bad)["strategy"]
        category.add(f"strategy_{name}.toml", content, argv=argv, expect=refuse if name in BAD_CHARACTERS else None)
    for name in EVERYWHERE:
        for place, (content, argv) in _label_places(BAD_CHARACTERS[name]).items():
            if place == "strategy":
                continue
            category.add(f"{place}_{name}.{_suffix(place)}", content, argv=argv, expect=refuse)
    for name in ("rlo", "ansi_escape"):
        bad = BAD_CHARACTERS[name]
        category.add(f"title_{name}.toml", toml.normal_form(title=f"hostile {bad} title"))
        category.add(f"parameter_name_{name}.toml", toml.normal_form(parameters={f"p{bad}": {"default": 1,
                                                                                           "range": [0, 2]}}))
    one = {"default": 3, "range": [0, 10]}
    other = {"default": 1, "range": [0, 10]}
    refers = "the formula's name is the declared parameter (value 3), or the file is refused"
    look_alikes = {
        "ligature_declared_and_used": ({"\ufb01": one}, "\ufb01"),
        "ligature_declared_ascii_used": ({"\ufb01": one}, "fi"),
        "ascii_declared_ligature_used": ({"fi": one}, "\ufb01"),
        "fullwidth_declared_ascii_used": ({"\uff50": one}, "p"),
        "italic_declared_ascii_used": ({"\U0001d465": one}, "x"),
        "kelvin_declared_k_used": ({"\u212a": one}, "K"),
        "combining_accent_declared_precomposed_used": ({"e\u0301": one}, "\u00e9"),
    }
    for name, (parameters, formula) in look_alikes.items():
        category.add(f"nfkc_{name}.toml", _ligature_game(parameters, formula),
                     expect={"payoffs": [["3", "1"]], "allow_error": True, "note": refers})
    collisions = {
        "ligature_and_ascii": ({"\ufb01": one, "fi": other}, "\ufb01"),
        "ascii_and_ligature_ascii_used": ({"fi": other, "\ufb01": one}, "fi"),
        "fullwidth_and_ascii": ({"\uff50": one, "p": other}, "p"),
        "kelvin_and_k": ({"\u212a": one, "K": other}, "K"),
        "angstrom_and_a_ring": ({"\u212b": one, "\u00c5": other}, "\u00c5"),
        "combining_and_precomposed": ({"e\u0301": one, "\u00e9": other}, "\u00e9"),
    }
    collide = {"status": "error", "note": "two names that NFKC makes equal are a collision"}
    for name, (parameters, formula) in collisions.items():
        category.add(f"nfkc_collision_{name}.toml", _ligature_game(parameters, formula), expect=collide)
    category.add("nfkc_collision_derived.toml", _ligature_game({"fi": other}, "\ufb01", derived={"\ufb01": "fi + 2"}),
                 expect=collide)
    for name, labels in {"strategies": ["Deploy", "\uff24eploy"], "strategies_ligature": ["\ufb01ght", "fight"]}.items():
        payoffs = toml.matrix_payoffs([["1", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]], labels)
        payoffs = {k.replace(f", {labels[0]}", ", x").replace(f", {labels[1]}", ", y"): v for k, v in payoffs.items()}
        category.add(f"nfkc_collision_{name}.toml",
                     toml.normal_form(players={"A": labels, "B": ["x", "y"]}, payoffs=payoffs), expect=collide)
    category.add("nfkc_collision_players.toml", toml.normal_form(
        players={"NATO": ["x", "y"], "\uff2e\uff21\uff34\uff2f": ["x", "y"]}), expect=collide)
    category.add("nfkc_collision_parties.toml", toml.variant(toml.bargaining(), "parties", ["NATO", "\uff2eATO"]),
                 argv=AGREE, expect=collide)
    category.add("nfkc_collision_nfg_strategies.nfg",
                 'NFG 1 R "t" { "A" "B" } { { "fight" "\ufb01ght" } { "x" "y" } }\n1 -1 -1 1 -1 1 1 -1\n',
                 expect=collide)
    category.add("nfkc_collision_efg_actions.efg", ENTRY_EFG.replace('"Accommodate" } 0', '"\uff26ight" } 0'),
                 expect=collide)
    category.add("_fi.toml", _ligature_game({"fi": other}, "fi"), input_only=True)
    category.cli("set_ligature_name", ["solve", "_fi.toml", "--format", "json", "--set", "\ufb01=3"],
                 with_=["_fi.toml"], expect={"payoffs": [["3", "1"]], "allow_error": True,
                                             "note": "--set names fi (NFKC), or is refused"})
    category.cli("derive_parameter_ligature", ["derive", "_fi.toml", "--parameter", "\ufb01"], with_=["_fi.toml"])
    category.cli("grid_ligature_name", ["sweep", "_fi.toml", "--grid", "\ufb01=0:1:3", "--out", "o.csv"],
                 with_=["_fi.toml"])


# ----------------------------------------------------------------------------------------------- disagreement
def _self_referring(target: str, **options) -> dict:
    disagreement = {"scenario": target, "equilibrium": "x, x"} | options
    return toml.bargaining(disagreement=disagreement)


def disagreement_cycles(category) -> None:
    """Bargaining scenarios whose disagreement point refers to the scenario itself, to a cycle of two or
    three files, to /dev/zero, to a directory, to a path outside the corpus, or to an equilibrium that
    does not exist; and disagreement points of the wrong shape.

    Issue 16: "a bargaining scenario whose disagreement point refers to itself" gave a traceback.
    """
    category.run = {"toml": AGREE}
    category.add("self.toml", _self_referring("self.toml"))
    category.add("self_by_dot_path.toml", _self_referring("./self_by_dot_path.toml"))
    category.add("self_issue_space.toml", toml.issues_bargaining() | {
        "disagreement": {"scenario": "self_issue_space.toml", "equilibrium": "x, x"}})
    category.add("cycle_a.toml", _self_referring("cycle_b.toml"), with_=["cycle_b.toml"])
    category.add("cycle_b.toml", _self_referring("cycle_a.toml"), input_only=True)
    category.add("triangle_a.toml", _self_referring("triangle_b.toml"), with_=["triangle_b.toml", "triangle_c.toml"])
    category.add("triangle_b.toml", _self_referring("triangle_c.toml"), input_only=True)
    category.add("triangle_c.toml", _self_referring("triangle_a.toml"), input_only=True)
    category.add("zero.toml", None, symlink="/dev/zero", input_only=True)
    category.add("to_dev_zero.toml", _self_referring("zero.toml"), with_=["zero.toml"])
    category.add("to_dev_zero_absolute.toml", _self_referring("/dev/zero"))
    category.add("to_directory.toml", _self_referring("."))
    category.add("to_empty_path.toml", _self_referring(""))
    category.add("to_etc_passwd.toml", _self_referring("../../../../../../etc/passwd"))
    category.add("to_missing_file.toml", _self_referring("no_such_file.toml"))
    for name, options in {
        "no_such_equilibrium": {"equilibrium": "Restrain, Deploy"},
        "unknown_profile": {"equilibrium": "Fly, Swim"},
        "values_1e99999999": {"equilibrium": "Deploy, Deploy", "values": {"omega": "1e99999999"}},
        "values_self": {"equilibrium": "Deploy, Deploy", "values": {"omega": "omega"}},
        "values_unknown": {"equilibrium": "Deploy, Deploy", "values": {"zeta": "1"}},
        "players_unknown": {"equilibrium": "Deploy, Deploy", "players": {"NATO": "China", "Russia": "Russia"}},
        "players_swapped_twice": {"equilibrium": "Deploy, Deploy", "players": {"NATO": "Russia", "Russia": "Russia"}},
    }.items():
        category.add(f"bundled_{name}.toml", toml.bargaining(disagreement={"scenario": "security_dilemma"} | options))
    for name, disagreement in {
        "parties_refer_to_each_other": {"NATO": "Russia", "Russia": "NATO"},
        "party_refers_to_itself": {"NATO": "NATO + 1", "Russia": 0},
        "list": [0, 0], "string": "status quo", "number": 0, "empty_table": {},
        "unknown_party": {"NATO": 0, "China": 0},
    }.items():
        category.add(f"shape_{name}.toml", toml.bargaining(disagreement=disagreement))


CATEGORIES = (nfg_headers, efg_malformed, json_games, labels_unicode, disagreement_cycles)
