"""Design files for the vignette tests, written into a test's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

TWO_CELLS = """
title = "Two conditions"
respondents_per_cell = 40
seed = 11

[factors]
"aggregator.intermediation" = [0.2, 0.8]

[measures.control]
construct = "perceived_control"
items = 3
points = 7
reliability = 0.85

[effects.P1]
measure = "control"
factor = "aggregator.intermediation"
expect = "increase"
"""

STUDIES = Path(__file__).resolve().parents[2] / "scenarios" / "studies"


@pytest.fixture
def write_design(tmp_path):
    """``write_design(text, name="design.toml")`` → the path of a design file."""

    def write(text: str, name: str = "design.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
