"""Running a sweep: many scenario points × replications, streamed to disk, resumable and shardable.

Every run has a deterministic id (``p000012-r0003``: point 12, replication 3) and its random
streams depend only on (root seed, replication, stream): identical points share their random
numbers across the sweep (common random numbers), and the results never depend on the executor,
the number of workers or the shard.

The sweep folder::

    sweep.json             the sweep's definition (checked on --resume and by merge)
    points.parquet         the design: one row per point
    parts/runs-*.parquet   finished runs, flushed atomically as they finish
    parts/errors-*.parquet failed runs (error and parameters)
    runs.parquet           point × replication KPIs, sorted (written at the end)
    summary.csv            per point and KPI: mean, std, 95% CI, n
    errors.csv             every failed run or invalid point (empty when none)
    figures/               each varied parameter against the main KPIs, with CI bands
    manifest.json          written last

A run interrupted in any way (Ctrl-C, ``kill -9``, a lost node) loses at most the runs that
finished since the last flush; ``--resume`` runs only what is missing.
"""

from __future__ import annotations

import json
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import ValidationError

from sim.errors import UserError
from sim.experiments.executors import wait_first
from sim.experiments.runs import TargetCI
from sim.experiments.sweep.parts import (
    FRAGMENT,
    INVALID_POINT,
    PARTS,
    POINTS_FILE,
    SWEEP_FILE,
    SWEEP_KEY,
    PartWriter,
    part_files,
    point_id,
    quarantine_parts,
    read_parts,
    read_sweep_file,
    run_id,
    sweep_id,
    write_json,
)
from sim.experiments.sweep.plan import SweepPlan, most_replications, run_point
from sim.experiments.sweep.tables import SweepOutcome, finalize
from sim.outputs.folder import LOCK_NAME, output_folder
from sim.outputs.results import (
    MANIFEST,
    write_table,
)
from sim.outputs.statistics import half_width
from sim.scenario import Scenario
from sim.scenario.files import validation_problem

if TYPE_CHECKING:
    from sim.experiments.posterior import Posterior


@dataclass
class SweepProgress:
    """Counts for a progress display."""

    total: int = 0  # runs
    done: int = 0
    failed: int = 0
    points_total: int = 0
    points_done: int = 0  # points whose replications have all finished
    on_change: Callable[[SweepProgress], None] | None = field(default=None, repr=False)

    def changed(self) -> None:
        if self.on_change:
            self.on_change(self)


def prepare_folder(
    folder: Path,
    plan: SweepPlan,
    shard: tuple[int, int],
    *,
    resume: bool,
    notify: Callable[[str], None],
) -> None:
    """Create a new sweep folder, or check that ``--resume`` continues the same sweep and make
    its files whole again; either way the folder is locked for the rest of the command.

    On ``--resume``: a missing or damaged ``sweep.json`` is written again when the parts show the
    folder holds this sweep, a missing, damaged or different ``points.parquet`` is written again
    from the design, and parts that are not this sweep's are quarantined
    (``sim.experiments.sweep.parts``).
    """
    output_folder(folder)
    sweep = sweep_id(json.loads(json.dumps(plan.definition())))
    stored = read_sweep_file(folder)
    if not resume:
        if stored is not None or (folder / SWEEP_FILE).exists():
            raise UserError(
                f"{folder}: --out: already holds a sweep; add --resume to continue it "
                "or choose another folder"
            )
        if any(p.name != LOCK_NAME for p in folder.iterdir()):
            raise UserError(f"{folder}: --out: the folder is not empty; choose another")
        _write_sweep_files(folder, plan, shard)
        return
    if stored is None:
        if _only_started(folder):  # killed before its first run was written: start it afresh
            _remove_fragments(folder)
            _write_sweep_files(folder, plan, shard)
            return
        if not any(_carries(part, sweep) for part in part_files(folder)):
            raise UserError(
                f"{folder / SWEEP_FILE}: --resume: missing or damaged, and no part of this "
                "folder shows it holds this sweep; start the sweep in a new folder"
            )
        notify(f"{folder / SWEEP_FILE}: missing or damaged; written again from this sweep")
        stored = _sweep_content(plan, shard)
        write_json(folder / SWEEP_FILE, stored)
    if stored["definition"] != json.loads(json.dumps(plan.definition())):
        raise UserError(
            f"{folder}: --resume: the folder holds a different sweep (scenario, "
            "--vary, design, samples, reps, target or posterior differ)"
        )
    if tuple(stored["shard"]) != shard:
        raise UserError(
            f"{folder}: --resume: the folder holds shard "
            f"{stored['shard'][0]}/{stored['shard'][1]}, not {shard[0]}/{shard[1]}"
        )
    (folder / MANIFEST).unlink(missing_ok=True)  # complete again only once finalized
    _remove_fragments(folder)
    if not _points_file_matches(folder, plan):
        notify(f"{folder / POINTS_FILE}: missing, damaged or changed; written again")
        _write_points(folder, plan)
    (folder / PARTS).mkdir(exist_ok=True)
    for moved in quarantine_parts(
        folder, sweep, set(_shard_points(plan, shard)), most_replications(plan.definition())
    ):
        notify(str(moved))


