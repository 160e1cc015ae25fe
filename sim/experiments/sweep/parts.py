"""A sweep's parts on disk: the runs it has finished, flushed atomically as they finish, each file
tagged with the sweep it belongs to (MODEL.md 7).

A part is trusted only after it is checked: before ``--resume`` continues a sweep and before
``merge`` joins shards, every part must be readable Parquet carrying this sweep's id, and its rows
must be runs of this design (``run_id`` matching ``point`` and ``replication``, points of this
shard, replications in range). A part that fails is moved to ``parts/corrupt/`` and its runs are
run again. Before any manifest is written, the runs and failures must cover every planned run:
a folder with a manifest is complete.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.outputs.results import atomic_write

PARTS = "parts"
CORRUPT = "corrupt"
FLUSH_ROWS = 32
FLUSH_SECONDS = 5.0
SWEEP_KEY = b"aggsim.sweep"
PART_NAME = re.compile(r"(runs|errors)-\d+of\d+-(\d{5,})\.parquet")
INVALID_POINT = -1  # the replication of an errors row that records a whole point as invalid
SWEEP_FILE = "sweep.json"
#: The temporary file of an atomic write: ``.NAME.PID.part``.
FRAGMENT = re.compile(r"\..+\.\d+\.part")
POINTS_FILE = "points.parquet"


def run_id(point: int, replication: int) -> str:
    """A run's id: ``p000012-r0003`` is replication 3 of point 12."""
    return f"p{point:06d}-r{replication:04d}"


def point_id(point: int) -> str:
    """The id of an errors row that records a whole point as invalid."""
    return f"p{point:06d}"


def sweep_id(definition: Mapping[str, Any]) -> str:
    """A fingerprint of a sweep's definition: the parts of one sweep, and only they, carry it."""
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


class PartWriter:
    """Buffers rows and writes them as numbered Parquet part files tagged with the sweep's id,
    atomically."""

    def __init__(self, folder: Path, prefix: str, sweep: str) -> None:
        self.folder, self.prefix, self.sweep = folder, prefix, sweep
        numbers = [
            int(match[2])
            for path in folder.glob(f"{prefix}-*.parquet")
            if (match := PART_NAME.fullmatch(path.name))
        ]
        self.sequence = max(numbers, default=0)
        self.rows: list[dict[str, Any]] = []
        self.last_flush = time.monotonic()

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= FLUSH_ROWS or time.monotonic() - self.last_flush > FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.sequence += 1
            table = pa.Table.from_pandas(pd.DataFrame(self.rows), preserve_index=False)
            table = table.replace_schema_metadata(
                {**(table.schema.metadata or {}), SWEEP_KEY: self.sweep.encode()}
            )
            path = self.folder / f"{self.prefix}-{self.sequence:05d}.parquet"
            atomic_write(path, lambda target: pq.write_table(table, target))
            self.rows = []
        self.last_flush = time.monotonic()


def part_files(folder: Path, kind: str = "*") -> list[Path]:
    """The part files of a kind (``runs``, ``errors`` or both) in ``folder/parts``, in order."""
    return sorted((folder / PARTS).glob(f"{kind}-*.parquet"))


def read_parts(folder: Path, kind: str, columns: list[str] | None = None) -> pd.DataFrame:
    """All part files of a kind (``runs`` or ``errors``), concatenated."""
    paths = part_files(folder, kind)
    if not paths:
        return pd.DataFrame(columns=columns or [])
    return pd.concat([pd.read_parquet(p, columns=columns) for p in paths], ignore_index=True)


@dataclass(frozen=True)
class Quarantined:
    """A part moved aside, and why."""

    part: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.part.name}: {self.reason}; moved to {PARTS}/{CORRUPT}/, its runs run again"


def part_problem(path: Path, sweep: str, points: Collection[int], replications: int) -> str | None:
    """Why a part file cannot be trusted as part of this sweep, or None if it can."""
    if not PART_NAME.fullmatch(path.name):
        return "not a part file's name"
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as error:
        return f"unreadable ({str(error).splitlines()[0][:120]})"
    if (table.schema.metadata or {}).get(SWEEP_KEY) != sweep.encode():
        return "written by another sweep"
    if not {"point", "replication", "run_id"} <= set(table.column_names):
        return "has no point, replication or run_id column"
    rows = table.select(["point", "replication", "run_id"]).to_pandas()
    is_errors = path.name.startswith("errors-")
    for point, replication, identity in rows.itertuples(index=False):
        whole_point = is_errors and replication == INVALID_POINT
        expected = point_id(point) if whole_point else run_id(point, replication)
        if identity != expected or point not in points:
            return f"holds run {identity}, which is not a run of this sweep"
        if not whole_point and not 0 <= replication < replications:
            return f"holds run {identity}, beyond the replications of this sweep"
    return None


def quarantine_parts(
    folder: Path, sweep: str, points: Collection[int], replications: int
) -> list[Quarantined]:
    """Check every part file against this sweep; move the ones that fail to ``parts/corrupt/``.

    ``points``: the points this folder runs; ``replications``: the most a point can have.
    """
    moved = []
    for path in part_files(folder):
        reason = part_problem(path, sweep, points, replications)
        if reason is None:
            continue
        corrupt = folder / PARTS / CORRUPT
        corrupt.mkdir(exist_ok=True)
        target = corrupt / path.name
        suffix = 2
        while target.exists():
            target = corrupt / f"{path.stem}.{suffix}{path.suffix}"
            suffix += 1
        path.rename(target)
        moved.append(Quarantined(path, reason))
    return moved


def missing_runs(runs: pd.DataFrame, errors: pd.DataFrame, wanted: Mapping[int, int]) -> list[str]:
    """The planned runs found neither among the finished runs nor among the failures.

    ``wanted[point]`` is how many replications the point must have; a point recorded as invalid
    in ``errors`` has none to run.
    """
    done = set(runs["run_id"]) if len(runs) else set()
    if len(errors):
        done |= set(errors["run_id"])
    missing: list[str] = []
    for point, count in sorted(wanted.items()):
        if point_id(point) in done:
            continue
        missing.extend(identity for r in range(count) if (identity := run_id(point, r)) not in done)
    return missing


def read_sweep_file(folder: Path) -> dict[str, Any] | None:
    """The content of a folder's ``sweep.json``, or None when it is missing or damaged."""
    try:
        content = json.loads((folder / SWEEP_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    valid = (
        isinstance(content, dict)
        and isinstance(content.get("definition"), dict)
        and isinstance(content.get("points"), int)
        and isinstance(content.get("shard"), list)
        and len(content["shard"]) == 2
        and all(isinstance(i, int) for i in content["shard"])
    )
    return content if valid else None


def write_json(path: Path, content: dict[str, Any]) -> None:
    atomic_write(path, lambda t: t.write_text(json.dumps(content, indent=2) + "\n"))
