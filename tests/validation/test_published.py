"""The validation the documentation shows (sim.validation.published): rows merged from a
validation folder of the baseline, rendered into the guide when the site is built."""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main as aggsim
from sim.validation.fingerprint import code_fingerprint
from sim.validation.patterns import pattern_keys
from sim.validation.published import (
    FILE,
    FINGERPRINT_FILE,
    main,
    merged,
    merged_fingerprint,
    published_fingerprint,
)
from sim.validation.report import tables_markdown

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs"))
from hooks import cached_tables  # noqa: E402

PUBLISHED = pd.read_csv(ROOT / FILE)


def validate(folder: Path, *args: str) -> Path:
    """``aggsim validate`` of the exact pattern ``justice_order`` (no simulation) into folder."""
    argv = ["validate", "--pattern", "justice_order", "--executor", "inprocess", "--quiet"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert aggsim([*argv, *args, "--out", str(folder)]) == 0
    return folder


def test_the_published_rows_are_the_catalogue_in_order():
    assert tuple(PUBLISHED.key) == pattern_keys()


def test_a_pattern_run_alone_gives_its_row_of_the_full_run(tmp_path):
    """The guide can be refreshed pattern by pattern: a pattern's row does not depend on the
    others run with it."""
    rows = pd.read_csv(validate(tmp_path / "one") / "validation.csv")
    pd.testing.assert_frame_equal(
        rows.reset_index(drop=True),
        PUBLISHED[PUBLISHED.key == "justice_order"].reset_index(drop=True),
        check_dtype=False,  # a lone row's empty text reads as a float column
    )


def test_merging_replaces_the_rows_of_the_patterns_run_and_keeps_the_catalogue_order():
    fresh = PUBLISHED[PUBLISHED.key.isin(["P2", "justice_order"])].assign(estimate=-1.0)
    gone = PUBLISHED.iloc[:1].assign(key="a_pattern_taken_out")
    result = merged(pd.concat([gone, PUBLISHED]), fresh)
    assert tuple(result.key) == pattern_keys()
    assert set(result[result.estimate == -1.0].key) == {"P2", "justice_order"}
    untouched = result[~result.key.isin(["P2", "justice_order"])].reset_index(drop=True)
    expected = PUBLISHED[~PUBLISHED.key.isin(["P2", "justice_order"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(untouched, expected)


def test_the_command_merges_a_baseline_folder_into_the_file(tmp_path, capsys):
    into = tmp_path / "published.csv"
    shutil.copy(ROOT / FINGERPRINT_FILE, into.with_suffix(".json"))
    changed = PUBLISHED.assign(estimate=PUBLISHED.estimate.where(PUBLISHED.key != "justice_order"))
    changed.to_csv(into, index=False)
    assert main([str(validate(tmp_path / "v")), "--into", str(into)]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(into), PUBLISHED)
    out = capsys.readouterr().out
    assert "1 row(s)" in out and "different versions" not in out
    # rows of this code joined to rows of this code: the fingerprint stays known
    assert published_fingerprint(into) == published_fingerprint(ROOT / FILE)


def test_rows_of_other_code_joined_to_the_file_leave_no_fingerprint(tmp_path, capsys):
    into = tmp_path / "published.csv"
    PUBLISHED.to_csv(into, index=False)
    into.with_suffix(".json").write_text('{"code_fingerprint": "an older version"}\n')
    assert main([str(validate(tmp_path / "v")), "--into", str(into)]) == 0
    assert published_fingerprint(into) is None
    assert "different versions of the code" in capsys.readouterr().out


def test_a_merge_knows_its_fingerprint_when_every_row_comes_from_the_same_code():
    this = code_fingerprint()
    one = PUBLISHED[PUBLISHED.key == "P2"]
    assert merged_fingerprint(PUBLISHED, "older", PUBLISHED, this) == this  # a full run
    assert merged_fingerprint(PUBLISHED, this, one, this) == this  # same code, one pattern
    assert merged_fingerprint(PUBLISHED, "older", one, this) is None
    assert merged_fingerprint(PUBLISHED.iloc[:0], None, one, this) is None
    assert merged_fingerprint(PUBLISHED, this, one, None) is None  # a folder of unknown code


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--set", "aggregator.intermediation=0.9"), "scenario: expected the built-in baseline"),
        (("--reps", "2"), "replications: expected the default, 4"),
    ],
)
def test_a_folder_that_is_not_the_baseline_at_its_defaults_is_refused(
    tmp_path, capsys, args, problem
):
    into = tmp_path / "published.csv"
    shutil.copy(ROOT / FILE, into)
    assert main([str(validate(tmp_path / "v", *args)), "--into", str(into)]) == 2
    err = capsys.readouterr().err
    assert problem in err and len(err.strip().splitlines()) == 1
    pd.testing.assert_frame_equal(pd.read_csv(into), PUBLISHED)  # nothing written


def test_the_guide_renders_the_published_rows_where_its_marker_stands():
    guide = (ROOT / "docs" / "guide" / "validation.md").read_text(encoding="utf-8")
    assert f"<!-- tables of {FILE.as_posix()} -->" in guide
    page = cached_tables(guide)
    assert tables_markdown(PUBLISHED) in page and "<!-- tables of" not in page
    assert all(f"| {key}" in page for key in pattern_keys())
