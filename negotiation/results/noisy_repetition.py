"""Results of repeated games with noise: long-run payoffs of two automata, which pairs are equilibria, and
the critical discount factor as a function of the error rate.

* :class:`NoisyPayoffs` — :func:`negotiation.solvers.noisy_repetition.noisy_payoffs`.
* :class:`NoisyEquilibria` (one :class:`PairVerdict` per ordered pair of automata) —
  :func:`negotiation.solvers.noisy_repetition.noisy_equilibria`.
* :class:`CriticalDiscount` — :func:`negotiation.solvers.noisy_thresholds.critical_discount_under_noise`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negotiation.core.document import Document, Table, Text
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import json_number
from negotiation.results.base import Result
from negotiation.results.repeated import number_cell, number_text, word_cell

__all__ = ["NoisyRepetitionError", "NoisyPayoffs", "PairVerdict", "NoisyEquilibria", "CriticalDiscount",
           "noise_line"]

_YES_NO = {True: "yes", False: "no", None: "not checked"}


class NoisyRepetitionError(NegotiationError):
    """Bad input to a noisy repeated-game analysis (one line naming the argument and what was expected)."""


def _text(value) -> str:
    return "—" if value is None else number_text(value)


def _cell(value):
    return word_cell("—") if value is None else number_cell(value)


def noise_line(noise, perception, discount) -> str:
    """``Implementation errors ε = 1/10, perception errors ε' = 0, δ = 9/10``."""
    delta = "limit of means (δ → 1)" if discount is None else f"δ = {number_text(discount)}"
    return (f"Implementation errors ε = {number_text(noise)}, perception errors ε' = {number_text(perception)}, "
            f"{delta}")


@dataclass(frozen=True, eq=False)
class NoisyPayoffs(Result):
    """The long-run payoffs of two automata playing a repeated game with errors.

    Attributes
    ----------
    players : tuple of str
    automata : tuple of str
        The automaton of each player.
    noise, perception : number or sympy expression
        Implementation and perception error rates.
    discount : number, sympy expression or None
        δ of the discounted values (``None``: only the limit of the means).
    discounted : tuple or None
        Each player's normalised discounted value ``(1 − δ) π0 (I − δP)^{-1} u``.
    limit_of_means : tuple
        Each player's limit of the means from the start.
    states : tuple of str
        The reachable joint states, ``(state of the first, state of the second)``.
    frequencies : tuple
        The long-run share of each joint state from the start.
    classes : int
        Number of closed (recurrent) classes of the chain: 1 means one long run from every start.
    """

    players: tuple
    automata: tuple
    noise: Any
    perception: Any
    discount: Any
    discounted: Any
    limit_of_means: tuple
    states: tuple
    frequencies: tuple
    classes: int
    exact: bool = True
    messages: tuple = ()
    parameters: dict = field(default_factory=dict)
    method: str = "markov_chain"

    def value(self, player) -> Any:
        """The discounted value of ``player`` (label or index), or its limit of means without a δ."""
        index = self.players.index(player) if isinstance(player, str) else player
        return (self.discounted if self.discounted is not None else self.limit_of_means)[index]

    def to_records(self) -> list:
        return [{**self.parameters, "player": p, "automaton": a, "noise": self.noise, "perception": self.perception,
                 "discount": self.discount, "discounted value": None if self.discounted is None else self.discounted[i],
                 "limit of means": self.limit_of_means[i]}
                for i, (p, a) in enumerate(zip(self.players, self.automata))]

    def _content(self) -> dict:
        return {"automata": dict(zip(self.players, self.automata)), "noise": json_number(self.noise),
                "perception": json_number(self.perception), "discount": json_number(self.discount),
                "discounted": None if self.discounted is None else dict(zip(self.players,
                                                                              map(json_number, self.discounted))),
                "limit_of_means": dict(zip(self.players, map(json_number, self.limit_of_means))),
                "recurrent_classes": self.classes,
                "long_run_frequencies": dict(zip(self.states, map(json_number, self.frequencies)))}

    def document(self) -> Document:
        rows = tuple((p, a, _cell(None if self.discounted is None else self.discounted[i]),
                      number_cell(self.limit_of_means[i]))
                     for i, (p, a) in enumerate(zip(self.players, self.automata)))
        payoffs = Table(("player", "automaton", word_cell("discounted value (1 − δ)·Σ δ^t u_t"), "limit of means"),
                        rows)
        shares = Table(("joint state", "long-run share"),
                       tuple((s, number_cell(f)) for s, f in zip(self.states, self.frequencies)))
        heading = (noise_line(self.noise, self.perception, self.discount), f"Method: {self.summary()}")
        chain = ("One recurrent class: the long run is the same from every start." if self.classes == 1 else
                 f"{self.classes} recurrent classes: the chain is not ergodic; the limit of the means is the one "
                 "from the initial states (each class weighted by the probability of reaching it).")
        return Document(f"Noisy repeated game: {self.automata[0]} against {self.automata[1]}",
                        (Text(heading), payoffs, shares, Text((chain,))), notes=tuple(self.messages))


