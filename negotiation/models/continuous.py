"""Games with continuous choices: each player picks a number in an interval.

A :class:`ContinuousGame` has labelled players, one choice variable per player
(forces deployed, output, effort) restricted to an interval ``[low, high]``
(``high`` may be ``oo``), and payoffs that are sympy expressions in the
choices and in named parameters. Optionally a player has finitely many types
with a common (independent) prior: the choice of player *i* of type *t* is
the variable ``x_i_t`` and each type maximises its interim expected payoff
(:meth:`ContinuousGame.agents`).

The equilibria are found by :func:`negotiation.solvers.continuous.solve_continuous`
(``ng.solve(game)``); the closed forms with their conditions by ``ng.derive(game)``.

Examples
--------
>>> game = ContinuousGame(("NATO", "Russia"), ("x", "y"), ((0, 10), (0, 10)),
...                       ("-(x - y/2 - 1)**2", "-(y - x/2 - 1)**2"))
>>> game.players, game.free_parameters, game.kind
(('NATO', 'Russia'), (), 'continuous')
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from typing import Any, Mapping

import numpy as np
import sympy

from negotiation.core.drawing import plot
from negotiation.core.errors import NegotiationError
from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.core.labels import normal_form, normalise_labels
from negotiation.core.numeric import coerce_number, format_number, json_number
from negotiation.core.parameters import ParameterSpace

__all__ = ["ContinuousGameError", "PlayerType", "Agent", "ContinuousGame", "sympy_value", "to_number",
           "show_value", "json_value"]

_INFINITE_WORDS = {"inf", "+inf", "oo", "infinity", "+infinity"}


class ContinuousGameError(NegotiationError):
    """A continuous game (or a request about one) is invalid; one line naming the field and value."""


# ---------------------------------------------------------------------------- helpers
def _as_expr(value, names: Mapping, where: str, *, allow_infinite: bool = False):
    """A number, a sympy expression, or a formula string (allow-list parser) as a sympy expression."""
    if isinstance(value, bool):
        raise ContinuousGameError(f"{where}: expected a number or an expression, found {value}")
    if isinstance(value, sympy.Basic):
        expression = value
    elif isinstance(value, Fraction):
        expression = sympy.Rational(value.numerator, value.denominator)
    elif isinstance(value, (int, np.integer)):
        expression = sympy.Integer(int(value))
    elif isinstance(value, (float, np.floating)):
        if math.isinf(value) and allow_infinite:
            expression = sympy.oo if value > 0 else -sympy.oo
        elif not math.isfinite(value):
            raise ContinuousGameError(f"{where}: expected a finite number, found {value}")
        else:
            expression = sympy.Float(float(value))
    elif isinstance(value, str):
        text = value.strip().lower()
        if allow_infinite and text in _INFINITE_WORDS:
            return sympy.oo
        if allow_infinite and text.startswith("-") and text[1:].strip() in _INFINITE_WORDS:
            return -sympy.oo
        try:
            expression = parse_expression(value, names, where=where)
        except ExpressionError as error:
            raise ContinuousGameError(str(error)) from None
    else:
        raise ContinuousGameError(f"{where}: expected a number or an expression, found {value!r}")
    if isinstance(expression, sympy.logic.boolalg.Boolean) and not isinstance(expression, sympy.Expr):
        raise ContinuousGameError(f"{where}: expected a value, found the condition {expression}")
    if expression.has(sympy.zoo, sympy.nan) or (not allow_infinite and expression.has(sympy.oo, -sympy.oo)):
        raise ContinuousGameError(f"{where}: expected a finite value, found {expression}")
    return expression


class _OpenNames(Mapping):
    """Names for formulas when no parameters are declared: every identifier is a (real) parameter symbol."""

    def __init__(self, known: Mapping):
        self.known = dict(known)

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and name.isidentifier()

    def __getitem__(self, name):
        if name not in self.known:
            self.known[name] = sympy.Symbol(name, real=True)
        return self.known[name]

    def __iter__(self):
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


def _by_name(expression, replacements: Mapping):
    """Replace the free symbols of ``expression`` whose *name* is a key of ``replacements``."""
    if not isinstance(expression, sympy.Basic) or not replacements:
        return expression
    mapping = {s: replacements[s.name] for s in expression.free_symbols if s.name in replacements}
    return expression.xreplace(mapping) if mapping else expression


def sympy_value(value):
    """A number (exact, float, numpy or text such as ``"1/3"``) or a sympy expression as a sympy value.

    Examples
    --------
    >>> sympy_value(Fraction(1, 3)), sympy_value("0.5")
    (1/3, 1/2)
    """
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return sympy.Integer(int(value))
    if isinstance(value, (float, np.floating)):
        return sympy.Float(float(value))
    return sympy_value(coerce_number(value))


def to_number(expression, exact: bool):
    """A sympy value as a user sees it: Fraction (rational), sympy (algebraic / symbolic), or float.

    Examples
    --------
    >>> to_number(sympy.Rational(7, 3), exact=True), to_number(sympy.sqrt(2), exact=True), to_number(sympy.oo, True)
    (Fraction(7, 3), sqrt(2), inf)
    """
    expression = sympy.sympify(expression) if not isinstance(expression, sympy.Basic) else expression
    if expression.free_symbols:
        return expression
    if expression.is_infinite:
        return math.inf if expression.is_extended_positive else -math.inf
    if exact and isinstance(expression, sympy.Rational):
        return Fraction(int(expression.p), int(expression.q))
    if exact and not expression.has(sympy.Float):
        return expression
    return float(expression)


def show_value(value) -> str:
    """Format a number or a sympy expression for tables (``∞`` for an unbounded end).

    Examples
    --------
    >>> show_value(Fraction(10, 3)), show_value(sympy.oo), show_value(math.inf)
    ('10/3', '∞', '∞')
    """
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if isinstance(value, sympy.Basic):
        if value is sympy.oo:
            return "∞"
        return str(value)
    return format_number(value)


def json_value(value):
    """A number or a sympy expression as the JSON contract writes it (``"oo"`` for an unbounded end).

    Examples
    --------
    >>> json_value(Fraction(10, 3)), json_value(sympy.oo), json_value(0.5)
    ('10/3', 'oo', 0.5)
    """
    if isinstance(value, sympy.Basic):
        return "oo" if value is sympy.oo else "-oo" if value is -sympy.oo else str(value)
    if isinstance(value, float) and math.isinf(value):
        return "oo" if value > 0 else "-oo"
    return json_number(value)


def _checked_players(players) -> tuple:
    players = tuple(players) if not isinstance(players, str) else (players,)
    if not players:
        raise ContinuousGameError("players: expected at least one player label")
    for player in players:
        if not isinstance(player, str) or not player.strip():
            raise ContinuousGameError(f"players: expected non-empty labels, found {player!r}")
    players = normalise_labels((p.strip() for p in players), where="players", what="player label",
                               error=ContinuousGameError)
    if len(set(players)) != len(players):
        duplicate = next(p for p in players if players.count(p) > 1)
        raise ContinuousGameError(f"players: duplicate player {duplicate!r}")
    return players


def _checked_variables(players, variables) -> tuple:
    """One real symbol per player, from names or symbols."""
    variables = tuple(variables)
    if len(variables) != len(players):
        raise ContinuousGameError(f"variables: expected one per player ({len(players)}), found {len(variables)}")
    symbols = []
    for player, variable in zip(players, variables):
        name = variable.name if isinstance(variable, sympy.Symbol) else variable
        # a variable appears in the payoffs as it is named: one not in NFKC would be read as another name
        if not isinstance(name, str) or not name.isidentifier() or normal_form(name) != name:
            raise ContinuousGameError(f"variables.{player}: expected an identifier such as 'x' (in Unicode normal "
                                      f"form NFKC), found {variable!r}")
        symbols.append(sympy.Symbol(name, real=True))
    names = [s.name for s in symbols]
    if len(set(names)) != len(names):
        duplicate = next(v for v in names if names.count(v) > 1)
        raise ContinuousGameError(f"variables: {duplicate!r} is the variable of two players")
    return tuple(symbols)


def _checked_bounds(players, bounds, formula_names, names) -> tuple:
    """One ``(low, high)`` pair of sympy values per player; a bound may not depend on the choices."""
    bounds = tuple(bounds)
    if len(bounds) != len(players):
        raise ContinuousGameError(f"bounds: expected one (low, high) pair per player ({len(players)}), "
                                  f"found {len(bounds)}")
    checked = []
    for player, pair in zip(players, bounds):
        where = f"bounds.{player}"
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ContinuousGameError(f"{where}: expected a pair (low, high), found {pair!r}")
        low = _as_expr(pair[0], formula_names, f"{where}.low", allow_infinite=True)
        high = _as_expr(pair[1], formula_names, f"{where}.high", allow_infinite=True)
        for bound, side in ((low, "low"), (high, "high")):
            if set(s.name for s in bound.free_symbols) & set(names):
                raise ContinuousGameError(f"{where}.{side}: a bound cannot depend on the choices ({bound})")
        if low is sympy.oo or high is -sympy.oo:
            raise ContinuousGameError(f"{where}: the interval [{low}, {high}] is empty")
        if not low.free_symbols and not high.free_symbols and not low < high:
            raise ContinuousGameError(f"{where}: low {low} must be below high {high}")
        checked.append((low, high))
    return tuple(checked)


def _checked_payoffs(players, payoffs, formula_names, variable_map) -> tuple:
    """One sympy payoff per player, from a sequence or a mapping player -> payoff."""
    if isinstance(payoffs, Mapping):
        unknown = sorted(set(payoffs) - set(players))
        if unknown:
            raise ContinuousGameError(f"payoffs: {unknown[0]!r} is not a player ({', '.join(players)})")
        missing = [p for p in players if p not in payoffs]
        if missing:
            raise ContinuousGameError(f"payoffs: no payoff for {missing[0]!r}")
        payoffs = tuple(payoffs[p] for p in players)
    payoffs = tuple(payoffs)
    if len(payoffs) != len(players):
        raise ContinuousGameError(f"payoffs: expected one per player ({len(players)}), found {len(payoffs)}")
    return tuple(_by_name(_as_expr(payoff, formula_names, f"payoffs.{player}"), variable_map)
                 for player, payoff in zip(players, payoffs))


# ---------------------------------------------------------------------------- the game
@dataclass(frozen=True)
class PlayerType:
    """One type of a player: its label, prior probability and the values of type-dependent names.

    Examples
    --------
    >>> PlayerType("high cost", sympy.Rational(1, 2), {"c2": 3}).label
    'high cost'
    """

    label: str
    probability: Any
    values: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class Agent:
    """A player, or one type of a player in a Bayesian game: the unit that chooses one number.

    ``payoff`` is the (interim expected) payoff in the agents' variables.
    """

    player: str
    type: str | None
    variable: Any
    low: Any
    high: Any
    payoff: Any
    probability: Any = sympy.Integer(1)

    @property
    def label(self) -> str:
        """``"Firm 2"`` or ``"Firm 2 [high]"``."""
        return self.player if self.type is None else f"{self.player} [{self.type}]"


@dataclass(frozen=True, eq=False)
class ContinuousGame:
    """A game in which each player chooses a number from an interval.

    Parameters
    ----------
    players : sequence of str
        Player labels.
    variables : sequence of str or sympy.Symbol
        One choice variable per player (names used in the payoffs).
    bounds : sequence of (low, high)
        Each player's interval; numbers, sympy expressions in the parameters,
        or formula strings. ``high`` may be ``sympy.oo`` (or ``"inf"``).
    payoffs : sequence or mapping of expressions
        Each player's payoff (ex post, before types are averaged), as sympy
        expressions or formula strings (read by the allow-list parser of
        :mod:`negotiation.core.expressions`), in the variables and parameters.
    title : str
    labels : sequence of str, optional
        What each player's number means (``"forward-deployed brigades"``), for axes and tables.
    types : mapping, optional
        ``{player: [PlayerType, ...]}`` or ``{player: {type label: (probability, {name: value})}}``.
        Types of different players are independent; the names in ``values`` are
        type-dependent quantities usable in every payoff.
    parameters : ParameterSpace, optional
        Declared parameters (other names in the payoffs are an error). When
        omitted, every other name is a parameter.
    values : mapping, optional
        Parameter values already substituted (recorded for results).

    Raises
    ------
    ContinuousGameError
        One line naming the field and the offending value.

    Examples
    --------
    >>> game = ContinuousGame(("NATO", "Russia"), ("x", "y"), ((0, 10), (0, 10)),
    ...                       ("-(x - y/2 - 1)**2", "-(y - x/2 - 1)**2"))
    >>> print(game)
    Continuous game
      NATO chooses x in [0, 10], payoff -(x - y/2 - 1)**2
      Russia chooses y in [0, 10], payoff -(-x/2 + y - 1)**2
    >>> import negotiation as ng
    >>> ng.solve(game)[0]["NATO"]
    Fraction(2, 1)
    """

    #: The kind of model (the ``kind`` of its scenario files).
    kind = "continuous"

    players: tuple
    variables: tuple
    bounds: tuple
    payoffs: tuple
    title: str = ""
    labels: tuple = ()
    types: Mapping = field(default_factory=dict)
    parameters: ParameterSpace = field(default_factory=ParameterSpace)
    values: Mapping = field(default_factory=dict)

    def __post_init__(self):
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        players = _checked_players(self.players)
        set_("players", players)
        symbols = _checked_variables(players, self.variables)
        set_("variables", symbols)
        names = [s.name for s in symbols]
        if not isinstance(self.parameters, ParameterSpace):
            raise ContinuousGameError("parameters: expected a ParameterSpace")
        declared = dict(self.parameters.symbols)
        clash = sorted(set(declared) & set(names))
        if clash:
            raise ContinuousGameError(f"variables: {clash[0]!r} is also a parameter")
        # types first: their value names are usable in the payoffs
        types, type_names = self._normalise_types(players, declared, names)
        set_("types", types)
        variable_map = {s.name: s for s in symbols}
        formula_names = {**declared, **variable_map, **{t: sympy.Symbol(t, real=True) for t in type_names}}
        if not self.parameters.parameters:
            formula_names = _OpenNames(formula_names)
        labels = tuple(self.labels) if self.labels else ("",) * len(players)
        if len(labels) != len(players) or not all(isinstance(label, str) for label in labels):
            raise ContinuousGameError(f"labels: expected one description string per player ({len(players)})")
        set_("labels", labels)
        bounds = _checked_bounds(players, self.bounds, formula_names, names)
        set_("bounds", bounds)
        payoffs = _checked_payoffs(players, self.payoffs, formula_names, variable_map)
        set_("payoffs", payoffs)
        known = set(declared) | set(names) | set(type_names)
        type_expressions = [e for items in types.values() for t in items for e in (t.probability, *t.values.values())]
        free = sorted({s.name for e in (*payoffs, *[b for pair in bounds for b in pair], *type_expressions)
                       for s in e.free_symbols} - known)
        if free and self.parameters.parameters:
            raise ContinuousGameError(
                f"payoffs: {free[0]!r} is neither a choice variable ({', '.join(names)}), a type-dependent name "
                "nor a declared parameter")
        if free:
            set_("parameters", ParameterSpace.from_names(free))
        set_("values", dict(self.values))
        if not isinstance(self.title, str):
            raise ContinuousGameError("title: expected a string")

    def _normalise_types(self, players, declared, names):
        raw = self.types or {}
        if not isinstance(raw, Mapping):
            raise ContinuousGameError("types: expected a mapping player -> types")
        unknown = sorted(set(raw) - set(players))
        if unknown:
            raise ContinuousGameError(f"types: {unknown[0]!r} is not a player ({', '.join(players)})")
        result, all_names = {}, set()
        lookup = declared if self.parameters.parameters else _OpenNames(declared)
        for player in players:
            if player not in raw:
                continue
            where = f"types.{player}"
            spec = raw[player]
            items = []
            if isinstance(spec, Mapping):
                for label, entry in spec.items():
                    if isinstance(entry, PlayerType):
                        items.append(replace(entry, label=label))
                    elif isinstance(entry, Mapping):
                        items.append(PlayerType(label, entry.get("probability"), entry.get("values", {})))
                    elif isinstance(entry, (tuple, list)) and len(entry) == 2:
                        items.append(PlayerType(label, entry[0], entry[1]))
                    else:
                        raise ContinuousGameError(f"{where}.{label}: expected (probability, {{name: value}})")
            else:
                items = list(spec)
            if not items or not all(isinstance(t, PlayerType) for t in items):
                raise ContinuousGameError(f"{where}: expected at least one type")
            labels = [t.label for t in items]
            if not all(isinstance(label, str) and label.strip() for label in labels):
                raise ContinuousGameError(f"{where}: type labels must be non-empty strings")
            items = [replace(t, label=label) for t, label in zip(items, normalise_labels(
                labels, where=where, what="type label", error=ContinuousGameError))]
            labels = [t.label for t in items]
            if len(set(labels)) != len(labels):
                raise ContinuousGameError(f"{where}: duplicate type {next(t for t in labels if labels.count(t) > 1)!r}")
            value_names = set(items[0].values)
            for t in items:
                if set(t.values) != value_names:
                    raise ContinuousGameError(
                        f"{where}.{t.label}.values: expected the names {sorted(value_names)} (as the other types), "
                        f"found {sorted(t.values)}")
            bad = sorted(value_names & (set(declared) | set(names)))
            if bad:
                raise ContinuousGameError(f"{where}: type-dependent name {bad[0]!r} is also a parameter or a variable")
            if value_names & all_names:
                raise ContinuousGameError(f"{where}: type-dependent name {sorted(value_names & all_names)[0]!r} "
                                          "is used by another player's types")
            all_names |= value_names
            normal = []
            total = sympy.Integer(0)
            for t in items:
                w = f"{where}.{t.label}"
                probability = _as_expr(t.probability, lookup, f"{w}.probability")
                if not probability.free_symbols and not (0 <= probability <= 1):
                    raise ContinuousGameError(f"{w}.probability: {probability} is not in [0, 1]")
                total += probability
                values = {k: _as_expr(v, lookup, f"{w}.values.{k}") for k, v in t.values.items()}
                normal.append(PlayerType(t.label.strip(), probability, values))
            difference = sympy.simplify(total - 1)
            if difference != 0 and not (not difference.free_symbols and abs(float(difference)) < 1e-12):
                raise ContinuousGameError(f"{where}: type probabilities sum to {sympy.simplify(total)}, expected 1")
            result[player] = tuple(normal)
        return result, all_names

    # -- structure -----------------------------------------------------------
    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def is_bayesian(self) -> bool:
        return bool(self.types)

    def player_types(self, player) -> tuple:
        """The types of ``player`` (a single ``PlayerType(None, 1)`` when it has none)."""
        player = self.player_label(player)
        return self.types.get(player, (PlayerType(None, sympy.Integer(1), {}),))

    def player_label(self, player) -> str:
        """The label of ``player``, given by label or by index (0-based)."""
        if isinstance(player, (int, np.integer)) and not isinstance(player, bool):
            if not 0 <= player < self.n_players:
                raise ContinuousGameError(f"player index {player} out of range (0..{self.n_players - 1})")
            return self.players[int(player)]
        if player not in self.players:
            raise ContinuousGameError(f"player {player!r} is not one of {', '.join(self.players)}")
        return player

    @cached_property
    def _agents(self) -> tuple:
        type_lists = [self.player_types(p) for p in self.players]
        agent_variable = {}
        for i, player in enumerate(self.players):
            for t in type_lists[i]:
                base = self.variables[i]
                agent_variable[(i, t.label)] = base if t.label is None else sympy.Symbol(
                    f"{base.name}_{t.label}", real=True)
        agents = []
        for i, player in enumerate(self.players):
            for t in type_lists[i]:
                total = sympy.Integer(0)
                others = [type_lists[j] if j != i else (t,) for j in range(self.n_players)]
                for profile in itertools.product(*others):
                    weight = sympy.Integer(1)
                    replacements = {}
                    for j, tj in enumerate(profile):
                        if j != i:
                            weight *= tj.probability
                        replacements[self.variables[j].name] = agent_variable[(j, tj.label)]
                        replacements.update(tj.values)
                    total += weight * _by_name(self.payoffs[i], replacements)
                low, high = (_by_name(b, dict(t.values)) for b in self.bounds[i])
                agents.append(Agent(player, t.label, agent_variable[(i, t.label)], low, high, total, t.probability))
        return tuple(agents)

    def agents(self) -> tuple:
        """The choosing units: one per player, or one per (player, type) in a Bayesian game.

        Examples
        --------
        >>> game = ContinuousGame(("A", "B"), ("x", "y"), ((0, 1), (0, 1)), ("x*y", "-(y - c)**2"),
        ...                       types={"B": {"low": ("1/2", {"c": 0}), "high": ("1/2", {"c": 1})}})
        >>> [(a.label, str(a.variable), str(a.payoff)) for a in game.agents()]
        [('A', 'x', 'x*y_high/2 + x*y_low/2'), ('B [low]', 'y_low', '-y_low**2'), ('B [high]', 'y_high', '-(y_high - 1)**2')]
        """
        return self._agents

    @property
    def free_parameters(self) -> tuple:
        """Names of parameters that still occur (sorted)."""
        agent_variables = {a.variable for a in self.agents()}
        names = set()
        for a in self.agents():
            for expression in (a.payoff, a.low, a.high, a.probability):
                names |= {s.name for s in expression.free_symbols if s not in agent_variables}
        return tuple(sorted(names))

    @property
    def is_symbolic(self) -> bool:
        """Whether parameters remain unsubstituted."""
        return bool(self.free_parameters)

    def substitute(self, values: Mapping) -> "ContinuousGame":
        """The game with parameter values substituted (by name); other parameters stay symbolic.

        Examples
        --------
        >>> game = ContinuousGame(("A",), ("x",), ((0, "k"),), ("k*x - x**2",))
        >>> game.substitute({"k": 1}).bounds, game.substitute({"k": 1}).values
        (((0, 1),), {'k': 1})
        """
        values = dict(values or {})
        known = set(self.parameters.names)
        unknown = [name for name in values if name not in known]
        if unknown:
            raise ContinuousGameError(
                f"unknown parameter {unknown[0]!r} (declared: {', '.join(sorted(known)) or 'none'})")
        replacements = {}
        for name, value in values.items():
            try:
                replacements[name] = sympy_value(value)
            except ValueError as error:
                raise ContinuousGameError(f"parameter {name}: {error}") from None
        bounds = tuple(tuple(_by_name(b, replacements) for b in pair) for pair in self.bounds)
        payoffs = tuple(_by_name(p, replacements) for p in self.payoffs)
        types = {player: tuple(PlayerType(t.label, _by_name(t.probability, replacements),
                                          {k: _by_name(v, replacements) for k, v in t.values.items()})
                               for t in items) for player, items in self.types.items()}
        return ContinuousGame(self.players, self.variables, bounds, payoffs, title=self.title, labels=self.labels,
                              types=types, parameters=self.parameters, values={**self.values, **values})

    # -- output --------------------------------------------------------------
    def to_dict(self) -> dict:
        """JSON-ready description (expressions as strings)."""
        data = {
            "title": self.title,
            "players": list(self.players),
            "variables": {p: v.name for p, v in zip(self.players, self.variables)},
            "ranges": {p: [json_value(low), json_value(high)] for p, (low, high) in zip(self.players, self.bounds)},
            "payoffs": {p: str(u) for p, u in zip(self.players, self.payoffs)},
        }
        if any(self.labels):
            data["labels"] = {p: label for p, label in zip(self.players, self.labels)}
        if self.types:
            data["types"] = {p: {t.label: {"probability": json_value(to_number(t.probability, True)),
                                           "values": {k: json_value(to_number(v, True)) for k, v in t.values.items()}}
                                 for t in items} for p, items in self.types.items()}
        if self.values:
            data["parameters"] = {k: json_number(v) for k, v in self.values.items()}
        return data

    def to_text(self) -> str:
        lines = [self.title or "Continuous game"]
        for player, variable, (low, high), payoff, label in zip(self.players, self.variables, self.bounds,
                                                                 self.payoffs, self.labels):
            meaning = f" ({label})" if label else ""
            lines.append(f"  {player} chooses {variable}{meaning} in [{show_value(low)}, {show_value(high)}], payoff {payoff}")
        for player, items in self.types.items():
            shown = "; ".join(
                f"{t.label} with probability {t.probability}"
                + (" (" + ", ".join(f"{k} = {v}" for k, v in t.values.items()) + ")" if t.values else "")
                for t in items)
            lines.append(f"  types of {player}: {shown}")
        if self.values:
            lines.append("  at " + ", ".join(f"{k} = {format_number(v)}" for k, v in self.values.items()))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def plot(self, *args, **options):
        """The best-response curves of a two-player game, equilibria marked (a matplotlib figure).

        Drawn by :func:`negotiation.report.continuous.plot_best_responses` through the one door to figures.
        """
        return plot(self, *args, **options)

    def __repr__(self) -> str:
        return f"ContinuousGame({self.title!r}, players={list(self.players)})"

