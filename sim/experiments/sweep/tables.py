"""A sweep's final tables: the runs sorted, the summary of each point, contrasts with a
baseline point, errors, figures and, last, the manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.errors import Fault
from sim.experiments.sweep.parts import (
    POINTS_FILE,
    SWEEP_FILE,
    missing_runs,
    read_parts,
)
from sim.outputs.results import (
    atomic_write,
    manifest,
    write_manifest,
    write_table,
)
from sim.outputs.statistics import summarise

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class SweepOutcome:
    folder: Path
    runs: int
    failed: int
    points: int
    baseline: int | None = None
    #: Median variance reduction of the main KPIs' contrasts with the baseline point.
    variance_reduction: float | None = None


def finalize(
    folder: Path,
    started: datetime,
    planned: dict[int, int],
    extra: dict[str, Any],
    baseline: int | None = None,
) -> SweepOutcome:
    """Assemble runs.parquet and runs.csv, summary.csv, errors.csv, figures and the manifest
    from the parts, once they hold every planned run (``planned[point]``: its replications) or
    its failure; with a ``baseline`` point, also contrasts.csv: every point against it, paired
    by replication (:func:`sim.outputs.comparison.point_contrasts`)."""
    from sim.outputs.plots import write_sweep_figures

    stored = json.loads((folder / SWEEP_FILE).read_text(encoding="utf-8"))
    factors = [f["key"] for f in stored["definition"]["factors"]]
    runs, errors = _complete_tables(folder, planned, factors)
    write_table(folder / "runs.parquet", runs)
    write_table(folder / "runs.csv", runs)  # as a run's replications.csv: for R and spreadsheets
    write_table(folder / "summary.csv", summarise_points(runs, factors))
    write_table(folder / "errors.csv", errors)
    (folder / "figures").mkdir(exist_ok=True)
    figures = (
        write_sweep_figures(runs, factors, folder / "figures", atomic_write) if len(runs) else []
    )
    tables: list[str] = []
    reduction = None
    if baseline is not None and len(runs):
        reduction = _write_contrasts(folder, runs, factors, baseline, tables, figures)
    files = ["sweep.json", POINTS_FILE, "runs.parquet", "runs.csv", "summary.csv", "errors.csv"]
    _write_sweep_manifest(
        folder, stored, started, [*files, *tables, *figures], runs, errors, extra, baseline
    )
    return SweepOutcome(folder, len(runs), len(errors), stored["points"], baseline, reduction)


def _complete_tables(
    folder: Path, planned: dict[int, int], factors: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs (sorted, each once, the factors first and the wall time last) and the errors of
    the parts, once they are shown to hold every planned run or its failure."""
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
    return runs, errors


def _write_contrasts(
    folder: Path,
    runs: pd.DataFrame,
    factors: list[str],
    baseline: int,
    tables: list[str],
    figures: list[str],
) -> float | None:
    """contrasts.csv and its figure (added to ``tables`` and ``figures``); returns the median
    variance reduction of the main KPIs' contrasts."""
    from sim.model.kpis import main_kpis
    from sim.outputs.comparison import point_contrasts
    from sim.outputs.figures import write_contrast_figure

    contrasts = point_contrasts(runs.drop(columns="seconds"), factors, baseline)
    write_table(folder / "contrasts.csv", contrasts)
    tables.append("contrasts.csv")
    if not len(contrasts):
        return None
    figures.append(
        write_contrast_figure(contrasts, factors, baseline, folder / "figures", atomic_write)
    )
    main = contrasts[contrasts.kpi.isin([k.name for k in main_kpis()])]
    finite = main.variance_reduction[np.isfinite(main.variance_reduction)]
    return float(finite.median()) if len(finite) else None


def _write_sweep_manifest(
    folder: Path,
    stored: dict[str, Any],
    started: datetime,
    files: list[str],
    runs: pd.DataFrame,
    errors: pd.DataFrame,
    extra: dict[str, Any],
    baseline: int | None,
) -> None:
    """The manifest, written last: the folder is complete once it is there."""
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
                files=files,
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
