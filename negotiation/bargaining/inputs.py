"""Inputs of the closed-form bargaining models: exact numbers, floats or sympy expressions.

Rubinstein's, Fearon's and Powell's formulas accept any of the three; all inputs of one call are
brought to a single kind (symbolic if any is symbolic, else float if any is a float, else exact).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import coerce_number, is_sympy

__all__ = ["read_input", "read_players", "unify_inputs", "one"]

def read_input(value, where):
    """One input as ``(kind, value)``; kind is ``"exact"``, ``"float"`` or ``"symbolic"``."""
    if is_sympy(value):
        import sympy

        if not isinstance(value, sympy.Expr):
            raise NegotiationError(f"{where}: expected a number or expression, got {value!r}")
        if value.is_Rational:
            return "exact", Fraction(int(value.p), int(value.q))
        if value.is_Float:
            return "float", coerce_number(value, where=where)
        if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or value.is_real is False:
            raise NegotiationError(f"{where}: expected a finite real value, got {value}")
        return "symbolic", value
    number = coerce_number(value, where=where)
    return ("exact" if isinstance(number, Fraction) else "float"), number


def unify_inputs(values: Mapping) -> tuple[dict, str]:
    """Read every input and bring them to one kind: exact, float or symbolic."""
    kinds, read = {}, {}
    for name, value in values.items():
        if value is None:
            read[name] = None
            continue
        kinds[name], read[name] = read_input(value, name)
    if "symbolic" in kinds.values():
        import sympy

        mode = "symbolic"
        for name, kind in kinds.items():
            if kind == "exact":
                read[name] = sympy.Rational(read[name].numerator, read[name].denominator)
            elif kind == "float":
                read[name] = sympy.Float(read[name])
    elif "float" in kinds.values():
        mode = "float"
        read = {name: None if v is None else float(v) for name, v in read.items()}
    else:
        mode = "exact"
    return read, mode


def one(mode):
    """The number 1 of the kind ``mode`` (``"exact"``, ``"float"`` or ``"symbolic"``)."""
    if mode == "symbolic":
        import sympy

        return sympy.Integer(1)
    return 1.0 if mode == "float" else Fraction(1)


def read_players(players) -> tuple:
    """Two different non-empty labels, as a tuple (one-line error otherwise)."""
    players = tuple(players)
    if len(players) != 2 or not all(isinstance(p, str) and p for p in players):
        raise NegotiationError(f"players must be two non-empty labels, got {players!r}")
    if players[0] == players[1]:
        raise NegotiationError(f"the two players need different labels, got {players!r}")
    return players
