"""Results of signaling games: belief sets, the intuitive criterion, pure perfect Bayesian equilibria.

:class:`SignalingResult` is what ``ng.solve`` returns for a :class:`~negotiation.models.signaling.SignalingGame`
(:func:`negotiation.solvers.signaling.pure_pbe`): every pure PBE with its strategies, its beliefs (the
Bayes posterior on the path, a :class:`BeliefSet` off it) and, where applied, the verdict of Cho &
Kreps's intuitive criterion (an :class:`IntuitiveCriterionResult`, also what
:func:`negotiation.solvers.signaling.intuitive_criterion` returns). Both follow the one result protocol
(:class:`~negotiation.results.base.Result`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from negotiation.core.document import Cell, Document, Table, Text, latex_escape
from negotiation.core.numeric import format_number, json_number
from negotiation.models.signaling import SignalingError
from negotiation.results.base import EquilibriumList, Result

__all__ = ["BeliefSet", "MessageTest", "IntuitiveCriterionResult", "SignalingEquilibrium", "SignalingResult",
           "SCOPE"]

#: What every result of :func:`~negotiation.solvers.signaling.pure_pbe` says about its scope.
SCOPE = "pure PBE only: mixed and hybrid equilibria are not searched (complete for pure strategies)"


# ---------------------------------------------------------------------- belief sets
@dataclass(frozen=True)
class BeliefSet:
    """The beliefs after an off-path message under which the receiver's response is a best reply.

    The set is ``{μ in the type simplex : Σ_t μ(t) · coefficients[k][t] >= 0 for every k}``,
    where row ``k`` compares the prescribed response with ``alternatives[k]``
    (``u_R(t, m, response) − u_R(t, m, alternative)``). It is a polytope; ``vertices`` are its
    corners (exact for exact games).

    Examples
    --------
    >>> import negotiation as ng
    >>> from fractions import Fraction
    >>> from negotiation.models.signaling import beer_quiche
    >>> beliefs = ng.solve(beer_quiche())[1].belief("Beer")
    >>> beliefs.interval("Weak"), beliefs.contains({"Strong": Fraction(1, 3), "Weak": Fraction(2, 3)})
    ((Fraction(1, 2), Fraction(1, 1)), True)
    """

    message: str
    response: str
    types: tuple
    vertices: tuple
    alternatives: tuple = ()
    coefficients: tuple = ()

    @property
    def is_empty(self) -> bool:
        return not self.vertices

    @property
    def is_everything(self) -> bool:
        """Every belief supports the response (no constraint binds on the simplex)."""
        return all(c >= 0 for row in self.coefficients for c in row)

    def interval(self, type_label: str) -> tuple:
        """``(lowest, highest)`` probability of ``type_label`` over the set (its projection)."""
        if self.is_empty:
            raise SignalingError(f"the belief set after {self.message!r} is empty")
        t = self.types.index(type_label)
        values = [v[t] for v in self.vertices]
        return (min(values), max(values))

    def intervals(self) -> dict:
        """``{type: (lowest, highest)}``; with two types the set is exactly this interval."""
        return {t: self.interval(t) for t in self.types}

    def contains(self, belief: Mapping, tolerance: float = 0) -> bool:
        """Whether ``{type: probability}`` (a point of the simplex) lies in the set."""
        mu = [belief.get(t, 0) for t in self.types]
        if any(p < -tolerance for p in mu) or abs(sum(mu) - 1) > tolerance:
            return False
        return all(sum(c * p for c, p in zip(row, mu)) >= -tolerance for row in self.coefficients)

    def inequalities(self) -> list[str]:
        """The constraints as text, e.g. ``"-μ(Strong) + μ(Weak) ≥ 0"`` (those every belief satisfies omitted)."""
        out = []
        for row in self.coefficients:
            if all(c >= 0 for c in row):
                continue
            out.append(_linear_text(row, [f"μ({t})" for t in self.types]) + " ≥ 0")
        return out

    def describe(self) -> str:
        """``μ(Weak | Beer) ∈ [1/2, 1]`` (two types), ``any belief``, or the inequalities."""
        if self.is_empty:
            return "no belief"
        if self.is_everything:
            return "any belief"
        if len(self.types) == 2:
            low, high = self.interval(self.types[-1])
            return f"μ({self.types[-1]} | {self.message}) ∈ [{format_number(low)}, {format_number(high)}]"
        return "; ".join(self.inequalities())

    def to_dict(self) -> dict:
        data = {
            "on_path": False,
            "any": self.is_everything,
            "intervals": {t: [json_number(lo), json_number(hi)] for t, (lo, hi) in self.intervals().items()}
            if not self.is_empty else {},
            "inequalities": self.inequalities(),
            "vertices": [{t: json_number(p) for t, p in zip(self.types, v)} for v in self.vertices],
            "text": self.describe(),
        }
        return data


def _linear_text(row, names) -> str:
    parts = []
    for c, name in zip(row, names):
        if c == 0:
            continue
        sign = "-" if c < 0 else "+"
        size = abs(c)
        term = name if size == 1 else f"{format_number(size)}·{name}"
        parts.append((sign, term))
    if not parts:
        return "0"
    text = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    for sign, term in parts[1:]:
        text += f" {sign} {term}"
    return text


# ---------------------------------------------------------------------- the intuitive criterion
@dataclass(frozen=True)
class MessageTest:
    """The intuitive criterion at one off-path message.

    Attributes
    ----------
    message : str
    dominated : tuple of str
        Types for which the message is equilibrium-dominated: their equilibrium payoff is
        strictly above the most they can get from it under any best response to any belief.
    responses : tuple of str
        The receiver's best responses to beliefs concentrated on the other types.
    deviators : tuple of str
        Types that get strictly more than their equilibrium payoff from the message under
        every one of those responses. The equilibrium fails the test at this message iff
        there is one.
    reason : str
    """

    message: str
    dominated: tuple
    responses: tuple
    deviators: tuple
    reason: str

    @property
    def fails(self) -> bool:
        return bool(self.deviators)

    def to_dict(self) -> dict:
        return {"message": self.message, "dominated": list(self.dominated), "responses": list(self.responses),
                "deviators": list(self.deviators), "fails": self.fails, "reason": self.reason}


@dataclass(frozen=True)
class IntuitiveCriterionResult(Result):
    """Whether an equilibrium survives Cho & Kreps's (1987) intuitive criterion, and why.

    What :func:`~negotiation.solvers.signaling.intuitive_criterion` returns, and what each
    :class:`SignalingEquilibrium` carries as ``intuitive``.

    Attributes
    ----------
    survives : bool
    tests : tuple of MessageTest
        The test at each off-path message.
    reason : str
    equilibrium : str
        The equilibrium tested (``Strong → Beer, Weak → Beer; Beer → NotDuel, Quiche → Duel``).
    exact : bool
        The payoff comparisons were exact.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.models.signaling import beer_quiche
    >>> game = beer_quiche()
    >>> test = ng.intuitive_criterion(game, ng.pure_pbe(game, intuitive=False)[1])
    >>> print(test.to_text().splitlines()[1])
    Equilibrium: Strong → Quiche, Weak → Quiche; Beer → Duel, Quiche → NotDuel
    """

    survives: bool
    tests: tuple
    reason: str
    equilibrium: str = ""
    exact: bool = True

    method = "intuitive_criterion"

    def _content(self) -> dict:
        """``survives``, ``reason`` and the test at each off-path message (under ``messages``, as in the
        equilibria of ``negotiation solve --format json``)."""
        return {"survives": self.survives, "reason": self.reason, "messages": [t.to_dict() for t in self.tests]}

    def to_records(self) -> list[dict]:
        """One flat dict per off-path message tested."""
        return [{"message": t.message, "dominated": ", ".join(t.dominated), "responses": ", ".join(t.responses),
                 "deviators": ", ".join(t.deviators), "fails": t.fails, "reason": t.reason} for t in self.tests]

    def document(self) -> Document:
        heading = ((f"Equilibrium: {self.equilibrium}",) if self.equilibrium else ()) + (
            self.reason[:1].upper() + self.reason[1:],)
        blocks = [Text(heading)]
        if self.tests:
            blocks.append(Table(("message", "equilibrium-dominated types", "best replies", "deviators", "fails"),
                                tuple((t.message, ", ".join(t.dominated) or "none", ", ".join(t.responses) or "—",
                                       ", ".join(t.deviators) or "none", t.fails) for t in self.tests)))
        return Document("Intuitive criterion (Cho & Kreps 1987)", tuple(blocks),
                        empty="Every message is on the path: nothing to test.")


# ---------------------------------------------------------------------- equilibria
@dataclass(frozen=True, eq=False)
class SignalingEquilibrium:
    """One pure perfect Bayesian equilibrium of a signaling game.

    Attributes
    ----------
    game : SignalingGame
    sender_choice : tuple of int
        Index of the message each type sends.
    receiver_choice : tuple of int
        Index of the response after each message.
    beliefs : tuple
        Per message: the Bayes posterior (a tuple of probabilities, one per type) on the
        path, or a :class:`BeliefSet` off the path.
    sender_payoffs : tuple
        Each type's payoff.
    receiver_payoff : Fraction or float
        The receiver's expected payoff (over the prior).
    intuitive : IntuitiveCriterionResult or None
    """

    game: Any = field(repr=False)
    sender_choice: tuple
    receiver_choice: tuple
    beliefs: tuple = field(repr=False)
    sender_payoffs: tuple
    receiver_payoff: Any
    intuitive: IntuitiveCriterionResult | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        """``"pooling"`` (all types send one message), ``"separating"`` (all different) or
        ``"semi-separating"`` (partial pooling: some types pool, others do not)."""
        distinct = len(set(self.sender_choice))
        if distinct == 1:
            return "pooling"
        if distinct == len(self.sender_choice):
            return "separating"
        return "semi-separating"

    @property
    def sender_strategy(self) -> dict:
        """``{type: message}``."""
        return {t: self.game.messages[m] for t, m in zip(self.game.types, self.sender_choice)}

    @property
    def receiver_strategy(self) -> dict:
        """``{message: response}``."""
        return {m: self.game.responses[j][a] for j, (m, a) in enumerate(zip(self.game.messages,
                                                                             self.receiver_choice))}

    @property
    def on_path(self) -> tuple:
        """Messages sent with positive probability."""
        return tuple(m for m, b in zip(self.game.messages, self.beliefs) if not isinstance(b, BeliefSet))

    @property
    def off_path(self) -> tuple:
        return tuple(m for m, b in zip(self.game.messages, self.beliefs) if isinstance(b, BeliefSet))

    def belief(self, message: str):
        """``{type: probability}`` after an on-path message, a :class:`BeliefSet` after an off-path one."""
        value = self.beliefs[self.game._message_index(message)]
        if isinstance(value, BeliefSet):
            return value
        return dict(zip(self.game.types, value))

    @property
    def payoffs(self) -> dict:
        """``{type: sender payoff}`` and the receiver's expected payoff under its label."""
        out = {f"{self.game.sender} ({t})": v for t, v in zip(self.game.types, self.sender_payoffs)}
        out[self.game.receiver] = self.receiver_payoff
        return out

    @property
    def sender_expected_payoff(self):
        """The sender's ex-ante expected payoff."""
        return sum(p * v for p, v in zip(self.game.prior, self.sender_payoffs))

    def describe_strategies(self) -> str:
        """``Strong → Beer, Weak → Beer; Beer → NotDuel, Quiche → Duel``."""
        sender = ", ".join(f"{t} → {m}" for t, m in self.sender_strategy.items())
        receiver = ", ".join(f"{m} → {a}" for m, a in self.receiver_strategy.items())
        return f"{sender}; {receiver}"

    def belief_text(self, message: str) -> str:
        value = self.belief(message)
        if isinstance(value, BeliefSet):
            return f"off path: {value.describe()}"
        return "on path: " + ", ".join(f"{t} {format_number(p)}" for t, p in value.items())

    def to_dict(self) -> dict:
        game = self.game
        beliefs = {}
        for m, value in zip(game.messages, self.beliefs):
            if isinstance(value, BeliefSet):
                beliefs[m] = value.to_dict()
            else:
                beliefs[m] = {"on_path": True, "belief": {t: json_number(p) for t, p in zip(game.types, value)}}
        data = {
            "kind": self.kind,
            "sender": self.sender_strategy,
            "receiver": self.receiver_strategy,
            "beliefs": beliefs,
            "payoffs": {game.sender: {t: json_number(v) for t, v in zip(game.types, self.sender_payoffs)},
                        game.receiver: json_number(self.receiver_payoff)},
            "sender_expected_payoff": json_number(self.sender_expected_payoff),
        }
        if self.intuitive is not None:
            data["intuitive_criterion"] = self.intuitive._content()
        return data


