"""Categories of values: huge numbers wherever a number is read, deep TOML nesting, huge inspection
horizons, confidence tags and other fields of the wrong type, and scenario files whose sections have
the wrong shape."""

from __future__ import annotations

import json

import corpus_toml as toml

SOLVE = ["solve", "{input}", "--format", "json"]
SHOW = ["show", "{input}"]

#: Numbers written as text. The first group is tried in every place, the rest where a parameter's value
#: is read. ``Fraction("1e99999999")`` alone takes minutes (issue 16).
NUMBERS = {
    "1e999999999": "1e999999999",
    "1e99999999": "1e99999999",
    "minus_1e99999999": "-1e99999999",
    "1e-99999999": "1e-99999999",
    "1E+99999999": "1E+99999999",
    "5000_digits": "1" * 5000,
    "one_over_zero": "1/0",
    "nan": "nan",
    "inf": "inf",
}
#: The numbers also tried in the less common places (range low end, grid start, from_dict, ng.solve values).
FIRST = ("1e999999999", "1e99999999", "5000_digits", "one_over_zero")
MORE_NUMBERS = {
    "1e99999999_over_3": "1e99999999/3",
    "3_over_1e99999999": "3/1e99999999",
    "huge_denominator": "1/" + "7" * 5000,
    "20000_digits": "9" * 20_000,
    "zero_over_zero": "0/0",
    "Infinity": "Infinity",
    "minus_inf": "-inf",
    "underscore": "1_000",
    "fullwidth_digit": "\uff11",
    "arabic_indic_digit": "\u0661",
    "hex": "0x10",
    "padded": "  1  ",
    "empty": "",
    "plus_minus": "+-1",
    "1e-400": "1e-400",
    "1e400": "1e400",
    "1e4000": "1e4000",
}


def _game(parameter=None) -> dict:
    """A 2×2 game with one parameter p in [0, 1e300] (huge values are in range unless refused)."""
    spec = parameter or {"default": 1, "range": [0, "1e300"]}
    return toml.normal_form(parameters={"p": spec})


