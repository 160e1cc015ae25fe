"""Perceived control and responsibility (MODEL.md 5.3, 5.4): P1, P2 and shared blame."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.attribution import (
    explanation_effect,
    failure_stability,
    logistic,
    perceived_control,
    perceived_controllability,
    perception_noise,
    responsibility,
)
from sim.scenario import AttributionParameters

P = AttributionParameters()
unit = st.floats(0.0, 1.0)
PROVIDER_FAULT = 0.4  # the baseline platform's actual control of a provider fault


def pac(intermediation=0.6, brand=0.5, control=PROVIDER_FAULT, encounter=False, explanation=0.0):
    return perceived_control(
        P,
        intermediation,
        brand,
        control,
        encounter=encounter,
        explanation=explanation,
        disposition=0.0,
    )


def test_perceived_control_matches_the_worked_numbers_of_the_model():
    # MODEL.md 5.3: with B = 0.5, ≈ 0.22 for a provider fault on a listing board, ≈ 0.56 at
    # I = 1, ≈ 0.89 for a glitch the platform fully controls at I = 1.
    assert pac(intermediation=0.0) == pytest.approx(0.22, abs=0.005)
    assert pac(intermediation=1.0) == pytest.approx(0.56, abs=0.005)
    assert pac(intermediation=1.0, control=1.0) == pytest.approx(0.89, abs=0.005)


@given(low=unit, high=unit, brand=unit, control=unit, encounter=st.booleans())
def test_p2_more_intermediation_means_more_perceived_control(low, high, brand, control, encounter):
    low, high = sorted((low, high))
    assert pac(low, brand, control, encounter) <= pac(high, brand, control, encounter)


@given(low=unit, high=unit, intermediation=unit, control=unit)
def test_p2_a_more_salient_brand_means_more_perceived_control(low, high, intermediation, control):
    low, high = sorted((low, high))
    assert pac(intermediation, low, control) <= pac(intermediation, high, control)


@given(low=unit, high=unit, intermediation=unit, brand=unit)
def test_p1_what_the_platform_could_have_prevented_is_seen_as_in_its_control(
    low, high, intermediation, brand
):
    low, high = sorted((low, high))
    assert pac(intermediation, brand, low) <= pac(intermediation, brand, high)
    assert pac(control=1.0) > pac(control=PROVIDER_FAULT) + 0.3


def test_customers_see_controllability_with_an_error_that_knowledge_and_explanations_shrink():
    stranger = perception_noise(P, 0.0, explained=False)
    assert stranger == P.perception_noise
    assert perception_noise(P, 1.0, explained=False) == pytest.approx(stranger * 0.4)
    assert perception_noise(P, 0.0, explained=True) == pytest.approx(stranger * 0.5)
    assert perceived_controllability(0.4, stranger, 1.0) == pytest.approx(0.4 + stranger)
    assert perceived_controllability(0.9, stranger, 2.0) == 1.0  # clipped to [0, 1]
    assert perceived_controllability(0.1, stranger, -2.0) == 0.0


def test_a_failure_is_seen_as_more_stable_the_more_often_it_recurs():
    assert [failure_stability(n) for n in range(4)] == [0.0, 0.5, 0.75, 0.875]


@given(severity=unit, ppc=unit, pac_value=unit, encounter=st.booleans())
def test_a_stable_failure_moves_blame_to_the_platform(severity, ppc, pac_value, encounter):
    fluke = responsibility(
        P, pac_value, severity, encounter=encounter, provider_perceived_control=ppc, stability=0.0
    )
    recurring = responsibility(
        P, pac_value, severity, encounter=encounter, provider_perceived_control=ppc, stability=0.75
    )
    assert recurring[0] >= fluke[0] and recurring[1] <= fluke[1]


def test_encounter_failures_raise_perceived_control():
    assert pac(encounter=True) > pac(encounter=False)


def test_explanations_move_perception_towards_the_named_party_more_for_individualists():
    individualist = explanation_effect(P, names_platform=True, individualism=1.0)
    collectivist = explanation_effect(P, names_platform=True, individualism=0.0)
    assert individualist == pytest.approx(0.7)
    assert collectivist == pytest.approx(0.7 * 0.3)
    assert explanation_effect(P, names_platform=False, individualism=1.0) == -individualist
    assert pac(explanation=individualist) > pac() > pac(explanation=-individualist)


@given(pac_value=unit, severity=unit, encounter=st.booleans(), ppc=unit)
def test_responsibilities_stay_between_the_floor_and_one(pac_value, severity, encounter, ppc):
    aggregator, provider = responsibility(
        P, pac_value, severity, encounter=encounter, provider_perceived_control=ppc
    )
    assert P.blame_floor <= aggregator <= 1.0
    assert P.blame_floor <= provider <= 1.0


@given(low=unit, high=unit, severity=unit, ppc=unit)
def test_p2_aggregator_responsibility_rises_with_perceived_control(low, high, severity, ppc):
    low, high = sorted((low, high))
    assert (
        responsibility(P, low, severity, encounter=False, provider_perceived_control=ppc)[0]
        <= responsibility(P, high, severity, encounter=False, provider_perceived_control=ppc)[0]
    )


def test_blame_is_not_zero_sum():
    # Severe failures: both parties carry a large share at once (Dunn et al. 2021).
    aggregator, provider = responsibility(
        P, 0.5, 1.0, encounter=False, provider_perceived_control=1.0
    )
    assert aggregator + provider > 1.0
    # The provider is the known cause and the platform is seen as having little control,
    # yet the platform keeps more than the floor (locus-responsibility shift).
    aggregator, _ = responsibility(P, 0.2, 0.5, encounter=False, provider_perceived_control=0.9)
    assert aggregator > P.blame_floor + 0.05


def test_provider_caused_failures_shift_blame_to_the_platform_with_severity_and_encounter():
    mild, _ = responsibility(P, 0.4, 0.1, encounter=False, provider_perceived_control=0.9)
    severe, _ = responsibility(P, 0.4, 0.9, encounter=False, provider_perceived_control=0.9)
    encounter, _ = responsibility(P, 0.4, 0.1, encounter=True, provider_perceived_control=0.9)
    assert severe > mild + 0.1
    assert encounter > mild + 0.05


@given(x=st.floats(-800, 800))
def test_logistic_is_a_probability(x):
    assert 0.0 <= logistic(x) <= 1.0
