"""The result of a recursive (Dresher) inspection game: the equilibrium of every state.

:func:`negotiation.solvers.inspection.recursive_inspection` returns a :class:`RecursiveInspection`
(the result protocol of :mod:`negotiation.results.base`); each state's equilibrium is an
:class:`InspectionState`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from negotiation.core.document import Cell, Document, Table, latex_number
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number, json_number
from negotiation.results.base import Result

__all__ = ["InspectionError", "InspectionState", "RecursiveInspection"]


class InspectionError(NegotiationError):
    """Bad input to a recursive inspection game (one line, names the field)."""


@dataclass(frozen=True)
class InspectionState:
    """Equilibrium of the stage game with ``periods`` periods and ``inspections`` inspections left.

    Attributes
    ----------
    periods, inspections : int
    value : Fraction or float
        The inspectee's equilibrium payoff from here on (the inspector's is its negative).
    inspect : Fraction or float
        Probability that the inspector inspects in this period.
    violate : Fraction or float
        Probability that the inspectee violates in this period (if it has not yet).
    """

    periods: int
    inspections: int
    value: object
    inspect: object
    violate: object


@dataclass(frozen=True, eq=False)
class RecursiveInspection(Result):
    """Solved recursive inspection game: every state ``(n, m)`` with ``n <= periods``, ``m <= inspections``.

    Attributes
    ----------
    periods, inspections : int
        The horizon and the quota of the game as posed.
    gain, penalty, detection : Fraction or float
        The inspectee's gain from an undetected violation, its loss when caught, and the
        probability that an inspection detects a violation.
    states : dict
        ``(n, m) -> InspectionState``.
    exact : bool
        Whether every number is an exact rational.
    """

    periods: int
    inspections: int
    gain: object
    penalty: object
    detection: object
    states: dict
    exact: bool
    method: str = "recursive_inspection"

    def state(self, periods: int | None = None, inspections: int | None = None) -> InspectionState:
        """The equilibrium of state ``(periods, inspections)`` (default: the start of the game)."""
        n = self.periods if periods is None else periods
        m = self.inspections if inspections is None else inspections
        try:
            return self.states[(n, min(m, n))]
        except KeyError:
            raise InspectionError(
                f"state ({n}, {m}) is outside the solved game (periods <= {self.periods}, "
                f"inspections <= {self.inspections})") from None

    @property
    def value(self):
        """The inspectee's equilibrium payoff at the start."""
        return self.state().value

    def violation_probability(self, periods: int | None = None, inspections: int | None = None):
        """Probability that the inspectee violates at some point, in equilibrium, from a state.

        Examples
        --------
        >>> import negotiation as ng
        >>> ng.recursive_inspection(2, 1).violation_probability()
        Fraction(5, 9)
        """
        return self._horizon(periods, inspections)[0]

    def detection_probability(self, periods: int | None = None, inspections: int | None = None):
        """Probability that a violation happens and is detected, in equilibrium, from a state."""
        return self._horizon(periods, inspections)[1]

    def _horizon(self, periods, inspections):
        """``(violation, detected violation)`` probabilities from a state, by backward recursion over the states."""
        n0 = self.periods if periods is None else periods
        m0 = self.inspections if inspections is None else inspections
        return self._horizons(n0, m0)[(n0, min(m0, n0))]

    def _horizons(self, n0, m0) -> dict:
        """``(violation, detected violation)`` from every state ``(n, m)`` with ``n <= n0``, ``m <= m0``.

        One pass over the states: a state's entry depends only on states with fewer periods left
        and no larger quota, so the pass for the largest quota holds the answer for every smaller one.
        """
        one = Fraction(1) if self.exact else 1.0
        zero = one - one
        memo = {}
        for n in range(0, n0 + 1):
            for m in range(0, min(m0, n0) + 1):
                if n == 0:
                    memo[(n, m)] = (zero, zero)
                    continue
                s = self.states[(n, min(m, n))]
                later_inspected = memo[(n - 1, max(m - 1, 0))]
                later_free = memo[(n - 1, m)] if m <= n - 1 else memo[(n - 1, n - 1)]
                violate_now = s.violate
                caught_now = violate_now * s.inspect * self.detection
                later = [s.inspect * a + (one - s.inspect) * b for a, b in zip(later_inspected, later_free)]
                memo[(n, m)] = (violate_now + (one - violate_now) * later[0],
                                caught_now + (one - violate_now) * later[1])
        return memo

    def to_records(self) -> list[dict]:
        """One row per quota ``m = 0 … inspections`` at the full horizon: value and probabilities."""
        rows = []
        horizons = self._horizons(self.periods, self.inspections)  # once, not twice per quota
        for m in range(self.inspections + 1):
            s = self.state(self.periods, m)
            violation, detected = horizons[(self.periods, min(m, self.periods))]
            rows.append({
                "periods": self.periods, "inspections": m,
                "value (inspectee)": s.value, "inspect now": s.inspect, "violate now": s.violate,
                "violation over horizon": violation, "detected violation": detected,
            })
        return rows

    def _content(self) -> dict:
        return {
            "periods": self.periods, "inspections": self.inspections,
            "gain": json_number(self.gain), "penalty": json_number(self.penalty),
            "detection": json_number(self.detection),
            "value": json_number(self.value),
            "by_quota": [{key: json_number(value) if not isinstance(value, int) else value
                          for key, value in row.items()} for row in self.to_records()],
        }

    def table(self) -> Table:
        """One row per quota: the inspectee's value, the first period's probabilities, the horizon's."""
        headers = ("inspections", "value (inspectee)", "inspect now", "violate now",
                   "violation over horizon", "detected violation")
        rows = tuple((str(row["inspections"]), *(_readable(row[h]) for h in headers[1:])) for row in self.to_records())
        return Table(headers, rows)

    def document(self) -> Document:
        title = (f"Recursive inspection game (Dresher): {self.periods} periods, up to {self.inspections} "
                 f"inspections; gain {format_number(self.gain)}, penalty {format_number(self.penalty)}, "
                 f"detection probability {format_number(self.detection)}; "
                 f"{'exact' if self.exact else 'floating point'}")
        return Document(title, (self.table(),))


def _readable(value):
    """Exact fractions with long denominators also as a decimal: ``4345/4489 (≈ 0.968)``."""
    if isinstance(value, Fraction) and value.denominator > 100:
        return Cell(f"{format_number(value)} (≈ {float(value):.3f})",
                    f"${latex_number(value)} \\approx {float(value):.3f}$")
    return value
