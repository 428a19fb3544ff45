"""Logit quantal response equilibria (QRE) and the principal branch.

A logit QRE at precision ``λ >= 0`` (McKelvey & Palfrey 1995) is a mixed
profile in which every player ``i`` plays strategy ``j`` with probability

    π_ij = exp(λ u_ij(π)) / Σ_k exp(λ u_ik(π)),

where ``u_ij(π)`` is the expected payoff of ``j`` against the others' mixes.
At ``λ = 0`` the unique QRE is the uniform profile; as ``λ`` grows, the QRE
that is connected to it — the *principal branch* — converges, for generic
games, to one Nash equilibrium (the limiting logit equilibrium).

Method (Turocy 2005, "A dynamic homotopy interpretation of the logistic
quantal response equilibrium correspondence", Games and Economic Behavior
51): the branch is the zero set of ``H(w, λ)`` in the logarithms
``w_ij = log π_ij`` of the probabilities,

    Σ_j exp(w_ij) - 1 = 0                                   (each player i)
    w_ij - w_i1 - λ (u_ij(π) - u_i1(π)) = 0                (each i, j ≠ first strategy)

a smooth curve in ``(w, λ)`` space. It is traced from the uniform profile
at ``λ = 0`` by predictor–corrector continuation in arc length (Allgower &
Georg 1990, Numerical Continuation Methods, ch. 2 and 6): an Euler step
along the unit tangent (the null vector of the Jacobian, oriented by
continuity), then Newton corrections with the Moore–Penrose inverse; the
step length adapts to the size of the first correction, the contraction of
the Newton iteration and the angle between successive tangents. Because the
curve is followed in arc length, not in ``λ``, it passes turning points where
``λ`` decreases for a while. Log probabilities keep strategies that vanish in
the limit (``π ≈ exp(-λ·loss)``) representable up to very large ``λ``.

Everything here is floating point: results say ``exact=False`` and
``complete=False`` (a QRE is not a Nash equilibrium, and the branch is one
of possibly several components of the QRE correspondence).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negotiation.results.base import Tabular
from negotiation.core.numeric import format_number
from negotiation.models.profile import MixedProfile, expected_payoffs, regrets
from negotiation.core.errors import NegotiationError
from negotiation.solvers.methods import game_method

__all__ = ["LogitBranch", "LogitLimit", "QuantalResponseError", "logit_branch", "logit_qre"]

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
#: A branch point matches an equilibrium from ``ng.solve`` when within this (largest probability difference).
_MATCH_DISTANCE = 1e-2


class QuantalResponseError(NegotiationError):
    """Bad input to the quantal response solvers (precision, game, options)."""


# ---------------------------------------------------------------------- the equations
class _LogitSystem:
    """``H(x)`` and its Jacobian for ``x = (w, λ)``; float payoff tensors of any number of players."""

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
        self.tensors = [np.asarray(game.payoff_array(i), dtype=float) for i in range(self.n_players)]
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

    def regret(self, x) -> float:
        """Largest regret of the profile at ``x`` (payoff units)."""
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


def _orientation(jacobian, tangent) -> float:
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


def _stays_on_arc(x, y, tangent, next_tangent, turn, tolerance) -> bool:
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
    lean = _angle(chord, tangent) + _angle(chord, next_tangent)
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


def _newton_fixed(system, w, precision, tolerance, max_iterations=50):
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


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class LogitLimit:
    """Where the principal branch ends up as λ grows.

    Attributes
    ----------
    profile : MixedProfile
        The matched Nash equilibrium (exact when ``equilibrium`` is given), else
        the last profile of the branch (floats).
    distance : float
        Largest difference between a probability of the last branch point and of ``profile``.
    precision : float
        λ of the last branch point.
    equilibrium : Equilibrium or None
        The equilibrium of ``ng.solve(game)`` the branch converges to, if one is within
        ``1e-2`` (largest probability difference) of the last branch point; else, for exact
        games, the last point rounded to fractions with denominators up to 1000 if that is
        within ``1e-4`` and has exactly zero regret (a limit inside an equilibrium component,
        or a mixed limit with more than two players).
    method : str
        Where the equilibrium came from: the ``ng.solve`` method, or the rounding.
    """

    profile: MixedProfile
    distance: float
    precision: float
    equilibrium: Any = None
    method: str = ""

    @property
    def matched(self) -> bool:
        return self.equilibrium is not None

    def describe(self) -> str:
        how = (f"Nash equilibrium from {self.method}" if self.matched
               else "last point of the branch (no listed equilibrium within 1e-2)")
        return (f"{self.profile.describe()}  [{how}; distance {self.distance:.2e} at "
                f"λ = {self.precision:.6g}]")


@dataclass(frozen=True, eq=False)
class LogitBranch(Tabular):
    """The principal branch of logit QRE, from λ = 0 (uniform play) to ``max_precision``.

    Attributes
    ----------
    players, strategies : tuple
        Labels of the game.
    precisions : numpy.ndarray
        λ at each traced point, shape ``(K,)``; not monotone where the branch turns back.
    probabilities : numpy.ndarray
        Shape ``(K, M)``: the probabilities of every strategy (players in order, each
        player's strategies in order) at each point.
    game : Game
        The numeric game.
    tolerance : float
        Newton tolerance used (relative, on the log probabilities).
    messages : tuple of str
        How the branch was obtained and anything unusual on the way.
    """

    players: tuple
    strategies: tuple
    precisions: np.ndarray = field(repr=False)
    probabilities: np.ndarray = field(repr=False)
    game: Any = field(repr=False)
    tolerance: float = 1e-10
    messages: tuple = ()

    method = "logit_branch"
    exact = False

    def __len__(self) -> int:
        return len(self.precisions)

    @property
    def columns(self) -> tuple:
        """Column labels ``"<player>: <strategy>"`` of :attr:`probabilities`."""
        return tuple(f"{p}: {s}" for p, labels in zip(self.players, self.strategies) for s in labels)

    @property
    def max_precision(self) -> float:
        return float(self.precisions[-1])

    @property
    def turning_points(self) -> tuple:
        """λ values at which the branch turns back (λ stops increasing or stops decreasing)."""
        return _turning_points(self.precisions)

    def probability(self, player, strategy) -> np.ndarray:
        """Probability of one strategy (labels) along the branch."""
        label = f"{player}: {strategy}"
        try:
            return self.probabilities[:, self.columns.index(label)]
        except ValueError:
            raise QuantalResponseError(f"unknown strategy {strategy!r} of player {player!r} "
                                       f"(columns: {', '.join(self.columns)})") from None

    def profile(self, index: int) -> MixedProfile:
        """The traced point number ``index`` as a labelled profile (floats)."""
        return _profile(self.players, self.strategies, self.probabilities[index])

    def at(self, precision: float) -> MixedProfile:
        """The QRE on the branch at ``precision`` (the first one reached from λ = 0).

        Interpolates between the two traced points around ``precision`` and corrects
        with Newton's method at that λ. Where the branch turns back there are several;
        :meth:`all_at` returns all of them.
        """
        found = self.all_at(precision)
        return found[0]

    def all_at(self, precision: float) -> tuple:
        """Every point of the branch with the given λ, in the order the branch reaches them."""
        precision = _check_precision(precision, "precision")
        lam = self.precisions
        if precision > lam.max() * (1 + 1e-12):
            raise QuantalResponseError(
                f"precision {precision:g} is beyond the traced branch (up to {lam.max():g}); "
                "trace further with logit_branch(game, max_precision=...)")
        system = _LogitSystem(self.game)
        logs = np.log(np.maximum(self.probabilities, 1e-300))
        if self._logs is not None:
            logs = self._logs
        out = []
        for k in range(len(lam) - 1):
            a, b = lam[k], lam[k + 1]
            if (a - precision) * (b - precision) > 0 or (k > 0 and a == precision):
                continue
            if b == a:
                share = 0.0
            else:
                share = (precision - a) / (b - a)
            w = (1 - share) * logs[k] + share * logs[k + 1]
            corrected = _newton_fixed(system, w, precision, self.tolerance)
            if corrected is None:  # at a turning point: fall back to the nearer traced point
                corrected = logs[k] if abs(a - precision) <= abs(b - precision) else logs[k + 1]
            out.append(_profile(self.players, self.strategies, np.exp(corrected)))
        if not out:
            raise QuantalResponseError(f"precision {precision:g}: not on the traced branch")
        return tuple(out)

    @property
    def _logs(self):
        return self.__dict__.get("_log_probabilities")

    def limit(self) -> LogitLimit:
        """The Nash equilibrium the branch converges to, matched to ``ng.solve(game)``.

        Two-player games: candidates from exact vertex enumeration (every extreme
        equilibrium); more players: every pure equilibrium. The nearest candidate within
        ``1e-2`` is returned with its distance; otherwise (exact games) the last point
        rounded to small denominators if that is an exact equilibrium; otherwise the last
        branch point itself, unmatched.
        """
        last = self.probabilities[-1]
        candidates, method = _candidate_equilibria(self.game)
        best, best_distance = None, math.inf
        for equilibrium in candidates:
            vector = np.array([float(p) for probs in equilibrium.profile.probabilities for p in probs])
            distance = float(np.max(np.abs(vector - last)))
            if distance < best_distance:
                best, best_distance = equilibrium, distance
        if best is not None and best_distance <= _MATCH_DISTANCE:
            return LogitLimit(best.profile, best_distance, self.max_precision, best, method)
        rounded = _rounded_equilibrium(self.game, self.strategies, last)
        if rounded is not None:
            vector = np.array([float(p) for probs in rounded.profile.probabilities for p in probs])
            return LogitLimit(rounded.profile, float(np.max(np.abs(vector - last))), self.max_precision,
                              rounded, "rounding to small denominators, verified exactly")
        return LogitLimit(self.profile(-1), 0.0, self.max_precision, None, method)

    def to_records(self) -> list[dict]:
        """One dict per traced point: ``precision`` and ``"<player>: <strategy>"`` probabilities."""
        columns = self.columns
        records = []
        for lam, row in zip(self.precisions, self.probabilities):
            record = {"precision": float(lam)}
            record.update({c: float(v) for c, v in zip(columns, row)})
            records.append(record)
        return records

    def table(self, precisions=(0.1, 1, 10, 100)) -> str:
        """A text table of the branch at a few λ (those within the traced range)."""
        chosen = [float(p) for p in precisions if 0 <= p <= self.max_precision]
        header = ["λ", *self.columns]
        rows = []
        for lam in chosen:
            profile = self.at(lam)
            rows.append([f"{lam:g}", *(f"{float(p):.4f}" for probs in profile.probabilities for p in probs)])
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
        lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths))]
        lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in rows]
        return "\n".join(lines)

    def plot(self, ax=None, *, figsize=(7.0, 4.5), title=None):
        """Each strategy's probability against λ (log axis), one labelled line per strategy.

        Returns the matplotlib Figure. Points at λ = 0 are left out (log axis).
        """
        from negotiation.report.maps import _axes, _colours, _FONT_SIZE, _pyplot

        plt = _pyplot()
        fig, ax = _axes(ax, figsize)
        keep = self.precisions > 0
        lam = self.precisions[keep]
        colours = _colours(self.n_strategies_max)
        styles = ["-", "--", ":", "-."]
        with plt.rc_context({"font.size": _FONT_SIZE}):
            column = 0
            for i, (player, labels) in enumerate(zip(self.players, self.strategies)):
                for j, label in enumerate(labels):
                    ax.plot(lam, self.probabilities[keep, column], color=colours[j % len(colours)],
                            linestyle=styles[i % len(styles)], linewidth=1.8, label=f"{player}: {label}")
                    column += 1
            ax.set_xscale("log")
            ax.set_ylim(-0.02, 1.02)
            ax.set_xlabel("precision λ (log scale)", fontsize=_FONT_SIZE)
            ax.set_ylabel("probability", fontsize=_FONT_SIZE)
            ax.set_title(title or f"Logit QRE principal branch{': ' + self.game.title if self.game.title else ''}",
                         fontsize=_FONT_SIZE + 1)
            ax.tick_params(labelsize=_FONT_SIZE - 1)
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=_FONT_SIZE - 1, loc="best")
        return fig

    @property
    def n_strategies_max(self) -> int:
        return max(len(s) for s in self.strategies)

    def __repr__(self) -> str:
        return (f"LogitBranch({len(self)} points, λ from 0 to {self.max_precision:.6g}, "
                f"players={list(self.players)})")


def _turning_points(lam) -> tuple:
    change = np.diff(lam)
    turns = []
    for k in range(1, len(change)):
        if change[k - 1] > 0 > change[k] or change[k - 1] < 0 < change[k]:
            turns.append(float(lam[k]))
    return tuple(turns)


def _profile(players, strategies, vector) -> MixedProfile:
    probabilities, start = [], 0
    for labels in strategies:
        probabilities.append(tuple(float(v) for v in vector[start:start + len(labels)]))
        start += len(labels)
    return MixedProfile(tuple(players), tuple(strategies), tuple(probabilities))


def _check_precision(value, name) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise QuantalResponseError(f"{name} {value!r}: expected a non-negative number") from None
    if not math.isfinite(number) or number < 0:
        raise QuantalResponseError(f"{name} {value!r}: expected a finite non-negative number")
    return number


def _rounded_equilibrium(game, strategies, vector, max_denominator=1000):
    """For exact games: ``vector`` rounded to fractions with small denominators, if that is an
    exact Nash equilibrium within ``1e-4`` of it (limits inside equilibrium components of
    degenerate games, and mixed limits of games with more than two players)."""
    from fractions import Fraction

    from negotiation.results.game import Equilibrium

    if not game.is_exact:
        return None
    probabilities, start = [], 0
    for labels in strategies:
        part = [Fraction(float(v)).limit_denominator(max_denominator) for v in vector[start:start + len(labels)]]
        start += len(labels)
        if sum(part) != 1 or any(p < 0 for p in part):
            return None
        probabilities.append(tuple(part))
    flat = np.array([float(p) for probs in probabilities for p in probs])
    if float(np.max(np.abs(flat - vector))) > 1e-4:
        return None
    profile = MixedProfile(tuple(game.players), tuple(strategies), tuple(probabilities))
    if any(r != 0 for r in regrets(game, profile)):
        return None
    return Equilibrium(profile, tuple(expected_payoffs(game, profile)), Fraction(0))


def _candidate_equilibria(game):
    from negotiation.solvers.methods import solve_game as solve

    method = "vertex_enumeration" if game.n_players == 2 else "enumerate_pure"
    try:
        return tuple(solve(game, method=method)), method
    except Exception:  # noqa: BLE001 - a limit without candidates is still a limit
        return (), method


# ---------------------------------------------------------------------- tracing
def logit_branch(game, *, max_precision: float = 1e6, step: float = 0.03, tolerance: float = 1e-10,
                 max_points: int = 20000) -> LogitBranch:
    """Trace the principal branch of logit QRE from λ = 0 to ``max_precision``.

    Parameters
    ----------
    game : Game
        A numeric game with any number of players (exact payoffs are used as floats).
    max_precision : float
        Stop at this λ (the last point is corrected to exactly this λ).
    step : float
        First arc-length step; later steps adapt (shorter where the branch bends,
        growing by up to 1.5× per step where it is straight).
    tolerance : float
        Newton tolerance, relative to the size of ``(log π, λ)``.
    max_points : int
        Safety limit on the number of traced points.

    Returns
    -------
    LogitBranch

    Raises
    ------
    QuantalResponseError
        Symbolic game or bad options. (If the branch cannot be continued — a bifurcation
        in a degenerate game — the branch traced so far is returned, with a message.)

    Examples
    --------
    Matching pennies: the QRE is uniform at every λ.

    >>> import negotiation as ng
    >>> pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
    ...     players=("Row", "Column"), strategies=(("Heads", "Tails"), ("Heads", "Tails")))
    >>> branch = logit_branch(pennies, max_precision=100)
    >>> [round(p, 6) for p in branch.at(10.0)["Row"].values()]
    [0.5, 0.5]

    The prisoner's dilemma: the branch converges to mutual defection.

    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> limit = logit_branch(pd).limit()
    >>> limit.profile.describe(), limit.distance < 1e-9
    ('Player 1: D; Player 2: D', True)
    """
    max_precision = _check_precision(max_precision, "max_precision")
    if not (isinstance(step, (int, float)) and math.isfinite(step) and step > 0):
        raise QuantalResponseError(f"step {step!r}: expected a positive number")
    if not (isinstance(tolerance, (int, float)) and 0 < tolerance < 1e-2):
        raise QuantalResponseError(f"tolerance {tolerance!r}: expected a number in (0, 1e-2)")
    system = _LogitSystem(game)
    x = system.start()
    points = [x]
    messages = [
        "principal branch of logit QRE traced from the uniform profile at λ = 0 by arc-length "
        "predictor-corrector continuation in log probabilities (Turocy 2005); floating point"
    ]
    if max_precision == 0:
        return _branch(game, points, tolerance, messages)
    t = _tangent(system.jacobian(x))
    orientation = _orientation(system.jacobian(x), t)
    h = float(step)
    while x[-1] < max_precision:
        if len(points) >= max_points:
            messages.append(f"stopped after {max_points} points at λ = {x[-1]:.6g} (max_points)")
            break
        accepted = _predict_correct(system, x, t, h, orientation, tolerance)
        if accepted is None:
            messages.append(
                f"stopped at λ = {x[-1]:.6g}: the branch could not be continued (step length below "
                f"{_MIN_STEP * (1.0 + float(np.max(np.abs(x)))):.3g}); the game is probably degenerate "
                "there (a bifurcation)")
            break
        y, t_new, h, deceleration = accepted.point, accepted.tangent, accepted.length, accepted.deceleration
        if accepted.bifurcation:
            orientation = -orientation
            messages.append(f"the branch passes a bifurcation point near λ = {y[-1]:.6g} (the game is "
                            "degenerate there); it was continued straight through")
        if y[-1] > max_precision:
            # land exactly on max_precision: interpolate in the last step, then correct at fixed λ
            share = (max_precision - x[-1]) / (y[-1] - x[-1])
            w = (1 - share) * x[:-1] + share * y[:-1]
            w_end = _newton_fixed(system, w, max_precision, tolerance)
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
            w_end = _newton_fixed(system, jump[:-1], max_precision, tolerance)
            if w_end is not None and system.regret(np.concatenate([w_end, [max_precision]])) <= \
                    1e-12 * system.scale:
                messages.append(f"the profile had settled at λ = {x[-1]:.6g} (regret below 1e-13 of the "
                                "payoff range); the last point was extrapolated to max_precision and "
                                "corrected there")
                points.append(np.concatenate([w_end, [max_precision]]))
                break
    turns = _turning_points(np.array([p[-1] for p in points]))
    if turns:
        messages.append("the branch turns back in λ at " + ", ".join(f"{v:.6g}" for v in turns))
    return _branch(game, points, tolerance, messages)


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
    (:func:`_stays_on_arc`) or when it flips the orientation (:func:`_orientation`): the last
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
                flipped = _orientation(jacobian, t_new) != orientation
                if not flipped or singular_here or _conditioning(jacobian, t_new) <= _BIFURCATION_CONDITION:
                    deceleration = max(math.sqrt((first or 0.0) / _NOMINAL_DISTANCE),
                                       math.sqrt(contraction / _NOMINAL_CONTRACTION),
                                       angle / _NOMINAL_ANGLE, 1.0 / _MAX_GROWTH)
                    return _Step(y, t_new, h, min(deceleration, 2.0), flipped)
        h *= 0.5
    return None


def _branch(game, points, tolerance, messages) -> LogitBranch:
    array = np.array(points)
    logs = array[:, :-1]
    branch = LogitBranch(tuple(game.players), tuple(game.strategies), array[:, -1].copy(),
                         np.exp(logs), game, tolerance, tuple(messages))
    object.__setattr__(branch, "_log_probabilities", logs)
    return branch


@game_method("logit_qre")
def logit_qre(game, precision: float | None = None, *, max_precision: float | None = None, **options):
    """The logit QRE on the principal branch at ``precision``, as a :class:`SolveResult`.

    Parameters
    ----------
    game : Game
        A numeric game.
    precision : float, optional
        λ. Without it: the limit of the branch as λ grows (the Nash equilibrium it
        converges to, exact when matched to one from ``ng.solve``).
    max_precision : float, optional
        How far to trace when ``precision`` is not given (default 1e6).
    **options
        Passed to :func:`logit_branch` (``step``, ``tolerance``).

    Returns
    -------
    SolveResult
        Method ``"logit_qre"``, ``complete=False``; ``exact=False`` at a finite precision;
        ``details`` hold ``precision``; ``regret`` of the profile is the true
        (non-zero) regret of the QRE.

    Examples
    --------
    >>> import negotiation as ng
    >>> game = ng.Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    >>> result = logit_qre(game, 1.0)
    >>> result.method, result.exact, result.details["precision"]
    ('logit_qre', False, 1.0)
    >>> round(result[0].profile["Player 1"]["1"], 4)
    0.8936
    """
    from negotiation.results.game import Equilibrium, SolveResult

    if precision is None:
        branch = logit_branch(game, max_precision=1e6 if max_precision is None else max_precision, **options)
        limit = branch.limit()
        profile = limit.profile
        exact = limit.matched and profile.is_exact
        messages = branch.messages + (
            "limit of the principal branch: " + limit.describe(),)
        details = {"precision": branch.max_precision, "distance": limit.distance}
    else:
        precision = _check_precision(precision, "precision")
        branch = logit_branch(game, max_precision=precision, **options)
        profile = branch.at(precision)
        exact = False
        messages = branch.messages
        details = {"precision": precision}
    if exact:
        payoffs = expected_payoffs(game, profile)
        regret = max(regrets(game, profile))
    else:
        float_game = game.to_float() if game.is_exact else game
        payoffs = tuple(float(v) for v in expected_payoffs(float_game, profile))
        regret = float(max(regrets(float_game, profile)))
    equilibrium = Equilibrium(profile, tuple(payoffs), regret)
    if not exact:
        messages = messages + (f"a QRE is not a Nash equilibrium: largest regret "
                               f"{format_number(regret) if exact else f'{regret:.3g}'}",)
    return SolveResult(game=game, equilibria=(equilibrium,), method="logit_qre", exact=bool(exact),
                       complete=False, degenerate=None, components=((0,),),
                       parameters=dict(game.values), messages=messages, details=details)
