"""A sweep's parts are trusted only once checked: ``--resume`` quarantines the parts that are not
this sweep's and runs their runs again, repairs its own files, and no manifest is written while a
planned run is missing; ``merge`` joins only shards that cover the design (issue 11: findings 1,
3, 5 and 8)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.errors import Fault
from sim.experiments.sweep import finalize
from sim.experiments.sweep.parts import SWEEP_KEY, missing_runs, part_files, run_id

SMALL = [
    *("--set", "run.days=3", "--set", "customers.count=300", "--set", "providers.count=3"),
    *("--set", "run.warmup_days=0", "--executor", "inprocess", "--quiet"),
]
GRID = ["--vary", "aggregator.intermediation=0:1:3", "--reps", "2"]
OTHER = ["--vary", "aggregator.intermediation=0:1:3", "--reps", "3"]


def sweep(out: Path, *args: str, grid: list[str] = GRID) -> int:
    return main(["sweep", *SMALL, *grid, "--out", str(out), *args])


def runs_of(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "runs.parquet").drop(columns="seconds")


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("parts") / "finished"
    assert sweep(folder) == 0
    return folder


@pytest.fixture(scope="module")
def foreign_part(tmp_path_factory) -> Path:
    """A valid part file of another sweep (3 replications instead of 2)."""
    folder = tmp_path_factory.mktemp("parts") / "other"
    assert sweep(folder, grid=OTHER) == 0
    return part_files(folder, "runs")[0]


def interrupted_copy(finished: Path, tmp_path: Path) -> Path:
    """The finished sweep as it was before its final tables: parts, design and definition."""
    folder = tmp_path / "sweep"
    shutil.copytree(finished, folder)
    for final in ("manifest.json", "runs.parquet", "runs.csv", "summary.csv", "errors.csv"):
        (folder / final).unlink()
    return folder


def rewrite_rows(part: Path, change) -> None:
    """Keep the part's sweep id but change its rows."""
    table = pq.read_table(part)
    frame = change(table.to_pandas())
    rewritten = table.from_pandas(frame, preserve_index=False)
    pq.write_table(rewritten.replace_schema_metadata(table.schema.metadata), part)


def beyond_the_replications(frame: pd.DataFrame) -> pd.DataFrame:
    frame["replication"] += 5
    frame["run_id"] = [run_id(p, r) for p, r in zip(frame.point, frame.replication, strict=True)]
    return frame


def mislabelled(frame: pd.DataFrame) -> pd.DataFrame:
    frame.loc[0, "run_id"] = run_id(2, 0)
    return frame


def damage(kind: str, part: Path, foreign: Path) -> None:
    if kind == "truncated":
        part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    elif kind == "emptied":
        part.write_bytes(b"")
    elif kind == "garbage":
        part.write_bytes(b"\x00garbage" * 100)
    elif kind == "another sweep's":
        shutil.copyfile(foreign, part)
    elif kind == "replications not of this sweep":
        rewrite_rows(part, beyond_the_replications)
    elif kind == "mislabelled rows":
        rewrite_rows(part, mislabelled)


REASONS = {
    "truncated": "unreadable",
    "emptied": "unreadable",
    "garbage": "unreadable",
    "another sweep's": "written by another sweep",
    "replications not of this sweep": "holds run p000000-r0005, beyond the replications",
    "mislabelled rows": "holds run p000002-r0000, which is not a run of this sweep",
}
#: Two kinds of damage in the fast set, every kind in the full suite.
DAMAGES = [
    kind if kind in ("truncated", "another sweep's") else pytest.param(kind, marks=pytest.mark.slow)
    for kind in REASONS
]


@pytest.mark.parametrize("kind", DAMAGES)
def test_resume_quarantines_a_part_it_cannot_trust_and_runs_its_runs_again(
    kind, finished, foreign_part, tmp_path, capsys
):
    folder = interrupted_copy(finished, tmp_path)
    part = part_files(folder, "runs")[0]
    damage(kind, part, foreign_part)
    capsys.readouterr()
    assert sweep(folder, "--resume") == 0
    err = capsys.readouterr().err
    assert f"{part.name}: {REASONS[kind]}" in err and "moved to parts/corrupt/" in err
    assert (folder / "parts" / "corrupt" / part.name).exists()
    pd.testing.assert_frame_equal(runs_of(folder), runs_of(finished))


