"""The :class:`Scenario` type: a parametric model with its documentation.

A scenario is what a file in ``models/`` describes: a parametric game, its
parameters (defaults, ranges, units, sources), the assumptions under which
the model is meant to be used, and references.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from negotiation.core.errors import NegotiationError
from negotiation.core.document import aligned_lines
from negotiation.core.numeric import format_number
from negotiation.core.parameters import CONFIDENCE_TAGS, ParameterSpace
from negotiation.models.game import Game, GameError
from negotiation.scenario.bibliography import bibliography, cited_keys, format_entry
from negotiation.solvers import solve
from negotiation.symbolic import derive
from negotiation.solvers.classification import classify_symmetric_2x2

__all__ = ["Assumption", "Scenario", "ScenarioError", "describe_parameters", "resolve_values"]


class ScenarioError(NegotiationError):
    """A scenario file or a parameter value is invalid (one-line message naming file and field)."""


@dataclass(frozen=True)
class Assumption:
    """A condition on the parameters, e.g. ``L >= G``."""

    text: str
    condition: object  # sympy Boolean
    description: str = ""

    def holds(self, values: Mapping) -> bool:
        import sympy

        symbols = {s.name: s for s in self.condition.free_symbols}
        replacement = {symbols[name]: _sympy_number(v) for name, v in values.items() if name in symbols}
        verdict = self.condition.xreplace(replacement)
        if verdict in (sympy.true, True):
            return True
        if verdict in (sympy.false, False):
            return False
        return bool(sympy.simplify(verdict))


def _sympy_number(value):
    import sympy
    from fractions import Fraction

    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.Float(value)


def resolve_values(parameters, assumptions, values: Mapping | None, *, where: str) -> dict:
    """Parameter values completed with defaults, checked against ranges and the scenario's assumptions.

    Shared by every scenario kind; errors are one-line :class:`ScenarioError`s naming ``where``.
    """
    try:
        resolved = parameters.resolve(values or {}, where=where)
    except ValueError as error:
        raise ScenarioError(str(error)) from None
    for assumption in assumptions:
        if not assumption.holds(resolved):
            shown = ", ".join(
                f"{s.name}={format_number(resolved[s.name])}"
                for s in sorted(assumption.condition.free_symbols, key=lambda s: s.name)
                if s.name in resolved
            )
            raise ScenarioError(
                f"{where}: assumption '{assumption.text}' does not hold at {shown}"
                + (f" ({assumption.description})" if assumption.description else "")
            )
    return resolved


def describe_parameters(parameters) -> list[str]:
    """The "Parameters:" lines of ``negotiation show``: default, unit, range, meaning, source and confidence."""
    if not parameters.parameters:
        return []
    lines = ["", "Parameters:"]
    for p in parameters:
        bounds = f"[{format_number(p.low)}, {format_number(p.high)}]" if p.low is not None else "unbounded"
        unit = f" {p.unit}" if p.unit else ""
        lines.append(f"  {p.name} = {format_number(p.default)}{unit}, range {bounds}: {p.description}")
        lines.append(f"      source: {p.source or 'none given'} [{p.confidence}: {CONFIDENCE_TAGS[p.confidence]}]")
    return lines


def describe_header(scenario) -> list[str]:
    """The first lines of ``negotiation show``: title, underline, description."""
    lines = [scenario.title, "=" * len(scenario.title)]
    if scenario.description:
        lines += ["", scenario.description]
    return lines


def describe_derived(scenario) -> list[str]:
    """``negotiation show``'s derived quantities (none: no lines)."""
    if not scenario.derived:
        return []
    return ["", "Derived quantities:"] + [f"  {name} = {getattr(expression, 'unfolded', expression)}"  # shared: its definition
                                          for name, expression in scenario.derived.items()]


