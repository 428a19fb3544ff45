"""The figure of the folk theorem: a two-player stage game's payoff space.

``FolkTheoremResult.plot()`` and ``RepeatedAnalysis.plot()`` (a scenario's ``[repetition]``) land here
through :func:`negotiation.core.drawing.plot`: the feasible payoffs, the minmax lines, the individually
rational region, the pure profiles and the stage equilibria.
"""

from __future__ import annotations

import numpy as np

from negotiation.core.drawing import draw
from negotiation.report.figures import new_figure
from negotiation.results.repeated import (FolkTheoremResult, RepeatedAnalysis, RepeatedGameError, number_text,
                                          profile_text)

__all__ = ["plot_folk_theorem"]


@draw.register(FolkTheoremResult)
def plot_folk_theorem(result, ax=None, *, title: str | None = None):
    """The payoff space of a two-player game: feasible set, minmax lines, IR region, profiles, stage equilibria.

    Parameters
    ----------
    result : FolkTheoremResult
    ax : matplotlib Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: ``"Folk theorem: <game title>"``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> figure = ng.folk_theorem(pd).plot()
    >>> figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()
    ('payoff of A', 'payoff of B')
    """
    players = result.players
    if len(players) != 2:
        raise RepeatedGameError(f"plot: the payoff-space figure needs two players, this game has {len(players)}")
    if ax is None:
        figure = new_figure(figsize=(7, 5.6), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    _regions(ax, result)
    _minmax_lines(ax, result)
    span = _profiles(ax, result)
    ax.set_xlabel(f"payoff of {players[0]}", fontsize=12)
    ax.set_ylabel(f"payoff of {players[1]}", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.set_title(title if title is not None else f"Folk theorem: {result.game.title or 'repeated game'}", fontsize=13)
    ax.margins(0.12 if span else 0.5)
    ax.grid(True, linewidth=0.4, alpha=0.5)
    ax.legend(fontsize=9, loc="best", framealpha=0.9)
    return figure


@draw.register(RepeatedAnalysis)
def plot_repeated_analysis(analysis, ax=None, *, title: str | None = None):
    """The folk-theorem picture of a ``[repetition]`` section's stage game (two players)."""
    return plot_folk_theorem(analysis.folk, ax=ax, title=title)


def _regions(ax, result) -> None:
    """The feasible payoffs (grey) and their individually rational part (blue): polygons, segments or points."""
    feasible = np.array([[float(x) for x in v] for v in result.feasible_vertices])
    ir = np.array([[float(x) for x in v] for v in result.individually_rational_vertices])
    if len(feasible) >= 3:
        ax.fill(feasible[:, 0], feasible[:, 1], facecolor="0.88", edgecolor="0.35", linewidth=1.2,
                label="feasible payoffs (convex hull)", zorder=1)
    elif len(feasible):
        ax.plot(feasible[:, 0], feasible[:, 1], color="0.35", linewidth=2,
                label="feasible payoffs (convex hull)", zorder=1)
    if len(ir) >= 3:
        ax.fill(ir[:, 0], ir[:, 1], facecolor="tab:blue", alpha=0.35, edgecolor="tab:blue",
                linewidth=1.5, label="individually rational (u ≥ minmax)", zorder=2)
    elif len(ir):
        ax.plot(ir[:, 0], ir[:, 1], color="tab:blue", marker="o", markersize=9, linewidth=3,
                label="individually rational (u ≥ minmax)", zorder=2)


def _minmax_lines(ax, result) -> None:
    first, second = result.players
    ax.axvline(float(result.minmax[first]), color="tab:red", linestyle="--", linewidth=1.3,
               label=f"minmax values ({number_text(result.minmax[first])}, {number_text(result.minmax[second])})",
               zorder=3)
    ax.axhline(float(result.minmax[second]), color="tab:red", linestyle="--", linewidth=1.3, zorder=3)


def _profiles(ax, result) -> float:
    """The pure profiles (labelled; profiles with the same payoffs share a label) and the stage equilibria;
    returns the span of the payoffs."""
    labels = {}
    for entry in result.profiles:
        point = tuple(float(v) for v in entry.payoffs)
        labels.setdefault(point, []).append(profile_text(entry.profile))
    points = np.array(list(labels))
    ax.scatter(points[:, 0], points[:, 1], color="black", s=28, zorder=5, label="pure profiles")
    size = 10 if len(labels) <= 12 else 8
    for point, names in labels.items():
        ax.annotate("\n".join(names), point, xytext=(6, 6), textcoords="offset points", fontsize=size, zorder=6)
    nash = np.array([[float(v) for v in e.payoffs] for e in result.stage_equilibria])
    if len(nash):
        ax.scatter(nash[:, 0], nash[:, 1], marker="*", s=260, facecolor="gold", edgecolor="black",
                   linewidth=0.8, zorder=7, label="stage Nash equilibria")
    return max(float(np.ptp(points[:, 0])), float(np.ptp(points[:, 1])), 1.0)
