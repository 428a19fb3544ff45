"""Numbers, evaluation, readable closed forms and the work budget of the symbolic layer.

:func:`evaluate` gives the exact value of an expression at a parameter point; :func:`tidy` a
readable, equivalent form of a closed form (cancelled, factored or collected, factors signed
positive at the defaults); :class:`Budget` and :func:`time_limited` bound the optional
``sympy.simplify`` calls, whose result is never needed for correctness.

The work budget of a derivation
-------------------------------
Every derivation (:func:`negotiation.symbolic.derive` of any model) runs under
:func:`bounded_derivation`:

=============================  =========  ===================================================
limit                          value      what happens
=============================  =========  ===================================================
:data:`MAX_DERIVATION_SIZE`    10 000     a payoff larger than this once its shared derived
                                          quantities are expanded is refused before any work
:data:`MAX_DERIVATION_DEGREE`  12         a payoff of higher total degree is refused before any work
                                          (``(p + 1)**100 - (p - 1)**100``: factoring and isolating the
                                          roots of such polynomials takes seconds to minutes)
:data:`MAX_DERIVATION_PIECES`  50         a payoff with more ``Min``/``Max`` arguments and ``Piecewise``
                                          branches is refused before any work (each is a case to split)
:data:`DERIVATION_SECONDS`     60         a derivation still running is stopped
=============================  =========  ===================================================

All end in a one-line :class:`DerivationLimitError` that names the derivation (the scenario file)
and suggests numeric analysis (``negotiation solve --set``, ``negotiation sweep``). The time limit is
raised with ``derive(model, time_limit=seconds)`` or ``negotiation derive --time-limit SECONDS``
(``None`` / ``0``: no limit). It needs ``SIGALRM`` in the main thread; elsewhere the derivation runs
unbounded, as the optional simplifications then do not run at all.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
import time
from fractions import Fraction
from typing import Mapping

import sympy

from negotiation.core.errors import SolverLimitError
from negotiation.core.expression_rules import ExpressionError
from negotiation.core.shared_expressions import expand_shared, measure

__all__ = ["evaluate", "tidy", "to_sympy_number", "to_python_number", "Budget", "time_limited", "collect_nicely",
           "SIMPLIFY_ABOVE", "DERIVATION_SECONDS", "MAX_DERIVATION_SIZE", "MAX_DERIVATION_DEGREE",
           "MAX_DERIVATION_PIECES", "DerivationLimitError",
           "bounded_derivation", "derivation_deadline", "expand_for_derivation"]

#: ``tidy`` tries ``sympy.simplify`` only on forms with more operations than this.
SIMPLIFY_ABOVE = 16
#: Seconds (wall clock) a derivation may take before it is stopped.
DERIVATION_SECONDS = 60.0
#: Largest payoff a derivation takes: elements of its tree with shared derived quantities expanded.
MAX_DERIVATION_SIZE = 10_000
#: Highest total degree of a payoff a derivation takes (its shared derived quantities expanded): the
#: conditions factor and solve polynomials of about this degree; degree 16 already takes a second.
MAX_DERIVATION_DEGREE = 12
#: Most ``Min``/``Max`` arguments and ``Piecewise`` branches in one payoff of a derivation: each is a case
#: the conditions split on (``Max`` of 50 linear terms takes most of a second, of 100 several).
MAX_DERIVATION_PIECES = 50
# Once the deadline has passed, the alarm fires again at this interval until the derivation stops.
_REPEAT = 0.5


class DerivationLimitError(SolverLimitError):
    """A derivation too large for closed forms: it passed its time limit, or a payoff is too large."""


class _DeadlinePassed(BaseException):
    """Raised by the alarm once the derivation's deadline has passed (a BaseException: sympy code
    that catches ``Exception`` does not swallow it)."""


# Deadlines (time.monotonic()) of the derivations running in this thread, innermost last.
_DEADLINES: list = []


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


def _alarm(signum, frame):
    if _DEADLINES and time.monotonic() >= _DEADLINES[-1] - 1e-3:
        raise _DeadlinePassed
    raise _Timeout


def _can_alarm() -> bool:
    """SIGALRM can guard a step here: the main thread of a POSIX process."""
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


def _rearm() -> None:
    """Set the timer for the innermost running derivation (or stop it when none runs)."""
    if _DEADLINES:
        signal.setitimer(signal.ITIMER_REAL, max(_DEADLINES[-1] - time.monotonic(), 1e-3), _REPEAT)
    else:
        signal.setitimer(signal.ITIMER_REAL, 0)


def time_limited(function, args, seconds: float):
    """Run ``function(*args)`` with a SIGALRM time limit; ``None`` on timeout.

    The guard needs the main thread of a POSIX process and no interval timer already
    running other than a derivation's own deadline (pytest-timeout's signal method, for
    instance); without it the optional step is skipped rather than run unguarded. Inside a
    derivation the step also stops at the derivation's deadline, which then stops the derivation.
    """
    if not _can_alarm() or (signal.getitimer(signal.ITIMER_REAL)[0] > 0 and not _DEADLINES):
        return None
    if _DEADLINES:
        seconds = min(seconds, _DEADLINES[-1] - time.monotonic())
        if seconds <= 0:
            raise _DeadlinePassed
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        # repeating: an alarm raised inside a weakref or garbage-collector callback is swallowed by Python
        # (pytest reports it as an "unraisable exception"), and a one-shot timer then never stops the step
        signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
        try:
            return function(*args)
        finally:
            _rearm()
    except _Timeout:
        return None
    except Exception:  # a simplification that fails is simply not used
        return None
    finally:
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def derivation_deadline(seconds: float | None, message: str):
    """Stop the work inside the ``with`` block after ``seconds``: a :class:`DerivationLimitError` with ``message``.

    Nested deadlines keep the earliest. ``None`` or ``0``, or a thread where SIGALRM cannot be
    used, or another interval timer already running: no limit.

    Examples
    --------
    >>> with derivation_deadline(0.05, "example: too slow"):
    ...     while True:
    ...         pass
    Traceback (most recent call last):
        ...
    negotiation.symbolic.simplify.DerivationLimitError: example: too slow
    """
    if not seconds or not _can_alarm() or (signal.getitimer(signal.ITIMER_REAL)[0] > 0 and not _DEADLINES):
        yield
        return
    deadline = time.monotonic() + seconds
    if _DEADLINES:
        deadline = min(deadline, _DEADLINES[-1])
    previous = signal.signal(signal.SIGALRM, _alarm)
    _DEADLINES.append(deadline)
    try:
        _rearm()
        yield
    except _DeadlinePassed:
        if len(_DEADLINES) > 1 and _DEADLINES[-2] <= deadline:  # the outer deadline: let it report
            raise
        raise DerivationLimitError(message) from None
    finally:
        _DEADLINES.pop()
        _rearm()
        signal.signal(signal.SIGALRM, previous)


def bounded_derivation(function):
    """Run a family's derivation under the work budget (decorate it below ``@derive.register``).

    Adds the option ``time_limit`` (seconds, default :data:`DERIVATION_SECONDS`; ``None``: none). The
    message names ``name`` (a scenario's file) or the model's title.
    """
    @functools.wraps(function)
    def derivation(model, values=None, *, time_limit: float | None = DERIVATION_SECONDS, **options):
        name = options.get("name") or getattr(model, "title", "") or type(model).__name__
        message = (f"{name}: the symbolic derivation did not finish within {time_limit:g} s (the limit; "
                   "raise it with --time-limit or time_limit=); the model is too large for closed forms, "
                   "analyse it numerically instead (negotiation solve --set, negotiation sweep)"
                   if time_limit else "")
        with derivation_deadline(time_limit, message):
            return function(model, values, **options)

    return derivation


def expand_for_derivation(expression, where: str):
    """``expression`` with its shared derived quantities expanded, if the expansion has at most
    :data:`MAX_DERIVATION_SIZE` elements, degree :data:`MAX_DERIVATION_DEGREE` and
    :data:`MAX_DERIVATION_PIECES` pieces (else a :class:`DerivationLimitError` naming ``where``)."""
    if not isinstance(expression, sympy.Basic):
        return expression
    try:
        expanded = expand_shared(expression, limit=MAX_DERIVATION_SIZE, where=where)
    except ExpressionError as error:
        raise DerivationLimitError(str(error)) from None
    advice = ("too large for closed forms; analyse the model numerically instead "
              "(negotiation solve --set, negotiation sweep)")
    degree = measure(expanded).degree
    if degree > MAX_DERIVATION_DEGREE:
        raise DerivationLimitError(f"{where}: a payoff has degree {degree:,}, more than {MAX_DERIVATION_DEGREE} (the "
                                   f"limit of a symbolic derivation): {advice}")
    pieces = _pieces(expanded)
    if pieces > MAX_DERIVATION_PIECES:
        raise DerivationLimitError(f"{where}: a payoff has {pieces:,} Min/Max arguments and Piecewise branches, more "
                                   f"than {MAX_DERIVATION_PIECES} (the limit of a symbolic derivation): {advice}")
    return expanded


def _pieces(expression) -> int:
    """The ``Min``/``Max`` arguments and ``Piecewise`` branches of ``expression``, counted in the tree as
    written out: a part that occurs twice counts twice, since the derivation splits cases in each
    occurrence (``d_k = Max(d_{k-1}, x) + Min(d_{k-1}, 1 - x)`` has 4, 12, 28, 60, … at k = 1, 2, 3, 4;
    the distinct parts alone stayed under the limit while level 5 took over 2 s). One post-order walk
    over the distinct nodes, each node's count kept."""
    counts: dict = {}
    stack = [(expression, False)]
    while stack:
        node, children_done = stack.pop()
        if node in counts:
            continue
        if not children_done:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args if arg not in counts)
            continue
        own = len(node.args) if isinstance(node, (sympy.Min, sympy.Max, sympy.Piecewise)) else 0
        counts[node] = own + sum(counts[arg] for arg in node.args)
    return counts[expression]


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
