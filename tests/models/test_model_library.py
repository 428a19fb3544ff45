"""Every bundled model: documented parameters with sources, and solvable over its documented ranges."""

import time
from fractions import Fraction

import pytest

import negotiation as ng
from negotiation.core.parameters import CONFIDENCE_TAGS
from negotiation.scenario import bundled_models
from negotiation.scenario.model import ScenarioError

MODELS = sorted(bundled_models())


@pytest.mark.parametrize("name", MODELS)
def test_every_parameter_is_documented_with_a_source_and_a_confidence_tag(name):
    scenario = ng.load(name)
    assert scenario.description.strip() and scenario.title.strip()
    for parameter in scenario.parameters.parameters:
        where = f"{name}: {parameter.name}"
        assert parameter.description.strip(), where
        assert parameter.source.strip(), where
        assert parameter.confidence in CONFIDENCE_TAGS, where
        assert parameter.default is not None, where
        assert parameter.low is not None and parameter.high is not None, where
        assert parameter.low <= parameter.default <= parameter.high, where


@pytest.mark.parametrize("name", MODELS)
def test_every_model_is_documented_in_models_readme(name):
    readme = (ng.scenario.models_directory() / "README.md").read_text(encoding="utf-8")
    assert f"`{name}.toml`" in readme, f"models/README.md has no section on {name}.toml"


def _solve(scenario, values):
    if scenario.kind == "bargaining":
        return scenario.bargain(values)
    return scenario.solve(values)


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_solves_at_both_ends_of_every_documented_range(name):
    # Each parameter at the low and the high end of its range, the others at their defaults: the model
    # either solves or rejects the point with a one-line ScenarioError naming the assumption it breaks.
    scenario = ng.load(name)
    started = time.perf_counter()
    solved = rejected = 0
    for parameter in scenario.parameters.parameters:
        for end in (parameter.low, parameter.high):
            if end == parameter.default:
                continue
            try:
                result = _solve(scenario, {parameter.name: Fraction(end)})
            except ScenarioError as error:
                assert "\n" not in str(error)
                rejected += 1
                continue
            assert result is not None
            solved += 1
        if time.perf_counter() - started > 60:  # the slow numeric bargaining models: enough points tried
            break
    assert solved >= 1
