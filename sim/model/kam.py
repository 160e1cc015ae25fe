"""Key-account management: the platform's key-account managers and the relationships they grow
(MODEL.md 14.2).

The platform reviews its customers every ``kam.review_days`` and gives a key-account manager (KAM)
to the top ``kam.share`` of them by spend in the last review period (at the first review, by the
spend their segment leads it to expect): the 80/20 of *CRM in B2B Markets* (MODEL.md 2). A KAM
relationship grows through the stages of the KAM relational development model — after pre-KAM
(the account identified), early, mid, partnership and synergistic KAM (Millman & Wilson 1995;
McDonald, Millman & Rogers 1997) — one stage per ``kam.stage_days``, and each stage gives the KAM
more of its full strength. At strength ``k`` the KAM, for its account's failures:

- learns of every one and answers it (the platform reaches the account, 5.8);
- explains it (5.2);
- shortens the recovery: ``delay · (1 − k · (1 − kam.delay_factor))``;
- handles it in person: interactional justice ``IJ + k · kam.attention · (1 − IJ)`` (5.9,
  :func:`sim.model.satisfaction.interactional_justice`);
- escalates a provider's fault: the provider is warned at once (5.12), with ``kam.escalate``.

Too many failures within the recent window (``kam.uncoupling_failures``) uncouple the relationship
(uncoupling KAM): the account loses its KAM until a later review chooses it again. Every managed
account costs the platform ``kam.cost_per_account_per_day`` (5.14).
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterable
from dataclasses import dataclass

import simpy

from sim.model.entities import Customer
from sim.model.hours import HOURS_PER_DAY
from sim.scenario import CustomerParameters, KamParameters

#: The stages a KAM relationship grows through once a manager is assigned (after pre-KAM).
KAM_STAGES: tuple[str, ...] = ("early", "mid", "partnership", "synergistic")


@dataclass(slots=True)
class KeyAccount:
    """A managed account: when its KAM relationship began (hours)."""

    since: float


def account_stage_index(params: KamParameters, account: KeyAccount, now: float) -> int:
    """The account's stage in :data:`KAM_STAGES`: one more per ``stage_days`` under management."""
    days = (now - account.since) / HOURS_PER_DAY
    return min(len(KAM_STAGES) - 1, int(days // params.stage_days))


def strength(params: KamParameters, account: KeyAccount | None, now: float) -> float:
    """How much of its full effect the KAM has at the account's stage (0: no KAM)."""
    if account is None:
        return 0.0
    stage = KAM_STAGES[account_stage_index(params, account, now)]
    return float(getattr(params, f"strength_{stage}"))


def recovery_delay(params: KamParameters, delay_hours: float, k: float) -> float:
    """The recovery delay of an account whose KAM has strength ``k``."""
    return delay_hours * (1.0 - k * (1.0 - params.delay_factor))


def accounts_to_manage(
    params: KamParameters, spend: Iterable[tuple[int, float]], active: int
) -> set[int]:
    """The ids of the top ``share`` of the ``active`` customers by spend (ties: lower id first);
    ``spend`` holds ``(customer id, spend)`` for the customers who may be chosen."""
    wanted = math.floor(params.share * active + 0.5)
    ranked = sorted(spend, key=lambda item: (-item[1], item[0]))
    return {customer for customer, _ in ranked[:wanted]}


class AccountManagement:
    """The platform's key-account managers in one replication: the reviews that give and take
    them, the strength each has at its account's stage, uncoupling, and the accounts managed.

    Parameters
    ----------
    env
        The replication's environment.
    params, customer_params
        The scenario's ``[kam]`` and ``[customers]`` (the segments' expected spend).
    customers
        The world's active customers, by id (the same dictionary, kept up to date by the world).
    horizon
        Hours: no review after it.
    """

    def __init__(
        self,
        env: simpy.Environment,
        params: KamParameters,
        customer_params: CustomerParameters,
        customers: dict[int, Customer],
        horizon: float,
    ) -> None:
        self.env = env
        self.params = params
        self.customers = customers
        self.horizon = horizon
        self.managed: dict[int, Customer] = {}
        c = customer_params
        self._expected_spend = {
            False: c.price_mean_general * c.orders_per_week_general,
            True: c.price_mean_key_account * c.orders_per_week_key_account,
        }

    def start(self) -> None:
        """Start the reviews, when the scenario has managers at all."""
        if self.params.share > 0:
            self.env.process(self._reviews())

    def strength(self, customer: Customer) -> float:
        """The strength of the customer's manager now (0 without one)."""
        return strength(self.params, customer.kam, self.env.now)

    def stage(self, customer: Customer) -> str:
        """The stage of the customer's KAM relationship now ("" without one)."""
        account = customer.kam
        if account is None:
            return ""
        return KAM_STAGES[account_stage_index(self.params, account, self.env.now)]

    def end(self, customer: Customer) -> None:
        """The customer has no manager from now (it left, fell out of the top, or uncoupled)."""
        if customer.kam is not None:
            customer.kam = None
            del self.managed[customer.id]

    def after_failure(self, customer: Customer, recent_failures: int) -> None:
        """Uncoupling: a managed account with ``uncoupling_failures`` recent failures loses its
        manager, and no review gives it one again for ``review_days``."""
        if customer.kam is not None and recent_failures >= self.params.uncoupling_failures:
            self.end(customer)
            customer.uncoupled_until = self.env.now + self.params.review_days * HOURS_PER_DAY

    def _reviews(self) -> Generator:
        period = self.params.review_days * HOURS_PER_DAY
        first = True
        while self.env.now < self.horizon:
            self._review(first=first)
            first = False
            yield self.env.timeout(period)

    def _review(self, *, first: bool) -> None:
        """Choose the managed accounts: by spend since the last review, or, at the first, by the
        spend the customer's segment leads the platform to expect. Accounts kept keep their
        stage; spend is counted afresh."""
        now = self.env.now
        chosen = accounts_to_manage(
            self.params,
            (
                (c.id, self._expected_spend[c.key_account] if first else c.spend)
                for c in self.customers.values()
                if c.uncoupled_until <= now
            ),
            len(self.customers),
        )
        for customer in list(self.managed.values()):
            if customer.id not in chosen:
                self.end(customer)
        for customer_id in chosen:
            customer = self.customers[customer_id]
            if customer.kam is None:
                customer.kam = KeyAccount(since=now)
                self.managed[customer_id] = customer
        for customer in self.customers.values():
            customer.spend = 0.0
