"""The exact n-player support enumeration reports its progress, one step per support profile."""

import negotiation as ng
import negotiation.solvers.polynomial as polynomial
from negotiation.core import progress


def test_the_bar_counts_every_support_profile(monkeypatch):
    opened = []

    def recording_bar(total, description, **options):
        bar = progress.progress_bar(total, description, enabled=False, **options)
        opened.append((bar, options))
        return bar

    monkeypatch.setattr(polynomial, "progress_bar", recording_bar)
    # 2×2×2: each player has 3 nonempty supports ({a}, {b}, {a, b}), so 3³ = 27 support profiles
    first = [[[a + b + c for c in range(2)] for b in range(2)] for a in range(2)]
    second = [[[a * b - c for c in range(2)] for b in range(2)] for a in range(2)]
    third = [[[(a + c) % 2 for c in range(2)] for b in range(2)] for a in range(2)]
    game = ng.Game.from_arrays(first, second, third)
    result = ng.solve(game, method="support_enumeration_polynomial")
    assert result.complete
    (bar, options), = opened
    assert bar.total == 27 and bar.count == 27
    assert options["delay"] == polynomial.PROGRESS_DELAY == 1.0  # only a solve past a second shows a bar
