"""Which code wrote a result: the commit from a checkout, or stamped into a built package
(sim.outputs.provenance, setup.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim.outputs.provenance import STAMP, checkout_record, code_version, web_address

ROOT = Path(__file__).resolve().parents[2]
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(folder: Path, *arguments: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git repository with one commit and an ``origin``."""
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q")
    (root / "a.txt").write_text("one\n")
    git(root, "add", "a.txt")
    git(root, "commit", "-qm", "first")
    git(root, "remote", "add", "origin", "git@github.com:someone/aggsim.git")
    return root


@needs_git
def test_a_checkout_gives_its_commit_date_state_and_web_address(checkout: Path):
    record = checkout_record(checkout)
    assert record is not None
    assert record["commit"] == git(checkout, "rev-parse", "HEAD") and len(record["commit"]) == 40
    assert record["date"] == git(checkout, "show", "-s", "--format=%cs", "HEAD")
    assert record["dirty"] is False
    assert record["repository"] == "https://github.com/someone/aggsim"
    (checkout / "a.txt").write_text("two\n")
    assert checkout_record(checkout)["dirty"] is True


@needs_git
def test_a_folder_inside_someone_elses_repository_is_not_a_checkout_of_aggsim(checkout: Path):
    # An aggsim installed in a virtual environment inside a user's project must not cite the
    # project's commit as its own.
    inside = checkout / ".venv" / "lib" / "site-packages"
    inside.mkdir(parents=True)
    assert checkout_record(inside) is None
    assert checkout_record(checkout.parent) is None


def test_only_addresses_a_reader_can_open_are_cited():
    assert (
        web_address("https://user:secret@gitlab.com/g/aggsim.git") == "https://gitlab.com/g/aggsim"
    )
    assert web_address("/srv/git/aggsim") is None
    assert web_address(None) is None


def test_a_stamped_package_cites_the_stamp(tmp_path: Path):
    package = tmp_path / "site" / "sim"
    shutil.copytree(ROOT / "sim", package, ignore=shutil.ignore_patterns("__pycache__"))
    stamp = {"commit": "c" * 40, "dirty": False, "date": "2026-01-02", "repository": None}
    (package / STAMP).write_text(json.dumps(stamp))
    found = subprocess.run(
        [sys.executable, "-c", "from sim.outputs.provenance import code_version as c; print(c())"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(package.parent)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == repr(stamp)


@needs_git
def test_this_checkout_cites_its_own_commit():
    if checkout_record(ROOT) is None:
        pytest.skip("not run from a git checkout of aggsim")
    assert code_version()["commit"] == git(ROOT, "rev-parse", "HEAD")


@pytest.mark.slow
@needs_git
def test_an_aggsim_built_from_a_checkout_and_run_elsewhere_cites_its_commit(tmp_path: Path):
    """What ``pip install .`` does: build the package from a clone, then use it away from any git
    history; its manifest and its citation carry the clone's commit."""
    if checkout_record(ROOT) is None:
        pytest.skip("not run from a git checkout of aggsim")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(ROOT), str(clone))
    commit = git(clone, "rev-parse", "HEAD")
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(wheels), str(clone)],
        check=True,
        capture_output=True,
    )
    installed = tmp_path / "installed"
    (wheel,) = wheels.glob("aggsim-*.whl")
    subprocess.run([sys.executable, "-m", "zipfile", "-e", str(wheel), str(installed)], check=True)
    assert json.loads((installed / "sim" / STAMP).read_text())["commit"] == commit
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed)}
    run = [sys.executable, "-m", "sim.cli", "run", "--reps", "1", "--workers", "1", "--quiet"]
    run += ["--set", "run.days=2", "--set", "run.warmup_days=0", "--out", "r"]
    subprocess.run(run, cwd=elsewhere, env=env, check=True, capture_output=True)
    manifest = json.loads((elsewhere / "r" / "manifest.json").read_text())
    assert manifest["code"]["commit"] == commit
    described = subprocess.run(
        [sys.executable, "-m", "sim.cli", "describe", "--run", "r"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert f"commit {commit[:7]}" in described.stdout
