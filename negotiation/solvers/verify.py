"""The check every profile passes before a solver returns it, and the payoff scale tolerances are relative to.

Exact profiles must have exactly zero regret and probabilities that are
non-negative and sum to one. Float profiles must meet the same conditions
within :data:`FLOAT_TOLERANCE` times the game's *payoff scale* (probabilities:
within ``FLOAT_TOLERANCE``). A failure is a bug in a solver, never a user
error, and raises :class:`VerificationError` rather than returning a wrong
answer; a regret that is not a finite number raises :class:`NumericalError`.

The payoff scale (:func:`payoff_scale`) is the larger of the payoff range and
the largest absolute payoff: it is multiplied by ``c`` when every payoff is,
for any ``c > 0``, so every float tolerance of the solvers scales with the
payoffs (there is no absolute floor). It is computed on the payoffs divided by
their *payoff unit* ``2**e`` (:func:`payoff_exponent`: the largest ``|payoff|``
divided by it lies in ``[0.5, 1)``), so that no difference overflows even for
payoffs near the float maximum.
"""

from __future__ import annotations

import math
from fractions import Fraction
from math import lcm

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.models.profile import MixedProfile, expected_payoffs, regrets
from negotiation.results.game import Equilibrium

__all__ = ["FLOAT_TOLERANCE", "VerificationError", "NumericalError", "verified_equilibrium", "verified_equilibria",
           "payoff_exponent",
           "scaled_floats", "payoff_scale", "regret_tolerance"]

#: Relative tolerance for float results (times the payoff scale for regrets and ties).
FLOAT_TOLERANCE = 1e-9


class VerificationError(RuntimeError):
    """A solver produced a profile that is not an equilibrium (a bug: please report it)."""


class NumericalError(NegotiationError):
    """Floating-point arithmetic failed: a value that is not finite (inf, nan), or an impossible result."""


def payoff_exponent(values) -> int:
    """The exponent ``e`` of the payoff unit ``2**e``: the largest ``|value|`` divided by it lies in ``[0.5, 1)``.

    ``0`` when every value is zero (or there is none). Values may be floats, integers or
    Fractions (of any size: nothing is converted to float before the division). A value
    that is not finite raises :class:`NumericalError`.

    Examples
    --------
    >>> payoff_exponent([3.0, -1.0]), payoff_exponent([1e-300]), payoff_exponent([Fraction(10) ** 400])
    (2, -996, 1329)
    """
    array = np.asarray(values, dtype=object).ravel()
    if array.size == 0:
        return 0
    if all(isinstance(v, (float, np.floating)) for v in array):
        floats = np.asarray(array, dtype=float)
        if not np.all(np.isfinite(floats)):
            raise NumericalError(f"payoff {floats[~np.isfinite(floats)][0]} is not a finite number")
        top = float(np.max(np.abs(floats)))
        return math.frexp(top)[1] if top > 0 else 0
    top = max(abs(Fraction(v) if not isinstance(v, (float, np.floating)) else _finite_fraction(v)) for v in array)
    if top == 0:
        return 0
    exponent = top.numerator.bit_length() - top.denominator.bit_length()
    while top >= _power(exponent):  # at most two corrections: the bit lengths bound top within a factor 4
        exponent += 1
    while top < _power(exponent - 1):
        exponent -= 1
    return exponent


