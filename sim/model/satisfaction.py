"""Satisfaction after a failure episode, through the three justice dimensions (MODEL.md 5.9).

Pure functions: no SimPy, no random state.
"""

from __future__ import annotations

import math

from sim.model.attribution import logistic
from sim.scenario import SatisfactionParameters


def distributive_justice(
    params: SatisfactionParameters,
    compensation: float,
    expected_compensation: float,
    price: float,
    *,
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
    params: SatisfactionParameters,
    *,
    apologised: bool,
    apology_expected: bool,
    attention: float = 0.0,
) -> float:
    """IJ: 1 with an apology; 0 when one was expected and not given; a neutral level otherwise.

    ``attention`` is the share of the gap to 1 that a key-account manager's personal handling
    closes (MODEL.md 14.2): ``IJ + attention · (1 − IJ)``.
    """
    if apologised:
        return 1.0
    justice = 0.0 if apology_expected else params.interactional_without_apology
    return justice + attention * (1.0 - justice)


def procedural_justice(*, recovered: bool, delay_hours: float, target_hours: float) -> float:
    """PJ: 1 for a recovery within the target time, decaying after it; 0 with no recovery."""
    if not recovered:
        return 0.0
    if delay_hours <= target_hours:
        return 1.0
    return math.exp(-(delay_hours - target_hours) / target_hours)


def remedy_worth(params: SatisfactionParameters, delay_hours: float, target_hours: float) -> float:
    """Share of a remedy's worth left after its delay: ``1 / (1 + k·max(0, delay/target − 1))``.

    A late remedy is worth less: response speed raises the effect of a recovery (Gelbrich &
    Roschk 2011); the customer has borne the loss in the meantime.
    """
    late = delay_hours / target_hours - 1.0
    return 1.0 if late <= 0.0 else 1.0 / (1.0 + params.late_remedy_discount * late)


def compensation_gate(
    params: SatisfactionParameters, aggregator_responsibility: float, stability: float
) -> float:
    """γ: how much of compensation's distributive justice repairs satisfaction with the platform.

    ``γ = min(1, γ0 + (1 − γ0)·R_A·(1 + g_F·stability))``. Compensation restores loyalty when the
    firm is held responsible and the failure is frequent, and does little when it is not
    (Grewal, Roggeveen & Tsiros 2008): a payment from a party the customer does not blame mends
    little of what the customer holds against it.
    """
    gate = params.compensation_gate_floor + (
        1.0 - params.compensation_gate_floor
    ) * aggregator_responsibility * (1.0 + params.compensation_gate_stability * stability)
    return min(1.0, gate)


def handling_quality(
    params: SatisfactionParameters,
    distributive: float,
    interactional: float,
    procedural: float,
    individualism: float,
) -> float:
    """H: how fair the handling was, 0–1: the three justices at their full weights, as a share of
    the most they could bring (MODEL.md 5.9).

    The compensation gate γ decides how much a payment mends satisfaction with the platform; it
    does not enter H: a compensation the customer expected and did not get makes the handling
    unfair whoever was to blame, and it is the fairness of the handling that turns a strong
    relationship into betrayal or forgiveness (Grégoire & Fisher 2008).
    """
    weights = _justice_weights(params, individualism, 1.0)
    total = sum(weights)
    repaired = weights[0] * distributive + weights[1] * interactional + weights[2] * procedural
    return repaired / total if total > 0 else 0.5


def _justice_weights(
    params: SatisfactionParameters, individualism: float, gate: float
) -> tuple[float, float, float]:
    """(w_D·γ, w_I', w_P): the apology weighs more for collectivists."""
    interactional = params.interactional_weight * (
        1.0 + params.collectivism_weight * (0.5 - individualism)
    )
    return params.distributive_weight * gate, interactional, params.procedural_weight


