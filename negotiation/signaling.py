"""Signaling games and their pure perfect Bayesian equilibria.

A *signaling game* has two players. Nature draws the sender's *type* from a
common prior; the sender learns its type and sends a *message* (a signal);
the receiver sees the message, not the type, and chooses a *response*. Both
payoffs depend on the type, the message and the response: ``u_S(t, m, a)``
and ``u_R(t, m, a)``.

A pure *perfect Bayesian equilibrium* (PBE) is a sender strategy (type →
message), a receiver strategy (message → response) and beliefs (for each
message, a distribution over types) such that

* every type's message is optimal given the receiver's strategy;
* after every message, the receiver's response is optimal given its belief;
* beliefs after messages that some type with positive prior sends (*on the
  path*) follow from the prior by Bayes' rule; beliefs after the other
  messages (*off the path*) are unrestricted.

In a signaling game every off-path belief can be reached by trembles, so these
PBE are also the sequential equilibria of the game (Fudenberg & Tirole, *Game
Theory*, 1991, ch. 8). :func:`pure_pbe` lists all of them: for each off-path
message it gives the whole *set* of beliefs that support the receiver's
response there (a polytope in the type simplex: an interval for each type's
probability when there are two types, linear inequalities in general), and the
equilibrium exists iff every such set is non-empty and no type gains by
changing its message. :func:`intuitive_criterion` applies Cho & Kreps's
(1987) refinement.

Mixed (and hybrid, semi-separating-in-mixed-strategies) equilibria are not
searched: results say "pure PBE only" and are complete for pure strategies.

Examples
--------
The beer–quiche game (Cho & Kreps 1987, QJE 102(2):179–221): the sender is strong
with probability 9/10, the receiver wants to duel only the weak type.

>>> game = beer_quiche()
>>> result = pure_pbe(game)
>>> [(e.kind, e.sender_strategy["Strong"], e.intuitive.survives) for e in result]
[('pooling', 'Beer', True), ('pooling', 'Quiche', False)]
>>> result[1].belief("Beer").describe()
'μ(Weak | Beer) ∈ [1/2, 1]'
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from negotiation.results.base import EquilibriumList, Tabular
from negotiation.core.numeric import coerce_number, format_number, json_number, is_sympy as _is_sympy
from negotiation.core.parameters import ParameterSpace
from negotiation.core.errors import NegotiationError

__all__ = ["SignalingGame", "SignalingError", "SignalingEquilibrium", "SignalingResult", "BeliefSet",
           "IntuitiveCriterionResult", "MessageTest", "pure_pbe", "intuitive_criterion", "to_tree",
           "beer_quiche"]

SCHEMA = "negotiation.signaling/1"
#: Float payoffs and probabilities: comparisons use this tolerance (times the largest absolute payoff, at least 1).
TOLERANCE = 1e-9
#: Largest number of pure strategy profiles (sender strategies × receiver strategies) :func:`pure_pbe` enumerates.
MAX_PROFILES = 2_000_000
#: What every result says about its scope.
SCOPE = "pure PBE only: mixed and hybrid equilibria are not searched (complete for pure strategies)"


class SignalingError(NegotiationError):
    """A signaling game was given inconsistent or invalid data (one-line message)."""


# ---------------------------------------------------------------------- the game
@dataclass(frozen=True, eq=False)
class SignalingGame:
    """A sender–receiver signaling game with labelled types, messages and responses.

    Parameters
    ----------
    sender, receiver : str
        Player labels.
    types : sequence of str
        The sender's types.
    prior : sequence or mapping
        Probability of each type (in ``types`` order, or ``{type: probability}``):
        ``Fraction``/int/``"p/q"`` strings (exact), floats, or sympy expressions in
        declared parameters. Must be nonnegative and sum to one.
    messages : sequence of str
        The sender's messages (signals).
    responses : sequence of str, or mapping
        The receiver's responses: one list for every message, or ``{message: [responses]}``.
    payoffs : mapping
        ``{(type, message, response): (sender payoff, receiver payoff)}`` or the nested
        ``{type: {message: {response: (sender payoff, receiver payoff)}}}``; every
        combination exactly once. Numbers or sympy expressions.
    title : str
    parameters : ParameterSpace, optional
        Declared parameters of a symbolic game (default: the free symbols, undeclared).
    values : mapping, optional
        Parameter values a numeric game was obtained with (recorded in results).

    After construction, ``prior`` is a tuple in ``types`` order, ``responses`` a tuple of
    tuples (one per message) and ``payoffs`` a nested tuple ``payoffs[t][m][a] =
    (sender payoff, receiver payoff)`` by indices.

    Examples
    --------
    >>> game = SignalingGame("Worker", "Firm", ("High", "Low"), ("1/2", "1/2"), ("Educate", "Skip"),
    ...     ("Manager", "Clerk"),
    ...     {("High", "Educate", "Manager"): (3, 1), ("High", "Educate", "Clerk"): (1, 0),
    ...      ("High", "Skip", "Manager"): (4, 1), ("High", "Skip", "Clerk"): (2, 0),
    ...      ("Low", "Educate", "Manager"): (0, 0), ("Low", "Educate", "Clerk"): (-1, 1),
    ...      ("Low", "Skip", "Manager"): (3, 0), ("Low", "Skip", "Clerk"): (1, 1)}, title="Job market")
    >>> game
    SignalingGame('Job market', sender='Worker' with types High, Low; messages Educate, Skip; receiver='Firm'; exact)
    >>> game.payoff("Low", "Skip", "Clerk")
    (Fraction(1, 1), Fraction(1, 1))
    """

    sender: str
    receiver: str
    types: tuple
    prior: tuple
    messages: tuple
    responses: tuple
    payoffs: tuple = field(repr=False)
    title: str = ""
    parameters: ParameterSpace = field(default_factory=ParameterSpace, repr=False)
    values: Mapping = field(default_factory=dict, repr=False)

    def __post_init__(self):
        sender = _label(self.sender, "sender")
        receiver = _label(self.receiver, "receiver")
        if sender == receiver:
            raise SignalingError(f"receiver: {receiver!r} is also the sender; use two different labels")
        types = _labels(self.types, "types")
        messages = _labels(self.messages, "messages")
        responses = self.responses
        if isinstance(responses, Mapping):
            unknown = [m for m in responses if m not in messages]
            if unknown:
                raise SignalingError(f"responses: unknown message {unknown[0]!r} (messages: {', '.join(messages)})")
            missing = [m for m in messages if m not in responses]
            if missing:
                raise SignalingError(f"responses: no responses given after message {missing[0]!r}")
            responses = tuple(_labels(responses[m], f"responses after {m!r}") for m in messages)
        elif isinstance(responses, (list, tuple)) and responses and all(isinstance(r, (list, tuple))
                                                                        for r in responses):
            if len(responses) != len(messages):
                raise SignalingError(f"responses: {len(responses)} lists given for {len(messages)} messages "
                                     "(give one list for all messages, or one per message)")
            responses = tuple(_labels(r, f"responses after {m!r}") for m, r in zip(messages, responses))
        else:
            shared = _labels(responses, "responses")
            responses = tuple(shared for _ in messages)
        prior = self.prior
        if isinstance(prior, Mapping):
            unknown = [t for t in prior if t not in types]
            if unknown:
                raise SignalingError(f"prior: unknown type {unknown[0]!r} (types: {', '.join(types)})")
            missing = [t for t in types if t not in prior]
            if missing:
                raise SignalingError(f"prior: no probability for type {missing[0]!r}")
            prior = [prior[t] for t in types]
        if not isinstance(prior, (list, tuple)) or len(prior) != len(types):
            count = len(prior) if isinstance(prior, (list, tuple)) else 1
            raise SignalingError(f"prior: {count} probabilities given for {len(types)} types ({', '.join(types)})")
        prior = [_entry(p, f"prior of type {t!r}") for t, p in zip(types, prior)]
        table = _payoff_table(self.payoffs, types, messages, responses)
        flat = prior + [v for t in table for m in t for pair in m for v in pair]
        if any(_is_sympy(v) for v in flat):
            kind = "symbolic"
        elif any(isinstance(v, float) for v in flat):
            kind = "float"
        else:
            kind = "exact"
        parameters = self.parameters if self.parameters is not None else ParameterSpace()
        if kind == "symbolic":
            free = set().union(*(v.free_symbols for v in flat if _is_sympy(v)))
            names = {s.name for s in free}
            if not parameters.parameters:
                parameters = ParameterSpace.from_names(sorted(names))
            undeclared = sorted(names - set(parameters.names))
            if undeclared:
                raise SignalingError(f"undeclared parameter {undeclared[0]!r} "
                                     f"(declared: {', '.join(parameters.names) or 'none'})")
            by_name = parameters.symbols
            replacement = {s: by_name[s.name] for s in free if s != by_name[s.name]}
            if replacement:
                prior = [p.xreplace(replacement) if _is_sympy(p) else p for p in prior]
                table = [[[tuple(v.xreplace(replacement) if _is_sympy(v) else v for v in pair) for pair in row]
                          for row in by_type] for by_type in table]
        elif kind == "float":
            prior = [float(p) for p in prior]
            table = [[[tuple(float(v) for v in pair) for pair in row] for row in by_type] for by_type in table]
        _check_prior(prior, types, kind)
        object.__setattr__(self, "sender", sender)
        object.__setattr__(self, "receiver", receiver)
        object.__setattr__(self, "types", types)
        object.__setattr__(self, "messages", messages)
        object.__setattr__(self, "responses", responses)
        object.__setattr__(self, "prior", tuple(prior))
        object.__setattr__(self, "payoffs", tuple(tuple(tuple(row) for row in by_type) for by_type in table))
        object.__setattr__(self, "parameters", parameters)
        object.__setattr__(self, "values", dict(self.values or {}))
        object.__setattr__(self, "_arithmetic", kind)

    # ------------------------------------------------------------------ queries
    @property
    def players(self) -> tuple:
        """``(sender, receiver)``."""
        return (self.sender, self.receiver)

    #: The kind of model (the ``kind`` of its scenario files; ``kind`` always names the sort of a thing).
    kind = "signaling"

    @property
    def arithmetic(self) -> str:
        """``"exact"``, ``"float"`` or ``"symbolic"``: the numbers the model holds."""
        return self._arithmetic

    @property
    def is_exact(self) -> bool:
        return self._arithmetic == "exact"

    @property
    def is_symbolic(self) -> bool:
        return self._arithmetic == "symbolic"

    def prior_of(self, type_label: str):
        """Prior probability of one type."""
        return self.prior[self._type_index(type_label)]

    def responses_to(self, message: str) -> tuple:
        """The receiver's responses after ``message``."""
        return self.responses[self._message_index(message)]

    def payoff(self, type_label: str, message: str, response: str) -> tuple:
        """``(sender payoff, receiver payoff)`` when ``type_label`` sends ``message``, answered by ``response``."""
        t = self._type_index(type_label)
        m = self._message_index(message)
        if response not in self.responses[m]:
            raise SignalingError(f"response: {response!r} is not a response after {message!r} "
                                 f"({', '.join(self.responses[m])})")
        return self.payoffs[t][m][self.responses[m].index(response)]

    def _type_index(self, label) -> int:
        if label not in self.types:
            raise SignalingError(f"type: unknown type {label!r} (types: {', '.join(self.types)})")
        return self.types.index(label)

    def _message_index(self, label) -> int:
        if label not in self.messages:
            raise SignalingError(f"message: unknown message {label!r} (messages: {', '.join(self.messages)})")
        return self.messages.index(label)

    @property
    def n_profiles(self) -> int:
        """Number of pure strategy profiles: ``|M|^|T|`` sender strategies times the receiver's."""
        return len(self.messages) ** len(self.types) * math.prod(len(r) for r in self.responses)

    # ------------------------------------------------------------------ transformations
    def substitute(self, values: Mapping | None = None, **kwargs) -> "SignalingGame":
        """The numeric game at the given parameter values (missing ones take their defaults).

        Examples
        --------
        >>> import sympy
        >>> c = sympy.Symbol("c")
        >>> game = SignalingGame("S", "R", ("A", "B"), ("1/2", "1/2"), ("m", "n"), ("x", "y"),
        ...     {(t, m, a): ((-c if m == "m" else 0), 1 if (t, a) in (("A", "x"), ("B", "y")) else 0)
        ...      for t in "AB" for m in "mn" for a in "xy"})
        >>> game.is_symbolic, game.substitute(c=2).payoff("A", "m", "x")
        (True, (Fraction(-2, 1), Fraction(1, 1)))
        """
        values = {**(values or {}), **kwargs}
        substitution = self.parameters.substitution(values, symbolic=self.is_symbolic, error=SignalingError, what="game")
        if substitution is None:
            return self
        resolved, replacement = substitution

        def number(entry, where):
            if not _is_sympy(entry):
                return entry
            value = entry.xreplace(replacement)
            if value.free_symbols:
                names = ", ".join(sorted(s.name for s in value.free_symbols))
                raise SignalingError(f"{where} still depends on {names}")
            try:
                return coerce_number(value, where=where)
            except ValueError as error:
                raise SignalingError(str(error)) from None

        prior = [number(p, f"prior of type {t!r}") for t, p in zip(self.types, self.prior)]
        payoffs = {}
        for t, type_label in enumerate(self.types):
            for m, message in enumerate(self.messages):
                for a, response in enumerate(self.responses[m]):
                    where = f"payoff ({type_label}, {message}, {response})"
                    payoffs[(type_label, message, response)] = tuple(
                        number(v, f"{where} of {player}") for v, player in zip(self.payoffs[t][m][a], self.players))
        return SignalingGame(self.sender, self.receiver, self.types, prior, self.messages,
                             dict(zip(self.messages, self.responses)), payoffs, title=self.title,
                             parameters=self.parameters, values=resolved)

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict:
        """JSON-ready description (schema ``negotiation.signaling/1``); exact numbers as fraction strings.

        Examples
        --------
        >>> beer_quiche().to_dict()["prior"]
        {'Strong': '9/10', 'Weak': '1/10'}
        """
        return {
            "schema": SCHEMA,
            "title": self.title,
            "sender": self.sender,
            "receiver": self.receiver,
            "types": list(self.types),
            "prior": {t: json_number(p) for t, p in zip(self.types, self.prior)},
            "messages": list(self.messages),
            "responses": {m: list(r) for m, r in zip(self.messages, self.responses)},
            "payoffs": [{"type": t, "message": m, "response": a,
                         self.sender: json_number(self.payoffs[i][j][k][0]),
                         self.receiver: json_number(self.payoffs[i][j][k][1])}
                        for i, t in enumerate(self.types) for j, m in enumerate(self.messages)
                        for k, a in enumerate(self.responses[j])],
            "parameters": {k: json_number(v) for k, v in self.values.items()},
        }

    def to_text(self) -> str:
        """The prior and a payoff table per type (sender's payoff first).

        Examples
        --------
        >>> print(beer_quiche().to_text())
        Beer–quiche (Cho & Kreps 1987)
        Sender: Sender, types Strong (prior 9/10), Weak (prior 1/10); receiver: Receiver
        Payoffs (Sender, Receiver):
          type    message  Duel  NotDuel
          Strong  Beer     1, 0  3, 1
          Strong  Quiche   0, 0  2, 1
          Weak    Beer     0, 1  2, 0
          Weak    Quiche   1, 1  3, 0
        """
        lines = [self.title or "Signaling game"]
        priors = ", ".join(f"{t} (prior {_show(p)})" for t, p in zip(self.types, self.prior))
        lines.append(f"Sender: {self.sender}, types {priors}; receiver: {self.receiver}")
        lines.append(f"Payoffs ({self.sender}, {self.receiver}):")
        shared = all(r == self.responses[0] for r in self.responses)
        if shared:
            header = ["type", "message"] + list(self.responses[0])
            rows = [[t, m] + [f"{_show(u)}, {_show(v)}" for u, v in self.payoffs[i][j]]
                    for i, t in enumerate(self.types) for j, m in enumerate(self.messages)]
        else:
            header = ["type", "message", "response", "payoffs"]
            rows = [[t, m, a, f"{_show(u)}, {_show(v)}"]
                    for i, t in enumerate(self.types) for j, m in enumerate(self.messages)
                    for a, (u, v) in zip(self.responses[j], self.payoffs[i][j])]
        widths = [max(len(str(r[c])) for r in [header, *rows]) for c in range(len(header))]
        for row in [header, *rows]:
            lines.append("  " + "  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (f"SignalingGame({self.title!r}, sender={self.sender!r} with types {', '.join(self.types)}; "
                f"messages {', '.join(self.messages)}; receiver={self.receiver!r}; {self._arithmetic})")


def _label(value, where) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SignalingError(f"{where}: expected a non-empty label, got {value!r}")
    return value.strip()


def _labels(values, where) -> tuple:
    if isinstance(values, str) or not isinstance(values, (list, tuple)) or not values:
        raise SignalingError(f"{where}: expected a non-empty list of labels, got {values!r}")
    labels = tuple(_label(v, where) for v in values)
    if len(set(labels)) != len(labels):
        duplicate = next(v for v in labels if labels.count(v) > 1)
        raise SignalingError(f"{where}: duplicate label {duplicate!r}")
    return labels


def _entry(value, where):
    """A number (exact ``Fraction`` or float) or a sympy expression with free symbols."""
    if _is_sympy(value) and getattr(value, "free_symbols", None):
        return value
    try:
        return coerce_number(value, where=where)
    except ValueError as error:
        raise SignalingError(str(error)) from None


def _payoff_table(payoffs, types, messages, responses) -> list:
    if not isinstance(payoffs, Mapping):
        if isinstance(payoffs, (list, tuple)) and len(payoffs) == len(types):
            # already normalised: payoffs[t][m][a] = (sender, receiver)
            payoffs = {(t, m, a): payoffs[i][j][k] for i, t in enumerate(types) for j, m in enumerate(messages)
                       for k, a in enumerate(responses[j])}
        else:
            raise SignalingError("payoffs: expected {(type, message, response): (sender payoff, receiver payoff)}")
    if payoffs and all(isinstance(k, str) for k in payoffs):
        flat = {}
        for t, by_message in payoffs.items():
            if not isinstance(by_message, Mapping):
                raise SignalingError(f"payoffs[{t!r}]: expected {{message: {{response: (sender, receiver)}}}}")
            for m, by_response in by_message.items():
                if not isinstance(by_response, Mapping):
                    raise SignalingError(f"payoffs[{t!r}][{m!r}]: expected {{response: (sender, receiver)}}")
                for a, pair in by_response.items():
                    flat[(t, m, a)] = pair
        payoffs = flat
    table = [[[None] * len(responses[j]) for j in range(len(messages))] for _ in types]
    for key, pair in payoffs.items():
        if not isinstance(key, tuple) or len(key) != 3:
            raise SignalingError(f"payoffs: key {key!r} is not (type, message, response)")
        t, m, a = key
        if t not in types:
            raise SignalingError(f"payoffs: unknown type {t!r} (types: {', '.join(types)})")
        if m not in messages:
            raise SignalingError(f"payoffs: unknown message {m!r} (messages: {', '.join(messages)})")
        j = messages.index(m)
        if a not in responses[j]:
            raise SignalingError(f"payoffs: {a!r} is not a response after {m!r} ({', '.join(responses[j])})")
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise SignalingError(f"payoffs ({t}, {m}, {a}): expected two payoffs (sender, receiver), got {pair!r}")
        i, k = types.index(t), responses[j].index(a)
        table[i][j][k] = tuple(_entry(v, f"payoff ({t}, {m}, {a}) of {who}")
                               for v, who in zip(pair, ("the sender", "the receiver")))
    for i, t in enumerate(types):
        for j, m in enumerate(messages):
            for k, a in enumerate(responses[j]):
                if table[i][j][k] is None:
                    raise SignalingError(f"payoffs: no payoffs for ({t}, {m}, {a})")
    return table


def _check_prior(prior, types, kind) -> None:
    if kind == "symbolic":
        import sympy

        for t, p in zip(types, prior):
            if not _is_sympy(p) and p < 0:
                raise SignalingError(f"prior of type {t!r}: {format_number(p)} is negative")
        total = sympy.simplify(sum(sympy.nsimplify(p) if not _is_sympy(p) else p for p in prior) - 1)
        if total.is_number and total != 0:
            raise SignalingError(f"prior: probabilities sum to {sympy.simplify(total + 1)}, expected 1")
        return
    tolerance = 0 if kind == "exact" else TOLERANCE * len(prior)
    for t, p in zip(types, prior):
        if p < -tolerance:
            raise SignalingError(f"prior of type {t!r}: {format_number(p)} is negative")
    total = sum(prior)
    if abs(total - 1) > tolerance:
        raise SignalingError(f"prior: probabilities sum to {format_number(total)}, expected 1")


def _show(value) -> str:
    return format_number(value) if not _is_sympy(value) else str(value)


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
    >>> result = pure_pbe(beer_quiche())
    >>> beliefs = result[1].belief("Beer")
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


class _Solver:
    """Numbers of one numeric game and cached belief polytopes."""

    def __init__(self, game: SignalingGame):
        if game.is_symbolic:
            raise SignalingError("substitute parameter values before solving (game.substitute(...))")
        self.game = game
        self.exact = game.is_exact
        largest = max([abs(v) for t in game.payoffs for m in t for pair in m for v in pair] + [1])
        self.tolerance = 0 if self.exact else TOLERANCE * float(largest)
        self.zero = Fraction(0) if self.exact else 0.0
        self.one = Fraction(1) if self.exact else 1.0
        self.sender_u = [[[pair[0] for pair in row] for row in by_type] for by_type in game.payoffs]
        self.receiver_u = [[[pair[1] for pair in row] for row in by_type] for by_type in game.payoffs]
        self._cache: dict = {}

    def polytope(self, m: int, a: int, support: tuple) -> tuple:
        """Vertices and constraint rows of the beliefs (on ``support``, as full-length vectors) under
        which response ``a`` is a best reply after message ``m``."""
        key = (m, a, support)
        if key in self._cache:
            return self._cache[key]
        game = self.game
        n_types = len(game.types)
        u = self.receiver_u
        alternatives, rows = [], []
        for b in range(len(game.responses[m])):
            if b != a:
                alternatives.append(game.responses[m][b])
                rows.append(tuple(u[t][m][a] - u[t][m][b] for t in range(n_types)))
        vertices = _vertices(rows, support, n_types, self.tolerance, self.zero, self.one)
        result = (tuple(vertices), tuple(alternatives), tuple(rows))
        self._cache[key] = result
        return result

    def supportable(self, m: int, support: tuple) -> list:
        """Responses after ``m`` that are best replies to some belief concentrated on ``support``."""
        return [a for a in range(len(self.game.responses[m])) if self.polytope(m, a, support)[0]]

    def at_least(self, x, y) -> bool:
        return x >= y - self.tolerance

    def above(self, x, y) -> bool:
        return x > y + self.tolerance


def _vertices(rows, support, n_types, tolerance, zero, one) -> list:
    """Corners of ``{μ ≥ 0 on support, μ = 0 elsewhere, Σ μ = 1, row · μ ≥ 0 for every row}``."""
    k = len(support)
    restricted = [[row[t] for t in support] for row in rows]
    inequalities = [[one if s == j else zero for s in range(k)] for j in range(k)] + restricted
    found = []
    for chosen in itertools.combinations(range(len(inequalities)), k - 1):
        matrix = [inequalities[i] for i in chosen] + [[one] * k]
        rhs = [zero] * (k - 1) + [one]
        point = _solve_square(matrix, rhs, tolerance)
        if point is None:
            continue
        if not all(sum(c * p for c, p in zip(row, point)) >= -tolerance for row in inequalities):
            continue
        if tolerance:
            point = [max(0.0, p) for p in point]
            if any(all(abs(a - b) <= tolerance for a, b in zip(point, other)) for other in found):
                continue
        elif point in found:
            continue
        found.append(point)
    out = []
    for point in sorted(found, key=lambda p: tuple(-x for x in p)):
        full = [zero] * n_types
        for s, t in enumerate(support):
            full[t] = point[s]
        out.append(tuple(full))
    return out


def _solve_square(matrix, rhs, tolerance):
    """Gaussian elimination with partial pivoting; exact for Fractions (``tolerance`` 0); ``None`` if singular."""
    n = len(matrix)
    rows = [list(r) + [b] for r, b in zip(matrix, rhs)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if (rows[pivot][col] == 0) if tolerance == 0 else (abs(rows[pivot][col]) <= tolerance):
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        lead = rows[col][col]
        rows[col] = [v / lead for v in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[col])]
    return [rows[i][n] for i in range(n)]


# ---------------------------------------------------------------------- equilibria
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
class IntuitiveCriterionResult:
    """Whether an equilibrium survives Cho & Kreps's (1987) intuitive criterion, and why."""

    survives: bool
    tests: tuple
    reason: str

    def to_dict(self) -> dict:
        return {"survives": self.survives, "reason": self.reason, "messages": [t.to_dict() for t in self.tests]}


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
            data["intuitive_criterion"] = self.intuitive.to_dict()
        return data


def pure_pbe(game: SignalingGame, *, intuitive: bool = True) -> "SignalingResult":
    """All pure perfect Bayesian equilibria of a numeric signaling game.

    Every sender strategy (type → message) is paired with the receiver's responses that can be
    part of an equilibrium: after an on-path message, the best replies to the Bayes posterior;
    after an off-path message, the responses that are best replies to *some* belief (the belief
    set, a polytope in the type simplex, must be non-empty). A profile is an equilibrium iff,
    in addition, no type gains by sending another message. Ties count as best replies.

    Parameters
    ----------
    game : SignalingGame
        Numeric (``game.substitute(values)`` first for a symbolic game).
    intuitive : bool
        Also apply :func:`intuitive_criterion` to each equilibrium.

    Returns
    -------
    SignalingResult
        Method ``"pure_pbe"``, complete for pure strategies; exact for exact games.

    Examples
    --------
    >>> result = pure_pbe(beer_quiche())
    >>> len(result), result.exact, result.complete
    (2, True, True)
    >>> first = result[0]
    >>> first.receiver_strategy, first.belief("Beer")
    ({'Beer': 'NotDuel', 'Quiche': 'Duel'}, {'Strong': Fraction(9, 10), 'Weak': Fraction(1, 10)})
    >>> first.sender_payoffs, first.receiver_payoff
    ((Fraction(3, 1), Fraction(2, 1)), Fraction(9, 10))
    """
    if not isinstance(game, SignalingGame):
        raise SignalingError(f"game: expected a SignalingGame, got {type(game).__name__}")
    solver = _Solver(game)
    if game.n_profiles > MAX_PROFILES:
        raise SignalingError(f"the game has {game.n_profiles} pure strategy profiles (more than {MAX_PROFILES}); "
                             "pure_pbe enumerates them all")
    n_types, n_messages = len(game.types), len(game.messages)
    everyone = tuple(range(n_types))
    prior = game.prior
    su, ru = solver.sender_u, solver.receiver_u
    equilibria = []
    for sigma in itertools.product(range(n_messages), repeat=n_types):
        allowed, posteriors = [], []
        for m in range(n_messages):
            senders = [t for t in everyone if sigma[t] == m]
            mass = sum((prior[t] for t in senders), solver.zero)
            if mass > 0 if solver.exact else mass > TOLERANCE:
                posterior = tuple(prior[t] / mass if sigma[t] == m else solver.zero for t in everyone)
                values = [sum(posterior[t] * ru[t][m][a] for t in senders) for a in range(len(game.responses[m]))]
                best = max(values)
                allowed.append([a for a, v in enumerate(values) if solver.at_least(v, best)])
                posteriors.append(posterior)
            else:
                allowed.append(solver.supportable(m, everyone))
                posteriors.append(None)
        for rho in itertools.product(*allowed):
            payoffs = tuple(su[t][sigma[t]][rho[sigma[t]]] for t in everyone)
            if not all(solver.at_least(payoffs[t], su[t][m][rho[m]]) for t in everyone for m in range(n_messages)):
                continue
            beliefs = []
            for m in range(n_messages):
                if posteriors[m] is not None:
                    beliefs.append(posteriors[m])
                else:
                    vertices, alternatives, rows = solver.polytope(m, rho[m], everyone)
                    beliefs.append(BeliefSet(game.messages[m], game.responses[m][rho[m]], game.types, vertices,
                                             alternatives, rows))
            receiver = sum((prior[t] * ru[t][sigma[t]][rho[sigma[t]]] for t in everyone), solver.zero)
            equilibria.append(SignalingEquilibrium(game, tuple(sigma), tuple(rho), tuple(beliefs), payoffs, receiver))
    if intuitive:
        equilibria = [_with_intuitive(e, _intuitive(solver, e)) for e in equilibria]
    messages = [SCOPE]
    if not game.is_exact:
        messages.append(f"floating point: ties within {TOLERANCE:g} (relative to the largest payoff) count as ties")
    return SignalingResult(game=game, equilibria=tuple(equilibria), method="pure_pbe", exact=game.is_exact,
                           complete=True, parameters=dict(game.values), messages=tuple(messages))


def _with_intuitive(equilibrium, test):
    from dataclasses import replace

    return replace(equilibrium, intuitive=test)


def intuitive_criterion(game: SignalingGame, equilibrium: SignalingEquilibrium) -> IntuitiveCriterionResult:
    """Cho & Kreps's (1987) intuitive criterion for one pure equilibrium.

    For each off-path message ``m``, let ``BR(S, m)`` be the receiver's responses that are best
    replies to some belief concentrated on the types ``S``. Type ``t`` is *equilibrium-dominated*
    at ``m`` if its equilibrium payoff ``u*(t)`` exceeds ``max over a in BR(T, m) of u_S(t, m, a)``;
    let ``J(m)`` be those types. The equilibrium *fails* the test if some type ``t'`` has
    ``u*(t') < min over a in BR(T \\ J(m), m) of u_S(t', m, a)`` — it would send ``m`` and expect
    the receiver, reasoning that only types outside ``J(m)`` would, to reward it (Cho & Kreps 1987,
    QJE 102(2):179–221; Fudenberg & Tirole 1991, ch. 11). If every type is equilibrium-dominated at
    ``m``, the test puts no restriction there. Pure best replies suffice: the maximum and minimum
    of the sender's payoff over mixed best replies are attained at pure ones.

    Examples
    --------
    >>> game = beer_quiche()
    >>> quiche_pooling = pure_pbe(game, intuitive=False)[1]
    >>> test = intuitive_criterion(game, quiche_pooling)
    >>> test.survives, test.tests[0].dominated, test.tests[0].deviators
    (False, ('Weak',), ('Strong',))
    """
    if equilibrium.game is not game and (equilibrium.game.types != game.types
                                         or equilibrium.game.messages != game.messages):
        raise SignalingError("equilibrium: it belongs to another game (types or messages differ)")
    return _intuitive(_Solver(game), equilibrium)


def _intuitive(solver: _Solver, equilibrium: SignalingEquilibrium) -> IntuitiveCriterionResult:
    game = solver.game
    everyone = tuple(range(len(game.types)))
    u_star = equilibrium.sender_payoffs
    su = solver.sender_u
    tests = []
    for m, value in enumerate(equilibrium.beliefs):
        if not isinstance(value, BeliefSet):
            continue
        message = game.messages[m]
        possible = solver.supportable(m, everyone)
        best = [max(su[t][m][a] for a in possible) for t in everyone]
        dominated = tuple(t for t in everyone if solver.above(u_star[t], best[t]))
        rest = tuple(t for t in everyone if t not in dominated)
        names = [game.types[t] for t in dominated]
        if not rest:
            tests.append(MessageTest(message, tuple(names), (), (),
                                     f"{message}: every type is equilibrium-dominated (its equilibrium payoff "
                                     f"beats anything {message} can bring), so the test puts no restriction"))
            continue
        responses = solver.supportable(m, rest)
        worst = [min(su[t][m][a] for a in responses) for t in everyone]
        deviators = tuple(t for t in everyone if solver.above(worst[t], u_star[t]))
        response_names = tuple(game.responses[m][a] for a in responses)
        if dominated:
            why = "; ".join(f"{game.types[t]} gets {format_number(u_star[t])} in equilibrium, at most "
                            f"{format_number(best[t])} from {message}" for t in dominated)
            lead = f"{message}: {_join(names)} {'is' if len(names) == 1 else 'are'} equilibrium-dominated ({why})"
        else:
            lead = f"{message}: no type is equilibrium-dominated"
        support = _join([game.types[t] for t in rest])
        if deviators:
            gains = "; ".join(f"{game.types[t]} would get at least {format_number(worst[t])} instead of "
                              f"{format_number(u_star[t])}" for t in deviators)
            reason = (f"{lead}; with beliefs on {support} only, {game.receiver} answers {message} with "
                      f"{_join(response_names, 'or')}, so {gains}: the equilibrium fails")
        else:
            reason = (f"{lead}; with beliefs on {support} only, {game.receiver} may answer {message} with "
                      f"{_join(response_names, 'or')}, and no type gains for sure by sending it")
        tests.append(MessageTest(message, tuple(names), response_names,
                                 tuple(game.types[t] for t in deviators), reason))
    failed = [t for t in tests if t.fails]
    if not tests:
        reason = "every message is on the path: the criterion puts no restriction"
    elif failed:
        reason = "fails the intuitive criterion at " + "; at ".join(t.reason for t in failed)
    else:
        reason = "survives the intuitive criterion: " + "; ".join(t.reason for t in tests)
    return IntuitiveCriterionResult(survives=not failed, tests=tuple(tests), reason=reason)


def _join(items, word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


# ---------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class SignalingResult(EquilibriumList, Tabular):
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

    def summary(self) -> str:
        """``pure_pbe (exact, complete for pure strategies)``."""
        flags = ["exact" if self.exact else "floating point",
                 "complete for pure strategies" if self.complete else "not necessarily complete"]
        return f"{self.method} ({', '.join(flags)})"

    # ------------------------------------------------------------------ conversion
    def to_dict(self) -> dict:
        """The JSON object of ``negotiation solve --format json`` for a signaling game."""
        game = self.game
        data = {
            "game": {"title": game.title, "players": [game.sender, game.receiver], "sender": game.sender,
                     "receiver": game.receiver, "types": list(game.types),
                     "prior": {t: json_number(p) for t, p in zip(game.types, game.prior)},
                     "messages": list(game.messages),
                     "responses": {m: list(r) for m, r in zip(game.messages, game.responses)}},
            "parameters": {k: json_number(v) for k, v in self.parameters.items()},
            "method": self.method,
            "exact": self.exact,
            "complete": self.complete,
            "scope": "pure",
            "equilibria": [e.to_dict() for e in self.equilibria],
            "messages": list(self.messages),
        }
        extras = {k: v for k, v in self.details.items() if not k.startswith("_")}
        if extras:
            data["details"] = extras
        return data

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

    def _table(self):
        game = self.game
        header = [""] + [f"PBE {k}" for k in range(1, len(self.equilibria) + 1)]
        rows = [["kind"] + [e.kind for e in self.equilibria]]
        for t in game.types:
            rows.append([f"{game.sender} if {t}"] + [e.sender_strategy[t] for e in self.equilibria])
        for m in game.messages:
            rows.append([f"{game.receiver} after {m}"] + [e.receiver_strategy[m] for e in self.equilibria])
        for m in game.messages:
            rows.append([f"belief after {m}"] + [e.belief_text(m) for e in self.equilibria])
        for i, t in enumerate(game.types):
            rows.append([f"payoff {game.sender} ({t})"] + [format_number(e.sender_payoffs[i])
                                                            for e in self.equilibria])
        rows.append([f"payoff {game.receiver}"] + [format_number(e.receiver_payoff) for e in self.equilibria])
        if any(e.intuitive is not None for e in self.equilibria):
            rows.append(["intuitive criterion"] + ["—" if e.intuitive is None else
                                                   ("survives" if e.intuitive.survives else "fails")
                                                   for e in self.equilibria])
        notes = [f"PBE {k}: {e.intuitive.reason}." for k, e in enumerate(self.equilibria, start=1)
                 if e.intuitive is not None and not e.intuitive.survives]
        return header, rows, notes

    def _parameters_text(self) -> str:
        return ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items())

    def to_text(self) -> str:
        """Plain-text report: one column per equilibrium.

        Examples
        --------
        >>> text = pure_pbe(beer_quiche()).to_text()
        >>> print("\\n".join(text.splitlines()[:-2]))
        Beer–quiche (Cho & Kreps 1987)
        Method: pure_pbe (exact, complete for pure strategies)
        <BLANKLINE>
                                PBE 1                                  PBE 2
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
        lines = [self.game.title or "Signaling game"]
        if self.parameters:
            lines.append(f"Parameters: {self._parameters_text()}")
        lines.append(f"Method: {self.summary()}")
        lines.append("")
        if not self.equilibria:
            lines.append("No pure perfect Bayesian equilibrium.")
            notes = []
        else:
            header, rows, notes = self._table()
            widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
            for row in [header, *rows]:
                lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        lines.extend(f"Note: {n}" for n in notes)
        lines.extend(f"Note: {m}" for m in self.messages)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown: a caption and the equilibrium table."""
        caption = f"**{self.game.title or 'Signaling game'}**"
        if self.parameters:
            caption += f" ({self._parameters_text()})"
        caption += f". Method: {self.summary()}."
        lines = [caption, ""]
        notes = []
        if not self.equilibria:
            lines.append("No pure perfect Bayesian equilibrium.")
        else:
            header, rows, notes = self._table()
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join(" --- " for _ in header) + "|")
            for row in rows:
                lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
        extra = notes + list(self.messages)
        if extra:
            lines.append("")
            lines.extend(f"Note: {n}" for n in extra)
        return "\n".join(lines)

    def to_latex(self) -> str:
        """A booktabs ``tabular`` (``\\usepackage{booktabs}``); μ is written ``$\\mu$``."""
        from negotiation.report.tables import _latex_escape

        def cell(text):
            return (_latex_escape(text).replace("μ", "$\\mu$").replace("∈", "$\\in$").replace("|", "$\\mid$")
                    .replace("≥", "$\\geq$").replace("·", "$\\cdot$").replace("→", "$\\to$")
                    .replace("—", "--"))

        lines = [f"% {_latex_escape(self.game.title or 'Signaling game')}: {_latex_escape(self.summary())}"]
        if not self.equilibria:
            return "\n".join(lines + ["% no pure perfect Bayesian equilibrium"])
        header, rows, notes = self._table()
        lines.append("\\begin{tabular}{l" + "l" * (len(header) - 1) + "}")
        lines.append("\\toprule")
        lines.append(" & ".join(cell(h) for h in header) + " \\\\")
        lines.append("\\midrule")
        for row in rows:
            lines.append(" & ".join(cell(c) for c in row) + " \\\\")
        lines.append("\\bottomrule")
        lines.append("\\end{tabular}")
        lines.extend(f"% {cell(n)}" for n in notes + list(self.messages))
        return "\n".join(lines)

    def to_csv(self) -> str:
        """The records as CSV (exact values as fractions)."""
        import csv
        import io

        records = self.to_records()
        if not records:
            return ""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: ("" if v is None else v if isinstance(v, (str, bool)) else format_number(v))
                             for k, v in record.items()})
        return buffer.getvalue()

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


