"""The browser app in a real headless browser: `negotiation app` (Voilà) driven by Chromium through Selenium.

Needs Debian's ``chromium`` and ``chromium-driver`` and the test extra (selenium, voila, ipywidgets,
ipykernel).  Without them the test is skipped locally, but with ``CI=true`` it fails instead: CI must
install them.  Every wait is bounded (about 100 s in all) and the server is always stopped.

Besides the explorer's answers, the test reads Chromium's network log (every request goes to the
app on 127.0.0.1 and none fails: the app works offline) and its console (no error), and measures
the page (the results column beside the sliders at 1400 px, below them at 700 px).  It prints how
long the first page took (`pytest -s` shows it) and asserts no time: timings belong to benchmarks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from fractions import Fraction
from pathlib import Path

import pytest

import negotiation as ng

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")
SERVER_START_SECONDS = 40
PAGE_SECONDS = 50
UPDATE_SECONDS = 20


def _require(condition, reason: str):
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the browser test must run)")
        pytest.skip(reason)


def _browser_paths():
    browser = next(filter(None, (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome"))), None)
    driver = shutil.which("chromedriver")
    return browser, driver


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _app_command(port: int) -> list[str]:
    """`negotiation app` on ``port``, without a browser of its own (it prints the address with its token)."""
    return [sys.executable, "-m", "negotiation", "app", "--port", str(port), "--no-browser"]


def _printed_url(log_path: Path, server: subprocess.Popen) -> str | None:
    """The address `negotiation app` printed (with its token), once it has printed it."""
    if server.poll() is not None:
        raise AssertionError("the server exited: " + log_path.read_text(errors="replace"))
    match = re.search(r"Serving the negotiation explorer on (http://\S+)", log_path.read_text(errors="replace"))
    return match.group(1) if match else None


def _kernels(pid: int) -> int:
    """Kernels running under the server process ``pid``."""
    import psutil

    kernels = 0
    for process in psutil.Process(pid).children(recursive=True):
        try:
            kernels += any("ipykernel" in part for part in process.cmdline())
        except psutil.NoSuchProcess:
            pass
    return kernels


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (Voilà then shuts its kernels down), SIGKILL if it lingers."""
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


def _wait_for(predicate, seconds: float, what: str, interval: float = 0.25):
    deadline = time.monotonic() + seconds
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # stale elements while the widget redraws
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}" +
                         (f" (last error: {last_error!r})" if last_error else ""))


def _parse_mix(cell: str) -> dict:
    mix = {}
    for part in cell.split(" + "):
        head, _, tail = part.partition(" ")
        try:
            mix[tail] = Fraction(head)
        except ValueError:
            mix[part] = Fraction(1)
    return mix


