"""Progress of long commands: a bar on a terminal, whole lines in a log (sim.cli.progress)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from sim.cli.progress import ProgressLines, progress_bar


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_lines_say_what_is_to_do_then_advance_at_most_every_interval_then_end():
    clock, out = Clock(), io.StringIO()
    with ProgressLines(10, "baseline", "reps", file=out, every=30, clock=clock) as lines:
        for _ in range(10):
            clock.now += 7
            lines.update()
    shown = out.getvalue().splitlines()
    assert shown[0] == "baseline: 10 reps to do"
    # 7 s a replication, a line at most every 30 s: after the 5th (35 s) and the 10th (70 s)
    assert shown[1].startswith("baseline: 5/10 reps (50%), 00:35 elapsed, 00:35 left")
    assert shown[2].startswith("baseline: 10/10 reps (100%)")
    assert shown[3] == "baseline: 10/10 reps, ended after 01:10"
    assert len(shown) == 4 and "\r" not in out.getvalue()


def test_work_without_a_known_end_is_counted():
    clock, out = Clock(), io.StringIO()
    with ProgressLines(None, "fit", "evaluations", file=out, every=1, clock=clock) as lines:
        clock.now += 2
        lines.update()
        lines.set_postfix(step="second")
    shown = out.getvalue().splitlines()
    assert shown == [
        "fit: started",
        "fit: 1 evaluations, 00:02 elapsed",
        "fit: 1 evaluations, step=second, ended after 00:02",
    ]


def test_quiet_shows_nothing_and_a_log_gets_lines(monkeypatch):
    assert progress_bar(quiet=True, total=3, description="x", unit="reps").disable
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    shown = progress_bar(quiet=False, total=3, description="x", unit="reps")
    assert isinstance(shown, ProgressLines)


@pytest.mark.slow
def test_a_run_whose_stderr_is_a_log_prints_its_progress_as_lines(tmp_path):
    """What a cluster job's log shows of ``aggsim run``: whole lines, no carriage returns."""
    run = [sys.executable, "-m", "sim.cli", "run", "--reps", "2", "--workers", "1"]
    run += ["--set", "run.days=2", "--set", "run.warmup_days=0", "--set", "customers.count=200"]
    done = subprocess.run(
        [*run, "--out", str(tmp_path / "r")],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        check=True,
    )
    lines = done.stderr.splitlines()
    assert lines[0] == "baseline: 2 reps to do", done.stderr
    assert lines[-1].startswith("baseline: 2/2 reps, ended after ")
    assert "\r" not in done.stderr
