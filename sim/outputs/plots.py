"""Figures of a results folder for a paper (``aggsim plot``) and the sweep's own figures.

A sweep's figure shows chosen KPIs against one varied parameter (``x``), one line per level of a
second (``hue``), one row of panels per level of a third (``facet``); the parameters not shown are
averaged over. Every mean comes with its 95% Student-t interval over the runs, as a band (numeric
``x``) or whiskers (a categorical ``x``, drawn as points, never joined by a line), limited to the
KPI's possible range. A run's figure shows the daily time series of chosen columns with a band
across replications; a comparison's shows each KPI's paired difference with its interval.

The data of a figure is computed apart from its drawing (:func:`sweep_plot_data`), so what a
figure shows can be checked without reading pixels.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.model.kpis import kpi as kpi_of
from sim.model.kpis import kpi_columns, label, main_kpis
from sim.outputs.statistics import half_width
from sim.scenario.schema import parameter_label

FORMATS = ("png", "pdf", "svg")
CI_STYLES = ("bands", "whiskers")
#: A journal's single column, in inches; a double column is about 7.
COLUMN_WIDTH = 3.5
MOST_HUE_LEVELS = 8


@dataclass(frozen=True)
class SweepView:
    """What a sweep figure shows: KPIs against ``x``, by ``hue``, in rows by ``facet``."""

    kpis: tuple[str, ...]
    x: str
    hue: str | None = None
    facet: str | None = None
    ci: str = "bands"


def _mean_ci(values: pd.Series) -> tuple[float, float, float, int]:
    array = values.dropna().to_numpy(dtype=float)
    if array.size == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(array.mean())
    half = half_width(array) if array.size > 1 else np.nan
    return mean, mean - half, mean + half, int(array.size)


#: A numeric ``x`` with more distinct values than this (a sampled design) is shown in deciles.
MOST_X_VALUES = 12


def sweep_plot_data(runs: pd.DataFrame, view: SweepView) -> pd.DataFrame:
    """One row per facet level, hue level, ``x`` value and KPI: the mean over the runs, its 95%
    interval (limited to the KPI's range) and n. A numeric ``x`` of many values (a sampled
    design) is grouped in deciles, each shown at its mean."""
    if not _categorical(runs[view.x]) and runs[view.x].nunique() > MOST_X_VALUES:
        deciles = pd.qcut(runs[view.x], 10, duplicates="drop")
        runs = runs.assign(
            **{view.x: runs.groupby(deciles, observed=True)[view.x].transform("mean")}
        )
    keys = [k for k in (view.facet, view.hue, view.x) if k is not None]
    rows = []
    for group, frame in runs.groupby(keys, sort=False, dropna=False):  # levels in design order
        values = dict(zip(keys, group if isinstance(group, tuple) else (group,), strict=True))
        for name in view.kpis:
            mean, low, high, n = _mean_ci(frame[name])
            if name in kpi_columns():
                k = kpi_of(name)
                low, high = k.clip(low), k.clip(high)
            rows.append(
                {**values, "kpi": name, "mean": mean, "ci_low": low, "ci_high": high, "n": n}
            )
    data = pd.DataFrame(rows)
    if not _categorical(runs[view.x]):
        data = data.sort_values(view.x, kind="stable", ignore_index=True)
    return data


def default_view(points: pd.DataFrame, factors: list[str], x: str | None = None) -> SweepView:
    """The main KPIs (those the runs have; else their first four outputs) against ``x`` (the
    first varied parameter), one line per level of the varied parameter with the fewest levels
    among the others (at most eight)."""
    x = x or factors[0]
    others = sorted(
        (f for f in factors if f != x and points[f].nunique() <= MOST_HUE_LEVELS),
        key=lambda f: points[f].nunique(),
    )
    shown = [k.name for k in main_kpis() if k.name in points.columns]
    if not shown:
        ids = {"point", "replication", "run_id", "seconds", *factors}
        shown = [c for c in points.columns if c not in ids][:4]
    return SweepView(tuple(shown), x, others[0] if others else None)


def _categorical(series: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def draw_sweep(data: pd.DataFrame, view: SweepView, width: float = 2 * COLUMN_WIDTH):
    """The figure of :func:`sweep_plot_data`: panels of KPIs (columns) by facet levels (rows)."""
    plt = _pyplot()
    facets = list(data[view.facet].unique()) if view.facet else [None]
    most_columns = max(1, int(width // 2.3))
    panel_rows = -(-len(view.kpis) // most_columns)
    columns = -(-len(view.kpis) // panel_rows)  # balanced: 4 panels in 2 x 2, not 3 + 1
    panel = width / columns
    fig, axes = plt.subplots(
        panel_rows * len(facets),
        columns,
        figsize=(width, 0.85 * panel * panel_rows * len(facets) + (0.5 if view.hue else 0)),
        squeeze=False,
        layout="constrained",
    )
    categorical = _categorical(data[view.x])
    hues = list(data[view.hue].unique()) if view.hue else [None]
    for f_index, facet in enumerate(facets):
        in_facet = data[data[view.facet] == facet] if view.facet else data
        for k_index, name in enumerate(view.kpis):
            ax = axes[f_index * panel_rows + k_index // columns][k_index % columns]
            rows = in_facet[in_facet.kpi == name]
            levels = list(rows[view.x].unique())
            for h_index, hue in enumerate(hues):
                line = rows[rows[view.hue] == hue] if view.hue else rows
                tag = (f"{hue:g}" if isinstance(hue, float) else str(hue)) if view.hue else None
                if categorical:
                    shift = (h_index - (len(hues) - 1) / 2) * 0.12
                    where = np.array([levels.index(v) for v in line[view.x]]) + shift
                    _draw_points(ax, where, line, tag)
                else:
                    _draw_line(ax, line, view, tag)
            if categorical:
                ax.set_xticks(range(len(levels)), [str(v) for v in levels])
            title = "\n".join(textwrap.wrap(label(name), 28))
            if view.facet:
                title += f"\n{parameter_label(view.facet)} = {_level(facet)}"
            ax.set_title(title, fontsize="small")
            ax.set_xlabel(parameter_label(view.x), fontsize="small")
            ax.tick_params(labelsize="x-small")
        for extra in range(len(view.kpis), panel_rows * columns):
            axes[f_index * panel_rows + extra // columns][extra % columns].set_visible(False)
    _share_y_across_facets(axes, len(view.kpis), len(facets), panel_rows, columns)
    if view.hue:
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(
            handles,
            labels,
            title=parameter_label(view.hue),
            loc="outside lower center",
            ncols=min(len(labels), 4),
            fontsize="small",
            title_fontsize="small",
        )
    return fig


def _share_y_across_facets(axes, kpis: int, facets: int, panel_rows: int, columns: int) -> None:
    """One y range for a KPI in every row of facets, so that the rows compare at a glance."""
    for k_index in range(kpis):
        same = [
            axes[f_index * panel_rows + k_index // columns][k_index % columns]
            for f_index in range(facets)
        ]
        low = min(ax.get_ylim()[0] for ax in same)
        high = max(ax.get_ylim()[1] for ax in same)
        for ax in same:
            ax.set_ylim(low, high)


def _level(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _draw_points(ax, where: np.ndarray, line: pd.DataFrame, tag: str | None) -> None:
    """One level of the hue on a categorical x: its means with 95% CI whiskers."""
    ax.errorbar(
        where,
        line["mean"],
        yerr=[line["mean"] - line.ci_low, line.ci_high - line["mean"]],
        fmt="o",
        capsize=2,
        markersize=4,
        label=tag,
    )


def _draw_line(ax, line: pd.DataFrame, view: SweepView, tag: str | None) -> None:
    """One level of the hue on a numeric x: its means joined, with 95% CI bands or whiskers."""
    (drawn,) = ax.plot(line[view.x], line["mean"], marker="o", markersize=3, label=tag)
    if view.ci == "bands":
        ax.fill_between(
            line[view.x],
            line.ci_low,
            line.ci_high,
            alpha=0.2,
            color=drawn.get_color(),
            linewidth=0,
        )
    else:
        ax.errorbar(
            line[view.x],
            line["mean"],
            yerr=[line["mean"] - line.ci_low, line.ci_high - line["mean"]],
            fmt="none",
            capsize=2,
            ecolor=drawn.get_color(),
        )


def write_sweep_figures(runs: pd.DataFrame, factors: list[str], folder: Path, save) -> list[str]:
    """A sweep's own figures: for each varied parameter, the main KPIs against it, one line per
    level of another (:func:`default_view`). Returns the files written, relative to the sweep's
    folder."""
    from sim.outputs.figures import save_figure

    plt = _pyplot()
    written = []
    for factor in factors:
        view = default_view(runs, factors, factor)
        fig = draw_sweep(sweep_plot_data(runs, view), view)
        written.append(save_figure(save, fig, folder / f"{factor}.png", plt))
    return written


def _pyplot():
    from sim.outputs.figures import pyplot

    return pyplot()


# ---------------------------------------------------------------------- the command


def plot_folder(
    folder: Path,
    kpis: list[str],
    x: str | None,
    hue: str | None,
    facet: str | None,
    ci: str,
    fmt: str,
    width: float,
    out: Path,
) -> Path:
    """Draw the figure of a results folder (its kind from the manifest) and save it as ``out``
    (checked by :func:`sim.outputs.output_file.check_output_file`), in format ``fmt``."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        kind = manifest["aggsim"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError(
            f"{folder}: not a complete results folder (no readable manifest.json)"
        ) from None
    for name in kpis:
        if name not in kpi_columns():
            from sim.outputs.reference import check_kpi

            check_kpi(name, "--kpi")
    if kind in ("sweep", "sensitivity"):
        fig = _sweep_figure(folder, manifest, kpis, x, hue, facet, ci, width)
    elif kind == "run":
        fig = _run_figure(folder, kpis, ci, width)
    elif kind == "compare":
        fig = _compare_figure(folder, kpis, width)
    else:
        raise UserError(f"{folder}: aggsim plot draws run, sweep, sensitivity and compare folders")
    from sim.outputs.results import atomic_write

    plt = _pyplot()
    atomic_write(out, lambda path: fig.savefig(path, dpi=300, format=fmt, bbox_inches="tight"))
    plt.close(fig)
    return out