@dataclass(frozen=True)
class PairVerdict:
    """One ordered pair of automata: payoffs, and whether it is an equilibrium against the set and against
    all strategies (``None``: not checked)."""

    first: str
    second: str
    payoffs: tuple
    against_set: bool
    best_replies: Any = None
    against_all: Any = None

    def to_dict(self) -> dict:
        return {"first": self.first, "second": self.second, "payoffs": [json_number(v) for v in self.payoffs],
                "equilibrium_against_set": self.against_set,
                "best_reply_values": None if self.best_replies is None else [json_number(v)
                                                                             for v in self.best_replies],
                "equilibrium_against_all_strategies": self.against_all}


@dataclass(frozen=True, eq=False)
class NoisyEquilibria(Result):
    """Which pairs of automata are equilibria of the repeated game with errors.

    ``against_set`` compares each player's payoff with what every automaton of the set earns against the
    other's; ``against_all`` (public monitoring only: no perception errors, and a δ) compares it with the
    best reply among all strategies, the optimal value of the Markov decision problem on the other's states.
    """

    players: tuple
    automata: tuple
    noise: Any
    perception: Any
    discount: Any
    pairs: tuple
    all_strategies: bool
    exact: bool = True
    messages: tuple = ()
    parameters: dict = field(default_factory=dict)

    @property
    def method(self) -> str:
        return "markov_chain + policy_iteration" if self.all_strategies else "markov_chain"

    @property
    def equilibria(self) -> tuple:
        """The pairs that are equilibria (against all strategies where that was checked, else the set)."""
        return tuple(p for p in self.pairs if (p.against_all if self.all_strategies else p.against_set))

    def pair(self, first: str, second: str) -> PairVerdict:
        for entry in self.pairs:
            if (entry.first, entry.second) == (first, second):
                return entry
        raise NoisyRepetitionError(f"pair: ({first}, {second}) was not analysed")

    def to_records(self) -> list:
        records = []
        for p in self.pairs:
            record = {**self.parameters, f"automaton {self.players[0]}": p.first,
                      f"automaton {self.players[1]}": p.second, "noise": self.noise, "perception": self.perception,
                      "discount": self.discount}
            record.update({f"payoff {name}": v for name, v in zip(self.players, p.payoffs)})
            record["equilibrium against the set"] = p.against_set
            record.update({f"best reply value {name}": None if p.best_replies is None else p.best_replies[i]
                           for i, name in enumerate(self.players)})
            record["equilibrium against all strategies"] = p.against_all
            records.append(record)
        return records

    def _content(self) -> dict:
        return {"automata": list(self.automata), "noise": json_number(self.noise),
                "perception": json_number(self.perception), "discount": json_number(self.discount),
                "checked_against_all_strategies": self.all_strategies,
                "pairs": [p.to_dict() for p in self.pairs]}

    def document(self) -> Document:
        header = ("pair", *(word_cell(f"payoff {p}") for p in self.players), "against the set",
                  "against all strategies")
        rows = tuple((f"({p.first}, {p.second})", *(number_cell(v) for v in p.payoffs), _YES_NO[p.against_set],
                      _YES_NO[p.against_all]) for p in self.pairs)
        check = ("Equilibrium against all strategies: each payoff is at least the optimal value of the other's "
                 "automaton seen as a Markov decision problem (policy iteration, exact)." if self.all_strategies
                 else "Checked against the automata of the set only" + (
                     ": with perception errors monitoring is private, and a best reply to an automaton is not a "
                     "Markov decision problem on its states." if self.perception != 0 else
                     ": the check against all strategies needs a discount factor δ."))
        found = ", ".join(f"({p.first}, {p.second})" for p in self.equilibria) or "none"
        heading = (noise_line(self.noise, self.perception, self.discount), f"Method: {self.summary()}")
        return Document("Noisy repeated game: which pairs of automata are equilibria",
                        (Text(heading), Table(header, rows), Text((check, f"Equilibria: {found}"))),
                        notes=tuple(self.messages))


