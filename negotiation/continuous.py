"""Games with continuous choices: each player picks a number in an interval.

A :class:`ContinuousGame` has labelled players, one choice variable per player
(forces deployed, output, effort) restricted to an interval ``[low, high]``
(``high`` may be ``oo``), and payoffs that are sympy expressions in the
choices and in named parameters. Optionally a player has finitely many types
with a common (independent) prior: the choice of player *i* of type *t* is
the variable ``x_i_t`` and each type maximises its interim expected payoff.

:func:`solve_continuous` finds the pure Nash equilibria:

``first_order_conditions`` (exact, symbolic)
    Every equilibrium of a game with differentiable payoffs satisfies the
    Karush–Kuhn–Tucker conditions: each player either is inside its interval
    with ``∂u_i/∂x_i = 0``, at its lower bound with ``∂u_i/∂x_i <= 0``, or at
    its upper bound with ``∂u_i/∂x_i >= 0``. All ``3^n`` combinations are
    enumerated and the first-order conditions solved with sympy. This is done
    only when every first-order condition is a rational function of the
    choices (numerator and denominator polynomials), for which sympy's
    polynomial solver returns every solution of a finite system; the list is
    then *complete*. At numbers, each candidate is verified exactly: for every
    player, the supremum of its payoff over its whole interval (critical
    points, end points, the limit at infinity) is computed and compared with
    its payoff at the candidate, so a KKT point that is a local minimum or only
    a local maximum is discarded (this global check implies the second-order
    condition). With symbolic parameters, each candidate comes with the
    conditions on the parameters under which it is an equilibrium, and the
    second-order condition ``∂²u_i/∂x_i² <= 0`` (concavity in the own choice)
    is proved or added to those conditions.
``best_response_iteration`` (floating point)
    The fallback when sympy cannot solve the first-order conditions (payoffs
    with ``exp``, ``log``, ``sqrt`` of the choices, ...): damped simultaneous
    best-response iteration from several starting points (each best response by
    a grid search refined by scipy's bounded scalar minimisation), together
    with the complementarity formulation (a root of the projected first-order
    conditions ``x - clip(x + ∇u(x), low, high) = 0`` by scipy's bounded least
    squares). Every candidate is verified: no player gains more than
    ``tolerance`` (relative to the size of its payoff) by deviating anywhere in
    its interval (grid plus local optimisation). Never claimed complete.
``complementarity``
    Only the complementarity formulation, verified the same way.

Examples
--------
Cournot duopoly with inverse demand ``P = 10 - (q1 + q2)`` and unit costs 1 and 2
(Gibbons 1992, §1.2.A: ``q_i = (a - 2 c_i + c_j) / (3 b)``):

>>> import sympy
>>> q1, q2 = sympy.symbols("q1 q2")
>>> game = ContinuousGame(("Firm 1", "Firm 2"), (q1, q2), ((0, sympy.oo), (0, sympy.oo)),
...                       ((10 - q1 - q2 - 1) * q1, (10 - q1 - q2 - 2) * q2), title="Cournot")
>>> result = solve_continuous(game)
>>> result[0]["Firm 1"], result[0]["Firm 2"], result.method, result.exact, result.complete
(Fraction(10, 3), Fraction(7, 3), 'first_order_conditions', True, True)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from typing import Any, Mapping, Sequence

import numpy as np
import sympy

from negotiation.results.base import EquilibriumList, Tabular
from negotiation.core.numeric import format_number, json_number
from negotiation.core.parameters import ParameterSpace
from negotiation.core.errors import NegotiationError

__all__ = [
    "ContinuousGameError", "PlayerType", "Agent", "ContinuousGame", "ContinuousEquilibrium",
    "ContinuousResult", "solve_continuous", "best_response_function", "best_response",
    "plot_best_responses", "METHODS", "TOLERANCE", "GRID_POINTS",
]

#: ``method=`` names of :func:`solve_continuous`.
METHODS = ("auto", "first_order_conditions", "best_response_iteration", "complementarity")
#: Default relative tolerance of the numeric verification (gain from deviating / max(1, |payoff|)).
TOLERANCE = 1e-7
#: Points of the grid on which a numeric best response is searched before local refinement.
GRID_POINTS = 257
#: Largest number of agents (players × types) for which the KKT cases are enumerated.
MAX_KKT_AGENTS = 6

_INFINITE_WORDS = {"inf", "+inf", "oo", "infinity", "+infinity"}


class ContinuousGameError(NegotiationError):
    """A continuous game (or a request about one) is invalid; one line naming the field and value."""


class _SympyCannot(Exception):
    """The symbolic KKT enumeration cannot be carried out (the reason is the message)."""


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
        from negotiation.core.expressions import ExpressionError, parse_expression

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


def _sympy_value(value):
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return sympy.Integer(int(value))
    if isinstance(value, (float, np.floating)):
        return sympy.Float(float(value))
    from negotiation.core.numeric import coerce_number

    return _sympy_value(coerce_number(value))


def _to_number(expression, exact: bool):
    """A sympy value as a user sees it: Fraction (rational), sympy (algebraic / symbolic), or float."""
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


def _show(value) -> str:
    """Format a number or a sympy expression for tables."""
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if isinstance(value, sympy.Basic):
        if value is sympy.oo:
            return "∞"
        return str(value)
    return format_number(value)


def _json_value(value):
    if isinstance(value, sympy.Basic):
        return "oo" if value is sympy.oo else "-oo" if value is -sympy.oo else str(value)
    if isinstance(value, float) and math.isinf(value):
        return "oo" if value > 0 else "-oo"
    return json_number(value)


def _tidy(relation):
    """``(a - c)/(2*b) >= 0`` -> ``a - c >= 0`` when the denominator is provably positive."""
    if not isinstance(relation, sympy.core.relational.Relational) or isinstance(relation, (sympy.Eq, sympy.Ne)):
        return relation
    numerator, denominator = sympy.fraction(sympy.together(relation.lhs - relation.rhs))
    if denominator.is_positive:
        return relation.func(sympy.expand(numerator), 0)
    if denominator.is_negative:
        return relation.reversed.func(sympy.expand(numerator), 0)
    return relation


def _decide(relation) -> bool | None:
    """Truth of a relation between numbers (exactly where sympy can, else to 50 digits); None if symbolic."""
    relation = sympy.sympify(relation)
    if relation in (sympy.true, True):
        return True
    if relation in (sympy.false, False):
        return False
    if relation.free_symbols:
        return None
    if isinstance(relation, sympy.core.relational.Relational):
        difference = sympy.nsimplify(relation.lhs - relation.rhs) if relation.has(sympy.Float) else (
            relation.lhs - relation.rhs)
        value = sympy.N(difference, 50)
        scale = abs(sympy.N(relation.lhs, 50)) + abs(sympy.N(relation.rhs, 50)) + 1
        zero = abs(value) <= scale * sympy.Float("1e-40")
        if zero:
            value = 0
        return bool(relation.func(value, 0))
    return bool(relation)


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
    >>> solve_continuous(game)[0]["NATO"]
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
        players = tuple(self.players) if not isinstance(self.players, str) else (self.players,)
        if not players:
            raise ContinuousGameError("players: expected at least one player label")
        for player in players:
            if not isinstance(player, str) or not player.strip():
                raise ContinuousGameError(f"players: expected non-empty labels, found {player!r}")
        players = tuple(p.strip() for p in players)
        if len(set(players)) != len(players):
            duplicate = next(p for p in players if players.count(p) > 1)
            raise ContinuousGameError(f"players: duplicate player {duplicate!r}")
        set_("players", players)
        n = len(players)
        variables = tuple(self.variables)
        if len(variables) != n:
            raise ContinuousGameError(f"variables: expected one per player ({n}), found {len(variables)}")
        symbols = []
        for player, variable in zip(players, variables):
            name = variable.name if isinstance(variable, sympy.Symbol) else variable
            if not isinstance(name, str) or not name.isidentifier():
                raise ContinuousGameError(f"variables.{player}: expected an identifier such as 'x', found {variable!r}")
            symbols.append(sympy.Symbol(name, real=True))
        names = [s.name for s in symbols]
        if len(set(names)) != n:
            duplicate = next(v for v in names if names.count(v) > 1)
            raise ContinuousGameError(f"variables: {duplicate!r} is the variable of two players")
        set_("variables", tuple(symbols))
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
        labels = tuple(self.labels) if self.labels else ("",) * n
        if len(labels) != n or not all(isinstance(label, str) for label in labels):
            raise ContinuousGameError(f"labels: expected one description string per player ({n})")
        set_("labels", labels)
        bounds = tuple(self.bounds)
        if len(bounds) != n:
            raise ContinuousGameError(f"bounds: expected one (low, high) pair per player ({n}), found {len(bounds)}")
        normal_bounds = []
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
            normal_bounds.append((low, high))
        set_("bounds", tuple(normal_bounds))
        payoffs = self.payoffs
        if isinstance(payoffs, Mapping):
            unknown = sorted(set(payoffs) - set(players))
            if unknown:
                raise ContinuousGameError(f"payoffs: {unknown[0]!r} is not a player ({', '.join(players)})")
            missing = [p for p in players if p not in payoffs]
            if missing:
                raise ContinuousGameError(f"payoffs: no payoff for {missing[0]!r}")
            payoffs = tuple(payoffs[p] for p in players)
        payoffs = tuple(payoffs)
        if len(payoffs) != n:
            raise ContinuousGameError(f"payoffs: expected one per player ({n}), found {len(payoffs)}")
        normal_payoffs = []
        for player, payoff in zip(players, payoffs):
            expression = _as_expr(payoff, formula_names, f"payoffs.{player}")
            normal_payoffs.append(_by_name(expression, variable_map))
        set_("payoffs", tuple(normal_payoffs))
        known = set(declared) | set(names) | set(type_names)
        type_expressions = [e for items in types.values() for t in items for e in (t.probability, *t.values.values())]
        free = sorted({s.name for e in (*normal_payoffs, *[b for pair in normal_bounds for b in pair],
                                        *type_expressions) for s in e.free_symbols} - known)
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
        player = self._player(player)
        return self.types.get(player, (PlayerType(None, sympy.Integer(1), {}),))

    def _player(self, player) -> str:
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
                replacements[name] = _sympy_value(value)
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
            "ranges": {p: [_json_value(low), _json_value(high)] for p, (low, high) in zip(self.players, self.bounds)},
            "payoffs": {p: str(u) for p, u in zip(self.players, self.payoffs)},
        }
        if any(self.labels):
            data["labels"] = {p: label for p, label in zip(self.players, self.labels)}
        if self.types:
            data["types"] = {p: {t.label: {"probability": _json_value(_to_number(t.probability, True)),
                                           "values": {k: _json_value(_to_number(v, True)) for k, v in t.values.items()}}
                                 for t in items} for p, items in self.types.items()}
        if self.values:
            data["parameters"] = {k: json_number(v) for k, v in self.values.items()}
        return data

    def to_text(self) -> str:
        lines = [self.title or "Continuous game"]
        for player, variable, (low, high), payoff, label in zip(self.players, self.variables, self.bounds,
                                                                 self.payoffs, self.labels):
            meaning = f" ({label})" if label else ""
            lines.append(f"  {player} chooses {variable}{meaning} in [{_show(low)}, {_show(high)}], payoff {payoff}")
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

    def __repr__(self) -> str:
        return f"ContinuousGame({self.title!r}, players={list(self.players)})"


# ---------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ContinuousEquilibrium:
    """One pure equilibrium of a continuous game.

    Attributes
    ----------
    agents : tuple of (player, type)
        Who chooses each entry (``type`` is None outside Bayesian games).
    choices, payoffs : tuple
        One per agent: exact ``Fraction`` / sympy algebraic number / symbolic
        expression, or float.
    binding : tuple of str
        One per agent: ``"interior"``, ``"lower"`` or ``"upper"`` (which bound binds).
    conditions : sympy Boolean or None
        With symbolic parameters: where in parameter space this is an equilibrium.
    regret : Fraction or float
        Largest gain of any agent from deviating (0 exactly, or below the tolerance).
    found_by : tuple of str
        Which numeric method(s) found it (empty for the symbolic method).
    """

    agents: tuple
    choices: tuple
    payoffs: tuple
    binding: tuple
    conditions: Any = None
    regret: Any = Fraction(0)
    found_by: tuple = ()

    kind = "pure"

    def _index(self, player, type=None) -> int:
        for k, (p, t) in enumerate(self.agents):
            if p == player and t == type:
                return k
        raise KeyError(player if type is None else (player, type))

    def _by_player(self, values, player):
        entries = [(t, v) for (p, t), v in zip(self.agents, values) if p == player]
        if not entries:
            raise KeyError(player)
        if len(entries) == 1 and entries[0][0] is None:
            return entries[0][1]
        return {t: v for t, v in entries}

    def __getitem__(self, player):
        """Player's choice (a ``{type: choice}`` dict for a player with types)."""
        return self._by_player(self.choices, player)

    def choice(self, player, type=None):
        return self.choices[self._index(player, type)]

    def payoff(self, player, type=None):
        """Player's (interim, for a type) payoff."""
        return self.payoffs[self._index(player, type)]

    def to_dict(self) -> dict:
        players = list(dict.fromkeys(p for p, _ in self.agents))

        def grouped(values, convert):
            out = {}
            for player in players:
                entry = self._by_player(values, player)
                out[player] = {t: convert(v) for t, v in entry.items()} if isinstance(entry, dict) else convert(entry)
            return out

        data = {"kind": "pure", "profile": grouped(self.choices, _json_value),
                "payoffs": grouped(self.payoffs, _json_value), "binding": grouped(self.binding, str),
                "regret": _json_value(self.regret)}
        if self.conditions is not None:
            data["conditions"] = str(self.conditions)
        if self.found_by:
            data["found_by"] = list(self.found_by)
        return data


