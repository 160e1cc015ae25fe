"""The KPI registry: one entry per KPI reaches every output, the ranges hold on real runs, and
numbers are shown as people read them (MODEL.md 7.1)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.replication import run_replication
from sim.model import kpis
from sim.model.kpis import KPI, kpi, kpi_columns, ratio, registered
from sim.outputs.reference import check_kpi
from sim.scenario.files import load_scenario

SMALL = ["customers.count=400", "providers.count=4", "run.days=5", "run.warmup_days=0"]
CLI_SMALL = [arg for pair in (("--set", s) for s in SMALL) for arg in pair]


@pytest.mark.slow
def test_a_kpi_registered_once_reaches_every_output(tmp_path, capsys):
    dummy = KPI(
        "orders_per_failure",
        "orders per failure",
        "orders placed for each one that failed",
        "count",
        lambda t, e: ratio(t.orders, t.failures),
        over="failures",
        low=0.0,
        headline=True,
    )
    with registered(dummy):
        row = run_replication(load_scenario(None, SMALL), 0).kpis
        assert row["orders_per_failure"] == pytest.approx(row["orders"] / row["failures"])
        assert check_kpi("orders_per_failure", "--kpi") == "orders_per_failure"
        out = tmp_path / "run"
        assert main(["run", *CLI_SMALL, "--reps", "2", "--workers", "1", "--out", str(out)]) == 0
        assert "orders per failure" in capsys.readouterr().out  # the headline table
        assert "orders_per_failure" in pd.read_csv(out / "replications.csv").columns
        assert "orders_per_failure" in set(pd.read_csv(out / "summary.csv").kpi)
        assert main(["report", str(out)]) == 0
        assert "orders per failure" in (out / "report.html").read_text(encoding="utf-8")
    assert "orders_per_failure" not in kpi_columns()


def test_every_kpi_is_described_and_stays_in_its_range():
    scenario = load_scenario(None, [*SMALL, "surge.enabled=true"])
    row = run_replication(scenario, 0).kpis
    for k in kpis.kpis():
        assert k.label and k.meaning and k.unit in kpis.DECIMALS, k.name
        value = row[k.name]
        if not math.isnan(value):
            assert k.clip(value) == value, f"{k.name} = {value} outside its range"
    assert [k.name for k in kpis.main_kpis()] == [
        "mean_aggregator_responsibility",
        "mean_expected_compensation_share",
        "mean_expected_punishment",
        "customer_churn_rate",
    ]


def test_numbers_are_shown_as_people_read_them():
    churn, paid = kpi("customer_churn_rate"), kpi("compensation_paid_total")
    assert churn.show(0.09295) == "9.3%" and churn.show_difference(-0.09295) == "-9.3 pp"
    assert paid.show(14410.3) == "14,410" and paid.show_difference(14410.3) == "+14,410"
    assert kpi("providers_sanctioned").show_difference(-0.33) == "-0.3"
    assert churn.show_difference(-0.0003) == "0.0 pp"  # no sign on what rounds to zero
    assert churn.show(math.nan) == "n/a" and churn.clip(-0.13) == 0.0
    assert math.isnan(churn.clip(math.nan))  # an undefined interval stays undefined
    assert kpi("aggregator_profit").clip(-500.0) == -500.0  # a loss is a possible profit
