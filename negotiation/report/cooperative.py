"""The figure of a cooperative game's solutions: ``CooperativeResult.plot()`` lands here.

Three players: the imputation simplex (each corner gives one player everything above the others' own worths),
the core drawn in it, and the Shapley value and the nucleolus as points. Otherwise: one group of bars per
player, one bar per solution computed.
"""

from __future__ import annotations

import math

from negotiation.core.drawing import draw
from negotiation.core.numeric import format_number
from negotiation.report.figures import new_figure
from negotiation.results.cooperative import CooperativeResult

__all__ = ["plot_cooperative", "plot_imputation_simplex", "plot_solution_bars"]

#: Corners of the drawn simplex: player 1 bottom left, player 2 bottom right, player 3 on top.
_CORNERS = ((0.0, 0.0), (1.0, 0.0), (0.5, math.sqrt(3) / 2))
#: Marker and colour of each point solution.
_STYLES = {"shapley": ("o", "C0"), "nucleolus": ("s", "C3")}


@draw.register(CooperativeResult)
def plot_cooperative(result: CooperativeResult, ax=None):
    """The imputation simplex with the core, the Shapley value and the nucleolus (three players whose
    imputation set is a triangle), else a bar chart of the solutions by player (matplotlib Figure).

    Examples
    --------
    >>> import negotiation as ng
    >>> game = ng.CooperativeGame.bankruptcy(("A", "B", "C"), 200, [100, 200, 300])
    >>> figure = ng.solve(game).plot()
    >>> figure.axes[0].get_title()
    'Imputations, core and solutions'
    """
    game = result.game
    if game.n_players == 3 and _spread(game) > 0:
        return plot_imputation_simplex(result, ax=ax)
    return plot_solution_bars(result, ax=ax)


def _spread(game) -> float:
    """``v(N) − Σ v(i)``: the size of the imputation simplex (0 or less: a point or empty)."""
    return float(game.grand_value - sum(game.worth[1 << i] for i in range(game.n_players)))


def _position(game, payoff) -> tuple:
    """Where a payoff vector lies in the drawn simplex (barycentric coordinates of the imputation set)."""
    spread = _spread(game)
    weights = [(float(x) - float(game.worth[1 << i])) / spread for i, x in enumerate(payoff)]
    return (sum(w * c[0] for w, c in zip(weights, _CORNERS)), sum(w * c[1] for w, c in zip(weights, _CORNERS)))


def _axes(ax, figsize):
    if ax is None:
        figure = new_figure(figsize=figsize)
        return figure, figure.add_subplot()
    return ax.figure, ax


def plot_imputation_simplex(result: CooperativeResult, ax=None):
    """Three players: the imputation simplex, the core (shaded, or "empty"), the Shapley value and the nucleolus."""
    game = result.game
    figure, ax = _axes(ax, (5.6, 5.2))
    outline = [*_CORNERS, _CORNERS[0]]
    ax.plot([p[0] for p in outline], [p[1] for p in outline], color="0.3", linewidth=1)
    for k, (corner, player) in enumerate(zip(_CORNERS, game.players)):
        others = [game.worth[1 << j] for j in range(3) if j != k]
        best = game.grand_value - sum(others)
        offset = (-0.04, -0.06) if k == 0 else (0.04, -0.06) if k == 1 else (0.0, 0.04)
        ax.annotate(f"{player} gets {format_number(best)}", corner, xytext=(corner[0] + offset[0],
                    corner[1] + offset[1]), ha="center", fontsize=9)
    if result.core_vertices:
        points = [_position(game, vertex) for vertex in result.core_vertices]
        centre = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        points.sort(key=lambda p: math.atan2(p[1] - centre[1], p[0] - centre[0]))
        if len(points) >= 3:
            ax.fill([p[0] for p in points], [p[1] for p in points], color="C2", alpha=0.3, label="core")
        else:
            ax.plot([p[0] for p in points], [p[1] for p in points], "-", color="C2", linewidth=4, alpha=0.6,
                    marker="D", label="core")
    elif result.core_empty:
        ax.text(0.5, 0.25, f"core empty (ε* = {format_number(result.least_core)})", ha="center", color="C2")
    for name, title in result.solution_columns():
        if name not in _STYLES:
            continue
        marker, colour = _STYLES[name]
        x, y = _position(game, getattr(result, name))
        ax.plot([x], [y], marker, color=colour, markersize=8, label=title)
    ax.set_aspect("equal")
    ax.set_xlim(-0.15, 1.15)
    ax.set_ylim(-0.12, 1.0)
    ax.axis("off")
    ax.set_title("Imputations, core and solutions")
    ax.legend(frameon=False, loc="upper right", fontsize=9)
    figure.tight_layout()
    return figure


def plot_solution_bars(result: CooperativeResult, ax=None):
    """One group of bars per player, one bar per solution computed (floats of the exact values)."""
    columns = result.solution_columns()
    players = result.game.players
    figure, ax = _axes(ax, (max(6.0, 0.9 * len(players) + 2), 4.2))
    width = 0.8 / max(len(columns), 1)
    for k, (name, title) in enumerate(columns):
        values = [float(v) for v in getattr(result, name)]
        ax.bar([i + (k - (len(columns) - 1) / 2) * width for i in range(len(players))], values, width, label=title)
    ax.set_xticks(range(len(players)))
    ax.set_xticklabels(players, rotation=30 if len(players) > 5 else 0, ha="right" if len(players) > 5 else "center")
    ax.set_ylabel(f"payoff (v(N) = {format_number(result.game.grand_value)})")
    ax.set_title(result.game.title or "Solutions by player")
    ax.axhline(0, color="0.3", linewidth=0.8)
    ax.legend(frameon=False)
    ax.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    return figure