@dataclass(frozen=True, eq=False)
class ContinuousResult(EquilibriumList, Tabular):
    """Pure equilibria of a continuous game, and how they were obtained.

    Behaves as a sequence of :class:`ContinuousEquilibrium`. ``exact``: every
    number is exact and every equilibrium was verified exactly. ``complete``:
    the symbolic KKT enumeration finished, so no other equilibrium exists.
    """

    game: ContinuousGame = field(repr=False)
    equilibria: tuple
    method: str
    exact: bool
    complete: bool
    parameters: Mapping = field(default_factory=dict)
    messages: tuple = ()
    details: Mapping = field(default_factory=dict, repr=False)

    degenerate = None

    @property
    def symbolic(self) -> bool:
        return any(e.conditions is not None for e in self.equilibria) or self.game.is_symbolic

    def summary(self) -> str:
        flags = ["exact" if self.exact else "floating point",
                 "complete" if self.complete else "not necessarily complete"]
        if self.symbolic:
            flags.append("symbolic parameters")
        return f"{self.method} ({', '.join(flags)})"

    def to_dict(self) -> dict:
        """The JSON object of ``negotiation solve --format json`` for a continuous game."""
        data = {
            "game": {"title": self.game.title, "players": list(self.game.players),
                     "variables": {p: v.name for p, v in zip(self.game.players, self.game.variables)},
                     "ranges": {p: [_json_value(_to_number(lo, True)), _json_value(_to_number(hi, True))]
                                for p, (lo, hi) in zip(self.game.players, self.game.bounds)}},
            "parameters": {k: json_number(v) for k, v in self.parameters.items()},
            "method": self.method, "exact": self.exact, "complete": self.complete, "degenerate": None,
            "equilibria": [e.to_dict() for e in self.equilibria],
            "components": [[k] for k in range(len(self.equilibria))],
        }
        if self.game.types:
            data["game"]["types"] = {p: [t.label for t in items] for p, items in self.game.types.items()}
        if self.messages:
            data["messages"] = list(self.messages)
        if self.details:
            data["details"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.details.items()}
        return data

    def _agent_labels(self) -> list:
        return [a.label for a in self.game.agents()]

    def to_records(self) -> list[dict]:
        """One flat dict per equilibrium: parameters, choices, payoffs and binding constraints, by label."""
        records = []
        labels = self._agent_labels()
        for k, e in enumerate(self.equilibria, start=1):
            record = dict(self.parameters)
            record["equilibrium"] = k
            record["method"] = self.method
            for label, value in zip(labels, e.choices):
                record[label] = value
            for label, value in zip(labels, e.payoffs):
                record[f"payoff {label}"] = value
            for label, value in zip(labels, e.binding):
                record[f"binding {label}"] = value
            if e.conditions is not None:
                record["conditions"] = str(e.conditions)
            records.append(record)
        return records

    def _table(self):
        game = self.game
        agents = game.agents()
        header = ["", *[f"Eq. {k}" for k in range(1, len(self.equilibria) + 1)]]
        rows = []
        for k, agent in enumerate(agents):
            i = game.players.index(agent.player)
            name = f"{agent.label}: {game.variables[i].name}" + (f" ({game.labels[i]})" if game.labels[i] else "")
            rows.append([name, *[_show(e.choices[k]) for e in self.equilibria]])
        footer = []
        for k, agent in enumerate(agents):
            footer.append([f"payoff {agent.label}", *[_show(e.payoffs[k]) for e in self.equilibria]])
        for k, agent in enumerate(agents):
            footer.append([f"binding {agent.label}", *[_BINDING_TEXT[e.binding[k]] for e in self.equilibria]])
        return header, rows, footer

    def _parameters_text(self) -> str:
        return ", ".join(f"{k} = {format_number(v)}" for k, v in self.parameters.items())

    def _condition_lines(self) -> list:
        return [f"Eq. {k} holds when: {e.conditions}" for k, e in enumerate(self.equilibria, start=1)
                if e.conditions is not None and e.conditions is not sympy.true]

    def to_text(self) -> str:
        """Plain-text report: one column per equilibrium."""
        lines = [self.game.title or "Continuous game"]
        if self.parameters:
            lines.append(f"Parameters: {self._parameters_text()}")
        lines.append(f"Method: {self.summary()}")
        lines.append("")
        if not self.equilibria:
            lines.append("No equilibrium found by this method.")
        else:
            header, rows, footer = self._table()
            widths = [max(len(str(row[i])) for row in [header, *rows, *footer]) for i in range(len(header))]

            def line(cells):
                return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

            rule = "  ".join("-" * w for w in widths)
            lines += [line(header), rule, *map(line, rows), rule, *map(line, footer)]
            lines += self._condition_lines()
        lines.extend(f"Note: {m}" for m in self.messages)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        caption = f"**{self.game.title or 'Continuous game'}**"
        if self.parameters:
            caption += f" ({self._parameters_text()})"
        lines = [caption + f". Method: {self.summary()}.", ""]
        if not self.equilibria:
            lines.append("No equilibrium found by this method.")
        else:
            header, rows, footer = self._table()
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join(" --- " for _ in header) + "|")
            for row in [*rows, *footer]:
                lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
            conditions = self._condition_lines()
            if conditions:
                lines += ["", *conditions]
        if self.messages:
            lines += ["", *(f"Note: {m}" for m in self.messages)]
        return "\n".join(lines)

    def to_latex(self) -> str:
        """A booktabs ``tabular``: choices, payoffs and binding constraints by equilibrium."""
        from negotiation.report.tables import _latex_escape, latex_number

        lines = [f"% {_latex_escape(self.game.title or 'Continuous game')}: {_latex_escape(self.summary())}"]
        if not self.equilibria:
            return "\n".join(lines + ["% no equilibrium found"])

        def cell(value):
            if isinstance(value, sympy.Basic):
                return f"${sympy.latex(value)}$"
            if isinstance(value, float) and math.isinf(value):
                return "$\\infty$"
            return f"${latex_number(value)}$"

        agents = self.game.agents()
        columns = len(self.equilibria)
        lines.append("\\begin{tabular}{l" + "r" * columns + "}")
        lines.append("\\toprule")
        lines.append(" & ".join(["", *[f"Eq.~{k}" for k in range(1, columns + 1)]]) + " \\\\")
        lines.append("\\midrule")
        for k, agent in enumerate(agents):
            lines.append(" & ".join([_latex_escape(agent.label), *[cell(e.choices[k]) for e in self.equilibria]])
                         + " \\\\")
        lines.append("\\midrule")
        for k, agent in enumerate(agents):
            lines.append(" & ".join([f"$u$ {_latex_escape(agent.label)}", *[cell(e.payoffs[k]) for e in self.equilibria]])
                         + " \\\\")
        lines.append("\\bottomrule")
        lines.append("\\end{tabular}")
        return "\n".join(lines)

    def to_csv(self) -> str:
        import csv
        import io

        records = self.to_records()
        if not records:
            return ""
        buffer = io.StringIO()
        fields = list(dict.fromkeys(key for record in records for key in record))
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: ("" if v is None else v if isinstance(v, str) else _show(v)) for k, v in record.items()})
        return buffer.getvalue()

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


