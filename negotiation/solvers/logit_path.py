"""The principal branch of logit QRE as a curve, and the predictor–corrector that follows it.

The branch is the zero set of ``H(w, λ)`` in the logarithms ``w_ij = log π_ij`` of the
probabilities (Turocy 2005, "A dynamic homotopy interpretation of the logistic quantal response
equilibrium correspondence", Games and Economic Behavior 51),

    Σ_j exp(w_ij) - 1 = 0                                   (each player i)
    w_ij - w_i1 - λ (u_ij(π) - u_i1(π)) = 0                (each i, j ≠ first strategy)

a smooth curve in ``(w, λ)`` space (:class:`LogitSystem`). :func:`trace` follows it from the uniform
profile at ``λ = 0`` by predictor–corrector continuation in arc length (Allgower & Georg 1990,
Numerical Continuation Methods, ch. 2 and 6): an Euler step along the unit tangent (the null
vector of the Jacobian, oriented by continuity), then Newton corrections with the Moore–Penrose
inverse. The step length adapts to the size of the first correction, the contraction of the
Newton iteration and the angle between successive tangents; a step is refused when its chord
leans off the arc or when it flips the orientation ``sign det [J; tᵀ]`` — both mean the corrector
landed on another piece of the QRE correspondence — except next to a bifurcation point of a
degenerate game, which the branch passes straight through. Because the curve is followed in arc
length, not in ``λ``, it passes turning points where ``λ`` decreases for a while. Log
probabilities keep strategies that vanish in the limit (``π ≈ exp(-λ·loss)``) representable up
to very large ``λ``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.solvers.verify import payoff_exponent, scaled_floats

__all__ = ["QuantalResponseError", "LogitSystem", "trace", "turning_points", "newton_at_precision"]

#: Largest first Newton correction (in log-probability units) accepted without shortening the step.
_NOMINAL_DISTANCE = 0.1
#: Largest accepted ratio of successive Newton corrections.
_NOMINAL_CONTRACTION = 0.3
#: Largest accepted angle (radians) between successive tangents.
_NOMINAL_ANGLE = 0.15
#: Largest factor by which the step length grows after an easy step.
_MAX_GROWTH = 1.5
#: On one arc the chord of a step makes angles with the tangents at its ends that add up to the turn
#: between those tangents (half each on a circle); a step whose chord leans further off its tangents
#: landed on another piece of the QRE correspondence (branch jumping). Accepted: this many times the turn,
_CHORD_CONSISTENCY = 1.5
#: plus this slack (radians) for nearly straight stretches.
_CHORD_SLACK = 1e-3
#: Shortest step (relative to the size of the point) before the branch is given up.
_MIN_STEP = 1e-10
#: A change of orientation next to a point where the augmented Jacobian ``[J; tᵀ]`` is this close to
#: singular (smallest over largest singular value) is a bifurcation point, passed straight through.
_BIFURCATION_CONDITION = 1e-5


#: Exact games whose payoff unit lies within ``2**±this`` are traced unscaled (their payoffs fit in floats).
_EXACT_EXPONENT = 1000


class QuantalResponseError(NegotiationError):
    """Bad input to the quantal response solvers (precision, game, options)."""


# ---------------------------------------------------------------------- the equations
class LogitSystem:
    """``H(x)`` and its Jacobian for ``x = (w, λ)``; float payoff tensors of any number of players.

    A float game's payoffs are divided by its payoff unit ``2**exponent``
    (:func:`~negotiation.solvers.verify.payoff_exponent`), so that no difference overflows and the
    step control sees the same curve at every scale; the precision inside the system is then
    ``λ · 2**exponent`` (only ``λ · payoffs`` enters the equations). :meth:`internal` and
    :meth:`external` convert between the game's ``λ`` and the system's. Exact games keep their
    payoffs (exponent 0) unless floats cannot hold them (a unit beyond ``2**±1000``).
    """

    def __init__(self, game):
        if game.is_symbolic:
            raise QuantalResponseError("substitute parameter values before tracing logit QRE "
                                       "(game.substitute(...))")
        if any(n < 1 for n in game.shape):
            raise QuantalResponseError("every player needs at least one strategy")
        self.sizes = tuple(game.shape)
        self.n_players = len(self.sizes)
        self.offsets = tuple(int(v) for v in np.cumsum((0,) + self.sizes[:-1]))
        self.dimension = sum(self.sizes)
        self.exponent = payoff_exponent(game.payoffs)
        if game.arithmetic != "float" and abs(self.exponent) <= _EXACT_EXPONENT:
            self.exponent = 0  # exact payoffs that floats represent are traced as they are
        self.tensors = [scaled_floats(game.payoff_array(i), self.exponent)[0] for i in range(self.n_players)]
        everything = np.concatenate([t.ravel() for t in self.tensors])
        self.scale = max(float(everything.max() - everything.min()), 1e-300)
        letters = "abcdefghijklmnopqrstuvwxyz"
        if self.n_players > len(letters) - 1:
            raise QuantalResponseError(f"{self.n_players} players: at most 25 are supported")
        axes = letters[:self.n_players]
        # u_i: contract every axis but i; D_ik: contract every axis but i and k.
        self._own = []
        self._cross = {}
        for i in range(self.n_players):
            others = [k for k in range(self.n_players) if k != i]
            self._own.append((f"{axes}," + ",".join(axes[k] for k in others) + f"->{axes[i]}", others))
            for k in others:
                rest = [m for m in others if m != k]
                inputs = f"{axes}" + "".join("," + axes[m] for m in rest)
                self._cross[i, k] = (f"{inputs}->{axes[i]}{axes[k]}", rest)

    def internal(self, precision: float) -> float:
        """The system's precision for the game's ``λ`` (an error if it overflows)."""
        try:
            value = math.ldexp(precision, self.exponent)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            raise QuantalResponseError(f"logit_qre: precision {precision:g} times the payoff unit 2^{self.exponent} "
                                       "is not a finite number")
        return value

    def external(self, precision: float) -> float:
        """The game's ``λ`` for the system's precision (an error if floats cannot hold it)."""
        try:
            value = math.ldexp(float(precision), -self.exponent)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value) or (value == 0 and precision != 0):
            raise QuantalResponseError(f"logit_qre: with payoffs of this scale (unit 2^{self.exponent}) the "
                                       f"precision {precision:g} / 2^{self.exponent} is outside the float range")
        return value

    def regret(self, x) -> float:
        """Largest regret of the profile at ``x`` (in the system's payoff units: the game's divided by its unit)."""
        probabilities = [np.exp(v) for v in self.split(x[:-1])]
        return max(float(u.max() - u @ p) for u, p in zip(self.payoffs(probabilities), probabilities))

    def split(self, vector):
        return [vector[o:o + n] for o, n in zip(self.offsets, self.sizes)]

    def payoffs(self, probabilities):
        """Expected payoff of each pure strategy of each player against the others' mixes."""
        out = []
        for i, (subscripts, others) in enumerate(self._own):
            if not others:
                out.append(self.tensors[i].copy())
            else:
                out.append(np.einsum(subscripts, self.tensors[i], *(probabilities[k] for k in others)))
        return out

    def residual(self, x):
        w, precision = x[:-1], x[-1]
        logs = self.split(w)
        probabilities = [np.exp(v) for v in logs]
        payoffs = self.payoffs(probabilities)
        rows = []
        for v, p, u in zip(logs, probabilities, payoffs):
            rows.append([p.sum() - 1.0])
            rows.append(v[1:] - v[0] - precision * (u[1:] - u[0]))
        return np.concatenate(rows)

    def jacobian(self, x):
        """The ``M × (M + 1)`` Jacobian (last column: derivative in λ)."""
        w, precision = x[:-1], x[-1]
        logs = self.split(w)
        probabilities = [np.exp(v) for v in logs]
        payoffs = self.payoffs(probabilities)
        m = self.dimension
        jacobian = np.zeros((m, m + 1))
        for i, (o, n) in enumerate(zip(self.offsets, self.sizes)):
            jacobian[o, o:o + n] = probabilities[i]
            for j in range(1, n):
                row = o + j
                jacobian[row, o + j] = 1.0
                jacobian[row, o] = -1.0
                jacobian[row, m] = -(payoffs[i][j] - payoffs[i][0])
            if n == 1:
                continue
            for k in range(self.n_players):
                if k == i:
                    continue
                subscripts, rest = self._cross[i, k]
                cross = np.einsum(subscripts, self.tensors[i], *(probabilities[r] for r in rest))
                difference = cross[1:] - cross[0]  # (n_i - 1) × n_k
                ok, nk = self.offsets[k], self.sizes[k]
                jacobian[o + 1:o + n, ok:ok + nk] = -precision * difference * probabilities[k]
        return jacobian

    def start(self):
        w = np.concatenate([np.full(n, -math.log(n)) for n in self.sizes])
        return np.concatenate([w, [0.0]])


