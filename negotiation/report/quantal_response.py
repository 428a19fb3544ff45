"""The figure of the logit QRE principal branch: each strategy's probability against λ.

Registered with :func:`negotiation.core.drawing.draw`, so that ``branch.plot()`` draws it.
"""

from __future__ import annotations

from negotiation.core.drawing import draw
from negotiation.report.figures import FONT_SIZE, colours, new_axes, pyplot
from negotiation.solvers.quantal_response import LogitBranch

__all__ = ["plot_logit_branch"]


@draw.register(LogitBranch)
def plot_logit_branch(branch: LogitBranch, ax=None, *, figsize=(7.0, 4.5), title=None):
    """Each strategy's probability against λ (log axis), one labelled line per strategy.

    Colours tell the strategies of a player apart, line styles the players. Points at λ = 0 are left
    out (log axis). Returns the matplotlib Figure.

    Examples
    --------
    >>> import negotiation as ng
    >>> pennies = ng.Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]], players=("Row", "Column"))
    >>> figure = ng.logit_branch(pennies, max_precision=100).plot()
    >>> figure.axes[0].get_xscale(), figure.axes[0].get_ylabel()
    ('log', 'probability')
    """
    plt = pyplot()
    fig, ax = new_axes(ax, figsize)
    keep = branch.precisions > 0
    lam = branch.precisions[keep]
    palette = colours(branch.n_strategies_max)
    styles = ["-", "--", ":", "-."]
    with plt.rc_context({"font.size": FONT_SIZE}):
        column = 0
        for i, (player, labels) in enumerate(zip(branch.players, branch.strategies)):
            for j, label in enumerate(labels):
                ax.plot(lam, branch.probabilities[keep, column], color=palette[j % len(palette)],
                        linestyle=styles[i % len(styles)], linewidth=1.8, label=f"{player}: {label}")
                column += 1
        ax.set_xscale("log")
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("precision λ (log scale)", fontsize=FONT_SIZE)
        ax.set_ylabel("probability", fontsize=FONT_SIZE)
        ax.set_title(title or branch.title, fontsize=FONT_SIZE + 1)
        ax.tick_params(labelsize=FONT_SIZE - 1)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=FONT_SIZE - 1, loc="best")
    return fig
