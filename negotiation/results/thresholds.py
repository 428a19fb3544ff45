"""Thresholds: the value of one parameter at which an answer changes.

``derive`` reports where the two sides of an equilibrium condition are equal (the classic game of
the security dilemma changes where ``T = R``); a bargaining sensitivity reports where the zone of
possible agreement opens or closes. Both are one :class:`Threshold`: a parameter, its value at the
point analysed, where known a formula in the other parameters, and the equation that defines it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from negotiation.core.numeric import format_number, is_sympy, json_number

__all__ = ["Threshold"]


@dataclass(frozen=True)
class Threshold:
    """A value of ``parameter`` at which an answer changes.

    Attributes
    ----------
    parameter : str
        The parameter solved for.
    expression : sympy expression or None
        The threshold as a formula in the other parameters (``(k - v)/G``), where one is known.
    value : Fraction, float, sympy number or None
        The threshold at the point analysed (the other parameters at their defaults or given
        values); ``None`` where it is undefined there.
    boundary : str
        The equation that defines it, as text (``G*omega + v = k``).
    label : str
        What it separates, if it has a name (a classic-game comparison such as ``T = R``).
    in_range : bool or None
        Whether ``value`` lies in the parameter's range (a threshold outside it is never crossed).
    used_by : tuple of str
        The derived conditions that contain the comparison.
    boundary_latex : str
        ``boundary`` in LaTeX.
    opens : bool or None
        For a zone of agreement: True if it is empty below the value and non-empty above it.
    agreement : Agreement or None
        For a zone of agreement: the last (or first) agreement in the zone.
    exact : bool
        Whether ``value`` is exact.
    method : str
        How the threshold was found.

    Examples
    --------
    >>> import sympy
    >>> from fractions import Fraction
    >>> k, G = sympy.symbols("k G")
    >>> t = Threshold("omega", k / G, Fraction(1, 4), boundary="G*omega = k", label="T = R", in_range=True)
    >>> t.describe()
    'omega = k/G (1/4 at the point analysed): G*omega = k (T = R)'
    >>> t.to_dict()["value"], t.to_dict()["expression"]
    ('1/4', 'k/G')
    """

    parameter: str
    expression: Any = None
    value: Any = None
    boundary: str = ""
    label: str = ""
    in_range: bool | None = None
    used_by: tuple = ()
    boundary_latex: str = ""
    opens: bool | None = None
    agreement: Any = None
    exact: bool = True
    method: str = ""

    @property
    def formula(self):
        """``expression`` (the name a bargaining threshold used)."""
        return self.expression

    @property
    def condition(self) -> str:
        """``boundary`` (the name a bargaining threshold used)."""
        return self.boundary

    def describe(self) -> str:
        """One line: the threshold, its value, and what changes there."""
        if self.opens is not None:
            way, side = ("opens", "above") if self.opens else ("closes", "below")
            text = (f"the zone {way} at {self.parameter} = {_show(self.value)}"
                    + (f" (≈ {float(self.value):.6g})" if not isinstance(self.value, (int, float)) else "")
                    + f": agreements that beat no deal for every party exist only {side} it")
            if self.expression is not None:
                formula = str(self.expression)
                text += (f"; locally {self.parameter}* = {formula}" if len(formula) <= 160
                         else f"; a closed form in the other parameters is in .expression ({len(formula)} characters)")
            return text
        value = "undefined at the point analysed" if self.value is None else f"{_show(self.value)} at the point analysed"
        named = f" ({self.label})" if self.label else ""
        return f"{self.parameter} = {_show(self.expression)} ({value}): {self.boundary}{named}"

    def to_dict(self) -> dict:
        """JSON-ready: exact values as fraction strings, formulas as sympy strings (and LaTeX)."""
        data = {"parameter": self.parameter, "value": None if self.value is None else json_number(self.value),
                "value_float": _float(self.value),
                "expression": None if self.expression is None else _sympy_text(self.expression),
                "latex": None if self.expression is None else _latex(self.expression),
                "boundary": self.boundary, "label": self.label, "in_range": self.in_range,
                "used_by": list(self.used_by), "exact": self.exact, "method": self.method}
        if self.opens is not None:
            data["opens"] = self.opens
            data["agreement"] = self.agreement.to_dict() if self.agreement is not None else None
        return data


def _show(value) -> str:
    if is_sympy(value):
        import sympy  # a sympy value: sympy is loaded

        return sympy.sstr(value)
    return format_number(value)


def _sympy_text(expression) -> str:
    if is_sympy(expression):
        import sympy  # a sympy value: sympy is loaded

        return sympy.sstr(expression)
    return str(expression)


def _latex(expression) -> str:
    if is_sympy(expression):
        import sympy  # a sympy value: sympy is loaded

        return sympy.latex(expression)
    return str(expression)


def _float(value):
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
