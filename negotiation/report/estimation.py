"""The figures of estimation: the log-likelihood of a fitted QRE along λ with its confidence intervals, beside
observed and fitted frequencies; the coefficients of a strategic-choice model with their intervals.

Registered with :func:`negotiation.core.drawing.draw`, so that ``fit.plot()`` draws them.
"""

from __future__ import annotations

import math

import numpy as np

from negotiation.core.drawing import draw
from negotiation.core.errors import NegotiationError
from negotiation.report.figures import FONT_SIZE, best_legend, colours, new_axes, pyplot
from negotiation.results.estimation import PRECISION, QREEstimate, StrategicChoiceEstimate, normal_quantile
from negotiation.solvers.quantal_response import logit_branch

__all__ = ["plot_qre_estimate", "plot_strategic_choice"]

#: Half the 0.95 quantile of χ²₁: the likelihood-ratio interval is where log L is within this of its maximum.
_LR_DROP = 1.920729410347062
#: Points of the log-likelihood curve drawn.
_CURVE_POINTS = 121


@draw.register(QREEstimate)
def plot_qre_estimate(fit: QREEstimate, ax=None, *, figsize=(11.0, 4.5), title=None, level: float = 0.95):
    """Left: ``log L`` along the principal branch against λ, the estimate, its Wald interval (shaded) and the
    likelihood-ratio interval (where ``log L`` is within 1.92 of its maximum: the dashed line). Right: observed
    and fitted frequencies of every strategy (with ``ax``: the left panel only, on ``ax``).

    Examples
    --------
    >>> import negotiation as ng
    >>> game = ng.Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]], strategies=(("U", "D"), ("L", "R")))
    >>> fit = ng.estimate_qre(game, {"Player 1": {"U": 30, "D": 20}, "Player 2": {"L": 15, "R": 35}})
    >>> figure = fit.plot()
    >>> [ax.get_xlabel() for ax in figure.axes]
    ['precision λ', 'strategy']
    """
    plt = pyplot()
    if ax is None:
        fig, (left, right) = plt.subplots(1, 2, figsize=figsize, gridspec_kw={"width_ratios": [3, 2]})
    else:
        (fig, left), right = new_axes(ax, figsize), None
    with plt.rc_context({"font.size": FONT_SIZE}):
        _likelihood_panel(fit, left, level)
        if right is not None:
            _frequencies_panel(fit, right)
        fig.suptitle(title or fit.title, fontsize=FONT_SIZE + 1)
        if right is not None:
            fig.tight_layout()
    return fig


def _curve(fit) -> np.ndarray:
    """``(λ, log L)`` on an even grid from 0 to ``max(3 λ̂, λ̂ + 5 SE)`` on the principal branch of the fitted
    game (the result keeps only the traced points, which are sparse where the branch is straight)."""
    estimate, error = fit.precision, fit.standard_errors[PRECISION]
    if not math.isfinite(estimate) or estimate <= 0:
        return fit.curve
    reach = max(3 * estimate, estimate + 5 * error if math.isfinite(error) else 0.0)
    branch = logit_branch(fit.game, max_precision=reach)
    counts = np.array([n for row in fit.counts for n in row], dtype=float)
    points = []
    for lam in np.linspace(0.0, reach, _CURVE_POINTS):
        try:
            profile = branch.at(float(lam))
        except NegotiationError:  # past a turning point the branch may have no point at this λ
            continue
        probabilities = np.array([float(p) for probs in profile.probabilities for p in probs])
        with np.errstate(divide="ignore"):
            points.append((float(lam), float(np.sum(np.where(counts > 0, counts * np.log(probabilities), 0.0)))))
    return np.array(points, dtype=float).reshape(-1, 2)


