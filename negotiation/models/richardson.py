"""Richardson's arms-race model [@Richardson1960]: two sides' armament levels and how they react.

Richardson (1960), *Arms and Insecurity*; Intriligator (1975), "Strategic considerations in the
Richardson model of arms races", *JPE*. Two sides' armament levels ``x`` and ``y`` follow

    dx/dt = a·y − m·x + g        dy/dt = b·x − n·y + h

with reaction ("defence") coefficients ``a, b > 0``, fatigue/cost coefficients ``m, n > 0`` and
grievances ``g, h``. Coefficients may be exact (``int``/``Fraction``), floats, or sympy
expressions. The steady state, its stability and trajectories are in
:mod:`negotiation.dynamics.richardson`; the phase portrait in :mod:`negotiation.report.dynamics`.

Examples
--------
>>> model = RichardsonModel(a=1, b=1, m=2, n=2, g=1, h=1, labels=("NATO", "Russia"))
>>> print(model)
Richardson arms race: dNATO/dt = 1·Russia − 2·NATO + 1, dRussia/dt = 1·NATO − 2·Russia + 1
>>> model.steady_state_formula()
(1, 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

import numpy as np
import sympy

from negotiation.core.drawing import plot
from negotiation.core.errors import NegotiationError
from negotiation.core.labels import normalise_labels
from negotiation.core.numeric import coerce_number, format_number, json_number, parse_number

__all__ = ["RichardsonError", "RichardsonModel", "COEFFICIENTS", "as_sympy"]

#: Names of the coefficients, in the order of the equations.
COEFFICIENTS = ("a", "b", "m", "n", "g", "h")


class RichardsonError(NegotiationError):
    """Invalid Richardson model or request (one line naming the coefficient or argument)."""


def _coefficient(value, name):
    """Fraction for exact numbers, float for floats, sympy for symbols (Rational -> Fraction)."""
    if isinstance(value, bool):
        raise RichardsonError(f"{name}: expected a number or a sympy expression, found {value}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise RichardsonError(f"{name}: expected a finite number, found {value}")
        return float(value)
    if isinstance(value, sympy.Basic):
        if isinstance(value, sympy.Rational):
            return Fraction(int(value.p), int(value.q))
        if value.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan) or value.is_real is False:
            raise RichardsonError(f"{name}: expected a finite real value, found {value}")
        if not value.free_symbols:
            return float(value)
        return value
    if isinstance(value, str):
        try:
            return parse_number(value)
        except ValueError as error:
            raise RichardsonError(f"{name}: {error}") from None
    raise RichardsonError(f"{name}: expected a number or a sympy expression, found {value!r}")


def as_sympy(value):
    """A coefficient (Fraction, float or sympy) as a sympy value.

    Examples
    --------
    >>> as_sympy(Fraction(3, 10)), as_sympy(0.5)
    (3/10, 0.500000000000000)
    """
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sympy.Float(value)
    return sympy.sympify(value) if not isinstance(value, sympy.Basic) else value


@dataclass(frozen=True)
class RichardsonModel:
    """Richardson's two-sided arms race ``dx/dt = a·y − m·x + g``, ``dy/dt = b·x − n·y + h``.

    Parameters
    ----------
    a, b, m, n, g, h
        Coefficients (numbers, exact or float, or sympy expressions).
    labels : (str, str)
        Names of the two sides (``x`` is the first).
    title, unit, time_unit : str
        Shown on figures and in reports.
    values : mapping
        Parameter values the coefficients were computed from (for reports).

    Examples
    --------
    >>> RichardsonModel.symbolic().steady_state_formula()
    ((a*h + g*n)/(-a*b + m*n), (b*g + h*m)/(-a*b + m*n))
    """

    #: The kind of model (the ``kind`` of a scenario's ``[dynamics]`` section).
    kind = "richardson"

    a: Any
    b: Any
    m: Any
    n: Any
    g: Any = Fraction(0)
    h: Any = Fraction(0)
    labels: tuple = ("x", "y")
    title: str = "Richardson arms race"
    unit: str = ""
    time_unit: str = ""
    values: Mapping = field(default_factory=dict)

    def __post_init__(self):
        for name in COEFFICIENTS:
            object.__setattr__(self, name, _coefficient(getattr(self, name), name))
        labels = tuple(self.labels)
        if len(labels) != 2 or not all(isinstance(s, str) and s.strip() for s in labels) or labels[0] == labels[1]:
            raise RichardsonError(f"labels: expected two different side names, found {self.labels!r}")
        object.__setattr__(self, "labels", normalise_labels(labels, where="labels", what="side name",
                                                            error=RichardsonError))
        object.__setattr__(self, "values", dict(self.values))

    @classmethod
    def symbolic(cls, labels=("x", "y"), **options) -> "RichardsonModel":
        """The model with symbols: ``a, b, m, n`` positive, ``g, h`` real."""
        a, b, m, n = sympy.symbols("a b m n", positive=True)
        g, h = sympy.symbols("g h", real=True)
        return cls(a, b, m, n, g, h, labels=labels, **options)

    @property
    def coefficients(self) -> dict:
        return {name: getattr(self, name) for name in COEFFICIENTS}

    @property
    def is_symbolic(self) -> bool:
        return any(isinstance(v, sympy.Basic) for v in self.coefficients.values())

    @property
    def exact(self) -> bool:
        return all(isinstance(v, (Fraction, sympy.Basic)) for v in self.coefficients.values()) and not any(
            isinstance(v, sympy.Basic) and v.has(sympy.Float) for v in self.coefficients.values())

    def substitute(self, values: Mapping) -> "RichardsonModel":
        """Coefficients with symbols replaced by numbers (by name)."""
        numbers = {}
        for name, value in values.items():
            number = coerce_number(value, where=f"parameter {name}")
            numbers[name] = as_sympy(number)
        updated = {}
        for name, value in self.coefficients.items():
            if isinstance(value, sympy.Basic):
                value = value.xreplace({s: numbers[s.name] for s in value.free_symbols if s.name in numbers})
            updated[name] = value
        return RichardsonModel(**updated, labels=self.labels, title=self.title, unit=self.unit,
                               time_unit=self.time_unit, values={**self.values, **values})

    def jacobian(self) -> sympy.Matrix:
        """``[[−m, a], [b, −n]]`` as a sympy matrix."""
        return sympy.Matrix([[-as_sympy(self.m), as_sympy(self.a)], [as_sympy(self.b), -as_sympy(self.n)]])

    def steady_state_formula(self) -> tuple:
        """``(x*, y*)`` as sympy expressions (the closed form of [@Richardson1960])."""
        a, b, m, n, g, h = (as_sympy(getattr(self, name)) for name in COEFFICIENTS)
        determinant = m * n - a * b
        return (a * h + n * g) / determinant, (b * g + m * h) / determinant

    def rates(self, x, y):
        """``(dx/dt, dy/dt)`` at numbers or numpy arrays (floats)."""
        a, b, m, n, g, h = self.float_coefficients()
        return a * y - m * x + g, b * x - n * y + h

    def float_coefficients(self) -> tuple:
        """``(a, b, m, n, g, h)`` as floats; refused while a coefficient is symbolic."""
        if self.is_symbolic:
            free = sorted({s.name for v in self.coefficients.values() if isinstance(v, sympy.Basic)
                           for s in v.free_symbols})
            raise RichardsonError(f"numbers needed for {', '.join(free)} (use substitute())")
        return tuple(float(getattr(self, name)) for name in COEFFICIENTS)

    def to_dict(self) -> dict:
        data = {"title": self.title, "sides": list(self.labels),
                "coefficients": {k: json_number(v) for k, v in self.coefficients.items()},
                "equations": [f"d{self.labels[0]}/dt = a*{self.labels[1]} - m*{self.labels[0]} + g",
                              f"d{self.labels[1]}/dt = b*{self.labels[0]} - n*{self.labels[1]} + h"]}
        if self.values:
            data["parameters"] = {k: json_number(v) for k, v in self.values.items()}
        return data

    def __str__(self) -> str:
        x, y = self.labels
        c = {k: format_number(v) for k, v in self.coefficients.items()}
        return (f"{self.title}: d{x}/dt = {c['a']}·{y} − {c['m']}·{x} + {c['g']}, "
                f"d{y}/dt = {c['b']}·{x} − {c['n']}·{y} + {c['h']}")

    def plot(self, *args, **options):
        """The phase portrait (a matplotlib figure): :func:`negotiation.report.dynamics.plot_phase`,
        drawn through the one door to figures."""
        return plot(self, *args, **options)
