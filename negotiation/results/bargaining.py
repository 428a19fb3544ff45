"""Results of bargaining analyses: agreements, solutions, the zone of possible agreement, the full report.

:class:`BargainingResult` is what :func:`negotiation.bargaining.bargain`, ``ng.solve`` on a bargaining
problem or scenario, and ``negotiation agree`` return: the problem, the zone of possible agreement
(:class:`AgreementSet`: empty or not, with a one-line description, its size and its Pareto
:class:`Frontier`), every requested :class:`Solution` (a point in utility space and the
:class:`Agreement` that implements it), whether the numbers are exact, and how they were obtained.
:class:`Sensitivity` holds the same analysis on a grid of one parameter. Exact numbers are
``fractions.Fraction`` (rationals) or sympy numbers (algebraic, e.g. ``sqrt(3)/3``); inexact ones are
floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from negotiation.core.document import Cell, Document, Table, Text, latex_escape, latex_number
from negotiation.core.numeric import format_number, is_sympy, json_number
from negotiation.models.bargaining import show, to_float
from negotiation.results.base import Result
from negotiation.results.machine import LABEL_SUFFIX, scale_of, snap_zero

__all__ = ["Agreement", "Solution", "FrontierPoint", "Frontier", "AgreementSet", "BargainingResult", "Sensitivity",
           "SOLUTION_TITLES", "PUBLISHED", "TOOLKIT", "json_map", "number_cell", "option_number", "term_cells",
           "json_terms"]

#: Provenance of a closed form: from the literature (a cited text, checked) or the toolkit's own ([D]).
PUBLISHED = "published"
TOOLKIT = "toolkit parametrisation"

#: Display names of the solution concepts.
SOLUTION_TITLES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}

#: Frontier points listed in the text of a result (the JSON carries every one).
FRONTIER_LINES = 12


# ---------------------------------------------------------------------- cells
def latex_value(value) -> str:
    """A number for LaTeX math mode: ``\\frac{3}{4}``; long exact values as ``\\approx 1.29559``."""
    shown = show(value)
    if shown.startswith("≈"):
        return "\\approx " + shown[1:]
    if isinstance(value, Fraction) or is_sympy(value):
        return latex_number(value)
    return format_number(value)


def number_cell(value, scale: float = 0.0) -> Cell | str:
    """A table cell for a number: :func:`~negotiation.models.bargaining.show` in text, exact in LaTeX.

    A float within :data:`~negotiation.results.machine.ZERO_TOLERANCE` × ``scale`` of zero shows as ``0``
    (``scale``: the largest magnitude in the table, :func:`~negotiation.results.machine.scale_of`)."""
    if value is None:
        return ""
    value = snap_zero(value, scale)
    return Cell(show(value), f"${latex_value(value)}$")


# ---------------------------------------------------------------------- option labels as numbers
#: An option label that states a number: ``600``, ``1,500`` (thousands separated by commas), ``-2.5``, ``3/4``.
_NUMBER_LABEL = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|[+-]?\d+/\d+")


def option_number(label: str) -> Fraction | None:
    """The number an option label states (``"1,500"`` -> 1500), or ``None`` for a word (``"no limit"``).

    Machine output (CSV, frames, JSON) carries this number in the issue's column and the label in
    ``<issue>_label``; a label that is not a number (``"no limit"``, ``"verified ban"``) leaves the
    number blank. A comma separates thousands only in groups of three digits (``"1,5"`` is a word).

    Examples
    --------
    >>> option_number("1,500"), option_number("600"), option_number("0.25"), option_number("no limit")
    (Fraction(1500, 1), Fraction(600, 1), Fraction(1, 4), None)
    """
    text = str(label).strip()
    if not _NUMBER_LABEL.fullmatch(text):
        return None
    return Fraction(text.replace(",", ""))


def term_cells(terms: Mapping, prefix: str = "") -> dict:
    """Agreement terms as record cells: each issue's number (an option label's :func:`option_number`) under
    ``prefix + issue``, and a discrete issue's option label under ``prefix + issue + "_label"``."""
    cells: dict[str, Any] = {}
    for issue, value in terms.items():
        if isinstance(value, str):
            cells[f"{prefix}{issue}"] = option_number(value)
            cells[f"{prefix}{issue}{LABEL_SUFFIX}"] = value
        else:
            cells[f"{prefix}{issue}"] = value
    return cells


