"""Figures of bargaining problems: the agreement set in utility space and in issue space, and sensitivity.

Every function returns a :class:`matplotlib.figure.Figure` (drawn on ``ax``
when one is given) with labelled axes, ready for ``fig.savefig("zone.pdf")``.
matplotlib is imported only when a figure is drawn, and no global pyplot
state is touched. ``result.plot()`` of a :class:`~negotiation.results.bargaining.BargainingResult`
draws :func:`plot_agreement_set`, of a :class:`~negotiation.results.bargaining.Sensitivity`
:func:`plot_sensitivity` (registered with :func:`negotiation.core.drawing.draw`).
"""

from __future__ import annotations

import numpy as np
import sympy

from negotiation.bargaining.sensitivity import issue_utilities
from negotiation.bargaining.solutions import bargain
from negotiation.core.drawing import draw
from negotiation.models.bargaining import BargainingError, IssueSpace, as_sympy, to_float
from negotiation.report.figures import new_figure
from negotiation.results.bargaining import SOLUTION_TITLES, BargainingResult, Sensitivity

__all__ = ["plot_agreement_set", "plot_issue_space", "plot_sensitivity"]

_MARKERS = {"nash": ("*", 15), "kalai_smorodinsky": ("D", 8), "egalitarian": ("s", 8), "utilitarian": ("^", 9)}
_COLOURS = {"nash": "tab:red", "kalai_smorodinsky": "tab:purple", "egalitarian": "tab:green",
            "utilitarian": "tab:orange"}
#: The zone as a wide translucent band (a segment) or area, its Pareto frontier as a thin dark line on it:
#: two entries of the legend that look different.
_ZONE = {"color": "tab:blue", "alpha": 0.35}
_ZONE_WIDTH = 9
_FRONTIER = {"color": "#08306b", "linewidth": 2.0}


def _axes(ax, size=(6.4, 5.2)):
    if ax is not None:
        return ax.figure, ax
    figure = new_figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def _result(model):
    return model if isinstance(model, BargainingResult) else bargain(model)


@draw.register(BargainingResult)
def plot_agreement_set(result, ax=None, *, show_feasible: bool = True, title: str | None = None):
    """The feasible set, the zone of possible agreement, its frontier, ``d`` and the solutions (two parties).

    Parameters
    ----------
    result : BargainingResult or BargainingProblem
    ax : matplotlib Axes, optional
    show_feasible : bool
        Also draw the agreements outside the zone (lighter).
    title : str, optional
        Default: the problem's title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from negotiation.models.bargaining import BargainingProblem
    >>> p = BargainingProblem.from_vertices([(0, 0), (1, 0), (0, 1), ("3/4", "3/4")], ("NATO", "Russia"), (0, 0))
    >>> figure = plot_agreement_set(p)
    >>> figure.axes[0].get_xlabel()
    'utility of NATO'
    """
    result = _result(result)
    problem = result.problem
    if problem.n_parties != 2:
        raise BargainingError("utility-space plots need exactly two parties")
    figure, ax = _axes(ax)
    d = [to_float(x) for x in problem.disagreement]
    labelled = set()

    def once(label):
        if label in labelled:
            return None
        labelled.add(label)
        return label

    for piece in result.zone.pieces:
        if piece.kind == "polygon":
            polygon = [[to_float(x) for x in v.u] for v in piece.vertices]
            ir = [[to_float(x) for x in v.u] for v in piece.ir(problem.disagreement)]
            if show_feasible and len(polygon) >= 1 and not piece.ir_only:
                _fill(ax, polygon, color="0.85", label=once("feasible agreements"))
            if ir:
                _fill(ax, ir, **_ZONE, label=once("zone of possible agreement"), width=_ZONE_WIDTH)
        elif piece.kind == "finite":
            points = piece.floats
            mask = piece.ir_mask(problem.disagreement)
            if show_feasible and (~mask).any():
                ax.scatter(points[~mask, 0], points[~mask, 1], s=8, color="0.7", label=once("other packages"))
            if mask.any():
                ax.scatter(points[mask, 0], points[mask, 1], s=12, color="tab:blue",
                           label=once("packages in the zone"))
        elif piece.kind == "curve":
            samples = _curve_samples(piece)
            if show_feasible:
                style = "-" if piece.one_dimensional else "."
                ax.plot(samples[:, 0], samples[:, 1], style, color="0.7", markersize=2,
                        label=once("feasible agreements"))
            inside = np.all(samples >= np.array(d) - 1e-12, axis=1)
            if inside.any():
                ax.plot(samples[inside, 0], samples[inside, 1], "." if not piece.one_dimensional else "o",
                        color="tab:blue", markersize=2, label=once("zone of possible agreement"))
    _draw_frontier(ax, result.zone.frontier, once)
    ax.axvline(d[0], color="0.4", linestyle=":", linewidth=1, label=once("no-deal utility of each party"))
    ax.axhline(d[1], color="0.4", linestyle=":", linewidth=1, label=once("no-deal utility of each party"))
    ax.plot([d[0]], [d[1]], "o", color="black", markersize=7, label="no deal (disagreement point)")
    if result.zone.empty and result.zone.closest is not None:
        c = [to_float(x) for x in result.zone.closest.utilities]
        ax.plot([c[0]], [c[1]], "x", color="black", markersize=9, label="closest agreement (zone empty)")
    for name, solution in result.solutions.items():
        marker, size = _MARKERS.get(name, ("o", 8))
        u = [to_float(x) for x in solution.utilities]
        ax.plot([u[0]], [u[1]], marker, markersize=size, color=_COLOURS.get(name, "black"),
                markeredgecolor="black", linestyle="none", label=SOLUTION_TITLES.get(name, name))
    ax.set_xlabel(f"utility of {problem.parties[0]}")
    ax.set_ylabel(f"utility of {problem.parties[1]}")
    heading = title if title is not None else (problem.title or "Bargaining problem")
    if result.zone.empty:
        heading += "\n(no agreement beats no deal for both)"
    ax.set_title(heading, fontsize=10)
    # outside the axes: inside, it can hide the solutions, which sit on the frontier's upper right
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
    ax.grid(True, alpha=0.3)
    if ax.figure is figure and figure.get_size_inches()[0] < 8.5:
        figure.set_size_inches(8.8, figure.get_size_inches()[1])
    return figure


