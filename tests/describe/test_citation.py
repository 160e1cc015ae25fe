"""The citation of the exact version: ``CITATION.cff`` and what ``aggsim describe`` prints agree
with the package (MODEL.md 16)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from sim import __version__
from sim.describe.citation import AUTHORS, LICENCE, TITLE, citation, commit_text

ROOT = Path(__file__).resolve().parents[2]


def test_citation_cff_names_this_version_title_and_licence():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == __version__
    assert cff["title"] == TITLE
    assert cff["authors"] == [{"name": AUTHORS}]
    assert cff["license"] == LICENCE
    assert isinstance(cff["date-released"], date)  # YAML reads an ISO date as a date


def test_the_commit_is_named_and_uncommitted_changes_are_said():
    clean = {"commit": "a" * 40, "dirty": False}
    assert commit_text(clean) == "commit aaaaaaa"
    assert commit_text({**clean, "dirty": True}).endswith("with uncommitted changes")
    assert "unknown" in commit_text(None)
    assert "note    = {commit " + "a" * 40 + "}" in citation(clean)
    assert "with uncommitted changes}" in citation({**clean, "dirty": True})


def test_the_citation_gives_the_commits_date_and_the_repositorys_address_when_known():
    code = {"commit": "b" * 40, "dirty": False, "date": "2026-03-04", "repository": None}
    assert "commit bbbbbbb (2026-03-04)." in citation(code)
    assert "date    = {2026-03-04}" in citation(code) and "url" not in citation(code)
    web = citation({**code, "repository": "https://github.com/someone/aggsim"})
    assert web.split("\n", 1)[0].endswith(" https://github.com/someone/aggsim")
    assert "url     = {https://github.com/someone/aggsim}" in web
