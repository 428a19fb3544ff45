#!/usr/bin/env python
"""Sequence form against the reduced strategic form (and Gambit) on growing two-player trees.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_sequence_form.py --out benchmarks/results/sequence_form.md

Games: Kuhn poker with ``n`` cards (Kuhn 1950 for n = 3): each player antes 1 and gets one card
(all ``n (n - 1)`` deals equally likely); player 1 checks or bets 1; after a check player 2 checks
(showdown) or bets, after which player 1 folds or calls; after a bet player 2 folds or calls.
Each player has ``2n`` information sets and ``1 + 4n`` sequences, but ``3^n`` and ``4^n`` reduced
strategies. *Zero-sum*: the plain game, solved by ``sequence_form_lp`` against
``linear_program`` on the reduced strategic form. *General-sum*: the same tree with a rake (the
house keeps a quarter of the winner's gain when a bet is called), solved by
``sequence_form_lemke`` against ``lemke_howson`` on the reduced strategic form (one equilibrium
each). The reduced strategic form is built (``GameTree.to_strategic_form``) and solved only while
it has at most ``--max-profiles`` pure profiles; its time includes building it. Gambit's
``lcp_solve`` (Lemke on the sequence form, rational) runs on the ``.efg`` text in a subprocess
with a time limit (reading not timed). Times are medians of ``--repeats`` calls after a warm-up.

This is a benchmark script, not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import multiprocessing
import platform
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from negotiation.formats.efg import format_efg  # noqa: E402
from negotiation.core.numeric import format_number
from negotiation.solvers.lemke_howson import lemke_howson  # noqa: E402
from negotiation.solvers.sequence_form import sequence_form  # noqa: E402
from negotiation.solvers.sequence_form_lemke import sequence_form_lemke  # noqa: E402
from negotiation.solvers.sequence_form_lp import sequence_form_lp  # noqa: E402
from negotiation.solvers.zero_sum import linear_program  # noqa: E402
from negotiation.models.tree import GameTree, chance, decision, terminal


def kuhn_poker(n_cards: int, rake: Fraction = Fraction(0)) -> GameTree:
    """Kuhn poker with ``n_cards`` cards; with a rake the house keeps ``rake`` of a called bet's winnings."""
    cards = [f"c{k}" for k in range(n_cards)]
    probability = Fraction(1, n_cards * (n_cards - 1))
    deals = {}
    for c1, c2 in itertools.permutations(cards, 2):
        win = 1 if cards.index(c1) > cards.index(c2) else -1

        def called(w=win):  # both put in 2: the winner gains 2 minus the rake
            return terminal(2 * w - (rake * 2 if w > 0 else 0), -2 * w - (rake * 2 if w < 0 else 0))

        showdown = terminal(win, -win)
        p1_after_bet = decision("P1", {"Fold": terminal(-1, 1), "Call": called()},
                                information_set=f"P1 {c1} after check, bet")
        p2_after_check = decision("P2", {"Check": showdown, "Bet": p1_after_bet},
                                  information_set=f"P2 {c2} after check")
        p2_after_bet = decision("P2", {"Fold": terminal(1, -1), "Call": called()}, information_set=f"P2 {c2} after bet")
        deals[f"{c1}{c2}"] = (probability, decision("P1", {"Check": p2_after_check, "Bet": p2_after_bet},
                                                    information_set=f"P1 {c1}"))
    return GameTree.from_nested(("P1", "P2"), chance(deals), title=f"Kuhn poker, {n_cards} cards")


def timed(function, repeats):
    value = function()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def show(seconds):
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def ratio(other, ours):
    if other is None or ours is None or ours <= 0:
        return "—"
    return f"{other / ours:.1f}×"


def _gambit_worker(text, queue):
    import pygambit

    game = pygambit.read_efg(io.StringIO(text))
    start = time.perf_counter()
    result = pygambit.nash.lcp_solve(game, rational=True)
    elapsed = time.perf_counter() - start
    if not result.equilibria:
        queue.put((elapsed, None))
        return
    profile = result.equilibria[0]
    queue.put((elapsed, tuple(str(profile.payoff(p)) for p in game.players)))


def gambit_lcp(tree, limit):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_gambit_worker, args=(format_efg(tree), queue))
    process.start()
    process.join(limit)
    if process.is_alive():
        process.terminate()  # only the process started here
        process.join()
        return "timeout", None
    return queue.get() if not queue.empty() else ("failed", None)


