"""Fuzz the readers of user input with generated files (issue 16, item 3); run by ``test_input_fuzz.py``.

``python tests/fuzz/input_fuzz.py TARGET`` runs one hypothesis search in a fresh process, in the current
folder, and prints one JSON line: the examples tried, the slowest example's CPU seconds and the process's
peak resident memory. A falsified property prints hypothesis's report and exits 1.

Targets and what each drives, the way a user's input reaches the package:

============  ================================================================================
expressions   :func:`negotiation.core.expressions.parse_expression` on generated formulas
scenarios     ``negotiation.load`` then ``negotiation.solve`` on generated normal-form files:
              hostile labels, numbers, formulas, chains of derived quantities, TOML nesting
models        ``negotiation.load`` on the bundled models' files after random edits (every kind)
nfg           ``negotiation.load`` then ``negotiation.solve`` on generated Gambit ``.nfg`` files
efg           ``negotiation.load`` then ``negotiation.solve`` on generated Gambit ``.efg`` files
json          :meth:`negotiation.Game.from_dict` then ``negotiation.solve`` on generated documents
============  ================================================================================

For every example: it succeeds or raises a :class:`~negotiation.core.errors.NegotiationError` whose
message is one non-empty line (any other exception fails the search, a ``MemoryError`` included: the
process runs under an address-space limit); it takes at most :data:`CPU_SECONDS` of CPU; and no file
named ``CANARY…`` appears (the inputs carry code that would create one if it ever ran). The peak memory
is checked by the caller.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: CPU seconds one example may take (the issue's 2 s).
CPU_SECONDS = 2.0
#: Examples per target (``NEGOTIATION_FUZZ_EXAMPLES`` raises it for a longer search).
EXAMPLES = int(os.environ.get("NEGOTIATION_FUZZ_EXAMPLES", "60"))
#: Address space of the process: a run past it is a ``MemoryError``, which fails the search.
ADDRESS_SPACE = 6 * 2**30
#: ``NEGOTIATION_FUZZ_VERBOSE=1`` prints every refusal (to see which inputs get past the first check).
VERBOSE = bool(os.environ.get("NEGOTIATION_FUZZ_VERBOSE"))
MODELS = Path(__file__).resolve().parents[2] / "models"

# ---------------------------------------------------------------------------------------------------------
# Pieces of hostile input
# ---------------------------------------------------------------------------------------------------------

HOSTILE_NUMBERS = ["1e999999999", "-1e999999999", "1e-999999999", "9" * 5000, "1" + "0" * 400, "1e308",
                   "1.7976931348623157e308", "-1.7e308", "1e-320", "5e-324", "nan", "inf", "-inf", "0x10",
                   "1_000", "1/0", "0/0", "10**10**10", "2**2**2**2**2**2", "1e400", "0.1", "1/3", "-0",
                   "1e-10", "1e300", "1e-300", "123456789012345678901234567890"]
NAMES = ["p", "q", "d1", "d2", "fi", "\ufb01", "\uff50", "__import__", "__class__", "os", "sys", "eval",
         "exec", "open", "E", "I", "pi", "oo", "zoo", "nan", "S", "Symbol", "x", "lambda", "None", "True"]
FUNCTIONS = ["exp", "log", "sqrt", "Max", "Min", "Abs", "sin", "cos", "Piecewise", "eval", "exec", "open",
             "__import__", "getattr", "factorial", "gamma", "Sum", "Integral", "floor", "sign", "binomial"]
#: Code that creates a ``CANARY…`` file if an input is ever executed.
PAYLOADS = ['__import__("os").system("touch CANARY_system")', 'open("CANARY_open", "w")',
            "exec(\"open('CANARY_exec', 'w')\")", '(lambda: open("CANARY_lambda", "w"))()',
            "().__class__.__base__.__subclasses__()", "p.__class__.__init__", "[c for c in (1, 2)]",
            "S('open(\"CANARY_S\", \"w\")')", "sympify(\"open('CANARY_sympify', 'w')\")",
            "Symbol('x').__init__.__globals__", "f'{open(\"CANARY_f\", \"w\")}'", "p if 1 else 0",
            "import os", "p; open('CANARY_semicolon', 'w')", "\uff45\uff58\uff45\uff43('1')"]
STRANGE_TEXT = ["", " ", "\u202eevil", "a\u200fb", "x\ty", "a\nb", "\x00", "\u0301", "\U0001F600", "x" * 3000,
                "\ufb01", "\uff41", "NaN", "{", "}", "\"", "'", "\\", "[", "]", "#", "=", "."]

_operators = st.sampled_from(["+", "-", "*", "/", "**", "^", "%", "//", "<", "==", "&", "|", ","])
_small_numbers = st.one_of(st.integers(-20, 20).map(str), st.sampled_from(["1/2", "0.25", "3/7", "-2/5"]))
_leaves = st.one_of(_small_numbers, st.sampled_from(HOSTILE_NUMBERS), st.sampled_from(NAMES))


def _compound(children):
    return st.one_of(
        st.tuples(children, _operators, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(FUNCTIONS), children, children).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        children.map(lambda c: f"-{c}"),
        st.tuples(st.sampled_from(["exp", "log", "sqrt"]), st.integers(1, 12), children)
        .map(lambda t: f"{t[0]}(" * t[1] + t[2] + ")" * t[1]),
    )


# A deferred strategy, not st.recursive: the latter nests its strategies level by level, and hypothesis
# builds their repr (megabytes after a few hundred examples) while searching.
_formula_trees = st.deferred(lambda: st.one_of(_leaves, _leaves, _compound(_formula_trees)))


formulas = st.one_of(_formula_trees, st.sampled_from(PAYLOADS),
                     st.text(alphabet="p q()+-*/^.,0123456789e[]{}_\ufb01\u202e\"'=<>!", max_size=40))
labels = st.one_of(st.sampled_from(["x", "y", "Cooperate", "Defect", "NATO", "Russia", "z"]),
                   st.sampled_from(STRANGE_TEXT), st.text(max_size=12))
numbers = st.one_of(st.integers(-10, 10), st.sampled_from(HOSTILE_NUMBERS),
                    st.floats(allow_nan=True, allow_infinity=True), st.integers(-2**70, 2**70))


def _nested(depth: int, open_: str = "[", close: str = "]") -> str:
    return open_ * depth + "1" + close * depth


toml_values = st.one_of(
    numbers.map(lambda n: n if isinstance(n, str) else json.dumps(n) if isinstance(n, int) else repr(n)),
    formulas.map(json.dumps), labels.map(json.dumps),
    st.integers(1, 100_000).map(_nested),
    st.integers(1, 100_000).map(lambda d: "{a = " * d + "1" + "}" * d),
    st.sampled_from(["true", "[]", "{}", "[1, 2, 3]", '["a", "a"]', "1979-05-27", '"""x"""', "[[1], [2, 3]]"]),
)


# ---------------------------------------------------------------------------------------------------------
# Writing generated documents as TOML text
# ---------------------------------------------------------------------------------------------------------

def _toml_value(value) -> str:
    if isinstance(value, str) and value.startswith("\x00raw:"):
        return value[5:]                       # already TOML text (a hostile literal)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value) if isinstance(value, int) else repr(value).replace("inf", "inf")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def _toml(document: dict) -> str:
    lines = [f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}" for k, v in document.items()
             if not isinstance(v, dict)]
    for table, body in document.items():
        if isinstance(body, dict):
            _table(lines, [table], body)
    return "\n".join(lines) + "\n"


def _table(lines: list, path: list, body: dict) -> None:
    lines.append("[" + ".".join(json.dumps(p, ensure_ascii=False) for p in path) + "]")
    lines.extend(f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}" for k, v in body.items()
                 if not isinstance(v, dict))
    for key, value in body.items():
        if isinstance(value, dict):
            _table(lines, [*path, key], value)


raw = toml_values.map(lambda text: "\x00raw:" + text)


def mostly(benign, hostile, odds: int = 12):
    """``hostile`` once in ``odds``, else ``benign``: most inputs get past the first check and reach the
    later stages (substitution, the game, the solver), where the costly work is."""
    return st.integers(0, odds - 1).flatmap(lambda k: hostile if k == 0 else benign)


_benign_formula = st.one_of(_small_numbers, st.sampled_from(["p", "1 - p", "2*p - 1", "p**2", "exp(p)", "Max(p, 1/2)"]))


@st.composite
def scenario_texts(draw) -> str:
    """A normal-form scenario of two players with a parameter ``p``, derived quantities and hostile parts."""
    strategies = [draw(mostly(st.sampled_from([["x", "y"], ["x"], ["x", "y", "z"]]),
                              st.lists(labels, min_size=1, max_size=3))) for _ in range(2)]
    players = draw(mostly(st.just(["NATO", "Russia"]), st.lists(labels, min_size=2, max_size=2)))
    chain = draw(st.integers(0, 40))
    derived = {"d1": draw(mostly(_benign_formula, formulas))} if chain == 1 else {
        f"d{k}": f"Max(d{k - 1}, p) + Min(d{k - 1}, 1 - p)" if k > 1 else "p" for k in range(1, chain + 1)}
    cell = mostly(st.one_of(_benign_formula, st.just(f"d{chain}" if chain else "p")), st.one_of(formulas, numbers))
    payoffs = {}
    for a in strategies[0]:
        for b in strategies[1]:
            payoffs[f"{a}, {b}"] = [draw(cell), draw(cell)]
    document = {
        "schema": draw(mostly(st.just("negotiation.scenario/1"), st.sampled_from(["negotiation.scenario/2", ""]))),
        "id": draw(mostly(st.just("fuzz"), st.sampled_from(["", "../x", "a b", "\u202ex"]))),
        "title": draw(mostly(st.just("Fuzz"), labels)),
        "kind": draw(mostly(st.just("normal-form"), st.sampled_from(["bargaining", "tree", "", "nonsense"]))),
        "players": dict(zip(players, strategies)),
        "parameters": {"p": {"default": draw(mostly(st.sampled_from([0, 1, "1/2", 0.25]), numbers)),
                             "range": draw(mostly(st.just([0, 1]), st.lists(numbers, min_size=0, max_size=3))),
                             "confidence": draw(mostly(st.just("assumption"),
                                                       st.sampled_from(["published", ["published"], 3, ""])))}},
        "payoffs": payoffs,
    }
    if draw(st.integers(0, 4)) == 0:
        document["parameters"][draw(labels)] = {"default": draw(st.one_of(numbers, raw))}
    if derived:
        document["derived"] = derived
    if draw(st.integers(0, 3)) == 0:
        document["assumptions"] = [{"expr": draw(mostly(st.just("p >= 0"), formulas))}]
    if draw(st.integers(0, 4)) == 0:
        document[draw(labels)] = draw(raw)     # an unknown key with any value
    return _toml(document)


def _mutate(text: str, draw) -> str:
    """``text`` after one to three random edits (numbers, strings, lines, control characters, a cut)."""
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        edit = draw(st.sampled_from(["number"] * 4 + ["string"] * 3 + ["delete", "duplicate", "insert", "cut", "raw"]))
        lines = text.split("\n")
        if edit == "number":
            spots = list(re.finditer(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE]-?\d+)?(?![\w.])", text))
            if spots:
                spot = spots[draw(st.integers(0, len(spots) - 1))]
                text = text[:spot.start()] + draw(st.sampled_from(HOSTILE_NUMBERS)) + text[spot.end():]
        elif edit == "string":
            spots = list(re.finditer(r'"[^"\n]*"', text))
            if spots:
                spot = spots[draw(st.integers(0, len(spots) - 1))]
                text = text[:spot.start()] + json.dumps(draw(st.one_of(formulas, labels))) + text[spot.end():]
        elif edit in ("delete", "duplicate") and lines:
            k = draw(st.integers(0, len(lines) - 1))
            lines[k:k + 1] = [] if edit == "delete" else [lines[k], lines[k]]
            text = "\n".join(lines)
        elif edit == "insert":
            k = draw(st.integers(0, len(text)))
            text = text[:k] + draw(st.sampled_from(STRANGE_TEXT)) + text[k:]
        elif edit == "cut":
            text = text[:draw(st.integers(0, len(text)))]
        else:
            text = text + f"\nfuzz_key = {draw(toml_values)}\n"
    return text


@st.composite
def model_texts(draw) -> tuple:
    path = draw(st.sampled_from(sorted(MODELS.glob("*.toml"))))
    return path.name, _mutate(path.read_text(encoding="utf-8"), draw)


@st.composite
def nfg_texts(draw) -> str:
    players = draw(st.integers(1, 3))
    counts = [draw(st.integers(1, 3)) for _ in range(players)]
    cells = 1
    for count in counts:
        cells *= count
    names = " ".join(json.dumps(draw(mostly(st.just(f"P{k}"), labels)), ensure_ascii=False) for k in range(players))
    payoff = mostly(_small_numbers, st.sampled_from(HOSTILE_NUMBERS))
    if draw(st.booleans()):
        header = f'NFG 1 R {json.dumps(draw(labels))} {{ {names} }} {{ {" ".join(map(str, counts))} }}'
        body = " ".join(draw(payoff) for _ in range(cells * players))
    else:
        strategies = " ".join("{ " + " ".join(json.dumps(draw(mostly(st.just(f"s{k}"), labels)), ensure_ascii=False)
                                              for k in range(c)) + " }" for c in counts)
        outcomes = "\n".join("{ " + json.dumps(draw(labels)) + " " + " ".join(draw(payoff) for _ in range(players))
                             + " }" for _ in range(cells))
        order = " ".join(str(k + 1) for k in range(cells))
        header = f'NFG 1 R {json.dumps(draw(labels))} {{ {names} }} {{ {strategies} }}\n{{\n{outcomes}\n}}'
        body = order
    text = f"{header}\n\n{body}\n"
    return _mutate(text, draw) if draw(st.integers(0, 3)) == 0 else text


EFG_SEEDS = [
    # entry deterrence: a perfect-information tree of two players
    'EFG 2 R "Entry" { "Entrant" "Incumbent" }\n""\n\n'
    'p "" 1 1 "" { "Out" "In" } 0\nt "" 1 "Out" { 0, 2 }\n'
    'p "" 2 1 "" { "Fight" "Accommodate" } 0\nt "" 2 "Fight" { -1, -1 }\nt "" 3 "Accommodate" { 1, 1 }\n',
    # a chance move, then a move under imperfect information
    'EFG 2 R "Chance" { "A" "B" }\n""\n\n'
    'c "" 1 "" { "h" 1/2 "l" 1/2 } 0\n'
    'p "" 1 1 "" { "x" "y" } 0\nt "" 1 "" { 1, 0 }\nt "" 2 "" { 0, 1 }\n'
    'p "" 1 1 "" { "x" "y" } 0\nt "" 3 "" { 0, 1 }\nt "" 4 "" { 1, 0 }\n',
    # simultaneous moves written as a tree
    'EFG 2 R "Pennies" { "A" "B" }\n""\n\n'
    'p "" 1 1 "" { "H" "T" } 0\n'
    'p "" 2 1 "" { "H" "T" } 0\nt "" 1 "" { 1, -1 }\nt "" 2 "" { -1, 1 }\n'
    'p "" 2 1 "" { "H" "T" } 0\nt "" 3 "" { -1, 1 }\nt "" 4 "" { 1, -1 }\n',
]


@st.composite
def efg_texts(draw) -> str:
    return _mutate(draw(st.sampled_from(EFG_SEEDS)), draw)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, labels, formulas),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(labels, children, max_size=3)),
    max_leaves=12)


def _seed_document() -> dict:
    """A 2×2 game (with a parameter ``a``) in the form :meth:`negotiation.Game.to_dict` writes."""
    def cell(a, b, u, v):
        return {"profile": {"A": a, "B": b}, "payoffs": {"A": u, "B": v}}

    return {"schema": "negotiation.models.game/1", "title": "fuzz", "players": ["A", "B"],
            "strategies": {"A": ["x", "y"], "B": ["x", "y"]},
            "payoffs": [cell("x", "x", "3/2", "1"), cell("x", "y", "0", "0"), cell("y", "x", "0", "0"),
                        cell("y", "y", "1", "1/2")]}


@st.composite
def json_documents(draw) -> dict:
    document = _seed_document()
    for _ in range(draw(st.integers(0, 2))):
        where = draw(st.sampled_from(["players", "strategies", "payoffs", "title", "parameters", "schema",
                                      "entry", "payoff", "profile", "twice", "key"]))
        entries = document["payoffs"] if isinstance(document["payoffs"], list) else []
        if where == "entry" and entries:
            entries[draw(st.integers(0, len(entries) - 1))] = draw(json_values)
        elif where == "payoff" and entries and isinstance(entries[0], dict):
            entries[0]["payoffs"] = {"A": draw(mostly(_small_numbers, st.one_of(numbers, formulas))),
                                     "B": draw(mostly(_small_numbers, st.one_of(numbers, formulas)))}
        elif where == "profile" and entries and isinstance(entries[0], dict):
            entries[0]["profile"] = {"A": draw(mostly(st.sampled_from(["x", "y"]), labels)),
                                     "B": draw(st.sampled_from(["x", "y", "z"]))}
        elif where == "twice" and entries:
            entries.append(entries[0])
        elif where == "key":
            document[draw(labels)] = draw(json_values)
        else:
            document[where] = draw(json_values)
    return document


# ---------------------------------------------------------------------------------------------------------
# The properties
# ---------------------------------------------------------------------------------------------------------

def check(action, what: str) -> None:
    """Run ``action()``: it succeeds or raises a one-line NegotiationError, within the CPU budget, and runs no code."""
    from negotiation.core.errors import NegotiationError

    started = time.process_time()
    # a run that never returns is stopped at twice the budget of CPU time and fails the search here
    signal.setitimer(signal.ITIMER_PROF, 2 * CPU_SECONDS)
    try:
        action()
        STATISTICS["accepted"] += 1
    except NegotiationError as error:
        message = str(error)
        assert message.strip() and "\n" not in message and "\r" not in message, \
            f"{what}: not a one-line error: {message!r}"
        if VERBOSE:
            print(re.sub(r"^\S*fuzz[^:]*: ", "", message)[:110], file=sys.stderr)
    except Overrun as error:
        print(f"overrun: {what}", file=sys.stderr)  # shown even when hypothesis cannot replay it (sympy's caches)
        raise AssertionError(f"{what}: {error}") from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    spent = time.process_time() - started
    STATISTICS["slowest"] = max(STATISTICS["slowest"], spent)
    STATISTICS["examples"] += 1
    assert spent <= CPU_SECONDS, f"{what}: {spent:.2f} s of CPU (more than {CPU_SECONDS} s)"
    canaries = sorted(p.name for p in Path.cwd().iterdir() if p.name.upper().startswith("CANARY"))
    assert not canaries, f"{what}: code from the input ran (created {canaries})"


class Overrun(Exception):
    """Raised in a run that has used twice :data:`CPU_SECONDS` of CPU (it would otherwise never report)."""


def _overrun(signum, frame):
    raise Overrun(f"more than {2 * CPU_SECONDS} s of CPU: stopped")


STATISTICS = {"examples": 0, "accepted": 0, "slowest": 0.0}
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=True,
                    suppress_health_check=list(HealthCheck))


def _write(name: str, text) -> Path:
    path = Path.cwd() / name
    path.write_text(text, encoding="utf-8")
    return path


def _load_and_solve(path: Path) -> None:
    import negotiation as ng

    scenario = ng.load(path)
    if getattr(scenario, "kind", None) in ("normal-form", "tree", None):
        ng.solve(scenario)


@SETTINGS
@given(formulas)
def fuzz_expressions(text):
    import sympy

    from negotiation.core.expressions import parse_expression

    symbols = {"p": sympy.Symbol("p"), "q": sympy.Symbol("q")}
    check(lambda: parse_expression(text, symbols, where="fuzz"), repr(text))


@SETTINGS
@given(scenario_texts())
def fuzz_scenarios(text):
    check(lambda: _load_and_solve(_write("fuzz.toml", text)), repr(text))


@SETTINGS
@given(model_texts())
def fuzz_models(named):
    import negotiation as ng

    name, text = named
    check(lambda: ng.load(_write(name, text)), f"{name}: {text!r}")


@SETTINGS
@given(nfg_texts())
def fuzz_nfg(text):
    check(lambda: _load_and_solve(_write("fuzz.nfg", text)), repr(text))


@SETTINGS
@given(efg_texts())
def fuzz_efg(text):
    check(lambda: _load_and_solve(_write("fuzz.efg", text)), repr(text))


@SETTINGS
@given(json_documents())
def fuzz_json(document):
    import negotiation as ng

    check(lambda: ng.solve(ng.Game.from_dict(json.loads(json.dumps(document)))), repr(document))


TARGETS = {"expressions": fuzz_expressions, "scenarios": fuzz_scenarios, "models": fuzz_models,
           "nfg": fuzz_nfg, "efg": fuzz_efg, "json": fuzz_json}


def main(target: str) -> int:
    import negotiation  # noqa: F401  (imported before the clock starts: the first example is not its import)

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    signal.signal(signal.SIGPROF, _overrun)
    TARGETS[target]()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024   # kilobytes on Linux
    print(json.dumps({"target": target, **STATISTICS, "peak_bytes": peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
