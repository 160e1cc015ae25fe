"""The constructs a vignette study measures: the model's latent judgements, each on [0, 1]
(MODEL.md 12.2).

Each construct is one quantity of :func:`sim.model.judgement.appraise` (before the platform
answers) or :func:`~sim.model.judgement.evaluate` (after its remedy). Expected compensation is a
share of the price up to ``compensation.cap``; it is divided by the cap to lie on [0, 1] like the
others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sim.model.judgement import Appraisal, Verdict, appraise, evaluate
from sim.model.population import CustomerTraits
from sim.scenario import Scenario
from sim.vignette.story import Episode, Story, episode


@dataclass(frozen=True)
class Construct:
    """A latent judgement: its meaning, the model section it comes from, and how it is read from
    the judgement model's output."""

    name: str
    meaning: str
    section: str
    after_remedy: bool
    read: Callable[[Scenario, Appraisal, Verdict | None], float]


CONSTRUCTS: dict[str, Construct] = {
    c.name: c
    for c in (
        Construct(
            "perceived_control",
            "how much the platform controls the failed service (PAC)",
            "5.3",
            False,
            lambda s, a, v: a.perceived_control,
        ),
        Construct(
            "aggregator_responsibility",
            "how responsible the platform is for the failure (R_A)",
            "5.4",
            False,
            lambda s, a, v: a.aggregator_responsibility,
        ),
        Construct(
            "provider_responsibility",
            "how responsible the provider is for the failure (R_P)",
            "5.4",
            False,
            lambda s, a, v: a.provider_responsibility,
        ),
        Construct(
            "expected_compensation",
            "compensation expected from the platform, as a share of the largest (EC/price/cap)",
            "5.5",
            False,
            lambda s, a, v: a.expected_compensation_share / s.compensation.cap,
        ),
        Construct(
            "expected_punishment",
            "punishment wanted for the provider (EP)",
            "5.6",
            False,
            lambda s, a, v: a.expected_punishment,
        ),
        Construct(
            "complaint_intention",
            "intention to complain to the platform",
            "5.7",
            False,
            lambda s, a, v: a.complaint_probability,
        ),
        Construct(
            "distributive_justice",
            "fairness of the remedy's outcome (DJ)",
            "5.9",
            True,
            lambda s, a, v: _verdict(v).distributive,
        ),
        Construct(
            "satisfaction",
            "satisfaction after the episode (SAT)",
            "5.9",
            True,
            lambda s, a, v: _verdict(v).satisfaction_after,
        ),
        Construct(
            "repurchase_intention",
            "intention to keep using the platform (the stated chance of buying again)",
            "5.10",
            True,
            lambda s, a, v: _verdict(v).repurchase_intention,
        ),
    )
}


def _verdict(verdict: Verdict | None) -> Verdict:
    assert verdict is not None, "a construct after the remedy needs the verdict"
    return verdict


def judgements(
    scenario: Scenario,
    story: Story,
    traits: CustomerTraits,
    aggregator_error: float,
    provider_error: float,
    constructs: Sequence[str],
) -> list[float]:
    """The respondent's latent value of each construct for this vignette (NaN when the story has
    no provider to hold responsible or punish).

    ``aggregator_error``, ``provider_error``: the respondent's standard normal errors in seeing
    who could have prevented the failure (MODEL.md 5.3).
    """
    return judge(
        scenario, episode(scenario, story, traits), aggregator_error, provider_error, constructs
    )


def judge(
    scenario: Scenario,
    seen: Episode,
    aggregator_error: float,
    provider_error: float,
    constructs: Sequence[str],
) -> list[float]:
    """:func:`judgements` of an episode already built (:func:`sim.vignette.story.episode`)."""
    chosen = [CONSTRUCTS[name] for name in constructs]
    failure, customer, recovery = seen
    appraisal = appraise(scenario, customer, failure, aggregator_error, provider_error)
    verdict = (
        evaluate(scenario, customer, failure, appraisal, recovery)
        if any(c.after_remedy for c in chosen)
        else None
    )
    return [c.read(scenario, appraisal, verdict) for c in chosen]
