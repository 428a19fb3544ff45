"""Helpers for the tests that run sweeps in other processes (locking, Ctrl-C, full disks)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLI = Path(__file__).with_name("slow_cli.py")
#: The sweep of these tests: 12 chunks of 100 points.
ARGUMENTS = ["sweep", "security_dilemma", "--grid", "omega=0:1:40", "--grid", "phi=0:1:30", "--chunk-size", "100"]


def environment() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def command(*arguments) -> list:
    """``negotiation ARGUMENTS...`` in a fresh interpreter."""
    return [sys.executable, "-m", "negotiation", *arguments]


def slow_command(pause, *arguments) -> list:
    """The same, pausing ``pause`` seconds after each committed chunk (``until:PATH``: until PATH exists)."""
    return [sys.executable, str(SLOW_CLI), str(pause), *arguments]


def run(arguments, **options) -> subprocess.CompletedProcess:
    return subprocess.run(arguments, env=environment(), capture_output=True, text=True, timeout=120, **options)


def committed(out: Path) -> dict:
    """The progress record of ``out`` (``{}`` while there is none)."""
    try:
        return json.loads(out.with_name(out.name + ".progress").read_text())
    except (FileNotFoundError, ValueError):
        return {}


def wait_for_chunks(out: Path, process: subprocess.Popen, count: int, timeout: float = 60) -> None:
    """Wait until ``count`` chunks of ``out`` are committed (the process must still be running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if committed(out).get("chunks_done", 0) >= count:
            return
        if process.poll() is not None:
            raise AssertionError(f"the sweep ended early: {process.communicate()}")
        time.sleep(0.02)
    raise AssertionError(f"no {count} chunks committed in {timeout} s")
