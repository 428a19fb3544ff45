"""Richardson's arms-race model (domain.md §M11): steady state, stability, trajectories, phase portraits.

Richardson (1960), *Arms and Insecurity*; Intriligator (1975), "Strategic considerations in the
Richardson model of arms races", *JPE*. Two sides' armament levels ``x`` and ``y`` follow

    dx/dt = a·y − m·x + g        dy/dt = b·x − n·y + h

with reaction ("defence") coefficients ``a, b > 0``, fatigue/cost coefficients ``m, n > 0`` and
grievances ``g, h``. In closed form (domain.md §M11, [C]):

    x* = (a·h + n·g) / (m·n − a·b),      y* = (b·g + m·h) / (m·n − a·b);

the Jacobian ``[[−m, a], [b, −n]]`` has trace ``−(m + n) < 0`` and determinant ``m·n − a·b``, so the
steady state is asymptotically stable iff ``m·n > a·b``; if ``m·n < a·b`` it is a saddle (a runaway
race or mutual disarmament, depending on the initial levels).

Coefficients may be exact (``int``/``Fraction``: exact ``Fraction`` results), floats, or sympy
symbols (closed forms as sympy expressions). Figures are matplotlib ``Figure`` objects; no global
pyplot state is touched.

The module also provides the ``negotiation dynamics PATH`` sub-command (:func:`add_dynamics_parser`).

Examples
--------
>>> model = RichardsonModel(a=1, b=1, m=2, n=2, g=1, h=1, labels=("NATO", "Russia"))
>>> steady_state(model)
{'NATO': Fraction(1, 1), 'Russia': Fraction(1, 1)}
>>> stability(model).stable, stability(model).eigenvalues
(True, (Fraction(-3, 1), Fraction(-1, 1)))
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np
import sympy

from negotiation.core.numeric import format_number, json_number
from negotiation.core.errors import NegotiationError

__all__ = ["RichardsonError", "RichardsonModel", "Stability", "Trajectory", "steady_state", "stability",
           "trajectory", "plot_phase", "add_dynamics_parser", "command_dynamics", "COEFFICIENTS"]

#: Names of the coefficients, in the order of the equations.
COEFFICIENTS = ("a", "b", "m", "n", "g", "h")
_MEANINGS = {"a": "reaction of x to y", "b": "reaction of y to x", "m": "fatigue/cost of x",
             "n": "fatigue/cost of y", "g": "grievance of x", "h": "grievance of y"}


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
        from negotiation.core.numeric import parse_number

        try:
            return parse_number(value)
        except ValueError as error:
            raise RichardsonError(f"{name}: {error}") from None
    raise RichardsonError(f"{name}: expected a number or a sympy expression, found {value!r}")


def _sym(value):
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sympy.Float(value)
    return sympy.sympify(value) if not isinstance(value, sympy.Basic) else value


def _back(expression, exact: bool):
    """A sympy result as the model's kind of number: Fraction, float, or sympy."""
    expression = sympy.simplify(expression) if expression.free_symbols else expression
    if expression.free_symbols:
        return expression
    if exact and isinstance(expression, sympy.Rational):
        return Fraction(int(expression.p), int(expression.q))
    if exact and expression.is_real and not expression.has(sympy.Float):
        return sympy.radsimp(expression)
    value = complex(expression)
    return value.real if abs(value.imag) < 1e-300 else value


def _show(value) -> str:
    return format_number(value) if isinstance(value, (Fraction, int, float)) else str(value)


