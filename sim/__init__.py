"""aggsim: a discrete-event simulation of service failures on aggregator platforms.

The public API::

    from sim import Scenario, run_replication
    result = run_replication(Scenario(), replication=0, trace=True)
    result.kpis, result.timeseries, result.episodes
"""

from sim.model.metrics import KPI_COLUMNS, TIMESERIES_COLUMNS
from sim.model.world import EPISODE_COLUMNS
from sim.replication import ReplicationResult, run_replication
from sim.scenario import Scenario, parameter_table

__all__ = [
    "EPISODE_COLUMNS",
    "KPI_COLUMNS",
    "TIMESERIES_COLUMNS",
    "ReplicationResult",
    "Scenario",
    "parameter_table",
    "run_replication",
]
__version__ = "0.1.0"
