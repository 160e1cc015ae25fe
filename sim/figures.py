"""The figures a researcher looks at first after a run (written to ``figures/``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.model.metrics import CAUSES

FIGURE_NAMES = ("failures_by_cause.png", "blame_and_compensation.png", "customers_and_churn.png")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_figures(timeseries: pd.DataFrame, folder: Path, title: str, save) -> list[str]:
    """Plot the daily means over replications and save each figure with ``save(path, fig)``.

    Returns the file names written, relative to ``folder``.
    """
    plt = _pyplot()
    daily = timeseries.groupby("day").mean(numeric_only=True)
    written = []

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for cause in CAUSES:
        ax.plot(daily.index, daily[f"failures_cause_{cause}"], label=cause)
    ax.set(xlabel="day", ylabel="failures per day", title=f"{title}: daily failures by cause")
    ax.legend(title="true cause")
    ax.set_ylim(0, None)
    written.append(_save(save, fig, folder / FIGURE_NAMES[0], plt))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(daily.index, daily.mean_aggregator_responsibility, label="platform responsibility")
    ax.plot(daily.index, daily.mean_provider_responsibility, label="provider responsibility")
    ax.plot(
        daily.index, daily.mean_expected_compensation_share, label="expected compensation / price"
    )
    ax.set(
        xlabel="day",
        ylabel="mean over the day's failures",
        ylim=(0, None),
        title=f"{title}: blame and expected compensation",
    )
    paid = ax.twinx()
    paid.bar(
        daily.index, daily.compensation_paid, alpha=0.2, color="grey", label="compensation paid"
    )
    paid.set_ylabel("compensation paid per day")
    _behind(ax, paid)
    ax.legend(loc="lower left")
    paid.legend(loc="lower right")
    written.append(_save(save, fig, folder / FIGURE_NAMES[1], plt))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(daily.index, daily.customers_active, label="active customers")
    ax.set(xlabel="day", ylabel="active customers", title=f"{title}: customers and churn")
    churn = ax.twinx()
    churn.bar(daily.index, daily.customers_churned, alpha=0.3, color="tab:red", label="churned")
    churn.set_ylabel("customers churned per day")
    _behind(ax, churn)
    ax.legend(loc="upper left")
    churn.legend(loc="upper right")
    written.append(_save(save, fig, folder / FIGURE_NAMES[2], plt))
    return written


def _behind(ax, twin) -> None:
    """Draw the twin axis (bars) behind the main one (lines), with whole days on the x axis."""
    from matplotlib.ticker import MaxNLocator

    ax.set_zorder(twin.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _save(save, fig, path: Path, plt) -> str:
    fig.tight_layout()
    save(path, lambda target: fig.savefig(target, dpi=110, format="png"))
    plt.close(fig)
    return f"{path.parent.name}/{path.name}"


def write_sweep_figures(summary: pd.DataFrame, factors: list[str], folder: Path, save) -> list[str]:
    """One figure per varied parameter: the main KPIs against its values, point means with 95% CI
    bars, and the mean over points at each value (or in each decile, for continuous values)."""
    plt = _pyplot()
    from sim.sweep import MAIN_KPIS

    written = []
    for factor in factors:
        fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True)
        categorical = not pd.api.types.is_numeric_dtype(
            summary[factor]
        ) or pd.api.types.is_bool_dtype(summary[factor])
        for ax, kpi in zip(axes.flat, MAIN_KPIS, strict=True):
            rows = summary[summary.kpi == kpi]
            x = rows[factor].astype(str) if categorical else rows[factor]
            ax.errorbar(
                x,
                rows["mean"],
                yerr=[rows["mean"] - rows.ci_low, rows.ci_high - rows["mean"]],
                fmt="o",
                alpha=0.45,
                markersize=4,
                capsize=2,
            )
            if categorical or rows[factor].nunique() <= 12:
                trend = rows.groupby(x)["mean"].mean()
            else:
                bins = pd.qcut(rows[factor], 10, duplicates="drop")
                trend = rows.groupby(bins, observed=True).agg(
                    x=(factor, "mean"), y=("mean", "mean")
                )
                trend = trend.set_index("x")["y"]
            ax.plot(
                trend.index, trend.values, color="black", linewidth=1.5, label="mean over points"
            )
            ax.set(title=kpi, xlabel=factor)
        axes.flat[0].legend(loc="best")
        fig.suptitle(f"{factor}: point means with 95% CI")
        written.append(_save(save, fig, folder / f"{factor}.png", plt))
    return written