def json_terms(terms: Mapping) -> dict:
    """Agreement terms for JSON: ``{"terms": {issue: number | null}, "labels": {issue: option}}`` (``labels``
    only when some issue is discrete; exact numbers as strings, floats as numbers)."""
    numbers = {str(k): json_number(option_number(v) if isinstance(v, str) else v) for k, v in terms.items()}
    labels = {str(k): v for k, v in terms.items() if isinstance(v, str)}
    return {"terms": numbers, **({"labels": labels} if labels else {})}


def json_map(mapping) -> dict:
    """A mapping with JSON-ready values (exact numbers as strings, symbolic ones as text)."""
    return {str(k): json_number(v) for k, v in mapping.items()}


def _issues(problem):
    """The issues of an issue-space problem (values are shown with their units), else None."""
    return problem.agreements.issues if problem.representation == "issues" else None


# ---------------------------------------------------------------------- agreements
@dataclass(frozen=True)
class Agreement:
    """What the parties sign: issue terms, a listed package, or a lottery over packages.

    Attributes
    ----------
    terms : mapping
        Issue name -> agreed value (continuous issues) or option label
        (discrete issues). Empty for problems stated in utility space.
    package : str or None
        Label of the package (finite package lists).
    lottery : mapping or None
        Package (or vertex) label -> probability, when the point is reached
        only by randomising (or time-sharing) between packages.

    Examples
    --------
    >>> Agreement({"troops": Fraction(3000), "missiles": "ban"}).describe()
    'troops = 3000; missiles = ban'
    >>> Agreement(lottery={"A": Fraction(1, 4), "B": Fraction(3, 4)}).describe()
    '1/4 A + 3/4 B'
    """

    terms: Mapping = field(default_factory=dict)
    package: str | None = None
    lottery: Mapping | None = None

    def describe(self, issues=None) -> str:
        """One line; with ``issues`` (a sequence of :class:`~negotiation.models.bargaining.Issue`) values carry units."""
        if self.package is not None:
            return self.package
        if self.lottery:
            return " + ".join(f"{show(p)} {label}" for label, p in self.lottery.items())
        by_name = {i.name: i for i in issues or ()}
        parts = []
        for name, value in self.terms.items():
            issue = by_name.get(name)
            parts.append(f"{name} = {issue.format(value) if issue else (value if isinstance(value, str) else show(value))}")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        data: dict[str, Any] = {}
        if self.terms:
            data.update(json_terms(self.terms))
        if self.package is not None:
            data["package"] = self.package
        if self.lottery:
            data["lottery"] = {k: json_number(v) for k, v in self.lottery.items()}
        return data


@dataclass(frozen=True)
class Solution:
    """One bargaining solution: the utilities it gives and the agreement that implements it.

    Attributes
    ----------
    name : str
        ``"nash"``, ``"kalai_smorodinsky"``, ``"egalitarian"`` or ``"utilitarian"``.
    parties : tuple of str
    utilities : tuple
        One utility per party (exact or float).
    agreement : Agreement or None
        None when the problem is stated in utility space only.
    exact : bool
    method : str
        How it was computed (``"closed form on the frontier edge"``, ``"HiGHS LP + exact rebuild"``…).
    options : mapping
        Weights used (asymmetric Nash, weighted utilitarian).
    notes : tuple of str
        Ties, degeneracies, certificates.
    """

    name: str
    parties: tuple
    utilities: tuple
    agreement: Agreement | None = None
    exact: bool = True
    method: str = ""
    options: Mapping = field(default_factory=dict)
    notes: tuple = ()

    @property
    def title(self) -> str:
        return SOLUTION_TITLES.get(self.name, self.name)

    def __getitem__(self, party) -> Any:
        return self.utilities[self.parties.index(party)]

    def gains(self, disagreement) -> tuple:
        return tuple(u - d for u, d in zip(self.utilities, disagreement))

    def to_dict(self) -> dict:
        data = {
            "utilities": {p: json_number(u) for p, u in zip(self.parties, self.utilities)},
            "utilities_float": {p: to_float(u) for p, u in zip(self.parties, self.utilities)},
            "agreement": self.agreement.to_dict() if self.agreement is not None else None,
            "exact": self.exact,
            "method": self.method,
        }
        if self.options:
            data["options"] = {k: {p: json_number(v) for p, v in val.items()} if isinstance(val, Mapping)
                               else json_number(val) for k, val in self.options.items()}
        if self.notes:
            data["notes"] = list(self.notes)
        return data


