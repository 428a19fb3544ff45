"""Where each pure Bayesian Nash equilibrium of a parameterised Bayesian game holds: :func:`bayesian_conditions`.

``ng.derive`` on a :class:`~negotiation.models.bayesian.BayesianGame` (or its scenario, which adds its
assumptions, its file and its title) comes here. Mixed Bayesian equilibria are not derived
symbolically: ``ng.solve`` finds them at parameter values.
"""

from __future__ import annotations

import itertools
import math
from typing import Mapping

import numpy as np
import sympy

from negotiation.models.bayesian import BayesianError, BayesianGame, pure_plans
from negotiation.results.bayesian import BayesianConditions, ConditionalBayesianEquilibrium
from negotiation.symbolic.conditions import Condition, fix_parameters, tidy
from negotiation.symbolic.front_door import derive
from negotiation.symbolic.regions import find_thresholds
from negotiation.symbolic.simplify import bounded_derivation

__all__ = ["bayesian_conditions"]


@derive.register(BayesianGame)
@bounded_derivation
def bayesian_conditions(game: BayesianGame, values: Mapping | None = None, *, method: str = "auto",
                        assumptions: tuple = (), name: str | None = None, title: str | None = None,
                        max_profiles: int = 20_000, budget: float = 3.0) -> BayesianConditions:
    """Every pure Bayesian Nash equilibrium of a parameterised game, with the region where it holds.

    Parameters
    ----------
    game : BayesianGame
        A (symbolic) Bayesian game; ``ng.derive(scenario)`` passes a scenario's game with its
        assumptions, file name and title.
    values : mapping, optional
        Parameters to fix first; the conditions are then in the others.
    method : str
        ``"auto"`` (the only derivation).
    assumptions : tuple
        Conditions on the parameters (objects with ``text`` and a sympy ``condition``) under
        which the regions are simplified.
    name : str, optional
        What error messages name (a scenario's file; default: the title).
    title : str, optional
        The title of the result (default: the game's).
    max_profiles : int
        Largest number of pure type-contingent profiles examined.
    budget : float
        Seconds of optional ``sympy.simplify`` (the conditions are correct without it).

    Returns
    -------
    BayesianConditions

    Notes
    -----
    A pure profile ``s`` is a BNE iff for every player ``i``, type ``k`` and action ``b``:
    ``sum over t with t_i = k of prior(t) * (u_i(t, s(t)) - u_i(t, b, s_-i(t_-i))) >= 0`` —
    the interim condition multiplied by the type's prior probability, so that it is a
    polynomial in the parameters and a type of probability zero is unconstrained (the
    ex-ante definition). A comparison whose terms (a prior weight times a payoff difference)
    are each provably non-negative under the ranges and assumptions is dropped; one whose
    weights are provably non-negative and payoff differences provably negative becomes
    "the type has probability zero" (a dominated action); the rest are simplified soundly by
    :class:`negotiation.symbolic.conditions.Context`.

    Examples
    --------
    Kydd's trust game with one-sided uncertainty: the cooperative BNE holds iff
    ``pi >= (P - S)/((R - T) + (P - S))``.

    >>> from fractions import Fraction
    >>> from negotiation import Parameter, ParameterSpace
    >>> space = ParameterSpace((Parameter("pi", Fraction(3, 4), 0, 1), Parameter("R", 4), Parameter("T", 3),
    ...                         Parameter("P", 2), Parameter("S", 0), Parameter("T_u", 5)))
    >>> pi, R, T, P, S, T_u = space.symbols.values()
    >>> trusting = {("C", "C"): (R, R), ("C", "D"): (S, T), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    >>> greedy = {("C", "C"): (R, R), ("C", "D"): (S, T_u), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    >>> game = BayesianGame.from_tables({"Russia": ["Trustworthy", "Greedy"]},
    ...     {"NATO": ["C", "D"], "Russia": ["C", "D"]}, {"Russia": {"Trustworthy": pi, "Greedy": 1 - pi}},
    ...     lambda t, a: (trusting if t["Russia"] == "Trustworthy" else greedy)[a["NATO"], a["Russia"]],
    ...     parameters=space)
    >>> conditions = bayesian_conditions(game, {"R": 4, "T": 3, "P": 2, "S": 0, "T_u": 5})
    >>> [(e.label, str(e.condition)) for e in conditions.interior]
    [('NATO: C; Russia: Trustworthy: C, Greedy: D', '3*pi >= 2'), ('NATO: D; Russia: Trustworthy: D, Greedy: D', 'always (under the parameter ranges and assumptions)')]
    """
    if not isinstance(game, BayesianGame):
        raise BayesianError(f"bayesian_conditions needs a BayesianGame, got {type(game).__name__}")
    title = game.title if title is None else title
    name = name or title or "Bayesian game"
    setup = fix_parameters(game.parameters, tuple(assumptions), values, name=name, error=BayesianError,
                           budget=budget)
    context, sym = setup.context, setup.sym
    type_profiles = itertools.product(*(range(k) for k in game.type_shape))
    prior = {t: p for t in type_profiles if (p := sym(game.prior[t])) != 0}
    payoff = np.empty(game.payoffs.shape, dtype=object)
    for position, entry in np.ndenumerate(game.payoffs):
        payoff[position] = sym(entry)
    plans = [pure_plans(game, i) for i in range(game.n_players)]
    count = math.prod(len(p) for p in plans)
    if count > max_profiles:
        raise BayesianError(f"{name}: {count:,} pure profiles exceed max_profiles={max_profiles:,}; "
                            "fix some parameters or raise max_profiles")
    equilibria = []
    for profile in itertools.product(*plans):
        conjunction = context.conjunction(_comparisons(game, profile, prior, payoff, context))
        if conjunction is None:
            continue
        condition = context.condition([conjunction])
        if condition.never:
            continue
        interior = Condition(tuple(c for c in condition.alternatives if not any(a.relation == "==" for a in c)))
        equilibria.append(_conditional_equilibrium(game, profile, prior, payoff, context, condition, interior))
    named = {f"BNE {k + 1} ({e.label})": e.interior for k, e in enumerate(equilibria) if not e.boundary_only}
    thresholds = find_thresholds(named, context, setup.free,
                                 {k: v for k, v in setup.reference.items() if k not in setup.fixed})
    notes = ["mixed Bayesian equilibria are not derived symbolically; solve at parameter values for them"]
    if not equilibria:
        notes.append("no pure profile is a Bayesian equilibrium anywhere in the parameter box")
    return BayesianConditions(title=title, players=game.players, types=game.types, actions=game.actions,
                              free=setup.free, values=setup.fixed, assumptions=tuple(setup.assumption_texts),
                              equilibria=tuple(equilibria), thresholds=thresholds, notes=tuple(notes))


