"""The :class:`Scenario` type: a parametric model with its documentation.

A scenario is what a file in ``models/`` describes: a parametric game, its
parameters (defaults, ranges, units, sources), the assumptions under which
the model is meant to be used, and references.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from negotiation.models.game import Game, GameError
from negotiation.core.numeric import format_number
from negotiation.core.parameters import ParameterSpace
from negotiation.core.errors import NegotiationError

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
    from negotiation.core.parameters import CONFIDENCE_TAGS

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
    return ["", "Derived quantities:"] + [f"  {name} = {expression}" for name, expression in scenario.derived.items()]


def describe_footer(scenario) -> list[str]:
    """The last lines of ``negotiation show``: assumptions, references, file."""
    lines = []
    if scenario.assumptions:
        lines += ["", "Assumptions:"]
        for assumption in scenario.assumptions:
            note = f": {assumption.description}" if assumption.description else ""
            lines.append(f"  {assumption.text}{note}")
    if scenario.references:
        lines += ["", "References: " + "; ".join(scenario.references)]
    if scenario.source:
        lines += ["", f"File: {scenario.source}"]
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
    _analyses: dict = field(default_factory=dict, repr=False, compare=False)

    def game_at(self, values: Mapping | None = None) -> Game:
        """The numeric game at ``values`` (others at their defaults); checks ranges and assumptions."""
        where = str(self.source) if self.source else self.id
        resolved = resolve_values(self.parameters, self.assumptions, values, where=where)
        if not self.game.is_symbolic:
            return Game(self.game.players, self.game.strategies, self.game.payoffs,
                        title=self.game.title, parameters=self.game.parameters, values=resolved)
        try:
            return self.game.substitute(resolved)
        except GameError as error:
            raise ScenarioError(f"{where}: {error}") from None

    def solve(self, values: Mapping | None = None, method: str = "auto", **options):
        """Equilibria at ``values``; adds the classic-game label for symmetric 2×2 games."""
        from dataclasses import replace

        from negotiation.solvers.classification import classify_symmetric_2x2
        from negotiation.solvers import solve

        game = self.game_at(values)
        result = solve(game, method=method, **options)
        classification = classify_symmetric_2x2(game, self.cooperate) if self.cooperate else None
        if classification is not None:
            result = replace(result, details={**result.details, "classification": str(classification)})
        return result

    def _where(self) -> str:
        return str(self.source) if self.source else self.id

    def _model_at(self, values: Mapping | None, errors, *, always: bool = False):
        """``self.game`` at ``values`` (checked against ranges and assumptions); ``errors`` of the model
        type become one-line :class:`ScenarioError` naming the file."""
        resolved = resolve_values(self.parameters, self.assumptions, values, where=self._where())
        if not always and not self.game.is_symbolic:
            return self.game
        try:
            return self.game.substitute(resolved)
        except errors as error:
            raise ScenarioError(f"{self._where()}: {error}") from None

    def analyses(self, values: Mapping | None = None) -> dict:
        """Results of the scenario's options (``[inspection]``, ``[repetition]``) at ``values``, by name."""
        if not self.options:
            return {}
        where = str(self.source) if self.source else self.id
        resolved = resolve_values(self.parameters, self.assumptions, values, where=where)
        key = tuple(sorted(resolved.items()))
        if key not in self._analyses:  # the loader checks the defaults once; solve at the defaults reuses it
            if len(self._analyses) >= 64:
                self._analyses.clear()
            self._analyses[key] = {option.name: option.analyse(resolved) for option in self.options}
        return self._analyses[key]

    def __repr__(self) -> str:
        return f"Scenario({self.id!r}, {self.kind}, parameters={list(self.parameters.names)})"
