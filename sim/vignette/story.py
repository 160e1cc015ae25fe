"""The story a vignette tells: the failure, the customer in it and the platform's remedy
(MODEL.md 12.1).

A vignette fixes what a respondent reads: what failed and why, how bad it was, whether the platform
explained it, who the customer is, and — for studies of recovery — what the platform then did. In
the world these are drawn (MODEL.md 5.1, 5.2, 5.8); in a vignette the design sets them, either for
every condition (``[story]``) or as a factor (``[factors]``). :func:`episode` turns a story and a
respondent into the :class:`~sim.model.judgement.Failure`, :class:`CustomerState` and
:class:`Recovery` the judgement model reads, so a respondent judges a vignette with exactly the
code a customer of the world judges a failure with.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sim.model.failures import controllability
from sim.model.judgement import CustomerState, Failure, Recovery
from sim.model.population import CustomerTraits
from sim.scenario import Scenario
from sim.scenario.kinds import FailureClass

#: What the story says caused the failure → the world's failure class (MODEL.md 3).
CLASS_OF_CAUSE: dict[str, FailureClass] = {
    "provider": "provider_fault",
    "aggregator": "glitch",
    "no_supply": "no_supply",
    "external": "external",
}


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)


class FailureStory(_Part):
    """What failed (MODEL.md 5.1, 5.2)."""

    cause: Literal["provider", "aggregator", "no_supply", "external"] = Field(
        default="provider",
        description="provider: the provider's fault; aggregator: the platform's own system "
        "(a glitch); no_supply: no provider was found; external: nobody's (weather, traffic)",
    )
    severity: float = Field(default=0.5, ge=0, le=1, description="how bad the failure was, 0 to 1")
    encounter: bool = Field(default=False, description="a flaw in the encounter (rude, careless)")
    rejected: bool = Field(
        default=False, description="the service was refused or not delivered at all"
    )
    explanation: Literal["none", "platform", "provider"] = Field(
        default="none",
        description="the platform's explanation names itself, the provider, or is absent",
    )
    preventable: bool = Field(
        default=True, description="a provider's fault it could have prevented"
    )
    surge_multiplier: float = Field(
        default=1.0, ge=1, le=10, description="price paid as a multiple of the normal price"
    )
    provider: Literal["individual", "firm"] = Field(
        default="individual", description="who served: a gig worker or a firm"
    )


class CustomerStory(_Part):
    """Who the customer in the story is; what is not set is the respondent's own (drawn)."""

    key_account: bool | None = Field(
        default=None, description="a key account; unset: drawn from the population"
    )
    earlier_failures: int = Field(
        default=0, ge=0, le=20, description="earlier failures on this platform, recently"
    )
    relationship: float | None = Field(
        default=None, ge=0, le=1, description="relationship strength; unset: the respondent's own"
    )


class RemedyStory(_Part):
    """What the platform did after the failure (MODEL.md 5.8); read only by the judgements of
    the recovery (distributive justice, satisfaction, repurchase)."""

    compensation: float = Field(
        default=0.0, ge=0, le=10, description="compensation paid, share of price"
    )
    apology: bool = Field(default=False, description="the platform apologised")
    delay_hours: float = Field(default=12.0, ge=0, le=10_000, description="hours until the remedy")


class Story(_Part):
    """A complete vignette: the failure, the customer and the remedy."""

    failure: FailureStory = Field(default_factory=FailureStory)
    customer: CustomerStory = Field(default_factory=CustomerStory)
    remedy: RemedyStory = Field(default_factory=RemedyStory)


def story_keys() -> dict[str, str]:
    """Every story attribute by dotted key (``failure.severity``), with its meaning."""
    keys = {}
    for part, field in Story.model_fields.items():
        model = field.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        for name, inner in model.model_fields.items():
            keys[f"{part}.{name}"] = inner.description or ""
    return keys


Episode = tuple[Failure, CustomerState, Recovery]


def episode(scenario: Scenario, story: Story, traits: CustomerTraits) -> Episode:
    """The failure, the customer and the recovery of a vignette as the judgement model reads
    them (MODEL.md 12.1): true controllabilities from the scenario (5.1), the price of the
    customer's segment, the respondent's traits unless the story sets them."""
    f, c, r = story.failure, story.customer, story.remedy
    failure_class = CLASS_OF_CAUSE[f.cause]
    aggregator_control, provider_control = controllability(
        scenario, failure_class, preventable_by_provider=f.preventable
    )
    key_account = traits.key_account if c.key_account is None else c.key_account
    customers = scenario.customers
    price = customers.price_mean_key_account if key_account else customers.price_mean_general
    failure = Failure(
        failure_class=failure_class,
        encounter=f.encounter,
        rejected=f.rejected,
        severity=f.severity,
        price=price,
        surge_multiplier=f.surge_multiplier,
        aggregator_control=aggregator_control,
        provider_control=provider_control,
        provider_kind="" if failure_class == "no_supply" else f.provider,
        explained=f.explanation != "none",
        names_platform=f.explanation == "platform",
    )
    customer = CustomerState(
        key_account=key_account,
        individualism=traits.individualism,
        disposition=traits.disposition,
        satisfaction=traits.satisfaction,
        relationship=traits.relationship if c.relationship is None else c.relationship,
        switching_cost=(
            customers.switching_cost_key_account
            if key_account
            else customers.switching_cost_general
        ),
        earlier_recent_failures=c.earlier_failures,
    )
    recovery = Recovery(
        reached=True,
        compensation=r.compensation * price,
        apologised=r.apology,
        delay_hours=r.delay_hours,
    )
    return failure, customer, recovery
