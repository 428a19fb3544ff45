"""The figure of a recursive inspection game: how the quota of inspections deters.

``RecursiveInspection.plot()`` (and the ``[inspection]`` analysis of a scenario) land here through
:func:`negotiation.core.drawing.plot`.
"""

from __future__ import annotations

from negotiation.core.drawing import draw
from negotiation.core.numeric import format_number
from negotiation.report.figures import new_figure
from negotiation.results.inspection import RecursiveInspection

__all__ = ["plot_recursive_inspection"]


@draw.register(RecursiveInspection)
def plot_recursive_inspection(result, ax=None):
    """Violation and detection probability over the horizon against the quota (matplotlib Figure).

    Examples
    --------
    >>> import negotiation as ng
    >>> figure = ng.recursive_inspection(12, 3).plot()
    >>> figure.axes[0].get_xlabel()
    'inspection quota (inspections in 12 periods)'
    """
    rows = result.to_records()
    quotas = [row["inspections"] for row in rows]
    if ax is None:
        figure = new_figure(figsize=(6.4, 4.2))
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    ax.plot(quotas, [float(r["violation over horizon"]) for r in rows], "o-", label="violation over the horizon")
    ax.plot(quotas, [float(r["detected violation"]) for r in rows], "s--", label="violation detected")
    ax.plot(quotas, [float(r["inspect now"]) for r in rows], "^:", label="inspect in the first period")
    ax.set_xlabel(f"inspection quota (inspections in {result.periods} periods)")
    ax.set_ylabel("equilibrium probability")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xticks(quotas)
    ax.set_title(f"Recursive inspection game, detection probability {format_number(result.detection)}")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    figure.tight_layout()
    return figure
