"""Equilibrium conditions as regions in the parameters: the context that builds and simplifies them.

The building blocks of :func:`negotiation.symbolic.derive`:

* an :class:`Inequality` is one comparison ``expression ⋛ 0`` of a polynomial (or other
  expression) in the parameters with zero; a :class:`Condition` is a disjunction of
  conjunctions of inequalities (``(a and b) or (c and d)``), the form every derived
  region takes;
* a :class:`Context` (the parameter box, the assumptions, the defaults) builds them from
  comparisons and simplifies them; :func:`fix_parameters` fixes some parameters of a space
  and gives the context of the others;
* the pure and mixed conditions of strategic-form games are in :mod:`negotiation.symbolic.game`;
  other families' derivations build on the same context.

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
from dataclasses import dataclass
from typing import Mapping

import sympy

from negotiation.core.parameters import ParameterSpace
from negotiation.symbolic.inequalities import (ALL_SIGNS, FLIPPED, NEGATIVE, POSITIVE, RELATION_SIGNS,
                                               SIGNS_RELATION, ZERO, Condition, Inequality, compile_evaluator,
                                               sign_of, split_signs, to_fraction)
from negotiation.symbolic.simplify import Budget, collect_nicely, evaluate, expand_for_derivation, tidy, to_sympy_number

# Condition, Inequality, evaluate and tidy are imported from here by the other families' derivations.
__all__ = ["Context", "FixedParameters", "fix_parameters", "Condition", "Inequality", "evaluate", "tidy"]

#: At most this many parameters in one expression for the exact vertex check (2**n points).
MAX_VERTEX_PARAMETERS = 12


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
        self.bounds = {s: (None if lo is None else to_sympy_number(lo), None if hi is None else to_sympy_number(hi))
                       for s, (lo, hi) in bounds.items()}
        self.reference = dict(reference or {})
        for symbol, (low, high) in self.bounds.items():
            if symbol.name not in self.reference and low is not None and high is not None:
                self.reference[symbol.name] = to_fraction((low + high) / 2)
        self.budget = Budget(budget)
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
            return None, frozenset({sign_of(expression)}) & signs if expression.is_number else signs
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
                return None, frozenset({sign_of(expression)}) & signs
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
                return frozenset({sign_of(expression)})
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
            evaluate_at = compile_evaluator(expression)
            corners = [(self.bounds[s][0], self.bounds[s][1]) for s in symbols]
            names = [s.name for s in symbols]
            values = [evaluate_at({n: to_fraction(x) for n, x in zip(names, vertex)})
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
                coefficient, rest, relation = -coefficient, -rest, FLIPPED[relation]
            # relation refers to coefficient*symbol + rest ⋛ 0  ->  coefficient*symbol ⋛ -rest
            return symbol * collect_nicely(coefficient), relation, collect_nicely(sympy.expand(-rest))
        positive, negative = split_signs(expression)
        if positive == 0:
            return negative, FLIPPED[relation], sympy.Integer(0)
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
    name: str = ""

    def sym(self, value):
        """A number or expression as sympy, with the fixed parameters replaced and shared derived
        quantities expanded (a :class:`~negotiation.symbolic.simplify.DerivationLimitError` if too large)."""
        value = to_sympy_number(value) if not isinstance(value, sympy.Basic) else value
        value = expand_for_derivation(value, self.name)
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
    replacement = {symbols[k]: to_sympy_number(v) for k, v in fixed.items()}
    free = ParameterSpace(tuple(p for p in space if p.name not in fixed))
    conditions, texts = [], []
    for assumption in assumptions:
        condition = assumption.condition.xreplace(replacement) if replacement else assumption.condition
        if condition in (sympy.false, False):
            shown = ", ".join(f"{k}={v}" for k, v in fixed.items())
            raise error(f"{name}: assumption '{assumption.text}' does not hold at {shown}")
        if condition in (sympy.true, True):
            continue
        conditions.append(condition)
        texts.append(assumption.text)
    bounds = {symbols[p.name]: (p.low, p.high) for p in free}
    reference = {**{p.name: p.default for p in free if p.default is not None}, **fixed}
    context = Context([symbols[p.name] for p in free], bounds, conditions, reference, budget=budget)
    return FixedParameters(fixed, replacement, free, tuple(texts), context, reference, name)
