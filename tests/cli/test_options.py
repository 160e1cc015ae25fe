"""The commands' shared options (sim.cli.options): the default number of workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sim.cli import main
from sim.cli.options import WORKERS_VARIABLE, default_workers
from tests.commands import ROOT
from tests.conftest import assert_user_error

SCENARIO = str(ROOT / "scenarios" / "baseline.toml")
TINY = ["--set", "customers.count=50", "--set", "providers.count=3", "--set", "run.days=2"]


@pytest.mark.slow
@pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2,
    reason="needs a machine of two cores or more whose affinity can be set",
)
def test_by_default_the_workers_are_the_cores_this_process_may_use():
    """A job given one core of a larger machine (its CPU affinity) runs one worker, not one per
    core of the machine (``os.cpu_count()``, the former default)."""
    env = {k: v for k, v in os.environ.items() if k != WORKERS_VARIABLE}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", "check", SCENARIO],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "with 1 worker(s)" in done.stdout
    unrestricted = subprocess.run(
        [sys.executable, "-m", "sim.cli", "check", SCENARIO],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert f"with {len(os.sched_getaffinity(0))} worker(s)" in unrestricted.stdout


def test_the_environment_sets_the_default_and_the_option_wins(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(WORKERS_VARIABLE, "3")
    assert default_workers() == 3
    assert main(["check", SCENARIO]) == 0
    assert "with 3 worker(s)" in capsys.readouterr().out
    out = tmp_path / "run"
    assert main(["run", *TINY, "--workers", "1", "--quiet", "--out", str(out)]) == 0
    assert json.loads((out / "manifest.json").read_text())["workers"] == 1


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5", ""])
def test_a_malformed_number_of_workers_in_the_environment_is_one_line(value, monkeypatch, tmp_path):
    monkeypatch.setenv(WORKERS_VARIABLE, value)
    assert_user_error(["run", *TINY, "--out", str(tmp_path / "run")], WORKERS_VARIABLE, tmp_path)
    assert not (tmp_path / "run").exists()
