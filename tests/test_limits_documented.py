"""LIMITS.md lists every work limit with its value: each value there is the constant's value in the code."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

LIMITS = Path(__file__).resolve().parents[1] / "LIMITS.md"
#: A table row: | what | value | `module.CONSTANT` | to raise |
ROW = re.compile(r"^\|[^|]+\|\s*([0-9][0-9,.]*)\s*\|\s*`(negotiation(?:\.\w+)+)\.([A-Z_]+)`\s*\|", re.M)


def rows():
    return ROW.findall(LIMITS.read_text(encoding="utf-8"))


def test_the_tables_list_the_limits():
    assert len(rows()) >= 40


@pytest.mark.parametrize("value, module, name", rows(), ids=lambda item: item if isinstance(item, str) else "")
def test_each_documented_value_is_the_constant(value, module, name):
    constant = getattr(importlib.import_module(module), name)
    assert float(value.replace(",", "")) == constant


def test_every_max_constant_of_a_guarded_step_is_documented():
    """A new MAX_… constant in a module that guards user input is added to LIMITS.md too."""
    documented = {(module, name) for _, module, name in rows()}
    root = Path(__file__).resolve().parents[1] / "negotiation"
    found = set()
    for path in root.rglob("*.py"):
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for name in re.findall(r"^(MAX_[A-Z_]+)\s*=", path.read_text(encoding="utf-8"), re.M):
            found.add((module, name))
    # display caps (how many rows a table shows) and internal thresholds (how a step is done: which games
    # go to the batch solver, when a default label is a path, when the vertex check is skipped) do not
    # decide whether an input is accepted
    shown = {(m, n) for m, n in found if "SHOWN" in n or n in ("MAX_LISTED_NAMES", "MAX_KERNELS_LIMIT",
                                                                 "MAX_EXPONENT_DENOMINATOR", "MAX_KEY_DEPTH",
                                                                 "MAX_PATH_LABEL_DEPTH", "MAX_STRATEGIES",
                                                                 "MAX_VERTEX_PARAMETERS", "MAX_OUTCOMES",
                                                                 "MAX_WIDTH")}
    assert sorted(found - shown - documented) == []
