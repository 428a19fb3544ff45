"""The figure of a continuous game: both players' best-response curves with the equilibria marked.

:func:`plot_best_responses` draws a two-player :class:`~negotiation.models.continuous.ContinuousGame`;
it is the figure of the game (``game.plot()``) and of its result (``ng.solve(game).plot()``), both
registered with :func:`negotiation.core.drawing.draw`.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

from negotiation.core.drawing import draw
from negotiation.models.continuous import ContinuousGame, ContinuousGameError, show_value
from negotiation.report.figures import new_figure
from negotiation.results.continuous import ContinuousResult
from negotiation.solvers.continuous import best_response_curve, solve_continuous

__all__ = ["plot_best_responses"]


def plot_best_responses(game: ContinuousGame, values: Mapping | None = None, *, result: ContinuousResult | None = None,
                        ax=None, points: int = 101, limits: Sequence | None = None, title: str | None = None):
    """Both players' best-response curves of a two-player game, with the equilibria marked.

    Uses the closed form of :func:`~negotiation.solvers.continuous.best_response_function` where it
    exists and numeric best responses otherwise.

    Parameters
    ----------
    game : ContinuousGame
        Two players, no types; numeric once ``values`` are substituted.
    values : mapping, optional
        Parameter values to substitute first.
    result : ContinuousResult, optional
        The equilibria to mark (default: solved here).
    ax : matplotlib Axes, optional
        Draw here instead of on a new figure.
    points : int
        Points of each curve.
    limits : ((xmin, xmax), (ymin, ymax)), optional
        Axes (default: the intervals, or twice the largest equilibrium choice where unbounded).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> game = ContinuousGame(("NATO", "Russia"), ("x", "y"), ((0, 10), (0, 10)),
    ...                       ("-(x - y/2 - 1)**2", "-(y - x/2 - 1)**2"), labels=("brigades", "brigades"))
    >>> figure = plot_best_responses(game)
    >>> figure.axes[0].get_xlabel()
    'NATO: x (brigades)'
    """
    if values:
        game = game.substitute(values)
    if game.n_players != 2 or game.is_bayesian:
        raise ContinuousGameError("plot_best_responses: needs a two-player game without types")
    if game.is_symbolic:
        raise ContinuousGameError(f"plot_best_responses: set values for {', '.join(game.free_parameters)}")
    result = result if result is not None else solve_continuous(game)
    ranges = _ranges(game, result, limits)
    curves = []
    for k in range(2):
        grid = np.linspace(ranges[1 - k][0], ranges[1 - k][1], points)
        curves.append((grid, best_response_curve(game, game.players[k], grid, start=ranges[k][0])))
    if ax is None:
        figure = new_figure(figsize=(6.4, 5.2), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    names = [f"{p}: {v.name}" + (f" ({label})" if label else "") for p, v, label in
             zip(game.players, game.variables, game.labels)]
    grid, response = curves[0]
    ax.plot(response, grid, color="tab:blue", linewidth=2, label=f"best response of {game.players[0]}")
    grid, response = curves[1]
    ax.plot(grid, response, color="tab:red", linewidth=2, label=f"best response of {game.players[1]}")
    for k, e in enumerate(result.equilibria, start=1):
        x, y = float(e.choices[0]), float(e.choices[1])
        ax.plot([x], [y], marker="*", markersize=16, color="black", linestyle="none",
                label="Nash equilibrium" if k == 1 else None)
        ax.annotate(f"({show_value(e.choices[0])}, {show_value(e.choices[1])})", (x, y), textcoords="offset points",
                    xytext=(8, 8), fontsize=11)
    ax.set_xlim(*ranges[0])
    ax.set_ylim(*ranges[1])
    ax.set_xlabel(names[0], fontsize=12)
    ax.set_ylabel(names[1], fontsize=12)
    ax.tick_params(labelsize=11)
    ax.set_title(title if title is not None else (game.title or "Best responses"), fontsize=13)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=10, loc="best")
    return figure


def _ranges(game, result, limits) -> list:
    """Each player's axis: ``limits``, else its interval, twice the largest equilibrium choice where unbounded."""
    if limits is not None:
        return [tuple(float(v) for v in limits[k]) for k in range(2)]
    ranges = []
    for k, agent in enumerate(game.agents()):
        low, high = float(agent.low), float(agent.high)
        peak = max([abs(float(e.choices[k])) for e in result.equilibria] + [1.0])
        start = low if math.isfinite(low) else -2 * peak
        end = high if math.isfinite(high) else max(start + 1, 2 * peak)
        ranges.append((start, end))
    return ranges


@draw.register(ContinuousGame)
def _draw_game(game, *args, **options):
    return plot_best_responses(game, *args, **options)


@draw.register(ContinuousResult)
def _draw_result(result, *args, **options):
    return plot_best_responses(result.game, *args, result=result, **options)
