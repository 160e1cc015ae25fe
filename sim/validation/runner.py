"""Running the validation catalogue on a scenario (MODEL.md 11).

Every pattern is measured on the scenario under test, and again with its knockout on top. The
conditions of all patterns, knockouts included, are collected first and each distinct one is run
once, with the same replications (common random numbers), on the given executor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.experiments.executors import as_finished
from sim.experiments.replication import ReplicationResult
from sim.experiments.runs import run_timed
from sim.scenario import Scenario
from sim.validation.patterns import PATTERNS, Pattern
from sim.validation.targets import (
    DOES_NOT_HOLD,
    INCONCLUSIVE,
    Estimate,
    combined,
    estimate,
    exact,
    margin,
    replications_to_settle,
    verdict,
)

Overrides = tuple[tuple[str, Any], ...]

#: A pattern whose knockout does not hold is falsifiable; one whose knockout still holds (or
#: cannot be told apart) is not shown to come from its mechanism.
FALSIFIABLE = "falsifiable"
NOT_SHOWN_FALSIFIABLE = "not shown falsifiable"


def _key(overrides: Mapping[str, Any]) -> Overrides:
    return tuple(sorted(overrides.items()))


def roles(p: Pattern, *, knockout: bool) -> dict[str, Overrides]:
    """The pattern's roles and the overrides each is run with (the knockout on top)."""
    extra = p.knockout if knockout else {}
    return {role: _key({**o, **extra}) for role, o in p.conditions.items()}


def distinct_conditions(patterns: Iterable[Pattern]) -> list[Overrides]:
    """Every condition the patterns and their knockouts need, each once, in a stable order."""
    return sorted(replication_factors(patterns), key=repr)


def replication_factors(patterns: Iterable[Pattern]) -> dict[Overrides, int]:
    """Each distinct condition and the largest replication factor of the patterns that use it."""
    found: dict[Overrides, int] = {}
    for p in patterns:
        for knockout in (False, True):
            for key in roles(p, knockout=knockout).values():
                found[key] = max(found.get(key, 1), p.replication_factor)
    return found


def runs_needed(patterns: Iterable[Pattern], replications: int) -> int:
    """Replications to run in all, over the distinct conditions."""
    return replications * sum(replication_factors(patterns).values())


def conditions_summed(patterns: Iterable[Pattern]) -> int:
    """What running each pattern's conditions separately would cost, in conditions."""
    return sum(len(p.conditions) * 2 for p in patterns)


def run_conditions(
    base: Scenario,
    conditions: Mapping[Overrides, int],
    replications: int,
    executor: Executor,
    on_done: Callable[[], None] | None = None,
) -> dict[Overrides, list[ReplicationResult]]:
    """Replications 0..R·f−1 of every condition (``conditions`` maps each to its factor f), with
    failure episodes, all submitted at once."""
    futures = {
        executor.submit(run_timed, base.with_values(**dict(c)), r, trace=True): (c, r)
        for c, factor in conditions.items()
        for r in range(replications * factor)
    }
    found: dict[Overrides, dict[int, ReplicationResult]] = {c: {} for c in conditions}
    for future in as_finished(executor, futures):
        condition, replication = futures[future]
        found[condition][replication] = future.result().result
        if on_done:
            on_done()
    return {c: [runs[r] for r in sorted(runs)] for c, runs in found.items()}


@dataclass(frozen=True)
class Measured:
    """A pattern measured once (on the scenario or under its knockout)."""

    components: tuple[Estimate, ...]
    verdicts: tuple[str, ...]
    margins: tuple[float, ...]

    @property
    def verdict(self) -> str:
        return combined(list(self.verdicts))

    @property
    def reported(self) -> int:
        """Index of the component to report: the first that decides the verdict, or, when all
        hold, the one whose interval comes closest to the threshold."""
        for wanted in (DOES_NOT_HOLD, INCONCLUSIVE):
            if wanted in self.verdicts:
                return self.verdicts.index(wanted)
        return int(np.argmin(self.margins))

    @property
    def estimate(self) -> Estimate:
        return self.components[self.reported]


