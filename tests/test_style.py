"""The code keeps its style: ruff's lint and format and mypy's types pass, and the version is
written in one place (its citation file checked against it)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff comes with the [test] extra")
@pytest.mark.parametrize("check", [["check", "."], ["format", "--check", "."]])
def test_ruff_passes(check):
    done = run("ruff", *check)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_mypy_passes():
    pytest.importorskip("mypy")
    done = run(sys.executable, "-m", "mypy")  # files and options from pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_version_is_written_once_and_cited_as_it_is():
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^version: (\S+)$", citation, re.M)[1] == sim.__version__
    assert 'dynamic = ["version"]' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert (ROOT / "sim" / "py.typed").exists()
