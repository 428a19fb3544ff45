"""Regenerate Gambit's maximum-likelihood logit QRE fits (tests/reference/gambit_qre_estimates.json).

Gambit's ``pygambit.qre.logit_estimate`` (16.3 and later) fits λ to choice counts by maximising the likelihood
along the principal branch of logit QRE, which is what ``ng.estimate_qre`` does: its answers on the corpus
of ``tests/test_qre_estimation.py::gambit_estimation_corpus`` are committed here, so the default tests compare
with them without pygambit (no wheel on PyPI); the ``gambit`` tests repeat the fits live and check that this
script still writes the committed file byte for byte. The layout and header are those of
``tests/reference/generate_gambit_reference.py`` (one case a line); this script is separate so that the
corpus stays with its test module.

Usage (from the repository root, with pygambit 16.7.0 installed)::

    python tests/reference/generate_gambit_qre_reference.py           # rewrite the file
    python tests/reference/generate_gambit_qre_reference.py --check   # exit 1 if it would change

The file's ``date`` is the day its answers last changed (rewriting identical answers keeps it).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
GENERATOR = "tests/reference/generate_gambit_qre_reference.py"
CORPUS = "gambit_qre_estimates"
PYGAMBIT_VERSION = "16.7.0"
#: The relative tolerance the tests apply to λ and the log-likelihood (Gambit's tracer ends its search on a
#: point it refines to about 1e-8 in λ).
TOLERANCE = 1e-6


def corpus():
    """The cases, from the test module itself (so the file and the live test cannot describe different data)."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    return importlib.import_module("test_qre_estimation").gambit_estimation_corpus()


def fit(gbt, case) -> dict:
    """Gambit's fit of one case: λ, the log-likelihood and the fitted profile (strategies player by player)."""
    game = gbt.Game.from_arrays(*(np.array(p, dtype=float) for p in case["payoffs"]))
    data = game.mixed_strategy_profile(rational=False)
    for player, counts in zip(game.players, case["counts"]):
        for strategy, count in zip(player.strategies, counts):
            data[strategy] = float(count)
    result = gbt.qre.logit_estimate(data)
    return {"lambda": float(result.lam), "log_likelihood": float(result.log_like),
            "profile": [float(result.profile[s]) for s in game.strategies]}


def body(gbt) -> dict:
    cases = [{**case, **fit(gbt, case), "tolerance": TOLERANCE} for case in corpus()]
    return {"description": "qre.logit_estimate(data) (fixed-point method, global maximum along the principal "
                           "branch): λ, log-likelihood and fitted profile (strategies flattened player by player) "
                           "for the counts of each case",
            "source": "tests/test_qre_estimation.py::gambit_estimation_corpus", "cases": cases}


def render(content: dict, version: str, date: str) -> str:
    header = {"corpus": CORPUS, "pygambit": version, "generator": GENERATOR, "command": f"python {GENERATOR}",
              "date": date}
    lines = []
    for key, value in {**header, **content}.items():
        if isinstance(value, list):
            items = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in value)
            lines.append(f" {json.dumps(key)}: [\n{items}\n ]")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def path() -> Path:
    return HERE / f"{CORPUS}.json"


def rendered(gbt) -> str:
    """The text this script writes (keeping the committed date when the answers are unchanged)."""
    content = body(gbt)
    date = datetime.date.today().isoformat()
    if path().exists():
        old = json.loads(path().read_text(encoding="utf-8")).get("date")
        if old and render(content, gbt.__version__, old) == path().read_text(encoding="utf-8"):
            date = old
    return render(content, gbt.__version__, date)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = parser.parse_args(argv)
    import pygambit as gbt

    text = rendered(gbt)
    changed = not path().exists() or path().read_text(encoding="utf-8") != text
    if args.check:
        print(f"{CORPUS}: {'would change' if changed else 'unchanged'}")
        return 1 if changed else 0
    if changed:
        path().write_text(text, encoding="utf-8")
    print(f"{CORPUS}: {'written' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