# ---------------------------------------------------------------------- the tree
def to_tree(game: SignalingGame):
    """The equivalent :class:`~negotiation.models.tree.GameTree`: chance picks the type, the sender
    moves at one singleton information set per type (labelled by the type), the receiver at one
    information set per message (labelled by the message; ``after <message>`` if a message
    label is also a type label) containing one node per type.

    Examples
    --------
    >>> tree = to_tree(beer_quiche())
    >>> tree.information_set_labels
    ('Strong', 'Weak', 'Beer', 'Quiche')
    >>> sender, receiver = tree.to_strategic_form().strategies
    >>> sender
    ('Beer/Beer', 'Beer/Quiche', 'Quiche/Beer', 'Quiche/Quiche')
    >>> receiver
    ('Duel/Duel', 'Duel/NotDuel', 'NotDuel/Duel', 'NotDuel/NotDuel')
    """
    from negotiation.models.tree import GameTree, TreeError, chance, decision, terminal

    clash = set(game.types) & set(game.messages)
    receiver_sets = [f"after {m}" if clash else m for m in game.messages]
    branches = {}
    for i, t in enumerate(game.types):
        sender_actions = {}
        for j, m in enumerate(game.messages):
            leaves = {a: terminal(*game.payoffs[i][j][k]) for k, a in enumerate(game.responses[j])}
            sender_actions[m] = decision(game.receiver, leaves, information_set=receiver_sets[j])
        branches[t] = (game.prior[i], decision(game.sender, sender_actions, information_set=t))
    try:
        return GameTree.from_nested((game.sender, game.receiver), chance(branches), title=game.title,
                                    parameters=game.parameters if game.is_symbolic else None)
    except TreeError as error:
        raise SignalingError(f"to_tree: {error}") from None


