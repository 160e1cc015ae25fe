"""The agenda of idle customers fires every event at its time, in time order (sim.model.agenda)."""

import pytest
import simpy
from hypothesis import given
from hypothesis import strategies as st

from sim.model.agenda import Agenda
from sim.model.calls import callbacks


def fire(times_at_start, later=()):
    """File ``times_at_start`` at time 0 and, when each ``(at, time)`` of ``later`` comes, file
    ``time``; return the (now, time) at which each event fired."""
    env = simpy.Environment()
    fired = []
    agenda = Agenda(env)

    @callbacks
    def record(call):
        fired.append((env.now, call.value))

    for time in times_at_start:
        agenda.add(time, record, time)

    def filer(at, time):
        yield env.timeout(at)
        agenda.add(time, record, time)

    for at, time in later:
        env.process(filer(at, time))
    agenda.start(100.0)
    env.run()
    return fired


@given(st.lists(st.floats(0.0, 99.0), max_size=60))
def test_events_fire_at_their_time_in_time_order(times):
    fired = fire(times)
    # Times are reached by adding delays to the clock, so they match to rounding, not bit for bit.
    assert [time for _, time in fired] == sorted(times)
    assert [now for now, _ in fired] == pytest.approx(sorted(times), abs=1e-9)


def test_an_event_filed_for_the_current_hour_is_not_late():
    # At 5.2 h the clock has taken hour 5's bucket; an event for 5.7 h goes straight into the
    # event queue.
    fired = fire([5.1, 5.9], later=[(5.2, 5.7), (5.2, 6.5), (5.3, 5.3)])
    assert fired == [(5.1, 5.1), (5.3, 5.3), (5.7, 5.7), (5.9, 5.9), (6.5, 6.5)]


def test_ties_fire_in_the_order_they_were_filed():
    env = simpy.Environment()
    fired = []
    agenda = Agenda(env)
    record = callbacks(lambda call: fired.append(call.value))
    for name in "abc":
        agenda.add(3.0, record, name)
    agenda.start(10.0)
    env.run()
    assert fired == ["a", "b", "c"]
