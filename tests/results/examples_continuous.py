"""Real instances of the continuous-game result types, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.continuous import ContinuousResult

EXAMPLES = {
    # Forward force posture at its defaults (models/README.md): one interior equilibrium, exact and complete
    ContinuousResult: lambda: ng.solve(ng.load("force_posture_cournot")),
}
