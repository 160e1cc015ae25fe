"""Contracts with a service level agreement (sim.model.contracts, MODEL.md 14.4): who has one,
what it makes customers expect, and what the platform pays under it."""

import numpy as np
import pytest

from sim.model.contracts import anchored_expectation, contract_probability
from sim.scenario import ContractParameters
from tests.conftest import assert_not_positive, assert_positive, b2b, per_replication


def test_the_contract_sets_a_floor_below_severe_failures_and_adds_the_penalty_above():
    params = ContractParameters(penalty=0.3, severe_from=0.7)
    assert anchored_expectation(params, 0.1, 0.3, 0.5) == pytest.approx(0.3)
    assert anchored_expectation(params, 0.5, 0.3, 0.5) == 0.5  # already above the penalty
    assert anchored_expectation(params, 0.5, 0.3, 0.8) == pytest.approx(0.8)
    assert anchored_expectation(params, 0.1, 0.0, 0.8) == 0.1  # no contract
    ignored = ContractParameters(anchoring=0.0)
    assert anchored_expectation(ignored, 0.1, 0.3, 0.8) == 0.1


def test_formal_contracts_are_likelier_where_uncertainty_is_avoided_and_individuals_deal():
    params = ContractParameters(share_general=0.4)
    middle = contract_probability(
        params, key_account=False, uncertainty_avoidance=0.5, individualism=0.5
    )
    assert middle == pytest.approx(0.4)
    formal = contract_probability(
        params, key_account=False, uncertainty_avoidance=0.9, individualism=0.8
    )
    trusting = contract_probability(
        params, key_account=False, uncertainty_avoidance=0.2, individualism=0.2
    )
    assert trusting < middle < formal
    assert (
        contract_probability(params, key_account=True, uncertainty_avoidance=1.0, individualism=1.0)
        == 0.0
    )


CONTRACTED = {
    "contracts.share_general": 1.0,
    "contracts.share_key_account": 1.0,
    "contracts.penalty": 0.3,
}


def expected_share(**overrides) -> np.ndarray:
    """Per replication of a 30-day B2B marketplace, the mean expected compensation share."""
    return per_replication(b2b(30, **overrides), lambda t: t.expected_compensation_share.mean())


@pytest.mark.slow
def test_an_sla_penalty_raises_the_compensation_expected_for_contracted_orders():
    assert_positive(expected_share(**CONTRACTED) - expected_share(), 0.05)
    # knockout: customers who ignore their contract expect what they would without one
    ignored = {**CONTRACTED, "contracts.anchoring": 0.0}
    assert_not_positive(expected_share(**ignored) - expected_share(), 0.05)
    table = b2b(30, **CONTRACTED)[0].episodes
    assert (table.sla_penalty == 0.3).all()
    assert (table.compensation_paid >= 0.3 * table.price - 1e-9).mean() > 0.9  # the budget aside
