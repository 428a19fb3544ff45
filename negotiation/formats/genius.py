"""Read Genius XML negotiation domains and linear-additive utility profiles into a bargaining problem.

Genius (Lin et al. 2014), the platform of the ANAC automated-negotiation competitions, and NegMAS
store a negotiation in two kinds of XML file. A *domain* lists the issues::

    <negotiation_template>
      <utility_space number_of_issues="2">
        <objective index="0" etype="objective" type="objective" name="root">
          <issue index="1" etype="discrete" type="discrete" vtype="discrete" name="Food">
            <item index="1" value="Chips and Nuts"/>
            <item index="2" value="Finger-Food"/>
          </issue>
          <issue index="2" etype="integer" type="integer" vtype="integer" name="Guests"
                 lowerbound="10" upperbound="20"/>
          <issue index="3" etype="real" type="real" vtype="real" name="Price">
            <range lowerbound="0" upperbound="100"/>
          </issue>
        </objective>
      </utility_space>
    </negotiation_template>

and a *profile* gives one party's linear-additive utility over them: a ``weight`` per issue (by the
issue's ``index``), an ``evaluation`` of every item of a discrete issue, a linear ``evaluator`` for
a numeric issue, a ``reservation`` value and a ``discount_factor``. The utility of an outcome is
``sum_k weight_k * eval_k(value_k)``, where (as Genius computes it)

* a discrete evaluation is divided by the issue's largest evaluation when that exceeds 1 (Genius
  files often give integer evaluations 1..10), and used as written otherwise (negative evaluations,
  which NegMAS writes and Genius refuses, are read as written);
* an integer issue's ``<evaluator ftype="linear" offset="a" slope="b">`` gives
  ``a + b * (x - lowerbound)``; the older form ``parameter0="a" parameter1="b"`` gives ``a + b*x``
  (for real issues too), and ``ftype="constant" parameter0="a"`` gives ``a``; Genius clips an
  evaluation to ``[0, 1]``: so does this reader for integer values, while a real issue whose
  evaluator leaves ``[0, 1]`` inside its range (a clipped, piecewise-linear utility) is refused.

Genius 8 rounds discrete evaluations above 1 to integers before dividing; this reader keeps them
exact. Every number is read exactly (decimal strings become fractions), so the bargaining
solutions of the problem are exact too.

The problem (:func:`genius_problem`): discrete issues keep their items as options, an integer
issue becomes a discrete issue with one option per value (``"10"``, ``"11"``, …, numeric values
10, 11, …), a real issue a continuous one; each party's utility is additive scoring (Raiffa 1982):
the weighted evaluations of the discrete options as scores, the weighted linear evaluators as a
formula in the real issues. No lotteries by default: a Genius agreement is one outcome (pass
``lotteries=True`` to convexify: without real issues the problem is then every outcome as a package,
with lotteries over the packages). The disagreement point is each party's reservation value
(0 where the profile has none, as in Genius). **Discount factors are recorded, not applied** (a
factor of 0 means no discounting, as in Genius): Genius
multiplies utilities and the reservation value by ``delta ** t`` at normalised time ``t``, while the
axiomatic solutions here are those of the undiscounted problem (``t = 0``); the factors are named in
the problem's notes.

Safety: a file is read up to :data:`MAX_GENIUS_BYTES`; its elements are counted (at most
:data:`MAX_GENIUS_ELEMENTS`) and a document type declaration is refused before the XML parser sees
the text, so no DTD, entity or external reference is ever expanded (the "billion laughs"); issues,
values per issue and outcomes are bounded (:data:`MAX_GENIUS_ISSUES`, :data:`MAX_GENIUS_VALUES`,
:data:`MAX_GENIUS_OUTCOMES`, :data:`MAX_GENIUS_LOTTERY_OUTCOMES`) before anything is built. Every mistake is one line naming the file,
the element and the attribute (:class:`GeniusFormatError`).

Writing (the other way) is :mod:`negotiation.formats.genius_writer`. The format is documented in
the Genius user guide and shown in NegMAS's example files; this implementation is independent of
both (Genius is GPL and NegMAS AGPL: neither is imported, no code is copied).

References
----------
Lin, R., Kraus, S., Baarslag, T., Tykhonov, D., Hindriks, K. and Jonker, C. M. (2014). Genius: an
integrated environment for supporting the design of generic automated negotiators. *Computational
Intelligence* 30(1), 48-70.

Raiffa, H. (1982). *The Art and Science of Negotiation*. Harvard University Press, ch. 10-13
(additive scoring of multi-issue packages).
"""

