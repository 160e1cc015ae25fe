"""What a failure leaves behind: ``[satisfaction]``, ``[retention]`` and ``[relationship]``
(MODEL.md 6)."""

from __future__ import annotations

from pydantic import model_validator

from sim.scenario.section import Section, param


class SatisfactionParameters(Section):
    """MODEL.md 5.9."""

    loss_base: float = param(
        0.2656354109410644,
        "l0: satisfaction lost per unit of effective severity",
        "share",
        ge=0,
        le=2,
    )
    loss_responsibility: float = param(
        1.3,
        "l_R: extra loss when the platform is held responsible (Iglesias 2009)",
        "share",
        ge=0,
        le=2,
    )
    loss_floor: float = param(
        0.47064383385121233,
        "share of a failure's loss that does not depend on its severity (0 gives MODEL.md's S·(…))",
        "share",
        ge=0,
        le=1,
    )
    lasting_harm: float = param(
        0.5641731855264709,
        "u: satisfaction lost per unit of severity that no recovery repairs (Smith, Bolton & "
        "Wagner 1999)",
        "share",
        ge=0,
        le=1,
    )
    stability_loss: float = param(
        0.5,
        "l_F: how much more a failure seen as stable (repeated) hurts (Weiner 2000; Maxham & "
        "Netemeyer 2002)",
        "",
        ge=0,
        le=5,
    )
    distributive_weight: float = param(0.5, "w_D", "share", ge=0, le=1)
    interactional_weight: float = param(0.3, "w_I", "share", ge=0, le=1)
    procedural_weight: float = param(0.15, "w_P", "share", ge=0, le=1)
    rejected_steepness: float = param(
        6.0, "slope of the S-shaped justice curve for rejected service", "", gt=0
    )
    rejected_midpoint: float = param(
        0.7463139941572868, "compensation/expectation at the curve's midpoint", "", ge=0
    )
    accepted_scale: float = param(
        0.35, "scale of the concave justice curve for accepted service", "", gt=0
    )
    overcompensation_threshold: float = param(
        1.5, "compensation above this multiple of price is penalised (Haesevoets 2017)", "x", gt=0
    )
    overcompensation_penalty: float = param(
        0.3, "justice lost per unit of price above the threshold", "", ge=0
    )
    interactional_without_apology: float = param(
        0.3, "interactional justice when no apology was given nor expected", "share", ge=0, le=1
    )
    hollow_apology: float = param(
        0.5,
        "h: share of an apology's interactional justice lost when it comes without the remedy "
        "the platform is held to owe after an outcome (core) failure, IJ × (1 − h·O) (Halperin, "
        "Ho, List & Muir 2022: apologies for late rides without a coupon did little)",
        "share",
        ge=0,
        le=1,
    )
    owed_follows_blame: bool = param(
        True,
        "the remedy the platform is held to owe, O = R_A·R_A/(R_A + R_P), follows the blame "
        "(false: a full remedy is owed whoever is blamed, O = 1)",
    )
    collectivism_weight: float = param(
        0.5,
        "how much more collectivists weigh the apology (w_I × (1 + c·(0.5 − individualism)))",
        "",
        ge=0,
        le=2,
    )
    delight: float = param(
        0.3,
        "ω: how much more than the loss an excellent recovery of a customer's first recent "
        "failure repairs (the recovery paradox on satisfaction: de Matos, Henrique & Rossi 2007)",
        "share",
        ge=0,
        le=2,
    )
    tolerance: float = param(
        0.15,
        "τ: shortfall of compensation, as a share of the price, that customers tolerate (zone "
        "of tolerance: Zeithaml, Berry & Parasuraman 1993)",
        "share",
        ge=0,
        le=3,
    )
    resource_matching: float = param(
        0.4,
        "μ: how much more compensation weighs after core (outcome) failures, and apology after "
        "encounter (process) failures (Smith, Bolton & Wagner 1999; Roschk & Gelbrich 2014)",
        "",
        ge=0,
        le=1,
    )
    compensation_gate_floor: float = param(
        0.0,
        "γ0: weight compensation keeps as repair when the platform is not held responsible at "
        "all (Grewal, Roggeveen & Tsiros 2008)",
        "share",
        ge=0,
        le=1,
    )
    compensation_gate_first: float = param(
        0.5,
        "γ1: weight compensation has, for a first failure, when the platform is held fully "
        "responsible (Grewal et al. 2008: little for an infrequent failure)",
        "share",
        ge=0,
        le=1,
    )
    compensation_gate_stability: float = param(
        0.75,
        "g_γ: how much more compensation counts when the failure is seen as stable (Grewal et "
        "al. 2008: it counts when the failure is frequent)",
        "",
        ge=0,
    )
    late_remedy_discount: float = param(
        2.5984462670634567,
        "a remedy loses this share of its justice per target time of delay beyond the target "
        "(Gelbrich & Roschk 2011)",
        "",
        ge=0,
    )
    relationship_moderation: float = param(
        2.0,
        "b_rel: how strongly relationship strength amplifies a badly handled failure and buffers "
        "a well handled one, in satisfaction and in loyalty (Grégoire & Fisher 2008; Grégoire, "
        "Tripp & Legoux 2009)",
        "",
        ge=0,
        le=4,
    )
    success_gain: float = param(
        0.05, "share of the gap to 1 regained after a successful order", "share", ge=0, le=1
    )


class RetentionParameters(Section):
    """MODEL.md 5.10, calibrated against the TARP table (``sim.experiments.tarp_calibration``)."""

    intercept: float = param(-2.1908869105952027, "r0", "logit")
    satisfaction_weight: float = param(5.604771951380201, "r_SAT", "logit")
    recent_failures_weight: float = param(
        0.7, "r_n: per recent failure beyond the first", "logit", ge=0
    )
    relationship_weight: float = param(0.8, "r_L: loyalty of strong relationships", "logit", ge=0)
    switching_cost_weight: float = param(1.5, "r_sw", "logit", ge=0)
    intention_conversion: float = param(
        0.1867,
        "λ: share of the stated intention not to come back that customers act on by leaving "
        "(1: they do what they say)",
        "share",
        ge=0,
        le=1,
    )
    habit: float = param(
        1.0,
        "h: how much habit weakens that conversion per weekly order: it is divided by 1 + h·f "
        "for a customer who orders f times a week (Ouellette & Wood 1998; Knox & van Oest 2014)",
        "per order per week",
        ge=0,
        le=20,
    )
    recent_window_days: float = param(
        30.0, "window in which failures count as recent", "days", gt=0
    )


class RelationshipParameters(Section):
    """MODEL.md 5.11 (relationship strength and life-cycle stages, Wilkinson & Young 1997)."""

    success_gain: float = param(
        0.03, "share of the gap to 1 gained per successful order", "share", ge=0, le=1
    )
    failure_loss: float = param(
        0.3, "share of strength lost per unit severity of a failure", "share", ge=0, le=1
    )
    development_from: float = param(
        0.3, "strength at which the development stage begins", "share", ge=0, le=1
    )
    long_term_from: float = param(
        0.6, "strength at which the long-term stage begins", "share", ge=0, le=1
    )
    final_from: float = param(
        0.85, "strength at which the relationship is institutionalised", "share", ge=0, le=1
    )

    @model_validator(mode="after")
    def _thresholds_increase(self) -> RelationshipParameters:
        if not self.development_from <= self.long_term_from <= self.final_from:
            raise ValueError("expected development_from ≤ long_term_from ≤ final_from")
        return self
