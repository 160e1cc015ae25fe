"""Predictions from a posterior: each validation pattern's predictive interval (MODEL.md 11.1).

A *draw* takes a parameter set from the posterior and a seed of its own, both from
``SeedSequence([seed, draw])``, and measures the patterns' statistics on the scenario with those
values (:func:`sim.inference.statistics.measure`). Over the draws, a pattern's predictive
interval is the equal-tailed 90% interval of its statistic: it carries what the posterior leaves
unknown and the noise of the world it is measured on. Against a held-out pattern's target (never
used in fitting) it says whether the calibrated model predicts the outside finding; against a
calibration-set pattern it is a posterior predictive check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor

import numpy as np
import pandas as pd

from sim.experiments.posterior import LEVEL, Posterior
from sim.inference.defaults import DRAWS
from sim.inference.statistics import Statistic, measure
from sim.scenario import Scenario
from sim.validation.patterns import pattern

#: The predictive table in a results folder.
FILE = "predictive.csv"

INSIDE, OVERLAPS, OUTSIDE = "inside", "overlaps", "outside"


def _draw(args: tuple[Scenario, Posterior, tuple[str, ...], int, int, int]) -> dict[str, float]:
    scenario, posterior, keys, seed, draw, replications = args
    rng = np.random.default_rng(np.random.SeedSequence([seed, draw]))
    values = posterior.draw(rng)
    run_seed = int(rng.integers(0, 2**31 - 1))
    drawn = scenario.with_values(**values, **{"run.seed": run_seed})
    return {"draw": draw, **values, **measure(drawn, [pattern(k) for k in keys], replications)}


def predict(
    scenario: Scenario,
    posterior: Posterior,
    keys: Sequence[str],
    executor: Executor,
    draws: int = DRAWS,
    seed: int = 1,
    replications: int = 1,
    on_done: Callable[[], None] | None = None,
) -> pd.DataFrame:
    """One row per draw: the drawn parameters and each pattern's statistic (by key)."""
    jobs = [(scenario, posterior, tuple(keys), seed, d, replications) for d in range(draws)]
    rows = []
    for row in executor.map(_draw, jobs):
        rows.append(row)
        if on_done:
            on_done()
    return pd.DataFrame(rows)


def verdict(low: float, high: float, target_low: float, target_high: float) -> str:
    """Whether a predictive interval lies inside the target, overlaps it, or misses it."""
    if target_low <= low and high <= target_high:
        return INSIDE
    if high < target_low or low > target_high:
        return OUTSIDE
    return OVERLAPS


def predictive_table(draws: pd.DataFrame, statistics: Sequence[Statistic]) -> pd.DataFrame:
    """Per statistic: the median and 90% predictive interval over the draws, its target, the
    share of draws inside the target, and whether the interval lies inside, overlaps or misses
    it (on the target's reported scale: an odds ratio, not its logarithm)."""
    rows = []
    for s in statistics:
        values = draws[s.key].to_numpy(float)
        values = values[np.isfinite(values)]
        show = s.pattern.target.show
        low, median, high = (
            np.quantile(values, [(1 - LEVEL) / 2, 0.5, (1 + LEVEL) / 2])
            if len(values)
            else (math.nan,) * 3
        )
        evidence = s.pattern.evidence
        rows.append(
            {
                "key": s.key,
                "set": "calibration" if evidence and evidence.fitted else "held out",
                "evidence": "" if evidence is None else evidence.label,
                "median": show(median),
                "predictive_low": show(low),
                "predictive_high": show(high),
                "target_low": show(s.low),
                "target_high": show(s.high),
                "share_inside": float(np.mean((values >= s.low) & (values <= s.high)))
                if len(values)
                else math.nan,
                "draws": len(values),
                "verdict": verdict(low, high, s.low, s.high),
            }
        )
    return pd.DataFrame(rows)


def held_out_sentence(predictive: pd.DataFrame) -> str:
    """How many held-out patterns' predictive intervals lie inside their targets."""
    held = predictive[predictive.set == "held out"]
    return (
        f"{int((held.verdict == INSIDE).sum())} of {len(held)} held-out predictive intervals lie "
        "inside their targets."
    )


def markdown_table(predictive: pd.DataFrame) -> list[str]:
    """The predictive table as Markdown lines."""
    lines = [
        "| pattern | set | evidence | median | interval | target | draws inside | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in predictive.itertuples():
        lines.append(
            f"| {r.key} | {r.set} | {r.evidence} | {r.median:.4g} | {r.predictive_low:.4g} to "
            f"{r.predictive_high:.4g} | {r.target_low:.4g} to {r.target_high:.4g} | "
            f"{r.share_inside:.0%} | {r.verdict} |"
        )
    return lines


def held_out_markdown(predictive: pd.DataFrame, draws: int) -> str:
    """The section ``aggsim validate --posterior`` adds to its report."""
    lines = [
        "",
        f"## Held-out predictions from the posterior ({LEVEL:.0%} predictive intervals)",
        "",
        f"Each held-out validation pattern (never used in fitting) measured on {draws} parameter "
        "sets drawn from the posterior, each world with a seed of its own: the interval carries "
        "what the posterior leaves unknown and the world's noise. " + held_out_sentence(predictive),
        "",
        *markdown_table(predictive),
    ]
    return "\n".join(lines) + "\n"
