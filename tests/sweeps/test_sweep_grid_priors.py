"""Grids (exact axes, order, chunks) and priors (parsing, bounds, determinism across chunking)."""

from fractions import Fraction as F

import numpy as np
import pytest

import negotiation as ng
from negotiation.sweeps import SAMPLE_BLOCK, Grid, Prior, parse_axis, parse_prior, sample_points
from negotiation.core.priors import resolve_priors
from negotiation.sweeps.writers import format_float, format_floats, have_pyarrow


@pytest.fixture(scope="module")
def scenario():
    return ng.load("security_dilemma")


# ---------------------------------------------------------------------- grids
def test_axis_is_an_exact_linspace_and_reads_decimals_exactly():
    assert parse_axis("omega=0:1/2:5").values == (F(0), F(1, 8), F(1, 4), F(3, 8), F(1, 2))
    assert parse_axis("phi=0.2:0.3:2").values == (F(1, 5), F(3, 10))
    assert parse_axis("k=-1:1:3").values == (F(-1), F(0), F(1))
    assert parse_axis("k=2").values == (F(2),)


@pytest.mark.parametrize("text, message", [
    ("omega", "expected NAME=START:STOP:NUM"),
    ("omega=0:1", "expected NAME=START:STOP:NUM"),
    ("omega=0:1:x", "NUM must be a whole number"),
    ("omega=0:1:0", "NUM must be a positive whole number"),
    ("omega=a:1:3", "'a' is not a number"),
    ("omega=0:1:1", "NUM = 1 needs START = STOP"),
])
def test_bad_axes_give_one_line_errors(text, message):
    with pytest.raises(ValueError, match=message) as error:
        parse_axis(text)
    assert "\n" not in str(error.value)


def test_grid_order_is_first_axis_slowest_and_chunks_are_fixed():
    grid = Grid(["omega=0:1:3", "phi=0:1:2"])
    points = [(p["omega"], p["phi"]) for p in grid.points()]
    assert points == [(F(0), F(0)), (F(0), F(1)), (F(1, 2), F(0)), (F(1, 2), F(1)), (F(1), F(0)), (F(1), F(1))]
    assert list(grid.chunks(4)) == [(0, 4), (4, 6)]
    for start, stop in [(0, 6), (1, 4), (5, 6)]:
        indices = grid.indices(start, stop)
        assert [(grid.axes[0].values[i], grid.axes[1].values[j]) for i, j in zip(*indices)] == points[start:stop]


def test_grid_from_mapping_and_checks(scenario):
    grid = Grid({"omega": ("0", "1/2", 3), "phi": [0, 0.5]})
    assert grid.shape == (3, 2) and grid["phi"].values == (F(0), F(1, 2))
    with pytest.raises(ValueError, match="unknown parameter"):
        Grid(["zeta=0:1:2"]).check(scenario.parameters)
    with pytest.raises(ValueError, match="above the range"):
        Grid(["omega=0:2:3"]).check(scenario.parameters)
    with pytest.raises(ValueError, match="given twice"):
        Grid(["omega=0:1:2", "omega=0:1:3"])


# ---------------------------------------------------------------------- priors
def test_prior_specs(scenario):
    omega = scenario.parameters["omega"]
    assert parse_prior("beta:2:5").bind(omega) == Prior("beta", (2.0, 5.0), 0.0, 1.0)
    assert parse_prior("uniform:0:1/2").bind(omega) == Prior("uniform", (), 0.0, 0.5)
    assert parse_prior("normal:0.5:0.1").bind(omega).low == 0.0
    assert parse_prior("triangular:0:1/4:1/2") == Prior("triangular", (0.25,), 0.0, 0.5)
    for spec, message in [("gamma:2", "unknown prior"), ("beta:2", "expected beta:A:B"),
                          ("uniform:0:2", "above the range"), ("normal:0:-1", "positive standard deviation"),
                          ("beta:0:1", "positive shape"), ("triangular:2", "outside")]:
        with pytest.raises(ValueError, match=message):
            parse_prior(spec, name="omega").bind(omega)
    with pytest.raises(ValueError, match="unknown parameter"):
        resolve_priors(["zeta=uniform"], scenario.parameters)
    with pytest.raises(ValueError, match="expected NAME=FAMILY:ARGS"):
        resolve_priors(["uniform"], scenario.parameters)


def test_draws_stay_in_bounds_and_have_the_right_mean(scenario):
    priors = resolve_priors({"omega": "beta:2:5", "phi": "normal:0.9:0.3", "k": "triangular:1:2:6",
                             "G": "uniform:3:5"}, scenario.parameters)
    draws = sample_points(priors, 3, 0, 20_000)
    for name, prior in priors.items():
        values = draws[name]
        assert values.min() >= prior.low and values.max() <= prior.high
        assert abs(values.mean() - prior.mean()) < 4 * values.std() / np.sqrt(values.size)


@pytest.mark.parametrize("chunk", [13, 1000, SAMPLE_BLOCK, SAMPLE_BLOCK + 1])
def test_same_seed_same_samples_whatever_the_chunking(scenario, chunk):
    priors = resolve_priors({"omega": "beta:2:5", "phi": "normal:0.5:0.2"}, scenario.parameters)
    n = 2 * SAMPLE_BLOCK + 123
    whole = sample_points(priors, 11, 0, n)
    parts = [sample_points(priors, 11, start, min(start + chunk, n)) for start in range(0, n, chunk)]
    for name in priors:
        assert np.array_equal(whole[name], np.concatenate([p[name] for p in parts]))
    other = sample_points(priors, 12, 0, n)
    assert not np.array_equal(whole["omega"], other["omega"])


def test_block_seeding_is_the_spawned_seed_sequence(scenario):
    priors = resolve_priors({"omega": "uniform"}, scenario.parameters)
    children = np.random.SeedSequence(5).spawn(2)
    expected = np.random.default_rng(children[1]).uniform(0.0, 1.0, SAMPLE_BLOCK)
    draws = sample_points(priors, 5, SAMPLE_BLOCK, 2 * SAMPLE_BLOCK)["omega"]
    assert np.array_equal(draws, expected)


# ---------------------------------------------------------------------- number text
def test_float_text_is_the_same_with_and_without_pyarrow():
    rng = np.random.default_rng(0)
    values = np.concatenate([
        rng.normal(size=2000), rng.normal(size=2000) * 1e-7, rng.normal(size=2000) * 1e12,
        [0.0, 1.0, -1.0, 0.1 + 0.2, 1e-6, 1e-7, 1e9, 1e10, 5e-324, 1.7976931348623157e308, 123456789.0, 2.0 ** 53],
        10.0 ** np.arange(-12, 22), 1.5 * 10.0 ** np.arange(-12, 22),
    ])
    python = [format_float(v) for v in values]
    assert all(float(text) == value for text, value in zip(python, values))
    if have_pyarrow():
        assert format_floats(values) == python
