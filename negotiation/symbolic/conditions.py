"""Equilibrium conditions of a parameterised strategic game, as regions in the parameters.

The building blocks of :func:`negotiation.symbolic.derive`:

* an :class:`Inequality` is one comparison ``expression ⋛ 0`` of a polynomial (or other
  expression) in the parameters with zero; a :class:`Condition` is a disjunction of
  conjunctions of inequalities (``(a and b) or (c and d)``), the form every derived
  region takes;
* :func:`pure_conditions` gives, for each pure profile of a game with any number of
  players, the conjunction of "no player gains by a unilateral deviation";
* :func:`mixed_solutions` gives, for each pair of equal-size supports of a two-player game,
  the probabilities that make each player indifferent on its support (closed forms by
  Cramer's rule), the payoffs, and the region where they form an equilibrium:
  probabilities positive on the support and no profitable deviation outside it.

Simplification is *sound*: an inequality is dropped only when it is proved to hold on the
whole parameter box (``low <= p <= high`` for every parameter, tightened by one-parameter
assumptions), and a conjunction is dropped only when one of its inequalities is proved
to fail there, or when it contradicts another inequality or an assumption. The proofs use
exact arithmetic: a multilinear polynomial takes its extremes over a box at the box's
vertices; other polynomials are bounded by interval arithmetic (a conservative
enclosure); expressions with unbounded parameters fall back on sympy's assumptions.
Nothing is dropped on a guess.
"""

from __future__ import annotations

import itertools
import math
import signal
import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Mapping

import sympy
from negotiation.core.errors import NegotiationError
from negotiation.core.parameters import ParameterSpace

__all__ = ["Inequality", "Condition", "PureCondition", "MixedSolution", "Context", "FixedParameters", "fix_parameters",
           "pure_conditions", "mixed_solutions", "evaluate", "tidy"]

#: Sign sets: which signs (-1, 0, +1) of the expression a relation admits.
NEGATIVE, ZERO, POSITIVE = -1, 0, 1
ALL_SIGNS = frozenset({NEGATIVE, ZERO, POSITIVE})
RELATION_SIGNS = {
    ">": frozenset({POSITIVE}),
    ">=": frozenset({ZERO, POSITIVE}),
    "<": frozenset({NEGATIVE}),
    "<=": frozenset({NEGATIVE, ZERO}),
    "==": frozenset({ZERO}),
    "!=": frozenset({NEGATIVE, POSITIVE}),
}
SIGNS_RELATION = {signs: relation for relation, signs in RELATION_SIGNS.items()}
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
_TEXT = {">": ">", ">=": ">=", "<": "<", "<=": "<=", "==": "=", "!=": "!="}
_SYMPY_RELATION = {">": sympy.StrictGreaterThan, ">=": sympy.GreaterThan, "<": sympy.StrictLessThan,
                   "<=": sympy.LessThan, "==": sympy.Equality, "!=": sympy.Unequality}

#: At most this many parameters in one expression for the exact vertex check (2**n points).
MAX_VERTEX_PARAMETERS = 12
#: At most this many support pairs get closed forms (a 6×6 game has 923).
MAX_SUPPORT_PAIRS = 1000
#: ``tidy`` tries ``sympy.simplify`` only on forms with more operations than this.
SIMPLIFY_ABOVE = 16


# ---------------------------------------------------------------------- numbers and time
def _to_sympy_number(value):
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, str):
        return _to_sympy_number(Fraction(value))
    return sympy.Float(value)


def _to_python_number(value):
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
    replacement = {s: _to_sympy_number(values[s.name]) for s in expression.free_symbols if s.name in values}
    return _to_python_number(expression.xreplace(replacement))


