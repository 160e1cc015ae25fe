"""One output file (sim.outputs.output_file): every command that writes a single file refuses a
target it was not given to write — a FIFO, a socket, a symbolic link, a folder, its own input, a
result of a results folder, an existing file without --force — and replaces nothing."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import stat
from pathlib import Path

import pytest

from sim.cli import main
from tests.commands import ROOT
from tests.conftest import assert_user_error

TINY = [
    *("--set", "run.days=3", "--set", "customers.count=200", "--set", "providers.count=3"),
    *("--set", "run.warmup_days=0", "--quiet"),
]
STUDY = ROOT / "scenarios" / "studies" / "intermediation_by_cause.toml"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """A finished run and a vignette study (its data and codebook), and copies of the inputs."""
    base = tmp_path_factory.mktemp("inputs")
    run, study = base / "run", base / "study"
    assert main(["run", "--reps", "2", "--out", str(run), *TINY]) == 0
    assert main(["vignette", str(STUDY), "--out", str(study)]) == 0
    return {"run": run, "study": study}


def commands(made: dict[str, Path], folder: Path) -> dict[str, tuple[list[str], Path | None]]:
    """Each command that writes one file: its arguments before ``--out``, and its own input file
    (None when its input is a folder, covered by the results-folder rule)."""
    scenario = folder / "mine.toml"
    shutil.copyfile(ROOT / "scenarios" / "baseline.toml", scenario)
    design = folder / "design.toml"
    shutil.copyfile(STUDY, design)
    data = made["study"] / "respondents.csv"
    return {
        "describe": (["describe", str(scenario), "--format", "md"], scenario),
        "report": (["report", str(made["run"])], None),
        "plot": (["plot", str(made["run"]), "--format", "png"], None),
        "fit": (["fit", str(data), "--codebook", str(design)], design),
        "new": (["new", "fresh"], None),
    }


#: The extension of each command's file (so that the refusal is not the extension's).
SUFFIX = {"describe": ".md", "report": ".html", "plot": ".png", "fit": ".toml", "new": ".toml"}
#: A result of the run each command could name (describe's .md: none; its refusal is by extension).
RESULT = {"plot": "figures/failures_by_cause.png", "fit": "scenario.toml", "new": "scenario.toml"}


def hostile_target(
    kind: str, folder: Path, made: dict[str, Path], own: Path | None, command: str
) -> Path:
    """A path that must not be replaced, made in ``folder``."""
    suffix = SUFFIX[command]
    if kind == "fifo":
        os.mkfifo(target := folder / f"pipe{suffix}")
    elif kind == "socket":
        target = folder / f"sock{suffix}"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    elif kind == "symlink":
        (folder / "real.txt").write_text("mine\n")
        (target := folder / f"link{suffix}").symlink_to(folder / "real.txt")
    elif kind == "folder":
        (target := folder / f"place{suffix}").mkdir()
        (target / "inside.txt").write_text("mine\n")
    elif kind == "own input":
        assert own is not None
        target = own
    elif kind == "a run's result":
        target = made["run"] / RESULT.get(command, "summary.csv")
    else:  # "an existing file"
        (target := folder / f"existing{suffix}").write_text("mine\n")
    return target


def snapshot(path: Path) -> tuple:
    status = path.lstat()
    content = path.read_bytes() if stat.S_ISREG(status.st_mode) else b""
    listing = (
        sorted(p.name for p in path.iterdir()) if path.is_dir() and not path.is_symlink() else []
    )
    return stat.S_IFMT(status.st_mode), status.st_ino, content, listing


KINDS = ["fifo", "socket", "symlink", "folder", "own input", "a run's result", "an existing file"]


#: Commands whose input is a results folder (covered by "a run's result") or none.
NO_INPUT_FILE = ("report", "plot", "new")
CASES = [
    (command, kind)
    for command in ("describe", "report", "plot", "fit", "new")
    for kind in KINDS
    if not (kind == "own input" and command in NO_INPUT_FILE)
]


@pytest.mark.parametrize(("command", "kind"), CASES)
def test_no_command_replaces_what_it_was_not_given_to_write(command, kind, made, tmp_path):
    args, own = commands(made, tmp_path)[command]
    target = hostile_target(kind, tmp_path, made, own, command)
    before = snapshot(target)
    run_before = sorted(p.name for p in made["run"].rglob("*"))
    assert_user_error([*args, "--out", str(target)], str(target), tmp_path)
    assert snapshot(target) == before
    assert sorted(p.name for p in made["run"].rglob("*")) == run_before


@pytest.mark.parametrize("command", ["describe", "report", "plot", "new"])
def test_force_replaces_an_existing_regular_file_and_only_that(command, made, tmp_path):
    args, _ = commands(made, tmp_path)[command]
    suffix = {"describe": ".md", "report": ".html", "plot": ".png", "new": ".toml"}[command]
    target = tmp_path / f"existing{suffix}"
    target.write_text("mine\n")
    assert_user_error([*args, "--out", str(target)], "--force", tmp_path)
    assert target.read_text() == "mine\n"
    assert main([*args, "--out", str(target), "--force"]) == 0
    assert target.read_text(errors="replace") != "mine\n"
    os.mkfifo(pipe := tmp_path / f"pipe{suffix}")
    assert_user_error([*args, "--out", str(pipe), "--force"], "FIFO", tmp_path)
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_a_new_file_beside_a_finished_runs_results_keeps_its_manifest_true(made, tmp_path):
    """``aggsim report RUN`` writes RUN/report.html, which no manifest lists; the results it
    lists are never written, and a second report needs --force."""
    run = shutil.copytree(made["run"], tmp_path / "run")
    manifest = (run / "manifest.json").read_bytes()
    listed = {name: (run / name).read_bytes() for name in json.loads(manifest)["files"]}
    assert main(["report", str(run)]) == 0
    assert (run / "report.html").is_file()
    assert_user_error(["report", str(run)], "--force", tmp_path)
    assert main(["report", str(run), "--force"]) == 0
    assert not (run / ".aggsim.lock").exists(), "the folder's lock is released"
    assert (run / "manifest.json").read_bytes() == manifest
    assert all((run / name).read_bytes() == content for name, content in listed.items())
    for name in ("manifest.json", "scenario.toml", "figures/failures_by_cause.png"):
        assert_user_error(["report", str(run), "--out", str(run / name), "--force"], name, tmp_path)


def test_a_file_of_a_folder_in_use_is_refused_while_its_command_runs(made, tmp_path):
    run = shutil.copytree(made["run"], tmp_path / "run")
    (run / ".aggsim.lock").write_text("pid 1 (aggsim sweep)")
    holder = os.open(run / ".aggsim.lock", os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        assert_user_error(["report", str(run)], "in use", tmp_path)
        assert not (run / "report.html").exists()
    finally:
        os.close(holder)


def test_describe_and_plot_take_their_format_from_the_extension_and_refuse_others(made, tmp_path):
    assert_user_error(["describe", "--out", str(tmp_path / "x.pdf")], ".md", tmp_path)
    assert not (tmp_path / "x.pdf").exists()
    assert_user_error(
        ["plot", str(made["run"]), "--format", "png", "--out", str(tmp_path / "x.pdf")],
        "not --format png",
        tmp_path,
    )
    assert main(["plot", str(made["run"]), "--out", str(tmp_path / "x.svg")]) == 0
    assert (tmp_path / "x.svg").read_text().lstrip().startswith("<?xml")


def test_another_programs_manifest_does_not_make_a_results_folder(tmp_path):
    """A web project's manifest.json is not aggsim's: a file written beside it is just a file."""
    (tmp_path / "manifest.json").write_text('{"name": "a web app", "files": ["odd.md"]}')
    assert main(["describe", "--out", str(tmp_path / "odd.md")]) == 0
    assert (tmp_path / "odd.md").read_text(encoding="utf-8").startswith("# ODD protocol")
    assert not (tmp_path / ".aggsim.lock").exists()
