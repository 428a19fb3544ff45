"""A small primal-dual interior-point method for smooth convex programs with few variables.

The agreement sets with concave utilities in several continuous issues
(:class:`~negotiation.bargaining.curves.SurfacePiece`) ask a handful of convex
programs -- each party's best utility, the max-min of gains, the frontier level by
level, the Nash product, the weighted sum -- each with a few issues and a few
constraints. Newton's method on their first-order (KKT) conditions, with exact
Hessians, solves each in some twenty steps of a ``k × k`` linear system, and
needs no general-purpose optimiser.

``minimise(objective, constraints, x0)`` solves ``min phi(x)`` subject to
``c_j(x) >= 0`` for convex ``phi`` and concave ``c_j``: the KKT conditions
``grad phi = J^T lam``, ``c(x) = s``, ``s_j lam_j = mu`` with ``s, lam > 0``, and
``mu`` driven to 0 (Nocedal and Wright 2006, Numerical Optimization, 2nd ed., §19.1;
Boyd and Vandenberghe 2004, Convex Optimization, §11.7). A run that does not reach
the tolerances returns None, and the caller falls back to SLSQP.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

import numpy as np

__all__ = ["Optimum", "minimise"]

#: Newton steps before a run gives up and the caller falls back to SLSQP (the 49 programs of
#: ``agree buffer_zone`` take 6-11 each).
NEWTON_STEPS = 200
#: Halvings of a step before the line search gives up.
HALVINGS = 40
#: Stationarity and feasibility tolerance, relative to the size of the gradients and constraint values.
TOLERANCE = 1e-11


@dataclass(frozen=True)
class Optimum:
    """The answer of :func:`minimise`: the point, the objective there and the Newton steps taken."""

    x: np.ndarray
    fun: float
    steps: int


def minimise(objective: Callable, constraints: Callable, x0, *, domain: Callable | None = None) -> Optimum | None:
    """``min objective(x)`` subject to ``constraints(x) >= 0`` (convex objective, concave constraints).

    Parameters
    ----------
    objective : callable
        ``x -> (value, gradient, Hessian)``.
    constraints : callable
        ``x -> (values (m,), Jacobian (m, k), Hessians (m, k, k))``.
    x0 : array
        A start; it need not be feasible (the slacks start positive).
    domain : callable, optional
        ``x -> bool``: where the objective is defined (the Nash product's logarithms: every gain > 0);
        the line search stays inside it, so ``x0`` must be inside it.

    Returns
    -------
    Optimum or None
        None when the run does not converge or starts outside ``domain`` (the caller has another route).

    Examples
    --------
    The closest point to (2, 2) in the unit disc:

    >>> def objective(x):
    ...     return float((x - 2) @ (x - 2)), 2 * (x - 2), 2 * np.eye(2)
    >>> def disc(x):
    ...     return np.array([1 - x @ x]), -2 * x.reshape(1, 2), np.array([-2 * np.eye(2)])
    >>> answer = minimise(objective, disc, np.zeros(2))
    >>> [round(float(v), 9) for v in answer.x]
    [0.707106781, 0.707106781]
    """
    x = np.array(x0, dtype=float)
    if domain is not None and not domain(x):  # the objective is undefined there (a zero gain's logarithm)
        return None
    c, J, _ = constraints(x)
    m = len(c)
    s = np.maximum(c, 1.0)
    lam = np.ones(m)
    mu = 0.1
    for step in range(NEWTON_STEPS):
        value, g, H = objective(x)
        c, J, C = constraints(x)
        r_dual = g - J.T @ lam
        r_primal = c - s
        scale = 1.0 + max(np.abs(g).max(initial=0.0), np.abs(c).max(initial=0.0))
        error = max(np.abs(r_dual).max(initial=0.0), np.abs(r_primal).max(initial=0.0)) / scale
        if max(error, np.abs(s * lam).max(initial=0.0) / scale) <= TOLERANCE:
            return Optimum(x, float(value), step)
        # barrier problem solved well enough for this mu: a smaller mu (superlinearly, as in Fiacco-McCormick)
        while m and max(error, np.abs(s * lam - mu).max() / scale) <= 10 * mu and mu > TOLERANCE / 10:
            mu = max(TOLERANCE / 10, min(0.2 * mu, mu ** 1.5))
        direction = _newton_direction(H, J, C, lam, s, r_dual, r_primal, mu)
        if direction is None:
            return None
        dx, ds, dlam = direction
        alpha = min(_to_boundary(s, ds), _to_boundary(lam, dlam))
        merit = _merit(r_dual, r_primal, s * lam - mu)
        for _ in range(HALVINGS):
            x_new = x + alpha * dx
            if domain is None or domain(x_new):
                s_new, lam_new = s + alpha * ds, lam + alpha * dlam
                _, g_new, _ = objective(x_new)
                c_new, J_new, _ = constraints(x_new)
                trial = _merit(g_new - J_new.T @ lam_new, c_new - s_new, s_new * lam_new - mu)
                if trial <= (1 - 1e-4 * alpha) * merit:
                    break
            alpha /= 2
        else:
            return None
        x, s, lam = x_new, s_new, lam_new
    return None


def _newton_direction(H, J, C, lam, s, r_dual, r_primal, mu):
    """The Newton step of the perturbed KKT system, slacks and multipliers eliminated (a k × k solve)."""
    hessian = H - np.tensordot(lam, C, axes=1) if len(lam) else H
    r_comp = s * lam - mu
    matrix = hessian + J.T @ ((lam / s)[:, None] * J)
    rhs = -r_dual - J.T @ ((r_comp + lam * r_primal) / s)
    try:
        dx = np.linalg.solve(matrix, rhs)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(dx)):
        return None
    ds = J @ dx + r_primal
    dlam = -(r_comp + lam * ds) / s
    return dx, ds, dlam


def _to_boundary(v, dv, tau=0.995):
    """The longest step (at most 1) that keeps ``v + step * dv`` positive, with a margin."""
    shrinking = dv < 0
    if not shrinking.any():
        return 1.0
    return float(min(1.0, tau * np.min(-v[shrinking] / dv[shrinking])))


def _merit(r_dual, r_primal, r_comp) -> float:
    return float(np.abs(r_dual).sum() + np.abs(r_primal).sum() + np.abs(r_comp).sum())
