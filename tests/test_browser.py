"""
The review page and the site in a real headless Chromium: visible, linked, accessible.

Drives Debian's chromedriver over the W3C WebDriver protocol with urllib, so the test needs no
Python browser library. Skipped where Chromium is not installed, except in CI, where it must be.
Accessibility is checked with axe-core, installed from npm by .ci/run into build/node (or found
through SCORECARD_AXE); the axe test is skipped without it, except in CI.
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
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import scorecard
from scorecard._cli import main
from scorecard._site import site_files

from .pages import internal_links
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
REPOSITORY = Path(__file__).parent.parent
AXE = Path(os.environ.get("SCORECARD_AXE", REPOSITORY / "build/node/node_modules/axe-core/axe.min.js"))
#: Desktop and phone viewports the site is read at.
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
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

    def script(self, code: str, *args: Any) -> Any:
        """Run JavaScript in the page and return its value."""
        return self.command("POST", "/execute/sync", {"script": code, "args": list(args)})

    def viewport(self, width: int, height: int) -> None:
        """Make the page's viewport *width* × *height* CSS pixels (the window is sized to fit it)."""
        self.command("POST", "/window/rect", {"width": width, "height": height})
        inner = self.script("return [window.innerWidth, window.innerHeight]")
        self.command("POST", "/window/rect", {"width": 2 * width - inner[0], "height": 2 * height - inner[1]})

    def screenshot(self, name: str) -> None:
        """Keep a screenshot of the page under build/screenshots/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / name).write_bytes(base64.b64decode(self.command("GET", "/screenshot")))

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


@pytest.fixture(name="corpus_site", scope="module")
def _corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus's site, built as of its latest published review."""
    root = tmp_path_factory.mktemp("corpus")
    for name in ("predictions", "reviews"):
        shutil.copytree(REPOSITORY / name, root / name)
    shutil.copy(REPOSITORY / "pyproject.toml", root / "pyproject.toml")
    scorecard.write_site(root)
    return root / "build/site"


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.*"))}


def test_every_link_of_the_corpus_site_leads_to_a_page(corpus_site: Path, driver: WebDriver) -> None:
    """Every link of every page, as the browser resolves it, names a file of the site and an id on it; none leaves it."""
    files = _pages(corpus_site)
    broken = []
    for page in (p for p in files if p.endswith(".html")):
        driver.command("POST", "/url", {"url": (corpus_site / page).as_uri()})
        for href in driver.script("return [...document.querySelectorAll('a[href]')].map(a => a.href)"):
            if not href.startswith("file://"):
                continue
            path, _, fragment = href.removeprefix("file://").partition("#")
            target = Path(urllib.parse.unquote(path))
            inside = target.is_relative_to(corpus_site) and target.is_file()
            if not inside or (fragment and f'id="{fragment}"' not in target.read_text(encoding="utf-8")):
                broken.append((page, href))

    assert [] == broken
    assert len(internal_links(files)) > len(files)


def test_the_corpus_site_is_readable_on_a_desktop_and_a_phone(corpus_site: Path, driver: WebDriver) -> None:
    """At 1280 × 800 and 390 × 844 nothing is wider than the screen but a scrollable table; screenshots are kept."""
    pages = {"index": "index.html", "review-2025": "reviews/2025/index.html", "forecaster": "forecasters/neo-wang.html"}
    pages["prediction"] = next(p for p in _pages(corpus_site) if p.startswith("predictions/"))
    for viewport, (width, height) in VIEWPORTS.items():
        driver.viewport(width, height)
        for name, page in pages.items():
            driver.command("POST", "/url", {"url": (corpus_site / page).as_uri()})
            overflow = driver.script("return document.documentElement.scrollWidth - window.innerWidth")
            hidden = driver.script(
                "return [...document.querySelectorAll('td')].filter(td => {"
                " const r = td.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 1 }).length"
            )
            assert (name, viewport, 0) == (name, viewport, max(overflow, 0))
            if viewport == "phone":
                assert (name, 0) == (name, hidden)
            driver.screenshot(f"site-{name}-{viewport}.png")


