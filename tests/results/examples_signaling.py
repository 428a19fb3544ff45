"""Real instances of the signaling-game result types, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.models.signaling import beer_quiche
from negotiation.results.signaling import IntuitiveCriterionResult, SignalingResult


def _quiche_pooling_test():
    """Cho & Kreps's intuitive criterion on the pooling-on-quiche equilibrium of beer–quiche (it fails)."""
    game = beer_quiche()
    return ng.intuitive_criterion(game, ng.pure_pbe(game, intuitive=False)[1])


EXAMPLES = {
    # Kydd's costly reassurance (models/reassurance_signal.toml): a separating and a pooling PBE
    SignalingResult: lambda: ng.solve(ng.load("reassurance_signal")),
    IntuitiveCriterionResult: _quiche_pooling_test,
}
