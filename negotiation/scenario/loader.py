"""Read scenario files (TOML, schema ``negotiation.scenario/1``): what every kind of scenario file shares.

Scenario files are data. They are read with the standard library's
``tomllib`` and every formula goes through the allow-list parser of
:mod:`negotiation.core.expressions`; nothing in a file is ever executed.
The schema is documented in ``models/README.md``.

Limits
------
Checked on the text before ``tomllib`` reads it (its parser recurses into nested arrays and takes
quadratic time on long dotted keys), and on every number before it is converted:

===============================  ============  ==============================================
limit                            value         what it bounds
===============================  ============  ==============================================
:data:`MAX_SCENARIO_CHARACTERS`  1 000 000     the length of a scenario file (the largest
                                               bundled one has 20 000)
:data:`MAX_TOML_DEPTH`           32            nesting of arrays and inline tables, and the
                                               parts of one dotted key (``a.b.c``)
``MAX_NUMBER_DIGITS``            1000          digits of a number (``default``, ``range``…),
                                               and ``1e…`` exponents up to ±1000
                                               (:mod:`negotiation.core.numeric`)
===============================  ============  ==============================================

The limits of formulas (size after substituting derived quantities, degree, nesting of
exponentials and of logarithms) are those of :mod:`negotiation.core.expressions`.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import re
import sys
import tomllib
from fractions import Fraction
from pathlib import Path


import sympy

from negotiation.core.errors import NegotiationError
from negotiation.core.expression_rules import NUMBER_BITS, SHARE_ABOVE
from negotiation.core.expressions import ExpressionError, parse_condition, parse_expression
from negotiation.core.labels import normalise_label, normalise_labels
from negotiation.core.numeric import MAX_NUMBER_DIGITS, check_number_text
from negotiation.core.shared_expressions import measure, share
from negotiation.core.parameters import CONFIDENCE_TAGS, Parameter, ParameterSpace
from negotiation.core.priors import parse_prior
from negotiation.formats.text import MAX_FILE_BYTES, read_bytes
from negotiation.scenario.catalogue import bundled_models, models_directory
from negotiation.scenario.claims import check_claim_labels, parse_claims
from negotiation.scenario.model import Assumption, Scenario, ScenarioError

__all__ = ["load", "load_scenario", "parse_scenario", "bundled_models", "models_directory", "SCHEMA", "register_kind",
           "register_file_type", "register_text_type", "register_json_schema", "STANDARD_INPUT", "read_toml", "read_number", "read_string", "resolve_path", "parse_header",
           "parse_parameters", "parse_priors", "parse_derived", "parse_assumptions", "normalised_keys"]

SCHEMA = "negotiation.scenario/1"
#: Longest scenario file, in characters.
MAX_SCENARIO_CHARACTERS = 1_000_000
#: Deepest nesting of TOML arrays and inline tables, and most parts of one dotted key.
MAX_TOML_DEPTH = 32
PARAMETER_KEYS = {"default", "range", "unit", "description", "source", "confidence", "prior"}
#: The path that stands for standard input (as for Gambit's tools and most Unix commands), and the name
#: standard input goes by in messages.
STANDARD_INPUT = "-"
STANDARD_INPUT_SOURCE = "<stdin>"
#: Bytes read from standard input before its kind is known: the larger of the two file limits (a Gambit
#: file's bytes, a scenario's characters at up to 4 bytes each); each kind's own limit is checked after.
MAX_STANDARD_INPUT_BYTES = max(MAX_FILE_BYTES, 4 * MAX_SCENARIO_CHARACTERS)


def load(path_or_name, *, kind: str | None = None, purpose: str = "") -> Scenario:
    """Load a scenario file, a Gambit ``.nfg`` or ``.efg`` file, or a bundled model by name.

    Parameters
    ----------
    path_or_name : str or Path
        A file, or the name of a bundled model (``negotiation models``).
    kind : str, optional
        The kind of model the caller needs (``"bargaining"``, ``"continuous"``…): another kind is
        refused in one line that names the file, the kind found and ``purpose``.
    purpose : str
        What the model is for, for that message (``"a bargaining analysis"``).

    Examples
    --------
    >>> scenario = load("security_dilemma")
    >>> scenario.game.players
    ('NATO', 'Russia')
    >>> load("security_dilemma", kind="bargaining", purpose="a bargaining analysis")
    Traceback (most recent call last):
        ...
    negotiation.scenario.model.ScenarioError: security_dilemma: kind: expected 'bargaining' for a bargaining analysis, found 'normal-form'
    """
    registered()
    scenario = _load(path_or_name)
    if kind is not None and scenario.kind != kind:
        where = str(scenario.source) if scenario.source else scenario.id
        where = where if Path(str(path_or_name)).exists() else str(path_or_name)
        raise ScenarioError(f"{where}: kind: expected {kind!r}{' for ' + purpose if purpose else ''}, "
                            f"found {scenario.kind!r}")
    return scenario


def _load(path_or_name) -> Scenario:
    if isinstance(path_or_name, str) and path_or_name == STANDARD_INPUT:
        return _load_standard_input()
    path = resolve_path(path_or_name)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return load_scenario(path)
    if suffix in FILE_LOADERS:
        return FILE_LOADERS[suffix](path)
    if suffix == ".json":
        return _load_json(_read_text(path, limit=MAX_FILE_BYTES), str(path))
    raise ScenarioError(f"{path}: unknown file type {suffix or '(none)'!r} (expected .toml, .nfg, .efg or .json)")


#: The first word of a Gambit file (``NFG 1 R``, ``EFG 2 R``): how standard input is told from TOML.
_GAMBIT_HEADER = re.compile(r"\s*(NFG|EFG)\s+\d")


def _load_standard_input() -> Scenario:
    """A scenario, Gambit file or JSON model read from standard input (the path ``-``), told apart by its
    content: a Gambit header (``NFG 1 R``, ``EFG 2 R``), a JSON object (``{``), else scenario TOML.

    Standard input is read as a file is: at most :data:`MAX_STANDARD_INPUT_BYTES` bytes (a pipe from
    ``/dev/zero`` ends too), then the limit of the kind found (a scenario's characters, a Gambit file's
    bytes). Messages name the file ``<stdin>``.
    """
    source = STANDARD_INPUT_SOURCE
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # no standard input at all (closed, or a program without a console)
        raise ScenarioError(f"{source}: no standard input to read (the path '-' reads it)")
    try:
        raw = read_bytes(stream, MAX_STANDARD_INPUT_BYTES)
    except OSError as error:
        raise ScenarioError(f"{source}: cannot read standard input ({error.strerror or error})") from None
    if raw is None:
        raise ScenarioError(f"{source}: standard input holds more than {MAX_STANDARD_INPUT_BYTES:,} bytes "
                            "(the limit for a file read)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ScenarioError(f"{source}: line {line}: expected UTF-8 text, found byte 0x{raw[error.start]:02x}") \
            from None
    if not text.strip():
        raise ScenarioError(f"{source}: standard input is empty (expected a scenario, a Gambit .nfg or .efg file "
                            "or a JSON model)")
    gambit = _GAMBIT_HEADER.match(text)
    if gambit:
        if len(raw) > MAX_FILE_BYTES:  # the limit of a Gambit file read (equal to the first today)
            raise ScenarioError(f"{source}: more than {MAX_FILE_BYTES:,} bytes (the limit for a file read)")
        return TEXT_LOADERS[gambit.group(1).lower()](text, source)
    if text.lstrip().startswith("{"):
        return _load_json(text, source)
    return parse_scenario(text, source=source)


def _load_json(text: str, source: str) -> Scenario:
    """A model written by ``negotiation convert --to json`` (``to_dict()``), by its ``schema``."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:  # malformed, nested past the recursion limit, a 5000-digit int
        detail = f"line {error.lineno}: {error.msg}" if isinstance(error, json.JSONDecodeError) else str(error)
        raise ScenarioError(f"{source}: invalid JSON: {detail}") from None
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema not in JSON_LOADERS:
        readable = ", ".join(sorted(JSON_LOADERS))
        shown = repr(schema) if isinstance(schema, str) and len(schema) <= 60 else "none"
        raise ScenarioError(f"{source}: schema: expected a JSON model with one of the schemas {readable} "
                            f"(as written by negotiation convert --to json), found {shown}")
    return JSON_LOADERS[schema](data, source)


def parse_header(data, source: str, *, keys, kind: str, what: str) -> tuple:
    """The common head of every scenario kind: unknown keys, ``schema``, ``id``, ``title``, ``kind``,
    ``description`` and ``references``; returns ``(id, title, description, references)``."""
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise ScenarioError(f"{source}: unknown key {unknown[0]!r} for {what} scenario "
                            f"(expected: {', '.join(sorted(keys))})")
    if data.get("schema") != SCHEMA:
        raise ScenarioError(f"{source}: schema: expected {SCHEMA!r}, found {data.get('schema')!r}")
    scenario_id = read_string(data, "id", source)
    title = read_string(data, "title", source)
    found = read_string(data, "kind", source)
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


def _read_text(path: Path, limit: int | None = None) -> str:
    """The UTF-8 text of a scenario file (``limit``: bytes, default that of a scenario's characters)."""
    try:
        raw = read_bytes(path, limit or 4 * MAX_SCENARIO_CHARACTERS)  # UTF-8: at most 4 bytes a character
        if raw is None and limit:
            raise ScenarioError(f"{path}: more than {limit:,} bytes (the limit for a file read)")
        if raw is None:  # read, not stat: /dev/zero has size 0 and no end
            raise ScenarioError(f"{path}: the file has more than {MAX_SCENARIO_CHARACTERS:,} characters (the limit)")
        return raw.decode("utf-8")
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read file ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None


def read_toml(path_or_name, *, bundled: bool = True) -> tuple[Path, dict]:
    """Read a scenario ``.toml``: ``(path, data)``, one-line errors; ``bundled`` also accepts bundled
    model names (see :func:`resolve_path`)."""
    path = resolve_path(path_or_name) if bundled else Path(path_or_name)
    return path, _parse_toml(_read_text(path), str(path))


def _parse_toml(text: str, source: str) -> dict:
    """``tomllib.loads(text)`` after the checks of the text's size and nesting; one-line errors."""
    if len(text) > MAX_SCENARIO_CHARACTERS:
        raise ScenarioError(f"{source}: the file has more than {MAX_SCENARIO_CHARACTERS:,} characters (the limit)")
    check_toml_nesting(text, source)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{source}: invalid TOML: {error}") from None
    except (ValueError, RecursionError) as error:  # an integer of more than 4300 digits, say
        raise ScenarioError(f"{source}: invalid TOML: {error}") from None


def check_toml_nesting(text: str, source: str) -> None:
    """Refuse TOML text nested more than :data:`MAX_TOML_DEPTH` levels deep, before it is parsed.

    Counts brackets and braces (and the dots of a dotted key) outside strings and comments, in one
    pass over the text.

    Examples
    --------
    >>> check_toml_nesting("x = [[1, 2], {a = '[[['}]  # ]]]]", "f.toml")
    >>> check_toml_nesting("x = " + "[" * 40 + "]" * 40, "f.toml")
    Traceback (most recent call last):
        ...
    negotiation.scenario.model.ScenarioError: f.toml: line 1: arrays and inline tables are nested more than 32 levels deep (the limit)
    """
    _check_brackets(text, source)
    if _LONG_DOTTED.search(text):  # rare: only then are the dots outside strings counted
        _check_dotted_keys(text, source)


def _significant(text: str, pattern):
    """The positions of ``pattern``'s characters outside TOML strings and comments."""
    position = 0
    while True:
        match = pattern.search(text, position)
        if match is None:
            return
        position = match.start()
        character = text[position]
        if character in "\"'":
            string = _string_at(text, position)
            if string is None:  # an unclosed string: tomllib reports it
                return
            position = string.end()
        elif character == "#":
            position = text.find("\n", position)
            if position < 0:
                return
        else:
            yield position
            position += 1


def _check_brackets(text: str, source: str) -> None:
    depth = 0
    for position in _significant(text, _TOML_BRACKETS):
        if text[position] in "[{":
            depth += 1
            if depth > MAX_TOML_DEPTH:
                raise ScenarioError(f"{source}: line {text.count(chr(10), 0, position) + 1}: arrays and inline "
                                    f"tables are nested more than {MAX_TOML_DEPTH} levels deep (the limit)")
        else:
            depth -= 1


def _check_dotted_keys(text: str, source: str) -> None:
    dots = 0
    for position in _significant(text, _TOML_KEY_SEPARATORS):
        if text[position] != ".":
            dots = 0
            continue
        dots += 1
        if dots >= MAX_TOML_DEPTH:
            raise ScenarioError(f"{source}: line {text.count(chr(10), 0, position) + 1}: a dotted key has more "
                                f"than {MAX_TOML_DEPTH} parts (the limit)")


# What the nesting checks look at, and TOML's four kinds of string (each matched in linear time).
_TOML_BRACKETS = re.compile(r"""["'#\[\]{}]""")
_TOML_KEY_SEPARATORS = re.compile(r"""["'#\[\]{}.=,\n]""")
_LONG_DOTTED = re.compile(r"(?:\.[^=,\[\]{}\n.]*+){%d}" % (MAX_TOML_DEPTH - 1))
_TOML_STRINGS = (
    re.compile(r'"""(?:[^"\\]++|\\.|"(?!""))*+"""(?:""?)?', re.DOTALL),
    re.compile(r"'''(?:[^']++|'(?!''))*+'''(?:''?)?", re.DOTALL),
    re.compile(r'"(?:[^"\\\n]++|\\.)*+"'),
    re.compile(r"'[^'\n]*+'"),
)


def _string_at(text: str, position: int):
    """The match of the TOML string that starts at ``position`` (``None`` if it is not closed)."""
    for pattern in _TOML_STRINGS:
        match = pattern.match(text, position)
        if match:
            return match
    return None


def load_scenario(path) -> Scenario:
    """Load one scenario ``.toml`` file."""
    path = Path(path)
    return parse_scenario(_read_text(path), source=str(path))


#: The parser of each kind of scenario file: ``(kind, form)`` -> function(data, source). Each kind's module
#: registers itself with :func:`register_kind` when imported; :func:`registered` imports them all.
KIND_PARSERS: dict = {}
#: The modules of the kinds of scenario file (and of the Gambit and JSON readers), imported by name by
#: :func:`registered` the first time a file is read: they import this module to register, so it cannot
#: import them at its top, and importing them lazily keeps the light modules of the layer light.
KIND_MODULES = ("negotiation.scenario.game", "negotiation.scenario.tree", "negotiation.scenario.bayesian",
                "negotiation.scenario.signaling", "negotiation.scenario.continuous",
                "negotiation.scenario.bargaining", "negotiation.scenario.cooperative")
#: Loaders of other file types by suffix (``.nfg``, ``.efg``): suffix -> function(path).
FILE_LOADERS: dict = {}
#: The same file types read from text (standard input): ``"nfg"``, ``"efg"`` -> function(text, source).
TEXT_LOADERS: dict = {}
#: JSON models by their ``schema`` (``to_dict()`` of a game or a tree) -> function(data, source).
JSON_LOADERS: dict = {}


@functools.cache
def registered() -> bool:
    """Import every module of :data:`KIND_MODULES` (once), so that every kind and file type is registered."""
    for module in KIND_MODULES:
        importlib.import_module(module)
    return True


def register_kind(kind: str, form: str | None = None):
    """Register the decorated ``parse(data, source)`` for scenario files of ``kind`` (and ``form``).

    The registered (and returned) parser reads the document through :func:`normalised_keys` first, so that
    every kind's parser, also when called with a Python dict, sees table keys (parameter, derived, player,
    issue and option names, payoff profiles) in one Unicode form and free of control characters."""
    def decorator(parser):
        @functools.wraps(parser)
        def parse(data, source="<scenario>"):
            return parser(normalised_keys(data, source) if isinstance(data, dict) else data, source)

        KIND_PARSERS[(kind, form)] = parse
        return parse

    return decorator


#: Tables nested deeper than this are passed on as they are (no scenario schema goes half as deep; their
#: keys are never read as names, and the walk stays far from Python's recursion limit).
MAX_KEY_DEPTH = 16


def normalised_keys(data, source: str, *, where: str = "", depth: int = 0):
    """A copy of a scenario document whose table keys went through
    :func:`~negotiation.core.labels.normalise_label` (NFKC; control and bidirectional characters refused);
    two keys of one table that become the same key are refused. Values are not changed.

    Examples
    --------
    >>> normalised_keys({"parameters": {"ﬁ": {"default": 1}}}, "s.toml")
    {'parameters': {'fi': {'default': 1}}}
    >>> normalised_keys({"parameters": {"ﬁ": {}, "fi": {}}}, "s.toml")
    Traceback (most recent call last):
        ...
    negotiation.scenario.model.ScenarioError: s.toml: parameters: keys 'ﬁ' and 'fi' are the same after Unicode normalisation (NFKC: 'fi')
    """
    if depth > MAX_KEY_DEPTH:
        return data
    if isinstance(data, list):
        return [normalised_keys(item, source, where=f"{where}[{k}]", depth=depth + 1) for k, item in enumerate(data)]
    if not isinstance(data, dict):
        return data
    keys = normalise_labels(data, where=f"{source}: {where or 'top level'}", what="key", error=ScenarioError)
    return {key: normalised_keys(value, source, where=f"{where}.{key}" if where else key, depth=depth + 1)
            for key, value in zip(keys, data.values())}


def register_file_type(suffix: str):
    """Register the decorated ``load(path)`` for files ending in ``suffix``."""
    def decorator(loader):
        FILE_LOADERS[suffix] = loader
        return loader

    return decorator


def register_text_type(name: str):
    """Register the decorated ``load(text, source)`` for the text of a ``name`` file (``"nfg"``) read from
    standard input."""
    def decorator(loader):
        TEXT_LOADERS[name] = loader
        return loader

    return decorator


def register_json_schema(schema: str):
    """Register the decorated ``load(data, source)`` for JSON models whose ``schema`` is ``schema``."""
    def decorator(loader):
        JSON_LOADERS[schema] = loader
        return loader

    return decorator


def parse_scenario(text: str, *, source: str = "<scenario>") -> Scenario:
    """Build a scenario from the text of a scenario file (its ``kind`` chooses the parser)."""
    registered()
    data = _parse_toml(text, source)
    parser = None
    if data.get("schema") == SCHEMA:
        kind, form = data.get("kind"), data.get("form")
        if isinstance(kind, str) and (isinstance(form, str) or form is None):
            parser = KIND_PARSERS.get((kind, form)) or KIND_PARSERS.get((kind, None))
    # every kind may end with [[claims]] (scenario.claims): read here, so that no kind's parser knows them
    items = data.pop("claims", None) if isinstance(data, dict) else None
    claims = parse_claims(items, source) if items is not None else ()
    # the strategic form is the default: its parser reports unknown keys, a wrong schema or kind
    scenario = (parser or KIND_PARSERS[("normal-form", None)])(data, source)
    if not claims:
        return scenario
    check_claim_labels(claims, scenario.game, source)
    return dataclasses.replace(scenario, claims=claims)


# ---------------------------------------------------------------------- sections
def read_string(data, key, source) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{source}: {key}: expected a non-empty string, found {value!r}")
    # an id is a name (NFKC); a title keeps its typography; neither may hide or reorder text
    return normalise_label(value, where=f"{source}: {key}", what=key, error=ScenarioError, normalise=key == "id")


def read_number(value, where):
    """TOML numbers and numeric strings, exactly (a TOML float is read as the decimal it was written as)."""
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: expected a number, found {value}")
    if isinstance(value, int):
        if value.bit_length() > NUMBER_BITS:
            raise ScenarioError(f"{where}: the number has more than {MAX_NUMBER_DIGITS} digits (the limit)")
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ScenarioError(f"{where}: expected a finite number, found {value}")
        return Fraction(repr(value))
    if isinstance(value, str):
        try:
            check_number_text(value.strip(), where)
        except NegotiationError as error:
            raise ScenarioError(str(error)) from None
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            shown = value if len(value) <= 60 else value[:57] + "..."
            raise ScenarioError(f"{where}: expected a number such as 2, -3/4 or 0.25, found {shown!r}") from None
    shown = repr(value)
    raise ScenarioError(f"{where}: expected a number, found {shown if len(shown) <= 60 else shown[:57] + '...'}")


def parse_parameters(table, source) -> ParameterSpace:
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: parameters: expected a table of parameter tables")
    parameters = []
    names = normalise_labels(table, where=f"{source}: parameters", what="parameter name", error=ScenarioError)
    for name, spec in zip(names, table.values()):
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
        default = read_number(spec["default"], f"{where}.default")
        low = high = None
        if "range" in spec:
            bounds = spec["range"]
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise ScenarioError(f"{where}.range: expected [low, high]")
            low, high = (read_number(b, f"{where}.range") for b in bounds)
            if low > high:
                raise ScenarioError(f"{where}.range: low {low} is above high {high}")
            if not low <= default <= high:
                raise ScenarioError(f"{where}.default: {default} is outside the range [{low}, {high}]")
        confidence = spec.get("confidence", "assumption")
        if not isinstance(confidence, str) or confidence not in CONFIDENCE_TAGS:
            raise ScenarioError(f"{where}.confidence: expected one of {', '.join(CONFIDENCE_TAGS)}, found {confidence!r}")
        for key in ("unit", "description", "source"):
            if key in spec and not isinstance(spec[key], str):
                raise ScenarioError(f"{where}.{key}: expected a string")
        parameters.append(Parameter(
            name=name, default=default, low=low, high=high, unit=spec.get("unit", ""),
            description=spec.get("description", ""), source=spec.get("source", ""), confidence=confidence,
        ))
    return ParameterSpace(tuple(parameters))


def parse_priors(table, source) -> dict:
    """Monte Carlo priors declared as ``prior = "beta:2:5"`` (the ``--prior`` syntax of ``negotiation sweep``)."""
    priors = {}
    for name, spec in table.items():
        if isinstance(spec, dict) and "prior" in spec:
            if not isinstance(spec["prior"], str):
                raise ScenarioError(f"{source}: parameters.{name}.prior: expected a string such as \"beta:2:5\"")

            try:
                parse_prior(spec["prior"], name=name)
            except ValueError as error:
                raise ScenarioError(f"{source}: parameters.{name}.prior: {error}") from None
            priors[name] = spec["prior"]
    return priors


def parse_derived(table, symbols, source) -> dict:
    """Named intermediate quantities, each an expression in parameters and earlier ones.

    A quantity whose expansion has more than :data:`~negotiation.core.expression_rules.SHARE_ABOVE`
    elements is shared (:func:`~negotiation.core.shared_expressions.share`): formulas refer to it
    by name instead of copying its tree, so a chain of quantities that each use the previous one
    twice stays linear in size. Its value is the application (printed as its name); its definition
    is ``value.unfolded``.
    """
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: derived: expected a table of name = \"expression\"")
    derived = {}
    memo: dict = {}  # measures of the nodes met so far (the quantities share their parts)
    names = normalise_labels(table, where=f"{source}: derived", what="derived name", error=ScenarioError)
    for name, text in zip(names, table.values()):
        where = f"{source}: derived.{name}"
        if name in symbols:
            raise ScenarioError(f"{where}: the name is already a parameter")
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(read_number(text, where))
        if not isinstance(text, str):
            raise ScenarioError(f"{where}: expected an expression string")
        try:
            value = parse_expression(text, {**symbols, **derived}, where=where)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
        if isinstance(value, sympy.Expr):
            expansion = measure(value, memo)
            if expansion.expanded > SHARE_ABOVE:
                value = share(name, value, where=where, expansion=expansion)
        derived[name] = value
    return derived


def parse_assumptions(items, symbols, source):
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


