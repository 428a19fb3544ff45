"""Equilibrium maps, bifurcation diagrams and tornado plots of parameter sensitivity.

* :func:`equilibrium_map`: two swept parameters, the plane coloured by the set
  of equilibria (or by the classic game), with symbolic boundaries drawn over it
  where the colour changes across them; an outcome that holds only on a line
  (a boundary case, a tie) is drawn as that line, not as a band one grid step wide;
* :func:`point_map`: the same plane for models solved point by point (Bayesian and
  signaling games), coloured by any label of the result;
* :func:`bifurcation_plot`: one swept parameter, the probabilities and payoffs
  of every equilibrium against it;
* :func:`tornado_plot`: how far each parameter can move down and up from a
  point before the set of equilibria changes (:func:`sensitivity_ranges`);
* :func:`save_figure`: PNG, SVG or PDF.

matplotlib is imported only when a plot is made; without a display it uses
the non-interactive Agg backend.
"""

from __future__ import annotations

import os
from fractions import Fraction

import numpy as np

from negotiation.core.drawing import draw
from negotiation.core.errors import NegotiationError
from negotiation.core.expressions import parse_expression
from negotiation.core.numeric import exact_value, format_number
from negotiation.report.figures import (
    FONT_SIZE,
    category_colours,
    colours,
    new_axes,
    pyplot,
    wrap_label,
    write_figure,
)
from negotiation.report.planes import (
    Plane,
    degenerate_codes,
    draw_lines,
    filled_halves,
    line_handle,
    thin_codes,
    where_outcome_changes,
)
from negotiation.sweeps import SweepResult, point_outcomes, read_table
from negotiation.sweeps.labels import equilibrium_label
from negotiation.symbolic.regions import BOUNDARY

__all__ = ["equilibrium_map", "point_map", "bifurcation_plot", "tornado_plot", "sensitivity_ranges", "save_figure",
           "map_categories", "draw_sweep"]


def save_figure(fig, path, *, dpi: int = 150):
    """Save a figure as PNG, SVG or PDF (chosen by the suffix of ``path``, never added) to exactly ``path``;
    returns the path (see :func:`negotiation.report.figures.write_figure`).

    Examples
    --------
    >>> save_figure(None, "map.gif")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    negotiation.core.errors.NegotiationError: map.gif: unsupported figure format '.gif' (expected .png, .svg or .pdf)
    """
    return write_figure(fig, path, dpi=dpi)  # exactly ``path``; a write error is one line naming it


# ---------------------------------------------------------------------- data access
def _is_result(obj) -> bool:
    return isinstance(obj, SweepResult)


def map_categories(table_or_result, x, y=None, by: str = "equilibria"):
    """Per point: x values, y values (or ``None``), category codes and labels.

    Accepts a :class:`~negotiation.sweeps.SweepResult` or a sweep table
    (DataFrame or path of a CSV/Parquet file).
    """
    if _is_result(table_or_result):
        result = table_or_result
        codes, labels = result.categories(by)
        xs = result.parameter_values(x)
        ys = result.parameter_values(y) if y is not None else None
        return xs, ys, np.asarray(codes), list(labels)
    frame = table_or_result
    if isinstance(frame, (str, os.PathLike)):
        frame = read_table(frame, exact=False)
    players, strategies = _players_from_columns(frame)
    points, outcomes, classes = point_outcomes(frame, players, strategies)
    if by == "classification":
        if classes is None:
            raise NegotiationError("the table has no classification column")
        categories = classes
    elif by in ("equilibria", "outcome", "outcomes"):
        categories = outcomes
    else:
        raise NegotiationError(f"by={by!r}: expected 'equilibria' or 'classification'")
    labels = list(dict.fromkeys(categories))
    index = {label: k for k, label in enumerate(labels)}
    codes = np.array([index[c] for c in categories], dtype=np.int32)
    first = _first_rows(frame)
    xs = _floats(frame[x].to_numpy()[first])
    ys = _floats(frame[y].to_numpy()[first]) if y is not None else None
    return xs, ys, codes, labels


