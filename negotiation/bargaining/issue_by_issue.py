"""Issue-by-issue settlement versus the package deal, for issue-space bargaining problems.

Sebenius (1983) and Raiffa (1982) [@Raiffa1982; @Sebenius1983]: negotiating each issue on
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

When *no* issue is settled on its own, no treaty is signed: the issue-by-issue
outcome is the no-deal point itself, and the gain from linkage is measured
from it. The status-quo point is then only a package nobody signed; where the
no-deal point is an arms race or treaties carry a cost, it is worth something
else than no deal, and measuring from it would misstate the gain.

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

from dataclasses import replace
from fractions import Fraction
from typing import Mapping

import numpy as np
import sympy

from negotiation.bargaining.solutions import bargain, solution_names
from negotiation.core.numeric import coerce_number, format_number
from negotiation.models.bargaining import BargainingError, BargainingProblem, IssueSpace, as_sympy, to_float
from negotiation.results.linkage import IssueByIssueResult, IssueSettlement

__all__ = ["IssueByIssueError", "restrict", "issue_by_issue", "status_quo_point", "utilities_at"]

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
    try:
        number = coerce_number(value, where=where)
    except ValueError as error:
        raise IssueByIssueError(str(error)) from None
    if not issue.low <= number <= issue.high:
        raise IssueByIssueError(f"{where}: {format_number(number)} is outside the range of {issue.name} "
                                f"[{format_number(issue.low)}, {format_number(issue.high)}]")
    return number


def _number(value):
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
        replacement[issue.symbol] = as_sympy(issue.value_of(value) if issue.kind == "discrete" else value)
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
        replacement[issue.symbol] = as_sympy(issue.value_of(value) if issue.kind == "discrete" else value)
        for index, scores in enumerate(space.scores or ()):
            if issue.name in scores:
                constants[index] = constants[index] + as_sympy(scores[issue.name][value])
    utilities = tuple(u.xreplace(replacement) + c for u, c in zip(space.utilities, constants))
    scores = tuple({k: v for k, v in table.items() if k in keep} for table in space.scores) if space.scores else ()
    kept = tuple(issue for issue in space.issues if issue.name in keep)
    agreements = replace(space, issues=kept, utilities=utilities, scores=scores)
    title = f"{problem.title or 'problem'} restricted to {', '.join(i.name for i in kept)}"
    return BargainingProblem(problem.parties, agreements, problem.disagreement, title=title, weights=problem.weights,
                             parameters=problem.parameters, values=problem.values, notes=problem.notes)


# ---------------------------------------------------------------------- the comparison
def issue_by_issue(problem: BargainingProblem, solution: str = "nash", *, status_quo=None,
                   values=None) -> IssueByIssueResult:
    """Settle each issue on its own, combine, and compare with the package solution.

    Parameters
    ----------
    problem : BargainingProblem
        With an issue space (a parametric problem is evaluated at ``values``, defaults for the rest;
        for a scenario, pass ``scenario.problem_at(values)``).
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
    names = solution_names(solution)
    if len(names) != 1:
        raise IssueByIssueError(f"solution: give one solution name, got {solution!r}")
    name = names[0]
    if values or problem.is_symbolic:
        problem = problem.substitute(values or {})
    status_quo = _checked_status_quo(problem, status_quo)
    settlements, messages = [], []
    for issue in _space(problem).issues:
        settlement, notes = _settle(problem, issue.name, status_quo, name)
        settlements.append(settlement)
        messages += notes
    combined = {s.issue: s.value for s in settlements}
    none_agreed = not any(s.agreed for s in settlements)
    if none_agreed:
        # Nothing is settled on its own, so no treaty is signed and the talks end in no deal: the
        # status-quo point is a package nobody agreed to (worth something else than no deal when
        # treaty costs or the arms race enter the no-deal point), so it cannot be the baseline.
        combined_utilities = tuple(problem.disagreement)
    else:
        combined_utilities = utilities_at(problem, combined)
    exact = all(s.exact for s in settlements if s.agreed)

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
                              exact, messages=tuple(dict.fromkeys(messages)), parameters=dict(problem.values),
                              none_agreed=none_agreed)


def _checked_status_quo(problem, status_quo) -> dict:
    """Every issue's value without a treaty, checked (default: :func:`status_quo_point`)."""
    space = _space(problem)
    if status_quo is None:
        status_quo = status_quo_point(problem)
    unknown = [k for k in status_quo if k not in {i.name for i in space.issues}]
    if unknown:
        raise IssueByIssueError(f"status_quo: {unknown[0]!r} is not an issue ({', '.join(i.name for i in space.issues)})")
    missing = [i.name for i in space.issues if i.name not in status_quo]
    if missing:
        raise IssueByIssueError(f"status_quo: no value for issue {missing[0]!r}")
    return {i.name: _value(i, status_quo[i.name], f"status_quo.{i.name}") for i in space.issues}


def _settle(problem, issue: str, status_quo, name) -> tuple[IssueSettlement, list]:
    """One issue negotiated alone (the others at the status quo) with the solution ``name``, and its notes."""
    result = bargain(restrict(problem, [issue], status_quo), name)
    chosen = None if result.zone.empty else result.solutions.get(name)
    if chosen is not None and not any(to_float(u - d) > TOLERANCE * max(1.0, abs(to_float(d)))
                                      for u, d in zip(chosen.utilities, problem.disagreement)):
        chosen = None  # only the status quo is acceptable on this issue alone: no agreement on it
    if chosen is None:
        return IssueSettlement(issue, status_quo[issue], status_quo[issue], False, None, result.exact,
                               result.method), []
    settlement = IssueSettlement(issue, chosen.agreement.terms[issue], status_quo[issue], True, chosen.utilities,
                                 result.exact, result.method)
    return settlement, [f"{issue}: {m}" for m in chosen.notes]
