"""Learning and evolutionary dynamics for seminars: who plays what over time.

Every rule returns a frozen :class:`~negotiation.results.dynamics.Trajectory`: the mixed
strategy (or the empirical frequencies) of each player at each step, labelled, with the rule's
name and parameters, whether the run settled and where.

* :func:`fictitious_play` (Brown 1951): each round every player best-responds to
  the empirical frequencies of the others' past plays. Frequencies converge to
  the equilibrium in two-player zero-sum games (Robinson 1951) but not in
  general (Shapley 1964).
* :func:`best_response_dynamics`: pure best responses, one player at a time
  (or all at once); reaches a pure equilibrium or reports the cycle it is in.
* :func:`replicator_dynamics` (Taylor & Jonker 1978): one population for
  symmetric two-player games, one population per player otherwise; integrated
  with :func:`scipy.integrate.solve_ivp` (DOP853).
* :func:`logit_dynamics`: discrete smoothed best responses
  ``x ← (1 - rate) x + rate · logit_λ(payoffs)``, whose rest points are the
  logit QRE at precision λ.

Work limits (checked before a step is taken, from the game's size and the request alone):

==================  ========  ===============================================  ======================
limit               value     bounds                                           raised by
==================  ========  ===============================================  ======================
:data:`MAX_STEPS`   20,000    rounds (fictitious play, best response, logit)   ``max_steps=N``,
                              or reported points (replicator) of a two-player  ``--max-steps N``
                              game of up to 10,000 profiles; fewer for more
                              players or profiles (:func:`step_cost`)
:data:`MAX_TIME`    1,000     replicator integration time × payoff range       ``max_time=T``,
                              (the same scaling by :func:`step_cost`)          ``--max-time T``
==================  ========  ===============================================  ======================

Tie rule (fictitious play and best-response dynamics): among several best
responses, a player keeps its current strategy if it is one of them
(best-response dynamics only), and otherwise takes the first in its list of
strategies.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from negotiation.core.errors import SolverLimitError
from negotiation.models.profile import MixedProfile
from negotiation.results.dynamics import DynamicsError, Trajectory

__all__ = ["best_response_dynamics", "fictitious_play", "logit_dynamics", "replicator_dynamics", "RULES",
           "MAX_STEPS", "MAX_TIME", "step_cost"]

#: Rounds (or reported points) of one run of a two-player game, unless ``max_steps=`` says otherwise.
#: Measured: 20,000 rounds of fictitious play on a 2 × 2 game cost 0.15 s and their CSV table 0.3 s,
#: so the whole ``learn`` command (about 1 s of start-up) stays near 1.3 s; 10^5 rounds cost 2.2 s.
MAX_STEPS = 20_000
#: Replicator integration time in units of one payoff range (the field's speed grows with the range):
#: rock-paper-scissors (range 2) cycles for 500 time units in 0.3 s of DOP853 (12 evaluations a step).
MAX_TIME = 1_000
#: Profiles whose per-step cost is about that of a 2 × 2 game (below it Python overhead dominates).
_SMALL_PROFILES = 10_000


# ---------------------------------------------------------------------- shared helpers
class _Payoffs:
    """Float payoff tensors and the expected payoff of each pure strategy against mixes."""

    def __init__(self, game):
        if game.is_symbolic:
            raise DynamicsError("substitute parameter values before running dynamics (game.substitute(...))")
        self.game = game
        self.n_players = game.n_players
        self.sizes = tuple(game.shape)
        self.tensors = [np.asarray(game.payoff_array(i), dtype=float) for i in range(self.n_players)]
        everything = np.concatenate([t.ravel() for t in self.tensors])
        self.scale = max(float(everything.max() - everything.min()), 1e-300)
        letters = "abcdefghijklmnopqrstuvwxyz"[:self.n_players]
        self._subscripts = []
        for i in range(self.n_players):
            others = [k for k in range(self.n_players) if k != i]
            self._subscripts.append((letters + "".join("," + letters[k] for k in others) + "->" + letters[i],
                                     others))

    def against(self, mixes) -> list:
        """For each player, the payoff of each of its strategies against the others' mixes."""
        if self.n_players == 2:
            return [self.tensors[0] @ mixes[1], mixes[0] @ self.tensors[1]]
        out = []
        for i, (subscripts, others) in enumerate(self._subscripts):
            if not others:
                out.append(self.tensors[i].copy())
            else:
                out.append(np.einsum(subscripts, self.tensors[i], *(mixes[k] for k in others)))
        return out

    def regret(self, mixes) -> float:
        return max(float(u.max() - u @ x) for u, x in zip(self.against(mixes), mixes))


