"""The SimPy world: one aggregator, its providers and its customers (MODEL.md sections 3–5).

Processes (MODEL.md 4):

- each customer's next order (segment, satisfaction and the time-of-day profile set the rate)
  or background churn is filed on an agenda (``sim.model.agenda``); when it comes, an order
  process places the order and lives through any failure episode, and only then is the
  customer's next order drawn;
- per order: platform glitch check → matching (wait for a free provider, bounded by patience;
  giving up is a ``no_supply`` failure) → service → provider and external failure checks → the
  failure episode: explanation → attribution → complaint → rating → recovery after a delay →
  satisfaction → retention;
- provider processes: suspension timers, periodic exit reviews, onboarding with vetting;
- customer acquisition with word of mouth; external disruptions; a daily observer.

Provider capacity is a SimPy store of free capacity units, matched by ``sim.model.dispatch``.

Orders are placed only before the horizon; the simulation then runs until every open order and
failure episode has ended, so every counted order is followed to its end.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import simpy

from sim.model.agenda import Agenda
from sim.model.buying_centre import (
    BuyingCentre,
    MemberView,
    appraise_members,
    centre_size,
    decide,
    draw_buying_centre,
    evaluate_members,
    firm_view,
    mean_and_spread,
)
from sim.model.contracts import draws_contract
from sim.model.culture import draw_culture, felt_severity
from sim.model.customer_base import (
    FAILED_DELIVERED,
    FAILED_UNDELIVERED,
    SUCCESS,
    CustomerBase,
)
from sim.model.demand import DemandProfile
from sim.model.dispatch import Dispatch
from sim.model.entities import Customer, Provider
from sim.model.expectations import (
    low_rating_probability,
    misdirected_punishment,
    price_unfairness,
)
from sim.model.failures import CAUSE_OF_CLASS, controllability
from sim.model.judgement import (
    Appraisal,
    CustomerState,
    Failure,
    Recovery,
    Verdict,
    appraise,
    evaluate,
)
from sim.model.kam import AccountManagement, recovery_delay
from sim.model.metrics import DailyCounts, EndState, Totals, daily_row, kpi_row
from sim.model.population import (
    background_churn_delay,
    draw_customer_traits,
    order_rate_factor,
    satisfaction_order_factor,
)
from sim.model.providers import ProviderPopulation
from sim.model.records import plain_copy
from sim.model.recovery import CompensationBudget, compensation_offer, platform_sees_failure
from sim.model.relationship import (
    STAGES,
    stage_index,
    strength_after_failure,
    strength_after_success,
)
from sim.model.sanctions import PUNISHMENT_LEVEL
from sim.model.satisfaction import satisfaction_after_success
from sim.model.streams import Streams, beta_parameters, lognormal_parameters
from sim.scenario import Scenario
from sim.scenario.kinds import FailureClass

HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 168.0

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
class _Order:
    """An order in progress: what was settled when it was placed (MODEL.md 4, 5.1)."""

    customer: Customer
    price: float
    surge: bool
    #: Placed in a peak hour (surge-priced when surge pricing is on).
    peak: bool
    counted: bool
    #: The kind (encounter or not) of a glitch that let the order be served, if it had one.
    glitch_kind: bool | None
    #: The order's draws for a provider's fault and an outside event, taken when it was placed.
    draws: tuple[float, float]
    #: The provider serving it, once one has been found.
    provider: Provider | None = None


class World:
    """One replication of a scenario, built and ready to :meth:`run`.

    Parameters
    ----------
    scenario
        The validated scenario.
    replication
        Replication index; with the root seed it fixes every random stream (MODEL.md 7.4).
    trace
        Keep one row per failure episode (MODEL.md 7.3).
    """

    def __init__(self, scenario: Scenario, replication: int = 0, *, trace: bool = False) -> None:
        # The world reads its parameters from plain records: the same values, read faster.
        scenario = self.scenario = plain_copy(scenario)
        self.replication = replication
        self.trace = trace
        self.env = simpy.Environment()
        self.streams = Streams(scenario.run.seed, replication)
        self.demand = DemandProfile(scenario.demand)
        self.warmup = scenario.run.warmup_days * HOURS_PER_DAY
        self.horizon = self.warmup + scenario.run.days * HOURS_PER_DAY
        self.totals = Totals()
        self.today = DailyCounts()
        self.timeseries: list[tuple] = []
        self.episodes: list[tuple] = []
        self.budget = CompensationBudget(scenario.recovery.daily_budget)
        self.disruption = False
        self.acquisition_rate_per_day = scenario.acquisition.base_per_day
        self.customers: dict[int, Customer] = {}
        self._next_customer_id = 0
        # key-account managers for the most valuable customers (MODEL.md 14.2)
        self.kam = AccountManagement(
            self.env, scenario.kam, scenario.customers, self.customers, self.horizon
        )
        # The census of active customers, kept as they change (MODEL.md 5.11, 5.13).
        self.stage_counts = [0] * len(STAGES)
        self.promoters = 0
        self._churned_detractors = 0.0  # their voice, fading (MODEL.md 5.13)
        self._detractor_daily_retention = 0.5 ** (
            1.0 / scenario.acquisition.detractor_half_life_days
        )
        self._customers_at_warmup = 0
        self._key_accounts_at_warmup = 0
        self._providers_at_warmup = 0
        self._started = False

        self.dispatch = Dispatch(self.env, best_rated=scenario.aggregator.matching == "best_rated")
        # what customers do: exposure, spend and the spend after each order (MODEL.md 5.15)
        self.base = CustomerBase(
            self.warmup,
            self.horizon,
            (scenario.customers.price_mean_general, scenario.customers.price_mean_key_account),
        )
        self.agenda = Agenda(self.env)
        self._finished = False

        c = scenario.customers
        self._price = {
            False: lognormal_parameters(c.price_mean_general, c.price_cv),
            True: lognormal_parameters(c.price_mean_key_account, c.price_cv),
        }
        self._orders_per_hour = {
            False: c.orders_per_week_general / HOURS_PER_WEEK,
            True: c.orders_per_week_key_account / HOURS_PER_WEEK,
        }
        self._service = lognormal_parameters(
            scenario.providers.service_hours_mean, scenario.providers.service_cv
        )
        # Low-rating probability after a successful order, without and with surge (MODEL.md 5.6).
        surge_unfairness = price_unfairness(scenario.surge.multiplier)
        self._success_low_rating = {
            surge: low_rating_probability(
                scenario.punishment.base_low_rating,
                misdirected_punishment(scenario.fairness, surge_unfairness if surge else 0.0),
            )
            for surge in (False, True)
        }
        self.providers = ProviderPopulation(
            self.env, scenario, self.streams, self.dispatch, self.totals, self.warmup, self.horizon
        )
        for _ in range(c.count):
            self._add_customer(self.streams.population, initial=True)

        self.agenda.start(self.horizon)
        self.env.process(self._observer())
        self.env.process(self._acquisition())
        self.env.process(self._disruptions())
        self.kam.start()
        self.providers.start()

    # ------------------------------------------------------------------ populations

    def _add_customer(self, stream: Any, *, initial: bool) -> Customer:
        traits = draw_customer_traits(self.scenario.customers, stream, established=initial)
        customer = Customer(
            customer_id=self._next_customer_id,
            key_account=traits.key_account,
            individualism=traits.individualism,
            disposition=traits.disposition,
            satisfaction=traits.satisfaction,
            relationship=traits.relationship,
            has_ordered=initial,
            switching_cost=traits.switching_cost,
            joined_at=self.env.now,
        )
        customer.order_rate = self._orders_per_hour[traits.key_account] * order_rate_factor(
            self.scenario.customers, self.streams.ordering
        )
        (
            customer.power_distance,
            customer.uncertainty_avoidance,
            customer.long_term_orientation,
        ) = draw_culture(self.scenario.customers, self.streams.culture)
        customer.contract = draws_contract(
            self.scenario.contracts,
            self.streams.contracts,
            key_account=traits.key_account,
            uncertainty_avoidance=customer.uncertainty_avoidance,
            individualism=traits.individualism,
        )
        centre = self.scenario.buying_centre
        size = centre_size(centre, self.streams.buying_centre, key_account=traits.key_account)
        if size > 1:
            customer.centre = draw_buying_centre(
                centre,
                self.streams.buying_centre,
                size,
                traits.disposition,
                self.scenario.customers.disposition_sd,
            )
        self._next_customer_id += 1
        self.customers[customer.id] = customer
        self.base.joined(customer, self.env.now)
        self._update_standing(customer)
        customer.background_churn_at = self.env.now + background_churn_delay(
            self.scenario.customers, customer.switching_cost, stream
        )
        self._plan(customer)
        return customer

    # ------------------------------------------------------------------ customers

    def _plan(self, customer: Customer) -> None:
        """File the customer's next event on the agenda: its next order or, if that comes later,
        its background churn (MODEL.md 10: demand). Nothing is filed past the horizon."""
        now = self.env.now
        rate = customer.order_rate * satisfaction_order_factor(
            self.scenario.customers, customer.satisfaction
        )
        next_order = self.demand.time_after(now, self.streams.arrivals.exponential(1.0 / rate))
        churn_at = customer.background_churn_at
        if churn_at < next_order:
            if churn_at < self.horizon:  # it may have come while the customer was ordering
                self.agenda.add(max(churn_at, now), self._churn, customer)
        elif next_order < self.horizon:
            self.agenda.add(next_order, self._order, customer)

    def _order_ended(self, customer: Customer, outcome: int, *, counted: bool) -> None:
        """An order has ended (its episode included): the customer base follows what the
        customer spends next, and a customer still there plans its next order."""
        self.base.settled(customer, self.env.now, outcome, counted=counted)
        if customer.active:
            self._plan(customer)

    def _update_standing(self, customer: Customer) -> None:
        """Keep the census in step after a customer's relationship or satisfaction changed."""
        index = stage_index(
            self.scenario.relationship, customer.relationship, has_ordered=customer.has_ordered
        )
        if index != customer.stage_index:
            if customer.stage_index >= 0:
                self.stage_counts[customer.stage_index] -= 1
            self.stage_counts[index] += 1
            customer.stage_index = index
        promoter = customer.satisfaction >= self.scenario.acquisition.promoter_satisfaction
        if promoter != customer.promoter:
            self.promoters += 1 if promoter else -1
            customer.promoter = promoter

    def _churn(self, customer: Customer, *, after_failure: bool = False) -> None:
        """The customer leaves: for reasons of its own (the base hazard), or because of the
        failure it has just lived through (MODEL.md 5.15)."""
        customer.active = False
        del self.customers[customer.id]
        self.base.left(customer, self.env.now)
        self.kam.end(customer)
        self.stage_counts[customer.stage_index] -= 1
        self.promoters -= customer.promoter
        if self.env.now >= self.warmup:
            self.totals.customers_churned += 1
            self.totals.key_account_customers_churned += customer.key_account
            self.totals.customers_left_after_failure += after_failure
        self.today.customers_churned += 1
        if customer.satisfaction < self.scenario.acquisition.detractor_satisfaction:
            self._churned_detractors += 1

    # ------------------------------------------------------------------ orders

    def _order(self, customer: Customer) -> None:
        """One order, placed now (MODEL.md 4, 5.1). This is the hot path.

        An order that finds a free provider and succeeds needs no SimPy process of its own: its
        service is a timeout whose callback (:meth:`_served`) settles it. Only an order that has
        to wait for a provider or ends in a failure episode runs as a process (:meth:`_waiting`,
        :meth:`_failed`), started at the moment the order would reach that point, so every draw
        happens at the same simulated time and in the same order as in one process per order.
        """
        env = self.env
        s = self.scenario
        streams = self.streams
        now = env.now
        counted = now >= self.warmup
        mu, sigma = self._price[customer.key_account]
        price = math.exp(streams.prices.normal(mu, sigma))
        peak = self.demand.is_peak(now)
        surge = s.surge.enabled and peak
        if surge:
            price *= s.surge.multiplier
        customer.spend += price
        self.base.ordered(customer, now, price, counted=counted)
        if counted:
            self.totals.orders += 1
        self.today.orders += 1
        if not customer.has_ordered:
            customer.has_ordered = True
            self._update_standing(customer)

        # One draw per check on every order keeps the streams aligned across scenarios (CRN).
        checks = streams.failures
        glitch_draw = checks.uniform()
        draws = (checks.uniform(), checks.uniform())  # a provider's fault, an outside event
        patience = streams.matching.exponential(s.customers.patience_mean_hours)

        order = _Order(customer, price, surge, peak, counted, None, draws)
        if glitch_draw < s.aggregator.glitch_rate:
            f = s.failures
            encounter, rejected = self._kind_and_outcome(
                f.glitch_encounter_share, f.glitch_rejected_share
            )
            if rejected:  # the app or payment failed: nothing was served
                env.process(self._failed(order, None, "glitch", encounter, rejected=True))
                return
            order.glitch_kind = encounter

        provider = self.dispatch.take_free()
        if provider is None:
            env.process(self._waiting(order, patience))
        else:
            self._serve(order, provider)

    def _waiting(self, order: _Order, patience: float) -> Generator:
        """An order that found no free provider waits for one, as long as its customer's
        patience lasts; then it is served, or it fails for want of supply."""
        provider = yield from self.dispatch.wait(patience)
        if provider is None:
            yield from self._failed(order, None, "no_supply", False, rejected=True)
        else:
            self._serve(order, provider)

    def _serve(self, order: _Order, provider: Provider) -> None:
        """The provider serves the order; :meth:`_served` settles it when the service ends."""
        mu, sigma = self._service
        order.provider = provider
        service = self.env.timeout(math.exp(self.streams.service.normal(mu, sigma)), order)
        service.callbacks.append(self._served)

    def _served(self, service: simpy.Timeout) -> None:
        """The service has ended: the provider is free again, and the order succeeded or failed
        (by its provider's fault, an outside event, or the glitch it carried)."""
        env = self.env
        s = self.scenario
        order: _Order = service.value  # type: ignore[assignment]
        provider: Provider = order.provider  # type: ignore[assignment]
        self.dispatch.offer(provider)
        customer, price, surge, counted = order.customer, order.price, order.surge, order.counted
        provider_draw, external_draw = order.draws

        f = s.failures
        failure_class: FailureClass
        if order.glitch_kind is not None:
            failure_class, encounter, rejected = "glitch", order.glitch_kind, False
        elif provider_draw < provider.quality * (
            s.providers.effort_drop if env.now < provider.effort_drop_until else 1.0
        ):
            failure_class = "provider_fault"
            encounter, rejected = self._kind_and_outcome(
                f.provider_encounter_share, f.provider_rejected_share
            )
        elif external_draw < f.external_rate * (
            f.disruption_multiplier if self.disruption else 1.0
        ):
            failure_class = "external"
            encounter, rejected = False, self.streams.episodes.uniform() < f.external_rejected_share
        else:
            self._deliver(provider, price, counted=counted)
            stars = self.providers.rate(
                provider, self._success_low_rating[surge], at_fault=False, counted=counted
            )
            self._count_trip(order, voiced=stars <= 2)
            customer.satisfaction = satisfaction_after_success(
                s.satisfaction, customer.satisfaction
            )
            customer.relationship = strength_after_success(s.relationship, customer.relationship)
            self._update_standing(customer)
            self._order_ended(customer, SUCCESS, counted=counted)
            return
        if not rejected:
            self._deliver(provider, price, counted=counted)
        env.process(self._failed(order, provider, failure_class, encounter, rejected=rejected))

    def _failed(
        self,
        order: _Order,
        provider: Provider | None,
        failure_class: FailureClass,
        encounter: bool,
        *,
        rejected: bool,
    ) -> Generator:
        """The order failed: its failure episode, then its end."""
        voiced = yield from self._episode(
            order.customer,
            provider,
            order.price,
            surge=order.surge,
            failure_class=failure_class,
            encounter=encounter,
            rejected=rejected,
            counted=order.counted,
        )
        if provider is not None:
            self._count_trip(order, voiced=voiced)
        outcome = FAILED_UNDELIVERED if rejected else FAILED_DELIVERED
        self._order_ended(order.customer, outcome, counted=order.counted)

    def _count_trip(self, order: _Order, *, voiced: bool) -> None:
        """Count a served order placed in a peak hour, and whether its provider got a low
        rating or a complaint: surge pricing's effect on complaints per trip (MODEL.md 5.6b;
        Xu, Wei & Zhu 2025)."""
        if order.peak and order.counted:
            self.totals.peak_trips += 1
            self.totals.peak_trips_voiced += voiced

    def _kind_and_outcome(self, encounter_share: float, rejected_share: float) -> tuple[bool, bool]:
        """Encounter failures are delivered with a flaw; core ones may be rejected (MODEL.md 3)."""
        draws = self.streams.episodes
        encounter = draws.uniform() < encounter_share
        rejected = draws.uniform() < rejected_share
        return encounter, (rejected and not encounter)

    def _deliver(self, provider: Provider, price: float, *, counted: bool) -> None:
        """A delivered order is paid; the platform keeps its commission (MODEL.md 5.14)."""
        commission = price * self.scenario.aggregator.commission
        earned = price - commission
        provider.earnings += earned
        provider.earnings_since_review += earned
        if counted:
            t = self.totals
            t.delivered += 1
            t.customer_payments += price
            t.commission_revenue += commission
            t.provider_earnings += earned

    # ------------------------------------------------------------------ failure episodes

    def _episode(
        self,
        customer: Customer,
        provider: Provider | None,
        price: float,
        *,
        surge: bool,
        failure_class: FailureClass,
        encounter: bool,
        rejected: bool,
        counted: bool,
    ) -> Generator[simpy.Event, Any, bool]:
        """A failure episode from the failure to the customer's decision to stay (MODEL.md 5).
        Returns whether the provider got a low rating or a complaint."""
        env = self.env
        s = self.scenario
        streams = self.streams
        now = env.now
        cause = CAUSE_OF_CLASS[failure_class]
        f = s.failures
        agg = s.aggregator

        # 5.1 severity and true controllability
        offset = getattr(f.severity_offset, failure_class)
        shift = f.rejected_severity_shift / 2.0
        mean = min(0.97, max(0.03, f.severity_mean + offset + (shift if rejected else -shift)))
        severity = streams.severity.beta(*beta_parameters(mean, f.severity_concentration))
        preventable = streams.episodes.uniform() < f.provider_controllable_share
        aggregator_control, provider_control = controllability(
            s, failure_class, preventable_by_provider=preventable
        )

        # 14.2 a key-account manager, as strong as the account's stage makes it
        managed = self.kam.strength(customer)
        kam_stage = self.kam.stage(customer) if self.trace else ""

        # 5.2 explanation (draws taken on every episode, to keep the streams aligned); a KAM
        # explains every failure of its account
        explained = streams.explanation.uniform() < agg.explanation_rate or managed > 0
        shifted = streams.explanation.uniform() < agg.blame_shifting
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
        window = s.retention.recent_window_days * HOURS_PER_DAY
        state = CustomerState(
            key_account=customer.key_account,
            individualism=customer.individualism,
            disposition=customer.disposition,
            satisfaction=customer.satisfaction,
            relationship=customer.relationship,
            switching_cost=customer.switching_cost,
            earlier_recent_failures=customer.recent_failures(now, window),
            power_distance=customer.power_distance,
            uncertainty_avoidance=customer.uncertainty_avoidance,
            long_term_orientation=customer.long_term_orientation,
            orders_per_week=customer.order_rate * HOURS_PER_WEEK,
        )

        # 5.3–5.7 judgements before the platform answers
        users_view = appraise(
            s, state, failure, streams.attribution.normal(), streams.attribution.normal()
        )
        # 14.1 a firm: every member of its buying centre judges; the firm acts through roles
        centre = customer.centre
        members: tuple[MemberView, ...] = ()
        judged = users_view
        if centre is not None:
            members = appraise_members(s, centre, state, failure, users_view, streams.buying_centre)
            judged = firm_view(centre, members)
        complained = streams.complaints.uniform() < judged.complaint_probability

        # 5.6 rating (by the user, who met the failure) and 5.12 enacted punishment
        stars = 0
        if provider is not None:
            stars = self.providers.rate(
                provider,
                users_view.expected_punishment,
                at_fault=cause == "provider",
                counted=counted,
            )
            if complained:
                provider.complaints += 1
            if managed > 0 and s.kam.escalate and cause == "provider":
                self.providers.warn(provider, counted=counted)

        customer.failures += 1
        customer.remember_failure(now)
        self._count_failure(
            counted=counted,
            cause=cause,
            failure_class=failure_class,
            judged=judged,
            complained=complained,
            provider=provider,
        )

        # 5.8 recovery, after a delay
        r = s.recovery
        delay = streams.recovery.exponential(r.delay_mean_hours)
        estimate = judged.expected_compensation * math.exp(
            streams.recovery.normal(0.0, r.estimate_noise)
        )
        reached = (
            complained
            or managed > 0
            or customer.contract  # 14.4 the SLA claim
            or (r.proactive and platform_sees_failure(failure_class, rejected=rejected))
        )
        if managed > 0:
            delay = recovery_delay(s.kam, delay, managed)
        # One draw per reached failure, whatever the share, so randomised recoveries share their
        # random numbers across scenarios (common random numbers).
        randomised_in = reached and streams.trials.uniform() < r.compensated_share
        offer = (
            compensation_offer(
                r, price, key_account=customer.key_account, estimated_expectation=estimate
            )
            if randomised_in
            else 0.0
        )
        if customer.contract:  # 14.4 the platform honours its SLA
            offer = max(offer, failure.sla_penalty * price)
        apologised = reached and r.apology
        responds = offer > 0.0 or apologised
        if responds:
            yield env.timeout(delay)
        paid = self.budget.grant(offer, env.now) if offer > 0 else 0.0
        self._settle(provider, cause, complained=complained, paid=paid, counted=counted)

        # 5.9 satisfaction and 5.10 retention, then 5.11 relationship
        recovery = Recovery(reached, paid, apologised, delay, managed * s.kam.attention)
        users_verdict = evaluate(s, state, failure, users_view, recovery)
        verdict = users_verdict
        verdicts: tuple[Verdict, ...] = (users_verdict,)
        if centre is not None:
            verdicts = (users_verdict, *evaluate_members(s, members[1:], recovery))
            verdict = decide(centre, verdicts)
        satisfaction_before = customer.satisfaction
        satisfaction_after = verdict.satisfaction_after
        customer.satisfaction = satisfaction_after
        retained = streams.retention.uniform() >= verdict.leave_probability
        relationship_before = customer.relationship
        customer.relationship = strength_after_failure(
            s.relationship, relationship_before, severity
        )
        self._update_standing(customer)

        if counted:
            t = self.totals
            t.resolved_episodes += 1
            t.sum_post_recovery_satisfaction += satisfaction_after
            if customer.key_account:
                t.key_account_resolved_episodes += 1
                t.key_account_sum_post_recovery_satisfaction += satisfaction_after
            t.paradoxes += satisfaction_after > satisfaction_before
            t.recoveries += paid > 0
            t.apologies += apologised
        if self.trace and counted:
            self.episodes.append(
                (
                    self.replication,
                    now,
                    customer.id,
                    -1 if provider is None else provider.id,
                    customer.segment,
                    cause,
                    failure_class,
                    "encounter" if encounter else "core",
                    "rejected" if rejected else "accepted",
                    severity,
                    surge,
                    explained,
                    explanation_blames(
                        explained=explained, cause=cause, names_platform=failure.names_platform
                    ),
                    judged.perceived_control,
                    judged.aggregator_responsibility,
                    judged.provider_responsibility,
                    judged.expected_compensation,
                    judged.expected_compensation_share,
                    judged.expected_punishment,
                    complained,
                    paid,
                    apologised,
                    delay if responds else math.nan,
                    satisfaction_before,
                    satisfaction_after,
                    relationship_before,
                    customer.individualism,
                    stars,
                    retained,
                    "" if provider is None else provider.state,
                    aggregator_control,
                    provider_control,
                    failure.provider_kind,
                    price,
                    judged.perceived_controllability,
                    state.earlier_recent_failures,
                    judged.stability,
                    verdict.compensation_gate,
                    verdict.handling_quality,
                    judged.complaint_probability,
                    verdict.repurchase_intention,
                    verdict.leave_probability,
                    *members_columns(
                        centre, [m.appraisal for m in members] or [users_view], verdicts
                    ),
                    kam_stage,
                    failure.sla_penalty,
                )
            )
        if customer.kam is not None:
            self.kam.after_failure(customer, customer.recent_failures(env.now, window))
        if not retained:
            self._churn(customer, after_failure=True)
        return complained or 0 < stars <= 2

    def _count_failure(
        self,
        *,
        counted: bool,
        cause: str,
        failure_class: FailureClass,
        judged: Appraisal,
        complained: bool,
        provider: Provider | None,
    ) -> None:
        day = self.today
        day.failures += 1
        setattr(day, f"failures_cause_{cause}", getattr(day, f"failures_cause_{cause}") + 1)
        day.sum_aggregator_responsibility += judged.aggregator_responsibility
        day.sum_expected_compensation_share += judged.expected_compensation_share
        day.complaints += complained
        if provider is not None:
            day.provider_failures += 1
            day.sum_provider_responsibility += judged.provider_responsibility
        if not counted:
            return
        t = self.totals
        t.failures += 1
        setattr(t, f"failures_cause_{cause}", getattr(t, f"failures_cause_{cause}") + 1)
        name = f"failures_class_{failure_class}"
        setattr(t, name, getattr(t, name) + 1)
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

    def _settle(
        self, provider: Provider | None, cause: str, *, complained: bool, paid: float, counted: bool
    ) -> None:
        """Money after a recovery: compensation, chargeback and fine (MODEL.md 5.8, 5.12, 5.14)."""
        s = self.scenario
        at_fault = provider is not None and cause == "provider"
        chargeback = paid * s.recovery.chargeback_share if at_fault else 0.0
        fine = s.sanctions.fine_per_complaint if at_fault and complained else 0.0
        if at_fault and provider is not None:
            provider.earnings -= chargeback + fine
            provider.earnings_since_review -= chargeback + fine
        self.today.compensation_paid += paid
        if counted:
            t = self.totals
            t.compensation_paid += paid
            t.chargebacks_collected += chargeback
            t.fines_collected += fine
            t.provider_earnings -= chargeback + fine

    # ------------------------------------------------------------------ customers arriving

    def _acquisition(self) -> Generator:
        """New customers at a base rate scaled by word of mouth (MODEL.md 5.13)."""
        draws = self.streams.acquisition
        while True:
            rate = self.acquisition_rate_per_day
            if rate <= 0:  # nobody arrives today; the rate is revised at midnight
                to_midnight = HOURS_PER_DAY - self.env.now % HOURS_PER_DAY
                if self.env.now + to_midnight >= self.horizon:
                    return
                yield self.env.timeout(to_midnight)
                continue
            gap = draws.exponential(HOURS_PER_DAY / rate)
            if self.env.now + gap >= self.horizon:
                return
            # the rate is revised daily: a gap past midnight restarts from midnight (memoryless)
            to_midnight = HOURS_PER_DAY - self.env.now % HOURS_PER_DAY
            if gap > to_midnight:
                yield self.env.timeout(to_midnight)
                continue
            yield self.env.timeout(gap)
            customer = self._add_customer(draws, initial=False)
            self.today.customers_acquired += 1
            if self.env.now >= self.warmup:
                self.totals.customers_acquired += 1
                self.totals.key_account_customers_acquired += customer.key_account

    def _word_of_mouth_rate(self) -> float:
        """rate = base × exp(w × (promoter share − detractor share)) (MODEL.md 5.13).

        Called at each midnight; the churned detractors' voice fades with a half-life.
        """
        a = self.scenario.acquisition
        self._churned_detractors *= self._detractor_daily_retention
        known = len(self.customers) + self._churned_detractors
        net = (self.promoters - self._churned_detractors) / known if known else 0.0
        return a.base_per_day * math.exp(a.word_of_mouth * net)

    # ------------------------------------------------------------------ disruptions

    def _disruptions(self) -> Generator:
        """Periods (storms, third-party outages) in which external failures are more likely."""
        f = self.scenario.failures
        if f.disruptions_per_week <= 0:
            return
        draws = self.streams.disruptions
        while True:
            gap = draws.exponential(HOURS_PER_WEEK / f.disruptions_per_week)
            if self.env.now + gap >= self.horizon:
                return
            yield self.env.timeout(gap)
            self.disruption = True
            yield self.env.timeout(draws.exponential(f.disruption_hours_mean))
            self.disruption = False

    # ------------------------------------------------------------------ observer

    def _observer(self) -> Generator:
        """Records one time-series row per counted day and revises word of mouth (MODEL.md 4)."""
        env = self.env
        day = 0
        while (day + 1) * HOURS_PER_DAY <= self.horizon + 1e-9:
            yield env.timeout((day + 1) * HOURS_PER_DAY - env.now)
            self.acquisition_rate_per_day = self._word_of_mouth_rate()
            if day * HOURS_PER_DAY >= self.warmup:
                managed = len(self.kam.managed)
                self.totals.kam_account_days += managed
                self.totals.kam_cost += managed * self.scenario.kam.cost_per_account_per_day
                self._last_day = (
                    day - int(self.warmup // HOURS_PER_DAY),
                    len(self.customers),
                    self.providers.serving(),
                    self.disruption,
                    dict(zip(STAGES, self.stage_counts, strict=True)),
                )
                self.timeseries.append(self._day_row())
            day += 1
            if day * HOURS_PER_DAY < self.horizon - 1e-9:
                # The last counted day keeps counting: orders placed before the horizon that
                # end after it belong to it, as they do to the KPIs.
                self.today = DailyCounts()

    def _day_row(self) -> tuple:
        """The time-series row of the day in ``_last_day`` with today's counts."""
        day, customers, providers, disruption, stages = self._last_day
        return daily_row(
            self.today,
            self.replication,
            day,
            customers,
            providers,
            disruption=disruption,
            stage_counts=stages,
        )

    def _warmup_snapshot(self) -> None:
        self.base.start_counting(self.env.now, self.customers.values())
        self._customers_at_warmup = len(self.customers)
        self._key_accounts_at_warmup = sum(c.key_account for c in self.customers.values())
        self._providers_at_warmup = len(self.providers.present)

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        """Mark the start of the counted window (at once, or after the warm-up); done once,
        before the first event runs."""
        if self._started:
            return
        self._started = True
        if self.warmup > 0:
            self.env.process(self._at_warmup())
        else:
            self._warmup_snapshot()

    def advance(self, until: float) -> None:
        """Run up to simulated time ``until`` (hours), for a world watched as it runs; a time
        already passed does nothing. Orders open at ``until`` are followed on the next call."""
        self.start()
        if until > self.env.now:
            self.env.run(until=until)

    def run(self) -> dict[str, float]:
        """Run to the horizon, follow open orders to their end, and return the KPI row."""
        self.finish()
        return self.kpis()

    def finish(self) -> None:
        """Follow every open order to its end (what ended after the horizon joins the last
        counted day of the time series) and close the customer base's accounts; done once."""
        if self._finished:
            return
        self._finished = True
        self.start()
        self.env.run()
        if self.timeseries:
            self.timeseries[-1] = self._day_row()
        self.base.finish(self.env.now, self.customers.values())

    def kpis(self) -> dict[str, float]:
        """The KPI row of what has been counted so far: at the end of :meth:`run`, the
        replication's KPIs (MODEL.md 7.1); in a world still running, their values until now."""
        customers = list(self.customers.values())
        mean_satisfaction = (
            sum(c.satisfaction for c in customers) / len(customers) if customers else math.nan
        )
        base, now = self.base, self.env.now
        return kpi_row(
            self.totals,
            EndState(
                replication=self.replication,
                customers_initial=self._customers_at_warmup,
                key_account_customers_initial=self._key_accounts_at_warmup,
                customers_active_end=len(customers),
                mean_satisfaction_end=mean_satisfaction,
                providers_initial=self._providers_at_warmup,
                providers_active_end=self.providers.serving(),
                providers_sanctioned=len(self.providers.sanctioned),
                providers_suspended=len(self.providers.suspended),
                providers_delisted=len(self.providers.delisted),
                general_customer_quarters=base.customer_quarters(now, key_account=False),
                key_account_customer_quarters=base.customer_quarters(now, key_account=True),
                spend_share_top_20=base.spend_share_of_top(customers),
                spend_after_success=base.mean_relative_spend(SUCCESS),
                spend_after_delivered_failure=base.mean_relative_spend(FAILED_DELIVERED),
                spend_after_failure=base.mean_relative_spend(FAILED_DELIVERED, FAILED_UNDELIVERED),
            ),
        )

    def _at_warmup(self) -> Generator:
        yield self.env.timeout(self.warmup)
        self._warmup_snapshot()
