"""The scenario: every model parameter with its default, valid range, unit and meaning.

The schema follows MODEL.md section 6: parameters are grouped by entity or submodel
(``[aggregator]``, ``[recovery]``, ``[sanctions]``, ``[providers]``, ``[customers]``,
``[failures]``, ``[attribution]`` …) and addressed by dotted keys such as
``aggregator.intermediation``. The public keys listed in MODEL.md section 6 exist here with the
meanings given there. Each field carries its unit in ``json_schema_extra`` so that tools can list
it (see :func:`parameter_table`).

Defaults describe a plausible baseline ride-hailing or delivery platform; numbers taken from
MODEL.md are cited at the submodel that uses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sim.model.kinds import RecoveryPolicy

#: A scenario name: one path component that cannot climb out of ``results/``.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def param(default: Any, meaning: str, unit: str = "", **bounds: Any) -> Any:
    """A scenario parameter: default, meaning, unit and bounds (``ge``, ``le``, ``gt``, ``lt``)."""
    return Field(default, description=meaning, json_schema_extra={"unit": unit}, **bounds)


class Section(BaseModel):
    """A group of parameters; unknown keys are errors and values never change after validation."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """``true`` is not a count or a share, though Python would take it for 1."""
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and field.annotation in (int, float):
            raise ValueError("true and false are not numbers")
        return value


class RunParameters(Section):
    days: float = param(60.0, "simulated horizon, counted after the warm-up", "days", gt=0, le=3650)
    warmup_days: float = param(
        50.0,
        "initial period that is simulated but not counted in any output (the default is the "
        "baseline's MSER-5 choice; `aggsim run --warmup auto` chooses it for any scenario)",
        "days",
        ge=0,
        le=365,
    )
    seed: int = param(12345, "root seed of all random streams", "", ge=0, lt=2**63)
    replications: int = param(10, "independent replications of the scenario", "", ge=1, le=100_000)


class AggregatorParameters(Section):
    intermediation: float = param(
        0.6,
        "I: how far the platform sets prices, matches, brands and standardises the service "
        "(0 = listing board, 1 = full control)",
        "share",
        ge=0,
        le=1,
    )
    brand_salience: float = param(
        0.5, "B: how visible the platform's brand is in the service encounter", "share", ge=0, le=1
    )
    explanation_rate: float = param(
        0.3, "share of failures the platform explains to the customer", "share", ge=0, le=1
    )
    blame_shifting: float = param(
        0.0,
        "share of explanations that name the provider whatever the true cause",
        "share",
        ge=0,
        le=1,
    )
    glitch_rate: float = param(
        0.02, "probability that an order fails through a platform glitch", "per order", ge=0, le=1
    )
    commission: float = param(
        0.2, "platform's share of the price of a delivered order", "share", ge=0, le=1
    )
    vetting: float = param(
        0.5,
        "how strictly the platform screens new providers (turns away likely poor performers)",
        "share",
        ge=0,
        le=1,
    )
    monitoring: float = param(
        0.3,
        "how closely the platform supervises orders in progress (tracking, quality control), "
        "so that it could step in before a provider fails",
        "share",
        ge=0,
        le=1,
    )
    matching: Literal["longest_idle", "best_rated"] = param(
        "longest_idle",
        "which free provider gets an order: the one idle longest, or the best rated",
    )


class SurgeParameters(Section):
    enabled: bool = param(False, "surge pricing in peak hours")
    multiplier: float = param(1.6, "price multiplier during surge", "x", ge=1, le=10)


class FairnessParameters(Section):
    """MODEL.md 5.6b: a surge-priced order is judged against the higher price (Xia, Monroe &
    Cox 2004); unfairness F = ln(surge multiplier), 0 at the normal price."""

    rating_weight: float = param(
        0.8,
        "logit of a low provider rating per unit of price unfairness (misdirected punishment; "
        "calibrated to Xu, Wei & Zhu 2025's odds ratio of 1.13)",
        "logit",
        ge=0,
        le=10,
    )
    complaint_weight: float = param(
        0.3, "logit of a complaint per unit of price unfairness", "logit", ge=0, le=10
    )
    compensation_weight: float = param(
        0.3,
        "growth of expected compensation (share of price) per unit of price unfairness",
        "",
        ge=0,
        le=10,
    )


class DemandParameters(Section):
    hourly_profile: tuple[float, ...] = param(
        (
            0.3,
            0.2,
            0.15,
            0.15,
            0.2,
            0.4,
            0.8,
            1.5,
            1.8,
            1.3,
            1.0,
            1.1,
            1.4,
            1.3,
            1.0,
            1.0,
            1.2,
            1.6,
            2.0,
            1.9,
            1.5,
            1.1,
            0.7,
            0.45,
        ),
        "24 relative order intensities, hour 0 to 23 (rescaled to mean 1)",
        "x",
    )
    peak_threshold: float = param(
        1.4, "an hour is a peak hour when its relative intensity is at least this", "x", gt=0
    )

    @field_validator("hourly_profile")
    @classmethod
    def _twenty_four_non_negative_hours(cls, profile: tuple[float, ...]) -> tuple[float, ...]:
        if len(profile) != 24:
            raise ValueError(f"expected 24 hourly values, got {len(profile)}")
        if min(profile) < 0 or sum(profile) <= 0:
            raise ValueError("expected non-negative values with a positive sum")
        return profile


class RecoveryParameters(Section):
    policy: RecoveryPolicy = param(
        "fixed_share",
        "how the platform compensates: nothing, a share of the price, its estimate of what the "
        "customer expects, or key accounts matched and others a fixed share",
    )
    compensation_share: float = param(
        0.3, "compensation as a share of the price (fixed_share, tiered)", "share", ge=0, le=3
    )
    compensated_share: float = param(
        1.0,
        "share of the failures the platform answers that its policy compensates, chosen at random "
        "(a randomised field experiment; the others get the apology only)",
        "share",
        ge=0,
        le=1,
    )
    apology: bool = param(True, "the platform apologises when it recovers")
    proactive: bool = param(
        False,
        "the platform recovers failures it can see (glitches, no supply, cancellations) "
        "without waiting for a complaint",
    )
    delay_mean_hours: float = param(
        12.0, "mean time from failure to recovery", "hours", ge=0, le=720
    )
    target_hours: float = param(
        24.0,
        "recoveries within this time count as fully prompt (procedural justice)",
        "hours",
        gt=0,
    )
    estimate_noise: float = param(
        0.25,
        "standard deviation of the log error in the platform's estimate of expected compensation",
        "log",
        ge=0,
        le=3,
    )
    daily_budget: float = param(
        0.0, "compensation the platform may pay per day; 0 means no limit", "currency", ge=0
    )
    chargeback_share: float = param(
        0.0,
        "share of compensation recovered from the provider when the provider caused the failure",
        "share",
        ge=0,
        le=1,
    )


class SanctionParameters(Section):
    window: int = param(20, "ratings in the provider's rolling mean", "ratings", ge=1, le=1000)
    min_ratings: int = param(
        5, "ratings a provider needs before the sanction policy judges it", "ratings", ge=1
    )
    warn_below: float = param(
        4.2, "rolling mean rating that triggers a warning", "stars", ge=1, le=5
    )
    suspend_below: float = param(
        3.8, "rolling mean rating that triggers a suspension", "stars", ge=1, le=5
    )
    suspension_days: float = param(2.0, "length of a suspension", "days", ge=0, le=365)
    delist_after: int = param(3, "suspensions after which the provider is delisted", "", ge=1)
    fine_per_complaint: float = param(
        0.0, "fine per upheld complaint about a provider-caused failure", "currency", ge=0
    )

    @model_validator(mode="after")
    def _suspension_is_harsher_than_warning(self) -> SanctionParameters:
        if self.suspend_below > self.warn_below:
            raise ValueError("suspend_below must not exceed warn_below")
        return self


class ProviderParameters(Section):
    count: int = param(26, "initial number of providers", "", ge=1, le=100_000)
    firm_share: float = param(
        0.2, "share of providers that are firms rather than individuals", "share", ge=0, le=1
    )
    individual_capacity: int = param(
        1, "concurrent orders an individual provider serves", "orders", ge=1, le=100
    )
    firm_capacity: int = param(3, "concurrent orders a firm serves", "orders", ge=1, le=1000)
    quality_mean: float = param(
        0.04,
        "mean probability that a provider causes a failure on an order",
        "per order",
        gt=0,
        lt=1,
    )
    quality_concentration: float = param(
        20.0, "concentration of the Beta distribution of provider failure probabilities", "", gt=0
    )
    service_hours_mean: float = param(0.75, "mean service time", "hours", gt=0, le=240)
    service_cv: float = param(0.5, "coefficient of variation of service time", "", ge=0, le=5)
    effort_drop: float = param(
        1.5,
        "failure-probability multiplier after an unfair low rating (Kapoor & Tucker 2017)",
        "x",
        ge=1,
        le=10,
    )
    effort_drop_days: float = param(2.0, "how long the effort drop lasts", "days", ge=0, le=365)
    reservation_earnings: float = param(
        180.0,
        "daily earnings per unit of capacity below which a provider considers leaving",
        "currency/day",
        ge=0,
    )
    exit_check_days: float = param(7.0, "how often providers review their earnings", "days", gt=0)
    exit_probability: float = param(
        0.5,
        "chance a provider below its reservation earnings leaves at a review",
        "share",
        ge=0,
        le=1,
    )
    applicants_per_day: float = param(0.5, "new provider applications per day", "per day", ge=0)
    applicant_quality_mean: float = param(
        0.08, "mean failure probability of applicants before vetting", "per order", gt=0, lt=1
    )


class CustomerParameters(Section):
    count: int = param(4000, "initial number of customers", "", ge=1, le=1_000_000)
    key_account_share: float = param(
        0.05, "share of customers that are key accounts", "share", ge=0, le=1
    )
    individualism: float = param(
        0.6,
        "mean individualism of the customer base (Hofstede), 0 collectivist to 1",
        "share",
        ge=0,
        le=1,
    )
    individualism_sd: float = param(0.1, "spread of individualism across customers", "", ge=0, le=1)
    power_distance: float = param(
        0.5, "mean power distance of the customer base (Hofstede), 0 to 1", "", ge=0, le=1
    )
    uncertainty_avoidance: float = param(
        0.5, "mean uncertainty avoidance of the customer base (Hofstede), 0 to 1", "", ge=0, le=1
    )
    long_term_orientation: float = param(
        0.5, "mean long-term orientation of the customer base (Hofstede), 0 to 1", "", ge=0, le=1
    )
    culture_sd: float = param(
        0.0,
        "spread across customers of power distance, uncertainty avoidance and long-term "
        "orientation",
        "",
        ge=0,
        le=1,
    )
    disposition_sd: float = param(
        0.5,
        "standard deviation of u, a customer's bias towards seeing the platform in control",
        "logit",
        ge=0,
        le=5,
    )
    orders_per_week_general: float = param(
        0.9, "order rate of a general customer", "per week", gt=0, le=1000
    )
    orders_per_week_key_account: float = param(
        4.0, "order rate of a key account", "per week", gt=0, le=1000
    )
    order_rate_cv: float = param(
        0.5,
        "coefficient of variation of customers' own order rates within a segment (Gamma; 0: "
        "every customer of a segment orders at its rate)",
        "",
        ge=0,
        le=5,
    )
    satisfaction_order_effect: float = param(
        0.2,
        "how strongly satisfaction moves the order rate (rate × (1 + e·(SAT − 0.75)) below 0.75)",
        "",
        ge=0,
        le=10,
    )
    satisfaction_order_upside: float = param(
        0.0,
        "share of the order effect that acts above 0.75 (0: satisfaction above the usual adds no "
        "orders; 1: as much as a shortfall takes away)",
        "share",
        ge=0,
        le=1,
    )
    price_mean_general: float = param(
        15.0, "mean price of a general customer's order", "currency", gt=0
    )
    price_mean_key_account: float = param(
        60.0, "mean price of a key account's order", "currency", gt=0
    )
    price_cv: float = param(0.5, "coefficient of variation of prices", "", ge=0, le=5)
    patience_mean_hours: float = param(
        0.2, "mean time a customer waits for a provider", "hours", gt=0
    )
    satisfaction_initial: float = param(
        0.75, "mean satisfaction of a customer at the start", "share", ge=0, le=1
    )
    satisfaction_initial_sd: float = param(0.1, "spread of initial satisfaction", "", ge=0, le=1)
    relationship_initial: float = param(
        0.35,
        "mean relationship strength of the customers present at the start",
        "share",
        ge=0,
        le=1,
    )
    switching_cost_general: float = param(
        0.1, "switching cost of a general customer", "share", ge=0, le=1
    )
    switching_cost_key_account: float = param(
        0.6, "switching cost of a key account", "share", ge=0, le=1
    )
    background_churn_per_day: float = param(
        0.0005, "daily probability that a customer leaves without a failure", "per day", ge=0, le=1
    )


class AcquisitionParameters(Section):
    base_per_day: float = param(
        2.6,
        "new customers per day when promoters and detractors balance (the default keeps the "
        "baseline's customer base stationary)",
        "per day",
        ge=0,
    )
    word_of_mouth: float = param(
        1.0,
        "rate = base × exp(word_of_mouth × (promoter share − detractor share))",
        "",
        ge=0,
        le=20,
    )
    promoter_satisfaction: float = param(
        0.8,
        "satisfaction from which an active customer recommends the platform",
        "share",
        ge=0,
        le=1,
    )
    detractor_satisfaction: float = param(
        0.4, "satisfaction below which a churned customer warns others", "share", ge=0, le=1
    )
    detractor_half_life_days: float = param(
        30.0,
        "days after which half of what churned detractors said is forgotten",
        "days",
        gt=0,
        le=3650,
    )


class SeverityOffsets(Section):
    glitch: float = param(0.0, "severity mean shift for platform glitches", "", ge=-1, le=1)
    no_supply: float = param(
        -0.05, "severity mean shift when no provider is found", "", ge=-1, le=1
    )
    provider_fault: float = param(0.05, "severity mean shift for provider faults", "", ge=-1, le=1)
    external: float = param(0.0, "severity mean shift for external failures", "", ge=-1, le=1)


class FailureParameters(Section):
    severity_mean: float = param(0.45, "mean severity of failures", "share", gt=0, lt=1)
    severity_concentration: float = param(
        6.0, "concentration of the Beta severity distribution", "", gt=0
    )
    rejected_severity_shift: float = param(
        0.2, "how much more severe rejected outcomes are than accepted ones", "", ge=0, le=1
    )
    severity_offset: SeverityOffsets = Field(default_factory=SeverityOffsets)
    glitch_rejected_share: float = param(
        0.8, "share of core glitches after which the service is not delivered", "share", ge=0, le=1
    )
    glitch_encounter_share: float = param(
        0.1, "share of glitches that are encounter failures", "share", ge=0, le=1
    )
    provider_encounter_share: float = param(
        0.3,
        "share of provider faults that are encounter failures (e.g. rudeness)",
        "share",
        ge=0,
        le=1,
    )
    provider_rejected_share: float = param(
        0.4,
        "share of core provider faults after which the service is not delivered",
        "share",
        ge=0,
        le=1,
    )
    provider_controllable_share: float = param(
        0.8, "share of provider faults the provider could have prevented", "share", ge=0, le=1
    )
    provider_control_high: float = param(
        0.9, "provider controllability of a preventable fault", "share", ge=0, le=1
    )
    provider_control_low: float = param(
        0.2, "provider controllability of a breakdown", "share", ge=0, le=1
    )
    aggregator_control_glitch: float = param(
        1.0, "platform controllability of its glitches", "share", ge=0, le=1
    )
    aggregator_control_no_supply: float = param(
        0.8, "platform controllability of a failure to find a provider", "share", ge=0, le=1
    )
    external_rate: float = param(
        0.01,
        "probability of an external failure per order in calm periods",
        "per order",
        ge=0,
        le=1,
    )
    external_rejected_share: float = param(
        0.5,
        "share of external failures after which the service is not delivered",
        "share",
        ge=0,
        le=1,
    )
    external_control: float = param(
        0.1,
        "controllability of external failures, by the platform and by the provider",
        "share",
        ge=0,
        le=1,
    )
    disruptions_per_week: float = param(
        0.5, "external disruptions (storms, outages) per week", "per week", ge=0
    )
    disruption_hours_mean: float = param(6.0, "mean length of a disruption", "hours", gt=0)
    disruption_multiplier: float = param(
        5.0, "external failure probability multiplier during a disruption", "x", ge=1, le=100
    )


class AttributionParameters(Section):
    """MODEL.md 5.3 (perceived aggregator control) and 5.4 (responsibility)."""

    intercept: float = param(-2.7, "a0: baseline logit of perceived platform control", "logit")
    intermediation_weight: float = param(
        1.5, "a_I: effect of intermediation on perceived control", "logit"
    )
    brand_weight: float = param(0.5, "a_B: effect of brand salience on perceived control", "logit")
    control_weight: float = param(
        3.0,
        "a_K: effect of the platform's perceived controllability of this failure on perceived "
        "control",
        "logit",
        ge=0,
    )
    encounter_weight: float = param(
        0.5, "a_E: effect of an encounter failure on perceived control", "logit"
    )
    explanation_weight: float = param(
        0.7, "a_expl: effect of an explanation on perceived control", "logit"
    )
    explanation_culture_slope: float = param(
        0.7,
        "s_cult: how much more explanations move individualists (c_cult = 1 − s + s·individualism)",
        "share",
        ge=0,
        le=1,
    )
    perception_noise: float = param(
        0.25,
        "σ0: error of a new, uninformed customer's view of who could have prevented a failure",
        "share",
        ge=0,
        le=1,
    )
    noise_relationship_reduction: float = param(
        0.6,
        "share of that error a customer of full relationship strength no longer makes",
        "share",
        ge=0,
        le=1,
    )
    noise_explanation_reduction: float = param(
        0.5, "share of that error an explanation removes", "share", ge=0, le=1
    )
    blame_base: float = param(
        0.5, "b0: total blame of a failure of zero severity", "share", ge=0, le=2
    )
    blame_severity: float = param(
        0.5, "b_S: growth of total blame with severity", "share", ge=0, le=2
    )
    share_slope: float = param(
        5.0, "k: sensitivity of the platform's blame share to perceived control", "logit", ge=0
    )
    share_severity: float = param(
        1.0, "d_S: effect of severity on the platform's blame share", "logit"
    )
    share_encounter: float = param(
        0.5, "d_E: effect of an encounter failure on the platform's blame share", "logit"
    )
    share_stability: float = param(
        1.0,
        "d_F: effect of a stable (repeated) failure on the platform's blame share (Weiner 2000)",
        "logit",
    )
    blame_floor: float = param(
        0.1, "φ: responsibility each party keeps whatever the cause", "share", ge=0, le=1
    )


class CompensationParameters(Section):
    """MODEL.md 5.5 (expected compensation)."""

    rejected_factor: float = param(
        0.3,
        "κ for rejected outcomes, on top of the refund a rejected order gets by not being "
        "charged (Folkes 1984)",
        "share",
        ge=0,
    )
    accepted_factor: float = param(
        0.3, "κ for accepted outcomes (Gelbrich et al. 2015)", "share", ge=0
    )
    severity_weight: float = param(
        0.5, "g_S: expectation grows with severity (Smith et al. 1999)", "", ge=0
    )
    cap: float = param(1.5, "largest expected compensation as a multiple of price", "x", ge=0)
    key_account_multiplier: float = param(1.3, "m_seg for key accounts", "x", ge=0)
    responsibility_elasticity: float = param(
        1.0,
        "ρ: expected compensation grows with the platform's responsibility as R_A^ρ (P3)",
        "",
        ge=0,
        le=5,
    )
    culture_base: float = param(0.85, "m_cult at individualism 0", "x", ge=0)
    culture_slope: float = param(0.35, "growth of m_cult with individualism", "x")
    relationship_discount: float = param(
        0.2, "h_rel: strong relationships expect less (Hess et al. 2003)", "share", ge=0, le=1
    )
    stability_weight: float = param(
        0.5,
        "g_F: growth of expected compensation when the failure is seen as stable (repeated)",
        "",
        ge=0,
    )
    apology_control_threshold: float = param(
        0.5,
        "perceived control above which a customer of a platform-caused failure expects an apology",
        "share",
        ge=0,
        le=1,
    )


class PunishmentParameters(Section):
    """MODEL.md 5.6 (expected punishment of the provider) and ratings."""

    intercept: float = param(-2.0, "p0", "logit")
    provider_responsibility_weight: float = param(3.0, "p_R", "logit", ge=0)
    aggregator_responsibility_weight: float = param(
        1.0, "p_A: displacement of blame (P4)", "logit", ge=0
    )
    severity_weight: float = param(1.0, "p_S", "logit", ge=0)
    empathy_weight: float = param(
        1.0, "p_emp: empathy for providers who could not help it", "logit", ge=0
    )
    empathy_individual: float = param(1.0, "e_kind for individual providers", "", ge=0, le=1)
    empathy_firm: float = param(0.5, "e_kind for firms", "", ge=0, le=1)
    base_low_rating: float = param(
        0.03,
        "probability of a low rating (≤ 2 stars) after a successful order",
        "share",
        ge=0,
        le=1,
    )


class ComplaintParameters(Section):
    """MODEL.md 5.7."""

    intercept: float = param(-2.0, "c0", "logit")
    severity_weight: float = param(2.0, "c_S", "logit")
    responsibility_weight: float = param(1.5, "c_R", "logit")
    key_account_weight: float = param(1.0, "c_key", "logit")


class SatisfactionParameters(Section):
    """MODEL.md 5.9."""

    loss_base: float = param(
        0.2656354109410644,
        "l0: satisfaction lost per unit of effective severity",
        "share",
        ge=0,
        le=2,
    )
    loss_responsibility: float = param(
        1.3,
        "l_R: extra loss when the platform is held responsible (Iglesias 2009)",
        "share",
        ge=0,
        le=2,
    )
    loss_floor: float = param(
        0.47064383385121233,
        "share of a failure's loss that does not depend on its severity (0 gives MODEL.md's S·(…))",
        "share",
        ge=0,
        le=1,
    )
    lasting_harm: float = param(
        0.5641731855264709,
        "u: satisfaction lost per unit of severity that no recovery repairs (Smith, Bolton & "
        "Wagner 1999)",
        "share",
        ge=0,
        le=1,
    )
    stability_loss: float = param(
        0.5,
        "l_F: how much more a failure seen as stable (repeated) hurts (Weiner 2000; Maxham & "
        "Netemeyer 2002)",
        "",
        ge=0,
        le=5,
    )
    distributive_weight: float = param(0.5, "w_D", "share", ge=0, le=1)
    interactional_weight: float = param(0.3, "w_I", "share", ge=0, le=1)
    procedural_weight: float = param(0.15, "w_P", "share", ge=0, le=1)
    rejected_steepness: float = param(
        6.0, "slope of the S-shaped justice curve for rejected service", "", gt=0
    )
    rejected_midpoint: float = param(
        0.7463139941572868, "compensation/expectation at the curve's midpoint", "", ge=0
    )
    accepted_scale: float = param(
        0.35, "scale of the concave justice curve for accepted service", "", gt=0
    )
    overcompensation_threshold: float = param(
        1.5, "compensation above this multiple of price is penalised (Haesevoets 2017)", "x", gt=0
    )
    overcompensation_penalty: float = param(
        0.3, "justice lost per unit of price above the threshold", "", ge=0
    )
    interactional_without_apology: float = param(
        0.3, "interactional justice when no apology was given nor expected", "share", ge=0, le=1
    )
    hollow_apology: float = param(
        0.5,
        "h: share of an apology's interactional justice lost when it comes without the remedy "
        "the platform is held to owe after an outcome (core) failure, IJ × (1 − h·O) (Halperin, "
        "Ho, List & Muir 2022: apologies for late rides without a coupon did little)",
        "share",
        ge=0,
        le=1,
    )
    owed_follows_blame: bool = param(
        True,
        "the remedy the platform is held to owe, O = R_A·R_A/(R_A + R_P), follows the blame "
        "(false: a full remedy is owed whoever is blamed, O = 1)",
    )
    collectivism_weight: float = param(
        0.5,
        "how much more collectivists weigh the apology (w_I × (1 + c·(0.5 − individualism)))",
        "",
        ge=0,
        le=2,
    )
    delight: float = param(
        0.3,
        "ω: how much more than the loss an excellent recovery of a customer's first recent "
        "failure repairs (the recovery paradox on satisfaction: de Matos, Henrique & Rossi 2007)",
        "share",
        ge=0,
        le=2,
    )
    tolerance: float = param(
        0.15,
        "τ: shortfall of compensation, as a share of the price, that customers tolerate (zone "
        "of tolerance: Zeithaml, Berry & Parasuraman 1993)",
        "share",
        ge=0,
        le=3,
    )
    resource_matching: float = param(
        0.4,
        "μ: how much more compensation weighs after core (outcome) failures, and apology after "
        "encounter (process) failures (Smith, Bolton & Wagner 1999; Roschk & Gelbrich 2014)",
        "",
        ge=0,
        le=1,
    )
    compensation_gate_floor: float = param(
        0.0,
        "γ0: weight compensation keeps as repair when the platform is not held responsible at "
        "all (Grewal, Roggeveen & Tsiros 2008)",
        "share",
        ge=0,
        le=1,
    )
    compensation_gate_first: float = param(
        0.5,
        "γ1: weight compensation has, for a first failure, when the platform is held fully "
        "responsible (Grewal et al. 2008: little for an infrequent failure)",
        "share",
        ge=0,
        le=1,
    )
    compensation_gate_stability: float = param(
        0.75,
        "g_γ: how much more compensation counts when the failure is seen as stable (Grewal et "
        "al. 2008: it counts when the failure is frequent)",
        "",
        ge=0,
    )
    late_remedy_discount: float = param(
        2.5984462670634567,
        "a remedy loses this share of its justice per target time of delay beyond the target "
        "(Gelbrich & Roschk 2011)",
        "",
        ge=0,
    )
    relationship_moderation: float = param(
        2.0,
        "b_rel: how strongly relationship strength amplifies a badly handled failure and buffers "
        "a well handled one, in satisfaction and in loyalty (Grégoire & Fisher 2008; Grégoire, "
        "Tripp & Legoux 2009)",
        "",
        ge=0,
        le=4,
    )
    success_gain: float = param(
        0.05, "share of the gap to 1 regained after a successful order", "share", ge=0, le=1
    )


class RetentionParameters(Section):
    """MODEL.md 5.10, calibrated against the TARP table (see ``sim.calibration``)."""

    intercept: float = param(-2.1908869105952027, "r0", "logit")
    satisfaction_weight: float = param(5.604771951380201, "r_SAT", "logit")
    recent_failures_weight: float = param(
        0.7, "r_n: per recent failure beyond the first", "logit", ge=0
    )
    relationship_weight: float = param(0.8, "r_L: loyalty of strong relationships", "logit", ge=0)
    switching_cost_weight: float = param(1.5, "r_sw", "logit", ge=0)
    intention_conversion: float = param(
        0.1867,
        "λ: share of the stated intention not to come back that customers act on by leaving "
        "(1: they do what they say)",
        "share",
        ge=0,
        le=1,
    )
    habit: float = param(
        1.0,
        "h: how much habit weakens that conversion per weekly order: it is divided by 1 + h·f "
        "for a customer who orders f times a week (Ouellette & Wood 1998; Knox & van Oest 2014)",
        "per order per week",
        ge=0,
        le=20,
    )
    recent_window_days: float = param(
        30.0, "window in which failures count as recent", "days", gt=0
    )


class RelationshipParameters(Section):
    """MODEL.md 5.11 (relationship strength and life-cycle stages, Wilkinson & Young 1997)."""

    success_gain: float = param(
        0.03, "share of the gap to 1 gained per successful order", "share", ge=0, le=1
    )
    failure_loss: float = param(
        0.3, "share of strength lost per unit severity of a failure", "share", ge=0, le=1
    )
    development_from: float = param(
        0.3, "strength at which the development stage begins", "share", ge=0, le=1
    )
    long_term_from: float = param(
        0.6, "strength at which the long-term stage begins", "share", ge=0, le=1
    )
    final_from: float = param(
        0.85, "strength at which the relationship is institutionalised", "share", ge=0, le=1
    )

    @model_validator(mode="after")
    def _thresholds_increase(self) -> RelationshipParameters:
        if not self.development_from <= self.long_term_from <= self.final_from:
            raise ValueError("expected development_from ≤ long_term_from ≤ final_from")
        return self


class BuyingCentreParameters(Section):
    """MODEL.md 14.1: a business customer's buying centre (Webster & Wind 1972). A mean size of
    one is a consumer: one person who meets the failure, complains and decides."""

    size_general: float = param(
        1.0,
        "mean members of a general customer's buying centre (1: a consumer)",
        "members",
        ge=1,
        le=50,
    )
    size_key_account: float = param(
        1.0,
        "mean members of a key account's buying centre (1: one person)",
        "members",
        ge=1,
        le=50,
    )
    influencer_share: float = param(
        0.6,
        "share of influencers among members beyond user, decider and buyer",
        "share",
        ge=0,
        le=1,
    )
    gatekeeper_share: float = param(
        0.2, "share of gatekeepers among them (the rest are further users)", "share", ge=0, le=1
    )
    influence_user: float = param(1.0, "weight of a user's view in the decision to stay", "", ge=0)
    influence_decider: float = param(3.0, "weight of the decider's view", "", ge=0)
    influence_buyer: float = param(1.5, "weight of the buyer's view", "", ge=0)
    influence_influencer: float = param(1.0, "weight of an influencer's view", "", ge=0)
    influence_gatekeeper: float = param(0.5, "weight of a gatekeeper's view", "", ge=0)
    report_amplification: float = param(
        0.0,
        "mean log factor by which the user's report scales a failure's severity for the members "
        "who were not there (> 0 amplifies, < 0 softens)",
        "log",
        ge=-2,
        le=2,
    )
    report_noise: float = param(
        0.3, "spread of that factor from one member told to the next", "log", ge=0, le=3
    )
    hearsay_noise: float = param(
        1.5,
        "perception noise of a member who was not there, as a multiple of the user's",
        "x",
        ge=0,
        le=10,
    )

    @model_validator(mode="after")
    def _shares_fit(self) -> BuyingCentreParameters:
        if self.influencer_share + self.gatekeeper_share > 1.0:
            raise ValueError("expected influencer_share + gatekeeper_share ≤ 1")
        if self.influence_user + self.influence_decider == 0.0:
            raise ValueError("expected influence_user or influence_decider above 0")
        return self


class KamParameters(Section):
    """MODEL.md 14.2: key-account managers for the platform's most valuable customers
    (Millman & Wilson 1995; McDonald, Millman & Rogers 1997). A share of 0: no KAM."""

    share: float = param(
        0.0,
        "share of active customers, the top by spend, given a key-account manager",
        "share",
        ge=0,
        le=1,
    )
    review_days: float = param(
        30.0, "days between reviews of which accounts are managed", "days", gt=0, le=3650
    )
    stage_days: float = param(
        45.0, "days a KAM relationship spends in a stage before the next", "days", gt=0, le=3650
    )
    strength_early: float = param(
        0.4, "share of a KAM's full effect in the early stage", "share", ge=0, le=1
    )
    strength_mid: float = param(
        0.7, "share of its full effect in the mid stage", "share", ge=0, le=1
    )
    strength_partnership: float = param(
        0.9, "share of its full effect in the partnership stage", "share", ge=0, le=1
    )
    strength_synergistic: float = param(
        1.0, "share of its full effect in the synergistic stage", "share", ge=0, le=1
    )
    delay_factor: float = param(
        0.25,
        "recovery delay of a fully effective KAM as a share of the usual",
        "share",
        ge=0,
        le=1,
    )
    attention: float = param(
        0.5,
        "share of the gap to full interactional justice a fully effective KAM closes",
        "share",
        ge=0,
        le=1,
    )
    escalate: bool = param(True, "a KAM has a provider that failed its account warned at once")
    uncoupling_failures: int = param(
        3, "failures of the account within the recent window that end the KAM", "", ge=1
    )
    cost_per_account_per_day: float = param(
        15.0, "what a managed account costs the platform", "currency per day", ge=0
    )


class CultureParameters(Section):
    """MODEL.md 14.3: Hofstede's dimensions beyond individualism. Each effect is centred on the
    middle of its dimension (0.5), so a customer base at the middle behaves as without them."""

    power_distance_complaints: float = param(
        2.0,
        "how much lower the logit of complaining to the platform is per unit of power distance "
        "above 0.5",
        "logit",
        ge=0,
    )
    uncertainty_avoidance_severity: float = param(
        0.6,
        "how much more severe a failure feels per unit of uncertainty avoidance above 0.5",
        "x",
        ge=0,
        le=2,
    )
    uncertainty_avoidance_explanation: float = param(
        1.0,
        "how much more an explanation moves perceived control per unit of uncertainty avoidance "
        "above 0.5",
        "x",
        ge=0,
        le=2,
    )
    long_term_forgiveness: float = param(
        1.0,
        "how much more a relationship keeps the customer after a failure per unit of long-term "
        "orientation above 0.5",
        "x",
        ge=0,
        le=2,
    )


class ContractParameters(Section):
    """MODEL.md 14.4: contracts with a service level agreement (SLA) and its penalty. A share of
    0 in both segments: no contracts."""

    share_general: float = param(
        0.0,
        "share of general customers with an SLA contract (at the middle of uncertainty avoidance "
        "and individualism)",
        "share",
        ge=0,
        le=1,
    )
    share_key_account: float = param(
        0.0, "share of key accounts with an SLA contract (likewise)", "share", ge=0, le=1
    )
    penalty: float = param(
        0.25, "the SLA penalty for a failed order, as a share of its price", "share", gt=0, le=2
    )
    severe_from: float = param(
        0.7,
        "severity from which a failure is expected to be compensated on top of the penalty",
        "share",
        ge=0,
        le=1,
    )
    anchoring: float = param(
        1.0,
        "how far a contract moves what is expected: towards the penalty, or the penalty on top "
        "for severe failures (0: customers ignore it)",
        "share",
        ge=0,
        le=1,
    )
    formality_uncertainty_avoidance: float = param(
        2.0,
        "rise in the logit of having a formal contract per unit of uncertainty avoidance above 0.5",
        "logit",
    )
    formality_individualism: float = param(
        2.0,
        "rise in the logit of having a formal contract per unit of individualism above 0.5",
        "logit",
    )


class Scenario(Section):
    """A complete, validated scenario: one value for every parameter of the model."""

    name: str = param("baseline", "scenario name, used in output folders")

    @field_validator("name")
    @classmethod
    def _name_is_one_folder(cls, name: str) -> str:
        """The name becomes a folder under ``results/``: it must not lead anywhere else."""
        if not SAFE_NAME.fullmatch(name):
            raise ValueError(
                "a single folder name: letters, digits, '.', '_' or '-', starting with a letter "
                "or digit, up to 100 characters"
            )
        return name

    description: str = param(
        "The built-in baseline: a ride-hailing or delivery platform of middling intermediation.",
        "what the scenario is for (copied into every output, so at most 10,000 characters)",
        max_length=10_000,
    )
    run: RunParameters = Field(default_factory=RunParameters)
    aggregator: AggregatorParameters = Field(default_factory=AggregatorParameters)
    surge: SurgeParameters = Field(default_factory=SurgeParameters)
    fairness: FairnessParameters = Field(default_factory=FairnessParameters)
    demand: DemandParameters = Field(default_factory=DemandParameters)
    recovery: RecoveryParameters = Field(default_factory=RecoveryParameters)
    sanctions: SanctionParameters = Field(default_factory=SanctionParameters)
    providers: ProviderParameters = Field(default_factory=ProviderParameters)
    customers: CustomerParameters = Field(default_factory=CustomerParameters)
    acquisition: AcquisitionParameters = Field(default_factory=AcquisitionParameters)
    failures: FailureParameters = Field(default_factory=FailureParameters)
    attribution: AttributionParameters = Field(default_factory=AttributionParameters)
    compensation: CompensationParameters = Field(default_factory=CompensationParameters)
    punishment: PunishmentParameters = Field(default_factory=PunishmentParameters)
    complaints: ComplaintParameters = Field(default_factory=ComplaintParameters)
    satisfaction: SatisfactionParameters = Field(default_factory=SatisfactionParameters)
    retention: RetentionParameters = Field(default_factory=RetentionParameters)
    relationship: RelationshipParameters = Field(default_factory=RelationshipParameters)
    buying_centre: BuyingCentreParameters = Field(default_factory=BuyingCentreParameters)
    kam: KamParameters = Field(default_factory=KamParameters)
    culture: CultureParameters = Field(default_factory=CultureParameters)
    contracts: ContractParameters = Field(default_factory=ContractParameters)

    def value(self, key: str) -> Any:
        """One parameter by dotted key: ``scenario.value("aggregator.intermediation")``."""
        node: Any = self
        for part in key.split("."):
            if not isinstance(node, BaseModel) or part not in type(node).model_fields:
                raise KeyError(f"unknown parameter {key!r}")
            node = getattr(node, part)
        return node

    def with_values(self, **dotted: Any) -> Scenario:
        """A copy with some parameters changed, by dotted key: ``with_values(**{"run.days": 7})``.

        The result is validated like a scenario file.
        """
        data = self.model_dump()
        for key, value in dotted.items():
            *path, leaf = key.split(".")
            node = data
            for part in path:
                if not isinstance(node.get(part), dict):
                    raise KeyError(f"unknown parameter {key!r}")
                node = node[part]
            if leaf not in node:
                raise KeyError(f"unknown parameter {key!r}")
            node[leaf] = value
        return Scenario.model_validate(data)


@dataclass(frozen=True)
class ParameterInfo:
    """One row of the parameter table: what ``aggsim params`` prints."""

    key: str
    default: Any
    minimum: float | None
    maximum: float | None
    unit: str
    meaning: str
    choices: tuple[str, ...] | None = None


def parameter_table(model: type[BaseModel] = Scenario, prefix: str = "") -> list[ParameterInfo]:
    """Every parameter of the schema, in file order, with its dotted key and metadata."""
    rows: list[ParameterInfo] = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows.extend(parameter_table(annotation, prefix=f"{key}."))
            continue
        minimum = maximum = None
        for constraint in field.metadata:
            minimum = getattr(constraint, "ge", getattr(constraint, "gt", minimum))
            maximum = getattr(constraint, "le", getattr(constraint, "lt", maximum))
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        choices = getattr(annotation, "__args__", None) if "Literal" in str(annotation) else None
        rows.append(
            ParameterInfo(
                key=key,
                default=field.get_default(call_default_factory=True),
                minimum=minimum,
                maximum=maximum,
                unit=str(extra.get("unit", "")),
                meaning=field.description or "",
                choices=tuple(choices) if choices else None,
            )
        )
    return rows


@cache
def parameter_index() -> dict[str, ParameterInfo]:
    """Every parameter by dotted key (computed once; do not modify)."""
    return {row.key: row for row in parameter_table()}
