"""The platform's providers: joining, ratings, sanctions, suspensions and exits (MODEL.md 3, 5.12).

The platform's enacted punishment follows its sanction policy (``sim.model.sanctions``) on each
provider's rolling mean rating. A low rating for a failure the provider did not cause lowers its
effort for a while (Kapoor & Tucker 2017). Providers leave when their recent earnings fall below
their reservation level; applicants join through the platform's vetting.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import simpy

from sim.model.dispatch import Dispatch
from sim.model.entities import Provider
from sim.model.hours import HOURS_PER_DAY
from sim.model.metrics import Totals
from sim.model.sanctions import sanction_decision
from sim.model.streams import Streams, beta_parameters
from sim.scenario import Scenario


class ProviderPopulation:
    """The providers of one replication, and the processes that change who they are.

    Parameters
    ----------
    env, scenario, streams, dispatch, totals
        The replication's environment, scenario, random streams, dispatch pool and running totals.
    warmup, horizon
        Hours: events before ``warmup`` are not counted; no provider joins or leaves after
        ``horizon``.
    """

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        streams: Streams,
        dispatch: Dispatch,
        totals: Totals,
        warmup: float,
        horizon: float,
    ) -> None:
        self.env = env
        self.scenario = scenario
        self.streams = streams
        self._rating_uniform = streams.ratings.uniform  # two draws per rating
        self.dispatch = dispatch
        self.totals = totals
        self.warmup = warmup
        self.horizon = horizon
        self.present: dict[int, Provider] = {}  # neither delisted nor exited
        self.sanctioned: set[int] = set()
        self.suspended: set[int] = set()
        self.delisted: set[int] = set()
        self._next_id = 0
        for _ in range(scenario.providers.count):
            self.add(streams.population)

    def start(self) -> None:
        """Start the earnings reviews and onboarding processes."""
        self.env.process(self._earnings_reviews())
        self.env.process(self._onboarding())

    def serving(self) -> int:
        """How many providers may take orders now (active or warned)."""
        return sum(1 for p in self.present.values() if p.can_serve)

    def add(self, stream: Any, quality: float | None = None) -> Provider:
        """A new provider, individual or firm, whose capacity joins the dispatch pool."""
        p = self.scenario.providers
        individual = stream.uniform() >= p.firm_share
        if quality is None:
            quality = stream.beta(*beta_parameters(p.quality_mean, p.quality_concentration))
        provider = Provider(
            provider_id=self._next_id,
            individual=individual,
            capacity=p.individual_capacity if individual else p.firm_capacity,
            quality=quality,
            rating_window=self.scenario.sanctions.window,
            reservation=p.reservation_earnings * math.exp(stream.normal(0.0, 0.3)),
            joined_at=self.env.now,
        )
        self._next_id += 1
        self.present[provider.id] = provider
        for _ in range(provider.capacity):
            self.dispatch.offer(provider)
        return provider

    # ------------------------------------------------------------------ ratings and sanctions

    def rate(
        self, provider: Provider, low_probability: float, *, at_fault: bool, counted: bool
    ) -> int:
        """The customer's star rating of the provider and the platform's reaction (MODEL.md 5.6,
        5.12). A low rating (1–2 stars) comes with ``low_probability``; returns the stars."""
        draw = self._rating_uniform
        low = draw() < low_probability
        stars_draw = draw()
        stars = (1 if stars_draw < 0.5 else 2) if low else (5 if stars_draw < 0.7 else 4)
        if counted:
            t = self.totals
            t.ratings += 1
            if low:
                t.low_ratings += 1
                t.unfair_low_ratings += not at_fault
        if low and not at_fault:
            days = self.scenario.providers.effort_drop_days
            provider.effort_drop_until = self.env.now + days * HOURS_PER_DAY
        provider.ratings.add(stars)
        if provider.can_serve and (low or provider.state == "warned"):
            self._apply_sanctions(provider, counted=counted)
        return stars

    def warn(self, provider: Provider, *, counted: bool) -> None:
        """A key-account manager escalated a failure the provider caused: an active provider is
        warned at once (MODEL.md 14.2), and its next rating is judged by the sanction rules."""
        if provider.state == "active":
            provider.state = "warned"
            if counted:
                self.sanctioned.add(provider.id)

    def _apply_sanctions(self, provider: Provider, *, counted: bool) -> None:
        params = self.scenario.sanctions
        decision = sanction_decision(params, provider.ratings, provider.suspensions)
        if decision == "none":
            if provider.state == "warned":
                provider.state = "active"
            return
        if counted:
            self.sanctioned.add(provider.id)
        if decision == "warn":
            provider.state = "warned"
            return
        provider.suspensions += 1
        if decision == "suspend":
            provider.state = "suspended"
            if counted:
                self.suspended.add(provider.id)
            self.env.process(self._suspension(provider, params.suspension_days * HOURS_PER_DAY))
        else:
            self._remove(provider, "delisted")
            if counted:
                self.delisted.add(provider.id)

    def _suspension(self, provider: Provider, duration: float) -> Generator:
        yield self.env.timeout(duration)
        if provider.state != "suspended":
            return
        provider.state = "active"
        provider.ratings.clear()  # a fresh start after serving the suspension
        self.dispatch.release_held(provider)

    def _remove(self, provider: Provider, state: str) -> None:
        provider.state = state
        provider.held_slots = 0
        del self.present[provider.id]

    # ------------------------------------------------------------------ exits and onboarding

    def _earnings_reviews(self) -> Generator:
        """Providers below their reservation earnings may leave at each review."""
        p = self.scenario.providers
        period = p.exit_check_days * HOURS_PER_DAY
        draws = self.streams.providers
        while self.env.now + period < self.horizon:
            yield self.env.timeout(period)
            for provider in list(self.present.values()):
                tenure_days = (self.env.now - provider.joined_at) / HOURS_PER_DAY
                earned = provider.earnings_since_review
                provider.earnings_since_review = 0.0
                if tenure_days < p.exit_check_days or provider.state == "suspended":
                    continue
                per_day_per_slot = earned / p.exit_check_days / provider.capacity
                if per_day_per_slot < provider.reservation and draws.uniform() < p.exit_probability:
                    self._remove(provider, "exited")
                    if self.env.now >= self.warmup:
                        self.totals.providers_exited += 1

    def _onboarding(self) -> Generator:
        """Applicants arrive; strict vetting screens out those likely to fail more than average."""
        p = self.scenario.providers
        vetting = self.scenario.aggregator.vetting
        if p.applicants_per_day <= 0:
            return
        draws = self.streams.providers
        while True:
            gap = draws.exponential(HOURS_PER_DAY / p.applicants_per_day)
            if self.env.now + gap >= self.horizon:
                return
            yield self.env.timeout(gap)
            quality = draws.beta(
                *beta_parameters(p.applicant_quality_mean, p.quality_concentration)
            )
            screened_out = quality > p.quality_mean and draws.uniform() < vetting
            if not screened_out:
                self.add(draws, quality=quality)
                if self.env.now >= self.warmup:
                    self.totals.providers_onboarded += 1