def _check_count(value, name) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise DynamicsError(f"{name} {value!r}: expected a positive integer")
    return int(value)


def step_cost(game) -> float:
    """The cost of one step of ``game`` in steps of a small two-player game (at least 1).

    Every player's payoffs are evaluated each step, and beyond :data:`_SMALL_PROFILES` profiles
    the evaluation grows with them, so a step costs ``players / 2 × max(1, profiles / 10,000)``.

    Examples
    --------
    >>> import negotiation as ng
    >>> step_cost(ng.Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
    1.0
    """
    profiles = math.prod(game.shape)
    return max(game.n_players / 2 * max(1.0, profiles / _SMALL_PROFILES), 1.0)


def _resolve_limit(value, default, name):
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or value <= 0:
        raise DynamicsError(f"{name} {value!r}: expected a positive number")
    return value


def _check_steps(count, game, max_steps, name="steps") -> None:
    """Refuse ``count`` rounds (or points) above ``max_steps`` steps of a small two-player game."""
    limit = _resolve_limit(max_steps, MAX_STEPS, "max_steps")
    allowed = int(limit / step_cost(game))
    if count > allowed:
        raise SolverLimitError(f"{name} {count:,}: more than the limit of {allowed:,} for a game of "
                               f"{game.n_players} players and {math.prod(game.shape):,} profiles "
                               "(raise it with max_steps= / --max-steps N)")


def _initial_mixes(game, initial, *, allow_pure=True, name="initial") -> list:
    """Per player a probability vector from ``{player: label | {label: weight}}``; missing: uniform."""
    mixes = [np.full(n, 1.0 / n) for n in game.shape]
    if initial is None:
        return mixes
    if not isinstance(initial, Mapping):
        raise DynamicsError(f"{name}: expected a mapping {{player: strategy or {{strategy: weight}}}}")
    for player, value in initial.items():
        if player not in game.players:
            raise DynamicsError(f"{name}: unknown player {player!r} (players: {', '.join(game.players)})")
        i = game.players.index(player)
        labels = game.strategies[i]
        vector = np.zeros(len(labels))
        if isinstance(value, str):
            if not allow_pure:
                raise DynamicsError(f"{name} of {player}: expected {{strategy: probability}}")
            if value not in labels:
                raise DynamicsError(f"{name} of {player}: unknown strategy {value!r} "
                                    f"(strategies: {', '.join(labels)})")
            vector[labels.index(value)] = 1.0
        elif isinstance(value, Mapping):
            for label, weight in value.items():
                if label not in labels:
                    raise DynamicsError(f"{name} of {player}: unknown strategy {label!r} "
                                        f"(strategies: {', '.join(labels)})")
                try:
                    number = float(weight)
                except (TypeError, ValueError):
                    raise DynamicsError(f"{name} of {player}, {label}: {weight!r} is not a number") from None
                if not math.isfinite(number) or number < 0:
                    raise DynamicsError(f"{name} of {player}, {label}: expected a non-negative weight, "
                                        f"got {weight!r}")
                vector[labels.index(label)] = number
            if vector.sum() <= 0:
                raise DynamicsError(f"{name} of {player}: weights sum to zero")
        else:
            raise DynamicsError(f"{name} of {player}: expected a strategy label or {{strategy: weight}}")
        mixes[i] = vector
    return mixes


def _first_best(values, current=None, tolerance=0.0) -> int:
    """Index of a best response: ``current`` if it is one, else the first maximiser."""
    best = values.max()
    threshold = best - tolerance
    if current is not None and values[current] >= threshold:
        return int(current)
    return int(np.flatnonzero(values >= threshold)[0])


def _run(rule, game, times, probabilities, parameters, converged, limit, cycle, plays, messages,
         time_label) -> Trajectory:
    """The :class:`Trajectory` of a run: one column ``"<player>: <strategy>"`` per strategy."""
    labels = tuple(f"{p}: {s}" for p, strategies in zip(game.players, game.strategies) for s in strategies)
    return Trajectory(rule, labels, times, np.hstack(probabilities), players=game.players,
                      strategies=game.strategies, parameters=parameters, converged=converged, limit=limit,
                      cycle=cycle, plays=plays, messages=messages, time_label=time_label)


