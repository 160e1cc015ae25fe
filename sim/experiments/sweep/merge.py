"""Joining the folders of a sweep's shards (``aggsim merge``) into the folder of the
unsharded sweep."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from sim.errors import UserError
from sim.experiments.sweep.parts import (
    PARTS,
    POINTS_FILE,
    SWEEP_FILE,
    missing_runs,
    part_files,
    part_problem,
    read_sweep_file,
    sweep_id,
    write_json,
)
from sim.experiments.sweep.plan import most_replications
from sim.experiments.sweep.tables import SweepOutcome, finalize
from sim.outputs.folder import LOCK_NAME
from sim.outputs.results import (
    atomic_write,
    holds_results,
)

if TYPE_CHECKING:
    pass


def merge_shards(
    out: Path,
    shard_folders: list[Path],
    make_folder: Callable[[Path], Path] | None = None,
) -> SweepOutcome:
    """Join the folders of all shards of one sweep into ``out`` and write the final tables.

    Every shard is checked before anything is written — it finished (has a manifest), it holds
    the same sweep, every part is this sweep's, and together the shards hold every planned run
    or its failure — and ``make_folder`` then readies ``out``.
    """
    started = datetime.now(UTC)
    if not shard_folders:
        raise UserError("merge: name the shard folders to merge")
    stored = []
    for folder in shard_folders:
        if not (folder / SWEEP_FILE).is_file():
            raise UserError(f"{folder}: not a sweep folder (no {SWEEP_FILE})")
        if not holds_results(folder):
            raise UserError(
                f"{folder}: this shard did not finish (no manifest.json); finish it with "
                "aggsim sweep ... --shard i/n --resume --out on this folder, then merge"
            )
        content = read_sweep_file(folder)
        if content is None:
            raise UserError(f"{folder / SWEEP_FILE}: damaged; resume this shard to repair it")
        stored.append(content)
    definition = stored[0]["definition"]
    for folder, content in zip(shard_folders, stored, strict=True):
        if content["definition"] != definition:
            raise UserError(f"{folder}: holds a different sweep from {shard_folders[0]}")
    count = stored[0]["shard"][1]
    seen = {tuple(content["shard"]) for content in stored}
    missing = [i for i in range(1, count + 1) if (i, count) not in seen]
    if missing or any(s[1] != count for s in seen):
        raise UserError(f"merge: shards {', '.join(f'{i}/{count}' for i in missing)} are missing")
    points = stored[0]["points"]
    parts = _checked_shard_parts(shard_folders, definition, points)
    planned = _planned_from_parts(parts, definition["replications"], points)
    absent = missing_runs(
        pd.concat([p[1] for p in parts if p[0].name.startswith("runs-")] or [pd.DataFrame()]),
        pd.concat([p[1] for p in parts if p[0].name.startswith("errors-")] or [pd.DataFrame()]),
        planned,
    )
    if absent:
        raise UserError(
            f"merge: the shards lack {len(absent)} planned run(s) (first: {absent[0]}); "
            "resume the shard that runs it, then merge"
        )
    points_file = _readable_points_file(shard_folders, points)
    if out.exists() and any(p.name != LOCK_NAME for p in out.iterdir()):
        raise UserError(f"{out}: OUT: the folder is not empty; choose another")
    if make_folder is not None:
        make_folder(out)
    (out / PARTS).mkdir(parents=True, exist_ok=True)
    for part, _ in parts:
        atomic_write(out / PARTS / part.name, partial(shutil.copyfile, part))
    shutil.copyfile(points_file, out / POINTS_FILE)
    content = {
        "definition": definition,
        "shard": [1, 1],
        "points": points,
        "merged_from": [str(f) for f in shard_folders],
    }
    write_json(out / SWEEP_FILE, content)
    extra = {"shard": [1, 1], "merged_from": content["merged_from"]}
    return finalize(out, started, planned, extra=extra)


def _checked_shard_parts(
    shard_folders: list[Path], definition: dict[str, Any], points: int
) -> list[tuple[Path, pd.DataFrame]]:
    """Every part of every shard with its ids, once each is shown to be this sweep's."""
    sweep, most = sweep_id(definition), most_replications(definition)
    checked = []
    for folder in shard_folders:
        for part in part_files(folder):
            problem = part_problem(part, sweep, range(points), most)
            if problem:
                raise UserError(f"{part}: {problem}; resume this shard to repair it, then merge")
            ids = pd.read_parquet(part, columns=["run_id", "point", "replication"])
            checked.append((part, ids))
    return checked


def _planned_from_parts(
    parts: list[tuple[Path, pd.DataFrame]], replications: int, points: int
) -> dict[int, int]:
    """How many replications each point must have: the sweep's, or more where a target CI
    added some (then every replication below the highest)."""
    planned = dict.fromkeys(range(points), replications)
    for _, ids in parts:
        for point, highest in ids.groupby("point")["replication"].max().items():
            planned[point] = max(planned[point], highest + 1)
    return planned


def _readable_points_file(shard_folders: list[Path], points: int) -> Path:
    for folder in shard_folders:
        try:
            if len(pd.read_parquet(folder / POINTS_FILE)) == points:
                return folder / POINTS_FILE
        except (OSError, ValueError, pa.ArrowException):
            continue
    raise UserError(f"merge: no shard has a readable {POINTS_FILE}; resume a shard to repair it")
