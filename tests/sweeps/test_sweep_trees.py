"""Sweeps of extensive-form scenarios: point by point, equal to ``scenario.solve`` at every point."""

import math
from fractions import Fraction

import numpy as np
import pytest

import negotiation as ng
from negotiation.sweeps import read_table, sweep
from negotiation.sweeps import NO_EQUILIBRIUM, point_outcomes

GRID = {"l": [Fraction(k, 10) for k in range(11)] + [Fraction(3, 4)], "k": (0, 6, 7)}
PARAMETERS = ["m", "t", "k", "c", "l"]


@pytest.fixture(scope="module")
def scenario():
    return ng.load("nato_enlargement")


@pytest.fixture(scope="module")
def swept(scenario):
    return sweep(scenario, grid=GRID)


def _points(result):
    ls = result.parameter_values("l", exact=True)
    ks = result.parameter_values("k", exact=True)
    return [{"l": l, "k": k} for l, k in zip(ls, ks)]


def _expected_rows(scenario, values):
    """Independent reference: the single solver's equilibria at ``values``, as table rows."""
    result = scenario.solve(values)
    tree = result.tree
    rows = []
    for number, equilibrium in enumerate(result.equilibria, start=1):
        row = dict(result.parameters)
        row["equilibrium"] = number
        row["kind"] = equilibrium.kind
        for player, sets in equilibrium.profile.to_dict().items():
            for label, mix in sets.items():
                for action, probability in mix.items():
                    row[f"{player}: {label}: {action}"] = Fraction(probability)
        for player, payoff in zip(tree.players, equilibrium.payoffs):
            row[f"payoff {player}"] = payoff
        assert len(equilibrium.outcomes) == 1
        row["outcome"] = "/".join(equilibrium.outcomes[0][0])
        rows.append(row)
    labels = list(dict.fromkeys(e.path_text() for e in result.equilibria))
    return rows, "; ".join(labels)


def test_columns_follow_the_tree(scenario, swept):
    tree = scenario.game
    actions = [f"{tree.players[tree.information_set_player[k]]}: {label}: {action}"
               for k, label in enumerate(tree.information_set_labels)
               for action in tree.information_set_actions[k]]
    expected = ["point", *PARAMETERS, "equilibrium", "kind", *actions, "payoff NATO", "payoff Russia", "outcome"]
    assert swept.columns == expected
    # the table adds the exact text of a parameter a float rounds (l = 1/11, ...) right after it (issue 15)
    assert [c for c in swept.table().columns if not c.endswith("_exact")] == expected
    assert "NATO: root: Admit with limits" in expected and "Russia: Admit with limits: Accept" in expected


def test_every_point_equals_the_single_solver(scenario, swept):
    table = swept.table()
    points = _points(swept)
    assert len(points) == 12 * 7 == swept.n_points
    labels = swept.outcomes()
    n_rows = 0
    for index, values in enumerate(points):
        rows, label = _expected_rows(scenario, values)
        got = table[table["point"] == index]
        assert len(got) == len(rows)
        for (_, row), want in zip(got.iterrows(), rows):
            for name, value in want.items():
                assert row[name] == value or row[name] == float(value), (index, name)
                if isinstance(value, Fraction) and name in PARAMETERS:
                    assert isinstance(row[name], float)  # numbers as numbers (issue 15) ...
                    if Fraction(row[name]) != value:  # ... and the exact value beside a float that rounds it
                        assert Fraction(row[name + "_exact"]) == value, (index, name)
        assert labels[index] == label
        n_rows += len(rows)
    assert swept.n_rows == n_rows == len(table)


def test_tie_point_has_two_subgame_perfect_equilibria(scenario, swept):
    table = swept.table()
    at = table[(table["l"] == Fraction(3, 4)) & (table["k"] == 3)]
    assert list(at["equilibrium"]) == [1, 2]
    assert list(at["outcome"]) == ["Admit/Militarise", "Admit with limits/Accept"]
    assert list(at["payoff Russia"]) == [Fraction(-3), Fraction(-5, 4)]
    assert str(at["payoff Russia"].dtype) == "float64"  # numbers as numbers (issue 15)
    point = int(at["point"].iloc[0])
    assert swept.outcomes()[point] == "Admit → Militarise; Admit with limits → Accept"
    assert len(scenario.solve({"l": Fraction(3, 4)}).equilibria) == 2


def test_summary_and_categories_are_outcome_sets(swept):
    codes, labels = swept.categories()
    assert "Admit with limits → Accept" in labels
    summary = swept.summary_table()
    assert len(summary) >= len(labels)
    with pytest.raises(ValueError):
        swept.categories("classification")


def test_csv_exact_and_read_back(scenario, swept, tmp_path):
    path = tmp_path / "nato.csv"
    result = sweep(scenario, grid=GRID, out=path)
    text = path.read_text()
    assert text.splitlines()[0].split(",")[-1] == "outcome"
    # numbers as numbers (issue 15): l = 3/4 and a payoff of -5/4 as the floats they are
    assert ",0.75," in text and "-1.25" in text and ",3/4," not in text and "-5/4" not in text
    back = read_table(path)
    memory = swept.table()
    memory = memory[[c for c in memory.columns if not c.endswith("_exact")]]  # grid values come from the grid
    assert list(back.columns) == list(memory.columns)
    for name in back.columns:
        assert back[name].tolist() == memory[name].tolist(), name
    assert result.outcomes() == swept.outcomes()
    points, outcomes, classes = point_outcomes(read_table(path, exact=False), [], [])
    assert points.tolist() == list(range(result.n_points)) and outcomes == result.outcomes() and classes is None


