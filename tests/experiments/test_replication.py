"""The Python API: one replication's KPIs, time series and episodes (MODEL.md 7), with invariants,
determinism and a seeded regression."""

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import EPISODE_COLUMNS, KPI_COLUMNS, TIMESERIES_COLUMNS, Scenario, run_replication
from sim.model.relationship import STAGES, stage_index
from sim.model.world import World
from tests import golden_outputs
from tests.conftest import small_scenario

MODEL_KPIS = [
    "orders",
    "failures",
    "failure_rate",
    "mean_perceived_control",
    "mean_aggregator_responsibility",
    "mean_provider_responsibility",
    "mean_expected_compensation",
    "mean_expected_compensation_share",
    "compensation_paid_total",
    "mean_expected_punishment",
    "complaint_rate",
    "low_rating_rate",
    "providers_sanctioned",
    "providers_exited",
    "customer_churn_rate",
    "mean_post_recovery_satisfaction",
    "aggregator_profit",
    "mean_punishment_gap",
]
MODEL_EPISODE_COLUMNS = [
    "replication",
    "time",
    "customer_id",
    "provider_id",
    "segment",
    "cause",
    "failure_class",
    "kind",
    "outcome",
    "severity",
    "surge",
    "explained",
    "explanation_blames",
    "perceived_control",
    "aggregator_responsibility",
    "provider_responsibility",
    "expected_compensation",
    "expected_compensation_share",
    "expected_punishment",
    "complained",
    "compensation_paid",
    "apology",
    "recovery_delay",
    "satisfaction_before",
    "satisfaction_after",
    "relationship",
    "individualism",
    "provider_rating",
    "retained",
    "provider_sanction",
]
PROBABILITY_COLUMNS = [
    "severity",
    "perceived_control",
    "aggregator_responsibility",
    "provider_responsibility",
    "expected_punishment",
    "satisfaction_before",
    "satisfaction_after",
    "relationship",
    "individualism",
]


@pytest.fixture(scope="module")
def traced():
    return run_replication(small_scenario(**{"surge.enabled": True}), replication=1, trace=True)


def test_outputs_carry_the_public_column_names(traced):
    assert list(traced.kpis) == list(KPI_COLUMNS)
    assert set(MODEL_KPIS) <= set(traced.kpis)
    assert {f"failures_cause_{c}" for c in ("aggregator", "provider", "external")} <= set(
        traced.kpis
    )
    assert list(traced.timeseries.columns) == list(TIMESERIES_COLUMNS)
    assert list(traced.episodes.columns[: len(MODEL_EPISODE_COLUMNS)]) == MODEL_EPISODE_COLUMNS
    assert list(traced.episodes.columns) == list(EPISODE_COLUMNS)


def test_the_time_series_has_one_row_per_day_and_adds_up(traced):
    ts = traced.timeseries
    assert ts.day.tolist() == list(range(20))
    assert ts.orders.sum() == traced.kpis["orders"]
    assert ts.failures.sum() == traced.kpis["failures"]
    assert (ts.filter(like="stage_").sum(axis=1) == ts.customers_active).all()


def test_the_running_census_matches_a_fresh_count():
    world = World(small_scenario(**{"run.days": 10}))
    world.run()
    relationship = world.scenario.relationship
    fresh = [0] * len(STAGES)
    for customer in world.customers.values():
        fresh[
            stage_index(relationship, customer.relationship, has_ordered=customer.has_ordered)
        ] += 1
    assert world.stage_counts == fresh
    threshold = world.scenario.acquisition.promoter_satisfaction
    assert world.promoters == sum(c.satisfaction >= threshold for c in world.customers.values())


def test_without_trace_there_is_no_episode_table():
    assert run_replication(small_scenario(**{"run.days": 2}), trace=False).episodes is None


