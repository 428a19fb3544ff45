"""The figure of a robustness run: ``RobustnessResult.plot()`` lands here.

A horizontal bar per claim — the share of the sampled assumption space where it holds, with its Wilson
95 % interval, and whether it holds at the defaults — and, where the exact one-parameter analysis exists,
a second panel with each parameter's range (scaled to [0, 1]) shaded where the claim holds and its flip
points marked.
"""

from __future__ import annotations

from negotiation.core.drawing import draw
from negotiation.report.figures import new_figure
from negotiation.results.robustness import RobustnessResult

__all__ = ["plot_robustness"]


@draw.register(RobustnessResult)
def plot_robustness(result, *, title: str | None = None):
    """Bars of the claims' holding shares with 95 % intervals (and the exact flip points, if any).

    Parameters
    ----------
    result : RobustnessResult
    title : str, optional
        Default: ``"Robustness of the claims: <model>"``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import negotiation as ng
    >>> figure = ng.robustness("security_dilemma", samples=50).plot()
    >>> figure.axes[0].get_xlabel()
    'share of the sampled assumption space where the claim holds'
    """
    claims = result.claims
    flipped = [(c, f) for c in claims for f in c.flips]
    panels = 2 if flipped else 1
    height = 1.2 + 0.55 * len(claims) + (0.45 * len(flipped) + 1.0 if flipped else 0)
    figure = new_figure(figsize=(8, height), layout="constrained")
    ratios = [len(claims) + 1, len(flipped) + 1] if flipped else [1]
    axes = figure.subplots(panels, 1, squeeze=False, gridspec_kw={"height_ratios": ratios})[:, 0]
    ax = axes[0]
    rows = list(range(len(claims)))[::-1]
    shares = [c.share for c in claims]
    errors = [[c.share - c.interval[0] for c in claims], [c.interval[1] - c.share for c in claims]]
    colours = ["#4c72b0" if c.at_defaults else "#c44e52" for c in claims]
    ax.barh(rows, shares, color=colours, alpha=0.8, xerr=errors, capsize=4)
    ax.set_yticks(rows, [f"{c.id}\n({'holds' if c.at_defaults else 'fails'} at defaults)" for c in claims],
                  fontsize=9)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the sampled assumption space where the claim holds")
    for row, claim in zip(rows, claims):
        ax.text(min(claim.interval[1] + 0.02, 0.9), row, f"{100 * claim.share:.0f} %", va="center", fontsize=9)
    ax.set_title(title if title is not None else f"Robustness of the claims: {result.model} "
                 f"({result.samples:,} samples, 95 % Wilson intervals)", fontsize=10)
    if flipped:
        _flips(axes[1], flipped)
    return figure


def _flips(ax, flipped):
    """Each (claim, parameter) on a row: the range scaled to [0, 1], shaded where the claim holds."""
    rows = list(range(len(flipped)))[::-1]
    for row, (claim, flips) in zip(rows, flipped):
        span = float(flips.high - flips.low)
        ax.plot([0, 1], [row, row], color="#cccccc", linewidth=6, solid_capstyle="butt")
        for a, b in flips.holding:
            ax.plot([float(a - flips.low) / span, float(b - flips.low) / span], [row, row], color="#4c72b0",
                    linewidth=6, solid_capstyle="butt")
        for point in flips.flips:
            x = float(point - flips.low) / span
            ax.plot([x], [row], marker="|", color="black", markersize=14)
            ax.annotate(f"{float(point):.3g}", (x, row), textcoords="offset points", xytext=(0, 8),
                        ha="center", fontsize=8)
    ax.set_yticks(rows, [f"{claim.id}: {flips.parameter} ∈ [{float(flips.low):g}, {float(flips.high):g}]"
                         for claim, flips in flipped], fontsize=8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.8, len(flipped) - 0.2)
    ax.set_xlabel("each parameter alone over its range (others at defaults): blue where the claim holds, "
                  "| a flip point", fontsize=8)
