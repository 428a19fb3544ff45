"""Categories of formulas: huge and deeply nested expressions, exp nested deep, exponential chains of
derived parameters, and attempts to execute code from any place a file or an option holds text."""

from __future__ import annotations

import json

import corpus_toml as toml

SOLVE = ["solve", "{input}", "--format", "json"]
DERIVE = ["derive", "{input}", "--format", "json"]


def _nf_payoff(formula, **options) -> dict:
    """A 2×2 game whose payoff of A at (x, x) is ``formula`` (parameters p and x)."""
    return toml.normal_form(
        parameters={"p": {"default": 1, "range": [0, 10]}, "x": {"default": "1/2", "range": [0, 1]}},
        payoffs={"x, x": [formula, "0"], "x, y": ["0", "1"], "y, x": ["1", "0"], "y, y": ["0", "p"]}, **options)


def _continued_fraction(depth: int) -> str:
    return "1/(1 + " * depth + "p" + ")" * depth


HUGE = {
    "sum_1000_terms": "+".join(["p"] * 1000),
    "sum_1999_terms": "+".join(["p"] * 1999),
    "sum_5000_terms": "+".join(["p"] * 5000),
    "text_9999_chars": "p" + "+0" * 4999,
    "text_10001_chars": "p" + "+0" * 5000,
    "text_50000_chars": "p" + "+1" * 25_000,
    "parentheses_59": "(" * 59 + "p" + ")" * 59,
    "parentheses_61": "(" * 61 + "p" + ")" * 61,
    "parentheses_250": "(" * 250 + "p" + ")" * 250,
    "parentheses_20000": "(" * 20_000 + "p" + ")" * 20_000,
    "unary_minus_1000": "-" * 1000 + "p",
    "unary_minus_20000": "-" * 20_000 + "p",
    "not_5000": "not " * 5000 + "p",
    "power_tower_9": "9**9**9**9",
    "power_tower_p": "p**p**p**p**p**p",
    "power_100_100": "p**100**100",
    "power_nested": "((p + 1)**100)**100",
    "power_fraction_tower": "p**(1/3)**(1/3)**(1/3)",
    "power_big_base": "99999999999999999999**100",
    "power_negative": "(p + 1)**-100 * (p + 2)**-100",
    "power_decimal_exponent": "(p + 1)**99.99999",
    "power_huge_exponent_literal": "2**1e999999999",
    "product_of_40_sums": "*".join(f"(p + {i})" for i in range(40)),
    "product_of_20_powers": "*".join(f"(p + {i})**100" for i in range(20)),
    "difference_of_expansions": "(p + 1)**100 - (p - 1)**100",
    "int_31_digits": "1" * 31,
    "int_1000_digits": "1" * 1000,
    "int_5000_digits": "1" * 5000,
    "int_20000_digits": "9" * 20_000,
    "decimal_1e999999999": "1e999999999",
    "decimal_1e-999999999": "1e-999999999",
    "decimal_1000_digits": "1." + "1" * 999,
    "decimal_long_zeros": "0." + "0" * 9000 + "1",
    "harmonic_3000": "+".join(f"1/{i}" for i in range(1, 3000)),
    "continued_fraction_59": _continued_fraction(59),
    "continued_fraction_2000": _continued_fraction(2000),
    "piecewise_500_branches": "Piecewise(" + ", ".join(f"({i}, p < {i})" for i in range(500)) + ", (0, True))",
    "piecewise_nested_50": "Piecewise((" * 50 + "p" + ", p < 1), (0, True))" * 50,
    "max_1000_arguments": "Max(" + ", ".join(f"p + {i}" for i in range(1000)) + ")",
    "max_100_arguments": "Max(" + ", ".join(f"p*x + {i}" for i in range(100)) + ")",
    "max_nested_100": "Max(" * 100 + "p" + ", x)" * 100,
    "min_max_nested_55": "Min(Max(" * 27 + "p" + ", x), 1 - x)" * 27,
    "abs_nested_500": "Abs(" * 500 + "p - x" + ")" * 500,
    "sqrt_nested_100": "sqrt(" * 100 + "p" + ")" * 100,
    "log_nested_50": "log(" * 50 + "p + 10" + ")" * 50,
    "division_chain_1000": "p/" * 1000 + "p",
    "comparison_chain_1000": " < ".join(["p"] * 1000),
    "and_chain_1000": " and ".join(["p < 1"] * 1000),
    "null_byte": "p\x00 + 1",
    "newline_in_formula": "p\n+ 1",
    "empty": "",
    "only_spaces_20000": " " * 20_000 + "p",
    "fullwidth_digits": "\uff11\uff12\uff13",
    "two_names": "p p",
    "trailing_garbage": "p + 1)",
    "unbalanced": "((p + 1)",
    "unicode_minus": "\u2212p",
    "surrogate_escape": "p + \\ud800",
}

