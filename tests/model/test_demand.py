"""Time-of-day demand and prices (MODEL.md 4, 5.14)."""

import numpy as np
import pytest
from scipy import stats

from sim.model.demand import DemandProfile
from sim.model.streams import lognormal_parameters
from sim.scenario import DemandParameters


def arrival_hours(profile: DemandProfile, rate_per_hour: float, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    now, times = 0.0, []
    for gap in rng.exponential(1.0 / rate_per_hour, n):
        now = profile.time_after(now, gap)
        times.append(now)
    return np.asarray(times)


def test_orders_follow_the_hourly_profile():
    profile = DemandProfile(DemandParameters())
    times = arrival_hours(profile, 5.0, 40_000, seed=7)
    counts = np.bincount((times % 24).astype(int), minlength=24)
    expected = np.asarray(profile.intensity) / 24 * counts.sum()
    assert stats.chisquare(counts, expected).pvalue > 1e-3
    assert times.size / (times[-1] / 1.0) == pytest.approx(5.0, rel=0.03)


def test_hours_without_demand_get_no_orders():
    hours = [0.0] * 6 + [1.0] * 18
    profile = DemandProfile(DemandParameters(hourly_profile=hours))
    times = arrival_hours(profile, 2.0, 5_000, seed=3)
    assert ((times % 24) >= 6).all()


def test_peak_hours_are_those_above_the_threshold():
    profile = DemandProfile(DemandParameters())
    assert profile.is_peak(18.5) and profile.is_peak(24 * 3 + 18.5)
    assert not profile.is_peak(3.0)


def test_lognormal_parameters_give_the_mean_and_cv():
    mu, sigma = lognormal_parameters(20.0, 0.5)
    draws = np.random.default_rng(1).lognormal(mu, sigma, 200_000)
    assert draws.mean() == pytest.approx(20.0, rel=0.01)
    assert draws.std() / draws.mean() == pytest.approx(0.5, rel=0.02)
