"""The measurement model (MODEL.md 12.2): the stated reliability is the reliability obtained, and
the exact moments the fit relies on are the moments of the answers."""

from __future__ import annotations

import numpy as np
import pytest

from sim.vignette.measurement import (
    answer_variance,
    answers,
    cronbach_alpha,
    expected_answer,
    noise_for_reliability,
)

SEVEN = [t / 7 for t in range(1, 7)]


@pytest.mark.parametrize(("alpha", "items"), [(0.7, 3), (0.85, 3), (0.9, 5), (0.8, 2)])
def test_items_of_the_solved_error_reach_the_stated_alpha(alpha, items):
    rng = np.random.default_rng(1)
    latent = rng.beta(4, 4, 200_000)
    noise = noise_for_reliability(alpha, items, latent.var())
    continuous = latent[:, None] + noise * rng.standard_normal((latent.size, items))
    assert cronbach_alpha(continuous) == pytest.approx(alpha, abs=0.005)


def test_cutting_into_categories_keeps_alpha_near_the_stated_one():
    rng = np.random.default_rng(2)
    latent = rng.beta(4, 4, 100_000)
    noise = noise_for_reliability(0.85, 3, latent.var())
    given = answers(latent, 3, SEVEN, noise, rng)
    assert given.min() >= 1 and given.max() <= 7
    assert 0.78 < cronbach_alpha(given) < 0.86


def test_an_answer_is_one_plus_the_thresholds_below_the_perception():
    rng = np.random.default_rng(3)
    exact = answers(np.array([0.0, 0.2, 0.5, 0.99, 1.0]), 1, SEVEN, 1e-9, rng)[:, 0]
    assert exact.tolist() == [1, 2, 4, 7, 7]


@pytest.mark.parametrize("latent", [0.05, 0.3, 0.5, 0.77, 0.97])
@pytest.mark.parametrize("noise", [0.05, 0.2])
def test_the_exact_moments_are_those_of_the_answers(latent, noise):
    rng = np.random.default_rng(4)
    given = answers(np.full(400_000, latent), 1, SEVEN, noise, rng)[:, 0].astype(float)
    mean = float(expected_answer(np.array([latent]), SEVEN, noise)[0])
    variance = float(answer_variance(np.array([latent]), SEVEN, noise)[0])
    # 400,000 answers: the standard error of the mean is below 0.002, of the variance below 0.004
    assert given.mean() == pytest.approx(mean, abs=0.01)
    assert given.var() == pytest.approx(variance, abs=0.02)


def test_alpha_of_a_known_table():
    # two items, four respondents: item variances 5/3 and 5/3; sums 3, 3, 7, 7 of variance 16/3
    items = np.array([[1, 2], [2, 1], [3, 4], [4, 3]])
    assert cronbach_alpha(items) == pytest.approx(2 * (1 - (10 / 3) / (16 / 3)))
