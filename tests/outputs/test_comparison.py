"""Paired comparisons with common random numbers."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.outputs.comparison import (
    COMPARISON_COLUMNS,
    paired_comparison,
    point_contrasts,
    show_reduction,
)
from tests.conftest import widest_line

ROOT = Path(__file__).resolve().parents[2]
SMALL = [
    *("--set", "run.days=5", "--set", "customers.count=400", "--set", "providers.count=4"),
    *("--set", "run.warmup_days=0"),
]


def test_paired_differences_and_variance_reduction_on_known_data():
    rng = np.random.default_rng(1)
    shared = rng.normal(0, 1.0, 400)  # common noise, as CRN gives
    a = pd.DataFrame({"replication": range(400), "x": 10 + shared + rng.normal(0, 0.1, 400)})
    b = pd.DataFrame({"replication": range(400), "x": 10.5 + shared + rng.normal(0, 0.1, 400)})
    row = paired_comparison(a, b).set_index("kpi").loc["x"]
    assert row.ci_low < 0.5 < row.ci_high and row.ci_high - row.ci_low < 0.05
    # var(A) + var(B) ≈ 2.02 against var(B − A) ≈ 0.02: a reduction near 100
    assert 60 < row.variance_reduction < 160


def test_compare_reports_paired_differences_with_cis(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert (
        main(
            [
                "compare",
                str(ROOT / "scenarios" / "low_intermediation.toml"),
                str(ROOT / "scenarios" / "high_intermediation.toml"),
                "--reps",
                "4",
                "--workers",
                "1",
                "--out",
                str(out),
                *SMALL,
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "B - A: high_intermediation - low_intermediation" in printed
    assert "platform responsibility" in printed  # labels, not column names
    assert not re.search(r"\de[+-]\d|nan", printed), "numbers as people read them"
    assert widest_line(printed) <= 80
    table = pd.read_csv(out / "comparison.csv").set_index("kpi")
    assert list(table.reset_index().columns) == list(COMPARISON_COLUMNS)
    responsibility = table.loc["mean_aggregator_responsibility"]
    assert responsibility.ci_low > 0  # P2, with a CI that excludes zero
    # common random numbers pay off on the KPIs the change barely moves
    assert table.loc["orders"].variance_reduction > 2
    runs = pd.read_csv(out / "replications.csv")
    assert sorted(runs.scenario.unique()) == ["high_intermediation", "low_intermediation"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert "figures/differences.png" in manifest["files"]
    assert (out / "figures" / "differences.png").read_bytes().startswith(b"\x89PNG")


def test_a_scenario_compared_with_itself_differs_by_exactly_nothing(tmp_path):
    baseline = str(ROOT / "scenarios" / "baseline.toml")
    assert (
        main(
            [
                "compare",
                baseline,
                baseline,
                "--reps",
                "2",
                "--workers",
                "1",
                "--quiet",
                "--out",
                str(tmp_path / "same"),
                *SMALL,
            ]
        )
        == 0
    )
    table = pd.read_csv(tmp_path / "same" / "comparison.csv")
    assert (table.difference.dropna() == 0).all()


def test_run_adds_replications_until_the_target_ci(tmp_path):
    out = tmp_path / "target"
    assert (
        main(
            [
                "run",
                "--reps",
                "3",
                "--target-ci",
                "failure_rate=0.004",
                "--max-reps",
                "12",
                "--workers",
                "1",
                "--quiet",
                "--out",
                str(out),
                *SMALL,
            ]
        )
        == 0
    )
    table = pd.read_csv(out / "replications.csv")
    assert len(table) in (6, 9, 12) and table.replication.tolist() == list(range(len(table)))
    summary = pd.read_csv(out / "summary.csv").set_index("kpi").loc["failure_rate"]
    assert (summary.ci_high - summary.ci_low) / 2 <= 0.004 or len(table) == 12


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("failure_rat=0.01", "did you mean 'failure_rate'"),
        ("failure_rate=-1", "positive half-width"),
        ("failure_rate", "expected KPI=HALFWIDTH"),
    ],
)
def test_bad_targets_are_explained(target, expected, capsys, tmp_path):
    assert main(["run", "--target-ci", target, "--out", str(tmp_path / "x"), *SMALL]) == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_variance_reduction_is_shown_for_people():
    assert show_reduction(12.34) == "12.3x"
    assert show_reduction(float("nan")) == "n/a" and show_reduction(float("inf")) == "exact"


def test_a_difference_reads_with_one_sign():
    """The amount and its interval are magnitudes in the direction the sentence names."""
    from types import SimpleNamespace

    from sim.model.kpis import kpi
    from sim.outputs.report import difference_sentence

    lower = SimpleNamespace(difference=-0.09295, ci_low=-0.1021, ci_high=-0.08381)
    assert difference_sentence(kpi("customer_churn_rate"), lower, ("A", "B")) == (
        "Customer churn is lower in B than in A by 9.3 pp (95% CI 8.4 pp to 10.2 pp)."
    )
    higher = SimpleNamespace(difference=14410.3, ci_low=12000.0, ci_high=16800.5)
    assert difference_sentence(kpi("compensation_paid_total"), higher, ("A", "B")) == (
        "Compensation paid is higher in B than in A by 14,410 (95% CI 12,000 to 16,800)."
    )


def contrast_runs(shared: bool) -> pd.DataFrame:
    """Two points of 12 replications: point 1 is point 0 plus 0.3; with ``shared`` noise the
    points draw the same noise per replication (common random numbers), else their own."""
    rng = np.random.default_rng(5)
    noise = rng.normal(0, 1, 12)
    rows = [
        {"point": p, "replication": r, "run_id": f"p{p}-r{r}", "x": 0.3 * p + e, "level": p}
        for p in (0, 1)
        for r, e in enumerate(noise if shared else rng.normal(0, 1, 12))
    ]
    runs = pd.DataFrame(rows)
    if shared:
        runs.loc[runs.point == 1, "x"] += rng.normal(0, 0.05, 12)  # a little of its own noise
    return runs


def test_a_contrast_pairs_points_by_replication_and_gains_from_shared_noise():
    paired = point_contrasts(contrast_runs(shared=True), ["level"], baseline=0).iloc[0]
    assert paired.point == 1 and paired.level == 1 and paired.kpi == "x"
    assert paired.ci_low < 0.3 < paired.ci_high
    width = paired.ci_high - paired.ci_low
    assert width * 5 < paired.unpaired_ci_high - paired.unpaired_ci_low
    assert paired.variance_reduction > 50
    # Knockout: independent noise, nothing to gain from pairing.
    independent = point_contrasts(contrast_runs(shared=False), ["level"], baseline=0).iloc[0]
    assert independent.variance_reduction < 3
