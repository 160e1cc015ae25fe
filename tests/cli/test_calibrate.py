import json
import re
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.posterior import Posterior
from sim.inference.priors import PRIORS
from sim.inference.statistics import held_out_set
from tests.browser import render
from tests.conftest import assert_user_error

TINY_CALIBRATION = [
    *("--population", "4", "--generations", "2", "--customers", "200", "--draws", "3"),
    *("--set", "run.days=35", "--set", "run.warmup_days=0", "--workers", "1", "--quiet"),
]


@pytest.fixture(scope="module")
def calibration_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("calibrate") / "out"
    assert main(["calibrate", *TINY_CALIBRATION, "--out", str(folder)]) == 0
    return folder


def test_calibrate_writes_the_posterior_its_summary_diagnostics_and_predictions(
    calibration_folder: Path,
):
    posterior = Posterior.read(calibration_folder)
    assert posterior.parameters == [p.key for p in PRIORS]
    summary = pd.read_csv(calibration_folder / "posterior_summary.csv")
    assert (summary.ci_low <= summary["median"]).all()
    assert (summary["median"] <= summary.ci_high).all()
    generations = pd.read_csv(calibration_folder / "generations.csv")
    assert list(generations.t) == [0, 1]
    assert {"epsilon", "acceptance", "ess"} <= set(generations.columns)
    predictive = pd.read_csv(calibration_folder / "predictive.csv")
    assert set(predictive.set) == {"calibration", "held out"}
    assert (predictive.draws == 3).all()
    text = (calibration_folder / "calibration.md").read_text()
    assert "## Posterior (90% credible intervals)" in text and "held out" in text


def test_the_calibration_manifest_records_the_settings_and_every_file(calibration_folder: Path):
    manifest = json.loads((calibration_folder / "manifest.json").read_text())
    assert manifest["aggsim"] == "calibrate"
    settings = manifest["calibration"]
    assert settings["population"] == 4 and settings["world"]["customers.count"] == 200
    assert [p["key"] for p in settings["priors"]] == [p.key for p in PRIORS]
    for name in manifest["files"]:
        assert (calibration_folder / name).is_file(), name
    assert {"figures/posterior.png", "figures/generations.png", "figures/predictive.png"} <= set(
        manifest["files"]
    )
    assert "calibration.html" in manifest["files"]
    page = (calibration_folder / "calibration.html").read_text()
    assert "Posterior (90% credible intervals)" in page and "retention.intercept" in page


def test_validate_predicts_every_held_out_pattern_from_a_posterior(
    calibration_folder: Path, tmp_path: Path
):
    out = tmp_path / "validation"
    tiny = ["--set", "customers.count=200", "--set", "providers.count=2"]
    tiny += ["--set", "run.days=35", "--set", "run.warmup_days=0"]
    arguments = ["validate", *tiny, "--pattern", "spend_concentration", "--reps", "2"]
    arguments += ["--posterior", str(calibration_folder), "--draws", "3"]
    assert main([*arguments, "--workers", "1", "--quiet", "--out", str(out)]) == 0
    predictive = pd.read_csv(out / "predictive.csv")
    assert set(predictive.key) == {p.key for p in held_out_set()}
    assert (predictive.set == "held out").all() and (predictive.draws == 3).all()
    assert set(predictive.verdict) <= {"inside", "overlaps", "outside"}
    assert "## Held-out predictions from the posterior" in (out / "validation.md").read_text()
    assert "Held-out predictions from the posterior" in (out / "validation.html").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert "predictive.csv" in manifest["files"]
    assert manifest["posterior"]["draws"] == 3
    assert manifest["posterior"]["digest"] == Posterior.read(calibration_folder).digest


def test_validate_refuses_a_posterior_that_is_not_there(tmp_path: Path):
    assert_user_error(
        ["validate", "--posterior", str(tmp_path / "nothing.parquet"), "--quiet"],
        "nothing.parquet: --posterior: expected posterior.parquet",
        tmp_path,
    )


def test_calibrate_refuses_a_folder_that_holds_results(calibration_folder: Path, tmp_path: Path):
    assert_user_error(
        ["calibrate", *TINY_CALIBRATION, "--out", str(calibration_folder)],
        "already holds the results",
        tmp_path,
    )


@pytest.mark.slow
def test_the_calibration_page_renders_in_headless_chromium(calibration_folder: Path, tmp_path):
    screenshot = tmp_path / "calibration.png"
    dom, log = render(calibration_folder / "calibration.html", screenshot)
    figures = len(list((calibration_folder / "figures").glob("*.png")))
    assert figures == 3 and f'data-figures-shown="{figures}"' in dom, "every figure shown"
    assert 'data-fits-width="true"' in dom, "nothing wider than a 1280-pixel window"
    assert dom.count("<table>") >= 4 and "<h2>Posterior (90% credible intervals)</h2>" in dom
    assert "CONSOLE" not in log, re.findall(r"CONSOLE.*", log)
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one
