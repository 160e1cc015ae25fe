"""Scaling of sweeps: speed-up with two workers, Dask's overhead, and memory against points.

Run: ``python bench/sweep_scaling.py``. Prints, from one process run (ratios measured side by
side; absolute times on a shared machine mean little):

1. a 16-point sweep of the baseline (``--reps`` replications per point) on 1 worker and on
   2 worker processes, and the speed-up (target >= 1.7 on 2 cores);
2. the same sweep on a local Dask cluster of 2 workers against the process pool, with the time to
   start each executor counted ("cold") and not counted ("warm") (target: overhead <= 15%);
3. the peak resident memory of the main process of a sweep of 16 and of 256 points (each in a
   fresh process; target: no growth with the number of points).

Timings 1 and 2 are the best of ``--repeats`` runs, taken in turn so that the machine's load
falls on every contender alike.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim import Scenario
from sim.experiments.designs import parse_factor
from sim.experiments.executors import open_executor
from sim.experiments.sweep import SweepPlan, run_sweep

MEMORY_PROBE = """
import resource, sys, tempfile
from pathlib import Path
from sim import Scenario
from sim.experiments.designs import parse_factor
from sim.experiments.executors import open_executor
from sim.experiments.sweep import SweepPlan, run_sweep

if __name__ == "__main__":
    points = int(sys.argv[1])
    base = Scenario().with_values(**{"run.days": 2, "customers.count": 200, "providers.count": 3})
    factor = parse_factor(f"aggregator.intermediation=0:1:{points}")
    plan = SweepPlan(base, (factor,), "grid", None, 1)
    with tempfile.TemporaryDirectory() as folder, open_executor("process", 2) as executor:
        run_sweep(plan, Path(folder) / "s", executor, window=8)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def plan(points: int, reps: int) -> SweepPlan:
    factors = (parse_factor(f"aggregator.intermediation=0:1:{points}"),)
    return SweepPlan(Scenario(), factors, "grid", None, reps)


def timed_sweep(sweep: SweepPlan, kind: str, workers: int) -> tuple[float, float]:
    """(seconds with the executor's start-up, seconds with the executor already running)."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        with open_executor(kind, workers) as executor:
            ready = time.perf_counter()
            run_sweep(sweep, Path(folder) / "s", executor, window=4 * workers)
            end = time.perf_counter()
    return end - start, end - ready


def peak_memory(points: int) -> int:
    """Peak RSS (KiB) of a fresh process running a sweep of ``points`` small points."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "probe.py"
        script.write_text(MEMORY_PROBE)
        done = subprocess.run(
            [sys.executable, str(script), str(points)], capture_output=True, text=True, check=True
        )
    return int(done.stdout.strip().splitlines()[-1])


def best(repeats: int, *measurements):
    """Run the measurements in turn, ``repeats`` times, and keep the smallest result of each."""
    results: list[list] = [[] for _ in measurements]
    for _ in range(repeats):
        for found, measure in zip(results, measurements, strict=True):
            found.append(measure())
    return [min(found) for found in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="replications per point")
    parser.add_argument("--repeats", type=int, default=2, help="best of this many timings")
    args = parser.parse_args()

    sweep = plan(16, args.reps)
    one, two = best(
        args.repeats,
        lambda: timed_sweep(sweep, "inprocess", 1)[0],
        lambda: timed_sweep(sweep, "process", 2)[0],
    )
    print(f"16 points x {args.reps} reps, 1 worker      {one:8.2f} s   (best of {args.repeats})")
    print(f"16 points x {args.reps} reps, 2 workers     {two:8.2f} s")
    print(f"speed-up 2 workers / 1            {one / two:8.2f}   (target >= 1.7)")

    try:
        (pool_cold, pool_warm), (dask_cold, dask_warm) = best(
            args.repeats,
            lambda: timed_sweep(sweep, "process", 2),
            lambda: timed_sweep(sweep, "dask", 2),
        )
    except Exception as error:  # the [dask] extra is optional
        print(f"dask: not measured ({error})")
    else:
        print(f"process pool, 2 workers           {pool_cold:8.2f} s cold {pool_warm:8.2f} s warm")
        print(f"local Dask cluster, 2 workers     {dask_cold:8.2f} s cold {dask_warm:8.2f} s warm")
        print(
            f"Dask overhead vs process pool     {dask_cold / pool_cold - 1:+8.1%} cold "
            f"{dask_warm / pool_warm - 1:+8.1%} warm   (target <= +15%)"
        )

    small, large = peak_memory(16), peak_memory(256)
    print(f"peak memory, 16 points            {small / 1024:8.1f} MiB")
    print(f"peak memory, 256 points           {large / 1024:8.1f} MiB")
    print(f"ratio 256 / 16 points             {large / small:8.2f}   (target: flat, ~1)")


if __name__ == "__main__":
    main()
