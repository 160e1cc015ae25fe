"""Paired comparison of two scenarios with common random numbers (ENGINEERING: CRN).

Both scenarios run replications 0..R-1 with the same root seed, so replication r of A and of B
draw the same random numbers stream by stream. The paired differences ``B − A`` then carry much
less noise than differences between independent runs: the *variance reduction* reported is
``(var(A) + var(B)) / var(B − A)``, the factor by which independent seeds would have needed more
replications for the same precision. :func:`write_compare_folder` writes a comparison's folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.outputs.statistics import half_width

COMPARISON_COLUMNS = (
    "kpi",
    "mean_a",
    "mean_b",
    "difference",
    "ci_low",
    "ci_high",
    "n",
    "variance_reduction",
)


def paired_comparison(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Per KPI: the means, the mean paired difference ``B − A`` with its 95% CI, n and the
    variance reduction against independent seeds. Rows are paired by ``replication``."""
    a = a.set_index("replication").sort_index()
    b = b.set_index("replication").sort_index()
    if not a.index.equals(b.index):
        raise ValueError("paired comparison needs the same replications on both sides")
    rows = []
    for kpi in a.columns:
        pairs = pd.DataFrame({"a": a[kpi], "b": b[kpi]}).astype(float).dropna()
        diff = (pairs.b - pairs.a).to_numpy()
        half = half_width(diff)
        paired_variance = diff.var(ddof=1) if diff.size > 1 else np.nan
        independent = pairs.a.var(ddof=1) + pairs.b.var(ddof=1) if diff.size > 1 else np.nan
        if paired_variance and paired_variance > 0:
            reduction = independent / paired_variance
        else:
            reduction = np.inf if independent and independent > 0 else np.nan
        mean = diff.mean() if diff.size else np.nan
        rows.append(
            (
                kpi,
                pairs.a.mean(),
                pairs.b.mean(),
                mean,
                mean - half,
                mean + half,
                diff.size,
                reduction,
            )
        )
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def show_reduction(reduction: float) -> str:
    """A variance reduction as people read it: ``12.3x``; ``n/a`` when neither side varies (the
    KPI is the same in every replication), ``exact`` when the paired differences do not vary."""
    if np.isnan(reduction):
        return "n/a"
    if np.isinf(reduction):
        return "exact"
    return f"{reduction:.1f}x"


CONTRAST_COLUMNS = (
    "point",
    "kpi",
    "baseline_mean",
    "mean",
    "difference",
    "ci_low",
    "ci_high",
    "n",
    "unpaired_ci_low",
    "unpaired_ci_high",
    "variance_reduction",
)


def point_contrasts(runs: pd.DataFrame, factors: list[str], baseline: int) -> pd.DataFrame:
    """Each point of a sweep against the baseline point, paired by replication.

    Replication r of every point draws the same random numbers (common random numbers), so the
    paired difference ``point − baseline`` is measured with less noise than two independent
    means: beside its 95% CI the table gives the CI the same runs would give unpaired (the two
    variances added, n − 1 degrees of freedom) and the variance reduction.
    """
    ids = {"point", "run_id", "seconds", "replication", *factors}
    kpis = [c for c in runs.columns if c not in ids]
    base = runs[runs.point == baseline][["replication", *kpis]]
    frames = []
    for point, group in runs[runs.point != baseline].groupby("point", sort=True):
        table = paired_comparison(base, group[["replication", *kpis]])
        pairs = base.merge(group[["replication", *kpis]], on="replication", suffixes=("_a", "_b"))
        unpaired = []
        for kpi in table.kpi:
            a = pairs[f"{kpi}_a"].astype(float).dropna().to_numpy()
            b = pairs[f"{kpi}_b"].astype(float).dropna().to_numpy()
            n = min(a.size, b.size)
            spread = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / n) if n > 1 else np.nan
            unpaired.append(spread * stats.t.ppf(0.975, n - 1) if n > 1 else np.nan)
        half = np.asarray(unpaired)
        table = table.rename(columns={"mean_a": "baseline_mean", "mean_b": "mean"})
        table["unpaired_ci_low"] = table.difference - half
        table["unpaired_ci_high"] = table.difference + half
        table.insert(0, "point", point)
        for key in reversed(factors):
            table.insert(1, key, group[key].iloc[0])
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=["point", *factors, *CONTRAST_COLUMNS[1:]])
    contrasts = pd.concat(frames, ignore_index=True)
    return contrasts[["point", *factors, *CONTRAST_COLUMNS[1:]]]


def write_compare_folder(
    folder: Path,
    scenarios: tuple[Any, Any],
    runs: tuple[list[Any], list[Any]],
    started: datetime,
    extra: Mapping[str, Any],
) -> pd.DataFrame:
    """Write a comparison of scenarios A and B (``runs``: their
    :class:`sim.experiments.runs.TimedReplication` lists, replication for replication) and, last,
    its manifest; return the comparison (:func:`paired_comparison`)."""
    from sim.outputs.figures import pyplot, save_figure
    from sim.outputs.plots import draw_differences
    from sim.outputs.results import (
        atomic_write,
        manifest,
        replications_table,
        write_manifest,
        write_table,
    )

    a, b = scenarios
    tables = [replications_table(r.result.kpis for r in done) for done in runs]
    comparison = paired_comparison(*tables)
    both = pd.concat(
        [tables[0].assign(scenario=a.name), tables[1].assign(scenario=b.name)], ignore_index=True
    )
    write_table(folder / "comparison.csv", comparison)
    write_table(folder / "replications.csv", both)
    (folder / "figures").mkdir(exist_ok=True)
    figure = save_figure(
        atomic_write,
        draw_differences(comparison, []),
        folder / "figures" / "differences.png",
        pyplot(),
    )
    write_manifest(
        folder,
        manifest(
            {"a": a.model_dump(mode="json"), "b": b.model_dump(mode="json")},
            seed=a.run.seed,
            replications=len(runs[0]),
            replication_seconds={i: r.seconds for i, r in enumerate(runs[0] + runs[1])},
            started=started,
            finished=datetime.now(UTC),
            files=["comparison.csv", "replications.csv", figure],
            extra={"aggsim": "compare", **extra},
        ),
    )
    return comparison
