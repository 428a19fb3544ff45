"""The ``[repetition]`` section of a normal-form scenario file: the stage game played again and again.

```toml
[repetition]
discount = "delta"                  # number or formula in the parameters; optional
rounds = "infinite"                 # or a whole number of rounds (default "infinite")
target = ["Restrain", "Restrain"]   # the profile to sustain, one strategy per player (required)
punishment = "nash"                 # or a profile: the stage equilibrium played after a deviation
strategies = ["grim_trigger", "tit_for_tat"]   # default ["grim_trigger"]
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
from negotiation.core.numeric import format_number
from negotiation.models.repeated import Repetition
from negotiation.results.repeated import STRATEGY_TITLES
from negotiation.scenario.model import ScenarioError
from negotiation.solvers.repeated import RepeatedGameError, analyse_repetition

__all__ = ["Repetition", "RepetitionOption", "parse_repetition", "REPETITION_KEYS", "REPETITION_STRATEGIES", "MAX_ROUNDS"]

#: Keys a ``[repetition]`` table may have.
REPETITION_KEYS = ("discount", "rounds", "target", "punishment", "strategies")
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
    return Repetition(target=target, rounds=rounds, discount=discount, discount_text=text,
                      punishment=punishment, strategies=listed, source=source)


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
