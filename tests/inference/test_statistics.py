import math

import pytest

import sim.inference.statistics as statistics_module
from sim.experiments.replication import run_replication
from sim.inference.statistics import (
    Statistic,
    calibration_set,
    distance,
    held_out_set,
    measure,
    real_statistics,
    small_world,
)
from sim.scenario import Scenario
from sim.validation.patterns import PATTERNS, pattern
from tests.inference.worlds import tiny_scenario


def test_the_calibration_and_held_out_sets_split_the_validation_patterns():
    fitted = {p.key for p in calibration_set()}
    held = {p.key for p in held_out_set()}
    validation = {p.key for p in PATTERNS if p.kind == "validation"}
    assert fitted and held and not fitted & held
    assert fitted | held == validation


def test_a_statistic_is_inside_its_range_at_a_distance_of_one_or_less():
    s = Statistic(pattern("spend_after_late_delivery"), 0.05, 0.10)
    assert s.scaled(0.075) == pytest.approx(0)
    assert s.scaled(0.10) == pytest.approx(1)
    assert s.scaled(0.125) == pytest.approx(2)
    assert s.scaled(math.nan) == math.inf
    other = Statistic(pattern("tarp_grid"), -0.1, 0.1)
    assert distance({s.key: 0.075, other.key: 0.15}, [s, other]) == pytest.approx(1.5)


def test_the_real_statistics_are_the_patterns_own_targets():
    for s in real_statistics():
        assert (s.low, s.high) == s.pattern.target.bounds


def test_a_statistic_is_the_patterns_measure_on_one_world():
    scenario = tiny_scenario()
    values = measure(scenario, [pattern("spend_after_late_delivery")])
    kpis = run_replication(scenario, 0).kpis
    assert values["spend_after_late_delivery"] == kpis["spend_loss_after_flawed_delivery"]


def test_conditions_that_are_the_same_scenario_run_once(monkeypatch):
    calls = []

    def counted(scenario, replication, trace=False):
        calls.append(scenario)
        return run_replication(scenario, replication, trace=trace)

    monkeypatch.setattr(statistics_module, "run_replication", counted)
    # The baseline has surge off: "surge off" is the scenario itself, run once for both roles.
    assert not Scenario().surge.enabled
    measure(tiny_scenario(), list(calibration_set()))
    assert len(calls) == 3  # the scenario, surge on, the TARP calibration world


def test_a_small_world_scales_providers_with_customers():
    scenario = Scenario()
    world = small_world(scenario, scenario.customers.count // 4)
    assert world["providers.count"] == round(scenario.providers.count / 4)
    assert small_world(scenario, 10)["providers.count"] == 2
