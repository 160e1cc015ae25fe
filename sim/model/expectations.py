"""What the customer expects: compensation from the platform and punishment of the provider
(MODEL.md 5.5 and 5.6; propositions P3 and P4).

Pure functions: no SimPy, no random state.
"""

from __future__ import annotations

from sim.model.attribution import logistic
from sim.scenario import CompensationParameters, PunishmentParameters


def expected_compensation_share(
    params: CompensationParameters,
    aggregator_responsibility: float,
    rejected: bool,
    severity: float,
    key_account: bool,
    individualism: float,
    relationship: float,
) -> float:
    """Expected compensation as a share of the price (MODEL.md 5.5).

    ``EC/price = min(cap, R_A · κ_outcome · (1 + g_S·S) · m_seg · m_cult · (1 − h_rel·Rel))``.
    A refund is owed for a rejected service (Folkes 1984), partial compensation for a flawed but
    consumed one (Gelbrich, Gäthke & Grégoire 2015); the amount grows with the failure (Smith,
    Bolton & Wagner 1999), is capped (Haesevoets et al. 2017), is higher for key accounts and
    individualists (Mattila & Patterson 2004a; Wong 2004) and lower in strong relationships
    (Hess, Ganesan & Klein 2003).
    """
    outcome = params.rejected_factor if rejected else params.accepted_factor
    segment = params.key_account_multiplier if key_account else 1.0
    culture = params.culture_base + params.culture_slope * individualism
    share = (
        aggregator_responsibility
        * outcome
        * (1.0 + params.severity_weight * severity)
        * segment
        * culture
        * (1.0 - params.relationship_discount * relationship)
    )
    return min(params.cap, max(0.0, share))


def expects_apology(params: CompensationParameters, cause: str, perceived_control: float) -> bool:
    """Customers whose failure the platform clearly caused also expect an apology (Folkes 1984)."""
    return cause == "aggregator" and perceived_control >= params.apology_control_threshold


def provider_empathy(
    provider_perceived_control: float, individual_provider: bool, params: PunishmentParameters
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
    individual_provider: bool,
) -> float:
    """The punishment the customer wants for the provider, in [0, 1] (MODEL.md 5.6).

    ``EP = σ(p0 + p_R·R_P − p_A·R_A + p_S·S − p_emp·Emp)``: control leads directly to punitive
    intentions (Weiner 2000; Greitemeyer & Rudolph 2003) and, when the platform's responsibility
    falls, the punishment expected for the provider rises (P4).
    """
    empathy = provider_empathy(provider_perceived_control, individual_provider, params)
    return logistic(
        params.intercept
        + params.provider_responsibility_weight * provider_responsibility
        - params.aggregator_responsibility_weight * aggregator_responsibility
        + params.severity_weight * severity
        - params.empathy_weight * empathy
    )


def low_rating_probability(base_probability: float, surge_priced: bool, surge_odds: float) -> float:
    """Chance of a low (≤ 2 star) rating, raised on surge-priced orders (MODEL.md 5.6).

    Surge pricing is a platform decision, yet it raises the odds of a low provider rating:
    misdirected punishment (Xu, Wei & Zhu 2025; Kapoor & Tucker 2017). ``base_probability`` is EP
    for a failure and the background rate for a successful order.
    """
    if not surge_priced or base_probability <= 0.0 or base_probability >= 1.0:
        return base_probability
    odds = surge_odds * base_probability / (1.0 - base_probability)
    return odds / (1.0 + odds)
