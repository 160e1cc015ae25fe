"""The measurement model: from a latent judgement to Likert answers (MODEL.md 12.2).

Every item of a measure reads the construct's latent value ``L`` in [0, 1] with its own error and
is cut into ``K`` ordered categories at thresholds ``τ_1 < … < τ_{K−1}`` (equally spaced,
``τ_t = t/K``, unless the design says otherwise)::

    y*_ij = L_i + e_ij,   e_ij ~ N(0, σ²)          answer_ij = 1 + #{t : y*_ij > τ_t}

Items are parallel (one error variance), so Cronbach's alpha of ``k`` items is
``α = kρ / (1 + (k − 1)ρ)`` with inter-item correlation ``ρ = V / (V + σ²)``, ``V`` the variance
of ``L`` among the respondents (Lord & Novick 1968; Cronbach 1951). A design states either ``σ``
or the alpha it wants in its own conditions; :func:`noise_for_reliability` solves for ``σ``. The
ordinal cut lowers the alpha of the answers a little below that of ``y*``: the dataset's codebook
reports both.

Given ``L``, the expected answer and its variance are exact (the thresholds are crossed
independently of the other items)::

    E[answer | L]   = 1 + Σ_t Φ((L − τ_t)/σ)
    Var[answer | L] = Σ_t Σ_u Φ((L − max(τ_t, τ_u))/σ) − (Σ_t Φ((L − τ_t)/σ))²

which is what :mod:`sim.vignette.fit` matches to data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import ndtr


def noise_for_reliability(alpha: float, items: int, latent_variance: float) -> float:
    """The item error σ at which ``items`` parallel items reach Cronbach's ``alpha`` among
    respondents whose latent values vary with ``latent_variance``."""
    rho = alpha / (items - (items - 1) * alpha)
    return float(np.sqrt(latent_variance * (1.0 - rho) / rho))


def answers(
    latent: np.ndarray,
    items: int,
    thresholds: Sequence[float],
    noise: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Likert answers 1..K, shape ``latent.shape + (items,)``."""
    latent = np.asarray(latent, dtype=float)
    seen = latent[..., None] + noise * rng.standard_normal((*latent.shape, items))
    return 1 + np.searchsorted(np.asarray(thresholds), seen, side="left").astype(np.int64)


def expected_answer(latent: np.ndarray, thresholds: Sequence[float], noise: float) -> np.ndarray:
    """E[answer | L] for each latent value."""
    above = ndtr((np.asarray(latent)[..., None] - np.asarray(thresholds)) / noise)
    return 1.0 + above.sum(axis=-1)


def answer_variance(latent: np.ndarray, thresholds: Sequence[float], noise: float) -> np.ndarray:
    """Var[answer | L] for each latent value: the spread of one respondent's answers to
    parallel items."""
    cuts = np.asarray(thresholds)
    highest = np.maximum.outer(cuts, cuts)
    latent = np.asarray(latent)[..., None, None]
    both = ndtr((latent - highest) / noise).sum(axis=(-2, -1))
    single = ndtr((latent[..., 0] - cuts) / noise).sum(axis=-1)
    return both - single**2


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of a respondents × items array (Cronbach 1951); NaN for one item."""
    items = np.asarray(items, dtype=float)
    k = items.shape[1]
    if k < 2 or items.shape[0] < 2:
        return float("nan")
    total = items.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - items.var(axis=0, ddof=1).sum() / total))
