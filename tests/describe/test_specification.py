"""The specification read by section (MODEL.md 16)."""

from __future__ import annotations

from pathlib import Path

from sim.describe.specification import demoted, section, specification_text, subsections

ROOT = Path(__file__).resolve().parents[2]


def test_the_packaged_specification_is_docs_model_md():
    assert specification_text() == (ROOT / "docs" / "MODEL.md").read_text(encoding="utf-8")


def test_a_section_holds_its_text_up_to_the_next_section():
    pac = section("5.3")
    assert pac.title.startswith("Perceived aggregator control")
    assert "PAC = σ( a0 + a_I·I" in pac.text
    assert "### 5.4" not in pac.text and "R_A   = min(1" not in pac.text


def test_a_section_holds_its_subsections_and_lists_them():
    assert "### 5.6b Price fairness" in section("5").text
    assert [s.number for s in subsections("14")] == ["14.1", "14.2", "14.3", "14.4"]
    assert "5.6b" in [s.number for s in subsections("5")]


def test_headings_inside_code_blocks_are_not_sections():
    numbers = {s.number for s in subsections("5")}
    assert all(n.startswith("5.") for n in numbers)


def test_demoting_moves_every_heading_down_by_the_same_step():
    assert demoted("### a\ntext\n#### b", 4) == "#### a\ntext\n##### b"
    assert demoted("no heading", 2) == "no heading"
