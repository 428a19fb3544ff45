"""Categories with known answers: games whose payoffs are scaled from 1e-300 to 1.7e308, solved by
every method, and benign controls that show the harness tells a right answer from a wrong one.

The expected answers are hand computations, stored with each case (``expect`` in the category file):

* matching pennies ``A = s·[[1, -1], [-1, 1]]``, ``B = -A``: no pure equilibrium; each player mixes
  1/2–1/2 (the opponent must be indifferent); the only correlated equilibrium is uniform (1/4 each).
* Prisoner's Dilemma ``A = s·[[3, 0], [5, 1]]``, ``B = Aᵀ``: the second strategy strictly dominates,
  so (2, 2) is the only equilibrium, pure, and the only correlated equilibrium puts all mass on it.
* an asymmetric game ``A = s·[[2, 0], [0, 1]]``, ``B = s·[[0, 1], [3, 0]]``: no pure equilibrium;
  B indifferent when 3(1 - p) = p, so p = 3/4; A indifferent when 2q = 1 - q, so q = 1/3. In a 2×2
  game with a unique, completely mixed equilibrium the correlated equilibrium is that product:
  (1/4, 1/2, 1/12, 1/6).
* rock–paper–scissors ``A = s·[[0, -1, 1], [1, 0, -1], [-1, 1, 0]]``, ``B = -A``: uniform 1/3 each,
  no pure equilibrium.
* coordination ``A = B = [[a, b], [b, a]]`` with a = 1e300, b = 1e-300: (1, 1) and (2, 2) pure and
  the mixture 1/2–1/2 (a q + b (1 - q) = b q + a (1 - q) gives q = 1/2).

Scaling every payoff by a positive factor changes no equilibrium (issue 16: "scaling every payoff by
any positive factor, from 1e-300 to 1e300, gives the same equilibria").
"""

from __future__ import annotations

import json

import corpus_toml as toml

SOLVE = ["solve", "{input}", "--format", "json"]

GAMES = {
    "matching_pennies": ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]),
    "prisoners_dilemma": ([[3, 0], [5, 1]], [[3, 5], [0, 1]]),
    "asymmetric_mixed": ([[2, 0], [0, 1]], [[0, 1], [3, 0]]),
    "rock_paper_scissors": ([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]),
}
EQUILIBRIA = {
    "matching_pennies": [[["1/2", "1/2"], ["1/2", "1/2"]]],
    "prisoners_dilemma": [[["0", "1"], ["0", "1"]]],
    "asymmetric_mixed": [[["3/4", "1/4"], ["1/3", "2/3"]]],
    "rock_paper_scissors": [[["1/3", "1/3", "1/3"], ["1/3", "1/3", "1/3"]]],
}
PURE = {"matching_pennies": [], "prisoners_dilemma": [[["0", "1"], ["0", "1"]]], "asymmetric_mixed": [],
        "rock_paper_scissors": []}
CORRELATED = {
    "matching_pennies": ["1/4", "1/4", "1/4", "1/4"],
    "prisoners_dilemma": ["0", "0", "0", "1"],
    "asymmetric_mixed": ["1/4", "1/2", "1/12", "1/6"],
}
#: Methods that list every equilibrium (of these games, where each equilibrium is isolated), except
#: lemke_howson_enumeration, whose answer says ``complete: false``: it lists those its paths reach (not
#: the coordination game's mixed one, of index -1; Shapley 1974), and the harness checks only those.
ALL = ("auto", "vertex_enumeration", "lemke_howson_enumeration", "support_enumeration_polynomial",
       "iterated_elimination", "gambit-enummixed", "gambit-enumpoly")
#: Methods that return one equilibrium, or the limit of the logit branch: here the unique one.
ONE = ("lemke_howson", "linear_program", "gambit-lcp", "logit_qre", "gambit-logit")
EVERY_METHOD = ALL + ONE + ("enumerate_pure", "correlated")
FEW_METHODS = ("auto", "vertex_enumeration", "enumerate_pure", "lemke_howson", "correlated",
               "support_enumeration_polynomial", "iterated_elimination")
ZERO_SUM = ("matching_pennies", "rock_paper_scissors")
EXTREME_SCALES = {"1e-300": 1e-300, "1e-10": 1e-10, "1e300": 1e300}
OTHER_SCALES = {"1e-200": 1e-200, "1e-100": 1e-100, "1e10": 1e10, "1e100": 1e100, "1e200": 1e200}
FLOAT_TOLERANCE = 1e-6
LOGIT_TOLERANCE = 1e-3


def _expect(game: str, method: str) -> dict | None:
    """The hand-computed answer of ``game`` under ``method`` (None: the method does not apply)."""
    tolerance = LOGIT_TOLERANCE if "logit" in method else FLOAT_TOLERANCE
    optional = {"allow_error": True} if method.startswith("gambit") else {}   # pygambit is optional
    if method == "linear_program" and game not in ZERO_SUM:
        return None
    if method == "enumerate_pure":
        return {"equilibria": PURE[game], "tolerance": tolerance}
    if method == "correlated":
        return {"correlated": CORRELATED[game], "tolerance": tolerance} if game in CORRELATED else None
    return {"equilibria": EQUILIBRIA[game], "tolerance": tolerance} | optional


