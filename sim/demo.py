"""The classroom demo: a small world narrated in plain language (``aggsim demo``).

Each failure episode of one simulated week becomes a short story: what went wrong and whose fault
it was, how much control the customer saw the platform having and why, who was held responsible,
what the customer expected, what the platform did, and whether the customer stayed. A
side-by-side of two platforms — a listing board and a full intermediary — then shows the
propositions at work (MODEL.md section 2). Plain text, no colour, deterministic for a seed.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from sim.replication import run_replication
from sim.scenario import Scenario

DEMO_OVERRIDES = {
    "name": "demo",
    "description": "A small ride-hailing world for the classroom: one week, 60 riders.",
    "run.days": 7,
    "run.warmup_days": 0,
    "run.seed": 7,
    "customers.count": 60,
    "customers.key_account_share": 0.1,
    "customers.orders_per_week_general": 2.0,
    "customers.orders_per_week_key_account": 5.0,
    "providers.count": 4,
    "aggregator.glitch_rate": 0.03,
    "acquisition.base_per_day": 1.0,
}
WIDTH = 88
LOW, HIGH = 0.1, 0.9  # intermediation of the two platforms compared
COMPARISON_REPLICATIONS = 5
COMPARED = (
    ("failures", "failures", "{:.1f}"),
    ("mean_perceived_control", "platform seen in control", "{:.2f}"),
    ("mean_aggregator_responsibility", "platform held responsible", "{:.2f}"),
    ("mean_provider_responsibility", "provider held responsible", "{:.2f}"),
    ("mean_expected_compensation_share", "compensation expected (of price)", "{:.2f}"),
    ("mean_expected_punishment", "punishment wanted for providers", "{:.2f}"),
    ("complaint_rate", "failures complained about", "{:.0%}"),
    ("mean_post_recovery_satisfaction", "satisfaction after a failure", "{:.2f}"),
    ("customer_churn_rate", "customers lost", "{:.1%}"),
)


def demo_scenario() -> Scenario:
    """The built-in classroom world."""
    return Scenario().with_values(**DEMO_OVERRIDES)


def when(hours: float) -> str:
    day, hour = divmod(hours, 24.0)
    return f"day {int(day) + 1}, {int(hour):02d}:{int(round((hour % 1) * 60)) % 60:02d}"


def what_happened(row) -> str:
    provider = "the provider firm" if row.provider_kind == "firm" else "the provider"
    if row.failure_class == "glitch":
        if row.outcome == "rejected":
            return "the app failed and the order never went through (a platform glitch)"
        return (
            f"the platform mis-dispatched the order and {provider} arrived late (a platform glitch)"
        )
    if row.failure_class == "no_supply":
        return "no provider took the order before the customer gave up (the platform's matching)"
    if row.failure_class == "provider_fault":
        if row.kind == "encounter":
            return f"{provider} was rude and unhelpful (the provider's fault)"
        if row.outcome == "rejected":
            return f"{provider} cancelled at the last minute (the provider's fault)"
        return f"{provider} delivered late and poorly (the provider's fault)"
    if row.outcome == "rejected":
        return "a storm closed the roads and the order could not be served (no one's fault)"
    return "heavy traffic delayed the order (no one's fault)"


def severity_word(severity: float) -> str:
    return "severe" if severity >= 0.6 else "moderate" if severity >= 0.35 else "mild"


def intermediation_reason(intermediation: float) -> str:
    if intermediation >= 0.7:
        return "Because the platform sets the price, picks the provider and brands every order"
    if intermediation >= 0.3:
        return "Because the platform matches and brands the orders"
    return "Because the platform only lists providers"


def story(number: int, row, intermediation: float) -> str:
    """One failure episode as a short paragraph."""
    segment = "key account" if row.segment == "key_account" else "customer"
    lines = [
        f"Episode {number} ({when(row.time)}): {segment} {row.customer_id} - "
        f"{what_happened(row)}; {severity_word(row.severity)} ({row.severity:.2f})."
    ]
    explained = " The platform explained what happened." if row.explained else ""
    seen = (
        "sees the platform in control"
        if row.perceived_control >= 0.5
        else "sees the platform as a bystander"
    )
    believes = row.perceived_controllability >= 0.5
    could = (
        f"{'believing' if believes else 'doubting'} it could have prevented this "
        f"({row.perceived_controllability:.2f})"
    )
    agrees = believes == (row.perceived_control >= 0.5)
    repeat = (
        ", after an earlier failure that makes this one look like a pattern,"
        if (row.stability > 0)
        else ""
    )
    text = (
        f"{intermediation_reason(intermediation)} (intermediation {intermediation:.1f}), "
        f"the customer {seen} ({row.perceived_control:.2f}), {'' if agrees else 'though '}"
        f"{could}{repeat or ','}"
    )
    if math.isnan(row.provider_responsibility):
        text += f" and holds it responsible ({row.aggregator_responsibility:.2f})."
    elif row.aggregator_responsibility >= row.provider_responsibility:
        text += (
            f" and holds it mostly responsible ({row.aggregator_responsibility:.2f} against "
            f"{row.provider_responsibility:.2f} for the provider)."
        )
    else:
        text += (
            f" and holds the provider mostly responsible ({row.provider_responsibility:.2f} "
            f"against {row.aggregator_responsibility:.2f} for the platform)."
        )
    lines.append(explained.strip() + (" " if explained else "") + text)
    expects = f"The customer expects {row.expected_compensation:.2f} back (price {row.price:.2f})"
    if not math.isnan(row.expected_punishment):
        expects += f" and wants the provider punished ({row.expected_punishment:.2f})"
    expects += "; " + ("complains" if row.complained else "does not complain") + "."
    lines.append(expects)
    delay = f"after {row.recovery_delay:.0f} h" if not math.isnan(row.recovery_delay) else ""
    if row.compensation_paid > 0:
        apology = "with an apology" if row.apology else "without an apology"
        action = f"The platform pays {row.compensation_paid:.2f} {delay} {apology}."
    elif row.apology:
        action = f"The platform apologises {delay} but pays nothing."
    else:
        action = "The platform does nothing."
    if row.provider_rating:
        unfair = (
            "" if row.cause == "provider" else ", for a failure that was not the provider's fault"
        )
        action += (
            f" The customer rates the provider {row.provider_rating} star"
            + ("s" if row.provider_rating != 1 else "")
            + f"{unfair}."
        )
    lines.append(action)
    outcome = "stays" if row.retained else "leaves"
    lines.append(
        f"Satisfaction {row.satisfaction_before:.2f} -> {row.satisfaction_after:.2f}; "
        f"the customer {outcome}."
    )
    return textwrap.fill(" ".join(lines), width=WIDTH, subsequent_indent="  ")


def narrate(scenario: Scenario, follow: int | None = None) -> list[str]:
    """The stories of one replication's failure episodes (only one customer's, with ``follow``)."""
    episodes = run_replication(scenario, 0, trace=True).episodes.sort_values("time", kind="stable")
    if follow is not None:
        episodes = episodes[episodes.customer_id == follow]
    intermediation = scenario.aggregator.intermediation
    return [
        story(i, row, intermediation)
        for i, row in enumerate(episodes.itertuples(index=False), start=1)
    ]


def compare_platforms(scenario: Scenario, replications: int = COMPARISON_REPLICATIONS) -> str:
    """The main KPIs of a listing board and a full intermediary, side by side (same seeds), and
    what they show."""
    means = {}
    for intermediation in (LOW, HIGH):
        variant = scenario.with_values(**{"aggregator.intermediation": intermediation})
        rows = [run_replication(variant, r).kpis for r in range(replications)]
        means[intermediation] = pd.DataFrame(rows).mean()
    width = max(len(label) for _, label, _ in COMPARED)
    lines = [
        f"Two platforms, the same customers, providers and luck ({replications} runs each):",
        f"{'':{width}s}  {'listing board':>14s}  {'full platform':>14s}",
        f"{'':{width}s}  {f'(I = {LOW})':>14s}  {f'(I = {HIGH})':>14s}",
    ]
    for key, label, fmt in COMPARED:
        low, high = (fmt.format(means[i][key]) for i in (LOW, HIGH))
        lines.append(f"{label:{width}s}  {low:>14s}  {high:>14s}")
    low, high = means[LOW], means[HIGH]
    reading = (
        f"Reading: customers of the full platform see it in control more "
        f"({high.mean_perceived_control:.2f} against {low.mean_perceived_control:.2f}) and hold "
        f"it more responsible ({high.mean_aggregator_responsibility:.2f} against "
        f"{low.mean_aggregator_responsibility:.2f}): P2. Holding it responsible, they expect more "
        f"compensation ({high.mean_expected_compensation_share:.2f} of the price against "
        f"{low.mean_expected_compensation_share:.2f}): P3. On the listing board the blame "
        f"falls on the providers, and customers want them punished more "
        f"({low.mean_expected_punishment:.2f} against {high.mean_expected_punishment:.2f}): P4."
    )
    return "\n".join(lines) + "\n\n" + textwrap.fill(reading, width=WIDTH)


def demo_text(scenario: Scenario | None = None, follow: int | None = None) -> str:
    """The whole demo as printed by ``aggsim demo``."""
    scenario = scenario or demo_scenario()
    days = scenario.run.days
    header = (
        f"aggsim demo: {scenario.name} - {scenario.customers.count} customers, "
        f"{scenario.providers.count} providers, {days:g} day{'s' if days != 1 else ''}, "
        f"seed {scenario.run.seed}"
    )
    stories = narrate(scenario, follow)
    if follow is not None and not stories:
        stories = [f"Customer {follow} had no failure this time."]
    elif not stories:
        stories = ["Nothing failed this time: try another --seed."]
    return "\n\n".join([header, *stories, compare_platforms(scenario)]) + "\n"
