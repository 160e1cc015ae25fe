"""Sweeps: many scenario points × replications, streamed to disk, resumable and shardable.

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
import math
import re
import shutil
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import ValidationError

from sim.errors import Fault, UserError
from sim.experiments.designs import DESIGNS, Factor, _literal, design_points, factor, parse_factors
from sim.experiments.executors import wait_first
from sim.experiments.replication import run_replication
from sim.experiments.runs import TargetCI, parse_target
from sim.experiments.sweep_parts import (
    INVALID_POINT,
    PARTS,
    SWEEP_KEY,
    PartWriter,
    missing_runs,
    part_files,
    part_problem,
    point_id,
    quarantine_parts,
    read_parts,
    run_id,
    sweep_id,
)
from sim.outputs.folder import LOCK_NAME, output_folder
from sim.outputs.results import (
    MANIFEST,
    atomic_write,
    holds_results,
    manifest,
    write_manifest,
    write_table,
)
from sim.outputs.statistics import half_width, summarise
from sim.scenario import Scenario
from sim.scenario.files import validation_problem

if TYPE_CHECKING:
    from sim.experiments.posterior import Posterior

SWEEP_FILE = "sweep.json"
#: The temporary file of an atomic write: ``.NAME.PID.part``.
FRAGMENT = re.compile(r"\..+\.\d+\.part")
POINTS_FILE = "points.parquet"


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep runs: a base scenario, its varied factors and a design."""

    base: Scenario
    factors: tuple[Factor, ...]
    design: str
    samples: int | None
    replications: int
    target: TargetCI | None = None
    #: The point every other is contrasted with (an analysis choice: not part of the definition).
    baseline: int | None = None
    #: Each replication draws its calibrated parameters from this posterior (``--posterior``).
    posterior: Posterior | None = None

    def definition(self) -> dict[str, Any]:
        """The sweep's identity: two folders with equal definitions hold the same sweep."""
        return {
            "base": self.base.model_dump(mode="json"),
            "factors": [f.to_json() for f in self.factors],
            "design": self.design,
            "samples": self.samples,
            "replications": self.replications,
            "target_ci": None if self.target is None else vars(self.target),
            **({} if self.posterior is None else {"posterior": self.posterior.digest}),
        }

    def points(self) -> list[dict[str, Any]]:
        return design_points(list(self.factors), self.design, self.samples, self.base.run.seed)


SWEEP_TABLE_KEYS = ("design", "samples", "reps", "vary", "target_ci", "max_reps", "baseline")


def most_replications(definition: dict[str, Any]) -> int:
    """The most replications a point of a sweep can reach (more than its ``replications`` only
    with a target CI)."""
    target = definition["target_ci"]
    return max(definition["replications"], target["max_replications"] if target else 0)


def plan_sweep(
    base: Scenario,
    table: dict[str, Any] | None,
    vary: list[str],
    design: str | None,
    samples: int | None,
    reps: int | None,
    target: TargetCI | None,
    baseline: str | None = None,
) -> SweepPlan:
    """A sweep plan from a scenario's ``[sweep]`` table and command-line options (which win).

    The table may hold ``design``, ``samples``, ``reps``, ``target_ci``, ``max_reps``,
    ``baseline`` (the point to contrast the others with: ``"KEY=VALUE,..."`` or a table) and a
    ``[sweep.vary]`` table of ``"dotted.key" = SPEC`` (a SPEC string or a list of values).
    """
    table = dict(table or {})
    source = f"{table.pop('source', 'scenario')}: sweep"
    for key in table:
        if key not in SWEEP_TABLE_KEYS:
            raise UserError(
                f"{source}.{key}: unknown key; expected one of {', '.join(SWEEP_TABLE_KEYS)}"
            )
    factors: dict[str, Factor] = {}
    for key, spec in _flatten(_expect(table, "vary", dict, source, {})).items():
        factors[key] = factor(key, spec, f"{source}.vary")
    for parsed in parse_factors(list(vary)):
        factors[parsed.key] = parsed  # the command line wins over the file
    design = design or _expect(table, "design", str, source, "grid")
    if design not in DESIGNS:
        raise UserError(f"{source}.design: expected one of {', '.join(DESIGNS)}, got {design!r}")
    samples = samples or _expect(table, "samples", int, source, None)
    reps = reps or _expect(table, "reps", int, source, None) or base.run.replications
    if target is None and "target_ci" in table:
        max_reps = _expect(table, "max_reps", int, source, 100)
        target = parse_target(
            _expect(table, "target_ci", str, source, None), max_reps, f"{source}.target_ci"
        )
    for name, value in (("samples", samples), ("reps", reps)):
        if value is not None and value < 1:
            raise UserError(f"{source}.{name}: expected at least 1, got {value}")
    plan = SweepPlan(base, tuple(factors.values()), design, samples, reps, target)
    points = plan.points()  # checks the design (a grid of bounds, missing samples, no factors)
    if baseline is not None:
        chosen = baseline_point(baseline, points, design, "--baseline-point")
    elif "baseline" in table:
        chosen = baseline_point(table["baseline"], points, design, f"{source}.baseline")
    else:
        return plan
    return replace(plan, baseline=chosen)


