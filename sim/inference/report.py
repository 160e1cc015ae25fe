"""A calibration's results folder (MODEL.md 11.1): the posterior and its summary, the
generations, the predictive check, a Markdown summary, figures and the manifest."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.posterior import LEVEL, Posterior
from sim.inference.figures import write_figures
from sim.inference.pages import PAGES
from sim.inference.predictive import FILE as PREDICTIVE_FILE
from sim.inference.predictive import held_out_sentence, markdown_table
from sim.inference.smc import Calibration
from sim.scenario import Scenario


def markdown(
    calibration: Calibration,
    summary: pd.DataFrame,
    predictive: pd.DataFrame,
    world: Mapping[str, Any],
    title: str,
) -> str:
    settings = calibration.settings
    g = calibration.generations
    last = g.iloc[-1]
    reached = (
        "every calibration statistic inside its target (ε = 1)"
        if calibration.reached
        else f"ε = {last.epsilon:.3g} half-widths: the targets were not all reached within "
        f"{len(g)} generations; read the posterior as an approximation at that threshold"
    )
    lines = [
        f"# {title}",
        "",
        f"ABC-SMC (pyabc), {settings.population} particles per generation, {len(g)} "
        f"generations, {int(g.evaluations.sum())} simulated worlds in all; last generation: "
        f"{reached}. Calibration world: "
        + ", ".join(f"{k} = {v}" for k, v in world.items())
        + f"; {settings.replications} replication(s) per condition per particle; seed "
        f"{settings.seed}.",
        "",
        f"## Posterior ({LEVEL:.0%} credible intervals)",
        "",
        "| parameter | scenario's value | mean | median | interval | prior | share of prior |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in summary.itertuples():
        lines.append(
            f"| {r.parameter} | {r.scenario_value:.4g} | {r.mean:.4g} | {r.median:.4g} | "
            f"{r.ci_low:.4g} to {r.ci_high:.4g} | {r.prior_low:.4g} to {r.prior_high:.4g} | "
            f"{r.share_of_prior:.0%} |"
        )
    lines += [
        "",
        "## Generations",
        "",
        "| generation | threshold ε | simulated | accepted | acceptance | ESS |",
        "|---|---|---|---|---|---|",
    ]
    for r in g.itertuples():
        lines.append(
            f"| {r.t} | {r.epsilon:.3g} | {r.evaluations} | {r.accepted} | "
            f"{r.acceptance:.0%} | {r.ess:.1f} |"
        )
    lines += [
        "",
        f"## Predictive intervals ({LEVEL:.0%}) against the targets",
        "",
        "The calibration set's rows are posterior predictive checks; the held-out rows were "
        "never used in fitting and are predictions: " + held_out_sentence(predictive),
        "",
        *markdown_table(predictive),
    ]
    return "\n".join(lines) + "\n"


def write_folder(
    folder: Path,
    scenario: Scenario,
    world: Mapping[str, Any],
    calibration: Calibration,
    draws: pd.DataFrame,
    predictive: pd.DataFrame,
    started: datetime,
    extra: Mapping[str, Any],
) -> list[str]:
    """Write the folder, its manifest before the page (which reads it) and again once the page
    is there, so that a folder with a manifest is complete at every moment."""
    from sim.outputs.report import write_report
    from sim.outputs.results import atomic_write, manifest, write_manifest, write_table, write_text

    posterior = Posterior(calibration.particles)
    priors = {p.key: p for p in calibration.priors}
    summary = posterior.summary(priors, scenario)
    files = [posterior.write(folder)]
    for name, table in (
        ("posterior_summary.csv", summary),
        ("generations.csv", calibration.generations),
        (PREDICTIVE_FILE, predictive),
        ("predictive_draws.csv", draws),
    ):
        write_table(folder / name, table)
        files.append(name)
    title = f"Calibration: {scenario.name}"
    write_text(folder / "calibration.md", markdown(calibration, summary, predictive, world, title))
    files.append("calibration.md")
    defaults = {p.key: float(scenario.value(p.key)) for p in calibration.priors}
    files += write_figures(
        folder,
        posterior,
        calibration.priors,
        defaults,
        calibration.generations,
        predictive,
        atomic_write,
    )
    settings = calibration.settings

    def record(files: list[str]) -> None:
        write_manifest(
            folder,
            manifest(
                scenario.model_dump(mode="json"),
                seed=settings.seed,
                replications=settings.replications,
                replication_seconds={},
                started=started,
                finished=datetime.now(UTC),
                files=files,
                extra={
                    "aggsim": "calibrate",
                    "calibration": calibration_settings(calibration, world),
                    **extra,
                },
            ),
        )

    record(files)
    write_report(folder, folder / "calibration.html", PAGES)
    files.append("calibration.html")
    record(files)
    return files


def calibration_settings(calibration: Calibration, world: Mapping[str, Any]) -> dict[str, Any]:
    """What the manifest says of a calibration: the method and its settings, how far it got,
    the world each particle ran, the priors with their basis and the calibration statistics."""
    settings = calibration.settings
    return {
        "method": "ABC-SMC (pyabc), uniform kernel on the targets' ranges",
        "population": settings.population,
        "generations_allowed": settings.generations,
        "generations_run": len(calibration.generations),
        "minutes_allowed": settings.minutes,
        "reached_every_target": calibration.reached,
        "world": dict(world),
        "priors": [
            {
                "key": p.key,
                "low": p.low,
                "high": p.high,
                "basis": p.basis,
                "identified_by": p.identified_by,
            }
            for p in calibration.priors
        ],
        "statistics": [
            {"pattern": s.key, "low": s.low, "high": s.high} for s in calibration.statistics
        ],
    }
