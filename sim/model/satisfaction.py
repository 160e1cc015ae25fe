"""Satisfaction after a failure episode, through the three justice dimensions (MODEL.md 5.9).

Pure functions: no SimPy, no random state.
"""

from __future__ import annotations

import math

from sim.model.attribution import logistic
from sim.scenario import SatisfactionParameters


def justice_curve(params: SatisfactionParameters, ratio: float, *, rejected: bool) -> float:
    """Distributive justice of a remedy that is ``ratio`` times what was expected (MODEL.md 5.9).

    S-shaped when the service was rejected, ``σ(6·(x − m))``: a refund is owed and little counts
    until it is nearly met. Concave when the service was accepted, ``1 − exp(−x/0.35)``: the
    first compensation counts most (Gelbrich, Gäthke & Grégoire 2015).
    """
    if rejected:
        return logistic(params.rejected_steepness * (ratio - params.rejected_midpoint))
    return 1.0 - math.exp(-ratio / params.accepted_scale)


def distributive_justice(
    params: SatisfactionParameters,
    compensation: float,
    expected_compensation: float,
    price: float,
    *,
    rejected: bool,
) -> float:
    """DJ of a compensation against what was expected, within a zone of tolerance (MODEL.md 5.9).

    ``x = (C + τ·price) / (EC + τ·price)``: a shortfall small against the price is tolerated
    (the zone of tolerance of Zeithaml, Berry & Parasuraman 1993), so a customer who expects
    little finds nothing paid nearly fair, and compensation counts most where much is owed —
    where the platform is held responsible (5.5) and the failure recurs (Grewal, Roggeveen &
    Tsiros 2008). ``x`` goes through :func:`justice_curve`; compensation above 1.5 × price is
    penalised (Haesevoets et al. 2017).
    """
    tolerated = params.tolerance * price
    denominator = expected_compensation + tolerated
    ratio = (compensation + tolerated) / denominator if denominator > 0 else 1.0
    justice = justice_curve(params, ratio, rejected=rejected)
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
    unpaid_owed: float = 0.0,
    encounter: bool = False,
) -> float:
    """IJ: 1 with an apology; 0 when one was expected and not given; a neutral level otherwise.

    An apology that comes without the remedy the platform is held to owe (``unpaid_owed``, O of
    :func:`remedy_owed` when nothing was paid, else 0) after an outcome failure is worth
    ``1 − h·O``: words in place of the remedy owed ring hollow (Halperin, Ho, List & Muir 2022:
    on Uber, apologies for late rides without a coupon did little for what riders then spent).
    After an ``encounter`` failure the apology is itself the matching remedy (Smith, Bolton &
    Wagner 1999; Roschk & Gelbrich 2014), so it is not hollow there.

    ``attention`` is the share of the gap to 1 that a key-account manager's personal handling
    closes (MODEL.md 14.2): ``IJ + attention · (1 − IJ)``.
    """
    if apologised:
        return 1.0 if encounter else 1.0 - params.hollow_apology * unpaid_owed
    justice = 0.0 if apology_expected else params.interactional_without_apology
    return justice + attention * (1.0 - justice)


def remedy_owed(
    aggregator_responsibility: float,
    provider_responsibility: float,
    *,
    follows_blame: bool = True,
) -> float:
    """How far the customer holds the platform to owe a remedy, 0–1 (MODEL.md 5.9).

    ``R_A · R_A / (R_A + R_P)``: the platform's responsibility, times its share of the blame the
    customer lays on the platform and the provider together. A customer who blames the provider
    as much as the platform holds the platform to owe half as much as one who blames the platform
    alone: the platform answers for its own part of the failure, the provider for the rest
    (Grewal, Roggeveen & Tsiros 2008: compensation restores repurchase when the firm is
    responsible, not when another party is). With no provider (R_P NaN) the share is 1.
    Without ``follows_blame`` (``satisfaction.owed_follows_blame`` false, a knockout) every
    customer holds the platform to owe a full remedy, whoever is blamed: 1.
    """
    if not follows_blame:
        return 1.0
    r_a = aggregator_responsibility
    if math.isnan(provider_responsibility) or r_a + provider_responsibility <= 0.0:
        return r_a
    return r_a * r_a / (r_a + provider_responsibility)