# ---------------------------------------------------------------------- fictitious play
def fictitious_play(game, steps: int, initial=None, *, tolerance: float = 0.02, max_steps=None) -> Trajectory:
    """Fictitious play (Brown 1951), simultaneous version, for any number of players.

    Each round every player plays a best response to the empirical frequencies of
    the other players' past plays (its beliefs); ties go to the first listed
    strategy. Before the first round beliefs are ``initial`` prior counts, or uniform.

    Parameters
    ----------
    game : Game
        A numeric game.
    steps : int
        Number of rounds.
    initial : mapping, optional
        Prior counts: ``{player: {strategy: weight}}`` or ``{player: strategy}``
        (one fictitious past play); they count in the frequencies.
    tolerance : float
        The run counts as converged when the final empirical profile is a
        ``tolerance``-equilibrium relative to the payoff range (largest regret
        at most ``tolerance × (max payoff − min payoff)``).
    max_steps : int, optional
        The limit on ``steps`` (default :data:`MAX_STEPS`, scaled down by :func:`step_cost`).

    Returns
    -------
    Trajectory
        Row ``k`` (step ``k = 1 … steps``): the empirical frequencies after ``k`` rounds
        (prior counts included); ``plays`` the strategies played in round ``k``.

    Examples
    --------
    >>> import negotiation as ng
    >>> pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
    ...     players=("Row", "Column"), strategies=(("Heads", "Tails"), ("Heads", "Tails")))
    >>> run = fictitious_play(pennies, 2000)
    >>> run.converged, [round(p, 2) for p in run.final["Row"].values()]
    (True, [0.5, 0.5])
    """
    steps = _check_count(steps, "steps")
    _check_steps(steps, game, max_steps)
    payoffs = _Payoffs(game)
    prior = [np.zeros(n) for n in game.shape]
    if initial is not None:
        prior = _initial_mixes(game, initial)
        for i, player in enumerate(game.players):
            if player not in initial:
                prior[i] = np.zeros(game.shape[i])
    n_players = game.n_players
    plays = np.empty((steps, n_players), dtype=np.int64)
    if n_players == 2:
        # running payoff of each own strategy against the opponent's counts (argmax is scale-free)
        a, b = payoffs.tensors
        values = [a @ prior[1], prior[0] @ b]
        uniform = payoffs.against([np.full(n, 1.0 / n) for n in game.shape])
        first = [v if c.sum() > 0 else u for v, c, u in zip(values, prior[::-1], uniform)]
        for step in range(steps):
            decide = first if step == 0 else values
            row, column = _first_best(decide[0]), _first_best(decide[1])
            plays[step] = (row, column)
            values[0] = values[0] + a[:, column]
            values[1] = values[1] + b[row, :]
    else:
        counts = [p.astype(float).copy() for p in prior]
        for step in range(steps):
            beliefs = [c / c.sum() if c.sum() > 0 else np.full(len(c), 1.0 / len(c)) for c in counts]
            chosen = [_first_best(v) for v in payoffs.against(beliefs)]
            for i, j in enumerate(chosen):
                counts[i][j] += 1.0
            plays[step] = chosen
    frequencies = []
    for i, n in enumerate(game.shape):
        counts = np.cumsum(np.eye(n)[plays[:, i]], axis=0) + prior[i]
        frequencies.append(counts / counts.sum(axis=1, keepdims=True))
    final = [f[-1] for f in frequencies]
    regret = payoffs.regret(final)
    converged = regret <= tolerance * payoffs.scale
    limit = _profile(game, final) if converged else None
    messages = (f"final empirical profile: largest regret {regret:.3g} "
                f"({regret / payoffs.scale:.3g} of the payoff range; tolerance {tolerance:g})",
                "ties: first listed strategy")
    return _run("fictitious_play", game, np.arange(1, steps + 1),
                      tuple(frequencies), {"steps": steps, "tolerance": tolerance}, bool(converged), limit,
                      (), plays, messages, "step")


def _profile(game, vectors) -> MixedProfile:
    return MixedProfile(game.players, game.strategies, tuple(tuple(float(v) for v in x) for x in vectors))


