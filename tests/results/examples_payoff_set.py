"""Real instances of the equilibrium-payoff-set result type, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.payoff_set import PayoffSetResult

EXAMPLES = {
    # the repeated security dilemma's stage game at its defaults, at δ = 9/10 (the whole folk-theorem set)
    PayoffSetResult: lambda: ng.equilibrium_payoff_set(ng.load("security_dilemma_repeated").game_at(), "9/10"),
}
