"""Real instances of the estimation result types, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.estimation import QREEstimate, StrategicChoiceEstimate


def _pennies_fit():
    # asymmetric matching pennies, the counts Gambit fits in tests/reference/gambit_qre_estimates.json
    game = ng.Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]], strategies=(("U", "D"), ("L", "R")),
                               title="Asymmetric pennies")
    return ng.estimate_qre(game, {"Player 1": {"U": 30, "D": 20}, "Player 2": {"L": 15, "R": 35}})


def _deterrence_fit():
    # the saturated deterrence game: three constants reproduce the outcome frequencies
    data = {"outcome": ["SQ"] * 40 + ["CAP"] * 20 + ["BD"] * 20 + ["WAR"] * 20}
    return ng.estimate_strategic_choice(data, {"U1(SQ)": ["const"], "U1(WAR)": ["const"], "U2(WAR)": ["const"]})


EXAMPLES = {
    QREEstimate: _pennies_fit,
    StrategicChoiceEstimate: _deterrence_fit,
}
