"""Who the customers are: the traits a customer is drawn with (MODEL.md 3).

One function draws them, so that the world's customers and the respondents of a simulated
vignette study (:mod:`sim.vignette`) come from the same population.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.model.streams import beta_parameters
from sim.scenario import CustomerParameters

#: Concentration of the Beta distribution of relationship strength at the start.
RELATIONSHIP_CONCENTRATION = 8.0


@dataclass(slots=True)
class CustomerTraits:
    """A customer's segment, culture, disposition, satisfaction and relationship at arrival
    (a value, never changed once made; not frozen, which costs several times as much to make,
    for every customer of a world)."""

    key_account: bool
    individualism: float
    disposition: float
    satisfaction: float
    relationship: float
    switching_cost: float


def clip01(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def draw_customer_traits(
    c: CustomerParameters, stream: Any, *, established: bool
) -> CustomerTraits:
    """One customer's traits, drawn in a fixed order from ``stream`` (a numpy Generator).

    Key account with probability ``key_account_share``; individualism ~ N(mean, sd) and initial
    satisfaction ~ N(mean, sd), clipped to [0, 1]; disposition ``u`` ~ N(0, disposition_sd)
    (MODEL.md 5.3); relationship strength ~ Beta with mean ``relationship_initial`` for an
    ``established`` customer (present at the start), 0 for a newcomer (MODEL.md 5.11).
    """
    key_account = bool(stream.uniform() < c.key_account_share)
    individualism = clip01(stream.normal(c.individualism, c.individualism_sd))
    disposition = float(stream.normal(0.0, c.disposition_sd))
    satisfaction = clip01(stream.normal(c.satisfaction_initial, c.satisfaction_initial_sd))
    relationship = (
        float(stream.beta(*beta_parameters(c.relationship_initial, RELATIONSHIP_CONCENTRATION)))
        if established
        else 0.0
    )
    return CustomerTraits(
        key_account=key_account,
        individualism=individualism,
        disposition=disposition,
        satisfaction=satisfaction,
        relationship=relationship,
        switching_cost=c.switching_cost_key_account if key_account else c.switching_cost_general,
    )


def order_rate_factor(c: CustomerParameters, stream: Any) -> float:
    """A customer's own order rate as a multiple of its segment's: Gamma with mean 1 and the
    coefficient of variation ``order_rate_cv`` (1 for everyone at 0).

    Customers of one kind buy at different rates, and a Poisson process of purchases whose rates
    are Gamma-distributed across customers gives the negative binomial distribution of purchase
    counts (Ehrenberg 1959; Schmittlein, Morrison & Colombo 1987), which makes a minority of
    buyers account for most of the spend (Sharp, Romaniuk & Graham 2019).
    """
    if c.order_rate_cv <= 0.0:
        return 1.0
    shape = 1.0 / (c.order_rate_cv * c.order_rate_cv)
    return stream.gamma(shape) / shape


#: The satisfaction at which a customer orders at its own rate (``customers.satisfaction_initial``'s
#: default: a newcomer's expectation met).
ORDERING_REFERENCE = 0.75


def satisfaction_order_factor(c: CustomerParameters, satisfaction: float) -> float:
    """How much satisfaction moves a customer's order rate (MODEL.md 5.15):
    ``max(0.1, 1 + e·(SAT − 0.75))`` below the reference, ``1 + a·e·(SAT − 0.75)`` above it.

    Dissatisfaction lengthens the time to the next order (Harter, Stich & Spann 2024; Mao et al.
    2025), but shortfalls weigh more than surpluses: negative performance moves repurchase more
    than positive performance of the same size (Mittal, Ross & Baldasare 1998), and switching
    follows dissatisfaction more than satisfaction (LaBarbera & Mazursky 1983). A customer orders
    a meal or a ride when it needs one; satisfaction above the usual adds little to the need. The
    share ``a`` (``satisfaction_order_upside``) of the effect that acts above the reference is 0
    by default; 1 is the former, symmetric model.
    """
    gap = satisfaction - ORDERING_REFERENCE
    if gap >= 0.0:
        return 1.0 + c.satisfaction_order_upside * c.satisfaction_order_effect * gap
    return max(0.1, 1.0 + c.satisfaction_order_effect * gap)


def background_churn_delay(c: CustomerParameters, switching_cost: float, stream: Any) -> float:
    """Hours until a customer leaves for reasons of its own, not a failure (MODEL.md 5.15):
    exponential at ``background_churn_per_day × (1 − switching cost)``.

    Switching costs hold customers against every reason to leave, not only against failures
    (Burnham, Frels & Mahajan 2003; Jones, Mothersbaugh & Beatty 2000): a business buyer bound
    by procedures, contracts and relationships leaves for reasons of its own less often than a
    consumer. One draw, whatever the rate (common random numbers).
    """
    draw = stream.exponential(1.0)
    rate = c.background_churn_per_day / 24.0 * (1.0 - switching_cost)
    return draw / rate if rate > 0 else math.inf
