"""Calls at a later simulated time, without a SimPy event object (MODEL.md 4).

Most of what happens in a replication is a function to be called at some later time with one
value: an order's service ends, a customer's next order comes. A SimPy timeout with a callback
does that, but builds a full event for it. :func:`call_later` files the call in the same event
queue, at the same time, with the same priority and the next number of the same sequence, so
calls and SimPy's own events run in exactly the order they would if each call were a timeout;
what it files is a small record holding just what the event loop reads (its callbacks and that
it succeeded) and the value.

This reads SimPy's ``Environment`` queue and event counter, whose layout has been stable since
SimPy 3; ``tests/model/test_calls.py`` checks the order against timeouts.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

import simpy
from simpy.core import NORMAL


class Call:
    """A call filed in the event queue: ``callbacks`` run with this record when its time comes,
    and read the value it carries from ``value``."""

    __slots__ = ("callbacks", "_ok", "value")

    def __init__(self, callback: Callable[[Call], object], value: Any) -> None:
        self.callbacks: list[Callable[[Call], object]] | None = [callback]
        self._ok = True
        self.value = value


def call_later(
    env: simpy.Environment, delay: float, callback: Callable[[Call], object], value: Any
) -> None:
    """Call ``callback(call)`` ``delay`` hours from now, where ``call.value`` is ``value``: as a
    timeout with the callback would, at the same place among the events of that instant."""
    queue: list[Any] = env._queue  # of events, and of calls that pass for them
    heappush(queue, (env._now + delay, NORMAL, next(env._eid), Call(callback, value)))


def call_at(
    env: simpy.Environment, time: float, callback: Callable[[Call], object], value: Any
) -> None:
    """Call ``callback(call)`` at ``time`` (not before now), where ``call.value`` is ``value``;
    the clock then reads exactly ``time``."""
    queue: list[Any] = env._queue
    heappush(queue, (time, NORMAL, next(env._eid), Call(callback, value)))
