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
        ("customer_churn_rate", 0.05, 0.40),
    ],
)
def test_the_baseline_is_plausible(baseline_kpis, kpi, low, high):
    for row in baseline_kpis:
        assert low <= row[kpi] <= high, (kpi, row[kpi])


def test_every_failure_class_occurs_on_the_baseline(baseline_kpis):
    for row in baseline_kpis:
        for name in ("glitch", "no_supply", "provider_fault", "external"):
            assert row[f"failures_class_{name}"] > 20, name
        assert row["providers_suspended"] > 0 and row["providers_exited"] > 0
        assert row["providers_onboarded"] > 0 and row["customers_acquired"] > 0
