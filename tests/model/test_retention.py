"""Retention after a failure episode (MODEL.md 5.10)."""

from hypothesis import given
from hypothesis import strategies as st

from sim.model.retention import stay_probability
from sim.scenario import RetentionParameters

P = RetentionParameters()


def stay(sat=0.6, recent=1, rel=0.5, switching=0.1):
    return stay_probability(P, sat, recent, rel, switching)


@given(low=st.floats(0, 1), high=st.floats(0, 1))
def test_more_satisfied_customers_stay_more(low, high):
    low, high = sorted((low, high))
    assert stay(sat=low) <= stay(sat=high)


def test_repeated_failures_drive_customers_away():
    assert stay(sat=0.4, recent=3) < stay(sat=0.4, recent=1) - 0.2


def test_strong_relationships_are_loyal_at_equal_satisfaction():
    # Betrayal and forgiveness act through satisfaction (MODEL.md 5.9, tests/model/
    # test_satisfaction.py); at equal satisfaction a strong relationship keeps the customer.
    assert stay(rel=0.9) > stay(rel=0.1)


def test_switching_costs_keep_customers():
    assert stay(switching=0.8) > stay(switching=0.0)


@given(
    sat=st.floats(0, 1),
    recent=st.integers(0, 50),
    rel=st.floats(0, 1),
    sw=st.floats(0, 1),
)
def test_stay_probability_is_a_probability(sat, recent, rel, sw):
    assert 0.0 <= stay(sat, recent, rel, sw) <= 1.0
