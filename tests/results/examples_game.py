"""Real instances of the strategic-form result types, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.game import SolveResult

EXAMPLES = {
    # Stag Hunt at omega = 1/5 (models/README.md): three equilibria, exact, with the classic-game label
    SolveResult: lambda: ng.solve(ng.load("security_dilemma"), values={"omega": "1/5"}),
}