def _fill(ax, polygon, width=3, **style):
    """A polygon filled, a segment as a line ``width`` points wide (translucent where ``style`` says), a point."""
    polygon = np.asarray(polygon, dtype=float)
    if len(polygon) >= 3:
        ax.fill(polygon[:, 0], polygon[:, 1], edgecolor="0.5", linewidth=0.8, **style)
    elif len(polygon) == 2:
        ax.plot(polygon[:, 0], polygon[:, 1], linewidth=width, color=style.get("color"), label=style.get("label"),
                alpha=style.get("alpha"), solid_capstyle="butt")
    else:
        ax.plot(polygon[:, 0], polygon[:, 1], "o", color=style.get("color"), label=style.get("label"))


def _draw_frontier(ax, frontier, once):
    points = np.array([[to_float(x) for x in p.utilities] for p in frontier.points], dtype=float)
    if not len(points):
        return
    label = once("Pareto frontier of the zone")
    start = 0
    for k in range(len(points)):
        last = k == len(points) - 1 or not frontier.connected[k]
        if last:
            segment = points[start:k + 1]
            if len(segment) > 1:
                ax.plot(segment[:, 0], segment[:, 1], "-", **_FRONTIER, label=label, zorder=3)
            else:
                ax.plot(segment[:, 0], segment[:, 1], "o", color=_FRONTIER["color"], markersize=5, label=label,
                        zorder=3)
            label = None
            start = k + 1


def _curve_samples(piece, count=600):
    lows = np.array([to_float(v) for v in piece.lows])
    highs = np.array([to_float(v) for v in piece.highs])
    if piece.one_dimensional:
        grid = np.linspace(lows[0], highs[0], count).reshape(-1, 1)
    else:
        grid = np.random.default_rng(0).uniform(lows, highs, size=(count * 4, len(lows)))
    return piece.evaluate(grid)  # all samples in one call of the numpy function (the same floats as one by one)


