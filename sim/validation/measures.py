"""The measures of the validation catalogue's patterns (MODEL.md 11): what each virtual experiment
reads from its conditions' runs, and the exact measures computed from the judgement functions
at the scenario's parameters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from sim.experiments.replication import ReplicationResult
from sim.experiments.tarp_calibration import (
    TARP_TARGETS,
    CellDefinition,
    tarp_cells,
)
from sim.model.judgement import CustomerState, Failure, Recovery, appraise, evaluate
from sim.model.satisfaction import (
    distributive_justice,
    handling_quality,
    justice_curve,
    satisfaction_after_success,
)
from sim.scenario import SatisfactionParameters, Scenario
from sim.validation.conditions import GENEROUS
from sim.validation.pattern import Runs


def _per_rep(results: Sequence[ReplicationResult], measure) -> np.ndarray:
    return np.array([measure(r.episodes) for r in results], dtype=float)


def _kpi(results: Sequence[ReplicationResult], key: str) -> np.ndarray:
    return np.array([r.kpis[key] for r in results], dtype=float)


def _mean(episodes: pd.DataFrame, column: str, mask) -> float:
    values = episodes.loc[mask, column]
    return float(values.mean()) if len(values) else float("nan")


def provider_fault_blame(episodes: pd.DataFrame) -> float:
    return _mean(episodes, "aggregator_responsibility", episodes.cause == "provider")


def provider_fault_compensation(episodes: pd.DataFrame) -> float:
    return _mean(episodes, "expected_compensation_share", episodes.cause == "provider")


def provider_fault_total_blame(episodes: pd.DataFrame) -> float:
    faults = episodes[episodes.cause == "provider"]
    total = faults.aggregator_responsibility + faults.provider_responsibility
    return float(total.mean()) if len(total) else float("nan")


def encounter_minus_core_blame(episodes: pd.DataFrame) -> float:
    faults = episodes.cause == "provider"
    encounter = _mean(
        episodes, "aggregator_responsibility", faults & (episodes.kind == "encounter")
    )
    core = _mean(episodes, "aggregator_responsibility", faults & (episodes.kind == "core"))
    return encounter - core


def explanation_shift(episodes: pd.DataFrame) -> float:
    """Platform responsibility for provider faults left unexplained minus explained ones (the
    platform explains a random share of failures, so this is a randomised contrast)."""
    faults = episodes.cause == "provider"
    unexplained = _mean(episodes, "aggregator_responsibility", faults & ~episodes.explained)
    explained = _mean(episodes, "aggregator_responsibility", faults & episodes.explained)
    return unexplained - explained


def intention_after_complaint(cause: str):
    def measure(episodes: pd.DataFrame) -> float:
        complained = episodes.complained & (episodes.cause == cause)
        return _mean(episodes, "repurchase_intention", complained)

    return measure


def intention_after_first_complaint(episodes: pd.DataFrame) -> float:
    first = episodes.complained & (episodes.earlier_recent_failures == 0)
    return _mean(episodes, "repurchase_intention", first)


def defection_intent_after_first_complaint(episodes: pd.DataFrame) -> float:
    return 1.0 - intention_after_first_complaint(episodes)


#: The mild failures of the recovery paradox (de Matos, Henrique & Rossi 2007; Magnini et al.
#: 2007: a first, mild failure).
MILD_BELOW = 0.3


def excellent_recoveries(episodes: pd.DataFrame, target_hours: float) -> pd.Series:
    """Which episodes are a prompt, full recovery (paid at least what was expected, with an
    apology, within the target) of a first (no earlier recent failure), mild failure: the
    episodes of the recovery paradox (de Matos, Henrique & Rossi 2007)."""
    e = episodes
    return (
        (e.earlier_recent_failures == 0)
        & (e.severity < MILD_BELOW)
        & (e.compensation_paid >= e.expected_compensation * (1 - 1e-9))
        & e.apology
        & (e.recovery_delay <= target_hours)
    )


def paradox_gain(target_hours: float, params: SatisfactionParameters):
    """Satisfaction after the :func:`excellent_recoveries`, minus where a successful order
    would have left it."""

    def measure(episodes: pd.DataFrame) -> float:
        e = episodes
        excellent = excellent_recoveries(e, target_hours)
        before = e.satisfaction_before[excellent]
        no_failure = before.map(lambda sat: satisfaction_after_success(params, sat))
        gained = e.satisfaction_after[excellent] - no_failure
        return float(gained.mean()) if len(gained) else float("nan")

    return measure


def misdirected_low_ratings(base_low_rating: float):
    """The chance of a low (≤ 2 star) rating of the provider after a platform glitch (the
    punishment wanted, MODEL.md 5.6), above the background rate after a successful order."""

    def measure(episodes: pd.DataFrame) -> float:
        served = (episodes.failure_class == "glitch") & episodes.expected_punishment.notna()
        return _mean(episodes, "expected_punishment", served) - base_low_rating

    return measure


def difference(high: str, low: str, measure) -> Callable[[Runs, Scenario], np.ndarray]:
    """Per-replication ``measure`` of role ``high`` minus role ``low`` (paired by replication)."""

    def contrast(runs: Runs, scenario: Scenario) -> np.ndarray:
        return _per_rep(runs[high], measure) - _per_rep(runs[low], measure)

    return contrast


def log_ratio(high: str, low: str, measure) -> Callable[[Runs, Scenario], np.ndarray]:
    """Per-replication log of ``measure`` of role ``high`` over role ``low``: a relative effect."""

    def contrast(runs: Runs, scenario: Scenario) -> np.ndarray:
        return np.log(_per_rep(runs[high], measure) / _per_rep(runs[low], measure))

    return contrast


def kpi_log_ratio(high: str, low: str, key: str) -> Callable[[Runs, Scenario], np.ndarray]:
    def contrast(runs: Runs, scenario: Scenario) -> np.ndarray:
        return np.log(_kpi(runs[high], key) / _kpi(runs[low], key))

    return contrast


def kpi_difference(high: str, low: str, *keys: str) -> Callable[[Runs, Scenario], np.ndarray]:
    def contrast(runs: Runs, scenario: Scenario) -> np.ndarray:
        columns = [_kpi(runs[high], k) - _kpi(runs[low], k) for k in keys]
        return np.column_stack(columns) if len(columns) > 1 else columns[0]

    return contrast


def kpi_value(role: str, key: str) -> Callable[[Runs, Scenario], np.ndarray]:
    def value(runs: Runs, scenario: Scenario) -> np.ndarray:
        return _kpi(runs[role], key)

    return value


def within(role: str, measure) -> Callable[[Runs, Scenario], np.ndarray]:
    def contrast(runs: Runs, scenario: Scenario) -> np.ndarray:
        return _per_rep(runs[role], measure)

    return contrast


def members_variance(episodes: pd.DataFrame) -> float:
    """Mean sample variance of the members' judgements of the platform's responsibility, in
    firms. The episode table holds the population standard deviation σ of each centre's n
    members; σ²·n/(n − 1) is the sample variance, whose expectation does not grow with n when
    members judge alike (σ itself does: 0.56 of the members' spread at 2, 0.87 at 6)."""
    firms = episodes[episodes.buying_centre_size > 1]
    n = firms.buying_centre_size
    variance = firms.members_aggregator_responsibility_spread**2 * n / (n - 1)
    return float(variance.mean()) if len(variance) else float("nan")


def decider_over_user(episodes: pd.DataFrame) -> float:
    """In firms of two: the least-squares slope of the firm's intention to buy again on the
    decider's satisfaction minus that on the user's."""
    pair = episodes[episodes.buying_centre_size == 2]
    x = np.column_stack(
        [np.ones(len(pair)), pair.user_satisfaction_after, pair.decider_satisfaction_after]
    )
    slope = np.linalg.lstsq(x, pair.repurchase_intention.to_numpy(), rcond=None)[0]
    return float(slope[2] - slope[1])


def expected_share(episodes: pd.DataFrame) -> float:
    return float(episodes.expected_compensation_share.mean())


def shared_blame(runs: Runs, scenario: Scenario) -> np.ndarray:
    return _per_rep(runs["base"], provider_fault_blame) - scenario.attribution.blame_floor


def explanation_moderation(runs: Runs, scenario: Scenario) -> np.ndarray:
    return _per_rep(runs["individualist"], explanation_shift) - _per_rep(
        runs["collectivist"], explanation_shift
    )


def compensation_gate(runs: Runs, scenario: Scenario) -> np.ndarray:
    """Compensation's effect on the intention to buy again after a complaint, platform-caused
    minus provider-caused failures, and a third of the first minus the second."""
    effect = {
        cause: _per_rep(runs["paid"], intention_after_complaint(cause))
        - _per_rep(runs["unpaid"], intention_after_complaint(cause))
        for cause in ("aggregator", "provider")
    }
    return np.column_stack(
        [
            effect["aggregator"] - effect["provider"],
            effect["aggregator"] / 3.0 - effect["provider"],
        ]
    )


def paradox(runs: Runs, scenario: Scenario) -> np.ndarray:
    measure = paradox_gain(
        scenario.with_values(**GENEROUS).recovery.target_hours, scenario.satisfaction
    )
    return _per_rep(runs["generous"], measure)


def tarp_components(definitions: Sequence[CellDefinition]) -> tuple[str, ...]:
    """The TARP cells of each reading (MODEL.md 5.10), named ``reading: problem/handling``."""
    return tuple(
        f"{d.name}: {problem}/{handling}" for d in definitions for problem, handling in TARP_TARGETS
    )


def tarp_errors_of(
    definitions: Sequence[CellDefinition],
) -> Callable[[Runs, Scenario], np.ndarray]:
    """Per replication and TARP cell of each reading in ``definitions``: mean stated intention
    to buy again minus the cell's target."""

    def tarp_errors(runs: Runs, scenario: Scenario) -> np.ndarray:
        rows = []
        for result in runs["calibration"]:
            episodes = result.episodes
            assert episodes is not None  # the validation's runs are traced
            row = []
            for definition in definitions:
                cells = tarp_cells(episodes, definition)
                means = episodes.repurchase_intention.groupby(cells).mean()
                row += [
                    means.get(f"{problem}/{handling}", np.nan) - target
                    for (problem, handling), target in TARP_TARGETS.items()
                ]
            rows.append(row)
        return np.array(rows, dtype=float)

    return tarp_errors


def love_becomes_hate(runs: Runs, scenario: Scenario) -> np.ndarray:
    """(long-term − new) intention not to buy again after badly handled first complaints, minus
    the same after well handled ones: a difference in differences."""

    def gap(handling: str) -> np.ndarray:
        return _per_rep(runs[f"long_{handling}"], defection_intent_after_first_complaint) - (
            _per_rep(runs[f"new_{handling}"], defection_intent_after_first_complaint)
        )

    return gap("bad") - gap("good")


def misdirected(runs: Runs, scenario: Scenario) -> np.ndarray:
    return _per_rep(runs["base"], misdirected_low_ratings(scenario.punishment.base_low_rating))


# ------------------------------------------------------------------- exact (vignette) measures


def vignette_customer(scenario: Scenario, earlier_failures: int = 0) -> CustomerState:
    """The scenario's typical general customer, before a failure."""
    c = scenario.customers
    return CustomerState(
        key_account=False,
        individualism=c.individualism,
        disposition=0.0,
        satisfaction=c.satisfaction_initial,
        relationship=c.relationship_initial,
        switching_cost=c.switching_cost_general,
        earlier_recent_failures=earlier_failures,
    )


def vignette_failure(scenario: Scenario) -> Failure:
    """A platform glitch of moderate severity on an accepted order at the mean price."""
    return Failure(
        failure_class="glitch",
        encounter=False,
        rejected=False,
        severity=0.4,
        price=scenario.customers.price_mean_general,
        surge_multiplier=1.0,
        aggregator_control=scenario.failures.aggregator_control_glitch,
        provider_control=0.0,
        provider_kind="",
        explained=False,
        names_platform=False,
    )


def compensation_effect_on_satisfaction(scenario: Scenario, customer: CustomerState) -> float:
    """The gain in ``customer``'s satisfaction from full compensation of the vignette's failure
    (with an apology, within the target time) over none."""
    seen = vignette_failure(scenario)
    judged = appraise(scenario, customer, seen, 0.0, 0.0)

    def satisfaction(paid: float) -> float:
        recovery = Recovery(True, paid, True, scenario.recovery.target_hours / 2)
        return evaluate(scenario, customer, seen, judged, recovery).satisfaction_after

    return satisfaction(judged.expected_compensation) - satisfaction(0.0)


def individualism_compensation(_: Runs | None, scenario: Scenario) -> list[float]:
    """The gain in satisfaction from full compensation for an individualist (0.8) minus for a
    collectivist (0.2)."""

    def gain(individualism: float) -> float:
        customer = replace(vignette_customer(scenario), individualism=individualism)
        return compensation_effect_on_satisfaction(scenario, customer)

    return [gain(0.8) - gain(0.2)]


def compensation_frequency(_: Runs | None, scenario: Scenario) -> list[float]:
    return [
        compensation_effect_on_satisfaction(scenario, vignette_customer(scenario, 2))
        - compensation_effect_on_satisfaction(scenario, vignette_customer(scenario, 0))
    ]


def compensation_curves(_: Runs | None, scenario: Scenario) -> list[float]:
    """Curvature of distributive justice against compensation/expectation: convexity below
    x = 0.45 and concavity above x = 1.05 when the service was rejected; concavity throughout
    when it was accepted (mean second derivatives; positive means the shape holds)."""
    sat = scenario.satisfaction
    step = 0.05
    ratios = np.arange(0.0, 1.5 + step / 2, step)

    def curve(*, rejected: bool) -> np.ndarray:
        return np.array([justice_curve(sat, x, rejected=rejected) for x in ratios])

    def second(values: np.ndarray) -> np.ndarray:
        return np.diff(values, 2) / step**2

    rejected = second(curve(rejected=True))
    middles = ratios[1:-1]
    return [
        float(rejected[middles <= 0.45].mean()),
        float(-rejected[middles >= 1.05].mean()),
        float(-second(curve(rejected=False)).max()),
    ]


def overcompensation(_: Runs | None, scenario: Scenario) -> list[float]:
    """Distributive justice at 1.5 times the price minus at 2 times, when the expected
    compensation was the full price."""
    sat = scenario.satisfaction

    def justice(times_price: float) -> float:
        return distributive_justice(sat, times_price * 10.0, 10.0, 10.0, rejected=True)

    return [justice(1.5) - justice(2.0)]


def justice_order(_: Runs | None, scenario: Scenario) -> list[float]:
    """The share of a failure's loss repaired by full distributive, interactional and procedural
    justice alone (the handling quality H of MODEL.md 5.9; platform fully responsible, so the
    compensation gate is open; a neutral culture). Measured on H rather than on satisfaction,
    which the scale's floor cuts off after a costly failure."""
    sat = scenario.satisfaction

    def repaired(dj: float, ij: float, pj: float) -> float:
        return handling_quality(sat, dj, ij, pj, 0.5)

    d, i, p = repaired(1, 0, 0), repaired(0, 1, 0), repaired(0, 0, 1)
    return [d - i, i - p]
