"""Patterns of compensation and recovery: what recovery does to satisfaction and to staying
(MODEL.md 5.8–5.10, 11)."""

from __future__ import annotations

from sim.validation.conditions import (
    GENEROUS,
    NO_JUSTICE,
    NO_STABILITY,
    UNANSWERED,
)
from sim.validation.measures import (
    MILD_BELOW,
    compensation_curves,
    compensation_frequency,
    compensation_gate,
    difference,
    intention_after_first_complaint,
    justice_order,
    overcompensation,
    paradox,
)
from sim.validation.pattern import Pattern
from sim.validation.targets import Target

PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        key="compensation_gate",
        statement="Compensation keeps customers after failures the platform caused, and does "
        "little after providers' faults",
        source="Grewal, Roggeveen & Tsiros 2008",
        level="customer",
        experiment="the scenario's own compensation paid to every answered complaint vs to none: "
        "intention to buy again after a complaint, platform-caused minus provider-caused "
        "failures (difference in differences), and a third of the first minus the second",
        conditions={
            "paid": {"recovery.compensated_share": 1.0},
            "unpaid": {"recovery.compensated_share": 0.0},
        },
        measure=compensation_gate,
        components=("platform − provider", "platform ÷ 3 − provider"),
        target=Target(above=0.0),
        target_basis="Grewal et al. 2008: compensation raised repurchase intentions only when the "
        "firm was responsible; 'little' read as under a third",
        knockout={
            "satisfaction.owed_follows_blame": False,
            "satisfaction.compensation_gate_floor": 1.0,
            "satisfaction.loss_responsibility": 0.0,
            "compensation.responsibility_elasticity": 0.0,
        },
        knockout_meaning="compensation is owed, counts and repairs alike whoever is blamed "
        "(O = 1, γ0 = 1, l_R = ρ = 0)",
    ),
    Pattern(
        key="compensation_frequency",
        statement="Compensation counts more for a failure seen as recurring (vignette: the same "
        "customer and failure)",
        source="Grewal, Roggeveen & Tsiros 2008",
        level="customer",
        experiment="a glitch of severity 0.4, compensated in full or not at all: gain in "
        "satisfaction after two earlier failures minus after none (exact; the world-level "
        "contrast is a documented departure, MODEL.md 8)",
        measure=compensation_frequency,
        target=Target(above=0.02),
        target_basis="the model's assumption (0.02 of satisfaction)",
        knockout=NO_STABILITY,
        knockout_meaning="earlier failures are not seen as a stable cause (no stability terms)",
    ),
    Pattern(
        key="compensation_curves",
        statement="Compensation to distributive justice is S-shaped when the service was "
        "rejected and concave when it was accepted",
        source="Gelbrich, Gäthke & Grégoire 2015",
        level="episode",
        experiment="distributive justice against compensation/expectation from 0 to 1.5: "
        "convexity low and concavity high on the rejected curve, concavity of the accepted curve "
        "(exact)",
        measure=compensation_curves,
        components=("rejected: convex low", "rejected: concave high", "accepted: concave"),
        target=Target(above=0.0),
        target_basis="the shape itself (any curvature of the right sign)",
        knockout={"satisfaction.rejected_midpoint": 0.0},
        knockout_meaning="a refund counts from its first unit (the S-curve's midpoint at 0)",
        proposition=True,
    ),
    Pattern(
        key="overcompensation",
        statement="Returns diminish past 150% of the loss: overcompensation lowers distributive "
        "justice",
        source="Haesevoets et al. 2017; Gelbrich, Gäthke & Grégoire 2015",
        level="episode",
        experiment="distributive justice at 1.5 times the price minus at 2 times (exact)",
        measure=overcompensation,
        target=Target(above=0.02),
        target_basis="the model's assumption (0.02 of distributive justice)",
        knockout={"satisfaction.overcompensation_penalty": 0.0},
        knockout_meaning="no penalty for overcompensation",
    ),
    Pattern(
        key="justice_order",
        statement="Distributive justice moves satisfaction with the handling of a complaint more "
        "than interactional, which moves it more than procedural",
        source="Orsingher, Valentini & de Angelis 2010 (satisfaction with complaint handling, 60 "
        "studies); Gelbrich & Roschk 2011 find the same order only for transaction-specific "
        "satisfaction (cumulative satisfaction depends slightly more on interactional justice)",
        level="episode",
        experiment="satisfaction regained from full justice of one kind alone, platform fully "
        "responsible (exact)",
        measure=justice_order,
        components=("distributive − interactional", "interactional − procedural"),
        target=Target(above=0.0),
        target_basis="the ordering itself",
        knockout={
            "satisfaction.distributive_weight": 0.3,
            "satisfaction.interactional_weight": 0.3,
            "satisfaction.procedural_weight": 0.3,
            "satisfaction.resource_matching": 0.0,
        },
        knockout_meaning="the three justices weigh the same, whatever the kind of failure",
        proposition=True,
    ),
    Pattern(
        key="recovery_paradox",
        statement="After a prompt, full recovery of a first, mild failure, satisfaction ends at or "
        "slightly above where a successful order would have left it",
        source="de Matos, Henrique & Rossi 2007; Magnini et al. 2007",
        level="customer",
        experiment=f"a prompt, full, proactive recovery with apology: satisfaction after the first "
        f"recent failures of severity below {MILD_BELOW} that were paid in full within the "
        "target, minus satisfaction after a success from the same start",
        conditions={"generous": GENEROUS},
        measure=paradox,
        target=Target(low=0.0, high=0.1),
        target_basis="de Matos et al. 2007: satisfaction above the no-failure level on average; "
        "'slightly' read as under 0.1 of the scale",
        knockout={"satisfaction.delight": 0.0},
        knockout_meaning="no recovery repairs more than the loss (ω = 0)",
        proposition=True,
    ),
    Pattern(
        key="recovery_retains",
        statement="A prompt, full recovery keeps more of the customers who complain",
        source="TARP, via secondary sources (MODEL.md 5.10); Gelbrich & Roschk 2011",
        level="customer",
        experiment="prompt full recovery vs no answer: intention to buy again after a customer's "
        "first complaint (both sides complainers: like with like)",
        conditions={"generous": GENEROUS, "unanswered": UNANSWERED},
        measure=difference("generous", "unanswered", intention_after_first_complaint),
        target=Target(above=0.03),
        target_basis="the model's assumption (3 points of the intention to buy again)",
        knockout=NO_JUSTICE,
        knockout_meaning="no justice repairs anything and nothing delights (w_D = w_I = w_P = "
        "b_rel = ω = 0)",
        proposition=True,
    ),
)