from __future__ import annotations

import itertools
import keyword
import math
import os
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree

import sympy

from negotiation.core.errors import NegotiationError
from negotiation.core.expression_rules import ALLOWED_FUNCTIONS
from negotiation.core.labels import normal_form, refused_character, visible
from negotiation.core.numeric import format_number, fraction_from_text
from negotiation.formats.text import read_text
from negotiation.models.bargaining import BargainingError, BargainingProblem, Issue

__all__ = [
    "MAX_GENIUS_BYTES",
    "MAX_GENIUS_ELEMENTS",
    "MAX_GENIUS_ISSUES",
    "MAX_GENIUS_LOTTERY_OUTCOMES",
    "MAX_GENIUS_OUTCOMES",
    "MAX_GENIUS_PROFILES",
    "MAX_GENIUS_VALUES",
    "GeniusDomain",
    "GeniusFormatError",
    "GeniusIssue",
    "GeniusProfile",
    "genius_problem",
    "issue_identifier",
    "parse_genius_domain",
    "parse_genius_profile",
    "read_genius",
    "read_genius_domain",
    "read_genius_profile",
]

#: Largest Genius file read, in bytes (the largest ANAC domains and profiles are below 200 kB).
MAX_GENIUS_BYTES = 4 * 2**20
#: Most XML elements in one file, counted on the text before parsing (an element per item: 100 issues
#: of 1,000 items, twice over for the evaluations, fit).
MAX_GENIUS_ELEMENTS = 250_000
#: Most issues of a domain.
MAX_GENIUS_ISSUES = 100
#: Most items of a discrete issue, or values of an integer issue (each becomes an option).
MAX_GENIUS_VALUES = 1_000
#: Most outcomes (the product of the option counts of the discrete and integer issues), checked before
#: the problem is built: every outcome is enumerated exactly by the bargaining solvers (1,000,000
#: outcomes of 6 issues: zone, frontier and four solutions in 1.4 s of CPU and 170 MB).
MAX_GENIUS_OUTCOMES = 1_000_000
#: Most outcomes when lotteries are allowed (each outcome becomes a package of the convex hull:
#: 10,000 outcomes are solved in 0.9 s of CPU).
MAX_GENIUS_LOTTERY_OUTCOMES = 10_000
#: Most profiles (parties) read for one domain.
MAX_GENIUS_PROFILES = 20

#: Characters of a file's text shown in a message.
_SHOWN = 40
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_KINDS = ("discrete", "integer", "real")
#: Names an issue identifier must avoid: the formula parser's functions and constants, and ``base``.
_RESERVED = frozenset(ALLOWED_FUNCTIONS) | {"pi", "E", "base", "oo", "nan", "zoo", "I"}


