"""Expected compensation and punishment (MODEL.md 5.5, 5.6): P3 and P4."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.expectations import (
    expected_compensation_share,
    expected_punishment,
    expects_apology,
    low_rating_probability,
    misdirected_punishment,
    price_unfairness,
)
from sim.scenario import (
    CompensationParameters,
    FairnessParameters,
    PunishmentParameters,
    Scenario,
)

C = CompensationParameters()
P = PunishmentParameters()
unit = st.floats(0.0, 1.0)


def ec(ra=0.5, rejected=True, severity=0.5, key=False, individualism=0.5, relationship=0.3):
    return expected_compensation_share(
        C,
        ra,
        rejected=rejected,
        severity=severity,
        key_account=key,
        individualism=individualism,
        relationship=relationship,
    )


def ep(rp=0.5, ra=0.5, severity=0.5, ppc=0.8, individual=True, misdirected=0.0):
    return expected_punishment(
        P, rp, ra, severity, ppc, individual_provider=individual, misdirected=misdirected
    )


@given(low=unit, high=unit, severity=unit, rejected=st.booleans())
def test_p3_more_aggregator_responsibility_means_more_expected_compensation_at_every_severity(
    low, high, severity, rejected
):
    low, high = sorted((low, high))
    assert ec(low, rejected, severity) <= ec(high, rejected, severity)


@pytest.mark.parametrize("severity", [0.0, 0.25, 0.5, 0.75, 1.0])
def test_p3_strictly_at_each_severity(severity):
    assert ec(0.8, severity=severity) > ec(0.3, severity=severity) + 0.1


def test_expected_compensation_follows_its_moderators():
    # a rejected order is not charged, so its refund is made; what is owed on top is for the
    # inconvenience, as after a flawed delivery (MODEL.md 5.5)
    assert ec(rejected=True) == pytest.approx(ec(rejected=False))
    assert ec(severity=0.9) > ec(severity=0.1)
    assert ec(key=True) == pytest.approx(ec() * 1.3)
    assert ec(individualism=1.0) > ec(individualism=0.0)
    assert ec(relationship=0.9) < ec(relationship=0.0)
    most = ec(ra=1.0, severity=1.0, key=True, individualism=1.0, relationship=0.0)
    assert most <= C.cap
    low_cap = Scenario().with_values(**{"compensation.cap": most / 2}).compensation
    assert expected_compensation_share(
        low_cap,
        1.0,
        rejected=False,
        severity=1.0,
        key_account=True,
        individualism=1.0,
        relationship=0.0,
    ) == pytest.approx(most / 2)  # the cap binds


@given(ra=unit, rejected=st.booleans(), severity=unit, key=st.booleans(), ind=unit, rel=unit)
def test_expected_compensation_share_is_between_zero_and_the_cap(
    ra, rejected, severity, key, ind, rel
):
    assert 0.0 <= ec(ra, rejected, severity, key, ind, rel) <= C.cap


@given(low=unit, high=unit, rp=unit, severity=unit, ppc=unit, individual=st.booleans())
def test_p4_less_aggregator_responsibility_means_more_expected_punishment(
    low, high, rp, severity, ppc, individual
):
    low, high = sorted((low, high))
    assert ep(rp, low, severity, ppc, individual) >= ep(rp, high, severity, ppc, individual)
    assert 0.0 <= ep(rp, low, severity, ppc, individual) <= 1.0


def test_p4_strictly():
    assert ep(ra=0.2) > ep(ra=0.8) + 0.1


def test_individuals_are_forgiven_uncontrollable_failures_more_than_firms():
    assert ep(ppc=0.1, individual=True) < ep(ppc=0.1, individual=False)
    assert ep(ppc=1.0, individual=True) == pytest.approx(ep(ppc=1.0, individual=False))


def test_apology_is_expected_only_when_the_platform_is_seen_to_have_caused_the_failure():
    assert expects_apology(C, 0.9, 0.8)
    assert not expects_apology(C, 0.9, 0.3)  # not seen in control
    assert not expects_apology(C, 0.3, 0.9)  # seen in control, but unable to prevent this one


def test_price_unfairness_is_the_log_of_the_surge_multiplier():
    assert price_unfairness(1.0) == 0.0
    assert price_unfairness(1.6) == pytest.approx(math.log(1.6))


@given(p=unit, weight=st.floats(0.0, 5.0), multiplier=st.floats(1.0, 10.0))
def test_a_surge_price_raises_the_odds_of_a_low_rating(p, weight, multiplier):
    shift = misdirected_punishment(FairnessParameters(rating_weight=weight), math.log(multiplier))
    surged = low_rating_probability(p, shift)
    assert p - 1e-12 <= surged <= 1.0
    assert low_rating_probability(p, 0.0) == p


def test_the_low_rating_odds_ratio_is_exact():
    surged = low_rating_probability(0.2, math.log(2.0))
    assert surged / (1 - surged) == pytest.approx(2.0 * 0.25)


def test_a_surge_price_raises_expected_compensation_and_punishment():
    plain = expected_compensation_share(
        C, 0.5, rejected=True, severity=0.5, key_account=False, individualism=0.5, relationship=0.3
    )
    surged = expected_compensation_share(
        C,
        0.5,
        rejected=True,
        severity=0.5,
        key_account=False,
        individualism=0.5,
        relationship=0.3,
        stability=0.0,
        unfairness=0.47,
        unfairness_weight=0.3,
    )
    assert surged == pytest.approx(plain * (1 + 0.3 * 0.47))
    assert ep(misdirected=0.3) > ep()


def test_a_repeated_failure_raises_expected_compensation():
    fluke = expected_compensation_share(
        C,
        0.5,
        rejected=False,
        severity=0.5,
        key_account=False,
        individualism=0.5,
        relationship=0.3,
        stability=0.0,
    )
    recurring = expected_compensation_share(
        C,
        0.5,
        rejected=False,
        severity=0.5,
        key_account=False,
        individualism=0.5,
        relationship=0.3,
        stability=0.75,
    )
    assert recurring == pytest.approx(fluke * (1 + C.stability_weight * 0.75))