def _first_rows(frame) -> np.ndarray:
    points = frame["point"].to_numpy().astype(np.int64)
    return np.flatnonzero(np.r_[True, points[1:] != points[:-1]])


def _floats(values) -> np.ndarray:
    out = np.empty(len(values))
    for i, v in enumerate(values):
        if isinstance(v, str):
            out[i] = float(Fraction(v)) if "/" in v else float(v)
        else:
            out[i] = np.nan if v is None else float(v)
    return out


def _players_from_columns(frame):
    players, strategies = [], []
    for name in frame.columns:
        if name.startswith("payoff "):
            continue
        player, sep, strategy = str(name).partition(": ")
        if sep:
            if player not in players:
                players.append(player)
                strategies.append([])
            strategies[players.index(player)].append(strategy)
    if not players:
        raise NegotiationError("not a sweep table: no '<player>: <strategy>' probability columns")
    return players, strategies


def _fixed_values(table_or_result, x, y) -> dict:
    if _is_result(table_or_result):
        return dict(table_or_result.values)
    return {}


# ---------------------------------------------------------------------- maps
def equilibrium_map(table_or_result, x=None, y=None, by: str = "equilibria", boundaries=None, ax=None,
                    title: str | None = None):
    """Parameter plane coloured by the set of equilibria (or by the classic game).

    Parameters
    ----------
    table_or_result : SweepResult, DataFrame or path
        A sweep over (at least) the parameters ``x`` and ``y``.  Grid points
        are drawn as filled cells, sampled points as dots.
    x, y : str, optional
        The parameters on the horizontal and vertical axes (default: the
        first two swept parameters of a result).
    by : {"equilibria", "classification"}
    boundaries : list of (label, expression or callable), optional
        Curves drawn over the map as the level 0 of a sympy expression in the
        scenario's parameters (others are set to the sweep's fixed values) or
        of ``callable(X, Y)`` on a mesh.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.categories`` lists the categories shown, in legend order.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.sweeps import sweep
    >>> result = sweep(ng.load("security_dilemma"), grid=["omega=0:1:21", "phi=0:1:21"])
    >>> fig = equilibrium_map(result, "omega", "phi", by="classification",
    ...                       boundaries=[("T = R", "omega*G + v - k")])
    >>> sorted(fig.categories)
    ['Chicken', 'Harmony', "Prisoner's Dilemma", 'Stag Hunt', 'boundary case']
    """
    if x is None or y is None:
        x, y = _default_axes(table_or_result, x, y)
    xs, ys, codes, labels = map_categories(table_or_result, x, y, by)
    fig, ax = new_axes(ax, (7.5, 5.5))
    heading = "classic game" if by == "classification" else "set of equilibria"
    _draw_plane(ax, xs, ys, codes, labels, legend_title="classic game" if by == "classification" else "equilibria",
                lines=degenerate_codes(codes, labels, _ties(table_or_result, by, x)),
                boundaries=boundaries and (lambda: _boundary_curves(boundaries, table_or_result, x, y)),
                axis_labels=(_axis_label(table_or_result, x), _axis_label(table_or_result, y)),
                title=title if title is not None else f"{_scenario_title(table_or_result)}: {heading}")
    fig.categories = ax.categories
    return fig


def _draw_plane(ax, xs, ys, codes, labels, *, legend_title, boundaries, axis_labels, title, lines=()) -> None:
    """Colour the plane by category (cells of a full grid, else dots), draw the boundaries where the colour
    changes across them, label the axes (wrapped, never cut) and write the legend beside the axes.

    ``lines``: the codes of outcomes that hold only on a set of measure zero; on a grid where each of
    their cells lies on a line one cell wide (or alone), they are drawn as lines (:func:`thin_codes`)."""
    from matplotlib.patches import Patch

    present = sorted(set(codes.tolist()), key=lambda c: labels[c])
    palette = category_colours([labels[c] for c in present])
    palette = {c: palette[labels[c]] for c in present}
    limits, thin, plane = _draw_categories(ax, xs, ys, codes, present, palette, lines)
    handles = [line_handle(palette[c], _wrap(labels[c])) if c in thin else
               Patch(facecolor=palette[c], edgecolor="none", label=_wrap(labels[c])) for c in present]
    if boundaries:
        handles += _draw_boundaries(ax, boundaries(), xs, ys, plane)
    width, height = ax.figure.get_size_inches()
    ax.set_xlabel(wrap_label(axis_labels[0], 0.65 * width))
    ax.set_ylabel(wrap_label(axis_labels[1], height))
    ax.set_xlim(*limits[0]) if limits[0][0] < limits[0][1] else None
    ax.set_ylim(*limits[1]) if limits[1][0] < limits[1][1] else None
    ax.set_title(wrap_label(title, 0.6 * width, FONT_SIZE + 1))  # about the width of the axes beside the legend
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, title=legend_title)
    ax.categories = [labels[c] for c in present]


