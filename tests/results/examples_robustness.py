"""Real instances of the robustness result type, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.robustness import RobustnessResult

EXAMPLES = {
    # the security dilemma's Prisoner's Dilemma claim over its four assumption-tagged magnitudes
    RobustnessResult: lambda: ng.robustness("security_dilemma", samples=40, seed=1),
}
