"""A :class:`~negotiation.symbolic.Derivation` as text, LaTeX, Markdown and a JSON-ready dict.

Labels (players, strategies, classic-game names) are shown, never indices; expressions are
sympy's string form in text and JSON and ``sympy.latex`` in LaTeX. The LaTeX output is a
fragment for a paper or slides (``description`` lists and a ``booktabs`` table).
"""

from __future__ import annotations

from fractions import Fraction

import sympy

from negotiation.core.numeric import format_number
from negotiation.symbolic.regions import BOUNDARY, CLASSES

__all__ = ["derivation_dict", "derivation_text", "derivation_latex", "derivation_markdown"]

SCHEMA = "negotiation.derivation/1"


def _ordering(name: str) -> str:
    if name == BOUNDARY:
        return "T = R or P = S"
    return ", ".join(f"{a} {r} {b}" for a, r, b in CLASSES[name])


def _number(value):
    if value is None:
        return None
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, int):
        return str(value)
    return float(value)


def _range_text(parameter) -> str:
    low = "-oo" if parameter.low is None else format_number(parameter.low)
    high = "oo" if parameter.high is None else format_number(parameter.high)
    return f"[{low}, {high}]"


# ---------------------------------------------------------------------- JSON
def derivation_dict(derivation) -> dict:
    """JSON-ready dict, schema ``negotiation.derivation/1``; expressions and exact numbers as strings.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.symbolic import derive
    >>> data = derive(ng.load("security_dilemma")).to_dict()
    >>> data["classification"]["regions"]["Prisoner's Dilemma"]["text"]
    'G*omega + v > k and omega*(L*(1 - phi) - W) > k - v and W*omega + k > v'
    """
    classification = None
    if derivation.classification:
        classification = {
            "cooperate": derivation.cooperate,
            "payoffs": {k: sympy.sstr(v) for k, v in derivation.classic_payoffs.items()},
            "regions": {name: region.to_dict() for name, region in derivation.classification.items()},
        }
    return {
        "schema": SCHEMA,
        "title": derivation.title,
        "players": list(derivation.players),
        "strategies": {p: list(s) for p, s in derivation.strategies.items()},
        "parameters": {p.name: {"low": _number(p.low), "high": _number(p.high), "default": _number(p.default)}
                       for p in derivation.parameters},
        "values": {k: _number(v) for k, v in derivation.values.items()},
        "assumptions": list(derivation.assumptions),
        "classification": classification,
        "pure": [{"profile": dict(entry.profile),
                  "payoffs": {p: sympy.sstr(v) for p, v in entry.payoffs.items()},
                  "condition": entry.condition.to_dict()} for entry in derivation.pure],
        "mixed": [{"support": {p: list(s) for p, s in entry.support.items()},
                   "probabilities": {p: {s: sympy.sstr(x) for s, x in mix.items()}
                                     for p, mix in entry.probabilities.items()},
                   "payoffs": {p: sympy.sstr(v) for p, v in entry.payoffs.items()},
                   "condition": entry.condition.to_dict()} for entry in derivation.mixed],
        "thresholds": [t.to_dict() for t in derivation.thresholds],
        "notes": list(derivation.notes),
    }


# ---------------------------------------------------------------------- text
def _header(derivation) -> list:
    lines = [f"{derivation.title or 'Game'}: where each equilibrium holds"]
    if len(derivation.parameters):
        lines.append("Parameters: " + ", ".join(f"{p.name} in {_range_text(p)}" for p in derivation.parameters))
    if derivation.values:
        lines.append("Fixed: " + ", ".join(f"{k} = {format_number(v)}" for k, v in derivation.values.items()))
    if derivation.assumptions:
        lines.append("Assumptions: " + "; ".join(derivation.assumptions))
    if len(derivation.parameters):
        lines.append("Conditions are simplified under these ranges and assumptions.")
    return lines