def measure(
    p: Pattern,
    base: Scenario,
    results: Mapping[Overrides, list[ReplicationResult]] | None,
    *,
    knockout: bool,
    replications: int = 0,
) -> Measured:
    """Estimate every component of ``p`` and give each its verdict."""
    scenario = base.with_values(**p.knockout) if knockout else base
    if p.exact:
        estimates = tuple(exact(v) for v in p.measure(None, scenario))
    else:
        assert results is not None  # a pattern with conditions is measured on runs
        wanted = replications * p.replication_factor or None  # 0: all there are
        runs = {role: results[key][:wanted] for role, key in roles(p, knockout=knockout).items()}
        # A measure undefined in some replication (a ratio of a small world's zero count) is NaN
        # or infinite there, and its verdict says so (inconclusive); it is not a warning.
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.asarray(p.measure(runs, scenario), dtype=float)
            columns = values.reshape(values.shape[0], -1).T
            estimates = tuple(estimate(column) for column in columns)
    return Measured(
        estimates,
        tuple(verdict(p.target, e) for e in estimates),
        tuple(margin(p.target, e) for e in estimates),
    )


@dataclass(frozen=True)
class Validated:
    """One pattern's verdict on the scenario and under its knockout."""

    pattern: Pattern
    model: Measured
    knockout: Measured

    @property
    def falsification(self) -> str:
        return FALSIFIABLE if self.knockout.verdict == DOES_NOT_HOLD else NOT_SHOWN_FALSIFIABLE

    @property
    def settles_at(self) -> int | None:
        """Replications that would settle an inconclusive verdict (None when settled)."""
        counts = [
            replications_to_settle(self.pattern.target, e)
            for m in (self.model, self.knockout)
            if m.verdict == INCONCLUSIVE
            for e, v in zip(m.components, m.verdicts, strict=True)
            if v == INCONCLUSIVE
        ]
        known = [c for c in counts if c is not None]
        return max(known) if known else None

    def row(self) -> dict[str, Any]:
        p, t = self.pattern, self.pattern.target
        e, k = self.model.estimate, self.knockout.estimate
        component = p.components[self.model.reported] if p.components else ""
        knockout_component = p.components[self.knockout.reported] if p.components else ""
        evidence = p.evidence
        return {
            "key": p.key,
            "kind": p.kind,
            "statement": p.statement,
            "level": p.level,
            "source": p.source,
            "evidence": "" if evidence is None else evidence.label,
            "population": "" if evidence is None else evidence.population,
            "source_measure": "" if evidence is None else evidence.measure,
            "source_estimate": "" if evidence is None else evidence.estimate,
            "component": component,
            "estimate": t.show(e.mean),
            "ci_low": t.show(e.low),
            "ci_high": t.show(e.high),
            "n": e.n,
            "target": t.describe(),
            "verdict": self.model.verdict,
            "knockout": ", ".join(f"{key}={value}" for key, value in p.knockout.items()),
            "knockout_component": knockout_component,
            "knockout_estimate": t.show(k.mean),
            "knockout_ci_low": t.show(k.low),
            "knockout_ci_high": t.show(k.high),
            "knockout_verdict": self.knockout.verdict,
            "falsification": self.falsification,
            "replications_to_settle": self.settles_at or math.nan,
        }


@dataclass(frozen=True)
class Validation:
    scenario: Scenario
    replications: int
    results: tuple[Validated, ...]
    conditions_run: int
    conditions_summed: int

    @property
    def falsified(self) -> int:
        return sum(r.falsification == FALSIFIABLE for r in self.results)


def validate(
    base: Scenario,
    replications: int,
    executor: Executor,
    patterns: Iterable[Pattern] = PATTERNS,
    on_done: Callable[[], None] | None = None,
) -> Validation:
    """Measure ``patterns`` on ``base`` and under their knockouts."""
    chosen = tuple(patterns)
    factors = replication_factors(chosen)
    ordered = {c: factors[c] for c in distinct_conditions(chosen)}
    results = run_conditions(base, ordered, replications, executor, on_done)
    validated = tuple(
        Validated(
            p,
            measure(p, base, results, knockout=False, replications=replications),
            measure(p, base, results, knockout=True, replications=replications),
        )
        for p in chosen
    )
    return Validation(base, replications, validated, len(ordered), conditions_summed(chosen))
