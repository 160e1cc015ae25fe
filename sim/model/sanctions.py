"""The sanction policy: rolling ratings, warnings, suspensions, delisting (MODEL.md 5.12).

Pure decision logic; the SimPy world applies the decisions and runs the suspension timers.
"""

from __future__ import annotations

from collections import deque

from sim.scenario import SanctionParameters

#: Enacted punishment levels, comparable with expected punishment in [0, 1] (MODEL.md 5.12).
PUNISHMENT_LEVEL: dict[str, float] = {
    "active": 0.0,
    "warned": 1.0 / 3.0,
    "suspended": 2.0 / 3.0,
    "delisted": 1.0,
    "exited": 0.0,
}


class RatingWindow:
    """The last ``size`` star ratings of a provider, with a running sum."""

    __slots__ = ("_ratings", "_total")

    def __init__(self, size: int) -> None:
        self._ratings: deque[int] = deque(maxlen=size)
        self._total = 0

    def add(self, stars: int) -> None:
        if len(self._ratings) == self._ratings.maxlen:
            self._total -= self._ratings[0]
        self._ratings.append(stars)
        self._total += stars

    def clear(self) -> None:
        self._ratings.clear()
        self._total = 0

    def __len__(self) -> int:
        return len(self._ratings)

    @property
    def mean(self) -> float:
        return self._total / len(self._ratings) if self._ratings else 5.0


def sanction_decision(params: SanctionParameters, window: RatingWindow, suspensions: int) -> str:
    """The sanction a provider's ratings call for: ``none``, ``warn``, ``suspend`` or ``delist``.

    A provider is judged once it has ``min_ratings`` ratings; a mean below ``suspend_below``
    suspends it, and the ``delist_after``-th suspension delists it instead; a mean below
    ``warn_below`` warns it.
    """
    if len(window) < params.min_ratings:
        return "none"
    mean = window.mean
    if mean < params.suspend_below:
        return "delist" if suspensions + 1 >= params.delist_after else "suspend"
    if mean < params.warn_below:
        return "warn"
    return "none"
