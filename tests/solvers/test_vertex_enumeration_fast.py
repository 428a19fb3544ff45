"""The stacked-array vertex walk (issue 14, goal 1) against an independent brute force, on random and degenerate
games: every reported equilibrium has exactly zero regret, the set is the set of extreme equilibria, and it
moves with relabelled strategies and affine payoff changes as it must."""

from fractions import Fraction as F
from itertools import combinations, product
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.solvers.polytope import (
    enumerate_vertices,
    enumerate_vertices_together,
    mask_keys,
)

DATA = Path(__file__).resolve().parents[1] / "data"


# ---------------------------------------------------------------------- independent references
def solve_fractions(rows, rhs):
    """The unique solution of a square system in Fractions (Gauss-Jordan), or None if it is singular."""
    k = len(rows)
    a = [[F(v) for v in row] + [F(b)] for row, b in zip(rows, rhs)]
    for col in range(k):
        pivot = next((r for r in range(col, k) if a[r][col] != 0), None)
        if pivot is None:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        a[col] = [v / a[col][col] for v in a[col]]
        for r in range(k):
            if r != col and a[r][col] != 0:
                a[r] = [u - a[r][col] * v for u, v in zip(a[r], a[col])]
    return [a[r][k] for r in range(k)]


def polytope_vertices(M):
    """Every vertex of {z >= 0 : M z <= 1} (M positive, r × d) with its full label set, by trying every choice of d
    tight constraints among the d coordinates and the r rows (a brute force over all bases, in Fractions)."""
    r, d = len(M), len(M[0])
    found = {}
    for tight in combinations(range(d + r), d):
        zero = [t for t in tight if t < d]
        rows = [t - d for t in tight if t >= d]
        free = [j for j in range(d) if j not in zero]
        if len(rows) != len(free):
            continue
        values = solve_fractions([[M[i][j] for j in free] for i in rows], [1] * len(rows)) if rows else []
        if values is None:
            continue
        z = [F(0)] * d
        for j, v in zip(free, values):
            z[j] = v
        totals = [sum(M[i][j] * z[j] for j in range(d)) for i in range(r)]
        if min(z) < 0 or max(totals, default=0) > 1:
            continue
        labels = frozenset([j for j in range(d) if z[j] == 0] + [d + i for i in range(r) if totals[i] == 1])
        found[tuple(z)] = labels
    return found


def brute_force_extreme_equilibria(A, B):
    """Extreme equilibria as completely labelled vertex pairs of the best-response polytopes (von Stengel 2002),
    from the brute-force vertex lists: labels 0..m-1 for player 1's strategies, m..m+n-1 for player 2's."""
    A, B = np.asarray(A, dtype=object), np.asarray(B, dtype=object)
    m, n = A.shape
    shift = 1 - min(min(A.flat), min(B.flat))  # positive payoffs: the same best responses
    Ap = [[v + shift for v in row] for row in A.tolist()]
    Bt = [[B[i, j] + shift for i in range(m)] for j in range(n)]
    P = polytope_vertices(Bt)  # x: coordinates = labels 0..m-1, rows (columns of B) = m..m+n-1
    Q = polytope_vertices(Ap)  # y: coordinates j -> label m + j, rows i -> label i
    everything = frozenset(range(m + n))
    out = set()
    for x, lx in P.items():
        for y, ly in Q.items():
            ly_global = frozenset((m + k) if k < n else (k - n) for k in ly)
            if any(x) and any(y) and lx | ly_global == everything:
                out.add((tuple(v / sum(x) for v in x), tuple(v / sum(y) for v in y)))
    return out


