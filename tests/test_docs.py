"""The documentation site (``docs/``) builds with warnings as errors, and its examples run.

One build of each kind, shared by the tests below: ``sphinx-build -W --keep-going -b html`` into a
temporary folder, then ``-b doctest`` on the same doctrees (the how-to guides' ``testcode`` blocks
run and their printed output is compared). A failed build fails with Sphinx's own output.
The checks on the built pages compare them with independent lists: the facade's ``__all__``, the
notebooks in ``notebooks/`` and the how-to guides in ``docs/howto/``.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import negotiation

for module in ("sphinx", "myst_nb", "numpydoc", "furo"):
    pytest.importorskip(module, reason="the docs extra: pip install -e '.[docs]'")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TIMEOUT = 600


def _sphinx(builder: str, out: Path, doctrees: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", builder, "-d", str(doctrees),
               str(DOCS), str(out)]
    environment = {**os.environ, "MPLBACKEND": "Agg"}
    process = subprocess.run(command, check=False, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, env=environment)
    if process.returncode != 0:
        pytest.fail(f"sphinx-build -b {builder} failed (exit {process.returncode}):\n{process.stdout}\n{process.stderr}",
                    pytrace=False)
    return process


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The HTML site, built with warnings as errors."""
    root = tmp_path_factory.mktemp("docs")
    _sphinx("html", root / "html", root / "doctrees")
    return root


@pytest.mark.slow
def test_the_site_builds_with_warnings_as_errors(site):
    assert (site / "html" / "index.html").is_file()
    for section in ("tutorials", "howto", "reference", "explanation"):
        assert (site / "html" / section / "index.html").is_file(), section


@pytest.mark.slow
def test_the_examples_of_the_guides_run_and_print_what_the_pages_show(site):
    process = _sphinx("doctest", site / "doctest", site / "doctrees")
    report = (site / "doctest" / "output.txt").read_text(encoding="utf-8")
    tests = re.search(r"^\s*(\d+) tests$", report, re.MULTILINE)
    assert tests and int(tests.group(1)) > 0, report
    assert re.search(r"^\s*0 failures in tests$", report, re.MULTILINE), f"{report}\n{process.stdout}"
    # every how-to guide has examples that ran (a guide whose code blocks are not tests would pass unseen)
    tested = set(re.findall(r"^Document: (\S+)$", report, re.MULTILINE))
    guides = {f"howto/{path.stem}" for path in (DOCS / "howto").glob("*.md") if path.stem != "index"}
    assert len(guides) >= 6
    assert guides - tested == set(), "how-to guides without a tested example"


@pytest.mark.slow
def test_the_reference_documents_every_public_name_of_the_facade(site):
    pages = "".join(path.read_text(encoding="utf-8") for path in (site / "html" / "reference").glob("*.html"))
    documented = set(re.findall(r'id="negotiation\.(\w+)"', pages))
    public = set(negotiation.__all__) - {"__version__"}
    assert public - documented == set(), "public names of negotiation missing from docs/reference"


@pytest.mark.slow
def test_the_tutorials_are_the_notebooks_of_the_repository(site):
    notebooks = sorted(path.stem for path in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert len(notebooks) == 11  # issue 13: 11-robustness
    for name in notebooks:
        page = site / "html" / "tutorials" / "notebooks" / f"{name}.html"
        assert page.is_file(), name
        # rendered from the notebook itself: its first heading is the page's title
        cells = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        heading = "".join(cells[0]["source"]).splitlines()[0].removeprefix("# ").strip()
        text = page.read_text(encoding="utf-8")
        assert f"<title>{html.escape(heading, quote=False)} - " in text, name
        # the exercises' answers are folded, as Jupyter opens them
        hidden = sum(bool(cell.get("metadata", {}).get("jupyter", {}).get("source_hidden")) for cell in cells)
        assert hidden > 0 and text.count("tag_hide-input") == hidden, name
    # they are linked, not copied: docs/ holds no notebook of its own
    assert not [path for path in DOCS.rglob("*.ipynb") if not path.is_relative_to(DOCS / "tutorials" / "notebooks")]
    assert (DOCS / "tutorials" / "notebooks").resolve() == (ROOT / "notebooks").resolve()
