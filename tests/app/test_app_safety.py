"""A safe ``negotiation app``: bounded kernels, only its own Host and Origin, a token (issue 16, item 4).

The live test starts ``negotiation app`` on a free port, as the browser test does, and drives it with
plain HTTP requests (no browser): 20 page requests at once with the token, a foreign ``Host`` (DNS
rebinding) and a foreign ``Origin`` on the page and on a kernel websocket, and a request without the
token.  It is skipped only when Voilà is not installed.  The other tests need no server.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from negotiation.cli import app

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60
PAGE_SECONDS = 90
REQUESTS = 20
KERNEL_LIMIT = 2  # --max-kernels for the live test: two kernels start in parallel on two cores
#: Peak memory of the whole process tree allowed in the live test: `negotiation app`, Voilà and at most
#: KERNEL_LIMIT kernels of about 250 MB (measured: about 0.7 GB; before the limit, 20 requests left 20
#: kernels and 5.2 GB).
MEMORY_BUDGET = 300 * 2**20 + KERNEL_LIMIT * 450 * 2**20


def _require_voila():
    if importlib.util.find_spec("voila") is None:
        pytest.skip("voila is not installed (pip install 'negotiation[app]'): the app cannot run")


# ---------------------------------------------------------------- the pieces, without a server

@pytest.mark.parametrize("headers, refused", [
    ({"Host": "127.0.0.1:9000"}, None),
    ({"Host": "LOCALHOST:9000", "Origin": "http://127.0.0.1:9000"}, None),
    ({"Host": "localhost:9000", "Sec-WebSocket-Origin": "http://localhost:9000"}, None),
    ({"Host": "attacker.example:9000"}, "Host"),             # DNS rebinding: the name is the attacker's
    ({"Host": "127.0.0.1.attacker.example:9000"}, "Host"),
    ({"Host": "127.0.0.1:9001"}, "Host"),                    # another port
    ({"Host": "127.0.0.1"}, "Host"),
    ({}, "Host"),
    ({"Host": "127.0.0.1:9000", "Origin": "http://attacker.example"}, "Origin"),
    ({"Host": "127.0.0.1:9000", "Origin": "http://127.0.0.1:9001"}, "Origin"),
    ({"Host": "127.0.0.1:9000", "Origin": "https://127.0.0.1:9000"}, "Origin"),
    ({"Host": "127.0.0.1:9000", "Origin": "null"}, "Origin"),  # a sandboxed frame or a file
    ({"Host": "127.0.0.1:9000", "Sec-WebSocket-Origin": "http://attacker.example"}, "Origin"),
])
def test_refusal_names_the_foreign_header(headers, refused):
    reason = app.refusal(headers, 9000)
    if refused is None:
        assert reason is None
    else:
        assert reason.startswith(f"the {refused} header ") and "\n" not in reason and "9000" in reason


def test_reclaimable_kernel_is_the_longest_idle_page_that_no_browser_holds():
    now = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)

    def ago(seconds):
        return now - timedelta(seconds=seconds)

    kernels = [("connected", ago(3600), "idle", 1), ("busy", ago(3600), "busy", 0),
               ("starting", ago(3600), "starting", 0), ("just-served", ago(5), "idle", 0),
               ("unknown", None, "idle", 0), ("left", ago(60), "idle", 0), ("left-earlier", ago(120), "idle", 0)]
    assert app.reclaimable_kernel(kernels, now, app.RECLAIM_SECONDS) == "left-earlier"
    assert app.reclaimable_kernel(kernels[:5], now, app.RECLAIM_SECONDS) is None
    assert app.reclaimable_kernel(kernels, now, 3600) is None
    assert app.reclaimable_kernel([], now, 0) is None


def _kernels_class():
    """A stand-in for jupyter_server's kernel manager: kernels that start after a moment, no processes."""
    from traitlets.config import LoggingConfigurable

    class Kernels(LoggingConfigurable):
        default_kernel_name = "python3"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.kernels, self.shut_down, self.culled = {}, [], []

        def __contains__(self, kernel_id):
            return kernel_id in self.kernels

        def list_kernel_ids(self):
            return list(self.kernels)

        def get_kernel(self, kernel_id):
            return self.kernels[kernel_id]

        def kernel_model(self, kernel_id):
            kernel = self.kernels[kernel_id]
            return {"execution_state": kernel.state, "connections": kernel.connections}

        async def start_kernel(self, kernel_id=None, **kwargs):
            await asyncio.sleep(0.05)  # a kernel takes a while to start: other pages arrive meanwhile
            self.kernels[kernel_id] = SimpleNamespace(last_activity=datetime.now(timezone.utc), state="idle",
                                                      connections=0)
            return kernel_id

        async def shutdown_kernel(self, kernel_id):
            await asyncio.sleep(0.01)
            del self.kernels[kernel_id]
            self.shut_down.append(kernel_id)

        async def cull_kernel_if_idle(self, kernel_id):
            self.culled.append(kernel_id)

    return Kernels


