"""The pages of the folders the studies write (MODEL.md 11.1): a calibration's, and a
validation's with its held-out predictions from a posterior.

Apart from :mod:`sim.inference.report`, which writes a calibration's folder, so that reading or
reporting a folder needs no pyabc: ``aggsim validate`` and ``aggsim report`` work without the
extra ``[calibrate]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sim.inference.predictive import INSIDE
from sim.outputs.report import PageBuilder, figures, reading, scenario_table, section
from sim.outputs.report import table as html_table
from sim.validation.page import validation_sections


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
