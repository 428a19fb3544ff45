"""Write a linear-additive bargaining problem as Genius XML files, or as a bargaining scenario file.

:func:`genius_files` turns a numeric :class:`~negotiation.models.bargaining.BargainingProblem` whose
utilities are *linear-additive* -- a constant plus one term per issue, each term depending on one
issue only, linear in a continuous issue (any function of a discrete issue's option) -- into the
text of a Genius domain and one utility profile per party (the format is described in
:mod:`negotiation.formats.genius`); :func:`write_genius` writes them. A finite list of packages
becomes a domain with one discrete issue whose items are the packages. A utility that is not
linear-additive (two issues in one term, a continuous issue inside ``exp`` or a square) and a
polytope in utility space are refused with one line.

Genius profiles hold weights that sum to 1 and evaluations in ``[0, 1]``, so each party's utility
``u = c + sum_k g_k(x_k)`` is written after the positive affine map ``u' = (u - c - sum_k lo_k) / R``,
where ``lo_k`` and ``hi_k`` are the least and greatest value of ``g_k`` over a continuous issue, and
over a discrete issue the least of 0 and its values and the greatest of 0 and its values (so that a
profile read from Genius files is written back unchanged), and ``R = sum_k (hi_k - lo_k)``: weight ``(hi_k - lo_k) / R``, evaluation ``(g_k - lo_k) / (hi_k - lo_k)``,
reservation value ``(d - c - sum_k lo_k) / R``. Nash's and Kalai and Smorodinsky's solutions are
invariant under such maps (Nash 1950, axiom of invariance; Kalai and Smorodinsky 1975), so the
files describe the same bargaining problem. A reservation value outside ``[0, 1]`` (no deal worse
than every agreement) is written as it is; NegMAS reads it, Genius may clip it.

Numbers are written exactly where a decimal can be exact: discrete evaluations as integers (Genius
divides them by the issue's largest, which restores the fractions), weights, evaluators and
reservation values as terminating decimals. A fraction without one (``1/3``) or a float is written
with :data:`SIGNIFICANT_DIGITS` significant digits, and the export's notes (and an XML comment in
the file) say so.

:func:`format_bargaining_scenario` writes the same kind of problem as a ``kind = "bargaining"``
scenario file (exact fractions), which ``negotiation agree`` reads: the other half of
``negotiation convert DOMAIN.xml --profiles A.xml B.xml --out problem.toml``.

References
----------
Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2), 155-162.

Kalai, E. and Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem.
*Econometrica* 43(3), 513-518.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree

import sympy

from negotiation.core.errors import NegotiationError
from negotiation.models.bargaining import (
    BargainingProblem,
    IssueSpace,
    Packages,
    as_sympy,
)

__all__ = [
    "SIGNIFICANT_DIGITS",
    "GeniusExport",
    "GeniusExportError",
    "additive_parts",
    "format_bargaining_scenario",
    "genius_files",
    "write_genius",
]

#: Significant digits of a number that has no exact decimal (``1/3``) or is a float.
SIGNIFICANT_DIGITS = 20
#: Digits of the integer evaluations of one issue beyond which decimals are written instead.
_MAX_INTEGER_DIGITS = 15


class GeniusExportError(NegotiationError):
    """A problem that Genius files cannot hold (one line: which utility, which term, and why)."""


@dataclass(frozen=True)
class GeniusExport:
    """The text of a Genius domain and of one profile per party, with what the writer had to round.

    Attributes
    ----------
    domain : str
        The domain file's XML.
    profiles : dict
        Party -> the profile file's XML.
    notes : tuple of str
        What was rounded or left out (lotteries), one line each.
    paths : tuple
        The files written (empty until :func:`write_genius` writes them).
    """

    domain: str
    profiles: dict
    notes: tuple = ()
    paths: tuple = ()


# ---------------------------------------------------------------------- linear-additive parts
@dataclass(frozen=True)
class _Part:
    """One issue's term of one party's utility: option -> value (discrete) or a slope (continuous)."""

    issue: object
    values: dict | None = None
    slope: object = None


def _number(value, where):
    """A parameter-free number as a Fraction (rational) or a float (otherwise)."""
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, float):
        return value
    value = sympy.sympify(value)
    if value.free_symbols:
        raise GeniusExportError(f"{where}: depends on {', '.join(sorted(s.name for s in value.free_symbols))}; "
                                f"give parameter values first")
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    number = complex(value.evalf(30))
    if number.imag or not math.isfinite(number.real):
        raise GeniusExportError(f"{where}: expected a real number, found {value}")
    return number.real


def additive_parts(problem: BargainingProblem) -> tuple:
    """Each party's utility as ``(constant, parts)``: one part per issue (see the module's description).

    The problem must be numeric. Raises :class:`GeniusExportError` when a utility is not linear-additive.

    Examples
    --------
    >>> from negotiation.models.bargaining import Issue
    >>> x, food = Issue.continuous("x", 0, 10), Issue.discrete("food", ["chips", "cake"])
    >>> p = BargainingProblem.from_issues([x, food], {"A": "1 + x/2 + 3*food", "B": "2 - x"}, disagreement=(0, 0))
    >>> constant, parts = additive_parts(p)[0]
    >>> constant, parts[0].slope, parts[1].values
    (Fraction(1, 1), Fraction(1, 2), {'chips': Fraction(0, 1), 'cake': Fraction(3, 1)})
    >>> additive_parts(BargainingProblem.from_issues([x, food], {"A": "x", "B": "x*food"}, disagreement=(0, 0)))
    Traceback (most recent call last):
        ...
    negotiation.formats.genius_writer.GeniusExportError: utility of B: not linear-additive: the term food*x depends on two issues (x, food); Genius profiles add one evaluation per issue
    """
    space = problem.agreements
    if isinstance(space, Packages):
        return tuple((Fraction(0), [_Part(None, {label: _number(row[k], f"package {label!r}")
                                                 for label, row in zip(space.labels, space.utilities)})])
                     for k in range(problem.n_parties))
    if not isinstance(space, IssueSpace):
        raise GeniusExportError("a polytope in utility space has no issues to write as a Genius domain "
                                "(Genius files describe issues and the parties' evaluations of them)")
    return tuple(_party_parts(space, k, party) for k, party in enumerate(problem.parties))


def _party_parts(space: IssueSpace, k: int, party: str):
    where = f"utility of {party}"
    by_symbol = {issue.symbol: issue for issue in space.issues}
    constant, groups = sympy.Integer(0), {issue.name: sympy.Integer(0) for issue in space.issues}
    for term in sympy.Add.make_args(space.utilities[k]):
        pieces = [term]
        if len(term.free_symbols & by_symbol.keys()) > 1:
            pieces = sympy.Add.make_args(sympy.expand(term))
        for piece in pieces:
            used = [by_symbol[s] for s in piece.free_symbols if s in by_symbol]
            if len(used) > 1:
                names = ", ".join(i.name for i in sorted(used, key=space.issues.index))
                raise GeniusExportError(f"{where}: not linear-additive: the term {piece} depends on two issues "
                                        f"({names}); Genius profiles add one evaluation per issue")
            if used:
                groups[used[0].name] += piece
            else:
                constant += piece
    scores = space.scores[k] if space.scores else {}
    parts = []
    for issue in space.issues:
        group = groups[issue.name]
        if issue.kind == "discrete":
            values = {o: _number(group.xreplace({issue.symbol: as_sympy(v)}), f"{where}, {issue.name} = {o}")
                      for o, v in zip(issue.options, issue.values)}
            for option, score in scores.get(issue.name, {}).items():
                values[option] = values[option] + _number(score, f"{where}, score of {issue.name} = {option}")
            parts.append(_Part(issue, values))
            continue
        x = issue.symbol
        if group.has(sympy.Piecewise) or not group.is_polynomial(x) or sympy.degree(group, x) > 1:
            raise GeniusExportError(f"{where}: not linear-additive: {group} is not linear in the continuous issue "
                                    f"{issue.name} (Genius evaluates a real issue linearly)")
        constant += group.coeff(x, 0)
        parts.append(_Part(issue, slope=_number(group.coeff(x, 1), f"{where}, slope in {issue.name}")))
    return _number(constant, f"{where}, constant"), parts


# ---------------------------------------------------------------------- numbers as text
def _decimal(value, rounding: str = ROUND_HALF_EVEN) -> tuple[str, bool]:
    """``value`` as decimal text (rounded in the direction ``rounding`` when it has no exact decimal), and
    whether the text is exact."""
    if isinstance(value, float):
        return repr(value), False
    value = Fraction(value)
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator == 1:
        places = max(twos, fives)
        text = str(value.numerator * 10**places // value.denominator)
        sign = "-" if text.startswith("-") else ""
        digits = text.lstrip("-").rjust(places + 1, "0")
        whole, fraction = digits[:len(digits) - places], digits[len(digits) - places:]
        return sign + whole + ("." + fraction if places else ""), True
    quotient = Context(prec=SIGNIFICANT_DIGITS, rounding=rounding).divide(Decimal(value.numerator), Decimal(value.denominator))
    return format(quotient, "f"), False


def _integer_evaluations(values: dict):
    """Evaluations in ``[0, 1]`` whose largest is 1 as integers whose largest is the common denominator (Genius
    divides by it); ``None`` when decimals must be written."""
    if any(isinstance(v, float) for v in values.values()) or max(values.values()) != 1:
        return None
    denominator = math.lcm(*(Fraction(v).denominator for v in values.values()))
    if denominator == 1 or len(str(denominator)) > _MAX_INTEGER_DIGITS:
        return None
    return {o: str(int(Fraction(v) * denominator)) for o, v in values.items()}


# ---------------------------------------------------------------------- XML
def _issue_names(problem) -> list:
    space = problem.agreements
    return ["package"] if isinstance(space, Packages) else [issue.name for issue in space.issues]


def _objective(parent, count: int):
    """A ``utility_space`` (under ``parent``, or the root when ``parent`` is None) and its root objective."""
    attributes = {"number_of_issues": str(count)}
    space = (ElementTree.Element("utility_space", attributes) if parent is None
             else ElementTree.SubElement(parent, "utility_space", attributes))
    return space, ElementTree.SubElement(space, "objective", {"index": "0", "etype": "objective",
                                                              "type": "objective", "description": "", "name": "root"})


def _issue_element(objective, k: int, name: str, issue):
    kind = "discrete" if issue is None or issue.kind == "discrete" else "real"
    element = ElementTree.SubElement(objective, "issue", {"index": str(k), "etype": kind, "type": kind,
                                                          "vtype": kind, "name": name})
    if issue is not None and issue.title != name:
        element.set("description", issue.title)
    if kind == "real":
        bounds = {"lowerbound": _decimal(issue.low)[0], "upperbound": _decimal(issue.high)[0]}
        element.attrib.update(bounds)
        ElementTree.SubElement(element, "range", bounds)
    return element


def _text(root) -> str:
    ElementTree.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _domain_xml(problem, names, parts) -> str:
    root = ElementTree.Element("negotiation_template")
    _, objective = _objective(root, len(names))
    for k, (name, part) in enumerate(zip(names, parts), start=1):
        element = _issue_element(objective, k, name, part.issue)
        if part.values is not None:
            for j, option in enumerate(part.values, start=1):
                ElementTree.SubElement(element, "item", {"index": str(j), "value": option})
    return _text(root)


def _profile_xml(party, names, constant, parts, disagreement, notes) -> str:
    """One party's profile after the affine map of the module's description; notes what is rounded."""
    lows, ranges = [], []
    for part in parts:
        if part.values is not None:
            # anchored at 0 when the values allow it: a profile read from Genius is written back as it was
            low, high = min(0, *part.values.values()), max(0, *part.values.values())
        else:
            ends = (part.slope * part.issue.low, part.slope * part.issue.high)
            low, high = min(ends), max(ends)
        lows.append(low)
        ranges.append(high - low)
    total = sum(ranges)
    if total == 0:
        raise GeniusExportError(f"utility of {party}: the same for every agreement; a Genius profile needs "
                                f"a utility that varies")
    rounded = []

    def decimal(value, what, rounding=ROUND_HALF_EVEN):
        text, exact = _decimal(value, rounding)
        if not exact:
            rounded.append(what)
        return text

    space, objective = _objective(None, len(names))
    space.set("type", "domain")
    for k, (name, part, low, width) in enumerate(zip(names, parts, lows, ranges), start=1):
        element = _issue_element(objective, k, name, part.issue)
        if part.values is not None:
            scaled = {o: (v - low) / width if width else Fraction(0) * v for o, v in part.values.items()}
            integers = _integer_evaluations(scaled)
            for j, (option, value) in enumerate(scaled.items(), start=1):
                shown = integers[option] if integers else decimal(value, "evaluation")
                ElementTree.SubElement(element, "item", {"index": str(j), "value": option, "evaluation": shown})
        else:
            ElementTree.SubElement(element, "evaluator", _evaluator(part, width, decimal, "evaluator"))
    for k, (name, width) in enumerate(zip(names, ranges), start=1):
        ElementTree.SubElement(objective, "weight", {"index": str(k), "value": decimal(width / total, "weight")})
    reservation = (disagreement - constant - sum(lows)) / total
    ElementTree.SubElement(space, "reservation", {"value": decimal(reservation, "reservation value")})
    if rounded:
        counts = {what: rounded.count(what) for what in dict.fromkeys(rounded)}
        shown = ", ".join(f"{n} {what}s" if n > 1 else f"the {what}" if what == "reservation value" else f"1 {what}"
                          for what, n in counts.items())
        note = (f"profile of {party}: no exact decimal for {shown} (floats, or fractions such as 1/3); written "
                f"with {SIGNIFICANT_DIGITS} significant digits")
        notes.append(note)
        space.insert(0, ElementTree.Comment(" " + note + " "))
    return _text(space)


def _evaluator(part, width, decimal, what) -> dict:
    """``parameter1 * x + parameter0``: 0 at the party's worst end of the range, 1 at its best. A slope
    without an exact decimal is rounded toward 0 and the intercept up, so that the evaluation stays
    within ``[0, 1]`` over the range (Genius would clip it otherwise)."""
    if not width:
        return {"ftype": "linear", "parameter0": "0", "parameter1": "0"}
    magnitude = Fraction(decimal(1 / (part.issue.high - part.issue.low), what, ROUND_DOWN))
    slope = magnitude if part.slope > 0 else -magnitude
    worst = part.issue.low if part.slope > 0 else part.issue.high
    return {"ftype": "linear", "parameter0": decimal(-slope * worst, what, ROUND_CEILING),
            "parameter1": decimal(slope, what)}


def genius_files(problem: BargainingProblem) -> GeniusExport:
    """The Genius domain and profiles of a linear-additive problem (parameters at their defaults).

    Examples
    --------
    >>> p = BargainingProblem.from_packages({"freeze": (2, 1), "cuts": (1, 2)}, ("NATO", "Russia"), (1, 1))
    >>> files = genius_files(p)
    >>> print(files.profiles["Russia"])  # doctest: +NORMALIZE_WHITESPACE
    <?xml version="1.0" encoding="UTF-8"?>
    <utility_space number_of_issues="1" type="domain">
      <objective index="0" etype="objective" type="objective" description="" name="root">
        <issue index="1" etype="discrete" type="discrete" vtype="discrete" name="package">
          <item index="1" value="freeze" evaluation="1" />
          <item index="2" value="cuts" evaluation="2" />
        </issue>
        <weight index="1" value="1" />
      </objective>
      <reservation value="0.5" />
    </utility_space>
    """
    if problem.is_symbolic:
        problem = problem.substitute({})
    every = additive_parts(problem)
    names = _issue_names(problem)
    notes = []
    if getattr(problem.agreements, "lotteries", False):
        notes.append("lotteries over agreements are not written: a Genius agreement is one outcome")
    domain = _domain_xml(problem, names, every[0][1])
    profiles = {party: _profile_xml(party, names, constant, parts, _number(d, f"disagreement of {party}"), notes)
                for party, (constant, parts), d in zip(problem.parties, every, problem.disagreement)}
    return GeniusExport(domain, profiles, tuple(notes))


def _file_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("._") or "party"


def write_genius(problem: BargainingProblem, directory, *, name: str = "") -> GeniusExport:
    """Write ``NAME-domain.xml`` and ``NAME-PARTY.xml`` (one per party) into ``directory``.

    ``name`` defaults to the problem's title. Returns the :class:`GeniusExport` with the paths written.
    """
    files = genius_files(problem)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stem = _file_name(name or problem.title or "bargaining")
    paths = [folder / f"{stem}-domain.xml"]
    used = {paths[0].name}
    for party in problem.parties:
        path = folder / f"{stem}-{_file_name(party)}.xml"
        k = 1
        while path.name in used:
            k += 1
            path = folder / f"{stem}-{_file_name(party)}-{k}.xml"
        used.add(path.name)
        paths.append(path)
    for path, text in zip(paths, (files.domain, *files.profiles.values())):
        path.write_text(text, encoding="utf-8")
    return GeniusExport(files.domain, files.profiles, files.notes, tuple(paths))


# ---------------------------------------------------------------------- scenario files
def _toml(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return json.dumps(repr(value))
    value = Fraction(value)
    return json.dumps(str(value))


def _key(text: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise."""
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _toml(text)


