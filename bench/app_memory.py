"""The classroom app under many page loads: its memory, its idle CPU and how fast SIGTERM ends it.

Run: ``python bench/app_memory.py`` (needs the ``[app]`` extra; Linux, for ``/proc``). Loads the
page ``--loads`` times (default 100; each builds a classroom of two worlds and its page, and its
session goes once unused), then prints against their targets:

- the growth of the app's resident memory from after five loads to after all of them, once
  the sessions have gone (target: under 50 MB);
- the CPU the app uses in ten idle seconds after that (target: under 5% of a core);
- the time from SIGTERM to the app's exit (target: under 2 s).
"""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.cli.app import SESSION_CHECK_MS  # noqa: E402

GROWTH_TARGET_MB = 50.0
IDLE_CPU_TARGET = 0.05
STOP_TARGET_S = 2.0


def resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks of 1/100 s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=100)
    loads = parser.parse_args().loads
    app = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "app", "--port", "0", "--results", "/tmp"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdout is not None
    app.stdout.readline()
    found = re.search(r"http://\S+/", app.stdout.readline())
    assert found is not None, "the app did not say where it serves"
    url = found.group(0)
    settle = 3 * SESSION_CHECK_MS / 1000

    def load(times: int) -> None:
        for _ in range(times):
            urllib.request.urlopen(url, timeout=60).read()

    load(5)
    time.sleep(settle)
    before = resident_mb(app.pid)
    started = time.perf_counter()
    load(loads)
    seconds = time.perf_counter() - started
    time.sleep(settle)
    grown = resident_mb(app.pid) - before
    time.sleep(settle)  # the last sessions' clean-up is the loads' work, not idleness
    idle_start = cpu_seconds(app.pid)
    time.sleep(10)
    idle = (cpu_seconds(app.pid) - idle_start) / 10
    stop = time.perf_counter()
    app.send_signal(signal.SIGTERM)
    app.wait(timeout=60)
    stopped = time.perf_counter() - stop
    print(f"page loads                      {loads}   ({seconds / loads:.2f} s each)")
    print(f"memory growth               {grown:6.1f} MB   (target < {GROWTH_TARGET_MB:g} MB)")
    print(f"idle CPU                    {idle:6.1%}      (target < {IDLE_CPU_TARGET:.0%})")
    print(f"SIGTERM to exit             {stopped:6.2f} s    (target < {STOP_TARGET_S:g} s)")


if __name__ == "__main__":
    main()