def _tangent(jacobian, previous=None):
    """Unit null vector of the Jacobian, oriented along ``previous`` (or towards larger λ)."""
    q, _ = np.linalg.qr(jacobian.T, mode="complete")
    t = q[:, -1]
    reference = previous if previous is not None else np.eye(len(t))[-1]
    if float(t @ reference) < 0:
        t = -t
    return t


def _orientation_sign(jacobian, tangent) -> float:
    """The sign of ``det [J; tᵀ]``: constant along one smooth piece of the curve traversed one way.

    It flips where a step crosses a bifurcation point, or where the corrector lands on a
    nearby piece that runs the other way (Allgower & Georg 1990, sections 2.1 and 8.1): a step
    that flips it jumped, and is refused.
    """
    return float(np.sign(np.linalg.det(np.vstack([jacobian, tangent]))))


def _conditioning(jacobian, tangent) -> float:
    """Smallest over largest singular value of ``[J; tᵀ]``: zero exactly at a bifurcation point."""
    singular = np.linalg.svd(np.vstack([jacobian, tangent]), compute_uv=False)
    return float(singular[-1] / singular[0]) if singular[0] > 0 else 0.0


def _angle(u, v) -> float:
    """The angle (radians) between two vectors."""
    cosine = float(u @ v) / (float(np.linalg.norm(u)) * float(np.linalg.norm(v)))
    return math.acos(min(1.0, max(-1.0, cosine)))