def derivation_text(derivation) -> str:
    """Plain-text report for the terminal (what ``negotiation derive`` prints)."""
    lines = _header(derivation)
    if derivation.classification:
        cooperate = derivation.cooperate
        other = next(s for s in derivation.strategies[derivation.players[0]] if s != cooperate)
        lines += ["", f"Classic game (symmetric 2×2; C = {cooperate}, D = {other}; row player's payoffs):"]
        names = {"R": (cooperate, cooperate), "S": (cooperate, other), "T": (other, cooperate), "P": (other, other)}
        width = max(len(f"u({a}, {b})") for a, b in names.values())
        for letter, (a, b) in names.items():
            lines.append(f"  {letter} = {f'u({a}, {b})'.ljust(width)} = {sympy.sstr(derivation.classic_payoffs[letter])}")
        lines.append("Regions:")
        for name, region in derivation.classification.items():
            lines.append(f"  {name} ({_ordering(name)}):")
            lines.append(f"      {region}")
    lines += ["", "Pure equilibria (no player gains by deviating):"]
    for entry in derivation.pure:
        payoffs = ", ".join(f"{p} {sympy.sstr(v)}" for p, v in entry.payoffs.items())
        lines.append(f"  {entry.label}, payoffs {payoffs}:")
        lines.append(f"      {entry.condition}")
    possible = [entry for entry in derivation.mixed if not entry.condition.never]
    impossible = [entry for entry in derivation.mixed if entry.condition.never]
    if derivation.mixed:
        lines += ["", "Mixed equilibria (probabilities make the other player indifferent on its support):"]
        for entry in possible:
            lines.append(f"  {entry.label}:")
            for player, mix in entry.probabilities.items():
                shown = ", ".join(f"{s} {sympy.sstr(x)}" for s, x in mix.items() if x != 0)
                lines.append(f"      {player}: {shown}")
            if _is_classic_mix(derivation, entry):
                lines.append(f"      (each: {derivation.cooperate} with probability (P - S)/((R - T) + (P - S)))")
            lines.append("      payoffs: " + ", ".join(f"{p} {sympy.sstr(v)}" for p, v in entry.payoffs.items()))
            lines.append(f"      holds where: {entry.condition}")
        if impossible:
            lines.append(f"  No equilibrium under the parameter ranges and assumptions on {len(impossible)} "
                         f"other support pair(s): " + "; ".join(f"({entry.label})" for entry in impossible[:5])
                         + (" …" if len(impossible) > 5 else ""))
    if derivation.thresholds:
        lines += ["", "Thresholds (where the two sides of a condition are equal; "
                      "value with the other parameters at their defaults):"]
        rows = []
        for t in derivation.thresholds:
            value = "undefined at the defaults" if t.value is None else format_number(t.value)
            if t.in_range is False:
                value += f" (outside {_range_text(derivation.parameters[t.parameter])})"
            where = f"{t.label}: {t.boundary}" if t.label else t.boundary
            rows.append((f"{t.parameter} = {sympy.sstr(t.expression)}", value, where))
        widths = [max(len(r[i]) for r in rows) for i in range(2)]
        for formula, value, where in rows:
            lines.append(f"  {formula.ljust(widths[0])}  = {value.ljust(widths[1])}  where {where}")
        defaults = [f"{p.name} = {format_number(p.default)}" for p in derivation.parameters if p.default is not None]
        if defaults:
            lines.append("  Defaults: " + ", ".join(defaults))
    for note in derivation.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def _is_classic_mix(derivation, entry) -> bool:
    """Whether both players' probability of cooperating is q* = (P−S)/((R−T)+(P−S)) (domain.md §M1)."""
    if not derivation.classic_payoffs:
        return False
    R, S, T, P = (derivation.classic_payoffs[k] for k in "RSTP")
    q_star = (P - S) / ((R - T) + (P - S))
    try:
        return all(sympy.cancel(mix[derivation.cooperate] - q_star) == 0 for mix in entry.probabilities.values())
    except (sympy.PolynomialError, TypeError):
        return False


