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
value has the closed form ``C(n-1, m) / sum_{i<=m} C(n, i)`` ([@Dresher1962; @vonStengel2016];
von Stengel 2016). The recursion here solves every state ``(n, m)`` exactly
(rational inputs give rational values) and reports the equilibrium strategies
of both sides in every state: how likely the inspector is to inspect now, how
likely the inspectee is to violate now, and, over the whole horizon, how likely
a violation is and how likely it is to be caught
(:class:`~negotiation.results.inspection.RecursiveInspection`).

The recursion solves one stage game per state ``(periods left, inspections left)``, about
``periods × (inspections + 1)`` of them, and exact values grow longer with the horizon: more
than :data:`MAX_STATES` states are refused before any is solved (``max_states=`` raises it; a
scenario's ``[inspection]`` table takes ``max_states`` too).
"""

from __future__ import annotations

from fractions import Fraction
from math import comb

from negotiation.core.numeric import coerce_number, format_number
from negotiation.results.inspection import InspectionError, InspectionState, RecursiveInspection

__all__ = ["recursive_inspection", "dresher_value", "InspectionError", "MAX_STATES", "state_count"]

#: Most states ``(periods left, inspections left)`` a recursive inspection game may have: exactly,
#: 10,000 states (1,000 periods with 9 inspections, 200 with 49) are solved and reported in 1.2 s of
#: CPU, ``negotiation solve`` included; 20,000 took 2.2 s (the exact values grow with the horizon).
MAX_STATES = 10_000


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


def _whole_number(number, name: str) -> int:
    if isinstance(number, int) and not isinstance(number, bool):
        return number
    try:
        as_fraction = Fraction(coerce_number(number, where=name))
    except (ValueError, TypeError):
        raise InspectionError(f"{name}: expected a whole number, got {number!r}") from None
    if as_fraction.denominator != 1:
        raise InspectionError(f"{name}: expected a whole number, got {number!r}")
    return int(as_fraction)


def _payoff_numbers(gain, penalty, detection) -> dict:
    """``gain``, ``penalty`` and ``detection`` checked: exact where all three are, else floats."""
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
    if all(isinstance(v, Fraction) for v in numbers.values()):
        return numbers
    return {k: float(v) for k, v in numbers.items()}


def state_count(periods: int, inspections: int) -> int:
    """The states ``(n, m)`` with ``1 <= n <= periods`` and ``0 <= m <= min(n, inspections)`` the recursion solves.

    Examples
    --------
    >>> state_count(12, 3), state_count(10**8, 10**6)
    (45, 99500100500000)
    """
    quota = min(inspections, periods)
    # n = 1..quota have n + 1 states each, n = quota + 1..periods have quota + 1
    return quota * (quota + 3) // 2 + (periods - quota) * (quota + 1)


def recursive_inspection(periods: int, inspections: int, *, gain=1, penalty=1, detection=1,
                         max_states: int = MAX_STATES) -> RecursiveInspection:
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
    max_states : int
        Most states the recursion may solve (see :func:`state_count`); more are refused before
        any work.

    Returns
    -------
    RecursiveInspection

    Examples
    --------
    Dresher's game with 5 periods and 2 inspections: ``C(4, 2) / (1 + 5 + 10) = 3/8``.

    >>> import negotiation as ng
    >>> game = ng.recursive_inspection(5, 2)
    >>> game.value
    Fraction(3, 8)
    >>> start = game.state()
    >>> start.inspect, start.violate
    (Fraction(5, 16), Fraction(9, 64))
    """
    periods, inspections = _whole_number(periods, "periods"), _whole_number(inspections, "inspections")
    if periods < 1:
        raise InspectionError(f"periods: expected at least 1, got {periods}")
    if inspections < 0:
        raise InspectionError(f"inspections: expected 0 or more, got {inspections}")
    states = state_count(periods, inspections)
    if states > max_states:
        raise InspectionError(f"periods: {periods:,} periods with {min(inspections, periods):,} inspections make "
                              f"{states:,} states, more than the limit of {max_states:,} (max_states)")
    numbers = _payoff_numbers(gain, penalty, detection)
    exact = isinstance(numbers["gain"], Fraction)
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
    if periods < 1 or inspections < 0:
        raise InspectionError(f"dresher_value: expected periods >= 1 and inspections >= 0, got "
                              f"({periods}, {inspections})")
    return Fraction(comb(periods - 1, inspections), sum(comb(periods, i) for i in range(inspections + 1)))
