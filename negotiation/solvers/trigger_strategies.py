"""Trigger strategies in a repeated stage game: the critical discount factors of grim trigger and tit-for-tat.

* Grim trigger (Friedman 1971): play the target profile until someone deviates,
  then play a stage-game Nash equilibrium forever. Player ``i`` (target payoff
  ``v_i``, best one-shot deviation ``d_i``, punishment payoff ``p_i``) does not
  deviate iff ``v_i/(1-δ) >= d_i + δ p_i/(1-δ)``, i.e. ``δ >= (d_i - v_i)/(d_i - p_i)``.
* Tit-for-tat (Axelrod 1984): collectively stable in the symmetric 2×2 game with
  cooperative payoff ``R``, temptation ``T``, punishment ``P`` and sucker's payoff
  ``S`` iff ``w >= max{(T-R)/(T-P), (T-R)/(R-S)}``.

Both work on exact, float and symbolic stage games: orderings of payoffs are decided exactly, by
sympy, or at a sample point of the parameters (:func:`compare`). The helpers below (profiles by
label, pure Nash equilibria by exact comparison, the discount factor's range) serve the folk
theorem and finite repetition too (:mod:`negotiation.solvers.folk_theorem`,
:mod:`negotiation.solvers.finite_repetition`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from negotiation.core.numeric import coerce_number, format_number, is_sympy
from negotiation.results.repeated import RepeatedGameError, number_text

__all__ = ["grim_trigger_threshold", "tit_for_tat_threshold"]


# ---------------------------------------------------------------------- comparisons
def compare(a, b, at) -> bool:
    """``a > b`` decided exactly, or for symbolic values by sympy, else at the sample point ``at``."""
    difference = a - b
    if not is_sympy(difference):
        return difference > 0
    import sympy  # symbolic payoffs: sympy is loaded already

    if at:  # the ordering at the sample point is the one the result is valid for; cheap to decide
        value = difference.xreplace(at)
        if value.is_number:
            return bool(value > 0)
    difference = sympy.simplify(difference)
    decided = (difference > 0)
    if decided in (sympy.true, sympy.false):
        return bool(decided)
    if at:
        value = difference.subs(at)
        if value.is_number:
            return bool(value > 0)
    raise RepeatedGameError(
        f"cannot decide whether {difference} > 0; pass parameter values `at=` (or declare defaults) "
        "for the ordering of payoffs"
    )


def sample_point(game, at) -> dict:
    """The point (sympy symbol -> number) at which orderings of a symbolic game's payoffs are decided."""
    if not game.is_symbolic:
        return {}
    point = dict(game.parameters.defaults)
    if at:
        point.update({str(k): v for k, v in at.items()})
    symbols = game.symbols
    return {symbols[k]: _sympy_number(v, k) for k, v in point.items() if k in symbols}


def _sympy_number(value, name):
    import sympy  # symbolic games only

    if is_sympy(value):
        return value
    try:
        number = coerce_number(value, where=f"parameter {name}")
    except ValueError as error:
        raise RepeatedGameError(str(error)) from None
    if isinstance(number, Fraction):
        return sympy.Rational(number.numerator, number.denominator)
    return sympy.Float(number)


def simplify(value):
    """``sympy.simplify`` for symbolic values; numbers unchanged."""
    if is_sympy(value):
        import sympy  # symbolic values only

        return sympy.simplify(value)
    return value


def require_numeric(game, what: str) -> None:
    if game.is_symbolic:
        raise RepeatedGameError(f"{what}: substitute parameter values first (game.substitute(...))")


def check_discount(discount, *, finite: bool, where: str = "discount"):
    """``None`` or an exact/float discount factor: in [0, 1) for infinite play, (0, 1] for finite play."""
    if discount is None:
        return None
    try:
        value = coerce_number(discount, where=where)
    except ValueError as error:
        raise RepeatedGameError(str(error)) from None
    if finite and not 0 < value <= 1:
        raise RepeatedGameError(f"{where}: expected a discount factor in (0, 1], got {format_number(value)}")
    if not finite and not 0 <= value < 1:
        raise RepeatedGameError(
            f"{where}: expected a discount factor in [0, 1) for infinite repetition, got {format_number(value)}")
    return value


# ---------------------------------------------------------------------- profiles
def profile_position(game, profile) -> tuple:
    """Strategy indices of a profile given by labels (or indices), one per player."""
    if isinstance(profile, str):
        profile = (profile,)
    profile = tuple(profile)
    if len(profile) != game.n_players:
        raise RepeatedGameError(f"a profile names one strategy for each of {game.n_players} players, "
                                f"got {profile}")
    return tuple(s if isinstance(s, int) and not isinstance(s, bool) else game.strategy_index(p, s)
                 for p, s in enumerate(profile))


def labels_of(game, position) -> tuple:
    """Strategy labels of a profile given by indices."""
    return tuple(game.strategies[i][k] for i, k in enumerate(position))


def best_deviation(game, position, i, at):
    """Player ``i``'s best payoff against the others' part of ``position`` (its own strategy included)."""
    u = game.payoff_array(i)
    best = u[position]
    for k in range(game.shape[i]):
        other = position[:i] + (k,) + position[i + 1:]
        if compare(u[other], best, at):
            best = u[other]
    return best


def pure_nash_positions(game, at) -> list:
    """Pure Nash equilibria (strategy indices) by exact (or symbolic, see :func:`compare`) comparison."""
    return [position for position in np.ndindex(*game.shape)
            if all(not compare(best_deviation(game, position, i, at), game.payoffs[position][i], at)
                   for i in range(game.n_players))]


