"""Calls at a later simulated time, without a SimPy event object (MODEL.md 4).

Most of what happens in a replication is a function to be called at some later time with one
value: an order's service ends, a customer's next order comes. A SimPy timeout with a callback
does that, but builds a full event for it. :func:`call_later` files the call in the same event
queue, at the same time, with the same priority and the next number of the same sequence, so
calls and SimPy's own events run in exactly the order they would if each call were a timeout;
what it files is a small record holding just what the event loop reads (its callbacks and that
it succeeded) and the value.

What is called is given as :func:`callbacks`, a one-item list made once and shared by every call
to the same function: SimPy's event loop reads an event's callbacks and drops them without
changing the list, and no one else sees a call, so the list never changes. Sharing it saves
building a list and a bound method for every call.

This reads SimPy's ``Environment`` queue and event counter, whose layout has been stable since
SimPy 3; ``tests/model/test_calls.py`` checks the order against timeouts.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

import simpy
from simpy.core import NORMAL

#: What a call runs: a one-item list of the function, from :func:`callbacks`.
Callbacks = list[Callable[["Call"], object]]


class Call:
    """A call filed in the event queue: ``callbacks`` run with this record when its time comes,
    and read the value it carries from ``value``."""

    __slots__ = ("callbacks", "value")

    #: A call always succeeds (SimPy's event loop reads this after the callbacks).
    _ok = True

    def __init__(self, callbacks: Callbacks, value: Any) -> None:
        self.callbacks: Callbacks | None = callbacks
        self.value = value


def callbacks(function: Callable[[Call], object]) -> Callbacks:
    """What calls to ``function`` run; make it once and give it to every such call."""
    return [function]


def call_later(env: simpy.Environment, delay: float, run: Callbacks, value: Any) -> None:
    """Run ``run``'s function with a call ``delay`` hours from now, where ``call.value`` is
    ``value``: as a timeout with the callback would, at the same place among the events of that
    instant."""
    queue: list[Any] = env._queue  # of events, and of calls that pass for them
    heappush(queue, (env._now + delay, NORMAL, next(env._eid), Call(run, value)))


def call_at(env: simpy.Environment, time: float, run: Callbacks, value: Any) -> None:
    """Run ``run``'s function with a call at ``time`` (not before now), where ``call.value`` is
    ``value``; the clock then reads exactly ``time``."""
    queue: list[Any] = env._queue
    heappush(queue, (time, NORMAL, next(env._eid), Call(run, value)))