#: The formulas also tried in every other place a formula can stand.
IN_EVERY_PLACE = ("sum_5000_terms", "parentheses_250", "product_of_40_sums")
#: The formulas whose derivation (sympy on the symbolic game) is tried too.
DERIVED_TOO = ("product_of_40_sums", "power_nested", "difference_of_expansions", "piecewise_500_branches",
               "max_100_arguments", "min_max_nested_55", "product_of_20_powers", "harmonic_3000")


def _places(formula: str) -> dict:
    """Every other place that holds a formula, each as a whole scenario."""
    return {
        "derived": _nf_payoff("d", derived={"d": formula}),
        "assumption": _nf_payoff("p", assumptions=[{"expr": f"{formula} >= 0", "description": "hostile"}]),
        "tree_payoff": toml.variant(toml.tree(), "nodes.3.payoffs", ["-1", formula]),
        "package_utility": toml.variant(toml.bargaining(), "packages.2.NATO", formula),
        "continuous_payoff": toml.variant(toml.continuous(), "payoffs.NATO", formula),
        "inspection_gain": toml.inspection(gain=formula),
        "bayesian_payoff": toml.variant(toml.bayesian(), "payoffs.Greedy.D, C", [formula, "0"]),
    }


def expressions_huge(category) -> None:
    """Huge, long and deeply nested formulas: thousands of terms, nesting past the parser's recursion,
    power towers, 100,000-digit literals, products whose expansion explodes.

    Issue 16: "a work budget for every input ... expression size after substitution, nesting, number
    magnitude"; "derive on a payoff whose expansion explodes".
    """
    category.run = {"toml": SOLVE}
    for name, formula in HUGE.items():
        category.add(f"payoff_{name}.toml", _nf_payoff(formula))
    for name in IN_EVERY_PLACE:
        for place, scenario in _places(HUGE[name]).items():
            argv = ["agree", "{input}", "--format", "json"] if place == "package_utility" else None
            category.add(f"{place}_{name}.toml", scenario, argv=argv)
    for name in DERIVED_TOO:
        category.add(f"derive_{name}.toml", _nf_payoff(HUGE[name]), argv=DERIVE)


def _nested(function: str, depth: int, inner: str = "p") -> str:
    return f"{function}(" * depth + inner + ")" * depth


def _dominance(row_x, row_y, column=("0", "0")) -> dict:
    """A 2×2 game: A's payoffs ``row_x`` (column x) and ``row_y`` (column y); B indifferent."""
    return toml.normal_form(
        parameters={"p": {"default": 0, "range": [0, 10]}},
        payoffs={"x, x": [row_x[0], column[0]], "y, x": [row_x[1], column[0]],
                 "x, y": [row_y[0], column[1]], "y, y": [row_y[1], column[1]]})


