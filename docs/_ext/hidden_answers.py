"""Read a seminar notebook for the site with its exercise answers folded, as Jupyter opens them.

``notebooks/_build.py`` marks an answer cell with ``{"jupyter": {"source_hidden": true}}``, which
Jupyter honours and myst-nb does not; myst-nb folds a cell tagged ``hide-input`` behind a "show"
toggle. This reader (``nb_custom_formats`` in ``conf.py``) adds that tag to the hidden cells, in
memory only: the notebook files are not changed.
"""

from __future__ import annotations

import nbformat


def read(text: str) -> nbformat.NotebookNode:
    """The notebook in ``text`` (nbformat 4), every cell with a hidden source tagged ``hide-input``."""
    notebook = nbformat.reads(text, as_version=4)
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
            tags = cell.metadata.setdefault("tags", [])
            if "hide-input" not in tags:
                tags.append("hide-input")
    return notebook