def procedural_justice(
    *, answered: bool, resolution: float, delay_hours: float, target_hours: float
) -> float:
    """PJ: how promptly the problem was dealt with, and how far the answer resolved it
    (MODEL.md 5.9).

    ``resolution · timeliness``, timeliness 1 for an answer within the target time and
    ``exp(−(delay − target)/target)`` after it; 0 with no answer. A remedy resolves the problem
    (``resolution`` 1); an answer that pays nothing resolves it only as far as no remedy was owed,
    ``1 −`` :func:`remedy_owed`: a customer who holds the platform to owe a remedy is left with
    its problem unresolved however quickly the refusal comes (TARP's "complained, unresolved"),
    one who holds the provider to blame is dealt with by a prompt, courteous answer (Grewal,
    Roggeveen & Tsiros 2008).
    """
    if not answered:
        return 0.0
    if delay_hours <= target_hours:
        return resolution
    return resolution * math.exp(-(delay_hours - target_hours) / target_hours)


def remedy_worth(params: SatisfactionParameters, delay_hours: float, target_hours: float) -> float:
    """Share of a remedy's justice left after its delay: ``1 / (1 + k·max(0, delay/target − 1))``
    (MODEL.md 5.9), a factor of distributive justice.

    A late remedy repairs less: response speed raises the effect of a recovery (Gelbrich &
    Roschk 2011); the customer has borne the loss in the meantime. It scales the justice of the
    remedy, not its amount, so a late refund that meets the expectation is still seen as the
    refund owed.
    """
    late = delay_hours / target_hours - 1.0
    return 1.0 if late <= 0.0 else 1.0 / (1.0 + params.late_remedy_discount * late)


def compensation_gate(
    params: SatisfactionParameters, aggregator_responsibility: float, stability: float
) -> float:
    """γ: how much compensation counts in the handling of a failure (MODEL.md 5.9).

    ``γ = min(1, γ0 + (1 − γ0)·R_A·(γ1 + g_F·stability))``. Compensation restores repurchase
    when the firm is held responsible *and* the failure is frequent; when the failure is
    infrequent or the firm is not responsible it does little (Grewal, Roggeveen & Tsiros 2008):
    a payment from a party the customer does not blame, for a mishap it does not expect again,
    is a gesture rather than a remedy, and the apology and the promptness of the remedy count
    for more. ``γ1`` is the weight of compensation for a first failure of a fully responsible
    platform, which stability raises to 1.
    """
    gate = params.compensation_gate_floor + (
        1.0 - params.compensation_gate_floor
    ) * aggregator_responsibility * (
        params.compensation_gate_first + params.compensation_gate_stability * stability
    )
    return min(1.0, gate)


def handling_quality(
    params: SatisfactionParameters,
    distributive: float,
    interactional: float,
    procedural: float,
    individualism: float,
    *,
    encounter: bool = False,
    gate: float = 1.0,
) -> float:
    """H: how well the failure was handled, 0–1 (MODEL.md 5.9).

    ``H = (w_D·γ·DJ + w_I·IJ + w_P·PJ) / (w_D·γ + w_I + w_P)``: the three justices weighed by
    their importance for this kind of failure (:func:`justice_weights`), compensation by the
    gate γ (:func:`compensation_gate`). H is the share of the failure's loss the handling
    repairs, and it decides whether a strong relationship turns into betrayal or forgiveness
    (Grégoire & Fisher 2008).
    """
    w_d, w_i, w_p = justice_weights(params, individualism, encounter=encounter)
    w_d *= gate
    total = w_d + w_i + w_p
    repaired = w_d * distributive + w_i * interactional + w_p * procedural
    return repaired / total if total > 0 else 0.5


