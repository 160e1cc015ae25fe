"""The KPI registry: every KPI of a replication, once (MODEL.md 7.1).

Each entry says what the KPI is — its column name, a label for people, its meaning, unit and
range, what it is a mean or count over, whether it is a headline or a main KPI — and how it is
computed from the replication's running totals. The KPI row, the list of columns, the tables and
figures that show "the headline KPIs" or "the main KPIs", the labels of reports and stories, the
check of ``--kpi`` names and the range a plot is clipped to all come from here: adding a KPI is
one entry (and, if it needs one, a running total in :class:`sim.model.metrics.Totals`).

Replications are combined by their mean, with a Student-t interval
(``sim.outputs.statistics.summarise``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.scenario.kinds import CAUSES, FAILURE_CLASSES

if TYPE_CHECKING:
    from sim.model.metrics import EndState, Totals

CAUSE_LABELS = {
    "aggregator": "failures the platform caused",
    "provider": "failures the provider caused",
    "external": "failures from outside events",
}

#: Units, and the decimals a value in each is shown with (counts and amounts of 100 or more are
#: shown whole).
DECIMALS = {"share": 1, "score": 2, "count": 1, "currency": 2, "currency per order": 2}


@dataclass(frozen=True)
class KPI:
    """One KPI: a column of ``replications.csv``."""

    name: str
    label: str
    meaning: str
    unit: str  # a key of DECIMALS
    compute: Callable[[Totals, EndState], float]
    over: str = ""  # what a mean or share is over ("failures", "orders", ...)
    low: float | None = None  # the KPI's possible range, for plots
    high: float | None = None
    headline: bool = False  # in the terminal table, reports and comparisons
    main: bool = False  # in the sweep figures and the default sensitivity analysis

    def show(self, value: float) -> str:
        """The value as people read it: a percentage for shares, no scientific notation."""
        return self._format(value, "", "%" if self.unit == "share" else "")

    def show_difference(self, value: float, signed: bool = True) -> str:
        """A difference between two values of the KPI: percentage points for shares, with its
        sign unless ``signed`` is false (a difference that rounds to zero has no sign)."""
        return self._format(value, "+" if signed else "", " pp" if self.unit == "share" else "")

    def _format(self, value: float, sign: str, suffix: str) -> str:
        if value is None or math.isnan(value):
            return "n/a"
        if self.unit == "share":
            value *= 100
        decimals = DECIMALS[self.unit]
        if self.unit in ("count", "currency") and abs(value) >= 100:
            decimals = 0
        if round(value, decimals) == 0:
            value, sign = 0.0, ""
        return f"{value:{sign},.{decimals}f}{suffix}"

    def clip(self, value: float) -> float:
        """The value limited to the KPI's range (e.g. a CI bound of a share below 0); NaN stays
        NaN."""
        if math.isnan(value):
            return value
        if self.low is not None:
            value = max(self.low, value)
        if self.high is not None:
            value = min(self.high, value)
        return value


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def _share(name: str, label: str, meaning: str, compute, over: str, **flags) -> KPI:
    return KPI(name, label, meaning, "share", compute, over, 0.0, 1.0, **flags)


def _score(name: str, label: str, meaning: str, compute, over: str, **flags) -> KPI:
    return KPI(name, label, meaning, "score", compute, over, 0.0, 1.0, **flags)


def _count(name: str, label: str, meaning: str, compute, **flags) -> KPI:
    return KPI(name, label, meaning, "count", compute, "", 0.0, None, **flags)


def _money(name: str, label: str, meaning: str, compute, low: float | None = 0.0, **flags) -> KPI:
    return KPI(name, label, meaning, "currency", compute, "", low, None, **flags)


def _profit(t: Totals, e: EndState) -> float:
    return (
        t.commission_revenue
        + t.fines_collected
        + t.chargebacks_collected
        - t.compensation_paid
        - t.kam_cost
    )


def _general_churn(t: Totals, e: EndState) -> float:
    present = e.customers_initial - e.key_account_customers_initial
    present += t.customers_acquired - t.key_account_customers_acquired
    return ratio(t.customers_churned - t.key_account_customers_churned, present)


def quarterly_churn(churned: float, customer_quarters: float) -> float:
    """The chance of leaving within a quarter at the observed hazard: ``1 − exp(−churned ÷
    customer-quarters)`` (MODEL.md 5.15)."""
    return 1.0 - math.exp(-churned / customer_quarters) if customer_quarters > 0 else math.nan


def spend_loss(after: float, after_success: float) -> float:
    """How much less is spent after an order of one kind than after a success, relative."""
    return 1.0 - ratio(after, after_success)


def _general_satisfaction(t: Totals, e: EndState) -> float:
    return ratio(
        t.sum_post_recovery_satisfaction - t.key_account_sum_post_recovery_satisfaction,
        t.resolved_episodes - t.key_account_resolved_episodes,
    )


BUILT_IN: tuple[KPI, ...] = (
    _count(
        "orders",
        "orders",
        "orders placed in the counted window",
        lambda t, e: t.orders,
        headline=True,
    ),
    _count("failures", "failures", "orders that failed", lambda t, e: t.failures),
    _share(
        "failure_rate",
        "failure rate",
        "share of orders that failed",
        lambda t, e: ratio(t.failures, t.orders),
        "orders",
        headline=True,
    ),
    _score(
        "mean_perceived_control",
        "perceived platform control",
        "how much customers see the platform as able to have prevented the failure",
        lambda t, e: ratio(t.sum_perceived_control, t.failures),
        "failures",
        headline=True,
    ),
    _score(
        "mean_aggregator_responsibility",
        "platform responsibility",
        "responsibility for the failure customers assign to the platform",
        lambda t, e: ratio(t.sum_aggregator_responsibility, t.failures),
        "failures",
        headline=True,
        main=True,
    ),
    _score(
        "mean_provider_responsibility",
        "provider responsibility",
        "responsibility for the failure customers assign to the provider",
        lambda t, e: ratio(t.sum_provider_responsibility, t.provider_failures),
        "failures with a provider",
        headline=True,
    ),
    KPI(
        "mean_expected_compensation",
        "expected compensation",
        "compensation customers expect from the platform",
        "currency per order",
        lambda t, e: ratio(t.sum_expected_compensation, t.failures),
        "failures",
        0.0,
        None,
    ),
    KPI(
        "mean_expected_compensation_share",
        "expected compensation (share of price)",
        "compensation customers expect from the platform, as a share of the order's price",
        "share",
        lambda t, e: ratio(t.sum_expected_compensation_share, t.failures),
        "failures",
        0.0,
        None,
        headline=True,
        main=True,
    ),
    _money(
        "compensation_paid_total",
        "compensation paid",
        "compensation the platform paid",
        lambda t, e: t.compensation_paid,
        headline=True,
    ),
    _score(
        "mean_expected_punishment",
        "expected punishment of providers",
        "punishment customers expect the platform to impose on the provider",
        lambda t, e: ratio(t.sum_expected_punishment, t.provider_failures),
        "failures with a provider",
        headline=True,
        main=True,
    ),
    _share(
        "complaint_rate",
        "complaint rate",
        "share of failures complained about",
        lambda t, e: ratio(t.complaints, t.failures),
        "failures",
        headline=True,
    ),
    _share(
        "low_rating_rate",
        "low-rating rate",
        "share of ratings of 2 stars or fewer",
        lambda t, e: ratio(t.low_ratings, t.ratings),
        "ratings",
        headline=True,
    ),
    _share(
        "peak_trip_voice_rate",
        "voice per peak-hour trip",
        "share of the orders served in peak hours whose provider got a low rating or a "
        "complaint (surge-priced when surge pricing is on; Xu, Wei & Zhu 2025's complaints per "
        "trip)",
        lambda t, e: ratio(t.peak_trips_voiced, t.peak_trips),
        "orders served in peak hours",
    ),
    _count(
        "providers_sanctioned",
        "providers sanctioned",
        "providers warned, suspended or delisted",
        lambda t, e: e.providers_sanctioned,
        headline=True,
    ),
    _count(
        "providers_exited",
        "providers who left",
        "providers who quit the platform",
        lambda t, e: t.providers_exited,
        headline=True,
    ),
    _share(
        "customer_churn_rate",
        "customer churn",
        "share of customers who left",
        lambda t, e: ratio(t.customers_churned, e.customers_initial + t.customers_acquired),
        "customers present in the counted window",
        headline=True,
        main=True,
    ),
    _score(
        "mean_post_recovery_satisfaction",
        "satisfaction after a failure",
        "customers' satisfaction once the failure was handled",
        lambda t, e: ratio(t.sum_post_recovery_satisfaction, t.resolved_episodes),
        "resolved failures",
        headline=True,
    ),
    _money(
        "aggregator_profit",
        "platform profit",
        "commission, fines and chargebacks less compensation paid and key-account management",
        _profit,
        low=None,
        headline=True,
    ),
    *(
        _count(
            f"failures_cause_{cause}",
            CAUSE_LABELS[cause],
            f"failures whose true cause was {cause}",
            lambda t, e, cause=cause: getattr(t, f"failures_cause_{cause}"),
        )
        for cause in CAUSES
    ),
    *(
        _count(
            f"failures_class_{kind}",
            f"failures: {kind.replace('_', ' ')}",
            f"failures of class {kind}",
            lambda t, e, kind=kind: getattr(t, f"failures_class_{kind}"),
        )
        for kind in FAILURE_CLASSES
    ),
    KPI(
        "mean_punishment_gap",
        "punishment gap",
        "punishment expected less punishment enacted on the provider",
        "score",
        lambda t, e: ratio(t.sum_punishment_gap, t.provider_failures),
        "failures with a provider",
        -1.0,
        1.0,
    ),
    _count(
        "delivered",
        "orders delivered",
        "orders delivered (successes and accepted failures)",
        lambda t, e: t.delivered,
    ),
    _share(
        "recovery_rate",
        "recovery rate",
        "share of failures the platform recovered",
        lambda t, e: ratio(t.recoveries, t.failures),
        "failures",
    ),
    _share(
        "apology_rate",
        "apology rate",
        "share of failures with an apology",
        lambda t, e: ratio(t.apologies, t.failures),
        "failures",
    ),
    _share(
        "recovery_paradox_rate",
        "recovery paradox rate",
        "share of resolved failures after which satisfaction ended above its level before",
        lambda t, e: ratio(t.paradoxes, t.resolved_episodes),
        "resolved failures",
    ),
    _share(
        "unfair_low_rating_share",
        "unfair low ratings",
        "share of low ratings given to a provider for a failure it did not cause",
        lambda t, e: ratio(t.unfair_low_ratings, t.low_ratings),
        "low ratings",
    ),
    _money(
        "commission_revenue",
        "commission revenue",
        "commission the platform earned",
        lambda t, e: t.commission_revenue,
    ),
    _money(
        "fines_collected",
        "fines collected",
        "fines the platform collected from providers",
        lambda t, e: t.fines_collected,
    ),
    _money(
        "chargebacks_collected",
        "chargebacks collected",
        "compensation charged back to the providers at fault",
        lambda t, e: t.chargebacks_collected,
    ),
    _money(
        "provider_earnings",
        "provider earnings",
        "what providers earned",
        lambda t, e: t.provider_earnings,
    ),
    _money(
        "customer_payments",
        "customer payments",
        "what customers paid",
        lambda t, e: t.customer_payments,
    ),
    _count(
        "customers_initial",
        "customers at the start",
        "customers present at the start",
        lambda t, e: e.customers_initial,
    ),
    _count(
        "customers_acquired",
        "customers acquired",
        "customers who joined",
        lambda t, e: t.customers_acquired,
    ),
    _count(
        "customers_churned",
        "customers lost",
        "customers who left",
        lambda t, e: t.customers_churned,
    ),
    _count(
        "customers_active_end",
        "customers at the end",
        "customers present at the end",
        lambda t, e: e.customers_active_end,
    ),
    _count(
        "providers_initial",
        "providers at the start",
        "providers present at the start",
        lambda t, e: e.providers_initial,
    ),
    _count(
        "providers_onboarded",
        "providers onboarded",
        "providers who joined",
        lambda t, e: t.providers_onboarded,
    ),
    _count(
        "providers_suspended",
        "providers suspended",
        "providers suspended at the end",
        lambda t, e: e.providers_suspended,
    ),
    _count(
        "providers_delisted",
        "providers delisted",
        "providers delisted by the platform",
        lambda t, e: e.providers_delisted,
    ),
    _count(
        "providers_active_end",
        "providers at the end",
        "providers active at the end",
        lambda t, e: e.providers_active_end,
    ),
    _share(
        "key_account_churn_rate",
        "key-account churn",
        "share of key accounts who left",
        lambda t, e: ratio(
            t.key_account_customers_churned,
            e.key_account_customers_initial + t.key_account_customers_acquired,
        ),
        "key accounts present in the counted window",
    ),
    _share(
        "general_churn_rate",
        "general customers' churn",
        "share of general customers who left",
        _general_churn,
        "general customers present in the counted window",
    ),
    _share(
        "quarterly_churn_rate",
        "churn per quarter",
        "chance that a customer leaves within a quarter, from the customers who left over the "
        "customer-quarters spent on the platform",
        lambda t, e: quarterly_churn(
            t.customers_churned, e.general_customer_quarters + e.key_account_customer_quarters
        ),
        "customer-quarters on the platform",
    ),
    _share(
        "key_account_quarterly_churn_rate",
        "key-account churn per quarter",
        "chance that a key account leaves within a quarter",
        lambda t, e: quarterly_churn(
            t.key_account_customers_churned, e.key_account_customer_quarters
        ),
        "key accounts' customer-quarters on the platform",
    ),
    _share(
        "general_quarterly_churn_rate",
        "general customers' churn per quarter",
        "chance that a general customer leaves within a quarter",
        lambda t, e: quarterly_churn(
            t.customers_churned - t.key_account_customers_churned, e.general_customer_quarters
        ),
        "general customers' customer-quarters on the platform",
    ),
    _share(
        "failure_churn_share",
        "churn that follows a failure",
        "share of the customers who left who left because of a failure, not for reasons of "
        "their own",
        lambda t, e: ratio(t.customers_left_after_failure, t.customers_churned),
        "customers who left",
    ),
    _share(
        "spend_share_top_20",
        "spend of the top 20%",
        "share of the counted window's spend made by the 20% of its buyers who spent most "
        "(the Pareto share)",
        lambda t, e: e.spend_share_top_20,
        "customers who bought in the counted window",
    ),
    KPI(
        "spend_loss_after_failure",
        "spend lost after a failure",
        "how much less customers spend in the 30 days after a failed order than after a "
        "successful one, relative to what each customer's base rate lets expect (MODEL.md 5.15)",
        "share",
        lambda t, e: spend_loss(e.spend_after_failure, e.spend_after_success),
        "orders settled at least 30 days before the horizon",
        None,
        1.0,
    ),
    KPI(
        "spend_loss_after_flawed_delivery",
        "spend lost after a late or flawed order",
        "the same after a failed order that was still delivered (late or flawed)",
        "share",
        lambda t, e: spend_loss(e.spend_after_delivered_failure, e.spend_after_success),
        "orders settled at least 30 days before the horizon",
        None,
        1.0,
    ),
    _score(
        "key_account_post_recovery_satisfaction",
        "key accounts' satisfaction after a failure",
        "key accounts' satisfaction once the failure was handled",
        lambda t, e: ratio(
            t.key_account_sum_post_recovery_satisfaction, t.key_account_resolved_episodes
        ),
        "key accounts' resolved failures",
    ),
    _score(
        "general_post_recovery_satisfaction",
        "general customers' satisfaction after a failure",
        "general customers' satisfaction once the failure was handled",
        _general_satisfaction,
        "general customers' resolved failures",
    ),
    _money(
        "kam_cost",
        "key-account management cost",
        "what the platform's key-account managers cost",
        lambda t, e: t.kam_cost,
    ),
    _count(
        "kam_account_days",
        "managed account-days",
        "days of key-account management summed over the accounts managed",
        lambda t, e: t.kam_account_days,
    ),
    _score(
        "mean_satisfaction_end",
        "satisfaction at the end",
        "mean satisfaction of the customers present at the end",
        lambda t, e: e.mean_satisfaction_end,
        "customers present at the end",
    ),
)

_registry: dict[str, KPI] = {k.name: k for k in BUILT_IN}


def kpis() -> tuple[KPI, ...]:
    """Every KPI, in column order."""
    return tuple(_registry.values())


def kpi(name: str) -> KPI:
    return _registry[name]


def kpi_columns() -> tuple[str, ...]:
    """The columns of ``replications.csv``: ``replication``, then every KPI."""
    return ("replication", *_registry)


def headline_kpis() -> tuple[KPI, ...]:
    return tuple(k for k in _registry.values() if k.headline)


def main_kpis() -> tuple[KPI, ...]:
    return tuple(k for k in _registry.values() if k.main)


def label(name: str) -> str:
    """A KPI's label, or the name itself for a column that is not a KPI."""
    return _registry[name].label if name in _registry else name


@contextmanager
def registered(extra: KPI) -> Iterator[KPI]:
    """A KPI added to the registry for the duration of a block (in this process only: worker
    processes import the built-in registry)."""
    if extra.name in _registry:
        raise ValueError(f"KPI {extra.name!r} is already registered")
    _registry[extra.name] = extra
    try:
        yield extra
    finally:
        del _registry[extra.name]
