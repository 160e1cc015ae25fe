"""Choosing the warm-up: MSER-5 on the daily series of pilot runs (MODEL.md 4, 10).

A run starts from an artificial state (every customer present at once, the providers' ratings
empty); what happens before the model has forgotten that state is a start-up transient, not the
platform under study. MSER-5 (White 1997; White, Cobb & Spratt 2000; Hoad, Robinson & Davies 2010
recommend it among 40 warm-up methods) truncates a series at the point that minimises the squared
standard error of the mean of what remains, computed on batch means of five observations::

    MSER(d) = Σ_{i>d} (Y_i − Ȳ_d)² / (n − d)²       over batches i = 1..n, d ≤ n/2

The warm-up chosen for a scenario is the largest truncation over the series that carry the
transient (:data:`SERIES`), each averaged over pilot replications.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.scenario import Scenario

BATCH = 5

#: Daily series whose start-up transient the warm-up removes: per-order rates, so that a trend
#: in the number of customers (which no warm-up can remove) does not count as a transient.
SERIES: tuple[str, ...] = (
    "failure_rate",
    "platform_failure_rate",
    "complaints_per_failure",
    "mean_aggregator_responsibility",
)

#: Pilot replications and the pilot's horizon beyond the scenario's own.
PILOT_REPLICATIONS = 4
PILOT_EXTRA_DAYS = 60.0


def mser(values: Sequence[float], batch: int = BATCH) -> int:
    """MSER-``batch`` truncation point, in observations (a multiple of ``batch``).

    Batches of ``batch`` consecutive values are averaged; the truncation ``d`` (in batches, at
    most half of them) that minimises ``Σ_{i>d}(Y_i − Ȳ_d)² / (n − d)²`` is returned as
    ``d × batch``. Series shorter than two batches are not truncated.
    """
    y = np.asarray(values, dtype=float)
    y = y[: len(y) // batch * batch]
    if y.size < 2 * batch or not np.isfinite(y).all():
        return 0
    means = y.reshape(-1, batch).mean(axis=1)
    n = means.size
    best, best_d = np.inf, 0
    for d in range(n // 2 + 1):
        rest = means[d:]
        statistic = float(((rest - rest.mean()) ** 2).sum() / (n - d) ** 2)
        if statistic < best - 1e-15:
            best, best_d = statistic, d
    return best_d * batch


def daily_rates(timeseries: pd.DataFrame) -> pd.DataFrame:
    """The :data:`SERIES` of a time-series table, averaged over replications, one row per day."""
    days = timeseries.groupby("day").sum(numeric_only=True)
    orders = days.orders.where(days.orders > 0)
    failures = days.failures.where(days.failures > 0)
    responsibility = timeseries.groupby("day").mean_aggregator_responsibility.mean()
    return pd.DataFrame(
        {
            "failure_rate": days.failures / orders,
            "platform_failure_rate": days.failures_cause_aggregator / orders,
            "complaints_per_failure": days.complaints / failures,
            "mean_aggregator_responsibility": responsibility,
        }
    )


@dataclass(frozen=True)
class WarmupChoice:
    """The warm-up chosen for a scenario and how: what ``manifest.json`` records."""

    method: str
    days: float
    by_series: dict[str, int]
    pilot_replications: int
    pilot_days: float


def choose_warmup(
    scenario: Scenario,
    executor: Executor | None = None,
    replications: int = PILOT_REPLICATIONS,
    extra_days: float = PILOT_EXTRA_DAYS,
) -> WarmupChoice:
    """Run pilot replications from the start (no warm-up) and choose the warm-up by MSER-5.

    The pilots run ``run.days + extra_days`` days so the truncation (at most half the series)
    can reach past any transient a run of the scenario's own length would carry. They use
    replication indices after the scenario's own, so no random numbers are shared with the run.
    """
    from sim.experiments.executors import InProcessExecutor
    from sim.experiments.runs import run_replications

    pilot_days = scenario.run.days + extra_days
    pilot = scenario.with_values(**{"run.warmup_days": 0.0, "run.days": pilot_days})
    first = scenario.run.replications
    runs = run_replications(
        pilot,
        range(first, first + replications),
        executor or InProcessExecutor(),
        trace=False,
        on_done=None,
    )
    series = daily_rates(pd.concat([r.result.timeseries for r in runs], ignore_index=True))
    by_series = {name: mser(series[name].to_numpy()) for name in SERIES}
    return WarmupChoice(
        method="MSER-5",
        days=float(max(by_series.values())),
        by_series=by_series,
        pilot_replications=replications,
        pilot_days=pilot_days,
    )