def scaled_floats(values, exponent: int | None = None) -> tuple[np.ndarray, int]:
    """``(values / 2**exponent as a float array, exponent)``, the exponent by default :func:`payoff_exponent`.

    Exact values are divided before they are rounded, so integers or Fractions far beyond the
    float range convert without overflow; float values are divided exactly (``ldexp``), apart
    from values over ``2**1021`` times smaller than the largest, which lose bits or become zero
    (far below any tolerance). The shape of ``values`` is kept.

    Examples
    --------
    >>> scaled_floats([[Fraction(10) ** 400, 1]])[0].tolist()
    [[0.8533668389533203, 0.0]]
    >>> scaled_floats(np.array([1.5e308, -1.5e308]))[0].tolist()
    [0.8344026969402005, -0.8344026969402005]
    """
    array = np.asarray(values, dtype=object)
    if exponent is None:
        exponent = payoff_exponent(array)
    if array.size and all(isinstance(v, (float, np.floating)) for v in array.flat):
        return np.ldexp(np.asarray(array, dtype=float), -exponent), exponent
    unit = _power(exponent)
    out = np.empty(array.shape, dtype=float)
    for position, value in np.ndenumerate(array):
        out[position] = float(Fraction(value) / unit) if not isinstance(value, (float, np.floating)) else \
            math.ldexp(float(value), -exponent)
    return out, exponent


def payoff_scale(values) -> float:
    """The payoff scale of ``values`` (a game's payoffs, or an array): the larger of their range and the largest
    absolute value; 1.0 when all are zero. Computed on the payoffs divided by their unit, so it never overflows
    an intermediate; the result itself is at most twice the largest ``|value|`` (``inf`` only beyond the float
    range: use :func:`regret_tolerance` for a tolerance).

    Examples
    --------
    >>> payoff_scale([[1.0, -1.0]]), payoff_scale([1e-10, 3e-10]), payoff_scale([0.0])
    (2.0, 3e-10, 1.0)
    """
    mantissa, exponent = _scale_parts(values)
    with np.errstate(over="ignore"):
        return float(np.ldexp(mantissa, exponent))


def regret_tolerance(game_or_values) -> float:
    """:data:`FLOAT_TOLERANCE` times the payoff scale of a game (or of an array of payoffs): the largest regret
    (and the largest payoff gap counted as a tie) a float result may have. Finite for any finite payoffs.

    Examples
    --------
    >>> regret_tolerance([1.0, -1.0]), regret_tolerance([1e-10, -1e-10]), regret_tolerance([1.7e308, -1.7e308])
    (2e-09, 2.0000000000000002e-19, 3.4e+299)
    """
    values = getattr(game_or_values, "payoffs", game_or_values)
    mantissa, exponent = _scale_parts(values)
    return math.ldexp(FLOAT_TOLERANCE * mantissa, exponent)


def _scale_parts(values) -> tuple[float, int]:
    """``(max(range, largest |value|) / 2**e, e)`` with ``e`` the payoff exponent; ``(1.0, 0)`` for all zeros."""
    floats, exponent = scaled_floats(values)
    if floats.size == 0 or not floats.any():
        return 1.0, 0
    span = float(floats.max() - floats.min())  # at most 2: no overflow
    return max(span, float(np.max(np.abs(floats)))), exponent


def _power(exponent: int) -> Fraction:
    return Fraction(2) ** exponent


def _finite_fraction(value) -> Fraction:
    if not math.isfinite(value):
        raise NumericalError(f"payoff {value} is not a finite number")
    return Fraction(float(value))


def verified_equilibrium(game, profile: MixedProfile, *, method: str) -> Equilibrium:
    """Check ``profile`` and return it as an :class:`Equilibrium`, or raise."""
    exact = game.is_exact and profile.is_exact
    for player, probs in zip(game.players, profile.probabilities):
        total = sum(probs)
        if exact:
            if any(p < 0 for p in probs) or total != 1:
                raise VerificationError(f"{method}: {player}'s probabilities {probs} are not a distribution")
            continue
        if not all(math.isfinite(p) for p in probs):
            raise NumericalError(f"{method}: {player}'s probabilities {probs} are not finite numbers "
                                 "(floating-point failure)")
        if any(p < -FLOAT_TOLERANCE for p in probs) or abs(total - 1) > FLOAT_TOLERANCE * len(probs):
            raise VerificationError(f"{method}: {player}'s probabilities {probs} are not a distribution")
    regret = max(regrets(game, profile))
    if exact:
        if regret != 0:
            raise VerificationError(f"{method}: profile {profile.describe()} has regret {regret}")
        regret = Fraction(0)
    else:
        regret = float(regret)
        if not math.isfinite(regret):
            raise NumericalError(f"{method}: the regret of {profile.describe()} is {regret}, not a finite number "
                                 "(payoff differences overflow the float range)")
        if regret > regret_tolerance(game):
            raise VerificationError(f"{method}: profile {profile.describe()} has regret {regret:.3g}")
    return Equilibrium(profile, expected_payoffs(game, profile), regret)


