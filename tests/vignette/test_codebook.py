"""A study's codebook describes every column, and its JSON form reads back as the design the
data follow (MODEL.md 12.4)."""

from __future__ import annotations

import json

import pytest

from sim.errors import UserError
from sim.vignette.codebook import codebook_json, codebook_table, read_codebook
from sim.vignette.design import load_design
from sim.vignette.simulate import simulate_study
from tests.vignette.conftest import TWO_CELLS


def test_one_codebook_row_per_column_of_the_data(write_design):
    study = simulate_study(load_design(write_design(TWO_CELLS)))
    table = codebook_table(study)
    assert list(table.column) == list(study.data.columns)
    assert set(table.role) == {"id", "respondent", "condition", "item"}


def test_the_json_codebook_reads_back_as_the_design(write_design, tmp_path):
    design = load_design(write_design(TWO_CELLS))
    study = simulate_study(design)
    path = tmp_path / "codebook.json"
    path.write_text(json.dumps(codebook_json(study)))
    again = read_codebook(path)
    assert [c.levels for c in again.cells] == [c.levels for c in design.cells]
    assert again.measures[0].items == design.measures[0].items
    assert again.measures[0].noise_sd == pytest.approx(study.noise["control"])


def test_a_file_that_is_not_a_codebook_is_one_line(tmp_path):
    path = tmp_path / "codebook.json"
    path.write_text("[1, 2]")
    with pytest.raises(UserError, match="expected the codebook.json of aggsim vignette"):
        read_codebook(path)
