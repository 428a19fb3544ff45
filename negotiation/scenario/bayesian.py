"""Bayesian scenario files (``kind = "bayesian"``): types, a common prior, payoffs per type profile.

A Bayesian scenario is a :class:`~negotiation.scenario.model.Scenario` whose ``game`` is a
:class:`~negotiation.models.bayesian.BayesianGame`. The file shape::

    schema = "negotiation.scenario/1"
    id = "trust"
    title = "Trust game"
    kind = "bayesian"

    [players.NATO]                 # order = player order
    actions = ["Cooperate", "Defect"]          # one type ("known") when types is omitted

    [players.Russia]
    types = ["Security seeker", "Greedy"]
    actions = ["Cooperate", "Defect"]

    [parameters.pi]                # as in every scenario kind
    default = "3/4"
    range = [0, 1]

    [prior.Russia]                 # independent priors, one table per player with several types
    "Security seeker" = "pi"
    Greedy = "1 - pi"
    # or a joint prior over the type profiles:  [prior.joint]  "Security seeker" = "pi" …

    [payoffs."Security seeker"]    # one table per type profile of the players with several types
    "Cooperate, Cooperate" = [4, 4]            # "action of player 1, action of player 2" = [payoffs]
    …

Keys of ``[payoffs.…]`` and ``[prior.joint]`` list the type of every player that has more
than one type, comma-separated, in player order. Probabilities and payoffs are numbers or
formula strings, parsed by the allow-list parser (:mod:`negotiation.core.expressions`);
independent priors of a player must sum to one identically, and every probability must be
non-negative at the defaults and at every parameter point used.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Mapping

from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.core.labels import normalise_labels
from negotiation.core.numeric import format_number
from negotiation.models.bayesian import DEFAULT_TYPE, BayesianError, BayesianGame, show_value
from negotiation.scenario.loader import (parse_assumptions, parse_derived, parse_header, parse_parameters,
                                         parse_priors, read_number, register_kind)
from negotiation.scenario.model import (describe_derived, describe_footer, describe_header,
    describe_parameters, Scenario, ScenarioError)

__all__ = ["BayesianScenario", "parse_bayesian", "BAYESIAN_KEYS", "PLAYER_KEYS"]

#: Top-level keys of a Bayesian scenario file.
BAYESIAN_KEYS = {"schema", "id", "title", "kind", "description", "references", "players", "parameters",
                 "derived", "prior", "payoffs", "assumptions", "notes"}
#: Keys of one ``[players.<name>]`` table.
PLAYER_KEYS = {"types", "actions", "description"}


@dataclass(frozen=True, eq=False)
class BayesianScenario(Scenario):
    """A scenario whose model is a Bayesian game.

    ``game`` is the (possibly symbolic) :class:`~negotiation.models.bayesian.BayesianGame`;
    :meth:`game_at` gives the numeric game at parameter values, :meth:`solve` its Bayesian
    Nash equilibria, :meth:`derive` the region where each pure one holds.

    Examples
    --------
    >>> import negotiation as ng
    >>> scenario = ng.load("security_dilemma_bayesian")
    >>> scenario.kind, scenario.game.types[1]
    ('bayesian', ('Security seeker', 'Greedy'))
    >>> [e.profile.describe() for e in scenario.solve().pure][0]
    'NATO: Security seeker: Cooperate, Greedy: Defect; Russia: Security seeker: Cooperate, Greedy: Defect'
    """

    model_errors = (BayesianError,)

    def describe(self, values: Mapping | None = None) -> str:
        """What ``negotiation show`` prints: players and types, parameters, prior, payoffs, sources."""
        game = self.game
        lines = describe_header(self)
        lines += ["", f"Kind: bayesian; players: {', '.join(game.players)}"]
        for player, types, actions in zip(game.players, game.types, game.actions):
            lines.append(f"  {player}: types {', '.join(types)}; actions {', '.join(actions)}")
        lines += describe_parameters(self.parameters)
        lines += describe_derived(self)
        lines += ["", "Prior (probability of each type):"]
        for player in game.players:
            marginal = game.marginal(player)
            if len(marginal) > 1:
                lines.append(f"  {player}: " + ", ".join(f"{t} {show_value(p)}" for t, p in marginal.items()))
        lines += ["", "Payoffs:"]
        lines += [("  " + line).rstrip() for line in game.to_text().splitlines()[2:]]
        if self.parameters.parameters:
            numeric = self.game_at(values)
            shown = ", ".join(f"{k} = {format_number(v)}" for k, v in numeric.values.items())
            lines += ["", f"Prior at {shown}:"]
            for player in numeric.players:
                marginal = numeric.marginal(player)
                if len(marginal) > 1:
                    lines.append(f"  {player}: " + ", ".join(f"{t} {format_number(p)}" for t, p in marginal.items()))
        lines += describe_footer(self)
        return "\n".join(lines)


# ---------------------------------------------------------------------- parsing
@register_kind("bayesian")
def parse_bayesian(data: dict, source: str) -> BayesianScenario:
    """Build a :class:`BayesianScenario` from the parsed TOML of a ``kind = "bayesian"`` file.

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
    >>> data = {
    ...     "schema": "negotiation.scenario/1", "id": "bos", "title": "BoS, meet or avoid", "kind": "bayesian",
    ...     "players": {"1": {"actions": ["B", "S"]}, "2": {"types": ["meet", "avoid"], "actions": ["B", "S"]}},
    ...     "prior": {"2": {"meet": "1/2", "avoid": "1/2"}},
    ...     "payoffs": {"meet": {"B, B": [2, 1], "B, S": [0, 0], "S, B": [0, 0], "S, S": [1, 2]},
    ...                 "avoid": {"B, B": [2, 0], "B, S": [0, 2], "S, B": [0, 1], "S, S": [1, 0]}}}
    >>> [e.profile.describe() for e in parse_bayesian(data, "bos.toml").solve().pure]
    ['1: B; 2: meet: B, avoid: S']
    >>> parse_bayesian({**data, "prior": {"2": {"meet": "1/2", "avoid": "1/3"}}}, "bos.toml")
    Traceback (most recent call last):
    ...
    negotiation.scenario.model.ScenarioError: bos.toml: prior.2: probabilities sum to 5/6, expected 1
    """
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: expected a TOML table")
    scenario_id, title, description, references = parse_header(data, source, keys=BAYESIAN_KEYS, kind="bayesian",
                                                                what="a bayesian")
    kind = "bayesian"
    players, types, actions = _players(data.get("players"), source)
    parameters = parse_parameters(data.get("parameters", {}), source)
    sampling_priors = parse_priors(data.get("parameters", {}), source)  # Monte Carlo priors of parameters (sweeps)
    symbols = parameters.symbols
    derived = parse_derived(data.get("derived", {}), symbols, source)
    names = {**symbols, **derived}
    typed = [i for i, t in enumerate(types) if len(t) > 1]
    if not typed:
        raise ScenarioError(f"{source}: players: a bayesian scenario needs a player with two or more types "
                            "(players.<name>.types); without private information use kind = \"normal-form\"")
    prior = _prior(data.get("prior"), players, types, typed, names, source)
    payoffs = _payoffs(data.get("payoffs"), players, types, actions, typed, names, source)
    try:
        game = BayesianGame.from_tables({p: t for p, t in zip(players, types)},
                                        {p: a for p, a in zip(players, actions)},
                                        prior, payoffs, title=title, parameters=parameters)
    except BayesianError as error:
        raise ScenarioError(f"{source}: {error}") from None
    assumptions = parse_assumptions(data.get("assumptions", []), symbols, source)
    scenario = BayesianScenario(
        id=scenario_id, title=title, kind=kind, game=game, parameters=parameters,
        description=description.strip(), assumptions=assumptions, references=tuple(references),
        derived=derived, source=Path(source) if source not in ("<scenario>", "") else None,
        priors=sampling_priors,
    )
    if parameters.parameters and len(parameters.defaults) == len(parameters):
        scenario.game_at()  # the defaults must satisfy the assumptions and give a valid prior
    return scenario


def _players(table, source):
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{source}: players: expected one table per player, e.g. "
                            "[players.NATO] with actions = [...] and optional types = [...]")
    players, types, actions = [], [], []
    for player, spec in table.items():
        where = f"{source}: players.{player}"
        if not isinstance(spec, dict):
            raise ScenarioError(f"{where}: expected a table with actions = [...] and optional types = [...]")
        unknown = sorted(set(spec) - PLAYER_KEYS)
        if unknown:
            raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(PLAYER_KEYS))})")
        if "actions" not in spec:
            raise ScenarioError(f"{where}: missing 'actions'")
        players.append(player)
        actions.append(_labels(spec["actions"], f"{where}.actions", "action"))
        types.append(_labels(spec["types"], f"{where}.types", "type") if "types" in spec else (DEFAULT_TYPE,))
    return tuple(players), tuple(types), tuple(actions)


def _labels(value, where, what) -> tuple:
    if not isinstance(value, list) or not value or not all(isinstance(s, str) and s.strip() for s in value):
        raise ScenarioError(f"{where}: expected a non-empty list of {what} labels")
    labels = normalise_labels((s.strip() for s in value), where=where, what=f"{what} label", error=ScenarioError)
    if len(set(labels)) != len(labels):
        duplicate = next(s for s in labels if labels.count(s) > 1)
        raise ScenarioError(f"{where}: duplicate {what} {duplicate!r}")
    if any("," in s for s in labels):
        raise ScenarioError(f"{where}: {what} labels cannot contain commas")
    return labels


def _formula(value, names, where):
    """A number (exact) or a formula string through the allow-list parser (constants become Fractions)."""
    if isinstance(value, str):
        try:
            expression = parse_expression(value, names, where=where)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
        import sympy

        if isinstance(expression, sympy.Rational):
            return Fraction(int(expression.p), int(expression.q))
        return expression
    return read_number(value, where)


def _type_key(key, players, types, typed, where) -> tuple:
    """The full type profile named by a key listing the types of the players with several types."""
    parts = [part.strip() for part in key.split(",")]
    if len(parts) != len(typed):
        expected = ", ".join(f"type of {players[i]}" for i in typed)
        raise ScenarioError(f"{where}: expected {len(typed)} comma-separated type(s) ({expected}), "
                            f"found {len(parts)}")
    profile = [t[0] for t in types]
    for i, part in zip(typed, parts):
        if part not in types[i]:
            raise ScenarioError(f"{where}: unknown type {part!r} of {players[i]} (types: {', '.join(types[i])})")
        profile[i] = part
    return tuple(profile)


def _sum_is_one(values) -> tuple:
    """(is the sum identically one, the sum)."""
    import sympy

    if all(isinstance(v, Fraction) for v in values):
        total = sum(values, Fraction(0))
        return total == 1, total
    total = sympy.expand(sum(sympy.sympify(v) if isinstance(v, sympy.Basic)
                             else sympy.Rational(v.numerator, v.denominator) for v in values))
    return (total == 1 or sympy.simplify(total - 1) == 0), total


def _prior(table, players, types, typed, names, source):
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{source}: prior: expected [prior.<player>] tables (type = probability) for "
                            f"{', '.join(players[i] for i in typed)}, or a [prior.joint] table")
    if "joint" in table and "joint" not in players:
        if len(table) > 1:
            other = next(k for k in table if k != "joint")
            raise ScenarioError(f"{source}: prior.{other}: give either [prior.joint] or one table per player, not both")
        joint = table["joint"]
        if not isinstance(joint, dict) or not joint:
            raise ScenarioError(f"{source}: prior.joint: expected a table \"type, type\" = probability")
        prior = {}
        for key, value in joint.items():
            where = f"{source}: prior.joint.\"{key}\""
            profile = _type_key(key, players, types, typed, where)
            if profile in prior:
                raise ScenarioError(f"{where}: this type profile is given twice")
            prior[profile] = _formula(value, names, where)
        ok, total = _sum_is_one(list(prior.values()))
        if not ok:
            raise ScenarioError(f"{source}: prior.joint: probabilities sum to {show_value(total)}, expected 1")
        return prior
    prior = {}
    for player, spec in table.items():
        where = f"{source}: prior.{player}"
        if player not in players:
            raise ScenarioError(f"{where}: unknown player (players: {', '.join(players)}; "
                                "or use [prior.joint] for a joint prior)")
        i = players.index(player)
        if not isinstance(spec, dict) or not spec:
            raise ScenarioError(f"{where}: expected a table type = probability")
        values = {}
        for label, value in spec.items():
            if label not in types[i]:
                raise ScenarioError(f"{where}: unknown type {label!r} of {player} (types: {', '.join(types[i])})")
            values[label] = _formula(value, names, f"{where}.\"{label}\"")
        missing = [t for t in types[i] if t not in values]
        if missing:
            raise ScenarioError(f"{where}: no probability for type {missing[0]!r}")
        ok, total = _sum_is_one(list(values.values()))
        if not ok:
            raise ScenarioError(f"{where}: probabilities sum to {show_value(total)}, expected 1")
        prior[player] = values
    missing = [players[i] for i in typed if players[i] not in prior]
    if missing:
        raise ScenarioError(f"{source}: prior: no [prior.{missing[0]}] table for the types of {missing[0]} "
                            f"({', '.join(types[players.index(missing[0])])})")
    return prior


def _payoffs(table, players, types, actions, typed, names, source):
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{source}: payoffs: expected one table per type profile, e.g. "
                            f"[payoffs.\"{', '.join(types[i][0] for i in typed)}\"]")
    out = {}
    for key, entries in table.items():
        where = f"{source}: payoffs.\"{key}\""
        profile = _type_key(key, players, types, typed, where)
        if profile in out:
            raise ScenarioError(f"{where}: this type profile is given twice")
        if not isinstance(entries, dict):
            raise ScenarioError(f"{where}: expected a table \"action, action\" = [payoff, payoff]")
        cells = {}
        for action_key, values in entries.items():
            item = f"{where}.\"{action_key}\""
            labels = tuple(part.strip() for part in action_key.split(","))
            if len(labels) != len(players):
                raise ScenarioError(f"{item}: expected {len(players)} comma-separated actions "
                                    f"({', '.join(players)}), found {len(labels)}")
            for player, own, label in zip(players, actions, labels):
                if label not in own:
                    raise ScenarioError(f"{item}: {label!r} is not an action of {player} ({', '.join(own)})")
            if labels in cells:
                raise ScenarioError(f"{item}: this action profile is given twice")
            if not isinstance(values, list) or len(values) != len(players):
                raise ScenarioError(f"{item}: expected a list of {len(players)} payoffs (one per player)")
            cells[labels] = [_formula(v, names, f"{item}[{k}]") for k, v in enumerate(values)]
        for labels in itertools.product(*actions):
            if labels not in cells:
                raise ScenarioError(f"{where}: no payoffs for the actions \"{', '.join(labels)}\"")
        out[profile] = cells
    for profile in itertools.product(*types):
        if profile not in out:
            shown = ", ".join(profile[i] for i in typed)
            raise ScenarioError(f"{source}: payoffs: no table for the type profile \"{shown}\"")
    return out
