"""Recovery policies and the compensation budget (MODEL.md 5.8)."""

import pytest

from sim.model.recovery import CompensationBudget, compensation_offer, platform_sees_failure
from sim.scenario import RecoveryParameters


@pytest.mark.parametrize(
    ("policy", "key_account", "expected"),
    [
        ("none", False, 0.0),
        ("fixed_share", False, 3.0),
        ("fixed_share", True, 3.0),
        ("match_expectation", False, 7.0),
        ("tiered", True, 7.0),
        ("tiered", False, 3.0),
    ],
)
def test_each_policy_pays_what_it_promises(policy, key_account, expected):
    params = RecoveryParameters(policy=policy, compensation_share=0.3)
    assert compensation_offer(
        params, 10.0, key_account=key_account, estimated_expectation=7.0
    ) == pytest.approx(expected)


def test_the_daily_budget_is_never_exceeded_and_renews_each_day():
    budget = CompensationBudget(10.0)
    assert budget.grant(6.0, 1.0) == 6.0
    assert budget.grant(6.0, 2.0) == 4.0  # what is left
    assert budget.grant(6.0, 3.0) == 0.0  # spent: no compensation
    assert budget.grant(6.0, 25.0) == 6.0  # a new day


def test_a_zero_budget_means_no_limit():
    assert CompensationBudget(0.0).grant(1e9, 0.0) == 1e9


def test_the_platform_sees_glitches_unmatched_orders_and_cancellations():
    assert platform_sees_failure("glitch", rejected=False)
    assert platform_sees_failure("no_supply", rejected=True)
    assert platform_sees_failure("provider_fault", rejected=True)
    assert not platform_sees_failure("provider_fault", rejected=False)
    assert not platform_sees_failure("external", rejected=True)
