"""Relationship strength and life-cycle stage (MODEL.md 5.11; seed 001, Wilkinson & Young 1997).

Pure functions: no SimPy, no random state.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from sim.scenario import RelationshipParameters

#: The life-cycle stages, from no order yet to an institutionalised relationship.
STAGES: tuple[str, ...] = ("pre", "early", "development", "long_term", "final")


def strength_after_success(params: RelationshipParameters, strength: float) -> float:
    """Each successful order closes part of the gap to 1: experience accumulates."""
    return strength + params.success_gain * (1.0 - strength)


def strength_after_failure(
    params: RelationshipParameters, strength: float, severity: float
) -> float:
    """A failure costs a share of the strength proportional to its severity."""
    return strength * (1.0 - params.failure_loss * severity)


def _thresholds(params: RelationshipParameters) -> tuple[float, float, float]:
    return (params.development_from, params.long_term_from, params.final_from)


def stage(params: RelationshipParameters, strength: float, has_ordered: bool) -> str:
    """The stage for a strength: ``pre`` until the first order, then by thresholds."""
    if not has_ordered:
        return "pre"
    return STAGES[1 + bisect_right(_thresholds(params), strength)]


def stage_counts(
    params: RelationshipParameters, customers: Iterable[tuple[float, bool]]
) -> dict[str, int]:
    """How many ``(strength, has_ordered)`` pairs are in each stage (the rule of :func:`stage`)."""
    thresholds = _thresholds(params)
    counts = [0] * len(STAGES)
    for strength, has_ordered in customers:
        counts[1 + bisect_right(thresholds, strength) if has_ordered else 0] += 1
    return dict(zip(STAGES, counts, strict=True))
