"""The constructs a study measures are the judgement model's own quantities (MODEL.md 12.2)."""

from __future__ import annotations

import math

from sim.model.judgement import appraise, evaluate
from sim.scenario import Scenario
from sim.vignette.constructs import CONSTRUCTS, judgements
from sim.vignette.story import Story, episode
from tests.vignette.test_story import TRAITS


def test_each_construct_is_read_from_appraise_or_evaluate():
    scenario = Scenario()
    story = Story.model_validate({"remedy": {"compensation": 0.2}})
    values = dict(
        zip(
            CONSTRUCTS,
            judgements(scenario, story, TRAITS, 0.3, -0.4, list(CONSTRUCTS)),
            strict=True,
        )
    )
    failure, customer, recovery = episode(scenario, story, TRAITS)
    appraisal = appraise(scenario, customer, failure, 0.3, -0.4)
    verdict = evaluate(scenario, customer, failure, appraisal, recovery)
    assert values["perceived_control"] == appraisal.perceived_control
    assert values["expected_punishment"] == appraisal.expected_punishment
    assert values["expected_compensation"] == (
        appraisal.expected_compensation_share / scenario.compensation.cap
    )
    assert values["satisfaction"] == verdict.satisfaction_after
    assert values["repurchase_intention"] == verdict.repurchase_intention
    assert all(0.0 <= v <= 1.0 for v in values.values())


def test_without_a_provider_there_is_no_provider_to_judge():
    story = Story.model_validate({"failure": {"cause": "no_supply"}})
    values = judgements(
        Scenario(), story, TRAITS, 0.0, 0.0, ["provider_responsibility", "expected_punishment"]
    )
    assert all(math.isnan(v) for v in values)