# ---------------------------------------------------------------------- grim trigger
def grim_trigger_threshold(game, target, punishment=None, *, at=None):
    """Critical discount factor for grim trigger to sustain a pure profile forever.

    Parameters
    ----------
    game : Game
        Exact, float or symbolic stage game.
    target : sequence of str
        The profile to sustain (one strategy label per player).
    punishment : sequence of str, optional
        A pure Nash equilibrium of the stage game played forever after a
        deviation. Default: for each deviator, the pure Nash equilibrium worst for
        that deviator.
    at : mapping, optional
        Parameter values used only to decide orderings of symbolic payoffs that
        sympy cannot decide (defaults: the parameters' declared defaults).

    Returns
    -------
    Fraction, float or sympy expression
        ``δ* = max_i (d_i - v_i)/(d_i - p_i)`` over players with a profitable
        deviation (``d_i > v_i``); ``0`` if no player has one.

    Raises
    ------
    RepeatedGameError
        If the stage game has no pure Nash equilibrium, ``punishment`` is not one,
        or a deviator's punishment payoff is not below its target payoff.

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("Cooperate", "Defect"), ("Cooperate", "Defect")))
    >>> ng.grim_trigger_threshold(pd, ("Cooperate", "Cooperate"))
    Fraction(1, 2)
    """
    point = sample_point(game, at)
    position = profile_position(game, target)
    if punishment is not None:
        punish = profile_position(game, punishment)
        if punish not in pure_nash_positions(game, point):
            raise RepeatedGameError(
                f"punishment {tuple(punishment)} is not a pure Nash equilibrium of the stage game")
        candidates = [punish]
    else:
        candidates = pure_nash_positions(game, point)
        if not candidates:
            raise RepeatedGameError(
                "the stage game has no pure Nash equilibrium to punish with; pass `punishment`")
    return grim_threshold(game, position, candidates, point)


def grim_threshold(game, position, candidates, point):
    """``max_i (d_i − v_i)/(d_i − p_i)`` over the players with a profitable deviation from ``position``,
    each punished with the equilibrium of ``candidates`` worst for it."""
    thresholds = []
    for i, player in enumerate(game.players):
        v = game.payoffs[position][i]
        d = best_deviation(game, position, i, point)
        if not compare(d, v, point):
            continue
        p = game.payoffs[candidates[0]][i]
        for other in candidates[1:]:
            if compare(p, game.payoffs[other][i], point):
                p = game.payoffs[other][i]
        if not compare(v, p, point):
            raise RepeatedGameError(
                f"{player}'s punishment payoff {number_text(p)} is not below its target payoff "
                f"{number_text(v)}: grim trigger cannot deter its deviation"
            )
        thresholds.append(simplify((d - v) / (d - p)))
    if not thresholds:
        if game.is_exact:
            return Fraction(0)
        return 0.0 if game.arithmetic == "float" else simplify(0 * game.payoffs.flat[0])
    best = thresholds[0]
    for t in thresholds[1:]:
        if compare(t, best, point):
            best = t
    return best


def grim_with_nash_reversion(game, position, equilibria):
    """Grim-trigger threshold of a pure profile of a numeric game with Nash reversion: ``(threshold, "")``
    or ``(None, why not)``."""
    if not equilibria:
        return None, "the stage game has no pure Nash equilibrium to revert to"
    try:
        return grim_threshold(game, position, equilibria, {}), ""
    except RepeatedGameError as error:
        return None, str(error)


# ---------------------------------------------------------------------- tit-for-tat
def tit_for_tat_threshold(game, cooperate=None, *, at=None):
    """Axelrod's critical continuation probability for tit-for-tat in a symmetric 2×2 game.

    ``w* = max{(T-R)/(T-P), (T-R)/(R-S)}`` with ``R`` = payoff of mutual
    cooperation, ``T`` = temptation, ``P`` = mutual defection, ``S`` = sucker's payoff.

    Parameters
    ----------
    game : Game
        Symmetric two-player game with two strategies each.
    cooperate : str, optional
        The cooperative strategy (default: the first).
    at : mapping, optional
        Values to decide orderings of symbolic payoffs (as in :func:`grim_trigger_threshold`).

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> ng.tit_for_tat_threshold(pd)
    Fraction(2, 3)
    """
    if game.n_players != 2 or game.shape != (2, 2):
        raise RepeatedGameError("tit_for_tat_threshold needs a two-player game with two strategies each")
    if game.strategies[0] != game.strategies[1]:
        raise RepeatedGameError("tit_for_tat_threshold needs both players to have the same strategy labels")
    A, B = game.payoff_array(0), game.payoff_array(1)
    for a in range(2):
        for b in range(2):
            if A[a, b] != B[b, a] and simplify(A[a, b] - B[b, a]) != 0:
                raise RepeatedGameError("tit_for_tat_threshold needs a symmetric game (B = A transposed)")
    c = 0 if cooperate is None else game.strategy_index(0, cooperate)
    d = 1 - c
    R, S, T, P = A[c, c], A[c, d], A[d, c], A[d, d]
    point = sample_point(game, at)
    if not (compare(T, R, point) and compare(R, P, point) and compare(R, S, point)):
        raise RepeatedGameError("tit_for_tat_threshold needs T > R > P and R > S (a cooperation dilemma)")
    first = simplify((T - R) / (T - P))
    second = simplify((T - R) / (R - S))
    return first if not compare(second, first, point) else second
