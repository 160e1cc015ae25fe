"""The story feed of the classroom app: each failure episode told as ``aggsim demo`` tells it
(:func:`sim.teaching.demo.story`, the same code), with the numbers behind it (MODEL.md 7.3)."""

from __future__ import annotations

import math
from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sim.model.episode import EPISODE_COLUMNS
from sim.scenario import Scenario
from sim.teaching.demo import story, when

#: An episode row read by column name, as :func:`sim.teaching.demo.story` reads a table's row.
Episode = namedtuple("Episode", EPISODE_COLUMNS)  # type: ignore[misc]

#: The numbers a story shows when opened: episode column, label.
NUMBERS: tuple[tuple[str, str], ...] = (
    ("cause", "true cause"),
    ("failure_class", "failure"),
    ("severity", "severity"),
    ("explanation_blames", "explanation blames"),
    ("perceived_control", "perceived platform control"),
    ("perceived_controllability", "platform could have prevented it (as seen)"),
    ("aggregator_responsibility", "platform responsibility"),
    ("provider_responsibility", "provider responsibility"),
    ("price", "price"),
    ("expected_compensation", "expected compensation"),
    ("expected_punishment", "expected punishment of the provider"),
    ("complaint_probability", "chance of a complaint"),
    ("complained", "complained"),
    ("compensation_paid", "compensation paid"),
    ("apology", "apology"),
    ("recovery_delay", "recovery delay (hours)"),
    ("provider_rating", "rating of the provider (stars; 0 = none)"),
    ("satisfaction_before", "satisfaction before"),
    ("satisfaction_after", "satisfaction after"),
    ("repurchase_intention", "would buy again (stated)"),
    ("leave_probability", "chance of leaving"),
    ("retained", "stayed"),
)


@dataclass(frozen=True)
class Story:
    """One failure episode of one platform, in words and in numbers."""

    platform: str
    number: int
    customer_id: int
    hours: float
    text: str
    numbers: tuple[tuple[str, str], ...]

    @property
    def title(self) -> str:
        return f"{self.platform} · episode {self.number} · {when(self.hours)}"


def shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "—" if math.isnan(value) else f"{value:.2f}"
    return str(value) or "—"


def stories(
    platform: str, scenario: Scenario, rows: Iterable[tuple], first_number: int
) -> list[Story]:
    """The stories of episode ``rows`` (tuples in :data:`EPISODE_COLUMNS` order), numbered from
    ``first_number``."""
    told = []
    for number, values in enumerate(rows, start=first_number):
        row: Any = Episode(*values)
        text = story(
            number, row, scenario.aggregator.intermediation, scenario.surge.multiplier
        ).replace("\n  ", " ")
        told.append(
            Story(
                platform=platform,
                number=number,
                customer_id=int(row.customer_id),
                hours=float(row.time),
                text=text,
                numbers=tuple((label, shown(getattr(row, name))) for name, label in NUMBERS),
            )
        )
    return told