def test_kernel_limit_counts_kernels_being_started_and_reclaims_abandoned_pages():
    """The limit on a stand-in for jupyter_server's kernel manager: concurrent starts, reclaiming, the 503."""
    _require_voila()
    from tornado.web import HTTPError

    manager = app._kernel_manager_class(_kernels_class())(max_kernels=2, reclaim_seconds=60)

    async def pages(count):
        return await asyncio.gather(*(manager.start_kernel(kernel_name="python3") for _ in range(count)),
                                    return_exceptions=True)

    started = asyncio.run(pages(5))
    refused = [result for result in started if isinstance(result, HTTPError)]
    assert len(manager.kernels) == 2 and len(refused) == 3
    assert refused[0].status_code == 503 and "--max-kernels N" in refused[0].log_message
    # a page left without closing (no browser connected, idle for two minutes) makes room; an open one does not
    left, open_page = manager.kernels.values()
    left.last_activity -= timedelta(minutes=2)
    open_page.last_activity -= timedelta(minutes=2)
    open_page.connections = 1
    left_id = next(key for key, kernel in manager.kernels.items() if kernel is left)
    assert asyncio.run(pages(2))[1].status_code == 503
    assert manager.shut_down == [left_id] and len(manager.kernels) == 2


def test_a_warm_spare_kernel_serves_the_next_page_within_the_limit():
    """The spare kernel: warmed before the first page, handed to it, refilled only below the limit, never culled."""
    _require_voila()
    from tornado.web import HTTPError

    manager = app._kernel_manager_class(_kernels_class())(max_kernels=2, reclaim_seconds=60, refill_seconds=0)
    warmed = []

    async def warm_up(kernel_id, sent=None):
        warmed.append(kernel_id)

    manager._warm_up = warm_up

    async def scenario():
        await manager.prepare_spare()
        assert list(manager.kernels) == warmed and len(warmed) == 1          # warm before any page
        await manager.cull_kernel_if_idle(warmed[0])
        assert manager.culled == []                                          # the idle spare stays
        first = await manager.start_kernel(kernel_name="python3")
        assert first == warmed[0]                                            # the first page gets it
        await asyncio.sleep(0.2)                                             # refill: a second spare
        assert len(warmed) == 2 and set(manager.kernels) == set(warmed)
        await manager.cull_kernel_if_idle(first)
        assert manager.culled == [first]                                     # a page's kernel is culled as before
        second = await manager.start_kernel(kernel_name="python3")
        await asyncio.sleep(0.2)
        assert second == warmed[1] and len(manager.kernels) == 2 and len(warmed) == 2  # at the limit: no third
        with pytest.raises(HTTPError) as refused:                            # two fresh pages: nothing to reclaim
            await manager.start_kernel(kernel_name="python3")
        assert refused.value.status_code == 503

    asyncio.run(scenario())


def test_a_spare_that_fails_to_warm_up_is_shut_down_and_pages_start_their_own():
    _require_voila()
    manager = app._kernel_manager_class(_kernels_class())(max_kernels=2, reclaim_seconds=60, refill_seconds=0)

    async def warm_up(kernel_id, sent=None):
        raise RuntimeError("ModuleNotFoundError: No module named 'negotiation'")

    manager._warm_up = warm_up

    async def scenario():
        await manager.prepare_spare()
        assert manager.kernels == {} and len(manager.shut_down) == 1
        page = await manager.start_kernel(kernel_name="python3")
        await asyncio.sleep(0.2)                                             # no second attempt
        assert list(manager.kernels) == [page] and len(manager.shut_down) == 1

    asyncio.run(scenario())


def test_server_arguments_set_the_limits_and_the_token():
    arguments = app.voila_arguments(9123, max_kernels=3)
    # -P: the current directory is not on the server's module path (a voila.py there is not imported)
    assert arguments[:5] == [sys.executable, "-P", "-m", "negotiation.cli.app", str(app.notebook_path())]
    for expected in ("--port=9123", "--Voila.ip=127.0.0.1", "--no-browser", "--Voila.auto_token=True",
                     "--NegotiationKernelManager.max_kernels=3",
                     f"--NegotiationKernelManager.reclaim_seconds={app.RECLAIM_SECONDS}",
                     f"--MappingKernelManager.cull_idle_timeout={app.IDLE_SECONDS}",
                     f"--MappingKernelManager.cull_interval={app.CULL_INTERVAL_SECONDS}",
                     "--MappingKernelManager.cull_connected=False"):
        assert expected in arguments
    assert "--Voila.auto_token=False" in app.voila_arguments(9123, token=False)
    assert not any("token=" in a.lower() and "auto_token" not in a for a in arguments)  # never on a command line


