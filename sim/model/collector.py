"""Python's garbage collector while a world runs (MODEL.md 4: the event loop).

CPython collects its youngest generation every 700 net allocations, and each collection visits
every young object still alive. A replication keeps many objects alive for a while — the coming
hour's calls in the event queue, the orders and episodes in progress — and at sixteen times the
baseline's size those visits took about a fifth of the run. :func:`fewer_collections` raises the
threshold while the world runs, so the young generation is visited about seventy times less
often; reference cycles (a few SimPy conditions per waiting order) are still collected, and the
previous thresholds come back when the run ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Net allocations between collections of the youngest generation while a world runs.
YOUNG_GENERATION_THRESHOLD = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every :data:`YOUNG_GENERATION_THRESHOLD` allocations
    inside the block (if the collector collects at all), as before after it."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG_GENERATION_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