def huge_numbers(category) -> None:
    """Huge, tiny and undefined numbers as text: 1e999999999 and "1e99999999", 5,000-digit integers,
    1/0, nan and inf in a parameter's default and range, --set, --grid, --prior, Game.from_dict, the
    values of ng.solve, tree probabilities, inspection fields, disagreement points, packages, the
    polytope, issue ranges, dynamics and learning options, .nfg and .efg payoffs.

    Issue 16: "Fraction("1e99999999") alone takes minutes, and such strings are accepted in default,
    range, --set, --grid and from_dict"; "a default of 1e999999999" ran past 30 s.
    """
    category.run = {"toml": SOLVE, "nfg": SOLVE, "efg": SOLVE}
    category.add("_game.toml", _game(), input_only=True)
    category.add("_bargain.toml", toml.bargaining(), input_only=True)
    category.add("_continuous.toml", toml.continuous(), input_only=True)
    for name, text in (NUMBERS | MORE_NUMBERS).items():
        category.add(f"default_{name}.toml", _game({"default": text, "range": [0, "1e300"]}))
    for name, text in NUMBERS.items():
        category.cli(f"set_{name}", ["solve", "_game.toml", "--set", f"p={text}"], with_=["_game.toml"])
        category.add(f"range_high_{name}.toml", _game({"default": 1, "range": [0, text]}))
        category.cli(f"grid_stop_{name}", ["sweep", "_game.toml", "--grid", f"p=0:{text}:3", "--out", "o.csv"],
                     with_=["_game.toml"])
        if name not in FIRST:
            continue
        category.add(f"range_low_{name}.toml", _game({"default": 1, "range": [text, 2]}))
        category.cli(f"grid_start_{name}", ["sweep", "_game.toml", "--grid", f"p={text}:1:3", "--out", "o.csv"],
                     with_=["_game.toml"])
        game = {"schema": "negotiation.models.game/1", "players": ["A", "B"],
                "strategies": {"A": ["x", "y"], "B": ["x", "y"]},
                "payoffs": [{"profile": {"A": a, "B": b}, "payoffs": {"A": text if (a, b) == ("x", "x") else "1",
                                                                      "B": "0"}}
                            for a in "xy" for b in "xy"]}
        category.add(f"from_dict_{name}.json", json.dumps(game) + "\n", argv=["api", "from_dict", "{input}"])
        category.add(f"solve_values_{name}.json",
                     json.dumps({"scenario": "_game.toml", "values": {"p": text}}) + "\n",
                     argv=["api", "solve_values", "{input}"], with_=["_game.toml"])
    big = NUMBERS["1e99999999"]
    places = {
        "tree_probability": toml.tree(nodes=[
            {"path": "", "actions": ["a", "b"], "probabilities": [big, "1/2"]},
            {"path": "a", "payoffs": [0, 1]}, {"path": "b", "payoffs": [1, 0]}]),
        "tree_payoff": toml.variant(toml.tree(), "nodes.1.payoffs", [big, 2]),
        "inspection_gain": toml.inspection(gain=big),
        "inspection_detection": toml.inspection(detection="1/" + big),
        "disagreement": toml.variant(toml.bargaining(), "disagreement.NATO", big),
        "package_utility": toml.variant(toml.bargaining(), "packages.0.NATO", big),
        "polytope_vertex": toml.variant(toml.bargaining(), "packages", None, delete=True)
        | {"polytope": {"vertices": [[0, 0], [1, 0], [0, big]]}},
        "issue_range": toml.variant(toml.issues_bargaining(), "issues.troops.range", [0, big]),
        "bargaining_weight": toml.bargaining(weights={"NATO": big, "Russia": 1}),
        "continuous_range": toml.variant(toml.continuous(), "players.NATO.range", [0, big]),
        "dynamics_coefficient": toml.variant(toml.continuous(), "dynamics.g", big),
        "bayesian_prior": toml.variant(toml.bayesian(), "prior.A.Fearful", big),
        "repetition_discount": toml.normal_form(repetition={"discount": big, "target": ["x", "x"]}),
        "toml_float_literal": _game({"default": toml.Raw("1e999"), "range": [0, 2]}),
        "toml_integer_literal_5000_digits": _game({"default": toml.Raw("1" * 5000), "range": [0, 2]}),
        "payoff_literal": toml.normal_form(payoffs={"x, x": [toml.Raw("1e999"), 0], "x, y": [0, 1],
                                                     "y, x": [1, 0], "y, y": [0, 1]}),
    }
    agree = {"disagreement", "package_utility", "polytope_vertex", "issue_range", "bargaining_weight"}
    for place, scenario in places.items():
        category.add(f"{place}_1e99999999.toml", scenario,
                     argv=["agree", "{input}", "--format", "json"] if place in agree else None)
    category.add("nfg_payoff_1e99999999.nfg", f'NFG 1 R "t" {{ "A" "B" }} {{ 2 2 }}\n{big} 0 0 1 0 1 1 0\n')
    category.add("nfg_payoff_5000_digits.nfg", f'NFG 1 R "t" {{ "A" "B" }} {{ 2 2 }}\n{"9" * 5000} 0 0 1 0 1 1 0\n')
    category.add("efg_payoff_1e99999999.efg", f'EFG 2 R "t" {{ "A" "B" }}\np "" 1 1 "" {{ "a" "b" }} 0\n'
                                              f't "" 1 "" {{ {big}, 0 }}\nt "" 2 "" {{ 0, 1 }}\n')
    category.add("efg_probability_1e-99999999.efg", 'EFG 2 R "t" { "A" "B" }\n'
                 'c "" 1 "" { "a" 1e-99999999 "b" 1 } 0\nt "" 1 "" { 1, 0 }\nt "" 2 "" { 0, 1 }\n')
    with_game, with_bargain, with_continuous = ["_game.toml"], ["_bargain.toml"], ["_continuous.toml"]
    for name, argv, extra in (
        ("prior_mean", ["sweep", "_game.toml", "--samples", "3", "--prior", f"p=normal:{big}:1", "--out", "o.csv"],
         with_game),
        ("prior_uniform_bounds", ["sweep", "_game.toml", "--samples", "3", "--prior", f"p=uniform:0:{big}",
                                  "--out", "o.csv"], with_game),
        ("derive_set", ["derive", "_game.toml", "--set", f"p={big}"], with_game),
        ("show_set", ["show", "_game.toml", "--set", f"p={big}"], with_game),
        ("convert_set", ["convert", "_game.toml", "--to", "nfg", "--set", f"p={big}"], with_game),
        ("learn_set", ["learn", "_game.toml", "--set", f"p={big}"], with_game),
        ("learn_time", ["learn", "_game.toml", "--rule", "replicator", "--time", big], with_game),
        ("learn_max_precision", ["learn", "_game.toml", "--rule", "logit", "--max-precision", big], with_game),
        ("agree_set", ["agree", "_bargain.toml", "--set", f"a={big}"], with_bargain),
        ("agree_sweep_range", ["agree", "_bargain.toml", "--sweep", f"a=0:{big}:3"], with_bargain),
        ("dynamics_start", ["arms-race", "_continuous.toml", "--start", f"{big},0"], with_continuous),
        ("dynamics_time", ["arms-race", "_continuous.toml", "--time", big], with_continuous),
        ("dynamics_set", ["arms-race", "_continuous.toml", "--set", f"g={big}"], with_continuous),
        ("status_quo", ["agree", "infrastructure_limits", "--linkage", "--status-quo", f"troops={big}"], ()),
    ):
        category.cli(f"option_{name}", argv, with_=extra)


