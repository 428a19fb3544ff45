"""Support profiles of an n-player game that cannot hold an equilibrium, all decided at once.

Conditional dominance (Porter, Nudelman & Shoham, "Simple search methods for finding a Nash
equilibrium", Games and Economic Behavior 63, 2008): a strategy ``s`` of player ``i`` earns strictly
less than some ``s'`` against every pure profile of the others' supports; then it earns less against
every mix of them, cannot be a best response, and no support profile with ``s`` in ``S_i`` (and
those supports for the others) holds an equilibrium. :func:`conditionally_dominated` decides this
for every support profile of a game with a few array operations (a product of 0/1 matrices counts,
for each pair ``(s, s')`` and each support combination of the others, the pure profiles where ``s'``
does not beat ``s``), in exact integer comparisons.

:func:`segment_is_empty` decides exactly (Fourier–Motzkin elimination over the rationals) whether a
support profile on which a single player mixes, with a continuum of solutions of the indifference
equations (the player is indifferent at the others' pure profile), contains any equilibrium.

References
----------
Porter, R., Nudelman, E., & Shoham, Y. (2008). Simple search methods for finding a Nash equilibrium.
*Games and Economic Behavior*, 63(2), 642–662.
Schrijver, A. (1986). *Theory of Linear and Integer Programming*, §12.2 (Fourier–Motzkin elimination).
"""

from __future__ import annotations

import functools
import itertools
from fractions import Fraction

import numpy as np

__all__ = ["conditionally_dominated", "profile_table", "segment_is_empty"]


@functools.lru_cache(maxsize=64)
def _supports(n: int) -> tuple[tuple[int, ...], ...]:
    return tuple(c for size in range(1, n + 1) for c in itertools.combinations(range(n), size))


@functools.lru_cache(maxsize=32)
def profile_table(shape: tuple[int, ...], profiles: tuple) -> tuple[np.ndarray, ...]:
    """For each player, each profile's support index (into ``_supports(n)``), as arrays (cached per shape)."""
    lookup = [{support: k for k, support in enumerate(_supports(n))} for n in shape]
    return tuple(np.array([lookup[j][p[j]] for p in profiles], dtype=np.intp) for j in range(len(shape)))


@functools.lru_cache(maxsize=32)
def _masks(shape: tuple[int, ...], player: int):
    """0/1 matrix: support combination of the others (rows) × their pure profile (columns), and the
    support-membership matrix of ``player``'s own supports (support × strategy)."""
    others = [j for j in range(len(shape)) if j != player]
    combinations = list(itertools.product(*(_supports(shape[j]) for j in others)))
    pure = list(itertools.product(*(range(shape[j]) for j in others)))
    inside = np.array([[all(a in support for a, support in zip(profile, combination)) for profile in pure]
                       for combination in combinations], dtype=np.int64)
    own = np.array([[s in support for s in range(shape[player])] for support in _supports(shape[player])])
    return inside, own


def conditionally_dominated(screens, shape, table) -> np.ndarray:
    """Boolean per support profile (in the order of ``table``): some support strategy is conditionally dominated.

    ``screens[i]`` holds player ``i``'s payoffs (integers: int64 when they fit, else Python ints).
    """
    n_players = len(shape)
    dominated = np.zeros(len(table[0]), dtype=bool)
    for i, u in enumerate(screens):
        others = [j for j in range(n_players) if j != i]
        inside, own = _masks(tuple(shape), i)
        flat = np.moveaxis(np.asarray(u), i, 0).reshape(shape[i], -1)
        n = shape[i]
        # not_beaten[s, s2, r]: s2 does not strictly beat s at the others' pure profile r
        not_beaten = (flat[None, :, :] <= flat[:, None, :]).astype(np.int64)
        counts = not_beaten.reshape(n * n, -1) @ inside.T            # (s, s2) × combination
        beaten_everywhere = (counts == 0).reshape(n, n, -1)
        beaten_everywhere[np.arange(n), np.arange(n), :] = False       # s never dominates itself
        strategy_dominated = beaten_everywhere.any(axis=1)            # s × combination
        combination = np.zeros(len(table[0]), dtype=np.intp)
        for j in others:
            combination = combination * (2 ** shape[j] - 1) + table[j]
        # a profile is pruned when a strategy of its own support is dominated given the others' supports
        hit = own[table[i]] & strategy_dominated[:, combination].T
        dominated |= hit.any(axis=1)
    return dominated


def segment_is_empty(payoffs, supports) -> bool | None:
    """Whether the support profile holds no equilibrium, when exactly one player mixes (else ``None``).

    With the others pure, the mixer's indifference equations are constants (zero here: a continuum),
    and every condition left is linear in the mixer's probabilities ``x``: ``x > 0`` on the support,
    no gain for the mixer's other strategies (constants), and no gain for any other player's deviation.
    Fourier–Motzkin elimination in exact rationals decides whether that system of strict and weak
    linear inequalities has a solution.
    """
    mixers = [j for j, support in enumerate(supports) if len(support) > 1]
    if len(mixers) != 1:
        return None
    (i,) = mixers
    support = supports[i]
    m = len(support) - 1
    pure = [s[0] if j != i else None for j, s in enumerate(supports)]
    # the mixer's probability of support[k] as an affine form (coefficients of x_1..x_m, constant)
    forms = [[Fraction(-1)] * m + [Fraction(1)]] + [[Fraction(int(k == j)) for k in range(m)] + [Fraction(0)]
                                                    for j in range(m)]
    constraints = [(form, True) for form in forms]       # (a, strict): a·(x, 1) > 0, or >= 0 when not strict
    for j, u in enumerate(payoffs):
        if j == i:
            reference = _pure_payoff(u, pure, i, support[0])
            for t in range(u.shape[i]):
                if t not in support and _pure_payoff(u, pure, i, t) > reference:
                    return True
            continue
        for t in range(u.shape[j]):
            if t == pure[j]:
                continue
            # loss of deviating to t, linear in the mixer's mix: must be >= 0
            loss = [Fraction(0)] * (m + 1)
            for form, s in zip(forms, support):
                profile = list(pure)
                profile[i] = s
                stay = u[tuple(profile)]
                profile[j] = t
                difference = stay - u[tuple(profile)]
                for k in range(m + 1):
                    loss[k] += difference * form[k]
            constraints.append((loss, False))
    return not _feasible(constraints, m)


def _pure_payoff(u, pure, i, s):
    profile = list(pure)
    profile[i] = s
    return u[tuple(profile)]


def _feasible(constraints, n_vars) -> bool:
    """Fourier–Motzkin: whether ``a·(x, 1) > 0`` (strict) / ``>= 0`` has a real solution ``x``."""
    for variable in reversed(range(n_vars)):
        positive, negative, rest = [], [], []
        for a, strict in constraints:
            (positive if a[variable] > 0 else negative if a[variable] < 0 else rest).append((a, strict))
        combined = list(rest)
        for (p, p_strict), (q, q_strict) in itertools.product(positive, negative):
            # p_v x_v + P >= 0 and q_v x_v + Q >= 0 with p_v > 0 > q_v: eliminate x_v
            scale_p, scale_q = -q[variable], p[variable]
            combined.append(([scale_p * a + scale_q * b for a, b in zip(p, q)], p_strict or q_strict))
        constraints = [(a[:variable] + a[variable + 1:], strict) for a, strict in combined]
    return all((a[-1] > 0) if strict else (a[-1] >= 0) for a, strict in constraints)
