"""A classroom's platforms become scenario files and results folders that ``aggsim run``
reproduces (sim.teaching.app.export)."""

from __future__ import annotations

import pandas as pd

from sim.cli import main
from sim.scenario import Scenario
from sim.scenario.files import load_scenario
from sim.teaching.app.classroom import Classroom
from sim.teaching.app.export import differences, export
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
    assert "extends = " in text and "intermediation = 0.9" in text
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
