"""Bayesian Nash equilibria through the Harsanyi transformation: :func:`solve_bayesian`.

The Harsanyi form of a :class:`~negotiation.models.bayesian.BayesianGame` (type-contingent plans,
ex-ante payoffs) is solved by a strategic-form method (:func:`negotiation.solvers.methods.solve_game`);
each of its equilibria becomes a behaviour profile (per player and type, the marginal of the mixed
plan at that type), which is checked again on the Bayesian game itself. ``ng.solve`` on a Bayesian
game (or its scenario) comes here.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Mapping

import numpy as np

from negotiation.core.errors import SolverLimitError
from negotiation.models.bayesian import BayesianError, BayesianGame, harsanyi, pure_plans
from negotiation.results.bayesian import BayesianEquilibrium, BayesianProfile, BayesianSolveResult
from negotiation.solvers.front_door import solve
from negotiation.solvers.methods import METHODS, solve_game
from negotiation.solvers.verify import NumericalError, VerificationError, regret_tolerance

__all__ = ["solve_bayesian", "MAX_HARSANYI_WORK"]

#: Work budget of the Harsanyi transformation: plan profiles times type profiles (each plan profile's ex-ante
#: payoff sums over the type profiles), about 5 µs each. 50 000 keeps it near a quarter of a second: ten types of
#: two actions against one type (1024 × 2 plans, 20 480) pass, six types against six (64 × 64 plans, 147 456;
#: 0.7 s) are refused. ``max_harsanyi_work=`` raises it.
MAX_HARSANYI_WORK = 50_000


# ---------------------------------------------------------------------- solving
@solve.register(BayesianGame, methods=lambda game: tuple(METHODS))
def solve_bayesian(game: BayesianGame, method: str = "auto", values: Mapping | None = None,
                   **options) -> BayesianSolveResult:
    """Bayesian Nash equilibria through the Harsanyi transformation.

    Parameters
    ----------
    game : BayesianGame
        A numeric game; a symbolic game is solved at its defaults (or at ``values``).
    method : str
        ``"auto"`` (``vertex_enumeration`` for two players: every extreme equilibrium,
        exact; ``enumerate_pure`` for more: every pure equilibrium) or any method of
        :data:`negotiation.solvers.METHODS` except ``correlated``, run on
        :func:`~negotiation.models.bayesian.harsanyi` of the game.
    values : mapping, optional
        Parameter values to set first (the others take their defaults).
    **options
        Passed to the algorithm.

    Returns
    -------
    BayesianSolveResult
        Per player and type the mixed action (the marginal of the equilibrium's mixed plan
        at that type), the interim payoff of each type and the ex-ante payoffs. Types of
        prior probability zero are removed before solving and reported as undetermined
        (any action is consistent with equilibrium; their interim payoffs are undefined).
        Each equilibrium is checked independently of the solver: no type of positive
        probability can gain by deviating (exactly zero regret for exact games).

    Examples
    --------
    Osborne (2004) §9.1: player 1 does not know whether player 2 wants to meet her or
    to avoid her (probability 1/2 each):

    >>> BOS = {("B", "B"): (2, 1), ("B", "S"): (0, 0), ("S", "B"): (0, 0), ("S", "S"): (1, 2)}
    >>> AVOID = {("B", "B"): (2, 0), ("B", "S"): (0, 2), ("S", "B"): (0, 1), ("S", "S"): (1, 0)}
    >>> game = BayesianGame.from_tables({"2": ["meet", "avoid"]}, {"1": ["B", "S"], "2": ["B", "S"]},
    ...     {"2": {"meet": "1/2", "avoid": "1/2"}},
    ...     lambda t, a: (BOS if t["2"] == "meet" else AVOID)[a["1"], a["2"]])
    >>> result = solve_bayesian(game)
    >>> [e.profile.describe() for e in result]
    ['1: B; 2: meet: B, avoid: S', '1: 2/3 B + 1/3 S; 2: meet: 2/3 B + 1/3 S, avoid: S', '1: 1/3 B + 2/3 S; 2: meet: S, avoid: 2/3 B + 1/3 S']
    >>> result.exact, result.complete, result[0].interim[1], result[0].payoffs
    (True, True, (Fraction(1, 1), Fraction(2, 1)), (Fraction(1, 1), Fraction(3, 2)))
    """
    if not isinstance(game, BayesianGame):
        raise BayesianError(f"solve_bayesian needs a BayesianGame, got {type(game).__name__}")
    if game.is_symbolic or values:
        game = game.substitute(values or {})
    if method == "correlated":
        raise BayesianError(f"method {method!r} does not give Nash equilibria; Bayesian games are solved with "
                            "auto, vertex_enumeration, enumerate_pure, lemke_howson, lemke_howson_enumeration, "
                            "iterated_elimination, linear_program or logit_qre")
    zero = _zero_probability_types(game)
    messages = []
    reduced = game
    if zero:
        reduced = game.restrict_types({p: [t for t in game.types[game.players.index(p)] if t not in zero[p]]
                                       for p in zero})
        listed = "; ".join(f"{p}: {', '.join(ts)}" for p, ts in zero.items())
        messages.append(f"types of prior probability 0 ({listed}) are unconstrained: any action is consistent "
                        "with equilibrium there, and their interim payoffs are undefined")
    form = _harsanyi_form(reduced, options.pop("max_harsanyi_work", MAX_HARSANYI_WORK))
    try:
        inner = solve_game(form, method=method, **options)
    except SolverLimitError as error:  # the limit is of the Harsanyi form, not of a game the user wrote
        shape = "×".join(map(str, form.shape))
        raise SolverLimitError(f"the Harsanyi form ({shape} type-contingent plans) of the Bayesian game: "
                               f"{error}") from None
    equilibria, image = _behaviour_equilibria(game, reduced, inner)
    if len(inner.equilibria) > len(equilibria):
        messages.append(f"the Harsanyi form has {len(inner.equilibria)} extreme equilibria in mixed plans; "
                        f"they induce {len(equilibria)} distinct behaviour profiles")
    if inner.degenerate:
        messages.append("the Harsanyi form is degenerate, as is common for Bayesian games (a mixed plan can make "
                        "several types indifferent at once); the method still lists every extreme equilibrium"
                        if inner.complete else "the Harsanyi form is degenerate")
    messages.extend(inner.messages)
    details = {"harsanyi_equilibria": len(inner.equilibria)}
    if zero:
        details["zero_probability_types"] = {p: list(ts) for p, ts in zero.items()}
    return BayesianSolveResult(
        game=game, equilibria=equilibria, method=inner.method, exact=inner.exact, complete=inner.complete,
        degenerate=inner.degenerate, components=_component_images(inner.components, image),
        parameters=dict(game.values), messages=tuple(messages), details=details, harsanyi=inner,
    )


def _harsanyi_form(game: BayesianGame, max_work: int):
    """:func:`harsanyi` of ``game``, refused before it is built when its work exceeds ``max_work``."""
    plans = [len(game.actions[i]) ** len(game.types[i]) for i in range(game.n_players)]
    work = math.prod(plans) * math.prod(len(types) for types in game.types)
    if work > max_work:
        profiles = math.prod(len(types) for types in game.types)
        raise SolverLimitError(
            f"the Bayesian game's Harsanyi form ({'×'.join(_size(p) for p in plans)} type-contingent plans, summed "
            f"over {_size(profiles)} type profiles: {_size(work)} steps) is over the limit of {max_work:,}; use "
            "fewer types or actions, or max_harsanyi_work= to raise the limit")
    return harsanyi(game)


def _size(number: int) -> str:
    """``12,345``, or ``about 10^40`` for a number too long to read."""
    return f"{number:,}" if number < 10 ** 15 else f"about 10^{len(str(number)) - 1}"


def _zero_probability_types(game: BayesianGame) -> dict:
    """``{player: [types of prior probability zero]}`` (players without such types left out)."""
    zero = {}
    for i, player in enumerate(game.players):
        for t, p in game.marginal(i).items():
            if p == 0:
                zero.setdefault(player, []).append(t)
    return zero


def _behaviour_equilibria(game: BayesianGame, reduced: BayesianGame, inner) -> tuple:
    """The distinct behaviour profiles the Harsanyi form's equilibria induce, each verified on ``game``, and
    the index of the image of each of ``inner``'s equilibria."""
    keep_index = [[game.types[i].index(t) for t in reduced.types[i]] for i in range(game.n_players)]
    plans = [pure_plans(reduced, i) for i in range(game.n_players)]
    index_of, equilibria, image = {}, [], []
    exactly = inner.exact and game.is_exact
    # float checks: 10 times the regret tolerance of the payoff scale (relative: no floor, no overflow)
    tolerance = 0 if exactly else 10 * regret_tolerance(game)
    for equilibrium in inner.equilibria:
        probabilities = []
        for i in range(game.n_players):
            vector = equilibrium.profile.probabilities[i]
            per_type = [None] * len(game.types[i])  # types of probability zero stay None
            for k_reduced, k in enumerate(keep_index[i]):
                marginal = [0] * len(game.actions[i])
                for plan, x in zip(plans[i], vector):
                    if x:
                        marginal[plan[k_reduced]] = marginal[plan[k_reduced]] + x
                per_type[k] = tuple(Fraction(v) if inner.exact else float(v) for v in marginal)
            probabilities.append(tuple(per_type))
        probabilities = tuple(probabilities)
        key = probabilities if inner.exact else tuple(
            tuple(None if x is None else tuple(round(v, 9) for v in x) for x in player) for player in probabilities)
        if key not in index_of:
            interim, ex_ante, regret = _evaluate(game, probabilities)
            if exactly:
                if regret != 0:
                    raise VerificationError(f"solve_bayesian: profile {probabilities} has regret {regret}")
                regret = Fraction(0)
            else:
                regret = float(regret)
                if not math.isfinite(regret) or not all(math.isfinite(float(v)) for v in ex_ante):
                    raise NumericalError(f"solve_bayesian: a payoff or regret of {probabilities} is not a finite "
                                         "number (payoff differences overflow the float range)")
                if regret > tolerance:
                    raise VerificationError(f"solve_bayesian: profile {probabilities} has regret {regret:.3g}")
            profile = BayesianProfile(game.players, game.types, game.actions, probabilities)
            index_of[key] = len(equilibria)
            equilibria.append(BayesianEquilibrium(profile, interim, ex_ante, regret))
        image.append(index_of[key])
    return tuple(equilibria), image