@dataclass(frozen=True, eq=False)
class CriticalDiscount(Result):
    """The critical discount factor δ*(ε) above which both players keeping ``automaton`` is an equilibrium.

    Attributes
    ----------
    automaton : str
    deviations : str
        What was checked: ``"all strategies"`` (every stationary policy on the automaton's states: the best
        replies of the Markov decision problem) or the names of the automata compared.
    noise : number or None
        The implementation error rate asked for (``None``: only the formula and the curve).
    perception : number
    threshold : number, sympy algebraic number or None
        δ*(ε) at ``noise``: for every δ in [δ*, 1) the pair is an equilibrium; ``None`` when no δ < 1 is.
    formula : sympy expression or None
        δ* as a function of the symbol ``epsilon``, on the branch that binds near ``formula_at``.
    curve : tuple of (ε, δ* or None)
        δ* at rational error rates (the figure).
    conditions : tuple of str
        Each constraint, ``player vs deviation: numerator ≥ 0``.
    """

    automaton: str
    players: tuple
    deviations: str
    noise: Any
    perception: Any
    threshold: Any
    formula: Any
    formula_at: Any
    curve: tuple
    conditions: tuple = ()
    messages: tuple = ()
    parameters: dict = field(default_factory=dict)
    method: str = "markov_chain + symbolic_discount"

    def to_records(self) -> list:
        return [{**self.parameters, "automaton": self.automaton, "perception": self.perception, "noise": eps,
                 "critical discount": None if delta is None else (delta if _rational(delta) else float(delta)),
                 "sustained for some discount below 1": delta is not None}
                for eps, delta in self.curve]

    def _content(self) -> dict:
        return {"automaton": self.automaton, "deviations": self.deviations, "noise": json_number(self.noise),
                "perception": json_number(self.perception),
                "critical_discount": _json_algebraic(self.threshold),
                "formula": None if self.formula is None else str(self.formula),
                "formula_binding_near": json_number(self.formula_at),
                "conditions": list(self.conditions),
                "curve": [{"noise": json_number(e), "critical_discount": _json_algebraic(d)} for e, d in self.curve]}

    def document(self) -> Document:
        heading = [f"Both players use {self.automaton}; deviations checked: {self.deviations}",
                   f"Perception errors ε' = {number_text(self.perception)}", f"Method: {self.summary()}"]
        lines = []
        if self.noise is not None:
            shown = ("none: no δ < 1 sustains the pair" if self.threshold is None else
                     f"{_algebraic_text(self.threshold)}")
            lines.append(f"At ε = {number_text(self.noise)}: δ* = {shown}")
        if self.formula is not None:
            lines.append(f"δ*(ε) = {self.formula}   (the binding condition near ε = {number_text(self.formula_at)})")
        rows = tuple((number_cell(e), word_cell("none (no δ < 1)") if d is None else
                      (number_cell(d) if _rational(d) else word_cell(f"≈{float(d):.6g}")))
                     for e, d in self.curve)
        blocks = [Text(tuple(heading)), Text(tuple(lines) or ("",)),
                  Table(("ε", word_cell("critical δ*(ε)")), rows)]
        if self.conditions:
            blocks.append(Text(("Conditions (each must be ≥ 0):", *self.conditions)))
        return Document(f"Critical discount factor under noise: {self.automaton}", tuple(blocks),
                        notes=tuple(self.messages))


def _rational(value) -> bool:
    return isinstance(value, (int, Fraction))


def _algebraic_text(value) -> str:
    if _rational(value):
        return number_text(value)
    return f"{value} ≈ {float(value):.6g}"


def _json_algebraic(value):
    if value is None or _rational(value):
        return json_number(value)
    return {"exact": str(value), "approximately": float(value)}
