"""Categories of the hostile corpus for the commands and readers of issue 18: Genius XML domains and
profiles (``convert``), and bad arguments of ``evolve``, ``noisy``, ``payoff-set`` and ``estimate`` and
cooperative-game scenario files.

Each function fills one category; its docstring's first paragraph describes it, the second says which
issue it answers (see ``make_corpus.py``).
"""

from __future__ import annotations

import corpus_toml as toml
from corpus_cli import GAME

DOMAIN, BUYER, SELLER, COUNTS = "_domain.xml", "_buyer.xml", "_seller.xml", "_counts.csv"


def _issue(index: int, name: str, values, evaluations=None) -> str:
    items = "".join(
        f'  <item index="{k + 1}" value="{value}"'
        + (f' evaluation="{evaluations[k]}"' if evaluations is not None else "") + "/>\n"
        for k, value in enumerate(values))
    return f'<issue index="{index}" etype="discrete" type="discrete" vtype="discrete" name="{name}">\n{items}</issue>\n'


def domain(issues=None, *, prolog: str = "", root: str = "negotiation_template") -> str:
    """A Genius domain: two discrete issues by default (``issues`` replaces their XML)."""
    body = issues if issues is not None else (_issue(1, "Troops", ["none", "brigade", "division"])
                                              + _issue(2, "Notice", ["7 days", "42 days"]))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<{root}>\n<utility_space number_of_issues="2">\n'
            f'<objective etype="objective" index="0" name="root" type="objective">\n{body}</objective>\n'
            f"</utility_space>\n</{root}>\n")


def profile(troops=(10, 5, 1), notice=(2, 8), weights=("0.6", "0.4"), reservation="0.2", extra: str = "") -> str:
    """A linear-additive profile of the default domain."""
    body = (_issue(1, "Troops", ["none", "brigade", "division"], troops)
            + _issue(2, "Notice", ["7 days", "42 days"], notice)
            + "".join(f'<weight index="{k + 1}" value="{w}"/>\n' for k, w in enumerate(weights)))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<utility_space type="domain">\n'
            f'<objective etype="objective" index="0" name="root" type="objective">\n{body}{extra}</objective>\n'
            f'<reservation value="{reservation}"/>\n</utility_space>\n')


