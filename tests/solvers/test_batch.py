"""Vectorised batch solver: hand-checked games, and agreement with the exact solver on random games.

Expected values come from :func:`vertex_enumeration` (vertex enumeration of the
best-response polytopes, exact rational arithmetic for integer payoffs) — an
independent algorithm from the batch solver's vectorised support enumeration —
plus closed forms checked by hand.
"""

from fractions import Fraction as F
from functools import lru_cache

import numpy as np
import pytest

import negotiation as ng
from negotiation.solvers.classification import classify_symmetric_2x2, classify_values
from negotiation.solvers import batch as batch_module
from negotiation.solvers import vertex_enumeration
from negotiation.solvers.batch import (
    CLASS_NAMES,
    BatchEquilibria,
    batch_equilibria,
    classify_symmetric_batch,
)

SHAPES = [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4)]
INT_RANGES = (3, 10, 100)  # payoffs 0..2 (mostly degenerate), 0..9, 0..99
INT_GAMES_PER_RANGE = 140  # 5 shapes × 3 ranges × 140 = 2,100 integer games
FLOAT_GAMES = 60           # uniform float games per shape


# ---------------------------------------------------------------------- reference data
@lru_cache(maxsize=None)
def integer_games(shape):
    m, n = shape
    rng = np.random.default_rng(20261122 + 10 * m + n)
    As, Bs = [], []
    for high in INT_RANGES:
        As.append(rng.integers(0, high, size=(INT_GAMES_PER_RANGE, m, n)))
        Bs.append(rng.integers(0, high, size=(INT_GAMES_PER_RANGE, m, n)))
    A, B = np.concatenate(As), np.concatenate(Bs)
    return A, B, tuple(_exact(a.tolist(), b.tolist()) for a, b in zip(A, B))


@lru_cache(maxsize=None)
def float_games(shape):
    m, n = shape
    rng = np.random.default_rng(7 + 10 * m + n)
    A = rng.uniform(-5.0, 5.0, size=(FLOAT_GAMES, m, n))
    B = rng.uniform(0.0, 1.0, size=(FLOAT_GAMES, m, n))
    return A, B, tuple(_exact(a, b) for a, b in zip(A, B))


def _exact(a, b):
    """(degenerate, [(x, y), ...] as float arrays, [(u1, u2), ...]) from vertex_enumeration."""
    result = vertex_enumeration(ng.Game.from_arrays(a, b))
    rows = [
        (np.array([float(v) for v in e.profile.probabilities[0]]), np.array([float(v) for v in e.profile.probabilities[1]]))
        for e in result
    ]
    payoffs = [tuple(float(v) for v in e.payoffs) for e in result]
    return bool(result.degenerate), rows, payoffs


def rows_at(result: BatchEquilibria, index):
    lo, hi = result.offsets()[index:index + 2]
    return [(result.row[k], result.column[k]) for k in range(lo, hi)], [tuple(result.payoffs[k]) for k in range(lo, hi)]


def same_rows(got, expected, tol=1e-9):
    return len(got) == len(expected) and all(
        x.shape == ex.shape and y.shape == ey.shape and np.max(np.abs(x - ex)) <= tol and np.max(np.abs(y - ey)) <= tol
        for (x, y), (ex, ey) in zip(got, expected)
    )


def check_against_exact(result, reference, *, with_fallback=False):
    """Flags cover every degenerate point; rows equal the exact ones where the batch solver answered."""
    N = len(reference)
    assert result.count.shape == (N,) and result.degenerate.shape == (N,)
    assert np.all(np.diff(result.point) >= 0)
    assert result.count.sum() == len(result)
    for index, (degenerate, rows, payoffs) in enumerate(reference):
        if degenerate:
            assert result.degenerate[index], f"degenerate game {index} not flagged"
        got, got_payoffs = rows_at(result, index)
        if result.degenerate[index] and not with_fallback:
            assert got == []
            continue
        assert same_rows(got, rows), (index, got, rows)
        assert np.allclose(got_payoffs, payoffs, rtol=0, atol=1e-9), (index, got_payoffs, payoffs)


