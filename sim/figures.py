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
