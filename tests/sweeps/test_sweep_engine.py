"""The sweep table against the single exact solver, point by point; paths, formats and workers agree."""

import math
from fractions import Fraction as F

import numpy as np
import pytest

import negotiation as ng
from negotiation.sweeps import read_table, sweep
from negotiation.sweeps import compiled as compiled_module
from negotiation.sweeps import runner as runner_module
from negotiation.sweeps import writers as writers_module

# omega = 1/4 is the T = R boundary, (omega, phi) = (1/2, 3/5) the P = S boundary, omega = 0 makes S = R:
# all degenerate, where the batch solver hands over to the exact solver.
GRID = ["omega=0:1:9", "phi=0:1:6", "k=1/2:1:2"]


@pytest.fixture(scope="module")
def scenario():
    return ng.load("security_dilemma")


@pytest.fixture(scope="module")
def grid_result(scenario):
    return sweep(scenario, grid=GRID, chunk_size=16)


def _same_number(table_value, exact):
    """Exact values must be equal; a float (batch path) must agree to 1e-9."""
    if isinstance(table_value, F) and isinstance(exact, F):
        return table_value == exact
    return math.isclose(float(table_value), float(exact), rel_tol=1e-9, abs_tol=1e-9)


def _check_against_single_solver(scenario, frame, points, classification=True):
    """Every point's rows equal scenario.solve(values) (the exact vertex enumeration), row by row."""
    by_point = {p: rows for p, rows in frame.groupby("point", sort=False)}
    assert sorted(by_point) == list(range(len(points)))
    for index, values in enumerate(points):
        result = scenario.solve(values)
        expected = result.to_records()
        rows = by_point[index].to_dict("records")
        assert len(rows) == len(expected), (values, rows, expected)
        for row, record in zip(rows, expected):
            for key, value in record.items():
                if key in scenario.parameters.names:
                    # numbers as numbers (issue 15): the nearest float, and the exact text where a float rounds
                    assert isinstance(row[key], float) and row[key] == float(value), (key, row[key], value)
                    if F(row[key]) != value:
                        assert F(row[key + "_exact"]) == value, (key, row, value)
                elif key in ("equilibrium", "kind", "component"):
                    assert row[key] == value, (values, key, row[key], value)
                else:
                    assert _same_number(row[key], value), (values, key, row[key], value)
            if classification:
                assert row["classification"] == result.details["classification"].split(" (")[0]


def test_table_equals_the_single_solver_at_every_point(scenario, grid_result):
    frame = grid_result.table()
    points = [{**dict(zip(("omega", "phi", "k"), values))} for values in _grid_points()]
    _check_against_single_solver(scenario, frame, points)
    # numbers as numbers (issue 15): every column but the labels is numeric
    assert all(str(frame[c].dtype) in ("int64", "float64") for c in frame.columns
               if c not in ("kind", "component", "classification") and not c.endswith("_exact"))
    assert grid_result.n_points == 9 * 6 * 2 and grid_result.n_rows == len(frame)


def _grid_points():

    from negotiation.sweeps import Grid

    return [tuple(p.values()) for p in Grid(GRID).points()]


def test_per_point_path_gives_the_same_table(scenario, grid_result, monkeypatch):
    original = compiled_module.CompiledGame.__init__

    def without_batch(self, plan):
        original(self, plan)
        self.batch = None

    monkeypatch.setattr(compiled_module.CompiledGame, "__init__", without_batch)
    runner_module._COMPILED.clear()
    try:
        frame = sweep(scenario, grid=GRID, chunk_size=16).table()
    finally:
        runner_module._COMPILED.clear()
    batch = grid_result.table()
    assert list(frame.columns) == list(batch.columns)
    for column in frame.columns:
        for a, b in zip(frame[column], batch[column]):
            assert a == b or _same_number(a, b), column


def test_csv_file_is_the_table_and_independent_of_chunking(scenario, grid_result, tmp_path):
    paths = []
    for chunk_size in (5, 16, 1000):
        path = tmp_path / f"t{chunk_size}.csv"
        sweep(scenario, grid=GRID, out=path, chunk_size=chunk_size)
        paths.append(path)
    texts = [p.read_bytes() for p in paths]
    assert texts[0] == texts[1] == texts[2]
    lines = texts[0].decode().splitlines()
    assert lines[0] == ("point,omega,phi,k,G,L,W,v,equilibrium,kind,component,NATO: Restrain,NATO: Deploy,"
                        "Russia: Restrain,Russia: Deploy,payoff NATO,payoff Russia,classification")
    frame = read_table(paths[0])
    memory = grid_result.table()
    assert len(frame) == len(memory)
    for column in memory.columns:
        if column.endswith("_exact"):  # exact grid values: from the grid, not the file
            continue
        for a, b in zip(frame[column], memory[column]):
            assert a == b or _same_number(a, b), column
    # numbers as numbers (issue 15): no fraction text in the file, pandas reads every number column as numbers
    assert not any("/" in line for line in lines[1:])
    import pandas

    dtypes = pandas.read_csv(paths[0]).dtypes
    assert all(str(dtypes[c]) in ("int64", "float64") for c in dtypes.index if c not in ("kind", "component", "classification"))


def test_csv_is_identical_without_pyarrow(scenario, tmp_path, monkeypatch):
    with_arrow = tmp_path / "a.csv"
    sweep(scenario, grid=GRID, out=with_arrow, chunk_size=20)
    monkeypatch.setattr(writers_module, "have_pyarrow", lambda: False)
    monkeypatch.setattr(compiled_module, "have_pyarrow", lambda: False)
    runner_module._COMPILED.clear()
    plain = tmp_path / "b.csv"
    sweep(scenario, grid=GRID, out=plain, chunk_size=20)
    assert with_arrow.read_bytes() == plain.read_bytes()