# ---------------------------------------------------------------------- the zone and its frontier
@dataclass(frozen=True)
class FrontierPoint:
    """A point of the Pareto frontier and the agreement that yields it."""

    utilities: tuple
    agreement: Agreement | None = None

    def to_dict(self, parties) -> dict:
        return {"utilities": {p: json_number(u) for p, u in zip(parties, self.utilities)},
                "agreement": self.agreement.to_dict() if self.agreement is not None else None}


@dataclass(frozen=True)
class Frontier:
    """The Pareto frontier of the zone of possible agreement.

    Attributes
    ----------
    points : tuple of FrontierPoint
        Ordered by the first party's utility (two parties).
    connected : tuple of bool
        ``connected[k]``: the segment from point ``k`` to ``k + 1`` belongs to
        the frontier (polygonal frontiers); false between separate packages.
    kind : str
        ``"polygonal"`` (exact vertices, straight segments), ``"points"``
        (finitely many packages), ``"sampled"`` (points on a curved frontier)
        or ``"vertices"`` (efficient extreme points, three or more parties).
    exact : bool
    """

    points: tuple = ()
    connected: tuple = ()
    kind: str = "points"
    exact: bool = True

    def __len__(self) -> int:
        return len(self.points)

    def describe(self) -> str:
        count = len(self.points)
        return {"polygonal": f"{count} vertices joined by straight segments",
                "points": f"{count} efficient packages",
                "sampled": f"{count} points sampled along a curved frontier",
                "vertices": f"{count} efficient extreme points"}[self.kind]

    def lines(self, issues=None) -> list[str]:
        """The frontier as text: a heading, then one line per point (the first :data:`FRONTIER_LINES`)."""
        if not self.points:
            return []
        lines = [f"Pareto frontier of the zone ({self.describe()}):"]
        scale = scale_of([u for point in self.points for u in point.utilities])
        for k, point in enumerate(self.points[:FRONTIER_LINES]):
            if k and self.kind == "polygonal" and not self.connected[k - 1]:
                lines.append("  (gap: the points before and after belong to different option combinations)")
            utilities = ", ".join(show(snap_zero(u, scale)) for u in point.utilities)
            agreement = f"  {point.agreement.describe(issues)}" if point.agreement is not None else ""
            lines.append(f"  ({utilities}){agreement}")
        if len(self.points) > FRONTIER_LINES:
            lines.append(f"  … {len(self.points) - FRONTIER_LINES} more points (see --format json)")
        return lines

    def to_dict(self, parties) -> dict:
        return {"kind": self.kind, "exact": self.exact,
                "points": [p.to_dict(parties) for p in self.points], "connected": list(self.connected)}