_BINDING_TEXT = {"interior": "interior", "lower": "lower bound", "upper": "upper bound"}


# ---------------------------------------------------------------------------- symbolic KKT enumeration
def _first_order(agents):
    """Per agent: derivative, its numerator/denominator (polynomials in the choices) and second derivative."""
    variables = [a.variable for a in agents]
    out = []
    for agent in agents:
        if agent.payoff.has(sympy.Piecewise, sympy.Min, sympy.Max, sympy.Abs):
            raise _SympyCannot(f"the payoff of {agent.label} is not differentiable everywhere (Min/Max/Abs/Piecewise)")
        derivative = sympy.diff(agent.payoff, agent.variable)
        numerator, denominator = sympy.fraction(sympy.together(derivative))
        if not (numerator.is_polynomial(*variables) and denominator.is_polynomial(*variables)):
            raise _SympyCannot(f"the first-order condition of {agent.label} is not a rational function of the "
                               "choices")
        out.append((derivative, sympy.expand(numerator), denominator, sympy.diff(derivative, agent.variable)))
    return out


def _kkt_candidates(agents, symbolic: bool):
    """Every solution of the KKT conditions (list of (point dict, case tuple, condition list)); raises _SympyCannot."""
    n = len(agents)
    if n > MAX_KKT_AGENTS:
        raise _SympyCannot(f"{n} agents: more than {MAX_KKT_AGENTS} for the enumeration of KKT cases")
    conditions = _first_order(agents)
    options = []
    for agent in agents:
        cases = ["interior"]
        if agent.low.is_finite is not False:
            cases.append("lower")
        if agent.high.is_finite is not False:
            cases.append("upper")
        options.append(cases)
    candidates = []
    for case in itertools.product(*options):
        fixed = {}
        for agent, kind in zip(agents, case):
            if kind == "lower":
                fixed[agent.variable] = agent.low
            elif kind == "upper":
                fixed[agent.variable] = agent.high
        unknowns = [a.variable for a, kind in zip(agents, case) if kind == "interior"]
        equations = [sympy.expand(c[1].xreplace(fixed)) for c, kind in zip(conditions, case) if kind == "interior"]
        if any(e == 0 for e in equations):
            raise _SympyCannot("a first-order condition holds identically (a continuum of best responses)")
        if unknowns:
            try:
                solutions = sympy.solve(equations, unknowns, dict=True)
            except NotImplementedError as error:
                raise _SympyCannot(f"sympy cannot solve the first-order conditions ({error})") from None
        else:
            solutions = [{}]
        for solution in solutions:
            if set(solution) != set(unknowns) or any(
                    v.free_symbols & set(unknowns) for v in solution.values()):
                raise _SympyCannot("the first-order conditions have a continuum of solutions")
            point = {**fixed, **solution}
            requirements = []
            rejected = False
            for agent, kind, (derivative, numerator, denominator, _) in zip(agents, case, conditions):
                value = point[agent.variable]
                if not symbolic:
                    imaginary = sympy.N(sympy.im(value), 50)
                    if abs(imaginary) > 1e-40:
                        rejected = True
                        break
                    if value.has(sympy.I):
                        value = sympy.re(value)
                        point[agent.variable] = value
                elif value.is_real is False:
                    rejected = True
                    break
            if rejected:
                continue
            for agent, kind, (derivative, numerator, denominator, _) in zip(agents, case, conditions):
                value = point[agent.variable]
                denominator_at = denominator.xreplace(point)
                if denominator_at.free_symbols:
                    requirements.append(sympy.Ne(denominator_at, 0))
                elif denominator_at == 0 or _decide(sympy.Eq(denominator_at, 0)):
                    rejected = True
                    break
                if kind == "interior":
                    if agent.low.is_finite is not False:
                        requirements.append(sympy.Ge(value, agent.low))
                    if agent.high.is_finite is not False:
                        requirements.append(sympy.Le(value, agent.high))
                else:
                    slope = sympy.together(derivative.xreplace(point))
                    requirements.append(sympy.Le(slope, 0) if kind == "lower" else sympy.Ge(slope, 0))
            if rejected:
                continue
            if not symbolic:
                verdicts = [_decide(r) for r in requirements]
                if not all(verdicts):
                    continue
                requirements = []
            candidates.append((point, case, requirements))
    return candidates, conditions


