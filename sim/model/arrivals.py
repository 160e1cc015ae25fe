"""What reaches the platform from outside: new customers, at a rate word of mouth sets (MODEL.md
5.13), and disruptions — storms, third-party outages — in which external failures are more
likely (MODEL.md 3). Both run as SimPy processes of a :class:`sim.model.world.World`."""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING

from sim.model.hours import HOURS_PER_DAY, HOURS_PER_WEEK

if TYPE_CHECKING:
    from sim.model.world import World
    from sim.scenario import AcquisitionParameters


class WordOfMouth:
    """The voice of customers (MODEL.md 5.13): the base rate of new customers scaled by
    ``exp(w × (promoter share − detractor share))``, where detractors who left keep talking, their
    voice fading with a half-life."""

    def __init__(self, parameters: AcquisitionParameters) -> None:
        self.parameters = parameters
        self.churned_detractors = 0.0
        self.daily_retention = 0.5 ** (1.0 / parameters.detractor_half_life_days)

    def left(self, satisfaction: float) -> None:
        """A customer left: a detractor when its satisfaction was below the threshold."""
        if satisfaction < self.parameters.detractor_satisfaction:
            self.churned_detractors += 1

    def daily_rate(self, active: int, promoters: int) -> float:
        """New customers per day, revised at each midnight from the ``active`` customers and the
        ``promoters`` among them; the churned detractors' voice fades by one day."""
        a = self.parameters
        self.churned_detractors *= self.daily_retention
        known = active + self.churned_detractors
        net = (promoters - self.churned_detractors) / known if known else 0.0
        return a.base_per_day * math.exp(a.word_of_mouth * net)


def acquisition(world: World) -> Generator:
    """New customers at the day's rate (``world.acquisition_rate_per_day``, revised at
    midnight): a gap past midnight restarts from midnight, which the exponential's lack of memory
    allows."""
    env, draws = world.env, world.streams.acquisition
    while True:
        rate = world.acquisition_rate_per_day
        to_midnight = HOURS_PER_DAY - env.now % HOURS_PER_DAY
        if rate <= 0:  # nobody arrives today; the rate is revised at midnight
            if env.now + to_midnight >= world.horizon:
                return
            yield env.timeout(to_midnight)
            continue
        gap = draws.exponential(HOURS_PER_DAY / rate)
        if env.now + gap >= world.horizon:
            return
        if gap > to_midnight:
            yield env.timeout(to_midnight)
            continue
        yield env.timeout(gap)
        customer = world.add_customer(draws, initial=False)
        world.today.customers_acquired += 1
        if env.now >= world.warmup:
            world.totals.customers_acquired += 1
            world.totals.key_account_customers_acquired += customer.key_account


def disruptions(world: World) -> Generator:
    """Periods in which external failures are more likely (``world.disruption``), arriving at
    ``failures.disruptions_per_week`` and lasting ``failures.disruption_hours_mean`` on average."""
    f = world.scenario.failures
    if f.disruptions_per_week <= 0:
        return
    env, draws = world.env, world.streams.disruptions
    while True:
        gap = draws.exponential(HOURS_PER_WEEK / f.disruptions_per_week)
        if env.now + gap >= world.horizon:
            return
        yield env.timeout(gap)
        world.disruption = True
        yield env.timeout(draws.exponential(f.disruption_hours_mean))
        world.disruption = False