def test_a_part_of_another_sweep_added_beside_the_parts_is_not_merged(
    finished, foreign_part, tmp_path, capsys
):
    folder = interrupted_copy(finished, tmp_path)
    shutil.copyfile(foreign_part, folder / "parts" / "runs-1of1-00099.parquet")
    assert sweep(folder, "--resume") == 0
    assert "runs-1of1-00099.parquet: written by another sweep" in capsys.readouterr().err
    pd.testing.assert_frame_equal(runs_of(folder), runs_of(finished))


@pytest.mark.parametrize(
    "kind",
    [
        "deleted",
        pytest.param("garbage", marks=pytest.mark.slow),
        pytest.param("another design", marks=pytest.mark.slow),
    ],
)
def test_resume_writes_a_missing_or_damaged_design_again(kind, finished, tmp_path, capsys):
    folder = interrupted_copy(finished, tmp_path)
    points = folder / "points.parquet"
    if kind == "deleted":
        points.unlink()
    elif kind == "garbage":
        points.write_bytes(b"not parquet")
    else:
        pd.read_parquet(points).head(1).to_parquet(points)
    assert sweep(folder, "--resume") == 0
    assert "points.parquet: missing, damaged or changed; written again" in capsys.readouterr().err
    manifest = json.loads((folder / "manifest.json").read_text())
    assert all((folder / name).is_file() for name in manifest["files"])
    assert pd.read_parquet(points).equals(pd.read_parquet(finished / "points.parquet"))


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        *(pytest.param(c, marks=pytest.mark.slow) for c in (None, "[1, 2]", '{"definition": 3}')),
    ],
)
def test_resume_writes_a_damaged_definition_again_when_the_parts_prove_the_sweep(
    content, finished, tmp_path, capsys
):
    folder = interrupted_copy(finished, tmp_path)
    definition = folder / "sweep.json"
    if content is None:
        definition.unlink()
    else:
        definition.write_text(content)
    assert sweep(folder, "--resume") == 0
    assert "sweep.json: missing or damaged; written again" in capsys.readouterr().err
    assert json.loads(definition.read_text()) == json.loads((finished / "sweep.json").read_text())
    pd.testing.assert_frame_equal(runs_of(folder), runs_of(finished))


def test_a_damaged_definition_with_no_part_of_this_sweep_is_one_line(
    finished, foreign_part, tmp_path, capsys
):
    folder = interrupted_copy(finished, tmp_path)
    (folder / "sweep.json").write_text("{not json")
    for part in part_files(folder):
        shutil.copyfile(foreign_part, part)
    capsys.readouterr()
    assert sweep(folder, "--resume") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sweep.json: --resume: missing or damaged" in err[0]
    assert not (folder / "manifest.json").exists()


def test_resume_removes_the_fragments_a_kill_left_anywhere_in_the_folder(finished, tmp_path):
    """A sweep killed while it drew its figures leaves ``figures/.NAME.PID.part``."""
    folder = interrupted_copy(finished, tmp_path)
    figures = folder / "figures"
    figures.mkdir(exist_ok=True)
    fragments = [
        figures / ".aggregator.intermediation.png.1734.part",
        folder / ".runs.parquet.9.part",
    ]
    for fragment in fragments:
        fragment.write_bytes(b"half a file")
    assert sweep(folder, "--resume") == 0
    assert not [p for p in folder.rglob("*.part")]
    pd.testing.assert_frame_equal(runs_of(folder), runs_of(finished))


def test_no_manifest_while_a_planned_run_is_missing(finished, tmp_path):
    folder = interrupted_copy(finished, tmp_path)
    planned = dict.fromkeys(range(3), 2)
    finalize(folder, datetime.now(UTC), planned, extra={})
    assert (folder / "manifest.json").exists()  # the parts hold every run
    (folder / "manifest.json").unlink()
    (folder / "runs.parquet").unlink()
    with pytest.raises(Fault, match=r"1 planned run\(s\) are not in the parts \(first: p000002"):
        finalize(folder, datetime.now(UTC), {**planned, 2: 3}, extra={})
    assert not (folder / "manifest.json").exists() and not (folder / "runs.parquet").exists()


def test_missing_runs_counts_failures_and_invalid_points_as_covered():
    runs = pd.DataFrame({"run_id": [run_id(0, 0), run_id(0, 1), run_id(1, 0)]})
    errors = pd.DataFrame({"run_id": [run_id(1, 1), "p000002"]})
    assert missing_runs(runs, errors, {0: 2, 1: 2, 2: 5}) == []
    assert missing_runs(runs, errors, {0: 3, 1: 2, 3: 1}) == [run_id(0, 2), run_id(3, 0)]


