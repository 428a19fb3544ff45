"""Regenerate QuantEcon's equilibrium payoff sets (tests/reference/quantecon/quantecon_payoff_sets.json).

QuantEcon's ``RepeatedGame.equilibrium_payoffs`` (method ``"AS"``, Abreu & Sannikov 2014) is the independent
implementation that :func:`negotiation.equilibrium_payoff_set` is checked against. QuantEcon is not installed by
the README's test command (it is a large dependency the package never imports), so its answers are committed
here; the default suite compares ours with them, and the ``quantecon`` suite (``pytest -m quantecon``, after
``pip install 'quantecon>=0.11.4'``) checks live that this script still writes the committed file byte for byte
and compares the two implementations on further games.

The version matters: releases before 0.11.3 (July 2026; QuantEcon.py pull request #848) could stop the iteration
before the first update of the threat points and return the feasible payoff hull instead of the equilibrium
set. 0.11.4 (tagged 2026-07-15) is the newest release that installs on Python 3.11 (0.12 and 0.13 require Python
3.12 or later); it contains that fix.

The games and discount factors are :data:`CASES`, here and nowhere else: the tests build their games from this
module, so the committed answers and the tests cannot describe different games. The file is written in a fixed
layout (sorted keys, QuantEcon's vertices in the counter-clockwise order of ``scipy.spatial.ConvexHull``, floats
in their shortest round-trip form) and carries no date, so a regeneration with the same QuantEcon, NumPy and
SciPy is byte-identical.

Usage (from the repository root)::

    python tests/reference/generate_quantecon_reference.py           # rewrite the file
    python tests/reference/generate_quantecon_reference.py --check   # exit 1 if the file would change
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "quantecon" / "quantecon_payoff_sets.json"
GENERATOR = "tests/reference/generate_quantecon_reference.py"
QUANTECON_VERSION = "0.11.4"
QUANTECON_TAGGED = "2026-07-15"
#: Hausdorff distance, relative to the payoff range, within which the tests require the two polygons to agree
#: (ours stops at 1e-10 of the range; QuantEcon at 1e-12 on the vertex coordinates).
TOLERANCE = 1e-7

#: name -> (description, players, strategies, row player's payoffs, column player's payoffs, discount factors);
#: payoffs are integers or rational strings, discount factors rational strings
CASES = {
    "prisoners_dilemma": (
        ("Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0): {(1, 1)} below δ = 1/4, a triangle up to 1/2, then the "
         "feasible individually rational set"), ("A", "B"), (("C", "D"), ("C", "D")),
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], ("3/10", "6/10", "9/10")),
    "prisoners_dilemma_oyama": (
        ("the Prisoner's Dilemma of QuantEcon's tests and of pull request #848 (all payoffs positive: the case "
         "older releases answered with the feasible hull)"), ("A", "B"), (("C", "D"), ("C", "D")),
        [[9, 1], [10, 3]], [[9, 10], [1, 3]], ("3/10", "9/10")),
    "abreu_sannikov_example": (
        "the 3 × 3 example of Abreu & Sannikov (2014, Theoretical Economics 9(2)), as in QuantEcon's tests",
        ("1", "2"),
        (("T", "M", "B"), ("L", "C", "R")),
        [[16, 3, 0], [21, 10, -1], [9, 5, -5]], [[9, 13, 3], [1, 4, 0], [0, -4, -15]], ("3/10", "1/2", "8/10")),
    "battle_of_the_sexes": (
        ("Battle of the sexes (two pure stage equilibria; below δ ≈ 3/4 the set is the segment between their "
         "payoffs, which QuantEcon's hull cannot represent)"), ("A", "B"),
        (("Opera", "Football"), ("Opera", "Football")),
        [[3, 0], [1, 2]], [[2, 1], [0, 3]], ("8/10", "9/10")),
    "security_dilemma_repeated": (
        ("the stage game of the bundled model security_dilemma_repeated at its defaults (NATO, Russia; "
         "Restrain, Deploy)"), ("NATO", "Russia"), (("Restrain", "Deploy"), ("Restrain", "Deploy")),
        [["0", "-15/4"], ["1", "-2"]], [["0", "1"], ["-15/4", "-2"]], ("1/2", "9/10")),
}


def quantecon_vertices(first, second, discount: str) -> list:
    """QuantEcon's equilibrium payoff set: the vertices of its convex hull, counter-clockwise."""
    from quantecon.game_theory import NormalFormGame, RepeatedGame  # only when regenerating or checking live

    bimatrix = [[(float(Fraction(str(a))), float(Fraction(str(b)))) for a, b in zip(row_a, row_b)]
                for row_a, row_b in zip(first, second)]
    hull = RepeatedGame(NormalFormGame(bimatrix), float(Fraction(discount))).equilibrium_payoffs(method="AS")
    return [[float(x) for x in hull.points[k]] for k in hull.vertices]


def content() -> dict:
    """The file's content, computed with the installed QuantEcon."""
    import quantecon

    if quantecon.__version__ != QUANTECON_VERSION:
        raise SystemExit(f"expected quantecon {QUANTECON_VERSION}, found {quantecon.__version__}: install it "
                         f"(pip install 'quantecon=={QUANTECON_VERSION}') or change QUANTECON_VERSION knowingly")
    cases = []
    for name, (description, players, strategies, first, second, discounts) in CASES.items():
        for discount in discounts:
            cases.append({"name": name, "description": description, "players": list(players),
                          "strategies": [list(s) for s in strategies], "payoffs": [first, second],
                          "discount": discount, "vertices": quantecon_vertices(first, second, discount)})
    return {"quantecon": QUANTECON_VERSION, "quantecon_tagged": QUANTECON_TAGGED,
            "function": "quantecon.game_theory.RepeatedGame.equilibrium_payoffs(method='AS')",
            "generator": GENERATOR, "command": f"python {GENERATOR}", "tolerance": TOLERANCE, "cases": cases}


def render(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file would change")
    args = parser.parse_args(argv)
    text = render(content())
    if args.check:
        same = OUTPUT.is_file() and OUTPUT.read_text(encoding="utf-8") == text
        print(f"{OUTPUT.name}: {'unchanged' if same else 'WOULD CHANGE'}")
        return 0 if same else 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
