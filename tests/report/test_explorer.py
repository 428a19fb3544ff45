"""The explorer: the pure function explore(), slider specs, and the ipywidgets UI.

Expected values come from an independent path -- the scenario's numeric game at the
same values solved by ``ng.solve`` (or the tree solver / ``bargain`` directly) -- and
from hand computations shown in the comments.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.core.parameters import Parameter, ParameterSpace
from negotiation.scenario import bundled_models
from negotiation.report.explorer import (EQUILIBRIA_TABLE_CLASS, ExplorerError, SliderSpec, explore, plot_state,
                                         slider_specs, snap_to_slider)
from negotiation.scenario import ScenarioError

F = Fraction


@pytest.fixture(scope="module")
def dilemma():
    return ng.load("security_dilemma")


# ---------------------------------------------------------------------- helpers
def parse_mix(cell: str) -> dict:
    """'1/3 Restrain + 2/3 Deploy' -> {'Restrain': 1/3, 'Deploy': 2/3}; 'Deploy' -> {'Deploy': 1}."""
    mix = {}
    for part in cell.split(" + "):
        head, _, tail = part.partition(" ")
        try:
            mix[tail] = Fraction(head)
        except ValueError:
            mix[part] = Fraction(1)
    return mix


def table_equilibria(header, rows, players):
    """The equilibria shown in a table, as a set of (mix per player, payoffs) keys."""
    shown = set()
    for row in rows:
        cells = dict(zip(header, row))
        mixes = tuple(tuple(sorted(parse_mix(cells[p]).items())) for p in players)
        payoffs = tuple(Fraction(cells[f"payoff {p}"]) for p in players)
        shown.add((mixes, payoffs))
    return shown


def solver_equilibria(result, players):
    """The same keys computed from ng.solve's result (support only, exact)."""
    expected = set()
    for equilibrium in result.equilibria:
        mixes = tuple(tuple(sorted((s, p) for s, p in equilibrium[player].items() if p > 0)) for player in players)
        expected.add((mixes, tuple(equilibrium.payoffs)))
    return expected