class _Budget:
    """A wall-clock budget for optional sympy simplification (skipped once it is spent)."""

    def __init__(self, seconds: float = 3.0, per_call: float = 0.5):
        self.deadline = time.monotonic() + seconds
        self.per_call = per_call

    def run(self, function, *args):
        """``function(*args)``, or ``None`` if it would overrun the budget or cannot be guarded."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return None
        return _time_limited(function, args, min(self.per_call, remaining))


class _Timeout(Exception):
    pass


def _time_limited(function, args, seconds: float):
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
def _collect_nicely(expression):
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
    inner = _collect_nicely(coefficient)
    return symbol * inner + _collect_nicely(rest)


def _nice_polynomial(polynomial, reference):
    """``(sign, form)``: a readable form of a polynomial, factored where that helps.

    Each factor is signed to be positive at ``reference`` (``L*omega*(phi - 1)`` becomes
    ``-L*omega*(1 - phi)``); ``sign`` (±1) is what the factors' sign changes multiply to.
    """
    collected = _collect_nicely(polynomial)
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
            base = _collect_nicely(base)
        factors.append(sympy.Pow(base, exponent, evaluate=False) if exponent != 1 else base)
    form = sympy.Mul(*factors)
    if sympy.count_ops(collected) < sympy.count_ops(form):
        return 1, collected
    return sign, form


def tidy(expression, reference: Mapping | None = None, budget: _Budget | None = None):
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


# ---------------------------------------------------------------------- inequalities
def _split_signs(expression):
    """``(positive terms, negated negative terms)`` of an expanded sum."""
    positive, negative = [], []
    for term in sympy.Add.make_args(expression):
        (negative if term.could_extract_minus_sign() else positive).append(term)
    return sympy.Add(*positive), -sympy.Add(*negative)


@dataclass(frozen=True)
class Inequality:
    """One comparison of an expression in the parameters with zero: ``expression relation 0``.

    Parameters
    ----------
    expression : sympy expression
        In canonical form (expanded, primitive, sign normalised), so equal boundaries
        compare equal.
    relation : str
        One of ``> >= < <= == !=``.
    lhs, rhs, shown_relation : sympy expressions and str
        The same comparison as shown to readers: ``lhs shown_relation rhs`` (``G*omega + v > k``).

    Examples
    --------
    >>> import sympy
    >>> G, omega, v, k = sympy.symbols("G omega v k", nonnegative=True)
    >>> atom = Inequality(G*omega - k + v, ">", G*omega + v, k)
    >>> str(atom), atom.holds({"G": 4, "omega": "1/2", "v": 0, "k": 1})
    ('G*omega + v > k', True)
    """

    expression: object
    relation: str
    lhs: object = field(default=None, compare=False, repr=False)
    rhs: object = field(default=None, compare=False, repr=False)
    shown_relation: str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.relation not in RELATION_SIGNS:
            raise NegotiationError(f"unknown relation {self.relation!r}")
        if self.lhs is None or self.rhs is None:
            object.__setattr__(self, "lhs", self.expression)
            object.__setattr__(self, "rhs", sympy.Integer(0))
        if self.shown_relation is None:
            object.__setattr__(self, "shown_relation", self.relation)

    @property
    def signs(self) -> frozenset:
        """Signs of :attr:`expression` that satisfy the inequality."""
        return RELATION_SIGNS[self.relation]

    @property
    def boundary(self):
        """The equation where the two sides are equal, as a sympy ``Eq``."""
        return sympy.Eq(self.lhs, self.rhs, evaluate=False)

    def as_sympy(self):
        """The comparison as a sympy relational (not evaluated)."""
        return _SYMPY_RELATION[self.shown_relation](self.lhs, self.rhs, evaluate=False)

    @cached_property
    def _compiled(self):
        return _compile(self.expression)

    def value(self, values: Mapping):
        """The expression's value at ``values`` (``Fraction``/``float``; ``None`` if undefined)."""
        return self._compiled(values)

    def holds(self, values: Mapping) -> bool:
        """Whether the comparison holds at ``values`` (parameter name -> number)."""
        value = self.value(values)
        if value is None:
            return False
        return _sign(value) in self.signs

    def on_boundary(self, values: Mapping) -> bool:
        """Whether the two sides are equal at ``values``."""
        return self.value(values) == 0

    def __str__(self) -> str:
        return f"{sympy.sstr(self.lhs)} {_TEXT[self.shown_relation]} {sympy.sstr(self.rhs)}"

    def to_latex(self) -> str:
        symbol = {">": ">", ">=": r"\geq", "<": "<", "<=": r"\leq", "==": "=", "!=": r"\neq"}[self.shown_relation]
        return f"{sympy.latex(self.lhs)} {symbol} {sympy.latex(self.rhs)}"


def _sign(value) -> int:
    return int(bool(value > 0)) - int(bool(value < 0))


def _compile(expression):
    """A fast exact evaluator of a polynomial with rational coefficients (else sympy substitution)."""
    symbols = sorted(expression.free_symbols, key=lambda s: s.name)
    try:
        polynomial = sympy.Poly(expression, *symbols, domain="QQ") if symbols else None
    except (sympy.PolynomialError, sympy.polys.polyerrors.CoercionFailed, NotImplementedError):
        polynomial = False
    if polynomial is False:
        return lambda values: evaluate(expression, values)
    if polynomial is None:
        constant = _to_python_number(expression)
        return lambda values: constant
    names = [s.name for s in symbols]
    degrees = polynomial.degree_list()
    scale = 1
    for _, c in polynomial.terms():
        scale = scale * int(c.denominator) // math.gcd(scale, int(c.denominator))
    # integer coefficients of scale * polynomial; each term as ((variable index, exponent), …)
    integer_terms = [(int(c.numerator) * (scale // int(c.denominator)),
                      tuple((i, e) for i, e in enumerate(monomial)))
                     for monomial, c in polynomial.terms()]
    float_terms = [(float(c), monomial) for monomial, c in polynomial.terms()]

    def value(values):
        point = [_to_fraction(values[name]) for name in names]
        if any(isinstance(x, float) for x in point):
            return sum(c * math.prod(x ** e for x, e in zip(point, monomial) if e) for c, monomial in float_terms)
        # exact and fast: with x_i = n_i / d_i, scale * prod(d_i ** deg_i) * p(x) is an integer
        numerators = [x.numerator for x in point]
        denominators = [x.denominator for x in point]
        total = 0
        for coefficient, monomial in integer_terms:
            product = coefficient
            for i, e in monomial:
                if e:
                    product *= numerators[i] ** e
                if degrees[i] - e:
                    product *= denominators[i] ** (degrees[i] - e)
            total += product
        divisor = scale
        for d, degree in zip(denominators, degrees):
            divisor *= d ** degree
        return Fraction(total, divisor)

    return value


def _to_fraction(value):
    if isinstance(value, (Fraction, float)):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str):
        return Fraction(value)
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    return float(value)


