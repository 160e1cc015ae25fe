"""The agenda of idle customers: when each will next order or leave (MODEL.md 4).

Most customers are idle most of the time, waiting for their next order. Keeping each of them as a
sleeping SimPy process puts one event per customer in the simulation's event queue, and every
event then costs a heap operation whose price grows with the number of customers. The agenda keeps
those waits out of the queue: events are filed in hourly buckets, and when an hour begins its
bucket is filed in the event queue as calls (:mod:`sim.model.calls`). The queue then holds only
the coming hour's events and the orders and episodes in progress, so the cost of an order hardly
depends on the size of the customer base.

An event filed for an hour whose bucket has already been taken goes straight into the queue.
Events at the same time happen in the order they were filed.
"""

from __future__ import annotations

from heapq import heappush
from typing import Any

import simpy
from simpy.core import NORMAL

from sim.model.calls import Call, Callbacks, call_at, callbacks

#: A filed event: its time, what happens, and to whom.
_Entry = tuple[float, Callbacks, Any]


class Agenda:
    """Future customer events in hourly buckets, each hour's filed in the event queue when the
    hour begins, by the clock :meth:`start` starts.

    Parameters
    ----------
    env
        The simulation environment; times are in hours.
    """

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self._buckets: dict[int, list[_Entry]] = {}
        self._taken = -1  # the last hour whose bucket the clock has taken
        self._until = 0.0
        self._next_hour = callbacks(self._begin_hour)

    def add(self, time: float, action: Callbacks, subject: Any) -> None:
        """File ``action`` (made by :func:`~sim.model.calls.callbacks`) to run with a call at
        ``time`` (not before now), where ``call.value`` is ``subject``."""
        hour = int(time)
        if hour <= self._taken:
            call_at(self.env, time, action, subject)
            return
        bucket = self._buckets.get(hour)
        if bucket is None:
            self._buckets[hour] = [(time, action, subject)]
        else:
            bucket.append((time, action, subject))

    def start(self, until: float) -> None:
        """Start the clock that takes the filed events, hour by hour, until ``until``: its first
        hour begins now, at the place a process started now would take among this instant's
        events."""
        self._until = until
        self._taken = int(self.env.now) - 1
        self.env.process(self._first_hour())

    def _first_hour(self) -> Any:
        self._begin_hour()
        yield from ()

    def _begin_hour(self, _call: object = None) -> None:
        """An hour has begun: file its events in the queue, and wait for the next hour."""
        hour = self._taken = self._taken + 1
        env = self.env
        queue: list[Any] = env._queue
        number = env._eid
        for time, action, subject in self._buckets.pop(hour, ()):  # call_at, inlined: the hot path
            heappush(queue, (time, NORMAL, next(number), Call(action, subject)))
        if hour + 1 < self._until:
            call_at(env, hour + 1.0, self._next_hour, None)