class _FakeServer:
    """Stands in for the server process: records how it was started, exits when told to."""

    def __init__(self, arguments, env=None):
        self.arguments, self.env, self.pid = arguments, env, 0
        _FakeServer.last = self
        self.stop = threading.Event()

    def poll(self):
        return None

    def wait(self, timeout=None):
        if "--no-browser" not in _FakeServer.argv:
            self.stop.wait(10)  # until the browser has been sent to the app
        return 0

    def send_signal(self, signum):
        self.stop.set()


def _run(monkeypatch, capsys, *argv):
    parser = argparse.ArgumentParser(prog="negotiation")
    app.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["app", "--port", "9123", *argv])
    _FakeServer.argv = argv
    opened = []

    def open_page(uri):
        opened.append((uri, Path(uri.removeprefix("file://")).read_text(encoding="utf-8")))
        _FakeServer.last.stop.set()

    monkeypatch.setattr(app, "missing_requirements", lambda: [])
    monkeypatch.setattr(app, "_port_in_use", lambda port: False)
    monkeypatch.setattr(app, "_wait_until_listening", lambda process, port, seconds: True)
    monkeypatch.setattr(app.subprocess, "Popen", _FakeServer)
    monkeypatch.setattr(app.webbrowser, "open", open_page)
    monkeypatch.setenv(app.TOKEN_VARIABLE, "inherited-token")
    status = app.run(args)
    out, err = capsys.readouterr()
    return status, out, err, _FakeServer.last, opened


def test_app_prints_its_url_with_a_fresh_token_and_opens_it_privately(monkeypatch, capsys):
    status, out, err, server, opened = _run(monkeypatch, capsys)
    match = re.fullmatch(r"Serving the negotiation explorer on (http://127\.0\.0\.1:9123/\?token=([0-9a-f]{48})) "
                         r"\(Ctrl-C to stop\)\n", out)
    assert status == 0 and err == "" and match
    url, token = match.groups()
    assert server.env[app.TOKEN_VARIABLE] == token != "inherited-token"
    assert token not in " ".join(server.arguments) and "--Voila.auto_token=True" in server.arguments
    # the browser gets a private page that forwards to the URL, not the token on its command line
    (uri, page), = opened
    assert uri.startswith("file://") and token not in uri and url in page
    assert not Path(uri.removeprefix("file://")).exists()  # removed when the app stops
    assert _run(monkeypatch, capsys)[1] != out  # a new token each time


def test_no_token_warns_and_serves_without_one(monkeypatch, capsys):
    status, out, err, server, opened = _run(monkeypatch, capsys, "--no-token", "--no-browser")
    assert status == 0 and opened == []
    assert out == "Serving the negotiation explorer on http://127.0.0.1:9123/ (Ctrl-C to stop)\n"
    assert err.count("\n") == 1 and err.startswith("negotiation: warning: --no-token: ")
    assert app.TOKEN_VARIABLE not in server.env and "--Voila.auto_token=False" in server.arguments


@pytest.mark.parametrize("argv, message", [
    (["--max-kernels", "0"], "0 kernels: expected 1-64"),
    (["--max-kernels", "65"], "65 kernels: expected 1-64"),
    (["--max-kernels", "two"], "'two' is not a number of kernels"),
])
def test_bad_kernel_limit_is_a_usage_error(argv, message, capsys):
    parser = argparse.ArgumentParser(prog="negotiation")
    app.add_parser(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["app", *argv])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


def test_port_in_use_is_one_line(monkeypatch, capsys):
    monkeypatch.setattr(app, "missing_requirements", lambda: [])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = app.run(argparse.Namespace(port=port, no_browser=True, no_token=False, max_kernels=2))
    err = capsys.readouterr().err
    assert status == 1 and err == (f"negotiation: error: --port {port}: 127.0.0.1:{port} is in use "
                                   f"(choose another port with --port N)\n")


