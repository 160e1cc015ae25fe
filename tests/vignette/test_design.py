"""Design files: a valid design gives its conditions; every mistake is one line naming the file
and the key (MODEL.md 12)."""

from __future__ import annotations

import pytest

from sim.errors import UserError
from sim.vignette.design import load_design
from tests.vignette.conftest import STUDIES, TWO_CELLS


def test_the_studies_load_with_their_conditions():
    two_by_two = load_design(STUDIES / "intermediation_by_cause.toml")
    assert len(two_by_two.cells) == 4
    assert {c.story.failure.cause for c in two_by_two.cells} == {"provider", "aggregator"}
    assert {c.scenario.aggregator.intermediation for c in two_by_two.cells} == {0.2, 0.8}
    assert all(c.story.failure.severity == 0.5 for c in two_by_two.cells)
    levels = load_design(STUDIES / "compensation_level.toml").cells
    assert [c.story.remedy.compensation for c in levels] == [0.0, 0.05, 0.1, 0.2, 0.5, 1.0]


def test_factors_written_as_tables_name_the_data_columns_and_codes(write_design):
    design = load_design(
        write_design(
            TWO_CELLS.replace(
                '"aggregator.intermediation" = [0.2, 0.8]',
                '"aggregator.intermediation" = { column = "intermed", '
                "levels = { low = 0.2, high = 0.8 } }",
            )
        )
    )
    factor = design.factors[0]
    assert (factor.column, factor.codes, factor.levels) == ("intermed", ("low", "high"), (0.2, 0.8))
    assert design.effects[0].low == 0.2 and design.effects[0].high == 0.8


def test_the_codebook_form_of_a_design_loads_back_to_the_same_conditions(tmp_path):
    from sim.vignette.design import design_from_data

    design = load_design(STUDIES / "intermediation_by_cause.toml")
    again = design_from_data(design.to_dict(), "codebook", STUDIES)
    assert [c.levels for c in again.cells] == [c.levels for c in design.cells]
    assert [c.story for c in again.cells] == [c.story for c in design.cells]
    assert again.measures == design.measures and again.effects == design.effects


BAD = [
    (
        '"aggregator.intermediation" = [0.2, 0.8]',
        '"aggregator.intermedation" = [0.2, 0.8]',
        "factors.aggregator.intermedation: not a scenario parameter or story attribute; "
        "did you mean 'aggregator.intermediation'?",
    ),
    (
        '"aggregator.intermediation" = [0.2, 0.8]',
        '"aggregator.intermediation" = [0.2, 1.8]',
        "factors.aggregator.intermediation: level 1.8:",
    ),
    (
        '"aggregator.intermediation" = [0.2, 0.8]',
        '"failure.cause" = ["provider", "rain"]',
        "factors.failure.cause: level 'rain': input should be",
    ),
    (
        '"aggregator.intermediation" = [0.2, 0.8]',
        '"aggregator.intermediation" = [0.2]',
        "factors.aggregator.intermediation: expected at least two different levels",
    ),
    (
        'construct = "perceived_control"',
        'construct = "trust"',
        "measures.control.construct: expected one of perceived_control,",
    ),
    ("reliability = 0.85", "reliability = 1.2", "measures.control.reliability: expected a number"),
    ("items = 3", "items = 0", "measures.control.items: expected a number of items"),
    (
        "points = 7",
        "points = 7\nthresholds = [0.5, 0.2]",
        "measures.control.thresholds: expected 6",
    ),
    (
        'measure = "control"',
        'measure = "trust"',
        "effects.P1.measure: expected one of the measures",
    ),
    (
        'factor = "aggregator.intermediation"',
        'factor = "failure.cause"',
        "effects.P1.factor: expected one of the factors",
    ),
    ("seed = 11", "seed = 11\nreplications = 3", "replications: not a key of this table"),
    ("respondents_per_cell = 40", "respondents_per_cell = 1", "respondents_per_cell: expected a"),
    ("respondents_per_cell = 40", 'subjects = "mixed"', "subjects: expected 'between' or"),
    ("seed = 11", 'seed = 11\nscenario = "missing.toml"', "scenario: no such file"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD)
def test_a_bad_design_is_one_line_naming_the_file_and_the_key(write_design, old, new, message):
    path = write_design(TWO_CELLS.replace(old, new))
    with pytest.raises(UserError) as raised:
        load_design(path)
    text = str(raised.value)
    assert "\n" not in text and message in text, text
    assert str(path.name) in text


def test_a_design_without_factors_or_measures_says_what_to_add(write_design):
    no_factors = TWO_CELLS.replace('"aggregator.intermediation" = [0.2, 0.8]', "")
    with pytest.raises(UserError, match="factors: expected at least one factor"):
        load_design(write_design(no_factors))
    no_measures = TWO_CELLS[: TWO_CELLS.index("[measures.control]")]
    with pytest.raises(UserError, match="measures: expected at least one measure"):
        load_design(write_design(no_measures))


def test_a_within_design_cannot_change_who_the_respondent_is(write_design):
    within = TWO_CELLS.replace("seed = 11", 'seed = 11\nsubjects = "within"').replace(
        '"aggregator.intermediation" = [0.2, 0.8]', '"customers.individualism" = [0.2, 0.8]'
    )
    with pytest.raises(UserError, match="customers.individualism: a respondent's own traits"):
        load_design(write_design(within))
