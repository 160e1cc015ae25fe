"""A simulated vignette study (MODEL.md 12): reproducible, its respondents drawn from the
scenario's customers, and its analysis showing the propositions' directions, which vanish when
the mechanism behind them is knocked out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.vignette.analysis import anova_table, effect_table
from sim.vignette.design import load_design
from sim.vignette.simulate import simulate_study
from tests.vignette.conftest import STUDIES, TWO_CELLS

TWO_BY_TWO = STUDIES / "intermediation_by_cause.toml"


@pytest.fixture(scope="module")
def study():
    return simulate_study(load_design(TWO_BY_TWO))


def test_the_same_design_and_seed_give_the_same_dataset(study):
    again = simulate_study(load_design(TWO_BY_TWO))
    pd.testing.assert_frame_equal(again.data, study.data)
    other = simulate_study(load_design(TWO_BY_TWO).with_seed(2026))
    assert not other.data.equals(study.data)


def test_changing_a_measure_leaves_the_latent_judgements_alone(write_design):
    one = simulate_study(load_design(write_design(TWO_CELLS)))
    fewer = TWO_CELLS.replace("items = 3", "items = 5").replace("reliability = 0.85", "")
    two = simulate_study(load_design(write_design(fewer, "other.toml")))
    pd.testing.assert_frame_equal(one.latent, two.latent)
    assert list(two.data.columns[-5:]) == [f"control_{j}" for j in range(1, 6)]


def test_a_row_per_respondent_with_its_conditions_and_answers_on_the_scale(study):
    data = study.data
    assert len(data) == 240 and data.respondent.is_unique
    assert data.groupby(["aggregator_intermediation", "failure_cause"]).size().eq(60).all()
    assert (
        set(data.segment) == {"general", "key_account"} and data.individualism.between(0, 1).all()
    )
    items = data.filter(regex=r"_\d$")
    assert items.shape[1] == 12 and items.min().min() >= 1 and items.max().max() <= 7


def test_the_stated_reliability_is_near_the_alpha_of_the_answers(study):
    for name in ("control", "responsibility", "punishment"):
        assert study.alpha[name] == pytest.approx(0.85, abs=0.05)


def test_the_two_by_two_study_shows_every_proposition_in_its_direction(study):
    effects = effect_table(study.data, study.design).set_index("effect")
    assert effects.loc[["control", "P1", "P2", "P3", "P4"], "supported"].eq("yes").all()
    assert effects.loc["P4", "d_ci_high"] < 0 < effects.loc["control", "d_ci_low"]


def test_without_the_effect_of_intermediation_on_perceived_control_no_proposition_shows():
    knocked_out = load_design(TWO_BY_TWO, ["attribution.intermediation_weight=0"])
    study = simulate_study(knocked_out.with_respondents(200))
    effects = effect_table(study.data, study.design).set_index("effect")
    for name in ("control", "P2", "P3", "P4"):
        row = effects.loc[name]
        assert row.supported == "no" and row.d_ci_low < 0 < row.d_ci_high, name
    assert effects.loc["P1", "supported"] == "yes"  # the cause still moves responsibility


@pytest.mark.slow
def test_respondents_come_from_the_scenarios_customers():
    collectivist = load_design(TWO_BY_TWO, ["customers.individualism=0.1"])
    individualist = load_design(TWO_BY_TWO, ["customers.individualism=0.9"])
    expected = [
        simulate_study(d.with_respondents(200)).latent.expected_compensation.mean()
        for d in (collectivist, individualist)
    ]
    # m_cult = 0.85 + 0.35 · individualism: individualists expect about a third more
    assert expected[1] / expected[0] == pytest.approx(
        (0.85 + 0.35 * 0.9) / (0.85 + 0.035), rel=0.05
    )


def test_a_within_subjects_study_has_a_row_per_respondent_and_vignette(write_design):
    within = TWO_CELLS.replace("seed = 11", 'seed = 11\nsubjects = "within"')
    study = simulate_study(load_design(write_design(within)))
    data = study.data
    assert len(data) == 80 and data.respondent.nunique() == 40
    assert sorted(data.groupby("respondent").vignette.apply(sorted).iloc[0]) == [1, 2]
    effect = effect_table(data, study.design).iloc[0]
    assert effect.test == "paired t" and effect.n_low == effect.n_high == 40
    assert effect.supported == "yes"
    anova = anova_table(data, study.design)
    assert anova.iloc[0].df == 1 and anova.iloc[0].df_error == 39


def test_a_story_without_a_provider_leaves_its_judgements_missing(write_design):
    no_supply = TWO_CELLS.replace(
        'construct = "perceived_control"', 'construct = "provider_responsibility"'
    ).replace("[factors]", '[story]\nfailure.cause = "no_supply"\n\n[factors]')
    design = load_design(write_design(no_supply.replace("reliability = 0.85", "noise_sd = 0.1")))
    study = simulate_study(design)
    assert study.latent.provider_responsibility.isna().all()
    assert study.data.control_1.isna().all()
    assert np.isnan(study.alpha["control"])