# ---------------------------------------------------------------------- issue space
def plot_issue_space(result, issues=None, ax=None, *, at: str | dict = "nash", resolution: int = 240,
                     title: str | None = None):
    """The zone of possible agreement in the space of one or two issues (the others held fixed).

    Parameters
    ----------
    result : BargainingResult or BargainingProblem
        An issue-space problem.
    issues : sequence of one or two issue names, optional
        Default: the first one or two issues (continuous ones first).
    at : str or mapping
        Values of the issues not shown: the agreement of that solution
        (default ``"nash"``), or a mapping issue -> value/option.
    resolution : int
        Grid points per continuous axis.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    With one issue, each party's utility is drawn against it, with its no-deal
    level; the shaded interval is the zone. With two, the shaded region is the
    set of agreements every party weakly prefers to no deal, bounded by each
    party's indifference curve ``u_i = d_i``. Solutions are marked where their
    other terms coincide with the ones held fixed.

    Examples
    --------
    >>> from negotiation.models.bargaining import BargainingProblem, Issue
    >>> x, y = Issue.continuous("x", 0, 1, unit="share"), Issue.continuous("y", 0, 1)
    >>> p = BargainingProblem.from_issues([x, y], {"A": "x + y/2", "B": "2 - x - y"}, disagreement=(0, 0))
    >>> figure = plot_issue_space(p)
    >>> figure.axes[0].get_xlabel()
    'x (share)'
    """
    result = _result(result)
    problem = result.problem
    space = problem.agreements
    if not isinstance(space, IssueSpace):
        raise BargainingError("issue-space plots need a problem stated over issues")
    ordered = sorted(space.issues, key=lambda i: i.kind != "continuous")
    names = list(issues) if issues else [i.name for i in ordered[:2]]
    if not 1 <= len(names) <= 2:
        raise BargainingError("choose one or two issues to plot")
    try:
        shown = [space.issue(name) for name in names]
    except KeyError as error:
        raise BargainingError(f"unknown issue {error.args[0]!r} (issues: "
                              f"{', '.join(i.name for i in space.issues)})") from None
    fixed = _fixed_terms(result, space, at)
    figure, ax = _axes(ax)
    d = np.array([to_float(x) for x in problem.disagreement])
    axes_values = [_axis_values(issue, resolution) for issue in shown]
    if len(shown) == 1:
        _draw_one_issue(ax, result, shown[0], axes_values[0], fixed, d)
    else:
        _draw_two_issues(ax, result, shown, axes_values, fixed, d)
    for issue, set_limits in zip(shown, (ax.set_xlim, ax.set_ylim)):
        if issue.kind == "continuous" and (len(shown) == 2 or set_limits is ax.set_xlim):
            low, high = to_float(issue.low), to_float(issue.high)
            margin = 0.03 * (high - low) if high > low else 0.5
            set_limits(low - margin, high + margin)
    first = shown[0]
    ax.set_xlabel(_axis_label(first))
    if first.kind == "discrete":
        ax.set_xticks(range(len(first.options)), first.options)
    others = {k: v for k, v in fixed.items() if k not in names}
    subtitle = "; ".join(f"{k} = {space.issue(k).format(v)}" for k, v in others.items())
    heading = title if title is not None else (problem.title or "Bargaining problem")
    ax.set_title(heading + (f"\n(other issues: {subtitle})" if subtitle else ""), fontsize=9)
    ax.legend(fontsize=8, loc="best")
    ax.grid(True, alpha=0.3)
    return figure


def _draw_one_issue(ax, result, issue, values, fixed, d):
    """Each party's utility against one issue (the others fixed), its no-deal level and the zone shaded."""
    problem = result.problem
    space = problem.agreements
    utilities = np.array([_utilities(space, {**fixed, issue.name: v}) for v in values])
    positions = np.arange(len(values)) if issue.kind == "discrete" else np.array([to_float(v) for v in values])
    inside = np.all(utilities >= d - 1e-12, axis=1)
    for k, party in enumerate(problem.parties):
        line, = ax.plot(positions, utilities[:, k], "-o" if issue.kind == "discrete" else "-",
                        label=f"utility of {party}")
        ax.axhline(d[k], color=line.get_color(), linestyle=":", linewidth=1, label=f"no deal for {party}")
    if inside.any():
        low, high = ax.get_ylim()
        ax.fill_between(positions, low, high, where=inside, color="tab:blue", alpha=0.15,
                        label="zone of possible agreement")
        ax.set_ylim(low, high)
    ax.set_ylabel("utility")
    for name, solution in result.solutions.items():
        terms = solution.agreement.terms if solution.agreement is not None else {}
        if issue.name in terms and _matches(terms, fixed, {issue.name}):
            x = _position(issue, terms[issue.name])
            ax.axvline(x, color=_COLOURS.get(name, "black"), linewidth=1.2,
                       label=SOLUTION_TITLES.get(name, name))