def _nested_list(depth: int, inner="1") -> toml.Raw:
    return toml.Raw("[" * depth + inner + "]" * depth)


def _nested_table(depth: int) -> toml.Raw:
    return toml.Raw("{a = " * depth + "1" + "}" * depth)


def toml_nesting(category) -> None:
    """Deeply nested TOML (arrays and inline tables 10 to 100,000 levels deep, dotted keys 1,000 deep),
    very long arrays and keys, thousands of parameters or assumptions, and payoff tables that declare
    huge dimensions with little data.

    Issue 16: "a deeply nested TOML array" ran past 30 s of CPU.
    """
    category.run = {"toml": SOLVE}
    for depth in (10, 100, 500, 1000, 5000, 20_000):
        base = toml.normal_form()
        base["payoffs"]["x, x"] = [_nested_list(depth), "0"]
        category.add(f"array_{depth}_deep_in_payoff.toml", base)
    for depth in (1000, 20_000):
        category.add(f"array_{depth}_deep_in_range.toml",
                     toml.normal_form(parameters={"p": {"default": 1, "range": _nested_list(depth, "0, 1")}}))
        category.add(f"array_{depth}_deep_in_references.toml", toml.normal_form(references=_nested_list(depth, '"x"')))
        category.add(f"array_{depth}_deep_in_tree_payoffs.toml",
                     toml.variant(toml.tree(), "nodes.1.payoffs", _nested_list(depth)))
    for depth in (100, 1000, 20_000):
        category.add(f"inline_table_{depth}_deep.toml",
                     toml.normal_form(parameters={"p": {"default": 1, "range": [0, 2], "unit": _nested_table(depth)}}))
        category.add(f"inline_table_{depth}_deep_in_players.toml",
                     toml.normal_form(players={"A": _nested_table(depth), "B": ["x", "y"]}))
    dotted = toml.document(toml.normal_form()) + "\n[" + ".".join(["a"] * 1000) + "]\nb = 1\n"
    category.add("dotted_key_1000_deep.toml", dotted)
    dotted_parameter = toml.document(toml.normal_form()) + "\n[parameters.q." + ".".join(["a"] * 1000) + "]\nb = 1\n"
    category.add("dotted_parameter_1000_deep.toml", dotted_parameter)
    category.add("array_20000_long_references.toml", toml.normal_form(references=["r"] * 20_000))
    category.add("key_20000_chars.toml", toml.normal_form(players={"A" * 20_000: ["x", "y"], "B": ["x", "y"]}))
    parameters = {f"p{i}": {"default": 1, "range": [0, 2]} for i in range(2000)} | {"p": {"default": 1, "range": [0, 2]}}
    category.add("parameters_2000.toml", toml.normal_form(parameters=parameters))
    category.add("assumptions_2000.toml", toml.normal_form(
        assumptions=[{"expr": f"p >= -{i}", "description": "x"} for i in range(2000)]))
    category.add("derived_2000_independent.toml", toml.normal_form(derived={f"d{i}": f"p + {i}" for i in range(2000)}))
    category.add("strategies_3000_no_payoffs.toml", toml.normal_form(
        players={"A": [f"s{i}" for i in range(3000)], "B": ["x", "y"]}, payoffs={"s0, x": [1, 1]}))
    category.add("three_players_1000_strategies.toml", toml.normal_form(
        players={name: [f"s{i}" for i in range(1000)] for name in "ABC"}, payoffs={"s0, s0, s0": [1, 1, 1]}))
    category.add("twenty_players_two_strategies.toml", toml.normal_form(
        players={f"P{i}": ["x", "y"] for i in range(20)}, payoffs={", ".join(["x"] * 20): [1] * 20}))
    category.add("extra_profiles_3000.toml", toml.normal_form(
        payoffs=toml.normal_form()["payoffs"] | {f"z{i}, x": [1, 1] for i in range(3000)}))
    category.add("tree_nodes_listing_3000_actions.toml", toml.tree(nodes=[
        {"path": "", "player": "Entrant", "actions": [f"a{i}" for i in range(3000)]},
        {"path": "a0", "payoffs": [0, 0]}]))
    category.add("string_50000_chars.toml", toml.normal_form(description="x" * 50_000))
    category.add("empty_file.toml", "")
    category.add("binary_junk.toml", bytes(range(256)) * 4)
    category.add("utf16_file.toml", toml.document(toml.normal_form()).encode("utf-16"))
    category.add("bom_file.toml", b"\xef\xbb\xbf" + toml.document(toml.normal_form()).encode())
    category.add("zero_device.toml", None, symlink="/dev/zero")
    category.add("directory_link.toml", None, symlink=".")


