"""Repeated games: the family's algorithms in one place, and the answer to a ``[repetition]`` section.

* :func:`grim_trigger_threshold`, :func:`tit_for_tat_threshold` — critical discount factors of
  trigger strategies (:mod:`negotiation.solvers.trigger_strategies`);
* :func:`minmax_values`, :func:`feasible_individually_rational_set`, :func:`folk_theorem` — the folk
  theorem (:mod:`negotiation.solvers.folk_theorem`);
* :func:`finitely_repeated` — finite repetition (:mod:`negotiation.solvers.finite_repetition`);
* :func:`analyse_repetition` — all of them for the target profile of a scenario's ``[repetition]``
  section (:mod:`negotiation.scenario.repeated`), at one parameter point.
"""

from __future__ import annotations

from fractions import Fraction

from negotiation.core.numeric import coerce_number, is_sympy
from negotiation.results.repeated import (FOLK_VERDICTS, STRATEGY_TITLES, RepeatedAnalysis, RepeatedGameError,
                                          StrategyThreshold, number_text)
from negotiation.solvers.finite_repetition import finitely_repeated
from negotiation.solvers.folk_theorem import feasible_individually_rational_set, folk_theorem, minmax_values
from negotiation.solvers.trigger_strategies import check_discount, grim_trigger_threshold, tit_for_tat_threshold

__all__ = ["grim_trigger_threshold", "tit_for_tat_threshold", "minmax_values", "feasible_individually_rational_set",
           "folk_theorem", "finitely_repeated", "analyse_repetition", "RepeatedGameError", "FOLK_VERDICTS"]


def _evaluate(expression, values, where):
    """A number from a discount given as a number or a sympy expression in the parameters."""
    if expression is None:
        return None
    if is_sympy(expression) and expression.free_symbols:
        import sympy  # the discount is a formula: sympy is loaded already

        names = {s.name: s for s in expression.free_symbols}
        missing = sorted(set(names) - set(values))
        if missing:
            raise RepeatedGameError(f"{where}: no value for parameter {missing[0]!r}")
        replacement = {names[k]: (sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction)
                                  else sympy.Float(v)) for k, v in values.items() if k in names}
        expression = expression.xreplace(replacement)
    try:
        return coerce_number(expression, where=where)
    except ValueError as error:
        raise RepeatedGameError(str(error)) from None


def _numeric_stage(game, values, source):
    """The stage game at ``values`` and the parameter values it was built with."""
    numeric = game
    if game.is_symbolic:
        try:
            numeric = game.substitute(values or {})
        except ValueError as error:
            raise RepeatedGameError(f"{source}: {error}") from None
    parameters = dict(numeric.values) if numeric.values else {
        k: coerce_number(v, where=f"parameter {k}") for k, v in (values or {}).items()}
    return numeric, parameters


def _tit_for_tat_refusal(numeric, target, punishment) -> tuple[str | None, str]:
    """``(why tit-for-tat does not apply or None, note)`` for the section's target and punishment."""
    if numeric.n_players != 2 or target[0] != target[1]:
        return ("tit-for-tat sustains mutual cooperation: the target must be the same strategy for both players "
                "of a symmetric 2×2 game"), ""
    if punishment is not None:
        return None, "tit-for-tat punishes by copying the deviation; the section's punishment is not used. "
    return None, ""


