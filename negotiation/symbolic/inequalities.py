"""Regions of parameter space: :class:`Inequality` (one comparison with zero) and :class:`Condition`
(a disjunction of conjunctions of them), the form every derived region takes.

Both evaluate exactly at a point (``holds(values)``) and show themselves as text, LaTeX and a
JSON-ready dict; :class:`~negotiation.symbolic.conditions.Context` builds and simplifies them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Mapping

import sympy

from negotiation.core.errors import NegotiationError
from negotiation.symbolic.simplify import evaluate, to_python_number

__all__ = ["Inequality", "Condition", "NEGATIVE", "ZERO", "POSITIVE", "ALL_SIGNS", "RELATION_SIGNS", "SIGNS_RELATION",
           "FLIPPED", "sign_of", "split_signs", "compile_evaluator", "to_fraction"]

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
FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
_TEXT = {">": ">", ">=": ">=", "<": "<", "<=": "<=", "==": "=", "!=": "!="}
_SYMPY_RELATION = {">": sympy.StrictGreaterThan, ">=": sympy.GreaterThan, "<": sympy.StrictLessThan,
                   "<=": sympy.LessThan, "==": sympy.Equality, "!=": sympy.Unequality}


# ---------------------------------------------------------------------- inequalities
def split_signs(expression):
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
        return compile_evaluator(self.expression)

    def value(self, values: Mapping):
        """The expression's value at ``values`` (``Fraction``/``float``; ``None`` if undefined)."""
        return self._compiled(values)

    def holds(self, values: Mapping) -> bool:
        """Whether the comparison holds at ``values`` (parameter name -> number)."""
        value = self.value(values)
        if value is None:
            return False
        return sign_of(value) in self.signs

    def on_boundary(self, values: Mapping) -> bool:
        """Whether the two sides are equal at ``values``."""
        return self.value(values) == 0

    def __str__(self) -> str:
        return f"{sympy.sstr(self.lhs)} {_TEXT[self.shown_relation]} {sympy.sstr(self.rhs)}"

    def to_latex(self) -> str:
        symbol = {">": ">", ">=": r"\geq", "<": "<", "<=": r"\leq", "==": "=", "!=": r"\neq"}[self.shown_relation]
        return f"{sympy.latex(self.lhs)} {symbol} {sympy.latex(self.rhs)}"


def sign_of(value) -> int:
    """-1, 0 or 1."""
    return int(bool(value > 0)) - int(bool(value < 0))


def compile_evaluator(expression):
    """A fast exact evaluator of a polynomial with rational coefficients (else sympy substitution)."""
    symbols = sorted(expression.free_symbols, key=lambda s: s.name)
    try:
        polynomial = sympy.Poly(expression, *symbols, domain="QQ") if symbols else None
    except (sympy.PolynomialError, sympy.polys.polyerrors.CoercionFailed, NotImplementedError):
        polynomial = False
    if polynomial is False:
        return lambda values: evaluate(expression, values)
    if polynomial is None:
        constant = to_python_number(expression)
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
        point = [to_fraction(values[name]) for name in names]
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


def to_fraction(value):
    """A parameter value as ``Fraction`` (exact inputs) or ``float``."""
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
