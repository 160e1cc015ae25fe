"""How customers judge a failure: ``[attribution]``, ``[compensation]``, ``[punishment]`` and
``[complaints]`` (MODEL.md 6)."""

from __future__ import annotations

from sim.scenario.section import Section, param


class AttributionParameters(Section):
    """MODEL.md 5.3 (perceived aggregator control) and 5.4 (responsibility)."""

    intercept: float = param(-2.7, "a0: baseline logit of perceived platform control", "logit")
    intermediation_weight: float = param(
        1.5, "a_I: effect of intermediation on perceived control", "logit"
    )
    brand_weight: float = param(0.5, "a_B: effect of brand salience on perceived control", "logit")
    control_weight: float = param(
        3.0,
        "a_K: effect of the platform's perceived controllability of this failure on perceived "
        "control",
        "logit",
        ge=0,
    )
    encounter_weight: float = param(
        0.5, "a_E: effect of an encounter failure on perceived control", "logit"
    )
    explanation_weight: float = param(
        0.7, "a_expl: effect of an explanation on perceived control", "logit"
    )
    explanation_culture_slope: float = param(
        0.7,
        "s_cult: how much more explanations move individualists (c_cult = 1 − s + s·individualism)",
        "share",
        ge=0,
        le=1,
    )
    perception_noise: float = param(
        0.25,
        "σ0: error of a new, uninformed customer's view of who could have prevented a failure",
        "share",
        ge=0,
        le=1,
    )
    noise_relationship_reduction: float = param(
        0.6,
        "share of that error a customer of full relationship strength no longer makes",
        "share",
        ge=0,
        le=1,
    )
    noise_explanation_reduction: float = param(
        0.5, "share of that error an explanation removes", "share", ge=0, le=1
    )
    blame_base: float = param(
        0.5, "b0: total blame of a failure of zero severity", "share", ge=0, le=2
    )
    blame_severity: float = param(
        0.5, "b_S: growth of total blame with severity", "share", ge=0, le=2
    )
    share_slope: float = param(
        5.0, "k: sensitivity of the platform's blame share to perceived control", "logit", ge=0
    )
    share_severity: float = param(
        1.0, "d_S: effect of severity on the platform's blame share", "logit"
    )
    share_encounter: float = param(
        0.5, "d_E: effect of an encounter failure on the platform's blame share", "logit"
    )
    share_stability: float = param(
        1.0,
        "d_F: effect of a stable (repeated) failure on the platform's blame share (Weiner 2000)",
        "logit",
    )
    blame_floor: float = param(
        0.1, "φ: responsibility each party keeps whatever the cause", "share", ge=0, le=1
    )


class CompensationParameters(Section):
    """MODEL.md 5.5 (expected compensation)."""

    rejected_factor: float = param(
        0.3,
        "κ for rejected outcomes, on top of the refund a rejected order gets by not being "
        "charged (Folkes 1984)",
        "share",
        ge=0,
    )
    accepted_factor: float = param(
        0.3, "κ for accepted outcomes (Gelbrich et al. 2015)", "share", ge=0
    )
    severity_weight: float = param(
        0.5, "g_S: expectation grows with severity (Smith et al. 1999)", "", ge=0
    )
    cap: float = param(1.5, "largest expected compensation as a multiple of price", "x", ge=0)
    key_account_multiplier: float = param(1.3, "m_seg for key accounts", "x", ge=0)
    responsibility_elasticity: float = param(
        1.0,
        "ρ: expected compensation grows with the platform's responsibility as R_A^ρ (P3)",
        "",
        ge=0,
        le=5,
    )
    culture_base: float = param(0.85, "m_cult at individualism 0", "x", ge=0)
    culture_slope: float = param(0.35, "growth of m_cult with individualism", "x")
    relationship_discount: float = param(
        0.2, "h_rel: strong relationships expect less (Hess et al. 2003)", "share", ge=0, le=1
    )
    stability_weight: float = param(
        0.5,
        "g_F: growth of expected compensation when the failure is seen as stable (repeated)",
        "",
        ge=0,
    )
    apology_control_threshold: float = param(
        0.5,
        "perceived control above which a customer of a platform-caused failure expects an apology",
        "share",
        ge=0,
        le=1,
    )


class PunishmentParameters(Section):
    """MODEL.md 5.6 (expected punishment of the provider) and ratings."""

    intercept: float = param(-2.0, "p0", "logit")
    provider_responsibility_weight: float = param(3.0, "p_R", "logit", ge=0)
    aggregator_responsibility_weight: float = param(
        1.0, "p_A: displacement of blame (P4)", "logit", ge=0
    )
    severity_weight: float = param(1.0, "p_S", "logit", ge=0)
    empathy_weight: float = param(
        1.0, "p_emp: empathy for providers who could not help it", "logit", ge=0
    )
    empathy_individual: float = param(1.0, "e_kind for individual providers", "", ge=0, le=1)
    empathy_firm: float = param(0.5, "e_kind for firms", "", ge=0, le=1)
    base_low_rating: float = param(
        0.03,
        "probability of a low rating (≤ 2 stars) after a successful order",
        "share",
        ge=0,
        le=1,
    )


class ComplaintParameters(Section):
    """MODEL.md 5.7."""

    intercept: float = param(-2.0, "c0", "logit")
    severity_weight: float = param(2.0, "c_S", "logit")
    responsibility_weight: float = param(1.5, "c_R", "logit")
    key_account_weight: float = param(1.0, "c_key", "logit")
