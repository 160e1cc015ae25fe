"""The levers of the classroom app: the scenario parameters a class moves, and the presets.

Each lever is one scenario parameter (MODEL.md 6); its range, unit and meaning come from the
scenario schema, as ``aggsim params`` prints them, so the app can never set a value a scenario
file could not. The presets are scenario files, by default the lessons of ``scenarios/teaching/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.scenario import ParameterInfo, Scenario, parameter_index


@dataclass(frozen=True)
class Lever:
    """One parameter as the page shows it: a slider (numbers), a switch (yes/no) or a menu."""

    key: str
    label: str
    group: str
    step: float = 0.05
    end: float | None = None  # a slider's end when the parameter has no upper bound

    @property
    def info(self) -> ParameterInfo:
        return parameter_index()[self.key]

    @property
    def kind(self) -> str:
        info = self.info
        if info.choices:
            return "menu"
        if isinstance(info.default, bool):
            return "switch"
        return "slider"

    def bounds(self) -> tuple[float, float]:
        info = self.info
        low = 0.0 if info.minimum is None else float(info.minimum)
        high = self.end if self.end is not None else info.maximum
        if high is None:
            raise ValueError(f"lever {self.key} needs an end: the parameter has no upper bound")
        return low, float(high)


#: The levers of the lesson, in the order the page shows them (issue: the platform's design,
#: its words, its recovery, its prices and its customers).
LEVERS: tuple[Lever, ...] = (
    Lever("aggregator.intermediation", "intermediation", "platform"),
    Lever("aggregator.brand_salience", "brand salience", "platform"),
    Lever("aggregator.glitch_rate", "glitch rate", "platform", step=0.005, end=0.2),
    Lever("aggregator.monitoring", "monitoring", "platform"),
    Lever("aggregator.vetting", "vetting", "platform"),
    Lever("aggregator.explanation_rate", "explanation rate", "words"),
    Lever("aggregator.blame_shifting", "blame shifting", "words"),
    Lever("recovery.policy", "recovery policy", "recovery"),
    Lever("recovery.compensation_share", "compensation share", "recovery"),
    Lever("recovery.apology", "apology", "recovery"),
    Lever("recovery.delay_mean_hours", "recovery delay (hours)", "recovery", step=1.0, end=72.0),
    Lever("surge.enabled", "surge pricing", "prices"),
    Lever("surge.multiplier", "surge multiplier", "prices", step=0.1, end=3.0),
    Lever("customers.individualism", "individualism of customers", "customers"),
    Lever("customers.key_account_share", "share of key accounts", "customers"),
)
LEVER_KEYS: tuple[str, ...] = tuple(lever.key for lever in LEVERS)


def lever(key: str) -> Lever:
    for candidate in LEVERS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def lever_values(scenario: Scenario) -> dict[str, Any]:
    """The value of every lever in ``scenario``."""
    return {key: scenario.value(key) for key in LEVER_KEYS}


def preset_files(folder: Path) -> dict[str, Path]:
    """The teaching scenarios by the name the menu shows (the file's stem), in file order."""
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}
