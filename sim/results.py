"""Result tables: KPI rows of many replications and their summary (MODEL.md 7.1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import stats

SUMMARY_COLUMNS = ("kpi", "mean", "std", "ci_low", "ci_high", "n")


def replications_table(rows: Iterable[Mapping[str, float]]) -> pd.DataFrame:
    """One row per replication, in replication order."""
    return pd.DataFrame(list(rows)).sort_values("replication", kind="stable").reset_index(drop=True)


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
        half = stats.t.ppf(0.5 + confidence / 2, n - 1) * std / np.sqrt(n) if n > 1 else np.nan
        rows.append((column, mean, std, mean - half, mean + half, n))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
