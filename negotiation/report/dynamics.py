"""Figures of dynamics: the paths of a :class:`~negotiation.results.dynamics.Trajectory` and the phase
portrait of Richardson's arms race.

* :func:`plot_trajectory` — each state variable over time and, for a two-player 2×2 learning run or
  an arms race, the path in the plane; the figure of a trajectory (``run.plot()``).
* :func:`plot_phase` — the vector field, both nullclines, the steady state and trajectories of a
  :class:`~negotiation.models.richardson.RichardsonModel`; the figure of the model (``model.plot()``).

Both are registered with :func:`negotiation.core.drawing.draw`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from negotiation.core.drawing import draw
from negotiation.dynamics.richardson import stability, steady_state, trajectory
from negotiation.models.richardson import RichardsonError, RichardsonModel
from negotiation.report.figures import best_legend, new_figure
from negotiation.report.figures import FONT_SIZE, colours, pyplot
from negotiation.results.dynamics import RULE_NAMES, DynamicsError, Trajectory

__all__ = ["plot_trajectory", "plot_phase"]

_STYLES = ["-", "--", ":", "-."]


# ---------------------------------------------------------------------- trajectories
@draw.register(Trajectory)
def plot_trajectory(path: Trajectory, ax=None, *, kind: str = "auto", figsize=None, title=None):
    """The paths over time and, where there is one, the path in the plane.

    Parameters
    ----------
    path : Trajectory
    ax : matplotlib Axes, optional
        Draw the paths (``kind="paths"``) or the phase plot (``kind="phase"``) here.
    kind : {"auto", "paths", "phase"}
        ``"auto"``: both panels side by side where there is a plane (a two-player 2×2 learning run,
        in ``(p, q)``; an arms race, in the two sides' levels), the paths otherwise.
    figsize : (float, float), optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import negotiation as ng
    >>> pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> figure = plot_trajectory(ng.fictitious_play(pennies, 50))
    >>> [axes.get_ylabel() for axes in figure.axes]
    ['empirical frequency', 'q = Pr(Player 2 plays 1)']
    """
    plt = pyplot()
    plane = _has_plane(path)
    if kind not in ("auto", "paths", "phase"):
        raise DynamicsError(f"kind {kind!r}: expected 'auto', 'paths' or 'phase'")
    if kind == "phase" and not plane:
        raise DynamicsError("a phase plot needs a two-player game with two strategies each")
    with plt.rc_context({"font.size": FONT_SIZE}):
        if ax is not None:
            figure = ax.figure
            panels = {kind if kind != "auto" else "paths": ax}
        elif kind == "auto" and plane:
            figure, (left, right) = plt.subplots(1, 2, figsize=figsize or (11.0, 4.5), layout="constrained")
            panels = {"paths": left, "phase": right}
        else:
            figure, single = plt.subplots(figsize=figsize or (7.0, 4.5), layout="constrained")
            panels = {kind if kind != "auto" else "paths": single}
        if "paths" in panels:
            _plot_paths(path, panels["paths"], FONT_SIZE)
        if "phase" in panels:
            _plot_plane(path, panels["phase"], FONT_SIZE)
        figure.suptitle(title or path.title or RULE_NAMES.get(path.rule, path.rule), fontsize=FONT_SIZE + 1)
    return figure


def _has_plane(path: Trajectory) -> bool:
    if path.players:
        return len(path.players) == 2 and all(len(s) == 2 for s in path.strategies)
    return len(path.labels) == 2


def _plot_paths(path: Trajectory, ax, size):
    if path.players:
        palette = colours(max(len(s) for s in path.strategies))
        for i, (player, labels) in enumerate(zip(path.players, path.strategies)):
            for j, label in enumerate(labels):
                ax.plot(path.times, path.probability(player, label), color=palette[j % len(palette)],
                        linestyle=_STYLES[i % len(_STYLES)], linewidth=1.6, label=f"{player}: {label}")
        ax.set_ylabel("empirical frequency" if path.rule == "fictitious_play" else "probability", fontsize=size)
        ax.set_ylim(-0.02, 1.02)
    else:
        for k, (label, colour) in enumerate(zip(path.labels, colours(len(path.labels)))):
            ax.plot(path.times, path.states[:, k], color=colour, linewidth=1.8, label=label)
        ax.set_ylabel("level", fontsize=size)
    if path.rule == "fictitious_play" and len(path) > 10 and path.times[0] > 0:
        ax.set_xscale("log")
        ax.set_xlabel("round (log scale)", fontsize=size)
    else:
        ax.set_xlabel("time" if path.time_label == "time" else "step", fontsize=size)
    ax.grid(True, alpha=0.3)
    ax.tick_params(labelsize=size - 1)
    ax.legend(fontsize=size - 1, loc="best")


def _plot_plane(path: Trajectory, ax, size):
    if path.players:  # the probabilities of each player's first strategy, in the unit square
        first, second = (path.probabilities[i][:, 0] for i in range(2))
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_aspect("equal")
        ax.set_xlabel(f"p = Pr({path.players[0]} plays {path.strategies[0][0]})", fontsize=size)
        ax.set_ylabel(f"q = Pr({path.players[1]} plays {path.strategies[1][0]})", fontsize=size)
    else:
        first, second = path.x, path.y
        ax.set_xlabel(path.labels[0], fontsize=size)
        ax.set_ylabel(path.labels[1], fontsize=size)
    ax.plot(first, second, color="#0072B2", linewidth=1.4)
    ax.plot(first[0], second[0], "o", color="#009E73", label="start")
    ax.plot(first[-1], second[-1], "s", color="#D55E00", label="end")
    ax.grid(True, alpha=0.3)
    ax.tick_params(labelsize=size - 1)
    ax.legend(fontsize=size - 1, loc="best")


# ---------------------------------------------------------------------- Richardson's phase portrait
@draw.register(RichardsonModel)
def plot_phase(model: RichardsonModel, initial: Sequence | None = None, *, time: float = 20.0, ax=None,
               limits: Sequence | None = None, title: str | None = None):
    """Phase portrait: the vector field, both nullclines, the steady state and trajectories.

    Parameters
    ----------
    model : RichardsonModel
        Numeric coefficients.
    initial : sequence of (x0, y0), optional
        Starting points of the trajectories (default: the corners of the box and the origin).
    time : float
        Length of each trajectory.
    ax : matplotlib Axes, optional
    limits : ((xmin, xmax), (ymin, ymax)), optional
        Axes (default: from 0 to 1.6 times the larger of the steady state and 1).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> figure = plot_phase(RichardsonModel(a=1, b=1, m=2, n=2, g=1, h=1, labels=("NATO", "Russia")))
    >>> figure.axes[0].get_xlabel()
    'NATO'
    """
    a, b, m, n, g, h = model.float_coefficients()
    try:
        state = {k: float(v) for k, v in steady_state(model).items()}
    except RichardsonError:
        state = None
    if limits is None:
        span = 1.6 * max([1.0] + ([abs(v) for v in state.values()] if state else []))
        limits = ((0.0, span), (0.0, span))
    (x_low, x_high), (y_low, y_high) = ((float(p), float(q)) for p, q in limits)
    if ax is None:
        figure = new_figure(figsize=(6.4, 5.4), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    xs, ys = np.meshgrid(np.linspace(x_low, x_high, 25), np.linspace(y_low, y_high, 25))
    u, v = model.rates(xs, ys)
    ax.streamplot(xs, ys, u, v, color="0.75", density=1.0, linewidth=0.8, arrowsize=1.0)
    grid = np.linspace(x_low, x_high, 200)
    x_name, y_name = model.labels
    if a != 0:
        ax.plot(grid, (m * grid - g) / a, color="tab:blue", linewidth=2, label=f"d{x_name}/dt = 0")
    else:
        ax.axvline(g / m, color="tab:blue", linewidth=2, label=f"d{x_name}/dt = 0")
    if n != 0:
        ax.plot(grid, (b * grid + h) / n, color="tab:red", linewidth=2, label=f"d{y_name}/dt = 0")
    if initial is None:
        initial = [(x_low, y_low), (x_high, y_low), (x_low, y_high), (x_high, y_high)]
    for k, (x0, y0) in enumerate(initial):
        path = trajectory(model, x0, y0, time)
        ax.plot(path.x, path.y, color="black", linewidth=1.2, label="trajectories" if k == 0 else None)
        ax.plot([x0], [y0], marker="o", color="black", markersize=4)
    if state is not None:
        ax.plot([state[x_name]], [state[y_name]], marker="*", markersize=16, color="tab:green", linestyle="none",
                label=f"steady state ({state[x_name]:.3g}, {state[y_name]:.3g})")
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    unit = f" ({model.unit})" if model.unit else ""
    ax.set_xlabel(f"{x_name}{unit}", fontsize=12)
    ax.set_ylabel(f"{y_name}{unit}", fontsize=12)
    ax.tick_params(labelsize=11)
    verdict = stability(model)
    ax.set_title(title if title is not None else f"{model.title}: {verdict.kind}", fontsize=13)
    best_legend(ax, fontsize=10)
    return figure
