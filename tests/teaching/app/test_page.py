"""The page's callbacks, driven as the browser drives them (sim.teaching.app.page; no server
needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("panel")

from sim.teaching.app.page import FEED_LENGTH, ClassroomPage, feed_html  # noqa: E402
from sim.teaching.demo import demo_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def page(tmp_path) -> ClassroomPage:
    presets = {"listing_board": ROOT / "scenarios/teaching/listing_board.toml"}
    return ClassroomPage(demo_scenario(), presets, tmp_path)


def test_run_streams_the_plots_and_tells_the_stories(page):
    page.toggle_running()
    while page.running:
        page.tick()
    assert page.classroom.finished
    days = page.sources["B"].data["day"]
    assert days[-1] >= 7 and len(days) == len(page.sources["A"].data["day"]) > 20
    assert page.feeds["A"].object.count("<details") == min(len(page.told["A"]), FEED_LENGTH) > 0
    assert "run is over" in page.clock.object
    assert page.follow_menu.options  # the customers who had a failure


def test_a_lever_restarts_the_view(page):
    page.step_day()
    assert "day 2, 00:00" in page.clock.object
    page.lever_widgets["B"]["aggregator.intermediation"].value = 0.9
    assert page.classroom.platforms["B"].moved == {"aggregator.intermediation": 0.9}
    assert "day 1, 00:00" in page.clock.object
    assert len(page.sources["A"].data["day"]) == 1
    assert page.message.object == (
        "Platform B: intermediation set to 0.9; both platforms start again from the first hour."
    )


def test_a_preset_sets_the_levers_without_a_restart_per_lever(page):
    page.preset_menus["A"].value = "listing_board"
    assert page.lever_widgets["A"]["aggregator.intermediation"].value == 0.1
    assert page.classroom.scenario("A").aggregator.brand_salience == 0.1
    assert page.classroom.platforms["A"].moved == {}
    assert page.message.object == (
        "Platform A starts from listing_board; both platforms start again from the first hour."
    )


def test_a_world_setting_restarts_both_and_says_so(page):
    page.step_day()
    page.world_widgets["run.days"].value = 3
    assert "**day 1, 00:00** of 3" in page.clock.object
    assert page.message.object == (
        "The world's days set to 3; both platforms start again from the first hour."
    )


def test_predict_then_run_reveals_when_the_run_is_over(page):
    page.lever_widgets["B"]["aggregator.intermediation"].value = 1.0
    assert page.reveal_button.disabled
    for widget in page.predictions.values():
        widget.value = "B"
    assert not page.reveal_button.disabled
    page.run_and_reveal()
    assert page.revealed.object == ""
    while page.running:
        page.tick()
    assert "The class got" in page.revealed.object
    assert "P2:" in page.revealed.object


def test_save_writes_the_folders_and_says_where(page, tmp_path):
    page.save()
    assert "A.toml" in page.exported.object
    assert len(list((tmp_path / "classroom").iterdir())) == 1


def test_an_empty_feed_says_so():
    assert "No failure" in feed_html([])