# ---------------------------------------------------------------------- hand-checked games
def solve_one(A, B):
    result = batch_equilibria(np.array([A], dtype=float), np.array([B], dtype=float))
    assert not result.degenerate[0]
    return rows_at(result, 0)


def test_stag_hunt_mixed_two_thirds():
    # q* = (P - S) / ((R - T) + (P - S)) = 2 / (1 + 2) = 2/3, payoff 2/3 * 4 = 8/3.
    rows, payoffs = solve_one([[4, 0], [3, 2]], [[4, 3], [0, 2]])
    assert same_rows(rows, [
        (np.array([1.0, 0.0]), np.array([1.0, 0.0])),
        (np.array([2 / 3, 1 / 3]), np.array([2 / 3, 1 / 3])),
        (np.array([0.0, 1.0]), np.array([0.0, 1.0])),
    ])
    assert np.allclose(payoffs, [(4, 4), (8 / 3, 8 / 3), (2, 2)], atol=1e-12)


def test_chicken_nine_tenths():
    # u(Swerve) = -(1 - q), u(Straight) = q - 10(1 - q)  =>  q = 9/10, payoff -1/10.
    rows, payoffs = solve_one([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    assert same_rows(rows, [
        (np.array([1.0, 0.0]), np.array([0.0, 1.0])),
        (np.array([0.9, 0.1]), np.array([0.9, 0.1])),
        (np.array([0.0, 1.0]), np.array([1.0, 0.0])),
    ])
    assert np.allclose(payoffs, [(-1, 1), (-0.1, -0.1), (1, -1)], atol=1e-12)


def test_prisoners_dilemma_battle_of_sexes_and_pennies():
    rows, payoffs = solve_one([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert same_rows(rows, [(np.array([0.0, 1.0]), np.array([0.0, 1.0]))]) and payoffs == [(1.0, 1.0)]
    rows, _ = solve_one([[2, 0], [0, 1]], [[1, 0], [0, 2]])  # x = (2/3, 1/3), y = (1/3, 2/3)
    assert same_rows(rows[1:2], [(np.array([2 / 3, 1 / 3]), np.array([1 / 3, 2 / 3]))]) and len(rows) == 3
    rows, payoffs = solve_one([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert same_rows(rows, [(np.array([0.5, 0.5]), np.array([0.5, 0.5]))]) and np.allclose(payoffs, [(0, 0)])


def test_rock_paper_scissors_and_von_stengel_3x2():
    rps = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    rows, payoffs = solve_one(rps, -rps)
    assert same_rows(rows, [(np.full(3, 1 / 3), np.full(3, 1 / 3))]) and np.allclose(payoffs, [(0, 0)])
    # AGT ch. 3, Fig. 3.3 (checked by hand in test_vertex_enumeration.py)
    rows, _ = solve_one([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    assert same_rows(rows, [
        (np.array([1.0, 0, 0]), np.array([1.0, 0])),
        (np.array([0.8, 0.2, 0]), np.array([2 / 3, 1 / 3])),
        (np.array([0, 1 / 3, 2 / 3]), np.array([1 / 3, 2 / 3])),
    ])


def test_degenerate_literature_games_are_flagged_and_fallback_fills_them():
    games = [
        ([[1, 1], [1, 1]], [[1, 1], [1, 1]]),            # constant
        ([[0, 0], [2, -1]], [[2, 2], [1, -1]]),          # entry deterrence: continuum
        ([[3, 0], [3, 1]], [[3, 3], [0, 1]]),            # weak dominance
        ([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]),  # AGT degenerate 3×2
    ]
    for A, B in games:
        exact = _exact(A, B)
        assert exact[0]
        result = batch_equilibria(np.array([A], float), np.array([B], float))
        assert result.degenerate[0] and result.count[0] == 0
        filled = batch_equilibria(np.array([A], float), np.array([B], float),
                                  fallback=lambda i: [(e[0], e[1]) for e in exact[1]])
        assert filled.degenerate[0] and same_rows(rows_at(filled, 0)[0], exact[1])


# ---------------------------------------------------------------------- random games vs the exact solver
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_agrees_with_vertex_enumeration_on_random_integer_games(shape):
    A, B, reference = integer_games(shape)
    result = batch_equilibria(A.astype(float), B.astype(float))
    check_against_exact(result, reference)
    truly = np.array([r[0] for r in reference])
    assert truly.sum() > 0 and (~truly).sum() > 0  # both kinds are exercised
    false_alarms = result.degenerate & ~truly
    assert false_alarms.sum() <= 0.03 * len(reference)  # conservative, but not wildly so


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_fallback_rows_equal_exact_extreme_equilibria(shape):
    A, B, reference = integer_games(shape)
    calls = []

    def fallback(index):
        calls.append(index)
        return [(tuple(F(v).limit_denominator(10**6) for v in x), y) for x, y in reference[index][1]]

    result = batch_equilibria(A.astype(float), B.astype(float), fallback=fallback, chunk_size=97)
    check_against_exact(result, reference, with_fallback=True)
    assert calls == np.flatnonzero(result.degenerate).tolist()
    assert result.count.tolist() == [len(r[1]) for r in reference]


@pytest.mark.parametrize("shape", SHAPES + [(3, 2), (4, 2), (1, 3)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_agrees_with_vertex_enumeration_on_random_float_games(shape):
    if shape in SHAPES:
        A, B, reference = float_games(shape)
    else:
        rng = np.random.default_rng(3)
        A, B = rng.random((FLOAT_GAMES,) + shape), rng.random((FLOAT_GAMES,) + shape)
        reference = [_exact(a, b) for a, b in zip(A, B)]
    result = batch_equilibria(A, B)
    assert not result.degenerate.any()
    check_against_exact(result, reference)
    assert np.all(result.count % 2 == 1)  # nondegenerate games have an odd number of equilibria


def test_closed_form_2x2_path_equals_general_path():
    rng = np.random.default_rng(11)
    for high in (2, 3, 5, None):
        if high:
            A, B = (rng.integers(0, high, (4000, 2, 2)).astype(float) for _ in range(2))
        else:
            A, B = rng.random((4000, 2, 2)), rng.random((4000, 2, 2))
        closed = batch_module._solve_2x2(A, B, 1e-9)
        general = batch_module._solve_general(A, B, 1e-9)
        assert np.array_equal(closed[4], general[4])  # flags
        assert np.array_equal(closed[0], general[0])  # points and order
        for a, b in zip(closed[1:4], general[1:4]):
            assert np.allclose(a, b, rtol=0, atol=1e-12)


def test_parameter_sweep_through_a_tie_with_exact_fallback():
    # Symmetric 2×2 with R = 3, S = 0, P = 1 and T swept over [2, 4]: Stag Hunt (3 equilibria)
    # for T < 3, Prisoner's Dilemma (1) for T > 3; T = 3 (within rounding of linspace) is a tie.
    T = np.linspace(2.0, 4.0, 2001)
    A = np.empty((T.size, 2, 2))
    A[:, 0, 0], A[:, 0, 1], A[:, 1, 0], A[:, 1, 1] = 3.0, 0.0, T, 1.0
    B = A.transpose(0, 2, 1)

    def exact_game(index):  # what the sweep engine does: rebuild the exact game at the point
        t = F(T[index]).limit_denominator(1000)
        return ng.Game.from_arrays([[3, 0], [t, 1]], [[3, t], [0, 1]])

    def fallback(index):
        return [tuple(e.profile.probabilities) for e in vertex_enumeration(exact_game(index))]

    result = batch_equilibria(A, B, fallback=fallback)
    tie = np.flatnonzero(result.degenerate)
    assert tie.tolist() == [1000] and vertex_enumeration(exact_game(1000)).degenerate
    assert np.all(result.count[:1000] == 3) and np.all(result.count[1001:] == 1)
    assert result.count[1000] == len(vertex_enumeration(exact_game(1000)))
    # mixed equilibrium of the Stag Hunt side: Pr(C) = (P - S) / ((R - T) + (P - S)) = 1 / (4 - T)
    mixed = result.row[result.offsets()[:1000] + 1, 0]
    assert np.allclose(mixed, 1.0 / (4.0 - T[:1000]), rtol=0, atol=1e-12)
    codes = classify_symmetric_batch(A, B)
    assert [CLASS_NAMES[c] for c in codes[[0, 999, 1000, 1001, 2000]]] == [
        "Stag Hunt", "Stag Hunt", "boundary case", "Prisoner's Dilemma", "Prisoner's Dilemma"]


# ---------------------------------------------------------------------- tolerance, invariance, robustness
def test_ties_within_tolerance_are_flagged_and_beyond_it_solved():
    rng = np.random.default_rng(5)
    for shape in [(2, 2), (3, 3)]:
        A, B = rng.random((400,) + shape), rng.random((400,) + shape)
        # rows 0 and 1 both best replies to column 0, up to a relative perturbation
        A[:, :2, 0] = 1.0
        scale = A.max((1, 2)) - A.min((1, 2))
        noise = rng.choice([0.0, 1e-14, 1e-12, 1e-10], size=400)
        tied = A.copy()
        tied[:, 1, 0] += noise * scale
        assert batch_equilibria(tied, B).degenerate.all()
        apart = A.copy()
        apart[:, 1, 0] += 1e-6 * scale * rng.choice([-1, 1], size=400)
        result = batch_equilibria(apart, B)
        assert not result.degenerate.any()
        check_against_exact(result, [_exact(a, b) for a, b in zip(apart, B)])


def test_invariant_under_positive_affine_transformations_and_chunking():
    A, B, _ = integer_games((3, 3))
    A, B = A.astype(float), B.astype(float)
    base = batch_equilibria(A, B)
    moved = batch_equilibria(1e3 * A - 2.5e6, 0.125 * B + 7.0, chunk_size=33)
    assert np.array_equal(base.degenerate, moved.degenerate)
    assert np.array_equal(base.point, moved.point)
    assert np.allclose(base.row, moved.row, atol=1e-9) and np.allclose(base.column, moved.column, atol=1e-9)
    assert np.allclose(1e3 * base.payoffs[:, 0] - 2.5e6, moved.payoffs[:, 0], rtol=1e-12)


def test_every_row_is_an_equilibrium_on_badly_scaled_games():
    rng = np.random.default_rng(8)
    for shape in [(2, 2), (3, 4), (4, 4)]:
        N = 2000
        A = rng.normal(size=(N,) + shape) * 10.0 ** rng.integers(-6, 7, size=(N, 1, 1)) + 1e4
        B = rng.normal(size=(N,) + shape) ** 3
        result = batch_equilibria(A, B)
        p = result.point
        sA = np.ptp(A.reshape(N, -1), axis=1)[p]
        sB = np.ptp(B.reshape(N, -1), axis=1)[p]
        Ay = np.einsum("kij,kj->ki", A[p], result.column)
        xB = np.einsum("ki,kij->kj", result.row, B[p])
        assert np.all(Ay.max(1) - result.payoffs[:, 0] <= 1e-9 * sA + 1e-12 * np.abs(result.payoffs[:, 0]))
        assert np.all(xB.max(1) - result.payoffs[:, 1] <= 1e-9 * sB + 1e-12 * np.abs(result.payoffs[:, 1]))
        assert np.all(result.row >= 0) and np.all(result.column >= 0)
        assert np.all(result.count[~result.degenerate] % 2 == 1)


def test_fifteen_equilibria_of_the_4x4_coordination_game():
    # A = B = I (4×4): uniform on every nonempty support S is an equilibrium (2^4 - 1 = 15),
    # the maximum for nondegenerate 4×4 games. More rows than the initial output capacity.
    rng = np.random.default_rng(2)
    N = 50
    a, c = rng.uniform(0.5, 2.0, (2, N, 1, 1)), rng.uniform(-3.0, 3.0, (2, N, 1, 1))
    A = a[0] * np.eye(4) + c[0]
    B = a[1] * np.eye(4) + c[1]
    result = batch_equilibria(A, B, chunk_size=7)
    assert not result.degenerate.any() and np.all(result.count == 15)
    expected = _exact(np.eye(4, dtype=int).tolist(), np.eye(4, dtype=int).tolist())
    assert not expected[0]
    for index in range(N):
        assert same_rows(rows_at(result, index)[0], expected[1])


def test_shapes_validation_and_empty_input():
    empty = batch_equilibria(np.zeros((0, 3, 2)), np.zeros((0, 3, 2)))
    assert len(empty) == 0 and empty.row.shape == (0, 3) and empty.column.shape == (0, 2)
    single = batch_equilibria([[3, 0], [5, 1]], [[3, 5], [0, 1]])  # one game as (m, n)
    assert single.count.tolist() == [1] and single.at(0)[0][0].tolist() == [0.0, 1.0]
    with pytest.raises(ValueError):
        batch_equilibria(np.zeros((2, 2, 2)), np.zeros((2, 2, 3)))
    with pytest.raises(ValueError):
        batch_equilibria(np.zeros((2, 5, 2)), np.zeros((2, 5, 2)))
    A = np.random.default_rng(1).random((4, 3, 3))
    A[1, 0, 0], A[2, 2, 1], A[3, 1, 1] = np.nan, np.inf, -1e101
    unusable = batch_equilibria(A, A.transpose(0, 2, 1).copy(), fallback=lambda i: [])
    assert unusable.degenerate.tolist() == [False, True, True, True] and unusable.count[1:].tolist() == [0, 0, 0]
    assert np.isnan(A[1, 0, 0])  # the caller's arrays are left alone
    with pytest.raises(ValueError):
        batch_equilibria(np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), tolerance=0.0)
    result = batch_equilibria(np.zeros((3, 2, 2)), np.zeros((3, 2, 2)))
    assert result.degenerate.all() and len(result) == 0
    with pytest.raises(ValueError):  # outputs are read-only
        result.count[0] = 1


# ---------------------------------------------------------------------- classification
@pytest.mark.parametrize("cooperate", [0, 1])
def test_classification_agrees_with_classify_symmetric_2x2(cooperate):
    rng = np.random.default_rng(cooperate)
    A = np.concatenate([rng.integers(0, 4, (1500, 2, 2)), rng.integers(-50, 50, (500, 2, 2))])
    B = A.transpose(0, 2, 1).copy()
    B[:50, 1, 0] += 1  # not symmetric
    codes = classify_symmetric_batch(A.astype(float), B.astype(float), cooperate=cooperate)
    assert codes.dtype == np.int8
    names = set()
    for index in range(len(A)):
        game = ng.Game.from_arrays(A[index].tolist(), B[index].tolist())
        expected = classify_symmetric_2x2(game, cooperate=game.strategies[0][cooperate])
        name = expected.name if expected is not None else "not symmetric"
        assert CLASS_NAMES[codes[index]] == name, (A[index], name, CLASS_NAMES[codes[index]])
        names.add(name)
    assert names == set(CLASS_NAMES)


def test_classification_of_float_games_with_near_ties():
    rng = np.random.default_rng(4)
    R, S, T, P = rng.random((4, 3000))
    T = np.where(rng.random(3000) < 0.3, R * (1 + rng.choice([0, 1e-13, -1e-12], 3000)), T)
    A = np.stack([np.stack([R, S], -1), np.stack([T, P], -1)], 1)
    codes = classify_symmetric_batch(A)  # B omitted: symmetric
    for index in range(3000):
        r, s, t, p = R[index], S[index], T[index], P[index]
        if abs(t - r) <= 1e-9 * np.ptp(A[index]):
            t = r  # a tie within the tolerance is a tie
        assert CLASS_NAMES[codes[index]] == classify_values(r, s, t, p).name


# ---------------------------------------------------------------------- fast paths (table lookup, no BLAS)
def _classify_reference(A, B=None, cooperate=0, tolerance=1e-9):
    """The boolean-mask formulation of classify_symmetric_batch (before the table lookup)."""
    from negotiation.solvers.batch import (BOUNDARY, CHICKEN, DEADLOCK, HARMONY, NOT_SYMMETRIC,
                                           PRISONERS_DILEMMA, STAG_HUNT)

    A = np.asarray(A, dtype=np.float64)
    c, d = cooperate, 1 - cooperate
    R, S, T, P = A[:, c, c], A[:, c, d], A[:, d, c], A[:, d, d]
    flat = A.reshape(A.shape[0], 4)
    eps = tolerance * (flat.max(1) - flat.min(1))
    tie = (np.abs(T - R) <= eps) | (np.abs(P - S) <= eps)
    rt, ps = R > T, P > S
    codes = np.full(A.shape[0], CHICKEN, dtype=np.int8)
    codes[rt & ~ps] = HARMONY
    codes[rt & ps] = STAG_HUNT
    codes[~rt & ps] = np.where(R - P > eps, PRISONERS_DILEMMA, DEADLOCK)[~rt & ps]
    codes[tie] = BOUNDARY
    if B is not None:
        B = np.asarray(B, dtype=np.float64)
        scale = np.maximum(eps, tolerance * np.abs(flat).max(1))
        symmetric = (np.abs(A - B.transpose(0, 2, 1)).reshape(-1, 4) <= scale[:, None]).all(1)
        codes[~symmetric] = NOT_SYMMETRIC
    return codes


def test_classify_table_lookup_matches_the_mask_rules():
    rng = np.random.default_rng(11)
    A = rng.integers(-3, 4, size=(20000, 2, 2)).astype(float)  # many ties and equal payoffs
    A[:500] += rng.uniform(-1e-10, 1e-10, size=(500, 2, 2))  # within the tolerance
    A[500:600] = np.nan
    B = A.transpose(0, 2, 1).copy()
    B[::7, 0, 1] += 1.0  # not symmetric
    for cooperate in (0, 1):
        assert np.array_equal(classify_symmetric_batch(A, None, cooperate), _classify_reference(A, None, cooperate))
        assert np.array_equal(classify_symmetric_batch(A, B, cooperate), _classify_reference(A, B, cooperate))
    strided = rng.normal(size=(1000, 2, 2, 2))[..., 0]  # the sweep passes views of its payoff array
    assert np.array_equal(classify_symmetric_batch(strided), _classify_reference(strided))


def test_unusable_points_flags_exactly_the_unsafe_payoffs():
    from negotiation.solvers.batch import _MAX_ABS, _unusable_points

    A = np.zeros((6, 2, 2))
    B = np.zeros((6, 2, 2))
    assert _unusable_points(A, B) is None
    A[1, 0, 0] = np.nan
    A[2, 1, 1] = -np.inf
    B[3, 0, 1] = 2 * _MAX_ABS
    B[4, 1, 0] = _MAX_ABS  # on the limit: still usable
    A[5, 0, 1] = -_MAX_ABS
    assert _unusable_points(A, B).tolist() == [False, True, True, True, False, False]
