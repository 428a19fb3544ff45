"""The one door from models and results to figures: :func:`plot`.

Figures need matplotlib, which is heavy and belongs to the report layer. A model or result never
imports ``report``: ``result.plot()`` and ``tree.plot()`` call :func:`plot`, which imports
:data:`PLOTTING_MODULE` by name on the first figure — that module imports the report layer's
figure modules, which register a function for each type with :func:`draw` — and then draws.
"""

from __future__ import annotations

import importlib

from negotiation.core.dispatch import front_door

__all__ = ["draw", "plot", "PLOTTING_MODULE"]

#: The module that registers a figure for each type with :func:`draw` (imported on the first figure).
PLOTTING_MODULE = "negotiation.report.plots"


@front_door
def draw(obj, *args, **options):
    """The figure of a model or result (registered per type by the report layer); returns the figure."""


def plot(obj, *args, **options):
    """Draw ``obj`` with the figure registered for its type, loading the report layer first."""
    importlib.import_module(PLOTTING_MODULE)  # the by-name door: see the module docstring
    return draw(obj, *args, **options)
