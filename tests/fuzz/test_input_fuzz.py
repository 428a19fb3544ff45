"""Fuzz the loader, the expression parser and the format readers (issue 16, item 3).

Each target of :mod:`input_fuzz` (generated formulas, scenario files, edited bundled models, Gambit
``.nfg``/``.efg`` files, JSON games) runs as a hypothesis search in its own Python process, in a fresh
folder, under an address-space limit. The process checks every example (a result or a one-line
:class:`~negotiation.core.errors.NegotiationError`, at most 2 s of CPU, no ``CANARY`` file from code in
the input) and this test checks the process: it finished, and its peak resident memory stayed below
1 GiB. ``NEGOTIATION_FUZZ_EXAMPLES`` sets the examples per target (60 here; a longer search is one
environment variable away).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DRIVER = Path(__file__).with_name("input_fuzz.py")
TARGETS = ["expressions", "scenarios", "models", "nfg", "efg", "json"]
ONE_GIB = 2**30


@pytest.mark.parametrize("target", TARGETS)
def test_generated_input_gets_a_result_or_one_line_within_budget(tmp_path, target):
    environment = {**os.environ, "NEGOTIATION_FUZZ_EXAMPLES": os.environ.get("NEGOTIATION_FUZZ_EXAMPLES", "60")}
    environment.pop("NEGOTIATION_FUZZ_VERBOSE", None)
    process = subprocess.run([sys.executable, str(DRIVER), target], cwd=tmp_path, env=environment,
                             capture_output=True, text=True, timeout=900)
    assert process.returncode == 0, f"{target}: the search failed\n{process.stdout}\n{process.stderr}"
    report = json.loads(process.stdout.strip().splitlines()[-1])
    assert report["examples"] >= int(environment["NEGOTIATION_FUZZ_EXAMPLES"])
    assert report["accepted"] > 0          # some inputs got past the readers to the later stages
    assert report["peak_bytes"] < ONE_GIB, f"{target}: peak memory {report['peak_bytes'] / 2**20:.0f} MiB"
    assert not [p for p in tmp_path.iterdir() if p.name.upper().startswith("CANARY")]