# ---------------------------------------------------------------------- best-response dynamics
def best_response_dynamics(game, steps: int, initial=None, simultaneous: bool = False, *,
                           max_steps=None) -> Trajectory:
    """Pure best-response dynamics; stops at a pure equilibrium or reports the cycle.

    Sequential (default): in step ``k`` player ``k mod N`` revises; all players revise
    at once with ``simultaneous=True``. A reviser keeps its strategy if it is a best
    response and otherwise switches to the first listed best response. The run
    converges when the profile is a pure Nash equilibrium; a revisited state
    (profile and, sequentially, who revises next) that is not one is a cycle.

    Parameters
    ----------
    game : Game
        A numeric game.
    steps : int
        Most revisions (rows after the initial one); the run stops early at an equilibrium.
    initial : mapping, optional
        ``{player: strategy}``; missing players start with their first strategy.
    simultaneous : bool
        Whether all players revise at once.
    max_steps : int, optional
        The limit on ``steps`` (default :data:`MAX_STEPS`, scaled down by :func:`step_cost`).

    Returns
    -------
    Trajectory
        Row ``k``: the pure profile after ``k`` revisions (0/1 probabilities); ``cycle``
        the profiles of the cycle if one was found.

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> run = best_response_dynamics(pd, 10)
    >>> run.converged, run.limit.describe()
    (True, 'Player 1: D; Player 2: D')
    """
    steps = _check_count(steps, "steps")
    _check_steps(steps, game, max_steps)
    payoffs = _Payoffs(game)
    n_players = game.n_players
    current = [0] * n_players
    if initial is not None:
        if not isinstance(initial, Mapping):
            raise DynamicsError("initial: expected a mapping {player: strategy}")
        for player, label in initial.items():
            if player not in game.players:
                raise DynamicsError(f"initial: unknown player {player!r} (players: {', '.join(game.players)})")
            i = game.players.index(player)
            if not isinstance(label, str) or label not in game.strategies[i]:
                raise DynamicsError(f"initial of {player}: unknown strategy {label!r} "
                                    f"(strategies: {', '.join(game.strategies[i])})")
            current[i] = game.strategies[i].index(label)
    tolerance = 1e-12 * payoffs.scale if not game.is_exact else 0.0

    def best_responses(profile):
        mixes = [np.eye(n)[j] for n, j in zip(game.shape, profile)]
        values = payoffs.against(mixes)
        return [_first_best(v, profile[i], tolerance) for i, v in enumerate(values)]

    history = [tuple(current)]
    seen = {}
    cycle = ()
    converged = False
    for step in range(steps + 1):
        responses = best_responses(history[-1])
        if list(responses) == list(history[-1]):
            converged = True
            break
        state = (history[-1], None if simultaneous else step % n_players)
        if state in seen:
            start = seen[state]
            cycle_profiles = history[start:-1] if len(history) - 1 > start else history[start:]
            cycle = tuple(dict.fromkeys(cycle_profiles))
            break
        seen[state] = len(history) - 1
        if step == steps:
            break
        profile = list(history[-1])
        if simultaneous:
            profile = responses
        else:
            mover = step % n_players
            profile[mover] = responses[mover]
        history.append(tuple(profile))
    if cycle:
        # keep going around the cycle up to `steps` rows so that the paths show it
        while len(history) <= steps:
            step = len(history) - 1
            responses = best_responses(history[-1])
            profile = list(history[-1])
            if simultaneous:
                profile = responses
            else:
                profile[step % n_players] = responses[step % n_players]
            history.append(tuple(profile))
    rows = np.array(history, dtype=np.int64)
    probabilities = tuple(np.eye(n)[rows[:, i]] for i, n in enumerate(game.shape))
    limit = MixedProfile.pure(game, history[-1]) if converged else None
    labelled_cycle = tuple(tuple(game.strategies[i][j] for i, j in enumerate(p)) for p in cycle)
    messages = []
    if converged:
        messages.append(f"reached a pure Nash equilibrium after {len(history) - 1} revision(s)")
    elif cycle:
        messages.append(f"cycles through {len(cycle)} profiles; no pure equilibrium is reached")
    else:
        messages.append(f"no equilibrium or cycle within {steps} revisions")
    messages.append("ties: keep the current strategy if it is a best response, else the first listed")
    return _run("best_response", game, np.arange(len(history)), probabilities,
                      {"steps": steps, "simultaneous": bool(simultaneous)}, converged, limit,
                      labelled_cycle, rows, tuple(messages), "step")


# ---------------------------------------------------------------------- replicator dynamics
def _is_symmetric(game) -> bool:
    if game.n_players != 2 or game.shape[0] != game.shape[1]:
        return False
    a = np.asarray(game.payoff_array(0), dtype=float)
    b = np.asarray(game.payoff_array(1), dtype=float)
    return bool(np.allclose(a, b.T, rtol=0, atol=1e-12 * max(1.0, float(np.abs(a).max()))))


