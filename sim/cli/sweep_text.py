"""What ``aggsim sweep`` says before and after it runs: the design it expanded, value by value,
and a summary of the main KPIs with the next command (docs/guide/sweeps.md)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.outputs.statistics import SUMMARY_COLUMNS

#: Values of a factor shown in full; beyond, the first three, the last two and the count.
SHOWN_VALUES = 8
#: Main KPIs summarised at the end.
SUMMARISED = 3


def _value(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def design_lines(design: str, points: Sequence[dict[str, Any]], replications: int) -> list[str]:
    """The design as it will run: its kind and size, then each factor's values (a grid's) or
    range (a sampled design's), so that a range read the wrong way shows before anything runs."""
    lines = [
        f"design: {design}, {len(points)} points x {replications} replications "
        f"= {len(points) * replications} runs"
    ]
    for key in points[0] if points else ():
        values = sorted({point[key] for point in points}, key=lambda v: (str(type(v)), v))
        if design != "grid" and all(isinstance(v, int | float) for v in values):
            lines.append(
                f"  {key}: {_value(values[0])} to {_value(values[-1])} ({len(values)} values)"
            )
            continue
        shown = [_value(v) for v in values]
        if len(shown) > SHOWN_VALUES:
            shown = [*shown[:3], "...", *shown[-2:]]
        lines.append(f"  {key}: {', '.join(shown)} ({len(values)} values)")
    return lines


def summary_lines(folder: Path, main_kpis: Sequence[str]) -> list[str]:
    """The first :data:`SUMMARISED` main KPIs' lowest and highest mean across the points, each
    with its point's values, then the command that draws them."""
    path = folder / "summary.csv"
    if not path.is_file():
        return []
    summary = pd.read_csv(path)
    factors = [c for c in summary.columns if c not in {"point", *SUMMARY_COLUMNS}]
    lines = []
    for kpi in [k for k in main_kpis if k in set(summary.kpi)][:SUMMARISED]:
        rows = summary[summary.kpi == kpi].dropna(subset=["mean"])
        if rows.empty:
            continue
        low, high = rows.loc[rows["mean"].idxmin()], rows.loc[rows["mean"].idxmax()]
        lowest, highest = f"{low['mean']:.3g}", f"{high['mean']:.3g}"
        lines.append(f"  {kpi}: {lowest} ({_at(low, factors)}) to {highest} ({_at(high, factors)})")
    if lines:
        lines.insert(0, "the main KPIs across the points (mean of the replications):")
    plot = ["aggsim", "plot", str(folder)]
    if factors:
        plot += ["--x", factors[0]]
    if len(factors) > 1:
        plot += ["--hue", factors[1]]
    lines.append(f"next: {shlex.join(plot)}  (the main KPIs with 95% CIs)")
    return lines


def _at(row: pd.Series, factors: Sequence[str]) -> str:
    return ", ".join(f"{key.rsplit('.', 1)[-1]} {_value(row[key])}" for key in factors)