@pytest.mark.parametrize("chunk_size", [1, 5, 13, 1000])
def test_chunk_size_does_not_change_the_file(scenario, tmp_path, chunk_size):
    reference = tmp_path / "whole.csv"
    sweep(scenario, grid=GRID, out=reference, chunk_size=10**6)
    path = tmp_path / f"c{chunk_size}.csv"
    result = sweep(scenario, grid=GRID, out=path, chunk_size=chunk_size)
    assert path.read_bytes() == reference.read_bytes()
    assert result.n_chunks == -(-result.n_points // chunk_size)


class Stop(Exception):
    pass


def test_resume_gives_the_same_file_and_outcomes(scenario, tmp_path):
    options = dict(grid=GRID, chunk_size=7)
    reference = tmp_path / "whole.csv"
    whole = sweep(scenario, out=reference, **options)
    path = tmp_path / "t.csv"

    def stop(done, total, points, n_points):
        if done >= 3:
            raise Stop

    with pytest.raises(Stop):
        sweep(scenario, out=path, progress=stop, **options)
    with open(path, "ab") as handle:
        handle.write(b"21,4,5,0,10,3/10,1,pu")  # half-written chunk
    result = sweep(scenario, out=path, resume=True, **options)
    assert result.resumed_chunks == 3
    assert path.read_bytes() == reference.read_bytes()
    assert result.outcomes() == whole.outcomes() and result.n_rows == whole.n_rows
    with pytest.raises(ValueError, match="different settings"):
        sweep(scenario, out=path, resume=True, grid=GRID, chunk_size=8)


def test_workers_and_parquet(scenario, tmp_path):
    reference = tmp_path / "whole.csv"
    whole = sweep(scenario, grid=GRID, out=reference)
    path = tmp_path / "w.csv"
    result = sweep(scenario, grid=GRID, out=path, chunk_size=10, workers=2)
    assert path.read_bytes() == reference.read_bytes() and result.outcomes() == whole.outcomes()
    pytest.importorskip("pyarrow")
    folder = tmp_path / "nato.parquet"
    sweep(scenario, grid=GRID, out=folder, chunk_size=20)
    frame = read_table(folder)
    assert len(frame) == whole.n_rows
    assert list(frame["outcome"].astype(str)) == list(read_table(reference)["outcome"])
    np.testing.assert_allclose(frame["payoff Russia"].astype(float),
                               [float(v) for v in read_table(reference)["payoff Russia"]])


def test_samples_use_float_points(scenario):
    result = sweep(scenario, samples=20, priors=["l=uniform:0:1"], seed=3)
    table = result.table()
    assert result.n_points == 20 and len(table) == result.n_rows >= 20
    for index, l in enumerate(result.parameter_values("l")):
        expected = scenario.solve({"l": float(l)})
        assert len(table[table["point"] == index]) == len(expected.equilibria)
    assert NO_EQUILIBRIUM not in result.outcome_labels


def test_map_of_a_tree_sweep(scenario, swept, tmp_path):
    pytest.importorskip("matplotlib")
    figure = swept.map("l", "k")
    assert figure is not None
    path = tmp_path / "nato.csv"
    sweep(scenario, grid=GRID, out=path)
    from negotiation.report.maps import map_categories

    xs, ys, codes, labels = map_categories(path, "l", "k")
    assert set(labels) == set(swept.outcome_labels)


def test_cli_sweep_of_a_tree(tmp_path, capsys):
    from negotiation.cli import main

    out, summary = tmp_path / "X.csv", tmp_path / "S.md"
    code = main(["sweep", "nato_enlargement", "--grid", "l=0:1:11", "--out", str(out), "--summary", str(summary)])
    assert code == 0
    assert out.exists() and "Admit with limits → Accept" in summary.read_text()
    assert "Wrote" in capsys.readouterr().out


def test_bargaining_is_still_rejected():
    scenario = ng.load("infrastructure_limits")
    assert scenario.kind == "bargaining"
    with pytest.raises(ValueError, match="bargaining"):
        sweep(scenario, grid=["x=0:1:2"])


def test_points_without_equilibria_get_a_blank_row(scenario, monkeypatch, tmp_path):
    from negotiation.scenario.tree import TreeScenario
    from negotiation.results.tree import TreeSolveResult

    original = TreeScenario.solve

    def solve(self, values=None, **options):
        result = original(self, values, **options)
        if values and values.get("l") == 0:
            return TreeSolveResult(result.tree, (), result.method, True, False, parameters=result.parameters)
        return result

    monkeypatch.setattr(TreeScenario, "solve", solve)
    path = tmp_path / "none.csv"
    result = sweep(scenario, grid=["l=0:1:3"], out=path, chunk_size=2)
    table = read_table(path)
    first = table[table["point"] == 0]
    assert len(first) == 1 and first["kind"].tolist() == ["none"]
    assert first["outcome"].tolist() == [""] and math.isnan(first["payoff NATO"].iloc[0])
    line = path.read_text().splitlines()[1]
    assert line == "0,4,5,3,10,0,,none" + "," * 15  # blank equilibrium, 12 probabilities, 2 payoffs, outcome
    assert result.outcomes()[0] == NO_EQUILIBRIUM
    assert point_outcomes(read_table(path, exact=False), [], [])[1] == result.outcomes()
