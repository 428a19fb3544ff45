"""Signaling games: a sender with private types, a message, a receiver's response.

A *signaling game* has two players. Nature draws the sender's *type* from a
common prior; the sender learns its type and sends a *message* (a signal);
the receiver sees the message, not the type, and chooses a *response*. Both
payoffs depend on the type, the message and the response: ``u_S(t, m, a)``
and ``u_R(t, m, a)``.

:class:`SignalingGame` holds such a game (exact, float or symbolic numbers), :func:`to_tree`
writes it as a game tree and :func:`beer_quiche` builds Cho & Kreps's reference game. Its pure
perfect Bayesian equilibria are computed in :mod:`negotiation.solvers.signaling` (``ng.solve``).

Examples
--------
>>> game = beer_quiche()
>>> game.types, game.messages, game.prior_of("Strong")
(('Strong', 'Weak'), ('Beer', 'Quiche'), Fraction(9, 10))
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

from negotiation.models.base import ParametricModel
from negotiation.core.errors import NegotiationError
from negotiation.core.labels import normal_form, normalise_label, normalise_labels
from negotiation.core.numeric import coerce_number, format_number, is_sympy, json_number
from negotiation.core.parameters import ParameterSpace
from negotiation.models.tree import GameTree, TreeError, chance, decision, terminal

__all__ = ["SignalingGame", "SignalingError", "to_tree", "beer_quiche", "TOLERANCE"]

SCHEMA = "negotiation.signaling/1"
#: Float payoffs and probabilities: comparisons use this tolerance (times the largest absolute payoff).
TOLERANCE = 1e-9


class SignalingError(NegotiationError):
    """A signaling game was given inconsistent or invalid data (one-line message)."""


# ---------------------------------------------------------------------- the game
@dataclass(frozen=True, eq=False)
class SignalingGame(ParametricModel):
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
        responses = _responses(self.responses, messages)
        prior = [_entry(p, f"prior of type {t!r}") for t, p in zip(types, _prior_list(self.prior, types))]
        table = _payoff_table(self.payoffs, types, messages, responses)
        flat = prior + [v for t in table for m in t for pair in m for v in pair]
        if any(is_sympy(v) for v in flat):
            kind = "symbolic"
        elif any(isinstance(v, float) for v in flat):
            kind = "float"
        else:
            kind = "exact"
        parameters = self.parameters if self.parameters is not None else ParameterSpace()
        if kind == "symbolic":
            free = set().union(*(v.free_symbols for v in flat if is_sympy(v)))
            # a symbol is the parameter of its name in NFKC (as formulas read it): ``ﬁ`` is ``fi``
            normalise_labels(sorted({s.name for s in free}), where="payoffs", what="parameter name", error=SignalingError)
            names = {normal_form(s.name) for s in free}
            if not parameters.parameters:
                parameters = ParameterSpace.from_names(sorted(names))
            undeclared = sorted(names - set(parameters.names))
            if undeclared:
                raise SignalingError(f"undeclared parameter {undeclared[0]!r} "
                                     f"(declared: {', '.join(parameters.names) or 'none'})")
            by_name = parameters.symbols
            replacement = {s: by_name[normal_form(s.name)] for s in free if s != by_name[normal_form(s.name)]}
            if replacement:
                prior = [p.xreplace(replacement) if is_sympy(p) else p for p in prior]
                table = [[[tuple(v.xreplace(replacement) if is_sympy(v) else v for v in pair) for pair in row]
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
            if not is_sympy(entry):
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
        priors = ", ".join(f"{t} (prior {format_number(p)})" for t, p in zip(self.types, self.prior))
        lines.append(f"Sender: {self.sender}, types {priors}; receiver: {self.receiver}")
        lines.append(f"Payoffs ({self.sender}, {self.receiver}):")
        shared = all(r == self.responses[0] for r in self.responses)
        if shared:
            header = ["type", "message"] + list(self.responses[0])
            rows = [[t, m] + [f"{format_number(u)}, {format_number(v)}" for u, v in self.payoffs[i][j]]
                    for i, t in enumerate(self.types) for j, m in enumerate(self.messages)]
        else:
            header = ["type", "message", "response", "payoffs"]
            rows = [[t, m, a, f"{format_number(u)}, {format_number(v)}"]
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
    return normalise_label(value.strip(), where=where, error=SignalingError)  # NFKC, no control characters


def _labels(values, where) -> tuple:
    if isinstance(values, str) or not isinstance(values, (list, tuple)) or not values:
        raise SignalingError(f"{where}: expected a non-empty list of labels, got {values!r}")
    labels = tuple(_label(v, where) for v in values)
    normalise_labels((v.strip() for v in values), where=where, error=SignalingError)  # two that became one: ﬁ, fi
    if len(set(labels)) != len(labels):
        duplicate = next(v for v in labels if labels.count(v) > 1)
        raise SignalingError(f"{where}: duplicate label {duplicate!r}")
    return labels


def _responses(responses, messages) -> tuple:
    """One tuple of response labels per message, from one shared list, one list per message or a mapping."""
    if isinstance(responses, Mapping):
        unknown = [m for m in responses if m not in messages]
        if unknown:
            raise SignalingError(f"responses: unknown message {unknown[0]!r} (messages: {', '.join(messages)})")
        missing = [m for m in messages if m not in responses]
        if missing:
            raise SignalingError(f"responses: no responses given after message {missing[0]!r}")
        return tuple(_labels(responses[m], f"responses after {m!r}") for m in messages)
    if isinstance(responses, (list, tuple)) and responses and all(isinstance(r, (list, tuple)) for r in responses):
        if len(responses) != len(messages):
            raise SignalingError(f"responses: {len(responses)} lists given for {len(messages)} messages "
                                 "(give one list for all messages, or one per message)")
        return tuple(_labels(r, f"responses after {m!r}") for m, r in zip(messages, responses))
    shared = _labels(responses, "responses")
    return tuple(shared for _ in messages)


def _prior_list(prior, types) -> list:
    """The prior in ``types`` order, from a sequence or a mapping type -> probability (entries unchecked)."""
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
    return list(prior)


def _entry(value, where):
    """A number (exact ``Fraction`` or float) or a sympy expression with free symbols."""
    if is_sympy(value) and getattr(value, "free_symbols", None):
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
            if not is_sympy(p) and p < 0:
                raise SignalingError(f"prior of type {t!r}: {format_number(p)} is negative")
        total = sympy.simplify(sum(sympy.nsimplify(p) if not is_sympy(p) else p for p in prior) - 1)
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


# ---------------------------------------------------------------------- the tree
def to_tree(game: SignalingGame) -> GameTree:
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
