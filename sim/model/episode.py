"""A failure episode, from the failure to the customer's decision to stay (MODEL.md 5).

The world (:class:`sim.model.world.World`) opens one when an order fails (:func:`open_episode`)
and closes it when the platform has answered, at once or after the answer's delay
(:func:`close_episode`); it runs in steps, each a section of MODEL.md 5: :func:`begin` (the
failure and its explanation, 5.1–5.2), :func:`appraise_failure` (the judgements, the complaint
and the rating, 5.3–5.7 and 5.12), :func:`plan_recovery` and :func:`pay` (the platform's answer
after its delay, 5.8), :func:`judge` (satisfaction, the decision to stay and the relationship,
5.9–5.11), :func:`record` (the KPIs' totals and the episode table, 7.1 and 7.3) and
:func:`retain` (the decision carried out, 5.15). The judgements themselves are the pure
functions of :mod:`sim.model.judgement` and :mod:`sim.model.buying_centre`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.model.buying_centre import (
    BuyingCentre,
    MemberView,
    appraise_members,
    decide,
    evaluate_members,
    firm_view,
    mean_and_spread,
)
from sim.model.culture import felt_severity
from sim.model.entities import Customer, Provider
from sim.model.failures import CAUSE_OF_CLASS, controllability
from sim.model.hours import HOURS_PER_WEEK
from sim.model.judgement import (
    Appraisal,
    CustomerState,
    Failure,
    Recovery,
    Verdict,
    appraise,
    evaluate,
)
from sim.model.kam import recovery_delay
from sim.model.recovery import compensation_offer, platform_sees_failure
from sim.model.relationship import strength_after_failure
from sim.model.sanctions import PUNISHMENT_LEVEL
from sim.model.streams import beta_parameters
from sim.scenario.kinds import FailureClass

if TYPE_CHECKING:
    from sim.model.world import World


#: The judgements of which episode rows give the buying centre's mean and spread (MODEL.md 14.1).
MEMBER_JUDGEMENTS: tuple[str, ...] = (
    "perceived_control",
    "aggregator_responsibility",
    "provider_responsibility",
    "expected_compensation_share",
    "expected_punishment",
    "satisfaction_after",
)

#: Columns of the failure-episode table (MODEL.md 7.3), then the true controllabilities, the
#: provider's kind (``individual`` or ``firm``, empty when none), the order's price, and the
#: customer's view of the platform's controllability, the failure's stability (from earlier
#: recent failures), the compensation gate, the quality of the handling, the chance of a
#: complaint, the stated intention to buy again and the chance of leaving (MODEL.md 5.3–5.10,
#: 5.15); then the buying centre's size, its members'
#: judgements (mean and spread: standard deviation across members) and the user's and the decider's
#: satisfaction after the episode (MODEL.md 14.1). For a firm, the judgement columns above are the
#: firm's view (the members' weighted by influence) and the complaint is the complainant's. Last,
#: the stage of the account's key-account management, empty without one (MODEL.md 14.2), and the
#: SLA penalty of a contracted order as a share of its price, 0 without a contract (14.4).
EPISODE_COLUMNS: tuple[str, ...] = (
    "replication",
    "time",
    "customer_id",
    "provider_id",
    "segment",
    "cause",
    "failure_class",
    "kind",
    "outcome",
    "severity",
    "surge",
    "explained",
    "explanation_blames",
    "perceived_control",
    "aggregator_responsibility",
    "provider_responsibility",
    "expected_compensation",
    "expected_compensation_share",
    "expected_punishment",
    "complained",
    "compensation_paid",
    "apology",
    "recovery_delay",
    "satisfaction_before",
    "satisfaction_after",
    "relationship",
    "individualism",
    "provider_rating",
    "retained",
    "provider_sanction",
    "aggregator_controllability",
    "provider_controllability",
    "provider_kind",
    "price",
    "perceived_controllability",
    "earlier_recent_failures",
    "stability",
    "compensation_gate",
    "handling_quality",
    "complaint_probability",
    "repurchase_intention",
    "leave_probability",
    "buying_centre_size",
    *(
        f"members_{judgement}_{moment}"
        for judgement in MEMBER_JUDGEMENTS
        for moment in ("mean", "spread")
    ),
    "user_satisfaction_after",
    "decider_satisfaction_after",
    "kam_stage",
    "sla_penalty",
)


def explanation_blames(*, explained: bool, cause: str, names_platform: bool) -> str:
    """Whom the platform's explanation of a failure blamed (MODEL.md 5.2): itself, the provider
    (the true cause, or the platform's own fault shifted onto the provider), outside events, or
    no one when it did not explain."""
    if not explained:
        return ""
    if names_platform:
        return "platform"
    return "outside" if cause == "external" else "provider"


def members_columns(
    centre: BuyingCentre | None, appraisals: Sequence[Appraisal], verdicts: Sequence[Verdict]
) -> tuple[float, ...]:
    """The episode row's buying-centre columns (MODEL.md 14.1): size, the members' mean and
    spread of each of :data:`MEMBER_JUDGEMENTS`, the user's and the decider's satisfaction.
    ``appraisals`` and ``verdicts`` are the members', the user's first."""
    row: list[float] = [len(verdicts)]
    for judgement in MEMBER_JUDGEMENTS:
        if judgement == "satisfaction_after":
            values = [v.satisfaction_after for v in verdicts]
        else:
            values = [getattr(a, judgement) for a in appraisals]
        row.extend(mean_and_spread(values))
    decider = 0 if centre is None else centre.decider
    row += [verdicts[0].satisfaction_after, verdicts[decider].satisfaction_after]
    return tuple(row)


@dataclass(slots=True)
class Episode:
    """A failure as it reaches its customer (MODEL.md 5.1–5.2): the order, the failure's
    severity and true controllabilities, the explanation, and the customer as it stands."""

    customer: Customer
    provider: Provider | None
    price: float
    surge: bool
    encounter: bool
    rejected: bool
    counted: bool
    time: float
    cause: str
    severity: float
    aggregator_control: float
    provider_control: float
    #: The strength of the account's key-account manager (0 without one) and its stage.
    managed: float
    kam_stage: str
    failure: Failure
    state: CustomerState


@dataclass(slots=True)
class Judgement:
    """What the customer made of the failure before the platform answered (MODEL.md 5.3–5.7):
    the user's appraisal, the buying centre's members' (none for a person), the view the
    customer acts on, the complaint and the provider's rating (0: not rated)."""

    users_view: Appraisal
    members: tuple[MemberView, ...]
    judged: Appraisal
    complained: bool
    stars: int


@dataclass(slots=True)
class Outcome:
    """How the episode ended (MODEL.md 5.9–5.11): every member's verdict (the user's first), the
    verdict the customer acts on, satisfaction and relationship before, and whether it stayed."""

    verdicts: tuple[Verdict, ...]
    verdict: Verdict
    satisfaction_before: float
    relationship_before: float
    retained: bool


#: An episode opened and waiting for the platform's answer: the failure, what the customer made
#: of it, and the recovery the platform planned.
Opened = tuple[Episode, Judgement, Recovery]


def open_episode(
    world: World,
    customer: Customer,
    provider: Provider | None,
    price: float,
    *,
    surge: bool,
    failure_class: FailureClass,
    encounter: bool,
    rejected: bool,
    counted: bool,
) -> Opened:
    """A failure episode up to the platform's answer (MODEL.md 5.1–5.8): the failure, the
    customer's judgements, the complaint and the rating, and the recovery the platform plans. The
    world closes it with :func:`close_episode`, at once or after the answer's delay.

    The steps draw their random numbers in a fixed order, the same on every episode whatever
    happens in it, so that scenarios compared with common random numbers stay aligned."""
    episode = begin(
        world, customer, provider, price, surge, failure_class, encounter, rejected, counted
    )
    judgement = appraise_failure(world, episode)
    return episode, judgement, plan_recovery(world, episode, judgement)


def close_episode(world: World, episode: Episode, judgement: Judgement, planned: Recovery) -> bool:
    """The rest of the episode once the platform has answered (MODEL.md 5.8–5.11, 5.15): the
    payment, the customer's verdict, the records and the decision to stay. Returns whether the
    provider got a low rating or a complaint."""
    recovery = pay(world, episode, judgement, planned)
    outcome = judge(world, episode, judgement, recovery)
    answered_after = planned.delay_hours if planned.responded else math.nan
    record(world, episode, judgement, recovery, outcome, answered_after)
    retain(world, episode, outcome)
    return judgement.complained or 0 < judgement.stars <= 2


def begin(
    world: World,
    customer: Customer,
    provider: Provider | None,
    price: float,
    surge: bool,
    failure_class: FailureClass,
    encounter: bool,
    rejected: bool,
    counted: bool,
) -> Episode:
    """5.1 the failure's severity and true controllability; 14.2 the account's key-account
    manager; 5.2 the platform's explanation (its draws taken on every episode, to keep the
    streams aligned; a key-account manager explains every failure of its account)."""
    s, streams, now = world.scenario, world.streams, world.env.now
    f = s.failures
    cause = CAUSE_OF_CLASS[failure_class]
    offset = getattr(f.severity_offset, failure_class)
    shift = f.rejected_severity_shift / 2.0
    mean = min(0.97, max(0.03, f.severity_mean + offset + (shift if rejected else -shift)))
    severity = streams.severity.beta(*beta_parameters(mean, f.severity_concentration))
    preventable = streams.episodes.uniform() < f.provider_controllable_share
    aggregator_control, provider_control = controllability(
        s, failure_class, preventable_by_provider=preventable
    )
    managed = world.kam.strength(customer)
    kam_stage = world.kam.stage(customer) if world.trace else ""
    explained = streams.explanation.uniform() < s.aggregator.explanation_rate or managed > 0
    shifted = streams.explanation.uniform() < s.aggregator.blame_shifting
    failure = Failure(
        failure_class=failure_class,
        encounter=encounter,
        rejected=rejected,
        severity=felt_severity(s.culture, severity, customer.uncertainty_avoidance),
        price=price,
        surge_multiplier=s.surge.multiplier if surge else 1.0,
        aggregator_control=aggregator_control,
        provider_control=provider_control,
        provider_kind="" if provider is None else provider.kind,
        explained=explained,
        names_platform=cause == "aggregator" and not shifted,
        sla_penalty=s.contracts.penalty if customer.contract else 0.0,
    )
    return Episode(
        customer, provider, price, surge, encounter, rejected, counted, now, cause, severity,
        aggregator_control, provider_control, managed, kam_stage, failure,
        customer_state(world, customer),
    )  # fmt: skip


def customer_state(world: World, customer: Customer) -> CustomerState:
    """The customer as the judgement functions see it at the failure (MODEL.md 5.3–5.10)."""
    return CustomerState(
        key_account=customer.key_account,
        individualism=customer.individualism,
        disposition=customer.disposition,
        satisfaction=customer.satisfaction,
        relationship=customer.relationship,
        switching_cost=customer.switching_cost,
        earlier_recent_failures=customer.recent_failures(world.env.now, world.recent_window),
        power_distance=customer.power_distance,
        uncertainty_avoidance=customer.uncertainty_avoidance,
        long_term_orientation=customer.long_term_orientation,
        orders_per_week=customer.order_rate * HOURS_PER_WEEK,
    )


def appraise_failure(world: World, episode: Episode) -> Judgement:
    """5.3–5.7 the judgements before the platform answers — every member of a firm's buying
    centre judges, and the firm acts through its roles (14.1) — then the complaint, 5.6 the
    user's rating and 5.12 the punishment enacted on the provider; the failure is counted."""
    s, streams, customer, provider = (
        world.scenario,
        world.streams,
        episode.customer,
        episode.provider,
    )
    state, failure = episode.state, episode.failure
    users_view = appraise(
        s, state, failure, streams.attribution.normal(), streams.attribution.normal()
    )
    centre = customer.centre
    members: tuple[MemberView, ...] = ()
    judged = users_view
    if centre is not None:
        members = appraise_members(s, centre, state, failure, users_view, streams.buying_centre)
        judged = firm_view(centre, members)
    complained = streams.complaints.uniform() < judged.complaint_probability
    stars = 0
    if provider is not None:
        stars = world.providers.rate(
            provider,
            users_view.expected_punishment,
            at_fault=episode.cause == "provider",
            counted=episode.counted,
        )
        if complained:
            provider.complaints += 1
        if episode.managed > 0 and s.kam.escalate and episode.cause == "provider":
            world.providers.warn(provider, counted=episode.counted)
    customer.failures += 1
    customer.remember_failure(episode.time)
    count_failure(world, episode, judged, complained)
    return Judgement(users_view, members, judged, complained, stars)


def plan_recovery(world: World, episode: Episode, judgement: Judgement) -> Recovery:
    """5.8 the platform's answer as it plans it: whether it reaches the customer (a complaint,
    a key-account manager, an SLA claim (14.4), or a failure it sees and answers unasked), the
    compensation it offers and its apology, and the delay before it answers. One draw per
    reached failure, whatever the share compensated, so randomised recoveries share their random
    numbers across scenarios (common random numbers)."""
    s, streams, customer = world.scenario, world.streams, episode.customer
    r = s.recovery
    delay = streams.recovery.exponential(r.delay_mean_hours)
    estimate = judgement.judged.expected_compensation * math.exp(
        streams.recovery.normal(0.0, r.estimate_noise)
    )
    reached = bool(
        judgement.complained
        or episode.managed > 0
        or customer.contract
        or (
            r.proactive
            and platform_sees_failure(episode.failure.failure_class, rejected=episode.rejected)
        )
    )
    if episode.managed > 0:
        delay = recovery_delay(s.kam, delay, episode.managed)
    randomised_in = reached and streams.trials.uniform() < r.compensated_share
    offer = (
        compensation_offer(
            r, episode.price, key_account=customer.key_account, estimated_expectation=estimate
        )
        if randomised_in
        else 0.0
    )
    if customer.contract:  # 14.4 the platform honours its SLA
        offer = max(offer, episode.failure.sla_penalty * episode.price)
    attention = episode.managed * s.kam.attention
    return Recovery(reached, offer, reached and r.apology, delay, attention)


def pay(world: World, episode: Episode, judgement: Judgement, planned: Recovery) -> Recovery:
    """The answer given: the compensation the day's budget still grants, and the money that
    follows it — chargeback and fine from a provider at fault (MODEL.md 5.8, 5.12, 5.14)."""
    offer = planned.compensation
    paid = world.budget.grant(offer, world.env.now) if offer > 0 else 0.0
    settle(world, episode, complained=judgement.complained, paid=paid)
    return Recovery(
        planned.reached, paid, planned.apologised, planned.delay_hours, planned.attention
    )


def judge(world: World, episode: Episode, judgement: Judgement, recovery: Recovery) -> Outcome:
    """5.9 satisfaction after the recovery and 5.10 the decision to stay (a firm decides through
    its decider, 14.1), then 5.11 the relationship after the failure."""
    s, customer = world.scenario, episode.customer
    users_verdict = evaluate(s, episode.state, episode.failure, judgement.users_view, recovery)
    verdict = users_verdict
    verdicts: tuple[Verdict, ...] = (users_verdict,)
    if customer.centre is not None:
        verdicts = (users_verdict, *evaluate_members(s, judgement.members[1:], recovery))
        verdict = decide(customer.centre, verdicts)
    satisfaction_before = customer.satisfaction
    customer.satisfaction = verdict.satisfaction_after
    retained = world.streams.retention.uniform() >= verdict.leave_probability
    relationship_before = customer.relationship
    customer.relationship = strength_after_failure(
        s.relationship, relationship_before, episode.severity
    )
    world.update_standing(customer)
    return Outcome(verdicts, verdict, satisfaction_before, relationship_before, retained)


def retain(world: World, episode: Episode, outcome: Outcome) -> None:
    """The customer's decision carried out: a key-account manager hears of the failure (14.2),
    and a customer who decided to leave leaves (MODEL.md 5.15)."""
    customer = episode.customer
    if customer.kam is not None:
        recent = customer.recent_failures(world.env.now, world.recent_window)
        world.kam.after_failure(customer, recent)
    if not outcome.retained:
        world.churn(customer, after_failure=True)


#: The counts of failures by cause and by class, by name (MODEL.md 7.1).
CAUSE_COUNT: dict[str, str] = {c: f"failures_cause_{c}" for c in set(CAUSE_OF_CLASS.values())}
CLASS_COUNT = {kind: f"failures_class_{kind}" for kind in CAUSE_OF_CLASS}


def count_failure(world: World, episode: Episode, judged: Appraisal, complained: bool) -> None:
    """The failure in the day's counts and, in the counted window, the KPIs' totals (MODEL.md
    7.1)."""
    cause, provider = episode.cause, episode.provider
    by_cause = CAUSE_COUNT[cause]
    day = world.today
    day.failures += 1
    setattr(day, by_cause, getattr(day, by_cause) + 1)
    day.sum_aggregator_responsibility += judged.aggregator_responsibility
    day.sum_expected_compensation_share += judged.expected_compensation_share
    day.complaints += complained
    if provider is not None:
        day.provider_failures += 1
        day.sum_provider_responsibility += judged.provider_responsibility
    if not episode.counted:
        return
    t = world.totals
    t.failures += 1
    setattr(t, by_cause, getattr(t, by_cause) + 1)
    by_class = CLASS_COUNT[episode.failure.failure_class]
    setattr(t, by_class, getattr(t, by_class) + 1)
    t.sum_perceived_control += judged.perceived_control
    t.sum_aggregator_responsibility += judged.aggregator_responsibility
    t.sum_expected_compensation += judged.expected_compensation
    t.sum_expected_compensation_share += judged.expected_compensation_share
    t.complaints += complained
    if provider is not None:
        t.provider_failures += 1
        t.sum_provider_responsibility += judged.provider_responsibility
        t.sum_expected_punishment += judged.expected_punishment
        t.sum_punishment_gap += PUNISHMENT_LEVEL[provider.state] - judged.expected_punishment


def settle(world: World, episode: Episode, *, complained: bool, paid: float) -> None:
    """Money after a recovery: compensation, chargeback and fine (MODEL.md 5.8, 5.12, 5.14)."""
    s, provider = world.scenario, episode.provider
    at_fault = provider is not None and episode.cause == "provider"
    chargeback = paid * s.recovery.chargeback_share if at_fault else 0.0
    fine = s.sanctions.fine_per_complaint if at_fault and complained else 0.0
    if at_fault and provider is not None:
        provider.earnings -= chargeback + fine
        provider.earnings_since_review -= chargeback + fine
    world.today.compensation_paid += paid
    if episode.counted:
        t = world.totals
        t.compensation_paid += paid
        t.chargebacks_collected += chargeback
        t.fines_collected += fine
        t.provider_earnings -= chargeback + fine


def record(
    world: World,
    episode: Episode,
    judgement: Judgement,
    recovery: Recovery,
    outcome: Outcome,
    answered_after: float,
) -> None:
    """The resolved episode in the KPIs' totals and, when the world is traced, its row of the
    episode table (:data:`EPISODE_COLUMNS`; MODEL.md 7.3). ``answered_after`` is the delay of
    the platform's answer (NaN when it did not answer)."""
    if not episode.counted:
        return
    customer, after = episode.customer, outcome.verdict.satisfaction_after
    t = world.totals
    t.resolved_episodes += 1
    t.sum_post_recovery_satisfaction += after
    if customer.key_account:
        t.key_account_resolved_episodes += 1
        t.key_account_sum_post_recovery_satisfaction += after
    t.paradoxes += after > outcome.satisfaction_before
    t.recoveries += recovery.compensation > 0
    t.apologies += recovery.apologised
    if world.trace:
        world.episodes.append(
            episode_row(world, episode, judgement, recovery, outcome, answered_after)
        )


def episode_row(
    world: World,
    episode: Episode,
    judgement: Judgement,
    recovery: Recovery,
    outcome: Outcome,
    answered_after: float,
) -> tuple:
    """One row of the episode table, in :data:`EPISODE_COLUMNS` order (MODEL.md 7.3)."""
    customer, provider, failure = episode.customer, episode.provider, episode.failure
    judged, verdict = judgement.judged, outcome.verdict
    appraisals = [m.appraisal for m in judgement.members] or [judgement.users_view]
    return (
        world.replication,
        episode.time,
        customer.id,
        -1 if provider is None else provider.id,
        customer.segment,
        episode.cause,
        failure.failure_class,
        "encounter" if episode.encounter else "core",
        "rejected" if episode.rejected else "accepted",
        episode.severity,
        episode.surge,
        failure.explained,
        explanation_blames(
            explained=failure.explained, cause=episode.cause, names_platform=failure.names_platform
        ),
        judged.perceived_control,
        judged.aggregator_responsibility,
        judged.provider_responsibility,
        judged.expected_compensation,
        judged.expected_compensation_share,
        judged.expected_punishment,
        judgement.complained,
        recovery.compensation,
        recovery.apologised,
        answered_after,
        outcome.satisfaction_before,
        verdict.satisfaction_after,
        outcome.relationship_before,
        customer.individualism,
        judgement.stars,
        outcome.retained,
        "" if provider is None else provider.state,
        episode.aggregator_control,
        episode.provider_control,
        failure.provider_kind,
        episode.price,
        judged.perceived_controllability,
        episode.state.earlier_recent_failures,
        judged.stability,
        verdict.compensation_gate,
        verdict.handling_quality,
        judged.complaint_probability,
        verdict.repurchase_intention,
        verdict.leave_probability,
        *members_columns(customer.centre, appraisals, outcome.verdicts),
        episode.kam_stage,
        failure.sla_penalty,
    )
