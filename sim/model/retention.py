"""Whether a customer would come back, and whether it leaves, after a failure episode
(MODEL.md 5.10). Pure functions.

What customers *say* and what they *do* are two outcomes (MODEL.md 5.15): the stated repurchase
intention is what TARP's surveys and vignette studies measure, and is calibrated to TARP's table;
the chance of actually leaving converts it, at the rate field evidence on platforms shows
(Halperin, Ho, List & Muir 2022).
"""

from __future__ import annotations

from sim.model.attribution import logistic
from sim.scenario import RetentionParameters


def repurchase_intention(
    params: RetentionParameters,
    satisfaction: float,
    recent_failures: int,
    relationship: float,
    switching_cost: float,
    handled: float | None = None,
    moderation: float = 0.0,
) -> float:
    """The stated chance of buying again after a failure episode: what a survey would record.

    ::

        logit I = r0 + r_SAT·SAT1 − r_n·(recent failures − 1) + r_L·Rel·m + r_sw·SC
        m = 1 + b_rel·(2H − 1)       when the platform was asked to (or did) respond, else 1

    Compensation reaches it through satisfaction (Grewal, Roggeveen & Tsiros 2008). The loyalty of
    a strong relationship depends on how the platform behaves when it is tested: a badly handled
    failure (``handled`` H near 0) turns it into avoidance — love becomes hate — and a well
    handled one (H near 1) strengthens it (Grégoire & Fisher 2008; Grégoire, Tripp & Legoux
    2009). ``recent_failures`` counts this one; ``handled`` is None when the customer neither
    complained nor was reached.
    """
    loyalty = 1.0 if handled is None else 1.0 + moderation * (2.0 * handled - 1.0)
    return logistic(
        params.intercept
        + params.satisfaction_weight * satisfaction
        - params.recent_failures_weight * max(0, recent_failures - 1)
        + params.relationship_weight * relationship * loyalty
        + params.switching_cost_weight * switching_cost
    )


def leave_probability(
    params: RetentionParameters, intention: float, orders_per_week: float, switching_cost: float
) -> float:
    """What the customer does: the chance that it leaves because of this failure,
    ``λ·(1 − I)·(1 − SC) / (1 + h·f)``.

    Stated intentions overstate behaviour (Morwitz, Steckel & Gupta 2007; Chandon, Morwitz &
    Reinartz 2005), and switching follows many more influences than the few that drive the
    intention (Wirtz, Xiao, Chiang & Malhotra 2014): a share ``λ`` of the stated intention not
    to come back turns into leaving, as stated intentions are converted into forecasts of
    behaviour (Jamieson & Bass 1989). Habit weakens the link further: a behaviour repeated often
    in a stable setting follows habit more than intention (Ouellette & Wood 1998), and a
    customer's earlier purchases lastingly soften the effect of a complaint on defection (Knox &
    van Oest 2014); ``f`` is the customer's own orders per week and ``h`` is
    ``retention.habit``. Switching costs hold a customer who would leave: they weaken the link
    from dissatisfaction to switching (Jones, Mothersbaugh & Beatty 2000; Burnham, Frels &
    Mahajan 2003), so only ``1 − SC`` of the intention to leave is free to act. ``λ = 1, h = 0``
    and no switching costs is the customer who does what it says.
    """
    conversion = params.intention_conversion / (1.0 + params.habit * orders_per_week)
    return conversion * (1.0 - intention) * (1.0 - switching_cost)