@dataclass(frozen=True, eq=False)
class AgreementSet(Result):
    """The zone of possible agreement of one numeric bargaining problem.

    Attributes
    ----------
    problem : BargainingProblem
    empty : bool
        True when no agreement gives every party at least its no-deal payoff.
    description : str
        One sentence for users, e.g. "No agreement beats no deal for both at
        these parameters: …".
    max_min_gain : number
        ``max over agreements of min_i (u_i - d_i)``: positive when some
        agreement gives everyone a strict gain, zero on the boundary, negative
        when the zone is empty (by how much the best compromise falls short).
    closest : FrontierPoint or None
        The agreement attaining ``max_min_gain``.
    ideal : tuple or None
        Each party's best utility within the zone (the ideal point).
    frontier : Frontier
    area : number or None
        Area of the zone in utility space (two parties, convex sets).
    issue_share : number or None
        Share of the issue space (continuous issues uniformly over their
        ranges, each combination of options equally) inside the zone.
    exact : bool
    method : str
    messages : tuple of str
    pieces : tuple
        The pieces the feasible set was split into (:mod:`negotiation.bargaining`); figures draw them.
    """

    problem: Any = field(repr=False)
    empty: bool
    description: str
    max_min_gain: Any
    closest: FrontierPoint | None
    ideal: tuple | None
    frontier: Frontier
    area: Any = None
    issue_share: Any = None
    exact: bool = True
    method: str = ""
    messages: tuple = ()
    pieces: tuple = field(default=(), repr=False)

    @property
    def parameters(self) -> Mapping:
        """The parameter values the problem was built with."""
        return self.problem.values

    @property
    def gains(self) -> tuple | None:
        """Each party's largest gain over no deal within the zone."""
        if self.ideal is None:
            return None
        return tuple(a - d for a, d in zip(self.ideal, self.problem.disagreement))

    def size_lines(self) -> list[str]:
        """How large the zone is, in words: the largest gains, the most even agreement, area and share."""
        parties = self.problem.parties
        scale = scale_of([*self.problem.disagreement, *(self.ideal or ()),
                          *(self.closest.utilities if self.closest is not None else ())])
        lines = []
        if self.gains is not None:
            lines.append("Largest gain over no deal: "
                         + ", ".join(f"{p} {show(snap_zero(g, scale))}" for p, g in zip(parties, self.gains)))
        if self.closest is not None:
            label = "Most even agreement" if not self.empty else "Closest agreement"
            agreement = self.closest.agreement
            text = f" ({agreement.describe(_issues(self.problem))})" if agreement is not None else ""
            lines.append(f"{label}: worst-off gain {show(snap_zero(self.max_min_gain, scale))} at "
                         f"({', '.join(show(snap_zero(u, scale)) for u in self.closest.utilities)}){text}")
        if self.area is not None:
            lines.append(f"Area of the zone in utility space: {show(self.area)}")
        if self.issue_share is not None:
            lines.append(f"Share of the issue space in the zone: {show(self.issue_share)}"
                         + (f" (≈ {to_float(self.issue_share):.4g})" if is_sympy(self.issue_share)
                            or isinstance(self.issue_share, Fraction) else ""))
        return lines

    def zone_lines(self) -> list[str]:
        """``Zone of possible agreement: …`` and the size lines, indented."""
        return [f"Zone of possible agreement: {self.description}", *(f"  {line}" for line in self.size_lines())]

    def to_records(self) -> list[dict]:
        """One record: the zone's key quantities (emptiness, worst-off gain, size, each party's largest gain)."""
        record = dict(self.parameters)
        record["zone"] = "empty" if self.empty else "non-empty"
        record["max_min_gain"] = self.max_min_gain
        if self.area is not None:
            record["area"] = self.area
        if self.issue_share is not None:
            record["issue_share"] = self.issue_share
        parties = self.problem.parties
        for party, gain in zip(parties, self.gains or (None,) * len(parties)):
            record[f"max gain {party}"] = gain
        return [record]

    def document(self) -> Document:
        heading = []
        if self.parameters:
            heading.append("Parameters: " + ", ".join(f"{k} = {show(v)}" for k, v in self.parameters.items()))
        heading.append(f"Method: {self.method} ({'exact' if self.exact else 'floating point'})")
        blocks = [Text(tuple(heading)), Text(tuple(self.zone_lines()))]
        frontier = self.frontier.lines(_issues(self.problem))
        if frontier:
            blocks.append(Text(tuple(frontier)))
        return Document(self.problem.title or "Bargaining problem", tuple(blocks), notes=tuple(self.messages))

    def zone_content(self) -> dict:
        """The ``"zone"`` object of ``negotiation agree --format json`` (shape in :class:`BargainingResult`)."""
        parties = self.problem.parties
        return {
            "empty": self.empty,
            "description": self.description,
            "ideal": None if self.ideal is None else {p: json_number(v) for p, v in zip(parties, self.ideal)},
            "max_min_gain": json_number(self.max_min_gain),
            "closest": None if self.closest is None else self.closest.to_dict(parties),
            "area": json_number(self.area),
            "issue_share": json_number(self.issue_share),
        }

    def _content(self) -> dict:
        return {"zone": self.zone_content(), "frontier": self.frontier.to_dict(self.problem.parties),
                "messages": list(self.messages)}


