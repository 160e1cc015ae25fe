"""The ODD document of a scenario (MODEL.md 16): the seven elements filled from the scenario,
every parameter and submodel, the changes marked, the run's experiment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli import main
from sim.describe.experiment import read_run
from sim.describe.odd import changed_keys, odd_document
from sim.describe.specification import section
from sim.describe.stress import ITEMS
from sim.describe.submodels import SUBMODELS
from sim.errors import UserError
from sim.model.streams import STREAM_NAMES
from sim.scenario import Scenario, parameter_index
from sim.scenario.files import load_scenario

ROOT = Path(__file__).resolve().parents[2]
B2B = ROOT / "scenarios" / "b2b_marketplace.toml"
ELEMENTS = (
    "1. Purpose and patterns",
    "2. Entities, state variables and scales",
    "3. Process overview and scheduling",
    "4. Design concepts",
    "5. Initialization",
    "6. Input data",
    "7. Submodels",
)
CODE = {"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": False}


@pytest.fixture(scope="module")
def b2b() -> tuple[Scenario, str]:
    scenario = load_scenario(B2B)
    return scenario, odd_document(scenario, source=str(B2B), code=CODE)


def headings(text: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", text, re.M)


def test_the_seven_elements_come_in_order(b2b):
    _, text = b2b
    found = [h for h in headings(text, 2) if h[:2] in {f"{i}." for i in range(1, 8)}]
    assert found == list(ELEMENTS)


def test_every_parameter_appears_with_this_scenarios_value(b2b):
    scenario, text = b2b
    for key in parameter_index():
        if key in ("name", "description"):
            continue
        assert f"| `{key}` |" in text, key
    assert "| `customers.count` | **600** (changed) | 4000 |" in text


def test_the_changed_parameters_are_named_first_and_only_they(b2b):
    scenario, text = b2b
    scenario_part = text.split("## 1. Purpose and patterns")[0]
    changed = changed_keys(scenario)
    assert "buying_centre.size_key_account" in changed and "run.seed" not in changed
    for key in parameter_index():
        assert (f"| `{key}` |" in scenario_part) == (key in changed), key


def test_every_submodel_in_use_is_quoted_with_its_equations(b2b):
    scenario, text = b2b
    for submodel in SUBMODELS:
        s = section(submodel.number)
        assert f"{s.title} ({s.number})" in text, s.number
        equations = re.findall(r"```\n(.*?)```", s.text, re.S)
        for block in equations:
            assert (block in text) == (submodel.switched_off(scenario) is None), s.number
    assert "R_A   = min(1, φ + total·share)" in text  # 5.4
    assert "Buying centres" in " ".join(headings(text, 3))


def test_a_switched_off_submodel_is_named_with_its_setting(b2b):
    _, text = b2b
    assert "Key-account management" in text.split("### Submodels this scenario does not use")[1]
    assert "`kam.share` = 0" in text


def test_the_random_number_design_names_seed_and_every_stream(b2b):
    scenario, text = b2b
    assert f"root seed {scenario.run.seed}" in text
    for name in STREAM_NAMES:
        assert f"`{name}`" in text


def test_the_stress_checklist_has_every_item(b2b):
    _, text = b2b
    checklist = text.split("## STRESS-DES checklist")[1]
    for item in ITEMS:
        assert f"| {item.number} {item.name} |" in checklist
    assert "describe --run FOLDER" in checklist  # no run: 1.3 and 5.4 say where to get them


def test_the_citation_names_version_and_commit(b2b):
    _, text = b2b
    cite = text.split("## How to cite")[1]
    assert "Version 0.1.0" in cite and CODE["commit"] in cite


def test_the_sources_are_cited_by_their_titles_not_by_the_projects_file_names(b2b):
    _, text = b2b
    # "seed 003" reads as a random seed; a file name and a course's wording are not citations.
    assert not re.search(r"seeds? `+\d{3}|\d{3}_[0-9a-f]{16}\.txt|lesson summary states", text)
    assert "The other seeds" not in text
    for title in ("*CRM in B2B Markets*", "*B2B marketing and customer relationships*"):
        assert title in text


def test_the_baseline_changes_nothing():
    text = odd_document(Scenario(), source="the built-in baseline", code=None)
    assert "Every parameter has aggsim's default value" in text
    assert "commit unknown" in text


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("describe") / "run"
    small = ["--set", "run.days=3", "--set", "run.warmup_days=0", "--set", "customers.count=300"]
    args = ["run", str(B2B), "--reps", "2", "--workers", "1", "--quiet", "--out", str(folder)]
    assert main([*args, *small]) == 0
    return folder


def test_a_run_adds_its_experiment_and_its_own_scenario(run_folder):
    run = read_run(run_folder)
    text = odd_document(run.scenario, source=f"run in {run_folder}", code=CODE, run=run)
    experiment = text.split("## The experiment")[1].split("## STRESS-DES")[0]
    assert "2 replication(s) with root seed 12345" in experiment
    assert "| customer churn" in experiment.lower() or "`customer_churn_rate`" in experiment
    assert re.search(r"\| \S+ \| \[\S+, \S+\] \| 2 \|", experiment)  # a mean with its CI
    assert "| `run.days` | **3** (changed) | 60 |" in text  # the run's scenario, not the file's
    checklist = text.split("## STRESS-DES checklist")[1]
    assert "describe --run FOLDER" not in checklist


def test_a_folder_that_is_not_a_run_is_refused(tmp_path):
    with pytest.raises(UserError, match="no manifest.json"):
        read_run(tmp_path)
    (tmp_path / "manifest.json").write_text('{"aggsim": "calibration"}')
    with pytest.raises(UserError, match="key 'aggsim' is 'calibration'"):
        read_run(tmp_path)
    (tmp_path / "manifest.json").write_text('{"aggsim": "sweep"}')
    with pytest.raises(UserError, match="incomplete results folder"):
        read_run(tmp_path)


SMALL = ["--set", "run.days=3", "--set", "run.warmup_days=0", "--set", "customers.count=300"]


def experiment_of(folder: Path) -> tuple[str, str]:
    """The ODD document of a results folder, and its experiment section."""
    run = read_run(folder)
    text = odd_document(run.scenario, source=f"run in {folder}", code=CODE, run=run)
    return text, text.split("## The experiment")[1].split("## STRESS-DES")[0]


@pytest.mark.slow
def test_a_sweep_is_described_with_its_design_and_its_points(tmp_path):
    vary = ["--vary", "aggregator.intermediation=0:1:3", "--vary", "surge.enabled=true,false"]
    argv = ["sweep", *vary, "--reps", "1", "--workers", "1", "--quiet", *SMALL]
    assert main([*argv, "--out", str(tmp_path / "s")]) == 0
    text, experiment = experiment_of(tmp_path / "s")
    assert "of `aggsim sweep`" in experiment and "grid, 6 points, 6 runs" in experiment
    assert "| `aggregator.intermediation` | 0, 0.5, 1 |" in experiment
    assert experiment.count("\n| 5 | ") == 1, "a row per point"
    assert "| `run.days` | **3** (changed) | 60 |" in text  # the sweep's base scenario


@pytest.mark.slow
def test_a_comparison_is_described_with_what_b_changes_and_the_paired_differences(tmp_path):
    low, high = (ROOT / "scenarios" / f"{k}_intermediation.toml" for k in ("low", "high"))
    argv = ["compare", str(low), str(high), "--reps", "2", "--workers", "1", "--quiet", *SMALL]
    assert main([*argv, "--out", str(tmp_path / "c")]) == 0
    text, experiment = experiment_of(tmp_path / "c")
    assert "# ODD protocol: low_intermediation" in text
    assert "`aggregator.intermediation` 0.1 → 0.95" in experiment and "`name`" not in experiment
    assert re.search(r"\| `mean_aggregator_responsibility` \| \S+ \| \S+ \| \+", experiment)


@pytest.mark.slow
def test_a_validation_is_described_with_its_verdicts(tmp_path):
    argv = ["validate", "--pattern", "P1", "--reps", "2", "--executor", "inprocess", "--quiet"]
    assert main([*argv, *SMALL, "--out", str(tmp_path / "v")]) == 0
    _, experiment = experiment_of(tmp_path / "v")
    assert "of `aggsim validate`" in experiment
    assert re.search(r"\| `P1` \| verification \| (holds|inconclusive) \|", experiment)
