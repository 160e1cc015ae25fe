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


def test_predictions_wait_for_two_different_platforms_and_every_answer(page):
    """Identical platforms make every answer 'about the same': the class is told to move a lever
    first, whatever it predicted; no answer is chosen for it in advance."""
    assert {w.value for w in page.predictions.values()} == {"not yet"}
    for widget in page.predictions.values():
        widget.value = "B"
    assert page.reveal_button.disabled and "are the same" in page.predict_hint.object
    page.lever_widgets["B"]["aggregator.intermediation"].value = 1.0
    assert not page.reveal_button.disabled and page.predict_hint.object == ""
    page.lever_widgets["B"]["aggregator.intermediation"].value = 0.6  # back to A's
    assert page.reveal_button.disabled and "are the same" in page.predict_hint.object


def test_predict_then_run_reveals_when_the_run_is_over(page):
    page.lever_widgets["B"]["aggregator.intermediation"].value = 1.0
    assert page.reveal_button.disabled and "to answer" in page.predict_hint.object
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


def test_every_lever_says_what_it_is_from_the_parameter_schema(page):
    import panel as pn

    from sim.scenario import parameter_index
    from sim.teaching.app.levers import LEVERS

    view = page.view()
    tips = [
        t.value for part in (*view.main, *view.sidebar) for t in part.select(pn.widgets.TooltipIcon)
    ]
    assert len(tips) == 2 * len(LEVERS)  # both platforms
    for lever in LEVERS:
        meaning = parameter_index()[lever.key].meaning
        assert sum(tip.startswith(meaning) and lever.key in tip for tip in tips) == 2, lever.key


@pytest.mark.slow
def test_the_compensation_plot_follows_a_generous_platform_above_one_and_a_half(tmp_path):
    """A platform paying three times the price (recovery.compensation_share = 3) is drawn whole:
    the compensation plot's axis starts at 0 and follows the data; shares bounded by 1 keep
    their fixed axis."""
    from bokeh.models import DataRange1d, Range1d

    generous = demo_scenario().with_values(
        **{
            "recovery.compensation_share": 3.0,
            "recovery.policy": "fixed_share",
            "recovery.proactive": True,  # every failure it sees is answered
        }
    )
    shown = ClassroomPage(generous, {}, tmp_path)
    shown.toggle_running()
    while shown.running:
        shown.tick()
    paid = [v for v in shown.sources["A"].data["paid_compensation_share"] if v == v]
    assert max(paid) > 1.5
    by_title = {figure.title.text: figure for figure in shown.figures}
    compensation = by_title["Compensation, share of price (mean)"]
    assert isinstance(compensation.y_range, DataRange1d) and compensation.y_range.start == 0
    punishment = by_title["Punishment wanted for providers (mean)"]
    assert isinstance(punishment.y_range, Range1d) and punishment.y_range.end == 1.0


def test_the_page_ticks_only_while_its_world_runs_and_lets_it_go_when_closed(page):
    """Thirty tabs opened and closed kept the app at 100% CPU: every page ticked four times a
    second, running or not, and kept its worlds after its tab had gone."""
    page.view()
    ticking = page._ticking
    assert ticking is not None and not ticking.running, "a paused page does not tick"
    page.toggle_running()
    assert ticking.running
    page.toggle_running()
    assert not ticking.running
    page.toggle_running()
    page._closed(None)
    assert not ticking.running
    assert all(p.live is None for p in page.classroom.platforms.values())
