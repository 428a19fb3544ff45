"""Sphinx configuration of the documentation site (``docs/``).

Build it from the repository root::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The tutorials are the seminar notebooks in ``notebooks/`` (``docs/tutorials/notebooks`` is a link to
that folder, so they are rendered from where they live, as stored: they are not executed here, the
test suite executes them). The API reference is generated from the docstrings (numpydoc).
"""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Document this checkout's package, whichever copy the interpreter would import otherwise; _ext holds
# the directive that documents a layer package module by module.
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent / "_ext")]

import negotiation  # after the path is set

project = "negotiation"
author = "The negotiation developers"
copyright = "The negotiation developers (MIT licence)"
release = version = negotiation.__version__

extensions = [
    "myst_nb",  # Markdown pages (MyST) and the notebooks
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx.ext.doctest",
    "layer_reference",
]

root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "tutorials/notebooks/src", "tutorials/notebooks/_build.py"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}

# --- notebooks: rendered as stored (outputs are stripped in git; tests/notebooks executes them)
nb_execution_mode = "off"
# the exercises' answers stay folded, as in Jupyter (the cells' "source_hidden" becomes myst-nb's hide-input)
nb_custom_formats = {".ipynb": ["hidden_answers.read", {}, False]}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# --- API reference
autosummary_generate = False  # the reference pages list their entries; nothing is written into the source tree
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc sections give the types; signatures stay readable
autodoc_default_options = {"undoc-members": False}  # members are listed by each directive
numpydoc_show_class_members = False  # members are documented by autodoc below each class
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
nitpicky = False
# numpydoc reads docstrings inherited from sympy (``Shared.eval``) with sections it does not know; it keeps
# their text and says so on stderr as a Python warning, which is noise here.
warnings.filterwarnings("ignore", message="Unknown section", category=UserWarning, module="numpydoc")

# --- doctest builder: only the how-to guides' explicit testcode/doctest blocks run here; the docstrings'
# examples are run by pytest --doctest-modules already.
doctest_test_doctest_blocks = ""
doctest_global_setup = f"""
import pathlib
import negotiation as ng

HOWTO = pathlib.Path({str(Path(__file__).resolve().parent / "howto")!r})  # the how-to guides' files
"""

# --- HTML
html_theme = "furo"
html_title = f"negotiation {release}"
html_static_path = []
html_show_sourcelink = False


# --- docstrings as reStructuredText: two habits of plain-text docstrings that docutils reads otherwise,
# mended here for the site rather than in every module
_ROLE_THEN_LETTER = re.compile(r"(:[a-z:]+:`[^`]+`)(?=[A-Za-z])")  # :class:`Error`s -> :class:`Error`\ s
_UNDERLINE = re.compile(r"^-{3,}$")


def _mend_docstring(app, what, name, obj, options, lines):
    """Inflections glued to a role (``:class:`X`s``) are escaped; in a module's docstring, numpydoc-style
    section headings become rubrics (several modules share a page, and a ``Modules`` section's two-column
    listing is shown as written)."""
    lines[:] = [_ROLE_THEN_LETTER.sub(r"\1\\ ", line) for line in lines]
    if what != "module":
        return
    mended, index = [], 0
    while index < len(lines):
        line = lines[index]
        heading = index + 1 < len(lines) and line.strip() and _UNDERLINE.match(lines[index + 1].strip()) \
            and len(lines[index + 1].strip()) == len(line.strip())
        if not heading:
            mended.append(line)
            index += 1
            continue
        mended += [f".. rubric:: {line.strip()}", ""]
        index += 2
        if line.strip() == "Modules":  # a listing in two columns: keep it as it reads
            mended += ["::", ""]
            while index < len(lines) and lines[index].strip():
                mended.append("    " + lines[index])
                index += 1
    lines[:] = mended


def setup(app):
    app.connect("autodoc-process-docstring", _mend_docstring, priority=400)  # before numpydoc's