def _scaled(matrix, scale):
    return [[value * scale for value in row] for row in matrix]


def _arrays(game: str, scale: float) -> str:
    row, column = GAMES[game]
    return json.dumps({"arrays": [_scaled(row, scale), _scaled(column, scale)]}) + "\n"


def _game_dict(game: str, scale: float | None = None, power: str | None = None) -> str:
    """A ``negotiation.models.game/1`` object: float payoffs times ``scale``, or exact strings times 10^power."""
    row, column = GAMES[game]
    labels = [str(i + 1) for i in range(len(row))]

    def number(value):
        return value * scale if power is None else _exact_text(value, power)

    entries = [{"profile": {"A": labels[i], "B": labels[j]},
                "payoffs": {"A": number(row[i][j]), "B": number(column[i][j])}}
               for i in range(len(row)) for j in range(len(row))]
    return json.dumps({"schema": "negotiation.models.game/1", "title": game, "players": ["A", "B"],
                       "strategies": {"A": labels, "B": labels}, "payoffs": entries}) + "\n"


def _exact_text(value: int, power: str) -> str:
    """``value × 10^power`` written exactly as a decimal string (``"-3e-300"``)."""
    return "0" if value == 0 else f"{value}e{power}"


def _scenario(game: str, power: str) -> dict:
    row, column = GAMES[game]
    labels = [str(i + 1) for i in range(len(row))]
    payoffs = {f"{labels[i]}, {labels[j]}": [_exact_text(row[i][j], power), _exact_text(column[i][j], power)]
               for i in range(len(row)) for j in range(len(row))}
    return toml.normal_form(title=f"{game} scaled by 1e{power}", parameters={},
                            players={"A": labels, "B": labels}, payoffs=payoffs)


def _nfg(game: str, power: str) -> str:
    row, column = GAMES[game]
    n = len(row)
    numbers = [_exact_text(v, power) for j in range(n) for i in range(n) for v in (row[i][j], column[i][j])]
    return f'NFG 1 R "{game}" {{ "A" "B" }} {{ {n} {n} }}\n' + " ".join(numbers) + "\n"


def _sweep_scenario(game: str, power: str) -> dict:
    scenario = _scenario(game, power)
    scenario["parameters"] = {"s": {"default": 1, "range": [1, 2]}}
    scenario["payoffs"] = {key: [f"{v}*s" for v in values] for key, values in scenario["payoffs"].items()}
    return scenario


