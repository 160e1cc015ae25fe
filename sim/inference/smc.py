"""ABC-SMC over the calibrated parameters, with pyabc (MODEL.md 11.1).

Sequential Monte Carlo ABC (Beaumont et al. 2009; Klinger, Rickert & Hasenauer 2018, pyabc)
draws particles from the priors, simulates the calibration set's statistics for each on a small
world (:mod:`sim.inference.statistics`) and keeps those whose distance is within the
generation's threshold ε; later generations perturb the kept particles and reweight them. ε is
the median distance of the previous generation, never below 1; the run stops at the generation
whose ε is 1 — every statistic inside its range: a uniform kernel that reads a target's range as
the uncertainty of the outside finding — or after a stated number of generations.

**Reproducible whatever the executor.** Each generation's work is split into as many tasks as
the population has particles; task ``i`` of generation ``t`` seeds NumPy's global generator (the
one pyabc draws from) from ``SeedSequence([seed, t, i])`` and simulates until it has one
accepted particle, and the tasks' results are gathered in task order. So the particles, and the
posterior, depend on the seed alone, not on the number of workers or on the executor (processes
or a Dask cluster).
"""

from __future__ import annotations

import functools
import logging
import math
import random
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
from pyabc.epsilon import QuantileEpsilon
from pyabc.sampler import MappingSampler
from pyabc.weighted_statistics import effective_sample_size

from sim.inference.defaults import GENERATIONS, POPULATION
from sim.inference.priors import Prior
from sim.inference.statistics import Statistic, distance, measure
from sim.scenario import Scenario
from sim.validation.patterns import pattern

#: The threshold at which a particle's every statistic lies inside its range.
INSIDE = 1.0


@dataclass(frozen=True)
class Settings:
    """How a calibration runs: particles per generation, the most generations, replications of
    each condition per particle, the root seed, and optionally a limit on the wall time."""

    population: int = POPULATION
    generations: int = GENERATIONS
    replications: int = 1
    seed: int = 1
    minutes: float | None = None


class _Model:
    """A particle's statistics: the scenario with the particle's values and a seed of its own
    (drawn from the task's seeded generator), measured on the calibration set."""

    def __init__(self, scenario: Scenario, keys: Sequence[str], replications: int) -> None:
        self.scenario, self.keys, self.replications = scenario, tuple(keys), replications

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, float]:
        seed = int(np.random.randint(0, 2**31 - 1))
        values = {key: float(value) for key, value in parameters.items()}
        scenario = self.scenario.with_values(**values, **{"run.seed": seed})
        return measure(scenario, [pattern(k) for k in self.keys], self.replications)


class _Distance:
    def __init__(self, statistics: Sequence[Statistic]) -> None:
        self.statistics = tuple(statistics)

    def __call__(self, x: Mapping[str, float], x0: Mapping[str, float]) -> float:
        return distance(x, self.statistics)


class SeededMappingSampler(MappingSampler):
    """pyabc's mapping sampler with a seed per task (see the module's docstring); ``on_task(t)``
    is told of every task of generation ``t`` that is done."""

    def __init__(self, map_, seed: int, on_task: Callable[[int], None] | None = None):
        super().__init__(map_=map_)
        self.seed, self.on_task = seed, on_task

    def __getstate__(self):
        return (*super().__getstate__(), self.seed)

    def __setstate__(self, state):
        *rest, self.seed = state
        super().__setstate__(tuple(rest))
        self.on_task = None

    def task(self, simulate_one, task_seed: int):
        """Simulate until one particle is accepted, from ``task_seed``."""
        np.random.seed(task_seed)
        random.seed(task_seed)
        simulate_one = self.unpickle(simulate_one)
        sample, evaluations = self._create_empty_sample(), 0
        while True:
            particle = simulate_one()
            evaluations += 1
            sample.append(particle)
            if particle.accepted:
                return sample, evaluations

    def sample_until_n_accepted(self, n, simulate_one, t, **_):
        children = np.random.SeedSequence([self.seed, t + 1]).spawn(n)
        seeds = [int(child.generate_state(1)[0]) for child in children]
        job = functools.partial(self.task, self.pickle(simulate_one))
        sample, self.nr_evaluations_ = self._create_empty_sample(), 0
        for result, evaluations in self.map_(job, seeds):
            sample += result
            self.nr_evaluations_ += evaluations
            if self.on_task:
                self.on_task(t)
        return sample


