"""Satisfaction after a failure episode, through the three justice dimensions (MODEL.md 5.9).

Pure functions: no SimPy, no random state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.model.attribution import logistic
from sim.scenario import SatisfactionParameters


def distributive_justice(
    params: SatisfactionParameters,
    compensation: float,
    expected_compensation: float,
    price: float,
    rejected: bool,
) -> float:
    """DJ from compensation relative to what was expected, ``x = C / EC`` (MODEL.md 5.9).

    S-shaped when the service was rejected, ``σ(6·(x − 0.9))``: a refund is owed and little
    counts until it is nearly met. Concave when the service was accepted, ``1 − exp(−x/0.35)``:
    the first compensation counts most (Gelbrich, Gäthke & Grégoire 2015). Compensation above
    1.5 × price is penalised (Haesevoets et al. 2017).
    """
    ratio = compensation / expected_compensation if expected_compensation > 0 else 1.0
    if rejected:
        justice = logistic(params.rejected_steepness * (ratio - params.rejected_midpoint))
    else:
        justice = 1.0 - math.exp(-ratio / params.accepted_scale)
    if price > 0:
        excess = compensation / price - params.overcompensation_threshold
        if excess > 0:
            justice -= params.overcompensation_penalty * excess
    return min(1.0, max(0.0, justice))


def interactional_justice(
    params: SatisfactionParameters, apologised: bool, apology_expected: bool
) -> float:
    """IJ: 1 with an apology; 0 when one was expected and not given; a neutral level otherwise."""
    if apologised:
        return 1.0
    return 0.0 if apology_expected else params.interactional_without_apology


def procedural_justice(recovered: bool, delay_hours: float, target_hours: float) -> float:
    """PJ: 1 for a recovery within the target time, decaying after it; 0 with no recovery."""
    if not recovered:
        return 0.0
    if delay_hours <= target_hours:
        return 1.0
    return math.exp(-(delay_hours - target_hours) / target_hours)


@dataclass(frozen=True)
class Recovery:
    """What the platform did after a failure, as the customer experienced it."""

    recovered: bool
    compensation: float
    apologised: bool
    delay_hours: float


def satisfaction_after_episode(
    params: SatisfactionParameters,
    satisfaction_before: float,
    severity: float,
    aggregator_responsibility: float,
    distributive: float,
    interactional: float,
    procedural: float,
    individualism: float,
    paradox_eligible: bool,
) -> float:
    """SAT1 after the failure and its recovery, in [0, 1] (MODEL.md 5.9).

    ::

        loss = (f + (1 − f)·S)·(l0 + l_R·R_A)
        SAT1 = clip(SAT0 − loss + loss·(w_D·DJ + w_I'·IJ + w_P·PJ) + ε_SRP, 0, 1)

    MODEL.md writes ``loss = S·(l0 + l_R·R_A)``, which is the case ``f = 0``. The floor ``f``
    (``satisfaction.loss_floor``) makes part of the loss independent of severity: the TARP table
    shows handling moving retention about as much after a minor problem as after a major one,
    which a loss proportional to severity cannot reproduce (see ``sim.calibration``).
    Attribution to the firm lowers all evaluations (Iglesias 2009); distributive justice weighs
    most, then interactional, procedural least (Orsingher et al. 2010; Gelbrich & Roschk 2011).
    The apology weighs more for collectivists: ``w_I' = w_I·(1 + c·(0.5 − individualism))``.
    ``ε_SRP`` is the small recovery-paradox bonus (Michel & Meuter 2008; de Matos et al. 2007),
    given only when ``paradox_eligible`` (see :func:`paradox_eligible`).
    """
    effective_severity = params.loss_floor + (1.0 - params.loss_floor) * severity
    loss = effective_severity * (
        params.loss_base + params.loss_responsibility * aggregator_responsibility
    )
    interactional_weight = params.interactional_weight * (
        1.0 + params.collectivism_weight * (0.5 - individualism)
    )
    repaired = (
        params.distributive_weight * distributive
        + interactional_weight * interactional
        + params.procedural_weight * procedural
    )
    bonus = params.paradox_bonus if paradox_eligible else 0.0
    return min(1.0, max(0.0, satisfaction_before - loss + loss * repaired + bonus))


def paradox_eligible(
    params: SatisfactionParameters,
    first_failure: bool,
    severity: float,
    distributive: float,
    apologised: bool,
) -> bool:
    """The recovery paradox needs a first, mild failure recovered fully and with an apology; it
    vanishes after a second failure (Maxham & Netemeyer 2002)."""
    return (
        first_failure
        and severity <= params.paradox_max_severity
        and distributive >= 0.9
        and apologised
    )


def satisfaction_after_success(params: SatisfactionParameters, satisfaction: float) -> float:
    """A successful order nudges satisfaction towards 1 (MODEL.md 5.9)."""
    return satisfaction + params.success_gain * (1.0 - satisfaction)
