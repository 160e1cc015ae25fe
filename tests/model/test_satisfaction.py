"""Satisfaction after a failure episode (MODEL.md 5.9)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.satisfaction import (
    compensation_gate,
    distributive_justice,
    handling_quality,
    interactional_justice,
    justice_curve,
    justice_weights,
    procedural_justice,
    remedy_owed,
    remedy_worth,
    satisfaction_after_episode,
    satisfaction_after_success,
)
from sim.scenario import SatisfactionParameters

P = SatisfactionParameters()
unit = st.floats(0.0, 1.0)


def curve(rejected: bool) -> np.ndarray:
    return np.array([justice_curve(P, r, rejected=rejected) for r in np.linspace(0.0, 1.5, 31)])


def test_compensation_to_justice_is_s_shaped_when_the_service_was_rejected():
    values = curve(rejected=True)
    slopes = np.diff(values)
    curvature = np.diff(slopes)
    assert np.all(slopes > 0)
    # convex below the midpoint, concave above it: one change of sign in curvature
    assert curvature[:10].min() > 0 and curvature[-10:].max() < 0
    assert values[0] < 0.05 and values[-1] > 0.95


def test_compensation_to_justice_is_concave_when_the_service_was_accepted():
    values = curve(rejected=False)
    assert np.all(np.diff(values) > 0)
    assert np.all(np.diff(values, 2) < 0)
    assert values[6] > 0.5  # a fifth of the expectation already gives half the justice


def test_overcompensation_beyond_one_and_a_half_times_the_price_is_penalised():
    fair = distributive_justice(P, 15.0, 10.0, 10.0, rejected=True)
    lavish = distributive_justice(P, 25.0, 10.0, 10.0, rejected=True)
    assert lavish < fair - 0.2


def test_a_small_shortfall_is_tolerated_and_a_large_one_is_not():
    # Nothing paid on an order of 10: fairly just when 0.5 was expected, unjust when 8 was.
    little_owed = distributive_justice(P, 0.0, 0.5, 10.0, rejected=False)
    much_owed = distributive_justice(P, 0.0, 8.0, 10.0, rejected=False)
    assert little_owed > much_owed + 0.4
    # so paying what was expected mends far more where much was owed
    gain_little = distributive_justice(P, 0.5, 0.5, 10.0, rejected=False) - little_owed
    gain_much = distributive_justice(P, 8.0, 8.0, 10.0, rejected=False) - much_owed
    assert gain_much > 2 * gain_little
    # Knockout: without a zone of tolerance any shortfall is the whole injustice.
    strict = SatisfactionParameters(tolerance=0.0)
    assert distributive_justice(strict, 0.0, 0.5, 10.0, rejected=False) == 0.0


def handled(dj=0.0, ij=0.0, pj=0.0, individualism=0.5, encounter=False, gate=1.0, params=P):
    return handling_quality(params, dj, ij, pj, individualism, encounter=encounter, gate=gate)


def after(
    h=0.0,
    severity=0.3,
    before=1.0,
    ra=0.5,
    relationship=0.0,
    reached=False,
    stability=0.0,
    params=P,
):
    return satisfaction_after_episode(
        params,
        before,
        severity,
        ra,
        h,
        relationship=relationship,
        reached=reached,
        stability=stability,
    )


def test_distributive_outweighs_interactional_outweighs_procedural_after_core_failures():
    distributive, interactional, procedural = handled(dj=1), handled(ij=1), handled(pj=1)
    assert distributive > interactional > procedural > 0
    assert after(distributive) > after(interactional) > after(procedural) > after(0.0)


def test_resources_match_the_loss_compensation_for_outcomes_apology_for_encounters():
    core_d, core_i, _ = justice_weights(P, 0.5, encounter=False)
    meet_d, meet_i, _ = justice_weights(P, 0.5, encounter=True)
    assert core_d > meet_d and meet_i > core_i
    # a full compensation alone repairs more of a core failure, an apology alone of an encounter
    assert handled(dj=1) > handled(dj=1, encounter=True) + 0.2
    assert handled(ij=1, encounter=True) > handled(ij=1) + 0.2
    # Knockout: without matching the kind of failure changes nothing.
    flat = SatisfactionParameters(resource_matching=0.0)
    assert handled(dj=1, params=flat) == handled(dj=1, encounter=True, params=flat)


def test_collectivists_weigh_the_apology_more():
    assert handled(ij=1, individualism=0.0) > handled(ij=1, individualism=1.0)


def test_compensation_counts_less_in_the_handling_when_the_platform_is_not_to_blame():
    assert compensation_gate(P, 0.0, 0.0) == P.compensation_gate_floor
    assert compensation_gate(P, 0.8, 0.0) > compensation_gate(P, 0.3, 0.0) + 0.2
    # ...and when the failure is not expected again (Grewal et al. 2008: responsible *and*
    # frequent): a recurring failure of a responsible platform opens the gate fully.
    assert compensation_gate(P, 1.0, 0.0) == P.compensation_gate_first < 1.0
    assert compensation_gate(P, 1.0, 0.75) == 1.0
    assert compensation_gate(P, 0.3, 0.75) > compensation_gate(P, 0.3, 0.0) + 0.1

    def gain(gate):  # how much a full compensation adds to an apology and a prompt answer
        return handled(dj=1, ij=1, pj=1, gate=gate) - handled(dj=0, ij=1, pj=1, gate=gate)

    assert gain(1.0) > 2 * gain(compensation_gate(P, 0.2, 0.0))
    # a perfect recovery is perfect whoever is to blame
    assert handled(dj=1, ij=1, pj=1, gate=0.1) == pytest.approx(1.0)


def test_attribution_to_the_platform_deepens_the_loss():
    assert after(ra=0.9) < after(ra=0.1) - 0.2


def test_an_excellent_recovery_of_a_first_mild_failure_leaves_satisfaction_above_where_it_was():
    assert after(1.0, severity=0.1, before=0.7) > 0.7
    # not after a severe failure, whose lasting harm no recovery repairs
    assert after(1.0, severity=0.9, before=0.7) < 0.7
    # nor once failures recur: the delight goes with the stability of the cause
    assert after(1.0, severity=0.1, before=0.7, stability=0.75) < 0.7
    # Knockout: a recovery that can only repair the loss never leaves the customer better off.
    plain = SatisfactionParameters(delight=0.0)
    assert after(1.0, severity=0.1, before=0.7, params=plain) < 0.7


@given(before=unit, severity=unit, ra=unit, h=unit, rel=unit, reached=st.booleans(), stab=unit)
def test_satisfaction_stays_in_the_unit_interval(before, severity, ra, h, rel, reached, stab):
    value = after(h, severity, before, ra, rel, reached, stab)
    assert 0.0 <= value <= 1.0


@given(dj=unit, ij=unit, pj=unit, ind=unit, encounter=st.booleans(), gate=unit)
def test_handling_quality_is_a_share(dj, ij, pj, ind, encounter, gate):
    assert 0.0 <= handled(dj, ij, pj, ind, encounter, gate) <= 1.0 + 1e-12


@given(
    c=st.floats(0, 100), ec=st.floats(0, 100), price=st.floats(0.01, 100), rejected=st.booleans()
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

    def pj(answered=True, resolution=1.0, delay=10.0):
        return procedural_justice(
            answered=answered, resolution=resolution, delay_hours=delay, target_hours=24.0
        )

    assert pj(answered=False) == 0.0
    assert pj() == 1.0
    assert pj(delay=48.0) == pytest.approx(np.exp(-1))
    # an answer that pays nothing resolves only what was not owed (1 − O)
    assert pj(resolution=0.25) == 0.25
    assert pj(resolution=0.25, delay=48.0) == pytest.approx(0.25 * np.exp(-1))


def test_the_platform_owes_a_remedy_for_its_share_of_the_blame():
    assert remedy_owed(0.8, float("nan")) == 0.8  # no provider: its own responsibility
    assert remedy_owed(0.8, 0.0) == pytest.approx(0.8)  # the provider not blamed at all
    assert remedy_owed(0.5, 0.5) == pytest.approx(0.25)  # blamed alike: half of its own 0.5
    assert remedy_owed(0.0, 0.0) == 0.0
    # More blame on the provider, less owed by the platform.
    owed = [remedy_owed(0.5, r_p) for r_p in np.linspace(0.0, 1.0, 11)]
    assert np.all(np.diff(owed) < 0)
    # Knockout: a full remedy owed whoever is blamed.
    assert {remedy_owed(r_a, 0.5, follows_blame=False) for r_a in (0.0, 0.5, 1.0)} == {1.0}


@given(unit, unit)
def test_the_remedy_owed_is_a_share_at_most_the_platforms_responsibility(r_a, r_p):
    assert 0.0 <= remedy_owed(r_a, r_p) <= r_a * (1 + 1e-12)


def test_an_apology_without_the_remedy_owed_counts_less():
    def ij(owed, **params):
        p = P.model_copy(update=params)
        return interactional_justice(p, apologised=True, apology_expected=True, unpaid_owed=owed)

    assert ij(0.0) == 1.0  # paid, or nothing owed
    assert ij(0.6) == pytest.approx(1.0 - P.hollow_apology * 0.6)
    assert ij(0.8) < ij(0.4) < 1.0
    assert ij(0.8, hollow_apology=0.0) == 1.0  # knockout: words count whatever was owed
    # After an encounter failure the apology is the matching remedy: never hollow.
    assert (
        interactional_justice(
            P, apologised=True, apology_expected=True, unpaid_owed=0.8, encounter=True
        )
        == 1.0
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


def test_strong_relationships_sour_after_bad_handling_and_forgive_good_handling():
    def reached(rel, good):
        return after(0.9 if good else 0.1, severity=0.1, before=0.7, relationship=rel, reached=True)

    assert reached(0.9, False) < reached(0.1, False) - 0.05  # betrayal (love becomes hate)
    assert reached(0.9, True) > reached(0.1, True) + 0.01  # forgiveness
    # Without a complaint the platform was given no chance: relationship strength does nothing.
    assert after(0.1, relationship=0.9) == after(0.1, relationship=0.1)
    knockout = SatisfactionParameters(relationship_moderation=0.0)
    assert after(0.1, relationship=0.9, reached=True, params=knockout) == after(
        0.1, relationship=0.1, reached=True, params=knockout
    )
