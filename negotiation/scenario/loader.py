"""Read scenario files (TOML, schema ``negotiation.scenario/1``) and Gambit ``.nfg`` games.

Scenario files are data. They are read with the standard library's
``tomllib`` and every formula goes through the allow-list parser of
:mod:`negotiation.core.expressions`; nothing in a file is ever executed.
The schema is documented in ``models/README.md``.
"""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path

import numpy as np

from negotiation.models.game import Game, GameError
from negotiation.core.parameters import CONFIDENCE_TAGS, Parameter, ParameterSpace
from negotiation.core.expressions import ExpressionError, parse_condition, parse_expression
from negotiation.scenario.model import Assumption, Scenario, ScenarioError

__all__ = ["load", "load_scenario", "parse_scenario", "bundled_models", "models_directory", "SCHEMA"]

SCHEMA = "negotiation.scenario/1"
KINDS = ("normal-form", "extensive-form", "bargaining", "bayesian", "continuous")
PLANNED_KINDS = ()
TOP_LEVEL_KEYS = {"schema", "id", "title", "kind", "description", "references", "players",
                  "parameters", "derived", "payoffs", "assumptions", "classification", "notes", "inspection", "repetition"}
PARAMETER_KEYS = {"default", "range", "unit", "description", "source", "confidence", "prior"}


def models_directory() -> Path:
    """Folder of the bundled scenario files (inside the installed package, or the source tree's ``models/``)."""
    installed = Path(__file__).resolve().parent / "bundled"  # pip install . copies models/ here
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "models"


def bundled_models() -> dict[str, Path]:
    """Bundled scenarios by name (file stem), sorted."""
    folder = models_directory()
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}


def load(path_or_name) -> Scenario:
    """Load a scenario file, a Gambit ``.nfg`` file or a bundled model by name.

    Examples
    --------
    >>> scenario = load("security_dilemma")
    >>> scenario.game.players
    ('NATO', 'Russia')
    """
    path = resolve_path(path_or_name)
    suffix = path.suffix.lower()
    if suffix == ".nfg":
        return _load_nfg(path)
    if suffix == ".efg":
        from negotiation.scenario.tree_scenario import load_efg_scenario

        return load_efg_scenario(path)
    if suffix == ".toml":
        return load_scenario(path)
    raise ScenarioError(f"{path}: unknown file type {suffix or '(none)'!r} (expected .toml, .nfg or .efg)")


def parse_header(data, source: str, *, keys, kind: str, what: str) -> tuple:
    """The common head of every scenario kind: unknown keys, ``schema``, ``id``, ``title``, ``kind``,
    ``description`` and ``references``; returns ``(id, title, description, references)``."""
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise ScenarioError(f"{source}: unknown key {unknown[0]!r} for {what} scenario "
                            f"(expected: {', '.join(sorted(keys))})")
    if data.get("schema") != SCHEMA:
        raise ScenarioError(f"{source}: schema: expected {SCHEMA!r}, found {data.get('schema')!r}")
    scenario_id = _string(data, "id", source)
    title = _string(data, "title", source)
    found = _string(data, "kind", source)
    if found != kind:
        raise ScenarioError(f"{source}: kind: expected {kind!r}, found {found!r}")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ScenarioError(f"{source}: description: expected a string")
    references = data.get("references", [])
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        raise ScenarioError(f"{source}: references: expected a list of strings")
    return scenario_id, title, description, references


def resolve_path(path_or_name) -> Path:
    """An existing file, or the bundled model of that name (``security_dilemma`` or ``security_dilemma.toml``)."""
    path = Path(path_or_name)
    if path.exists():
        return path
    bundled = bundled_models()
    name = str(path_or_name)
    stem = Path(name).stem if name.endswith(".toml") else name
    if stem not in bundled:
        raise ScenarioError(f"{name}: no such file, and no bundled model of that name "
                            f"(bundled: {', '.join(bundled) or 'none'})")
    return bundled[stem]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read file ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None


def read_toml(path_or_name, *, bundled: bool = True) -> tuple[Path, dict]:
    """Read a scenario ``.toml``: ``(path, data)``, one-line errors; ``bundled`` also accepts bundled
    model names (see :func:`resolve_path`)."""
    path = resolve_path(path_or_name) if bundled else Path(path_or_name)
    try:
        return path, tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: invalid TOML: {error}") from None


def load_scenario(path) -> Scenario:
    """Load one scenario ``.toml`` file."""
    path = Path(path)
    return parse_scenario(_read_text(path), source=str(path))


