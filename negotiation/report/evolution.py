"""Figures of evolutionary dynamics: fixation probabilities against the population size and the intensity
of selection, the phase line or simplex of the replicator–mutator equation, and the stationary
distributions of a Kandori–Mailath–Rob chain.

* :func:`plot_fixation` — the figure of :class:`~negotiation.results.evolution.FixationProbabilities`;
* :func:`plot_rest_points` — the figure of :class:`~negotiation.results.evolution.RestPoints`;
* :func:`plot_stochastic_stability` — the figure of :class:`~negotiation.results.evolution.StochasticStability`.

All are registered with :func:`negotiation.core.drawing.draw` (``result.plot()``); the paths of
:func:`~negotiation.dynamics.evolution.moran_process` and
:func:`~negotiation.dynamics.replicator_mutator.replicator_mutator` are trajectories, drawn by
:mod:`negotiation.report.dynamics`.
"""

from __future__ import annotations

import numpy as np

from negotiation.core.drawing import draw
from negotiation.dynamics.evolution import pair_fixation
from negotiation.dynamics.replicator_mutator import field_and_jacobian
from negotiation.report.figures import colours, new_figure
from negotiation.results.evolution import EvolutionError, FixationProbabilities, RestPoints, StochasticStability

__all__ = ["plot_fixation", "plot_rest_points", "plot_stochastic_stability"]

#: Population sizes (at most) and selection intensities evaluated for the curves of :func:`plot_fixation`.
CURVE_POINTS = 60


@draw.register(FixationProbabilities)
def plot_fixation(result: FixationProbabilities, *, figsize=None):
    """Two strategies: ``N ρ`` of each mutant against the population size (at the result's ``w``) and against
    the intensity of selection (at its ``N``), with the neutral level ``N ρ = 1``. More strategies: the
    shares of time at each monomorphic state with rare mutations.

    Examples
    --------
    >>> import negotiation as ng
    >>> game = ng.Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]], strategies=(("Stag", "Hare"),) * 2)
    >>> figure = ng.fixation_probabilities(game, 20, "1/10").plot()
    >>> [axes.get_xlabel() for axes in figure.axes]
    ['population size N', 'intensity of selection w']
    """
    labels = result.strategies
    if len(labels) != 2:
        figure = new_figure(figsize=figsize or (6.4, 4.2))
        ax = figure.add_subplot()
        ax.bar(labels, [float(p) for p in result.stationary], color=colours(len(labels)))
        ax.set_ylabel("share of time (rare mutations)")
        ax.set_title(f"{result.title}: N = {result.population}, w = {float(result.selection):g}")
        figure.tight_layout()
        return figure
    figure = new_figure(figsize=figsize or (11.0, 4.3))
    by_size, by_selection = figure.subplots(1, 2)
    largest = max(result.population, 10)
    sizes = np.unique(np.linspace(2, largest, min(CURVE_POINTS, largest - 1)).astype(int))
    top = float(result.selection) if float(result.selection) > 0 else 1.0
    intensities = np.linspace(0.0, top, CURVE_POINTS)
    palette = colours(2)
    for index, (mutant, resident) in enumerate(((labels[0], labels[1]), (labels[1], labels[0]))):
        pick = 0 if index == 0 else 1
        across_sizes = [n * pair_fixation(result.payoffs, n, result.selection)[pick] for n in sizes]
        across_selection = [result.population * pair_fixation(result.payoffs, result.population, w)[pick]
                            for w in intensities]
        label = f"{mutant} invading {resident}"
        by_size.plot(sizes, across_sizes, color=palette[index], label=label)
        by_selection.plot(intensities, across_selection, color=palette[index], label=label)
    for ax in (by_size, by_selection):
        ax.axhline(1.0, color="grey", linestyle="--", linewidth=1, label="neutral (ρ = 1/N)")
        ax.set_ylabel("N × fixation probability")
        ax.grid(alpha=0.3)
        ax.legend(frameon=False)
    by_size.axvline(result.population, color="grey", linestyle=":", linewidth=1)
    by_size.set_xlabel("population size N")
    by_size.set_title(f"at w = {float(result.selection):g}")
    by_selection.set_xlabel("intensity of selection w")
    by_selection.set_title(f"at N = {result.population}")
    figure.suptitle(f"{result.title}: fixation probabilities")
    figure.tight_layout()
    return figure


