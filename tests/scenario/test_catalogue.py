"""The bundled models' table of contents, read from the files' heads, against the fully loaded models."""

from __future__ import annotations

import subprocess
import sys

import pytest

from negotiation.scenario import bundled_models, load
from negotiation.scenario.catalogue import catalogue

ENTRIES = catalogue()


def test_every_bundled_file_is_listed_once_in_name_order():
    assert [entry.name for entry in ENTRIES] == sorted(bundled_models())
    assert len(ENTRIES) >= 13


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.name)
def test_entry_equals_the_loaded_model(entry):
    """What ``negotiation models`` lists from the head is what loading the whole file gives."""
    scenario = load(entry.path)
    assert (entry.id, entry.title, entry.kind) == (scenario.id, scenario.title, scenario.kind)
    assert list(entry.parameters) == list(scenario.parameters.names)


def _modules_after(code: str) -> set:
    """Top-level packages imported by ``code`` run in a fresh interpreter."""
    run = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] "
                          "for m in sys.modules})))"], capture_output=True, text=True, timeout=120, check=True)
    return set(run.stdout.split())


def test_listing_the_models_builds_no_model():
    """``negotiation models`` reads the heads only: neither sympy nor numpy is imported (a structural check of
    the instant command line; its time is measured in benchmarks/, not here)."""
    imported = _modules_after("from negotiation.cli import main\nmain(['models', '--format', 'json'])")
    assert not imported & {"sympy", "numpy", "scipy", "pandas", "matplotlib"}


def test_the_layer_loads_its_kinds_on_first_use():
    imported = _modules_after("import negotiation.scenario")
    assert "sympy" not in imported
    imported = _modules_after("from negotiation.scenario import load\nload('security_dilemma')")
    assert "sympy" in imported
