"""Every command and Python example in the README runs, in order, in one workspace, as a user
would run them one after the other (with the project's ``scenarios/`` at hand); the README stays
what a newcomer reads in five minutes."""

from __future__ import annotations

import re

import pytest

from tests.commands import ROOT, console_blocks, run_as_user, workspace

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONSOLE_COMMANDS = [c for _, commands in console_blocks(README) for c in commands]
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def test_the_readme_is_short():
    assert len(README.splitlines()) < 200


def test_install_hints_work_from_a_checkout():
    """aggsim is installed from its source, not from a package index: no `aggsim[...]`."""
    assert "install 'aggsim[" not in README and "install aggsim[" not in README


def test_the_readme_shows_commands_and_examples():
    assert any(c.endswith("aggsim run") for c in CONSOLE_COMMANDS)
    assert any("pytest" in c for c in CONSOLE_COMMANDS)
    assert PYTHON_BLOCKS


def test_ci_runs_the_readmes_test_command():
    test_command = next(c for c in CONSOLE_COMMANDS if "pytest" in c)
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("\n" + test_command)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return workspace(tmp_path_factory.mktemp("readme"))


@pytest.mark.slow
@pytest.mark.parametrize("command", CONSOLE_COMMANDS)
def test_console_command_runs(command, folder):
    if "pytest" in command:
        pytest.skip("the test command is this very run")
    run_as_user(command, folder)


@pytest.mark.slow
@pytest.mark.parametrize("block", PYTHON_BLOCKS)
def test_python_example_runs(block, folder, monkeypatch):
    monkeypatch.chdir(folder)
    exec(compile(block, "README.md", "exec"), {})
