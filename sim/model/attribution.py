"""Perceived aggregator control and responsibility (MODEL.md 5.3 and 5.4; propositions P1, P2).

Pure functions: no SimPy, no random state.
"""

from __future__ import annotations

import math

from sim.scenario import AttributionParameters


def logistic(x: float) -> float:
    """σ(x) = 1 / (1 + e^-x), safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def explanation_effect(names_platform: bool, individualism: float, weight: float) -> float:
    """The logit shift an explanation gives perceived control (MODEL.md 5.2, 5.3).

    ``expl = a_expl · c_cult · (+1 if the platform is named, −1 otherwise)`` with
    ``c_cult = 0.3 + 0.7 · individualism``: explanations change attributions much more in
    individualist cultures (Bitner 1990; Mattila & Patterson 2004b).
    """
    cultural_receptiveness = 0.3 + 0.7 * individualism
    return weight * cultural_receptiveness * (1.0 if names_platform else -1.0)


def perceived_control(
    params: AttributionParameters,
    intermediation: float,
    brand_salience: float,
    cause: str,
    encounter: bool,
    explanation: float,
    disposition: float,
) -> float:
    """PAC: how much the customer sees the platform in control of the failed service (MODEL.md 5.3).

    ``PAC = σ(a0 + a_I·I + a_B·B + a_C·1[cause=aggregator] + a_X·1[cause=external]
    + a_E·1[encounter] + expl + u)``. High intermediation and encounter failures raise platform
    responsibility (Fu, Gu & Bai 2025); a visible brand does too (Su & Tippins 1998); actual control
    is partly visible (Weiner 2000; Folkes 1984).

    Parameters
    ----------
    cause
        True cause: ``"aggregator"``, ``"provider"`` or ``"external"``.
    explanation
        The logit shift from :func:`explanation_effect`, 0 when nothing was explained.
    disposition
        The customer's personal bias ``u``.
    """
    x = (
        params.intercept
        + params.intermediation_weight * intermediation
        + params.brand_weight * brand_salience
        + explanation
        + disposition
    )
    if cause == "aggregator":
        x += params.aggregator_cause_weight
    elif cause == "external":
        x += params.external_cause_weight
    if encounter:
        x += params.encounter_weight
    return logistic(x)


def aggregator_blame_share(
    params: AttributionParameters, perceived_control: float, severity: float, encounter: bool
) -> float:
    """The platform's share of the blame above the floor (MODEL.md 5.4).

    ``share = σ(k·(PAC − 0.5) + d_S·(S − 0.5) + d_E·1[encounter])``: the locus-responsibility
    shift moves blame to the platform as perceived control, severity and encounter failures rise
    (Fu et al. 2025).
    """
    return logistic(
        params.share_slope * (perceived_control - 0.5)
        + params.share_severity * (severity - 0.5)
        + (params.share_encounter if encounter else 0.0)
    )


def responsibility(
    params: AttributionParameters,
    perceived_control: float,
    severity: float,
    encounter: bool,
    provider_perceived_control: float,
) -> tuple[float, float]:
    """Responsibility of the aggregator and of the provider, each in [φ, 1] (MODEL.md 5.4).

    Blame is not zero-sum (Dunn et al. 2021; Haupt et al. 2021): both parties keep a floor φ and
    the total grows with severity::

        total = b0 + b_S·S
        R_A   = min(1, φ + total·share)
        R_P   = min(1, φ + total·(1 − share)·(0.5 + 0.5·PPC))

    Returns
    -------
    (aggregator_responsibility, provider_responsibility)
    """
    total = params.blame_base + params.blame_severity * severity
    share = aggregator_blame_share(params, perceived_control, severity, encounter)
    aggregator = min(1.0, params.blame_floor + total * share)
    provider = min(
        1.0,
        params.blame_floor + total * (1.0 - share) * (0.5 + 0.5 * provider_perceived_control),
    )
    return aggregator, provider
