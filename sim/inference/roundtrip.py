"""Recovering known parameters: calibration against synthetic targets (MODEL.md 11.1).

Each repetition draws true values from the middle half of every prior, measures the model's own
statistics there (the mean over :data:`TRUTH_WORLDS` worlds with seeds of their own), makes each
a target of the real target's width around it, calibrates against those targets, and records
whether every true value lies inside its 90% credible interval, and how much of the prior that
interval spans (an interval as wide as the prior would cover anything and show nothing).

``python -m sim.inference.roundtrip`` runs it and prints one row per repetition and parameter.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import replace

import numpy as np
import pandas as pd

from sim.experiments.posterior import Posterior
from sim.inference.priors import PRIORS, Prior
from sim.inference.smc import Settings, calibrate
from sim.inference.statistics import Statistic, measure, real_statistics, small_world
from sim.scenario import Scenario
from sim.validation.patterns import pattern

#: Worlds behind a synthetic target's middle.
TRUTH_WORLDS = 8


def _measured(args: tuple[Scenario, tuple[str, ...], int]) -> dict[str, float]:
    scenario, keys, seed = args
    return measure(scenario.with_values(**{"run.seed": seed}), [pattern(k) for k in keys])


def synthetic_statistics(
    scenario: Scenario,
    statistics: Sequence[Statistic],
    executor: Executor,
    seed: int,
    worlds: int = TRUTH_WORLDS,
) -> tuple[Statistic, ...]:
    """Targets of the statistics' own widths around the model's mean statistics on
    ``scenario`` (over ``worlds`` worlds)."""
    keys = tuple(s.key for s in statistics)
    seeds = np.random.SeedSequence([seed, 1]).generate_state(worlds)
    rows = pd.DataFrame(executor.map(_measured, [(scenario, keys, int(s)) for s in seeds]))
    found = []
    for s in statistics:
        middle = float(rows[s.key].mean())
        found.append(Statistic(s.pattern, middle - s.half_width, middle + s.half_width))
    return tuple(found)


def round_trip(
    scenario: Scenario,
    priors: Sequence[Prior],
    statistics: Sequence[Statistic],
    settings: Settings,
    executor: Executor,
    repetitions: int,
) -> pd.DataFrame:
    """One row per repetition and parameter: the true value, the posterior's median and 90%
    credible interval, whether it covers the truth, and the share of the prior it spans."""
    rows = []
    for repetition in range(repetitions):
        rng = np.random.default_rng(np.random.SeedSequence([settings.seed, repetition, 7]))
        truth = {
            p.key: float(rng.uniform(p.low + p.width / 4, p.high - p.width / 4)) for p in priors
        }
        seed = settings.seed * 1000 + repetition
        targets = synthetic_statistics(scenario.with_values(**truth), statistics, executor, seed)
        calibration = calibrate(scenario, priors, targets, replace(settings, seed=seed), executor)
        summary = Posterior(calibration.particles).summary({p.key: p for p in priors})
        for row in summary.itertuples():
            rows.append(
                {
                    "repetition": repetition,
                    "parameter": row.parameter,
                    "truth": truth[row.parameter],
                    "median": row.median,
                    "ci_low": row.ci_low,
                    "ci_high": row.ci_high,
                    "covered": row.ci_low <= truth[row.parameter] <= row.ci_high,
                    "share_of_prior": row.share_of_prior,
                    "reached": calibration.reached,
                }
            )
    return pd.DataFrame(rows)


def main(argv: Sequence[str] | None = None) -> None:
    from sim.experiments.executors import open_executor

    parser = argparse.ArgumentParser(description="Recover known parameters (a round trip).")
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--population", type=int, default=50)
    parser.add_argument("--generations", type=int, default=5)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    scenario = Scenario()
    scenario = scenario.with_values(**small_world(scenario, args.customers))
    settings = Settings(population=args.population, generations=args.generations, seed=args.seed)
    with open_executor("process", args.workers) as executor:
        table = round_trip(
            scenario, PRIORS, real_statistics(), settings, executor, args.repetitions
        )
    pd.set_option("display.width", 160)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    every = table.groupby("repetition").covered.all()
    print(f"every true value inside its 90% interval in {every.sum()} of {len(every)} repetitions")
    print(f"mean share of the prior spanned: {table.share_of_prior.mean():.0%}")


if __name__ == "__main__":
    main()