def _read_table(driver):
    from selenium.webdriver.common.by import By

    table = driver.find_element(By.CSS_SELECTOR, "table.ng-equilibria")
    header = [th.text.strip() for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    rows = [[td.text.strip() for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    return table.get_attribute("data-scenario"), table.get_attribute("data-values"), header, rows


def _select_model(driver, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    select = Select(driver.find_element(By.CSS_SELECTOR, ".ng-model select"))
    option = next(o for o in select.options if o.get_attribute("value").startswith(f"{name}:"))
    select.select_by_value(option.get_attribute("value"))


def _requests(driver, port: int):
    """(urls, failures) of the requests since the last call, from Chromium's performance (network) log.

    A failure is a request that did not complete (``Network.loadingFailed``) or an HTTP status of 400
    or more, as ``(url, reason)``.
    """
    urls, failures = {}, []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message["method"], message.get("params", {})
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif method == "Network.webSocketCreated":
            urls[params["requestId"]] = params["url"]
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            failures.append((params["response"]["url"], f"HTTP {params['response']['status']}"))
        elif method == "Network.loadingFailed":
            failures.append((urls.get(params["requestId"], params["requestId"]), params.get("errorText")))
    return sorted(set(urls.values())), failures


def _foreign(urls, port: int):
    """The URLs that leave the app: anything but its own address (and inline data)."""
    own = re.compile(rf"(https?|wss?)://(127\.0\.0\.1|localhost):{port}/")
    return [url for url in urls if not own.match(url) and not url.startswith(("data:", "blob:"))]


def _box(driver, selector: str) -> dict:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector).rect


def _console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.mark.slow
def test_security_dilemma_slider_updates_the_equilibria(tmp_path):
    browser, driver_path = _browser_paths()
    _require(browser and driver_path, "chromium and chromedriver are not installed "
                                      "(apt-get install -y chromium chromium-driver)")
    for module in ("selenium", "voila", "ipywidgets", "ipykernel"):
        try:
            __import__(module)
        except ImportError:
            _require(False, f"{module} is not installed (pip install -e '.[test]')")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    port = _free_port()
    env = dict(os.environ)
    # absolute entries only: the server starts in another folder, where a relative one (PYTHONPATH=.) would
    # point somewhere else (here, at the folder holding the canary voila.py)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *(os.path.abspath(entry) for entry in
                                                       env.get("PYTHONPATH", "").split(os.pathsep) if entry)])
    env.setdefault("MPLBACKEND", "Agg")
    log = open(tmp_path / "server.log", "wb")
    started = time.monotonic()
    server = subprocess.Popen(_app_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    driver = None
    try:
        url = _wait_for(lambda: _printed_url(tmp_path / "server.log", server), SERVER_START_SECONDS,
                        "the address printed by `negotiation app`", interval=0.5)
        listening = time.monotonic()
        assert url.startswith(f"http://127.0.0.1:{port}/?token=") and len(url.partition("token=")[2]) >= 32
        # The server answers (the login page: no kernel is started for this check).
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as response:
            assert response.status == 200

        options = Options()
        options.binary_location = browser
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1400,1600"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        driver.set_page_load_timeout(PAGE_SECONDS)
        asked = time.monotonic()
        driver.get(url)
        assert driver.title == "Negotiation explorer"
        _wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "table.ng-equilibria"), PAGE_SECONDS,
                  "the equilibrium table", interval=0.05)
        shown = time.monotonic()
        print(f"\nfirst page: the equilibria shown {shown - asked:.1f} s after the browser asked for the page, "
              f"{shown - started:.1f} s after `negotiation app` started (it listened after "
              f"{listening - started:.1f} s)")
        assert "Negotiation explorer" in driver.find_element(By.TAG_NAME, "h1").text

        # Results beside the sliders at 1400 px: the results column starts right of the sliders, level with them.
        sliders, results = _box(driver, ".ng-sliders"), _box(driver, ".ng-results")
        assert results["x"] >= sliders["x"] + sliders["width"], (sliders, results)
        assert results["y"] < sliders["y"] + sliders["height"] and sliders["y"] < results["y"] + results["height"]
        table = _box(driver, "table.ng-equilibria")
        assert table["x"] >= results["x"] and table["y"] < sliders["y"] + sliders["height"]

        # Pick another model, then the security dilemma: the table follows the dropdown.
        _select_model(driver, "nato_enlargement")
        _wait_for(lambda: _read_table(driver)[0] == "nato_enlargement", UPDATE_SECONDS, "the tree's table")
        _select_model(driver, "security_dilemma")
        _wait_for(lambda: _read_table(driver)[0] == "security_dilemma", UPDATE_SECONDS, "the dilemma's table")
        scenario, values, header, rows = _read_table(driver)
        assert values.startswith("omega=1/2,")
        # Defaults: a Prisoner's Dilemma, (Deploy, Deploy) with P = -k - omega*W = -2 (models/README.md)
        assert [r[2:] for r in rows] == [["Deploy", "Deploy", "-2", "-2"]]

        # Move the omega slider by typing into its readout: 0.2 = 1/5.
        readout = driver.find_element(By.CSS_SELECTOR, ".ng-slider-omega .widget-readout")
        readout.click()
        readout.send_keys(Keys.CONTROL, "a")
        readout.send_keys("0.2", Keys.ENTER)
        _wait_for(lambda: _read_table(driver)[1].startswith("omega=1/5,"), UPDATE_SECONDS,
                  "the table at omega = 1/5")
        scenario, values, header, rows = _read_table(driver)

        # Expected, by an independent path: the numeric game at these values, solved by ng.solve.
        point = dict(item.split("=") for item in values.split(","))
        model = ng.load("security_dilemma")
        game = model.game_at({name: Fraction(text) for name, text in point.items()})
        expected = set()
        for equilibrium in ng.solve(game).equilibria:
            mixes = tuple(tuple(sorted((s, p) for s, p in equilibrium[player].items() if p > 0))
                          for player in game.players)
            expected.add((mixes, tuple(equilibrium.payoffs)))
        shown = set()
        for row in rows:
            cells = dict(zip(header, row))
            mixes = tuple(tuple(sorted(_parse_mix(cells[p]).items())) for p in game.players)
            shown.add((mixes, tuple(Fraction(cells[f"payoff {p}"]) for p in game.players)))
        assert shown == expected
        # and by hand (models/README.md): a Stag Hunt whose mixed equilibrium restrains with probability
        # (P - S)/((R - T) + (P - S)) = (1/10)/(9/25 + 1/10) = 5/23 (T = -9/25, S = -3/2, P = -7/5)
        assert len(rows) == 3 and "5/23 Restrain + 18/23 Deploy" in [r[2] for r in rows]

        # Offline: every request of the page, its scripts, styles, fonts and kernel websockets went to the app
        # itself, and none failed; and the page logged no error.
        urls, failures = _requests(driver, port)
        assert any("/api/kernels/" in u and u.startswith("ws://") for u in urls) and len(urls) > 20, urls
        assert _foreign(urls, port) == [] and failures == []
        assert _console_errors(driver) == []

        # A narrow window: the row wraps, the results come below the sliders.
        driver.set_window_size(700, 1600)
        _wait_for(lambda: _box(driver, ".ng-results")["y"] >= sum(_box(driver, ".ng-sliders")[k] for k in ("y", "height")),
                  UPDATE_SECONDS, "the results below the sliders at 700 px")
        driver.set_window_size(1400, 1600)

        # Reloading (the session cookie now stands for the token) shuts the old page's kernel down:
        # reloads never pile up kernels against the app's limit.  Two kernels stay: the page's and the
        # spare one the server keeps warm for the next page.
        for _ in range(2):
            driver.get(f"http://127.0.0.1:{port}/")
            _wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "table.ng-equilibria"), PAGE_SECONDS,
                      "the equilibrium table after a reload")
        _wait_for(lambda: _kernels(server.pid) == 2, UPDATE_SECONDS + 10, "two kernels after two reloads")
        assert _foreign(_requests(driver, port)[0], port) == [] and _console_errors(driver) == []
        assert "not trusted" not in (tmp_path / "server.log").read_text(errors="replace")
    finally:
        if driver is not None:
            driver.quit()
        _stop(server)
        log.close()
