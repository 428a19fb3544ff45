"""The interactive explorer: one scenario, sliders for its parameters, equilibria updated live.

Two layers:

* :func:`explore` is a pure function: ``explore(scenario, values)`` returns an
  :class:`ExplorerState` (frozen) with everything the explorer shows at those
  parameter values -- the numeric model (payoff table, game tree or bargaining
  summary), the equilibrium table as HTML and as records, for normal-form
  scenarios with two or more parameters the data of an equilibrium map over two
  chosen parameters with the current point, for bargaining scenarios the
  agreement set and its solutions -- and how each was obtained.
  :func:`slider_specs` turns the parameter ranges into slider settings.
* :class:`Explorer` (or :func:`explorer`) builds the notebook widget on top:
  a model dropdown, one slider per parameter, the tables and a plot, updated
  when a slider is released.  ipywidgets is imported only here; without it the
  error names the extra to install (``negotiation[notebook]``).

The equilibrium table is an HTML ``<table class="ng-equilibria">`` whose
``data-scenario`` and ``data-values`` attributes say which model and which
parameter values it shows (a stable hook for browser tests and scripts).
"""

from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping, NamedTuple

from negotiation.core.document import render_html, render_markdown, render_text, show
from negotiation.core.numeric import format_number
from negotiation.core.errors import NegotiationError

__all__ = ["SliderSpec", "ExplorerMap", "ExplorerState", "ExplorerError", "slider_specs", "explore",
           "snap_to_slider", "plot_state", "Explorer", "explorer", "EQUILIBRIA_TABLE_CLASS"]

#: CSS class of the equilibrium table (the DOM hook of the browser test).
EQUILIBRIA_TABLE_CLASS = "ng-equilibria"
#: Points per axis of the equilibrium map.
MAP_RESOLUTION = 41
#: A slider has about this many steps across the parameter's range (fewer if the default needs it).
SLIDER_STEPS = 100


class ExplorerError(NegotiationError):
    """The explorer was asked for something the scenario cannot give (one line naming the value)."""


# ---------------------------------------------------------------------- sliders
class SliderSpec(NamedTuple):
    """Settings of one parameter slider (exact numbers; the widget shows them as floats).

    ``low``/``high`` come from the parameter's range; an unbounded side is
    replaced by the default plus or minus ``2 * max(|default|, 1)``.
    ``step`` is a round number (1, 2 or 5 times a power of ten) giving about
    :data:`SLIDER_STEPS` steps, refined so that the default lies on the grid
    when a round step allows it.
    """

    name: str
    low: Fraction
    high: Fraction
    step: Fraction
    default: Fraction
    description: str
    unit: str


def _exact(value) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(float(value)))


def _round_steps_below(limit: Fraction):
    """Round steps (1, 2, 5 × 10^e) not above ``limit``, largest first."""
    exponent = math.floor(math.log10(limit)) if limit > 0 else 0
    while True:
        for mantissa in (5, 2, 1):
            step = Fraction(mantissa) * (Fraction(10) ** exponent)
            if step <= limit:
                yield step
        exponent -= 1


def _on_grid(value: Fraction, low: Fraction, step: Fraction) -> bool:
    return ((value - low) / step).denominator == 1


def _choose_step(low: Fraction, high: Fraction, default: Fraction) -> Fraction:
    span = high - low
    if span <= 0:
        return Fraction(1)
    target = span / SLIDER_STEPS
    first = None
    for k, step in enumerate(_round_steps_below(target)):
        first = first or step
        if _on_grid(default, low, step) and _on_grid(high, low, step):
            return step
        if k >= 6:  # two decades finer than the target: give up on putting the default on the grid
            return first
    return first  # pragma: no cover


def slider_specs(scenario) -> list[SliderSpec]:
    """One :class:`SliderSpec` per parameter of ``scenario``, in declaration order.

    Examples
    --------
    >>> import negotiation as ng
    >>> spec = slider_specs(ng.load("security_dilemma"))[0]
    >>> spec.name, spec.low, spec.high, spec.step, spec.default
    ('omega', Fraction(0, 1), Fraction(1, 1), Fraction(1, 100), Fraction(1, 2))
    """
    specs = []
    for parameter in scenario.parameters:
        default = _exact(parameter.default if parameter.default is not None
                         else (parameter.low if parameter.low is not None else 0))
        width = 2 * max(abs(default), Fraction(1))
        low = _exact(parameter.low) if parameter.low is not None else default - width
        high = _exact(parameter.high) if parameter.high is not None else default + width
        specs.append(SliderSpec(parameter.name, low, high, _choose_step(low, high, default), default,
                                parameter.description, parameter.unit))
    return specs


