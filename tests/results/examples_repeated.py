"""Real instances of the repeated-game result types, for the protocol test (tests/results/test_result_protocol.py)."""

import numpy as np

import negotiation as ng
from negotiation.results.finite_repetition import FiniteRepetitionResult
from negotiation.results.repeated import FolkTheoremResult, RepeatedAnalysis


def _gibbons():
    # Gibbons (1992), §2.3.A: two pure stage equilibria, so (M, M) can be played in the early rounds
    payoffs = [[1, 5, 0], [0, 4, 0], [0, 0, 3]]
    return ng.Game.from_arrays(payoffs, np.array(payoffs).T.tolist(), players=("A", "B"),
                               strategies=(("L", "M", "R"),) * 2, title="Gibbons 2.3.A")


EXAMPLES = {
    # the repeated security dilemma at its defaults (models/README.md): the folk theorem at δ = 9/10
    FolkTheoremResult: lambda: ng.folk_theorem(ng.load("security_dilemma_repeated").game_at(), discount="9/10"),
    FiniteRepetitionResult: lambda: ng.finitely_repeated(_gibbons(), 5),
    # the scenario's [repetition] section, as `negotiation solve security_dilemma_repeated` shows it
    RepeatedAnalysis: lambda: ng.load("security_dilemma_repeated").analyses()["repetition"],
}
