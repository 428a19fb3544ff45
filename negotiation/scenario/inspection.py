"""The ``[inspection]`` option of a normal-form scenario: its recursive (Dresher) version over a calendar.

A one-shot inspection game (``kind = "normal-form"``) may carry::

    [inspection]
    periods = "periods"          # opportunities to violate (e.g. months in a year)
    inspections = "quota"        # inspections available over those periods
    gain = "d"                   # inspectee's payoff from an undetected violation
    penalty = "b"                # inspectee's loss when caught
    detection = "q"              # probability that an inspection detects a violation
    max_states = 10000           # optional: most states of the recursion (the default)

Each value is a number or a formula over the scenario's parameters (read by the
allow-list parser). :meth:`InspectionOption.analyse` evaluates them at a
parameter point and solves :func:`negotiation.solvers.inspection.recursive_inspection`,
which refuses a horizon of more than ``max_states`` states
(:data:`negotiation.solvers.inspection.MAX_STATES`) before solving any.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import sympy

from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.scenario.model import ScenarioError
from negotiation.solvers.inspection import MAX_STATES, InspectionError, recursive_inspection

__all__ = ["InspectionOption", "parse_inspection"]

FIELDS = ("periods", "inspections", "gain", "penalty", "detection")
REQUIRED = ("periods", "inspections")


@dataclass(frozen=True)
class InspectionOption:
    """The recursive inspection game attached to a scenario (formulas over its parameters)."""

    fields: Mapping
    source: str = "<scenario>"
    name: str = "recursive_inspection"
    max_states: int = MAX_STATES

    def values_at(self, values: Mapping) -> dict:
        """The option's numbers at resolved parameter ``values`` (exact where the values are)."""
        numbers = {}
        for key, expression in self.fields.items():
            substitutions = {symbol: _sympy_number(values[symbol.name]) for symbol in expression.free_symbols
                             if symbol.name in values}
            value = expression.subs(substitutions) if substitutions else expression
            if value.free_symbols or not value.is_number:
                raise ScenarioError(f"{self.source}: inspection.{key}: cannot evaluate {expression} "
                                    f"(undetermined: {', '.join(sorted(map(str, value.free_symbols)))})")
            if value.is_Rational:
                numbers[key] = Fraction(int(value.p), int(value.q))
            else:
                numbers[key] = float(value)
        return numbers

    def analyse(self, values: Mapping):
        """Solve the recursive inspection game at ``values`` (resolved parameters)."""
        numbers = self.values_at(values)
        try:
            return recursive_inspection(numbers.pop("periods"), numbers.pop("inspections"), **numbers,
                                        max_states=self.max_states)
        except InspectionError as error:
            raise ScenarioError(f"{self.source}: inspection.{error}") from None


def _sympy_number(value):
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.sympify(value) if isinstance(value, (int, float)) else value


def parse_inspection(table, symbols: Mapping, source: str) -> InspectionOption:
    """Read the ``[inspection]`` table of a scenario file.

    Examples
    --------
    >>> option = parse_inspection({"periods": 5, "inspections": "m"}, {"m": sympy.Symbol("m")}, "file.toml")
    >>> option.analyse({"m": Fraction(2)}).value
    Fraction(3, 8)
    """
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: inspection: expected a table with keys {', '.join(FIELDS)}")
    unknown = sorted(set(table) - set(FIELDS) - {"max_states"})
    if unknown:
        raise ScenarioError(f"{source}: inspection: unknown key {unknown[0]!r} "
                            f"(expected: {', '.join(FIELDS)}, max_states)")
    max_states = table.get("max_states", MAX_STATES)
    if isinstance(max_states, bool) or not isinstance(max_states, int) or max_states < 1:
        raise ScenarioError(f"{source}: inspection.max_states: expected a positive whole number, "
                            f"found {max_states!r}")
    for key in REQUIRED:
        if key not in table:
            raise ScenarioError(f"{source}: inspection.{key}: missing (expected a number or a formula)")
    fields = {}
    for key in FIELDS:
        if key not in table:
            continue
        value = table[key]
        where = f"{source}: inspection.{key}"
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ScenarioError(f"{where}: expected a number or a formula, found {value!r}")
        if isinstance(value, float):
            raise ScenarioError(f"{where}: write decimals as strings (e.g. \"0.8\") so they stay exact")
        try:
            fields[key] = parse_expression(str(value), symbols, where=where)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
    return InspectionOption(fields=fields, source=source, max_states=max_states)