@dataclass(frozen=True)
class Condition:
    """A region of parameter space: a disjunction of conjunctions of :class:`Inequality`.

    ``alternatives == ((),)`` is the whole parameter box ("always"); ``alternatives == ()``
    is the empty region ("never").

    Examples
    --------
    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> region = Condition(((Inequality(x - 1, ">", x, sympy.Integer(1)),),))
    >>> str(region), region.holds({"x": 2}), region.holds({"x": 1})
    ('x > 1', True, False)
    >>> str(Condition(((),))), str(Condition(()))
    ('always (under the parameter ranges and assumptions)', 'never (under the parameter ranges and assumptions)')
    """

    alternatives: tuple

    @property
    def always(self) -> bool:
        return self.alternatives == ((),)

    @property
    def never(self) -> bool:
        return self.alternatives == ()

    @property
    def inequalities(self) -> tuple:
        """Every inequality used, once, in order of first appearance."""
        seen = {}
        for conjunction in self.alternatives:
            for atom in conjunction:
                seen.setdefault(atom, None)
        return tuple(seen)

    def holds(self, values: Mapping) -> bool:
        """Whether ``values`` (parameter name -> number) lies in the region."""
        return any(all(atom.holds(values) for atom in conjunction) for conjunction in self.alternatives)

    def on_boundary(self, values: Mapping) -> bool:
        """Whether some inequality of the region is an equality at ``values`` (a border point)."""
        return any(atom.on_boundary(values) for atom in self.inequalities)

    def as_sympy(self):
        """The region as a sympy Boolean (``Or`` of ``And`` of relationals)."""
        if self.always:
            return sympy.true
        return sympy.Or(*[sympy.And(*[atom.as_sympy() for atom in conjunction], evaluate=False)
                          for conjunction in self.alternatives], evaluate=False)

    def __str__(self) -> str:
        if self.always:
            return "always (under the parameter ranges and assumptions)"
        if self.never:
            return "never (under the parameter ranges and assumptions)"
        parts = [" and ".join(str(atom) for atom in conjunction) for conjunction in self.alternatives]
        if len(parts) == 1:
            return parts[0]
        return " or ".join(f"({part})" if len(conjunction) > 1 else part
                           for part, conjunction in zip(parts, self.alternatives))

    def to_latex(self) -> str:
        if self.always:
            return r"\text{always}"
        if self.never:
            return r"\text{never}"
        parts = [r" \wedge ".join(atom.to_latex() for atom in conjunction) for conjunction in self.alternatives]
        if len(parts) == 1:
            return parts[0]
        return r" \;\vee\; ".join(f"\\left({part}\\right)" if len(conjunction) > 1 else part
                                  for part, conjunction in zip(parts, self.alternatives))

    def to_dict(self) -> dict:
        return {
            "text": str(self),
            "latex": self.to_latex(),
            "always": self.always,
            "never": self.never,
            "any_of": [[{"lhs": sympy.sstr(a.lhs), "relation": a.shown_relation, "rhs": sympy.sstr(a.rhs),
                         "text": str(a)} for a in conjunction]
                       for conjunction in self.alternatives],
        }


