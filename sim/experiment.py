"""Running replications of a scenario, in this process or on a pool of worker processes.

A replication's results depend only on the scenario and the replication index (``sim.rng``), so
the results are identical whatever the number of workers; they are returned in replication order.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from sim.replication import ReplicationResult, run_replication
from sim.scenario import Scenario


@dataclass(frozen=True)
class TimedReplication:
    """A replication's results and the wall time it took, in seconds."""

    replication: int
    result: ReplicationResult
    seconds: float


def run_timed(scenario: Scenario, replication: int, trace: bool) -> TimedReplication:
    """Run one replication and time it."""
    start = time.perf_counter()
    result = run_replication(scenario, replication, trace=trace)
    return TimedReplication(replication, result, time.perf_counter() - start)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_replications(
    scenario: Scenario,
    replications: Iterable[int],
    workers: int = 1,
    trace: bool = False,
    on_done: Callable[[TimedReplication], None] | None = None,
) -> list[TimedReplication]:
    """Run the given replications of ``scenario`` and return them in replication order.

    Parameters
    ----------
    workers
        Worker processes; 1 runs everything in this process.
    on_done
        Called in this process as each replication finishes (for progress bars).
    """
    indices = list(replications)
    done: list[TimedReplication] = []
    if workers <= 1 or len(indices) <= 1:
        for index in indices:
            done.append(run_timed(scenario, index, trace))
            if on_done:
                on_done(done[-1])
        return done
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(indices)), mp_context=context, initializer=_ignore_interrupts
    )
    try:
        futures = [pool.submit(run_timed, scenario, index, trace) for index in indices]
        for future in as_completed(futures):
            done.append(future.result())
            if on_done:
                on_done(done[-1])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return sorted(done, key=lambda timed: timed.replication)