def _json(value):
    return json_number(value) if isinstance(value, (Fraction, int, float)) else str(value)


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
        object.__setattr__(self, "labels", labels)
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
        from negotiation.core.numeric import coerce_number

        numbers = {}
        for name, value in values.items():
            number = coerce_number(value, where=f"parameter {name}")
            numbers[name] = _sym(number)
        updated = {}
        for name, value in self.coefficients.items():
            if isinstance(value, sympy.Basic):
                value = value.xreplace({s: numbers[s.name] for s in value.free_symbols if s.name in numbers})
            updated[name] = value
        return RichardsonModel(**updated, labels=self.labels, title=self.title, unit=self.unit,
                               time_unit=self.time_unit, values={**self.values, **values})

    def jacobian(self) -> sympy.Matrix:
        """``[[−m, a], [b, −n]]`` as a sympy matrix."""
        return sympy.Matrix([[-_sym(self.m), _sym(self.a)], [_sym(self.b), -_sym(self.n)]])

    def steady_state_formula(self) -> tuple:
        """``(x*, y*)`` as sympy expressions (the closed form of domain.md §M11)."""
        a, b, m, n, g, h = (_sym(getattr(self, name)) for name in COEFFICIENTS)
        determinant = m * n - a * b
        return (a * h + n * g) / determinant, (b * g + m * h) / determinant

    def rates(self, x, y):
        """``(dx/dt, dy/dt)`` at numbers or numpy arrays (floats)."""
        a, b, m, n, g, h = self._floats()
        return a * y - m * x + g, b * x - n * y + h

    def _floats(self):
        if self.is_symbolic:
            free = sorted({s.name for v in self.coefficients.values() if isinstance(v, sympy.Basic)
                           for s in v.free_symbols})
            raise RichardsonError(f"numbers needed for {', '.join(free)} (use substitute())")
        return tuple(float(getattr(self, name)) for name in COEFFICIENTS)

    def to_dict(self) -> dict:
        data = {"title": self.title, "sides": list(self.labels),
                "coefficients": {k: _json(v) for k, v in self.coefficients.items()},
                "equations": [f"d{self.labels[0]}/dt = a*{self.labels[1]} - m*{self.labels[0]} + g",
                              f"d{self.labels[1]}/dt = b*{self.labels[0]} - n*{self.labels[1]} + h"]}
        if self.values:
            data["parameters"] = {k: json_number(v) for k, v in self.values.items()}
        return data

    def __str__(self) -> str:
        x, y = self.labels
        c = {k: _show(v) for k, v in self.coefficients.items()}
        return (f"{self.title}: d{x}/dt = {c['a']}·{y} − {c['m']}·{x} + {c['g']}, "
                f"d{y}/dt = {c['b']}·{x} − {c['n']}·{y} + {c['h']}")


def steady_state(model: RichardsonModel) -> dict:
    """The equilibrium armament levels ``{side: level}`` (closed form, exact or symbolic).

    ``x* = (a h + n g)/(m n − a b)``, ``y* = (b g + m h)/(m n − a b)``.

    Raises
    ------
    RichardsonError
        When ``m n = a b`` (no unique steady state: parallel nullclines).

    Examples
    --------
    >>> steady_state(RichardsonModel(a="3/10", b="2/5", m="1/2", n="1/2", g=1, h="3/2", labels=("NATO", "Russia")))
    {'NATO': Fraction(95, 13), 'Russia': Fraction(115, 13)}
    """
    a, b, m, n = (_sym(getattr(model, name)) for name in "abmn")
    determinant = m * n - a * b
    if not determinant.free_symbols and determinant == 0:
        raise RichardsonError("no unique steady state: m·n = a·b (the nullclines are parallel)")
    x, y = model.steady_state_formula()
    exact = model.exact
    return {model.labels[0]: _back(x, exact), model.labels[1]: _back(y, exact)}


@dataclass(frozen=True)
class Stability:
    """Local stability of the steady state.

    Attributes
    ----------
    eigenvalues : tuple
        Of the Jacobian ``[[−m, a], [b, −n]]`` (exact, symbolic, or float).
    trace, determinant : number or sympy expression
    stable : bool or None
        Asymptotically stable (trace < 0 and determinant > 0); None if undecided symbolically.
    kind : str
        ``"stable node"``, ``"stable focus"``, ``"saddle"``, ``"unstable node"``, ``"unstable focus"``,
        ``"centre"``, ``"degenerate"`` or ``"undetermined"``.
    condition : sympy Boolean
        The stability condition, simplified under the coefficients' assumptions
        (``m*n > a*b`` when ``m, n > 0``).
    """

    eigenvalues: tuple
    trace: Any
    determinant: Any
    stable: bool | None
    kind: str
    condition: Any

    def to_dict(self) -> dict:
        return {"stable": self.stable, "kind": self.kind, "eigenvalues": [_json(v) for v in self.eigenvalues],
                "trace": _json(self.trace), "determinant": _json(self.determinant), "condition": str(self.condition)}


