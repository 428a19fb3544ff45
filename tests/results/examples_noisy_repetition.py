"""Real instances of the noisy repeated-game result types, for the protocol test (tests/results/test_result_protocol.py)."""

from fractions import Fraction

import negotiation as ng
from negotiation.results.noisy_repetition import CriticalDiscount, NoisyEquilibria, NoisyPayoffs


def _pd():
    # T, R, P, S = 4, 3, 1, 0: win-stay-lose-shift is an equilibrium for δ ≥ 1/2 without errors
    return ng.Game.from_arrays([[3, 0], [4, 1]], [[3, 4], [0, 1]], players=("NATO", "Russia"),
                               strategies=(("Restrain", "Deploy"),) * 2, title="security dilemma (T = 4)")


EXAMPLES = {
    # the repeated security dilemma at its defaults, tit-for-tat against win-stay-lose-shift at ε = 1/50
    NoisyPayoffs: lambda: ng.noisy_payoffs(ng.load("security_dilemma_repeated").game_at(), "TFT", "WSLS",
                                           noise=Fraction(1, 50), discount=Fraction(9, 10)),
    NoisyEquilibria: lambda: ng.noisy_equilibria(_pd(), ["ALLD", "GRIM", "WSLS"], noise=Fraction(1, 100),
                                                 discount=Fraction(9, 10)),
    CriticalDiscount: lambda: ng.critical_discount_under_noise(_pd(), "WSLS", noise=Fraction(1, 100), points=6),
}
