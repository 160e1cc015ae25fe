"""Relationship strength and life-cycle stage (MODEL.md 5.11; seed 001, Wilkinson & Young 1997).

Pure functions: no SimPy, no random state.
"""

from __future__ import annotations

from bisect import bisect_right

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


def stage_index(params: RelationshipParameters, strength: float, *, has_ordered: bool) -> int:
    """The position in :data:`STAGES`: ``pre`` (0) until the first order, then by thresholds."""
    if not has_ordered:
        return 0
    thresholds = (params.development_from, params.long_term_from, params.final_from)
    return 1 + bisect_right(thresholds, strength)


def stage(params: RelationshipParameters, strength: float, *, has_ordered: bool) -> str:
    """The stage's name (see :func:`stage_index`)."""
    return STAGES[stage_index(params, strength, has_ordered=has_ordered)]
