"""The event loop of a world run to its end (MODEL.md 4).

:func:`run_to_end` does what SimPy's ``Environment.run()`` does without ``until``: it takes
the events from the queue in order, sets the clock, runs each event's callbacks and stops when
the queue is empty; an event that failed and was not defused raises, as in SimPy. It runs the
loop's body inline instead of calling ``Environment.step`` once per event, which is a few per
cent of a replication. It reads the same queue as :mod:`sim.model.calls`;
``tests/model/test_event_loop.py`` checks it against ``Environment.run``.
"""

from __future__ import annotations

from heapq import heappop
from typing import Any

import simpy


def run_to_end(env: simpy.Environment) -> None:
    """Process every event of ``env`` until none is left, as ``env.run()`` does."""
    queue: list[Any] = env._queue
    while queue:
        env._now, _, _, event = heappop(queue)
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            failure = event._value
            raised = type(failure)(*failure.args)  # a copy with a fresh traceback, as SimPy's
            raised.__cause__ = failure
            raise raised
