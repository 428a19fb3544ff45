"""The seminar notebooks: each one runs top to bottom, and the committed files are stripped and up to date.

Every notebook checks the numbers its text states with ``assert`` lines (hand derivations and
closed forms written next to them), so executing it without an error output is the check of
those numbers. The notebooks run in a fresh Jupyter kernel of the current interpreter, with
``cwd = notebooks/``, ``MPLBACKEND=Agg`` and figures written to a temporary folder.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "01-getting-started", "02-security-dilemma", "03-trust-and-signals", "04-shadow-of-the-future",
    "05-nato-enlargement", "06-infrastructure-vs-enlargement", "07-buffer-zones", "08-cfe2-logrolling",
    "09-verification", "10-crisis-bargaining",
]
TIMEOUT = 300


def _build_module():
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOKS / "_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kernel_name(tmp_root: Path) -> str:
    """``python3``, made to run this interpreter (the venv's).

    jupyter_client starts a spec whose command is plain ``python`` with ``sys.executable``.
    If no ``python3`` spec exists, or it names another interpreter, a spec for this one is
    installed into a temporary folder that is put first on ``JUPYTER_PATH``.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        command = KernelSpecManager().get_kernel_spec("python3").argv[0]
    except NoSuchKernel:
        command = None
    if command not in ("python", "python3", sys.executable):
        from ipykernel.kernelspec import install

        install(prefix=str(tmp_root), kernel_name="python3")
        share = tmp_root / "share" / "jupyter"
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(share), os.environ.get("JUPYTER_PATH")]))
    return "python3"


def test_every_notebook_is_there():
    assert [path.stem for path in NOTEBOOK_FILES] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_committed_notebook_is_stripped(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a code cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebook_has_the_parts_of_a_seminar_class(path):
    notebook = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "Learning goal" in markdown
    assert "## Exercises" in markdown
    assert markdown.count("<details><summary>Answer</summary>") >= 2
    hidden = [c for c in notebook.cells if c.cell_type == "code" and c.metadata.get("jupyter", {}).get("source_hidden")]
    assert hidden, f"{path.name}: no collapsed answer cell"
    assert "save_figure(" in code and "NEGOTIATION_FIGURES" in code
    assert code.count("assert ") >= 3


def test_notebooks_match_their_sources():
    build = _build_module()
    for source in sorted(build.SOURCES.glob("[0-9][0-9]-*.py")):
        expected = build.render(build.build_notebook(source))
        target = build.target_of(source)
        assert target.read_text(encoding="utf-8") == expected, f"{target.name} is stale: run notebooks/_build.py"


def test_build_splits_cells():
    build = _build_module()
    cells = build.split_cells("# %% [markdown]\n# # Title\n#\n# Text\n# %%\nx = 1\n# %% [answer]\ny = 2\n")
    assert cells == [("markdown", "# Title\n\nText"), ("code", "x = 1"), ("answer", "y = 2")]
    with pytest.raises(build.BuildError, match="unknown cell marker"):
        build.split_cells("# %% [raw]\nx\n")


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebook_executes_without_errors(path, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("NEGOTIATION_FIGURES", str(tmp_path / "figures"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    kernel = _kernel_name(tmp_path / "kernel")
    notebook = nbformat.read(path, as_version=4)
    before = set(NOTEBOOKS.rglob("*"))
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name=kernel, allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    errors = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
              if output.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0].ename}: {errors[0].evalue}"
    figures = list((tmp_path / "figures").glob("*.png"))
    assert figures, f"{path.name}: no figure saved"
    written = sorted(str(p.relative_to(ROOT)) for p in set(NOTEBOOKS.rglob("*")) - before)
    assert not written, f"{path.name} wrote into the repository: {written}"
