"""The world's event loop runs events as SimPy's own does (sim.model.event_loop)."""

import pytest
import simpy

from sim.model.calls import call_later, callbacks
from sim.model.event_loop import run_to_end


def busy_world(run):
    """Processes sharing a resource, timeouts and calls; returns what happened, and when."""
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=2)
    seen = []

    def customer(name, arrive, work):
        yield env.timeout(arrive)
        with desk.request() as request:
            yield request
            seen.append((env.now, name, "served"))
            yield env.timeout(work)
        seen.append((env.now, name, "done"))

    noted = callbacks(lambda call: seen.append((env.now, call.value, "called")))
    for index, (arrive, work) in enumerate([(0, 3), (1, 1), (1, 2), (2, 0.5), (2, 4)]):
        env.process(customer(f"c{index}", arrive, work))
        call_later(env, arrive + work / 2, noted, f"k{index}")
    run(env)
    return seen, env.now


def test_the_loop_runs_every_event_in_the_order_and_at_the_times_simpy_does():
    ours, ours_end = busy_world(run_to_end)
    simpys, simpy_end = busy_world(lambda env: env.run())
    assert ours == simpys
    assert ours_end == simpy_end == 7.5
    assert len(ours) == 15


def test_a_process_that_fails_stops_the_loop_with_its_error_unless_it_is_handled():
    def failing(env):
        yield env.timeout(1)
        raise ValueError("broken provider")

    env = simpy.Environment()
    env.process(failing(env))
    with pytest.raises(ValueError, match="broken provider"):
        run_to_end(env)
    assert env.now == 1

    def watcher(env, watched):
        try:
            yield watched
        except ValueError:
            caught.append(env.now)

    caught = []
    env = simpy.Environment()
    env.process(watcher(env, env.process(failing(env))))
    run_to_end(env)
    assert caught == [1]