def snap_to_slider(spec: SliderSpec, position: float) -> Fraction:
    """The exact grid value of a slider at a (float) position: ``low + round((x - low)/step) * step``.

    Examples
    --------
    >>> spec = SliderSpec("omega", Fraction(0), Fraction(1), Fraction(1, 100), Fraction(1, 2), "", "")
    >>> snap_to_slider(spec, 0.2000000001)
    Fraction(1, 5)
    """
    if spec.high <= spec.low:
        return spec.low
    steps = round((Fraction(repr(float(position))) - spec.low) / spec.step)
    value = spec.low + steps * spec.step
    return min(max(value, spec.low), spec.high)


def _decimals(step: Fraction) -> int:
    """Decimal places that show every value of a round step exactly."""
    places = 0
    while (step * 10 ** places).denominator != 1 and places < 12:
        places += 1
    return places


# ---------------------------------------------------------------------- the state
@dataclass(frozen=True)
class ExplorerMap:
    """Data of the equilibrium map: a grid sweep over two parameters and the current point.

    Attributes
    ----------
    x, y : str
        Parameters on the horizontal and vertical axes.
    by : str
        ``"classification"`` (classic game) or ``"equilibria"`` (set of equilibria).
    sweep : SweepResult
        The grid sweep (the other parameters fixed at the current values).
    point : tuple of Fraction
        The current values of ``x`` and ``y``.
    resolution : int
        Grid points per axis.
    """

    x: str
    y: str
    by: str
    sweep: Any = field(repr=False)
    point: tuple
    resolution: int

    @property
    def categories(self) -> list[str]:
        """Labels of the categories present on the map."""
        codes, labels = self.sweep.categories(self.by)
        return [labels[c] for c in sorted(set(codes.tolist()))]

    def plot(self, ax=None, title: str | None = None):
        """The equilibrium map with the current point marked (a white star)."""
        from negotiation.report.maps import equilibrium_map

        figure = equilibrium_map(self.sweep, self.x, self.y, by=self.by, ax=ax, title=title)
        axes = ax if ax is not None else figure.axes[0]
        px, py = (float(v) for v in self.point)
        axes.plot([px], [py], marker="*", markersize=18, markerfacecolor="white", markeredgecolor="black",
                  markeredgewidth=1.2, linestyle="none", zorder=5)
        axes.annotate("current values", (px, py), xytext=(8, 8), textcoords="offset points",
                      fontsize=10, bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8})
        return figure


@dataclass(frozen=True)
class ExplorerState:
    """Everything the explorer shows for one scenario at one set of parameter values.

    Attributes
    ----------
    scenario_id, title, kind : str
        Which model (``kind``: normal-form, extensive-form or bargaining).
    values : dict
        The parameter values used (all of them, exact).
    model_text, model_markdown, model_html : str
        The numeric model: payoff table (normal form), the game tree
        (extensive form) or the agreement summary (bargaining).
    summary : str
        How the equilibria were obtained (method, exact or float, complete or not)
        and, for symmetric 2×2 games, the classic game.
    equilibria_header : tuple of str
    equilibria_rows : tuple of tuple of str
        The equilibrium table as the user sees it (labels, exact numbers as ``3/4``);
        for bargaining, one row per bargaining solution.
    equilibria_html : str
        The same table as ``<table class="ng-equilibria" data-scenario=… data-values=…>``.
    records : tuple of dict
        ``result.to_records()``: one flat dict per equilibrium (or solution).
    result : SolveResult, TreeSolveResult or BargainingResult
        The full result.
    map : ExplorerMap or None
        Normal-form scenarios with two or more parameters.
    messages : tuple of str
        Notes (for example why there is no map).
    """

    scenario_id: str
    title: str
    kind: str
    values: dict
    model_text: str
    model_markdown: str
    model_html: str
    summary: str
    equilibria_header: tuple
    equilibria_rows: tuple
    equilibria_html: str
    records: tuple
    result: Any = field(repr=False)
    map: ExplorerMap | None = field(default=None, repr=False)
    messages: tuple = ()

    @property
    def values_text(self) -> str:
        """``omega = 1/5, phi = 1/4, …``."""
        return ", ".join(f"{k} = {format_number(v)}" for k, v in self.values.items())

    def _repr_html_(self) -> str:
        return (f"<h4>{html.escape(self.title)}</h4><p>{html.escape(self.values_text)}</p>"
                f"{self.model_html}<p>{html.escape(self.summary)}</p>{self.equilibria_html}")