# ---------------------------------------------------------------------- the report
@dataclass(frozen=True, eq=False)
class BargainingResult(Result):
    """Zone of possible agreement, Pareto frontier and bargaining solutions of one numeric problem.

    Behaves as a sequence of its solutions; ``result["nash"]`` is one of them.

    Attributes
    ----------
    problem : BargainingProblem
        The numeric problem that was analysed.
    zone : AgreementSet
        The feasible agreement set: ``zone.empty``, ``zone.description``,
        ideal point, size, and the Pareto ``zone.frontier``.
    solutions : mapping name -> Solution
        Empty when the zone is empty.
    exact : bool
        Every reported number is exact.
    method : str
    parameters : mapping
        Parameter values the problem was built with.
    messages : tuple of str

    Notes
    -----
    ``to_dict()`` returns the JSON object printed by
    ``negotiation agree --format json`` (and ``negotiation solve`` on a bargaining model)::

        {
          "problem": {"title": str, "parties": [str, ...],
                      "representation": "packages" | "polytope" | "issues",
                      "issues": [{"name", "label", "kind": "continuous", "range": [lo, hi], "unit"}
                                 | {"name", "label", "kind": "discrete", "options": [str, ...]}],
                      "disagreement": {party: number},
                      "weights": {party: number},           # Nash bargaining weights used
                      "notes": [str, ...]},
          "parameters": {name: number},
          "method": str, "exact": bool, "complete": true, "degenerate": null,
          "zone": {"empty": bool, "description": str,
                   "ideal": {party: number} | null,       # best zone utility of each party
                   "max_min_gain": number,                # > 0: strict gains for all; < 0: empty
                   "closest": {"utilities": {...}, "agreement": {...}} | null,
                   "area": number | null,                 # two parties, convex sets
                   "issue_share": number | null},         # share of the issue space in the zone
          "frontier": {"kind": "polygonal" | "points" | "sampled" | "vertices", "exact": bool,
                       "points": [{"utilities": {party: number}, "agreement": {...} | null}, ...],
                       "connected": [bool, ...]},         # segment k joins points k and k+1
          "solutions": {name: {"utilities": {party: number}, "utilities_float": {party: float},
                               "agreement": {"terms": {issue: number | null},     # each key only when used
                                             "labels": {issue: option},         # discrete issues
                                             "package": str, "lottery": {label: number}} | null,
                               "exact": bool, "method": str,
                               "options": {"weights": {party: number}}        # Nash, weighted utilitarian
                                          | {"ideal": {party: number}},       # Kalai–Smorodinsky
                               "notes": [str, ...]}},                         # only when there are notes
          "messages": [str, ...]
        }

    Numbers follow the toolkit's JSON rule: exact values are strings
    (``"3/4"``; algebraic numbers in sympy syntax such as ``"sqrt(3)/3"``),
    floats are JSON numbers. A discrete issue's term is the number its option label states
    (``"1,500"`` -> ``"1500"``; ``null`` for a word such as ``"no limit"``) and its label is in
    ``labels``. Keys of ``solutions`` are ``nash``,
    ``kalai_smorodinsky``, ``egalitarian`` and ``utilitarian`` (those requested).
    """

    problem: Any = field(repr=False)
    zone: Any = field(repr=False)
    solutions: Mapping
    exact: bool
    method: str
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()

    _leading = ("problem",)

    def __len__(self) -> int:
        return len(self.solutions)

    def __iter__(self):
        return iter(self.solutions.values())

    def __getitem__(self, name) -> Solution:
        return self.solutions[name]

    @property
    def parties(self) -> tuple:
        return self.problem.parties

    # ------------------------------------------------------------------ the protocol
    def _content(self) -> dict:
        """The JSON object of ``negotiation agree --format json`` (shape in the class docstring)."""
        return {
            "problem": self.problem.to_dict(),
            "zone": self.zone.zone_content(),
            "frontier": self.zone.frontier.to_dict(self.problem.parties),
            "solutions": {name: s.to_dict() for name, s in self.solutions.items()},
            "messages": list(self.messages),
        }

    def to_records(self) -> list[dict]:
        """One flat dict per solution: parameters, solution, utilities and agreement terms by label."""
        records = []
        for name, solution in self.solutions.items():
            record = dict(self.parameters)
            record["solution"] = name
            for party, u in zip(self.parties, solution.utilities):
                record[f"utility {party}"] = u
            for party, u, d in zip(self.parties, solution.utilities, self.problem.disagreement):
                record[f"gain {party}"] = u - d
            if solution.agreement is not None:
                record.update(term_cells(solution.agreement.terms))
                if solution.agreement.package is not None:
                    record["package"] = solution.agreement.package
                if solution.agreement.lottery:
                    record["lottery"] = solution.agreement.describe()
            records.append(record)
        return records

    def document(self) -> Document:
        """Parties, no-deal point and method; the zone; the solutions and their agreements; the frontier."""
        blocks = [Text(tuple(self._heading())), Text(tuple(self.zone.zone_lines()))]
        if self.solutions:
            blocks.append(self.solutions_table())
            agreements = self._agreement_lines()
            if agreements:
                blocks.append(Text(tuple(agreements)))
        frontier = self.zone.frontier.lines(_issues(self.problem))
        if frontier:
            blocks.append(Text(tuple(frontier)))
        return Document(self.problem.title or "Bargaining problem", tuple(blocks), notes=tuple(self.messages))

    def solutions_table(self, agreements: bool = False) -> Table:
        """One row per solution: its utilities and gains over no deal (and, with ``agreements``, the
        agreement); the no-deal point in the footer."""
        parties = self.parties
        d = self.problem.disagreement
        header = ["solution", *(Cell(f"u {p}", f"$u_{{\\mathrm{{{latex_escape(p)}}}}}$") for p in parties),
                  *(f"gain {p}" for p in parties), *(["agreement"] if agreements else [])]
        issues = _issues(self.problem)
        rows = []
        # a float gain of -1e-14 beside utilities of magnitude 10 is rounding: shown as 0
        scale = scale_of([*d, *(u for solution in self.solutions.values() for u in solution.utilities)])
        for solution in self.solutions.values():
            cells = [solution.title, *(number_cell(u, scale) for u in solution.utilities),
                     *(number_cell(u - dv, scale) for u, dv in zip(solution.utilities, d))]
            if agreements:
                cells.append(solution.agreement.describe(issues) if solution.agreement is not None else "")
            rows.append(tuple(cells))
        footer = ("no deal (disagreement point)", *(number_cell(v, scale) for v in d),
                  *(number_cell(v - v, scale) for v in d), *(["no deal"] if agreements else []))
        return Table(tuple(header), tuple(rows), footer=(footer,))

    def _heading(self) -> list[str]:
        problem = self.problem
        lines = []
        if self.parameters:
            lines.append("Parameters: " + ", ".join(f"{k} = {show(v)}" for k, v in self.parameters.items()))
        lines.append("Parties: " + ", ".join(problem.parties) + f"; agreements: {_representation(problem)}")
        lines.append("No-deal point: " + ", ".join(f"{p} {show(v)}" for p, v in zip(problem.parties, problem.disagreement)))
        lines += [f"  ({note})" for note in problem.notes]
        lines.append(f"Method: {self.method} ({'exact' if self.exact else 'floating point'})")
        return lines

    def _agreement_lines(self) -> list[str]:
        issues = _issues(self.problem)
        lines = []
        for solution in self.solutions.values():
            if solution.agreement is not None:
                lines.append(f"{solution.title} agreement: {solution.agreement.describe(issues)}")
            lines += [f"  ({solution.title}: {note})" for note in solution.notes]
        return lines


