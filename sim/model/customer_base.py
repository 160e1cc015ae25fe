"""What customers do, measured as a platform measures its customer base (MODEL.md 5.15).

The judgements of MODEL.md 5.3–5.10 are what customers would *say*; this module counts what they
*do*, over the counted window of a replication:

- **exposure**: customer-days on the platform, by segment, so that churn is a rate per quarter
  whatever the length of the window (churned customers ÷ customer-quarters at risk);
- **spend concentration**: every customer's spend in the window, for the share of spend of the
  top 20% of buyers (the Pareto share: Sharp, Romaniuk & Graham 2019; McCarthy & Winer 2019);
- **spend after an order**: a customer's spend in the :data:`SPEND_WINDOW_DAYS` after an order
  was settled, by how the order ended — a success, a failure still delivered (late or flawed:
  Halperin, Ho, List & Muir 2022's late rides) or a failure not delivered. A customer who leaves
  spends nothing more. Each observation is divided by what the customer's own base order rate
  lets expect (rate × window × the segment's mean price), which removes most of the spread
  between light and heavy buyers without touching the comparison: whether an order fails does
  not depend on who placed it.

Everything is a running sum; nothing here draws random numbers or changes what happens.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable

from sim.model.entities import Customer
from sim.model.hours import HOURS_PER_DAY

#: Days after a settled order over which the customer's spend is followed.
SPEND_WINDOW_DAYS = 30.0

#: How an order ended, for the spend that follows it.
SUCCESS, FAILED_DELIVERED, FAILED_UNDELIVERED = 0, 1, 2
OUTCOMES = ("success", "failed_delivered", "failed_undelivered")

#: Days in a quarter, for churn per quarter.
QUARTER_DAYS = 91.3125


class CustomerBase:
    """Running sums of exposure, spend and the spend that follows each order.

    Parameters
    ----------
    warmup, horizon
        Start and end of the counted window (hours).
    price_means
        The segments' mean prices, ``(general, key account)``: the scale of a customer's
        expected spend.
    """

    def __init__(self, warmup: float, horizon: float, price_means: tuple[float, float]) -> None:
        self.warmup = warmup
        self.horizon = horizon
        self.window = SPEND_WINDOW_DAYS * HOURS_PER_DAY
        self._price_means = price_means
        self._counting = False
        self._since = 0.0  # when the exposure sums were last brought up to date
        self._present = [0, 0]  # customers on the platform: general, key accounts
        self._customer_hours = [0.0, 0.0]
        self.departed_spend: list[float] = []  # counted spend of customers who left
        self.observations = [0, 0, 0]  # by outcome
        self.relative_spend = [0.0, 0.0, 0.0]  # sums of spend ÷ expected spend, by outcome

    # ------------------------------------------------------------------ exposure

    def start_counting(self, now: float, customers: Iterable[Customer]) -> None:
        """The counted window begins: the customers present start to be exposed."""
        self._counting = True
        self._since = now
        for customer in customers:
            self._present[customer.key_account] += 1

    def _bring_up_to(self, now: float) -> None:
        elapsed = now - self._since
        if elapsed > 0.0:
            self._customer_hours[0] += self._present[0] * elapsed
            self._customer_hours[1] += self._present[1] * elapsed
            self._since = now

    def joined(self, customer: Customer, now: float) -> None:
        if self._counting:
            self._bring_up_to(now)
            self._present[customer.key_account] += 1

    def left(self, customer: Customer, now: float) -> None:
        """A customer left: it is no longer exposed, and spends nothing after its orders."""
        if self._counting:
            self._bring_up_to(now)
            self._present[customer.key_account] -= 1
            self.departed_spend.append(customer.counted_spend)
        self._close_all(customer)

    def customer_quarters(self, now: float, *, key_account: bool) -> float:
        """Customer-quarters of exposure of a segment in the counted window up to ``now``."""
        segment = int(key_account)
        hours = self._customer_hours[segment]
        if self._counting and now > self._since:
            hours += self._present[segment] * (now - self._since)
        return hours / HOURS_PER_DAY / QUARTER_DAYS

    # ------------------------------------------------------------------ spend

    def ordered(self, customer: Customer, now: float, price: float, *, counted: bool) -> None:
        """A customer placed an order of ``price``, already added to its spend: it counts in the
        spend after its earlier orders whose window is still open, and closes the others."""
        if counted:
            customer.counted_spend += price
        watch = customer.watch
        window = self.window
        if watch and now - watch[0][0] > window:
            spend_before = customer.spend - price
            expected = self._expected_spend(customer)
            observations, relative_spend = self.observations, self.relative_spend
            expired = 0
            for start, outcome, spend_at_start in watch:
                if now - start <= window:
                    break
                observations[outcome] += 1
                relative_spend[outcome] += (spend_before - spend_at_start) / expected
                expired += 1
            del watch[:expired]

    def settled(self, customer: Customer, now: float, outcome: int, *, counted: bool) -> None:
        """An order ended (its episode, if it failed, included): follow the customer's spend
        from now on, if the whole window lies before the horizon."""
        if not counted or now + self.window > self.horizon:
            return
        if customer.active:
            customer.watch.append((now, outcome, customer.spend))
        else:  # the failure made it leave: it spends nothing more
            self._close(customer, outcome, 0.0)

    def _expected_spend(self, customer: Customer) -> float:
        """What the customer's own base order rate lets expect it to spend in a window."""
        return customer.order_rate * self.window * self._price_means[customer.key_account]

    def _close(self, customer: Customer, outcome: int, spent: float) -> None:
        self.observations[outcome] += 1
        self.relative_spend[outcome] += spent / self._expected_spend(customer)

    def _close_all(self, customer: Customer) -> None:
        """Close the customer's open observations: all it spent since each began lies in its
        window (an order after a window's end would have closed it)."""
        for _, outcome, spend_at_start in customer.watch:
            self._close(customer, outcome, customer.spend - spend_at_start)
        customer.watch.clear()

    def finish(self, now: float, customers: Iterable[Customer]) -> None:
        """The run has ended: close every open observation (their windows are complete: no
        order is placed after the horizon) and bring exposure up to ``now``."""
        for customer in customers:
            self._close_all(customer)
        if self._counting:
            self._bring_up_to(now)

    def mean_relative_spend(self, *outcomes: int) -> float:
        """Mean spend after orders that ended in one of ``outcomes``, relative to expected."""
        count = sum(self.observations[o] for o in outcomes)
        total = sum(self.relative_spend[o] for o in outcomes)
        return total / count if count else math.nan

    def spend_share_of_top(self, customers: Iterable[Customer], share: float = 0.2) -> float:
        """The share of the counted window's spend made by the top ``share`` of its buyers."""
        spends = [c.counted_spend for c in customers if c.counted_spend > 0.0]
        spends += [s for s in self.departed_spend if s > 0.0]
        total = sum(spends)
        if not spends or total <= 0.0:
            return math.nan
        top = max(1, round(share * len(spends)))
        return sum(heapq.nlargest(top, spends)) / total