# ---------------------------------------------------------------------- explore
def _kind(scenario) -> str:
    return getattr(scenario, "kind", "normal-form")


def explore(scenario, values: Mapping | None = None, *, map_axes: tuple | None = None, map_by: str | None = None,
            map_resolution: int = MAP_RESOLUTION, cache: dict | None = None) -> ExplorerState:
    """What the explorer shows for ``scenario`` at ``values`` (the other parameters at their defaults).

    Parameters
    ----------
    scenario : Scenario, TreeScenario, BargainingScenario or str
        A loaded scenario or the name/path of one.
    values : mapping, optional
        Parameter values (numbers or strings such as ``"1/5"``); checked against the
        ranges and assumptions of the scenario (:class:`~negotiation.scenario.ScenarioError`).
    map_axes : (str, str), optional
        The two parameters of the equilibrium map (default: the first two with a
        non-empty range).  Normal-form scenarios only.
    map_by : {"classification", "equilibria"}, optional
        Colour the map by classic game (default where the scenario declares a
        cooperative strategy) or by set of equilibria.
    map_resolution : int
        Grid points per map axis; ``0`` for no map.
    cache : dict, optional
        Reuses map sweeps between calls (keyed by the scenario, the axes and the
        fixed values), so that moving only the map's own parameters is instant.

    Returns
    -------
    ExplorerState

    Examples
    --------
    >>> import negotiation as ng
    >>> state = explore(ng.load("security_dilemma"), {"omega": "1/5"})
    >>> state.summary
    'vertex_enumeration (exact, complete, nondegenerate); classic game: Stag Hunt (R > T > P > S)'
    >>> [row[2] for row in state.equilibria_rows]
    ['Restrain', '1/3 Restrain + 2/3 Deploy', 'Deploy']
    >>> state.map.x, state.map.y, state.map.point
    ('omega', 'phi', (Fraction(1, 5), Fraction(1, 4)))
    """
    if isinstance(scenario, str) or hasattr(scenario, "__fspath__"):
        from negotiation.scenario import load

        scenario = load(scenario)
    values = dict(values or {})
    if map_resolution and map_resolution < 2:
        raise ExplorerError(f"map_resolution {map_resolution!r}: expected 0 (no map) or at least 2 points per axis")
    kind = _kind(scenario)
    if kind == "bargaining" and hasattr(scenario, "bargain"):
        return _explore_bargaining(scenario, values)
    if kind == "extensive-form":
        return _explore_tree(scenario, values)
    from negotiation.results.game import SolveResult

    result = scenario.solve(values)
    if kind == "normal-form" and isinstance(result, SolveResult) and hasattr(scenario, "game_at"):
        return _explore_normal_form(scenario, values, result, map_axes, map_by, map_resolution, cache)
    return _explore_other(scenario, values, result)