def baseline_point(spec: Any, points: list[dict[str, Any]], design: str, source: str) -> int:
    """The index of the point a ``KEY=VALUE,...`` string (or a table) names; every varied
    parameter must be given, and the point must be in the design."""
    if design != "grid":
        raise UserError(f"{source}: a baseline point needs a grid design (got {design})")
    if isinstance(spec, str):
        wanted: dict[str, Any] = {}
        for item in spec.split(","):
            key, sep, text = item.partition("=")
            if not sep:
                raise UserError(f"{source}: expected KEY=VALUE,..., got {spec!r}")
            wanted[key.strip()] = _literal(text.strip())
    elif isinstance(spec, dict):
        wanted = _flatten(spec)
    else:
        raise UserError(f"{source}: expected KEY=VALUE,... or a table, got {spec!r}")
    keys = list(points[0])
    if sorted(wanted) != sorted(keys):
        raise UserError(f"{source}: give a value for each varied parameter: {', '.join(keys)}")
    for index, point in enumerate(points):
        if all(_same(point[k], wanted[k]) for k in keys):
            return index
    offered = "; ".join(
        f"{k}: {', '.join(str(v) for v in dict.fromkeys(p[k] for p in points))}" for k in keys
    )
    raise UserError(f"{source}: no point of the design has these values (it has {offered})")


def _same(value: Any, wanted: Any) -> bool:
    numbers = (int, float)
    if isinstance(value, numbers) and isinstance(wanted, numbers) and not isinstance(wanted, bool):
        return math.isclose(value, wanted, rel_tol=1e-9, abs_tol=1e-12)
    return value == wanted


def _expect(table: dict[str, Any], key: str, kind: type, source: str, default: Any) -> Any:
    value = table.get(key, default)
    if value is default:
        return value
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        expected = {dict: "a table", str: "a string", int: "a whole number"}[kind]
        raise UserError(f"{source}.{key}: expected {expected}, got {value!r}")
    return value


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"aggregator": {"intermediation": "0..1"}}`` → ``{"aggregator.intermediation":
    "0..1"}``."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def run_point(
    scenario: Scenario,
    point: int,
    replication: int,
    model: Callable[[Scenario, int], dict[str, Any]] | None = None,
    posterior: Posterior | None = None,
) -> dict[str, Any]:
    """One replication of one point, as a row: ids, KPIs and wall seconds (runs on a worker).

    ``model(scenario, replication) -> {kpi: value}`` replaces the simulation when given: a hook
    for known-answer tests of the analysis pipeline (it must be importable by the workers).
    With a ``posterior``, the replication draws its calibrated parameters from it first (the
    same set at every point: common random numbers).
    """
    start = time.perf_counter()
    if posterior is not None:
        scenario = posterior.scenario_for(scenario, replication)
    kpis = model(scenario, replication) if model else run_replication(scenario, replication).kpis
    return {
        "point": point,
        "run_id": run_id(point, replication),
        "replication": replication,
        **kpis,
        "seconds": time.perf_counter() - start,
    }


# ---------------------------------------------------------------------- running


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


@dataclass(frozen=True)
class SweepOutcome:
    folder: Path
    runs: int
    failed: int
    points: int
    baseline: int | None = None
    #: Median variance reduction of the main KPIs' contrasts with the baseline point.
    variance_reduction: float | None = None


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
    (``sim.experiments.sweep_parts``).
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
        _write_json(folder / SWEEP_FILE, stored)
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


