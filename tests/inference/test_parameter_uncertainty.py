"""``--posterior`` on run, compare and sweep: each replication draws its calibrated parameters
from a posterior on a stream of its own (MODEL.md 11.1)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.posterior import FILE, Posterior
from sim.scenario import Scenario
from tests.conftest import assert_user_error

LAMBDA = "retention.intention_conversion"
WORLD = [
    *("--set", "customers.count=300", "--set", "providers.count=2"),
    *("--set", "run.days=30", "--set", "run.warmup_days=0", "--set", "run.replications=8"),
    *("--workers", "1", "--quiet"),
]


def posterior_file(folder: Path, values, weights=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    weights = np.ones(len(values)) if weights is None else weights
    pd.DataFrame({LAMBDA: values, "weight": weights}).to_parquet(folder / FILE)
    return folder / FILE


def run_kpis(tmp_path: Path, name: str, *extra: str) -> pd.DataFrame:
    out = tmp_path / "runs" / name
    assert main(["run", *WORLD, "--out", str(out), *extra]) == 0
    return pd.read_csv(out / "replications.csv")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("uncertainty")
    default = Scenario().retention.intention_conversion
    concentrated = posterior_file(tmp / "concentrated", [default])
    wide = posterior_file(tmp / "wide", [0.0, 1.0])
    return {
        "none": run_kpis(tmp, "none"),
        "concentrated": run_kpis(tmp, "concentrated", "--posterior", str(concentrated)),
        "wide": run_kpis(tmp, "wide", "--posterior", str(wide)),
        "folder": tmp,
    }


def test_a_posterior_concentrated_on_the_defaults_leaves_every_result_unchanged(runs):
    pd.testing.assert_frame_equal(
        runs["none"].drop(columns="seconds", errors="ignore"),
        runs["concentrated"].drop(columns="seconds", errors="ignore"),
    )


def test_a_wide_posterior_widens_the_intervals(runs):
    # λ drawn from {0, 1}: whether customers act on what they say varies between replications,
    # so churn varies far more than chance alone makes it.
    chance = runs["none"].quarterly_churn_rate.std()
    both = runs["wide"].quarterly_churn_rate.std()
    assert both > 2 * chance, (chance, both)


def test_the_manifest_records_the_posterior_and_every_draw(runs):
    manifest = json.loads((runs["folder"] / "runs" / "wide" / "manifest.json").read_text())
    record = manifest["posterior"]
    assert record["parameters"] == [LAMBDA] and record["particles"] == 2
    drawn = [d[LAMBDA] for d in record["draws"]]
    assert len(drawn) == 8 and set(drawn) == {0.0, 1.0}


def test_compare_pairs_each_replication_with_the_same_draw(tmp_path: Path):
    # A scenario compared with itself under a wide posterior: the same draw in both arms, so
    # every paired difference is exactly zero.
    wide = posterior_file(tmp_path / "wide", [0.0, 1.0])
    scenario = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"
    out = tmp_path / "compare"
    args = ["compare", str(scenario), str(scenario), *WORLD, "--reps", "4"]
    assert main([*args, "--posterior", str(wide), "--out", str(out)]) == 0
    assert len(pd.read_csv(out / "replications.csv")) == 8
    paired = pd.read_csv(out / "comparison.csv").set_index("kpi")
    assert (paired.loc[["quarterly_churn_rate", "orders"], "difference"] == 0).all()


def test_a_sweep_records_its_posterior_and_refuses_to_resume_with_another(tmp_path: Path):
    first = posterior_file(tmp_path / "first", [0.1, 0.9])
    other = posterior_file(tmp_path / "other", [0.2, 0.8])
    out = tmp_path / "sweep"
    sweep = ["sweep", *WORLD, "--vary", "recovery.compensated_share=0,1", "--reps", "2"]
    assert main([*sweep, "--posterior", str(first), "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["posterior"]["file"] == str(first)
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 4
    assert_user_error(
        [*sweep, "--posterior", str(other), "--out", str(out), "--resume"],
        "holds a different sweep",
        tmp_path,
    )


def test_a_posterior_of_unknown_parameters_is_refused_in_one_line(tmp_path: Path):
    folder = tmp_path / "bad"
    folder.mkdir()
    pd.DataFrame({"retention.nothing": [0.1], "weight": [1.0]}).to_parquet(folder / FILE)
    assert_user_error(
        ["run", *WORLD, "--posterior", str(folder), "--out", str(tmp_path / "out")],
        "column 'retention.nothing': not a parameter",
        tmp_path,
    )
    assert not (tmp_path / "out").exists()


def test_a_replications_draw_is_the_same_whatever_else_runs(tmp_path: Path):
    posterior = Posterior(pd.DataFrame({LAMBDA: np.linspace(0, 1, 50), "weight": 1.0}))
    scenario = Scenario()
    first = [posterior.scenario_for(scenario, r).value(LAMBDA) for r in range(6)]
    again = [posterior.scenario_for(scenario, r).value(LAMBDA) for r in reversed(range(6))]
    assert first == again[::-1]
    assert len(set(first)) > 3  # replications draw different sets
