"""The house rules of ARCHITECTURE.md, checked: layers with imports only downward, no package-internal
imports hidden inside functions, modules of a readable size."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "negotiation"
#: Where importing the package's own modules lazily is the point (ARCHITECTURE.md).
LAZY_PLACES = {"negotiation/__init__.py", "negotiation/cli/__init__.py", "negotiation/scenario/__init__.py",
               "negotiation/scenario/loader.py", "negotiation/core/dispatch.py", "negotiation/models/game.py"}
#: The one door from models and results to figures: core.drawing.plot imports the report layer by name.
PLOT_DOOR = "negotiation/core/drawing.py"
MAX_MODULE_LINES = 800


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _internal_imports_in_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            internal = (isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("negotiation"))) \
                or (isinstance(node, ast.Import) and any(a.name.startswith("negotiation") for a in node.names))
            if internal:
                found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    return found


def _imports_by_name(path: Path) -> list[str]:
    """Calls of importlib.import_module (or __import__) with a string naming a package module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name.endswith("import_module") or name == "__import__":
                found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    return found


def test_import_linter_contracts_hold():
    """The layers contract and the rendering contract of pyproject.toml (import-linter)."""
    linter = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(linter).exists():
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    run = subprocess.run([linter, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_no_package_imports_inside_functions():
    hidden = [where for path in _modules() if path.relative_to(ROOT).as_posix() not in LAZY_PLACES
              for where in _internal_imports_in_functions(path)]
    assert hidden == [], f"{len(hidden)} package-internal imports inside functions: {hidden[:20]}"


def test_modules_are_imported_by_name_only_in_the_lazy_places():
    by_name = [where for path in _modules()
               if path.relative_to(ROOT).as_posix() not in LAZY_PLACES | {PLOT_DOOR}
               for where in _imports_by_name(path)]
    assert by_name == [], f"modules imported by name outside the facade, the registry and Result.plot: {by_name}"


def test_modules_stay_readable():
    big = [f"{p.relative_to(ROOT).as_posix()} ({n} lines)" for p in _modules()
           if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_MODULE_LINES]
    assert big == [], f"modules over {MAX_MODULE_LINES} lines: {big}"


MAX_FUNCTION_LINES = 80


def _code_lines(function) -> int:
    """Lines of a function without its docstring (numpydoc examples are documentation, not code)."""
    lines = function.end_lineno - function.lineno + 1
    first = function.body[0] if function.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        lines -= first.end_lineno - first.lineno + 1
    return lines


def test_functions_stay_readable():
    long = [f"{p.relative_to(ROOT).as_posix()}:{node.lineno} {node.name} ({_code_lines(node)} lines)"
            for p in _modules() for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _code_lines(node) > MAX_FUNCTION_LINES]
    assert long == [], f"functions over {MAX_FUNCTION_LINES} lines of code: {long}"


def test_no_module_imports_another_modules_private_names():
    private = [f"{p.relative_to(ROOT).as_posix()}:{node.lineno} {node.module}.{alias.name}"
               for p in _modules() for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
               if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("negotiation")
               for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert private == [], f"imports of another module's private names: {private}"