def _table_html(header, rows, scenario_id: str, values: Mapping, caption: str = "") -> str:
    shown = ",".join(f"{k}={format_number(v)}" for k, v in values.items())
    parts = [f'<table class="{EQUILIBRIA_TABLE_CLASS}" data-scenario="{html.escape(scenario_id)}" '
             f'data-values="{html.escape(shown)}" style="border-collapse: collapse">']
    if caption:
        parts.append(f"<caption style=\"caption-side: top; text-align: left\">{html.escape(caption)}</caption>")
    cell = "border: 1px solid #ccc; padding: 2px 8px; text-align: left"
    parts.append("<thead><tr>" + "".join(f'<th style="{cell}">{html.escape(str(h))}</th>' for h in header)
                 + "</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f'<td style="{cell}">{html.escape(str(c))}</td>' for c in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _explore_normal_form(scenario, values, result, map_axes, map_by, resolution, cache) -> ExplorerState:
    game = scenario.game_at(values)
    resolved = dict(game.values) if game.values else dict(result.parameters)
    summary = result.summary()
    if "classification" in result.details:
        summary += f"; classic game: {result.details['classification']}"
    if result.equilibria:
        table = result.table()
        header, rows = [show(c) for c in table.header], [[show(c) for c in row] for row in table.rows]
    else:
        header, rows = ["#", "kind", *game.players], []
    messages = tuple(result.messages)
    explorer_map = None
    if resolution:
        explorer_map, note = _map(scenario, resolved, map_axes, map_by, resolution, cache)
        if note:
            messages += (note,)
    return ExplorerState(
        scenario_id=scenario.id, title=scenario.title, kind=_kind(scenario), values=resolved,
        model_text=render_text(game.document()), model_markdown=render_markdown(game.document()),
        model_html=render_html(game.document()),
        summary=summary, equilibria_header=tuple(header), equilibria_rows=tuple(tuple(r) for r in rows),
        equilibria_html=_table_html(header, rows, scenario.id, resolved), records=tuple(result.to_records()),
        result=result, map=explorer_map, messages=messages)


def _map(scenario, resolved, map_axes, map_by, resolution, cache):
    specs = {s.name: s for s in slider_specs(scenario)}
    usable = [name for name, s in specs.items() if s.high > s.low]
    if map_axes is None:
        if len(usable) < 2:
            return None, "no equilibrium map: it needs two parameters with a range"
        map_axes = tuple(usable[:2])
    x, y = map_axes
    for name in (x, y):
        if name not in specs:
            raise ExplorerError(f"map axis {name!r}: not a parameter of {scenario.id} "
                                f"(parameters: {', '.join(specs) or 'none'})")
        if name not in usable:
            raise ExplorerError(f"map axis {name!r}: its range is a single point")
    if x == y:
        raise ExplorerError(f"map axes: x and y are both {x!r}; choose two different parameters")
    if map_by is None:
        map_by = "classification" if getattr(scenario, "cooperate", None) else "equilibria"
    if map_by not in ("classification", "equilibria"):
        raise ExplorerError(f"map_by {map_by!r}: expected 'classification' or 'equilibria'")
    if map_by == "classification" and not getattr(scenario, "cooperate", None):
        map_by = "equilibria"
    fixed = {k: v for k, v in resolved.items() if k not in (x, y)}
    key = (id(scenario), scenario.id, str(getattr(scenario, "source", "")), x, y, resolution,
           tuple((k, fixed[k]) for k in sorted(fixed)))
    result = cache.get(key) if cache is not None else None
    if result is None:
        from negotiation.sweeps import sweep

        grid = {x: (specs[x].low, specs[x].high, resolution), y: (specs[y].low, specs[y].high, resolution)}
        try:
            result = sweep(scenario, grid=grid, values=fixed, progress=False)
        except ValueError as error:  # e.g. an assumption fails somewhere on the plane
            return None, f"no equilibrium map: {' '.join(str(error).split())}"
        if cache is not None:
            if len(cache) > 32:
                cache.clear()
            cache[key] = result
    return ExplorerMap(x, y, map_by, result, (resolved[x], resolved[y]), resolution), None


def _tree_plan(profile, tree, player_index: int) -> str:
    parts = []
    for k, label in enumerate(tree.information_set_labels):
        if tree.information_set_player[k] == player_index:
            parts.append((label, profile.action_text(k)))
    if len(parts) == 1:
        return parts[0][1]
    return "; ".join(f"at {label}: {action}" for label, action in parts)


def _explore_tree(scenario, values) -> ExplorerState:
    tree = scenario.game_at(values)
    result = scenario.solve(values)
    resolved = dict(result.parameters) or dict(getattr(tree, "values", {}) or {})
    header = ["#", "kind", "outcome", *tree.players, *(f"payoff {p}" for p in tree.players)]
    rows = []
    for number, equilibrium in enumerate(result.equilibria, start=1):
        cells = [str(number), equilibrium.kind, equilibrium.path_text()]
        cells += [_tree_plan(equilibrium.profile, tree, i) for i in range(len(tree.players))]
        cells += [format_number(v) for v in equilibrium.payoffs]
        rows.append(cells)
    text = tree.to_text()
    return ExplorerState(
        scenario_id=scenario.id, title=scenario.title, kind="extensive-form", values=resolved,
        model_text=text, model_markdown="```\n" + text + "\n```",
        model_html=f"<pre style=\"line-height: 1.3\">{html.escape(text)}</pre>",
        summary=result.summary(), equilibria_header=tuple(header), equilibria_rows=tuple(tuple(r) for r in rows),
        equilibria_html=_table_html(header, rows, scenario.id, resolved), records=tuple(result.to_records()),
        result=result, messages=tuple(result.messages))


def _explore_bargaining(scenario, values) -> ExplorerState:
    from negotiation.bargaining.result import show

    result = scenario.bargain(values)
    problem = result.problem
    resolved = dict(result.parameters)
    issues = problem.agreements.issues if problem.representation == "issues" else None
    lines = ["No-deal point: " + ", ".join(f"{p} {show(v)}" for p, v in zip(problem.parties, problem.disagreement))]
    lines += [f"  ({note})" for note in problem.notes]
    lines.append(f"Zone of possible agreement: {result.zone.description}")
    lines += [f"  {line}" for line in result.zone.size_lines()]
    for solution in result.solutions.values():
        if solution.agreement is not None:
            lines.append(f"{solution.title} agreement: {solution.agreement.describe(issues)}")
    text = "\n".join(lines)
    if result.solutions:
        header, rows = result._solution_rows(with_agreement=True)
    else:
        header, rows = ["solution", *(f"u {p}" for p in problem.parties)], []
    summary = f"{result.method} ({'exact' if result.exact else 'floating point'})"
    markdown = "\n".join(f"{line}  " for line in lines)
    model_html = "".join(f"<div>{html.escape(line)}</div>" for line in lines)
    return ExplorerState(
        scenario_id=scenario.id, title=scenario.title, kind="bargaining", values=resolved,
        model_text=text, model_markdown=markdown, model_html=model_html, summary=summary,
        equilibria_header=tuple(header), equilibria_rows=tuple(tuple(r) for r in rows),
        equilibria_html=_table_html(header, rows, scenario.id, resolved), records=tuple(result.to_records()),
        result=result, messages=tuple(result.messages))


def _cell(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (Fraction, float, int)):
        return format_number(value)
    return "" if value is None else str(value)


def _explore_other(scenario, values, result) -> ExplorerState:
    """Any other kind of model (Bayesian, continuous, …): its description and its result's records."""
    parameters = dict(getattr(result, "parameters", {}) or {})
    if not parameters and getattr(scenario, "parameters", None) is not None:
        parameters = scenario.parameters.resolve(values)
    records = tuple(result.to_records()) if hasattr(result, "to_records") else ()
    header = list(dict.fromkeys(k for record in records for k in record if k not in parameters))
    rows = [[_cell(record.get(k)) for k in header] for record in records]
    if hasattr(result, "summary") and callable(result.summary):
        summary = str(result.summary())
    else:
        flags = [("exact" if result.exact else "floating point")] if hasattr(result, "exact") else []
        if hasattr(result, "complete"):
            flags.append("complete" if result.complete else "not necessarily complete")
        summary = f"{getattr(result, 'method', 'solve')}" + (f" ({', '.join(flags)})" if flags else "")
    if hasattr(scenario, "describe"):
        text = scenario.describe(values)
    elif hasattr(result, "to_text"):
        text = result.to_text()
    else:  # pragma: no cover - every result type has one of the two
        text = str(result)
    return ExplorerState(
        scenario_id=scenario.id, title=scenario.title, kind=_kind(scenario), values=parameters,
        model_text=text, model_markdown="```\n" + text + "\n```",
        model_html=f"<pre style=\"line-height: 1.3; white-space: pre-wrap\">{html.escape(text)}</pre>",
        summary=summary, equilibria_header=tuple(header), equilibria_rows=tuple(tuple(r) for r in rows),
        equilibria_html=_table_html(header, rows, scenario.id, parameters), records=records, result=result,
        messages=tuple(getattr(result, "messages", ()) or ()))


def plot_state(state: ExplorerState, ax=None):
    """The explorer's figure: the map (normal form), the tree with the first equilibrium highlighted
    (extensive form) or the agreement set (bargaining); ``None`` if there is nothing to draw."""
    if state.kind == "bargaining" and hasattr(state.result, "plot"):
        return state.result.plot(ax=ax)
    if state.kind == "extensive-form" and hasattr(state.result, "tree"):
        from negotiation.report.trees import plot_tree

        tree = state.result.tree
        if tree.n_nodes > 200:
            return None
        return plot_tree(tree, state.result if state.result.equilibria else None, ax=ax)
    if state.map is not None:
        return state.map.plot(ax=ax)
    game = getattr(state.result, "game", None)
    if type(game).__name__ == "ContinuousGame" and len(game.players) == 2 and not game.is_symbolic:
        from negotiation.continuous import plot_best_responses

        return plot_best_responses(game, result=state.result, ax=ax)
    return None


def _png(figure, dpi: int = 90) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    return buffer.getvalue()


# ---------------------------------------------------------------------- the widget
def _ipywidgets():
    try:
        import ipywidgets
    except ImportError:
        raise ImportError("the explorer needs ipywidgets: pip install 'negotiation[notebook]'") from None
    return ipywidgets


def _first_paragraph(text: str, limit: int = 600) -> str:
    paragraph = " ".join((text or "").strip().split("\n\n")[0].split())
    return paragraph if len(paragraph) <= limit else paragraph[:limit].rsplit(" ", 1)[0] + " …"


class Explorer:
    """The explorer widget: pick a model, move sliders, read the equilibria.

    Parameters
    ----------
    scenario : Scenario, str or None
        The model shown first (a loaded scenario or a bundled name); default
        ``security_dilemma`` when bundled, else the first bundled model.
    values : mapping, optional
        Starting parameter values (others at their defaults).
    map_resolution : int
        Grid points per axis of the equilibrium map.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What the notebook displays (the object displays itself too).
    state : ExplorerState or None
        What is shown now (``None`` after an error, see ``error``).
    sliders : dict
        Parameter name -> ``ipywidgets.FloatSlider`` (``continuous_update=False``:
        the model is solved when a slider is released or its readout edited).

    Examples
    --------
    >>> app = Explorer("security_dilemma")          # doctest: +SKIP
    >>> app.set_value("omega", "1/5")               # doctest: +SKIP
    >>> app.state.summary                           # doctest: +SKIP
    'vertex_enumeration (exact, complete, nondegenerate); classic game: Stag Hunt (R > T > P > S)'
    """

    def __init__(self, scenario=None, values: Mapping | None = None, *, map_resolution: int = MAP_RESOLUTION):
        widgets = _ipywidgets()
        from negotiation.scenario import bundled_models, load

        self._widgets = widgets
        self._models: dict = {}
        self._loaded: dict = {}
        #: Bundled models that could not be loaded (name -> one-line reason); left out of the dropdown.
        self.unavailable: dict = {}
        for key, path in bundled_models().items():
            try:
                self._loaded[key] = load(path)
            except Exception as error:  # a broken or unsupported file must not take the explorer down
                self.unavailable[key] = " ".join(str(error).split())
            else:
                self._models[key] = path
        self._key = None
        self._cache: dict = {}
        self._updating = False
        self.map_resolution = map_resolution
        self.state: ExplorerState | None = None
        self.error: str | None = None
        self.scenario = None
        self.specs: dict = {}
        self.values: dict = {}
        self.sliders: dict = {}

        if scenario is None:
            scenario = "security_dilemma" if "security_dilemma" in self._models else next(iter(self._models), None)
            if scenario is None:
                raise ExplorerError("no scenario given and no bundled models found")
        name = self._register(scenario)

        options = [(self._option_label(key), key) for key in self._models]
        self.model_dropdown = widgets.Dropdown(options=options, value=name, description="Model",
                                               layout=widgets.Layout(width="640px"))
        self.description = widgets.HTML()
        self.slider_box = widgets.VBox()
        self.map_x = widgets.Dropdown(description="map x", layout=widgets.Layout(width="220px"))
        self.map_y = widgets.Dropdown(description="map y", layout=widgets.Layout(width="220px"))
        self.map_by = widgets.Dropdown(options=[("classic game", "classification"), ("equilibria", "equilibria")],
                                       description="colour by", layout=widgets.Layout(width="260px"))
        self.map_controls = widgets.HBox([self.map_x, self.map_y, self.map_by])
        self.status = widgets.HTML()
        self.model_view = widgets.HTML()
        self.summary_view = widgets.HTML()
        self.equilibria_view = widgets.HTML()
        self.plot_view = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.plot_box = widgets.VBox([self.plot_view])
        self.model_dropdown.add_class("ng-model")
        self.equilibria_view.add_class("ng-equilibria-view")
        self.status.add_class("ng-status")
        tables = widgets.VBox([widgets.HTML("<b>Equilibria</b>"), self.summary_view, self.equilibria_view,
                               widgets.HTML("<b>Model at these values</b>"), self.model_view],
                              layout=widgets.Layout(min_width="420px", max_width="900px"))
        self.widget = widgets.VBox([
            self.model_dropdown, self.description,
            widgets.HBox([self.slider_box, tables], layout=widgets.Layout(flex_flow="row wrap",
                                                                          grid_gap="16px")),
            self.status, self.map_controls, self.plot_box,
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("ng-explorer")

        self.model_dropdown.observe(self._on_model, names="value")
        for control in (self.map_x, self.map_y, self.map_by):
            control.observe(self._on_map_control, names="value")
        self.set_scenario(name, values)

    # ------------------------------------------------------------------ scenarios
    def _register(self, scenario) -> str:
        if isinstance(scenario, str):
            if scenario in self._models:
                return scenario
            if scenario in self.unavailable:
                raise ExplorerError(f"{scenario}: this model cannot be loaded: {self.unavailable[scenario]}")
            from negotiation.scenario import load

            loaded = load(scenario)
        else:
            loaded = scenario
        source = getattr(loaded, "source", None)
        bundled = self._models.get(loaded.id)
        if loaded.id not in self._models or (source and bundled and Path(source).resolve() == Path(bundled).resolve()):
            key = loaded.id  # new, or the bundled file itself (loaded by the caller)
        else:
            key = f"{loaded.id} ({source or 'custom'})"
        self._models[key] = source
        self._loaded[key] = loaded
        if hasattr(self, "model_dropdown"):
            updating, self._updating = self._updating, True  # new options must not switch the model
            try:
                self.model_dropdown.options = [(self._option_label(k), k) for k in self._models]
                if self._key is not None:
                    self.model_dropdown.value = self._key
            finally:
                self._updating = updating
        return key

    def _scenario(self, key: str):
        return self._loaded[key]

    def _option_label(self, key: str) -> str:
        return f"{key}: {self._loaded[key].title}"

    def set_scenario(self, scenario, values: Mapping | None = None) -> None:
        """Show another model (a bundled name or a loaded scenario), at its defaults or ``values``."""
        key = self._register(scenario)
        candidate = self._scenario(key)
        specs = {spec.name: spec for spec in slider_specs(candidate)}
        chosen = {name: spec.default for name, spec in specs.items()}
        for name, value in (values or {}).items():
            if name not in specs:
                raise ExplorerError(f"{candidate.id}: unknown parameter {name!r} "
                                    f"(parameters: {', '.join(specs) or 'none'})")
            chosen[name] = candidate.parameters[name].check(value, where=f"parameter {name}")
        self._key, self.scenario, self.specs, self.values = key, candidate, specs, chosen
        self._updating = True
        try:
            if self.model_dropdown.value != key:
                self.model_dropdown.value = key
            self.description.value = (f"<h3 style=\"margin: 4px 0\">{html.escape(self.scenario.title)}</h3>"
                                      f"<p style=\"max-width: 60em\">{html.escape(_first_paragraph(self.scenario.description))}</p>")
            self._build_sliders()
            self._build_map_controls()
        finally:
            self._updating = False
        self.refresh()

    def _build_sliders(self) -> None:
        widgets = self._widgets
        rows, self.sliders, self._exact_labels = [], {}, {}
        label_width = min(max((len(name) for name in self.specs), default=4) * 8 + 12, 140)
        for name, spec in self.specs.items():
            decimals = _decimals(spec.step)
            slider = widgets.FloatSlider(
                value=float(self.values[name]), min=float(spec.low), max=float(spec.high), step=float(spec.step),
                description=name, continuous_update=False, readout=True, readout_format=f".{decimals}f",
                disabled=spec.high <= spec.low, style={"description_width": f"{label_width}px"},
                layout=widgets.Layout(width=f"{label_width + 270}px"),
                tooltip=spec.description)
            slider.add_class(f"ng-slider-{name}")
            exact = widgets.HTML(layout=widgets.Layout(width="170px"))
            about = widgets.HTML(f"<span title=\"{html.escape(spec.description)}\" style=\"color: #555\">"
                                 f"{html.escape(_first_paragraph(spec.description, 60))}"
                                 f"{' (' + html.escape(spec.unit) + ')' if spec.unit else ''}</span>",
                                 layout=widgets.Layout(width="260px"))
            slider.observe(self._on_slider, names="value")
            self.sliders[name] = slider
            self._exact_labels[name] = exact
            rows.append(widgets.HBox([slider, exact, about]))
        self._update_exact_labels()
        self.slider_box.children = rows

    def _update_exact_labels(self) -> None:
        for name, label in self._exact_labels.items():
            label.value = f"<code>{html.escape(name)} = {html.escape(format_number(self.values[name]))}</code>"

    def _build_map_controls(self) -> None:
        usable = [name for name, spec in self.specs.items() if spec.high > spec.low]
        show = _kind(self.scenario) == "normal-form" and len(usable) >= 2
        self.map_controls.layout.display = None if show else "none"
        if not show:
            return
        self.map_x.options = usable
        self.map_y.options = usable
        self.map_x.value, self.map_y.value = usable[0], usable[1]
        has_classes = bool(getattr(self.scenario, "cooperate", None))
        self.map_by.options = ([("classic game", "classification")] if has_classes else []) + [("equilibria", "equilibria")]
        self.map_by.value = "classification" if has_classes else "equilibria"

    # ------------------------------------------------------------------ events
    def _on_model(self, change) -> None:
        if self._updating or change["new"] is None:
            return
        try:
            self.set_scenario(change["new"])
        except ValueError as error:
            self._show_error(error)
            self._updating = True
            try:
                self.model_dropdown.value = self._key
            finally:
                self._updating = False

    def _on_slider(self, change) -> None:
        if self._updating:
            return
        slider = change["owner"]
        name = slider.description
        exact = snap_to_slider(self.specs[name], change["new"])
        if exact == self.values.get(name):
            return
        self.values[name] = exact
        self._update_exact_labels()
        self.refresh()

    def _on_map_control(self, change) -> None:
        if not self._updating:
            self.refresh()

    def set_value(self, name: str, value) -> None:
        """Set one parameter exactly (moves its slider) and update the view."""
        if name not in self.specs:
            raise ExplorerError(f"{self.scenario.id}: unknown parameter {name!r} "
                                f"(parameters: {', '.join(self.specs) or 'none'})")
        exact = self.scenario.parameters[name].check(value, where=f"parameter {name}")
        self.values[name] = exact
        self._updating = True
        try:
            self.sliders[name].value = float(exact)
        finally:
            self._updating = False
        self._update_exact_labels()
        self.refresh()

    # ------------------------------------------------------------------ rendering
    def refresh(self) -> ExplorerState | None:
        """Solve at the current values and redraw; errors (e.g. a failed assumption) go to the status line."""
        axes = None
        if self.map_controls.layout.display != "none" and self.map_x.value and self.map_y.value:
            axes = (self.map_x.value, self.map_y.value)
        self.status.value = "<i>computing …</i>"
        try:
            if axes is not None and axes[0] == axes[1]:
                raise ExplorerError("map axes: choose two different parameters for x and y")
            state = explore(self.scenario, self.values, map_axes=axes,
                            map_by=self.map_by.value if axes else None,
                            map_resolution=self.map_resolution, cache=self._cache)
        except Exception as error:  # shown on the page: a slider must never leave a traceback behind
            self.state = None
            self._show_error(error)
            self.summary_view.value = ""
            self.equilibria_view.value = (f'<table class="{EQUILIBRIA_TABLE_CLASS}" data-scenario="'
                                          f'{html.escape(self.scenario.id)}" data-values="" data-error="1"></table>')
            return None
        self.state, self.error = state, None
        self.model_view.value = state.model_html
        self.summary_view.value = f"<p>Method: {html.escape(state.summary)}</p>"
        self.equilibria_view.value = state.equilibria_html
        notes = list(state.messages)
        try:
            figure = plot_state(state)
        except Exception as error:  # the tables are still worth showing
            figure = None
            notes.append(f"no figure: {' '.join(str(error).split())}")
        if figure is not None:
            self.plot_view.value = _png(figure)
            self.plot_box.layout.display = None
        else:
            self.plot_box.layout.display = "none"
        self.status.value = "".join(f"<div>Note: {html.escape(m)}</div>" for m in notes)
        return state

    def _show_error(self, error: Exception) -> None:
        message = " ".join(str(error).split())
        if not isinstance(error, ValueError):
            message = f"could not solve this model here ({type(error).__name__}: {message})"
        self.error = message
        self.status.value = f'<span class="ng-error" style="color: #b00">{html.escape(message)}</span>'

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        scenario = self.scenario.id if self.scenario is not None else None
        return f"Explorer({scenario!r}, values={{{', '.join(f'{k}: {format_number(v)}' for k, v in self.values.items())}}})"


def explorer(scenario_or_name=None, values: Mapping | None = None, **options) -> Explorer:
    """Build the explorer widget (see :class:`Explorer`); display it as the last line of a notebook cell.

    Examples
    --------
    >>> from negotiation.report.explorer import explorer
    >>> explorer("security_dilemma")               # doctest: +SKIP
    """
    return Explorer(scenario_or_name, values, **options)