def parse_scenario(text: str, *, source: str = "<scenario>") -> Scenario:
    """Build a :class:`Scenario` from the text of a scenario file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{source}: invalid TOML: {error}") from None
    if data.get("kind") == "extensive-form" and data.get("schema") == SCHEMA:
        from negotiation.scenario.tree_scenario import parse_tree_scenario

        return parse_tree_scenario(data, source)
    if data.get("kind") == "bayesian" and data.get("form") == "signaling" and data.get("schema") == SCHEMA:
        from negotiation.scenario.signaling_scenario import parse_signaling

        return parse_signaling(data, source)
    if data.get("kind") == "bayesian" and data.get("schema") == SCHEMA:
        from negotiation.scenario.bayesian_scenario import parse_bayesian

        return parse_bayesian(data, source)
    if data.get("kind") == "continuous" and data.get("schema") == SCHEMA:
        from negotiation.scenario.continuous_scenario import parse_continuous

        return parse_continuous(data, source)
    if data.get("kind") == "bargaining" and data.get("schema") == SCHEMA:
        from negotiation.bargaining.scenario import parse_bargaining

        return parse_bargaining(data, source)
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise ScenarioError(f"{source}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(TOP_LEVEL_KEYS))})")
    schema = data.get("schema")
    if schema != SCHEMA:
        raise ScenarioError(f"{source}: schema: expected {SCHEMA!r}, found {schema!r}")
    kind = _string(data, "kind", source)
    if kind in PLANNED_KINDS:
        raise ScenarioError(f"{source}: kind: {kind!r} models are not supported by this version yet (supported: normal-form, extensive-form, bargaining)")
    if kind not in KINDS:
        raise ScenarioError(f"{source}: kind: expected one of {', '.join(KINDS + PLANNED_KINDS)}, found {kind!r}")
    scenario_id = _string(data, "id", source)
    title = _string(data, "title", source)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ScenarioError(f"{source}: description: expected a string")
    references = data.get("references", [])
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        raise ScenarioError(f"{source}: references: expected a list of strings")

    parameters = _parameters(data.get("parameters", {}), source)
    priors = _priors(data.get("parameters", {}), source)
    symbols = parameters.symbols
    derived = _derived(data.get("derived", {}), symbols, source)
    players, strategies = _players(data.get("players"), source)
    payoffs = _payoffs(data.get("payoffs"), players, strategies, {**symbols, **derived}, source)
    try:
        game = Game(players, strategies, payoffs, title=title, parameters=parameters)
    except GameError as error:
        raise ScenarioError(f"{source}: payoffs: {error}") from None
    assumptions = _assumptions(data.get("assumptions", []), symbols, source)
    cooperate = None
    classification = data.get("classification", {})
    if classification:
        if not isinstance(classification, dict) or set(classification) - {"cooperate"}:
            raise ScenarioError(f"{source}: classification: expected a table with the key 'cooperate'")
        cooperate = classification.get("cooperate")
        if cooperate not in strategies[0]:
            raise ScenarioError(
                f"{source}: classification.cooperate: {cooperate!r} is not a strategy of {players[0]} "
                f"({', '.join(strategies[0])})"
            )
    options = []
    if "inspection" in data:
        from negotiation.scenario.inspection_section import parse_inspection

        options.append(parse_inspection(data["inspection"], {**symbols, **derived}, source))
    if "repetition" in data:
        from negotiation.scenario.repetition import parse_repetition

        options.append(parse_repetition(data["repetition"], players, strategies, {**symbols, **derived},
                                        source).with_game(game))
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


# ---------------------------------------------------------------------- sections
def _string(data, key, source) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{source}: {key}: expected a non-empty string, found {value!r}")
    return value


def _number(value, where):
    """TOML numbers and numeric strings, exactly (a TOML float is read as the decimal it was written as)."""
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: expected a number, found {value}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ScenarioError(f"{where}: expected a finite number, found {value}")
        return Fraction(repr(value))
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ScenarioError(f"{where}: expected a number such as 2, -3/4 or 0.25, found {value!r}") from None
    raise ScenarioError(f"{where}: expected a number, found {value!r}")


def _parameters(table, source) -> ParameterSpace:
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: parameters: expected a table of parameter tables")
    parameters = []
    for name, spec in table.items():
        where = f"{source}: parameters.{name}"
        if not name.isidentifier():
            raise ScenarioError(f"{where}: parameter names must be identifiers (letters, digits, _)")
        if not isinstance(spec, dict):
            raise ScenarioError(f"{where}: expected a table with default, range, unit, description, source")
        unknown = sorted(set(spec) - PARAMETER_KEYS)
        if unknown:
            raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(PARAMETER_KEYS))})")
        if "default" not in spec:
            raise ScenarioError(f"{where}: missing 'default'")
        default = _number(spec["default"], f"{where}.default")
        low = high = None
        if "range" in spec:
            bounds = spec["range"]
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise ScenarioError(f"{where}.range: expected [low, high]")
            low, high = (_number(b, f"{where}.range") for b in bounds)
            if low > high:
                raise ScenarioError(f"{where}.range: low {low} is above high {high}")
            if not low <= default <= high:
                raise ScenarioError(f"{where}.default: {default} is outside the range [{low}, {high}]")
        confidence = spec.get("confidence", "assumption")
        if confidence not in CONFIDENCE_TAGS:
            raise ScenarioError(f"{where}.confidence: expected one of {', '.join(CONFIDENCE_TAGS)}, found {confidence!r}")
        for key in ("unit", "description", "source"):
            if key in spec and not isinstance(spec[key], str):
                raise ScenarioError(f"{where}.{key}: expected a string")
        parameters.append(Parameter(
            name=name, default=default, low=low, high=high, unit=spec.get("unit", ""),
            description=spec.get("description", ""), source=spec.get("source", ""), confidence=confidence,
        ))
    return ParameterSpace(tuple(parameters))


def _priors(table, source) -> dict:
    """Monte Carlo priors declared as ``prior = "beta:2:5"`` (the ``--prior`` syntax of ``negotiation sweep``)."""
    priors = {}
    for name, spec in table.items():
        if isinstance(spec, dict) and "prior" in spec:
            if not isinstance(spec["prior"], str):
                raise ScenarioError(f"{source}: parameters.{name}.prior: expected a string such as \"beta:2:5\"")
            from negotiation.core.priors import parse_prior

            try:
                parse_prior(spec["prior"], name=name)
            except ValueError as error:
                raise ScenarioError(f"{source}: parameters.{name}.prior: {error}") from None
            priors[name] = spec["prior"]
    return priors


def _derived(table, symbols, source) -> dict:
    """Named intermediate quantities, each an expression in parameters and earlier ones."""
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: derived: expected a table of name = \"expression\"")
    derived = {}
    for name, text in table.items():
        where = f"{source}: derived.{name}"
        if name in symbols:
            raise ScenarioError(f"{where}: the name is already a parameter")
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(_number(text, where))
        if not isinstance(text, str):
            raise ScenarioError(f"{where}: expected an expression string")
        try:
            derived[name] = parse_expression(text, {**symbols, **derived}, where=where)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
    return derived


def _players(table, source):
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{source}: players: expected a table player = [strategy labels]")
    players, strategies = [], []
    for player, labels in table.items():
        if not isinstance(labels, list) or not labels or not all(isinstance(s, str) and s.strip() for s in labels):
            raise ScenarioError(f"{source}: players.{player}: expected a non-empty list of strategy labels")
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
                entries.append(_number(value, item))
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


def _assumptions(items, symbols, source):
    if not isinstance(items, list):
        raise ScenarioError(f"{source}: assumptions: expected [[assumptions]] tables with expr = \"…\"")
    out = []
    for k, item in enumerate(items):
        where = f"{source}: assumptions[{k}]"
        if isinstance(item, str):
            item = {"expr": item}
        if not isinstance(item, dict) or "expr" not in item or set(item) - {"expr", "description"}:
            raise ScenarioError(f"{where}: expected a table with expr (and optional description)")
        try:
            condition = parse_condition(item["expr"], symbols, where=f"{where}.expr")
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
        out.append(Assumption(item["expr"], condition, item.get("description", "")))
    return tuple(out)


def _load_nfg(path: Path) -> Scenario:
    from negotiation.formats.nfg import NfgFormatError, read_nfg

    try:
        data = read_nfg(path)
    except NfgFormatError as error:
        raise ScenarioError(str(error)) from None
    try:
        game = Game(data.players, data.strategies, data.payoffs, title=data.title)
    except GameError as error:
        raise ScenarioError(f"{path}: {error}") from None
    return Scenario(id=path.stem, title=data.title or path.stem, kind="normal-form", game=game,
                    description=data.comment, source=path)
