"""The full-baseline validation: how long it takes, and whether it writes the published rows.

Run: ``python bench/validation.py`` (about two and a half minutes on two cores). Runs the
validation guide's command, ``aggsim validate`` on the built-in baseline with every pattern at the
default replications, in a temporary folder, and prints:

- its wall time (target: under 3 minutes on 2 cores);
- whether its rows are exactly the published ones (``docs/cache/validation-baseline.csv``), and
  whether every verdict is the same, pattern by pattern;
- whether the published rows' code fingerprint is this code's (the tests accept them only then).

The tests do not run this: they check the fingerprint and read the published rows
(``tests/validation/test_runner.py``). After a change of the model, refresh the rows with the
guide's command and ``python -m sim.validation.published FOLDER``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shlex
import tempfile
import time
from pathlib import Path

import pandas as pd

from sim.cli import main as aggsim
from sim.validation import published
from sim.validation.fingerprint import code_fingerprint

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None, help="aggsim validate --workers")
    args = parser.parse_args()
    argv = shlex.split(published.COMMAND)[1:] + ["--quiet"]
    if args.workers:
        argv += ["--workers", str(args.workers)]
    with tempfile.TemporaryDirectory() as workspace, contextlib.chdir(workspace):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            status = aggsim(argv)
        seconds = time.perf_counter() - start
        fresh = pd.read_csv(Path(workspace) / "results" / "validation" / "validation.csv")
    rows = pd.read_csv(ROOT / published.FILE)
    same_rows = fresh.equals(rows)
    verdicts = fresh.set_index("key")[["verdict", "falsification"]]
    before = rows.set_index("key")[["verdict", "falsification"]]
    changed = verdicts.ne(before.reindex(verdicts.index)).any(axis=1)
    print(f"aggsim validate (baseline)  {seconds:8.1f} s   exit {status}   (target < 180 s)")
    print(f"rows as published           {'yes' if same_rows else 'no'}")
    moved = ", ".join(changed[changed].index)
    print(f"verdicts as published       {'no: ' + moved if moved else 'yes'}")
    fingerprint = published.published_fingerprint(ROOT / published.FILE)
    print(f"published by this code      {'yes' if fingerprint == code_fingerprint() else 'no'}")


if __name__ == "__main__":
    main()
