"""The figures a researcher looks at first after a run (written to ``figures/``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.model.metrics import CAUSES

FIGURE_NAMES = ("failures_by_cause.png", "blame_and_compensation.png", "customers_and_churn.png")


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_figures(timeseries: pd.DataFrame, folder: Path, title: str, save) -> list[str]:
    """Plot the daily means over replications, each with its 95% band across replications, and
    save each figure with ``save(path, fig)``. Returns the file names written, relative to
    ``folder``."""
    plt = pyplot()
    written = []

    fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    for cause in CAUSES:
        _band(ax, timeseries, f"failures_cause_{cause}", cause)
    ax.set(xlabel="day", ylabel="failures per day", title=f"{title}: daily failures by cause")
    ax.set_ylim(0, None)
    fig.legend(title="true cause", loc="outside right upper")
    written.append(save_figure(save, fig, folder / FIGURE_NAMES[0], plt))

    fig, (judged, paid) = plt.subplots(
        2, 1, figsize=(8, 6), sharex=True, height_ratios=(2, 1), layout="constrained"
    )
    _band(judged, timeseries, "mean_aggregator_responsibility", "platform responsibility")
    _band(judged, timeseries, "mean_provider_responsibility", "provider responsibility")
    _band(judged, timeseries, "mean_expected_compensation_share", "expected compensation / price")
    judged.set(
        ylabel="mean over the day's failures",
        ylim=(0, None),
        title=f"{title}: blame and expected compensation",
    )
    _band(paid, timeseries, "compensation_paid", "compensation paid", color="grey")
    paid.set(xlabel="day", ylabel="paid per day [currency]", ylim=(0, None))
    fig.legend(loc="outside right upper")
    written.append(save_figure(save, fig, folder / FIGURE_NAMES[1], plt))

    fig, (active, churned) = plt.subplots(
        2, 1, figsize=(8, 6), sharex=True, height_ratios=(2, 1), layout="constrained"
    )
    _band(active, timeseries, "customers_active", "active customers")
    active.set(ylabel="active customers", title=f"{title}: customers and churn")
    _band(churned, timeseries, "customers_churned", "churned", color="tab:red")
    churned.set(xlabel="day", ylabel="churned per day", ylim=(0, None))
    fig.legend(loc="outside right upper")
    written.append(save_figure(save, fig, folder / FIGURE_NAMES[2], plt))
    return written


def _band(ax, timeseries: pd.DataFrame, column: str, label: str, color: str | None = None):
    """The daily mean of a column over the replications, with its 95% Student-t band."""
    from matplotlib.ticker import MaxNLocator

    from sim.outputs.statistics import half_width

    daily = timeseries.groupby("day")[column].agg(["mean", half_width])
    (line,) = ax.plot(daily.index, daily["mean"], label=label, color=color)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    half = daily["half_width"]
    if np.isfinite(half).all():  # two replications or more
        ax.fill_between(
            daily.index,
            daily["mean"] - half,
            daily["mean"] + half,
            color=line.get_color(),
            alpha=0.2,
            linewidth=0,
        )
    return line


def save_figure(save, fig, path: Path, plt) -> str:
    if fig.get_layout_engine() is None:  # a figure drawn with constrained layout keeps it
        fig.tight_layout()
    save(path, lambda target: fig.savefig(target, dpi=110, format="png"))
    plt.close(fig)
    return f"{path.parent.name}/{path.name}"


def write_sensitivity_figures(indices: pd.DataFrame, method: str, folder: Path, save) -> list[str]:
    """One figure per KPI: Morris μ*–σ, or Sobol'/FAST S1 and ST bars with CI whiskers."""
    import numpy as np

    plt = pyplot()
    written = []
    for kpi, table in indices.groupby("kpi", sort=False):
        fig, ax = plt.subplots(figsize=(8, 5.5))
        if method == "morris":
            ax.errorbar(
                table.mu_star,
                table.sigma,
                xerr=[table.mu_star - table.mu_star_ci_low, table.mu_star_ci_high - table.mu_star],
                yerr=[table.sigma - table.sigma_ci_low, table.sigma_ci_high - table.sigma],
                fmt="o",
                capsize=3,
            )
            for row in table.itertuples():
                ax.annotate(
                    row.parameter,
                    (row.mu_star, row.sigma),
                    textcoords="offset points",
                    xytext=(5, 5),
                    fontsize=8,
                )
            top = float(max(table.mu_star.max(), table.sigma.max(), 1e-12))
            ax.plot(
                [0, top],
                [0, top],
                color="grey",
                linewidth=0.8,
                linestyle="--",
                label="σ = μ* (non-linear or interacting above)",
            )
            ax.set(
                xlabel="μ* (overall influence)",
                ylabel="σ (non-linearity and interactions)",
                title=f"Morris screening: {kpi}",
                xlim=(0, None),
                ylim=(0, None),
            )
            ax.legend(loc="upper left", fontsize=8)
        else:
            ordered = table.sort_values("ST", ascending=True)
            y = np.arange(len(ordered))
            for offset, name in ((-0.2, "S1"), (0.2, "ST")):
                ax.barh(
                    y + offset,
                    ordered[name],
                    height=0.38,
                    label=name,
                    xerr=[
                        ordered[name] - ordered[f"{name}_ci_low"],
                        ordered[f"{name}_ci_high"] - ordered[name],
                    ],
                    capsize=3,
                )
            ax.set_yticks(y, ordered.parameter, fontsize=8)
            ax.axvline(0, color="black", linewidth=0.8)
            label = "Sobol'" if method == "sobol" else "FAST"
            ax.set(xlabel="index (95% CI)", title=f"{label} indices: {kpi}")
            ax.legend(loc="lower right")
        written.append(save_figure(save, fig, folder / f"sensitivity_{kpi}.png", plt))
    return written


