"""The ``negotiation app`` command: the interactive explorer as a web page on this computer.

``negotiation app [--port N] [--no-browser]`` serves the notebook
``negotiation/report/app/explorer.ipynb`` (a title, a short help text and the
:class:`~negotiation.report.explorer.Explorer` widget; code cells hidden) with
Voilà on ``http://127.0.0.1:N/`` and opens it in the default browser.  Stop it
with Ctrl-C.  Voilà and ipywidgets come with the extra ``negotiation[app]``;
without them the command exits with status 1 and a one-line message.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from pathlib import Path

__all__ = ["add_parser", "run", "notebook_path", "voila_arguments", "missing_requirements",
           "DEFAULT_PORT"]

#: Port used when ``--port`` is not given (Voilà's own default).
DEFAULT_PORT = 8866
#: Modules the app needs, with the package that provides each.
REQUIREMENTS = {"voila": "voila", "ipywidgets": "ipywidgets", "ipykernel": "ipykernel"}


def notebook_path() -> Path:
    """The explorer notebook shipped inside the package.

    Examples
    --------
    >>> notebook_path().name
    'explorer.ipynb'
    """
    return Path(__file__).resolve().parents[1] / "report" / "app" / "explorer.ipynb"


def missing_requirements() -> list[str]:
    """Packages the app needs that are not installed (empty when all are there)."""
    return [package for module, package in REQUIREMENTS.items() if importlib.util.find_spec(module) is None]


def voila_arguments(port: int = DEFAULT_PORT, *, open_browser: bool = True, ip: str = "127.0.0.1") -> list[str]:
    """The command line that serves the explorer with Voilà (this Python, this notebook).

    Examples
    --------
    >>> voila_arguments(9000, open_browser=False)[4:]  # doctest: +NORMALIZE_WHITESPACE
    ['--port=9000', '--Voila.port_retries=0', '--Voila.ip=127.0.0.1', '--no-browser', '--theme=light',
     '--VoilaConfiguration.show_tracebacks=False']
    """
    arguments = [sys.executable, "-m", "voila", str(notebook_path()), f"--port={port}", "--Voila.port_retries=0",
                 f"--Voila.ip={ip}"]
    if not open_browser:
        arguments.append("--no-browser")
    arguments += ["--theme=light", "--VoilaConfiguration.show_tracebacks=False"]
    return arguments


def _port(text: str) -> int:
    import argparse

    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (expected an integer 1-65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (expected 1-65535)")
    return port


def add_parser(subparsers):
    """Add the ``app`` sub-command to an argparse ``subparsers`` object; returns its parser."""
    app = subparsers.add_parser(
        "app", help="the interactive explorer in the browser (needs negotiation[app])",
        description="Serve the interactive explorer (choose a model, move sliders, read the equilibria) as a web "
                    "page on http://127.0.0.1:PORT/ using Voilà. Stop it with Ctrl-C.")
    app.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="N",
                     help=f"port on 127.0.0.1 (default: {DEFAULT_PORT})")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    app.set_defaults(handler=run)
    return app


def run(args) -> int:
    """Run ``negotiation app``; returns the exit status (Voilà's, 1 if it is not installed)."""
    missing = missing_requirements()
    if missing:
        print(f"negotiation: error: the browser app needs {', '.join(missing)}, which "
              f"{'is' if len(missing) == 1 else 'are'} not installed: pip install 'negotiation[app]'",
              file=sys.stderr)
        return 1
    notebook = notebook_path()
    if not notebook.is_file():
        print(f"negotiation: error: {notebook}: the explorer notebook is missing from this installation",
              file=sys.stderr)
        return 1
    print(f"Serving the negotiation explorer on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", flush=True)
    process = subprocess.Popen(voila_arguments(args.port, open_browser=not args.no_browser))
    previous = _forward_termination(process)
    try:
        return process.wait()
    except KeyboardInterrupt:  # Ctrl-C reaches Voilà too; give it a moment to shut down its kernels
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.terminate()
            return process.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _forward_termination(process):
    """Pass SIGTERM on to Voilà (which then shuts down its kernels); returns the previous handler."""
    def forward(signum, frame):
        process.send_signal(signum)

    try:
        return signal.signal(signal.SIGTERM, forward)
    except ValueError:  # not the main thread: leave signals alone
        return None
