"""The 2×2 sweep kernel on payoff planes (``sweeps.planes``) and the sweep built on it.

* every equilibrium it returns is one of the exact solver's (``ng.solve`` on the exact game, Fractions),
  and it returns all of them, on games with small integer payoffs (ties everywhere) and on random floats;
  every game the exact solver calls degenerate is flagged (then the sweep solves it exactly);
* its rows are the batch solver's bit for bit (the reference path of the sweep), shared planes or not;
* classic-game labels against hand-classified games (Rapoport and Guyer's orderings);
* whole sweeps through the kernel and through the batch solver (the kernel switched off) write the same
  CSV bytes and the same Parquet values and types, on two models; Parquet declares never-blank columns
  required.
"""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.solvers.batch import (
    CLASS_NAMES,
    batch_equilibria,
    classify_symmetric_batch,
)
from negotiation.sweeps import compiled as compiled_module
from negotiation.sweeps import sweep
from negotiation.sweeps.planes import classify_planes, solve_planes
from negotiation.sweeps.writers import have_pyarrow

TIES_2X2 = '''schema = "negotiation.scenario/1"
id = "ties_2x2_test"
title = "2x2 with ties on grid lines"
kind = "normal-form"

[players]
A = ["C", "D"]
B = ["C", "D"]

[parameters.x]
default = "1/2"
range = [-1, 2]

[parameters.y]
default = "1/4"
range = [-1, 2]

[payoffs]
"C, C" = ["x", "y"]
"C, D" = ["0", "1 - y"]
"D, C" = ["1 - x", "x*y"]
"D, D" = ["y", "x - y"]
'''


def _planes(A, B):
    """The eight planes ``A00, A01, A10, A11, B00, B01, B10, B11`` of stacked ``(N, 2, 2)`` games."""
    return [np.ascontiguousarray(M[:, i, j]) for M in (A, B) for i in (0, 1) for j in (0, 1)]


def _exact(a, b):
    """The exact solver's equilibria of one game (integer payoffs) as float profiles, and its degeneracy."""
    game = ng.Game.from_arrays([[F(v) for v in row] for row in a], [[F(v) for v in row] for row in b])
    result = ng.solve(game)
    assert result.exact and result.complete
    profiles = sorted((float(e.profile.probabilities[0][0]), float(e.profile.probabilities[1][0]))
                      for e in result.equilibria)
    return profiles, result.degenerate


small_games = st.lists(st.lists(st.integers(-2, 2), min_size=8, max_size=8), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games)
def test_kernel_against_the_exact_solver(cells):
    payoffs = np.array(cells, dtype=np.float64).reshape(-1, 2, 2, 2)
    A, B = payoffs[..., 0], payoffs[..., 1]
    rows = solve_planes(_planes(A, B))
    for k in range(A.shape[0]):
        expected, degenerate = _exact(A[k].astype(int).tolist(), B[k].astype(int).tolist())
        if degenerate:  # the exact solver's degenerate games are always left to it
            assert rows.degenerate[k]
        if rows.degenerate[k]:
            assert not (rows.point == k).any()
            continue
        at = rows.point == k
        found = sorted(zip(rows.x0[at].tolist(), rows.y0[at].tolist()))
        assert len(found) == len(expected)
        assert np.allclose(found, expected, atol=1e-12, rtol=0)


def test_kernel_on_random_games_matches_the_exact_solver():
    rng = np.random.default_rng(7)
    integers = rng.integers(0, 100, size=(300, 2, 2, 2))
    rows = solve_planes(_planes(integers[..., 0].astype(float), integers[..., 1].astype(float)))
    assert len(rows.degenerate) == 300
    for k in range(300):
        expected, _ = _exact(integers[k, :, :, 0].tolist(), integers[k, :, :, 1].tolist())
        if rows.degenerate[k]:
            continue
        at = rows.point == k
        found = sorted(zip(rows.x0[at].tolist(), rows.y0[at].tolist()))
        assert np.allclose(found, expected, atol=1e-12, rtol=0)
        # payoffs: x'Ay and x'By of each row, from the exact profiles
        for x, y, u1, u2 in zip(rows.x0[at], rows.y0[at], rows.u1[at], rows.u2[at]):
            xs, ys = np.array([x, 1 - x]), np.array([y, 1 - y])
            assert u1 == pytest.approx(xs @ integers[k, :, :, 0] @ ys, abs=1e-9)
            assert u2 == pytest.approx(xs @ integers[k, :, :, 1] @ ys, abs=1e-9)


@pytest.mark.parametrize("scale", [1.0, 1e-15, 1e15])  # within 2**±64: no rescaling
def test_kernel_rows_are_the_batch_solvers_bit_for_bit(scale):
    rng = np.random.default_rng(3)
    A = rng.normal(size=(50_000, 2, 2)) * scale
    B = rng.normal(size=(50_000, 2, 2)) * scale
    A[:500, 0, 0] = A[:500, 1, 0]  # ties: flagged
    reference = batch_equilibria(A, B)
    rows = solve_planes(_planes(A, B))
    assert np.array_equal(rows.point, reference.point)
    assert np.array_equal(rows.x0, reference.row[:, 0]) and np.array_equal(1.0 - rows.x0, reference.row[:, 1])
    assert np.array_equal(rows.y0, reference.column[:, 0]) and np.array_equal(1.0 - rows.y0, reference.column[:, 1])
    assert np.array_equal(rows.u1, reference.payoffs[:, 0]) and np.array_equal(rows.u2, reference.payoffs[:, 1])
    assert np.array_equal(rows.degenerate, reference.degenerate)
    assert rows.degenerate[:500].all()


