"""One platform's world watched as it runs: the live view of the classroom app (``aggsim app``).

The world is the model's own :class:`sim.model.world.World`, advanced a few simulated hours at a
time. After each advance, :meth:`LiveWorld.sample` reads the KPIs counted so far from the world's
running totals (the KPI registry, MODEL.md 7.1, computes them, as for a finished run) and the
failure episodes that ended since the last look (MODEL.md 7.3). A world advanced to its end gives
exactly what ``aggsim run --reps 1 --trace`` gives for its scenario: advancing in steps changes
nothing in the run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from sim.model.episode import EPISODE_COLUMNS
from sim.model.hours import HOURS_PER_DAY
from sim.model.world import World
from sim.scenario import Scenario

#: The KPIs the live plots follow, by registry name (MODEL.md 7.1); ``paid_compensation_share``
#: is added from the episodes (see :func:`paid_share`).
LIVE_KPIS: tuple[str, ...] = (
    "mean_aggregator_responsibility",
    "mean_provider_responsibility",
    "mean_expected_compensation_share",
    "mean_expected_punishment",
    "complaint_rate",
    "low_rating_rate",
    "customers_active_end",
    "customers_churned",
    "providers_sanctioned",
    "providers_exited",
    "failures",
)
PAID_SHARE = "paid_compensation_share"


def paid_share(episodes: pd.DataFrame) -> float:
    """Compensation paid as a share of the price, averaged over the failure episodes that have
    ended: the measure of what was paid beside ``mean_expected_compensation_share``."""
    if episodes.empty:
        return math.nan
    return float((episodes["compensation_paid"] / episodes["price"]).mean())


@dataclass(frozen=True)
class Sample:
    """What a live world shows at one moment: its clock (hours) and the live KPIs until then."""

    hours: float
    values: dict[str, float]


class LiveWorld:
    """A world of ``scenario`` (replication 0, episodes traced) that runs in steps, to the end of
    its warm-up and counted days."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.world = World(scenario, replication=0, trace=True)
        self.horizon = (scenario.run.warmup_days + scenario.run.days) * HOURS_PER_DAY
        self._seen = 0  # episodes already handed out by advance()

    @property
    def hours(self) -> float:
        return float(self.world.env.now)

    @property
    def finished(self) -> bool:
        """Whether the horizon has been reached (open orders are then followed to their end)."""
        return self.hours >= self.horizon

    def advance(self, hours: float) -> list[tuple]:
        """Run ``hours`` more simulated hours (never past the horizon; at the horizon, every open
        order is followed to its end) and return the episode rows that ended meanwhile."""
        target = min(self.hours + hours, self.horizon)
        if target >= self.horizon:
            self.world.advance(self.horizon)
            self.world.finish()
        else:
            self.world.advance(target)
        new = self.world.episodes[self._seen :]
        self._seen = len(self.world.episodes)
        return new

    def episodes(self) -> pd.DataFrame:
        """Every failure episode that has ended, one row each (MODEL.md 7.3)."""
        return pd.DataFrame.from_records(self.world.episodes, columns=list(EPISODE_COLUMNS))

    def sample(self) -> Sample:
        kpis = self.world.kpis()
        values = {name: float(kpis[name]) for name in LIVE_KPIS}
        values[PAID_SHARE] = paid_share(self.episodes())
        return Sample(self.hours, values)
