"""Global sensitivity analysis: a known answer (Ishigami), the real model, resume, bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import Scenario
from sim.cli import main
from sim.experiments.designs import parse_factor
from sim.experiments.executors import open_executor
from sim.experiments.sensitivity import guidance, run_sensitivity
from tests.conftest import assert_user_error

ROOT = Path(__file__).resolve().parents[2]
ISHIGAMI_INPUTS = (
    "attribution.intercept",
    "attribution.intermediation_weight",
    "attribution.brand_weight",
)
# Analytic indices of the Ishigami function with a = 7, b = 0.1 (Ishigami & Homma 1990)
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)
SMALL = ["--set", "run.days=20", "--set", "customers.count=800", "--set", "providers.count=6"]


def ishigami(scenario: Scenario, replication: int) -> dict[str, float]:
    """The test hook: the Ishigami function of three (otherwise unbounded) parameters."""
    a = scenario.attribution
    x1, x2, x3 = a.intercept, a.intermediation_weight, a.brand_weight
    return {"ishigami": math.sin(x1) + 7 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)}


def ishigami_analysis(tmp_path: Path, method: str, samples: int):
    factors = [parse_factor(f"{key}={-math.pi}..{math.pi}") for key in ISHIGAMI_INPUTS]
    with open_executor("inprocess", 1) as executor:
        _, analysis = run_sensitivity(
            Scenario(),
            factors,
            method,
            samples,
            1,
            ["ishigami"],
            tmp_path / method,
            executor,
            window=1,
            model=ishigami,
        )
    return analysis.indices.set_index("parameter").loc[list(ISHIGAMI_INPUTS)]


@pytest.mark.slow
def test_the_pipeline_reproduces_the_analytic_sobol_indices_of_ishigami(tmp_path):
    indices = ishigami_analysis(tmp_path, "sobol", 1024)
    assert indices.S1.to_numpy() == pytest.approx(ISHIGAMI_S1, abs=0.04)
    assert indices.ST.to_numpy() == pytest.approx(ISHIGAMI_ST, abs=0.04)
    assert (indices.S1_ci_low <= indices.S1 + 1e-12).all()
    files = {p.name for p in (tmp_path / "sobol").iterdir()}
    assert {"indices.csv", "noise.csv", "warnings.txt", "runs.parquet", "points.parquet"} <= files


@pytest.mark.slow
def test_fast_agrees_with_the_analytic_first_order_indices(tmp_path):
    indices = ishigami_analysis(tmp_path, "fast", 1025)
    assert indices.S1.to_numpy() == pytest.approx(ISHIGAMI_S1, abs=0.06)


MORRIS = [
    "sensitivity", "--method", "morris", "--samples", "8", "--reps", "2", "--quiet",
    "--vary", "aggregator.intermediation=0..1", "--vary", "aggregator.brand_salience=0..1",
    "--vary", "aggregator.glitch_rate=0..0.06", "--vary", "customers.individualism=0..1",
    "--vary", "fairness.rating_weight=0..2", "--vary", "recovery.policy=none,match_expectation",
    "--kpi", "mean_aggregator_responsibility", "--kpi", "customer_churn_rate",
    "--convergence", "--workers", "2", *SMALL,
]  # fmt: skip


@pytest.fixture(scope="module")
def morris_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("morris") / "m"
    assert main([*MORRIS, "--out", str(folder)]) == 0
    return folder


@pytest.mark.slow
def test_morris_ranks_intermediation_first_and_an_unread_parameter_at_zero(morris_folder):
    indices = pd.read_csv(morris_folder / "indices.csv")
    blame = indices[indices.kpi == "mean_aggregator_responsibility"].set_index("parameter")
    ranking = blame.mu_star.sort_values(ascending=False).index.tolist()
    assert ranking[0] == "aggregator.intermediation"
    top = blame.mu_star.max()
    # surge is off, so the model never reads fairness.rating_weight: no effect at all
    assert blame.loc["fairness.rating_weight", "mu_star"] < 0.01 * top
    assert (blame.mu_star_ci_low <= blame.mu_star).all()
    assert (blame.sigma_ci_low <= blame.sigma + 1e-12).all()


@pytest.mark.slow
def test_morris_writes_its_tables_and_figures(morris_folder):
    figures = {p.name for p in (morris_folder / "figures").iterdir()}
    assert {
        "sensitivity_mean_aggregator_responsibility.png",
        "convergence_customer_churn_rate.png",
    } <= figures
    noise = pd.read_csv(morris_folder / "noise.csv").set_index("kpi")
    assert noise.loc["mean_aggregator_responsibility", "replications"] == 2
    assert 0 <= noise.loc["mean_aggregator_responsibility", "noise_share"] < 1
    conv = pd.read_csv(morris_folder / "convergence.csv")
    assert sorted(conv.samples.unique()) == [2, 4, 8]
    points = pd.read_parquet(morris_folder / "points.parquet")
    assert len(points) == 8 * (6 + 1)


@pytest.mark.slow
def test_resume_recomputes_only_what_is_missing_and_gives_the_same_indices(morris_folder, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(morris_folder, copy)
    parts = sorted((copy / "parts").glob("runs-*.parquet"))
    for part in parts[: len(parts) // 2]:
        part.unlink()
    (copy / "manifest.json").unlink()
    assert main([*MORRIS, "--out", str(copy), "--resume"]) == 0
    pd.testing.assert_frame_equal(
        pd.read_csv(morris_folder / "indices.csv"), pd.read_csv(copy / "indices.csv")
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--method", "lhs", "--vary", "aggregator.intermediation=0..1"], "invalid choice"),
        (["--vary", "aggregator.intermediation=0,1"], "needs bounds LOW..HIGH"),
        (["--vary", "aggregator.intermediation=0..2"], "expected a number from 0 to 1"),
        (["--vary", "aggregator.intermediation=0..1", "--kpi", "churn"], "unknown KPI"),
        (
            ["--method", "fast", "--samples", "10", "--vary", "aggregator.intermediation=0..1"],
            "FAST needs more than 64",
        ),
        (["--vary", "aggregator.intermediation=0..1", "--second-order"], "only the sobol method"),
        (
            ["--method", "fast", "--convergence", "--vary", "aggregator.intermediation=0..1"],
            "not nested",
        ),
        ([], "at least one varied parameter"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, expected, tmp_path):
    assert_user_error(["sensitivity", *args, "--out", str(tmp_path / "never")], expected, tmp_path)
    assert not (tmp_path / "never").exists()


def test_guidance_flags_what_a_careful_analyst_would():
    indices = pd.DataFrame(
        {
            "kpi": ["k"] * 3,
            "parameter": ["a", "b", "c"],
            "S1": [0.5, 1.2, -0.2],
            "S1_ci_low": [0.45, -0.3, -0.3],
            "S1_ci_high": [0.55, 1.7, -0.1],
            "ST": [0.6, 0.3, 0.01],
            "ST_ci_low": [0.55, 0.0, -0.02],
            "ST_ci_high": [0.65, 0.6, 0.04],
        }
    )
    noise = pd.DataFrame({"kpi": ["k"], "noise_share": [0.4]})
    found = guidance("sobol", "saltelli", 100, indices, noise)
    assert any("power-of-two" in w and "try 64 or 128" in w for w in found)
    assert any("intervals of ST are wide for b" in w for w in found)
    assert any("S1 is negative beyond its interval for c" in w for w in found)
    assert any("S1 is above 1 for b (1.20), impossible for a share" in w for w in found)
    assert any("replication noise makes up 40%" in w for w in found)
    quiet = guidance(
        "sobol",
        "saltelli",
        128,
        indices.iloc[:1],
        pd.DataFrame({"kpi": ["k"], "noise_share": [0.01]}),
    )
    assert quiet == []


def test_point_means_need_every_point():
    from sim.errors import UserError
    from sim.experiments.sensitivity import point_means

    runs = pd.DataFrame({"point": [0, 0, 2], "x": [1.0, 3.0, 5.0]})
    with pytest.raises(UserError, match="1 of 3 sample points have no finished run"):
        point_means(runs, ["x"], 3)
    assert point_means(runs.query("point == 0"), ["x"], 1).x.tolist() == [2.0]
    assert np.isfinite(point_means(runs, ["x"], 1).x.iloc[0])
