"""From the classroom to research: platforms A and B as scenario files and as results folders.

Each platform becomes a scenario file that sets only what differs from the built-in baseline
(whose values ``scenarios/baseline.toml`` lists). The file names no parent (``extends``): its
parent is the built-in baseline, so it checks and runs wherever it is saved — a download in any
folder, a results folder moved or sent away. And each platform becomes a results folder written
as ``aggsim run FILE --reps 1 --trace`` writes it: the whole horizon of the run the page shows,
which is replication 0 of that file (MODEL.md 7.4).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sim import __version__
from sim.experiments.runs import run_timed
from sim.outputs.folder import make_folder
from sim.outputs.results import default_run_folder, write_run_folder, write_text
from sim.scenario import Scenario, parameter_index
from sim.scenario.files import load_scenario, toml_value
from sim.teaching.app.classroom import PLATFORMS, Classroom


def differences(scenario: Scenario) -> dict[str, object]:
    """The parameters of ``scenario`` that differ from the built-in baseline, by dotted key."""
    defaults = Scenario()
    return {
        key: scenario.value(key)
        for key in parameter_index()
        if scenario.value(key) != defaults.value(key)
    }


def scenario_file_text(scenario: Scenario, note: str) -> str:
    """A scenario file for ``scenario``: its differences from the built-in baseline, grouped by
    section; it loads back to ``scenario`` wherever it is saved."""
    lines = [
        f"# {note}",
        f"# Written by aggsim {__version__} app on {datetime.now(UTC):%Y-%m-%d}.",
        "# What is not set here is the built-in baseline's (listed in scenarios/baseline.toml).",
    ]
    sections: dict[str, list[str]] = {}
    for key, value in differences(scenario).items():
        section, _, name = key.rpartition(".")
        if not section:
            lines.append(f"{key} = {toml_value(value)}")
        else:
            sections.setdefault(section, []).append(f"{name} = {toml_value(value)}")
    for section, rows in sections.items():
        lines.extend(["", f"[{section}]", *rows])
    return "\n".join(lines) + "\n"


def export(classroom: Classroom, root: Path) -> Path:
    """Write ``A.toml``, ``B.toml`` and the results folders ``A/`` and ``B/`` into a new folder
    under ``root`` (``root/classroom/<time>``), and return it."""
    folder = default_run_folder("classroom", root)
    make_folder(folder, "results folder")
    for name in PLATFORMS:
        scenario = classroom.scenario(name)
        file = folder / f"{name}.toml"
        note = f"Platform {name} of a classroom run: aggsim run {file.name} --reps 1 --trace"
        write_text(file, scenario_file_text(scenario, note))
        loaded = load_scenario(file)
        if loaded != scenario:  # the file must say everything the page ran
            raise RuntimeError(f"{file} does not load back to platform {name}'s scenario")
        started = datetime.now(UTC)
        runs = [run_timed(scenario, 0, trace=True)]
        extra = {"scenario_file": str(file), "overrides": [], "source": "aggsim app"}
        write_run_folder(folder / name, scenario, runs, trace=True, started=started, extra=extra)
    return folder
