"""What `pip install .` ships: every package of the source tree, the bundled scenarios, one version."""

from __future__ import annotations

import tomllib
from pathlib import Path

from negotiation.core.version import __version__

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_of_the_source_tree_is_installed():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(path.parent.relative_to(ROOT).parts) for path in (ROOT / "negotiation").rglob("__init__.py")
             if "__pycache__" not in path.parts}
    assert found - listed == set(), "packages missing from [tool.setuptools] packages in pyproject.toml"
    assert "negotiation.scenario.bundled" in listed  # the scenario files, from models/


def test_one_version():
    assert PYPROJECT["project"]["version"] == __version__


def test_the_test_extra_brings_the_architecture_checker():
    assert any(requirement.startswith("import-linter") for requirement in PYPROJECT["project"]["optional-dependencies"]["test"])


def test_every_data_file_the_bundled_models_need_is_shipped():
    """A non-editable install (`pip install .`, the README's main job) ships only the package data listed:
    the scenario files, their README, the bibliography and the recorded robustness figures (without the
    last, the main job's index said "no recorded figure" for every claim)."""
    import fnmatch

    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["negotiation.scenario.bundled"]
    needed = [p.name for p in (ROOT / "models").iterdir() if p.is_file() and not p.name.startswith(".")]
    missing = [name for name in needed if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)]
    assert missing == [], f"files in models/ not shipped with the package: {missing}"
