"""Regenerate Gambit's answers on the cross-check corpora of the tests (tests/reference/*.json).

Gambit stays the tests' independent oracle without being installed by the test command: pygambit has no
wheel on PyPI and compiles from source for most of an hour. Its answers on every cross-check corpus are
committed here; the default suite compares our answers to them, and the ``gambit`` suite
(``pytest -m gambit``, run by ``.ci/run`` after the README's command) repeats the live comparisons and checks
that this script still writes the committed files byte for byte.

The games come from the test modules themselves (their ``*_corpus`` functions and builders), so a reference
file and the live test it stands for cannot describe different games; each reference test also checks that
the games in its file are the ones those functions build.

Usage (from the repository root, with pygambit 16.7.0 installed: ``pip install -e '.[gambit,test]'``)::

    python tests/reference/generate_gambit_reference.py           # rewrite the files
    python tests/reference/generate_gambit_reference.py --check   # exit 1 if a file would change

A file's ``date`` is the day its answers last changed: rewriting identical answers keeps the old date, so a
regeneration with the same pygambit is byte-identical.

Exact answers (enummixed, lcp, lp with ``rational=True``; payoffs read back from files) are rational strings;
float answers (enumpoly, the logit tracer) are JSON floats (shortest round-trip repr) with the tolerance the
test applies written in the file.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import io
import json
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
GENERATOR = "tests/reference/generate_gambit_reference.py"
PYGAMBIT_VERSION = "16.7.0"


def test_module(directory: str, name: str):
    """Import a test module (tests/<directory>/<name>.py) the way pytest does: by its basename."""
    path = str(TESTS / directory) if directory else str(TESTS)
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(name)


def exact(value) -> str:
    """Gambit's Rational (or a Decimal / int) as a rational string: Fraction(str(v)) is exact for both."""
    return str(Fraction(str(value)))


def exact_profile_set(game, equilibria) -> list:
    """Equilibria as sorted, de-duplicated lists of per-player probability vectors (rational strings)."""
    found = {tuple(tuple(exact(eq[s]) for s in player.strategies) for player in game.players) for eq in equilibria}
    return [list(map(list, profile)) for profile in sorted(found, key=lambda p: [[Fraction(v) for v in x] for x in p])]


def bimatrix_enummixed(gbt, A, B) -> list:
    g = gbt.Game.from_arrays([[Fraction(int(v)) for v in row] for row in A], [[Fraction(int(v)) for v in row] for row in B])
    return exact_profile_set(g, gbt.nash.enummixed_solve(g, rational=True).equilibria)


# ---------------------------------------------------------------------- corpora, one function each
def vertex_enumeration_random(gbt) -> dict:
    module = test_module("solvers", "test_vertex_enumeration")
    cases = [{"A": A.tolist(), "B": B.tolist(), "equilibria": bimatrix_enummixed(gbt, A, B)}
             for A, B in module.random_corpus()]
    return {"description": "enummixed_solve(rational=True) on the 400 random and degenerate bimatrix games of "
                           "test_vertex_enumeration.random_corpus (seed 20261122)",
            "source": "tests/solvers/test_vertex_enumeration.py::random_corpus", "cases": cases}


def vertex_enumeration_degenerate(gbt) -> dict:
    module = test_module("solvers", "test_vertex_enumeration")
    cases = [{"A": A.tolist(), "B": B.tolist(), "equilibria": bimatrix_enummixed(gbt, A, B)}
             for A, B in module.degenerate_corpus()]
    return {"description": "enummixed_solve(rational=True) on the 40 larger degenerate games (5x5 to 7x7) of "
                           "test_vertex_enumeration.degenerate_corpus (seed 5)",
            "source": "tests/solvers/test_vertex_enumeration.py::degenerate_corpus", "cases": cases}