def _exact_regret(agent, point):
    """Largest exact gain of ``agent`` from deviating at ``point`` (None if it cannot be computed exactly)."""
    x = agent.variable
    others = {v: value for v, value in point.items() if v != x}
    f = agent.payoff.xreplace(others)
    current = f.xreplace({x: point[x]})
    if f.free_symbols - {x}:
        return None
    derivative = sympy.together(sympy.diff(f, x))
    numerator, denominator = sympy.fraction(derivative)
    try:
        if not numerator.is_polynomial(x) or not denominator.is_polynomial(x):
            return None
        if not denominator.free_symbols:
            poles = []
        else:
            poles = [r for r in sympy.solve(denominator, x) if _in_interval(r, agent)]
        if poles:
            return None
        if numerator == 0:
            return Fraction(0)
        critical = [r for r in sympy.solve(numerator, x) if _in_interval(r, agent)]
    except NotImplementedError:
        return None
    values = [f.xreplace({x: r}) for r in critical]
    for bound in (agent.low, agent.high):
        if bound.is_finite:
            values.append(f.xreplace({x: bound}))
        else:
            limit = sympy.limit(f, x, bound)
            if limit is sympy.oo:
                return math.inf
            if limit.has(sympy.oo, sympy.zoo, sympy.nan, sympy.AccumBounds):
                return None
            values.append(limit)
    best = current
    for value in values:
        if _decide(sympy.Gt(value, best)):
            best = value
    gain = sympy.nsimplify(best - current) if (best - current).has(sympy.Float) else sympy.simplify(best - current)
    if _decide(sympy.Le(gain, 0)):
        return Fraction(0)
    return _to_number(gain, True)


