"""Calls at a later simulated time keep the place a timeout would have (sim.model.calls)."""

import simpy

from sim.model.calls import call_at, call_later, callbacks


def test_calls_and_timeouts_run_in_the_order_they_were_filed_at_the_same_time():
    env = simpy.Environment()
    ran = []

    def note(event):
        ran.append((env.now, event.value))

    noted = callbacks(note)

    env.timeout(2.0, "timeout a").callbacks.append(note)
    call_later(env, 2.0, noted, "call b")
    env.timeout(1.0, "timeout c").callbacks.append(note)
    call_at(env, 2.0, noted, "call d")
    env.timeout(2.0, "timeout e").callbacks.append(note)
    env.run()
    assert ran == [
        (1.0, "timeout c"),
        (2.0, "timeout a"),
        (2.0, "call b"),
        (2.0, "call d"),
        (2.0, "timeout e"),
    ]


def test_a_call_filed_during_a_run_comes_at_its_time_and_processes_wait_for_it():
    env = simpy.Environment()
    ran = []

    def chain(call):
        ran.append((env.now, call.value))
        if call.value < 3:
            call_later(env, 0.5, chained, call.value + 1)

    chained = callbacks(chain)

    def process():
        yield env.timeout(1.2)
        ran.append((env.now, "process"))

    call_at(env, 0.25, chained, 0)
    env.process(process())
    env.run(until=10.0)
    assert ran == [(0.25, 0), (0.75, 1), (1.2, "process"), (1.25, 2), (1.75, 3)]


def test_calls_to_one_function_share_its_callbacks_and_leave_them_unchanged():
    env = simpy.Environment()
    ran = []
    noted = callbacks(lambda call: ran.append(call.value))
    for value in range(3):
        call_later(env, 1.0 + value, noted, value)
    env.run()
    assert ran == [0, 1, 2]
    assert len(noted) == 1
