"""Numbers, evaluation and readable closed forms for the symbolic layer.

:func:`evaluate` gives the exact value of an expression at a parameter point; :func:`tidy` a
readable, equivalent form of a closed form (cancelled, factored or collected, factors signed
positive at the defaults); :class:`Budget` and :func:`time_limited` bound the optional
``sympy.simplify`` calls, whose result is never needed for correctness.
"""

from __future__ import annotations

import signal
import threading
import time
from fractions import Fraction
from typing import Mapping

import sympy

__all__ = ["evaluate", "tidy", "to_sympy_number", "to_python_number", "Budget", "time_limited", "collect_nicely",
           "SIMPLIFY_ABOVE"]

#: ``tidy`` tries ``sympy.simplify`` only on forms with more operations than this.
SIMPLIFY_ABOVE = 16


# ---------------------------------------------------------------------- numbers and time
def to_sympy_number(value):
    """A number (``Fraction``, ``int``, ``"3/4"``, float) or sympy object as a sympy object."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, str):
        return to_sympy_number(Fraction(value))
    return sympy.Float(value)


def to_python_number(value):
    """A closed sympy number as ``Fraction`` (rational) or ``float``; ``None`` if not finite."""
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or value.free_symbols:
        return None
    try:
        number = complex(value)
    except (TypeError, ValueError):
        return None
    if number.imag != 0:
        return None
    return float(number.real)


def evaluate(expression, values: Mapping):
    """Value of a sympy expression at parameter values, exact where possible.

    Parameters
    ----------
    expression : sympy expression
    values : mapping
        Parameter name -> number (``Fraction``, ``int``, ``float`` or a string such as ``"3/4"``).

    Returns
    -------
    Fraction or float or None
        ``None`` where the expression is undefined (a zero denominator) or not real.

    Examples
    --------
    >>> import sympy
    >>> k, G = sympy.symbols("k G")
    >>> evaluate(k / G, {"k": 1, "G": 4})
    Fraction(1, 4)
    >>> evaluate(k / G, {"k": 1, "G": 0}) is None
    True
    """
    expression = sympy.sympify(expression)
    replacement = {s: to_sympy_number(values[s.name]) for s in expression.free_symbols if s.name in values}
    return to_python_number(expression.xreplace(replacement))


class Budget:
    """A wall-clock budget for optional sympy simplification (skipped once it is spent)."""

    def __init__(self, seconds: float = 3.0, per_call: float = 0.5):
        self.deadline = time.monotonic() + seconds
        self.per_call = per_call

    def run(self, function, *args):
        """``function(*args)``, or ``None`` if it would overrun the budget or cannot be guarded."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return None
        return time_limited(function, args, min(self.per_call, remaining))


class _Timeout(Exception):
    pass


def time_limited(function, args, seconds: float):
    """Run ``function(*args)`` with a SIGALRM time limit; ``None`` on timeout.

    The guard needs the main thread of a POSIX process and no interval timer already
    running (pytest-timeout's signal method, for instance); without it the optional
    step is skipped rather than run unguarded.
    """
    if (threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer")
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0):
        return None

    def alarm(signum, frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return function(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Timeout:
        return None
    except Exception:  # a simplification that fails is simply not used
        return None
    finally:
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------- tidy closed forms
def collect_nicely(expression):
    """Collect the symbol shared by most terms of a sum, recursively (``L - L*phi - W`` -> ``L*(1 - phi) - W``)."""
    if not isinstance(expression, sympy.Add):
        return expression
    counts = {}
    for term in expression.args:
        for symbol in term.free_symbols:
            counts[symbol] = counts.get(symbol, 0) + 1
    best = [s for s, n in counts.items() if n >= 2]
    if not best:
        return expression
    symbol = min(best, key=lambda s: (-counts[s], s.name))
    with_symbol = sympy.Add(*[t for t in expression.args if t.has(symbol)])
    rest = sympy.Add(*[t for t in expression.args if not t.has(symbol)])
    coefficient = sympy.expand(with_symbol / symbol)
    if coefficient.has(symbol):  # a power: leave as it is
        return expression
    inner = collect_nicely(coefficient)
    return symbol * inner + collect_nicely(rest)


def _nice_polynomial(polynomial, reference):
    """``(sign, form)``: a readable form of a polynomial, factored where that helps.

    Each factor is signed to be positive at ``reference`` (``L*omega*(phi - 1)`` becomes
    ``-L*omega*(1 - phi)``); ``sign`` (±1) is what the factors' sign changes multiply to.
    """
    collected = collect_nicely(polynomial)
    try:
        factored = sympy.factor(polynomial)
    except (sympy.PolynomialError, NotImplementedError):
        return 1, collected
    sign = 1
    factors = []
    for factor in sympy.Mul.make_args(factored):
        base, exponent = factor.as_base_exp()
        if base.is_number:
            factors.append(factor)
            continue
        if isinstance(base, sympy.Add):
            value = evaluate(base, reference) if reference else None
            negative = value < 0 if value not in (None, 0) else base.could_extract_minus_sign()
            if negative:
                base = sympy.expand(-base)
                if exponent % 2:
                    sign = -sign
            base = collect_nicely(base)
        factors.append(sympy.Pow(base, exponent, evaluate=False) if exponent != 1 else base)
    form = sympy.Mul(*factors)
    if sympy.count_ops(collected) < sympy.count_ops(form):
        return 1, collected
    return sign, form


def tidy(expression, reference: Mapping | None = None, budget: Budget | None = None):
    """A readable, equivalent form of a closed-form expression.

    Cancels the fraction, factors or collects numerator and denominator, and signs the
    factors so that they are positive at ``reference`` (the defaults), which keeps
    denominators positive there. For long results (more than :data:`SIMPLIFY_ABOVE`
    operations) ``sympy.simplify`` is tried too, under the time ``budget``, and used only if
    it is clearly shorter (at least a quarter fewer operations).

    Examples
    --------
    >>> import sympy
    >>> k, v, L, W, phi = sympy.symbols("k v L W phi")
    >>> tidy((v - k) / (L*phi - L + W), {"k": 1, "v": 0, "L": 10, "W": 2, "phi": sympy.Rational(1, 4)})
    (k - v)/(L*(1 - phi) - W)
    """
    expression = sympy.sympify(expression)
    if not expression.free_symbols or expression.has(sympy.Piecewise, sympy.Min, sympy.Max):
        return expression
    best = expression
    try:
        numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(expression)))
        sign_n, numerator = _nice_polynomial(sympy.expand(numerator), reference)
        sign_d, denominator = _nice_polynomial(sympy.expand(denominator), reference)
        if sign_n * sign_d < 0:
            numerator = _negate_expression(numerator)
        best = numerator / denominator if denominator != 1 else numerator
    except (sympy.PolynomialError, NotImplementedError, TypeError):
        pass
    if budget is not None and sympy.count_ops(best) > SIMPLIFY_ABOVE:
        simplified = budget.run(sympy.simplify, expression)
        if simplified is not None and 4 * sympy.count_ops(simplified) <= 3 * sympy.count_ops(best):
            best = simplified
    return best


def _negate_expression(expression):
    """``-expression``, keeping a collected sum readable (``-(a - b)`` becomes ``b - a``)."""
    if isinstance(expression, sympy.Add):
        return sympy.Add(*[-term for term in expression.args])
    return -expression
