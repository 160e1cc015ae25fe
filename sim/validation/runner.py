"""Running the validation catalogue on a scenario (MODEL.md 11).

Every pattern is measured on the scenario under test, and again with its knockout on top. The
conditions of all patterns, knockouts included, are collected first and each distinct one is run
once, with the same replications (common random numbers), on the given executor; patterns still
inconclusive are measured again on more replications (:mod:`sim.validation.sequential`).
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
from sim.validation.sequential import interval_level, looks
from sim.validation.targets import (
    DOES_NOT_HOLD,
    INCONCLUSIVE,
    LEVEL,
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
    return list(wanted_at(patterns, 1))


def runs_needed(patterns: Iterable[Pattern], replications: int) -> int:
    """Replications to run in all, over the distinct conditions, at a first look of
    ``replications``."""
    return sum(wanted_at(patterns, replications).values())


def conditions_summed(patterns: Iterable[Pattern]) -> int:
    """What running each pattern's conditions separately would cost, in conditions."""
    return sum(len(p.conditions) * 2 for p in patterns)


def run_more(
    base: Scenario,
    results: dict[Overrides, list[ReplicationResult]],
    wanted: Mapping[Overrides, int],
    executor: Executor,
    on_done: Callable[[], None] | None = None,
) -> None:
    """Extend ``results`` so that each condition of ``wanted`` has its replications 0..n−1, with
    failure episodes: the missing ones all submitted at once."""
    futures = {
        executor.submit(run_timed, base.with_values(**dict(c)), r, trace=True): (c, r)
        for c, n in wanted.items()
        for r in range(len(results.setdefault(c, [])), n)
    }
    found: dict[Overrides, dict[int, ReplicationResult]] = {c: {} for c in wanted}
    for future in as_finished(executor, futures):
        condition, replication = futures[future]
        found[condition][replication] = future.result().result
        if on_done:
            on_done()
    for condition, runs in found.items():
        results[condition] += [runs[r] for r in sorted(runs)]


def wanted_at(patterns: Iterable[Pattern], replications: int) -> dict[Overrides, int]:
    """The replications each condition of ``patterns`` needs for a look at ``replications``
    (times the largest replication factor of the patterns that use it), in a stable order."""
    found: dict[Overrides, int] = {}
    for p in patterns:
        for knockout in (False, True):
            for key in roles(p, knockout=knockout).values():
                found[key] = max(found.get(key, 0), replications * p.replication_factor)
    return {key: found[key] for key in sorted(found, key=repr)}


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
    level: float = LEVEL,
) -> Measured:
    """Estimate every component of ``p``, its intervals at ``level``, and give each its
    verdict."""
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
            estimates = tuple(estimate(column, level) for column in columns)
    return Measured(
        estimates,
        tuple(verdict(p.target, e) for e in estimates),
        tuple(margin(p.target, e) for e in estimates),
    )


@dataclass(frozen=True)
class Validated:
    """One pattern's verdict on the scenario and under its knockout, at the look that settled
    it (or the last one): ``replications`` paired replications per condition."""

    pattern: Pattern
    model: Measured
    knockout: Measured
    replications: int  # 0 for an exact pattern

    @property
    def settled(self) -> bool:
        return INCONCLUSIVE not in (self.model.verdict, self.knockout.verdict)

    def worth_another_look(self, most: int) -> bool:
        """Unsettled, and its intervals at their spread would settle within ``most``
        replications: a pattern that would need more stops here and says how many."""
        needed = self.settles_at
        return not self.settled and needed is not None and needed <= most

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
            "replications": self.replications,
        }


@dataclass(frozen=True)
class Validation:
    """The catalogue measured on ``scenario``: each pattern's verdict, from ``replications``
    paired replications per condition up to ``most`` where a verdict was unsettled, every interval
    at ``level`` (:mod:`sim.validation.sequential`)."""

    scenario: Scenario
    replications: int
    most: int
    results: tuple[Validated, ...]
    conditions_run: int
    conditions_summed: int

    @property
    def level(self) -> float:
        return interval_level(self.replications, self.most)

    @property
    def falsified(self) -> int:
        return sum(r.falsification == FALSIFIABLE for r in self.results)


def validate(
    base: Scenario,
    replications: int,
    executor: Executor,
    patterns: Iterable[Pattern] = PATTERNS,
    on_done: Callable[[], None] | None = None,
    *,
    most: int | None = None,
    on_more: Callable[[int], None] | None = None,
) -> Validation:
    """Measure ``patterns`` on ``base`` and under their knockouts: first on ``replications``
    paired replications per condition, then, for the patterns still inconclusive that ``most``
    would settle at their spread, on twice as many at each look up to ``most`` (default: no more
    looks). ``on_more(count)`` hears of the replications each later look adds."""
    chosen = tuple(patterns)
    most = max(most or replications, replications)
    level = interval_level(replications, most)
    results: dict[Overrides, list[ReplicationResult]] = {}
    latest: dict[str, Validated] = {}  # each pattern at its latest look
    unsettled = chosen
    for look in looks(replications, most):
        wanted = wanted_at(unsettled, look)
        if on_more and look > replications:
            on_more(sum(n - len(results.get(c, ())) for c, n in wanted.items()))
        run_more(base, results, wanted, executor, on_done)
        for p in unsettled:
            model, knockout = (
                measure(p, base, results, knockout=k, replications=look, level=level)
                for k in (False, True)
            )
            latest[p.key] = Validated(p, model, knockout, 0 if p.exact else look)
        unsettled = tuple(p for p in unsettled if latest[p.key].worth_another_look(most))
        if not unsettled:
            break
    validated = tuple(latest[p.key] for p in chosen)
    return Validation(base, replications, most, validated, len(results), conditions_summed(chosen))
