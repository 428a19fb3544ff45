"""Real instances of the sweep result types, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.sweeps import SummaryTable, SweepResult


def _grid_sweep():
    # the security dilemma over omega in {0, 1/4, 1/2}: Harmony, the boundary case, a Prisoner's Dilemma
    return ng.sweep(ng.load("security_dilemma"), grid=["omega=0:1/2:3"])


EXAMPLES = {
    SweepResult: _grid_sweep,
    # regions of the grid by classic game (exact bounds)
    SummaryTable: lambda: _grid_sweep().summary_table(by="classification"),
}
