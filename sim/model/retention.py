"""Whether a customer stays after a failure episode (MODEL.md 5.10). Pure function."""

from __future__ import annotations

from sim.model.attribution import logistic
from sim.scenario import RetentionParameters


def stay_probability(
    params: RetentionParameters,
    satisfaction: float,
    recent_failures: int,
    relationship: float,
    switching_cost: float,
    handled: float | None = None,
    moderation: float = 0.0,
) -> float:
    """P(stay) after a failure episode.

    ::

        logit P(stay) = r0 + r_SAT·SAT1 − r_n·(recent failures − 1) + r_L·Rel·m + r_sw·SC
        m = 1 + b_rel·(2H − 1)       when the platform was asked to (or did) respond, else 1

    Compensation reaches retention through satisfaction (Grewal, Roggeveen & Tsiros 2008). The
    loyalty of a strong relationship depends on how the platform behaves when it is tested: a
    badly handled failure (``handled`` H near 0) turns it into avoidance — love becomes hate —
    and a well handled one (H near 1) strengthens it (Grégoire & Fisher 2008; Grégoire, Tripp &
    Legoux 2009). ``recent_failures`` counts this one; ``handled`` is None when the customer
    neither complained nor was reached.
    """
    loyalty = 1.0 if handled is None else 1.0 + moderation * (2.0 * handled - 1.0)
    return logistic(
        params.intercept
        + params.satisfaction_weight * satisfaction
        - params.recent_failures_weight * max(0, recent_failures - 1)
        + params.relationship_weight * relationship * loyalty
        + params.switching_cost_weight * switching_cost
    )
