"""Paired comparison of two scenarios with common random numbers (ENGINEERING: CRN).

Both scenarios run replications 0..R-1 with the same root seed, so replication r of A and of B
draw the same random numbers stream by stream. The paired differences ``B − A`` then carry much
less noise than differences between independent runs: the *variance reduction* reported is
``(var(A) + var(B)) / var(B − A)``, the factor by which independent seeds would have needed more
replications for the same precision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.results import half_width

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
