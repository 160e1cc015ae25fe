"""Choosing the warm-up by MSER-5 (sim.experiments.warmup) and ``aggsim run --warmup auto``."""

import json

import numpy as np

from sim.experiments.warmup import choose_warmup, mser
from tests.conftest import small_scenario


def test_mser_truncates_a_start_up_transient_and_not_a_stationary_series():
    rng = np.random.default_rng(1)
    noise = rng.normal(0.0, 0.05, 200)
    transient = 1.0 * np.exp(-np.arange(200) / 8.0)  # gone after about 40 observations
    assert 25 <= mser(noise + transient) <= 60
    assert mser(noise) <= 10
    # Knockout: without the transient the truncation falls to (almost) nothing.
    assert mser(noise) < mser(noise + transient) - 15


def test_mser_never_truncates_more_than_half_or_short_series():
    assert mser(np.linspace(1.0, 0.0, 100)) <= 50  # a trend is not a transient to remove
    assert mser([1.0, 2.0, 3.0]) == 0


def test_choose_warmup_reads_the_scenario_it_is_given():
    scenario = small_scenario(**{"run.days": 10})
    choice = choose_warmup(scenario, replications=2, extra_days=20)
    assert choice.method == "MSER-5" and choice.pilot_days == 30
    assert choice.days == max(choice.by_series.values()) <= 15
    assert choice.days % 5 == 0


def test_run_warmup_auto_records_the_choice_in_the_manifest(tmp_path):
    from sim.cli import main

    out = tmp_path / "run"
    assert (
        main(
            [
                "run",
                "--reps",
                "2",
                "--warmup",
                "auto",
                "--set",
                "run.days=10",
                "--set",
                "customers.count=500",
                "--set",
                "providers.count=4",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["warmup"]["method"] == "MSER-5"
    assert manifest["scenario"]["run"]["warmup_days"] == manifest["warmup"]["days"]


def test_a_bad_warmup_is_one_clear_line(tmp_path):
    from tests.conftest import assert_user_error

    assert_user_error(["run", "--warmup", "soon"], "expected auto or a number of days", tmp_path)
    assert_user_error(["run", "--warmup", "400"], "expected auto or 0 to 365 days", tmp_path)