# ---------------------------------------------------------------------- the context: box, facts, proofs
class Context:
    """Parameter box, assumptions and defaults under which conditions are simplified.

    Parameters
    ----------
    symbols : sequence of sympy.Symbol
        The free parameters, in declaration order (used to lay out inequalities).
    bounds : mapping
        Symbol -> ``(low, high)`` (numbers or ``None`` for unbounded), inclusive.
    assumptions : sequence of sympy Booleans
        Further conditions known to hold (relationals and ``And`` of relationals are used).
    reference : mapping, optional
        Parameter name -> number (the defaults; the middle of the range where there is no
        default): picks readable signs for displayed forms.
    budget : float
        Seconds of optional ``sympy.simplify`` allowed in total.

    Examples
    --------
    >>> import sympy
    >>> x, y = sympy.symbols("x y", nonnegative=True)
    >>> context = Context([x, y], {x: (0, 1), y: (0, 1)})
    >>> str(context.condition([[(x*y - 2, "<"), (x - y, ">=")]]))
    'x >= y'
    >>> context.condition([[(x + y + 1, "<")]]).never
    True
    """

    def __init__(self, symbols, bounds: Mapping, assumptions=(), reference: Mapping | None = None,
                 budget: float = 3.0):
        self.symbols = tuple(symbols)
        self.order = {s: i for i, s in enumerate(self.symbols)}
        self.bounds = {s: (None if lo is None else _to_sympy_number(lo), None if hi is None else _to_sympy_number(hi))
                       for s, (lo, hi) in bounds.items()}
        self.reference = dict(reference or {})
        for symbol, (low, high) in self.bounds.items():
            if symbol.name not in self.reference and low is not None and high is not None:
                self.reference[symbol.name] = _to_fraction((low + high) / 2)
        self.budget = _Budget(budget)
        self.facts: dict = {}
        self._signs_cache: dict = {}
        self._atoms_cache: dict = {}
        self._factored: dict = {}
        for assumption in assumptions:
            for relational in _relationals(assumption):
                self._add_fact(relational)

    # -- facts
    def _add_fact(self, relational) -> None:
        relation = {sympy.StrictGreaterThan: ">", sympy.GreaterThan: ">=", sympy.StrictLessThan: "<",
                    sympy.LessThan: "<=", sympy.Equality: "=="}.get(type(relational))
        if relation is None:
            return
        key, signs = self._normalise(relational.lhs - relational.rhs, RELATION_SIGNS[relation])
        if key is None:
            return
        self.facts[key] = self.facts.get(key, ALL_SIGNS) & signs
        self._tighten(key, signs)
        self._signs_cache.clear()

    def _tighten(self, key, signs) -> None:
        """A one-parameter linear fact (``k >= 1``) narrows that parameter's bounds."""
        if len(key.free_symbols) != 1:
            return
        (symbol,) = key.free_symbols
        try:
            polynomial = sympy.Poly(key, symbol)
        except sympy.PolynomialError:
            return
        if polynomial.degree() != 1:
            return
        a, b = polynomial.all_coeffs()
        if not (a.is_Rational and b.is_Rational):
            return
        root = -b / a
        low, high = self.bounds.get(symbol, (None, None))
        at_least = (signs <= {ZERO, POSITIVE}) if a > 0 else (signs <= {NEGATIVE, ZERO})
        at_most = (signs <= {NEGATIVE, ZERO}) if a > 0 else (signs <= {ZERO, POSITIVE})
        if at_least and (low is None or root > low):
            low = root
        if at_most and (high is None or root < high):
            high = root
        self.bounds[symbol] = (low, high)

    # -- canonical form of one comparison
    def _normalise(self, expression, signs):
        """``(canonical key, admitted signs of the key)``; key ``None`` if the expression is a number.

        Expands, cancels provably signed denominators and factors, divides by the positive
        content, and fixes the overall sign (sympy's ``could_extract_minus_sign``).
        """
        expression = sympy.sympify(expression)
        cache_key = (expression, signs)
        if cache_key in self._atoms_cache:
            return self._atoms_cache[cache_key]
        result = self._normalise_uncached(expression, signs)
        self._atoms_cache[cache_key] = result
        return result

    def _normalise_uncached(self, expression, signs):
        expression = sympy.together(expression)
        numerator, denominator = sympy.fraction(expression)
        if denominator.free_symbols:
            denominator_signs = self.possible_signs(denominator)
            if denominator_signs == {POSITIVE}:
                expression = numerator
            elif denominator_signs == {NEGATIVE}:
                expression, signs = -numerator, _negate(signs)
            else:
                expression = numerator / denominator
        else:
            expression = numerator / denominator
        expression = sympy.expand(expression)
        if not expression.free_symbols:
            return None, frozenset({_sign(expression)}) & signs if expression.is_number else signs
        # drop factors whose sign is fixed over the box
        try:
            coefficient, factors = sympy.factor_list(expression)
        except (sympy.PolynomialError, NotImplementedError):
            coefficient, factors = None, None
        if factors is not None and coefficient.is_number:
            kept = []
            if coefficient < 0:
                signs = _negate(signs)
            for factor, multiplicity in factors:
                factor_signs = self.possible_signs(factor)
                if factor_signs == {POSITIVE}:
                    continue
                if factor_signs == {NEGATIVE}:
                    if multiplicity % 2:
                        signs = _negate(signs)
                    continue
                if factor_signs == {NEGATIVE, POSITIVE} and multiplicity % 2 == 0:
                    continue
                kept.append(factor ** multiplicity)
            expression = sympy.expand(sympy.Mul(*kept))
            if not expression.free_symbols:
                return None, frozenset({_sign(expression)}) & signs
        content, primitive = expression.as_content_primitive()
        if content.is_number and content < 0:
            signs, primitive = _negate(signs), -primitive
        if primitive.could_extract_minus_sign():
            primitive, signs = sympy.expand(-primitive), _negate(signs)
        return primitive, signs

    # -- proofs over the box
    def possible_signs(self, expression) -> frozenset:
        """A superset of the signs ``expression`` takes on the box (exact for multilinear polynomials)."""
        expression = sympy.sympify(expression)
        if expression in self._signs_cache:
            return self._signs_cache[expression]
        signs = self._possible_signs(expression) & self.facts.get(expression, ALL_SIGNS)
        if -expression in self.facts:
            signs &= _negate(self.facts[-expression])
        self._signs_cache[expression] = signs
        return signs

    def _possible_signs(self, expression) -> frozenset:
        if not expression.free_symbols:
            if expression.is_number and expression.is_real:
                return frozenset({_sign(expression)})
            return ALL_SIGNS
        symbols = sorted(expression.free_symbols, key=lambda s: s.name)
        bounded = all(s in self.bounds and None not in self.bounds[s] for s in symbols)
        if bounded:
            range_ = self._range(expression, symbols)
            if range_ is not None:
                low, high = range_
                signs = set()
                if low < 0:
                    signs.add(NEGATIVE)
                if low <= 0 <= high:
                    signs.add(ZERO)
                if high > 0:
                    signs.add(POSITIVE)
                return frozenset(signs)
        return _signs_from_assumptions(expression)

    def _range(self, expression, symbols):
        """Exact ``(min, max)`` of a multilinear polynomial over the box, else an interval enclosure."""
        try:
            polynomial = sympy.Poly(expression, *symbols)
        except sympy.PolynomialError:
            polynomial = None
        if (polynomial is not None and polynomial.domain.is_QQ or polynomial is not None and polynomial.domain.is_ZZ) \
                and all(d <= 1 for d in polynomial.degree_list()) and len(symbols) <= MAX_VERTEX_PARAMETERS:
            evaluate_at = _compile(expression)
            corners = [(self.bounds[s][0], self.bounds[s][1]) for s in symbols]
            names = [s.name for s in symbols]
            values = [evaluate_at({n: _to_fraction(x) for n, x in zip(names, vertex)})
                      for vertex in itertools.product(*corners)]
            return min(values), max(values)
        try:
            enclosure = expression.xreplace({s: sympy.AccumBounds(*self.bounds[s]) for s in symbols})
        except Exception:
            return None
        if isinstance(enclosure, sympy.AccumBounds):
            low, high = enclosure.min, enclosure.max
        elif enclosure.is_number:
            low = high = enclosure
        else:
            return None
        if not (low.is_real and high.is_real) or low.is_infinite or high.is_infinite:
            return None
        return low, high

    # -- building regions
    def conjunction(self, comparisons):
        """Simplify ``[(expression, relation), …]`` (all must hold) to ``{key: signs}``; ``None`` if it cannot hold."""
        merged: dict = {}
        work = [(expression, RELATION_SIGNS[relation] if isinstance(relation, str) else frozenset(relation))
                for expression, relation in comparisons]
        while work:
            expression, signs = work.pop(0)
            key, signs = self._normalise(expression, signs)
            if key is None:
                if not signs:
                    return None
                continue
            split = self._split_product(key, signs)
            if split is not None:
                if split is False:
                    return None
                work.extend(split)
                continue
            merged[key] = merged.get(key, ALL_SIGNS) & signs
        merged = self._combine_bounds(merged)
        if merged is None:
            return None
        out = {}
        for key, signs in merged.items():
            possible = self.possible_signs(key)
            signs &= possible
            if not signs:
                return None
            if signs == possible:
                continue  # holds on the whole box
            out[key] = signs
        return out

    def _combine_bounds(self, merged):
        """Bounds on one parameter (``c > 0 and c >= 3``) combined into the tightest ones (``c >= 3``)."""
        bounds: dict = {}
        out = {}
        for key, signs in merged.items():
            bound = _linear_bound(key)
            if bound is None or signs not in (RELATION_SIGNS[">"], RELATION_SIGNS[">="], RELATION_SIGNS["<"],
                                              RELATION_SIGNS["<="], RELATION_SIGNS["=="]):
                out[key] = signs
                continue
            symbol, root, slope_positive = bound
            entry = bounds.setdefault(symbol, {"low": None, "high": None, "keys": {}})
            entry["keys"][root] = key
            # key = slope*(symbol - root) with slope > 0 or < 0: turn the sign set into bounds on symbol
            symbol_signs = signs if slope_positive else _negate(signs)
            if POSITIVE in symbol_signs or ZERO in symbol_signs:
                if NEGATIVE not in symbol_signs:  # symbol > root or symbol >= root
                    strict = ZERO not in symbol_signs
                    entry["low"] = _tighter(entry["low"], (root, strict), lower=True)
            if NEGATIVE in symbol_signs or ZERO in symbol_signs:
                if POSITIVE not in symbol_signs:  # symbol < root or symbol <= root
                    strict = ZERO not in symbol_signs
                    entry["high"] = _tighter(entry["high"], (root, strict), lower=False)
        for symbol, entry in bounds.items():
            low, high = entry["low"], entry["high"]
            if low is not None and high is not None:
                if low[0] > high[0] or (low[0] == high[0] and (low[1] or high[1])):
                    return None
                if low[0] == high[0]:
                    key = entry["keys"][low[0]]
                    out[key] = RELATION_SIGNS["=="]
                    continue
            for bound, above in ((low, True), (high, False)):
                if bound is None:
                    continue
                root, strict = bound
                key = entry["keys"][root]
                _, _, slope_positive = _linear_bound(key)
                signs = frozenset({POSITIVE} if strict else {ZERO, POSITIVE}) if above else \
                    frozenset({NEGATIVE} if strict else {NEGATIVE, ZERO})
                out[key] = signs if slope_positive else _negate(signs)
        return out

    def _split_product(self, key, signs):
        """``f*g > 0`` with ``f >= 0`` on the box is ``f > 0 and g > 0`` (``< 0``: ``f > 0 and g < 0``).

        Returns the list of comparisons replacing ``key``, ``False`` if the comparison cannot
        hold, or ``None`` if it does not split (not a product, not strict, or two factors of
        unknown sign).
        """
        if signs not in ({POSITIVE}, {NEGATIVE}):
            return None
        if isinstance(key, sympy.Add):
            if key not in self._factored:
                try:
                    self._factored[key] = sympy.factor(key)
                except (sympy.PolynomialError, NotImplementedError):
                    self._factored[key] = key
            key = self._factored[key]
        if not isinstance(key, sympy.Mul):
            return None
        nonnegative, other = [], []
        for factor in key.args:
            if factor.is_number:
                return None
            (nonnegative if self.possible_signs(factor) <= {ZERO, POSITIVE} else other).append(factor)
        if len(other) > 1 or not nonnegative:
            return None
        parts = [(factor, frozenset({POSITIVE})) for factor in nonnegative]
        if other:
            parts.append((sympy.Mul(*other), signs))
        elif signs == {NEGATIVE}:
            return False
        return parts

    def condition(self, alternatives) -> Condition:
        """A :class:`Condition` from ``[[(expression, relation), …], …]`` (or of conjunction dicts)."""
        conjunctions = []
        for alternative in alternatives:
            conjunction = alternative if isinstance(alternative, dict) else self.conjunction(alternative)
            if conjunction is None:
                continue
            if not conjunction:
                return Condition(((),))
            conjunctions.append(conjunction)
        conjunctions = self._merge(conjunctions)
        if any(not c for c in conjunctions):
            return Condition(((),))
        return Condition(tuple(tuple(self.inequality(key, signs) for key, signs in c.items())
                               for c in conjunctions))

    def _merge(self, conjunctions):
        """Absorption (drop a conjunction implied by another) and merging of two that differ in one sign set."""
        changed = True
        conjunctions = [dict(c) for c in conjunctions]
        while changed:
            changed = False
            for a, b in itertools.permutations(range(len(conjunctions)), 2):
                first, second = conjunctions[a], conjunctions[b]
                if all(key in second and second[key] <= signs for key, signs in first.items()):
                    del conjunctions[b]  # second implies first: first absorbs it
                    changed = True
                    break
                if first.keys() == second.keys():
                    different = [key for key in first if first[key] != second[key]]
                    if len(different) == 1:
                        key = different[0]
                        union = first[key] | second[key]
                        merged = dict(first)
                        if union >= self.possible_signs(key):
                            del merged[key]
                        else:
                            merged[key] = union
                        conjunctions[a] = merged
                        del conjunctions[b]
                        changed = True
                        break
        return conjunctions

    # -- display
    def inequality(self, key, signs) -> Inequality:
        """The :class:`Inequality` ``key ⋛ 0`` with readable sides."""
        relation = SIGNS_RELATION[frozenset(signs)]
        lhs, shown, rhs = self._sides(key, relation)
        return Inequality(key, relation, lhs, rhs, shown)

    def _sides(self, key, relation):
        """``(lhs, relation, rhs)`` equivalent to ``key relation 0``, laid out for readers.

        If the first parameter (in declaration order) that enters linearly has a composite
        coefficient, it is collected (``omega*(L*(1 - phi) - W) > k - v``), its coefficient
        taken positive at the defaults; otherwise positive terms go left and negative ones
        right (``G*omega + v > k``).
        """
        expression = sympy.expand(key)
        symbols = sorted(expression.free_symbols, key=lambda s: self.order.get(s, len(self.order)))
        for symbol in symbols:
            try:
                degree = sympy.Poly(expression, symbol).degree()
            except sympy.PolynomialError:
                continue
            if degree != 1:
                continue
            coefficient = sympy.expand(expression.coeff(symbol, 1))
            if not isinstance(coefficient, sympy.Add):
                break
            rest = sympy.expand(expression - coefficient * symbol)
            value = evaluate(coefficient, self.reference) if self.reference else None
            negative = value < 0 if value not in (None, 0) else coefficient.could_extract_minus_sign()
            if negative:
                coefficient, rest, relation = -coefficient, -rest, _FLIP[relation]
            # relation refers to coefficient*symbol + rest ⋛ 0  ->  coefficient*symbol ⋛ -rest
            return symbol * _collect_nicely(coefficient), relation, _collect_nicely(sympy.expand(-rest))
        positive, negative = _split_signs(expression)
        if positive == 0:
            return negative, _FLIP[relation], sympy.Integer(0)
        return positive, relation, negative


