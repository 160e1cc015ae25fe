"""The validation page shows every column of every pattern on a page that does not scroll
sideways, and what each pattern stands on as text (sim.validation.page)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim.outputs.report import write_report
from sim.scenario import Scenario
from sim.validation.page import GROUNDS, VERDICT_COLUMNS, validation_sections
from tests.browser import HEADLESS, chromium

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "docs" / "cache" / "validation-baseline.csv"


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """The page of the published baseline validation (every pattern of the catalogue)."""
    folder = tmp_path_factory.mktemp("validation")
    shutil.copy(PUBLISHED, folder / "validation.csv")
    manifest = {
        "aggsim": "validation",
        "scenario": Scenario().model_dump(mode="json"),
        "replications": 4,
        "most_replications": 16,
        "conditions_run": 70,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return write_report(folder, folder / "validation.html", {"validation": validation_sections})


def test_each_pattern_is_one_row_with_its_verdicts_and_its_grounds_follow(page):
    text = page.read_text()
    rows = pd.read_csv(PUBLISHED)
    for heading in VERDICT_COLUMNS:
        assert f">{heading}</th>" in text
    for key in rows.key:
        assert f'<h3 id="{key}">' in text
    assert text.count("<dt>Knockout</dt>") == len(rows)
    assert "<dt>Who was measured</dt>" in text and len(GROUNDS) == 9


@pytest.mark.slow
def test_no_column_is_cut_off_and_statements_are_readable_in_a_real_browser(page):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium(), args=list(HEADLESS))
        try:
            view = browser.new_page(viewport={"width": 1280, "height": 900})
            view.goto(page.as_uri())
            view.wait_for_function("document.body.hasAttribute('data-tables-fit')")
            assert view.get_attribute("body", "data-tables-fit") == "true"
            assert view.get_attribute("body", "data-fits-width") == "true"
            # the statement is the second column of each verdict table
            narrowest = view.evaluate(
                "Math.min(...Array.from(document.querySelectorAll('tbody tr td:nth-child(2)'))"
                ".map(cell => cell.getBoundingClientRect().width))"
            )
        finally:
            browser.close()
    assert narrowest >= 180, f"the statement column is {narrowest:.0f} pixels wide"
