"""Scenario files of ``kind = "continuous"``: games in which each player chooses a number.

The file shares the header, ``[parameters]``, ``[derived]`` and ``[[assumptions]]`` sections of
every scenario file (``models/README.md``) and adds::

    [players.NATO]
    variable = "x"                       # the choice variable used in the payoffs
    range = [0, "xmax"]                  # numbers or formulas; the upper end may be "inf"
    label = "forward-deployed brigades"  # what the number means (tables, plot axes)

    [players.Russia]
    variable = "y"
    range = [0, "inf"]
    label = "forward-deployed brigades"

    [players.Russia.types.low_cost]      # optional: finite types with a common prior
    probability = "p"                    # formula in the parameters; a player's types sum to 1
    values = { cR = "1" }                # type-dependent names, usable in every payoff

    [players.Russia.types.high_cost]
    probability = "1 - p"
    values = { cR = "3" }

    [payoffs]                            # one formula per player, in choices, parameters, derived
    NATO = "x*(V - s*(x + y)) - cN*x"    # quantities and type-dependent names
    Russia = "y*(V - s*(x + y)) - cR*y"

    [dynamics]                           # optional: the scenario's Richardson arms-race dynamics
    kind = "richardson"                  # dx/dt = a*y - m*x + g, dy/dt = b*x - n*y + h
    a = "alpha"                          # a, b, m, n, g, h: formulas in the parameters
    b = "beta"
    m = "mu"
    n = "nu"
    g = "gN"
    h = "gR"
    sides = ["NATO", "Russia"]           # optional: x is the first (default: the players in order)
    unit = "brigades"                    # optional, for plots
    time_unit = "years"

Every formula is parsed by :mod:`negotiation.core.expressions` (allow-list, no ``eval``);
errors are one line naming the file and the field (:class:`ScenarioError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import sympy

from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.core.labels import normalise_label, normalise_labels
from negotiation.core.numeric import format_number
from negotiation.models.continuous import ContinuousGame, ContinuousGameError, PlayerType
from negotiation.models.richardson import COEFFICIENTS, RichardsonError, RichardsonModel
from negotiation.scenario.loader import (parse_assumptions, parse_derived, parse_header, parse_parameters,
                                         read_number, register_kind)
from negotiation.scenario.model import (describe_derived, describe_footer, describe_header,
    describe_parameters, resolve_values, Scenario, ScenarioError)

__all__ = ["ContinuousScenario", "parse_continuous", "CONTINUOUS_KEYS", "PLAYER_KEYS",
           "TYPE_KEYS", "DYNAMICS_KEYS"]

#: Top-level keys of a continuous scenario file.
CONTINUOUS_KEYS = {"schema", "id", "title", "kind", "description", "references", "players", "parameters",
                   "derived", "payoffs", "assumptions", "dynamics", "notes"}
#: Keys of one ``[players.NAME]`` table.
PLAYER_KEYS = {"variable", "range", "label", "types"}
#: Keys of one ``[players.NAME.types.TYPE]`` table.
TYPE_KEYS = {"probability", "values", "description"}
#: Keys of the ``[dynamics]`` table.
DYNAMICS_KEYS = {"kind", "a", "b", "m", "n", "g", "h", "sides", "unit", "time_unit", "description"}
_INFINITE = {"inf", "+inf", "oo", "infinity"}


@dataclass(frozen=True, eq=False)
class ContinuousScenario(Scenario):
    """A scenario whose model is a :class:`~negotiation.models.continuous.ContinuousGame`.

    ``dynamics`` is the symbolic :class:`~negotiation.models.richardson.RichardsonModel` of the
    ``[dynamics]`` section, or None.

    Examples
    --------
    >>> import negotiation as ng
    >>> scenario = ng.load("force_posture_cournot")
    >>> scenario.kind, scenario.game.players
    ('continuous', ('NATO', 'Russia'))
    >>> result = scenario.solve()
    >>> result[0]["NATO"], result[0]["Russia"], result.method
    (Fraction(40, 3), Fraction(28, 3), 'first_order_conditions')
    """

    model_errors = (ContinuousGameError,)
    substitute_always = True

    dynamics: object = None

    def dynamics_at(self, values: Mapping | None = None):
        """The numeric Richardson model of the ``[dynamics]`` section at ``values``."""
        if self.dynamics is None:
            raise ScenarioError(f"{self._where()}: no [dynamics] section (add kind = \"richardson\" and a, b, m, n, "
                                "g, h)")
        resolved = resolve_values(self.parameters, self.assumptions, values, where=self._where())
        return self.dynamics.substitute(resolved)

    def describe(self, values: Mapping | None = None) -> str:
        """What ``negotiation show`` prints: players, ranges, payoffs, parameters, dynamics, sources."""
        lines = describe_header(self)
        game = self.game
        lines += ["", f"Kind: {self.kind}; players: {', '.join(game.players)}"
                      + ("; Bayesian (types with a common prior)" if game.is_bayesian else "")]
        lines += describe_parameters(self.parameters)
        lines += describe_derived(self)
        lines += ["", "Game:"]
        lines += ["  " + line for line in game.to_text().splitlines()[1:]]
        if self.dynamics is not None:
            lines += ["", "Dynamics (Richardson):", f"  {self.dynamics}"]
        if self.parameters.parameters:
            numeric = self.game_at(values)
            shown = ", ".join(f"{k} = {format_number(v)}" for k, v in numeric.values.items())
            lines += ["", f"Game at {shown}:"]
            lines += ["  " + line for line in numeric.to_text().splitlines()[1:] if not line.startswith("  at ")]
        lines += describe_footer(self)
        return "\n".join(lines)


def _formula(value, names, where):
    """A TOML number or a formula string as a sympy expression."""
    if isinstance(value, str):
        try:
            expression = parse_expression(value, names, where=where)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
        if not isinstance(expression, sympy.Expr):
            raise ScenarioError(f"{where}: expected a value, found the condition {value!r}")
        return expression
    number = read_number(value, where)
    return sympy.Rational(number.numerator, number.denominator)


@register_kind("continuous")
def parse_continuous(data: dict, source: str) -> ContinuousScenario:
    """Build a :class:`ContinuousScenario` from the parsed TOML of a ``kind = "continuous"`` file.

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
    >>> scenario = parse_continuous({
    ...     "schema": "negotiation.scenario/1", "id": "duopoly", "title": "Duopoly", "kind": "continuous",
    ...     "parameters": {"c": {"default": 1, "range": [0, 5], "description": "unit cost", "source": "example"}},
    ...     "players": {"A": {"variable": "q1", "range": [0, "inf"]}, "B": {"variable": "q2", "range": [0, "inf"]}},
    ...     "payoffs": {"A": "(10 - q1 - q2 - c)*q1", "B": "(10 - q1 - q2 - c)*q2"}}, "duopoly.toml")
    >>> scenario.solve()[0]["A"]
    Fraction(3, 1)
    """
    where = source
    scenario_id, title, description, references = parse_header(data, where, keys=CONTINUOUS_KEYS, kind="continuous",
                                                                what="a continuous")
    kind = "continuous"
    parameters = parse_parameters(data.get("parameters", {}), source)
    symbols = parameters.symbols
    derived = parse_derived(data.get("derived", {}), symbols, source)
    names = {**symbols, **derived}

    players, variables, bounds, labels, types, type_names = _players(data.get("players"), names, where)
    choice = {v: sympy.Symbol(v, real=True) for v in variables}
    clash = sorted(set(type_names) & (set(names) | set(choice)))
    if clash:
        raise ScenarioError(f"{where}: players: type-dependent name {clash[0]!r} is also a parameter or a variable")
    formula_names = {**names, **choice, **{t: sympy.Symbol(t, real=True) for t in type_names}}
    payoff_table = data.get("payoffs")
    if not isinstance(payoff_table, dict):
        raise ScenarioError(f"{where}: payoffs: expected a table player = \"formula\"")
    unknown = sorted(set(payoff_table) - set(players))
    if unknown:
        raise ScenarioError(f"{where}: payoffs.{unknown[0]}: not a player ({', '.join(players)})")
    payoffs = []
    for player in players:
        if player not in payoff_table:
            raise ScenarioError(f"{where}: payoffs: no payoff for {player!r}")
        payoffs.append(_formula(payoff_table[player], formula_names, f"{where}: payoffs.{player}"))
    try:
        game = ContinuousGame(tuple(players), tuple(variables), tuple(bounds), tuple(payoffs), title=title,
                              labels=tuple(labels), types=types, parameters=parameters)
    except ContinuousGameError as error:
        raise ScenarioError(f"{where}: {error}") from None
    assumptions = parse_assumptions(data.get("assumptions", []), symbols, source)
    dynamics = None
    if "dynamics" in data:
        dynamics = _dynamics(data["dynamics"], names, players, title, f"{where}: dynamics")
    scenario = ContinuousScenario(
        id=scenario_id, title=title, kind=kind, game=game, parameters=parameters,
        description=description.strip(), assumptions=assumptions, references=tuple(references),
        derived=derived, source=Path(source) if source not in ("<scenario>", "") else None, dynamics=dynamics,
    )
    if len(parameters.defaults) == len(parameters):
        scenario.game_at()  # the defaults must satisfy the assumptions and give a valid game
        if dynamics is not None:
            scenario.dynamics_at()
    return scenario


def _players(table, names, where):
    """The ``[players.NAME]`` tables: labels, variables, ranges, descriptions, types and type-dependent names."""
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{where}: players: expected [players.NAME] tables with variable and range")
    players, variables, bounds, labels, types = [], [], [], [], {}
    type_names = {}
    for player, spec in table.items():
        at = f"{where}: players.{player}"
        if not isinstance(spec, dict):
            raise ScenarioError(f"{at}: expected a table with variable, range and label")
        unknown = sorted(set(spec) - PLAYER_KEYS)
        if unknown:
            raise ScenarioError(f"{at}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(PLAYER_KEYS))})")
        variable = spec.get("variable")
        if isinstance(variable, str):
            variable = normalise_label(variable, where=f"{at}.variable", what="variable name", error=ScenarioError)
        if not isinstance(variable, str) or not variable.isidentifier():
            raise ScenarioError(f"{at}.variable: expected an identifier such as \"x\", found {variable!r}")
        if variable in names or variable in variables:
            raise ScenarioError(f"{at}.variable: {variable!r} is already a parameter, derived name or variable")
        interval = spec.get("range")
        if not isinstance(interval, list) or len(interval) != 2:
            raise ScenarioError(f"{at}.range: expected [low, high] (numbers or formulas; high may be \"inf\")")
        low = _formula(interval[0], names, f"{at}.range[0]")
        if isinstance(interval[1], str) and interval[1].strip().lower() in _INFINITE:
            high = sympy.oo
        else:
            high = _formula(interval[1], names, f"{at}.range[1]")
        label = spec.get("label", "")
        if not isinstance(label, str):
            raise ScenarioError(f"{at}.label: expected a string")
        label = normalise_label(label, where=f"{at}.label", error=ScenarioError)
        if "types" in spec:
            types[player] = _types(spec["types"], names, f"{at}.types", type_names)
        players.append(player)
        variables.append(variable)
        bounds.append((low, high))
        labels.append(label)
    return players, variables, bounds, labels, types, type_names


def _types(table, names, at, type_names):
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{at}: expected [{at.split(': ')[-1]}.LABEL] tables with probability and values")
    items = []
    keys = None
    for label, spec in table.items():
        here = f"{at}.{label}"
        if not isinstance(spec, dict):
            raise ScenarioError(f"{here}: expected a table with probability and values")
        unknown = sorted(set(spec) - TYPE_KEYS)
        if unknown:
            raise ScenarioError(f"{here}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(TYPE_KEYS))})")
        if "probability" not in spec:
            raise ScenarioError(f"{here}: missing 'probability'")
        probability = _formula(spec["probability"], names, f"{here}.probability")
        values = spec.get("values", {})
        if not isinstance(values, dict):
            raise ScenarioError(f"{here}.values: expected a table name = value")
        for name in values:
            if not name.isidentifier():
                raise ScenarioError(f"{here}.values: {name!r} is not an identifier")
        if keys is None:
            keys = set(values)
        elif set(values) != keys:
            raise ScenarioError(f"{here}.values: expected the names {sorted(keys)} (as the other types), "
                                f"found {sorted(values)}")
        parsed = {k: _formula(v, names, f"{here}.values.{k}") for k, v in values.items()}
        items.append(PlayerType(label, probability, parsed))
    for name in keys or ():
        if name in type_names:
            raise ScenarioError(f"{at}: type-dependent name {name!r} is used by another player's types")
        type_names[name] = True
    return tuple(items)


def _dynamics(table, names, players, title, at):
    if not isinstance(table, dict):
        raise ScenarioError(f"{at}: expected a table with kind = \"richardson\" and a, b, m, n, g, h")
    unknown = sorted(set(table) - DYNAMICS_KEYS)
    if unknown:
        raise ScenarioError(f"{at}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(DYNAMICS_KEYS))})")
    if table.get("kind") != "richardson":
        raise ScenarioError(f"{at}.kind: expected \"richardson\", found {table.get('kind')!r}")
    missing = [c for c in COEFFICIENTS if c not in table]
    if missing:
        raise ScenarioError(f"{at}: missing coefficient {missing[0]!r} (dx/dt = a*y - m*x + g, dy/dt = b*x - n*y + h)")
    coefficients = {c: _formula(table[c], names, f"{at}.{c}") for c in COEFFICIENTS}
    sides = table.get("sides", players[:2])
    if not isinstance(sides, list) and not isinstance(sides, tuple) or len(sides) != 2 or not all(
            isinstance(s, str) for s in sides):
        raise ScenarioError(f"{at}.sides: expected two side names, e.g. [\"NATO\", \"Russia\"]")
    if len(players) < 2 and "sides" not in table:
        raise ScenarioError(f"{at}.sides: the scenario has fewer than two players; name the two sides")
    sides = normalise_labels(sides, where=f"{at}.sides", what="side name", error=ScenarioError)
    for key in ("unit", "time_unit"):
        if key in table and not isinstance(table[key], str):
            raise ScenarioError(f"{at}.{key}: expected a string")
    try:
        return RichardsonModel(**coefficients, labels=tuple(sides), title=f"{title}: Richardson dynamics",
                               unit=table.get("unit", ""), time_unit=table.get("time_unit", ""))
    except RichardsonError as error:
        raise ScenarioError(f"{at}: {error}") from None
