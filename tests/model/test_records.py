"""The world's plain copy of the scenario holds the same values, read only (sim.model.records)."""

import pytest

from sim import Scenario
from sim.model.records import Record, plain_copy


def as_dict(node):
    """Every field of a scenario or of its plain copy, nested sections as dictionaries."""
    fields = node.__slots__ if isinstance(node, Record) else type(node).model_fields
    return {
        name: as_dict(value)
        if hasattr(value, "__slots__") or hasattr(value, "model_fields")
        else value
        for name in fields
        for value in [getattr(node, name)]
    }


def test_the_copy_has_every_field_with_its_value():
    scenario = Scenario().with_values(
        **{"aggregator.glitch_rate": 0.031, "failures.severity_offset.external": 0.2}
    )
    copy = plain_copy(scenario)
    assert as_dict(copy) == scenario.model_dump()
    assert copy.failures.severity_offset.external == 0.2
    assert isinstance(copy.failures.severity_offset, Record)


def test_the_copy_is_read_only():
    copy = plain_copy(Scenario())
    with pytest.raises(AttributeError, match="read only"):
        copy.aggregator.glitch_rate = 0.5  # type: ignore[misc]