# ---------------------------------------------------------------- the live server

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _printed_url(log_path: Path, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        match = re.search(r"Serving the negotiation explorer on (http://\S+)", text)
        if match:
            return match.group(1)
        if server.poll() is not None:
            raise AssertionError("the server exited: " + text)
        time.sleep(0.25)
    raise AssertionError(f"no address printed within {START_SECONDS} s: " + log_path.read_text(errors="replace"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, headers=None, timeout: float = PAGE_SECONDS):
    """(status, headers, body) of a GET that follows no redirect."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def _websocket_status(port: int, path: str, host: str, origin: str) -> int:
    """Status of a websocket handshake (101 when the kernel's channels would open)."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request.encode())
        status_line = connection.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def _tree(pid: int):
    """(kernels, resident memory in bytes) of the process ``pid`` and its descendants."""
    import psutil

    root = psutil.Process(pid)
    kernels, memory = 0, 0
    for process in [root, *root.children(recursive=True)]:
        try:
            memory += process.memory_info().rss
            kernels += any("ipykernel" in part for part in process.cmdline())
        except psutil.NoSuchProcess:
            pass
    return kernels, memory


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def _sample(pid: int, samples: list, stop: threading.Event) -> None:
    while not stop.is_set():
        samples.append(_tree(pid))
        stop.wait(0.2)


@pytest.mark.slow
def test_twenty_pages_stay_bounded_and_strangers_are_refused(tmp_path):
    _require_voila()
    port = _free_port()
    env = dict(os.environ, MPLBACKEND="Agg")
    # absolute entries only: the server starts in another folder, where a relative one (PYTHONPATH=.) would
    # point somewhere else (here, at the folder holding the canary voila.py)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *(os.path.abspath(entry) for entry in
                                                       env.get("PYTHONPATH", "").split(os.pathsep) if entry)])
    log_path = tmp_path / "server.log"
    # A voila.py in the directory the app starts from is neither imported nor read as configuration.
    canary = tmp_path / "canary"
    (tmp_path / "voila.py").write_text(f"open({str(canary)!r}, 'w').close()\n", encoding="utf-8")
    with open(log_path, "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "negotiation", "app", "--port", str(port), "--no-browser",
                                   "--max-kernels", str(KERNEL_LIMIT)],
                                  cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    samples, stop_sampling = [], threading.Event()
    try:
        url = _printed_url(log_path, server)
        base, _, token = url.partition("?token=")
        assert base == f"http://127.0.0.1:{port}/" and re.fullmatch(r"[0-9a-f]{48}", token)

        # Refused before any kernel starts: no token, a foreign Host (DNS rebinding), a foreign Origin.
        status, headers, _ = _get(base)
        assert status == 302 and headers["Location"].startswith("/login"), status
        status, _, body = _get(url, {"Host": f"attacker.example:{port}"})
        assert status == 403 and "Host header 'attacker.example" in body
        status, _, body = _get(url, {"Origin": "http://attacker.example"})
        assert status == 403 and "Origin header 'http://attacker.example'" in body
        assert _tree(server.pid)[0] == 1  # the spare kernel, warmed before the server listens: no page started one

        # 20 page requests at once with the token: at most KERNEL_LIMIT kernels, the others a clear page.
        sampler = threading.Thread(target=_sample, args=(server.pid, samples, stop_sampling), daemon=True)
        sampler.start()
        with ThreadPoolExecutor(REQUESTS) as pool:
            pages = list(pool.map(lambda _: _get(url), range(REQUESTS)))
        statuses = sorted(status for status, _, _ in pages)
        assert statuses == [200] * KERNEL_LIMIT + [503] * (REQUESTS - KERNEL_LIMIT), statuses
        served = [body for status, _, body in pages if status == 200]
        assert all("<title>Negotiation explorer</title>" in body for body in served)
        refused = next(body for status, _, body in pages if status == 503)
        assert "Too many open pages" in refused and "--max-kernels N" in refused
        kernels, memory = _tree(server.pid)
        stop_sampling.set()
        sampler.join(5)
        samples.append((kernels, memory))
        assert kernels == KERNEL_LIMIT and max(k for k, _ in samples) <= KERNEL_LIMIT, samples
        peak = max(m for _, m in samples)
        assert peak <= MEMORY_BUDGET, f"the app's processes peaked at {peak / 2**20:.0f} MiB"

        # A served page's kernel websocket: its own origin opens it, a foreign Host or Origin does not.
        kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', served[0]).group(1)
        channels = f"/api/kernels/{kernel}/channels?token={token}"
        own = f"http://127.0.0.1:{port}"
        assert _websocket_status(port, channels, f"127.0.0.1:{port}", own) == 101
        assert _websocket_status(port, channels, f"attacker.example:{port}", f"http://attacker.example:{port}") == 403
        assert _websocket_status(port, channels, f"127.0.0.1:{port}", "http://attacker.example") == 403
        assert _tree(server.pid)[0] == KERNEL_LIMIT
        assert not canary.exists()
    finally:
        stop_sampling.set()
        _stop(server)