class GeniusFormatError(NegotiationError):
    """A Genius file could not be read: one line naming the file, the element and the attribute."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        super().__init__(" ".join(str(message).split()))
        self.source = source
        self.line = line


# ---------------------------------------------------------------------- data
@dataclass(frozen=True)
class GeniusIssue:
    """One issue of a Genius domain.

    Attributes
    ----------
    name : str
        The issue's name as written (``"Drinks and Snacks"``).
    kind : str
        ``"discrete"``, ``"integer"`` or ``"real"``.
    index : str
        The ``index`` attribute (profiles give weights by it).
    items : tuple of str
        The items of a discrete issue, in the order written.
    low, high : Fraction or None
        The bounds of an integer or real issue.
    label : str
        The ``description`` attribute, if any (shown to users instead of the name).
    """

    name: str
    kind: str
    index: str
    items: tuple = ()
    low: Fraction | None = None
    high: Fraction | None = None
    label: str = ""

    @property
    def values(self) -> tuple:
        """The possible values: the items, or every integer from ``low`` to ``high`` (real issues: none)."""
        if self.kind == "discrete":
            return self.items
        if self.kind == "integer":
            return tuple(range(int(self.low), int(self.high) + 1))
        return ()

    @property
    def size(self) -> int | None:
        """How many values the issue has (``None`` for a real issue)."""
        if self.kind == "discrete":
            return len(self.items)
        if self.kind == "integer":
            return int(self.high - self.low) + 1
        return None


@dataclass(frozen=True)
class GeniusDomain:
    """The issues of a Genius domain file, in the order written."""

    name: str
    issues: tuple
    source: str = ""

    def issue(self, name: str) -> GeniusIssue:
        for issue in self.issues:
            if issue.name == name:
                return issue
        raise KeyError(name)

    @property
    def outcomes(self) -> int | None:
        """The number of outcomes, or ``None`` when a real issue makes it infinite."""
        sizes = [issue.size for issue in self.issues]
        return None if None in sizes else math.prod(sizes)


@dataclass(frozen=True)
class GeniusProfile:
    """One party's linear-additive utility over a domain, exactly as Genius evaluates it.

    Attributes
    ----------
    weights : dict
        Issue name -> weight.
    evaluations : dict
        Issue name -> for a discrete issue, item -> evaluation in ``[0, 1]`` (already divided by the
        largest when that exceeds 1); for an integer or real issue, ``(slope, intercept)`` of the
        evaluator ``slope * x + intercept`` (clipped to ``[0, 1]`` by :meth:`evaluate` for integers).
    reservation : Fraction or None
        The reservation value (the utility of no agreement), if the file gives one.
    discount : Fraction or None
        The discount factor, if the file gives one.
    """

    name: str
    weights: dict
    evaluations: dict
    reservation: Fraction | None = None
    discount: Fraction | None = None
    source: str = ""
    notes: tuple = field(default=())

    def evaluate(self, issue: GeniusIssue, value) -> Fraction:
        """The evaluation (before the weight) of ``value`` of ``issue``, in ``[0, 1]``."""
        table = self.evaluations[issue.name]
        if issue.kind == "discrete":
            return table[value]
        slope, intercept = table
        return min(Fraction(1), max(Fraction(0), slope * value + intercept))

    def utility(self, domain: GeniusDomain, outcome) -> Fraction:
        """The utility of an outcome (a mapping issue name -> value), as Genius computes it."""
        return sum((self.weights[i.name] * self.evaluate(i, outcome[i.name]) for i in domain.issues), Fraction(0))


# ---------------------------------------------------------------------- XML
def _fail(source, message):
    raise GeniusFormatError(f"{source}: {message}", source=source)


def _shown(text) -> str:
    text = str(text)
    return repr(visible(text if len(text) <= _SHOWN else text[:_SHOWN - 3] + "..."))


def _parse_xml(text: str, source: str, what: str):
    """The root element of ``text``, after the checks that keep the XML parser safe."""
    match = _DOCTYPE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise GeniusFormatError(f"{source}: line {line}: expected a {what} without a document type declaration "
                                f"(DTDs and entities are refused), found <!{match.group(1)}", source=source, line=line)
    elements = text.count("<")
    if elements > MAX_GENIUS_ELEMENTS:
        _fail(source, f"more than {MAX_GENIUS_ELEMENTS:,} elements ({elements:,} tags; the limit for a Genius file)")
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        line, column = getattr(error, "position", (None, None))
        reason = str(error).split(":")[0]
        raise GeniusFormatError(f"{source}: line {line}, column {column}: expected well-formed XML for a {what} "
                                f"({reason})", source=source, line=line) from None


def _utility_space(root, source: str, what: str):
    """The ``utility_space`` element (the root of a profile, the child of a domain's ``negotiation_template``)."""
    if root.tag == "utility_space":
        return root
    if root.tag == "negotiation_template":
        space = root.find("utility_space")
        if space is not None:
            return space
        _fail(source, "negotiation_template: expected a utility_space element, found none")
    _fail(source, f"expected a Genius {what} (root element negotiation_template or utility_space), "
                  f"found <{_shown(root.tag)[1:-1]}>")


def _objective(space, source: str):
    """The root objective, whose children are the issues and weights (the utility space itself in the
    files of early Genius versions, which have no objective element)."""
    objective = space.find("objective")
    if objective is None and space.find("issue") is not None:
        return space
    if objective is None:
        _fail(source, "utility_space: expected an objective element holding the issues, found none")
    if objective.find("objective") is not None:
        _fail(source, "objective: nested objectives are not read (expected the issues directly under the root "
                      "objective, as in linear-additive profiles)")
    return objective


def _attribute(element, name: str, source: str, where: str) -> str:
    value = element.get(name)
    if value is None or not value.strip():
        _fail(source, f"{where}: expected attribute {name!r}, found none")
    return value.strip()


def _number(element, name: str, source: str, where: str) -> Fraction:
    text = _attribute(element, name, source, where)
    try:
        value = fraction_from_text(text, f"{source}: {where}: attribute {name!r}")
    except ZeroDivisionError:
        value = None
    except NegotiationError as error:  # too many digits, too large an exponent
        raise GeniusFormatError(str(error), source=source) from None
    if value is None:
        _fail(source, f"{where}: attribute {name!r}: expected a number, found {_shown(text)}")
    return value


def _label(text: str, source: str, where: str, what: str) -> str:
    label = normal_form(text.strip())
    if not label or refused_character(label) is not None:
        _fail(source, f"{where}: expected {what} without control or bidirectional formatting characters, "
                      f"found {_shown(text)}")
    return label


def _issue_kind(element, source: str, where: str) -> str:
    kind = (element.get("type") or element.get("etype") or ("discrete" if element.find("item") is not None else ""))
    kind = kind.strip().lower()
    if kind not in _KINDS:
        _fail(source, f"{where}: attribute 'type': expected one of {', '.join(_KINDS)}, found {_shown(kind)}")
    return kind


def _bounds(element, source: str, where: str) -> tuple:
    """``lowerbound`` and ``upperbound``: attributes of the issue, or of its ``range`` child."""
    holder = element if element.get("lowerbound") is not None else element.find("range")
    if holder is None:
        _fail(source, f"{where}: expected attributes 'lowerbound' and 'upperbound' (or a range element), found none")
    low = _number(holder, "lowerbound", source, where)
    high = _number(holder, "upperbound", source, where)
    if low > high:
        _fail(source, f"{where}: attribute 'lowerbound' {format_number(low)} is above 'upperbound' "
                      f"{format_number(high)}")
    return low, high


# ---------------------------------------------------------------------- domains
def parse_genius_domain(text: str, source: str = "<string>", name: str = "") -> GeniusDomain:
    """A Genius domain from its XML text.

    Examples
    --------
    >>> domain = parse_genius_domain('''<negotiation_template><utility_space><objective name="root">
    ...   <issue index="1" name="Food" type="discrete"><item value="Chips"/><item value="Cake"/></issue>
    ...   <issue index="2" name="Guests" type="integer" lowerbound="1" upperbound="3"/>
    ... </objective></utility_space></negotiation_template>''', "party.xml")
    >>> [(i.name, i.kind, i.values) for i in domain.issues], domain.outcomes
    ([('Food', 'discrete', ('Chips', 'Cake')), ('Guests', 'integer', (1, 2, 3))], 6)
    >>> parse_genius_domain('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "bomb.xml")
    Traceback (most recent call last):
        ...
    negotiation.formats.genius.GeniusFormatError: bomb.xml: line 1: expected a Genius domain without a document type declaration (DTDs and entities are refused), found <!DOCTYPE
    """
    root = _parse_xml(text, source, "Genius domain")
    objective = _objective(_utility_space(root, source, "domain"), source)
    elements = objective.findall("issue")
    if not elements:
        _fail(source, "objective: expected at least one issue element, found none")
    if len(elements) > MAX_GENIUS_ISSUES:
        _fail(source, f"{len(elements)} issues: at most {MAX_GENIUS_ISSUES} are read (the limit)")
    issues, names, indices = [], set(), set()
    for position, element in enumerate(elements, start=1):
        issue = _domain_issue(element, position, source)
        if issue.name in names:
            _fail(source, f"issue {_shown(issue.name)}: the name is used by another issue")
        if issue.index in indices:
            _fail(source, f"issue {_shown(issue.name)}: attribute 'index' {_shown(issue.index)} is used by another issue")
        names.add(issue.name)
        indices.add(issue.index)
        issues.append(issue)
    own = objective.get("name", "").strip()
    domain = GeniusDomain(name or (own if own != "root" else ""), tuple(issues), source)
    sizes = [i.size for i in issues if i.size is not None]
    count = math.prod(sizes) if sizes else 1
    if count > MAX_GENIUS_OUTCOMES:
        _fail(source, f"{count:,} outcomes (the product of the issues' value counts): at most "
                      f"{MAX_GENIUS_OUTCOMES:,} are analysed (the limit)")
    return domain


def _domain_issue(element, position: int, source: str) -> GeniusIssue:
    where = f"issue {position}"
    name = _label(_attribute(element, "name", source, where), source, where, "an issue name")
    description = element.get("description", "").strip()
    label = _label(description, source, f"issue {_shown(name)}", "a description") if description else ""
    where = f"issue {_shown(name)}"
    index = (element.get("index") or str(position)).strip()
    kind = _issue_kind(element, source, where)
    if kind == "discrete":
        items = element.findall("item")
        if not items:
            _fail(source, f"{where}: expected at least one item element, found none")
        if len(items) > MAX_GENIUS_VALUES:
            _fail(source, f"{where}: {len(items):,} items: at most {MAX_GENIUS_VALUES:,} per issue are read (the limit)")
        labels = []
        for k, item in enumerate(items, start=1):
            value = _label(_attribute(item, "value", source, f"{where}, item {k}"), source, f"{where}, item {k}",
                           "an item value")
            if value in labels:
                _fail(source, f"{where}, item {k}: attribute 'value' {_shown(value)} is used by another item")
            labels.append(value)
        return GeniusIssue(name, kind, index, items=tuple(labels), label=label)
    low, high = _bounds(element, source, where)
    if kind == "integer":
        if low.denominator != 1 or high.denominator != 1:
            _fail(source, f"{where}: expected integer bounds, found {format_number(low)} and {format_number(high)}")
        if high - low + 1 > MAX_GENIUS_VALUES:
            _fail(source, f"{where}: {int(high - low + 1):,} integer values: at most {MAX_GENIUS_VALUES:,} per issue "
                          f"are read (the limit)")
    return GeniusIssue(name, kind, index, low=low, high=high, label=label)


def read_genius_domain(path) -> GeniusDomain:
    """A Genius domain file (see :func:`parse_genius_domain`); the domain is named after the file."""
    text, source = read_text(path, GeniusFormatError, MAX_GENIUS_BYTES)
    return parse_genius_domain(text, source, name=_stem(source))


def _stem(source: str) -> str:
    stem = Path(source).stem
    return re.sub(r"[-_ ]?domain$", "", stem, flags=re.IGNORECASE) or stem


# ---------------------------------------------------------------------- profiles
def parse_genius_profile(text: str, domain: GeniusDomain, source: str = "<string>", name: str = "") -> GeniusProfile:
    """One party's linear-additive utility profile over ``domain``, from its XML text.

    Examples
    --------
    >>> domain = parse_genius_domain('''<utility_space><objective name="root">
    ...   <issue index="1" name="Food" type="discrete"><item value="Chips"/><item value="Cake"/></issue>
    ...   <issue index="2" name="Price" type="real" lowerbound="0" upperbound="10"/>
    ... </objective></utility_space>''')
    >>> profile = parse_genius_profile('''<utility_space><objective name="root">
    ...   <issue index="1" name="Food" type="discrete">
    ...     <item value="Chips" evaluation="2"/><item value="Cake" evaluation="4"/></issue>
    ...   <issue index="2" name="Price" type="real"><evaluator ftype="linear" parameter0="1" parameter1="-0.1"/></issue>
    ...   <weight index="1" value="0.75"/><weight index="2" value="0.25"/>
    ... </objective><reservation value="0.3"/><discount_factor value="0.9"/></utility_space>''', domain, "buyer.xml")
    >>> profile.evaluations["Food"], profile.evaluations["Price"], profile.reservation
    ({'Chips': Fraction(1, 2), 'Cake': Fraction(1, 1)}, (Fraction(-1, 10), Fraction(1, 1)), Fraction(3, 10))
    >>> profile.utility(domain, {"Food": "Chips", "Price": 4})
    Fraction(21, 40)
    """
    root = _parse_xml(text, source, "Genius utility profile")
    space = _utility_space(root, source, "utility profile")
    objective = _objective(space, source)
    by_name = {issue.name: issue for issue in domain.issues}
    found = {}
    for position, element in enumerate(objective.findall("issue"), start=1):
        label = _label(_attribute(element, "name", source, f"issue {position}"), source, f"issue {position}",
                       "an issue name")
        if label not in by_name:
            _fail(source, f"issue {_shown(label)}: not an issue of the domain {domain.source or domain.name} "
                          f"(issues: {', '.join(by_name)})")
        if label in found:
            _fail(source, f"issue {_shown(label)}: evaluated twice")
        found[label] = element
    missing = [n for n in by_name if n not in found]
    if missing:
        _fail(source, f"issue {_shown(missing[0])}: no evaluation of this issue of the domain")
    evaluations = {n: _evaluation(found[n], by_name[n], source) for n in by_name}
    weights = _weights(objective, found, source)
    reservation = _optional_value(space, "reservation", source)
    discount = _optional_value(space, "discount_factor", source)
    if discount is not None and not 0 <= discount <= 1:
        _fail(source, f"discount_factor: attribute 'value': expected a number in [0, 1], found {format_number(discount)}")
    if discount == 0:
        discount = Fraction(1)  # Genius reads 0 as "no discounting"
    return GeniusProfile(name or _stem(source), weights, evaluations, reservation, discount, source)


def _weights(objective, found: dict, source: str) -> dict:
    """Issue name -> weight, from the ``weight`` elements (by the issue's ``index`` in the profile)."""
    by_index = {}
    for k, element in enumerate(objective.findall("weight"), start=1):
        index = _attribute(element, "index", source, f"weight {k}")
        value = _number(element, "value", source, f"weight {index}")
        if value < 0:
            _fail(source, f"weight {index}: attribute 'value': expected a weight of at least 0, found "
                          f"{format_number(value)}")
        by_index[index] = value
    weights = {}
    for position, (name, element) in enumerate(found.items(), start=1):
        index = (element.get("index") or str(position)).strip()
        if index not in by_index:
            _fail(source, f"issue {_shown(name)}: no weight element with index {_shown(index)}")
        weights[name] = by_index.pop(index)
    own = (objective.get("index") or "0").strip()
    extra = [i for i in by_index if i != own]
    if extra:
        _fail(source, f"weight {extra[0]}: no issue has index {_shown(extra[0])}")
    return weights


def _optional_value(space, tag: str, source: str) -> Fraction | None:
    element = space.find(tag)
    if element is None:
        return None
    return _number(element, "value", source, tag)


def _evaluation(element, issue: GeniusIssue, source: str):
    where = f"issue {_shown(issue.name)}"
    if issue.kind == "discrete":
        return _discrete_evaluation(element, issue, source, where)
    evaluator = element.find("evaluator")
    if evaluator is None:
        _fail(source, f"{where}: expected an evaluator element (a linear evaluation of the {issue.kind} values), "
                      f"found none")
    ftype = (evaluator.get("ftype") or "linear").strip().lower()
    if ftype == "constant":
        return Fraction(0), _number(evaluator, "parameter0", source, f"{where}, evaluator")
    if ftype != "linear":
        _fail(source, f"{where}, evaluator: attribute 'ftype': expected 'linear' or 'constant' (a linear-additive "
                      f"profile), found {_shown(ftype)}")
    if evaluator.get("slope") is not None:
        # Genius's integer evaluator: offset + slope * (x - lowerbound)
        slope = _number(evaluator, "slope", source, f"{where}, evaluator")
        offset = _number(evaluator, "offset", source, f"{where}, evaluator")
        slope_intercept = (slope, offset - slope * issue.low)
    else:
        slope_intercept = (_number(evaluator, "parameter1", source, f"{where}, evaluator"),
                           _number(evaluator, "parameter0", source, f"{where}, evaluator"))
    if issue.kind == "real":
        slope, intercept = slope_intercept
        for end in (issue.low, issue.high):
            value = slope * end + intercept
            if not 0 <= value <= 1:
                _fail(source, f"{where}, evaluator: the evaluation is {format_number(value)} at "
                              f"{format_number(end)}, outside [0, 1]; Genius clips it, which makes the utility "
                              f"piecewise linear (not read: give an evaluator within [0, 1] over the range)")
    return slope_intercept


def _discrete_evaluation(element, issue: GeniusIssue, source: str, where: str) -> dict:
    evaluations = {}
    for k, item in enumerate(element.findall("item"), start=1):
        label = _label(_attribute(item, "value", source, f"{where}, item {k}"), source, f"{where}, item {k}",
                       "an item value")
        if label not in issue.items:
            _fail(source, f"{where}, item {_shown(label)}: not an item of the domain's issue "
                          f"(items: {', '.join(issue.items)})")
        # Genius refuses negative evaluations; NegMAS writes them, and they are read as written
        evaluations[label] = _number(item, "evaluation", source, f"{where}, item {_shown(label)}")
    missing = [i for i in issue.items if i not in evaluations]
    if missing:
        _fail(source, f"{where}, item {_shown(missing[0])}: no evaluation of this item of the domain")
    largest = max(evaluations.values())
    scale = largest if largest > 1 else Fraction(1)  # Genius: divided by the largest when it exceeds 1
    return {i: evaluations[i] / scale for i in issue.items}


def read_genius_profile(path, domain: GeniusDomain) -> GeniusProfile:
    """A Genius utility profile file over ``domain`` (see :func:`parse_genius_profile`)."""
    text, source = read_text(path, GeniusFormatError, MAX_GENIUS_BYTES)
    return parse_genius_profile(text, domain, source)


# ---------------------------------------------------------------------- the problem
def issue_identifier(name: str, taken=()) -> str:
    """An identifier for an issue named ``name`` (formulas use identifiers): lower case, words joined by ``_``.

    Examples
    --------
    >>> issue_identifier("Drinks and Snacks"), issue_identifier("2nd round"), issue_identifier("log")
    ('drinks_and_snacks', 'issue_2nd_round', 'issue_log')
    >>> issue_identifier("Price", taken={"price"})
    'price_2'
    """
    text = re.sub(r"\W+", "_", normal_form(name).lower()).strip("_") or "issue"
    if not text.isidentifier() or keyword.iskeyword(text) or text in _RESERVED or text[0].isdigit():
        text = f"issue_{text}"
    candidate, k = text, 1
    while candidate in taken:
        k += 1
        candidate = f"{text}_{k}"
    return candidate


def genius_problem(domain: GeniusDomain, profiles, parties=None, *, lotteries: bool = False,
                   title: str = "") -> BargainingProblem:
    """The bargaining problem of a domain and one profile per party (see the module's description).

    Examples
    --------
    >>> domain = parse_genius_domain('''<utility_space><objective name="root">
    ...   <issue index="1" name="Food" type="discrete"><item value="Chips"/><item value="Cake"/></issue>
    ... </objective></utility_space>''')
    >>> def profile(chips, cake, reservation):
    ...     return parse_genius_profile(f'''<utility_space><objective name="root">
    ...       <issue index="1" name="Food"><item value="Chips" evaluation="{chips}"/>
    ...       <item value="Cake" evaluation="{cake}"/></issue><weight index="1" value="1"/></objective>
    ...       <reservation value="{reservation}"/></utility_space>''', domain)
    >>> problem = genius_problem(domain, [profile(1, 0.5, 0.2), profile(0.25, 1, 0)], ["Buyer", "Seller"])
    >>> problem.agreements.scores[0]["food"], problem.disagreement
    ({'Chips': Fraction(1, 1), 'Cake': Fraction(1, 2)}, (Fraction(1, 5), Fraction(0, 1)))
    """
    profiles = tuple(profiles)
    if len(profiles) < 2:
        raise GeniusFormatError(f"{domain.source or domain.name}: expected at least two profiles (one per party), "
                                f"found {len(profiles)}")
    if len(profiles) > MAX_GENIUS_PROFILES:
        raise GeniusFormatError(f"{len(profiles)} profiles: at most {MAX_GENIUS_PROFILES} are read (the limit)")
    parties = tuple(parties) if parties is not None else tuple(p.name for p in profiles)
    if len(parties) != len(profiles):
        raise GeniusFormatError(f"expected one party name per profile ({len(profiles)}), found {len(parties)}")
    identifiers, issues = {}, []
    for issue in domain.issues:
        identifier = issue_identifier(issue.name, set(identifiers.values()) | set(parties))
        identifiers[issue.name] = identifier
        issues.append(_model_issue(issue, identifier, domain))
    utilities, scores = {}, {}
    for party, profile in zip(parties, profiles):
        formula, table = sympy.Integer(0), {}
        for issue in domain.issues:
            weight = profile.weights[issue.name]
            if issue.kind == "real":
                slope, intercept = profile.evaluations[issue.name]
                symbol = sympy.Symbol(identifiers[issue.name], real=True)
                formula += _rational(weight * slope) * symbol + _rational(weight * intercept)
            else:
                table[identifiers[issue.name]] = {str(v): weight * profile.evaluate(issue, v) for v in issue.values}
        utilities[party], scores[party] = formula, table
    disagreement = tuple(p.reservation if p.reservation is not None else Fraction(0) for p in profiles)
    notes = _notes(domain, parties, profiles)
    try:
        if lotteries and all(issue.kind != "real" for issue in domain.issues):
            if domain.outcomes > MAX_GENIUS_LOTTERY_OUTCOMES:
                raise GeniusFormatError(f"{domain.source or domain.name}: {domain.outcomes:,} outcomes: lotteries "
                                        f"are analysed over at most {MAX_GENIUS_LOTTERY_OUTCOMES:,} (the limit; "
                                        f"without lotteries {MAX_GENIUS_OUTCOMES:,})")
            # lotteries over finitely many outcomes: the convex hull of every outcome, as packages
            return BargainingProblem.from_packages(_packages(issues, parties, scores), parties, disagreement,
                                                   lotteries=True, title=title or domain.name, notes=notes)
        return BargainingProblem.from_issues(issues, utilities, parties, disagreement, scores=scores,
                                             lotteries=lotteries, title=title or domain.name, notes=notes)
    except BargainingError as error:
        raise GeniusFormatError(f"{domain.source or domain.name}: {error}") from None


def _packages(issues, parties, scores) -> dict:
    """Every outcome as a package ``"food = Chips; drinks = Beer"`` with each party's utility."""
    packages = {}
    for options in itertools.product(*(issue.options for issue in issues)):
        label = "; ".join(f"{issue.name} = {option}" for issue, option in zip(issues, options))
        packages[label] = tuple(sum((scores[party][issue.name][option] for issue, option in zip(issues, options)),
                                    Fraction(0)) for party in parties)
    return packages


def _model_issue(issue: GeniusIssue, identifier: str, domain: GeniusDomain) -> Issue:
    details = {"label": issue.label or issue.name, "source": f"Genius domain {domain.source or domain.name}"}
    if issue.kind == "real":
        return Issue.continuous(identifier, issue.low, issue.high, **details)
    if issue.kind == "integer":
        return Issue.discrete(identifier, [str(v) for v in issue.values], [Fraction(v) for v in issue.values],
                              **details)
    return Issue.discrete(identifier, issue.items, **details)


def _rational(value: Fraction):
    return sympy.Rational(value.numerator, value.denominator)


def _notes(domain, parties, profiles) -> tuple:
    notes = [f"read from the Genius domain {domain.source or domain.name} and the profiles "
             + ", ".join(f"{p.source or p.name} ({party})" for party, p in zip(parties, profiles))]
    unreserved = [party for party, p in zip(parties, profiles) if p.reservation is None]
    if unreserved:
        notes.append(f"no reservation value in the profile of {', '.join(unreserved)}: 0 used (as in Genius)")
    discounted = [(party, p.discount) for party, p in zip(parties, profiles) if p.discount is not None and p.discount != 1]
    if discounted:
        shown = ", ".join(f"{party} {format_number(d)}" for party, d in discounted)
        notes.append(f"discount factors ({shown}) are not applied: the solutions are those of the undiscounted "
                     f"utilities at time 0 (Genius multiplies utility and reservation value by delta**t)")
    return tuple(notes)


def read_genius(domain, profiles, parties=None, *, lotteries: bool = False, title: str = "") -> BargainingProblem:
    """A bargaining problem from a Genius domain file and one utility-profile file per party.

    Parameters
    ----------
    domain : path
        The domain file (issues and their items or bounds).
    profiles : sequence of paths
        One linear-additive profile per party.
    parties : sequence of str, optional
        Party names (default: the profile files' names without ``.xml``).
    lotteries : bool
        Whether lotteries over outcomes are allowed (default no: a Genius agreement is one outcome).

    Returns
    -------
    BargainingProblem
        Issues with additive scoring; the disagreement point is the reservation values. Solve it
        with ``ng.solve(problem)`` (zone of agreement, Pareto frontier, Nash and Kalai–Smorodinsky).
    """
    paths = [os.fspath(p) for p in profiles]
    if len(paths) > MAX_GENIUS_PROFILES:
        raise GeniusFormatError(f"{len(paths)} profiles: at most {MAX_GENIUS_PROFILES} are read (the limit)")
    parsed = read_genius_domain(domain)
    read = tuple(read_genius_profile(path, parsed) for path in paths)
    if parties is None:
        names = [p.name for p in read]
        # "party-domain.xml" with "party-buyer.xml", "party-seller.xml": the parties are buyer and seller
        short = [re.sub(rf"^{re.escape(parsed.name)}[-_ ]+", "", n) if parsed.name else n for n in names]
        if all(short) and len(set(short)) == len(short):
            names = short
        parties = names
        if len(set(names)) != len(names):
            raise GeniusFormatError(f"two profiles are both named {_shown(next(n for n in names if names.count(n) > 1))} "
                                    f"after their files: give the parties' names")
    return genius_problem(parsed, read, parties, lotteries=lotteries, title=title)
