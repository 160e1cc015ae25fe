import numpy as np
import pandas as pd
import pytest

from sim.experiments.executors import open_executor
from sim.inference.priors import PRIORS
from sim.inference.smc import INSIDE, Settings, calibrate
from sim.inference.statistics import Statistic, real_statistics
from sim.validation.patterns import pattern
from tests.inference.worlds import tiny_scenario

SETTINGS = Settings(population=4, generations=2, seed=11)


def tiny_calibration(kind: str, workers: int, settings: Settings = SETTINGS, statistics=None):
    with open_executor(kind, workers) as executor:
        return calibrate(
            tiny_scenario(), PRIORS, statistics or real_statistics(), settings, executor
        )


@pytest.fixture(scope="module")
def serial():
    return tiny_calibration("inprocess", 1)


def test_the_posterior_does_not_depend_on_the_workers(serial):
    pooled = tiny_calibration("process", 2)
    pd.testing.assert_frame_equal(serial.particles, pooled.particles)
    pd.testing.assert_frame_equal(serial.generations, pooled.generations)


def test_another_seed_draws_other_particles(serial):
    other = tiny_calibration("inprocess", 1, Settings(population=4, generations=2, seed=12))
    assert not np.allclose(serial.particles.to_numpy(), other.particles.to_numpy())


def test_the_particles_lie_within_their_priors_and_weigh_one_in_all(serial):
    for prior in PRIORS:
        assert serial.particles[prior.key].between(prior.low, prior.high).all()
    assert serial.particles.weight.sum() == pytest.approx(1)
    assert len(serial.particles) == SETTINGS.population


def test_the_first_generation_takes_every_draw_and_later_thresholds_tighten(serial):
    g = serial.generations
    assert g.epsilon.iloc[0] == np.inf and g.acceptance.iloc[0] == 1
    assert INSIDE <= g.epsilon.iloc[1] < np.inf
    assert (g.evaluations >= g.accepted).all()


def test_a_calibration_stops_once_every_statistic_lies_inside_its_range():
    # A range no world can miss: the second generation's threshold is the floor, 1, and the run
    # stops there although more generations are allowed.
    wide = (Statistic(pattern("spend_after_late_delivery"), -10.0, 10.0),)
    found = tiny_calibration(
        "inprocess", 1, Settings(population=4, generations=5, seed=3), statistics=wide
    )
    assert list(found.generations.epsilon) == [np.inf, INSIDE]
    assert found.reached
