"""How quickly the classroom app starts and answers, in a real browser.

Run: ``python bench/app.py`` (needs the ``[app]`` extra, Playwright and Debian's chromium).
Prints, from one run:

- the start: from launching ``aggsim app`` to its saying where it serves, against the target of
  5 s (ratio < 1), and on to the page's Run button shown in chromium (the first page of a fresh
  server), each the best of a few starts;
- a step: from clicking "Step one day" to the clock showing the next day, the median of several
  steps of the classroom world, against the target of 1 s (ratio < 1).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import HEADLESS, chromium  # noqa: E402

START_TARGET = 5.0
STEP_TARGET = 1.0


def start_app() -> tuple[subprocess.Popen, str, float, float]:
    started = time.perf_counter()
    app = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "app", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdout is not None
    line = app.stdout.readline()
    url = line.split("serving at ", 1)[1].split()[0]
    return app, url, started, time.perf_counter() - started


def clock(page) -> str:
    return page.locator(".clock").evaluate(
        "e => { const root = e.shadowRoot || e;"
        " return (root.querySelector('.markdown') || root).textContent; }"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--steps", type=int, default=6)
    args = parser.parse_args()
    serving, starts, steps = [], [], []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium(), args=list(HEADLESS))
        for attempt in range(args.starts):
            app, url, started, ready = start_app()
            serving.append(ready)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(url)
                page.get_by_role("button", name="Run", exact=True).wait_for(timeout=60_000)
                starts.append(time.perf_counter() - started)
                if attempt == 0:
                    step = page.get_by_role("button", name="Step one day", exact=True)
                    for day in range(2, 2 + args.steps):
                        clicked = time.perf_counter()
                        step.click()
                        while f"day {day}, 00:00" not in clock(page):
                            time.sleep(0.01)
                        steps.append(time.perf_counter() - clicked)
                page.close()
            finally:
                app.terminate()
                app.wait(timeout=30)
        browser.close()
    ready, start, step = min(serving), min(starts), statistics.median(steps)
    print(
        f"start to serving: {ready:.2f} s (best of {len(serving)}); target {START_TARGET} s, "
        f"ratio {ready / START_TARGET:.2f}"
    )
    print(f"start to the first page shown: {start:.2f} s (best of {len(starts)})")
    print(
        f"one day stepped and shown: {step:.3f} s (median of {len(steps)}); target "
        f"{STEP_TARGET} s, ratio {step / STEP_TARGET:.2f}"
    )


if __name__ == "__main__":
    main()