def test_shared_planes_give_the_same_rows():
    rng = np.random.default_rng(4)
    R, S, T, P = (rng.normal(size=20_000) for _ in range(4))
    shared = solve_planes([R, S, T, P, R, T, S, P])  # B = A transposed, planes shared
    copies = solve_planes([p.copy() for p in (R, S, T, P, R, T, S, P)])
    for name in ("point", "slot", "x0", "y0", "u1", "u2", "degenerate"):
        assert np.array_equal(getattr(shared, name), getattr(copies, name))


def test_payoffs_beyond_unit_scale_or_not_finite_are_left_to_the_batch_solver():
    ones = np.ones(3)
    assert solve_planes([ones * 2.0 ** 70] + [ones] * 7) is None
    assert solve_planes([np.array([1.0, np.nan, 0.0])] + [ones] * 7) is None
    assert classify_planes(ones * np.inf, ones, ones, ones) is None
    assert solve_planes([-ones * np.inf] + [ones] * 7) is None
    empty = solve_planes([np.zeros(0)] * 8)
    assert len(empty) == 0 and empty.probabilities.shape == (0, 4)


def test_classic_games_by_hand():
    # (R, S, T, P) for the cooperative strategy: Harmony R > T, S > P; Prisoner's Dilemma T > R > P > S;
    # Stag Hunt R > T, P > S; Chicken T > R, S > P; Deadlock T > R, P > S, P > R; a tie T = R
    games = {"Harmony": (3, 2, 1, 0), "Prisoner's Dilemma": (3, 0, 5, 1), "Stag Hunt": (4, 0, 3, 2),
             "Chicken": (0, -1, 1, -10), "Deadlock": (1, 0, 3, 2), "boundary case": (3, 0, 3, 1)}
    R, S, T, P = (np.array([g[k] for g in games.values()], dtype=float) for k in range(4))
    assert [CLASS_NAMES[c] for c in classify_planes(R, S, T, P)] == list(games)
    B = (R.copy(), S.copy(), T.copy(), P.copy())  # B = A transposed: (B[c, c], B[d, c], B[c, d], B[d, d])
    assert [CLASS_NAMES[c] for c in classify_planes(R, S, T, P, B)] == list(games)
    other = (R, S + 1, T, P)
    assert all(CLASS_NAMES[c] == "not symmetric" for c in classify_planes(R, S, T, P, other))
    A = np.stack([np.stack([R, S], 1), np.stack([T, P], 1)], 1)
    assert np.array_equal(classify_planes(R, S, T, P), classify_symmetric_batch(A))


def _run(scenario, grid, out, fmt):
    return sweep(scenario, grid=grid, out=out, format=fmt, chunk_size=1500, progress=False)


@pytest.mark.skipif(not have_pyarrow(), reason="pyarrow")
@pytest.mark.parametrize("model", ["security_dilemma", "ties"])
def test_sweep_through_the_kernel_writes_what_the_batch_solver_writes(tmp_path, monkeypatch, model):
    import pyarrow.parquet as pq

    if model == "ties":
        path = tmp_path / "ties.toml"
        path.write_text(TIES_2X2, encoding="utf-8")
        scenario, grid = ng.load(path), ["x=-1:2:61", "y=-1:2:49"]  # ties on grid lines: exact rows
    else:
        scenario, grid = ng.load("security_dilemma"), ["omega=0:1:67", "phi=0:1:53"]
    new = {fmt: _run(scenario, grid, tmp_path / f"new.{fmt}", fmt) for fmt in ("csv", "parquet")}
    monkeypatch.setattr(compiled_module.CompiledGame, "_solve_planes", lambda *args: None)
    old = {fmt: _run(scenario, grid, tmp_path / f"old.{fmt}", fmt) for fmt in ("csv", "parquet")}
    assert (tmp_path / "new.csv").read_bytes() == (tmp_path / "old.csv").read_bytes()
    for fmt in ("csv", "parquet"):
        assert new[fmt].n_rows == old[fmt].n_rows
        assert new[fmt].outcome_labels == old[fmt].outcome_labels
        assert np.array_equal(new[fmt].outcome_codes, old[fmt].outcome_codes)
    parts = sorted(p.name for p in (tmp_path / "new.parquet").iterdir())
    assert parts == sorted(p.name for p in (tmp_path / "old.parquet").iterdir()) and len(parts) > 1
    for part in parts:
        mine, reference = pq.read_table(tmp_path / "new.parquet" / part), pq.read_table(tmp_path / "old.parquet" / part)
        assert [(f.name, f.type) for f in mine.schema] == [(f.name, f.type) for f in reference.schema]
        assert mine.to_pandas().equals(reference.to_pandas())
        # a 2×2 sweep has an equilibrium at every point: no column is ever blank
        assert not any(f.nullable for f in mine.schema)
    frame = new["parquet"].table()
    assert len(frame) == new["parquet"].n_rows


@pytest.mark.skipif(not have_pyarrow(), reason="pyarrow")
def test_sweep_rows_at_tied_points_come_from_the_exact_solver(tmp_path):
    path = tmp_path / "ties.toml"
    path.write_text(TIES_2X2, encoding="utf-8")
    scenario = ng.load(path)
    result = sweep(scenario, grid=["x=-1:2:7", "y=-1:2:7"], progress=False)
    table = result.table()
    for point in range(49):
        x, y = F(-1) + F(point // 7, 2), F(-1) + F(point % 7, 2)
        exact = scenario.solve({"x": x, "y": y})
        rows = table[table["point"] == point]
        assert len(rows) == len(exact.equilibria)
        for (_, row), equilibrium in zip(rows.iterrows(), exact.equilibria):
            assert row["A: C"] == pytest.approx(float(equilibrium.profile.probabilities[0][0]), abs=1e-12)
            assert row["B: C"] == pytest.approx(float(equilibrium.profile.probabilities[1][0]), abs=1e-12)
