"""Sweeps: many scenario points × replications, streamed to disk, resumable and shardable
(MODEL.md 8).

- :mod:`~sim.experiments.sweep.plan`: the design of points and the run of one point;
- :mod:`~sim.experiments.sweep.run`: running a sweep into its folder, resuming one;
- :mod:`~sim.experiments.sweep.parts`: the folder's files and its parts, checked before use;
- :mod:`~sim.experiments.sweep.tables`: the final tables, figures and manifest;
- :mod:`~sim.experiments.sweep.merge`: joining the shards of a sweep.
"""

from sim.experiments.sweep.merge import merge_shards
from sim.experiments.sweep.plan import SweepPlan, most_replications, plan_sweep
from sim.experiments.sweep.run import SweepProgress, run_sweep
from sim.experiments.sweep.tables import SweepOutcome, finalize

__all__ = [
    "SweepOutcome",
    "SweepPlan",
    "SweepProgress",
    "finalize",
    "merge_shards",
    "most_replications",
    "plan_sweep",
    "run_sweep",
]
