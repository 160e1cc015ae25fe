"""The scenario schema (MODEL.md section 6)."""

import pytest
from pydantic import ValidationError

from sim.scenario import Scenario, parameter_table

PUBLIC_KEYS = [
    "aggregator.intermediation",
    "aggregator.brand_salience",
    "aggregator.explanation_rate",
    "aggregator.glitch_rate",
    "aggregator.commission",
    "recovery.policy",
    "recovery.compensation_share",
    "recovery.apology",
    "customers.count",
    "providers.count",
    "customers.individualism",
    "customers.key_account_share",
    "failures.severity_mean",
    "surge.enabled",
    "run.days",
    "run.seed",
]


def test_the_public_parameters_of_the_model_exist():
    keys = {row.key for row in parameter_table()}
    assert set(PUBLIC_KEYS) <= keys


def test_every_parameter_has_a_default_and_a_meaning():
    rows = parameter_table()
    assert len(rows) > 150
    for row in rows:
        assert row.meaning, row.key
        assert row.default is not None, row.key


def test_ranges_units_and_choices_are_listed():
    rows = {row.key: row for row in parameter_table()}
    assert (
        rows["aggregator.intermediation"].minimum,
        rows["aggregator.intermediation"].maximum,
    ) == (0, 1)
    assert rows["run.days"].unit == "days"
    assert rows["recovery.policy"].choices == ("none", "fixed_share", "match_expectation", "tiered")
    assert rows["failures.severity_offset.glitch"].default == 0.0


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("aggregator.intermediation", 1.5),
        ("aggregator.glitch_rate", -0.1),
        ("recovery.policy", "lavish"),
        ("customers.count", 0),
        ("run.days", "sixty"),
        ("demand.hourly_profile", [1.0] * 23),
    ],
)
def test_invalid_values_are_rejected(key, value):
    with pytest.raises(ValidationError):
        Scenario().with_values(**{key: value})


def test_unknown_keys_are_rejected():
    with pytest.raises(KeyError, match="unknown parameter 'aggregator.intermedation'"):
        Scenario().with_values(**{"aggregator.intermedation": 0.5})
    with pytest.raises(ValidationError):
        Scenario.model_validate({"aggregator": {"intermedation": 0.5}})


def test_scenarios_are_immutable_and_with_values_copies():
    base = Scenario()
    changed = base.with_values(**{"aggregator.intermediation": 0.9})
    assert base.aggregator.intermediation == 0.6 and changed.aggregator.intermediation == 0.9
    with pytest.raises(ValidationError):
        base.aggregator.intermediation = 0.1
