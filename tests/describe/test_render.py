"""The ODD document as a web page (rendered in headless chromium) and as a Word document (read
back with python-docx) (MODEL.md 16)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from sim.describe.render import to_html, write_docx
from tests.browser import render

TEXT = """# Title

A paragraph with **bold**, *italic* and `code`.

- first item
- second item

| key | value |
|---|---|
| `a.b` | **2** (changed) |

```
PAC = σ( a0 + a_I·I )
```
"""


def test_the_page_stands_alone_with_its_tables_and_equations():
    page = to_html(TEXT, "T")
    assert "<table>" in page and "<pre><code>PAC = σ( a0 + a_I·I )" in page
    assert "http" not in page  # no request beyond itself


def test_the_word_document_has_headings_lists_tables_and_equations(tmp_path):
    path = tmp_path / "t.docx"
    write_docx(TEXT, "T", path)
    document = docx.Document(str(path))
    paragraphs = {p.text: p for p in document.paragraphs}
    assert paragraphs["Title"].style.name == "Title"
    assert paragraphs["first item"].style.name == "List Bullet"
    bold = [r.text for r in paragraphs["A paragraph with bold, italic and code."].runs if r.bold]
    assert bold == ["bold"]
    equation = paragraphs["PAC = σ( a0 + a_I·I )"]
    assert equation.runs[0].font.name == "Courier New"
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["a.b", "2 (changed)"]


@pytest.mark.slow
def test_the_odd_page_renders_in_headless_chromium(tmp_path):
    from sim.describe.odd import odd_document
    from sim.scenario.files import load_scenario

    root = Path(__file__).resolve().parents[2]
    scenario = load_scenario(root / "scenarios" / "b2b_marketplace.toml")
    page = tmp_path / "odd.html"
    page.write_text(to_html(odd_document(scenario, source="b2b", code=None), "ODD"), "utf-8")
    dom, log = render(page, tmp_path / "odd.png")
    assert '<h2 id="7-submodels">7. Submodels</h2>' in dom
    assert "R_A   = min(1, φ + total·share)" in dom
    assert dom.count("<table>") > 20
    assert "Uncaught" not in log
    assert (tmp_path / "odd.png").stat().st_size > 10_000
