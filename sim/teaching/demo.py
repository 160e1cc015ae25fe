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

from sim.experiments.replication import run_replication
from sim.model.kpis import kpi
from sim.outputs.wording import level, rank
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
    "failures",
    "mean_perceived_control",
    "mean_aggregator_responsibility",
    "mean_provider_responsibility",
    "mean_expected_compensation_share",
    "mean_expected_punishment",
    "complaint_rate",
    "mean_post_recovery_satisfaction",
    "customer_churn_rate",
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


def what_the_platform_does(intermediation: float) -> str:
    """What customers can see of the platform's part in the service, by its intermediation."""
    if intermediation >= 0.7:
        return "the platform sets the price, picks the provider and brands every order"
    if intermediation >= 0.3:
        return "the platform matches and brands the orders"
    return "the platform only lists providers"


def _two(value: float) -> float:
    """A number as the story prints it (two decimals): every word is chosen from what is shown."""
    return round(float(value), 2)


def explanation_sentence(row) -> str:
    blamed = getattr(row, "explanation_blames", "")
    if not row.explained:
        return ""
    if blamed == "platform":
        return "The platform explained that the fault was its own."
    if blamed == "provider" and row.cause == "aggregator":
        return "The platform explained it away by blaming the provider (blame shifting)."
    if blamed == "provider":
        return "The platform explained that the provider was at fault."
    return "The platform explained that it was outside anyone's control."


def perception_sentence(row, intermediation: float) -> str:
    """How much control the customer sees and why, joined to the platform's intermediation by
    "because" only when the two agree."""
    control = _two(row.perceived_control)
    seen = level(control)
    visible = what_the_platform_does(intermediation)
    suggests_control = intermediation >= 0.3
    clause = {
        "high": f"the customer sees the platform in control ({control:.2f})",
        "low": f"the customer sees the platform as a bystander ({control:.2f})",
        "middling": f"the customer is unsure whether the platform was in control ({control:.2f})",
    }[seen]
    where = f"{visible} (intermediation {intermediation:.1f})"
    if seen == "middling":
        opening = f"{where[0].upper()}{where[1:]}; {clause}"
    elif (seen == "high") == suggests_control:
        opening = f"Because {where}, {clause}"
    else:
        opening = f"Although {where}, {clause}"
    controllability = _two(row.perceived_controllability)
    believes = controllability >= 0.5
    though = "" if seen == "middling" or believes == (seen == "high") else "though "
    return (
        f"{opening}, {though}{'believing' if believes else 'doubting'} it could have prevented "
        f"this ({controllability:.2f})"
    )


def responsibility_clause(row) -> str:
    platform = _two(row.aggregator_responsibility)
    if math.isnan(row.provider_responsibility):
        how = {
            "high": "holds it responsible",
            "middling": "holds it partly responsible",
            "low": "hardly holds it responsible",
        }[level(platform)]
        return f"{how} ({platform:.2f})"
    provider = _two(row.provider_responsibility)
    order = rank(platform, provider)
    if order > 0:
        return (
            f"holds it mostly responsible ({platform:.2f} against {provider:.2f} for the provider)"
        )
    if order < 0:
        return (
            f"holds the provider mostly responsible ({provider:.2f} against {platform:.2f} for "
            "the platform)"
        )
    return (
        f"holds the platform and the provider about equally responsible ({platform:.2f} and "
        f"{provider:.2f})"
    )


def expectation_sentence(row) -> str:
    text = f"The customer expects {row.expected_compensation:.2f} back (price {row.price:.2f})"
    if not math.isnan(row.expected_punishment):
        punishment = _two(row.expected_punishment)
        wants = {
            "high": "wants the provider punished",
            "middling": "wants the provider punished somewhat",
            "low": "hardly wants the provider punished",
        }
        text += f" and {wants[level(punishment)]} ({punishment:.2f})"
    return text + "; " + ("complains" if row.complained else "does not complain") + "."


def action_sentence(row) -> str:
    delay = f" after {row.recovery_delay:.0f} h" if not math.isnan(row.recovery_delay) else ""
    if row.compensation_paid > 0:
        apology = "with an apology" if row.apology else "without an apology"
        action = f"The platform pays {row.compensation_paid:.2f}{delay} {apology}."
    elif row.apology:
        action = f"The platform apologises{delay} but pays nothing."
    else:
        action = "The platform does nothing."
    if row.provider_rating:
        stars = int(row.provider_rating)
        wanted = (
            level(_two(row.expected_punishment))
            if not math.isnan(row.expected_punishment)
            else "middling"
        )
        unexpected = (stars >= 4 and wanted == "high") or (stars <= 2 and wanted == "low")
        unfair = "" if row.cause == "provider" else ", for a failure that was not its fault"
        action += (
            f" {'Yet the customer' if unexpected else 'The customer'} rates the provider "
            f"{stars} star{'s' if stars != 1 else ''}{unfair}."
        )
    return action


def outcome_sentence(row) -> str:
    after = _two(row.satisfaction_after)
    chance = getattr(row, "leave_probability", math.nan)
    odds = "" if math.isnan(chance) else f" (chance of leaving {chance:.0%})"
    if row.retained:
        verb = "stays nonetheless" if level(after) == "low" else "stays"
    else:
        verb = "leaves even so" if level(after) == "high" else "leaves"
    return f"Satisfaction {row.satisfaction_before:.2f} -> {after:.2f}; the customer {verb}{odds}."