def _only_started(folder: Path) -> bool:
    """Whether the folder holds nothing but what a sweep writes before its first run."""
    started = {LOCK_NAME, SWEEP_FILE, POINTS_FILE, PARTS}
    for entry in folder.iterdir():
        if entry.name not in started and not FRAGMENT.fullmatch(entry.name):
            return False
    parts = folder / PARTS
    return not parts.exists() or not any(parts.iterdir())


def _remove_fragments(folder: Path) -> None:
    """Remove the temporary files of writes cut short by a killed process
    (:func:`sim.outputs.results.atomic_write`), wherever in the folder they were being written
    (tables, parts, figures)."""
    for fragment in folder.rglob(".*.part"):
        if FRAGMENT.fullmatch(fragment.name) and fragment.is_file():
            fragment.unlink()


def _sweep_content(plan: SweepPlan, shard: tuple[int, int]) -> dict[str, Any]:
    definition = json.loads(json.dumps(plan.definition()))
    return {"definition": definition, "shard": list(shard), "points": len(plan.points())}


def _write_sweep_files(folder: Path, plan: SweepPlan, shard: tuple[int, int]) -> None:
    (folder / PARTS).mkdir(parents=True, exist_ok=True)
    _write_points(folder, plan)
    write_json(folder / SWEEP_FILE, _sweep_content(plan, shard))


def _points_table(plan: SweepPlan) -> pd.DataFrame:
    points = plan.points()
    table = pd.DataFrame(points)
    table.insert(0, "point", range(len(points)))
    return table


def _write_points(folder: Path, plan: SweepPlan) -> None:
    write_table(folder / POINTS_FILE, _points_table(plan))


def _points_file_matches(folder: Path, plan: SweepPlan) -> bool:
    try:
        stored = pd.read_parquet(folder / POINTS_FILE)
    except (OSError, ValueError, pa.ArrowException):
        return False
    return stored.equals(_points_table(plan))


def _carries(part: Path, sweep: str) -> bool:
    """Whether a part file is readable and tagged with this sweep's id."""
    try:
        metadata = pq.read_schema(part).metadata or {}
    except (OSError, pa.ArrowException):
        return False
    return metadata.get(SWEEP_KEY) == sweep.encode()


def _shard_points(plan: SweepPlan, shard: tuple[int, int]) -> list[int]:
    index, count = shard
    return [p for p in range(len(plan.points())) if p % count == index - 1]


def run_sweep(
    plan: SweepPlan,
    folder: Path,
    executor: Executor,
    window: int,
    shard: tuple[int, int] = (1, 1),
    *,
    resume: bool = False,
    progress: SweepProgress | None = None,
    model: Callable[[Scenario, int], dict[str, Any]] | None = None,
    notify: Callable[[str], None] | None = None,
) -> SweepOutcome:
    """Run every missing run of this shard of the sweep, then write the final tables.

    Parameters
    ----------
    window
        Most runs submitted to the executor at once (memory stays bounded however large the
        sweep).
    shard
        ``(i, n)``: this process runs the points whose index is ``i - 1`` modulo ``n``.
    model
        Replaces the simulation (see :func:`run_point`).
    notify
        Told, in one line each, what ``--resume`` repaired (files written again, parts
        quarantined).
    """
    started = datetime.now(UTC)
    notify = notify or (lambda message: None)
    prepare_folder(folder, plan, shard, resume=resume, notify=notify)
    points = plan.points()
    index, count = shard
    mine = _shard_points(plan, shard)
    for stale in part_files(folder, "errors"):  # failed runs are tried again
        stale.unlink()
    finished = read_parts(
        folder,
        "runs",
        ["run_id", "point", "replication", *([plan.target.kpi] if plan.target else [])],
    )
    done_ids = set(finished["run_id"])
    sweep = sweep_id(json.loads(json.dumps(plan.definition())))
    tally = _Tally(
        points,
        PartWriter(folder / PARTS, f"runs-{index}of{count}", sweep),
        PartWriter(folder / PARTS, f"errors-{index}of{count}", sweep),
        progress or SweepProgress(),
        plan.target.kpi if plan.target else None,
    )
    scenarios = _point_scenarios(plan, mine, tally)
    tally.expect(scenarios, plan.replications, finished)
    try:
        while True:
            tasks = tally.starting(done_ids, len(mine))
            run = (tally.on_result, tally.on_error, model, plan.posterior)
            _execute(executor, scenarios, tasks, window, *run)
            done_ids.update(run_id(p, r) for p, r in tasks)
            if plan.target is None or not _extend_for_target(
                plan.target, plan.replications, tally.wanted, tally.target_values
            ):
                break
    finally:
        tally.flush()
    planned = {p: tally.wanted.get(p, plan.replications) for p in mine}
    extra: dict[str, Any] = {"shard": list(shard)}
    if plan.posterior is not None:
        extra["posterior"] = plan.posterior.describe(
            plan.base, most_replications(plan.definition())
        )
    return finalize(folder, started, planned, extra, plan.baseline)


