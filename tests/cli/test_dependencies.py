"""What the package requires: nothing it never imports (issue 15, point 8: nashpy moved to the extras)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _imported_top_level_names() -> set[str]:
    """Every top-level module name imported anywhere in the package (read from the source, not by importing)."""
    names = set()
    for path in (ROOT / "negotiation").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_nashpy_is_an_extra_of_the_tests_and_benchmarks_not_a_requirement():
    assert "nashpy" not in _imported_top_level_names()
    assert not any(requirement.startswith("nashpy") for requirement in PROJECT["dependencies"])
    extras = PROJECT["optional-dependencies"]
    assert any(requirement.startswith("nashpy") for requirement in extras["test"])  # the tests' second solver
    assert any(requirement.startswith("nashpy") for requirement in extras["bench"])  # the benchmarks' rival


#: Distributions whose import name is not their name on PyPI.
IMPORT_NAMES = {"python-flint": "flint"}


def test_every_required_dependency_is_imported_by_the_package():
    imported = _imported_top_level_names()
    for requirement in PROJECT["dependencies"]:
        name = requirement.split(">")[0].split("=")[0].split("[")[0].strip()
        assert IMPORT_NAMES.get(name, name) in imported, f"{name} is required but the package never imports it"
