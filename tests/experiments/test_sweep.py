"""Sweeps as a user runs them: tables, determinism across executors and shards (Dask on real
scheduler and worker processes), resume after kill -9, failing points, target CIs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import Scenario, run_replication
from sim.cli import main
from sim.experiments.designs import parse_factor
from sim.experiments.executors import open_executor
from sim.experiments.sweep import SweepPlan, run_sweep
from tests.conftest import assert_user_error

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
SMALL = [
    *("--set", "run.days=3", "--set", "customers.count=300", "--set", "providers.count=3"),
    *("--set", "run.warmup_days=0"),
]
GRID = ["--vary", "aggregator.intermediation=0:1:3", "--vary", "recovery.policy=none,tiered"]


def sweep(*args: str) -> int:
    return main(["sweep", "--quiet", *SMALL, *args])


def runs_of(folder: Path) -> pd.DataFrame:
    """The run table without wall times, which are the only thing allowed to differ."""
    return pd.read_parquet(folder / "runs.parquet").drop(columns="seconds")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sweep") / "reference"
    assert sweep(*GRID, "--reps", "2", "--executor", "inprocess", "--out", str(folder)) == 0
    return folder


def test_a_sweep_writes_its_tables(reference):
    points = pd.read_parquet(reference / "points.parquet")
    assert len(points) == 6 and list(points.columns) == [
        "point",
        "aggregator.intermediation",
        "recovery.policy",
    ]
    runs = runs_of(reference)
    assert len(runs) == 12
    assert runs[["point", "replication"]].values.tolist() == [
        [p, r] for p in range(6) for r in (0, 1)
    ]
    assert runs.run_id.iloc[3] == "p000001-r0001"
    as_csv = pd.read_csv(reference / "runs.csv").drop(columns="seconds")
    pd.testing.assert_frame_equal(as_csv, runs, check_dtype=False)  # the same rows for R
    summary = pd.read_csv(reference / "summary.csv")
    assert {
        "point",
        "aggregator.intermediation",
        "recovery.policy",
        "kpi",
        "mean",
        "ci_low",
        "ci_high",
        "n",
    } <= set(summary.columns)
    assert len(summary[summary.kpi == "mean_aggregator_responsibility"]) == 6
    assert pd.read_csv(reference / "errors.csv").empty
    figures = sorted(p.name for p in (reference / "figures").iterdir())
    assert figures == ["aggregator.intermediation.png", "recovery.policy.png"]
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["runs"] == 12 and manifest["failed"] == 0 and manifest["design"] == "grid"


def test_each_run_is_the_replication_of_its_point(reference):
    """Runs depend only on (root seed, replication, stream): identical to a lone replication."""
    runs = runs_of(reference).set_index("run_id")
    scenario = Scenario().with_values(
        **{
            "run.days": 3,
            "run.warmup_days": 0,
            "customers.count": 300,
            "providers.count": 3,
            "aggregator.intermediation": 0.5,
            "recovery.policy": "tiered",
        }
    )
    alone = run_replication(scenario, 1).kpis
    assert runs.loc["p000003-r0001", "orders"] == alone["orders"]
    assert runs.loc["p000003-r0001", "mean_perceived_control"] == alone["mean_perceived_control"]


@pytest.mark.slow
def test_process_pool_gives_the_same_tables(reference, tmp_path):
    assert sweep(*GRID, "--reps", "2", "--workers", "2", "--out", str(tmp_path / "pool")) == 0
    pd.testing.assert_frame_equal(runs_of(reference), runs_of(tmp_path / "pool"))


@pytest.fixture(scope="module")
def dask_scheduler(tmp_path_factory):
    """A real ``dask scheduler`` and two ``dask worker`` processes on loopback."""
    pytest.importorskip("distributed")
    dask = str(Path(sys.executable).parent / "dask")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    workdir = tmp_path_factory.mktemp("dask")
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        env=ENV,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [
            dask,
            "worker",
            address,
            "--nworkers",
            "2",
            "--nthreads",
            "1",
            "--no-dashboard",
            "--local-directory",
            str(workdir),
        ],
        env=ENV,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in (worker, scheduler):
            process.terminate()
        for process in (worker, scheduler):
            process.wait(timeout=30)


@pytest.mark.slow
def test_dask_on_real_scheduler_and_workers_gives_the_same_tables(
    reference, dask_scheduler, tmp_path
):
    assert (
        sweep(
            *GRID,
            "--reps",
            "2",
            "--executor",
            "dask",
            "--scheduler",
            dask_scheduler,
            "--out",
            str(tmp_path / "dask"),
        )
        == 0
    )
    pd.testing.assert_frame_equal(runs_of(reference), runs_of(tmp_path / "dask"))


@pytest.mark.slow
@pytest.mark.slow
def test_shards_merge_into_the_unsharded_sweep(reference, tmp_path, capsys):
    shards = []
    for i in (1, 2, 3):
        shards.append(tmp_path / f"shard{i}")
        assert (
            sweep(
                *GRID,
                "--reps",
                "2",
                "--executor",
                "inprocess",
                "--shard",
                f"{i}/3",
                "--out",
                str(shards[-1]),
            )
            == 0
        )
    assert set(runs_of(shards[0]).point) == {0, 3}
    assert main(["merge", str(tmp_path / "merged"), *map(str, shards)]) == 0
    pd.testing.assert_frame_equal(runs_of(reference), runs_of(tmp_path / "merged"))
    assert pd.read_csv(reference / "summary.csv").equals(
        pd.read_csv(tmp_path / "merged" / "summary.csv")
    )
    capsys.readouterr()
    assert main(["merge", str(tmp_path / "partial"), str(shards[0]), str(shards[2])]) == 2
    assert "shards 2/3 are missing" in capsys.readouterr().err
    # A shard that never finished (killed before its manifest) is refused, not merged short.
    (shards[1] / "manifest.json").unlink()
    assert main(["merge", str(tmp_path / "short"), *map(str, shards)]) == 2
    assert "this shard did not finish" in capsys.readouterr().err
    assert not (tmp_path / "short").exists()


@pytest.mark.slow
def test_resume_after_kill_9_gives_the_uninterrupted_tables(tmp_path):
    grid = ["--vary", "aggregator.intermediation=0:1:12", "--vary", "recovery.policy=none,tiered"]
    small = ["--set", "run.days=8", "--set", "customers.count=500", "--set", "providers.count=4"]
    small += ["--set", "run.warmup_days=0"]
    out = tmp_path / "killed"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim.cli",
            "sweep",
            *grid,
            *small,
            "--reps",
            "4",
            "--workers",
            "2",
            "--out",
            str(out),
            "--quiet",
        ],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not list((out / "parts").glob("runs-*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.1)
    process.kill()  # SIGKILL: no chance to flush or clean up
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert not (out / "runs.parquet").exists(), "killed before the end"
    done_before = sum(len(pd.read_parquet(p)) for p in (out / "parts").glob("runs-*.parquet"))
    assert 0 < done_before < 96
    assert (
        main(
            [
                "sweep",
                "--quiet",
                *grid,
                *small,
                "--reps",
                "4",
                "--workers",
                "2",
                "--out",
                str(out),
                "--resume",
            ]
        )
        == 0
    )
    assert not list(out.rglob("*.part"))
    assert (
        main(
            [
                "sweep",
                "--quiet",
                *grid,
                *small,
                "--reps",
                "4",
                "--executor",
                "inprocess",
                "--out",
                str(tmp_path / "whole"),
            ]
        )
        == 0
    )
    pd.testing.assert_frame_equal(runs_of(out), runs_of(tmp_path / "whole"))


def test_resume_refuses_a_different_sweep(reference, capsys):
    assert (
        sweep(*GRID, "--reps", "3", "--executor", "inprocess", "--out", str(reference), "--resume")
        == 2
    )
    assert "holds a different sweep" in capsys.readouterr().err
    assert sweep(*GRID, "--reps", "2", "--out", str(reference)) == 2
    assert "add --resume" in capsys.readouterr().err


def test_an_invalid_point_is_recorded_and_the_rest_finish(tmp_path, capsys):
    code = sweep(
        "--vary",
        "sanctions.warn_below=3.0,4.5",
        "--vary",
        "sanctions.suspend_below=3.5",
        "--reps",
        "2",
        "--executor",
        "inprocess",
        "--out",
        str(tmp_path / "s"),
    )
    assert code == 1
    assert "1 run(s) or point(s) failed" in capsys.readouterr().err
    errors = pd.read_csv(tmp_path / "s" / "errors.csv")
    assert (
        errors.point.tolist() == [0]
        and "suspend_below must not exceed warn_below" in errors.error[0]
    )
    assert errors["sanctions.warn_below"].tolist() == [3.0]
    assert runs_of(tmp_path / "s").point.unique().tolist() == [1]


def crash_at_two_thirds(scenario: Scenario, replication: int) -> dict:
    """The simulation, except that it crashes at intermediation 2/3."""
    if abs(scenario.aggregator.intermediation - 2 / 3) < 1e-9:
        raise RuntimeError("simulated crash")
    return run_replication(scenario, replication).kpis


def test_a_run_that_crashes_is_isolated(tmp_path):
    base = Scenario().with_values(**{"run.days": 2, "customers.count": 200, "providers.count": 3})
    plan = SweepPlan(base, (parse_factor("aggregator.intermediation=0:1:4"),), "grid", None, 2)
    with open_executor("inprocess", 1) as executor:
        outcome = run_sweep(plan, tmp_path / "c", executor, window=1, model=crash_at_two_thirds)
    assert (outcome.runs, outcome.failed) == (6, 2)
    errors = pd.read_csv(tmp_path / "c" / "errors.csv")
    assert set(errors.run_id) == {"p000002-r0000", "p000002-r0001"}
    assert errors.error.str.contains("RuntimeError: simulated crash").all()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--vary", "aggregator.intermediation=0..1"], "bounds need a sampled design"),
        (["--vary", "aggregator.intermedation=0,1"], "did you mean"),
        (["--vary", "aggregator.intermediation=0,1", "--design", "lhs"], "number of samples"),
        ([], "at least one varied parameter"),
        (["--vary", "aggregator.intermediation=0,1", "--shard", "4/3"], "expected i/n"),
        (["--vary", "aggregator.intermediation=0,1", "--target-ci", "churn=0.1"], "unknown KPI"),
    ],
)
def test_bad_sweep_options_are_one_line_and_exit_2(args, expected, tmp_path):
    assert_user_error(["sweep", *args, "--out", str(tmp_path / "never")], expected, tmp_path)
    assert not (tmp_path / "never").exists()


def test_a_study_is_one_file(tmp_path):
    study = tmp_path / "study.toml"
    study.write_text(
        'extends = "' + str(ROOT / "scenarios" / "baseline.toml") + '"\n'
        "[run]\ndays = 3\n[customers]\ncount = 300\n[providers]\ncount = 3\n"
        '[sweep]\ndesign = "lhs"\nsamples = 4\nreps = 2\n'
        '[sweep.vary]\n"aggregator.intermediation" = "0..1"\n'
        'recovery.policy = ["none", "tiered"]\n'
    )
    assert main(["check", str(study)]) == 0
    assert (
        main(
            [
                "sweep",
                str(study),
                "--executor",
                "inprocess",
                "--quiet",
                "--out",
                str(tmp_path / "s"),
            ]
        )
        == 0
    )
    points = pd.read_parquet(tmp_path / "s" / "points.parquet")
    assert len(points) == 4 and set(points.columns) == {
        "point",
        "aggregator.intermediation",
        "recovery.policy",
    }
    assert len(runs_of(tmp_path / "s")) == 8


@pytest.mark.slow
def test_a_target_ci_adds_replications_where_the_noise_is_large(tmp_path):
    assert (
        sweep(
            "--vary",
            "aggregator.intermediation=0.1,0.9",
            "--reps",
            "2",
            "--target-ci",
            "mean_aggregator_responsibility=0.02",
            "--max-reps",
            "8",
            "--executor",
            "inprocess",
            "--out",
            str(tmp_path / "t"),
        )
        == 0
    )
    runs = runs_of(tmp_path / "t")
    per_point = runs.groupby("point").size()
    assert (per_point >= 2).all() and (per_point <= 8).all() and per_point.max() > 2
    summary = pd.read_csv(tmp_path / "t" / "summary.csv")
    widths = (
        summary[summary.kpi == "mean_aggregator_responsibility"]
        .assign(half=lambda d: (d.ci_high - d.ci_low) / 2)
        .set_index("point")
    )
    for point, n in per_point.items():
        assert widths.loc[point, "half"] <= 0.02 or n == 8


@pytest.mark.slow
def test_progress_counts_runs_points_and_failures(tmp_path):
    from sim.experiments.sweep import SweepProgress

    seen = []
    progress = SweepProgress(on_change=lambda p: seen.append((p.done, p.failed, p.points_done)))
    base = Scenario().with_values(**{"run.days": 2, "customers.count": 200, "providers.count": 3})
    plan = SweepPlan(base, (parse_factor("aggregator.intermediation=0:1:4"),), "grid", None, 2)
    with open_executor("inprocess", 1) as executor:
        run_sweep(
            plan, tmp_path / "p", executor, window=1, progress=progress, model=crash_at_two_thirds
        )
    assert (progress.total, progress.points_total) == (8, 4)
    assert seen[-1] == (6, 2, 3)  # 6 runs and 3 points done, the crashing point's 2 runs failed
    assert [points for _, _, points in seen] == sorted(points for _, _, points in seen)


def test_contrasts_with_a_baseline_point_use_the_common_random_numbers(tmp_path, capsys):
    out = tmp_path / "contrasts"
    baseline = "aggregator.intermediation=0,recovery.policy=none"
    args = [*GRID, "--reps", "3", "--executor", "inprocess", "--baseline-point", baseline]
    assert sweep(*args, "--out", str(out)) == 0
    assert "reduce the variance of the main KPIs' differences" in capsys.readouterr().out
    contrasts = pd.read_csv(out / "contrasts.csv")
    assert sorted(contrasts.point.unique()) == [1, 2, 3, 4, 5]  # every point but the baseline
    main = contrasts[contrasts.kpi == "mean_aggregator_responsibility"]
    paired = (main.ci_high - main.ci_low).mean()
    unpaired = (main.unpaired_ci_high - main.unpaired_ci_low).mean()
    assert paired < unpaired and main.variance_reduction.median() > 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["baseline_point"] == 0 and "contrasts.csv" in manifest["files"]
    assert (out / "figures" / "contrasts.png").exists()


@pytest.mark.parametrize(
    ("baseline", "extra", "expected"),
    [
        ("aggregator.intermediation=0", [], "give a value for each varied parameter"),
        ("aggregator.intermediation=0.3,recovery.policy=none", [], "no point of the design"),
        ("aggregator.intermediation", [], "expected KEY=VALUE"),
        ("aggregator.intermediation=0", ["--design", "lhs", "--samples", "4"], "grid design"),
    ],
)
def test_a_baseline_point_not_in_the_design_is_one_line(
    baseline, extra, expected, tmp_path, capsys
):
    vary = ["--vary", "aggregator.intermediation=0:1:3", "--vary", "recovery.policy=none,tiered"]
    if extra:
        vary = ["--vary", "aggregator.intermediation=0..1"]
    code = sweep(*vary, *extra, "--baseline-point", baseline, "--out", str(tmp_path / "x"))
    assert code == 2 and expected in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_a_study_file_names_its_baseline_point(tmp_path):
    study = tmp_path / "study.toml"
    study.write_text(
        "[run]\ndays = 3\nwarmup_days = 0\n[customers]\ncount = 300\n[providers]\ncount = 3\n"
        '[sweep]\nreps = 2\nbaseline = "aggregator.intermediation=0.5,recovery.policy=tiered"\n'
        '[sweep.vary]\n"aggregator.intermediation" = "0:1:3"\n'
        'recovery.policy = ["none", "tiered"]\n'
    )
    out = tmp_path / "s"
    assert main(["sweep", str(study), "--executor", "inprocess", "--quiet", "--out", str(out)]) == 0
    assert json.loads((out / "manifest.json").read_text())["baseline_point"] == 3
    assert 3 not in set(pd.read_csv(out / "contrasts.csv").point)


def test_a_baseline_point_may_be_a_table():
    from sim.experiments.sweep import plan_sweep

    table = {
        "vary": {"aggregator.intermediation": "0:1:3", "recovery": {"policy": ["none", "tiered"]}},
        "baseline": {"aggregator": {"intermediation": 0.5}, "recovery": {"policy": "tiered"}},
    }
    assert plan_sweep(Scenario(), table, [], None, None, None, None).baseline == 3
