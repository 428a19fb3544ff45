"""The figure of the critical discount factor under noise: δ*(ε) against the implementation error rate ε.

``CriticalDiscount.plot()`` lands here through :func:`negotiation.core.drawing.plot`. Above the curve both
players keeping the automaton is an equilibrium; error rates at which no δ < 1 sustains it are marked on the
line δ = 1.
"""

from __future__ import annotations

from negotiation.core.drawing import draw
from negotiation.report.figures import new_figure
from negotiation.results.noisy_repetition import CriticalDiscount
from negotiation.results.repeated import number_text

__all__ = ["plot_critical_discount"]


@draw.register(CriticalDiscount)
def plot_critical_discount(result, ax=None, *, title: str | None = None):
    """δ*(ε) of a :class:`~negotiation.results.noisy_repetition.CriticalDiscount`, the sustained region shaded.

    Parameters
    ----------
    result : CriticalDiscount
    ax : matplotlib Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: ``"Critical discount factor under noise: <automaton>"``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import negotiation as ng
    >>> pd = ng.Game.from_arrays([[3, 0], [4, 1]], [[3, 4], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> figure = ng.critical_discount_under_noise(pd, "WSLS", points=5).plot()
    >>> figure.axes[0].get_xlabel()
    'implementation error rate ε'
    """
    if ax is None:
        figure = new_figure(figsize=(7, 4.8), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    sustained = [(float(e), float(d)) for e, d in result.curve if d is not None]
    never = [float(e) for e, d in result.curve if d is None]
    if sustained:
        xs, ys = zip(*sustained)
        ax.plot(xs, ys, color="tab:blue", marker="o", markersize=4, linewidth=2, label="critical δ*(ε)", zorder=3)
        ax.fill_between(xs, ys, [1.0] * len(ys), color="tab:blue", alpha=0.18, label="equilibrium (δ ≥ δ*)",
                        zorder=1)
    if never:
        ax.scatter(never, [1.0] * len(never), marker="x", color="tab:red", s=40, zorder=4,
                   label="no δ < 1 sustains it")
    if result.noise is not None and result.threshold is not None:
        ax.scatter([float(result.noise)], [float(result.threshold)], marker="*", s=220, facecolor="gold",
                   edgecolor="black", zorder=5,
                   label=f"ε = {number_text(result.noise)}: δ* ≈ {float(result.threshold):.4g}")
    ax.set_xlabel("implementation error rate ε", fontsize=12)
    ax.set_ylabel("discount factor δ", fontsize=12)
    ax.set_ylim(0, 1.05)
    ax.set_title(title if title is not None else f"Critical discount factor under noise: {result.automaton}",
                 fontsize=13)
    ax.grid(True, linewidth=0.4, alpha=0.5)
    ax.legend(fontsize=9, loc="best", framealpha=0.9)
    return figure
