"""The ``[repetition]`` section of a normal-form scenario file: the stage game played again and again.

```toml
[repetition]
discount = "delta"                  # number or formula in the parameters; optional
rounds = "infinite"                 # or a whole number of rounds (default "infinite")
target = ["Restrain", "Restrain"]   # the profile to sustain, one strategy per player (required)
punishment = "nash"                 # or a profile: the stage equilibrium played after a deviation
strategies = ["grim_trigger", "tit_for_tat"]   # default ["grim_trigger"]
noise = "1/100"                     # implementation error rate ε (optional; `negotiation noisy`)
perception = 0                      # perception error rate ε' (optional)
automata = ["TFT", "WSLS", "Contrite"]   # library names or automata defined below (optional)

[repetition.automaton.Contrite]     # a user-defined automaton (at most MAX_AUTOMATON_STATES states)
states = ["good", "sorry"]          # the first is the initial state unless `initial` names another
play = { good = "Restrain", sorry = "Restrain" }   # an action, or a table of probabilities
next = { good = { Deploy = "sorry", "*" = "good" }, sorry = { "*" = "good" } }
# `next` keys: the other's observed action, "OWN, OTHER" (own action as played, then the other's), "*" (else)
```

The section is data: the discount formula goes through the allow-list parser
of :mod:`negotiation.core.expressions`, never ``eval``. Every error is a
one-line :class:`~negotiation.scenario.model.ScenarioError` naming the file and
the field. :func:`negotiation.solvers.repeated.analyse_repetition` answers the section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.core.labels import normalise_label
from negotiation.core.numeric import exact_value, format_number
from negotiation.models.automata import MAX_AUTOMATON_STATES, Automaton, AutomatonError, NoisyRepetition
from negotiation.models.repeated import Repetition
from negotiation.results.repeated import STRATEGY_TITLES
from negotiation.scenario.model import ScenarioError
from negotiation.solvers.repeated import RepeatedGameError, analyse_repetition

__all__ = ["Repetition", "RepetitionOption", "parse_repetition", "REPETITION_KEYS", "REPETITION_STRATEGIES", "MAX_ROUNDS",
           "NOISE_KEYS", "AUTOMATON_KEYS", "MAX_DEFINED_AUTOMATA", "noisy_settings"]

#: Keys of a ``[repetition]`` table about errors and automata (``negotiation noisy``).
NOISE_KEYS = ("noise", "perception", "automata", "automaton")
#: Keys a ``[repetition]`` table may have.
REPETITION_KEYS = ("discount", "rounds", "target", "punishment", "strategies", *NOISE_KEYS)
#: Keys of one ``[repetition.automaton.NAME]`` table.
AUTOMATON_KEYS = ("states", "initial", "play", "next", "description")
#: Most automata one scenario may define (each is compared with every other: see
#: ``negotiation.solvers.noisy_repetition.MAX_COMPARED_AUTOMATA``).
MAX_DEFINED_AUTOMATA = 12
#: Repeated-game strategies whose critical discount factor the toolkit computes.
REPETITION_STRATEGIES = tuple(STRATEGY_TITLES)
#: Largest accepted number of rounds of a finitely repeated game.
MAX_ROUNDS = 10_000


@dataclass(frozen=True)
class RepetitionOption:
    """A scenario's ``[repetition]`` section attached to its (symbolic) stage game: the scenario-option protocol
    of :meth:`~negotiation.scenario.model.Scenario.analyses` (``name`` and ``analyse(values)``)."""

    repetition: Repetition
    game: Any = field(repr=False, compare=False)
    name: str = "repetition"

    def analyse(self, values: Mapping | None = None):
        """:func:`negotiation.solvers.repeated.analyse_repetition` on the stage game at resolved ``values``."""
        source = self.repetition.source
        try:
            return analyse_repetition(self.game, self.repetition, values)
        except RepeatedGameError as error:
            message = str(error)
            prefix = f"{source}: " if source and not message.startswith(source) else ""
            raise ScenarioError(prefix + message) from None


def parse_repetition(table, players, strategies, symbols: Mapping, source: str) -> Repetition:
    """Validate a ``[repetition]`` table of a scenario file.

    Parameters
    ----------
    table : mapping
        The TOML table.
    players : sequence of str
        Player labels of the stage game.
    strategies : sequence of sequences of str
        Each player's strategy labels.
    symbols : mapping
        Names a discount formula may use (declared parameters, derived quantities).
    source : str
        File name for messages.

    Returns
    -------
    Repetition

    Raises
    ------
    ScenarioError
        One line ``"{source}: repetition.{field}: …"``.

    Examples
    --------
    >>> import sympy
    >>> delta = sympy.Symbol("delta")
    >>> section = {"discount": "delta", "target": ["Restrain", "Restrain"],
    ...            "strategies": ["grim_trigger", "tit_for_tat"]}
    >>> r = parse_repetition(section, ("NATO", "Russia"), (("Restrain", "Deploy"),) * 2,
    ...                      {"delta": delta}, "x.toml")
    >>> r.discount, r.rounds, r.target, r.punishment
    (delta, None, ('Restrain', 'Restrain'), 'nash')
    >>> parse_repetition({"target": ["Restrain"]}, ("NATO", "Russia"),
    ...                  (("Restrain", "Deploy"),) * 2, {}, "x.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    negotiation.scenario.model.ScenarioError: x.toml: repetition.target: expected a list of 2 strategy labels ...
    """
    where = f"{source}: repetition"
    players = tuple(players)
    strategies = tuple(tuple(s) for s in strategies)
    if not isinstance(table, Mapping):
        raise ScenarioError(f"{where}: expected a table with the keys {', '.join(REPETITION_KEYS)}")
    unknown = sorted(set(table) - set(REPETITION_KEYS))
    if unknown:
        raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(REPETITION_KEYS)})")
    rounds = _rounds(table.get("rounds", "infinite"), f"{where}.rounds")
    if "target" not in table:
        raise ScenarioError(f"{where}.target: missing (the profile to sustain, one strategy per player)")
    target = _profile(table["target"], players, strategies, f"{where}.target")
    punishment = table.get("punishment", "nash")
    if punishment != "nash":
        if isinstance(punishment, str):
            raise ScenarioError(f"{where}.punishment: expected \"nash\" or a profile (a list of strategy "
                                f"labels), found {punishment!r}")
        punishment = _profile(punishment, players, strategies, f"{where}.punishment")
    listed = _strategies(table.get("strategies", ["grim_trigger"]), f"{where}.strategies")
    discount, text = _discount(table.get("discount"), symbols, rounds, f"{where}.discount")
    terms = dict(target=target, rounds=rounds, discount=discount, discount_text=text, punishment=punishment,
                 strategies=listed, source=source)
    if not set(table) & set(NOISE_KEYS):
        return Repetition(**terms)
    defined = _automata(table.get("automaton", {}), strategies, f"{where}.automaton")
    names = table.get("automata", [a.name for a in defined])
    if (not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names)
            or len(names) > MAX_DEFINED_AUTOMATA):
        raise ScenarioError(f"{where}.automata: expected a list of at most {MAX_DEFINED_AUTOMATA} automaton names "
                            f"(ALLC, ALLD, GRIM, TFT, GTFT(g), WSLS or names defined under "
                            f"[repetition.automaton]), found {names!r}")
    return NoisyRepetition(**terms, noise=_rate(table.get("noise"), f"{where}.noise"),
                           perception=_rate(table.get("perception"), f"{where}.perception"),
                           automata=tuple(n.strip() for n in names), defined=defined)


def _rate(value, where):
    """An error rate in [0, 1], exact (``None`` when not given)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ScenarioError(f"{where}: expected an error rate in [0, 1] (a number or \"1/100\"), found {value!r}")
    try:
        rate = exact_value(value, where=where)
    except ValueError as error:
        raise ScenarioError(str(error)) from None
    if not 0 <= rate <= 1:
        raise ScenarioError(f"{where}: expected an error rate in [0, 1], found {format_number(rate)}")
    return rate


def _automata(table, strategies, where) -> tuple:
    """The ``[repetition.automaton.NAME]`` tables as automata over the players' (shared) strategy labels."""
    if not isinstance(table, Mapping):
        raise ScenarioError(f"{where}: expected tables [repetition.automaton.NAME]")
    if len(table) > MAX_DEFINED_AUTOMATA:
        raise ScenarioError(f"{where}: {len(table)} automata exceed MAX_DEFINED_AUTOMATA = {MAX_DEFINED_AUTOMATA}")
    if table and (len(strategies) != 2 or strategies[0] != strategies[1]):
        raise ScenarioError(f"{where}: automata can be defined when both players have the same strategy labels")
    return tuple(_automaton(name, spec, strategies[0], f"{where}.{name}") for name, spec in table.items())


def _automaton(name, spec, actions, where) -> Automaton:
    if not isinstance(spec, Mapping) or set(spec) - set(AUTOMATON_KEYS) or not {"states", "play", "next"} <= set(spec):
        raise ScenarioError(f"{where}: expected a table with the keys states, play and next (and optionally "
                            f"initial, description)")
    states = spec["states"]
    if (not isinstance(states, list) or not 1 <= len(states) <= MAX_AUTOMATON_STATES
            or not all(isinstance(s, str) and s.strip() for s in states)):
        raise ScenarioError(f"{where}.states: expected a list of 1 to {MAX_AUTOMATON_STATES} state names "
                            f"(MAX_AUTOMATON_STATES), found {states!r}")
    states = tuple(s.strip() for s in states)
    initial = spec.get("initial", states[0])
    if initial not in states:
        raise ScenarioError(f"{where}.initial: {initial!r} is not one of the states {list(states)}")
    play = tuple(_play(spec["play"], state, actions, f"{where}.play.{state}") for state in states)
    moves = tuple(_moves(spec["next"], state, states, actions, f"{where}.next.{state}") for state in states)
    try:
        return Automaton(name, tuple(actions), tuple(actions), states, play, moves, states.index(initial),
                         str(spec.get("description", "")))
    except AutomatonError as error:
        raise ScenarioError(f"{where}: {error}") from None


def _play(table, state, actions, where) -> tuple:
    if not isinstance(table, Mapping) or state not in table:
        raise ScenarioError(f"{where}: missing (an action, or a table action = probability)")
    value = table[state]
    if isinstance(value, str):
        if value.strip() not in actions:
            raise ScenarioError(f"{where}: {value!r} is not a strategy ({', '.join(actions)})")
        return tuple(Fraction(a == value.strip()) for a in actions)
    if not isinstance(value, Mapping) or set(value) - set(actions):
        raise ScenarioError(f"{where}: expected an action or a table of probabilities of the actions "
                            f"{', '.join(actions)}")
    try:
        row = tuple(exact_value(value.get(a, 0), where=f"{where}.{a}") for a in actions)
    except ValueError as error:
        raise ScenarioError(str(error)) from None
    if any(p < 0 for p in row) or sum(row) != 1:
        raise ScenarioError(f"{where}: expected probabilities that are at least 0 and add up to 1")
    return row


def _moves(table, state, states, actions, where) -> tuple:
    """``moves[own][other]``: the next state after each own action and each observed action of the other."""
    if not isinstance(table, Mapping) or not isinstance(table.get(state), Mapping):
        raise ScenarioError(f"{where}: missing (a table: observed action, \"OWN, OTHER\" or \"*\" = next state)")
    rules = {}
    for key, target in table[state].items():
        parts = tuple(p.strip() for p in key.split(","))
        if not (parts == ("*",) or (len(parts) == 1 and parts[0] in actions)
                or (len(parts) == 2 and all(p in actions for p in parts))):
            raise ScenarioError(f"{where}: key {key!r}: expected an action of the other, \"OWN, OTHER\" or \"*\" "
                                f"(actions: {', '.join(actions)})")
        if target not in states:
            raise ScenarioError(f"{where}.{key}: {target!r} is not one of the states {list(states)}")
        rules[parts] = states.index(target)
    moves = []
    for own in actions:
        row = []
        for other in actions:
            found = rules.get((own, other), rules.get((other,), rules.get(("*",))))
            if found is None:
                raise ScenarioError(f"{where}: no next state after own {own!r} and other {other!r} "
                                    "(add it, or a \"*\" key)")
            row.append(found)
        moves.append(tuple(row))
    return tuple(moves)


def noisy_settings(scenario, values=None) -> dict:
    """What ``negotiation noisy`` needs from a scenario at ``values``: the numeric stage game, the discount,
    the error rates, the automata named and defined, and the cooperative strategy (keys ``game``,
    ``discount``, ``noise``, ``perception``, ``automata``, ``defined``, ``cooperate``); ``None`` where the
    scenario does not say."""
    resolved = scenario.resolve(values)
    game = scenario.model_at_resolved(resolved)
    option = next((o for o in scenario.options if isinstance(o, RepetitionOption)), None)
    repetition = None if option is None else option.repetition
    discount = None if repetition is None else repetition.discount
    if discount is not None and getattr(discount, "free_symbols", None):
        import sympy  # the discount is a formula in the parameters: sympy is loaded already

        point = {s: sympy.Rational(str(exact_value(resolved[s.name], where=s.name)))
                 for s in discount.free_symbols if s.name in resolved}
        discount = discount.xreplace(point)
        if discount.free_symbols or not isinstance(discount, sympy.Rational):
            raise ScenarioError(f"{scenario.source or scenario.id}: repetition.discount: not a rational number at "
                                "these values")
        discount = Fraction(int(discount.p), int(discount.q))
    noisy = isinstance(repetition, NoisyRepetition)
    return {"game": game, "discount": discount, "noise": repetition.noise if noisy else None,
            "perception": repetition.perception if noisy else None,
            "automata": repetition.automata if noisy else (), "defined": repetition.defined if noisy else (),
            "cooperate": scenario.cooperate}


def _rounds(value, where):
    if value == "infinite":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"{where}: expected \"infinite\" or a whole number of rounds, found {value!r}")
    if not 1 <= value <= MAX_ROUNDS:
        raise ScenarioError(f"{where}: expected between 1 and {MAX_ROUNDS} rounds, found {value}")
    return value