def _sweep_content(plan: SweepPlan, shard: tuple[int, int]) -> dict[str, Any]:
    definition = json.loads(json.dumps(plan.definition()))
    return {"definition": definition, "shard": list(shard), "points": len(plan.points())}


def _write_json(path: Path, content: dict[str, Any]) -> None:
    atomic_write(path, lambda t: t.write_text(json.dumps(content, indent=2) + "\n"))


def _write_sweep_files(folder: Path, plan: SweepPlan, shard: tuple[int, int]) -> None:
    (folder / PARTS).mkdir(parents=True, exist_ok=True)
    _write_points(folder, plan)
    _write_json(folder / SWEEP_FILE, _sweep_content(plan, shard))


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
    parts = folder / PARTS
    for stale in part_files(folder, "errors"):  # failed runs are tried again
        stale.unlink()
    finished = read_parts(
        folder,
        "runs",
        ["run_id", "point", "replication", *([plan.target.kpi] if plan.target else [])],
    )
    done_ids = set(finished["run_id"])
    sweep = sweep_id(json.loads(json.dumps(plan.definition())))
    runs_out = PartWriter(parts, f"runs-{index}of{count}", sweep)
    errors_out = PartWriter(parts, f"errors-{index}of{count}", sweep)
    progress = progress or SweepProgress()

    scenarios: dict[int, Scenario] = {}
    for p in mine:
        try:
            scenarios[p] = plan.base.with_values(**points[p])
        except ValidationError as error:
            problem = validation_problem(error, {key: "--vary" for key in points[p]})
            errors_out.add(
                {
                    "point": p,
                    "run_id": point_id(p),
                    "replication": INVALID_POINT,
                    "error": f"invalid point: {problem}",
                    **points[p],
                }
            )
            progress.failed += 1

    wanted = dict.fromkeys(scenarios, plan.replications)
    target_values: dict[int, list[float]] = {p: [] for p in scenarios}
    if plan.target is not None:
        for row in finished.itertuples(index=False):
            if row.point in target_values:
                target_values[row.point].append(getattr(row, plan.target.kpi))

    runs_of_point = Counter(finished["point"])

    def on_result(row: dict[str, Any]) -> None:
        p = row["point"]
        runs_out.add({**row, **points[p]})
        if plan.target is not None:
            target_values[p].append(row[plan.target.kpi])
        runs_of_point[p] += 1
        progress.points_done += runs_of_point[p] == wanted[p]
        progress.done += 1
        progress.changed()

    def on_error(p: int, r: int, error: BaseException) -> None:
        summary = "".join(traceback.format_exception_only(type(error), error)).strip()
        errors_out.add(
            {"point": p, "run_id": run_id(p, r), "replication": r, "error": summary, **points[p]}
        )
        progress.failed += 1
        progress.changed()

    try:
        while True:
            tasks = [
                (p, r) for p in scenarios for r in range(wanted[p]) if run_id(p, r) not in done_ids
            ]
            progress.total = progress.done + progress.failed + len(tasks)
            progress.points_total = len(mine)
            progress.points_done = sum(runs_of_point[p] >= wanted[p] for p in scenarios)
            progress.changed()
            _execute(executor, scenarios, tasks, window, on_result, on_error, model, plan.posterior)
            done_ids.update(run_id(p, r) for p, r in tasks)
            if plan.target is None or not _extend_for_target(
                plan.target, plan.replications, wanted, target_values
            ):
                break
    finally:
        runs_out.flush()
        errors_out.flush()
    planned = {p: wanted.get(p, plan.replications) for p in mine}
    extra: dict[str, Any] = {"shard": list(shard)}
    if plan.posterior is not None:
        extra["posterior"] = plan.posterior.describe(
            plan.base, most_replications(plan.definition())
        )
    return finalize(folder, started, planned, extra, plan.baseline)


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


# ---------------------------------------------------------------------- final tables