def _in_interval(root, agent) -> bool:
    root = sympy.sympify(root)
    if abs(sympy.N(sympy.im(root), 50)) > 1e-40:
        return False
    root = sympy.re(root) if root.has(sympy.I) else root
    low_ok = agent.low.is_finite is False or _decide(sympy.Ge(root, agent.low))
    high_ok = agent.high.is_finite is False or _decide(sympy.Le(root, agent.high))
    return bool(low_ok and high_ok)


def _binding(agent, value, case_kind, symbolic) -> str:
    if symbolic:
        return case_kind
    if agent.low.is_finite and _decide(sympy.Eq(value, agent.low)):
        return "lower"
    if agent.high.is_finite and _decide(sympy.Eq(value, agent.high)):
        return "upper"
    return "interior"


def _solve_symbolic(game: ContinuousGame):
    agents = game.agents()
    symbolic = game.is_symbolic
    exact = not any(a.payoff.has(sympy.Float) or a.low.has(sympy.Float) or a.high.has(sympy.Float) for a in agents)
    candidates, conditions = _kkt_candidates(agents, symbolic)
    messages = []
    equilibria = []
    if symbolic:
        concave = []
        for agent, (_, _, _, second) in zip(agents, conditions):
            if second.is_nonpositive:
                concave.append(None)
            elif not (second.free_symbols & {a.variable for a in agents}):
                concave.append(sympy.Le(second, 0))
            else:
                concave.append(False)
                messages.append(f"second-order condition of {agent.label} not verified symbolically "
                                "(payoff not provably concave in its own choice): solve at numbers for a verified "
                                "answer")
        for point, case, requirements in candidates:
            extra = [c for c in concave if c not in (None, False)]
            condition = sympy.And(*(_tidy(r) for r in (*requirements, *extra)))
            if condition is sympy.false:
                continue
            choices = tuple(sympy.factor(sympy.cancel(point[a.variable])) for a in agents)
            payoffs = tuple(sympy.factor(sympy.cancel(a.payoff.xreplace(point))) for a in agents)
            binding = tuple(_binding(a, v, kind, True) for a, v, kind in zip(agents, choices, case))
            equilibria.append(ContinuousEquilibrium(tuple((a.player, a.type) for a in agents), choices, payoffs,
                                                    binding, conditions=condition, regret=Fraction(0)))
        return equilibria, exact, True, messages
    inexact_check = False
    for point, case, _ in candidates:
        regrets = []
        for agent in agents:
            regret = _exact_regret(agent, point)
            if regret is None:
                regret = _float_regret(game, agent, point)
                inexact_check = True
            regrets.append(regret)
        worst = max(regrets, key=float)
        if float(worst) > 0 and not (isinstance(worst, float) and worst <= TOLERANCE):
            shown = ", ".join(f"{a.label} = {_show(_to_number(point[a.variable], exact))}" for a in agents)
            messages.append(f"KKT point ({shown}) is not an equilibrium: some player gains "
                            f"{_show(worst)} by deviating")
            continue
        choices = tuple(_to_number(sympy.nsimplify(point[a.variable]) if not exact else
                                   sympy.radsimp(point[a.variable]), exact) for a in agents)
        payoffs = tuple(_to_number(sympy.simplify(a.payoff.xreplace(point)), exact) for a in agents)
        binding = tuple(_binding(a, point[a.variable], kind, False) for a, kind in zip(agents, case))
        candidate = ContinuousEquilibrium(tuple((a.player, a.type) for a in agents), choices, payoffs, binding,
                                          regret=Fraction(0) if all(isinstance(r, Fraction) for r in regrets)
                                          else max(float(r) for r in regrets))
        if not any(_same_point(candidate, other) for other in equilibria):
            equilibria.append(candidate)
    if inexact_check:
        exact = False
        messages.append("some deviations could not be checked exactly; checked numerically "
                        f"(relative tolerance {TOLERANCE:g})")
    return equilibria, exact, True, messages


def _same_point(first, second) -> bool:
    for a, b in zip(first.choices, second.choices):
        if isinstance(a, float) or isinstance(b, float):
            if abs(float(a) - float(b)) > 1e-9 * (1 + abs(float(a))):
                return False
        elif sympy.simplify(_sympy_value(a) - _sympy_value(b)) != 0:
            return False
    return True


