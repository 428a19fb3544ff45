"""Symbolic equilibrium analysis: where, in parameter space, each equilibrium holds.

:func:`derive` takes a parameterised strategic game (a scenario or a symbolic
:class:`~negotiation.models.game.Game`) and returns a :class:`Derivation`:

* ``pure`` — for each pure profile, the conjunction of inequalities in the parameters under
  which it is a Nash equilibrium (any number of players);
* ``mixed`` — for each pair of equal-size supports of a two-player game, the mixed
  equilibrium in closed form (probabilities and payoffs as sympy expressions) with the
  region where it is valid;
* ``classification`` — for a symmetric 2×2 game with a declared cooperative strategy, the
  regions where it is Harmony, a Prisoner's Dilemma, a Stag Hunt, Chicken or Deadlock;
* ``thresholds`` — the parameter values where a derived comparison turns, solved for each
  parameter and evaluated at the defaults of the others.

Every region is simplified soundly under the parameter ranges and the scenario's
assumptions (see :mod:`negotiation.symbolic.conditions`) and can be evaluated at a point
(``condition.holds(values)``), which is how the tests check them against the numeric solver.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.symbolic import derive
>>> derivation = derive(ng.load("security_dilemma"))
>>> str(derivation.classification["Stag Hunt"])
'G*omega + v < k and omega*(L*(1 - phi) - W) > k - v'
>>> [(t.parameter, str(t.expression), str(t.value)) for t in derivation.thresholds if t.parameter == "omega"]
[('omega', '(k - v)/G', '1/4'), ('omega', '(k - v)/(L*(1 - phi) - W)', '2/11'), ('omega', '(-k + v)/W', '-1/2')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from negotiation.core.errors import NegotiationError

__all__ = ["Derivation", "derive", "Condition", "Inequality", "PureCondition", "MixedSolution", "Threshold"]

_LAZY = {"Condition": "conditions", "Inequality": "conditions", "PureCondition": "conditions",
         "MixedSolution": "conditions", "Threshold": "regions"}


def __getattr__(name):
    # sympy is imported on first use, so that wiring `derive` into the CLI costs nothing at start-up
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        from negotiation.symbolic.render import derivation_dict

        return derivation_dict(self)

    def to_text(self) -> str:
        from negotiation.symbolic.render import derivation_text

        return derivation_text(self)

    def to_latex(self) -> str:
        from negotiation.symbolic.render import derivation_latex

        return derivation_latex(self)

    def __str__(self) -> str:
        return self.to_text()

    def to_markdown(self) -> str:
        from negotiation.symbolic.render import derivation_markdown

        return derivation_markdown(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def derive(scenario_or_game, values: Mapping | None = None, *, cooperate: str | None = None,
           thresholds_for=None, budget: float = 3.0) -> Derivation:
    """Derive the equilibrium conditions of a parameterised strategic game.

    Parameters
    ----------
    scenario_or_game : Scenario, Game, str or Path
        A scenario (or its file or bundled name), or a symbolic game. A game's declared
        parameter ranges are used; a scenario adds its assumptions and cooperative strategy.
    values : mapping, optional
        Parameters to fix first (name -> number, e.g. ``{"omega": "1/2"}``); the derivation
        is then in the others. Checked against the ranges and assumptions.
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
    import sympy

    from negotiation.models.game import Game
    from negotiation.core.parameters import ParameterSpace
    from negotiation.symbolic.conditions import Context, _to_sympy_number, mixed_solutions, pure_conditions
    from negotiation.symbolic.regions import boundary_labels, classic_payoffs, classification_regions, find_thresholds

    if isinstance(scenario_or_game, (str, Path)):
        from negotiation.scenario import load

        scenario_or_game = load(scenario_or_game)
    if isinstance(scenario_or_game, Game):
        game, space, assumptions, title = scenario_or_game, scenario_or_game.parameters, (), scenario_or_game.title
        name = title or "game"
    else:
        scenario = scenario_or_game
        if getattr(scenario, "kind", "normal-form") != "normal-form" or not isinstance(getattr(scenario, "game", None), Game):
            raise NegotiationError(f"{getattr(scenario, 'id', scenario)}: derive needs a strategic (normal-form) game")
        game, space = scenario.game, scenario.parameters
        assumptions = tuple(scenario.assumptions)
        title = scenario.title
        cooperate = cooperate or scenario.cooperate
        name = str(scenario.source) if scenario.source else scenario.id

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
        import numpy as np

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
    from negotiation.symbolic.conditions import tidy

    return tidy(value, context.reference)