# ---------------------------------------------------------------------- reference game
def beer_quiche(prior_strong=Fraction(9, 10)) -> SignalingGame:
    """Cho & Kreps's (1987) beer–quiche game.

    The sender is Strong (prior 9/10) or Weak; it has Beer or Quiche for breakfast; the
    receiver Duels or not (NotDuel). The sender gets 1 for its preferred breakfast (Strong:
    Beer, Weak: Quiche) plus 2 if there is no duel; the receiver gets 1 for dueling a Weak
    sender or for not dueling a Strong one, 0 otherwise (Cho & Kreps 1987, QJE 102(2):179–221,
    the beer–quiche example; Fudenberg & Tirole 1991, ch. 11).

    Examples
    --------
    >>> beer_quiche().payoff("Weak", "Quiche", "NotDuel")
    (Fraction(3, 1), Fraction(0, 1))
    """
    strong = coerce_number(prior_strong, where="prior_strong")
    payoffs = {}
    for t in ("Strong", "Weak"):
        for m in ("Beer", "Quiche"):
            for a in ("Duel", "NotDuel"):
                preferred = (t, m) in (("Strong", "Beer"), ("Weak", "Quiche"))
                sender = (1 if preferred else 0) + (2 if a == "NotDuel" else 0)
                receiver = 1 if (t, a) in (("Weak", "Duel"), ("Strong", "NotDuel")) else 0
                payoffs[(t, m, a)] = (sender, receiver)
    return SignalingGame("Sender", "Receiver", ("Strong", "Weak"), (strong, 1 - strong), ("Beer", "Quiche"),
                         ("Duel", "NotDuel"), payoffs, title="Beer–quiche (Cho & Kreps 1987)")
