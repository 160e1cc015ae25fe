"""The page of the classroom app (``aggsim app``), built with Panel.

One page per browser tab, each with its own :class:`sim.teaching.app.classroom.Classroom`. A
periodic callback advances both platforms a few simulated hours at a time while the world runs, and
streams what changed to the page: the clock, the live plots (:mod:`sim.teaching.app.plots`), the
story
feed (:mod:`sim.teaching.app.feed`). The tabs hold the live view, a customer followed through both
platforms, the predict-then-run mode (:mod:`sim.teaching.app.predictions`) and the export
(:mod:`sim.teaching.app.export`).
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import panel as pn
from bokeh.models import Range1d
from pydantic import ValidationError

from sim.errors import UserError
from sim.scenario import Scenario
from sim.scenario.files import load_scenario
from sim.teaching.app.classroom import PLATFORMS, WORLD_RANGES, Classroom
from sim.teaching.app.feed import Story, stories
from sim.teaching.app.levers import LEVERS, Lever
from sim.teaching.app.plots import CHARTS, WIDTH, make_figure, make_sources, row
from sim.teaching.app.predictions import ANSWERS, QUESTIONS, UNANSWERED, not_ready, reveal
from sim.teaching.demo import when

TICK_MS = 250
#: A lever's label by its key, for the line that says a move restarted both platforms.
LABELS = {lever.key: lever.label for lever in LEVERS}
FEED_LENGTH = 40  # stories kept in each platform's feed
#: On a phone the levers go below the live view, full width, and the page scrolls as one.
PHONE_CSS = """
@media (max-width: 700px) {
  #content { flex-wrap: wrap; overflow-y: auto !important; }
  #sidebar { order: 2; max-width: 100% !important; width: 100% !important; }
  #main { order: 1; flex: 0 0 100%; max-height: none !important; }
}
"""
FEED_STYLE = {"overflow-y": "auto", "font-size": "90%"}
LINE = {"A": "solid line", "B": "dashed line"}


def _range(bounds: tuple[int, int]) -> dict[str, int]:
    """A world setting's widget range: the classroom's (:data:`WORLD_RANGES`)."""
    return {"start": bounds[0], "end": bounds[1]}


def lever_widget(lever: Lever, value: Any) -> pn.widgets.Widget:
    """The widget of one lever, set to ``value``."""
    label = lever.label
    if lever.kind == "menu":
        return pn.widgets.Select(label=label, options=list(lever.info.choices or ()), value=value)
    if lever.kind == "switch":
        return pn.widgets.Checkbox(label=label, value=bool(value))
    low, high = lever.bounds()
    return pn.widgets.FloatSlider(
        label=label, start=low, end=high, step=lever.step, value=float(value), format="0.[000]"
    )


def lever_with_meaning(lever: Lever, widget: pn.widgets.Widget) -> pn.Row:
    """A lever beside a tooltip that says what it is: the parameter's meaning from the scenario
    schema, its unit and its key (the name a scenario file and ``--set`` use)."""
    info = lever.info
    unit = f" ({info.unit})" if info.unit else ""
    tip = pn.widgets.TooltipIcon(value=f"{info.meaning}{unit}. In a scenario file: {info.key}.")
    return pn.Row(widget, tip, sizing_mode="stretch_width", css_classes=["lever"])


def story_html(told: Story) -> str:
    """A story in the feed: the text, which opens on a click to show the numbers behind it."""
    rows = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
        for label, value in told.numbers
    )
    return (
        f"<details class='story story-{told.platform}'><summary><b>{html.escape(told.title)}"
        f"</b><br>{html.escape(told.text)}</summary><table class='numbers'>{rows}</table>"
        "</details>"
    )


def feed_html(told: list[Story]) -> str:
    """The latest :data:`FEED_LENGTH` stories, newest first."""
    if not told:
        return "<p>No failure has ended yet.</p>"
    return "".join(story_html(s) for s in reversed(told[-FEED_LENGTH:]))


class ClassroomPage:
    """The widgets, plots and callbacks of one browser tab."""

    def __init__(self, start: Scenario, presets: dict[str, Path], results_root: Path) -> None:
        self.presets = presets
        self.results_root = results_root
        self.classroom = Classroom(start)
        self._ticking: Any = None  # the periodic callback, ticking only while the world runs
        self._running = False
        self.told: dict[str, list[Story]] = {name: [] for name in PLATFORMS}
        self._syncing = False
        self.sources = make_sources()
        self.days = Range1d(start=0.0, end=1.0)
        self.figures = [make_figure(chart, self.sources, self.days) for chart in CHARTS]
        self._build()
        self._restarted()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.clock = pn.pane.Markdown("", css_classes=["clock"], sizing_mode="stretch_width")
        self.message = pn.pane.Markdown("", css_classes=["message"], sizing_mode="stretch_width")
        self.run_button = pn.widgets.Button(label="Run", color="primary", width=90)
        self.step_button = pn.widgets.Button(label="Step one day", width=120)
        self.reset_button = pn.widgets.Button(label="Reset", width=90)
        self.speed = pn.widgets.FloatSlider(
            label="speed (simulated hours per second)", start=1, end=96, step=1, value=24
        )
        self.run_button.on_click(lambda _: self.toggle_running())
        self.step_button.on_click(lambda _: self.step_day())
        self.reset_button.on_click(lambda _: self.reset())

        world = self.classroom.world
        ranges = WORLD_RANGES
        self.world_widgets = {
            "run.days": pn.widgets.IntSlider(
                label="days", **_range(ranges["run.days"]), value=int(world["run.days"])
            ),
            "run.seed": pn.widgets.IntInput(
                label="seed", **_range(ranges["run.seed"]), value=int(world["run.seed"])
            ),
            "customers.count": pn.widgets.IntSlider(
                label="customers",
                **_range(ranges["customers.count"]),
                step=10,
                value=int(world["customers.count"]),
            ),
            "providers.count": pn.widgets.IntSlider(
                label="providers",
                **_range(ranges["providers.count"]),
                value=int(world["providers.count"]),
            ),
        }
        for key, widget in self.world_widgets.items():
            widget.param.watch(self._world_changed(key), "value")

        self.lever_widgets: dict[str, dict[str, pn.widgets.Widget]] = {}
        self.preset_menus: dict[str, pn.widgets.Select] = {}
        self.platform_cards = [self._platform_card(name) for name in PLATFORMS]

        self.feeds = {
            name: pn.pane.HTML(
                feed_html([]), sizing_mode="stretch_width", height=480, styles=FEED_STYLE
            )
            for name in PLATFORMS
        }
        self.follow_menu = pn.widgets.Select(label="customer", options=[], width=200)
        self.follow_menu.param.watch(lambda _: self._show_followed(), "value")
        self.followed = {
            name: pn.pane.Markdown("", sizing_mode="stretch_width") for name in PLATFORMS
        }
        self.predictions = {
            q.key: pn.widgets.RadioButtonGroup(
                label=q.text, options=[UNANSWERED, *ANSWERS], value=UNANSWERED, variant="outline"
            )
            for q in QUESTIONS
        }
        for widget in self.predictions.values():
            widget.param.watch(lambda _: self._predictions_changed(), "value")
        self.reveal_button = pn.widgets.Button(
            label="Run and reveal", color="primary", disabled=True
        )
        self.reveal_button.on_click(lambda _: self.run_and_reveal())
        self.revealed = pn.pane.Markdown("", sizing_mode="stretch_width", css_classes=["reveal"])
        self.predict_hint = pn.pane.Markdown("", sizing_mode="stretch_width")
        self._reveal_pending = False

        self.export_button = pn.widgets.Button(label="Save results folders", color="primary")
        self.export_button.on_click(lambda _: self.save())
        self.exported = pn.pane.Markdown("", sizing_mode="stretch_width")
        self.downloads = [
            pn.widgets.FileDownload(
                callback=self._scenario_file(name),
                filename=f"{name}.toml",
                label=f"Download {name}.toml",
                color="default",
            )
            for name in PLATFORMS
        ]

    def _platform_card(self, name: str) -> pn.Column:
        chosen = self.classroom.platforms[name]
        menu = pn.widgets.Select(
            label="start from", options=["(as started)", *self.presets], value="(as started)"
        )
        menu.param.watch(lambda event: self._preset_chosen(name, event.new), "value")
        self.preset_menus[name] = menu
        values = chosen.levers()
        widgets = {lever.key: lever_widget(lever, values[lever.key]) for lever in LEVERS}
        for key, widget in widgets.items():
            widget.param.watch(self._lever_changed(name, key), "value")
        self.lever_widgets[name] = widgets
        groups: list[Any] = []
        for group in dict.fromkeys(lever.group for lever in LEVERS):
            members = [
                lever_with_meaning(lever, widgets[lever.key])
                for lever in LEVERS
                if lever.group == group
            ]
            groups.append(pn.pane.Markdown(f"**{group}**", margin=(8, 5, 0, 5)))
            groups.extend(members)
        return pn.Column(
            f"Drawn as a {LINE[name]}.",
            menu,
            *groups,
            name=f"Platform {name}",
            sizing_mode="stretch_width",
            css_classes=[f"platform-{name}"],
        )

    # ------------------------------------------------------------------ settings

    def _lever_changed(self, platform: str, key: str) -> Callable[[Any], None]:
        def changed(event: Any) -> None:
            if self._syncing:
                return
            try:
                kept = self.classroom.set_lever(platform, key, event.new)
            except ValidationError as error:
                self.message.object = f"That value cannot be used: {error.errors()[0]['msg']}"
                return
            self._show_kept(self.lever_widgets[platform][key], event.new, kept)
            self.message.object = (
                f"Platform {platform}: {LABELS[key]} set to {shown(kept)}; "
                "both platforms start again from the first hour."
            )
            self._restarted()

        return changed

    def _show_kept(self, widget: pn.widgets.Widget, sent: Any, kept: Any) -> None:
        """Put a value brought within its range back on its widget (a value sent from outside
        the slider's range, by a script or an edited message)."""
        if kept != sent:
            self._syncing = True
            try:
                widget.value = kept
            finally:
                self._syncing = False

    def _world_changed(self, key: str) -> Callable[[Any], None]:
        def changed(event: Any) -> None:
            if self._syncing:
                return
            try:
                kept = self.classroom.set_world(key, event.new)
            except ValidationError as error:
                self.message.object = f"That value cannot be used: {error.errors()[0]['msg']}"
                return
            self._show_kept(self.world_widgets[key], event.new, kept)
            self.message.object = (
                f"The world's {self.world_widgets[key].name} set to {shown(kept)}; "
                "both platforms start again from the first hour."
            )
            self._restarted()

        return changed

    def _preset_chosen(self, platform: str, preset: str) -> None:
        if preset not in self.presets:
            return
        try:
            scenario = load_scenario(self.presets[preset])
        except UserError as error:
            self.message.object = f"Cannot load {preset}: {error}"
            return
        self.classroom.load(platform, scenario)
        values = self.classroom.platforms[platform].levers()
        self._syncing = True
        try:
            for key, widget in self.lever_widgets[platform].items():
                widget.value = values[key]
        finally:
            self._syncing = False
        self.message.object = (
            f"Platform {platform} starts from {preset}; both platforms start again from the first "
            "hour."
        )
        self._restarted()

    def _scenario_file(self, platform: str) -> Callable[[], io.StringIO]:
        def text() -> io.StringIO:
            from sim.teaching.app.export import scenario_file_text

            scenario = self.classroom.scenario(platform)
            note = f"Platform {platform} of a classroom run: aggsim run {platform}.toml --reps 1"
            return io.StringIO(scenario_file_text(scenario, note))

        return text

    # ------------------------------------------------------------------ running

    def _restarted(self) -> None:
        """Both worlds are back at the first hour: clear what the page shows of them."""
        for name in PLATFORMS:
            self.sources[name].data = {k: [] for k in self.sources[name].data}
            self.feeds[name].object = feed_html([])
            self.told[name] = []
        self.follow_menu.options = []
        for pane in self.followed.values():
            pane.object = ""
        self.revealed.object = ""
        self._predictions_changed()  # the platforms may now differ, or be the same again
        self.days.end = float(self.classroom.world["run.days"])
        self._show(self.classroom.samples(), {name: [] for name in PLATFORMS})

    def toggle_running(self) -> None:
        if self.classroom.finished:
            self.classroom.reset()
            self._restarted()
        self.running = not self.running
        self._show_state()

    def step_day(self) -> None:
        self.running = False
        self._show(self.classroom.samples(), {}) if self.classroom.finished else self._advance(
            self.classroom.step_day
        )

    def reset(self) -> None:
        self.running = False
        self.classroom.reset()
        self._restarted()

    @property
    def running(self) -> bool:
        return self._running

    @running.setter
    def running(self, value: bool) -> None:
        """Run or pause: the periodic callback ticks only while the world runs, so an idle
        page (or a hundred) costs no CPU."""
        self._running = value
        if self._ticking is not None and self._ticking.running != value:
            self._ticking.start() if value else self._ticking.stop()

    def _closed(self, session_context: Any) -> None:
        """The tab has gone (its session destroyed): stop ticking, and let its worlds go."""
        self.running = False
        self.classroom.close()

    def tick(self) -> None:
        """The periodic callback: advance while running."""
        if self.running:
            hours = float(self.speed.value or 1) * TICK_MS / 1000.0
            self._advance(lambda: self.classroom.advance(hours))

    def _advance(self, how: Callable[[], dict[str, list[tuple]]]) -> None:
        ended = how()
        self._show(self.classroom.samples(), ended)

    def _show(self, samples: dict[str, Any], ended: dict[str, list[tuple]]) -> None:
        for name, sample in samples.items():
            self.sources[name].stream(row(sample))
        for name, rows in ended.items():
            if not rows:
                continue
            scenario = self.classroom.scenario(name)
            self.told[name].extend(stories(name, scenario, rows, len(self.told[name]) + 1))
            self.feeds[name].object = feed_html(self.told[name])
        if any(ended.values()):
            customers = sorted({s.customer_id for told in self.told.values() for s in told})
            self.follow_menu.options = customers
        if self.classroom.finished:
            self.running = False
            if self._reveal_pending:
                self._reveal_pending = False
                self._reveal()
        self._show_state()

    def _show_state(self) -> None:
        classroom = self.classroom
        days = classroom.world["run.days"]
        if classroom.finished:
            text = f"**The {days:g}-day run is over** (open orders followed to their end)"
        else:
            text = f"**{when(classroom.hours)}** of {days:g}"
        failures = {name: len(self.told[name]) for name in PLATFORMS}
        self.clock.object = (
            f"{text} · failures told: A {failures['A']}, B {failures['B']}"
            f" · {'running' if self.running else 'paused'}"
        )
        self.run_button.label = "Pause" if self.running else "Run"

    # ------------------------------------------------------------------ following a customer

    def _show_followed(self) -> None:
        customer = self.follow_menu.value
        for name in PLATFORMS:
            told = [s for s in self.told[name] if s.customer_id == customer]
            self.followed[name].object = (
                "\n\n".join(f"**{s.title}**  \n{s.text}" for s in told)
                or f"Customer {customer} has had no failure on {name} so far."
            )

    # ------------------------------------------------------------------ predict, then run

    def _predictions_changed(self) -> None:
        chosen = {key: widget.value for key, widget in self.predictions.items()}
        a, b = self.classroom.scenario("A"), self.classroom.scenario("B")
        same = a.with_values(name=b.name) == b  # the names always differ
        reason = not_ready(chosen, same)
        self.reveal_button.disabled = reason is not None
        self.predict_hint.object = reason or ""

    def run_and_reveal(self) -> None:
        """Run both platforms from the first hour, live, and reveal when the run is over."""
        self.classroom.reset()
        self._restarted()
        self._reveal_pending = True
        self.running = True
        self._show_state()

    def _reveal(self) -> None:
        kpis = {name: self.classroom.live(name).world.kpis() for name in PLATFORMS}
        chosen = {key: widget.value for key, widget in self.predictions.items()}
        revealed = reveal(chosen, kpis)
        lines = ["| question | predicted | result | | why |", "|---|---|---|---|---|"]
        for shown in revealed:
            verdict = "right" if shown.right else "wrong"
            lines.append(
                f"| {shown.question.text} | {shown.predicted} | {shown.actual} ({shown.values}) "
                f"| {verdict} | {shown.reading} |"
            )
        score = sum(r.right for r in revealed)
        self.revealed.object = (
            f"### The class got {score} of {len(QUESTIONS)} right\n\n" + "\n".join(lines)
        )

    # ------------------------------------------------------------------ export

    def save(self) -> None:
        from sim.teaching.app.export import export  # with the run machinery: not needed to start

        try:
            folder = export(self.classroom, self.results_root)
        except (UserError, OSError) as error:
            self.exported.object = f"Could not save: {error}"
            return
        self.exported.object = (
            f"Saved to `{folder}`: `A.toml` and `B.toml` (scenario files) and the folders `A/` "
            f"and `B/` (results of the whole {self.classroom.world['run.days']:g}-day run, as "
            "`aggsim run A.toml --reps 1 --trace` writes them)."
        )

    # ------------------------------------------------------------------ the page

    def view(self) -> pn.template.BootstrapTemplate:
        plots = pn.FlexBox(
            *[pn.pane.Bokeh(f) for f in self.figures],
            flex_wrap="wrap",
            sizing_mode="stretch_width",
        )
        live = pn.Column(
            plots,
            "Click a story to see its numbers.",
            side_by_side("Stories of", self.feeds),
            sizing_mode="stretch_width",
            name="Live",
        )
        follow = pn.Column(
            "The same customer on both platforms: with the same luck, only the platforms differ.",
            self.follow_menu,
            side_by_side("On", self.followed),
            name="Follow a customer",
            sizing_mode="stretch_width",
        )
        predict = pn.Column(
            "Set A and B, then let the class predict. The answers are revealed when the run is "
            "over.",
            *[pn.Column(f"**{q.text}**", self.predictions[q.key]) for q in QUESTIONS],
            self.reveal_button,
            self.predict_hint,
            self.revealed,
            name="Predict, then run",
            sizing_mode="stretch_width",
        )
        save = pn.Column(
            "Take the classroom's platforms into research: each as a scenario file, and the run "
            "as results folders.",
            pn.Row(*self.downloads),
            self.export_button,
            self.exported,
            name="Export",
            sizing_mode="stretch_width",
        )
        controls = pn.Column(
            pn.Row(self.run_button, self.step_button, self.reset_button),
            self.speed,
            sizing_mode="stretch_width",
        )
        world = pn.layout.Card(
            *self.world_widgets.values(), title="The world (both platforms)", collapsed=True
        )
        template = pn.template.BootstrapTemplate(
            title="aggsim: a live classroom",
            sidebar=[world, pn.Tabs(*self.platform_cards, dynamic=True)],
            main=[
                pn.Column(
                    controls,
                    self.clock,
                    self.message,
                    pn.Tabs(live, follow, predict, save, dynamic=True),
                    sizing_mode="stretch_width",
                )
            ],
            sidebar_width=360,
        )
        template.config.raw_css.append(PHONE_CSS)
        self._ticking = pn.state.add_periodic_callback(
            self.tick, period=TICK_MS, start=self._running
        )
        pn.state.on_session_destroyed(self._closed)
        return template


def shown(value: Any) -> str:
    """A lever's value as the page says it: numbers without trailing zeros, switches as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def side_by_side(heading: str, panes: dict[str, Any]) -> pn.FlexBox:
    """A's and B's panes, each under its heading: side by side on a projector, stacked on a
    phone."""
    return pn.FlexBox(
        *[pn.Column(f"### {heading} {name}", panes[name], width=WIDTH) for name in PLATFORMS],
        flex_wrap="wrap",
        sizing_mode="stretch_width",
    )


def page_factory(
    start: Scenario, presets: dict[str, Path], results_root: Path
) -> Callable[[], pn.template.BootstrapTemplate]:
    """A function that builds a fresh page for each browser tab."""

    def build() -> pn.template.BootstrapTemplate:
        return ClassroomPage(start, presets, results_root).view()

    return build
