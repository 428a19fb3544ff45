"""``negotiation app`` without a browser: arguments, the missing-extra error, and the shipped notebook."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pytest

from negotiation.cli import app

ROOT = Path(__file__).resolve().parents[2]


def _parser():
    parser = argparse.ArgumentParser(prog="negotiation")
    add = parser.add_subparsers(dest="command")
    app.add_parser(add)
    return parser


def test_parser_and_voila_arguments():
    args = _parser().parse_args(["app", "--port", "9123", "--no-browser"])
    assert (args.port, args.no_browser, args.handler) == (9123, True, app.run)
    assert _parser().parse_args(["app"]).port == app.DEFAULT_PORT
    with pytest.raises(SystemExit) as exit_info:
        _parser().parse_args(["app", "--port", "0"])
    assert exit_info.value.code == 2
    arguments = app.voila_arguments(9123)
    assert arguments[:5] == [sys.executable, "-P", "-m", "negotiation.cli.app", str(app.notebook_path())]
    assert "--port=9123" in arguments and "--Voila.ip=127.0.0.1" in arguments
    # the server never opens a browser itself: `negotiation app` does, with the token
    assert "--no-browser" in arguments


def test_missing_voila_is_one_line_naming_the_extra(monkeypatch, capsys):
    monkeypatch.setattr(app, "missing_requirements", lambda: ["voila"])
    status = app.run(argparse.Namespace(port=9123, no_browser=True))
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1 and "voila" in err and "pip install 'negotiation[app]'" in err


def test_shipped_notebook_builds_the_explorer():
    path = app.notebook_path()
    assert path.is_file() and path.parent.name == "app"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4 and notebook["metadata"]["title"] == "Negotiation explorer"
    markdown = "".join(notebook["cells"][0]["source"])
    assert markdown.startswith("# Negotiation explorer") and "slider" in markdown
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(code) == 1 and not code[0]["outputs"]
    assert "explorer()" in "".join(code[0]["source"])


@pytest.mark.slow
def test_notebook_executes(monkeypatch):
    """The notebook runs in a real kernel and displays the widget (what Voilà does before serving it)."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    pytest.importorskip("ipywidgets")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(app.notebook_path(), as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=60, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    outputs = notebook.cells[-1].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), outputs


def test_the_page_shows_the_explorer_prepared_by_the_spare_kernel_once(monkeypatch):
    """``prepare()`` (run by the server's spare kernel) builds the explorer the page's ``page_explorer()`` shows."""
    from negotiation.report import app as page

    built = []
    monkeypatch.setattr(page, "Explorer", lambda: built.append(object()) or built[-1])
    monkeypatch.setattr(page, "_prepared", [])
    assert page.page_explorer() is built[0] and len(built) == 1      # nothing prepared: a new one
    page.prepare()
    assert len(built) == 2
    assert page.page_explorer() is built[1] and len(built) == 2      # the prepared one, not a third
    assert page.page_explorer() is built[2]                          # shown once: the next page builds its own
    assert app.WARM_UP_CODE.startswith("from negotiation.report.app import prepare")