def point_map(scenario, labeller, heading: str, *, points: int = 21, ax=None):
    """The plane of a scenario's first two parameters with a range, coloured by ``labeller(result)`` of the
    result solved at each point of a ``points`` × ``points`` grid (Bayesian and signaling games, which
    are not swept by :func:`negotiation.sweeps.sweep`); ``None`` without two such parameters.

    Axis labels are the parameters' names and full descriptions (wrapped, never cut short); the title is
    the scenario's title and ``heading``. Points where an assumption fails are "outside the assumptions".

    Examples
    --------
    >>> import negotiation as ng
    >>> figure = point_map(ng.load("reassurance_signal"), lambda result: f"{len(result)} PBE", "pure PBE",
    ...                    points=3)
    >>> figure.axes[0].get_title().startswith("Costly reassurance")
    True
    """
    parameters = [p for p in scenario.parameters.parameters if p.low is not None and p.high is not None][:2]
    if len(parameters) < 2:
        return None
    axes = [[Fraction(p.low) + (Fraction(p.high) - Fraction(p.low)) * Fraction(k, points - 1) for k in range(points)]
            for p in parameters]
    labels, codes, xs, ys = [], [], [], []
    for y in axes[1]:
        for x in axes[0]:
            try:
                label = labeller(scenario.solve({parameters[0].name: x, parameters[1].name: y}))
            except ValueError:
                label = "outside the assumptions"
            if label not in labels:
                labels.append(label)
            codes.append(labels.index(label))
            xs.append(float(x))
            ys.append(float(y))
    figure, ax = new_axes(ax, (7.5, 5.5))
    _draw_plane(ax, np.array(xs), np.array(ys), np.array(codes), labels, legend_title=None, boundaries=None,
                axis_labels=[_described(p) for p in parameters], title=f"{scenario.title}: {heading}")
    figure.categories = ax.categories
    return figure


def _described(parameter) -> str:
    """``name: description`` of a parameter, in full."""
    return f"{parameter.name}: {parameter.description}" if parameter.description else parameter.name


def _usable_swept(result) -> list[str]:
    """The swept parameters of a result that take more than one value."""
    return [name for name in result.swept if result.grid is None or len(result.grid[name]) > 1]


def _default_axes(table_or_result, x, y):
    """``x`` and ``y``, the missing ones the first swept parameters of a result."""
    if not _is_result(table_or_result) or len(table_or_result.swept) < 2:
        raise NegotiationError("equilibrium_map needs two parameters x and y")
    swept = _usable_swept(table_or_result)
    x = x or swept[0]
    return x, (y or [s for s in swept if s != x][0])


