"""Issue-by-issue settlement versus the package deal, for issue-space bargaining problems.

Sebenius (1983) and Raiffa (1982) (domain.md §M10): negotiating each issue on
its own can leave joint gains on the table, or find no agreement at all, when
the parties weigh the issues differently; linking the issues in one package
lets each side concede what it values less.

Convention (status quo, not midpoint). Issue ``k`` is settled *on its own*:
the agreement covers issue ``k`` only, every other issue stays at its
**status-quo value** (what happens to it without a treaty), and the
disagreement point is the problem's no-deal point. The bargaining solution of
that one-issue problem settles issue ``k``; where its zone is empty, issue
``k`` stays at the status quo (no agreement on it). The settled values are
combined into one issue-by-issue outcome and compared with the package
solution (all issues at once).

Why the status quo rather than the midpoint of the other issues: a separate
negotiation can fail, and what its failure means is the status quo on that
issue, not a compromise that nobody has agreed to; with the midpoint
convention each one-issue problem would assume agreements on the other
issues that the separate talks have not (yet) produced, and the outcome would
depend on the order of the talks. With additive utilities the status-quo
convention makes the one-issue problems independent, so the order does not
matter.

The status quo is given as ``status_quo={issue: value or option}``; without
it, the point of the issue space whose utilities equal the no-deal point is
searched among the corners (continuous issues at their bounds, every option of
a discrete issue); the first match is used.

Exact for linear additive utilities (polygons, exact rational geometry);
otherwise as exact as the engine's analysis of each problem (see
:mod:`negotiation.bargaining.agreement_set`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Mapping

from negotiation.core.numeric import format_number, json_number
from negotiation.bargaining.problem import BargainingError, BargainingProblem, IssueSpace
from negotiation.bargaining.result import show, to_float

__all__ = ["IssueByIssueError", "IssueSettlement", "IssueByIssueResult", "restrict", "issue_by_issue",
           "status_quo_point"]

#: Relative tolerance when float utilities are compared with the no-deal point.
TOLERANCE = 1e-9
#: Most corner points searched for the status quo.
MAX_CORNERS = 100_000


class IssueByIssueError(BargainingError):
    """Bad input to :func:`restrict` or :func:`issue_by_issue` (one-line message)."""


# ---------------------------------------------------------------------- helpers
def _space(problem) -> IssueSpace:
    if not isinstance(problem.agreements, IssueSpace):
        raise IssueByIssueError(f"problem: issue-by-issue settlement needs an issue space, "
                                f"got agreements given as {problem.representation}")
    return problem.agreements


def _numeric(problem) -> BargainingProblem:
    return problem.substitute({}) if problem.is_symbolic else problem


def _value(issue, value, where):
    """A status-quo value checked against the issue: an option label, or a number in the range."""
    if issue.kind == "discrete":
        if value not in issue.options:
            raise IssueByIssueError(f"{where}: {value!r} is not an option of {issue.name} "
                                    f"({', '.join(issue.options)})")
        return value
    from negotiation.core.numeric import coerce_number

    try:
        number = coerce_number(value, where=where)
    except ValueError as error:
        raise IssueByIssueError(str(error)) from None
    if not issue.low <= number <= issue.high:
        raise IssueByIssueError(f"{where}: {format_number(number)} is outside the range of {issue.name} "
                                f"[{format_number(issue.low)}, {format_number(issue.high)}]")
    return number


def _sympy(value):
    import sympy

    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sympy.Float(value)
    return value


def _number(value):
    import sympy

    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, (Fraction, float, int)):
        return value
    return float(value)


def utilities_at(problem, point: Mapping) -> tuple:
    """Each party's utility at a full issue point ``{issue: value or option}`` (numeric problem).

    Examples
    --------
    >>> from negotiation.bargaining import Issue
    >>> p = BargainingProblem.from_issues([Issue.continuous("x", 0, 1)], {"A": "x", "B": "1 - x"}, disagreement=(0, 0))
    >>> utilities_at(p, {"x": "1/4"})
    (Fraction(1, 4), Fraction(3, 4))
    """
    space = _space(problem)
    replacement = {}
    for issue in space.issues:
        if issue.name not in point:
            raise IssueByIssueError(f"point: no value for issue {issue.name!r}")
        value = _value(issue, point[issue.name], f"point.{issue.name}")
        replacement[issue.symbol] = _sympy(issue.value_of(value) if issue.kind == "discrete" else value)
    values = []
    for utility, scores in zip(space.utilities, space.scores or ({} for _ in problem.parties)):
        total = _number(utility.xreplace(replacement))
        for name, table in scores.items():
            total = total + table[point[name]]
        values.append(total)
    return tuple(values)


def _equal(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) <= TOLERANCE * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


def status_quo_point(problem) -> dict:
    """The corner of the issue space whose utilities equal the no-deal point.

    Corners: continuous issues at their bounds, discrete issues at every
    option. Returns the first match (options in their order, continuous issues
    low before high); raises :class:`IssueByIssueError` if none matches.

    Examples
    --------
    >>> from negotiation.bargaining import Issue
    >>> p = BargainingProblem.from_issues([Issue.continuous("cut", 0, 1)],
    ...                                   {"A": "cut/2", "B": "1 - cut"}, disagreement=(0, 1))
    >>> status_quo_point(p)
    {'cut': Fraction(0, 1)}
    """
    problem = _numeric(problem)
    space = _space(problem)
    candidates = [issue.options if issue.kind == "discrete" else tuple(dict.fromkeys((issue.low, issue.high)))
                  for issue in space.issues]
    count = 1
    for values in candidates:
        count *= len(values)
    if count > MAX_CORNERS:
        raise IssueByIssueError(f"status_quo: {count} corner points are too many to search; "
                                "give status_quo={issue: value} explicitly")
    import numpy as np
    import sympy

    names = [issue.name for issue in space.issues]
    grids = np.meshgrid(*[np.array([to_float(issue.value_of(v)) if issue.kind == "discrete" else to_float(v)
                                    for v in values]) for issue, values in zip(space.issues, candidates)],
                        indexing="ij")
    close = np.ones(grids[0].shape if grids else (), dtype=bool)
    symbols = [issue.symbol for issue in space.issues]
    for utility, scores, d in zip(space.utilities, space.scores or ({} for _ in problem.parties),
                                  problem.disagreement):
        with np.errstate(all="ignore"):
            total = np.broadcast_to(np.asarray(sympy.lambdify(symbols, utility, "numpy")(*grids), dtype=float),
                                    close.shape).copy()
        for axis, (issue, values) in enumerate(zip(space.issues, candidates)):
            if issue.name in scores:
                shape = [1] * len(candidates)
                shape[axis] = len(values)
                total = total + np.array([to_float(scores[issue.name][v]) for v in values]).reshape(shape)
        close &= np.abs(total - to_float(d)) <= 1e-7 * np.maximum(1.0, np.abs(total))
    matches = []
    for position in zip(*np.nonzero(close)):  # confirm the float screen exactly (or within TOLERANCE)
        point = {name: values[int(k)] for name, values, k in zip(names, candidates, position)}
        if all(_equal(u, d) for u, d in zip(utilities_at(problem, point), problem.disagreement)):
            matches.append(point)
    if not matches:
        raise IssueByIssueError("status_quo: no corner of the issue space is worth exactly the no-deal point; "
                                "give status_quo={issue: value} (each issue's value without a treaty)")
    return matches[0]


# ---------------------------------------------------------------------- restriction
def restrict(problem, issues, status_quo=None) -> BargainingProblem:
    """The problem with the agreement limited to ``issues``; every other issue stays at its status quo.

    Parameters
    ----------
    problem : BargainingProblem
        An issue-space problem (parametric problems are evaluated at their defaults).
    issues : str or sequence of str
        The issues the agreement may cover.
    status_quo : mapping, optional
        Issue -> value (continuous) or option label (discrete) without a
        treaty, for at least the issues left out; default
        :func:`status_quo_point`.

    Returns
    -------
    BargainingProblem
        Same parties, disagreement point and weights; the other issues are
        substituted into the utilities (their additive scores become constants).

    Examples
    --------
    >>> from negotiation.bargaining import Issue, bargain
    >>> x, y = Issue.continuous("x", 0, 1), Issue.continuous("y", 0, 1)
    >>> p = BargainingProblem.from_issues([x, y], {"A": "x - y/2", "B": "y - x/2"}, disagreement=(0, 0))
    >>> bargain(restrict(p, "x", {"y": 0})).zone.empty      # x alone: B only loses
    False
    >>> bargain(restrict(p, "x", {"y": 0})).zone.gains
    (Fraction(0, 1), Fraction(0, 1))
    """
    problem = _numeric(problem)
    space = _space(problem)
    keep = [issues] if isinstance(issues, str) else list(issues)
    names = [issue.name for issue in space.issues]
    unknown = [name for name in keep if name not in names]
    if unknown:
        raise IssueByIssueError(f"issues: {unknown[0]!r} is not an issue of the problem ({', '.join(names)})")
    if not keep:
        raise IssueByIssueError("issues: keep at least one issue")
    dropped = [issue for issue in space.issues if issue.name not in keep]
    if dropped:
        if status_quo is None:
            status_quo = status_quo_point(problem)
        missing = [issue.name for issue in dropped if issue.name not in status_quo]
        if missing:
            raise IssueByIssueError(f"status_quo: no value for issue {missing[0]!r}")
    replacement, constants = {}, [0 for _ in problem.parties]
    for issue in dropped:
        value = _value(issue, status_quo[issue.name], f"status_quo.{issue.name}")
        replacement[issue.symbol] = _sympy(issue.value_of(value) if issue.kind == "discrete" else value)
        for index, scores in enumerate(space.scores or ()):
            if issue.name in scores:
                constants[index] = constants[index] + _sympy(scores[issue.name][value])
    utilities = tuple(u.xreplace(replacement) + c for u, c in zip(space.utilities, constants))
    scores = tuple({k: v for k, v in table.items() if k in keep} for table in space.scores) if space.scores else ()
    kept = tuple(issue for issue in space.issues if issue.name in keep)
    agreements = replace(space, issues=kept, utilities=utilities, scores=scores)
    title = f"{problem.title or 'problem'} restricted to {', '.join(i.name for i in kept)}"
    return BargainingProblem(problem.parties, agreements, problem.disagreement, title=title, weights=problem.weights,
                             parameters=problem.parameters, values=problem.values, notes=problem.notes)


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class IssueSettlement:
    """How one issue fares when negotiated on its own.

    Attributes
    ----------
    issue : str
    value : number or str
        The settled value (or option), or the status quo if no agreement.
    status_quo : number or str
    agreed : bool
        Whether the one-issue zone is non-empty (the issue moves only if the
        solution differs from the status quo).
    utilities : tuple or None
        The one-issue solution's utilities (others at the status quo).
    exact : bool
    method : str
    """

    issue: str
    value: object
    status_quo: object
    agreed: bool
    utilities: tuple | None
    exact: bool
    method: str

    def to_dict(self, parties) -> dict:
        return {"issue": self.issue, "value": _json(self.value), "status_quo": _json(self.status_quo),
                "agreed": self.agreed, "exact": self.exact, "method": self.method,
                "utilities": None if self.utilities is None else {p: json_number(u) for p, u in
                                                                   zip(parties, self.utilities)}}


@dataclass(frozen=True)
class IssueByIssueResult:
    """Issue-by-issue outcome versus package solution.

    Attributes
    ----------
    parties : tuple of str
    solution : str
        The bargaining solution used for every problem (``"nash"``, ...).
    status_quo : mapping
        Issue -> value without a treaty (the convention of this module).
    settlements : tuple of IssueSettlement
    issue_by_issue : mapping
        Issue -> value of the combined issue-by-issue outcome.
    issue_by_issue_utilities : tuple
    package : mapping or None
        Issue -> value of the package solution (None if the package zone is empty).
    package_utilities : tuple or None
    disagreement : tuple
    linkage_gains : tuple or None
        Package minus issue-by-issue utility, per party.
    dominated : bool
        Whether some package gives every party at least its issue-by-issue
        utility and someone strictly more (the issue-by-issue outcome is
        Pareto-dominated).
    exact : bool
    method : str
    messages : tuple of str
    """

    parties: tuple
    solution: str
    status_quo: Mapping
    settlements: tuple
    issue_by_issue: Mapping
    issue_by_issue_utilities: tuple
    package: Mapping | None
    package_utilities: tuple | None
    disagreement: tuple
    linkage_gains: tuple | None
    dominated: bool
    exact: bool
    method: str = "bargaining solution per issue (others at the status quo) vs the same solution on the package"
    messages: tuple = field(default=())

    @property
    def gains_by_party(self) -> dict:
        """Linkage gains by party (empty when the package zone is empty)."""
        return {} if self.linkage_gains is None else dict(zip(self.parties, self.linkage_gains))

    def to_dict(self) -> dict:
        """JSON-ready: exact numbers as fraction strings, floats as numbers."""
        parties = self.parties

        def by_party(values):
            return None if values is None else {p: json_number(v) for p, v in zip(parties, values)}

        return {
            "model": "issue_by_issue", "solution": self.solution, "parties": list(parties),
            "convention": "each issue settled alone, other issues at their status-quo values, "
                          "disagreement = the no-deal point",
            "status_quo": {k: _json(v) for k, v in self.status_quo.items()},
            "settlements": [s.to_dict(parties) for s in self.settlements],
            "issue_by_issue": {"terms": {k: _json(v) for k, v in self.issue_by_issue.items()},
                               "utilities": by_party(self.issue_by_issue_utilities)},
            "package": None if self.package is None else {
                "terms": {k: _json(v) for k, v in self.package.items()},
                "utilities": by_party(self.package_utilities)},
            "disagreement": by_party(self.disagreement),
            "linkage_gains": by_party(self.linkage_gains),
            "issue_by_issue_dominated": self.dominated,
            "exact": self.exact, "method": self.method, "messages": list(self.messages),
        }

    def _rows(self):
        rows = [("no deal", self.disagreement), ("issue by issue", self.issue_by_issue_utilities)]
        if self.package_utilities is not None:
            rows.append(("package", self.package_utilities))
            rows.append(("gain from linkage", self.linkage_gains))
        return rows

    def _verdict(self) -> str:
        if self.package_utilities is None:
            return "The package zone is empty: no agreement beats no deal for every party."
        if self.dominated:
            return ("The issue-by-issue outcome is Pareto-dominated: some package is better for one party "
                    "and no worse for any.")
        return "The issue-by-issue outcome is Pareto-efficient: linking the issues adds nothing."

    def to_text(self) -> str:
        """Plain-text report."""
        title = f"Issue by issue vs package ({self.solution} solution)"
        lines = [title, "=" * len(title),
                 "Convention: each issue negotiated alone, the others at their status-quo values; "
                 "no deal = the problem's no-deal point."]
        for s in self.settlements:
            outcome = f"settled at {_show(s.value)}" if s.agreed else "no agreement (stays at the status quo)"
            lines.append(f"  {s.issue}: {outcome} (status quo {_show(s.status_quo)})")
        lines.append("Issue-by-issue outcome: " + "; ".join(f"{k} = {_show(v)}" for k, v in self.issue_by_issue.items()))
        if self.package is not None:
            lines.append("Package: " + "; ".join(f"{k} = {_show(v)}" for k, v in self.package.items()))
        width = max(len(label) for label, _ in self._rows())
        lines.append(f"  {'':<{width}}  " + "  ".join(f"{p:>12}" for p in self.parties))
        for label, values in self._rows():
            lines.append(f"  {label:<{width}}  " + "  ".join(f"{show(v):>12}" for v in values))
        lines.append(self._verdict())
        lines.append(f"Method: {self.method} ({'exact' if self.exact else 'floating point'})")
        lines.extend(f"Note: {m}" for m in self.messages)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """Markdown report: settlements and a utility table."""
        lines = [f"**Issue by issue vs package** ({self.solution} solution; each issue alone, others at the "
                 "status quo)", "", "| issue | status quo | alone | package |", "| --- | --- | --- | --- |"]
        for s in self.settlements:
            alone = _show(s.value) if s.agreed else "no agreement"
            package = _show(self.package[s.issue]) if self.package is not None else "–"
            lines.append(f"| {s.issue} | {_show(s.status_quo)} | {alone} | {package} |")
        lines += ["", "| | " + " | ".join(self.parties) + " |", "| --- |" + " --- |" * len(self.parties)]
        for label, values in self._rows():
            lines.append(f"| {label} | " + " | ".join(show(v) for v in values) + " |")
        lines += ["", self._verdict()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def _show(value) -> str:
    return value if isinstance(value, str) else show(value)


def _json(value):
    return value if isinstance(value, str) else json_number(value)


# ---------------------------------------------------------------------- the comparison
def issue_by_issue(problem, solution: str = "nash", *, status_quo=None, values=None) -> IssueByIssueResult:
    """Settle each issue on its own, combine, and compare with the package solution.

    Parameters
    ----------
    problem : BargainingProblem or BargainingScenario
        With an issue space (a scenario is evaluated at ``values``, defaults
        for the rest).
    solution : str
        ``"nash"`` (default), ``"kalai_smorodinsky"``, ``"egalitarian"`` or ``"utilitarian"``.
    status_quo : mapping, optional
        Issue -> value without a treaty; default :func:`status_quo_point`.
    values : mapping, optional
        Parameter values.

    Returns
    -------
    IssueByIssueResult

    Examples
    --------
    Two pure-distribution issues, each worth more to a different side (Raiffa):
    alone, each issue stays at the status quo (one side always loses); the
    package trades them.

    >>> from negotiation.bargaining import Issue
    >>> x, y = Issue.continuous("x", 0, 1), Issue.continuous("y", 0, 1)
    >>> p = BargainingProblem.from_issues([x, y], {"NATO": "3*x - y", "Russia": "3*y - x"}, disagreement=(0, 0))
    >>> result = issue_by_issue(p, status_quo={"x": 0, "y": 0})
    >>> result.issue_by_issue_utilities, result.package_utilities, result.dominated
    ((Fraction(0, 1), Fraction(0, 1)), (Fraction(2, 1), Fraction(2, 1)), True)
    """
    from negotiation.bargaining.solutions import _names, bargain

    names = _names(solution)
    if len(names) != 1:
        raise IssueByIssueError(f"solution: give one solution name, got {solution!r}")
    name = names[0]
    if hasattr(problem, "problem_at"):
        problem = problem.problem_at(values or {})
    elif values or problem.is_symbolic:
        problem = problem.substitute(values or {})
    space = _space(problem)
    if status_quo is None:
        status_quo = status_quo_point(problem)
    unknown = [k for k in status_quo if k not in {i.name for i in space.issues}]
    if unknown:
        raise IssueByIssueError(f"status_quo: {unknown[0]!r} is not an issue ({', '.join(i.name for i in space.issues)})")
    missing = [i.name for i in space.issues if i.name not in status_quo]
    if missing:
        raise IssueByIssueError(f"status_quo: no value for issue {missing[0]!r}")
    status_quo = {i.name: _value(i, status_quo[i.name], f"status_quo.{i.name}") for i in space.issues}

    settlements, combined, exact, messages = [], {}, True, []
    for issue in space.issues:
        result = bargain(restrict(problem, [issue.name], status_quo), name)
        chosen = None if result.zone.empty else result.solutions.get(name)
        if chosen is not None and not any(to_float(u - d) > TOLERANCE * max(1.0, abs(to_float(d)))
                                          for u, d in zip(chosen.utilities, problem.disagreement)):
            chosen = None  # only the status quo is acceptable on this issue alone: no agreement on it
        if chosen is None:
            settlements.append(IssueSettlement(issue.name, status_quo[issue.name], status_quo[issue.name], False,
                                               None, result.exact, result.method))
            combined[issue.name] = status_quo[issue.name]
            continue
        value = chosen.agreement.terms[issue.name]
        settlements.append(IssueSettlement(issue.name, value, status_quo[issue.name], True, chosen.utilities,
                                           result.exact, result.method))
        combined[issue.name] = value
        exact = exact and result.exact
        messages += [f"{issue.name}: {m}" for m in chosen.notes]
    combined_utilities = utilities_at(problem, combined)

    package = bargain(problem, name)
    package_terms = package_utilities = gains = None
    if not package.zone.empty and package.solutions.get(name) is not None:
        chosen = package.solutions[name]
        package_terms = dict(chosen.agreement.terms)
        package_utilities = chosen.utilities
        gains = tuple(a - b for a, b in zip(package_utilities, combined_utilities))
        exact = exact and package.exact
    messages += list(package.messages)

    # Pareto dominance: the zone above the issue-by-issue point, and the best each party can get in it
    above = bargain(problem.with_disagreement(combined_utilities), "egalitarian").zone
    dominated = bool(not above.empty and above.gains is not None
                     and any(to_float(g) > TOLERANCE * max(1.0, abs(to_float(u)))
                             for g, u in zip(above.gains, combined_utilities)))
    exact = exact and above.exact and not any(isinstance(u, float) for u in combined_utilities)
    return IssueByIssueResult(problem.parties, name, status_quo, tuple(settlements), combined, combined_utilities,
                              package_terms, package_utilities, tuple(problem.disagreement), gains, dominated,
                              exact, messages=tuple(dict.fromkeys(messages)))
