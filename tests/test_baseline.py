"""The default scenario is a plausible platform (issue targets on the baseline)."""

import pytest

from sim import Scenario, run_replication


@pytest.fixture(scope="module")
def baseline_kpis():
    return [run_replication(Scenario(), r).kpis for r in range(3)]


@pytest.mark.parametrize(
    ("kpi", "low", "high"),
    [
        ("failure_rate", 0.05, 0.15),
        ("complaint_rate", 0.25, 0.65),
        # 4–21% a quarter (MODEL.md 5.15) is about 2.7–14% over the baseline's 60 days
        ("customer_churn_rate", 0.027, 0.143),
    ],
)
def test_the_baseline_is_plausible(baseline_kpis, kpi, low, high):
    for row in baseline_kpis:
        assert low <= row[kpi] <= high, (kpi, row[kpi])


def test_every_failure_class_occurs_on_the_baseline(baseline_kpis):
    for row in baseline_kpis:
        for name in ("glitch", "provider_fault", "external"):
            assert row[f"failures_class_{name}"] > 20, name
        # Supply meets the baseline's demand at most hours: customers who find no provider are
        # few (2–20 in 60 days; MODEL.md 10), but there are some in every replication.
        assert row["failures_class_no_supply"] > 0
        assert row["providers_suspended"] > 0 and row["providers_exited"] > 0
        assert row["providers_onboarded"] > 0 and row["customers_acquired"] > 0


def active_customers_by_day(scenario: Scenario, replications: int = 4):
    from concurrent.futures import ProcessPoolExecutor

    import pandas as pd

    with ProcessPoolExecutor(2) as pool:
        series = pool.map(_timeseries, [(scenario, r) for r in range(replications)])
    return pd.concat(series).groupby("day").customers_active.mean()


def _timeseries(args):
    scenario, replication = args
    return run_replication(scenario, replication).timeseries


def within_ten_percent_of_day_30(active) -> bool:
    level = active.loc[30]
    return bool(((active.loc[30:] / level - 1.0).abs() <= 0.10).all())


@pytest.mark.slow
def test_the_baseline_is_a_going_concern_from_day_30_to_day_240():
    long = Scenario().with_values(**{"run.days": 240})
    assert within_ten_percent_of_day_30(active_customers_by_day(long))
    # Knockout: without new customers the base hazard and failures shrink it.
    shrinking = long.with_values(**{"acquisition.base_per_day": 0.0})
    assert not within_ten_percent_of_day_30(active_customers_by_day(shrinking))
