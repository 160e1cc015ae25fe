"""Running totals of a replication, turned into KPIs and a daily time series (MODEL.md 7.1, 7.2).

Everything is aggregated as the run goes (sums and counts), so memory stays flat however long
the horizon. Only orders placed after the warm-up are counted; an order placed in the counted
window is followed to its end and counted wholly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from sim.model.relationship import STAGES

CAUSES = ("aggregator", "provider", "external")
FAILURE_CLASSES = ("glitch", "no_supply", "provider_fault", "external")

#: KPI columns of ``replications.csv``, in order (MODEL.md 7.1, then the extra counts).
KPI_COLUMNS: tuple[str, ...] = (
    "replication",
    "orders",
    "failures",
    "failure_rate",
    "mean_perceived_control",
    "mean_aggregator_responsibility",
    "mean_provider_responsibility",
    "mean_expected_compensation",
    "mean_expected_compensation_share",
    "compensation_paid_total",
    "mean_expected_punishment",
    "complaint_rate",
    "low_rating_rate",
    "providers_sanctioned",
    "providers_exited",
    "customer_churn_rate",
    "mean_post_recovery_satisfaction",
    "aggregator_profit",
    *(f"failures_cause_{cause}" for cause in CAUSES),
    *(f"failures_class_{name}" for name in FAILURE_CLASSES),
    "mean_punishment_gap",
    "delivered",
    "recovery_rate",
    "apology_rate",
    "recovery_paradox_rate",
    "unfair_low_rating_share",
    "commission_revenue",
    "fines_collected",
    "chargebacks_collected",
    "provider_earnings",
    "customer_payments",
    "customers_initial",
    "customers_acquired",
    "customers_churned",
    "customers_active_end",
    "providers_initial",
    "providers_onboarded",
    "providers_suspended",
    "providers_delisted",
    "providers_active_end",
    "mean_satisfaction_end",
)

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


def check_kpi(name: str, source: str) -> str:
    """``name`` if it is a KPI column, else a one-line error naming the source and a close match."""
    if name in KPI_COLUMNS and name != "replication":
        return name
    import difflib

    from sim.errors import UserError

    match = difflib.get_close_matches(name, KPI_COLUMNS, n=1)
    hint = f"; did you mean {match[0]!r}?" if match else ""
    raise UserError(f"{source}: {name}: unknown KPI{hint}")


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
    compensation_paid: float = 0.0
    commission_revenue: float = 0.0
    fines_collected: float = 0.0
    chargebacks_collected: float = 0.0
    provider_earnings: float = 0.0
    customer_payments: float = 0.0
    customers_acquired: int = 0
    customers_churned: int = 0
    providers_onboarded: int = 0
    providers_exited: int = 0


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def kpi_row(
    totals: Totals,
    replication: int,
    customers_initial: int,
    customers_active_end: int,
    mean_satisfaction_end: float,
    providers_initial: int,
    providers_active_end: int,
    providers_sanctioned: int,
    providers_suspended: int,
    providers_delisted: int,
) -> dict[str, float]:
    """The KPI row of one replication (MODEL.md 7.1).

    Means are over failures, except: provider responsibility, expected punishment and the
    punishment gap are over failures that involved a provider (a glitch before matching or an
    unmatched order has no provider to judge); post-recovery satisfaction is over episodes that
    were resolved; ``low_rating_rate`` is over all ratings; ``customer_churn_rate`` is over all
    customers present in the counted window.
    """
    t = totals
    profit = (
        t.commission_revenue + t.fines_collected + t.chargebacks_collected - t.compensation_paid
    )
    row: dict[str, float] = {
        "replication": replication,
        "orders": t.orders,
        "failures": t.failures,
        "failure_rate": _ratio(t.failures, t.orders),
        "mean_perceived_control": _ratio(t.sum_perceived_control, t.failures),
        "mean_aggregator_responsibility": _ratio(t.sum_aggregator_responsibility, t.failures),
        "mean_provider_responsibility": _ratio(t.sum_provider_responsibility, t.provider_failures),
        "mean_expected_compensation": _ratio(t.sum_expected_compensation, t.failures),
        "mean_expected_compensation_share": _ratio(t.sum_expected_compensation_share, t.failures),
        "compensation_paid_total": t.compensation_paid,
        "mean_expected_punishment": _ratio(t.sum_expected_punishment, t.provider_failures),
        "complaint_rate": _ratio(t.complaints, t.failures),
        "low_rating_rate": _ratio(t.low_ratings, t.ratings),
        "providers_sanctioned": providers_sanctioned,
        "providers_exited": t.providers_exited,
        "customer_churn_rate": _ratio(
            t.customers_churned, customers_initial + t.customers_acquired
        ),
        "mean_post_recovery_satisfaction": _ratio(
            t.sum_post_recovery_satisfaction, t.resolved_episodes
        ),
        "aggregator_profit": profit,
    }
    for name in (f.name for f in fields(Totals)):
        if name.startswith("failures_c"):
            row[name] = getattr(t, name)
    row.update(
        mean_punishment_gap=_ratio(t.sum_punishment_gap, t.provider_failures),
        delivered=t.delivered,
        recovery_rate=_ratio(t.recoveries, t.failures),
        apology_rate=_ratio(t.apologies, t.failures),
        recovery_paradox_rate=_ratio(t.paradoxes, t.resolved_episodes),
        unfair_low_rating_share=_ratio(t.unfair_low_ratings, t.low_ratings),
        commission_revenue=t.commission_revenue,
        fines_collected=t.fines_collected,
        chargebacks_collected=t.chargebacks_collected,
        provider_earnings=t.provider_earnings,
        customer_payments=t.customer_payments,
        customers_initial=customers_initial,
        customers_acquired=t.customers_acquired,
        customers_churned=t.customers_churned,
        customers_active_end=customers_active_end,
        providers_initial=providers_initial,
        providers_onboarded=t.providers_onboarded,
        providers_suspended=providers_suspended,
        providers_delisted=providers_delisted,
        providers_active_end=providers_active_end,
        mean_satisfaction_end=mean_satisfaction_end,
    )
    return {column: row[column] for column in KPI_COLUMNS}


def daily_row(
    counts: DailyCounts,
    replication: int,
    day: int,
    customers_active: int,
    providers_active: int,
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
        _ratio(c.sum_aggregator_responsibility, c.failures),
        _ratio(c.sum_provider_responsibility, c.provider_failures),
        _ratio(c.sum_expected_compensation_share, c.failures),
        c.compensation_paid,
        c.complaints,
        c.customers_churned,
        c.customers_acquired,
        customers_active,
        providers_active,
        disruption,
        *(stage_counts.get(stage, 0) for stage in STAGES),
    )
