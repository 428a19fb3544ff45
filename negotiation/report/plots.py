"""The figure of each result type: ``result.plot()`` lands here.

``result.plot()`` (and ``tree.plot()``) go through :func:`negotiation.core.drawing.plot`, which imports
this module by name on the first figure (so that matplotlib is loaded only then) and calls
:func:`negotiation.core.drawing.draw`; each family's report module below registers its figures with it
(``@draw.register(BargainingResult)``).
"""

from __future__ import annotations

# Each module registers the figures of its family's types with core.drawing.draw when imported.
from negotiation.report import (bargaining, continuous, dynamics, inspection, maps, quantal_response,  # noqa: F401
                                repeated, trees)
from negotiation.report import evolution  # noqa: F401  (issue 18: evolutionary dynamics)
from negotiation.report import cooperative  # noqa: F401  (issue 18: cooperative games)
from negotiation.report import noisy_repetition  # noqa: F401  (issue 18: noisy repeated games)
from negotiation.report import payoff_set  # noqa: F401  (issue 18: the equilibrium payoff set)
from negotiation.report import estimation  # noqa: F401  (issue 18: QRE estimation and strategic choice)

__all__ = []
from negotiation.report import robustness  # noqa: F401  (issue 13: robustness of claims)