def _profile(value, players, strategies, where) -> tuple:
    if (not isinstance(value, list) or len(value) != len(players)
            or not all(isinstance(s, str) for s in value)):
        raise ScenarioError(f"{where}: expected a list of {len(players)} strategy labels "
                            f"(one for each of {', '.join(players)}), found {value!r}")
    labels = tuple(normalise_label(s.strip(), where=where, what="strategy label", error=ScenarioError) for s in value)
    for player, own, label in zip(players, strategies, labels):
        if label not in own:
            raise ScenarioError(f"{where}: {label!r} is not a strategy of {player} ({', '.join(own)})")
    return labels


def _strategies(value, where) -> tuple:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
        raise ScenarioError(f"{where}: expected a non-empty list of strategy names "
                            f"({', '.join(REPETITION_STRATEGIES)}), found {value!r}")
    for name in value:
        if name not in REPETITION_STRATEGIES:
            raise ScenarioError(f"{where}: unknown strategy {name!r} (expected: {', '.join(REPETITION_STRATEGIES)})")
    if len(set(value)) != len(value):
        duplicate = next(s for s in value if value.count(s) > 1)
        raise ScenarioError(f"{where}: {duplicate!r} is listed twice")
    return tuple(value)


def _discount(value, symbols, rounds, where):
    """``(discount, text)``: an exact number or a sympy expression in the parameters, or ``(None, None)``."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: expected a number or a formula, found {value}")
    if isinstance(value, int):
        number, text = Fraction(value), str(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ScenarioError(f"{where}: expected a finite number, found {value}")
        number, text = Fraction(repr(value)), repr(value)  # the decimal as written, exactly
    elif isinstance(value, str):
        text = value.strip()
        try:
            parsed = parse_expression(text, symbols, where=where)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
        import sympy

        from sympy.logic.boolalg import BooleanAtom, BooleanFunction

        if isinstance(parsed, (BooleanAtom, BooleanFunction, sympy.core.relational.Relational)):
            raise ScenarioError(f"{where}: expected a number or a formula, found the condition {text!r}")
        if parsed.free_symbols:
            return parsed, text
        if isinstance(parsed, sympy.Rational):
            number = Fraction(int(parsed.p), int(parsed.q))
        else:
            try:
                number = float(parsed)
            except TypeError:
                raise ScenarioError(f"{where}: expected a real number, found {text!r}") from None
    else:
        raise ScenarioError(f"{where}: expected a number or a formula, found {value!r}")
    if rounds is None and not 0 <= number < 1:
        raise ScenarioError(f"{where}: expected a discount factor in [0, 1) for infinite repetition, "
                            f"found {format_number(number)}")
    if rounds is not None and not 0 < number <= 1:
        raise ScenarioError(f"{where}: expected a discount factor in (0, 1], found {format_number(number)}")
    return number, text
