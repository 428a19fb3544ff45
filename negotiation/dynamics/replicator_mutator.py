"""The replicator–mutator equation of a symmetric two-player game: paths and rest points.

One population plays the symmetric game with payoff matrix ``A`` in random pairs; strategy ``j`` has
fitness ``f_j = (A x)_j`` and average fitness is ``φ = x·A x``. Offspring of a ``j`` play ``i`` with the
probability ``Q_ji`` of a row-stochastic mutation matrix ``Q`` (Page and Nowak 2002, eq. 1):

    dx_i/dt = Σ_j x_j f_j Q_ji − φ x_i.

With ``Q = I`` (no mutation) it is the replicator equation of
:func:`~negotiation.dynamics.learning.replicator_dynamics` (Taylor and Jonker 1978); with uniform mutation
at rate ``μ`` every offspring plays another strategy, drawn uniformly, with probability ``μ``. The
equation reads fitness as a rate of reproduction, so with mutation every fitness must be non-negative:
as in the Moran process, fitness is ``1 − w + w (A x)_j`` with an intensity of selection ``w`` (default 1:
fitness is payoff), and a game with negative payoffs is refused unless a smaller ``w`` makes every fitness
non-negative. Without mutation ``w`` only rescales time.

:func:`replicator_mutator` integrates the equation (a :class:`~negotiation.results.dynamics.Trajectory`,
under the limits :data:`~negotiation.dynamics.learning.MAX_STEPS` on reported points and
:data:`~negotiation.dynamics.learning.MAX_TIME` on time × payoff range of the learning rules);
:func:`replicator_mutator_rest_points` finds the rest points and their stability: for two strategies the
roots in ``[0, 1]`` of a cubic polynomial (exact where rational, all of them), for more a multi-start
Newton search on the simplex.

References
----------
Page, K. M. and Nowak, M. A. (2002). Unifying evolutionary dynamics. *Journal of Theoretical Biology* 219:
93–98.

Taylor, P. D. and Jonker, L. B. (1978). Evolutionarily stable strategies and game dynamics. *Mathematical
Biosciences* 40: 145–156.

Hofbauer, J. and Sigmund, K. (1998). *Evolutionary Games and Population Dynamics*. Cambridge University
Press, ch. 7 (the replicator equation) and ch. 16 (rest points and their linearisation).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from negotiation.core.errors import SolverLimitError
from negotiation.core.numeric import coerce_number
from negotiation.dynamics.evolution import symmetric_payoffs
from negotiation.dynamics.learning import MAX_STEPS, MAX_TIME
from negotiation.models.profile import MixedProfile
from negotiation.results.dynamics import Trajectory
from negotiation.results.evolution import EvolutionError, RestPoint, RestPoints

__all__ = ["mutation_matrix", "selected_payoffs", "replicator_mutator", "replicator_mutator_rest_points", "field_and_jacobian",
           "MAX_START_POINTS"]

#: Start points of the Newton search for three or more strategies: the vertices, edge midpoints and the
#: barycentre (a game of more than 19 strategies has too many and is refused), then seeded random points up to
#: this count; 200 solves of a 10-strategy coordination game cost about 1.5 s.
MAX_START_POINTS = 200


def mutation_matrix(mutation, strategies: int) -> tuple:
    """The row-stochastic mutation matrix ``Q`` from a rate ``μ`` (uniform mutation) or a matrix.

    Uniform mutation at rate ``μ``: ``Q_ii = 1 − μ`` and ``Q_ij = μ / (k − 1)`` for ``j ≠ i``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> mutation_matrix(Fraction(1, 10), 3)[0]
    (Fraction(9, 10), Fraction(1, 20), Fraction(1, 20))
    """
    if isinstance(mutation, (list, tuple, np.ndarray)):
        rows = [[coerce_number(q, where="mutation matrix") for q in row] for row in mutation]
        if len(rows) != strategies or any(len(row) != strategies for row in rows):
            raise EvolutionError(f"mutation matrix: expected {strategies} rows of {strategies} probabilities")
        for i, row in enumerate(rows):
            if any(q < 0 for q in row) or abs(sum(row) - 1) > (0 if all(isinstance(q, Fraction) for q in row)
                                                               else 1e-12):
                raise EvolutionError(f"mutation matrix row {i + 1}: expected non-negative probabilities summing to 1")
        return tuple(tuple(row) for row in rows)
    rate = coerce_number(mutation, where="mutation")
    if not 0 <= rate <= 1:
        raise EvolutionError(f"mutation {mutation!r}: expected a rate between 0 and 1")
    spread = rate / (strategies - 1)
    return tuple(tuple(1 - rate if i == j else spread for j in range(strategies)) for i in range(strategies))


def field_and_jacobian(matrix, mutation):
    """The vector field ``x ↦ dx/dt`` and its Jacobian (in the full coordinates) as numpy functions.

    Examples
    --------
    >>> import numpy as np
    >>> field, jacobian = field_and_jacobian([[1, 0], [0, 1]], [[0.91, 0.09], [0.09, 0.91]])
    >>> bool(np.allclose(field(np.array([0.9, 0.1])), 0.0, atol=1e-12))
    True
    """
    a = np.array(matrix, dtype=float)
    q = np.array(mutation, dtype=float)

    def field(x):
        fitness = a @ x
        return (x * fitness) @ q - (x @ fitness) * x

    def jacobian(x):
        fitness = a @ x
        # d/dx_l of Σ_j x_j f_j Q_ji = f_l Q_li + Σ_j x_j A_jl Q_ji; d/dx_l of φ x_i = (f_l + (Aᵀx)_l) x_i + φ δ_il
        gain = np.diag(fitness) @ q + (a * x[:, None]).T @ q
        return gain.T - np.outer(x, fitness + a.T @ x) - (x @ fitness) * np.eye(len(x))

    return field, jacobian


def _reduced_eigenvalues(jacobian, x) -> tuple:
    """Eigenvalues on the simplex: coordinates ``x_1 … x_{k−1}`` with ``x_k = 1 − Σ``."""
    full = jacobian(x)
    k = len(x)
    reduced = full[:k - 1, :k - 1] - full[:k - 1, k - 1][:, None]
    return tuple(complex(v) for v in np.linalg.eigvals(reduced))


def replicator_mutator(game, time: float, mutation=0.01, initial=None, *, selection=1, points: int = 201,
                       tolerance: float = 1e-6, max_steps=None, max_time=None) -> Trajectory:
    """Integrate the replicator–mutator equation of a symmetric game (``solve_ivp``, DOP853).

    Parameters
    ----------
    game : Game
        A numeric symmetric two-player game.
    time : float
        Integrate from 0 to ``time``.
    mutation : number or matrix
        A rate ``μ`` of uniform mutation (default 0.01) or a row-stochastic matrix ``Q``.
    initial : mapping, optional
        ``{strategy: share}`` (normalised); default uniform.
    selection : number
        The intensity of selection ``w``: fitness ``1 − w + w (A x)_j`` (default 1).
    points : int
        Reported times, evenly spaced, both ends included.
    tolerance : float
        Converged when the speed ``max |dx/dt|`` at the end is at most ``tolerance × payoff range``.
    max_steps, max_time : optional
        The limits on ``points`` and on ``time × payoff range`` (defaults those of the learning rules).

    Returns
    -------
    Trajectory
        One "player", ``Population``, whose "mixed strategy" is the population's shares; ``rule``
        ``"replicator_mutator"``.

    Examples
    --------
    The coordination game ``[[1, 0], [0, 1]]`` with ``μ = 9/100`` has rest points 1/10, 1/2 and 9/10; from
    a majority of the first strategy the population settles at 9/10:

    >>> import negotiation as ng
    >>> game = ng.Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]], strategies=(("A", "B"), ("A", "B")))
    >>> run = replicator_mutator(game, 60, mutation=0.09, initial={"A": 0.7, "B": 0.3})
    >>> run.converged, round(run.final["Population"]["A"], 6)
    (True, 0.9)
    """
    from scipy.integrate import solve_ivp

    matrix, labels = symmetric_payoffs(game)
    q = mutation_matrix(mutation, len(labels))
    matrix = selected_payoffs(matrix, q, selection)
    horizon = _check_horizon(time, matrix, points, max_steps, max_time)
    field, _ = field_and_jacobian(matrix, q)
    start = _initial_shares(initial, labels)
    scale = _scale(matrix)
    times = np.linspace(0.0, horizon, points)

    def normalised(t, x):  # on the simplex by construction; normalising keeps the sum at 1 numerically
        return field(x / x.sum())

    solution = solve_ivp(normalised, (0.0, horizon), start, t_eval=times, method="DOP853", rtol=1e-10, atol=1e-12)
    if not solution.success:  # pragma: no cover - DOP853 on a bounded smooth field
        raise EvolutionError(f"the integration failed: {solution.message}")
    states = solution.y.T
    speed = float(np.max(np.abs(normalised(horizon, states[-1]))))
    converged = speed <= tolerance * scale
    limit = MixedProfile(("Population",), (labels,), (tuple(float(v) for v in states[-1]),)) if converged else None
    messages = ((f"one population; solve_ivp DOP853 (rtol 1e-10, atol 1e-12); final speed {speed:.3g} "
                 f"(converged: at most {tolerance:g} × payoff range {scale:.4g})"),)
    shown = mutation if not isinstance(mutation, (list, tuple, np.ndarray)) else "matrix"
    return Trajectory("replicator_mutator", tuple(f"Population: {s}" for s in labels), times, states,
                      players=("Population",), strategies=(labels,),
                      parameters={"time": horizon, "points": points, "mutation": _plain(shown),
                                  "selection": _plain(selection)},
                      converged=bool(converged), limit=limit, messages=messages, time_label="time",
                      title="Replicator–mutator dynamics")


def selected_payoffs(matrix, mutation, selection) -> tuple:
    """The fitness matrix ``1 − w + w A`` (``(A x)_j`` becomes ``1 − w + w (A x)_j`` on the simplex); with
    mutation every entry must be non-negative.

    Examples
    --------
    >>> from fractions import Fraction
    >>> selected_payoffs(((Fraction(4), Fraction(-1)), (Fraction(3), Fraction(2))), ((1, 0), (0, 1)), Fraction(1, 2))
    ((Fraction(5, 2), Fraction(0, 1)), (Fraction(2, 1), Fraction(3, 2)))
    """
    w = coerce_number(selection, where="selection")
    if w < 0:
        raise EvolutionError(f"selection {selection!r}: expected a non-negative intensity w")
    fitness = tuple(tuple(1 - w + w * value for value in row) for row in matrix)
    mutating = any(q != (1 if i == j else 0) for i, row in enumerate(mutation) for j, q in enumerate(row))
    lowest = min(min(row) for row in fitness)
    if mutating and lowest < 0:
        raise EvolutionError(f"selection {selection}: a fitness 1 − w + w·payoff is negative ({lowest}); with "
                             "mutation the replicator–mutator equation needs non-negative fitness: lower the "
                             "intensity of selection w (selection= / --selection W) or shift the payoffs up")
    return fitness


def _plain(value):
    return float(value) if isinstance(value, Fraction) else value


def _scale(matrix) -> float:
    values = [float(v) for row in matrix for v in row]
    return max(max(values) - min(values), 1e-300)


def _check_horizon(time, matrix, points, max_steps, max_time) -> float:
    try:
        horizon = float(time)
    except (TypeError, ValueError):
        raise EvolutionError(f"time {time!r}: expected a positive number") from None
    if not math.isfinite(horizon) or horizon <= 0:
        raise EvolutionError(f"time {time!r}: expected a positive number")
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise EvolutionError(f"points {points!r}: expected an integer of at least 2")
    most = MAX_STEPS if max_steps is None else max_steps
    if points > most:
        raise SolverLimitError(f"points {points:,}: more than the limit of {most:,} (raise it with max_steps= / "
                               "--max-steps N)")
    longest = (MAX_TIME if max_time is None else max_time) / _scale(matrix)
    if horizon > longest:
        raise SolverLimitError(f"time {horizon:g}: more than the limit of {longest:.4g} for this game (the limit "
                               "on time × payoff range; raise it with max_time= / --max-time T)")
    return horizon


def _initial_shares(initial, labels) -> np.ndarray:
    if initial is None:
        return np.full(len(labels), 1.0 / len(labels))
    if not hasattr(initial, "items"):
        raise EvolutionError("initial: expected a mapping {strategy: share}")
    shares = np.zeros(len(labels))
    for label, value in initial.items():
        if label not in labels:
            raise EvolutionError(f"initial: unknown strategy {label!r} (strategies: {', '.join(labels)})")
        number = float(coerce_number(value, where=f"initial share of {label}"))
        if number < 0:
            raise EvolutionError(f"initial share of {label}: expected a non-negative number, got {value!r}")
        shares[labels.index(label)] = number
    if shares.sum() <= 0:
        raise EvolutionError("initial: the shares sum to zero")
    return shares / shares.sum()


def replicator_mutator_rest_points(game, mutation=0.01, *, selection=1, tolerance: float = 1e-9, seed: int = 0,
                                   starts: int = 60) -> RestPoints:
    """The rest points of the replicator–mutator equation in the simplex and their stability.

    Two strategies: with ``x`` the share of the first, ``dx/dt`` is a cubic polynomial in ``x``; its roots in
    ``[0, 1]`` are every rest point (found by sympy, exact when rational), and the eigenvalue of each is the
    derivative of the polynomial there. More strategies: Newton's method (``scipy.optimize.root``) from the
    vertices, edge midpoints, the barycentre and ``starts`` seeded random points; the eigenvalues are those of
    the Jacobian restricted to the simplex. A rest point is stable when every eigenvalue has a real part
    below ``−tolerance × payoff range``, unstable when one is above ``+tolerance × payoff range``.

    Parameters
    ----------
    game : Game
        A numeric symmetric two-player game.
    mutation : number or matrix
        A rate ``μ`` of uniform mutation or a row-stochastic matrix ``Q``.
    selection : number
        The intensity of selection ``w``: fitness ``1 − w + w (A x)_j`` (default 1).
    tolerance : float
        Relative to the payoff range: shares within it are one point, real parts within it leave stability
        undecided.
    seed : int
        Seed of the random start points (three strategies or more).
    starts : int
        Random start points (at most :data:`MAX_START_POINTS` in all).

    Examples
    --------
    >>> import negotiation as ng
    >>> from fractions import Fraction
    >>> game = ng.Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]], strategies=(("A", "B"), ("A", "B")))
    >>> result = replicator_mutator_rest_points(game, Fraction(9, 100))
    >>> [(point.shares[0], point.kind) for point in result]
    [(Fraction(1, 10), 'stable'), (Fraction(1, 2), 'unstable'), (Fraction(9, 10), 'stable')]
    """
    matrix, labels = symmetric_payoffs(game)
    q = mutation_matrix(mutation, len(labels))
    matrix = selected_payoffs(matrix, q, selection)
    if not (isinstance(tolerance, (int, float)) and 0 < tolerance < 1):
        raise EvolutionError(f"tolerance {tolerance!r}: expected a number between 0 and 1")
    scale = _scale(matrix)
    shown = mutation if not isinstance(mutation, (list, tuple, np.ndarray)) else "matrix"
    common = {"strategies": labels, "mutation": q, "tolerance": tolerance, "payoffs": matrix,
              "parameters": {"mutation": shown, "selection": selection, **(getattr(game, "values", {}) or {})},
              "title": getattr(game, "title", "") or "Replicator–mutator dynamics"}
    if len(labels) == 2:
        points, exact, messages = _two_strategy_rest_points(matrix, q, tolerance * scale)
        return RestPoints(points=points, method="polynomial_roots", exact=exact, complete=True,
                          messages=messages, **common)
    if isinstance(starts, bool) or not isinstance(starts, int) or starts < 0:
        raise EvolutionError(f"starts {starts!r}: expected a non-negative integer")
    points = _searched_rest_points(matrix, q, tolerance, scale, seed, starts)
    messages = ((f"multi-start Newton search (scipy.optimize.root, hybr) from {len(labels)} vertices, edge "
                 f"midpoints, the barycentre and {starts} random points (seed {seed}); may miss rest points"),)
    return RestPoints(points=points, method="newton_multistart", exact=False, complete=False, messages=messages,
                      **common)


def _two_strategy_rest_points(matrix, q, tolerance) -> tuple:
    import sympy

    exact = all(isinstance(v, Fraction) for row in (*matrix, *q) for v in row)
    convert = (lambda v: sympy.Rational(v.numerator, v.denominator)) if exact else (lambda v: sympy.Float(float(v), 30))
    (a, b), (c, d) = ((convert(v) for v in row) for row in matrix)
    (q11, _), (q21, _) = ((convert(v) for v in row) for row in q)  # the share of A's offspring playing A
    x = sympy.Symbol("x")
    f1, f2 = a * x + b * (1 - x), c * x + d * (1 - x)
    phi = x * f1 + (1 - x) * f2
    polynomial = sympy.Poly(sympy.expand(x * f1 * q11 + (1 - x) * f2 * q21 - phi * x), x)
    if polynomial.is_zero:
        return (), exact, ("every share is a rest point (the field is zero)",)
    derivative = polynomial.diff(x)
    roots = (sympy.real_roots(polynomial) if exact
             else [sympy.Float(r, 30) for r in np.roots([float(c_) for c_ in polynomial.all_coeffs()])
                   if abs(complex(r).imag) <= 1e-9])
    points, seen = [], []
    for root in roots:
        value = float(root.evalf(30)) if exact else float(root)
        if value < -tolerance or value > 1 + tolerance or any(abs(value - s) <= tolerance for s in seen):
            continue
        seen.append(value)
        slope = float(derivative.eval(root).evalf(30)) if exact else float(derivative.eval(root))
        stable = True if slope < -tolerance else False if slope > tolerance else None
        rational = exact and root.is_Rational
        share = Fraction(int(root.p), int(root.q)) if rational else min(max(value, 0.0), 1.0)
        points.append(RestPoint((share, 1 - share), (complex(slope),), stable, exact=bool(rational)))
    points.sort(key=lambda point: float(point.shares[0]))
    all_exact = exact and all(point.exact for point in points)
    messages = ("roots in [0, 1] of the cubic dx/dt (sympy real_roots" + (", exact" if exact else " on floats")
                + "); eigenvalue: its derivative",)
    return tuple(points), all_exact, messages


def _searched_rest_points(matrix, q, tolerance, scale, seed, starts) -> tuple:
    from scipy.optimize import root

    k = len(matrix)
    field, jacobian = field_and_jacobian(matrix, q)
    candidates = [np.eye(k)[i] for i in range(k)]
    candidates += [(np.eye(k)[i] + np.eye(k)[j]) / 2 for i in range(k) for j in range(i + 1, k)]
    candidates.append(np.full(k, 1.0 / k))
    if len(candidates) > MAX_START_POINTS:
        raise SolverLimitError(f"{k} strategies: {len(candidates)} vertices, edge midpoints and the barycentre to "
                               f"start the rest-point search from, more than the limit of {MAX_START_POINTS} "
                               "(at most 19 strategies)")
    random_count = min(starts, max(0, MAX_START_POINTS - len(candidates)))
    candidates += list(np.random.default_rng(seed).dirichlet(np.ones(k), size=random_count))

    def reduced(y):
        return field(np.append(y, 1.0 - y.sum()))[:k - 1]

    found = []
    for start in candidates:
        solution = root(reduced, start[:k - 1], method="hybr", options={"xtol": 1e-13})
        x = np.append(solution.x, 1.0 - solution.x.sum())
        if not np.all(np.isfinite(x)) or x.min() < -tolerance or np.max(np.abs(field(x))) > tolerance * scale:
            continue
        x = np.clip(x, 0.0, None)
        x /= x.sum()
        if any(np.max(np.abs(x - other)) <= math.sqrt(tolerance) for other in found):
            continue
        found.append(x)
    points = []
    for x in sorted(found, key=lambda v: tuple(-v)):
        eigenvalues = _reduced_eigenvalues(jacobian, x)
        largest = max(e.real for e in eigenvalues)
        stable = True if largest < -tolerance * scale else False if largest > tolerance * scale else None
        points.append(RestPoint(tuple(float(v) for v in x), eigenvalues, stable))
    return tuple(points)