def test_every_part_carries_the_id_of_its_sweep(finished, foreign_part):
    ours = {pq.read_schema(p).metadata[SWEEP_KEY] for p in part_files(finished)}
    assert len(ours) == 1 and pq.read_schema(foreign_part).metadata[SWEEP_KEY] not in ours


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("shards")
    folders = [root / f"shard{i}" for i in (1, 2)]
    for i, folder in enumerate(folders, 1):
        assert sweep(folder, "--shard", f"{i}/2") == 0
    return folders


def test_merge_refuses_shards_that_lack_planned_runs(shards, tmp_path, capsys):
    broken = tmp_path / "shard2"
    shutil.copytree(shards[1], broken)
    for part in part_files(broken, "runs"):
        part.unlink()
    capsys.readouterr()
    assert main(["merge", str(tmp_path / "merged"), str(shards[0]), str(broken)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the shards lack 2 planned run(s) (first: p000001-r0000)" in err[0]
    assert not (tmp_path / "merged").exists()


def test_merge_refuses_a_shard_holding_a_part_of_another_sweep(
    shards, foreign_part, tmp_path, capsys
):
    broken = tmp_path / "shard2"
    shutil.copytree(shards[1], broken)
    shutil.copyfile(foreign_part, part_files(broken, "runs")[0])
    capsys.readouterr()
    assert main(["merge", str(tmp_path / "merged"), str(shards[0]), str(broken)]) == 2
    assert "written by another sweep; resume this shard" in capsys.readouterr().err
    assert not (tmp_path / "merged").exists()


def test_merged_shards_equal_the_whole_sweep(shards, finished, tmp_path):
    assert main(["merge", str(tmp_path / "merged"), *map(str, shards)]) == 0
    pd.testing.assert_frame_equal(runs_of(tmp_path / "merged"), runs_of(finished))


# ---------------------------------------------------------------------- interrupted at random

CHAOS = [
    *("--set", "run.days=5", "--set", "customers.count=500", "--set", "providers.count=4"),
    *("--set", "run.warmup_days=0", "--quiet", "--reps", "2"),
    *("--vary", "aggregator.intermediation=0:1:6", "--vary", "recovery.policy=none,tiered"),
]
STOPS = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)
ACTIONS = st.one_of(
    st.tuples(st.just("stop"), st.sampled_from(STOPS), st.floats(1.0, 6.0)),
    st.tuples(
        st.just("damage"),
        st.sampled_from(["truncated", "emptied", "garbage", "deleted"]),
        st.sampled_from(["a part", "sweep.json", "points.parquet"]),
        st.integers(0, 20),
    ),
)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("chaos") / "whole"
    assert main(["sweep", *CHAOS, "--executor", "inprocess", "--out", str(folder)]) == 0
    return runs_of(folder)


def stop_after(folder: Path, stop: signal.Signals, seconds: float) -> None:
    """Start (or continue) the sweep in a real process and stop it after ``seconds``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "sweep", *CHAOS, "--workers", "2", "--resume"]
        + ["--out", str(folder)],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(stop)
        process.wait(timeout=60)


def damage_file(folder: Path, kind: str, target: str, index: int) -> None:
    if target == "a part":
        parts = part_files(folder)
        if not parts:
            return
        path = parts[index % len(parts)]
    else:
        path = folder / target
        if not path.exists():
            return
    if kind == "deleted":
        path.unlink()
    else:
        damage(kind, path, path)


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=3))
@example(  # parts written, then damaged between two stops
    actions=[
        ("stop", signal.SIGKILL, 4.0),
        ("damage", "garbage", "a part", 0),
        ("stop", signal.SIGTERM, 3.5),
        ("damage", "truncated", "a part", 1),
    ]
)
@example(actions=[("stop", signal.SIGINT, 4.0), ("damage", "deleted", "sweep.json", 0)])
def test_any_sequence_of_stops_and_damage_then_resume_gives_the_uninterrupted_tables(
    actions, uninterrupted, tmp_path_factory
):
    folder = tmp_path_factory.mktemp("chaos") / "sweep"
    for action in actions:
        if action[0] == "stop":
            stop_after(folder, action[1], action[2])
        elif folder.exists():
            damage_file(folder, *action[1:])
    assert main(["sweep", *CHAOS, "--workers", "2", "--resume", "--out", str(folder)]) == 0
    pd.testing.assert_frame_equal(runs_of(folder), uninterrupted)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert all((folder / name).is_file() for name in manifest["files"])
    assert not [p for p in folder.rglob("*.part")]