# ---------------------------------------------------------------------- LaTeX
def _escape(text: str) -> str:
    replacements = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(replacements.get(c, c) for c in str(text))


def _latex_number(value) -> str:
    if isinstance(value, Fraction):
        return sympy.latex(sympy.Rational(value.numerator, value.denominator))
    return format_number(value)


def derivation_latex(derivation) -> str:
    """LaTeX fragment: classic-game regions, pure and mixed equilibria, thresholds (needs ``booktabs``)."""
    lines = [f"% negotiation derive: {_escape(derivation.title or 'Game')}"]
    if len(derivation.parameters):
        lines.append("% parameters: " + ", ".join(f"{p.name} in {_range_text(p)}" for p in derivation.parameters))
    if derivation.values:
        lines.append("% fixed: " + ", ".join(f"{k} = {format_number(v)}" for k, v in derivation.values.items()))
    if derivation.assumptions:
        lines.append("% assumptions: " + "; ".join(derivation.assumptions))
    if derivation.classification:
        payoffs = ", ".join(f"${k} = {sympy.latex(v)}$" for k, v in derivation.classic_payoffs.items())
        lines += ["", rf"\paragraph{{Classic game}} (cooperate: {_escape(derivation.cooperate)}). {payoffs}.",
                  r"\begin{description}"]
        for name, region in derivation.classification.items():
            lines.append(rf"  \item[{_escape(name)}] ${region.to_latex()}$")
        lines.append(r"\end{description}")
    lines += ["", r"\paragraph{Pure equilibria.}", r"\begin{description}"]
    for entry in derivation.pure:
        lines.append(rf"  \item[{_escape(entry.label)}] ${entry.condition.to_latex()}$")
    lines.append(r"\end{description}")
    if derivation.mixed:
        lines += ["", r"\paragraph{Mixed equilibria.}", r"\begin{description}"]
        for entry in derivation.mixed:
            parts = []
            for player, mix in entry.probabilities.items():
                shown = ", ".join(rf"$\Pr(\text{{{_escape(s)}}}) = {sympy.latex(x)}$" for s, x in mix.items() if x != 0)
                parts.append(f"{_escape(player)}: {shown}")
            payoffs = ", ".join(f"{_escape(p)} ${sympy.latex(v)}$" for p, v in entry.payoffs.items())
            lines.append(rf"  \item[{_escape(entry.label)}] " + "; ".join(parts)
                         + f"; payoffs {payoffs}; holds where ${entry.condition.to_latex()}$.")
        lines.append(r"\end{description}")
    if derivation.thresholds:
        lines += ["", r"\paragraph{Thresholds.}", r"\begin{tabular}{llll}", r"\toprule",
                  r"boundary & equation & threshold & at the defaults \\", r"\midrule"]
        for t in derivation.thresholds:
            symbol = sympy.latex(sympy.Symbol(t.parameter))
            value = "undefined" if t.value is None else f"${_latex_number(t.value)}$"
            if t.in_range is False:
                value += " (outside the range)"
            lines.append(f"{_escape(t.label)} & ${t.boundary_latex}$ & ${symbol} = {sympy.latex(t.expression)}$ & "
                         f"{value} \\\\")
        lines += [r"\bottomrule", r"\end{tabular}"]
    for note in derivation.notes:
        lines.append(f"% note: {note}")
    return "\n".join(lines)


# ---------------------------------------------------------------------- Markdown
def derivation_markdown(derivation) -> str:
    """Markdown with inline math (Jupyter renders it)."""
    lines = [f"**{derivation.title or 'Game'}**: where each equilibrium holds", ""]
    if derivation.classification:
        for name, region in derivation.classification.items():
            lines.append(f"- {name}: ${region.to_latex()}$")
    for entry in derivation.pure:
        lines.append(f"- pure {entry.label}: ${entry.condition.to_latex()}$")
    for entry in derivation.mixed:
        lines.append(f"- mixed ({entry.label}): ${entry.condition.to_latex()}$")
    return "\n".join(lines)