def _sweep_figure(folder, manifest, kpis, x, hue, facet, ci, width):
    factors = [f["key"] for f in manifest["factors"]]
    for option, name in (("--x", x), ("--hue", hue), ("--facet", facet)):
        if name is not None and name not in factors:
            raise UserError(
                f"{option}: {name}: not a varied parameter of this sweep "
                f"(expected one of {', '.join(factors)})"
            )
    chosen = [n for n in (x, hue, facet) if n]
    if len(set(chosen)) != len(chosen):
        raise UserError("--x, --hue and --facet: give each a different parameter")
    runs = pd.read_parquet(folder / "runs.parquet")
    view = default_view(runs, factors, x)
    view = SweepView(
        tuple(kpis) or view.kpis,
        view.x,
        hue if hue is not None else (view.hue if view.hue != facet else None),
        facet,
        ci,
    )
    return draw_sweep(sweep_plot_data(runs, view), view, width)


def _run_figure(folder, kpis, ci, width):
    timeseries = pd.read_parquet(folder / "timeseries.parquet")
    columns = kpis or [
        "mean_aggregator_responsibility",
        "mean_expected_compensation_share",
        "customers_active",
    ]
    missing = [c for c in columns if c not in timeseries.columns]
    if missing:
        raise UserError(
            f"--kpi: {missing[0]}: a run's figure shows columns of timeseries.parquet "
            f"(e.g. {', '.join(timeseries.columns[2:6])})"
        )
    view = SweepView(tuple(columns), "day", None, None, ci)
    return draw_sweep(sweep_plot_data(timeseries, view), view, width)


def _compare_figure(folder, kpis, width):
    return draw_differences(pd.read_csv(folder / "comparison.csv"), kpis, width)


def draw_differences(comparison: pd.DataFrame, kpis: list[str], width: float = 2 * COLUMN_WIDTH):
    """B − A of each KPI (default: the main KPIs) with its paired 95% CI, one panel each."""
    comparison = comparison.set_index("kpi")
    names = kpis or [k.name for k in main_kpis()]
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(names), figsize=(width, 1.8), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        row = comparison.loc[name]
        ax.errorbar(
            [row.difference],
            [0],
            xerr=[[row.difference - row.ci_low], [row.ci_high - row.difference]],
            fmt="o",
            capsize=3,
        )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks([])
        ax.set_title("\n".join(textwrap.wrap(label(name), 24)), fontsize="small")
        ax.set_xlabel("B - A", fontsize="small")
        ax.tick_params(labelsize="x-small")
    return fig
