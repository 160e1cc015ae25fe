import pandas as pd
import pytest

from sim.experiments.executors import open_executor
from sim.experiments.posterior import Posterior
from sim.inference.predictive import INSIDE, OUTSIDE, OVERLAPS, predict, predictive_table, verdict
from sim.inference.statistics import Statistic, statistics_of
from sim.validation.patterns import pattern
from tests.inference.worlds import tiny_scenario

LAMBDA = "retention.intention_conversion"
KEYS = ("spend_after_late_delivery", "consumer_churn")


def test_a_predictive_interval_is_inside_overlaps_or_misses_its_target():
    assert verdict(0.2, 0.3, 0.1, 0.4) == INSIDE
    assert verdict(0.05, 0.3, 0.1, 0.4) == OVERLAPS
    assert verdict(0.5, 0.6, 0.1, 0.4) == OUTSIDE


def test_predictions_depend_on_the_seed_not_on_the_workers():
    posterior = Posterior(pd.DataFrame({LAMBDA: [0.1, 0.6], "weight": [0.5, 0.5]}))
    found = []
    for kind, workers in (("inprocess", 1), ("process", 2)):
        with open_executor(kind, workers) as executor:
            found.append(predict(tiny_scenario(), posterior, KEYS, executor, draws=4, seed=5))
    pd.testing.assert_frame_equal(*found)
    assert set(found[0][LAMBDA]) <= {0.1, 0.6}


def test_acting_on_intentions_raises_the_predicted_churn():
    # Two posteriors concentrated on λ = 0 and λ = 1: the predicted churn follows λ, so the
    # predictions come from the drawn parameters (λ = 0 is the churn pattern's knockout side).
    churn = {}
    with open_executor("inprocess", 1) as executor:
        for value in (0.0, 1.0):
            posterior = Posterior(pd.DataFrame({LAMBDA: [value], "weight": [1.0]}))
            draws = predict(tiny_scenario(), posterior, KEYS, executor, draws=3, seed=2)
            churn[value] = draws.consumer_churn.mean()
    assert churn[1.0] > churn[0.0] + 0.05


def test_the_table_reports_intervals_on_the_targets_scale():
    surge = Statistic(pattern("surge_odds"), *pattern("surge_odds").target.bounds)
    draws = pd.DataFrame({"surge_odds": [0.1, 0.2, 0.3]})
    row = predictive_table(draws, [surge]).iloc[0]
    assert row["median"] == pytest.approx(1.2214, abs=1e-3)  # exp(0.2)
    assert row.target_low == pytest.approx(1.12) and row.target_high == pytest.approx(1.33)
    assert row.share_inside == pytest.approx(1 / 3)  # log 1.12 = 0.113 and log 1.33 = 0.285
    assert row.set == "calibration"
    churn = statistics_of([pattern("consumer_churn")])
    assert predictive_table(pd.DataFrame({"consumer_churn": [0.1]}), churn).iloc[0].set == (
        "held out"
    )
