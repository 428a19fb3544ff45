"""Build the seminar notebooks (``notebooks/NN-name.ipynb``) from their sources in ``notebooks/src/``.

Each source is a plain Python file, readable and reviewable as text, split into
cells by marker lines:

``# %%``
    a code cell;
``# %% [markdown]``
    a Markdown cell: every following line starts with ``#`` (``# `` is
    stripped, a lone ``#`` is an empty line);
``# %% [answer]``
    a code cell holding the answer to an exercise: its source is collapsed
    when the notebook opens (metadata ``{"jupyter": {"source_hidden": true}}``),
    so students see the question first.

Because the Markdown lives in comments, ``python notebooks/src/01-getting-started.py``
runs a notebook's code top to bottom without Jupyter.

The notebooks are written without outputs or execution counts (outputs are
never committed). Usage::

    python notebooks/_build.py           # (re)write every notebooks/*.ipynb
    python notebooks/_build.py --check   # exit 1 if a notebook differs from its source

Examples
--------
>>> cells = split_cells("# %% [markdown]\\n# # Title\\n#\\n# Text\\n# %%\\nx = 1\\n")
>>> [(kind, text) for kind, text in cells]
[('markdown', '# Title\\n\\nText'), ('code', 'x = 1')]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
MARKERS = {"# %%": "code", "# %% [markdown]": "markdown", "# %% [answer]": "answer"}
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


class BuildError(ValueError):
    """A notebook source that cannot be split into cells."""


def split_cells(text: str, *, source: str = "<text>") -> list[tuple[str, str]]:
    """Split a source into ``(kind, text)`` cells; ``kind`` is ``code``, ``markdown`` or ``answer``."""
    cells: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        marker = line.rstrip()
        if marker in MARKERS:
            cells.append((MARKERS[marker], []))
            continue
        if marker.startswith("# %%"):
            raise BuildError(f"{source}:{number}: unknown cell marker {marker!r} "
                             f"(expected one of {', '.join(MARKERS)})")
        if not cells:
            if line.strip():
                raise BuildError(f"{source}:{number}: text before the first cell marker")
            continue
        kind, lines = cells[-1]
        if kind == "markdown":
            if line.strip() and not line.startswith("#"):
                raise BuildError(f"{source}:{number}: Markdown lines must start with '#'")
            line = line[2:] if line.startswith("# ") else line[1:]
        lines.append(line)
    result = []
    for kind, lines in cells:
        body = "\n".join(lines).strip("\n")
        if body:
            result.append((kind, body))
    return result


def build_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook (no outputs) of one source file."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    for index, (kind, text) in enumerate(split_cells(path.read_text(encoding="utf-8"), source=str(path))):
        cell_id = f"{path.stem[:2]}-{index:03d}"
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(text, id=cell_id)
        else:
            cell = nbformat.v4.new_code_cell(text, id=cell_id)
            if kind == "answer":
                cell.metadata["jupyter"] = {"source_hidden": True}
                cell.metadata["tags"] = ["answer"]
        notebook.cells.append(cell)
    nbformat.validate(notebook)
    return notebook


def target_of(source: Path) -> Path:
    return HERE / f"{source.stem}.ipynb"


def render(notebook) -> str:
    return nbformat.writes(notebook) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build notebooks/*.ipynb from notebooks/src/*.py")
    parser.add_argument("--check", action="store_true", help="only check that the notebooks are up to date")
    options = parser.parse_args(argv)
    stale = []
    for source in sorted(SOURCES.glob("[0-9][0-9]-*.py")):
        text = render(build_notebook(source))
        target = target_of(source)
        if options.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target.name)
        else:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(HERE.parent)}")
    if stale:
        print(f"out of date (run python notebooks/_build.py): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
