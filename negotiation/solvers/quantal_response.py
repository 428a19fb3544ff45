"""Logit quantal response equilibria (QRE) and the principal branch.

A logit QRE at precision ``λ >= 0`` (McKelvey & Palfrey 1995) is a mixed
profile in which every player ``i`` plays strategy ``j`` with probability

    π_ij = exp(λ u_ij(π)) / Σ_k exp(λ u_ik(π)),

where ``u_ij(π)`` is the expected payoff of ``j`` against the others' mixes.
At ``λ = 0`` the unique QRE is the uniform profile; as ``λ`` grows, the QRE
that is connected to it — the *principal branch* — converges, for generic
games, to one Nash equilibrium (the limiting logit equilibrium).

:func:`logit_branch` traces the branch (the curve and the path-following are in
:mod:`negotiation.solvers.logit_path`: Turocy 2005, by arc-length predictor–corrector
continuation in log probabilities) and returns a :class:`LogitBranch`; :func:`logit_qre`
(``method="logit_qre"``) returns the QRE at one precision, or the Nash equilibrium the branch
converges to, as a :class:`~negotiation.results.game.SolveResult`.

Everything here is floating point: results say ``exact=False`` and
``complete=False`` (a QRE is not a Nash equilibrium, and the branch is one
of possibly several components of the QRE correspondence).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

import numpy as np

from negotiation.core.document import Cell, Document, Table, Text
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number
from negotiation.models.profile import MixedProfile, expected_payoffs, regrets
from negotiation.results.base import Result
from negotiation.results.game import Equilibrium, SolveResult, heading
from negotiation.solvers.logit_path import (LogitSystem, QuantalResponseError, newton_at_precision, trace,
                                            turning_points)
from negotiation.solvers.methods import game_method, solve_game
from negotiation.solvers.scaling import normalised_game, scaled_back
from negotiation.solvers.verify import payoff_exponent

__all__ = ["LogitBranch", "LogitLimit", "QuantalResponseError", "logit_branch", "logit_qre"]

#: The default end of the branch: ``λ`` times the payoff unit (float games) or ``λ`` (exact games).
DEFAULT_REACH = 1e6
#: A branch point matches an equilibrium from ``ng.solve`` when within this (largest probability difference).
_MATCH_DISTANCE = 1e-2


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
class LogitBranch(Result):
    """The principal branch of logit QRE, from λ = 0 (uniform play) to ``max_precision``.

    A result (``to_text()``, ``to_frame()``, ``plot()`` …): one record per traced point; its
    document shows the branch at a few λ (:meth:`table`) and how it was traced.

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
    log_probabilities : numpy.ndarray or None
        The traced log probabilities (shape ``(K, M)``), which keep vanishing strategies accurate;
        ``None``: the logarithms of :attr:`probabilities`.
    """

    players: tuple
    strategies: tuple
    precisions: np.ndarray = field(repr=False)
    probabilities: np.ndarray = field(repr=False)
    game: Any = field(repr=False)
    tolerance: float = 1e-10
    messages: tuple = ()
    log_probabilities: np.ndarray | None = field(default=None, repr=False)

    method = "logit_branch"
    exact = False
    complete = False  # one branch of possibly several components of the QRE correspondence

    @property
    def parameters(self) -> Mapping:
        """The parameter values the game was built with."""
        return dict(self.game.values)

    @property
    def details(self) -> Mapping:
        return {"max_precision": self.max_precision, "turning_points": list(self.turning_points)}

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
        return turning_points(self.precisions)

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
        system = LogitSystem(self.game)
        logs = self.log_probabilities
        if logs is None:
            logs = np.log(np.maximum(self.probabilities, 1e-300))
        if len(lam) == 1 and precision == lam[0]:  # a branch traced to λ = 0 is its uniform start
            return (self.profile(0),)
        out = []
        for k in range(len(lam) - 1):
            a, b = lam[k], lam[k + 1]
            if (a > precision and b > precision) or (a < precision and b < precision) or (k > 0 and a == precision):
                continue
            if b == a:
                share = 0.0
            else:
                share = (precision - a) / (b - a)
            w = (1 - share) * logs[k] + share * logs[k + 1]
            corrected = newton_at_precision(system, w, system.internal(precision), self.tolerance)
            if corrected is None:  # at a turning point: fall back to the nearer traced point
                corrected = logs[k] if abs(a - precision) <= abs(b - precision) else logs[k + 1]
            out.append(_profile(self.players, self.strategies, np.exp(corrected)))
        if not out:
            raise QuantalResponseError(f"precision {precision:g}: not on the traced branch")
        return tuple(out)

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

    def table(self, precisions=(0.1, 1, 10, 100)) -> Table:
        """The branch at a few λ (those within the traced range): one row per λ, one column per strategy."""
        rows = []
        for lam in (float(p) for p in precisions if 0 <= p <= self.max_precision):
            profile = self.at(lam)
            rows.append((lam, *(float(p) for probs in profile.probabilities for p in probs)))
        return Table((Cell("λ", "$\\lambda$"), *self.columns), tuple(rows))

    @property
    def title(self) -> str:
        """``Logit QRE principal branch: <game title>``."""
        return f"Logit QRE principal branch{': ' + self.game.title if self.game.title else ''}"

    def document(self) -> Document:
        lines = heading(self) + [f"Traced from λ = 0 to {self.max_precision:.6g} in {len(self)} points"]
        if self.turning_points:
            lines.append("Turns back in λ at " + ", ".join(f"{v:.6g}" for v in self.turning_points))
        return Document(self.title, (Text(tuple(lines)), self.table()), notes=tuple(self.messages))

    def _content(self) -> dict:
        return {
            "game": {"title": self.game.title, "players": list(self.players),
                     "strategies": {p: list(s) for p, s in zip(self.players, self.strategies)}},
            "points": self.to_records(),
        }

    @property
    def n_strategies_max(self) -> int:
        return max(len(s) for s in self.strategies)

    def __repr__(self) -> str:
        return (f"LogitBranch({len(self)} points, λ from 0 to {self.max_precision:.6g}, "
                f"players={list(self.players)})")


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


def _float_payoffs(game, profile) -> tuple:
    """Expected payoffs and the largest regret of a float profile, computed on the game divided by its payoff
    unit (no difference overflows) and multiplied back."""
    try:
        float_game = game.to_float() if game.is_exact else game
        exponent = payoff_exponent(float_game.payoffs)
        unit_game = normalised_game(float_game, exponent)
        payoffs = scaled_back(expected_payoffs(unit_game, profile), exponent, float_game)
        return payoffs, math.ldexp(float(max(regrets(unit_game, profile))), exponent)
    except (OverflowError, NegotiationError):
        raise QuantalResponseError("logit_qre: the payoffs are beyond the float range (above 1.8e308): the QRE's "
                                   "payoffs cannot be given as floats") from None


def _candidate_equilibria(game):
    method = "vertex_enumeration" if game.n_players == 2 else "enumerate_pure"
    try:
        return tuple(solve_game(game, method=method)), method
    except Exception:  # noqa: BLE001 - a limit without candidates is still a limit
        return (), method


# ---------------------------------------------------------------------- tracing
def logit_branch(game, *, max_precision: float | None = None, step: float = 0.03, tolerance: float = 1e-10,
                 max_points: int = 20000) -> LogitBranch:
    """Trace the principal branch of logit QRE from λ = 0 to ``max_precision``.

    Only ``λ · payoffs`` enters the QRE, so the branch of a game with every payoff multiplied by
    ``c > 0`` is the same curve with ``λ`` divided by ``c``. A float game is traced divided by its
    payoff unit ``2**e`` (:class:`~negotiation.solvers.logit_path.LogitSystem`), so the steps, the
    tolerances and the default end of the branch scale the same way; precisions in and out are the
    game's.

    Parameters
    ----------
    game : Game
        A numeric game with any number of players (exact payoffs are used as floats).
    max_precision : float, optional
        Stop at this λ (the last point is corrected to exactly this λ). Default: :data:`DEFAULT_REACH`
        divided by the payoff unit for a float game (``λ`` times the largest ``|payoff|`` then reaches
        between 5e5 and 1e6, at any scale), :data:`DEFAULT_REACH` for an exact game.
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
    system = LogitSystem(game)
    if max_precision is None:
        max_precision = system.external(DEFAULT_REACH)
    max_precision = _check_precision(max_precision, "max_precision")
    if not (isinstance(step, (int, float)) and math.isfinite(step) and step > 0):
        raise QuantalResponseError(f"step {step!r}: expected a positive number")
    if not (isinstance(tolerance, (int, float)) and 0 < tolerance < 1e-2):
        raise QuantalResponseError(f"tolerance {tolerance!r}: expected a number in (0, 1e-2)")
    try:
        points, notes = trace(system, system.internal(max_precision), float(step), tolerance, max_points)
    except (np.linalg.LinAlgError, FloatingPointError) as error:
        raise QuantalResponseError(f"logit_qre: the branch could not be traced: floating-point failure ({error})") \
            from None
    messages = ["principal branch of logit QRE traced from the uniform profile at λ = 0 by arc-length "
                "predictor-corrector continuation in log probabilities (Turocy 2005); floating point", *notes]
    if system.exponent:
        messages.append(f"payoffs divided by 2^{system.exponent} while tracing (λ multiplied by it): precisions are "
                        "the game's")
    array = np.array(points)
    if not np.all(np.isfinite(array)):
        raise QuantalResponseError("logit_qre: the traced branch has a value that is not a finite number")
    logs = array[:, :-1]
    precisions = np.array([system.external(value) for value in array[:, -1]])
    return LogitBranch(tuple(game.players), tuple(game.strategies), precisions, np.exp(logs), game,
                       tolerance, tuple(messages), logs)


