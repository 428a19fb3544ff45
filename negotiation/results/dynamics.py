"""The results of dynamics: a :class:`Trajectory` (a path of labelled states over time or steps) and the
:class:`Stability` of Richardson's steady state.

One trajectory type serves every law of motion of :mod:`negotiation.dynamics`:

* a learning rule (:mod:`negotiation.dynamics.learning`): the states are the players' mixed
  strategies (or empirical frequencies), one column ``"<player>: <strategy>"`` per strategy;
  ``players``, ``strategies``, ``converged``, ``limit``, ``cycle`` and ``plays`` say where the run went;
* Richardson's arms race (:mod:`negotiation.dynamics.richardson`): the states are the two sides'
  armament levels, one column per side (``x`` and ``y`` are the two columns).

Both follow the result protocol (:mod:`negotiation.results.base`); their figures are in
:mod:`negotiation.report.dynamics`.

Examples
--------
>>> import negotiation as ng
>>> run = ng.best_response_dynamics(ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...     strategies=(("C", "D"), ("C", "D"))), 10)
>>> run.labels, run.final.describe()
(('Player 1: C', 'Player 1: D', 'Player 2: C', 'Player 2: D'), 'Player 1: D; Player 2: D')
>>> path = ng.trajectory(ng.RichardsonModel(a=1, b=1, m=2, n=2, g=1, h=1, labels=("NATO", "Russia")), 0, 0, 30)
>>> path.labels, round(path.final["NATO"], 6)
(('NATO', 'Russia'), 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from negotiation.core.document import Document, Table, Text
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number, json_number
from negotiation.models.profile import MixedProfile
from negotiation.results.base import Result

__all__ = ["DynamicsError", "Trajectory", "Stability", "RULE_NAMES"]

#: What each law of motion is called in titles and figures.
RULE_NAMES = {"fictitious_play": "Fictitious play", "best_response": "Best-response dynamics",
              "replicator": "Replicator dynamics", "logit": "Logit dynamics", "richardson": "Richardson dynamics"}


class DynamicsError(NegotiationError):
    """Bad input to a learning rule or a request about a trajectory (steps, initial state, labels)."""


@dataclass(frozen=True, eq=False)
class Trajectory(Result):
    """A path of labelled states over time or steps, and where it went.

    Attributes
    ----------
    rule : str
        The law of motion: ``"fictitious_play"``, ``"best_response"``, ``"replicator"``, ``"logit"``
        or ``"richardson"``.
    labels : tuple of str
        One per state variable: ``"<player>: <strategy>"`` for a learning rule, the sides of an arms race.
    times : numpy.ndarray
        Step numbers (discrete rules) or times, shape ``(K,)``; also :attr:`time`.
    states : numpy.ndarray
        The state at each time, shape ``(K, len(labels))``: probabilities (the mixed strategy, the
        empirical frequencies of past play, or the pure strategy played as 0/1) or armament levels.
    method : str
        How the path was computed (the learning rule; ``"matrix_exponential"`` or ``"solve_ivp"``).
    players, strategies : tuple
        Learning rules: the labels of the game (the states are one mixed strategy per player).
    parameters : mapping
        The rule's settings (steps, precision, populations, …) or the model's parameter values.
    converged : bool or None
        Learning rules: whether the run settled (see each rule for the criterion).
    limit : MixedProfile or None
        Where it settled (floats), if it did.
    cycle : tuple
        Best-response dynamics: the pure profiles (labels) of the cycle it ended in.
    plays : numpy.ndarray or None
        Fictitious play and best-response dynamics: index of the strategy each player played at
        each step, shape ``(K, N)``.
    messages : tuple of str
        How the run was obtained.
    time_label : str
        ``"step"`` or ``"time"``: the name of the first column of the records.
    title : str
        What the path is (default: the name of the rule).
    """

    rule: str
    labels: tuple
    times: np.ndarray = field(repr=False)
    states: np.ndarray = field(repr=False)
    method: str = ""
    players: tuple = ()
    strategies: tuple = ()
    parameters: Mapping = field(default_factory=dict)
    converged: bool | None = None
    limit: Any = None
    cycle: tuple = ()
    plays: Any = field(default=None, repr=False)
    messages: tuple = ()
    time_label: str = "step"
    title: str = ""

    exact = False

    def __post_init__(self):
        times = np.array(self.times, dtype=float) if self.time_label == "time" else np.asarray(self.times)
        states = np.array(self.states, dtype=float)
        if states.ndim != 2 or states.shape != (len(times), len(self.labels)):
            raise DynamicsError(f"states: expected shape ({len(times)}, {len(self.labels)}), found {states.shape}")
        for array in (times, states):
            array.setflags(write=False)  # the path of a frozen result
        object.__setattr__(self, "labels", tuple(self.labels))
        object.__setattr__(self, "times", times)
        object.__setattr__(self, "states", states)
        object.__setattr__(self, "method", self.method or self.rule)

    # ------------------------------------------------------------------ the path
    def __len__(self) -> int:
        return len(self.times)

    def __getitem__(self, label) -> np.ndarray:
        """One state variable over time, by label (``path["NATO"]``); ``"time"`` or the time label: the times."""
        if label in self.labels:
            return self.states[:, self.labels.index(label)]
        if label in ("time", self.time_label):
            return self.times
        raise KeyError(label)

    @property
    def time(self) -> np.ndarray:
        """The times (the same as :attr:`times`)."""
        return self.times

    @property
    def x(self) -> np.ndarray:
        """The first state variable over time (the first side of an arms race)."""
        return self.states[:, 0]

    @property
    def y(self) -> np.ndarray:
        """The second state variable over time."""
        return self.states[:, 1]

    @property
    def columns(self) -> tuple:
        """The labels of the state variables, in the order of :meth:`to_records` (the same as :attr:`labels`)."""
        return self.labels

    @property
    def probabilities(self) -> tuple:
        """Learning rules: for each player an array ``(K, n_i)`` of its strategies' probabilities."""
        self._need_players("probabilities")
        bounds = np.cumsum([0, *(len(s) for s in self.strategies)])
        return tuple(self.states[:, start:end] for start, end in zip(bounds[:-1], bounds[1:]))

    def profile(self, index: int) -> MixedProfile:
        """Learning rules: the state at row ``index`` as a labelled profile (floats)."""
        self._need_players("profile")
        return MixedProfile(self.players, self.strategies,
                            tuple(tuple(float(v) for v in array[index]) for array in self.probabilities))

    @property
    def final(self):
        """The last state: a :class:`~negotiation.models.profile.MixedProfile` for a learning rule,
        ``{label: value}`` otherwise."""
        if self.players:
            return self.profile(-1)
        return {label: float(value) for label, value in zip(self.labels, self.states[-1])}

    def probability(self, player, strategy) -> np.ndarray:
        """Learning rules: one strategy's probability (labels) over time."""
        label = f"{player}: {strategy}"
        if player not in self.players or label not in self.labels:
            raise DynamicsError(f"unknown strategy {strategy!r} of player {player!r}")
        return self[label]

    def _need_players(self, what: str):
        if not self.players:
            raise DynamicsError(f"{what}: a {self.rule} path has no players and strategies (labels: "
                                f"{', '.join(self.labels)})")

    # ------------------------------------------------------------------ the protocol
    def to_records(self, every: int = 1) -> list[dict]:
        """One dict per row (every ``every``-th, always with the last): the time and each state variable
        (and, where recorded, the strategy each player played)."""
        records = []
        for k in _thinned(len(self), every):
            record = {self.time_label: _plain(self.times[k])}
            record.update((label, float(value)) for label, value in zip(self.labels, self.states[k]))
            if self.plays is not None:
                for i, player in enumerate(self.players):
                    record[f"play {player}"] = self.strategies[i][int(self.plays[k, i])]
            records.append(record)
        return records

    def document(self, rows: int = 11) -> Document:
        """A short table (about ``rows`` evenly spaced rows) and the outcome."""
        heading = []
        if self.parameters:
            heading.append("Parameters: " + ", ".join(f"{k} = {_cell(v)}" for k, v in self.parameters.items()))
        if self.method != self.rule:
            heading.append(f"Method: {self.method}")
        every = max(1, (len(self) - 1) // max(1, rows - 1))
        records = self.to_records(every)
        table = Table(tuple(records[0]), tuple(tuple(_cell(v) for v in record.values()) for record in records))
        blocks = [Text(tuple(heading)), table] if heading else [table]
        blocks.append(Text(tuple(self._outcome())))
        return Document(self.title or RULE_NAMES.get(self.rule, self.rule), tuple(blocks), notes=tuple(self.messages))

    def _outcome(self) -> list[str]:
        if not self.players:
            end = ", ".join(f"{label} = {value:.4g}" for label, value in self.final.items())
            return [f"At {self.time_label} {_cell(_plain(self.times[-1]))}: {end}"]
        lines = [f"Converged to: {_describe_float(self.limit)}" if self.converged and self.limit is not None
                 else "Did not converge."]
        if self.cycle:
            lines.append("Cycle: " + " -> ".join("(" + ", ".join(p) + ")" for p in self.cycle))
        return lines

    def _content(self) -> dict:
        data = {"rule": self.rule, "labels": list(self.labels)}
        if self.players:
            data["players"] = list(self.players)
            data["strategies"] = {p: list(s) for p, s in zip(self.players, self.strategies)}
        data["converged"] = self.converged
        data["limit"] = self.limit.to_dict() if self.limit is not None else None
        data["cycle"] = [dict(zip(self.players, profile)) for profile in self.cycle]
        data["rows"] = self.to_records()
        return data

    def __repr__(self) -> str:
        who = f"players={list(self.players)}" if self.players else f"labels={list(self.labels)}"
        return f"Trajectory({self.rule!r}, {len(self)} rows, converged={self.converged}, {who})"


@dataclass(frozen=True, eq=False)
class Stability(Result):
    """Local stability of the steady state of Richardson's arms race.

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
    exact : bool
        The eigenvalues are exact (or symbolic).
    parameters : mapping
        The parameter values the model's coefficients were computed from.
    title : str
        The model's title.
    """

    eigenvalues: tuple
    trace: Any
    determinant: Any
    stable: bool | None
    kind: str
    condition: Any
    exact: bool = True
    parameters: Mapping = field(default_factory=dict)
    title: str = "Richardson arms race"
    method: str = "eigenvalues"

    def to_records(self) -> list[dict]:
        """One record: the parameters, the verdict, the eigenvalues, trace, determinant and the condition."""
        record = dict(self.parameters)
        record.update({"kind": self.kind, "stable": self.stable})
        record.update((f"eigenvalue {k}", value) for k, value in enumerate(self.eigenvalues, start=1))
        record.update({"trace": self.trace, "determinant": self.determinant, "condition": str(self.condition)})
        return [record]

    def document(self) -> Document:
        heading = []
        if self.parameters:
            heading.append("Parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items()))
        heading.append(f"Method: {self.summary()}")
        verdict = {True: "yes", False: "no", None: "undetermined"}[self.stable]
        rows = (("kind", self.kind), ("stable", verdict),
                *((f"eigenvalue {k}", value) for k, value in enumerate(self.eigenvalues, start=1)),
                ("trace −(m + n)", self.trace), ("determinant m·n − a·b", self.determinant),
                ("m·n > a·b and m + n > 0", str(self.condition)))
        return Document(f"{self.title}: stability", (Text(tuple(heading)), Table(("", "value"), rows)),
                        notes=tuple(self.messages))

    def _content(self) -> dict:
        return {"stable": self.stable, "kind": self.kind, "eigenvalues": [json_number(v) for v in self.eigenvalues],
                "trace": json_number(self.trace), "determinant": json_number(self.determinant),
                "condition": str(self.condition)}


# ---------------------------------------------------------------------- helpers
def _plain(value):
    """numpy scalars as Python numbers (JSON, CSV)."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if not value.is_integer() else f"{value:g}"
    return str(value)


def _describe_float(profile: MixedProfile) -> str:
    parts = []
    for player, labels, probs in zip(profile.players, profile.strategies, profile.probabilities):
        support = [(s, p) for s, p in zip(labels, probs) if p > 1e-9]
        if len(support) == 1 and support[0][1] > 1 - 1e-9:
            parts.append(f"{player}: {support[0][0]}")
        else:
            parts.append(f"{player}: " + " + ".join(f"{p:.4f} {s}" for s, p in support))
    return "; ".join(parts)


def _thinned(length: int, every: int) -> list:
    if not isinstance(every, int) or every < 1:
        raise DynamicsError(f"every {every!r}: expected a positive integer")
    indices = list(range(0, length, every))
    if indices[-1] != length - 1:
        indices.append(length - 1)
    return indices
