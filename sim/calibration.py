"""Calibration of the retention submodel against the TARP table (MODEL.md 5.10).

TARP reports the share of customers retained after a minor or a major problem, by how it was
handled. :func:`tarp_comparison` evaluates the model's judgement chain (5.3 → 5.10) for a
representative baseline customer in each cell and sets it beside the target, so the calibration is
reproducible and testable.

How each cell maps onto the model (the representative customer is the baseline's average: first
failure, satisfaction and relationship at their initial means, a general customer of average
individualism; the failure is a preventable provider fault, not explained):

=====================  ===================================================================
minor / major          an accepted (flawed) service of severity 0.25 / a rejected one of 0.7
resolved quickly       complained; compensation meets the expectation, with an apology,
                       within the target time
resolved               complained; the expectation is met in the end, without an apology,
                       after three times the target time
complained, unresolved complained; a timely reply with an apology, no compensation
did not complain       no complaint, so no recovery
=====================  ===================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.model.attribution import perceived_control, responsibility
from sim.model.expectations import expected_compensation_share, expects_apology
from sim.model.retention import stay_probability
from sim.model.satisfaction import (
    distributive_justice,
    interactional_justice,
    paradox_eligible,
    procedural_justice,
    satisfaction_after_episode,
)
from sim.scenario import Scenario

#: Share retained (TARP, via secondary sources), by problem and handling (MODEL.md 5.10).
TARP_TARGETS: dict[tuple[str, str], float] = {
    ("minor", "resolved quickly"): 0.95,
    ("minor", "resolved"): 0.70,
    ("minor", "complained, unresolved"): 0.46,
    ("minor", "did not complain"): 0.37,
    ("major", "resolved quickly"): 0.82,
    ("major", "resolved"): 0.54,
    ("major", "complained, unresolved"): 0.19,
    ("major", "did not complain"): 0.09,
}

PROBLEMS = {"minor": (0.25, False), "major": (0.70, True)}  # severity, rejected


@dataclass(frozen=True)
class Handling:
    """How a failure was handled, in model terms."""

    complained: bool
    compensation_ratio: float  # paid / expected
    apologised: bool
    delay_in_targets: float  # recovery delay as a multiple of the target time


HANDLINGS: dict[str, Handling] = {
    "resolved quickly": Handling(True, 1.0, True, 0.5),
    "resolved": Handling(True, 1.0, False, 3.0),
    "complained, unresolved": Handling(True, 0.0, True, 0.5),
    "did not complain": Handling(False, 0.0, False, 0.0),
}


def cell_retention(scenario: Scenario, problem: str, handling: str) -> float:
    """P(stay) of the representative customer in one TARP cell."""
    severity, rejected = PROBLEMS[problem]
    h = HANDLINGS[handling]
    s = scenario
    c = s.customers
    pac = perceived_control(
        s.attribution,
        s.aggregator.intermediation,
        s.aggregator.brand_salience,
        "provider",
        False,
        0.0,
        0.0,
    )
    aggregator_resp, _ = responsibility(
        s.attribution, pac, severity, False, s.failures.provider_control_high
    )
    price = 1.0
    expected = price * expected_compensation_share(
        s.compensation,
        aggregator_resp,
        rejected,
        severity,
        False,
        c.individualism,
        c.relationship_initial,
    )
    paid = h.compensation_ratio * expected
    distributive = distributive_justice(s.satisfaction, paid, expected, price, rejected)
    interactional = interactional_justice(
        s.satisfaction, h.apologised, expects_apology(s.compensation, "provider", pac)
    )
    responded = h.complained and (paid > 0 or h.apologised)
    target = s.recovery.target_hours
    procedural = procedural_justice(responded, h.delay_in_targets * target, target)
    paradox = paradox_eligible(s.satisfaction, True, severity, distributive, h.apologised)
    satisfaction = satisfaction_after_episode(
        s.satisfaction,
        c.satisfaction_initial,
        severity,
        aggregator_resp,
        distributive,
        interactional,
        procedural,
        c.individualism,
        paradox,
    )
    return stay_probability(
        s.retention,
        satisfaction,
        1,
        c.relationship_initial,
        h.complained,
        distributive,
        c.switching_cost_general,
    )


def tarp_comparison(scenario: Scenario | None = None) -> pd.DataFrame:
    """Model against target for every TARP cell: columns problem, handling, target, model, error."""
    scenario = scenario or Scenario()
    rows = []
    for (problem, handling), target in TARP_TARGETS.items():
        model = cell_retention(scenario, problem, handling)
        rows.append(
            {
                "problem": problem,
                "handling": handling,
                "target": target,
                "model": model,
                "error": model - target,
            }
        )
    return pd.DataFrame(rows)
