"""``aggsim describe`` from the command line: formats, files, bad input (MODEL.md 16)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from sim.cli import main
from sim.cli.describe import output_format
from sim.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
B2B = str(ROOT / "scenarios" / "b2b_marketplace.toml")


def test_the_format_follows_the_option_else_the_extension():
    assert output_format(None, None) == "md"
    assert output_format(None, Path("a.docx")) == "docx"
    assert output_format("html", Path("a.htm")) == "html"
    with pytest.raises(UserError, match="expected a file ending in .md"):
        output_format("html", Path("a.txt"))  # the extension names no format
    with pytest.raises(UserError, match="expected a file ending in .md"):
        output_format(None, Path("x.pdf"))  # Markdown is not written into a .pdf
    with pytest.raises(UserError, match="not --format md"):
        output_format("md", Path("a.html"))


def test_markdown_by_default_and_the_citation_printed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["describe", B2B]) == 0
    out = capsys.readouterr().out
    assert "wrote b2b_marketplace-ODD.md" in out and "24 parameter(s) differ" in out
    assert "cite as: The aggsim developers. aggsim:" in out and "Version 0.1.0" in out
    assert (tmp_path / "b2b_marketplace-ODD.md").read_text().startswith("# ODD protocol")


def test_a_word_document_opens_with_python_docx(tmp_path):
    out = tmp_path / "odd.docx"
    assert main(["describe", B2B, "--out", str(out)]) == 0
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "7. Submodels" in headings and "STRESS-DES checklist" in headings
    assert len(document.tables) > 20


def test_set_changes_the_described_scenario(tmp_path):
    out = tmp_path / "odd.md"
    assert main(["describe", "--set", "kam.share=0.1", "--out", str(out)]) == 0
    text = out.read_text()
    assert "| `kam.share` | **0.1** (changed) | 0 |" in text
    assert "Key-account management (`sim/model/kam.py`" in text.split("## 7. Submodels")[1]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.toml"], "missing.toml: no such file"),
        (["--set", "kam.share=2"], "kam.share"),
        (["--out", "{tmp}/no/such/folder/odd.md"], "does not exist"),
        (["--out", "{tmp}"], "expected a file ending in .md"),
        (["--out", "{tmp}/place.md"], "is a folder"),
        (["--run", "{tmp}"], "no manifest.json"),
        ([B2B, "--run", "{tmp}"], "not both"),
        (["--format", "md", "--out", "{tmp}/odd.html"], "not --format md"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(arguments, message, tmp_path, capsys):
    arguments = [a.replace("{tmp}", str(tmp_path)) for a in arguments]
    (tmp_path / "place.md").mkdir()
    assert main(["describe", *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not list(tmp_path.glob("*ODD*")) and not (tmp_path / "odd.html").exists()


def hostile_scenario(folder: Path) -> Path:
    """A scenario whose description holds a script, an image that runs code when it fails to
    load, a javascript: link and control characters (TOML's \\u escapes)."""
    from tests.describe.test_literal import HOSTILE

    escaped = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\x01", "\\u0001").replace("\x07", "\\u0007")
    path = folder / "hostile.toml"
    path.write_text(f'name = "hostile"\ndescription = "{escaped}"\n', encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_hostile_description_is_text_in_markdown_html_and_word(tmp_path):
    """Checked in headless chromium: nothing of the description runs or links; the Word
    document (which refuses control characters) opens and holds the text."""
    from tests.browser import render
    from tests.describe.test_literal import HOSTILE

    scenario = hostile_scenario(tmp_path)
    for suffix in ("md", "html", "docx"):
        assert main(["describe", str(scenario), "--out", str(tmp_path / f"odd.{suffix}")]) == 0
    text = (tmp_path / "odd.md").read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text), "a link forms"
    dom, log = render(tmp_path / "odd.html", tmp_path / "odd.png")
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0], "a script ran"
    assert "<script" not in dom and "<img" not in dom and 'href="javascript:' not in dom
    assert "&lt;script&gt;document.body" in dom, "the description is shown as text"
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "odd.docx")).paragraphs]
    shown = next(p for p in paragraphs if "[click me]" in p)
    assert "<script>" in shown and "\x01" not in shown and HOSTILE.split("\x01")[0][:40] in shown