def vertex_enumeration_vs75(gbt) -> dict:
    module = test_module("solvers", "test_vertex_enumeration")
    g = gbt.read_nfg(str(module.VS75))
    return {"description": "enummixed_solve(rational=True) on von Stengel's (1999) 6x6 game with 75 equilibria",
            "source": "tests/data/vonstengel1999_6x6_75eq.nfg",
            "cases": [{"file": "tests/data/vonstengel1999_6x6_75eq.nfg",
                       "equilibria": exact_profile_set(g, gbt.nash.enummixed_solve(g, rational=True).equilibria)}]}


def lemke_howson_shapley(gbt) -> dict:
    module = test_module("solvers", "test_lemke_howson")
    A, B = module.SHAPLEY
    return {"description": "enummixed_solve(rational=True) on Shapley's symmetric 3x3 game",
            "source": "tests/solvers/test_lemke_howson.py::SHAPLEY",
            "cases": [{"A": A, "B": B, "equilibria": bimatrix_enummixed(gbt, A, B)}]}


def cli_nfg_enummixed(gbt) -> dict:
    module = test_module("", "test_cli")
    cases = []
    for A, B in module.gambit_nfg_corpus():
        g = gbt.Game.from_arrays([[Fraction(int(v)) for v in row] for row in A],
                                 [[Fraction(int(v)) for v in row] for row in B])
        cases.append({"A": A.tolist(), "B": B.tolist(), "nfg": g.to_nfg(),
                      "equilibria": exact_profile_set(g, gbt.nash.enummixed_solve(g, rational=True).equilibria)})
    return {"description": "Gambit's .nfg text (Game.to_nfg) of 25 random bimatrix games and its "
                           "enummixed_solve(rational=True) equilibria (test_cli.gambit_nfg_corpus, seed 11)",
            "source": "tests/test_cli.py::gambit_nfg_corpus", "cases": cases}


def enumpoly_three_player(gbt) -> dict:
    module = test_module("solvers", "test_polynomial")
    cases = []
    for shape, seed, arrays in module.enumpoly_corpus():
        g = gbt.Game.from_arrays(*[np.array(a.tolist(), dtype=object) for a in arrays])
        points = [[[float(eq[s]) for s in p.strategies] for p in g.players]
                  for eq in gbt.nash.enumpoly_solve(g, use_strategic=True).equilibria]
        cases.append({"shape": list(shape), "seed": seed, "payoffs": [a.tolist() for a in arrays],
                      "equilibria": points})
    return {"description": "enumpoly_solve(use_strategic=True) (floats, may miss equilibria: gambit#474) on "
                           "the random three-player games of test_polynomial.enumpoly_corpus",
            "source": "tests/solvers/test_polynomial.py::enumpoly_corpus", "tolerance": 1e-6, "cases": cases}


def logit_branches(gbt) -> dict:
    module = test_module("solvers", "test_quantal_response")
    cases = []
    for name, arrays, lams, tolerance in module.logit_corpus():
        oracle = gbt.Game.from_arrays(*[np.array(a) for a in arrays])
        points = [[float(point.profile[s]) for s in oracle.strategies]
                  for point in gbt.qre.logit_solve_lambda(oracle, lam=list(lams), use_strategic=True)]
        cases.append({"name": name, "payoffs": [np.asarray(a).tolist() for a in arrays], "lambdas": list(lams),
                      "tolerance": tolerance, "profiles": points})
    return {"description": "qre.logit_solve_lambda(use_strategic=True): points of the principal logit branch "
                           "(strategies flattened player by player) of test_quantal_response.logit_corpus",
            "source": "tests/solvers/test_quantal_response.py::logit_corpus", "cases": cases}