def _draw_categories(ax, xs, ys, codes, present, colours, lines=()):
    """Grid points as filled cells (a full grid over both axes), sampled points as dots.

    Returns the axis limits ``((x low, x high), (y low, y high))``, the codes drawn as lines (outcomes of
    measure zero, :func:`thin_codes`) and the :class:`Plane` of a grid (``None`` for samples).
    """
    from matplotlib.colors import ListedColormap

    ux, uy = np.unique(xs), np.unique(ys)
    if len(ux) * len(uy) == len(xs) and len(xs) > 1 and len(ux) > 1 and len(uy) > 1:
        image = np.full((len(uy), len(ux)), -1, dtype=np.int64)
        image[np.searchsorted(uy, ys), np.searchsorted(ux, xs)] = codes
        thin = thin_codes(image, lines)
        plane = Plane(ux, uy, image, filled_halves(image, thin))
        dense = np.zeros(max(present) + 1, dtype=np.int64)
        dense[present] = np.arange(len(present))
        dense = dense[plane.filled]
        cmap = ListedColormap([colours[c] for c in present])
        ax.pcolormesh(plane.filled_x, plane.filled_y, dense, cmap=cmap, vmin=-0.5, vmax=len(present) - 0.5,
                      shading="flat", rasterized=True)
        draw_lines(ax, plane, thin, colours)
        return ((plane.edges_x[0], plane.edges_x[-1]), (plane.edges_y[0], plane.edges_y[-1])), thin, plane
    for code in present:
        mask = codes == code
        ax.scatter(xs[mask], ys[mask], s=6, color=colours[code], linewidths=0, rasterized=True)
    return ((xs.min(), xs.max()), (ys.min(), ys.max())), set(), None


def _ties(table_or_result, by: str, x: str):
    """Per point: whether the classic game is a boundary case (``None`` without a classification)."""
    if by == "classification":
        return None  # the label says it
    try:
        _, _, codes, labels = map_categories(table_or_result, x, None, "classification")
    except NegotiationError:
        return None
    return np.array([labels[c] == BOUNDARY for c in codes.tolist()])


def _wrap(text: str, width: int = 38) -> str:
    parts = text.split("; ")
    return "\n".join(parts) if len(text) > width else text


def _scenario_title(table_or_result) -> str:
    if _is_result(table_or_result):
        return table_or_result.scenario.title
    return "Sweep"


def _axis_label(table_or_result, name) -> str:
    if _is_result(table_or_result):
        try:
            parameter = table_or_result.scenario.parameters[name]
        except KeyError:
            return name
        description = parameter.description.split(":")[0].split("(")[0].strip()
        return f"{name}: {description}" if description else name
    return name


def _boundary_curves(boundaries, table_or_result, x, y) -> list:
    """``(label, function of the mesh X, Y)`` of each boundary, the other parameters at the sweep's values."""
    fixed = _fixed_values(table_or_result, x, y)
    scenario = table_or_result.scenario if _is_result(table_or_result) else None
    return [(str(label), lambda X, Y, curve=curve: _evaluate_curve(curve, X, Y, x, y, fixed, scenario))
            for label, curve in boundaries]


def _draw_boundaries(ax, curves, xs, ys, plane) -> list:
    """Each boundary's level 0, kept only where the outcome changes across it (on a grid); the legend
    handles of the boundaries drawn (one that is drawn nowhere is not listed)."""
    import contourpy  # a dependency of matplotlib
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    handles = []
    X, Y = np.meshgrid(np.linspace(xs.min(), xs.max(), 400), np.linspace(ys.min(), ys.max(), 400))
    styles = ["-", "--", "-.", ":"]
    for label, curve in curves:
        Z = np.ma.masked_invalid(curve(X, Y))
        if Z.count() == 0 or not Z.min() <= 0 <= Z.max():
            continue
        lines = contourpy.contour_generator(X, Y, Z).lines(0.0)
        pieces = [piece for line in lines for piece in where_outcome_changes(np.asarray(line), plane)]
        if not pieces:
            continue
        style = styles[len(handles) % len(styles)]
        ax.add_collection(LineCollection(pieces, colors="black", linestyles=style, linewidths=1.4, zorder=4))
        handles.append(Line2D([], [], color="black", linestyle=style, linewidth=1.4, label=label))
    return handles


