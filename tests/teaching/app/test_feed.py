"""The story feed tells episodes as ``aggsim demo`` does (sim.teaching.app.feed)."""

from __future__ import annotations

from sim.experiments.replication import run_replication
from sim.teaching.app.feed import NUMBERS, stories
from sim.teaching.app.live import LiveWorld
from sim.teaching.demo import demo_scenario, narrate


def test_the_feed_tells_each_episode_as_the_demo_does():
    scenario = demo_scenario()
    live = LiveWorld(scenario)
    rows = live.advance(24 * 8)
    told = stories("A", scenario, rows, 1)
    assert len(told) == len(rows) > 0
    demo = narrate(scenario, run_replication(scenario, 0, trace=True).episodes)
    flat = {" ".join(text.split()) for text in demo}
    for story in told:
        # the demo numbers episodes by when they failed, the feed by when they ended
        body = story.text.split(" - ", 1)[1]
        assert any(body in text for text in flat), story.text
        assert len(story.numbers) == len(NUMBERS)
    assert told[0].title.startswith("A · episode 1 · day")
