"""Numbers of the agreement-set engine: exact (``Fraction``, sympy algebraic numbers) or float, compared alike.

The engine keeps rationals as ``Fraction`` and algebraic numbers (roots of polynomials) as sympy
expressions; :func:`compare` orders any two of them exactly, and the keys below order candidate
agreements by a solution's criterion exactly (the Nash product raised to the common denominator of
the weights, the sorted normalised gains).
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy

from negotiation.core.numeric import is_sympy
from negotiation.models.bargaining import as_sympy, to_float

__all__ = ["TOL", "ExactKey", "as_fraction", "compare", "from_sympy", "is_exact", "lex_compare", "leximin_key",
           "lexmax", "magnitude", "nash_key", "simplify"]

#: Relative tolerance of floating-point comparisons.
TOL = 1e-9


def is_exact(value) -> bool:
    """Whether a number is exact: int, Fraction, or a sympy number without floats."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, Fraction)):
        return True
    if is_sympy(value):
        return not value.has(sympy.Float)
    return False


def as_fraction(value):
    """sympy Rational -> Fraction; other numbers unchanged."""
    if is_sympy(value):
        if isinstance(value, sympy.Rational):
            return Fraction(int(value.p), int(value.q))
    return value


def compare(a, b) -> int:
    """-1, 0 or 1 for exact or float numbers (sympy algebraic numbers compared exactly)."""
    if not is_sympy(a) and not is_sympy(b):
        return int(a > b) - int(a < b)
    difference = as_sympy(a) - as_sympy(b)
    value = difference.evalf(60)
    if value.is_comparable and abs(value) > sympy.Float("1e-40"):
        return 1 if value > 0 else -1
    if sympy.simplify(difference) == 0:
        return 0
    return 1 if difference.evalf(300) > 0 else -1


def simplify(value):
    """A pretty exact value: Fraction for rationals, radsimp'd sympy for algebraic numbers."""
    if is_sympy(value):
        if value.has(sympy.Float):
            return float(value)
        simple = sympy.radsimp(sympy.simplify(value)) if not value.has(sympy.CRootOf) else value
        if isinstance(simple, sympy.Rational):
            return Fraction(int(simple.p), int(simple.q))
        return simple
    return value


def from_sympy(value):
    """A sympy value as ``Fraction`` (rational) or float (with floats in it); algebraic numbers unchanged."""
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if value.has(sympy.Float):
        return float(value)
    return value


def magnitude(values) -> float:
    """The scale of some numbers (at least 1), for relative float tolerances."""
    return max([1.0] + [abs(to_float(v)) for v in values])


def lexmax(items, key_exact, counter=None):
    """The item whose exact key (a tuple) is lexicographically largest (``counter[0]``: how many tie)."""
    best = None
    best_key = None
    ties = 0
    for item in items:
        key = key_exact(item)
        order = 1 if best is None else lex_compare(key, best_key)
        if order > 0:
            best, best_key, ties = item, key, 1
        elif order == 0:
            ties += 1
    if counter is not None:
        counter[:] = [ties]
    return best, best_key


def lex_compare(a, b) -> int:
    """-1, 0 or 1: tuples of exact or float numbers compared lexicographically (exactly)."""
    for x, y in zip(a, b):
        c = compare(x, y)
        if c:
            return c
    return (len(a) > len(b)) - (len(a) < len(b))


def nash_key(gains, weights):
    """A key ordered like the weighted Nash product ``prod g_i^w_i`` (all gains positive).

    With rational weights and exact gains the product is raised to the common
    denominator of the weights, so the comparison stays exact.
    """
    if all(isinstance(w, (int, Fraction)) for w in weights) and not any(isinstance(g, float) for g in gains):
        weights = [Fraction(w) for w in weights]
        common = math.lcm(*(w.denominator for w in weights))
        exponents = [int(w * common) for w in weights]
        divisor = math.gcd(*exponents)
        if any(is_sympy(g) for g in gains):
            return (sympy.Mul(*(as_sympy(g) ** (e // divisor) for g, e in zip(gains, exponents))),)
        product = Fraction(1)
        for g, e in zip(gains, exponents):
            product *= Fraction(g) ** (e // divisor)
        return (product,)
    floats = [to_float(g) for g in gains]
    if any(g <= 0 for g in floats):
        return (-math.inf,)  # no strict gain for someone: the Nash product is 0
    return (sum(to_float(w) * math.log(g) for g, w in zip(floats, weights)),)


def leximin_key(u, d, s):
    """Normalised gains of the parties with positive scale, sorted ascending (exact)."""
    values = sorted(((x - y) / z for x, y, z in zip(u, d, s) if z > 0), key=lambda v: to_float(v))
    return tuple(values)


class ExactKey:
    """Sort key for exact and float numbers alike."""

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return compare(self.value, other.value) < 0

    def __gt__(self, other):
        return compare(self.value, other.value) > 0