def _evaluate_curve(curve, X, Y, x, y, fixed, scenario):
    if callable(curve) and not hasattr(curve, "free_symbols"):
        return np.asarray(curve(X, Y), dtype=float) * np.ones_like(X)
    import sympy

    if isinstance(curve, str):
        if scenario is None:
            symbols = {name: sympy.Symbol(name) for name in (x, y)}
        else:  # parameters and derived quantities (e.g. "T - R")
            symbols = {**scenario.parameters.symbols, **dict(scenario.derived)}
        curve = parse_expression(curve, symbols, where=f"boundary {curve!r}")
    if isinstance(curve, sympy.Equality):
        curve = curve.lhs - curve.rhs
    by_name = {s.name: s for s in curve.free_symbols}
    substitutions = {by_name[name]: sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v
                     for name, v in fixed.items() if name in by_name and name not in (x, y)}
    expression = curve.xreplace(substitutions)
    leftover = sorted(s.name for s in expression.free_symbols if s.name not in (x, y))
    if leftover:
        raise NegotiationError(f"boundary {curve}: no value for {', '.join(leftover)} (set them or sweep them)")
    sx = by_name.get(x, sympy.Symbol(x))
    sy = by_name.get(y, sympy.Symbol(y))
    function = sympy.lambdify((sx, sy), expression, modules="numpy")
    with np.errstate(all="ignore"):
        return np.asarray(function(X, Y), dtype=float) * np.ones_like(X)


# ---------------------------------------------------------------------- bifurcation
def bifurcation_plot(table, x, ax=None, title: str | None = None):
    """Probabilities and payoffs of every equilibrium against one parameter.

    Parameters
    ----------
    table : SweepResult, DataFrame or path
        A sweep table in which ``x`` varies (the other parameters fixed).
    x : str

    Returns
    -------
    matplotlib.figure.Figure
        Top panel: the probability of each player's first strategy in each
        equilibrium; bottom panel: each player's payoff.  Colours tell the
        kinds of equilibrium apart (by support).

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.sweeps import sweep
    >>> result = sweep(ng.load("security_dilemma"), grid=["phi=0:1:41"], values={"omega": "3/4"})
    >>> fig = bifurcation_plot(result, "phi")
    >>> sorted(fig.categories)
    ['mixed (Restrain+Deploy, Restrain+Deploy)', 'pure (Deploy, Deploy)', 'pure (Deploy, Restrain)', 'pure (Restrain, Deploy)']
    """
    frame = table.table() if _is_result(table) else table
    if isinstance(frame, (str, os.PathLike)):
        frame = read_table(frame, exact=False)
    players, strategies = _players_from_columns(frame)
    frame = frame[frame["kind"].astype(str) != "none"]
    xs = _floats(frame[x].to_numpy())
    support = np.zeros(len(frame), dtype=np.int64)
    bit = 0
    probability_columns, payoff_columns = [], []
    for player, labels in zip(players, strategies):
        probability_columns.append(f"{player}: {labels[0]}")
        for label in labels:
            support |= (_floats(frame[f"{player}: {label}"].to_numpy()) > 0).astype(np.int64) << bit
            bit += 1
        payoff_columns.append(f"payoff {player}")
    categories = np.array([equilibrium_label(c, strategies) for c in support.tolist()], dtype=object)
    names = sorted(set(categories.tolist()))
    if ax is None:
        plt = pyplot()
        with plt.rc_context({"font.size": FONT_SIZE}):
            figure, axes = plt.subplots(2, 1, figsize=(7.5, 6.5), sharex=True, layout="constrained")
    else:
        axes, figure = ax, ax[0].figure
    palette = dict(zip(names, colours(len(names))))
    panels = ((axes[0], probability_columns, "probability"), (axes[1], payoff_columns, "expected payoff"))
    for panel, columns, ylabel in panels:
        for p, column in enumerate(columns):
            values = _floats(frame[column].to_numpy())
            for name in names:
                mask = categories == name
                panel.scatter(xs[mask], values[mask], s=14, color=palette[name], marker=_MARKERS[p % len(_MARKERS)],
                              linewidths=0, alpha=0.85)
        panel.set_ylabel(ylabel)
        panel.grid(True, alpha=0.3)
    _bifurcation_legends(axes, palette, probability_columns, payoff_columns)
    axes[1].set_xlabel(_axis_label(table, x))
    axes[0].set_title(title if title is not None else f"{_scenario_title(table)}: equilibria against {x}")
    figure.categories = names
    return figure


_MARKERS = ["o", "s", "^", "D", "v"]


