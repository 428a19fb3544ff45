"""The ``negotiation app`` command: the interactive explorer as a web page on this computer.

``negotiation app [--port N] [--no-browser] [--max-kernels N] [--no-token]`` serves the notebook
``negotiation/report/app/explorer.ipynb`` (a title, a short help text and the
:class:`~negotiation.report.explorer.Explorer` widget; code cells hidden) with Voilà on
``http://127.0.0.1:N/``, prints the address with its token and opens it in the default browser.
Stop it with Ctrl-C.  Voilà and ipywidgets come with the extra ``negotiation[app]``; without them
the command exits with status 1 and a one-line message.

Offline and quick
-----------------
The page needs no network: its template (``negotiation/report/app/index.html.j2``) is Voilà's
lab template without the links to Font Awesome on a CDN (Voilà's own bundle, served by this
server, carries those styles), and the notebook is signed in memory when the server starts, so it
is trusted (it ships without outputs; trust only lets stored outputs show).  Before it listens,
the server starts a *spare* kernel and sends it the building of the page's explorer
(:func:`negotiation.report.app.prepare`, about the work of the first page: imports, a first
solution, a first figure).  The first page takes that kernel at once: the browser loads Voilà's
scripts while the kernel is still building, and the page's cells, which the kernel runs after the
build, show the prepared explorer.  A new spare is started :data:`REFILL_SECONDS` after a
page took one, when fewer than ``--max-kernels`` kernels run; a page that finds no spare starts
its own kernel, as before.

Safety
------
Each page of the explorer runs in its own Python kernel (about 250 MB).  The server is this module,
run as ``python -P -m negotiation.cli.app`` (Voilà with a guard and a kernel limit; ``-P`` keeps
the current directory off the module path, and no Voilà or Jupyter configuration file is read, so
nothing in the directory the app starts from runs), and:

* **A token is required.**  ``negotiation app`` draws a random token (48 hex digits), hands it to
  the server in the environment (never on a command line, where other users could read it; the
  kernels do not inherit it) and prints ``http://127.0.0.1:N/?token=…``; the browser is opened
  through a private temporary page for the same reason.  A request without the token gets the
  login page and no kernel.  ``--no-token`` turns this off, with a warning: then any program or
  web page that can reach the port can use the app.
* **Only the app's own address is served.**  A request whose ``Host`` is not ``127.0.0.1:N`` or
  ``localhost:N`` (DNS rebinding), or whose ``Origin`` is not ``http://127.0.0.1:N`` or
  ``http://localhost:N`` (another web site), is refused with status 403 before any handler runs,
  the kernel websockets included (:func:`refusal`); jupyter_server's own checks
  (``allow_remote_access=False``, ``allow_origin``) stand behind that.
* **Kernels are bounded.**  The limits:

  =============================  =====  ==============================================================
  limit                          value  meaning
  =============================  =====  ==============================================================
  :data:`MAX_KERNELS`            4      kernels alive at once, the spare one included (``--max-kernels
                                        N``, at most :data:`MAX_KERNELS_LIMIT`); a page asked for beyond
                                        it gets a short page "Too many open pages" (status 503) and no
                                        kernel
  :data:`RECLAIM_SECONDS`        30     at the limit, the kernel of a page that no browser holds, idle
                                        this long, is shut down to make room (:func:`reclaimable_kernel`)
  :data:`IDLE_SECONDS`           600    a kernel idle this long with no browser connected is shut down
                                        (not the spare kernel, which waits for the next page)
  :data:`CULL_INTERVAL_SECONDS`  60     how often such kernels are looked for
  =============================  =====  ==============================================================

  A page open in a browser keeps its kernel however long it is idle.  Closing or reloading a page
  shuts its kernel down: Voilà's page sends that request when it is left, with the ``_xsrf``
  cookie the server gives it.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import webbrowser
from datetime import datetime, timedelta, timezone
from pathlib import Path

__all__ = ["add_parser", "run", "serve", "notebook_path", "voila_arguments", "missing_requirements", "app_url",
           "refusal", "reclaimable_kernel", "DEFAULT_PORT", "MAX_KERNELS", "IDLE_SECONDS", "RECLAIM_SECONDS",
           "CULL_INTERVAL_SECONDS"]

#: Port used when ``--port`` is not given (Voilà's own default).
DEFAULT_PORT = 8866
#: Kernels (open pages) alive at once; ``--max-kernels`` changes it.
MAX_KERNELS = 4
#: Largest value ``--max-kernels`` accepts (each kernel holds about 250 MB).
MAX_KERNELS_LIMIT = 64
#: A kernel idle this many seconds with no browser connected is shut down.
IDLE_SECONDS = 600
#: How often, in seconds, idle kernels are looked for.
CULL_INTERVAL_SECONDS = 60
#: At the kernel limit, a kernel with no browser connected and idle this many seconds makes room.
RECLAIM_SECONDS = 30
#: Seconds ``negotiation app`` waits for the server to listen before it prints the address anyway.
SERVER_START_SECONDS = 60
#: Environment variable that carries the token to the server (jupyter_server reads it).
TOKEN_VARIABLE = "JUPYTER_TOKEN"
#: Modules the app needs, with the package that provides each.
REQUIREMENTS = {"voila": "voila", "ipywidgets": "ipywidgets", "ipykernel": "ipykernel"}
#: The hosts the server answers to (it listens on 127.0.0.1 only).
OWN_HOSTS = ("127.0.0.1", "localhost")
#: Seconds a spare kernel may take to start and run :data:`WARM_UP_CODE` before it is given up.
WARM_UP_SECONDS = 120
#: Seconds the server waits for the first spare kernel to warm up before it listens anyway (less
#: than :data:`SERVER_START_SECONDS`, which ``negotiation app`` waits for it to listen).
SPARE_WAIT_SECONDS = 40
#: Seconds after a page got its kernel before the next spare kernel is started (not at once: on two
#: cores the spare's warm-up would slow down the page's own first computation).
REFILL_SECONDS = 10
#: What a spare kernel runs before a page gets it: the page's explorer, built ahead
#: (:func:`negotiation.report.app.prepare`; the notebook shows it with ``page_explorer()``).
WARM_UP_CODE = "from negotiation.report.app import prepare as _prepare\n_prepare()\ndel _prepare\n"
#: The page shown when the kernel limit is reached (status 503; Voilà's error page with the message).
LIMIT_PAGE = '{% extends "error.html" %}{% block error_detail %}<p>{{ message }}</p>{% endblock %}'


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


def app_url(port: int, token: str | None) -> str:
    """The address of the explorer, with its token when it has one.

    Examples
    --------
    >>> app_url(9000, "abc")
    'http://127.0.0.1:9000/?token=abc'
    >>> app_url(9000, None)
    'http://127.0.0.1:9000/'
    """
    return f"http://127.0.0.1:{port}/" + (f"?token={token}" if token else "")


def voila_arguments(port: int = DEFAULT_PORT, *, max_kernels: int = MAX_KERNELS, token: bool = True) -> list[str]:
    """The command line of the server: this Python running :func:`serve` on the explorer notebook.

    The server listens on 127.0.0.1 only.  ``-P`` keeps the current directory off the module path:
    a ``voila.py`` there must not be imported.  With ``token=True`` the server requires the token found in the environment variable
    :data:`TOKEN_VARIABLE` (``negotiation app`` puts it there).  The server never opens a browser:
    ``negotiation app`` does, with the token.

    Examples
    --------
    >>> voila_arguments(9000, max_kernels=2)[5:10]  # doctest: +NORMALIZE_WHITESPACE
    ['--port=9000', '--Voila.port_retries=0', '--Voila.ip=127.0.0.1', '--no-browser', '--Voila.auto_token=True']
    >>> '--NegotiationKernelManager.max_kernels=2' in voila_arguments(9000, max_kernels=2)
    True
    """
    return [sys.executable, "-P", "-m", "negotiation.cli.app", str(notebook_path()), f"--port={port}",
            "--Voila.port_retries=0", "--Voila.ip=127.0.0.1", "--no-browser", f"--Voila.auto_token={bool(token)}",
            "--theme=light", "--VoilaConfiguration.show_tracebacks=False",
            "--VoilaConfiguration.allow_template_override=NO", "--VoilaConfiguration.allow_theme_override=NO",
            f"--MappingKernelManager.cull_idle_timeout={IDLE_SECONDS}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
            "--MappingKernelManager.cull_connected=False", "--MappingKernelManager.cull_busy=False",
            f"--NegotiationKernelManager.max_kernels={max_kernels}",
            f"--NegotiationKernelManager.reclaim_seconds={RECLAIM_SECONDS}"]


def refusal(headers, port: int) -> str | None:
    """Why a request is not the app's own (its ``Host`` or ``Origin`` is foreign), or ``None``.

    ``headers`` is a mapping with ``get`` (tornado's ``HTTPHeaders``, a dict).  A request without
    ``Origin`` (a typed address, a script) is the app's own when its ``Host`` is.

    Examples
    --------
    >>> refusal({"Host": "127.0.0.1:9000"}, 9000) is None
    True
    >>> refusal({"Host": "localhost:9000", "Origin": "http://localhost:9000"}, 9000) is None
    True
    >>> refusal({"Host": "attacker.example:9000"}, 9000)
    "the Host header 'attacker.example:9000' is not this app's (127.0.0.1:9000 or localhost:9000)"
    >>> refusal({"Host": "127.0.0.1:9000", "Origin": "https://attacker.example"}, 9000)
    "the Origin header 'https://attacker.example' is not this app's (http://127.0.0.1:9000 or http://localhost:9000)"
    """
    hosts = [f"{name}:{port}" for name in OWN_HOSTS] + (list(OWN_HOSTS) if port == 80 else [])
    host = (headers.get("Host") or "").strip()
    if host.lower() not in hosts:
        return f"the Host header {host!r} is not this app's ({' or '.join(hosts[:2])})"
    origin = headers.get("Origin", headers.get("Sec-WebSocket-Origin"))
    origins = [f"http://{name}" for name in hosts]
    if origin is not None and origin.strip().lower() not in origins:
        return f"the Origin header {origin!r} is not this app's ({' or '.join(origins[:2])})"
    return None


def reclaimable_kernel(kernels, now: datetime, idle_seconds: float) -> str | None:
    """The kernel to shut down to make room: no browser connected, not busy, idle longest.

    ``kernels`` holds ``(kernel_id, last_activity, execution_state, connections)``; only a kernel
    idle at least ``idle_seconds`` qualifies (a page just served has that long to connect).

    Examples
    --------
    >>> now = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)
    >>> ago = lambda seconds: now - timedelta(seconds=seconds)
    >>> kernels = [("open", ago(900), "idle", 1), ("old", ago(90), "idle", 0),
    ...            ("older", ago(95), "idle", 0), ("fresh", ago(5), "idle", 0), ("busy", ago(99), "busy", 0)]
    >>> reclaimable_kernel(kernels, now, 30)
    'older'
    >>> reclaimable_kernel(kernels[:1] + kernels[3:], now, 30) is None
    True
    """
    limit = now - timedelta(seconds=idle_seconds)
    candidates = [(last, kernel_id) for kernel_id, last, state, connections in kernels
                  if not connections and state not in ("busy", "starting") and last is not None and last <= limit]
    return min(candidates)[1] if candidates else None


def _limit_message(max_kernels: int) -> str:
    """What the page says when the kernel limit is reached.

    Examples
    --------
    >>> _limit_message(1)[:58]
    'The explorer already runs 1 kernel, one per open page, the'
    """
    return (f"The explorer already runs {max_kernels} kernel{'s' if max_kernels != 1 else ''}, one per open page, "
            f"the most it runs at once (negotiation app --max-kernels N). Close a page of the explorer, or wait a "
            f"minute, and reload this page.")


async def _run_warm_up(kernel, sent=None) -> None:
    """Run :data:`WARM_UP_CODE` in ``kernel`` (a started kernel's manager); raise if it fails.

    ``sent()`` is called once the request is on its way: a kernel runs requests in order, so a page's
    cells sent after that run after the warm-up and find the explorer it built.
    """
    client = kernel.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=WARM_UP_SECONDS)
        request = client.execute(WARM_UP_CODE, silent=True, store_history=False)
        if sent is not None:
            sent()
        while True:
            reply = await client.get_shell_msg(timeout=WARM_UP_SECONDS)
            if reply["parent_header"].get("msg_id") == request:
                break
    finally:
        client.stop_channels()
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")


def _settle(future, value_or_task) -> None:
    """Resolve ``future`` with a kernel id, or with a finished task's result (None if it failed), once."""
    if future.done():
        return
    if isinstance(value_or_task, asyncio.Future):
        value_or_task = None if value_or_task.cancelled() or value_or_task.exception() else value_or_task.result()
    future.set_result(value_or_task)


async def _warm_spare(manager, kernel_id: str, handover) -> str | None:
    """Warm up ``manager``'s new spare kernel; its id, or None if the warm-up failed (spares then stop).

    The spare is handed over (``handover`` resolved) once its warm-up is sent, not once it is done:
    the page's HTML, and so the browser's loading of Voilà's scripts, then overlaps the warm-up, and
    the page's cells, queued behind it in the kernel, find the prepared explorer.
    """
    try:
        await asyncio.wait_for(manager._warm_up(kernel_id, lambda: _settle(handover, kernel_id)), WARM_UP_SECONDS)
    except Exception as error:  # noqa: BLE001 - pages start kernels of their own, as without spares
        manager.log.warning("No spare kernels: the warm-up failed (%s)", " ".join(str(error).split()))
        manager._spares = False
        if kernel_id not in manager._handed:  # a page that took it runs its own cells in it
            await manager.shutdown_kernel(kernel_id)
        return None
    if kernel_id not in manager._handed:
        manager._spare_id = kernel_id
    return kernel_id


def _spare_kernel_class(base):
    """``base`` (jupyter_server's kernel manager) that keeps one warm kernel for the next page.

    The subclass decides when there is room (``_alive()`` against ``max_kernels``) and hands the
    spare to a page with ``_take_spare()`` and ``_after_page()``.
    """
    from traitlets import Bool, Float

    class SpareKernelManager(base):
        spare_kernel = Bool(True, config=True,
                            help="Keep one kernel started and warmed up for the next page (it counts against "
                                 "max_kernels).")
        refill_seconds = Float(REFILL_SECONDS, config=True,
                               help="Seconds after a page took a kernel before the next spare is started.")

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._starting = set()  # kernels being started: counted against the limit before they are listed
            self._spare = None  # the task that starts and warms the spare kernel; its result is the kernel's id
            # the spare's id as soon as its warm-up is sent (None if it failed): a page may take it from then on
            self._handover = None
            self._handed = set()  # spares a page took while they were still warming up
            self._spare_id = None  # the spare kernel once it is warm (the idle culler leaves it alone)
            self._spares = False  # refill after each page: on once prepare_spare has run

        async def prepare_spare(self, seconds: float = SPARE_WAIT_SECONDS):
            """Start the first spare kernel; wait until it is warm, at most ``seconds`` (it warms on after)."""
            self._spares = bool(self.spare_kernel)
            self._refill()
            if self._handover is not None:
                try:
                    await asyncio.wait_for(asyncio.shield(self._handover), seconds)
                except TimeoutError:
                    self.log.warning("The first kernel is still warming up after %s s; serving now", seconds)

        def _after_page(self):
            if self._spares:  # not at once: the next spare would compete with this page's first computation
                asyncio.get_running_loop().call_later(self.refill_seconds, self._refill)

        def _refill(self):
            if self._spares and self._spare is None and self._alive() < self.max_kernels:
                handover = self._handover = asyncio.get_running_loop().create_future()
                self._spare = asyncio.ensure_future(self._start_spare(handover))
                self._spare.add_done_callback(lambda task: _settle(handover, task))

        async def _start_spare(self, handover):
            kernel_id = str(uuid.uuid4())
            self._starting.add(kernel_id)
            try:
                await super().start_kernel(kernel_id=kernel_id, kernel_name=self.default_kernel_name,
                                           path=str(notebook_path().parent))
            except Exception as error:  # noqa: BLE001 - without a spare, pages start their own kernels
                self.log.warning("No spare kernel: it did not start (%s)", error)
                return None
            finally:
                self._starting.discard(kernel_id)
            return await _warm_spare(self, kernel_id, handover)

        async def _warm_up(self, kernel_id, sent=None):
            await _run_warm_up(self.get_kernel(kernel_id), sent)

        async def _take_spare(self):
            """The spare kernel (once its warm-up is sent, which runs before the page's cells), or None."""
            handover, self._spare, self._handover = self._handover, None, None
            if handover is None:
                return None
            try:
                kernel_id = await handover
            except Exception:  # noqa: BLE001 - logged by _start_spare; the page starts its own
                kernel_id = None
            self._spare_id = None
            if kernel_id is not None:
                self._handed.add(kernel_id)
            if kernel_id is None or kernel_id not in self:
                return None
            self.get_kernel(kernel_id).last_activity = datetime.now(timezone.utc)  # a page's kernel from now on
            return kernel_id

        async def cull_kernel_if_idle(self, kernel_id):
            if kernel_id != self._spare_id:  # the spare is idle with no browser by design
                await super().cull_kernel_if_idle(kernel_id)

    return SpareKernelManager


def _kernel_manager_class(base):
    """``base`` (jupyter_server's kernel manager) with a hard limit on kernels alive at once, a spare included."""
    from tornado.web import HTTPError
    from traitlets import Float, Integer, TraitError

    class NegotiationKernelManager(_spare_kernel_class(base)):
        max_kernels = Integer(MAX_KERNELS, config=True, help="Kernels alive at once; more pages are refused.")
        reclaim_seconds = Float(RECLAIM_SECONDS, config=True,
                                help="At the limit, shut down a kernel idle this long with no browser connected.")

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._reclaiming = set()

        def _alive(self) -> int:
            return len(set(self.list_kernel_ids()) | self._starting)

        async def start_kernel(self, *args, kernel_id=None, **kwargs):
            if kernel_id is not None and kernel_id in self:
                return await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
            kernel_id = await self._take_spare()
            if kernel_id is None:
                await self._make_room()
                kernel_id = str(uuid.uuid4())  # named here, so that it is counted from now on: no await since
                self._starting.add(kernel_id)  # the count
                try:
                    await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
                finally:
                    self._starting.discard(kernel_id)
            self._after_page()
            return kernel_id

        async def _make_room(self):
            while self._alive() >= self.max_kernels:
                victim = reclaimable_kernel(self._activity(), datetime.now(timezone.utc), self.reclaim_seconds)
                if victim is None:
                    raise HTTPError(503, _limit_message(self.max_kernels), reason="Too many open pages")
                self.log.warning("Shutting down kernel %s (no page connected) to make room", victim)
                self._reclaiming.add(victim)
                try:
                    await self.shutdown_kernel(victim)
                except (HTTPError, KeyError):  # gone meanwhile (the idle culler): count again
                    pass
                finally:
                    self._reclaiming.discard(victim)

        def _activity(self):
            rows = []
            for kernel_id in set(self.list_kernel_ids()) - self._starting - self._reclaiming - {self._spare_id}:
                try:
                    model = self.kernel_model(kernel_id)
                    kernel = self.get_kernel(kernel_id)
                    rows.append((kernel_id, kernel.last_activity, model["execution_state"], model["connections"]))
                except (TraitError, AttributeError, KeyError):  # not fully started yet: not reclaimable
                    continue
            return rows

    return NegotiationKernelManager


def _set_xsrf_cookie(handler, notebook=None, cwd=None):
    """Voilà's hook before a page's kernel starts: give the page the ``_xsrf`` cookie.

    The page sends it back when it is closed or reloaded, with the request that shuts its kernel
    down; without the cookie that request is refused and the kernel would linger.
    """
    handler.xsrf_token  # reading the token sets the cookie
    return None


def _trust(contents_manager, path: str | None) -> None:
    """Sign the served notebook, so that Voilà renders it without the warning "not trusted".

    Trust in Jupyter means "show this notebook's stored HTML and JavaScript outputs"; the explorer
    notebook is the package's own file and ships without outputs, so signing it changes no output.
    """
    if path:
        import nbformat

        contents_manager.notary.sign(nbformat.read(path, as_version=4))


def _server_class():
    """Voilà with the kernel limit, the Host/Origin guard and no configuration files."""
    from functools import partial

    from jinja2 import ChoiceLoader, DictLoader
    from jupyter_server.log import log_request
    from tornado.ioloop import IOLoop
    from tornado.web import RequestHandler
    from traitlets import default
    from voila.app import Voila

    class Refused(RequestHandler):
        def initialize(self, reason):
            self.reason = reason

        def prepare(self):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.set_header("X-Content-Type-Options", "nosniff")  # the reason quotes a header: never HTML
            self.finish(f"Refused: {self.reason}.\n")

    class NegotiationVoila(Voila):
        @default("config_file_paths")
        def _no_configuration_files(self):
            return []  # a voila.py in the current directory would run code and could undo the guard

        def setup_template_dirs(self):
            super().setup_template_dirs()
            # the explorer's own page template (index.html.j2 beside the notebook) comes first: it is
            # Voilà's lab template without the links to a CDN
            self.template_paths.insert(0, str(notebook_path().parent))

        def init_settings(self):
            # Trust the notebook this server serves (the package's own file) and nothing else: an
            # in-memory signature store with a key of this process, so no file is written.
            self.config.NotebookNotary.db_file = ":memory:"
            self.config.NotebookNotary.secret = secrets.token_bytes(32)
            base = self.voila_configuration.multi_kernel_manager_class
            self.voila_configuration.prelaunch_hook = _set_xsrf_cookie
            self.voila_configuration.multi_kernel_manager_class = _kernel_manager_class(base)
            settings = super().init_settings()
            pages = settings["voila_jinja2_env"]
            pages.loader = ChoiceLoader([DictLoader({"503.html": LIMIT_PAGE}), pages.loader])
            _trust(self.contents_manager, self.notebook_path)
            if getattr(self, "identity_provider", None) is not None:
                self.identity_provider.token  # read the token now: the kernels must not inherit it
            os.environ.pop(TOKEN_VARIABLE, None)
            return settings

        def listen(self):
            port, app, log = self.port, self.app, self.log
            app.settings.update(allow_remote_access=False, local_hostnames=["localhost"],
                                allow_origin=f"http://127.0.0.1:{port}",
                                log_function=partial(log_request, record_prometheus_metrics=False))  # no token in logs
            find_handler = app.find_handler

            def guarded(request, **kwargs):
                reason = refusal(request.headers, port)
                if reason is None:
                    return find_handler(request, **kwargs)
                log.warning("Refused %s %s: %s", request.method, request.path, reason)
                return app.get_handler_delegate(request, Refused, {"reason": reason})

            app.find_handler = guarded
            # Listen (and so let `negotiation app` print the address) once a warm kernel waits for the first
            # page: the page then shows the explorer about as soon as the browser has loaded Voilà's scripts.
            IOLoop.current().run_sync(self.kernel_manager.prepare_spare)
            super().listen()

    return NegotiationVoila


#: Modules the server process does without: jsonschema imports ``rfc3987_syntax`` (when installed, as
#: ``jsonschema[format-nongpl]`` for jupyter_events installs it) only to check the "iri" format of
#: jupyter_server's own event records, and building its grammar at import took 1.2 s of the server's
#: 1.6 s start. Without it that one format goes unchecked; nothing a user sends is validated by it.
SERVER_SKIPS_MODULES = ("rfc3987_syntax",)


def serve(argv=None) -> int:
    """Run the server in this process (what ``negotiation app`` starts); ``argv`` as :func:`voila_arguments`."""
    for module in SERVER_SKIPS_MODULES:
        sys.modules.setdefault(module, None)  # a None entry makes `import module` raise ImportError
    _server_class().launch_instance(argv)
    return 0


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (expected an integer 1-65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (expected 1-65535)")
    return port


def _kernel_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of kernels (expected an integer "
                                         f"1-{MAX_KERNELS_LIMIT})") from None
    if not 1 <= count <= MAX_KERNELS_LIMIT:
        raise argparse.ArgumentTypeError(f"{count} kernels: expected 1-{MAX_KERNELS_LIMIT} (each holds about 250 MB)")
    return count


def add_parser(subparsers):
    """Add the ``app`` sub-command to an argparse ``subparsers`` object; returns its parser."""
    app = subparsers.add_parser(
        "app", help="the interactive explorer in the browser (needs negotiation[app])",
        description="Serve the interactive explorer (choose a model, move sliders, read the equilibria) as a web "
                    "page on http://127.0.0.1:PORT/ using Voilà, and print its address with a random token. "
                    "Stop it with Ctrl-C.")
    app.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="N",
                     help=f"port on 127.0.0.1 (default: {DEFAULT_PORT})")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    app.add_argument("--max-kernels", type=_kernel_count, default=MAX_KERNELS, metavar="N",
                     help=f"pages open at once, each a Python kernel of about 250 MB (default: {MAX_KERNELS})")
    app.add_argument("--no-token", action="store_true",
                     help="serve without a token: any program or web page that can reach the port may use the app")
    app.set_defaults(handler=run)
    return app


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds it
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _wait_until_listening(process: subprocess.Popen, port: int, seconds: float) -> bool:
    """True once the server accepts connections; False if it exited or did not listen in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _open_browser(url: str, directory: str) -> None:
    """Open ``url`` through a private page, so that the token is not on the browser's command line."""
    page = Path(directory) / "negotiation-explorer.html"
    link = html.escape(url, quote=True)
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url='
                    f'{link}"><title>Negotiation explorer</title></head><body><p><a href="{link}">Open the negotiation '
                    f'explorer</a></p></body></html>\n', encoding="utf-8")
    threading.Thread(target=webbrowser.open, args=(page.as_uri(),), daemon=True).start()


