"""The platform's recovery policy (MODEL.md 5.8).

:func:`compensation_offer` is pure; :class:`CompensationBudget` keeps the daily budget.
"""

from __future__ import annotations

from typing import assert_never

from sim.scenario import RecoveryParameters
from sim.scenario.kinds import FailureClass

#: Failure classes the platform sees without a complaint, so a proactive policy can reach them.
VISIBLE_FAILURE_CLASSES = frozenset({"glitch", "no_supply"})


def platform_sees_failure(failure_class: FailureClass, *, rejected: bool) -> bool:
    """Glitches, unmatched orders and cancellations (rejected provider faults) are visible."""
    return failure_class in VISIBLE_FAILURE_CLASSES or (
        failure_class == "provider_fault" and rejected
    )


def compensation_offer(
    params: RecoveryParameters,
    price: float,
    *,
    key_account: bool,
    estimated_expectation: float,
) -> float:
    """What the policy would pay, before the budget (MODEL.md 5.8).

    ``none`` pays nothing; ``fixed_share`` pays a share of the price; ``match_expectation`` pays
    the platform's (noisy) estimate of the customer's expected compensation; ``tiered`` matches
    key accounts and pays the others a fixed share.

    Parameters
    ----------
    estimated_expectation
        The platform's estimate of expected compensation, in currency.
    """
    policy = params.policy
    match policy:
        case "none":
            return 0.0
        case "fixed_share":
            return params.compensation_share * price
        case "match_expectation":
            return estimated_expectation
        case "tiered":
            return estimated_expectation if key_account else params.compensation_share * price
        case _:
            assert_never(policy)


class CompensationBudget:
    """A daily compensation budget: once the day's budget is spent, nothing more is paid.

    Parameters
    ----------
    daily_budget
        Currency per simulated day; 0 means no limit.
    """

    def __init__(self, daily_budget: float) -> None:
        self.daily_budget = daily_budget
        self._day = -1
        self._spent_today = 0.0

    def grant(self, amount: float, now_hours: float) -> float:
        """Pay as much of ``amount`` as today's budget allows and return what was paid."""
        if self.daily_budget <= 0:
            return amount
        day = int(now_hours // 24)
        if day != self._day:
            self._day, self._spent_today = day, 0.0
        paid = min(amount, self.daily_budget - self._spent_today)
        paid = max(0.0, paid)
        self._spent_today += paid
        return paid
