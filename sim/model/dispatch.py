"""Matching orders to providers: a SimPy store of free provider capacity (MODEL.md 3, 4, 5.1).

Each unit of a provider's capacity is a "slot" in the store. An order takes a slot and gives it
back after service. The matching rule is the store's order: a plain store is FIFO (the provider
idle longest is matched first), a priority store gives the best-rated provider.

When no customer is waiting, slots go in and out of the store's ``items`` directly, which is what
``Store.put`` and ``Store.get`` would do, without scheduling an event; a customer who has to wait
uses a real ``get`` bounded by their patience, and a returned slot then wakes them with a real
``put``. Slots of providers who may no longer serve are set aside lazily when drawn: held while the
provider is suspended (and given back when the suspension ends), dropped once it is delisted or
has left.
"""

from __future__ import annotations

import heapq
from collections.abc import Generator
from typing import Any

import simpy

from sim.model.entities import Provider


class Dispatch:
    """The pool of free provider slots.

    Parameters
    ----------
    env
        The simulation environment.
    best_rated
        Match the best-rated free provider instead of the one idle longest.
    """

    def __init__(self, env: simpy.Environment, *, best_rated: bool) -> None:
        self.env = env
        self.best_rated = best_rated
        self.store: simpy.Store = simpy.PriorityStore(env) if best_rated else simpy.Store(env)

    def offer(self, provider: Provider) -> None:
        """Give back one slot of ``provider``: free if it may serve, held if it is suspended,
        dropped if it is gone."""
        if provider.can_serve:
            store = self.store
            if self.best_rated:
                item = simpy.PriorityItem(-provider.ratings.mean, provider)
                if store.get_queue:
                    store.put(item)
                else:
                    heapq.heappush(store.items, item)
            elif store.get_queue:
                store.put(provider)
            else:
                store.items.append(provider)
        elif provider.state == "suspended":
            provider.held_slots += 1

    def release_held(self, provider: Provider) -> None:
        """Give back every slot held while the provider was suspended."""
        held, provider.held_slots = provider.held_slots, 0
        for _ in range(held):
            self.offer(provider)

    def take_free(self) -> Provider | None:
        """A free slot of a provider who may serve, taken at once, or None if there is none."""
        items = self.store.items
        while items:
            provider = heapq.heappop(items).item if self.best_rated else items.pop(0)
            if provider.can_serve:
                return provider
            self.offer(provider)
        return None

    def wait(self, patience: float) -> Generator[simpy.Event, Any, Provider | None]:
        """Wait for a slot for at most ``patience`` hours; None when the customer gives up."""
        env = self.env
        deadline = env.now + patience
        while True:
            remaining = deadline - env.now
            if remaining <= 0:
                return None
            request = self.store.get()
            yield request | env.timeout(remaining)
            if not request.triggered:
                request.cancel()
                return None
            got: Any = request.value
            provider: Provider = got.item if self.best_rated else got
            if provider.can_serve:
                return provider
            self.offer(provider)
