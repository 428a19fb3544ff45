"""What the explorer shows: one scenario at one set of parameter values, computed by a pure function.

:func:`explore` returns an :class:`ExplorerState` (frozen) with everything the explorer shows at
those parameter values -- the numeric model (payoff table, game tree or bargaining summary), the
equilibrium table as HTML and as records, for normal-form scenarios with two or more parameters
the data of an equilibrium map over two chosen parameters with the current point, for bargaining
scenarios the agreement set and its solutions -- and how each was obtained. :func:`slider_specs`
turns the parameter ranges into slider settings; :func:`plot_state` draws the state's figure.
The widget on top of it is :class:`negotiation.report.explorer.Explorer`.

The equilibrium table is an HTML ``<table class="ng-equilibria">`` whose ``data-scenario`` and
``data-values`` attributes say which model and which parameter values it shows (a stable hook
for browser tests and scripts).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping, NamedTuple

from negotiation.report.continuous import plot_best_responses
from negotiation.core.document import render_html, render_markdown, render_text
from negotiation.core.document import show as show_cell
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number
from negotiation.models.bargaining import show
from negotiation.report.maps import equilibrium_map
from negotiation.report.trees import plot_tree
from negotiation.results.game import SolveResult
from negotiation.scenario import load
from negotiation.sweeps import sweep

__all__ = ["SliderSpec", "ExplorerMap", "ExplorerState", "ExplorerError", "slider_specs", "explore",
           "snap_to_slider", "plot_state", "EQUILIBRIA_TABLE_CLASS", "MAP_RESOLUTION"]

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
    analyses : dict
        Normal-form scenarios with options (``[repetition]``, ``[inspection]``): the
        results of ``scenario.analyses(values)`` by name, e.g. whether grim trigger
        sustains restraint at this discount factor. Their text is also appended to
        the ``model_*`` views, so that a slider that changes only them (``delta``)
        changes what the explorer shows.
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
    analyses: dict = field(default_factory=dict, repr=False)

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
    ['Restrain', '5/23 Restrain + 18/23 Deploy', 'Deploy']
    >>> state.map.x, state.map.y, state.map.point
    ('omega', 'phi', (Fraction(1, 5), Fraction(1, 4)))
    """
    if isinstance(scenario, str) or hasattr(scenario, "__fspath__"):
        scenario = load(scenario)
    values = dict(values or {})
    if map_resolution and map_resolution < 2:
        raise ExplorerError(f"map_resolution {map_resolution!r}: expected 0 (no map) or at least 2 points per axis")
    kind = _kind(scenario)
    if kind == "bargaining" and hasattr(scenario, "bargain"):
        return _explore_bargaining(scenario, values)
    if kind == "extensive-form":
        return _explore_tree(scenario, values)
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
    table = result.table()  # the compact equilibrium table: one row per equilibrium, mixtures in one cell
    header = [show_cell(cell) for cell in table.header]
    rows = [[show_cell(cell) for cell in row] for row in table.rows]
    messages = tuple(result.messages)
    explorer_map = None
    if resolution:
        explorer_map, note = _map(scenario, resolved, map_axes, map_by, resolution, cache)
        if note:
            messages += (note,)
    analyses = dict(scenario.analyses(values)) if getattr(scenario, "options", None) else {}
    texts = [analysis.to_text() for analysis in analyses.values()]
    return ExplorerState(
        scenario_id=scenario.id, title=scenario.title, kind=_kind(scenario), values=resolved,
        model_text="\n\n".join([render_text(game.document()), *texts]),
        model_markdown="\n\n".join([render_markdown(game.document()), *(f"```\n{t}\n```" for t in texts)]),
        model_html=render_html(game.document()) + "".join(
            f'<pre style="line-height: 1.3; white-space: pre-wrap">{html.escape(t)}</pre>' for t in texts),
        summary=summary, equilibria_header=tuple(header), equilibria_rows=tuple(tuple(r) for r in rows),
        equilibria_html=_table_html(header, rows, scenario.id, resolved), records=tuple(result.to_records()),
        result=result, map=explorer_map, messages=messages, analyses=analyses)


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
    table = result.solutions_table(agreements=True)
    header, rows = [str(c) for c in table.header], [[show_cell(c) for c in row] for row in table.rows]
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
        tree = state.result.tree
        if tree.n_nodes > 200:
            return None
        return plot_tree(tree, state.result if state.result.equilibria else None, ax=ax)
    if state.map is not None:
        return state.map.plot(ax=ax)
    game = getattr(state.result, "game", None)
    if type(game).__name__ == "ContinuousGame" and len(game.players) == 2 and not game.is_symbolic:
        return plot_best_responses(game, result=state.result, ax=ax)
    return None
