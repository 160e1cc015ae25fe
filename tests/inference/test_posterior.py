from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.errors import UserError
from sim.experiments.posterior import (
    FILE,
    Posterior,
    weighted_quantile,
)
from sim.inference.priors import PRIORS
from sim.scenario import Scenario

LAMBDA = "retention.intention_conversion"


def posterior(values, weights) -> Posterior:
    return Posterior(pd.DataFrame({LAMBDA: values, "weight": weights}))


def test_weighted_quantiles_of_equal_weights_are_the_sample_quantiles():
    x = np.random.default_rng(3).normal(size=2001)
    for q in (0.05, 0.5, 0.95):
        assert weighted_quantile(x, np.ones_like(x), q) == pytest.approx(
            np.quantile(x, q), abs=0.01
        )


def test_a_weighted_quantile_follows_the_weights():
    # Nine tenths of the weight on 1: the median is 1, whatever the other values.
    assert weighted_quantile(np.array([0.0, 1.0, 5.0]), np.array([0.05, 0.9, 0.05]), 0.5) == 1.0


def test_summary_gives_the_credible_interval_and_its_share_of_the_prior():
    x = np.linspace(0.2, 0.4, 1001)
    summary = posterior(x, np.ones_like(x)).summary({p.key: p for p in PRIORS}, Scenario())
    row = summary.iloc[0]
    assert row.ci_low == pytest.approx(0.21, abs=0.002)
    assert row.ci_high == pytest.approx(0.39, abs=0.002)
    assert row.share_of_prior == pytest.approx(0.18, abs=0.005)  # λ's prior spans 0 to 1
    assert row.scenario_value == pytest.approx(Scenario().retention.intention_conversion)


def test_draws_follow_the_weights_and_never_take_a_weightless_particle():
    p = posterior([0.1, 0.5, 0.9], [0.0, 3.0, 1.0])
    rng = np.random.default_rng(1)
    drawn = [p.draw(rng)[LAMBDA] for _ in range(4000)]
    assert 0.1 not in drawn
    assert np.mean(np.array(drawn) == 0.5) == pytest.approx(0.75, abs=0.03)


def test_a_posterior_written_is_read_back(tmp_path: Path):
    p = posterior([0.1, 0.5], [0.25, 0.75])
    p.write(tmp_path)
    assert (tmp_path / FILE).is_file()
    for path in (tmp_path, tmp_path / FILE):
        pd.testing.assert_frame_equal(Posterior.read(path).particles, p.particles)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (pd.DataFrame({LAMBDA: [0.2]}), "expected a column 'weight'"),
        (pd.DataFrame({LAMBDA: [0.2], "weight": [-1.0]}), "expected weights ≥ 0"),
        (pd.DataFrame({"retention.nothing": [0.2], "weight": [1.0]}), "not a parameter"),
        (pd.DataFrame({LAMBDA: [1.5], "weight": [1.0]}), "expected a number from 0 to 1"),
    ],
)
def test_a_malformed_posterior_names_the_file_the_column_and_what_is_expected(
    tmp_path: Path, table: pd.DataFrame, expected: str
):
    table.to_parquet(tmp_path / FILE)
    with pytest.raises(UserError, match=expected) as raised:
        Posterior.read(tmp_path)
    assert str(tmp_path / FILE) in str(raised.value)


def test_a_missing_or_unreadable_posterior_is_the_users_error(tmp_path: Path):
    with pytest.raises(UserError, match="expected posterior.parquet"):
        Posterior.read(tmp_path)
    (tmp_path / FILE).write_text("not parquet")
    with pytest.raises(UserError, match="not a Parquet file"):
        Posterior.read(tmp_path)