def describe_references(scenario) -> list[str]:
    """``negotiation show``'s "References:" block: each key of ``references`` and each ``[@Key]`` cited in the
    description or a parameter's source, once, with its entry of the bundled bibliography (models/references.bib);
    a reference that is not a key of it (a user's own file may cite in free text) is printed as written."""
    sources = " ".join(p.source or "" for p in scenario.parameters) if scenario.parameters.parameters else ""
    keys = dict.fromkeys([*scenario.references, *cited_keys(f"{scenario.description} {sources}")])
    if not keys:
        return []
    entries = bibliography()
    return ["", "References:"] + [f"  [@{key}] {format_entry(entries[key])}" if key in entries else f"  {key}"
                                  for key in keys]


def describe_footer(scenario) -> list[str]:
    """The last lines of ``negotiation show``: assumptions, references, file."""
    lines = []
    if scenario.assumptions:
        lines += ["", "Assumptions:"]
        for assumption in scenario.assumptions:
            note = f": {assumption.description}" if assumption.description else ""
            lines.append(f"  {assumption.text}{note}")
    lines += describe_references(scenario)
    if scenario.source:
        lines += ["", f"File: {scenario.source}"]
    return lines


def describe_model(scenario, values, label: str, lines_of, heading: str | None = None) -> list[str]:
    """``negotiation show``'s block of the model: ``heading:`` (default ``label``) and its lines, then (with
    parameters) the same at ``values`` (``label at a = 1, b = 2:``); ``lines_of(model)`` gives a model's lines."""
    lines = ["", f"{heading or label}:"] + ["  " + line for line in lines_of(scenario.game)]
    if scenario.parameters.parameters:
        numeric = scenario.game_at(values)
        shown = ", ".join(f"{k} = {format_number(v)}" for k, v in numeric.values.items())
        lines += ["", f"{label} at {shown}:"] + ["  " + line for line in lines_of(numeric)]
    return lines


