"""What a failure truly is: its cause and who could have prevented it (MODEL.md 3, 5.1).

The customer never sees these values directly; it infers them from cues (``sim.model.judgement``).
"""

from __future__ import annotations

from typing import assert_never

from sim.scenario import Scenario
from sim.scenario.kinds import Cause, FailureClass

CAUSE_OF_CLASS: dict[FailureClass, Cause] = {
    "glitch": "aggregator",
    "no_supply": "aggregator",
    "provider_fault": "provider",
    "external": "external",
}


def controllability(
    scenario: Scenario, failure_class: FailureClass, *, preventable_by_provider: bool
) -> tuple[float, float]:
    """True controllability of a failure by the platform and by the provider (MODEL.md 5.1).

    The platform controls its own systems (glitches: ``failures.aggregator_control_glitch``) and
    its supply and matching (no supply: ``failures.aggregator_control_no_supply``). A provider's
    fault it could have prevented by not admitting the provider or by catching the fault in
    progress: ``(aggregator.vetting + aggregator.monitoring) / 2``. Nobody controls much of an
    external failure (``failures.external_control``). The provider controls a preventable fault
    (late, rude, careless) far more than a breakdown.
    """
    f = scenario.failures
    match failure_class:
        case "glitch":
            return f.aggregator_control_glitch, 0.0
        case "no_supply":
            return f.aggregator_control_no_supply, 0.0
        case "provider_fault":
            a = scenario.aggregator
            provider = (
                f.provider_control_high if preventable_by_provider else f.provider_control_low
            )
            return (a.vetting + a.monitoring) / 2.0, provider
        case "external":
            return f.external_control, f.external_control
        case _:
            assert_never(failure_class)