def _stays_on_arc(x, y, start_tangent, end_tangent, turn, tolerance) -> bool:
    """Whether the step from ``x`` to ``y`` followed one arc of the curve (no branch jumping).

    Near a sharp bend a long predictor step can overshoot, and Newton's method then converges
    to a nearby piece of another component of the QRE correspondence, with both tangents
    still within the angle test. On one smooth arc the chord ``y - x`` lies between the
    tangents at its ends: its angles to them add up to the turn between them (to second order
    in the step). A chord that leans further off means the corrector moved much further than
    the curvature explains: the step is refused and shortened.
    """
    chord = y - x
    length = float(np.linalg.norm(chord))
    if length == 0.0:
        return False
    # rounding in the corrected points tilts the chord of a very short step
    noise = 10 * tolerance * (1.0 + float(np.max(np.abs(y)))) / length
    lean = _angle(chord, start_tangent) + _angle(chord, end_tangent)
    return lean <= _CHORD_CONSISTENCY * turn + _CHORD_SLACK + noise


def _correct(system, y, tolerance, max_iterations=12, check=True):
    """Newton corrections ``y <- y - J⁺ H(y)`` onto the curve.

    Returns ``(point or None, first correction, largest contraction)``; ``None``
    when the iteration fails the step-control tests (``check``) or does not converge.
    """
    first = None
    previous = None
    contraction = 0.0
    for _ in range(max_iterations):
        h = system.residual(y)
        if not np.all(np.isfinite(h)):
            return None, first, contraction
        delta = np.linalg.lstsq(system.jacobian(y), -h, rcond=None)[0]
        size = float(np.max(np.abs(delta)))
        if first is None:
            first = size
            if check and size > 2 * _NOMINAL_DISTANCE:
                return None, first, contraction
        elif previous > 0:
            ratio = size / previous
            contraction = max(contraction, ratio)
            if check and ratio > 2 * _NOMINAL_CONTRACTION and size > tolerance:
                return None, first, contraction
        y = y + delta
        previous = size
        if size <= tolerance * (1.0 + float(np.max(np.abs(y)))):
            return y, first, contraction
    return None, first, contraction


def newton_at_precision(system, w, precision, tolerance, max_iterations=50):
    """Newton's method in ``w`` at a fixed λ (square system); ``None`` if it fails."""
    m = system.dimension
    for _ in range(max_iterations):
        x = np.concatenate([w, [precision]])
        h = system.residual(x)
        jacobian = system.jacobian(x)[:, :m]
        try:
            delta = np.linalg.solve(jacobian, -h)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(delta)):
            return None
        # damp very large steps: they leave the region where the linearisation holds
        size = float(np.max(np.abs(delta)))
        if size > 1.0:
            delta = delta / size
        w = w + delta
        if size <= tolerance * (1.0 + float(np.max(np.abs(w)))):
            return w
    return None


