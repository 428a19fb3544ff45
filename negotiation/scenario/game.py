"""Strategic-form scenario files (``kind = "normal-form"``) and Gambit ``.nfg`` files as scenarios."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from negotiation.core.expressions import ExpressionError, parse_expression
from negotiation.core.labels import normalise_label, normalise_labels
from negotiation.formats.nfg import NfgFormatError, parse_nfg, read_nfg
from negotiation.models.game import SCHEMA as GAME_SCHEMA, Game, GameError, check_profile_count
from negotiation.scenario.inspection import parse_inspection
from negotiation.scenario.loader import (KIND_PARSERS, SCHEMA, parse_assumptions, parse_derived, parse_parameters,
                                         parse_priors, read_number, read_string, register_file_type, register_json_schema,
                                         register_kind, register_text_type)
from negotiation.scenario.model import Scenario, ScenarioError
from negotiation.scenario.repeated import RepetitionOption, parse_repetition

__all__ = ["parse_normal_form", "load_nfg", "parse_nfg_scenario", "game_json_scenario", "TOP_LEVEL_KEYS"]

TOP_LEVEL_KEYS = {"schema", "id", "title", "kind", "description", "references", "players",
                  "parameters", "derived", "payoffs", "assumptions", "classification", "notes", "inspection", "repetition"}


@register_kind("normal-form")
def parse_normal_form(data: dict, source: str) -> Scenario:
    """A strategic-form scenario (``kind = "normal-form"``) from a scenario file's TOML table."""
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise ScenarioError(f"{source}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(TOP_LEVEL_KEYS))})")
    schema = data.get("schema")
    if schema != SCHEMA:
        raise ScenarioError(f"{source}: schema: expected {SCHEMA!r}, found {schema!r}")
    kind = read_string(data, "kind", source)
    kinds = sorted({k for k, _ in KIND_PARSERS})
    if kind not in kinds:
        raise ScenarioError(f"{source}: kind: expected one of {', '.join(kinds)}, found {kind!r}")
    if kind != "normal-form":
        raise ScenarioError(f"{source}: form: {data.get('form')!r} is not a form of {kind!r} scenario files")
    scenario_id = read_string(data, "id", source)
    title = read_string(data, "title", source)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ScenarioError(f"{source}: description: expected a string")
    references = data.get("references", [])
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        raise ScenarioError(f"{source}: references: expected a list of strings")

    parameters = parse_parameters(data.get("parameters", {}), source)
    priors = parse_priors(data.get("parameters", {}), source)
    symbols = parameters.symbols
    derived = parse_derived(data.get("derived", {}), symbols, source)
    players, strategies = _players(data.get("players"), source)
    payoffs = _payoffs(data.get("payoffs"), players, strategies, {**symbols, **derived}, source)
    try:
        game = Game(players, strategies, payoffs, title=title, parameters=parameters)
    except GameError as error:
        raise ScenarioError(f"{source}: payoffs: {error}") from None
    assumptions = parse_assumptions(data.get("assumptions", []), symbols, source)
    cooperate = None
    classification = data.get("classification", {})
    if classification:
        if not isinstance(classification, dict) or set(classification) - {"cooperate"}:
            raise ScenarioError(f"{source}: classification: expected a table with the key 'cooperate'")
        cooperate = classification.get("cooperate")
        if isinstance(cooperate, str):
            cooperate = normalise_label(cooperate, where=f"{source}: classification.cooperate", what="strategy label",
                                        error=ScenarioError)
        if cooperate not in strategies[0]:
            raise ScenarioError(
                f"{source}: classification.cooperate: {cooperate!r} is not a strategy of {players[0]} "
                f"({', '.join(strategies[0])})"
            )
    options = []
    if "inspection" in data:
        options.append(parse_inspection(data["inspection"], {**symbols, **derived}, source))
    if "repetition" in data:
        repetition = parse_repetition(data["repetition"], players, strategies, {**symbols, **derived}, source)
        options.append(RepetitionOption(repetition, game))
    scenario = Scenario(
        id=scenario_id, title=title, kind=kind, game=game, parameters=parameters, options=tuple(options),
        description=description.strip(), assumptions=assumptions, references=tuple(references),
        derived=derived, cooperate=cooperate, source=Path(source) if source != "<scenario>" else None,
        priors=priors,
    )
    if parameters.parameters and len(parameters.defaults) == len(parameters):
        # the defaults must satisfy the scenario's own assumptions
        scenario.game_at()
        scenario.analyses()
    return scenario