def exp_nested(category) -> None:
    """``exp`` nested one to twelve deep (at p = 0 and p = 1), alone and inside log, sqrt, powers and
    differences; and near-ties that only exact arithmetic can order, with their known answer.

    Issue 16: "a payoff with exp nested six deep" ran past 30 s of CPU.
    """
    category.run = {"toml": SOLVE}
    for depth in range(1, 13):
        for default in (0, 1):
            scenario = _nf_payoff(_nested("exp", depth))
            scenario["parameters"]["p"]["default"] = default
            category.add(f"exp_{depth:02d}_deep_at_{default}.toml", scenario)
    for depth in (3, 4, 6, 8):
        category.add(f"derive_exp_{depth}_deep.toml", _nf_payoff(_nested("exp", depth)), argv=DERIVE)
    for name, formula in {
        "exp_6_deep_times_p": _nested("exp", 6) + "*x - " + _nested("exp", 6, "x"),
        "log_of_exp_8_deep": "log(" + _nested("exp", 8) + ")",
        "sqrt_of_exp_6_deep": "sqrt(" + _nested("exp", 6) + ")",
        "exp_6_deep_power_100": "(" + _nested("exp", 6) + ")**100",
        "exp_of_1000p": "exp(1000*p)",
        "exp_of_10_to_30": "exp(" + "9" * 30 + "*p)",
        "exp_minus_exp_4_deep": "exp(-" + _nested("exp", 4) + ")",
        "exp_difference_cancels": _nested("exp", 5) + " - " + _nested("exp", 5),
        "exp_in_max_nested": _nested("exp", 3, "Max(p, x)") + " + " + _nested("exp", 3, "Min(p, x)"),
        "exp_of_log_negative": "exp(log(-1 - p))",
        "exp_sum_of_exps": "exp(" + " + ".join(_nested("exp", 3, f"p + {i}") for i in range(20)) + ")",
    }.items():
        category.add(f"{name}.toml", _nf_payoff(formula))
        category.add(f"derive_{name}.toml", _nf_payoff(formula), argv=DERIVE)
    # near-ties: A strictly prefers one strategy by a margin that a float cannot see; B is indifferent, so
    # the equilibria are A's dominant strategy against each pure strategy of B (hand computation)
    x_dominant = [[[1, 0], [1, 0]], [[1, 0], [0, 1]]]
    y_dominant = [[[0, 1], [1, 0]], [[0, 1], [0, 1]]]
    near = {
        "near_tie_exp3_rational": (("exp(exp(exp(p)))", "exp(exp(exp(p)))*(1 + 1e-900)"), ("0", "1"), y_dominant),
        "near_tie_plain_rational": (("1", "1 + 1e-900"), ("0", "1"), y_dominant),
        "near_tie_tiny_positive": (("exp(-" + _nested("exp", 3, "p + 1") + ")", "0"),
                                   ("exp(-" + _nested("exp", 3, "p + 1") + ")", "0"), x_dominant),
        "near_tie_exp_vs_series": (("exp(1/1000)", "1 + 1/1000 + 1/2000000"), ("1", "0"), x_dominant),
    }
    for name, (row_x, row_y, answer) in near.items():
        category.add(f"{name}.toml", _dominance(row_x, row_y),
                     expect={"equilibria": answer, "allow_error": True,
                             "note": "A's strategy is strictly dominant (exactly); B is indifferent"})


def _chain(length: int, step: str, start: str = "p") -> dict:
    derived = {"d0": start}
    for k in range(1, length + 1):
        derived[f"d{k}"] = step.format(prev=f"d{k - 1}")
    return derived


