"""Real instances of the result types of evolutionary dynamics, for the protocol test
(tests/results/test_result_protocol.py)."""

from fractions import Fraction

import negotiation as ng
from negotiation.results.evolution import FixationProbabilities, RestPoints, StochasticStability

#: The Stag Hunt R = 4, T = 3, P = 2, S = 0 (a symmetric coordination game).
STAG_HUNT = ng.Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]], strategies=(("Stag", "Hare"), ("Stag", "Hare")))


def _three_strategy_rest_points():
    # rock-paper-scissors shifted to positive payoffs, with uniform mutation: a multi-start search
    payoffs = [[1, 0, 2], [2, 1, 0], [0, 2, 1]]
    game = ng.Game.from_arrays(payoffs, [list(row) for row in zip(*payoffs)],
                               strategies=(("Rock", "Paper", "Scissors"),) * 2)
    return ng.replicator_mutator_rest_points(game, Fraction(1, 10))


EXAMPLES = {
    FixationProbabilities: lambda: ng.fixation_probabilities(STAG_HUNT, 12, Fraction(1, 10)),
    RestPoints: _three_strategy_rest_points,
    StochasticStability: lambda: ng.stochastically_stable(STAG_HUNT, 10),
}
