"""Instructions and first-level data-cache misses of a replication and of the bare SimPy model.

Run: ``python bench/instructions.py`` (about two minutes; needs valgrind, e.g. Debian's
``valgrind`` package). Timings on a shared machine vary by a tenth from one run to the next;
counts of executed instructions do not, so a change of a few per cent shows here when
``bench/throughput.py`` cannot see it. Each count is taken under cachegrind's simulation of the
processor's caches, as the difference between a process that runs two replications (or two bare
models) and one that runs one, so start-up and imports cancel out. Prints, for the baseline
without warm-up and for the bare model of ``bench/throughput.py`` with the same number of orders:

- millions of instructions executed and of first-level data-cache misses;
- their ratios, model over bare: fewer instructions than the bare model with more cache misses
  means the model's time goes to the memory it touches (customers and their records) rather
  than to the instructions it runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: One process: ``repeats`` replications of the baseline (``model``) or bare models (``bare``).
PROGRAM = """
import sys
sys.path[:0] = [{root!r}, {bench!r}]
from sim import Scenario, run_replication
import throughput
scenario = Scenario().with_values(**{{"run.warmup_days": 0}})
p = scenario.providers
capacity = round(
    p.count * ((1 - p.firm_share) * p.individual_capacity + p.firm_share * p.firm_capacity)
)
for _ in range({repeats}):
    if {model}:
        run_replication(scenario)
    else:
        throughput.bare_simpy({orders}, capacity, scenario.run.days * 24, p.service_hours_mean)
"""


def counts(model: bool, repeats: int, orders: int) -> tuple[int, int]:
    """Instructions and first-level data-cache read and write misses of one process."""
    program = PROGRAM.format(
        root=str(HERE.parent), bench=str(HERE), repeats=repeats, model=model, orders=orders
    )
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--cachegrind-out-file=/dev/null"]
        + [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"},
    )
    found = {}
    for name in ("I   refs", "D1  misses"):
        line = re.search(rf"{name}:\s+([\d,]+)", done.stderr)
        assert line is not None, done.stderr
        found[name] = int(line.group(1).replace(",", ""))
    return found["I   refs"], found["D1  misses"]


def one_more(model: bool, orders: int) -> tuple[int, int]:
    """What one more replication (or bare model) adds: two runs' counts minus one run's."""
    (i2, d2), (i1, d1) = counts(model, 2, orders), counts(model, 1, orders)
    return i2 - i1, d2 - d1


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("bench/instructions.py needs valgrind (apt-get install valgrind)")
    from sim import Scenario, run_replication

    orders = int(run_replication(Scenario().with_values(**{"run.warmup_days": 0})).kpis["orders"])
    model, bare = one_more(True, orders), one_more(False, orders)
    print(f"orders per replication        {orders}")
    print(f"model  instructions {model[0] / 1e6:10,.0f} M   D1 misses {model[1] / 1e6:8.1f} M")
    print(f"bare   instructions {bare[0] / 1e6:10,.0f} M   D1 misses {bare[1] / 1e6:8.1f} M")
    print(f"model/bare instructions     {model[0] / bare[0]:6.2f}")
    print(f"model/bare D1 misses        {model[1] / bare[1]:6.2f}")


if __name__ == "__main__":
    main()
