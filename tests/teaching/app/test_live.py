"""A world watched as it runs gives the run ``aggsim run`` gives (sim.teaching.app.live)."""

from __future__ import annotations

import math

import pandas as pd

from sim.experiments.replication import run_replication
from sim.teaching.app.live import PAID_SHARE, LiveWorld, paid_share
from sim.teaching.demo import demo_scenario


def test_advancing_in_steps_changes_nothing_in_the_run():
    scenario = demo_scenario()
    whole = run_replication(scenario, 0, trace=True)
    live = LiveWorld(scenario)
    ended = []
    while not live.finished:
        ended += live.advance(5.0)
    assert pd.Series(live.world.kpis()).equals(pd.Series(whole.kpis))  # NaN equal to NaN
    assert live.episodes().equals(whole.episodes)
    assert len(ended) == len(whole.episodes) > 0
    timeseries = pd.DataFrame.from_records(live.world.timeseries, columns=whole.timeseries.columns)
    assert timeseries.equals(whole.timeseries)


def test_samples_follow_the_counts_as_the_world_runs():
    live = LiveWorld(demo_scenario())
    first = live.sample()
    assert first.hours == 0 and math.isnan(first.values["mean_aggregator_responsibility"])
    assert first.values["customers_active_end"] == 60
    live.advance(24 * 7)
    last = live.sample()
    assert last.values["failures"] > 0
    assert 0 < last.values["mean_aggregator_responsibility"] < 1
    assert last.values[PAID_SHARE] == paid_share(live.episodes())


def test_paid_share_is_the_mean_share_of_the_price_paid():
    episodes = pd.DataFrame({"compensation_paid": [0.0, 5.0], "price": [10.0, 10.0]})
    assert paid_share(episodes) == 0.25
    assert math.isnan(paid_share(episodes.iloc[:0]))
