"""Run one replication of a scenario: the Python API of the model (MODEL.md 7).

>>> from sim import Scenario, run_replication
>>> result = run_replication(Scenario().with_values(**{"run.days": 2, "customers.count": 50}))
>>> result.kpis["orders"] > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from sim.model.episode import EPISODE_COLUMNS
from sim.model.metrics import TIMESERIES_COLUMNS
from sim.model.world import World
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.experiments.posterior import Posterior


@dataclass(frozen=True)
class ReplicationResult:
    """What one replication produced.

    Attributes
    ----------
    kpis
        One KPI row, keyed by the column names of MODEL.md 7.1 (see ``sim.KPI_COLUMNS``).
    timeseries
        One row per counted day (MODEL.md 7.2).
    episodes
        One row per failure episode (MODEL.md 7.3), or ``None`` unless ``trace=True``.
    """

    kpis: dict[str, float]
    timeseries: pd.DataFrame
    episodes: pd.DataFrame | None


def run_replication(
    scenario: Scenario,
    replication: int = 0,
    *,
    trace: bool = False,
    posterior: Posterior | None = None,
) -> ReplicationResult:
    """Build the world of ``scenario`` for one replication, run it and collect its outputs.

    The result depends only on the scenario (including ``run.seed``) and the replication index.
    With a ``posterior``, the replication first draws its calibrated parameters from it
    (:meth:`sim.experiments.posterior.Posterior.scenario_for`).
    """
    if posterior is not None:
        scenario = posterior.scenario_for(scenario, replication)
    world = World(scenario, replication=replication, trace=trace)
    kpis = world.run()
    timeseries = pd.DataFrame.from_records(world.timeseries, columns=list(TIMESERIES_COLUMNS))
    episodes = (
        pd.DataFrame.from_records(world.episodes, columns=list(EPISODE_COLUMNS)) if trace else None
    )
    return ReplicationResult(kpis=kpis, timeseries=timeseries, episodes=episodes)