def support_enumeration(A, B):
    """Equilibria of a nondegenerate game by supports of equal size (Nash's indifference conditions, Fractions)."""
    A, B = np.asarray(A, dtype=object), np.asarray(B, dtype=object)
    m, n = A.shape
    out = set()
    for k in range(1, min(m, n) + 1):
        for I, J in product(combinations(range(m), k), combinations(range(n), k)):
            # y on J makes player 1 indifferent on I; x on I makes player 2 indifferent on J; both sum to one
            y = solve_fractions([[A[I[0], j] - A[i, j] for j in J] for i in I[1:]] + [[1] * k], [0] * (k - 1) + [1])
            x = solve_fractions([[B[i, J[0]] - B[i, j] for i in I] for j in J[1:]] + [[1] * k], [0] * (k - 1) + [1])
            if x is None or y is None or min(x) < 0 or min(y) < 0:
                continue
            xf, yf = [F(0)] * m, [F(0)] * n
            for i, v in zip(I, x):
                xf[i] = v
            for j, v in zip(J, y):
                yf[j] = v
            if max(regrets(A, B, xf, yf)) == 0:
                out.add((tuple(xf), tuple(yf)))
    return out


def regrets(A, B, x, y):
    """Each player's regret, in Fractions, straight from the payoff arrays."""
    m, n = len(x), len(y)
    rows = [sum(F(A[i][j]) * y[j] for j in range(n)) for i in range(m)]
    columns = [sum(F(B[i][j]) * x[i] for i in range(m)) for j in range(n)]
    return (max(rows) - sum(x[i] * rows[i] for i in range(m)),
            max(columns) - sum(y[j] * columns[j] for j in range(n)))


def solved(A, B):
    result = ng.solve(ng.Game.from_arrays(np.asarray(A).tolist(), np.asarray(B).tolist()))
    assert result.exact and result.complete
    return {(tuple(e.profile.probabilities[0]), tuple(e.profile.probabilities[1])) for e in result}, result


PERCENT = st.integers(0, 99)


def games(max_rows=4, max_columns=5, payoffs=PERCENT):
    return st.tuples(st.integers(1, max_rows), st.integers(1, max_columns)).flatmap(
        lambda shape: st.tuples(*(st.lists(st.lists(payoffs, min_size=shape[1], max_size=shape[1]),
                                           min_size=shape[0], max_size=shape[0]) for _ in range(2))))


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------- properties
@SETTINGS
@given(games(payoffs=st.integers(0, 2)))
def test_degenerate_games_give_exactly_the_extreme_equilibria(game):
    A, B = game
    found, _ = solved(A, B)
    assert found == brute_force_extreme_equilibria(A, B)
    for x, y in found:
        assert regrets(A, B, x, y) == (0, 0)


@SETTINGS
@given(games())
def test_random_games_give_exactly_the_extreme_equilibria_with_zero_regret(game):
    A, B = game
    found, _ = solved(A, B)
    assert found == brute_force_extreme_equilibria(A, B)
    assert all(regrets(A, B, x, y) == (0, 0) for x, y in found)


@pytest.mark.parametrize("seed", range(6))
def test_square_4x4_and_3x5_games_walked_in_floats_match_the_brute_force(seed):
    # C(8, 4) = 70 and C(8, 3) = 56 bases: past the exact small-game path, so the stacked float walk runs
    rng = np.random.default_rng(seed)
    for shape, high in (((4, 4), 3), ((4, 4), 100), ((3, 5), 3), ((5, 3), 100)):
        A, B = rng.integers(0, high, shape), rng.integers(0, high, shape)
        found, _ = solved(A, B)
        assert found == brute_force_extreme_equilibria(A.tolist(), B.tolist()), (A.tolist(), B.tolist())


@pytest.mark.parametrize("seed", range(3))
def test_nondegenerate_games_agree_with_support_enumeration(seed):
    rng = np.random.default_rng(100 + seed)
    A, B = rng.integers(0, 10 ** 6, (5, 5)), rng.integers(0, 10 ** 6, (5, 5))
    found, result = solved(A, B)
    assert result.degenerate is False
    assert found == support_enumeration(A, B)


@SETTINGS
@given(games(payoffs=st.integers(0, 3)), st.randoms(use_true_random=False))
def test_relabelling_strategies_permutes_the_equilibria(game, random):
    A, B = np.array(game[0]), np.array(game[1])
    m, n = A.shape
    rows, columns = list(range(m)), list(range(n))
    random.shuffle(rows)
    random.shuffle(columns)
    found, _ = solved(A, B)
    permuted, _ = solved(A[np.ix_(rows, columns)], B[np.ix_(rows, columns)])
    expected = {(tuple(x[i] for i in rows), tuple(y[j] for j in columns)) for x, y in found}
    assert permuted == expected


