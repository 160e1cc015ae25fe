"""Relationship strength and stages (MODEL.md 5.11)."""

from hypothesis import given
from hypothesis import strategies as st

from sim.model.relationship import (
    STAGES,
    stage,
    stage_index,
    strength_after_failure,
    strength_after_success,
)
from sim.scenario import RelationshipParameters

P = RelationshipParameters()


def test_stages_follow_the_life_cycle():
    assert stage(P, 0.9, has_ordered=False) == "pre"
    assert [stage(P, s, has_ordered=True) for s in (0.0, 0.3, 0.6, 0.85, 1.0)] == [
        "early",
        "development",
        "long_term",
        "final",
        "final",
    ]


def test_stage_index_is_the_position_of_the_stage():
    for strength in (0.0, 0.29, 0.3, 0.7, 0.99):
        for has_ordered in (False, True):
            assert STAGES[stage_index(P, strength, has_ordered=has_ordered)] == stage(
                P, strength, has_ordered=has_ordered
            )


@given(strength=st.floats(0, 1), severity=st.floats(0, 1))
def test_successes_build_and_failures_erode_strength(strength, severity):
    assert strength <= strength_after_success(P, strength) <= 1.0
    assert 0.0 <= strength_after_failure(P, strength, severity) <= strength