class FloorQuantileEpsilon(QuantileEpsilon):
    """The weighted median distance of the previous generation, never below ``floor``; the
    first generation takes every draw from the priors."""

    def __init__(self, floor: float) -> None:
        super().__init__(initial_epsilon=math.inf, alpha=0.5, weighted=True)
        self.floor = floor

    def _update(self, t, weighted_distances):
        super()._update(t, weighted_distances)
        self._look_up[t] = max(self._look_up[t], self.floor)


@dataclass(frozen=True)
class Calibration:
    """What a calibration found: the final generation's particles (one column per parameter)
    with their normalised ``weight``, the accepted particles' statistics, and one row per
    generation (``t``, ``epsilon``, ``evaluations``, ``accepted``, ``acceptance``, ``ess``)."""

    priors: tuple[Prior, ...]
    statistics: tuple[Statistic, ...]
    particles: pd.DataFrame
    statistics_found: pd.DataFrame
    generations: pd.DataFrame
    settings: Settings

    @property
    def reached(self) -> bool:
        """Whether the last generation's threshold is 1: every statistic inside its range."""
        return bool(self.generations.epsilon.iloc[-1] <= INSIDE)


def calibrate(
    scenario: Scenario,
    priors: Sequence[Prior],
    statistics: Sequence[Statistic],
    settings: Settings,
    executor: Executor,
    database: Path | None = None,
    on_task: Callable[[int], None] | None = None,
) -> Calibration:
    """Run ABC-SMC (see the module's docstring); pyabc's record of the run goes to the SQLite
    file ``database`` (a temporary one when None)."""
    logging.getLogger("ABC").setLevel(logging.WARNING)
    np.random.seed(np.random.SeedSequence([settings.seed, 0]).generate_state(1)[0])
    prior = pyabc.Distribution(
        **{p.key: pyabc.RV("uniform", p.low, p.high - p.low) for p in priors}
    )
    keys = [s.key for s in statistics]
    sampler = SeededMappingSampler(executor.map, settings.seed, on_task)
    abc = pyabc.ABCSMC(
        _Model(scenario, keys, settings.replications),
        prior,
        _Distance(statistics),
        population_size=settings.population,
        sampler=sampler,
        eps=FloorQuantileEpsilon(INSIDE),
    )
    with tempfile.TemporaryDirectory(prefix="aggsim-abc-") as scratch:
        db = database or Path(scratch) / "abc.db"
        history = abc.new(f"sqlite:///{db}", {s.key: s.centre for s in statistics})
        limit = timedelta(minutes=settings.minutes) if settings.minutes else None
        with warnings.catch_warnings():  # pyabc compares the first generation's ε = ∞ with ∞
            warnings.simplefilter("ignore", RuntimeWarning)
            history = abc.run(
                minimum_epsilon=INSIDE,
                max_nr_populations=settings.generations,
                max_walltime=limit,
            )
        return _read(history, tuple(priors), tuple(statistics), settings)


def _read(history, priors, statistics, settings) -> Calibration:
    last = history.max_t
    frame, weights = history.get_distribution(m=0, t=last)
    particles = frame.reset_index(drop=True)[[p.key for p in priors]].astype(float)
    particles["weight"] = np.asarray(weights, dtype=float) / np.sum(weights)
    stat_weights, found = history.get_weighted_sum_stats(t=last)
    statistics_found = pd.DataFrame(found)[[s.key for s in statistics]].astype(float)
    statistics_found["weight"] = np.asarray(stat_weights, float) / np.sum(stat_weights)
    rows = []
    populations = history.get_all_populations()
    for row in populations[populations.t >= 0].itertuples():
        _, w = history.get_distribution(m=0, t=int(row.t))
        rows.append(
            {
                "t": int(row.t),
                "epsilon": float(row.epsilon),
                "evaluations": int(row.samples),
                "accepted": int(row.particles),
                "acceptance": row.particles / row.samples,
                "ess": float(effective_sample_size(np.asarray(w, float))),
            }
        )
    return Calibration(
        priors, statistics, particles, statistics_found, pd.DataFrame(rows), settings
    )