def _representation(problem) -> str:
    agreements = problem.agreements
    if problem.representation == "packages":
        kind = f"{len(agreements.labels)} packages"
        return kind + (" (lotteries allowed)" if agreements.lotteries else "")
    if problem.representation == "polytope":
        if agreements.vertices:
            return f"polytope with {len(agreements.vertices)} vertices"
        return f"polytope of {len(agreements.inequalities)} inequalities"
    names = ", ".join(i.name for i in agreements.issues)
    return f"{len(agreements.issues)} issues ({names})"


# ---------------------------------------------------------------------- one parameter varied
@dataclass(frozen=True, eq=False)
class Sensitivity(Result):
    """The zone and the solutions on a grid of one parameter (:func:`negotiation.bargaining.sensitivity`).

    Attributes
    ----------
    parameter : str
    values : mapping
        The other parameters' values.
    results : tuple
        ``(value, BargainingResult or None, message)`` per grid point; None
        where the problem is undefined (the message says why).
    thresholds : tuple of Threshold
        Where the zone opens or closes (:func:`negotiation.bargaining.zone_thresholds`).
    parties : tuple of str
    """

    parameter: str
    values: Mapping
    results: tuple
    thresholds: tuple = ()
    parties: tuple = field(default=(), repr=False)

    @property
    def method(self) -> str:
        """How the grid was analysed and the thresholds found."""
        return ("bargaining analysis at each grid point; thresholds from the closest agreement's structure "
                "(sympy), else Brent's method")

    @property
    def exact(self) -> bool:
        """Every grid point's analysis and every threshold is exact."""
        return (all(r.exact for _, r, _ in self.results if r is not None)
                and all(t.exact for t in self.thresholds))

    @property
    def parameters(self) -> Mapping:
        """The other parameters' values (the grid's parameter varies)."""
        return self.values

    @property
    def messages(self) -> tuple:
        """Why the problem is undefined at some grid points."""
        return tuple(f"{self.parameter} = {show(value)}: {message}"
                     for value, result, message in self.results if result is None)

    def to_records(self) -> list[dict]:
        """One flat dict per grid point: zone size and every solution's utilities and terms, by label."""
        records = []
        for value, result, message in self.results:
            if result is None:
                records.append({self.parameter: value, "zone": "undefined", "note": message})
                continue
            record: dict[str, Any] = {self.parameter: value}
            zone = {k: v for k, v in result.zone.to_records()[0].items() if k not in result.parameters}
            record.update(zone)
            for name, solution in result.solutions.items():
                for party, u in zip(result.parties, solution.utilities):
                    record[f"{name}: {party}"] = u
                if solution.agreement is not None:
                    record.update(term_cells(solution.agreement.terms, prefix=f"{name}: "))
                    if solution.agreement.package is not None:
                        record[f"{name}: package"] = solution.agreement.package
            records.append(record)
        return records

    def document(self) -> Document:
        """The grid as a table (four significant digits), then where the zone opens or closes."""
        records = self.to_records()
        # the table shows an option's label where the records carry its number beside the label
        columns = list(dict.fromkeys(k for r in records for k in r if k != "note" and not k.endswith(LABEL_SUFFIX)))
        rows = tuple(tuple(_short(r[c + LABEL_SUFFIX] if c + LABEL_SUFFIX in r else r.get(c, "")) for c in columns)
                     for r in records)
        heading = []
        if self.values:
            heading.append("Other parameters: " + ", ".join(f"{k} = {show(v)}" for k, v in self.values.items()))
        heading.append(f"Method: {self.method}")
        blocks = [Text(tuple(heading)), Table(tuple(columns), rows)]
        if self.thresholds:
            blocks.append(Text(tuple(t.describe() for t in self.thresholds), style="list"))
        return Document(f"Sensitivity to {self.parameter}", tuple(blocks), notes=self.messages)

    def _content(self) -> dict:
        return {"parameter": self.parameter, "values": {k: json_number(v) for k, v in self.values.items()},
                "points": [{k: (v if isinstance(v, str) else json_number(v)) for k, v in r.items()}
                           for r in self.to_records()],
                "thresholds": [t.to_dict() for t in self.thresholds]}


def _short(value, digits: int = 4) -> str:
    """A table cell of a sensitivity grid: text as it is, whole numbers in full, others to ``digits`` digits."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, Fraction) and value.denominator == 1:
        return str(value.numerator)
    return f"{to_float(value):.{digits}g}"