def _likelihood_panel(fit, ax, level):
    curve = _curve(fit)
    lam, values = curve[:, 0], curve[:, 1]
    keep = np.isfinite(values)
    estimate = fit.precision
    ax.plot(lam[keep], values[keep], color=colours(1)[0], linewidth=1.8, label="log-likelihood on the branch")
    if math.isfinite(estimate):
        ax.axvline(estimate, color="black", linewidth=1, label=f"λ̂ = {estimate:.4g}")
        ax.axhline(fit.log_likelihood - _LR_DROP, color="grey", linestyle="--", linewidth=1,
                   label="likelihood-ratio 95 % interval")
        if math.isfinite(fit.standard_errors[PRECISION]):
            low, high = fit.confidence_interval(PRECISION, level)
            ax.axvspan(low, high, color=colours(2)[1], alpha=0.25, label=f"Wald {level:.0%} interval")
        bottom = fit.log_likelihood - 6 * _LR_DROP
        ax.set_ylim(max(bottom, float(np.min(values[keep]))) - 0.5, fit.log_likelihood + 0.1 * _LR_DROP + 0.5)
    else:  # λ → ∞: the whole traced branch, on a scale that shows its start and its end
        ax.set_xscale("symlog", linthresh=1.0)
    ax.set_xlabel("precision λ", fontsize=FONT_SIZE)
    ax.set_ylabel("log-likelihood", fontsize=FONT_SIZE)
    ax.grid(True, alpha=0.3)
    best_legend(ax, fontsize=FONT_SIZE - 2)


def _frequencies_panel(fit, ax):
    records = fit.to_records()
    positions = np.arange(len(records))
    palette = colours(2)
    ax.bar(positions - 0.2, [r["observed"] for r in records], width=0.4, color=palette[0], label="observed")
    ax.bar(positions + 0.2, [r["fitted"] for r in records], width=0.4, color=palette[1], label="fitted QRE")
    ax.set_xticks(positions, [f"{r['player']}:\n{r['strategy']}" for r in records], fontsize=FONT_SIZE - 2)
    ax.set_ylim(0, 1)
    ax.set_xlabel("strategy", fontsize=FONT_SIZE)
    ax.set_ylabel("frequency", fontsize=FONT_SIZE)
    ax.legend(fontsize=FONT_SIZE - 2, loc="upper right")


@draw.register(StrategicChoiceEstimate)
def plot_strategic_choice(fit: StrategicChoiceEstimate, ax=None, *, figsize=(7.0, 4.5), title=None,
                          level: float = 0.95):
    """Each coefficient with its Wald interval (``± z · SE``), one row per coefficient.

    Examples
    --------
    >>> import negotiation as ng
    >>> data = {"outcome": ["SQ"] * 40 + ["CAP"] * 20 + ["BD"] * 20 + ["WAR"] * 20}
    >>> fit = ng.estimate_strategic_choice(data, {"U1(SQ)": ["const"], "U1(WAR)": ["const"], "U2(WAR)": ["const"]})
    >>> [t.get_text() for t in fit.plot().axes[0].get_yticklabels()]
    ['U1(SQ): const', 'U1(WAR): const', 'U2(WAR): const']
    """
    plt = pyplot()
    fig, ax = new_axes(ax, figsize)
    z = normal_quantile(level)
    positions = np.arange(len(fit.coefficients))[::-1]
    with plt.rc_context({"font.size": FONT_SIZE}):
        ax.errorbar(fit.estimates, positions, xerr=z * fit.standard_errors, fmt="o", color=colours(1)[0],
                    capsize=3, label=f"estimate and {level:.0%} interval")
        ax.axvline(0, color="grey", linewidth=1)
        ax.set_yticks(positions, list(fit.coefficients), fontsize=FONT_SIZE - 1)
        ax.set_xlabel("coefficient (utility per unit of the regressor)", fontsize=FONT_SIZE)
        ax.set_title(title or fit.title, fontsize=FONT_SIZE + 1)
        ax.grid(True, axis="x", alpha=0.3)
        best_legend(ax, fontsize=FONT_SIZE - 2)
    return fig
