"""Satisfaction after a failure episode (MODEL.md 5.9)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.satisfaction import (
    compensation_gate,
    distributive_justice,
    interactional_justice,
    paradox_eligible,
    procedural_justice,
    remedy_worth,
    satisfaction_after_episode,
    satisfaction_after_success,
)
from sim.scenario import SatisfactionParameters

P = SatisfactionParameters()
unit = st.floats(0.0, 1.0)


def justice_curve(rejected: bool) -> np.ndarray:
    ratios = np.linspace(0.0, 1.5, 31)
    return np.array([distributive_justice(P, r, 1.0, 10.0, rejected=rejected) for r in ratios])


def test_compensation_to_justice_is_s_shaped_when_the_service_was_rejected():
    curve = justice_curve(rejected=True)
    slopes = np.diff(curve)
    curvature = np.diff(slopes)
    assert np.all(slopes > 0)
    # convex below the midpoint, concave above it: one change of sign in curvature
    assert curvature[:10].min() > 0 and curvature[-10:].max() < 0
    assert curve[0] < 0.05 and curve[-1] > 0.95


def test_compensation_to_justice_is_concave_when_the_service_was_accepted():
    curve = justice_curve(rejected=False)
    assert np.all(np.diff(curve) > 0)
    assert np.all(np.diff(curve, 2) < 0)
    assert curve[6] > 0.5  # a fifth of the expectation already gives half the justice


def test_overcompensation_beyond_one_and_a_half_times_the_price_is_penalised():
    fair = distributive_justice(P, 15.0, 10.0, 10.0, rejected=True)
    lavish = distributive_justice(P, 25.0, 10.0, 10.0, rejected=True)
    assert lavish < fair - 0.2


def after(
    dj=0.0,
    ij=0.0,
    pj=0.0,
    severity=0.3,
    before=1.0,
    ra=0.5,
    individualism=0.5,
    gate=1.0,
    relationship=0.0,
    reached=False,
):
    return satisfaction_after_episode(
        P,
        before,
        severity,
        ra,
        dj,
        ij,
        pj,
        individualism,
        paradox_eligible=False,
        gate=gate,
        relationship=relationship,
        reached=reached,
    )


def test_distributive_justice_moves_satisfaction_more_than_interactional_more_than_procedural():
    base = after()
    distributive, interactional, procedural = (
        after(dj=1) - base,
        after(ij=1) - base,
        after(pj=1) - base,
    )
    assert distributive > interactional > procedural > 0


def test_collectivists_weigh_the_apology_more():
    assert after(ij=1, individualism=0.0) > after(ij=1, individualism=1.0)


def test_attribution_to_the_platform_deepens_the_loss():
    assert after(ra=0.9) < after(ra=0.1)


def test_the_recovery_paradox_needs_a_first_mild_fully_recovered_failure_with_apology():
    assert paradox_eligible(
        P,
        first_failure=True,
        severity=0.2,
        distributive=1.0,
        apologised=True,
        perceived_controllability=0.2,
    )
    assert not paradox_eligible(
        P,
        first_failure=False,
        severity=0.2,
        distributive=1.0,
        apologised=True,
        perceived_controllability=0.2,
    )  # vanishes after a second failure
    assert not paradox_eligible(
        P,
        first_failure=True,
        severity=0.8,
        distributive=1.0,
        apologised=True,
        perceived_controllability=0.2,
    )
    assert not paradox_eligible(
        P,
        first_failure=True,
        severity=0.2,
        distributive=0.5,
        apologised=True,
        perceived_controllability=0.2,
    )
    assert not paradox_eligible(
        P,
        first_failure=True,
        severity=0.2,
        distributive=1.0,
        apologised=False,
        perceived_controllability=0.2,
    )
    assert not paradox_eligible(
        P,
        first_failure=True,
        severity=0.2,
        distributive=1.0,
        apologised=True,
        perceived_controllability=0.8,
    )  # the platform could have prevented it


def test_a_paradox_recovery_makes_good_the_lasting_harm_and_adds_a_small_bonus():
    with_bonus = satisfaction_after_episode(P, 0.5, 0.1, 0.2, 1, 1, 1, 0.5, paradox_eligible=True)
    without = satisfaction_after_episode(P, 0.5, 0.1, 0.2, 1, 1, 1, 0.5, paradox_eligible=False)
    assert with_bonus - without == pytest.approx(P.paradox_bonus + P.lasting_harm * 0.1)
    assert P.paradox_bonus <= 0.02


@given(
    before=unit, severity=unit, ra=unit, dj=unit, ij=unit, pj=unit, ind=unit, paradox=st.booleans()
)
def test_satisfaction_stays_in_the_unit_interval(before, severity, ra, dj, ij, pj, ind, paradox):
    value = satisfaction_after_episode(
        P, before, severity, ra, dj, ij, pj, ind, paradox_eligible=paradox
    )
    assert 0.0 <= value <= 1.0


@given(
    c=st.floats(0, 100), ec=st.floats(0.01, 100), price=st.floats(0.01, 100), rejected=st.booleans()
)
def test_distributive_justice_is_a_share(c, ec, price, rejected):
    assert 0.0 <= distributive_justice(P, c, ec, price, rejected=rejected) <= 1.0


def test_interactional_and_procedural_justice():
    assert interactional_justice(P, apologised=True, apology_expected=True) == 1.0
    assert interactional_justice(P, apologised=False, apology_expected=True) == 0.0
    assert (
        interactional_justice(P, apologised=False, apology_expected=False)
        == P.interactional_without_apology
    )
    assert procedural_justice(recovered=False, delay_hours=1.0, target_hours=24.0) == 0.0
    assert procedural_justice(recovered=True, delay_hours=10.0, target_hours=24.0) == 1.0
    assert procedural_justice(recovered=True, delay_hours=48.0, target_hours=24.0) == pytest.approx(
        np.exp(-1)
    )


def test_success_nudges_satisfaction_up():
    assert 0.5 < satisfaction_after_success(P, 0.5) < 0.6


def test_a_late_remedy_is_worth_less():
    target = 24.0
    assert remedy_worth(P, 2.0, target) == 1.0
    assert remedy_worth(P, target, target) == 1.0
    assert remedy_worth(P, 3 * target, target) == pytest.approx(
        1 / (1 + 2 * P.late_remedy_discount)
    )
    assert remedy_worth(P, 5 * target, target) < remedy_worth(P, 3 * target, target)


def test_compensation_repairs_more_when_the_platform_is_blamed_and_the_failure_recurs():
    assert compensation_gate(P, 0.0, 0.0) == P.compensation_gate_floor
    assert compensation_gate(P, 1.0, 0.0) == 1.0
    assert compensation_gate(P, 0.8, 0.0) > compensation_gate(P, 0.3, 0.0) + 0.3
    assert compensation_gate(P, 0.3, 0.75) > compensation_gate(P, 0.3, 0.0) + 0.05

    def gain(gate):  # satisfaction a full compensation brings, through the gate
        return after(dj=1.0, gate=gate) - after(dj=0.0, gate=gate)

    assert gain(1.0) > 2 * gain(compensation_gate(P, 0.2, 0.0))


def test_strong_relationships_sour_after_bad_handling_and_forgive_good_handling():
    def reached(rel, handled):
        justice = (0.6, 1.0, 1.0) if handled else (0.0, 0.0, 0.0)
        return after(*justice, severity=0.1, before=0.7, relationship=rel, reached=True)

    assert reached(0.9, False) < reached(0.1, False) - 0.05  # betrayal (love becomes hate)
    assert reached(0.9, True) > reached(0.1, True) + 0.05  # forgiveness
    # Without a complaint the platform was given no chance: relationship strength does nothing.
    assert after(relationship=0.9) == after(relationship=0.1)
    knockout = SatisfactionParameters(relationship_moderation=0.0)
    assert satisfaction_after_episode(
        knockout,
        0.8,
        0.6,
        0.5,
        0,
        0,
        0,
        0.5,
        paradox_eligible=False,
        gate=1.0,
        relationship=0.9,
        reached=True,
    ) == satisfaction_after_episode(
        knockout,
        0.8,
        0.6,
        0.5,
        0,
        0,
        0,
        0.5,
        paradox_eligible=False,
        gate=1.0,
        relationship=0.1,
        reached=True,
    )
