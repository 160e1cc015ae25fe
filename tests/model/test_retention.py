"""What customers say and what they do after a failure episode (MODEL.md 5.10, 5.15)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.retention import leave_probability, repurchase_intention
from sim.scenario import RetentionParameters

P = RetentionParameters()


def intention(sat=0.6, recent=1, rel=0.5, switching=0.1):
    return repurchase_intention(P, sat, recent, rel, switching)


@given(low=st.floats(0, 1), high=st.floats(0, 1))
def test_more_satisfied_customers_say_they_would_buy_again(low, high):
    low, high = sorted((low, high))
    assert intention(sat=low) <= intention(sat=high)


def test_repeated_failures_drive_customers_away():
    assert intention(sat=0.4, recent=3) < intention(sat=0.4, recent=1) - 0.2


def test_strong_relationships_are_loyal_at_equal_satisfaction():
    # Betrayal and forgiveness act through satisfaction (MODEL.md 5.9, tests/model/
    # test_satisfaction.py); at equal satisfaction a strong relationship keeps the customer.
    assert intention(rel=0.9) > intention(rel=0.1)


def test_switching_costs_keep_customers():
    assert intention(switching=0.8) > intention(switching=0.0)


def test_customers_act_on_a_share_of_what_they_say():
    said = 0.4  # the customer says it would not buy again with 60% probability
    assert leave_probability(P, said, 0.0, 0.0) == pytest.approx(P.intention_conversion * 0.6)
    assert leave_probability(P, said, 0.0, 0.0) < (1 - said) / 2  # far less than it says
    # Knockout: a customer who does what it says.
    literal = RetentionParameters(intention_conversion=1.0, habit=0.0)
    assert leave_probability(literal, said, 5.0, 0.0) == pytest.approx(1 - said)


def test_habit_holds_frequent_buyers():
    assert leave_probability(P, 0.4, 4.0, 0.1) < leave_probability(P, 0.4, 0.5, 0.1) / 2
    no_habit = RetentionParameters(habit=0.0)
    assert leave_probability(no_habit, 0.4, 4.0, 0.1) == leave_probability(no_habit, 0.4, 0.5, 0.1)


def test_switching_costs_hold_a_customer_who_would_leave():
    # Jones, Mothersbaugh & Beatty (2000): switching barriers weaken dissatisfaction's effect.
    assert leave_probability(P, 0.4, 1.0, 0.6) == pytest.approx(
        0.4 * leave_probability(P, 0.4, 1.0, 0.0)
    )
    assert leave_probability(P, 0.4, 1.0, 1.0) == 0.0


@given(
    sat=st.floats(0, 1),
    recent=st.integers(0, 50),
    rel=st.floats(0, 1),
    sw=st.floats(0, 1),
    weekly=st.floats(0, 1000),
)
def test_intention_and_leaving_are_probabilities(sat, recent, rel, sw, weekly):
    said = intention(sat, recent, rel, sw)
    assert 0.0 <= said <= 1.0
    assert 0.0 <= leave_probability(P, said, weekly, sw) <= 1.0 - said
