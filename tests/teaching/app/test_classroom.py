"""Platforms A and B over one world, with common random numbers (sim.teaching.app.classroom)."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from sim.teaching.app.classroom import Classroom
from sim.teaching.demo import demo_scenario

RESPONSIBILITY = "mean_aggregator_responsibility"


def week(classroom: Classroom) -> dict[str, dict[str, float]]:
    classroom.run_to_end()
    return {name: classroom.live(name).world.kpis() for name in ("A", "B")}


def test_the_same_settings_give_the_same_run_on_both_platforms():
    kpis = week(Classroom(demo_scenario()))
    assert pd.Series(kpis["A"]).equals(pd.Series(kpis["B"]))  # NaN equal to NaN


def test_more_intermediation_on_b_makes_b_more_responsible():
    classroom = Classroom(demo_scenario())
    classroom.set_lever("B", "aggregator.intermediation", 1.0)
    kpis = week(classroom)
    assert abs(kpis["A"]["failures"] - kpis["B"]["failures"]) <= 2  # the same luck, nearly
    assert kpis["B"][RESPONSIBILITY] > kpis["A"][RESPONSIBILITY] + 0.03
    assert kpis["B"]["mean_perceived_control"] > kpis["A"]["mean_perceived_control"]


def test_the_difference_is_the_mechanism_not_the_label():
    """Knockout: when perceived control does not depend on intermediation, the lever does
    nothing to responsibility."""
    knocked = demo_scenario().with_values(**{"attribution.intermediation_weight": 0.0})
    classroom = Classroom(knocked)
    classroom.set_lever("B", "aggregator.intermediation", 1.0)
    kpis = week(classroom)
    assert kpis["B"][RESPONSIBILITY] == pytest.approx(kpis["A"][RESPONSIBILITY])


def test_a_lever_restarts_both_platforms_from_the_first_hour():
    classroom = Classroom(demo_scenario())
    classroom.step_day()
    assert classroom.hours == 24
    classroom.set_lever("A", "recovery.apology", False)
    assert classroom.hours == 0
    assert classroom.scenario("A").recovery.apology is False
    assert classroom.scenario("B").recovery.apology is True


def test_an_invalid_value_changes_nothing():
    classroom = Classroom(demo_scenario())
    with pytest.raises(ValidationError):
        classroom.set_lever("A", "aggregator.intermediation", "high")
    with pytest.raises(KeyError):
        classroom.set_lever("A", "run.seed", 3)
    assert classroom.platforms["A"].moved == {}


def test_values_sent_from_outside_the_sliders_are_brought_within_their_range():
    """A page's websocket took customers.count=1000000 (the slider stops at 2,000) and spent
    107 s building the world; the classroom now keeps every number within its range."""
    import time

    classroom = Classroom(demo_scenario())
    started = time.monotonic()
    assert classroom.set_world("customers.count", 1_000_000) == 2000
    assert time.monotonic() - started < 20
    assert classroom.scenario("A").customers.count == 2000
    assert classroom.set_world("run.days", -5) == 1
    assert classroom.set_lever("A", "aggregator.intermediation", 1.5) == 1.0
    assert classroom.set_lever("B", "aggregator.glitch_rate", 9.0) == 0.2  # the slider's end
    assert classroom.set_lever("B", "recovery.delay_mean_hours", float("nan")) == 0.0
    assert classroom.scenario("A").aggregator.intermediation == 1.0


def test_the_world_settings_apply_to_both_and_the_warm_up_is_dropped():
    scenario = demo_scenario().with_values(**{"run.warmup_days": 3.0})
    classroom = Classroom(scenario)
    classroom.set_world("customers.count", 120)
    for name in ("A", "B"):
        assert classroom.scenario(name).customers.count == 120
        assert classroom.scenario(name).run.warmup_days == 0
    assert classroom.horizon == 7 * 24


def test_step_day_runs_to_the_next_midnight():
    classroom = Classroom(demo_scenario())
    classroom.advance(5.0)
    classroom.step_day()
    assert classroom.hours == 24.0
    classroom.run_to_end()
    assert classroom.finished
