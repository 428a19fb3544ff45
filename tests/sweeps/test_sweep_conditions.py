"""Formulas with `or` / `and` in a swept scenario (a payoff's Piecewise condition, an assumption): the vectorised
sweep evaluated `logical_or.reduce((array, scalar))`, which numpy refuses as inhomogeneous, and the sweep
stopped with "setting an array element with a sequence" (found by issue 13's new scenarios). Checked against
solving every point on its own."""

from __future__ import annotations

from fractions import Fraction as F

import negotiation as ng
from negotiation.sweeps import sweep

SCENARIO = """
schema = "negotiation.scenario/1"
id = "conditions"
title = "a payoff and an assumption with or"
kind = "normal-form"

[players]
A = ["x", "y"]
B = ["x", "y"]

[parameters.p]
default = 1
range = [0, 10]

[parameters.q]
default = 1
range = [0, 10]

[payoffs]
"x, x" = ["p", "0"]
"x, y" = ["0", "1"]
"y, x" = ["1", "0"]
"y, y" = ["0", "Piecewise((p, Or(p > 2, q > 5)), (-1, True))"]

[[assumptions]]
expr = "p >= 0 or q >= 3"
description = "a condition of two parameters, one swept and one fixed"
"""


def test_a_sweep_over_or_conditions_equals_solving_each_point(tmp_path):
    path = tmp_path / "conditions.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    scenario = ng.load(str(path))
    frame = sweep(scenario, grid={"p": (0, 10, 6)}).table()
    for p in (F(0), F(2), F(4), F(6), F(8), F(10)):
        expected = len(ng.solve(scenario, values={"p": p}))
        assert (frame["p"] == float(p)).sum() == expected, p
