"""Real instances of the cooperative-game result type, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.cooperative import CooperativeResult

EXAMPLES = {
    # the Talmud's estate of 200 (Aumann and Maschler 1985): Shapley value, core with its vertices, nucleolus
    CooperativeResult: lambda: ng.solve(ng.CooperativeGame.bankruptcy(("A", "B", "C"), 200, [100, 200, 300])),
}