def _comparisons(game: BayesianGame, profile: tuple, prior: dict, payoff, context) -> list:
    """The ``(expression, relation)`` pairs under which no type of any player gains by switching its action
    in the pure ``profile`` (prior-weighted interim comparisons; those provably true left out)."""

    def proved(expression, signs) -> bool:
        """Whether the sign of ``expression`` is provably in ``signs`` over the box and assumptions."""
        key, admitted = context._normalise(expression, frozenset(signs))
        if key is None:
            return bool(admitted)
        return context.possible_signs(key) <= admitted

    n = game.n_players
    comparisons = []
    for i in range(n):
        for k in range(len(game.types[i])):
            own = profile[i][k]
            terms_of = {b: [] for b in range(len(game.actions[i])) if b != own}
            for t, p in prior.items():
                if t[i] != k:
                    continue
                actions = tuple(profile[j][t[j]] for j in range(n))
                value = payoff[t + actions + (i,)]
                for b in terms_of:
                    deviation = actions[:i] + (b,) + actions[i + 1:]
                    terms_of[b].append((p, sympy.expand(value - payoff[t + deviation + (i,)])))
            for b, terms in terms_of.items():
                if all(proved(p, (0, 1)) for p, _ in terms):
                    if all(proved(d, (0, 1)) for _, d in terms):
                        continue  # every term provably >= 0: the comparison always holds
                    if all(proved(d, (-1,)) for _, d in terms):
                        # every term <= 0 with a negative payoff difference: the sum is >= 0 only where
                        # every weight vanishes, i.e. where this type has probability zero
                        comparisons.append((sympy.expand(sum(p for p, _ in terms)), "=="))
                        continue
                comparisons.append((sympy.expand(sum(p * d for p, d in terms)), ">="))
    return comparisons


def _conditional_equilibrium(game: BayesianGame, profile: tuple, prior: dict, payoff, context, condition,
                             interior) -> ConditionalBayesianEquilibrium:
    """The pure ``profile`` as labels, with its ex-ante and interim payoffs and its region."""
    n = game.n_players
    plan = {game.players[i]: {game.types[i][k]: game.actions[i][profile[i][k]] for k in range(len(game.types[i]))}
            for i in range(n)}
    ex_ante, interim = {}, {}
    for i in range(n):
        per_type = [sympy.Integer(0)] * len(game.types[i])
        marginals = [sympy.Integer(0)] * len(game.types[i])
        for t, p in prior.items():
            actions = tuple(profile[j][t[j]] for j in range(n))
            per_type[t[i]] += p * payoff[t + actions + (i,)]
            marginals[t[i]] += p
        marginals = [sympy.expand(m) for m in marginals]
        ex_ante[game.players[i]] = tidy(sympy.expand(sum(per_type)), context.reference)
        interim[game.players[i]] = {
            game.types[i][k]: (None if marginals[k] == 0 else tidy(per_type[k] / marginals[k], context.reference))
            for k in range(len(game.types[i]))}
    return ConditionalBayesianEquilibrium(plan, ex_ante, interim, condition, interior)
