"""The results of evolutionary dynamics in populations: fixation probabilities of the Moran process
(:class:`FixationProbabilities`), rest points of the replicator–mutator equation (:class:`RestPoints`) and
the stochastically stable convention of a Kandori–Mailath–Rob chain (:class:`StochasticStability`).

The algorithms are in :mod:`negotiation.dynamics.evolution`,
:mod:`negotiation.dynamics.replicator_mutator` and :mod:`negotiation.dynamics.stochastic_stability`;
paths over time are :class:`~negotiation.results.dynamics.Trajectory` objects; the figures are in
:mod:`negotiation.report.evolution`.

Examples
--------
>>> import negotiation as ng
>>> game = ng.Game.from_arrays([[1, 1], [1, 1]], [[1, 1], [1, 1]], strategies=(("A", "B"), ("A", "B")))
>>> result = ng.fixation_probabilities(game, 10)
>>> result.rho("A", "B"), result.neutral
(Fraction(1, 10), Fraction(1, 10))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negotiation.core.document import Document, Table, Text
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number, json_number
from negotiation.results.base import Result

__all__ = ["EvolutionError", "FixationProbabilities", "RestPoint", "RestPoints", "StochasticStability"]


class EvolutionError(NegotiationError):
    """Bad input to an evolutionary dynamic: population size, selection intensity, mutation rates, the game."""


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, Fraction) and len(str(value)) > 24:  # long exact values: the JSON and CSV keep them
        return f"≈ {float(value):.6g}"
    return format_number(value)


def _heading(parameters: Mapping, summary: str) -> Text:
    lines = []
    if parameters:
        lines.append("Parameters: " + ", ".join(f"{k} = {_show(v)}" for k, v in parameters.items()))
    lines.append(f"Method: {summary}")
    return Text(tuple(lines))


# ---------------------------------------------------------------------- Moran process
@dataclass(frozen=True, eq=False)
class FixationProbabilities(Result):
    """Fixation probabilities of single mutants in a Moran process of a finite population.

    Attributes
    ----------
    strategies : tuple of str
        The labels of the strategies of the symmetric game.
    population : int
        The population size ``N``.
    selection : Fraction or float
        The intensity of selection ``w``: fitness is ``1 − w + w · (average payoff)``.
    probabilities : tuple of tuples
        ``probabilities[i][j]``: the probability that one mutant playing strategy ``j`` takes over a population
        of ``N − 1`` players of strategy ``i`` (``None`` on the diagonal).
    times : tuple of tuples
        ``times[i][j]``: the expected number of Moran steps (one birth and one death each) until one mutant
        ``j`` in a population of ``i`` is lost or fixed (``None`` on the diagonal, or where not computed).
    stationary : tuple
        The stationary distribution over the monomorphic populations in the limit of rare mutations
        (Fudenberg and Imhof 2006), one probability per strategy.
    payoffs : tuple of tuples
        The payoff matrix ``A`` of the symmetric game (row player's payoffs).
    exact : bool
        Every number is an exact rational.
    method : str
    parameters : mapping
        The model's parameter values.
    messages : tuple of str
    details : mapping
        For two strategies: the weak-selection condition for ``N`` and the one-third rule (see
        :func:`~negotiation.dynamics.evolution.fixation_probabilities`).
    title : str
    """

    strategies: tuple
    population: int
    selection: Any
    probabilities: tuple
    times: tuple
    stationary: tuple
    payoffs: tuple = ()
    exact: bool = True
    method: str = "moran_closed_form"
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict)
    title: str = "Moran process"

    complete = True

    @property
    def neutral(self):
        """``1/N``: the fixation probability of a mutant without any selective advantage."""
        return Fraction(1, self.population) if self.exact else 1.0 / self.population

    def _index(self, label) -> int:
        if label not in self.strategies:
            raise EvolutionError(f"unknown strategy {label!r} (strategies: {', '.join(self.strategies)})")
        return self.strategies.index(label)

    def rho(self, mutant, resident):
        """The probability that one ``mutant`` takes over a population of ``resident`` players."""
        i, j = self._index(resident), self._index(mutant)
        if i == j:
            raise EvolutionError(f"mutant and resident are both {mutant!r}: expected two different strategies")
        return self.probabilities[i][j]

    def time(self, mutant, resident):
        """The expected number of steps until one ``mutant`` among ``resident`` players is lost or fixed."""
        i, j = self._index(resident), self._index(mutant)
        return self.times[i][j]

    def to_records(self) -> list[dict]:
        """One record per (resident, mutant) pair: the fixation probability, its ratio to ``1/N`` (``relative to
        neutral``), whether
        selection favours the mutant (``ρ > 1/N``) and the expected absorption time."""
        records = []
        for i, resident in enumerate(self.strategies):
            for j, mutant in enumerate(self.strategies):
                if i == j:
                    continue
                rho = self.probabilities[i][j]
                records.append({"resident": resident, "mutant": mutant, "fixation probability": rho,
                                "relative to neutral": rho * self.population, "favoured": bool(rho > self.neutral),
                                "absorption time": self.times[i][j]})
        return records

    def document(self) -> Document:
        parameters = {"N": self.population, "w": self.selection, **self.parameters}
        rows = tuple((r["resident"], r["mutant"], _show(r["fixation probability"]), _show(r["relative to neutral"]),
                      "yes" if r["favoured"] else "no", _show(r["absorption time"])) for r in self.to_records())
        blocks = [_heading(parameters, self.summary()),
                  Table(("resident", "mutant", "ρ", "ρ·N", "ρ > 1/N", "E[steps]"), rows),
                  Text((("Rare mutations: the population spends these shares of time at each monomorphic state "
                         "(Fudenberg and Imhof 2006)."),)),
                  Table(("strategy", "share of time"),
                        tuple((s, _show(p)) for s, p in zip(self.strategies, self.stationary)))]
        extra = [f"{key}: {('yes' if value else 'no') if isinstance(value, bool) else value}"
                 for key, value in self.details.items() if isinstance(value, (str, bool))]
        if extra:
            blocks.append(Text(tuple(extra)))
        return Document(f"{self.title}: fixation probabilities", tuple(blocks), notes=tuple(self.messages))

    def _content(self) -> dict:
        return {"strategies": list(self.strategies), "population": self.population,
                "selection": json_number(self.selection),
                "fixation": [{key: (json_number(value) if not isinstance(value, (str, bool)) and value is not None
                                    else value) for key, value in record.items()} for record in self.to_records()],
                "stationary": dict(zip(self.strategies, (json_number(p) for p in self.stationary)))}


# ---------------------------------------------------------------------- replicator-mutator
@dataclass(frozen=True)
class RestPoint:
    """One rest point of the replicator–mutator equation.

    Attributes
    ----------
    shares : tuple
        The population share of each strategy (Fractions where exact, else floats).
    eigenvalues : tuple of complex
        Of the Jacobian restricted to the simplex (``k − 1`` of them for ``k`` strategies).
    stable : bool or None
        Asymptotically stable (every eigenvalue has a negative real part); ``None`` when an eigenvalue's real
        part is within the tolerance of 0.
    exact : bool
        The shares are exact rationals.
    """

    shares: tuple
    eigenvalues: tuple
    stable: bool | None
    exact: bool = False

    @property
    def kind(self) -> str:
        return {True: "stable", False: "unstable", None: "undecided"}[self.stable]


@dataclass(frozen=True, eq=False)
class RestPoints(Result):
    """The rest points of the replicator–mutator equation of a symmetric game and their stability.

    Attributes
    ----------
    strategies : tuple of str
    mutation : tuple of tuples
        The mutation matrix ``Q`` (``Q[i][j]``: the probability that the offspring of an ``i`` plays ``j``).
    payoffs : tuple of tuples
        The fitness matrix ``1 − w + w A`` of the symmetric game's payoffs ``A`` at intensity of selection ``w``
        (``A`` itself at ``w = 1``).
    points : tuple of RestPoint
    tolerance : float
        Shares within this of each other are one rest point; a real part within it of 0 leaves stability
        undecided.
    method : str
    exact : bool
        Every share is exact (two strategies with rational roots).
    complete : bool
        Every rest point is listed (two strategies: the roots of a cubic; more: a multi-start search, which
        may miss some).
    """

    strategies: tuple
    mutation: tuple
    points: tuple
    tolerance: float
    payoffs: tuple = ()
    method: str = "polynomial_roots"
    exact: bool = False
    complete: bool = True
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    title: str = "Replicator–mutator dynamics"

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self):
        return iter(self.points)

    def __getitem__(self, index) -> RestPoint:
        return self.points[index]

    @property
    def stable(self) -> tuple:
        """The asymptotically stable rest points."""
        return tuple(point for point in self.points if point.stable)

    def to_records(self) -> list[dict]:
        """One record per rest point: each strategy's share, the stability and the largest real part."""
        records = []
        for point in self.points:
            record = {f"share {label}": share for label, share in zip(self.strategies, point.shares)}
            record["stability"] = point.kind
            record["largest real part"] = max(float(e.real) for e in point.eigenvalues) if point.eigenvalues else None
            records.append(record)
        return records

    def document(self) -> Document:
        mutation = ", ".join("(" + ", ".join(_show(q) for q in row) + ")" for row in self.mutation)
        blocks = [_heading({**self.parameters, "Q": mutation}, self.summary())]
        records = self.to_records()
        if records:
            blocks.append(Table(tuple(records[0]), tuple(tuple(_show(v) if not isinstance(v, str) else v
                                                               for v in r.values()) for r in records)))
        blocks.append(Text((f"Tolerance: {self.tolerance:g} (shares and real parts of eigenvalues).",)))
        return Document(f"{self.title}: rest points", tuple(blocks), notes=tuple(self.messages))

    def _content(self) -> dict:
        return {"strategies": list(self.strategies),
                "mutation": [[json_number(q) for q in row] for row in self.mutation],
                "tolerance": self.tolerance,
                "rest_points": [{"shares": dict(zip(self.strategies, (json_number(s) for s in point.shares))),
                                 "stability": point.kind,
                                 "eigenvalues": [[float(e.real), float(e.imag)] for e in point.eigenvalues]}
                                for point in self.points]}


# ---------------------------------------------------------------------- KMR
@dataclass(frozen=True, eq=False)
class StochasticStability(Result):
    """The stochastically stable convention of a 2×2 symmetric coordination game in a population of ``N``
    (Kandori, Mailath and Rob 1993).

    Attributes
    ----------
    strategies : tuple of str
        ``(A, B)``: the two strategies (conventions "all A" and "all B").
    population : int
    payoffs : tuple
        ``(a, b, c, d)``: ``u(A, A), u(A, B), u(B, A), u(B, B)``.
    resistance : mapping
        ``{(from, to): mutations}``: the fewest simultaneous mutations that take the population from one
        recurrent state of the best-response dynamic into the basin of another; the states are labelled
        ``"all A"``, ``"all B"`` and, where payoffs tie, ``"z = k A"``.
    potential : mapping
        The stochastic potential of each recurrent state (Young 1993): the least total resistance of a tree
        of the recurrent states rooted at it.
    stable : tuple of str
        The recurrent states of least potential: the stochastically stable ones.
    risk_dominant : str or None
        The Harsanyi–Selten risk-dominant convention (``None``: neither).
    stationary : tuple
        ``((ε, (π_0, …, π_N)), …)``: the exact stationary distribution of the chain over the number ``z`` of
        A-players at each mutation rate ``ε``.
    """

    strategies: tuple
    population: int
    payoffs: tuple
    resistance: Mapping
    potential: Mapping
    stable: tuple
    risk_dominant: str | None
    stationary: tuple = ()
    method: str = "kmr_mutation_counting"
    exact: bool = True
    complete: bool = True
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict)
    title: str = "Stochastic stability (KMR)"

    def share_at(self, epsilon, state) -> Any:
        """The stationary probability of a convention (``"all A"``: z = N, ``"all B"``: z = 0) at ``epsilon``."""
        for value, distribution in self.stationary:
            if value == epsilon:
                return distribution[-1] if state == f"all {self.strategies[0]}" else distribution[0]
        raise EvolutionError(f"epsilon {epsilon!r}: no stationary distribution computed at it "
                             f"(computed at {', '.join(_show(e) for e, _ in self.stationary) or 'none'})")

    def to_records(self) -> list[dict]:
        """One record per recurrent state: its potential, whether stochastically stable, and its stationary
        probability at each computed mutation rate."""
        records = []
        for state, potential in self.potential.items():
            record = {"state": state, "potential": potential, "stochastically stable": state in self.stable}
            for epsilon, distribution in self.stationary:
                index = self._state_index(state)
                record[f"share at eps={_show(epsilon)}"] = distribution[index]
            records.append(record)
        return records

    def _state_index(self, state: str) -> int:
        if state == f"all {self.strategies[0]}":
            return self.population
        if state == f"all {self.strategies[1]}":
            return 0
        return int(state.split("=")[1].split()[0])

    def document(self) -> Document:
        a, b, c, d = self.payoffs
        parameters = {"N": self.population, "a": a, "b": b, "c": c, "d": d, **self.parameters}
        resistance = tuple((source, target, str(count)) for (source, target), count in self.resistance.items())
        records = self.to_records()
        blocks = [_heading(parameters, self.summary()),
                  Table(("from", "to", "mutations needed"), resistance),
                  Table(tuple(records[0]), tuple(tuple(v if isinstance(v, str) else
                                                       ("yes" if v is True else "no" if v is False else _show(v))
                                                       for v in r.values()) for r in records)),
                  Text((f"Stochastically stable: {', '.join(self.stable)}.",
                        f"Risk dominant (Harsanyi–Selten): {self.risk_dominant or 'neither'}."))]
        return Document(self.title, tuple(blocks), notes=tuple(self.messages))

    def _content(self) -> dict:
        return {"strategies": list(self.strategies), "population": self.population,
                "payoffs": dict(zip(("a", "b", "c", "d"), (json_number(v) for v in self.payoffs))),
                "resistance": [{"from": s, "to": t, "mutations": n} for (s, t), n in self.resistance.items()],
                "potential": dict(self.potential), "stable": list(self.stable),
                "risk_dominant": self.risk_dominant,
                "stationary": [{"epsilon": json_number(e), "distribution": [json_number(p) for p in dist]}
                               for e, dist in self.stationary]}
