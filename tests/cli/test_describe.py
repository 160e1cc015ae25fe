"""``aggsim describe`` from the command line: formats, files, bad input (MODEL.md 16)."""

from __future__ import annotations

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
