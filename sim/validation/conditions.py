"""The conditions and thresholds the validation catalogue's patterns share (MODEL.md 11): parameter
overrides on top of the scenario under test, and the levels they contrast."""

from __future__ import annotations

LOW_I, HIGH_I = 0.1, 0.9
MILD, SEVERE = 0.25, 0.7
INTERMEDIATION = {
    "low_I": {"aggregator.intermediation": LOW_I},
    "high_I": {"aggregator.intermediation": HIGH_I},
}
GENEROUS = {
    "recovery.policy": "match_expectation",
    "recovery.apology": True,
    "recovery.proactive": True,
    "recovery.delay_mean_hours": 2.0,
}
UNANSWERED = {"recovery.policy": "none", "recovery.apology": False, "recovery.proactive": False}
CLOSED = {"acquisition.base_per_day": 0.0}
NEW, LONG_TERM = 0.1, 0.85
NO_JUSTICE = {
    "satisfaction.distributive_weight": 0.0,
    "satisfaction.interactional_weight": 0.0,
    "satisfaction.procedural_weight": 0.0,
    "satisfaction.relationship_moderation": 0.0,
    "satisfaction.delight": 0.0,
}
NO_STABILITY = {
    "satisfaction.stability_loss": 0.0,
    "satisfaction.compensation_gate_stability": 0.0,
    "attribution.share_stability": 0.0,
    "compensation.stability_weight": 0.0,
}
RESPONSIBILITY = "the model's assumption (smallest effect of interest on a 0–1 scale)"

#: Every customer a firm, with a buying centre of six (in mean) or of two (MODEL.md 14.1).
LARGE_CENTRES = {"buying_centre.size_general": 6.0, "buying_centre.size_key_account": 6.0}
SMALL_CENTRES = {"buying_centre.size_general": 2.0, "buying_centre.size_key_account": 2.0}
#: Key-account managers for the top 5% of customers by spend (MODEL.md 14.2).
MANAGED = {"kam.share": 0.05}
