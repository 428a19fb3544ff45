"""Whether a scenario's claims hold at a parameter point: the predicates of
:mod:`negotiation.scenario.claims` evaluated on the result types of every family.

:class:`PointResults` solves the scenario once at the point and computes, only when a predicate asks,
what the solve result does not carry (the issue-by-issue settlement of a bargaining scenario, the
stability of a ``[dynamics]`` section). :func:`claim_holds` is ``True`` or ``False``; a predicate that
does not apply to the model's kind is a one-line :class:`ClaimError`.

Examples
--------
>>> import negotiation as ng
>>> scenario = ng.load("security_dilemma")
>>> point = PointResults(scenario, {})
>>> predicate_holds("classification", "Prisoner's Dilemma", point), predicate_holds("equilibria", 1, point)
(True, True)
>>> predicate_holds("equilibrium", ("Restrain", "Restrain"), point)
False
"""

from __future__ import annotations

from negotiation.core.errors import NegotiationError
from negotiation.dynamics.richardson import stability

__all__ = ["ClaimError", "PointResults", "claim_holds", "predicate_holds"]


class ClaimError(NegotiationError):
    """A claim's predicate does not apply to the model it is declared on."""


class PointResults:
    """What the predicates read at one parameter point, each computed once, when first asked for."""

    def __init__(self, scenario, values):
        self.scenario, self.values = scenario, dict(values)
        self._cache: dict = {}

    def _once(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @property
    def result(self):
        return self._once("solve", lambda: self.scenario.solve(self.values))

    @property
    def linkage(self):
        if not hasattr(self.scenario, "issue_by_issue"):
            raise self.refuse("linkage_gain", "a bargaining scenario")
        return self._once("linkage", lambda: self.scenario.issue_by_issue(self.values, "nash"))

    @property
    def stability(self):
        if getattr(self.scenario, "dynamics", None) is None:
            raise self.refuse("stable", "a continuous scenario with a [dynamics] section")
        return self._once("stability", lambda: stability(self.scenario.dynamics_at(self.values)))

    def refuse(self, key: str, expected: str) -> ClaimError:
        where = str(self.scenario.source) if self.scenario.source else self.scenario.id
        return ClaimError(f"{where}: claims: the predicate {key!r} needs {expected}; "
                          f"this model is of kind {self.scenario.kind!r}")

    def field(self, key: str, name: str, expected: str):
        value = getattr(self.result, name, None)
        if value is None:
            raise self.refuse(key, expected)
        return value


def _classification(value, point):
    label = point.result.details.get("classification")
    if label is None:
        raise point.refuse("classification", "a symmetric 2×2 game with [classification] cooperate = …")
    return str(label).split(" (")[0] == value


def _equilibrium(value, point):
    for equilibrium in point.field("equilibrium", "equilibria", "a model with equilibria"):
        profile = getattr(equilibrium, "profile", None)
        if profile is None or not hasattr(profile, "is_pure"):
            raise point.refuse("equilibrium", "a strategic-form game")
        if profile.is_pure and tuple(profile.support(k)[0] for k in range(len(value))) == tuple(value):
            return True
    return False


def _equilibria(value, point):
    return len(point.field("equilibria", "equilibria", "a model with equilibria")) == value


def _mixed(value, point):
    found = False
    for equilibrium in point.field("mixed", "equilibria", "a model with equilibria"):
        profile = getattr(equilibrium, "profile", None)
        if not hasattr(profile, "is_pure"):
            raise point.refuse("mixed", "a strategic-form game")
        found = found or not profile.is_pure
    return found == value


def _outcome(value, point):
    for equilibrium in point.field("outcome", "equilibria", "a game tree"):
        outcomes = getattr(equilibrium, "outcomes", None)
        if outcomes is None:
            raise point.refuse("outcome", "a game tree")
        reached = sum((probability for path, probability in outcomes if tuple(path[:len(value)]) == tuple(value)), 0)
        if reached == 1:
            return True
    return False


def _zone(value, point):
    zone = point.field("zone", "zone", "a bargaining scenario")
    return (not zone.empty) == (value == "exists")


def _linkage_gain(value, point):
    gains = point.linkage.linkage_gains
    both = gains is not None and all(gain > 0 for gain in gains)
    return both == (value == "both")


def _solution_terms(value, point):
    solutions = point.field("solution_terms", "solutions", "a bargaining scenario")
    solution = solutions.get(value["solution"])
    if solution is None:
        if not solutions:  # an empty zone has no solutions: the claim about terms does not hold
            return False
        raise point.refuse("solution_terms", f"one of the solutions {', '.join(solutions)}")
    term = solution.agreement.terms.get(value["issue"]) if solution.agreement is not None else None
    if term is None or isinstance(term, str):
        raise point.refuse("solution_terms", f"a numeric issue (found {value['issue']!r}: {term!r})")
    low, high = value.get("at_least"), value.get("at_most")
    return (low is None or term >= low) and (high is None or term <= high)


def _stable(value, point):
    return point.stability.stable is value


def _interior(value, point):
    equilibria = point.field("interior", "equilibria", "a continuous game")
    bindings = [getattr(e, "binding", None) for e in equilibria]
    if any(b is None for b in bindings):
        raise point.refuse("interior", "a continuous game")
    return bool(bindings) and all(all(side == "interior" for side in b) for b in bindings) is value


def _critical_discount_below(value, point):
    analysis = point.result.analyses.get("repetition")
    if analysis is None:
        raise point.refuse("critical_discount_below", "a normal-form scenario with [repetition]")
    thresholds = [t.threshold for t in analysis.thresholds if t.threshold is not None]
    return bool(thresholds) and min(thresholds) < value


def _sustained(value, point):
    analysis = point.result.analyses.get("repetition")
    if analysis is None:
        raise point.refuse("sustained", "a normal-form scenario with [repetition]")
    return any(t.sustained for t in analysis.thresholds) is value


def _signal_kind(kind):
    def check(value, point):
        equilibria = point.field(kind, "equilibria", "a signaling game")
        if any(not hasattr(e, "sender_choice") for e in equilibria):
            raise point.refuse(kind, "a signaling game")
        return any(e.kind == kind for e in equilibria) is value
    return check


def _core(value, point):
    empty = getattr(point.result, "core_empty", None)
    if empty is None:
        raise point.refuse("core", "a cooperative game")
    return (not empty) == (value == "nonempty")


_CHECKS = {
    "classification": _classification, "equilibrium": _equilibrium, "equilibria": _equilibria, "mixed": _mixed,
    "outcome": _outcome, "zone": _zone, "linkage_gain": _linkage_gain, "solution_terms": _solution_terms,
    "stable": _stable, "interior": _interior, "critical_discount_below": _critical_discount_below,
    "sustained": _sustained,
    "pooling": _signal_kind("pooling"), "separating": _signal_kind("separating"), "core": _core,
}


def predicate_holds(key: str, value, point: PointResults) -> bool:
    """Whether one predicate (``key = value`` of a claim's ``holds``) holds at the point."""
    return bool(_CHECKS[key](value, point))


def claim_holds(claim, point: PointResults) -> bool:
    """Whether every predicate of ``claim`` holds at the point (evaluated in order, stopping at the first
    that fails)."""
    return all(predicate_holds(key, value, point) for key, value in claim.holds)
