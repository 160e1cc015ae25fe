"""Matching orders to provider slots (MODEL.md 4, 5.1)."""

import simpy

from sim.model.dispatch import Dispatch
from sim.model.entities import Provider


def provider(provider_id: int, stars: int = 5) -> Provider:
    p = Provider(
        provider_id,
        individual=True,
        capacity=1,
        quality=0.05,
        rating_window=5,
        reservation=0.0,
        joined_at=0.0,
    )
    p.ratings.add(stars)
    return p


def test_the_provider_idle_longest_is_matched_first():
    dispatch = Dispatch(simpy.Environment(), best_rated=False)
    a, b = provider(0), provider(1)
    dispatch.offer(a)
    dispatch.offer(b)
    assert dispatch.take_free() is a and dispatch.take_free() is b
    assert dispatch.take_free() is None


def test_best_rated_matching_prefers_higher_ratings():
    dispatch = Dispatch(simpy.Environment(), best_rated=True)
    weak, strong = provider(0, stars=3), provider(1, stars=5)
    dispatch.offer(weak)
    dispatch.offer(strong)
    assert dispatch.take_free() is strong


def test_slots_of_suspended_providers_are_held_and_of_delisted_ones_dropped():
    dispatch = Dispatch(simpy.Environment(), best_rated=False)
    suspended, delisted, fine = provider(0), provider(1), provider(2)
    for p in (suspended, delisted, fine):
        dispatch.offer(p)
    suspended.state, delisted.state = "suspended", "delisted"
    assert dispatch.take_free() is fine
    assert suspended.held_slots == 1 and delisted.held_slots == 0
    suspended.state = "active"
    dispatch.release_held(suspended)
    assert suspended.held_slots == 0 and dispatch.take_free() is suspended


def test_a_waiting_customer_gets_the_next_free_slot_or_gives_up():
    env = simpy.Environment()
    dispatch = Dispatch(env, best_rated=False)
    outcomes = {}

    def customer(name, patience):
        outcomes[name] = (yield from dispatch.wait(patience)), env.now

    def provider_frees_up():
        yield env.timeout(2.0)
        dispatch.offer(p)

    p = provider(0)
    env.process(customer("patient", 5.0))
    env.process(customer("impatient", 1.0))
    env.process(provider_frees_up())
    env.run()
    assert outcomes["impatient"] == (None, 1.0)
    assert outcomes["patient"] == (p, 2.0)
