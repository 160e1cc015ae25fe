"""A classroom's platforms become scenario files and results folders that ``aggsim run``
reproduces (sim.teaching.app.export)."""

from __future__ import annotations

import pandas as pd

from sim.cli import main
from sim.scenario import Scenario
from sim.scenario.files import load_scenario
from sim.teaching.app.classroom import Classroom
from sim.teaching.app.export import differences, export, scenario_file_text
from sim.teaching.demo import demo_scenario


def test_the_files_load_back_and_aggsim_run_gives_the_exported_results(tmp_path, capsys):
    classroom = Classroom(demo_scenario())
    classroom.set_lever("B", "aggregator.intermediation", 0.9)
    classroom.set_lever("B", "recovery.policy", "none")
    folder = export(classroom, tmp_path)
    for name in ("A", "B"):
        assert load_scenario(folder / f"{name}.toml") == classroom.scenario(name)
        assert (folder / name / "manifest.json").is_file()
    text = (folder / "B.toml").read_text()
    assert "extends" not in text and "intermediation = 0.9" in text
    assert (
        main(
            [
                "run",
                str(folder / "B.toml"),
                "--reps",
                "1",
                "--trace",
                "--quiet",
                "--executor",
                "inprocess",
                "--out",
                str(tmp_path / "again"),
            ]
        )
        == 0
    )
    for table in ("replications.csv", "episodes.parquet"):
        read = pd.read_csv if table.endswith("csv") else pd.read_parquet
        assert read(tmp_path / "again" / table).equals(read(folder / "B" / table))


def test_differences_are_only_what_differs_from_the_baseline():
    assert differences(Scenario()) == {}
    changed = Scenario().with_values(**{"surge.enabled": True})
    assert differences(changed) == {"surge.enabled": True}


def test_a_downloaded_file_saved_anywhere_checks_and_runs(tmp_path, monkeypatch, capsys):
    # What "Download B.toml" gives, saved to an unrelated folder (a Downloads folder), with the
    # working folder elsewhere again: it must not point at the app's results folder or checkout.
    classroom = Classroom(demo_scenario())
    classroom.set_lever("B", "aggregator.intermediation", 0.2)
    text = scenario_file_text(classroom.scenario("B"), "platform B")
    downloads = tmp_path / "home" / "someone" / "Downloads"
    downloads.mkdir(parents=True)
    (downloads / "B.toml").write_text(text)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["check", str(downloads / "B.toml")]) == 0
    assert load_scenario(downloads / "B.toml") == classroom.scenario("B")
    run = ["run", str(downloads / "B.toml"), "--reps", "1", "--quiet", "--executor", "inprocess"]
    assert main([*run, "--set", "run.days=2", "--out", str(tmp_path / "r")]) == 0
