"""Cooperative-game scenario files (``kind = "cooperative"``).

A cooperative scenario is a :class:`~negotiation.scenario.model.Scenario` whose ``game`` is a
:class:`~negotiation.models.cooperative.CooperativeGame`. The file names the players and, in ``[game]``, how
the worth of every coalition is made — one of four forms; every number is a number or a formula over the
declared parameters (read by the allow-list parser, never evaluated as code)::

    schema = "negotiation.scenario/1"
    id = "talmud"
    title = "The Talmud's estate"
    kind = "cooperative"
    players = ["A", "B", "C"]

    [game]
    form = "bankruptcy"              # v(S) = max(0, estate − claims of the others)   (O'Neill 1982)
    estate = "E"
    claims = { A = 100, B = 200, C = 300 }

    # form = "weighted_voting": quota = 39, weights = { P1 = 7, … }     v(S) = 1 if weight(S) ≥ quota
    # form = "glove": left = { L = 1 }, right = { R1 = 1, R2 = 1 }      v(S) = min(left(S), right(S))
    # form = "explicit": [game.worth] with "A, B" = 3 …                  unlisted coalitions are worth 0

    [parameters.E]
    default = 200
    range = [0, 600]

Parameters, ``[derived]``, ``[[assumptions]]``, ``references`` and ``description`` are as in every scenario kind
(``models/README.md``). The game is built at each parameter point from these inputs (so a bankruptcy game's
worths follow its estate exactly); :data:`~negotiation.models.cooperative.MAX_PLAYERS` bounds the players
before any coalition is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import sympy

from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.core.numeric import coerce_number
from negotiation.models.cooperative import MAX_PLAYERS, CooperativeError, CooperativeGame
from negotiation.scenario.loader import (parse_assumptions, parse_derived, parse_header, parse_parameters,
                                         read_number, register_kind)
from negotiation.scenario.model import (Scenario, ScenarioError, describe_derived, describe_footer, describe_header,
                                        describe_model, describe_parameters)

__all__ = ["COOPERATIVE_KEYS", "GAME_KEYS", "CooperativeScenario", "parse_cooperative"]

#: Top-level keys of a cooperative scenario file.
COOPERATIVE_KEYS = {"schema", "id", "title", "kind", "description", "references", "players", "game",
                    "parameters", "derived", "assumptions", "notes"}
#: Keys of ``[game]`` for each form (besides ``form``).
GAME_KEYS = {"bankruptcy": {"estate", "claims"}, "weighted_voting": {"quota", "weights"},
             "glove": {"left", "right"}, "explicit": {"worth"}}
#: Keys of each form that hold one number per player.
_PER_PLAYER = {"claims", "weights", "left", "right"}


@dataclass(frozen=True, eq=False)
class CooperativeScenario(Scenario):
    """A scenario whose model is a cooperative game, built at each parameter point from its inputs.

    ``game`` is the game at the defaults; :meth:`game_at` builds it at other values (ranges and assumptions
    checked), and :meth:`solve` gives its Shapley value, core and nucleolus (and power indices for simple games).

    Examples
    --------
    >>> scenario = parse_cooperative({
    ...     "schema": "negotiation.scenario/1", "id": "talmud", "title": "Talmud", "kind": "cooperative",
    ...     "players": ["A", "B", "C"],
    ...     "game": {"form": "bankruptcy", "estate": "E", "claims": {"A": 100, "B": 200, "C": 300}},
    ...     "parameters": {"E": {"default": 100, "range": [0, 600]}}}, "talmud.toml")
    >>> scenario.solve().nucleolus
    (Fraction(100, 3), Fraction(100, 3), Fraction(100, 3))
    >>> scenario.solve({"E": 300}).solution("nucleolus")["C"]
    Fraction(150, 1)
    """

    model_errors = (CooperativeError,)

    form: str = "explicit"
    inputs: Mapping = field(default_factory=dict)

    def model_at_resolved(self, resolved: Mapping) -> CooperativeGame:
        """The game built from the inputs evaluated at ``resolved`` (values already checked)."""
        try:
            return build_game(self.game.players, self.form, self.inputs, resolved, title=self.title,
                              parameters=self.parameters)
        except CooperativeError as error:
            raise self.error(error) from None

    def describe(self, values: Mapping | None = None) -> str:
        """What ``negotiation show`` prints: parameters with sources, the worths (also at ``values``), sources."""
        lines = describe_header(self)
        lines += ["", f"Kind: {self.kind} ({self.form.replace('_', ' ')}); players: {', '.join(self.game.players)}"]
        lines += describe_parameters(self.parameters)
        lines += describe_derived(self)
        lines += ["", "Inputs:"] + [f"  {key} = {_shown(value)}" for key, value in self.inputs.items()]
        lines += describe_model(self, values, "Characteristic function", lambda game: game.lines(),
                                heading="Characteristic function at the defaults")
        lines += describe_footer(self)
        return "\n".join(lines)


def _shown(value) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)


def _evaluate(expression, values: Mapping, where: str):
    """A formula at resolved parameter values: a ``Fraction`` when exact, else a float."""
    if not isinstance(expression, sympy.Basic):
        return expression
    replacement = {s: (sympy.Rational(values[s.name].numerator, values[s.name].denominator)
                       if isinstance(values[s.name], Fraction) else sympy.Float(values[s.name]))
                   for s in expression.free_symbols if s.name in values}
    value = expression.xreplace(replacement)
    if getattr(value, "free_symbols", None):
        raise CooperativeError(f"{where}: cannot evaluate {expression} "
                               f"(undetermined: {', '.join(sorted(s.name for s in value.free_symbols))})")
    try:
        return coerce_number(value, where=where)
    except ValueError as error:
        raise CooperativeError(str(error)) from None


def build_game(players, form: str, inputs: Mapping, values: Mapping, **options) -> CooperativeGame:
    """The :class:`CooperativeGame` of ``form`` with its ``inputs`` (formulas) evaluated at ``values``.

    Examples
    --------
    >>> build_game(("A", "B"), "glove", {"left": {"A": 1}, "right": {"B": sympy.Symbol("r")}}, {"r": Fraction(2)}
    ...            ).grand_value
    Fraction(1, 1)
    """
    numbers = {}
    for key, value in inputs.items():
        if isinstance(value, Mapping):
            numbers[key] = {label: _evaluate(v, values, f"game.{key}.{label}") for label, v in value.items()}
        else:
            numbers[key] = _evaluate(value, values, f"game.{key}")
    if form == "bankruptcy":
        return CooperativeGame.bankruptcy(players, numbers["estate"], numbers["claims"], values=values, **options)
    if form == "weighted_voting":
        return CooperativeGame.weighted_voting(players, numbers["weights"], numbers["quota"], values=values,
                                               **options)
    if form == "glove":
        return CooperativeGame.glove(players, numbers.get("left", {}), numbers.get("right", {}), values=values,
                                     **options)
    return CooperativeGame.from_values(players, numbers.get("worth", {}), values=values, **options)


@register_kind("cooperative")
def parse_cooperative(data: dict, source: str) -> CooperativeScenario:
    """Build a :class:`CooperativeScenario` from the parsed TOML of a ``kind = "cooperative"`` file.

    Raises
    ------
    ScenarioError
        One line naming the file, the field and what is wrong.

    Examples
    --------
    >>> parse_cooperative({"schema": "negotiation.scenario/1", "id": "x", "title": "X", "kind": "cooperative",
    ...                    "players": ["A", "B"], "game": {"form": "glove", "left": {"C": 1}}}, "x.toml")
    Traceback (most recent call last):
    ...
    negotiation.scenario.model.ScenarioError: x.toml: game.left: unknown player 'C' (players: A, B)
    """
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: expected a TOML table at the top level")
    scenario_id, title, description, references = parse_header(data, source, keys=COOPERATIVE_KEYS,
                                                                kind="cooperative", what="a cooperative")
    players = _players(data.get("players"), source)
    parameters = parse_parameters(data.get("parameters", {}), source)
    symbols = parameters.symbols
    derived = parse_derived(data.get("derived", {}), symbols, source)
    names = {**symbols, **derived}
    form, inputs = _game(data.get("game"), players, names, source)
    assumptions = parse_assumptions(data.get("assumptions", []), symbols, source)
    try:
        parameters.resolve({}, where=source)
        defaults = parameters.defaults
    except ValueError as error:
        raise ScenarioError(str(error)) from None
    try:
        game = build_game(players, form, inputs, defaults, title=title, parameters=parameters)
    except CooperativeError as error:
        raise ScenarioError(f"{source}: {error}") from None
    scenario = CooperativeScenario(
        id=scenario_id, title=title, kind="cooperative", game=game, parameters=parameters,
        description=description.strip(), assumptions=assumptions, references=tuple(references), derived=derived,
        source=Path(source) if source not in ("<scenario>", "") else None, form=form, inputs=inputs)
    scenario.resolve()  # the defaults must satisfy the assumptions
    return scenario


def _players(values, source) -> tuple:
    where = f"{source}: players"
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise ScenarioError(f"{where}: expected a non-empty list of player labels")
    if len(values) > MAX_PLAYERS:
        raise ScenarioError(f"{where}: {len(values)} players is more than MAX_PLAYERS = {MAX_PLAYERS} "
                            f"(a cooperative game stores all 2^n coalition worths)")
    try:
        return CooperativeGame.from_values(values, {}).players
    except CooperativeError as error:
        raise ScenarioError(f"{source}: {error}") from None


def _value(value, names, where):
    """A number (exact) or a formula string (allow-list parser; constants become Fractions)."""
    if isinstance(value, str):
        try:
            expression = parse_expression(value, names, where=where)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
        if not expression.free_symbols and isinstance(expression, sympy.Rational):
            return Fraction(int(expression.p), int(expression.q))
        return expression
    return read_number(value, where)


def _game(table, players, names, source) -> tuple[str, dict]:
    where = f"{source}: game"
    if not isinstance(table, dict):
        raise ScenarioError(f"{where}: expected a table [game] with form = one of {', '.join(GAME_KEYS)}")
    form = table.get("form")
    if form not in GAME_KEYS:
        raise ScenarioError(f"{where}.form: expected one of {', '.join(GAME_KEYS)}, found {form!r}")
    allowed = GAME_KEYS[form]
    unknown = sorted(set(table) - allowed - {"form"})
    if unknown:
        raise ScenarioError(f"{where}: unknown key {unknown[0]!r} for form {form!r} "
                            f"(expected: form, {', '.join(sorted(allowed))})")
    required = allowed - {"left", "right", "worth"}
    missing = sorted(key for key in required if key not in table)
    if missing:
        raise ScenarioError(f"{where}.{missing[0]}: missing (form {form!r} needs {', '.join(sorted(allowed))})")
    inputs = {}
    for key in sorted(allowed & set(table)):
        if key == "worth":
            inputs[key] = _worth(table[key], players, names, f"{where}.worth")
        elif key in _PER_PLAYER:
            inputs[key] = _per_player(table[key], players, names, f"{where}.{key}")
        else:
            inputs[key] = _value(table[key], names, f"{where}.{key}")
    return form, inputs


def _per_player(value, players, names, where) -> dict:
    if isinstance(value, list):
        if len(value) != len(players):
            raise ScenarioError(f"{where}: {len(value)} numbers given for {len(players)} players")
        return {p: _value(v, names, f"{where}[{k}]") for k, (p, v) in enumerate(zip(players, value))}
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: expected a table player = number, or a list with one number per player")
    unknown = [p for p in value if p not in players]
    if unknown:
        raise ScenarioError(f"{where}: unknown player {unknown[0]!r} (players: {', '.join(players)})")
    return {p: _value(v, names, f"{where}.{p}") for p, v in value.items()}


def _worth(value, players, names, where) -> dict:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: expected a table \"A, B\" = worth (unlisted coalitions are worth 0)")
    worth = {}
    seen = {}
    for key, number in value.items():
        labels = tuple(part.strip() for part in key.split(","))
        for label in labels:
            if label not in players:
                raise ScenarioError(f"{where}.\"{key}\": unknown player {label!r} (players: {', '.join(players)})")
        if len(set(labels)) != len(labels):
            raise ScenarioError(f"{where}.\"{key}\": a player is listed twice")
        canonical = frozenset(labels)
        if canonical in seen:
            raise ScenarioError(f"{where}.\"{key}\": the same coalition as \"{seen[canonical]}\"")
        seen[canonical] = key
        worth[labels] = _value(number, names, f"{where}.\"{key}\"")
    return worth
