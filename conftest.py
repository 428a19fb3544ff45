"""Shared by the tests and the doctests.

* Hypothesis draws the same examples on every run (profile ``deterministic``): the test command passes or
  fails the same way on every machine, and CI cannot fail on a rare draw that a local run never saw. A
  random search is one variable away: ``HYPOTHESIS_PROFILE=explore`` (new seeds on every run; the
  input fuzz also takes ``NEGOTIATION_FUZZ_EXAMPLES``); a failure it finds becomes an ``@example``.
* Figures drawn through pyplot are closed after each test: a doctest that draws (``result.plot()``,
  ``draw_sweep``) leaves its figure open in pyplot's registry, and over the whole suite they add up
  (matplotlib warns past 20 and keeps their memory).
"""

import os
import sys

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