# ---------------------------------------------------------------------- the result
@dataclass(frozen=True, eq=False)
class SignalingResult(EquilibriumList, Result):
    """The pure perfect Bayesian equilibria of one numeric signaling game, and how they were obtained.

    Behaves as a sequence of :class:`SignalingEquilibrium`.

    Attributes
    ----------
    game : SignalingGame
    equilibria : tuple of SignalingEquilibrium
    method : str
        ``"pure_pbe"``.
    exact : bool
    complete : bool
        Every pure PBE is listed (mixed ones are not searched; see ``messages``).
    parameters : mapping
    messages : tuple of str
    details : mapping

    Examples
    --------
    One column per equilibrium:

    >>> import negotiation as ng
    >>> from negotiation.models.signaling import beer_quiche
    >>> text = ng.solve(beer_quiche()).to_text()
    >>> print("\\n".join(text.splitlines()[:-2]))
    Beer–quiche (Cho & Kreps 1987)
    Method: pure_pbe (exact, complete for pure strategies)
    <BLANKLINE>
                            PBE 1                                  PBE 2
    ----------------------  -------------------------------------  -----------------------------------
    kind                    pooling                                pooling
    Sender if Strong        Beer                                   Quiche
    Sender if Weak          Beer                                   Quiche
    Receiver after Beer     NotDuel                                Duel
    Receiver after Quiche   Duel                                   NotDuel
    belief after Beer       on path: Strong 9/10, Weak 1/10        off path: μ(Weak | Beer) ∈ [1/2, 1]
    belief after Quiche     off path: μ(Weak | Quiche) ∈ [1/2, 1]  on path: Strong 9/10, Weak 1/10
    payoff Sender (Strong)  3                                      2
    payoff Sender (Weak)    2                                      3
    payoff Receiver         9/10                                   9/10
    intuitive criterion     survives                               fails
    >>> text.splitlines()[-1]
    'Note: pure PBE only: mixed and hybrid equilibria are not searched (complete for pure strategies)'
    """

    game: Any = field(repr=False)
    equilibria: tuple
    method: str
    exact: bool
    complete: bool
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict, repr=False)

    @property
    def pooling(self) -> tuple:
        return tuple(e for e in self.equilibria if e.kind == "pooling")

    @property
    def separating(self) -> tuple:
        return tuple(e for e in self.equilibria if e.kind == "separating")

    @property
    def surviving(self) -> tuple:
        """The equilibria that survive the intuitive criterion (all, if it was not applied)."""
        return tuple(e for e in self.equilibria if e.intuitive is None or e.intuitive.survives)

    def _content(self) -> dict:
        """The JSON object of ``negotiation solve --format json`` for a signaling game."""
        game = self.game
        return {
            "game": {"title": game.title, "players": [game.sender, game.receiver], "sender": game.sender,
                     "receiver": game.receiver, "types": list(game.types),
                     "prior": {t: json_number(p) for t, p in zip(game.types, game.prior)},
                     "messages": list(game.messages),
                     "responses": {m: list(r) for m, r in zip(game.messages, game.responses)}},
            "scope": "pure",
            "equilibria": [e.to_dict() for e in self.equilibria],
        }

    def to_records(self) -> list[dict]:
        """One flat dict per equilibrium: parameters, kind, strategies, beliefs (lowest and highest
        probability of each type; equal on the path), payoffs, intuitive criterion."""
        game = self.game
        records = []
        for number, e in enumerate(self.equilibria, start=1):
            record = dict(self.parameters)
            record["equilibrium"] = number
            record["kind"] = e.kind
            for t, m in e.sender_strategy.items():
                record[f"{game.sender}: {t}"] = m
            for m, a in e.receiver_strategy.items():
                record[f"{game.receiver}: {m}"] = a
            for m, value in zip(game.messages, e.beliefs):
                record[f"on path: {m}"] = not isinstance(value, BeliefSet)
                for t_index, t in enumerate(game.types):
                    if isinstance(value, BeliefSet):
                        low, high = value.interval(t)
                    else:
                        low = high = value[t_index]
                    record[f"belief min {t} | {m}"] = low
                    record[f"belief max {t} | {m}"] = high
            for t, v in zip(game.types, e.sender_payoffs):
                record[f"payoff {game.sender} ({t})"] = v
            record[f"payoff {game.receiver}"] = e.receiver_payoff
            record["intuitive criterion"] = None if e.intuitive is None else e.intuitive.survives
            records.append(record)
        return records

    def table(self) -> Table:
        """One column per equilibrium: kind, strategies, beliefs, payoffs, the intuitive criterion."""
        game, equilibria = self.game, self.equilibria
        header = ("", *(f"PBE {k}" for k in range(1, len(equilibria) + 1)))
        rows = [("kind", *(e.kind for e in equilibria))]
        rows += [(f"{game.sender} if {t}", *(e.sender_strategy[t] for e in equilibria)) for t in game.types]
        rows += [(f"{game.receiver} after {m}", *(e.receiver_strategy[m] for e in equilibria)) for m in game.messages]
        rows += [(f"belief after {m}", *(_belief_cell(e.belief_text(m)) for e in equilibria)) for m in game.messages]
        rows += [(f"payoff {game.sender} ({t})", *(e.sender_payoffs[i] for e in equilibria))
                 for i, t in enumerate(game.types)]
        rows.append((f"payoff {game.receiver}", *(e.receiver_payoff for e in equilibria)))
        if any(e.intuitive is not None for e in equilibria):
            rows.append(("intuitive criterion", *(_NOT_APPLIED if e.intuitive is None else
                                                  ("survives" if e.intuitive.survives else "fails")
                                                  for e in equilibria)))
        return Table(header, tuple(rows))

    def document(self) -> Document:
        heading = []
        if self.parameters:
            heading.append("Parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items()))
        flags = ["exact" if self.exact else "floating point",
                 "complete for pure strategies" if self.complete else "not necessarily complete"]
        heading.append(f"Method: {self.method} ({', '.join(flags)})")
        notes = [f"PBE {k}: {e.intuitive.reason}." for k, e in enumerate(self.equilibria, start=1)
                 if e.intuitive is not None and not e.intuitive.survives]
        return Document(self.game.title or "Signaling game",
                        (Text(tuple(heading)), *((self.table(),) if self.equilibria else ())),
                        notes=(*notes, *self.messages), empty="No pure perfect Bayesian equilibrium.")


#: The intuitive criterion was not applied to this equilibrium.
_NOT_APPLIED = Cell("—", "--")


def _belief_cell(text: str) -> Cell:
    """A belief as text, and in LaTeX with its symbols in math mode (μ, ∈, |, ·)."""
    latex = latex_escape(text).replace("∈", "$\\in$").replace("|", "$\\mid$").replace("·", "$\\cdot$")
    return Cell(text, latex)
