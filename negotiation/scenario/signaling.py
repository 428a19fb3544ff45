"""Signaling-game scenario files (``kind = "bayesian"``, ``form = "signaling"``).

A signaling scenario is a :class:`~negotiation.scenario.model.Scenario` whose ``game`` is a
:class:`~negotiation.models.signaling.SignalingGame`: the sender has private types drawn from a
prior, sends a message, and the receiver responds. The file shape::

    schema = "negotiation.scenario/1"
    id = "beer_quiche"
    title = "Beer–quiche"
    kind = "bayesian"
    form = "signaling"

    [sender]
    player = "Sender"
    types = ["Strong", "Weak"]
    prior = ["p", "1 - p"]            # one per type, or a table: prior = {Strong = "p", Weak = "1 - p"}
    messages = ["Beer", "Quiche"]     # labels without commas

    [receiver]
    player = "Receiver"
    responses = ["Duel", "NotDuel"]   # the same after every message, or a table per message:
                                      # responses = {Beer = ["Duel", "NotDuel"], Quiche = [...]}

    [parameters.p]
    default = "9/10"
    range = [0, 1]
    description = "prior probability that the sender is strong"

    [payoffs.Strong]                  # one table per type: "message, response" = [sender, receiver]
    "Beer, Duel" = [1, 0]
    "Beer, NotDuel" = [3, 1]
    "Quiche, Duel" = [0, 0]
    "Quiche, NotDuel" = [2, 1]

    [payoffs.Weak]
    "Beer, Duel" = [0, 1]
    "Beer, NotDuel" = [2, 0]
    "Quiche, Duel" = [1, 1]
    "Quiche, NotDuel" = [3, 0]

Parameters, ``[derived]``, ``[[assumptions]]``, ``references`` and ``description`` are as in
every scenario kind (``models/README.md``); priors and payoffs are numbers or formula strings
parsed by the allow-list parser (:mod:`negotiation.core.expressions`), never evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Mapping

from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.core.labels import normalise_label, normalise_labels
from negotiation.models.signaling import SignalingError, SignalingGame
from negotiation.scenario.loader import (parse_assumptions, parse_derived, parse_header, parse_parameters,
                                         read_number, register_kind)
from negotiation.scenario.model import (Scenario, ScenarioError, describe_derived, describe_footer, describe_header,
                                        describe_model, describe_parameters)

__all__ = ["SignalingScenario", "parse_signaling", "SIGNALING_KEYS", "SENDER_KEYS",
           "RECEIVER_KEYS"]

#: Top-level keys of a signaling scenario file.
SIGNALING_KEYS = {"schema", "id", "title", "kind", "form", "description", "references", "sender", "receiver",
                  "parameters", "derived", "payoffs", "assumptions", "notes"}
#: Keys of the ``[sender]`` table.
SENDER_KEYS = {"player", "types", "prior", "messages"}
#: Keys of the ``[receiver]`` table.
RECEIVER_KEYS = {"player", "responses"}


@dataclass(frozen=True, eq=False)
class SignalingScenario(Scenario):
    """A scenario whose model is a signaling game.

    ``game`` is the (possibly symbolic) :class:`~negotiation.models.signaling.SignalingGame`;
    :meth:`game_at` gives the numeric game at parameter values and :meth:`solve` its pure
    perfect Bayesian equilibria (with the intuitive criterion).

    Examples
    --------
    >>> scenario = parse_signaling({
    ...     "schema": "negotiation.scenario/1", "id": "bq", "title": "Beer–quiche", "kind": "bayesian",
    ...     "form": "signaling",
    ...     "sender": {"player": "Sender", "types": ["Strong", "Weak"], "prior": ["p", "1 - p"],
    ...                "messages": ["Beer", "Quiche"]},
    ...     "receiver": {"player": "Receiver", "responses": ["Duel", "NotDuel"]},
    ...     "parameters": {"p": {"default": "9/10", "range": [0, 1]}},
    ...     "payoffs": {"Strong": {"Beer, Duel": [1, 0], "Beer, NotDuel": [3, 1],
    ...                            "Quiche, Duel": [0, 0], "Quiche, NotDuel": [2, 1]},
    ...                 "Weak": {"Beer, Duel": [0, 1], "Beer, NotDuel": [2, 0],
    ...                          "Quiche, Duel": [1, 1], "Quiche, NotDuel": [3, 0]}}}, "bq.toml")
    >>> [(e.sender_strategy["Weak"], e.intuitive.survives) for e in scenario.solve()]
    [('Beer', True), ('Quiche', False)]
    >>> len(scenario.solve({"p": "1/4"}))  # the weak type is now likely: no pooling on either breakfast
    0
    """

    model_errors = (SignalingError,)

    form: str = "signaling"

    def describe(self, values: Mapping | None = None) -> str:
        """What ``negotiation show`` prints: parameters, the game, the game at ``values``, sources."""
        lines = describe_header(self)
        game = self.game
        lines += ["", f"Kind: {self.kind} ({self.form}); sender: {game.sender} (types {', '.join(game.types)}; "
                      f"messages {', '.join(game.messages)}); receiver: {game.receiver}"]
        lines += describe_parameters(self.parameters)
        lines += describe_derived(self)
        lines += describe_model(self, values, "Game", lambda model: model.to_text().splitlines())
        lines += describe_footer(self)
        return "\n".join(lines)


@register_kind("bayesian", "signaling")
def parse_signaling(data: dict, source: str) -> SignalingScenario:
    """Build a :class:`SignalingScenario` from the parsed TOML of a ``bayesian``/``signaling`` file.

    Parameters
    ----------
    data : dict
        The file as read by ``tomllib``.
    source : str
        File name for error messages.

    Raises
    ------
    ScenarioError
        One line naming the file, the field and what is wrong.

    Examples
    --------
    >>> parse_signaling({"schema": "negotiation.scenario/1", "id": "x", "title": "X", "kind": "bayesian",
    ...                  "form": "signaling", "sender": {"player": "S", "types": ["A"], "prior": [1],
    ...                  "messages": ["m"]}, "receiver": {"player": "R", "responses": ["a"]},
    ...                  "payoffs": {"A": {"m, b": [0, 0]}}}, "x.toml")
    Traceback (most recent call last):
    ...
    negotiation.scenario.model.ScenarioError: x.toml: payoffs.A."m, b": 'b' is not a response after 'm' (a)
    """
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: expected a TOML table at the top level")
    scenario_id, title, description, references = parse_header(data, source, keys=SIGNALING_KEYS, kind="bayesian",
                                                                what="a signaling")
    kind = "bayesian"
    form = data.get("form")
    if form != "signaling":
        raise ScenarioError(f"{source}: form: expected 'signaling', found {form!r}")
    parameters = parse_parameters(data.get("parameters", {}), source)
    symbols = parameters.symbols
    derived = parse_derived(data.get("derived", {}), symbols, source)
    names = {**symbols, **derived}

    sender = _table(data, "sender", SENDER_KEYS, source, "player, types, prior and messages")
    receiver = _table(data, "receiver", RECEIVER_KEYS, source, "player and responses")
    sender_player = _player(sender, "sender", source)
    receiver_player = _player(receiver, "receiver", source)
    if sender_player == receiver_player:
        raise ScenarioError(f"{source}: receiver.player: {receiver_player!r} is also the sender")
    types = _label_list(sender.get("types"), f"{source}: sender.types", "type labels")
    messages = _label_list(sender.get("messages"), f"{source}: sender.messages", "message labels")
    for m in messages:
        if "," in m:
            raise ScenarioError(f"{source}: sender.messages: {m!r}: message labels cannot contain commas")
    prior = _prior(sender.get("prior"), types, names, source)
    responses = _responses(receiver.get("responses"), messages, source)
    payoffs = _payoffs(data.get("payoffs"), types, messages, responses, names, source)
    try:
        game = SignalingGame(sender_player, receiver_player, types, prior, messages, responses, payoffs,
                             title=title, parameters=parameters)
    except SignalingError as error:
        raise ScenarioError(f"{source}: {error}") from None
    assumptions = parse_assumptions(data.get("assumptions", []), symbols, source)
    scenario = SignalingScenario(
        id=scenario_id, title=title, kind=kind, game=game, parameters=parameters,
        description=description.strip(), assumptions=assumptions, references=tuple(references),
        derived=derived, source=Path(source) if source not in ("<scenario>", "") else None, form=form,
    )
    if parameters.parameters and len(parameters.defaults) == len(parameters):
        scenario.game_at()  # the defaults must satisfy the assumptions and give a valid game
    return scenario


# ---------------------------------------------------------------------- sections
def _table(data, key, allowed, source, expected) -> dict:
    table = data.get(key)
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: {key}: expected a table [{key}] with {expected}")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ScenarioError(f"{source}: {key}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(allowed))})")
    return table


def _player(table, key, source) -> str:
    player = table.get("player")
    if not isinstance(player, str) or not player.strip():
        raise ScenarioError(f"{source}: {key}.player: expected a non-empty player label, found {player!r}")
    return normalise_label(player.strip(), where=f"{source}: {key}.player", what="player label", error=ScenarioError)


def _label_list(values, where, what) -> tuple:
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise ScenarioError(f"{where}: expected a non-empty list of {what}")
    singular = what.split(" (")[0].removesuffix("s")  # "response labels (or …)" -> "response label"
    labels = normalise_labels((v.strip() for v in values), where=where, what=singular, error=ScenarioError)
    if len(set(labels)) != len(labels):
        duplicate = next(v for v in labels if labels.count(v) > 1)
        raise ScenarioError(f"{where}: duplicate label {duplicate!r}")
    return labels


def _value(value, names, where):
    """A number (exact) or a formula string (allow-list parser; constants become Fractions)."""
    if isinstance(value, str):
        try:
            expression = parse_expression(value, names, where=where)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
        if not expression.free_symbols:
            import sympy

            if isinstance(expression, sympy.Rational):
                return Fraction(int(expression.p), int(expression.q))
        return expression
    return read_number(value, where)


def _prior(value, types, names, source) -> list:
    where = f"{source}: sender.prior"
    if isinstance(value, dict):
        unknown = [t for t in value if t not in types]
        if unknown:
            raise ScenarioError(f"{where}: unknown type {unknown[0]!r} (types: {', '.join(types)})")
        missing = [t for t in types if t not in value]
        if missing:
            raise ScenarioError(f"{where}: no probability for type {missing[0]!r}")
        return [_value(value[t], names, f"{where}.{t}") for t in types]
    if not isinstance(value, list):
        raise ScenarioError(f"{where}: expected a list with one probability per type ({', '.join(types)}) "
                            "or a table type = probability")
    if len(value) != len(types):
        raise ScenarioError(f"{where}: {len(value)} probabilities given for {len(types)} types ({', '.join(types)})")
    return [_value(v, names, f"{where}[{k}]") for k, v in enumerate(value)]


def _responses(value, messages, source):
    where = f"{source}: receiver.responses"
    if isinstance(value, dict):
        unknown = [m for m in value if m not in messages]
        if unknown:
            raise ScenarioError(f"{where}: unknown message {unknown[0]!r} (messages: {', '.join(messages)})")
        missing = [m for m in messages if m not in value]
        if missing:
            raise ScenarioError(f"{where}: no responses after message {missing[0]!r}")
        out = {m: _label_list(value[m], f"{where}.{m}", "response labels") for m in messages}
        labels = [r for rs in out.values() for r in rs]
    else:
        shared = _label_list(value, where, "response labels (or a table message = [responses])")
        out = {m: shared for m in messages}
        labels = list(shared)
    for label in labels:
        if "," in label:
            raise ScenarioError(f"{where}: {label!r}: response labels cannot contain commas")
    return out


def _payoffs(table, types, messages, responses, names, source) -> dict:
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: payoffs: expected one table per type, [payoffs.TYPE] with "
                            "\"message, response\" = [sender payoff, receiver payoff]")
    unknown = [t for t in table if t not in types]
    if unknown:
        raise ScenarioError(f"{source}: payoffs.{unknown[0]}: unknown type (types: {', '.join(types)})")
    payoffs = {}
    for t in types:
        if t not in table:
            raise ScenarioError(f"{source}: payoffs: no table [payoffs.{t}] for type {t!r}")
        rows = table[t]
        if not isinstance(rows, dict):
            raise ScenarioError(f"{source}: payoffs.{t}: expected a table \"message, response\" = [sender, receiver]")
        for key, values in rows.items():
            where = f"{source}: payoffs.{t}.\"{key}\""
            parts = [part.strip() for part in key.split(",")]
            if len(parts) != 2:
                raise ScenarioError(f"{where}: expected \"message, response\"")
            message, response = parts
            if message not in messages:
                raise ScenarioError(f"{where}: {message!r} is not a message ({', '.join(messages)})")
            if response not in responses[message]:
                raise ScenarioError(f"{where}: {response!r} is not a response after {message!r} "
                                    f"({', '.join(responses[message])})")
            if (t, message, response) in payoffs:
                raise ScenarioError(f"{where}: this combination is given twice")
            if not isinstance(values, list) or len(values) != 2:
                raise ScenarioError(f"{where}: expected a list of 2 payoffs [sender, receiver]")
            payoffs[(t, message, response)] = tuple(_value(v, names, f"{where}[{k}]") for k, v in enumerate(values))
        for message in messages:
            for response in responses[message]:
                if (t, message, response) not in payoffs:
                    raise ScenarioError(f"{source}: payoffs.{t}: no payoffs for \"{message}, {response}\"")
    return payoffs