def _check_time(horizon, payoffs, max_time) -> None:
    """Refuse an integration ``horizon`` whose time × payoff range exceeds ``max_time``."""
    limit = _resolve_limit(max_time, MAX_TIME, "max_time")
    allowed = limit / step_cost(payoffs.game) / payoffs.scale
    if horizon > allowed:
        raise SolverLimitError(f"time {horizon:g}: more than the limit of {allowed:.4g} for this game "
                               f"({limit:g} / payoff range {payoffs.scale:.4g}"
                               f"{'' if step_cost(payoffs.game) == 1 else ' / its size'}; "
                               "raise it with max_time= / --max-time T)")


def replicator_dynamics(game, time: float, initial=None, *, populations="auto", points: int = 201,
                        tolerance: float = 1e-6, max_steps=None, max_time=None) -> Trajectory:
    """Replicator dynamics (Taylor & Jonker 1978), integrated with ``scipy.integrate.solve_ivp``.

    One population (``populations=1``): a symmetric two-player game played by
    random pairs from one population, ``dx_j/dt = x_j ((A x)_j − x·A x)``.
    One population per player (``populations="per player"``): every player's mix
    ``x_i`` follows ``dx_ij/dt = x_ij (u_ij(x) − x_i·u_i(x))``. ``"auto"`` picks one
    population for symmetric two-player games and one per player otherwise.

    Parameters
    ----------
    game : Game
        A numeric game.
    time : float
        Integrate from 0 to ``time``.
    initial : mapping, optional
        ``{player: {strategy: share}}`` (normalised); missing players start uniform.
        With one population only the first player's entry is used (others must agree).
    populations : {"auto", 1, "per player"}
    points : int
        Number of reported times (evenly spaced, both ends included).
    tolerance : float
        Converged when the speed ``max |dx/dt|`` at the end is at most
        ``tolerance × payoff range``; the limit is then the final state (a rest point,
        not necessarily a Nash equilibrium — check ``regrets``).
    max_steps : int, optional
        The limit on ``points`` (default :data:`MAX_STEPS`, scaled down by :func:`step_cost`).
    max_time : float, optional
        The limit on ``time`` times the payoff range (default :data:`MAX_TIME`, scaled down by
        :func:`step_cost`): the integrator's work grows with both.

    Returns
    -------
    Trajectory

    Examples
    --------
    Hawk–Dove with value V = 2 and cost C = 6: the mixed ESS plays Hawk with
    probability V/C = 1/3 (Maynard Smith 1982, ch. 2).

    >>> import negotiation as ng
    >>> hawk_dove = ng.Game.from_arrays([[-2, 2], [0, 1]], [[-2, 0], [2, 1]],
    ...     strategies=(("Hawk", "Dove"), ("Hawk", "Dove")))
    >>> run = replicator_dynamics(hawk_dove, 60)
    >>> run.converged, round(run.final["Player 1"]["Hawk"], 6)
    (True, 0.333333)
    """
    from scipy.integrate import solve_ivp

    try:
        horizon = float(time)
    except (TypeError, ValueError):
        raise DynamicsError(f"time {time!r}: expected a positive number") from None
    if not math.isfinite(horizon) or horizon <= 0:
        raise DynamicsError(f"time {time!r}: expected a positive number")
    points = _check_count(points, "points")
    if points < 2:
        raise DynamicsError(f"points {points!r}: expected at least 2")
    _check_steps(points, game, max_steps, name="points")
    payoffs = _Payoffs(game)
    _check_time(horizon, payoffs, max_time)
    symmetric = _is_symmetric(game)
    if populations == "auto":
        single = symmetric
    elif populations == 1:
        if not symmetric:
            raise DynamicsError("populations=1 needs a symmetric two-player game (B = A transposed)")
        single = True
    elif populations == "per player":
        single = False
    else:
        raise DynamicsError(f"populations {populations!r}: expected 'auto', 1 or 'per player'")
    mixes = _initial_mixes(game, initial, allow_pure=False)
    mixes = [m / m.sum() for m in mixes]
    if single and initial is not None and len(initial) > 1:
        if not np.allclose(mixes[0], mixes[1], atol=1e-12):
            raise DynamicsError("one population: both players' initial shares must be the same "
                                "(use populations='per player' for two populations)")
    if single and initial is not None and game.players[0] not in initial:
        mixes[0] = mixes[1]
    sizes = game.shape
    offsets = np.cumsum((0,) + tuple(sizes[:-1]))

    if single:
        matrix = payoffs.tensors[0]

        def field_(t, x):
            # mean fitness taken with the normalised state: identical on the simplex, and it keeps
            # sum(x) = 1 exactly (the plain form is unstable off the simplex when payoffs are negative)
            share = x / x.sum()
            fitness = matrix @ share
            return x * (fitness - share @ fitness)

        start = mixes[0]
    else:
        def field_(t, x):
            parts = [x[o:o + n] / x[o:o + n].sum() for o, n in zip(offsets, sizes)]
            values = payoffs.against(parts)
            return np.concatenate([x[o:o + n] * (u - p @ u) for o, n, p, u in zip(offsets, sizes, parts, values)])

        start = np.concatenate(mixes)
    times = np.linspace(0.0, horizon, points)
    solution = solve_ivp(field_, (0.0, horizon), start, t_eval=times, method="DOP853", rtol=1e-10, atol=1e-12)
    if not solution.success:  # pragma: no cover - DOP853 on a bounded smooth field
        raise DynamicsError(f"the integration failed: {solution.message}")
    states = solution.y.T
    if single:
        probabilities = (states.copy(), states.copy())
    else:
        probabilities = tuple(states[:, o:o + n].copy() for o, n in zip(offsets, sizes))
    speed = float(np.max(np.abs(field_(horizon, states[-1]))))
    converged = speed <= tolerance * payoffs.scale
    limit = _profile(game, [p[-1] for p in probabilities]) if converged else None
    label = "one population" if single else "one population per player"
    messages = (f"{label}; solve_ivp DOP853 (rtol 1e-10, atol 1e-12); final speed {speed:.3g}",)
    parameters = {"time": horizon, "points": points, "populations": 1 if single else "per player"}
    return _run("replicator", game, times, probabilities, parameters,
                      bool(converged), limit, (), None, messages, "time")