def _term(number, name) -> str:
    return f"({Fraction(number)})*{name}" if not isinstance(number, float) else f"({number!r})*{name}"


def format_bargaining_scenario(problem: BargainingProblem, *, scenario_id: str, description: str = "") -> str:
    """A linear-additive issue problem as the text of a ``kind = "bargaining"`` scenario file (exact values).

    Examples
    --------
    >>> from negotiation.models.bargaining import Issue
    >>> p = BargainingProblem.from_issues([Issue.discrete("food", ["chips", "cake"])], {"A": "0", "B": "0"},
    ...     disagreement=("1/5", 0), scores={"A": {"food": {"chips": 1, "cake": "1/2"}},
    ...                                      "B": {"food": {"chips": 0, "cake": 1}}}, title="Party")
    >>> print(format_bargaining_scenario(p, scenario_id="party").split("[utilities.A]")[1].strip())
    base = "0"
    food = { "chips" = "1", "cake" = "1/2" }
    <BLANKLINE>
    [utilities.B]
    base = "0"
    food = { "chips" = "0", "cake" = "1" }
    <BLANKLINE>
    [disagreement]
    A = "1/5"
    B = "0"
    """
    if problem.is_symbolic:
        problem = problem.substitute({})
    space = problem.agreements
    if not isinstance(space, IssueSpace):
        raise GeniusExportError("a scenario file of issues needs a problem given by issues")
    every = additive_parts(problem)
    lines = ['schema = "negotiation.scenario/1"', f"id = {_toml(scenario_id)}",
             f"title = {_toml(problem.title or scenario_id)}", 'kind = "bargaining"',
             f"description = {_toml(description or '; '.join(problem.notes))}",
             f"parties = [{', '.join(_toml(p) for p in problem.parties)}]"]
    if space.lotteries:
        lines.append("lotteries = true")
    for issue in space.issues:
        lines += ["", f"[issues.{issue.name}]", f"label = {_toml(issue.title)}"]
        if issue.kind == "continuous":
            lines.append(f"range = [{_toml(issue.low)}, {_toml(issue.high)}]")
        elif list(issue.values) == [Fraction(k) for k in range(len(issue.options))]:
            lines.append(f"options = [{', '.join(_toml(o) for o in issue.options)}]")
        else:
            lines.append("options = { " + ", ".join(f"{_toml(o)} = {_toml(v)}"
                                                    for o, v in zip(issue.options, issue.values)) + " }")
        for key in ("unit", "description", "source"):
            if getattr(issue, key):
                lines.append(f"{key} = {_toml(getattr(issue, key))}")
    for party, (constant, parts) in zip(problem.parties, every):
        lines += ["", f"[utilities.{_key(party)}]", f"base = {_toml(constant)}"]
        for part in parts:
            if part.values is not None:
                lines.append(f"{part.issue.name} = {{ " + ", ".join(f"{_toml(o)} = {_toml(v)}"
                                                                     for o, v in part.values.items()) + " }")
            elif part.slope != 0:
                lines.append(f"{part.issue.name} = {_toml(_term(part.slope, part.issue.name))}")
    lines += ["", "[disagreement]"]
    lines += [f"{_key(p)} = {_toml(_number(d, f'disagreement of {p}'))}"
              for p, d in zip(problem.parties, problem.disagreement)]
    if problem.weights is not None:
        lines += ["", "[weights]"] + [f"{_key(p)} = {_toml(_number(w, f'weight of {p}'))}"
                                      for p, w in zip(problem.parties, problem.weights)]
    return "\n".join(lines) + "\n"
