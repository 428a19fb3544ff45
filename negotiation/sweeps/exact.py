"""Exact solves of single points of a sweep: ``scenario.solve`` with the payoffs evaluated in ``Fraction``.

The batch solver flags degenerate points (ties such as ``omega = 1/4`` in the security dilemma);
they are solved again exactly, one by one, at their exact parameter values. :class:`ExactSolver`
does what ``scenario.solve`` does there, faster: when every payoff is a rational function of the
parameters it evaluates them in ``Fraction`` arithmetic (:func:`fraction_function`) and solves
each distinct exact game once.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import numpy as np
import sympy

from negotiation.core.errors import NegotiationError
from negotiation.models.game import Game
from negotiation.solvers import solve
from negotiation.solvers.classification import classify_symmetric_2x2

__all__ = ["ExactSolver", "fraction_function", "payoff_groups"]

#: Distinct exact games whose results one process keeps (points with the same exact payoffs).
_EXACT_RESULTS = 4096


def payoff_groups(game) -> dict:
    """Distinct payoff expressions -> the positions of ``game.payoffs`` holding them."""
    groups: dict = {}
    for position, entry in np.ndenumerate(game.payoffs):
        groups.setdefault(entry, []).append(position)
    return groups


class ExactSolver:
    """``scenario.solve`` at exact points of one normal-form scenario, with its exact games cached."""

    def __init__(self, scenario):
        self.scenario = scenario
        self.game = scenario.game
        self._fractions = None
        self._exact_results: dict = {}

    def solve(self, point: dict):
        """``scenario.solve(point)`` at exact parameter values, faster where that is safe.

        When every payoff is a rational function of the parameters (sums, products, whole
        powers of symbols and rational numbers) and the values are exact, the payoffs are
        evaluated with ``Fraction`` arithmetic — the same rationals that substituting into
        the sympy expressions gives — and the game is solved as ``scenario.solve`` does
        (``solve(game)``, plus the classic-game label).  Points whose exact payoffs were
        solved before reuse that result (the rows use only the equilibria, components and
        classification, which depend on the payoffs alone).  Anything else, and any error,
        goes through ``scenario.solve`` itself.
        """
        functions = self.functions()
        if functions is None:
            return self.scenario.solve(point)
        try:
            values, numbers = self._exact_payoffs(point, functions)
        except Exception:  # the reference path reports (or handles) it
            return self.scenario.solve(point)
        key = tuple(numbers)
        result = self._exact_results.get(key)
        if result is not None:
            return result
        game = self.game
        numeric = np.empty(game.payoffs.shape, dtype=object)
        for positions, number in zip(self._fraction_positions, numbers):
            for position in positions:
                numeric[position] = number
        exact_game = Game(game.players, game.strategies, numeric, title=game.title,
                          parameters=game.parameters, values=values)
        result = solve(exact_game, method="auto")
        cooperate = self.scenario.cooperate
        classification = classify_symmetric_2x2(exact_game, cooperate) if cooperate else None
        if classification is not None:
            result = replace(result, details={**result.details, "classification": str(classification)})
        if len(self._exact_results) < _EXACT_RESULTS:
            self._exact_results[key] = result
        return result

    def _exact_payoffs(self, point: dict, functions):
        """The game's parameter values at ``point`` and its distinct payoffs as ``Fraction`` (raises where
        the reference path must decide: an assumption fails, a value is not exact)."""
        scenario = self.scenario
        where = str(scenario.source) if scenario.source else scenario.id
        resolved = scenario.parameters.resolve(point, where=where)
        for assumption in scenario.assumptions:
            if not assumption.holds(resolved):
                raise NegotiationError("assumption")
        values = self.game.parameters.resolve(resolved)
        arguments = [values.get(name) for name in self._fraction_names]
        if not all(type(v) is Fraction for v in arguments):
            raise NegotiationError("not exact")
        return values, [function(arguments) for function in functions]

    def functions(self):
        """Exact evaluators of the distinct payoff expressions (None if some payoff is not a rational function)."""
        if self._fractions is False:
            return None
        if self._fractions is not None:
            return self._fractions
        self._fractions = False
        game = self.game
        if not game.is_symbolic:
            return None
        symbols = game.parameters.symbols
        self._fraction_names = list(symbols)
        index = {symbol: k for k, symbol in enumerate(symbols[name] for name in self._fraction_names)}
        groups = payoff_groups(game)
        try:
            functions = [fraction_function(entry, index) for entry in groups]
        except (TypeError, ValueError, AttributeError):
            return None
        self._fraction_positions = list(groups.values())
        self._fractions = functions
        return functions


def fraction_function(expression, index: dict):
    """A function ``f(values) -> Fraction`` of a sympy rational function (symbols at ``index`` in ``values``).

    Built from the expression tree (sums, products, whole powers, symbols, rational numbers);
    anything else raises ``ValueError``.
    """
    if not isinstance(expression, sympy.Basic):
        raise NegotiationError("not a sympy expression")
    if expression.is_Symbol:
        if expression not in index:
            raise NegotiationError("unknown symbol")
        k = index[expression]
        return lambda values: values[k]
    if expression.is_Rational:  # Integer or Rational (not Float)
        constant = Fraction(int(expression.p), int(expression.q))
        return lambda values: constant
    if expression.is_Add or expression.is_Mul:
        parts = [fraction_function(argument, index) for argument in expression.args]
        if expression.is_Add:
            def add(values, _parts=parts):
                total = _parts[0](values)
                for part in _parts[1:]:
                    total = total + part(values)
                return total
            return add

        def multiply(values, _parts=parts):
            total = _parts[0](values)
            for part in _parts[1:]:
                total = total * part(values)
            return total
        return multiply
    if expression.is_Pow and expression.exp.is_Integer:
        base = fraction_function(expression.base, index)
        exponent = int(expression.exp)
        return lambda values: base(values) ** exponent
    raise NegotiationError(f"not a rational function: {expression}")