def tree_imperfect(gbt) -> dict:
    module = test_module("trees", "test_tree_imperfect")
    from negotiation.formats.efg import format_efg

    card = format_efg(module.myerson_card_game())
    game = gbt.read_efg(io.StringIO(card))
    (profile,) = gbt.nash.lcp_solve(game, rational=True).equilibria
    behaviour = {infoset.player.label + "|" + infoset.label: {a.label: exact(profile[a]) for a in infoset.actions}
                 for infoset in game.infosets if not infoset.player.is_chance}
    entry = format_efg(module.entry_with_simultaneous_fight())
    game2 = gbt.read_efg(io.StringIO(entry))
    payoffs = sorted({tuple(exact(p.payoff(player)) for player in game2.players)
                      for p in gbt.nash.enummixed_solve(game2, rational=True).equilibria},
                     key=lambda t: [Fraction(v) for v in t])
    return {"description": "lcp_solve(rational=True) on Myerson's card game (behaviour profile by "
                           "'player|information set', player 1's payoff) and the equilibrium payoffs of "
                           "enummixed_solve(rational=True) on entry_with_simultaneous_fight, both read from our .efg",
            "source": "tests/trees/test_tree_imperfect.py",
            "cases": [{"name": "card game", "efg": card, "behaviour": behaviour,
                       "payoff": exact(profile.payoff(game.players["Player 1"]))},
                      {"name": "entry with simultaneous fight", "efg": entry, "payoffs": [list(p) for p in payoffs]}]}


def sequence_form_kuhn(gbt) -> dict:
    module = test_module("trees", "test_sequence_form")
    from negotiation.formats.efg import format_efg

    text = format_efg(module.kuhn_poker())
    game = gbt.read_efg(io.StringIO(text))
    solution = gbt.nash.lp_solve(game, rational=True)
    return {"description": "lp_solve(rational=True) on Kuhn poker (our .efg): player 1's value",
            "source": "tests/trees/test_sequence_form.py::kuhn_poker",
            "cases": [{"efg": text, "value": exact(solution.equilibria[0].payoff(next(iter(game.players))))}]}


def efg_cross_check(gbt) -> dict:
    module = test_module("trees", "test_efg")
    from negotiation.formats.efg import format_efg, parse_efg

    cases = []
    for seed, tree in module.efg_corpus():
        text = format_efg(tree)
        cases.append({"seed": seed, "efg": text, **module.gambit_reading(gbt.read_efg(io.StringIO(text)))})
    theirs = module.gambit_built_game(gbt)
    their_text = theirs.to_efg()
    back = format_efg(parse_efg(their_text))
    return {"description": "pygambit's reading (players, node count, terminal payoffs in prefix order, action "
                           "labels of each information set) of our .efg for test_efg.efg_corpus; the .efg text "
                           "pygambit writes for test_efg.gambit_built_game, and its reading of our text of it",
            "source": "tests/trees/test_efg.py",
            "cases": cases,
            "gambit_written": {"efg": their_text, "terminal_payoffs": module.gambit_reading(theirs)["terminal_payoffs"],
                               "ours_back": back,
                               "ours_back_terminal_payoffs":
                                   module.gambit_reading(gbt.read_efg(io.StringIO(back)))["terminal_payoffs"]}}


def nfg_cross_check(gbt) -> dict:
    module = test_module("formats", "test_nfg")
    from negotiation.formats.nfg import format_nfg, parse_nfg

    reads_ours = []
    for seed, floats, version, data in module.nfg_corpus():
        text = format_nfg(data, version=version)
        reads_ours.append({"seed": seed, "floats": floats, "version": version, "nfg": text,
                           **module.gambit_nfg_reading(gbt.read_nfg(io.StringIO(text)))})
    writes = [{"seed": seed, "nfg": module.gambit_nfg_text(module.gambit_written_game(gbt, seed))}
              for seed in module.PYGAMBIT_WRITES_SEEDS]
    ours = format_nfg(module.gambit_friendly_game(42), version="payoff")
    round_trip = module.gambit_nfg_text(gbt.read_nfg(io.StringIO(ours)))
    parse_nfg(round_trip)  # fail here, not in the tests, if our reader cannot read it
    return {"description": "pygambit's reading (title, comment, players, strategies, payoffs by profile, player 1 "
                           "fastest) of our .nfg texts (test_nfg.nfg_corpus); the .nfg texts pygambit writes for "
                           "test_nfg.gambit_written_game; pygambit's rewrite of our text of gambit_friendly_game(42)",
            "source": "tests/formats/test_nfg.py",
            "cases": reads_ours, "pygambit_writes": writes, "round_trip": {"ours": ours, "theirs": round_trip}}


