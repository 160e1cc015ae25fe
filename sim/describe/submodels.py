"""Which parameters each submodel of the specification reads, and when a scenario switches it off
(MODEL.md 16).

A submodel is a subsection of MODEL.md 5 or 14; a test keeps this list and the specification's
subsections the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sim.scenario import Scenario, parameter_index


@dataclass(frozen=True)
class Submodel:
    """A submodel: its section of MODEL.md, the parameters it reads (dotted keys, or section
    prefixes ending in a dot) and, when a scenario can switch it off, what says it is off."""

    number: str
    parameters: tuple[str, ...]
    switched_off: Callable[[Scenario], str | None] = lambda scenario: None

    def parameter_keys(self) -> list[str]:
        """The dotted keys of its parameters, in the schema's order."""
        return [
            key
            for key in parameter_index()
            if any(key == p or (p.endswith(".") and key.startswith(p)) for p in self.parameters)
        ]


def _no_explanations(s: Scenario) -> str | None:
    return "`aggregator.explanation_rate` = 0" if s.aggregator.explanation_rate == 0 else None


def _no_surge(s: Scenario) -> str | None:
    return None if s.surge.enabled else "`surge.enabled` = false"


def _buying_centres_of_one(s: Scenario) -> str | None:
    b = s.buying_centre
    if max(b.size_general, b.size_key_account) <= 1:
        return "`buying_centre.size_general` and `buying_centre.size_key_account` are 1"
    return None


def _no_managers(s: Scenario) -> str | None:
    return "`kam.share` = 0" if s.kam.share == 0 else None


def _cultures_at_the_midpoint(s: Scenario) -> str | None:
    c = s.customers
    at_midpoint = c.power_distance == c.uncertainty_avoidance == c.long_term_orientation == 0.5
    if at_midpoint and c.culture_sd == 0:
        return (
            "`customers.power_distance`, `uncertainty_avoidance` and `long_term_orientation` "
            "are 0.5 and `customers.culture_sd` is 0"
        )
    return None


def _no_contracts(s: Scenario) -> str | None:
    c = s.contracts
    if c.share_general == 0 and c.share_key_account == 0:
        return "`contracts.share_general` and `contracts.share_key_account` are 0"
    return None


SUBMODELS: tuple[Submodel, ...] = (
    Submodel(
        "5.1",
        (
            "failures.",
            "aggregator.glitch_rate",
            "aggregator.vetting",
            "aggregator.monitoring",
            "aggregator.matching",
            "customers.patience_mean_hours",
            "providers.quality_mean",
            "providers.quality_concentration",
        ),
    ),
    Submodel(
        "5.2",
        (
            "aggregator.explanation_rate",
            "aggregator.blame_shifting",
            "attribution.explanation_weight",
            "attribution.explanation_culture_slope",
        ),
        _no_explanations,
    ),
    Submodel(
        "5.3",
        (
            "aggregator.intermediation",
            "aggregator.brand_salience",
            "attribution.intercept",
            "attribution.intermediation_weight",
            "attribution.brand_weight",
            "attribution.control_weight",
            "attribution.encounter_weight",
            "attribution.perception_noise",
            "attribution.noise_relationship_reduction",
            "attribution.noise_explanation_reduction",
            "customers.disposition_sd",
        ),
    ),
    Submodel(
        "5.4",
        (
            "attribution.blame_base",
            "attribution.blame_severity",
            "attribution.share_slope",
            "attribution.share_severity",
            "attribution.share_encounter",
            "attribution.share_stability",
            "attribution.blame_floor",
            "retention.recent_window_days",
        ),
    ),
    Submodel("5.5", ("compensation.",)),
    Submodel("5.6", ("punishment.",)),
    Submodel("5.6b", ("surge.", "fairness."), _no_surge),
    Submodel("5.7", ("complaints.",)),
    Submodel("5.8", ("recovery.",)),
    Submodel("5.9", ("satisfaction.",)),
    Submodel(
        "5.10",
        (
            "retention.intercept",
            "retention.satisfaction_weight",
            "retention.recent_failures_weight",
            "retention.relationship_weight",
            "retention.switching_cost_weight",
            "retention.recent_window_days",
            "customers.switching_cost_general",
            "customers.switching_cost_key_account",
        ),
    ),
    Submodel("5.11", ("relationship.", "customers.relationship_initial")),
    Submodel(
        "5.12",
        (
            "sanctions.",
            "providers.effort_drop",
            "providers.effort_drop_days",
            "providers.reservation_earnings",
            "providers.exit_check_days",
            "providers.exit_probability",
            "providers.applicants_per_day",
            "providers.applicant_quality_mean",
        ),
    ),
    Submodel("5.13", ("acquisition.",)),
    Submodel(
        "5.14",
        (
            "aggregator.commission",
            "customers.price_mean_general",
            "customers.price_mean_key_account",
            "customers.price_cv",
        ),
    ),
    Submodel(
        "5.15",
        (
            "retention.intention_conversion",
            "retention.habit",
            "customers.satisfaction_order_effect",
            "customers.satisfaction_order_upside",
            "customers.order_rate_cv",
            "customers.background_churn_per_day",
        ),
    ),
    Submodel("14.1", ("buying_centre.",), _buying_centres_of_one),
    Submodel("14.2", ("kam.",), _no_managers),
    Submodel(
        "14.3",
        (
            "culture.",
            "customers.power_distance",
            "customers.uncertainty_avoidance",
            "customers.long_term_orientation",
            "customers.culture_sd",
        ),
        _cultures_at_the_midpoint,
    ),
    Submodel("14.4", ("contracts.",), _no_contracts),
)
