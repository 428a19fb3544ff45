"""The figure of each result type: ``result.plot()`` lands here.

:meth:`negotiation.results.base.Result.plot` imports this module by name on the first figure (so
that matplotlib is loaded only then) and calls :func:`negotiation.results.base.draw`, which each
family's report module below registers its figures with (``@draw.register(BargainingResult)``).
"""

from __future__ import annotations

# Each module registers the figures of its family's result types with results.base.draw when imported.
from negotiation.report import figures  # noqa: F401

__all__ = []
