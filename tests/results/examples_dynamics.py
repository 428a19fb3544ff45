"""Real instances of the result types of dynamics, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.dynamics import Stability, Trajectory


def _matching_pennies_run():
    # fictitious play in matching pennies: frequencies, plays, convergence to (1/2, 1/2)
    pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
                                  strategies=(("Heads", "Tails"), ("Heads", "Tails")))
    return ng.fictitious_play(pennies, 200)


EXAMPLES = {
    Trajectory: _matching_pennies_run,
    # the bundled arms race at its defaults: a stable node (m n = 1/4 > a b = 3/25)
    Stability: lambda: ng.stability(ng.load("richardson_arms_race").dynamics_at()),
}
