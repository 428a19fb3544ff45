"""Writing the corpus: a small TOML writer and the base scenario of every kind.

Used by ``make_corpus.py`` only. The writer quotes every key and escapes control, format and
bidirectional characters as ``\\uXXXX``, so a hostile label reaches the loader exactly but the corpus
files stay readable and safe to display (no "Trojan Source" text in the repository).
"""

from __future__ import annotations

import copy
import unicodedata

SCHEMA = "negotiation.scenario/1"


class Raw(str):
    """A TOML value written verbatim (a literal the writer cannot produce, such as ``1e999999999``)."""


def _must_escape(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") and character != "\t"


def string(text: str) -> str:
    """A TOML basic string."""
    out = ['"']
    for character in text:
        if character == '"':
            out.append('\\"')
        elif character == "\\":
            out.append("\\\\")
        elif character == "\n":
            out.append("\\n")
        elif _must_escape(character) or character == "\t":
            code = ord(character)
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(character)
    out.append('"')
    return "".join(out)


def key(name: str) -> str:
    """A bare key where TOML allows one, a quoted key otherwise."""
    name = str(name)
    return name if name and all(c.isascii() and (c.isalnum() or c in "_-") for c in name) else string(name)


def value(item) -> str:
    """A TOML value: strings, booleans, integers, floats, lists and inline tables."""
    if isinstance(item, Raw):
        return str(item)
    if isinstance(item, str):
        return string(item)
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        return repr(item)
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(value(element) for element in item) + "]"
    if isinstance(item, dict):
        return "{" + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + "}"
    raise TypeError(f"no TOML for {item!r}")


def _is_table(item) -> bool:
    return isinstance(item, dict) and not isinstance(item, Inline)


def _is_table_array(item) -> bool:
    return isinstance(item, list) and item and all(_is_table(element) for element in item)


class Inline(dict):
    """A table written inline (``{a = 1}``) rather than as a ``[section]``."""


def document(data: dict) -> str:
    """A TOML document: scalars first, then ``[tables]`` and ``[[arrays of tables]]``, in order."""
    lines: list[str] = []
    _emit(data, [], lines)
    return "\n".join(lines).strip() + "\n"


def _emit(table: dict, path: list, lines: list) -> None:
    for name, item in table.items():
        if not _is_table(item) and not _is_table_array(item):
            lines.append(f"{key(name)} = {value(item)}")
    for name, item in table.items():
        here = path + [name]
        header = ".".join(key(part) for part in here)
        if _is_table(item):
            if not item or not all(_is_table(v) or _is_table_array(v) for v in item.values()):
                lines += ["", f"[{header}]"]
            _emit(item, here, lines)
        elif _is_table_array(item):
            for element in item:
                lines += ["", f"[[{header}]]"]
                _emit(element, here, lines)


# ----------------------------------------------------------------------------------------------- bases
def _header(kind: str, title: str) -> dict:
    return {"schema": SCHEMA, "id": "hostile", "title": title, "kind": kind}


def normal_form(payoffs=None, parameters=None, derived=None, title="hostile input", players=None,
                **sections) -> dict:
    """A 2×2 normal-form scenario with one parameter ``p`` (default 1 in [0, 10]) unless given."""
    data = _header("normal-form", title)
    data["players"] = players or {"A": ["x", "y"], "B": ["x", "y"]}
    data["parameters"] = parameters if parameters is not None else {"p": {"default": 1, "range": [0, 10]}}
    if derived:
        data["derived"] = derived
    data["payoffs"] = payoffs or {"x, x": ["p", "0"], "x, y": ["0", "1"], "y, x": ["1", "0"], "y, y": ["0", "p"]}
    data.update(sections)
    return data


def matrix_payoffs(row, column, labels=("x", "y")) -> dict:
    """``[payoffs]`` of a two-player game from two matrices of formula strings or numbers."""
    return {f"{labels[i]}, {labels[j]}": [row[i][j], column[i][j]]
            for i in range(len(row)) for j in range(len(row[0]))}


def tree(nodes=None, parameters=None, derived=None, title="hostile tree", players=None, **sections) -> dict:
    """A two-player entry game: the entrant stays out or enters, the incumbent fights or accommodates."""
    data = _header("extensive-form", title)
    data["players"] = players or ["Entrant", "Incumbent"]
    data["parameters"] = parameters if parameters is not None else {"c": {"default": 2, "range": [0, 10]}}
    if derived:
        data["derived"] = derived
    data["nodes"] = nodes or [
        {"path": "", "player": "Entrant", "actions": ["Out", "In"]},
        {"path": "Out", "payoffs": [0, 2]},
        {"path": "In", "player": "Incumbent", "actions": ["Fight", "Accommodate"]},
        {"path": "In/Fight", "payoffs": ["-1", "1 - c"]},
        {"path": "In/Accommodate", "payoffs": [1, 1]},
    ]
    data.update(sections)
    return data


def bargaining(parameters=None, packages=None, disagreement=None, title="hostile bargain", **sections) -> dict:
    """Two parties, three packages, disagreement at (0, 0)."""
    data = _header("bargaining", title)
    data["parties"] = ["NATO", "Russia"]
    data["parameters"] = parameters if parameters is not None else {"a": {"default": 1, "range": [0, 4]}}
    data["packages"] = packages or [
        {"label": "freeze", "NATO": 2, "Russia": 1},
        {"label": "cuts", "NATO": "3/2", "Russia": "3/2"},
        {"label": "talks", "NATO": "a", "Russia": "1/2"},
    ]
    data["disagreement"] = disagreement if disagreement is not None else {"NATO": 0, "Russia": 0}
    data.update(sections)
    return data


def issues_bargaining(utilities=None, issues=None, title="hostile issue space", **sections) -> dict:
    """An issue space: a troop ceiling and a missile option, additive utilities."""
    data = _header("bargaining", title)
    data["parties"] = ["NATO", "Russia"]
    data["parameters"] = {"a": {"default": 1, "range": [0, 4]}}
    data["issues"] = issues or {"troops": {"range": [0, 10], "unit": "thousand troops"},
                                "missiles": {"options": ["ban", "freeze"]}}
    data["utilities"] = utilities or {
        "NATO": {"troops": "a * troops / 10", "missiles": Inline(ban=1, freeze=0)},
        "Russia": {"base": "1", "troops": "-troops / 10", "missiles": Inline(ban=0, freeze="1/4")},
    }
    data["disagreement"] = {"NATO": "1/2", "Russia": 0}
    data.update(sections)
    return data


def continuous(payoffs=None, dynamics=None, parameters=None, title="hostile continuous", **sections) -> dict:
    """A Cournot-like two-player continuous game with Richardson dynamics."""
    data = _header("continuous", title)
    data["parameters"] = parameters if parameters is not None else {
        "a": {"default": "1/5", "range": [0, 1]}, "b": {"default": "1/5", "range": [0, 1]},
        "m": {"default": "1/2", "range": ["1/10", 1]}, "n": {"default": "1/2", "range": ["1/10", 1]},
        "g": {"default": 1, "range": [0, 5]}, "h": {"default": 1, "range": [0, 5]},
        "cap": {"default": 20, "range": [1, 100]}}
    data["players"] = {"NATO": {"variable": "x", "range": [0, "cap"], "label": "brigades"},
                       "Russia": {"variable": "y", "range": [0, "cap"], "label": "brigades"}}
    data["payoffs"] = payoffs or {"NATO": "-(m*x - a*y - g)**2/2", "Russia": "-(n*y - b*x - h)**2/2"}
    data["dynamics"] = dynamics if dynamics is not None else {
        "kind": "richardson", "a": "a", "b": "b", "m": "m", "n": "n", "g": "g", "h": "h",
        "sides": ["NATO", "Russia"], "unit": "brigades"}
    data.update(sections)
    return data


def bayesian(prior=None, parameters=None, title="hostile Bayesian game", **sections) -> dict:
    """Player A of two types (prior pi), player B of one; Stag Hunt against a greedy type."""
    data = _header("bayesian", title)
    data["parameters"] = parameters if parameters is not None else {"pi": {"default": "3/4", "range": [0, 1]}}
    data["players"] = {"A": {"types": ["Fearful", "Greedy"], "actions": ["C", "D"]},
                       "B": {"actions": ["C", "D"]}}
    data["prior"] = prior or {"A": {"Fearful": "pi", "Greedy": "1 - pi"}}
    data["payoffs"] = {
        "Fearful": {"C, C": [4, 4], "C, D": [0, 3], "D, C": [3, 0], "D, D": [2, 2]},
        "Greedy": {"C, C": [4, 4], "C, D": [0, 3], "D, C": [5, 0], "D, D": [2, 2]},
    }
    data.update(sections)
    return data


def signaling(prior=None, title="hostile signaling game", **sections) -> dict:
    """A costly-gesture signaling game (Kydd's reassurance, small numbers)."""
    data = _header("bayesian", title)
    data["form"] = "signaling"
    data["parameters"] = {"pi": {"default": "1/2", "range": [0, 1]}, "s": {"default": "3/2", "range": [0, 5]}}
    data["sender"] = {"player": "Russia", "types": ["Trustworthy", "Untrustworthy"],
                      "prior": prior or {"Trustworthy": "pi", "Untrustworthy": "1 - pi"},
                      "messages": ["Gesture", "No gesture"]}
    data["receiver"] = {"player": "NATO", "responses": ["Cooperate", "Defect"]}
    data["payoffs"] = {
        "Trustworthy": {"Gesture, Cooperate": ["4 - s", "3"], "Gesture, Defect": ["1 - s", "1"],
                        "No gesture, Cooperate": ["4", "3"], "No gesture, Defect": ["1", "1"]},
        "Untrustworthy": {"Gesture, Cooperate": ["3 - s", "0"], "Gesture, Defect": ["2 - s", "2"],
                          "No gesture, Cooperate": ["3", "0"], "No gesture, Defect": ["2", "2"]},
    }
    data.update(sections)
    return data


def inspection(**fields) -> dict:
    """An inspection game with an ``[inspection]`` calendar (12 periods, quota 3 unless given)."""
    section = {"periods": 12, "inspections": 3, "gain": 1, "penalty": 2, "detection": "4/5"}
    section.update(fields)
    return normal_form(
        players={"Exerciser": ["Notify", "Conceal"], "Inspector": ["Inspect", "Skip"]},
        parameters={"q": {"default": "4/5", "range": [0, 1]}},
        payoffs={"Notify, Inspect": ["0", "-1/10"], "Notify, Skip": ["0", "0"],
                 "Conceal, Inspect": ["-2*q + (1 - q)", "-q - (1 - q)*(21/10)"], "Conceal, Skip": ["1", "-2"]},
        inspection=section)


def variant(base: dict, path: str, replacement, *, delete: bool = False) -> dict:
    """A deep copy of ``base`` with the item at ``path`` (dotted; list indices as numbers) replaced."""
    data = copy.deepcopy(base)
    parts = path.split(".")
    here = data
    for part in parts[:-1]:
        here = here[int(part)] if isinstance(here, list) else here[part]
    last = int(parts[-1]) if isinstance(here, list) else parts[-1]
    if delete:
        del here[last]
    else:
        here[last] = replacement
    return data