def _draw_two_issues(ax, result, shown, axes_values, fixed, d):
    """The zone in the plane of two issues (the others fixed), bounded by the indifference curves ``u_i = d_i``."""
    problem = result.problem
    space = problem.agreements
    a, b = shown
    grid_a, grid_b = axes_values
    zone = np.zeros((len(grid_b), len(grid_a)), dtype=bool)
    levels = np.zeros((len(problem.parties), len(grid_b), len(grid_a)))
    evaluate = _grid_evaluator(space, fixed, a, b)
    for j, vb in enumerate(grid_b):
        row = evaluate(grid_a, vb)
        levels[:, j, :] = (row - d.reshape(-1, 1))
        zone[j, :] = np.all(row >= d.reshape(-1, 1) - 1e-12, axis=0)
    xa = np.arange(len(grid_a)) if a.kind == "discrete" else np.array([to_float(v) for v in grid_a])
    xb = np.arange(len(grid_b)) if b.kind == "discrete" else np.array([to_float(v) for v in grid_b])
    if a.kind == "continuous" and b.kind == "continuous":
        ax.contourf(xa, xb, zone.astype(float), levels=[0.5, 1.5], colors=["tab:blue"], alpha=0.3)
        for k, party in enumerate(problem.parties):
            ax.contour(xa, xb, levels[k], levels=[0.0], colors=[f"C{k}"], linewidths=1.5)
            ax.plot([], [], color=f"C{k}", label=f"{party} indifferent to no deal")
        ax.fill([], [], color="tab:blue", alpha=0.3, label="zone of possible agreement")
    else:
        ax.pcolormesh(_edges(xa, a), _edges(xb, b), zone.astype(float), cmap="Blues", vmin=0, vmax=1.6,
                      shading="flat")
        ax.fill([], [], color="tab:blue", alpha=0.5, label="zone of possible agreement")
    for name, solution in result.solutions.items():
        terms = solution.agreement.terms if solution.agreement is not None else {}
        if a.name in terms and b.name in terms and _matches(terms, fixed, {a.name, b.name}):
            marker, size = _MARKERS.get(name, ("o", 8))
            ax.plot([_position(a, terms[a.name])], [_position(b, terms[b.name])], marker, markersize=size,
                    color=_COLOURS.get(name, "black"), markeredgecolor="black", linestyle="none",
                    label=SOLUTION_TITLES.get(name, name))
    ax.set_ylabel(_axis_label(b))
    if b.kind == "discrete":
        ax.set_yticks(range(len(b.options)), b.options)


def _axis_label(issue) -> str:
    label = issue.label or issue.name
    return f"{label} ({issue.unit})" if issue.unit else label


def _axis_values(issue, resolution):
    if issue.kind == "discrete":
        return list(issue.options)
    return list(np.linspace(to_float(issue.low), to_float(issue.high), resolution))


def _edges(centres, issue):
    if issue.kind == "discrete":
        return np.arange(len(centres) + 1) - 0.5
    centres = np.asarray(centres, dtype=float)
    if len(centres) == 1:
        return np.array([centres[0] - 0.5, centres[0] + 0.5])
    middle = (centres[1:] + centres[:-1]) / 2
    return np.concatenate([[centres[0] - (middle[0] - centres[0])], middle, [centres[-1] + (centres[-1] - middle[-1])]])


def _position(issue, value):
    return issue.options.index(value) if issue.kind == "discrete" else to_float(value)


def _fixed_terms(result, space, at) -> dict:
    if isinstance(at, dict):
        terms = dict(at)
    else:
        solution = result.solutions.get(at) or next(iter(result.solutions.values()), None)
        terms = dict(solution.agreement.terms) if solution is not None and solution.agreement is not None else {}
        if not terms and result.zone.closest is not None and result.zone.closest.agreement is not None:
            terms = dict(result.zone.closest.agreement.terms)
    for issue in space.issues:
        if issue.name not in terms:
            terms[issue.name] = issue.options[0] if issue.kind == "discrete" else (
                (issue.low + issue.high) / 2)
    return terms