def test_every_order_is_delivered_or_failed_and_rejected(traced):
    table = traced.episodes
    k = traced.kpis
    rejected = (table.outcome == "rejected").sum()
    assert k["orders"] == k["delivered"] + rejected
    assert len(table) == k["failures"]
    assert k["failures"] == sum(
        k[f"failures_class_{c}"] for c in ("glitch", "no_supply", "provider_fault", "external")
    )


def test_episodes_hold_valid_values(traced):
    table = traced.episodes
    for column in PROBABILITY_COLUMNS:
        values = table[column].dropna()
        assert values.between(0.0, 1.0).all(), column
    assert (table.time >= 0).all() and (table.recovery_delay.dropna() >= 0).all()
    assert (table.compensation_paid >= 0).all()
    assert table.expected_compensation_share.between(0, 1.5).all()
    no_provider = table.provider_id == -1
    assert set(table[no_provider].failure_class) <= {"glitch", "no_supply"}
    assert table[no_provider].expected_punishment.isna().all()
    assert table[~no_provider].provider_rating.between(1, 5).all()


def assert_invariants(result, scenario: Scenario) -> None:
    k = result.kpis
    # money is conserved between customers, platform and providers
    assert k["customer_payments"] - k["compensation_paid_total"] == pytest.approx(
        k["aggregator_profit"] + k["provider_earnings"], rel=1e-9, abs=1e-6
    )
    # compensation paid never exceeds the daily budget (the last counted day also holds what was
    # paid for its orders after the horizon, on budgets of later days)
    budget = scenario.recovery.daily_budget
    if budget > 0:
        assert (result.timeseries.compensation_paid.iloc[:-1] <= budget + 1e-9).all()
    for name in ("failure_rate", "complaint_rate", "low_rating_rate", "customer_churn_rate"):
        assert math.isnan(k[name]) or 0.0 <= k[name] <= 1.0
    if result.episodes is not None:
        assert k["orders"] == k["delivered"] + (result.episodes.outcome == "rejected").sum()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    intermediation=st.floats(0, 1),
    glitch_rate=st.floats(0, 0.3),
    policy=st.sampled_from(["none", "fixed_share", "match_expectation", "tiered"]),
    budget=st.sampled_from([0.0, 5.0, 40.0]),
    chargeback=st.floats(0, 1),
    proactive=st.booleans(),
    matching=st.sampled_from(["longest_idle", "best_rated"]),
    surge=st.booleans(),
    seed=st.integers(0, 2**32),
)
def test_invariants_hold_for_any_scenario(
    intermediation, glitch_rate, policy, budget, chargeback, proactive, matching, surge, seed
):
    scenario = small_scenario(
        **{
            "run.days": 5,
            "run.seed": seed,
            "customers.count": 300,
            "providers.count": 3,
            "aggregator.intermediation": intermediation,
            "aggregator.glitch_rate": glitch_rate,
            "aggregator.matching": matching,
            "recovery.policy": policy,
            "recovery.daily_budget": budget,
            "recovery.chargeback_share": chargeback,
            "recovery.proactive": proactive,
            "sanctions.fine_per_complaint": 1.0,
            "surge.enabled": surge,
        }
    )
    assert_invariants(run_replication(scenario, trace=True), scenario)


def test_a_tight_budget_binds():
    scenario = small_scenario(
        **{"recovery.policy": "match_expectation", "recovery.daily_budget": 20.0}
    )
    result = run_replication(scenario)
    assert_invariants(result, scenario)
    assert (result.timeseries.compensation_paid > 19.0).sum() >= 10  # most days hit the budget


def test_same_seed_same_results_and_replications_differ():
    scenario = small_scenario(**{"run.days": 10})
    first, again = (
        run_replication(scenario, 2, trace=True),
        run_replication(scenario, 2, trace=True),
    )
    assert all(
        a == b or (np.isnan(a) and np.isnan(b))
        for a, b in zip(first.kpis.values(), again.kpis.values(), strict=True)
    )
    assert first.timeseries.equals(again.timeseries)
    assert first.episodes.equals(again.episodes)
    assert run_replication(scenario, 3).kpis["orders"] != first.kpis["orders"]


