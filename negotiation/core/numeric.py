"""Exact and floating-point numbers as the toolkit accepts and shows them.

Payoffs and probabilities are either exact (``fractions.Fraction``) or floats.
This module converts user input into one of the two, and formats numbers the
way the JSON contract and the tables show them (``"3/4"``, ``"-2"``).
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from fractions import Fraction
from negotiation.core.errors import NegotiationError

__all__ = ["coerce_number", "format_number", "is_exact_number", "json_number", "parse_number", "parse_assignments", "is_sympy", "exact_value"]


def is_exact_number(value) -> bool:
    """Whether ``value`` is an exact rational (int or Fraction, not bool)."""
    return isinstance(value, (int, Fraction)) and not isinstance(value, bool)


def parse_number(text: str) -> Fraction | float:
    """Parse ``"3/4"``, ``"-2"``, ``"0.1"`` or ``"1e-3"`` exactly.

    Examples
    --------
    >>> parse_number("3/4")
    Fraction(3, 4)
    >>> parse_number("0.1")
    Fraction(1, 10)
    """
    text = text.strip()
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError) as error:
        raise NegotiationError(f"{text!r} is not a number (expected e.g. 2, -3/4 or 0.25)") from error


def parse_assignments(items, *, option: str = "--set") -> dict:
    """Parse command-line ``NAME=VALUE`` items into exact numbers (``ValueError`` names the bad item).

    Examples
    --------
    >>> parse_assignments(["omega=1/5", "k = 2"])
    {'omega': Fraction(1, 5), 'k': Fraction(2, 1)}
    """
    values = {}
    for item in items or ():
        name, sep, value = str(item).partition("=")
        if not sep or not name.strip():
            raise NegotiationError(f"{option} {item!r}: expected NAME=VALUE, e.g. {option} omega=1/2")
        try:
            values[name.strip()] = parse_number(value)
        except ValueError as error:
            raise NegotiationError(f"{option} {name.strip()}: {error}") from None
    return values


def coerce_number(value, *, where: str = "value") -> Fraction | float:
    """Turn one payoff or probability into an exact ``Fraction`` or a finite ``float``.

    Integers, fractions, decimals, numeric strings and sympy rationals become
    exact; Python and numpy floats stay floats. NaN, infinities, booleans and
    anything else raise ``ValueError`` naming ``where``.

    Examples
    --------
    >>> coerce_number(3)
    Fraction(3, 1)
    >>> coerce_number("-1/3")
    Fraction(-1, 3)
    >>> coerce_number(0.5)
    0.5
    """
    if isinstance(value, bool):
        raise NegotiationError(f"{where}: expected a number, got the boolean {value}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NegotiationError(f"{where}: expected a finite number, got {value}")
        return Fraction(value)
    if isinstance(value, numbers.Real) and not _is_sympy(value):
        number = float(value)
        if not math.isfinite(number):
            raise NegotiationError(f"{where}: expected a finite number, got {value}")
        return number
    if isinstance(value, str):
        try:
            return parse_number(value)
        except ValueError as error:
            raise NegotiationError(f"{where}: {error}") from None
    if _is_sympy(value):
        import sympy

        if value.free_symbols:
            raise NegotiationError(f"{where}: expected a number, got the expression {value}")
        if isinstance(value, sympy.Rational):
            return Fraction(int(value.p), int(value.q))
        if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or value.is_real is False:
            raise NegotiationError(f"{where}: expected a finite real number, got {value}")
        try:
            number = float(value)
        except TypeError:
            raise NegotiationError(f"{where}: expected a finite real number, got {value}") from None
        if not math.isfinite(number):
            raise NegotiationError(f"{where}: expected a finite number, got {value}")
        return number
    raise NegotiationError(f"{where}: expected a number, got {value!r}")


def is_sympy(value) -> bool:
    """Whether ``value`` is a sympy object (checked without importing sympy).

    Examples
    --------
    >>> is_sympy(3), is_sympy("x")
    (False, False)
    """
    return type(value).__module__.startswith("sympy")


_is_sympy = is_sympy


def format_number(value, *, digits: int = 6) -> str:
    """Show a number as users read it: ``3/4``, ``-2``, or a float with ``digits`` significant digits.

    Examples
    --------
    >>> format_number(Fraction(3, 4))
    '3/4'
    >>> format_number(Fraction(-2))
    '-2'
    >>> format_number(0.333333333)
    '0.333333'
    """
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, float):
        if value == 0:
            return "0"
        return f"{value:.{digits}g}"
    return str(value)


def json_number(value):
    """A number as the JSON contract writes it: exact values as fraction strings, floats as numbers.

    Examples
    --------
    >>> json_number(Fraction(3, 4)), json_number(0.5), json_number(2)
    ('3/4', 0.5, '2')
    """
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, float):
        return value
    return str(value)


def exact_value(value, *, where: str = "value") -> Fraction:
    """Read one number exactly: ``"1/4"``, ``"0.2"`` (= 1/5), ``3``, ``Fraction(1, 3)``, ``0.25``.

    Python floats are read through their shortest decimal representation
    (``0.1`` is ``1/10``), which is what the user typed.

    Examples
    --------
    >>> exact_value("0.2"), exact_value(0.1), exact_value("-3/4")
    (Fraction(1, 5), Fraction(1, 10), Fraction(-3, 4))
    """
    if isinstance(value, bool):
        raise NegotiationError(f"{where}: expected a number, got {value}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, numbers.Real) and not is_sympy(value):
        if not math.isfinite(value):
            raise NegotiationError(f"{where}: expected a finite number, got {value}")
        return Fraction(repr(float(value)))
    if isinstance(value, str):
        text = value.strip()
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise NegotiationError(f"{where}: {text!r} is not a number (expected e.g. 2, -3/4 or 0.25)") from None
    try:  # sympy Rational and friends
        number = coerce_number(value, where=where)
    except ValueError:
        raise NegotiationError(f"{where}: expected a number, got {value!r}") from None
    return number if isinstance(number, Fraction) else Fraction(repr(number))
