"""Frozen results of bargaining analyses: agreements, solutions, and the full report.

:class:`BargainingResult` is what :func:`negotiation.bargaining.bargain` and
``negotiation agree`` return: the problem, the zone of possible agreement
(empty or not, with a one-line description), its Pareto frontier, every
requested solution (a point in utility space and the agreement that
implements it), whether the numbers are exact, and how they were obtained.
Exact numbers are ``fractions.Fraction`` (rationals) or sympy numbers
(algebraic, e.g. ``sqrt(3)/3``); inexact ones are floats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from negotiation.core.numeric import format_number, json_number, is_sympy as _is_sympy

__all__ = ["Agreement", "Solution", "BargainingResult", "SOLUTION_TITLES"]

#: Display names of the solution concepts.
SOLUTION_TITLES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}


# ---------------------------------------------------------------------- numbers
#: Exact values longer than this many characters are shown as ``≈`` decimals in text tables.
EXACT_WIDTH = 12


def show(value, digits: int = 6) -> str:
    """A number as users read it: ``3/4``, ``sqrt(3)/3``, ``0.123457``; long exact values as ``≈1.29559``.

    Text, Markdown and LaTeX reports use this; JSON always carries the exact value.

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
    """Any number of a result as a float."""
    if isinstance(value, Fraction):
        return value.numerator / value.denominator
    return float(value)


def latex_value(value) -> str:
    shown = show(value)
    if shown.startswith("≈"):
        return "\\approx " + shown[1:]
    if isinstance(value, Fraction):
        from negotiation.report.tables import latex_number

        return latex_number(value)
    if _is_sympy(value):
        import sympy

        return sympy.latex(value)
    return format_number(value)


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
        """One line; with ``issues`` (a sequence of :class:`Issue`) values carry units."""
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
            data["terms"] = {k: v if isinstance(v, str) else json_number(v) for k, v in self.terms.items()}
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


