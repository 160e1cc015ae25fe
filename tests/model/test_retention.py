"""Retention after a failure episode (MODEL.md 5.10)."""

from hypothesis import given
from hypothesis import strategies as st

from sim.model.retention import stay_probability
from sim.scenario import RetentionParameters

P = RetentionParameters()


def stay(sat=0.6, recent=1, rel=0.5, complained=False, dj=0.5, switching=0.1):
    return stay_probability(P, sat, recent, rel, complained, dj, switching)


@given(low=st.floats(0, 1), high=st.floats(0, 1))
def test_more_satisfied_customers_stay_more(low, high):
    low, high = sorted((low, high))
    assert stay(sat=low) <= stay(sat=high)


def test_repeated_failures_drive_customers_away():
    assert stay(recent=3) < stay(recent=1) - 0.2


def test_strong_relationships_buffer_a_handled_failure_but_sour_after_a_failed_recovery():
    assert stay(rel=0.9, complained=True, dj=0.9) > stay(rel=0.1, complained=True, dj=0.9)
    betrayed = stay(rel=0.9, complained=True, dj=0.1)
    not_betrayed = stay(rel=0.9, complained=True, dj=0.31)
    assert betrayed < not_betrayed - 0.05
    # The betrayal penalty grows with the relationship: it outweighs the loyalty it would give.
    assert stay(rel=0.9, complained=True, dj=0.1) < stay(rel=0.1, complained=True, dj=0.1)


def test_switching_costs_keep_customers():
    assert stay(switching=0.8) > stay(switching=0.0)


@given(
    sat=st.floats(0, 1),
    recent=st.integers(0, 50),
    rel=st.floats(0, 1),
    c=st.booleans(),
    dj=st.floats(0, 1),
    sw=st.floats(0, 1),
)
def test_stay_probability_is_a_probability(sat, recent, rel, c, dj, sw):
    assert 0.0 <= stay(sat, recent, rel, c, dj, sw) <= 1.0
