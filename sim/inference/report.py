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
from sim.inference.predictive import FILE as PREDICTIVE_FILE
from sim.inference.predictive import INSIDE, held_out_sentence, markdown_table
from sim.inference.smc import Calibration
from sim.outputs.report import PageBuilder, figures, reading, scenario_table, section
from sim.outputs.report import table as html_table
from sim.scenario import Scenario
from sim.validation.report import validation_sections


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


def predictive_view(predictive: pd.DataFrame) -> pd.DataFrame:
    """A predictive table as a page shows it: intervals and targets as ranges, narrow enough for
    the verdict to stay in view (``predictive.csv`` keeps every column)."""

    def span(low: pd.Series, high: pd.Series) -> pd.Series:
        return low.map("{:.4g}".format) + " to " + high.map("{:.4g}".format)

    return pd.DataFrame(
        {
            "pattern": predictive.key,
            "set": predictive.set,
            "median": predictive["median"],
            "90% predictive interval": span(predictive.predictive_low, predictive.predictive_high),
            "target": span(predictive.target_low, predictive.target_high),
            "draws inside": predictive.share_inside.map("{:.0%}".format),
            "verdict": predictive.verdict,
        }
    )


def calibration_sections(folder: Path, manifest: dict[str, Any]) -> tuple[str, list[str]]:
    """``aggsim calibrate``: the posterior, the generations and the predictive intervals
    (MODEL.md 11.1)."""
    settings = manifest["calibration"]
    summary = pd.read_csv(folder / "posterior_summary.csv")
    generations = pd.read_csv(folder / "generations.csv")
    predictive = pd.read_csv(folder / "predictive.csv")
    held = predictive[predictive.set == "held out"]
    last = generations.iloc[-1]
    reached = (
        "every calibration statistic inside its target (threshold 1)"
        if settings["reached_every_target"]
        else f"a threshold of {last.epsilon:.3g} half-widths: not every target was reached, so "
        "the posterior is an approximation at that threshold"
    )
    world = ", ".join(f"{k} = {v}" for k, v in settings["world"].items())
    paragraphs = [
        f"Approximate Bayesian computation (ABC-SMC, pyabc) of {len(summary)} parameters "
        f"against {len(settings['statistics'])} validation patterns of the calibration set, "
        f"{settings['population']} particles per generation, {settings['generations_run']} "
        f"generations, {int(generations.evaluations.sum())} simulated worlds ({world}); the "
        f"last generation reached {reached}.",
        "A credible interval says which parameter values are consistent with the targets "
        "given the model and the priors; an interval that spans most of its prior means the "
        "targets do not identify that parameter. Calibration-set rows of the predictive table "
        "are checks of the fit; held-out rows were never used in fitting and are predictions: "
        f"{int((held.verdict == INSIDE).sum())} of {len(held)} lie inside their targets.",
    ]
    posterior_columns = ["parameter", "scenario_value", "median", "ci_low", "ci_high"]
    posterior_columns += ["prior_low", "prior_high", "share_of_prior"]
    return f"aggsim calibrate: {manifest['scenario']['name']}", [
        section("Reading", reading(paragraphs)),
        section("Posterior (90% credible intervals)", html_table(summary[posterior_columns])),
        section("Generations", html_table(generations)),
        section(
            "Predictive intervals against the targets", html_table(predictive_view(predictive))
        ),
        section("Figures", figures(folder)),
        section("Scenario", scenario_table(manifest["scenario"])),
    ]


def held_out_predictions(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """The section of ``aggsim validate --posterior``: each held-out pattern's predictive
    interval against its target (MODEL.md 11.1), when the folder has one."""
    path = folder / "predictive.csv"
    if not path.is_file():
        return []
    found = pd.read_csv(path)
    inside = int((found.verdict == INSIDE).sum())
    posterior = manifest.get("posterior") or {}
    source = f" {posterior['file']}" if posterior.get("file") else ""
    paragraph = (
        f"Each held-out validation pattern — never used in fitting — measured on "
        f"{posterior.get('draws', found.draws.max())} parameter sets drawn from the posterior"
        f"{source} (each world with a seed of its own): its 90% predictive "
        f"interval carries what the posterior leaves unknown and the world's noise. {inside} of "
        f"{len(found)} intervals lie inside their targets; 'overlaps' means the interval and "
        "the target share only part of their range."
    )
    return [
        section(
            "Held-out predictions from the posterior",
            reading([paragraph]),
            html_table(predictive_view(found)),
        )
    ]


def validation_page(folder: Path, manifest: dict[str, Any]) -> tuple[str, list[str]]:
    """The page of a validation folder, with its held-out predictions when ``aggsim validate
    --posterior`` wrote them (MODEL.md 11.1)."""
    return validation_sections(folder, manifest, held_out_predictions(folder, manifest))


#: The pages of the folders the studies write, by the folder's kind: the validation's (with the
#: held-out predictions) and the calibration's.
PAGES: dict[str, PageBuilder] = {
    "validation": validation_page,
    "propositions": validation_page,
    "calibrate": calibration_sections,
}
