"""A vignette's story becomes the failure, customer and recovery the judgement model reads
(MODEL.md 12.1)."""

from __future__ import annotations

import pytest

from sim.model.population import CustomerTraits
from sim.scenario import Scenario
from sim.vignette.story import Story, episode, story_keys

TRAITS = CustomerTraits(
    key_account=False,
    individualism=0.6,
    disposition=0.1,
    satisfaction=0.7,
    relationship=0.3,
    switching_cost=0.1,
)


@pytest.mark.parametrize(
    ("cause", "failure_class", "platform_control"),
    [
        ("provider", "provider_fault", "vetting and monitoring"),
        ("aggregator", "glitch", "aggregator_control_glitch"),
        ("no_supply", "no_supply", "aggregator_control_no_supply"),
        ("external", "external", "external_control"),
    ],
)
def test_the_cause_sets_the_failure_class_and_the_true_control(
    cause, failure_class, platform_control
):
    scenario = Scenario()
    failure, _, _ = episode(scenario, Story.model_validate({"failure": {"cause": cause}}), TRAITS)
    assert failure.failure_class == failure_class
    f, a = scenario.failures, scenario.aggregator
    expected = {
        "vetting and monitoring": (a.vetting + a.monitoring) / 2,
        "aggregator_control_glitch": f.aggregator_control_glitch,
        "aggregator_control_no_supply": f.aggregator_control_no_supply,
        "external_control": f.external_control,
    }[platform_control]
    assert failure.aggregator_control == expected
    assert failure.provider_kind == ("" if cause == "no_supply" else "individual")


def test_the_story_overrides_the_respondent_only_where_it_speaks():
    scenario = Scenario()
    _, own, _ = episode(scenario, Story(), TRAITS)
    assert (own.relationship, own.key_account) == (0.3, False)
    told = Story.model_validate(
        {"customer": {"key_account": True, "relationship": 0.9, "earlier_failures": 2}}
    )
    failure, customer, _ = episode(scenario, told, TRAITS)
    assert (customer.relationship, customer.key_account) == (0.9, True)
    assert customer.earlier_recent_failures == 2
    assert failure.price == scenario.customers.price_mean_key_account
    assert customer.individualism == TRAITS.individualism  # the respondent's own


def test_the_remedy_is_paid_as_a_share_of_the_price_and_an_explanation_names_a_party():
    scenario = Scenario()
    story = Story.model_validate(
        {
            "remedy": {"compensation": 0.5, "apology": True, "delay_hours": 2.0},
            "failure": {"explanation": "platform"},
        }
    )
    failure, _, recovery = episode(scenario, story, TRAITS)
    assert recovery.compensation == 0.5 * scenario.customers.price_mean_general
    assert recovery.apologised and recovery.delay_hours == 2.0 and recovery.reached
    assert failure.explained and failure.names_platform


def test_every_story_key_has_a_meaning():
    keys = story_keys()
    assert "failure.severity" in keys and "remedy.compensation" in keys
    assert all(keys.values())
