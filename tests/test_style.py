"""The code keeps its style: ruff's lint and format and mypy's types pass, no function or module
grows past the lengths that keep one concept each, and the version is written in one place (its
citation file checked against it)."""

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


#: The longest function and module the code keeps (docs/guide/contributing.md): a function
#: longer than a screen holds a subsystem, a module longer than this several concepts.
MOST_FUNCTION_LINES = 80
MOST_MODULE_LINES = 600


def too_long(source: str, name: str) -> list[str]:
    """What in one module's ``source`` is longer than the limits."""
    import ast

    found = []
    if len(source.splitlines()) > MOST_MODULE_LINES:
        found.append(f"{name}: {len(source.splitlines())} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MOST_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    return found


def test_no_function_or_module_holds_a_subsystem():
    found = [
        problem
        for path in sorted((ROOT / "sim").rglob("*.py"))
        for problem in too_long(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == []


def test_a_long_function_or_module_is_found():
    body = "".join(f"    x{i} = {i}\n" for i in range(MOST_FUNCTION_LINES))
    assert too_long(f"def f():\n{body}", "f.py") == ["f.py:1 f: 81 lines"]
    assert too_long("x = 1\n" * (MOST_MODULE_LINES + 1), "m.py") == ["m.py: 601 lines"]
    assert too_long(f"def f():\n{body[: body.rindex('    x')]}", "f.py") == []