def _matches(terms, fixed, free) -> bool:
    for name, value in fixed.items():
        if name in free or name not in terms:
            continue
        other = terms[name]
        if isinstance(value, str) or isinstance(other, str):
            if value != other:
                return False
        elif abs(to_float(value) - to_float(other)) > 1e-9 * max(1.0, abs(to_float(value))):
            return False
    return True


def _utilities(space, terms) -> np.ndarray:
    return np.array([float(u) for u in issue_utilities(space, terms)])


def _grid_evaluator(space, fixed, a, b):
    """A fast evaluator of every party's utility over the values of issues ``a`` (vector) and ``b`` (scalar)."""
    replacement = {}
    for issue in space.issues:
        if issue.name in (a.name, b.name):
            continue
        value = fixed[issue.name]
        replacement[issue.symbol] = as_sympy(issue.value_of(value) if issue.kind == "discrete" else value)
    expressions = []
    for utility, scores in zip(space.utilities, space.scores):
        expressions.append((utility.xreplace(replacement), scores))
    functions = [sympy.lambdify([a.symbol, b.symbol], e, "numpy") for e, _ in expressions]

    def numeric(issue, value):
        return to_float(issue.value_of(value)) if issue.kind == "discrete" else to_float(value)

    def evaluate(values_a, value_b):
        xa = np.array([numeric(a, v) for v in values_a], dtype=float)
        xb = numeric(b, value_b)
        rows = []
        for function, (_, scores) in zip(functions, expressions):
            with np.errstate(all="ignore"):
                row = np.broadcast_to(np.asarray(function(xa, xb), dtype=float), xa.shape).copy()
            for name, table in scores.items():
                if name == a.name:
                    row += np.array([to_float(table[v]) for v in values_a])
                elif name == b.name:
                    row += to_float(table[value_b])
                else:
                    row += to_float(table[fixed[name]])
            rows.append(row)
        return np.array(rows)

    return evaluate


# ---------------------------------------------------------------------- sensitivity
@draw.register(Sensitivity)
def plot_sensitivity(sensitivity, ax=None, *, solutions=None, title: str | None = None):
    """Each party's utility under each solution as one parameter varies; empty zones shaded, thresholds marked.

    Returns
    -------
    matplotlib.figure.Figure
    """
    figure, ax = _axes(ax, size=(7.2, 4.8))
    parameter = sensitivity.parameter
    xs = [to_float(v) for v, _, _ in sensitivity.results]
    defined = [r for _, r, _ in sensitivity.results if r is not None]
    parties = sensitivity.parties
    names = solutions or list(dict.fromkeys(n for r in defined for n in r.solutions))
    styles = ["-", "--", "-.", ":"]
    for name in names:
        for k, party in enumerate(parties):
            ys = [to_float(r.solutions[name].utilities[k]) if r is not None and name in r.solutions else np.nan
                  for _, r, _ in sensitivity.results]
            ax.plot(xs, ys, styles[k % len(styles)], color=_COLOURS.get(name, None), marker=".",
                    label=f"{SOLUTION_TITLES.get(name, name)}: {party}")
    for k, party in enumerate(parties):
        ds = [to_float(r.problem.disagreement[k]) if r is not None else np.nan for _, r, _ in sensitivity.results]
        ax.plot(xs, ds, styles[k % len(styles)], color="black", linewidth=1, label=f"no deal: {party}")
    for (x0, r0, _), (x1, _, _) in zip(sensitivity.results, sensitivity.results[1:]):
        if r0 is None:
            ax.axvspan(to_float(x0), to_float(x1), color="0.85", alpha=0.6, linewidth=0)
        elif r0.zone.empty:
            ax.axvspan(to_float(x0), to_float(x1), color="tab:red", alpha=0.08, linewidth=0)
    for threshold in sensitivity.thresholds:
        ax.axvline(to_float(threshold.value), color="tab:red", linewidth=1.2,
                   label=f"zone {'opens' if threshold.opens else 'closes'} at {to_float(threshold.value):.4g}")
    ax.set_xlabel(parameter)
    ax.set_ylabel("utility")
    ax.set_title(title or f"Bargaining solutions as {parameter} varies", fontsize=10)
    ax.legend(fontsize=7, loc="best")
    ax.grid(True, alpha=0.3)
    return figure