def derived_chains(category) -> None:
    """Chains of derived parameters, each using the one before: the issue's Max/Min chain (the expression
    doubles at every level when substituted as a tree), doubling sums, squares, products, exp and
    Piecewise chains, a 10,000-long benign chain, and cycles.

    Issue 16: "a chain of 30 derived parameters each written as Max(d_{k-1}, x) + Min(d_{k-1}, 1 - x)
    (16 levels already take 33 s)"; "derived parameters are substituted as shared subexpressions".
    """
    category.run = {"toml": SOLVE}
    steps = {
        "maxmin": "Max({prev}, x) + Min({prev}, 1 - x)",
        "doubling_sum": "{prev}*x + {prev}*(1 - x)",
        "square": "{prev}**2",
        "square_plus_one": "({prev} + 1)**2",
        "product": "({prev} + 1)*({prev} + 2)",
        "exp": "exp({prev})",
        "piecewise": "Piecewise(({prev}, x < 1/2), (1 - {prev}, True))",
        "abs": "Abs({prev} - x)",
        "rational": "1/(1 + {prev})",
    }
    lengths = {"maxmin": (5, 10, 16, 20, 30, 60, 200), "doubling_sum": (10, 20, 30, 40),
               "square": (6, 7, 30), "square_plus_one": (6, 10, 20), "product": (5, 10, 20), "exp": (4, 6, 10),
               "piecewise": (10, 30), "abs": (30, 100), "rational": (30, 300)}
    for name, step in steps.items():
        for length in lengths[name]:
            derived = _chain(length, step)
            category.add(f"{name}_{length}.toml", _nf_payoff(f"d{length}", derived=derived))
    for name, length in (("maxmin", 5), ("maxmin", 10), ("maxmin", 16), ("maxmin", 30), ("doubling_sum", 30),
                         ("square_plus_one", 10), ("product", 10), ("piecewise", 30)):
        category.add(f"derive_{name}_{length}.toml", _nf_payoff(f"d{length}", derived=_chain(length, steps[name])),
                     argv=DERIVE)
    everywhere = _nf_payoff("d20", derived=_chain(20, steps["maxmin"]))
    everywhere["payoffs"] = {key: ["d20", "d19"] for key in everywhere["payoffs"]}
    category.add("maxmin_20_in_every_payoff.toml", everywhere)
    category.add("maxmin_20_in_assumption.toml", _nf_payoff(
        "p", derived=_chain(20, steps["maxmin"]), assumptions=[{"expr": "d20 >= -1000", "description": "deep"}]))
    category.add("benign_1000.toml", _nf_payoff("d1000", derived=_chain(1000, "{prev} + 1")))
    category.add("benign_3000.toml", _nf_payoff("d3000", derived=_chain(3000, "{prev} + 1")))
    category.add("maxmin_16_tree.toml", toml.variant(
        toml.tree(derived=_chain(16, steps["maxmin"], "c")), "nodes.3.payoffs", ["-1", "d16"]))
    category.add("maxmin_16_bargaining.toml", _bargaining_chain(steps["maxmin"]),
                 argv=["agree", "{input}", "--format", "json"])
    category.add("maxmin_16_continuous.toml", _continuous_chain("Max({prev}, g/5) + Min({prev}, 1 - g/5)"))
    for name, derived in {
        "self_reference": {"d": "d + 1"},
        "two_cycle": {"a": "b + 1", "b": "a + 1"},
        "forward_reference": {"a": "b", "b": "p"},
        "shadows_parameter": {"p": "p + 1"},
        "shadows_function": {"exp": "p + 1"},
        "named_like_constant": {"pi": "p", "E": "p + 1"},
        "named_true": {"True": "p"},
    }.items():
        first = next(iter(derived))
        category.add(f"{name}.toml", _nf_payoff(first, derived=derived))


def _bargaining_chain(step: str) -> dict:
    scenario = toml.bargaining()
    scenario["derived"] = _chain(16, step, "a")
    scenario["packages"][2]["NATO"] = "d16"
    return scenario


def _continuous_chain(step: str) -> dict:
    scenario = toml.continuous()
    scenario["derived"] = _chain(16, step, "a")
    scenario["payoffs"]["NATO"] = "-(m*x - d16*y - g)**2/2"
    return scenario


