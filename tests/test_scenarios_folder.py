"""Every ready-to-run scenario file runs (short horizon, few replications)."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.scenario.files import load_scenario

ROOT = Path(__file__).resolve().parents[1]
#: Scenario files; ``scenarios/studies/`` holds vignette study designs (tests/vignette).
SCENARIOS = sorted(
    p for p in (ROOT / "scenarios").glob("**/*.toml") if "studies" not in p.relative_to(ROOT).parts
)


def test_there_are_scenarios_to_start_from():
    names = {path.stem for path in SCENARIOS}
    assert {
        "baseline",
        "low_intermediation",
        "high_intermediation",
        "transparent_platform",
        "generous_recovery",
        "stingy_recovery",
        "strict_sanctions",
        "lenient_sanctions",
        "surge_pricing",
        "b2b_marketplace",
        "individualist_customers",
        "collectivist_customers",
    } <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_runs(path, tmp_path):
    scenario = load_scenario(path)
    assert scenario.description, "each scenario says what it is for"
    assert path.read_text().lstrip().startswith("#"), "each scenario opens with a comment"
    out = tmp_path / "out"
    assert (
        main(
            [
                "run",
                str(path),
                "--reps",
                "2",
                "--workers",
                "1",
                "--quiet",
                "--out",
                str(out),
                "--set",
                "run.days=3",
                "--set",
                "run.warmup_days=0",
            ]
        )
        == 0
    )
    table = pd.read_csv(out / "replications.csv")
    assert len(table) == 2 and (table.orders > 0).all()


def commands_shown(folder: str) -> list[str]:
    """The ``aggsim`` commands the comments of a folder's scenario files show."""
    return [
        line.split("#", 1)[1].strip()
        for path in sorted((ROOT / "scenarios" / folder).glob("*.toml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip("# ").startswith("aggsim ")
    ]


TEACHING_COMMANDS = commands_shown("teaching")
B2B_COMMANDS = commands_shown("b2b")


def test_the_teaching_files_show_commands():
    assert len(TEACHING_COMMANDS) >= 8


def test_the_b2b_files_say_what_to_compare():
    """A procurement and a freight marketplace and a cross-cultural pair, each with its
    comparison (MODEL.md 14)."""
    names = {path.stem for path in (ROOT / "scenarios" / "b2b").glob("*.toml")}
    assert {"procurement", "freight", "buyers_individualist", "buyers_collectivist"} <= names
    assert len(B2B_COMMANDS) == 3 and all("compare" in command for command in B2B_COMMANDS)


@pytest.mark.slow
@pytest.mark.parametrize("command", TEACHING_COMMANDS + B2B_COMMANDS)
def test_a_command_shown_in_a_scenario_file_runs(command, tmp_path):
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", *shlex.split(command)[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