def genius_domains(category) -> None:
    """Genius XML negotiation domains and profiles read by ``negotiation convert DOMAIN --profiles A B``:
    entity expansion (billion laughs, external entities), declared and real sizes far beyond the limits,
    malformed XML, missing and duplicate issues, and profiles with negative, huge or non-numeric weights and
    evaluations; one well-formed domain as a control.

    Issue 18 (a file format read from outside: "through files only"); issue 16: "no input may exhaust time
    or memory", loading a file never executes code.
    """
    convert = ["convert", "{input}", "--profiles", BUYER, SELLER, "--out", "p.toml"]
    category.run = {"xml": convert}
    category.add(DOMAIN, domain(), input_only=True)
    category.add(BUYER, profile(), input_only=True)
    category.add(SELLER, profile(troops=(1, 6, 10), notice=(9, 1), weights=("0.3", "0.7"), reservation="0.1"),
                 input_only=True)
    both = [BUYER, SELLER]
    category.add("control_two_issues.xml", domain(), with_=both)
    laughs = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">'
                        for k in range(1, 10)) + "]>\n")
    category.add("billion_laughs.xml", domain(_issue(1, "&lol9;", ["a", "b"]), prolog=laughs), with_=both)
    category.add("external_entity.xml", domain(_issue(1, "&x;", ["a", "b"]),
                                               prolog='<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'),
                 with_=both)
    category.add("doctype_only.xml", domain(prolog="<!DOCTYPE negotiation_template>\n"), with_=both)
    many = "".join(_issue(k, f"issue{k}", ["a", "b"]) for k in range(1, 1001))
    category.add("issues_1000.xml", domain(many), with_=both)
    category.add("values_5000.xml", domain(_issue(1, "Troops", [f"v{k}" for k in range(5_000)])), with_=both)
    outcomes = "".join(_issue(k, f"issue{k}", [f"o{j}" for j in range(10)]) for k in range(1, 8))
    category.add("outcomes_10^7.xml", domain(outcomes), with_=both)
    category.add("nested_10000.xml", domain("<a>" * 10_000 + "</a>" * 10_000), with_=both)
    category.add("not_xml.xml", "this is not XML at all <<<\n", with_=both)
    category.add("truncated.xml", domain()[:200], with_=both)
    category.add("empty.xml", "", with_=both)
    category.add("no_issues.xml", domain(""), with_=both)
    category.add("duplicate_issue.xml", domain(_issue(1, "Troops", ["a", "b"]) + _issue(1, "Troops", ["a", "b"])),
                 with_=both)
    category.add("wrong_root.xml", domain(root="html"), with_=both)
    category.add("binary.xml", bytes(range(256)) * 64, with_=both)
    bad_profiles = {
        "negative_weight": profile(weights=("-0.6", "1.6")),
        "huge_weight": profile(weights=("1e999999999", "0.4")),
        "nan_weight": profile(weights=("nan", "0.4")),
        "words_evaluation": profile(troops=("ten", 5, 1)),
        "huge_evaluation": profile(troops=("1" + "0" * 5000, 5, 1)),
        "reservation_above_one": profile(reservation="7"),
        "reservation_words": profile(reservation="high"),
        "missing_weight": profile(weights=("1",)),
        "unknown_issue": profile(extra=_issue(9, "Ghost", ["a"], [1])),
        "entity_in_profile": ('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + profile()),
    }
    for name, text in bad_profiles.items():
        category.add(f"profile_{name}.xml", text,
                     argv=["convert", DOMAIN, "--profiles", "{input}", SELLER, "--out", "p.toml"],
                     with_=[DOMAIN, SELLER])
    category.cli("profiles_missing", ["convert", DOMAIN, "--profiles", "nothing.xml", SELLER, "--out", "p.toml"],
                 with_=[DOMAIN, SELLER])
    category.cli("profiles_one", ["convert", DOMAIN, "--profiles", BUYER, "--out", "p.toml"], with_=[DOMAIN, BUYER])
    category.cli("profiles_same_twice", ["convert", DOMAIN, "--profiles", BUYER, BUYER, "--out", "p.toml"],
                 with_=[DOMAIN, BUYER])
    category.cli("export_not_linear", ["convert", "buffer_zone", "--to", "genius", "--out", "dir"])
    category.cli("export_to_dev_full", ["convert", "infrastructure_limits", "--to", "genius", "--out", "/dev/full"])


def _cooperative(game: dict, players=("A", "B", "C")) -> dict:
    return {"schema": "negotiation.scenario/1", "id": "hostile_cooperative", "title": "hostile cooperative game",
            "kind": "cooperative", "players": list(players), "game": game}


def cli_new_verbs(category) -> None:
    """Bad and unbounded arguments of the commands of issue 18 (``evolve --population 10^12``, ``noisy
    --noise 2``, ``payoff-set --delta 1``, ``estimate`` with malformed counts) and cooperative-game scenario
    files with too many players, negative claims, huge weights or formulas where numbers belong.

    Issue 18 (each capability has a CLI verb); issue 16: every count a user gives is bounded before the
    work, every mistake is one line.
    """
    category.run = {"toml": ["solve", "{input}", "--format", "json"]}
    category.add(GAME, toml.normal_form(), input_only=True)
    category.add(COUNTS, "player,strategy,count\nA,x,30\nA,y,10\nB,x,25\nB,y,15\n", input_only=True)
    evolve = ["evolve", "security_dilemma"]
    for name, options in {
        "population_10^12": ["--population", "1000000000000"],
        "population_zero": ["--population", "0"],
        "population_words": ["--population", "many"],
        "selection_negative": ["--population", "10", "--selection", "-1"],
        "selection_huge": ["--population", "10", "--selection", "1e999999999"],
        "mutation_above_one": ["--process", "replicator-mutator", "--mutation", "2"],
        "time_10^12": ["--process", "replicator-mutator", "--mutation", "1/100", "--selection", "1/10",
                       "--time", "1000000000000"],
        "kmr_population_10^9": ["--process", "kmr", "--population", "1000000000"],
        "unknown_process": ["--process", "lamarck"],
    }.items():
        category.cli(f"evolve_{name}", evolve + options)
    noisy = ["noisy", "security_dilemma_repeated"]
    for name, options in {
        "noise_two": ["--noise", "2"],
        "noise_negative": ["--noise", "-1/10"],
        "noise_huge_text": ["--noise", "1e999999999"],
        "delta_one": ["--noise", "1/10", "--delta", "1"],
        "automata_unknown": ["--automata", "TFT,HAL9000"],
        "automata_1000": ["--automata", ",".join(["TFT"] * 1000)],
        "gtft_generosity_words": ["--automata", "GTFT(lots)"],
        "critical_all": ["--noise", "1/10", "--critical", "TFT"],
    }.items():
        category.cli(f"noisy_{name}", noisy + options)
    payoff = ["payoff-set", "security_dilemma"]
    for name, options in {
        "delta_zero": ["--delta", "0"],
        "delta_one": ["--delta", "1"],
        "delta_words": ["--delta", "soon"],
        "delta_missing": [],
        "tolerance_zero": ["--delta", "9/10", "--tolerance", "0"],
        "max_rounds_10^12": ["--delta", "99/100", "--max-rounds", "1000000000000"],
        "delta_near_one": ["--delta", "999999/1000000"],
    }.items():
        category.cli(f"payoff_set_{name}", payoff + options)
    category.cli("payoff_set_three_players", ["payoff-set", "_three.toml", "--delta", "1/2"], with_=["_three.toml"])
    category.add("_three.toml", toml.normal_form(players={"A": ["x", "y"], "B": ["x", "y"], "C": ["x", "y"]},
                                                 payoffs={f"{a}, {b}, {c}": ["1", "0", "0"]
                                                          for a in "xy" for b in "xy" for c in "xy"}),
                 input_only=True)
    counts = {
        "negative": "player,strategy,count\nA,x,-3\nA,y,10\nB,x,25\nB,y,15\n",
        "fraction": "player,strategy,count\nA,x,1/3\nA,y,10\nB,x,25\nB,y,15\n",
        "huge": "player,strategy,count\nA,x,1e999999999\nA,y,10\nB,x,25\nB,y,15\n",
        "unknown_strategy": "player,strategy,count\nA,z,3\nA,y,10\nB,x,25\nB,y,15\n",
        "no_header": "A,x,3\nA,y,10\n",
        "rows_20000": "player,strategy,count\n" + "A,x,1\n" * 20_000,
        "all_zero": "player,strategy,count\nA,x,0\nA,y,0\nB,x,0\nB,y,0\n",
        "binary": "\x00\x01\x02player,strategy\n",
    }
    for name, text in counts.items():
        category.add(f"counts_{name}.csv", text, argv=["estimate", GAME, "--counts", "{input}"], with_=[GAME])
    category.cli("estimate_control", ["estimate", GAME, "--counts", COUNTS], with_=[GAME, COUNTS])
    category.cli("estimate_fit_unknown", ["estimate", GAME, "--counts", COUNTS, "--fit", "zeta"], with_=[GAME, COUNTS])
    category.cli("estimate_max_iterations_10^12", ["estimate", GAME, "--counts", COUNTS, "--max-iterations",
                                                    "1000000000000"], with_=[GAME, COUNTS])
    cooperative = {
        "players_30": (_cooperative({"form": "weighted_voting", "quota": 16, "weights": {f"P{k}": 1 for k in range(30)}},
                                    players=[f"P{k}" for k in range(30)])),
        "claims_negative": _cooperative({"form": "bankruptcy", "estate": 10, "claims": {"A": -5, "B": 10, "C": 10}}),
        "estate_huge_text": _cooperative({"form": "bankruptcy", "estate": "1e999999999",
                                          "claims": {"A": 5, "B": 10, "C": 10}}),
        "weights_huge": _cooperative({"form": "weighted_voting", "quota": "10**400",
                                      "weights": {"A": "10**400", "B": 1, "C": 1}}),
        "unknown_form": _cooperative({"form": "potlatch"}),
        "worths_missing": _cooperative({"form": "explicit", "worths": {"A": 1}}),
        "worth_formula_unknown_name": _cooperative({"form": "explicit", "worths": {"A": "zeta", "B": 0, "C": 0,
                                                                                   "A, B": 1, "A, C": 1, "B, C": 1,
                                                                                   "A, B, C": 2}}),
        "players_duplicate": _cooperative({"form": "glove", "left": ["A"], "right": ["B", "C"]},
                                          players=("A", "A", "C")),
    }
    for name, data in cooperative.items():
        category.add(f"cooperative_{name}.toml", data)


CATEGORIES = (genius_domains, cli_new_verbs)