# ----------------------------------------------------------------------------------------------- code
CANARY = "CANARY"
OS_SYSTEM = f'__import__("os").system("touch {CANARY}")'
PAYLOADS = {
    "import_os_system": OS_SYSTEM,
    "import_os_system_single_quotes": f"__import__('os').system('touch {CANARY}')",
    "open_for_writing": f"open('{CANARY}', 'w')",
    "lambda_called": f"(lambda: __import__('os').system('touch {CANARY}'))()",
    "lambda_bare": "lambda: 1",
    "attribute_subclasses": "().__class__.__base__.__subclasses__()",
    "attribute_of_parameter": "p.__class__",
    "attribute_globals": "Max.__init__.__globals__",
    "fstring": f"f\"{{__import__('os').system('touch {CANARY}')}}\"",
    "dunder_builtins": "__builtins__",
    "dunder_name_call": f"__builtins__.open('{CANARY}', 'w')",
    "exec_call": f"exec(\"open('{CANARY}', 'w')\")",
    "eval_call": f"eval(\"__import__('os').system('touch {CANARY}')\")",
    "fullwidth_exec": f"\uff45\uff58\uff45\uff43(\"open('{CANARY}', 'w')\")",
    "italic_eval": f"\U0001d452\U0001d463\U0001d44e\U0001d459(\"open('{CANARY}', 'w')\")",
    "sympify_string": f"sympify(\"__import__('os').system('touch {CANARY}')\")",
    "sympy_S_string": f"S(\"__import__('os').system('touch {CANARY}')\")",
    "sympy_Function": f"Function('system')('touch {CANARY}')",
    "conditional_expression": f"p if __import__('os').system('touch {CANARY}') else 1",
    "getattr_call": f"getattr(__import__('os'), 'system')('touch {CANARY}')",
    "statement_after_semicolon": f"1; __import__('os').system('touch {CANARY}')",
    "newline_statement": f"1\n__import__('os').system('touch {CANARY}')",
    "subprocess_call": f"__import__('subprocess').call(['touch', '{CANARY}'])",
    "inside_piecewise": f"Piecewise((__import__('os').system('touch {CANARY}'), True))",
    "inside_max": f"Max(__import__('os').system('touch {CANARY}'), 1)",
    "inside_exp": f"exp(__import__('os').system('touch {CANARY}'))",
    "walrus": f"(y := __import__('os').system('touch {CANARY}'))",
    "comprehension": f"[__import__('os').system('touch {CANARY}') for i in [1]]",
    "subscript": f"__import__('os').__dict__['system']('touch {CANARY}')",
    "keyword_argument": f"Max(1, key=__import__('os').system('touch {CANARY}'))",
    "starred": f"Max(*[__import__('os').system('touch {CANARY}')])",
    "string_literal": f"'{CANARY}'",
    "bytes_literal": f"b'{CANARY}'",
    "pickle_loads": "__import__('pickle').loads(b'cos\\nsystem\\n(S\\'touch " + CANARY + "\\'\\ntR.')",
    "yield_expression": "(yield p)",
    "await_expression": "await p",
}
#: The payloads tried in several places, not just a payoff.
CORE = ("import_os_system", "fstring", "fullwidth_exec")


def _code_places(payload: str) -> dict:
    """Every place in a scenario file where text could be code, each as a whole scenario."""
    return {
        "payoff": _nf_payoff(payload),
        "derived": _nf_payoff("d", derived={"d": payload}),
        "assumption": _nf_payoff("p", assumptions=[{"expr": payload, "description": "hostile"}]),
        "default": toml.variant(_nf_payoff("p"), "parameters.p.default", payload),
        "range": toml.variant(_nf_payoff("p"), "parameters.p.range", [0, payload]),
        "prior": toml.variant(_nf_payoff("p"), "parameters.p.prior", payload),
        "tree_payoff": toml.variant(toml.tree(), "nodes.3.payoffs", ["-1", payload]),
        "tree_probability": toml.tree(nodes=[
            {"path": "", "actions": ["a", "b"], "probabilities": [payload, "1/2"]},
            {"path": "a", "payoffs": [0, 1]}, {"path": "b", "payoffs": [1, 0]}]),
        "package_utility": toml.variant(toml.bargaining(), "packages.2.NATO", payload),
        "disagreement": toml.variant(toml.bargaining(), "disagreement.NATO", payload),
        "issue_utility": toml.variant(toml.issues_bargaining(), "utilities.NATO.troops", payload),
        "continuous_payoff": toml.variant(toml.continuous(), "payoffs.NATO", payload),
        "dynamics_coefficient": toml.variant(toml.continuous(), "dynamics.a", payload),
        "inspection_periods": toml.inspection(periods=payload),
        "bayesian_prior": toml.variant(toml.bayesian(), "prior.A.Fearful", payload),
        "repetition_discount": toml.normal_form(repetition={"discount": payload, "target": ["x", "x"]}),
        "parameter_name": toml.normal_form(parameters={payload: {"default": 1, "range": [0, 2]}}),
        "derived_name": _nf_payoff("p", derived={payload: "p"}),
        "strategy_label": toml.normal_form(
            players={"A": [payload, "y"], "B": ["x", "y"]},
            payoffs={f"{payload}, x": ["p", "0"], f"{payload}, y": ["0", "1"], "y, x": ["1", "0"], "y, y": ["0", "p"]}),
        "title": toml.normal_form(title=payload),
        "classification": toml.normal_form(classification={"cooperate": payload}),
    }


