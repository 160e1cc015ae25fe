"""Every ready-to-run scenario file runs (short horizon, few replications)."""

from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.scenario_files import load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("**/*.toml"))


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
            ]
        )
        == 0
    )
    table = pd.read_csv(out / "replications.csv")
    assert len(table) == 2 and (table.orders > 0).all()