# ---------------------------------------------------------------------- logit dynamics
def logit_dynamics(game, steps: int, precision: float, initial=None, *, rate: float = 0.5,
                   tolerance: float = 1e-10, max_steps=None) -> Trajectory:
    """Discrete logit (smoothed best-response) dynamics.

    ``x_i ← (1 − rate) x_i + rate · L_i(x)`` with ``L_ij(x) ∝ exp(precision · u_ij(x))``,
    all players at once. Rest points are exactly the logit QRE at ``precision``
    (McKelvey & Palfrey 1995); the run counts as converged when the last step moved
    no probability by more than ``tolerance``. ``steps`` is limited by ``max_steps`` (default
    :data:`MAX_STEPS`, scaled down by :func:`step_cost`).

    Examples
    --------
    >>> import negotiation as ng
    >>> game = ng.Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    >>> run = logit_dynamics(game, 400, precision=0.5)
    >>> run.converged, round(run.final["Player 1"]["1"], 4)
    (True, 0.8307)
    """
    steps = _check_count(steps, "steps")
    try:
        precision = float(precision)
    except (TypeError, ValueError):
        raise DynamicsError(f"precision {precision!r}: expected a non-negative number") from None
    if not math.isfinite(precision) or precision < 0:
        raise DynamicsError(f"precision {precision!r}: expected a non-negative number")
    if not (isinstance(rate, (int, float)) and 0 < rate <= 1):
        raise DynamicsError(f"rate {rate!r}: expected a number in (0, 1]")
    _check_steps(steps, game, max_steps)
    payoffs = _Payoffs(game)
    mixes = [m / m.sum() for m in _initial_mixes(game, initial, allow_pure=False)]
    history = [[m.copy()] for m in mixes]
    moved = math.inf
    for _ in range(steps):
        values = payoffs.against(mixes)
        updated = []
        for x, u in zip(mixes, values):
            z = precision * (u - u.max())
            response = np.exp(z)
            response /= response.sum()
            updated.append((1 - rate) * x + rate * response)
        moved = max(float(np.max(np.abs(a - b))) for a, b in zip(updated, mixes))
        mixes = updated
        for h, m in zip(history, mixes):
            h.append(m.copy())
    probabilities = tuple(np.array(h) for h in history)
    converged = moved <= tolerance
    limit = _profile(game, mixes) if converged else None
    messages = (f"last step moved probabilities by at most {moved:.3g}",)
    return _run("logit", game, np.arange(steps + 1), probabilities,
                      {"steps": steps, "precision": precision, "rate": rate}, bool(converged), limit,
                      (), None, messages, "step")


#: Rule names of the ``learn`` command and their functions.
RULES = {"fictitious_play": fictitious_play, "best_response": best_response_dynamics,
         "replicator": replicator_dynamics, "logit": logit_dynamics}