def _linear_bound(key):
    """``(symbol, root, slope > 0)`` if ``key`` is ``a*symbol + b`` with rational ``a != 0, b``; else ``None``."""
    if len(key.free_symbols) != 1:
        return None
    (symbol,) = key.free_symbols
    try:
        polynomial = sympy.Poly(key, symbol)
    except sympy.PolynomialError:
        return None
    if polynomial.degree() != 1:
        return None
    a, b = polynomial.all_coeffs()
    if not (a.is_Rational and b.is_Rational):
        return None
    return symbol, -b / a, bool(a > 0)


def _tighter(current, candidate, lower: bool):
    """The tighter of two bounds ``(value, strict)`` (``None`` = no bound)."""
    if current is None:
        return candidate
    if candidate[0] == current[0]:
        return (current[0], current[1] or candidate[1])
    if lower:
        return candidate if candidate[0] > current[0] else current
    return candidate if candidate[0] < current[0] else current


def _negate(signs) -> frozenset:
    return frozenset(-s for s in signs)


def _signs_from_assumptions(expression) -> frozenset:
    if expression.is_zero:
        return frozenset({ZERO})
    if expression.is_positive:
        return frozenset({POSITIVE})
    if expression.is_negative:
        return frozenset({NEGATIVE})
    if expression.is_nonnegative:
        return frozenset({ZERO, POSITIVE})
    if expression.is_nonpositive:
        return frozenset({NEGATIVE, ZERO})
    if expression.is_nonzero:
        return frozenset({NEGATIVE, POSITIVE})
    return ALL_SIGNS


