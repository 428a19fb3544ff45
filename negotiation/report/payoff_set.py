"""The figure of the equilibrium payoff set: ``PayoffSetResult.plot()`` lands here.

The subgame-perfect equilibrium payoffs at δ (a polygon with its labelled vertices) drawn over the
folk-theorem set — the feasible payoffs above the mixed minmax values, the limit as δ → 1 — with the
pure payoff vectors, the stage game's pure Nash payoffs and each player's worst equilibrium payoff.
"""

from __future__ import annotations

import numpy as np

from negotiation.core.drawing import draw
from negotiation.report.figures import new_figure
from negotiation.results.payoff_set import PayoffSetResult
from negotiation.results.repeated import number_text, profile_text

__all__ = ["plot_payoff_set"]


@draw.register(PayoffSetResult)
def plot_payoff_set(result, ax=None, *, title: str | None = None, labels: bool = True):
    """The equilibrium payoff set at δ over the folk-theorem set, in the two players' payoff plane.

    Parameters
    ----------
    result : PayoffSetResult
    ax : matplotlib Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: ``"Equilibrium payoffs at δ = …: <game title>"``.
    labels : bool, optional
        Label the vertices ``V1``, ``V2``, … (default ``True``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
    ...     strategies=(("C", "D"), ("C", "D")))
    >>> figure = ng.equilibrium_payoff_set(pd, "3/10").plot()
    >>> figure.axes[0].get_xlabel(), figure.axes[0].get_ylabel()
    ('payoff of A', 'payoff of B')
    """
    if ax is None:
        figure = new_figure(figsize=(7, 5.6), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    first, second = result.players
    _folk_set(ax, result)
    _equilibrium_set(ax, result, labels)
    _points(ax, result)
    ax.set_xlabel(f"payoff of {first}", fontsize=12)
    ax.set_ylabel(f"payoff of {second}", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.set_title(title if title is not None else
                 f"Equilibrium payoffs at δ = {number_text(result.discount)}: {result.game.title or 'repeated game'}",
                 fontsize=13)
    ax.margins(0.12)
    ax.grid(True, linewidth=0.4, alpha=0.5)
    ax.legend(fontsize=9, loc="best", framealpha=0.9)
    return figure


def _folk_set(ax, result) -> None:
    """The feasible payoffs above the mixed minmax values (grey): the folk-theorem limit as δ → 1."""
    polygon = np.array([[float(x) for x in v] for v in result.individually_rational_vertices])
    label = "folk-theorem set (feasible, u ≥ minmax)"
    if len(polygon) >= 3:
        ax.fill(polygon[:, 0], polygon[:, 1], facecolor="0.88", edgecolor="0.4", linewidth=1.2, label=label, zorder=1)
    elif len(polygon):
        ax.plot(polygon[:, 0], polygon[:, 1], color="0.4", linewidth=3, marker="o", label=label, zorder=1)


def _equilibrium_set(ax, result, labels: bool) -> None:
    """The polygon of equilibrium payoffs at δ (blue), its vertices labelled, and the worst punishments."""
    if result.empty:
        ax.text(0.5, 0.02, "no pure-strategy subgame-perfect equilibrium at this δ", transform=ax.transAxes,
                ha="center", fontsize=10, color="tab:red")
        return
    polygon = np.array(result.points)
    label = f"equilibrium payoffs at δ = {number_text(result.discount)}"
    if len(polygon) >= 3:
        ax.fill(polygon[:, 0], polygon[:, 1], facecolor="tab:blue", alpha=0.4, edgecolor="tab:blue",
                linewidth=1.8, label=label, zorder=2)
    else:
        ax.plot(polygon[:, 0], polygon[:, 1], color="tab:blue", linewidth=4, marker="o", markersize=9,
                label=label, zorder=2)
    if labels:
        for vertex in result.vertices:
            ax.annotate(vertex.label, vertex.payoffs, xytext=(-14, -14), textcoords="offset points",
                        fontsize=9, color="tab:blue", zorder=6)
    worst = [result.punishment[p] for p in result.players]
    shown = [0.0 if abs(u) <= 1e-9 * result.scale else u for u in worst]  # rounding's 4e-16 reads 0
    ax.axvline(worst[0], color="tab:red", linestyle=":", linewidth=1.2, zorder=3,
               label=f"worst equilibrium payoffs ({shown[0]:.4g}, {shown[1]:.4g})")
    ax.axhline(worst[1], color="tab:red", linestyle=":", linewidth=1.2, zorder=3)


def _points(ax, result) -> None:
    """The pure payoff vectors (labelled by profile) and the stage game's pure Nash payoffs."""
    game = result.game
    named = {}
    for position in np.ndindex(*game.shape):
        point = tuple(float(v) for v in game.payoffs[position])
        named.setdefault(point, []).append(profile_text(tuple(game.strategies[i][k] for i, k in enumerate(position))))
    points = np.array(list(named))
    ax.scatter(points[:, 0], points[:, 1], color="black", s=24, zorder=5, label="pure profiles")
    size = 10 if len(named) <= 12 else 8
    for point, names in named.items():
        ax.annotate("\n".join(names), point, xytext=(6, 6), textcoords="offset points", fontsize=size, zorder=6)
    nash = np.array([[float(v) for v in payoffs] for _, payoffs in result.stage_nash])
    if len(nash):
        ax.scatter(nash[:, 0], nash[:, 1], marker="*", s=260, facecolor="gold", edgecolor="black", linewidth=0.8,
                   zorder=7, label="stage Nash equilibria (pure)")
