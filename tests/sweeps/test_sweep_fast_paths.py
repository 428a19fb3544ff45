"""The fast paths of the sweep engine write exactly what the reference paths write.

* CSV text assembled with Arrow kernels (``arrow_csv.encode_csv``) against the column table and its writer
  (``ChunkRows.build`` + ``ChunkTable.to_csv_bytes``), byte for byte;
* exact re-solves of degenerate points (``ExactSolver.solve``: Fraction evaluation of the payoffs,
  results shared between equal games) against ``scenario.solve``;
* Arrow arrays made from buffers, the first-appearance factorisation and the lambdified payoffs without
  sympy's numpy namespace, against ``pyarrow.array``, ``pandas.factorize`` and ``sympy.lambdify``.
"""

from fractions import Fraction as F

import numpy as np
import pytest

import negotiation as ng
from negotiation.sweeps import compiled as compiled_module
from negotiation.sweeps import exact as exact_module
from negotiation.sweeps import rows as rows_module
from negotiation.sweeps import runner as runner_module
from negotiation.sweeps import sweep
from negotiation.sweeps.plan import make_plan
from negotiation.sweeps.writers import arrow_numbers, arrow_strings, have_pyarrow

ARMS_3X3 = '''schema = "negotiation.scenario/1"
id = "arms_3x3_test"
title = "Arms race with a hedging option (test)"
kind = "normal-form"

[players]
A = ["Restrain", "Hedge", "Deploy"]
B = ["Restrain", "Hedge", "Deploy"]

[parameters.omega]
default = "1/2"
range = [0, 1]

[parameters.phi]
default = "1/4"
range = [0, 1]

[parameters.c]
default = 1
range = [0, 5]

[derived]
S = "-omega*10*(1 - phi)"

[payoffs]
"Restrain, Restrain" = ["0", "0"]
"Restrain, Hedge" = ["-2*omega*(1 - phi)", "3*omega - c/2"]
"Restrain, Deploy" = ["S", "4*omega - c"]
"Hedge, Restrain" = ["3*omega - c/2", "-2*omega*(1 - phi)"]
"Hedge, Hedge" = ["omega - c/2", "omega - c/2"]
"Hedge, Deploy" = ["S/2 - c/2", "2*omega - c"]
"Deploy, Restrain" = ["4*omega - c", "S"]
"Deploy, Hedge" = ["2*omega - c", "S/2 - c/2"]
"Deploy, Deploy" = ["-c - 2*omega", "-c - 2*omega"]
'''

pytestmark = pytest.mark.skipif(not have_pyarrow(), reason="the fast CSV path needs pyarrow")


@pytest.fixture(scope="module")
def arms(tmp_path_factory):
    path = tmp_path_factory.mktemp("arms") / "arms_3x3_test.toml"
    path.write_text(ARMS_3X3, encoding="utf-8")
    return ng.load(path)


CASES = {
    # ties (omega = 1/4, P = S), omega = 0 and phi = 1 edges: degenerate points solved exactly
    "security grid with ties": ("security_dilemma", dict(grid=["omega=0:1:9", "phi=0:1:9"], chunk_size=7)),
    "security grid, fixed values": ("security_dilemma", dict(grid=["omega=0:1:41", "phi=1/3:2/3:3"],
                                                             values={"k": "1/2"}, chunk_size=50)),
    "security samples": ("security_dilemma", dict(samples=3000, seed=3, priors=["omega=beta:2:5", "phi=uniform:0:1"],
                                                  chunk_size=700)),
    "3x3 grid with degenerate edges": ("arms", dict(grid=["omega=0:1:13", "phi=0:1:11", "c=0:5:4"], chunk_size=150)),
    "3x3 samples": ("arms", dict(samples=600, seed=1, priors=["omega=uniform:0:1", "phi=uniform:0:1"])),
}


@pytest.mark.parametrize("name", list(CASES))
def test_arrow_csv_is_byte_identical_to_the_table_writer(name, arms, tmp_path, monkeypatch):
    model, options = CASES[name]
    scenario = arms if model == "arms" else ng.load(model)
    fast = sweep(scenario, out=tmp_path / "fast.csv", progress=False, **options)
    monkeypatch.setattr(compiled_module, "FAST_CSV_POINTS", -1)  # every chunk through ChunkTable.to_csv_bytes
    runner_module._COMPILED.clear()
    reference = sweep(scenario, out=tmp_path / "reference.csv", progress=False, **options)
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "reference.csv").read_bytes()
    assert fast.n_rows == reference.n_rows
    assert fast.outcome_labels == reference.outcome_labels
    assert np.array_equal(fast.outcome_codes, reference.outcome_codes)
    if fast.class_codes is not None:
        assert fast.class_labels == reference.class_labels
        assert np.array_equal(fast.class_codes, reference.class_codes)


