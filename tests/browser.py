"""Debian's chromium for the tests that render pages in a real headless browser."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Headless, and no connection but the page's own: this machine's network is closed.
HEADLESS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str:
    """The browser's path; in CI its absence fails the test, elsewhere it skips it."""
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("CI needs Debian's chromium for the browser tests (.ci/run installs it)")
    pytest.skip("headless browser tests need Debian's chromium: apt-get install chromium")


def render(page: Path, screenshot: Path) -> tuple[str, str]:
    """The page's DOM after its scripts ran, and the browser's log; saves a screenshot."""
    common = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1280,2000",
    ]
    dom = subprocess.run(
        [*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    shot = subprocess.run(
        [*common, f"--screenshot={screenshot}", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dom.returncode == 0 and shot.returncode == 0, dom.stderr[-2000:]
    return dom.stdout, dom.stderr
