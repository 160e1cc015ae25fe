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


def explanation_effect(
    params: AttributionParameters, *, names_platform: bool, individualism: float
) -> float:
    """The logit shift an explanation gives perceived control (MODEL.md 5.2, 5.3).

    ``expl = a_expl · c_cult · (+1 if the platform is named, −1 otherwise)`` with
    ``c_cult = 1 − s_cult + s_cult · individualism`` (s_cult 0.7: 0.3 + 0.7 · individualism):
    explanations change attributions much more in individualist cultures (Bitner 1990; Mattila
    & Patterson 2004b).
    """
    slope = params.explanation_culture_slope
    cultural_receptiveness = 1.0 - slope + slope * individualism
    return params.explanation_weight * cultural_receptiveness * (1.0 if names_platform else -1.0)


def perception_noise(
    params: AttributionParameters, relationship: float, *, explained: bool
) -> float:
    """σ: how far off the customer's view of who could have prevented a failure is (MODEL.md 5.3).

    ``σ = σ0 · (1 − n_rel·Rel) · (1 − n_expl·1[explained])``: customers infer control from cues
    they do not fully see; they read the platform better the more they know it (Hess, Ganesan &
    Klein 2003) and after an explanation (Bitner 1990).
    """
    known = 1.0 - params.noise_relationship_reduction * relationship
    told = 1.0 - params.noise_explanation_reduction if explained else 1.0
    return params.perception_noise * known * told


def perceived_controllability(actual: float, noise: float, error: float) -> float:
    """A controllability as the customer sees it: the true value plus ``noise · error``, in [0, 1].

    ``error`` is a standard normal draw; clipping pulls uncertain perceptions towards the middle.
    """
    seen = actual + noise * error
    return 0.0 if seen < 0.0 else 1.0 if seen > 1.0 else seen


def failure_stability(earlier_recent_failures: int) -> float:
    """How stable (likely to recur) the customer sees the cause, in [0, 1) (MODEL.md 5.4).

    ``stability = 1 − 2^(−n)`` for ``n`` earlier failures on this platform within the recent
    window: a first failure may be a fluke; each repetition halves that chance (Weiner 2000).
    """
    return 1.0 - 0.5**earlier_recent_failures


def perceived_control(
    params: AttributionParameters,
    intermediation: float,
    brand_salience: float,
    perceived_aggregator_controllability: float,
    *,
    encounter: bool,
    explanation: float,
    disposition: float,
) -> float:
    """PAC: how much the customer sees the platform in control of the failed service (MODEL.md 5.3).

    ``PAC = σ(a0 + a_I·I + a_B·B + a_K·ĉ_A + a_E·1[encounter] + expl + u)``. Customers do not
    know the true cause: they infer control from what they see — the platform's intermediation and
    brand (Fu, Gu & Bai 2025; Su & Tippins 1998), the kind of failure, any explanation, and a noisy
    view ``ĉ_A`` of how far the platform could actually have prevented this failure (Weiner 2000;
    Folkes 1984; see :func:`perceived_controllability`).

    Parameters
    ----------
    perceived_aggregator_controllability
        ``ĉ_A`` in [0, 1].
    explanation
        The logit shift from :func:`explanation_effect`, 0 when nothing was explained.
    disposition
        The customer's personal bias ``u``.
    """
    x = (
        params.intercept
        + params.intermediation_weight * intermediation
        + params.brand_weight * brand_salience
        + params.control_weight * perceived_aggregator_controllability
        + explanation
        + disposition
    )
    if encounter:
        x += params.encounter_weight
    return logistic(x)


def aggregator_blame_share(
    params: AttributionParameters,
    perceived_control: float,
    severity: float,
    *,
    encounter: bool,
    stability: float,
) -> float:
    """The platform's share of the blame above the floor (MODEL.md 5.4).

    ``share = σ(k·(PAC − 0.5) + d_S·(S − 0.5) + d_E·1[encounter] + d_F·stability)``: the
    locus-responsibility shift moves blame to the platform as perceived control, severity and
    encounter failures rise (Fu et al. 2025); a failure that keeps recurring, whoever serves,
    points at what the orders have in common, the platform (Weiner 2000; Kelley's consistency).
    """
    return logistic(
        params.share_slope * (perceived_control - 0.5)
        + params.share_severity * (severity - 0.5)
        + (params.share_encounter if encounter else 0.0)
        + params.share_stability * stability
    )


def responsibility(
    params: AttributionParameters,
    perceived_control: float,
    severity: float,
    *,
    encounter: bool,
    provider_perceived_control: float,
    stability: float = 0.0,
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
    share = aggregator_blame_share(
        params, perceived_control, severity, encounter=encounter, stability=stability
    )
    aggregator = min(1.0, params.blame_floor + total * share)
    provider = min(
        1.0,
        params.blame_floor + total * (1.0 - share) * (0.5 + 0.5 * provider_perceived_control),
    )
    return aggregator, provider
