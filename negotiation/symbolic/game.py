"""Symbolic analysis of strategic-form games: :class:`Derivation`, the result of ``derive(game)``."""


from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy

from negotiation.core.errors import NegotiationError
from negotiation.core.parameters import ParameterSpace
from negotiation.models.game import Game
from negotiation.symbolic.conditions import _to_sympy_number, Context, mixed_solutions, pure_conditions, tidy
from negotiation.symbolic.front_door import derive
from negotiation.symbolic.regions import (boundary_labels, classic_payoffs, classification_regions,
    find_thresholds)
from negotiation.symbolic.render import (derivation_dict, derivation_latex, derivation_markdown,
    derivation_text)

__all__ = ["Derivation", "derive_game"]


@dataclass(frozen=True, eq=False)
class Derivation:
    """The symbolic equilibrium conditions of a parameterised game (result of :func:`derive`).

    Attributes
    ----------
    title : str
    players : tuple of str
    strategies : dict
        Player label -> tuple of strategy labels.
    parameters : ParameterSpace
        The free parameters (those not fixed by ``values``), with ranges and defaults.
    values : dict
        Parameters fixed before deriving (name -> number).
    assumptions : tuple of str
        The scenario's assumptions that still constrain the free parameters.
    pure : tuple of PureCondition
        One per pure profile: labelled profile, payoffs, condition.
    mixed : tuple of MixedSolution
        One per pair of equal-size supports (two-player games): probabilities, payoffs, condition.
    classification : dict
        Class name -> Condition, for symmetric 2×2 games with a cooperative strategy; else empty.
    classic_payoffs : dict or None
        ``{"R": …, "S": …, "T": …, "P": …}`` when ``classification`` is given.
    cooperate : str or None
        The cooperative strategy used for the classification.
    thresholds : tuple of Threshold
    notes : tuple of str
        What was not derived, and why.
    """

    title: str
    players: tuple
    strategies: dict
    parameters: object
    values: dict
    assumptions: tuple
    pure: tuple
    mixed: tuple
    classification: dict = field(default_factory=dict)
    classic_payoffs: dict | None = None
    cooperate: str | None = None
    thresholds: tuple = ()
    notes: tuple = ()

    def classify(self, values: Mapping) -> str | None:
        """The class whose region contains ``values`` (``None`` without a classification)."""
        for name, region in self.classification.items():
            if region.holds(values):
                return name
        return None

    def equilibria_at(self, values: Mapping) -> list:
        """The equilibria the derivation predicts at ``values``: ``{player: {strategy: probability}}`` each."""
        out = []
        for pure in self.pure:
            if pure.condition.holds(values):
                out.append({p: {s: (1 if s == pure.profile[p] else 0) for s in labels}
                            for p, labels in self.strategies.items()})
        for mixed in self.mixed:
            if mixed.condition.holds(values):
                out.append(mixed.profile_at(values))
        return out

    def on_boundary(self, values: Mapping) -> bool:
        """Whether ``values`` lies on the border of some derived region (an equality holds)."""
        regions = [p.condition for p in self.pure] + [m.condition for m in self.mixed]
        regions += list(self.classification.values())
        return any(region.on_boundary(values) for region in regions)

    def to_dict(self) -> dict:
        """JSON-ready dict (schema ``negotiation.derivation/1``); expressions as strings."""
        return derivation_dict(self)

    def to_text(self) -> str:
        return derivation_text(self)

    def to_latex(self) -> str:
        return derivation_latex(self)

    def __str__(self) -> str:
        return self.to_text()

    def to_markdown(self) -> str:
        return derivation_markdown(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


@derive.register(Game)
def derive_game(game, values: Mapping | None = None, *, method: str = "auto", assumptions=(), name: str | None = None,
                title: str | None = None, cooperate: str | None = None, thresholds_for=None,
                budget: float = 3.0) -> Derivation:
    """Derive the equilibrium conditions of a parameterised strategic game.

    Parameters
    ----------
    game : Game
        A symbolic game; its declared parameter ranges are used. ``derive(scenario)`` passes the
        scenario's ``assumptions``, its file as ``name``, its ``title`` and its cooperative strategy.
    values : mapping, optional
        Parameters to fix first (name -> number, e.g. ``{"omega": "1/2"}``); the derivation
        is then in the others. Checked against the ranges and assumptions.
    method : str
        ``"auto"`` (there is one method).
    assumptions : tuple of Assumption
        Conditions on the parameters the regions are simplified under.
    name, title : str, optional
        What errors name (the scenario file) and the title of the derivation.
    cooperate : str, optional
        Cooperative strategy for the classification of a symmetric 2×2 game (a scenario
        declares its own).
    thresholds_for : iterable of str, optional
        Report thresholds for these parameters only (default: all free parameters).
    budget : float
        Seconds allowed for optional ``sympy.simplify`` calls (the result is correct without them).

    Returns
    -------
    Derivation

    Raises
    ------
    ValueError
        Unknown parameter, value outside its range, an assumption that fails at ``values``,
        or a model that is not a strategic game.

    Examples
    --------
    >>> import sympy
    >>> from negotiation import Game, Parameter, ParameterSpace
    >>> from negotiation.symbolic import derive
    >>> space = ParameterSpace((Parameter("c", 2, 0, 10),))
    >>> c = space.symbols["c"]
    >>> game = Game.from_arrays([[3, 0], [c, 1]], [[3, c], [0, 1]], parameters=space,
    ...                         strategies=(("Restrain", "Deploy"),) * 2)
    >>> derivation = derive(game, cooperate="Restrain")
    >>> str(derivation.classification["Stag Hunt"])
    'c < 3'
    >>> mixed = derivation.mixed[0]
    >>> mixed.probabilities["Player 1"]["Restrain"], str(mixed.condition)
    (1/(4 - c), 'c < 3')
    """
    space = game.parameters
    title = title if title is not None else game.title
    name = name or title or "game"

    # fixed parameters
    fixed = {}
    for key, value in dict(values or {}).items():
        if key not in space.names:
            raise NegotiationError(f"{name}: unknown parameter {key!r} (declared: {', '.join(space.names) or 'none'})")
        fixed[key] = space[key].check(value, where=f"{name}: parameter {key}")
    symbols = space.symbols
    replacement = {symbols[k]: _to_sympy_number(v) for k, v in fixed.items()}
    free = ParameterSpace(tuple(p for p in space if p.name not in fixed))

    conditions = []
    assumption_texts = []
    for assumption in assumptions:
        condition = assumption.condition.xreplace(replacement) if replacement else assumption.condition
        text = getattr(assumption, "text", str(condition))
        if condition in (sympy.false, False):
            shown = ", ".join(f"{k}={v}" for k, v in fixed.items())
            raise NegotiationError(f"{name}: assumption '{text}' does not hold at {shown}")
        if condition in (sympy.true, True):
            continue
        conditions.append(condition)
        assumption_texts.append(text)

    payoffs = game.payoffs
    if replacement and game.is_symbolic:
        substituted = np.empty(payoffs.shape, dtype=object)
        for position, entry in np.ndenumerate(payoffs):
            substituted[position] = entry.xreplace(replacement)
        payoffs = substituted
    if any(isinstance(e, sympy.Basic) and e.free_symbols for e in payoffs.flat):
        game = Game(game.players, game.strategies, payoffs, title=game.title, parameters=free)
    elif replacement:
        game = Game(game.players, game.strategies, payoffs, title=game.title)

    free_symbols = [symbols[p.name] for p in free]
    bounds = {symbols[p.name]: (p.low, p.high) for p in free}
    reference = {**{p.name: p.default for p in free if p.default is not None}, **fixed}
    context = Context(free_symbols, bounds, conditions, reference, budget=budget)

    notes = []
    pure = pure_conditions(game, context)
    mixed = mixed_solutions(game, context, notes)
    if game.n_players > 2:
        notes.append("mixed equilibria are derived for two-player games only; "
                     "pure-profile conditions are given for every profile")
    classic = classic_payoffs(game, cooperate)
    classification = classification_regions(classic, context) if classic else {}

    named = {}
    for name_, region in classification.items():
        named[f"classification: {name_}"] = region
    for entry in pure:
        named[f"pure {entry.label}"] = entry.condition
    for entry in mixed:
        named[f"mixed ({entry.label})"] = entry.condition
    if thresholds_for is not None:
        unknown = [p for p in thresholds_for if p not in space.names]
        if unknown:
            raise NegotiationError(f"{name}: unknown parameter {unknown[0]!r} (declared: {', '.join(space.names)})")
    thresholds = find_thresholds(named, context, free, {k: v for k, v in reference.items() if k not in fixed},
                                 boundary_labels(classic, context), thresholds_for)
    return Derivation(
        title=title, players=game.players,
        strategies={p: tuple(s) for p, s in zip(game.players, game.strategies)},
        parameters=free, values=fixed, assumptions=tuple(assumption_texts),
        pure=pure, mixed=mixed, classification=classification,
        classic_payoffs=({k: _tidy_payoff(v, context) for k, v in classic.items()} if classic else None),
        cooperate=cooperate if classic else None, thresholds=thresholds, notes=tuple(notes),
    )


def _tidy_payoff(value, context):
    return tidy(value, context.reference)