def _component_images(components, image) -> tuple:
    """The Harsanyi form's components carried to the behaviour profiles (maximal ones only)."""
    images = []
    for component in components:
        mapped = tuple(sorted({image[k] for k in component}))
        if mapped not in images:
            images.append(mapped)
    return tuple(c for c in images if not any(set(c) < set(other) for other in images))


# ---------------------------------------------------------------------- expected payoffs of a behaviour profile
def _weighted_action_values(game: BayesianGame, probabilities) -> list:
    """``W[i][k][a]``: prior-weighted interim payoff of action ``a`` for player ``i``'s type ``k``.

    ``W[i][k][a] = sum over t with t_i = k of prior(t) * E[u_i(t, a, σ_-i(t_-i))]``; dividing
    by the type's prior probability gives the interim payoff.
    """
    n = game.n_players
    zero = 0.0 if game.arithmetic == "float" else Fraction(0)
    values = [[[zero] * len(game.actions[i]) for _ in game.types[i]] for i in range(n)]
    for t in itertools.product(*(range(k) for k in game.type_shape)):
        probability = game.prior[t]
        if probability == 0:
            continue
        block = game.payoffs[t]
        for i in range(n):
            array = block[..., i]
            for j in reversed(range(n)):
                if j == i:
                    continue
                vector = np.asarray(probabilities[j][t[j]], dtype=object)
                array = np.tensordot(array, vector, axes=([j], [0]))
            row = values[i][t[i]]
            for a, value in enumerate(array):
                row[a] = row[a] + probability * value
    return values


def _evaluate(game: BayesianGame, probabilities):
    """(interim payoffs, ex-ante payoffs, regret) of a behaviour profile."""
    weighted = _weighted_action_values(game, probabilities)
    marginals = [list(game.marginal(i).values()) for i in range(game.n_players)]
    interim, ex_ante, regret = [], [], 0
    for i in range(game.n_players):
        own, total, player_regret = [], 0, 0
        for k in range(len(game.types[i])):
            probs = probabilities[i][k]
            if probs is None or marginals[i][k] == 0:
                own.append(None)
                continue
            value = sum(p * w for p, w in zip(probs, weighted[i][k]))
            own.append(value / marginals[i][k])
            total = total + value
            player_regret = player_regret + (max(weighted[i][k]) - value)
        interim.append(tuple(own))
        ex_ante.append(total if game.arithmetic != "float" else float(total))
        regret = max(regret, player_regret)
    return tuple(interim), tuple(ex_ante), regret
