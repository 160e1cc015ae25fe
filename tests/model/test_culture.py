"""Hofstede's dimensions beyond individualism (sim.model.culture, MODEL.md 14.3): each at the
middle changes nothing, and each moves what the literature says it moves, in a running world."""

import numpy as np
import pytest

from sim.model.culture import (
    complaint_shift,
    draw_culture,
    explanation_receptiveness,
    felt_severity,
    forgiveness,
)
from sim.model.streams import Streams
from sim.scenario import CultureParameters, CustomerParameters
from tests.conftest import assert_increase, assert_not_positive, kpi, per_replication, runs, study


def test_at_the_middle_of_every_dimension_nothing_changes():
    params = CultureParameters()
    assert complaint_shift(params, 0.5) == 0.0
    assert felt_severity(params, 0.37, 0.5) == 0.37
    assert explanation_receptiveness(params, 0.5) == 1.0
    assert forgiveness(params, 0.5) == 1.0


def test_each_dimension_moves_its_judgement_in_the_literatures_direction():
    params = CultureParameters()
    assert complaint_shift(params, 0.9) < 0 < complaint_shift(params, 0.1)
    assert felt_severity(params, 0.4, 0.9) > 0.4 > felt_severity(params, 0.4, 0.1)
    assert felt_severity(params, 0.99, 1.0) <= 1.0
    assert explanation_receptiveness(params, 0.9) > 1 > explanation_receptiveness(params, 0.1)
    assert forgiveness(params, 0.9) > 1 > forgiveness(params, 0.1)


def test_without_spread_every_customer_has_the_means_and_draws_nothing():
    stream = Streams(1, 0).culture
    before = stream.generator.bit_generator.state
    c = CustomerParameters(power_distance=0.7, uncertainty_avoidance=0.2)
    assert draw_culture(c, stream) == (0.7, 0.2, 0.5)
    assert stream.generator.bit_generator.state == before  # no block drawn
    spread = draw_culture(CustomerParameters(culture_sd=0.3), stream)
    assert len(set(spread)) == 3 and all(0 <= x <= 1 for x in spread)


def test_power_distance_lowers_complaining_to_the_platform():
    low, high = runs(**{"customers.power_distance": 0.2}), runs(**{"customers.power_distance": 0.8})
    assert_increase(kpi(high, "complaint_rate"), kpi(low, "complaint_rate"), 0.05)
    knockout = {"culture.power_distance_complaints": 0.0}
    low_k = runs(**{"customers.power_distance": 0.2, **knockout})
    high_k = runs(**{"customers.power_distance": 0.8, **knockout})
    assert_not_positive(kpi(low_k, "complaint_rate") - kpi(high_k, "complaint_rate"), 0.05)


def satisfaction_fall(results) -> np.ndarray:
    """Per replication, how far satisfaction fell over a failure episode, on average."""
    return per_replication(results, lambda e: (e.satisfaction_before - e.satisfaction_after).mean())


@pytest.mark.slow
def test_uncertainty_avoidance_deepens_the_fall_in_satisfaction_after_failures():
    # The fall over each episode, not the level after it: the level carries every earlier
    # episode's luck too (its per-replication spread is several times the effect).
    calm = study(**{"customers.uncertainty_avoidance": 0.1})
    anxious = study(**{"customers.uncertainty_avoidance": 0.9})
    assert_increase(satisfaction_fall(calm), satisfaction_fall(anxious), 0.01)
    knockout = {"culture.uncertainty_avoidance_severity": 0.0}
    calm_k = study(**{"customers.uncertainty_avoidance": 0.1, **knockout})
    anxious_k = study(**{"customers.uncertainty_avoidance": 0.9, **knockout})
    assert_not_positive(satisfaction_fall(anxious_k) - satisfaction_fall(calm_k), 0.01)


def chance_of_staying(results) -> np.ndarray:
    """Per replication, the mean stated intention to buy again after a failure (MODEL.md 5.10)."""
    return per_replication(results, lambda episodes: episodes.repurchase_intention.mean())


@pytest.mark.slow
def test_long_term_orientation_keeps_customers_in_relationships_after_failures():
    strong = {"customers.relationship_initial": 0.7}
    short = runs(**strong, **{"customers.long_term_orientation": 0.1})
    long = runs(**strong, **{"customers.long_term_orientation": 0.9})
    assert_increase(chance_of_staying(short), chance_of_staying(long), 0.01)
    knockout = {**strong, "culture.long_term_forgiveness": 0.0}
    short_k = runs(**knockout, **{"customers.long_term_orientation": 0.1})
    long_k = runs(**knockout, **{"customers.long_term_orientation": 0.9})
    assert_not_positive(chance_of_staying(long_k) - chance_of_staying(short_k), 0.01)