def verified_equilibria(game, profiles, *, method: str) -> list[Equilibrium]:
    """:func:`verified_equilibrium` for many profiles of one game.

    For an exact two-player game with exact profiles the check is done in integers: the payoffs over
    their common denominator ``D`` (computed once), each strategy over its own common denominator. Player
    1's regret is zero iff ``max_i (A y)_i · d_x == Σ_i x_i (A y)_i`` with ``x = p / d_x`` (and likewise
    for player 2): the same test as the rational one, without a Fraction per product.

    Examples
    --------
    >>> from negotiation import Game
    >>> stag_hunt = Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]])
    >>> half = (Fraction(2, 3), Fraction(1, 3))
    >>> [e.payoffs for e in verified_equilibria(stag_hunt, [MixedProfile.from_vectors(stag_hunt, (half, half))],
    ...                                          method="example")]
    [(Fraction(8, 3), Fraction(8, 3))]
    """
    profiles = list(profiles)
    if game.n_players != 2 or not game.is_exact or not all(p.is_exact for p in profiles):
        return [verified_equilibrium(game, profile, method=method) for profile in profiles]
    denominator = lcm(*(v.denominator for v in game.payoffs.flat))
    A = [[v.numerator * (denominator // v.denominator) for v in row] for row in game.payoffs[..., 0].tolist()]
    B_columns = [[v.numerator * (denominator // v.denominator) for v in column]
                 for column in game.payoffs[..., 1].T.tolist()]
    out = []
    for profile in profiles:
        (x_numerators, x_denominator), (y_numerators, y_denominator) = (
            _over_common_denominator(profile.probabilities[0], game.players[0], method),
            _over_common_denominator(profile.probabilities[1], game.players[1], method))
        first = _integer_payoff(A, x_numerators, y_numerators, x_denominator)
        second = _integer_payoff(B_columns, y_numerators, x_numerators, y_denominator)
        if first is None or second is None:
            raise VerificationError(f"{method}: profile {profile.describe()} has regret "
                                    f"{max(regrets(game, profile))}")
        scale = denominator * x_denominator * y_denominator
        out.append(Equilibrium(profile, (Fraction(first, scale), Fraction(second, scale)), Fraction(0)))
    return out


def _over_common_denominator(probabilities, player, method) -> tuple[list[int], int]:
    """``(numerators, d)`` with ``probabilities = numerators / d``; raises unless they are a distribution."""
    common = lcm(*(p.denominator for p in probabilities))
    numerators = [p.numerator * (common // p.denominator) for p in probabilities]
    if any(v < 0 for v in numerators) or sum(numerators) != common:
        raise VerificationError(f"{method}: {player}'s probabilities {probabilities} are not a distribution")
    return numerators, common


def _integer_payoff(rows, own, other, own_denominator) -> int | None:
    """The numerator of a player's expected payoff, or ``None`` if some pure strategy does better.

    ``rows[i]`` are the player's integer payoffs of its strategy ``i`` against the other's strategies;
    ``own`` and ``other`` are numerators of the mixed strategies, ``own_denominator`` is the player's."""
    support = [(j, q) for j, q in enumerate(other) if q]
    against = [sum(row[j] * q for j, q in support) for row in rows]
    expected = sum(p * value for p, value in zip(own, against) if p)
    return expected if max(against) * own_denominator == expected else None
