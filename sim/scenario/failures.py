"""How failures happen: ``[failures]`` and their severity offsets (MODEL.md 6)."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.section import Section, param


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