_AGREE = ("package_utility", "disagreement", "issue_utility")


def code_execution(category) -> None:
    """Attempts to run code from a scenario file, a Gambit file, a JSON game, an option or the expression
    parser: __import__("os").system(...), open(), lambdas, attribute access, f-strings, dunder names,
    exec/eval (also spelled in fullwidth or italic letters that NFKC turns into ASCII), sympify strings.
    Each tries to create a file named CANARY in the working directory.

    Issue 16: "nothing executed" (the fuzz test's fourth promise); the hand test never saw the canary.
    """
    category.run = {"toml": SOLVE, "json": ["api", "parse_expression", "{input}"], "nfg": SOLVE, "efg": SOLVE}
    for name, payload in PAYLOADS.items():
        category.add(f"payoff_{name}.toml", _nf_payoff(payload))
        category.add(f"parse_expression_{name}.json",
                     json.dumps({"expression": payload, "names": ["p"]}, ensure_ascii=True) + "\n")
    for name in CORE:
        for place, scenario in _code_places(PAYLOADS[name]).items():
            if place == "payoff":
                continue
            argv = ["agree", "{input}", "--format", "json"] if place in _AGREE else None
            category.add(f"{place}_{name}.toml", scenario, argv=argv)
    for name in CORE[:2]:
        payload = PAYLOADS[name]
        category.add(f"derive_{name}.toml", _nf_payoff(payload), argv=DERIVE)
        category.cli(f"set_{name}", ["solve", "security_dilemma", "--set", f"omega={payload}"])
        category.cli(f"grid_{name}", ["sweep", "security_dilemma", "--grid", f"omega=0:{payload}:3", "--out", "o.csv"])
        category.cli(f"prior_{name}", ["sweep", "security_dilemma", "--samples", "3", "--prior",
                                       f"omega=normal:{payload}:1", "--out", "o.csv"])
        category.cli(f"method_{name}", ["solve", "security_dilemma", "--method", payload])
        category.cli(f"parameter_{name}", ["derive", "security_dilemma", "--parameter", payload])
        category.cli(f"status_quo_{name}", ["agree", "infrastructure_limits", "--linkage", "--status-quo",
                                            f"troops={payload}"])
        game = {"schema": "negotiation.models.game/1", "players": ["A", "B"],
                "strategies": {"A": ["x"], "B": ["x"]},
                "payoffs": [{"profile": {"A": "x", "B": "x"}, "payoffs": {"A": payload, "B": "0"}}]}
        category.add(f"from_dict_{name}.json", json.dumps(game, ensure_ascii=True) + "\n",
                     argv=["api", "from_dict", "{input}"])
        category.add(f"nfg_label_{name}.nfg", f'NFG 1 R "t" {{ "A" "B" }} {{ {{ {json.dumps(payload)} "y" }} '
                                              f'{{ "x" "y" }} }}\n1 0 0 1 0 1 1 0\n')
        category.add(f"nfg_number_{name}.nfg", f'NFG 1 R "t" {{ "A" "B" }} {{ 2 2 }}\n{payload} 0 0 1 0 1 1 0\n')
        category.add(f"efg_payoff_{name}.efg",
                     f'EFG 2 R "t" {{ "A" "B" }}\np "" 1 1 "" {{ "a" "b" }} 0\n'
                     f't "" 1 "" {{ {payload}, 0 }}\nt "" 2 "" {{ 0, 1 }}\n')


CATEGORIES = (expressions_huge, exp_nested, derived_chains, code_execution)
