"""Key-account management (sim.model.kam, MODEL.md 14.2): which accounts get a manager, how the
relationship grows, and what a manager changes for its accounts and costs the platform."""

import numpy as np
import pytest

from sim.experiments.replication import run_replication
from sim.model.kam import (
    KeyAccount,
    account_stage_index,
    accounts_to_manage,
    recovery_delay,
    strength,
)
from sim.model.satisfaction import interactional_justice
from sim.model.world import World
from sim.scenario import KamParameters, SatisfactionParameters
from sim.scenario.files import load_scenario
from tests.conftest import B2B, assert_not_positive, assert_positive, b2b, per_replication
from tests.conftest import kpi as replication_kpi

DAY = 24.0


def test_the_top_share_by_spend_is_managed_with_ties_to_the_lower_id():
    params = KamParameters(share=0.25)
    spend = [(7, 10.0), (3, 50.0), (9, 50.0), (1, 5.0), (4, 0.0), (5, 0.0), (6, 1.0), (8, 2.0)]
    assert accounts_to_manage(params, spend, active=8) == {3, 9}
    assert accounts_to_manage(params, spend, active=4) == {3}
    assert accounts_to_manage(KamParameters(share=0.0), spend, active=8) == set()


def test_the_relationship_grows_one_stage_per_stage_days_up_to_synergy():
    params = KamParameters(stage_days=10.0)
    account = KeyAccount(since=5 * DAY)
    stages = [
        account_stage_index(params, account, (5 + d) * DAY) for d in (0, 9.9, 10, 25, 31, 400)
    ]
    assert stages == [0, 0, 1, 2, 3, 3]
    assert strength(params, None, 0.0) == 0.0
    assert strength(params, account, 5 * DAY) == params.strength_early
    assert strength(params, account, 400 * DAY) == params.strength_synergistic


def test_a_manager_shortens_recoveries_and_handles_them_in_person():
    params = KamParameters(delay_factor=0.25)
    assert recovery_delay(params, 20.0, 0.0) == 20.0
    assert recovery_delay(params, 20.0, 1.0) == pytest.approx(5.0)
    sat = SatisfactionParameters()
    plain = interactional_justice(sat, apologised=False, apology_expected=False)
    attended = interactional_justice(sat, apologised=False, apology_expected=False, attention=0.5)
    assert attended == pytest.approx(plain + 0.5 * (1 - plain))
    assert interactional_justice(sat, apologised=True, apology_expected=True, attention=0.5) == 1.0


# ---------------------------------------------------------------- in a B2B marketplace

MANAGED = {"kam.share": 0.2}
#: A manager without effect at every stage: it still costs, but changes nothing else.
POWERLESS = {
    f"kam.strength_{stage}": 0.0 for stage in ("early", "mid", "partnership", "synergistic")
}


def kpi(name: str, **overrides) -> np.ndarray:
    """A KPI per replication of a 60-day B2B marketplace (same seeds: paired)."""
    return replication_kpi(b2b(60, **overrides), name)


def key_accounts(column: str, **overrides) -> np.ndarray:
    """Per replication, the mean of an episode column over key accounts' failures."""
    return per_replication(
        b2b(60, **overrides), lambda e: e.loc[e.segment == "key_account", column].mean()
    )


@pytest.mark.slow
def test_a_key_account_manager_keeps_key_accounts_and_satisfies_them_after_failures():
    satisfaction = "key_account_post_recovery_satisfaction"
    assert_positive(kpi(satisfaction, **MANAGED) - kpi(satisfaction), 0.05)
    # what they say, and what they do: fewer would leave after a failure
    intention, leaving = "repurchase_intention", "leave_probability"
    assert_positive(key_accounts(intention, **MANAGED) - key_accounts(intention), 0.05)
    # at least a tenth fewer would leave (key accounts seldom leave: habit, switching costs)
    tenth = 0.1 * key_accounts(leaving).mean()
    assert_positive(key_accounts(leaving) - key_accounts(leaving, **MANAGED), tenth)
    # knockout: a manager with no effect changes none of them
    powerless = {**MANAGED, **POWERLESS}
    assert_not_positive(kpi(satisfaction, **powerless) - kpi(satisfaction), 0.05)
    assert_not_positive(key_accounts(intention, **powerless) - key_accounts(intention), 0.05)
    assert_not_positive(key_accounts(leaving) - key_accounts(leaving, **powerless), tenth)


@pytest.mark.slow
def test_managers_cost_the_platform_what_their_accounts_and_days_come_to():
    cost = KamParameters().cost_per_account_per_day
    np.testing.assert_allclose(
        kpi("kam_cost", **MANAGED), cost * kpi("kam_account_days", **MANAGED)
    )
    assert (kpi("kam_cost", **MANAGED) > 0).all() and (kpi("kam_cost") == 0).all()
    # the profit pays for them: a powerless manager changes nothing but the cost
    np.testing.assert_allclose(
        kpi("aggregator_profit") - kpi("aggregator_profit", **MANAGED, **POWERLESS),
        kpi("kam_cost", **MANAGED, **POWERLESS),
    )


def test_the_first_review_gives_managers_to_the_most_valuable_segment():
    scenario = load_scenario(B2B, ["run.days=2", "run.warmup_days=0", "kam.share=0.1"])
    world = World(scenario)
    world.advance(1.0)
    managed = list(world.kam.managed.values())
    assert len(managed) == round(0.1 * len(world.customers))
    assert all(customer.key_account for customer in managed)  # a fifth are key accounts


def sanctioned(**overrides) -> np.ndarray:
    """Providers sanctioned in each of 20 replications of the 60-day B2B marketplace (same seeds:
    paired): counts of a few dozen vary much between replications, so more of them than
    :func:`kpi`'s six."""
    scenario = load_scenario(B2B, ["run.days=60", "run.warmup_days=0"]).with_values(**overrides)
    return np.array(
        [run_replication(scenario, r).kpis["providers_sanctioned"] for r in range(20)], float
    )


@pytest.mark.slow
def test_escalation_and_uncoupling_change_sanctions_and_management():
    escalating = sanctioned(**MANAGED)
    silent = sanctioned(**MANAGED, **{"kam.escalate": False})
    assert_positive(escalating - silent, 2.0)
    fragile = kpi("kam_account_days", **MANAGED, **{"kam.uncoupling_failures": 1})
    assert_positive(kpi("kam_account_days", **MANAGED) - fragile, 100.0)
