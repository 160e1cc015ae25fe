"""The customer's judgement of a failure episode, from the failure to the decision to stay.

The chain of MODEL.md 5.2–5.10 exists here once, as two pure functions the world, the demo and
the calibration all use:

- :func:`appraise` — what the customer makes of the failure before the platform answers:
  stability, perceived controllability, perceived control, responsibility, expected compensation
  and punishment, and the chances of a complaint and of a low rating;
- :func:`evaluate` — what the customer makes of the platform's answer: the three justices,
  satisfaction and the intention to buy again (what it would say), and the chance that it
  leaves (what it does, MODEL.md 5.15).

Between the two the world draws the complaint and the rating and runs the recovery. Random
numbers come in as arguments (standard normal perception errors), so both functions are
deterministic and free of SimPy.

The records they take and return are values, never changed once made; they are plain slotted
dataclasses rather than frozen ones because five are made for every failure episode, and a frozen
dataclass costs several times as much to make.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.model.attribution import (
    explanation_effect,
    failure_stability,
    perceived_control,
    perceived_controllability,
    perception_noise,
    responsibility,
)
from sim.model.complaint import complaint_probability
from sim.model.contracts import anchored_expectation
from sim.model.culture import complaint_shift, explanation_receptiveness, forgiveness
from sim.model.expectations import (
    expected_compensation_share,
    expected_punishment,
    expects_apology,
    misdirected_punishment,
    price_unfairness,
)
from sim.model.retention import leave_probability, repurchase_intention
from sim.model.satisfaction import (
    compensation_gate,
    distributive_justice,
    handling_quality,
    interactional_justice,
    procedural_justice,
    remedy_owed,
    remedy_worth,
    satisfaction_after_episode,
)
from sim.scenario import Scenario
from sim.scenario.kinds import FailureClass


@dataclass(slots=True)
class Failure:
    """A failure as it truly was (MODEL.md 3, 5.1) and what the platform said about it (5.2).

    ``provider_kind`` is ``"individual"``, ``"firm"`` or ``""`` when no provider served the
    order; ``sla_penalty`` is the contract's penalty as a share of the price (0: no contract,
    MODEL.md 14.4). The controllabilities are the true ones; the customer sees them only with error.
    """

    failure_class: FailureClass
    encounter: bool
    rejected: bool
    severity: float
    price: float
    surge_multiplier: float
    aggregator_control: float
    provider_control: float
    provider_kind: str
    explained: bool
    names_platform: bool
    sla_penalty: float = 0.0


@dataclass(slots=True)
class CustomerState:
    """The customer as they come to the failure (MODEL.md 3).

    ``earlier_recent_failures`` counts this customer's failures on the platform within the
    recent window before this one.
    The three Hofstede scores beyond individualism default to the middle (MODEL.md 14.3);
    ``orders_per_week`` is the customer's own base order rate (its habit, MODEL.md 5.15).
    """

    key_account: bool
    individualism: float
    disposition: float
    satisfaction: float
    relationship: float
    switching_cost: float
    earlier_recent_failures: int
    power_distance: float = 0.5
    uncertainty_avoidance: float = 0.5
    long_term_orientation: float = 0.5
    orders_per_week: float = 1.0


@dataclass(slots=True)
class Appraisal:
    """The customer's judgements before the platform answers (MODEL.md 5.3–5.7).

    Provider responsibility and expected punishment are NaN when no provider served the order.
    """

    stability: float
    price_unfairness: float
    perceived_controllability: float
    perceived_control: float
    provider_perceived_control: float
    aggregator_responsibility: float
    provider_responsibility: float
    expected_compensation_share: float
    expected_compensation: float
    expected_punishment: float
    apology_expected: bool
    complaint_probability: float


@dataclass(slots=True)
class Recovery:
    """What the platform did (MODEL.md 5.8). ``reached``: the customer complained or the platform
    reached out; ``responded``: it paid or apologised, after ``delay_hours``; ``attention``: the
    personal handling of a key-account manager (MODEL.md 14.2; 0 without one)."""

    reached: bool
    compensation: float
    apologised: bool
    delay_hours: float
    attention: float = 0.0

    @property
    def responded(self) -> bool:
        return self.compensation > 0.0 or self.apologised

    @property
    def remedied(self) -> bool:
        """Whether something was put right: a compensation paid (an apology alone leaves the
        problem unresolved, as in TARP's "complained, unresolved")."""
        return self.compensation > 0.0


@dataclass(slots=True)
class Verdict:
    """The customer's judgement of the recovery (MODEL.md 5.9–5.10): what it would say —
    satisfaction and its intention to buy again — and what it does: its chance of leaving
    because of this failure (MODEL.md 5.15)."""

    distributive: float
    interactional: float
    procedural: float
    compensation_gate: float
    handling_quality: float
    satisfaction_after: float
    repurchase_intention: float
    leave_probability: float


def appraise(
    scenario: Scenario,
    customer: CustomerState,
    failure: Failure,
    aggregator_error: float,
    provider_error: float,
) -> Appraisal:
    """The customer's appraisal of a failure (MODEL.md 5.2–5.7).

    Parameters
    ----------
    aggregator_error, provider_error
        Standard normal errors of the customer's view of the platform's and the provider's
        controllability of this failure.
    """
    s = scenario
    a = s.attribution
    stability = failure_stability(customer.earlier_recent_failures)
    noise = perception_noise(a, customer.relationship, explained=failure.explained)
    seen_aggregator = perceived_controllability(failure.aggregator_control, noise, aggregator_error)
    seen_provider = perceived_controllability(failure.provider_control, noise, provider_error)
    explanation = _explanation(s, customer, failure)
    pac = perceived_control(
        a,
        s.aggregator.intermediation,
        s.aggregator.brand_salience,
        seen_aggregator,
        encounter=failure.encounter,
        explanation=explanation,
        disposition=customer.disposition,
    )
    aggregator_resp, provider_resp = responsibility(
        a,
        pac,
        failure.severity,
        encounter=failure.encounter,
        provider_perceived_control=seen_provider,
        stability=stability,
    )
    unfairness = price_unfairness(failure.surge_multiplier)
    share = _expected_share(s, customer, failure, aggregator_resp, stability, unfairness)
    if failure.provider_kind:
        punishment = expected_punishment(
            s.punishment,
            provider_resp,
            aggregator_resp,
            failure.severity,
            seen_provider,
            individual_provider=failure.provider_kind == "individual",
            misdirected=misdirected_punishment(s.fairness, unfairness),
        )
    else:
        provider_resp = punishment = math.nan
    complaint = complaint_probability(
        s.complaints,
        failure.severity,
        aggregator_resp,
        aggregator_resp if math.isnan(provider_resp) else provider_resp,
        key_account=customer.key_account,
        unfair=s.fairness.complaint_weight * unfairness,
        culture=complaint_shift(s.culture, customer.power_distance),
    )
    return Appraisal(
        stability=stability,
        price_unfairness=unfairness,
        perceived_controllability=seen_aggregator,
        perceived_control=pac,
        provider_perceived_control=seen_provider,
        aggregator_responsibility=aggregator_resp,
        provider_responsibility=provider_resp,
        expected_compensation_share=share,
        expected_compensation=share * failure.price,
        expected_punishment=punishment,
        apology_expected=expects_apology(s.compensation, seen_aggregator, pac),
        complaint_probability=complaint,
    )


def _explanation(scenario: Scenario, customer: CustomerState, failure: Failure) -> float:
    """The platform's explanation's shift of perceived control (MODEL.md 5.2), as receptive as
    the customer's culture makes it; 0 when it did not explain."""
    if not failure.explained:
        return 0.0
    effect = explanation_effect(
        scenario.attribution,
        names_platform=failure.names_platform,
        individualism=customer.individualism,
    )
    return effect * explanation_receptiveness(scenario.culture, customer.uncertainty_avoidance)


def _expected_share(
    scenario: Scenario,
    customer: CustomerState,
    failure: Failure,
    aggregator_responsibility: float,
    stability: float,
    unfairness: float,
) -> float:
    """The compensation expected as a share of the price (MODEL.md 5.5), anchored on a
    contract's SLA penalty when there is one (14.4) and never above the cap."""
    s = scenario
    share = expected_compensation_share(
        s.compensation,
        aggregator_responsibility,
        rejected=failure.rejected,
        severity=failure.severity,
        key_account=customer.key_account,
        individualism=customer.individualism,
        relationship=customer.relationship,
        stability=stability,
        unfairness=unfairness,
        unfairness_weight=s.fairness.compensation_weight,
    )
    if failure.sla_penalty > 0:
        share = min(
            s.compensation.cap,
            anchored_expectation(s.contracts, share, failure.sla_penalty, failure.severity),
        )
    return share


def evaluate(
    scenario: Scenario,
    customer: CustomerState,
    failure: Failure,
    appraisal: Appraisal,
    recovery: Recovery,
) -> Verdict:
    """The customer's judgement of the platform's recovery, its intention to buy again and its
    chance of leaving (MODEL.md 5.9, 5.10, 5.15)."""
    s = scenario
    sat = s.satisfaction
    target = s.recovery.target_hours
    worth = remedy_worth(sat, recovery.delay_hours, target) if recovery.responded else 1.0
    distributive = worth * distributive_justice(
        sat,
        recovery.compensation,
        appraisal.expected_compensation,
        failure.price,
        rejected=failure.rejected,
    )
    owed = remedy_owed(
        appraisal.aggregator_responsibility,
        appraisal.provider_responsibility,
        follows_blame=sat.owed_follows_blame,
    )
    interactional = interactional_justice(
        sat,
        apologised=recovery.apologised,
        apology_expected=appraisal.apology_expected,
        attention=recovery.attention,
        unpaid_owed=0.0 if recovery.remedied else owed,
        encounter=failure.encounter,
    )
    gate = compensation_gate(sat, appraisal.aggregator_responsibility, appraisal.stability)
    procedural = procedural_justice(
        answered=recovery.responded,
        resolution=1.0 if recovery.remedied else 1.0 - owed,
        delay_hours=recovery.delay_hours,
        target_hours=target,
    )
    handled = handling_quality(
        sat,
        distributive,
        interactional,
        procedural,
        customer.individualism,
        encounter=failure.encounter,
        gate=gate,
    )
    satisfaction = satisfaction_after_episode(
        sat,
        customer.satisfaction,
        failure.severity,
        appraisal.aggregator_responsibility,
        handled,
        relationship=customer.relationship,
        reached=recovery.reached,
        stability=appraisal.stability,
    )
    intention = repurchase_intention(
        s.retention,
        satisfaction,
        customer.earlier_recent_failures + 1,
        customer.relationship * forgiveness(s.culture, customer.long_term_orientation),
        customer.switching_cost,
        handled if recovery.reached else None,
        sat.relationship_moderation,
    )
    return Verdict(
        distributive=distributive,
        interactional=interactional,
        procedural=procedural,
        compensation_gate=gate,
        handling_quality=handled,
        satisfaction_after=satisfaction,
        repurchase_intention=intention,
        leave_probability=leave_probability(
            s.retention, intention, customer.orders_per_week, customer.switching_cost
        ),
    )
