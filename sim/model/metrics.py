"""Running totals of a replication, turned into KPIs and a daily time series (MODEL.md 7.1, 7.2).

Everything is aggregated as the run goes (sums and counts), so memory stays flat however long
the horizon. Only orders placed after the warm-up are counted; an order placed in the counted
window is followed to its end and counted wholly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.model.kpis import CAUSES, FAILURE_CLASSES, kpi_columns, kpis, ratio
from sim.model.relationship import STAGES

__all__ = ["CAUSES", "FAILURE_CLASSES", "KPI_COLUMNS", "EndState", "kpi_row"]

#: KPI columns of ``replications.csv`` as built in, in order (MODEL.md 7.1; the registry,
#: :mod:`sim.model.kpis`, is their source).
KPI_COLUMNS: tuple[str, ...] = kpi_columns()

#: Columns of the daily time series (MODEL.md 7.2).
TIMESERIES_COLUMNS: tuple[str, ...] = (
    "replication",
    "day",
    "orders",
    "failures",
    *(f"failures_cause_{cause}" for cause in CAUSES),
    "mean_aggregator_responsibility",
    "mean_provider_responsibility",
    "mean_expected_compensation_share",
    "compensation_paid",
    "complaints",
    "customers_churned",
    "customers_acquired",
    "customers_active",
    "providers_active",
    "disruption",
    *(f"stage_{stage}" for stage in STAGES),
)


@dataclass
class DailyCounts:
    """What happened during one day; reset by the observer every midnight."""

    orders: int = 0
    failures: int = 0
    failures_cause_aggregator: int = 0
    failures_cause_provider: int = 0
    failures_cause_external: int = 0
    sum_aggregator_responsibility: float = 0.0
    sum_provider_responsibility: float = 0.0
    provider_failures: int = 0
    sum_expected_compensation_share: float = 0.0
    compensation_paid: float = 0.0
    complaints: int = 0
    customers_churned: int = 0
    customers_acquired: int = 0


@dataclass
class Totals:
    """Running sums over the counted window of a replication."""

    orders: int = 0
    delivered: int = 0
    failures: int = 0
    failures_cause_aggregator: int = 0
    failures_cause_provider: int = 0
    failures_cause_external: int = 0
    failures_class_glitch: int = 0
    failures_class_no_supply: int = 0
    failures_class_provider_fault: int = 0
    failures_class_external: int = 0
    sum_perceived_control: float = 0.0
    sum_aggregator_responsibility: float = 0.0
    sum_provider_responsibility: float = 0.0
    provider_failures: int = 0  # failures with a provider to judge
    sum_expected_compensation: float = 0.0
    sum_expected_compensation_share: float = 0.0
    sum_expected_punishment: float = 0.0
    sum_punishment_gap: float = 0.0
    complaints: int = 0
    recoveries: int = 0
    apologies: int = 0
    resolved_episodes: int = 0
    sum_post_recovery_satisfaction: float = 0.0
    paradoxes: int = 0
    ratings: int = 0
    low_ratings: int = 0
    unfair_low_ratings: int = 0
    peak_trips: int = 0  # served orders placed in peak hours
    peak_trips_voiced: int = 0  # of those, with a low rating or a complaint
    compensation_paid: float = 0.0
    commission_revenue: float = 0.0
    fines_collected: float = 0.0
    chargebacks_collected: float = 0.0
    provider_earnings: float = 0.0
    customer_payments: float = 0.0
    customers_acquired: int = 0
    customers_churned: int = 0
    customers_left_after_failure: int = 0  # of the churned, those a failure made leave (5.15)
    providers_onboarded: int = 0
    providers_exited: int = 0
    kam_cost: float = 0.0  # key-account management (MODEL.md 14.2)
    kam_account_days: int = 0
    # the key-account segment's share of the counts above (the general segment's is the rest)
    key_account_customers_acquired: int = 0
    key_account_customers_churned: int = 0
    key_account_resolved_episodes: int = 0
    key_account_sum_post_recovery_satisfaction: float = 0.0


@dataclass(frozen=True)
class EndState:
    """What the KPIs need besides the running totals: the replication and the state of the
    world at the start of the counted window and at its end."""

    replication: int
    customers_initial: int
    key_account_customers_initial: int
    customers_active_end: int
    mean_satisfaction_end: float
    providers_initial: int
    providers_active_end: int
    providers_sanctioned: int
    providers_suspended: int
    providers_delisted: int
    # what customers did (MODEL.md 5.15): exposure by segment, spend concentration, and the
    # spend after orders by how they ended, relative to what each customer's base rate expects
    general_customer_quarters: float = 0.0
    key_account_customer_quarters: float = 0.0
    spend_share_top_20: float = float("nan")
    spend_after_success: float = float("nan")
    spend_after_delivered_failure: float = float("nan")
    spend_after_failure: float = float("nan")


def kpi_row(totals: Totals, end: EndState) -> dict[str, float]:
    """The KPI row of one replication (MODEL.md 7.1): every registered KPI, in column order.

    Means are over failures, except where a KPI's ``over`` says otherwise (e.g. provider
    responsibility over failures that involved a provider).
    """
    return {"replication": end.replication, **{k.name: k.compute(totals, end) for k in kpis()}}


def daily_row(
    counts: DailyCounts,
    replication: int,
    day: int,
    customers_active: int,
    providers_active: int,
    *,
    disruption: bool,
    stage_counts: dict[str, int],
) -> tuple:
    """One row of the daily time series, in :data:`TIMESERIES_COLUMNS` order."""
    c = counts
    return (
        replication,
        day,
        c.orders,
        c.failures,
        c.failures_cause_aggregator,
        c.failures_cause_provider,
        c.failures_cause_external,
        ratio(c.sum_aggregator_responsibility, c.failures),
        ratio(c.sum_provider_responsibility, c.provider_failures),
        ratio(c.sum_expected_compensation_share, c.failures),
        c.compensation_paid,
        c.complaints,
        c.customers_churned,
        c.customers_acquired,
        customers_active,
        providers_active,
        disruption,
        *(stage_counts.get(stage, 0) for stage in STAGES),
    )