def _relationals(condition):
    if condition in (sympy.true, sympy.false, True, False):
        return []
    if isinstance(condition, sympy.And):
        return [r for arg in condition.args for r in _relationals(arg)]
    if isinstance(condition, sympy.core.relational.Relational):
        return [condition]
    return []


# ---------------------------------------------------------------------- equilibrium conditions
@dataclass(frozen=True, eq=False)
class PureCondition:
    """Where one pure profile is a Nash equilibrium.

    Attributes
    ----------
    profile : dict
        Player label -> strategy label.
    payoffs : dict
        Player label -> payoff (sympy expression).
    condition : Condition
        Conjunction of "no player gains by deviating" (weak inequalities), simplified.
    """

    profile: dict
    payoffs: dict
    condition: Condition

    @property
    def label(self) -> str:
        return "(" + ", ".join(self.profile.values()) + ")"


@dataclass(frozen=True, eq=False)
class MixedSolution:
    """The equilibrium of a two-player game on one pair of supports, in closed form.

    Attributes
    ----------
    support : dict
        Player label -> tuple of strategy labels played with positive probability.
    probabilities : dict
        Player label -> {strategy label: probability (sympy expression)}; zero off the support.
    payoffs : dict
        Player label -> expected payoff (sympy expression).
    condition : Condition
        Where this is an equilibrium: every probability on the support positive and no
        strategy outside the support a profitable deviation.
    """

    support: dict
    probabilities: dict
    payoffs: dict
    condition: Condition

    @property
    def label(self) -> str:
        return "; ".join(f"{player} mixes {', '.join(labels)}" for player, labels in self.support.items())

    def profile_at(self, values: Mapping) -> dict:
        """``{player: {strategy: probability}}`` at ``values`` (exact where the values are)."""
        return {player: {s: evaluate(p, values) for s, p in mix.items()}
                for player, mix in self.probabilities.items()}