# ---------------------------------------------------------------------- following the curve
def trace(system: "LogitSystem", max_precision: float, step: float, tolerance: float,
          max_points: int) -> tuple[list, list]:
    """The points ``(w, λ)`` of the branch from the uniform profile to ``max_precision``, and messages.

    ``λ`` and ``max_precision`` are the system's (:meth:`LogitSystem.internal`); messages quote the game's.

    Stops early (with a message) after ``max_points`` points or where the branch cannot be
    continued; ends with a point at exactly ``max_precision`` otherwise. Once the profile has
    settled (zero regret to rounding) the last point is extrapolated along the tangent.
    """
    x = system.start()
    points = [x]
    messages = []
    if max_precision == 0:
        return points, messages
    t = _tangent(system.jacobian(x))
    orientation = _orientation_sign(system.jacobian(x), t)
    h = float(step)
    while x[-1] < max_precision:
        if len(points) >= max_points:
            messages.append(f"stopped after {max_points} points at λ = {system.external(x[-1]):.6g} (max_points)")
            break
        accepted = _predict_correct(system, x, t, h, orientation, tolerance)
        if accepted is None:
            messages.append(
                f"stopped at λ = {system.external(x[-1]):.6g}: the branch could not be continued (step length below "
                f"{_MIN_STEP * (1.0 + float(np.max(np.abs(x)))):.3g}); the game is probably degenerate "
                "there (a bifurcation)")
            break
        y, t_new, h, deceleration = accepted.point, accepted.tangent, accepted.length, accepted.deceleration
        if accepted.bifurcation:
            orientation = -orientation
            messages.append(f"the branch passes a bifurcation point near λ = {system.external(y[-1]):.6g} (the game is "
                            "degenerate there); it was continued straight through")
        if y[-1] > max_precision:
            # land exactly on max_precision: interpolate in the last step, then correct at fixed λ
            share = (max_precision - x[-1]) / (y[-1] - x[-1])
            w = (1 - share) * x[:-1] + share * y[:-1]
            w_end = newton_at_precision(system, w, max_precision, tolerance)
            if w_end is not None:
                points.append(np.concatenate([w_end, [max_precision]]))
            else:
                points.append(y)
            x = points[-1]
            break
        x, t = y, t_new
        points.append(x)
        h = h / deceleration
        if x[-1] >= 1.0 and t[-1] > 0 and system.regret(x) <= 1e-13 * system.scale:
            # the profile has settled (zero regret to rounding): jump along the tangent to
            # max_precision and correct there at fixed λ
            jump = x + t * ((max_precision - x[-1]) / t[-1])
            w_end = newton_at_precision(system, jump[:-1], max_precision, tolerance)
            if w_end is not None and system.regret(np.concatenate([w_end, [max_precision]])) <= \
                    1e-12 * system.scale:
                messages.append(f"the profile had settled at λ = {system.external(x[-1]):.6g} (regret below 1e-13 of the "
                                "payoff range); the last point was extrapolated to max_precision and "
                                "corrected there")
                points.append(np.concatenate([w_end, [max_precision]]))
                break
    turns = turning_points(np.array([system.external(p[-1]) for p in points]))
    if turns:
        messages.append("the branch turns back in λ at " + ", ".join(f"{v:.6g}" for v in turns))
    return points, messages


@dataclass(frozen=True)
class _Step:
    """An accepted predictor-corrector step: the new point and tangent, the step length used, the
    factor by which to shorten the next step (below 1: lengthen), and whether it crossed a bifurcation."""

    point: np.ndarray
    tangent: np.ndarray
    length: float
    deceleration: float
    bifurcation: bool


def _predict_correct(system, x, t, h, orientation, tolerance) -> _Step | None:
    """One step along the curve from ``x`` (tangent ``t``), of length ``h`` or shorter; ``None`` if none.

    A step is refused, and halved, when Newton's corrector moves far or converges slowly, when the
    tangent turns by more than ``2 * _NOMINAL_ANGLE``, when its chord leans off the arc
    (:func:`_stays_on_arc`) or when it flips the orientation (:func:`_orientation_sign`): the last
    two mean the corrector landed on another piece of the QRE correspondence. A flip next to a
    point where the augmented Jacobian is singular (:data:`_BIFURCATION_CONDITION`) is a
    bifurcation point of a degenerate game itself; the step passes it straight through (the
    smooth continuation of the branch).
    """
    scale = 1.0 + float(np.max(np.abs(x)))
    singular_here = _conditioning(system.jacobian(x), t) <= _BIFURCATION_CONDITION
    while h >= _MIN_STEP * scale:
        y, first, contraction = _correct(system, x + h * t, tolerance)
        if y is not None:
            jacobian = system.jacobian(y)
            t_new = _tangent(jacobian, t)
            angle = _angle(t, t_new)
            if angle <= 2 * _NOMINAL_ANGLE and _stays_on_arc(x, y, t, t_new, angle, tolerance):
                flipped = _orientation_sign(jacobian, t_new) != orientation
                if not flipped or singular_here or _conditioning(jacobian, t_new) <= _BIFURCATION_CONDITION:
                    deceleration = max(math.sqrt((first or 0.0) / _NOMINAL_DISTANCE),
                                       math.sqrt(contraction / _NOMINAL_CONTRACTION),
                                       angle / _NOMINAL_ANGLE, 1.0 / _MAX_GROWTH)
                    return _Step(y, t_new, h, min(deceleration, 2.0), flipped)
        h *= 0.5
    return None


def turning_points(lam) -> tuple:
    """λ values at which a traced branch turns back (λ stops increasing or stops decreasing)."""
    change = np.diff(lam)
    turns = []
    for k in range(1, len(change)):
        if change[k - 1] > 0 > change[k] or change[k - 1] < 0 < change[k]:
            turns.append(float(lam[k]))
    return tuple(turns)


