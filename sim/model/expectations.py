"""What the customer expects: compensation from the platform and punishment of the provider
(MODEL.md 5.5 and 5.6; propositions P3 and P4).

Pure functions: no SimPy, no random state.
"""

from __future__ import annotations

import math

from sim.model.attribution import logistic
from sim.scenario import CompensationParameters, FairnessParameters, PunishmentParameters


def price_unfairness(surge_multiplier: float) -> float:
    """F = ln(multiplier): how far above the reference price the customer paid (MODEL.md 5.6b).

    Customers judge a price against the price they know; paying more for the same service is
    felt as unfair (Xia, Monroe & Cox 2004). F is 0 at the normal price.
    """
    return math.log(surge_multiplier)


def expected_compensation_share(
    params: CompensationParameters,
    aggregator_responsibility: float,
    *,
    rejected: bool,
    severity: float,
    key_account: bool,
    individualism: float,
    relationship: float,
    stability: float = 0.0,
    unfairness: float = 0.0,
    unfairness_weight: float = 0.0,
) -> float:
    """Expected compensation as a share of the price (MODEL.md 5.5).

    ``EC/price = min(cap, R_A^ρ · κ_outcome · (1 + g_S·S) · m_seg · m_cult · (1 − h_rel·Rel)
    · (1 + g_F·stability) · (1 + g_U·F))``.
    A refund is owed for a rejected service (Folkes 1984), partial compensation for a flawed but
    consumed one (Gelbrich, Gäthke & Grégoire 2015); the amount grows with the failure (Smith,
    Bolton & Wagner 1999), is capped (Haesevoets et al. 2017), is higher for key accounts and
    individualists (Mattila & Patterson 2004a; Wong 2004) and lower in strong relationships
    (Hess, Ganesan & Klein 2003). A repeated failure raises what is owed (Maxham & Netemeyer
    2002; Grewal, Roggeveen & Tsiros 2008), and so does a failure at a surge price, judged
    against what was paid (Xia, Monroe & Cox 2004).
    """
    outcome = params.rejected_factor if rejected else params.accepted_factor
    segment = params.key_account_multiplier if key_account else 1.0
    culture = params.culture_base + params.culture_slope * individualism
    share = (
        aggregator_responsibility**params.responsibility_elasticity
        * outcome
        * (1.0 + params.severity_weight * severity)
        * segment
        * culture
        * (1.0 - params.relationship_discount * relationship)
        * (1.0 + params.stability_weight * stability)
        * (1.0 + unfairness_weight * unfairness)
    )
    return min(params.cap, max(0.0, share))


def expects_apology(
    params: CompensationParameters,
    perceived_aggregator_controllability: float,
    perceived_control: float,
) -> bool:
    """Customers who see the failure as the platform's own doing also expect an apology (Folkes
    1984): they see it in control (PAC at or above the threshold) and see that it could have
    prevented this failure (``ĉ_A`` ≥ 0.5)."""
    return (
        perceived_aggregator_controllability >= 0.5
        and perceived_control >= params.apology_control_threshold
    )


def provider_empathy(
    provider_perceived_control: float, *, individual_provider: bool, params: PunishmentParameters
) -> float:
    """Emp = (1 − PPC)·e_kind: individuals are forgiven uncontrollable failures (Suri, Huang &
    Sénécal 2019)."""
    kind = params.empathy_individual if individual_provider else params.empathy_firm
    return (1.0 - provider_perceived_control) * kind


def expected_punishment(
    params: PunishmentParameters,
    provider_responsibility: float,
    aggregator_responsibility: float,
    severity: float,
    provider_perceived_control: float,
    *,
    individual_provider: bool,
    misdirected: float = 0.0,
) -> float:
    """The punishment the customer wants for the provider, in [0, 1] (MODEL.md 5.6).

    ``EP = σ(p0 + p_R·R_P − p_A·R_A + p_S·S − p_emp·Emp + w_U·F)``: control leads directly to
    punitive intentions (Weiner 2000; Greitemeyer & Rudolph 2003) and, when the platform's
    responsibility falls, the punishment expected for the provider rises (P4). ``misdirected`` is
    ``w_U·F``, the unfairness of a surge price taken out on the provider (Xu, Wei & Zhu 2025; see
    :func:`misdirected_punishment`).
    """
    empathy = provider_empathy(
        provider_perceived_control, individual_provider=individual_provider, params=params
    )
    return logistic(
        params.intercept
        + params.provider_responsibility_weight * provider_responsibility
        - params.aggregator_responsibility_weight * aggregator_responsibility
        + params.severity_weight * severity
        - params.empathy_weight * empathy
        + misdirected
    )


def misdirected_punishment(params: FairnessParameters, unfairness: float) -> float:
    """``w_U·F``: the logit by which a surge price raises a low rating of the provider.

    Surge pricing is the platform's decision, yet riders take it out on the driver: misdirected
    punishment (Xu, Wei & Zhu 2025; Kapoor & Tucker 2017).
    """
    return params.rating_weight * unfairness


def low_rating_probability(base_probability: float, misdirected: float) -> float:
    """Chance of a low (≤ 2 star) rating of a successful order (MODEL.md 5.6).

    The background rate ``base_probability`` with its logit raised by ``misdirected`` (see
    :func:`misdirected_punishment`); a failed order is rated low with EP, which includes it.
    """
    if misdirected == 0.0 or base_probability <= 0.0 or base_probability >= 1.0:
        return base_probability
    odds = math.exp(misdirected) * base_probability / (1.0 - base_probability)
    return odds / (1.0 + odds)
