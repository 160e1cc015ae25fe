"""aggsim new: a scenario file to start a study from, every parameter commented and explained
(sim.scenario.template, sim.cli.new)."""

from __future__ import annotations

import re

from sim.cli import main
from sim.scenario import Scenario, parameter_index
from sim.scenario.files import load_scenario, load_study
from tests.conftest import assert_user_error


def test_the_new_file_checks_as_written_and_is_the_baseline_under_its_name(tmp_path, capsys):
    out = tmp_path / "mine.toml"
    assert main(["new", "mine", "--out", str(out)]) == 0
    assert main(["check", str(out)]) == 0
    assert load_scenario(out) == Scenario().with_values(
        name="mine", description=load_scenario(out).description
    )
    text = out.read_text()
    for key in parameter_index():
        if "." in key:
            assert f"\n# {key.rsplit('.', 1)[1]} = " in text, key


def test_every_commented_line_uncommented_gives_the_defaults_it_shows(tmp_path):
    """Each line shows the true default in valid TOML: uncommenting all of them changes nothing."""
    out = tmp_path / "all.toml"
    assert main(["new", "all", "--out", str(out)]) == 0
    uncommented = re.sub(r"(?m)^# (\w+ = )", r"\1", out.read_text())
    assert uncommented.count("\n## ") > 100, "the meanings stay comments"
    out.write_text(uncommented)
    assert load_scenario(out).with_values(description=Scenario().description) == (
        Scenario().with_values(name="all")
    )


def test_a_sweep_study_has_a_sweep_table_that_runs(tmp_path):
    out = tmp_path / "study.toml"
    assert main(["new", "study", "--sweep", "--out", str(out)]) == 0
    _, sweep = load_study(out, [])
    assert sweep is not None and "aggregator.intermediation" in sweep["vary"]


def test_an_existing_file_or_a_bad_name_is_refused_in_one_line(tmp_path):
    out = tmp_path / "taken.toml"
    out.write_text("keep me\n")
    assert_user_error(
        ["new", "taken", "--out", str(out)], "exists; give another file, or --force", tmp_path
    )
    assert out.read_text() == "keep me\n"
    assert_user_error(["new", "../up"], "expected a single folder name", tmp_path)
    assert_user_error(["new", "x", "--out", str(tmp_path / "x.txt")], ".toml", tmp_path)
    assert main(["new", "taken", "--out", str(out), "--force"]) == 0
    assert "keep me" not in out.read_text()
