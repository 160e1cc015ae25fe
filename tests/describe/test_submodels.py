"""Each submodel of the specification with its parameters and the setting that switches it off
(MODEL.md 16)."""

from __future__ import annotations

import pytest

from sim.describe.odd import submodel_numbers
from sim.describe.submodels import SUBMODELS
from sim.scenario import Scenario, parameter_index


def test_every_submodel_of_the_specification_is_listed_once():
    assert [s.number for s in SUBMODELS] == submodel_numbers()


def test_every_listed_parameter_exists():
    keys = set(parameter_index())
    for submodel in SUBMODELS:
        assert submodel.parameter_keys(), submodel.number
        for wanted in submodel.parameters:
            assert wanted in keys or any(k.startswith(wanted) for k in keys), wanted


def test_the_baseline_switches_off_exactly_the_b2b_parts_and_surge():
    off = [s.number for s in SUBMODELS if s.switched_off(Scenario())]
    assert off == ["5.6b", "14.1", "14.2", "14.3", "14.4"]


@pytest.mark.parametrize(
    ("number", "setting"),
    [
        ("5.2", {"aggregator.explanation_rate": 0.0}),
        ("5.6b", {"surge.enabled": False}),
        ("14.1", {"buying_centre.size_general": 1.0, "buying_centre.size_key_account": 1.0}),
        ("14.2", {"kam.share": 0.0}),
        ("14.3", {"customers.culture_sd": 0.0}),
        ("14.4", {"contracts.share_general": 0.0, "contracts.share_key_account": 0.0}),
    ],
)
def test_a_switched_off_submodel_comes_on_when_its_setting_moves(number, setting):
    submodel = next(s for s in SUBMODELS if s.number == number)
    on = {
        "5.2": {"aggregator.explanation_rate": 0.3},
        "5.6b": {"surge.enabled": True},
        "14.1": {"buying_centre.size_general": 3.0},
        "14.2": {"kam.share": 0.1},
        "14.3": {"customers.power_distance": 0.8},
        "14.4": {"contracts.share_key_account": 0.5},
    }[number]
    assert submodel.switched_off(Scenario().with_values(**setting)) is not None
    assert submodel.switched_off(Scenario().with_values(**{**setting, **on})) is None
