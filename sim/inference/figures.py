"""The figures of a calibration (written to ``figures/``): the posterior's marginals against
the priors, the generations' thresholds, acceptance and effective sample sizes, and the
predictive intervals against the targets (MODEL.md 11.1)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments.posterior import Posterior
from sim.inference.priors import Prior
from sim.outputs.figures import pyplot, save_figure

FIGURES = ("posterior.png", "generations.png", "predictive.png")


def write_figures(
    folder: Path,
    posterior: Posterior,
    priors: Sequence[Prior],
    defaults: dict[str, float],
    generations: pd.DataFrame,
    predictive: pd.DataFrame,
    save,
) -> list[str]:
    """Draw the three figures and save each with ``save(path, write)``; returns their names
    relative to ``folder``."""
    plt = pyplot()
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    written = []

    fig, axes = plt.subplots(
        1, len(priors), figsize=(3.6 * len(priors), 3.2), layout="constrained", squeeze=False
    )
    for ax, prior in zip(axes[0], priors, strict=True):
        x = posterior.particles[prior.key].to_numpy(float)
        ax.hist(
            x,
            bins=20,
            range=(prior.low, prior.high),
            weights=posterior.weights,
            density=True,
            color="tab:blue",
            alpha=0.75,
            label="posterior",
        )
        ax.axhline(1 / prior.width, color="grey", linestyle="--", label="prior")
        ax.axvline(defaults[prior.key], color="black", linewidth=1, label="scenario's value")
        ax.set(xlim=(prior.low, prior.high), xlabel=prior.key, yticks=[])
    axes[0][0].set_ylabel("density")
    axes[0][0].legend(fontsize="small")
    fig.suptitle("Posterior marginals against the uniform priors")
    written.append(save_figure(save, fig, folder / "figures" / FIGURES[0], plt))

    fig, (eps, rate) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
    shown = generations[np.isfinite(generations.epsilon)]
    eps.plot(shown.t, shown.epsilon, marker="o")
    eps.axhline(1.0, color="grey", linestyle="--", label="every statistic inside its range")
    eps.set(xlabel="generation", ylabel="threshold ε (half-widths)", title="Thresholds")
    eps.legend(fontsize="small")
    rate.plot(generations.t, generations.acceptance, marker="o", label="acceptance")
    rate.set(xlabel="generation", ylabel="acceptance", ylim=(0, 1.05), title="Acceptance, ESS")
    ess = rate.twinx()
    ess.plot(generations.t, generations.ess, marker="s", color="tab:orange", label="ESS")
    ess.set(ylabel="effective sample size", ylim=(0, None))
    fig.legend(loc="outside lower center", ncols=2, fontsize="small")
    written.append(save_figure(save, fig, folder / "figures" / FIGURES[1], plt))

    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.55 * len(predictive)), layout="constrained")
    for i, row in enumerate(predictive.itertuples()):
        scale = max(abs(row.target_high - row.target_low), 1e-12)
        centre = (row.target_low + row.target_high) / 2

        def place(v, centre=centre, scale=scale):
            return (v - centre) / scale

        ax.fill_betweenx(
            [i - 0.3, i + 0.3],
            place(row.target_low),
            place(row.target_high),
            color="tab:green",
            alpha=0.25,
            linewidth=0,
        )
        colour = "tab:blue" if row.set == "calibration" else "tab:purple"
        ax.plot([place(row.predictive_low), place(row.predictive_high)], [i, i], color=colour)
        ax.plot(place(row.median), i, "o", color=colour)
    ax.set_yticks(range(len(predictive)), [f"{r.key} ({r.set})" for r in predictive.itertuples()])
    ax.invert_yaxis()
    ax.set(
        xlabel="distance from the target's middle, in target widths (green: the target)",
        title="Predictive intervals (90%) against the targets",
    )
    written.append(save_figure(save, fig, folder / "figures" / FIGURES[2], plt))
    return written