def test_a_warm_up_is_simulated_but_not_counted():
    plain = run_replication(small_scenario(**{"run.days": 10}))
    warmed = run_replication(small_scenario(**{"run.days": 10, "run.warmup_days": 5}))
    assert len(warmed.timeseries) == 10 and warmed.timeseries.day.iloc[0] == 0
    assert warmed.kpis["orders"] == warmed.timeseries.orders.sum()
    assert warmed.kpis["customers_initial"] != plain.kpis["customers_initial"]


# Seeded regression: these numbers change only when the model changes. If a change is intended,
# update them in the same commit and say why in its message.
REGRESSION_PINNED: dict[str, float] = {
    "orders": 1085,
    "failures": 102,
    "failures_class_glitch": 20,
    "failures_class_no_supply": 18,
    "failures_class_provider_fault": 54,
    "failures_class_external": 10,
    "mean_perceived_control": 0.5394936191655498,
    "mean_aggregator_responsibility": 0.49561193129646564,
    "mean_provider_responsibility": 0.407249992620487,
    "mean_expected_compensation": 3.9679780772901267,
    "mean_expected_punishment": 0.2694545995605115,
    "complaint_rate": 0.4803921568627451,
    "compensation_paid_total": 317.5055786479776,
    "customers_churned": 6,
    "providers_sanctioned": 5,
    "aggregator_profit": 3982.354657970293,
    "mean_post_recovery_satisfaction": 0.38088048194267415,
}


def test_seeded_regression():
    result = run_replication(small_scenario(**{"run.days": 10, "run.seed": 2026}), replication=0)
    pinned = {name: result.kpis[name] for name in REGRESSION_PINNED}
    assert pinned == pytest.approx(REGRESSION_PINNED, rel=1e-9)


@pytest.mark.parametrize("case", sorted(golden_outputs.CASES))
def test_whole_replications_are_pinned(case):
    """Every KPI, time-series row and episode of small worlds (tests/golden_outputs.py): a
    change that keeps the model's behaviour keeps them; a change of the model on purpose
    rewrites them with ``python -m tests.golden_outputs`` in the same commit."""
    pinned = json.loads(golden_outputs.FILE.read_text(encoding="utf-8"))[case]
    found = golden_outputs.outputs(case)
    for replication, tables in pinned.items():
        now = found[replication]
        assert now["kpis"] == pytest.approx(tables["kpis"], rel=1e-11, nan_ok=True)
        assert now["timeseries"] == tables["timeseries"], (case, replication)
        assert now["episodes"] == tables["episodes"], (case, replication)


@pytest.mark.parametrize("command", sorted(golden_outputs.COMMANDS))
def test_the_commands_tables_are_pinned(command):
    """Every table a run, a sweep, a comparison and a validation of three patterns write on a
    tiny world (tests/golden_outputs.py): the ground of refactorings that must not change them."""
    pinned = json.loads(golden_outputs.COMMANDS_FILE.read_text(encoding="utf-8"))[command]
    assert golden_outputs.command_outputs(command) == pinned


@pytest.mark.parametrize(("shifting", "blamed"), [(0.0, "platform"), (1.0, "provider")])
def test_the_episode_says_whom_the_explanation_blamed(shifting, blamed):
    episodes = run_replication(
        small_scenario(
            **{"aggregator.explanation_rate": 1.0, "aggregator.blame_shifting": shifting}
        ),
        replication=0,
        trace=True,
    ).episodes
    own = episodes[episodes.cause == "aggregator"]
    assert len(own) > 5 and set(own.explanation_blames) == {blamed}
    assert set(episodes[episodes.cause == "external"].explanation_blames) <= {"outside"}
    assert set(episodes[episodes.cause == "provider"].explanation_blames) <= {"provider"}
