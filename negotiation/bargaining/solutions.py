"""Bargaining solutions as free functions, and one front door, :func:`bargain`.

=====================  =================================================================
solution               the agreement chosen in the zone ``{s in S : s >= d}``
=====================  =================================================================
``nash``               maximises ``prod_i (s_i - d_i)^w_i`` (Nash 1950; weights w: the
                       asymmetric solution of Kalai 1977 / Roth 1979; default equal)
``kalai_smorodinsky``  the Pareto point where gains are proportional to the ideal gains
                       ``a_i - d_i`` (Kalai & Smorodinsky 1975); lexicographic max-min of
                       ``(s_i - d_i)/(a_i - d_i)`` (Imai 1983) when the set is not convex
``egalitarian``        equal gains ``s_i - d_i`` (Kalai 1977), lexicographic max-min
``utilitarian``        maximises ``sum_i v_i s_i`` (weights v, default 1); ties broken toward
                       equal gains
=====================  =================================================================

All four are Pareto-efficient and individually rational. Nash's solution is
invariant under positive affine rescaling of each party's utility and
independent of irrelevant alternatives; Kalai–Smorodinsky's is invariant and
individually monotonic; the egalitarian and utilitarian solutions compare
utilities across parties (they are not scale-invariant).

For a finite list of packages (no lotteries) every solution picks one
package: the maximiser of its criterion among the packages in the zone.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from negotiation.bargaining.agreement_set import agreement_set
from negotiation.bargaining.numbers import compare, lex_compare, leximin_key, nash_key, simplify
from negotiation.bargaining.points import Point
from negotiation.models.bargaining import BargainingError, BargainingProblem, as_sympy, by_party, coerce_entry
from negotiation.results.bargaining import AgreementSet, BargainingResult, Solution

__all__ = ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "bargain", "SOLUTIONS", "solution_names"]


# ---------------------------------------------------------------------- helpers
def _zone(problem, zone) -> AgreementSet:
    if zone is not None:
        return zone
    if problem.is_symbolic:
        problem = problem.substitute({})
    return agreement_set(problem)


def _weights(problem, weights, default, where) -> tuple:
    if weights is None:
        return tuple(default)
    if isinstance(weights, Mapping):
        weights = by_party(weights, problem.parties, where)
    weights = tuple(coerce_entry(w, where) for w in weights)
    if len(weights) != problem.n_parties:
        raise BargainingError(f"{where}: expected {problem.n_parties} weights (one per party)")
    if any(hasattr(w, "free_symbols") or not w > 0 for w in weights):
        raise BargainingError(f"{where}: weights must be positive numbers")
    return weights


def _solution(name, zone, piece, point: Point, options=None, notes=()) -> Solution:
    utilities = tuple(simplify(x) for x in point.u)
    exact = piece.exact and not any(isinstance(x, float) for x in utilities)
    return Solution(name, zone.problem.parties, utilities, piece.agreement(point), exact, piece.method,
                    dict(options or {}), tuple(notes))


def _best(candidates, key):
    """The best ``(piece, point, key)`` and the number of pieces whose best point ties with it."""
    best = None
    ties = 0
    for piece, point in candidates:
        if point is None:
            continue
        k = key(point)
        order = 1 if best is None else lex_compare(k, best[2])
        if order > 0:
            best, ties = (piece, point, k), getattr(piece, "ties", 1)
        elif order == 0:
            ties += getattr(piece, "ties", 1)
    return None if best is None else (*best, ties)


def _tie_note(ties, criterion):
    if ties > 1:
        return [f"{ties} agreements tie on the {criterion}; reported: the first (by the order of options or packages)"]
    return []


def _leximin(zone, scale):
    d = zone.problem.disagreement
    return _best(((piece, piece.maxmin(d, scale)[0]) for piece in zone.pieces),
                 lambda v: leximin_key(v.u, d, scale))[:3]


# ---------------------------------------------------------------------- solutions
def nash(problem, weights=None, *, zone=None) -> Solution | None:
    """The (asymmetric) Nash bargaining solution: maximise ``prod_i (u_i - d_i)^w_i`` over the zone.

    Parameters
    ----------
    problem : BargainingProblem
    weights : sequence or mapping by party, optional
        Bargaining power (positive); default the problem's ``weights`` or equal.
    zone : AgreementSet, optional
        A zone already computed for ``problem``.

    Returns
    -------
    Solution or None
        None when the zone is empty (no agreement beats no deal for every party).

    Notes
    -----
    On a two-party polygon the maximiser lies on the frontier; on the edge from
    ``P`` to ``Q`` (direction ``delta``) the stationary point of
    ``w1 log g1 + w2 log g2`` is ``s = -(w1 delta1 g2(P) + w2 delta2 g1(P)) / ((w1 + w2) delta1 delta2)``,
    a rational number for rational data. On ``{u1 + u2 <= 1}`` from ``d = 0``
    with weights ``(alpha, 1 - alpha)`` this gives ``(alpha, 1 - alpha)``.

    Examples
    --------
    >>> from negotiation.bargaining import BargainingProblem
    >>> p = BargainingProblem.from_inequalities([((1, 1), 1)], ("NATO", "Russia"), (0, 0))
    >>> nash(p, weights=("1/3", "2/3")).utilities
    (Fraction(1, 3), Fraction(2, 3))
    """
    zone = _zone(problem, zone)
    problem = zone.problem
    if zone.empty:
        return None
    w = _weights(problem, weights, problem.bargaining_weights, "Nash weights")
    d = problem.disagreement
    best = _best(((piece, piece.nash(d, w)) for piece in zone.pieces),
                 lambda v: nash_key([as_sympy(x) - as_sympy(y) if hasattr(x, "free_symbols") else x - y
                                      for x, y in zip(v.u, d)], w))
    options = {"weights": dict(zip(problem.parties, w))}
    if best is None:
        piece, point, _ = _leximin(zone, tuple(Fraction(1) for _ in d))
        return _solution("nash", zone, piece, point, options,
                         ["no agreement gives every party a strict gain, so the Nash product is 0 everywhere; "
                          "reported: the lexicographic max-min (egalitarian) point"])
    piece, point, _, ties = best
    return _solution("nash", zone, piece, point, options, _tie_note(ties, "Nash product"))


def kalai_smorodinsky(problem, *, zone=None) -> Solution | None:
    """The Kalai–Smorodinsky solution: gains proportional to the ideal gains ``a_i - d_i``.

    ``a_i`` is party ``i``'s best utility in the zone. On a convex set this is
    the Pareto point on the segment from ``d`` to ``a``; on other sets (finite
    packages, unions) the lexicographic max-min of ``(u_i - d_i)/(a_i - d_i)``.

    Examples
    --------
    Kalai and Smorodinsky's monotonicity example [@KalaiSmorodinsky1975]:

    >>> from negotiation.bargaining import BargainingProblem
    >>> S2 = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1), (1, "7/10")], ("A", "B"), (0, 0))
    >>> kalai_smorodinsky(S2).utilities
    (Fraction(10, 13), Fraction(10, 13))
    >>> nash(S2).utilities
    (Fraction(1, 1), Fraction(7, 10))
    """
    zone = _zone(problem, zone)
    if zone.empty:
        return None
    d = zone.problem.disagreement
    scale = tuple(a - x for a, x in zip(zone.ideal, d))
    piece, point, _ = _leximin(zone, scale)
    notes = []
    if any(compare(s, 0) == 0 for s in scale):
        stuck = [p for p, s in zip(zone.problem.parties, scale) if compare(s, 0) == 0]
        notes.append(f"{' and '.join(stuck)} cannot gain anything in the zone (ideal = no-deal payoff)")
    return _solution("kalai_smorodinsky", zone, piece, point,
                     {"ideal": dict(zip(zone.problem.parties, zone.ideal))}, notes)


def egalitarian(problem, *, zone=None) -> Solution | None:
    """The egalitarian solution: the largest equal gain for every party, then lexicographic max-min.

    Examples
    --------
    >>> from negotiation.bargaining import BargainingProblem
    >>> p = BargainingProblem.from_inequalities([((1, 2), 3)], ("NATO", "Russia"), (0, 0))
    >>> egalitarian(p).utilities
    (Fraction(1, 1), Fraction(1, 1))
    """
    zone = _zone(problem, zone)
    if zone.empty:
        return None
    piece, point, _ = _leximin(zone, tuple(Fraction(1) for _ in zone.problem.parties))
    return _solution("egalitarian", zone, piece, point)


def utilitarian(problem, weights=None, *, zone=None) -> Solution | None:
    """The utilitarian solution: maximise ``sum_i v_i u_i`` over the zone (ties: most equal gains).

    Examples
    --------
    >>> from negotiation.bargaining import BargainingProblem
    >>> p = BargainingProblem.from_packages({"A": (3, 1), "B": (2, 2), "C": (1, 2)}, ("NATO", "Russia"), (0, 0))
    >>> utilitarian(p).agreement.package
    'B'
    """
    zone = _zone(problem, zone)
    if zone.empty:
        return None
    problem = zone.problem
    w = _weights(problem, weights, tuple(Fraction(1) for _ in problem.parties), "utilitarian weights")
    d = problem.disagreement
    ones = tuple(Fraction(1) for _ in d)
    best = _best(((piece, piece.utilitarian(d, w)) for piece in zone.pieces),
                 lambda v: (sum(as_sympy(x) * as_sympy(y) if hasattr(x, "free_symbols") else x * y for x, y in zip(w, v.u)),
                            *leximin_key(v.u, d, ones)))
    piece, point, _, ties = best
    options = {} if weights is None else {"weights": dict(zip(problem.parties, w))}
    return _solution("utilitarian", zone, piece, point, options, _tie_note(ties, "(weighted) sum and the gains"))


#: The registry of solution names.
SOLUTIONS = {
    "nash": nash,
    "kalai_smorodinsky": kalai_smorodinsky,
    "egalitarian": egalitarian,
    "utilitarian": utilitarian,
}

_ALIASES = {"ks": "kalai_smorodinsky", "kalai-smorodinsky": "kalai_smorodinsky", "kalai_smorodinsky": "kalai_smorodinsky"}


def solution_names(solution) -> list[str]:
    """Canonical solution names from ``"all"``, a name, an alias (``"ks"``) or a sequence of them."""
    if solution in (None, "all"):
        return list(SOLUTIONS)
    items = [solution] if isinstance(solution, str) else list(solution)
    names = []
    for item in items:
        name = _ALIASES.get(str(item).lower().replace(" ", "_"), str(item).lower())
        if name not in SOLUTIONS:
            raise BargainingError(f"unknown solution {item!r}; choose 'all' or one of {', '.join(SOLUTIONS)}")
        if name not in names:
            names.append(name)
    return names


def bargain(problem: BargainingProblem, solution="all", *, weights=None, utilitarian_weights=None,
            values=None) -> BargainingResult:
    """Zone of possible agreement, Pareto frontier and bargaining solutions of a problem.

    ``ng.solve(problem)`` and ``ng.solve(scenario)`` (a ``kind = "bargaining"`` file) come here.

    Parameters
    ----------
    problem : BargainingProblem
        A numeric problem, or a parametric one (evaluated at ``values``, defaults for the rest).
    solution : str or sequence of str
        ``"all"`` (default) or names from :data:`SOLUTIONS` (``"ks"`` is accepted).
    weights : sequence or mapping, optional
        Nash bargaining weights (default: the problem's, or equal).
    utilitarian_weights : sequence or mapping, optional
    values : mapping, optional
        Parameter values for a parametric problem.

    Returns
    -------
    BargainingResult
        With ``zone.empty`` true and no solutions when no agreement beats no
        deal for every party -- a result, not an error.

    Examples
    --------
    >>> from negotiation.bargaining import BargainingProblem
    >>> p = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1), ("3/4", "3/4")], ("NATO", "Russia"), (0, 0))
    >>> result = bargain(p)
    >>> result["nash"].utilities, result["kalai_smorodinsky"].utilities
    ((Fraction(3, 4), Fraction(3, 4)), (Fraction(3, 4), Fraction(3, 4)))
    >>> bargain(p.with_disagreement((1, 1))).zone.empty
    True
    """
    if problem.is_symbolic or values:
        problem = problem.substitute(values or {})
    names = solution_names(solution)
    zone = agreement_set(problem)
    solutions = {}
    messages = list(zone.messages)
    if zone.empty:
        messages.append("no bargaining solution: the zone of possible agreement is empty")
    else:
        for name in names:
            if name == "nash":
                result = nash(problem, weights, zone=zone)
            elif name == "utilitarian":
                result = utilitarian(problem, utilitarian_weights, zone=zone)
            else:
                result = SOLUTIONS[name](problem, zone=zone)
            solutions[name] = result
    exact = zone.exact and all(s.exact for s in solutions.values())
    return BargainingResult(problem, zone, solutions, exact, zone.method, dict(problem.values), tuple(messages))
