"""
The review page in a real headless Chromium: the scorecard table and the chart are visible.

Drives Debian's chromedriver over the W3C WebDriver protocol with urllib, so the test needs no
Python browser library. Skipped where Chromium is not installed, except in CI, where it must be.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from scorecard._cli import main

from .repo import DATA

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--window-size=1200,2000",
]
SCREENSHOTS = Path(os.environ.get("SCORECARD_SCREENSHOTS", Path(__file__).parent.parent / "build" / "screenshots"))

pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or CHROMEDRIVER is None) and not os.environ.get("CI"),
    reason="Debian's chromium and chromium-driver are not installed",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebDriver:
    """
    The few WebDriver commands the test needs.
    """

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.session = ""

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send one WebDriver request and return its value."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback only
            f"{self.base}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
            return json.loads(response.read())["value"]

    def start(self, user_data: Path) -> None:
        """Open a browser session with the CI flags and a fresh profile."""
        capabilities = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": CHROMIUM, "args": [*FLAGS, f"--user-data-dir={user_data}"]},
                }
            }
        }
        self.session = self.call("POST", "/session", capabilities)["sessionId"]

    def command(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send a request within the session."""
        return self.call(method, f"/session/{self.session}{path}", body)

    def visible(self, css: str) -> bool:
        """Whether the first element matching *css* is displayed with a non-empty box."""
        element = self.command("POST", "/element", {"using": "css selector", "value": css})
        element_id = next(iter(element.values()))
        rect = self.command("GET", f"/element/{element_id}/rect")
        return (
            bool(self.command("GET", f"/element/{element_id}/displayed")) and rect["width"] > 0 and rect["height"] > 0
        )


@pytest.fixture(name="driver")
def _driver(tmp_path: Path) -> Any:
    assert CHROMEDRIVER is not None, "chromium-driver must be installed in CI"
    port = _free_port()
    process = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = WebDriver(port)
    try:
        for _ in range(100):
            try:
                driver.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        driver.start(tmp_path / "profile")
        yield driver
        driver.command("DELETE", "")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_review_page_shows_table_and_chart(tmp_path: Path, driver: WebDriver) -> None:
    """The generated index.html renders offline with a visible scorecard table and chart; a screenshot is kept."""
    root = tmp_path / "repo"
    shutil.copytree(DATA / "quickstart", root)
    assert 0 == main(["review", "2025", "-C", str(root)], today=datetime.date(2026, 1, 15))
    page = root / "reviews/2025/index.html"

    driver.command("POST", "/url", {"url": page.as_uri()})

    assert "Scorecard 2025" == driver.command("GET", "/title")
    assert driver.visible("table.scorecard")
    assert driver.visible("svg.calibration")
    assert "AI search stays the largest consumer use of large language models through 2025." in driver.command(
        "POST", "/execute/sync", {"script": "return document.querySelector('table.scorecard').innerText", "args": []}
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "review-2025.png").write_bytes(base64.b64decode(driver.command("GET", "/screenshot")))


def test_committed_corpus_review_renders(driver: WebDriver) -> None:
    """The committed review of the bundled corpus renders with its table, chart and Chinese quotes; a screenshot is kept."""
    page = Path(__file__).parent.parent / "reviews/2026/index.html"

    driver.command("POST", "/url", {"url": page.as_uri()})

    assert "Scorecard 2026 (interim)" == driver.command("GET", "/title")
    assert driver.visible("table.scorecard")
    assert driver.visible("svg.calibration")
    rows = driver.command(
        "POST",
        "/execute/sync",
        {"script": "return document.querySelectorAll('table.scorecard tbody tr').length", "args": []},
    )
    data = json.loads((page.parent / "review.json").read_text(encoding="utf-8"))
    assert rows == len(data["scorecard"]) + len(data["decided_early"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "review-2026-corpus.png").write_bytes(base64.b64decode(driver.command("GET", "/screenshot")))