@game_method("logit_qre", unit_scale=False)
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
        How far to trace when ``precision`` is not given (default: see :func:`logit_branch`, relative to
        the payoff scale for float games).
    **options
        Passed to :func:`logit_branch` (``step``, ``tolerance``).

    Returns
    -------
    SolveResult
        Method ``"logit_qre"``, ``complete=False``; ``exact=False`` at a finite precision;
        ``details`` hold ``precision``; ``regret`` of the profile is the true
        (non-zero) regret of the QRE.

    Notes
    -----
    The invariance under scale: only ``λ · payoffs`` enters the QRE, so for every ``c > 0`` the game
    with every payoff multiplied by ``c`` at precision ``λ / c`` has the QRE of the game at ``λ``
    (the same probabilities, payoffs multiplied by ``c``). Without ``precision`` a float game's
    branch is traced to :data:`DEFAULT_REACH` divided by its payoff unit (a power of two near its
    largest ``|payoff|``), so the limit is the same at every scale; an exact game's to
    ``DEFAULT_REACH`` itself.

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
    if precision is None:
        branch = logit_branch(game, max_precision=max_precision, **options)
        limit = branch.limit()
        profile = limit.profile
        exact = limit.matched and profile.is_exact
        messages = branch.messages + (
            "limit of the principal branch: " + limit.describe(),)
        details = {"precision": branch.max_precision, "distance": limit.distance, "tolerance": branch.tolerance}
    else:
        precision = _check_precision(precision, "precision")
        branch = logit_branch(game, max_precision=precision, **options)
        profile = branch.at(precision)
        exact = False
        messages = branch.messages
        details = {"precision": precision, "tolerance": branch.tolerance}
    if exact:
        payoffs = expected_payoffs(game, profile)
        regret = max(regrets(game, profile))
    else:
        payoffs, regret = _float_payoffs(game, profile)
    equilibrium = Equilibrium(profile, tuple(payoffs), regret)
    if not exact:
        messages = messages + (f"a QRE is not a Nash equilibrium: largest regret "
                               f"{format_number(regret) if exact else f'{regret:.3g}'}",)
    return SolveResult(game=game, equilibria=(equilibrium,), method="logit_qre", exact=bool(exact),
                       complete=False, degenerate=None, components=((0,),),
                       parameters=dict(game.values), messages=messages, details=details)
