"""Commands shown in the README and on the documentation site, found and run as a user would run
them: in one workspace with the project's ``scenarios/`` and ``bench/`` at hand."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: A fenced console block: its attributes (``exec="1" source="console"``) and its lines.
CONSOLE_BLOCK = re.compile(r"```console([^\n]*)\n(.*?)```", re.S)


def console_blocks(text: str) -> list[tuple[bool, list[str]]]:
    """Every console block of a Markdown text: whether the site's build executes it, and its
    commands (the lines after ``$ ``)."""
    blocks = []
    for attributes, body in CONSOLE_BLOCK.findall(text):
        commands = [
            line.strip()[2:].strip() for line in body.splitlines() if line.strip().startswith("$ ")
        ]
        blocks.append(('exec="1"' in attributes, commands))
    return blocks


def workspace(folder: Path) -> Path:
    """A folder to run commands in, with the project's scenarios and benchmarks."""
    (folder / "scenarios").symlink_to(ROOT / "scenarios")
    (folder / "bench").symlink_to(ROOT / "bench")
    return folder


def runnable(command: str) -> str:
    """The command as the tests run it: the install step of the set-up commands is what CI itself
    does, so only the part after ``&&`` runs."""
    if "pip install" in command:
        return command.split("&&", 1)[1].strip()
    return command


def run_as_user(command: str, folder: Path) -> None:
    """Run ``command`` in ``folder`` with this checkout's aggsim; it must succeed and print.
    ``aggsim app`` serves until stopped: it must say where, then stop on Ctrl-C."""
    argv = shlex.split(runnable(command))
    if argv[0] == "aggsim":
        argv = [sys.executable, "-m", "sim.cli", *argv[1:]]
    elif argv[0] == "python":
        argv = [sys.executable, *argv[1:]]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if argv[3:4] == ["app"]:
        _serves_then_stops(argv, folder, env)
        return
    done = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def _serves_then_stops(argv: list[str], folder: Path, env: dict[str, str]) -> None:
    app = subprocess.Popen(
        argv, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert app.stdout is not None
    starting = app.stdout.readline()
    assert "starting" in starting, "it says it is starting before Panel loads"
    first = app.stdout.readline()
    assert "serving at http://localhost:" in first, app.stderr.read() if app.stderr else ""
    app.send_signal(signal.SIGINT)
    out, err = app.communicate(timeout=60)
    assert app.returncode == 0, err
    assert "stopped" in out