def _rows_of(result):
    components = [record["component"] for record in result.to_records()]
    rows = [(e.kind, components[k], [p for v in e.profile.probabilities for p in v], list(e.payoffs))
            for k, e in enumerate(result.equilibria)]
    return rows, (result.details or {}).get("classification")


@pytest.mark.parametrize("model", ["security_dilemma", "arms"])
def test_exact_solve_matches_scenario_solve(model, arms):
    scenario = arms if model == "arms" else ng.load(model)
    names = list(scenario.parameters.names)
    plan = make_plan(scenario, [f"{names[0]}=0:1:5"], None, 0, None, None, None, 64, None)
    compiled = compiled_module.CompiledGame(plan)
    assert compiled.exact.functions() is not None  # rational payoffs: the Fraction path is used
    points = [{names[0]: F(0), names[1]: F(1)}, {names[0]: F(1, 4), names[1]: F(1, 3)},
              {names[0]: F(1, 2), names[1]: F(3, 5)}, {names[0]: F(1, 3), names[1]: F(1)},
              {names[0]: F(0), names[1]: F(1, 7)}, {names[0]: F(2, 3), names[1]: F(0)}]
    for point in points + points:  # the second round comes from the cache
        fast, reference = compiled.exact_solve(point), scenario.solve(point)
        assert _rows_of(fast) == _rows_of(reference), point
        for equilibrium in fast.equilibria:
            assert all(type(p) is F for v in equilibrium.profile.probabilities for p in v)


def test_fraction_functions_agree_with_sympy():
    import sympy

    x, y = sympy.symbols("x y")
    index = {x: 0, y: 1}
    expressions = [x * (1 - y) / 3 - sympy.Rational(5, 7), (x - y) ** 3 / (2 + y) ** 2, sympy.Integer(4), -x, x / y]
    for expression in expressions:
        function = exact_module.fraction_function(expression, index)
        for values in ([F(1, 2), F(-3, 4)], [F(0), F(5)], [F(7, 3), F(1, 9)]):
            expected = expression.xreplace({x: sympy.Rational(values[0].numerator, values[0].denominator),
                                            y: sympy.Rational(values[1].numerator, values[1].denominator)})
            assert function(values) == F(int(expected.p), int(expected.q))
    for expression in (sympy.sqrt(x), sympy.Float(0.5) * x, sympy.exp(x), x ** sympy.Rational(1, 2)):
        with pytest.raises(ValueError):
            exact_module.fraction_function(expression, index)


def test_arrow_arrays_from_buffers_equal_pyarrow_array():
    import pyarrow as pa

    values = np.array([0.5, -0.0, 1e-7, 3.0, np.pi])
    mask = np.array([False, True, False, False, True])
    assert arrow_numbers(values).equals(pa.array(values))
    assert arrow_numbers(values, mask=mask).equals(pa.array(values, mask=mask))
    assert arrow_numbers(values, mask=mask).null_count == 2
    whole = np.arange(-3, 70, dtype=np.int64)
    big_mask = whole % 3 == 0
    assert arrow_numbers(whole, mask=big_mask).equals(pa.array(whole, mask=big_mask))
    labels = ["", "a", "Prisoner's Dilemma", "ü,é", "1/2"]
    assert arrow_strings(labels).equals(pa.array(labels, type=pa.string()))
    assert arrow_strings([]).equals(pa.array([], type=pa.string()))


def test_factorize_matches_pandas():
    import pandas

    rng = np.random.default_rng(5)
    for keys in (rng.integers(0, 7, 500), rng.integers(-5, 1 << 40, 300), np.array([3, 3, 1, 3, 2]),
                 rng.integers(0, 1000, 5000), np.zeros(0, dtype=np.int64)):
        codes, uniques = rows_module.factorize(np.asarray(keys, dtype=np.int64))
        expected_codes, expected_uniques = pandas.factorize(np.asarray(keys, dtype=np.int64))
        assert np.array_equal(codes, expected_codes)
        assert np.array_equal(np.asarray(uniques), np.asarray(expected_uniques))


def test_lambdify_without_namespace_import_computes_the_same_floats():
    import sympy

    x, y = sympy.symbols("x y")
    rng = np.random.default_rng(2)
    a, b = rng.uniform(-3, 3, 1000), rng.uniform(0.1, 3, 1000)
    expressions = [-x * 10 * (1 - y) + sympy.Rational(1, 3) * x, x / y - y ** 2, sympy.sqrt(y) * sympy.exp(x),
                   sympy.Abs(x) - sympy.Max(x, y), sympy.And(x >= 0, y <= 1), sympy.Piecewise((x, x > 0), (y, True))]
    for expression in expressions:
        fast = compiled_module.lambdify_numpy([x, y], expression)
        reference = sympy.lambdify([x, y], expression, modules="numpy")
        assert np.array_equal(np.asarray(fast(a, b)), np.asarray(reference(a, b)))
