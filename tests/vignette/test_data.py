"""A real study's data, named and coded its own way, read against a design file that says how
(MODEL.md 12.6)."""

from __future__ import annotations

import pytest

from sim.errors import UserError
from sim.vignette.data import read_dataset
from sim.vignette.design import load_design
from sim.vignette.fit import fit_judgements
from sim.vignette.simulate import simulate_study
from tests.vignette.conftest import TWO_CELLS

#: The same study as a survey tool would export it: its own column names and condition codes.
SURVEY = TWO_CELLS.replace(
    '"aggregator.intermediation" = [0.2, 0.8]',
    '"aggregator.intermediation" = { column = "cond", levels = { A = 0.2, B = 0.8 } }',
).replace("items = 3", 'items = ["Q1_1", "Q1_2", "Q1_3"]')


def as_survey_export(data):
    renamed = data.rename(
        columns={
            "aggregator_intermediation": "cond",
            **{f"control_{j}": f"Q1_{j}" for j in (1, 2, 3)},
        }
    )
    renamed["cond"] = renamed["cond"].map({"0.2": "A", "0.8": "B"})
    return renamed.drop(columns=["segment", "individualism"])


def test_a_survey_export_fits_like_the_simulated_file(write_design, tmp_path):
    simulated = load_design(write_design(TWO_CELLS)).with_respondents(200)
    data = simulate_study(simulated).data
    export = tmp_path / "survey.csv"
    as_survey_export(data).to_csv(export, index=False)
    survey = load_design(write_design(SURVEY, "survey.toml"))
    read = read_dataset(export, survey)
    assert list(read.cond.unique()) == ["A", "B"] and read.Q1_1.dtype == float
    ours = fit_judgements(data, simulated, pool=150).table
    theirs = fit_judgements(read, survey, pool=150).table
    assert list(ours.estimate) == pytest.approx(list(theirs.estimate))


def test_an_empty_answer_is_missing_not_an_error(write_design, tmp_path):
    data = simulate_study(load_design(write_design(TWO_CELLS))).data.astype({"control_2": "object"})
    data.loc[0, "control_2"] = None
    path = tmp_path / "data.csv"
    data.to_csv(path, index=False)
    read = read_dataset(path, load_design(write_design(TWO_CELLS)))
    assert read.control_2.isna().sum() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("", "cannot read as CSV"),
        ("respondent\n1\n", "column 'aggregator_intermediation'"),
    ],
)
def test_an_unreadable_or_foreign_file_is_one_line(write_design, tmp_path, content, message):
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UserError, match=message):
        read_dataset(path, load_design(write_design(TWO_CELLS)))


def test_an_item_with_no_answer_at_all_is_one_line_naming_the_data_file(write_design, tmp_path):
    """It printed numpy's warning of an empty mean, then an error naming the codebook."""
    data = simulate_study(load_design(write_design(TWO_CELLS))).data.astype({"control_2": "object"})
    data["control_2"] = None
    path = tmp_path / "data.csv"
    data.to_csv(path, index=False)
    with pytest.raises(UserError, match=r"data.csv: column 'control_2': no answers"):
        read_dataset(path, load_design(write_design(TWO_CELLS)))


def test_a_respondent_in_two_rows_is_one_line(write_design, tmp_path):
    """Duplicate respondent ids were accepted silently."""
    data = simulate_study(load_design(write_design(TWO_CELLS))).data
    assert "respondent" in data.columns
    design = load_design(write_design(TWO_CELLS))
    data.to_csv(tmp_path / "unique.csv", index=False)
    assert len(read_dataset(tmp_path / "unique.csv", design)) == len(data)
    data.loc[1, "respondent"] = data.loc[0, "respondent"]
    data.to_csv(tmp_path / "twice.csv", index=False)
    with pytest.raises(UserError, match="twice.csv: column 'respondent': .* in more than one row"):
        read_dataset(tmp_path / "twice.csv", design)