def run(args) -> int:
    """Run ``negotiation app``; returns the exit status (the server's, 1 if it cannot start)."""
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
    if _port_in_use(args.port):
        print(f"negotiation: error: --port {args.port}: 127.0.0.1:{args.port} is in use (choose another port with "
              f"--port N)", file=sys.stderr)
        return 1
    token = None if args.no_token else secrets.token_hex(24)
    environment = {key: value for key, value in os.environ.items() if key != TOKEN_VARIABLE}
    if token is None:
        print(f"negotiation: warning: --no-token: any program or web page that can reach 127.0.0.1:{args.port} "
              f"can use the app", file=sys.stderr)
    else:
        environment[TOKEN_VARIABLE] = token
    process = subprocess.Popen(voila_arguments(args.port, max_kernels=args.max_kernels, token=token is not None),
                               env=environment)
    previous = _forward_termination(process)
    with tempfile.TemporaryDirectory(prefix="negotiation-app-") as directory:
        try:
            return _serve_until_stopped(process, args, token, directory)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _serve_until_stopped(process: subprocess.Popen, args, token: str | None, directory: str) -> int:
    try:
        if _wait_until_listening(process, args.port, SERVER_START_SECONDS) or process.poll() is None:
            url = app_url(args.port, token)
            print(f"Serving the negotiation explorer on {url} (Ctrl-C to stop)", flush=True)
            if not args.no_browser:
                _open_browser(url, directory)
        return process.wait()
    except KeyboardInterrupt:  # Ctrl-C reaches Voilà too; give it a moment to shut down its kernels
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.terminate()
            return process.wait()


def _forward_termination(process):
    """Pass SIGTERM on to Voilà (which then shuts down its kernels); returns the previous handler."""
    def forward(signum, frame):
        process.send_signal(signum)

    try:
        return signal.signal(signal.SIGTERM, forward)
    except ValueError:  # not the main thread: leave signals alone
        return None


if __name__ == "__main__":  # the server process: python -m negotiation.cli.app NOTEBOOK [Voilà options]
    sys.exit(serve(sys.argv[1:]))
