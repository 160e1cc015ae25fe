"""Perceived control and responsibility (MODEL.md 5.3, 5.4): P1, P2 and shared blame."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.attribution import (
    explanation_effect,
    logistic,
    perceived_control,
    responsibility,
)
from sim.scenario import AttributionParameters

P = AttributionParameters()
unit = st.floats(0.0, 1.0)
causes = st.sampled_from(["aggregator", "provider", "external"])


def pac(intermediation=0.6, brand=0.5, cause="provider", encounter=False, explanation=0.0, u=0.0):
    return perceived_control(P, intermediation, brand, cause, encounter, explanation, u)


def test_perceived_control_matches_the_worked_numbers_of_the_model():
    # MODEL.md 5.3: with B = 0.5, ≈ 0.22 for a provider fault on a listing board, ≈ 0.56 at
    # I = 1, ≈ 0.90 for a platform glitch at I = 1.
    assert pac(intermediation=0.0) == pytest.approx(0.22, abs=0.005)
    assert pac(intermediation=1.0) == pytest.approx(0.56, abs=0.005)
    assert pac(intermediation=1.0, cause="aggregator") == pytest.approx(0.90, abs=0.005)


@given(low=unit, high=unit, brand=unit, cause=causes, encounter=st.booleans())
def test_p2_more_intermediation_means_more_perceived_control(low, high, brand, cause, encounter):
    low, high = sorted((low, high))
    assert pac(low, brand, cause, encounter) <= pac(high, brand, cause, encounter)


@given(low=unit, high=unit, intermediation=unit, cause=causes)
def test_p2_a_more_salient_brand_means_more_perceived_control(low, high, intermediation, cause):
    low, high = sorted((low, high))
    assert pac(intermediation, low, cause) <= pac(intermediation, high, cause)


def test_p1_platform_caused_failures_are_seen_as_more_controllable():
    assert pac(cause="aggregator") > pac(cause="provider") + 0.3
    assert pac(cause="external") < pac(cause="provider")


def test_encounter_failures_raise_perceived_control():
    assert pac(encounter=True) > pac(encounter=False)


def test_explanations_move_perception_towards_the_named_party_more_for_individualists():
    individualist = explanation_effect(True, 1.0, P.explanation_weight)
    collectivist = explanation_effect(True, 0.0, P.explanation_weight)
    assert individualist == pytest.approx(0.7)
    assert collectivist == pytest.approx(0.7 * 0.3)
    assert explanation_effect(False, 1.0, P.explanation_weight) == -individualist
    assert pac(explanation=individualist) > pac() > pac(explanation=-individualist)


@given(pac_value=unit, severity=unit, encounter=st.booleans(), ppc=unit)
def test_responsibilities_stay_between_the_floor_and_one(pac_value, severity, encounter, ppc):
    aggregator, provider = responsibility(P, pac_value, severity, encounter, ppc)
    assert P.blame_floor <= aggregator <= 1.0
    assert P.blame_floor <= provider <= 1.0


@given(low=unit, high=unit, severity=unit, ppc=unit)
def test_p2_aggregator_responsibility_rises_with_perceived_control(low, high, severity, ppc):
    low, high = sorted((low, high))
    assert (
        responsibility(P, low, severity, False, ppc)[0]
        <= responsibility(P, high, severity, False, ppc)[0]
    )


def test_blame_is_not_zero_sum():
    # Severe failures: both parties carry a large share at once (Dunn et al. 2021).
    aggregator, provider = responsibility(P, 0.5, 1.0, False, 1.0)
    assert aggregator + provider > 1.0
    # The provider is the known cause and the platform is seen as having little control,
    # yet the platform keeps more than the floor (locus-responsibility shift).
    aggregator, _ = responsibility(P, 0.2, 0.5, False, 0.9)
    assert aggregator > P.blame_floor + 0.05


def test_provider_caused_failures_shift_blame_to_the_platform_with_severity_and_encounter():
    mild, _ = responsibility(P, 0.4, 0.1, False, 0.9)
    severe, _ = responsibility(P, 0.4, 0.9, False, 0.9)
    encounter, _ = responsibility(P, 0.4, 0.1, True, 0.9)
    assert severe > mild + 0.1
    assert encounter > mild + 0.05


@given(x=st.floats(-800, 800))
def test_logistic_is_a_probability(x):
    assert 0.0 <= logistic(x) <= 1.0
