"""Figures for a paper (``aggsim plot``) and the sweep's own figures: what they show is read from
the plotting calls (the axes' data), not from pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.model.kpis import kpis, label
from sim.outputs.plots import SweepView, default_view, draw_sweep, sweep_plot_data

ROOT = Path(__file__).resolve().parents[2]
SMALL = [
    *("--set", "run.days=3", "--set", "customers.count=300", "--set", "providers.count=3"),
    *("--set", "run.warmup_days=0", "--quiet"),
]
POLICIES = ["none", "match_expectation"]


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plot") / "sweep"
    vary = [
        "--vary",
        "aggregator.intermediation=0:1:3",
        "--vary",
        f"recovery.policy={','.join(POLICIES)}",
    ]
    args = ["sweep", *SMALL, *vary, "--reps", "3", "--executor", "inprocess", "--out", str(folder)]
    assert main(args) == 0
    return folder


def test_two_factors_give_one_line_per_level_of_the_second_with_its_interval(sweep_folder):
    runs = pd.read_parquet(sweep_folder / "runs.parquet")
    view = default_view(runs, ["aggregator.intermediation", "recovery.policy"])
    assert view.x == "aggregator.intermediation" and view.hue == "recovery.policy"
    data = sweep_plot_data(runs, view)
    fig = draw_sweep(data, view)
    ax = fig.axes[0]  # the first main KPI
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert sorted(lines) == sorted(POLICIES)
    for policy, line in lines.items():
        expected = data[(data.kpi == view.kpis[0]) & (data["recovery.policy"] == policy)]
        np.testing.assert_allclose(line.get_xdata(), expected["aggregator.intermediation"])
        np.testing.assert_allclose(line.get_ydata(), expected["mean"])
        # the mean is the mean of the runs at that point
        at = runs[(runs["recovery.policy"] == policy) & (runs["aggregator.intermediation"] == 0)]
        assert line.get_ydata()[0] == pytest.approx(at[view.kpis[0]].mean())
    assert len(ax.collections) == len(POLICIES)  # one CI band per line
    assert (data.ci_low <= data["mean"]).all() and (data["mean"] <= data.ci_high).all()


def test_facets_share_each_kpis_y_range_and_axes_read_in_words(sweep_folder):
    """Rows of facets compare at a glance only on one scale: a KPI's panels share their y range
    across the rows; axes, facets and legends name parameters in words."""
    runs = pd.read_parquet(sweep_folder / "runs.parquet")
    kpis = ("mean_aggregator_responsibility", "mean_expected_punishment")
    view = SweepView(kpis, "aggregator.intermediation", facet="recovery.policy")
    fig = draw_sweep(sweep_plot_data(runs, view), view)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == len(kpis) * len(POLICIES)
    for name in kpis:
        panels = [ax for ax in shown if ax.get_title().startswith(label(name)[:20])]
        assert len(panels) == len(POLICIES)
        assert len({ax.get_ylim() for ax in panels}) == 1, name
    assert shown[0].get_xlabel() == "aggregator intermediation (share)"
    assert any("recovery policy = none" in ax.get_title() for ax in shown)


def test_a_categorical_axis_has_points_never_joined_by_a_line(sweep_folder):
    runs = pd.read_parquet(sweep_folder / "runs.parquet")
    view = SweepView(("customer_churn_rate",), "recovery.policy", "aggregator.intermediation")
    fig = draw_sweep(sweep_plot_data(runs, view), view)
    assert all(line.get_linestyle() == "None" for line in fig.axes[0].get_lines())
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == POLICIES


def test_intervals_stay_within_the_kpi_range():
    runs = pd.DataFrame(
        {"x": [0, 0, 0, 1, 1, 1], "customer_churn_rate": [0.0, 0.0, 0.05, 0.0, 0.1, 0.0]}
    )
    data = sweep_plot_data(runs, SweepView(("customer_churn_rate",), "x"))
    assert (data.ci_low == 0.0).all()  # the unclipped interval reaches below 0


@pytest.mark.parametrize(
    ("fmt", "magic"), [("pdf", b"%PDF"), ("svg", b"<?xml"), ("png", b"\x89PNG")]
)
def test_plot_writes_the_format_asked_for(sweep_folder, tmp_path, fmt, magic, capsys):
    out = tmp_path / f"figure.{fmt}"
    args = ["plot", str(sweep_folder), "--format", fmt, "--out", str(out), "--width", "3.5"]
    assert main([*args, "--kpi", "customer_churn_rate", "--x", "recovery.policy"]) == 0
    assert out.read_bytes().startswith(magic)


@pytest.mark.slow
def test_plot_draws_run_and_compare_folders(tmp_path):
    run = tmp_path / "run"
    assert main(["run", *SMALL, "--reps", "2", "--workers", "1", "--out", str(run)]) == 0
    assert main(["plot", str(run), "--format", "png"]) == 0
    assert (run / "figures" / "plot.png").exists()
    compare = tmp_path / "compare"
    baseline = str(ROOT / "scenarios" / "baseline.toml")
    assert (
        main(
            [
                "compare",
                baseline,
                baseline,
                *SMALL,
                "--reps",
                "2",
                "--workers",
                "1",
                "--out",
                str(compare),
            ]
        )
        == 0
    )
    assert main(["plot", str(compare), "--format", "svg", "--out", str(tmp_path / "c.svg")]) == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--x", "customers.count"], "--x: customers.count: not a varied parameter"),
        (["--x", "recovery.policy", "--hue", "recovery.policy"], "give each a different"),
        (["--kpi", "churn"], "unknown KPI"),
        (["--out", "figure.gif"], "expected a file ending in .png, .pdf, .svg"),
        (["--width", "100000"], "expected a width from 1 to 40 inches"),  # was an internal error
        ([f"--kpi={k.name}" for k in kpis()[:13]], "at most 12 without --force"),
    ],
)
def test_bad_plot_options_are_one_line(sweep_folder, args, expected, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = None
    try:
        code = main(["plot", str(sweep_folder), *args])
    except SystemExit as usage:  # argparse's own error, one line too
        code = usage.code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert expected in err[-1] and sum("error" in line for line in err) == 1
    assert not list(tmp_path.rglob("*.p*")) and not (sweep_folder / "figures" / "plot.pdf").exists()


def test_one_kpi_given_sixty_times_draws_one_panel(sweep_folder, tmp_path):
    out = tmp_path / "one.svg"
    assert (
        main(["plot", str(sweep_folder), *["--kpi", "customer_churn_rate"] * 60, "--out", str(out)])
        == 0
    )
    assert out.read_text().count('id="axes_') == 1