def reduced_route(tree, n_cards, solver, max_profiles, repeats):
    """Reduced strategies: player 1 picks Bet, Check/Fold or Check/Call per card (3^n), player 2 one of two
    actions after a check and after a bet per card (4^n); the enumeration is checked where it is run."""
    sizes = [3 ** n_cards, 4 ** n_cards]
    if sizes[0] * sizes[1] > max_profiles:
        return sizes, None, None
    assert [len(labels) for labels, _, _ in tree._reduced_strategies()] == sizes
    seconds, result = timed(lambda: solver(tree.to_strategic_form()), repeats)
    return sizes, seconds, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO_ROOT / "benchmarks" / "results" / "sequence_form.md"))
    parser.add_argument("--cards", default="3,4,5,6,8,10,13")
    parser.add_argument("--max-profiles", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--gambit-limit", type=float, default=30.0, help="seconds per pygambit call")
    args = parser.parse_args(argv)
    try:
        import pygambit  # noqa: F401

        have_gambit = True
    except ImportError:
        have_gambit = False
    rows = {"zero-sum": [], "general-sum": []}
    for n in [int(s) for s in args.cards.split(",") if s]:
        for kind, rake, ours_solver, reduced_solver in (
                ("zero-sum", Fraction(0), sequence_form_lp, linear_program),
                ("general-sum", Fraction(1, 4), sequence_form_lemke, lemke_howson)):
            tree = kuhn_poker(n, rake)
            form = sequence_form(tree)
            build, _ = timed(lambda: sequence_form(tree), args.repeats)
            ours, result = timed(lambda: ours_solver(tree), args.repeats)
            sizes, reduced_seconds, reduced_result = reduced_route(tree, n, reduced_solver, args.max_profiles,
                                                                   args.repeats)
            agree = None
            if reduced_result is not None:
                agree = tuple(reduced_result[0].payoffs) == tuple(result[0].payoffs) if kind == "zero-sum" else None
            gambit_seconds, gambit_payoffs = (None, None)
            if have_gambit:
                gambit_seconds, gambit_payoffs = gambit_lcp(tree, args.gambit_limit)
            if kind == "zero-sum" and isinstance(gambit_payoffs, tuple):
                gambit_agree = Fraction(gambit_payoffs[0]) == result[0].payoffs[0]
            else:
                gambit_agree = None
            rows[kind].append(dict(n=n, nodes=tree.n_nodes, sequences=form.shape, reduced=sizes, build=build,
                                   ours=ours, reduced_seconds=reduced_seconds, agree=agree,
                                   gambit=gambit_seconds, gambit_agree=gambit_agree,
                                   payoff=result[0].payoffs[0], pivots=result.details.get("pivots")))
            print(f"{kind} n={n}: sequence form {show(ours)}, reduced {show(reduced_seconds)}, "
                  f"gambit {gambit_seconds if isinstance(gambit_seconds, str) else show(gambit_seconds)}", flush=True)
    write(args, rows, have_gambit)


def write(args, rows, have_gambit):
    import numpy
    import scipy

    import negotiation

    versions = [f"negotiation {negotiation.__version__}", f"numpy {numpy.__version__}", f"scipy {scipy.__version__}"]
    if have_gambit:
        import pygambit

        versions.append(f"pygambit {pygambit.__version__}")
    lines = [
        "# Sequence form: two-player trees without the reduced strategic form",
        "",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC",
        f"- Machine: {platform.platform()}; cpu count: {multiprocessing.cpu_count()}; "
        f"Python {platform.python_version()}",
        f"- Packages: {', '.join(versions)}",
        f"- Command: `python benchmarks/bench_sequence_form.py --cards {args.cards} --max-profiles "
        f"{args.max_profiles} --repeats {args.repeats} --gambit-limit {args.gambit_limit:g}`",
        "",
        "Kuhn poker with *n* cards: 2*n* information sets and 1 + 4*n* sequences per player, but 3^*n* and 4^*n* "
        "reduced strategies. Times are medians after a warm-up call, results (behaviour strategies, verified "
        "exactly) included. The reduced strategic form is built and solved only up to "
        f"{args.max_profiles:,} pure profiles (— above). *×* is the other route's time over ours. Gambit's "
        "`lcp_solve` (rational, on the `.efg`) runs in a subprocess limited to "
        f"{args.gambit_limit:g} s.",
        "",
    ]
    for kind, title, ours_name, reduced_name in (
            ("zero-sum", "Zero-sum (the plain game): value by linear programming",
             "`sequence_form_lp`", "`linear_program` on the reduced form"),
            ("general-sum", "General-sum (a rake of 1/4 on called bets): one equilibrium by Lemke",
             "`sequence_form_lemke`", "`lemke_howson` on the reduced form")):
        lines += [f"## {title}", "",
                  f"| cards | nodes | sequences | reduced strategies | build sequence form | {ours_name} | "
                  f"{reduced_name} | × | Gambit `lcp_solve` | × | player 1's payoff |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for row in rows[kind]:
            gambit = row["gambit"]
            gambit_text = (f"> {args.gambit_limit:g} s" if gambit == "timeout" else
                           "failed" if gambit == "failed" else show(gambit))
            if row["gambit_agree"] is False:
                gambit_text += " (different value!)"
            reduced = row["reduced"]
            reduced_text = show(row["reduced_seconds"])
            if row["agree"] is False:
                reduced_text += " (different value!)"
            lines.append(
                f"| {row['n']} | {row['nodes']:,} | {row['sequences'][0]} + {row['sequences'][1]} | "
                f"{reduced[0]:,} × {reduced[1]:,} | {show(row['build'])} | **{show(row['ours'])}** | "
                f"{reduced_text} | {ratio(row['reduced_seconds'], row['ours'])} | {gambit_text} | "
                f"{ratio(gambit if not isinstance(gambit, str) else None, row['ours'])} | "
                f"{format_number(row['payoff'])} |")
        lines.append("")
    lines += [
        "Kuhn (1950): the 3-card game's value is -1/18 for player 1. In the zero-sum table the reduced-form LP "
        "and Gambit's value are compared with ours where they ran (a mismatch would be marked).",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
