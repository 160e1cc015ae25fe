"""Whether a customer stays after a failure episode (MODEL.md 5.10). Pure function."""

from __future__ import annotations

from sim.model.attribution import logistic
from sim.scenario import RetentionParameters


def stay_probability(
    params: RetentionParameters,
    satisfaction: float,
    recent_failures: int,
    relationship: float,
    complained: bool,
    distributive_justice: float,
    switching_cost: float,
) -> float:
    """P(stay) after a failure episode.

    ::

        logit P(stay) = r0 + r_SAT·SAT1 − r_n·(recent failures − 1) + r_L·Rel
                        − r_betray·Rel·1[complained and DJ < 0.3] + r_sw·switching_cost

    Compensation reaches retention only through satisfaction (Grewal, Roggeveen & Tsiros 2008).
    Strong relationships buffer a well-handled failure but sour after a failed recovery (Hess,
    Ganesan & Klein 2003; Grégoire, Tripp & Legoux 2009). ``recent_failures`` counts this one.
    """
    betrayed = complained and distributive_justice < params.betrayal_justice_threshold
    return logistic(
        params.intercept
        + params.satisfaction_weight * satisfaction
        - params.recent_failures_weight * max(0, recent_failures - 1)
        + params.relationship_weight * relationship
        - (params.betrayal_weight * relationship if betrayed else 0.0)
        + params.switching_cost_weight * switching_cost
    )