def stability(model: RichardsonModel) -> Stability:
    """Eigenvalues, trace, determinant and the verdict: stable iff ``m n > a b`` (for ``m + n > 0``).

    Examples
    --------
    >>> stability(RichardsonModel.symbolic()).condition
    m*n > a*b
    >>> stability(RichardsonModel(a=2, b=2, m=1, n=1)).kind
    'saddle'
    """
    exact = model.exact
    jacobian = model.jacobian()
    trace = jacobian.trace()
    determinant = sympy.expand(jacobian.det())
    discriminant = sympy.expand(trace ** 2 - 4 * determinant)
    root = sympy.sqrt(discriminant)
    eigenvalues = tuple(_back(sympy.simplify((trace + sign * root) / 2), exact) for sign in (-1, 1))
    a, b, m, n = (_sym(getattr(model, name)) for name in "abmn")
    condition = sympy.And(sympy.Gt(m + n, 0), sympy.Gt(m * n, a * b))
    if condition in (sympy.true, sympy.false):
        stable = bool(condition)
    else:
        stable = None
    kind = "undetermined"
    if not trace.free_symbols and not determinant.free_symbols:
        t, d, q = float(trace), float(determinant), float(discriminant)
        if d < 0:
            kind = "saddle"
        elif d == 0:
            kind = "degenerate"
        elif t == 0:
            kind = "centre"
        else:
            kind = ("stable " if t < 0 else "unstable ") + ("node" if q >= 0 else "focus")
    return Stability(eigenvalues, _back(trace, exact), _back(determinant, exact), stable, kind, condition)


@dataclass(frozen=True)
class Trajectory:
    """A path of the two armament levels over time (float arrays, labelled)."""

    time: np.ndarray = field(repr=False)
    x: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)
    labels: tuple = ("x", "y")
    method: str = "matrix_exponential"

    def __getitem__(self, side) -> np.ndarray:
        if side == self.labels[0]:
            return self.x
        if side == self.labels[1]:
            return self.y
        if side == "time":
            return self.time
        raise KeyError(side)

    @property
    def final(self) -> dict:
        return {self.labels[0]: float(self.x[-1]), self.labels[1]: float(self.y[-1])}

    def to_records(self) -> list[dict]:
        return [{"time": float(t), self.labels[0]: float(x), self.labels[1]: float(y)}
                for t, x, y in zip(self.time, self.x, self.y)]

    def to_dict(self) -> dict:
        return {"method": self.method, "time": self.time.tolist(), self.labels[0]: self.x.tolist(),
                self.labels[1]: self.y.tolist()}


def trajectory(model: RichardsonModel, x0, y0, time=20.0, *, points: int = 201) -> Trajectory:
    """Armament levels from ``(x0, y0)`` at the given times.

    Closed form ``z(t) = z* + exp(J t)(z0 − z*)`` (matrix exponential) when
    ``m n ≠ a b``; otherwise the ODE is integrated with scipy's ``solve_ivp``.

    Parameters
    ----------
    time : float or array-like
        End time (``points`` equally spaced times from 0), or the times themselves (increasing, from 0 or later).

    Examples
    --------
    >>> path = trajectory(RichardsonModel(a=1, b=1, m=2, n=2, g=1, h=1), 0, 0, 30)
    >>> round(float(path.x[-1]), 9), round(float(path.y[-1]), 9)
    (1.0, 1.0)
    """
    a, b, m, n, g, h = model._floats()
    times = np.asarray(time, dtype=float)
    if times.ndim == 0:
        if not times > 0:
            raise RichardsonError(f"time: expected a positive end time, found {time}")
        times = np.linspace(0.0, float(times), points)
    if times.ndim != 1 or len(times) < 1 or np.any(np.diff(times) < 0) or times[0] < 0:
        raise RichardsonError("time: expected increasing non-negative times")
    start = np.array([float(x0), float(y0)])
    matrix = np.array([[-m, a], [b, -n]])
    constant = np.array([g, h])
    if abs(np.linalg.det(matrix)) > 1e-12 * max(1.0, np.abs(matrix).max() ** 2):
        from scipy.linalg import expm

        fixed = -np.linalg.solve(matrix, constant)
        with np.errstate(over="ignore", invalid="ignore"):
            states = np.array([fixed + expm(matrix * t) @ (start - fixed) for t in times])
        return Trajectory(times, states[:, 0], states[:, 1], model.labels, "matrix_exponential")
    from scipy.integrate import solve_ivp

    solution = solve_ivp(lambda t, z: matrix @ z + constant, (0.0, float(times[-1])), start, t_eval=times,
                         rtol=1e-10, atol=1e-12)
    return Trajectory(times, solution.y[0], solution.y[1], model.labels, "solve_ivp")