@draw.register(RestPoints)
def plot_rest_points(result: RestPoints, *, figsize=None):
    """Two strategies: the phase line, ``dx/dt`` against the share ``x`` of the first strategy, with the rest
    points (filled: stable, open: unstable). Three: the simplex with the direction field and the rest points.

    Examples
    --------
    >>> import negotiation as ng
    >>> game = ng.Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]], strategies=(("A", "B"),) * 2)
    >>> figure = ng.replicator_mutator_rest_points(game, "9/100").plot()
    >>> figure.axes[0].get_xlabel()
    'share of A'
    """
    labels = result.strategies
    if len(labels) > 3:
        raise EvolutionError(f"a figure of rest points needs two or three strategies; this game has {len(labels)}")
    field, _ = field_and_jacobian(result.payoffs, result.mutation)
    figure = new_figure(figsize=figsize or (6.4, 4.6))
    ax = figure.add_subplot()
    if len(labels) == 2:
        shares = np.linspace(0.0, 1.0, 201)
        ax.plot(shares, [field(np.array([x, 1 - x]))[0] for x in shares], color="#0072B2")
        ax.axhline(0.0, color="grey", linewidth=1)
        for point in result.points:
            x = float(point.shares[0])
            ax.plot(x, 0.0, "o", markersize=9, color="#D55E00",
                    markerfacecolor="#D55E00" if point.stable else "white")
        ax.set_xlabel(f"share of {labels[0]}")
        ax.set_ylabel(f"d(share of {labels[0]})/dt")
        ax.grid(alpha=0.3)
    else:
        _simplex(ax, field, result)
    ax.set_title(f"{result.title}: rest points (filled: stable)")
    figure.tight_layout()
    return figure


def _to_plane(shares) -> tuple[float, float]:
    """Barycentric coordinates to the plane: vertices (0, 0), (1, 0), (1/2, √3/2) for strategies 2, 3, 1."""
    first, _, third = shares  # the second strategy's vertex is the origin
    return third + first / 2, first * np.sqrt(3) / 2


def _simplex(ax, field, result):
    labels = result.strategies
    corners = [_to_plane(v) for v in np.eye(3)]
    ax.fill([c[0] for c in corners], [c[1] for c in corners], color="#f4f4f4", edgecolor="black")
    for (x, y), label in zip(corners, labels):
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(0, 6 if y > 0 else -14), ha="center")
    grid = [np.array([i, j, 12 - i - j]) / 12 for i in range(13) for j in range(13 - i)]
    starts = [_to_plane(s) for s in grid]
    ends = [_to_plane(s + 0.02 * field(s) / max(1e-12, np.abs(field(s)).max())) for s in grid]
    ax.quiver([s[0] for s in starts], [s[1] for s in starts], [e[0] - s[0] for s, e in zip(starts, ends)],
              [e[1] - s[1] for s, e in zip(starts, ends)], angles="xy", scale_units="xy", scale=0.5, width=0.003,
              color="#555555")
    for point in result.points:
        x, y = _to_plane([float(v) for v in point.shares])
        ax.plot(x, y, "o", markersize=9, color="#D55E00", markerfacecolor="#D55E00" if point.stable else "white")
    ax.set_aspect("equal")
    ax.axis("off")


@draw.register(StochasticStability)
def plot_stochastic_stability(result: StochasticStability, *, figsize=None):
    """The exact stationary distribution over the number of A-players at each mutation rate (log scale),
    with the payoff threshold between the two basins.

    Examples
    --------
    >>> import negotiation as ng
    >>> game = ng.Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]], strategies=(("Stag", "Hare"),) * 2)
    >>> figure = ng.stochastically_stable(game, 10).plot()
    >>> figure.axes[0].get_xlabel()
    'players of Stag (of 10)'
    """
    if not result.stationary:
        raise EvolutionError("no stationary distribution to draw: compute one at some epsilons")
    figure = new_figure(figsize=figsize or (7.0, 4.4))
    ax = figure.add_subplot()
    states = np.arange(result.population + 1)
    for (epsilon, distribution), colour in zip(result.stationary, colours(len(result.stationary))):
        values = np.array([float(p) for p in distribution])
        ax.semilogy(states, np.where(values > 0, values, np.nan), "o-", markersize=3, color=colour,
                    label=f"ε = {epsilon}")
    ax.axvline(float(result.details["threshold"]), color="grey", linestyle="--", linewidth=1,
               label="payoffs tie")
    ax.set_xlabel(f"players of {result.strategies[0]} (of {result.population})")
    ax.set_ylabel("stationary probability")
    ax.set_title(f"{result.title}: stochastically stable: {', '.join(result.stable)}")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    figure.tight_layout()
    return figure
