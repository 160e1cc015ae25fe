"""The fingerprint of the code a validation's rows depend on (sim.validation.fingerprint)."""

import shutil
from pathlib import Path

import pytest

from sim.validation.fingerprint import PACKAGE, code_fingerprint


@pytest.fixture
def package(tmp_path) -> Path:
    """A copy of the installed ``sim`` package to change."""
    copy = tmp_path / "sim"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copy_has_the_fingerprint_of_the_original(package):
    assert code_fingerprint(package) == code_fingerprint()


def test_a_change_of_what_runs_in_the_model_changes_it(package):
    edit(package / "model" / "satisfaction.py", "1.0 - satisfaction", "1.01 - satisfaction")
    assert code_fingerprint(package) != code_fingerprint()


def test_a_change_of_a_default_or_of_the_catalogue_changes_it(package):
    before = code_fingerprint(package)
    edit(package / "validation" / "__init__.py", "REPLICATIONS = 4", "REPLICATIONS = 5")
    assert code_fingerprint(package) != before


def test_docstrings_comments_and_the_layers_above_leave_it_as_it_is(package):
    edit(
        package / "model" / "satisfaction.py",
        '"""A successful order nudges satisfaction towards 1',
        '"""A successful order always nudges satisfaction towards 1',
    )
    (package / "model" / "world.py").write_text(
        "# a comment\n" + (package / "model" / "world.py").read_text(encoding="utf-8")
    )
    (package / "cli" / "run.py").write_text("X = 1\n")  # the command line is above
    assert code_fingerprint(package) == code_fingerprint()
