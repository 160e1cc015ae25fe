"""aggsim: a discrete-event simulation of service failures on aggregator platforms.

The public API::

    from sim import Scenario, run_replication, load_scenario
    result = run_replication(Scenario(), replication=0, trace=True)
    result.kpis, result.timeseries, result.episodes

Names are imported on first use, so that ``aggsim --help`` stays quick.
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "EPISODE_COLUMNS": "sim.model.episode",
    "KPI_COLUMNS": "sim.model.metrics",
    "TIMESERIES_COLUMNS": "sim.model.metrics",
    "ReplicationResult": "sim.experiments.replication",
    "run_replication": "sim.experiments.replication",
    "Scenario": "sim.scenario",
    "parameter_table": "sim.scenario",
    "load_scenario": "sim.scenario.files",
    "ScenarioError": "sim.scenario.files",
    "run_replications": "sim.experiments.runs",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