# ---------------------------------------------------------------------------- numeric methods
class _Numeric:
    """Lambdified payoffs and gradients of a numeric game's agents."""

    def __init__(self, game: ContinuousGame):
        if game.is_symbolic:
            raise ContinuousGameError(
                f"numeric methods need numbers for every parameter; missing: {', '.join(game.free_parameters)}")
        self.agents = game.agents()
        self.variables = [a.variable for a in self.agents]
        self.low = np.array([float(a.low) for a in self.agents])
        self.high = np.array([float(a.high) for a in self.agents])
        self.payoff = [sympy.lambdify(self.variables, a.payoff, modules="numpy") for a in self.agents]
        self.gradient = [sympy.lambdify(self.variables, sympy.diff(a.payoff, a.variable), modules="numpy")
                         for a in self.agents]

    def value(self, k, x) -> float:
        with np.errstate(all="ignore"):
            return float(self.payoff[k](*x))

    def _evaluate(self, k, x, grid):
        args = [np.full_like(grid, x[j]) if j != k else grid for j in range(len(x))]
        with np.errstate(all="ignore"):
            values = np.asarray(self.payoff[k](*args), dtype=float) * np.ones_like(grid)
        return np.where(np.isfinite(values), values, -np.inf)

    def best_response(self, k, x, points: int = GRID_POINTS):
        """(best choice, best value) of agent k against x: grid search refined by bounded minimisation."""
        from scipy.optimize import minimize_scalar

        low, high = self.low[k], self.high[k]
        scale = max(1.0, 4 * abs(x[k]), 4 * abs(low) if math.isfinite(low) else 0, 4 * abs(high) if math.isfinite(high) else 0)
        lo = low if math.isfinite(low) else x[k] - scale
        hi = high if math.isfinite(high) else x[k] + scale
        for _ in range(60):
            grid = np.linspace(lo, hi, points)
            values = self._evaluate(k, x, grid)
            index = int(np.argmax(values))
            grow_high = index == points - 1 and not math.isfinite(high)
            grow_low = index == 0 and not math.isfinite(low)
            if not (grow_high or grow_low):
                break
            width = hi - lo
            if grow_high:
                hi = hi + width
            if grow_low:
                lo = lo - width
            if max(abs(lo), abs(hi)) > 1e15:
                return (math.inf if grow_high else -math.inf), math.inf
        left, right = grid[max(index - 1, 0)], grid[min(index + 1, points - 1)]
        best_x, best_value = float(grid[index]), float(values[index])
        polished = self._stationary_point(k, x, float(left), float(right))
        if polished is not None:
            y = list(x)
            y[k] = polished
            value = self.value(k, y)
            if math.isfinite(value) and value >= best_value - 1e-14 * max(1.0, abs(best_value)):
                return polished, value
        if right > left:
            def negative(z):
                y = list(x)
                y[k] = z
                value = self.value(k, y)
                return -value if math.isfinite(value) else math.inf

            refined = minimize_scalar(negative, bounds=(left, right), method="bounded",
                                      options={"xatol": 1e-13 * max(1.0, abs(best_x))})
            if refined.success and -refined.fun >= best_value:
                best_x, best_value = float(refined.x), float(-refined.fun)
        return best_x, best_value

    def _stationary_point(self, k, x, left, right):
        """A root of the own derivative in [left, right] where it falls from + to - (Brent's method), or None."""
        from scipy.optimize import brentq

        def slope(z):
            y = list(x)
            y[k] = z
            with np.errstate(all="ignore"):
                return float(self.gradient[k](*y))

        try:
            at_left, at_right = slope(left), slope(right)
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        if not (math.isfinite(at_left) and math.isfinite(at_right)) or not (at_left > 0 > at_right):
            return None
        try:
            return float(brentq(slope, left, right, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=200))
        except (ValueError, RuntimeError):
            return None

    def residual(self, x):
        with np.errstate(all="ignore"):
            gradient = np.array([float(g(*x)) for g in self.gradient])
        return x - np.clip(x + gradient, self.low, self.high)

    def regret(self, x) -> float:
        """Largest relative gain of an agent from deviating (grid + local optimisation)."""
        worst = 0.0
        for k in range(len(self.agents)):
            current = self.value(k, x)
            _, best = self.best_response(k, x)
            if not math.isfinite(current):
                return math.inf
            worst = max(worst, (best - current) / max(1.0, abs(current)))
        return worst


def _starts(numeric: _Numeric, count: int, seed: int):
    low, high = numeric.low, numeric.high
    finite_low = np.where(np.isfinite(low), low, np.minimum(0.0, np.where(np.isfinite(high), high - 1, 0)))
    finite_high = np.where(np.isfinite(high), high, np.maximum(finite_low, 0) + 10.0)
    starts = [finite_low + (finite_high - finite_low) / 2, finite_low.copy(), finite_high.copy()]
    rng = np.random.default_rng(seed)
    while len(starts) < count:
        starts.append(finite_low + rng.random(len(low)) * (finite_high - finite_low))
    return starts[:max(count, 1)]


def _best_response_iteration(numeric, start, damping, max_iterations, tolerance):
    x = np.array(start, dtype=float)
    for _ in range(max_iterations):
        responses = np.array([numeric.best_response(k, x)[0] for k in range(len(x))])
        if not np.all(np.isfinite(responses)):
            return None
        step = responses - x
        if np.max(np.abs(step)) <= tolerance * max(1.0, float(np.max(np.abs(x)))):
            return responses
        x = x + damping * step
    return None


def _complementarity(numeric, start, tolerance):
    from scipy.optimize import least_squares

    x0 = np.clip(np.array(start, dtype=float), numeric.low, numeric.high)
    try:
        solution = least_squares(numeric.residual, x0, bounds=(numeric.low, numeric.high), xtol=1e-15, ftol=1e-15,
                                 gtol=1e-15, max_nfev=2000)
    except ValueError:
        return None
    best = None
    x = solution.x
    for _ in range(3):  # the bounded solver approaches a bound only asymptotically: snap with the projection
        residual = numeric.residual(x)
        if not np.all(np.isfinite(residual)):
            break
        size = float(np.max(np.abs(residual)))
        if best is None or size < best[1]:
            best = (x, size)
        x = x - residual
    if best is not None and best[1] <= tolerance * max(1.0, float(np.max(np.abs(best[0])))):
        return best[0]
    return None