class _TableReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.rows, self._row, self._cell = [], [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(dict(attrs))
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr":
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def read_table(markup: str):
    reader = _TableReader()
    reader.feed(markup)
    return reader.tables, reader.rows


# ---------------------------------------------------------------------- normal form
@pytest.mark.parametrize("values", [{}, {"omega": "1/5"}, {"omega": "1/10"}, {"phi": "4/5"}, {"v": 3},
                                    {"omega": "1/4"}])
def test_security_dilemma_matches_solve(dilemma, values):
    state = explore(dilemma, values, map_resolution=0)
    game = dilemma.game_at(values)
    expected = ng.solve(game)
    players = game.players
    assert table_equilibria(state.equilibria_header, state.equilibria_rows, players) == \
        solver_equilibria(expected, players)
    assert len(state.records) == len(expected.equilibria)
    assert state.values == dict(game.values)
    assert "exact" in state.summary and "complete" in state.summary


def test_security_dilemma_hand_values(dilemma):
    # models/README.md, security_dilemma (issue 13): R = 0, T = v*G*w*(1 - phi*(1 - w)) - k,
    # S = -wL(1 - phi), P = -k - wW. Defaults (w=1/2, phi=1/4, k=1, G=4, L=10, W=2, v=1):
    # T = 4*(1/2)*(7/8) - 1 = 3/4, S = -15/4, P = -2: a Prisoner's Dilemma with the unique equilibrium
    # (Deploy, Deploy), payoffs (-2, -2).
    state = explore(dilemma)
    assert state.equilibria_rows == (("1", "pure", "Deploy", "Deploy", "-2", "-2"),)
    assert "Prisoner's Dilemma" in state.summary
    # w = 1/5: T = 4*(1/5)*(1 - (1/4)*(4/5)) - 1 = 16/25 - 1 = -9/25, S = -3/2, P = -7/5 -> Stag Hunt;
    # the mixed equilibrium restrains with probability (P - S)/((R - T) + (P - S)) = (1/10)/(9/25 + 1/10)
    # = 5/23; its payoff is that of Restrain against the mix: 5/23*R + 18/23*S = 18/23 * (-3/2) = -27/23.
    state = explore(dilemma, {"omega": "1/5"})
    players = ("NATO", "Russia")
    shown = table_equilibria(state.equilibria_header, state.equilibria_rows, players)
    mixed = ((("Deploy", F(18, 23)), ("Restrain", F(5, 23))),) * 2
    assert (mixed, (F(-27, 23), F(-27, 23))) in shown
    assert ((((("Restrain", F(1)),),) * 2), (F(0), F(0))) in shown
    assert ((((("Deploy", F(1)),),) * 2), (F(-7, 5), F(-7, 5))) in shown
    assert "Stag Hunt" in state.summary
    # the payoff table at these values: cell (Restrain, Deploy) = (S, T) = (-3/2, -9/25)
    assert "-3/2, -9/25" in state.model_text
    assert "<table>" in state.model_html and "| Restrain |" in state.model_markdown


@settings(max_examples=12, deadline=None)
@given(omega=st.integers(0, 100), phi=st.integers(0, 100))
def test_property_explore_agrees_with_solve_on_the_slider_grid(omega, phi):
    scenario = ng.load("security_dilemma")
    values = {"omega": F(omega, 100), "phi": F(phi, 100)}
    state = explore(scenario, values, map_resolution=0)
    game = scenario.game_at(values)
    assert table_equilibria(state.equilibria_header, state.equilibria_rows, game.players) == \
        solver_equilibria(ng.solve(game), game.players)


def test_equilibria_html_is_a_stable_hook(dilemma):
    state = explore(dilemma, {"omega": "1/5"}, map_resolution=0)
    tables, rows = read_table(state.equilibria_html)
    assert tables[0]["class"] == EQUILIBRIA_TABLE_CLASS
    assert tables[0]["data-scenario"] == "security_dilemma"
    assert tables[0]["data-values"] == "omega=1/5,phi=1/4,k=1,G=4,L=10,W=2,v=1"
    assert tuple(rows[0]) == state.equilibria_header
    assert tuple(tuple(r) for r in rows[1:]) == state.equilibria_rows


def test_map_over_two_parameters_marks_the_current_point(dilemma):
    cache = {}
    state = explore(dilemma, {"omega": "1/5"}, cache=cache)
    assert (state.map.x, state.map.y, state.map.by) == ("omega", "phi", "classification")
    assert state.map.point == (F(1, 5), F(1, 4))
    sweep = state.map.sweep
    xs, ys = sweep.parameter_values("omega", exact=True), sweep.parameter_values("phi", exact=True)
    assert len(xs) == 41 * 41
    classes = sweep.classifications()
    # On the 41-point grid (step 1/40), w = 1/5 = 8/40 and phi = 1/4 = 10/40 are grid points.
    # README (models): between w = 2/11 and 1/4 the game is a Stag Hunt; below 2/11 Harmony.
    here = [c for c, x, y in zip(classes, xs, ys) if x == F(1, 5) and y == F(1, 4)]
    assert here == ["Stag Hunt"]
    low = [c for c, x, y in zip(classes, xs, ys) if x == F(1, 10) and y == F(1, 4)]
    assert low == ["Harmony"]
    # moving only a map parameter reuses the sweep; moving another parameter does not
    again = explore(dilemma, {"omega": "1/2", "phi": "3/5"}, cache=cache)
    assert again.map.sweep is sweep and again.map.point == (F(1, 2), F(3, 5))
    other = explore(dilemma, {"k": 2}, cache=cache)
    assert other.map.sweep is not sweep
    figure = state.map.plot()
    assert figure.axes[0].get_xlabel().startswith("omega")
    import matplotlib.pyplot as plt

    plt.close(figure)


def test_map_axes_and_errors(dilemma):
    state = explore(dilemma, map_axes=("v", "k"), map_by="equilibria", map_resolution=5)
    assert (state.map.x, state.map.y, state.map.by) == ("v", "k", "equilibria")
    assert state.map.sweep.n_points == 25
    with pytest.raises(ExplorerError, match="map axis 'nope': not a parameter"):
        explore(dilemma, map_axes=("omega", "nope"))
    with pytest.raises(ExplorerError, match="x and y are both 'omega'"):
        explore(dilemma, map_axes=("omega", "omega"))
    with pytest.raises(ExplorerError, match="map_resolution 1: expected 0"):
        explore(dilemma, map_resolution=1)
    with pytest.raises(ScenarioError, match="parameter omega: 2 is above the range"):
        explore(dilemma, {"omega": 2})
    with pytest.raises(ScenarioError, match="assumption 'L >= W'"):
        explore(dilemma, {"L": 1})


# ---------------------------------------------------------------------- sliders
@pytest.mark.parametrize("name", ["security_dilemma", "nato_enlargement", "infrastructure_limits"])
def test_slider_specs_match_the_ranges(name):
    scenario = ng.load(name)
    specs = slider_specs(scenario)
    assert [s.name for s in specs] == list(scenario.parameters.names)
    for spec, parameter in zip(specs, scenario.parameters):
        assert (spec.low, spec.high, spec.default) == (parameter.low, parameter.high, parameter.default)
        assert (spec.description, spec.unit) == (parameter.description, parameter.unit)
        steps = (spec.high - spec.low) / spec.step
        assert steps.denominator == 1 and 50 <= steps <= 1000
        assert ((spec.default - spec.low) / spec.step).denominator == 1  # the default is on the grid


def test_slider_steps_by_hand():
    specs = {s.name: s for s in slider_specs(ng.load("infrastructure_limits"))}
    # [0, 1]: 1/100; [0, 10]: 1/10; [0, 20]: 20/100 = 1/5; [0, 5]: 5/100 = 1/20;
    # alpha in [1/100, 99/100]: 98/100/100 = 0.0098 -> largest round step below is 0.005 = 1/200,
    # and the default 1/2 = 1/100 + 98 * 1/200 lies on that grid.
    assert specs["omega"].step == F(1, 100)
    assert specs["k"].step == F(1, 10)
    assert specs["G"].step == F(1, 5)
    assert specs["c_NATO"].step == F(1, 20)
    assert specs["alpha"].step == F(1, 200)


def test_slider_specs_unbounded_and_off_grid_defaults():
    class Bare:
        parameters = ParameterSpace((Parameter("x", F(3), low=F(0)), Parameter("y", F(-1, 2)),
                                     Parameter("z", F(1, 3), low=F(0), high=F(1))))

    x, y, z = slider_specs(Bare())
    # unbounded side: default +/- 2 * max(|default|, 1): x in [0, 3 + 6], y in [-1/2 - 2, -1/2 + 2]
    assert (x.low, x.high) == (0, 9)
    assert (y.low, y.high) == (F(-5, 2), F(3, 2))
    # 1/3 is on no decimal grid: the round step of ~100 steps is kept, the default stays exact
    assert z.step == F(1, 100) and z.default == F(1, 3)


@settings(max_examples=30, deadline=None)
@given(k=st.integers(0, 200))
def test_property_snap_returns_exact_grid_values(k):
    spec = SliderSpec("alpha", F(1, 100), F(99, 100), F(1, 200), F(1, 2), "", "")
    exact = min(spec.low + k * spec.step, spec.high)
    assert snap_to_slider(spec, float(exact)) == exact
    assert snap_to_slider(spec, float(exact) + 1e-9) == exact


# ---------------------------------------------------------------------- tree
def test_tree_scenario():
    scenario = ng.load("nato_enlargement")
    state = explore(scenario)
    assert state.kind == "extensive-form" and state.map is None
    # Hand backward induction on the tree at the defaults (payoffs NATO, Russia from `negotiation show`):
    # after Admit Russia compares Accept -5, Militarise -3, Coerce -10 -> Militarise (NATO 1);
    # after Admit with limits: Accept -2, Militarise -3, Coerce -10 -> Accept (NATO 8/5);
    # after Defer: Accept 0, Militarise -3, Coerce -10 -> Accept (NATO 0). NATO: max(1, 8/5, 0) -> limits.
    assert state.equilibria_rows == (("1", "pure", "Admit with limits → Accept", "Admit with limits",
                                      "at Admit: Militarise; at Admit with limits: Accept; at Defer: Accept",
                                      "8/5", "-2"),)
    assert "Admit with limits" in state.model_text and state.model_html.startswith("<pre")
    from negotiation.solvers.backward_induction import backward_induction

    for values in ({"l": "1/4"}, {"t": 1}, {"m": 9, "c": 2}):
        state = explore(scenario, values)
        expected = backward_induction(scenario.game_at(values))
        assert [row[2] for row in state.equilibria_rows] == [e.path_text() for e in expected.equilibria]
        assert [tuple(F(v) for v in row[-2:]) for row in state.equilibria_rows] == \
            [tuple(e.payoffs) for e in expected.equilibria]
    figure = plot_state(state)
    assert figure is not None


# ---------------------------------------------------------------------- bargaining
def test_bargaining_scenario():
    from negotiation.bargaining import bargain
    from negotiation.models.bargaining import show

    scenario = ng.load("infrastructure_limits")
    for values in ({}, {"alpha": "3/10"}):
        state = explore(scenario, values)
        assert state.kind == "bargaining" and state.map is None
        expected = bargain(scenario.problem_at(values))
        assert [row[0] for row in state.equilibria_rows] == [s.title for s in expected.solutions.values()]
        for row, solution in zip(state.equilibria_rows, expected.solutions.values()):
            assert row[1:3] == tuple(show(u) for u in solution.utilities)
    state = explore(scenario)
    # The no-deal point is the (Deploy, Deploy) payoff P = v - k - omega*W = 0 - 1 - 1 = -2 of the
    # security dilemma at the shared defaults (models/README.md).
    assert state.model_text.startswith("No-deal point: NATO -2, Russia -2")
    # The egalitarian solution gives both parties the same gain over no deal (its definition).
    egalitarian = [row for row in state.equilibria_rows if row[0] == "egalitarian"][0]
    assert egalitarian[3] == egalitarian[4]
    figure = plot_state(state)
    assert (figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()) == ("utility of NATO", "utility of Russia")


# ---------------------------------------------------------------------- other kinds of model
def test_other_result_types_fall_back_to_records():
    """A model kind the explorer has no special view for shows its description and its records."""

    class Result:
        method, exact, complete, messages = "pure_pbe", True, False, ("a note",)
        parameters = {"p": F(1, 2)}

        def to_records(self):
            return [{"p": F(1, 2), "equilibrium": 1, "kind": "pooling", "NATO": "Cooperate",
                     "payoff NATO": F(7, 3), "intuitive": True}]

    class Model:
        id, title, kind = "toy", "Toy signalling game", "bayesian"
        parameters = ParameterSpace((Parameter("p", F(1, 2), low=F(0), high=F(1)),))

        def solve(self, values):
            return Result()

        def describe(self, values):
            return "Toy model at p = 1/2"

    state = explore(Model())
    assert state.kind == "bayesian" and state.values == {"p": F(1, 2)} and state.map is None
    assert state.equilibria_header == ("equilibrium", "kind", "NATO", "payoff NATO", "intuitive")
    assert state.equilibria_rows == (("1", "pooling", "Cooperate", "7/3", "yes"),)
    assert state.summary == "pure_pbe (exact, not necessarily complete)" and state.messages == ("a note",)
    assert state.model_text == "Toy model at p = 1/2"
    tables, rows = read_table(state.equilibria_html)
    assert tables[0]["data-scenario"] == "toy" and tables[0]["data-values"] == "p=1/2"
    assert plot_state(state) is None


# ---------------------------------------------------------------------- the widget
def test_widget_builds_and_updates(dilemma):
    pytest.importorskip("ipywidgets")
    from negotiation.report.explorer import Explorer

    app = Explorer("security_dilemma", map_resolution=11)
    specs = slider_specs(dilemma)
    assert list(app.sliders) == [s.name for s in specs]
    for spec in specs:
        slider = app.sliders[spec.name]
        assert (slider.min, slider.max, slider.step) == (float(spec.low), float(spec.high), float(spec.step))
        assert slider.continuous_update is False
    assert "data-values=\"omega=1/2," in app.equilibria_view.value
    app.sliders["omega"].value = 0.2                         # as the browser sends it: a float
    assert app.values["omega"] == F(1, 5)
    tables, rows = read_table(app.equilibria_view.value)
    assert tables[0]["data-values"].startswith("omega=1/5,")
    game = dilemma.game_at({"omega": F(1, 5)})
    assert table_equilibria(rows[0], rows[1:], game.players) == solver_equilibria(ng.solve(game), game.players)
    assert app.plot_view.value[:8] == b"\x89PNG\r\n\x1a\n"
    app.set_value("L", 1)                                    # violates L >= W: reported, not raised
    assert app.state is None and "L >= W" in app.error and "ng-error" in app.status.value
    app.set_value("L", 10)
    assert app.state is not None and app.error is None
    app.model_dropdown.value = "nato_enlargement"
    assert list(app.sliders) == ["m", "t", "k", "c", "l"] and app.state.kind == "extensive-form"
    assert app.map_controls.layout.display == "none"
    app.set_scenario("infrastructure_limits", {"alpha": "3/10"})
    assert app.state.kind == "bargaining" and app.values["alpha"] == F(3, 10)
    assert "Explorer('infrastructure_limits'" in repr(app)
    # a scenario object: the bundled file loaded by the caller is not listed twice; another one is added
    bundled = [key for _, key in app.model_dropdown.options]
    app.set_scenario(dilemma)
    assert [key for _, key in app.model_dropdown.options] == bundled and app.scenario is dilemma
    variant = ng.scenario.parse_scenario(dilemma.source.read_text(encoding="utf-8"), source="variant.toml")
    app.set_scenario(variant)
    assert app.model_dropdown.value == "security_dilemma (variant.toml)" and app.state is not None


def _descendants(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from _descendants(child)


def test_widget_puts_the_controls_left_of_the_results():
    # A seminar room reads the result while moving a slider: one row, controls first, that wraps on a narrow
    # screen (the browser test measures the columns side by side at 1400 px).
    pytest.importorskip("ipywidgets")
    from negotiation.report.explorer import Explorer

    app = Explorer("security_dilemma", map_resolution=0)
    row = app.widget.children[-1]
    assert row.children == (app.controls, app.results)
    assert row.layout.flex_flow == "row wrap"
    controls, results = set(_descendants(app.controls)), set(_descendants(app.results))
    assert {app.slider_box, app.map_controls, *app.sliders.values()} <= controls
    assert {app.status, app.summary_view, app.equilibria_view, app.model_view, app.plot_view} <= results
    assert not controls & results
    assert {"ng-controls"} <= set(app.controls._dom_classes) and {"ng-results"} <= set(app.results._dom_classes)
    assert "ng-sliders" in app.slider_box._dom_classes


def test_widget_leaves_out_models_that_do_not_load(monkeypatch, tmp_path):
    pytest.importorskip("ipywidgets")
    import negotiation.report.explorer as explorer_module
    from negotiation.report.explorer import Explorer

    broken = tmp_path / "broken.toml"
    broken.write_text("schema = ", encoding="utf-8")
    models = {"broken": broken, "security_dilemma": ng.scenario.bundled_models()["security_dilemma"]}
    monkeypatch.setattr(explorer_module, "bundled_models", lambda: models)
    app = Explorer(map_resolution=0)
    assert app.scenario.id == "security_dilemma"
    assert [key for _, key in app.model_dropdown.options] == ["security_dilemma"]
    assert "invalid TOML" in app.unavailable["broken"]
    with pytest.raises(ExplorerError, match="broken: this model cannot be loaded"):
        app.set_scenario("broken")
    assert app.scenario.id == "security_dilemma" and app.state is not None


def test_widget_without_ipywidgets(monkeypatch):
    from negotiation.report.explorer import Explorer

    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r"pip install 'negotiation\[notebook\]'"):
        Explorer("security_dilemma")


@pytest.mark.parametrize("name", sorted(bundled_models()))
def test_explore_every_bundled_model_at_its_defaults(name):
    # every model the app offers must render: an equilibrium/agreement table with the DOM hook
    state = explore(ng.load(name))
    assert 'class="ng-equilibria"' in state.equilibria_html
    figure = plot_state(state)
    if state.kind in ("normal-form", "extensive-form", "bargaining", "continuous"):
        assert figure is not None


def test_widget_builds_a_model_when_it_is_chosen(monkeypatch, tmp_path):
    """Only the shown model is built; a file that reads but does not build is refused when chosen."""
    pytest.importorskip("ipywidgets")
    import negotiation.report.explorer as explorer_module
    from negotiation.report.explorer import Explorer

    unbuildable = tmp_path / "unbuildable.toml"
    unbuildable.write_text('schema = "negotiation.scenario/1"\nid = "unbuildable"\ntitle = "Reads, does not build"\n'
                           'kind = "normal-form"\n', encoding="utf-8")
    bundled = ng.scenario.bundled_models()
    models = {"unbuildable": unbuildable, "security_dilemma": bundled["security_dilemma"], "cfe2": bundled["cfe2"]}
    monkeypatch.setattr(explorer_module, "bundled_models", lambda: models)
    app = Explorer("security_dilemma", map_resolution=0)
    assert dict(app.model_dropdown.options) == {"unbuildable: Reads, does not build": "unbuildable",
                                                "security_dilemma: NATO–Russia security dilemma (one shot)":
                                                    "security_dilemma",
                                                f"cfe2: {ng.load('cfe2').title}": "cfe2"}
    assert set(app._loaded) == {"security_dilemma"}
    app.model_dropdown.value = "unbuildable"
    assert app.scenario.id == "security_dilemma" and app.model_dropdown.value == "security_dilemma"
    assert "unbuildable: this model cannot be loaded" in app.status.value
    app.model_dropdown.value = "cfe2"
    assert app.scenario.id == "cfe2" and set(app._loaded) == {"security_dilemma", "cfe2"}
