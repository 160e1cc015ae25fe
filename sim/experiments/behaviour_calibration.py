"""Calibration of what customers do against field evidence on platforms (MODEL.md 5.15).

What customers say is held to TARP's survey (:mod:`sim.experiments.tarp_calibration`); what they do
is held to
behaviour: Halperin, Ho, List & Muir (2022) found that Uber riders whose ride arrived more than
five minutes late spent about 5–10% less on the platform afterwards. The model's counterpart is
the KPI ``spend_loss_after_flawed_delivery``: the spend in the 30 days after a failed order that
was still delivered, against after a success (``sim.model.customer_base``).

:func:`fit_conversion` finds the share of the stated intention to leave that customers act on,
``retention.intention_conversion`` (λ), that puts it at :data:`TARGET`, the middle of that range,
by bisection on common random numbers; :func:`customer_base` summarises a scenario's customer
base with 95% intervals over replications. ``python -m sim.experiments.behaviour_calibration``
prints the summary of the defaults and, with ``--fit``, refits λ.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import pandas as pd

from sim.experiments.executors import open_executor
from sim.experiments.replication import run_replication
from sim.outputs.statistics import summarise
from sim.scenario import Scenario

#: Halperin et al. (2022): a late ride lowered later spending by about 5–10%.
FIELD_RANGE = (0.05, 0.10)
TARGET = sum(FIELD_RANGE) / 2

#: The counted days and replications behind a summary and behind each step of the fit.
DAYS = 90.0
REPLICATIONS = 8

#: What :func:`customer_base` reports, in order.
MEASURES = (
    "spend_loss_after_flawed_delivery",
    "spend_loss_after_failure",
    "quarterly_churn_rate",
    "general_quarterly_churn_rate",
    "key_account_quarterly_churn_rate",
    "failure_churn_share",
    "spend_share_top_20",
)

PARAMETER = "retention.intention_conversion"


def _kpis(args: tuple[Scenario, int]) -> dict[str, float]:
    scenario, replication = args
    return run_replication(scenario, replication).kpis


def replications(
    scenario: Scenario, replications: int = REPLICATIONS, workers: int = 1
) -> pd.DataFrame:
    """The KPI rows of ``replications`` of ``scenario`` over :data:`DAYS` counted days (on
    ``workers`` processes; the rows do not depend on how many)."""
    scenario = scenario.with_values(**{"run.days": DAYS})
    jobs = [(scenario, r) for r in range(replications)]
    with open_executor("process", workers) as pool:
        rows = list(pool.map(_kpis, jobs))
    return pd.DataFrame(rows)


def customer_base(
    scenario: Scenario | None = None, replications_: int = REPLICATIONS, workers: int = 1
) -> pd.DataFrame:
    """The scenario's customer base — spend lost after failures, churn per quarter, the share
    of churn that follows a failure, the spend of the top 20% — with means and 95% intervals."""
    rows = replications(scenario or Scenario(), replications_, workers)
    return summarise(rows[list(MEASURES)]).set_index("kpi")


def fit_conversion(
    scenario: Scenario | None = None,
    replications_: int = REPLICATIONS,
    workers: int = 2,
    tolerance: float = 0.002,
) -> float:
    """The λ that puts the mean spend lost after a delivered failure at :data:`TARGET`.

    The spend lost grows with λ (more of what is said is done); bisection on [0, 1] with the same
    random numbers at every step, until the loss is within ``tolerance`` of the target.
    """
    scenario = scenario or Scenario()

    def loss(conversion: float) -> float:
        rows = replications(scenario.with_values(**{PARAMETER: conversion}), replications_, workers)
        return float(rows.spend_loss_after_flawed_delivery.mean()) - TARGET

    low, high = 0.0, 1.0
    middle = scenario.retention.intention_conversion
    while True:
        error = loss(middle)
        if abs(error) <= tolerance or high - low < 1e-3:
            return middle
        low, high = (middle, high) if error < 0 else (low, middle)
        middle = (low + high) / 2


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The calibration of what customers do.")
    parser.add_argument("--fit", action="store_true", help=f"refit {PARAMETER}")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    args = parser.parse_args(argv)
    scenario = Scenario()
    if args.fit:
        fitted = fit_conversion(scenario, workers=args.workers)
        print(f"{PARAMETER} = {fitted:.4g}")
        scenario = scenario.with_values(**{PARAMETER: fitted})
    pd.set_option("display.width", 140)
    print(customer_base(scenario, workers=args.workers).to_string(float_format="{:.4f}".format))


if __name__ == "__main__":
    main()