class _Tally:
    """A shard's runs as they finish: written to its parts, counted per point for the progress
    shown and, with a target CI, their KPI kept to decide whether a point needs more."""

    def __init__(
        self,
        points: list[dict[str, Any]],
        runs_out: PartWriter,
        errors_out: PartWriter,
        progress: SweepProgress,
        target_kpi: str | None,
    ) -> None:
        self.points, self.runs_out, self.errors_out = points, runs_out, errors_out
        self.progress, self.target_kpi = progress, target_kpi
        self.wanted: dict[int, int] = {}
        self.target_values: dict[int, list[float]] = {}
        self.runs_of_point: Counter[int] = Counter()

    def expect(self, scenarios: dict[int, Scenario], replications: int, finished) -> None:
        """The valid points, each wanting ``replications``; ``finished``: runs already done."""
        self.wanted = dict.fromkeys(scenarios, replications)
        self.target_values = {p: [] for p in scenarios}
        if self.target_kpi is not None:
            for row in finished.itertuples(index=False):
                if row.point in self.target_values:
                    self.target_values[row.point].append(getattr(row, self.target_kpi))
        self.runs_of_point = Counter(finished["point"])

    def starting(self, done_ids: set[str], points: int) -> list[tuple[int, int]]:
        """The next round's tasks, (point, replication) of every wanted run not done; the
        progress's totals follow."""
        tasks = [
            (p, r) for p, wanted in self.wanted.items() for r in range(wanted)
            if run_id(p, r) not in done_ids
        ]  # fmt: skip
        progress = self.progress
        progress.total = progress.done + progress.failed + len(tasks)
        progress.points_total = points
        progress.points_done = sum(self.runs_of_point[p] >= w for p, w in self.wanted.items())
        progress.changed()
        return tasks

    def invalid_point(self, p: int, problem: str) -> None:
        self.errors_out.add(
            {
                "point": p,
                "run_id": point_id(p),
                "replication": INVALID_POINT,
                "error": f"invalid point: {problem}",
                **self.points[p],
            }
        )
        self.progress.failed += 1

    def on_result(self, row: dict[str, Any]) -> None:
        p = row["point"]
        self.runs_out.add({**row, **self.points[p]})
        if self.target_kpi is not None:
            self.target_values[p].append(row[self.target_kpi])
        self.runs_of_point[p] += 1
        self.progress.points_done += self.runs_of_point[p] == self.wanted[p]
        self.progress.done += 1
        self.progress.changed()

    def on_error(self, p: int, r: int, error: BaseException) -> None:
        summary = "".join(traceback.format_exception_only(type(error), error)).strip()
        self.errors_out.add(
            {
                "point": p,
                "run_id": run_id(p, r),
                "replication": r,
                "error": summary,
                **self.points[p],
            }
        )
        self.progress.failed += 1
        self.progress.changed()

    def flush(self) -> None:
        self.runs_out.flush()
        self.errors_out.flush()


def _point_scenarios(plan: SweepPlan, mine: list[int], tally: _Tally) -> dict[int, Scenario]:
    """The scenario of each of this shard's points; a point the schema refuses is recorded as
    invalid and left out."""
    scenarios: dict[int, Scenario] = {}
    points = plan.points()
    for p in mine:
        try:
            scenarios[p] = plan.base.with_values(**points[p])
        except ValidationError as error:
            problem = validation_problem(error, {key: "--vary" for key in points[p]})
            tally.invalid_point(p, str(problem))
    return scenarios


def _execute(
    executor: Executor,
    scenarios: dict[int, Scenario],
    tasks: list[tuple[int, int]],
    window: int,
    on_result: Callable[[dict[str, Any]], None],
    on_error: Callable[[int, int, BaseException], None],
    model: Callable[[Scenario, int], dict[str, Any]] | None,
    posterior: Posterior | None = None,
) -> None:
    """Submit the tasks, at most ``window`` at a time, and hand each outcome on as it comes."""
    queue = iter(tasks)
    pending: dict[Future, tuple[int, int]] = {}

    def fill() -> None:
        while len(pending) < window:
            task = next(queue, None)
            if task is None:
                return
            p, r = task
            pending[executor.submit(run_point, scenarios[p], p, r, model, posterior)] = task

    fill()
    while pending:
        finished = wait_first(executor, pending)
        for future in finished:
            p, r = pending.pop(future)
            error = future.exception()
            if error is None:
                on_result(future.result())
            else:
                on_error(p, r, error)
        fill()


def _extend_for_target(
    target: TargetCI, batch: int, wanted: dict[int, int], values: dict[int, list[float]]
) -> bool:
    """Raise the replications wanted where the CI is still too wide; True if any was raised."""
    extended = False
    for p, have in wanted.items():
        if have < target.max_replications and half_width(values[p]) > target.half_width:
            wanted[p] = min(target.max_replications, have + batch)
            extended = True
    return extended