def test_samples_rows_match_the_solver_at_the_drawn_values(scenario):
    result = sweep(scenario, samples=300, seed=4, priors={"omega": "uniform", "phi": "beta:2:2"}, chunk_size=64)
    frame = result.table()
    first = frame.drop_duplicates("point")
    assert list(first["point"]) == list(range(300))
    omega, phi = result.parameter_values("omega"), result.parameter_values("phi")
    assert np.array_equal(first["omega"].to_numpy(dtype=float), omega)
    for index in range(0, 300, 7):
        values = {"omega": F(float(omega[index])), "phi": F(float(phi[index]))}
        expected = scenario.solve(values).to_records()
        rows = frame[frame["point"] == index].to_dict("records")
        assert len(rows) == len(expected)
        for row, record in zip(rows, expected):
            assert row["kind"] == record["kind"]
            for key in ("NATO: Restrain", "Russia: Deploy", "payoff NATO", "payoff Russia"):
                assert _same_number(row[key], record[key])


def test_workers_give_the_same_file(scenario, tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    options = dict(samples=3000, seed=9, priors=["omega=uniform", "phi=triangular:0:0.8:1"], chunk_size=700)
    first = sweep(scenario, out=one, **options)
    second = sweep(scenario, out=two, workers=2, **options)
    assert one.read_bytes() == two.read_bytes()
    assert np.array_equal(first.outcome_codes, second.outcome_codes)
    in_memory = sweep(scenario, **{**options, "chunk_size": 3000})
    assert in_memory.outcomes() == first.outcomes()


def test_parquet_output(scenario, tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "t.parquet"
    result = sweep(scenario, grid=GRID, out=path, chunk_size=16)
    assert result.format == "parquet" and path.is_dir()
    assert sorted(p.name for p in path.iterdir()) == [f"part-{k:08d}.parquet" for k in range(result.n_chunks)]
    frame = read_table(path)
    import pandas

    assert pandas.read_parquet(path)["point"].tolist() == frame["point"].tolist()
    assert str(frame["omega"].dtype) == "float64" and str(frame["NATO: Deploy"].dtype) == "float64"
    assert len(frame) == result.n_rows
    memory = sweep(scenario, grid=GRID).table()
    for column in ("omega", "NATO: Deploy", "payoff Russia"):
        assert np.allclose(frame[column].to_numpy(), [float(v) for v in memory[column]])
    assert list(frame["classification"]) == list(memory["classification"])


def test_three_by_three_and_three_players_go_point_by_point_or_batch(tmp_path):
    text = '''schema = "negotiation.scenario/1"
id = "tiny3"
title = "Tiny 3x3"
kind = "normal-form"
[players]
Row = ["a", "b", "c"]
Column = ["x", "y", "z"]
[parameters.t]
default = 1
range = [0, 2]
description = "a parameter"
source = "test"
confidence = "assumption"
[payoffs]
"a, x" = ["t", "1"]
"a, y" = ["0", "0"]
"a, z" = ["1", "t"]
"b, x" = ["0", "1"]
"b, y" = ["t", "t"]
"b, z" = ["0", "0"]
"c, x" = ["1", "0"]
"c, y" = ["0", "1"]
"c, z" = ["2", "t"]
'''
    path = tmp_path / "tiny3.toml"
    path.write_text(text)
    scenario = ng.load(path)
    result = sweep(scenario, grid=["t=0:2:9"])
    frame = result.table()
    assert "classification" not in frame.columns
    _check_against_single_solver(scenario, frame, [{"t": F(k, 4)} for k in range(9)], classification=False)


def test_errors_are_one_line(scenario, tmp_path):
    cases = [
        (dict(), "give either a grid"),
        (dict(grid=["omega=0:1:3"], samples=10), "give either a grid"),
        (dict(samples=10), "needs at least one prior"),
        (dict(samples=0, priors={"omega": "uniform"}), "positive whole number"),
        (dict(grid=["omega=0:1:3"], values={"omega": 1}), "also swept"),
        (dict(grid=["omega=0:1:3"], values={"zeta": 1}), "unknown parameter"),
        (dict(grid=["omega=0:1:3"], chunk_size=0), "chunk size"),
        (dict(grid=["omega=0:1:3"], out=tmp_path / "x.csv", format="xlsx"), "expected csv or parquet"),
        (dict(grid=["W=0:20:3"]), "above the range"),
        (dict(grid=["W=0:10:3"], values={"L": 2}), "assumption 'L >= W' does not hold"),
        (dict(grid=["omega=0:1:3"], out=tmp_path / "missing" / "x.csv"), "does not exist"),
    ]
    for options, message in cases:
        with pytest.raises(ValueError, match=message) as error:
            sweep(scenario, **options)
        assert "\n" not in str(error.value)


def test_progress_bar_on_stderr_and_callback(scenario, capsys):
    calls = []
    sweep(scenario, grid=["omega=0:1:10"], chunk_size=3, progress=lambda *args: calls.append(args))
    assert calls[-1] == (4, 4, 10, 10) and [c[0] for c in calls] == [1, 2, 3, 4]
    sweep(scenario, grid=["omega=0:1:10"], chunk_size=3, progress=True)
    err = capsys.readouterr().err
    # tqdm's bar (the hand-written "sweep [###...]" bar is gone): points counted, with their rate
    assert "sweep security_dilemma" in err and "10/10 [" in err and "points/s" in err and err.endswith("\n")
    sweep(scenario, grid=["omega=0:1:10"], chunk_size=3)  # stderr is not a terminal here: no bar
    assert capsys.readouterr().err == ""
