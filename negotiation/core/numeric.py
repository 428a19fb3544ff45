"""Exact and floating-point numbers as the toolkit accepts and shows them.

Payoffs and probabilities are either exact (``fractions.Fraction``) or floats.
This module converts user input into one of the two, and formats numbers the
way the JSON contract and the tables show them (``"3/4"``, ``"-2"``).

Limits
------
A number read from text (a scenario file's ``default`` or ``range``, ``--set``,
``--grid``, a payoff string in JSON) is checked *before* it is converted, because
``Fraction("1e99999999")`` alone computes a hundred-million-digit integer:

=============================  ==========  ============================================
limit                          value       what it bounds
=============================  ==========  ============================================
:data:`MAX_NUMBER_DIGITS`      1000        digits of a number written as text
:data:`MAX_DECIMAL_EXPONENT`   1000        the exponent of ``1e…`` notation (either sign)
=============================  ==========  ============================================

A closed sympy value (``exp(exp(exp(3)))``) is turned into a float only after a
cheap estimate shows that no intermediate value lies beyond the float range
(:func:`coerce_number`); ``exp`` nested six deep would otherwise keep sympy's
arbitrary-precision evaluation busy for ever.
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal
from fractions import Fraction
from negotiation.core.errors import NegotiationError

__all__ = ["coerce_number", "format_number", "is_exact_number", "json_number", "parse_number", "parse_assignments",
           "is_sympy", "exact_value", "check_number_text", "fraction_from_text", "find_near_tie", "MAX_NUMBER_DIGITS",
           "MAX_DECIMAL_EXPONENT", "NEAR_TIE_TOLERANCE", "NEAR_TIE_DIGITS", "ZERO_TOLERANCE", "scale_of",
           "snap_zero"]

#: Most digits of a number written as text (numerator and denominator together).
MAX_NUMBER_DIGITS = 1000
#: Largest absolute value of the exponent of a number written as ``1e…``.
MAX_DECIMAL_EXPONENT = 1000
# Longest text checked digit by digit; longer text has too many digits whatever it holds.
_MAX_NUMBER_TEXT = 2 * MAX_NUMBER_DIGITS + 64
_EXPONENT = re.compile(r"[eE]\s*([+-]?[0-9_]*)")
# Text that ``Fraction`` may read as a number (the rest of its grammar: inf, nan, which it refuses).
_NUMBER_TEXT = re.compile(r"\s*[+-]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9_]+)?"
                          r"(?:/[0-9][0-9_]*)?\s*")
#: Two float payoffs of a player closer than this times the payoff scale may be merged into a tie by the
#: float solvers (their tolerance, ``solvers.verify.FLOAT_TOLERANCE``, is 1e-9; ten times that here, so
#: that rounding in the solvers' sums cannot merge a pair that was not checked).
NEAR_TIE_TOLERANCE = 1e-8
#: A float within this fraction of the largest number shown beside it reads as 0 in text, Markdown,
#: LaTeX and HTML (a gain of -1.48e-12 next to payoffs of about 10 is rounding, not a loss); machine
#: outputs (CSV, JSON, frames) keep every float at full precision, and exact values are never changed.
ZERO_TOLERANCE = 1e-9
#: Most digits sympy's adaptive evaluation may use to decide whether two near-tied closed values differ
#: (``exp(1/1000)`` and ``1 + 1/1000 + 1/2000000`` differ by 1.7e-10; two values that agree to more
#: digits than this are refused as undecidable rather than taken as equal). A few milliseconds a pair.
NEAR_TIE_DIGITS = 2000
# Largest float, as a bound of the magnitude estimates of closed sympy values.
_FLOAT_MAX = 1.7976931348623157e308


def is_exact_number(value) -> bool:
    """Whether ``value`` is an exact rational (int or Fraction, not bool)."""
    return isinstance(value, (int, Fraction)) and not isinstance(value, bool)


def check_number_text(text: str, where: str = "") -> None:
    """Refuse number text whose exact value would be too large to compute, before ``Fraction`` sees it.

    At most :data:`MAX_NUMBER_DIGITS` digits and an exponent of at most
    :data:`MAX_DECIMAL_EXPONENT` in either direction; the message names ``where`` (one line).

    Examples
    --------
    >>> check_number_text("2.5e-3")
    >>> check_number_text("1e99999999", "x.toml: parameters.k.default")
    Traceback (most recent call last):
        ...
    negotiation.core.errors.NegotiationError: x.toml: parameters.k.default: the number '1e99999999' has an exponent beyond ±1000 (the limit)
    """
    prefix = f"{where}: " if where else ""
    shown = text if len(text) <= 40 else text[:37] + "..."
    if len(text) > _MAX_NUMBER_TEXT or sum(character.isdigit() for character in text) > MAX_NUMBER_DIGITS + 8:
        raise NegotiationError(f"{prefix}the number {shown!r} has more than {MAX_NUMBER_DIGITS} digits (the limit)")
    match = _EXPONENT.search(text)
    if match:
        digits = match.group(1).lstrip("+-").replace("_", "").lstrip("0")
        if len(digits) > 6 or (digits and int(digits) > MAX_DECIMAL_EXPONENT):
            raise NegotiationError(f"{prefix}the number {shown!r} has an exponent beyond "
                                   f"±{MAX_DECIMAL_EXPONENT} (the limit)")
        mantissa = text[:match.start()]
    else:
        mantissa = text
    if sum(character.isdigit() for character in mantissa) > MAX_NUMBER_DIGITS:
        raise NegotiationError(f"{prefix}the number {shown!r} has more than {MAX_NUMBER_DIGITS} digits (the limit)")


def fraction_from_text(text: str, where: str = "") -> Fraction | None:
    """The exact value of number text (``"3/4"``, ``"1e-3"``), checked first; ``None`` for other text.

    A JSON payoff may be a number or an expression string: this reads the first kind within the
    limits of :func:`check_number_text` and leaves the second (``None``) to the expression parser.
    ``"1/0"`` raises ``ZeroDivisionError``.

    Examples
    --------
    >>> fraction_from_text(" 2.5e-1 "), fraction_from_text("x + 1")
    (Fraction(1, 4), None)
    >>> fraction_from_text("1e999999999", "payoff of A")
    Traceback (most recent call last):
        ...
    negotiation.core.errors.NegotiationError: payoff of A: the number '1e999999999' has an exponent beyond ±1000 (the limit)
    """
    if _NUMBER_TEXT.fullmatch(text) is None:
        return None
    check_number_text(text.strip(), where)
    try:
        return Fraction(text.strip())
    except ValueError:  # "1_" or "1__2": not Fraction's grammar after all
        return None


def parse_number(text: str) -> Fraction | float:
    """Parse ``"3/4"``, ``"-2"``, ``"0.1"`` or ``"1e-3"`` exactly.

    Text with more than :data:`MAX_NUMBER_DIGITS` digits or an exponent beyond
    :data:`MAX_DECIMAL_EXPONENT` is refused before it is converted.

    Examples
    --------
    >>> parse_number("3/4")
    Fraction(3, 4)
    >>> parse_number("0.1")
    Fraction(1, 10)
    >>> parse_number("1/0")
    Traceback (most recent call last):
        ...
    negotiation.core.errors.NegotiationError: '1/0' is not a number (expected e.g. 2, -3/4 or 0.25)
    """
    text = text.strip()
    check_number_text(text)
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise NegotiationError(f"{text!r} is not a number (expected e.g. 2, -3/4 or 0.25)") from None


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
        check_number_text(str(value), where)
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
        return _sympy_number(value, where)
    raise NegotiationError(f"{where}: expected a number, got {_shorten(repr(value))}")


def _sympy_number(value, where: str) -> Fraction | float:
    """A closed sympy value as a Fraction (rational) or a finite float, with bounded work."""
    import sympy

    if value.free_symbols:
        raise NegotiationError(f"{where}: expected a number, got the expression {_shorten(str(value))}")
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or value.is_real is False:
        raise NegotiationError(f"{where}: expected a finite real number, got {_shorten(str(value))}")
    if not _within_float_range(value):  # evaluating it would not end (exp(exp(exp(exp(exp(exp(x)))))))
        raise NegotiationError(f"{where}: expected a finite number, got {_shorten(str(value))} "
                               "(beyond the float range)")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise NegotiationError(f"{where}: expected a finite real number, got {_shorten(str(value))}") from None
    if not math.isfinite(number):
        raise NegotiationError(f"{where}: expected a finite number, got {_shorten(str(value))}")
    return number


def find_near_tie(exact, approximate) -> tuple[int, int, str] | None:
    """The first pair of payoffs that float arithmetic would take as tied although their exact values differ.

    ``exact`` holds one player's payoffs as given (closed sympy values, ``Fraction`` or ``float``),
    ``approximate`` the numbers the solvers will use (``float`` where the exact value is irrational).
    Neighbours in sorted order closer than :data:`NEAR_TIE_TOLERANCE` times the payoff scale (the larger
    of their range and largest absolute value) are compared exactly with sympy's adaptive precision (at
    most :data:`NEAR_TIE_DIGITS` digits); a pair given as floats is never questioned. Returns ``(i, j,
    difference)`` with ``difference`` as text (``"1.7e-10"``, or ``"less than 1e-2000"`` when undecided),
    or ``None``. Cheap when nothing is near: a sort.

    Examples
    --------
    >>> import sympy
    >>> exact = [sympy.exp(sympy.Rational(1, 1000)), sympy.Rational(2002001, 2000000), sympy.Integer(0)]
    >>> find_near_tie(exact, [float(value) for value in exact])
    (0, 1, '1.7e-10')
    >>> find_near_tie([sympy.E, sympy.E], [float(sympy.E)] * 2) is None
    True
    """
    if len(approximate) < 2 or all(isinstance(value, Fraction) for value in approximate):
        return None
    try:
        floats = [float(value) for value in approximate]
    except OverflowError:  # an exact payoff beyond the float range: the game refuses it (it cannot be a float)
        return None
    tolerance = NEAR_TIE_TOLERANCE * max(max(floats) - min(floats), max(abs(value) for value in floats))
    order = sorted(range(len(floats)), key=floats.__getitem__)
    for first, second in zip(order, order[1:]):
        if floats[second] - floats[first] > tolerance:
            continue
        if isinstance(exact[first], float) and isinstance(exact[second], float):
            continue
        difference = _exact_difference(exact[first], exact[second])
        if difference is not None:
            return min(first, second), max(first, second), difference
    return None


def _exact_difference(first, second) -> str | None:
    """``|first - second|`` as short text, ``None`` when they are equal (``"less than 1e-N"`` if undecided)."""
    import sympy

    def exact(value):
        if isinstance(value, Fraction):
            return sympy.Rational(value.numerator, value.denominator)
        return value if isinstance(value, sympy.Basic) else sympy.Float(value, 17)

    difference = exact(first) - exact(second)
    if difference == 0:
        return None
    value = abs(difference.evalf(15, maxn=NEAR_TIE_DIGITS))
    if value == 0:
        return None
    if not isinstance(value, sympy.Float) or value._prec < 10:  # no correct digit: agree to NEAR_TIE_DIGITS digits
        return f"less than 1e-{NEAR_TIE_DIGITS}"
    return sympy.sstr(value.evalf(2), full_prec=False).replace("e-0", "e-")


def _shorten(text: str, length: int = 120) -> str:
    return text if len(text) <= length else text[: length - 3] + "..."


def _within_float_range(value) -> bool:
    """Whether every intermediate value of a closed sympy expression stays within the float range.

    A cheap float estimate of each node's magnitude (a walk over the expression's shared
    nodes): sums and products bound their terms, ``exp`` and powers are estimated with
    logarithms. It only guards the exact evaluation that follows (which is what is returned);
    ``False`` means some intermediate value overflows a float.
    """
    import sympy

    magnitude: dict = {}  # node -> estimate of log(|value|), or None where unknown (treated as bounded)
    stack = [(value, False)]
    while stack:
        node, ready = stack.pop()
        if node in magnitude:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args if arg not in magnitude)
            continue
        estimate = _log_magnitude(node, [magnitude.get(arg) for arg in node.args], sympy)
        if estimate is not None and estimate > math.log(_FLOAT_MAX):
            return False
        magnitude[node] = estimate
    return True


def _log_magnitude(node, logs, sympy):
    """An estimate of ``log(|node|)`` from those of its arguments (``None``: small or unknown)."""
    known = [0.0 if entry is None else entry for entry in logs]
    if isinstance(node, sympy.Rational):
        return (abs(node.p).bit_length() - node.q.bit_length()) * math.log(2)
    if isinstance(node, sympy.Float):
        value = abs(float(node))  # not node != 0: a sympy Float 0.0 is not equal to the integer 0
        return math.log(value) if value != 0 else None
    if isinstance(node, sympy.exp):
        exponent = node.args[0]
        if exponent.is_real is False:
            return None
        size = known[0]
        if size > math.log(_FLOAT_MAX):
            return math.inf
        try:
            return float(exponent)
        except (TypeError, ValueError, OverflowError):
            return None
    if isinstance(node, sympy.Pow):
        base, exponent = known
        try:
            power = float(node.args[1]) if node.args[1].is_real is not False else 0.0
        except (TypeError, ValueError, OverflowError):
            return None
        if exponent > math.log(_FLOAT_MAX):
            return math.inf
        return base * power if abs(base) > 0 else None
    if isinstance(node, sympy.Mul):
        return sum(known)
    if not known:
        return None
    # Sums, Max, Min, Abs, Piecewise, logarithms, comparisons: at most the largest argument (plus one bit per term)
    return max(known) + math.log(len(known))


def is_sympy(value) -> bool:
    """Whether ``value`` is a sympy object (checked without importing sympy).

    Examples
    --------
    >>> is_sympy(3), is_sympy("x")
    (False, False)
    """
    kind = type(value)
    # a subclass defined elsewhere (a shared derived quantity) is sympy too
    return kind.__module__.startswith("sympy") or any(c.__module__.startswith("sympy") for c in kind.__mro__[1:])


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
        check_number_text(text, where)
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise NegotiationError(f"{where}: {_shorten(repr(text))} is not a number "
                                   "(expected e.g. 2, -3/4 or 0.25)") from None
    try:  # sympy Rational and friends
        number = coerce_number(value, where=where)
    except ValueError:
        raise NegotiationError(f"{where}: expected a number, got {value!r}") from None
    return number if isinstance(number, Fraction) else Fraction(repr(number))


# ---------------------------------------------------------------------- zero in displays
def scale_of(values) -> float:
    """The scale of some numbers: the largest magnitude among the finite ones (0 when there are none);
    text, booleans, ``None`` and formulas with symbols are left out.

    Examples
    --------
    >>> scale_of([-10, Fraction(7, 2), "no limit", None, float("inf")])
    10.0
    """
    scale = 0.0
    for value in values:
        if value is None or isinstance(value, (str, bool)):
            continue
        try:
            magnitude = abs(value.numerator / value.denominator if isinstance(value, Fraction) else float(value))
        except (TypeError, ValueError, OverflowError):  # a formula with symbols, a label cell, a huge fraction
            continue
        if math.isfinite(magnitude):
            scale = max(scale, magnitude)
    return scale


def snap_zero(value, scale: float):
    """A float within :data:`ZERO_TOLERANCE` × ``scale`` of zero as ``0.0`` (for display only); anything else
    unchanged. Exact values are never changed: an exact ``1/10**15`` stays itself.

    Examples
    --------
    >>> snap_zero(-1.48148e-12, 10.0), snap_zero(-1.48148e-12, 1e-12), snap_zero(Fraction(1, 10**15), 10.0)
    (0.0, -1.48148e-12, Fraction(1, 1000000000000000))
    """
    if isinstance(value, float) and abs(value) <= ZERO_TOLERANCE * scale:
        return 0.0
    return value
