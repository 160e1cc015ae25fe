"""The model's closed vocabularies are handled member by member: a policy or failure class added
to its ``Literal`` without a branch fails here (``assert_never``) and in mypy."""

from __future__ import annotations

import pytest

from sim.model.failures import CAUSE_OF_CLASS, controllability
from sim.model.recovery import compensation_offer
from sim.scenario import Scenario
from sim.scenario.kinds import CAUSES, FAILURE_CLASSES, RECOVERY_POLICIES

EXPECTED_OFFER = {  # (key account, general customer) for price 20, estimate 7, share 0.25
    "none": (0.0, 0.0),
    "fixed_share": (5.0, 5.0),
    "match_expectation": (7.0, 7.0),
    "tiered": (7.0, 5.0),
}


@pytest.mark.parametrize("policy", RECOVERY_POLICIES)
def test_every_recovery_policy_pays_what_it_says(policy):
    params = (
        Scenario()
        .with_values(**{"recovery.policy": policy, "recovery.compensation_share": 0.25})
        .recovery
    )
    offers = tuple(
        compensation_offer(params, 20.0, key_account=key, estimated_expectation=7.0)
        for key in (True, False)
    )
    assert offers == EXPECTED_OFFER[policy]


def test_the_schema_offers_exactly_the_policies_handled():
    assert set(EXPECTED_OFFER) == set(RECOVERY_POLICIES)
    schema = Scenario.model_json_schema()["$defs"]["RecoveryParameters"]["properties"]["policy"]
    assert tuple(schema["enum"]) == RECOVERY_POLICIES


@pytest.mark.parametrize("failure_class", FAILURE_CLASSES)
def test_every_failure_class_has_a_cause_and_a_controllability(failure_class):
    assert CAUSE_OF_CLASS[failure_class] in CAUSES
    platform, provider = controllability(Scenario(), failure_class, preventable_by_provider=True)
    assert 0 <= platform <= 1 and 0 <= provider <= 1
