"""Richardson's arms race over time: the steady state, its stability and trajectories.

The model (:class:`~negotiation.models.richardson.RichardsonModel`) is

    dx/dt = a·y − m·x + g        dy/dt = b·x − n·y + h

In closed form [@Richardson1960]:

    x* = (a·h + n·g) / (m·n − a·b),      y* = (b·g + m·h) / (m·n − a·b);

the Jacobian ``[[−m, a], [b, −n]]`` has trace ``−(m + n) < 0`` and determinant ``m·n − a·b``, so the
steady state is asymptotically stable iff ``m·n > a·b``; if ``m·n < a·b`` it is a saddle (a runaway
race or mutual disarmament, depending on the initial levels). Exact coefficients give exact
(``Fraction``) answers, symbols give closed forms.

Examples
--------
>>> model = RichardsonModel(a=1, b=1, m=2, n=2, g=1, h=1, labels=("NATO", "Russia"))
>>> steady_state(model)
{'NATO': Fraction(1, 1), 'Russia': Fraction(1, 1)}
>>> stability(model).stable, stability(model).eigenvalues
(True, (Fraction(-3, 1), Fraction(-1, 1)))
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy

from negotiation.models.richardson import RichardsonError, RichardsonModel, as_sympy
from negotiation.results.dynamics import Stability, Trajectory

__all__ = ["steady_state", "stability", "trajectory"]


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
    a, b, m, n = (as_sympy(getattr(model, name)) for name in "abmn")
    determinant = m * n - a * b
    if not determinant.free_symbols and determinant == 0:
        raise RichardsonError("no unique steady state: m·n = a·b (the nullclines are parallel)")
    x, y = model.steady_state_formula()
    exact = model.exact
    return {model.labels[0]: _back(x, exact), model.labels[1]: _back(y, exact)}


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
    a, b, m, n = (as_sympy(getattr(model, name)) for name in "abmn")
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
    return Stability(eigenvalues, _back(trace, exact), _back(determinant, exact), stable, kind, condition,
                     exact=exact, parameters=dict(model.values), title=model.title)


def trajectory(model: RichardsonModel, x0, y0, time=20.0, *, points: int = 201) -> Trajectory:
    """Armament levels from ``(x0, y0)`` at the given times.

    Closed form ``z(t) = z* + exp(J t)(z0 − z*)`` (matrix exponential) when
    ``m n ≠ a b``; otherwise the ODE is integrated with scipy's ``solve_ivp``.

    Parameters
    ----------
    model : RichardsonModel
        Numeric coefficients.
    x0, y0 : float
        The initial levels.
    time : float or array-like
        End time (``points`` equally spaced times from 0), or the times themselves (increasing, from 0 or later).
    points : int
        Number of times when ``time`` is an end time.

    Returns
    -------
    Trajectory
        Rule ``"richardson"``, one column per side (``path.x``, ``path.y``), method
        ``"matrix_exponential"`` or ``"solve_ivp"``.

    Examples
    --------
    >>> path = trajectory(RichardsonModel(a=1, b=1, m=2, n=2, g=1, h=1), 0, 0, 30)
    >>> round(float(path.x[-1]), 9), round(float(path.y[-1]), 9)
    (1.0, 1.0)
    """
    a, b, m, n, g, h = model.float_coefficients()
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
        return _path(model, times, states, "matrix_exponential", start)
    from scipy.integrate import solve_ivp

    solution = solve_ivp(lambda t, z: matrix @ z + constant, (0.0, float(times[-1])), start, t_eval=times,
                         rtol=1e-10, atol=1e-12)
    return _path(model, times, solution.y.T, "solve_ivp", start)


def _path(model, times, states, method, start) -> Trajectory:
    return Trajectory("richardson", model.labels, times, states, method=method, parameters=dict(model.values),
                      time_label="time", title=f"{model.title}: path from ({start[0]:g}, {start[1]:g})")
