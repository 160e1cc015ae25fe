"""Targets and verdicts of the validation patterns (MODEL.md 11).

A pattern's estimate is a mean over paired replications with a Student-t interval (95%, or wider
when the validation may look again, :mod:`sim.validation.sequential`), or an exact value computed
from the judgement functions. A target is either a direction with a smallest
effect of interest (the estimate must exceed it) or a range (the estimate must lie inside it).
A pattern may have several components (the cells of the TARP grid, the two steps of an ordering):
it holds when every component holds and does not hold when any component does not.

Verdicts, for an interval ``[low, high]``:

- *holds*: the interval lies beyond the smallest effect of interest, or inside the range;
- *does not hold*: the interval lies on the wrong side of the threshold, or outside the range;
- *inconclusive*: the interval straddles a threshold; the report says how many replications
  would shrink it enough to settle, at the same spread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

HOLDS = "holds"
DOES_NOT_HOLD = "does not hold"
INCONCLUSIVE = "inconclusive"
LEVEL = 0.95


@dataclass(frozen=True)
class Target:
    """What a pattern's estimate must do: exceed ``above``, or lie in ``[low, high]``.

    ``above`` is the smallest effect of interest of a directional pattern; ``low`` and ``high``
    bound a range. ``display`` turns the estimate's scale into the reported one (e.g. ``exp`` for
    a log odds ratio reported as an odds ratio).
    """

    above: float | None = None
    low: float | None = None
    high: float | None = None
    log_scale: bool = False

    def __post_init__(self) -> None:
        directional = self.above is not None
        ranged = self.low is not None and self.high is not None
        if directional == ranged:
            raise ValueError("a target is a direction (above) or a range (low, high), not both")

    def show(self, value: float) -> float:
        return math.exp(value) if self.log_scale else value

    @property
    def bounds(self) -> tuple[float, float]:
        """``(low, high)`` of a range target (a directional target has none)."""
        if self.low is None or self.high is None:
            raise ValueError("a directional target has no range")
        return self.low, self.high

    def describe(self) -> str:
        if self.above is not None:
            return f"> {self.show(self.above):.4g}"
        low, high = self.bounds
        return f"{self.show(low):.4g} to {self.show(high):.4g}"

    def thresholds(self) -> tuple[float, ...]:
        return (self.above,) if self.above is not None else self.bounds


@dataclass(frozen=True)
class Estimate:
    """One component's estimate: mean, interval at ``level`` and the number of replications
    (1: exact)."""

    mean: float
    low: float
    high: float
    n: int
    level: float = LEVEL

    @property
    def exact(self) -> bool:
        return self.n == 1


def estimate(values, level: float = LEVEL) -> Estimate:
    """The mean of per-replication values and its Student-t interval at ``level`` (95% by
    default; NaNs are dropped)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = float(v.mean())
    if v.size == 1:
        return Estimate(mean, mean, mean, 1)
    half = float(stats.t.ppf(0.5 + level / 2, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size))
    return Estimate(mean, mean - half, mean + half, int(v.size), level)


def exact(value: float) -> Estimate:
    return Estimate(float(value), float(value), float(value), 1)


def verdict(target: Target, e: Estimate) -> str:
    """The verdict of one component (see the module's docstring)."""
    if e.n == 0 or math.isnan(e.mean):
        return INCONCLUSIVE
    if target.above is not None:
        if e.low > target.above:
            return HOLDS
        if e.high <= target.above:
            return DOES_NOT_HOLD
        return INCONCLUSIVE
    low, high = target.bounds
    if low <= e.low and e.high <= high:
        return HOLDS
    if e.high < low or e.low > high:
        return DOES_NOT_HOLD
    return INCONCLUSIVE


def margin(target: Target, e: Estimate) -> float:
    """How far the interval lies inside the target (negative: it reaches outside)."""
    if target.above is not None:
        return e.low - target.above
    low, high = target.bounds
    return min(e.low - low, high - e.high)


def combined(verdicts: list[str]) -> str:
    """A pattern's verdict from its components'."""
    if any(v == DOES_NOT_HOLD for v in verdicts):
        return DOES_NOT_HOLD
    if all(v == HOLDS for v in verdicts):
        return HOLDS
    return INCONCLUSIVE


def replications_to_settle(target: Target, e: Estimate) -> int | None:
    """The fewest replications at which the interval, at the same spread and level, would no
    longer straddle the nearest threshold (Student-t quantiles shrinking with the degrees of
    freedom); None when the estimate sits on the threshold, is exact, or has no finite interval
    (a replication whose measure is undefined, as a ratio of a tiny world's zero count)."""
    if e.n < 2 or not math.isfinite(e.mean):
        return None
    gap = min(abs(e.mean - t) for t in target.thresholds())
    half = (e.high - e.low) / 2
    if gap == 0 or not math.isfinite(half):
        return None
    quantile = 0.5 + e.level / 2
    sd = half * math.sqrt(e.n) / float(stats.t.ppf(quantile, e.n - 1))
    # At the current quantile the interval would settle by ``bound``; the quantile only shrinks.
    bound = max(e.n + 1, math.ceil(e.n * (half / gap) ** 2))
    candidates = np.arange(e.n + 1, min(bound, 100_000) + 1)
    settled = stats.t.ppf(quantile, candidates - 1) * sd / np.sqrt(candidates) <= gap
    return int(candidates[np.argmax(settled)]) if settled.any() else bound