def story(number: int, row, intermediation: float, surge_multiplier: float = 1.0) -> str:
    """One failure episode as a short paragraph; every word about a number is chosen by the
    thresholds of :mod:`sim.outputs.wording` from the number as printed."""
    segment = "key account" if row.segment == "key_account" else "customer"
    lines = [
        f"Episode {number} ({when(row.time)}): {segment} {row.customer_id} - "
        f"{what_happened(row)}; {severity_word(row.severity)} ({row.severity:.2f})."
    ]
    if row.surge:
        lines.append(f"It was a surge hour: the price was {surge_multiplier:g} times the usual.")
    explanation = explanation_sentence(row)
    if explanation:
        lines.append(explanation)
    lines.append(f"{perception_sentence(row, intermediation)}, and {responsibility_clause(row)}.")
    lines += [expectation_sentence(row), action_sentence(row), outcome_sentence(row)]
    return textwrap.fill(" ".join(lines), width=WIDTH, subsequent_indent="  ")


def narrate(scenario: Scenario, episodes: pd.DataFrame, follow: int | None = None) -> list[str]:
    """The stories of one replication's failure episodes (only one customer's, with ``follow``)."""
    episodes = episodes.sort_values("time", kind="stable")
    if follow is not None:
        episodes = episodes[episodes.customer_id == follow]
    intermediation = scenario.aggregator.intermediation
    return [
        story(i, row, intermediation, scenario.surge.multiplier)
        for i, row in enumerate(episodes.itertuples(index=False), start=1)
    ]


def surge_paragraph(scenario: Scenario, kpis: dict[str, float]) -> str:
    """What surge pricing did this week, when it was on: most of its effect is on orders that
    did not fail (MODEL.md 5.6b), which the stories of failures do not show."""
    low, unfair = kpis["low_rating_rate"], kpis["unfair_low_rating_share"]
    text = (
        f"Surge pricing: in the rush hours prices were {scenario.surge.multiplier:g} times the "
        f"usual. Over the week {low:.0%} of ratings were low (2 stars or fewer)"
    )
    if low > 0 and not math.isnan(unfair):
        text += (
            f", and {unfair:.0%} of those went to providers who were not at fault: the price is "
            "the platform's decision, but riders take it out on the driver"
        )
    return textwrap.fill(text + ".", width=WIDTH)


def compare_platforms(scenario: Scenario, replications: int = COMPARISON_REPLICATIONS) -> str:
    """The main KPIs of a listing board and a full intermediary, side by side (same seeds), and
    what they show."""
    means = {}
    for intermediation in (LOW, HIGH):
        variant = scenario.with_values(**{"aggregator.intermediation": intermediation})
        rows = [run_replication(variant, r).kpis for r in range(replications)]
        means[intermediation] = pd.DataFrame(rows).mean()
    shown = [kpi(name) for name in COMPARED]
    width = max(len(k.label) for k in shown)
    lines = [
        f"Two platforms, the same customers, providers and luck ({replications} runs each):",
        f"{'':{width}s}  {'listing board':>14s}  {'full platform':>14s}",
        f"{'':{width}s}  {f'(I = {LOW})':>14s}  {f'(I = {HIGH})':>14s}",
    ]
    for k in shown:
        low, high = (k.show(means[i][k.name]) for i in (LOW, HIGH))
        lines.append(f"{k.label:{width}s}  {low:>14s}  {high:>14s}")
    return "\n".join(lines) + "\n\n" + textwrap.fill(reading(means[LOW], means[HIGH]), WIDTH)


def reading(low: pd.Series, high: pd.Series) -> str:
    """What the two platforms show, each claim worded by the numbers beside it and tied to a
    proposition only when it comes out as the proposition says."""

    def compared(key: str, first: pd.Series, second: pd.Series) -> tuple[int, str, str]:
        order = rank(_two(first[key]), _two(second[key]))
        show = kpi(key).show
        word = {1: "more", -1: "less", 0: "about as much"}[order]
        return order, word, f"{show(first[key])} against {show(second[key])}"

    control, control_word, control_values = compared("mean_perceived_control", high, low)
    blame, blame_word, blame_values = compared("mean_aggregator_responsibility", high, low)
    money, money_word, money_values = compared("mean_expected_compensation_share", high, low)
    punish, punish_word, punish_values = compared("mean_expected_punishment", low, high)
    return (
        f"Reading: customers of the full platform see it in control {control_word} "
        f"({control_values}) and hold it responsible {blame_word} ({blame_values})"
        f"{': P2' if control > 0 and blame > 0 else ''}. They expect {money_word} compensation "
        f"({money_values} of the price){': P3' if blame > 0 and money > 0 else ''}. On the "
        f"listing board customers want the providers punished {punish_word} ({punish_values})"
        f"{': P4' if blame > 0 and punish > 0 else ''}."
    )


def demo_text(scenario: Scenario | None = None, follow: int | None = None) -> str:
    """The whole demo as printed by ``aggsim demo``."""
    scenario = scenario or demo_scenario()
    days = scenario.run.days
    header = (
        f"aggsim demo: {scenario.name} - {scenario.customers.count} customers, "
        f"{scenario.providers.count} providers, {days:g} day{'s' if days != 1 else ''}, "
        f"seed {scenario.run.seed}"
    )
    result = run_replication(scenario, 0, trace=True)
    stories = narrate(scenario, result.episodes, follow)
    if follow is not None and not stories:
        stories = [f"Customer {follow} had no failure this time."]
    elif not stories:
        stories = ["Nothing failed this time: try another --seed."]
    if scenario.surge.enabled:
        stories.append(surge_paragraph(scenario, result.kpis))
    return "\n\n".join([header, *stories, compare_platforms(scenario)]) + "\n"