def _float_regret(game, agent, point) -> float:
    numeric = _Numeric(game)
    x = [float(point[a.variable]) for a in numeric.agents]
    k = [a.variable for a in numeric.agents].index(agent.variable)
    current = numeric.value(k, x)
    _, best = numeric.best_response(k, x)
    return max(0.0, (best - current) / max(1.0, abs(current)))


def _solve_numeric(game, methods, *, tolerance, starts, seed, damping, max_iterations):
    numeric = _Numeric(game)
    agents = numeric.agents
    found = []  # (x, set of methods)
    for start in _starts(numeric, starts, seed):
        for method in methods:
            if method == "best_response_iteration":
                x = _best_response_iteration(numeric, start, damping, max_iterations, 1e-10)
            else:
                x = _complementarity(numeric, start, 1e-8)
            if x is None:
                continue
            for entry in found:
                if np.max(np.abs(entry[0] - x)) <= 1e-6 * (1 + float(np.max(np.abs(x)))):
                    entry[1].add(method)
                    break
            else:
                found.append([x, {method}])
    equilibria, messages = [], []
    for x, by in found:
        regret = numeric.regret(x)
        if regret > tolerance:
            shown = ", ".join(f"{a.label} = {v:.6g}" for a, v in zip(agents, x))
            messages.append(f"candidate ({shown}) rejected: a player gains {regret:.3g} (relative) by deviating")
            continue
        binding = []
        for k, value in enumerate(x):
            scale = 1e-9 * max(1.0, abs(value))
            binding.append("lower" if abs(value - numeric.low[k]) <= scale else
                           "upper" if abs(value - numeric.high[k]) <= scale else "interior")
        payoffs = tuple(numeric.value(k, x) for k in range(len(agents)))
        equilibria.append(ContinuousEquilibrium(tuple((a.player, a.type) for a in agents),
                                                tuple(float(v) for v in x), payoffs, tuple(binding),
                                                regret=float(regret), found_by=tuple(m for m in methods if m in by)))
    messages.append(f"numeric verification: no player gains more than {tolerance:g} (relative to max(1, |payoff|)) "
                    f"by deviating, checked on a {GRID_POINTS}-point grid refined by bounded local optimisation")
    return equilibria, messages


def solve_continuous(game, values: Mapping | None = None, method: str = "auto", *, tolerance: float = TOLERANCE,
                     starts: int = 8, seed: int = 0, damping: float = 0.5,
                     max_iterations: int = 2000) -> ContinuousResult:
    """Pure Nash equilibria of a continuous game.

    Parameters
    ----------
    game : ContinuousGame (or a scenario whose ``game`` is one)
    values : mapping, optional
        Parameter values to substitute first. Parameters left free are kept
        symbolic (``first_order_conditions`` only): each equilibrium then
        carries the conditions under which it holds.
    method : str
        ``"auto"`` (symbolic, numeric fallback when sympy cannot), ``"first_order_conditions"``,
        ``"best_response_iteration"`` (also runs the complementarity formulation) or ``"complementarity"``.
    tolerance : float
        Relative tolerance of the numeric verification.
    starts, seed : int
        Number of starting points of the numeric methods (centre, lower and upper
        corners, then uniform random ones from ``seed``).
    damping : float
        Step of the best-response iteration, ``x <- x + damping * (BR(x) - x)``, in (0, 1].
    max_iterations : int
        Limit of the best-response iteration per start.

    Returns
    -------
    ContinuousResult

    Raises
    ------
    ContinuousGameError
        Unknown method, bad values, or ``first_order_conditions`` requested where sympy cannot solve.

    Examples
    --------
    Corner solution: firm 2's cost is so high that its closed form is negative and it produces nothing.

    >>> q1, q2 = sympy.symbols("q1 q2")
    >>> game = ContinuousGame(("Firm 1", "Firm 2"), (q1, q2), ((0, sympy.oo),) * 2,
    ...                       ((10 - q1 - q2 - 1) * q1, (10 - q1 - q2 - 8) * q2))
    >>> equilibrium = solve_continuous(game)[0]
    >>> equilibrium["Firm 1"], equilibrium["Firm 2"], equilibrium.binding
    (Fraction(9, 2), Fraction(0, 1), ('interior', 'lower'))
    """
    if method not in METHODS:
        raise ContinuousGameError(f"method: unknown method {method!r} (expected one of: {', '.join(METHODS)})")
    if not isinstance(game, ContinuousGame) and isinstance(getattr(game, "game", None), ContinuousGame):
        scenario = game
        game = scenario.game_at(values) if hasattr(scenario, "game_at") else scenario.game.substitute(values or {})
        values = None
    if not isinstance(game, ContinuousGame):
        raise ContinuousGameError(f"expected a ContinuousGame, found {type(game).__name__}")
    if values:
        game = game.substitute(values)
    if not 0 < damping <= 1:
        raise ContinuousGameError(f"damping: expected a number in (0, 1], found {damping}")
    messages = []
    if method in ("auto", "first_order_conditions"):
        try:
            equilibria, exact, complete, notes = _solve_symbolic(game)
            return ContinuousResult(game, tuple(equilibria), "first_order_conditions", exact, complete,
                                    parameters=dict(game.values), messages=tuple(notes))
        except _SympyCannot as reason:
            if method == "first_order_conditions" or game.is_symbolic:
                raise ContinuousGameError(f"first_order_conditions: {reason}; use method='best_response_iteration' "
                                          "at numeric parameter values") from None
            messages.append(f"symbolic solution not possible ({reason}); numeric fallback")
    methods = ("complementarity",) if method == "complementarity" else ("best_response_iteration", "complementarity")
    equilibria, notes = _solve_numeric(game, methods, tolerance=tolerance, starts=starts, seed=seed, damping=damping,
                                       max_iterations=max_iterations)
    name = "complementarity" if method == "complementarity" else "best_response_iteration"
    return ContinuousResult(game, tuple(equilibria), name, False, False, parameters=dict(game.values),
                            messages=tuple(messages + notes), details={"methods": list(methods)})


