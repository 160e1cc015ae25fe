"""The conceptual model's propositions P1–P4 (MODEL.md 2, 11)."""

from __future__ import annotations

import numpy as np

from sim.validation.conditions import (
    HIGH_I,
    INTERMEDIATION,
    LOW_I,
    RESPONSIBILITY,
)
from sim.validation.measures import (
    difference,
    kpi_difference,
    log_ratio,
    provider_fault_blame,
    provider_fault_compensation,
)
from sim.validation.pattern import Pattern
from sim.validation.targets import Target

PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        key="P1",
        statement="The platform is held responsible when it could have controlled the failure",
        source="the conceptual model (P1); Weiner 2000; Folkes 1984",
        level="episode",
        experiment="platform monitoring 1 vs 0, intermediation and brand fixed: mean platform "
        "responsibility for provider-caused failures",
        conditions={
            "monitored": {"aggregator.monitoring": 1.0},
            "unmonitored": {"aggregator.monitoring": 0.0},
        },
        measure=difference("monitored", "unmonitored", provider_fault_blame),
        target=Target(above=0.02),
        target_basis=RESPONSIBILITY,
        knockout={"attribution.control_weight": 0.0},
        knockout_meaning="customers ignore how far the platform could control the failure "
        "(a_K = 0)",
        proposition=True,
    ),
    Pattern(
        key="P2",
        statement="High intermediation makes customers see the platform in control and hold it "
        "responsible",
        source="the conceptual model (P2); Fu, Gu & Bai 2025",
        level="episode",
        experiment=f"intermediation {HIGH_I} vs {LOW_I}, actual control fixed: mean perceived "
        "control; mean platform responsibility",
        conditions=INTERMEDIATION,
        measure=kpi_difference(
            "high_I", "low_I", "mean_perceived_control", "mean_aggregator_responsibility"
        ),
        components=("perceived control", "responsibility"),
        target=Target(above=0.02),
        target_basis=RESPONSIBILITY,
        knockout={"attribution.intermediation_weight": 0.0},
        knockout_meaning="intermediation does not enter perceived control (a_I = 0)",
        proposition=True,
    ),
    Pattern(
        key="P3",
        statement="When the platform is held responsible, compensation is expected from it",
        source="the conceptual model (P3); Folkes 1984; Grewal, Roggeveen & Tsiros 2008",
        level="episode",
        experiment=f"intermediation {HIGH_I} vs {LOW_I}: ratio of the mean expected compensation "
        "(share of price) after provider-caused failures",
        conditions=INTERMEDIATION,
        measure=log_ratio("high_I", "low_I", provider_fault_compensation),
        target=Target(above=float(np.log(1.1)), log_scale=True),
        target_basis="the model's assumption (10% more compensation expected)",
        knockout={"compensation.responsibility_elasticity": 0.0},
        knockout_meaning="expected compensation does not depend on responsibility (ρ = 0)",
        proposition=True,
    ),
    Pattern(
        key="P4",
        statement="When the platform's responsibility falls, the punishment expected for the "
        "provider rises",
        source="the conceptual model (P4); Weiner 2000; Greitemeyer & Rudolph 2003",
        level="episode",
        experiment=f"intermediation {LOW_I} vs {HIGH_I}: mean expected punishment of providers",
        conditions=INTERMEDIATION,
        measure=kpi_difference("low_I", "high_I", "mean_expected_punishment"),
        target=Target(above=0.01),
        target_basis="the model's assumption (0.01 on the 0–1 punishment scale)",
        knockout={
            "punishment.provider_responsibility_weight": 0.0,
            "punishment.aggregator_responsibility_weight": 0.0,
        },
        knockout_meaning="punishment ignores who is responsible (p_R = p_A = 0)",
        proposition=True,
    ),
)
