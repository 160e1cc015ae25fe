"""Two platforms, A and B, side by side: the state of the classroom app (``aggsim app``).

Each platform is a scenario (a preset from ``scenarios/teaching/`` or the file the app was started
with) with the levers the class has moved. Both run with the same seed and replication, so they
draw the same random numbers: the same customers order at the same times and meet the same
failures, until what the platforms do makes their paths part (common random numbers, MODEL.md
7.4). A difference between A and B is then the levers' doing, not luck's.

Any change of a lever or of the world restarts both platforms from the first hour, so what the
page shows is always one run of each scenario, the run ``aggsim run`` gives for the files
:mod:`sim.teaching.app.export` writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sim.model.hours import HOURS_PER_DAY
from sim.scenario import Scenario
from sim.teaching.app.levers import LEVER_KEYS, lever, lever_values
from sim.teaching.app.live import LiveWorld, Sample

PLATFORMS = ("A", "B")
#: What the world settings may change, for both platforms at once, and the classroom's range of
#: each (what the page's sliders offer; a value sent from outside them is brought within).
WORLD_RANGES: dict[str, tuple[int, int]] = {
    "run.days": (1, 60),
    "run.seed": (0, 2**31 - 1),
    "customers.count": (10, 2000),
    "providers.count": (1, 100),
}
WORLD_KEYS = tuple(WORLD_RANGES)


def within(value: Any, low: float, high: float) -> Any:
    """A number brought within ``[low, high]``; anything else as it is (the scenario's schema
    then refuses what it cannot use)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return type(value)(min(max(value, low), high)) if value == value else low
    return value


@dataclass
class Platform:
    """One platform: the scenario it starts from, the levers moved from there, its live world."""

    name: str
    base: Scenario
    moved: dict[str, Any] = field(default_factory=dict)
    live: LiveWorld | None = None

    def scenario(self, world: Mapping[str, Any]) -> Scenario:
        name = f"{self.base.name}-{self.name}".replace(" ", "_")[:100]
        return self.base.with_values(**{**world, **self.moved, "name": name})

    def levers(self) -> dict[str, Any]:
        return {**lever_values(self.base), **self.moved}


class Classroom:
    """Platforms A and B over one world; advanced together, hour by hour."""

    def __init__(self, base: Scenario) -> None:
        self.world: dict[str, Any] = {key: base.value(key) for key in WORLD_KEYS}
        self.platforms = {name: Platform(name, base) for name in PLATFORMS}
        self.reset()

    # ------------------------------------------------------------------ settings

    def set_lever(self, platform: str, key: str, value: Any) -> Any:
        """Move one lever of one platform, brought within its slider's range, and restart both;
        return the value kept (an invalid value raises :class:`pydantic.ValidationError` and
        changes nothing)."""
        if key not in LEVER_KEYS:
            raise KeyError(f"unknown lever {key!r}")
        if lever(key).kind == "slider":
            value = within(value, *lever(key).bounds())
        chosen = self.platforms[platform]
        moved = {**chosen.moved, key: value}
        chosen.base.with_values(**self.world, **moved)  # validate before keeping
        chosen.moved = moved
        self.reset()
        return value

    def set_world(self, key: str, value: Any) -> Any:
        """Change one world setting, brought within the classroom's range, and restart both
        platforms; return the value kept."""
        if key not in WORLD_KEYS:
            raise KeyError(f"unknown world setting {key!r}")
        value = within(value, *WORLD_RANGES[key])
        world = {**self.world, key: value}
        for chosen in self.platforms.values():
            chosen.base.with_values(**world, **chosen.moved)
        self.world = world
        self.reset()
        return value

    def load(self, platform: str, base: Scenario) -> None:
        """Start one platform from another scenario (a preset): its levers are the scenario's."""
        self.platforms[platform] = Platform(platform, base)
        self.reset()

    def scenario(self, platform: str) -> Scenario:
        """The scenario platform ``platform`` runs. The warm-up is dropped: the class watches the
        world from its first hour."""
        return self.platforms[platform].scenario({**self.world, "run.warmup_days": 0.0})

    # ------------------------------------------------------------------ running

    def reset(self) -> None:
        for name, chosen in self.platforms.items():
            chosen.live = LiveWorld(self.scenario(name))

    def close(self) -> None:
        """Let both platforms' worlds go: the page that showed them has closed."""
        for chosen in self.platforms.values():
            chosen.live = None

    def live(self, platform: str) -> LiveWorld:
        chosen = self.platforms[platform].live
        assert chosen is not None  # set by reset()
        return chosen

    @property
    def hours(self) -> float:
        """The shared clock: the hour both platforms have reached."""
        return min(self.live(name).hours for name in PLATFORMS)

    @property
    def horizon(self) -> float:
        return float(self.world["run.days"]) * HOURS_PER_DAY

    @property
    def finished(self) -> bool:
        return all(self.live(name).finished for name in PLATFORMS)

    def advance(self, hours: float) -> dict[str, list[tuple]]:
        """Run both platforms ``hours`` more; the episode rows each ended meanwhile."""
        return {name: self.live(name).advance(hours) for name in PLATFORMS}

    def step_day(self) -> dict[str, list[tuple]]:
        """Run both platforms to the next midnight (the end of the current day)."""
        next_midnight = (int(self.hours // HOURS_PER_DAY) + 1) * HOURS_PER_DAY
        return self.advance(next_midnight - self.hours)

    def run_to_end(self) -> dict[str, list[tuple]]:
        return self.advance(self.horizon)

    def samples(self) -> dict[str, Sample]:
        return {name: self.live(name).sample() for name in PLATFORMS}
