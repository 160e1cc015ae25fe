"""The platform's policies after a failure: ``[recovery]`` and ``[sanctions]`` (MODEL.md 6)."""

from __future__ import annotations

from pydantic import model_validator

from sim.scenario.kinds import RecoveryPolicy
from sim.scenario.section import Section, param


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
