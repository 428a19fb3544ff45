"""Real instances of the result type of equilibrium selection, for the protocol test
(tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.selection import SelectionResult

#: The Stag Hunt R = 4, T = 3, P = 2, S = 0.
STAG_HUNT = ng.Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]], strategies=(("Stag", "Hare"), ("Stag", "Hare")))

EXAMPLES = {
    SelectionResult: lambda: ng.select_equilibrium(STAG_HUNT, "risk"),
}

from negotiation.results.refinement import PerfectEquilibria  # noqa: E402

ENTRY = ng.Game.from_arrays([[0, 0], [-1, 1]], [[2, 2], [-1, 1]], strategies=(("Out", "In"), ("Fight", "Accommodate")))
EXAMPLES[PerfectEquilibria] = lambda: ng.perfect_equilibria(ENTRY)
