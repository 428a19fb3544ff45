"""Bargaining problems: who bargains, over which agreements, and what happens without one.

A bargaining problem ``(S, d)`` (Nash 1950) is a set ``S`` of feasible
agreements, each valued by every party, and a disagreement point ``d``: what
each party gets if no agreement is reached. The agreements are given in one of
three ways:

* :class:`Packages` -- a finite list of labelled packages with a utility for
  every party (optionally with lotteries over them, which makes ``S`` their
  convex hull);
* :class:`Polytope` -- a convex polytope in utility space, by its vertices or
  by linear inequalities ``a . u <= b``;
* :class:`IssueSpace` -- issues (continuous ones in intervals, discrete ones
  with labelled options) and, for each party, a utility formula over the
  issues: additive scoring in the manner of Raiffa (1982) or any non-linear
  form (diminishing returns, interactions).

Entries may be numbers or sympy expressions in declared parameters;
:meth:`BargainingProblem.substitute` fixes the parameters and returns the
numeric problem that the solvers take. Exact inputs (integers, fractions,
decimal strings, sympy rationals) stay exact (``fractions.Fraction``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Mapping

import sympy

from negotiation.core.errors import NegotiationError
from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.core.labels import normalise_label, normalise_labels
from negotiation.core.numeric import coerce_number, format_number, is_sympy as _is_sympy, json_number
from negotiation.core.parameters import ParameterSpace

__all__ = ["BargainingError", "Issue", "Packages", "Polytope", "IssueSpace", "BargainingProblem", "as_sympy",
           "by_party", "coerce_entry", "show", "to_float"]


class BargainingError(NegotiationError):
    """A bargaining problem was given inconsistent or invalid data (one-line message)."""


# ---------------------------------------------------------------------- numbers
#: Exact values longer than this many characters are shown as ``≈`` decimals in text tables.
EXACT_WIDTH = 12


def show(value, digits: int = 6) -> str:
    """A number as users read it: ``3/4``, ``sqrt(3)/3``, ``0.123457``; long exact values as ``≈1.29559``.

    Text, Markdown and LaTeX reports of bargaining results use this; JSON always carries the exact value.

    Examples
    --------
    >>> show(Fraction(3, 4)), show(0.1234567), show(Fraction(-6787359, 5238800))
    ('3/4', '0.123457', '≈-1.29559')
    """
    if value is None:
        return ""
    if _is_sympy(value):
        text = str(value)
        return text if len(text) <= 2 * EXACT_WIDTH else f"≈{format_number(float(value), digits=digits)}"
    text = format_number(value, digits=digits)
    if isinstance(value, Fraction) and len(text) > EXACT_WIDTH:
        return f"≈{format_number(value.numerator / value.denominator, digits=digits)}"
    return text


def to_float(value) -> float:
    """Any number of a bargaining problem or result as a float."""
    if isinstance(value, Fraction):
        return value.numerator / value.denominator
    return float(value)


def as_sympy(value):
    """A number as a sympy object (``Fraction`` -> ``Rational``, ``float`` -> ``Float``); sympy values unchanged.

    Examples
    --------
    >>> as_sympy(Fraction(1, 3)), as_sympy(0.5)
    (1/3, 0.500000000000000)
    """
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sympy.Float(value)
    return value if _is_sympy(value) else sympy.sympify(value)


def coerce_entry(value, where: str):
    """A utility, bound or disagreement value: ``Fraction``, finite ``float``, or a sympy expression with symbols.

    Examples
    --------
    >>> coerce_entry("3/4", "x")
    Fraction(3, 4)
    >>> import sympy
    >>> coerce_entry(1 - sympy.Symbol("a"), "x")
    1 - a
    """
    if _is_sympy(value):
        if getattr(value, "free_symbols", None):
            if not isinstance(value, sympy.Expr):
                raise BargainingError(f"{where}: expected a number or formula, got the condition {value}")
            return value
        if isinstance(value, sympy.Expr) and value.is_number and not value.is_Rational and not value.has(sympy.Float):
            if value.is_real is False:
                raise BargainingError(f"{where}: expected a real number, got {value}")
            # an exact irrational number (sqrt(2)): kept exact only inside issue formulas
            return value
    try:
        return coerce_number(value, where=where)
    except ValueError as error:
        raise BargainingError(str(error)) from None


def _substitute_entry(value, replacement, where):
    if not _is_sympy(value) or not getattr(value, "free_symbols", None):
        return value
    result = value.xreplace(replacement)
    if result.free_symbols:
        names = ", ".join(sorted(s.name for s in result.free_symbols))
        raise BargainingError(f"{where}: no value for parameter(s) {names}")
    return _numeric(result, where)


def _numeric(value, where):
    """A parameter-free sympy value as Fraction (rational), float (otherwise)."""
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise BargainingError(f"{where}: the value is undefined ({value})")
    number = complex(value.evalf(30))
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)) or not math.isfinite(number.real):
        raise BargainingError(f"{where}: expected a real number, got {value}")
    return float(number.real)


def _free_symbols(values) -> set:
    symbols = set()
    for value in values:
        if _is_sympy(value):
            symbols |= set(getattr(value, "free_symbols", ()))
    return symbols


# ---------------------------------------------------------------------- issues
@dataclass(frozen=True)
class Issue:
    """One issue on the table: continuous in ``[low, high]``, or discrete with labelled options.

    In utility formulas a continuous issue stands for its value; a discrete
    issue stands for the number ``values[k]`` of the chosen option (by default
    ``0, 1, 2, ...`` in the order given), and additive scores may also give
    each option its own score directly.

    Parameters
    ----------
    name : str
        Identifier used in formulas (``troops``).
    low, high : number, optional
        Range of a continuous issue.
    options : tuple of str, optional
        Option labels of a discrete issue.
    values : tuple of numbers, optional
        Numeric value of each option (default ``0, 1, ...``).
    label, unit, description, source, confidence : str
        Shown to users; ``confidence`` uses the tags of :data:`negotiation.core.parameters.CONFIDENCE_TAGS`.

    Examples
    --------
    >>> Issue.continuous("troops", 0, 5000, unit="troops").kind
    'continuous'
    >>> Issue.discrete("missiles", ["ban", "moratorium", "no limit"]).values
    (Fraction(0, 1), Fraction(1, 1), Fraction(2, 1))
    """

    name: str
    low: Fraction | float | None = None
    high: Fraction | float | None = None
    options: tuple = ()
    values: tuple = ()
    label: str = ""
    unit: str = ""
    description: str = ""
    source: str = ""
    confidence: str = "assumption"

    def __post_init__(self):
        object.__setattr__(self, "name", normalise_label(self.name, where="issues", what="issue name", error=BargainingError))
        if not self.name.isidentifier():
            raise BargainingError(f"issue {self.name!r}: names must be identifiers (letters, digits, _)")
        where = f"issue {self.name}"
        options = tuple(self.options)
        if options:
            if self.low is not None or self.high is not None:
                raise BargainingError(f"{where}: give either a range (continuous) or options (discrete), not both")
            if not all(isinstance(o, str) and o.strip() for o in options):
                raise BargainingError(f"{where}: option labels must be non-empty strings")
            options = normalise_labels(options, where=where, what="option label", error=BargainingError)
            if len(set(options)) != len(options):
                duplicate = next(o for o in options if options.count(o) > 1)
                raise BargainingError(f"{where}: duplicate option {duplicate!r}")
            values = tuple(self.values) if self.values else tuple(Fraction(k) for k in range(len(options)))
            if len(values) != len(options):
                raise BargainingError(f"{where}: {len(options)} options but {len(values)} values")
            values = tuple(coerce_entry(v, f"{where}: value of option {o!r}") for v, o in zip(values, options))
            object.__setattr__(self, "options", options)
            object.__setattr__(self, "values", values)
        else:
            if self.values:
                raise BargainingError(f"{where}: values are given for the options of a discrete issue")
            if self.low is None or self.high is None:
                raise BargainingError(f"{where}: a continuous issue needs low and high (or give options)")
            low = coerce_entry(self.low, f"{where}: low")
            high = coerce_entry(self.high, f"{where}: high")
            if _is_sympy(low) or _is_sympy(high):
                raise BargainingError(f"{where}: the range must be numbers")
            if low > high:
                raise BargainingError(f"{where}: low {format_number(low)} is above high {format_number(high)}")
            object.__setattr__(self, "low", low)
            object.__setattr__(self, "high", high)

    @classmethod
    def continuous(cls, name, low, high, **details) -> "Issue":
        """A continuous issue with values in ``[low, high]``."""
        return cls(name, low=low, high=high, **details)

    @classmethod
    def discrete(cls, name, options, values=None, **details) -> "Issue":
        """A discrete issue with labelled options (and optional numeric values)."""
        return cls(name, options=tuple(options), values=tuple(values or ()), **details)

    @property
    def kind(self) -> str:
        return "discrete" if self.options else "continuous"

    @property
    def symbol(self):
        return sympy.Symbol(self.name, real=True)

    @property
    def title(self) -> str:
        """The label, or the name when there is none."""
        return self.label or self.name

    def value_of(self, option: str):
        """The numeric value of an option of a discrete issue."""
        if option not in self.options:
            raise BargainingError(f"issue {self.name}: unknown option {option!r} (options: {', '.join(self.options)})")
        return self.values[self.options.index(option)]

    def format(self, value) -> str:
        """An option label, or a number with the unit."""
        if isinstance(value, str):
            return value
        text = show(value)
        if isinstance(value, Fraction) and value.denominator != 1 and not text.startswith("≈"):
            text += f" (≈{value.numerator / value.denominator:.6g})"
        elif _is_sympy(value) and not text.startswith("≈"):
            text += f" (≈{float(value):.6g})"
        return f"{text} {self.unit}" if self.unit else text


# ---------------------------------------------------------------------- agreement sets
@dataclass(frozen=True, eq=False)
class Packages:
    """A finite list of labelled packages, each with a utility for every party.

    Parameters
    ----------
    labels : tuple of str
        Package labels.
    utilities : tuple of tuples
        ``utilities[k][i]`` is party ``i``'s utility for package ``k``.
    lotteries : bool
        If true the parties may also agree on lotteries over packages (or
        time-sharing), so the feasible set is the convex hull of the packages.
    descriptions : tuple of str
        Optional one-line description of each package.
    """

    labels: tuple
    utilities: tuple
    lotteries: bool = False
    descriptions: tuple = ()

    kind = "packages"


@dataclass(frozen=True, eq=False)
class Polytope:
    """A convex polytope in utility space: the convex hull of ``vertices``, or ``{u : a . u <= b}``.

    Parameters
    ----------
    vertices : tuple of tuples
        Points in utility space (party order).
    inequalities : tuple of (tuple, number)
        Pairs ``(a, b)`` meaning ``sum_i a[i] * u[i] <= b``. With the
        individual-rationality constraints ``u >= d`` the set must be bounded.
    labels : tuple of str
        Optional labels of the vertices (agreements are then reported as
        lotteries over the labelled vertices).
    """

    vertices: tuple = ()
    inequalities: tuple = ()
    labels: tuple = ()

    kind = "polytope"


@dataclass(frozen=True, eq=False)
class IssueSpace:
    """Issues and, for each party, a utility formula over them.

    Parameters
    ----------
    issues : tuple of Issue
    utilities : tuple of sympy expressions
        One per party, in the issues' symbols (and parameters).
    scores : tuple of mappings, optional
        Additive scores of discrete options: ``scores[i][issue][option]`` is
        added to party ``i``'s utility when ``option`` is agreed on ``issue``
        (Raiffa's additive scoring). Empty mappings when not used.
    lotteries : bool
        Whether lotteries over agreements are allowed (convexifies the set).
    """

    issues: tuple
    utilities: tuple
    scores: tuple = ()
    lotteries: bool = False

    kind = "issues"

    @property
    def continuous(self) -> tuple:
        return tuple(i for i in self.issues if i.kind == "continuous")

    @property
    def discrete(self) -> tuple:
        return tuple(i for i in self.issues if i.kind == "discrete")

    def issue(self, name) -> Issue:
        for issue in self.issues:
            if issue.name == name:
                return issue
        raise KeyError(name)


# ---------------------------------------------------------------------- the problem
@dataclass(frozen=True, eq=False)
class BargainingProblem:
    """A bargaining problem: parties, feasible agreements and a disagreement point.

    Build one with :meth:`from_packages`, :meth:`from_vertices`,
    :meth:`from_inequalities` or :meth:`from_issues`; solve it with
    :func:`negotiation.bargaining.bargain`.

    Parameters
    ----------
    parties : tuple of str
        Party labels (two or more).
    agreements : Packages, Polytope or IssueSpace
        The feasible agreements.
    disagreement : tuple
        Each party's utility if no agreement is reached (numbers or formulas).
    title : str
    weights : tuple, optional
        Bargaining power of each party for the asymmetric Nash solution
        (default: equal). Positive numbers or formulas.
    parameters : ParameterSpace
        Declared parameters of a parametric problem.
    values : mapping
        Parameter values a numeric problem was built with.
    notes : tuple of str
        Provenance shown with results (e.g. where ``d`` comes from).

    Examples
    --------
    >>> problem = BargainingProblem.from_vertices(
    ...     [(0, 0), (1, 0), (0, 1)], parties=("NATO", "Russia"), disagreement=(0, 0))
    >>> problem.representation, problem.disagreement_point
    ('polytope', {'NATO': Fraction(0, 1), 'Russia': Fraction(0, 1)})
    """

    #: The kind of model (the ``kind`` of its scenario files).
    kind = "bargaining"

    parties: tuple
    agreements: Packages | Polytope | IssueSpace
    disagreement: tuple
    title: str = ""
    weights: tuple | None = None
    parameters: ParameterSpace = field(default_factory=ParameterSpace, repr=False)
    values: Mapping = field(default_factory=dict, repr=False)
    notes: tuple = ()

    def __post_init__(self):
        parties = tuple(self.parties)
        if len(parties) < 2:
            raise BargainingError("a bargaining problem needs at least two parties")
        if not all(isinstance(p, str) and p.strip() for p in parties):
            raise BargainingError("party labels must be non-empty strings")
        if len(set(parties)) != len(parties):
            duplicate = next(p for p in parties if parties.count(p) > 1)
            raise BargainingError(f"party {duplicate!r} is listed twice")
        parties = normalise_labels(parties, where="parties", what="party label", error=BargainingError)
        object.__setattr__(self, "parties", parties)
        n = len(parties)
        disagreement = self.disagreement
        if isinstance(disagreement, Mapping):
            disagreement = by_party(disagreement, parties, "disagreement")
        disagreement = tuple(disagreement)
        if len(disagreement) != n:
            raise BargainingError(f"disagreement: expected {n} values (one per party), got {len(disagreement)}")
        object.__setattr__(self, "disagreement", tuple(
            coerce_entry(v, f"disagreement of {p}") for v, p in zip(disagreement, parties)))
        if self.weights is not None:
            weights = self.weights
            if isinstance(weights, Mapping):
                weights = by_party(weights, parties, "weights")
            weights = tuple(coerce_entry(w, f"weight of {p}") for w, p in zip(tuple(weights), parties))
            if len(weights) != n:
                raise BargainingError(f"weights: expected {n} values (one per party)")
            for w, p in zip(weights, parties):
                if not _is_sympy(w) and not w > 0:
                    raise BargainingError(f"weight of {p}: bargaining weights must be positive, got {format_number(w)}")
            object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "agreements", _check_agreements(self.agreements, parties))
        object.__setattr__(self, "notes", tuple(self.notes))
        if not self.parameters.parameters and self.is_symbolic:
            names = sorted(s.name for s in self._parameter_symbols())
            object.__setattr__(self, "parameters", ParameterSpace.from_names(names))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_packages(cls, packages, parties, disagreement, *, lotteries=False, **options) -> "BargainingProblem":
        """Agreements from a finite list of labelled packages.

        Parameters
        ----------
        packages : mapping label -> utilities (sequence or mapping by party)

        Examples
        --------
        >>> p = BargainingProblem.from_packages(
        ...     {"freeze": (2, 1), "cuts": (1, 2)}, parties=("NATO", "Russia"), disagreement=(0, 0))
        >>> p.agreements.labels
        ('freeze', 'cuts')
        """
        parties = tuple(parties)
        labels, rows, descriptions = [], [], []
        items = packages.items() if isinstance(packages, Mapping) else packages
        for item in items:
            label, utilities = item[0], item[1]
            if isinstance(utilities, Mapping):
                utilities = by_party(utilities, parties, f"package {label!r}")
            labels.append(str(label))
            rows.append(tuple(utilities))
            descriptions.append(str(item[2]) if len(item) > 2 else "")
        agreements = Packages(tuple(labels), tuple(rows), lotteries=lotteries,
                              descriptions=tuple(descriptions) if any(descriptions) else ())
        return cls(parties, agreements, disagreement, **options)

    @classmethod
    def from_vertices(cls, vertices, parties, disagreement, *, labels=(), **options) -> "BargainingProblem":
        """Agreements: the convex hull of points in utility space (lotteries over them)."""
        return cls(tuple(parties), Polytope(vertices=tuple(tuple(v) for v in vertices), labels=tuple(labels)),
                   disagreement, **options)

    @classmethod
    def from_inequalities(cls, inequalities, parties, disagreement, **options) -> "BargainingProblem":
        """Agreements: ``{u : a . u <= b}`` for pairs ``(a, b)``; see :class:`Polytope`.

        Examples
        --------
        >>> p = BargainingProblem.from_inequalities([((1, 1), 1)], ("A", "B"), (0, 0))
        >>> p.agreements.inequalities
        (((Fraction(1, 1), Fraction(1, 1)), Fraction(1, 1)),)
        """
        return cls(tuple(parties), Polytope(inequalities=tuple((tuple(a), b) for a, b in inequalities)),
                   disagreement, **options)

    @classmethod
    def from_issues(cls, issues, utilities, parties=None, disagreement=(), *, scores=None, lotteries=False,
                    **options) -> "BargainingProblem":
        """Agreements: an issue space with a utility formula per party.

        Parameters
        ----------
        issues : sequence of Issue
        utilities : mapping party -> sympy expression (or a formula string, parsed
            with the allow-list parser over the issue names)
        parties : sequence of str, optional
            Default: the keys of ``utilities``.
        scores : mapping party -> {issue: {option: score}}, optional
            Additive scores of discrete options.

        Examples
        --------
        >>> x = Issue.continuous("x", 0, 1)
        >>> p = BargainingProblem.from_issues([x], {"A": "x", "B": "1 - x**2"}, disagreement=(0, 0))
        >>> p.agreements.utilities
        (x, 1 - x**2)
        """
        issues = tuple(issues)
        parties = tuple(parties) if parties is not None else tuple(utilities)
        symbols = {issue.name: issue.symbol for issue in issues}
        parsed = []
        for party in parties:
            if party not in utilities:
                raise BargainingError(f"utilities: no utility for party {party!r}")
            value = utilities[party]
            if isinstance(value, str):
                extra = {s.name: s for s in _free_symbols([d for d in disagreement])}
                try:
                    value = parse_expression(value, {**extra, **symbols}, where=f"utility of {party}")
                except ExpressionError as error:
                    raise BargainingError(str(error)) from None
            parsed.append(_as_expression(value, f"utility of {party}"))
        score_tuple = ()
        if scores:
            score_tuple = tuple(dict(scores.get(party, {})) for party in parties)
        return cls(parties, IssueSpace(issues, tuple(parsed), score_tuple, lotteries), disagreement, **options)

    # ------------------------------------------------------------------ queries
    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def representation(self) -> str:
        """``"packages"``, ``"polytope"`` or ``"issues"``."""
        return self.agreements.kind

    @property
    def disagreement_point(self) -> dict:
        """Disagreement utilities by party."""
        return dict(zip(self.parties, self.disagreement))

    @property
    def bargaining_weights(self) -> tuple:
        """Nash weights (default equal: ``1/n`` each)."""
        if self.weights is None:
            return tuple(Fraction(1, self.n_parties) for _ in self.parties)
        return self.weights

    def _entries(self):
        """Every number or formula of the problem except issue symbols."""
        agreements = self.agreements
        entries = list(self.disagreement) + list(self.weights or ())
        if isinstance(agreements, Packages):
            entries += [v for row in agreements.utilities for v in row]
        elif isinstance(agreements, Polytope):
            entries += [v for row in agreements.vertices for v in row]
            entries += [v for a, b in agreements.inequalities for v in (*a, b)]
        else:
            entries += list(agreements.utilities)
            entries += [v for party in agreements.scores for table in party.values() for v in table.values()]
            entries += [v for issue in agreements.issues for v in issue.values]
        return entries

    def _parameter_symbols(self) -> set:
        symbols = _free_symbols(self._entries())
        if isinstance(self.agreements, IssueSpace):
            names = {issue.name for issue in self.agreements.issues}
            symbols = {s for s in symbols if s.name not in names}
        return symbols

    @property
    def symbols(self) -> dict:
        """Free parameter symbols, name -> sympy symbol."""
        return {s.name: s for s in sorted(self._parameter_symbols(), key=lambda s: s.name)}

    @property
    def is_symbolic(self) -> bool:
        """Whether some entry still depends on parameters."""
        return bool(self._parameter_symbols())

    def substitute(self, values: Mapping | None = None, **kwargs) -> "BargainingProblem":
        """The numeric problem at the given parameter values (declared defaults for the others).

        Examples
        --------
        >>> import sympy
        >>> a = sympy.Symbol("a")
        >>> p = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1)], ("A", "B"), (0, 0), weights=(a, 1 - a))
        >>> p.substitute(a="1/3").weights
        (Fraction(1, 3), Fraction(2, 3))
        """
        values = {**(values or {}), **kwargs}
        try:
            resolved = self.parameters.resolve(values)
        except ValueError as error:
            raise BargainingError(str(error)) from None
        # by name: a formula's symbol may carry other assumptions than the declared parameter's
        replacement = {symbol: as_sympy(resolved[symbol.name])
                       for symbol in self._parameter_symbols() if symbol.name in resolved}

        def sub(value, where):
            return _substitute_entry(value, replacement, where)

        agreements = self.agreements
        if isinstance(agreements, Packages):
            rows = tuple(tuple(sub(v, f"package {label!r}, utility of {p}") for v, p in zip(row, self.parties))
                         for label, row in zip(agreements.labels, agreements.utilities))
            agreements = replace(agreements, utilities=rows)
        elif isinstance(agreements, Polytope):
            vertices = tuple(tuple(sub(v, "polytope vertex") for v in row) for row in agreements.vertices)
            inequalities = tuple((tuple(sub(v, "polytope inequality") for v in a), sub(b, "polytope inequality"))
                                 for a, b in agreements.inequalities)
            agreements = replace(agreements, vertices=vertices, inequalities=inequalities)
        else:
            utilities = tuple(u.xreplace(replacement) for u in agreements.utilities)
            scores = tuple({issue: {o: sub(v, f"score of {p} for {issue} = {o}") for o, v in table.items()}
                            for issue, table in party.items()}
                           for party, p in zip(agreements.scores, self.parties))
            issues = tuple(replace(i, values=tuple(sub(v, f"issue {i.name}") for v in i.values)) if i.options else i
                           for i in agreements.issues)
            agreements = replace(agreements, issues=issues, utilities=utilities, scores=scores)
        disagreement = tuple(sub(v, f"disagreement of {p}") for v, p in zip(self.disagreement, self.parties))
        weights = None if self.weights is None else tuple(
            sub(v, f"weight of {p}") for v, p in zip(self.weights, self.parties))
        return BargainingProblem(self.parties, agreements, disagreement, title=self.title, weights=weights,
                                 parameters=self.parameters, values=resolved, notes=self.notes)

    def to_dict(self) -> dict:
        """JSON-ready: parties, how the agreements are given (issues with their ranges or options), the
        no-deal point, the Nash weights and the notes (the ``"problem"`` object of ``negotiation agree``).

        Examples
        --------
        >>> p = BargainingProblem.from_inequalities([((1, 1), 1)], ("NATO", "Russia"), ("1/2", 0))
        >>> p.to_dict()["disagreement"], p.to_dict()["weights"]
        ({'NATO': '1/2', 'Russia': '0'}, {'NATO': '1/2', 'Russia': '1/2'})
        """
        issues = []
        for issue in self.agreements.issues if isinstance(self.agreements, IssueSpace) else ():
            item = {"name": issue.name, "label": issue.title, "kind": issue.kind}
            if issue.kind == "continuous":
                item["range"] = [json_number(issue.low), json_number(issue.high)]
                item["unit"] = issue.unit
            else:
                item["options"] = list(issue.options)
            issues.append(item)
        return {
            "title": self.title,
            "parties": list(self.parties),
            "representation": self.representation,
            "issues": issues,
            "disagreement": {p: json_number(v) for p, v in zip(self.parties, self.disagreement)},
            "weights": {p: json_number(v) for p, v in zip(self.parties, self.bargaining_weights)},
            "notes": list(self.notes),
        }

    def with_disagreement(self, disagreement) -> "BargainingProblem":
        """The same problem with another disagreement point."""
        return replace(self, disagreement=tuple(disagreement) if not isinstance(disagreement, Mapping)
                       else by_party(disagreement, self.parties, "disagreement"))

    def __repr__(self) -> str:
        return (f"BargainingProblem({self.title!r}, parties={list(self.parties)}, "
                f"agreements={self.representation}, disagreement={self._show(self.disagreement)})")

    @staticmethod
    def _show(values) -> str:
        return "(" + ", ".join(format_number(v) if not _is_sympy(v) else str(v) for v in values) + ")"


def _as_expression(value, where):
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        value = Fraction(value)
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sympy.Float(value)
    if not isinstance(value, sympy.Expr):
        raise BargainingError(f"{where}: expected a sympy expression or formula, got {value!r}")
    return value


def by_party(mapping: Mapping, parties, where) -> tuple:
    """The values of ``mapping`` (party -> value) in the order of ``parties``; every party exactly once."""
    unknown = [k for k in mapping if k not in parties]
    if unknown:
        raise BargainingError(f"{where}: unknown party {unknown[0]!r} (parties: {', '.join(parties)})")
    missing = [p for p in parties if p not in mapping]
    if missing:
        raise BargainingError(f"{where}: no value for {missing[0]!r}")
    return tuple(mapping[p] for p in parties)


def _check_agreements(agreements, parties):
    """The agreements with every entry coerced and checked against the parties."""
    if isinstance(agreements, Packages):
        return _check_packages(agreements, parties)
    if isinstance(agreements, Polytope):
        return _check_polytope(agreements, parties)
    if isinstance(agreements, IssueSpace):
        return _check_issue_space(agreements, parties)
    raise BargainingError(f"agreements: expected Packages, Polytope or IssueSpace, got {type(agreements).__name__}")


def _check_packages(agreements: Packages, parties) -> Packages:
    n = len(parties)
    labels = normalise_labels((str(label) for label in agreements.labels), where="packages", error=BargainingError)
    if not labels:
        raise BargainingError("packages: expected at least one package")
    if len(set(labels)) != len(labels):
        duplicate = next(label for label in labels if labels.count(label) > 1)
        raise BargainingError(f"packages: duplicate label {duplicate!r}")
    if len(agreements.utilities) != len(labels):
        raise BargainingError("packages: one row of utilities per package is needed")
    rows = []
    for label, row in zip(labels, agreements.utilities):
        row = tuple(row)
        if len(row) != n:
            raise BargainingError(f"package {label!r}: expected {n} utilities (one per party), got {len(row)}")
        rows.append(tuple(coerce_entry(v, f"package {label!r}, utility of {p}") for v, p in zip(row, parties)))
    descriptions = tuple(agreements.descriptions)
    if descriptions and len(descriptions) != len(labels):
        raise BargainingError("packages: one description per package is needed")
    return Packages(labels, tuple(rows), bool(agreements.lotteries), descriptions)


def _check_polytope(agreements: Polytope, parties) -> Polytope:
    n = len(parties)
    if bool(agreements.vertices) == bool(agreements.inequalities):
        raise BargainingError("polytope: give either vertices or inequalities")
    vertices = []
    for k, row in enumerate(agreements.vertices):
        row = tuple(row)
        if len(row) != n:
            raise BargainingError(f"polytope vertex {k + 1}: expected {n} coordinates (one per party)")
        vertices.append(tuple(coerce_entry(v, f"polytope vertex {k + 1}") for v in row))
    inequalities = []
    for k, (a, b) in enumerate(agreements.inequalities):
        a = tuple(a)
        if len(a) != n:
            raise BargainingError(f"polytope inequality {k + 1}: expected {n} coefficients (one per party)")
        inequalities.append((tuple(coerce_entry(v, f"polytope inequality {k + 1}") for v in a),
                             coerce_entry(b, f"polytope inequality {k + 1}")))
    labels = normalise_labels(agreements.labels, where="polytope", what="vertex label", error=BargainingError)
    if labels and len(labels) != len(vertices):
        raise BargainingError("polytope: one label per vertex is needed")
    if len(set(labels)) != len(labels):
        raise BargainingError("polytope: vertex labels must be distinct")
    return Polytope(tuple(vertices), tuple(inequalities), labels)


def _check_issue_space(agreements: IssueSpace, parties) -> IssueSpace:
    n = len(parties)
    issues = tuple(agreements.issues)
    if not issues:
        raise BargainingError("issues: expected at least one issue")
    names = [i.name for i in issues]
    if len(set(names)) != len(names):
        duplicate = next(x for x in names if names.count(x) > 1)
        raise BargainingError(f"issues: {duplicate!r} is declared twice")
    clash = [x for x in names if x in parties]
    if clash:
        raise BargainingError(f"issues: {clash[0]!r} is also a party label")
    utilities = tuple(agreements.utilities)
    if len(utilities) != n:
        raise BargainingError(f"issues: expected {n} utility formulas (one per party), got {len(utilities)}")
    utilities = tuple(_as_expression(u, f"utility of {p}") for u, p in zip(utilities, parties))
    scores = tuple(agreements.scores) or tuple({} for _ in parties)
    if len(scores) != n:
        raise BargainingError("issues: one score table per party is needed")
    by_name = {i.name: i for i in issues}
    checked = tuple(_check_scores(party, table, by_name) for party, table in zip(parties, scores))
    return IssueSpace(issues, utilities, checked, bool(agreements.lotteries))


def _check_scores(party, table, by_name) -> dict:
    """One party's additive scores: every option of each scored discrete issue, no other."""
    party_scores = {}
    for issue_name, options in dict(table).items():
        issue = by_name.get(issue_name)
        if issue is None or issue.kind != "discrete":
            raise BargainingError(f"scores of {party}: {issue_name!r} is not a discrete issue")
        missing = [o for o in issue.options if o not in options]
        unknown = [o for o in options if o not in issue.options]
        if unknown:
            raise BargainingError(f"scores of {party} for {issue_name}: unknown option {unknown[0]!r} "
                                  f"(options: {', '.join(issue.options)})")
        if missing:
            raise BargainingError(f"scores of {party} for {issue_name}: no score for option {missing[0]!r}")
        party_scores[issue_name] = {o: coerce_entry(options[o], f"score of {party} for {issue_name} = {o}")
                                    for o in issue.options}
    return party_scores