@dataclass(frozen=True, eq=False)
class Scenario:
    """A parametric model loaded from a scenario file (or wrapping a plain game).

    Use :meth:`game_at` for the numeric game at given parameter values
    (defaults for the others); ``negotiation.solve(scenario)`` solves it at
    its defaults.
    """

    id: str
    title: str
    kind: str
    game: Game
    parameters: ParameterSpace = field(default_factory=ParameterSpace)
    description: str = ""
    assumptions: tuple = ()
    references: tuple = ()
    derived: Mapping = field(default_factory=dict)
    cooperate: str | None = None
    source: Path | None = None
    priors: Mapping = field(default_factory=dict)
    options: tuple = ()
    #: The file's ``[[claims]]`` (:class:`~negotiation.scenario.claims.Claim`): its headline conclusions.
    claims: tuple = ()
    _analyses: dict = field(default_factory=dict, repr=False, compare=False)

    #: Errors of the model type that become one-line :class:`ScenarioError`s naming the file.
    model_errors = (GameError,)
    #: Whether the model is rebuilt from the resolved values even when it has no symbols
    #: (continuous games evaluate their payoff functions at the point).
    substitute_always = False

    def _where(self) -> str:
        return str(self.source) if self.source else self.id

    def resolve(self, values: Mapping | None = None) -> dict:
        """``values`` completed with the defaults and checked against the ranges and the assumptions.

        This is the one place where a scenario's parameter values are checked: :meth:`solve`,
        ``ng.solve(scenario, values=…)`` and ``negotiation solve --set`` all come through it.
        """
        return resolve_values(self.parameters, self.assumptions, values, where=self._where())

    def model_at_resolved(self, resolved: Mapping):
        """The model at values already checked by :meth:`resolve` (numeric where the model was symbolic)."""
        if not self.substitute_always and not self.game.is_symbolic:
            if isinstance(self.game, Game):  # a numeric strategic game still records the point
                return Game(self.game.players, self.game.strategies, self.game.payoffs,
                            title=self.game.title, parameters=self.game.parameters, values=resolved)
            return self.game
        try:
            return self.game.substitute(resolved)
        except self.model_errors as error:
            raise self.error(error) from None

    def game_at(self, values: Mapping | None = None):
        """The numeric model at ``values`` (others at their defaults); checks ranges and assumptions."""
        return self.model_at_resolved(self.resolve(values))

    def solve(self, values: Mapping | None = None, method: str = "auto", **options):
        """Equilibria (or the analysis) at ``values``: ``ng.solve(self, method=method, values=values)``."""
        return solve(self, method=method, values=values, **options)

    def derive(self, values: Mapping | None = None, **options):
        """Where each equilibrium holds, with ``values`` fixed first: ``ng.derive(self, values)``."""
        return derive(self, values, **options)

    def derive_options(self) -> dict:
        """What the scenario adds to the derivation of its model (the cooperative strategy of a 2×2 game)."""
        return {"cooperate": self.cooperate} if self.cooperate else {}

    def error(self, error) -> ScenarioError:
        """``error`` (of the model type) as a one-line :class:`ScenarioError` naming the scenario's file."""
        message = str(error)
        where = self._where()
        return ScenarioError(message if message.startswith(where) else f"{where}: {message}")

    def annotate(self, result, resolved: Mapping):
        """What the scenario adds to the model's result: the classic-game label of a symmetric 2×2 game
        with a declared cooperative strategy, and the analyses of its options (``[repetition]``,
        ``[inspection]``)."""
        classification = None
        if self.cooperate and isinstance(getattr(result, "game", None), Game):
            classification = classify_symmetric_2x2(result.game, self.cooperate)
        if classification is not None:
            result = replace(result, details={**result.details, "classification": str(classification)})
        analyses = self.analyses(resolved)
        if analyses:  # the result types of strategic-form games carry an ``analyses`` field
            result = replace(result, analyses={**result.analyses, **analyses})
        return result

    def analyses(self, values: Mapping | None = None) -> dict:
        """Results of the scenario's options (``[inspection]``, ``[repetition]``) at ``values``, by name."""
        if not self.options:
            return {}
        resolved = self.resolve(values)
        key = tuple(sorted(resolved.items()))
        if key not in self._analyses:  # the loader checks the defaults once; solve at the defaults reuses it
            if len(self._analyses) >= 64:
                self._analyses.clear()
            self._analyses[key] = {option.name: option.analyse(resolved) for option in self.options}
        return self._analyses[key]

    def describe(self, values: Mapping | None = None) -> str:
        """What ``negotiation show`` prints: parameters with sources, the payoffs (also at ``values``),
        assumptions, references."""
        lines = describe_header(self)
        lines += ["", f"Kind: {self.kind}; players: {', '.join(self.game.players)}"]
        lines += describe_parameters(self.parameters)
        lines += describe_derived(self)
        lines += describe_model(self, values, "Payoffs", lambda game: aligned_lines(game.payoff_table()),
                                heading="Payoffs (row player's payoff first)")
        lines += describe_footer(self)
        return "\n".join(lines)

    def __repr__(self) -> str:
        form = getattr(self, "form", None)
        return f"{type(self).__name__}({self.id!r}, {self.kind}{'/' + form if form else ''}, " \
               f"parameters={list(self.parameters.names)})"


@solve.register(Scenario, methods=lambda scenario: solve.methods(scenario.game)[1:], check=False)
def solve_scenario(scenario, method: str = "auto", values=None, **options):
    """The scenario's model solved at ``values``, resolved once (ranges, assumptions), then annotated."""
    if method not in solve.methods(scenario.game):
        raise ScenarioError(solve.refusal(scenario.game, method, where=scenario._where()))
    resolved = scenario.resolve(values)
    model = scenario.model_at_resolved(resolved)
    try:
        result = solve(model, method=method, **options)
    except scenario.model_errors as error:
        raise scenario.error(error) from None
    return scenario.annotate(result, resolved)


@derive.register(Scenario, methods=lambda scenario: derive.methods(scenario.game)[1:], check=False)
def derive_scenario(scenario, values=None, *, method: str = "auto", **options):
    """The derivation of the scenario's model under its assumptions, with ``values`` fixed first."""
    if method not in derive.methods(scenario.game):
        raise ScenarioError(derive.refusal(scenario.game, method, where=scenario._where()))
    try:
        return derive(scenario.game, values, method=method, assumptions=scenario.assumptions, name=scenario._where(),
                      title=scenario.title, **{**scenario.derive_options(), **options})
    except scenario.model_errors as error:
        raise scenario.error(error) from None