def pure_conditions(game, context: Context) -> tuple:
    """For every pure profile, the region where it is a Nash equilibrium (any number of players).

    The condition is the conjunction over players ``i`` and strategies ``t`` of
    ``u_i(s) - u_i(t, s_-i) >= 0``, simplified in ``context``.

    Examples
    --------
    >>> import sympy
    >>> from negotiation.models.game import Game
    >>> c = sympy.Symbol("c", nonnegative=True)
    >>> game = Game.from_arrays([[2, 0], [c, 1]], [[2, c], [0, 1]])
    >>> context = Context([c], {c: (0, 5)})
    >>> [(p.label, str(p.condition)) for p in pure_conditions(game, context)]  # doctest: +NORMALIZE_WHITESPACE
    [('(1, 1)', 'c <= 2'), ('(1, 2)', 'never (under the parameter ranges and assumptions)'),
     ('(2, 1)', 'never (under the parameter ranges and assumptions)'),
     ('(2, 2)', 'always (under the parameter ranges and assumptions)')]
    """
    payoffs = game.payoffs
    out = []
    for position in itertools.product(*(range(n) for n in game.shape)):
        comparisons = []
        for player in range(game.n_players):
            own = payoffs[position + (player,)]
            for alternative in range(game.shape[player]):
                if alternative == position[player]:
                    continue
                deviation = list(position)
                deviation[player] = alternative
                comparisons.append((_sym(own) - _sym(payoffs[tuple(deviation) + (player,)]), ">="))
        profile = {p: game.strategies[i][j] for i, (p, j) in enumerate(zip(game.players, position))}
        shown = {p: tidy(_sym(payoffs[position + (i,)]), context.reference) for i, p in enumerate(game.players)}
        out.append(PureCondition(profile, shown, context.condition([comparisons])))
    return tuple(out)


def _sym(value):
    return _to_sympy_number(value) if not isinstance(value, sympy.Basic) else value


def _cramer(matrix):
    """Determinants ``D`` and ``N_k`` (column ``k`` replaced by the last unit vector) of a square system."""
    size = matrix.shape[0]
    rhs = sympy.Matrix([0] * (size - 1) + [1])
    determinant = sympy.expand(matrix.det(method="berkowitz"))
    numerators = []
    for column in range(size):
        replaced = matrix.copy()
        replaced[:, column] = rhs
        numerators.append(sympy.expand(replaced.det(method="berkowitz")))
    return determinant, numerators


def mixed_solutions(game, context: Context, notes: list | None = None) -> tuple:
    """Closed-form mixed equilibria of a two-player game, one per pair of equal-size supports (≥ 2).

    For supports ``I`` (player 1) and ``J`` (player 2), player 2's probabilities ``y`` make
    player 1 indifferent on ``I``: ``(A y)_i = u`` for ``i`` in ``I``, ``sum(y) = 1``.
    By Cramer's rule ``y_j = N_j / D`` and ``u = U / D`` with polynomial ``N_j, U, D`` and
    ``sum(N_j) = D``, so "``y_j > 0`` for all ``j``" is "all ``N_j > 0`` or all ``N_j < 0``"
    and "no ``i`` outside ``I`` is better" is ``(A N)_i - U <= 0`` (times the sign of ``D``).
    The same for player 1's probabilities ``x``. Supports whose indifference equations are
    singular for all parameter values are not listed; a sentence naming them is appended to
    ``notes`` (a list) if given.

    Examples
    --------
    >>> import sympy
    >>> from negotiation.models.game import Game
    >>> c = sympy.Symbol("c", nonnegative=True)
    >>> game = Game.from_arrays([[2, 0], [c, 1]], [[2, c], [0, 1]])
    >>> (solution,) = mixed_solutions(game, Context([c], {c: (0, 5)}))
    >>> solution.probabilities["Player 1"], str(solution.condition)
    ({'1': 1/(3 - c), '2': (2 - c)/(3 - c)}, 'c < 2')
    """
    if game.n_players != 2:
        return ()
    A = game.payoffs[..., 0]
    B = game.payoffs[..., 1]
    rows, columns = game.shape
    pairs = [(I, J) for size in range(2, min(rows, columns) + 1)
             for I in itertools.combinations(range(rows), size)
             for J in itertools.combinations(range(columns), size)]
    if len(pairs) > MAX_SUPPORT_PAIRS:
        if notes is not None:
            notes.append(f"{len(pairs)} support pairs exceed the limit of {MAX_SUPPORT_PAIRS} for closed forms; "
                         "mixed equilibria not derived (fix some parameters or solve numerically)")
        return ()
    out, singular = [], []
    for I, J in pairs:
        solution = _support_pair(game, A, B, I, J, context)
        if solution is not None:
            out.append(solution)
        else:
            singular.append("(" + "; ".join(f"{p}: {', '.join(game.strategies[k][i] for i in S)}"
                                            for k, (p, S) in enumerate(zip(game.players, (I, J)))) + ")")
    if singular and notes is not None:
        shown = ", ".join(singular[:3]) + (f" and {len(singular) - 3} more" if len(singular) > 3 else "")
        notes.append(f"{len(singular)} support pair(s) with indifference equations singular for every parameter "
                     f"value, not derived (equilibria there, if any, form a continuum): {shown}")
    return tuple(out)