def finalize(
    folder: Path,
    started: datetime,
    planned: dict[int, int],
    extra: dict[str, Any],
    baseline: int | None = None,
) -> SweepOutcome:
    """Assemble runs.parquet, summary.csv, errors.csv, figures and the manifest from the parts,
    once they hold every planned run (``planned[point]``: its replications) or its failure;
    with a ``baseline`` point, also contrasts.csv: every point against it, paired by
    replication (:func:`sim.outputs.comparison.point_contrasts`)."""
    from sim.outputs.plots import write_sweep_figures

    stored = json.loads((folder / SWEEP_FILE).read_text(encoding="utf-8"))
    factors = [f["key"] for f in stored["definition"]["factors"]]
    runs = read_parts(folder, "runs")
    errors = read_parts(folder, "errors", None)
    missing = missing_runs(runs, errors, planned)
    if missing:
        raise Fault(
            f"{folder}: {len(missing)} planned run(s) are not in the parts (first: "
            f"{missing[0]}); no final tables written; run the sweep again with --resume"
        )
    if len(runs):
        runs = (
            runs.drop_duplicates("run_id")
            .sort_values(["point", "replication"])
            .reset_index(drop=True)
        )
        front = ["point", "replication", "run_id", *factors]
        runs = runs[
            front + [c for c in runs.columns if c not in front and c != "seconds"] + ["seconds"]
        ]
    if len(errors):
        errors = errors.sort_values(["point", "replication"]).reset_index(drop=True)
    else:
        errors = pd.DataFrame(columns=["point", "replication", "run_id", "error", *factors])
    summary = summarise_points(runs, factors)
    write_table(folder / "runs.parquet", runs)
    write_table(folder / "summary.csv", summary)
    write_table(folder / "errors.csv", errors)
    (folder / "figures").mkdir(exist_ok=True)
    figures = (
        write_sweep_figures(runs, factors, folder / "figures", atomic_write) if len(runs) else []
    )
    tables = []
    reduction = None
    if baseline is not None and len(runs):
        from sim.model.kpis import main_kpis
        from sim.outputs.comparison import point_contrasts
        from sim.outputs.figures import write_contrast_figure

        contrasts = point_contrasts(runs.drop(columns="seconds"), factors, baseline)
        write_table(folder / "contrasts.csv", contrasts)
        tables.append("contrasts.csv")
        if len(contrasts):
            figures.append(
                write_contrast_figure(
                    contrasts, factors, baseline, folder / "figures", atomic_write
                )
            )
            main = contrasts[contrasts.kpi.isin([k.name for k in main_kpis()])]
            finite = main.variance_reduction[np.isfinite(main.variance_reduction)]
            reduction = float(finite.median()) if len(finite) else None
    seconds = runs["seconds"].to_numpy() if len(runs) else np.array([])
    definition = stored["definition"]
    write_manifest(
        folder,
        {
            **manifest(
                definition["base"],
                seed=definition["base"]["run"]["seed"],
                replications=definition["replications"],
                replication_seconds={},
                started=started,
                finished=datetime.now(UTC),
                files=[
                    "sweep.json",
                    POINTS_FILE,
                    "runs.parquet",
                    "summary.csv",
                    "errors.csv",
                    *tables,
                    *figures,
                ],
                extra={
                    **extra,
                    "aggsim": "sweep",
                    "design": definition["design"],
                    "samples": definition["samples"],
                    "factors": definition["factors"],
                    "target_ci": definition["target_ci"],
                    "points": stored["points"],
                    "baseline_point": baseline,
                    "runs": int(len(runs)),
                    "failed": int(len(errors)),
                    "run_seconds_total": round(float(seconds.sum()), 3),
                    "run_seconds_mean": round(float(seconds.mean()), 4) if seconds.size else None,
                },
            ),
        },
    )
    return SweepOutcome(folder, len(runs), len(errors), stored["points"], baseline, reduction)


def summarise_points(runs: pd.DataFrame, factors: list[str]) -> pd.DataFrame:
    """Per point and KPI: the point's parameter values, mean, std, 95% CI and n."""
    if not len(runs):
        return pd.DataFrame(
            columns=["point", *factors, "kpi", "mean", "std", "ci_low", "ci_high", "n"]
        )
    kpi_columns = [c for c in runs.columns if c not in {"point", "run_id", "seconds", *factors}]
    frames = []
    for point, group in runs.groupby("point", sort=True):
        table = summarise(group[kpi_columns])
        for key in reversed(factors):
            table.insert(0, key, group[key].iloc[0])
        table.insert(0, "point", point)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------- merging shards


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
    _write_json(out / SWEEP_FILE, content)
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