def _strategy_threshold(strategy, game, numeric, repetition, parameters, discount) -> StrategyThreshold:
    """One listed strategy's critical discount factor: at the point, as a formula, and at the section's δ."""
    target = tuple(repetition.target)
    punishment = None if repetition.punishment == "nash" else tuple(repetition.punishment)
    note = ""
    if strategy == "tit_for_tat":
        refusal, note = _tit_for_tat_refusal(numeric, target, punishment)
        if refusal:
            return StrategyThreshold(strategy, None, None, None, "", refusal)

        def compute(g, at=None):
            return tit_for_tat_threshold(g, target[0], at=at)
    else:
        def compute(g, at=None):
            return grim_trigger_threshold(g, target, punishment, at=at)
    try:
        threshold = compute(numeric)
    except (RepeatedGameError, ValueError) as error:
        return StrategyThreshold(strategy, None, None, None, "", note + str(error))
    formula = None
    if game.is_symbolic:
        try:
            formula = compute(game, at=parameters)
        except (RepeatedGameError, ValueError) as error:
            note += f"no closed form: {error}. "
    condition = f"δ ≥ {number_text(threshold)}"
    if formula is not None and is_sympy(formula) and formula.free_symbols:
        symbolic_discount = is_sympy(repetition.discount) and bool(repetition.discount.free_symbols)
        condition += (f"; in the parameters: {repetition.discount_text} ≥ {formula}" if symbolic_discount
                      else f"; δ* = {formula} in the parameters")
    sustained = bool(discount >= threshold) if discount is not None and repetition.rounds is None else None
    if strategy == "tit_for_tat":
        note += ("Axelrod's condition for tit-for-tat to be collectively stable (δ read as the "
                 "probability of another round)")
    return StrategyThreshold(strategy, threshold, formula, sustained, condition, note.strip())


def analyse_repetition(game, repetition, values=None) -> RepeatedAnalysis:
    """Answer a scenario's ``[repetition]`` section at one parameter point.

    For the target profile: each listed strategy's critical discount factor at
    the values and, for a parametric game, as a formula in the parameters;
    whether the section's discount factor sustains the target; the folk-theorem
    summary (:func:`folk_theorem`); and, when ``rounds`` is a number, the
    finite-horizon result (:func:`finitely_repeated`).

    Parameters
    ----------
    game : Game
        The scenario's (symbolic or numeric) stage game.
    repetition : Repetition
        The terms of the repetition (:class:`negotiation.models.repeated.Repetition`; a scenario's
        ``[repetition]`` section parses into one): ``target``, ``rounds``, ``discount`` (a number or a
        formula in the parameters), ``punishment``, ``strategies`` and ``source`` (the file, for messages).
    values : mapping, optional
        Parameter values (others at their defaults).

    Returns
    -------
    RepeatedAnalysis

    Examples
    --------
    >>> import negotiation as ng
    >>> from fractions import Fraction
    >>> from negotiation.models.repeated import Repetition
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> repetition = Repetition(target=("C", "C"), discount=Fraction(3, 5), discount_text="0.6",
    ...                         strategies=("grim_trigger", "tit_for_tat"), source="pd.toml")
    >>> analysis = analyse_repetition(pd, repetition)
    >>> [(t.strategy, t.condition, t.sustained) for t in analysis.thresholds]
    [('grim_trigger', 'δ ≥ 1/2', True), ('tit_for_tat', 'δ ≥ 2/3', False)]
    """
    source = getattr(repetition, "source", "") or "repetition"
    numeric, parameters = _numeric_stage(game, values, source)
    rounds = repetition.rounds
    discount = _evaluate(repetition.discount, parameters, f"{source}: repetition.discount")
    discount = check_discount(discount, finite=rounds is not None, where=f"{source}: repetition.discount")
    unknown = [s for s in repetition.strategies if s not in STRATEGY_TITLES]
    if unknown:
        raise RepeatedGameError(f"{source}: repetition.strategies: unknown strategy {unknown[0]!r} "
                                f"(expected: {', '.join(STRATEGY_TITLES)})")
    thresholds = tuple(_strategy_threshold(strategy, game, numeric, repetition, parameters, discount)
                       for strategy in repetition.strategies)
    messages = []
    if game.is_symbolic and any(t.formula is not None for t in thresholds):
        messages.append("formulas hold where the stage payoffs are ordered as at these parameter values")
    if rounds is not None:
        messages.append(f"critical discount factors are for the infinitely repeated game; with {rounds} rounds "
                        "the finite-horizon result applies")
    folk = folk_theorem(numeric, discount=discount if rounds is None else None)
    finite = None
    if rounds is not None:
        finite = finitely_repeated(numeric, rounds, 1 if discount is None else discount,
                                   target=tuple(repetition.target))
    return RepeatedAnalysis(game=numeric, repetition=repetition, parameters=parameters, discount=discount,
                            thresholds=thresholds, folk=folk, finite=finite, messages=tuple(messages))