def signaling_pure_agent(gbt) -> dict:
    module = test_module("", "test_signaling")
    from negotiation.formats.efg import format_efg
    from negotiation.models.signaling import to_tree

    cases = []
    for name, game in module.signaling_corpus():
        text = format_efg(to_tree(game))
        efg = gbt.read_efg(io.StringIO(text))
        profiles = set()
        for profile in gbt.nash.enumpure_agent_solve(efg).equilibria:
            chosen = {(player.label, infoset.label): action.label for player in efg.players
                      for infoset in player.infosets for action in infoset.actions if profile[action] == 1}
            profiles.add((tuple(chosen[(game.sender, t)] for t in game.types),
                          tuple(chosen[(game.receiver, m)] for m in game.messages)))
        cases.append({"name": name, "efg": text, "pure_agent_equilibria": [list(map(list, p)) for p in sorted(profiles)]})
    return {"description": "enumpure_agent_solve on the signaling games of test_signaling.signaling_corpus (our "
                           ".efg of to_tree(game)): (sender's message by type, receiver's response by message)",
            "source": "tests/test_signaling.py::signaling_corpus", "cases": cases}


CORPORA = {
    "vertex_enumeration_random": vertex_enumeration_random,
    "vertex_enumeration_degenerate": vertex_enumeration_degenerate,
    "vertex_enumeration_vs75": vertex_enumeration_vs75,
    "lemke_howson_shapley": lemke_howson_shapley,
    "cli_nfg_enummixed": cli_nfg_enummixed,
    "enumpoly_three_player": enumpoly_three_player,
    "logit_branches": logit_branches,
    "tree_imperfect": tree_imperfect,
    "sequence_form_kuhn": sequence_form_kuhn,
    "efg_cross_check": efg_cross_check,
    "nfg_cross_check": nfg_cross_check,
    "signaling_pure_agent": signaling_pure_agent,
}


# ---------------------------------------------------------------------- writing
def render(name: str, body: dict, version: str, date: str) -> str:
    header = {"corpus": name, "pygambit": version, "generator": GENERATOR,
              "command": f"python {GENERATOR}", "date": date}
    lines = []
    for key, value in {**header, **body}.items():
        if isinstance(value, list):  # one case a line: readable diffs, a tenth of the size of indented JSON
            items = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in value)
            lines.append(f" {json.dumps(key)}: [\n{items}\n ]")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def path_of(name: str) -> Path:
    return HERE / f"{name}.json"


def previous_date(name: str, body: dict, version: str) -> str | None:
    """The committed file's date if its answers are the ones just computed (then nothing changes)."""
    path = path_of(name)
    if not path.exists():
        return None
    old = json.loads(path.read_text(encoding="utf-8"))
    date = old.get("date")
    return date if render(name, body, version, date) == path.read_text(encoding="utf-8") else None


def rendered(name: str, gbt) -> str:
    """The text this script writes for one corpus."""
    body = CORPORA[name](gbt)
    date = previous_date(name, body, gbt.__version__) or datetime.date.today().isoformat()
    return render(name, body, gbt.__version__, date)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    parser.add_argument("corpora", nargs="*", metavar="corpus", help=f"only these (default: all): {', '.join(CORPORA)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.corpora) - set(CORPORA))
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)}; expected one of {', '.join(CORPORA)}")
    import pygambit as gbt

    if gbt.__version__ != PYGAMBIT_VERSION:
        print(f"warning: pygambit {gbt.__version__}, the files were made with {PYGAMBIT_VERSION}", file=sys.stderr)
    changed = []
    for name in args.corpora or CORPORA:
        text = rendered(name, gbt)
        if path_of(name).exists() and path_of(name).read_text(encoding="utf-8") == text:
            continue
        changed.append(name)
        if not args.check:
            path_of(name).write_text(text, encoding="utf-8")
    verb = "differ" if args.check else "written"
    print(f"{len(changed)} of {len(args.corpora or CORPORA)} reference files {verb}: {', '.join(changed) or 'none'}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(TESTS.parent))  # the repository's negotiation package, as pytest sees it
    sys.exit(main())
