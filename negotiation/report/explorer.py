"""The interactive explorer: one scenario, sliders for its parameters, equilibria updated live.

:class:`Explorer` (or :func:`explorer`) is the notebook widget: a model dropdown, one slider per
parameter, the tables and a plot, updated when a slider is released. What it shows comes from the
pure function :func:`~negotiation.report.explorer_state.explore` (an
:class:`~negotiation.report.explorer_state.ExplorerState`), re-exported here with the slider
helpers. ipywidgets is imported only when the widget is built; without it the error names the
extra to install (``negotiation[notebook]``).
"""

from __future__ import annotations

import html
import io
from fractions import Fraction
from pathlib import Path
from typing import Mapping

from negotiation.core.numeric import format_number
from negotiation.report.explorer_state import (EQUILIBRIA_TABLE_CLASS, MAP_RESOLUTION, ExplorerError, ExplorerMap,
                                               ExplorerState, SliderSpec, explore, plot_state, slider_specs,
                                               snap_to_slider)
from negotiation.scenario import bundled_models, load
from negotiation.scenario.loader import read_string, read_toml

__all__ = ["SliderSpec", "ExplorerMap", "ExplorerState", "ExplorerError", "slider_specs", "explore",
           "snap_to_slider", "plot_state", "Explorer", "explorer", "EQUILIBRIA_TABLE_CLASS"]


def _png(figure, dpi: int = 90) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    return buffer.getvalue()


# ---------------------------------------------------------------------- the widget
def _decimals(step: Fraction) -> int:
    """Decimal places that show every value of a round step exactly."""
    places = 0
    while (step * 10 ** places).denominator != 1 and places < 12:
        places += 1
    return places


def _bundled_titles(unavailable: dict) -> tuple[dict, dict]:
    """The bundled models' paths and titles by name; the files that cannot be read go to ``unavailable``.

    The dropdown needs only each model's title: the files are read now (a few milliseconds) and a
    model is built when it is first shown. Building all 13 up front cost ~0.6 s of every notebook's
    explorer and of the app's first page; a file that reads but does not build is reported when it
    is chosen, and the explorer stays on the model it showed.
    """
    paths, titles = {}, {}
    for key, path in bundled_models().items():
        try:
            _, data = read_toml(path, bundled=False)
            title = read_string(data, "title", str(path))
        except Exception as error:  # a broken or unsupported file must not take the explorer down
            unavailable[key] = " ".join(str(error).split())
        else:
            paths[key], titles[key] = path, title
    return paths, titles


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
    map_axes : (str, str), optional
        The parameters on the map's x and y axes at start (default: the first two
        with a range); kept when another model with both parameters is chosen.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What the notebook displays (the object displays itself too): the model list and its
        description above two columns, ``controls`` and ``results``.
    controls : ipywidgets.VBox
        The left column: the sliders (``slider_box``) and the map's axes.
    results : ipywidgets.VBox
        The right column (below the controls on a narrow screen): the status line, the
        equilibria, the model at these values and the figure.
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

    def __init__(self, scenario=None, values: Mapping | None = None, *, map_resolution: int = MAP_RESOLUTION,
                 map_axes: tuple | None = None):
        widgets = _ipywidgets()
        self._widgets = widgets
        self._loaded: dict = {}
        #: Bundled models that could not be loaded (name -> one-line reason); left out of the dropdown.
        self.unavailable: dict = {}
        self._models, self._titles = _bundled_titles(self.unavailable)
        self._key = None
        self._cache: dict = {}
        self._updating = False
        self.map_resolution = map_resolution
        self._map_axes = tuple(map_axes) if map_axes is not None else None
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
        self.map_controls = widgets.HBox([self.map_x, self.map_y, self.map_by], layout=widgets.Layout(flex_flow="row wrap"))
        self.status = widgets.HTML()
        self.model_view = widgets.HTML()
        self.summary_view = widgets.HTML()
        self.equilibria_view = widgets.HTML()
        self.plot_view = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.plot_box = widgets.VBox([self.plot_view])
        self.model_dropdown.add_class("ng-model")
        self.equilibria_view.add_class("ng-equilibria-view")
        self.status.add_class("ng-status")
        self.slider_box.add_class("ng-sliders")
        tables = widgets.VBox([widgets.HTML("<b>Equilibria</b>"), self.summary_view, self.equilibria_view,
                               widgets.HTML("<b>Model at these values</b>"), self.model_view])
        # Controls on the left, results (tables, figure) on the right, so that moving a slider shows
        # its effect without scrolling; the row wraps, putting the results below, on a narrow screen.
        self.controls = widgets.VBox([self.slider_box, self.map_controls],
                                     layout=widgets.Layout(flex="0 1 auto", max_width="100%"))
        self.results = widgets.VBox([self.status, tables, self.plot_box],
                                    layout=widgets.Layout(flex="1 1 420px", min_width="min(420px, 100%)", max_width="1000px",
                                                          overflow="auto"))
        self.controls.add_class("ng-controls")
        self.results.add_class("ng-results")
        self.widget = widgets.VBox([
            self.model_dropdown, self.description,
            widgets.HBox([self.controls, self.results],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start", grid_gap="16px",
                                               width="100%")),
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("ng-explorer")

        self.model_dropdown.observe(self._on_model, names="value")
        for control in (self.map_x, self.map_y, self.map_by):
            control.observe(self._on_map_control, names="value")
        self.set_scenario(name, values)
        if self._map_axes is not None and (self.map_x.value, self.map_y.value) != self._map_axes:
            raise ExplorerError(f"map_axes {self._map_axes!r}: expected two different parameters of "
                                f"{self.scenario.id} with a range (normal-form scenarios only)")

    # ------------------------------------------------------------------ scenarios
    def _register(self, scenario) -> str:
        if isinstance(scenario, str):
            if scenario in self._models:
                self._scenario(scenario)  # built here, so that a file that does not build is refused now
                return scenario
            if scenario in self.unavailable:
                raise ExplorerError(f"{scenario}: this model cannot be loaded: {self.unavailable[scenario]}")
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
        if key not in self._loaded:
            try:
                self._loaded[key] = load(self._models[key])
            except ValueError as error:
                self.unavailable[key] = " ".join(str(error).split())
                raise ExplorerError(f"{key}: this model cannot be loaded: {self.unavailable[key]}") from None
        return self._loaded[key]

    def _option_label(self, key: str) -> str:
        title = self._loaded[key].title if key in self._loaded else self._titles[key]
        return f"{key}: {title}"

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
            rows.append(widgets.HBox([slider, exact, about], layout=widgets.Layout(flex_flow="row wrap")))
        self._update_exact_labels()
        self.slider_box.children = rows

    def _update_exact_labels(self) -> None:
        for name, label in self._exact_labels.items():
            label.value = f"<code>{html.escape(name)} = {html.escape(format_number(self.values[name]))}</code>"

    def _build_map_controls(self) -> None:
        usable = [name for name, spec in self.specs.items() if spec.high > spec.low]
        show = getattr(self.scenario, "kind", "normal-form") == "normal-form" and len(usable) >= 2
        self.map_controls.layout.display = None if show else "none"
        if not show:
            return
        self.map_x.options = usable
        self.map_y.options = usable
        preferred = self._map_axes
        chosen = preferred if preferred and len(set(preferred)) == 2 and set(preferred) <= set(usable) else usable[:2]
        self.map_x.value, self.map_y.value = chosen[0], chosen[1]
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
