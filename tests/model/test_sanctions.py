"""The sanction policy (MODEL.md 5.12)."""

import pytest

from sim.model.sanctions import PUNISHMENT_LEVEL, RatingWindow, sanction_decision
from sim.scenario import SanctionParameters

P = SanctionParameters(window=5, min_ratings=3, warn_below=4.2, suspend_below=3.8, delist_after=2)


def window_of(*stars: int) -> RatingWindow:
    window = RatingWindow(P.window)
    for s in stars:
        window.add(s)
    return window


def test_the_window_keeps_only_the_latest_ratings():
    window = window_of(1, 1, 5, 5, 5, 5, 5)
    assert len(window) == 5 and window.mean == 5.0


def test_decisions_follow_the_thresholds():
    assert sanction_decision(P, window_of(1, 1), 0) == "none"  # too few ratings to judge
    assert sanction_decision(P, window_of(5, 5, 4), 0) == "none"
    assert sanction_decision(P, window_of(5, 4, 4, 4, 3), 0) == "warn"  # mean 4.0
    assert sanction_decision(P, window_of(5, 4, 2), 0) == "suspend"
    assert sanction_decision(P, window_of(5, 4, 2), 1) == "delist"


def test_enacted_punishment_levels_are_ordered():
    levels = [PUNISHMENT_LEVEL[s] for s in ("active", "warned", "suspended", "delisted")]
    assert levels == sorted(levels) and levels[0] == 0 and levels[-1] == pytest.approx(1.0)


def test_the_scenario_rejects_a_suspension_threshold_above_the_warning():
    with pytest.raises(ValueError, match="suspend_below"):
        SanctionParameters(warn_below=3.5, suspend_below=4.0)