def scaled_payoffs(category) -> None:
    """Matching pennies, a Prisoner's Dilemma, an asymmetric mixed game and rock-paper-scissors with
    every payoff scaled by 1e-300 to 1e300 (and matching pennies at ±1.7e308, a coordination game on
    [[1e300, 1e-300], [1e-300, 1e300]]), as float arrays, JSON games, exact scenario files, .nfg files and
    sweeps, solved by every method; each case stores its hand-computed answer.

    Issue 16: "with payoffs around 1e-10, enumerate_pure calls every profile of matching pennies an
    equilibrium ... near the float maximum vertex enumeration reports a complete result with no
    equilibrium; correlated and support_enumeration_polynomial raise tracebacks on
    [[1e300, 1e-300], [1e-300, 1e300]]".
    """
    category.run = {"json": ["api", "from_arrays", "{input}"], "toml": SOLVE, "nfg": SOLVE}
    for game in GAMES:
        methods = EVERY_METHOD if game in ("matching_pennies", "prisoners_dilemma") else FEW_METHODS
        scales = EXTREME_SCALES if game in ("matching_pennies", "prisoners_dilemma") else \
            {k: v for k, v in EXTREME_SCALES.items() if k != "1e-10"}
        for scale_name, scale in scales.items():
            for method in methods:
                expect = _expect(game, method)
                if expect is None:
                    continue
                category.add(f"arrays_{game}_{scale_name}_{method}.json", _arrays(game, scale),
                             argv=["api", "from_arrays", "{input}", "--method", method], expect=expect)
        for scale_name, scale in (OTHER_SCALES if game in ("matching_pennies", "prisoners_dilemma") else {}).items():
            category.add(f"from_dict_{game}_{scale_name}.json", _game_dict(game, scale=scale),
                         argv=["api", "from_dict", "{input}"], expect=_expect(game, "auto"))
        for power in ("-300", "-10", "300"):
            category.add(f"scenario_{game}_1e{power}.toml", _scenario(game, power), expect=_expect(game, "auto"))
        for power in ("-300", "300"):
            category.add(f"from_dict_exact_{game}_1e{power}.json", _game_dict(game, power=power),
                         argv=["api", "from_dict", "{input}"], expect=_expect(game, "auto"))
    for game in ("matching_pennies", "prisoners_dilemma"):
        for power in ("-300", "300"):
            category.add(f"nfg_{game}_1e{power}.nfg", _nfg(game, power), expect=_expect(game, "auto"))
            category.add(f"scenario_{game}_1e{power}_enumerate_pure.toml", _scenario(game, power),
                         argv=SOLVE + ["--method", "enumerate_pure"], expect=_expect(game, "enumerate_pure"))
    for method in EVERY_METHOD:
        expect = _expect("matching_pennies", method)
        if expect is not None:
            category.add(f"arrays_matching_pennies_1.7e308_{method}.json", _arrays("matching_pennies", 1.7e308),
                         argv=["api", "from_arrays", "{input}", "--method", method],
                         expect=expect | {"allow_error": True, "note": "refusing an overflow is allowed"})
    for method in ("auto", "vertex_enumeration"):
        category.add(f"arrays_asymmetric_mixed_5e307_{method}.json", _arrays("asymmetric_mixed", 5e307),
                     argv=["api", "from_arrays", "{input}", "--method", method],
                     expect=_expect("asymmetric_mixed", method) | {"allow_error": True})
    coordination = json.dumps({"arrays": [[[1e300, 1e-300], [1e-300, 1e300]]] * 2}) + "\n"
    pure = [[["1", "0"], ["1", "0"]], [["0", "1"], ["0", "1"]]]
    every = pure + [[["1/2", "1/2"], ["1/2", "1/2"]]]
    for method in EVERY_METHOD:
        tolerance = LOGIT_TOLERANCE if "logit" in method else FLOAT_TOLERANCE
        expect = {"equilibria": every, "tolerance": tolerance} if method in ALL else \
            {"equilibria": pure, "tolerance": tolerance} if method == "enumerate_pure" else {}
        if method.startswith("gambit") and expect:
            expect["allow_error"] = True
        if method == "linear_program":
            continue
        category.add(f"arrays_coordination_1e300_1e-300_{method}.json", coordination,
                     argv=["api", "from_arrays", "{input}", "--method", method], expect=expect or None)
    for game, power in (("matching_pennies", "-10"), ("matching_pennies", "300"), ("prisoners_dilemma", "-10"),
                        ("asymmetric_mixed", "-300")):
        category.add(f"sweep_{game}_1e{power}.toml", _sweep_scenario(game, power),
                     argv=["sweep", "{input}", "--grid", "s=1:2:3", "--out", "o.csv", "--no-progress"],
                     expect={"sweep_equilibria": {"file": "o.csv", "points": 3, "equilibria": EQUILIBRIA[game]},
                             "tolerance": FLOAT_TOLERANCE})


def controls(category) -> None:
    """Benign inputs with known answers: the harness must call them ok (and a wrong answer would show).

    Not from the issue: a calibration of the benchmark itself (run time of a plain command, answers).
    """
    category.run = {"toml": SOLVE, "json": ["api", "from_arrays", "{input}"]}
    for game in GAMES:
        category.add(f"scenario_{game}.toml", _scenario(game, "0"), expect=_expect(game, "auto"))
        category.add(f"arrays_{game}.json", _arrays(game, 1.0), expect=_expect(game, "auto") | {"tolerance": 1e-9})
    # omega = 1/5 (issue 13's corrected model): T = vGω(1 − φ(1 − ω)) − k = −9/25, S = −3/2, P = −7/5, R = 0: a
    # Stag Hunt whose mixed equilibrium restrains with p = (P − S)/((R − T) + (P − S)) = (1/10)/(9/25 + 1/10) = 5/23
    stag_hunt = [[["1", "0"], ["1", "0"]], [["0", "1"], ["0", "1"]], [["5/23", "18/23"], ["5/23", "18/23"]]]
    category.cli("security_dilemma_defaults", ["solve", "security_dilemma", "--format", "json"],
                 expect={"equilibria": [[["0", "1"], ["0", "1"]]], "payoffs": [["-2", "-2"]]})
    category.cli("security_dilemma_stag_hunt", ["solve", "security_dilemma", "--set", "omega=1/5", "--format", "json"],
                 expect={"equilibria": stag_hunt})
    category.cli("security_dilemma_derive", ["derive", "security_dilemma"])
    category.cli("security_dilemma_show", ["show", "security_dilemma"])
    category.cli("security_dilemma_learn", ["learn", "security_dilemma"])
    category.cli("security_dilemma_sweep", ["sweep", "security_dilemma", "--grid", "omega=0:1:11", "--out", "o.csv",
                                            "--no-progress"])
    category.cli("security_dilemma_convert", ["convert", "security_dilemma", "--to", "nfg"])
    category.add("bargain.toml", toml.bargaining(), argv=["agree", "{input}", "--format", "json"])
    category.add("tree.toml", toml.tree())
    category.add("continuous.toml", toml.continuous(), argv=["arms-race", "{input}"])
    category.add("inspection.toml", toml.inspection())


CATEGORIES = (scaled_payoffs, controls)
