"""The calibration set's statistics, measured on one small world per particle (MODEL.md 11.1).

The *calibration set* is the validation patterns whose evidence is marked *fitted*; the others
are held out and only predicted. Each pattern gives one statistic: the mean of its components
over the replications of its conditions (for the TARP grid, the mean error over its cells: the
level of the stated intentions; the cells' shape is checked by ``aggsim validate``). A
:class:`Statistic` pairs it with the range it must fall in — the pattern's own two-sided target
for the real calibration, or a synthetic one in a round trip — and the distance of a particle is
the largest of its statistics' distances from their ranges' middles, in half-widths: 1 or less
means every statistic lies inside its range.

Conditions are run on the particle's scenario with one seed for all (common random numbers); two
conditions that resolve to the same scenario (the scenario itself and "surge off" when surge is
off anyway) are run once. The replication factors of the catalogue are not applied: the
calibration compares one small world's noisy statistic with the range, and the acceptance of
ABC carries that noise into the posterior.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.experiments.replication import ReplicationResult, run_replication
from sim.inference.defaults import CUSTOMERS
from sim.scenario import Scenario
from sim.validation.patterns import PATTERNS, Pattern, pattern
from sim.validation.runner import Overrides, roles


def calibration_set() -> tuple[Pattern, ...]:
    """The validation patterns a parameter may be fitted to."""
    return tuple(p for p in PATTERNS if p.evidence is not None and p.evidence.fitted)


def held_out_set() -> tuple[Pattern, ...]:
    """The validation patterns never used in fitting: predicted from the posterior."""
    return tuple(p for p in PATTERNS if p.evidence is not None and not p.evidence.fitted)


@dataclass(frozen=True)
class Statistic:
    """A pattern's statistic and the range ``[low, high]`` it must fall in."""

    pattern: Pattern
    low: float
    high: float

    @property
    def key(self) -> str:
        return self.pattern.key

    @property
    def centre(self) -> float:
        return (self.low + self.high) / 2

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    def scaled(self, value: float) -> float:
        """How far ``value`` lies from the range's middle, in half-widths (∞ when unmeasured)."""
        if not math.isfinite(value):
            return math.inf
        return abs(value - self.centre) / self.half_width


def statistics_of(patterns: Iterable[Pattern]) -> tuple[Statistic, ...]:
    """The patterns' statistics against their own two-sided targets."""
    return tuple(Statistic(p, *p.target.bounds) for p in patterns)


def real_statistics(keys: Iterable[str] | None = None) -> tuple[Statistic, ...]:
    """The calibration set's statistics (or those of the patterns ``keys``) against their
    patterns' own targets."""
    return statistics_of(calibration_set() if keys is None else (pattern(k) for k in keys))


def distance(values: Mapping[str, float], statistics: Sequence[Statistic]) -> float:
    """The largest scaled distance of the statistics from their ranges (≤ 1: all inside)."""
    return max(s.scaled(values[s.key]) for s in statistics)


def _scenarios(scenario: Scenario, patterns: Sequence[Pattern]) -> dict[Overrides, Scenario]:
    return {
        overrides: scenario.with_values(**dict(overrides))
        for p in patterns
        for overrides in roles(p, knockout=False).values()
    }


def measure(
    scenario: Scenario, patterns: Sequence[Pattern], replications: int = 1
) -> dict[str, float]:
    """Each pattern's statistic on ``scenario`` (its conditions run here, one after another)."""
    runs: dict[Overrides, list[ReplicationResult]] = {}
    done: list[tuple[Scenario, list[ReplicationResult]]] = []
    for overrides, condition in _scenarios(scenario, patterns).items():
        same = next((results for s, results in done if s == condition), None)
        if same is None:
            same = [run_replication(condition, r, trace=True) for r in range(replications)]
            done.append((condition, same))
        runs[overrides] = same
    values = {}
    for p in patterns:
        by_role = {role: runs[key] for role, key in roles(p, knockout=False).items()}
        per_replication = np.asarray(p.measure(by_role, scenario), dtype=float)
        with warnings.catch_warnings():  # a cell no episode fell in is NaN, and left out
            warnings.simplefilter("ignore", RuntimeWarning)
            components = np.nanmean(per_replication.reshape(replications, -1), axis=0)
            value = float(np.nanmean(components)) if np.isfinite(components).any() else math.nan
        values[p.key] = value
    return values


def small_world(scenario: Scenario, customers: int = CUSTOMERS) -> dict[str, int]:
    """Overrides that shrink the scenario to ``customers`` customers, with its providers scaled
    alike (at least two), so that demand meets the same supply per customer."""
    ratio = customers / scenario.customers.count
    return {
        "customers.count": customers,
        "providers.count": max(2, round(scenario.providers.count * ratio)),
    }
