"""The statistics of replications: means with Student-t intervals (MODEL.md 7).

Kept apart from the writing of files, so that experiments, sweeps, comparisons and figures use
the same intervals without depending on each other.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import stats

SUMMARY_COLUMNS = ("kpi", "mean", "std", "ci_low", "ci_high", "n")


def half_width(values: Iterable[float], confidence: float = 0.95) -> float:
    """Half-width of the Student-t confidence interval of the mean of the non-missing values;
    infinite with fewer than two."""
    array = np.asarray(list(values), dtype=float)
    array = array[~np.isnan(array)]
    if array.size < 2:
        return np.inf
    return float(
        stats.t.ppf(0.5 + confidence / 2, array.size - 1) * array.std(ddof=1) / np.sqrt(array.size)
    )


def summarise(table: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per KPI: mean, standard deviation, Student-t confidence interval and n (non-missing values).

    With a single replication the interval is undefined (NaN).
    """
    rows = []
    for column in table.columns:
        if column == "replication":
            continue
        values = table[column].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        n = values.size
        mean = values.mean() if n else np.nan
        std = values.std(ddof=1) if n > 1 else np.nan
        half = half_width(values, confidence) if n > 1 else np.nan
        rows.append((column, mean, std, mean - half, mean + half, n))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