def _players(table, source):
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{source}: players: expected a table player = [strategy labels]")
    players, strategies = [], []
    for player, labels in table.items():
        if not isinstance(labels, list) or not labels or not all(isinstance(s, str) and s.strip() for s in labels):
            raise ScenarioError(f"{source}: players.{player}: expected a non-empty list of strategy labels")
        labels = list(normalise_labels(labels, where=f"{source}: players.{player}", what="strategy label",
                                       error=ScenarioError))
        if len(set(labels)) != len(labels):
            duplicate = next(s for s in labels if labels.count(s) > 1)
            raise ScenarioError(f"{source}: players.{player}: duplicate strategy {duplicate!r}")
        if any("," in s for s in labels):
            raise ScenarioError(f"{source}: players.{player}: strategy labels cannot contain commas")
        players.append(player)
        strategies.append(tuple(s.strip() for s in labels))
    return tuple(players), tuple(strategies)


def _payoffs(table, players, strategies, symbols, source):
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: payoffs: expected a table \"strategy, strategy\" = [payoff, payoff]")
    shape = tuple(len(s) for s in strategies) + (len(players),)
    check_profile_count(shape[:-1], f"{source}: players", error=ScenarioError)  # before the array exists
    payoffs = np.empty(shape, dtype=object)
    filled = np.zeros(shape[:-1], dtype=bool)
    for key, values in table.items():
        where = f"{source}: payoffs.\"{key}\""
        labels = tuple(part.strip() for part in key.split(","))
        if len(labels) != len(players):
            raise ScenarioError(f"{where}: expected {len(players)} comma-separated strategies "
                                f"({', '.join(players)}), found {len(labels)}")
        position = []
        for player, labels_of, label in zip(players, strategies, labels):
            if label not in labels_of:
                raise ScenarioError(f"{where}: {label!r} is not a strategy of {player} ({', '.join(labels_of)})")
            position.append(labels_of.index(label))
        position = tuple(position)
        if filled[position]:
            raise ScenarioError(f"{where}: this profile is given twice")
        if not isinstance(values, list) or len(values) != len(players):
            raise ScenarioError(f"{where}: expected a list of {len(players)} payoffs (one per player)")
        entries = []
        for k, value in enumerate(values):
            item = f"{where}[{k}]"
            if isinstance(value, str):
                try:
                    entries.append(parse_expression(value, symbols, where=item))
                except ExpressionError as error:
                    raise ScenarioError(str(error)) from None
            else:
                entries.append(read_number(value, item))
        payoffs[position] = entries
        filled[position] = True
    if not filled.all():
        missing = tuple(np.argwhere(~filled)[0])
        names = ", ".join(strategies[i][j] for i, j in enumerate(missing))
        raise ScenarioError(f"{source}: payoffs: no payoffs for the profile \"{names}\"")
    import sympy

    def plain(entry):
        if isinstance(entry, Fraction):
            return entry
        if isinstance(entry, sympy.Basic) and not entry.free_symbols:
            if isinstance(entry, sympy.Rational):
                return Fraction(int(entry.p), int(entry.q))
        return entry

    return np.vectorize(plain, otypes=[object])(payoffs)


@register_file_type(".nfg")
def load_nfg(path: Path) -> Scenario:
    """A Gambit ``.nfg`` file as a scenario without parameters."""
    try:
        data = read_nfg(path)
    except NfgFormatError as error:
        raise ScenarioError(str(error)) from None
    return _nfg_scenario(data, Path(path))


@register_text_type("nfg")
def parse_nfg_scenario(text: str, source: str) -> Scenario:
    """The text of a Gambit ``.nfg`` file (standard input, named ``source`` in messages) as a scenario."""
    try:
        data = parse_nfg(text, source=source)
    except NfgFormatError as error:
        raise ScenarioError(str(error)) from None
    return _nfg_scenario(data, Path(source))


def _nfg_scenario(data, path: Path) -> Scenario:
    try:
        game = Game(data.players, data.strategies, data.payoffs, title=data.title)
    except GameError as error:
        raise ScenarioError(f"{path}: {error}") from None
    return Scenario(id=path.stem, title=data.title or path.stem, kind="normal-form", game=game,
                    description=data.comment, source=path)


@register_json_schema(GAME_SCHEMA)
def game_json_scenario(data: dict, source: str) -> Scenario:
    """A game's JSON (``Game.to_dict()``, ``negotiation convert --to json``) as a scenario without parameters."""
    game = Game.from_dict(data, source=source)
    stem = Path(source).stem
    return Scenario(id=stem, title=game.title or stem, kind="normal-form", game=game, source=Path(source))
