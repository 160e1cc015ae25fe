"""When customers order and what they pay (MODEL.md 4 and 5.14).

Orders follow a non-homogeneous Poisson process whose intensity follows a 24-hour profile with
peaks. Inter-order times are drawn by inverting the cumulative intensity, so one exponential draw
gives one order, with no thinning.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from sim.scenario import DemandParameters

HOURS_PER_DAY = 24
_DAY = float(HOURS_PER_DAY)


class DemandProfile:
    """The daily demand cycle: relative intensity per hour of day (mean 1) and its peak hours."""

    def __init__(self, params: DemandParameters) -> None:
        raw = params.hourly_profile
        mean = sum(raw) / HOURS_PER_DAY
        self.intensity: tuple[float, ...] = tuple(value / mean for value in raw)
        self.peak_hours: frozenset[int] = frozenset(
            hour for hour, value in enumerate(self.intensity) if value >= params.peak_threshold
        )
        cumulative = [0.0]
        for value in self.intensity:
            cumulative.append(cumulative[-1] + value)
        self._cumulative = cumulative  # Λ at each whole hour of the day; Λ(24) = 24

    def is_peak(self, time_hours: float) -> bool:
        return int(time_hours) % HOURS_PER_DAY in self.peak_hours

    def time_after(self, now: float, operational_time: float) -> float:
        """The time at which ``operational_time`` units of cumulative intensity have passed.

        With ``operational_time`` ~ Exp(1/rate) this is the next event of a Poisson process whose
        rate is ``rate × intensity(hour)``.
        """
        cumulative, intensity = self._cumulative, self.intensity
        day_start = math.floor(now / HOURS_PER_DAY) * HOURS_PER_DAY
        hour_of_day = now - day_start
        hour = int(hour_of_day)
        target = cumulative[hour] + (hour_of_day - hour) * intensity[hour] + operational_time
        whole_days, remainder = divmod(target, _DAY)
        # bisect_right skips hours of zero intensity (zero-width steps of the cumulative).
        hour = bisect_right(cumulative, remainder) - 1
        if hour >= HOURS_PER_DAY:  # a remainder a rounding error past Λ(24)
            hour = HOURS_PER_DAY - 1
        rate = intensity[hour]
        into_hour = (remainder - cumulative[hour]) / rate if rate > 0 else 0.0
        return day_start + whole_days * HOURS_PER_DAY + hour + into_hour
