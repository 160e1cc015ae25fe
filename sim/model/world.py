"""The SimPy world: one aggregator, its providers and its customers (MODEL.md sections 3–5).

Processes (MODEL.md 4):

- each customer's next order (segment, satisfaction and the time-of-day profile set the rate)
  or background churn is filed on an agenda (``sim.model.agenda``); when it comes, the order is
  placed, served and lived through (a SimPy process only while it waits for a provider),
  and only then is the customer's next order drawn;
- per order: platform glitch check → matching (wait for a free provider, bounded by patience;
  giving up is a ``no_supply`` failure) → service → provider and external failure checks → the
  failure episode (``sim.model.episode``): explanation → attribution → complaint → rating →
  recovery after a delay → satisfaction → retention;
- provider processes (``sim.model.providers``): suspension timers, periodic exit reviews,
  onboarding with vetting;
- customer acquisition with word of mouth and external disruptions (``sim.model.arrivals``);
  a daily observer.

The world itself is the order pipeline, the census of its customers and the clock: what happens
in an episode, to providers and from outside are modules of their own.

Provider capacity is a SimPy store of free capacity units, matched by ``sim.model.dispatch``.

Orders are placed only before the horizon; the simulation then runs until every open order and
failure episode has ended, so every counted order is followed to its end.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import simpy

from sim.model.agenda import Agenda
from sim.model.arrivals import WordOfMouth, acquisition, disruptions
from sim.model.buying_centre import (
    centre_size,
    draw_buying_centre,
)
from sim.model.calls import Call, call_later, callbacks
from sim.model.collector import fewer_collections
from sim.model.contracts import draws_contract
from sim.model.culture import draw_culture
from sim.model.customer_base import (
    FAILED_DELIVERED,
    FAILED_UNDELIVERED,
    SUCCESS,
    CustomerBase,
)
from sim.model.demand import DemandProfile
from sim.model.dispatch import Dispatch
from sim.model.entities import Customer, Order, Provider
from sim.model.episode import Opened, close_episode, open_episode
from sim.model.event_loop import run_to_end
from sim.model.expectations import (
    low_rating_probability,
    misdirected_punishment,
    price_unfairness,
)
from sim.model.hours import HOURS_PER_DAY, HOURS_PER_WEEK
from sim.model.kam import AccountManagement
from sim.model.metrics import DailyCounts, EndState, Totals, daily_row, kpi_row
from sim.model.population import (
    background_churn_delay,
    draw_customer_traits,
    order_rate_factor,
    satisfaction_order_factor,
)
from sim.model.providers import ProviderPopulation
from sim.model.records import plain_copy
from sim.model.recovery import CompensationBudget
from sim.model.relationship import (
    STAGES,
    stage_index,
    strength_after_success,
)
from sim.model.satisfaction import satisfaction_after_success
from sim.model.streams import Streams, lognormal_parameters
from sim.scenario import Scenario
from sim.scenario.kinds import FailureClass


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
        #: The hours in which a customer's earlier failures count as recent (MODEL.md 5.10).
        self.recent_window = scenario.retention.recent_window_days * HOURS_PER_DAY
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
        self.word_of_mouth = WordOfMouth(scenario.acquisition)
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

        self._prepare_orders(scenario)
        self.providers = ProviderPopulation(
            self.env, scenario, self.streams, self.dispatch, self.totals, self.warmup, self.horizon
        )
        with fewer_collections():
            for _ in range(scenario.customers.count):
                self.add_customer(self.streams.population, initial=True)

        self.agenda.start(self.horizon)
        self.env.process(self._observer())
        self.env.process(acquisition(self))
        self.env.process(disruptions(self))
        self.kam.start()
        self.providers.start()

    def _prepare_orders(self, scenario: Scenario) -> None:
        """What every order reads, worked out once: the price, order-rate and service-time
        parameters, the streams it draws from and the peak hours (MODEL.md 4, 5.1, 5.6)."""
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
        # What the calls of an order run, made once (sim.model.calls).
        self._on_order, self._on_leave = callbacks(self._order), callbacks(self._leave)
        self._on_served, self._on_answered = callbacks(self._served), callbacks(self._answered)
        streams = self.streams
        self._price_normal = streams.prices.standard_normal
        self._failure_uniform = streams.failures.uniform
        self._patience_exponential = streams.matching.standard_exponential
        self._service_normal = streams.service.standard_normal
        self._arrival_exponential = streams.arrivals.standard_exponential
        self._peak_hour = tuple(self.demand.is_peak(hour) for hour in range(int(HOURS_PER_DAY)))
        # Low-rating probability after a successful order, without and with surge (MODEL.md 5.6).
        surge_unfairness = price_unfairness(scenario.surge.multiplier)
        self._success_low_rating = {
            surge: low_rating_probability(
                scenario.punishment.base_low_rating,
                misdirected_punishment(scenario.fairness, surge_unfairness if surge else 0.0),
            )
            for surge in (False, True)
        }

    # ------------------------------------------------------------------ populations

    def add_customer(self, stream: Any, *, initial: bool) -> Customer:
        """A customer joins now (MODEL.md 3, 5.15, 14): its traits, culture, contract and buying
        centre drawn, counted in the census and its first event filed."""
        c, streams, now = self.scenario.customers, self.streams, self.env._now
        traits = draw_customer_traits(c, stream, established=initial)
        key_account = traits.key_account
        customer = Customer(
            self._next_customer_id,
            key_account=key_account,
            individualism=traits.individualism,
            disposition=traits.disposition,
            satisfaction=traits.satisfaction,
            relationship=traits.relationship,
            has_ordered=initial,
            switching_cost=traits.switching_cost,
            joined_at=now,
        )
        customer.order_rate = self._orders_per_hour[key_account] * order_rate_factor(
            c, streams.ordering
        )
        customer.power_distance, avoidance, customer.long_term_orientation = draw_culture(
            c, streams.culture
        )
        customer.uncertainty_avoidance = avoidance
        customer.contract = draws_contract(
            self.scenario.contracts,
            streams.contracts,
            key_account=key_account,
            uncertainty_avoidance=avoidance,
            individualism=traits.individualism,
        )
        centre = self.scenario.buying_centre
        size = centre_size(centre, streams.buying_centre, key_account=key_account)
        if size > 1:
            customer.centre = draw_buying_centre(
                centre, streams.buying_centre, size, traits.disposition, c.disposition_sd
            )
        self._next_customer_id += 1
        self.customers[customer.id] = customer
        self.base.joined(customer, now)
        self.update_standing(customer)
        customer.background_churn_at = now + background_churn_delay(
            c, customer.switching_cost, stream
        )
        self._plan(customer, now)
        return customer

    # ------------------------------------------------------------------ customers

    def _plan(self, customer: Customer, now: float) -> None:
        """File the customer's next event after ``now`` on the agenda: its next order or, if that
        comes later, its background churn (MODEL.md 10). Nothing is filed past the horizon."""
        rate = customer.order_rate * satisfaction_order_factor(
            self.scenario.customers, customer.satisfaction
        )
        next_order = self.demand.time_after(now, (1.0 / rate) * self._arrival_exponential())
        churn_at = customer.background_churn_at
        if churn_at < next_order:
            if churn_at < self.horizon:  # it may have come while the customer was ordering
                self.agenda.add(max(churn_at, now), self._on_leave, customer)
        elif next_order < self.horizon:
            self.agenda.add(next_order, self._on_order, customer)

    def _order_ended(self, customer: Customer, outcome: int, *, counted: bool) -> None:
        """An order has ended (its episode included): the customer base follows what the
        customer spends next, and a customer still there plans its next order."""
        now = self.env._now  # as in _order
        self.base.settled(customer, now, outcome, counted=counted)
        if customer.active:
            self._plan(customer, now)

    def update_standing(self, customer: Customer) -> None:
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

    def churn(self, customer: Customer, *, after_failure: bool = False) -> None:
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
        self.word_of_mouth.left(customer.satisfaction)

    # ------------------------------------------------------------------ orders

    def _leave(self, call: Call) -> None:
        """The customer's background churn has come (MODEL.md 5.15)."""
        self.churn(call.value)

    def _order(self, call: Call) -> None:
        """The customer ``call.value`` places an order now (MODEL.md 4, 5.1). This is the hot
        path.

        An order that finds a free provider needs no SimPy process of its own: its service is a
        call (:mod:`sim.model.calls`) to :meth:`_served`, which settles it, and a failure's
        episode is opened and closed by calls too (:meth:`_fail`). Only an order that has to wait
        for a provider runs as a process (:meth:`_waiting`), started at the moment the order
        would reach that point, so every draw happens at the same simulated time and in the same
        order as in one process per order.
        """
        customer: Customer = call.value
        env = self.env
        s = self.scenario
        now = env._now  # the clock, read past SimPy's property: this is the hot path
        counted = now >= self.warmup
        mu, sigma = self._price[customer.key_account]
        price = math.exp(mu + sigma * self._price_normal())
        peak = self._peak_hour[int(now) % 24]
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
            self.update_standing(customer)

        # One draw per check on every order keeps the streams aligned across scenarios (CRN).
        check = self._failure_uniform
        glitch_draw = check()
        draws = (check(), check())  # a provider's fault, an outside event
        patience = s.customers.patience_mean_hours * self._patience_exponential()

        order = Order(customer, price, surge, peak, counted, None, draws)
        if glitch_draw < s.aggregator.glitch_rate:
            f = s.failures
            encounter, rejected = self._kind_and_outcome(
                f.glitch_encounter_share, f.glitch_rejected_share
            )
            if rejected:  # the app or payment failed: nothing was served
                self._fail(order, None, "glitch", encounter, rejected=True)
                return
            order.glitch_kind = encounter

        provider = self.dispatch.take_free()
        if provider is None:
            env.process(self._waiting(order, patience))
        else:
            self._serve(order, provider)

    def _waiting(self, order: Order, patience: float) -> Generator:
        """An order that found no free provider waits for one, as long as its customer's
        patience lasts; then it is served, or it fails for want of supply."""
        provider = yield from self.dispatch.wait(patience)
        if provider is None:
            self._fail(order, None, "no_supply", False, rejected=True)
        else:
            self._serve(order, provider)

    def _serve(self, order: Order, provider: Provider) -> None:
        """The provider serves the order; :meth:`_served` settles it when the service ends."""
        mu, sigma = self._service
        order.provider = provider
        call_later(self.env, math.exp(mu + sigma * self._service_normal()), self._on_served, order)

    def _served(self, service: Call) -> None:
        """The service has ended: the provider is free again, and the order succeeded or failed
        (by its provider's fault, an outside event, or the glitch it carried)."""
        env = self.env
        s = self.scenario
        order: Order = service.value
        provider: Provider = order.provider  # type: ignore[assignment]
        self.dispatch.offer(provider)
        customer, price, surge, counted = order.customer, order.price, order.surge, order.counted
        provider_draw, external_draw = order.draws

        f = s.failures
        failure_class: FailureClass
        if order.glitch_kind is not None:
            failure_class, encounter, rejected = "glitch", order.glitch_kind, False
        elif provider_draw < provider.quality * (
            s.providers.effort_drop if env._now < provider.effort_drop_until else 1.0
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
            if order.peak:
                self._count_trip(order, voiced=stars <= 2)
            customer.satisfaction = satisfaction_after_success(
                s.satisfaction, customer.satisfaction
            )
            customer.relationship = strength_after_success(s.relationship, customer.relationship)
            self.update_standing(customer)
            self._order_ended(customer, SUCCESS, counted=counted)
            return
        if not rejected:
            self._deliver(provider, price, counted=counted)
        self._fail(order, provider, failure_class, encounter, rejected=rejected)

    def _fail(
        self,
        order: Order,
        provider: Provider | None,
        failure_class: FailureClass,
        encounter: bool,
        *,
        rejected: bool,
    ) -> None:
        """The order failed: its episode opens now (MODEL.md 5.1–5.8) and closes when the
        platform has answered — at once when it does not answer, or by a call after the answer's
        delay, where a timeout of the episode's process would have woken it."""
        opened = open_episode(
            self,
            order.customer,
            provider,
            order.price,
            surge=order.surge,
            failure_class=failure_class,
            encounter=encounter,
            rejected=rejected,
            counted=order.counted,
        )
        planned = opened[2]
        if planned.responded:
            call_later(self.env, planned.delay_hours, self._on_answered, (order, provider, opened))
        else:
            self._close(order, provider, opened)

    def _answered(self, call: Call) -> None:  # the platform's answer has come
        self._close(*call.value)

    def _close(self, order: Order, provider: Provider | None, opened: Opened) -> None:
        """The episode closes (MODEL.md 5.8–5.15), then the order ends."""
        voiced = close_episode(self, *opened)
        if provider is not None:
            self._count_trip(order, voiced=voiced)
        rejected = opened[0].rejected
        outcome = FAILED_UNDELIVERED if rejected else FAILED_DELIVERED
        self._order_ended(order.customer, outcome, counted=order.counted)

    def _count_trip(self, order: Order, *, voiced: bool) -> None:
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

    # ------------------------------------------------------------------ observer

    def _observer(self) -> Generator:
        """Records one time-series row per counted day and revises word of mouth (MODEL.md 4)."""
        env = self.env
        day = 0
        while (day + 1) * HOURS_PER_DAY <= self.horizon + 1e-9:
            yield env.timeout((day + 1) * HOURS_PER_DAY - env.now)
            self.acquisition_rate_per_day = self.word_of_mouth.daily_rate(
                len(self.customers), self.promoters
            )
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
        counts = (self.today, self.replication, day, customers, providers)
        return daily_row(*counts, disruption=disruption, stage_counts=stages)

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
            with fewer_collections():
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
        with fewer_collections():
            run_to_end(self.env)
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