def inspection_horizon(category) -> None:
    """``[inspection]`` sections with a huge horizon (10^3 to 10^12 periods, 10**100 as a formula,
    1e99999999), large quotas, and impossible values (negative, fractional, quota above the horizon,
    detection outside [0, 1]), in the file and through --set.

    Issue 16: "an [inspection] section with a huge horizon" ran past 30 s of CPU.
    """
    category.run = {"toml": SOLVE}
    for periods in (100, 1000, 10_000, 100_000, 10**6, 10**9, 10**12):
        category.add(f"periods_{periods}_quota_3.toml", toml.inspection(periods=periods))
        if periods <= 10**9:
            category.add(f"periods_{periods}_quota_half.toml", toml.inspection(periods=periods, inspections=periods // 2))
    for name, fields in {
        "periods_formula_10_to_100": {"periods": "10**100"},
        "periods_1e99999999": {"periods": "1e99999999"},
        "periods_2_to_63": {"periods": 2**63},
        "periods_2_to_64": {"periods": toml.Raw(str(2**64))},
        "quota_10_to_12": {"periods": 10**12, "inspections": 10**12},
        "quota_above_periods": {"periods": 5, "inspections": 10},
        "periods_negative": {"periods": -12},
        "periods_zero": {"periods": 0},
        "periods_fraction": {"periods": "5/2"},
        "periods_float": {"periods": 12.5},
        "quota_negative": {"inspections": -1},
        "detection_2": {"detection": 2},
        "detection_negative": {"detection": "-1/2"},
        "gain_zero_penalty_zero": {"gain": 0, "penalty": 0},
        "penalty_negative": {"penalty": -2},
        "periods_string": {"periods": "twelve"},
        "periods_list": {"periods": [12]},
        "periods_bool": {"periods": True},
    }.items():
        category.add(f"{name}.toml", toml.inspection(**fields))
    parametric = toml.inspection(periods="T", inspections="k")
    parametric["parameters"] |= {"T": {"default": 12, "range": [1, "1e12"]}, "k": {"default": 3, "range": [0, "1e12"]}}
    category.add("_parametric.toml", parametric, input_only=True)
    for name, values in {"1000000": ("1000000", "3"), "10_to_12": ("1000000000000", "3"),
                         "both_10_to_9": ("1000000000", "500000000"), "1e99999999": ("1e99999999", "3")}.items():
        category.cli(f"set_periods_{name}", ["solve", "_parametric.toml", "--set", f"T={values[0]}",
                                             "--set", f"k={values[1]}"], with_=["_parametric.toml"])
    category.cli("sweep_periods_to_10_to_12", ["sweep", "_parametric.toml", "--grid", "T=1:1000000000000:3",
                                               "--out", "o.csv"], with_=["_parametric.toml"])
    category.cli("bundled_set_periods_10_to_9", ["solve", "vienna_document_inspection", "--set", "periods=1000000000"])


CONFIDENCE = {
    "list": ["toolkit"],
    "integer": 1,
    "boolean": True,
    "table": toml.Inline(tag="toolkit"),
    "empty": "",
    "upper_case": "TOOLKIT",
    "trailing_space": "published ",
    "float": 1.5,
    "nested_list": [["toolkit"]],
    "bidi": "toolkit\u202e",
}


def _kinds() -> dict:
    """A base scenario of every kind, with the path of one parameter table."""
    return {
        "normal_form": (toml.normal_form(), "parameters.p"),
        "tree": (toml.tree(), "parameters.c"),
        "bargaining": (toml.bargaining(), "parameters.a"),
        "bayesian": (toml.bayesian(), "parameters.pi"),
        "continuous": (toml.continuous(), "parameters.g"),
        "signaling": (toml.signaling(), "parameters.s"),
    }


def confidence_tags(category) -> None:
    """Confidence tags of the wrong type (a list, a number, a table, a boolean, an unknown word) in a
    parameter of every kind of scenario and in an issue, and the other fields of a parameter with the
    wrong type (unit, description, source, prior, range, default).

    Issue 16: "a list where a confidence tag was expected (TypeError)" gave a traceback.
    """
    category.run = {"toml": SHOW}
    for kind, (base, path) in _kinds().items():
        for name, tag in CONFIDENCE.items():
            if kind == "normal_form" or name in ("list", "integer", "table", "upper_case"):
                category.add(f"{kind}_confidence_{name}.toml", toml.variant(base, path + ".confidence", tag))
    for name in ("list", "integer", "table", "upper_case", "bidi"):
        tag = CONFIDENCE[name]
        category.add(f"issue_confidence_{name}.toml",
                     toml.variant(toml.issues_bargaining(), "issues.troops.confidence", tag))
    base, path = _kinds()["normal_form"]
    for field, value in {
        "unit_list": ("unit", ["index"]), "description_list": ("description", ["x"]), "source_integer": ("source", 7),
        "prior_list": ("prior", ["beta", 2, 5]), "prior_integer": ("prior", 3), "prior_table": ("prior", toml.Inline(a=1)),
        "prior_unknown_family": ("prior", "cauchy:0:1"), "prior_huge_arguments": ("prior", "beta:1e99999999:1"),
        "range_string": ("range", "0..1"), "range_three": ("range", [0, 1, 2]), "range_nested": ("range", [[0], [1]]),
        "range_empty": ("range", []), "range_reversed": ("range", [1, 0]), "range_table": ("range", toml.Inline(low=0)),
        "default_list": ("default", [1]), "default_table": ("default", toml.Inline(v=1)), "default_boolean": ("default", True),
        "unknown_key": ("confidense", "toolkit"),
    }.items():
        category.add(f"parameter_{field}.toml", toml.variant(base, f"{path}.{value[0]}", value[1]))


WRONG_TYPES = {"integer": 1, "list": [], "table": toml.Inline()}


def malformed_scenarios(category) -> None:
    """Careless scenario files of every kind: each main section replaced by a value of the wrong type (a
    number, a string, an empty list, an empty table) or deleted.

    Issue 16: "Tracebacks for user mistakes ... and a handful of others".
    """
    category.run = {"toml": SOLVE}
    sections = {
        "normal_form": (toml.normal_form(repetition={"target": ["x", "x"], "discount": "9/10"}),
                        ("players", "parameters.p", "payoffs", "payoffs.x, x", "repetition")),
        "inspection": (toml.inspection(), ("inspection",)),
        "tree": (toml.tree(), ("nodes", "nodes.0.actions", "nodes.1.payoffs")),
        "bargaining": (toml.bargaining(), ("parties", "packages.0", "disagreement")),
        "issues": (toml.issues_bargaining(), ("issues.troops", "utilities.NATO")),
        "continuous": (toml.continuous(), ("players.NATO.range", "payoffs", "dynamics")),
        "bayesian": (toml.bayesian(), ("players", "prior.A", "payoffs")),
        "signaling": (toml.signaling(), ("sender.prior", "receiver", "payoffs")),
    }
    for kind, (base, paths) in sections.items():
        agree = ["agree", "{input}", "--format", "json"] if kind in ("bargaining", "issues") else None
        for path in paths:
            slug = path.replace(", ", "_").replace(".", "_")
            for name, wrong in WRONG_TYPES.items():
                category.add(f"{kind}_{slug}_{name}.toml", toml.variant(base, path, wrong), argv=agree)
            category.add(f"{kind}_{slug}_missing.toml", toml.variant(base, path, None, delete=True), argv=agree)


CATEGORIES = (huge_numbers, toml_nesting, inspection_horizon, confidence_tags, malformed_scenarios)