def write_convergence_figures(conv: pd.DataFrame, folder: Path, save) -> list[str]:
    """One figure per KPI: each parameter's main index against the sample size, with CIs."""
    plt = pyplot()
    written = []
    for kpi, table in conv.groupby("kpi", sort=False):
        fig, ax = plt.subplots(figsize=(8, 5))
        for parameter, rows in table.groupby("parameter", sort=False):
            ax.plot(rows.samples, rows.value, marker="o", label=parameter)
            ax.fill_between(rows.samples, rows.ci_low, rows.ci_high, alpha=0.12)
        ax.set_xscale("log", base=2)
        ax.set(
            xlabel="samples (N)",
            ylabel=table["index"].iloc[0],
            title=f"Convergence of the indices: {kpi}",
        )
        ax.legend(fontsize=7, loc="best")
        written.append(save_figure(save, fig, folder / f"convergence_{kpi}.png", plt))
    return written


def write_contrast_figure(
    contrasts: pd.DataFrame, factors: list[str], baseline: int, folder: Path, save
) -> str:
    """The main KPIs of every point minus the baseline point's: the paired difference with its
    95% CI (common random numbers), and the wider CI the same runs would give unpaired."""
    from sim.model.kpis import main_kpis

    plt = pyplot()
    shown = main_kpis()
    import textwrap

    points = sorted(contrasts.point.unique())
    values = contrasts.drop_duplicates("point").set_index("point")[factors]
    names = [
        ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values.loc[p])
        for p in points
    ]
    fig, axes = plt.subplots(
        1, len(shown), figsize=(3.2 * len(shown), 1.2 + 0.28 * len(points)), sharey=True
    )
    for ax, k in zip(axes, shown, strict=True):
        rows = contrasts[contrasts.kpi == k.name].set_index("point").reindex(points)
        y = np.arange(len(points))
        ax.errorbar(
            rows.difference,
            y + 0.12,
            xerr=[rows.difference - rows.unpaired_ci_low, rows.unpaired_ci_high - rows.difference],
            fmt="none",
            ecolor="lightgray",
            elinewidth=3,
            label="unpaired 95% CI",
        )
        ax.errorbar(
            rows.difference,
            y,
            xerr=[rows.difference - rows.ci_low, rows.ci_high - rows.difference],
            fmt="o",
            markersize=3,
            capsize=2,
            label="paired 95% CI",
        )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title("\n".join(textwrap.wrap(k.label, 24)), fontsize="medium")
        ax.set(xlabel=f"difference from point {baseline}")
        ax.set_yticks(y, names)
    axes[0].legend(loc="best", fontsize="small")
    fig.tight_layout()
    return save_figure(save, fig, folder / "contrasts.png", plt)
