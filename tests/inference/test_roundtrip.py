"""The round trip: calibrating against targets the model itself produced at known values
recovers those values (MODEL.md 11.1).

The world is tiny and the statistic one (the TARP grid's level, whose conditions are one run),
so that ten repetitions take a few minutes; its synthetic target is half as wide as the real
one, so that what the statistic identifies is narrowed well inside its prior.
"""

import pytest

from sim.experiments.executors import open_executor
from sim.inference.priors import Prior, prior_of
from sim.inference.roundtrip import round_trip
from sim.inference.smc import Settings
from sim.inference.statistics import Statistic
from sim.validation.patterns import pattern
from tests.inference.worlds import tiny_scenario

#: A parameter no statistic of the round trip depends on (surge is off): the knockout of
#: learning. Its credible interval must stay about as wide as its prior.
UNIDENTIFIED = Prior("fairness.compensation_weight", 0.0, 2.0, "surge_odds", "the knockout")
IDENTIFIED = prior_of("retention.intercept")
REPETITIONS = 10


@pytest.fixture(scope="module")
def trips():
    statistics = (Statistic(pattern("tarp_grid"), -0.05, 0.05),)
    settings = Settings(population=40, generations=5, seed=5)
    with open_executor("inprocess", 1) as executor:
        return round_trip(
            tiny_scenario(), (IDENTIFIED, UNIDENTIFIED), statistics, settings, executor, REPETITIONS
        )


@pytest.mark.slow
def test_the_true_values_lie_inside_their_credible_intervals_in_most_repetitions(trips):
    every = trips.groupby("repetition").covered.all()
    assert len(every) == REPETITIONS
    assert every.sum() >= 8, trips


@pytest.mark.slow
def test_the_data_narrow_what_they_identify_and_leave_the_rest_as_the_prior(trips):
    share = trips.groupby("parameter").share_of_prior.mean()
    assert share[IDENTIFIED.key] < 0.6, share
    assert share[UNIDENTIFIED.key] > 0.75, share
