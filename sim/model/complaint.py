"""Whether a customer complains (MODEL.md 5.7). Pure function."""

from __future__ import annotations

from sim.model.attribution import logistic
from sim.scenario import ComplaintParameters


def complaint_probability(
    params: ComplaintParameters,
    severity: float,
    aggregator_responsibility: float,
    provider_responsibility: float,
    *,
    key_account: bool,
    unfair: float = 0.0,
    culture: float = 0.0,
) -> float:
    """``P(complain) = σ(c0 + c_S·S + c_R·max(R_A, R_P) + c_key·1[key_account] + c_U·F + c_PD)``.

    ``unfair`` is ``c_U·F``: a failure at a surge price is more often complained about (Xia,
    Monroe & Cox 2004; Xu, Wei & Zhu 2025). ``culture`` is ``c_PD``, the shift of power distance
    (MODEL.md 14.3, :func:`sim.model.culture.complaint_shift`).
    """
    return logistic(
        params.intercept
        + params.severity_weight * severity
        + params.responsibility_weight * max(aggregator_responsibility, provider_responsibility)
        + (params.key_account_weight if key_account else 0.0)
        + unfair
        + culture
    )
