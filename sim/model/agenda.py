"""The agenda of idle customers: when each will next order or leave (MODEL.md 4).

Most customers are idle most of the time, waiting for their next order. Keeping each of them as a
sleeping SimPy process puts one event per customer in the simulation's event heap, and every
event then costs a heap operation whose price grows with the number of customers. The agenda keeps
those waits out of the heap: events are filed in hourly buckets, and one clock process sorts each
hour's bucket when the hour begins and fires its events in time order. The event heap then holds
only orders and episodes in progress, so the cost of an order hardly depends on the size of the
customer base.

An event filed for the hour the clock is already in (its bucket has been taken) gets a process of
its own, so no event is ever late.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy


class Agenda:
    """Future customer events in hourly buckets, fired in time order by :meth:`clock`.

    Parameters
    ----------
    env
        The simulation environment; times are in hours.
    act
        Called as ``act(subject, kind)`` at each event's time.
    """

    def __init__(self, env: simpy.Environment, act: Callable[[Any, bool], None]) -> None:
        self.env = env
        self._act = act
        self._buckets: dict[int, list[tuple[float, int, Any, bool]]] = {}
        self._taken = -1  # the last hour whose bucket the clock has taken
        self._sequence = 0  # ties fire in the order they were filed

    def add(self, time: float, subject: Any, *, kind: bool) -> None:
        """File an event at ``time`` (not before now)."""
        hour = int(time)
        self._sequence += 1
        if hour <= self._taken:
            self.env.process(self._at(time, subject, kind=kind))
            return
        bucket = self._buckets.get(hour)
        if bucket is None:
            self._buckets[hour] = [(time, self._sequence, subject, kind)]
        else:
            bucket.append((time, self._sequence, subject, kind))

    def clock(self, until: float) -> Generator:
        """The process that fires the filed events, hour by hour, until ``until``."""
        env = self.env
        hour = int(env.now)
        while hour < until:
            self._taken = hour
            bucket = self._buckets.pop(hour, None)
            if bucket:
                bucket.sort()
                for time, _, subject, kind in bucket:
                    if time > env.now:
                        yield env.timeout(time - env.now)
                    self._act(subject, kind)
            hour += 1
            if hour > env.now:
                yield env.timeout(hour - env.now)

    def _at(self, time: float, subject: Any, *, kind: bool) -> Generator:
        yield self.env.timeout(time - self.env.now)
        self._act(subject, kind)
