"""The analysis of a vignette dataset (MODEL.md 12.3): the array t-tests equal scipy's, the
partial eta squared equals the one-way ANOVA's, and the effects' verdicts follow the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.vignette.analysis import anova_table, effect_table, paired, two_sample
from sim.vignette.design import load_design
from tests.vignette.conftest import TWO_CELLS


def test_two_sample_and_paired_tests_equal_scipy():
    rng = np.random.default_rng(5)
    low, high = rng.normal(0, 1, (3, 30)), rng.normal(0.4, 1.3, (3, 30))
    ours = two_sample(low, high)
    theirs = stats.ttest_ind(high, low, axis=-1)
    np.testing.assert_allclose(ours.t, theirs.statistic)
    np.testing.assert_allclose(ours.p, theirs.pvalue)
    ours = paired(low, high)
    theirs = stats.ttest_rel(high, low, axis=-1)
    np.testing.assert_allclose(ours.t, theirs.statistic)
    np.testing.assert_allclose(ours.p, theirs.pvalue)


def fake_data(shift: float, rng) -> pd.DataFrame:
    n = 60
    level = np.repeat(["0.2", "0.8"], n)
    base = np.where(level == "0.8", 4 + shift, 4.0)
    items = np.clip(np.round(base[:, None] + rng.normal(0, 1, (2 * n, 3))), 1, 7)
    frame = pd.DataFrame(items, columns=["control_1", "control_2", "control_3"])
    frame.insert(0, "aggregator_intermediation", level)
    frame.insert(0, "respondent", np.arange(1, 2 * n + 1))
    return frame


def test_anova_eta_squared_is_that_of_a_one_way_anova(write_design):
    design = load_design(write_design(TWO_CELLS))
    data = fake_data(0.8, np.random.default_rng(6))
    row = anova_table(data, design).iloc[0]
    score = data[["control_1", "control_2", "control_3"]].mean(axis=1)
    groups = [score[data.aggregator_intermediation == v] for v in ("0.2", "0.8")]
    f_value = row["F"]
    assert f_value == pytest.approx(stats.f_oneway(*groups).statistic)
    between = sum(len(g) * (g.mean() - score.mean()) ** 2 for g in groups)
    assert row.partial_eta_squared == pytest.approx(between / ((score - score.mean()) ** 2).sum())


@pytest.mark.parametrize(("shift", "supported"), [(0.8, "yes"), (0.0, "no"), (-0.8, "no")])
def test_an_effect_is_supported_only_when_the_data_show_it_in_the_expected_direction(
    write_design, shift, supported
):
    design = load_design(write_design(TWO_CELLS))
    row = effect_table(fake_data(shift, np.random.default_rng(7)), design).iloc[0]
    assert row.supported == supported
    assert row.d_ci_low < row.d < row.d_ci_high