def test_the_corpus_site_passes_axe(corpus_site: Path, driver: WebDriver) -> None:
    """axe-core finds no serious or critical accessibility violation on the index, the reviews and sample pages."""
    if not AXE.is_file():
        assert not os.environ.get("CI"), f"axe-core must be installed in CI ({AXE})"
        pytest.skip("axe-core is not installed (npm install --prefix build/node axe-core)")
    source = AXE.read_text(encoding="utf-8")
    files = _pages(corpus_site)
    pages = ["index.html", *(p for p in files if p.startswith("reviews/") and p.endswith(".html"))]
    pages += [next(p for p in files if p.startswith(folder)) for folder in ("forecasters/", "predictions/")]
    found = []
    for viewport, (width, height) in VIEWPORTS.items():
        driver.viewport(width, height)
        for page in pages:
            driver.command("POST", "/url", {"url": (corpus_site / page).as_uri()})
            driver.script(source)
            violations = driver.command(
                "POST",
                "/execute/async",
                {
                    "script": "const done = arguments[arguments.length - 1];"
                    " axe.run(document).then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.length])));",
                    "args": [],
                },
            )
            found += [(viewport, page, *v) for v in violations if v[1] in {"serious", "critical"}]

    assert [] == found


def test_a_word_longer_than_a_phone_is_wide_breaks_instead_of_widening_the_page(
    tmp_path: Path, driver: WebDriver
) -> None:
    """A claim, a name and a tag of hundreds of letters without a space wrap on a phone and a desktop; no page scrolls sideways."""
    word = "Supercalifragilistic" * 40
    book = scorecard.Book(
        (
            scorecard.Prediction(
                "long-word",
                f"{word} ships.",
                word,
                datetime.date(2024, 1, 1),
                datetime.date(2025, 1, 1),
                scorecard.Source(title=word, url=f"https://example.org/{word}"),
                scorecard.JudgmentRule(),
                tags=(word.lower(),),
            ),
        ),
        scorecard.Ledger(),
    )
    files = site_files(book, as_of=datetime.date(2025, 6, 1))
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    overflows = {}
    for viewport, (width, height) in VIEWPORTS.items():
        driver.viewport(width, height)
        for page in sorted(name for name in files if name.endswith(".html")):
            driver.command("POST", "/url", {"url": (tmp_path / page).as_uri()})
            found = driver.script("return document.documentElement.scrollWidth - window.innerWidth")
            overflows[viewport, page] = max(found, 0)

    assert dict.fromkeys(overflows, 0) == overflows


def test_the_chart_and_pages_read_on_a_dark_background(corpus_site: Path, driver: WebDriver) -> None:
    """With a dark colour scheme the page turns dark and the chart's text light; axe finds no contrast problem."""
    driver.command(
        "POST",
        "/goog/cdp/execute",
        {
            "cmd": "Emulation.setEmulatedMedia",
            "params": {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
        },
    )
    driver.viewport(*VIEWPORTS["desktop"])
    driver.command("POST", "/url", {"url": (corpus_site / "reviews/2025/index.html").as_uri()})

    colours = driver.script(
        "return [getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('svg.calibration text')).fill]"
    )

    assert ["rgb(13, 17, 23)", "rgb(230, 237, 243)"] == colours
    driver.screenshot("site-review-2025-dark.png")
    if AXE.is_file():
        driver.script(AXE.read_text(encoding="utf-8"))
        violations = driver.command(
            "POST",
            "/execute/async",
            {
                "script": "const done = arguments[arguments.length - 1];"
                " axe.run(document).then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.length])));",
                "args": [],
            },
        )
        assert [] == [v for v in violations if v[1] in {"serious", "critical"}]