def _branches(payoff, own, other, outside, transpose: bool):
    """Sign branches for the mixing player ("other") on its support, and the deviation tests.

    ``payoff[i][j]`` is the indifferent player's payoff; ``own`` its support (rows when
    ``transpose`` is False), ``other`` the mixing player's support.
    """
    size = len(own)
    matrix = sympy.zeros(size + 1, size + 1)
    for r, i in enumerate(own):
        for c, j in enumerate(other):
            matrix[r, c] = _sym(payoff[j, i] if transpose else payoff[i, j])
        matrix[r, size] = -1
    for c in range(size):
        matrix[size, c] = 1
    determinant, numerators = _cramer(matrix)
    if determinant == 0:
        return None
    probabilities = numerators[:size]
    value = numerators[size]
    deviations = []
    for i in outside:
        gain = sum(_sym(payoff[j, i] if transpose else payoff[i, j]) * n
                   for j, n in zip(other, probabilities)) - value
        deviations.append(sympy.expand(gain))
    plus = [(n, ">") for n in probabilities] + [(g, "<=") for g in deviations]
    minus = [(n, "<") for n in probabilities] + [(g, ">=") for g in deviations]
    return determinant, probabilities, value, plus, minus


def _support_pair(game, A, B, I, J, context):
    rows, columns = game.shape
    y = _branches(A, I, J, [i for i in range(rows) if i not in I], transpose=False)
    x = _branches(B, J, I, [j for j in range(columns) if j not in J], transpose=True)
    if y is None or x is None:
        return None
    d_y, n_y, u_y, y_plus, y_minus = y
    d_x, n_x, u_x, x_plus, x_minus = x
    alternatives = [y_branch + x_branch for y_branch in (y_plus, y_minus) for x_branch in (x_plus, x_minus)]
    condition = context.condition(alternatives)
    first, second = game.players
    probabilities = {
        first: {s: (tidy(n_x[I.index(k)] / d_x, context.reference, context.budget) if k in I else sympy.Integer(0))
                for k, s in enumerate(game.strategies[0])},
        second: {s: (tidy(n_y[J.index(k)] / d_y, context.reference, context.budget) if k in J else sympy.Integer(0))
                 for k, s in enumerate(game.strategies[1])},
    }
    payoffs = {first: tidy(u_y / d_y, context.reference, context.budget),
               second: tidy(u_x / d_x, context.reference, context.budget)}
    support = {first: tuple(game.strategies[0][i] for i in I), second: tuple(game.strategies[1][j] for j in J)}
    return MixedSolution(support, probabilities, payoffs, condition)


# ---------------------------------------------------------------------- some parameters fixed
@dataclass(frozen=True, eq=False)
class FixedParameters:
    """A parameter space with some parameters fixed at numbers: what a symbolic derivation works in.

    Attributes
    ----------
    fixed : dict
        Name -> checked value of the fixed parameters.
    replacement : dict
        Their sympy symbols -> sympy numbers.
    free : ParameterSpace
        The parameters left symbolic.
    assumption_texts : tuple of str
        The assumptions still open at the fixed values (those that hold everywhere are dropped).
    context : Context
        Bounds, open assumptions and reference point of the free parameters.
    reference : dict
        The defaults of the free parameters (where declared) and the fixed values.
    """

    fixed: dict
    replacement: dict
    free: object
    assumption_texts: tuple
    context: "Context"
    reference: dict

    def sym(self, value):
        """A number or expression as sympy, with the fixed parameters replaced."""
        value = _to_sympy_number(value) if not isinstance(value, sympy.Basic) else value
        return value.xreplace(self.replacement) if self.replacement else value


def fix_parameters(space, assumptions, values, *, name: str, error: type = ValueError, budget=None) -> FixedParameters:
    """Fix ``values`` (checked against ``space``), drop the assumptions they settle, and build the
    :class:`Context` of the remaining parameters; problems raise ``error`` naming ``name`` (one line)."""
    fixed = {}
    for key, value in dict(values or {}).items():
        if key not in space.names:
            raise error(f"{name}: unknown parameter {key!r} (declared: {', '.join(space.names) or 'none'})")
        try:
            fixed[key] = space[key].check(value, where=f"{name}: parameter {key}")
        except ValueError as problem:
            raise error(str(problem)) from None
    symbols = space.symbols
    replacement = {symbols[k]: _to_sympy_number(v) for k, v in fixed.items()}
    free = ParameterSpace(tuple(p for p in space if p.name not in fixed))
    conditions, texts = [], []
    for assumption in assumptions:
        condition = assumption.condition.xreplace(replacement) if replacement else assumption.condition
        if condition in (sympy.false, False):
            raise error(f"{name}: assumption '{assumption.text}' does not hold at the fixed values")
        if condition in (sympy.true, True):
            continue
        conditions.append(condition)
        texts.append(assumption.text)
    bounds = {symbols[p.name]: (p.low, p.high) for p in free}
    reference = {**{p.name: p.default for p in free if p.default is not None}, **fixed}
    context = Context([symbols[p.name] for p in free], bounds, conditions, reference, budget=budget)
    return FixedParameters(fixed, replacement, free, tuple(texts), context, reference)