def satisfaction_after_episode(
    params: SatisfactionParameters,
    satisfaction_before: float,
    severity: float,
    aggregator_responsibility: float,
    distributive: float,
    interactional: float,
    procedural: float,
    individualism: float,
    *,
    paradox_eligible: bool,
    gate: float = 1.0,
    relationship: float = 0.0,
    reached: bool = False,
    stability: float = 0.0,
) -> float:
    """SAT1 after the failure and its recovery, in [0, 1] (MODEL.md 5.9).

    ::

        loss   = (f + (1 − f)·S)·(l0 + l_R·R_A)·(1 + l_F·stability)
        repair = w_D·γ·DJ + w_I'·IJ + w_P·PJ
        H      = repair / (w_D·γ + w_I' + w_P)                 (how well it was handled, 0–1)
        SAT1   = clip(SAT0 − u·S − loss + loss·min(1, repair + b_rel·Rel·(H − ½)·1[reached])
                      + ε_SRP, 0, 1)

    MODEL.md 5.9's ``loss = S·(l0 + l_R·R_A)`` is the case ``f = 0``: the floor ``f``
    (``satisfaction.loss_floor``) makes part of the loss independent of severity (TARP shows
    handling moving retention about as much after a minor problem as after a major one), while
    ``u·S`` is the harm no recovery repairs — time lost, plans missed — so that severity costs
    about as much however well the failure is handled, as in TARP's table (Smith, Bolton & Wagner
    1999 find failure magnitude lowering satisfaction after the recovery too).
    Attribution to the firm lowers all evaluations (Iglesias 2009); a failure that recurs hurts
    more than a fluke (Weiner 2000: stable causes raise anger and the expectation of more;
    Maxham & Netemeyer 2002); distributive justice weighs most, then interactional, procedural
    least (Orsingher et al. 2010; Gelbrich & Roschk 2011); ``γ`` gates compensation by
    responsibility and stability (:func:`compensation_gate`). When the platform was asked to (or
    did) respond, relationship strength amplifies a badly handled failure and buffers a well
    handled one: betrayal and forgiveness (Grégoire & Fisher 2008; Grégoire, Tripp & Legoux 2009).
    ``ε_SRP`` is the small recovery-paradox bonus (Michel & Meuter 2008; de Matos et al. 2007),
    given only when ``paradox_eligible``.
    """
    effective_severity = params.loss_floor + (1.0 - params.loss_floor) * severity
    loss = (
        effective_severity
        * (params.loss_base + params.loss_responsibility * aggregator_responsibility)
        * (1.0 + params.stability_loss * stability)
    )
    w_d, w_i, w_p = _justice_weights(params, individualism, gate)
    repaired = w_d * distributive + w_i * interactional + w_p * procedural
    if reached:
        handled = handling_quality(params, distributive, interactional, procedural, individualism)
        repaired += params.relationship_moderation * relationship * (handled - 0.5)
    repaired = min(1.0, repaired)  # forgiveness buffers a loss; only ε_SRP turns it into a gain
    # A paradox recovery makes good even the lasting harm of its mild failure, and delights.
    bonus = params.paradox_bonus if paradox_eligible else 0.0
    lasting = 0.0 if paradox_eligible else params.lasting_harm * severity
    return min(1.0, max(0.0, satisfaction_before - lasting - loss + loss * repaired + bonus))


def paradox_eligible(
    params: SatisfactionParameters,
    *,
    first_failure: bool,
    severity: float,
    distributive: float,
    apologised: bool,
    perceived_controllability: float,
) -> bool:
    """The recovery paradox needs a first, mild failure the customer sees as beyond the
    platform's control, recovered fully and with an apology (Magnini et al. 2007); it vanishes
    after a second failure (Maxham & Netemeyer 2002). With no bonus there is no paradox."""
    return (
        params.paradox_bonus > 0.0
        and first_failure
        and severity <= params.paradox_max_severity
        and perceived_controllability < 0.5
        and distributive >= 0.9
        and apologised
    )


def satisfaction_after_success(params: SatisfactionParameters, satisfaction: float) -> float:
    """A successful order nudges satisfaction towards 1 (MODEL.md 5.9)."""
    return satisfaction + params.success_gain * (1.0 - satisfaction)
