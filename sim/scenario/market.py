"""The run, the platform and its market: ``[run]``, ``[aggregator]``, ``[surge]``, ``[fairness]``,
``[demand]`` (MODEL.md 6)."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from sim.scenario.section import Section, param


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