def _bifurcation_legends(axes, colours: dict, probability_columns, payoff_columns) -> None:
    """The kinds of equilibrium (colours) and the columns (markers) beside the two panels."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def markers(columns):
        return [Line2D([], [], marker=_MARKERS[p % len(_MARKERS)], color="grey", linestyle="none", label=column)
                for p, column in enumerate(columns)]

    handles = [Patch(facecolor=colour, label=name) for name, colour in colours.items()]
    axes[0].legend(handles=handles + markers(probability_columns), loc="upper left", bbox_to_anchor=(1.02, 1.0),
                   frameon=False)
    axes[1].legend(handles=markers(payoff_columns), loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)


# ---------------------------------------------------------------------- sensitivity
def _outcome(scenario, values) -> str | None:
    """Label of the equilibrium set at ``values``; ``None`` where the model is not defined."""
    try:
        result = scenario.solve(values)
    except ValueError:
        return None
    labels = []
    for equilibrium in result.equilibria:
        code, bit = 0, 0
        for vector in equilibrium.profile.probabilities:
            for p in vector:
                if p > 0:
                    code |= 1 << bit
                bit += 1
        labels.append(equilibrium_label(code, [list(s) for s in result.game.strategies]))
    return "; ".join(labels)


def sensitivity_ranges(scenario, values=None, *, steps: int = 32, tolerance=Fraction(1, 10**6)) -> list[dict]:
    """How far each parameter can move from ``values`` before the set of equilibria changes.

    For every parameter with a finite range, the interval from the point to
    each end of the range is scanned in ``steps`` exact steps; the first step
    at which the equilibrium set (kinds and supports) changes, or the model
    stops being defined (an assumption fails), is refined by bisection to
    within ``tolerance`` times the range.

    Returns
    -------
    list of dict
        One per parameter: ``parameter``, ``value``, ``low`` and ``high`` (the
        nearest change below and above, exact; the range end if none),
        ``low_reason`` / ``high_reason`` (``"equilibria change"``,
        ``"assumption"`` or ``"range"``) and the equilibrium sets beyond them.

    Examples
    --------
    >>> import negotiation as ng
    >>> rows = sensitivity_ranges(ng.load("security_dilemma"), steps=8)
    >>> row = [r for r in rows if r["parameter"] == "phi"][0]
    >>> row["high"], row["high_reason"]
    (Fraction(3, 5), 'equilibria change')
    """
    resolved = scenario.parameters.resolve(values or {})
    base = _outcome(scenario, resolved)
    if base is None:
        raise NegotiationError("the model is not defined at the given point (an assumption fails)")
    rows = []
    for parameter in scenario.parameters:
        if parameter.low is None or parameter.high is None or parameter.low == parameter.high:
            continue
        value = exact_value(resolved[parameter.name])
        low, high = exact_value(parameter.low), exact_value(parameter.high)
        row = {"parameter": parameter.name, "value": value, "range low": low, "range high": high,
               "equilibria": base}
        def outcome_at(number, _name=parameter.name):
            return _outcome(scenario, {**resolved, _name: number})

        for side, end in (("low", low), ("high", high)):
            found, reason, beyond = _nearest_change(outcome_at, base, value, end, steps, tolerance * (high - low))
            row[side] = found
            row[f"{side}_reason"] = reason
            row[f"{side}_equilibria"] = beyond
        rows.append(row)
    return rows


def _nearest_change(outcome_at, base, value, end, steps: int, tolerance):
    """From ``value`` towards ``end``: the first point where ``outcome_at`` differs from ``base``, to within
    ``tolerance`` (scanned in ``steps`` steps, then bisected); ``(point, reason, outcome beyond it)``."""
    previous = value
    if end == value:
        return end, "range", None
    for k in range(1, steps + 1):
        candidate = value + (end - value) * Fraction(k, steps)
        if outcome_at(candidate) != base:
            inside, outside = previous, candidate
            while abs(outside - inside) > tolerance:
                middle = _simplest_between(inside, outside, (inside + outside) / 2)
                if outcome_at(middle) == base:
                    inside = middle
                else:
                    outside = middle
            beyond = outcome_at(outside)
            return outside, ("assumption" if beyond is None else "equilibria change"), beyond
        previous = candidate
    return end, "range", None


def _simplest_between(a: Fraction, b: Fraction, fallback: Fraction) -> Fraction:
    """A short fraction strictly between a and b (keeps bisection thresholds readable, e.g. 1/4)."""
    low, high = min(a, b), max(a, b)
    for denominator in (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, 50, 64, 100, 128, 1000):
        numerator = -((-low.numerator * denominator) // low.denominator)  # ceil(low * d)
        candidate = Fraction(numerator, denominator)
        if candidate == low:
            candidate = Fraction(numerator + 1, denominator)
        if low < candidate < high:
            return candidate
    return fallback


def tornado_plot(scenario, values=None, ax=None, *, steps: int = 32, rows=None, title: str | None = None):
    """Tornado chart: for each parameter, the interval around the point with the same equilibria.

    Bars extend from the point (0) to the nearest change of the set of
    equilibria below and above, as a percentage of the parameter's range;
    parameters whose equilibria never change within the range get a full
    bar to the range end.  The exact thresholds are written at the bar ends.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.rows`` holds the :func:`sensitivity_ranges` rows.

    Examples
    --------
    >>> import negotiation as ng
    >>> fig = tornado_plot(ng.load("security_dilemma"), steps=8)
    >>> [row["parameter"] for row in fig.rows][:2]
    ['omega', 'phi']
    """
    if rows is None:
        rows = sensitivity_ranges(scenario, values, steps=steps)
    ordered = sorted(rows, key=lambda r: float((r["high"] - r["low"]) / (r["range high"] - r["range low"])),
                     reverse=True)
    fig, ax = new_axes(ax, (7.5, 0.6 * len(ordered) + 1.8))
    palette = {"equilibria change": "#0072B2", "assumption": "#D55E00", "range": "#BBBBBB"}
    for k, row in enumerate(ordered):
        width = row["range high"] - row["range low"]
        down = float((row["low"] - row["value"]) / width) * 100
        up = float((row["high"] - row["value"]) / width) * 100
        level = len(ordered) - 1 - k
        ax.barh(level, down, color=palette[row["low_reason"]], height=0.6)
        ax.barh(level, up, color=palette[row["high_reason"]], height=0.6)
        ax.text(down, level, f"{format_number(row['low'])} ", ha="right", va="center", fontsize=FONT_SIZE - 2)
        ax.text(up, level, f" {format_number(row['high'])}", ha="left", va="center", fontsize=FONT_SIZE - 2)
    ax.set_yticks(range(len(ordered)))
    ax.set_yticklabels([f"{r['parameter']} = {format_number(r['value'])}" for r in reversed(ordered)])
    ax.axvline(0, color="black", linewidth=1)
    ax.set_xlim(-115, 115)
    ax.set_xlabel("change before the set of equilibria changes (% of the parameter's range)")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=c, label=l) for l, c in palette.items()], loc="lower right", frameon=False,
              fontsize=FONT_SIZE - 2)
    ax.set_title(title if title is not None else f"{scenario.title}: sensitivity of the equilibria")
    fig.rows = rows
    return fig


# ---------------------------------------------------------------------- result.plot() of a sweep
@draw.register(SweepResult)
def draw_sweep(result: SweepResult, x=None, y=None, *, figure: str | None = None, **options):
    """The figure of a sweep (``result.plot()``, ``result.map()``): its equilibrium map over two swept
    parameters, or its bifurcation plot over one (``figure="map"`` or ``"bifurcation"`` to choose).

    Examples
    --------
    >>> import negotiation as ng
    >>> line = ng.sweep(ng.load("security_dilemma"), grid=["omega=0:1:5"])
    >>> line.plot().axes[1].get_xlabel().startswith("omega")
    True
    """
    if figure not in (None, "map", "bifurcation"):
        raise NegotiationError(f"figure={figure!r}: expected 'map' or 'bifurcation'")
    swept = _usable_swept(result)
    if figure == "map" or (figure is None and (y is not None or len(swept) >= 2)):
        return equilibrium_map(result, x, y, **options)
    if x is None and not swept:
        raise NegotiationError("a sweep's figure needs a swept parameter with more than one value")
    return bifurcation_plot(result, x or swept[0], **options)
