"""Every command and Python example in the README runs, in order, in one workspace, as a user
would run them one after the other (with the project's ``scenarios/`` at hand)."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.validation.test_runner import README_COMMAND as VALIDATION_COMMAND

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

CONSOLE_COMMANDS = [
    line.strip()[2:].strip()
    for block in re.findall(r"```console\n(.*?)```", README, re.S)
    for line in block.splitlines()
    if line.strip().startswith("$ ")
]
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)

#: Running the README as a user would takes the better part of a minute.
pytestmark = pytest.mark.slow


#: Commands another test runs exactly as shown, and checks more closely than that they run.
RUN_ELSEWHERE = {VALIDATION_COMMAND: "tests/validation/test_runner.py (its verdicts)"}


def test_commands_run_elsewhere_are_in_the_readme():
    assert set(RUN_ELSEWHERE) <= set(CONSOLE_COMMANDS)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    (folder / "scenarios").symlink_to(ROOT / "scenarios")
    (folder / "bench").symlink_to(ROOT / "bench")
    return folder


def runnable(command: str) -> str:
    """The command as this test runs it: the install step of the set-up commands is what CI
    itself does, so only the part after ``&&`` runs here."""
    if "pip install" in command:
        return command.split("&&", 1)[1].strip()
    return command


def test_install_hints_work_from_a_checkout():
    """aggsim is installed from its source, not from a package index: no `aggsim[...]`."""
    assert "install 'aggsim[" not in README and "install aggsim[" not in README


def test_the_readme_shows_commands_and_examples():
    assert any(c.endswith("aggsim run") for c in CONSOLE_COMMANDS)
    assert any("pytest" in c for c in CONSOLE_COMMANDS)
    assert PYTHON_BLOCKS


@pytest.mark.parametrize("command", CONSOLE_COMMANDS)
def test_console_command_runs(command, workspace):
    command = runnable(command)
    if "pytest" in command:
        pytest.skip("the test command is this very run")
    if command in RUN_ELSEWHERE:
        pytest.skip(f"run, as shown, by {RUN_ELSEWHERE[command]}, which checks its results")
    argv = shlex.split(command)
    if argv[0] == "aggsim":
        argv = [sys.executable, "-m", "sim.cli", *argv[1:]]
    elif argv[0] == "python":
        argv = [sys.executable, *argv[1:]]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if argv[3:4] == ["app"]:
        serves_then_stops(argv, workspace, env)
        return
    done = subprocess.run(argv, cwd=workspace, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def serves_then_stops(argv: list[str], workspace: Path, env: dict[str, str]) -> None:
    """``aggsim app`` serves until stopped: it must say where it serves, then stop on Ctrl-C."""
    app = subprocess.Popen(
        argv, cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert app.stdout is not None
    first = app.stdout.readline()
    assert "serving at http://localhost:" in first, app.stderr.read() if app.stderr else ""
    app.send_signal(signal.SIGINT)
    out, err = app.communicate(timeout=60)
    assert app.returncode == 0, err
    assert "stopped" in out


@pytest.mark.parametrize("block", PYTHON_BLOCKS)
def test_python_example_runs(block, workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    exec(compile(block, "README.md", "exec"), {})
