"""``aggsim app`` in a real browser: Playwright drives Debian's chromium against the app served on
loopback, as a class would use it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser import HEADLESS, chromium

pytest.importorskip("panel")
playwright = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start ``aggsim app`` on a free loopback port; return the process and its address."""
    port = free_port()
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim.cli",
            "app",
            "--port",
            str(port),
            "--results",
            str(tmp_path / "results"),
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "BOKEH_LOG_LEVEL": "warn"},
    )
    assert app.stdout is not None
    line = app.stdout.readline()  # the first line says where it serves
    while line and "serving at" not in line:
        line = app.stdout.readline()
    assert "serving at" in line, f"the app did not start: {line!r}"
    return app, f"http://localhost:{port}/"


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium(), args=list(HEADLESS))
        yield launched
        launched.close()


class Watched:
    """A page with every console error, page error and request kept."""

    def __init__(self, browser, url: str, width: int, height: int) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
        self.page.get_by_role("button", name="Run", exact=True).wait_for(timeout=30_000)

    def clock(self) -> str:
        return self.page.locator(".clock").evaluate(
            "e => { const root = e.shadowRoot || e;"
            " return (root.querySelector('.markdown') || root).textContent; }"
        )

    def wait_for_clock(self, pattern: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.clock()
            if re.search(pattern, text):
                return text
            time.sleep(0.05)
        raise AssertionError(f"the clock never showed {pattern!r}: {self.clock()!r}")

    def series(self, platform: str, column: str) -> list[float]:
        """A column of a platform's live plot data, as the browser holds it."""
        return self.page.evaluate(
            "([name, column]) => Array.from(Bokeh.documents[0].get_model_by_name(name)"
            ".data[column])",
            [f"live-{platform}", column],
        )

    def off_loopback(self) -> list[str]:
        """Requests that leave this machine (the page's own blobs and data URLs stay on it)."""
        local = re.compile(r"(data:|(blob:)?(http|ws)://(localhost|127\.0\.0\.1)[:/])")
        return [url for url in self.requests if not local.match(url)]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    process, url = serve(tmp)
    yield url, tmp
    process.terminate()
    process.wait(timeout=30)


def set_slider_to_end(page, panel, label: str) -> None:
    """Move a slider of a platform's panel to its end with the keyboard, as a user can."""
    slider = panel.locator(".bk-input-group").filter(has_text=label).first
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    handle.press("End")


def test_moving_b_intermediation_and_running_a_week(app, browser):
    url, tmp = app
    shots = tmp / "screenshots"
    shots.mkdir()
    view = Watched(browser, url, 1280, 800)
    page = view.page
    page.get_by_text("Platform B", exact=True).first.click()
    panel = page.locator(".platform-B")
    set_slider_to_end(page, panel, "intermediation")
    expect = playwright.expect
    expect(panel.get_by_text(re.compile(r"intermediation:\s*1\b"))).to_be_visible()
    # The slider's label moves in the browser; this line comes from the server once it has
    # restarted both platforms, so Run is clicked on the restarted worlds.
    expect(page.get_by_text("Platform B: intermediation set to 1;")).to_be_visible(timeout=60_000)
    view.wait_for_clock(r"day 1, 00:00")

    page.get_by_role("button", name="Run", exact=True).click()
    view.wait_for_clock(r"running|run is over")
    view.wait_for_clock(r"7-day run is over", timeout=90)
    page.screenshot(path=str(shots / "projector-1280x800.png"), full_page=True)

    days = view.series("A", "day")
    assert days[-1] >= 7.0 and len(days) > 8  # the plots followed the week
    a = view.series("A", "mean_aggregator_responsibility")[-1]
    b = view.series("B", "mean_aggregator_responsibility")[-1]
    assert b > a + 0.03, (a, b)  # P2: more intermediation, more platform responsibility

    stories = page.locator(".story")
    assert stories.count() >= 2
    assert "Episode" in stories.first.inner_text()
    stories.first.click()  # a story opens to show its numbers
    expect(page.get_by_text("platform responsibility").first).to_be_visible()

    phone = Watched(browser, url, 390, 844)
    phone.page.screenshot(path=str(shots / "phone-390x844.png"), full_page=True)
    for watched in (view, phone):
        assert watched.errors == []
        assert watched.off_loopback() == []
    assert (shots / "projector-1280x800.png").stat().st_size > 10_000


def test_the_class_predicts_only_once_the_platforms_differ_and_levers_explain_themselves(
    app, browser
):
    url, _ = app
    view = Watched(browser, url, 1280, 800)
    page = view.page
    expect = playwright.expect
    page.get_by_text("Predict, then run", exact=True).first.click()
    expect(page.get_by_text("Platforms A and B are the same").first).to_be_visible()
    expect(page.get_by_role("button", name="Run and reveal")).to_be_disabled()
    page.get_by_text("Platform A", exact=True).first.click()
    tip = page.locator(".platform-A .lever").first.locator(".bk-TooltipIcon, .bk-icon, svg").first
    tip.hover()
    expect(page.get_by_text("In a scenario file: aggregator.intermediation").first).to_be_visible()
    assert view.errors == []
    assert view.off_loopback() == []
