"""Shared by the tests and the doctests.

* Hypothesis draws the same examples on every run (profile ``deterministic``): the test command passes or
  fails the same way on every machine, and CI cannot fail on a rare draw that a local run never saw. A
  random search is one variable away: ``HYPOTHESIS_PROFILE=explore`` (new seeds on every run; the
  input fuzz also takes ``NEGOTIATION_FUZZ_EXAMPLES``); a failure it finds becomes an ``@example``.
* Figures drawn through pyplot are closed after each test: a doctest that draws (``result.plot()``,
  ``draw_sweep``) leaves its figure open in pyplot's registry, and over the whole suite they add up
  (matplotlib warns past 20 and keeps their memory).
* Gambit is the tests' independent oracle, but pygambit is not installed by the test command (no wheel on
  PyPI: it compiles from source for most of an hour). Its answers on the cross-check corpora are committed
  in tests/reference/ (``gambit_reference`` loads one); the live comparisons carry the ``gambit`` marker,
  are deselected by default and run with ``pytest -m gambit`` after ``pip install '.[gambit]'``.
"""

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")  # only if a test imported it: no import for the others
    if pyplot is not None:
        pyplot.close("all")


REFERENCE = Path(__file__).resolve().parent / "tests" / "reference"


@pytest.fixture(scope="session")
def gambit_reference():
    """Load Gambit's committed answers on one corpus: ``gambit_reference("vertex_enumeration_random")``."""
    def load(corpus: str) -> dict:
        return json.loads((REFERENCE / f"{corpus}.json").read_text(encoding="utf-8"))
    return load