def plot_phase(model: RichardsonModel, initial: Sequence | None = None, *, time: float = 20.0, ax=None,
               limits: Sequence | None = None, title: str | None = None):
    """Phase portrait: the vector field, both nullclines, the steady state and trajectories.

    Parameters
    ----------
    initial : sequence of (x0, y0), optional
        Starting points of the trajectories (default: the corners of the box and the origin).
    limits : ((xmin, xmax), (ymin, ymax)), optional
        Axes (default: from 0 to 1.6 times the larger of the steady state and 1).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> figure = plot_phase(RichardsonModel(a=1, b=1, m=2, n=2, g=1, h=1, labels=("NATO", "Russia")))
    >>> figure.axes[0].get_xlabel()
    'NATO'
    """
    from negotiation.report.figures import new_figure as Figure

    a, b, m, n, g, h = model._floats()
    try:
        state = {k: float(v) for k, v in steady_state(model).items()}
    except RichardsonError:
        state = None
    if limits is None:
        span = 1.6 * max([1.0] + ([abs(v) for v in state.values()] if state else []))
        limits = ((0.0, span), (0.0, span))
    (x_low, x_high), (y_low, y_high) = ((float(p), float(q)) for p, q in limits)
    if ax is None:
        figure = Figure(figsize=(6.4, 5.4), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    xs, ys = np.meshgrid(np.linspace(x_low, x_high, 25), np.linspace(y_low, y_high, 25))
    u, v = model.rates(xs, ys)
    ax.streamplot(xs, ys, u, v, color="0.75", density=1.0, linewidth=0.8, arrowsize=1.0)
    grid = np.linspace(x_low, x_high, 200)
    x_name, y_name = model.labels
    if a != 0:
        ax.plot(grid, (m * grid - g) / a, color="tab:blue", linewidth=2, label=f"d{x_name}/dt = 0")
    else:
        ax.axvline(g / m, color="tab:blue", linewidth=2, label=f"d{x_name}/dt = 0")
    if n != 0:
        ax.plot(grid, (b * grid + h) / n, color="tab:red", linewidth=2, label=f"d{y_name}/dt = 0")
    if initial is None:
        initial = [(x_low, y_low), (x_high, y_low), (x_low, y_high), (x_high, y_high)]
    for k, (x0, y0) in enumerate(initial):
        path = trajectory(model, x0, y0, time)
        ax.plot(path.x, path.y, color="black", linewidth=1.2, label="trajectories" if k == 0 else None)
        ax.plot([x0], [y0], marker="o", color="black", markersize=4)
    if state is not None:
        ax.plot([state[x_name]], [state[y_name]], marker="*", markersize=16, color="tab:green", linestyle="none",
                label=f"steady state ({state[x_name]:.3g}, {state[y_name]:.3g})")
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    unit = f" ({model.unit})" if model.unit else ""
    ax.set_xlabel(f"{x_name}{unit}", fontsize=12)
    ax.set_ylabel(f"{y_name}{unit}", fontsize=12)
    ax.tick_params(labelsize=11)
    verdict = stability(model)
    ax.set_title(title if title is not None else f"{model.title}: {verdict.kind}", fontsize=13)
    ax.legend(fontsize=10, loc="best")
    return figure