# ---------------------------------------------------------------------------- best responses and plots
def best_response_function(game: ContinuousGame, player, values: Mapping | None = None):
    """Player's best response as a sympy expression in the other players' choices (and parameters).

    Available when the first-order condition has a single solution and the
    payoff is provably concave in the own choice; the interior solution is then
    clipped to the interval with ``Min``/``Max``.

    Raises
    ------
    ContinuousGameError
        When no closed form is available (use :func:`best_response` for numbers).

    Examples
    --------
    >>> q1, q2 = sympy.symbols("q1 q2")
    >>> a, c = sympy.symbols("a c", positive=True)
    >>> game = ContinuousGame(("Firm 1", "Firm 2"), (q1, q2), ((0, sympy.oo),) * 2,
    ...                       ((a - q1 - q2 - c) * q1, (a - q1 - q2 - c) * q2))
    >>> best_response_function(game, "Firm 1")
    Max(0, a/2 - c/2 - q2/2)
    """
    if values:
        game = game.substitute(values)
    name = game._player(player)
    if game.is_bayesian:
        raise ContinuousGameError("best_response_function: not available for games with types")
    agent = game.agents()[game.players.index(name)]
    x = agent.variable
    derivative = sympy.diff(agent.payoff, x)
    second = sympy.diff(derivative, x)
    try:
        roots = sympy.solve(derivative, x)
    except NotImplementedError:
        roots = None
    if not roots or len(roots) != 1 or not second.is_nonpositive:
        raise ContinuousGameError(f"best_response_function: no closed-form best response for {name} (payoff not "
                                  "provably concave with a single stationary point); use best_response() for numbers")
    response = roots[0]
    if agent.low.is_finite:
        response = sympy.Max(agent.low, response)
    if agent.high.is_finite:
        response = sympy.Min(agent.high, response)
    return response


def best_response(game: ContinuousGame, player, others: Mapping) -> float:
    """Numeric best response of ``player`` to the other players' choices ``{player: number}``.

    Examples
    --------
    >>> game = ContinuousGame(("A", "B"), ("x", "y"), ((0, 10), (0, 10)), ("-(x - y)**2", "-(y - 3)**2"))
    >>> round(best_response(game, "A", {"B": 2}), 9)
    2.0
    """
    name = game._player(player)
    if game.is_bayesian:
        raise ContinuousGameError("best_response: not available for games with types")
    numeric = _Numeric(game)
    k = game.players.index(name)
    x = []
    for j, other in enumerate(game.players):
        if j == k:
            low, high = numeric.low[k], numeric.high[k]
            x.append(low if math.isfinite(low) else min(0.0, high) if math.isfinite(high) else 0.0)
        elif other not in others:
            raise ContinuousGameError(f"best_response: no choice given for {other!r}")
        else:
            x.append(float(others[other]))
    return numeric.best_response(k, x)[0]


def plot_best_responses(game: ContinuousGame, values: Mapping | None = None, *, result: ContinuousResult | None = None,
                        ax=None, points: int = 101, limits: Sequence | None = None, title: str | None = None):
    """Both players' best-response curves of a two-player game, with the equilibria marked.

    Uses the closed form of :func:`best_response_function` where it exists and
    numeric best responses otherwise.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> game = ContinuousGame(("NATO", "Russia"), ("x", "y"), ((0, 10), (0, 10)),
    ...                       ("-(x - y/2 - 1)**2", "-(y - x/2 - 1)**2"), labels=("brigades", "brigades"))
    >>> figure = plot_best_responses(game)
    >>> figure.axes[0].get_xlabel()
    'NATO: x (brigades)'
    """
    if values:
        game = game.substitute(values)
    if game.n_players != 2 or game.is_bayesian:
        raise ContinuousGameError("plot_best_responses: needs a two-player game without types")
    if game.is_symbolic:
        raise ContinuousGameError(f"plot_best_responses: set values for {', '.join(game.free_parameters)}")
    result = result if result is not None else solve_continuous(game)
    numeric = _Numeric(game)
    ranges = []
    for k in range(2):
        low, high = numeric.low[k], numeric.high[k]
        if limits is not None:
            ranges.append(tuple(float(v) for v in limits[k]))
            continue
        peak = max([abs(float(e.choices[k])) for e in result.equilibria] + [1.0])
        lo = low if math.isfinite(low) else -2 * peak
        hi = high if math.isfinite(high) else max(lo + 1, 2 * peak)
        ranges.append((lo, hi))
    curves = []
    for k in range(2):
        other = 1 - k
        grid = np.linspace(ranges[other][0], ranges[other][1], points)
        try:
            formula = best_response_function(game, game.players[k])
            function = sympy.lambdify([game.agents()[other].variable], formula, modules="numpy")
            with np.errstate(all="ignore"):
                response = np.asarray(function(grid), dtype=float) * np.ones_like(grid)
        except ContinuousGameError:
            response = np.empty_like(grid)
            for j, value in enumerate(grid):
                x = [0.0, 0.0]
                x[other] = float(value)
                x[k] = ranges[k][0]
                response[j] = numeric.best_response(k, x, points=129)[0]
        curves.append((grid, response))
    from negotiation.report.figures import new_figure as Figure

    if ax is None:
        figure = Figure(figsize=(6.4, 5.2), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    names = [f"{p}: {v.name}" + (f" ({label})" if label else "") for p, v, label in
             zip(game.players, game.variables, game.labels)]
    grid, response = curves[0]
    ax.plot(response, grid, color="tab:blue", linewidth=2, label=f"best response of {game.players[0]}")
    grid, response = curves[1]
    ax.plot(grid, response, color="tab:red", linewidth=2, label=f"best response of {game.players[1]}")
    for k, e in enumerate(result.equilibria, start=1):
        x, y = float(e.choices[0]), float(e.choices[1])
        ax.plot([x], [y], marker="*", markersize=16, color="black", linestyle="none",
                label="Nash equilibrium" if k == 1 else None)
        ax.annotate(f"({_show(e.choices[0])}, {_show(e.choices[1])})", (x, y), textcoords="offset points",
                    xytext=(8, 8), fontsize=11)
    ax.set_xlim(*ranges[0])
    ax.set_ylim(*ranges[1])
    ax.set_xlabel(names[0], fontsize=12)
    ax.set_ylabel(names[1], fontsize=12)
    ax.tick_params(labelsize=11)
    ax.set_title(title if title is not None else (game.title or "Best responses"), fontsize=13)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=10, loc="best")
    return figure
