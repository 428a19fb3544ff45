"""Shared by the tests and the doctests: figures drawn through pyplot are closed after each test.

A doctest that draws (``result.plot()``, ``draw_sweep``) leaves its figure open in pyplot's registry;
over the whole suite they add up (matplotlib warns past 20 and keeps their memory).
"""

import sys

import pytest


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")  # only if a test imported it: no import for the others
    if pyplot is not None:
        pyplot.close("all")