# ---------------------------------------------------------------------- the report
@dataclass(frozen=True, eq=False)
class BargainingResult:
    """Zone of possible agreement, Pareto frontier and bargaining solutions of one numeric problem.

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
    ``negotiation agree --format json``::

        {
          "problem": {"title": str, "parties": [str, ...],
                      "representation": "packages" | "polytope" | "issues",
                      "issues": [{"name", "label", "kind": "continuous", "range": [lo, hi], "unit"}
                                 | {"name", "label", "kind": "discrete", "options": [str, ...]}],
                      "disagreement": {party: number},
                      "weights": {party: number},           # Nash bargaining weights used
                      "notes": [str, ...]},
          "parameters": {name: number},
          "exact": bool, "method": str,
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
                               "agreement": {"terms": {issue: number | option},   # each key only when used
                                             "package": str, "lottery": {label: number}} | null,
                               "exact": bool, "method": str,
                               "options": {"weights": {party: number}}        # Nash, weighted utilitarian
                                          | {"ideal": {party: number}},       # Kalai–Smorodinsky
                               "notes": [str, ...]}},                         # only when there are notes
          "messages": [str, ...]
        }

    Numbers follow the toolkit's JSON rule: exact values are strings
    (``"3/4"``; algebraic numbers in sympy syntax such as ``"sqrt(3)/3"``),
    floats are JSON numbers. Keys of ``solutions`` are ``nash``,
    ``kalai_smorodinsky``, ``egalitarian`` and ``utilitarian`` (those requested).
    """

    problem: Any = field(repr=False)
    zone: Any = field(repr=False)
    solutions: Mapping
    exact: bool
    method: str
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()

    def __len__(self) -> int:
        return len(self.solutions)

    def __iter__(self):
        return iter(self.solutions.values())

    def __getitem__(self, name) -> Solution:
        return self.solutions[name]

    @property
    def parties(self) -> tuple:
        return self.problem.parties

    # ------------------------------------------------------------------ conversions
    def to_dict(self) -> dict:
        """The JSON object of ``negotiation agree --format json`` (shape in the class docstring)."""
        problem = self.problem
        issues = []
        if problem.representation == "issues":
            for issue in problem.agreements.issues:
                item = {"name": issue.name, "label": issue.title, "kind": issue.kind}
                if issue.kind == "continuous":
                    item["range"] = [json_number(issue.low), json_number(issue.high)]
                    item["unit"] = issue.unit
                else:
                    item["options"] = list(issue.options)
                issues.append(item)
        data = {
            "problem": {
                "title": problem.title,
                "parties": list(problem.parties),
                "representation": problem.representation,
                "issues": issues,
                "disagreement": {p: json_number(v) for p, v in zip(problem.parties, problem.disagreement)},
                "weights": {p: json_number(v) for p, v in zip(problem.parties, problem.bargaining_weights)},
                "notes": list(problem.notes),
            },
            "parameters": {k: json_number(v) for k, v in self.parameters.items()},
            "exact": self.exact,
            "method": self.method,
            "zone": self.zone.to_dict(),
            "frontier": self.zone.frontier.to_dict(problem.parties),
            "solutions": {name: s.to_dict() for name, s in self.solutions.items()},
            "messages": list(self.messages),
        }
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

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
                for issue, value in solution.agreement.terms.items():
                    record[issue] = value
                if solution.agreement.package is not None:
                    record["package"] = solution.agreement.package
                if solution.agreement.lottery:
                    record["lottery"] = solution.agreement.describe()
            records.append(record)
        return records

    def to_text(self) -> str:
        """Plain-text report for the terminal."""
        lines = [self.problem.title or "Bargaining problem"]
        lines += self._header_lines()
        lines.append("")
        lines.append(f"Zone of possible agreement: {self.zone.description}")
        lines += [f"  {line}" for line in self.zone.size_lines()]
        if self.solutions:
            lines.append("")
            header, rows = self._solution_rows()
            lines += _align(header, rows)
            lines += self._agreement_lines()
        lines += self._frontier_lines()
        for message in self.messages:
            lines.append(f"Note: {message}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown: a caption, the zone, a table of solutions, the frontier."""
        lines = [f"**{self.problem.title or 'Bargaining problem'}**"]
        lines += [f"{line}  " for line in self._header_lines()]
        lines += ["", f"*Zone of possible agreement:* {self.zone.description}"]
        for line in self.zone.size_lines():
            lines.append(f"- {line}")
        if self.solutions:
            header, rows = self._solution_rows(with_agreement=True)
            lines += ["", "| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
            for row in rows:
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
        frontier = [line for line in self._frontier_lines() if line]
        if frontier:
            lines += ["", frontier[0]] + [f"- {line.strip()}" for line in frontier[1:]]
        for message in self.messages:
            lines += ["", f"*Note:* {message}"]
        return "\n".join(lines)

    def to_latex(self) -> str:
        """A booktabs ``tabular`` of the solutions (needs ``\\usepackage{booktabs}``)."""
        from negotiation.report.tables import _latex_escape

        parties = self.parties
        lines = [f"% {_latex_escape(self.problem.title or 'Bargaining problem')}: {_latex_escape(self.method)}"]
        if self.parameters:
            lines.append("% parameters: " + ", ".join(f"{k} = {show(v)}" for k, v in self.parameters.items()))
        lines.append("% zone: " + _latex_escape(self.zone.description))
        columns = ["solution"] + [f"$u_{{\\mathrm{{{_latex_escape(p)}}}}}$" for p in parties] + ["agreement"]
        lines.append("\\begin{tabular}{l" + "r" * len(parties) + "l}")
        lines.append("\\toprule")
        lines.append(" & ".join(columns) + " \\\\")
        lines.append("\\midrule")
        d = self.problem.disagreement
        lines.append(" & ".join(["disagreement"] + [f"${latex_value(v)}$" for v in d] + ["no deal"]) + " \\\\")
        issues = self.problem.agreements.issues if self.problem.representation == "issues" else None
        for solution in self.solutions.values():
            agreement = solution.agreement.describe(issues) if solution.agreement is not None else ""
            cells = [_latex_escape(solution.title)] + [f"${latex_value(u)}$" for u in solution.utilities]
            cells.append(_latex_escape(agreement))
            lines.append(" & ".join(cells) + " \\\\")
        lines.append("\\bottomrule")
        lines.append("\\end{tabular}")
        return "\n".join(lines)

    def to_csv(self) -> str:
        """The records as CSV (exact values as fraction strings)."""
        import csv
        import io

        records = self.to_records()
        if not records:
            return ""
        fields = list(dict.fromkeys(k for r in records for k in r))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: v if isinstance(v, str) else _csv_value(v) for k, v in record.items()})
        return buffer.getvalue()

    def plot(self, ax=None, **options):
        """The agreement set in utility space (see :func:`negotiation.bargaining.plots.plot_agreement_set`)."""
        from negotiation.bargaining.plots import plot_agreement_set

        return plot_agreement_set(self, ax=ax, **options)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    # ------------------------------------------------------------------ pieces of the reports
    def _header_lines(self) -> list[str]:
        problem = self.problem
        lines = []
        if self.parameters:
            lines.append("Parameters: " + ", ".join(f"{k} = {show(v)}" for k, v in self.parameters.items()))
        lines.append("Parties: " + ", ".join(problem.parties) + f"; agreements: {_representation(problem)}")
        lines.append("No-deal point: " + ", ".join(f"{p} {show(v)}" for p, v in zip(problem.parties, problem.disagreement)))
        for note in problem.notes:
            lines.append(f"  ({note})")
        lines.append(f"Method: {self.method} ({'exact' if self.exact else 'floating point'})")
        return lines

    def _solution_rows(self, with_agreement: bool = False):
        parties = self.parties
        d = self.problem.disagreement
        header = ["solution", *(f"u {p}" for p in parties), *(f"gain {p}" for p in parties)]
        if with_agreement:
            header.append("agreement")
        issues = self.problem.agreements.issues if self.problem.representation == "issues" else None
        rows = []
        for solution in self.solutions.values():
            cells = [solution.title]
            cells += [show(u) for u in solution.utilities]
            cells += [show(u - dv) for u, dv in zip(solution.utilities, d)]
            if with_agreement:
                cells.append(solution.agreement.describe(issues) if solution.agreement is not None else "")
            rows.append(cells)
        return header, rows

    def _agreement_lines(self) -> list[str]:
        issues = self.problem.agreements.issues if self.problem.representation == "issues" else None
        lines = []
        for solution in self.solutions.values():
            if solution.agreement is not None:
                lines.append(f"{solution.title} agreement: {solution.agreement.describe(issues)}")
            for note in solution.notes:
                lines.append(f"  ({solution.title}: {note})")
        return [""] + lines if lines else []

    def _frontier_lines(self) -> list[str]:
        frontier = self.zone.frontier
        if not frontier.points:
            return []
        limit = 12
        lines = ["", f"Pareto frontier of the zone ({frontier.describe()}):"]
        issues = self.problem.agreements.issues if self.problem.representation == "issues" else None
        shown = frontier.points if len(frontier.points) <= limit else frontier.points[:limit]
        for k, point in enumerate(shown):
            if k and frontier.kind == "polygonal" and not frontier.connected[k - 1]:
                lines.append("  (gap: the points before and after belong to different option combinations)")
            utilities = ", ".join(show(u) for u in point.utilities)
            agreement = f"  {point.agreement.describe(issues)}" if point.agreement is not None else ""
            lines.append(f"  ({utilities}){agreement}")
        if len(frontier.points) > limit:
            lines.append(f"  … {len(frontier.points) - limit} more points (see --format json)")
        return lines


def _csv_value(value) -> str:
    """Exact values in full (``-6787359/5238800``, ``sqrt(3)/3``), floats with every digit."""
    if isinstance(value, float):
        return repr(value)
    return str(value)


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


def _align(header, rows) -> list[str]:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    return lines
