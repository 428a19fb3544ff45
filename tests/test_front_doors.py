"""The front doors are total and say the same thing by every route.

* ``ng.solve(ng.load(name))`` returns a result for every bundled model (walked from the catalogue,
  so a new model is covered without editing this file), and ``negotiation solve NAME`` prints it;
* ``ng.solve(scenario, values=v)``, ``scenario.solve(v)`` and ``negotiation solve --set`` give the
  same result, or refuse with the same one-line message, for any values (property test);
* a path, a model kind a verb does not take, and an unknown method are refused in one line.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.cli import main
from negotiation.core.errors import NegotiationError
from negotiation.results.base import Result
from negotiation.scenario import bundled_models

BUNDLED = sorted(bundled_models())


@pytest.mark.parametrize("name", BUNDLED)
def test_solve_takes_every_bundled_model(name, capsys):
    result = ng.solve(ng.load(name))
    assert isinstance(result, Result) and result.method
    assert result.to_text().strip()
    assert main(["solve", name]) == 0
    out = capsys.readouterr().out
    assert out.strip() == result.to_text().strip()


def test_the_bundled_catalogue_is_what_the_readme_lists():
    assert len(BUNDLED) == 20  # issue 18: two cooperative games; issue 13: four mechanism scenarios and
    # force_posture_contest


# ---------------------------------------------------------------------- the same refusal by every route
def _route_python(scenario, values, method="auto"):
    return ng.solve(scenario, method=method, values=values)


def _route_method(scenario, values, method="auto"):
    return scenario.solve(values, method=method)


def _route_cli(name, values, capsys, method="auto"):
    argv = ["solve", name, "--format", "json", "--method", method]
    for key, value in values.items():
        argv += ["--set", f"{key}={value}"]
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _outcome(call):
    try:
        return "ok", json.dumps(call().to_dict(), sort_keys=True)
    except NegotiationError as error:
        return "refused", " ".join(str(error).split())


def _same_by_every_route(name, scenario, values, capsys, method="auto"):
    python = _outcome(lambda: _route_python(scenario, values, method))
    assert _outcome(lambda: _route_method(scenario, values, method)) == python
    code, out, err = _route_cli(name, values, capsys, method)
    if python[0] == "ok":
        assert code == 0 and json.dumps(json.loads(out), sort_keys=True) == python[1]
    else:
        assert code == 1 and out == "" and err == f"negotiation: error: {python[1]}\n"


#: Models quick enough to solve dozens of times; each kind of model is represented.
QUICK = ["security_dilemma", "security_dilemma_repeated", "nato_enlargement", "security_dilemma_bayesian",
         "reassurance_signal", "force_posture_cournot", "vienna_document_inspection"]


def _values(scenario):
    """Values for some of the parameters: inside, at the edge of or outside their ranges."""
    def value(parameter):
        low = parameter.low if parameter.low is not None else Fraction(-10)
        high = parameter.high if parameter.high is not None else Fraction(10)
        span = max(high - low, Fraction(1))
        start, step = low - span / 4, span * Fraction(3, 2) / 24  # 25 exact points from below to above the range
        return st.integers(0, 24).map(lambda k: start + k * step)

    names = list(scenario.parameters.names)
    if not names:
        return st.just({})
    return st.lists(st.sampled_from(names), max_size=3, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({n: value(scenario.parameters[n]) for n in chosen}))


@pytest.mark.parametrize("name", QUICK)
def test_values_are_resolved_once_and_refused_alike(name, capsys):
    scenario = ng.load(name)

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(_values(scenario))
    def check(values):
        _same_by_every_route(name, scenario, values, capsys)

    check()


def test_the_assumption_the_issue_names_is_refused_by_every_route(capsys):
    # security_dilemma assumes L >= W: at L = 0, W = 5 there is no answer, by any route
    scenario = ng.load("security_dilemma")
    _same_by_every_route("security_dilemma", scenario, {"L": Fraction(0), "W": Fraction(5)}, capsys)
    with pytest.raises(NegotiationError, match="assumption 'L >= W' does not hold"):
        ng.solve(scenario, values={"L": 0, "W": 5})


@pytest.mark.parametrize("values", [{"no_such_parameter": Fraction(1)}, {"omega": Fraction(3)}])
def test_unknown_and_out_of_range_values_are_refused_alike(values, capsys):
    _same_by_every_route("security_dilemma", ng.load("security_dilemma"), values, capsys)


def test_unknown_and_inapplicable_methods_are_refused_alike(capsys):
    _same_by_every_route("security_dilemma", ng.load("security_dilemma"), {}, capsys, method="magic")
    _same_by_every_route("reassurance_signal", ng.load("reassurance_signal"), {}, capsys,
                         method="vertex_enumeration")


# ---------------------------------------------------------------------- what the doors take
def test_methods_are_listed_per_kind_of_model():
    game = ng.load("security_dilemma")
    assert ng.solve.methods(game)[:3] == ("auto", "vertex_enumeration", "enumerate_pure")
    assert ng.solve.methods(ng.load("reassurance_signal")) == ("auto", "pure_pbe")
    assert "backward_induction" in ng.solve.methods(ng.load("nato_enlargement"))
    assert "first_order_conditions" in ng.solve.methods(ng.load("force_posture_cournot"))
    assert ng.solve.methods(game.game_at()) == ng.solve.methods(game)


def test_a_path_is_refused_with_a_pointer_to_load():
    with pytest.raises(NegotiationError, match=r"load it first, e.g. solve\(ng.load\('security_dilemma'\)\)"):
        ng.solve("security_dilemma")


def test_derive_refuses_a_kind_it_does_not_take_with_a_pointer():
    with pytest.raises(NegotiationError, match="derive does not apply to a bargaining model"):
        ng.derive(ng.load("infrastructure_limits"))


def test_solve_keeps_the_classic_game_label_of_the_scenario():
    scenario = ng.load("security_dilemma")
    assert ng.solve(scenario).details["classification"] == scenario.solve().details["classification"]
    assert ng.solve(scenario, values={"omega": "1/5"}).details["classification"].startswith("Stag Hunt")


# ---------------------------------------------------------------- declared families (imported on first use)

_FRESH_GAME = """
import sys
import negotiation as ng
result = ng.solve(ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
assert len(result) == 1, result
families = sorted(m for m in sys.modules if m.split(".")[:2] == ["negotiation", "solvers"]
                  and m.split(".")[-1] in {"bargaining", "bayesian", "continuous", "signaling", "tree"})
print(families, "sympy" in sys.modules)
"""

_FRESH_TREE = """
import negotiation as ng
from negotiation.models.tree import GameTree, decision, terminal
from negotiation.solvers.front_door import solve
tree = GameTree.from_nested(("NATO", "Russia"), decision("NATO", {
    "Admit": decision("Russia", {"Accept": terminal(2, -1), "Militarise": terminal(-1, -2)}),
    "Defer": terminal(0, 0)}))
print(solve.methods(tree)[:1], len(ng.solve(tree)))
"""


def _fresh(code: str) -> str:
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_solving_a_game_of_numbers_imports_no_other_family_and_no_sympy():
    """The other families are declared, not imported: a game of numbers is solved without them or sympy
    (about 0.3 s of start-up), which keeps one-off calls and the pygambit backends quick."""
    assert _fresh(_FRESH_GAME) == "[] False"


def test_a_declared_family_is_imported_when_its_first_model_arrives():
    assert _fresh(_FRESH_TREE) == "('auto',) 1"