@SETTINGS
@given(games(payoffs=st.integers(0, 3)), st.fractions(F(1, 7), 9), st.fractions(-5, 5),
       st.fractions(F(1, 3), 4), st.fractions(-5, 5))
def test_positive_affine_payoff_changes_keep_the_equilibria(game, a, b, c, d):
    A, B = game
    found, _ = solved(A, B)
    scaled_A = [[a * v + b for v in row] for row in A]
    scaled_B = [[c * v + d for v in row] for row in B]
    result = ng.solve(ng.Game.from_arrays(scaled_A, scaled_B))
    assert {(tuple(e.profile.probabilities[0]), tuple(e.profile.probabilities[1])) for e in result} == found


# ---------------------------------------------------------------------- literature and edges
def test_von_stengel_6x6_has_75_equilibria_and_they_are_the_brute_force_set():
    # von Stengel (1999), "New maximal numbers of equilibria in bimatrix games", DCG 21: this 6×6 game has 75
    result = ng.solve(ng.load(DATA / "vonstengel1999_6x6_75eq.nfg"))
    found = {(tuple(e.profile.probabilities[0]), tuple(e.profile.probabilities[1])) for e in result}
    assert len(found) == 75
    A, B = (result.game.payoff_array(k).tolist() for k in (0, 1))
    assert found == brute_force_extreme_equilibria(A, B)
    assert all(regrets(A, B, x, y) == (0, 0) for x, y in found)


def test_identity_game_has_an_equilibrium_per_common_support():
    # uniform play on any common nonempty support S of the identity game is an equilibrium: 2^5 - 1 of them;
    # the game is nondegenerate (against x, the best responses are the strategies where x is largest, all in
    # the support of x, so never more of them than its size)
    found, result = solved(np.eye(5, dtype=int), np.eye(5, dtype=int))
    assert len(found) == 31 and result.degenerate is False
    assert ((F(1, 5),) * 5, (F(1, 5),) * 5) in found


def test_a_2x62_game_uses_wide_label_masks_and_agrees_with_support_enumeration():
    # 64 labels (over one machine word for the pairing) and 64 + 1 key bits for the stacked walk of P
    rng = np.random.default_rng(7)
    A, B = rng.integers(0, 10 ** 6, (2, 62)), rng.integers(0, 10 ** 6, (2, 62))
    found, result = solved(A, B)
    assert result.degenerate is False
    assert found == support_enumeration(A, B)


def test_walking_two_polytopes_together_equals_walking_each_alone():
    rng = np.random.default_rng(3)
    first, second = rng.integers(1, 4, (5, 5)).astype(float), rng.integers(1, 100, (5, 5)).astype(float)
    together = enumerate_vertices_together([first, second])
    for matrix, table in zip((first, second), together):
        alone = enumerate_vertices(matrix)
        assert sorted(mask_keys(alone.labels).tolist()) == sorted(mask_keys(table.labels).tolist())
        assert alone.bases == table.bases


def test_mask_keys_are_distinct_for_distinct_rows_beyond_64_columns():
    rows = np.zeros((3, 70), dtype=bool)
    rows[1, 69] = True
    rows[2, 0] = True
    keys = mask_keys(rows)
    assert len(set(keys.tolist())) == 3
    assert mask_keys(rows[:, :64]).tolist() == [0, 0, 1]


@pytest.mark.parametrize("seed", range(3))
def test_degenerate_6x6_games_match_the_brute_force(seed):
    # payoffs in {0, 1, 2}: many ties, so the lexicographic ratio test decides most pivots of the walk
    rng = np.random.default_rng(200 + seed)
    A, B = rng.integers(0, 3, (6, 6)), rng.integers(0, 3, (6, 6))
    found, result = solved(A, B)
    assert result.degenerate is True
    assert found == brute_force_extreme_equilibria(A.tolist(), B.tolist())
