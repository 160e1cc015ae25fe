"""A command's size, estimated before it starts: runs, orders, CPU time and peak memory.

A scenario or a design that would run for days or exhaust the machine's memory is refused in one
line before any work (``--force`` goes on); ``aggsim check`` prints the estimate. The estimates
come from the scenario's own parameters and from measurements of the model on one core
(``bench/throughput.py``, docs/MODEL.md 7):

- orders per replication = customers × mean order rate × simulated days (warm-up included): the
  expected number of Poisson orders, before satisfaction moves the rate (within ±25 %);
- CPU time = orders / :data:`ORDERS_PER_SECOND`;
- memory of one replication = :data:`PROCESS_BYTES` + :data:`CUSTOMER_BYTES` per customer
  (+ :data:`EPISODE_BYTES` per order with ``--trace``), one per worker at a time, plus what the
  main process collects (each replication's time series, and its episodes with ``--trace``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sim.errors import UserError
from sim.scenario import Scenario

#: Simulated orders per CPU-second: the model's measured speed (about 65,000 on the reference
#: machine), rounded down so that estimates err on the long side.
ORDERS_PER_SECOND = 50_000
#: Memory of a worker process with the model loaded (measured: about 115 MB).
PROCESS_BYTES = 150e6
#: Memory per customer of a running replication (measured: about 0.75 kB, providers included;
#: the peak of a 60,000-customer replication has come out 15% higher than usual when the kernel
#: backed numpy's larger arrays with huge pages, so the estimate keeps a wide margin).
CUSTOMER_BYTES = 1_500
#: Memory per order of the failure episodes kept by ``--trace`` (measured: about 140 bytes).
EPISODE_BYTES = 200
#: Memory per simulated day of a replication's time series, as collected by the main process.
DAY_BYTES = 1_000
#: Limits above which a command is refused without ``--force``.
MAX_RUNS = 1_000_000
MAX_CPU_HOURS = 24.0
MAX_MEMORY_SHARE = 0.8  # of the machine's physical memory


@dataclass(frozen=True)
class Budget:
    """What a command would cost."""

    runs: int
    orders: float
    memory_bytes: float

    @property
    def cpu_hours(self) -> float:
        return self.orders / ORDERS_PER_SECOND / 3600

    def __str__(self) -> str:
        return (
            f"{self.runs:,} run(s), about {self.orders:,.0f} orders (about "
            f"{duration_text(self.cpu_hours)} of CPU) and {self.memory_bytes / 1e9:,.1f} GB of "
            "memory at its peak"
        )


def duration_text(hours: float) -> str:
    if hours < 1 / 60:
        return f"{hours * 3600:.0f} s"
    if hours < 1:
        return f"{hours * 60:.0f} min"
    return f"{hours:,.1f} h"


#: The parameters a command's size depends on.
SIZE_KEYS = (
    "customers.count",
    "customers.key_account_share",
    "customers.orders_per_week_general",
    "customers.orders_per_week_key_account",
    "run.days",
    "run.warmup_days",
)


def size_point(scenario: Scenario) -> dict[str, Any]:
    """A scenario's size parameters as a design point (to estimate another scenario with it)."""
    return {key: value(scenario, {}, key) for key in SIZE_KEYS}


def value(scenario: Scenario, point: Mapping[str, Any], key: str) -> Any:
    """A parameter of ``scenario`` as a design point sets it."""
    if key in point:
        return point[key]
    return scenario.value(key)


def orders_per_run(scenario: Scenario, point: Mapping[str, Any] | None = None) -> float:
    """Expected orders of one replication of the scenario (at a design point)."""
    point = point or {}
    share = value(scenario, point, "customers.key_account_share")
    weekly = (1 - share) * value(scenario, point, "customers.orders_per_week_general") + (
        share * value(scenario, point, "customers.orders_per_week_key_account")
    )
    days = value(scenario, point, "run.days") + value(scenario, point, "run.warmup_days")
    return value(scenario, point, "customers.count") * weekly / 7 * days


def run_memory(scenario: Scenario, point: Mapping[str, Any] | None = None, *, trace: bool = False):
    """Peak memory of a worker running one replication of the scenario (at a design point)."""
    point = point or {}
    episodes = EPISODE_BYTES * orders_per_run(scenario, point) if trace else 0.0
    return PROCESS_BYTES + CUSTOMER_BYTES * value(scenario, point, "customers.count") + episodes


def estimate(
    scenario: Scenario,
    points: Iterable[Mapping[str, Any]] = ({},),
    replications: int = 1,
    workers: int = 1,
    *,
    trace: bool = False,
    collected: bool = True,
) -> Budget:
    """The cost of ``replications`` replications of every design point of a scenario.

    ``collected``: the main process keeps every replication's results until the end (a run, a
    comparison, a validation); a sweep streams them to disk instead.
    """
    runs = orders = 0.0
    worker_peak = kept = 0.0
    for point in points:
        per_run = orders_per_run(scenario, point)
        runs += replications
        orders += per_run * replications
        worker_peak = max(worker_peak, run_memory(scenario, point, trace=trace))
        if collected:
            days = value(scenario, point, "run.days")
            kept += replications * (DAY_BYTES * days + (EPISODE_BYTES * per_run if trace else 0))
    memory = PROCESS_BYTES + min(workers, max(runs, 1)) * worker_peak + kept
    return Budget(int(runs), orders, memory)


def machine_memory() -> float:
    """The machine's physical memory in bytes."""
    return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def over_limits(budget: Budget) -> list[str]:
    """Which limits the budget exceeds, each as a phrase."""
    exceeded = [f"more than {MAX_RUNS:,} runs"] if budget.runs > MAX_RUNS else []
    return exceeded + limits_exceeded(budget.cpu_hours, budget.memory_bytes)


def limits_exceeded(cpu_hours: float, memory_bytes: float) -> list[str]:
    """Which of the limits of every command (CPU time, memory) a job exceeds, each as a phrase:
    simulation runs (:func:`over_limits`) and the vignette commands' jobs alike."""
    exceeded = []
    if cpu_hours > MAX_CPU_HOURS:
        exceeded.append(f"more than {MAX_CPU_HOURS:.0f} hours of CPU")
    memory = machine_memory()
    if memory_bytes > MAX_MEMORY_SHARE * memory:
        exceeded.append(
            f"more memory than this machine can give ({MAX_MEMORY_SHARE:.0%} of "
            f"{memory / 1e9:.0f} GB)"
        )
    return exceeded


def check_budget(budget: Budget, *, force: bool, remedy: str = "add --force to go on") -> None:
    """Refuse, in one line, a command above the limits, unless ``force``."""
    exceeded = over_limits(budget)
    if exceeded and not force:
        raise UserError(
            f"this would take {budget}: {' and '.join(exceeded)}; make it smaller "
            f"(customers.count, run.days, replications, the design) or {remedy}"
        )
