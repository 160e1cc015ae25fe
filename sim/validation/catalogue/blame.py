"""Patterns of blame and expectations: who is held responsible, and what is expected
(MODEL.md 5.2–5.7, 11)."""

from __future__ import annotations

import numpy as np

from sim.validation.conditions import (
    MILD,
    RESPONSIBILITY,
    SEVERE,
)
from sim.validation.measures import (
    difference,
    encounter_minus_core_blame,
    explanation_moderation,
    explanation_shift,
    individualism_compensation,
    kpi_log_ratio,
    provider_fault_total_blame,
    shared_blame,
    within,
)
from sim.validation.pattern import Evidence, Pattern
from sim.validation.targets import Target

PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        key="shared_blame",
        statement="Blame is shared: the platform is held responsible for providers' faults, "
        "well above the floor",
        source="Dunn, Jensen & Ralston 2021; Haupt et al. 2021",
        level="episode",
        experiment="the scenario: mean platform responsibility for provider-caused failures "
        "minus the floor φ",
        conditions={"base": {}},
        measure=shared_blame,
        target=Target(above=0.1),
        target_basis="the model's assumption (a tenth of the scale above the floor)",
        knockout={"attribution.blame_base": 0.0, "attribution.blame_severity": 0.0},
        knockout_meaning="no blame beyond the floor (b0 = b_S = 0)",
        proposition=True,
    ),
    Pattern(
        key="severity_blame",
        statement="More severe failures bring more blame in total",
        source="Dunn, Jensen & Ralston 2021; Haupt et al. 2021 (total blame grows with severity)",
        level="episode",
        experiment=f"failure severity {SEVERE} vs {MILD}: mean platform plus provider "
        "responsibility for provider-caused failures",
        conditions={
            "severe": {"failures.severity_mean": SEVERE},
            "mild": {"failures.severity_mean": MILD},
        },
        measure=difference("severe", "mild", provider_fault_total_blame),
        target=Target(above=0.02),
        target_basis=RESPONSIBILITY,
        knockout={"attribution.blame_severity": 0.0, "attribution.share_severity": 0.0},
        knockout_meaning="severity does not enter blame (b_S = d_S = 0)",
        proposition=True,
    ),
    Pattern(
        key="encounter_blame",
        statement="Encounter failures are blamed on the platform more than core failures",
        source="Fu, Gu & Bai 2025",
        level="episode",
        experiment="the scenario: platform responsibility for provider-caused encounter minus "
        "core failures",
        conditions={"base": {}},
        measure=within("base", encounter_minus_core_blame),
        target=Target(above=0.02),
        target_basis=RESPONSIBILITY,
        knockout={"attribution.encounter_weight": 0.0, "attribution.share_encounter": 0.0},
        knockout_meaning="the kind of failure does not enter attribution (a_E = d_E = 0)",
        proposition=True,
    ),
    Pattern(
        key="explanation_shift",
        statement="An explanation naming the provider shifts blame away from the platform",
        source="Bitner 1990 (an explanation of a delay lowered the blame put on the firm)",
        level="episode",
        experiment="the scenario (the platform explains a random share of failures): platform "
        "responsibility for unexplained minus explained provider-caused failures",
        conditions={"base": {}},
        measure=within("base", explanation_shift),
        target=Target(above=0.02),
        target_basis=RESPONSIBILITY,
        knockout={
            "attribution.explanation_weight": 0.0,
            "attribution.noise_explanation_reduction": 0.0,
        },
        knockout_meaning="explanations change nothing (a_expl = n_expl = 0)",
    ),
    Pattern(
        key="individualism_compensation",
        statement="Compensation raises individualists' satisfaction after a failure more than "
        "collectivists'",
        source="Mattila & Patterson 2004a (compensation raised perceived justice more for "
        "American than for East Asian customers); Wong 2004",
        level="customer",
        experiment="a glitch of severity 0.4 with an apology, compensated in full or not at all: "
        "the gain in satisfaction at individualism 0.8 minus at 0.2 (exact)",
        measure=individualism_compensation,
        target=Target(above=0.01),
        target_basis="the model's assumption (0.01 of satisfaction); the sources give a "
        "direction on their own scales",
        knockout={"satisfaction.collectivism_weight": 0.0, "compensation.culture_slope": 0.0},
        knockout_meaning="culture enters neither what is expected nor how much the apology "
        "weighs beside compensation (m_cult flat, collectivism weight 0)",
    ),
    Pattern(
        key="individualism_explanation",
        statement="Explanations move individualists' attributions more than collectivists'",
        source="Mattila & Patterson 2004b",
        level="customer",
        experiment="the explanation's shift of platform responsibility (as in explanation_shift) "
        "at individualism 0.8 minus at 0.2",
        conditions={
            "individualist": {"customers.individualism": 0.8},
            "collectivist": {"customers.individualism": 0.2},
        },
        measure=explanation_moderation,
        target=Target(above=0.02),
        target_basis=RESPONSIBILITY,
        knockout={"attribution.explanation_culture_slope": 0.0},
        knockout_meaning="explanations move every culture alike (s_cult = 0)",
    ),
    Pattern(
        key="surge_odds",
        statement="Surge pricing makes a complaint about the provider more likely per trip",
        source="Xu, Wei & Zhu 2025; Xia, Monroe & Cox 2004",
        level="episode",
        experiment="surge pricing on vs off: the ratio of the chance that an order served in a "
        "peak hour brings its provider a low rating or a complaint (KPI peak_trip_voice_rate)",
        conditions={"surge": {"surge.enabled": True}, "no_surge": {"surge.enabled": False}},
        measure=kpi_log_ratio("surge", "no_surge", "peak_trip_voice_rate"),
        replication_factor=2,  # a ratio of two rates of a few hundred peak-hour trips each
        target=Target(low=float(np.log(1.12)), high=float(np.log(1.33)), log_scale=True),
        target_basis="Xu, Wei & Zhu 2025: 1.12 to 1.33 across their estimates (1.13 for an "
        "average trip)",
        evidence=Evidence(
            population="trips of a large ride-hailing platform (observational data, with a "
            "regression discontinuity at a cap on surge and a matching estimator)",
            measure="how many times more likely a trip's driver receives a complaint (a low "
            "rating or a formal complaint) when the trip is surge-priced",
            estimate="1.13 for an average trip; 1.12 to 1.33 across the working paper's estimates",
            said=False,
            fitted=True,
        ),
        knockout={
            "fairness.rating_weight": 0.0,
            "fairness.complaint_weight": 0.0,
            "fairness.compensation_weight": 0.0,
        },
        knockout_meaning="the price paid does not enter judgements (fairness weights 0)",
    ),
)
