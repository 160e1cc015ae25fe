"""Fitting the judgement model to a vignette dataset (MODEL.md 12.6): coefficients known to the
simulation are recovered within their CIs, a coefficient knocked out is found to be zero, and
what the design cannot identify is said in one line."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

from sim.errors import UserError
from sim.vignette.design import load_design
from sim.vignette.fit import fit_judgements, identified_parameters
from sim.vignette.simulate import simulate_study
from tests.vignette.conftest import STUDIES, TWO_CELLS

TWO_BY_TWO = STUDIES / "intermediation_by_cause.toml"
#: Coefficients away from the defaults the fit starts from.
TRUTH = {
    "attribution.intermediation_weight": 2.0,
    "attribution.share_slope": 4.0,
    "compensation.responsibility_elasticity": 1.5,
    "punishment.aggregator_responsibility_weight": 1.5,
}


def true_values(design) -> dict[str, float]:
    return {
        key: getattr(getattr(design.scenario, key.split(".")[0]), key.split(".")[1])
        for key in identified_parameters(design)
    }


def simulated(seed: int, respondents: int):
    """A study simulated with the known coefficients, and the design the fit starts from (the
    defaults)."""
    truth = load_design(TWO_BY_TWO, [f"{k}={v}" for k, v in TRUTH.items()])
    study = simulate_study(truth.with_seed(seed).with_respondents(respondents))
    return study.data, load_design(TWO_BY_TWO), true_values(truth)


def test_the_two_by_two_design_identifies_the_coefficients_of_all_four_propositions():
    assert identified_parameters(load_design(TWO_BY_TWO)) == [
        "attribution.intercept",
        "attribution.intermediation_weight",
        "attribution.control_weight",
        "attribution.blame_base",
        "attribution.share_slope",
        "compensation.accepted_factor",
        "compensation.responsibility_elasticity",
        "punishment.intercept",
        "punishment.aggregator_responsibility_weight",
        "punishment.provider_responsibility_weight",
    ]


def test_a_large_study_gives_the_known_coefficients_back(write_design):
    """The round trip, small: one study of perceived control and responsibility."""
    two_by_two = TWO_CELLS.replace(
        "[0.2, 0.8]", '[0.2, 0.8]\n"failure.cause" = ["provider", "aggregator"]'
    ).replace('measure = "control"', 'measure = "responsibility"') + (
        '\n[measures.responsibility]\nconstruct = "aggregator_responsibility"\n'
    )
    path = write_design(two_by_two)
    truth = load_design(path, ["attribution.intermediation_weight=2", "attribution.share_slope=4"])
    data = simulate_study(truth.with_respondents(300)).data
    table = fit_judgements(data, load_design(path)).table.set_index("parameter")
    for key, value in true_values(truth).items():
        row = table.loc[key]
        # 3 standard errors: each coefficient falls outside by chance 3 times in 1,000
        assert abs(row.estimate - value) < 3 * row.se, (key, row.estimate, value, row.se)
    moved = table.loc["attribution.intermediation_weight"]
    assert abs(moved.estimate - 1.5) > 2 * moved.se, "the fit left the default for the truth"


def coverage_of_one_study(seed: int) -> list[bool]:
    data, start, truth = simulated(seed=seed, respondents=300)
    table = fit_judgements(data, start, pool=200).table.set_index("parameter")
    return [
        table.loc[key].ci_low <= value <= table.loc[key].ci_high for key, value in truth.items()
    ]


@pytest.mark.slow
def test_the_round_trip_recovers_the_coefficients_within_their_cis_in_nine_studies_of_ten():
    with ProcessPoolExecutor(2) as pool:
        inside = [
            hit for study in pool.map(coverage_of_one_study, range(1000, 1020)) for hit in study
        ]
    # 20 studies x 10 coefficients; at the nominal 95% fewer than 90% inside has chance 0.3%
    assert np.mean(inside) >= 0.9, np.mean(inside)


@pytest.mark.slow
def test_with_intermediation_knocked_out_the_fit_finds_no_effect_of_it(write_design):
    path = write_design(
        TWO_CELLS.replace("[0.2, 0.8]", '[0.2, 0.8]\n"failure.cause" = ["provider", "aggregator"]')
    )
    knocked_out = load_design(path, ["attribution.intermediation_weight=0"])
    data = simulate_study(knocked_out.with_respondents(300)).data
    row = (
        fit_judgements(data, load_design(path))
        .table.set_index("parameter")
        .loc["attribution.intermediation_weight"]
    )
    assert row.ci_low < 0 < row.ci_high and row.ci_high < 1.5


@pytest.mark.slow
def test_a_coefficient_the_design_cannot_identify_is_one_line(write_design):
    path = write_design(TWO_CELLS)
    data = simulate_study(load_design(path)).data
    with pytest.raises(UserError, match="do not identify"):
        fit_judgements(
            data, load_design(path), ["attribution.intercept", "attribution.brand_weight"]
        )


@pytest.mark.slow
def test_a_within_subjects_dataset_is_fitted_respondent_by_respondent(write_design):
    path = write_design(TWO_CELLS.replace("seed = 11", 'seed = 11\nsubjects = "within"'))
    truth = load_design(path, ["attribution.intermediation_weight=2.5"])
    data = simulate_study(truth.with_respondents(300)).data
    fitted = fit_judgements(data, load_design(path), pool=200).table.set_index("parameter")
    row = fitted.loc["attribution.intermediation_weight"]
    assert abs(row.estimate - 2.5) < 3 * row.se and row.ci_low > 1.5
    shuffled = data.sample(frac=1.0, random_state=3)  # rows in any order: paired by respondent
    again = fit_judgements(shuffled, load_design(path), pool=200).table.set_index("parameter")
    pd.testing.assert_frame_equal(again, fitted)
