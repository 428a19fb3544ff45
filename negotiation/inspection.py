"""Recursive inspection games: Dresher's game over a calendar, with a quota of inspections.

An inspectee (the state that might hold an unnotified exercise above the Vienna
Document threshold) and an inspector (who has ``inspections`` on-site
inspections for ``periods`` periods, e.g. three inspections a year, one chance a
month) play one 2×2 zero-sum stage game per period. The inspectee sees how many
inspections are left and violates at most once; a violation ends the game.
Payoffs to the inspectee (the inspector gets the negative):

* violation in a period without inspection: ``gain`` (undetected),
* violation in an inspected period: detected with probability ``detection``
  (payoff ``-penalty``), missed otherwise (payoff ``gain``),
* no violation over the whole horizon: 0.

With ``gain = penalty = detection = 1`` this is Dresher's (1962) game, whose
value has the closed form ``C(n-1, m) / sum_{i<=m} C(n, i)`` (domain.md §M9c;
von Stengel 2016). The recursion here solves every state ``(n, m)`` exactly
(rational inputs give rational values) and reports the equilibrium strategies
of both sides in every state: how likely the inspector is to inspect now, how
likely the inspectee is to violate now, and, over the whole horizon, how likely
a violation is and how likely it is to be caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from negotiation.core.numeric import coerce_number, format_number, json_number
from negotiation.core.errors import NegotiationError

__all__ = ["InspectionState", "RecursiveInspection", "recursive_inspection", "dresher_value",
           "InspectionError"]


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
class RecursiveInspection:
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
        >>> game = recursive_inspection(2, 1)
        >>> game.violation_probability()
        Fraction(5, 9)
        """
        return self._horizon(periods, inspections)[0]

    def detection_probability(self, periods: int | None = None, inspections: int | None = None):
        """Probability that a violation happens and is detected, in equilibrium, from a state."""
        return self._horizon(periods, inspections)[1]

    def _horizon(self, periods, inspections):
        n0 = self.periods if periods is None else periods
        m0 = self.inspections if inspections is None else inspections
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
        return memo[(n0, min(m0, n0))]

    def to_records(self) -> list[dict]:
        """One row per quota ``m = 0 … inspections`` at the full horizon: value and probabilities."""
        rows = []
        for m in range(self.inspections + 1):
            s = self.state(self.periods, m)
            rows.append({
                "periods": self.periods, "inspections": m,
                "value (inspectee)": s.value, "inspect now": s.inspect, "violate now": s.violate,
                "violation over horizon": self.violation_probability(self.periods, m),
                "detected violation": self.detection_probability(self.periods, m),
            })
        return rows

    def to_dict(self) -> dict:
        return {
            "method": self.method, "exact": self.exact,
            "periods": self.periods, "inspections": self.inspections,
            "gain": json_number(self.gain), "penalty": json_number(self.penalty),
            "detection": json_number(self.detection),
            "value": json_number(self.value),
            "by_quota": [{key: json_number(value) if not isinstance(value, int) else value
                          for key, value in row.items()} for row in self.to_records()],
        }

    def _table(self, approximate: bool = True):
        headers = ["inspections", "value (inspectee)", "inspect now", "violate now",
                   "violation over horizon", "detected violation"]
        show = _readable if approximate else format_number
        rows = [[str(row["inspections"])] + [show(row[h]) for h in headers[1:]]
                for row in self.to_records()]
        return headers, rows

    def _heading(self) -> str:
        return (f"Recursive inspection game (Dresher): {self.periods} periods, up to {self.inspections} "
                f"inspections; gain {format_number(self.gain)}, penalty {format_number(self.penalty)}, "
                f"detection probability {format_number(self.detection)}; "
                f"{'exact' if self.exact else 'floating point'}")

    def to_text(self) -> str:
        headers, rows = self._table()
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        lines = [self._heading(), "  ".join(h.ljust(w) for h, w in zip(headers, widths))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        headers, rows = self._table()
        lines = [f"**{self._heading()}**", "", "| " + " | ".join(headers) + " |",
                 "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)

    def to_latex(self) -> str:
        headers, rows = self._table()
        lines = [r"\begin{tabular}{" + "r" * len(headers) + "}", r"\hline",
                 " & ".join(headers) + r" \\", r"\hline"]
        lines += [" & ".join(r) + r" \\" for r in rows]
        lines += [r"\hline", r"\end{tabular}"]
        return "\n".join(lines)

    def to_csv(self) -> str:
        headers, rows = self._table(approximate=False)
        return "\n".join([",".join(headers)] + [",".join(r) for r in rows]) + "\n"

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def plot(self, ax=None):
        """Violation and detection probability over the horizon against the quota (matplotlib Figure)."""
        import matplotlib.pyplot as plt

        rows = self.to_records()
        quotas = [row["inspections"] for row in rows]
        if ax is None:
            figure, ax = plt.subplots(figsize=(6.4, 4.2))
        else:
            figure = ax.figure
        ax.plot(quotas, [float(r["violation over horizon"]) for r in rows], "o-", label="violation over the horizon")
        ax.plot(quotas, [float(r["detected violation"]) for r in rows], "s--", label="violation detected")
        ax.plot(quotas, [float(r["inspect now"]) for r in rows], "^:", label="inspect in the first period")
        ax.set_xlabel(f"inspection quota (inspections in {self.periods} periods)")
        ax.set_ylabel("equilibrium probability")
        ax.set_ylim(-0.02, 1.02)
        ax.set_xticks(quotas)
        ax.set_title(f"Recursive inspection game, detection probability {format_number(self.detection)}")
        ax.legend(frameon=False)
        ax.grid(alpha=0.3)
        figure.tight_layout()
        return figure


def _readable(value) -> str:
    """Exact fractions with long denominators also as a decimal: ``4345/4489 (≈ 0.968)``."""
    text = format_number(value)
    if isinstance(value, Fraction) and value.denominator > 100:
        text += f" (≈ {float(value):.3f})"
    return text


def _zero_sum_2x2(matrix, exact):
    """Value and optimal mixed strategies of a 2×2 zero-sum game; ``matrix[r][c]`` paid to the row (maximiser).

    Returns ``(value, row_first, column_first)``: the probabilities of the first row and column.
    """
    (a, b), (c, d) = matrix
    one = Fraction(1) if exact else 1.0
    zero = one - one
    # pure saddle points: the row maximin equals the column minimax
    row_floor = [min(a, b), min(c, d)]
    column_ceiling = [max(a, c), max(b, d)]
    maximin, minimax = max(row_floor), min(column_ceiling)
    if maximin == minimax or (not exact and abs(maximin - minimax) <= 1e-12 * (1 + abs(maximin))):
        row = 0 if row_floor[0] >= row_floor[1] else 1
        column = 0 if column_ceiling[0] <= column_ceiling[1] else 1
        return maximin, (one if row == 0 else zero), (one if column == 0 else zero)
    denominator = a + d - b - c
    value = (a * d - b * c) / denominator
    return value, (d - c) / denominator, (d - b) / denominator


def recursive_inspection(periods: int, inspections: int, *, gain=1, penalty=1, detection=1) -> RecursiveInspection:
    """Solve the recursive (Dresher) inspection game exactly in every state.

    Parameters
    ----------
    periods : int
        Number of periods (opportunities to violate), ``>= 1``.
    inspections : int
        Inspections available over the horizon (the quota), ``>= 0``.
    gain : number
        The inspectee's payoff from an undetected violation (``> 0``).
    penalty : number
        The inspectee's loss when a violation is detected (``> 0``; payoff ``-penalty``).
    detection : number
        Probability that an inspection detects a violation, in ``(0, 1]``.

    Returns
    -------
    RecursiveInspection

    Examples
    --------
    Dresher's game with 5 periods and 2 inspections: ``C(4, 2) / (1 + 5 + 10) = 3/8``.

    >>> game = recursive_inspection(5, 2)
    >>> game.value
    Fraction(3, 8)
    >>> start = game.state()
    >>> start.inspect, start.violate
    (Fraction(5, 16), Fraction(9, 64))
    """
    for name, number in (("periods", periods), ("inspections", inspections)):
        if isinstance(number, bool) or not isinstance(number, int):
            try:
                as_fraction = Fraction(coerce_number(number, where=name))
            except (ValueError, TypeError):
                raise InspectionError(f"{name}: expected a whole number, got {number!r}") from None
            if as_fraction.denominator != 1:
                raise InspectionError(f"{name}: expected a whole number, got {number!r}")
            number = int(as_fraction)
        if name == "periods":
            periods = number
        else:
            inspections = number
    if periods < 1:
        raise InspectionError(f"periods: expected at least 1, got {periods}")
    if inspections < 0:
        raise InspectionError(f"inspections: expected 0 or more, got {inspections}")
    numbers = {}
    for name, value in (("gain", gain), ("penalty", penalty), ("detection", detection)):
        try:
            numbers[name] = coerce_number(value, where=name)
        except ValueError as error:
            raise InspectionError(str(error)) from None
    if numbers["gain"] <= 0:
        raise InspectionError(f"gain: expected a positive number, got {format_number(numbers['gain'])}")
    if numbers["penalty"] <= 0:
        raise InspectionError(f"penalty: expected a positive number, got {format_number(numbers['penalty'])}")
    if not 0 < numbers["detection"] <= 1:
        raise InspectionError(
            f"detection: expected a probability in (0, 1], got {format_number(numbers['detection'])}")
    exact = all(isinstance(v, Fraction) for v in numbers.values())
    if not exact:
        numbers = {k: float(v) for k, v in numbers.items()}
    g, b, q = numbers["gain"], numbers["penalty"], numbers["detection"]
    one = Fraction(1) if exact else 1.0
    zero = one - one
    caught_or_missed = q * (-b) + (one - q) * g  # violating in an inspected period
    quota = min(inspections, periods)
    states: dict = {}
    value = {}
    for n in range(0, periods + 1):
        for m in range(0, min(quota, n) + 1):
            if n == 0:
                value[(n, m)] = zero
                continue
            if m == 0:
                # no inspection left: violating now is undetected
                value[(n, m)] = g
                states[(n, m)] = InspectionState(n, m, g, zero, one)
                continue
            free = value[(n - 1, min(m, n - 1))]
            inspected = value[(n - 1, m - 1)]
            v, violate, inspect = _zero_sum_2x2([[caught_or_missed, g], [inspected, free]], exact)
            value[(n, m)] = v
            states[(n, m)] = InspectionState(n, m, v, inspect, violate)
    return RecursiveInspection(periods=periods, inspections=quota, gain=g, penalty=b, detection=q,
                               states=states, exact=exact)


def dresher_value(periods: int, inspections: int) -> Fraction:
    """Value of Dresher's game by the closed form ``C(n-1, m) / sum_{i=0}^{m} C(n, i)`` (von Stengel 2016).

    Examples
    --------
    >>> dresher_value(2, 1)
    Fraction(1, 3)
    """
    from math import comb

    if periods < 1 or inspections < 0:
        raise InspectionError(f"dresher_value: expected periods >= 1 and inspections >= 0, got "
                              f"({periods}, {inspections})")
    return Fraction(comb(periods - 1, inspections), sum(comb(periods, i) for i in range(inspections + 1)))
