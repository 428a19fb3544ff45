"""How the zone of possible agreement and the solutions move as one parameter changes.

:func:`sensitivity` analyses a parametric problem (or a bargaining scenario)
on a grid of values of one parameter, the others held at given values or their
defaults: whether the zone is empty, how large it is, and where every solution
lies. :func:`zone_thresholds` finds the values at which the zone opens or
closes.

Thresholds, symbolically where possible
---------------------------------------
The zone is non-empty exactly when ``phi(p) = max over agreements of
min_i (u_i - d_i) >= 0``. Between grid points where ``phi`` changes sign, the
agreement that comes closest to satisfying everyone identifies the local
structure: a single package, or a point on the frontier edge along which one
issue is being conceded. Writing that structure with *every* parameter as a
symbol gives an equation -- ``u_j(package) = d_j`` for the party that is short,
or "the edge's line passes through ``d``" -- whose solution for ``p`` is the
threshold as a formula in the other parameters (valid near the point analysed).
It is evaluated exactly at the given values and checked against a direct
computation of the zone; where this fails the threshold is found numerically
(Brent's method on ``phi``) and marked inexact.

Limit
-----
Every point is a whole bargaining analysis (a problem built from its formulas, the zone, the
solutions): 1 ms for a few packages, about 18 ms for a bundled issue space. A grid is therefore
refused above :data:`MAX_POINTS` points (``max_points=N`` raises it; the CLI's ``agree --max-points``)
before any point is computed, from its ``num`` or its length alone.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Callable, Mapping

import sympy

from negotiation.bargaining.agreement_set import agreement_set
from negotiation.bargaining.numbers import compare, simplify
from negotiation.bargaining.solutions import bargain
from negotiation.core.errors import SolverLimitError
from negotiation.core.numeric import coerce_number
from negotiation.core.progress import iterate
from negotiation.models.bargaining import (BargainingError, BargainingProblem, IssueSpace, Packages, Polytope,
                                           as_sympy, to_float)
from negotiation.results.bargaining import Agreement, Sensitivity
from negotiation.results.thresholds import Threshold

__all__ = ["Threshold", "sensitivity", "zone_thresholds", "issue_utilities", "MAX_POINTS", "check_points"]

#: Points of one sensitivity grid unless ``max_points=`` says otherwise: 25 points of the bundled
#: ``infrastructure_limits`` (an issue space, 18 ms a point) take 1.4 s of CPU, the ``agree`` command's
#: start-up included (50 points: 1.8 s).
MAX_POINTS = 25


# ---------------------------------------------------------------------- evaluation
class _Family:
    """A parametric problem and how it becomes numeric at a point (``substitute``, or a scenario's ``problem_at``)."""

    def __init__(self, problem: BargainingProblem, problem_at: Callable | None = None):
        self.problem = problem
        self.parameters = problem.parameters
        self.at = problem_at if problem_at is not None else problem.substitute

    def range(self, name):
        try:
            parameter = self.parameters[name]
        except KeyError:
            raise BargainingError(f"unknown parameter {name!r} (parameters: "
                                  f"{', '.join(self.parameters.names) or 'none'})") from None
        return parameter.low, parameter.high

    def phi(self, values):
        """The zone at the values (its ``max_min_gain`` decides), or None where the problem is undefined."""
        try:
            return agreement_set(self.at(values))
        except ValueError:
            return None


def check_points(count: int, max_points=None, where: str = "grid") -> int:
    """Refuse ``count`` points above ``max_points`` (default :data:`MAX_POINTS`); the limit used.

    Examples
    --------
    >>> check_points(100_000_000, where="--sweep omega")
    Traceback (most recent call last):
    ...
    negotiation.core.errors.SolverLimitError: --sweep omega: 100,000,000 points, more than the limit of 25 (raise it with max_points= / --max-points N)
    """
    if max_points is None:
        max_points = MAX_POINTS
    if isinstance(max_points, bool) or not isinstance(max_points, int) or max_points < 1:
        raise BargainingError(f"max_points must be a whole number >= 1, got {max_points!r}")
    if count > max_points:
        raise SolverLimitError(f"{where}: {count:,} points, more than the limit of {max_points:,} "
                               "(raise it with max_points= / --max-points N)")
    return max_points


def _points(family, parameter, grid, num, max_points) -> list:
    """The grid's values, its size checked first (a generator is read one point past the limit at most)."""
    if grid is None:
        check_points(num, max_points, f"{parameter}: num")
        return _grid(*family.range(parameter), num)
    if hasattr(grid, "__len__"):
        check_points(len(grid), max_points, f"{parameter}: grid")
        return list(grid)
    limit = check_points(0, max_points)
    points = list(itertools.islice(grid, limit + 1))
    check_points(len(points), limit, f"{parameter}: grid")
    return points


def _grid(low, high, num):
    if low is None or high is None:
        raise BargainingError("the parameter has no range: give grid=[...] explicitly")
    low, high = coerce_number(low), coerce_number(high)
    if num < 2:
        return [low]
    return [low + (high - low) * Fraction(k, num - 1) if isinstance(high - low, Fraction)
            else low + (high - low) * k / (num - 1) for k in range(num)]


def sensitivity(problem: BargainingProblem, parameter: str, values: Mapping | None = None, *, grid=None,
                num: int = 11, solution="all", thresholds: bool = True, problem_at: Callable | None = None,
                max_points: int | None = None) -> Sensitivity:
    """Zone and solutions on a grid of one parameter (others fixed).

    Parameters
    ----------
    problem : BargainingProblem
        A parametric problem.
    parameter : str
    values : mapping, optional
        Values of the other parameters (default: their defaults).
    grid : sequence, optional
        Values of ``parameter`` (default: ``num`` evenly spaced points of its range).
    solution : str or sequence
        Solutions to compute at each point (as in :func:`bargain`).
    thresholds : bool
        Also locate where the zone opens or closes (:func:`zone_thresholds`).
    problem_at : callable, optional
        Parameter values -> the numeric problem (default ``problem.substitute``). A bargaining
        scenario passes its own (``scenario.sensitivity(...)``), which also checks its assumptions
        and its no-deal reference; a point it rejects is reported as undefined.
    max_points : int, optional
        The most points of the grid (default :data:`MAX_POINTS`), checked before any is computed.

    Returns
    -------
    Sensitivity

    Examples
    --------
    >>> import sympy
    >>> from negotiation.bargaining import BargainingProblem
    >>> from negotiation.core.parameters import Parameter, ParameterSpace
    >>> c = sympy.Symbol("c")
    >>> p = BargainingProblem.from_packages({"deal": (1, 1)}, ("NATO", "Russia"), (c, 0),
    ...     parameters=ParameterSpace((Parameter("c", Fraction(0), low=Fraction(0), high=Fraction(2)),)))
    >>> s = sensitivity(p, "c", num=5)
    >>> [r["zone"] for r in s.to_records()]
    ['non-empty', 'non-empty', 'non-empty', 'empty', 'empty']
    >>> s.thresholds[0].value, s.thresholds[0].opens
    (Fraction(1, 1), False)
    """
    family = _Family(problem, problem_at)
    base = dict(values or {})
    base.pop(parameter, None)
    points = _points(family, parameter, grid, num, max_points)
    results = []
    for value in iterate(points, f"bargaining over {parameter}", unit="values"):  # a bar on a terminal only
        value = coerce_number(value)
        try:
            result = bargain(family.at({**base, parameter: value}), solution)
            results.append((value, result, ""))
        except ValueError as error:
            results.append((value, None, str(error).split(": ", 1)[-1] if ": " in str(error) else str(error)))
    found = ()
    if thresholds:
        found = tuple(_thresholds_from(family, parameter, base,
                                       [(v, r.zone if r is not None else None) for v, r, _ in results]))
    return Sensitivity(parameter, base, tuple(results), found, family.problem.parties)


def zone_thresholds(problem: BargainingProblem, parameter: str, values: Mapping | None = None, *, grid=None,
                    num: int = 21, problem_at: Callable | None = None, max_points: int | None = None) -> list:
    """Values of ``parameter`` at which the zone of possible agreement opens or closes.

    Parameters
    ----------
    problem : BargainingProblem
        A parametric problem.
    parameter : str
    values : mapping, optional
        The other parameters (default: their defaults).
    grid : sequence, optional
        Points at which the sign of ``max_min_gain`` is sampled (default:
        ``num`` points of the parameter's range); thresholds between two
        samples of equal sign are not seen.
    problem_at : callable, optional
        Parameter values -> the numeric problem (as in :func:`sensitivity`).
    max_points : int, optional
        The most points of the grid (default :data:`MAX_POINTS`), checked before any is computed.

    Returns
    -------
    list of Threshold

    Examples
    --------
    >>> import sympy
    >>> from negotiation.bargaining import BargainingProblem
    >>> from negotiation.core.parameters import Parameter, ParameterSpace
    >>> w = sympy.Symbol("w")
    >>> p = BargainingProblem.from_inequalities([((1, 1), 1)], ("A", "B"), (w - 1, w - 1),
    ...     parameters=ParameterSpace((Parameter("w", Fraction(0), low=Fraction(0), high=Fraction(3)),)))
    >>> [(t.value, t.opens) for t in zone_thresholds(p, "w")]
    [(Fraction(3, 2), False)]
    """
    family = _Family(problem, problem_at)
    base = dict(values or {})
    base.pop(parameter, None)
    points = _points(family, parameter, grid, num, max_points)
    samples = [(coerce_number(v), family.phi({**base, parameter: coerce_number(v)})) for v in points]
    return _thresholds_from(family, parameter, base, samples)


def _thresholds_from(family, parameter, base, samples) -> list:
    found = []
    for (a, zone_a), (b, zone_b) in zip(samples, samples[1:]):
        if zone_a is None or zone_b is None or zone_a.empty == zone_b.empty:
            continue
        found.append(_locate(family, parameter, base, a, zone_a, b, zone_b))
    return found


def _locate(family, parameter, base, a, zone_a, b, zone_b) -> Threshold:
    """The threshold between ``a`` and ``b`` (the zone is empty at exactly one of them)."""
    opens = zone_a.empty
    inside = zone_b if opens else zone_a  # the non-empty end: its closest agreement gives the structure
    for _ in range(6):
        threshold = _symbolic(family, parameter, base, a, b, inside, opens)
        if threshold is not None:
            return threshold
        # move the non-empty end towards the threshold and try again
        middle = (a + b) / 2
        zone_m = family.phi({**base, parameter: middle})
        if zone_m is None:
            break
        if zone_m.empty == zone_a.empty:
            a, zone_a = middle, zone_m
        else:
            b, zone_b = middle, zone_m
        inside = zone_b if opens else zone_a
    return _numeric(family, parameter, base, a, b, opens)


def _numeric(family, parameter, base, a, b, opens) -> Threshold:
    from scipy.optimize import brentq

    def phi(x):
        zone = family.phi({**base, parameter: x})
        return to_float(zone.max_min_gain) if zone is not None else float("nan")

    value = brentq(phi, to_float(a), to_float(b), xtol=1e-12, rtol=1e-12)
    zone = family.phi({**base, parameter: value})
    agreement = zone.closest.agreement if zone is not None and zone.closest is not None else None
    return Threshold(parameter, value=value, opens=opens, boundary="max over agreements of the worst-off gain = 0",
                     agreement=agreement, exact=False, method="Brent's method on the worst-off gain")


def _symbolic(family, parameter, base, a, b, inside, opens) -> Threshold | None:
    """The threshold from the structure of the closest agreement, solved with sympy; None if it does not apply."""
    problem = family.problem
    closest = inside.closest
    if closest is None:
        return None
    for structure in _structures(problem, inside):
        threshold = _solve_structure(family, parameter, base, a, b, inside, opens, structure)
        if threshold is not None:
            return threshold
    return None


def _solve_structure(family, parameter, base, a, b, inside, opens, structure):
    """Try the equations a structure offers; the first whose root in ``[a, b]`` checks out is the threshold."""
    problem = family.problem
    symbols = {**{param.name: param.symbol for param in family.parameters}, **problem.symbols}
    if parameter not in symbols:
        return None
    d = [as_sympy(x) for x in problem.disagreement]
    kind, rows, agreement = structure
    if agreement is not None and any(isinstance(v, float) for v in agreement.terms.values()):
        return None  # a numeric agreement cannot give an exact threshold
    if kind == "point":
        (utilities,) = rows
        equations = [(u - dv, f"{party}'s utility of the agreement equals its no-deal payoff")
                     for u, dv, party in zip(utilities, d, problem.parties)]
    elif kind == "facet":
        a_row, b_value = rows
        equations = [(sum(x * y for x, y in zip(a_row, d)) - b_value,
                      "the no-deal point lies on the facet of the feasible set nearest to it")]
    else:
        up, uq = rows
        # the line through U_P and U_Q passes through d
        equations = [((uq[0] - up[0]) * (d[1] - up[1]) - (uq[1] - up[1]) * (d[0] - up[0]),
                      "the frontier edge along which the split issue is conceded passes through the no-deal point")]
    for equation, condition in equations:
        threshold = _root(family, parameter, base, a, b, opens, symbols, equation, condition, agreement)
        if threshold is not None:
            return threshold
    return None


def _root(family, parameter, base, a, b, opens, symbols, equation, condition, agreement):
    p = symbols[parameter]
    resolved = family.parameters.resolve({**base, parameter: a})
    others = {symbols[k]: as_sympy(v) for k, v in resolved.items() if k != parameter and k in symbols}
    local = sympy.expand(equation.xreplace(others))
    if not local.free_symbols <= {p} or p not in local.free_symbols:
        return None
    try:
        roots = sympy.solve(local, p)
    except (NotImplementedError, ValueError, TypeError):
        return None
    lo, hi = (a, b) if to_float(a) <= to_float(b) else (b, a)
    candidates = [r for r in roots if r.is_real and compare(r, lo) >= 0 and compare(r, hi) <= 0]
    if len(candidates) != 1:
        return None
    value = simplify(candidates[0])
    # check against a direct computation of the zone at the value (exactly where the value is rational)
    if isinstance(value, Fraction):
        zone = family.phi({**base, parameter: value})
        if zone is None or compare(zone.max_min_gain, 0) != 0:
            return None
    else:
        zone = family.phi({**base, parameter: to_float(value)})
        if zone is None or abs(to_float(zone.max_min_gain)) > 1e-7 * max(1.0, abs(to_float(value))):
            return None
    formula = None
    try:
        general = sympy.solve(sympy.expand(equation), p)
        matching = [g for g in general if g.free_symbols and _close(g.xreplace(others), value)]
        if len(matching) == 1:
            formula = sympy.simplify(matching[0])
    except (NotImplementedError, ValueError, TypeError):
        formula = None
    return Threshold(parameter, formula, value, boundary=condition, opens=opens, agreement=agreement, exact=True,
                     method="symbolic: the closest agreement's structure, solved with sympy and checked")


def _close(expression, value) -> bool:
    try:
        return abs(float(expression) - to_float(value)) <= 1e-9 * max(1.0, abs(to_float(value)))
    except (TypeError, ValueError):
        return False


def _structures(problem, inside):
    """Candidate local structures, most specific first (see :func:`_structure`).

    For utilities non-linear in one issue, the ends of the zone's intervals
    (exact roots of ``u_i = d_i``) are candidates too: the zone vanishes where
    one party's end meets the other's.
    """
    closest = inside.closest
    first = _structure(problem, closest, inside.problem)
    if first is not None:
        yield first
    agreements = problem.agreements
    if not isinstance(agreements, IssueSpace):
        return
    for piece in inside.pieces:
        if piece.kind != "curve" or not piece.one_dimensional:
            continue
        name = piece.symbols[0].name
        for interval in piece._intervals(inside.problem.disagreement):
            for x in interval:
                if isinstance(x, float):
                    continue
                terms = {i.name: (x if i.name == name else piece.fixed.get(i.name)) for i in agreements.issues}
                yield "point", [issue_utilities(agreements, terms)], Agreement(terms=terms)
    if closest.agreement is not None and (first is None or first[0] == "edge"):
        # the closest agreement itself, its terms held fixed
        yield "point", [issue_utilities(agreements, closest.agreement.terms)], closest.agreement


def _structure(problem, closest, numeric_problem):
    """The local structure at the closest agreement, in symbolic terms.

    ``("point", [U], agreement)``: a single agreement with utilities ``U``;
    ``("edge", [U_P, U_Q], agreement)``: a point of the frontier edge between
    two agreements; ``("facet", [a, b], None)``: a point on the facet
    ``a . u = b`` of a polytope given by inequalities.
    """
    agreements = problem.agreements
    agreement = closest.agreement
    if isinstance(agreements, Polytope) and agreements.inequalities:
        numeric = numeric_problem.agreements.inequalities
        active = [k for k, (a, b) in enumerate(numeric)
                  if compare(sum(as_sympy(x) * as_sympy(u) if hasattr(u, "free_symbols") else x * u
                                  for x, u in zip(a, closest.utilities)), b) == 0]
        if len(active) != 1:
            return None
        a, b = agreements.inequalities[active[0]]
        return "facet", [tuple(as_sympy(x) for x in a), as_sympy(b)], None
    if agreement is None:
        return None
    if isinstance(agreements, Packages):
        if agreement.package is None:
            return None
        row = agreements.utilities[agreements.labels.index(agreement.package)]
        return "point", [tuple(as_sympy(x) for x in row)], agreement
    if isinstance(agreements, Polytope):
        if agreement.package is not None:
            return "point", [tuple(as_sympy(x) for x in agreements.vertices[agreements.labels.index(agreement.package)])], agreement
        if agreement.lottery and len(agreement.lottery) == 2:
            rows = [tuple(as_sympy(x) for x in agreements.vertices[agreements.labels.index(label)])
                    for label in agreement.lottery]
            return "edge", rows, agreement
        return None
    if not isinstance(agreements, IssueSpace) or not agreement.terms:
        return None
    split = [i for i in agreements.continuous
             if not (compare(agreement.terms[i.name], i.low) == 0 or compare(agreement.terms[i.name], i.high) == 0)]
    if not split:
        return "point", [issue_utilities(agreements, agreement.terms)], agreement
    if len(split) > 1:
        return None
    issue = split[0]
    low = issue_utilities(agreements, {**agreement.terms, issue.name: issue.low})
    high = issue_utilities(agreements, {**agreement.terms, issue.name: issue.high})
    return "edge", [low, high], agreement


def issue_utilities(space: IssueSpace, terms) -> tuple:
    """Each party's utility at the issue values ``terms`` (issue -> value or option), as sympy numbers."""
    replacement = {}
    for issue in space.issues:
        value = terms[issue.name]
        replacement[issue.symbol] = as_sympy(issue.value_of(value) if issue.kind == "discrete" else value)
    out = []
    for utility, scores in zip(space.utilities, space.scores):
        total = utility.xreplace(replacement)
        for name, table in scores.items():
            total = total + as_sympy(table[terms[name]])
        out.append(total)
    return tuple(out)
