"""How long `negotiation app` takes to show its first page (issue 15: under 5 s on an idle machine).

Not a test (timings never are). A headless Chromium is started first, as a seminar laptop has its
browser open already; then, per run, ``negotiation app --no-browser`` is started, the browser asks
for the printed address the moment it appears, and the clock stops when the explorer's equilibrium
table is on the page. Reported per run: launch → listening, page request → table shown, and launch
→ table shown, with the median over the runs.

Needs the ``app`` and ``test`` extras (Voilà, selenium) and Debian's ``chromium`` and
``chromium-driver``. Run from the repository root::

    .venv/bin/python benchmarks/bench_app_first_page.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Seconds to wait for the address, then for the table, before a run counts as failed.
PATIENCE = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,1600"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(PATIENCE)
    return driver


def one_run(driver) -> tuple[float, float, float]:
    """(launch → listening, request → shown, launch → shown) in seconds, for one start of the app."""
    from selenium.webdriver.common.by import By

    port = _free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    started = time.monotonic()
    server = subprocess.Popen([sys.executable, "-m", "negotiation", "app", "--no-browser", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              start_new_session=True)
    try:
        url = None
        for line in server.stdout:  # the address line, the moment it is printed
            if "?token=" in line:
                url = line[line.index("http://"):].split()[0]
                break
        if url is None:
            raise RuntimeError("negotiation app printed no address")
        listening = time.monotonic()
        driver.get(url)
        deadline = time.monotonic() + PATIENCE
        while not driver.find_elements(By.CSS_SELECTOR, "table.ng-equilibria"):
            if time.monotonic() > deadline:
                raise RuntimeError("the equilibrium table did not appear")
            time.sleep(0.02)
        shown = time.monotonic()
        return listening - started, shown - listening, shown - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        driver.get("about:blank")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="starts of the app (default 5)")
    args = parser.parse_args(argv)
    driver = _browser()
    try:
        one_run(driver)  # a first start fills the disk caches (.pyc, fonts); not counted
        runs = [one_run(driver) for _ in range(args.runs)]
    finally:
        driver.quit()
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n")
    print("| run | launch → listening (s) | request → table shown (s) | launch → table shown (s) |")
    print("|---|---|---|---|")
    for number, (listen, page, total) in enumerate(runs, 1):
        print(f"| {number} | {listen:.2f} | {page:.2f} | {total:.2f} |")
    medians = [statistics.median(column) for column in zip(*runs)]
    print(f"| median | {medians[0]:.2f} | {medians[1]:.2f} | {medians[2]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
