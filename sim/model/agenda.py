"""The agenda of idle customers: when each will next order or leave (MODEL.md 4).

Most customers are idle most of the time, waiting for their next order. Keeping each of them as a
sleeping SimPy process puts one event per customer in the simulation's event heap, and every
event then costs a heap operation whose price grows with the number of customers. The agenda keeps
those waits out of the heap: events are filed in hourly buckets, and one clock sorts each hour's
bucket when the hour begins and fires its events in time order. The event heap then holds
only orders and episodes in progress, so the cost of an order hardly depends on the size of the
customer base.

An event filed for the hour the clock is already in (its bucket has been taken) gets a process of
its own, so no event is ever late.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

#: A filed event: its time, its place among events filed before it, what happens, and to whom.
_Entry = tuple[float, int, Callable[[Any], object], Any]


class Agenda:
    """Future customer events in hourly buckets, fired in time order by the clock :meth:`start`
    starts.

    Parameters
    ----------
    env
        The simulation environment; times are in hours.
    """

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self._buckets: dict[int, list[_Entry]] = {}
        self._taken = -1  # the last hour whose bucket the clock has taken
        self._sequence = 0  # ties fire in the order they were filed
        self._pending: list[_Entry] = []  # the taken hour's, last first
        self._hour = 0  # the hour the clock is in
        self._until = 0.0

    def add(self, time: float, action: Callable[[Any], object], subject: Any) -> None:
        """File ``action(subject)`` to happen at ``time`` (not before now)."""
        hour = int(time)
        self._sequence += 1
        if hour <= self._taken:
            self.env.process(self._at(time, action, subject))
            return
        bucket = self._buckets.get(hour)
        if bucket is None:
            self._buckets[hour] = [(time, self._sequence, action, subject)]
        else:
            bucket.append((time, self._sequence, action, subject))

    def start(self, until: float) -> None:
        """Start the clock that fires the filed events, hour by hour, until ``until``.

        The clock runs on callbacks rather than as a SimPy process (no generator to resume for
        each event); it starts as a process would, at the first step of this instant, and every
        timeout it waits on is scheduled exactly where a process's would be.
        """
        self._until = until
        self._hour = int(self.env.now)
        self.env.process(self._first_hour())

    def _first_hour(self) -> Generator:
        """A process of one step: the clock's first hour begins at the step a process's start
        gets, among the events of this instant; every later step is a callback."""
        self._begin_hour()
        yield from ()

    def _begin_hour(self, _event: object = None) -> None:
        """An hour has begun: take its bucket, sorted, and fire its events in time order."""
        while self._hour < self._until:
            self._taken = self._hour
            bucket = self._buckets.pop(self._hour, None)
            if bucket:
                bucket.sort(reverse=True)  # the next event is last
                self._pending = bucket
                if not self._fire_due():
                    return  # a timeout calls _resume at the next event's time
            if not self._next_hour():
                return

    def _resume(self, _event: object) -> None:
        """The time of the hour's next event has come: fire it, and those after it."""
        _, _, action, subject = self._pending.pop()
        action(subject)
        if self._fire_due() and self._next_hour():
            self._begin_hour()

    def _fire_due(self) -> bool:
        """Fire the taken hour's events that are due; False if the clock now waits for one."""
        now = self.env.now  # actions take no simulated time
        pending = self._pending
        while pending:
            time, _, action, subject = pending[-1]
            if time > now:
                self.env.timeout(time - now).callbacks.append(self._resume)
                return False
            pending.pop()
            action(subject)
        return True

    def _next_hour(self) -> bool:
        """Move to the next hour; False if the clock now waits for it to begin."""
        self._hour += 1
        if self._hour > self.env.now:
            self.env.timeout(self._hour - self.env.now).callbacks.append(self._begin_hour)
            return False
        return True

    def _at(self, time: float, action: Callable[[Any], object], subject: Any) -> Generator:
        yield self.env.timeout(time - self.env.now)
        action(subject)
