"""Running replications of one scenario on an executor (see ``sim.experiments.executors``).

A replication's results depend only on the scenario and the replication index
(``sim.model.streams``), so
they are identical whatever the executor or the number of workers; they are returned in
replication order.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.experiments.executors import as_finished
from sim.experiments.replication import ReplicationResult, run_replication
from sim.outputs.statistics import half_width
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.experiments.posterior import Posterior


@dataclass(frozen=True)
class TimedReplication:
    """A replication's results and the wall time it took, in seconds."""

    replication: int
    result: ReplicationResult
    seconds: float


@dataclass(frozen=True)
class TargetCI:
    """Add replications until the 95% CI half-width of ``kpi`` is at most ``half_width``, or
    ``max_replications`` are done."""

    kpi: str
    half_width: float
    max_replications: int


def parse_target(text: str | None, max_replications: int, source: str = "--target-ci"):
    """``"customer_churn_rate=0.01"`` → a :class:`TargetCI` (None when ``text`` is None)."""
    if text is None:
        return None
    from sim.errors import UserError
    from sim.outputs.reference import check_kpi

    kpi, sep, width = str(text).partition("=")
    if not sep:
        raise UserError(f"{source}: expected KPI=HALFWIDTH, got {text!r}")
    kpi = check_kpi(kpi.strip(), source)
    try:
        value = float(width)
    except ValueError:
        value = -1.0
    if not (value > 0 and math.isfinite(value)):
        raise UserError(f"{source}: {kpi}: expected a positive half-width, got {width.strip()!r}")
    return TargetCI(kpi, value, max_replications)


def run_timed(
    scenario: Scenario, replication: int, *, trace: bool, posterior: Posterior | None = None
) -> TimedReplication:
    """Run one replication (drawing its calibrated parameters from ``posterior`` when given)
    and time it."""
    start = time.perf_counter()
    result = run_replication(scenario, replication, trace=trace, posterior=posterior)
    return TimedReplication(replication, result, time.perf_counter() - start)


def run_replications(
    scenario: Scenario,
    replications: Iterable[int],
    executor: Executor,
    *,
    trace: bool = False,
    on_done: Callable[[TimedReplication], None] | None = None,
    posterior: Posterior | None = None,
) -> list[TimedReplication]:
    """Run the given replications of ``scenario`` and return them in replication order.

    ``on_done`` is called in this process as each replication finishes (for progress bars).
    With a ``posterior``, each replication draws its calibrated parameters from it.
    """
    futures = [
        executor.submit(run_timed, scenario, index, trace=trace, posterior=posterior)
        for index in replications
    ]
    done = []
    for future in as_finished(executor, futures):
        done.append(future.result())
        if on_done:
            on_done(done[-1])
    return sorted(done, key=lambda timed: timed.replication)


def run_to_target(
    scenario: Scenario,
    executor: Executor,
    target: TargetCI,
    *,
    trace: bool = False,
    on_done: Callable[[TimedReplication], None] | None = None,
    posterior: Posterior | None = None,
) -> list[TimedReplication]:
    """Run ``run.replications`` replications, then batches of as many more until the target
    half-width is reached or ``target.max_replications`` are done.

    Batches have a fixed size (``run.replications``), so the replications run, and the results,
    do not depend on the executor.
    """
    batch = scenario.run.replications
    done: list[TimedReplication] = []
    while True:
        start = len(done)
        stop = min(start + batch, target.max_replications) if done else batch
        done += run_replications(
            scenario,
            range(start, stop),
            executor,
            trace=trace,
            on_done=on_done,
            posterior=posterior,
        )
        precision = half_width(r.result.kpis[target.kpi] for r in done)
        if precision <= target.half_width or len(done) >= target.max_replications:
            return done
