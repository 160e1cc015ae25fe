"""Verdicts of the validation patterns (sim.validation.targets)."""

import math

import pytest
from scipy import stats

from sim.validation.targets import (
    DOES_NOT_HOLD,
    HOLDS,
    INCONCLUSIVE,
    Estimate,
    Target,
    combined,
    estimate,
    exact,
    replications_to_settle,
    verdict,
)

ABOVE = Target(above=0.02)
RANGE = Target(low=0.05, high=0.3)


@pytest.mark.parametrize(
    "low, high, expected",
    [
        (0.03, 0.09, HOLDS),  # beyond the smallest effect of interest
        (0.001, 0.009, DOES_NOT_HOLD),  # an effect, but smaller than anyone cares about
        (-0.01, 0.01, DOES_NOT_HOLD),
        (0.01, 0.05, INCONCLUSIVE),  # straddles the threshold
    ],
)
def test_a_directional_target_needs_the_interval_beyond_the_smallest_effect(low, high, expected):
    assert verdict(ABOVE, Estimate((low + high) / 2, low, high, 5)) == expected


@pytest.mark.parametrize(
    "low, high, expected",
    [
        (0.1, 0.2, HOLDS),
        (0.31, 0.4, DOES_NOT_HOLD),
        (0.0, 0.04, DOES_NOT_HOLD),
        (0.2, 0.35, INCONCLUSIVE),
        (0.0, 0.4, INCONCLUSIVE),
    ],
)
def test_a_range_target_needs_the_interval_inside(low, high, expected):
    assert verdict(RANGE, Estimate((low + high) / 2, low, high, 5)) == expected


def test_an_exact_value_is_judged_as_a_point():
    assert verdict(ABOVE, exact(0.021)) == HOLDS
    assert verdict(ABOVE, exact(0.02)) == DOES_NOT_HOLD


def test_a_pattern_holds_only_when_every_component_holds():
    assert combined([HOLDS, HOLDS]) == HOLDS
    assert combined([HOLDS, INCONCLUSIVE]) == INCONCLUSIVE
    assert combined([INCONCLUSIVE, DOES_NOT_HOLD, HOLDS]) == DOES_NOT_HOLD


def test_the_interval_is_student_t_and_ignores_missing_replications():
    e = estimate([1.0, 2.0, 3.0, math.nan])
    assert e.n == 3 and e.mean == 2.0
    assert e.high - e.mean == pytest.approx(4.302653 * 1.0 / math.sqrt(3), rel=1e-6)
    assert estimate([]).n == 0 and verdict(ABOVE, estimate([])) == INCONCLUSIVE


def test_replications_to_settle_shrink_the_interval_past_the_threshold():
    e = Estimate(0.04, 0.0, 0.08, 4)  # half-width 0.04, 0.02 from the threshold
    sd = 0.04 * 2 / stats.t.ppf(0.975, 3)

    def half_width(n):
        return stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)

    n = replications_to_settle(ABOVE, e)
    assert half_width(n) <= 0.02 < half_width(n - 1)
    # fewer than the 16 of the same spread at the first look's quantile: the t quantile shrinks
    assert n == 9
    # the same interval at a higher level (a smaller spread) needs fewer
    assert replications_to_settle(ABOVE, Estimate(0.04, 0.0, 0.08, 4, level=0.9833)) < 9
    assert replications_to_settle(ABOVE, exact(0.04)) is None


def test_a_target_is_a_direction_or_a_range():
    with pytest.raises(ValueError):
        Target(above=0.1, low=0.0, high=1.0)
    with pytest.raises(ValueError):
        Target()
    assert (
        Target(low=math.log(1.05), high=math.log(1.35), log_scale=True).describe() == "1.05 to 1.35"
    )


def test_the_margin_is_how_far_the_interval_lies_inside_the_target():
    from sim.validation.targets import margin

    assert margin(ABOVE, Estimate(0.05, 0.03, 0.07, 5)) == pytest.approx(0.01)
    assert margin(RANGE, Estimate(0.2, 0.1, 0.28, 5)) == pytest.approx(0.02)
    assert margin(RANGE, Estimate(0.3, 0.2, 0.4, 5)) < 0


def test_an_estimate_without_a_finite_interval_names_no_replications_to_settle():
    """A tiny world's ratio with a zero count has an infinite or undefined interval: no count of
    replications can be read from it (it used to stop aggsim validate with an internal error)."""
    assert replications_to_settle(ABOVE, Estimate(0.5, math.nan, math.nan, 2)) is None
    assert replications_to_settle(ABOVE, Estimate(math.inf, 0.0, math.inf, 2)) is None
    assert replications_to_settle(ABOVE, Estimate(0.5, 0.0, 1.0, 2)) is not None
