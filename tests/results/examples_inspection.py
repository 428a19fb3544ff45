"""Real instances of the inspection-game result types, for the protocol test (tests/results/test_result_protocol.py)."""

import negotiation as ng
from negotiation.results.inspection import RecursiveInspection

EXAMPLES = {
    # the Vienna Document's year of inspections (models/README.md): 12 periods, a quota of 3
    RecursiveInspection: lambda: ng.load("vienna_document_inspection").analyses()["recursive_inspection"],
}