def justice_weights(
    params: SatisfactionParameters, individualism: float, *, encounter: bool
) -> tuple[float, float, float]:
    """(w_D, w_I, w_P) for a failure of this kind and a customer of this culture (MODEL.md 5.9).

    Resources are matched to the loss (Smith, Bolton & Wagner 1999; Roschk & Gelbrich 2014):
    compensation, an economic resource, weighs more after a core (outcome) failure and apology, a
    social one, after an encounter (process, interaction) failure — ``w_D·(1 ± μ)`` and
    ``w_I·(1 ∓ μ)``; the apology also weighs more for collectivists.
    """
    matching = -params.resource_matching if encounter else params.resource_matching
    interactional = (
        params.interactional_weight
        * (1.0 - matching)
        * (1.0 + params.collectivism_weight * (0.5 - individualism))
    )
    return params.distributive_weight * (1.0 + matching), interactional, params.procedural_weight


def satisfaction_after_episode(
    params: SatisfactionParameters,
    satisfaction_before: float,
    severity: float,
    aggregator_responsibility: float,
    handled: float,
    *,
    relationship: float = 0.0,
    reached: bool = False,
    stability: float = 0.0,
) -> float:
    """SAT1 after the failure and its recovery, in [0, 1] (MODEL.md 5.9).

    ::

        loss   = (f + (1 − f)·S)·(l0 + l_R·R_A)·(1 + l_F·stability)
        J      = H + b_rel·Rel·(H − ½)·1[reached]
        most   = 1 + ω   for a first failure (no earlier one in the recent window), else 1
        SAT1   = clip(SAT0 − u·S − loss + loss·min(most, J·most), 0, 1)

    ``H`` is how well the failure was handled (:func:`handling_quality`), the share of the loss
    it repairs. Attribution to the firm lowers all evaluations (Iglesias 2009): the loss grows
    with the platform's responsibility; a failure that recurs hurts more than a fluke (Weiner
    2000; Maxham & Netemeyer 2002). When the platform was asked to (or did) respond,
    relationship strength amplifies a badly handled failure and buffers a well handled one:
    betrayal and forgiveness (Grégoire & Fisher 2008; Grégoire, Tripp & Legoux 2009). An
    excellent recovery of a first failure repairs more than the loss — up to ``1 + ω`` of it —
    so that a prompt, full recovery of a first, mild failure leaves satisfaction above where it
    was (the recovery paradox on satisfaction: de Matos, Henrique & Rossi 2007), while ``u·S``,
    the harm no recovery repairs (time lost, plans missed: Smith, Bolton & Wagner 1999), keeps it
    from severe ones (Magnini et al. 2007) and a second failure takes it away (Maxham &
    Netemeyer 2002). ``f = 0`` gives MODEL.md's
    original ``loss = S·(l0 + l_R·R_A)``.
    """
    effective_severity = params.loss_floor + (1.0 - params.loss_floor) * severity
    loss = (
        effective_severity
        * (params.loss_base + params.loss_responsibility * aggregator_responsibility)
        * (1.0 + params.stability_loss * stability)
    )
    repaired = handled
    if reached:
        repaired += params.relationship_moderation * relationship * (handled - 0.5)
    most = 1.0 + params.delight if stability == 0.0 else 1.0
    repaired = min(most, repaired * most)
    lasting = params.lasting_harm * severity
    return min(1.0, max(0.0, satisfaction_before - lasting - loss + loss * repaired))


def satisfaction_after_success(params: SatisfactionParameters, satisfaction: float) -> float:
    """A successful order nudges satisfaction towards 1 (MODEL.md 5.9)."""
    return satisfaction + params.success_gain * (1.0 - satisfaction)
